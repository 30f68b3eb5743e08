"""Which printed outputs of the solutions change on another CPU, SIMD level or BLAS thread count, and how.

Strict nbval stops at the first difference of a cell and shortens long diffs; this script re-executes
each notebook under each configuration of :data:`CONFIGS` (see ``scripts/foreign_env.py``) and prints,
for every code cell whose text output differs from the recorded one, the cell's nbval number and the
full diff. Outputs go through the same sanitize rules as ``make test``. It takes about as long as one
nbval pass per configuration (about 100 s on a 2-core machine): pick configurations with ``--config``.

Examples
--------
``python scripts/portability.py --config haswell --config threads4 solutions/03_linear_regression.ipynb``
"""
from __future__ import annotations

import argparse
import configparser
import copy
import difflib
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOREIGN_ENV = Path(__file__).resolve().parent / "foreign_env.py"
#: name -> foreign_env.py arguments (kernel family, widest SIMD level, BLAS threads; '' / 0 = as detected)
CONFIGS = {
    "native": ["--coretype", "", "--simd", "none", "--threads", "0"],
    "haswell": ["--coretype", "Haswell", "--simd", "none", "--threads", "0"],
    "skylakex": ["--coretype", "SkylakeX", "--simd", "none", "--threads", "0"],
    "prescott": ["--coretype", "Prescott", "--simd", "none", "--threads", "0"],
    "no-avx512": ["--coretype", "", "--simd", "avx512", "--threads", "0"],
    "no-avx2": ["--coretype", "", "--simd", "avx2", "--threads", "0"],
    "threads1": ["--coretype", "", "--simd", "none", "--threads", "1"],
    "threads2": ["--coretype", "", "--simd", "none", "--threads", "2"],
    "threads4": ["--coretype", "", "--simd", "none", "--threads", "4"],
    "make-test": [],  # the foreign configuration of `make test`: Haswell, no AVX-512, one thread
    "prescott-no-avx2-threads4": ["--coretype", "Prescott", "--simd", "avx2", "--threads", "4"],
}
TEXT = ("text/plain", "text/html", "text/latex", "application/json")


def sanitizers(cfg: Path) -> list[tuple[re.Pattern, str]]:
    """The regex/replace pairs of an nbval sanitize file."""
    parser = configparser.ConfigParser()
    parser.read(cfg)
    return [(re.compile(parser[s]["regex"]), parser[s]["replace"]) for s in parser.sections()]


def cell_text(cell, rules: list[tuple[re.Pattern, str]]) -> str:
    """The outputs of a code cell as nbval compares them: streams, text results and errors, sanitized."""
    parts: list[str] = []
    streams: dict[str, int] = {}  # like nbval, all of a stream's pieces count as one output where it began
    for out in cell.get("outputs", []):
        if out["output_type"] == "stream":
            if out["name"] in streams:
                parts[streams[out["name"]]] += out["text"]
            else:
                streams[out["name"]] = len(parts)
                parts.append(f"[{out['name']}]\n{out['text']}")
        elif out["output_type"] == "error":
            parts.append(f"[error] {out['ename']}: {out['evalue']}")
        else:
            parts += [f"[{mime}]\n{out['data'][mime]}" for mime in TEXT if mime in out.get("data", {})]
    text = "\n".join(parts)
    for regex, replace in rules:
        text = regex.sub(replace, text)
    return text


def ignored(cell) -> bool:
    """Whether nbval leaves this cell's output out of the comparison (a tag or a marker comment)."""
    tags = set(cell.get("metadata", {}).get("tags", []))
    markers = ("# NBVAL_IGNORE_OUTPUT", "# NBVAL_SKIP")
    return bool(tags & {"nbval-ignore-output", "nbval-skip"}) or any(
        line.strip().startswith(markers) for line in cell.source.splitlines())


def compare(path: Path, rules: list[tuple[re.Pattern, str]]) -> list[str]:
    """Execute one notebook in its folder and return a report per code cell whose output differs."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    recorded = nbformat.read(path, as_version=4)
    fresh = copy.deepcopy(recorded)
    try:
        NotebookClient(fresh, timeout=900, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    except CellExecutionError as error:
        return [f"{path.name}: execution stopped: {str(error).strip().splitlines()[-1]}"]
    reports = []
    codes = [(old, new) for old, new in zip(recorded.cells, fresh.cells) if old.cell_type == "code"]
    for number, (old, new) in enumerate(codes):
        if ignored(old):
            continue
        before, after = cell_text(old, rules), cell_text(new, rules)
        if before != after:
            diff = difflib.unified_diff(before.splitlines(), after.splitlines(), "recorded", "this run", lineterm="", n=1)
            reports.append(f"{path.name} Cell {number}:\n" + "\n".join(diff))
    return reports


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen configurations one after another; exit 1 when any output differs."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook in solutions/")
    parser.add_argument("--config", action="append", choices=CONFIGS, help="default: all")
    parser.add_argument("--sanitize", type=Path, default=ROOT / "tests" / "nbval_sanitize.cfg")
    parser.add_argument("--here", action="store_true", help="compare in this process's environment only")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "solutions").glob("*.ipynb"))
    if args.here:
        differ = False
        for nb in notebooks:
            start = time.perf_counter()
            reports = compare(nb.resolve(), sanitizers(args.sanitize))
            print("\n".join(reports) if reports else f"{nb.name}: all outputs identical", flush=True)
            print(f"({nb.name} ran in {time.perf_counter() - start:.0f} s)", flush=True)
            differ = differ or bool(reports)
        return 1 if differ else 0
    failed = []
    for name in args.config or list(CONFIGS):
        print(f"=== {name}", flush=True)
        command = [sys.executable, str(FOREIGN_ENV), *CONFIGS[name], "--", sys.executable, __file__, "--here",
                   "--sanitize", str(args.sanitize), *map(str, notebooks)]
        if subprocess.run(command).returncode:
            failed.append(name)
    print(f"outputs differ under: {', '.join(failed)}" if failed else "outputs identical under every configuration")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

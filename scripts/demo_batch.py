"""Write the demo class of INSTRUCTORS.md ("A demo batch") from this repository's notebooks.

    python scripts/demo_batch.py demo/class
    python -m helpers.instructor.grade demo/class --jobs 2 --out demo/out --seed 2026

Five students, one folder each, made from solutions/ and notebooks/ so that the demo always
matches the course as it is:

- alice hands in every notebook, answered as the solutions answer them (written answers too);
- bob hands in every notebook untouched (the student notebooks as built);
- carol hands in 04 with the backward pass missing sigma' and a stray ``sys.exit()`` cell, and
  03 solving the normal equations with the library solver the exercise forbids;
- dave hands in a notebook 01 cut off while saving (not JSON);
- erin hands in 03 with R² computed against the wrong mean, a cell that never ends, and a wrong
  answer to the first concept question.
"""
from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _notebook(folder: str, key: str) -> dict:
    path = next((ROOT / folder).glob(f"{key}_*.ipynb"))
    return json.loads(path.read_text(encoding="utf-8"))


def _edit(nb: dict, old: str, new: str) -> dict:
    """``nb`` with ``old`` replaced by ``new`` in the one code cell that contains it."""
    hits = [c for c in nb["cells"] if c["cell_type"] == "code" and old in "".join(c["source"])]
    if len(hits) != 1:
        raise SystemExit(f"demo: expected one cell containing {old!r}, found {len(hits)}; update scripts/demo_batch.py")
    hits[0]["source"] = "".join(hits[0]["source"]).replace(old, new)
    return nb


def _insert(nb: dict, after: str, source: str) -> dict:
    """``nb`` with a code cell ``source`` added after the first cell that starts with ``after``."""
    at = next(i for i, c in enumerate(nb["cells"]) if "".join(c["source"]).startswith(after))
    nb["cells"].insert(at + 1, {"cell_type": "code", "id": f"demo-{at}", "metadata": {}, "execution_count": None,
                                "outputs": [], "source": source})
    return nb


def write(out: Path) -> list[Path]:
    """Write the five students' notebooks under ``out`` (replacing what was there); returns the files."""
    if out.exists():
        shutil.rmtree(out)
    keys = sorted(p.name[:2] for p in (ROOT / "solutions").glob("[0-9][0-9]_*.ipynb"))
    names = {k: next((ROOT / "solutions").glob(f"{k}_*.ipynb")).name for k in keys}
    class_ = {("alice", k): _notebook("solutions", k) for k in keys}
    class_ |= {("bob", k): _notebook("notebooks", k) for k in keys}
    carol04 = _edit(_notebook("solutions", "04"), "delta = (delta @ params[i][0]) * A_prev * (1 - A_prev)",
                    "delta = delta @ params[i][0]")
    class_[("carol", "04")] = _insert(carol04, "import", "import sys\nsys.exit(0)  # left over from a test")
    carol03 = _notebook("solutions", "03")
    cell = next(c for c in carol03["cells"] if "".join(c["source"]).startswith("def solve_normal_equations"))
    cell["source"] = ("def solve_normal_equations(X, y):\n    \"\"\"Parameters w solving (X.T @ X) w = X.T @ y.\"\"\"\n"
                      "    return np.linalg.solve(X.T @ X, X.T @ y)\n")
    class_[("carol", "03")] = carol03
    erin = _edit(_notebook("solutions", "03"), "np.sum((y - np.mean(y)) ** 2)", "np.sum((y - np.mean(y_pred)) ** 2)")
    erin = _edit(erin, 'r2_answer = -0.2', 'r2_answer = 0.2')
    class_[("erin", "03")] = _insert(erin, "def fit_line", "while True:  # waiting for a result that never comes\n    pass")
    written = []
    for (student, key), nb in class_.items():
        path = out / student / names[key]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")
        written.append(path)
    dave = out / "dave" / names["01"]
    dave.parent.mkdir(parents=True, exist_ok=True)
    dave.write_text((ROOT / "solutions" / names["01"]).read_text(encoding="utf-8")[:4000], encoding="utf-8")
    return written + [dave]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder for the class (replaced)")
    args = parser.parse_args(argv)
    files = write(args.out)
    print(f"wrote {len(files)} notebooks of 5 students under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

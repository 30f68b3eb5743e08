"""Am I done? Run a saved notebook the way the grader will and list every exercise ✔ or ✘.

From a terminal, in the course folder::

    python -m helpers.selfcheck notebooks/04_neural_network.ipynb

or from a cell of the notebook (save it first: this reads the file, not the open notebook)::

    from helpers.selfcheck import check_notebook
    check_notebook("04_neural_network.ipynb")

The saved file is run top to bottom in a fresh kernel by the grader's own runner
(:mod:`helpers.execute`: errors do not stop it, each cell has a time limit, a cell that ends
the kernel is skipped and the rest re-run); then each exercise's self-check runs on the public inputs in that kernel,
exactly as the grader will run them on inputs you have not seen. It prints one line per
exercise, a summary, and the cells that raised. The exit code is 0 when every exercise
passes, 1 otherwise, 2 on misuse (no such file, not a course notebook).
"""
from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import cli, exercises, questions
from .cells import cell_label
from .cli import UsageError

ROOT = Path(__file__).resolve().parent.parent
CELL_TIMEOUT = 120  # seconds per cell, as generous as a slow laptop needs
_MARK = "@@course-selfcheck@@"
_RUNNING = "COURSE_SELFCHECK_RUNNING"  # set inside the fresh kernel: no self-check within a self-check


@dataclass
class Report:
    """What running one notebook showed."""

    path: Path
    verdicts: list = field(default_factory=list)  # (exercise id, passed, reason)
    errors: list = field(default_factory=list)  # (cell index, error name, cell label as JupyterLab counts)
    died: str = ""

    @property
    def passed(self) -> bool:
        return bool(self.verdicts) and all(ok for _, ok, _ in self.verdicts)

    def lines(self) -> list[str]:
        out = [f"{'✔' if ok else '✘'} {ex_id}" + ("" if ok else f" — {reason}") for ex_id, ok, reason in self.verdicts]
        done = [ok for ex_id, ok, _ in self.verdicts if ".q" not in ex_id]
        asked = [ok for ex_id, ok, _ in self.verdicts if ".q" in ex_id]
        out.append(f"{sum(done)} of {len(done)} exercises pass — what the grader will run on hidden inputs")
        if asked:
            out.append(f"{sum(asked)} of {len(asked)} concept questions answered right")
        if self.died:
            out.append(self.died)
        if self.errors:
            out.append("cells that raised an error:")
            out += [f"  {label}: {name}{' — an unsolved exercise' if name == 'NotImplementedError' else ''}"
                    for _, name, label in self.errors[:12]]
            if len(self.errors) > 12:
                out.append(f"  ... and {len(self.errors) - 12} more")
        return out


# ---------------------------------------------------------------- inside the fresh kernel
def _reason(problems: list) -> str:
    first = next(p for p in problems if p is not None)
    if first.cause.startswith("not implemented"):
        return "not implemented yet"
    n_ok = sum(p is None for p in problems)
    cause = first.cause if len(first.cause) <= 110 else first.cause[:107] + "..."
    return f"{n_ok} of {len(problems)} checks pass; {cause}"


def kernel_report(notebook: str) -> None:
    """Evaluate every exercise of ``notebook`` on its public inputs in this (the notebook's) namespace.

    Runs inside the kernel that has just executed the notebook; prints one marked line of
    JSON that :func:`run` reads back.
    """
    import __main__

    from .checks import evaluate, not_a_target, recorded_results
    from .constraints import violations
    from .quiz import verdict

    namespace = vars(__main__)
    verdicts = []
    for ex in exercises.for_notebook(notebook):
        if ex.target not in namespace:
            verdicts.append((ex.id, False, f"`{ex.target}` is not defined — run its cell (renamed or deleted?)"))
            continue
        target = namespace[ex.target]
        if not_a_target(ex, target):
            kind = "class" if ex.target[:1].isupper() else "function"
            verdicts.append((ex.id, False, f"`{ex.target}` is not a {kind} (was the name reused for a value?)"))
            continue
        broken = violations(ex.forbid, target) if ex.forbid is not None else []
        if broken:
            verdicts.append((ex.id, False, f"the exercise's rule is broken: {broken[0]}"))
            continue
        try:
            _, problems, _ = evaluate(ex, target, recorded_results(ex))
        except Exception as e:  # e.g. the recorded values are missing: say so, check the others
            verdicts.append((ex.id, False, f"could not be checked ({type(e).__name__}: {str(e)[:100]})"))
            continue
        ok = all(p is None for p in problems)
        verdicts.append((ex.id, ok, "" if ok else _reason(problems)))
    for q in questions.for_notebook(notebook):
        try:
            said = verdict(q.id, namespace.get(q.variable)).split(" ", 1)[1]
        except Exception as e:  # e.g. the recorded data are missing: say so, check the others
            said = f"✘ could not be checked ({type(e).__name__}: {str(e)[:100]})"
        ok = said.startswith("✔")
        verdicts.append((q.id, ok, "" if ok else said[2:].split(" — ")[0]))
    print(_MARK + json.dumps(verdicts))


# ---------------------------------------------------------------- outside: running the saved file
def course_notebook(path: str | os.PathLike) -> tuple[Path, str]:
    """``path`` as a file and its notebook key ("04"); :class:`UsageError` if it is not a course notebook."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: no such file — give the path of your saved notebook, "
                         f"e.g. notebooks/04_neural_network.ipynb")
    match = re.match(r"^(\d\d)_", path.name)
    if path.suffix != ".ipynb" or not match or not exercises.for_notebook(match.group(1)):
        raise UsageError(f"{path}: not a course notebook — the self-check knows the notebooks named like "
                         f"NN_topic.ipynb (01 to 05) whose exercises have checks")
    return path, match.group(1)


def run(path: str | os.PathLike, cell_timeout: int = CELL_TIMEOUT) -> Report:
    """Run the saved notebook at ``path`` in a fresh kernel and evaluate its exercises there.

    The notebook runs through :func:`helpers.execute.run_notebook`, the grader's own runner: the same
    per-cell time limit, output limit and restarts (a cell that ends the kernel is skipped and the
    notebook re-run without it), so "am I done?" and the grader agree.
    """
    from .execute import run_notebook
    from .nbio import nbformat

    path, key = course_notebook(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as e:  # not JSON, not a notebook
        raise UsageError(f"{path}: not a readable notebook ({type(e).__name__}: {str(e)[:200]})") from e
    report = Report(path)
    setup = nbformat.v4.new_code_cell(f"import os, sys\nos.environ[{_RUNNING!r}] = '1'\n"
                                      f"sys.path.insert(0, {str(ROOT)!r})")
    final = nbformat.v4.new_code_cell(f"from helpers.selfcheck import kernel_report\nkernel_report({key!r})")
    nb.cells = [setup] + nb.cells + [final]
    try:
        run_report, ran = run_notebook(nb, path.parent.resolve(), cell_timeout=cell_timeout)
    except Exception as e:  # nbclient could not start a kernel, ...
        raise UsageError(f"{path}: could not run the notebook ({type(e).__name__}: {str(e)[:200]})") from e
    # index in the run notebook (our setup cell first) -> the cell as JupyterLab counts it, with its first line
    labels = {i: cell_label(i - 1, ran.cells[i].source) for i in range(1, len(ran.cells) - 1)}
    report.errors = [(i, name, labels[i]) for i, name, _ in run_report.errors if i in labels]
    report.errors += [(i, "time limit", labels[i]) for i in run_report.timeouts if i in labels]
    report.errors.sort()
    killers = [labels[i] for i in run_report.died if i in labels]
    if killers:
        report.died = (f"{', '.join(killers)} ended the kernel (sys.exit, os._exit, a crash "
                       f"or out of memory?): skipped, and the notebook re-run without them, as the grader does")
    for out in ran.cells[-1].get("outputs", []):
        text = out.get("text", "") if out.get("output_type") == "stream" else ""
        for line in text.splitlines():
            if line.startswith(_MARK):
                report.verdicts = [tuple(v) for v in json.loads(line[len(_MARK):])]
    if not report.verdicts:
        reason = "the notebook did not run to the end" if run_report.died else "the checks could not run"
        report.verdicts = [(ex.id, False, reason) for ex in exercises.for_notebook(key)]
    return report


def _header(path: Path) -> str:
    when = datetime.fromtimestamp(path.stat().st_mtime)
    saved = when.strftime("%H:%M:%S" if when.date() == datetime.now().date() else "%Y-%m-%d %H:%M:%S")
    return (f"{path.name} — checking the file as last saved at {saved} (save first: the open notebook's "
            f"unsaved changes are not seen)")


def check_notebook(path: str | os.PathLike, cell_timeout: int = CELL_TIMEOUT) -> bool:
    """Run your SAVED notebook in a fresh kernel, as the grader will, and print each exercise ✔ or ✘.

    Parameters
    ----------
    path : str or path
        The notebook file, e.g. ``"04_neural_network.ipynb"`` (save it first).
    cell_timeout : int
        Seconds one cell may take before it is interrupted.

    Returns
    -------
    bool
        Whether every exercise passes.
    """
    if os.environ.get(_RUNNING):
        print("(the self-check does not run itself inside the notebook it is checking)")
        return False
    try:
        report = run(path, cell_timeout)
    except UsageError as e:
        print(f"✘ {e}")
        return False
    print("\n".join([_header(report.path)] + report.lines()))
    return report.passed


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers.selfcheck NOTEBOOK.ipynb [NOTEBOOK ...]``: 0 all pass, 1 not yet, 2 misuse."""
    parser = cli.command_parser("python -m helpers.selfcheck",
                                "Run saved course notebooks the way the grader will and list every exercise ✔ or ✘.",
                                problems="not finished yet: some exercise is not ✔")
    parser.add_argument("notebooks", nargs="+", metavar="NOTEBOOK.ipynb", help="saved notebooks to check")
    parser.add_argument("--cell-timeout", type=int, default=CELL_TIMEOUT,
                        help="seconds one cell may run before it is interrupted (default %(default)s)")
    cli.add_renamed(parser, "--timeout", "--cell-timeout", type=int)
    args = parser.parse_args(argv)
    code = 0
    for i, name in enumerate(args.notebooks):
        if i:
            print()
        try:
            report = run(name, args.cell_timeout)
        except UsageError as e:
            print(f"error: {e}", file=sys.stderr)
            code = cli.USAGE
            continue
        print("\n".join([_header(report.path)] + report.lines()))
        code = max(code, 0 if report.passed else 1)
    if code == 1:
        print("\nNot finished yet: the exercises marked ✘ need more work (this is not an error of the check).")
    return code


if __name__ == "__main__":
    sys.exit(main())

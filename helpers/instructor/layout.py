"""Where the course's parts live, and the one error every instructor command reports.

Every instructor tool asks this module, never its own idea of the tree:

- :data:`ROOT`: the repository (the folder holding ``solutions/``, ``notebooks/``, ``helpers/``);
- :func:`solutions_in`: the solution notebooks of a folder, by their two-digit key;
- :data:`BEGIN` / :data:`END`: the markers around solution code;
- :class:`CourseError`: misuse or a broken course, reported as one line naming the thing
  and the fix (each command turns it into its exit status, see its ``--help``).

Examples
--------
>>> [key for key, _ in solutions_in(ROOT / "solutions")][:2]
['01', '02']
>>> notebook_key("03_linear_regression.ipynb")
'03'
>>> notebook_key("notes.ipynb") is None
True
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from ..cli import UsageError

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions"
NOTEBOOKS = ROOT / "notebooks"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
_NB_NAME = re.compile(r"^(\d\d)_[A-Za-z0-9_\-]+\.ipynb$")


class CourseError(UsageError):
    """Misuse of an instructor command, or a course that cannot be built or graded as it is."""


def notebook_key(name: str) -> str | None:
    """The two-digit key of a course notebook's file name (``"04_topic.ipynb"`` -> ``"04"``), else None."""
    m = _NB_NAME.match(name)
    return m.group(1) if m else None


def solutions_in(folder: Path) -> list[tuple[str, Path]]:
    """``[(key, path)]`` of the notebooks named like ``NN_topic.ipynb`` in ``folder``, sorted by key."""
    return sorted((key, p) for p in Path(folder).glob("*.ipynb") if (key := notebook_key(p.name)))


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A reader (or a crash) never sees half a file: either the old content or the new one.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if isinstance(data, bytes):
            tmp.write_bytes(data)
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                f.write(data)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()

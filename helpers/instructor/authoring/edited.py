"""Student work is never overwritten: which notebooks/ files were edited since a build wrote them.

A build writes notebooks with no outputs, no execution counts, a ``raise NotImplementedError()``
stub in every solution cell (``name = ...  # YOUR ANSWER HERE`` for a concept question) and
"YOUR ANSWER HERE" in every written answer. A file that differs in any of these ways was run or answered, which is
a student's work (or an instructor's experiment) that ``build`` must not silently replace.
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from ..layout import CourseError
from .nbgrader_cells import WRITTEN_STUB, cell_source, written_id

STUBS = ("raise NotImplementedError()", "# YOUR ANSWER HERE")  # an exercise's stub, a question's open answer


class EditedNotebooks(CourseError):
    """The build would overwrite notebooks that were edited: refused (exit status 2), each one named."""


def edited_by_hand(path: Path) -> str:
    """Why the notebooks/ file at ``path`` is not what a build writes ("" if it looks as built).

    A build writes no outputs, no execution counts and a ``raise NotImplementedError()`` stub in every
    solution cell; a file that has any of them otherwise was run or answered (a student's work).
    """
    try:
        nb = json.loads(path.read_text())
        cells = [c for c in nb["cells"] if c.get("cell_type") == "code"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        return f"not a notebook the build wrote ({type(e).__name__})"
    if any(c.get("outputs") or c.get("execution_count") is not None for c in cells):
        return "it has outputs or execution counts (it was run)"
    answered = [c for c in cells if c.get("metadata", {}).get("nbgrader", {}).get("solution")
                and not any(stub in cell_source(c) for stub in STUBS)]
    answered += [c for c in nb["cells"] if written_id(c) and cell_source(c).strip() != WRITTEN_STUB]
    if answered:
        return f"{len(answered)} exercise cell(s) no longer hold the stub (answers were written)"
    return ""


def refuse_edited(targets: list[Path], force: bool, log=print) -> None:
    """Stop before a build overwrites edited ``targets``; with ``force``, back each one up first.

    Raises
    ------
    EditedNotebooks
        Naming each edited file and why it counts as edited, unless ``force``.
    """
    edited = {}
    for target in targets:
        if target.is_file() and (why := edited_by_hand(target)):
            edited[target] = why
    if edited and not force:
        raise EditedNotebooks("refusing to overwrite notebooks that were edited (student work?):\n"
                         + "\n".join(f"  {t}: {why}" for t, why in edited.items())
                         + "\nmove your work elsewhere, or run the build with --force (it keeps a backup copy "
                           "of each in notebooks/.backup/)")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for target in edited:
        backup = target.parent / ".backup" / f"{target.stem}-{stamp}{target.suffix}"
        backup.parent.mkdir(exist_ok=True)
        shutil.copy2(target, backup)
        log(f"backed up the edited {target} to {backup}")

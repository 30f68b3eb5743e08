"""Each exercise's code as a student wrote it, and the code the course gave, for the similarity report.

An exercise cell is found as the build marks it: the cell whose nbgrader ``grade_id`` is the
exercise's (``03_1-fit-line`` for ``03.1-fit-line``; JupyterLab keeps cell metadata). A
notebook whose metadata was lost (copied into a fresh notebook, say) still has the cell's
contract, which sits outside the ``### BEGIN SOLUTION`` markers and so is the same in every
hand-out: the code cell whose first line is the stub's first line (``def fit_line(x, y):``)
is taken then. The stub (what the student notebook holds) and the solution are the code the
course wrote; the report passes them to copydetect as boilerplate so that neither counts.

Examples
--------
>>> stub = {"03.1-fit-line": "def fit_line(x, y):\\n    raise NotImplementedError()"}
>>> nb = {"cells": [{"cell_type": "code", "metadata": {}, "source": ["def fit_line(x, y):\\n", "    return 1, 2"]}]}
>>> exercise_sources(nb, stub)
{'03.1-fit-line': 'def fit_line(x, y):\\n    return 1, 2'}
"""
from __future__ import annotations

import json
from pathlib import Path

from ... import questions
from ..authoring.build import strip_solutions
from ..authoring.nbgrader_cells import cell_source


def _first_line(source: str) -> str:
    return next((line.strip() for line in source.splitlines() if line.strip()), "")


def solution_cells(notebook: dict) -> dict[str, str]:
    """``{exercise id: source}`` of the cells the build marks as exercises (nbgrader ``solution``)."""
    out = {}
    for cell in notebook.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {}) if isinstance(cell, dict) else {}
        if cell.get("cell_type") == "code" and isinstance(meta, dict) and meta.get("solution"):
            out[str(meta.get("grade_id", "")).replace("_", ".", 1)] = cell_source(cell)
    return out


def course_code(solution: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(stubs, solutions): ``{exercise id: code}`` of the hand-out's stub and of the solution.

    The stub is what the build writes into the student notebook (the solution with its
    ``### BEGIN SOLUTION`` blocks stripped), so it is the hand-out's code exactly. Only the
    exercises count: a concept question's answer cell (``x = "b"``) is a choice, not code.
    """
    solved = solution_cells(json.loads(Path(solution).read_text(encoding="utf-8")))
    asked = {q.variable for q in questions.for_notebook(Path(solution).name[:2])}
    solved = {ex: code for ex, code in solved.items() if ".q" not in ex or not asked}
    return {ex: strip_solutions(code, ex) for ex, code in solved.items()}, solved


def exercise_sources(notebook: dict, stubs: dict[str, str]) -> dict[str, str]:
    """``{exercise id: the student's code}`` for each exercise of ``stubs`` found in ``notebook``.

    Parameters
    ----------
    notebook : dict
        The submission, as JSON (untrusted: anything malformed is skipped).
    stubs : dict
        ``{exercise id: stub code}`` from :func:`course_code`.

    Returns
    -------
    dict
        Exercises found by their cell's ``grade_id``, else by the stub's first line; an
        exercise found in neither way is left out.
    """
    cells = [c for c in notebook.get("cells", []) if isinstance(c, dict) and c.get("cell_type") == "code"]
    try:
        marked = solution_cells({"cells": cells})
    except (AttributeError, TypeError):
        marked = {}
    out = {}
    for ex, stub in stubs.items():
        if isinstance(marked.get(ex), str):
            out[ex] = marked[ex]
            continue
        first = _first_line(stub)
        for cell in cells:
            try:
                source = cell_source(cell)
            except (AttributeError, TypeError):
                continue
            if first and _first_line(source) == first:
                out[ex] = source
                break
    return out

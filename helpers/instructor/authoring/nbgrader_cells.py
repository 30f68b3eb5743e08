"""nbgrader cell metadata: what the build writes into every solution notebook.

The build (``python -m helpers.instructor.build``) passes every solution notebook
through :func:`nbgrader_notebook`, which makes it a valid nbgrader source notebook
(cell metadata schema 3):

- a cell with ``### BEGIN SOLUTION`` is a solution cell; its ``grade_id`` is the id of
  the exercise it answers, written with ``_`` for the dot (``03.1-fit-line`` ->
  ``03_1-fit-line``: nbgrader allows letters, digits, ``_`` and ``-`` only);
- each self-check cell ``check("03.1-fit-line", fit_line)`` is a locked autograded test
  cell worth the exercise's points (``grade_id`` ``03_1-fit-line-tests``); it ends with
  a hidden-test block (see :mod:`helpers.instructor.hidden`);
- a concept question's ``ask("03.q1-residual-pattern", answer)`` cell is a test cell like a
  self-check, and the cell assigning the answer (in a solution block) its solution cell;
- a written-answer Markdown cell (metadata ``{"course": {"written": "03.w1-..."}}``) is a manually
  graded answer (``solution`` and ``grade``), worth the answer's points;
- every other cell is locked (read-only; its ``grade_id`` is its cell id).

The course export for an nbgrader course directory is :mod:`.nbgrader`.
"""
from __future__ import annotations

import ast
import copy
import re

BEGIN_SOLUTION = "### BEGIN SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
SCHEMA_VERSION = 3
_GRADE_ID = re.compile(r"^[A-Za-z0-9_\-]+$")
WRITTEN_STUB = "YOUR ANSWER HERE"  # nbgrader's own text for a cleared Markdown answer
CHECK_CALLS = ("check", "ask")  # self-check of an exercise, check of a concept question


class NbgraderError(ValueError):
    """A solution notebook cannot be given consistent nbgrader metadata, or cannot be exported."""


def grade_id(exercise_id: str) -> str:
    """The nbgrader ``grade_id`` of an exercise: its id with ``_`` for the dot.

    >>> grade_id("03.1-fit-line")
    '03_1-fit-line'
    """
    return exercise_id.replace(".", "_")


def strip_hidden_tests(source: str, where: str = "") -> str:
    """Remove every ``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS`` region, markers included.

    Lines are split and joined on ``\\n`` exactly as nbgrader's ``ClearHiddenTests`` does, so the
    student notebooks equal nbgrader's released ones.

    >>> strip_hidden_tests('check("a", f)\\n### BEGIN HIDDEN TESTS\\nsecret()\\n### END HIDDEN TESTS')
    'check("a", f)'
    """
    kept, inside = [], False
    for number, line in enumerate(source.split("\n"), 1):
        if BEGIN_HIDDEN in line:
            if inside:
                raise NbgraderError(f"{where} line {number}: {BEGIN_HIDDEN} inside another hidden-test block")
            inside = True
        elif END_HIDDEN in line:
            if not inside:
                raise NbgraderError(f"{where} line {number}: {END_HIDDEN} without a {BEGIN_HIDDEN}")
            inside = False
        elif not inside:
            kept.append(line)
    if inside:
        raise NbgraderError(f"{where}: {BEGIN_HIDDEN} is never closed by {END_HIDDEN}")
    return "\n".join(kept)


def hidden_block(checks: list[tuple[str, str]]) -> str:
    """The hidden-test block scoring ``[(exercise id, name of the student's function or class)]``."""
    entries = ", ".join(f'"{exercise_id}": {target}' for exercise_id, target in checks)
    return "\n".join([BEGIN_HIDDEN, "from helpers.instructor.hidden import hidden_score",
                      f"hidden_score({{{entries}}})", END_HIDDEN])


def checked_ids(source: str) -> list[str]:
    """Exercise and question ids of the ``check("<id>", ...)``/``ask("<id>", ...)`` calls in a code cell, in order."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics and the like: not a self-check cell
        return []
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
             and n.func.id in CHECK_CALLS and n.args and isinstance(n.args[0], ast.Constant)
             and isinstance(n.args[0].value, str)]
    return list(dict.fromkeys(n.args[0].value for n in sorted(calls, key=lambda n: (n.lineno, n.col_offset))))


def written_id(cell: dict) -> str | None:
    """The written-answer id of a Markdown cell (its ``course.written`` metadata), else None."""
    meta = cell.get("metadata", {}).get("course") if isinstance(cell.get("metadata"), dict) else None
    wid = meta.get("written") if isinstance(meta, dict) and cell.get("cell_type") == "markdown" else None
    return wid if isinstance(wid, str) else None


def _metadata(gid: str, *, solution: bool = False, grade: bool = False, locked: bool = False,
              points: float = 0.0) -> dict:
    meta = {"grade": grade, "grade_id": gid, "locked": locked, "schema_version": SCHEMA_VERSION,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return meta


def cell_source(cell: dict) -> str:
    """A cell's source as one string (nbformat stores a string or a list of lines)."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _set_source(cell: dict, text: str) -> None:
    cell["source"] = text.splitlines(keepends=True) if isinstance(cell.get("source"), list) else text


def nbgrader_notebook(solution: dict, specs: list, name: str = "") -> dict:
    """A copy of a solution notebook's JSON with nbgrader metadata and hidden-test blocks.

    Idempotent: applying it to its own result changes nothing. Raises :class:`NbgraderError`
    when an exercise has no self-check cell (or more than one), or when a self-check
    sits in the solution cell itself.
    """
    nb = copy.deepcopy(solution)
    cells = nb["cells"]
    by_id = {ex.id: ex for ex in specs}
    sources = [cell_source(c) for c in cells]
    checks = {i: [x for x in checked_ids(strip_hidden_tests(s, f"{name} cell {i}")) if x in by_id]
              for i, (c, s) in enumerate(zip(cells, sources)) if c["cell_type"] == "code"}
    checks = {i: ids for i, ids in checks.items() if ids}
    seen = [x for ids in checks.values() for x in ids]
    twice = sorted({x for x in seen if seen.count(x) > 1})
    if twice:
        raise NbgraderError(f"{name}: exercise(s) {', '.join(twice)} are self-checked in more than one cell; "
                            f"nbgrader needs exactly one test cell per exercise")
    unchecked = [ex.id for ex in specs if ex.id not in seen and hasattr(ex, "target")]
    written = {written_id(c): i for i, c in enumerate(cells) if written_id(c)}
    lost = [ex.id for ex in specs if not hasattr(ex, "target") and ex.id not in written]
    if lost:
        raise NbgraderError(f"{name}: written answer(s) {', '.join(lost)} have no Markdown cell with metadata "
                            f'{{"course": {{"written": "<id>"}}}}')
    if unchecked:
        raise NbgraderError(f"{name}: exercise(s) {', '.join(unchecked)} have no self-check cell "
                            f"(check(\"<id>\", target) right after the exercise); nbgrader grades through it")
    solution_cells = [i for i, (c, s) in enumerate(zip(cells, sources))
                      if c["cell_type"] == "code" and BEGIN_SOLUTION in s]
    used: set[str] = set()
    for i, cell in enumerate(cells):
        where = f"{name} cell {i}"
        own = cell.get("id") if _GRADE_ID.match(str(cell.get("id", ""))) else f"cell-{i}"
        text = strip_hidden_tests(sources[i], where) if cell["cell_type"] == "code" else sources[i]
        if i in checks:
            if i in solution_cells:
                raise NbgraderError(f"{where}: a self-check must sit in its own cell after the solution cell")
            ids = checks[i]
            meta = _metadata(f"{grade_id(ids[0])}-tests", grade=True, locked=True,
                             points=float(sum(by_id[x].points for x in ids)))
            body = text.rstrip("\n")
            text = f"{body}\n{hidden_block([(x, by_id[x].target) for x in ids])}{text[len(body):]}"
        elif written_id(cell) and written_id(cell) not in by_id:  # locked as a plain cell, nbgrader would release it
            raise NbgraderError(f"{where}: a written answer ({written_id(cell)!r}) that the notebook's WRITTEN list "
                                f"does not declare; declare it (helpers/exercises/nbNN.py) or remove the metadata")
        elif i in written.values():
            meta = _metadata(grade_id(written_id(cell)), solution=True, grade=True,
                             points=float(by_id[written_id(cell)].points))
        elif i in solution_cells:
            later = [j for j in solution_cells if j > i]
            answered = [x for j in sorted(checks) if i < j < (later[0] if later else len(cells)) for x in checks[j]]
            meta = _metadata(grade_id(answered[0]) if answered else own, solution=True)
        else:
            meta = _metadata(own, locked=True)
        if meta["grade_id"] in used:
            raise NbgraderError(f"{where}: nbgrader grade_id {meta['grade_id']!r} is used twice; rename the cell id")
        used.add(meta["grade_id"])
        if text != sources[i]:
            _set_source(cell, text)
        cell.setdefault("metadata", {})["nbgrader"] = meta
    return nb

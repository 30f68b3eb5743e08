"""Hidden tests for nbgrader: score exercises on inputs the student has never seen.

Every self-check cell of a solution notebook ends with a block the build writes
(``python -m helpers.instructor.build``)::

    ### BEGIN HIDDEN TESTS
    from helpers.instructor.hidden import hidden_score
    hidden_score({"03.1-fit-line": fit_line})
    ### END HIDDEN TESTS

nbgrader removes the block from the students' copies and puts it back when it
autogrades. There :func:`hidden_score` calls each exercise on the hidden inputs
recorded for this course (``python -m helpers.instructor.nbgrader``), compares with
what the solution returned on them and leaves ``points × cases passed / cases`` as
the cell's value, which nbgrader takes as the cell's partial credit.

Anywhere else (nbval, the course's own grader, a student's kernel) no hidden data
is configured and :func:`hidden_score` returns ``None`` at once, printing nothing.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .. import exercises, questions, serialize
from ..checks import STOP_EARLY, judge, run_case
from ..serialize import RaisedError

#: Folder of hidden check data inside an nbgrader course directory, beside ``source/``.
HIDDEN_DIRNAME = "hidden_checkdata"
#: Environment variable naming the folder explicitly (overrides the course-directory lookup).
HIDDEN_ENV = "COURSE_HIDDEN_CHECKDATA"


class HiddenDataMissing(FileNotFoundError):
    """nbgrader is autograding, but the hidden check data of a notebook cannot be found."""


def hidden_folder(environ: dict | None = None, cwd: Path | None = None) -> Path | None:
    """Where hidden check data lives now, or ``None`` when nothing is being graded with it.

    ``$COURSE_HIDDEN_CHECKDATA`` wins. Under ``nbgrader autograde`` (which sets
    ``NBGRADER_EXECUTION=autograde``) the kernel runs in
    ``<course>/autograded/<student>/<assignment>/``, so the folder is
    ``<course>/hidden_checkdata``.
    """
    environ = os.environ if environ is None else environ
    if environ.get(HIDDEN_ENV):
        return Path(environ[HIDDEN_ENV])
    if environ.get("NBGRADER_EXECUTION") == "autograde":
        here = Path.cwd() if cwd is None else Path(cwd)
        return (here.parents[2] if len(here.parents) > 2 else here) / HIDDEN_DIRNAME
    return None


def load_hidden(folder: Path, notebook: str) -> dict:
    """The hidden check data of ``notebook`` (``{"seed", "results"}``) from ``folder``."""
    path = Path(folder) / f"{notebook}.npz"
    if not path.is_file():
        raise HiddenDataMissing(
            f"no hidden check data for notebook {notebook} at {path}; the instructor records it with "
            f"`python -m helpers.instructor.nbgrader COURSE_DIR` (or sets ${HIDDEN_ENV} to its folder)")
    return serialize.load(path)


def score_exercise(ex: exercises.Exercise, target: Any, data: dict) -> tuple[int, int]:
    """``(cases passed, cases)`` of ``target`` on the hidden inputs of ``ex`` recorded in ``data``."""
    recorded = data["results"].get(ex.id)
    cases = ex.make_cases(int(data["seed"]))
    if recorded is None or len(recorded) != len(cases):
        raise ValueError(f"the hidden check data does not match exercise {ex.id} any more (its spec changed); "
                         f"record it again with `python -m helpers.instructor.nbgrader COURSE_DIR`")
    passed = 0
    for args, expected in zip(cases, recorded):
        case = run_case(ex, target, args)
        passed += judge(ex, expected["out"], case, args) is None
        if isinstance(case["out"], RaisedError) and case["out"].name in STOP_EARLY:
            break  # the remaining cases would only repeat the wait or the stub
    return passed, len(cases)


def hidden_score(checks: dict[str, Any]) -> float | None:
    """Score ``{exercise id: the student's function or class}`` on the hidden inputs.

    Returns the points earned (rounded to 4 decimals), or ``None`` when no hidden
    data is configured (see :func:`hidden_folder`). Prints one line per exercise
    with the number of hidden cases passed, never their inputs or expected values.
    """
    folder = hidden_folder()
    if folder is None:
        return None
    total, loaded = 0.0, {}
    for exercise_id, target in checks.items():
        ex = questions.get(exercise_id) if ".q" in exercise_id else exercises.get(exercise_id)
        if ex.notebook not in loaded:
            loaded[ex.notebook] = load_hidden(folder, ex.notebook)
        if isinstance(ex, questions.Question):
            recorded = loaded[ex.notebook]["results"].get(ex.id) or [{"out": None}]
            right = questions.is_right(ex, questions.answer_value(target), recorded[0]["out"])
            print(f"{ex.id}: {'right' if right else 'not right'}")
            total += ex.points * right
            continue
        passed, n = score_exercise(ex, target, loaded[ex.notebook])
        print(f"{ex.id}: {passed} of {n} hidden checks passed"
              + ("" if passed == n else " (the self-check above shows what goes wrong on its public inputs)"))
        total += ex.points * passed / n
    return round(total, 4)

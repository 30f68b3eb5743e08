"""No answer leaks: nothing a student sees before solving contains an exercise's solution code.

The rule (helpers.instructor.leaks): 6 or more consecutive code tokens of a solution block
anywhere in a hint tier, in what ``hint()`` prints, or in the student notebook. What ``check()``
prints for wrong answers is scanned by tests/test_variants.py with the same rule.
"""
import contextlib
import io
import json

import pytest

from conftest import ROOT
from helpers import exercises
from helpers.checks import hint
from helpers.instructor.build import solutions_in
from helpers.instructor.leaks import leaks, solution_blocks

NOTEBOOKS = dict(solutions_in(ROOT / "solutions"))


def blocks_of(key: str) -> list[str]:
    return solution_blocks(json.loads(NOTEBOOKS[key].read_text()))


@pytest.mark.parametrize("ex_id", [ex.id for key in NOTEBOOKS for ex in exercises.for_notebook(key)])
def test_hints_do_not_leak(ex_id):
    ex = exercises.get(ex_id)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        hint(ex_id)
    found = leaks("\n".join(ex.hints) + "\n" + printed.getvalue(), blocks_of(ex.notebook))
    assert not found, f"{ex_id}'s hints contain solution code: {found}"


@pytest.mark.parametrize("key", sorted(NOTEBOOKS))
def test_student_notebook_does_not_leak(key):
    student = ROOT / "notebooks" / NOTEBOOKS[key].name
    cells = json.loads(student.read_text())["cells"]
    blocks = blocks_of(key)
    found = []
    for i, cell in enumerate(cells):
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        found += [f"cell {i}: {run}" for run in leaks(source, blocks)]
    assert not found, f"{student.name} shows solution code outside the stubs:\n" + "\n".join(found)

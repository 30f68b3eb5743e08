"""No answer leaks: nothing a student sees before solving contains an exercise's solution code.

The rule (helpers.instructor.authoring.leaks): 6 or more consecutive code tokens of a solution block
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
from helpers.instructor.authoring.build import solutions_in
from helpers.instructor.authoring.leaks import code_tokens, leaks, solution_blocks

NOTEBOOKS = dict(solutions_in(ROOT / "solutions"))


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else str(source)


def blocks_of(key: str) -> list[str]:
    return solution_blocks(json.loads(NOTEBOOKS[key].read_text()))


@pytest.mark.parametrize("ex_id", [ex.id for key in NOTEBOOKS for ex in exercises.for_notebook(key)])
def test_hints_do_not_leak(ex_id):
    ex = exercises.get(ex_id)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        hint(ex_id)
        for level in range(len(ex.hints) + 1):  # each tier as check() would add it
            hint(ex_id, level)
    found = leaks("\n".join(ex.hints) + "\n" + printed.getvalue(), blocks_of(ex.notebook))
    assert not found, f"{ex_id}'s hints contain solution code: {found}"


@pytest.mark.parametrize("key", sorted(NOTEBOOKS))
def test_student_notebook_does_not_leak(key):
    student = ROOT / "notebooks" / NOTEBOOKS[key].name
    cells = json.loads(student.read_text())["cells"]
    blocks = blocks_of(key)
    found = []
    for i, cell in enumerate(cells):
        found += [f"cell {i}: {run}" for run in leaks(_text(cell["source"]), blocks)]
        for out in cell.get("outputs", []):  # a hand-out has none, but a stale output would show an answer
            shown = _text(out.get("text", "")) + _text(out.get("data", {}).get("text/plain", ""))
            found += [f"cell {i} output: {run}" for run in leaks(shown, blocks)]
    assert not found, f"{student.name} shows solution code outside the stubs:\n" + "\n".join(found)


@pytest.mark.parametrize("source, tokens", [
    ('raise ValueError(f"{len(data)} bytes")', ["raise", "ValueError", "(", 'f"{len(data)} bytes"', ")"]),
    ('k = rf"W{l:>{w}}" + f"""\n{a!r}\n"""', ["k", "=", 'rf"W{l:>{w}}"', "+", 'f"""\n{a!r}\n"""']),
    ("d = f'{ {1: 2}[1] }'", ["d", "=", "f'{ {1: 2}[1] }'"]),
])
def test_an_f_string_is_one_token_on_every_python(source, tokens):
    """Python 3.12 splits f-strings into parts (PEP 701); the leak rule must see what 3.11 sees, or the
    hand-out scan finds runs such as `f" W { l } "` on one Python and not on another."""
    assert code_tokens(source) == tokens

"""A student who runs an untouched notebook learns only the tasks: no answers, no traceback chains.

Every generated student notebook is executed top to bottom with nothing solved. The only
failures allowed are each exercise's own "not implemented yet" (printed by its self-check,
or raised by a top-level exercise cell itself) and the one-line "finish Exercise N.k first"
of a cell that needs an unsolved exercise. No NameError, KeyError, TypeError, ... anywhere.
"""
import re

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError

from conftest import ROOT
from helpers import exercises, questions
from helpers.instructor.authoring.build import solutions_in

NOTEBOOKS = dict(solutions_in(ROOT / "solutions"))


@pytest.mark.parametrize("key", sorted(NOTEBOOKS))
def test_untouched_student_notebook_runs_cleanly(key, mnist_folder):
    path = ROOT / "notebooks" / NOTEBOOKS[key].name
    nb = nbformat.read(path, as_version=4)
    try:
        NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    except CellTimeoutError as e:  # an untouched notebook must never hang
        pytest.fail(f"{path.name} untouched: a cell ran past 120 s ({str(e)[:200]})")
    problems, printed = [], []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                own_stub = out.get("ename") == "NotImplementedError" and "raise NotImplementedError()" in cell.source
                if not own_stub:
                    problems.append(f"cell {i}: {out.get('ename')}: {out.get('evalue', '')[:200]}")
            elif out.get("output_type") == "stream":
                printed.append(out.get("text", ""))
            elif out.get("output_type") in ("display_data", "execute_result"):  # a verdict, shown as rich output
                printed.append(out.get("data", {}).get("text/plain", "") + "\n")
    text = "".join(printed)
    assert not problems, f"{path.name} untouched:\n" + "\n".join(problems)
    for ex in exercises.for_notebook(key):
        assert f"{ex.id} ✘ not implemented yet" in text, f"{path.name}: the self-check of {ex.id} did not run"
        assert f"{ex.id} ✔" not in text, f"{path.name}: the untouched stub of {ex.id} passed its self-check"
    for q in questions.for_notebook(key):
        assert f"{q.id} ✘ not answered yet" in text, f"{path.name}: the check of question {q.id} did not run"
    numbers = {ex.number for k in sorted(NOTEBOOKS) for ex in exercises.for_notebook(k)}
    finish = [line for line in text.splitlines() if line.startswith("finish Exercise")]
    assert all(" first — this cell uses " in line for line in finish), finish
    named = {n for line in finish for n in re.findall(r"Exercise (\d\d\.\d+)", line.split(" first — ")[0])}
    assert named <= numbers, f"{path.name}: 'finish' lines name exercises that do not exist: {named - numbers}"

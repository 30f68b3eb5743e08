"""'Am I done?': the saved notebook runs in a fresh kernel and every exercise is listed ✔ or ✘."""
import json
import re

import pytest

from conftest import ROOT
from helpers import exercises, questions
from helpers.selfcheck import check_notebook, main

NOTEBOOK = "02_masked_arrays.ipynb"
IDS = [ex.id for ex in exercises.for_notebook("02")]
QIDS = [q.id for q in questions.for_notebook("02")]


def _exercise_cells_only(source_nb: dict, replace: dict) -> dict:
    """The imports and exercise cells of a notebook (fast to run), with some cells' code replaced."""
    cells = []
    for cell in source_nb["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "code" and (text.lstrip().startswith(("import", "from")) or "### BEGIN SOLUTION" in text):
            for old, new in replace.items():
                text = text.replace(old, new)
            cells.append({**cell, "source": text, "outputs": [], "execution_count": None})
    return {**source_nb, "cells": cells}


def test_solution_notebook_passes(capsys):
    assert main([str(ROOT / "solutions" / NOTEBOOK)]) == 0
    out = capsys.readouterr().out
    assert [f"✔ {i}" for i in IDS + QIDS] == [line for line in out.splitlines() if line.startswith("✔")]
    assert f"{len(IDS)} of {len(IDS)} exercises pass — what the grader will run on hidden inputs" in out
    assert f"{len(QIDS)} of {len(QIDS)} concept questions answered right" in out
    assert "save first" in out and "cells that raised" not in out


def test_untouched_student_notebook_is_not_implemented(capsys):
    assert main([str(ROOT / "notebooks" / NOTEBOOK)]) == 1
    out = capsys.readouterr().out
    for ex_id in IDS:
        assert f"✘ {ex_id} — not implemented yet" in out
    assert f"0 of {len(IDS)} exercises pass" in out
    raised = re.findall(r'^  cell (\d+) \("[^\n]*"\): (\w+)', out, re.M)
    # cells that build on an exercise print "finish Exercise ... first" instead of raising
    assert {name for _, name in raised} <= {"NotImplementedError"}, out


def test_one_wrong_answer_and_one_missing_function(tmp_path, capsys):
    solution = json.loads((ROOT / "solutions" / NOTEBOOK).read_text())
    target = exercises.get(IDS[0]).target
    nb = _exercise_cells_only(solution, {f"def {target}(": f"def {target}_renamed("})
    wrong = next(c for c in nb["cells"] if "### BEGIN SOLUTION" in c["source"] and "def " in c["source"]
                 and f"def {target}_renamed(" not in c["source"])  # an exercise's cell, not a question's answer
    body = wrong["source"].split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
    indent = re.match(r"\n?(\s*)", body).group(1)
    wrong["source"] = wrong["source"].replace(body, f"\n{indent}return None\n{indent}")
    # a cell that calls the self-check itself must not start another run inside the run
    nb["cells"].append({**nb["cells"][0], "id": "guard", "source": f"from helpers.selfcheck import check_notebook\n"
                                                    f"check_notebook({NOTEBOOK!r})"})
    path = tmp_path / NOTEBOOK
    path.write_text(json.dumps(nb))
    assert check_notebook(path) is False
    out = capsys.readouterr().out
    assert f"✘ {IDS[0]} — `{target}` is not defined — run its cell" in out
    wrong_id = next(ex.id for ex in exercises.for_notebook("02") if f"def {ex.target}(" in wrong["source"])
    assert re.search(rf"✘ {re.escape(wrong_id)} — 0 of \d+ checks pass; returned None", out), out
    passing = [line for line in out.splitlines() if line.startswith("✔") and ".q" not in line]
    assert len(passing) == len(IDS) - 2
    assert f"{len(IDS) - 2} of {len(IDS)} exercises pass" in out


@pytest.mark.parametrize("name, message", [("missing.ipynb", "no such file"), ("README.md", "not a course notebook")])
def test_misuse_is_exit_code_2(name, message, capsys):
    assert main([str(ROOT / name)]) == 2
    assert message in capsys.readouterr().err


def test_kernel_killing_cell_scores_as_the_grader_scores_it(tmp_path, capsys, monkeypatch):
    """The grader's runner skips a cell that ends the kernel and re-runs the rest; "am I done?" is that runner."""
    import helpers.execute

    solution = json.loads((ROOT / "solutions" / NOTEBOOK).read_text())
    nb = _exercise_cells_only(solution, {})
    nb["cells"].insert(1, {**nb["cells"][0], "id": "killer", "source": "import os\nos._exit(9)"})
    path = tmp_path / NOTEBOOK
    path.write_text(json.dumps(nb))
    calls = []
    real = helpers.execute.run_notebook
    monkeypatch.setattr(helpers.execute, "run_notebook", lambda *a, **k: calls.append(k) or real(*a, **k))
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    assert calls, "the self-check must run the notebook with helpers.execute.run_notebook, the grader's runner"
    assert [f"✔ {i}" for i in IDS] == [line for line in out.splitlines() if line.startswith("✔") and ".q" not in line]
    # named as the learner finds it: its position among all cells (as JupyterLab shows them) and its first line
    assert 'cell 2 ("import os") ended the kernel' in out and "re-run without them, as the grader does" in out

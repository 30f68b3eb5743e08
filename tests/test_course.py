"""The course itself: every solution grades 100 %, every generated student notebook 0 with "not implemented".

Each solution and each student notebook runs in the grader's sandbox, exactly as a submission does. The
grader's other run, of the solution as the trusted reference, is the same machinery unsandboxed (covered by
tests/test_grade.py); here the reference values come instead from each solution's own definitions run in
this process, so that notebooks 04 and 05 do not train their networks twice.
"""
import csv
import json
import shutil
import threading

import pytest

from conftest import ROOT
from helpers import exercises, questions, serialize
from helpers.instructor.grading import grade
from helpers.instructor.authoring.build import solutions_in
from helpers.execute import load_notebook_code
from helpers.instructor.grading.grade import main
from helpers.harvest import results_of

COURSE = solutions_in(ROOT / "solutions")


def _answer_cells(path):
    """The solution's cells that only set a concept question's answer (a solution block at the top level)."""
    nb = json.loads(path.read_text())
    sources = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    return [s for s in sources if s.startswith("### BEGIN SOLUTION")]


def test_every_notebook_has_exercises_with_self_checks():
    assert COURSE, "no course notebooks found"
    for key, path in COURSE:
        specs = exercises.for_notebook(key)
        assert len(specs) >= 5, f"{path.name} has only {len(specs)} exercises"
        text = path.read_text()
        for ex in specs:
            assert f'check(\\"{ex.id}\\", {ex.target})' in text, f"{path.name}: no self-check cell for {ex.id}"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    for key, path in COURSE:
        for who, folder in [("solution", ROOT / "solutions"), ("blank", ROOT / "notebooks")]:
            (root / "subs" / who).mkdir(parents=True, exist_ok=True)
            shutil.copy(folder / path.name, root / "subs" / who / path.name)
    # generous limits: this test is about scores, and a busy 2-core machine ran 04's training past the 60 s default
    limits = ["--cell-timeout", "600", "--timeout", "3000"]

    one_at_a_time = threading.Lock()  # the grader asks from several threads; notebook code expects a process

    def reference(key, path, inputs, settings):  # the solution's functions and classes, no training cells
        with one_at_a_time:
            namespace = vars(load_notebook_code(path, tag=None))
            for source in _answer_cells(path):  # the concept questions' answers (top-level solution blocks)
                exec(source, namespace)
            return serialize.loads(serialize.dumps(results_of(key, namespace, inputs)))  # as read from a worker

    # the instructor has marked the solution's written answers with full points (the blank ones are unanswered)
    (root / "out").mkdir()
    marks = [(w.id, w.points) for key, _ in COURSE for w in questions.written_for_notebook(key)]
    (root / "out" / "written-review.csv").write_text(
        "question,student,points\n" + "".join(f"{w},solution,{p:g}\n" for w, p in marks), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(grade, "_reference", reference)
        assert main([str(root / "subs"), "--out", str(root / "out"), "--jobs", "2", "--seed", "11", *limits]) == 0
    rows = {r["student"]: r for r in csv.DictReader(open(root / "out" / "grades.csv"))}
    return rows, root / "out"


def test_solutions_score_100_percent(graded):
    rows, _ = graded
    assert rows["solution"]["percent"] == "100.0", rows["solution"]


def test_blank_notebooks_score_0_with_not_implemented(graded):
    rows, out = graded
    assert rows["blank"]["total"] == "0"
    text = (out / "feedback" / rows["blank"]["feedback"]).read_text()
    n_exercises = sum(len(exercises.for_notebook(key)) for key, _ in COURSE)
    assert text.count("not implemented yet") == n_exercises

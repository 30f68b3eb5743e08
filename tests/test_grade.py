"""One-command grading of honest and unusual submissions: right answers score, wrong ones are explained.

One batch, two assignments (toy notebooks 90 and 91), every layout the grader accepts.
"""
import csv
import re
import json
import os
import shutil

import pytest

from helpers import exercises
from helpers.instructor.grading.grade import main
from helpers.instructor.export.safe import csv_cell
from toy import SPECS, make_toy_course, variant

IDS = ["90.1-normalize-rows", "90.2-count-above", "90.3-scaler"]
SEED = 42  # its hidden inputs give the off-by-one (>= for >) a pass on one case of three (asserted below)
SOLUTION_NORMALIZE = "    return X / X.sum(axis=1, keepdims=True)\n"
SOLUTION_COUNT = "    return int(np.sum(x > threshold))\n"
FORMULA = '=HYPERLINK("x","y")'


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return make_toy_course(tmp_path_factory.mktemp("toy2"), extra=("91_tiny.ipynb",))


@pytest.fixture(scope="module")
def graded(course, tmp_path_factory):
    root = tmp_path_factory.mktemp("grading")
    subs = root / "submissions"
    sol = (course["solutions"] / "90_toy.ipynb").read_text()
    blank = (course["notebooks"] / "90_toy.ipynb").read_text()
    sol91 = (course["solutions"] / "91_tiny.ipynb").read_text()
    cases = {
        "complete": {"90_toy.ipynb": sol, "91_tiny.ipynb": sol91},
        "different-but-right": {"90_toy.ipynb": variant(
            sol, (SOLUTION_NORMALIZE, "    totals = np.sum(X, 1)\n    return X / totals[:, np.newaxis]\n"),
            (SOLUTION_COUNT, "    return len([v for v in x if v > threshold])\n"),
            ("self.mean_ = X.mean(axis=0)", "self.mean_ = np.array([c.mean() for c in X.T])"))},
        "transposed-off-by-one": {"90_toy.ipynb": variant(
            sol, (SOLUTION_NORMALIZE, "    return (X / X.sum(axis=1, keepdims=True)).T\n"),
            (SOLUTION_COUNT, "    return int(np.sum(x >= threshold))\n"))},
        "renamed-deleted": {"90_toy.ipynb": variant(sol, ("def normalize_rows(", "def normalise_rows("),
                                                    drop_cell="def count_above")},
        "noisy": {"90_toy.ipynb": variant(sol, extra_cells=[
            (2, "1 / 0"), (2, "import warnings\nwarnings.warn('careful')"),
            (2, "for i in range(40):\n    print('x' * 100_000)"), (2, "while True:\n    pass")])},
        "endless-exercise": {"90_toy.ipynb": variant(sol, (SOLUTION_COUNT, "    while True:\n        pass\n"))},
        # right values, but the exercise's stated rule forbids the call (read from the code by the grader)
        "rule-breaker": {"90_toy.ipynb": variant(sol, (SOLUTION_COUNT, "    return int(counter(x > threshold))\n"),
                                                  extra_cells=[(1, "from numpy import count_nonzero as counter")])},
        "sys-exit": {"90_toy.ipynb": variant(sol, extra_cells=[(2, "import sys\nsys.exit(1)")])},
        "killed-kernel": {"90_toy.ipynb": variant(sol, extra_cells=[(2, "import os\nos._exit(9)")])},
        "cheater": {"90_toy.ipynb": variant(sol, (SOLUTION_NORMALIZE, "    return X\n"), extra_cells=[
            (2, "np.allclose = lambda *a, **k: True\nnp.array_equal = lambda *a, **k: True"),
            (99, "def check(*args):\n    print('✔ all checks passed')")])},
        "invalid-json": {"90_toy.ipynb": '{"cells": ['},
        # honest students the grader used to get wrong
        "last-cell-fix": {"90_toy.ipynb": variant(sol, (SOLUTION_NORMALIZE, "    return X\n"), extra_cells=[
            (99, "def normalize_rows(X):\n    return X / X.sum(axis=1, keepdims=True)")])},
        "minus-inf": {"90_toy.ipynb": variant(sol, (SOLUTION_NORMALIZE, "    return np.float64(-np.inf)\n"))},
        "duplicate": {"90_toy.ipynb": sol, "90_toy copy.ipynb": blank},
        "Zoë": {"90_toy.ipynb": sol},
        "Zoé": {"90_toy.ipynb": blank},
        "missing-90": {"91_tiny.ipynb": sol91},
        FORMULA: {"90_toy.ipynb": blank},
        "ambiguous": {"90_91.ipynb": sol},
    }
    for student, files in cases.items():
        (subs / student).mkdir(parents=True)
        for name, text in files.items():
            (subs / student / name).write_text(text)
    weird = subs / "weird"
    weird.mkdir()
    os.mkfifo(weird / "90_fifo.ipynb")
    (weird / "91_folder.ipynb").mkdir()
    (weird / "90_dangling.ipynb").symlink_to(root / "nowhere.ipynb")
    (subs / "linker").mkdir()
    (subs / "linker" / "90_toy.ipynb").symlink_to(course["solutions"] / "90_toy.ipynb")
    (subs / "alice-91_tiny.ipynb").write_text(sol91)  # a flat file: student "alice"
    out = root / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COURSE_CHECKDATA", str(course["checkdata"]))
        mp.setenv("COURSE_CASE_TIME_LIMIT", "1")
        code = main([str(subs), "--solutions", str(course["solutions"]), "--specs", SPECS, "--out", str(out),
                     "--jobs", "2", "--cell-timeout", "4", "--submission-timeout", "120", "--seed", str(SEED)])
    rows = {r["student"]: r for r in csv.DictReader(open(out / "grades.csv", encoding="utf-8"))}
    students = set(cases) | {"weird", "linker", "alice"}  # the folders made above, and the flat file's student
    return {"code": code, "rows": rows, "out": out, "students": students}


def scores(row):
    return [float(row[i]) for i in IDS]


def feedback(graded, student):
    return (graded["out"] / "feedback" / graded["rows"][student]["feedback"]).read_text()


def test_batch_completes_with_a_row_per_student_and_every_assignment(graded):
    assert graded["code"] == 0
    assert set(graded["rows"]) == {csv_cell(name) for name in graded["students"]}  # names as the CSV shows them
    header = list(next(iter(graded["rows"].values())))
    assert header == ["student", *IDS, "91.1-double", "total", "possible", "percent", "status", "feedback"]
    assert {r["possible"] for r in graded["rows"].values()} == {"4"}


@pytest.mark.parametrize("student, expected", [
    ("complete", [1, 1, 1]), ("different-but-right", [1, 1, 1]), ("renamed-deleted", [0, 0, 1]),
    ("noisy", [1, 1, 1]), ("endless-exercise", [1, 0, 1]), ("rule-breaker", [1, 0, 1]), ("sys-exit", [1, 1, 1]),
    ("killed-kernel", [1, 1, 1]), ("cheater", [0, 1, 1]),
    ("invalid-json", [0, 0, 0]), ("last-cell-fix", [1, 1, 1]), ("minus-inf", [0, 1, 1]), ("duplicate", [1, 1, 1]),
    ("Zoë", [1, 1, 1]), ("Zoé", [0, 0, 0]), ("missing-90", [0, 0, 0]), ("ambiguous", [0, 0, 0]),
    ("weird", [0, 0, 0]), ("linker", [0, 0, 0]), ("alice", [0, 0, 0]),
])
def test_scores(graded, student, expected):
    assert scores(graded["rows"][student]) == expected, graded["rows"][student]


def test_off_by_one_gets_partial_credit(graded):
    import numpy as np

    cases = exercises.get("90.2-count-above").make_cases(SEED + 90 * 1000 + 1)  # as grade.py draws them
    passed = sum(int(np.sum(x >= t)) == int(np.sum(x > t)) for x, t in cases)
    assert 0 < passed < len(cases), "the seed must give the off-by-one a partial score"
    s = scores(graded["rows"]["transposed-off-by-one"])
    assert s[0] == 0 and s[1] == pytest.approx(passed / len(cases), abs=1e-4) and s[2] == 1


def test_grading_is_per_assignment(graded):
    rows = graded["rows"]
    assert (rows["complete"]["total"], rows["complete"]["percent"]) == ("4", "100.0")
    assert (rows["missing-90"]["total"], rows["missing-90"]["percent"]) == ("1", "25.0")
    assert (rows["alice"]["91.1-double"], rows["alice"]["total"]) == ("1", "1")
    assert "no notebook 91 graded: 0 points" in rows["sys-exit"]["status"]
    assert rows["sys-exit"]["percent"] == "75.0"


@pytest.mark.parametrize("student, status, note", [
    ("complete", "ok", "3 of 3 hidden checks passed"),
    ("Zoé", "no notebook 91 graded", "not implemented yet"),
    ("Zoé", "blank: no exercise answered", ""),  # the status says there was no work, not just "ok"
    ("transposed-off-by-one", "", "transposed: expected shape"),
    ("renamed-deleted", ": NameError", "`count_above` is not defined: was its exercise cell deleted, renamed or never run?"),
    ("renamed-deleted", ": NameError", "`normalize_rows` is not defined"),
    ("noisy", 'interrupted at the per-cell time limit: cell 3 ("while True:")', ""),
    ("noisy", "output flood: outputs beyond the limit were dropped", ""),
    ("noisy", 'cells raised errors: cell 6 ("1 / 0"): ZeroDivisionError', ""),
    ("noisy", 'wrote to stderr (warnings?): cell 5 ("import warnings")', ""),
    ("endless-exercise", "", "did not finish within 1 s (an endless loop?)"),
    ("rule-breaker", "", "the exercise's rule is broken: numpy.count_nonzero is not allowed here"),
    ("killed-kernel", 'kernel died in cell 3 ("import os")', ""),
    ("invalid-json", "invalid notebook: ", ""),
    ("duplicate", "also handed in 90_toy copy.ipynb for notebook 90; graded 90_toy.ipynb", ""),
    ("Zoë", "differs only in case or accents from Zoé", ""),
    ("ambiguous", "90_91.ipynb: ambiguous name (it contains 90 and 91)", ""),
    ("weird", "90_fifo.ipynb is a FIFO: skipped", ""),
    ("weird", "91_folder.ipynb is a folder: skipped", ""),
    ("weird", "90_dangling.ipynb is a symbolic link: skipped", ""),
    ("linker", "90_toy.ipynb is a symbolic link: skipped", ""),
])
def test_status_and_feedback_say_why(graded, student, status, note):
    row = graded["rows"][student]
    assert status in row["status"]
    assert note in feedback(graded, student)


def test_sys_exit_does_not_stop_grading(graded):
    status = graded["rows"]["sys-exit"]["status"]
    assert "SystemExit" in status or 'kernel died in cell 3 ("import sys")' in status


def test_feedback_files_are_one_per_student_even_for_look_alike_names(graded):
    names = [r["feedback"] for r in graded["rows"].values()]
    assert len(set(names)) == len(names) == len(list((graded["out"] / "feedback").glob("*.md")))
    assert feedback(graded, "Zoë").startswith("# Feedback for Zoë")
    assert feedback(graded, "Zoé").startswith("# Feedback for Zoé")


def test_formula_names_are_escaped_for_spreadsheets(graded):
    assert "'" + FORMULA in graded["rows"]
    assert FORMULA not in graded["rows"]


@pytest.mark.parametrize("args, message", [
    (["nowhere/", "--solutions", "{toy}", "--specs", SPECS], "nowhere: no such file or folder"),
    (["{sub}", "--solutions", "{empty}"], "no solution notebooks"),
    (["{sub}", "--jobs", "0"], "--jobs, --cell-timeout and --submission-timeout must be positive"),
    (["{sub}", "--points", "{points}"], "unknown exercise id(s) ['99.1-nope']"),
    (["{sub}", "--memory", "lots"], ""),
])
def test_misuse_exits_2_with_a_clear_message(toy_course, tmp_path, capsys, args, message):
    sub = tmp_path / "01_x.ipynb"
    sub.write_text("{}")
    (tmp_path / "empty").mkdir()
    (tmp_path / "points.json").write_text(json.dumps({"99.1-nope": 2}))
    args = [a.format(sub=sub, empty=tmp_path / "empty", points=tmp_path / "points.json",
                     toy=toy_course["solutions"]) for a in args]
    try:
        code = main(args)
    except SystemExit as e:  # argparse rejects a malformed option value itself
        code = e.code
    assert code == 2
    assert message in capsys.readouterr().err


def test_without_bubblewrap_the_grader_refuses_with_the_install_command(toy_course, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    assert main([str(toy_course["notebooks"]), "--solutions", str(toy_course["solutions"]), "--specs", SPECS,
                 "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "apt-get install bubblewrap" in err and "--unsafe-no-sandbox" in err and "\n" not in err.strip()


def test_points_are_configurable_and_unsafe_mode_still_grades(toy_course, tmp_path):
    sub = tmp_path / "alice"
    sub.mkdir()
    text = (toy_course["solutions"] / "90_toy.ipynb").read_text()
    (sub / "90_toy.ipynb").write_text(variant(text, (SOLUTION_COUNT, "    return 0\n")))
    (tmp_path / "points.json").write_text(json.dumps({"90.1-normalize-rows": 5, "90.3-scaler": 2}))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COURSE_CHECKDATA", str(toy_course["checkdata"]))
        assert main([str(sub / "90_toy.ipynb"), "--solutions", str(toy_course["solutions"]), "--specs", SPECS,
                     "--points", str(tmp_path / "points.json"), "--out", str(tmp_path / "o"),
                     "--unsafe-no-sandbox"]) == 0
    row = next(csv.DictReader(open(tmp_path / "o" / "grades.csv")))
    assert row["90.1-normalize-rows"] == "5" and row["90.3-scaler"] == "2" and row["possible"] == "8"


def test_no_file_a_student_receives_holds_an_expected_value_of_a_hidden_check(graded):
    """Feedback says what the code gave and why it is wrong; the hidden checks' expected values stay with the instructor."""
    import zipfile

    out = graded["out"]
    sent = [p.read_text(encoding="utf-8") for p in (out / "feedback").iterdir()]
    for path in (out / "feedback-zips").glob("*.zip"):
        with zipfile.ZipFile(path) as archive:
            sent += [archive.read(n).decode("utf-8") for n in archive.namelist()]
    numbers = re.compile(r"expected (?!shape\b|it to raise\b|an? \w+(?:,|\s|$))[-\[(\d]")
    assert sent and not [m.group(0) for text in sent for m in numbers.finditer(text)]
    assert "expected another value" in feedback(graded, "transposed-off-by-one") + feedback(graded, "cheater")

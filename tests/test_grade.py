"""One-command grading: right answers score, wrong ones are explained, hostile notebooks cannot stop the batch."""
import csv
import json
import shutil

import nbformat
import pytest

from helpers.instructor.grade import main
from toy import SPECS

IDS = ["90.1-normalize-rows", "90.2-count-above", "90.3-scaler"]
SOLUTION_NORMALIZE = "    return X / X.sum(axis=1, keepdims=True)\n"
SOLUTION_COUNT = "    return int(np.sum(x > threshold))\n"


def variant(solution_text: str, *replacements, extra_cells=(), drop_cell=None):
    nb = nbformat.reads(solution_text, as_version=4)
    for cell in nb.cells:
        for old, new in replacements:
            cell.source = cell.source.replace(old.rstrip("\n"), new.rstrip("\n"))
    if drop_cell:
        nb.cells = [c for c in nb.cells if drop_cell not in c.source]
    for position, source in extra_cells:
        nb.cells.insert(position, nbformat.v4.new_code_cell(source))
    return nbformat.writes(nb)


@pytest.fixture(scope="module")
def graded(toy_course, tmp_path_factory):
    root = tmp_path_factory.mktemp("grading")
    subs, outside = root / "submissions", root / "outside"
    subs.mkdir()
    outside.mkdir()
    sol = (toy_course["solutions"] / "90_toy.ipynb").read_text()
    escape = outside / "escaped.txt"
    cases = {
        "solution": sol,
        "blank": (toy_course["notebooks"] / "90_toy.ipynb").read_text(),
        "different-but-right": variant(
            sol, (SOLUTION_NORMALIZE, "    totals = np.sum(X, 1)\n    return X / totals[:, np.newaxis]\n"),
            (SOLUTION_COUNT, "    return len([v for v in x if v > threshold])\n"),
            ("self.mean_ = X.mean(axis=0)", "self.mean_ = np.array([c.mean() for c in X.T])")),
        "transposed": variant(sol, (SOLUTION_NORMALIZE, "    return (X / X.sum(axis=1, keepdims=True)).T\n")),
        "wrong-axis": variant(sol, (SOLUTION_NORMALIZE, "    return X / X.sum(axis=0, keepdims=True)\n")),
        "off-by-one": variant(sol, (SOLUTION_COUNT, "    return int(np.sum(x >= threshold))\n")),
        "in-place": variant(sol, (SOLUTION_NORMALIZE, "    X /= X.sum(axis=1, keepdims=True)\n    return X\n")),
        "cell-deleted": variant(sol, drop_cell="def count_above"),
        "renamed": variant(sol, ("def normalize_rows(", "def normalise_rows(")),
        "raises": variant(sol, extra_cells=[(2, "1 / 0")]),
        "endless-cell": variant(sol, extra_cells=[(2, "while True:\n    pass")]),
        "endless-exercise": variant(sol, (SOLUTION_COUNT, "    while True:\n        pass\n")),
        "sys-exit": variant(sol, extra_cells=[(2, "import sys\nsys.exit(1)")]),
        "killed-kernel": variant(sol, extra_cells=[(2, "import os\nos._exit(9)")]),
        "flood": variant(sol, extra_cells=[(2, "for i in range(40):\n    print('x' * 100_000)")]),
        "warnings": variant(sol, extra_cells=[(2, "import warnings\nwarnings.warn('careful with that axe')")]),
        "cheater": variant(sol, (SOLUTION_NORMALIZE, "    return X\n"), extra_cells=[
            (2, "np.allclose = lambda *a, **k: True\nnp.array_equal = lambda *a, **k: True"),
            (99, "def check(*args):\n    print('✔ all checks passed')")]),
        "escaper": variant(sol, extra_cells=[
            (2, f"open({str(escape)!r}, 'w').write('out')"),
            (2, "open('../escaped.txt', 'w').write('out')"),
            (2, f"print(open({str(toy_course['solutions'] / '90_toy.ipynb')!r}).read()[:50])"),
            (2, "import os\nos.system('touch /tmp/course-grading-escape')")]),
    }
    for name, text in cases.items():
        (subs / name).mkdir()
        (subs / name / "90_toy.ipynb").write_text(text)
    (subs / "invalid-json").mkdir()
    (subs / "invalid-json" / "90_toy.ipynb").write_text('{"cells": [')
    out = root / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COURSE_CHECKDATA", str(toy_course["checkdata"]))
        mp.setenv("COURSE_CASE_TIME_LIMIT", "1")
        code = main([str(subs), "--solutions", str(toy_course["solutions"]), "--specs", SPECS, "--out", str(out),
                     "--jobs", "2", "--cell-timeout", "4", "--timeout", "120", "--seed", "7"])
    rows = {r["student"]: r for r in csv.DictReader(open(out / "grades.csv"))}
    return {"code": code, "rows": rows, "out": out, "escape": escape, "root": root}


def scores(row):
    return [float(row[i]) for i in IDS]


def feedback(graded, student):
    return (graded["out"] / "feedback" / f"{student}.md").read_text()


def test_batch_completes_with_exit_status_zero_and_a_row_each(graded):
    assert graded["code"] == 0
    assert len(graded["rows"]) == 19
    assert list(next(iter(graded["rows"].values()))) == ["student", *IDS, "total", "possible", "percent", "status"]


@pytest.mark.parametrize("student, expected", [
    ("solution", [1, 1, 1]), ("different-but-right", [1, 1, 1]), ("blank", [0, 0, 0]),
    ("transposed", [0, 1, 1]), ("wrong-axis", [0, 1, 1]), ("in-place", [0, 1, 1]),
    ("cell-deleted", [1, 0, 1]), ("renamed", [0, 1, 1]), ("raises", [1, 1, 1]), ("endless-cell", [1, 1, 1]),
    ("endless-exercise", [1, 0, 1]), ("sys-exit", [1, 1, 1]), ("killed-kernel", [1, 1, 1]), ("flood", [1, 1, 1]),
    ("warnings", [1, 1, 1]), ("cheater", [0, 1, 1]), ("escaper", [1, 1, 1]), ("invalid-json", [0, 0, 0]),
])
def test_scores(graded, student, expected):
    assert scores(graded["rows"][student]) == expected


def test_off_by_one_gets_partial_credit(graded):
    s = scores(graded["rows"]["off-by-one"])
    assert s[0] == 1 and 0 <= s[1] < 1 and s[2] == 1


@pytest.mark.parametrize("student, status, note", [
    ("solution", "ok", "3 of 3 hidden checks passed"),
    ("blank", "ok", "not implemented yet"),
    ("transposed", "ok", "transposed: expected shape"),
    ("in-place", "ok", "changed its input in place"),
    ("cell-deleted", "(NameError)", "`count_above` is not defined: was its exercise cell deleted, renamed or never run?"),
    ("renamed", "(NameError)", "`normalize_rows` is not defined"),
    ("raises", "cells raised errors: 2 (ZeroDivisionError)", ""),
    ("endless-cell", "cell(s) [2] interrupted at the per-cell time limit", ""),
    ("endless-exercise", "ok", "did not finish within 1 s (an endless loop?)"),
    ("sys-exit", "", ""),
    ("killed-kernel", "kernel died in cell(s) [2]", ""),
    ("flood", "output flood: outputs beyond the limit were dropped", ""),
    ("warnings", "wrote to stderr (warnings?)", ""),
    ("escaper", "PermissionError", ""),
    ("invalid-json", "invalid notebook: ", ""),
])
def test_status_and_feedback_say_why(graded, student, status, note):
    row = graded["rows"][student]
    assert status in row["status"]
    assert note in feedback(graded, student)


def test_sys_exit_does_not_stop_grading(graded):
    status = graded["rows"]["sys-exit"]["status"]
    assert "SystemExit" in status or "kernel died in cell(s) [2]" in status


def test_sandbox_kept_writes_and_reads_in(graded):
    assert not graded["escape"].exists()
    assert not (graded["root"] / "escaped.txt").exists()
    text = feedback(graded, "escaper")
    assert "PermissionError" in text
    import os
    assert not os.path.exists("/tmp/course-grading-escape")


def test_percent_and_total(graded):
    row = graded["rows"]["transposed"]
    assert (row["total"], row["possible"], row["percent"]) == ("2", "3", "66.7")


@pytest.mark.parametrize("args, message", [
    (["nowhere/", "--solutions", "{toy}", "--specs", SPECS], "nowhere: no such file or folder"),
    (["{sub}", "--solutions", "{empty}"], "no solution notebooks"),
    (["{sub}", "--jobs", "0"], "--jobs, --cell-timeout and --timeout must be positive"),
    (["{sub}", "--points", "{points}"], "unknown exercise id(s) ['99.1-nope']"),
])
def test_misuse_exits_2_with_a_clear_message(toy_course, tmp_path, capsys, args, message):
    sub = tmp_path / "01_x.ipynb"
    sub.write_text("{}")
    (tmp_path / "empty").mkdir()
    (tmp_path / "points.json").write_text(json.dumps({"99.1-nope": 2}))
    args = [a.format(sub=sub, empty=tmp_path / "empty", points=tmp_path / "points.json",
                     toy=toy_course["solutions"]) for a in args]
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_points_are_configurable(toy_course, tmp_path):
    sub = tmp_path / "alice"
    sub.mkdir()
    shutil.copy(toy_course["notebooks"] / "90_toy.ipynb", sub)
    text = (toy_course["solutions"] / "90_toy.ipynb").read_text()
    (sub / "90_toy.ipynb").write_text(variant(text, (SOLUTION_COUNT, "    return 0\n")))
    (tmp_path / "points.json").write_text(json.dumps({"90.1-normalize-rows": 5, "90.3-scaler": 2}))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COURSE_CHECKDATA", str(toy_course["checkdata"]))
        assert main([str(tmp_path / "alice" / "90_toy.ipynb"), "--solutions", str(toy_course["solutions"]),
                     "--specs", SPECS, "--points", str(tmp_path / "points.json"), "--out", str(tmp_path / "o")]) == 0
    row = next(csv.DictReader(open(tmp_path / "o" / "grades.csv")))
    assert row["90.1-normalize-rows"] == "5" and row["90.3-scaler"] == "2" and row["possible"] == "8"

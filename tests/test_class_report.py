"""The class report and the similarity report on small hand-built data (no sandbox, no grading).

The similarity tests use copydetect as the grader does; the hostile ones render a student name,
diagnosis notes and code carrying tags, an ``onerror`` image, a Markdown link and a spreadsheet
formula, and Chromium opens the pages from disk: nothing may run, nothing may be fetched.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest

from helpers import exercises
from helpers.instructor.export import class_report, similarity, similarity_html
from helpers.instructor.export.exercise_code import course_code, exercise_sources
from helpers.instructor.grading.classroll import ClassOptions
from helpers.instructor.grading.deadlines import Lateness
from helpers.instructor.grading.score import Outcome
from helpers.instructor.layout import ROOT
from tests.classroom import disguise
from test_browser import open_in_chromium

HOSTILE = ('<script>window.__ran = 1; location.href = "https://example.invalid/"</script>'
           '<img src=x onerror="window.__ran = 2"> [click](javascript:window.__ran=3) =HYPERLINK("x")')
SOLUTION = next((ROOT / "solutions").glob("03_*.ipynb"))
FIT = "03.1-fit-line"
# two independent ways to the same answer, each long enough to carry a fingerprint of its own
HONEST_A = '''def fit_line(x, y):
    """Least-squares slope and intercept of y ≈ slope * x + intercept."""
    n = len(x)
    sxy = n * np.sum(x * y) - np.sum(x) * np.sum(y)
    sxx = n * np.sum(x * x) - np.sum(x) ** 2
    slope = sxy / sxx
    return float(slope), float(np.mean(y) - slope * np.mean(x))
'''
HONEST_B = '''def fit_line(x, y):
    """Least-squares slope and intercept of y ≈ slope * x + intercept."""
    covariance = np.cov(x, y, ddof=0)
    a = covariance[0, 1] / covariance[0, 0]
    b = y.mean() - a * x.mean()
    return (a, b)
'''


def given():
    stubs, solved = course_code(SOLUTION)
    return {ex: (stubs[ex], solved[ex]) for ex in stubs}, stubs, solved


def test_exercise_cells_are_found_by_their_grade_id_or_by_the_stub_first_line():
    _, stubs, _ = given()
    marked = {"cells": [{"cell_type": "code", "source": "x = 1",
                         "metadata": {"nbgrader": {"solution": True, "grade_id": "03_1-fit-line"}}}]}
    plain = {"cells": [{"cell_type": "markdown", "source": "def fit_line(x, y):"},
                       {"cell_type": "code", "metadata": {}, "source": ["\n", "def fit_line(x, y):\n", "    return 1"]},
                       {"cell_type": "code", "metadata": {}, "source": [1, 2]}, "not a cell"]}
    assert exercise_sources(marked, stubs) == {FIT: "x = 1"}
    assert exercise_sources(plain, stubs) == {FIT: "\ndef fit_line(x, y):\n    return 1"}
    assert "raise NotImplementedError()" in stubs[FIT] and "### BEGIN SOLUTION" not in stubs[FIT]


def test_renamed_and_reordered_copies_are_found_and_honest_work_is_not():
    plates, _, solved = given()
    swapped = HONEST_A.replace("    sxy = n * np.sum(x * y) - np.sum(x) * np.sum(y)\n    sxx = n * np.sum(x * x) - np.sum(x) ** 2\n",
                               "    sxx = n * np.sum(x * x) - np.sum(x) ** 2\n    sxy = n * np.sum(x * y) - np.sum(x) * np.sum(y)\n")
    assert swapped != HONEST_A  # the two independent statements really are reordered
    codes = {"ana": {FIT: HONEST_A}, "bo": {FIT: HONEST_B}, "cy": {FIT: disguise(HONEST_A, "zz")},
             "di": {FIT: swapped}, "ed": {FIT: solved[FIT]}, "fay": {FIT: solved[FIT]}}
    found = similarity.compare("03", codes, {FIT: plates[FIT]})
    score = {frozenset((p.a, p.b)): p.score for p in found.pairs}
    assert "n_zz" in codes["cy"][FIT] and "x_zz" in codes["cy"][FIT]  # the copy's names were changed
    assert score[frozenset(("ana", "cy"))] >= similarity.THRESHOLD  # renamed and reordered
    assert score[frozenset(("ana", "di"))] >= similarity.THRESHOLD  # reordered only
    assert score[frozenset(("ana", "bo"))] < similarity.THRESHOLD  # independent
    assert score[frozenset(("ed", "fay"))] == 0  # the course's solution never counts
    assert {frozenset((p.a, p.b)) for p in similarity.flagged([found])} == {
        frozenset(x) for x in (("ana", "cy"), ("ana", "di"), ("cy", "di"))}
    assert found.matrix.shape == (6, 6) and (found.matrix == found.matrix.T).all()


def hostile_inputs():
    specs = exercises.for_notebook("03")
    outcome = Outcome(scores={ex.id: 0.0 for ex in specs},
                      notes={specs[0].id: ["0 of 3 hidden checks passed", f"check 1: raised ValueError: {HOSTILE}"]},
                      status=[f"cell 3 printed {HOSTILE}"],
                      run={"timeouts": [4], "died": [], "errors": [[3, f"Err{HOSTILE}"]]})
    right = Outcome(scores={ex.id: float(ex.points) for ex in specs},
                    notes={ex.id: ["3 of 3 hidden checks passed"] for ex in specs})
    rows = {HOSTILE: [("03_linear_regression.ipynb", specs, {}, outcome)],
            "erin": [("03_linear_regression.ipynb", specs, {}, right)]}
    late = {HOSTILE: {"03": Lateness(timedelta(hours=30), 0.8, "file modification time", f"late by 30.0 h {HOSTILE}")}}
    codes = {HOSTILE: {FIT: HONEST_A + f"# {HOSTILE}\n"}, "=HYPERLINK(\"y\")": {FIT: HONEST_A}, "erin": {FIT: HONEST_B}}
    return rows, late, similarity.compare("03", codes, {FIT: given()[0][FIT]})


def test_summary_counts_passes_mistakes_runs_and_late_work():
    rows, late, _ = hostile_inputs()
    s = class_report.summarise(rows, late, {HOSTILE: ["erin-alias"]})
    assert s.passed[FIT] == [1, 2] and s.passed["03.2-r-squared"] == [1, 2]
    assert s.mistakes[FIT] == {"raised ValueError": 1}
    assert s.runs["03"] == {"timed out": 1, f"raised Err{HOSTILE}": 1}
    assert [(who, k, h) for who, k, h, _ in s.late] == [(HOSTILE, "03", 30.0)]
    assert sorted(s.percents["03"]) == [0.0, 100.0]


def test_example_messages_are_anonymised():
    specs = exercises.for_notebook("03")
    outcome = Outcome(scores={specs[0].id: 0.0}, notes={specs[0].id: ["0 of 1 hidden checks passed",
                                                                     "check 1: raised KeyError: 'Zoë Smith' s1042"]})
    s = class_report.summarise({"s1042": [("nb", specs[:1], {}, outcome)]}, None, {"s1042": ["Zoë Smith"]})
    assert s.examples[(FIT, "raised KeyError")] == "raised KeyError: '[student]' [student]"


def pages(tmp_path):
    rows, late, found = hostile_inputs()
    report = tmp_path / "report.html"
    report.write_text(class_report.report_html(class_report.summarise(rows, late)), encoding="utf-8")
    page = tmp_path / "similarity.html"
    page.write_text(similarity_html.similarity_html([found]), encoding="utf-8")
    return report, page, found


def test_student_text_is_escaped_in_both_pages_and_the_csv(tmp_path):
    report, page, found = pages(tmp_path)
    for path in (report, page):
        text = path.read_text()
        assert not re.search(r"<(script|a|link|iframe)\b", text, re.IGNORECASE)
        assert len(re.findall(r"<img\b", text)) == text.count('src="data:image/png;base64,')  # only the figures
        assert "&lt;script&gt;" in text and "url(" not in text
    assert "never a verdict" in page.read_text() and f"{similarity.THRESHOLD:.2f}" in page.read_text()
    cells = [c for row in csv.reader(io.StringIO(similarity.similarity_csv([found]))) for c in row]
    assert "'=HYPERLINK(\"y\")" in cells and not any(c.startswith(("=", "+", "@")) for c in cells)


def test_chromium_shows_the_hostile_pages_inert(tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    report, page, _ = pages(tmp_path)
    for path in (report, page):
        seen = open_in_chromium(playwright, path, tmp_path / f"{path.stem}.png")
        assert seen["ran"] is None and seen["url"] == path.as_uri() and not seen["events"]
        assert seen["requests"] == [path.as_uri()]  # the page itself; its figures are inline
        assert "<script>window.__ran = 1" in seen["text"] and "[click](javascript:" in seen["text"]
        assert seen["images"] and all(w > 0 for w in seen["images"])



def test_submissions_are_read_as_the_grader_reads_them_and_the_flag_skips_the_step(tmp_path):
    from helpers.instructor.export import class_view
    from helpers.instructor.grading.discover import discover
    from tests.classroom import _with_answers
    subs_dir = tmp_path / "subs"
    for name, code in (("ana", HONEST_A), ("cy", disguise(HONEST_A, "zz")), ("bo", HONEST_B)):
        (subs_dir / name).mkdir(parents=True)
        (subs_dir / name / SOLUTION.name).write_text(__import__("json").dumps(_with_answers("03", {FIT: code})))
    (subs_dir / "link").mkdir()
    (subs_dir / "link" / SOLUTION.name).symlink_to(subs_dir / "ana" / SOLUTION.name)  # never followed
    (subs_dir / "junk").mkdir()
    (subs_dir / "junk" / SOLUTION.name).write_text('{"cells": [{"cell_type": "code", "source": 7}]}')
    subs = discover([subs_dir], {"03"}, {"03": SOLUTION.stem[3:]}, [])
    rows, late, _ = hostile_inputs()
    said = []
    klass = ClassOptions(ids={"ana": "s1"}, late=late)
    seconds = class_view.write(tmp_path / "out", rows, subs, ["03"], {"03": SOLUTION}, klass, log=said.append)
    found = list(csv.reader(io.StringIO((tmp_path / "out" / "similarity.csv").read_text())))
    assert {frozenset(r[1:3]) for r in found[1:]} == {frozenset(("s1", "cy"))}  # the roster id, not the folder
    assert set(seconds) == {"similarity", "report"} and any("similarity: 1 pair" in line for line in said)
    assert "link" not in (tmp_path / "out" / "similarity.html").read_text()
    klass.similarity = False  # --no-similarity
    skipped = class_view.write(tmp_path / "fast", rows, subs, ["03"], {"03": SOLUTION}, klass, log=said.append)
    assert set(skipped) == {"report"} and not (tmp_path / "fast" / "similarity.html").exists()
    assert "--no-similarity" in (tmp_path / "fast" / "report.html").read_text()


def test_heat_map_draws_any_name_as_plain_text():
    import numpy as np
    from helpers.instructor.export import figures
    names = ["$\\frac{1}{$", "a\x1b[31m\u202eb", "x" * 80]  # broken mathtext, escapes and bidi, a long name
    uri = figures.heat_map(names, np.eye(3), 0.7, "t")
    assert uri.startswith("data:image/png;base64,") and len(uri) > 1000


def test_concept_questions_count_their_wrong_answers_and_written_answers_are_left_to_the_marker():
    from helpers import questions
    items = questions.graded_items("04")
    q, w = questions.for_notebook("04")[0], questions.written_for_notebook("04")[0]
    right = Outcome(scores={q.id: 1.0}, notes={q.id: ["right"], w.id: ["not marked yet"]})
    wrong = Outcome(scores={q.id: 0.0}, notes={q.id: ["not the right answer (yours: B); the question's check in the "
                                                      "notebook explains each answer"], w.id: ["no answer written"]})
    s = class_report.summarise({"ana": [("04.ipynb", items, {}, right)], "bo": [("04.ipynb", items, {}, wrong)]})
    assert s.passed[q.id] == [1, 2] and s.mistakes[q.id] == {"answered B": 1}
    assert w.id not in s.passed and w.id not in s.mistakes

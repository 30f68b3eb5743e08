"""Written answers and concept questions through the grader: scored, collected for review, marks merged.

Grades the quiz notebook 92 (tests/fixtures/extra/92_quiz.ipynb) in the sandbox; the instructor's
marks in ``written-review.csv`` survive every re-run and merge into grades.csv and the feedback.
"""
import csv
import json

import pytest

from helpers.instructor.grading.grade import main
from toy import SPECS, make_toy_course, variant

Q1, Q2, W1 = "92.q1-axis", "92.q2-ratio", "92.w1-why"


@pytest.fixture(scope="module")
def quiz(tmp_path_factory):
    return make_toy_course(tmp_path_factory.mktemp("quiz"), extra=("92_quiz.ipynb",))


def _submission(text, axis, ratio, essay):
    out = variant(text, ('axis_answer = "a"', f"axis_answer = {axis}"), ("ratio_answer = 0.67", f"ratio_answer = {ratio}"))
    nb = json.loads(out)
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("course", {}).get("written"):
            cell["source"] = essay
    return json.dumps(nb)


def _grade(quiz, subs, out):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COURSE_CHECKDATA", str(quiz["checkdata"]))
        return main([str(subs), "--solutions", str(quiz["solutions"]), "--specs", SPECS, "--out", str(out),
                     "--jobs", "2", "--seed", "7"])


def _rows(path):
    return {r["student"]: r for r in csv.DictReader(open(path, encoding="utf-8"))}


def test_a_batch_scores_questions_and_merges_the_instructors_marks(quiz, tmp_path):
    sol = (quiz["solutions"] / "92_quiz.ipynb").read_text()
    blank = (quiz["notebooks"] / "92_quiz.ipynb").read_text()
    essays = {"ann": (sol, '"A"', "0.666", "Rows collapse, so axis 0 goes."),
              "bo": (sol, '"b"', "1.5", "=HYPERLINK(\"http://x\",\"click\") <script>alert(1)</script>"),
              "cy": (blank, None, None, None)}
    subs = tmp_path / "subs"
    for name, (text, axis, ratio, essay) in essays.items():
        (subs / name).mkdir(parents=True)
        (subs / name / "92_quiz.ipynb").write_text(text if axis is None else _submission(text, axis, ratio, essay))
    out = tmp_path / "out"
    assert _grade(quiz, subs, out) == 0
    rows = _rows(out / "grades.csv")
    assert [rows["ann"][Q1], rows["ann"][Q2], rows["ann"][W1]] == ["1", "1", "0"]
    assert [rows["bo"][Q1], rows["bo"][Q2]] == ["0", "0"] and rows["cy"][Q1] == "0"
    review = list(csv.DictReader(open(out / "written-review.csv", encoding="utf-8")))
    assert [(r["question"], r["student"], r["points"], r["possible"]) for r in review] == [
        (W1, "ann", "", "2"), (W1, "bo", "", "2"), (W1, "cy", "", "2")]
    assert review[1]["answer"].startswith("'=HYPERLINK")  # a formula stays text in a spreadsheet
    assert review[2]["answer"] == ""
    feedback = (out / "feedback" / rows["bo"]["feedback"]).read_text()
    assert "not the right answer" in feedback and "not marked yet" in feedback
    assert '"a"' not in feedback and "0.67" not in feedback  # the solution's answers are never shown

    # the instructor marks two answers, with a comment; the next run merges them and keeps the marks
    review[0]["points"], review[0]["comment"] = "1.5", "good, but say why rows"
    review[1]["points"] = "0"
    with open(out / "written-review.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(review[0]))
        writer.writeheader()
        writer.writerows(review)
    (subs / "ann" / "92_quiz.ipynb").write_text(_submission(sol, '"A"', "0.666", "A new answer after marking."))
    assert _grade(quiz, subs, out) == 0
    rows = _rows(out / "grades.csv")
    assert rows["ann"][W1] == "1.5" and rows["bo"][W1] == "0" and float(rows["ann"]["total"]) == 3.5
    again = {r["student"]: r for r in csv.DictReader(open(out / "written-review.csv", encoding="utf-8"))}
    assert again["ann"]["points"] == "1.5" and again["ann"]["comment"] == "good, but say why rows"
    assert again["ann"]["changed"] == "yes" and again["bo"]["changed"] == ""
    assert "comment: good, but say why rows" in (out / "feedback" / rows["ann"]["feedback"]).read_text()

    # a mark that is no number in range stops the run before anything is graded, naming the line
    text = (out / "written-review.csv").read_text().replace(",1.5,", ",9,")
    (out / "written-review.csv").write_text(text)
    before = (out / "grades.csv").read_bytes()
    assert _grade(quiz, subs, out) == 2
    assert (out / "grades.csv").read_bytes() == before
    assert (out / "written-review.csv").read_text() == text  # nothing lost




def test_an_answer_split_or_copied_into_several_cells_is_collected_whole():
    """JupyterLab keeps a cell's metadata when it is split or copied: the stub left in a copy lost the answer."""
    from helpers.instructor.grading.written import collect
    from helpers.questions import Written

    meta = {"course": {"written": W1}}
    cells = [{"cell_type": "markdown", "metadata": meta, "source": "Rows are summed"},
             {"cell_type": "markdown", "metadata": meta, "source": ["away, so ", "axis 0 goes."]},
             {"cell_type": "markdown", "metadata": meta, "source": "YOUR ANSWER HERE"},
             {"cell_type": "markdown", "metadata": meta, "source": {"not": "text"}},
             {"cell_type": "markdown", "metadata": meta, "source": ["text", 5]}]
    assert collect(json.dumps({"cells": cells}).encode(), [Written(W1)]) == {
        W1: "Rows are summed\n\naway, so axis 0 goes."}
    assert collect(json.dumps({"cells": cells[2:]}).encode(), [Written(W1)]) == {W1: None}


def _marked(tmp_path, text):
    from helpers.instructor.grading import written
    from helpers.instructor.grading.score import Outcome
    from helpers.questions import Written

    (tmp_path / written.NAME).write_text(text, encoding="utf-8")
    marks = written.load(tmp_path, {W1: 2})
    outcome = Outcome(written={W1: "Rows go."})
    orphans = written.merge(tmp_path, {"ann": [("92_quiz.ipynb", [Written(W1, points=2)], {}, outcome)]}, marks)
    return outcome, list(csv.DictReader(open(tmp_path / written.NAME, encoding="utf-8"))), orphans


def test_the_review_file_keeps_the_instructors_own_columns_and_skips_blank_lines(tmp_path):
    """An Excel round trip: BOM, CRLF, columns reordered, a notes column added, an empty line left at the end."""
    text = ("\ufeffnotes,student,points,question,comment\r\nask her about axis 1,ann,1.5,92.w1-why,ok\r\n"
            ",,,,\r\n92.w1-why\r\n")
    outcome, rows, _ = _marked(tmp_path, text)
    assert outcome.scores[W1] == 1.5
    assert [(r["question"], r["student"], r["points"], r["notes"]) for r in rows] == [
        (W1, "ann", "1.5", "ask her about axis 1")]


@pytest.mark.parametrize("text, message", [
    ("question,student,points\n92.w1-why,ann,2\n92.w1-why,ann,0\n", "lines 2 and 3: two marks for 92.w1-why, ann"),
    ("question,student,points\n,ann,2\n", "line 2: points '2' for no question or no student"),
    ("question;student;points\n92.w1-why;ann;2\n", "save it as CSV with commas"),
])
def test_a_review_file_that_is_ambiguous_stops_with_the_line(tmp_path, text, message):
    from helpers.instructor.grading import written

    with pytest.raises(written.ReviewError, match=message):
        _marked(tmp_path, text)


def test_a_long_answer_is_cut_where_the_review_file_says_so():
    from helpers.instructor.grading.written import MAX_ANSWER, collect
    from helpers.questions import Written

    cell = {"cell_type": "markdown", "metadata": {"course": {"written": W1}}, "source": "word " * 200_000}
    text = collect(json.dumps({"cells": [cell]}).encode(), [Written(W1)])[W1]
    assert text.startswith("word word") and len(text) < MAX_ANSWER + 100
    assert text.endswith("[... cut here: the answer has 999,999 characters; read it in the notebook]")


def test_a_mark_left_behind_by_a_renamed_student_is_kept_and_told(tmp_path):
    _, rows, orphans = _marked(tmp_path, "question,student,points\n92.w1-why,ann-old-folder,2\n92.w1-why,gone,\n")
    assert orphans == ["92.w1-why, ann-old-folder"]  # an unmarked row left behind is not worth a line
    assert {(r["student"], r["points"], r["changed"]) for r in rows} >= {("ann-old-folder", "2", "no longer graded")}


def test_written_answers_that_share_most_of_their_words_are_listed_as_alike(tmp_path):
    from helpers.instructor.grading import written
    from helpers.instructor.grading.score import Outcome
    from helpers.questions import Written

    item = Written("92.w1-why")
    essay = "The rows are summed away because axis zero runs down the rows, so one total per column is left."
    texts = {"ann": essay, "bo": essay.replace("summed away", "added up") + " ", "cy": "Because numpy says so.",
             "di": None}
    rows = {}
    for name, text in texts.items():
        outcome = Outcome(written={item.id: text})
        rows[name] = [("92_quiz.ipynb", [item], {}, outcome)]
    written.merge(tmp_path, rows, {})
    review = {r["student"]: r for r in csv.DictReader(open(tmp_path / written.NAME, encoding="utf-8"))}
    assert review["ann"]["alike"] == "bo" and review["bo"]["alike"] == "ann"
    assert review["cy"]["alike"] == "" and review["di"]["alike"] == ""

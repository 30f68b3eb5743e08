"""Concept questions (checked at once, explained after the answer) and written answers (marked by hand).

The quiz notebook 92 (tests/fixtures/extra/92_quiz.ipynb) has a multiple choice, a number and a
written answer; the course's own questions are checked by the same code.
"""
import csv
import json

import pytest

from helpers import exercises, questions, serialize
from helpers.quiz import verdict
from toy import SPECS, make_toy_course, variant

Q1, Q2, W1 = "92.q1-axis", "92.q2-ratio", "92.w1-why"


@pytest.fixture(scope="module")
def quiz(tmp_path_factory):
    course = make_toy_course(tmp_path_factory.mktemp("quiz"), extra=("92_quiz.ipynb",))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COURSE_CHECKDATA", str(course["checkdata"]))
        yield course


def test_the_check_data_keeps_no_answer_and_no_readable_explanation(quiz):
    raw = (quiz["checkdata"] / "92.npz").read_bytes()
    data = serialize.load(quiz["checkdata"] / "92.npz")
    assert Q1 not in data["results"] and Q2 not in data["results"]
    assert set(questions.unpack(data["questions"])) == {Q1, Q2}
    import zipfile, io
    text = b"".join(zipfile.ZipFile(io.BytesIO(raw)).read(n) for n in zipfile.ZipFile(io.BytesIO(raw)).namelist())
    for secret in (b"rows are summed", b"summed away", b"two thirds", b"0.67", b"upside down"):
        assert secret not in text


@pytest.mark.parametrize("answer, expected", [
    ("a", "✔ right — the first axis, of the rows, is summed away"),
    (" A ", "✔ right"),
    ("b", "✘ not this one — that axis is kept"),
    ("c", "✘ 'c' is not one of the choices: give one of 'a', 'b'"),
    (1, "✘ `axis_answer` must be a string"),
    (..., "✘ not answered yet — set `axis_answer` to one of 'a', 'b'"),
])
def test_a_choice_is_judged_at_once_and_explained_after(quiz, answer, expected):
    exercises.load_spec_file(SPECS)
    assert verdict(Q1, answer).startswith(f"{Q1} {expected}")


@pytest.mark.parametrize("answer, expected", [
    (2 / 3, "✔ right — two thirds"), (0.67, "✔ right"), (0.66, "✔ right"),  # one unit in the last place
    (0.6, "✘ not this one — 0.6"), (1.5, "✘ not this one — that is 3 / 2, upside down"),
    ("0.67", "✘ `ratio_answer` must be a number"), (float("nan"), "✘ `ratio_answer` must be a finite number"),
])
def test_a_number_counts_within_its_stated_precision(quiz, answer, expected):
    exercises.load_spec_file(SPECS)
    got = verdict(Q2, answer)
    if expected.startswith("✘ not this one — 0.6"):  # no explanation of its own: the question's generic hint
        assert got.startswith(f"{Q2} ✘ not this one — re-read") and "Think again" in got
    else:
        assert got.startswith(f"{Q2} {expected}")


def test_student_notebook_leaves_answers_open_and_nbgrader_knows_the_cells(quiz):
    student = json.loads((quiz["notebooks"] / "92_quiz.ipynb").read_text())
    sources = ["".join(c["source"]) for c in student["cells"]]
    assert "axis_answer = ...  # YOUR ANSWER HERE" in sources and "ratio_answer = ...  # YOUR ANSWER HERE" in sources
    assert "YOUR ANSWER HERE" in sources and "Because the model answer says so." not in "".join(sources)
    solution = json.loads((quiz["solutions"] / "92_quiz.ipynb").read_text())
    meta = {"".join(c["source"]).split("\n")[0]: c["metadata"]["nbgrader"] for c in solution["cells"]}
    assert meta['ask("92.q1-axis", axis_answer)']["points"] == 1.0 and meta['ask("92.q1-axis", axis_answer)']["grade"]
    written = meta["Because the model answer says so."]
    assert written["solution"] and written["grade"] and written["points"] == 2.0  # "manually graded answer"


def test_answers_of_the_wrong_kind_are_plain_data_or_refused():
    q = questions.Question("92.q9-x", "x", choices=("a", "b"))

    class Sneaky(str):
        def strip(self):
            raise RuntimeError("ran code")

    assert questions.answer_value(Sneaky("a")).type_name == "a Sneaky"
    assert questions.answer_value("x" * 1000).type_name == "a string of 1000 characters"
    assert not questions.is_right(q, questions.answer_value(Sneaky("a")), "a")


def test_numbers_compare_by_their_stated_precision_and_counts_exactly():
    rounded = questions.Question("92.q8-x", "x", decimals=2)
    count = questions.Question("92.q7-n", "n", decimals=0, exact=True)
    assert questions.is_right(rounded, -0.004, 0.0) and questions.is_right(rounded, 0.009, 0.0)
    assert not questions.is_right(rounded, 0.02, 0.0)
    assert questions.is_right(count, 19, 19) and not questions.is_right(count, 18, 19)
    assert questions.is_right(count, 19.0, 19)


def test_an_answer_beyond_any_float_is_refused_not_a_crash(quiz):
    """``r2_answer = 10**400`` once raised OverflowError in ask() and made the grader score the whole notebook 0."""
    from helpers.instructor.grading.score import score

    exercises.load_spec_file(SPECS)
    q = questions.get(Q2)
    assert verdict(Q2, 10**400) == f"{Q2} ✘ `ratio_answer` must be a finite number: give a number (rounded to 2 decimals)"
    out = score([], {}, {Q1: {"answer": "a"}, Q2: {"answer": 0.67}},
                {Q1: {"answer": "a"}, Q2: {"answer": questions.answer_value(10**400)}}, {},
                questions=(questions.get(Q1), q))
    assert out.scores == {Q1: 1.0, Q2: 0.0} and "finite number" in out.notes[Q2][0]


def test_the_grader_names_the_type_a_refused_answer_had():
    q = questions.Question("92.q9-x", "x", decimals=2)
    assert "(got a bool)" in questions.answer_problem(q, questions.answer_value(True))


def test_an_exact_count_takes_no_fraction_rounded_to_it():
    count = questions.Question("92.q7-n", "n", decimals=0, exact=True)
    assert not questions.is_right(count, 19.4, 19) and not questions.is_right(count, 18.6, 19)
    assert questions.answer_problem(count, 19.4) == "19.4 is not exact: give a whole number"
    assert questions.is_right(count, 19.0, 19) and questions.is_right(count, 19, 19)


def test_answers_the_self_check_accepts_reach_the_grader_as_the_same_answer():
    """NumPy's string and the standard library's Fraction pass ask(); the grader once refused them."""
    import fractions

    import numpy as np

    choice, number = questions.Question("92.q9-x", "x", choices=("a", "b")), questions.Question("92.q8-y", "y")
    for q, value, expected in [(choice, np.str_(" B "), "b"), (number, fractions.Fraction(2, 3), 0.67)]:
        assert questions.answer_problem(q, value) is None and questions.is_right(q, value, expected)
        assert questions.is_right(q, questions.answer_value(value), expected)


def test_a_written_answer_nbgrader_was_not_told_about_is_refused_not_released(quiz):
    from helpers.instructor.authoring.nbgrader_cells import NbgraderError, nbgrader_notebook

    solution = json.loads((quiz["solutions"] / "92_quiz.ipynb").read_text())
    exercises.load_spec_file(SPECS)
    with pytest.raises(NbgraderError, match="written answer .*92.w1-why"):
        nbgrader_notebook(solution, questions.for_notebook("92"), "92_quiz.ipynb")  # WRITTEN left out

"""Roster matching against the generated class (tests/classroom.py): every submission is its student's."""
from pathlib import Path

import pytest

from helpers.instructor.grading.discover import discover
from helpers.instructor.grading.roster import Roster, read_roster
from helpers.instructor.layout import CourseError, solutions_in
from tests.classroom import build_class


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    out = tmp_path_factory.mktemp("class")
    return out, build_class(out)


def test_every_submission_matches_its_student(klass):
    out, manifest = klass
    roster = Roster(read_roster(out / "roster.csv"))
    by_key = dict(solutions_in(Path("solutions")))
    subs = discover([out / "submissions"], set(by_key), {k: p.stem[3:] for k, p in by_key.items()}, [])
    expected = {s["file"]: s for s in manifest["students"] if s["file"]}
    seen = set()
    for sub in subs:
        rec = expected[str(sub.path.relative_to(out))]
        m = roster.match(sub.student, sub.path)
        if rec["kind"] == "unknown":
            assert m.student is None and "matches nobody" in m.problem
        else:
            assert m.student is not None and m.student.student_id == rec["login"], (sub.student, m)
            seen.add(rec["login"])
            assert m.late_flag == (rec["late"] and "LATE_" in sub.path.name)
    assert len(seen) == sum(1 for s in manifest["students"] if s["kind"] not in ("missing", "unknown"))


def test_ambiguous_names_are_reported_not_guessed(tmp_path):
    (tmp_path / "r.csv").write_text("student_id,name,aliases\na1,Ann Lee,annie\na2,Ann Lee,\n", encoding="utf-8")
    m = Roster(read_roster(tmp_path / "r.csv")).match("Ann Lee", tmp_path / "x.ipynb")
    assert m.student is None and "several students (a1, a2)" in m.problem
    m = Roster(read_roster(tmp_path / "r.csv")).match("ANNIE", tmp_path / "x.ipynb")
    assert m.student.student_id == "a1"


@pytest.mark.parametrize("text, words", [("name,email\nx,y\n", "no 'student_id' column"),
                                         ("student_id,nick\nx,y\n", "unknown column(s) nick"),
                                         ("student_id\nx\nx\n", "already on line 2")])
def test_bad_roster_is_named_with_the_fix(tmp_path, text, words):
    (tmp_path / "r.csv").write_text(text, encoding="utf-8")
    with pytest.raises(CourseError, match=words.replace("(", r"\(").replace(")", r"\)")):
        read_roster(tmp_path / "r.csv")

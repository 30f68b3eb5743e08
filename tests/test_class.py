"""The instructor's loop on a generated class (tests/classroom.py): roster, late policy, gradebook exports, overrides.

The class is generated and graded once per module (sandboxed, 2 at a time); the timing is printed.
"""
import csv
import io
import json
import shutil
import time
from datetime import timedelta

import pytest

from helpers.instructor.grading.classroll import ClassOptions
from helpers.instructor.grading.grade import grade
from helpers.instructor.layout import ROOT
from helpers.instructor.export.similarity import THRESHOLD
from tests.classroom import DUE, build_class

DEADLINES = f"""
[assignments."03"]
due = {DUE.isoformat()}
grace_minutes = 10
penalty_per_day = 10
cap = 50
[extensions]
{{extension}} = {{{{ "03" = 72 }}}}
"""


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("klass")
    manifest = build_class(root, n_students=30)
    ext = next(s["login"] for s in manifest["students"] if s["extension_hours"])
    (root / "deadlines.toml").write_text(DEADLINES.format(extension=ext), encoding="utf-8")
    right = next(s["login"] for s in manifest["students"] if s["kind"] == "right")
    (root / "overrides.csv").write_text(f"student,item,points,delta,reason\n{right},03.2-r-squared,,-0.5,"
                                        "=HYPERLINK(1) copied the docstring\nnobody,03.2-r-squared,1,,typo\n",
                                        encoding="utf-8")
    opts = lambda: ClassOptions(root / "roster.csv", root / "deadlines.toml", None, root / "overrides.csv")
    start, said = time.monotonic(), []
    grade([root / "submissions"], solutions=ROOT / "solutions", out=root / "out", jobs=2, seed=7, klass=opts(),
          log=lambda *a: said.append(" ".join(map(str, a))))
    print(f"\ngraded a class of {len(manifest['students'])} in {time.monotonic() - start:.1f} s; "
          + "; ".join(line for line in said if line.startswith(("similarity:", "wrote") ) and "html" in line))
    return root, manifest, opts


def _rows(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_every_roster_student_is_matched_and_the_unknown_reported(graded):
    root, manifest, _ = graded
    rows = {r[0]: r for r in _rows(root / "out" / "grades.csv")[1:]}
    on_roster = [s for s in manifest["students"] if s["kind"] != "unknown"]
    assert {s["login"] for s in on_roster} <= set(rows)
    missing = next(s["login"] for s in manifest["students"] if s["kind"] == "missing")
    assert rows[missing][-3] != "" and "not handed in" in rows[missing][-2]
    assert "matches nobody" in (root / "out" / "class-problems.txt").read_text()
    assert len(rows) == len(on_roster) + 1  # the unknown kept under its own name, not guessed


def test_late_penalty_as_configured(graded):
    root, manifest, _ = graded
    book = json.loads((root / "out" / "gradebook.json").read_text())
    right_score = max(p["assignments"]["03"] for p in book["students"].values())
    for s in manifest["students"]:
        if s["late"] and s["kind"] == "right":
            # 30 hours late: two started days at 10% each; the extension of 72 h makes it on time
            factor = 1.0 if s["extension_hours"] else 0.8
            assert book["students"][s["login"]]["assignments"]["03"] == pytest.approx(right_score * factor)
    late = next(s for s in manifest["students"] if s["late"] and not s["extension_hours"])
    text = next((root / "out" / "feedback").glob("*.md"), None)
    feedback = "".join(p.read_text() for p in (root / "out" / "feedback").glob("*.md"))
    assert text and "late by 30.0 h" in feedback and "penalty 20%" in feedback
    assert late["login"]


def test_canvas_and_moodle_csvs_have_the_documented_columns(graded):
    root, manifest, _ = graded
    book = json.loads((root / "out" / "gradebook.json").read_text())
    canvas = _rows(root / "out" / "canvas.csv")
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Notebook 03"]
    assert canvas[1] == ["Points Possible", "", "", "", "", f"{book['assignments']['03']['possible']:g}"]
    by_id = {r[2]: r for r in canvas[2:]}
    for s in manifest["students"]:
        if s["kind"] == "unknown":
            continue
        first, last = s["name"].split()
        assert by_id[s["login"]][:2] == [f"{last}, {first}", s["canvas_id"]]
        assert float(by_id[s["login"]][5]) == pytest.approx(book["students"][s["login"]]["assignments"]["03"])
    moodle = _rows(root / "out" / "moodle.csv")
    assert moodle[0] == ["Email address", "Notebook 03"]
    assert {r[0] for r in moodle[1:]} == {s["email"] for s in manifest["students"] if s["kind"] != "unknown"}


def test_override_survives_a_regrade_and_unknown_entries_are_reported(graded):
    root, manifest, opts = graded
    right = next(s["login"] for s in manifest["students"] if s["kind"] == "right")
    first = json.loads((root / "out" / "gradebook.json").read_text())["students"][right]["exercises"]
    assert first["03.2-r-squared"] == 0.5
    assert "instructor override on 03.2-r-squared: 1 -> 0.5 (-0.5)" in (root / "out" / "grades.csv").read_text()
    assert "student 'nobody' not in this batch" in (root / "out" / "class-problems.txt").read_text()
    # a re-grade (here of that student's notebook alone) applies the same file again
    path = root / next(s["file"] for s in manifest["students"] if s["login"] == right)
    (root / "one" / path.parent.name).mkdir(parents=True)
    shutil.copy2(path, root / "one" / path.parent.name / path.name)
    grade([root / "one"], solutions=ROOT / "solutions", out=root / "again", seed=8, klass=opts(), log=lambda *a: None)
    again = json.loads((root / "again" / "gradebook.json").read_text())["students"]
    assert again[right]["exercises"]["03.2-r-squared"] == 0.5


def test_each_kind_of_student_gets_the_verdict_it_was_built_for(graded):
    root, manifest, _ = graded
    book = json.loads((root / "out" / "gradebook.json").read_text())
    for s in manifest["students"]:
        if s["kind"] in ("unknown", "missing") or (s["late"] and not s["extension_hours"]):
            continue
        got = book["students"][s["login"]]["exercises"]
        if s["kind"] == "blank":
            assert sum(got.values()) == 0
        elif s["kind"] in ("right", "honest", "copy"):  # full points (03.2 has an override; written: not marked)
            assert all(v == book["assignments"]["03"]["exercises"][ex] for ex, v in got.items()
                       if ex != "03.2-r-squared" and ".w" not in ex), (s["kind"], got)
            assert all(v == 0 for ex, v in got.items() if ".w" in ex)
        else:  # partial: exactly the exercises given a wrong answer lose their point (03.6 tests 03.5's class)
            lost = {ex for ex, v in got.items() if v < book["assignments"]["03"]["exercises"][ex]}
            assert set(s["wrong"]) <= lost, (s["wrong"], got)


def test_regrading_one_student_runs_only_that_students_notebook(graded, monkeypatch):
    root, manifest, opts = graded
    from helpers.instructor.grading import grade as grading

    out = root / "only"
    shutil.copytree(root / "out", out)
    who = next(s for s in manifest["students"] if s["kind"] == "partial")
    submitted = []

    class Counting(grading.LocalBackend):
        def submit(self, job):
            submitted.append(job.label)
            return super().submit(job)

    monkeypatch.setattr(grading, "LocalBackend", Counting)
    lines = []
    grade([root / "submissions"], solutions=ROOT / "solutions", out=out, jobs=2, klass=opts(), log=lines.append,
          only=[who["login"]])
    assert len(submitted) == 1 and who["file"].split("/")[-1] in submitted[0]
    total = len([s for s in manifest["students"] if s["kind"] not in ("missing",)])
    assert any(f"{total - 1} of {total} notebook(s) were already graded" in line for line in lines), lines
    assert (out / "grades.csv").read_text() == (root / "out" / "grades.csv").read_text()
    # a name that handed nothing in, or a batch not graded before, is refused before anything runs
    from helpers.instructor.grading.discover import UsageError
    with pytest.raises(UsageError, match="no submission of"):
        grade([root / "submissions"], solutions=ROOT / "solutions", out=out, klass=opts(), only=["nobody-at-all"])
    with pytest.raises(UsageError, match="have no finished run"):
        grade([root / "submissions"], solutions=ROOT / "solutions", out=root / "empty", seed=7, klass=opts(),
              only=[who["login"]])
    assert len(submitted) == 1


def test_planted_copies_are_the_only_pair_flagged_as_similar(graded):
    root, manifest, _ = graded
    copies = {s["login"] for s in manifest["students"] if s["kind"] == "copy"}
    rows = _rows(root / "out" / "similarity.csv")
    assert rows[0] == ["assignment", "student_a", "student_b", "score", "exercise", "exercise_score"]
    flagged = {frozenset(r[1:3]) for r in rows[1:]}
    assert flagged == {frozenset(copies)}  # the copies top the list, and no honest pair reaches the threshold
    assert all(float(r[3]) >= THRESHOLD for r in rows[1:])
    page = (root / "out" / "similarity.html").read_text(encoding="utf-8")
    assert f"at least {THRESHOLD:.2f}" in page and "never a verdict" in page


def test_report_shows_pass_rates_mistakes_and_late_work(graded):
    root, manifest, _ = graded
    page = (root / "out" / "report.html").read_text(encoding="utf-8")
    wrong = {ex for s in manifest["students"] if s["kind"] == "partial" for ex in s["wrong"]}
    mistakes = page.split("Most common mistakes")[1].split("<h2>")[0]
    assert wrong and all(f"<td>{ex}</td>" in mistakes for ex in wrong)  # each wrongly answered exercise has a diagnosis
    late = page.split("Late submissions")[1]
    for s in manifest["students"]:
        if s["late"] and s["file"]:
            assert (f"<td>{s['login']}</td>" in late) == (not s["extension_hours"]), s["login"]
    assert "not handed in: notebook 03: 1." in page
    assert page.count('src="data:image/png;base64,') == 2


def test_chromium_opens_the_report_and_the_similarity_page(graded, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    from test_browser import open_in_chromium
    root, _, _ = graded
    for name, figures in (("report.html", 2), ("similarity.html", 1)):
        path = root / "out" / name
        seen = open_in_chromium(playwright, path, tmp_path / f"{path.stem}.png")
        assert not seen["events"] and seen["requests"] == [path.as_uri()]
        assert len(seen["images"]) == figures and all(w > 0 for w in seen["images"])  # no broken image

"""Written answers: collected from every submission into one review file that the instructor marks.

Each grade run writes ``OUT/written-review.csv``, one row per written question and student,
grouped by question::

    question,student,points,possible,comment,answer,changed,alike

The instructor fills in ``points`` (and, if they like, ``comment``, which the student sees in the
feedback). The next grade run reads the file first, keeps every mark, and merges the points
into ``grades.csv``, the exports and the feedback. A mark is never dropped: when a student's
answer changed since it was marked, the mark stays and ``changed`` says ``yes`` so the
instructor can look again. An answer not marked yet scores 0 and says so. A mark that is not
a number between 0 and the question's points, two rows giving one answer different marks, or a
mark on a row without question or student stops the run before anything is graded, naming the
row. Columns the instructor added are kept (after the grader's); blank rows are dropped.

``alike`` lists the other students whose answer to the same question shares at least 80 % of its
words, in order (:data:`ALIKE`): two answers written apart rarely do, so it is a lead to look at
side by side — never, by itself, a finding of copying.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..export.safe import csv_cell
from ..layout import CourseError, write_atomic
from ..authoring.nbgrader_cells import WRITTEN_STUB, cell_source, written_id

NAME = "written-review.csv"
COLUMNS = ["question", "student", "points", "possible", "comment", "answer", "changed", "alike"]
ALIKE = 0.8  # share of words in common (difflib's ratio over the words) from which two answers are listed as alike
MAX_ANSWER = 5000  # characters of a written answer kept in the review file


class ReviewError(CourseError):
    """The review file cannot be used as it stands: the message names the row and the fix."""


def collect(data: bytes, items: list) -> dict[str, str | None]:
    """``{written id: the student's text}`` from a notebook's bytes; None when the cell is gone or blank."""
    wanted = {w.id for w in items if not hasattr(w, "target")}
    if not wanted:
        return {}
    try:
        cells = json.loads(data).get("cells", [])
    except (ValueError, AttributeError, RecursionError, UnicodeDecodeError):
        return {}
    parts: dict[str, list[str]] = {w: [] for w in wanted}
    for cell in cells if isinstance(cells, list) else []:
        wid = written_id(cell) if isinstance(cell, dict) else None
        try:
            text = cell_source(cell) if wid in wanted else ""
        except TypeError:  # a source list holding other things than text: no answer there
            text = ""
        if isinstance(text, str) and text.strip() and text.strip() != WRITTEN_STUB:
            # a cell split or copied in JupyterLab keeps its metadata: every part of the answer counts, in order
            parts[wid].append(text.strip())
    return {w: _bounded("\n\n".join(texts)) or None for w, texts in parts.items()}


def _bounded(text: str) -> str:
    """``text`` up to :data:`MAX_ANSWER` characters, saying so when it goes on (the instructor marks what they see)."""
    if len(text) <= MAX_ANSWER:
        return text
    return f"{text[:MAX_ANSWER]} [... cut here: the answer has {len(text):,} characters; read it in the notebook]"


def load(out: Path, possible: dict[str, float]) -> dict[tuple[str, str], dict]:
    """The marks in ``out/written-review.csv`` (``{(question, student): row}``); {} when there is none yet."""
    path = Path(out) / NAME
    if not path.is_file():
        return {}
    try:
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise ReviewError(f"{path}: cannot be read ({err}); save it as CSV (UTF-8) again") from err
    if rows and not {"question", "student", "points"} <= set(rows[0]):
        header = ", ".join(str(k) for k in rows[0] if k is not None)
        fix = "; save it as CSV with commas between the columns" if ";" in header or "\t" in header else ""
        raise ReviewError(f"{path}: needs the columns question, student and points (it has {header}){fix}")
    marks, lines = {}, {}
    for number, row in enumerate(rows, 2):
        text = (row.get("points") or "").strip()
        if not (row.get("question") or "").strip() or not (row.get("student") or "").strip():
            if not text:
                continue  # a blank line a spreadsheet left: nothing to keep
            raise ReviewError(f"{path} line {number}: points {text!r} for no question or no student; fill in "
                              f"both (as the grader wrote them) or delete the line")
        key = (row["question"], row["student"])
        if key in marks and (marks[key].get("points") or "").strip() != text:
            raise ReviewError(f"{path} lines {lines[key]} and {number}: two marks for {key[0]}, {key[1]} "
                              f"({(marks[key].get('points') or '').strip()!r} and {text!r}); keep one line")
        lines[key] = number
        if text:
            try:
                value = float(text)
            except ValueError:
                value = float("nan")
            top = possible.get(row["question"], float("inf"))
            if not 0 <= value <= top:
                raise ReviewError(f"{path} line {number} ({row['question']}, {row['student']}): points {text!r} "
                                  f"must be a number from 0 to {top:g}; correct it or leave it empty")
        marks[key] = row
    return marks


def merge(out: Path, rows: dict, marks: dict) -> list[str]:
    """Score each written answer from the instructor's marks; rewrite the review file with every mark kept.

    Returns the marks that matched no answer of the batch (``"question, student"``): kept in the file
    as "no longer graded", and said in the log, since a renamed student folder leaves its mark there.
    """
    table = []
    # columns the instructor added (their own notes) are kept, after the grader's
    extra = list(dict.fromkeys(c for m in marks.values() for c in m if isinstance(c, str) and c not in COLUMNS))
    for student, entries in rows.items():
        for _, specs, points, outcome in entries:
            for w in (s for s in specs if not hasattr(s, "target")):
                pts = points.get(w.id, w.points)
                text = outcome.written.get(w.id)
                mark = marks.pop((w.id, csv_cell(student)), None) or {}
                given = (mark.get("points") or "").strip()
                answer = csv_cell(text or "")  # bounded by collect()
                changed = bool(given) and mark.get("answer", answer) != answer
                if given:
                    outcome.scores[w.id] = float(given)
                    outcome.notes[w.id] = ["marked by hand"] + ([f"comment: {mark['comment']}"] if mark.get("comment") else [])
                else:
                    outcome.scores[w.id] = 0.0
                    if outcome.notes.get(w.id) != ["not handed in"]:
                        outcome.notes[w.id] = ["no answer written" if text is None else "not marked yet"]
                table.append([w.id, csv_cell(student), given, f"{pts:g}", mark.get("comment", ""), answer,
                              "yes" if changed else "", ""] + [mark.get(c) or "" for c in extra])
    orphans = [f"{question}, {student}" for (question, student), mark in marks.items()
               if (mark.get("points") or "").strip()]
    for (question, student), mark in marks.items():  # a student no longer in the batch: the mark is kept
        table.append([question, student, mark.get("points", ""), mark.get("possible", ""), mark.get("comment", ""),
                      mark.get("answer", ""), "no longer graded", ""] + [mark.get(c) or "" for c in extra])
    _mark_alike(table)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS + extra)
    writer.writerows(sorted(([c or "" for c in r] for r in table), key=lambda r: (r[0], r[1])))
    write_atomic(Path(out) / NAME, buffer.getvalue())
    return orphans


def _words(text: str) -> list[str]:
    return [w for w in "".join(ch.lower() if ch.isalnum() else " " for ch in text).split()]


def _mark_alike(table: list[list]) -> None:
    """Fill each answered row's ``alike`` column with the students whose answer shares most of its words."""
    from difflib import SequenceMatcher

    by_question: dict[str, list] = {}
    for row in table:
        if row[5] and row[6] != "no longer graded":
            by_question.setdefault(row[0], []).append((row, _words(row[5])))
    for answers in by_question.values():
        for i, (row, words) in enumerate(answers):
            for other, other_words in answers[i + 1:]:
                matcher = SequenceMatcher(None, words, other_words, autojunk=False)
                if words and other_words and matcher.quick_ratio() >= ALIKE and matcher.ratio() >= ALIKE:
                    for a, b in ((row, other), (other, row)):
                        a[7] = f"{a[7]}; {b[1]}" if a[7] else b[1]

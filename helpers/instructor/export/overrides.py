"""Instructor overrides: a CSV the grader applies on every (re-)grade, and reports.

``overrides.csv`` columns: ``student`` (the roster's student id, or the name grades.csv
shows without a roster), ``item`` (an exercise id such as ``03.2-r-squared``), ``points``
(the score to set) or ``delta`` (added to the graded score; give exactly one of the two),
and ``reason`` (required; shown in the student's status and feedback). An entry whose
student or exercise is not in the batch is reported, never dropped silently; the file
itself is never changed by the grader.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ..layout import CourseError

COLUMNS = ("student", "item", "points", "delta", "reason")


@dataclass
class Override:
    """One line of the file."""

    line: int
    student: str
    item: str
    points: float | None
    delta: float | None
    reason: str


def _number(text: str, where: str) -> float | None:
    if not text.strip():
        return None
    try:
        return float(text)
    except ValueError as err:
        raise CourseError(f"{where}: {text!r} is not a number") from err


def read(path: Path) -> list[Override]:
    """The overrides of ``path``, with a :class:`CourseError` naming the line and the fix."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise CourseError(f"overrides {path}: cannot be read ({err}); save it as a UTF-8 CSV file") from err
    reader = csv.DictReader(text.splitlines())
    if sorted(reader.fieldnames or []) != sorted(COLUMNS):
        raise CourseError(f"overrides {path}: the header must be {','.join(COLUMNS)} (found {reader.fieldnames})")
    out = []
    for n, row in enumerate(reader, start=2):
        where = f"overrides {path}, line {n}"
        points, delta = _number(row["points"] or "", where), _number(row["delta"] or "", where)
        if (points is None) == (delta is None):
            raise CourseError(f"{where}: give either points or delta, not {'both' if points is not None else 'neither'}")
        if not (row["reason"] or "").strip() or not (row["student"] or "").strip() or not (row["item"] or "").strip():
            raise CourseError(f"{where}: student, item and reason are required")
        out.append(Override(n, row["student"].strip(), row["item"].strip(), points, delta, row["reason"].strip()))
    return out


def apply(rows: dict, overrides: list[Override]) -> list[str]:
    """Apply ``overrides`` to ``rows`` ({student: [(name, specs, points, outcome)]}); returns the report lines."""
    report = []
    for o in overrides:
        entries = rows.get(o.student)
        entry = next((e for e in entries or [] if o.item in e[3].scores), None)
        if entries is None or entry is None:
            what = "student" if entries is None else "exercise"
            report.append(f"line {o.line}: {what} {o.student if entries is None else o.item!r} not in this batch; "
                          f"not applied")
            continue
        outcome = entry[3]
        before = outcome.scores[o.item]
        outcome.scores[o.item] = o.points if o.points is not None else max(0.0, before + o.delta)  # never below 0
        change = f"set to {o.points:g}" if o.points is not None else f"{o.delta:+g}"
        outcome.status.append(f"instructor override on {o.item}: {before:g} -> {outcome.scores[o.item]:g} "
                              f"({change}): {o.reason}")
        report.append(f"line {o.line}: {o.student} {o.item} {before:g} -> {outcome.scores[o.item]:g}")
    return report

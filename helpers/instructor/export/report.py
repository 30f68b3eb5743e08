"""What the grader writes: ``grades.csv``, and one feedback file per student.

Both files are written to a temporary name and moved into place, so a reader never
sees half a file. Every student-controlled text goes through :mod:`.safe` for its place
(Markdown, CSV: formulas, markup, control characters and non-UTF-8 bytes made inert).
Feedback file names are a readable slug of the student's name plus a short hash of
the exact name, so "Zoë" and "Zoé" (or "ana" and "Ana") never share a file.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from pathlib import Path

from ..layout import write_atomic  # noqa: F401  (part of this module's API)
from .safe import csv_cell, md_text

csv_safe = csv_cell  # the name this module has always exported

_HIDDEN_EXPECTED = re.compile(r"expected (?!shape\b|it to raise\b|an? \w+(?:,|$))(.+?)(,|;) got ")
_HIDDEN_SUFFIX = re.compile(r" — expected .*?; got (.*)$")


def withheld(note: str) -> str:
    """A feedback note as a student may read it: what their code gave and why it is wrong, never the
    expected value of a hidden check (nor, so, anything computed from the hidden inputs).

    >>> withheld("check 1: intercept: expected 1, got -3")
    'check 1: intercept: expected another value, got -3'
    >>> withheld("check 2: transposed: expected shape (3, 4), got (4, 3)")
    'check 2: transposed: expected shape (3, 4), got (4, 3)'
    >>> withheld("check 1: the bias was regularised — expected shape (2,) float64 [0.1, 0.2]; got shape (2,) float64 [0.3, 0.2]")
    'check 1: the bias was regularised — got shape (2,) float64 [0.3, 0.2]'
    """
    note = _HIDDEN_SUFFIX.sub(lambda m: f" — got {m.group(1)}", note)
    return _HIDDEN_EXPECTED.sub(lambda m: f"expected another value{m.group(2)} got ", note)


def feedback_name(student: str) -> str:
    """A file name unique to this exact student name: ``zoe-1a2b3c4d.md``."""
    ascii_name = unicodedata.normalize("NFKD", student).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower()[:40] or "student"
    digest = hashlib.sha256(student.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{slug}-{digest}.md"


def feedback_text(student: str, rows: list) -> str:
    """Markdown feedback: ``rows`` are (notebook name, exercise specs, points, outcome)."""
    lines = [f"# Feedback for {md_text(student, 200)}", ""]
    for name, specs, points, outcome in rows:
        total = sum(outcome.scores.values())
        possible = sum(points.get(ex.id, ex.points) for ex in specs)
        lines += [f"## {md_text(name, 200)}", "", f"Score: {total:g} / {possible:g}", ""]
        if outcome.status:
            lines += ["Run:"] + [f"- {md_text(s, 300)}" for s in outcome.status] + [""]
        for ex in specs:
            pts = points.get(ex.id, ex.points)
            mark = "✔" if outcome.scores.get(ex.id) == pts else "✘"
            lines.append(f"- {mark} **{ex.id}** ({outcome.scores.get(ex.id, 0):g}/{pts:g}): "
                         + "; ".join(md_text(withheld(n), 300) for n in outcome.notes.get(ex.id, [])))
        lines.append("")
    return "\n".join(lines)


def grades_csv(all_ids: list[str], rows: list[dict]) -> str:
    """The CSV text: a header, then per student their scores, total, possible, percent and status."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *all_ids, "total", "possible", "percent", "status", "feedback"])
    for r in rows:
        scores = r["scores"]
        writer.writerow([csv_cell(r["student"]), *(f"{scores[i]:g}" if i in scores else "" for i in all_ids),
                         f"{r['total']:g}", f"{r['possible']:g}",
                         f"{100 * r['total'] / r['possible']:.1f}" if r["possible"] else "0.0",
                         csv_cell("; ".join(r["status"]) or "ok", 2000), r["feedback"]])
    return buffer.getvalue()

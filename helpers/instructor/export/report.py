"""What the grader writes: ``grades.csv``, and one feedback file per student.

Both files are written to a temporary name and moved into place, so a reader never
sees half a file. CSV fields a spreadsheet would take for a formula are escaped.
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

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|")


def csv_safe(value: str) -> str:
    """``value`` as a spreadsheet shows it: a leading ``=``/``+``/``-``/``@``/tab/CR gets a quote mark."""
    value = str(value)
    if value.startswith(FORMULA_START) and not re.fullmatch(r"-?\d+(\.\d+)?", value):
        return "'" + value
    return value


def feedback_name(student: str) -> str:
    """A file name unique to this exact student name: ``zoe-1a2b3c4d.md``."""
    ascii_name = unicodedata.normalize("NFKD", student).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower()[:40] or "student"
    digest = hashlib.sha256(student.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{slug}-{digest}.md"


def _line(text: str, limit: int = 300) -> str:
    return re.sub(r"\s+", " ", str(text))[:limit]


def feedback_text(student: str, rows: list) -> str:
    """Markdown feedback: ``rows`` are (notebook name, exercise specs, points, outcome)."""
    lines = [f"# Feedback for {_line(student, 200)}", ""]
    for name, specs, points, outcome in rows:
        total = sum(outcome.scores.values())
        possible = sum(points.get(ex.id, ex.points) for ex in specs)
        lines += [f"## {_line(name, 200)}", "", f"Score: {total:g} / {possible:g}", ""]
        if outcome.status:
            lines += ["Run:"] + [f"- {_line(s)}" for s in outcome.status] + [""]
        for ex in specs:
            pts = points.get(ex.id, ex.points)
            mark = "✔" if outcome.scores.get(ex.id) == pts else "✘"
            lines.append(f"- {mark} **{ex.id}** ({outcome.scores.get(ex.id, 0):g}/{pts:g}): "
                         + "; ".join(_line(n) for n in outcome.notes.get(ex.id, [])))
        lines.append("")
    return "\n".join(lines)


def grades_csv(all_ids: list[str], rows: list[dict]) -> str:
    """The CSV text: a header, then per student their scores, total, possible, percent and status."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *all_ids, "total", "possible", "percent", "status", "feedback"])
    for r in rows:
        scores = r["scores"]
        writer.writerow([csv_safe(r["student"]), *(f"{scores[i]:g}" if i in scores else "" for i in all_ids),
                         f"{r['total']:g}", f"{r['possible']:g}",
                         f"{100 * r['total'] / r['possible']:.1f}" if r["possible"] else "0.0",
                         csv_safe(_line("; ".join(r["status"]) or "ok", 2000)), r["feedback"]])
    return buffer.getvalue()

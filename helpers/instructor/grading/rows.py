"""The grader's rows: per student, one entry per assignment of the batch, handed in or not.

``{student: [(notebook name, graded items, points, outcome)]}`` is what every output is written
from (grades.csv, feedback, exports, the review file, the class report).
"""
from __future__ import annotations

from ... import questions
from .discover import Submission
from .score import Outcome


def student_rows(subs: list[Submission], graded: dict, keys: list[str], points: dict) -> dict:
    """{student: [(notebook name, specs, points, outcome)]}: one entry per assignment of the batch."""
    students: dict = {}
    for s in subs:
        students.setdefault(s.student, {})
    for s in subs:
        if s.skip is not None or s.key not in keys:
            note = s.skip or f"{s.path.name}: notebook {s.key} is not graded in this batch"
            students[s.student].setdefault("notes", []).append(note)
        else:
            students[s.student][s.key] = (s.path.name, graded[id(s)])
    rows = {}
    for student, found in students.items():
        notes, entries = found.get("notes", []), []
        for key in keys:
            specs = questions.graded_items(key)
            if key in found:
                name, outcome = found[key]
            else:
                name = f"notebook {key} (not handed in)"
                outcome = Outcome(scores={ex.id: 0.0 for ex in specs}, status=[f"no notebook {key} graded: 0 points"])
                outcome.notes = {ex.id: ["not handed in"] for ex in specs}
            entries.append((name, specs, points, outcome))
        if notes:
            if entries:
                entries[0][3].status[:0] = notes
            else:
                entries.append(("(nothing graded)", [], points, Outcome(status=notes)))
        rows[student] = entries
    return rows

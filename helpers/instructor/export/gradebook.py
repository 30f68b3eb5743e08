"""The stored gradebook ``OUT/gradebook.json``: what the exporters read (they never re-run anything).

Written by every grade run beside ``grades.csv``: per assignment its title and points
possible; per student (roster id, or the name without a roster) the roster fields, the
points per exercise and per assignment (after late penalty and overrides) and whether
the notebook was handed in.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..layout import CourseError, write_atomic

NAME = "gradebook.json"


def store(out: Path, rows: dict, keys: list[str], titles: dict, points: dict, students: dict) -> Path:
    """Write ``out/gradebook.json`` from the grader's rows; ``students`` is {id: roster Student}."""
    assignments, people = {}, {}
    for student, entries in rows.items():
        info = students.get(student)
        person = {"roster": vars(info) if info else None, "exercises": {}, "assignments": {}, "handed_in": {}}
        for name, specs, pts, outcome in entries:
            if not specs:
                continue
            key = specs[0].id.split(".")[0]
            possible = sum(pts.get(ex.id, ex.points) for ex in specs)
            assignments[key] = {"title": titles.get(key, key), "possible": possible,
                                "exercises": {ex.id: pts.get(ex.id, ex.points) for ex in specs}}
            person["exercises"].update({k: float(v) for k, v in outcome.scores.items()})
            person["assignments"][key] = round(sum(outcome.scores.values()), 4)
            person["handed_in"][key] = not name.endswith("(not handed in)")
        people[student] = person
    path = Path(out) / NAME
    write_atomic(path, json.dumps({"assignments": {k: assignments[k] for k in sorted(assignments)},
                                   "students": people}, indent=1))  # ASCII: a non-UTF-8 name round-trips as \\udcXX
    return path


def load(out: Path) -> dict:
    """The stored gradebook of a grading output folder."""
    path = Path(out) / NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise CourseError(f"{path}: no stored gradebook ({err}); grade first with python -m helpers.instructor.grade") from err

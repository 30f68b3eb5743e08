"""Moodle's CSV grade import (Grades > Import > CSV file).

One identifier column, ``Email address`` (map it in Moodle's import to the user field
"Email address"), then one column per grade item titled as the item (map each to its
grade item in the import's "Grade item mappings"). Only roster students with an e-mail
are written; a roster student without one is listed in the returned problems. Every cell
goes through :func:`.safe.csv_cell`.
"""
from __future__ import annotations

import csv
import io

from .safe import csv_cell


def moodle_csv(book: dict) -> tuple[str, list[str]]:
    """(CSV text, problems) from a stored gradebook (:func:`.gradebook.load`)."""
    keys = list(book["assignments"])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Email address"] + [csv_cell(book["assignments"][k]["title"]) for k in keys])
    problems = []
    for sid, person in sorted(book["students"].items()):
        r = person["roster"]
        if r is None:
            continue
        if not r["email"]:
            problems.append(f"{sid}: no e-mail on the roster, left out of the Moodle import")
            continue
        writer.writerow([csv_cell(r["email"])] + [f"{person['assignments'].get(k, 0):g}" for k in keys])
    return buffer.getvalue(), problems

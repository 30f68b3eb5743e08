"""Canvas gradebook CSV, as Canvas's Gradebook > Import accepts it.

Columns, in Canvas's order: ``Student`` ("Last, First"), ``ID`` (Canvas user id),
``SIS User ID``, ``SIS Login ID``, ``Section``, then one column per assignment. The
second row is Canvas's ``Points Possible`` row (the points of each assignment), as in
the file Canvas's own export writes. An assignment column is titled as in Canvas; give
``titles`` ``{"03": "Linear regression (12345)"}`` with the Canvas assignment id in
parentheses to update an existing assignment instead of creating a new one. Only roster
students are written (a submission matching nobody is in grades.csv and the report).
Every cell goes through :func:`.safe.csv_cell` (no spreadsheet formula survives).
"""
from __future__ import annotations

import csv
import io

from .safe import csv_cell

FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def _last_first(name: str) -> str:
    parts = name.split()
    return f"{parts[-1]}, {' '.join(parts[:-1])}" if len(parts) > 1 else name


def canvas_csv(book: dict, titles: dict | None = None) -> str:
    """The CSV text from a stored gradebook (:func:`.gradebook.load`)."""
    titles = titles or {}
    keys = list(book["assignments"])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FIXED + [csv_cell(titles.get(k, book["assignments"][k]["title"])) for k in keys])
    writer.writerow(["Points Possible", "", "", "", ""] + [f"{book['assignments'][k]['possible']:g}" for k in keys])
    for sid, person in sorted(book["students"].items()):
        r = person["roster"]
        if r is None:
            continue
        writer.writerow([csv_cell(_last_first(r["name"]) or sid), csv_cell(r["canvas_id"]), csv_cell(r["student_id"]),
                         csv_cell(r["sis_login"]), csv_cell(r["section"])]
                        + [f"{person['assignments'].get(k, 0):g}" for k in keys])
    return buffer.getvalue()

"""A long-format CSV for anything else: one row per student and exercise.

Columns: ``student`` (roster id, or the name without a roster), ``assignment``,
``exercise``, ``points``, ``possible``, ``handed_in`` (``yes``/``no``). Cells go through
:func:`.safe.csv_cell`.
"""
from __future__ import annotations

import csv
import io

from .safe import csv_cell

COLUMNS = ["student", "assignment", "exercise", "points", "possible", "handed_in"]


def long_csv(book: dict) -> str:
    """The CSV text from a stored gradebook (:func:`.gradebook.load`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for sid, person in sorted(book["students"].items()):
        for key, item in book["assignments"].items():
            for ex, possible in item["exercises"].items():
                writer.writerow([csv_cell(sid), key, ex, f"{person['exercises'].get(ex, 0):g}", f"{possible:g}",
                                 "yes" if person["handed_in"].get(key) else "no"])
    return buffer.getvalue()

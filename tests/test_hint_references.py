"""A hint that sends the student to a section names one that exists.

Hints end with the part of a notebook to re-read ("Re-read 'The bias-column trick'", "notebook 01's
section 7, 'Picking entries: ...'"). A title that is not a heading of that notebook sends the student
looking for something that is not there, as 04.5's hint once did for a section of 01 that did not exist.
"""
import json
import re

import pytest

from conftest import ROOT
from helpers import exercises
from helpers.instructor.authoring.build import solutions_in

NOTEBOOKS = dict(solutions_in(ROOT / "solutions"))
# "notebook 01's section 7, 'Title'", "section 7, 'Title'", "Notebook 01's section 2 ('Title')", "Re-read 'Title'"
_NUMBERED = re.compile(r"(?:[Nn]otebook (\d\d)'s )?section (\d+),? \(?'([^']+)'")
_TITLED = re.compile(r"Re-read '([^']+)'")


def _headings(key: str) -> set[str]:
    """Every Markdown heading of notebook ``key``, without backticks, both with and without its number."""
    found = set()
    for cell in json.loads(NOTEBOOKS[key].read_text())["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for line in "".join(cell["source"]).splitlines():
            if line.startswith("#"):
                title = line.lstrip("#").strip().replace("`", "")
                found.add(title)
                found.add(re.sub(r"^\d+\.\s*", "", title))
    return found


def _references(ex) -> list[tuple[str, str]]:
    """``(notebook, heading)`` for every section a hint of ``ex`` names by its title."""
    refs = []
    for text in ex.hints:
        for book, number, title in _NUMBERED.findall(text):
            refs.append((book or ex.notebook, f"{number}. {title}"))
        refs += [(ex.notebook, title) for title in _TITLED.findall(text)]
    return refs


@pytest.mark.parametrize("ex_id", [ex.id for key in NOTEBOOKS for ex in exercises.for_notebook(key)
                                   if _references(ex)])
def test_named_sections_exist(ex_id):
    ex = exercises.get(ex_id)
    missing = [f"notebook {book}: {title!r}" for book, title in _references(ex)
               if book not in NOTEBOOKS or title.replace("`", "") not in _headings(book)]
    assert not missing, f"{ex_id}'s hints name sections that are not headings: {missing}"


@pytest.mark.parametrize("ex_id", ["04.5-cross-entropy", "05.5-one-hot"])
def test_fancy_indexing_exercises_send_to_notebook_01(ex_id):
    """04.5 gathers one entry per row and 05.5 scatters one per column: 01 teaches both, and their hints say where."""
    refs = _references(exercises.get(ex_id))
    assert any(book == "01" and "index arrays" in title for book, title in refs), refs

"""The HTML feedback page and the zip a student receives: self-contained, inert, identical for identical feedback.

A hostile student name and diagnosis notes (tags, an ``onerror`` image, a Markdown link, a formula)
are rendered into a page that Chromium then opens from disk: nothing may run, nothing may be
fetched, and the text must be shown as the student wrote it.
"""
from __future__ import annotations

import re
import zipfile

import pytest

from helpers import exercises
from helpers.instructor.export.feedback_html import feedback_html, feedback_zip
from helpers.instructor.export.report import feedback_text
from helpers.instructor.grading.score import Outcome
from test_browser import open_in_chromium

HOSTILE = ('<script>window.__ran = 1; location.href = "https://example.invalid/"</script>'
           '<img src=x onerror="window.__ran = 2"> [click](javascript:window.__ran=3) =HYPERLINK("x")')


def hostile_rows():
    specs = exercises.for_notebook("03")
    outcome = Outcome(scores={ex.id: 0.0 for ex in specs}, notes={specs[0].id: [f"raised ValueError: {HOSTILE}"]},
                      status=[f"cell 3 printed {HOSTILE}"])
    return [("03_linear_regression.ipynb", specs, {}, outcome)]


def test_page_is_self_contained_and_escapes_student_text():
    page = feedback_html(HOSTILE, hostile_rows())
    assert not re.search(r"<(script|img|a|link|iframe)\b", page, re.IGNORECASE)
    assert "url(" not in page and "@import" not in page  # the inline CSS fetches nothing either
    assert page.count("&lt;script&gt;") == 4  # the name in the title and the heading, the note, the status
    assert "03.1-fit-line" in page and "Score: 0 / " in page


def test_zip_holds_the_markdown_and_the_page_with_the_same_bytes_each_time():
    rows = hostile_rows()
    markdown, page = feedback_text("erin", rows), feedback_html("erin", rows)
    first, second = feedback_zip("erin-1234", markdown, page), feedback_zip("erin-1234", markdown, page)
    assert first == second
    with zipfile.ZipFile(__import__("io").BytesIO(first)) as archive:
        assert sorted(archive.namelist()) == ["erin-1234.html", "erin-1234.md"]
        assert archive.read("erin-1234.html").decode() == page


def test_chromium_opens_the_page_and_nothing_runs(tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    path = tmp_path / "feedback.html"
    path.write_text(feedback_html(HOSTILE, hostile_rows()), encoding="utf-8")
    seen = open_in_chromium(playwright, path, tmp_path / "feedback.png")
    assert seen["ran"] is None and seen["url"] == path.as_uri() and not seen["events"]
    assert seen["requests"] == [path.as_uri()]  # the page itself, nothing else
    text = seen["text"]
    assert "<script>window.__ran = 1" in text and "[click](javascript:" in text  # shown as the student wrote it

"""Student-controlled text made inert for the place it is shown: one function per place.

Names come from file and folder names, messages from the student's own exceptions and
printed values: any of them may carry HTML, Markdown links, spreadsheet formulas,
terminal escape sequences, line breaks that imitate a verdict, or bytes that are not
UTF-8 (what unzip leaves of a Latin-1 name). Every writer of the grader passes such
text through the function for its target, never through its own escaping.

Examples
--------
>>> visible("Jos\\udce9\\x1b[31m red\\nline")
'Jos\\\\xe9\\\\x1b[31m red line'
>>> md_text("<script>alert(1)</script> [x](javascript:y)")
'\\\\<script\\\\>alert(1)\\\\</script\\\\> \\\\[x\\\\](javascript:y)'
>>> html_text("<img src=x onerror=alert(1)>")
'&lt;img src=x onerror=alert(1)&gt;'
>>> csv_cell("=HYPERLINK(\\"http://x\\")"), csv_cell("-1.5")
('\\'=HYPERLINK("http://x")', '-1.5')
>>> terminal_text("ok\\x1b]0;owned\\x07")
'ok\\\\x1b]0;owned\\\\x07'
"""
from __future__ import annotations

import html
import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|")
# C0 and C1 controls, DEL, and the Unicode format characters that reorder or hide text (bidi overrides,
# isolates, zero-width joiners): shown as escapes so that no byte can move the cursor, recolour a
# terminal or make text read differently from what it holds
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SURROGATE = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8, kept by surrogateescape
_MARKDOWN = re.compile(r"([\\<>&\[\]])")  # what makes tags, entities, links and images, and the escape itself


def _escape(match: re.Match) -> str:
    return f"\\x{ord(match.group()):02x}" if ord(match.group()) < 0x100 else f"\\u{ord(match.group()):04x}"


def visible(text, limit: int | None = None) -> str:
    """``text`` on one line, every control or invisible character and every non-UTF-8 byte shown as an escape."""
    text = _SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", str(text))
    text = re.sub(r"[\t\n\r\v\f]+", " ", text)
    text = _CONTROL.sub(_escape, text)
    return text if limit is None else text[:limit]


def terminal_text(text, limit: int | None = None) -> str:
    """For the instructor's terminal and log files: :func:`visible`."""
    return visible(text, limit)


def md_text(text, limit: int | None = None) -> str:
    """For Markdown: one line, with ``\\ < > & [ ]`` backslash-escaped.

    The reader sees the text itself: no HTML tag, entity, link or image can form (emphasis and code
    spans may, and do no harm), and since it stays on one line it cannot start a verdict line of its own.
    """
    return _MARKDOWN.sub(r"\\\1", visible(text, limit))


def html_text(text, limit: int | None = None) -> str:
    """For HTML (element content or a quoted attribute): :func:`visible`, then every ``<>&"'`` as an entity."""
    return html.escape(visible(text, limit), quote=True)


def csv_cell(text, limit: int | None = None) -> str:
    """For a CSV cell a spreadsheet opens: :func:`visible`, and a leading formula character gets a quote mark.

    Plain numbers (``-1.5``) stay numbers.
    """
    value = visible(text, limit)
    if value.startswith(FORMULA_START) and not re.fullmatch(r"-?\d+(\.\d+)?", value):
        return "'" + value
    return value

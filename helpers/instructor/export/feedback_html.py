"""The student's feedback as a self-contained HTML page, and one zip per student to upload.

The page has no JavaScript and loads nothing (inline CSS only), so it opens the same from a
learning platform, an e-mail or a disk. Every student-controlled text (the name, the run's
status lines, the diagnosis notes that quote printed values or exception messages) goes
through :func:`.safe.html_text`, so markup in it is shown, never run. The zip holds the
Markdown and the HTML of one student, with fixed timestamps so the same feedback gives the
same bytes.
"""
from __future__ import annotations

import io
import zipfile

from .report import withheld
from .safe import html_text

STYLE = """body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem}h2{font-size:1.2rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}
.ok{color:#1a7f37}.no{color:#b42318}li{margin:.3rem 0}.score{font-weight:bold}"""
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def feedback_html(student: str, rows: list) -> str:
    """The page for one student: ``rows`` are (notebook name, exercise specs, points, outcome).

    Parameters
    ----------
    student : str
        The student's name as the grader knows it (student-controlled: escaped).
    rows : list
        One (notebook name, exercise specs, points, outcome) per assignment, as for the Markdown.

    Returns
    -------
    str
        A complete HTML document, UTF-8, with no script, no link and no external resource.
    """
    name = html_text(student, 200)
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
             f"<title>Feedback for {name}</title><style>{STYLE}</style></head><body>",
             f"<h1>Feedback for {name}</h1>"]
    for notebook, specs, points, outcome in rows:
        total = sum(outcome.scores.values())
        possible = sum(points.get(ex.id, ex.points) for ex in specs)
        parts += [f"<h2>{html_text(notebook, 200)}</h2>",
                  f'<p class="score">Score: {total:g} / {possible:g}</p>']
        if outcome.status:
            parts += ["<p>Run:</p><ul>"] + [f"<li>{html_text(s, 300)}</li>" for s in outcome.status] + ["</ul>"]
        parts.append("<ul>")
        for ex in specs:
            pts = points.get(ex.id, ex.points)
            got = outcome.scores.get(ex.id, 0)
            ok = outcome.scores.get(ex.id) == pts
            notes = "; ".join(html_text(withheld(n), 300) for n in outcome.notes.get(ex.id, []))
            parts.append(f'<li><span class="{"ok" if ok else "no"}">{"✔" if ok else "✘"}</span> '
                         f"<b>{html_text(ex.id)}</b> ({got:g}/{pts:g}){': ' + notes if notes else ''}</li>")
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def feedback_zip(stem: str, markdown: str, page: str) -> bytes:
    """One student's zip: ``<stem>.md`` and ``<stem>.html``, identical bytes for identical feedback."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for suffix, text in ((".md", markdown), (".html", page)):
            info = zipfile.ZipInfo(stem + suffix, _ZIP_TIME)
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8", "surrogatepass"), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()

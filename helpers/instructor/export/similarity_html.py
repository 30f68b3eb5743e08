"""``OUT/similarity.html``: the pairs above the threshold with their code side by side, and a heat-map.

The page says what the numbers are: a lead for a person to read, never a verdict. Names and code
are the students' own text and go through :func:`.safe.html_text`; the page has no script and
loads nothing (its figures are data URIs).
"""
from __future__ import annotations

from . import figures
from .class_report import HEAD, STYLE
from .safe import html_text
from .similarity import THRESHOLD, WHY, flagged

CODE_STYLE = """.pair{display:grid;grid-template-columns:1fr 1fr;gap:.5rem}
pre{background:#f6f8fa;border:1px solid #ddd;padding:.4rem;overflow-x:auto;font-size:.8rem;white-space:pre-wrap}"""
LEAD = ("These scores are a lead for a person to check, never a verdict. A high score says that two "
        "submissions share much of their code once names, strings and layout are set aside; it does not "
        "say who wrote it, nor that anyone copied: students who worked together as allowed, who followed the "
        "same worked example, or whose answer is short and natural will be similar too. Read the code "
        "side by side and talk with the students before drawing any conclusion.")


def _code(text: str) -> str:
    # code keeps its lines: html_text makes each line inert (it also folds line breaks, so per line)
    return "\n".join(html_text(line, 300) for line in str(text).splitlines()[:200])


def similarity_html(assignments: list, threshold: float = THRESHOLD) -> str:
    """The page for the comparisons of :func:`.similarity.from_submissions`.

    Parameters
    ----------
    assignments : list of Assignment
        One per notebook graded.
    threshold : float
        Pairs scoring at least this are listed with their code.

    Returns
    -------
    str
        A complete HTML document with no script and no external resource.
    """
    parts = [HEAD.format(title="Similar submissions", style=STYLE + CODE_STYLE),
             "<h1>Similar submissions: leads to check</h1>", f"<p><b>{LEAD}</b></p>",
             '<p class="muted">For the instructor only: it shows students\' code.</p>',
             f"<p>Listed: pairs scoring at least {threshold:.2f}, chosen because {html_text(WHY)}. The score is the "
             "share of the shorter side's exercise code found in the other's (copydetect, winnowing over "
             "normalised tokens); the stub every student was given and the course's solution are left out, so "
             "code the course wrote never counts.</p>"]
    for a in assignments:
        parts.append(f"<h2>Notebook {html_text(a.key)}: {len(a.students)} submission(s)</h2>")
        if len(a.students) > 1:
            uri = figures.heat_map(a.students, a.matrix, threshold, f"Notebook {a.key}: similarity of each pair")
            parts.append(f'<img alt="heat-map of the pair scores of notebook {html_text(a.key)}" src="{uri}">')
        mine = [p for p in flagged([a], threshold)]
        if not mine:
            best = a.pairs[0].score if a.pairs else 0.0
            parts.append(f"<p>No pair at or above {threshold:.2f} (the highest scores {best:.2f}).</p>")
        for p in mine:
            parts.append(f"<h3>{html_text(p.a, 200)} and {html_text(p.b, 200)}: {p.score:.2f}</h3>")
            for ex, (score, code_a, code_b) in sorted(p.exercises.items()):
                parts.append(f"<p>{html_text(ex)}: {score:.2f} of the exercise's own code in common</p>"
                             f'<div class="pair"><pre>{_code(code_a)}</pre><pre>{_code(code_b)}</pre></div>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"

"""``OUT/report.html``: the class at a glance, written by every grade run from the graded rows.

What an instructor would change in the next lecture: the score distribution per assignment, the
pass rate per exercise, the most common diagnosed mistakes per exercise (the scorer's own
diagnoses, counted once per submission, with one example message in which the student's name
and id are replaced by ``[student]``), the cells that timed out, killed the kernel or raised,
and the late submissions. One self-contained file: inline CSS, figures as data URIs, no script,
nothing fetched (a Content-Security-Policy says so to the browser too). Every student-controlled
text goes through :func:`.safe.html_text`.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ...questions import Written
from ..grading.score import RIGHT, checks_passed, mistake_kind
from . import figures
from .safe import html_text

TOP_MISTAKES = 3  # per exercise
STYLE = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem}h2{font-size:1.2rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;
vertical-align:top}img{max-width:100%}.muted{color:#666}"""
HEAD = ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; '
        'style-src \'unsafe-inline\'">\n<title>{title}</title><style>{style}</style></head><body>\n')


@dataclass
class Summary:
    """What the report shows, computed from the graded rows (see :func:`summarise`)."""

    percents: dict = field(default_factory=dict)   # {assignment: [score % of each handed-in submission]}
    missing: Counter = field(default_factory=Counter)  # {assignment: students who handed in nothing}
    passed: dict = field(default_factory=dict)     # {exercise or question: [passed, evaluated]}
    mistakes: dict = field(default_factory=dict)   # {exercise: Counter(kind)}
    examples: dict = field(default_factory=dict)   # {(exercise, kind): one anonymised message}
    runs: dict = field(default_factory=dict)       # {assignment: Counter("timed out", "raised ValueError", ...)}
    late: list = field(default_factory=list)       # [(student, assignment, hours, note)]


def _anonymised(text: str, names: list[str]) -> str:
    for name in sorted((n for n in names if n), key=len, reverse=True):
        text = text.replace(name, "[student]")
    return text


def _passed(notes: list[str]) -> bool:
    """Every hidden check of an exercise passed, or a concept question answered right."""
    counted = checks_passed(notes)
    return bool(counted and counted[0] == counted[1]) or notes[:1] == [RIGHT]


#: Notes that say there was no work to judge, not what went wrong: the run's status counts those
NO_WORK = ("not implemented yet", "not evaluated", "not answered yet", "no answer written", "not marked yet")


def _diagnoses(notes: list[str]) -> list[tuple[str, str]]:
    """(kind, message) of each diagnosis in an item's notes (an exercise's first line is the checks count)."""
    out = []
    for line in notes[1:] if checks_passed(notes) else notes:
        message = line.split(": ", 1)[1] if line.startswith("check ") and ": " in line else line
        chosen = re.match(r"not the right answer \(yours: (.*?)\);", message)
        if chosen:  # a concept question: which wrong answer the class chose
            out.append((f"answered {chosen.group(1)}", message))
        elif message not in ("not handed in", RIGHT) and not message.startswith(NO_WORK):
            kind = mistake_kind(message.split(" — ")[0]).replace("-#", "#")  # the diagnosis, not the values
            out.append((kind, message))
    return out


def summarise(rows: dict, late: dict | None = None, aliases: dict | None = None) -> Summary:
    """The report's numbers from the grader's rows ``{student: [(notebook, specs, points, outcome)]}``.

    Parameters
    ----------
    rows : dict
        As :func:`helpers.instructor.grading.classroll.apply` returns them.
    late : dict, optional
        ``{student: {assignment: Lateness}}`` (``ClassOptions.late``).
    aliases : dict, optional
        ``{student: [other names of the student]}``, removed from the example messages.
    """
    out, aliases = Summary(), aliases or {}
    for student, entries in rows.items():
        for name, specs, points, outcome in entries:
            if not specs:
                continue
            key = specs[0].id.split(".")[0]
            if name.endswith("(not handed in)"):
                out.missing[key] += 1
                continue
            possible = sum(points.get(ex.id, ex.points) for ex in specs)
            out.percents.setdefault(key, []).append(100 * sum(outcome.scores.values()) / possible if possible else 0)
            for ex in specs:
                if isinstance(ex, Written):  # marked by hand, nothing diagnosed
                    continue
                notes = outcome.notes.get(ex.id, [])
                tally = out.passed.setdefault(ex.id, [0, 0])
                tally[0] += _passed(notes)
                tally[1] += 1
                kinds = out.mistakes.setdefault(ex.id, Counter())
                for kind, message in dict(_diagnoses(notes)).items():
                    kinds[kind] += 1
                    out.examples.setdefault((ex.id, kind), _anonymised(message, [student, *aliases.get(student, [])]))
            runs = out.runs.setdefault(key, Counter())
            run = outcome.run or {}
            runs.update({"timed out": 1} if run.get("timeouts") else {})
            runs.update({"kernel died": 1} if run.get("died") else {})
            runs.update({f"raised {n}": 1 for n in sorted({str(e[1]) for e in run.get("errors", [])})})
    for student, by_key in (late or {}).items():
        for key, when in sorted(by_key.items()):
            if when.late.total_seconds() > 0:
                out.late.append((student, key, when.late.total_seconds() / 3600, when.note))
    out.late.sort(key=lambda r: (r[1], -r[2], r[0]))
    return out


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>\n" for r in rows)
    return f"<table><tr>{head}</tr>\n{body}</table>"


def report_html(summary: Summary, similarity_note: str = "") -> str:
    """The page (a complete HTML document) for a :class:`Summary`."""
    s = summary
    parts = [HEAD.format(title="The class at a glance", style=STYLE), "<h1>The class at a glance</h1>",
             '<p class="muted">For the instructor only: it quotes expected values on the hidden inputs.</p>']
    count = sum(len(v) for v in s.percents.values())
    parts.append(f"<p>{count} graded submission(s); not handed in: "
                 + (", ".join(f"notebook {k}: {n}" for k, n in sorted(s.missing.items())) or "none") + ".</p>")
    parts.append("<h2>Scores per assignment</h2>")
    if s.percents:
        parts.append(f'<img alt="score distribution per assignment" src="{figures.score_distribution(s.percents)}">')
    rates = {ex: p / n for ex, (p, n) in sorted(s.passed.items()) if n}
    parts.append("<h2>Pass rate per exercise</h2>")
    if rates:
        parts.append(f'<img alt="pass rate per exercise" src="{figures.pass_rates(rates)}">')
        parts.append(_table(["exercise", "passed every check", "submissions"],
                            [[html_text(ex), f"{p}", f"{n}"] for ex, (p, n) in sorted(s.passed.items())]))
    parts.append("<h2>Most common mistakes per exercise</h2>"
                 "<p class=\"muted\">The grader's own diagnoses, counted once per submission; the example is one "
                 "student's message with their name removed.</p>")
    rows = []
    for ex, kinds in sorted(s.mistakes.items()):
        for kind, n in kinds.most_common(TOP_MISTAKES):
            rows.append([html_text(ex), html_text(kind, 200), f"{n}", html_text(s.examples[(ex, kind)], 300)])
    parts.append(_table(["exercise", "mistake", "submissions", "example message"], rows) if rows
                 else "<p>No mistake diagnosed.</p>")
    parts.append("<h2>Cells that timed out, killed the kernel or raised</h2>")
    runs = [[f"notebook {html_text(k)}", html_text(what, 120), f"{n}"]
            for k, c in sorted(s.runs.items()) for what, n in c.most_common()]
    parts.append(_table(["assignment", "what happened", "submissions"], runs) if runs else "<p>None.</p>")
    parts.append("<h2>Late submissions</h2>")
    late = [[html_text(who, 200), f"notebook {html_text(k)}", f"{h:.1f}", html_text(note, 300)]
            for who, k, h, note in s.late]
    parts.append(_table(["student", "assignment", "hours late", "policy applied"], late) if late
                 else "<p>None (or no <code>--deadlines</code> given).</p>")
    if similarity_note:
        parts.append(f"<h2>Similar submissions</h2><p>{similarity_note}</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"

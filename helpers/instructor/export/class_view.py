"""Write the instructor's views of the class: ``report.html``, ``similarity.html`` and ``similarity.csv``.

Called by every grade run after the grades (they never re-run a notebook). The similarity step
reads each graded submission's exercise cells again from disk; ``similarity=False``
(``--no-similarity``) leaves it out and says so. Each file is written atomically; the time each
step took is logged.
"""
from __future__ import annotations

import time
from pathlib import Path

from ..layout import write_atomic
from . import class_report, similarity, similarity_html


def write(out: Path, rows: dict, subs: list, keys: list[str], solutions: dict[str, Path], klass=None, *,
          compare: bool = True, log=print) -> dict[str, float]:
    """Write the report (and, with ``compare``, the similarity report); returns the seconds of each step.

    Parameters
    ----------
    out : Path
        The grading output folder.
    rows : dict
        The graded rows, keyed as in grades.csv (``classroll.apply``'s result).
    subs : list of Submission
        The batch's submissions (their notebooks are read for the similarity report).
    keys : list of str
        The graded assignments; ``solutions`` maps each to its solution notebook.
    klass : ClassOptions, optional
        Its ``late`` (the late table), ``ids`` (grader name -> roster id, the names the outputs
        use), ``students`` (every name, e-mail and id of a student is taken out of the report's
        example messages) and ``similarity`` (False: ``--no-similarity``).
    compare : bool
        Run the similarity step (when ``klass`` does not turn it off).
    """
    late, ids, students = (klass.late, klass.ids, klass.students) if klass else ({}, {}, {})
    compare = compare and bool(solutions) and (klass is None or klass.similarity)
    Path(out).mkdir(parents=True, exist_ok=True)
    aliases: dict = {}
    for name, sid in ids.items():
        aliases.setdefault(sid, []).append(name)
    for sid, row in students.items():
        aliases.setdefault(sid, []).extend([row.name, row.email, row.canvas_id, row.moodle_id, row.sis_login,
                                            *row.aliases])
    seconds = {}
    note = ""
    if compare:
        start = time.monotonic()
        found = similarity.from_submissions(subs, keys, solutions, ids)
        write_atomic(Path(out) / "similarity.csv", similarity.similarity_csv(found))
        write_atomic(Path(out) / "similarity.html", similarity_html.similarity_html(found))
        seconds["similarity"] = time.monotonic() - start
        n = len(similarity.flagged(found))
        note = (f'{n} pair(s) at or above {similarity.THRESHOLD:.2f}: see similarity.html '
                "(a lead for a person to check, never a verdict).")
        log(f"similarity: {n} pair(s) at or above {similarity.THRESHOLD:.2f} in {Path(out) / 'similarity.html'} "
            f"({seconds['similarity']:.1f} s; --no-similarity skips it)")
    start = time.monotonic()
    summary = class_report.summarise(rows, late, aliases)
    note = note or "Not compared this run (--no-similarity); a similarity.html here is from an earlier run."
    write_atomic(Path(out) / "report.html", class_report.report_html(summary, note))
    seconds["report"] = time.monotonic() - start
    log(f"wrote {Path(out) / 'report.html'} ({seconds['report']:.1f} s)")
    return seconds

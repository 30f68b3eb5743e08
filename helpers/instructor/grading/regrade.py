"""``--only``: regrade a few students of a batch already graded, reusing everyone else's finished runs.

A student asks for a regrade, or hands in again with an extension: the instructor names them
(``--only s1042 "Ada Lovelace"``) and only their notebooks run again; every other submission's
run comes from the results store (:mod:`.store`) and all outputs are written anew from the
whole batch. A name is matched as discovery named the submission (folder or file name) or,
with a roster, as the roster matches it (student id, e-mail, alias, name). Nothing runs when a
name matches no submission, or when another submission has no finished run to reuse (it is new,
or changed since): the message says which and what to do.
"""
from __future__ import annotations

from typing import Callable

from ..export.safe import terminal_text
from .discover import Submission, UsageError
from .roster import Roster, normal, read_roster


def _names(sub: Submission, roster: Roster | None) -> set[str]:
    names = {normal(sub.student)}
    if roster is not None:
        match = roster.match(sub.student, sub.path)
        if match.student is not None:
            info = match.student
            names |= {normal(k) for k in (info.student_id, info.email, info.name, *info.aliases) if k}
    return names


def chosen(only: list[str], todo: list[Submission], klass, fresh: bool,
           stored: Callable[[Submission], bool]) -> set[int]:
    """``id()`` of the submissions ``only`` names, after checking the batch can be regraded around them.

    ``stored(sub)`` tells whether a finished run of ``sub`` is kept. Raises :class:`UsageError`.
    """
    if fresh:
        raise UsageError("--only reuses everyone else's finished runs: it cannot be combined with --fresh")
    roster = Roster(read_roster(klass.roster)) if klass is not None and klass.roster else None
    names = {id(s): _names(s, roster) for s in todo}
    picked = {i for i, n in names.items() if n & {normal(x) for x in only}}
    unknown = [x for x in only if not any(normal(x) in n for n in names.values())]
    if unknown:
        raise UsageError("--only: no submission of " + ", ".join(terminal_text(x) for x in unknown)
                         + " in this batch (use the folder or file name, or with --roster the student id or e-mail)")
    others = [s for s in todo if id(s) not in picked]
    missing = [f"{s.student} ({s.path.name})" for s in others if not stored(s)]
    if len(others) > 1 and len(missing) == len(others):  # not a few new notebooks: what they all depend on changed
        raise UsageError(f"--only regrades a few students of a batch already graded, but all {len(others)} other "
                         f"submissions have no finished run in this output folder that matches the current solution "
                         f"notebooks, course code and settings (--cell-timeout, --memory, ...): one of those changed "
                         f"since the batch was graded, or it never was; grade the whole batch without --only")
    if missing:
        raise UsageError(f"--only regrades a few students of a batch already graded, but {len(missing)} other "
                         f"submission(s) have no finished run in this output folder (new, or changed since): "
                         f"{terminal_text(', '.join(missing[:10]))}{' ...' if len(missing) > 10 else ''}; "
                         f"grade the whole batch without --only (it reuses every finished run)")
    return picked

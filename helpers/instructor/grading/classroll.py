"""The class options of the grader: roster, deadlines and overrides applied to the graded rows.

:func:`apply` takes the grader's rows ``{student name: [(notebook name, specs, points,
outcome)]}`` and returns them keyed by the roster's student ids: every roster student
appears (0 and "not handed in" when nothing was), a submission matching nobody (or
several students) is reported in ``problems`` and kept under its own name, late work is
scaled by the late policy with the reason in the student's status (which also reaches the
feedback), and the instructor's overrides are applied last. Without a roster, deadlines or
overrides the rows pass through unchanged.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ... import questions
from ..export import overrides as overrides_mod
from ..layout import CourseError
from .deadlines import lateness, read_deadlines, submission_time
from .roster import Roster, read_roster
from .score import Outcome


@dataclass
class ClassOptions:
    """What the instructor gave: ``--roster``, ``--deadlines``, ``--collect-manifest``, ``--overrides``."""

    roster: Path | None = None
    deadlines: Path | None = None
    manifest: Path | None = None
    overrides: Path | None = None
    problems: list = field(default_factory=list)
    late: dict = field(default_factory=dict)  # {student: {key: Lateness}}
    students: dict = field(default_factory=dict)  # {student id: roster Student}
    ids: dict = field(default_factory=dict)  # {the grader's student name: roster student id}
    similarity: bool = True  # write the similarity report (``--no-similarity`` turns it off)

    def validate(self) -> None:
        """Read every given file now, so a mistake in one is named before any grading starts."""
        if self.roster:
            read_roster(self.roster)
        if self.deadlines:
            read_deadlines(self.deadlines)
        if self.overrides:
            overrides_mod.read(self.overrides)
        if self.manifest:
            try:
                json.loads(Path(self.manifest).read_text(encoding="utf-8"))
            except (OSError, ValueError) as err:
                raise CourseError(f"collect manifest {self.manifest}: cannot be read ({err}); "
                                  'expected JSON {"student_id": {"03": "2026-03-02T23:00:00+01:00"}}') from err


def _missing_entry(key: str, points: dict):
    specs = questions.graded_items(key)
    outcome = Outcome(scores={ex.id: 0.0 for ex in specs}, status=[f"notebook {key}: not handed in"])
    outcome.notes = {ex.id: ["not handed in"] for ex in specs}
    return (f"notebook {key} (not handed in)", specs, points, outcome)


def _by_roster(rows: dict, subs: list, keys: list[str], points: dict, opts: ClassOptions, log) -> dict:
    roster = Roster(read_roster(opts.roster))
    opts.students = {s.student_id: s for s in roster.students}
    out: dict = {}
    for student, entries in rows.items():
        mine = [s for s in subs if s.student == student]
        matches = {m.student.student_id if m.student else None: m
                   for m in (roster.match(student, s.path) for s in mine[:1] or [None]) if m}
        m = next(iter(matches.values()), None)
        if m is None or m.student is None:
            problem = (m.problem if m else f"{student}: matches nobody on the roster")
            opts.problems.append(problem)
            log(f"roster: {problem}")
            out[student] = entries
            for name, _, _, outcome in entries[:1]:
                outcome.status.insert(0, f"not on the roster: {problem}")
            continue
        sid = m.student.student_id
        if sid in out:
            problem = f"{student}: a second submission for roster student {sid} (also {out[sid][0][0]}); kept apart"
            opts.problems.append(problem)
            log(f"roster: {problem}")
            out[student] = entries
            continue
        opts.ids[student] = sid
        if m.late_flag:
            entries[0][3].status.append("the platform marked this file LATE")
        out[sid] = entries
    for sid in opts.students:
        out.setdefault(sid, [_missing_entry(key, points) for key in keys])
    return out


def _apply_late(rows: dict, subs: list, opts: ClassOptions, log) -> None:
    policies, extensions = read_deadlines(opts.deadlines)
    manifest = json.loads(Path(opts.manifest).read_text(encoding="utf-8")) if opts.manifest else {}
    paths = {}
    for s in subs:
        if s.skip is None:
            paths[(s.student, s.key)] = s.path
    aliases = {}
    if opts.roster:
        roster = Roster(list(opts.students.values()))
        for (student, key), path in paths.items():
            m = roster.match(student, path)
            if m.student:
                aliases[(m.student.student_id, key)] = path
    paths.update(aliases)
    for student, entries in rows.items():
        for key, policy in policies.items():
            path = paths.get((student, key))
            entry = next((e for e in entries if e[1] and e[1][0].id.startswith(key + ".")), None)
            if path is None or entry is None:
                continue
            when, source = submission_time(student, key, path, manifest)
            late = lateness(policy, when, source, extensions.get(student, {}).get(key, 0))
            opts.late.setdefault(student, {})[key] = late
            outcome = entry[3]
            if late.factor != 1.0:
                outcome.scores = {k: round(v * late.factor, 4) for k, v in outcome.scores.items()}
                outcome.status.append(f"notebook {key}: {late.note}")
            elif late.note.startswith("on time (extension"):
                outcome.status.append(f"notebook {key}: {late.note}")


def apply(rows: dict, subs: list, keys: list[str], points: dict, opts: ClassOptions | None, log=print) -> dict:
    """The rows with roster, late policy and overrides applied (see the module's docstring)."""
    if opts is None:
        return rows
    if opts.roster:
        rows = _by_roster(rows, subs, keys, points, opts, log)
    if opts.deadlines:
        _apply_late(rows, subs, opts, log)
    if opts.overrides:
        for line in overrides_mod.apply(rows, overrides_mod.read(opts.overrides)):
            opts.problems.append(line)
            log(f"overrides: {line}")
    return rows


def write_exports(out: Path, rows: dict, keys: list[str], points: dict, opts: ClassOptions | None, log=print) -> None:
    """Store ``gradebook.json`` and write from it the Canvas, Moodle and long-format CSVs."""
    from ..export import canvas, gradebook, long_csv, moodle
    from ..layout import write_atomic
    gradebook.store(out, rows, keys, {k: f"Notebook {k}" for k in keys}, points, opts.students if opts else {})
    book = gradebook.load(out)
    write_atomic(Path(out) / "grades-long.csv", long_csv.long_csv(book))
    if opts and opts.roster:
        write_atomic(Path(out) / "canvas.csv", canvas.canvas_csv(book))
        text, problems = moodle.moodle_csv(book)
        write_atomic(Path(out) / "moodle.csv", text)
        opts.problems += problems
    if opts and opts.problems:
        write_atomic(Path(out) / "class-problems.txt", "".join(f"{p}\n" for p in opts.problems))
        log(f"{len(opts.problems)} roster/deadline/override problem(s): see {Path(out) / 'class-problems.txt'}")

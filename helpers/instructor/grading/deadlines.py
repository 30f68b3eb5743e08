"""Due dates, grace, late policy and extensions: one small TOML file per course.

Example ``deadlines.toml``::

    [assignments."03"]
    due = 2026-03-02T23:59:00+01:00      # a time zone is required
    grace_minutes = 15                   # late by less than this counts as on time
    penalty_per_day = 10                 # percent of the score per started day late
    # penalty_per_hour = 1               # ... or per started hour (not both)
    cap = 50                             # at most this percent is taken off
    # no_credit_after_days = 7           # later than this: 0 points

    [extensions]
    s1008 = { "03" = 72 }                # hours added to this student's due date

The submission time of each student comes from the first source that has one: the
platform's metadata (``--collect-manifest``, a JSON ``{"student_id": {"03": "ISO time"}}``
written by the collect step or converted from the platform's export), else the file's
modification time. The source used is reported per student. A Canvas file name marked
``LATE`` is noted but carries no time.
"""
from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ..layout import CourseError

_POLICY = {"due", "grace_minutes", "penalty_per_day", "penalty_per_hour", "cap", "no_credit_after_days"}


@dataclass
class Policy:
    """One assignment's deadline and late policy."""

    due: datetime
    grace: timedelta = timedelta(0)
    per_day: float = 0.0
    per_hour: float = 0.0
    cap: float = 100.0
    no_credit_after: timedelta | None = None


@dataclass
class Lateness:
    """How late one submission was and what it costs: ``factor`` multiplies the score."""

    late: timedelta
    factor: float
    source: str
    note: str


def read_deadlines(path: Path) -> tuple[dict[str, Policy], dict[str, dict[str, float]]]:
    """({assignment: policy}, {student id: {assignment: extension hours}}) from ``path``."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise CourseError(f"deadlines {path}: cannot be read ({err}); see INSTRUCTORS.md, 'Deadlines'") from err
    unknown_tables = set(data) - {"assignments", "extensions"}
    if unknown_tables:
        raise CourseError(f"deadlines {path}: unknown table(s) {sorted(unknown_tables)}; use [assignments.\"NN\"] and [extensions]")
    policies = {}
    for key, spec in data.get("assignments", {}).items():
        where = f"deadlines {path}, assignment {key!r}"
        extra = set(spec) - _POLICY
        if extra:
            raise CourseError(f"{where}: unknown setting(s) {sorted(extra)}; the settings are {sorted(_POLICY)}")
        due = spec.get("due")
        if not isinstance(due, datetime) or due.tzinfo is None:
            raise CourseError(f"{where}: 'due' must be a date and time with a time zone, like 2026-03-02T23:59:00+01:00")
        if "penalty_per_day" in spec and "penalty_per_hour" in spec:
            raise CourseError(f"{where}: give penalty_per_day or penalty_per_hour, not both")
        numbers = {k: v for k, v in spec.items() if k != "due"}
        bad = [k for k, v in numbers.items() if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0]
        if bad or not 0 <= spec.get("cap", 100) <= 100:
            raise CourseError(f"{where}: {', '.join(bad) or 'cap'} must be a number >= 0 (cap: a percent, 0 to 100)")
        after = spec.get("no_credit_after_days")
        policies[key] = Policy(due, timedelta(minutes=spec.get("grace_minutes", 0)), spec.get("penalty_per_day", 0.0),
                               spec.get("penalty_per_hour", 0.0), spec.get("cap", 100.0),
                               None if after is None else timedelta(days=after))
    extensions = {}
    for student, given in data.get("extensions", {}).items():
        if not isinstance(given, dict) or not all(isinstance(v, (int, float)) and v >= 0 for v in given.values()):
            raise CourseError(f"deadlines {path}, extensions for {student!r}: expected {{ \"NN\" = hours }}")
        unknown = set(given) - set(policies)
        if unknown:
            raise CourseError(f"deadlines {path}, extensions for {student!r}: no assignment {sorted(unknown)} in [assignments]")
        extensions[student] = dict(given)
    return policies, extensions


def submission_time(student: str, key: str, path: Path, manifest: dict) -> tuple[datetime, str]:
    """When ``student`` handed in ``key``, and the source that says so."""
    stamp = manifest.get(student, {}).get(key)
    if stamp:
        when = datetime.fromisoformat(stamp)
        if when.tzinfo is None:
            raise CourseError(f"collect manifest: time {stamp!r} of {student} has no time zone")
        return when, "collect manifest"
    return datetime.fromtimestamp(Path(path).stat().st_mtime, timezone.utc), "file modification time"


def lateness(policy: Policy, when: datetime, source: str, extension_hours: float = 0) -> Lateness:
    """What a submission at ``when`` costs under ``policy`` (after grace and the student's extension)."""
    due = policy.due + timedelta(hours=extension_hours)
    late = when - due
    ext = f" (extension of {extension_hours:g} h)" if extension_hours else ""
    if late <= policy.grace:
        return Lateness(timedelta(0), 1.0, source, f"on time{ext}; time from the {source}")
    hours = late.total_seconds() / 3600
    if policy.no_credit_after is not None and late > policy.no_credit_after:
        return Lateness(late, 0.0, source, f"late by {hours:.1f} h{ext}: after the last day credit is given, 0 points; "
                                           f"time from the {source}")
    taken = (policy.per_day * math.ceil(hours / 24) if policy.per_day else policy.per_hour * math.ceil(hours))
    taken = min(taken, policy.cap)
    return Lateness(late, 1 - taken / 100, source,
                    f"late by {hours:.1f} h{ext}: penalty {taken:g}% of the score; time from the {source}")

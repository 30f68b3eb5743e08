"""Deadlines: the late policy as configured, extensions, grace, and named errors for bad files."""
from datetime import datetime, timedelta, timezone

import pytest

from helpers.instructor.grading.deadlines import lateness, read_deadlines
from helpers.instructor.layout import CourseError

TOML = """
[assignments."03"]
due = 2026-03-02T23:59:00+01:00
grace_minutes = 15
penalty_per_day = 10
cap = 25
[assignments."02"]
due = 2026-03-01T12:00:00Z
penalty_per_hour = 2
no_credit_after_days = 2
[extensions]
s1 = { "03" = 72 }
"""


@pytest.fixture
def config(tmp_path):
    (tmp_path / "d.toml").write_text(TOML, encoding="utf-8")
    return read_deadlines(tmp_path / "d.toml")


def test_penalty_per_started_day_with_grace_and_cap(config):
    policies, _ = config
    due = policies["03"].due
    assert lateness(policies["03"], due + timedelta(minutes=10), "x").factor == 1.0
    assert lateness(policies["03"], due + timedelta(hours=30), "x").factor == pytest.approx(0.8)
    assert lateness(policies["03"], due + timedelta(days=9), "x").factor == pytest.approx(0.75)


def test_extension_moves_the_due_date(config):
    policies, ext = config
    late = lateness(policies["03"], policies["03"].due + timedelta(hours=30), "file modification time", ext["s1"]["03"])
    assert late.factor == 1.0 and "extension of 72 h" in late.note and "file modification time" in late.note


def test_per_hour_and_no_credit_after(config):
    policies, _ = config
    due = policies["02"].due
    assert lateness(policies["02"], due + timedelta(hours=2, minutes=1), "x").factor == pytest.approx(0.94)
    assert lateness(policies["02"], due + timedelta(days=3), "x").factor == 0.0


@pytest.mark.parametrize("text, words", [
    ('[assignments."03"]\ndue = 2026-03-02T23:59:00\n', "time zone"),
    ('[assignments."03"]\ndue = 2026-03-02T23:59:00Z\npenalty_per_day = 1\npenalty_per_hour = 1\n', "not both"),
    ('[assignments."03"]\ndue = 2026-03-02T23:59:00Z\nlate = 1\n', "unknown setting"),
    ('[extensions]\ns1 = { "09" = 3 }\n', "no assignment"),
])
def test_bad_config_is_named(tmp_path, text, words):
    (tmp_path / "d.toml").write_text(text, encoding="utf-8")
    with pytest.raises(CourseError, match=words):
        read_deadlines(tmp_path / "d.toml")

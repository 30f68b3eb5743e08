"""The learner's one-line self-check: passes right answers, explains wrong ones, never shows answer code."""
import re
import time

import numpy as np
import pytest

from helpers import exercises
from helpers.checks import check, compare
from toy import SPECS


@pytest.fixture
def toy(toy_course, monkeypatch):
    exercises.load_spec_file(SPECS)
    monkeypatch.setenv("COURSE_CHECKDATA", str(toy_course["checkdata"]))


def verdict(capsys, exercise_id, target):
    start = time.perf_counter()
    check(exercise_id, target)
    assert time.perf_counter() - start < 1.0  # instant feedback
    return capsys.readouterr().out


def right(X):
    return X / np.sum(X, axis=1)[:, None]


def not_yet(X):
    raise NotImplementedError()


def transposed(X):
    return (X / X.sum(axis=1, keepdims=True)).T


def wrong_axis(X):
    return X / X.sum(axis=0, keepdims=True)


def keepdims_missing(X):
    return X.sum(axis=1)


def mutates(X):
    X /= X.sum(axis=1, keepdims=True)
    return X


def halved(X):
    return X / X.sum(axis=1, keepdims=True) / 2


def nan(X):
    with np.errstate(all="ignore"):
        return X / 0.0 * 0


def forgot_return(X):
    X / X.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("target, expected", [
    (right, "90.1-normalize-rows ✔ all 3 checks passed"),
    (not_yet, "90.1-normalize-rows ✘ not implemented yet — write your code in the cell of Exercise 90.1"),
    (transposed, "transposed: expected shape (3, 4), got (4, 3)"),
    (wrong_axis, "values differ"),
    (keepdims_missing, "wrong shape: expected (3, 4), got (3,) (did you reduce over the wrong axis?)"),
    (mutates, "changed its input in place (argument 1)"),
    (halved, "off by a constant factor: your values are 0.5 × the expected ones"),
    (nan, "contains NaN or inf"),
    (forgot_return, "returned None: did you forget `return`?"),
])
def test_normalize_rows_variants(toy, capsys, target, expected):
    out = verdict(capsys, "90.1-normalize-rows", target)
    assert expected in out
    if target is not_yet:  # says only that, and where: no hint, no input, nothing to copy
        assert out.count("\n") == 1 and "hint" not in out
    elif target is not right:
        assert "hint: Each row must sum to 1." in out
        assert "keepdims=True)" not in out.split("got:")[0].split("hint")[0] or target is keepdims_missing


def test_failure_shows_input_expected_and_got(toy, capsys):
    out = verdict(capsys, "90.1-normalize-rows", wrong_axis)
    assert "input 1:  shape (3, 4) float64 [" in out
    assert "expected: shape (3, 4) float64 [" in out and "got:      shape (3, 4) float64 [" in out


def test_off_by_one_and_class_checks(toy, capsys):
    out = verdict(capsys, "90.2-count-above", lambda x, t: int(np.sum(x >= t)))
    assert "✘" in out and re.search(r"check \d failed — expected (\d+), got (\d+)", out)
    expected, got = map(int, re.search(r"expected (\d+), got (\d+)", out).groups())
    assert got > expected  # counting the ties too is visible in the numbers

    class NoReturnSelf:
        def fit(self, X):
            self.mean_ = X.mean(axis=0)

        def transform(self, X):
            return X - self.mean_

    out = verdict(capsys, "90.3-scaler", NoReturnSelf)
    assert "raised AttributeError: 'NoneType' object has no attribute" in out and "returns self" in out

    class Good:
        def fit(self, X):
            self.mean_ = np.mean(X, axis=0)
            return self

        def transform(self, X):
            return X - self.mean_

    assert "✔ all 2 checks passed" in verdict(capsys, "90.3-scaler", Good)


def test_endless_loop_is_stopped(toy, capsys, monkeypatch):
    import helpers.checks

    monkeypatch.setattr(helpers.checks, "CASE_TIME_LIMIT", 0.2)

    def forever(x, t):
        while True:
            pass

    check("90.2-count-above", forever)
    assert "raised CaseTimeout: did not finish within 0.2 s (an endless loop?)" in capsys.readouterr().out


def test_unknown_id_lists_the_valid_ones(toy):
    with pytest.raises(KeyError, match="90.1-normalize-rows, 90.2-count-above, 90.3-scaler"):
        check("90.9-nope", right)


def test_missing_check_data_says_what_to_run(toy, monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_CHECKDATA", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="python -m helpers.instructor.build"):
        check("90.1-normalize-rows", right)


def test_compare_structures():
    assert compare({"a": np.ones(2)}, {"a": np.ones(2)}) is None
    assert "expected keys ['a'], got ['b']" in compare({"a": 1.0}, {"b": 1.0}).cause
    assert "[item 1]" in compare((1.0, np.ones(3)), (1.0, np.zeros(3))).cause
    assert "off by a constant: your values are the expected ones +1" in compare(np.arange(4.0), np.arange(4.0) + 1).cause
    assert compare(np.array([1, 2]), [1, 2]) is None  # a list where an array was expected is fine
    assert "expected a number or array, got str" in compare(1.0, "1.0").cause

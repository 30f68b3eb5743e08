"""The learner's one-line self-check: passes right answers, explains wrong ones, never shows answer code."""
import re
import time

import numpy as np
import pytest

from helpers import exercises
from helpers.checks import check, compare, judge
from helpers.exercises import raised_name
from helpers.serialize import RaisedError
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
    (mutates, "changed its input in place (`X`)"),  # the parameter as the learner named it
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
    assert "input `X`:  shape (3, 4) float64 [" in out  # the parameter's own name
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
    assert compare((1.0, np.ones(3)), (1.0, np.zeros(3))).cause.startswith("item 1: ")
    nested = compare(((1.0, 2.0), 3.0), ((1.0, 5.0), 3.0)).cause
    assert nested.startswith("item 0, item 1: ") and "[" not in nested.split(":")[0]
    assert "off by a constant: your values are the expected ones +1" in compare(np.arange(4.0), np.arange(4.0) + 1).cause
    assert compare(np.array([1, 2]), [1, 2]) is None  # a list where an array was expected is fine
    assert "expected a number, got a str" in compare(1.0, "1.0").cause


@pytest.mark.parametrize("expected, got, cause", [
    (3, 4, "off by one: expected 3, got 4"),
    (2.5, -2.5, "wrong sign"),
    (0.25, 25.0, "off by a constant factor: your values are 100 × the expected ones"),
    (1.5, 1.5 / 8, "0.125 × the expected ones"),
    (0.5, 0.37, "expected 0.5, got 0.37"),  # no made-up factor between two unrelated numbers
    (np.arange(1.0, 4.0), -np.arange(1.0, 4.0), "wrong sign: your values are the negatives"),
    ((1.0, np.ones(3)), (np.ones(3), 1.0), "items 0 and 1 are swapped"),
    ([2.0, 3.0, 5.0], [2.0, 5.0, 3.0], "items 1 and 2 are swapped"),
    ({"a": 1.0, "b": 2.0}, {"a": 2.0, "b": 1.0}, "the values of 'a' and 'b' are swapped"),
    ((1.0, 2.0), np.array([1.0, 2.0]), "expected a tuple of 2, got an array of shape (2,)"),
    (np.ones(3), np.ma.masked_array(np.ones(3)), "expected a plain ndarray, got a masked array"),
    (np.ma.masked_array(np.ones(3)), np.ones(3), "expected a masked array (np.ma), got a plain ndarray"),
    (np.array([True, False]), np.array([1, 0]), "expected True/False values, got numbers"),
    (True, 1.0, "expected True/False values, got numbers"),
    (2 ** 70, 2 ** 70 + 1, f"expected {2 ** 70}, got {2 ** 70 + 1}"),
    (np.ones(2), np.array([1 + 1j, 1]), "complex numbers where real ones are expected"),
    ("ValueError", "no error", "expected 'ValueError', got 'no error'"),
])
def test_compare_diagnoses(expected, got, cause):
    problem = compare(expected, got)
    assert problem is not None and cause in problem.cause, problem


def test_compare_accepts_equal_values_of_another_kind():
    assert compare(np.arange(3), np.arange(3.0)) is None  # an int result computed as floats
    assert compare([1.0, 2.0], np.array([1.0, 2.0])) is None  # a list of numbers, or an array of them
    assert compare((1.0, 2.0), [1.0, 2.0]) is None and compare(2.0, np.float32(2.0)) is None
    assert compare(np.str_("x"), "x") is None and compare(np.nan, float("nan")) is None


def test_check_dtype_is_exact_when_asked():
    assert "expected dtype int64, got float64 (the values are right)" in compare(
        np.arange(3), np.arange(3.0), check_dtype=True).cause
    assert compare(np.arange(3), np.arange(3), check_dtype=True) is None
    assert "expected an integer, got dtype float64" in compare(3, 3.0, check_dtype=True).cause
    assert compare(3, np.int32(3), check_dtype=True) is None  # a plain int asks for an integer kind


def test_an_exception_expected_is_an_exception_raised():
    raised = RaisedError("ValueError", "bad")
    assert compare(raised, RaisedError("ValueError", "other words")) is None
    assert "expected it to raise ValueError, but it raised KeyError" in compare(raised, RaisedError("KeyError", "")).cause
    assert "expected it to raise ValueError on this input, but it returned a number" in compare(raised, 1.0).cause

    class HeaderError(ValueError):
        pass

    def parse(data):
        raise HeaderError("wrong magic number")

    assert raised_name(lambda: parse(b""), family=ValueError) == "ValueError"  # the spec-level mechanism


def test_what_the_code_did_is_said_not_blamed(toy, capsys):
    out = verdict(capsys, "90.1-normalize-rows", lambda X: (row for row in X))
    assert "returned a generator, not the values" in out and "TypeError" not in out

    def noisy(X):
        print("shape is", X.shape)
        return X

    out = verdict(capsys, "90.1-normalize-rows", noisy)
    assert "your code printed (first lines):\n    | shape is (3, 4)" in out

    def exits(X):
        raise SystemExit(3)

    assert "raised SystemExit: 3" in verdict(capsys, "90.1-normalize-rows", exits)
    assert verdict(capsys, "90.1-normalize-rows", right(np.ones((2, 2)))).startswith(
        "90.1-normalize-rows ✘ expected the function `normalize_rows` itself, got an ndarray")


def test_judge_never_raises_on_a_malformed_record():
    ex = exercises.Exercise("90.9-any", "f", lambda rng: [], no_warnings=True, diagnose=lambda e, g, a: 1 / 0)
    for case in [None, {}, {"out": 1.0, "mutated": ["x", 7], "warnings": "odd"}, {"out": object()}, 3]:
        judge(ex, np.ones(2), case, (np.ones(2),))
    assert judge(ex, 1.0, {"out": 1.0, "warnings": ["RuntimeWarning: overflow"]}).cause.startswith(
        "right values, but it warned")


def test_a_factor_is_diagnosed_only_where_it_is_evidence():
    """03.1 with `slope * y_bar` for `slope * x_bar`: the intercept is -3 times the expected one on the
    statement's example, by chance; no "constant factor" is claimed, and the item is named."""
    from helpers.checks import name_items

    slip = compare((2.0, 1.0), (2.0, -3.0))
    assert "factor" not in slip.cause and name_items(slip.cause, ("slope", "intercept")).startswith("intercept: ")
    assert "factor" in compare(1.0, 32.0).cause  # a forgotten 1/m on one number still is
    assert "factor" in compare(np.array([1.0, 2.0]), np.array([-3.0, -6.0])).cause  # every element agrees

"""Whatever a learner's code returns or does, every exercise's check gives a ✘ verdict and the grader a Problem.

The battery below is applied to EVERY exercise of the course: a function that returns the
strange value, or, for a class exercise, classes whose methods (or attributes) give it. For
each: ``check()`` prints a verdict with "✘" and raises nothing; the grader's path (run_case →
serialize.save → serialize.load → judge) gives a Problem for at least one case and raises
nothing; a zero-stride view claiming terabytes is never materialised.
"""
from __future__ import annotations

import contextlib
import gc
import io
import resource
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

import helpers.checks
from helpers import exercises, serialize
from helpers.checks import STOP_EARLY, check, judge, load_expected, run_case

COURSE = ["01", "02", "03", "04", "05"]
EXERCISES = [ex for key in COURSE for ex in exercises.for_notebook(key)]
HUGE = (10 ** 6, 10 ** 6)  # 7.3 TiB of float64, if it were ever copied


@pytest.fixture(autouse=True)
def hostile_objects_finalise_here(monkeypatch):
    """The strange values are built to misbehave, in their finalisers too (a generator closed deep in a
    recursion, an object whose methods raise): what they raise while being collected is theirs, not a
    fault of the checks, so it is swallowed here instead of surfacing in whichever test runs next."""
    seen = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)
    yield
    gc.collect()


class LyingEq:
    """Equal to everything; refuses to be an array, measured, printed or copied."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__

    def __array__(self, *args, **kwargs):
        raise RuntimeError("no array")

    def __len__(self):
        raise RuntimeError("no len")

    def __repr__(self):
        raise RuntimeError("no repr")

    def __deepcopy__(self, memo):
        raise RuntimeError("no deepcopy")

    def __float__(self):
        raise RuntimeError("no float")


class ArrayEq:
    """``==`` returns an array and ``bool`` raises, like an ndarray pretending to be one number."""

    def __eq__(self, other):
        return np.ones(3, dtype=bool)

    __hash__ = object.__hash__

    def __bool__(self):
        raise ValueError("ambiguous")


class SneakyFloat(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


class SneakyList(list):
    def __eq__(self, other):
        return True

    def __iter__(self):
        raise RuntimeError("no iteration")

    def __len__(self):
        raise RuntimeError("no len")


class SneakyArray(np.ndarray):
    def __eq__(self, other):
        return True

    def __array_finalize__(self, obj):
        if obj is not None and getattr(obj, "_boom", False):
            raise RuntimeError("no views")


def _recursive_list():
    x: list = [1.0]
    x.append(x)
    return x


def _numpy_scalars() -> list:
    found = []
    for t in sorted(set(np.sctypeDict.values()), key=lambda t: t.__name__):
        for arg in (1, b"ab", "2020-01-01"):
            with contextlib.suppress(Exception):
                found.append(t(arg))
                break
    return found


LONG = [0.5] * (10 ** 6 + 1)
VALUES = {
    "None": lambda: None, "a generator": lambda: (x for x in range(3)), "a string": lambda: "0.5",
    "a dict": lambda: {1: 2, "a": np.zeros(2)}, "a set": lambda: {1.0, 2.0}, "a lying ==": LyingEq,
    "== gives an array": ArrayEq, "a zero-stride view": lambda: np.broadcast_to(1.0, HUGE),
    "a huge masked view": lambda: np.ma.masked_array(np.broadcast_to(1.0, HUGE)),
    "an object array": lambda: np.array([1.0, None, "x"], dtype=object), "complex": lambda: np.full((2, 3), 1 + 2j),
    "0-d": lambda: np.array(7.5), "bool": lambda: True, "a huge int": lambda: 10 ** 5000, "a big int": lambda: 2 ** 80,
    "np.matrix": lambda: np.asmatrix(np.full((2, 2), 3.25)), "a masked array": lambda: np.ma.masked_array(
        np.full((3, 2), -1.5), mask=[[0, 1], [0, 0], [1, 0]]), "a float subclass": lambda: SneakyFloat(-3.0),
    "a list subclass": lambda: SneakyList([1.0]), "an array subclass": lambda: np.zeros((2, 2)).view(SneakyArray),
    "NaN": lambda: np.full((3, 4), np.nan), "inf": lambda: -np.inf, "a recursive list": _recursive_list,
    "a long list": lambda: LONG, "an exception object": lambda: ValueError("returned"),
    "a ragged list": lambda: [[1.0, 2.0], [3.0]], "a tuple of arrays": lambda: (np.ones(3), np.ones((2, 2))),
    "a function": lambda: np.mean, "a module": lambda: np, "numpy scalars": lambda: tuple(_numpy_scalars()),
}


def _raise(kind):
    def go(*args, **kwargs):
        raise kind("from the learner's code")
    return go


def _recurse(*args, **kwargs):
    return _recurse(*args, **kwargs)


def _flood(*args, **kwargs):
    for i in range(2000):
        print("debug line", i)
    return None


def _forever(*args, **kwargs):
    while True:
        try:
            pass
        except Exception:  # even this cannot swallow the time limit
            pass


BEHAVIOURS = {"SystemExit": _raise(SystemExit), "KeyboardInterrupt": _raise(KeyboardInterrupt),
              "MemoryError": _raise(MemoryError), "GeneratorExit": _raise(GeneratorExit),
              "RecursionError": _recurse, "a printing flood": _flood, "an endless loop": _forever}


def _targets(ex: exercises.Exercise, make) -> list:
    """What the learner may have written that gives ``make()``: a function, or classes for a class exercise."""
    if not ex.target[:1].isupper():
        return [lambda *args, **kwargs: make()]

    class Methods:  # every method returns the value
        def __init__(self, *args, **kwargs):
            pass

        def __getattr__(self, name):
            return lambda *args, **kwargs: make()

    class Attributes:  # every attribute is the value; construction and methods misbehave
        def __init__(self, *args, **kwargs):
            self.params = make()

        def __getattr__(self, name):
            return make()

    return [Methods, Attributes]


def _behaving(ex: exercises.Exercise, fn) -> list:
    if not ex.target[:1].isupper():
        return [fn]

    class Behaves:
        def __init__(self, *args, **kwargs):
            fn()

        def __getattr__(self, name):
            return fn

    return [Behaves]


@pytest.fixture(scope="module")
def recorded() -> dict:
    return {key: load_expected(key)["results"] for key in COURSE}


@pytest.fixture(autouse=True)
def short_time_limit(monkeypatch):
    monkeypatch.setattr(helpers.checks, "CASE_TIME_LIMIT", 0.02)


def _verdict(ex, target) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        check(ex.id, target)  # nothing may escape
    return out.getvalue()


def _grader_problems(ex, target, recorded_cases, folder: Path) -> list:
    """As the grader does: harvest (stopping early like helpers.harvest), save, load, judge."""
    cases: list = []
    for args in ex.make_cases(exercises.PUBLIC_SEED):
        last = cases[-1]["out"] if cases else None
        stop = isinstance(last, serialize.RaisedError) and last.name in STOP_EARLY
        cases.append(cases[-1] if stop else run_case(ex, target, args))
    path = folder / "results.npz"
    serialize.save(path, cases)
    back = serialize.load(path)
    return [judge(ex, rec["out"], case, args)
            for rec, case, args in zip(recorded_cases, back, ex.make_cases(exercises.PUBLIC_SEED))]


def _assert_rejected(ex, target, recorded, tmp_path, what: str) -> None:
    out = _verdict(ex, target)
    assert "✘" in out and "✔" not in out and "Traceback" not in out, f"{ex.id}, {what}:\n{out}"
    assert len(out) < 4000, f"{ex.id}, {what}: a verdict of {len(out)} characters"
    problems = _grader_problems(ex, target, recorded[ex.notebook][ex.id], tmp_path)
    assert any(p is not None for p in problems), f"{ex.id}, {what}: full marks from the grader"


@pytest.mark.parametrize("what", sorted(VALUES))
def test_strange_return_values(what, recorded, tmp_path):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for ex in EXERCISES:
        for target in _targets(ex, VALUES[what]):
            _assert_rejected(ex, target, recorded, tmp_path, what)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 200, f"{what}: the process grew by {grown_mb:.0f} MB"


@pytest.mark.parametrize("what", sorted(BEHAVIOURS))
def test_strange_behaviours(what, recorded, tmp_path):
    for ex in EXERCISES:
        for target in _behaving(ex, BEHAVIOURS[what]):
            _assert_rejected(ex, target, recorded, tmp_path, what)


def test_zero_stride_view_is_never_copied(recorded, tmp_path):
    tracemalloc.start()
    try:
        for ex in EXERCISES:
            for target in _targets(ex, VALUES["a zero-stride view"]):
                _assert_rejected(ex, target, recorded, tmp_path, "a zero-stride view")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 200 * 2 ** 20, f"peak {peak / 2 ** 20:.0f} MB while checking a zero-stride view"


@pytest.mark.parametrize("target", [None, np, np.zeros(3), "sigmoid"], ids=["None", "a module", "an array", "a str"])
def test_a_target_that_is_not_a_function(target, capsys):
    for ex in EXERCISES:
        check(ex.id, target)
        out = capsys.readouterr().out
        assert out.startswith(f"{ex.id} ✘ expected the ") and "itself" in out, out


def test_the_messages_say_what_was_returned(recorded, tmp_path):
    ex = exercises.get("04.1-sigmoid")
    assert "returned a generator, not the values" in _verdict(ex, lambda z: (v for v in z))
    assert "an array too large to check (shape (1000000, 1000000) float64, 7.3 TiB)" in _verdict(
        ex, lambda z: np.broadcast_to(1.0, HUGE))
    assert "raised SystemExit" in _verdict(ex, _raise(SystemExit))
    out = _verdict(ex, _flood)
    assert "your code printed (first lines):" in out and out.count("debug line") == 5

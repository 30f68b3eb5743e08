"""Self-checks: one line after each exercise tells the learner whether the code is right, and why not.

>>> from helpers.checks import check
>>> check("04.1-sigmoid", sigmoid)          # doctest: +SKIP
04.1-sigmoid ✔ all 5 checks passed

The expected values were recorded by running the solution notebooks on the same
public inputs (``python -m helpers.instructor.build``); no answer code lives in helpers/.
The comparison and diagnosis here are also what the grader uses.
"""
from __future__ import annotations

import copy
import os
import signal
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import exercises, serialize
from .serialize import RaisedError, Unsupported

CHECKDATA_DIR = Path(__file__).resolve().parent / "checkdata"
# seconds one case may take before it counts as an endless loop ($COURSE_CASE_TIME_LIMIT overrides)
CASE_TIME_LIMIT = float(os.environ.get("COURSE_CASE_TIME_LIMIT", 10.0))


# ---------------------------------------------------------------- running a case
class CaseTimeout(Exception):
    pass


@contextmanager
def _time_limit(seconds: float):
    if not hasattr(signal, "setitimer"):
        yield
        return

    def _raise(signum, frame):
        raise CaseTimeout(f"did not finish within {seconds:g} s (an endless loop?)")

    try:
        old = signal.signal(signal.SIGALRM, _raise)
    except ValueError:  # not in the main thread: run without a limit
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
                and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    try:
        return bool(a == b)
    except Exception:
        return False


def run_case(ex: exercises.Exercise, target: Any, args: tuple, time_limit: float | None = None) -> dict:
    """Call ``target`` on one case and record what happened.

    Returns ``{"out": value or RaisedError, "mutated": [positions of arguments
    changed in place], "warnings": ["Category: message", ...]}``.
    """
    args = copy.deepcopy(tuple(args))
    before = copy.deepcopy(args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with _time_limit(time_limit or CASE_TIME_LIMIT):
                result = ex.call(target, *args)
            result = copy.deepcopy(result)
        except (Exception, CaseTimeout) as e:  # the learner's code may raise anything
            result = RaisedError(type(e).__name__, str(e)[:300])
    mutated = [] if ex.mutation_ok else [i for i, (a, b) in enumerate(zip(before, args)) if not _same(a, b)]
    return {"out": result, "mutated": mutated,
            "warnings": sorted({f"{w.category.__name__}: {w.message}" for w in caught})}


#: After these, the remaining cases are not run: they would only repeat the message (or the wait).
STOP_EARLY = ("NotImplementedError", "CaseTimeout")


# ---------------------------------------------------------------- comparing
@dataclass
class Problem:
    cause: str  # the likely cause, one line
    expected: str = ""
    got: str = ""


def describe(value: Any, n: int = 6) -> str:
    """A short description: type, shape, dtype and a few values."""
    if isinstance(value, RaisedError):
        return f"raised {value.name}: {value.message}"
    if isinstance(value, np.ma.MaskedArray) and np.ndim(value) > 0:
        return describe_masked(value, n)
    if isinstance(value, (np.ndarray, np.generic)) and np.ndim(value) > 0:
        flat = np.asarray(value).ravel()
        with np.printoptions(precision=4, suppress=True, threshold=n):
            head = np.array2string(flat[:n], separator=", ")
        return f"shape {value.shape} {value.dtype} {head[:-1]}{', ...]' if flat.size > n else ']'}"
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.6g}"
    if isinstance(value, np.ndarray):  # 0-d
        return describe(value[()])
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {describe(v, 3)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(describe(v, 3) for v in value[:4])
        return f"{type(value).__name__} of {len(value)}: ({inner}{', ...' if len(value) > 4 else ''})"
    return repr(value)[:120]


def _as_numeric(value: Any):
    if isinstance(value, (bool, int, float, complex, np.ndarray, np.generic)):
        arr = np.asarray(value)
        return arr if arr.dtype.kind in "biufc" else None
    return None


def _compare_arrays(exp: np.ndarray, got: np.ndarray, rtol: float, atol: float) -> Problem | None:
    def close(a, b):
        return np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True)

    if got.shape != exp.shape:
        if got.ndim == exp.ndim == 2 and got.T.shape == exp.shape and close(got.T, exp):
            return Problem(f"transposed: expected shape {exp.shape}, got {got.shape} holding the transpose")
        if got.size == exp.size and close(got.reshape(exp.shape), exp):
            return Problem(f"right values, wrong shape: expected {exp.shape}, got {got.shape} "
                           f"(reshape, or keepdims=True?)")
        hint = " (did you reduce over the wrong axis?)" if got.ndim < max(exp.ndim, 1) + 1 else ""
        return Problem(f"wrong shape: expected {exp.shape}, got {got.shape}{hint}")
    if exp.dtype.kind in "fc" or got.dtype.kind in "fc":
        if np.isfinite(exp).all() and not np.isfinite(got).all():
            return Problem("contains NaN or inf (overflow in exp? division by zero? log of 0?)")
        if close(got, exp):
            return None
    elif np.array_equal(got, exp):
        return None
    if exp.ndim == 0:
        return Problem(f"expected {describe(exp[()])}, got {describe(got[()])}")
    exp_f, got_f = exp.astype(float), got.astype(float)
    nonzero = np.abs(exp_f) > 1e-12
    if nonzero.any() and np.all(np.abs(got_f[~nonzero]) <= 1e-12):
        ratio = got_f[nonzero] / exp_f[nonzero]
        r = float(ratio.flat[0])
        if np.allclose(ratio, r, rtol=1e-6) and not np.isclose(r, 1) and r != 0:
            return Problem(f"off by a constant factor: your values are {r:.4g} × the expected ones "
                           f"(a missing or extra 1/m, 2 or mean?)")
    diff = got_f - exp_f
    d = float(diff.flat[0]) if diff.size else 0.0
    if diff.size > 1 and np.allclose(diff, d, rtol=0, atol=max(atol, 1e-9)) and d != 0:
        return Problem(f"off by a constant: your values are the expected ones {d:+.4g}")
    wrong = ~np.isclose(got_f, exp_f, rtol=rtol, atol=atol)
    first = tuple(int(i) for i in np.argwhere(wrong)[0]) if exp.ndim else ()
    where = f"first at index {first}: expected {exp_f[first]:.6g}, got {got_f[first]:.6g}" if first else ""
    return Problem(f"{int(wrong.sum())} of {wrong.size} values differ {where}".strip())


def compare(expected: Any, got: Any, rtol: float = 1e-6, atol: float = 1e-8) -> Problem | None:
    """``None`` if ``got`` matches ``expected`` (recursively, within tolerances), else a :class:`Problem`."""
    problem = _compare(expected, got, rtol, atol)
    if problem is not None and not problem.expected:
        problem.expected, problem.got = describe(expected), describe(got)
    return problem


def _compare(expected: Any, got: Any, rtol: float, atol: float) -> Problem | None:
    if isinstance(got, RaisedError):
        if got.name == "NotImplementedError":
            return Problem("not implemented yet: replace `raise NotImplementedError()` with your code")
        return Problem(f"raised {got.name}: {got.message}")
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return Problem(f"expected a dict with keys {sorted(expected)}, got {type(got).__name__}")
        if sorted(got) != sorted(expected):
            return Problem(f"expected keys {sorted(expected)}, got {sorted(got)}")
        for k in expected:
            p = _compare(expected[k], got[k], rtol, atol)
            if p:
                p.cause = f"[{k!r}] {p.cause}"
                p.expected, p.got = describe(expected[k]), describe(got[k])
                return p
        return None
    if isinstance(expected, (list, tuple)) and not isinstance(got, np.ndarray):
        if not isinstance(got, (list, tuple)):
            return Problem(f"expected a {type(expected).__name__} of {len(expected)}, got {type(got).__name__}")
        if len(got) != len(expected):
            return Problem(f"expected {len(expected)} items, got {len(got)}")
        for i, (e, g) in enumerate(zip(expected, got)):
            p = _compare(e, g, rtol, atol)
            if p:
                p.cause = f"[item {i}] {p.cause}"
                p.expected, p.got = describe(e), describe(g)
                return p
        return None
    if isinstance(expected, np.ma.MaskedArray):
        return _compare_masked(expected, got, rtol, atol)
    exp_arr = _as_numeric(expected)
    if exp_arr is not None:
        got_arr = _as_numeric(got) if not isinstance(got, (list, tuple)) else _as_numeric(np.asarray(got))
        if got_arr is None:
            if got is None:
                return Problem("returned None: did you forget `return`?")
            return Problem(f"expected a number or array, got {type(got).__name__}")
        return _compare_arrays(exp_arr, got_arr, rtol, atol)
    if isinstance(expected, Unsupported) or expected != got:
        return Problem(f"expected {describe(expected)}, got {describe(got)}")
    return None


def _compare_masked(expected: np.ma.MaskedArray, got: Any, rtol: float, atol: float) -> Problem | None:
    if not isinstance(got, np.ma.MaskedArray):
        if isinstance(got, np.ndarray) and np.ma.getmaskarray(expected).any():
            return Problem("expected a masked array (np.ma), got a plain ndarray: the gaps are lost")
        got = np.ma.masked_array(got) if _as_numeric(got) is not None else got
        if not isinstance(got, np.ma.MaskedArray):
            return Problem(f"expected a masked array, got {type(got).__name__}")
    if got.shape != expected.shape:
        return _compare_arrays(np.asarray(expected.data), np.asarray(got.data), rtol, atol)
    exp_mask, got_mask = np.ma.getmaskarray(expected), np.ma.getmaskarray(got)
    if not np.array_equal(exp_mask, got_mask):
        extra, missing = int((got_mask & ~exp_mask).sum()), int((exp_mask & ~got_mask).sum())
        return Problem(f"wrong mask: {missing} entries should be masked but are not, {extra} are masked but "
                       f"should not be", describe_masked(expected), describe_masked(got))
    valid = ~exp_mask
    return _compare_arrays(np.asarray(expected.data)[valid], np.asarray(got.data)[valid], rtol, atol)


def describe_masked(value: np.ma.MaskedArray, n: int = 6) -> str:
    flat = value.ravel()
    with np.printoptions(precision=4, suppress=True):
        head = str(flat[:n])
    return (f"masked array shape {value.shape} {value.dtype}, {int(np.ma.getmaskarray(value).sum())} masked: "
            f"{head[:-1]}{' ...]' if flat.size > n else ']'}")


def judge(ex: exercises.Exercise, expected: Any, case: dict, args: tuple = ()) -> Problem | None:
    """Verdict on one case (a :func:`run_case` record): comparison, in-place mutation, warnings."""
    result, mutated = case.get("out"), list(case.get("mutated") or [])
    problem = compare(expected, result, ex.rtol, ex.atol)
    if problem is not None and ex.diagnose is not None and not isinstance(result, RaisedError):
        try:
            typical = ex.diagnose(expected, result, tuple(args))
        except Exception:  # a diagnosis must never break a check
            typical = None
        if typical:
            problem.cause = f"{typical} ({problem.cause})"
    if problem is None and ex.no_warnings and case.get("warnings"):
        problem = Problem(f"right values, but it warned: {case['warnings'][0]} — use a numerically stable "
                          f"formula", "no warnings", "; ".join(case["warnings"]))
    if problem is None and mutated:
        which = ", ".join(f"argument {i + 1}" for i in mutated)
        problem = Problem(f"changed its input in place ({which}); work on a copy or build a new array",
                          "inputs left unchanged", "inputs modified")
    return problem


# ---------------------------------------------------------------- expected values
class CheckDataMissing(FileNotFoundError):
    """No expected values recorded yet for a notebook's self-checks."""


def checkdata_path(notebook: str, folder: Path | None = None) -> Path:
    """Where the expected values of ``notebook`` live (``$COURSE_CHECKDATA`` overrides the folder)."""
    folder = folder or Path(os.environ.get("COURSE_CHECKDATA", CHECKDATA_DIR))
    return Path(folder) / f"{notebook}.npz"


def load_expected(notebook: str, folder: Path | None = None) -> dict:
    path = checkdata_path(notebook, folder)
    if not path.is_file():
        raise CheckDataMissing(f"no self-check data for notebook {notebook} ({path}); an instructor must run "
                               f"`python -m helpers.instructor.build` to record it")
    return serialize.load(path)


# ---------------------------------------------------------------- the learner's one line
def _hint_lines(ex: exercises.Exercise, level: int) -> list[str]:
    """The first ``level`` hint tiers, and how to ask for the next one."""
    shown = ex.hints[:max(level, 0)]
    lines = [f"  hint {i}: {text}" if len(ex.hints) > 1 else f"  hint: {text}" for i, text in enumerate(shown, 1)]
    if len(shown) < len(ex.hints):
        lines.append(f"  more help: check({ex.id!r}, ..., hints={len(shown) + 1})")
    return lines


def _not_implemented(ex: exercises.Exercise) -> str:
    return (f"{ex.id} ✘ not implemented yet — write your code in the cell of Exercise {ex.number}, "
            f"in place of `raise NotImplementedError()`")


def _format_verdict(ex: exercises.Exercise, cases: list, problems: list, hints: int = 1) -> str:
    n_ok = sum(p is None for p in problems)
    if n_ok == len(problems):
        return f"{ex.id} ✔ all {len(problems)} checks passed"
    first = next(i for i, p in enumerate(problems) if p is not None)
    p = problems[first]
    if p.cause.startswith("not implemented"):
        return _not_implemented(ex)
    lines = [f"{ex.id} ✘ {n_ok} of {len(problems)} checks passed",
             f"  check {first + 1} failed — {p.cause}"]
    for i, arg in enumerate(cases[first]):
        lines.append(f"    input {i + 1}:  {describe(arg)}")
    lines.append(f"    expected: {p.expected}")
    lines.append(f"    got:      {p.got}")
    others = sorted({q.cause for q in problems[first + 1:] if q is not None} - {p.cause})
    lines += [f"  other failures: {c}" for c in others[:2]]
    return "\n".join(lines + _hint_lines(ex, hints))


def check(exercise_id: str, target: Any, hints: int = 1) -> None:
    """Check your answer to an exercise and print a short verdict.

    Parameters
    ----------
    exercise_id : str
        The id shown in the exercise's title, e.g. ``"04.1-sigmoid"``.
    target : function or class
        What you wrote for the exercise.
    hints : int, default 1
        How many tiers of hints to show with a failure (0 for none); each tier says
        more, none gives the answer away.
    """
    ex = exercises.get(exercise_id)
    expected = load_expected(ex.notebook)
    if expected.get("results", {}).get(ex.id) is None:
        raise KeyError(f"no recorded values for {ex.id}; an instructor must run "
                       f"`python -m helpers.instructor.build`")
    cases = ex.make_cases(exercises.PUBLIC_SEED)
    problems = []
    for args, exp in zip(cases, expected["results"][ex.id]):
        case = run_case(ex, target, args)
        problems.append(judge(ex, exp["out"], case, args))
        if isinstance(case["out"], RaisedError) and case["out"].name in STOP_EARLY:
            problems += [problems[-1]] * (len(cases) - len(problems))
            break
    print(_format_verdict(ex, cases, problems, hints))


def hint(exercise_id: str, level: int | None = None) -> None:
    """Print the hints of an exercise, up to tier ``level`` (all tiers by default).

    Parameters
    ----------
    exercise_id : str
        The id shown in the exercise's title, e.g. ``"04.1-sigmoid"``.
    level : int, optional
        The last tier to show; tiers go from the idea to a pointer at a worked example.
    """
    ex = exercises.get(exercise_id)
    if not ex.hints:
        print(f"{ex.id}: no hints for this exercise — re-read its statement and the section before it")
        return
    print("\n".join([f"{ex.id} hints:"] + _hint_lines(ex, len(ex.hints) if level is None else level)))

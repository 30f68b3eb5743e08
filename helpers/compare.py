"""Comparing what a learner's code returned with what the solution returned, and saying what differs.

The values compared here are plain data (numbers, arrays, masked arrays, strings, lists,
tuples, dicts, :class:`~helpers.serialize.RaisedError`, :class:`~helpers.serialize.Unsupported`):
:func:`helpers.checks.run_case` reduces whatever the learner's code returned to such data
first, so nothing here calls the learner's code. Every cause is said in the learner's terms
and is conceptual: it names what is wrong, never the code that would be right.

>>> compare(np.array([1.0, 2.0]), np.array([2.0, 4.0])).cause
'off by a constant factor: your values are 2 × the expected ones (a missing or extra 1/m, 2 or mean?)'
>>> compare((1.0, 2.0), (2.0, 1.0)).cause
'items 0 and 1 are swapped: return them in the order the statement gives'
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .describe import MAX_ARRAY_BYTES, _kind, describe, describe_masked
from .serialize import RaisedError, Unsupported

__all__ = ["MAX_ARRAY_BYTES", "Problem", "compare", "describe", "describe_masked"]


@dataclass
class Problem:
    cause: str  # the likely cause, one line
    expected: str = ""
    got: str = ""


# ---------------------------------------------------------------- comparing
def compare(expected: Any, got: Any, rtol: float = 1e-6, atol: float = 1e-8,
            check_dtype: bool = False) -> Problem | None:
    """``None`` if ``got`` matches ``expected`` (recursively, within tolerances), else a :class:`Problem`.

    With ``check_dtype`` arrays and numbers must also have the expected dtype (for a plain
    Python number expected: the same kind, integer, floating or bool).
    """
    try:
        problem = _compare(expected, got, rtol, atol, check_dtype)
    except Exception as e:  # a comparison must never break a verdict
        problem = Problem(f"returned {_kind(got)}, which could not be compared with the expected "
                          f"{_kind(expected)} ({type(e).__name__})")
    if problem is not None and not problem.expected:
        problem.expected, problem.got = describe(public(expected)), describe(public(got))
    return problem


def _compare(expected: Any, got: Any, rtol: float, atol: float, check_dtype: bool) -> Problem | None:
    if isinstance(expected, RaisedError):
        return _compare_raised(expected, got)
    if isinstance(got, RaisedError):
        if got.name == "NotImplementedError":
            return Problem("not implemented yet: replace `raise NotImplementedError()` with your code")
        return Problem(f"raised {got.name}: {got.message}")
    if isinstance(got, Unsupported):
        return Problem(_unsupported_cause(expected, got))
    if isinstance(expected, dict):
        return _compare_dicts(expected, got, rtol, atol, check_dtype)
    if isinstance(expected, (list, tuple)):
        return _compare_sequences(expected, got, rtol, atol, check_dtype)
    if isinstance(expected, np.ma.MaskedArray):
        return _compare_masked(expected, got, rtol, atol, check_dtype)
    if _is_int(expected) and _is_int(got) and max(abs(int(expected)), abs(int(got))) >= 2 ** 53:
        return None if int(expected) == int(got) else Problem(f"expected {int(expected)}, got {int(got)}")
    exp_arr = _as_numeric(expected)
    if exp_arr is not None:
        if got is None:
            return Problem("returned None: did you forget `return`?")
        if isinstance(got, np.ma.MaskedArray):
            return Problem("expected a plain ndarray, got a masked array: fill or drop the masked entries "
                           "the way the statement says")
        got_arr = _as_numeric(got)
        if got_arr is None:
            return Problem(f"expected {_kind(expected)}, got {_kind(got)}")
        return _compare_arrays(exp_arr, got_arr, rtol, atol,
                               _dtype_rule(expected) if check_dtype else None)
    if isinstance(expected, str):
        same = isinstance(got, str) and str(got) == expected
    else:
        same = not isinstance(expected, Unsupported) and type(expected) is type(got) and bool(expected == got)
    return None if same else Problem(f"expected {describe(expected)}, got {describe(got)}")


def _compare_raised(expected: RaisedError, got: Any) -> Problem | None:
    """The solution raised on this case: the learner's code must raise the same exception."""
    if isinstance(got, RaisedError):
        if got.name == expected.name:
            return None
        if got.name == "NotImplementedError":
            return Problem("not implemented yet: replace `raise NotImplementedError()` with your code")
        return Problem(f"expected it to raise {expected.name}, but it raised {got.name}: {got.message}")
    return Problem(f"expected it to raise {expected.name} on this input, but it returned {_kind(got)}")


def _unsupported_cause(expected: Any, got: Unsupported) -> str:
    what = got.type_name
    if what == "a generator":
        return (f"returned a generator, not the values: expected {_kind(expected)}; build the "
                f"values themselves (a list or an array) and return them")
    if "too large" in what:
        return f"returned {what}: expected {_kind(expected)}"
    return f"expected {_kind(expected)}, got {what}"


#: The key under which a ``call`` that records more than the result (e.g. its type) keeps the
#: result itself: a failure there is described as the result's, without a key label.
RETURNED = "value"
#: The key under which such a ``call`` records what kind of value came back (``"tuple of 2 floats"``).
KIND = "returned"


def public(value: Any) -> Any:
    """What the learner's code returned, without the record a ``call`` may wrap it in.

    >>> public({"value": (1.0, 2.0), "returned": "tuple of 2 floats"})
    (1.0, 2.0)
    """
    if isinstance(value, dict) and set(value) == {RETURNED, KIND}:
        return value[RETURNED]
    return value


def _compare_dicts(expected: dict, got: Any, rtol, atol, check_dtype) -> Problem | None:
    if not isinstance(got, dict):
        return Problem(f"expected a dict with keys {sorted(expected)}, got {_kind(got)}")
    if sorted(map(str, got)) != sorted(map(str, expected)):
        return Problem(f"expected keys {sorted(expected)}, got {sorted(map(str, got))}")
    failing = [k for k in expected if _compare(expected[k], got[k], rtol, atol, check_dtype)]
    swapped = _swapped(expected, got, failing, rtol, atol, check_dtype)
    if swapped:
        a, b = swapped
        return Problem(f"the values of {a!r} and {b!r} are swapped")
    for k in failing:
        p = _compare(expected[k], got[k], rtol, atol, check_dtype)
        if k == KIND:  # the kind of value: said in the statement's words
            return Problem(f"returned a {got[k]}, but the statement asks for a {expected[k]}", str(expected[k]),
                           str(got[k]))
        if k != RETURNED:  # the return value itself needs no label
            p.cause = f"{k}: {p.cause}"
        p.expected, p.got = describe(expected[k]), describe(got[k])
        return p
    return None


def _compare_sequences(expected: list | tuple, got: Any, rtol, atol, check_dtype) -> Problem | None:
    what = f"a {type(expected).__name__} of {len(expected)}"
    if isinstance(got, np.ndarray) and isinstance(expected, list):
        exp_arr = _as_numeric(expected)  # a list of numbers: an array of them is as good
        if exp_arr is not None:
            return _compare(exp_arr, got, rtol, atol, False)
    if not isinstance(got, (list, tuple)):
        if got is None:
            return Problem(f"returned None: did you forget `return`? (expected {what})")
        return Problem(f"expected {what}, got {_kind(got)}")
    if len(got) != len(expected):
        return Problem(f"expected {what}, got {len(got)} items")
    failing = [i for i, (e, g) in enumerate(zip(expected, got)) if _compare(e, g, rtol, atol, check_dtype)]
    swapped = _swapped(dict(enumerate(expected)), dict(enumerate(got)), failing, rtol, atol, check_dtype)
    if swapped:
        return Problem(f"items {swapped[0]} and {swapped[1]} are swapped: return them in the order the "
                       f"statement gives")
    for i in failing:
        p = _compare(expected[i], got[i], rtol, atol, check_dtype)
        nested = p.cause.startswith("item ")  # a sequence inside a sequence: one path, "item 0, item 2: ..."
        p.cause = f"item {i}{', ' if nested else ': '}{p.cause}"
        p.expected, p.got = describe(expected[i]), describe(got[i])
        return p
    return None


def _swapped(expected: dict, got: dict, failing: list, rtol, atol, check_dtype) -> tuple | None:
    if len(failing) != 2:
        return None
    a, b = failing
    if (_compare(expected[a], got[b], rtol, atol, check_dtype) is None
            and _compare(expected[b], got[a], rtol, atol, check_dtype) is None):
        return a, b
    return None


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _as_numeric(value: Any) -> np.ndarray | None:
    """``value`` as a numeric array (bool, int, float, complex), or None if it is not one."""
    if isinstance(value, (str, bytes, dict, RaisedError, Unsupported)) or value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2 ** 63:
        return np.asarray(float(value)) if abs(value) < 10 ** 300 else None
    if isinstance(value, (list, tuple)):
        if not all(_as_numeric(v) is not None for v in value):
            return None
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError, OverflowError):  # ragged lists
        return None
    return arr if arr.dtype.kind in "biufc" else None


def _dtype_rule(expected: Any) -> Any:
    """What dtype ``check_dtype`` asks for: a numpy dtype, or a kind for a plain Python number."""
    if isinstance(expected, bool):
        return "b"
    if isinstance(expected, int):
        return "iu"
    if isinstance(expected, float):
        return "f"
    if isinstance(expected, complex):
        return "c"
    return np.asarray(expected).dtype


def _dtype_problem(rule: Any, exp: np.ndarray, got: np.ndarray) -> str | None:
    if rule is None:
        return None
    if isinstance(rule, str):
        if got.dtype.kind in rule:
            return None
        names = {"b": "a bool", "iu": "an integer", "f": "a float", "c": "a complex number"}
        return f"expected {names[rule]}, got dtype {got.dtype}"
    return None if got.dtype == rule else f"expected dtype {rule}, got {got.dtype}"


def _compare_arrays(exp: np.ndarray, got: np.ndarray, rtol: float, atol: float,
                    dtype_rule: Any = None) -> Problem | None:
    if got.nbytes > MAX_ARRAY_BYTES or exp.nbytes > MAX_ARRAY_BYTES:
        return Problem(f"returned an array too large to check: shape {got.shape}, expected {exp.shape}")

    def close(a, b):
        with np.errstate(all="ignore"):
            return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))

    if got.shape != exp.shape:
        if got.ndim == exp.ndim == 2 and got.T.shape == exp.shape and close(got.T, exp):
            return Problem(f"transposed: expected shape {exp.shape}, got {got.shape} holding the transpose")
        if got.size == exp.size and close(got.reshape(exp.shape), exp):
            return Problem(f"right values, wrong shape: expected {exp.shape}, got {got.shape} "
                           f"(reshape, or keep the reduced axis?)")
        hint = " (did you reduce over the wrong axis?)" if 0 < got.ndim < exp.ndim + 1 else ""
        return Problem(f"wrong shape: expected {exp.shape}, got {got.shape}{hint}")
    if (exp.dtype.kind == "b") != (got.dtype.kind == "b"):
        said = {True: "True/False values", False: "numbers"}
        return Problem(f"expected {said[exp.dtype.kind == 'b']}, got {said[got.dtype.kind == 'b']} "
                       f"(dtype {got.dtype})")
    matches = close(got, exp) if (exp.dtype.kind in "fc" or got.dtype.kind in "fc") else bool(np.array_equal(got, exp))
    dtype_cause = _dtype_problem(dtype_rule, exp, got)
    if dtype_cause:
        return Problem(dtype_cause + (" (the values are right)" if matches else ""))
    if matches:
        return None
    if exp.dtype.kind in "fc" and np.isfinite(exp).all() and not np.isfinite(got).all():
        return Problem("contains NaN or inf (overflow in exp? division by zero? log of 0?)")
    if exp.ndim == 0 and "b" in (exp.dtype.kind, got.dtype.kind):
        return Problem(f"expected {describe(exp[()])}, got {describe(got[()])}")
    if "c" in (exp.dtype.kind, got.dtype.kind):
        return Problem("values differ (complex numbers where real ones are expected?)"
                       if got.dtype.kind == "c" else "values differ")
    return _diagnose_values(exp.astype(float), got.astype(float), rtol, atol,
                            diagnose="b" not in (exp.dtype.kind, got.dtype.kind))


def _nice_factor(r: float) -> bool:
    """Whether a ratio looks like a systematic mistake (2, 100, 1/m ...) rather than chance."""
    for x in (abs(r), 1 / abs(r)):
        if 1.5 <= x <= 1e6 and abs(x - round(x)) <= 1e-6 * x:
            return True
    return False


def _diagnose_values(exp: np.ndarray, got: np.ndarray, rtol: float, atol: float, diagnose: bool = True) -> Problem:
    with np.errstate(all="ignore"):
        wrong = ~np.isclose(got, exp, rtol=rtol, atol=atol, equal_nan=True)
        cause = _typical(exp, got, atol) if diagnose else None
    if cause:
        return Problem(cause)
    first = tuple(int(i) for i in np.argwhere(wrong)[0]) if wrong.any() and exp.ndim else ()
    where = f"first at index {first}: expected {exp[first]:.6g}, got {got[first]:.6g}" if first else ""
    return Problem(f"{int(wrong.sum())} of {wrong.size} values differ {where}".strip())


def _typical(exp: np.ndarray, got: np.ndarray, atol: float) -> str | None:
    """A systematic difference (a factor, a sign, an offset, off by one), said as such; else None."""
    nonzero = np.abs(exp) > 1e-12
    if nonzero.any() and np.all(np.abs(got[~nonzero]) <= 1e-12) and np.isfinite(got).all():
        ratio = got[nonzero] / exp[nonzero]
        r = float(ratio.flat[0])
        if r != 0 and np.allclose(ratio, r, rtol=1e-6, atol=0) and not np.isclose(r, 1):
            if np.isclose(r, -1):
                return "wrong sign: your values are the negatives of the expected ones"
            # one number: a factor is evidence only when it is a typical one (2, m, 1/m: positive, whole);
            # -3 × on a single value is chance, e.g. a slip in one term of a formula
            if exp.size > 1 or (r > 0 and _nice_factor(r)):
                return (f"off by a constant factor: your values are {r:.4g} × the expected ones "
                        f"(a missing or extra 1/m, 2 or mean?)")
    diff = got - exp
    d = float(diff.flat[0]) if diff.size else 0.0
    if exp.ndim == 0:
        if abs(d) == 1:
            return (f"off by one: expected {exp[()]:.6g}, got {got[()]:.6g} (a boundary counted "
                    f"or left out?)")
        return f"expected {exp[()]:.6g}, got {got[()]:.6g}"
    if diff.size > 1 and np.isfinite(d) and d != 0 and np.allclose(diff, d, rtol=0, atol=max(atol, 1e-9)):
        return f"off by a constant: your values are the expected ones {d:+.4g}"
    return None


def _compare_masked(expected: np.ma.MaskedArray, got: Any, rtol, atol, check_dtype) -> Problem | None:
    if not isinstance(got, np.ma.MaskedArray):
        if isinstance(got, np.ndarray):
            return Problem("expected a masked array (np.ma), got a plain ndarray: the gaps are lost")
        return Problem(f"expected a masked array, got {_kind(got)}")
    exp_data, got_data = np.asarray(np.ma.getdata(expected)), np.asarray(np.ma.getdata(got))
    if got.shape != expected.shape:
        return _compare_arrays(exp_data, got_data, rtol, atol)
    exp_mask, got_mask = np.ma.getmaskarray(expected), np.ma.getmaskarray(got)
    if not np.array_equal(exp_mask, got_mask):
        extra, missing = int((got_mask & ~exp_mask).sum()), int((exp_mask & ~got_mask).sum())
        return Problem(f"wrong mask: {missing} entries should be masked but are not, {extra} are masked but "
                       f"should not be", describe_masked(expected), describe_masked(got))
    valid = ~exp_mask
    rule = exp_data.dtype if check_dtype else None
    return _compare_arrays(exp_data[valid], got_data[valid], rtol, atol, rule)

"""Exercises of notebook 01 — n-dimensional arrays and axes (inputs only; expected values come from the solution).

Also home of :func:`typed`, used by notebooks 01-03: it records *what kind* of value a
function returned (plain or masked array, dtype, tuple of floats) next to the value, so
that a check enforces the type a statement fixes (a masked array is not accepted where a
plain one is asked for, float32 is not float64, an array is not a tuple).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from . import Exercise, call_function


def _dtype_words(dtype: np.dtype) -> str:
    if dtype.kind in "iu":
        return "integers"
    if dtype.kind == "b":
        return "booleans"
    return dtype.name


def kind_of(value: Any) -> str:
    """What a value is, in the words a statement uses: ``'plain array of float64'``, ``'tuple of 2 floats'``.

    Examples
    --------
    >>> kind_of(np.zeros(3)), kind_of(np.ma.masked_array([1, 2])), kind_of((1.0, np.float64(2)))
    ('plain array of float64', 'masked array of integers', 'tuple of 2 floats')
    >>> kind_of(np.float64(1.5)), kind_of(np.array(2.0)), kind_of(None)
    ('float', 'float', 'None')
    """
    if isinstance(value, np.ma.MaskedArray):
        return f"masked array of {_dtype_words(value.dtype)}"
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype == np.float64:
        return "float"
    if isinstance(value, np.ndarray):
        return f"plain array of {_dtype_words(value.dtype)}"
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, float):  # np.float64 is a float; np.float32 is not
        return "float"
    if isinstance(value, (int, np.integer)):
        return "int"
    if isinstance(value, (tuple, list)):
        kinds = [kind_of(v) for v in value]
        if kinds and all(k == "float" for k in kinds):
            return f"{type(value).__name__} of {len(value)} floats"
        return f"{type(value).__name__} of {len(value)}: {', '.join(kinds[:4])}"
    return "None" if value is None else type(value).__name__


def _as_pair(value: Any) -> Any:
    """A tuple, list or 1-D array of numbers as a tuple of floats, so it can be compared item by item."""
    try:
        items = list(value) if isinstance(value, (tuple, list, np.ndarray)) and np.ndim(value) == 1 else None
        return tuple(float(v) for v in items) if items is not None else value
    except (TypeError, ValueError):
        return value


def typed(call: Callable[..., Any] = call_function, pair: bool = False) -> Callable[..., dict]:
    """A ``call`` that returns ``{"value": result, "returned": kind_of(result)}``.

    With ``pair`` the value is compared as a tuple of floats whatever sequence it came in,
    so an array where a tuple was asked for gets a clear "returned" verdict, not a crash.
    """
    def run(target: Any, *args: Any) -> dict:
        out = call(target, *args)
        return {"value": _as_pair(out) if pair else out, "returned": kind_of(out)}

    run.passes_arguments = call is call_function  # the target gets the case's arguments as they are
    return run


def _images(rng):
    example = np.stack([np.ones((2, 2)), np.zeros((2, 2)), [[0.0, 0.2], [0.4, 0.6]]], axis=-1)  # the statement's
    # height == channels in one case, so averaging over the wrong axes still gives the right shape
    return [(example,)] + [(rng.uniform(size=shape),) for shape in [(4, 5, 3), (3, 4, 3), (2, 3, 4), (1, 1, 3),
                                                                     (6, 2, 2)]]


def _tables(rng):
    cases = [(np.array([[1, 10], [3, 30]]),)]  # the statement's example
    cases += [(rng.normal(5, 3, size=shape),) for shape in [(6, 3), (4, 4), (2, 5), (10, 1)]]
    return cases + [(rng.integers(0, 50, size=(7, 3)),)]  # whole numbers: the result is still float64


def _rgb(rng):
    # width 3 and height 3 as well, so weighting the wrong axis can still give the right shape
    example = np.array([[[1.0, 1.0, 1.0], [1.0, 0.0, 0.0]]])  # the statement's
    return [(example,)] + [(rng.uniform(size=shape),) for shape in [(4, 5, 3), (2, 3, 3), (3, 2, 3), (1, 1, 3)]]


def _pairs(rng):
    cases = [(np.array([[3.0, 0.0], [0.0, 4.0]]), np.array([[3.0, 0.0], [0.0, 0.0]]))]  # the statement's
    for shape in [(4, 3), (3, 4, 5), (1, 6, 6), (2, 3, 4, 2)]:
        a = rng.normal(size=shape)
        cases.append((a, a + 0.1 * rng.normal(size=shape)))
    a = rng.normal(size=(2, 3, 3))
    b = a.copy()
    b[1] += 0.5 * rng.normal(size=(3, 3))  # the first matrix is reproduced exactly: an error of 0
    return cases + [(a, b)]


def _factors(A: np.ndarray, k: int) -> tuple:
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    return U, s, Vt, k


def _stacks(rng):
    return [_factors(np.array([[3.0, 0.0], [0.0, 1.0]]), 1), _factors(rng.normal(size=(3, 6, 5)), 2), _factors(rng.normal(size=(2, 4, 4)), 1),
            _factors(rng.normal(size=(6, 3)), 3), _factors(rng.normal(size=(2, 2, 5, 4)), 2),
            _factors(rng.normal(size=(1, 3, 7)), 2)]


def _matvec(rng):
    example = (np.array([[[1.0, 2.0], [3.0, 4.0]], [[0.0, 1.0], [1.0, 0.0]]]), np.array([[1.0, 1.0], [5.0, 7.0]]))
    return [example] + [(rng.normal(size=(n, m, k)), rng.normal(size=(n, k)))
                        for n, m, k in [(4, 3, 2), (1, 2, 5), (3, 3, 3), (2, 1, 4), (5, 4, 5)]]


def _missing_sqrt(expected: dict, got: dict, args: tuple) -> str | None:
    exp, val = np.asarray(expected["value"], float), got.get("value") if isinstance(got, dict) else None
    try:
        val = np.asarray(val, float)
        if val.shape == exp.shape and np.allclose(val, exp ** 2, rtol=1e-6):
            return "these are the squared errors: the Frobenius norm is the square root of the sum of squares"
        if val.shape == exp.shape and np.allclose(val * np.sqrt(np.sum(args[0] ** 2, axis=(-2, -1))),
                                                  exp * np.sqrt(np.sum(args[1] ** 2, axis=(-2, -1))), rtol=1e-6):
            return "divided by the norm of B: the error is relative to A, the matrix being approximated"
    except (TypeError, ValueError):
        pass
    return None


#: The statements fix the dtypes of results: compare them exactly (``typed`` above already
#: names a wrong dtype in the statement's words).
_DTYPE = {"check_dtype": True}

EXERCISES = [
    Exercise("01.1-channel-means", "channel_means", _images, call=typed(),
             **_DTYPE, hints=("Each channel's mean combines every pixel of that channel: which axes index the pixels, "
                    "and which axis must survive?",
                    "The input has three axes (height, width, channels) and the answer one (channels): "
                    "the reduction removes two axes at once.",
                    "Re-read 'Three dimensions and keepdims' in section 2: one call can reduce over several "
                    "axes.")),
    Exercise("01.2-standardize-columns", "standardize_columns", _tables, call=typed(),
             **_DTYPE, hints=("Every column needs its own mean and its own standard deviation: reduce down the rows, "
                    "then let broadcasting apply those d numbers to all n rows.",
                    "Shapes: X is (n, d); the statistics of the columns form a (d,) vector, which lines up "
                    "with X from the right. Build the result as a new array; in-place operators change X.",
                    "Re-read section 3 (broadcasting): the first demo removes a statistic from every "
                    "column in the same way.")),
    Exercise("01.3-to-grey", "to_grey", _rgb, call=typed(),
             **_DTYPE, hints=("Every pixel's grey value is a weighted sum of its own three colour values; the colour "
                    "axis is the one that disappears.",
                    "(height, width, 3) combined with three weights gives (height, width): the operation "
                    "that sums products over a last axis of length 3 does it for all pixels at once.",
                    "Re-read 'Grey-scale as a weighted sum over the colour axis' and section 4's dot product: "
                    "what it computes for one pixel's three values it computes for every pixel at once.")),
    Exercise("01.4-relative-error", "relative_error", _pairs, call=typed(), diagnose=_missing_sqrt,
             **_DTYPE, hints=("The Frobenius norm of a matrix is the square root of the sum of its squared entries; "
                    "compute it for the difference and for A, then divide.",
                    "The matrices live in the last two axes; summing over exactly those two keeps one "
                    "number per matrix of the stack, so (n, m, k) becomes (n,).",
                    "Re-read the definition in the statement and 'Three dimensions and keepdims': a "
                    "reduction can take a tuple of axes, counted from the end with negative numbers.")),
    Exercise("01.5-rank-k", "rank_k_approx", _stacks, call=typed(),
             **_DTYPE, hints=("A_k keeps the first k singular triplets: the first k columns of U, the first k values of "
                    "s and the first k rows of Vt, combined as U diag(s) Vt.",
                    "With stacks, index from the end: columns of U are its last axis, rows of Vt its "
                    "second-to-last. Scaling columns by s is a broadcast of s against the last axis of U, "
                    "with no diagonal matrix needed.",
                    "Re-read the rebuild of A = U Σ Vᵀ from its factors in section 5 and the broadcasting "
                    "rules of section 3.")),
    Exercise("01.6-batched-matvec", "batched_matvec", _matvec, call=typed(),
             **_DTYPE, hints=("Each M[i] must meet its own v[i]; a product over stacks pairs them up if both are "
                    "stacks of matrices.",
                    "The matrix product treats the last two axes as a matrix: a stack of vectors (n, k) has "
                    "to become a stack of (k, 1) columns, and the length-1 axis of the (n, m, 1) result has "
                    "to go again.",
                    "Re-read the start of section 6: how '@' broadcasts over stacks, and how a vector on the "
                    "right becomes a column.")),
]

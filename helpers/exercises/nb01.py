"""Exercises of notebook 01 — n-dimensional arrays and axes (inputs only; expected values come from the solution).

Also home of :func:`typed`, used by notebooks 01-03: it records *what kind* of value a
function returned (plain or masked array, dtype, tuple of floats) next to the value, so
that a check enforces the type a statement fixes (a masked array is not accepted where a
plain one is asked for, float32 is not float64, an array is not a tuple).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..questions import Question, Written
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
    # the statement's: channel 1 is largest at (0, 2) and at (1, 0), a tie the first in reading order settles
    example = np.stack([[[0.1, 0.5, 0.2], [0.9, 0.3, 0.0]], [[0.0, 0.4, 1.0], [1.0, 0.2, 0.6]]], axis=-1)
    cases = [(example,)] + [(rng.uniform(size=shape),) for shape in [(4, 5, 3), (5, 3, 2), (1, 1, 3), (1, 6, 3),
                                                                     (6, 1, 3)]]
    # few distinct values: ties everywhere, and height != width so that dividing by the wrong one shows
    return cases + [(rng.integers(0, 3, size=shape).astype(np.float64),) for shape in [(3, 4, 3), (4, 2, 2)]]


def _tables(rng):
    cases = [(np.array([[1, 10], [3, 30]]),)]  # the statement's example
    cases += [(rng.normal(5, 3, size=shape),) for shape in [(6, 3), (4, 4), (2, 5), (10, 1)]]
    return cases + [(rng.integers(0, 50, size=(7, 3)),)]  # whole numbers: the result is still float64


def _rgb(rng):
    # width 3 and height 3 as well, so weighting the wrong axis can still give the right shape
    example = np.array([[[1.0, 1.0, 1.0], [1.0, 0.0, 0.0]]])  # the statement's
    return [(example,)] + [(rng.uniform(size=shape),) for shape in [(4, 5, 3), (2, 3, 3), (3, 2, 3), (1, 1, 3)]]


def _scores(rng):
    example = (np.array([[2.0, 5.0, 1.0], [0.5, 0.2, 0.9]]), np.array([1, 0]))  # the statement's
    cases = [example]
    for n, k, dtype in [(6, 4, np.int64), (1, 2, np.int64), (5, 2, np.int32), (8, 10, np.int64), (4, 4, np.uint8)]:
        cases.append((rng.normal(size=(n, k)), rng.integers(0, k, size=n).astype(dtype)))
    # whole numbers: the labelled class ties with another (margin 0), wins, or loses, row by row
    ties = rng.integers(0, 3, size=(7, 3)).astype(np.float64)
    return cases + [(ties, np.argmax(ties, axis=1)), (ties, rng.integers(0, 3, size=7))]


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


def _grey_steps(expected: dict, got: dict, args: tuple) -> str | None:
    """Names a grey image whose steps were skipped or misplaced, when its values show it."""
    exp, val = np.asarray(expected["value"], float), got.get("value") if isinstance(got, dict) else None
    try:
        val, img = np.asarray(val, float), np.asarray(args[0], float)
        if val.shape != exp.shape or img.shape[:-1] != exp.shape:
            return None
        inner = (exp > 0.05) & (exp < 0.95) & (val > 0) & (val < 1)
        if inner.sum() >= 3:  # got = expected ** p for one p: light where the stored value is asked for, or so
            powers = np.log(val[inner]) / np.log(exp[inner])
            if np.ptp(powers) < 1e-6 and abs(powers.mean() - 1) > 1e-3:
                return (f"each value is the expected grey to the power {powers.mean():.2f}: decode before the "
                        f"weighted sum and encode after it, with the two opposite powers")
        pixels = img.reshape(-1, img.shape[-1])
        if len(pixels) >= 2 * pixels.shape[1]:  # enough pixels that an exact fit is no coincidence
            coefs, *_ = np.linalg.lstsq(pixels, val.ravel())
            if np.allclose(pixels @ coefs, val.ravel(), rtol=1e-9, atol=1e-12):
                return ("each value is a weighted sum of the stored values themselves: turn them into light "
                        "before weighting, and the sum back into a stored value after")
    except (TypeError, ValueError, np.linalg.LinAlgError):
        pass
    return None


def _swapped_pair(expected: dict, got: dict, args: tuple) -> str | None:
    exp, val = np.asarray(expected["value"]), got.get("value") if isinstance(got, dict) else None
    if isinstance(val, np.ndarray) and val.shape == exp.shape and np.array_equal(val, exp[:, ::-1]):
        return "each pair is (column, row): the statement asks for the row first"
    return None


def _label_in_max(expected: dict, got: dict, args: tuple) -> str | None:
    exp, val = np.asarray(expected["value"], float), got.get("value") if isinstance(got, dict) else None
    try:
        val = np.asarray(val, float)
        if val.shape == exp.shape and np.any(exp > 0) and np.allclose(val, np.minimum(exp, 0.0)):
            return ("the labelled class took part in the maximum, so no margin is ever positive: compare it "
                    "with the other classes only")
    except (TypeError, ValueError):
        pass
    return None


#: The statements fix the dtypes of results: compare them exactly (``typed`` above already
#: names a wrong dtype in the statement's words).
_DTYPE = {"check_dtype": True}

#: Points by docs/points.md: 2 where the work is a few dependent steps or a rule to handle (01.1: positions over
#: two merged axes and back, first on ties; 01.3: decode, weight, encode in that order; 01.5: three factors sliced
#: from the end and recombined; 01.7: gather one entry per row, then a maximum without it), 1 for one idea (01.2:
#: per-column statistics by broadcasting; 01.4: a reduction over the last two axes; 01.6: @ over a stack).
EXERCISES = [
    Exercise("01.1-brightest-pixel", "brightest_pixels", _images, call=typed(), diagnose=_swapped_pair,
             points=2.0, **_DTYPE, hints=(
        "argmax finds a position along one axis only, but a pixel's position spans two (row and column). Make "
        "the pixels of each channel one axis first, so that one argmax per channel sees all of them.",
        "Merging the axes (height, width) into one keeps reading order: the pixel in row r and column j "
        "lands at position r times width plus j. Going back takes an integer division and its remainder. "
        "On ties argmax already gives the first largest along its axis.",
        "Re-read 'Reshape, transpose, stack' in section 1 (which axes can be merged without mixing the "
        "channels) and argmax in section 2.")),
    Exercise("01.2-standardize-columns", "standardize_columns", _tables, call=typed(),
             **_DTYPE, hints=("Every column needs its own mean and its own standard deviation: reduce down the rows, "
                    "then let broadcasting apply those d numbers to all n rows.",
                    "Shapes: X is (n, d); the statistics of the columns form a (d,) vector, which lines up "
                    "with X from the right. Build the result as a new array; in-place operators change X.",
                    "Re-read section 3 (broadcasting): the first demo removes a statistic from every "
                    "column in the same way.")),
    Exercise("01.3-to-grey", "to_grey", _rgb, call=typed(), diagnose=_grey_steps, points=2.0,
             **_DTYPE, hints=("Three steps, in this order: every stored value becomes light (element by element), "
                    "the three lights of a pixel become one weighted sum (the colour axis disappears), and "
                    "that sum is turned back into a stored value (element by element).",
                    "Shapes: (height, width, 3) stays (height, width, 3) through the first step; the weighted "
                    "sum over the last axis, of length 3, gives (height, width); the last step keeps that "
                    "shape. Weighting the stored values directly gives a darker grey for saturated colours.",
                    "Re-read 'Grey-scale in linear light' and section 4's dot product: what it computes for "
                    "one pixel's three values it computes for every pixel at once.")),
    Exercise("01.4-relative-error", "relative_error", _pairs, call=typed(), diagnose=_missing_sqrt,
             **_DTYPE, hints=("The Frobenius norm of a matrix is the square root of the sum of its squared entries; "
                    "compute it for the difference and for A, then divide.",
                    "The matrices live in the last two axes; summing over exactly those two keeps one "
                    "number per matrix of the stack, so (n, m, k) becomes (n,).",
                    "Re-read the definition in the statement and 'Three dimensions and keepdims': a "
                    "reduction can take a tuple of axes, counted from the end with negative numbers.")),
    Exercise("01.5-rank-k", "rank_k_approx", _stacks, call=typed(), points=2.0,
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
    Exercise("01.7-margins", "margins", _scores, call=typed(), diagnose=_label_in_max, points=2.0,
             **_DTYPE, hints=(
        "Two numbers per row: the score at the row's own label, and the largest score among the row's other "
        "classes. The first is one entry per row, in a different column in every row.",
        "Two index arrays of the same length pair up entry by entry (row i with column labels[i]); a colon "
        "for the rows instead takes whole columns and gives an (n, n) table. To leave the labelled entries "
        "out of the maximum, use a boolean table that is True exactly there, or a copy in which they are "
        "pushed below every other score.",
        "Re-read section 7, 'Picking entries: index arrays and boolean masks': its figure contrasts the "
        "two ways of indexing, and its last demo writes through index arrays into a copy.")),
]

#: Concept questions, checked at once by ``ask`` (their explanations: helpers/instructor/authoring/explanations/).
QUESTIONS = [
    Question("01.q1-view-or-copy", "view_answer", choices=("a", "b", "c", "d"),
             hint="Re-read 'Views and copies': which operations share memory with the original?"),
    Question("01.q2-reduced-shape", "reduced_shape_answer", choices=("a", "b", "c", "d"),
             hint="A reduction removes the axes it runs along and keeps all the others, in order."),
    Question("01.q3-broadcast-shape", "broadcast_answer", choices=("a", "b", "c", "d"),
             hint="Compare the shapes from the right, pad the shorter one with 1s on the left, stretch the 1s."),
]

#: Written answers, marked by the instructor.
WRITTEN = [Written("01.w1-in-place", points=2)]

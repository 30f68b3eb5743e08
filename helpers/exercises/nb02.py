"""Exercises of notebook 02 — masked arrays (inputs only; expected values come from the solution).

Every check also compares what kind of value came back (see :func:`helpers.exercises.nb01.typed`):
a masked array where the statement asks for a plain one, or the other way round, fails.
Points follow docs/points.md: 02.1-02.3 ask for a few steps or one rule to handle (2), 02.4 and
02.5 for an algorithm whose steps depend on each other, with the library shortcut ruled out (3).
"""
from __future__ import annotations

import numpy as np

from ..constraints import Forbid
from ..questions import Question, Written
from . import Exercise
from .nb01 import typed


def _coded_tables(rng):
    # the statement's example: -1.0 is a real temperature in column 0 and the "missing" code of column 1
    cases = [(np.array([[-1.0, 0.5], [3.2, -1.0], [-999.0, 2.0], [np.nan, np.inf]]), [-999.0, -1.0])]
    for n, k in [(8, 3), (6, 4), (4, 4)]:  # a square table: codes lined up with the rows still broadcast
        x = rng.normal(0, 3, size=(n, k)).round(1)
        codes = rng.choice([-1.0, -9.0, -99.0, 0.0], size=k, replace=False)
        for j in range(k):
            x[rng.choice(n, 2, replace=False), j] = codes[j]
        x[rng.integers(n), 0] = codes[1]  # another column's code is a genuine reading here
        x[rng.integers(n), 1] = codes[0]
        x[rng.integers(n), rng.integers(k)] = np.nan
        x[rng.integers(n), rng.integers(k)] = np.inf if n % 2 else -np.inf
        cases.append((x, [float(c) for c in codes]))
    near = rng.normal(size=(5, 2)).round(2)
    near[[1, 3], [0, 1]] = 0.0, 1e-12  # 0.0 is column 0's code; 1e-12 in column 1 is a (tiny) reading
    cases.append((near, [0.0, 0.0]))
    counts = rng.integers(0, 30, size=(4, 3))
    counts[[0, 2, 3], [0, 1, 2]] = -1, 99, -1  # whole numbers: the dtype stays integer
    counts[1, 1] = -1  # column 1's code is 99: its -1 is a reading (another column's code), not "missing"
    cases.append((counts, [-1, 99, -1]))
    table = rng.normal(size=(3, 2)).round(2)
    table[[0, 2], [0, 1]] = -999.0
    cases.append((table, np.array([np.nan, -999.0])))  # column 0 has no code: its -999 stays (an array of codes)
    return cases + [(rng.normal(size=(1, 3)).round(2), [1.0, 2.0, 3.0])]  # one row, nothing to mask


def _spans(rng):
    T, F = True, False
    cases = [(np.ma.masked_array(np.arange(9.0).reshape(3, 3), mask=[[T, F, T], [F, F, T], [F, T, T]]),)]
    for rows, spans in [(8, [(0, 7), (3, 5), (7, 7)]), (6, [(2, 5), (0, 0), (1, 4), None, (5, 5)]), (10, [(4, 8)])]:
        data = rng.uniform(1, 100, size=(rows, len(spans)))
        mask = np.ones((rows, len(spans)), dtype=bool)
        for j, span in enumerate(spans):
            if span is None:  # a series with no valid entry at all
                continue
            first, last = span
            mask[first:last + 1, j] = False
            if last - first >= 2:  # a hole inside: counting masked entries is not the answer
                mask[first + 1 + rng.integers(last - first - 1), j] = True
        cases.append((np.ma.masked_array(data, mask=mask),))
    cases.append((np.ma.masked_array(rng.uniform(1, 9, size=(4, 2))),))  # nothing masked: the mask is nomask
    cases.append((np.ma.masked_array(rng.uniform(1, 9, size=(1, 3)), mask=[[F, T, F]]),))  # a single time step
    return cases


def _priced(rng):
    T, F = True, False
    cases = [(np.ma.masked_array([[100.0, 50.0], [110.0, 0.0], [121.0, 60.0], [0.0, 66.0]],
                                 mask=[[F, F], [F, T], [F, F], [T, F]]), 2)]  # the statement's example
    for rows, cols in [(12, 3), (9, 4), (20, 5)]:
        data = rng.uniform(10, 100, size=(rows, cols))
        mask = rng.uniform(size=(rows, cols)) < 0.2
        mask[: rng.integers(rows // 2), 1] = True  # a late start
        mask[:, -1] = True  # a series with no price at all
        mask[rng.integers(rows), -1] = False  # ... but one: not a single return
        data[mask] = rng.choice([0.0, -999.0], size=int(mask.sum()))  # placeholders under the mask
        pairs = (~mask[1:] & ~mask[:-1]).sum(axis=0)
        cases.append((np.ma.masked_array(data, mask=mask), max(1, int(pairs[0]))))  # column 0 on the threshold
    cases.append((np.ma.masked_array(rng.uniform(10, 100, size=(5, 2))), 1))  # nothing masked
    cases.append((np.ma.masked_array(rng.uniform(10, 100, size=(3, 2)), mask=[[F, T], [F, F], [F, F]]), 1))
    return cases


def _gappy_series(rng):
    cases = [(np.array([0.0, 1.0, 3.0, 4.0]),  # the statement's example
              np.ma.masked_array([-999.0, 2.0, -999.0, 8.0], mask=[True, False, True, False]))]
    for n in [10, 7, 15]:
        t = np.sort(rng.uniform(0, 10, size=n))  # uneven spacing: interpolate in t, not in the index
        mask = rng.uniform(size=n) < 0.4
        mask[2:4] = True  # a gap of two entries
        mask[0] = n % 2 == 1  # a gap at the start (n = 7, 15) or a valid first entry (n = 10)
        mask[-1] = n > 10  # and at the end
        mask[n // 2] = False  # at least one valid entry, whatever the draw
        y = rng.normal(size=n)
        y[mask] = rng.choice([np.nan, -999.0, 0.0], size=int(mask.sum()))
        cases.append((t, np.ma.masked_array(y, mask=mask)))
    cases.append((np.array([0, 2, 3, 7, 8]), np.ma.masked_array([1.0, 0.0, 0.0, 5.0, 0.0],
                                                                mask=[False, True, True, False, True])))  # integer t
    cases.append((np.linspace(0, 1, 4), np.ma.masked_array([0.0, 3.5, 0.0, 0.0], mask=[True, False, True, True])))
    cases.append((np.linspace(0, 1, 5), np.ma.masked_array(rng.normal(size=5))))  # nothing to fill
    return cases


def _growing_tables(rng):
    e = np.e
    cases = [(np.array([0.0, 1.0, 2.0]), np.ma.masked_array([[1.0, -1.0], [0.0, e], [e ** 2, e ** 3]],
                                                            mask=[[False, True], [True, False], [False, False]]))]
    for n, rates in [(20, [0.05, -0.02, 0.1]), (12, [0.2, 0.01]), (30, [0.07, 0.03, -0.05, 0.12])]:
        t = np.arange(n) / 12 + 2000
        p = 100 * np.exp(np.outer(t - 2000, rates) + 0.02 * rng.normal(size=(n, len(rates))))
        mask = rng.uniform(size=p.shape) < 0.25
        mask[: n // 3, 0] = True  # the first series starts late: its own months differ from the others'
        mask[-2:, -1] = True  # the last stops early
        mask[[-1, -3], 0] = False
        mask[[0, 2], 1:] = False
        p[mask] = rng.choice([0.0, -1.0], size=int(mask.sum()))  # placeholders a plain log would choke on
        cases.append((t, np.ma.masked_array(p, mask=mask)))
    t = np.linspace(1990, 2020, 8)
    cases.append((t, np.ma.masked_array(50 * np.exp(0.07 * (t - 1990))).reshape(-1, 1)))  # nothing masked: exact
    return cases


EXERCISES = [
    Exercise("02.1-mask-bad", "mask_bad", _coded_tables, call=typed(), check_dtype=True, points=2,
             hints=("Two reasons to mask an entry: it is not a finite number, or it equals the code of its own "
                    "column. Build one boolean table of x's shape for each reason and combine them.",
                    "codes holds one number per column, so it lines up with the last axis of x (notebook 01, "
                    "broadcasting): each column must meet its own code only. A value that is one column's code "
                    "can be a real reading in another. Compare exactly (1e-12 is not the code 0.0); comparing "
                    "with NaN is never true, which is what a column without a code needs. Keep x's dtype.",
                    "Re-read section 2: the table of constructors and the cell that combines two masks.")),
    Exercise("02.2-valid-span", "valid_span", _spans, call=typed(), item_names=("first", "last"), points=2,
             hints=("Look at the mask, not the values: in each column you want the position of the first entry "
                    "that is not masked, and of the last one.",
                    "The mask may be the single value nomask: get a full boolean array of shape (time, series) "
                    "first. Counting masked entries is wrong when a series has holes inside it. The last valid "
                    "entry is the first one when you read the column from the bottom up. A search for the first "
                    "valid position gives 0 both when row 0 is valid and when nothing is: tell those apart.",
                    "Re-read the start of section 3 (leaving the masked world) and notebook 01's reductions "
                    "along an axis.")),
    Exercise("02.3-return-stats", "return_stats", _priced, call=typed(), check_dtype=True, no_warnings=True,
             item_names=("mean", "std"), points=2,
             hints=("First the returns, with the mask carried along: a return needs the price at t and at t-1. "
                    "Then the mean and the standard deviation of each column over its valid returns, and how many "
                    "valid returns each column has.",
                    "Stay in the masked world: masked arithmetic masks a result wherever either operand is masked "
                    "and never looks at the placeholders under the mask. The threshold counts returns, not prices, "
                    "and a column with exactly min_months returns is kept. Return a tuple of two masked arrays of "
                    "shape (series,).",
                    "Re-read 'Masked arrays or np.nan* functions?': the second and third bullets are this "
                    "exercise.")),
    Exercise("02.4-fill-linear", "fill_linear", _gappy_series, call=typed(), check_dtype=True, points=3,
             forbid=Forbid(("numpy.interp", "scipy", "pandas"),
                           "Exercise 02.4 asks you to interpolate from the neighbours yourself"),
             hints=("A masked entry takes its value from two valid entries: the nearest one before it and the "
                    "nearest one after it. Its weight for each is set by how close it is to them in t.",
                    "Work with the positions of the valid entries, which are sorted. For every position you need "
                    "the index of the last valid position at or before it and of the first at or after it; at a "
                    "valid position both are the position itself, and before the first or after the last valid "
                    "entry only one side exists, so use it for both. Weight = (t - t_left) / (t_right - t_left), "
                    "and 0 where the two are the same point.",
                    "Re-read section 3 on leaving the masked world (the positions of the valid entries come "
                    "from the mask), and notebook 01's section 7, 'Picking entries: index arrays and boolean "
                    "masks', for gathering the neighbours' times and values with arrays of positions.")),
    Exercise("02.5-log-trends", "log_trends", _growing_tables, call=typed(), check_dtype=True, no_warnings=True,
             item_names=("slopes a", "intercepts b"), points=3,
             forbid=Forbid(("numpy.polyfit", "numpy.ma.polyfit", "numpy.polynomial", "numpy.linalg", "scipy",
                            "sklearn", "statsmodels"),
                           "Exercise 02.5 asks you to compute the least-squares line from masked means yourself"),
             hints=("Take the logarithm of the prices while keeping the mask. Each column's line uses only that "
                    "column's valid months, so the mean time of a column is the mean over its own valid months.",
                    "Give the times the prices' mask: a (time, series) masked array of t. Then every mean and sum "
                    "along axis 0 is over each column's own valid months, and the formulas in the statement work "
                    "for all columns at once. A plain logarithm warns on the placeholders under the mask. Return "
                    "two plain float64 arrays.",
                    "Re-read the start of section 5, the statement's formulas, and notebook 01 on broadcasting "
                    "a column against a table.")),
]

#: Concept questions, checked at once by ``ask`` (their explanations: helpers/instructor/authoring/explanations/).
QUESTIONS = [
    Question("02.q1-sentinel-mean", "sentinel_answer", choices=("a", "b", "c", "d"),
             hint="Re-read section 1: which of the two conventions does arithmetic notice?"),
    Question("02.q2-compressed-count", "compressed_answer", decimals=0, exact=True,
             hint="compressed() keeps the valid values only, as a flat array."),
    Question("02.q3-which-tool", "tool_answer", choices=("a", "b", "c", "d"),
             hint="Re-read the rule of thumb at the end of 'Masked arrays or np.nan* functions?'."),
]

#: Written answers, marked by the instructor.
WRITTEN = [Written("02.w1-filling", points=2)]

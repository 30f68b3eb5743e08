"""Exercises of notebook 02 — masked arrays (inputs only; expected values come from the solution).

Every check also compares what kind of value came back (see :func:`helpers.exercises.nb01.typed`):
a masked array where the statement asks for a plain one, or the other way round, fails.
"""
from __future__ import annotations

import numpy as np

from . import Exercise
from .nb01 import typed


def _bad(rng):
    cases = [(np.array([21.5, np.nan, -999.0, 22.4, np.inf]), [-999.0])]  # the statement's example
    for n, sentinels in [(12, [-999.0]), (10, [-1.0, -999.0]), (8, [0.0])]:
        x = rng.normal(20, 5, size=n).round(1)
        x[rng.choice(n, 2, replace=False)] = np.nan
        for sentinel, at in zip(sentinels, rng.choice(n, 2 * len(sentinels), replace=False).reshape(-1, 2)):
            x[at] = sentinel  # every sentinel occurs: an answer that keeps only one sentinel's mask fails
        x[rng.integers(n)] = -np.inf if n % 2 else np.inf
        cases.append((x, sentinels))
    near = rng.normal(size=6).round(2)
    near[[1, 4]] = 0.0, 1e-12  # 0.0 is the sentinel; 1e-12 is a real (tiny) reading, not equal to it
    cases.append((near, [0.0]))
    counts = rng.integers(0, 30, size=(3, 4))
    counts[rng.integers(3), rng.integers(4)] = -1  # whole numbers with a sentinel: the dtype stays integer
    cases.append((counts, [-1]))
    grid = rng.normal(size=(3, 4)).round(2)
    grid[0, 1], grid[2, 3] = np.nan, -999.0
    cases += [(grid, [-999.0]), (rng.normal(size=5).round(2), [])]  # 2-D; no sentinels at all
    return cases


def _late_starts(rng):
    cases = []
    for rows, starts in [(8, [0, 3, 7]), (6, [2, 0, 1, 5, 4]), (10, [4])]:
        data = rng.uniform(1, 100, size=(rows, len(starts)))
        mask = np.arange(rows)[:, None] < np.array(starts)[None, :]
        for j, s in enumerate(starts):  # a hole after the start: counting masked entries is not the answer
            if s + 2 < rows:
                mask[s + 1 + rng.integers(rows - s - 2), j] = True
        cases.append((np.ma.masked_array(data, mask=mask),))
    cases.append((np.ma.masked_array(rng.uniform(1, 9, size=(4, 2))),))  # nothing masked: the mask is nomask
    cases.append((np.ma.masked_array(rng.uniform(1, 9, size=(1, 3))),))  # a single time step
    return cases


def _prices(rng):
    cases = []
    for shape in [(6, 3), (4, 2), (9, 4), (7,), (2, 3)]:
        data = rng.uniform(10, 100, size=shape)
        mask = rng.uniform(size=shape) < 0.25
        data[mask] = rng.choice([0.0, -999.0], size=int(mask.sum()))  # placeholders under the mask
        cases.append((np.ma.masked_array(data, mask=mask),))
    cases.append((np.ma.masked_array(rng.uniform(10, 100, size=(5, 2))),))  # nothing masked
    return cases


def _gappy_series(rng):
    cases = [(np.array([0.0, 1.0, 3.0]), np.ma.masked_array([2.0, -999.0, 8.0], mask=[False, True, False]))]
    for n in [10, 7, 15]:
        t = np.sort(rng.uniform(0, 10, size=n))  # uneven spacing: interpolate in t, not in the index
        mask = rng.uniform(size=n) < 0.4
        mask[0] = mask[-1] = False
        y = rng.normal(size=n)
        y[mask] = rng.choice([np.nan, -999.0, 0.0], size=int(mask.sum()))
        cases.append((t, np.ma.masked_array(y, mask=mask)))
    cases.append((np.linspace(0, 1, 5), np.ma.masked_array(rng.normal(size=5))))  # nothing to fill
    return cases


def _growing_prices(rng):
    cases = []
    for n, rate in [(20, 0.05), (12, -0.02), (30, 0.1), (3, 0.2)]:
        t = np.arange(n) / 12 + 2000
        p = 100 * np.exp(rate * (t - 2000) + 0.02 * rng.normal(size=n))
        mask = rng.uniform(size=n) < 0.3
        mask[[0, -1]] = False
        p[mask] = rng.choice([0.0, -1.0], size=int(mask.sum()))  # placeholders a plain log would choke on
        cases.append((t, np.ma.masked_array(p, mask=mask)))
    t = np.linspace(1990, 2020, 8)
    cases.append((t, np.ma.masked_array(50 * np.exp(0.07 * (t - 1990)))))  # nothing masked: an exact line
    return cases


def _swapped_pair(expected: dict, got: dict, args: tuple) -> str | None:
    try:
        exp, val = expected["value"], got["value"]
        if len(val) == 2 and np.allclose(val[::-1], exp, rtol=1e-6):
            return "slope and intercept are swapped: return (a, b), the slope first"
    except (TypeError, KeyError, ValueError):
        pass
    return None


#: The statements fix the dtypes of results; gcore's ``check_dtype`` compares them exactly
#: (``typed`` above already names a wrong dtype in the statement's words).
_DTYPE = {"check_dtype": True} if "check_dtype" in getattr(Exercise, "__dataclass_fields__", {}) else {}

EXERCISES = [
    Exercise("02.1-mask-bad", "mask_bad", _bad, call=typed(),
             **_DTYPE, hints=("Two reasons to mask an entry: it is not a finite number, or it equals one of the "
                    "sentinels. Build one boolean array for each reason, combine them, and mask where the "
                    "combination is True.",
                    "The result must be a masked array with x's shape and dtype. Compare with the sentinels "
                    "exactly: a tolerant comparison also masks real readings that are merely close to a "
                    "sentinel. An empty list of sentinels masks nothing by that reason.",
                    "Re-read section 2: the table of constructors and the cell that combines two masks.")),
    Exercise("02.2-first-valid", "first_valid", _late_starts, call=typed(),
             hints=("Look at the mask, not the values: in each column you want the position of the first "
                    "entry that is not masked.",
                    "The mask may be the single value nomask; get a full boolean array of shape (time, series) "
                    "first. Searching down axis 0 for the first True of 'valid' gives one index per column — "
                    "counting masked entries is wrong when a series has holes later on.",
                    "Re-read the start of section 3 (leaving the masked world) and section 2 of notebook 01 "
                    "on argmax along an axis.")),
    Exercise("02.3-simple-returns", "simple_returns", _prices, call=typed(), no_warnings=True,
             **_DTYPE, hints=("Each return divides a price by the one before it; shifting the array by one along the "
                    "time axis lines every price up with its predecessor.",
                    "Stay in the masked world: masked arithmetic masks a result wherever either operand is "
                    "masked and never looks at the placeholders under the mask. Filling first brings back "
                    "the 0 or -999 placeholders. Index the first axis only, so 1-D and 2-D both work.",
                    "Re-read 'Masked arrays or np.nan* functions?': the second bullet is this exercise.")),
    Exercise("02.4-fill-linear", "fill_linear", _gappy_series, call=typed(),
             **_DTYPE, hints=("Linear interpolation needs the known points: the times and values where y is valid. "
                    "Evaluate the straight lines between them at every time t.",
                    "The result is a plain array of len(t); at valid positions it must equal y. Interpolate in "
                    "t (the spacing is uneven), not in the position index, and never use the placeholders "
                    "stored under the mask.",
                    "Re-read section 3 on leaving the masked world (compressed, getmaskarray) and the "
                    "function named in the statement.")),
    Exercise("02.5-log-trend", "log_trend", _growing_prices, call=typed(pair=True), no_warnings=True,
             item_names=("slope a", "intercept b"),
             diagnose=_swapped_pair,
             **_DTYPE, hints=("Take the logarithm of the prices, then fit a straight line to (t, log p) using only the "
                    "valid entries.",
                    "Under the mask there may be 0 or negative placeholders: a plain logarithm warns on them, "
                    "so take the log in a way that keeps the mask, or select the valid entries first. A degree-1 "
                    "polynomial fit returns the highest power first. Return a tuple of two floats.",
                    "Re-read the start of section 5 and the statement's formula log p ≈ a t + b.")),
]

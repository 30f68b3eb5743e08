"""Exercises of notebook 02 — masked arrays (inputs only; expected values come from the solution)."""
import numpy as np

from . import Exercise


def _bad(rng):
    cases = []
    for n, sentinels in [(12, [-999.0]), (10, [-1.0, -999.0]), (6, [0.0])]:
        x = rng.normal(20, 5, size=n).round(1)
        x[rng.choice(n, 2, replace=False)] = np.nan
        x[rng.choice(n, 2, replace=False)] = sentinels[-1]
        x[rng.integers(n)] = np.inf
        cases.append((x, sentinels))
    cases.append((rng.normal(size=(3, 4)).round(2), [-999.0]))  # 2-D, nothing to mask
    return cases


def _late_starts(rng):
    cases = []
    for rows, cols in [(8, 3), (5, 5), (10, 1)]:
        data = rng.uniform(1, 100, size=(rows, cols))
        starts = rng.integers(0, rows, size=cols)
        mask = np.arange(rows)[:, None] < starts[None, :]
        mask[rng.integers(rows), rng.integers(cols)] = False
        cases.append((np.ma.masked_array(data, mask=mask),))
    return cases


def _prices(rng):
    cases = []
    for rows, cols in [(6, 3), (4, 2), (9, 4)]:
        data = rng.uniform(10, 100, size=(rows, cols))
        cases.append((np.ma.masked_array(data, mask=rng.uniform(size=(rows, cols)) < 0.25),))
    return cases


def _gappy_series(rng):
    cases = []
    for n in [10, 7, 15]:
        t = np.sort(rng.uniform(0, 10, size=n))
        mask = rng.uniform(size=n) < 0.4
        mask[0] = mask[-1] = False
        cases.append((t, np.ma.masked_array(rng.normal(size=n), mask=mask)))
    return cases


def _growing_prices(rng):
    cases = []
    for n, rate in [(20, 0.05), (12, -0.02), (30, 0.1)]:
        t = np.arange(n) / 12 + 2000
        p = 100 * np.exp(rate * (t - 2000) + 0.02 * rng.normal(size=n))
        cases.append((t, np.ma.masked_array(p, mask=rng.uniform(size=n) < 0.3)))
    return cases


EXERCISES = [
    Exercise("02.1-mask-bad", "mask_bad", _bad,
             hints=("Combine two boolean conditions with |: ~np.isfinite(x) and np.isin(x, sentinels); "
                  "then np.ma.masked_where(condition, x).",)),
    Exercise("02.2-first-valid", "first_valid", _late_starts,
             hints=("~np.ma.getmaskarray(a) is True where valid; np.argmax(..., axis=0) finds the first True.",)),
    Exercise("02.3-simple-returns", "simple_returns", _prices,
             hints=("Use masked arithmetic directly: p[1:] / p[:-1] - 1 keeps the mask; do not fill first.",)),
    Exercise("02.4-fill-linear", "fill_linear", _gappy_series,
             hints=("Select valid times and values with the mask, then np.interp(t, t_valid, y_valid).",)),
    Exercise("02.5-log-trend", "log_trend", _growing_prices,
             hints=("np.ma.polyfit(t, np.ma.log(p), 1) returns [slope, intercept].",)),
]

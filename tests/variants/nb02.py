"""Plausible answers to notebook 02's exercises (see tests/variants/__init__.py)."""
VARIANTS = {
    "02.1-mask-bad": {
        "correct": ["""
def mask_bad(x, sentinels):
    bad = np.isnan(x) | np.isinf(x)
    for s in sentinels:
        bad = bad | (x == s)
    return np.ma.masked_array(x, mask=bad)
""", """
def mask_bad(x, sentinels):
    out = np.ma.masked_invalid(x)
    return np.ma.masked_where(np.isin(x, sentinels), out)
"""],
        "wrong": [("""
def mask_bad(x, sentinels):
    out = np.ma.masked_invalid(x)
    for s in sentinels:
        out = np.ma.masked_values(out, s)
    return out
""", "tolerant comparison with the sentinels (masks 1e-12 as if it were 0)"), ("""
def mask_bad(x, sentinels):
    return np.ma.masked_where(np.isnan(x) | np.isin(x, sentinels), x)
""", "forgot the infinities"), ("""
def mask_bad(x, sentinels):
    bad = ~np.isfinite(x) | np.isin(x, sentinels)
    return np.where(bad, np.nan, x)
""", "a plain array with NaN instead of a masked array"), ("""
def mask_bad(x, sentinels):
    x = x.astype(float)
    return np.ma.masked_where(~np.isfinite(x) | np.isin(x, sentinels), x)
""", "changed integer data to float"), ("""
def mask_bad(x, sentinels):
    return np.ma.masked_invalid(x)
""", "ignored the sentinels"), ("""
def mask_bad(x, sentinels):
    bad = ~np.isfinite(x)
    hit = np.zeros(x.shape, dtype=bool)
    for s in sentinels:
        hit = x == s
    return np.ma.masked_array(x, mask=bad | hit)
""", "kept only the last sentinel's mask (each loop pass replaces the one before)"), ("""
def mask_bad(x, sentinels):
    bad = ~np.isfinite(x) | np.isin(x, sentinels)
    return np.ma.masked_array(x[~bad])
""", "dropped the bad entries instead of masking them"), ("""
def mask_bad(x, sentinels):
    x[~np.isfinite(x)] = sentinels[0] if sentinels else 0
    return np.ma.masked_where(np.isin(x, sentinels), x)
""", "overwrote x in place")],
    },
    "02.2-first-valid": {
        "correct": ["""
def first_valid(a):
    mask = np.ma.getmaskarray(a)
    return np.array([np.flatnonzero(~mask[:, j])[0] for j in range(a.shape[1])])
""", """
def first_valid(a):
    return np.argmin(np.ma.getmaskarray(a), axis=0)
"""],
        "wrong": [("""
def first_valid(a):
    return np.argmax(~a.mask, axis=0)
""", "used .mask, which is nomask when nothing is masked"), ("""
def first_valid(a):
    return np.ma.getmaskarray(a).sum(axis=0)
""", "counted the masked entries (wrong when a series has later holes)"), ("""
def first_valid(a):
    return np.argmax(~np.ma.getmaskarray(a), axis=1)
""", "searched along the wrong axis"), ("""
def first_valid(a):
    return np.argmax(np.ma.getmaskarray(a), axis=0)
""", "found the first masked entry"), ("""
def first_valid(a):
    return np.ma.masked_array(np.argmax(~np.ma.getmaskarray(a), axis=0))
""", "returned a masked array"), ("""
def first_valid(a):
    return np.argmax(~np.ma.getmaskarray(a), axis=0).astype(float)
""", "float indices")],
    },
    "02.3-simple-returns": {
        "correct": ["""
def simple_returns(p):
    return np.ma.diff(p, axis=0) / p[:-1]
""", """
def simple_returns(p):
    mask = np.ma.getmaskarray(p)
    data = np.where(mask, 1.0, np.ma.getdata(p))
    r = data[1:] / data[:-1] - 1
    return np.ma.masked_array(r, mask=mask[1:] | mask[:-1])
"""],
        "wrong": [("""
def simple_returns(p):
    x = p.filled(np.nan)
    return x[1:] / x[:-1] - 1
""", "filled with NaN: a plain array"), ("""
def simple_returns(p):
    return p[1:] / p[:-1]
""", "forgot the - 1"), ("""
def simple_returns(p):
    return np.ma.diff(p, axis=0) / p[1:]
""", "divided by the later price"), ("""
def simple_returns(p):
    d = p.data
    return np.ma.masked_array(d[1:] / d[:-1] - 1, mask=np.ma.getmaskarray(p)[1:])
""", "computed on the placeholders and kept only the later mask"), ("""
def simple_returns(p):
    return p[:, 1:] / p[:, :-1] - 1
""", "shifted along the series axis"), ("""
def simple_returns(p):
    return np.ma.log(p[1:] / p[:-1])
""", "log returns instead of simple returns")],
    },
    "02.4-fill-linear": {
        "correct": ["""
def fill_linear(t, y):
    good = ~np.ma.getmaskarray(y)
    return np.interp(t, t[good], y.compressed())
""", """
def fill_linear(t, y):
    mask = np.ma.getmaskarray(y)
    out = np.array(y.filled(0.0), dtype=float)
    known = np.flatnonzero(~mask)
    for i in np.flatnonzero(mask):
        right = known[np.searchsorted(known, i)]
        left = known[np.searchsorted(known, i) - 1]
        w = (t[i] - t[left]) / (t[right] - t[left])
        out[i] = (1 - w) * out[left] + w * out[right]
    return out
"""],
        "wrong": [("""
def fill_linear(t, y):
    idx = np.arange(len(y))
    good = ~np.ma.getmaskarray(y)
    return np.interp(idx, idx[good], y.compressed())
""", "interpolated in the position index instead of t"), ("""
def fill_linear(t, y):
    good = ~np.ma.getmaskarray(y)
    return np.ma.masked_array(np.interp(t, t[good], y.compressed()))
""", "returned a masked array"), ("""
def fill_linear(t, y):
    return np.interp(t, t, y.filled(0.0))
""", "interpolated through the placeholders"), ("""
def fill_linear(t, y):
    return y.filled(y.mean())
""", "filled with the mean"), ("""
def fill_linear(t, y):
    good = ~np.ma.getmaskarray(y)
    y[~good] = np.interp(t[~good], t[good], y.compressed())
    return y.data
""", "filled y in place")],
    },
    "02.5-log-trend": {
        "correct": ["""
def log_trend(t, p):
    a, b = np.ma.polyfit(t, np.ma.log(p), 1)
    return float(a), float(b)
""", """
def log_trend(t, p):
    ok = ~np.ma.getmaskarray(p)
    tt, yy = t[ok], np.log(p.compressed())
    tm, ym = tt.mean(), yy.mean()
    a = np.sum((tt - tm) * (yy - ym)) / np.sum((tt - tm) ** 2)
    return (a, ym - a * tm)
"""],
        "wrong": [("""
def log_trend(t, p):
    b, a = np.ma.polyfit(t, np.ma.log(p), 1)
    return float(a), float(b)
""", "slope and intercept swapped"), ("""
def log_trend(t, p):
    a, b = np.ma.polyfit(t, np.ma.log10(p), 1)
    return float(a), float(b)
""", "base-10 logarithm"), ("""
def log_trend(t, p):
    return np.ma.polyfit(t, np.ma.log(p), 1)
""", "returned an array instead of a tuple"), ("""
def log_trend(t, p):
    a, b = np.ma.polyfit(t, np.log(p), 1)
    return float(a), float(b)
""", "plain np.log warns on the placeholders under the mask"), ("""
def log_trend(t, p):
    a, b = np.ma.polyfit(t, p, 1)
    return float(a), float(b)
""", "fitted the prices instead of their logarithm"), ("""
def log_trend(t, p):
    a, b = np.polyfit(t, np.log(np.abs(p.data) + 1e-9), 1)
    return float(a), float(b)
""", "fitted through the placeholders too")],
    },
}

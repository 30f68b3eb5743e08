"""Plausible answers to notebook 02's exercises (see tests/variants/__init__.py)."""
VARIANTS = {
    "02.1-mask-bad": {
        "correct": ["""
def mask_bad(x, codes):
    bad = np.isnan(x) | np.isinf(x)
    for j, code in enumerate(codes):
        bad[:, j] |= x[:, j] == code
    return np.ma.masked_array(x, mask=bad)
""", """
def mask_bad(x, codes):
    out = np.ma.masked_invalid(x)
    return np.ma.masked_where(x == np.asarray(codes)[None, :], out)
"""],
        "wrong": [("""
def mask_bad(x, codes):
    return np.ma.masked_where(~np.isfinite(x) | np.isin(x, codes), x)
""", "compared every entry with every column's code (masks a real -1.0 temperature)"), ("""
def mask_bad(x, codes):
    c = np.asarray(codes, dtype=float)
    return np.ma.masked_where(~np.isfinite(x) | (x == c[:, None]), x)
""", "lined the codes up with the rows"), ("""
def mask_bad(x, codes):
    out = np.ma.masked_invalid(x)
    for j, code in enumerate(codes):
        out[:, j] = np.ma.masked_values(out[:, j], code)
    return out
""", "tolerant comparison with the codes (masks 1e-12 as if it were 0)"), ("""
def mask_bad(x, codes):
    return np.ma.masked_where(np.isnan(x) | (x == np.asarray(codes)), x)
""", "forgot the infinities"), ("""
def mask_bad(x, codes):
    bad = ~np.isfinite(x) | (x == np.asarray(codes))
    return np.where(bad, np.nan, x)
""", "a plain array with NaN instead of a masked array"), ("""
def mask_bad(x, codes):
    x = x.astype(float)
    return np.ma.masked_where(~np.isfinite(x) | (x == np.asarray(codes)), x)
""", "changed integer data to float"), ("""
def mask_bad(x, codes):
    return np.ma.masked_where(~np.isfinite(x) | (x == codes[0]), x)
""", "used the first column's code for every column")],
    },
    "02.2-valid-span": {
        "correct": ["""
def valid_span(a):
    mask = np.ma.getmaskarray(a)
    first, last = [], []
    for j in range(mask.shape[1]):
        rows = np.flatnonzero(~mask[:, j])
        first.append(rows[0] if rows.size else -1)
        last.append(rows[-1] if rows.size else -1)
    return np.array(first), np.array(last)
""", """
def valid_span(a):
    ok = ~np.ma.getmaskarray(a)
    rows = np.arange(ok.shape[0])[:, None]
    n = ok.shape[0]
    first = np.where(ok, rows, n).min(axis=0)
    last = np.where(ok, rows, -1).max(axis=0)
    return np.where(first == n, -1, first), last
"""],
        "wrong": [("""
def valid_span(a):
    ok = ~np.ma.getmaskarray(a)
    return np.argmax(ok, axis=0), ok.shape[0] - 1 - np.argmax(ok[::-1], axis=0)
""", "a column with no valid entry looks like one found at row 0 and the last row"), ("""
def valid_span(a):
    ok = ~a.mask
    first = np.argmax(ok, axis=0)
    last = ok.shape[0] - 1 - np.argmax(ok[::-1], axis=0)
    none = ~ok.any(axis=0)
    first[none], last[none] = -1, -1
    return first, last
""", "used .mask, which is nomask when nothing is masked"), ("""
def valid_span(a):
    m = np.ma.getmaskarray(a)
    first = m.sum(axis=0)
    last = np.full(m.shape[1], m.shape[0] - 1)
    none = m.all(axis=0)
    first[none], last[none] = -1, -1
    return first, last
""", "counted the masked entries and assumed every series runs to the end"), ("""
def valid_span(a):
    ok = ~np.ma.getmaskarray(a)
    first = np.argmax(ok, axis=0)
    last = np.argmax(ok[::-1], axis=0)
    none = ~ok.any(axis=0)
    first[none], last[none] = -1, -1
    return first, last
""", "the last valid entry counted from the bottom, not from the top"), ("""
def valid_span(a):
    ok = ~np.ma.getmaskarray(a)
    first = np.argmax(ok, axis=1)
    last = ok.shape[1] - 1 - np.argmax(ok[:, ::-1], axis=1)
    return first, last
""", "searched along the wrong axis"), ("""
def valid_span(a):
    ok = ~np.ma.getmaskarray(a)
    first = np.argmax(ok, axis=0)
    last = ok.shape[0] - 1 - np.argmax(ok[::-1], axis=0)
    none = ~ok.any(axis=0)
    first[none], last[none] = -1, -1
    return [first, last]
""", "returned a list instead of a tuple")],
    },
    "02.3-return-stats": {
        "correct": ["""
def return_stats(p, min_months):
    mask = np.ma.getmaskarray(p)
    prices = np.ma.getdata(p)
    both = ~mask[1:] & ~mask[:-1]
    k = prices.shape[1]
    mean, std = np.zeros(k), np.zeros(k)
    for j in range(k):
        r = prices[1:, j][both[:, j]] / prices[:-1, j][both[:, j]] - 1
        if r.size:
            mean[j], std[j] = r.mean(), r.std()
    few = both.sum(axis=0) < min_months
    return np.ma.masked_array(mean, mask=few), np.ma.masked_array(std, mask=few)
""", """
def return_stats(p, min_months):
    r = np.ma.diff(p, axis=0) / p[:-1]
    n = r.count(axis=0)
    mean = r.sum(axis=0) / np.maximum(n, 1)
    std = np.ma.sqrt(((r - mean) ** 2).sum(axis=0) / np.maximum(n, 1))
    keep = n >= min_months
    return np.ma.array(mean, mask=~keep), np.ma.array(std, mask=~keep)
"""],
        "wrong": [("""
def return_stats(p, min_months):
    x = p.filled(np.nan)
    r = x[1:] / x[:-1] - 1
    few = np.sum(~np.isnan(r), axis=0) < min_months
    return (np.ma.masked_where(few, np.nanmean(r, axis=0)), np.ma.masked_where(few, np.nanstd(r, axis=0)))
""", "filled with NaN: a column with no return warns"), ("""
def return_stats(p, min_months):
    r = p[1:] / p[:-1] - 1
    few = p.count(axis=0) < min_months
    return np.ma.masked_where(few, r.mean(axis=0)), np.ma.masked_where(few, r.std(axis=0))
""", "counted prices instead of returns for the threshold"), ("""
def return_stats(p, min_months):
    r = p[1:] / p[:-1] - 1
    few = r.count(axis=0) <= min_months
    return np.ma.masked_where(few, r.mean(axis=0)), np.ma.masked_where(few, r.std(axis=0))
""", "masked a column with exactly min_months returns"), ("""
def return_stats(p, min_months):
    r = p[1:] / p[:-1] - 1
    return r.mean(axis=0), r.std(axis=0)
""", "ignored min_months"), ("""
def return_stats(p, min_months):
    r = p[1:] / p[:-1] - 1
    few = r.count(axis=0) < min_months
    return np.ma.masked_where(few, r.mean(axis=0)), np.ma.masked_where(few, r.std(axis=0, ddof=1))
""", "divided by n - 1 in the standard deviation"), ("""
def return_stats(p, min_months):
    d = p.data
    r = np.ma.masked_array(d[1:] / d[:-1] - 1, mask=np.ma.getmaskarray(p)[1:])
    few = r.count(axis=0) < min_months
    return np.ma.masked_where(few, r.mean(axis=0)), np.ma.masked_where(few, r.std(axis=0))
""", "computed on the placeholders and kept only the later mask"), ("""
def return_stats(p, min_months):
    r = p[1:] / p[:-1] - 1
    few = r.count(axis=0) < min_months
    return np.ma.masked_where(few, r.mean(axis=0)).filled(np.nan), np.ma.masked_where(few, r.std(axis=0)).filled(np.nan)
""", "returned plain arrays with NaN")],
    },
    "02.4-fill-linear": {
        "correct": ["""
def fill_linear(t, y):
    mask = np.ma.getmaskarray(y)
    out = np.array(y.filled(0.0), dtype=float)
    known = np.flatnonzero(~mask)
    for i in np.flatnonzero(mask):
        before, after = known[known < i], known[known > i]
        if before.size == 0:
            out[i] = out[after[0]]
        elif after.size == 0:
            out[i] = out[before[-1]]
        else:
            l, r = before[-1], after[0]
            w = (t[i] - t[l]) / (t[r] - t[l])
            out[i] = out[l] + w * (out[r] - out[l])
    return out
""", """
def fill_linear(t, y):
    ok = ~np.ma.getmaskarray(y)
    n = len(t)
    idx = np.arange(n)
    prev = np.maximum.accumulate(np.where(ok, idx, -1))
    nxt = np.minimum.accumulate(np.where(ok, idx, n)[::-1])[::-1]
    prev = np.where(prev < 0, nxt, prev)
    nxt = np.where(nxt >= n, prev, nxt)
    v = np.ma.getdata(y).astype(float)
    tt = np.asarray(t, dtype=float)
    gap = tt[nxt] - tt[prev]
    w = np.zeros(n)
    inside = gap > 0
    w[inside] = (tt[inside] - tt[prev][inside]) / gap[inside]
    return v[prev] * (1 - w) + v[nxt] * w
"""],
        "wrong": [("""
def fill_linear(t, y):
    good = ~np.ma.getmaskarray(y)
    return np.interp(t, t[good], y.compressed())
""", "used np.interp, which the statement rules out"), ("""
import numpy as npx
def fill_linear(t, y):
    good = ~np.ma.getmaskarray(y)
    f = npx.interp
    return f(t, t[good], np.ma.getdata(y)[good])
""", "np.interp through an alias"), ("""
def fill_linear(t, y):
    have = np.flatnonzero(~np.ma.getmaskarray(y))
    vals = np.ma.getdata(y)[have].astype(float)
    pos = np.arange(len(y))
    hi = np.searchsorted(have, pos).clip(0, len(have) - 1)
    lo = (np.searchsorted(have, pos, side="right") - 1).clip(0)
    frac = np.where(have[hi] > have[lo], (pos - have[lo]) / np.maximum(have[hi] - have[lo], 1), 0.0)
    return vals[lo] + frac * (vals[hi] - vals[lo])
""", "interpolated in the position index instead of t"), ("""
def fill_linear(t, y):
    ok = ~np.ma.getmaskarray(y)
    k = np.arange(len(t))
    below = np.maximum.accumulate(np.where(ok, k, 0))
    above = np.minimum.accumulate(np.where(ok, k, len(t) - 1)[::-1])[::-1]
    v = np.ma.getdata(y).astype(float)
    d = t[above] - t[below]
    share = np.divide(t - t[below], d, out=np.zeros(len(t)), where=d > 0)
    return share * v[below] + (1 - share) * v[above]
""", "weights the wrong way round (the nearer neighbour counts less)"), ("""
def fill_linear(t, y):
    mask = np.ma.getmaskarray(y)
    out = np.array(y.filled(0.0), dtype=float)
    known = np.flatnonzero(~mask)
    for i in np.flatnonzero(mask):
        before, after = known[known < i], known[known > i]
        if before.size and after.size:
            l, r = before[-1], after[0]
            out[i] = out[l] + (t[i] - t[l]) / (t[r] - t[l]) * (out[r] - out[l])
    return out
""", "left the gaps at the ends at 0"), ("""
def fill_linear(t, y):
    return np.asarray(y.filled(y.mean()), dtype=float)
""", "filled with the mean"), ("""
def fill_linear(t, y):
    m = np.ma.getmaskarray(y)
    filled = np.ma.getdata(y).astype(float).copy()
    seen = np.flatnonzero(~m)
    for i in np.flatnonzero(m):
        j = np.searchsorted(seen, i)
        a, b = seen[max(j - 1, 0)], seen[min(j, len(seen) - 1)]
        filled[i] = filled[a] if a == b else filled[a] + (t[i] - t[a]) / (t[b] - t[a]) * (filled[b] - filled[a])
    return np.ma.masked_array(filled, mask=m)
""", "returned a masked array")],
    },
    "02.5-log-trends": {
        "correct": ["""
def log_trends(t, p):
    mask = np.ma.getmaskarray(p)
    a, b = [], []
    for j in range(p.shape[1]):
        ok = ~mask[:, j]
        tt, yy = t[ok], np.log(np.ma.getdata(p)[ok, j])
        tm, ym = tt.mean(), yy.mean()
        slope = np.sum((tt - tm) * (yy - ym)) / np.sum((tt - tm) ** 2)
        a.append(slope)
        b.append(ym - slope * tm)
    return np.array(a), np.array(b)
""", """
def log_trends(t, p):
    w = (~np.ma.getmaskarray(p)).astype(float)
    y = np.log(np.where(w > 0, np.ma.getdata(p), 1.0))
    T = np.asarray(t, dtype=float)[:, None]
    n = w.sum(axis=0)
    st, sy = (w * T).sum(axis=0), (w * y).sum(axis=0)
    stt, sty = (w * T * T).sum(axis=0), (w * T * y).sum(axis=0)
    tm = st / n
    a = (sty - st * sy / n) / (stt - st * tm)
    return a, sy / n - a * tm
"""],
        "wrong": [("""
def log_trends(t, p):
    a, b = np.ma.polyfit(t, np.ma.log(p), 1)
    return np.asarray(a), np.asarray(b)
""", "a library fit, ruled out (and on the 2-D table it keeps only the months every series shares)"), ("""
def log_trends(t, p):
    y = np.ma.log(p)
    dt = (t - t.mean())[:, None]
    y_mean = y.mean(axis=0)
    a = (dt * (y - y_mean)).sum(axis=0) / np.ma.masked_array(np.broadcast_to(dt ** 2, y.shape), mask=np.ma.getmaskarray(y)).sum(axis=0)
    return np.ma.getdata(a), np.ma.getdata(y_mean - a * t.mean())
""", "centred the times on the mean of all times, not of each column's valid ones"), ("""
def log_trends(t, p):
    y = np.ma.log10(p)
    tt = np.ma.array(np.tile(t[:, None], (1, p.shape[1])), mask=np.ma.getmaskarray(y))
    a = ((tt - tt.mean(0)) * (y - y.mean(0))).sum(0) / tt.var(0) / tt.count(0)
    return np.ma.getdata(a), np.ma.getdata(y.mean(0) - a * tt.mean(0))
""", "base-10 logarithm"), ("""
def log_trends(t, p):
    slopes, intercepts = np.empty(p.shape[1]), np.empty(p.shape[1])
    for j in range(p.shape[1]):
        col = p[:, j]
        keep = ~np.ma.getmaskarray(col)
        x, z = t[keep], np.log(col.compressed())
        slopes[j] = np.cov(x, z, bias=True)[0, 1] / x.var()
        intercepts[j] = z.mean() - slopes[j] * x.mean()
    return intercepts, slopes
""", "slopes and intercepts swapped"), ("""
def log_trends(t, p):
    y = np.log(p)
    times = np.ma.masked_array(np.broadcast_to(t[:, None], y.shape), mask=np.ma.getmaskarray(p))
    tm, ym = times.mean(axis=0), y.mean(axis=0)
    a = ((times - tm) * (y - ym)).sum(axis=0) / ((times - tm) ** 2).sum(axis=0)
    return np.ma.getdata(a).astype(float), np.ma.getdata(ym - a * tm).astype(float)
""", "plain np.log warns on the placeholders under the mask"), ("""
def log_trends(t, p):
    y = np.ma.log(p)
    times = np.ma.masked_array(np.broadcast_to(t[:, None], y.shape), mask=np.ma.getmaskarray(y))
    tm, ym = times.mean(axis=0), y.mean(axis=0)
    a = ((times - tm) * (y - ym)).sum(axis=0) / ((times - tm) ** 2).sum(axis=0)
    return tuple(np.ma.getdata(a)), tuple(np.ma.getdata(ym - a * tm))
""", "returned tuples of numbers instead of arrays"), ("""
import numpy.linalg as la
def log_trends(t, p):
    mask = np.ma.getmaskarray(p)
    a, b = [], []
    for j in range(p.shape[1]):
        ok = ~mask[:, j]
        X = np.column_stack([t[ok], np.ones(ok.sum())])
        slope, icpt = la.lstsq(X, np.log(np.ma.getdata(p)[ok, j]), rcond=None)[0]
        a.append(slope)
        b.append(icpt)
    return np.array(a), np.array(b)
""", "a library least-squares solver through an alias, ruled out")],
    },
}

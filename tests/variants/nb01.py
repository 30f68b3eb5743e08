"""Plausible answers to notebook 01's exercises (see tests/variants/__init__.py)."""
VARIANTS = {
    "01.1-brightest-pixel": {
        "correct": ["""
def brightest_pixels(img):
    flat = img.reshape(-1, img.shape[-1]).argmax(axis=0)
    rows, cols = np.unravel_index(flat, img.shape[:2])
    return np.array([rows, cols]).T
""", """
def brightest_pixels(img):
    found = []
    for c in range(img.shape[2]):
        k = np.argmax(img[:, :, c])
        found.append(divmod(k, img.shape[1]))
    return np.array(found, dtype=np.int64)
""", """
def brightest_pixels(img):
    h, w, c = img.shape
    by_channel = img.transpose(2, 0, 1).reshape(c, h * w)
    best = by_channel.argmax(axis=1)
    return np.stack([best // w, best % w], axis=-1)
"""],
        "wrong": [("""
def brightest_pixels(img):
    h, w, c = img.shape
    best = img.reshape(c, h * w).argmax(axis=1)
    return np.stack([best // w, best % w], axis=1)
""", "reshaped to (channels, pixels) without moving the channel axis: mixes the channels"), ("""
def brightest_pixels(img):
    h, w, c = img.shape
    best = img.reshape(h * w, c).argmax(axis=0)
    return np.stack([best // h, best % h], axis=1)
""", "divided by the height instead of the width"), ("""
def brightest_pixels(img):
    h, w, c = img.shape
    best = img.reshape(h * w, c).argmax(axis=0)
    return np.stack([best % w, best // w], axis=1)
""", "(column, row) instead of (row, column)"), ("""
def brightest_pixels(img):
    rows = img.max(axis=1).argmax(axis=0)
    cols = img.max(axis=0).argmax(axis=0)
    return np.stack([rows, cols], axis=1)
""", "row and column found separately: on ties they can belong to different pixels"), ("""
def brightest_pixels(img):
    flat = img.reshape(-1, img.shape[-1]).argmax(axis=0)
    return np.array(np.unravel_index(flat, img.shape[:2]))
""", "shape (2, channels) instead of (channels, 2)"), ("""
def brightest_pixels(img):
    h, w, c = img.shape
    last = (h * w - 1) - img.reshape(h * w, c)[::-1].argmax(axis=0)
    return np.stack([last // w, last % w], axis=1)
""", "on ties the last pixel in reading order")],
    },
    "01.2-standardize-columns": {
        "correct": ["""
def standardize_columns(X):
    Z = X - np.mean(X, axis=0, keepdims=True)
    return Z / np.sqrt(np.mean(Z ** 2, axis=0, keepdims=True))
""", """
def standardize_columns(X):
    X = np.array(X, dtype=float)
    X -= X.mean(axis=0)
    X /= X.std(axis=0)
    return X
"""],
        "wrong": [("""
def standardize_columns(X):
    return (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True)
""", "standardised the rows"), ("""
def standardize_columns(X):
    return (X - X.mean(axis=0)) / X.std(axis=0, ddof=1)
""", "sample standard deviation (ddof=1)"), ("""
def standardize_columns(X):
    X -= X.mean(axis=0)
    X /= X.std(axis=0)
    return X
""", "modified X in place"), ("""
def standardize_columns(X):
    return (X - X.mean()) / X.std()
""", "one mean and std for the whole table"), ("""
def standardize_columns(X):
    return (X - X.mean(axis=0)) / X.var(axis=0)
""", "divided by the variance"), ("""
def standardize_columns(X):
    return X - X.mean(axis=0)
""", "forgot to divide by the standard deviation")],
    },
    "01.3-to-grey": {
        "correct": ["""
def to_grey(img):
    return (LUMINANCE * img ** GAMMA).sum(axis=-1) ** (1 / GAMMA)
""", """
def to_grey(img):
    lin = np.power(img, GAMMA)
    return np.tensordot(lin, LUMINANCE, axes=([-1], [0])) ** (1.0 / GAMMA)
""", """
def to_grey(img):
    r, g, b = img[..., 0] ** 2.2, img[..., 1] ** 2.2, img[..., 2] ** 2.2
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return y ** (1 / 2.2)
"""],
        "wrong": [("""
def to_grey(img):
    return img @ LUMINANCE
""", "weighted the stored values: no decoding, no encoding"), ("""
def to_grey(img):
    return (img ** GAMMA) @ LUMINANCE
""", "the light itself: forgot to encode the sum"), ("""
def to_grey(img):
    return (img ** (1 / GAMMA) @ LUMINANCE) ** GAMMA
""", "decoded and encoded with the exponents swapped"), ("""
def to_grey(img):
    return ((img @ LUMINANCE) ** GAMMA) ** (1 / GAMMA)
""", "applied the powers around the sum instead of to each value"), ("""
def to_grey(img):
    return (img ** GAMMA).mean(axis=-1) ** (1 / GAMMA)
""", "plain average of the light, no weights"), ("""
def to_grey(img):
    return ((img ** GAMMA) * LUMINANCE[:, None, None]).sum(axis=0) ** (1 / GAMMA)
""", "weighted the height axis"), ("""
def to_grey(img):
    return (((img ** GAMMA) @ LUMINANCE) ** (1 / GAMMA)).astype(np.float32)
""", "float32 result")],
    },
    "01.4-relative-error": {
        "correct": ["""
def relative_error(A, B):
    return np.linalg.norm(A - B, axis=(-2, -1)) / np.linalg.norm(A, axis=(-2, -1))
""", """
def relative_error(A, B):
    num = ((A - B) ** 2).sum(axis=-1).sum(axis=-1)
    den = (A ** 2).sum(axis=-1).sum(axis=-1)
    return np.sqrt(num / den)
"""],
        "wrong": [("""
def relative_error(A, B):
    return np.linalg.norm(A - B) / np.linalg.norm(A)
""", "one norm over the whole stack"), ("""
def relative_error(A, B):
    return ((A - B) ** 2).sum(axis=(-2, -1)) / (A ** 2).sum(axis=(-2, -1))
""", "forgot the square roots"), ("""
def relative_error(A, B):
    return np.linalg.norm(A - B, axis=(-2, -1)) / np.linalg.norm(B, axis=(-2, -1))
""", "relative to B instead of A"), ("""
def relative_error(A, B):
    return np.linalg.norm(A - B, axis=(0, 1)) / np.linalg.norm(A, axis=(0, 1))
""", "the first two axes instead of the last two"), ("""
def relative_error(A, B):
    return np.linalg.norm(A - B, axis=-1) / np.linalg.norm(A, axis=-1)
""", "row norms only"), ("""
def relative_error(A, B):
    return np.abs(A - B).sum(axis=(-2, -1)) / np.abs(A).sum(axis=(-2, -1))
""", "sum of absolute values instead of the Frobenius norm")],
    },
    "01.5-rank-k": {
        "correct": ["""
def rank_k_approx(U, s, Vt, k):
    return U[..., :k] @ (s[..., :k, None] * Vt[..., :k, :])
""", """
def rank_k_approx(U, s, Vt, k):
    return np.einsum("...ik,...k,...kj->...ij", U[..., :k], s[..., :k], Vt[..., :k, :])
"""],
        "wrong": [("""
def rank_k_approx(U, s, Vt, k):
    return U[:, :k] @ np.diag(s[:k]) @ Vt[:k, :]
""", "works for one matrix only, not a stack"), ("""
def rank_k_approx(U, s, Vt, k):
    return (U[..., :k + 1] * s[..., None, :k + 1]) @ Vt[..., :k + 1, :]
""", "kept k + 1 components"), ("""
def rank_k_approx(U, s, Vt, k):
    return U[..., :k] @ Vt[..., :k, :]
""", "forgot the singular values"), ("""
def rank_k_approx(U, s, Vt, k):
    return (U[..., :k] * s[..., None, :k]) @ Vt[..., :, :k].swapaxes(-1, -2)
""", "took columns of Vt instead of rows"), ("""
def rank_k_approx(U, s, Vt, k):
    return (U[..., :k] * s[..., None, -k:]) @ Vt[..., :k, :]
""", "the smallest singular values"), ("""
def rank_k_approx(U, s, Vt, k):
    out = np.zeros(U.shape[:-1] + Vt.shape[-1:])
    for i in range(k):
        out += s[..., i, None, None] * U[..., :, i, None] * Vt[..., None, i, :]
    return out.astype(np.float32)
""", "right sum of outer products, float32 result")],
    },
    "01.6-batched-matvec": {
        "correct": ["""
def batched_matvec(M, v):
    return np.einsum("nmk,nk->nm", M, v)
""", """
def batched_matvec(M, v):
    return (M * v[:, None, :]).sum(axis=-1)
""", """
def batched_matvec(M, v):
    return np.squeeze(M @ v[:, :, np.newaxis], axis=2)
"""],
        "wrong": [("""
def batched_matvec(M, v):
    return (M.transpose(0, 2, 1) @ v[..., None])[..., 0]
""", "multiplied by the transposed matrices"), ("""
def batched_matvec(M, v):
    return (M * v[:, None, :]).sum(axis=1)
""", "summed over the wrong axis"), ("""
def batched_matvec(M, v):
    return np.squeeze(M @ v[..., None])
""", "squeezed every length-1 axis, also n = 1 or m = 1"), ("""
def batched_matvec(M, v):
    return M @ v[..., None]
""", "left the helper axis in"), ("""
def batched_matvec(M, v):
    return (v[:, None, :] @ M.transpose(0, 2, 1)).reshape(len(v), -1).astype(np.float32)
""", "right values, float32")],
    },
    "01.7-margins": {
        "correct": ["""
def margins(scores, labels):
    own = np.take_along_axis(scores, labels[:, None].astype(np.intp), axis=1)[:, 0]
    is_label = np.arange(scores.shape[1])[None, :] == labels[:, None]
    return own - np.where(is_label, -np.inf, scores).max(axis=1)
""", """
def margins(scores, labels):
    n, k = scores.shape
    mask = np.zeros((n, k), dtype=bool)
    mask[np.arange(n), labels] = True
    return scores[mask] - scores[~mask].reshape(n, k - 1).max(axis=1)
""", """
def margins(scores, labels):
    out = np.empty(len(labels))
    for i, c in enumerate(labels):
        row = scores[i]
        out[i] = row[c] - np.delete(row, c).max()
    return out
""", """
def margins(scores, labels):
    top_two = np.sort(scores, axis=1)[:, -2:]
    own = np.take_along_axis(scores, labels.reshape(-1, 1).astype(int), axis=1).ravel()
    best_other = np.where(own == top_two[:, 1], top_two[:, 0], top_two[:, 1])
    return own - best_other
"""],
        "wrong": [("""
def margins(scores, labels):
    own = scores[:, labels]
    others = scores.copy()
    others[:, labels] = -np.inf
    return own - others.max(axis=1)
""", "a colon for the rows: whole columns, an (n, n) table"), ("""
def margins(scores, labels):
    own = scores[np.arange(len(labels)), labels]
    return own - scores.max(axis=1)
""", "the labelled class took part in the maximum"), ("""
def margins(scores, labels):
    own = scores[np.arange(len(labels)), labels]
    return own - np.sort(scores, axis=1)[:, -2]
""", "subtracted the second-largest score, right only when the label wins"), ("""
def margins(scores, labels):
    rows = np.arange(len(labels))
    own = scores[rows, labels]
    scores[rows, labels] = -np.inf
    return own - scores.max(axis=1)
""", "scattered into the input instead of a copy"), ("""
def margins(scores, labels):
    own = scores[labels, np.arange(len(labels))]
    others = np.where(np.arange(scores.shape[1]) == labels[:, None], -np.inf, scores)
    return own - others.max(axis=1)
""", "row and column index arrays swapped"), ("""
def margins(scores, labels):
    own = scores[np.arange(len(labels)), labels]
    others = np.where(np.arange(scores.shape[1]) == labels[:, None], 0.0, scores)
    return own - others.max(axis=1)
""", "set the labelled entries to 0, which is not below every other score")],
    },
}

"""Plausible answers to notebook 01's exercises (see tests/variants/__init__.py)."""
VARIANTS = {
    "01.1-channel-means": {
        "correct": ["""
def channel_means(img):
    h, w, c = img.shape
    return img.reshape(h * w, c).sum(axis=0) / (h * w)
""", """
def channel_means(img):
    return img.mean(axis=0).mean(axis=0)
""", """
def channel_means(img):
    return np.mean(img, axis=(-3, -2))
"""],
        "wrong": [("""
def channel_means(img):
    return img.mean(axis=(1, 2))
""", "averaged over the wrong axes"), ("""
def channel_means(img):
    return img.mean(axis=0)
""", "averaged over the height only"), ("""
def channel_means(img):
    return img.sum(axis=(0, 1)) / img.shape[0]
""", "divided by the height instead of the pixel count"), ("""
def channel_means(img):
    return img.mean(axis=(0, 1)).astype(np.float32)
""", "float32 instead of float64"), ("""
def channel_means(img):
    return list(img.mean(axis=(0, 1)))
""", "a list instead of an array"), ("""
def channel_means(img):
    return img.mean(axis=(0, 1), keepdims=True)
""", "kept the reduced axes")],
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
    return 0.2126 * img[..., 0] + 0.7152 * img[..., 1] + 0.0722 * img[..., 2]
""", """
def to_grey(img):
    return np.tensordot(img, LUMINANCE, axes=([-1], [0]))
""", """
def to_grey(img):
    return (img * LUMINANCE).sum(axis=-1)
"""],
        "wrong": [("""
def to_grey(img):
    return img.mean(axis=-1)
""", "plain average of the channels"), ("""
def to_grey(img):
    return (img * LUMINANCE[:, None, None]).sum(axis=0)
""", "weighted the height axis"), ("""
def to_grey(img):
    return img @ LUMINANCE[::-1]
""", "weights in BGR order"), ("""
def to_grey(img):
    return (img @ LUMINANCE).astype(np.float32)
""", "float32 result"), ("""
def to_grey(img):
    return img[..., 0] * 0.2126 + img[..., 1] * 0.7152 + img[..., 1] * 0.0722
""", "used green twice")],
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
}

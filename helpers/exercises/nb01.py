"""Exercises of notebook 01 — n-dimensional arrays and axes (inputs only; expected values come from the solution)."""
from . import Exercise


def _images(rng):
    return [(rng.uniform(size=shape),) for shape in [(4, 5, 3), (2, 3, 4), (1, 1, 3), (6, 2, 3)]]


def _rgb(rng):
    return [(rng.uniform(size=shape),) for shape in [(4, 5, 3), (2, 2, 3), (1, 3, 3)]]


def _tables(rng):
    return [(rng.normal(5, 3, size=shape),) for shape in [(6, 3), (4, 4), (10, 2)]]


def _pairs(rng):
    cases = []
    for shape in [(4, 3), (3, 4, 5), (2, 6, 6)]:
        a = rng.normal(size=shape)
        cases.append((a, a + 0.1 * rng.normal(size=shape)))
    return cases


def _stacks(rng):
    return [(rng.normal(size=(3, 6, 5)), 2), (rng.normal(size=(2, 4, 4)), 1), (rng.normal(size=(6, 3)), 3),
            (rng.normal(size=(2, 2, 5, 4)), 2)]


def _matvec(rng):
    return [(rng.normal(size=(n, m, k)), rng.normal(size=(n, k))) for n, m, k in [(4, 3, 2), (1, 2, 5), (3, 3, 3)]]


EXERCISES = [
    Exercise("01.1-channel-means", "channel_means", _images,
             hints=("Average over the two pixel axes, height and width: axis=(0, 1).",)),
    Exercise("01.2-standardize-columns", "standardize_columns", _tables,
             hints=("Reduce with axis=0 to get one mean and one std per column; broadcasting does the rest. "
                  "Build a new array instead of using -= or /= on X.",)),
    Exercise("01.3-to-grey", "to_grey", _rgb,
             hints=("A matrix product over the last axis: img @ LUMINANCE.",)),
    Exercise("01.4-relative-error", "relative_error", _pairs,
             hints=("np.linalg.norm(A - B, axis=(-2, -1)) / np.linalg.norm(A, axis=(-2, -1)).",)),
    Exercise("01.5-rank-k", "rank_k_approx", _stacks,
             hints=("U[..., :, :k] * s[..., None, :k] scales the first k columns of U; then @ Vt[..., :k, :].",)),
    Exercise("01.6-batched-matvec", "batched_matvec", _matvec,
             hints=("Turn each vector into a column with v[..., None], multiply with @, drop the last axis.",)),
]

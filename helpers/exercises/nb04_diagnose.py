"""Notebook 04's diagnoses: name the typical mistake behind a failed self-check, in the learner's terms.

Each ``*_diagnose(expected, got, args)`` compares what the learner returned with what a
known mistake would give on the same inputs (computed here from the inputs and the expected
values) and returns one line naming it, or ``None``. The lines describe the idea that went
wrong, never the code that is right.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..checks import load_expected


def _close(a: Any, b: Any, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    try:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def _logistic(z: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -z))


def forward_pass(params: list, X: np.ndarray) -> list[np.ndarray]:
    """The activations ``[X, A1, ..., P]`` a real forward pass produces (sigmoid hidden layers, softmax output).

    Written independently of the notebook's exercises, so the backward check never depends
    on the learner's forward code.
    """
    activations = [np.array(X, dtype=float)]
    for i, (W, b) in enumerate(params):
        Z = np.einsum("mi,oi->mo", activations[-1], W) + b
        if i == len(params) - 1:
            activations.append(np.exp(Z - np.logaddexp.reduce(Z, axis=-1)[:, np.newaxis]))
        else:
            activations.append(_logistic(Z))
    return activations


# ---------------------------------------------------------------- 04.1 - 04.6
def sigmoid_diagnose(expected, got, args) -> str | None:
    (z,) = args
    if _close(got, 1 - np.asarray(expected)):
        return "the values are 1 − σ(z): the sign of z is flipped somewhere"
    return None


def sigmoid_prime_diagnose(expected, got, args) -> str | None:
    (z,) = args
    with np.errstate(all="ignore"):
        if _close(got, z * (1 - z)):
            return "the formula of σ′ combines σ(z) with itself; you combined z with itself"
        if _close(got, _logistic(z)):
            return "these are the values of σ(z) itself, not of its slope"
    return None


def dense_diagnose(expected, got, args) -> str | None:
    A, W, b = args
    if _close(got, np.asarray(expected) - b):
        return "the bias b is missing"
    if W.shape[0] == W.shape[1] and _close(got, np.einsum("mi,io->mo", A, W) + b):
        return "W was used as if it were stored (in, out); it is (out, in), as in the maths"
    return None


def softmax_diagnose(expected, got, args) -> str | None:
    (Z,) = args
    with np.errstate(all="ignore"):
        by_column = np.exp(Z - np.logaddexp.reduce(Z, axis=0, keepdims=True))  # normalised down each column
    if _close(got, by_column):
        return "each column sums to 1 instead of each row: normalise over the class axis"
    g = np.asarray(got, dtype=float) if isinstance(got, np.ndarray) else None
    if g is not None and g.shape == Z.shape and np.isfinite(g).all() and not _close(g.sum(axis=1), 1):
        return "the rows do not sum to 1"
    return None


def _as_floats(expected, got) -> tuple[float, float] | None:
    """Both values as floats, or None when the learner's value is not a number (other checks say so)."""
    try:
        return float(expected), float(got)
    except (TypeError, ValueError):
        return None


def cross_entropy_diagnose(expected, got, args) -> str | None:
    P, y = args
    if (pair := _as_floats(expected, got)) is None:
        return None
    exp, g = pair
    m = len(y)
    if m > 1 and np.isclose(g, m * exp, rtol=1e-6):
        return f"summed over the batch instead of averaging: {m} times the mean"
    if np.isclose(g, -exp, rtol=1e-6) and exp != 0:
        return "the sign is flipped: the loss is −log p, which is never negative"
    if exp != 0 and np.isclose(g, exp / np.log(10), rtol=1e-6):
        return "logarithm to base 10: cross-entropy uses the natural logarithm"
    picked = np.asarray(P, dtype=float)[np.arange(m), np.asarray(y, dtype=int)]
    shifted = np.log(picked + 1e-12).sum() / -m  # the loss with ε added to every probability
    if (picked < 1e-12).any() and np.isclose(g, shifted, rtol=1e-9):
        return ("added 10⁻¹² to the probabilities instead of clipping them: a probability below 10⁻¹² must "
                "count as exactly 10⁻¹²")
    return None


def accuracy_diagnose(expected, got, args) -> str | None:
    P, y = args
    if (pair := _as_floats(expected, got)) is None:
        return None
    exp, g = pair
    predicted = P.argmax(axis=-1)
    if len(np.shape(y)) == 2 and np.shape(y)[-1] == len(predicted) and not np.isclose(g, exp) \
            and np.isclose(g, np.mean(predicted[np.newaxis, :] == y)):  # broadcast one-hot rows against labels
        return ("the one-hot labels were compared with the predicted classes as if they were labels: with one-hot "
                "rows the true class is where a row's 1 is")
    if len(y) > 1 and np.isclose(g, exp * len(y)):
        return "counted the correct rows; the accuracy is the fraction of them"
    if np.isclose(g, 100 * exp) and exp != 0:
        return "a percentage: return the fraction, between 0 and 1"
    return None


# ---------------------------------------------------------------- 04.7 backward
MISTAKES = {
    "no σ′": "missing σ′: the error passed back to a hidden layer must also go through the slope of "
             "that layer's sigmoid",
    "σ′ of own layer": "σ′ of the wrong layer: going back from a layer to the one before it, the sigmoid slope "
                       "belongs to the layer before (the one whose output is A_prev)",
    "σ′ two back": "σ′ of the wrong layer: going back from a layer to the one before it, the sigmoid slope "
                   "belongs to the layer whose output is A_prev, not to the layer before that",
    "σ′ of A": "σ′ applied to an activation: A is already σ(Z); the slope is σ′(Z), which can be read off A "
               "without calling σ again",
    "σ′ at output": "σ′ at the output layer: with softmax and cross-entropy the output error needs no "
                    "slope factor (section 4)",
    "Wᵀ back": "passed the error back through the transpose of W: the product must turn (m, out) into (m, in)",
    "output for input": "the weight gradient of a layer pairs its δ with the layer's input A_prev, not with "
                        "its output",
    "db mean": "the bias gradient is m times too small: δ already carries the 1/m, so sum it over the batch",
}
"""Typical backprop mistakes and what to tell the learner. Their gradients on the public check
inputs are simulated at build time (by the instructor tools) and stored as values in the check
data, so this module holds no code that computes them."""


def _recorded_mistakes(X: np.ndarray, Y: np.ndarray) -> dict:
    """``{mistake: gradients}`` recorded at build time for the public case with inputs X, Y; ``{}`` for others."""
    try:
        recorded = load_expected("04").get("mistakes", {}).get("04.7-backward", [])
    except (OSError, ValueError):
        return {}
    for entry in recorded:
        if _close(entry["X"], X, rtol=0, atol=0) and _close(entry["Y"], Y, rtol=0, atol=0):
            return entry["mistakes"]
    return {}


def _grads_close(a: Any, b: list) -> bool:
    try:
        return len(a) == len(b) and all(len(g) == 2 and _close(g[0], e[0]) and _close(g[1], e[1])
                                        for g, e in zip(a, b))
    except TypeError:
        return False


def _layer_right(got: Any, expected: tuple) -> bool:
    return _close(got[0], expected[0]) and _close(got[1], expected[1])


def backward_diagnose(expected, got, args) -> str | None:
    """Name the classic backprop mistakes: transposed product, missing σ′, σ′ of the wrong layer, no 1/m, ..."""
    params, activations, Y = args
    X = activations[0]
    if not isinstance(got, (list, tuple)):
        return None
    m, n = Y.shape[0], len(expected)
    if len(got) == n and n > 1 and _grads_close(list(got)[::-1], expected):
        return "the gradients are in reverse order: the list starts with the first layer's (dW, db)"
    if len(got) != n or not all(isinstance(g, (list, tuple)) and len(g) == 2 for g in got):
        return f"backward returns one (dW, db) pair per layer: {n} pairs here"
    for i, ((dW, db), (eW, eb)) in enumerate(zip(got, expected), 1):
        if eW.shape[0] != eW.shape[1] and np.shape(dW) == eW.shape[::-1] and _close(np.transpose(dW), eW):
            return (f"transposed weight gradient: dW of layer {i} has shape {np.shape(dW)}, the transpose of "
                    f"W's shape {eW.shape} — a gradient always has its parameter's shape")
        if np.shape(dW) == eW.shape and eW.shape[0] == eW.shape[1] and _close(np.transpose(dW), eW) \
                and not _close(dW, eW):
            return f"transposed weight gradient in layer {i}: check which index of dW is the output unit"
        if m > 1 and np.shape(db) == (m,) and eb.shape != (m,):
            return f"the bias gradient of layer {i} was summed over the wrong axis: it has one entry per output unit"
    if m > 1 and _grads_close([(np.asarray(dW) / m, np.asarray(db) / m) for dW, db in got], expected):
        return "forgot the 1/m: every gradient is m times too large — the loss is the mean over the batch"
    for mistake, grads in _recorded_mistakes(X, Y).items():
        if _grads_close(got, grads):
            return MISTAKES[mistake]
    wrong = [i for i, (g, e) in enumerate(zip(got, expected), 1) if not _layer_right(g, e)]
    if wrong and n not in wrong:  # the last layer is right, some earlier one is not
        return (f"the last layer's gradients are right but layer {max(wrong)}'s are not: look at how the error "
                f"is passed back")
    return None


# ---------------------------------------------------------------- 04.8 - 04.9
def gradient_diagnose(expected, got, args) -> str | None:
    if _close(got, 2 * np.asarray(expected, dtype=float), rtol=1e-5):
        return "twice the gradient: the two points f is evaluated at are 2ε apart"
    if _close(got, 0.5 * np.asarray(expected, dtype=float), rtol=1e-5):
        return "half the gradient: the difference of the two values is divided by their distance, 2ε"
    return None


def momentum_diagnose(expected, got, args) -> str | None:
    w, grad, velocity, lr, mu = args
    if not isinstance(got, (list, tuple)) or len(got) != 2:
        return "return a pair: (new w, new velocity)"
    new_w, new_v = expected
    if _close(got[0], new_v) and _close(got[1], new_w) and not _close(new_v, new_w):
        return "the two results are swapped: the order is (new w, new velocity)"
    if _close(got[1], new_v) and _close(got[0], w + velocity) \
            and not _close(velocity, new_v):
        return "w moved by the old velocity: update the velocity first, then move w by the new one"
    if _close(got[1], mu * velocity + lr * grad):
        return "the velocity moves along the gradient: it must move against it"
    return None

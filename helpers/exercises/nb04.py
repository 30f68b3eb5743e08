"""Exercises of notebook 04 — a sigmoid network on MNIST (inputs only; expected values come from the solution)."""
import numpy as np

from . import Exercise


def _z(rng):
    return [(rng.normal(0, 3, size=(4, 5)),), (np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0]),),
            (rng.normal(size=7),), (rng.normal(0, 50, size=(2, 3, 2)),)]


def _dense(rng):
    return [(rng.normal(size=(m, n_in)), rng.normal(size=(n_out, n_in)), rng.normal(size=n_out))
            for m, n_in, n_out in [(5, 4, 3), (1, 6, 2), (8, 3, 7)]]


def _scores(rng):
    return [(rng.normal(0, 2, size=(4, 10)),), (np.array([[1000.0, 0.0, -1000.0], [5.0, 5.0, 5.0]]),),
            (rng.normal(0, 30, size=(6, 3)),)]


def _probabilities(rng, m, k):
    E = np.exp(rng.normal(0, 2, size=(m, k)))
    return E / E.sum(axis=1, keepdims=True)


def _loss_cases(rng):
    return [(_probabilities(rng, m, k), rng.integers(0, k, size=m)) for m, k in [(6, 10), (1, 3), (20, 4)]]


def _backward(rng):
    return [(rng.normal(size=(m, n_out)), rng.normal(size=(m, n_in))) for m, n_in, n_out in [(5, 4, 3), (1, 6, 2), (8, 3, 7)]]


def _wavy(v):
    return float(np.sum(np.sin(v) * v ** 2) + np.sum(v) ** 2)


def _call_numerical_gradient(fn, w):
    return fn(_wavy, w)


def _points(rng):
    return [(rng.normal(size=5),), (rng.normal(size=(3, 2)),), (rng.normal(size=(2, 2, 2)),)]


def _momentum(rng):
    return [(rng.normal(size=s), rng.normal(size=s), rng.normal(size=s), lr, mu)
            for s, lr, mu in [((3, 4), 0.1, 0.9), ((5,), 0.5, 0.0), ((2, 2), 0.01, 0.99)]]


EXERCISES = [
    Exercise("04.1-sigmoid", "sigmoid", _z, no_warnings=True,
             hints=("1 / (1 + np.exp(-z)) overflows for large negative z; 0.5 * (1 + np.tanh(0.5 * z)) does not.",)),
    Exercise("04.2-sigmoid-prime", "sigmoid_prime", _z, no_warnings=True,
             hints=("sigma'(z) = sigma(z) * (1 - sigma(z)); reuse your sigmoid.",)),
    Exercise("04.3-dense-forward", "dense_forward", _dense,
             hints=("Batch rows times the transposed weights: A @ W.T + b, shape (m, out).",)),
    Exercise("04.4-softmax", "softmax", _scores, no_warnings=True,
             hints=("Subtract Z.max(axis=1, keepdims=True) before np.exp, then divide each row by its sum.",)),
    Exercise("04.5-cross-entropy", "cross_entropy", _loss_cases,
             hints=("-np.mean(np.log(P[np.arange(m), y])), with the probabilities clipped at 1e-12.",)),
    Exercise("04.6-accuracy", "accuracy", lambda rng: [(_probabilities(rng, m, k), rng.integers(0, k, size=m))
                                                       for m, k in [(50, 10), (7, 3), (1, 2)]],
             hints=("np.mean(P.argmax(axis=1) == y), as a float.",)),
    Exercise("04.7-dense-backward", "dense_backward", _backward,
             hints=("dW = delta.T @ A_prev (shape (out, in)), db = delta.sum(axis=0) (shape (out,)).",)),
    Exercise("04.8-numerical-gradient", "numerical_gradient", _points, call=_call_numerical_gradient,
             hints=("For each index j (np.ndindex(w.shape)): (f(w + eps e_j) - f(w - eps e_j)) / (2 eps); "
                  "restore w[j] after each evaluation.",)),
    Exercise("04.9-momentum-step", "sgd_momentum_step", _momentum,
             hints=("velocity = momentum * velocity - lr * grad; w = w + velocity; return new arrays "
                  "(no -=, += on the arguments).",)),
]

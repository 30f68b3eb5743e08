"""Exercises of notebook 05 — the object-oriented lab (inputs only; expected values come from the solution)."""
import struct

import numpy as np

from . import Exercise, raised_name


def _idx_bytes(rng, n, rows, cols):
    return struct.pack(">IIII", 2051, n, rows, cols) + rng.integers(0, 256, n * rows * cols, dtype=np.uint8).tobytes()


def _headers(rng):
    return [(_idx_bytes(rng, n, r, c),) for n, r, c in [(3, 4, 5), (1, 28, 28), (7, 2, 3)]]



def _images_call(fn, data):
    wrong_magic = struct.pack(">I", 2049) + data[4:]
    return {"images": fn(data), "error for a wrong magic number": raised_name(lambda: fn(wrong_magic)),
            "error for truncated data": raised_name(lambda: fn(data[:-1]))}


def _z(rng):
    return [(rng.normal(0, 3, size=(4, 5)),), (np.array([[-1000.0, 0.0, 1000.0]]),), (rng.normal(size=(1, 7)),)]


def _labels(rng):
    return [(rng.integers(0, 10, size=(1, 8)),), (np.array([[2, 0, 1]]), 3), (rng.integers(0, 4, size=(1, 5)), 4)]


def _columns(rng, k, m):
    E = np.exp(rng.normal(0, 2, size=(k, m)))
    return E / E.sum(axis=0, keepdims=True)


def _costs(rng):
    cases = []
    for k, m in [(10, 6), (3, 1), (4, 9)]:
        Y = np.zeros((k, m))
        Y[rng.integers(0, k, m), np.arange(m)] = 1
        cases.append((_columns(rng, k, m), Y))
    return cases


def _weights(rng):
    return [([rng.normal(size=(3, 4)), rng.normal(size=(2, 3))], 0.7, 10), ([rng.normal(size=(5, 2))], 0.0, 3),
            ([rng.normal(size=(2, 2)), rng.normal(size=(1, 2)), rng.normal(size=(4, 1))], 3.0, 50)]


def _one_weight(rng):
    return [(rng.normal(size=(3, 4)), 0.7, 10), (rng.normal(size=(1, 5)), 2.0, 4)]


def _params(rng, sizes):
    return {k: v for l in range(1, len(sizes)) for k, v in
            [(f"W{l}", rng.normal(size=(sizes[l], sizes[l - 1]))), (f"b{l}", rng.normal(size=(sizes[l], 1)))]}


def _bare(cls, sizes, params):
    """An instance whose parameters the check chooses, without calling the learner's __init__."""
    net = object.__new__(cls)
    net.layer_sizes = list(sizes)
    net.params = {k: np.array(v, copy=True) for k, v in params.items()}
    return net


def _init_call(cls, sizes, seed):
    return cls(list(sizes), seed=seed).params


def _forward_cases(rng):
    return [(sizes, _params(rng, sizes), rng.uniform(size=(sizes[0], m))) for sizes, m in
            [([4, 3, 2], 5), ([6, 5, 4, 3], 2), ([3, 2], 4)]]


def _forward_call(cls, sizes, params, X):
    A, caches = _bare(cls, sizes, params).forward(X)
    return {"A": A, "A_prev of each layer": [c["A_prev"] for c in caches], "Z of each layer": [c["Z"] for c in caches]}


def _backward_cases(rng):
    cases = []
    for sizes, m, lam in [([4, 3, 2], 5, 0.0), ([6, 5, 4, 3], 3, 0.8), ([3, 4, 2], 4, 2.0)]:
        caches = [{"A_prev": rng.uniform(size=(sizes[l - 1], m)), "Z": rng.normal(size=(sizes[l], m))}
                  for l in range(1, len(sizes))]
        Y = np.zeros((sizes[-1], m))
        Y[rng.integers(0, sizes[-1], m), np.arange(m)] = 1
        cases.append((sizes, _params(rng, sizes), _columns(rng, sizes[-1], m), Y, caches, lam))
    return cases


def _backward_call(cls, sizes, params, A, Y, caches, lam):
    return _bare(cls, sizes, params).backward(A, Y, caches, lam)


def _close(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-6, atol=1e-9)


def _backward_diagnose(expected, got, args):
    sizes, params, _A, Y, _caches, lam = args
    m = Y.shape[1]
    for l in range(1, len(sizes)):
        W, b = params[f"W{l}"], params[f"b{l}"]
        dW, db = got.get(f"dW{l}"), got.get(f"db{l}")
        exp_dW, exp_db = expected[f"dW{l}"], expected[f"db{l}"]
        if db is None:
            return f"missing bias gradient: no 'db{l}' in the result"
        if dW is not None and _close(np.transpose(dW), exp_dW) and exp_dW.shape[0] != exp_dW.shape[1]:
            return f"transposed weight gradient: dW{l} should be dZ @ A_prev.T, shape {exp_dW.shape}"
        if _close(db, exp_db * m) or (dW is not None and _close(dW, (exp_dW - lam / m * W) * m + lam / m * W)):
            return "forgot to divide by m (the batch size)"
        if lam > 0 and _close(db, exp_db + lam / m * b):
            return "regularised the bias: the L2 term applies to the weights only"
        if lam > 0 and dW is not None and _close(dW, exp_dW - lam / m * W):
            return f"the L2 term lam / m * W{l} is missing from dW{l}"
    return None


def _update_cases(rng):
    cases = []
    for sizes, lr in [([4, 3, 2], 0.1), ([2, 5, 3, 1], 1.5)]:
        params = _params(rng, sizes)
        grads = {f"d{k}": rng.normal(size=v.shape) for k, v in params.items()}
        cases.append((sizes, params, grads, lr))
    return cases


def _update_call(cls, sizes, params, grads, lr):
    net = _bare(cls, sizes, params)
    net.update(grads, lr)
    return net.params


def _model_cases(rng):
    cases = []
    for n0, k, m in [(6, 3, 12), (4, 2, 9)]:
        X = rng.uniform(size=(n0, m))
        cases.append((X, rng.integers(0, k, size=(1, m)), k))
    return cases


def _model_call(cls, X, y, k):
    model = cls([X.shape[0], 5, k], lam=0.1, lr=0.5, epochs=4, batch_size=4, record_every=2, seed=3)
    returned = model.fit(X, y)
    return {"fit returns self": returned is model, "costs_": list(model.costs_), "predict": model.predict(X),
            "score": model.score(X, y)}


EXERCISES = [
    Exercise("05.1-parse-header", "parse_header", _headers,
             hints=('struct.unpack(">IIII", data[:16]): big-endian, four unsigned 4-byte ints.',)),
    Exercise("05.2-images-from-bytes", "images_from_bytes", _headers, call=_images_call,
             hints=("np.frombuffer(data, dtype=np.uint8, offset=16).reshape(count, rows * cols); check magic 2051 "
                  "and len(data) == 16 + count * rows * cols, raising ValueError otherwise.",)),
    Exercise("05.3-sigmoid", "sigmoid", _z, no_warnings=True, hints=("0.5 * (1 + np.tanh(0.5 * Z)) never overflows.",)),
    Exercise("05.4-sigmoid-derivative", "sigmoid_derivative", _z, no_warnings=True,
             hints=("sigma(Z) * (1 - sigma(Z)), reusing sigmoid.",)),
    Exercise("05.5-one-hot", "one_hot", _labels,
             hints=("np.zeros((k, m)), then set Y[y[0], np.arange(m)] = 1: one column per sample.",)),
    Exercise("05.6-cross-entropy-cost", "cross_entropy_cost", _costs,
             hints=("-np.sum(Y * np.log(A)) / m, with m = Y.shape[1] the number of columns.",)),
    Exercise("05.7-l2-cost", "l2_cost", _weights, hints=("lam / (2 * m) * sum of np.sum(W ** 2) over the matrices.",)),
    Exercise("05.8-l2-gradient", "l2_gradient", _one_weight, hints=("lam / m * W.",)),
    Exercise("05.9-network-init", "NeuralNetwork", lambda rng: [([784, 64, 10], 0), ([5, 4, 3, 2], 7), ([2, 1], 1)],
             call=_init_call,
             hints=("rng = np.random.default_rng(seed); for l = 1..L in order: "
                  "W = rng.standard_normal((n_l, n_prev)) / np.sqrt(n_prev), b = np.zeros((n_l, 1)).",)),
    Exercise("05.10-network-forward", "NeuralNetwork", _forward_cases, call=_forward_call,
             hints=("Z = W @ A_prev + b (W is (out, in), samples are columns); sigmoid in hidden layers, softmax "
                  "at the output; cache A_prev and Z of every layer.",)),
    Exercise("05.11-network-backward", "NeuralNetwork", _backward_cases, call=_backward_call,
             diagnose=_backward_diagnose,
             hints=("dZ = A - Y at the output; dW = dZ @ A_prev.T / m + lam / m * W; db = dZ.sum(axis=1, "
                  "keepdims=True) / m (no L2 term); dZ_prev = (W.T @ dZ) * sigmoid_derivative(Z_prev).",)),
    Exercise("05.12-network-update", "NeuralNetwork", _update_cases, call=_update_call,
             hints=('params["W1"] -= lr * grads["dW1"], and likewise for every W and b.',)),
    Exercise("05.13-model", "Model", _model_cases, call=_model_call,
             hints=("Follow the order in the exercise text exactly (it fixes the random shuffles); fit must "
                  "return self; predict returns shape (1, m).",)),
]

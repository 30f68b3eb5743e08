"""Plausible answers to notebook 04's exercises (see tests/variants/__init__.py)."""
VARIANTS = {
    "04.1-sigmoid": {
        "correct": ["""
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1 + e)
    return out
""", """
def sigmoid(z):
    return np.exp(-np.logaddexp(0, -z))
"""],
        "wrong": [("""
def sigmoid(z):
    return 1 / (1 + np.exp(-z))
""", "the naive formula overflows and warns"), ("""
def sigmoid(z):
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
""", "np.where evaluates both branches: overflow warnings"), ("""
def sigmoid(z):
    return 1 / (1 + np.exp(np.clip(z, -500, 500)))
""", "sign of the exponent flipped"), ("""
def sigmoid(z):
    np.clip(z, -500, 500, out=z)
    return 1 / (1 + np.exp(-z))
""", "clips the input in place")],
    },
    "04.2-sigmoid-prime": {
        "correct": ["""
def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))
""", """
def sigmoid_prime(z):
    e = np.exp(-np.abs(z))
    return e / (1 + e) ** 2
"""],
        "wrong": [("""
def sigmoid_prime(z):
    return np.exp(-z) / (1 + np.exp(-z)) ** 2
""", "naive formula: overflow and nan"), ("""
def sigmoid_prime(z):
    return z * (1 - z)
""", "applied the A(1 - A) form to z"), ("""
def sigmoid_prime(z):
    return sigmoid(z) * (1 + sigmoid(z))
""", "sign inside the product"), ("""
def sigmoid_prime(z):
    s = sigmoid(z)
    return s - s * s * s
""", "wrong algebra")],
    },
    "04.3-dense-forward": {
        "correct": ["""
def dense_forward(A, W, b):
    return (W @ A.T).T + b
""", """
def dense_forward(A, W, b):
    return np.einsum("mi,oi->mo", A, W) + b[np.newaxis, :]
""", """
def dense_forward(A, W, b):
    out = np.dot(A, np.transpose(W))
    return out + b
"""],
        "wrong": [("""
def dense_forward(A, W, b):
    return np.array([W @ a + b for a in A])
""", "right values, but a Python loop over the samples: breaks the stated rule"), ("""
def one(W, b, a):
    return W @ a + b

def dense_forward(A, W, b):
    rows = []
    for a in A:
        rows.append(one(W, b, a))
    return np.stack(rows)
""", "a for loop over the samples: breaks the stated rule"), ("""
def dense_forward(A, W, b):
    return np.stack(list(map(lambda a: W @ a + b, A)))
""", "map loops in Python too: breaks the stated rule"), ("""
def dense_forward(A, W, b):
    return A @ W + b
""", "W used as (in, out)"), ("""
def dense_forward(A, W, b):
    return W @ A.T + b[:, None]
""", "returns (out, m): the transpose"), ("""
def dense_forward(A, W, b):
    return A @ W.T
""", "forgot the bias"), ("""
def dense_forward(A, W, b):
    return A @ W.T + b.sum()
""", "added the sum of the biases")],
    },
    "04.4-softmax": {
        "correct": ["""
def softmax(Z):
    shifted = Z - np.max(Z, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)
""", """
def softmax(Z):
    logs = Z - np.logaddexp.reduce(Z, axis=1)[:, None]
    return np.exp(logs)
"""],
        "wrong": [("""
def softmax(Z):
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)
""", "unstable: overflow"), ("""
def softmax(Z):
    E = np.exp(Z - Z.max())
    return E / E.sum(axis=1, keepdims=True)
""", "one global shift: a row far below underflows to 0/0"), ("""
def softmax(Z):
    E = np.exp(Z - Z.max(axis=0))
    return E / E.sum(axis=0)
""", "normalised the columns"), ("""
def softmax(Z):
    Z -= Z.max(axis=1, keepdims=True)
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)
""", "shifts Z in place"), ("""
def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1)
""", "forgot keepdims when dividing")],
    },
    "04.5-cross-entropy": {
        "correct": ["""
def cross_entropy(P, y):
    Y = np.eye(P.shape[1])[y]
    return -np.sum(Y * np.log(np.clip(P, 1e-12, 1.0))) / len(y)
""", """
def cross_entropy(P, y):
    losses = [-np.log(max(P[i, label], 1e-12)) for i, label in enumerate(y)]
    return sum(losses) / len(losses)
"""],
        "wrong": [("""
def cross_entropy(P, y):
    m = len(y)
    return -np.mean(np.log(P[np.arange(m), y]))
""", "no clipping: log 0"), ("""
def cross_entropy(P, y):
    Y = np.eye(P.shape[1])[y]
    return -np.mean(np.sum(Y * np.log(P), axis=1))
""", "one-hot without clipping: 0 * log 0 is nan"), ("""
def cross_entropy(P, y):
    p = np.clip(P[np.arange(len(y)), y], 1e-12, None)
    return -np.sum(np.log(p))
""", "summed instead of averaged"), ("""
def cross_entropy(P, y):
    p = P[np.arange(len(y)), y] + 1e-12
    return float(-np.mean(np.log(p)))
""", "adds 1e-12 instead of clipping"), ("""
def cross_entropy(P, y):
    p = np.clip(P[np.arange(len(y)), y], 1e-12, None)
    return -np.mean(np.log10(p))
""", "base-10 logarithm"), ("""
def cross_entropy(P, y):
    np.clip(P, 1e-12, None, out=P)
    return float(-np.mean(np.log(P[np.arange(len(y)), y])))
""", "clips P in place")],
    },
    "04.6-accuracy": {
        "correct": ["""
def accuracy(P, y):
    y = np.asarray(y)
    if y.ndim == 2:
        y = y.argmax(axis=1)
    hits = 0
    for row, label in zip(P, y):
        hits += int(np.argmax(row) == label)
    return hits / len(y)
""", """
def accuracy(P, y):
    true = np.argmax(y, axis=-1) if len(np.shape(y)) > 1 else np.asarray(y)
    return np.count_nonzero(P.argmax(1) == true) / P.shape[0]
"""],
        "wrong": [("""
def accuracy(P, y):
    return np.mean(P.argmax(axis=0) == y)
""", "argmax over the wrong axis"), ("""
def accuracy(P, y):
    return np.sum(P.argmax(axis=1) == y)
""", "the count, not the fraction"), ("""
def accuracy(P, y):
    if y.ndim == 2:
        y = y.argmax(axis=1)
    return np.mean(P.max(axis=1) == P[np.arange(len(y)), y])
""", "counts ties as correct"), ("""
def accuracy(P, y):
    return 100 * np.mean(P.argmax(axis=1) == y)
""", "a percentage"), ("""
def accuracy(P, y):
    return float(np.mean(P.argmax(axis=1) == y))
""", "labels only: one-hot rows are compared as if they were labels"), ("""
def accuracy(P, y):
    if y.dtype.kind == "f":
        y = y.argmax(axis=1)
    return float(np.mean(P.argmax(axis=1) == y))
""", "tells the forms apart by dtype: integer one-hot rows are taken for labels"), ("""
def accuracy(P, y):
    return float(np.mean(P.argmax(axis=1) == np.argmax(y, axis=-1)))
""", "takes argmax of integer labels too")],
    },
    "04.7-backward": {
        "correct": ["""
def backward(params, activations, Y):
    m = Y.shape[0]
    L = len(params)
    grads = []
    dZ = activations[L] - Y
    for l in range(L, 0, -1):
        A_in = activations[l - 1]
        W = params[l - 1][0]
        grads.append((dZ.T @ A_in / m, dZ.sum(axis=0) / m))
        if l > 1:
            dZ = (dZ @ W) * sigmoid_prime(dense_forward(activations[l - 2], *params[l - 2]))
    return grads[::-1]
""", """
def backward(params, activations, Y):
    n = len(params)
    out = [None] * n
    d = (activations[n] - Y) / len(Y)
    for k in range(n - 1, -1, -1):
        a = activations[k]
        out[k] = (np.einsum("mo,mi->oi", d, a), np.einsum("mo->o", d))
        if k:
            d = np.einsum("mo,oi->mi", d, params[k][0]) * (a - a ** 2)
    return out
"""],
        "wrong": [("""
def backward(params, activations, Y):
    grads = [None] * len(params)
    delta = (activations[-1] - Y) / len(Y)
    for i in range(len(params) - 1, -1, -1):
        A = activations[i]
        grads[i] = (A.T @ delta, delta.sum(axis=0))
        if i > 0:
            delta = (delta @ params[i][0]) * A * (1 - A)
    return grads
""", "transposed product for dW"), ("""
def backward(params, activations, Y):
    grads = [None] * len(params)
    delta = (activations[-1] - Y) / len(Y)
    for i in range(len(params) - 1, -1, -1):
        grads[i] = (delta.T @ activations[i], delta.sum(axis=0))
        if i > 0:
            delta = delta @ params[i][0]
    return grads
""", "missing sigma'"), ("""
def backward(params, activations, Y):
    grads = [None] * len(params)
    delta = (activations[-1] - Y) / len(Y)
    for i in range(len(params) - 1, -1, -1):
        grads[i] = (delta.T @ activations[i], delta.sum(axis=0))
        if i > 0:
            A = activations[i + 1]
            delta = (delta @ params[i][0]) * A * (1 - A)
    return grads
""", "sigma' of the wrong layer (the layer's own output)"), ("""
def backward(params, activations, Y):
    grads = [None] * len(params)
    delta = activations[-1] - Y
    for i in range(len(params) - 1, -1, -1):
        A = activations[i]
        grads[i] = (delta.T @ A, delta.sum(axis=0))
        if i > 0:
            delta = (delta @ params[i][0]) * A * (1 - A)
    return grads
""", "forgot 1/m"), ("""
def backward(params, activations, Y):
    grads = [None] * len(params)
    delta = (activations[-1] - Y) / len(Y)
    for i in range(len(params) - 1, -1, -1):
        A = activations[i]
        grads[i] = (delta.T @ A, delta.sum(axis=0))
        if i > 0:
            delta = (delta @ params[i][0]) * sigmoid_prime(A)
    return grads
""", "sigma' applied to the activation"), ("""
def backward(params, activations, Y):
    grads = []
    delta = (activations[-1] - Y) / len(Y)
    for i in range(len(params) - 1, -1, -1):
        A = activations[i]
        grads.append((delta.T @ A, delta.sum(axis=0)))
        if i > 0:
            delta = (delta @ params[i][0]) * A * (1 - A)
    return grads
""", "gradients in reverse order"), ("""
def backward(params, activations, Y):
    grads = [None] * len(params)
    P = activations[-1]
    delta = (P - Y) / len(Y) * P * (1 - P)
    for i in range(len(params) - 1, -1, -1):
        A = activations[i]
        grads[i] = (delta.T @ A, delta.sum(axis=0))
        if i > 0:
            delta = (delta @ params[i][0]) * A * (1 - A)
    return grads
""", "sigma' at the softmax output"), ("""
def backward(params, activations, Y):
    grads = [None] * len(params)
    delta = activations[-1]
    delta -= Y
    delta /= len(Y)
    for i in range(len(params) - 1, -1, -1):
        A = activations[i]
        grads[i] = (delta.T @ A, delta.sum(axis=0))
        if i > 0:
            delta = (delta @ params[i][0]) * A * (1 - A)
    return grads
""", "overwrites the probabilities in activations"), ("""
def backward(params, activations, Y):
    grads = [None] * len(params)
    delta = (activations[-1] - Y) / len(Y)
    for i in range(len(params) - 1, -1, -1):
        A = activations[i]
        grads[i] = (delta.T @ A, delta.mean(axis=0))
        if i > 0:
            delta = (delta @ params[i][0]) * A * (1 - A)
    return grads
""", "bias gradient averaged: 1/m twice"), ("""
def backward(params, activations, Y):
    (W1, b1), (W2, b2), (W3, b3) = params
    X, A1, A2, P = activations
    d3 = (P - Y) / len(Y)
    d2 = (d3 @ W3) * A2 * (1 - A2)
    d1 = (d2 @ W2) * A1 * (1 - A1)
    return [(d1.T @ X, d1.sum(axis=0)), (d2.T @ A1, d2.sum(axis=0)), (d3.T @ A2, d3.sum(axis=0))]
""", "written for exactly three layers")],
    },
    "04.8-numerical-gradient": {
        "correct": ["""
def numerical_gradient(f, w, eps=1e-5):
    grad = np.zeros(w.shape)
    for idx in np.ndindex(*w.shape):
        up, down = w.copy(), w.copy()
        up[idx] += eps
        down[idx] -= eps
        grad[idx] = (f(up) - f(down)) / (2 * eps)
    return grad
""", """
def numerical_gradient(f, w, eps=1e-5):
    flat = w.reshape(-1)
    grad = np.zeros(flat.size)
    for j in range(flat.size):
        keep = flat[j]
        flat[j] = keep + eps
        hi = f(w)
        flat[j] = keep - eps
        lo = f(w)
        flat[j] = keep
        grad[j] = (hi - lo) / (2 * eps)
    return grad.reshape(w.shape)
"""],
        "wrong": [("""
def numerical_gradient(f, w, eps=1e-5):
    grad = np.zeros(w.shape)
    for idx in np.ndindex(w.shape):
        base = f(w)
        w[idx] += eps
        grad[idx] = (f(w) - base) / eps
        w[idx] -= eps
    return grad
""", "forward difference, and w not restored exactly"), ("""
def numerical_gradient(f, w, eps=1e-5):
    grad = np.zeros(w.shape)
    for idx in np.ndindex(w.shape):
        up, down = w.copy(), w.copy()
        up[idx] += eps
        down[idx] -= eps
        grad[idx] = (f(up) - f(down)) / eps
    return grad
""", "divided by eps instead of 2 eps"), ("""
def numerical_gradient(f, w, eps=1e-5):
    grad = np.zeros(w.shape)
    for j in range(len(w)):
        up, down = w.copy(), w.copy()
        up[j] += eps
        down[j] -= eps
        grad[j] = (f(up) - f(down)) / (2 * eps)
    return grad
""", "loops over the first axis only"), ("""
def numerical_gradient(f, w, eps=1e-5):
    grad = np.zeros(w.shape)
    for idx in np.ndindex(w.shape):
        w[idx] += eps
        plus = f(w)
        w[idx] -= 2 * eps
        minus = f(w)
        grad[idx] = (plus - minus) / (2 * eps)
    return grad
""", "never puts w back"), ("""
def numerical_gradient(f, w, eps=1e-5):
    flat = w.ravel().copy()
    grad = np.zeros(flat.size)
    for j in range(flat.size):
        up, down = flat.copy(), flat.copy()
        up[j] += eps
        down[j] -= eps
        grad[j] = (f(up) - f(down)) / (2 * eps)
    return grad.reshape(w.shape)
""", "calls f with a flattened array")],
    },
    "04.9-momentum-step": {
        "correct": ["""
def sgd_momentum_step(w, grad, velocity, lr, momentum):
    new_velocity = momentum * velocity - lr * grad
    new_w = w.copy()
    new_w += new_velocity
    return new_w, new_velocity
""", """
def sgd_momentum_step(w, grad, velocity, lr, momentum):
    v = np.multiply(momentum, velocity) - np.multiply(lr, grad)
    return np.add(w, v), v
"""],
        "wrong": [("""
def sgd_momentum_step(w, grad, velocity, lr, momentum):
    velocity *= momentum
    velocity -= lr * grad
    w += velocity
    return w, velocity
""", "updates the arguments in place"), ("""
def sgd_momentum_step(w, grad, velocity, lr, momentum):
    new_velocity = momentum * velocity - lr * grad
    return new_velocity, w + new_velocity
""", "the pair swapped"), ("""
def sgd_momentum_step(w, grad, velocity, lr, momentum):
    new_w = w + velocity
    return new_w, momentum * velocity - lr * grad
""", "w moved by the old velocity"), ("""
def sgd_momentum_step(w, grad, velocity, lr, momentum):
    new_velocity = momentum * velocity + lr * grad
    return w + new_velocity, new_velocity
""", "moves along the gradient")],
    },
}

"""Plausible answers to notebook 05's exercises (see tests/variants/__init__.py).

Method exercises subclass the solution's ``NeuralNetwork`` and override the one method, as a
student's class differs from the solution in that method only; ``__init__`` variants replace the
constructor whole, and ``Model`` variants are full classes.
"""

# ---------------------------------------------------------------- 05.13: full Model classes
_MODEL = '''
class Model:
    def __init__(self, layer_sizes, lam=0.0, lr=0.5, epochs=30, batch_size=10, record_every=1, seed=0,
                 large_init=False):
        self.network = NeuralNetwork(layer_sizes, seed=seed)
        self.lam, self.lr, self.epochs, self.batch_size = lam, lr, epochs, batch_size
        self.record_every = record_every
        self.rng = np.random.default_rng(seed + 1)
        self.costs_ = []

    def fit(self, X, y, monitor=None):
        net = self.network
        Y = one_hot(y, k=net.layer_sizes[-1])
        n = X.shape[1]
        for e in range(self.epochs):
            idx = SHUFFLE
            start = 0
            while start < n:
                cols = idx[start:start + self.batch_size]
                out, cache = net.forward(X[:, cols])
                g = net.backward(out, Y[:, cols], cache, lam=self.lam, n=BATCH_N)
                net.update(g, self.lr)
                start += self.batch_size
            if (e + 1) % self.record_every == 0:
                probs, _ = net.forward(X)
                self.costs_.append(COST)
                MONITOR
        return RETURNED

    def predict(self, X):
        probs, _ = self.network.forward(X)
        return PREDICT

    def score(self, X, y):
        return float((self.predict(X) == y).mean())
'''
_MODEL_DEFAULTS = {"SHUFFLE": "self.rng.permutation(n)", "BATCH_N": "n",
                   "COST": "cross_entropy_cost(probs, Y) + l2_cost(net.params, self.lam, n)", "RETURNED": "self",
                   "MONITOR": "if monitor:\n                    monitor(self)",
                   "PREDICT": "np.argmax(probs, axis=0)[None, :]"}


def _model(**changes: str) -> str:
    source = _MODEL
    for key, default in _MODEL_DEFAULTS.items():
        source = source.replace(key, changes.get(key, default))
    return source


VARIANTS = {
    "05.1-parse-header": {
        "correct": ['''
def parse_header(data):
    if len(data) < 4 or data[:2] != b"\\x00\\x00":
        raise ValueError("not an IDX file")
    ndim = data[3]
    if len(data) < 4 + 4 * ndim:
        raise ValueError("header cut short")
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    return data[2], shape
''', '''
class HeaderError(ValueError):
    pass

def parse_header(data):
    if len(data) < 4:
        raise HeaderError("too short")
    zero1, zero2, code, dims = struct.unpack(">BBBB", data[:4])
    if zero1 or zero2:
        raise HeaderError("magic number must start with two zero bytes")
    if len(data) < 4 + 4 * dims:
        raise HeaderError("too short")
    return code, struct.unpack_from(">" + "I" * dims, data, 4)
'''],
        "wrong": [('''
def parse_header(data):
    if data[0] != 0 or data[1] != 0:
        raise ValueError("bad magic")
    magic, count, rows, cols = struct.unpack(">IIII", data[:16])
    return data[2], (count, rows, cols)
''', "always reads three sizes, whatever byte 3 says"), ('''
def parse_header(data):
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError("bad magic")
    d = data[3]
    if len(data) < 4 + 4 * d:
        raise ValueError("short")
    return data[2], struct.unpack("<%dI" % d, data[4:4 + 4 * d])
''', "little-endian sizes"), ('''
def parse_header(data):
    d = data[3]
    if len(data) < 4 + 4 * d:
        raise ValueError("short")
    return data[2], tuple(struct.unpack(f">{d}I", data[4:4 + 4 * d]))
''', "does not check the two zero bytes"), ('''
def parse_header(data):
    if data[0] != 0 or data[1] != 0:
        raise ValueError("bad magic")
    d = data[3]
    return data[2], struct.unpack(f">{d}I", data[4:4 + 4 * d])
''', "a header cut short raises struct.error, not ValueError"), ('''
def parse_header(data):
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError("bad magic")
    d = data[3]
    if len(data) < 4 + 4 * d:
        raise ValueError("short")
    return data[2:3], struct.unpack(f">{d}I", data[4:4 + 4 * d])
''', "type code returned as bytes, not int"), ('''
def parse_header(data):
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError("bad magic")
    d = data[3]
    if len(data) < 4 + 4 * d:
        raise ValueError("short")
    return data[2], list(struct.unpack(f">{d}I", data[4:4 + 4 * d]))
''', "sizes as a list, not the tuple the statement asks for (passed the old check)"), ('''
def parse_header(data):
    if len(data) < 4 or data[1] != 0:
        raise ValueError("bad magic")
    d = data[3]
    if len(data) < 4 + 4 * d:
        raise ValueError("short")
    return data[2], struct.unpack(f">{d}I", data[4:4 + 4 * d])
''', "checks only the second of the two zero bytes (passed the old check)"), ('''
def parse_header(data):
    if data[0] != 0 or data[1] != 0:
        raise ValueError("bad magic")
    d = data[3]
    if len(data) < 4 + 4 * d:
        raise ValueError("short")
    return data[2], struct.unpack(f">{d}I", data[4:4 + 4 * d])
''', "data shorter than 4 bytes raises IndexError, not ValueError (passed the old check)")],
    },
    "05.2-images-from-bytes": {
        "correct": ['''
def images_from_bytes(data):
    code, shape = parse_header(data)
    if code != 8:
        raise ValueError("pixels must be unsigned bytes")
    if len(shape) != 3:
        raise ValueError("an image file has 3 dimensions")
    n, r, c = shape
    pixels = data[16:]
    if len(pixels) != n * r * c:
        raise ValueError("wrong number of pixel bytes")
    return np.array(list(pixels), dtype=np.uint8).reshape(n, r * c)
''', '''
class FormatError(ValueError):
    pass

def images_from_bytes(data):
    code, shape = parse_header(data)
    if code != 0x08 or len(shape) != 3:
        raise FormatError("not an image file")
    n, r, c = shape
    flat = np.frombuffer(data[16:], np.uint8)
    if flat.size != n * r * c:
        raise FormatError("size mismatch")
    return flat.reshape(n, r * c)
'''],
        "wrong": [('''
def images_from_bytes(data):
    code, shape = parse_header(data)
    if code != 8 or len(shape) != 3:
        raise ValueError("not an image file")
    n, r, c = shape
    if len(data) != 16 + n * r * c:
        raise ValueError("size mismatch")
    return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, r, c)
''', "images as (count, rows, cols), not flattened"), ('''
def images_from_bytes(data):
    code, shape = parse_header(data)
    if code != 8 or len(shape) != 3:
        raise ValueError("not an image file")
    n, r, c = shape
    if len(data) != 16 + n * r * c:
        raise ValueError("size mismatch")
    return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, r * c).astype(np.int64)
''', "int64 instead of uint8"), ('''
def images_from_bytes(data):
    code, shape = parse_header(data)
    n, r, c = shape
    if len(data) != 16 + n * r * c:
        raise ValueError("size mismatch")
    return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, r * c)
''', "does not check the type code"), ('''
def images_from_bytes(data):
    code, shape = parse_header(data)
    if code != 8 or len(shape) != 3:
        raise ValueError("not an image file")
    n, r, c = shape
    return np.frombuffer(data, dtype=np.uint8, offset=8)[:n * r * c].reshape(n, r * c)
''', "skips only 8 header bytes and never checks the size"), ('''
def images_from_bytes(data):
    code, shape = parse_header(data)
    if code != 8 or len(shape) != 3:
        raise ValueError("not an image file")
    n, r, c = shape
    if len(data) != 16 + n * r * c:
        raise ValueError("size mismatch")
    return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(r * c, n).T
''', "pixels taken in the wrong order (reshaped, then transposed)")],
    },
    "05.3-to-columns": {
        "correct": ['''
def to_columns(images, labels):
    X = np.transpose(images).astype(np.float64) * (1 / 255)
    y = np.array([labels], dtype=np.int64)
    return X, y
''', '''
def to_columns(images, labels):
    count = images.shape[0]
    X = np.empty((images.shape[1], count))
    for j in range(count):
        X[:, j] = images[j] / 255
    return (X, labels.reshape(1, count).astype("int64"))
'''],
        "wrong": [('''
def to_columns(images, labels):
    return images / 255.0, labels.astype(np.int64).reshape(1, -1)
''', "images left as rows"), ('''
def to_columns(images, labels):
    return images.T / 256, labels.astype(np.int64).reshape(1, -1)
''', "divides by 256: 255 does not become 1"), ('''
def to_columns(images, labels):
    return images.T / 255, labels.reshape(1, -1)
''', "labels stay uint8"), ('''
def to_columns(images, labels):
    return images.T // 255, labels.astype(np.int64).reshape(1, -1)
''', "integer division: every pixel becomes 0 or 1"), ('''
def to_columns(images, labels):
    return (images.T / 255).astype(np.float32), labels.astype(np.int64).reshape(1, -1)
''', "float32 instead of float64"), ('''
def to_columns(images, labels):
    return images.T / 255, labels.astype(np.int64).reshape(-1, 1)
''', "labels as a column (count, 1)")],
    },
    "05.4-mini-batches": {
        "correct": ['''
def mini_batches(n, batch_size, rng):
    order = np.arange(n)
    rng.shuffle(order)
    batches = []
    start = 0
    while start < n:
        batches.append(order[start:min(start + batch_size, n)])
        start += batch_size
    return batches
''', '''
def mini_batches(n, batch_size, rng):
    order = rng.permutation(n)
    cuts = list(range(batch_size, n, batch_size))
    return list(np.split(order, cuts))
'''],
        "wrong": [('''
def mini_batches(n, batch_size, rng):
    order = rng.permutation(n)
    return np.array_split(order, int(np.ceil(n / batch_size)))
''', "nearly equal parts instead of batches of batch_size"), ('''
def mini_batches(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[i:i + batch_size] for i in range(0, n - batch_size + 1, batch_size)]
''', "drops the last, shorter batch"), ('''
def mini_batches(n, batch_size, rng):
    return [rng.permutation(n)[i:i + batch_size] for i in range(0, n, batch_size)]
''', "a new permutation for every batch"), ('''
def mini_batches(n, batch_size, rng):
    order = np.random.permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]
''', "numpy's global generator instead of rng"), ('''
def mini_batches(n, batch_size, rng):
    order = np.arange(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]
''', "no shuffle"), ('''
def mini_batches(n, batch_size, rng):
    order = rng.permutation(n)
    rng.random()
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]
''', "draws something else from rng"), ('''
def mini_batches(n, batch_size, rng):
    order = rng.permutation(n)
    for i in range(0, n, batch_size):
        yield order[i:i + batch_size]
''', "a generator, not a list")],
    },
    "05.5-one-hot": {
        "correct": ['''
def one_hot(y, k=10):
    return np.eye(k)[y[0]].T
''', '''
def one_hot(y, k=10):
    m = y.shape[1]
    Y = np.zeros((k, m))
    for j in range(m):
        Y[y[0, j], j] = 1
    return Y
'''],
        "wrong": [('''
def one_hot(y, k=10):
    return np.eye(k)[y[0]]
''', "one row per sample: the transpose"), ('''
def one_hot(y, k=10):
    Y = np.zeros((k, y.shape[1]), dtype=int)
    Y[y[0], np.arange(y.shape[1])] = 1
    return Y
''', "integers instead of float64"), ('''
def one_hot(y, k=10):
    Y = np.zeros((10, y.shape[1]))
    Y[y[0], np.arange(y.shape[1])] = 1
    return Y
''', "ignores k"), ('''
def one_hot(y, k=10):
    Y = np.zeros((k, y.shape[1]))
    Y[y[0], :] = 1
    return Y
''', "sets whole rows")],
    },
    "05.6-cross-entropy-cost": {
        "correct": ['''
def cross_entropy_cost(A, Y):
    return -np.mean(np.sum(Y * np.log(np.maximum(A, 1e-12)), axis=0))
''', '''
def cross_entropy_cost(A, Y):
    p_true = np.sum(A * Y, axis=0)
    return float(-np.log(np.maximum(p_true, 1e-12)).mean())
'''],
        "wrong": [('''
def cross_entropy_cost(A, Y):
    return float(-np.mean(Y * np.log(np.clip(A, 1e-12, None))))
''', "mean over all entries (divides by k m)"), ('''
def cross_entropy_cost(A, Y):
    return float(-np.sum(Y * np.log(A)) / Y.shape[1])
''', "no clipping: log(0)"), ('''
def cross_entropy_cost(A, Y):
    return float(np.sum(Y * np.log(np.clip(A, 1e-12, None))) / Y.shape[1])
''', "sign"), ('''
def cross_entropy_cost(A, Y):
    np.clip(A, 1e-12, None, out=A)
    return float(-np.sum(Y * np.log(A)) / Y.shape[1])
''', "clips A in place"), ('''
def cross_entropy_cost(A, Y):
    return float(-np.sum(Y * np.log(A + 1e-12)) / Y.shape[1])
''', "adds 1e-12 instead of raising to it (passed the old check)")],
    },
    "05.7-l2-cost": {
        "correct": ['''
def l2_cost(params, lam, n):
    total = 0.0
    for l in range(1, len(params) // 2 + 1):
        total += np.linalg.norm(params["W%d" % l]) ** 2
    return lam / 2 / n * total
''', '''
def l2_cost(params, lam, n):
    weights = [v for k, v in params.items() if k[0] == "W"]
    return lam * sum(float((w * w).sum()) for w in weights) / (2 * n)
'''],
        "wrong": [('''
def l2_cost(params, lam, n):
    return float(lam / (2 * n) * sum(np.sum(v ** 2) for v in params.values()))
''', "penalises the biases too"), ('''
def l2_cost(params, lam, n):
    return float(lam / n * sum(np.sum(v ** 2) for k, v in params.items() if k.startswith("W")))
''', "missing the 1/2"), ('''
def l2_cost(params, lam, n):
    return float(lam / (2 * n) * sum(np.linalg.norm(v) for k, v in params.items() if k.startswith("W")))
''', "norms not squared"), ('''
def l2_cost(params, lam, n):
    return float(lam / (2 * n) * np.sum(params["W1"] ** 2))
''', "only the first layer")],
    },
    "05.8-l2-gradients": {
        "correct": ['''
def l2_gradients(params, lam, n):
    grads = {}
    for name in params:
        if name[0] == "W":
            grads["d" + name] = params[name] * (lam / n)
        else:
            grads["d" + name] = 0 * params[name]
    return grads
'''],
        "wrong": [('''
def l2_gradients(params, lam, n):
    return {"d" + k: lam / (2 * n) * v if k[0] == "W" else np.zeros_like(v) for k, v in params.items()}
''', "kept the 1/2"), ('''
def l2_gradients(params, lam, n):
    return {"d" + k: lam / n * v for k, v in params.items()}
''', "gives the biases a penalty gradient"), ('''
def l2_gradients(params, lam, n):
    return {"d" + k: lam / n * v if k[0] == "W" else 0.0 for k, v in params.items()}
''', "a single 0 instead of zeros of the bias's shape"), ('''
def l2_gradients(params, lam, n):
    return {"d" + k: lam / n * v for k, v in params.items() if k[0] == "W"}
''', "leaves out the biases' entries"), ('''
def l2_gradients(params, lam, n):
    out = {}
    for k, v in params.items():
        if k[0] == "W":
            v *= lam / n
            out["d" + k] = v
        else:
            out["d" + k] = np.zeros_like(v)
    return out
''', "scales the weights in place")],
    },
    "05.9-network-init": {
        "correct": ['''
class NeuralNetwork(NeuralNetwork):
    def __init__(self, layer_sizes, seed=0):
        self.layer_sizes = list(layer_sizes)
        rng = np.random.default_rng(seed)
        self.params = {}
        L = len(layer_sizes) - 1
        for l in range(1, L + 1):
            rows, cols = layer_sizes[l], layer_sizes[l - 1]
            self.params["W%d" % l] = rng.normal(0.0, 1.0 / np.sqrt(cols), size=(rows, cols))
            self.params["b%d" % l] = np.zeros(shape=(rows, 1))
''', '''
class NeuralNetwork(NeuralNetwork):
    def __init__(self, layer_sizes, seed=0):
        self.layer_sizes = list(layer_sizes)
        self.params = {}
        rng = np.random.default_rng(seed)
        for i in range(len(layer_sizes) - 1):
            fan_in, fan_out = layer_sizes[i], layer_sizes[i + 1]
            self.params["W" + str(i + 1)] = rng.standard_normal(size=(fan_out, fan_in)) * (1 / fan_in) ** 0.5
            self.params["b" + str(i + 1)] = np.zeros((fan_out, 1))
'''],
        "wrong": [('''
class NeuralNetwork(NeuralNetwork):
    def __init__(self, layer_sizes, seed=0):
        self.layer_sizes = list(layer_sizes)
        self.params = {}
        rng = np.random.default_rng(seed)
        for l in range(1, len(layer_sizes)):
            self.params[f"W{l}"] = rng.standard_normal((layer_sizes[l], layer_sizes[l - 1])) / layer_sizes[l - 1]
            self.params[f"b{l}"] = np.zeros((layer_sizes[l], 1))
''', "divides by n_prev, not its square root"), ('''
class NeuralNetwork(NeuralNetwork):
    def __init__(self, layer_sizes, seed=0):
        self.layer_sizes = list(layer_sizes)
        self.params = {}
        for l in range(1, len(layer_sizes)):
            rng = np.random.default_rng(seed)
            self.params[f"W{l}"] = rng.standard_normal((layer_sizes[l], layer_sizes[l - 1])) / np.sqrt(layer_sizes[l - 1])
            self.params[f"b{l}"] = np.zeros((layer_sizes[l], 1))
''', "a fresh generator for every layer"), ('''
class NeuralNetwork(NeuralNetwork):
    def __init__(self, layer_sizes, seed=0):
        self.layer_sizes = list(layer_sizes)
        self.params = {}
        rng = np.random.default_rng(seed)
        for l in range(1, len(layer_sizes)):
            self.params[f"W{l}"] = rng.standard_normal((layer_sizes[l - 1], layer_sizes[l])).T / np.sqrt(layer_sizes[l - 1])
            self.params[f"b{l}"] = np.zeros((layer_sizes[l], 1))
''', "drew the transposed shape"), ('''
class NeuralNetwork(NeuralNetwork):
    def __init__(self, layer_sizes, seed=0):
        self.layer_sizes = list(layer_sizes)
        self.params = {}
        rng = np.random.default_rng(seed)
        for l in range(1, len(layer_sizes)):
            self.params[f"W{l}"] = rng.standard_normal((layer_sizes[l], layer_sizes[l - 1])) / np.sqrt(layer_sizes[l - 1])
            self.params[f"b{l}"] = rng.standard_normal((layer_sizes[l], 1))
''', "random biases")],
    },
    "05.10-network-forward": {
        "correct": ['''
class NeuralNetwork(NeuralNetwork):
    def forward(self, X):
        A = X
        caches = []
        for l in range(1, self.n_layers + 1):
            W, b = self.params["W" + str(l)], self.params["b" + str(l)]
            caches.append({"A_prev": A})
            Z = np.matmul(W, A) + b
            caches[-1]["Z"] = Z
            if l < self.n_layers:
                A = sigmoid(Z)
            else:
                A = softmax(Z)
        return A, caches
''', '''
class NeuralNetwork(NeuralNetwork):
    def forward(self, X):
        caches = []
        A = X
        L = self.n_layers
        for l in range(1, L):
            Z = np.dot(self.params["W%d" % l], A) + self.params["b%d" % l]
            caches.append(dict(A_prev=A, Z=Z))
            A = sigmoid(Z)
        Z = np.dot(self.params["W%d" % L], A) + self.params["b%d" % L]
        caches.append(dict(A_prev=A, Z=Z))
        return softmax(Z), caches
'''],
        "wrong": [('''
class NeuralNetwork(NeuralNetwork):
    def forward(self, X):
        caches, A = [], X
        for l in range(1, self.n_layers + 1):
            Z = self.params[f"W{l}"] @ A + self.params[f"b{l}"]
            caches.append({"A_prev": A, "Z": Z})
            A = sigmoid(Z)
        return A, caches
''', "sigmoid at the output too"), ('''
class NeuralNetwork(NeuralNetwork):
    def forward(self, X):
        caches, A = [], X
        for l in range(1, self.n_layers + 1):
            Z = self.params[f"W{l}"] @ A + self.params[f"b{l}"]
            A = softmax(Z) if l == self.n_layers else sigmoid(Z)
            caches.append({"A_prev": A, "Z": Z})
        return A, caches
''', "caches the layer's output instead of its input"), ('''
class NeuralNetwork(NeuralNetwork):
    def forward(self, X):
        caches, A = [], X
        for l in range(1, self.n_layers + 1):
            Z = self.params[f"W{l}"] @ A
            caches.append({"A_prev": A, "Z": Z})
            A = softmax(Z) if l == self.n_layers else sigmoid(Z)
        return A, caches
''', "forgets the bias"), ('''
class NeuralNetwork(NeuralNetwork):
    def forward(self, X):
        caches, A = [], X
        for l in range(1, self.n_layers + 1):
            Z = self.params[f"W{l}"] @ A + self.params[f"b{l}"]
            caches.append({"A_prev": A, "Z": Z})
            A = softmax(Z)
        return A, caches
''', "softmax in every layer"), ('''
class NeuralNetwork(NeuralNetwork):
    def forward(self, X):
        caches, A = (), X
        for l in range(1, self.n_layers + 1):
            Z = self.params[f"W{l}"] @ A + self.params[f"b{l}"]
            caches += ({"A_prev": A, "Z": Z},)
            A = softmax(Z) if l == self.n_layers else sigmoid(Z)
        return A, caches
''', "caches as a tuple, not the list the statement asks for (passed the old check)")],
    },
    "05.11-network-backward": {
        "correct": ['''
class NeuralNetwork(NeuralNetwork):
    def backward(self, A, Y, caches, lam=0.0, n=None):
        batch = Y.shape[1]
        if n is None:
            n = batch
        grads = {}
        err = A - Y
        l = self.n_layers
        while l >= 1:
            cache = caches[l - 1]
            W = self.params["W%d" % l]
            grads["dW%d" % l] = np.einsum("im,jm->ij", err, cache["A_prev"]) / batch + lam / n * W
            grads["db%d" % l] = err.mean(axis=1).reshape(-1, 1)
            if l > 1:
                err = W.T.dot(err) * sigmoid_derivative(caches[l - 2]["Z"])
            l -= 1
        return grads
''', '''
class NeuralNetwork(NeuralNetwork):
    def backward(self, A, Y, caches, lam=0.0, n=None):
        m = A.shape[1]
        if n is None:
            n = m
        L = self.n_layers
        deltas = {L: A - Y}
        for l in range(L - 1, 0, -1):
            s = sigmoid(caches[l - 1]["Z"])
            deltas[l] = np.dot(self.params[f"W{l + 1}"].T, deltas[l + 1]) * s * (1 - s)
        grads = {}
        for l in range(1, L + 1):
            grads[f"dW{l}"] = np.dot(deltas[l], caches[l - 1]["A_prev"].T) / m + lam * self.params[f"W{l}"] / n
            grads[f"db{l}"] = np.mean(deltas[l], axis=1, keepdims=True)
        return grads
'''],
        "wrong": [('''
class NeuralNetwork(NeuralNetwork):
    def backward(self, A, Y, caches, lam=0.0, n=None):
        m = Y.shape[1]
        n = n or m
        grads, dZ = {}, A - Y
        for l in range(self.n_layers, 0, -1):
            W = self.params[f"W{l}"]
            grads[f"dW{l}"] = (caches[l - 1]["A_prev"] @ dZ.T / m).T + lam / n * W
            grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True) / m
            if l > 1:
                dZ = W.T @ dZ
        return grads
''', "missing sigma' when passing the error back"), ('''
class NeuralNetwork(NeuralNetwork):
    def backward(self, A, Y, caches, lam=0.0, n=None):
        m = Y.shape[1]
        n = n or m
        grads, dZ = {}, A - Y
        for l in range(self.n_layers, 0, -1):
            W = self.params[f"W{l}"]
            grads[f"dW{l}"] = dZ @ caches[l - 1]["A_prev"].T / m + lam / n * W
            grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True) / m
            if l > 1:
                dZ = (W.T @ dZ) * sigmoid_derivative(caches[l - 1]["Z"])
        return grads
''', "sigma' of the wrong layer"), ('''
class NeuralNetwork(NeuralNetwork):
    def backward(self, A, Y, caches, lam=0.0, n=None):
        m = Y.shape[1]
        n = n or m
        grads, dZ = {}, A - Y
        for l in range(self.n_layers, 0, -1):
            W = self.params[f"W{l}"]
            grads[f"dW{l}"] = caches[l - 1]["A_prev"] @ dZ.T / m + lam / n * W.T
            grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True) / m
            if l > 1:
                dZ = (W.T @ dZ) * sigmoid_derivative(caches[l - 2]["Z"])
        return grads
''', "transposed weight gradient"), ('''
class NeuralNetwork(NeuralNetwork):
    def backward(self, A, Y, caches, lam=0.0, n=None):
        grads, dZ = {}, A - Y
        n = n or Y.shape[1]
        for l in range(self.n_layers, 0, -1):
            W = self.params[f"W{l}"]
            grads[f"dW{l}"] = dZ @ caches[l - 1]["A_prev"].T + lam / n * W
            grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True)
            if l > 1:
                dZ = (W.T @ dZ) * sigmoid_derivative(caches[l - 2]["Z"])
        return grads
''', "forgot 1/m"), ('''
class NeuralNetwork(NeuralNetwork):
    def backward(self, A, Y, caches, lam=0.0, n=None):
        m = Y.shape[1]
        grads, dZ = {}, A - Y
        for l in range(self.n_layers, 0, -1):
            W = self.params[f"W{l}"]
            grads[f"dW{l}"] = dZ @ caches[l - 1]["A_prev"].T / m + lam / m * W
            grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True) / m
            if l > 1:
                dZ = (W.T @ dZ) * sigmoid_derivative(caches[l - 2]["Z"])
        return grads
''', "L2 term scaled with the batch size instead of n"), ('''
class NeuralNetwork(NeuralNetwork):
    def backward(self, A, Y, caches, lam=0.0, n=None):
        m = Y.shape[1]
        n = n or m
        grads, dZ = {}, A - Y
        for l in range(self.n_layers, 0, -1):
            W, b = self.params[f"W{l}"], self.params[f"b{l}"]
            grads[f"dW{l}"] = dZ @ caches[l - 1]["A_prev"].T / m + lam / n * W
            grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True) / m + lam / n * b
            if l > 1:
                dZ = (W.T @ dZ) * sigmoid_derivative(caches[l - 2]["Z"])
        return grads
''', "regularised the bias")],
    },
    "05.12-network-update": {
        "correct": ['''
class NeuralNetwork(NeuralNetwork):
    def update(self, grads, lr):
        self.params = {name: value - lr * grads["d" + name] for name, value in self.params.items()}
'''],
        "wrong": [('''
class NeuralNetwork(NeuralNetwork):
    def update(self, grads, lr):
        for l in range(1, self.n_layers + 1):
            self.params[f"W{l}"] += lr * grads[f"dW{l}"]
            self.params[f"b{l}"] += lr * grads[f"db{l}"]
''', "steps up the gradient"), ('''
class NeuralNetwork(NeuralNetwork):
    def update(self, grads, lr):
        for l in range(1, self.n_layers + 1):
            self.params[f"W{l}"] -= lr * grads[f"dW{l}"]
''', "forgets the biases"), ('''
class NeuralNetwork(NeuralNetwork):
    def update(self, grads, lr):
        for key in grads:
            grads[key] *= lr
            self.params[key[1:]] -= grads[key]
''', "scales the gradients in place"), ('''
class NeuralNetwork(NeuralNetwork):
    def update(self, grads, lr):
        params = dict(self.params)
        for key in params:
            params[key] = params[key] - lr * grads["d" + key]
        return params
''', "returns new parameters instead of storing them")],
    },
    "05.13-model": {
        "correct": [_model(), _model(PREDICT="probs.argmax(axis=0).reshape(1, -1)")],
        "wrong": [
            (_model(BATCH_N="None"), "the L2 term scaled with the batch size (n not passed)"),
            (_model(COST="cross_entropy_cost(probs, Y)"), "records the cost without the penalty"),
            (_model(SHUFFLE="np.random.default_rng(0).permutation(n)"), "shuffles with another generator"),
            (_model(RETURNED="None"), "fit does not return self"),
            (_model(PREDICT="np.argmax(probs, axis=0)"), "predict returns shape (m,)"),
            (_model(COST="cross_entropy_cost(probs, Y) + l2_cost(net.params, self.lam, self.batch_size)"),
             "penalty recorded with the batch size"),
            (_model(MONITOR="monitor(self)"), "calls the monitor even when none is given (a gap of the old cases)"),
            (_model(SHUFFLE="self.rng.permutation(n)[::-1]"), "walks each permutation backwards"),
        ],
    },
}

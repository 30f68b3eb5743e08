"""Exercises of notebook 05 — the object-oriented lab (inputs only; expected values come from the solution).

Class exercises are checked on objects built by the learner's own constructor, with the
parameters a case needs then set through the documented ``params`` attribute, and methods on
states a real run produces (``backward`` gets the caches of the learner's own ``forward``).
"""
import struct

import numpy as np

from ..prereq import is_stub
from ..questions import Question, Written
from . import Exercise, raised_name


# ---------------------------------------------------------------- 05.1, 05.2: IDX bytes
def _idx(rng, type_code: int, shape: tuple, payload: int | None = None) -> bytes:
    """The bytes of an IDX file: two zero bytes, type code, dimensions, big-endian sizes, then data."""
    size = int(np.prod(shape)) if payload is None else payload
    head = bytes([0, 0, type_code, len(shape)]) + struct.pack(f">{len(shape)}I", *shape)
    return head + rng.integers(0, 256, size, dtype=np.uint8).tobytes()


def _header_cases(rng):
    shapes = [(3, 4, 5), (int(rng.integers(1, 9)),), (2, 70000), (1, 2, 3, 2)]
    return [(_idx(rng, code, shape),) for code, shape in zip([0x08, 0x08, 0x0D, 0x09], shapes)]


def _type_names(value) -> str:
    """A returned value's types in the statement's words: ``tuple (int, tuple (int, int))``."""
    if isinstance(value, tuple):
        return f"tuple ({', '.join(_type_names(v) for v in value)})"
    return type(value).__name__


def _header_call(fn, data):
    end = 4 + 4 * data[3]
    out = fn(data)
    if isinstance(out, np.ndarray) or (isinstance(out, (tuple, list)) and any(isinstance(x, np.ndarray) for x in out)):
        raise TypeError("parse_header returned an array; it must return a tuple (type_code, shape) whose shape is "
                        "a tuple of ints")
    return {"returned (type_code, shape)": out, "types of what was returned": _type_names(out),
            "error when byte 1 is not zero": raised_name(lambda: fn(b"\x00\x07" + data[2:]), family=ValueError),
            "error when byte 0 is not zero": raised_name(lambda: fn(b"\x07" + bytes(data[1:])), family=ValueError),
            "error when the data stops inside the header": raised_name(lambda: fn(data[:end - 1]),
                                                                       family=ValueError),
            "error when the data stops before byte 3": raised_name(lambda: fn(data[:3]), family=ValueError)}


def _image_cases(rng):
    return [(_idx(rng, 0x08, (int(n), int(r), int(c))),) for n, r, c in
            [(3, 4, 5), (1, 28, 28), (rng.integers(2, 9), rng.integers(1, 5), rng.integers(2, 6))]]


def _images_call(fn, data):
    count, rows, cols = struct.unpack(">3I", data[4:16])
    rng = np.random.default_rng(count * 1000 + rows * 10 + cols)
    out = fn(data)
    return {"images": out, "dtype": str(getattr(out, "dtype", type(out).__name__)),
            "error for a type code other than 0x08": raised_name(lambda: fn(data[:2] + b"\x0d" + data[3:]),
                                                                 family=ValueError),
            "error for a label file (1 dimension)": raised_name(lambda: fn(_idx(rng, 0x08, (count,))),
                                                                family=ValueError),
            "error for a missing last byte": raised_name(lambda: fn(data[:-1]), family=ValueError),
            "error for an extra byte": raised_name(lambda: fn(data + b"\x00"), family=ValueError)}


# ---------------------------------------------------------------- 05.3 - 05.8: helpers
def _rows(rng):
    """uint8 images (count, pixels) with the extremes 0 and 255 in them, and uint8 labels (count,)."""
    cases = [(np.array([[0, 255], [51, 102]], dtype=np.uint8), np.array([3, 7], dtype=np.uint8))]
    for count, pixels in [(5, 4), (1, 784), (3, 1), (4, 6)]:
        images = rng.integers(0, 256, size=(count, pixels), dtype=np.uint8)
        images.flat[0], images.flat[-1] = 255, 0
        cases.append((images, rng.integers(0, 10, size=count, dtype=np.uint8)))
    return cases


def _batch_sizes(rng):
    return [(5, 2, 0), (12, 4, int(rng.integers(1000))), (10, 3, 1), (7, 10, 2), (1, 1, 3), (9, 9, 4)]


def _batches_diagnose(expected, got, args):
    """Right order, other sizes: the cutting, not the shuffling, went wrong."""
    n, batch_size, seed = args
    batches = got.get("batches") if isinstance(got, dict) else None
    if not isinstance(batches, list) or not all(isinstance(b, np.ndarray) and b.ndim == 1 for b in batches):
        return None
    order = np.concatenate(expected["batches"])
    sizes = [len(b) for b in batches]
    if batches and np.array_equal(np.concatenate(batches), order) and sizes != [len(b) for b in expected["batches"]]:
        return (f"the batches hold the right order but have sizes {sizes}: every batch has batch_size = "
                f"{batch_size} columns except the last, which holds what is left")
    return None


def _batches_call(fn, n, batch_size, seed):
    rng = np.random.default_rng(seed)
    out = fn(n, batch_size, rng)
    return {"batches": out, "returned a list": isinstance(out, list),
            "next number rng gives afterwards": int(rng.integers(1_000_000))}


def _labels(rng):
    return [(rng.integers(0, 10, size=(1, 8)),), (np.array([[2, 0, 1]]), 3), (rng.integers(0, 4, size=(1, 5)), 4),
            (np.array([[6]]),)]


def _one_hot_call(fn, *args):
    out = fn(*args)
    return {"Y": out, "dtype": str(getattr(out, "dtype", type(out).__name__))}


def _columns(rng, k, m):
    """m columns of k probabilities each (a Dirichlet draw: positive, every column summing to 1)."""
    return rng.dirichlet(np.full(k, 0.5), size=m).T


def _one_hot_columns(rng, k, m):
    return np.eye(k)[:, rng.integers(0, k, m)]  # column j is the unit vector of a random class


def _costs(rng):
    cases = [(_columns(rng, k, m), _one_hot_columns(rng, k, m)) for k, m in [(10, 6), (3, 1), (4, 9)]]
    A = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [0.0, 0.0, 0.0]])  # exact zeros, one under a true class
    cases.append((A, np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])))
    tiny = np.array([[3e-13, 0.5], [1.0 - 3e-13, 0.5]])  # a true class with a probability below the floor
    cases.append((tiny, np.array([[1.0, 0.0], [0.0, 1.0]])))
    return cases


def _param_dicts(rng):
    """Parameter dictionaries of several depths (biases not zero, so a penalty on them shows), λ and n."""
    return [(_params(rng, sizes), lam, n) for sizes, lam, n in
            [([4, 3, 2], 0.7, 10), ([2, 5], 2.0, 3), ([2, 2, 1, 4], 3.0, 50), ([3, 2], 0.0, 7)]]


# ---------------------------------------------------------------- 05.9 - 05.12: NeuralNetwork
def _params(rng, sizes):
    return {k: v for l in range(1, len(sizes)) for k, v in
            [(f"W{l}", rng.normal(size=(sizes[l], sizes[l - 1]))), (f"b{l}", rng.normal(size=(sizes[l], 1)))]}


class NeedsAnotherExercise(RuntimeError):
    """The check of one method needs another exercise of the class, which is not finished."""


def _using(cls, methods: str, step: str, number: str, run):
    """``run()``, but a NotImplementedError raised by another exercise's code names that exercise.

    ``methods`` (space-separated) are the methods of the exercise being checked: while one of them is
    still a stub, the exercise itself counts as not implemented.
    """
    try:
        return run()
    except NotImplementedError:
        if any(is_stub(getattr(cls, name, None)) for name in methods.split()):
            raise  # the exercise being checked is not written yet
        raise NeedsAnotherExercise(f"this check uses your {step} (Exercise {number}), which is not "
                                   f"finished yet: finish it first") from None


def _built(cls, sizes, params, method):
    """A network made by the learner's own ``__init__``, then given the case's parameters via ``params``."""
    net = _using(cls, method, "__init__", "05.9", lambda: cls(list(sizes), seed=0))
    if not isinstance(getattr(net, "params", None), dict):
        raise NeedsAnotherExercise("this check sets the parameters through self.params, which your __init__ "
                                   "(Exercise 05.9) must create as a dict")
    for key, value in params.items():
        net.params[key] = np.array(value, copy=True)
    return net


def _init_call(cls, sizes, seed):
    net = cls(list(sizes), seed=seed)
    return {"params": net.params, "layer_sizes": list(getattr(net, "layer_sizes", []))}


def _forward_cases(rng):
    return [(sizes, _params(rng, sizes), rng.uniform(size=(sizes[0], m))) for sizes, m in
            [([4, 3, 2], 5), ([6, 5, 4, 3], 2), ([3, 2], 4), ([5, 3, 4], 1)]]


def _forward_result(result, n_layers: int):
    """``(A, caches)`` from what forward returned, or a TypeError that says what forward must return."""
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        raise TypeError(f"forward (Exercise 05.10) must return a pair (A, caches); it returned "
                        f"{type(result).__name__}")
    probs, caches = result
    if not (isinstance(caches, (list, tuple)) and len(caches) == n_layers
            and all(isinstance(c, dict) and {"A_prev", "Z"} <= set(c) for c in caches)):
        raise TypeError(f"the caches of forward (Exercise 05.10) must be a list of {n_layers} dicts, one per "
                        f"layer, with keys 'A_prev' and 'Z'")
    return probs, caches


def _forward_call(cls, sizes, params, X):
    probs, caches = _forward_result(_built(cls, sizes, params, "forward").forward(X), len(sizes) - 1)
    return {"A": probs, "caches is a list": isinstance(caches, list), "A_prev of each layer": [c["A_prev"] for c in caches],
            "Z of each layer": [c["Z"] for c in caches]}


def _backward_cases(rng):
    cases = []
    for sizes, m, lam, n in [([4, 3, 2], 5, 0.0, None), ([6, 5, 4, 3], 3, 0.8, 40), ([3, 4, 2], 4, 2.0, None),
                             ([5, 3, 4], 1, 1.5, 12)]:
        Y = _one_hot_columns(rng, sizes[-1], m)
        cases.append((sizes, _params(rng, sizes), rng.uniform(size=(sizes[0], m)), Y, lam, n))
    return cases


def _backward_call(cls, sizes, params, X, Y, lam, n):
    """Run the learner's forward on X for real caches, then backward on them."""
    net = _built(cls, sizes, params, "backward")
    probs, caches = _forward_result(_using(cls, "backward", "forward", "05.10", lambda: net.forward(X)), len(sizes) - 1)
    return {"probabilities A from your forward (Exercise 05.10)": probs,
            "gradients": net.backward(probs, Y, caches, lam, n)}


def _close(a, b) -> bool:
    try:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-6, atol=1e-9)


def _backward_diagnose(expected, got, args):
    sizes, params, X, Y, lam, n = args
    if not isinstance(got, dict) or not isinstance(got.get("gradients"), dict):
        return None
    expected, got = expected["gradients"], got["gradients"]
    m = Y.shape[1]
    n_used = n if n is not None else m  # the training-set size the penalty is defined with
    L = len(sizes) - 1
    if m > 1 and all(_close(got.get(f"db{l}"), expected[f"db{l}"] * m)
                     and _close(got.get(f"dW{l}"), (expected[f"dW{l}"] - lam / n_used * params[f"W{l}"]) * m
                                + lam / n_used * params[f"W{l}"]) for l in range(1, L + 1)):
        return "the gradients are m times too large: average over the m columns of the batch"
    wrong = []
    for l in range(L, 0, -1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        dW, db = got.get(f"dW{l}"), got.get(f"db{l}")
        exp_dW, exp_db = expected[f"dW{l}"], expected[f"db{l}"]
        if db is None or dW is None:
            return f"no 'db{l}' or 'dW{l}' in the result: backward returns the gradient of every W and b"
        if np.shape(dW) != exp_dW.shape and _close(np.transpose(dW), exp_dW):
            return (f"dW{l} has the transposed shape {np.shape(dW)}: a gradient has the shape of its "
                    f"parameter, W{l} is {exp_dW.shape}")
        data_part = exp_dW - lam / n_used * W
        if lam > 0 and _close(db, exp_db + lam / n_used * b):
            return f"db{l} contains an L2 term: the penalty applies to the weights only"
        if lam > 0 and _close(dW, data_part):
            return f"dW{l} has no L2 term: the gradient of the penalty belongs to every weight gradient"
        if lam > 0 and n is not None and _close(dW, data_part + lam / m * W):
            return (f"the L2 term of dW{l} is scaled with the batch size m; the penalty is defined with n, "
                    f"the training-set size (the parameter n)")
        if not (_close(dW, exp_dW) and _close(db, exp_db)):
            wrong.append(l)
    if wrong and max(wrong) < L:
        return (f"the output layer's gradients are right but layer {max(wrong)}'s are not: check how the error "
                f"is passed back — through which weights, and with the slope of which layer's activation")
    return None


def _update_cases(rng):
    cases = []
    for sizes, lr in [([4, 3, 2], 0.1), ([2, 5, 3, 1], 1.5), ([3, 2], 0.5)]:
        params = _params(rng, sizes)
        grads = {f"d{k}": rng.normal(size=v.shape) for k, v in params.items()}
        cases.append((sizes, params, grads, lr))
    return cases


def _update_call(cls, sizes, params, grads, lr):
    net = _built(cls, sizes, params, "update")
    net.update(grads, lr)
    return net.params


# ---------------------------------------------------------------- 05.13: Model
def _model_cases(rng):
    cases = []
    for n0, k, n, lam in [(6, 3, 12, 0.1), (4, 2, 9, 2.0), (5, 4, 7, 0.0)]:
        X = rng.uniform(size=(n0, n))
        cases.append((X, rng.integers(0, k, size=(1, n)), k, lam))
    return cases


def _model_call(cls, X, y, k, lam):
    own = "fit predict score"

    def build():
        return _using(cls, own, "NeuralNetwork's __init__", "05.9",
                      lambda: cls([X.shape[0], 5, k], lam=lam, lr=0.5, epochs=4, batch_size=4, record_every=2, seed=3))

    model, quiet, seen = build(), build(), []
    returned = _using(cls, own, "mini_batches or NeuralNetwork's methods", "05.4, 05.10 to 05.12",
                      lambda: model.fit(X, y, monitor=lambda m: seen.append(len(m.costs_))))
    _using(cls, own, "mini_batches or NeuralNetwork's methods", "05.4, 05.10 to 05.12", lambda: quiet.fit(X, y))
    return {"fit returns self": returned is model, "costs_": list(model.costs_),
            "len(costs_) at each monitor call": seen, "predict": model.predict(X), "score": model.score(X, y),
            "costs_ when fit is called without a monitor": list(quiet.costs_)}


# Points (docs/points.md): 1 for one idea; 2 for 05.1 (a format read and validated); 3 for 05.11 (backward with
# L2 through every layer) and 05.13 (a whole fit with mini-batches and regularisation).
EXERCISES = [
    Exercise("05.1-parse-header", "parse_header", _header_cases, call=_header_call, points=2, hints=(
        "Byte 3 says how many sizes follow, so the header's length depends on it: read that byte first, "
        "then exactly that many 4-byte big-endian unsigned integers after the first four bytes.",
        "Indexing a bytes object with one position gives an int; slicing gives bytes. struct's format "
        "string can carry a count before its letter, so it can be built from the number of dimensions.",
        "Re-read the IDX table at the start of Section 1: compare your result with the example for the "
        "training images and for the labels.")),
    Exercise("05.2-images-from-bytes", "images_from_bytes", _image_cases, call=_images_call, hints=(
        "Let parse_header give you the type code and sizes, refuse anything that is not an image file of "
        "unsigned bytes, then view the bytes after the header as pixels, one row per image.",
        "The header of a 3-dimensional file is 4 + 3·4 bytes long; the pixel count that must follow is the "
        "product of the three sizes, and each image becomes one row of rows·cols values.",
        "Re-read the statement's list of errors, and the paragraph on np.frombuffer and its offset.")),
    Exercise("05.3-to-columns", "to_columns", _rows, check_dtype=True, hints=(
        "Two changes of layout and two of type: the sample index moves from the first axis to the second "
        "(images become columns), the pixels become floats in [0, 1], and the labels one row of int64.",
        "Dividing by 255 maps 0…255 onto [0, 1] — as long as the division is a true, floating-point one. "
        "Give the labels their new dtype explicitly and a leading axis of length 1.",
        "Re-read 'Samples as columns' and check the statement's example by hand: which entry of X holds "
        "pixel 1 of image 0?")),
    Exercise("05.4-mini-batches", "mini_batches", _batch_sizes, call=_batches_call, diagnose=_batches_diagnose,
             arg_names=("n", "batch_size", "seed of the generator rng"), hints=(
        "Draw the epoch's whole order once, with the generator's permutation method; the batches are "
        "consecutive pieces of that order, each batch_size long except perhaps the last.",
        "The pieces start at 0, batch_size, 2·batch_size, … while below n; a slice that runs past the end "
        "of an array stops at the end, so the shorter last batch needs no special case. Cutting the order "
        "into a given number of nearly equal parts is something else.",
        "Re-read the statement's example, and notebook 04's train, which walks through an epoch the same "
        "way.")),
    Exercise("05.5-one-hot", "one_hot", _labels, call=_one_hot_call, hints=(
        "Start from a float array of zeros with one column per sample and one row per class, then put a "
        "single 1 in every column.",
        "The row of column j's 1 is label j. Fancy indexing with two index arrays — rows and columns — "
        "sets one entry per column in one step.",
        "Re-read the statement's example (which entry of each column is 1?) and notebook 01's section 7, "
        "'Picking entries: index arrays and boolean masks': index arrays on the left of = write one entry "
        "per pair.")),
    Exercise("05.6-cross-entropy-cost", "cross_entropy_cost", _costs, no_warnings=True, hints=(
        "Only the probability of each column's true class counts: Y selects it. Take minus its log, add "
        "up, and average over the columns (samples), not over all entries.",
        "Raise A to the floor of 1e-12 before the log, so a zero probability gives a large finite cost "
        "and no warning; m is the number of columns of Y.",
        "Re-read the formula in the statement: the 1/m is outside both sums.")),
    Exercise("05.7-l2-cost", "l2_cost", _param_dicts, hints=(
        "Visit the dictionary's entries and keep the weight matrices only (their names start with W); add "
        "up the squares of all their entries, then scale by λ/(2n).",
        "The biases sit in the same dictionary but not in the penalty, and the number of layers is whatever "
        "the dictionary holds. The result is one number.",
        "Re-read 'L2 regularisation: one objective' and work the statement's example by hand.")),
    Exercise("05.8-l2-gradients", "l2_gradients", _param_dicts, hints=(
        "Differentiate λ/(2n)·w² with respect to w: the 2 of the square meets the 2 below. A bias does not "
        "appear in the penalty, so its gradient is zero — zeros of the bias's shape, not a single 0.",
        "Every parameter gets an entry, named with a 'd' in front of its own name, of its parameter's "
        "shape.",
        "Re-read the statement, and the gradients dictionary that backward returns in section 3.")),
    Exercise("05.9-network-init", "NeuralNetwork", lambda rng: [([784, 64, 10], 0), ([5, 4, 3, 2], 7), ([2, 1], 1)],
             methods=('__init__',), call=_init_call, hints=(
        "Make one generator from the seed, then visit the layers from the first to the last, drawing each "
        "weight matrix with it and scaling it down by the square root of the layer's input size.",
        "Each W has one row per unit of its layer and one column per unit of the layer before; each b is "
        "a column of zeros. Drawing in another order, or with another generator call, gives other numbers.",
        "Re-read the list at the start of Section 3.")),
    Exercise("05.10-network-forward", "NeuralNetwork", _forward_cases, methods=('forward',), call=_forward_call, hints=(
        "Each layer multiplies its weights by the previous activations (samples are columns) and adds "
        "its bias; hidden layers apply sigmoid, the last layer softmax.",
        "Record, for every layer and before applying the activation, its input and its Z: the caches "
        "list has one dictionary per layer, in layer order.",
        "Re-read 'Samples as columns' in Section 1 and the forward item of Section 3's list.")),
    Exercise("05.11-network-backward", "NeuralNetwork", _backward_cases, methods=('backward',), call=_backward_call,
             diagnose=_backward_diagnose, points=3.0, hints=(
        "Start from the output error of softmax with cross-entropy and walk the layers backwards: each "
        "layer's gradients come from its error and its cached input; then pass the error on.",
        "Check shapes: a weight gradient pairs an error of shape (n_l, m) with an input of shape "
        "(n_l-1, m) to get W's shape, averaged over the m columns; a bias gradient keeps one column. "
        "Passing back goes through the transposed weights and the slope of the receiving layer. The L2 "
        "term uses n, the training-set size, when n is given.",
        "Re-read the backward item of Section 3's list and notebook 04's derivation of backpropagation.")),
    Exercise("05.12-network-update", "NeuralNetwork", _update_cases, methods=('update',), call=_update_call, hints=(
        "Gradient descent moves every parameter a step of size lr against its gradient.",
        "Every layer's W and b changes — match each parameter name with its gradient's name — and the "
        "result must end up in self.params.",
        "Re-read the update item of Section 3's list.")),
    Exercise("05.13-model", "Model", _model_cases, methods=('fit', 'predict', 'score'), call=_model_call,
             points=3.0, hints=(
        "Follow the statement step by step: one-hot once, then per epoch the batches of your mini_batches "
        "with the model's generator, and the recording (then the monitor, if there is one) only after "
        "every record_every-th epoch.",
        "backward gets the training-set size n, not the batch size; the recorded cost is the whole "
        "objective (data term plus penalty) on all training columns. fit returns the model itself; "
        "predict gives shape (1, m).",
        "Re-read 'L2 regularisation: one objective' and the statement of Exercise 05.13.")),
]

#: Concept questions, checked at once by ``ask`` (their explanations: helpers/instructor/authoring/explanations/).
QUESTIONS = [
    Question("05.q1-penalty-value", "penalty_answer", decimals=4,
             hint="Re-read the objective C: which n, and which factor in front of the sum of squares?"),
    Question("05.q2-cost-or-accuracy", "cost_accuracy_answer", choices=("a", "b", "c", "d"),
             hint="Re-read the paragraph after the first learning curves: what does each measure ask of an answer?"),
    Question("05.q3-choosing-lambda", "choose_lambda_answer", choices=("a", "b", "c", "d"),
             hint="Look at the training-accuracy column of the table, and at what the penalty adds to the objective."),
]

#: Written answers, marked by the instructor.
WRITTEN = [Written("05.w1-lambda", points=2)]

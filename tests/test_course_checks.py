"""Self-checks on the real course notebooks recognise the typical mistakes and say so."""
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT
from helpers.checks import check
from helpers.execute import load_notebook_code


def notebook_code(name: str):
    """The import and definition cells of a solution notebook, run: its own functions and classes."""
    return load_notebook_code(ROOT / "solutions" / name, tag=None)


@pytest.fixture(scope="module")
def lab():
    return notebook_code("05_nn_lab.ipynb")


def backward_variant(lab, mistake):
    """The solution's backward with one classic mistake."""
    base = lab.NeuralNetwork
    sigmoid_derivative = lab.sigmoid_derivative

    class Wrong(base):
        def backward(self, A, Y, caches, lam=0.0, n=None):
            m = Y.shape[1]
            n = m if n is None or mistake == "L2 with m" else n
            grads, dZ = {}, A - Y
            for l in range(self.n_layers, 0, -1):
                A_prev, W, b = caches[l - 1]["A_prev"], self.params[f"W{l}"], self.params[f"b{l}"]
                scale = 1 if mistake == "no /m" else 1 / m
                dW = dZ @ A_prev.T * scale + lam / n * W
                db = dZ.sum(axis=1, keepdims=True) * scale
                grads[f"dW{l}"] = dW.T if mistake == "transposed" else dW
                if mistake == "bias regularised":
                    db = db + lam / n * b
                if mistake != "no db":
                    grads[f"db{l}"] = db
                if l > 1:
                    slope = 1.0 if mistake == "no sigma'" else sigmoid_derivative(caches[l - 2]["Z"])
                    dZ = (W.T @ dZ) * slope
            return grads

    return Wrong


@pytest.mark.parametrize("mistake, message", [
    ("transposed", "has the transposed shape"),
    ("no db", "backward returns the gradient of every W and b"),
    ("no /m", "m times too large"),
    ("bias regularised", "the penalty applies to the weights only"),
    ("L2 with m", "scaled with the batch size m"),
    ("no sigma'", "the output layer's gradients are right but layer"),
])
def test_backward_mistakes_are_named(lab, capsys, mistake, message):
    check("05.11-network-backward", backward_variant(lab, mistake))
    out = capsys.readouterr().out
    assert "✘" in out and message in out, out


@pytest.mark.parametrize("mistake", ["L2 with m", "no sigma'", "bias regularised", "transposed"])
def test_backward_m_times_only_when_every_gradient_is_m_times(lab, capsys, mistake):
    """The batch-of-one case (m = 1) cannot show an m-times error: its failures are not blamed on m."""
    check("05.11-network-backward", backward_variant(lab, mistake))
    out = capsys.readouterr().out
    assert "✘" in out and "m times too large" not in out, out


def test_correct_backward_passes(lab, capsys):
    check("05.11-network-backward", lab.NeuralNetwork)
    assert "✔ all 4 checks passed" in capsys.readouterr().out


def test_a_method_check_names_the_unfinished_constructor(lab, capsys):
    """forward is checked on a network built by the learner's own __init__: an unfinished one is named."""
    class Unfinished(lab.NeuralNetwork):
        def __init__(self, layer_sizes, seed=0):
            raise NotImplementedError()

    check("05.10-network-forward", Unfinished)
    out = capsys.readouterr().out
    assert "✘" in out and "Exercise 05.9" in out and "not implemented yet" not in out, out


def test_transposed_forward_weights(lab, capsys):
    base, sigmoid, softmax = lab.NeuralNetwork, lab.sigmoid, lab.softmax

    class Wrong(base):
        def forward(self, X):
            caches, A = [], X
            for l in range(1, self.n_layers + 1):
                Z = (A.T @ self.params[f"W{l}"].T).T + self.params[f"b{l}"] * 0  # drops the bias
                caches.append({"A_prev": A, "Z": Z})
                A = softmax(Z) if l == self.n_layers else sigmoid(Z)
            return A, caches

    check("05.10-network-forward", Wrong)
    assert "✘ 0 of 4" in capsys.readouterr().out


def test_04_unstable_formulas_and_in_place_updates(capsys):
    check("04.1-sigmoid", lambda z: 1 / (1 + np.exp(-z)))
    assert "it warned: RuntimeWarning: overflow encountered in exp" in capsys.readouterr().out

    def unstable_softmax(Z):
        E = np.exp(Z)
        return E / E.sum(axis=1, keepdims=True)

    check("04.4-softmax", unstable_softmax)
    out = capsys.readouterr().out
    assert "✘" in out and ("NaN or inf" in out or "warned" in out)

    def in_place(w, grad, velocity, lr, momentum):
        velocity *= momentum
        velocity -= lr * grad
        w += velocity
        return w, velocity

    check("04.9-momentum-step", in_place)
    assert "changed its input in place" in capsys.readouterr().out

    def forward_difference(f, w, eps=1e-5):
        g = np.zeros_like(w, dtype=float)
        for j in np.ndindex(w.shape):
            old = w[j]
            base = f(w)
            w[j] = old + eps
            g[j] = (f(w) - base) / eps
            w[j] = old
        return g

    check("04.8-numerical-gradient", forward_difference)
    assert "✘" in capsys.readouterr().out


@pytest.fixture(scope="module")
def nb04():
    return notebook_code("04_neural_network.ipynb")


def backward_with(mistake: str, sigmoid_prime=None):
    """Notebook 04's backward pass as a student might write it, with one classic mistake."""
    def backward(params, activations, Y):
        grads = [None] * len(params)
        delta = (Y - activations[-1] if mistake == "Y - P" else activations[-1] - Y)
        delta = delta / (1 if mistake == "no 1/m" else Y.shape[1] if mistake == "m from the wrong axis" else len(Y))
        for i in reversed(range(len(params))):
            A = activations[i]
            dW = delta.T @ A
            grads[i] = (dW.T if mistake == "transposed" else dW, delta.sum(axis=0))
            if i > 0:
                back = delta @ params[i][0]
                if mistake == "no sigma'":
                    delta = back
                elif mistake == "sigma' of the wrong layer":
                    delta = back * activations[i + 1] * (1 - activations[i + 1])
                elif mistake == "sigma' of A":
                    delta = back * sigmoid_prime(A)
                else:
                    delta = back * A * (1 - A)
        return grads[::-1] if mistake == "reversed" else grads

    return backward


@pytest.mark.parametrize("mistake, message", [
    ("transposed", "transposed weight gradient"),
    ("no sigma'", "missing σ′"),
    ("sigma' of the wrong layer", "σ′ of the wrong layer"),
    ("no 1/m", "forgot the 1/m"),
    ("sigma' of A", "σ′ applied to an activation"),
    ("reversed", "reverse order"),
])
def test_04_backward_mistakes_are_named(nb04, capsys, mistake, message):
    check("04.7-backward", backward_with(mistake, nb04.sigmoid_prime))
    out = capsys.readouterr().out
    assert "✘" in out and message in out, out


@pytest.mark.parametrize("mistake", ["Y - P", "m from the wrong axis"])
def test_04_no_layer_is_called_right_when_every_layer_is_wrong(nb04, capsys, mistake):
    check("04.7-backward", backward_with(mistake))
    out = capsys.readouterr().out
    assert "✘" in out and "gradients are right" not in out, out


_HANDOUT_CHECK = """
import sys


class NoInstructorTools:  # the hand-out has no helpers/instructor; the editable install would still find it
    def find_spec(self, name, path=None, target=None):
        if name.startswith("helpers.instructor"):
            raise ImportError("not in the hand-out")


sys.meta_path.insert(0, NoInstructorTools())
import numpy as np
import helpers
from helpers.checks import check
try:
    import helpers.instructor
except ImportError:
    print("no instructor tools")

def backward(params, activations, Y):
    grads = [None] * len(params)
    delta = (activations[-1] - Y) / len(Y)
    for i in reversed(range(len(params))):
        grads[i] = (delta.T @ activations[i], delta.sum(axis=0))
        delta = delta @ params[i][0]  # no slope of the sigmoid
    return grads

check("04.7-backward", backward)
print(helpers.__file__)
"""


def test_04_missing_slope_is_named_without_the_instructor_tools(tmp_path):
    """The σ′ diagnoses come from values recorded at build time: a helpers/ without instructor/ (the
    hand-out's) still names the mistake."""
    shutil.copytree(ROOT / "helpers", tmp_path / "helpers",
                    ignore=shutil.ignore_patterns("instructor", "__pycache__"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "COURSE_"))}
    done = subprocess.run([sys.executable, "-c", _HANDOUT_CHECK], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "no instructor tools" in done.stdout and str(tmp_path) in done.stdout, done.stdout
    assert "✘" in done.stdout and "missing σ′" in done.stdout, done.stdout


def test_04_correct_backward_passes_and_changing_activations_is_named(nb04, capsys):
    check("04.7-backward", backward_with("none"))
    assert "04.7-backward ✔" in capsys.readouterr().out

    def overwrites(params, activations, Y):
        activations[-1] -= Y
        return nb04.backward(params, [*activations[:-1], activations[-1] + Y], Y)

    check("04.7-backward", overwrites)
    out = capsys.readouterr().out
    assert "✘" in out and "changed its input in place (`activations`)" in out, out


def _gradient_check_cell() -> str:
    cells = json.loads((ROOT / "solutions" / "04_neural_network.ipynb").read_text())["cells"]
    return next("".join(c["source"]) for c in cells if c.get("id") == "nb04-041")


def _copying_numerical_gradient(f, w, eps=1e-5):
    grad = np.zeros(w.shape)
    for j in np.ndindex(w.shape):
        up, down = w.copy(), w.copy()
        up[j] += eps
        down[j] -= eps
        grad[j] = (f(up) - f(down)) / (2 * eps)
    return grad


@pytest.mark.parametrize("numerical", ["in place", "copies"])
def test_04_gradient_check_cell_tests_the_students_backward(nb04, capsys, numerical):
    """The gradient-check cell accepts a right backward with either kind of numerical_gradient, and
    rejects a wrong backward."""
    cell = _gradient_check_cell()
    scope = dict(vars(nb04))
    if numerical == "copies":
        scope["numerical_gradient"] = _copying_numerical_gradient
    exec(cell, scope)
    assert "gradient check passed for all 6 parameter arrays" in capsys.readouterr().out
    scope["backward"] = backward_with("no sigma'")
    with pytest.raises(AssertionError, match="disagrees with the numerical gradient"):
        exec(cell, scope)


def test_01_wrong_shape_and_03_missing_return_self(capsys):
    check("01.1-brightest-pixel", lambda img: img.reshape(-1, img.shape[-1]).argmax(axis=0))
    assert "wrong shape" in capsys.readouterr().out
    ns = notebook_code("03_linear_regression.ipynb")

    class NoSelf(ns.LinearRegression):
        def fit(self, X, y):
            super().fit(X, y)

    check("03.5-linreg-fit-predict", NoSelf)
    out = capsys.readouterr().out
    assert "fit returns self: expected True, got False" in out and "['" not in out


def test_02_masked_where_plain_is_asked_and_plain_where_masked(capsys):
    def masked_fill(t, y):
        mask = np.ma.getmaskarray(y)
        known = np.flatnonzero(~mask)
        out = np.array(y.filled(0.0), dtype=float)
        for i in np.flatnonzero(mask):
            left, right = known[known < i], known[known > i]
            l, r = (left[-1] if left.size else right[0]), (right[0] if right.size else left[-1])
            w = 0.0 if r == l else (t[i] - t[l]) / (t[r] - t[l])
            out[i] = out[l] + w * (out[r] - out[l])
        return np.ma.masked_array(out)

    check("02.4-fill-linear", masked_fill)
    out = capsys.readouterr().out
    assert "✘" in out and "masked array" in out, out

    def plain_stats(p, min_months):
        r = p[1:] / p[:-1] - 1
        few = r.count(axis=0) < min_months
        return np.where(few, np.nan, r.mean(axis=0)), np.where(few, np.nan, r.std(axis=0))

    check("02.3-return-stats", plain_stats)
    out = capsys.readouterr().out
    assert "✘" in out and "masked array" in out, out


def test_02_a_forbidden_library_call_is_named_with_the_rule(capsys):
    def library_fill(t, y):
        good = ~np.ma.getmaskarray(y)
        return np.interp(t, t[good], np.ma.getdata(y)[good])

    check("02.4-fill-linear", library_fill)
    out = capsys.readouterr().out
    assert "✘" in out and "numpy.interp is not allowed" in out and "interpolate from the neighbours" in out, out


def test_03_swapped_pair_and_01_missing_sqrt_are_named(capsys):
    check("03.1-fit-line", lambda x, y: tuple(np.polyfit(x, y, 1))[::-1])
    assert "slope and intercept are swapped" in capsys.readouterr().out
    check("01.4-relative-error", lambda A, B: ((A - B) ** 2).sum(axis=(-2, -1)) / (A ** 2).sum(axis=(-2, -1)))
    assert "these are the squared errors" in capsys.readouterr().out


def test_04_recorded_mistakes_are_plain_values_for_every_public_case():
    """What the hand-out gets for the σ′ diagnoses: per public case, its inputs and each mistake's gradients,
    arrays only (the build recorded them; no code is needed to read them)."""
    from helpers import exercises, serialize
    from helpers.checks import checkdata_path

    recorded = serialize.load(checkdata_path("04"))["mistakes"]["04.7-backward"]
    cases = exercises.get("04.7-backward").make_cases(exercises.PUBLIC_SEED)
    assert len(recorded) == len(cases)
    for entry, (params, activations, Y) in zip(recorded, cases):
        assert np.array_equal(entry["X"], activations[0]) and np.array_equal(entry["Y"], Y)
        assert "no σ′" in entry["mistakes"]
        for grads in entry["mistakes"].values():
            assert len(grads) == len(params)
            assert all(isinstance(a, np.ndarray) for pair in grads for a in pair)
    assert "σ′ of own layer" in recorded[0]["mistakes"]  # square layers: the index mistakes can run


def test_01_diagnoses_name_the_step_that_went_wrong(capsys):
    """Each diagnosis of 01.1, 01.3 and 01.7 is printed for the mistake it names (its values confirm it)."""
    ns = notebook_code("01_arrays_and_axes.ipynb")
    weights, gamma = ns.LUMINANCE, ns.GAMMA

    def column_row(img):
        return ns.brightest_pixels(img)[:, ::-1]

    mistakes = [("01.1-brightest-pixel", column_row, "each pair is (column, row)"),
                ("01.3-to-grey", lambda img: img @ weights, "a weighted sum of the stored values themselves"),
                ("01.3-to-grey", lambda img: (img ** gamma) @ weights, "the expected grey to the power 2.20"),
                ("01.7-margins", lambda s, y: s[np.arange(len(y)), y] - s.max(axis=1), "took part in the maximum")]
    for ex_id, answer, diagnosis in mistakes:
        check(ex_id, answer)
        out = capsys.readouterr().out
        assert "✘" in out and diagnosis in out, out

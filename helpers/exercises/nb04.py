"""Exercises of notebook 04 — a sigmoid network on MNIST (inputs only; expected values come from the solution).

The backward exercise is checked on states a real forward pass produces: each case holds
parameters, the activations a forward pass (with formulas of its own, see
:func:`~helpers.exercises.nb04_diagnose.forward_pass`) gives for a batch, and its one-hot labels —
the arguments the learner's ``backward`` receives, shown under its own parameter names. Diagnoses of typical backprop mistakes live in
:mod:`helpers.exercises.nb04_diagnose`.
"""
from __future__ import annotations

from itertools import pairwise

import numpy as np

from ..constraints import Forbid
from ..questions import Question, Written
from . import Exercise
from .nb04_diagnose import (accuracy_diagnose, backward_diagnose, cross_entropy_diagnose, dense_diagnose,
                            forward_pass, gradient_diagnose, momentum_diagnose, sigmoid_diagnose,
                            sigmoid_prime_diagnose, softmax_diagnose)


def _z(rng):
    return [(rng.normal(0, 3, size=(4, 5)),), (np.array([-1000.0, -750.0, -30.0, 0.0, 30.0, 750.0, 1000.0]),),
            (rng.normal(0, 50, size=(2, 3, 2)),), (rng.normal(size=(1, 7)),), (np.array(-800.0),)]


def _dense(rng):
    return [(rng.normal(size=(m, n_in)), rng.normal(size=(n_out, n_in)), rng.normal(size=n_out))
            for m, n_in, n_out in [(5, 4, 3), (1, 6, 2), (3, 3, 3), (8, 3, 7)]]


def _scores(rng):
    return [(rng.normal(0, 2, size=(4, 10)),),
            (np.array([[1000.0, 0.0, -1000.0], [5.0, 5.0, 5.0], [-1000.0, -1001.0, -1003.0]]),),
            (rng.normal(size=(1, 5)),), (rng.normal(0, 3, size=(3, 3)),), (rng.normal(0, 30, size=(6, 3)),)]


def _probabilities(rng, m, k):
    """m rows of k probabilities each (a Dirichlet draw: positive, every row summing to 1)."""
    return rng.dirichlet(np.full(k, 0.5), size=m)


def _loss_cases(rng):
    cases = [(_probabilities(rng, m, k), rng.integers(0, k, size=m)) for m, k in [(6, 10), (1, 3), (20, 4)]]
    P = np.array([[0.0, 1.0, 0.0], [0.25, 0.75, 0.0], [5e-13, 0.5, 0.5], [0.0, 0.0, 1.0]])
    cases.insert(1, (P, np.array([0, 1, 0, 2], dtype=np.uint8)))  # true labels with probability 0 and 5e-13
    return cases


def _accuracy_cases(rng):
    """Labels as integers and as one-hot rows (float and integer), square batches among them (m = k), ties."""
    cases = [(_probabilities(rng, m, k), rng.integers(0, k, size=m).astype(np.uint8)) for m, k in [(50, 10), (7, 3)]]
    ties = np.array([[0.4, 0.4, 0.2], [0.2, 0.4, 0.4], [0.1, 0.1, 0.8], [0.5, 0.25, 0.25]])
    cases += [(ties, np.array([1, 2, 2, 0])), (_probabilities(rng, 1, 2), np.array([1]))]
    for m, k, dtype in [(6, 4, np.float32), (5, 3, np.int64), (4, 4, np.float64), (2, 5, np.uint8)]:
        cases.append((_probabilities(rng, m, k), np.eye(k, dtype=dtype)[rng.integers(0, k, size=m)]))
    return cases + [(ties, np.eye(3)[[1, 2, 2, 0]])]


def _network(rng, sizes, m):
    """``(params, activations, Y)``: a network, the activations a real forward pass gives for a random batch
    (computed here, see :func:`forward_pass`), and one-hot labels — exactly what backward receives."""
    params = [(rng.normal(0, 1, size=(n_out, n_in)) / np.sqrt(n_in), rng.normal(0, 0.5, size=n_out))
              for n_in, n_out in pairwise(sizes)]
    Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], size=m)]  # row i is the unit vector of a random class
    return params, forward_pass(params, rng.uniform(size=(m, sizes[0]))), Y


def _backward_cases(rng):
    # square layers first (so that index mistakes compute instead of failing on shapes), then
    # non-square ones, a batch of one and a deeper network
    return [_network(rng, sizes, m) for sizes, m in
            [([4, 4, 4, 4], 3), ([6, 5, 4, 3], 5), ([7, 3, 2], 1), ([3, 6, 5, 4, 2], 4)]]


def _wavy(v):
    return float(np.sum(np.sin(v) * v ** 2) + np.sum(v) ** 2)


def _call_numerical_gradient(fn, w):
    shape = w.shape

    def f(v):
        if np.shape(v) != shape:
            raise ValueError(f"f was called with an array of shape {np.shape(v)}; call it with an array "
                             f"of w's shape {shape}")
        return _wavy(np.asarray(v, dtype=float))

    return fn(f, w)


def _points(rng):
    return [(rng.normal(size=5),), (rng.normal(size=(3, 2)),), (rng.normal(size=(2, 2, 2)),), (rng.normal(size=1),)]


def _momentum(rng):
    return [(rng.normal(size=s), rng.normal(size=s), rng.normal(size=s), lr, mu)
            for s, lr, mu in [((3, 4), 0.1, 0.9), ((5,), 0.5, 0.0), ((2, 2), 0.01, 0.99), ((1,), 2.0, 0.5)]]


# Points (docs/points.md): 1 for one idea; 2 where a rule must be handled too (04.4 stability, 04.5 clipping,
# 04.8 perturb-and-restore for every entry); 3 for 04.7, the backward pass through every layer.
EXERCISES = [
    Exercise("04.1-sigmoid", "sigmoid", _z, no_warnings=True, diagnose=sigmoid_diagnose, hints=(
        "The textbook formula asks for e to the power −z; for a very negative z that number does not fit in a "
        "float. Look for an equivalent way to write σ in which no exponential can grow huge.",
        "Two routes: (a) for z < 0, multiply the top and bottom of the fraction by e^z — then only powers of e "
        "of non-positive numbers appear; handle the two signs separately, and remember that a function "
        "choosing between two formulas still computes both of them on every element; (b) σ is a shifted and "
        "scaled version of a hyperbolic function that is bounded by ±1.",
        "Re-read section 2 and its demo of the warning; then try your function on the demo's z before "
        "running the check.")),
    Exercise("04.2-sigmoid-prime", "sigmoid_prime", _z, no_warnings=True, diagnose=sigmoid_prime_diagnose, hints=(
        "The derivative is built from the sigmoid's own value at z, so the stable function of Exercise 04.1 "
        "can do the hard part.",
        "Evaluate σ once at z and combine that value with itself as in the formula of section 2; the input z "
        "itself does not appear in the formula.",
        "Compare with the plot below the exercise: the slope is 1/4 at z = 0 and nearly 0 at both ends.")),
    Exercise("04.3-dense-forward", "dense_forward", _dense, diagnose=dense_diagnose,
             forbid=Forbid((), "Exercise 04.3 asks for one expression for the whole batch", loops=True), hints=(
        "Row i of the result is the layer's output for sample i: W times that sample's input (as a column), "
        "plus b — written for all rows at once, with one matrix product and no loop.",
        "Write down the shapes: A is (m, in), W is (out, in) and the result must be (m, out). Which "
        "arrangement of A and W makes the inner sizes agree? Broadcasting then adds a (out,) vector to "
        "every row.",
        "Re-read section 3 (the per-sample formula and the table of shapes) and notebook 01's section on "
        "matrix products and broadcasting.")),
    Exercise("04.4-softmax", "softmax", _scores, no_warnings=True, diagnose=softmax_diagnose, points=2, hints=(
        "Each row is one sample: exponentiate its scores and divide by that row's total. Before "
        "exponentiating, shift each row by a constant so that nothing can overflow — the shift cancels out.",
        "The shift must be per row (a global shift lets a row far below the others underflow to 0/0); "
        "reduce over the class axis and keep the reduced axis so the result broadcasts back over the row.",
        "Re-read the softmax paragraph of section 3 and notebook 01's part on keepdims. Z itself must "
        "not change: build new arrays.")),
    Exercise("04.5-cross-entropy", "cross_entropy", _loss_cases, no_warnings=True, diagnose=cross_entropy_diagnose,
             points=2, hints=(
        "Only one probability per row matters: the one the network gave the true label. Take −log of each "
        "of those (after raising anything below 10⁻¹² to 10⁻¹²) and average over the batch.",
        "Picking one entry per row is integer-array indexing with one index array for the rows and one for "
        "the columns, both of length m. If you use one-hot labels instead, clip before the logarithm: "
        "0 · log 0 is nan, not 0.",
        "Re-read the cross-entropy paragraph of section 3, and notebook 01's section 7, 'Picking entries: "
        "index arrays and boolean masks': two index arrays pair up entry by entry, one entry per row.")),
    Exercise("04.6-accuracy", "accuracy", _accuracy_cases, diagnose=accuracy_diagnose, hints=(
        "The predicted class of a row is the position of its largest entry; count the rows where it "
        "equals the true class and divide by the number of rows. One-hot rows hide the true class the "
        "same way P hides the predicted one: as the position of a row's largest entry.",
        "Bring both forms of y to one form first — one true class per row, shape (m,) — deciding by the "
        "number of axes y has (its dtype says nothing: one-hot rows can be integers). Then reduce P over "
        "the class axis, compare elementwise and average the booleans; on ties the first largest entry "
        "counts.",
        "Notebook 01's section 2 ('What axis means') shows the building blocks; try one_hot (imported in "
        "the first cell) on a few labels to see the one-hot form.")),
    Exercise("04.7-backward", "backward", _backward_cases, diagnose=backward_diagnose,
             item_names=(("layer {}",), ("dW", "db")), points=3.0, hints=(
        "Start at the output with the error δ of the last layer (derived in section 4), then walk the layers "
        "from last to first: each layer's δ gives its two gradients, and — except at the first layer — the "
        "δ of the layer before it.",
        "Let shapes guide you: δ of a layer is (m, out) like its Z; the weight gradient has W's shape "
        "(out, in), so δ and the layer's input A_prev (m, in) meet in a product that sums over the m "
        "samples; the bias gradient is (out,). Passing δ back gives (m, in) and is then multiplied, "
        "element by element, by σ′ of the layer whose output A_prev is.",
        "Re-read section 4 line by line and follow the worked chain of shapes δ₃ → ∂W₃ → δ₂ → ∂W₂ → δ₁ → ∂W₁; "
        "the loss is a mean over the batch, so the 1/m appears exactly once.")),
    Exercise("04.8-numerical-gradient", "numerical_gradient", _points, call=_call_numerical_gradient,
             diagnose=gradient_diagnose, points=2, hints=(
        "For every entry of w separately: evaluate f a little above and a little below, and divide the "
        "difference of the two values by the distance between the two points.",
        "Visit every index of an array of any shape (not just the first axis), nudge only that one entry, "
        "and call f with an array of w's full shape. Save the original value before nudging and write it "
        "back afterwards: adding and subtracting ε does not always give back the same float.",
        "Re-read section 5's formula: the distance between the two points is 2ε.")),
    Exercise("04.9-momentum-step", "sgd_momentum_step", _momentum, diagnose=momentum_diagnose, hints=(
        "First update the velocity from its old value and the gradient, then move w by the new velocity — "
        "the two rules of section 6, in that order.",
        "Return the pair in the order (new w, new velocity). Augmented assignments on the arguments change "
        "the caller's arrays: build the results as new arrays.",
        "Re-read the momentum paragraph of section 6; with momentum 0 the step is plain gradient descent.")),
]

#: Concept questions, checked at once by ``ask`` (their explanations: helpers/instructor/authoring/explanations/).
QUESTIONS = [
    Question("04.q1-test-set", "test_set_answer", choices=("a", "b", "c", "d"),
             hint="Re-read 'Three sets, three jobs': what happens to a set once choices are made by looking at it?"),
    Question("04.q2-cross-entropy-value", "cross_entropy_answer", decimals=2,
             hint="Re-read the cross-entropy paragraph: the loss of one image is −log of one probability."),
    Question("04.q3-slow-learning", "slow_learning_answer", choices=("a", "b", "c", "d"),
             hint="Write the quadratic cost's gradient as a product of two factors and look at the size of each."),
]

#: Written answers, marked by the instructor.
WRITTEN = [Written("04.w1-over-fitting", points=2)]

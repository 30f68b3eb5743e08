"""Exercises of notebook 03 — linear regression (inputs only; expected values come from the solution).

Every check also compares what kind of value came back (see :func:`helpers.exercises.nb01.typed`).
"""
from __future__ import annotations

import numpy as np

from ..constraints import Forbid
from ..questions import Question, Written
from . import Exercise, raised_name
from .nb01 import kind_of, typed


def _lines(rng):
    cases = [(np.array([0.0, 1.0, 2.0]), np.array([1.0, 3.0, 5.0]))]  # the statement's example
    for n, a, b in [(20, 2.0, 1.0), (8, -0.5, 3.0), (50, 10.0, -4.0)]:
        x = rng.uniform(-5, 15, n)
        cases.append((x, a * x + b + rng.normal(0, 1, n)))
    years = np.arange(1990, 2000)  # whole numbers far from 0
    cases.append((years, 0.3 * (years - 1990) + 5 + rng.normal(0, 0.1, 10)))
    cases.append((rng.uniform(0, 1, 2), rng.uniform(0, 1, 2)))  # two points: the line through them
    cases.append((rng.uniform(0, 5, 6), np.full(6, 2.5)))  # a flat line: slope 0
    return cases


def _predictions(rng):
    y = rng.normal(5, 2, 30)
    return [(y, y + rng.normal(0, 0.5, 30)), (y, np.full(30, y.mean())), (y, -y), (y[:5], y[:5] * 1.1),
            (y[:7], y[:7].copy())]  # perfect predictions: R² = 1


def _features(rng):
    return [(np.array([5.0, 7.0]),), (rng.normal(size=6),), (rng.normal(size=(4, 3)),), (rng.normal(size=(1, 2)),),
            (rng.integers(0, 9, size=(3, 2)),), (rng.normal(size=(5, 1)),), (rng.normal(size=1),)]


def _systems(rng):
    cases = [(np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]]), np.array([1.0, 3.0, 5.0])),  # the statement's
             (np.array([[1, 0], [1, 1], [1, 2]]), np.array([1, 3, 5])),  # ... as written there: integers
             (np.array([[1, 0], [1, 1], [1, 3]]), np.array([1, 2, 2]))]  # integers, w not whole: no truncation
    for n, p in [(20, 3), (10, 5), (5, 2), (4, 4), (6, 1)]:
        X = rng.normal(size=(n, p))
        X[:, 0] = 1.0 if p > 1 else X[:, 0]
        cases.append((X, X @ rng.normal(size=p) + 0.1 * rng.normal(size=n)))
    return cases


def _regressions(rng):
    cases = []
    for n, d in [(30, 1), (25, 3), (12, 2), (3, 2), (2, 1)]:  # n = d + 1: exactly determined
        X = rng.normal(size=(n, d))
        y = X @ rng.normal(size=d) + rng.normal() + 0.3 * rng.normal(size=n)
        X_new = rng.normal(size=(4, d) if n > 5 else (1, d))  # also a batch of one row
        cases.append((X[:, 0] if d == 1 else X, y, X_new[:, 0] if d == 1 else X_new))
    return cases


def _gradients(rng):
    cases = [(np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]]), np.array([1.0, 3.0, 5.0]), np.zeros(2))]  # the statement's
    for n, p in [(20, 3), (6, 1), (4, 4), (1, 3), (50, 2)]:  # (4, 4): square, so a wrong transpose still runs
        cases.append((rng.normal(size=(n, p)), 3 * rng.normal(size=n), rng.normal(size=p)))
    X, y = rng.normal(size=(10, 3)), rng.normal(size=10)
    cases.append((X, y, np.linalg.pinv(X) @ y))  # at the least-squares weights: a zero gradient
    return cases


def _descents(rng):
    X, y = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]]), np.array([1.0, 3.0, 5.0])
    cases = [(X, y, 0.1, 1), (X, y, 0.1, 0)]  # the statement's example; no step at all
    for n, p, rate, steps in [(30, 3, 0.05, 40), (8, 2, 0.1, 25), (5, 5, 0.02, 12), (40, 1, 0.3, 15)]:
        X = rng.normal(size=(n, p))
        cases.append((X, X @ rng.normal(size=p) + 0.1 * rng.normal(size=n), rate, steps))
    X = rng.normal(size=(10, 2))  # a rate far too large: every step is still taken, the costs grow
    cases.append((X, X @ rng.normal(size=2), 1.5, 8))
    return cases


def _descend(fn, X, y, learning_rate, steps):
    out = fn(X, y, learning_rate, steps)
    pair = isinstance(out, (tuple, list)) and len(out) == 2
    w, costs = out if pair else ("(not a pair)", "(not a pair)")
    return {"returned": "a pair" if pair else kind_of(out), "w": w, "w is a": kind_of(w),
            "costs": costs, "costs is a": kind_of(costs)}


def _factor(expected: dict, got: dict, args: tuple) -> str | None:
    """Names a gradient off by a constant factor, only when one factor holds for every entry and no other
    slip (dividing by the number of weights p instead of the number of samples n) gives the same values."""
    try:
        exp, val = np.asarray(expected["value"], dtype=float), np.asarray(got["value"], dtype=float)
        n, p = np.shape(args[0])
        if exp.shape != val.shape or not np.all(np.abs(exp) > 1e-6):
            return None
        causes = {-1.0: "the gradient points downhill: it must point the way the cost grows",
                  0.5: "half the gradient: the derivative of a square brings a factor 2",
                  float(n): "the gradient of a sum over samples, not of their mean: the cost is a mean",
                  n / 2: "the cost is a mean of squares: both its 1/n and the 2 from the square are missing"}
        for factor, cause in causes.items():  # not when dividing by p instead of n would give the same values
            if n != 1 and not np.isclose(factor, n / p) and np.allclose(val, factor * exp, rtol=1e-6, atol=0):
                return cause
    except (TypeError, KeyError, ValueError, IndexError):
        pass
    return None


def _history(expected: dict, got: dict, args: tuple) -> str | None:
    """Names a cost history shifted by one step or scaled by the number of samples, when its values show it."""
    try:
        exp, val = np.asarray(expected["costs"], dtype=float), np.asarray(got["costs"], dtype=float)
        if val.shape == (len(exp) - 1,) and len(val) and np.allclose(val, exp[1:], rtol=1e-6):
            return "costs starts after the first step: it must start with the cost of the starting weights"
        if val.shape == (len(exp) - 1,) and len(val) and np.allclose(val, exp[:-1], rtol=1e-6):
            return "the cost after the last step is missing"
        if val.shape == exp.shape and len(args[1]) > 1 and np.allclose(val, len(args[1]) * exp, rtol=1e-6):
            return "costs holds sums of squared residuals; the cost is their mean"
    except (TypeError, KeyError, ValueError, IndexError):
        pass
    return None


def _attribute(model, name):
    return getattr(model, name, "(no attribute)")


def _fit_predict(cls, X, y, X_new):
    model = cls()
    returned = model.fit(X, y)
    coef, intercept, predicted = _attribute(model, "coef_"), _attribute(model, "intercept_"), model.predict(X_new)
    return {"fit returns self": returned is model, "coef_": coef, "coef_ is a": kind_of(coef),
            "intercept_": intercept, "intercept_ is a": kind_of(intercept),
            "predict": predicted, "predict returns a": kind_of(predicted),
            "error for X and y of different lengths": raised_name(lambda: cls().fit(X, y[:-1]), ValueError),
            "error for too few samples": raised_name(lambda: cls().fit(X[:X.shape[-1] if X.ndim > 1 else 1],
                                                                       y[:X.shape[-1] if X.ndim > 1 else 1]),
                                                     ValueError)}


def _score(cls, X, y, X_new):
    model = cls().fit(X, y)
    other = model.score(X_new, X_new.sum(-1) if X_new.ndim > 1 else X_new) if len(X_new) > 1 else 0.0
    train = model.score(X, y)
    return {"score on training data": train, "score is a": kind_of(train), "score on other data": other}


def _swapped(expected: dict, got: dict, args: tuple) -> str | None:
    try:
        if np.allclose(got["value"][::-1], expected["value"], rtol=1e-6):
            return "slope and intercept are swapped: return (slope, intercept)"
    except (TypeError, KeyError, ValueError):
        pass
    return None


def _scaled(expected: dict, got: dict, args: tuple) -> str | None:
    try:
        exp, val = float(expected["value"]), float(got["value"])
        if np.isclose(1 - val, (1 - exp) * len(args[0]), rtol=1e-6) or np.isclose(1 - val, (1 - exp) / len(args[0])):
            return "the two sums are scaled differently: both must be sums (or both means) over the same points"
        if np.isclose(val, 1 - exp, rtol=1e-6):
            return "this is the ratio of the sums; R² is one minus that ratio"
    except (TypeError, KeyError, ValueError, IndexError):
        pass
    return None


#: The statements fix the dtypes of results; gcore's ``check_dtype`` compares them exactly
#: (``typed`` above already names a wrong dtype in the statement's words).
_DTYPE = {"check_dtype": True} if "check_dtype" in getattr(Exercise, "__dataclass_fields__", {}) else {}

# Points (docs/points.md): 1 for one idea (03.1-03.3, 03.6, 03.7); 2 for 03.5 (fit also validates its inputs);
# 3 for the algorithms with dependent steps: 03.4 (elimination, back substitution) and 03.8 (descent to convergence).
EXERCISES = [
    Exercise("03.1-fit-line", "fit_line", _lines, call=typed(pair=True), diagnose=_swapped,
             item_names=("slope", "intercept"),
             **_DTYPE, hints=("The slope is how x and y vary together divided by how x varies alone, both measured "
                    "around their means; the line then passes through the point of means.",
                    "Both sums run over all n points and give one number each: no axis bookkeeping, just "
                    "two reductions. Return two plain floats, slope first.",
                    "Re-read the derivation in section 2: the two formulas at the end are the whole recipe.")),
    Exercise("03.2-r-squared", "r_squared", _predictions, call=typed(), diagnose=_scaled,
             **_DTYPE, hints=("Compare the squared errors of your predictions with the squared errors of the laziest "
                    "model, the one that always predicts the mean of the targets.",
                    "Both sums run over the same points; the ratio is 0 for perfect predictions, so R² is "
                    "one minus it. The mean in the second sum is the mean of the targets y, not of the "
                    "predictions.",
                    "Re-read the formula and the three bullet points at the start of section 3.")),
    Exercise("03.3-design-matrix", "add_bias_column", _features, call=typed(),
             **_DTYPE, hints=("The design matrix is the inputs with one extra column in front that is 1 in every row, "
                    "so that the intercept becomes one more weight.",
                    "A 1-D input of n values is n samples of one feature: make it an (n, 1) column before "
                    "joining. The result must be float64 even for integer input, and X must not change.",
                    "Re-read 'The bias-column trick' and notebook 01's section on reshape and stack.")),
    Exercise("03.4-normal-equations", "solve_normal_equations", _systems, call=typed(),
             forbid=Forbid(("numpy.linalg.solve", "numpy.linalg.inv", "numpy.linalg.lstsq", "numpy.linalg.pinv",
                            "numpy.linalg.tensorsolve", "numpy.linalg.tensorinv", "scipy"),
                           "Exercise 03.4 asks you to solve the normal equations by elimination yourself"),
             **_DTYPE, points=3, hints=("First build the small square system: the matrix XᵀX and the right-hand side Xᵀy. Then "
                    "eliminate: use each pivot row to zero the entries below its diagonal, doing the same to "
                    "the right-hand side, and finally solve from the last unknown upwards.",
                    "For X of shape (n, p): XᵀX is (p, p), Xᵀy is (p,), w is (p,). Row operations change the "
                    "right-hand side too; back substitution divides by each diagonal entry once. Work on "
                    "float copies so X and y stay unchanged.",
                    "Re-read the worked 2 × 2 example under 'The normal equations': the code does the same "
                    "steps for p × p.")),
    Exercise("03.5-linreg-fit-predict", "LinearRegression", _regressions, methods=('fit', 'predict'), call=_fit_predict,
             **_DTYPE, points=2, hints=("fit builds the design matrix, finds the least-squares weights, splits them into the "
                    "intercept (the bias column's weight) and coef_ (the rest), and returns the model itself; "
                    "predict applies the stored weights to new inputs.",
                    "coef_ has one entry per feature, shape (d,), also for a 1-D X; intercept_ is one float. "
                    "Check the inputs before solving: rows of X against the length of y, and at least d + 1 "
                    "samples — raise ValueError (or a subclass) with a message saying what is wrong.",
                    "Re-read section 6's bullet list, and section 5 on which solver to use.")),
    Exercise("03.6-linreg-score", "LinearRegression", _regressions, methods=('score',), call=_score,
             **_DTYPE, hints=("score compares the model's own predictions for X with the true y: that is what R² does.",
                    "Reuse what you already wrote — predict and your R² function — rather than computing the "
                    "sums again; score returns one float.",
                    "Re-read section 3 on R² and section 6's bullet on score.")),
    Exercise("03.7-lsq-gradient", "lsq_gradient", _gradients, call=typed(), diagnose=_factor,
             forbid=Forbid((), "Exercise 03.7 asks for the gradient with array operations on all samples at once, "
                               "no Python loops", loops=True),
             **_DTYPE, hints=("Start from the residuals — prediction minus target, one per sample. Each entry of the "
                    "gradient is a weighted sum of the residuals, weighted by one column of X: all of them "
                    "together are one matrix product.",
                    "Shapes: X is (n, p) and the residuals are (n,); the gradient must be (p,), so the product "
                    "must sum over the n samples. Then scale by what the cost's mean and its square bring.",
                    "Re-read section 8, 'Gradient descent: the same answer, one step at a time': its paragraph on "
                    "the gradient derives each entry as a sum over the samples, then writes all of them at once.")),
    Exercise("03.8-gradient-descent", "gradient_descent", _descents, call=_descend, diagnose=_history, points=3,
             **_DTYPE, hints=("Start at zero weights; then repeat exactly `steps` times: move the weights a step "
                    "against the gradient, scaled by the learning rate. Record the cost before the first step "
                    "and after every step.",
                    "With `steps` steps there are steps + 1 costs. Every step uses the gradient at the current "
                    "weights, all entries updated together from the same old weights. Keep going even when "
                    "the cost grows: a diverging run is part of the lesson.",
                    "Re-read section 8, 'Gradient descent: the same answer, one step at a time' (its paragraph on "
                    "one step downhill), and work the example under Exercise 03.8 by hand.")),
]

#: Concept questions, checked at once by ``ask`` (their explanations: helpers/instructor/authoring/explanations/).
QUESTIONS = [
    Question("03.q1-negative-r2", "r2_answer", decimals=2,
             hint="Compute both sums of squares of the R² formula: the model's residuals, and those of the mean."),
    Question("03.q2-residual-pattern", "residual_answer", choices=("a", "b", "c", "d"),
             hint="Compare with the residuals of section 2: what would independent noise look like?"),
    Question("03.q3-overshoot", "overshoot_answer", choices=("a", "b", "c", "d"),
             hint="Each step multiplies the distance along the steepest direction by the factor: what does a "
                  "number between −1 and 0 do to a distance, step after step?"),
]

#: Written answers, marked by the instructor.
WRITTEN = [Written("03.w1-two-residual-plots", points=2)]

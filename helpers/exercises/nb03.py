"""Exercises of notebook 03 — linear regression (inputs only; expected values come from the solution)."""
import numpy as np

from . import Exercise, raised_name


def _lines(rng):
    cases = []
    for n, a, b in [(20, 2.0, 1.0), (8, -0.5, 3.0), (50, 10.0, -4.0)]:
        x = rng.uniform(-5, 15, n)
        cases.append((x, a * x + b + rng.normal(0, 1, n)))
    return cases


def _predictions(rng):
    y = rng.normal(5, 2, 30)
    return [(y, y + rng.normal(0, 0.5, 30)), (y, np.full(30, y.mean())), (y, -y), (y[:5], y[:5] * 1.1)]


def _features(rng):
    return [(rng.normal(size=6),), (rng.normal(size=(4, 3)),), (rng.normal(size=(1, 2)),)]


def _systems(rng):
    cases = []
    for n, d in [(20, 2), (10, 4), (5, 1)]:
        X = np.column_stack([np.ones(n), rng.normal(size=(n, d))])
        cases.append((X, X @ rng.normal(size=d + 1) + 0.1 * rng.normal(size=n)))
    return cases


def _regressions(rng):
    cases = []
    for n, d in [(30, 1), (25, 3), (12, 2)]:
        X = rng.normal(size=(n, d))
        y = X @ rng.normal(size=d) + rng.normal() + 0.3 * rng.normal(size=n)
        cases.append((X[:, 0] if d == 1 else X, y, rng.normal(size=(4,) if d == 1 else (4, d))))
    return cases


def _fit_predict(cls, X, y, X_new):
    model = cls()
    returned = model.fit(X, y)
    return {"fit returns self": returned is model, "coef_": np.asarray(model.coef_),
            "intercept_": float(model.intercept_), "predict": model.predict(X_new),
            "error for X and y of different lengths": raised_name(lambda: cls().fit(X, y[:-1])),
            "error for too few samples": raised_name(lambda: cls().fit(X[:1], y[:1]))}


def _score(cls, X, y, X_new):
    model = cls().fit(X, y)
    return {"score on training data": model.score(X, y), "score on other data": model.score(X_new, X_new.sum(-1)
                                                                                          if X_new.ndim > 1 else X_new)}


EXERCISES = [
    Exercise("03.1-fit-line", "fit_line", _lines,
             hints=("slope = sum((x - x̄)(y - ȳ)) / sum((x - x̄)²), intercept = ȳ - slope·x̄; return two floats.",)),
    Exercise("03.2-r-squared", "r_squared", _predictions,
             hints=("1 - sum of squared residuals / sum of squared deviations of y from its mean.",)),
    Exercise("03.3-design-matrix", "add_bias_column", _features,
             hints=("Turn a 1-D X into a column first (X[:, None]); then np.column_stack([np.ones(n), X]).",)),
    Exercise("03.4-normal-equations", "solve_normal_equations", _systems,
             hints=("np.linalg.solve(X.T @ X, X.T @ y).",)),
    Exercise("03.5-linreg-fit-predict", "LinearRegression", _regressions, call=_fit_predict,
             hints=("fit: design matrix, np.linalg.lstsq, store intercept_ (float) and coef_ (the rest), "
                  "return self; raise ValueError for mismatched lengths and for fewer than d + 1 samples.",)),
    Exercise("03.6-linreg-score", "LinearRegression", _regressions, call=_score,
             hints=("score(X, y) = r_squared(y, self.predict(X)); fit and predict must work first.",)),
]

"""Plausible answers to notebook 03's exercises (see tests/variants/__init__.py)."""
_CLASS_FIT_OK = """
class LinearRegression(LinearRegression):
    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        if X.ndim == 1:
            X = X.reshape(-1, 1)
        if len(X) != len(y):
            raise ValueError("X and y have different numbers of rows")
        if len(X) < X.shape[1] + 1:
            raise ValueError("not enough samples")
        D = np.c_[np.ones(len(X)), X]
        w = np.linalg.pinv(D) @ y
        self.intercept_ = w[0].item()
        self.coef_ = w[1:]
        return self
"""

_DESCENT = """
def gradient_descent(X, y, learning_rate, steps):
    w = np.zeros(X.shape[1])
    costs = [np.mean((X @ w - y) ** 2)]
    for _ in range(steps):
        w = w - learning_rate * lsq_gradient(X, y, w)
        costs.append(np.mean((X @ w - y) ** 2))
    return w, np.array(costs)
"""  # the solution's shape; each wrong variant of 03.8 changes one thing in it

VARIANTS = {
    "03.1-fit-line": {
        "correct": ["""
def fit_line(x, y):
    n = len(x)
    a = (n * np.sum(x * y) - x.sum() * y.sum()) / (n * np.sum(x * x) - x.sum() ** 2)
    return float(a), float(y.mean() - a * x.mean())
""", """
def fit_line(x, y):
    a = np.cov(x, y, ddof=0)[0, 1] / np.var(x)
    b = np.mean(y) - a * np.mean(x)
    return (a, b)
""", """
def fit_line(x, y):
    a, b = np.polyfit(x, y, 1)
    return float(a), float(b)
"""],
        "wrong": [("""
def fit_line(x, y):
    a = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2)
    return float(y.mean() - a * x.mean()), float(a)
""", "intercept and slope swapped"), ("""
def fit_line(x, y):
    a = np.sum(x * y) / np.sum(x * x)
    return float(a), float(y.mean() - a * x.mean())
""", "uncentred sums without the correction"), ("""
def fit_line(x, y):
    a = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((y - y.mean()) ** 2)
    return float(a), float(y.mean() - a * x.mean())
""", "divided by the variance of y"), ("""
def fit_line(x, y):
    return np.polyfit(x, y, 1)
""", "returned an array instead of a tuple"), ("""
def fit_line(x, y):
    a = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2)
    return float(a), float(y.mean() + a * x.mean())
""", "sign error in the intercept")],
    },
    "03.2-r-squared": {
        "correct": ["""
def r_squared(y, y_pred):
    return 1.0 - np.mean((y - y_pred) ** 2) / np.var(y)
""", """
def r_squared(y, y_pred):
    res = y - y_pred
    dev = y - y.mean()
    return float(1 - res @ res / (dev @ dev))
"""],
        "wrong": [("""
def r_squared(y, y_pred):
    return float(np.corrcoef(y, y_pred)[0, 1] ** 2)
""", "squared correlation (never negative)"), ("""
def r_squared(y, y_pred):
    return float(1 - np.sum((y - y_pred) ** 2) / np.sum((y_pred - y_pred.mean()) ** 2))
""", "mean and deviations of the predictions"), ("""
def r_squared(y, y_pred):
    return float(np.sum((y - y_pred) ** 2) / np.sum((y - y.mean()) ** 2))
""", "forgot the 1 -"), ("""
def r_squared(y, y_pred):
    return float(1 - np.mean((y - y_pred) ** 2) / np.sum((y - y.mean()) ** 2))
""", "mean over sum: scaled by 1/n"), ("""
def r_squared(y, y_pred):
    return float(1 - np.sum(np.abs(y - y_pred)) / np.sum(np.abs(y - y.mean())))
""", "absolute instead of squared")],
    },
    "03.3-design-matrix": {
        "correct": ["""
def add_bias_column(X):
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    return np.column_stack([np.ones(len(X)), X])
""", """
def add_bias_column(X):
    X = np.atleast_2d(np.asarray(X, dtype=float).T).T
    out = np.ones((X.shape[0], X.shape[1] + 1))
    out[:, 1:] = X
    return out
"""],
        "wrong": [("""
def add_bias_column(X):
    if X.ndim == 1:
        X = X[:, None]
    return np.hstack([X, np.ones((len(X), 1))])
""", "ones at the end"), ("""
def add_bias_column(X):
    return np.hstack([np.ones((len(X), 1)), X])
""", "fails for 1-D X"), ("""
def add_bias_column(X):
    if X.ndim == 1:
        X = X[:, None]
    return np.insert(X, 0, 1, axis=1)
""", "keeps the integer dtype"), ("""
def add_bias_column(X):
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[None, :]
    return np.vstack([np.ones(X.shape[1]), X.T]).T if X.shape[0] > 1 else np.vstack([np.ones(X.shape[1]), X])
""", "a 1-D X taken as one row"), ("""
def add_bias_column(X):
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    return np.hstack([np.ones((len(X), 1)), X]).T
""", "transposed design matrix")],
    },
    "03.4-normal-equations": {
        "correct": ["""
def solve_normal_equations(X, y):
    A = (X.T @ X).astype(float)
    c = (X.T @ y).astype(float)
    n = len(c)
    for k in range(n):  # partial pivoting: the largest pivot first
        r = k + int(np.argmax(np.abs(A[k:, k])))
        A[[k, r]], c[[k, r]] = A[[r, k]], c[[r, k]]
        f = A[k + 1:, k] / A[k, k]
        A[k + 1:] -= f[:, None] * A[k]
        c[k + 1:] -= f * c[k]
    w = np.zeros(n)
    for k in range(n - 1, -1, -1):
        w[k] = (c[k] - A[k, k + 1:] @ w[k + 1:]) / A[k, k]
    return w
""", """
def solve_normal_equations(X, y):
    A = X.T @ X
    c = X.T @ y
    p = len(c)
    M = np.hstack([A, c[:, None]]).astype(float)
    for j in range(p):
        M[j] = M[j] / M[j, j]
        for i in range(p):
            if i != j:
                M[i] = M[i] - M[i, j] * M[j]
    return M[:, -1]
""", """
def solve_normal_equations(X, y):
    L = np.linalg.cholesky(X.T @ X)
    z = np.zeros(X.shape[1])
    c = X.T @ y
    for i in range(len(z)):
        z[i] = (c[i] - L[i, :i] @ z[:i]) / L[i, i]
    w = np.zeros_like(z)
    for i in reversed(range(len(z))):
        w[i] = (z[i] - L[i + 1:, i] @ w[i + 1:]) / L[i, i]
    return w
"""],
        "wrong": [("""
def solve_normal_equations(X, y):
    return np.linalg.solve(X.T @ X, X.T @ y)
""", "a library solver: the exercise's rule is to eliminate"), ("""
from numpy.linalg import inv as invert

def solve_normal_equations(X, y):
    return invert(X.T @ X) @ (X.T @ y)
""", "the inverse, under another name"), ("""
def _system(A, b):
    return getattr(np.linalg, "lst" + "sq")(A, b, rcond=None)[0]

def solve_normal_equations(X, y):
    return _system(X.T @ X, X.T @ y)
""", "a least-squares solver reached dynamically from a helper"), ("""
def solve_normal_equations(X, y):
    M = np.hstack([X.T @ X, (X.T @ y)[:, None]])
    p = M.shape[0]
    for j in range(p):
        M[j] = M[j] / M[j, j]
        for i in range(p):
            if i != j:
                M[i] = M[i] - M[i, j] * M[j]
    return M[:, -1].astype(float)
""", "eliminated in the integer dtype of the statement's example: every division truncated"), ("""
def solve_normal_equations(X, y):
    A = np.array(X.T @ X, dtype=float)
    c = np.array(X.T @ y, dtype=float)
    p = len(c)
    for j in range(p - 1):
        f = A[j + 1:, j] / A[j, j]
        A[j + 1:] -= f[:, None] * A[j]
    w = np.zeros(p)
    for i in reversed(range(p)):
        w[i] = (c[i] - A[i, i + 1:] @ w[i + 1:]) / A[i, i]
    return w
""", "eliminated in A but forgot the right-hand side"), ("""
def solve_normal_equations(X, y):
    A = np.array(X.T @ X, dtype=float)
    c = np.array(X.T @ y, dtype=float)
    p = len(c)
    for j in range(p - 1):
        f = A[j + 1:, j] / A[j, j]
        A[j + 1:] -= f[:, None] * A[j]
        c[j + 1:] -= f * c[j]
    w = np.zeros(p)
    for i in reversed(range(p)):
        w[i] = c[i] - A[i, i + 1:] @ w[i + 1:]
    return w
""", "back substitution without dividing by the pivot"), ("""
def solve_normal_equations(X, y):
    A = np.array(X.T @ X, dtype=float)
    c = np.array(X.T @ y, dtype=float)
    p = len(c)
    for j in range(p - 1):
        f = A[j + 1:, j] / A[j, j]
        A[j + 1:] -= f[:, None] * A[j]
        c[j + 1:] -= f * c[j]
    w = np.zeros(p)
    for i in range(p):
        w[i] = (c[i] - A[i, :i] @ w[:i]) / A[i, i]
    return w
""", "substituted from the top instead of from the bottom"), ("""
def solve_normal_equations(X, y):
    return np.linalg.solve(X @ X.T, X @ y)
""", "X times its transpose: an (n, n) system"), ("""
def solve_normal_equations(X, y):
    A = X.T @ X
    return (X.T @ y) / np.diag(A)
""", "divided by the diagonal only")],
    },
    "03.5-linreg-fit-predict": {
        "correct": [_CLASS_FIT_OK + """
    def predict(self, X):
        X = np.asarray(X, dtype=float).reshape(len(X), -1)
        return X @ self.coef_ + self.intercept_
""", """
class Invalid(ValueError):
    pass

class LinearRegression(LinearRegression):
    def fit(self, X, y):
        D = add_bias_column(X)
        if D.shape[0] != np.shape(y)[0]:
            raise Invalid(f"{D.shape[0]} rows in X but {np.shape(y)[0]} targets")
        if D.shape[0] < D.shape[1]:
            raise Invalid("too few samples for this many features")
        w = solve_normal_equations(D, y)
        self.coef_, self.intercept_ = w[1:], float(w[0])
        return self

    def predict(self, X):
        return add_bias_column(X) @ np.concatenate([[self.intercept_], self.coef_])
"""],
        "wrong": [(_CLASS_FIT_OK.replace("return self", "pass") + """
    def predict(self, X):
        return add_bias_column(X) @ np.r_[self.intercept_, self.coef_]
""", "fit does not return self"), (_CLASS_FIT_OK.replace("self.intercept_ = w[0].item()", "self.intercept_ = w[:1]") + """
    def predict(self, X):
        return add_bias_column(X) @ np.r_[self.intercept_, self.coef_]
""", "intercept_ stored as a length-1 array"), ("""
class LinearRegression(LinearRegression):
    def fit(self, X, y):
        D = add_bias_column(X)
        w = np.linalg.lstsq(D, y, rcond=None)[0]
        self.intercept_, self.coef_ = float(w[0]), w[1:]
        return self

    def predict(self, X):
        return add_bias_column(X) @ np.r_[self.intercept_, self.coef_]
""", "no input validation"), (_CLASS_FIT_OK + """
    def predict(self, X):
        return add_bias_column(X)[:, 1:] @ self.coef_
""", "predict forgets the intercept"), ("""
class LinearRegression(LinearRegression):
    def fit(self, X, y):
        D = add_bias_column(X)
        if len(D) != len(y) or len(D) < D.shape[1]:
            raise IndexError("bad shapes")
        w = np.linalg.lstsq(D, y, rcond=None)[0]
        self.intercept_, self.coef_ = float(w[0]), w[1:]
        return self

    def predict(self, X):
        return add_bias_column(X) @ np.r_[self.intercept_, self.coef_]
""", "raises IndexError instead of ValueError"), ("""
class LinearRegression(LinearRegression):
    def fit(self, X, y):
        X = np.asarray(X, dtype=float).reshape(len(X), -1)
        if len(X) != len(y) or len(X) < X.shape[1] + 1:
            raise ValueError("bad input")
        w = np.linalg.lstsq(X, y, rcond=None)[0]
        self.intercept_, self.coef_ = 0.0, w
        return self

    def predict(self, X):
        return np.asarray(X, dtype=float).reshape(len(X), -1) @ self.coef_
""", "no bias column: the line is forced through the origin")],
    },
    "03.6-linreg-score": {
        "correct": ["""
class LinearRegression(LinearRegression):
    def score(self, X, y):
        e = y - self.predict(X)
        return float(1 - (e ** 2).sum() / ((y - y.mean()) ** 2).sum())
""", """
class LinearRegression(LinearRegression):
    def score(self, X, y):
        return r_squared(y, self.predict(X))
"""],
        "wrong": [("""
class LinearRegression(LinearRegression):
    def score(self, X, y):
        return r_squared(self.predict(X), y)
""", "arguments of r_squared swapped"), ("""
class LinearRegression(LinearRegression):
    def score(self, X, y):
        return float(np.mean((y - self.predict(X)) ** 2))
""", "mean squared error instead of R²"), ("""
class LinearRegression(LinearRegression):
    def score(self, X, y):
        return float(np.corrcoef(y, self.predict(X))[0, 1])
""", "correlation instead of R²"), ("""
class LinearRegression(LinearRegression):
    def score(self, X, y):
        return np.array([r_squared(y, self.predict(X))])
""", "a length-1 array instead of a float")],
    },
    "03.7-lsq-gradient": {
        "correct": ["""
def lsq_gradient(X, y, w):
    r = np.dot(X, w) - y
    return np.dot(r, X) * (2.0 / X.shape[0])
""", """
def lsq_gradient(X, y, w):
    A, c = X.T @ X, X.T @ y
    return 2 * (A @ w - c) / len(X)
""", """
def residual(X, y, w):
    return np.einsum("ij,j->i", X, w) - y

def lsq_gradient(X, y, w):
    return 2 * np.mean(residual(X, y, w)[:, None] * X, axis=0)
"""],
        "wrong": [("""
def lsq_gradient(X, y, w):
    return X.T @ (X @ w - y) / len(y)
""", "missing the 2 from the square"), ("""
def lsq_gradient(X, y, w):
    return 2 * X.T @ (X @ w - y)
""", "missing the 1/n of the mean"), ("""
def lsq_gradient(X, y, w):
    return 2 * X.T @ (y - X @ w) / len(y)
""", "sign error: residuals the other way round"), ("""
def lsq_gradient(X, y, w):
    return 2 * (X @ w - y) @ X.T / len(y)
""", "wrong transpose"), ("""
def lsq_gradient(X, y, w):
    return 2 * X.T @ (X @ w - y) / X.shape[1]
""", "divided by the number of weights"), ("""
def lsq_gradient(X, y, w):
    g = np.zeros(len(w))
    for i in range(len(y)):
        g += 2 * (X[i] @ w - y[i]) * X[i]
    return g / len(y)
""", "breaks the rule: a for loop over the samples"), ("""
def lsq_gradient(X, y, w):
    r = X @ w - y
    return 2 * np.array([r @ X[:, k] for k in range(X.shape[1])]) / len(y)
""", "breaks the rule: a comprehension over the weights"), ("""
def per_sample(x, target, w):
    return 2 * (x @ w - target) * x

def lsq_gradient(X, y, w):
    return sum(map(per_sample, X, y, [w] * len(y))) / len(y)
""", "breaks the rule: map and the built-in sum, in a helper"), ("""
from functools import reduce

def lsq_gradient(X, y, w):
    r = X @ w - y
    return reduce(lambda g, i: g + 2 * r[i] * X[i], range(len(y)), np.zeros(len(w))) / len(y)
""", "breaks the rule: functools.reduce over the samples"), ("""
def lsq_gradient(X, y, w):
    add_up = sum
    return 2 * add_up((X @ w - y)[:, None] * X) / len(y)
""", "breaks the rule: the built-in sum adds the rows one by one, under another name"), ("""
import builtins

def lsq_gradient(X, y, w):
    return 2 * builtins.sum((X @ w - y)[:, None] * X) / len(y)
""", "breaks the rule: the built-in sum reached through the builtins module")],
    },
    "03.8-gradient-descent": {
        "correct": ["""
def gradient_descent(X, y, learning_rate, steps):
    w = np.zeros(X.shape[1])
    costs = np.empty(steps + 1)
    k = 0
    while True:
        r = X @ w - y
        costs[k] = r @ r / len(y)
        if k == steps:
            return w, costs
        w -= learning_rate * 2 * X.T @ r / len(y)
        k += 1
""", """
def gradient_descent(X, y, learning_rate, steps):
    cost = lambda v: float(np.mean(np.square(X @ v - y)))
    history, w = [], np.zeros(X.shape[-1])
    for step in range(steps + 1):
        history.append(cost(w))
        if step < steps:
            w = w - learning_rate * lsq_gradient(X, y, w)
    return (w, np.asarray(history))
"""],
        "wrong": [
            (_DESCENT.replace("costs = [np.mean((X @ w - y) ** 2)]", "costs = []"),
             "costs recorded only after each step: the starting cost is missing"),
            (_DESCENT.replace("costs = [np.mean((X @ w - y) ** 2)]", "costs = []").replace(
                "        w = w - learning_rate * lsq_gradient(X, y, w)\n        costs.append(np.mean((X @ w - y) ** 2))",
                "        costs.append(np.mean((X @ w - y) ** 2))\n        w = w - learning_rate * lsq_gradient(X, y, w)"),
             "costs recorded only before each step: the final cost is missing"),
            (_DESCENT.replace("        w = w - learning_rate * lsq_gradient(X, y, w)",
                              "        for j in range(len(w)):\n            w[j] -= learning_rate * lsq_gradient(X, y, w)[j]"),
             "weights updated one at a time: later entries see already-updated values"),
            (_DESCENT.replace("w - learning_rate", "w + learning_rate"), "sign error: steps uphill"),
            (_DESCENT.replace("np.mean((X @ w - y) ** 2)", "np.sum((X @ w - y) ** 2)"), "costs are sums, not means"),
            (_DESCENT.replace("        w = w - learning_rate * lsq_gradient(X, y, w)",
                              "        w_new = w - learning_rate * lsq_gradient(X, y, w)\n"
                              "        if np.mean((X @ w_new - y) ** 2) > costs[-1]:\n            break\n        w = w_new"),
             "stops early when the cost grows: the contract asks for every step"),
            (_DESCENT.replace("return w, np.array(costs)", "return w, costs"), "costs returned as a list, not an array"),
        ],
    },
}

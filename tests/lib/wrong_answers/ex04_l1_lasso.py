"""Typical wrong (and some unusual but right) answers to exercise 04_l1_lasso.

Each ``@wrong(task, expect)`` function is an answer a learner might write; ``check`` must
reject it and its summary or hint must contain ``expect``.  ``@right(task)`` answers are
correct in an unusual way and must pass.  For value tasks the function returns the answer.
"""

import numpy as np
from _corpus import new_corpus

CORPUS, wrong, right = new_corpus()  # (task, expected hint substring or None, answer)


def _soft(z, t):
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


# -- l1_penalty ---------------------------------------------------------------


@wrong("l1_penalty", "no 1/2")
def penalty_with_half(w, rate):
    return rate / 2 * np.sum(np.abs(w))


@wrong("l1_penalty", "np.abs")
def penalty_without_abs(w, rate):
    return rate * np.sum(w)


@wrong("l1_penalty", "L2 penalty")
def penalty_l2(w, rate):
    return rate / 2 * np.sum(w**2)


@wrong("l1_penalty", "not squares")
def penalty_squares(w, rate):
    return rate * np.sum(w**2)


@wrong("l1_penalty", "np.mean")
def penalty_mean(w, rate):
    return rate * np.mean(np.abs(w))


@wrong("l1_penalty", "Multiply by the rate")
def penalty_without_rate(w, rate):
    return np.sum(np.abs(w))


@wrong("l1_penalty", "sum")
def penalty_not_summed(w, rate):
    return rate * np.abs(w)


@right("l1_penalty")
def penalty_norm(w, rate):
    return rate * np.linalg.norm(w, 1)


# -- l1_subgradient -----------------------------------------------------------


@wrong("l1_subgradient", "np.sign(0) is 0")
def subgradient_sign_zero_is_one(w, rate):
    return rate * np.where(w >= 0, 1.0, -1.0)


@wrong("l1_subgradient", "np.sign(w), which is 0 there")
def subgradient_divide_by_abs(w, rate):
    return rate * w / np.abs(w)


@wrong("l1_subgradient", "positive for positive")
def subgradient_minus(w, rate):
    return -rate * np.sign(w)


@wrong("l1_subgradient", "Multiply by the rate")
def subgradient_without_rate(w, rate):
    return np.sign(w)


@wrong("l1_subgradient", "L2 gradient")
def subgradient_l2(w, rate):
    return rate * w


@wrong("l1_subgradient", "no 1/2")
def subgradient_half(w, rate):
    return rate / 2 * np.sign(w)


@wrong("l1_subgradient", "numpy array")
def subgradient_list(w, rate):
    return [rate * np.sign(w_j) for w_j in w]


@right("l1_subgradient")
def subgradient_loop(w, rate):
    g = np.zeros_like(w)
    for j, w_j in enumerate(w):
        if w_j > 0:
            g[j] = rate
        elif w_j < 0:
            g[j] = -rate
    return g


# -- soft_threshold -----------------------------------------------------------


@wrong("soft_threshold", "hard")
def threshold_hard(v, threshold):
    return np.where(np.abs(v) > threshold, v, 0.0)


@wrong("soft_threshold", "exactly 0")
def threshold_crosses_zero(v, threshold):
    return v - threshold * np.sign(v)


@wrong("soft_threshold", "put the sign back")
def threshold_positive_only(v, threshold):
    return np.maximum(v - threshold, 0.0)


@wrong("soft_threshold", "subtract from |v|")
def threshold_subtract(v, threshold):
    return v - threshold


@wrong("soft_threshold", "Clipping")
def threshold_clip(v, threshold):
    return np.clip(v, -threshold, threshold)


@wrong("soft_threshold", "inside the max")
def threshold_max_outside(v, threshold):
    return np.sign(v) * np.maximum(np.abs(v), threshold)


@wrong("soft_threshold", "in place")
def threshold_in_place(v, threshold):
    small = np.abs(v) <= threshold
    v -= threshold * np.sign(v)
    v[small] = 0.0
    return v


@wrong("soft_threshold", "np.where")
def threshold_scalar_if(v, threshold):
    if v > threshold:
        return v - threshold
    if v < -threshold:
        return v + threshold
    return 0.0


@wrong("soft_threshold", "numpy array")
def threshold_list(v, threshold):
    return [np.sign(v_j) * max(abs(v_j) - threshold, 0.0) for v_j in v]


@right("soft_threshold")
def threshold_piecewise(v, threshold):
    return np.where(v > threshold, v - threshold, np.where(v < -threshold, v + threshold, 0.0))


# -- lasso_coordinate_update --------------------------------------------------


@wrong("lasso_coordinate_update", "partial residual")
def update_full_residual(X, y, w, j, rate, b=0.0):
    n = X.shape[0]
    rho = X[:, j] @ (y - b - X @ w) / n
    return _soft(rho, rate) / (X[:, j] @ X[:, j] / n)


@wrong("lasso_coordinate_update", "curvature")
def update_without_curvature(X, y, w, j, rate, b=0.0):
    n = X.shape[0]
    r = y - b - X @ w + X[:, j] * w[j]
    return _soft(X[:, j] @ r / n, rate)


@wrong("lasso_coordinate_update", "Threshold first")
def update_divide_first(X, y, w, j, rate, b=0.0):
    n = X.shape[0]
    r = y - b - X @ w + X[:, j] * w[j]
    return _soft((X[:, j] @ r / n) / (X[:, j] @ X[:, j] / n), rate)


@wrong("lasso_coordinate_update", "threshold bites")
def update_sums(X, y, w, j, rate, b=0.0):
    r = y - b - X @ w + X[:, j] * w[j]
    return _soft(X[:, j] @ r, rate) / (X[:, j] @ X[:, j])


@wrong("lasso_coordinate_update", "hard thresholding")
def update_hard(X, y, w, j, rate, b=0.0):
    n = X.shape[0]
    r = y - b - X @ w + X[:, j] * w[j]
    rho = X[:, j] @ r / n
    return rho / (X[:, j] @ X[:, j] / n) if abs(rho) > rate else 0.0


@wrong("lasso_coordinate_update", "exactly 0")
def update_never_zero(X, y, w, j, rate, b=0.0):
    n = X.shape[0]
    r = y - b - X @ w + X[:, j] * w[j]
    rho = X[:, j] @ r / n
    return (rho - rate * np.sign(rho)) / (X[:, j] @ X[:, j] / n)


@wrong("lasso_coordinate_update", "Subtract b")
def update_ignores_b(X, y, w, j, rate, b=0.0):
    n = X.shape[0]
    r = y - X @ w + X[:, j] * w[j]
    return _soft(X[:, j] @ r / n, rate) / (X[:, j] @ X[:, j] / n)


@wrong("lasso_coordinate_update", "prediction − y")
def update_residual_sign(X, y, w, j, rate, b=0.0):
    n = X.shape[0]
    r = X @ w - X[:, j] * w[j] + b - y
    return _soft(X[:, j] @ r / n, rate) / (X[:, j] @ X[:, j] / n)


@wrong("lasso_coordinate_update", "w_j alone")
def update_returns_vector(X, y, w, j, rate, b=0.0):
    n = X.shape[0]
    r = y - b - X @ w + X[:, j] * w[j]
    w_new = w.copy()
    w_new[j] = _soft(X[:, j] @ r / n, rate) / (X[:, j] @ X[:, j] / n)
    return w_new


@wrong("lasso_coordinate_update", "in place")
def update_writes_into_w(X, y, w, j, rate, b=0.0):
    n = X.shape[0]
    r = y - b - X @ w + X[:, j] * w[j]
    w[j] = _soft(X[:, j] @ r / n, rate) / (X[:, j] @ X[:, j] / n)
    return w[j]


@right("lasso_coordinate_update")
def update_with_deletion(X, y, w, j, rate, b=0.0):
    n = X.shape[0]
    others = np.delete(np.arange(X.shape[1]), j)
    r = y - b - X[:, others] @ w[others]
    rho = np.dot(X[:, j], r) / n
    z = np.dot(X[:, j], X[:, j]) / n
    if rho > rate:
        return (rho - rate) / z
    if rho < -rate:
        return (rho + rate) / z
    return 0.0


# -- fit_lasso ----------------------------------------------------------------


def _cd(X, y, rate, *, center=True, penalize_intercept=False, sum_form=False, hard=False,
        divide_first=False, tol=1e-10, max_sweeps=5000):
    """A learner-style coordinate descent with switches for typical mistakes."""
    n, p = X.shape
    if penalize_intercept:
        X = np.column_stack([np.ones(n), X])
        center = False
    x_mean = X.mean(axis=0) if center else np.zeros(X.shape[1])
    y_mean = y.mean() if center else 0.0
    Xc, yc = X - x_mean, y - y_mean
    scale = 1.0 if sum_form else n
    w = np.zeros(X.shape[1])
    for _ in range(max_sweeps):
        biggest = 0.0
        for j in range(X.shape[1]):
            r = yc - Xc @ w + Xc[:, j] * w[j]
            rho = Xc[:, j] @ r / scale
            z = Xc[:, j] @ Xc[:, j] / scale
            if hard:
                new = rho / z if abs(rho) > rate else 0.0
            elif divide_first:
                new = _soft(rho / z, rate)
            else:
                new = _soft(rho, rate) / z
            biggest = max(biggest, abs(new - w[j]))
            w[j] = new
        if biggest < tol:
            break
    if penalize_intercept:
        return w[1:], w[0]
    return w, y_mean - x_mean @ w


@wrong("fit_lasso", "Never penalize b")
def lasso_ones_column(X, y, rate):
    return _cd(X, y, rate, penalize_intercept=True)


@wrong("fit_lasso", "Fit the intercept")
def lasso_no_intercept(X, y, rate):
    w, _ = _cd(X, y, rate, center=False)
    return w, 0.0


@wrong("fit_lasso", "before coordinate descent")
def lasso_uncentered(X, y, rate):
    w, _ = _cd(X, y, rate, center=False)
    return w, y.mean() - X.mean(axis=0) @ w


@wrong("fit_lasso", "divided by n")
def lasso_sum_form(X, y, rate):
    return _cd(X, y, rate, sum_form=True)


@wrong("fit_lasso", "at 2·rate")
def lasso_double_rate(X, y, rate):
    return _cd(X, y, 2 * rate)


@wrong("fit_lasso", "soft-thresholding update")
def lasso_hard_threshold(X, y, rate):
    return _cd(X, y, rate, hard=True)


@wrong("fit_lasso", "Threshold first")
def lasso_divide_first(X, y, rate):
    return _cd(X, y, rate, divide_first=True)


@wrong("fit_lasso", "exact")
def lasso_subgradient_descent(X, y, rate):
    n, p = X.shape
    w, b = np.zeros(p), 0.0
    step = n / np.linalg.norm(np.column_stack([np.ones(n), X]), 2) ** 2
    for _ in range(2000):
        r = y - X @ w - b
        w = w - step * (-(X.T @ r) / n + rate * np.sign(w))
        b = b + step * np.mean(r)
    return w, b


@wrong("fit_lasso", "more sweeps")
def lasso_too_few_sweeps(X, y, rate):
    return _cd(X, y, rate, max_sweeps=2)


@wrong("fit_lasso", "return w, b")
def lasso_only_w(X, y, rate):
    return _cd(X, y, rate)[0]


@wrong("fit_lasso", "in place")
def lasso_centers_in_place(X, y, rate):
    x_mean, y_mean = X.mean(axis=0), y.mean()
    X -= x_mean
    w, _ = _cd(X, y - y_mean, rate)
    return w, y_mean - x_mean @ w


@right("fit_lasso")
def lasso_loose_tolerance(X, y, rate):
    return _cd(X, y, rate, tol=1e-4)


@right("fit_lasso")
def lasso_proximal_gradient(X, y, rate):
    n, p = X.shape
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    step = n / np.linalg.norm(Xc, 2) ** 2
    w = np.zeros(p)
    for _ in range(20000):
        w_new = _soft(w + step * Xc.T @ (yc - Xc @ w) / n, step * rate)
        if np.max(np.abs(w_new - w)) < 1e-12:
            w = w_new
            break
        w = w_new
    return w, y.mean() - X.mean(axis=0) @ w


@right("fit_lasso")
def lasso_sklearn(X, y, rate):
    from sklearn.linear_model import Lasso

    model = Lasso(alpha=rate, tol=1e-8, max_iter=100_000).fit(X, y)
    return model.coef_, model.intercept_


# -- surviving_features (value task: the functions return the answer) --------


def _survivors(rate=0.2, fit_intercept=True):
    from course_lib.checks.ex04_l1_lasso import survivor_data

    X, y, _ = survivor_data()
    if fit_intercept:
        w, _ = _cd(X, y, rate)
    else:
        w, _ = _cd(X, y, rate, center=False)
    return set(np.flatnonzero(w).tolist())


@wrong("surviving_features", "counts from 0")
def survivors_one_based():
    return {j + 1 for j in _survivors()}


@wrong("surviving_features", "set to 0")
def survivors_complement():
    return set(range(10)) - _survivors()


@wrong("surviving_features", "truly informative")
def survivors_truth():
    return {0, 1, 2}


@wrong("surviving_features", "rate/n")
def survivors_sum_form():
    return _survivors(rate=0.2 / 60)


@wrong("surviving_features", "without intercept")
def survivors_no_intercept():
    return _survivors(fit_intercept=False)


@wrong("surviving_features", "boolean mask")
def survivors_mask():
    from course_lib.checks.ex04_l1_lasso import survivor_data

    X, y, _ = survivor_data()
    return _cd(X, y, 0.2)[0] != 0


@wrong("surviving_features", "integer index")
def survivors_weights():
    from course_lib.checks.ex04_l1_lasso import survivor_data

    X, y, _ = survivor_data()
    return list(_cd(X, y, 0.2)[0])


@right("surviving_features")
def survivors_array():
    from course_lib.checks.ex04_l1_lasso import survivor_data

    X, y, _ = survivor_data()
    return np.flatnonzero(_cd(X, y, 0.2, tol=1e-6)[0])


@right("surviving_features")
def survivors_list():
    return sorted(_survivors())


# -- predict_descent_zeros (a prediction: the functions return the choice) ----


@wrong("predict_descent_zeros", "cannot settle on 0")
def descent_zeros_same_as_lasso():
    return "a"


@wrong("predict_descent_zeros", "strong pulls")
def descent_zeros_all():
    return "c"


@wrong("predict_descent_zeros", "removes none")
def descent_zeros_more():
    return "d"


@wrong("predict_descent_zeros", "one of the choices")
def descent_zeros_count_instead_of_choice():
    return 0


@wrong("predict_descent_zeros", "one of the choices")
def descent_zeros_unknown_letter():
    return "e"


@wrong("predict_descent_zeros", "one of the choices")
def descent_zeros_in_a_list():
    return ["b"]


@right("predict_descent_zeros")
def descent_zeros_upper_case_with_spaces():
    return " B "

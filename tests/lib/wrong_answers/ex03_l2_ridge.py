"""Typical wrong (and some unusual but right) answers to exercise 03_l2_ridge.

Each ``@wrong(task, expect)`` function is an answer a learner might write; ``check`` must
reject it and its summary or hint must contain ``expect``.  ``@right(task)`` answers are
correct in an unusual way and must pass.  For value tasks the function returns the answer.
"""

import numpy as np
from _corpus import new_corpus

CORPUS, wrong, right = new_corpus()  # (task, expected hint substring or None, answer)


# -- l2_penalty ---------------------------------------------------------------


@wrong("l2_penalty", "1/2")
def penalty_without_half(w, rate):
    return rate * np.sum(w**2)


@wrong("l2_penalty", "squared")
def penalty_norm_not_squared(w, rate):
    return rate / 2 * np.linalg.norm(w)


@wrong("l2_penalty", "L1")
def penalty_abs(w, rate):
    return rate / 2 * np.sum(np.abs(w))


@wrong("l2_penalty", "np.mean")
def penalty_mean(w, rate):
    return rate / 2 * np.mean(w**2)


@wrong("l2_penalty", "Multiply by the rate")
def penalty_without_rate(w, rate):
    return 0.5 * np.sum(w**2)


@wrong("l2_penalty", "sum")
def penalty_not_summed(w, rate):
    return rate / 2 * w**2


@wrong("l2_penalty", "float(")
def penalty_keepdims(w, rate):
    return rate / 2 * np.sum(w**2, keepdims=True)


@wrong("l2_penalty", "never negative")
def penalty_negative(w, rate):
    return -rate / 2 * w @ w


@wrong("l2_penalty", "`return`")
def penalty_forgot_return(w, rate):
    rate / 2 * np.sum(w**2)


@wrong("l2_penalty", "without squaring")
def penalty_not_squared(w, rate):
    return rate / 2 * np.sum(w)


@right("l2_penalty")
def penalty_loop(w, rate):
    total = 0.0
    for w_j in w:
        total += w_j * w_j
    return rate * total / 2


@right("l2_penalty")
def penalty_dot(w, rate):
    return 0.5 * rate * w @ w


# -- l2_gradient --------------------------------------------------------------


@wrong("l2_gradient", "cancels the 1/2")
def gradient_two_rate(w, rate):
    return 2 * rate * w


@wrong("l2_gradient", "kept the 1/2")
def gradient_half(w, rate):
    return rate / 2 * w


@wrong("l2_gradient", "+rate · w")
def gradient_minus(w, rate):
    return -rate * w


@wrong("l2_gradient", "L1 subgradient")
def gradient_sign(w, rate):
    return rate * np.sign(w)


@wrong("l2_gradient", "numpy array")
def gradient_list(w, rate):
    return [rate * w_j for w_j in w]


@wrong("l2_gradient", "column vector")
def gradient_column(w, rate):
    return rate * w.reshape(-1, 1)


@wrong("l2_gradient", "in place")
def gradient_in_place(w, rate):
    w *= rate
    return w


@wrong("l2_gradient", "entry by entry")
def gradient_summed(w, rate):
    return rate * np.sum(w)


@wrong("l2_gradient", "NaN or inf")
def gradient_nan_at_zero(w, rate):
    return rate * w**2 / w


@wrong("l2_gradient", "rate is missing")
def gradient_no_rate(w, rate):
    return w.copy()


@right("l2_gradient")
def gradient_comprehension(w, rate):
    return np.array([rate * w_j for w_j in w])


# -- weight_decay_step --------------------------------------------------------


@wrong("weight_decay_step", "also enters the step")
def step_without_decay(w, grad_loss, lr, rate):
    return w - lr * grad_loss


@wrong("weight_decay_step", "against")
def step_ascent(w, grad_loss, lr, rate):
    return (1 - lr * rate) * w + lr * grad_loss


@wrong("weight_decay_step", "shrinks w")
def step_decay_sign(w, grad_loss, lr, rate):
    return (1 + lr * rate) * w - lr * grad_loss


@wrong("weight_decay_step", "multiplied by lr")
def step_decay_without_lr(w, grad_loss, lr, rate):
    return (1 - rate) * w - lr * grad_loss


@wrong("weight_decay_step", "current w")
def step_shrink_after(w, grad_loss, lr, rate):
    return (1 - lr * rate) * (w - lr * grad_loss)


@wrong("weight_decay_step", "2·rate·w")
def step_two_rate(w, grad_loss, lr, rate):
    return w - lr * (grad_loss + 2 * rate * w)


@wrong("weight_decay_step", "rate/2·w")
def step_half_rate(w, grad_loss, lr, rate):
    return w - lr * (grad_loss + rate / 2 * w)


@wrong("weight_decay_step", "lr · grad_loss as well")
def step_without_loss(w, grad_loss, lr, rate):
    return (1 - lr * rate) * w


@wrong("weight_decay_step", "proportional to w")
def step_l1_decay(w, grad_loss, lr, rate):
    return w - lr * (grad_loss + rate * np.sign(w))


@wrong("weight_decay_step", "in place")
def step_in_place(w, grad_loss, lr, rate):
    w -= lr * (grad_loss + rate * w)
    return w


@right("weight_decay_step")
def step_gradient_form(w, grad_loss, lr, rate):
    return w - lr * (grad_loss + rate * w)


# -- predict_decay (prediction: the functions return the answer) --------------


@wrong("predict_decay", "what one step leaves")
def predicted_one_step_of_decay():
    return "a"


@wrong("predict_decay", "after some 14 steps")
def predicted_half_left():
    return "b"


@wrong("predict_decay", "still shrinks the weights")
def predicted_no_decay_without_a_loss_gradient():
    return "d"


@wrong("predict_decay", "as a string")
def predicted_the_fraction_itself():
    return 0.006


@wrong("predict_decay", "not one of the choices")
def predicted_in_words():
    return "less than 1 %"


@right("predict_decay")
def predicted_with_capital():
    return "C"


# -- fit_ridge ----------------------------------------------------------------


@wrong("fit_ridge", "Never penalize b")
def ridge_ones_column(X, y, rate):
    n, p = X.shape
    X1 = np.column_stack([np.ones(n), X])
    theta = np.linalg.solve(X1.T @ X1 + n * rate * np.eye(p + 1), X1.T @ y)
    return theta[1:], theta[0]


@wrong("fit_ridge", "Fit the intercept")
def ridge_no_intercept(X, y, rate):
    n, p = X.shape
    return np.linalg.solve(X.T @ X + n * rate * np.eye(p), X.T @ y), 0.0


@wrong("fit_ridge", "before solving")
def ridge_uncentered(X, y, rate):
    n, p = X.shape
    w = np.linalg.solve(X.T @ X + n * rate * np.eye(p), X.T @ y)
    return w, y.mean() - X.mean(axis=0) @ w


@wrong("fit_ridge", "columns of X too")
def ridge_only_y_centered(X, y, rate):
    n, p = X.shape
    w = np.linalg.solve(X.T @ X + n * rate * np.eye(p), X.T @ (y - y.mean()))
    return w, y.mean() - X.mean(axis=0) @ w


@wrong("fit_ridge", "not ȳ alone")
def ridge_b_is_mean(X, y, rate):
    n, p = X.shape
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    return np.linalg.solve(Xc.T @ Xc + n * rate * np.eye(p), Xc.T @ yc), y.mean()


@wrong("fit_ridge", "n·rate, not rate")
def ridge_rate_not_n_rate(X, y, rate):
    p = X.shape[1]
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    w = np.linalg.solve(Xc.T @ Xc + rate * np.eye(p), Xc.T @ yc)
    return w, y.mean() - X.mean(axis=0) @ w


@wrong("fit_ridge", "alpha = n·rate")
def ridge_sklearn_alpha_is_rate(X, y, rate):
    from sklearn.linear_model import Ridge

    model = Ridge(alpha=rate).fit(X, y)
    return model.coef_, float(model.intercept_)


@wrong("fit_ridge", "at 2·rate")
def ridge_two_n_rate(X, y, rate):
    n, p = X.shape
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    w = np.linalg.solve(Xc.T @ Xc + 2 * n * rate * np.eye(p), Xc.T @ yc)
    return w, y.mean() - X.mean(axis=0) @ w


@wrong("fit_ridge", "at rate/2")
def ridge_half_n_rate(X, y, rate):
    n, p = X.shape
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    w = np.linalg.solve(Xc.T @ Xc + n * rate / 2 * np.eye(p), Xc.T @ yc)
    return w, y.mean() - X.mean(axis=0) @ w


@wrong("fit_ridge", "Add n·rate·I")
def ridge_least_squares(X, y, rate):
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    w = np.linalg.lstsq(Xc, yc, rcond=None)[0]
    return w, y.mean() - X.mean(axis=0) @ w


@wrong("fit_ridge", "return w, b")
def ridge_only_w(X, y, rate):
    n, p = X.shape
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    return np.linalg.solve(Xc.T @ Xc + n * rate * np.eye(p), Xc.T @ yc)


@wrong("fit_ridge", "weights first")
def ridge_b_first(X, y, rate):
    n, p = X.shape
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    w = np.linalg.solve(Xc.T @ Xc + n * rate * np.eye(p), Xc.T @ yc)
    return y.mean() - X.mean(axis=0) @ w, w


@wrong("fit_ridge", "column vector")
def ridge_column_w(X, y, rate):
    n, p = X.shape
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    w = np.linalg.solve(Xc.T @ Xc + n * rate * np.eye(p), Xc.T @ yc[:, None])
    return w, float(y.mean() - X.mean(axis=0) @ w[:, 0])


@wrong("fit_ridge", "intercept is one number")
def ridge_array_b(X, y, rate):
    n, p = X.shape
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    w = np.linalg.solve(Xc.T @ Xc + n * rate * np.eye(p), Xc.T @ yc)
    return w, np.atleast_1d(y.mean() - X.mean(axis=0) @ w)


@wrong("fit_ridge", "in place")
def ridge_centers_in_place(X, y, rate):
    n, p = X.shape
    x_mean, y_mean = X.mean(axis=0), y.mean()
    X -= x_mean
    w = np.linalg.solve(X.T @ X + n * rate * np.eye(p), X.T @ (y - y_mean))
    return w, y_mean - x_mean @ w


@right("fit_ridge")
def ridge_with_inverse(X, y, rate):
    n, p = X.shape
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    w = np.linalg.inv(Xc.T @ Xc + n * rate * np.eye(p)) @ Xc.T @ yc
    return [w, y.mean() - X.mean(axis=0) @ w]


@right("fit_ridge")
def ridge_sklearn_alpha_n_rate(X, y, rate):
    from sklearn.linear_model import Ridge

    model = Ridge(alpha=X.shape[0] * rate, solver="svd").fit(X, y)
    return model.coef_, model.intercept_


# -- predict_most_shrunk (prediction: the functions return the answer) --------


@wrong("predict_most_shrunk", "pin its weight down firmly")
def predicted_the_widest_feature():
    return "a"


@wrong("predict_most_shrunk", "less than a feature that barely varies")
def predicted_the_middle_feature():
    return "b"


@wrong("predict_most_shrunk", "very different fractions")
def predicted_uniform_shrinkage():
    return "d"


@wrong("predict_most_shrunk", "'a', 'b', 'c', 'd'")
def predicted_the_feature_number():
    return 3


@wrong("predict_most_shrunk", "not one of the choices")
def predicted_feature_three_in_words():
    return "feature 3"


@right("predict_most_shrunk")
def predicted_with_spaces():
    return " c"


# -- ridge_shrinkage_factors --------------------------------------------------


@wrong("ridge_shrinkage_factors", "centered X")
def shrinkage_uncentered(X, rate):
    d = np.linalg.svd(X, compute_uv=False)
    return d**2 / (d**2 + X.shape[0] * rate)


@wrong("ridge_shrinkage_factors", "d_j² / (d_j² + n·rate)")
def shrinkage_rate_not_n_rate(X, rate):
    d = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    return d**2 / (d**2 + rate)


@wrong("ridge_shrinkage_factors", "Square the singular values")
def shrinkage_d_not_squared(X, rate):
    d = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    return d / (d + X.shape[0] * rate)


@wrong("ridge_shrinkage_factors", "not the amount removed")
def shrinkage_one_minus(X, rate):
    d = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    return X.shape[0] * rate / (d**2 + X.shape[0] * rate)


@wrong("ridge_shrinkage_factors", "largest to smallest")
def shrinkage_from_eigenvalues(X, rate):
    Xc = X - X.mean(axis=0)
    e = np.clip(np.linalg.eigvalsh(Xc.T @ Xc), 0, None)
    return e / (e + X.shape[0] * rate)


@wrong("ridge_shrinkage_factors", "numpy array")
def shrinkage_list(X, rate):
    d = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    return [d_j**2 / (d_j**2 + X.shape[0] * rate) for d_j in d]


@right("ridge_shrinkage_factors")
def shrinkage_from_sorted_eigenvalues(X, rate):
    Xc = X - X.mean(axis=0)
    k = min(X.shape)
    e = np.clip(np.linalg.eigvalsh(Xc.T @ Xc)[::-1][:k], 0, None)
    return e / (e + X.shape[0] * rate)


# -- ridge_dof_answer (value task: the functions return the answer) -----------


def _dof_x():
    from course_lib.checks.ex03_l2_ridge import dof_data

    return dof_data()


def _dof(X, rate, center=True, power=2):
    Xc = X - X.mean(axis=0) if center else X
    d = np.linalg.svd(Xc, compute_uv=False) ** power
    return float(np.sum(d / (d + rate)))


@wrong("ridge_dof_answer", "n·rate")
def dof_rate_not_n_rate():
    return _dof(_dof_x(), 0.01)


@wrong("ridge_dof_answer", "number of features")
def dof_is_p():
    return 9


@wrong("ridge_dof_answer", "squared singular values")
def dof_d_not_squared():
    X = _dof_x()
    return _dof(X, X.shape[0] * 0.01, power=1)


@wrong("ridge_dof_answer", "1 − s_j")
def dof_one_minus():
    X = _dof_x()
    return X.shape[1] - _dof(X, X.shape[0] * 0.01)


@wrong("ridge_dof_answer", "instead of a number")
def dof_string():
    return "4.2"


@wrong("ridge_dof_answer", "sum of your ridge_shrinkage_factors")
def dof_unrelated():
    return 1.2345


@right("ridge_dof_answer")
def dof_rounded_to_4_digits():
    X = _dof_x()
    return float(f"{_dof(X, X.shape[0] * 0.01):.4g}")

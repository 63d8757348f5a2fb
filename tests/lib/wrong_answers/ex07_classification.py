"""Typical wrong (and some unusual but right) answers to exercise 07_classification.

Each ``@wrong(task, expect)`` function is an answer a learner might write; ``check`` must
reject it and its summary or hint must contain ``expect``.  ``@right(task)`` answers are
correct in an unusual way and must pass.  For value tasks the function returns the answer.
"""

import numpy as np
from _corpus import new_corpus

from course_lib.checks.ex07_classification import SURVIVOR_RATE, survivor_data
from course_lib.logistic import fit_logistic

CORPUS, wrong, right = new_corpus()  # (task, expected hint substring or None, answer)


def _p(X, w, b):
    return 1.0 / (1.0 + np.exp(-(X @ w + b)))


# -- sigmoid ------------------------------------------------------------------


@wrong("sigmoid", "minus sign")
def sigmoid_flipped(z):
    return 1.0 / (1.0 + np.exp(z))


@wrong("sigmoid", "tanh runs from")
def sigmoid_is_tanh(z):
    return np.tanh(z)


@wrong("sigmoid", "z/2")
def sigmoid_tanh_without_half(z):
    return 0.5 * (1.0 + np.tanh(z))


@wrong("sigmoid", "inf/inf")
def sigmoid_overflows(z):
    return np.exp(z) / (1.0 + np.exp(z))


@wrong("sigmoid", "softplus")
def sigmoid_softplus(z):
    return np.log(1.0 + np.exp(z))


@wrong("sigmoid", "drop the 1 +")
def sigmoid_no_one(z):
    return np.exp(z)


@wrong("sigmoid", "numpy array")
def sigmoid_list(z):
    return [1.0 / (1.0 + np.exp(-v)) for v in np.ravel(z)]


@right("sigmoid")
def sigmoid_naive(z):  # overflows to 1/(1 + inf) = 0 for very negative z: right, with a warning
    return 1.0 / (1.0 + np.exp(-z))


@right("sigmoid")
def sigmoid_by_tanh(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


@right("sigmoid")
def sigmoid_by_where(z):
    ez = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + ez), ez / (1.0 + ez))


# -- log_loss -----------------------------------------------------------------


@wrong("log_loss", "np.logaddexp")
def loss_naive(X, y, w, b):
    p = _p(X, w, b)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


@wrong("log_loss", "*mean*")
def loss_sum(X, y, w, b):
    z = X @ w + b
    return np.sum(np.logaddexp(0.0, z) - y * z)


@wrong("log_loss", "minus in front")
def loss_no_minus(X, y, w, b):
    z = X @ w + b
    return -np.mean(np.logaddexp(0.0, z) - y * z)


@wrong("log_loss", "labels are swapped")
def loss_swapped(X, y, w, b):
    z = X @ w + b
    return np.mean(np.logaddexp(0.0, z) - (1 - y) * z)


@wrong("log_loss", "intercept")
def loss_without_b(X, y, w, b):
    z = X @ w
    return np.mean(np.logaddexp(0.0, z) - y * z)


@wrong("log_loss", "np.log10")
def loss_log10(X, y, w, b):
    z = X @ w + b
    return np.mean(np.logaddexp(0.0, z) - y * z) / np.log(10.0)


@wrong("log_loss", "label 0")
def loss_one_term(X, y, w, b):
    z = X @ w + b
    return np.mean(y * np.logaddexp(0.0, -z))


@wrong("log_loss", "Clipping")
def loss_clipped(X, y, w, b):
    p = np.clip(_p(X, w, b), 1e-15, 1 - 1e-15)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


@wrong("log_loss", "plain number")
def loss_keepdims(X, y, w, b):
    z = X @ w + b
    return np.mean(np.logaddexp(0.0, z) - y * z, keepdims=True)


@right("log_loss")
def loss_two_cases(X, y, w, b):
    z = X @ w + b
    # -log p = log(1 + e^-z), -log(1 - p) = log(1 + e^z)
    return np.mean(np.where(y == 1, np.logaddexp(0.0, -z), np.logaddexp(0.0, z)))


@right("log_loss")
def loss_log1p(X, y, w, b):
    z = X @ w + b
    softplus = np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))
    return float(np.sum(softplus - y * z) / len(y))


# -- penalized_log_loss_gradient ---------------------------------------------


def _data_gradient(X, y, w, b):
    r = _p(X, w, b) - y
    return X.T @ r / len(y), np.mean(r)


@wrong("penalized_log_loss_gradient", "never penalized")
def gradient_penalizes_b(X, y, w, b, rate):
    gw, gb = _data_gradient(X, y, w, b)
    return gw + rate * w, gb + rate * b


@wrong("penalized_log_loss_gradient", "mean")
def gradient_sums(X, y, w, b, rate):
    r = _p(X, w, b) - y
    return X.T @ r + rate * w, np.sum(r)


@wrong("penalized_log_loss_gradient", "p − y")
def gradient_wrong_sign(X, y, w, b, rate):
    r = y - _p(X, w, b)
    return X.T @ r / len(y) + rate * w, np.mean(r)


@wrong("penalized_log_loss_gradient", "cancels")
def gradient_half_rate(X, y, w, b, rate):
    gw, gb = _data_gradient(X, y, w, b)
    return gw + rate / 2 * w, gb


@wrong("penalized_log_loss_gradient", "not 2·rate·w")
def gradient_double_rate(X, y, w, b, rate):
    gw, gb = _data_gradient(X, y, w, b)
    return gw + 2 * rate * w, gb


@wrong("penalized_log_loss_gradient", "Add the gradient")
def gradient_no_penalty(X, y, w, b, rate):
    return _data_gradient(X, y, w, b)


@wrong("penalized_log_loss_gradient", "rate·sign(w)")
def gradient_l1(X, y, w, b, rate):
    gw, gb = _data_gradient(X, y, w, b)
    return gw + rate * np.sign(w), gb


@wrong("penalized_log_loss_gradient", "(grad_w, grad_b)")
def gradient_only_w(X, y, w, b, rate):
    gw, _ = _data_gradient(X, y, w, b)
    return gw + rate * w


@wrong("penalized_log_loss_gradient", "grad_w first")
def gradient_swapped(X, y, w, b, rate):
    gw, gb = _data_gradient(X, y, w, b)
    return gb, gw + rate * w


@wrong("penalized_log_loss_gradient", "include b")
def gradient_without_b(X, y, w, b, rate):
    gw, gb = _data_gradient(X, y, w, 0.0)
    return gw + rate * w, gb


@right("penalized_log_loss_gradient")
def gradient_loop(X, y, w, b, rate):
    n, p = X.shape
    grad_w, grad_b = rate * np.asarray(w, dtype=float), 0.0
    for i in range(n):
        residual = 1.0 / (1.0 + np.exp(-(X[i] @ w + b))) - y[i]
        grad_w = grad_w + residual * X[i] / n
        grad_b += residual / n
    return grad_w, grad_b


@right("penalized_log_loss_gradient")
def gradient_as_list(X, y, w, b, rate):
    gw, gb = _data_gradient(X, y, w, b)
    return [gw + rate * w, float(gb)]


# -- l1_logistic_survivors -----------------------------------------------------


def _fit_support(X, y, rate=SURVIVOR_RATE, penalty="l1", **kwargs):
    return set(np.flatnonzero(fit_logistic(X, y, rate, penalty, **kwargs).w).tolist())


def _standardized():
    X, y, _ = survivor_data()
    return (X - X.mean(axis=0)) / X.std(axis=0), y


@wrong("l1_logistic_survivors", "counts from 0")
def survivors_from_one():
    Z, y = _standardized()
    return {j + 1 for j in _fit_support(Z, y)}


@wrong("l1_logistic_survivors", "standardize X first")
def survivors_raw():
    X, y, _ = survivor_data()
    return _fit_support(X, y)


@wrong("l1_logistic_survivors", "w_true")
def survivors_truth():
    _, _, w_true = survivor_data()
    return set(np.flatnonzero(w_true).tolist())


@wrong("l1_logistic_survivors", "penalty='l1'")
def survivors_l2():
    Z, y = _standardized()
    return _fit_support(Z, y, penalty="l2")


@wrong("l1_logistic_survivors", "set to 0")
def survivors_complement():
    Z, y = _standardized()
    return set(range(Z.shape[1])) - _fit_support(Z, y)


@wrong("l1_logistic_survivors", "boolean mask")
def survivors_mask():
    Z, y = _standardized()
    return fit_logistic(Z, y, SURVIVOR_RATE, "l1").w != 0


@right("l1_logistic_survivors")
def survivors_as_list():
    Z, y = _standardized()
    return sorted(_fit_support(Z, y))


# -- logistic_C_for_rate ---------------------------------------------------------


@wrong("logistic_C_for_rate", "C = 1/(n·rate)")
def c_one_over_rate():
    return 1 / 0.02


@wrong("logistic_C_for_rate", "the inverse")
def c_n_rate():
    return 250 * 0.02


@wrong("logistic_C_for_rate", "C is not the rate")
def c_is_rate():
    return 0.02


@wrong("logistic_C_for_rate", "No factor 2")
def c_half():
    return 1 / (2 * 250 * 0.02)


@wrong("logistic_C_for_rate", "No factor 2")
def c_double():
    return 2 / (250 * 0.02)


@wrong("logistic_C_for_rate", "instead of a number")
def c_string():
    return "0.2"


@right("logistic_C_for_rate")
def c_numpy():
    return np.float64(1.0) / (250 * 0.02)


# -- predict_mean_probability -------------------------------------------------------


@wrong("predict_mean_probability", "*penalized* intercept")
def predicts_one_half():
    return "a"


@wrong("predict_mean_probability", "does not shrink the probabilities to 0")
def predicts_zero():
    return "c"


@wrong("predict_mean_probability", "does not move with the rate")
def predicts_below_the_share():
    return "d"


@wrong("predict_mean_probability", "one of the choices")
def predicts_a_letter_not_offered():
    return "e"


@wrong("predict_mean_probability", "one of the choices")
def predicts_the_number_itself():
    return 0.225


@wrong("predict_mean_probability", "one of the choices")
def predicts_with_the_words():
    return "the share of 1s"


@right("predict_mean_probability")
def predicts_upper_case_with_spaces():
    return " B "

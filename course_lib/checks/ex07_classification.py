"""Checks for exercise 07_classification: sigmoid, log-loss, penalized gradient, a prediction, L1 selection.

Conventions checked: ``sigmoid(z) = 1/(1 + e^{−z})``; the data term is the *mean* log-loss
``1/n·Σ[log(1 + e^{z_i}) − y_i z_i]`` with ``z = Xw + b`` and labels in {0, 1}; the L2-penalized
gradient is ``(Xᵀ(p − y)/n + rate·w, mean(p − y))`` — the intercept ``b`` is never penalized, so the
mean predicted probability equals the share of 1s at every rate (the prediction task);
scikit-learn's ``LogisticRegression(C)`` matches ``rate = 1/(n·C)``.  The written answer (why the
raw-feature fit drops feature 0) is graded by hand.
"""

from __future__ import annotations

import numpy as np

from ..data import make_wide_classification, standardize
from ..logistic import fit_logistic
from ..losses import log_loss, log_loss_gradient, sigmoid
from ..penalties import l2_gradient
from .framework import (
    Case,
    FunctionTask,
    PredictionTask,
    Problem,
    ValueTask,
    WrittenTask,
    allclose,
    matches,
    scaled,
    sign_flip,
    sum_not_mean,
)

EXERCISE = "ex07_classification"


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------


def _score_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(701) if rng is None else rng
    return [
        Case("z = 0", (np.array([0.0]),)),
        Case("hand case: z = [-2, -1, 0, 1, 2]", (np.array([-2.0, -1.0, 0.0, 1.0, 2.0]),)),
        Case("mixed scores", (np.round(3.0 * rng.normal(size=8), 3),)),
        Case("large scores, |z| up to 40", (np.array([-40.0, -25.0, -10.0, 10.0, 25.0, 40.0]),)),
        Case("extreme scores ±800 (e^800 overflows)", (np.array([-800.0, -50.0, 0.5, 50.0, 800.0]),)),
        Case("a 2-D array of scores, shape (2, 3)", (np.round(rng.normal(size=(2, 3)), 3),)),
    ]


def _labels(rng, n, prob=0.5):
    return (rng.uniform(size=n) < prob).astype(float)


def _classification(rng, n, p, *, scale=1.0, b=0.0, offset=0.0):
    X = rng.normal(size=(n, p)) + offset
    w = scale * rng.normal(size=p)
    y = (rng.uniform(size=n) < sigmoid(X @ w + b)).astype(float)
    return X, y, np.round(w, 3), b


def _loss_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(702) if rng is None else rng
    X1, y1, w1, _ = _classification(rng, 20, 3, b=0.5)
    X2, y2, w2, _ = _classification(rng, 50, 5, b=-1.2, offset=0.5)
    X3 = rng.normal(size=(12, 2))
    w3 = np.array([25.0, -20.0])  # scores of size up to ~80: sigmoid rounds to exactly 0 or 1
    y3 = (X3 @ w3 > 0).astype(float)
    y3[:3] = 1.0 - y3[:3]  # three confident mistakes
    X4, _, w4, _ = _classification(rng, 15, 2)
    return [
        Case("hand case: one point x = 0, y = 1, w = 0, b = 0 (loss log 2)",
             (np.array([[0.0]]), np.array([1.0]), np.array([0.0]), 0.0)),
        Case("hand case: x = [-1, 1], y = [0, 1], w = 1, b = 0",
             (np.array([[-1.0], [1.0]]), np.array([0.0, 1.0]), np.array([1.0]), 0.0)),
        Case("20 points, 3 features, b = 0.5", (X1, y1, w1, 0.5)),
        Case("50 points, 5 features, b = -1.2", (X2, y2, w2, -1.2)),
        Case("every label 1, b = 0.3", (X4, np.ones(15), w4, 0.3)),
        Case("confident scores (|z| up to ~80), three of them wrong, b = 2", (X3, y3, w3, 2.0)),
    ]


def _gradient_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(703) if rng is None else rng
    X1, y1, w1, _ = _classification(rng, 25, 3, b=0.4)
    X2, y2, w2, _ = _classification(rng, 40, 6, b=-0.8, offset=1.0)
    X3, y3, _, _ = _classification(rng, 30, 4)
    X4, y4, w4, _ = _classification(rng, 8, 12)  # more features than samples
    return [
        Case("hand case: x = [-1, 1], y = [0, 1], w = 0, b = 0, rate = 1",
             (np.array([[-1.0], [1.0]]), np.array([0.0, 1.0]), np.array([0.0]), 0.0, 1.0)),
        Case("25 points, 3 features, b = 0.4, rate = 0.1", (X1, y1, w1, 0.4, 0.1)),
        Case("rate = 0 (the plain log-loss gradient), b = -0.8", (X2, y2, w2, -0.8, 0.0)),
        Case("all-zero weights, b = 1.5, rate = 0.5", (X3, y3, np.zeros(4), 1.5, 0.5)),
        Case("large rate = 100, b = -0.5", (X1, y1, w1, -0.5, 100.0)),
        Case("more features than samples (p = 12 > n = 8), b = 0.7, rate = 0.05", (X4, y4, w4, 0.7, 0.05)),
    ]


# ---------------------------------------------------------------------------
# References and known wrong variants
# ---------------------------------------------------------------------------


def penalized_log_loss_gradient(X, y, w, b, rate):
    """Gradient of ``log_loss(X, y, w, b) + rate/2·||w||²``: ``(grad_w, grad_b)``, b unpenalized."""
    grad_w, grad_b = log_loss_gradient(X, y, w, b)
    return grad_w + l2_gradient(w, rate), grad_b


def _probabilities(X, w, b):
    return sigmoid(X @ w + b)


def _naive_log_loss(X, y, w, b, *, clip=None):
    p = _probabilities(X, w, b)
    if clip is not None:
        p = np.clip(p, clip, 1.0 - clip)
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)))


def _gradient_variant(kind):
    def gradient(X, y, w, b, rate):
        n = X.shape[0]
        residual = _probabilities(X, w, b) - y
        grad_w, grad_b = X.T @ residual / n, float(np.mean(residual))
        if kind == "penalized b":
            return grad_w + rate * w, grad_b + rate * b
        if kind == "sum":
            return X.T @ residual + rate * w, float(np.sum(residual))
        if kind == "sum, w only":
            return X.T @ residual + rate * w, grad_b
        if kind == "y - p":
            return -grad_w + rate * w, -grad_b
        if kind == "half":
            return grad_w + rate / 2 * w, grad_b
        if kind == "double":
            return grad_w + 2 * rate * w, grad_b
        if kind == "no penalty":
            return grad_w, grad_b
        if kind == "minus penalty":
            return grad_w - rate * w, grad_b
        if kind == "l1":
            return grad_w + rate * np.sign(w), grad_b
        if kind == "no b":
            return X.T @ (_probabilities(X, w, 0.0) - y) / n + rate * w, float(np.mean(_probabilities(X, w, 0.0) - y))
        raise ValueError(kind)

    return gradient


class _GradientPairTask(FunctionTask):
    """A FunctionTask whose answer is the pair ``(grad_w, grad_b)``: feedback says so, not "(w, b)"."""

    _WORDS = (
        ("a fit is the pair (w, b)", "the answer is the pair (grad_w, grad_b)"),
        ("`return w, b`", "`return grad_w, grad_b`"),
        ("the pair (w, b)", "the pair (grad_w, grad_b)"),
        ("(b, w) instead of (w, b)", "(grad_b, grad_w) instead of (grad_w, grad_b)"),
        ("weights first", "grad_w first"),
        ("the weights and the intercept", "the weight gradient and the intercept's"),
        ("for w,", "for grad_w,"),
        ("for b,", "for grad_b,"),
        ("w is a Python list", "grad_w is a Python list"),
        ("Return w as", "Return grad_w as"),
        ("b is an array", "grad_b is an array"),
        ("The intercept is one number", "The intercept's gradient is one number"),
    )

    def _form(self, got, expected):
        value = super()._form(got, expected)
        if isinstance(value, Problem):
            summary, hint = value.summary, value.hint
            for old, new in self._WORDS:
                summary, hint = summary.replace(old, new), hint.replace(old, new)
            return Problem(summary, hint)
        return value


# ---------------------------------------------------------------------------
# Value tasks
# ---------------------------------------------------------------------------

BASE_RATE_SEED = 24


def base_rate_data():
    """The data of ``predict_mean_probability``: 200 rows, 4 standardized features, about 22 % of labels 1."""
    X, y, _ = make_wide_classification(200, 4, 2, seed=BASE_RATE_SEED, intercept=-1.8)
    return standardize(X)[0], y.astype(float)


SURVIVOR_RATE = 0.035
UNITS = np.tile([0.1, 1.0, 10.0, 3.0, 0.3], 4)
OFFSETS = np.tile([5.0, -2.0, 0.0, 40.0], 5)


def survivor_data():
    """The data of ``l1_logistic_survivors``: 200 rows, 20 features in mixed units, 4 informative."""
    X, y, w_true = make_wide_classification(200, 20, 4, seed=14)
    return X * UNITS + OFFSETS, y.astype(float), w_true


def _support(w):
    return set(np.flatnonzero(np.asarray(w)).tolist())


def _survivors():
    X, y, _ = survivor_data()
    Z, _, _ = standardize(X)
    return _support(fit_logistic(Z, y, SURVIVOR_RATE, "l1").w)


def _survivor_hint(got, expected):
    X, y, w_true = survivor_data()
    Z, _, _ = standardize(X)
    p = X.shape[1]
    if got == {j + 1 for j in expected}:
        return "Python counts from 0: the first feature is index 0."
    if got == set(range(p)) - expected:
        return "Those are the features set to 0; the question asks for the ones that survive (w_j ≠ 0)."
    if got == _support(w_true):
        return "Those are the truly informative features (w_true); the question asks what the L1 fit keeps."
    if got == _support(fit_logistic(X, y, SURVIVOR_RATE, "l1").w):
        return ("That is the fit on the raw features: standardize X first (the features are in different "
                "units, and the penalty treats every weight alike).")
    if got == set(range(p)):
        return "Every feature survives: that happens with penalty='l2'; use penalty='l1'."
    if got == _support(fit_logistic(Z, y, SURVIVOR_RATE, "l1", fit_intercept=False).w):
        return "That support comes from a fit without intercept: keep fit_intercept=True."
    return "Standardize X, fit fit_logistic(Z, y, 0.035, 'l1') and list np.flatnonzero(w)."


C_RATE, C_ROWS = 0.02, 250


def _c_expected():
    return 1.0 / (C_ROWS * C_RATE)


def _c_hint(got, expected):
    close = lambda a, b: abs(a - b) <= 1e-6 * abs(b)  # noqa: E731
    if close(got, 1.0 / C_RATE):
        return "That is 1/rate: scikit-learn sums the log-loss over the n samples, so C = 1/(n·rate)."
    if close(got, C_ROWS * C_RATE):
        return "That is n·rate, the inverse: a large C means a weak penalty, C = 1/(n·rate)."
    if close(got, C_RATE):
        return "C is not the rate: C multiplies the summed data term, C = 1/(n·rate)."
    if close(got, 1.0 / (2 * C_ROWS * C_RATE)) or close(got, 2.0 / (C_ROWS * C_RATE)):
        return ("No factor 2: both objectives carry the same ½ in the L2 penalty (rate/2·||w||² and "
                "½||w||²), so C = 1/(n·rate).")
    return "Divide scikit-learn's objective C·Σ logloss_i + ½||w||² by n·C and compare with ours."


# ---------------------------------------------------------------------------
# Tasks
# ---------------------------------------------------------------------------

_LOG_NAN = ("np.log(1 − p) is log(0) = −inf once p rounds to exactly 1 (scores above about 37), and "
            "0·log(0) is nan. Compute each term from the score instead: log(1 + e^z) − y·z, with "
            "np.logaddexp(0, z) for log(1 + e^z).")

TASKS = [
    FunctionTask(
        "sigmoid", EXERCISE,
        reference=sigmoid, cases=_score_cases, output="array", points=1,
        signature="sigmoid(z)", description="the logistic function 1/(1 + e^(−z)), entry by entry",
        nan_hint=("np.exp(800) overflows to inf, and inf/inf is nan. With 1/(1 + np.exp(-z)) a large "
                  "negative z gives 1/(1 + inf) = 0, which is right; or use np.where to pick the form "
                  "e^z/(1 + e^z) only where z < 0."),
        mistakes=[
            matches(lambda z: 1.0 / (1.0 + np.exp(z)), "the sign in the exponent is flipped (you get 1 − sigmoid)",
                    "sigmoid(z) = 1/(1 + e^(−z)): it is close to 1 for large positive z. Check the minus "
                    "sign in np.exp(-z)."),
            matches(lambda z: np.tanh(z), "tanh was used",
                    "tanh runs from −1 to 1; the sigmoid from 0 to 1: sigmoid(z) = 1/(1 + e^(−z)) "
                    "(= (1 + tanh(z/2))/2)."),
            matches(lambda z: 0.5 * (1.0 + np.tanh(z)), "(1 + tanh(z))/2 was used (z instead of z/2)",
                    "The identity is sigmoid(z) = (1 + tanh(z/2))/2: the tanh takes z/2."),
            matches(lambda z: np.exp(z), "e^z was returned (the 1 + in the denominator is missing)",
                    "sigmoid(z) = 1/(1 + e^(−z)): do not drop the 1 +."),
            matches(lambda z: np.logaddexp(0.0, z), "log(1 + e^z) was returned",
                    "That is the softplus log(1 + e^z), which appears in the log-loss; the sigmoid is "
                    "1/(1 + e^(−z))."),
            matches(lambda z: 1.0 / (1.0 - np.exp(-z)), "1/(1 − e^(−z)) was computed",
                    "The denominator is 1 + e^(−z), with a plus."),
        ],
    ),
    FunctionTask(
        "log_loss", EXERCISE,
        reference=log_loss, cases=_loss_cases, output="scalar", points=2,
        signature="log_loss(X, y, w, b)",
        description="mean log-loss 1/n·Σ[−y·log p − (1−y)·log(1−p)], p = sigmoid(Xw + b)",
        compare=allclose(rtol=1e-7, atol=1e-12),
        nan_hint=_LOG_NAN,
        mistakes=[
            sum_not_mean(hint="The log-loss is the *mean* over the n samples (np.mean, or divide the sum "
                         "by n), so that the rate means the same thing for any number of samples."),
            sign_flip(hint="A loss is never negative: log p is ≤ 0, so the formula has a minus in front: "
                      "−y·log p − (1−y)·log(1−p)."),
            matches(lambda X, y, w, b: log_loss(X, 1.0 - y, w, b), "the labels are swapped",
                    "y·log p goes with p = P(y = 1): the term for label 1 is −log p, for label 0 it is "
                    "−log(1 − p)."),
            matches(lambda X, y, w, b: log_loss(X, y, w, 0.0), "the intercept b is missing",
                    "The score is z = Xw + b: add the intercept."),
            scaled(1.0 / np.log(10.0), "log10 was used instead of the natural log",
                   "Use the natural logarithm np.log, not np.log10."),
            matches(lambda X, y, w, b: float(-np.mean(y * np.log(sigmoid(X @ w + b)))),
                    "the term for label 0, (1 − y)·log(1 − p), is missing",
                    "Both labels cost something: −y·log p − (1 − y)·log(1 − p)."),
            matches(lambda X, y, w, b: _naive_log_loss(X, y, w, b, clip=1e-15),
                    "p was clipped to [1e-15, 1 − 1e-15], which caps the cost of a confident mistake",
                    "Clipping p hides the size of confident mistakes (a score of 80 on the wrong side costs "
                    "80, not 34.5). " + _LOG_NAN),
        ],
    ),
    _GradientPairTask(
        "penalized_log_loss_gradient", EXERCISE,
        reference=penalized_log_loss_gradient, cases=_gradient_cases, output="fit", points=2,
        signature="penalized_log_loss_gradient(X, y, w, b, rate)",
        description="(Xᵀ(p − y)/n + rate·w, mean(p − y)): gradient of log_loss + rate/2·||w||², b unpenalized",
        mistakes=[
            matches(_gradient_variant("penalized b"), "the intercept is penalized (rate·b added to grad_b)",
                    "The penalty rate/2·||w||² does not contain b, so grad_b is the plain mean(p − y): "
                    "the intercept is never penalized."),
            matches(_gradient_variant("sum"), "sums where the formula has means (1/n missing)",
                    "The log-loss is a mean: grad_w = Xᵀ(p − y)/n + rate·w and grad_b = mean(p − y)."),
            matches(_gradient_variant("sum, w only"), "the 1/n is missing in grad_w",
                    "Divide Xᵀ(p − y) by n: grad_w = Xᵀ(p − y)/n + rate·w."),
            matches(_gradient_variant("y - p"), "the data gradient has the wrong sign (y − p instead of p − y)",
                    "The derivative of log(1 + e^z) − y·z with respect to z is p − y, not y − p."),
            matches(_gradient_variant("half"), "the penalty gradient is rate/2·w",
                    "The derivative of rate/2·w² is rate·w: the 2 of the square cancels the ½."),
            matches(_gradient_variant("double"), "the penalty gradient is 2·rate·w",
                    "With the ½ in the penalty rate/2·||w||², its gradient is rate·w (not 2·rate·w)."),
            matches(_gradient_variant("no penalty"), "the penalty gradient rate·w is missing",
                    "Add the gradient of rate/2·||w||², which is rate·w, to grad_w."),
            matches(_gradient_variant("minus penalty"), "the penalty gradient has the wrong sign",
                    "The penalty grows with ||w||: its gradient is +rate·w."),
            matches(_gradient_variant("l1"), "the L1 subgradient rate·sign(w) was used",
                    "This task is L2: the gradient of rate/2·||w||² is rate·w, not rate·sign(w)."),
            matches(_gradient_variant("no b"), "the intercept is left out of the score",
                    "The probabilities are p = sigmoid(Xw + b): include b."),
        ],
    ),
    PredictionTask(
        "predict_mean_probability", EXERCISE,
        answer="b", points=1,
        description="the mean predicted probability of an L2 logistic fit at a very large rate (rate = 100)",
        choices={
            "a": ("About 0.5 is where a *penalized* intercept would pull every probability. Here b is not "
                  "penalized, so at the fit the slope of the loss along b, mean(p − y), is zero: the mean of "
                  "the p_i stays at the share of 1s."),
            "b": ("The intercept is not penalized, so at the fit mean(p − y) = 0 — the mean predicted "
                  "probability equals the share of 1s at every rate. A large rate shrinks w towards 0, so "
                  "every p_i moves close to that share: the probabilities flatten, their mean stays."),
            "c": ("Shrinking the weights to 0 does not shrink the probabilities to 0: with w = 0 every point "
                  "gets p = sigmoid(b), and the unpenalized b settles where the mean p equals the share of 1s."),
            "d": ("The mean does not move with the rate: the unpenalized intercept keeps mean(p) at the share "
                  "of 1s for every rate. What the rate changes is the spread of the p_i around it."),
        },
    ),
    ValueTask(
        "l1_logistic_survivors", EXERCISE,
        expected=_survivors, points=1,
        description="the set of feature indices with w_j ≠ 0 in the L1 logistic fit at rate=0.035 (standardized X)",
        hint=_survivor_hint,
    ),
    WrittenTask(
        "explain_feature_scale", EXERCISE, points=2,
        description="why the L1 fit on the raw features drops feature 0, and what that says about standardizing",
    ),
    ValueTask(
        "logistic_C_for_rate", EXERCISE,
        expected=_c_expected, tolerance=1e-6, points=1,
        description="scikit-learn's C matching rate=0.02 with n=250 training rows",
        hint=_c_hint,
    ),
]

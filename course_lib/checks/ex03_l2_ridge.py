"""Checks for exercise 03_l2_ridge: the L2 penalty, weight decay, ridge in closed form, two
predictions (compounded decay, which weight ridge shrinks most) and a written answer; the
shrinkage factors and effective degrees of freedom are a going-further part worth no points.

Conventions checked: ``l2_penalty = rate/2·Σw²`` (gradient ``rate·w``), data term
``1/(2n)·||y − Xw − b||²``, so the ridge normal equations are ``(XcᵀXc + n·rate·I) w = Xcᵀyc``
on centered data and the intercept ``b = ȳ − x̄ᵀw`` is not penalized.
"""

from __future__ import annotations

import numpy as np

from ..data import make_polynomial_data, polynomial_features, standardize
from ..optimizers import sgd_step
from ..penalties import l2_gradient, l2_penalty
from ..trainers import fit_ridge, ridge_effective_dof, ridge_shrinkage_factors
from .framework import (
    Case,
    FunctionTask,
    PredictionTask,
    ValueTask,
    WrittenTask,
    allclose,
    doubled_half,
    matches,
    mean_not_sum,
    missing_half,
    sign_flip,
)

EXERCISE = "ex03_l2_ridge"


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------


def _weight_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(303) if rng is None else rng
    return [
        Case("all-zero weights, rate=0.5", (np.zeros(4), 0.5)),
        Case("a single weight, rate=2", (np.array([-1.5]), 2.0)),
        Case("mixed-sign weights, rate=0.3", (np.round(rng.normal(size=6), 3), 0.3)),
        Case("negative weights, rate=1", (-np.abs(np.round(rng.normal(size=5), 3)) - 0.1, 1.0)),
        Case("rate=0", (np.round(rng.normal(size=4), 3), 0.0)),
        Case("large rate=1000", (np.round(rng.normal(size=3), 3), 1000.0)),
        Case("50 weights, rate=0.01", (rng.normal(size=50), 0.01)),
    ]


def _decay_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(304) if rng is None else rng
    w, g = np.round(rng.normal(size=5), 3), np.round(rng.normal(size=5), 3)
    return [
        Case("all-zero weights, lr=0.1, rate=0.5", (np.zeros(4), np.array([0.5, -1.0, 0.0, 2.0]), 0.1, 0.5)),
        Case("zero loss gradient (pure decay), lr=0.1, rate=1", (w, np.zeros(5), 0.1, 1.0)),
        Case("mixed signs, lr=0.05, rate=0.3", (w, g, 0.05, 0.3)),
        Case("a single weight, lr=0.2, rate=2", (np.array([3.0]), np.array([-1.0]), 0.2, 2.0)),
        Case("rate=0 (plain gradient step), lr=0.1", (w, g, 0.1, 0.0)),
        Case("large rate: lr·rate = 1.5, lr=0.5, rate=3", (w, g, 0.5, 3.0)),
        Case("100 weights, lr=0.01, rate=0.1", (rng.normal(size=100), rng.normal(size=100), 0.01, 0.1)),
    ]


def _regression(rng, n, p, *, offset=0.0, y_offset=0.0, noise=0.5):
    X = rng.normal(size=(n, p)) + offset
    w_true = rng.normal(size=p)
    y = X @ w_true + y_offset + noise * rng.normal(size=n)
    return X, y


def _ridge_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(305) if rng is None else rng
    hand = np.array([[-1.0], [0.0], [1.0]])
    wide_X, wide_y = _regression(rng, 8, 12, offset=0.5, y_offset=-2.0)
    X, y = _regression(rng, 30, 5, offset=np.array([3.0, -1.0, 0.0, 2.0, 5.0]), y_offset=10.0)
    ls_X, ls_y = _regression(rng, 25, 3, offset=1.0, y_offset=1.0)
    big_X, big_y = _regression(rng, 20, 4, y_offset=3.0)
    base = rng.normal(size=40)
    corr_X = np.column_stack([base, base + 0.05 * rng.normal(size=40), rng.normal(size=40) + 2.0])
    corr_y = corr_X @ np.array([1.0, 1.0, -0.5]) + 0.3 * rng.normal(size=40) + 4.0
    return [
        Case("hand case: X = [-1, 0, 1] (one feature), y = X, rate=0.5", (hand, hand[:, 0].copy(), 0.5)),
        Case("5 features with nonzero means, targets around 10, rate=0.1", (X, y, 0.1)),
        Case("more features than samples (p=12 > n=8), rate=0.5", (wide_X, wide_y, 0.5)),
        Case("rate=0 (least squares), n=25, p=3", (ls_X, ls_y, 0.0)),
        Case("large rate=1e4, n=20, p=4", (big_X, big_y, 1e4)),
        Case("two nearly identical features, rate=0.05", (corr_X, corr_y, 0.05)),
    ]


def _shrinkage_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(306) if rng is None else rng
    return [
        Case("one feature, n=10, rate=0.1", (rng.normal(size=(10, 1)) + 2.0, 0.1)),
        Case("4 features with nonzero means, n=20, rate=0.1",
             (rng.normal(size=(20, 4)) + [1.0, -2.0, 0.5, 3.0], 0.1)),
        Case("more features than samples (p=10 > n=6), rate=0.5", (rng.normal(size=(6, 10)) + 1.0, 0.5)),
        Case("rate=0, n=15, p=3", (rng.normal(size=(15, 3)), 0.0)),
        Case("large rate=100, n=12, p=5", (rng.normal(size=(12, 5)) * [1.0, 2.0, 3.0, 4.0, 5.0], 100.0)),
        Case("columns of very different scales, n=30, p=4, rate=0.01",
             (rng.normal(size=(30, 4)) * [0.1, 1.0, 10.0, 3.0], 0.01)),
    ]


# ---------------------------------------------------------------------------
# References and known wrong variants
# ---------------------------------------------------------------------------


def weight_decay_step(w, grad_loss, lr, rate):
    """``(1 − lr·rate)·w − lr·grad_loss``: a gradient step on ``loss + rate/2·||w||²``."""
    return sgd_step(w, grad_loss, lr, weight_decay=rate)


def _solve(X, y, ridge):
    return np.linalg.lstsq(X.T @ X + ridge * np.eye(X.shape[1]), X.T @ y, rcond=None)[0]


def _penalized_intercept(X, y, rate):
    n = X.shape[0]
    X1 = np.column_stack([np.ones(n), X])
    theta = _solve(X1, y, n * rate)
    return theta[1:], theta[0]


def _no_intercept(X, y, rate):
    return _solve(X, y, X.shape[0] * rate), 0.0


def _uncentered_then_b(X, y, rate):
    w = _solve(X, y, X.shape[0] * rate)
    return w, y.mean() - X.mean(axis=0) @ w


def _only_y_centered(X, y, rate):
    w = _solve(X, y - y.mean(), X.shape[0] * rate)
    return w, y.mean() - X.mean(axis=0) @ w


def _b_is_mean_y(X, y, rate):
    w, _ = fit_ridge(X, y, rate)
    return w, y.mean()


def _ridge_at(factor):
    return lambda X, y, rate: fit_ridge(X, y, rate * factor(X))


def _shrinkage(X, rate, *, center=True, power=2.0, n_rate=True):
    Xc = X - X.mean(axis=0) if center else X
    d = np.linalg.svd(Xc, compute_uv=False) ** power
    ridge = X.shape[0] * rate if n_rate else rate
    return d / (d + ridge)


# ---------------------------------------------------------------------------
# Value task
# ---------------------------------------------------------------------------

DOF_RATE = 0.01


def dof_data():
    """The data of the ``ridge_dof_answer`` task: standardized degree-9 polynomial features."""
    x, _ = make_polynomial_data(30, seed=3)
    Z, _, _ = standardize(polynomial_features(x, 9, x_range=(0.0, 1.0)))
    return Z


def _dof_expected():
    return ridge_effective_dof(dof_data(), DOF_RATE)


def _dof_hint(got, expected):
    X = dof_data()
    n, p = X.shape
    close = lambda a, b: abs(a - b) <= 1e-3 * abs(b)  # noqa: E731
    if close(got, float(np.sum(_shrinkage(X, DOF_RATE, n_rate=False)))):
        return "That is the dof with rate instead of n·rate in s_j = d_j² / (d_j² + n·rate)."
    if close(got, float(p)) or close(got, float(np.linalg.matrix_rank(X - X.mean(axis=0)))):
        return "That is the number of features (the dof at rate=0): sum the shrinkage factors at rate=0.01."
    if close(got, float(np.sum(_shrinkage(X, DOF_RATE, power=1.0)))):
        return "Use the squared singular values d_j² in the shrinkage factors."
    if close(got, p - expected):
        return "You summed 1 − s_j: the dof is the sum of the shrinkage factors s_j themselves."
    return "The effective dof is the sum of your ridge_shrinkage_factors(X, 0.01) on the standardized X."


# ---------------------------------------------------------------------------
# Tasks
# ---------------------------------------------------------------------------

_HALF = ("The penalty is rate/2 · Σ w_j²: the 1/2 is there so that the gradient is exactly rate · w.")

TASKS = [
    FunctionTask(
        "l2_penalty", EXERCISE,
        reference=l2_penalty, cases=_weight_cases, output="scalar", points=1,
        signature="l2_penalty(w, rate)", description="the L2 penalty rate/2 · Σ w_j²",
        mistakes=[
            missing_half(hint=_HALF),
            doubled_half(hint="Your value is half the expected one: the penalty has a single 1/2, "
                         "rate/2 · Σ w_j²."),
            sign_flip(hint="A penalty is never negative: rate/2 · Σ w_j² adds up squares."),
            matches(lambda w, rate: rate / 2 * np.linalg.norm(w),
                    "the norm ||w|| was used instead of its square",
                    "Σ w_j² is the *squared* norm: np.sum(w**2) (or w @ w), not np.linalg.norm(w)."),
            matches(lambda w, rate: rate * np.linalg.norm(w),
                    "rate·||w|| was computed instead of rate/2·||w||²",
                    "Square the weights and keep the 1/2: rate/2 · Σ w_j² (np.sum(w**2))."),
            matches(lambda w, rate: rate / 2 * np.sum(np.abs(w)),
                    "absolute values were used instead of squares",
                    "That is the L1 penalty (halved): L2 squares each weight, rate/2 · Σ w_j²."),
            matches(lambda w, rate: rate / 2 * np.sum(w), "the weights were summed without squaring",
                    "Square each weight before summing: rate/2 · Σ w_j²."),
            mean_not_sum(lambda case: np.size(case.args[0]),
                         hint="Sum the squares (np.sum), do not average them (np.mean)."),
            matches(lambda w, rate: 0.5 * np.sum(w**2), "the rate is missing",
                    "Multiply by the rate: rate/2 · Σ w_j²."),
        ],
    ),
    FunctionTask(
        "l2_gradient", EXERCISE,
        reference=l2_gradient, cases=_weight_cases, output="array", points=1,
        signature="l2_gradient(w, rate)", description="the gradient rate · w of the L2 penalty",
        mistakes=[
            missing_half(hint="The derivative of rate/2 · w_j² is rate · w_j: the 2 of the square "
                         "cancels the 1/2, so there is no factor 2 left."),
            doubled_half(hint="You kept the 1/2: differentiating rate/2 · w_j² brings down a 2, "
                         "which cancels it. The gradient is rate · w."),
            sign_flip(hint="The gradient of rate/2 · Σ w_j² is +rate · w (it points away from 0; "
                      "the descent step goes against it)."),
            matches(lambda w, rate: rate * np.sign(w), "the L1 gradient rate·sign(w) was used",
                    "rate · sign(w) is the L1 subgradient; the L2 gradient is rate · w."),
            matches(lambda w, rate: w, "the rate is missing", "Multiply by the rate: rate · w."),
            matches(lambda w, rate: rate / 2 * w**2, "the penalty itself was returned entry by entry",
                    "Differentiate rate/2 · w_j² with respect to w_j: the result is rate · w_j."),
        ],
    ),
    FunctionTask(
        "weight_decay_step", EXERCISE,
        reference=weight_decay_step, cases=_decay_cases, output="array", points=2,
        signature="weight_decay_step(w, grad_loss, lr, rate)",
        description="one gradient step on loss + rate/2·||w||²: (1 − lr·rate)·w − lr·grad_loss",
        mistakes=[
            matches(lambda w, g, lr, rate: w - lr * g, "there is no weight decay",
                    "The penalty's gradient rate · w also enters the step: w − lr·(grad_loss + rate·w) "
                    "= (1 − lr·rate)·w − lr·grad_loss."),
            matches(lambda w, g, lr, rate: (1 - lr * rate) * w + lr * g,
                    "the step goes up the loss gradient", "Step *against* the gradient: − lr·grad_loss."),
            matches(lambda w, g, lr, rate: (1 + lr * rate) * w - lr * g, "the decay has the wrong sign",
                    "Weight decay shrinks w: the factor is (1 − lr·rate), smaller than 1."),
            matches(lambda w, g, lr, rate: (1 - rate) * w - lr * g,
                    "the decay factor misses the learning rate",
                    "The penalty's gradient is multiplied by lr like the loss's: "
                    "the factor is (1 − lr·rate)."),
            matches(lambda w, g, lr, rate: (1 - lr * rate) * (w - lr * g),
                    "the weights were shrunk after the gradient step",
                    "Both gradients are taken at the current w: (1 − lr·rate)·w − lr·grad_loss, "
                    "not (1 − lr·rate)·(w − lr·grad_loss)."),
            matches(lambda w, g, lr, rate: (1 - 2 * lr * rate) * w - lr * g,
                    "the penalty gradient is 2·rate·w",
                    "The gradient of rate/2·||w||² is rate·w (the 2 cancels the 1/2): "
                    "factor (1 − lr·rate)."),
            matches(lambda w, g, lr, rate: (1 - lr * rate / 2) * w - lr * g,
                    "the penalty gradient is rate/2·w",
                    "The gradient of rate/2·||w||² is rate·w (the 2 of the square cancels the 1/2)."),
            matches(lambda w, g, lr, rate: (1 - lr * rate) * w, "the loss gradient is missing",
                    "Subtract lr · grad_loss as well: (1 − lr·rate)·w − lr·grad_loss."),
            matches(lambda w, g, lr, rate: w - lr * (g + rate * np.sign(w)), "an L1 (sign) decay was used",
                    "L2 decay is proportional to w itself (rate·w), not to sign(w)."),
        ],
    ),
    PredictionTask(
        "predict_decay", EXERCISE, answer="c", points=1,
        description="before the experiment: how much of a weight is left after 100 steps of pure decay at "
                    "lr = 0.1, rate = 0.5",
        choices={
            "a": "95 % is what one step leaves. The factor compounds: 100 steps multiply every weight by 0.95 "
                 "a hundred times.",
            "b": "About half is left after some 14 steps (0.95 to the power 14 is about 0.49). After 100 steps "
                 "the factor 0.95 has been applied a hundred times.",
            "c": "0.95 to the power 100 is about 0.6 %: with no loss gradient pulling back, weight decay "
                 "shrinks every weight geometrically toward 0. In training, the loss gradient balances it.",
            "d": "With a zero loss gradient the step is (1 − lr·rate)·w: the penalty's own gradient rate·w "
                 "still shrinks the weights, by the factor 0.95 at every step.",
        },
    ),
    FunctionTask(
        "fit_ridge", EXERCISE,
        reference=fit_ridge, cases=_ridge_cases, output="fit", points=3,
        signature="fit_ridge(X, y, rate)",
        description="ridge in closed form with an unpenalized intercept: returns (w, b)",
        compare=allclose(rtol=1e-6, atol=1e-9),
        mistakes=[
            matches(_penalized_intercept, "the intercept is penalized",
                    "Never penalize b. Appending a column of ones and adding n·rate·I to every diagonal "
                    "entry shrinks b too. Center X and y, solve (XcᵀXc + n·rate·I) w = Xcᵀyc, "
                    "then b = ȳ − x̄ᵀw."),
            matches(_no_intercept, "the intercept is missing (b = 0, data not centered)",
                    "Fit the intercept: center X and y (subtract the column means and ȳ), solve for w "
                    "on the centered data, then b = ȳ − x̄ᵀw."),
            matches(_uncentered_then_b, "w was solved on uncentered data",
                    "Center X and y before solving for w: Xc = X − x̄, yc = y − ȳ; "
                    "then b = ȳ − x̄ᵀw."),
            matches(_only_y_centered, "y was centered but X was not",
                    "Center the columns of X too: Xc = X − X.mean(axis=0)."),
            matches(_b_is_mean_y, "b = ȳ (w is right)",
                    "With centered features the intercept is b = ȳ − x̄ᵀw, not ȳ alone."),
            matches(_ridge_at(lambda X: 1.0 / X.shape[0]), "rate was used where the closed form has n·rate",
                    "Because the data term is 1/(2n)·||y − Xw − b||², the normal equations are "
                    "(XcᵀXc + n·rate·I) w = Xcᵀyc: the identity is multiplied by n·rate, not rate. "
                    "(scikit-learn's Ridge(alpha) matches alpha = n·rate.)"),
            matches(_ridge_at(lambda X: 2.0), "the solution is the ridge fit at 2·rate (a factor 2)",
                    "The objective is 1/(2n)·||y − Xw − b||² + rate/2·||w||²; its normal equations "
                    "are (XcᵀXc + n·rate·I) w = Xcᵀyc. Check the factors 2 "
                    "(e.g. a penalty rate·||w||² without its 1/2)."),
            matches(_ridge_at(lambda X: 0.5), "the solution is the ridge fit at rate/2 (a factor 2)",
                    "The objective is 1/(2n)·||y − Xw − b||² + rate/2·||w||²; its normal equations "
                    "are (XcᵀXc + n·rate·I) w = Xcᵀyc. Check the factors 2 "
                    "(e.g. 2n·rate on the diagonal)."),
            matches(_ridge_at(lambda X: 0.0), "the rate is not used (least squares)",
                    "Add n·rate·I to XcᵀXc before solving."),
        ],
    ),
    PredictionTask(
        "predict_most_shrunk", EXERCISE, answer="c", points=1,
        description="before the experiment: which of three uncorrelated features of variances 9, 1 and 0.09 "
                    "ridge shrinks most at rate 0.1",
        choices={
            "a": "Feature 1 varies the most (variance 9): the data pin its weight down firmly, and ridge keeps "
                 "9/(9 + 0.1), about 99 % of it.",
            "b": "Feature 2 (variance 1) keeps 1/(1 + 0.1), about 91 % of its weight: shrunk, but less than a "
                 "feature that barely varies.",
            "c": "Feature 3 barely varies (variance 0.09): the data say little about its weight, and ridge "
                 "keeps only 0.09/(0.09 + 0.1), about 47 % of it. The weakest direction is shrunk most.",
            "d": "Ridge shrinks each direction of the data by spread/(spread + rate): three features of very "
                 "different spreads have their weights shrunk by very different fractions.",
        },
    ),
    WrittenTask(
        "explain_standardize", EXERCISE, points=2,
        description="what switching a feature from kilometres to metres does to its variance and its "
                    "shrinkage, and why features are standardized before ridge",
    ),
    FunctionTask(
        "ridge_shrinkage_factors", EXERCISE,
        reference=ridge_shrinkage_factors, cases=_shrinkage_cases, output="array", points=0,
        signature="ridge_shrinkage_factors(X, rate)",
        description="d_j² / (d_j² + n·rate) for the singular values d_j of the centered X, largest first",
        compare=allclose(rtol=1e-7, atol=1e-10),
        mistakes=[
            matches(lambda X, rate: _shrinkage(X, rate, center=False), "X was not centered",
                    "Use the singular values of the centered X (X − X.mean(axis=0)): the intercept "
                    "is fitted separately and never shrunk."),
            matches(lambda X, rate: _shrinkage(X, rate, n_rate=False), "rate was used instead of n·rate",
                    "With the 1/(2n) data term the factors are d_j² / (d_j² + n·rate)."),
            matches(lambda X, rate: _shrinkage(X, rate, power=1.0), "d_j was used instead of d_j²",
                    "Square the singular values: s_j = d_j² / (d_j² + n·rate)."),
            matches(lambda X, rate: 1.0 - ridge_shrinkage_factors(X, rate), "1 − s_j was returned",
                    "Return the factor that multiplies each direction, d_j² / (d_j² + n·rate) "
                    "(close to 1 for large d_j), not the amount removed."),
            matches(lambda X, rate: ridge_shrinkage_factors(X, rate)[::-1], "the order is reversed",
                    "List the factors for the singular values from largest to smallest, the order "
                    "np.linalg.svd returns them in (eigenvalues from np.linalg.eigvalsh come "
                    "smallest first)."),
        ],
    ),
    ValueTask(
        "ridge_dof_answer", EXERCISE,
        expected=_dof_expected, tolerance=1e-3, points=0,
        description="effective degrees of freedom of ridge at rate=0.01 on standardized polynomial features",
        hint=_dof_hint,
    ),
]

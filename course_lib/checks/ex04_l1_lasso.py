"""Checks for exercise 04_l1_lasso: the L1 penalty, soft-thresholding, coordinate descent, exact zeros.

Conventions checked: ``l1_penalty = rate·Σ|w|`` with subgradient ``rate·sign(w)`` (0 at 0),
``soft_threshold(v, t) = sign(v)·max(|v| − t, 0)``, lasso objective
``1/(2n)·||y − Xw − b||² + rate·||w||₁`` with an unpenalized intercept.
"""

from __future__ import annotations

import numpy as np

from ..data import make_sparse_regression
from ..penalties import l1_penalty, l1_subgradient, soft_threshold
from ..trainers import fit_lasso, lasso_coordinate_update
from .framework import (
    Case,
    FunctionTask,
    Mistake,
    PredictionTask,
    Requirement,
    ValueTask,
    WrittenTask,
    allclose,
    doubled_half,
    matches,
    mean_not_sum,
    missing_half,
    sign_flip,
    sign_zero_as_one,
)

EXERCISE = "ex04_l1_lasso"


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------


def _weight_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(401) if rng is None else rng
    mixed = np.round(rng.normal(size=7), 3)
    mixed[[1, 4]] = 0.0
    return [
        Case("all-zero weights, rate=0.5", (np.zeros(4), 0.5)),
        Case("a single weight, rate=2", (np.array([-1.5]), 2.0)),
        Case("mixed-sign weights with exact zeros, rate=0.3", (mixed, 0.3)),
        Case("negative weights, rate=1", (-np.abs(np.round(rng.normal(size=5), 3)) - 0.1, 1.0)),
        Case("rate=0", (np.round(rng.normal(size=4), 3), 0.0)),
        Case("large rate=1000", (np.array([0.5, 0.0, -2.0]), 1000.0)),
        Case("50 weights, rate=0.01", (rng.normal(size=50), 0.01)),
    ]


def _threshold_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(402) if rng is None else rng
    return [
        Case("hand case: v = [-2, -0.5, 0, 0.5, 2], threshold=1",
             (np.array([-2.0, -0.5, 0.0, 0.5, 2.0]), 1.0)),
        Case("threshold=0 (nothing changes)", (np.round(rng.normal(size=5), 3), 0.0)),
        Case("every entry below the threshold", (np.array([0.3, -0.2, 0.0, 0.45]), 0.5)),
        Case("entries exactly at ±threshold", (np.array([0.7, -0.7, 1.2, -0.1]), 0.7)),
        Case("mixed signs, threshold=0.3", (np.round(rng.normal(size=8), 3), 0.3)),
        Case("a single entry, threshold=0.25", (np.array([-3.0]), 0.25)),
        Case("large threshold=100", (rng.normal(size=4) * 10, 100.0)),
    ]


def _coordinate_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(403) if rng is None else rng
    scales = np.array([1.0, 2.5, 0.5])
    X3 = rng.normal(size=(12, 3)) * scales
    w3 = np.array([0.8, -1.2, 0.4])
    y3 = X3 @ np.array([1.0, -2.0, 0.5]) + 0.3 * rng.normal(size=12)
    X1 = np.array([[1.0], [2.0], [-1.0], [0.5]])
    y1 = np.array([2.0, 3.5, -1.5, 1.0])
    wide_X = rng.normal(size=(5, 8)) * 1.5
    wide_w = np.round(rng.normal(size=8), 2)
    wide_y = rng.normal(size=5)
    return [
        Case("one feature, w = [0], rate=0.1", (X1, y1, np.zeros(1), 0, 0.1)),
        Case("3 features, nonzero w, update j=1, rate=0.2", (X3, y3, w3, 1, 0.2)),
        Case("3 features, update j=2 lands exactly on 0 (rate=3)", (X3, y3, w3, 2, 3.0)),
        Case("3 features, update j=0, rate=0 (a least-squares step)", (X3, y3, w3, 0, 0.0)),
        Case("with an intercept b=2, update j=2, rate=0.1", (X3, y3 + 2.0, w3, 2, 0.1), {"b": 2.0}),
        Case("negative correlation: update j=1 from w = 0, rate=0.5", (X3, y3, np.zeros(3), 1, 0.5)),
        Case("more features than samples (p=8 > n=5), update j=6, rate=0.05",
             (wide_X, wide_y, wide_w, 6, 0.05)),
    ]


def _lasso_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(404) if rng is None else rng
    hand = np.array([[-1.0], [0.0], [1.0]])
    X, y, _ = make_sparse_regression(50, 8, 3, correlation=0.3, noise=0.5, seed=rng, intercept=5.0)
    X = X + np.array([2.0, -1.0, 0.0, 0.5, 3.0, 0.0, -2.0, 1.0])
    wide_X, wide_y, _ = make_sparse_regression(15, 30, 3, correlation=0.2, noise=0.3, seed=rng,
                                               intercept=-1.0)
    corr_X, corr_y, _ = make_sparse_regression(40, 5, 2, correlation=0.8, noise=0.5, seed=rng)
    single = rng.normal(size=(20, 1)) * 2.0 + 1.0
    single_y = 0.7 * single[:, 0] + 0.5 * rng.normal(size=20) + 3.0
    return [
        Case("hand case: X = [-1, 0, 1], y = X, rate=0.1", (hand, hand[:, 0].copy(), 0.1)),
        Case("hand case: X = [-1, 0, 1], y = X, rate=1 (all weights 0)", (hand, hand[:, 0].copy(), 1.0)),
        Case("8 features with nonzero means, 3 informative, targets around 5, rate=0.1", (X, y, 0.1)),
        Case("more features than samples (p=30 > n=15), rate=0.25", (wide_X, wide_y, 0.25)),
        Case("strongly correlated features, rate=0.03", (corr_X, corr_y, 0.03)),
        Case("one feature with offset, rate=0.3", (single, single_y, 0.3)),
    ]


# ---------------------------------------------------------------------------
# Known wrong variants
# ---------------------------------------------------------------------------


def _soft(z, t):
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


def _coordinate_parts(X, y, w, j, b):
    n = X.shape[0]
    partial = y - b - X @ w + X[:, j] * w[j]
    return X[:, j] @ partial / n, X[:, j] @ X[:, j] / n, partial


def _update_variant(kind):
    def update(X, y, w, j, rate, b=0.0):
        n = X.shape[0]
        rho, z, partial = _coordinate_parts(X, y, w, j, b)
        if kind == "full residual":
            return _soft(X[:, j] @ (y - b - X @ w) / n, rate) / z
        if kind == "no curvature":
            return _soft(rho, rate)
        if kind == "sum":
            return _soft(n * rho, rate) / (n * z)
        if kind == "hard":
            return rho / z if abs(rho) > rate else 0.0
        if kind == "no zero":
            return (rho - rate * np.sign(rho)) / z
        if kind == "no b":
            return lasso_coordinate_update(X, y, w, j, rate)
        if kind == "divide first":
            return _soft(rho / z, rate)
        raise ValueError(kind)

    return update


def _cd_variant(kind, sweeps=400):
    """Cyclic coordinate descent on centered data with a wrong coordinate update."""

    def fit(X, y, rate):
        x_mean, y_mean = X.mean(axis=0), y.mean()
        Xc, yc = X - x_mean, y - y_mean
        n, p = Xc.shape
        z = np.einsum("ij,ij->j", Xc, Xc) / n
        w = np.zeros(p)
        r = yc.copy()
        for _ in range(sweeps):
            biggest = 0.0
            for j in range(p):
                if z[j] == 0:
                    continue
                rho = Xc[:, j] @ r / n + z[j] * w[j]
                if kind == "hard":
                    new = rho / z[j] if abs(rho) > rate else 0.0
                else:  # "divide first": threshold rho / z at rate
                    new = float(_soft(rho / z[j], rate))
                if new != w[j]:
                    r -= Xc[:, j] * (new - w[j])
                    biggest = max(biggest, abs(new - w[j]))
                    w[j] = new
            if biggest < 1e-13:
                break
        return w, y_mean - x_mean @ w

    return fit


def _lasso_penalized_intercept(X, y, rate):
    theta = fit_lasso(np.column_stack([np.ones(X.shape[0]), X]), y, rate, fit_intercept=False).w
    return theta[1:], theta[0]


def _lasso_no_intercept(X, y, rate):
    return fit_lasso(X, y, rate, fit_intercept=False).w, 0.0


def _lasso_uncentered_then_b(X, y, rate):
    w = fit_lasso(X, y, rate, fit_intercept=False).w
    return w, y.mean() - X.mean(axis=0) @ w


def _lasso_at(factor):
    return lambda X, y, rate: fit_lasso(X, y, rate * factor(X))


# ---------------------------------------------------------------------------
# Extra requirements on a lasso solution
# ---------------------------------------------------------------------------

_KKT_RTOL = 2e-3


def _kkt_scale(X, y):
    Xc = X - X.mean(axis=0)
    return max(float(np.max(np.abs(Xc.T @ (y - y.mean())))) / X.shape[0], 1e-12)


def _same_zeros(case, expected, got):
    return bool(np.array_equal(got[0] == 0, expected[0] == 0))


def _no_exact_zeros(case, expected, got, close):
    """Weights the lasso sets exactly to 0 are all nonzero: a solver without soft-thresholding."""
    zero = expected[0] == 0
    return bool(np.any(zero) and np.all(got[0][zero] != 0))


def _objective(X, y, rate, w, b):
    r = y - X @ w - b
    return float(r @ r) / (2 * X.shape[0]) + rate * float(np.sum(np.abs(w)))


def _not_converged(case, expected, got, close):
    """A little above the optimal objective: the solver stopped too early."""
    X, y, rate = case.args
    best = _objective(X, y, rate, *expected)
    mine = _objective(X, y, rate, *got)
    return best < mine <= best + 0.05 * max(best, 1e-12)


def _kkt_holds(case, expected, got):
    X, y, rate = case.args
    w, b = got
    n = X.shape[0]
    r = y - X @ w - b
    tol = _KKT_RTOL * _kkt_scale(X, y)
    g = X.T @ r / n
    active = w != 0
    return bool(
        abs(np.mean(r)) <= tol
        and np.all(np.abs(g[active] - rate * np.sign(w[active])) <= tol)
        and np.all(np.abs(g[~active]) <= rate + tol)
    )


# ---------------------------------------------------------------------------
# Value task: which features survive?
# ---------------------------------------------------------------------------

SURVIVOR_RATE = 0.2


def survivor_data():
    """The data of the ``surviving_features`` task: ``(X, y, w_true)``."""
    return make_sparse_regression(60, 10, 3, correlation=0.5, noise=1.0, seed=0, intercept=2.0)


def _support(fit):
    return {int(j) for j in np.flatnonzero(fit[0])}


def _survivors():
    X, y, _ = survivor_data()
    return _support(fit_lasso(X, y, SURVIVOR_RATE))


def _survivor_hint(got, expected):
    X, y, w_true = survivor_data()
    p = X.shape[1]
    if got == {j + 1 for j in expected}:
        return "Python counts from 0: the first feature is index 0."
    if got == set(range(p)) - expected:
        return "Those are the features set to 0; the question asks for the ones that survive (w_j ≠ 0)."
    if got == _support((w_true, 0.0)):
        return "Those are the truly informative features (w_true); the question asks what the lasso keeps."
    if got == _support(fit_lasso(X, y, SURVIVOR_RATE / X.shape[0])):
        return "That support comes from rate/n: is your data term 1/(2n)·||y − Xw − b||²?"
    if got == _support(fit_lasso(X, y, SURVIVOR_RATE, fit_intercept=False)):
        return "That support comes from a fit without intercept: fit b (unpenalized)."
    if got < expected:
        return "Some surviving features are missing: is your fit converged, and is rate=0.2?"
    if got > expected:
        return ("There are extra features: a weight counts only if it is exactly nonzero — "
                "does your solver produce exact zeros (soft-thresholding)?")
    return "Fit your fit_lasso on (X, y) at rate=0.2 and list np.flatnonzero(w)."


# ---------------------------------------------------------------------------
# Prediction and written answer: gradient descent and exact zeros
# ---------------------------------------------------------------------------

_DESCENT_CHOICES = {
    "a": "No. Gradient descent with rate·sign(w) cannot settle on 0: whenever a weight is near 0, the "
         "penalty's step is a full learning rate × rate against its sign, so the weight is thrown across 0 "
         "and back. The lasso's zeros are exact only with soft-thresholding.",
    "b": "Gradient descent with rate·sign(w) leaves every weight small but nonzero: near 0 the penalty's "
         "step is always a full learning rate × rate against the sign, so a weight jumps back and forth "
         "across 0 instead of landing on it. Only soft-thresholding (coordinate descent, proximal "
         "gradient) sets the weights whose pull is weaker than the rate to exactly 0.",
    "c": "No. The three informative features have strong pulls and stay far from 0 under any method at "
         "this rate; and even the weak ones are never set exactly to 0 by rate·sign(w) steps: they jump "
         "across 0 and back.",
    "d": "No. Subgradient descent does not remove more features than the lasso: it removes none. Its weights "
         "near 0 jump back and forth across 0, a full learning rate × rate at every step.",
}

# ---------------------------------------------------------------------------
# Tasks
# ---------------------------------------------------------------------------

_ABS = "Take |w_j| (np.abs) before summing: negative weights cost as much as positive ones."

TASKS = [
    FunctionTask(
        "l1_penalty", EXERCISE,
        reference=l1_penalty, cases=_weight_cases, output="scalar", points=1,
        signature="l1_penalty(w, rate)", description="the L1 penalty rate · Σ|w_j|",
        mistakes=[
            doubled_half(hint="The L1 penalty has no 1/2: it is rate · Σ|w_j| (the 1/2 belongs to L2)."),
            missing_half(hint="Your value is twice the expected one: the L1 penalty is rate · Σ|w_j|."),
            sign_flip(hint="A penalty is never negative: " + _ABS),
            matches(lambda w, rate: rate * np.sum(w), "the absolute values are missing", _ABS),
            matches(lambda w, rate: rate / 2 * np.sum(w**2), "the L2 penalty was computed",
                    "That is the L2 penalty rate/2·Σw_j²; L1 is rate · Σ|w_j|."),
            matches(lambda w, rate: rate * np.sum(w**2), "the weights were squared",
                    "L1 takes absolute values, not squares: rate · Σ|w_j|."),
            mean_not_sum(lambda case: np.size(case.args[0]),
                         hint="Sum the absolute values (np.sum), do not average them (np.mean)."),
            matches(lambda w, rate: np.sum(np.abs(w)), "the rate is missing", "Multiply by the rate."),
        ],
    ),
    FunctionTask(
        "l1_subgradient", EXERCISE,
        reference=l1_subgradient, cases=_weight_cases, output="array", points=1,
        signature="l1_subgradient(w, rate)", description="rate · sign(w), with 0 where w == 0",
        nan_hint="w / |w| is 0/0 = NaN where w == 0: use np.sign(w), which is 0 there.",
        mistakes=[
            sign_zero_as_one(),
            sign_flip(hint="The subgradient of rate·|w_j| is +rate·sign(w_j): positive for positive w_j."),
            matches(lambda w, rate: np.sign(w), "the rate is missing",
                    "Multiply by the rate: rate · sign(w)."),
            matches(lambda w, rate: rate * w, "the L2 gradient rate·w was computed",
                    "rate · w is the L2 gradient; the L1 subgradient is rate · sign(w), of size rate "
                    "whatever the size of w."),
            doubled_half(hint="There is no 1/2 in the L1 penalty, so none in its subgradient: "
                         "rate · sign(w)."),
            missing_half(hint="Your result is twice the expected one: the subgradient is rate · sign(w)."),
        ],
    ),
    FunctionTask(
        "soft_threshold", EXERCISE,
        reference=soft_threshold, cases=_threshold_cases, output="array", points=2,
        signature="soft_threshold(v, threshold)",
        description="sign(v_j) · max(|v_j| − threshold, 0), entry by entry",
        mistakes=[
            matches(lambda v, t: np.where(np.abs(v) > t, v, 0.0), "entries were zeroed but not shrunk",
                    "That is *hard* thresholding. Soft-thresholding also moves the surviving entries "
                    "threshold towards 0: sign(v)·max(|v| − threshold, 0)."),
            matches(lambda v, t: v - t * np.sign(v), "entries were shrunk but not stopped at 0",
                    "Small entries must become exactly 0, not cross to the other side: "
                    "sign(v)·max(|v| − threshold, 0)."),
            matches(lambda v, t: np.maximum(v - t, 0.0), "negative entries were all set to 0",
                    "Work with |v| and put the sign back: sign(v)·max(|v| − threshold, 0)."),
            matches(lambda v, t: v - t, "the threshold was subtracted from every entry",
                    "Shrink towards 0 (subtract from |v|, keep the sign) and stop at 0: "
                    "sign(v)·max(|v| − threshold, 0)."),
            matches(lambda v, t: np.clip(v, -t, t), "v was clipped to [−threshold, threshold]",
                    "Clipping keeps the small entries; soft-thresholding zeroes them and shrinks the "
                    "others: sign(v)·max(|v| − threshold, 0)."),
            matches(lambda v, t: np.sign(v) * np.maximum(np.abs(v), t), "max(|v|, threshold) was used",
                    "Subtract the threshold inside the max: max(|v| − threshold, 0)."),
            sign_flip(hint="Keep the sign of each entry: sign(v)·max(|v| − threshold, 0)."),
        ],
    ),
    FunctionTask(
        "lasso_coordinate_update", EXERCISE,
        reference=lasso_coordinate_update, cases=_coordinate_cases, output="scalar", points=2,
        signature="lasso_coordinate_update(X, y, w, j, rate, b=0.0)",
        description="the new w_j: S(x_jᵀr_(j)/n, rate) / (x_jᵀx_j/n) with the partial residual r_(j)",
        scalar_hint="Return the new value of w_j alone (one number), not the whole vector w.",
        mistakes=[
            matches(_update_variant("full residual"), "the residual still contains feature j's own part",
                    "Use the partial residual r_(j) = y − b − Σ_{k≠j} x_k w_k: add x_j·w_j back to "
                    "the full residual y − b − Xw (feature j's old value must not count)."),
            matches(_update_variant("no curvature"), "the division by x_jᵀx_j/n is missing",
                    "Divide the soft-thresholded correlation by the curvature x_jᵀx_j / n (1 only for "
                    "standardized columns)."),
            matches(_update_variant("divide first"),
                    "the threshold was applied after dividing by x_jᵀx_j/n",
                    "Threshold first, then divide: S(x_jᵀr_(j)/n, rate) / (x_jᵀx_j/n), "
                    "not S((x_jᵀr_(j)/n) / (x_jᵀx_j/n), rate)."),
            matches(_update_variant("sum"),
                    "sums were used where the formula has means (threshold at n·rate)",
                    "With the 1/(2n) data term the correlation is x_jᵀr_(j) / n: dividing both it and "
                    "x_jᵀx_j by n changes where the threshold bites."),
            matches(_update_variant("hard"), "the correlation was thresholded but not shrunk",
                    "That is hard thresholding: use soft-thresholding, "
                    "S(ρ, rate) = sign(ρ)·max(|ρ| − rate, 0)."),
            matches(_update_variant("no zero"), "w_j was shrunk but not set to 0 when |ρ| <= rate",
                    "Use soft-thresholding, max(|ρ| − rate, 0): when |ρ| <= rate the new w_j is "
                    "exactly 0."),
            matches(_update_variant("no b"), "the intercept b is ignored",
                    "Subtract b too: r_(j) = y − b − Σ_{k≠j} x_k w_k."),
            sign_flip(hint="The residual is y − prediction, not prediction − y."),
            doubled_half(hint="Your result is half the expected one: check the factors 2 and the "
                         "curvature."),
            missing_half(hint="Your result is twice the expected one: check the factors 2 and the "
                         "curvature."),
        ],
    ),
    FunctionTask(
        "fit_lasso", EXERCISE,
        reference=fit_lasso, cases=_lasso_cases, output="fit", points=3,
        signature="fit_lasso(X, y, rate)",
        description="the lasso by coordinate descent with an unpenalized intercept: returns (w, b)",
        compare=allclose(rtol=1e-3, atol=1e-7, joint=True),
        requirements=[
            Requirement(
                "the values are close but the zeros are not exact",
                "The lasso solution has exact zeros. Produce them with soft-thresholding (coordinate "
                "descent or proximal gradient): subgradient steps with sign(w) never land on 0.",
                _same_zeros,
            ),
            Requirement(
                "the threshold rule of the lesson (the optimality conditions) does not hold to the "
                "required accuracy",
                "At the solution every kept weight is pulled by exactly the rate, x_jᵀr/n = rate·sign(w_j) "
                "for w_j ≠ 0, every zero weight by less, |x_jᵀr/n| <= rate, and the residuals average 0. "
                "Run more sweeps or use a smaller tolerance.",
                _kkt_holds,
            ),
        ],
        mistakes=[
            Mistake("there are no exact zeros where the lasso solution has them",
                    "The lasso sets some weights exactly to 0; your fit sets none of them to 0. Subgradient "
                    "steps with sign(w) never land on 0: use soft-thresholding (coordinate descent or "
                    "proximal gradient), which sets them to exactly 0.",
                    _no_exact_zeros),
            matches(_lasso_penalized_intercept, "the intercept is penalized",
                    "Never penalize b: center X and y, run coordinate descent for w on the centered "
                    "data, then b = ȳ − x̄ᵀw. (A column of ones in X gets thresholded like any "
                    "feature.)"),
            matches(_lasso_no_intercept, "the intercept is missing (b = 0, data not centered)",
                    "Fit the intercept: center X and y, fit w on the centered data, "
                    "then b = ȳ − x̄ᵀw."),
            matches(_lasso_uncentered_then_b, "w was fitted on uncentered data",
                    "Center X and y before coordinate descent; then b = ȳ − x̄ᵀw."),
            matches(_lasso_at(lambda X: 1.0 / X.shape[0]),
                    "the fit solves ½·||r||² + rate·||w||₁ (no 1/n)",
                    "The data term is 1/(2n)·||y − Xw − b||²: the correlations x_jᵀr and the "
                    "curvatures x_jᵀx_j are divided by n (equivalently, threshold at n·rate when you "
                    "use sums)."),
            matches(_lasso_at(lambda X: 2.0), "the solution is the lasso at 2·rate (a factor 2)",
                    "The objective is 1/(2n)·||y − Xw − b||² + rate·||w||₁: check the factors 2 "
                    "(e.g. a data term 1/n·||r||² or a threshold of 2·rate)."),
            matches(_lasso_at(lambda X: 0.5), "the solution is the lasso at rate/2 (a factor 2)",
                    "The objective is 1/(2n)·||y − Xw − b||² + rate·||w||₁ (no 1/2 on the L1 term): "
                    "check the factors 2."),
            matches(_cd_variant("hard"), "coordinates were hard-thresholded (zeroed but not shrunk)",
                    "Use the soft-thresholding update S(ρ, rate) / (x_jᵀx_j/n): surviving weights "
                    "shrink by rate too."),
            matches(_cd_variant("divide first"), "the threshold was applied after dividing by x_jᵀx_j/n",
                    "Threshold first, then divide: S(x_jᵀr_(j)/n, rate) / (x_jᵀx_j/n)."),
            Mistake("the solver stopped before converging (the objective is slightly above its minimum)",
                    "Your fit is close but not at the minimum yet: run more sweeps, until no weight "
                    "changes by more than a small tolerance (say 1e-8).",
                    _not_converged),
        ],
    ),
    ValueTask(
        "surviving_features", EXERCISE,
        expected=_survivors, points=1,
        description="the set of feature indices with w_j ≠ 0 in the lasso fit at rate=0.2",
        hint=_survivor_hint,
    ),
    PredictionTask(
        "predict_descent_zeros", EXERCISE,
        answer="b", choices=_DESCENT_CHOICES, points=1,
        description="how many weights gradient descent with rate·sign(w) sets exactly to 0 at rate=0.2",
    ),
    WrittenTask(
        "explain_exact_zeros", EXERCISE, points=2,
        description="why soft-thresholding gives exact zeros and gradient descent with rate·sign(w) does not",
    ),
]

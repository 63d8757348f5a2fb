"""Checks for exercise 09_elastic_net_toolbox: the elastic-net penalty and the real toolbox's constants.

Conventions checked: ``elastic_net_penalty = rate·(ρ·Σ|w| + (1 − ρ)/2·Σw²)`` with ``ρ = l1_ratio``;
the rate behind scikit-learn's knobs for a mean data loss over ``n`` rows (``Ridge`` and
``MLPClassifier``: ``alpha = n·rate``; ``Lasso`` and ``ElasticNet``: ``alpha = rate``;
``LogisticRegression``: ``C = 1/(n·rate)``); on one and the same loss, Keras' ``l2(λ)`` is weight decay
``2λ``; PyTorch's ``MSELoss`` (a mean with no 1/2, twice the course's squared loss) needs
``weight_decay = 2·rate`` for the course's ridge at ``rate`` (the prediction task).  The written answer
(why the lasso keeps one twin and the elastic net both) is graded by hand.
"""

from __future__ import annotations

import numpy as np

from ..data import make_correlated_pair, standardize
from ..optimizers import equivalent_weight_decay_for_keras_l2
from ..penalties import elastic_net_penalty
from ..trainers import fit_elastic_net, fit_lasso, fit_ridge, lasso_max_rate
from .framework import (Case, FunctionTask, PredictionTask, ValueTask, WrittenTask, allclose, doubled_half,
                        matches, missing_half, sign_flip)

EXERCISE = "ex09_elastic_net_toolbox"

ESTIMATORS = ("Ridge", "Lasso", "ElasticNet", "LogisticRegression", "MLPClassifier")


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------


def _penalty_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(901) if rng is None else rng
    mixed = np.round(rng.normal(size=6), 3)
    mixed[2] = 0.0
    return [
        Case("all-zero weights, rate=0.5, l1_ratio=0.5", (np.zeros(4), 0.5, 0.5)),
        Case("a single weight -2, rate=1, l1_ratio=0.5", (np.array([-2.0]), 1.0, 0.5)),
        Case("mixed signs, rate=0.3, l1_ratio=0.2", (mixed, 0.3, 0.2)),
        Case("l1_ratio=0 (ridge's penalty), rate=0.7", (np.round(rng.normal(size=5), 3), 0.7, 0.0)),
        Case("l1_ratio=1 (the lasso's penalty), rate=0.7", (np.round(rng.normal(size=5), 3), 0.7, 1.0)),
        Case("rate=0, l1_ratio=0.6", (np.round(rng.normal(size=4), 3), 0.0, 0.6)),
        Case("40 weights, rate=2, l1_ratio=0.9", (rng.normal(size=40), 2.0, 0.9)),
    ]


def _parameter_cases(rng=None) -> list[Case]:
    cases = []
    estimators = ["Lasso", "Ridge", "ElasticNet", "LogisticRegression", "MLPClassifier"]
    for estimator, rate, n in [("Lasso", 0.1, 50), ("Ridge", 0.1, 50), ("ElasticNet", 0.25, 200),
                               ("LogisticRegression", 0.01, 400), ("MLPClassifier", 1e-3, 1000),
                               ("Ridge", 2.0, 7), ("LogisticRegression", 5.0, 3), ("Lasso", 3.0, 1000)]:
        cases.append(Case(f"{estimator}, rate={rate:g}, n={n}", (estimator, rate, n)))
    if rng is not None:  # grading: one more of each estimator, with a rate and n drawn for this run
        for estimator in estimators:
            cases.append(Case(f"{estimator}, another rate and n",
                              (estimator, float(np.round(10 ** rng.uniform(-3, 0.5), 4)), int(rng.integers(5, 2000)))))
    return cases


def _keras_cases(rng=None) -> list[Case]:
    cases = [
        Case("l2=0.01", (0.01,)),
        Case("l2=0 (no penalty)", (0.0,)),
        Case("l2=0.5", (0.5,)),
        Case("l2=3", (3.0,)),
        Case("l2=1e-5", (1e-5,)),
    ]
    if rng is not None:  # grading: one more factor, drawn for this run
        cases.append(Case("another l2", (float(np.round(10 ** rng.uniform(-4, 0.5), 5)),)))
    return cases


# ---------------------------------------------------------------------------
# References and known wrong variants
# ---------------------------------------------------------------------------


def sklearn_penalty_parameter(estimator, rate, n):
    """The scikit-learn knob (``alpha`` or ``C``) of ``estimator`` that reproduces the course's ``rate``."""
    if estimator in ("Ridge", "MLPClassifier"):
        return n * rate
    if estimator in ("Lasso", "ElasticNet"):
        return rate
    if estimator == "LogisticRegression":
        return 1.0 / (n * rate)
    raise ValueError(f"estimator must be one of {ESTIMATORS}; got estimator={estimator!r}")


def _parameter_variant(**changes):
    """The reference with some estimators' formulas replaced: ``changes[name](rate, n)``."""

    def variant(estimator, rate, n):
        if estimator in changes:
            return changes[estimator](rate, n)
        return sklearn_penalty_parameter(estimator, rate, n)

    return variant


def _enet_variant(l1_weight, l2_weight, square=True):
    def variant(w, rate, l1_ratio):
        l2 = np.sum(w**2) if square else np.linalg.norm(w)
        return rate * (l1_weight(l1_ratio) * np.sum(np.abs(w)) + l2_weight(l1_ratio) * l2)

    return variant


# ---------------------------------------------------------------------------
# Value tasks
# ---------------------------------------------------------------------------

KEPT_L1_RATIO = 0.5


def kept_features_data():
    """The data of ``elastic_net_kept_features``: twins x0, x1 (corr. 0.95) and six noise features, standardized.

    Returns ``(X, y, rate)`` with ``rate`` a quarter of the lasso's max rate.
    """
    X, y, _ = make_correlated_pair(80, correlation=0.95, noise=1.0, n_noise_features=6, seed=8)
    X, _, _ = standardize(X)
    return X, y, 0.25 * lasso_max_rate(X, y)


def _support(w):
    return {int(j) for j in np.flatnonzero(w)}


def _kept_expected():
    X, y, rate = kept_features_data()
    return _support(fit_elastic_net(X, y, rate, KEPT_L1_RATIO).w)


def _kept_hint(got, expected):
    X, y, rate = kept_features_data()
    p = X.shape[1]
    if got == {j + 1 for j in expected}:
        return "Python counts from 0: the first feature is index 0."
    if got == _support(fit_lasso(X, y, rate).w):
        return ("That is what the lasso (l1_ratio = 1) keeps: it drops one of the twins. The question asks "
                f"for the elastic net with l1_ratio = {KEPT_L1_RATIO}.")
    if got == set(range(p)) or got == _support(fit_ridge(X, y, rate).w):
        return ("Every feature is nonzero: that is ridge (l1_ratio = 0), or a solver without exact zeros. Fit "
                f"fit_elastic_net(X, y, rate, {KEPT_L1_RATIO}) and list np.flatnonzero(w).")
    if got == set(range(p)) - expected:
        return "Those are the features set to 0; the question asks for the ones kept (w_j ≠ 0)."
    for other in (0.2, 0.7, 0.9):
        if got == _support(fit_elastic_net(X, y, rate, other).w):
            return f"That support belongs to another l1_ratio: use l1_ratio = {KEPT_L1_RATIO}."
    return f"Fit fit_elastic_net(X, y, rate, {KEPT_L1_RATIO}) on the given data and list np.flatnonzero(w)."


ALPHA_TUNED, ROWS_TUNED, ROWS_NEW = 50.0, 200, 800


def _more_rows_expected():
    return sklearn_penalty_parameter("Ridge", ALPHA_TUNED / ROWS_TUNED, ROWS_NEW)


def _more_rows_hint(got, expected):
    close = lambda a, b: abs(a - b) <= 1e-6 * max(abs(b), 1e-12)  # noqa: E731
    if close(got, ALPHA_TUNED):
        return ("That is the trap: the same alpha on four times as many rows regularizes four times less, "
                "because Ridge's data term is a sum over the rows. Keep the rate alpha/n fixed instead.")
    if close(got, ALPHA_TUNED * ROWS_TUNED / ROWS_NEW):
        return "More rows make Ridge's sum of squared errors larger, so alpha must grow with n, not shrink."
    if close(got, ALPHA_TUNED / ROWS_TUNED):
        return "That is the rate alpha/n; the question asks for the new alpha, n·rate with the new n."
    return "The rate is alpha/n on the old data; the new alpha is the new n times that rate."


# ---------------------------------------------------------------------------
# Tasks
# ---------------------------------------------------------------------------

_ENET = "The penalty is rate·(l1_ratio·Σ|w_j| + (1 − l1_ratio)/2·Σw_j²)."
_SUM_ROWS = ("scikit-learn's Ridge and MLPClassifier, and LogisticRegression's C, go with a *sum* over the n "
             "rows, so n enters: Ridge/MLPClassifier alpha = n·rate, LogisticRegression C = 1/(n·rate). "
             "Lasso and ElasticNet have the 1/(2n) already: alpha = rate.")

TASKS = [
    FunctionTask(
        "elastic_net_penalty", EXERCISE,
        reference=elastic_net_penalty, cases=_penalty_cases, output="scalar", points=2,
        signature="elastic_net_penalty(w, rate, l1_ratio)",
        description="rate·(l1_ratio·Σ|w_j| + (1 − l1_ratio)/2·Σw_j²)",
        mistakes=[
            matches(_enet_variant(lambda r: r, lambda r: 1 - r), "the 1/2 of the L2 part is missing",
                    "The L2 part is (1 − l1_ratio)/2·Σw_j², with the 1/2 of the course's L2 penalty rate/2·Σw², "
                    "so that l1_ratio = 0 gives exactly l2_penalty."),
            matches(_enet_variant(lambda r: 1 - r, lambda r: r / 2), "l1_ratio and 1 − l1_ratio are swapped",
                    "l1_ratio weighs the L1 part: l1_ratio = 1 must give the lasso's rate·Σ|w_j|. " + _ENET),
            matches(_enet_variant(lambda r: 1 - r, lambda r: r), "l1_ratio is swapped and the 1/2 is missing",
                    "l1_ratio weighs the L1 part, and the L2 part keeps its 1/2. " + _ENET),
            matches(_enet_variant(lambda r: r / 2, lambda r: (1 - r) / 2), "the 1/2 was applied to the L1 part too",
                    "Only the L2 part has a 1/2; the L1 part is l1_ratio·Σ|w_j|. " + _ENET),
            matches(lambda w, rate, rho: rate * (rho * np.sum(w) + (1 - rho) / 2 * np.sum(w**2)),
                    "the absolute values of the L1 part are missing",
                    "Take |w_j| (np.abs) in the L1 part: negative weights cost as much as positive ones."),
            matches(_enet_variant(lambda r: r, lambda r: (1 - r) / 2, square=False),
                    "the norm ||w|| was used instead of its square",
                    "Σw_j² is the squared norm (np.sum(w**2)), not np.linalg.norm(w)."),
            matches(lambda w, rate, rho: rho * np.sum(np.abs(w)) + (1 - rho) / 2 * np.sum(w**2),
                    "the rate is missing", "Multiply the whole blend by the rate."),
            matches(lambda w, rate, rho: rate * rho * np.sum(np.abs(w)) + (1 - rho) / 2 * np.sum(w**2),
                    "the rate multiplies only the L1 part",
                    "The rate multiplies both parts: rate·(l1_ratio·Σ|w_j| + (1 − l1_ratio)/2·Σw_j²)."),
            missing_half(hint="Your value is twice the expected one. " + _ENET),
            doubled_half(hint="Your value is half the expected one. " + _ENET),
            sign_flip(hint="A penalty is never negative. " + _ENET),
        ],
    ),
    FunctionTask(
        "sklearn_penalty_parameter", EXERCISE,
        reference=sklearn_penalty_parameter, cases=_parameter_cases, output="scalar", points=3,
        signature="sklearn_penalty_parameter(estimator, rate, n)",
        description="the alpha (or C) of a scikit-learn estimator that reproduces the course's rate on n rows",
        compare=allclose(rtol=1e-9, atol=0.0),
        error_hints=[("ValueError", "estimator", "Handle each of the five estimator names: " + ", ".join(ESTIMATORS)
                      + ".")],
        mistakes=[
            matches(_parameter_variant(Ridge=lambda rate, n: rate), "Ridge's alpha was taken as the rate",
                    "Ridge minimizes ||y − Xw − b||² + alpha·||w||², a sum over the rows without 1/(2n): "
                    "multiplying the course's objective by 2n gives alpha = n·rate."),
            matches(_parameter_variant(MLPClassifier=lambda rate, n: rate),
                    "MLPClassifier's alpha was taken as the rate",
                    "MLPClassifier adds alpha/(2n)·Σ||W||² to its mean loss, so alpha = n·rate (like Ridge)."),
            matches(_parameter_variant(LogisticRegression=lambda rate, n: 1.0 / rate),
                    "C = 1/rate (n is missing)",
                    "LogisticRegression's data term is C·Σ_i logloss_i, a sum over the n rows: "
                    "dividing by n·C gives the course's mean log-loss with rate = 1/(n·C), so C = 1/(n·rate)."),
            matches(_parameter_variant(LogisticRegression=lambda rate, n: n * rate),
                    "C = n·rate (C is inverse to the rate)",
                    "C multiplies the data term instead of the penalty: a large C means weak regularization. "
                    "C = 1/(n·rate)."),
            matches(_parameter_variant(LogisticRegression=lambda rate, n: rate), "C was taken as the rate",
                    "C is an inverse strength that multiplies the summed log-loss: C = 1/(n·rate)."),
            matches(_parameter_variant(Lasso=lambda rate, n: n * rate, ElasticNet=lambda rate, n: n * rate),
                    "the Lasso/ElasticNet alpha was multiplied by n",
                    "Lasso and ElasticNet already write the data term as 1/(2n)·||y − Xw − b||², like the "
                    "course: alpha = rate."),
            matches(_parameter_variant(Ridge=lambda rate, n: rate, MLPClassifier=lambda rate, n: rate,
                                       LogisticRegression=lambda rate, n: 1.0 / rate),
                    "n is missing everywhere", _SUM_ROWS),
            matches(lambda estimator, rate, n: rate, "the rate was returned for every estimator",
                    "Only Lasso and ElasticNet take the rate as it is. " + _SUM_ROWS),
            matches(_parameter_variant(Ridge=lambda rate, n: 2 * n * rate), "Ridge's alpha is 2n·rate",
                    "Ridge's penalty is alpha·||w||² without 1/2 and the course's is rate/2·||w||²: "
                    "multiplying the course's objective by 2n gives n·rate·||w||², so alpha = n·rate."),
            matches(_parameter_variant(Ridge=lambda rate, n: n * rate / 2), "Ridge's alpha is n·rate/2",
                    "Multiplying the course's objective 1/(2n)·||r||² + rate/2·||w||² by 2n gives "
                    "||r||² + n·rate·||w||²: alpha = n·rate."),
            matches(_parameter_variant(Ridge=lambda rate, n: rate / n, MLPClassifier=lambda rate, n: rate / n),
                    "rate/n instead of n·rate",
                    "It is the other way round: alpha = n·rate (and rate = alpha/n)."),
        ],
    ),
    FunctionTask(
        "equivalent_weight_decay_for_keras_l2", EXERCISE,
        reference=equivalent_weight_decay_for_keras_l2, cases=_keras_cases, output="scalar", points=1,
        signature="equivalent_weight_decay_for_keras_l2(l2)",
        description="the weight decay that matches Keras' regularizers.l2(l2) on the same data loss: 2·l2",
        mistakes=[
            doubled_half(hint="Keras' l2(λ) adds λ·Σw² with no 1/2, so its gradient is 2λ·w: weight decay 2λ "
                         "(the course's rate/2·Σw² has gradient rate·w)."),
            matches(lambda l2: l2 / 2, "the weight decay is l2/2 (the factor 2 went the wrong way)",
                    "Differentiating λ·Σw² gives 2λ·w: the weight decay is twice λ, not half."),
            missing_half(hint="Your value is four times λ: differentiating λ·Σw² gives 2λ·w, so the weight "
                         "decay is 2λ."),
        ],
    ),
    PredictionTask(
        "predict_mse_weight_decay", EXERCISE,
        answer="c", points=1,
        description="the SGD weight_decay on PyTorch's MSELoss that gives fit_ridge at rate = 0.05",
        choices={
            "a": ("0.025 = rate/2 goes the wrong way. MSELoss is the plain mean of squared errors, without the "
                  "course's ½: it is twice the course's loss, so the penalty must be twice as large too."),
            "b": ("weight_decay = rate holds when the library's loss is the course's (the mean log-loss: BCELoss). "
                  "MSELoss drops the ½ of the course's 1/(2n)·||y − Xw − b||², so it is twice the course's "
                  "loss, and the penalty must double with it."),
            "c": ("MSELoss is twice the course's squared loss (no ½), and weight decay wd acts like a penalty "
                  "wd/2·Σw². Twice the course's objective is MSELoss + rate·Σw², which is weight decay "
                  "wd = 2·rate = 0.1."),
            "d": ("0.2 = 4·rate counts the factor 2 twice. Weight decay wd already acts like a penalty wd/2·Σw², "
                  "with the same ½ as the course's rate/2·Σw²; only the loss's missing ½ doubles it: 2·rate."),
        },
    ),
    ValueTask(
        "elastic_net_kept_features", EXERCISE,
        expected=_kept_expected, points=1,
        description=f"indices of the nonzero weights of the elastic net (l1_ratio={KEPT_L1_RATIO}) on the twins data",
        hint=_kept_hint,
    ),
    WrittenTask(
        "explain_grouping", EXERCISE, points=2,
        description="why the lasso keeps one of two correlated twins and the elastic net keeps both",
    ),
    ValueTask(
        "ridge_alpha_for_more_rows", EXERCISE,
        expected=_more_rows_expected, tolerance=1e-6, points=1,
        description=f"the Ridge alpha on {ROWS_NEW} rows with the rate of alpha={ALPHA_TUNED:g} on {ROWS_TUNED} rows",
        hint=_more_rows_hint,
    ),
]

"""Checks for exercise 06_choosing_the_rate: K-fold splits, glmnet's grid, the one-SE rule, reading CV.

Conventions checked (``course_lib.model_selection``):

* ``kfold_indices(n_samples, n_folds, seed)``: any seeded, shuffled partition into folds whose sizes
  differ by at most one passes (the property check lives in :mod:`course_lib.checks.folds`).
* ``rate_grid(max_rate, n_rates, min_ratio)`` is ``max_rate · min_ratio^(k/(K−1))``, ``k = 0 … K−1``:
  descending, log-spaced, from ``max_rate`` to ``min_ratio · max_rate`` (``[max_rate]`` for K = 1).
* ``one_standard_error_rule(rates, mean_error, standard_error)`` is the largest rate whose mean
  error is at most ``mean_error[best] + standard_error[best]``, rates in any order.
"""

from __future__ import annotations

import functools

import numpy as np

from ..data import make_sparse_regression
from ..model_selection import (
    cross_validate_rates,
    kfold_indices,
    lasso_max_rate,
    one_standard_error_rule,
    rate_grid,
)
from ..trainers import fit_lasso
from .folds import FoldsTask, fold_cases
from .framework import (
    Case,
    FunctionTask,
    Mistake,
    PredictionTask,
    ValueTask,
    WrittenTask,
    allclose,
    matches,
)

EXERCISE = "ex06_choosing_the_rate"


# ---------------------------------------------------------------------------
# rate_grid
# ---------------------------------------------------------------------------


def _grid_cases(rng=None) -> list[Case]:
    cases = [
        Case("hand case: max_rate=1, 5 rates, min_ratio=1e-4", (1.0, 5, 1e-4)),
        Case("max_rate=100, 3 rates, min_ratio=0.01", (100.0, 3, 0.01)),
        Case("glmnet's default: 100 rates, min_ratio=1e-4, max_rate=45.2", (45.2, 100, 1e-4)),
        Case("max_rate=0.37, 7 rates, min_ratio=1e-3", (0.37, 7, 1e-3)),
        Case("two rates: max_rate=8, min_ratio=0.5", (8.0, 2, 0.5)),
        Case("p > n default min_ratio=0.01, 50 rates, max_rate=1000", (1000.0, 50, 0.01)),
        Case("a single rate: max_rate=2.5, 1 rate, min_ratio=0.01", (2.5, 1, 0.01)),
    ]
    if rng is not None:  # grading: one more grid of the same kind, with numbers drawn for this run
        cases.append(Case("another max_rate, number of rates and min_ratio",
                          (float(np.round(10 ** rng.uniform(-1, 3), 3)), int(rng.integers(3, 60)),
                           float(10.0 ** -int(rng.integers(1, 5))))))
    return cases


def _grid_exponent_k(max_rate, n_rates, min_ratio):
    return max_rate * min_ratio ** (np.arange(n_rates) / n_rates)


# ---------------------------------------------------------------------------
# one_standard_error_rule
# ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _realistic_cv():
    """A real 5-fold CV of ridge (fast, deterministic): rates descending, 30 of them."""
    from ..trainers import fit_ridge

    X, y, _ = make_sparse_regression(40, 12, 4, correlation=0.6, noise=2.0, seed=61)
    rates = np.geomspace(30.0, 3e-4, 30)
    cv = cross_validate_rates(fit_ridge, X, y, rates, n_folds=5, seed=0)
    return cv.rates.copy(), cv.mean_error.copy(), cv.standard_error.copy()


def _one_se_cases(rng=None) -> list[Case]:
    rates = np.array([10.0, 1.0, 0.1, 0.01])
    mean = np.array([5.0, 2.4, 2.0, 2.2])
    se = np.array([0.5, 0.4, 0.5, 0.6])
    shuffle = np.array([2, 0, 3, 1])
    r_cv, m_cv, s_cv = _realistic_cv()
    cases = [
        Case("hand case: rates [10, 1, 0.1, 0.01] (decreasing)", (rates, mean, se)),
        Case("the same rates in increasing order", (rates[::-1].copy(), mean[::-1].copy(), se[::-1].copy())),
        Case("the same rates in no particular order", (rates[shuffle], mean[shuffle], se[shuffle])),
        Case("a mean error exactly at the threshold (min + SE) counts as within",
             (np.array([8.0, 4.0, 2.0, 1.0]), np.array([3.0, 2.5, 2.0, 2.25]), np.array([0.25, 0.5, 0.5, 0.75]))),
        Case("the lowest error at the largest rate", (np.array([5.0, 0.5, 0.05]), np.array([1.0, 1.5, 2.0]),
                                                     np.array([0.2, 0.2, 0.2]))),
        Case("standard errors all 0", (rates, mean, np.zeros(4))),
        Case("a large SE at a large rate",
             (np.array([3.0, 1.0, 0.3, 0.1]), np.array([2.6, 2.3, 2.0, 2.2]), np.array([0.8, 0.1, 0.5, 0.1]))),
        Case("a large SE at the minimum, small SEs elsewhere",
             (np.array([3.0, 1.0, 0.3, 0.1, 0.03]), np.array([4.0, 3.1, 2.0, 2.5, 2.9]),
              np.array([0.05, 0.05, 1.2, 0.05, 0.05]))),
        Case("a real 5-fold CV of ridge, 30 rates", (r_cv, m_cv, s_cv)),
    ]
    if rng is not None:  # grading: one more error curve of the same kind, with numbers drawn for this run
        k = int(rng.integers(6, 16))
        logs = np.linspace(2.0, -3.0, k)
        curve = 2.0 + 0.3 * (logs - rng.uniform(-2.0, 1.0)) ** 2 + 0.05 * rng.normal(size=k)
        cases.append(Case("another cross-validation curve, rates decreasing",
                          (10.0 ** logs, curve, rng.uniform(0.05, 0.6, size=k))))
    return cases


def _within(rates, mean_error, standard_error, *, own_se=False, strict=False):
    best = int(np.argmin(mean_error))
    threshold = mean_error[best] + (standard_error if own_se else standard_error[best])
    return mean_error < threshold if strict else mean_error <= threshold


def _index_of_expected(case, expected, got, close):
    rates = case.args[0]
    k = int(np.flatnonzero(rates == expected)[0])
    return float(got) == float(k) and float(rates[k]) != float(k)


# ---------------------------------------------------------------------------
# Value tasks: reading a cross-validation
# ---------------------------------------------------------------------------

CV_N_RATES = 50
CV_MIN_RATIO = 1e-4
CV_FOLDS = 5
CV_SEED = 0


def cv_data():
    """The data of the ``cv_best_rate``/``cv_rate_1se`` tasks: ``(X, y)``, 80 samples, 25 features."""
    X, y, _ = make_sparse_regression(80, 25, 5, correlation=0.5, noise=2.0, seed=3)
    return X, y


@functools.lru_cache(maxsize=1)
def _reference_cv():
    X, y = cv_data()
    grid = rate_grid(lasso_max_rate(X, y), CV_N_RATES, CV_MIN_RATIO)
    cv = cross_validate_rates(fit_lasso, X, y, grid, n_folds=CV_FOLDS, seed=CV_SEED)
    return cv.rates.copy(), cv.mean_error.copy(), cv.standard_error.copy(), cv.best_rate, cv.rate_1se


def _near(a, b) -> bool:
    return abs(a - b) <= 1e-6 * max(abs(b), 1e-300)


def _on_grid(got, rates) -> bool:
    return any(_near(got, r) for r in rates)


def _common_hint(got, rates, best, one_se):
    if not _on_grid(got, rates):
        return ("Your rate is not one of the 50 grid rates: build the grid with "
                "rate_grid(lasso_max_rate(X, y), 50, 1e-4) (n = 80 >= p = 25, so min_ratio = 1e-4) and pass it "
                "to cross_validate_rates(fit_lasso, X, y, grid, n_folds=5, seed=0).")
    if _near(got, float(rates[-1])):
        return ("That is the smallest rate of the grid, where the *training* error is lowest; the question "
                "is about the cross-validated error.")
    if _near(got, float(rates[0])):
        return "That is the largest rate of the grid (every weight 0); read the CV result."
    return None


def _best_hint(got, expected):
    rates, mean, se, best, one_se = _reference_cv()
    hint = _common_hint(got, rates, best, one_se)
    if hint:
        return hint
    if _near(got, one_se):
        return "That is the one-SE rate; this task asks for the rate with the lowest mean CV error (best_rate)."
    return "Check n_folds=5 and seed=0: other folds give another CV curve. Then read cv.best_rate."


def _one_se_hint(got, expected):
    rates, mean, se, best, one_se = _reference_cv()
    hint = _common_hint(got, rates, best, one_se)
    if hint:
        return hint
    k = int(np.argmin(mean))
    within = mean <= mean[k] + se[k]
    if _near(got, best):
        return ("That is the rate with the lowest error. The one-SE rule moves to the largest rate whose error is "
                "within one standard error of it.")
    if _near(got, float(rates[within].min())):
        return ("That is the *smallest* rate within one SE of the minimum. Larger rates regularize more: the rule "
                "takes the largest one.")
    if _near(got, float(rates[mean <= mean[k] + se[k] * np.sqrt(CV_FOLDS)].max())):
        return ("Your threshold used the standard deviation of the fold errors. The standard error of the mean is "
                "sd/√K — cv.standard_error — which is √5 times smaller.")
    if _near(got, float(rates[mean <= mean[k] + 2 * se[k]].max())):
        return "That threshold is two standard errors above the minimum; the rule uses one."
    return "Read cv.rate_1se, or apply your one_standard_error_rule to cv.rates, cv.mean_error, cv.standard_error."


# ---------------------------------------------------------------------------
# Predictions and the written answer
# ---------------------------------------------------------------------------

_TRAINING_ERROR_CHOICES = {
    "a": "No. A penalty only pulls the fit away from the best fit to the training data: at rate 0 the training "
         "error is as small as it can be, and every increase of the rate can only raise it.",
    "b": "The training error only rises with the rate: at rate 0 the fit is the best possible fit to the "
         "training data, and a penalty can only pull it away from that. A penalty earns its keep on data the "
         "fit has not seen — which is why the rate is chosen by cross-validation, never by the training error.",
    "c": "No. The U shape belongs to the error on data the fit has not seen (the CV or validation error). The "
         "training error has no dip: it is smallest at rate 0 and only rises.",
    "d": "No. The rate changes the fit, so it changes the training error: a larger penalty pulls the weights "
         "further from the best fit to the training data, and the training error rises.",
}

_ONE_SE_FEATURES_CHOICES = {
    "a": "No. The one-SE rate is at least as large as the best rate, and a larger lasso rate sets more weights "
         "to exactly 0, not fewer.",
    "b": "The one-SE rule takes the largest rate whose CV error is within one standard error of the lowest: a "
         "larger lasso rate zeroes more weights, so it keeps fewer features, at a CV error CV cannot tell "
         "apart from the best.",
    "c": "No. The one-SE rate is larger than the best rate whenever the curve is flat near its minimum, as "
         "here, and the larger rate zeroes more weights.",
}

# ---------------------------------------------------------------------------
# Tasks
# ---------------------------------------------------------------------------

_LARGEST = ("A larger rate regularizes more, so the simplest model within one SE of the best is the one with "
            "the largest rate: take max(rates[mean_error <= threshold]).")

TASKS = [
    FoldsTask(
        "kfold_indices", EXERCISE,
        reference=kfold_indices, cases=fold_cases, points=2,
        signature="kfold_indices(n_samples, n_folds, seed)",
        description="n_folds (train_idx, test_idx) pairs: a seeded shuffle of the rows cut into folds whose "
                    "sizes differ by at most one",
        error_hints=[
            ("ValueError", "array split does not result in an equal division",
             "np.split needs equal parts; np.array_split allows sizes that differ by one."),
            ("TypeError", "integer", "Sizes and indices must be integers: use // (not /) or int(...)."),
        ],
    ),
    FunctionTask(
        "rate_grid", EXERCISE,
        reference=rate_grid, cases=_grid_cases, output="array", points=1,
        signature="rate_grid(max_rate, n_rates, min_ratio)",
        description="max_rate · min_ratio^(k/(K−1)) for k = 0 … K−1: log-spaced, descending, from max_rate "
                    "to min_ratio · max_rate",
        compare=allclose(rtol=1e-9, atol=0.0),
        nan_hint="With n_rates=1 the exponent k/(K−1) is 0/0: return np.array([max_rate]) in that case "
                 "(np.geomspace handles it for you).",
        error_hints=[
            ("ZeroDivisionError", None,
             "With n_rates=1 the exponent k/(K−1) divides by zero: the grid is np.array([max_rate]) then "
             "(np.geomspace handles it for you)."),
        ],
        mistakes=[
            matches(lambda m, K, r: rate_grid(m, K, r)[::-1], "the grid runs upwards",
                    "glmnet's grid starts at max_rate and goes down to min_ratio · max_rate (path solvers "
                    "warm-start from the all-zero solution): reverse the order."),
            matches(lambda m, K, r: np.linspace(m, r * m, K), "the rates are evenly spaced, not log-spaced",
                    "Space the rates evenly on a log scale (a constant ratio between neighbours): "
                    "np.geomspace(max_rate, min_ratio * max_rate, n_rates), not np.linspace."),
            matches(lambda m, K, r: np.geomspace(m, r, K), "the grid ends at min_ratio instead of min_ratio·max_rate",
                    "min_ratio is the smallest rate *relative* to the largest: the last rate is "
                    "min_ratio * max_rate."),
            matches(_grid_exponent_k, "the exponent divides by K instead of K − 1",
                    "With k = 0 … K−1 the exponent is k/(K−1), so that the last rate is exactly "
                    "min_ratio · max_rate."),
            matches(lambda m, K, r: np.geomspace(m, r * m, K + 1)[:K],
                    "the grid has K + 1 points with the last one dropped",
                    "Make exactly n_rates points from max_rate down to min_ratio · max_rate, both ends included: "
                    "np.geomspace(max_rate, min_ratio * max_rate, n_rates)."),
            matches(lambda m, K, r: r ** (np.arange(K) / max(K - 1, 1)), "max_rate is missing",
                    "Multiply by max_rate: max_rate · min_ratio^(k/(K−1))."),
            matches(lambda m, K, r: np.logspace(np.log(m), np.log(r * m), K),
                    "natural logarithms were passed to np.logspace",
                    "np.logspace(a, b, K) returns 10**a … 10**b: pass np.log10(...), or use np.geomspace, which "
                    "takes the rates themselves."),
            matches(lambda m, K, r: np.logspace(m, r * m, K), "the rates were passed to np.logspace as exponents",
                    "np.logspace(a, b, K) returns 10**a … 10**b. Use np.geomspace(max_rate, min_ratio * max_rate, "
                    "n_rates), which takes the end points themselves."),
            matches(lambda m, K, r: m / r ** (np.arange(K) / max(K - 1, 1)), "the grid goes above max_rate",
                    "Rates above max_rate change nothing for the lasso (every weight is already 0): go down, "
                    "max_rate · min_ratio^(k/(K−1))."),
        ],
    ),
    FunctionTask(
        "one_standard_error_rule", EXERCISE,
        reference=one_standard_error_rule, cases=_one_se_cases, output="scalar", points=2,
        signature="one_standard_error_rule(rates, mean_error, standard_error)",
        description="the largest rate whose mean error is within one standard error of the lowest mean error",
        scalar_hint="Return one rate (a float), not the array of rates within one SE.",
        error_hints=[
            ("ValueError", "zero-size array",
             "No rate passed your test — not even the best one, whose error equals the threshold when its SE "
             "is 0: use <= (the best rate is always within one SE of itself)."),
        ],
        mistakes=[
            Mistake("the index of the rate was returned instead of the rate",
                    "Return the rate itself, rates[k], not its position k.", _index_of_expected),
            matches(lambda r, m, s: r[np.argmin(m)], "the rate with the lowest error was returned",
                    "That is the best rate. The rule then moves to the largest rate whose error is at most "
                    "mean_error[best] + standard_error[best]."),
            matches(lambda r, m, s: r[_within(r, m, s)].min(), "the smallest rate within one SE was picked",
                    _LARGEST),
            matches(lambda r, m, s: r[np.flatnonzero(_within(r, m, s))[0]],
                    "the first rate (in array order) within one SE was picked",
                    "Do not assume an order of the rates: among those within one SE, take the largest "
                    "*rate* (max(rates[within])), not the first or last position."),
            matches(lambda r, m, s: r[np.flatnonzero(_within(r, m, s))[-1]],
                    "the last rate (in array order) within one SE was picked",
                    "Do not assume an order of the rates: among those within one SE, take the largest "
                    "*rate* (max(rates[within])), not the first or last position."),
            matches(lambda r, m, s: r[_within(r, m, s, own_se=True)].max(),
                    "each rate was judged with its own standard error",
                    "The threshold is one number, mean_error[best] + standard_error[best], with the SE at the "
                    "*best* rate; compare each mean_error, as it is, with it (not mean_error − its own SE, "
                    "nor the minimum + each rate's own SE)."),
            matches(lambda r, m, s: r[_within(r, m, s, strict=True)].max(), "'<' was used instead of '<='",
                    "A rate whose error equals the threshold exactly is within one SE: use <=."),
            matches(lambda r, m, s: r[m <= m.min() + s.min()].max(), "the smallest SE was used for the threshold",
                    "Use the standard error at the best rate: standard_error[np.argmin(mean_error)]."),
            matches(lambda r, m, s: r[m <= m.min() + s.max()].max(), "the largest SE was used for the threshold",
                    "Use the standard error at the best rate: standard_error[np.argmin(mean_error)]."),
        ],
    ),
    PredictionTask(
        "predict_training_error_vs_rate", EXERCISE,
        answer="b", choices=_TRAINING_ERROR_CHOICES, points=1,
        description="how the lasso's training error changes as the rate grows along the grid",
    ),
    ValueTask(
        "cv_best_rate", EXERCISE,
        expected=lambda: _reference_cv()[3], tolerance=1e-6, points=1,
        description="the rate with the lowest 5-fold CV error of the lasso on the given data and grid",
        hint=_best_hint,
    ),
    ValueTask(
        "cv_rate_1se", EXERCISE,
        expected=lambda: _reference_cv()[4], tolerance=1e-6, points=1,
        description="the one-standard-error rate of the same cross-validation",
        hint=_one_se_hint,
    ),
    PredictionTask(
        "predict_1se_features", EXERCISE,
        answer="b", choices=_ONE_SE_FEATURES_CHOICES, points=1,
        description="whether the lasso at the one-SE rate keeps more, fewer or as many features as at the best rate",
    ),
    WrittenTask(
        "explain_one_se", EXERCISE, points=2,
        description="why one may report the one-SE rate rather than the lowest-CV rate, and what it costs",
    ),
]

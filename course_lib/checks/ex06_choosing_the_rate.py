"""Checks for exercise 06_choosing_the_rate: K-fold splits, glmnet's grid, the one-SE rule, reading CV.

Conventions checked (``course_lib.model_selection``):

* ``kfold_indices(n_samples, n_folds, seed)`` returns ``n_folds`` pairs ``(train_idx, test_idx)`` of
  integer arrays; the test folds partition ``0 … n−1``, their sizes differ by at most one, each
  training set is the complement of its test fold, and the rows are shuffled with
  ``np.random.default_rng(seed)``.  *Any* such partition passes: the permutation is not prescribed,
  but the same seed must give the same folds and different seeds different ones.
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
from .framework import (
    Case,
    FunctionTask,
    Mistake,
    PredictionTask,
    Problem,
    ValueTask,
    Verdict,
    WrittenTask,
    allclose,
    format_value,
    matches,
    returned_none,
)

EXERCISE = "ex06_choosing_the_rate"


# ---------------------------------------------------------------------------
# kfold_indices: a property-based task
# ---------------------------------------------------------------------------


def _fold_cases(rng=None) -> list[Case]:
    cases = [
        Case("n=20, 5 folds, seed=0", (20, 5, 0)),
        Case("the same call again: n=20, 5 folds, seed=0", (20, 5, 0)),
        Case("another seed: n=20, 5 folds, seed=1", (20, 5, 1)),
        Case("n=23 not divisible by 5 folds, seed=3", (23, 5, 3)),
        Case("2 folds, n=9, seed=4", (9, 2, 4)),
        Case("leave-one-out: n=6, 6 folds, seed=5", (6, 6, 5)),
        Case("n=101, 10 folds, seed=42", (101, 10, 42)),
    ]
    if rng is not None:  # grading: one more split of the same kind, with numbers drawn for this run
        cases.append(Case("another n, number of folds and seed",
                          (int(rng.integers(12, 80)), int(rng.integers(2, 9)), int(rng.integers(6, 10**6)))))
    return cases


_SAME_CALL = ("n=20, 5 folds, seed=0", "the same call again: n=20, 5 folds, seed=0")
_OTHER_SEED = "another seed: n=20, 5 folds, seed=1"
_UNSHUFFLED_CASE = "n=20, 5 folds, seed=0"


def _as_indices(value, what: str, n: int):
    """An int array of row indices, or a Problem."""
    if isinstance(value, list):
        return Problem(f"{what} is a Python list, not a numpy array",
                       "Return numpy integer arrays (e.g. the pieces of np.array_split of a permutation).")
    if not isinstance(value, np.ndarray):
        return Problem(f"{what} is not a numpy array of row indices",
                       "Each pair is (train_idx, test_idx): two 1-D numpy arrays of integer row indices.")
    if value.dtype == bool:
        return Problem(f"{what} is a boolean mask, not an array of row indices",
                       "Give the row numbers themselves, e.g. np.flatnonzero(mask).")
    if value.ndim != 1:
        return Problem(f"{what} has shape {value.shape}, not a 1-D array",
                       "Each index array is 1-D: one entry per row it selects.")
    if value.dtype.kind not in "iu":
        if value.dtype.kind == "f" and np.all(value == np.round(value)):
            return Problem(f"{what} holds floats, not integers",
                           "Row indices must be integers (dtype int): np.arange and rng.permutation give ints; "
                           "do not build the folds with float arithmetic.")
        return Problem(f"{what} does not hold integer row indices",
                       "Row indices are integers from 0 to n_samples − 1.")
    if value.size and (value.min() < 0 or value.max() >= n):
        return Problem(f"{what} holds indices outside 0 … {n - 1}",
                       "Row indices run from 0 to n_samples − 1 (np.arange(n_samples)).")
    return value.astype(int)


def _check_folds(got, n: int, k: int):
    """Normalised folds [(train, test), ...] or a Problem naming what is wrong."""
    if got is None:
        return returned_none()
    if isinstance(got, np.ndarray) or not isinstance(got, (list, tuple)):
        return Problem(
            "did not return a list of (train_idx, test_idx) pairs",
            "Return a list with one pair per fold: [(train_idx, test_idx), ...] — e.g. "
            "folds.append((train_idx, test_idx)) in a loop over the folds.",
        )
    if len(got) != k:
        return Problem(f"returned {len(got)} pairs for n_folds={k}",
                       "Return exactly one (train_idx, test_idx) pair per fold: n_folds pairs.")
    folds = []
    for i, pair in enumerate(got):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            return Problem(f"element {i} is not a (train_idx, test_idx) pair",
                           "Each element of the list is a pair: (train_idx, test_idx).")
        train = _as_indices(pair[0], f"train_idx of split {i + 1}", n)
        if isinstance(train, Problem):
            return train
        test = _as_indices(pair[1], f"test_idx of split {i + 1}", n)
        if isinstance(test, Problem):
            return test
        folds.append((train, test))
    for i, (train, test) in enumerate(folds):
        if np.unique(test).size != test.size:
            return Problem(f"a row appears twice in the test fold of split {i + 1}",
                           "Draw the rows without replacement: cut one permutation of the rows into folds.")
    counts = np.bincount(np.concatenate([test for _, test in folds]), minlength=n)
    if np.any(counts > 1):
        row = int(np.flatnonzero(counts > 1)[0])
        splits = [i + 1 for i, (_, test) in enumerate(folds) if row in test]
        return Problem(
            f"the test folds overlap (row {row} is a test row of splits {splits})",
            "Shuffle the rows once and cut that one permutation into consecutive blocks (np.array_split); "
            "drawing each fold at random on its own lets folds overlap.",
        )
    if np.any(counts == 0):
        missing = np.flatnonzero(counts == 0).tolist()
        return Problem(
            f"rows {missing[:6]}{' …' if len(missing) > 6 else ''} are in no test fold",
            "Every row must be tested exactly once. When n is not divisible by n_folds, n // n_folds rows "
            "per fold leave the remainder out: np.array_split(permutation, n_folds) keeps every row.",
        )
    sizes = [test.size for _, test in folds]
    if max(sizes) - min(sizes) > 1:
        return Problem(
            f"the fold sizes {sizes} differ by more than one",
            "Spread the remainder over the folds: np.array_split gives sizes that differ by at most one "
            "(the first n % n_folds folds get one extra row).",
        )
    for i, (train, test) in enumerate(folds):
        if np.intersect1d(train, test).size:
            return Problem(
                f"the training rows of split {i + 1} include its test rows",
                "A leak: the model would be tested on rows it trained on. The training rows are all rows "
                "*not* in that split's test fold: np.setdiff1d(np.arange(n_samples), test_idx).",
            )
        if np.unique(train).size != train.size or train.size + test.size != n:
            return Problem(
                f"the training rows of split {i + 1} are not all the other rows",
                "Train on every row outside the test fold, each once: "
                "np.setdiff1d(np.arange(n_samples), test_idx).",
            )
    return [(np.sort(train), np.sort(test)) for train, test in folds]


def _same_partition(a, b) -> bool:
    return {tuple(test.tolist()) for _, test in a} == {tuple(test.tolist()) for _, test in b}


def _describe_folds(folds) -> str:
    """Short text for a learner's folds (well-formed or not)."""
    if isinstance(folds, (list, tuple)) and all(isinstance(pair, (list, tuple)) and len(pair) == 2
                                                for pair in folds):
        text = "; ".join(f"split {i + 1} tests {format_value(pair[1])}" for i, pair in enumerate(folds[:3]))
        return text + ("; …" if len(folds) > 3 else "")
    return format_value(folds)


class _FoldsTask(FunctionTask):
    """``kfold_indices``: any valid, shuffled, seeded partition passes (the permutation is free)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, output="array", compare=lambda got, expected: True, **kwargs)

    def _form(self, got, expected):
        # expected is the reference's folds for this case; only n and n_folds matter here
        n = int(sum(test.size for _, test in expected))
        return _check_folds(got, n, len(expected))

    def _failure(self, case, got, value, problem, mistake) -> Verdict:
        n, k = case.args[0], case.args[1]
        details = (
            f"  case:     {case.label}\n"
            f"  input:    {', '.join(f'{a} = {v}' for a, v in zip(self._input_names(), case.args))}\n"
            f"  expected: {k} pairs (train_idx, test_idx); the test folds split 0 … {n - 1} into {k} parts "
            f"whose sizes differ by at most one\n"
            f"  got:      {_describe_folds(got if value is None else value)}\n"
            f"{self._rerun_line(case)}"
        )
        return Verdict(False, "fail", f"fails on case '{case.label}': {problem.summary}", problem.hint, details)

    def _judge_values(self, results) -> Verdict:
        verdict = super()._judge_values(results)
        if not verdict.passed:
            return verdict
        by_label = {case.label: self._form(got, self.expected(case)) for case, got in results}
        labels = {case.label: case for case, _ in results}
        if all(label in by_label for label in _SAME_CALL):
            first, again = (by_label[label] for label in _SAME_CALL)
            if not _same_partition(first, again):
                return Verdict(
                    False, "fail", "two calls with the same seed gave different folds",
                    "Make the shuffle depend on `seed` alone: rng = np.random.default_rng(seed); "
                    "order = rng.permutation(n_samples). np.random.shuffle/np.random.permutation use a "
                    "global generator that ignores your seed.",
                    f"  case:     {_SAME_CALL[0]}, called twice\n"
                    f"  first:    {_describe_folds(first)}\n  second:   {_describe_folds(again)}",
                )
        if _UNSHUFFLED_CASE in by_label:
            folds = by_label[_UNSHUFFLED_CASE]
            n, k = labels[_UNSHUFFLED_CASE].args[:2]
            blocks = [(None, block) for block in np.array_split(np.arange(n), k)]
            if _same_partition(folds, blocks):
                return Verdict(
                    False, "fail", "the rows are not shuffled (each test fold is a block of consecutive rows)",
                    "Shuffle before cutting: order = np.random.default_rng(seed).permutation(n_samples), then "
                    "np.array_split(order, n_folds). Data files are often sorted (by date, class or x), and "
                    "unshuffled folds then differ systematically.",
                    f"  case:     {_UNSHUFFLED_CASE}\n  got:      {_describe_folds(folds)}",
                )
        if _OTHER_SEED in by_label and _SAME_CALL[0] in by_label:
            if _same_partition(by_label[_SAME_CALL[0]], by_label[_OTHER_SEED]):
                return Verdict(
                    False, "fail", "seeds 0 and 1 gave the same folds: the seed is ignored",
                    "Create the generator from the argument: np.random.default_rng(seed), not a fixed number.",
                    f"  cases:    {_SAME_CALL[0]} and {_OTHER_SEED}\n"
                    f"  both:     {_describe_folds(by_label[_OTHER_SEED])}",
                )
        return verdict


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
    _FoldsTask(
        "kfold_indices", EXERCISE,
        reference=kfold_indices, cases=_fold_cases, points=2,
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

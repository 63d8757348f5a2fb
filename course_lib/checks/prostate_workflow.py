"""Exercise 10's end-to-end workflow on the prostate data, done the right way: its references, and the
hints that recognise each wrong route (chosen on the test set, statistics of all rows, the CV error
reported as the test error, ...).

The workflow: the book's 67/30 split; the predictors standardized with the *training* rows' mean and
sample standard deviation only; the lasso's rate chosen by 10-fold cross-validation (fold seed 0) with the
one-standard-error rule over 30 rates from ``lasso_max_rate`` down to a thousandth of it; one evaluation
on the 30 test rows.
"""

from __future__ import annotations

import numpy as np

from ..data import load_prostate, standardize
from ..model_selection import cross_validate_rates, rate_grid
from ..trainers import fit_lasso, lasso_max_rate
from .framework import Case, Problem

__all__ = [
    "standardize_like_esl", "mse_standard_error", "squared_test_error", "standardize_with_training",
    "training_statistics_cases", "rows_of_the_other_argument", "workflow_inputs", "workflow_cv",
    "workflow_test_errors", "workflow_rate_expected", "workflow_rate_hint", "workflow_test_error_expected",
    "workflow_test_error_hint", "WORKFLOW_RATES", "WORKFLOW_MIN_RATIO", "WORKFLOW_FOLDS", "WORKFLOW_SEED",
]


def standardize_like_esl(X):
    """Columns centered and divided by their sample standard deviation (``ddof=1``), over all rows."""
    return standardize(X, ddof=1)[0]


def mse_standard_error(y, y_pred):
    """Standard error of the mean squared error: ``sd(ddof=1)`` of the squared errors over ``√m``."""
    squared = (np.asarray(y, dtype=float) - np.asarray(y_pred, dtype=float)) ** 2
    return float(squared.std(ddof=1) / np.sqrt(squared.size))


def squared_test_error(w, b, X_test, y_test):
    """Mean squared error of the model ``(w, b)`` on the rows ``X_test``, ``y_test`` (no ½)."""
    return float(np.mean((y_test - X_test @ w - b) ** 2))


def standardize_with_training(X, X_train):
    """The rows of ``X`` standardized with the mean and sample standard deviation (ddof=1) of ``X_train``'s columns."""
    _, mean, scale = standardize(X_train, ddof=1)
    return standardize(X, mean=mean, scale=scale)[0]


def training_statistics_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(1004) if rng is None else rng
    prostate = load_prostate()
    same = rng.normal(size=(10, 3)) * [2.0, 0.5, 10.0] + [1.0, -4.0, 30.0]
    train = rng.normal(size=(15, 2)) * [1.0, 3.0] + [0.0, 5.0]
    shifted = rng.normal(size=(6, 2)) * [2.0, 1.0] + [3.0, 0.0]       # test rows of another spread and centre
    binary_train = np.column_stack([rng.integers(0, 2, size=20).astype(float), rng.normal(size=20) * 3 + 1])
    binary_train[:2, 0] = [0.0, 1.0]                                    # both values present
    binary_test = np.column_stack([rng.integers(0, 2, size=5).astype(float), rng.normal(size=5) * 3 + 1])
    return [
        Case("hand case: X_train = [1, 2, 3], X = [4, 0]", (np.array([[4.0], [0.0]]), np.array([[1.0], [2.0], [3.0]]))),
        Case("test rows of another spread and centre, 2 columns", (shifted, train)),
        Case("the prostate test rows with the training rows", (prostate.X_test.copy(), prostate.X_train.copy())),
        Case("one row", (shifted[:1].copy(), train)),
        Case("X is X_train itself, 3 columns", (same, same.copy())),
        Case("a 0/1 column next to a continuous one", (binary_test, binary_train)),
    ]


def rows_of_the_other_argument(got, expected):
    if got.ndim == 2 and expected.ndim == 2 and got.shape[1] == expected.shape[1] and got.shape[0] != expected.shape[0]:
        return Problem(
            f"returned {got.shape[0]} rows where X has {expected.shape[0]}",
            "standardize_with_training(X, X_train) returns one row per row of X, the first argument, standardized "
            "with the statistics of X_train, the second: are the arguments swapped?",
        )
    return None


WORKFLOW_RATES, WORKFLOW_MIN_RATIO, WORKFLOW_FOLDS, WORKFLOW_SEED = 30, 1e-3, 10, 0


def workflow_inputs(standardized=None):
    """``(Z_train, y_train, Z_test, y_test, rates)`` of the workflow; by default standardized on the training rows."""
    raw = load_prostate()
    if standardized == "book":
        book = load_prostate(standardize_features=True)
        Z_train, Z_test = book.X_train, book.X_test
    elif standardized == "raw":
        Z_train, Z_test = raw.X_train, raw.X_test
    elif standardized == "own test statistics":
        Z_train, Z_test = standardize_like_esl(raw.X_train), standardize_like_esl(raw.X_test)
    else:
        Z_train, Z_test = (standardize_with_training(raw.X_train, raw.X_train),
                           standardize_with_training(raw.X_test, raw.X_train))
    rates = rate_grid(lasso_max_rate(Z_train, raw.y_train), WORKFLOW_RATES, WORKFLOW_MIN_RATIO)
    return Z_train, raw.y_train, Z_test, raw.y_test, rates


def workflow_cv(standardized=None, n_folds=WORKFLOW_FOLDS):
    Z_train, y_train, _, _, rates = workflow_inputs(standardized)
    return cross_validate_rates(fit_lasso, Z_train, y_train, rates, n_folds=n_folds, seed=WORKFLOW_SEED)


def workflow_test_errors(standardized=None):
    """The test error of the lasso refit on all training rows, at every rate of the grid."""
    Z_train, y_train, Z_test, y_test, rates = workflow_inputs(standardized)
    return rates, np.array([squared_test_error(*fit_lasso(Z_train, y_train, rate), Z_test, y_test) for rate in rates])


def workflow_rate_expected():
    return workflow_cv().rate_1se


def _close(a, b, tolerance=1e-3):
    return abs(a - b) <= tolerance * abs(b)


def workflow_rate_hint(got, expected):
    cv = workflow_cv()
    rates, test_errors = workflow_test_errors()
    if _close(got, rates[int(np.argmin(test_errors))]):
        return ("That rate has the lowest error on the test rows: it was chosen on the test set. The test rows are "
                "for one final evaluation; choose the rate by cross-validation on the training rows.")
    if _close(got, cv.best_rate):
        return "That is the rate with the lowest CV error; the task asks for the one-standard-error rule (cv.rate_1se)."
    if _close(got, workflow_cv("book").rate_1se):
        return ("That CV ran on the book's inputs, standardized over all 97 rows; use Z_train, standardized with the "
                "training rows' statistics only.")
    if _close(got, workflow_cv("raw").rate_1se):
        return "That CV ran on the raw predictors: standardize them first (with the training rows' statistics)."
    if _close(got, float(workflow_inputs()[4][0])):
        return ("That is the largest rate of the grid, where every weight is zero; the one-SE rule takes the largest "
                "rate whose CV error is within one standard error of the lowest.")
    return (f"Run cross_validate_rates(fit_lasso, Z_train, y_train, rates, n_folds={WORKFLOW_FOLDS}, "
            f"seed={WORKFLOW_SEED}) on the given grid and take its rate_1se.")


def workflow_test_error_expected():
    Z_train, y_train, Z_test, y_test, _ = workflow_inputs()
    return squared_test_error(*fit_lasso(Z_train, y_train, workflow_rate_expected()), Z_test, y_test)


def workflow_test_error_hint(got, expected):
    Z_train, y_train, Z_test, y_test, rates = workflow_inputs()
    cv = workflow_cv()
    rate = cv.rate_1se
    w, b = fit_lasso(Z_train, y_train, rate)
    _, test_errors = workflow_test_errors()
    if _close(got, float(test_errors.min())):
        return ("That is the lowest test error over the whole grid: a rate chosen on the test set. Evaluate the "
                "model chosen by cross-validation (the one-SE rate), once.")
    if _close(got, float(cv.mean_error[cv.index_1se])):
        return ("That is the cross-validation error of the chosen rate, an estimate made on the training rows; the "
                "task asks for the error on the 30 test rows.")
    if _close(got, float(np.mean((y_train - Z_train @ w - b) ** 2))):
        return "That is the training error: evaluate the refitted model on the 30 test rows."
    if _close(got, mse_standard_error(y_test, Z_test @ w + b)):
        return "That is the standard error of the test error; the task asks for the test error itself."
    if _close(got, squared_test_error(*fit_lasso(Z_train, y_train, cv.best_rate), Z_test, y_test)):
        return "That model used the rate with the lowest CV error; refit at the one-SE rate (cv.rate_1se)."
    own = workflow_inputs("own test statistics")
    if _close(got, squared_test_error(w, b, own[2], y_test)):
        return ("The test rows were standardized with their own mean and sd: scale them with the training rows' "
                "statistics, standardize_with_training(raw.X_test, raw.X_train).")
    book = workflow_inputs("book")
    book_rate = workflow_cv("book").rate_1se
    if _close(got, squared_test_error(*fit_lasso(book[0], book[1], book_rate), book[2], book[3])):
        return "That workflow used the book's inputs (standardized over all 97 rows); use your Z_train and Z_test."
    if _close(got, 2 * expected) or _close(got, expected / 2):
        return "The test error is the plain mean of the squared errors on the test rows: no ½, no factor 2."
    if _close(got, 30 * expected):
        return "That is a sum over the 30 test rows; the test error is their mean."
    return ("Refit fit_lasso(Z_train, y_train, workflow_rate) on all 67 training rows, then average the squared "
            "errors on Z_test, y_test.")

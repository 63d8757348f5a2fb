"""Checks for exercise 10_case_study_prostate: ESL's tools, then the whole workflow done the right way.

Conventions checked: ESL standardizes the prostate predictors over all rows with the sample standard
deviation (``ddof=1``); ridge's effective degrees of freedom are ``Σ d_j²/(d_j² + n·rate)`` over the
singular values of the centered ``X`` (ESL's ``λ = n·rate``; the learner bisects on
``course_lib.trainers.ridge_effective_dof``); the standard error of a test error is the sample standard
deviation of the squared errors over ``√m``.

The workflow (issue 13's end-to-end exercise): the book's 67/30 split; the predictors standardized with
the *training* rows' mean and sample standard deviation only (``standardize_with_training``); the lasso's
rate chosen by 10-fold cross-validation (fold seed 0) with the one-standard-error rule over 30 rates from
``lasso_max_rate`` down to a thousandth of it (``workflow_rate``); a prediction of what choosing on the test
set would report (``predict_test_chosen``); one evaluation on the 30 test rows (``workflow_test_error``);
a short report graded by hand (``explain_workflow_report``).
"""

from __future__ import annotations

import numpy as np

from ..data import load_prostate, standardize
from ..trainers import fit_lasso, fit_ridge, ridge_rate_for_dof
from .framework import (Case, FunctionTask, Mistake, PredictionTask, ValueTask, WrittenTask, allclose, matches,
                        n_samples, scaled)
from .prostate_workflow import (
    mse_standard_error,
    rows_of_the_other_argument,
    squared_test_error,
    standardize_like_esl,
    standardize_with_training,
    training_statistics_cases,
    workflow_rate_expected,
    workflow_rate_hint,
    workflow_test_error_expected,
    workflow_test_error_hint,
)

EXERCISE = "ex10_case_study_prostate"


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------


def _standardize_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(1001) if rng is None else rng
    return [
        Case("hand case: one column [1, 2, 3]", (np.array([[1.0], [2.0], [3.0]]),)),
        Case("3 columns with offsets and scales, n=12",
             (rng.normal(size=(12, 3)) * [1.0, 10.0, 0.1] + [5.0, -3.0, 100.0],)),
        Case("two rows", (np.array([[0.0, 4.0], [2.0, 10.0]]),)),
        Case("the prostate predictors, all 97 rows (raw units)", (load_prostate().X.copy(),)),
        Case("a 0/1 column next to a continuous one, n=20",
             (np.column_stack([rng.integers(0, 2, size=20).astype(float), rng.normal(size=20) * 3 + 1]),)),
    ]


def _dof_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(1002) if rng is None else rng
    return [
        Case("hand case: one feature [-2, 0, 2], dof=0.5", (np.array([[-2.0], [0.0], [2.0]]), 0.5)),
        Case("5 features with offsets, n=30, dof=2.5", (rng.normal(size=(30, 5)) + [1.0, -2.0, 0.0, 3.0, 5.0], 2.5)),
        Case("the book's standardized training rows, dof=5", (load_prostate(True).X_train.copy(), 5.0)),
        Case("dof equal to the rank (least squares): rate 0", (rng.normal(size=(15, 3)), 3.0)),
        Case("a small dof=0.05 (a large rate)", (rng.normal(size=(25, 4)), 0.05)),
        Case("more features than samples (p=10, n=6, rank 5), dof=3", (rng.normal(size=(6, 10)) + 1.0, 3.0)),
        Case("columns of very different scales, n=40, dof=1.5",
             (rng.normal(size=(40, 3)) * [0.1, 1.0, 10.0], 1.5)),
    ]


def _error_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(1003) if rng is None else rng
    y = rng.normal(size=30) + 2.0
    return [
        Case("hand case: errors 1, -1, 3, -3 (squared 1, 1, 9, 9)",
             (np.array([1.0, 2.0, 3.0, 4.0]), np.array([0.0, 3.0, 0.0, 7.0]))),
        Case("30 test points, noisy predictions", (y, y + rng.normal(size=30) * 0.7)),
        Case("all squared errors equal: standard error 0", (np.array([1.0, 2.0, 3.0]), np.array([2.0, 1.0, 4.0]))),
        Case("two points", (np.array([0.0, 0.0]), np.array([1.0, 3.0]))),
        Case("100 points, one large error", (np.zeros(100), np.concatenate([rng.normal(size=99) * 0.1, [5.0]]))),
    ]


# ---------------------------------------------------------------------------
# References and known wrong variants
# ---------------------------------------------------------------------------


def _dof_variant(*, center=True, power=2.0, n_rate=True):
    """``ridge_rate_for_dof`` with a wrong df formula, solved accurately by bisection on a log scale."""

    def solve(X, dof):
        Xc = X - X.mean(axis=0) if center else X
        d = np.linalg.svd(Xc, compute_uv=False)
        d = d[d > 1e-12 * d.max()] ** power
        n = X.shape[0] if n_rate else 1.0
        if dof >= d.size:
            return 0.0
        lo, hi = 1e-300, 1.0
        while np.sum(d / (d + n * hi)) > dof:
            hi *= 2.0
        for _ in range(2000):
            mid = np.sqrt(lo * hi) if lo > 0 else hi / 2
            if np.sum(d / (d + n * mid)) > dof:
                lo = mid
            else:
                hi = mid
            if hi - lo <= 1e-15 * hi:
                break
        return 0.5 * (lo + hi)

    return solve


def _roughly(case, expected, got, close):
    """Within 1 % of the right rate but not within the task's tolerance: a bisection stopped early."""
    return expected > 0 and abs(got - expected) <= 0.01 * expected


# ---------------------------------------------------------------------------
# Value tasks
# ---------------------------------------------------------------------------

DOF = 5.0
LASSO_RATE = 0.21


def _df5_error(X_train, y_train, X_test, y_test, rate=None):
    rate = ridge_rate_for_dof(X_train, DOF) if rate is None else rate
    return squared_test_error(*fit_ridge(X_train, y_train, rate), X_test, y_test)


def _df5_expected():
    data = load_prostate(standardize_features=True)
    return _df5_error(data.X_train, data.y_train, data.X_test, data.y_test)


def _train_only():
    raw = load_prostate()
    Z, mean, scale = standardize(raw.X_train, ddof=1)
    return Z, raw.y_train, standardize(raw.X_test, mean=mean, scale=scale)[0], raw.y_test


def _df5_hint(got, expected):
    data = load_prostate(standardize_features=True)
    Xtr, ytr, Xte, yte = data.X_train, data.y_train, data.X_test, data.y_test
    n = Xtr.shape[0]
    rate = ridge_rate_for_dof(Xtr, DOF)
    close = lambda a, b: abs(a - b) <= 1e-3 * abs(b)  # noqa: E731
    w, b = fit_ridge(Xtr, ytr, rate)
    if close(got, 0.492):
        return "That is the book's value (Table 3.3); the task asks for the test error of our own fit at df = 5."
    if close(got, _df5_error(Xtr, ytr, Xte, yte, rate=0.0)):
        return "That is least squares (rate 0, df = 8): find the rate at which df = 5 first."
    if close(got, float(np.mean((ytr - Xtr @ w - b) ** 2))):
        return "That is the training error: evaluate the fit on the 30 test rows."
    if close(got, mse_standard_error(yte, Xte @ w + b)):
        return "That is the standard error of the test error; the task asks for the test error itself."
    if close(got, _df5_error(*_train_only())):
        return ("Those predictors were standardized on the training rows only. Here we follow the book: use "
                "load_prostate(standardize_features=True), standardized over all 97 rows.")
    raw = load_prostate()
    if close(got, _df5_error(raw.X_train, raw.y_train, raw.X_test, raw.y_test)):
        return "Those are the raw predictors: use the book's standardized ones, load_prostate(standardize_features=True)."
    if close(got, _df5_error(Xtr, ytr, Xte, yte, rate=n * rate)):
        return "That fit used n·rate (ESL's λ) as the course's rate: fit_ridge wants the rate itself."
    if close(got, _df5_error(Xtr, ytr, Xte, yte, rate=rate / n)):
        return "That fit used rate/n: ridge_rate_for_dof already returns the course's rate; pass it as it is."
    if close(got, _df5_error(Xtr, ytr, Xte, yte, rate=DOF)):
        return "That fit used rate = 5; 5 is the degrees of freedom: convert it with ridge_rate_for_dof first."
    if close(got, _df5_error(Xtr, ytr, Xte, yte, rate=DOF / n)):
        return "That fit used ESL's λ = 5; 5 is the degrees of freedom, not λ: convert it with ridge_rate_for_dof."
    return ("Find rate = ridge_rate_for_dof(X_train, 5), fit ridge on the training rows, and average the squared "
            "errors on the 30 test rows (mean, not sum, and no 1/2).")


def _lasso_expected():
    data = load_prostate(standardize_features=True)
    return {int(j) for j in np.flatnonzero(fit_lasso(data.X_train, data.y_train, LASSO_RATE).w)}


def _lasso_hint(got, expected):
    data = load_prostate(standardize_features=True)
    support = lambda X, y, rate=LASSO_RATE: {int(j) for j in np.flatnonzero(fit_lasso(X, y, rate).w)}  # noqa: E731
    raw = load_prostate()
    Z0, _, _ = standardize(raw.X_train)
    if got == {j + 1 for j in expected}:
        return "Python counts from 0: lcavol is index 0."
    if got in (support(_train_only()[0], raw.y_train), support(Z0, raw.y_train)):
        return ("Those predictors were re-standardized on the training rows (as in section 4 of the lesson); "
                "the task uses the book's standardized inputs as they are.")
    if got == support(raw.X_train, raw.y_train):
        return "Those are the raw predictors: use the book's standardized ones, load_prostate(standardize_features=True)."
    if got == support(data.X, data.y):
        return "That fit used all 97 rows; fit on the 67 training rows only."
    if got > expected:
        return f"There are extra predictors: is the rate {LASSO_RATE}? A smaller rate lets lbph in."
    if got == set(range(8)) - expected:
        return "Those are the predictors set to 0; the task asks for the ones kept."
    return f"Fit fit_lasso(X_train, y_train, {LASSO_RATE}) on the book's standardized inputs and list np.flatnonzero(w)."


# ---------------------------------------------------------------------------
# Tasks
# ---------------------------------------------------------------------------

_DDOF = ("ESL divides by the *sample* standard deviation, √(Σ(x − x̄)²/(n − 1)): np.std(..., ddof=1) "
         "(np.std's default is ddof=0, dividing by n).")

TASKS = [
    FunctionTask(
        "standardize_like_esl", EXERCISE,
        reference=standardize_like_esl, cases=_standardize_cases, output="array", points=2,
        signature="standardize_like_esl(X)",
        description="each column minus its mean, divided by its sample standard deviation (ddof=1)",
        nan_hint="Your result contains NaN or inf: a standard deviation of 0, or of a single value (ddof=1 needs "
                 "two). Standardize each column over all the rows (axis=0); no column here is constant.",
        mistakes=[
            matches(lambda X: (X - X.mean(axis=0)) / X.std(axis=0), "the standard deviation divides by n (ddof=0)",
                    _DDOF),
            matches(lambda X: X / X.std(axis=0, ddof=1), "the columns were scaled but not centered",
                    "Subtract each column's mean first: (X − X.mean(axis=0)) / X.std(axis=0, ddof=1)."),
            matches(lambda X: X / X.std(axis=0), "the columns were scaled (ddof=0) but not centered",
                    "Subtract each column's mean, and divide by the sample standard deviation: " + _DDOF),
            matches(lambda X: X - X.mean(axis=0), "the columns were centered but not scaled",
                    "Also divide each centered column by its sample standard deviation (ddof=1)."),
            matches(lambda X: (X - X.mean(axis=0)) / X.var(axis=0, ddof=1), "divided by the variance",
                    "Divide by the standard deviation, the square root of the variance."),
            matches(lambda X: (X - X.mean(axis=0)) / np.linalg.norm(X - X.mean(axis=0), axis=0),
                    "the centered columns were scaled to unit length",
                    "Unit length (norm 1) is scikit-learn's 'scaled' diabetes data; ESL divides by the sample "
                    "standard deviation, so each column has norm √(n − 1)."),
            matches(lambda X: (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, ddof=1, keepdims=True),
                    "rows were standardized instead of columns",
                    "Standardize each column (one predictor over all patients): axis=0."),
        ],
    ),
    FunctionTask(
        "ridge_rate_for_dof", EXERCISE,
        reference=ridge_rate_for_dof, cases=_dof_cases, output="scalar", points=3,
        signature="ridge_rate_for_dof(X, dof)",
        description="the rate at which ridge_effective_dof(X, rate) = dof, found by bisection (0 when dof is the largest df)",
        compare=allclose(rtol=1e-6, atol=1e-10),
        mistakes=[
            scaled(n_samples, "n·rate (ESL's λ) was returned instead of the rate",
                   "ESL's λ is n·rate: the df formula is Σ d_j²/(d_j² + n·rate) in the course's rate. Return "
                   "the rate (divide λ by n)."),
            matches(_dof_variant(n_rate=False), "the formula used rate instead of n·rate",
                    "With the 1/(2n) data term the shrinkage factors are d_j²/(d_j² + n·rate): solve for the "
                    "rate in that formula."),
            matches(_dof_variant(center=False), "X was not centered",
                    "Use the singular values of the centered X (X − X.mean(axis=0)): the intercept is not "
                    "shrunk and its degree of freedom is not counted."),
            matches(_dof_variant(power=1.0), "d_j was used instead of d_j²",
                    "Square the singular values: df = Σ d_j²/(d_j² + n·rate)."),
            Mistake("the rate is close but not accurate (a search stopped too early)",
                    "Your rate is within 1 % of the answer: keep bisecting until the interval is tiny "
                    "(say 100 halvings, or until hi − lo < 1e-12·hi).",
                    _roughly),
        ],
        error_hints=[
            ("LinAlgError", None, "Compute the singular values with np.linalg.svd(Xc, compute_uv=False); they "
             "need no matrix inverse."),
        ],
    ),
    FunctionTask(
        "mse_standard_error", EXERCISE,
        reference=mse_standard_error, cases=_error_cases, output="scalar", points=2,
        signature="mse_standard_error(y, y_pred)",
        description="the standard error of the mean squared error: sd(ddof=1) of (y − y_pred)² over √m",
        mistakes=[
            matches(lambda y, p: ((y - p) ** 2).std() / np.sqrt(y.size), "the standard deviation divides by m (ddof=0)",
                    "Use the sample standard deviation of the squared errors, np.std(sq, ddof=1) (ESL's 0.179 for "
                    "least squares needs ddof=1)."),
            matches(lambda y, p: (y - p).std(ddof=1) / np.sqrt(y.size),
                    "the standard deviation of the residuals was used",
                    "The test error is the mean of the *squared* errors, so its standard error is the sd of the "
                    "squared errors (y − y_pred)², over √m."),
            matches(lambda y, p: ((y - p) ** 2).std(ddof=1) / y.size, "divided by m instead of √m",
                    "The standard error of a mean of m values is their sd over √m."),
            matches(lambda y, p: ((y - p) ** 2).std(ddof=1), "the standard deviation was not divided by √m",
                    "That is the spread of single squared errors; the standard error of their mean is that "
                    "over √m."),
            matches(lambda y, p: ((y - p) ** 2).var(ddof=1) / y.size, "the variance of the mean was returned",
                    "Take the square root: sd/√m, not sd²/m."),
            matches(lambda y, p: float(np.mean((y - p) ** 2)), "the mean squared error itself was returned",
                    "That is the test error; its standard error is sd(squared errors, ddof=1)/√m."),
        ],
    ),
    ValueTask(
        "ridge_df5_test_error", EXERCISE,
        expected=_df5_expected, tolerance=1e-3, points=1,
        description="test error of ridge with 5 effective degrees of freedom on the book's prostate split",
        hint=_df5_hint,
    ),
    ValueTask(
        "lasso_selected_features", EXERCISE,
        expected=_lasso_expected, points=1,
        description=f"indices of the predictors the lasso keeps at rate={LASSO_RATE} on the book's inputs",
        hint=_lasso_hint,
    ),
    FunctionTask(
        "standardize_with_training", EXERCISE,
        reference=standardize_with_training, cases=training_statistics_cases, output="array", points=2,
        signature="standardize_with_training(X, X_train)",
        description="the rows of X standardized with the mean and sample standard deviation of X_train's columns",
        nan_hint="Your result contains NaN or inf: compute the mean and the standard deviation (ddof=1) of X_train's "
                 "columns (axis=0); X may be a single row, whose own standard deviation does not exist.",
        shape_problems=[rows_of_the_other_argument],
        mistakes=[
            matches(lambda X, Xt: (X - X.mean(axis=0)) / X.std(axis=0, ddof=1),
                    "X was standardized with its own mean and standard deviation",
                    "Use the training rows' statistics for every row you standardize: X − X_train.mean(axis=0), "
                    "divided by X_train.std(axis=0, ddof=1). Test rows scaled by their own statistics use the "
                    "test data, and are no longer on the scale the model was fitted on."),
            matches(lambda X, Xt: (X - np.vstack([Xt, X]).mean(axis=0)) / np.vstack([Xt, X]).std(axis=0, ddof=1),
                    "the statistics came from the training and the test rows together",
                    "That is the book's way (all rows), which lets the test rows shape the scale. Use X_train's "
                    "mean and sample standard deviation only."),
            matches(lambda X, Xt: (X - Xt.mean(axis=0)) / Xt.std(axis=0), "the standard deviation divides by n (ddof=0)",
                    _DDOF),
            matches(lambda X, Xt: (X - Xt.mean(axis=0)) / X.std(axis=0, ddof=1),
                    "the training rows' mean but X's own standard deviation",
                    "Both statistics come from the training rows: divide by X_train.std(axis=0, ddof=1) too."),
            matches(lambda X, Xt: (X - X.mean(axis=0)) / Xt.std(axis=0, ddof=1),
                    "X's own mean but the training rows' standard deviation",
                    "Both statistics come from the training rows: subtract X_train.mean(axis=0) too."),
            matches(lambda X, Xt: X - Xt.mean(axis=0), "centered but not scaled",
                    "Also divide by the training rows' sample standard deviation, X_train.std(axis=0, ddof=1)."),
            matches(lambda X, Xt: X / Xt.std(axis=0, ddof=1), "scaled but not centered",
                    "Subtract the training rows' mean first: (X − X_train.mean(axis=0)) / X_train.std(axis=0, ddof=1)."),
            matches(lambda X, Xt: (Xt - X.mean(axis=0)) / X.std(axis=0, ddof=1), "the two arguments are swapped",
                    "standardize_with_training(X, X_train) standardizes the rows of X (the first argument) with the "
                    "statistics of X_train (the second)."),
        ],
    ),
    ValueTask(
        "workflow_rate", EXERCISE,
        expected=workflow_rate_expected, tolerance=1e-6, points=1,
        description="the lasso rate chosen by 10-fold CV (seed 0) with the one-SE rule on the training-standardized rows",
        hint=workflow_rate_hint,
    ),
    PredictionTask(
        "predict_test_chosen", EXERCISE,
        answer="b", points=1,
        description="how the lowest test error over the grid compares with the test error of the CV-chosen rate",
        choices={
            "a": ("It cannot be higher: your rate is one of the grid's rates, and the colleague takes the lowest test "
                  "error of the whole grid, yours included."),
            "b": ("The colleague's rate is chosen to make exactly the number they report as small as possible, over a "
                  "grid that contains your rate: it is lower or equal by construction. That is why it is no longer an "
                  "honest estimate of the error on new patients — the test rows helped choose the model."),
            "c": ("It does not depend on the data: whatever the data, the smallest test error over the grid is at most "
                  "the test error at any grid rate, yours included."),
        },
    ),
    ValueTask(
        "workflow_test_error", EXERCISE,
        expected=workflow_test_error_expected, tolerance=1e-3, points=1,
        description="the test error, on the 30 test rows, of the lasso refit on all training rows at workflow_rate",
        hint=workflow_test_error_hint,
    ),
    WrittenTask(
        "explain_workflow_report", EXERCISE, points=3,
        description="a short report: the model chosen and how, its test error with its standard error, why the "
                    "test rows were used once",
    ),
]

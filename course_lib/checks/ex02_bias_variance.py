"""Checks for exercise 02_bias_variance: features, errors, the data term, a degree chosen on
validation data, bias² and variance, two predictions and a written answer.

Conventions checked: ``polynomial_features(x, degree)`` has the columns ``x, x², …, x^degree``
(no column of ones: the intercept is fitted separately), errors are reported as the plain
``mean_squared_error = 1/n·Σ(y − ŷ)²`` while the training data term is
``squared_loss = 1/(2n)·||y − Xw − b||²``, and for ``R`` repeated fits with predictions
``P`` of shape ``(R, m)`` at ``m`` test points and truth ``f``

    squared_bias        = mean_x (ȳ(x) − f(x))²,        ȳ = mean over the repeats (axis 0)
    prediction_variance = mean_x mean_r (P_r(x) − ȳ(x))²  (divided by R, not R − 1)

as in :func:`course_lib.bias_variance.bias_variance_from_predictions`.
"""

from __future__ import annotations

import numpy as np

from ..bias_variance import bias_variance_decomposition, bias_variance_from_predictions
from ..data import make_polynomial_data, polynomial_features
from ..losses import squared_loss
from ..model_selection import mean_squared_error
from ..trainers import fit_ridge
from .framework import (
    Case,
    FunctionTask,
    PredictionTask,
    Problem,
    ValueTask,
    WrittenTask,
    doubled_half,
    matches,
    missing_half,
    scaled,
    sum_not_mean,
)

EXERCISE = "ex02_bias_variance"


# ---------------------------------------------------------------------------
# polynomial_features
# ---------------------------------------------------------------------------


def _feature_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(201) if rng is None else rng
    return [
        Case("hand case: x = [0, 1, 2, 3], degree=2", (np.array([0.0, 1.0, 2.0, 3.0]), 2)),
        Case("degree=1 (one column)", (np.array([0.5, -1.0, 2.0]), 1)),
        Case("20 points in [0, 1], degree=5", (np.sort(rng.uniform(0.0, 1.0, size=20)), 5)),
        Case("negative inputs, degree=4", (np.array([-2.0, -0.5, 0.0, 1.5]), 4)),
        Case("a single point, degree=3", (np.array([1.5]), 3)),
        Case("degree=0: no columns at all, shape (n, 0)", (np.array([0.2, 0.4, 0.6]), 0)),
    ]


def _bias_column(got, expected):
    n, d = expected.shape
    if got.shape == (n, d + 1) and np.allclose(got[:, 0], 1.0) and np.allclose(got[:, 1:], expected):
        return Problem(
            "the column of ones (x⁰) was included",
            "Leave out the column of ones: the columns are x, x², …, x^degree (powers 1 to degree). "
            "The intercept b is fitted separately, and never penalized.",
        )
    return None


def _one_power_too_many(got, expected):
    n, d = expected.shape
    if got.shape == (n, d + 1) and np.allclose(got[:, :d], expected):
        return Problem(
            "there is one power too many (up to x^(degree+1))",
            "The highest power is x^degree: range(1, degree + 1) stops before degree + 1.",
        )
    return None


def _transposed(got, expected):
    if expected.ndim == 2 and expected.shape[1] > 0 and got.shape == expected.shape[::-1] \
            and np.allclose(got.T, expected):
        return Problem(
            "the array is transposed (one row per power instead of one row per sample)",
            f"Return shape (n, degree) = {expected.shape}: one row per sample, one column per power "
            "(e.g. x[:, None] ** powers, or np.column_stack instead of np.array/np.vstack).",
        )
    return None


def _flat_for_one_column(got, expected):
    if expected.ndim == 2 and expected.shape[1] == 1 and got.shape == expected.shape[:1]:
        return Problem(
            f"returned shape {got.shape} instead of {expected.shape}",
            "Even for degree=1 the features form a matrix with one column, shape (n, 1): "
            "the trainers expect X of shape (n, p).",
        )
    return None


def _powers_from_zero(x, degree):
    return x[:, None] ** np.arange(0, degree)


def _powers_reversed(x, degree):
    return x[:, None] ** np.arange(degree, 0, -1)


# ---------------------------------------------------------------------------
# mean_squared_error
# ---------------------------------------------------------------------------


def _error_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(202) if rng is None else rng
    y = rng.normal(size=1000)
    return [
        Case("hand case: y = [1, 2, 3, 4], y_pred = [1, 1, 4, 2]",
             (np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, 1.0, 4.0, 2.0]))),
        Case("a single sample", (np.array([2.0]), np.array([-1.0]))),
        Case("errors of both signs (their plain mean is 0)",
             (np.zeros(4), np.array([1.0, -1.0, 2.0, -2.0]))),
        Case("perfect predictions", (np.array([0.5, -1.5, 3.0]), np.array([0.5, -1.5, 3.0]))),
        Case("1000 samples", (y, y + 0.3 * rng.normal(size=1000) + 0.1)),
        Case("targets around 1000", (1000.0 + rng.normal(size=7), 1000.0 + rng.normal(size=7))),
    ]


def _count(case) -> int:
    return int(np.shape(case.args[0])[0])


# ---------------------------------------------------------------------------
# squared_loss
# ---------------------------------------------------------------------------


def _loss_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(203) if rng is None else rng
    X3, w3 = rng.normal(size=(50, 3)), np.array([0.5, -1.0, 2.0])
    X5 = rng.normal(size=(12, 5))
    return [
        Case("hand case: X = [[1], [2], [3]], y = [1, 2, 2], w = [1], b = 0",
             (np.array([[1.0], [2.0], [3.0]]), np.array([1.0, 2.0, 2.0]), np.array([1.0]), 0.0)),
        Case("lesson 01's example: two features, b = 0.2",
             (np.array([[1.0, 2.0], [0.0, 1.0], [2.0, -1.0], [1.0, 0.0]]), np.array([1.5, 0.0, 3.0, 2.0]),
              np.array([1.5, -0.5]), 0.2)),
        Case("zero weights: the model predicts b everywhere, b = 1.5",
             (X5, rng.normal(size=12), np.zeros(5), 1.5)),
        Case("negative intercept b = -1.5, n=50, p=3",
             (X3, X3 @ w3 - 1.5 + 0.2 * rng.normal(size=50), w3 + 0.1, -1.5)),
        Case("a single sample, b = 0.5", (np.array([[2.0, -1.0]]), np.array([3.0]), np.array([1.0, 1.0]), 0.5)),
        Case("b = 0, n=12, p=5", (X5, rng.normal(size=12), rng.normal(size=5), 0.0)),
    ]


def _loss_without_b(X, y, w, b):
    r = y - X @ w
    return float(r @ r) / (2 * len(y))


def _loss_plus_b(X, y, w, b):
    r = y - X @ w + b
    return float(r @ r) / (2 * len(y))


# ---------------------------------------------------------------------------
# squared_bias and prediction_variance
# ---------------------------------------------------------------------------


def _prediction_matrices(rng=None) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """``(label, predictions, true_values)``: repeats in rows, test points in columns."""
    rng = np.random.default_rng(204) if rng is None else rng
    truth3 = np.array([0.0, 1.0, -1.0])
    sweep = bias_variance_decomposition(1, 20, n_repeats=200, seed=2)
    return [
        ("hand case: predictions = [[1, 2], [3, 4]]", np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1.0, 1.0])),
        ("5 repeats at 3 test points (not square)", truth3 + 0.5 + rng.normal(size=(5, 3)), truth3),
        ("unbiased: repeats symmetric around the truth",
         np.array([[0.0, 2.0, -1.0, 3.0], [2.0, 0.0, 1.0, 1.0]]), np.array([1.0, 1.0, 0.0, 2.0])),
        ("all repeats identical (no variance)", np.tile(np.array([0.5, 1.5, -0.5]), (4, 1)),
         np.array([0.0, 1.0, 1.0])),
        ("one test point, 6 repeats", rng.normal(size=(6, 1)) + 2.0, np.array([1.0])),
        ("200 straight-line fits at 50 test points", sweep.predictions, sweep.true_values),
    ]


def _bias_cases(rng=None) -> list[Case]:
    return [Case(label, (P, f)) for label, P, f in _prediction_matrices(rng)]


def _variance_cases(rng=None) -> list[Case]:
    return [Case(label, (P,)) for label, P, _ in _prediction_matrices(rng)]


def squared_bias(predictions, true_values):
    """``mean_x (ȳ(x) − f(x))²`` with ``ȳ`` the mean of the predictions over the repeats (rows)."""
    return bias_variance_from_predictions(predictions, true_values).bias_sq


def prediction_variance(predictions):
    """``mean_x mean_r (P_r(x) − ȳ(x))²``: spread of the repeats around their mean (divided by R)."""
    predictions = np.asarray(predictions, dtype=float)
    zero_truth = np.zeros(predictions.shape[1]) if predictions.ndim == 2 else None
    return bias_variance_from_predictions(predictions, zero_truth).variance


_AXIS_HINT = ("`predictions` has one row per training set (repeat) and one column per test point: "
              "average over the repeats with axis=0, which leaves one value per test point.")


# ---------------------------------------------------------------------------
# Choosing the degree: best_degree (on validation data), chosen_test_error (the test set, once)
# ---------------------------------------------------------------------------

BEST_DEGREES = np.arange(1, 13)


def best_degree_data():
    """The three sets of the degree tasks: ``(x_train, y_train, x_val, y_val, x_test, y_test)``.

    The exercise notebook builds them with the same calls::

        x_train, y_train = make_polynomial_data(25, noise=0.3, seed=0)
        x_val, y_val = make_polynomial_data(25, noise=0.3, seed=10)
        x_test, y_test = make_polynomial_data(500, noise=0.3, seed=1000)

    On this validation set the lowest error is at degree 8 while the test set would prefer
    degree 5: choosing on the test set is recognised, and the chosen degree's test error is
    higher than its validation error (the minimum of twelve noisy errors is optimistic).
    """
    x_train, y_train = make_polynomial_data(25, noise=0.3, seed=0)
    x_val, y_val = make_polynomial_data(25, noise=0.3, seed=10)
    x_test, y_test = make_polynomial_data(500, noise=0.3, seed=1000)
    return x_train, y_train, x_val, y_val, x_test, y_test


def degree_errors():
    """Training, validation and test mean squared errors of least-squares polynomials of degree 1 to 12."""
    x_train, y_train, x_val, y_val, x_test, y_test = best_degree_data()
    errors = {"train": [], "val": [], "test": []}
    for degree in BEST_DEGREES:
        w, b = fit_ridge(polynomial_features(x_train, int(degree)), y_train, 0.0)
        for name, x, y in (("train", x_train, y_train), ("val", x_val, y_val), ("test", x_test, y_test)):
            errors[name].append(mean_squared_error(y, polynomial_features(x, int(degree)) @ w + b))
    return np.array(errors["train"]), np.array(errors["val"]), np.array(errors["test"])


def _best_degree():
    return int(BEST_DEGREES[np.argmin(degree_errors()[1])])


def _chosen_test_error():
    _, val, test = degree_errors()
    return float(test[np.argmin(val)])


class _DegreeTask(ValueTask):
    """The ``best_degree`` value task: a list or array of errors gets its own hint."""

    def _form(self, got, expected):
        if isinstance(got, (list, tuple)) or (isinstance(got, np.ndarray) and got.ndim > 0):
            return Problem(
                "gave several numbers instead of one degree",
                "Give the single degree (a whole number from 1 to 12) whose validation error is smallest, "
                "e.g. degrees[np.argmin(validation_errors)], not the list of errors.",
            )
        return super()._form(got, expected)


def _best_degree_hint(got, expected):
    train, _, test = degree_errors()
    if got == int(BEST_DEGREES[np.argmin(train)]):
        return ("That is the degree with the lowest *training* error: it always goes to the largest degree. "
                "Compare the errors on the validation points.")
    if got == int(BEST_DEGREES[np.argmin(test)]):
        return ("That is the degree with the lowest *test* error. The test set must not choose anything: "
                "choose on the validation points, then use the test set once, for the chosen degree.")
    if got == expected - 1:
        return ("np.argmin gives a position in your list of errors, not a degree: your list starts at "
                "degree 1, so position 0 is degree 1 (use degrees[np.argmin(errors)]).")
    if got != int(got):
        return "A degree is a whole number between 1 and 12."
    if not 1 <= got <= 12:
        return "The question asks for one of the degrees 1 to 12."
    return ("Fit each degree from 1 to 12 on the training points, compute the mean squared error on the "
            "validation points, and take the degree where it is smallest; do not guess from the picture "
            "of sin(2πx).")


def _chosen_test_error_hint(got, expected):
    train, val, test = degree_errors()
    chosen = int(np.argmin(val))
    close = lambda a, b: abs(a - b) <= 1e-6 * abs(b)  # noqa: E731
    if close(got, val[chosen]):
        return ("That is the chosen degree's *validation* error. Now compute its error on the test points, "
                "the one number the test set is used for.")
    if close(got, float(test.min())):
        return ("That is the smallest test error over all degrees: picking it would choose the degree on the "
                "test set. Report the test error of the degree you chose on the validation points.")
    if close(got, train[chosen]):
        return "That is the chosen degree's *training* error: evaluate it on the test points instead."
    if close(got, expected / 2):
        return ("Your value is half the test error: the 1/2 belongs to the training loss only; report the plain "
                "mean squared error.")
    if close(got, float(np.sqrt(expected))):
        return "Do not take the square root: report the mean squared error, not its root (RMSE)."
    return ("Fit your chosen degree on the training points (least squares, fit_ridge at rate 0), predict the "
            "test points, and compute the mean squared error there.")


# ---------------------------------------------------------------------------
# Tasks
# ---------------------------------------------------------------------------

_RESIDUAL_HINT = "The residual is y − Xw − b: subtract the intercept b too."

TASKS = [
    FunctionTask(
        "polynomial_features", EXERCISE,
        reference=polynomial_features, cases=_feature_cases, output="array", points=1,
        signature="polynomial_features(x, degree)",
        description="the columns x, x², …, x^degree of a 1-D x, shape (n, degree)",
        shape_problems=[_bias_column, _one_power_too_many, _transposed, _flat_for_one_column],
        mistakes=[
            matches(_powers_from_zero, "the powers start at 0 (x⁰ = 1) instead of 1",
                    "The columns are x¹, …, x^degree: start the powers at 1, np.arange(1, degree + 1). "
                    "The constant column is not a feature: the intercept b plays its role."),
            matches(_powers_reversed, "the columns are in reverse order",
                    "Column j (counting from 0) holds x^(j+1): the lowest power comes first."),
            matches(lambda x, degree: np.tile(x[:, None], (1, degree)), "every column is x itself",
                    "Raise x to a different power in each column: x¹, x², …, x^degree."),
            matches(lambda x, degree: x[:, None] * np.arange(1, degree + 1), "x was multiplied by k, not raised to k",
                    "Use the power operator `**`: x ** k, not x * k."),
        ],
        error_hints=[
            ("ValueError", "at least one array", "With degree=0 there are no columns to stack: build the array "
             "in a way that also works for zero columns, e.g. x[:, None] ** np.arange(1, degree + 1), "
             "which has shape (n, 0) when degree is 0."),
        ],
    ),
    FunctionTask(
        "mean_squared_error", EXERCISE,
        reference=mean_squared_error, cases=_error_cases, output="scalar", points=1,
        signature="mean_squared_error(y, y_pred)", description="the mean squared error 1/n · Σ (y_i − ŷ_i)²",
        mistakes=[
            sum_not_mean(_count, hint="Divide by the number of samples: the mean of the squared errors "
                         "(np.mean), not their sum."),
            doubled_half(hint="The 1/2 belongs to the training loss 1/(2n)·Σr² only; the error we report is "
                         "the plain mean of the squared errors, without the 1/2."),
            matches(lambda y, p: np.sqrt(np.mean((y - p) ** 2)), "the square root was taken (that is the RMSE)",
                    "Do not take the square root: the mean squared error is the mean of the squared errors "
                    "(its square root is the RMSE)."),
            matches(lambda y, p: np.mean(np.abs(y - p)), "absolute errors were averaged (that is the MAE)",
                    "Square the errors instead of taking absolute values: (y − ŷ)²."),
            matches(lambda y, p: np.mean(y - p), "the errors were not squared",
                    "Square each error before averaging: errors of opposite signs must not cancel."),
            matches(lambda y, p: np.mean(y - p) ** 2, "the mean error was squared",
                    "Square each error first, then average: mean((y − ŷ)²), not (mean(y − ŷ))²."),
            scaled(lambda case: _count(case) / (_count(case) - 1), "you divided by n − 1",
                   "Divide by n, the number of samples (np.mean), not by n − 1."),
        ],
    ),
    FunctionTask(
        "squared_loss", EXERCISE,
        reference=squared_loss, cases=_loss_cases, output="scalar", points=1,
        signature="squared_loss(X, y, w, b)", description="the data term 1/(2n) · ||y − Xw − b||²",
        mistakes=[
            missing_half(hint="The data term has a 1/2: 1/(2n)·Σ r_i². Without it you computed the mean "
                         "squared error, which is twice the loss."),
            doubled_half(hint="There is a single 1/2 in 1/(2n)·Σ r_i²: your value is half of it."),
            matches(_loss_without_b, "the intercept b is missing", _RESIDUAL_HINT),
            matches(_loss_plus_b, "b was added instead of subtracted", _RESIDUAL_HINT),
            scaled(lambda case: 2.0 * _count(case), "the squared residuals were summed, with no 1/(2n)",
                   "Divide the sum of squared residuals by 2n (the 1/2 and the mean)."),
            sum_not_mean(_count, hint="Divide by the number of samples n: the loss is 1/(2n)·Σ r_i², a mean."),
            matches(lambda X, y, w, b: np.linalg.norm(y - X @ w - b) / (2 * len(y)),
                    "the norm ||r|| was used instead of its square",
                    "Use the squared norm: np.sum(r**2) or r @ r, not np.linalg.norm(r)."),
        ],
    ),
    PredictionTask(
        "predict_training_error", EXERCISE, answer="a", points=1,
        description="before the experiment: what the training error does as the degree grows from 1 to 12",
        choices={
            "a": "A polynomial of degree d + 1 can do everything one of degree d can (set the new weight to "
                 "0), so least squares never fits its own training points worse with more terms.",
            "b": "Falling, then rising, is what the error on *new* points does. On its own training points a "
                 "larger polynomial can always do at least as well: it can set its extra weight to 0.",
            "c": "A larger polynomial contains every smaller one (set the extra weight to 0), so its training "
                 "error cannot be higher; more terms give least squares more freedom to fit the points.",
        },
    ),
    _DegreeTask(
        "best_degree", EXERCISE,
        expected=_best_degree, tolerance=0.0, points=2,
        description="the degree (1 to 12) with the lowest validation error; the test set is not used",
        hint=_best_degree_hint,
    ),
    ValueTask(
        "chosen_test_error", EXERCISE,
        expected=_chosen_test_error, tolerance=1e-6, points=1,
        description="the test mean squared error of the degree chosen on the validation set",
        hint=_chosen_test_error_hint,
    ),
    WrittenTask(
        "explain_validation", EXERCISE, points=2,
        description="why the chosen degree's test error exceeds its validation error, and why neither the "
                    "training set nor the test set may choose the degree",
    ),
    FunctionTask(
        "squared_bias", EXERCISE,
        reference=squared_bias, cases=_bias_cases, output="scalar", points=1,
        signature="squared_bias(predictions, true_values)",
        description="mean over test points of (mean prediction − truth)²",
        mistakes=[
            matches(lambda P, f: np.mean((P - f) ** 2), "every prediction was compared with the truth "
                    "(that is bias² + variance)",
                    "First average the predictions over the repeats (ȳ = predictions.mean(axis=0)), then "
                    "compare that average with the truth: mean((ȳ − f)²)."),
            matches(lambda P, f: np.mean(P.mean(axis=0) - f) ** 2, "the average difference was squared",
                    "Square the difference at each test point, then average over the points: "
                    "mean((ȳ − f)²), not (mean(ȳ − f))²."),
            matches(lambda P, f: np.mean(P.mean(axis=0) - f), "the difference was not squared",
                    "Square the difference ȳ − f at each test point before averaging."),
            matches(lambda P, f: np.mean(np.abs(P.mean(axis=0) - f)), "absolute differences were used",
                    "Square the difference ȳ − f at each test point (not its absolute value)."),
            matches(lambda P, f: np.sqrt(squared_bias(P, f)), "the square root was taken (that is the bias, "
                    "not bias²)", "Return the squared bias itself: no square root."),
            scaled(lambda case: np.shape(case.args[0])[1], "the test points were summed, not averaged",
                   "Average over the test points (np.mean), do not sum."),
        ],
        error_hints=[("ValueError", "broadcast", _AXIS_HINT)],
    ),
    FunctionTask(
        "prediction_variance", EXERCISE,
        reference=prediction_variance, cases=_variance_cases, output="scalar", points=1,
        signature="prediction_variance(predictions)",
        description="mean over test points of the variance of the predictions over the repeats",
        mistakes=[
            scaled(lambda case: np.shape(case.args[0])[0] / (np.shape(case.args[0])[0] - 1),
                   "you divided by R − 1 (ddof=1)",
                   "Divide by the number of repeats R, not R − 1 (np.var's default ddof=0 does this; "
                   "pandas and np.cov divide by R − 1). Then bias² + variance equals mean((ŷ − f)²) exactly."),
            matches(lambda P: np.mean(np.var(P, axis=1)), "the variance was taken across test points (axis=1)",
                    _AXIS_HINT),
            matches(lambda P: np.var(P), "all entries were pooled into one variance",
                    "Take the variance over the repeats separately at each test point (axis=0), then "
                    "average: pooling all entries also counts how the mean curve varies along x."),
            matches(lambda P: np.mean(np.std(P, axis=0)), "the standard deviation was averaged",
                    "Use the variance (squared deviations, np.var), not the standard deviation."),
            scaled(lambda case: np.shape(case.args[0])[1], "the test points were summed, not averaged",
                   "Average over the test points (np.mean), do not sum."),
            scaled(lambda case: np.shape(case.args[0])[0], "the squared deviations were summed over the repeats",
                   "Average the squared deviations over the repeats (divide by R), do not sum them."),
        ],
    ),
    PredictionTask(
        "predict_dominant_term", EXERCISE, answer="noise", points=1,
        description="before the experiment: the largest of bias², variance and noise for degree 9 on 20 points",
        choices={
            "bias": "From degree 5 on, a polynomial follows sin(2πx) on [0, 1] almost perfectly: the average "
                    "of many degree-9 fits sits on the truth, and bias² is nearly 0.",
            "variance": "The variance grows with the degree, but with 20 evenly spaced points degree 9 is not "
                        "yet wild: its variance is about half the noise. It overtakes the noise only near "
                        "degree 13.",
            "noise": "The noise σ² = 0.3² = 0.09 is the floor of every model. Degree 9 has almost no bias² and "
                     "a variance about half the noise: the part no model can remove is the largest one.",
        },
    ),
]

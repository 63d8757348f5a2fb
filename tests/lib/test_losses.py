"""Tests for course_lib.losses: hand cases, finite differences, independent oracles, tails."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from course_lib.losses import (
    log_loss,
    log_loss_from_scores,
    log_loss_gradient,
    sigmoid,
    squared_loss,
    squared_loss_gradient,
)


def rel_err(a, b) -> float:
    """Norm-wise relative error with a floor: ||a − b|| / max(1e-8, ||a|| + ||b||)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.linalg.norm(a - b) / max(1e-8, np.linalg.norm(a) + np.linalg.norm(b)))


def regression_problem(seed, n=30, p=4):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    y = X @ rng.normal(size=p) + 0.5 + rng.normal(scale=0.3, size=n)
    return X, y, rng.normal(size=p), float(rng.normal())


def classification_problem(seed, n=30, p=4):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    y = (rng.random(n) < 0.5).astype(float)
    return X, y, rng.normal(size=p), float(rng.normal())


def fd_gradient(f, w, b, h=1e-6):
    g_w = np.array([(f(w + h * e, b) - f(w - h * e, b)) / (2 * h) for e in np.eye(w.size)])
    return g_w, (f(w, b + h) - f(w, b - h)) / (2 * h)


# ---------------------------------------------------------------------------
# Hand cases
# ---------------------------------------------------------------------------


def test_squared_loss_hand_case():
    X, y = np.array([[1.0], [2.0]]), np.array([1.0, 3.0])
    # residuals y − Xw − b = [0, 1] at w = 1, b = 0: loss 1/(2·2)·1, gradient −Xᵀr/n = −2/2.
    assert squared_loss(X, y, [1.0], 0.0) == 0.25
    g_w, g_b = squared_loss_gradient(X, y, [1.0], 0.0)
    np.testing.assert_array_equal(g_w, [-1.0])
    assert g_b == -0.5
    # b shifts every prediction: with b = 1 the residuals are [−1, 0].
    assert squared_loss(X, y, [1.0], 1.0) == 0.25
    assert squared_loss_gradient(X, y, [1.0], 1.0)[1] == 0.5


def test_log_loss_hand_cases():
    X = np.array([[1.0], [-2.0]])
    assert log_loss(X, [0.0, 1.0], [0.0], 0.0) == pytest.approx(np.log(2.0), rel=1e-15)
    # z = log 3 gives p = 3/4: a correct label 1 costs log(4/3), a label 0 costs log 4.
    assert log_loss([[1.0]], [1.0], [np.log(3.0)]) == pytest.approx(np.log(4 / 3), rel=1e-14)
    assert log_loss([[1.0]], [0.0], [np.log(3.0)]) == pytest.approx(np.log(4.0), rel=1e-14)
    g_w, g_b = log_loss_gradient([[1.0]], [1.0], [np.log(3.0)])
    assert g_w[0] == pytest.approx(-0.25, rel=1e-14) and g_b == pytest.approx(-0.25, rel=1e-14)


def test_sigmoid_hand_values():
    assert float(sigmoid(0.0)) == 0.5
    assert float(sigmoid(np.log(3.0))) == pytest.approx(0.75, rel=1e-15)
    np.testing.assert_allclose(sigmoid([-np.log(3.0), np.log(3.0)]), [0.25, 0.75], rtol=1e-15)


# ---------------------------------------------------------------------------
# Finite differences and oracles
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
def test_squared_loss_gradient_by_finite_differences(seed):
    X, y, w, b = regression_problem(seed)
    fd_w, fd_b = fd_gradient(lambda w, b: squared_loss(X, y, w, b), w, b)
    g_w, g_b = squared_loss_gradient(X, y, w, b)
    assert rel_err(fd_w, g_w) < 1e-7
    assert rel_err(fd_b, g_b) < 1e-7


@pytest.mark.parametrize("seed", range(4))
def test_log_loss_gradient_by_finite_differences(seed):
    X, y, w, b = classification_problem(seed)
    fd_w, fd_b = fd_gradient(lambda w, b: log_loss(X, y, w, b), w, b)
    g_w, g_b = log_loss_gradient(X, y, w, b)
    assert rel_err(fd_w, g_w) < 1e-7
    assert rel_err(fd_b, g_b) < 1e-7


def test_squared_loss_gradient_vanishes_at_least_squares_solution():
    X, y, _, _ = regression_problem(5, n=50, p=3)
    coef = np.linalg.lstsq(np.column_stack([X, np.ones(len(y))]), y, rcond=None)[0]
    g_w, g_b = squared_loss_gradient(X, y, coef[:3], coef[3])
    assert np.max(np.abs(g_w)) < 1e-12 and abs(g_b) < 1e-12


@pytest.mark.parametrize("seed", range(3))
def test_losses_match_scikit_learn_metrics(seed):
    metrics = pytest.importorskip("sklearn.metrics")
    X, y, w, b = regression_problem(seed)
    assert squared_loss(X, y, w, b) == pytest.approx(metrics.mean_squared_error(y, X @ w + b) / 2, rel=1e-13)
    X, y, w, b = classification_problem(seed)
    p = 1 / (1 + np.exp(-(X @ w + b)))
    assert log_loss(X, y, w, b) == pytest.approx(metrics.log_loss(y, p, labels=[0, 1]), rel=1e-12)


def test_log_loss_is_the_cross_entropy():
    X, y, w, b = classification_problem(6)
    p = 1 / (1 + np.exp(-(X @ w + b)))
    cross_entropy = np.mean(-y * np.log(p) - (1 - y) * np.log(1 - p))
    assert log_loss(X, y, w, b) == pytest.approx(cross_entropy, rel=1e-13)


def test_losses_are_means_so_repeating_rows_changes_nothing():
    X, y, w, b = regression_problem(7)
    X2, y2 = np.vstack([X, X]), np.concatenate([y, y])
    assert squared_loss(X2, y2, w, b) == pytest.approx(squared_loss(X, y, w, b), rel=1e-14)
    X, y, w, b = classification_problem(7)
    X2, y2 = np.vstack([X, X]), np.concatenate([y, y])
    assert log_loss(X2, y2, w, b) == pytest.approx(log_loss(X, y, w, b), rel=1e-14)
    np.testing.assert_allclose(log_loss_gradient(X2, y2, w, b)[0], log_loss_gradient(X, y, w, b)[0], rtol=1e-13)


def test_sigmoid_derivative_by_finite_differences():
    z = np.linspace(-30, 30, 61)
    h = 1e-6
    fd = (sigmoid(z + h) - sigmoid(z - h)) / (2 * h)
    s = sigmoid(z)
    assert rel_err(fd, s * (1 - s)) < 1e-7


# ---------------------------------------------------------------------------
# Tails: no overflow, right asymptotes, symmetry
# ---------------------------------------------------------------------------

BIG = [30.0, 50.0, 300.0, 1000.0, 1e6]


def test_sigmoid_is_symmetric_and_stable():
    z = np.concatenate([-np.array(BIG[::-1]), np.linspace(-20, 20, 81), BIG])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow in exp would be a RuntimeWarning
        s, s_neg = sigmoid(z), sigmoid(-z)
    np.testing.assert_allclose(s + s_neg, 1.0, rtol=0, atol=4.5e-16)  # two ulps
    assert np.all(np.diff(s) >= 0) and np.all((s >= 0) & (s <= 1))
    assert float(sigmoid(1000.0)) == 1.0 and float(sigmoid(-1000.0)) == 0.0
    # the lower tail keeps full relative precision: sigmoid(−t) ≈ e^{−t}
    np.testing.assert_allclose(sigmoid(-np.array([30.0, 50.0, 300.0])), np.exp(-np.array([30.0, 50.0, 300.0])), rtol=1e-12)


@pytest.mark.parametrize("t", BIG)
def test_log_loss_tails(t):
    # A confident right answer costs log(1 + e^{−t}) ≈ e^{−t}; a confident wrong one costs ≈ t.
    X = np.array([[1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        right = [log_loss(X, [1.0], [t]), log_loss(X, [0.0], [-t])]
        wrong = [log_loss(X, [0.0], [t]), log_loss(X, [1.0], [-t])]
        grads = [log_loss_gradient(X, [0.0], [t])[0][0], log_loss_gradient(X, [1.0], [-t])[0][0]]
    np.testing.assert_allclose(right, np.log1p(np.exp(-t)), rtol=1e-12, atol=0)
    np.testing.assert_allclose(wrong, t + np.log1p(np.exp(-t)), rtol=1e-15)
    slope = 1.0 / (1.0 + np.exp(-t))  # tends to 1
    np.testing.assert_allclose(grads, [slope, -slope], rtol=1e-15)


def test_log_loss_is_finite_and_exact_in_the_middle():
    z = np.linspace(-35, 35, 71)
    X = z[:, None]
    for label in (0.0, 1.0):
        y = np.full(z.size, label)
        terms = [log_loss(X[i : i + 1], y[i : i + 1], [1.0]) for i in range(z.size)]
        expected = np.log1p(np.exp(-z)) if label == 1 else np.log1p(np.exp(z))
        np.testing.assert_allclose(terms, expected, rtol=1e-13)


def test_losses_do_not_modify_their_input():
    X, y, w, b = classification_problem(8)
    copies = [a.copy() for a in (X, y, w)]
    log_loss_gradient(X, y, w, b)[0][...] = 99.0
    squared_loss_gradient(X, y, w, b)[0][...] = 99.0
    for original, copy in zip((X, y, w), copies):
        np.testing.assert_array_equal(original, copy)


# ---------------------------------------------------------------------------
# log_loss_from_scores: the one log-loss kernel
# ---------------------------------------------------------------------------


def test_log_loss_from_scores_hand_cases():
    # z = 0 is p = 1/2 for either label: log 2 each.  z = log 3 is p = 3/4: −log(3/4) for label 1,
    # −log(1/4) for label 0.
    assert log_loss_from_scores([0.0, 0.0], [0, 1]) == pytest.approx(np.log(2.0), rel=1e-15)
    assert log_loss_from_scores([np.log(3.0)], [1]) == pytest.approx(-np.log(0.75), rel=1e-14)
    assert log_loss_from_scores([np.log(3.0)], [0]) == pytest.approx(-np.log(0.25), rel=1e-14)


def test_log_loss_from_scores_matches_sklearn_and_log_loss():
    from sklearn.metrics import log_loss as sk_log_loss

    X, y, w, b = classification_problem(40, n=50)
    z = X @ w + b
    p = 1.0 / (1.0 + np.exp(-z))
    assert log_loss_from_scores(z, y) == pytest.approx(sk_log_loss(y, p), rel=1e-12)
    assert log_loss_from_scores(z, y) == log_loss(X, y, w, b)  # log_loss is this function of Xw + b


def test_log_loss_from_scores_rows_are_models():
    X, y, w, b = classification_problem(41, n=20)
    Z = np.vstack([X @ w + b, X @ (2 * w) - b, np.zeros(20)])
    rows = log_loss_from_scores(Z, y)
    assert rows.shape == (3,)
    for z, value in zip(Z, rows):
        assert value == log_loss_from_scores(z, y)


def test_log_loss_from_scores_keeps_precision_in_the_tails():
    # Confident and right: the loss is log(1 + e^{−|z|}) ≈ e^{−|z|}, far below 1 − p's precision.
    z = np.array([40.0, -40.0])
    assert log_loss_from_scores(z, [1, 0]) == pytest.approx(np.exp(-40.0), rel=1e-12)
    # Confident and wrong: ≈ |z|, no overflow; ±inf scores give inf or 0.
    assert log_loss_from_scores([800.0], [0]) == pytest.approx(800.0, rel=1e-15)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert log_loss_from_scores([np.inf, -np.inf], [1, 0]) == 0.0
        assert log_loss_from_scores([np.inf], [0]) == np.inf


@pytest.mark.parametrize(
    "z, y, error, match",
    [
        ([0.0, np.nan], [0, 1], ValueError, r"^z must not contain NaN"),
        ([[[0.0]]], [0], ValueError, r"^z must be a 1-D array of scores"),
        ([], [], ValueError, r"^z must be a 1-D array of scores"),
        ("01", [0, 1], TypeError, r"^z must be a numeric array"),
        ([0.0, 1.0], [0, 2], ValueError, r"^y must contain only the labels 0 and 1"),
        ([0.0, 1.0], [0, 1, 1], ValueError, r"^y must have length 2; got length 3"),
    ],
)
def test_log_loss_from_scores_bad_input(z, y, error, match):
    with pytest.raises(error, match=match):
        log_loss_from_scores(z, y)

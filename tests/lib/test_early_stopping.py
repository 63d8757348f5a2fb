"""Tests for course_lib.early_stopping: the patience rule and the early-stopping ≈ ridge comparison.

Oracles: hand-made loss lists whose best and stop epochs can be read off on paper, a brute-force
restatement of the rule, the closed form of gradient descent on a least-squares problem with
orthogonal columns, and ridge's closed form.
"""

import numpy as np
import pytest

from course_lib.early_stopping import (
    EarlyStopping,
    closest_ridge_rates,
    early_stopping_epochs,
    gradient_descent_weights,
)
from course_lib.trainers import fit_ridge


@pytest.mark.parametrize(
    "losses, patience, best, stop",
    [
        ([1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.9], 3, 2, 5),   # three epochs without a new low after epoch 2
        ([1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.9], 5, 2, 6),   # the list ends first: ran to the end
        ([1.0, 0.9, 0.8, 0.7], 1, 3, 3),                     # always improving
        ([0.5, 0.6, 0.7], 2, 0, 2),                          # the initialization was best
        ([0.5, 0.5, 0.5, 0.4], 2, 0, 2),                     # a tie is no improvement
        ([1.0, 0.9, 0.95, 0.85, 0.9, 0.95], 2, 3, 5),        # a new low resets the count
        ([3.0], 1, 0, 0),
    ],
)
def test_hand_made_lists(losses, patience, best, stop):
    assert early_stopping_epochs(losses, patience) == (best, stop)
    point = early_stopping_epochs(np.array(losses), patience)
    assert (point.best_epoch, point.stop_epoch) == (best, stop)


def _brute_force(losses, patience):
    """Stop at the first e where none of the last `patience` epochs beat everything before them."""
    for e in range(patience, len(losses)):
        if min(losses[e - patience + 1 : e + 1]) >= min(losses[: e - patience + 1]):
            return int(np.argmin(losses[: e + 1])), e
    return int(np.argmin(losses)), len(losses) - 1


def test_agrees_with_a_brute_force_restatement_on_random_curves():
    rng = np.random.default_rng(0)
    for _ in range(300):
        losses = np.round(np.cumsum(rng.normal(size=rng.integers(1, 40))), 1)  # rounding makes ties common
        patience = int(rng.integers(1, 8))
        assert early_stopping_epochs(losses, patience) == _brute_force(list(losses), patience)


def test_the_incremental_rule_reports_the_stop_once_patience_runs_out():
    rule = EarlyStopping(2)
    assert [rule.update(e, loss) for e, loss in enumerate([1.0, 0.5, 0.6, 0.7, 0.4])] == [
        False, False, False, True, False]
    assert rule.best_epoch == 4


@pytest.mark.parametrize(
    "call, exc, name",
    [
        (lambda: early_stopping_epochs([1.0, 0.5], 0), ValueError, "patience"),
        (lambda: early_stopping_epochs([1.0, 0.5], 1.5), TypeError, "patience"),
        (lambda: early_stopping_epochs([1.0, np.nan], 2), ValueError, "val_losses"),
        (lambda: early_stopping_epochs([], 2), ValueError, "val_losses"),
        (lambda: early_stopping_epochs([[1.0, 2.0]], 2), ValueError, "val_losses"),
        (lambda: EarlyStopping(-1), ValueError, "patience"),
        (lambda: gradient_descent_weights(np.ones((3, 2)), np.ones(3), 0.0, [1]), ValueError, "lr"),
        (lambda: gradient_descent_weights(np.ones((3, 2)), np.ones(3), 0.1, [-1]), ValueError, "steps"),
        (lambda: closest_ridge_rates(np.ones((3, 2)), np.ones(3), np.ones((1, 3)), [0.1]), ValueError, "weights"),
    ],
)
def test_bad_input_raises_naming_the_argument(call, exc, name):
    with pytest.raises(exc, match=name):
        call()


# ---------------------------------------------------------------------------
# Going further: early stopping ≈ ridge
# ---------------------------------------------------------------------------


def test_gradient_descent_on_orthogonal_columns_follows_its_closed_form():
    # Centered orthogonal columns with X_jᵀX_j/n = c_j: each weight moves on its own,
    # w_j(τ) = (1 − (1 − lr·c_j)^τ)·ŵ_j with ŵ the least-squares weights.
    n = 8
    X = np.zeros((n, 2))
    X[:, 0] = [1, -1, 1, -1, 1, -1, 1, -1]
    X[:, 1] = 2.0 * np.array([1, 1, -1, -1, 1, 1, -1, -1])
    y = 0.7 * X[:, 0] - 0.2 * X[:, 1] + np.array([0.1, -0.1, 0.0, 0.05, -0.05, 0.0, 0.1, -0.1]) + 3.0
    c = np.sum(X**2, axis=0) / n  # 1 and 4
    w_hat = (X.T @ (y - y.mean())) / (n * c)
    lr, steps = 0.1, [0, 1, 5, 40]
    got = gradient_descent_weights(X, y, lr, steps)
    want = np.array([(1 - (1 - lr * c) ** t) * w_hat for t in steps])
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_the_rows_follow_the_order_of_steps():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    forward = gradient_descent_weights(X, y, 0.1, [3, 10, 30])
    shuffled = gradient_descent_weights(X, y, 0.1, [30, 3, 10])
    np.testing.assert_array_equal(shuffled, forward[[2, 0, 1]])


def test_closest_ridge_rate_finds_the_rate_of_a_ridge_fit():
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(30, 4)), rng.normal(size=30)
    grid = np.geomspace(1e-3, 10.0, 41)
    targets = [grid[5], grid[20], grid[33]]
    weights = np.array([fit_ridge(X, y, rate).w for rate in targets])
    np.testing.assert_allclose(closest_ridge_rates(X, y, weights, grid), targets, rtol=1e-12)


def test_stopping_after_tau_steps_is_close_to_ridge_with_rate_one_over_tau_lr():
    # Goodfellow et al. §7.8: while τ·lr is short of the slowest direction's 1/curvature, the matched
    # rate is within a factor of 2 of 1/(τ·lr), over more than a decade of τ.
    rng = np.random.default_rng(3)
    X = rng.normal(size=(200, 5)) * np.array([3.0, 2.0, 1.0, 0.5, 0.3])
    y = X @ np.array([1.0, -1.0, 0.5, 2.0, -3.0]) + rng.normal(size=200)
    lr, steps = 0.02, np.array([10, 30, 100, 300])
    matched = closest_ridge_rates(X, y, gradient_descent_weights(X, y, lr, steps), np.geomspace(1e-5, 100, 701))
    ratio = matched * steps * lr
    assert np.all((ratio > 0.5) & (ratio < 2.0)), ratio
    assert np.all(np.diff(matched) < 0)  # longer training, weaker equivalent penalty

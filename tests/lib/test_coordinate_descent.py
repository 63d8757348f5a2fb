"""Tests for course_lib.coordinate_descent: the readable lasso loop of lesson 04 and its kernel.

Oracles: soft-thresholding worked by hand, the plain learner-style loop of lesson 04
(``lasso_coordinate_update`` swept until nothing moves, which shares no code with the fast loop
but the update formula), the optimality (KKT) conditions, the duality gap's defining inequality,
and closed forms on orthonormal designs.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from course_lib.coordinate_descent import (
    coordinate_descent,
    coordinate_sweep,
    lasso_coordinate_update,
    lasso_objective_and_gap,
    solve_on_support,
)
from course_lib.trainers import ConvergenceWarning, fit_elastic_net, fit_lasso, lasso_max_rate


def correlated_problem(seed, n, p, rho=0.8, n_informative=4, offset=2.0):
    rng = np.random.default_rng(seed)
    cov = rho ** np.abs(np.subtract.outer(np.arange(p), np.arange(p)))
    X = rng.standard_normal((n, p)) @ np.linalg.cholesky(cov).T + offset * rng.standard_normal(p)
    w = np.zeros(p)
    w[rng.choice(p, min(n_informative, p), replace=False)] = rng.uniform(1, 3, min(n_informative, p))
    return X, X @ w + 1.0 + 0.5 * rng.standard_normal(n)


def products(X, y, l2=0.0):
    """Centered G (+ l2·I), c and yy, computed here without course_lib."""
    n, p = X.shape
    Xc, yc = X - X.mean(0), y - y.mean()
    return Xc.T @ Xc / n + l2 * np.eye(p), Xc.T @ yc / n, float(yc @ yc) / n, Xc, yc


def kkt_violation(Xc, yc, w, l1, l2=0.0):
    """Largest violation of the elastic-net optimality conditions on centered data."""
    n = len(yc)
    g = Xc.T @ (yc - Xc @ w) / n - l2 * w
    on = np.abs(g - l1 * np.sign(w))
    off = np.maximum(np.abs(g) - l1, 0.0)
    return float(np.max(np.where(w != 0, on, off)))


def learner_lasso(Xc, yc, rate, sweeps=20000, tol=1e-14):
    """Lesson 04's loop as a learner writes it: sweep lasso_coordinate_update until nothing moves."""
    w = np.zeros(Xc.shape[1])
    for _ in range(sweeps):
        largest = 0.0
        for j in range(Xc.shape[1]):
            new = lasso_coordinate_update(Xc, yc, w, j, rate)
            largest = max(largest, abs(new - w[j]))
            w[j] = new
        if largest < tol:
            return w
    raise AssertionError("the plain loop did not settle")


PROBLEMS = {
    "n>p": lambda: correlated_problem(0, 60, 8),
    "p>n": lambda: correlated_problem(1, 20, 30),
    "correlated": lambda: correlated_problem(2, 80, 10, rho=0.95),
}


# ---------------------------------------------------------------------------
# Hand cases
# ---------------------------------------------------------------------------


def test_sweep_on_the_lasso_toy():
    # X = [-1, 0, 1], y = X: G = 2/3, c = 2/3.  One update from 0 is S(2/3, rate)/(2/3).
    for rate, expected in [(0.1, 0.85), (0.5, 0.25), (1.0, 0.0)]:
        w = np.zeros(1)
        correlation = np.array([2 / 3])
        coordinate_sweep(w, np.array([[2 / 3]]), correlation, np.array([rate]), [0])
        assert w[0] == pytest.approx(expected, abs=1e-15)
        # the correlation is kept equal to c − G·w
        assert correlation[0] == pytest.approx(2 / 3 - 2 / 3 * expected, abs=1e-15)


def test_sweep_on_an_orthonormal_design_is_exact_in_one_pass():
    # G = I: the coordinates do not interact, so one sweep lands on S(c, l1) / (1 + l2).
    c = np.array([1.5, -0.2, 0.7, -3.0])
    for l1, l2 in [(0.5, 0.0), (0.5, 0.25), (0.0, 1.0)]:
        w = np.zeros(4)
        coordinate_sweep(w, (1 + l2) * np.eye(4), c.copy(), np.full(4, l1), range(4))
        np.testing.assert_allclose(w, np.sign(c) * np.maximum(np.abs(c) - l1, 0) / (1 + l2), rtol=1e-15)


def test_sweep_leaves_unvisited_coordinates_and_zeroes_dead_columns():
    G = np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.5], [0.0, 0.5, 1.0]])  # column 0 is constant
    c = np.array([0.0, 1.0, 1.0])
    w = np.array([3.0, 0.0, 0.0])
    correlation = c - G @ w
    coordinate_sweep(w, G, correlation, np.full(3, 0.1), [0, 1])
    assert w[0] == 0.0  # the data do not depend on it: the penalty sets it to 0
    assert w[1] == pytest.approx(0.9) and w[2] == 0.0  # 2 was not visited
    np.testing.assert_allclose(correlation, c - G @ w, atol=1e-15)
    # An unpenalized dead coordinate stays where it is.
    w = np.array([3.0, 0.0, 0.0])
    coordinate_sweep(w, G, c - G @ w, np.array([0.0, 0.1, 0.1]), [0])
    assert w[0] == 3.0


def test_solve_on_support_hand_case():
    # G = [[2, 1], [1, 2]], c = [3, 0], l1 = 0.5, w = [1, 0]: on A = {0} with sign +,
    # 2·w0 = 3 − 0.5, so w0 = 1.25 (a full step: no sign changes).
    G, c, l1 = np.array([[2.0, 1.0], [1.0, 2.0]]), np.array([3.0, 0.0]), np.full(2, 0.5)
    w = np.array([1.0, 0.0])
    new = solve_on_support(w, G, c - G @ w, l1)
    np.testing.assert_allclose(new, [1.25, 0.0], rtol=1e-15)
    # Towards a target across zero the step stops where the first weight reaches 0, exactly.
    # With c = 0, w = [1, −0.1], s = [+, −]: target = −l1·G⁻¹s = [−0.5, 0.5]; weight 1 reaches 0
    # first, at t = 0.1/0.6 = 1/6, where weight 0 is 1 + (−1.5)/6 = 0.75.
    w = np.array([1.0, -0.1])
    new = solve_on_support(w, G, np.array([0.0, 0.0]) - G @ w, l1)
    np.testing.assert_allclose(new, [0.75, 0.0], rtol=1e-14)
    assert new[1] == 0.0


# ---------------------------------------------------------------------------
# The readable loop against lesson 04's plain loop, and the optimality conditions
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", PROBLEMS)
@pytest.mark.parametrize("fraction", [0.5, 0.1, 0.02])
def test_coordinate_descent_equals_the_plain_loop_of_lesson_04(name, fraction):
    X, y = PROBLEMS[name]()
    G, c, yy, Xc, yc = products(X, y)
    rate = fraction * float(np.max(np.abs(c)))
    w, n_pass, converged, history, gap = coordinate_descent(G, c, yy, rate, np.zeros(X.shape[1]), 1e-13, 10_000)
    plain = learner_lasso(Xc, yc, rate)
    assert converged and gap <= 1e-13 * yy
    scale = float(np.max(np.abs(c)))
    assert kkt_violation(Xc, yc, w, rate) < 1e-9 * scale
    assert kkt_violation(Xc, yc, plain, rate) < 1e-9 * scale
    np.testing.assert_array_equal(w == 0, plain == 0)  # the same exact zeros
    np.testing.assert_allclose(w, plain, rtol=0, atol=1e-8 * np.max(np.abs(plain)))


def test_duality_gap_bounds_the_distance_to_the_minimum():
    # P(w) − min P <= gap(w) at any w, and gap(w*) = 0: checked along the way to the optimum.
    X, y = PROBLEMS["correlated"]()
    G, c, yy, _, _ = products(X, y)
    rate = 0.05 * float(np.max(np.abs(c)))
    best, *_ = coordinate_descent(G, c, yy, rate, np.zeros(10), 1e-15, 10_000)
    minimum = lasso_objective_and_gap(G, c, yy, best, rate)[0]
    rng = np.random.default_rng(3)
    for w in [np.zeros(10), best + 0.1 * rng.standard_normal(10), 2 * best, -best]:
        objective, gap, correlation = lasso_objective_and_gap(G, c, yy, w, rate)
        assert 0 <= objective - minimum <= gap * (1 + 1e-12)
        np.testing.assert_allclose(correlation, c - G @ w, atol=1e-13 * yy)
    assert lasso_objective_and_gap(G, c, yy, best, rate)[1] <= 1e-15 * yy


def test_elastic_net_by_folding_l2_into_the_gram_matrix():
    X, y = PROBLEMS["n>p"]()
    l1, l2 = 0.05, 0.3
    G, c, yy, Xc, yc = products(X, y, l2)
    w, *_ = coordinate_descent(G, c, yy, l1, np.zeros(8), 1e-14, 10_000)
    assert kkt_violation(Xc, yc, w, l1, l2) < 1e-10
    # the same as fit_elastic_net with rate·ρ = l1, rate·(1 − ρ) = l2
    rate = l1 + l2
    np.testing.assert_allclose(fit_elastic_net(X, y, rate, l1 / rate).w, w, atol=1e-10)


def test_history_never_increases_and_warm_start_agrees():
    X, y = PROBLEMS["correlated"]()
    G, c, yy, _, _ = products(X, y)
    rate = 0.01 * float(np.max(np.abs(c)))
    w, _, _, history, _ = coordinate_descent(G, c, yy, rate, np.zeros(10), 1e-13, 10_000)
    assert np.all(np.diff(history) <= 1e-14 * yy)
    start = 1.3 * w
    warm, *_ = coordinate_descent(G, c, yy, rate, start, 1e-13, 10_000)
    np.testing.assert_array_equal(start, 1.3 * w)  # the start is not modified
    np.testing.assert_allclose(warm, w, atol=1e-10 * np.max(np.abs(w)))


def test_above_the_max_rate_every_weight_is_zero_even_from_a_warm_start():
    X, y = PROBLEMS["n>p"]()
    G, c, yy, _, _ = products(X, y)
    top = float(np.max(np.abs(c)))
    assert top == pytest.approx(lasso_max_rate(X, y), rel=1e-14)
    w, _, converged, _, _ = coordinate_descent(G, c, yy, top, np.ones(8), 1e-12, 100)
    assert converged and np.all(w == 0.0)


def test_fit_lasso_warns_with_max_iter_and_tol():
    X, y = PROBLEMS["correlated"]()
    with pytest.warns(ConvergenceWarning, match=r"fit_lasso did not converge in max_iter=1 passes.*tol=1e-12"):
        fit = fit_lasso(X, y, 1e-3 * lasso_max_rate(X, y), max_iter=1)
    assert not fit.converged
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fit_lasso(X, y, 0.1 * lasso_max_rate(X, y)).converged


@pytest.mark.parametrize(
    "args, error, match",
    [
        ((np.zeros((3, 2)), [1.0, 2.0, 3.0], np.zeros(2), 2, 0.1), ValueError, r"^j must be a column index"),
        ((np.zeros((3, 2)), [1.0, 2.0, 3.0], np.zeros(2), 0, 0.1, "b"), TypeError, r"^b must be a single real number"),
        ((np.zeros((3, 2)), [1.0, 2.0, 3.0], np.zeros(3), 0, 0.1), ValueError, r"^w must have length 2"),
    ],
)
def test_lasso_coordinate_update_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        lasso_coordinate_update(*args)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"gram": np.eye(3)}, ValueError, r"^gram must have 2 columns"),
        ({"gram": np.ones((3, 2))}, ValueError, r"^gram must be a square matrix of shape \(2, 2\); got shape \(3, 2\)"),
        ({"c": [1.0, np.nan]}, ValueError, r"^c must contain only finite numbers"),
        ({"w": np.zeros(3)}, ValueError, r"^w must have length 2"),
        ({"yy": -1.0}, ValueError, r"^yy must be >= 0"),
        ({"l1": 0.0}, ValueError, r"^l1 must be a finite number > 0; got l1=0"),
        ({"tol": 0.0}, ValueError, r"^tol must be a finite number > 0"),
        ({"max_iter": 2.5}, TypeError, r"^max_iter must be an integer"),
    ],
)
def test_coordinate_descent_bad_input(kwargs, error, match):
    args = {"gram": np.eye(2), "c": np.array([1.0, 0.2]), "yy": 2.0, "l1": 0.1, "w": np.zeros(2),
            "tol": 1e-12, "max_iter": 10, **kwargs}
    with pytest.raises(error, match=match):
        coordinate_descent(**args)

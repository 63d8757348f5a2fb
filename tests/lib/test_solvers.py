"""The fast machinery of course_lib._solvers against the readable versions the lessons teach.

Each module in ``_solvers`` names the readable version it must agree with; here both run on the
same problems and are compared, and both are checked against a certificate that depends on
neither (the lasso's KKT conditions, the ridge normal equations):

* ``_solvers.homotopy`` (the exact lasso path, behind ``lasso_path``) vs ``fit_lasso``
  (coordinate descent);
* ``ridge_svd.ridge_path`` (the SVD, the going-further path) vs ``fit_ridge`` (the normal
  equations);
* ``_solvers.batched_ridge`` (one batched SVD, behind ``polynomial_ridge_predictions``) vs
  ``fit_ridge`` on each training set.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_lib._solvers.batched_ridge import ridge_coefficients_batched
from course_lib._solvers.homotopy import LassoProducts, interpolate, kkt_tolerance, kkt_violation, lasso_knots
from course_lib.bias_variance import polynomial_ridge_predictions
from course_lib.data import polynomial_features, standardize
from course_lib.trainers import fit_lasso, fit_ridge, lasso_max_rate, lasso_path, lasso_path_knots, ridge_path

EPS = np.finfo(float).eps


def correlated_problem(seed, n, p, rho=0.8, n_informative=4, offset=2.0):
    rng = np.random.default_rng(seed)
    cov = rho ** np.abs(np.subtract.outer(np.arange(p), np.arange(p)))
    X = rng.standard_normal((n, p)) @ np.linalg.cholesky(cov).T + offset * rng.standard_normal(p)
    w = np.zeros(p)
    w[rng.choice(p, min(n_informative, p), replace=False)] = rng.uniform(1, 3, min(n_informative, p))
    return X, X @ w + 1.0 + 0.5 * rng.standard_normal(n)


def diabetes():
    from sklearn.datasets import load_diabetes

    return load_diabetes(return_X_y=True)


PROBLEMS = {
    "n>p": lambda: correlated_problem(0, 60, 8),
    "p>n": lambda: correlated_problem(1, 25, 40),
    "correlated": lambda: correlated_problem(2, 80, 12, rho=0.95),
    "diabetes": diabetes,
}


def lasso_kkt(X, y, w, b, rate):
    """Largest violation of the lasso optimality conditions, relative to lasso_max_rate's scale."""
    n = len(y)
    r = y - X @ w - b
    g = (X - X.mean(0)).T @ r / n
    scale = np.max(np.abs((X - X.mean(0)).T @ (y - y.mean()))) / n
    on = np.abs(g - rate * np.sign(w))
    off = np.maximum(np.abs(g) - rate, 0.0)
    return float(np.max(np.where(w != 0, on, off))) / scale, abs(r.mean()) / np.std(y)


# ---------------------------------------------------------------------------
# Homotopy (fast) vs coordinate descent (readable)
# ---------------------------------------------------------------------------


def test_homotopy_toy_by_hand():
    # X = [-1, 0, 1], y = X: one knot at rate xᵀy/n = 2/3 where w enters, then w = 1 − 1.5·rate.
    Xc, yc = np.array([[-1.0], [0.0], [1.0]]), np.array([-1.0, 0.0, 1.0])
    knots, coefs, complete = lasso_knots(LassoProducts(Xc, yc), 0.0, 1)
    assert complete
    np.testing.assert_allclose(knots, [2 / 3, 0.0], atol=1e-15)
    np.testing.assert_allclose(interpolate(knots, coefs, np.array([1.0, 0.5, 0.1]))[:, 0], [0.0, 0.25, 0.85],
                               atol=1e-15)


@pytest.mark.parametrize("name", PROBLEMS)
def test_homotopy_path_equals_coordinate_descent_at_every_rate(name):
    X, y = PROBLEMS[name]()
    rates, coefs, intercepts = lasso_path(X, y, n_rates=15, min_ratio=1e-2)
    for rate, w, b in zip(rates, coefs, intercepts):
        cd = fit_lasso(X, y, rate)
        for weights, intercept in ((w, b), (cd.w, cd.b)):  # both optimal, independently of each other
            violation, mean_residual = lasso_kkt(X, y, weights, intercept, rate)
            assert violation < 1e-8 and mean_residual < 1e-10
        np.testing.assert_array_equal(w == 0, cd.w == 0)
        np.testing.assert_allclose(w, cd.w, rtol=0, atol=1e-9 * max(1.0, np.max(np.abs(cd.w))))
        assert b == pytest.approx(cd.b, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("name", ["n>p", "correlated", "diabetes"])
def test_every_knot_is_a_coordinate_descent_solution(name):
    X, y = PROBLEMS[name]()
    knot_rates, knot_coefs = lasso_path_knots(X, y)
    assert knot_rates[0] == pytest.approx(lasso_max_rate(X, y), rel=1e-13)
    for rate, w in zip(knot_rates[1:-1], knot_coefs[1:-1]):  # the first is 0, the last least squares
        np.testing.assert_allclose(fit_lasso(X, y, rate).w, w, rtol=0, atol=1e-9 * np.max(np.abs(w)))


def test_kkt_violation_finds_a_wrong_row():
    X, y = PROBLEMS["n>p"]()
    Xc, yc = X - X.mean(0), y - y.mean()
    products = LassoProducts(Xc, yc)
    rate = 0.1 * lasso_max_rate(X, y)
    right = fit_lasso(X, y, rate).w
    wrong = right.copy()
    wrong[np.flatnonzero(right)[0]] *= 1.01
    violations = kkt_violation(products, np.vstack([right, wrong, np.full_like(right, np.nan)]), np.full(3, rate))
    assert violations[0] <= kkt_tolerance(products) < violations[1] and violations[2] == np.inf


# ---------------------------------------------------------------------------
# Ridge: SVD path vs normal equations
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", PROBLEMS)
@pytest.mark.parametrize("rate", [1e-4, 0.01, 1.0, 100.0])
def test_ridge_svd_path_equals_normal_equations(name, rate):
    X, y = PROBLEMS[name]()
    n, p = X.shape
    Xc, yc = X - X.mean(0), y - y.mean()
    _, coefs, intercepts = ridge_path(X, y, [rate])
    w_ne, b_ne = fit_ridge(X, y, rate)
    M = Xc.T @ Xc + n * rate * np.eye(p)
    bound = 2 * p * np.linalg.cond(M) * EPS  # forward-error bound of backward-stable solvers
    for w in (coefs[0], w_ne):  # both satisfy the normal equations to rounding
        assert np.linalg.norm(M @ w - Xc.T @ yc) <= 100 * EPS * np.linalg.norm(M, 2) * np.linalg.norm(w) + 1e-300
    assert np.linalg.norm(coefs[0] - w_ne) <= bound * np.linalg.norm(w_ne)
    assert intercepts[0] == pytest.approx(b_ne, rel=bound, abs=bound * np.abs(X.mean(0)) @ np.abs(w_ne))


def test_ridge_at_rate_zero_is_minimum_norm_least_squares_both_ways():
    X, y = PROBLEMS["p>n"]()
    Xc, yc = X - X.mean(0), y - y.mean()
    with pytest.warns(RuntimeWarning, match="not unique"):
        w_ne = fit_ridge(X, y, 0.0).w
    with pytest.warns(RuntimeWarning, match="not unique"):
        w_svd = ridge_path(X, y, [0.0])[1][0]
    oracle = np.linalg.pinv(Xc) @ yc
    np.testing.assert_allclose(w_ne, oracle, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(w_svd, oracle, rtol=1e-9, atol=1e-12)


# ---------------------------------------------------------------------------
# Batched ridge (fast) vs fit_ridge on each training set (readable)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [0.0, 1e-3, 0.5])
def test_batched_ridge_equals_fit_ridge_per_training_set(rate):
    rng = np.random.default_rng(7)
    x = rng.uniform(0, 1, (5, 20))
    y = np.sin(2 * np.pi * x) + 0.3 * rng.standard_normal((5, 20))
    x_test = np.linspace(0, 1, 9)
    degree = 5
    batched = polynomial_ridge_predictions(x, y, x_test, degree, rate)
    for r in range(5):
        Z, mean, scale = standardize(polynomial_features(x[r], degree, x_range=(0.0, 1.0)))
        w, b = fit_ridge(Z, y[r], rate)
        Z_test = standardize(polynomial_features(x_test, degree, x_range=(0.0, 1.0)), mean=mean, scale=scale)[0]
        np.testing.assert_allclose(batched[r], Z_test @ w + b, rtol=1e-9, atol=1e-10)


def test_batched_ridge_kernel_solves_each_normal_equation():
    rng = np.random.default_rng(8)
    Z = rng.standard_normal((3, 15, 4))
    Z -= Z.mean(axis=1, keepdims=True)
    y = rng.standard_normal((3, 15))
    y -= y.mean(axis=1, keepdims=True)
    rate = 0.2
    W = ridge_coefficients_batched(Z, y, rate)
    for Zr, yr, w in zip(Z, y, W):
        np.testing.assert_allclose((Zr.T @ Zr + 15 * rate * np.eye(4)) @ w, Zr.T @ yr, rtol=1e-12, atol=1e-12)

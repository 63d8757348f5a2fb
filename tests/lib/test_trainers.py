"""Tests for course_lib.trainers.

Oracles, in order of independence: hand-computed answers, closed forms (orthonormal designs,
normal equations), optimality (KKT) conditions, and scikit-learn.  No expected number here
was copied from a run of the code under test.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from course_lib import losses
from course_lib.fit_result import Fit
from course_lib.geometry import fit_constrained
from course_lib.penalties import L1, L2, ElasticNet, soft_threshold
from course_lib.trainers import (
    ConvergenceWarning,
    fit_elastic_net,
    fit_lasso,
    fit_ridge,
    gradient_descent,
    lasso_coordinate_update,
    lasso_max_rate,
    lasso_path,
    lasso_path_knots,
    log_loss_objective,
    proximal_gradient,
    ridge_effective_dof,
    ridge_path,
    ridge_rate_for_dof,
    ridge_shrinkage_factors,
    squared_loss_objective,
)

sklearn_lm = pytest.importorskip("sklearn.linear_model")
sklearn_datasets = pytest.importorskip("sklearn.datasets")


# ---------------------------------------------------------------------------
# Helpers and data
# ---------------------------------------------------------------------------


def rel_err(a, b):
    """Relative error with a floor: ||a − b|| / max(1e-8, ||a|| + ||b||)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.linalg.norm(a - b) / max(1e-8, np.linalg.norm(a) + np.linalg.norm(b)))


def correlated_problem(seed, n, p, rho=0.8, n_informative=5, noise=0.5, offset=2.0):
    """Gaussian features with corr(x_i, x_j) = rho^|i−j|, nonzero column means, sparse truth."""
    rng = np.random.default_rng(seed)
    cov = rho ** np.abs(np.subtract.outer(np.arange(p), np.arange(p)))
    X = rng.standard_normal((n, p)) @ np.linalg.cholesky(cov).T + offset * rng.standard_normal(p)
    w = np.zeros(p)
    w[rng.choice(p, min(n_informative, p), replace=False)] = rng.uniform(1, 3, min(n_informative, p))
    y = X @ w + 1.5 + noise * rng.standard_normal(n)
    return X, y


def diabetes():
    return sklearn_datasets.load_diabetes(return_X_y=True)


PROBLEMS = {
    "n>p": lambda: correlated_problem(0, 60, 8),
    "p>n": lambda: correlated_problem(1, 25, 40, n_informative=4),
    "correlated": lambda: correlated_problem(2, 80, 12, rho=0.95),
    "diabetes": diabetes,
}


def enet_objective(X, y, w, b, rate, l1_ratio):
    r = y - X @ w - b
    return r @ r / (2 * len(y)) + rate * (l1_ratio * np.sum(np.abs(w)) + 0.5 * (1 - l1_ratio) * w @ w)


def assert_enet_kkt(X, y, w, b, rate, l1_ratio=1.0, fit_intercept=True, rtol=1e-7):
    """Optimality of ``1/(2n)||y − Xw − b||² + rate(ρ||w||₁ + (1−ρ)/2||w||²)``.

    Stationarity in b: mean residual 0.  In w_j, with g = Xᵀr/n:
    w_j ≠ 0:  g_j − rate(1−ρ)w_j = rate·ρ·sign(w_j);   w_j = 0:  |g_j| <= rate·ρ.
    """
    n = len(y)
    r = y - X @ w - b
    g = X.T @ r / n
    scale = np.max(np.abs(X.T @ (y - y.mean()))) / n  # lasso_max_rate, computed independently
    atol = rtol * scale
    if fit_intercept:
        assert abs(r.mean()) <= rtol * np.std(y) + 1e-12
    on = w != 0
    np.testing.assert_allclose(
        g[on] - rate * (1 - l1_ratio) * w[on], rate * l1_ratio * np.sign(w[on]), rtol=0, atol=atol
    )
    assert np.all(np.abs(g[~on]) <= rate * l1_ratio + atol)


def orthonormal_design(seed=0, n=50, p=6):
    """X whose centered columns satisfy XcᵀXc/n = I, with column means that are not zero.

    Then every solver has a closed-form answer with c = Xcᵀyc/n:
    ridge c/(1 + rate), lasso S(c, rate), elastic net S(c, rate·ρ)/(1 + rate(1−ρ)).
    """
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, p))
    Q, _ = np.linalg.qr(Z - Z.mean(axis=0))  # columns orthonormal and orthogonal to 1
    X = np.sqrt(n) * Q + rng.uniform(-1, 1, p)
    y = X @ np.array([2.0, -1.5, 0.8, 0.3, -0.1, 0.0]) + 0.7 + 0.3 * rng.standard_normal(n)
    c = (X - X.mean(0)).T @ (y - y.mean()) / n
    return X, y, c


# ---------------------------------------------------------------------------
# Hand-computable cases first
# ---------------------------------------------------------------------------

# scikit-learn's lasso toy: X = [-1, 0, 1], y = X.  Both are centered, so b = 0, and with n = 3:
#   xᵀy/n = 2/3,  xᵀx/n = 2/3,  so  w = S(2/3, rate) / (2/3) = 1 − 1.5·rate  for rate < 2/3, else 0:
#   rate 0.1 -> 0.85,  rate 0.5 -> 0.25,  rate 1 -> 0.
TOY_X, TOY_Y = [[-1.0], [0.0], [1.0]], [-1.0, 0.0, 1.0]
TOY_LASSO = [(0.1, 0.85), (0.5, 0.25), (1.0, 0.0)]


@pytest.mark.parametrize("rate, expected", TOY_LASSO)
def test_lasso_toy_by_hand(rate, expected):
    for w, b in (
        fit_lasso(TOY_X, TOY_Y, rate),
        fit_elastic_net(TOY_X, TOY_Y, rate, l1_ratio=1.0),
        proximal_gradient(squared_loss_objective(TOY_X, TOY_Y), [0.0], L1(rate), n_iter=5000, tol=1e-13),
    ):
        assert w[0] == pytest.approx(expected, abs=1e-10)
        assert b == pytest.approx(0.0, abs=1e-10)
    assert lasso_coordinate_update(TOY_X, TOY_Y, [5.0], 0, rate) == pytest.approx(expected, abs=1e-14)


def test_lasso_path_toy_by_hand():
    rates, coefs, intercepts = lasso_path(TOY_X, TOY_Y, rates=[1.0, 0.5, 0.1])
    np.testing.assert_allclose(coefs[:, 0], [0.0, 0.25, 0.85], atol=1e-14)
    np.testing.assert_allclose(intercepts, 0.0, atol=1e-14)
    # One knot where w enters (rate = xᵀy/n = 2/3), then linear down to least squares w = 1.
    knot_rates, knot_coefs = lasso_path_knots(TOY_X, TOY_Y)
    np.testing.assert_allclose(knot_rates, [2 / 3, 0.0], atol=1e-14)
    np.testing.assert_allclose(knot_coefs[:, 0], [0.0, 1.0], atol=1e-14)
    assert lasso_max_rate(TOY_X, TOY_Y) == pytest.approx(2 / 3, abs=1e-15)


def test_ridge_toy_by_hand():
    # Same data: w = (xᵀy/n) / (xᵀx/n + rate) = (2/3) / (2/3 + rate); rate = 1/3 gives 2/3.
    w, b = fit_ridge(TOY_X, TOY_Y, 1 / 3)
    assert w[0] == pytest.approx(2 / 3, abs=1e-14) and b == pytest.approx(0.0, abs=1e-14)
    # One singular value d = sqrt(2): shrinkage d²/(d² + n·rate) = 2/(2 + 3·(1/3)) = 2/3.
    np.testing.assert_allclose(ridge_shrinkage_factors(TOY_X, 1 / 3), [2 / 3], atol=1e-15)


def test_intercept_is_mean_when_features_are_useless():
    # A constant column carries no information once centered: w = 0 and b = mean(y).
    X, y = np.ones((4, 1)), np.array([1.0, 2.0, 3.0, 6.0])
    for fit in (fit_ridge(X, y, 0.1), fit_lasso(X, y, 0.1), fit_elastic_net(X, y, 0.1, 0.5)):
        assert fit.w[0] == 0.0 and fit.b == pytest.approx(3.0, abs=1e-14)


def test_constant_y_gives_zero_weights_everywhere():
    X = np.random.default_rng(25).standard_normal((10, 3))
    y = np.full(10, 2.0)
    assert lasso_max_rate(X, y) == 0.0
    for w, b in (fit_lasso(X, y, 0.1), fit_elastic_net(X, y, 0.1, 0.5), fit_ridge(X, y, 0.1)):
        assert np.all(w == 0) and b == 2.0
    with pytest.warns(RuntimeWarning, match="lasso_max_rate is 0"):
        rates, coefs, intercepts = lasso_path(X, y, n_rates=4)
    assert np.all(rates == 0) and np.all(coefs == 0) and np.all(intercepts == 2.0)


# ---------------------------------------------------------------------------
# One known-solution fixture, every solver parametrized over it
# ---------------------------------------------------------------------------

RATE = 0.4


def _gd(X, y, penalty):
    obj = squared_loss_objective(X, y)
    return gradient_descent(obj, np.zeros(X.shape[1]), penalty, n_iter=20000, tol=1e-14)


def _pg(X, y, penalty, accelerated):
    obj = squared_loss_objective(X, y)
    w0 = np.zeros(X.shape[1])
    return proximal_gradient(obj, w0, penalty, n_iter=20000, tol=1e-12, accelerated=accelerated)


def _fista_restart(X, y, penalty):
    obj = squared_loss_objective(X, y)
    return proximal_gradient(obj, np.zeros(X.shape[1]), penalty, n_iter=20000, tol=1e-12, accelerated=True,
                             restart=True)


def _constrained_at_budget(X, y, norm):
    """Projected gradient with the budget set to the norm of the penalized answer (the twin problem).

    The budget comes from the normal equations (ridge) or, on the orthonormal fixture the lasso
    runs on, from soft-thresholding c (lasso), both computed here; the solver knows no rate.
    """
    n, p = X.shape
    Xc, yc = X - X.mean(0), y - y.mean()
    if norm == "l2":
        budget = np.linalg.norm(np.linalg.solve(Xc.T @ Xc + n * RATE * np.eye(p), Xc.T @ yc))
    else:
        c = Xc.T @ yc / n
        budget = np.abs(np.sign(c) * np.maximum(np.abs(c) - RATE, 0)).sum()
    return fit_constrained(X, y, float(budget), norm, tol=1e-13)


def _coordinate_updates(X, y, rate):
    """A learner-style lasso: repeat lasso_coordinate_update on centered data."""
    Xc, yc = X - X.mean(0), y - y.mean()
    w = np.zeros(X.shape[1])
    for _ in range(50):
        for j in range(X.shape[1]):
            w[j] = lasso_coordinate_update(Xc, yc, w, j, rate)
    return Fit(w, y.mean() - X.mean(0) @ w)


RIDGE_SOLVERS = {
    "fit_ridge": lambda X, y: fit_ridge(X, y, RATE),
    "ridge_path": lambda X, y: Fit(*(a[0] for a in ridge_path(X, y, [RATE])[1:])),
    "elastic_net_l1_ratio_0": lambda X, y: fit_elastic_net(X, y, RATE, l1_ratio=0.0),
    "gradient_descent_L2": lambda X, y: _gd(X, y, L2(RATE)),
    "ista_L2": lambda X, y: _pg(X, y, L2(RATE), False),
    "fista_L2": lambda X, y: _pg(X, y, L2(RATE), True),
    "fista_restart_L2": lambda X, y: _fista_restart(X, y, L2(RATE)),
    "projected_gradient_l2_ball": lambda X, y: _constrained_at_budget(X, y, "l2"),
}

LASSO_SOLVERS = {
    "fit_lasso": lambda X, y: fit_lasso(X, y, RATE),
    "elastic_net_l1_ratio_1": lambda X, y: fit_elastic_net(X, y, RATE, l1_ratio=1.0),
    "lasso_path": lambda X, y: Fit(*(a[1] for a in lasso_path(X, y, [1.0, RATE, 0.1])[1:])),
    "ista_L1": lambda X, y: _pg(X, y, L1(RATE), False),
    "fista_L1": lambda X, y: _pg(X, y, L1(RATE), True),
    "coordinate_updates": lambda X, y: _coordinate_updates(X, y, RATE),
    "fista_restart_L1": lambda X, y: _fista_restart(X, y, L1(RATE)),
    "projected_gradient_l1_ball": lambda X, y: _constrained_at_budget(X, y, "l1"),
}

ENET_SOLVERS = {
    "fit_elastic_net": lambda X, y: fit_elastic_net(X, y, RATE, l1_ratio=0.3),
    "fista_ElasticNet": lambda X, y: _pg(X, y, ElasticNet(RATE, 0.3), True),
}


def _check_against(fit, X, y, w_expected):
    w, b = fit
    np.testing.assert_allclose(w, w_expected, rtol=0, atol=1e-8)
    assert b == pytest.approx(y.mean() - X.mean(0) @ w_expected, abs=1e-8)


@pytest.mark.parametrize("solver", RIDGE_SOLVERS.values(), ids=RIDGE_SOLVERS.keys())
def test_every_ridge_solver_on_known_solution(solver):
    X, y, c = orthonormal_design()
    _check_against(solver(X, y), X, y, c / (1 + RATE))


@pytest.mark.parametrize("solver", LASSO_SOLVERS.values(), ids=LASSO_SOLVERS.keys())
def test_every_lasso_solver_on_known_solution(solver):
    X, y, c = orthonormal_design()
    expected = np.sign(c) * np.maximum(np.abs(c) - RATE, 0)
    assert 0 < np.count_nonzero(expected) < len(c)  # the fixture really has zeros and nonzeros
    _check_against(solver(X, y), X, y, expected)


@pytest.mark.parametrize("solver", ENET_SOLVERS.values(), ids=ENET_SOLVERS.keys())
def test_every_elastic_net_solver_on_known_solution(solver):
    X, y, c = orthonormal_design()
    expected = np.sign(c) * np.maximum(np.abs(c) - 0.3 * RATE, 0) / (1 + 0.7 * RATE)
    _check_against(solver(X, y), X, y, expected)


@pytest.mark.parametrize("solver", RIDGE_SOLVERS.values(), ids=RIDGE_SOLVERS.keys())
def test_every_ridge_solver_solves_normal_equations_on_correlated_data(solver):
    X, y = correlated_problem(5, 40, 5, rho=0.6, offset=0.5)
    n = len(y)
    Xc, yc = X - X.mean(0), y - y.mean()
    w_expected = np.linalg.solve(Xc.T @ Xc + n * RATE * np.eye(5), Xc.T @ yc)  # the oracle
    w, b = solver(X, y)
    np.testing.assert_allclose(w, w_expected, rtol=0, atol=1e-7)


# ---------------------------------------------------------------------------
# Ridge
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", PROBLEMS)
@pytest.mark.parametrize("rate", [1e-3, 0.1, 10.0])
def test_ridge_normal_equations(name, rate):
    X, y = PROBLEMS[name]()
    n, p = X.shape
    w, b = fit_ridge(X, y, rate)
    Xc, yc = X - X.mean(0), y - y.mean()
    lhs = (Xc.T @ Xc + n * rate * np.eye(p)) @ w
    assert rel_err(lhs, Xc.T @ yc) < 1e-10
    assert b == pytest.approx(y.mean() - X.mean(0) @ w, abs=1e-9 * (1 + abs(b)))


def test_ridge_duplicated_columns():
    # Fit [X, X] at rate λ.  The objective 1/(2n)||y − X(w1 + w2)||² + λ/2(||w1||² + ||w2||²) is
    # strictly convex and symmetric in (w1, w2), so w1 = w2 = v/2 with v = w1 + w2 minimizing
    # 1/(2n)||y − Xv||² + λ/2·2·||v/2||² = 1/(2n)||y − Xv||² + (λ/2)/2·||v||²:
    # ridge on X at λ/2.
    # So each copy gets half the weights of X at rate λ/2 (equivalently [X, X] at 2λ ~ X at λ).
    X, y = correlated_problem(3, 50, 4)
    rate = 0.3
    w2, b2 = fit_ridge(np.hstack([X, X]), y, rate)
    w1, b1 = fit_ridge(X, y, rate / 2)
    np.testing.assert_allclose(w2[:4], w1 / 2, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(w2[4:], w1 / 2, rtol=1e-12, atol=1e-13)
    assert b2 == pytest.approx(b1, rel=1e-12)


@pytest.mark.parametrize(
    "fit",
    [
        lambda X, y: fit_ridge(X, y, 0.2),
        lambda X, y: fit_lasso(X, y, 0.05),
        lambda X, y: fit_elastic_net(X, y, 0.05, 0.5),
        lambda X, y: Fit(*(a[-1] for a in lasso_path(X, y, [0.5, 0.05])[1:])),
    ],
    ids=["ridge", "lasso", "elastic_net", "lasso_path"],
)
def test_stacking_rows_twice_changes_nothing(fit):
    # 1/(2·2n)·||[y; y] − [X; X]w − b||² = 1/(2n)·||y − Xw − b||²: same objective, same fit.
    X, y = correlated_problem(4, 30, 6)
    w1, b1 = fit(X, y)
    w2, b2 = fit(np.vstack([X, X]), np.concatenate([y, y]))
    np.testing.assert_allclose(w2, w1, rtol=1e-9, atol=1e-11)
    assert b2 == pytest.approx(b1, rel=1e-9)


@pytest.mark.parametrize(
    "fit",
    [
        lambda X, y: fit_ridge(X, y, 0.2),
        lambda X, y: fit_lasso(X, y, 0.05),
        lambda X, y: fit_elastic_net(X, y, 0.05, 0.5),
        lambda X, y: _gd(X, y, L2(0.2)),
    ],
    ids=["ridge", "lasso", "elastic_net", "gradient_descent"],
)
def test_intercept_is_not_penalized(fit):
    # Shifting y by a constant moves only b: a penalized intercept would shrink the shift.
    X, y = correlated_problem(6, 40, 3, offset=0.3)
    w1, b1 = fit(X, y)
    w2, b2 = fit(X, y + 100.0)
    np.testing.assert_allclose(w2, w1, rtol=1e-7, atol=1e-8)
    assert b2 - b1 == pytest.approx(100.0, rel=1e-9)


def test_ridge_path_equals_fit_ridge_per_rate():
    # Two algorithms for one answer: ridge_path through the SVD of Xc, fit_ridge through the
    # normal equations.  Both are backward stable, so they may differ by the forward-error bound
    # of the p × p system, about p·κ(XcᵀXc + n·rate·I)·eps (norm-wise), and by no more.
    X, y = correlated_problem(7, 30, 50)
    n, p = X.shape
    Xc = X - X.mean(0)
    rates = np.array([5.0, 0.01, 1.0, 0.3])  # any order is fine for ridge_path
    out_rates, coefs, intercepts = ridge_path(X, y, rates)
    np.testing.assert_array_equal(out_rates, rates)
    assert coefs.shape == (4, 50) and intercepts.shape == (4,)
    for rate, w, b in zip(rates, coefs, intercepts):
        w_single, b_single = fit_ridge(X, y, rate)
        bound = 2 * p * np.linalg.cond(Xc.T @ Xc + n * rate * np.eye(p)) * np.finfo(float).eps
        assert np.linalg.norm(w - w_single) <= bound * np.linalg.norm(w)
        assert b == pytest.approx(b_single, rel=bound, abs=bound * np.abs(X.mean(0)) @ np.abs(w))


@pytest.mark.parametrize("name", ["n>p", "p>n"])
def test_shrinkage_factors_and_dof(name):
    X, y = PROBLEMS[name]()
    n, p = X.shape
    Xc = X - X.mean(0)
    d2 = np.sort(np.linalg.eigvalsh(Xc.T @ Xc))[::-1][: min(n, p)]  # squared singular values
    rate = 0.05
    expected = np.where(d2 > 1e-9 * d2[0], d2 / (d2 + n * rate), 0.0)
    np.testing.assert_allclose(ridge_shrinkage_factors(X, rate), expected, rtol=1e-10, atol=1e-12)
    rank = np.linalg.matrix_rank(Xc)
    assert rank == (p if n > p else n - 1)  # centering costs one dimension when p >= n
    assert ridge_effective_dof(X, 0.0) == pytest.approx(rank, abs=1e-9)
    dofs = [ridge_effective_dof(X, r) for r in (0.0, 0.01, 0.1, 1.0, 10.0, 1e6)]
    assert np.all(np.diff(dofs) < 0) and dofs[-1] < 1e-3
    # df = tr(hat matrix): an independent formula
    H = Xc @ np.linalg.solve(Xc.T @ Xc + n * rate * np.eye(p), Xc.T)
    assert ridge_effective_dof(X, rate) == pytest.approx(np.trace(H), rel=1e-9)



@pytest.mark.parametrize("name", ["n>p", "p>n"])
@pytest.mark.parametrize("fraction", [1e-3, 0.25, 0.5, 0.9, 0.999])
def test_ridge_rate_for_dof_inverts_the_trace_of_the_hat_matrix(name, fraction):
    X, y = PROBLEMS[name]()
    n, p = X.shape
    Xc = X - X.mean(0)
    rank = np.linalg.matrix_rank(Xc)
    dof = fraction * rank
    rate = ridge_rate_for_dof(X, dof)
    assert rate > 0
    # df = tr(Xc (XcᵀXc + n·rate·I)⁻¹ Xcᵀ), computed without the SVD the function uses
    H = Xc @ np.linalg.solve(Xc.T @ Xc + n * rate * np.eye(p), Xc.T)
    assert np.trace(H) == pytest.approx(dof, rel=1e-9)
    # one more or one fewer degree of freedom lies on the right side of the answer
    assert ridge_effective_dof(X, rate * (1 + 1e-6)) < dof < ridge_effective_dof(X, rate * (1 - 1e-6))


def test_ridge_rate_for_dof_edges_and_bad_input():
    X, _ = correlated_problem(9, 30, 4)
    assert ridge_rate_for_dof(X, 4) == 0.0  # all degrees of freedom: least squares
    # without centering the intercept column's direction counts as well
    X1 = np.column_stack([X, np.ones(30)])
    assert ridge_rate_for_dof(X1, 4.5, fit_intercept=False) > 0
    with pytest.raises(ValueError, match="dof"):
        ridge_rate_for_dof(X, 4.5)  # more than the rank
    with pytest.raises(ValueError, match="dof"):
        ridge_rate_for_dof(X, 0.0)
    with pytest.raises(ValueError, match="dof"):
        ridge_rate_for_dof(X, -1.0)
    with pytest.raises(TypeError, match="dof"):
        ridge_rate_for_dof(X, True)
    # one feature with sum of squares s: df = s/(s + n·rate) = 1/2 exactly when n·rate = s
    x = np.array([[-2.0], [0.0], [2.0]])
    assert ridge_rate_for_dof(x, 0.5) == pytest.approx(8.0 / 3, rel=1e-12)

def test_ridge_rate_zero():
    X, y = correlated_problem(8, 40, 5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # unique least squares: no warning
        w, b = fit_ridge(X, y, 0.0)
    w_ls = np.linalg.lstsq(np.column_stack([X, np.ones(40)]), y, rcond=None)[0]
    np.testing.assert_allclose(np.append(w, b), w_ls, rtol=1e-10)

    X, y = correlated_problem(9, 10, 20)
    with pytest.warns(RuntimeWarning, match="not unique"):
        w, b = fit_ridge(X, y, 0.0)
    Xc, yc = X - X.mean(0), y - y.mean()
    np.testing.assert_allclose(w, np.linalg.pinv(Xc) @ yc, rtol=1e-9, atol=1e-12)  # minimum norm
    np.testing.assert_allclose(X @ w + b, y, atol=1e-9)  # interpolates
    with pytest.warns(RuntimeWarning, match="not unique"):
        ridge_path(X, y, [1.0, 0.0])


@pytest.mark.parametrize("name", PROBLEMS)
def test_ridge_matches_sklearn(name):
    X, y = PROBLEMS[name]()
    n = len(y)
    for rate in (1e-3, 0.1, 10.0):
        w, b = fit_ridge(X, y, rate)
        ref = sklearn_lm.Ridge(alpha=n * rate, solver="svd").fit(X, y)
        assert rel_err(w, ref.coef_) < 1e-9
        assert b == pytest.approx(ref.intercept_, rel=1e-9, abs=1e-9)


# ---------------------------------------------------------------------------
# Lasso and elastic net: optimality conditions
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", PROBLEMS)
@pytest.mark.parametrize("fraction", [0.5, 0.1, 0.01])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5, 0.1])
def test_enet_kkt(name, fraction, l1_ratio):
    X, y = PROBLEMS[name]()
    rate = fraction * lasso_max_rate(X, y) / l1_ratio
    fit = fit_elastic_net(X, y, rate, l1_ratio)
    assert fit.converged
    assert_enet_kkt(X, y, fit.w, fit.b, rate, l1_ratio)
    if l1_ratio == 1.0:
        lasso = fit_lasso(X, y, rate)
        np.testing.assert_allclose(lasso.w, fit.w, rtol=0, atol=1e-12 * np.max(np.abs(fit.w)))


@pytest.mark.parametrize("name", PROBLEMS)
def test_lasso_path_kkt_at_every_rate(name):
    X, y = PROBLEMS[name]()
    rates, coefs, intercepts = lasso_path(X, y, n_rates=30)
    assert coefs.shape == (30, X.shape[1])
    for rate, w, b in zip(rates, coefs, intercepts):
        assert_enet_kkt(X, y, w, b, rate, 1.0)


def test_lasso_without_intercept_kkt():
    X, y = correlated_problem(10, 40, 6)
    rate = 0.1 * lasso_max_rate(X, y, fit_intercept=False)
    for w, b in (fit_lasso(X, y, rate, fit_intercept=False),
                 Fit(*(a[0] for a in lasso_path(X, y, [rate], fit_intercept=False)[1:]))):
        assert b == 0.0
        assert_enet_kkt(X, y, w, 0.0, rate, 1.0, fit_intercept=False)


@pytest.mark.parametrize("name", PROBLEMS)
def test_lasso_max_rate(name):
    X, y = PROBLEMS[name]()
    top = lasso_max_rate(X, y)
    assert np.all(fit_lasso(X, y, top).w == 0)
    assert np.all(fit_lasso(X, y, 10 * top).w == 0)
    assert np.all(fit_elastic_net(X, y, top / 0.5, 0.5).w == 0)
    assert np.count_nonzero(fit_lasso(X, y, 0.999 * top).w) == 1
    assert np.count_nonzero(fit_elastic_net(X, y, 0.999 * top / 0.5, 0.5).w) == 1


def test_lasso_coordinate_update_minimizes_along_the_coordinate():
    X, y = correlated_problem(11, 30, 4)
    rng = np.random.default_rng(0)
    w, b = rng.standard_normal(4), 0.7
    rate = 0.3
    for j in range(4):
        new = lasso_coordinate_update(X, y, w, j, rate, b)

        def objective(v):
            u = w.copy()
            u[j] = v
            return enet_objective(X, y, u, b, rate, 1.0)

        for delta in (1e-3, -1e-3, 0.1, -0.1, 1.0):
            assert objective(new) <= objective(new + delta) + 1e-15
    # A zero column: the coordinate is 0 whatever else happens.
    X0 = X.copy()
    X0[:, 2] = 0.0
    assert lasso_coordinate_update(X0, y, w, 2, rate, b) == 0.0


def test_lasso_coordinate_update_uses_soft_threshold_formula():
    X, y = correlated_problem(12, 20, 3)
    w = np.array([0.5, -1.0, 2.0])
    j, rate, b = 1, 0.2, 0.1
    partial = y - b - X[:, [0, 2]] @ w[[0, 2]]
    expected = soft_threshold([X[:, j] @ partial / 20], rate)[0] / (X[:, j] @ X[:, j] / 20)
    assert lasso_coordinate_update(X, y, w, j, rate, b) == pytest.approx(expected, rel=1e-13)


def test_coordinate_descent_history_decreases_and_warm_start_agrees():
    X, y = PROBLEMS["correlated"]()
    rate = 0.02 * lasso_max_rate(X, y)
    fit = fit_lasso(X, y, rate)
    scale = np.var(y)
    assert np.all(np.diff(fit.history) <= 1e-13 * scale)
    assert fit.history[-1] == pytest.approx(enet_objective(X, y, fit.w, fit.b, rate, 1.0), rel=1e-12)
    warm = fit_lasso(X, y, rate, w0=fit.w * 1.1)
    np.testing.assert_allclose(warm.w, fit.w, rtol=0, atol=1e-10 * np.max(np.abs(fit.w)))


def test_elastic_net_l1_ratio_zero_is_ridge():
    X, y = correlated_problem(13, 30, 5)
    enet = fit_elastic_net(X, y, 0.3, l1_ratio=0.0)
    ridge = fit_ridge(X, y, 0.3)
    np.testing.assert_allclose(enet.w, ridge.w, rtol=1e-14)
    # rate 0 in fit_lasso is least squares too
    np.testing.assert_allclose(fit_lasso(X, y, 0.0).w, fit_ridge(X, y, 0.0).w, rtol=1e-12)


# ---------------------------------------------------------------------------
# Lasso path
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("n, p, min_ratio", [(50, 10, 1e-4), (20, 40, 1e-2)])
def test_lasso_path_default_rates(n, p, min_ratio):
    X, y = correlated_problem(14, n, p)
    rates, coefs, intercepts = lasso_path(X, y, n_rates=25)
    top = lasso_max_rate(X, y)
    assert rates.shape == (25,)
    assert rates[0] == pytest.approx(top, rel=1e-14)
    assert rates[-1] == pytest.approx(min_ratio * top, rel=1e-12)
    np.testing.assert_allclose(np.diff(np.log(rates)), np.log(min_ratio) / 24, rtol=1e-9)
    assert np.all(coefs[0] == 0) and intercepts[0] == pytest.approx(y.mean(), rel=1e-14)
    assert lasso_path(X, y, n_rates=5, min_ratio=0.5)[0][-1] == pytest.approx(0.5 * top, rel=1e-12)


@pytest.mark.parametrize("name", ["n>p", "diabetes"])
def test_lasso_path_knots_match_sklearn_lars(name):
    X, y = PROBLEMS[name]()
    knot_rates, knot_coefs = lasso_path_knots(X, y)
    alphas, _, coefs = sklearn_lm.lars_path(X - X.mean(0), y - y.mean(), method="lasso")
    np.testing.assert_allclose(knot_rates, alphas, rtol=1e-9, atol=1e-12 * alphas[0])
    assert rel_err(knot_coefs, coefs.T) < 1e-9


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_lasso_path_knots_with_more_features_than_samples(fit_intercept):
    # With p > n the path ends (rate 0) interpolating the data with at most n − 1 nonzero
    # weights (n with no intercept): the active set then spans the (centered) data.
    X, y = correlated_problem(24, 15, 40)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        knot_rates, knot_coefs = lasso_path_knots(X, y, fit_intercept=fit_intercept)
    assert np.all(np.diff(knot_rates) < 0) and knot_rates[-1] == 0.0
    assert knot_rates[0] == pytest.approx(lasso_max_rate(X, y, fit_intercept), rel=1e-14)
    Xc, yc = (X - X.mean(0), y - y.mean()) if fit_intercept else (X, y)
    for rate, w in zip(knot_rates, knot_coefs):
        assert_enet_kkt(Xc, yc, w, 0.0, rate, 1.0, fit_intercept=False)
    assert np.count_nonzero(knot_coefs[-1]) == (14 if fit_intercept else 15)
    np.testing.assert_allclose(Xc @ knot_coefs[-1], yc, atol=1e-8)


def test_lasso_path_knots_with_tied_features():
    # Two orthogonal features equally correlated with y enter together at rate xᵀy/n = 1/2 and
    # grow as 1 − 2·rate (each coordinate is the toy problem of above with xᵀx/n = 1/2).
    X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])
    y = np.array([1.0, 1.0, -1.0, -1.0])
    knot_rates, knot_coefs = lasso_path_knots(X, y)
    np.testing.assert_allclose(knot_rates, [0.5, 0.0], atol=1e-15)
    np.testing.assert_allclose(knot_coefs, [[0.0, 0.0], [1.0, 1.0]], atol=1e-15)
    np.testing.assert_allclose(lasso_path(X, y, [0.25])[1], [[0.5, 0.5]], atol=1e-15)


def test_lasso_path_is_linear_between_knots():
    # Independent check of the interpolation: coordinate descent at midpoints between knots.
    X, y = PROBLEMS["correlated"]()
    knot_rates, knot_coefs = lasso_path_knots(X, y)
    for k in range(len(knot_rates) - 1):
        mid = 0.5 * (knot_rates[k] + knot_rates[k + 1])
        if mid == 0:
            continue
        w_cd = fit_lasso(X, y, mid).w
        np.testing.assert_allclose(w_cd, 0.5 * (knot_coefs[k] + knot_coefs[k + 1]), rtol=0,
                                   atol=1e-9 * np.max(np.abs(knot_coefs)))


def _assert_duplicates_share_the_single_column_fit(X, XX, y, rate, w, b):
    """[X, X] at ``rate``: each pair of twins splits the weight of X's own lasso fit, with one sign."""
    p = X.shape[1]
    # At the path's end (a rate of round-off size) the lasso is least squares; coordinate
    # descent's duality gap is no stopping rule there.
    single = fit_lasso(X, y, rate) if rate > 1e-8 * lasso_max_rate(X, y) else fit_ridge(X, y, 0.0)
    assert np.allclose(w[:p] + w[p:], single.w, rtol=1e-6, atol=1e-8 * max(1.0, np.abs(single.w).max()))
    assert np.all(w[:p] * w[p:] >= 0), "twins of one column must not take opposite signs"
    assert b == pytest.approx(single.b, rel=1e-6, abs=1e-8)


def test_lasso_path_duplicate_columns_is_correct_whatever_the_rounding():
    # With [X, X] the path is not unique (twins may split a weight in any proportion).  Whether the
    # homotopy notices (a "degenerate" warning) depends on how a twin's 0/0 join rate rounds,
    # which differs between BLAS kernels and numpy's SIMD code.  What must hold everywhere: every
    # knot it returns and every row of lasso_path satisfy the optimality (KKT) conditions, and the
    # twins share the weight of the single column's lasso fit.
    X, y = correlated_problem(15, 40, 4)
    XX = np.hstack([X, X])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        knot_rates, knot_coefs = lasso_path_knots(XX, y)
    for warning in caught:  # the only warning allowed says the path is degenerate
        assert issubclass(warning.category, RuntimeWarning) and "degenerate" in str(warning.message)
    assert knot_rates[0] == pytest.approx(lasso_max_rate(XX, y))
    assert np.all(np.diff(knot_rates) < 0)
    x_mean, y_mean = XX.mean(axis=0), y.mean()
    for rate, w in zip(knot_rates, knot_coefs):
        b = y_mean - x_mean @ w
        if rate > 0:
            assert_enet_kkt(XX, y, w, b, rate, 1.0)
            _assert_duplicates_share_the_single_column_fit(X, XX, y, rate, w, b)
    rates, coefs, intercepts = lasso_path(XX, y, n_rates=10)
    for rate, w, b in zip(rates, coefs, intercepts):
        assert_enet_kkt(XX, y, w, b, rate, 1.0)
        _assert_duplicates_share_the_single_column_fit(X, XX, y, rate, w, b)


@pytest.mark.parametrize("name", PROBLEMS)
def test_lasso_path_matches_fit_lasso(name):
    X, y = PROBLEMS[name]()
    rates, coefs, intercepts = lasso_path(X, y, n_rates=8, min_ratio=0.01)
    for rate, w, b in zip(rates, coefs, intercepts):
        fit = fit_lasso(X, y, rate)
        assert rel_err(w, fit.w) < 1e-9
        assert b == pytest.approx(fit.b, rel=1e-9, abs=1e-9)


# ---------------------------------------------------------------------------
# Oracle: scikit-learn
# ---------------------------------------------------------------------------


def _sk(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn may not reach tol=1e-12 on every problem
        return model.fit(X, y)


@pytest.mark.parametrize("name", PROBLEMS)
@pytest.mark.parametrize("fraction", [0.3, 0.05, 0.005])
def test_lasso_and_elastic_net_match_sklearn(name, fraction):
    X, y = PROBLEMS[name]()
    top = lasso_max_rate(X, y)
    for l1_ratio in (1.0, 0.5):
        rate = fraction * top / l1_ratio
        ours = fit_elastic_net(X, y, rate, l1_ratio)
        if l1_ratio == 1.0:
            ref = _sk(sklearn_lm.Lasso(alpha=rate, tol=1e-12, max_iter=200_000), X, y)
        else:
            ref = _sk(sklearn_lm.ElasticNet(alpha=rate, l1_ratio=l1_ratio, tol=1e-12, max_iter=200_000), X, y)
        f_ours = enet_objective(X, y, ours.w, ours.b, rate, l1_ratio)
        f_ref = enet_objective(X, y, ref.coef_, ref.intercept_, rate, l1_ratio)
        assert f_ours <= f_ref * (1 + 1e-13)  # ours is at least as good
        assert f_ours == pytest.approx(f_ref, rel=1e-10)
        assert rel_err(ours.w, ref.coef_) < 1e-6
        assert ours.b == pytest.approx(ref.intercept_, rel=1e-6, abs=1e-6)


@pytest.mark.parametrize("name", PROBLEMS)
def test_lasso_path_matches_sklearn(name):
    X, y = PROBLEMS[name]()
    rates, coefs, intercepts = lasso_path(X, y, n_rates=20, min_ratio=1e-3)
    # sklearn's lasso_path fits no intercept: give it centered data.
    Xc, yc = X - X.mean(0), y - y.mean()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        alphas, sk_coefs, _ = sklearn_lm.lasso_path(Xc, yc, alphas=rates, tol=1e-12, max_iter=200_000)
    np.testing.assert_array_equal(alphas, rates)
    for rate, w, b, w_ref in zip(rates, coefs, intercepts, sk_coefs.T):
        f_ours = enet_objective(X, y, w, b, rate, 1.0)
        f_ref = enet_objective(Xc, yc, w_ref, 0.0, rate, 1.0)
        assert f_ours == pytest.approx(f_ref, rel=1e-10)
        assert f_ours <= f_ref * (1 + 1e-13)
        assert rel_err(w, w_ref) < 1e-6


def test_proximal_gradient_logistic_matches_sklearn():
    # A non-quadratic loss: mean log-loss + rate/2·||w||² is sklearn's LogisticRegression with
    # C = 1/(n·rate) (its objective is C·Σ log-loss + ½||w||² = C·n·(ours)).
    rng = np.random.default_rng(16)
    X = rng.standard_normal((80, 3))
    y = (X @ [1.0, -2.0, 0.5] + 0.3 + rng.standard_normal(80) > 0).astype(float)
    rate = 0.05
    fit = proximal_gradient(log_loss_objective(X, y), np.zeros(3), L2(rate), n_iter=20000, accelerated=True,
                            tol=1e-11)
    ref = sklearn_lm.LogisticRegression(C=1 / (80 * rate), tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(fit.w, ref.coef_[0], rtol=1e-6)
    assert fit.b == pytest.approx(ref.intercept_[0], rel=1e-6, abs=1e-7)


# ---------------------------------------------------------------------------
# Gradient descent and proximal gradient
# ---------------------------------------------------------------------------


def test_weight_decay_step_equals_gradient_step():
    X, y = correlated_problem(17, 20, 3)
    obj = squared_loss_objective(X, y)
    w0, rate, step = np.array([0.3, -0.2, 0.1]), 0.7, 0.01
    fit = gradient_descent(obj, w0, L2(rate), step=step, n_iter=1, b0=0.5)
    _, grad_w, grad_b = obj(w0, 0.5)
    np.testing.assert_allclose(fit.w, w0 - step * (grad_w + rate * w0), rtol=1e-14)
    assert fit.b == pytest.approx(0.5 - step * grad_b, rel=1e-14)
    assert fit.history.shape == (2,)
    assert fit.history[0] == pytest.approx(obj(w0, 0.5)[0] + rate / 2 * w0 @ w0, rel=1e-14)


def test_gradient_descent_history_decreases_with_safe_step():
    X, y = correlated_problem(18, 40, 4)
    fit = gradient_descent(squared_loss_objective(X, y), np.zeros(4), L2(0.1), n_iter=200)
    assert fit.n_iter == 200 and fit.history.shape == (201,)
    assert np.all(np.diff(fit.history) <= 1e-14 * fit.history[0])


def test_fit_intercept_false_keeps_b0():
    X, y = correlated_problem(19, 30, 3)
    obj = squared_loss_objective(X, y)
    for fit in (
        gradient_descent(obj, np.zeros(3), None, n_iter=10, b0=2.5, fit_intercept=False),
        proximal_gradient(obj, np.zeros(3), L1(0.1), n_iter=10, b0=2.5, fit_intercept=False, tol=0.0),
    ):
        assert fit.b == 2.5


def test_subgradient_descent_never_reaches_exact_zeros_but_prox_does():
    X, y, c = orthonormal_design()
    lasso_w = np.sign(c) * np.maximum(np.abs(c) - RATE, 0)
    zeros = lasso_w == 0
    obj = squared_loss_objective(X, y)
    sub = gradient_descent(obj, np.zeros(6), L1(RATE), step=0.05, n_iter=3000)
    prox = proximal_gradient(obj, np.zeros(6), L1(RATE), step=0.05, n_iter=3000)
    assert np.all(prox.w[zeros] == 0.0)
    assert np.all(sub.w[zeros] != 0.0)
    assert np.max(np.abs(sub.w[zeros])) < 0.05 * RATE * 2  # hovering within a step of zero


def test_fista_is_faster_than_ista():
    X, y = PROBLEMS["correlated"]()
    obj = squared_loss_objective(X, y)
    rate = 0.05 * lasso_max_rate(X, y)
    best = fit_lasso(X, y, rate)
    f_star = enet_objective(X, y, best.w, best.b, rate, 1.0)
    ista = proximal_gradient(obj, np.zeros(12), L1(rate), n_iter=300, tol=0.0)
    fista = proximal_gradient(obj, np.zeros(12), L1(rate), n_iter=300, tol=0.0, accelerated=True)
    assert fista.history[-1] - f_star < 0.1 * (ista.history[-1] - f_star)
    assert np.all(ista.history >= f_star - 1e-12) and np.all(fista.history >= f_star - 1e-12)


def test_objective_closures_use_course_losses():
    X, y = correlated_problem(20, 25, 3)
    labels = (y > np.median(y)).astype(float)
    w, b = np.array([0.1, -0.2, 0.3]), 0.4
    loss, gw, gb = squared_loss_objective(X, y)(w, b)
    assert loss == losses.squared_loss(X, y, w, b)
    np.testing.assert_array_equal(gw, losses.squared_loss_gradient(X, y, w, b)[0])
    loss, gw, gb = log_loss_objective(X, labels)(w, b)
    assert loss == losses.log_loss(X, labels, w, b)
    assert gb == losses.log_loss_gradient(X, labels, w, b)[1]


@pytest.mark.parametrize("make", [squared_loss_objective, log_loss_objective])
def test_lipschitz_constant_bounds_gradient_changes(make):
    X, y = correlated_problem(21, 30, 4)
    f = make(X, (y > np.median(y)).astype(float))
    rng = np.random.default_rng(1)
    for _ in range(20):
        u, v = rng.standard_normal(5), rng.standard_normal(5)
        gu, gv = f(u[:4], u[4]), f(v[:4], v[4])
        du = np.append(gu[1], gu[2]) - np.append(gv[1], gv[2])
        assert np.linalg.norm(du) <= f.lipschitz * np.linalg.norm(u - v) * (1 + 1e-12)


def test_prox_gradient_fixed_point_certificate():
    # copt's solver-agnostic optimality check: ||w − prox(w − step·∇f(w))|| ≈ 0 at the solution.
    X, y = correlated_problem(23, 60, 8, rho=0.5, offset=0.3)
    rate = 0.1 * lasso_max_rate(X, y)
    obj = squared_loss_objective(X, y)
    ista = proximal_gradient(obj, np.zeros(8), L1(rate), n_iter=20000, tol=1e-11)
    assert ista.converged
    for w, b in (fit_lasso(X, y, rate), ista):
        _, gw, gb = obj(w, b)
        step = 1 / obj.lipschitz
        assert np.max(np.abs(w - L1(rate).prox(w - step * gw, step))) < 1e-9
        assert abs(gb) < 1e-9


# ---------------------------------------------------------------------------
# Warnings
# ---------------------------------------------------------------------------


def test_coordinate_descent_warns_when_not_converged():
    X, y = PROBLEMS["correlated"]()
    rate = 0.001 * lasso_max_rate(X, y)
    with pytest.warns(ConvergenceWarning, match=r"max_iter=1\b.*tol=1e-12"):
        fit = fit_lasso(X, y, rate, max_iter=1)
    assert not fit.converged and fit.n_iter == 1
    with pytest.warns(ConvergenceWarning, match="max_iter=2"):
        fit_elastic_net(X, y, rate, 0.5, max_iter=2)
    assert issubclass(ConvergenceWarning, RuntimeWarning)


def test_first_order_methods_warn():
    X, y = PROBLEMS["n>p"]()
    obj = squared_loss_objective(X, y)
    with pytest.warns(ConvergenceWarning, match="n_iter=3"):
        proximal_gradient(obj, np.zeros(8), L1(0.1), n_iter=3)
    with pytest.warns(ConvergenceWarning, match="n_iter=3.*tol=1e-06"):
        gradient_descent(obj, np.zeros(8), L2(0.1), n_iter=3, tol=1e-6)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # tol=0 (the default): a fixed number of steps, no warning
        gradient_descent(obj, np.zeros(8), L2(0.1), n_iter=3)
    for method in (gradient_descent, proximal_gradient):
        with pytest.warns(RuntimeWarning, match="diverged.*step=100"):
            fit = method(obj, np.zeros(8), L2(0.1), step=100.0, n_iter=500)
        assert not fit.converged and np.all(np.isfinite(fit.w)) and fit.history[-1] == np.inf


# ---------------------------------------------------------------------------
# Bad input: the right exception, naming the argument
# ---------------------------------------------------------------------------

_X, _Y = correlated_problem(22, 10, 3)

RATE_TRAINERS = {
    "fit_ridge": lambda X, y, rate: fit_ridge(X, y, rate),
    "fit_lasso": lambda X, y, rate: fit_lasso(X, y, rate),
    "fit_elastic_net": lambda X, y, rate: fit_elastic_net(X, y, rate, 0.5),
    "ridge_path": lambda X, y, rate: ridge_path(X, y, [rate]),
    "lasso_path": lambda X, y, rate: lasso_path(X, y, [rate]),
    "lasso_coordinate_update": lambda X, y, rate: lasso_coordinate_update(X, y, np.zeros(3), 0, rate),
    "shrinkage": lambda X, y, rate: ridge_shrinkage_factors(X, rate),
    "dof": lambda X, y, rate: ridge_effective_dof(X, rate),
}
DATA_ONLY = {
    "lasso_max_rate": lambda X, y: lasso_max_rate(X, y),
    "lasso_path_knots": lambda X, y: lasso_path_knots(X, y),
    "squared_loss_objective": lambda X, y: squared_loss_objective(X, y),
}
ALL_DATA = {**{k: (lambda f: lambda X, y: f(X, y, 0.1))(f) for k, f in RATE_TRAINERS.items()}, **DATA_ONLY}
X_ONLY = {"shrinkage", "dof"}

BAD_X = {
    "1-D": (np.ones(10), ValueError),
    "3-D": (np.ones((10, 3, 1)), ValueError),
    "empty": (np.ones((0, 3)), ValueError),
    "NaN": (np.where(np.eye(10, 3) > 0, np.nan, _X), ValueError),
    "inf": (np.where(np.eye(10, 3) > 0, np.inf, _X), ValueError),
    "strings": ([["a", "b", "c"]] * 10, TypeError),
    "None": (None, TypeError),
}
BAD_Y = {
    "too short": (_Y[:-1], ValueError),
    "column": (_Y[:, None], ValueError),
    "NaN": (np.where(np.arange(10) == 3, np.nan, _Y), ValueError),
    "inf": (np.where(np.arange(10) == 3, -np.inf, _Y), ValueError),
    "string": ("y", TypeError),
}
BAD_RATE = {
    "negative": (-0.1, ValueError),
    "NaN": (np.nan, ValueError),
    "inf": (np.inf, ValueError),
    "string": ("0.1", TypeError),
    "None": (None, TypeError),
    "bool": (True, TypeError),
}


@pytest.mark.parametrize("bad", BAD_X.values(), ids=BAD_X.keys())
@pytest.mark.parametrize("trainer", ALL_DATA.values(), ids=ALL_DATA.keys())
def test_bad_X(trainer, bad):
    value, error = bad
    with pytest.raises(error, match=r"\bX\b"):
        trainer(value, _Y)


@pytest.mark.parametrize("bad", BAD_Y.values(), ids=BAD_Y.keys())
@pytest.mark.parametrize("name", [k for k in ALL_DATA if k not in X_ONLY])
def test_bad_y(name, bad):
    value, error = bad
    with pytest.raises(error, match=r"\by\b"):
        ALL_DATA[name](_X, value)


@pytest.mark.parametrize("bad", BAD_RATE.values(), ids=BAD_RATE.keys())
@pytest.mark.parametrize("trainer", RATE_TRAINERS.values(), ids=RATE_TRAINERS.keys())
def test_bad_rate(trainer, bad):
    value, error = bad
    with pytest.raises(error, match="rate"):
        trainer(_X, _Y, value)


@pytest.mark.parametrize(
    "call, error, name",
    [
        (lambda: fit_elastic_net(_X, _Y, 0.1, 1.5), ValueError, "l1_ratio"),
        (lambda: fit_elastic_net(_X, _Y, 0.1, -0.1), ValueError, "l1_ratio"),
        (lambda: fit_elastic_net(_X, _Y, 0.1, "half"), TypeError, "l1_ratio"),
        (lambda: fit_elastic_net(_X, _Y, 0.1, None), TypeError, "l1_ratio"),
        (lambda: lasso_path(_X, _Y, [0.1, 0.5]), ValueError, "rates"),
        (lambda: lasso_path(_X, _Y, [0.5, -0.1]), ValueError, "rates"),
        (lambda: lasso_path(_X, _Y, [[0.5, 0.1]]), ValueError, "rates"),
        (lambda: lasso_path(_X, _Y, []), ValueError, "rates"),
        (lambda: lasso_path(_X, _Y, n_rates=0), ValueError, "n_rates"),
        (lambda: lasso_path(_X, _Y, n_rates=2.5), TypeError, "n_rates"),
        (lambda: lasso_path(_X, _Y, min_ratio=0.0), ValueError, "min_ratio"),
        (lambda: lasso_path(_X, _Y, min_ratio=2.0), ValueError, "min_ratio"),
        (lambda: ridge_path(_X, _Y, [0.1, np.nan]), ValueError, "rates"),
        (lambda: ridge_path(_X, _Y, 0.1), ValueError, "rates"),
        (lambda: fit_lasso(_X, _Y, 0.1, tol=0.0), ValueError, "tol"),
        (lambda: fit_lasso(_X, _Y, 0.1, tol=-1e-3), ValueError, "tol"),
        (lambda: fit_lasso(_X, _Y, 0.1, tol="tight"), TypeError, "tol"),
        (lambda: fit_lasso(_X, _Y, 0.1, max_iter=0), ValueError, "max_iter"),
        (lambda: fit_lasso(_X, _Y, 0.1, max_iter=10.5), TypeError, "max_iter"),
        (lambda: fit_elastic_net(_X, _Y, 0.1, 0.5, max_iter=None), TypeError, "max_iter"),
        (lambda: lasso_path(_X, _Y, tol=np.nan), ValueError, "tol"),
        (lambda: fit_lasso(_X, _Y, 0.1, w0=np.zeros(4)), ValueError, "w0"),
        (lambda: fit_lasso(_X, _Y, 0.1, fit_intercept="yes"), TypeError, "fit_intercept"),
        (lambda: fit_ridge(_X, _Y, 0.1, fit_intercept=1), TypeError, "fit_intercept"),
        (lambda: lasso_coordinate_update(_X, _Y, np.zeros(3), 3, 0.1), ValueError, "j"),
        (lambda: lasso_coordinate_update(_X, _Y, np.zeros(3), -1, 0.1), ValueError, "j"),
        (lambda: lasso_coordinate_update(_X, _Y, np.zeros(3), 1.0, 0.1), TypeError, "j"),
        (lambda: lasso_coordinate_update(_X, _Y, np.zeros(2), 0, 0.1), ValueError, "w"),
        (lambda: lasso_coordinate_update(_X, _Y, np.zeros(3), 0, 0.1, b=np.nan), ValueError, "b"),
        (lambda: log_loss_objective(_X, _Y), ValueError, "y"),
    ],
)
def test_bad_arguments(call, error, name):
    with pytest.raises(error, match=rf"\b{name}\b"):
        call()


_OBJ = squared_loss_objective(_X, _Y)


@pytest.mark.parametrize("method", [gradient_descent, proximal_gradient])
@pytest.mark.parametrize(
    "kwargs, error, name",
    [
        (dict(loss_and_gradient="loss"), TypeError, "loss_and_gradient"),
        (dict(w0=np.zeros((3, 1))), ValueError, "w0"),
        (dict(w0=[np.nan, 0, 0]), ValueError, "w0"),
        (dict(penalty="l2"), TypeError, "penalty"),
        (dict(penalty=0.1), TypeError, "penalty"),
        (dict(step=-0.1), ValueError, "step"),
        (dict(step=0.0), ValueError, "step"),
        (dict(step="big"), TypeError, "step"),
        (dict(n_iter=0), ValueError, "n_iter"),
        (dict(n_iter=True), TypeError, "n_iter"),
        (dict(b0=np.inf), ValueError, "b0"),
        (dict(b0="0"), TypeError, "b0"),
        (dict(fit_intercept=None), TypeError, "fit_intercept"),
        (dict(tol=-1.0), ValueError, "tol"),
        (dict(loss_and_gradient=lambda w, b: (0.0, np.zeros(2), 0.0), step=0.1), ValueError, "grad_w"),
        (dict(loss_and_gradient=lambda w, b: (0.0, w, 0.0), step=None), TypeError, "step"),
    ],
)
def test_first_order_bad_arguments(method, kwargs, error, name):
    args = dict(loss_and_gradient=_OBJ, w0=np.zeros(3), penalty=L2(0.1), n_iter=5)
    args.update(kwargs)
    with pytest.raises(error, match=rf"\b{name}\b"):
        method(**args)


def test_accelerated_must_be_bool():
    with pytest.raises(TypeError, match="accelerated"):
        proximal_gradient(_OBJ, np.zeros(3), L1(0.1), accelerated="yes")

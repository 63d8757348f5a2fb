"""Tests for course_lib.geometry: projections onto norm balls and norm-constrained least squares.

Oracles: hand cases; complete optimality certificates of a Euclidean projection onto a convex set
(``(v − P)·(z − P) <= 0`` for every z in the set: for the L1 ball it suffices to check the 2p
corners ±t·e_j, for the L2 ball the worst z is t·(v − P)/||v − P||); an independent bisection
for the L1 threshold; scikit-learn's Lasso and the ridge normal equations for the constrained
fits; numpy's least squares when the budget does not bind.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from course_lib import geometry
from course_lib.geometry import (
    NormBall,
    equivalent_rate,
    fit_constrained,
    l1_ball_threshold,
    project_onto_l1_ball,
    project_onto_l2_ball,
)
from course_lib.trainers import ConvergenceWarning, proximal_gradient, squared_loss_objective

sklearn_lm = pytest.importorskip("sklearn.linear_model")

PROPERTY = settings(deadline=None, max_examples=60, derandomize=True, database=None)
# entries and budgets are 0 or at least 1e-6 in size: no underflow in the products below
entries = st.floats(-10, 10, allow_nan=False).filter(lambda x: x == 0 or abs(x) >= 1e-6)
vectors = arrays(np.float64, st.integers(1, 8), elements=entries)
budgets = st.one_of(st.just(0.0), st.floats(1e-6, 20.0))


def rel_err(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b)) / max(1e-8, float(np.max(np.abs(a)) + np.max(np.abs(b)))))


def l1_projection_certificate(v, P, t):
    """Max over the corners ±t·e_j of (v − P)·(corner − P); <= 0 iff P is the projection (P in the ball)."""
    d = v - P
    return t * float(np.max(np.abs(d))) - float(d @ P)


def l2_projection_certificate(v, P, t):
    """Max over the L2 ball of (v − P)·(z − P), attained at z = t·(v − P)/||v − P||."""
    d = v - P
    return t * float(np.linalg.norm(d)) - float(d @ P)


def bisection_threshold(v, t, iters=200):
    """θ with Σ max(|v| − θ, 0) = t, by bisection (no sorting)."""
    u = np.abs(v)
    lo, hi = 0.0, float(u.max())
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        if np.maximum(u - mid, 0.0).sum() > t:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def ridge_oracle(X, y, rate):
    n, p = X.shape
    xm, ym = X.mean(axis=0), y.mean()
    Xc, yc = X - xm, y - ym
    w = np.linalg.solve(Xc.T @ Xc / n + rate * np.eye(p), Xc.T @ yc / n)
    return w, ym - xm @ w


@pytest.fixture
def data():
    rng = np.random.default_rng(5)
    cov = 0.6 ** np.abs(np.subtract.outer(np.arange(6), np.arange(6)))
    X = rng.normal(size=(50, 6)) @ np.linalg.cholesky(cov).T + np.array([1.0, -2.0, 0.0, 3.0, 0.5, 0.0])
    y = 4.0 + X @ np.array([2.0, -1.5, 0.0, 0.0, 1.0, 0.0]) + rng.normal(size=50)
    return X, y


# ---------------------------------------------------------------------------
# projections: hand cases
# ---------------------------------------------------------------------------


def test_l2_projection_hand_cases():
    np.testing.assert_allclose(project_onto_l2_ball([3.0, 4.0], 1.0), [0.6, 0.8], rtol=1e-15)
    np.testing.assert_array_equal(project_onto_l2_ball([0.3, -0.4], 1.0), [0.3, -0.4])  # inside
    np.testing.assert_array_equal(project_onto_l2_ball([3.0, 4.0], 5.0), [3.0, 4.0])  # on the sphere
    np.testing.assert_array_equal(project_onto_l2_ball([3.0, -4.0], 0.0), [0.0, 0.0])


def test_l1_projection_hand_cases():
    # |v| = (3, 1), t = 2: θ = 1 gives (2, 0) — the second entry lands exactly on 0
    np.testing.assert_allclose(project_onto_l1_ball([3.0, -1.0], 2.0), [2.0, 0.0], atol=1e-15)
    assert project_onto_l1_ball([3.0, -1.0], 2.0)[1] == 0.0
    # a tie: θ = 0.5, both halves kept
    np.testing.assert_allclose(project_onto_l1_ball([1.0, 1.0], 1.0), [0.5, 0.5], rtol=1e-15)
    # (4, -2, 1), t = 3: θ = 1.5 -> (2.5, -0.5, 0)
    np.testing.assert_allclose(project_onto_l1_ball([4.0, -2.0, 1.0], 3.0), [2.5, -0.5, 0.0], atol=1e-15)
    assert l1_ball_threshold([4.0, -2.0, 1.0], 3.0) == pytest.approx(1.5, rel=1e-15)
    np.testing.assert_array_equal(project_onto_l1_ball([0.2, -0.3], 1.0), [0.2, -0.3])  # inside
    np.testing.assert_array_equal(project_onto_l1_ball([2.0, -3.0], 0.0), [0.0, 0.0])
    assert l1_ball_threshold([0.2, -0.3], 1.0) == 0.0


def test_projections_leave_their_input_alone():
    v = np.array([3.0, -1.0, 0.5])
    before = v.copy()
    for project in (project_onto_l1_ball, project_onto_l2_ball):
        out = project(v, 10.0)  # inside: the result must still be a new array
        out[0] = 99.0
        project(v, 1.0)
    np.testing.assert_array_equal(v, before)


# ---------------------------------------------------------------------------
# projections: certificates and properties
# ---------------------------------------------------------------------------


@PROPERTY
@given(v=vectors, t=budgets)
def test_l1_projection_is_certified_optimal(v, t):
    P = project_onto_l1_ball(v, t)
    assert np.sum(np.abs(P)) <= t * (1 + 1e-12) + 1e-12
    scale = max(1.0, float(np.abs(v).max()) ** 2)
    assert l1_projection_certificate(v, P, t) <= 1e-10 * scale
    assert np.all(P * v >= 0)  # never changes a sign
    np.testing.assert_allclose(project_onto_l1_ball(P, t), P, atol=1e-12 * max(1.0, t))  # idempotent


@PROPERTY
@given(v=vectors, t=budgets)
def test_l2_projection_is_certified_optimal(v, t):
    P = project_onto_l2_ball(v, t)
    assert np.linalg.norm(P) <= t * (1 + 1e-12) + 1e-12
    scale = max(1.0, float(np.abs(v).max()) ** 2)
    assert l2_projection_certificate(v, P, t) <= 1e-10 * scale
    assert np.all((P == 0) <= ((v == 0) | (t == 0)))  # rescaling never creates a zero


@PROPERTY
@given(v=vectors, t=st.floats(1e-3, 20.0))
def test_l1_threshold_matches_bisection_and_meets_the_budget(v, t):
    theta = l1_ball_threshold(v, t)
    if np.abs(v).sum() <= t:
        assert theta == 0.0
        return
    assert theta == pytest.approx(bisection_threshold(v, t), abs=1e-10 * max(1.0, float(np.abs(v).max())))
    assert np.abs(project_onto_l1_ball(v, t)).sum() == pytest.approx(t, rel=1e-10)


def test_l1_projection_is_soft_thresholding_where_l2_only_rescales():
    rng = np.random.default_rng(0)
    V = rng.normal(size=(500, 10))
    zeros_l1 = [np.sum(project_onto_l1_ball(v, 1.0) == 0) for v in V]
    zeros_l2 = [np.sum(project_onto_l2_ball(v, 1.0) == 0) for v in V]
    assert min(zeros_l1) >= 1 and np.mean(zeros_l1) > 5  # a unit L1 budget keeps few entries
    assert max(zeros_l2) == 0


@pytest.mark.parametrize("project", [project_onto_l1_ball, project_onto_l2_ball, l1_ball_threshold])
def test_projection_bad_input_names_the_argument(project):
    with pytest.raises(ValueError, match="budget"):
        project([1.0, 2.0], -1.0)
    with pytest.raises(TypeError, match="budget"):
        project([1.0, 2.0], "1")
    with pytest.raises(ValueError, match="v"):
        project([1.0, np.nan], 1.0)
    with pytest.raises(ValueError, match="v must be a 1-D"):
        project(np.ones((2, 2)), 1.0)


# ---------------------------------------------------------------------------
# constrained least squares
# ---------------------------------------------------------------------------


def test_constrained_hand_case():
    # X = [-1, 0, 1], y = X: least squares w = 1; the budget 0.5 binds for both norms
    X = np.array([[-1.0], [0.0], [1.0]])
    y = X[:, 0].copy()
    for norm in ("l1", "l2"):
        w, b = fit_constrained(X, y, 0.5, norm)
        assert w[0] == pytest.approx(0.5, rel=1e-9) and b == pytest.approx(0.0, abs=1e-12)
        assert fit_constrained(X, y, 3.0, norm).w[0] == pytest.approx(1.0, rel=1e-9)


@pytest.mark.parametrize("rate", [0.01, 0.1, 0.5, 1.5])
def test_l1_constrained_equals_sklearn_lasso_at_its_budget(data, rate):
    X, y = data
    ref = sklearn_lm.Lasso(alpha=rate, tol=1e-14, max_iter=1_000_000).fit(X, y)
    fit = fit_constrained(X, y, float(np.abs(ref.coef_).sum()), "l1")
    assert fit.converged
    assert rel_err(fit.w, ref.coef_) < 1e-7
    assert fit.b == pytest.approx(ref.intercept_, rel=1e-7)
    np.testing.assert_array_equal(fit.w == 0, np.abs(ref.coef_) < 1e-10)
    assert equivalent_rate(X, y, fit.w, "l1") == pytest.approx(rate, rel=1e-6)


@pytest.mark.parametrize("rate", [0.01, 0.3, 3.0, 30.0])
def test_l2_constrained_equals_ridge_at_its_budget(data, rate):
    X, y = data
    w_ref, b_ref = ridge_oracle(X, y, rate)
    fit = fit_constrained(X, y, float(np.linalg.norm(w_ref)), "l2")
    assert rel_err(fit.w, w_ref) < 1e-8
    assert fit.b == pytest.approx(b_ref, rel=1e-8)
    assert equivalent_rate(X, y, fit.w, "l2") == pytest.approx(rate, rel=1e-6)


def test_constrained_without_intercept_matches_sklearn(data):
    X, y = data
    ref = sklearn_lm.Lasso(alpha=0.2, fit_intercept=False, tol=1e-14, max_iter=1_000_000).fit(X, y)
    fit = fit_constrained(X, y, float(np.abs(ref.coef_).sum()), "l1", fit_intercept=False)
    assert fit.b == 0.0
    assert rel_err(fit.w, ref.coef_) < 1e-7


@pytest.mark.parametrize("norm", ["l1", "l2"])
def test_constrained_kkt_certificate(data, norm):
    """g = Xcᵀr/n is ν times a (sub)gradient of the norm, ν >= 0, and the budget is met exactly."""
    X, y = data
    t = 1.7
    w, b = fit_constrained(X, y, t, norm)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    g = Xc.T @ (yc - Xc @ w) / X.shape[0]
    scale = float(np.max(np.abs(Xc.T @ yc))) / X.shape[0]
    assert b == pytest.approx(y.mean() - X.mean(axis=0) @ w, rel=1e-12)
    if norm == "l1":
        nu = np.max(np.abs(g))
        assert np.abs(w).sum() == pytest.approx(t, rel=1e-9)
        on = w != 0
        np.testing.assert_allclose(g[on], nu * np.sign(w[on]), atol=1e-8 * scale)
        assert on.sum() < w.size  # this budget leaves exact zeros
    else:
        assert np.linalg.norm(w) == pytest.approx(t, rel=1e-9)
        nu = g @ w / (w @ w)
        assert nu > 0
        np.testing.assert_allclose(g, nu * w, atol=1e-8 * scale)


@pytest.mark.parametrize("norm", ["l1", "l2"])
def test_budget_zero_and_large_budget(data, norm):
    X, y = data
    w, b = fit_constrained(X, y, 0.0, norm)
    np.testing.assert_array_equal(w, np.zeros(X.shape[1]))
    assert b == pytest.approx(y.mean(), rel=1e-14)
    A = np.column_stack([np.ones(X.shape[0]), X])
    ls = np.linalg.lstsq(A, y, rcond=None)[0]
    fit = fit_constrained(X, y, 1e3, norm)
    assert rel_err(fit.w, ls[1:]) < 1e-8
    assert fit.b == pytest.approx(ls[0], rel=1e-8)
    assert equivalent_rate(X, y, fit.w, norm) == pytest.approx(0.0, abs=1e-8)


def test_equivalent_rate_at_zero_weights(data):
    X, y = data
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    assert equivalent_rate(X, y, np.zeros(6), "l1") == pytest.approx(np.max(np.abs(Xc.T @ yc)) / 50, rel=1e-14)
    assert equivalent_rate(X, y, np.zeros(6), "l2") == np.inf


def test_constrained_warns_naming_max_iter_and_tol(data):
    X, y = data
    with pytest.warns(ConvergenceWarning, match=r"max_iter=2 .*tol=1e-10"):
        fit = fit_constrained(X, y, 1.0, "l1", max_iter=2)
    assert not fit.converged and fit.n_iter == 2


def test_constrained_does_not_change_inputs_and_accepts_a_start(data):
    X, y = data
    X0, y0 = X.copy(), y.copy()
    cold = fit_constrained(X, y, 2.0, "l1")
    warm = fit_constrained(X, y, 2.0, "l1", w0=cold.w)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    assert warm.n_iter <= 2 and rel_err(warm.w, cold.w) < 1e-9


def test_constant_columns_give_the_mean():
    X = np.ones((5, 2))
    y = np.arange(5.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w, b = fit_constrained(X, y, 1.0, "l2")
    np.testing.assert_array_equal(w, [0.0, 0.0])
    assert b == 2.0


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"norm": "l3"}, ValueError, "norm must be 'l1' or 'l2'"),
        ({"budget": -1.0}, ValueError, "budget"),
        ({"tol": 0.0}, ValueError, "tol"),
        ({"max_iter": 0}, ValueError, "max_iter"),
        ({"w0": np.zeros(3)}, ValueError, "w0 must have length 6"),
        ({"fit_intercept": 1}, TypeError, "fit_intercept"),
    ],
)
def test_constrained_bad_input_names_the_argument(data, kwargs, error, match):
    X, y = data
    args = {"budget": 1.0, **kwargs}
    with pytest.raises(error, match=match):
        fit_constrained(X, y, **args)


def test_equivalent_rate_bad_input(data):
    X, y = data
    with pytest.raises(ValueError, match="w must have length 6"):
        equivalent_rate(X, y, np.zeros(5))
    with pytest.raises(ValueError, match="norm"):
        equivalent_rate(X, y, np.zeros(6), norm="L1")


# ---------------------------------------------------------------------------
# Two dimensions: quadratic loss against the disc and the diamond
# ---------------------------------------------------------------------------


def _random_problem(rng):
    angle = rng.uniform(0, np.pi)
    R = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    H = R @ np.diag(rng.uniform(0.2, 4.0, 2)) @ R.T
    return H, rng.uniform(-3, 3, 2), rng.uniform(0.1, 2.5)


def _loss(H, w_hat, W):
    D = np.atleast_2d(W) - w_hat
    return 0.5 * np.einsum("ij,jk,ik->i", D, H, D)


def _disc_grid(t, m=241):
    g = np.linspace(-t, t, m)
    P = np.array(np.meshgrid(g, g)).reshape(2, -1).T
    return P[np.hypot(P[:, 0], P[:, 1]) <= t]


def _diamond_grid(t, m=241):
    g = np.linspace(-t, t, m)
    P = np.array(np.meshgrid(g, g)).reshape(2, -1).T
    return P[np.abs(P).sum(axis=1) <= t]


def test_l2_constrained_solution_is_feasible_tangent_and_optimal():
    rng = np.random.default_rng(5)
    for _ in range(30):
        H, w_hat, t = _random_problem(rng)
        w, nu = geometry.l2_constrained_solution(H, w_hat, t)
        if np.linalg.norm(w_hat) <= t:
            np.testing.assert_array_equal(w, w_hat)
            assert nu == 0
            continue
        assert np.linalg.norm(w) == pytest.approx(t, rel=1e-12)  # active budget
        assert nu > 0
        np.testing.assert_allclose(H @ (w_hat - w), nu * w, rtol=1e-8, atol=1e-10)  # tangency (KKT)
        np.testing.assert_allclose(w, np.linalg.solve(H + nu * np.eye(2), H @ w_hat), rtol=1e-9)  # ridge form
        best = _loss(H, w_hat, _disc_grid(t)).min()
        assert _loss(H, w_hat, w)[0] <= best + 1e-12


def test_l1_constrained_solution_is_feasible_satisfies_kkt_and_beats_a_grid():
    rng = np.random.default_rng(6)
    n_sparse = 0
    for _ in range(40):
        H, w_hat, t = _random_problem(rng)
        w, nu = geometry.l1_constrained_solution(H, w_hat, t)
        if np.abs(w_hat).sum() <= t:
            np.testing.assert_array_equal(w, w_hat)
            assert nu == 0
            continue
        assert np.abs(w).sum() == pytest.approx(t, rel=1e-12)
        g = H @ (w_hat - w)
        on = w != 0
        np.testing.assert_allclose(g[on], nu * np.sign(w[on]), rtol=1e-8, atol=1e-10)
        assert np.all(np.abs(g[~on]) <= nu * (1 + 1e-10))
        n_sparse += int(np.sum(~on))
        assert _loss(H, w_hat, w)[0] <= _loss(H, w_hat, _diamond_grid(t)).min() + 1e-12
    assert n_sparse > 0  # some random problems land on a corner: the lesson's point


def test_l1_corner_solution_hand_example():
    # H = I, optimum (2, 0.5), budget 1: the nearest point of the diamond is the corner (1, 0),
    # since the gradient there, (1, 0.5), lies in the normal cone of the corner.
    w, nu = geometry.l1_constrained_solution(np.eye(2), [2.0, 0.5], 1.0)
    np.testing.assert_allclose(w, [1.0, 0.0], atol=1e-15)
    assert nu == pytest.approx(1.0)
    # optimum (1, 1), budget 1: projection onto the edge w1 + w2 = 1 is (0.5, 0.5), ν = 0.5
    w, nu = geometry.l1_constrained_solution(np.eye(2), [1.0, 1.0], 1.0)
    np.testing.assert_allclose(w, [0.5, 0.5])
    assert nu == pytest.approx(0.5)


# ---------------------------------------------------------------------------
# NormBall: the constraint as a penalty object, so that projected gradient is proximal gradient
# ---------------------------------------------------------------------------


@PROPERTY
@given(v=vectors, t=budgets)
def test_norm_ball_prox_is_the_projection_whatever_the_step(v, t):
    for norm, project in (("l1", project_onto_l1_ball), ("l2", project_onto_l2_ball)):
        ball = NormBall(norm, t)
        for step in (1e-3, 1.0, 50.0):
            np.testing.assert_array_equal(ball.prox(v, step), project(v, t))
        assert ball.value(project(v, t)) == 0.0  # projections land on the ball
        np.testing.assert_array_equal(ball.gradient(v), np.zeros_like(v))


def test_norm_ball_value_is_the_indicator():
    assert NormBall("l1", 1.0).value([0.5, -0.5]) == 0.0
    assert NormBall("l1", 1.0).value([0.6, -0.5]) == np.inf
    assert NormBall("l2", 1.0).value([0.6, 0.8]) == 0.0
    assert NormBall("l2", 1.0).value([0.7, 0.8]) == np.inf
    assert not NormBall.smooth


def test_projected_gradient_is_proximal_gradient_with_a_norm_ball(data):
    # fit_constrained on centered data equals the lessons' proximal_gradient run on the squared
    # loss with NormBall as its "penalty" (fitting b by gradient steps instead of centering).
    X, y = data
    for norm, t in (("l1", 2.0), ("l2", 1.5)):
        fast = fit_constrained(X, y, t, norm)
        plain = proximal_gradient(squared_loss_objective(X, y), np.zeros(6), NormBall(norm, t),
                                  n_iter=200_000, accelerated=True, restart=True, tol=1e-11)
        assert plain.converged
        np.testing.assert_allclose(plain.w, fast.w, rtol=0, atol=1e-7)
        assert plain.b == pytest.approx(fast.b, abs=1e-7)


@pytest.mark.parametrize(
    "make, error, match",
    [
        (lambda: NormBall("l3", 1.0), ValueError, r"norm must be 'l1' or 'l2'"),
        (lambda: NormBall("l1", -1.0), ValueError, r"^budget must be >= 0"),
        (lambda: NormBall("l1", 1.0, True), TypeError, r"^smooth is not an argument of NormBall"),
        (lambda: NormBall("l1", 1.0).l1_rate, TypeError, r"a NormBall is a constraint"),
    ],
)
def test_norm_ball_bad_input(make, error, match):
    with pytest.raises(error, match=match):
        make()

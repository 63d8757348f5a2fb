"""Tests for course_lib.descent beyond those in test_trainers.py (which imports the same functions
from course_lib.trainers): FISTA's adaptive restart, and the penalty argument's messages.

Oracles: the closed-form ridge solution (normal equations solved here) and the fixed-point
certificate ``w = prox(w − step·∇f(w))`` of proximal gradient.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.descent import gradient_descent, proximal_gradient, squared_loss_objective
from course_lib.penalties import L1, L2, ElasticNet


def ill_conditioned_problem(seed=0, n=80, p=6):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * np.geomspace(1.0, 0.1, p)  # scales 1 .. 0.1
    return X, X @ rng.standard_normal(p) + 0.3 * rng.standard_normal(n)


@pytest.mark.parametrize("penalty", [L2(1e-4), L1(1e-3), ElasticNet(1e-3, 0.5)], ids=repr)
def test_restart_reaches_the_same_minimizer_sooner(penalty):
    X, y = ill_conditioned_problem()
    objective = squared_loss_objective(X, y)
    runs = {restart: proximal_gradient(objective, np.zeros(6), penalty, n_iter=200_000, accelerated=True,
                                       restart=restart, tol=1e-10)
            for restart in (False, True)}
    assert all(run.converged for run in runs.values())
    assert runs[True].n_iter < runs[False].n_iter
    np.testing.assert_allclose(runs[True].w, runs[False].w, rtol=0, atol=1e-6)
    # the fixed-point certificate of the restarted run
    w, b = runs[True]
    _, grad_w, grad_b = objective(w, b)
    step = 1.0 / objective.lipschitz
    assert np.max(np.abs(w - penalty.prox(w - step * grad_w, step))) <= 1e-9 and abs(grad_b) <= 1e-9


def test_restart_on_ridge_lands_on_the_normal_equations():
    X, y = ill_conditioned_problem(1)
    rate = 1e-3
    n = len(y)
    Xc, yc = X - X.mean(0), y - y.mean()
    expected = np.linalg.solve(Xc.T @ Xc + n * rate * np.eye(6), Xc.T @ yc)
    fit = proximal_gradient(squared_loss_objective(X, y), np.zeros(6), L2(rate), n_iter=100_000,
                            accelerated=True, restart=True, tol=1e-12)
    np.testing.assert_allclose(fit.w, expected, rtol=1e-7)


def test_restart_without_acceleration_changes_nothing():
    X, y = ill_conditioned_problem(2)
    objective = squared_loss_objective(X, y)
    a = proximal_gradient(objective, np.zeros(6), L1(0.01), n_iter=300, tol=0.0)
    b = proximal_gradient(objective, np.zeros(6), L1(0.01), n_iter=300, tol=0.0, restart=True)
    np.testing.assert_array_equal(a.w, b.w)


@pytest.mark.parametrize("method", [gradient_descent, proximal_gradient])
def test_a_penalty_name_is_refused_with_the_object_to_use(method):
    X, y = ill_conditioned_problem()
    with pytest.raises(TypeError, match=r"^penalty must be a Penalty object that carries its rate, such as "
                                        r"L2\(0\.1\).*got str 'l2' \(there is no rate argument here"):
        method(squared_loss_objective(X, y), np.zeros(6), "l2", n_iter=5)


def test_restart_must_be_bool():
    X, y = ill_conditioned_problem()
    with pytest.raises(TypeError, match=r"^restart must be True or False; got str 'yes'"):
        proximal_gradient(squared_loss_objective(X, y), np.zeros(6), L1(0.1), accelerated=True, restart="yes")


def test_a_penalty_of_the_learners_own_works_with_proximal_gradient():
    # Any Penalty subclass with value/gradient/prox is accepted, even without being a dataclass:
    # here the box constraint |w_j| <= 1, whose prox is clipping.
    from course_lib.penalties import Penalty

    class Box(Penalty):
        smooth = False

        def __init__(self, limit):
            self.limit = limit

        def value(self, w):
            return 0.0 if np.all(np.abs(w) <= self.limit) else np.inf

        def gradient(self, w):
            return np.zeros_like(w)

        def prox(self, v, step):
            return np.clip(v, -self.limit, self.limit)

    rng = np.random.default_rng(4)
    X = rng.standard_normal((40, 3))
    y = X @ np.array([3.0, -2.0, 0.1])
    fit = proximal_gradient(squared_loss_objective(X, y), np.zeros(3), Box(1.0), n_iter=5000, tol=1e-12)
    assert fit.converged
    # the two large weights sit on the box; the third is free, so its gradient there is 0
    np.testing.assert_allclose(fit.w[:2], [1.0, -1.0], atol=1e-12)
    _, grad_w, _ = squared_loss_objective(X, y)(fit.w, fit.b)
    assert abs(grad_w[2]) < 1e-9 and grad_w[0] < 0 < grad_w[1]

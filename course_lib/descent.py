r"""Gradient descent and proximal gradient: the first-order methods of lessons 03, 04 and 07.

Both minimize ``loss(w, b) + penalty(w)`` for any smooth loss given as a function
``loss_and_gradient(w, b) -> (loss, grad_w, grad_b)`` — :func:`squared_loss_objective` for
``1/(2n)·||y − Xw − b||²``, :func:`log_loss_objective` for the mean log-loss — and any penalty
object of :mod:`course_lib.penalties` (``L2(rate)``, ``L1(rate)``, ``ElasticNet(rate, l1_ratio)``,
``NoPenalty()``).  The intercept ``b`` takes plain gradient steps and is never penalized.

=====================  ======================================================================
``gradient_descent``   ``w ← w − step·(∇loss + ∇penalty)``: the penalty by its (sub)gradient;
                       for L2 this is weight decay ``w ← (1 − step·rate)·w − step·∇loss``
``proximal_gradient``  ``w ← prox_{step·penalty}(w − step·∇loss)``: the penalty by its proximal
                       step (soft-thresholding for L1: exact zeros); FISTA with ``accelerated``
=====================  ======================================================================
"""

from __future__ import annotations

import warnings

import numpy as np

from ._validation import (
    ConvergenceWarning,
    as_data,
    as_labels,
    as_vector,
    check_bool,
    check_positive_float,
    check_positive_int,
    check_rate,
    check_real,
)
from .fit_result import Fit
from .losses import _check_wb, _log_loss_gradient, _mean_log_loss, _squared_loss, _squared_loss_gradient
from .penalties import L2, NoPenalty, Penalty

__all__ = ["squared_loss_objective", "log_loss_objective", "gradient_descent", "proximal_gradient"]


def squared_loss_objective(X, y):
    r"""``loss_and_gradient(w, b) -> (loss, grad_w, grad_b)`` for the squared loss.

    .. math:: \text{loss}(w, b) = \frac{1}{2n}\|y - Xw - b\|^2

    computed as :func:`course_lib.losses.squared_loss` and its gradient compute it (``X`` and
    ``y`` are checked once, here, not at every step).  The returned function has an attribute
    ``lipschitz``: the Lipschitz constant of the gradient in ``(w, b)``, ``||[X, 1]||₂² / n``, so
    that ``step = 1/lipschitz`` is a safe step size.
    """
    X, y = as_data(X, y)

    def loss_and_gradient(w, b=0.0):
        w, b = _check_wb(X, w, b)
        grad_w, grad_b = _squared_loss_gradient(X, y, w, b)
        return _squared_loss(X, y, w, b), grad_w, grad_b

    loss_and_gradient.lipschitz = _lipschitz(X, 1.0)
    return loss_and_gradient


def log_loss_objective(X, y):
    r"""``loss_and_gradient(w, b) -> (loss, grad_w, grad_b)`` for the mean logistic loss.

    .. math:: \text{loss}(w, b) = \frac{1}{n}\sum_i \big[\log(1 + e^{z_i}) - y_i z_i\big],\quad z = Xw + b

    (labels in {0, 1}), computed as :func:`course_lib.losses.log_loss` and its gradient compute
    it.  ``lipschitz`` is ``||[X, 1]||₂² / (4n)`` (the sigmoid's slope is at most 1/4).
    """
    X, y = as_data(X, y)
    y = as_labels(y)

    def loss_and_gradient(w, b=0.0):
        w, b = _check_wb(X, w, b)
        grad_w, grad_b = _log_loss_gradient(X, y, w, b)
        return float(_mean_log_loss(X @ w + b, y)), grad_w, grad_b

    loss_and_gradient.lipschitz = _lipschitz(X, 0.25)
    return loss_and_gradient


def _lipschitz(X, curvature):
    ones = np.ones((X.shape[0], 1))
    return curvature * float(np.linalg.norm(np.hstack([X, ones]), 2)) ** 2 / X.shape[0]


def _check_first_order_args(loss_and_gradient, w0, penalty, step, n_iter, b0, fit_intercept):
    if not callable(loss_and_gradient):
        raise TypeError(
            "loss_and_gradient must be a function (w, b) -> (loss, grad_w, grad_b), e.g. "
            f"squared_loss_objective(X, y); got {type(loss_and_gradient).__name__}"
        )
    w0 = as_vector(w0, "w0")
    if penalty is None:
        penalty = NoPenalty()
    if isinstance(penalty, str):
        raise TypeError(
            "penalty must be a Penalty object that carries its rate, such as L2(0.1), L1(0.1) or "
            f"ElasticNet(0.1, 0.5), or None; got str {penalty!r} (there is no rate argument here, "
            "so a name cannot say how strong the penalty is)"
        )
    if not isinstance(penalty, Penalty):
        raise TypeError(
            "penalty must be a course_lib.penalties.Penalty such as L2(rate), L1(rate), "
            f"ElasticNet(rate, l1_ratio), or None; got {type(penalty).__name__} {penalty!r}"
        )
    if step is None:
        lipschitz = getattr(loss_and_gradient, "lipschitz", None)
        if lipschitz is None:
            raise TypeError(
                "step is required when loss_and_gradient has no 'lipschitz' attribute; "
                "got step=None"
            )
        step = 1.0 / lipschitz
    step = check_positive_float(step, "step")
    n_iter = check_positive_int(n_iter, "n_iter")
    b0 = check_real(b0, "b0")
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    return w0, penalty, step, n_iter, b0, fit_intercept


def _evaluate(loss_and_gradient, w, b):
    """Call the user's function and check what it returns."""
    loss, grad_w, grad_b = loss_and_gradient(w, b)
    grad_w = np.asarray(grad_w, dtype=float)
    if grad_w.shape != w.shape:
        raise ValueError(
            f"loss_and_gradient must return grad_w of the same shape as w, {w.shape}; "
            f"got shape {grad_w.shape}"
        )
    return float(loss), grad_w, float(grad_b)


def _finite(w, b):
    return bool(np.all(np.isfinite(w))) and bool(np.isfinite(b))


def _warn_diverged(where, iteration, step):
    warnings.warn(
        f"{where} diverged at iteration {iteration} (the objective is no longer finite): "
        f"step={step:g} is too large; try step <= 1/L (the default step when the loss has a "
        "'lipschitz' attribute)",
        RuntimeWarning,
        stacklevel=3,
    )


def gradient_descent(
    loss_and_gradient, w0, penalty=None, step=None, n_iter=1000, b0=0.0, fit_intercept=True, tol=0.0
) -> Fit:
    r"""Plain (sub)gradient descent on ``loss(w, b) + penalty(w)``.

    .. math::

        w_{k+1} = w_k - \text{step}\,\big(\nabla_w \text{loss}(w_k, b_k) + \nabla\text{penalty}(w_k)\big),
        \qquad b_{k+1} = b_k - \text{step}\,\partial_b \text{loss}(w_k, b_k)

    For an :class:`~course_lib.penalties.L2` penalty the update is written as *weight decay*,
    ``w ← (1 − step·rate)·w − step·∇_w loss`` — the same numbers.  The intercept is never
    penalized.

    Parameters
    ----------
    loss_and_gradient : callable
        ``(w, b) -> (loss, grad_w, grad_b)``, e.g. :func:`squared_loss_objective`.
    w0 : array_like, shape (p,)
        Starting weights.
    penalty : Penalty or None
        E.g. ``L2(rate)``, ``L1(rate)``, ``ElasticNet(rate, l1_ratio)``; None for no penalty.
        Non-smooth penalties use their subgradient (see :func:`proximal_gradient` for exact zeros).
    step : float, optional
        Step size; default ``1 / loss_and_gradient.lipschitz`` when that attribute exists.
    n_iter : int
        Number of steps.
    b0 : float
        Starting intercept.
    fit_intercept : bool
        If False, ``b`` stays at ``b0``.
    tol : float
        Stop early once a step moves no entry of ``(w, b)`` by more than ``tol``.  With the
        default 0 the loop stops only at a fixed point (a step that changes nothing in floating
        point) and gives no warning; with ``tol > 0`` a :class:`ConvergenceWarning` says when
        ``n_iter`` was not enough.  ``Fit.n_iter`` tells how many steps were taken.

    Returns
    -------
    Fit
        ``history[k]`` is the objective after ``k`` steps (``history[0]`` at the start).
        If the iterates blow up (step too large) the run stops with a ``RuntimeWarning``, the
        last finite ``(w, b)`` is returned and ``history`` ends with ``inf``.
    """
    w, penalty, step, n_iter, b, fit_intercept = _check_first_order_args(
        loss_and_gradient, w0, penalty, step, n_iter, b0, fit_intercept
    )
    tol = check_rate(tol, "tol")
    loss, grad_w, grad_b = _evaluate(loss_and_gradient, w, b)
    history = [loss + penalty.value(w)]
    converged = False
    with np.errstate(over="ignore", invalid="ignore"):  # blow-ups are reported below
        for iteration in range(1, n_iter + 1):
            if isinstance(penalty, L2):
                # Weight decay: shrink w by (1 − step·rate), then step along the loss gradient.
                # This is exactly w − step·(grad_w + rate·w), a gradient step on loss + rate/2·||w||².
                rate = penalty.rate
                w_new = (1 - step * rate) * w - step * grad_w
            else:
                # Other penalties through their (sub)gradient.  For L1 that is rate·sign(w), whose
                # size does not shrink near 0: a weight that should be 0 jumps back and forth across
                # 0 instead of stopping there, so subgradient steps never land on exact zeros.
                w_new = w - step * (grad_w + penalty.gradient(w))
            b_new = b - step * grad_b if fit_intercept else b  # the intercept is never penalized
            if not _finite(w_new, b_new):
                history.append(np.inf)
                _warn_diverged("gradient_descent", iteration, step)
                break
            moved = max(float(np.max(np.abs(w_new - w))), abs(b_new - b))
            w, b = w_new, b_new
            loss, grad_w, grad_b = _evaluate(loss_and_gradient, w, b)
            history.append(loss + penalty.value(w))
            if not np.isfinite(history[-1]):
                _warn_diverged("gradient_descent", iteration, step)
                break
            if moved <= tol:
                converged = True
                break
    if tol > 0 and not converged and np.isfinite(history[-1]):
        warnings.warn(
            f"gradient_descent did not converge in n_iter={n_iter} steps: the last step moved "
            f"(w, b) by {moved:.3e} > tol={tol:g}; increase n_iter or tol",
            ConvergenceWarning,
            stacklevel=2,
        )
    return Fit(w, b, n_iter=iteration, converged=converged, history=history)


def proximal_gradient(
    loss_and_gradient,
    w0,
    penalty,
    step=None,
    n_iter=1000,
    b0=0.0,
    fit_intercept=True,
    accelerated=False,
    tol=1e-10,
    restart=False,
) -> Fit:
    r"""Proximal gradient descent (ISTA, or FISTA with ``accelerated=True``) on ``loss + penalty``.

    Minimizes ``loss(w, b) + penalty(w)`` by a gradient step on the smooth loss followed by the
    penalty's proximal operator:

    .. math::

        w_{k+1} = \operatorname{prox}_{\text{step}\cdot\text{penalty}}
                  \big(w_k - \text{step}\,\nabla_w\text{loss}(w_k, b_k)\big),
        \qquad b_{k+1} = b_k - \text{step}\,\partial_b\text{loss}(w_k, b_k).

    For L1 the prox is soft-thresholding, which sets small weights to exactly 0.  FISTA
    evaluates the gradient at an extrapolated point ``x_k + (t_{k−1} − 1)/t_k·(x_k − x_{k−1})``
    and converges as O(1/k²) instead of O(1/k) in objective.  With ``restart=True`` it drops the
    momentum (``t = 1``) whenever the last step went against it, ``(y − x⁺)·(x⁺ − x) > 0``
    (adaptive restart, O'Donoghue & Candès 2015), which keeps FISTA from overshooting on
    ill-conditioned problems.

    Stopping rule: the *gradient mapping* ``(y − x⁺)/step`` (``y`` the point where the gradient
    was taken, ``x⁺`` the new iterate) is 0 exactly at a minimizer; the run stops when its
    largest entry is at most ``tol``.  ``tol=0`` runs all ``n_iter`` steps without a warning.

    Parameters
    ----------
    loss_and_gradient : callable
        ``(w, b) -> (loss, grad_w, grad_b)``, e.g. :func:`squared_loss_objective`.
    w0 : array_like, shape (p,)
    penalty : Penalty or None
        Anything with ``prox(v, step)``: ``L1(rate)``, ``L2(rate)``, ``ElasticNet(...)``.
    step : float, optional
        Default ``1 / loss_and_gradient.lipschitz`` (converges for any step <= 1/L).
    n_iter : int
    b0 : float
    fit_intercept : bool
    accelerated : bool
        FISTA instead of ISTA.
    tol : float
    restart : bool
        With ``accelerated``: adaptive restart of the momentum.

    Returns
    -------
    Fit
        ``history[k]`` is the objective at the k-th iterate.  Warns with
        :class:`ConvergenceWarning` if ``tol > 0`` was not met within ``n_iter`` steps.
    """
    w, penalty, step, n_iter, b, fit_intercept = _check_first_order_args(
        loss_and_gradient, w0, penalty, step, n_iter, b0, fit_intercept
    )
    accelerated = check_bool(accelerated, "accelerated")
    restart = check_bool(restart, "restart")
    tol = check_rate(tol, "tol")
    loss, grad_w, grad_b = _evaluate(loss_and_gradient, w, b)
    history = [loss + penalty.value(w)]
    y_w, y_b = w, b  # the point where the next gradient is taken (= w, b for ISTA)
    t = 1.0
    converged = False
    with np.errstate(over="ignore", invalid="ignore"):  # blow-ups are reported below
        for iteration in range(1, n_iter + 1):
            gradient_step = y_w - step * grad_w
            b_new = y_b - step * grad_b if fit_intercept else y_b
            if not _finite(gradient_step, b_new):
                history.append(np.inf)
                _warn_diverged("proximal_gradient", iteration, step)
                break
            w_new = penalty.prox(gradient_step, step)
            mapping = max(float(np.max(np.abs(y_w - w_new))), abs(y_b - b_new)) / step
            loss, grad_w, grad_b = _evaluate(loss_and_gradient, w_new, b_new)
            history.append(loss + penalty.value(w_new))
            if not np.isfinite(history[-1]):
                _warn_diverged("proximal_gradient", iteration, step)
                break
            if accelerated and restart and float((y_w - w_new) @ (w_new - w)) + (y_b - b_new) * (b_new - b) > 0:
                # Adaptive restart: the step went against the momentum, so drop it (the gradient
                # at w_new, where the next step starts, is already known).
                t, y_w, y_b = 1.0, w_new, b_new
            elif accelerated:
                t_new = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
                momentum = (t - 1.0) / t_new
                y_w, y_b = w_new + momentum * (w_new - w), b_new + momentum * (b_new - b)
                t = t_new
                if not _finite(y_w, y_b):
                    _warn_diverged("proximal_gradient", iteration, step)
                    break
                _, grad_w, grad_b = _evaluate(loss_and_gradient, y_w, y_b)
            else:
                y_w, y_b = w_new, b_new
            w, b = w_new, b_new
            if mapping <= tol:
                converged = True
                break
    if tol > 0 and not converged and np.isfinite(history[-1]):
        warnings.warn(
            f"proximal_gradient did not converge in n_iter={n_iter} steps: gradient mapping "
            f"{mapping:.3e} > tol={tol:g}; increase n_iter or tol",
            ConvergenceWarning,
            stacklevel=2,
        )
    return Fit(w, b, n_iter=iteration, converged=converged, history=history)

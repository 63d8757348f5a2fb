r"""Penalized logistic regression for labels in {0, 1}.

The objective, with ``z_i = x_iᵀw + b`` and the intercept ``b`` never penalized, is

.. math::

    F(w, b) = \frac{1}{n}\sum_{i=1}^n \big[\log(1 + e^{z_i}) - y_i z_i\big]
              + \text{rate}\Big(\rho\,\|w\|_1 + \frac{1-\rho}{2}\|w\|_2^2\Big)

with ``ρ = 1`` for ``penalty="l1"``, ``ρ = 0`` for ``penalty="l2"`` and ``ρ = l1_ratio`` for
``penalty="elasticnet"``.  Two solvers, both second order:

* smooth objective (L2, or ``rate=0``): Newton's method (a.k.a. IRLS) with a backtracking line
  search — quadratic convergence, exact to machine precision in a handful of iterations;
* objective with an L1 part: proximal Newton in the style of glmnet — the log-loss is replaced
  by its quadratic (Newton) model, the model plus ``rate·ρ·||w||₁`` is minimized by coordinate
  descent with soft-thresholding, and a line search on ``F`` accepts the step.

Both stop when the largest entry of the minimum-norm subgradient of ``F`` (the violation of the
optimality/KKT conditions) is at most ``tol``.
"""

from __future__ import annotations

import warnings

import numpy as np

from ._validation import (
    ConvergenceWarning,
    _as_float_array,
    as_data,
    as_labels,
    as_matrix,
    as_vector,
    check_bool,
    check_fraction,
    check_positive_float,
    check_positive_int,
)
from .coordinate_descent import coordinate_sweep, solve_on_support
from .fit_result import Fit
from .losses import _mean_log_loss, sigmoid
from .penalties import Penalty, make_penalty

__all__ = [
    "fit_logistic",
    "logistic_max_rate",
    "logistic_objective",
    "predict_proba",
    "predict_labels",
]

_EPS = np.finfo(float).eps


# ---------------------------------------------------------------------------
# Input handling
# ---------------------------------------------------------------------------


def _penalty_parts(penalty, rate, l1_ratio, *, rate_required) -> tuple[float, float]:
    """Resolve ``penalty``/``rate``/``l1_ratio`` (with make_penalty); return ``(l1_rate, l2_rate)``.

    ``penalty`` is a name (``"l2"``, ``"l1"``, ``"elasticnet"``, ``"none"``) with a ``rate``, or a
    Penalty object such as ``L1(0.05)`` that carries its rate (then ``rate`` stays None).
    """
    if not isinstance(penalty, (str, Penalty)):
        raise TypeError(
            "penalty must be one of 'l2', 'l1', 'elasticnet', 'none' or a Penalty object such as "
            f"L1(0.05); got {type(penalty).__name__} {penalty!r}"
        )
    if rate is None and isinstance(penalty, str) and not rate_required:
        rate = 0.0
    if l1_ratio is None:
        resolved = make_penalty(penalty, rate)
    else:
        resolved = make_penalty(penalty, rate, l1_ratio)
    return resolved.l1_rate, resolved.l2_rate


def _check_two_classes(y, fit_intercept) -> None:
    if fit_intercept and (y.min() == y.max()):
        raise ValueError(
            "y must contain both labels 0 and 1 when fit_intercept=True (with a single class "
            f"the intercept runs off to infinity); got only the label {y[0]:g}"
        )


def _check_intercept(b, name="b") -> float:
    if isinstance(b, (bool, np.bool_, str, bytes)) or b is None or np.ndim(b) != 0 or np.iscomplexobj(b):
        raise TypeError(f"{name} must be a single real number (the intercept); got {type(b).__name__} {b!r:.60}")
    value = float(_as_float_array([b], name)[0])
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number; got {name}={value}")
    return value


# ---------------------------------------------------------------------------
# Objective and optimality
# ---------------------------------------------------------------------------


def _objective(z, y, w, lam1, lam2) -> float:
    return float(_mean_log_loss(z, y)) + lam1 * float(np.sum(np.abs(w))) + 0.5 * lam2 * float(w @ w)


def _kkt_violation(grad, theta, thresh) -> float:
    """Largest entry of the minimum-norm subgradient of ``smooth + Σ thresh_j·|θ_j|``.

    ``grad`` is the gradient of the smooth part.  Where ``θ_j ≠ 0`` the subgradient is
    ``grad_j + thresh_j·sign(θ_j)``; where ``θ_j = 0`` its smallest entry is
    ``max(|grad_j| − thresh_j, 0)``.
    """
    at_zero = np.maximum(np.abs(grad) - thresh, 0.0)
    off_zero = np.abs(grad + thresh * np.sign(theta))
    return float(np.max(np.where(theta == 0, at_zero, off_zero)))


def logistic_objective(X, y, w, b=0.0, rate=None, penalty="l2", *, l1_ratio=None) -> float:
    r"""Value of the penalized logistic objective minimized by :func:`fit_logistic`.

    .. math::

        F(w, b) = \frac{1}{n}\sum_i \big[\log(1 + e^{x_i^\top w + b}) - y_i (x_i^\top w + b)\big]
                  + \text{penalty}(w, \text{rate})

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
        Labels in {0, 1}.
    w : array_like, shape (p,)
    b : float
        Intercept (not penalized).
    rate : float, optional
        Penalty strength, any number ``>= 0``; with a name and no rate, 0.
    penalty : {"l2", "l1", "elasticnet", "none"} or Penalty
        A name with ``rate``, or a penalty object such as ``L1(0.05)`` that carries its rate.
    l1_ratio : float, optional
        L1 share for ``penalty="elasticnet"`` (default 0.5).

    Returns
    -------
    float
    """
    X, y = as_data(X, y)
    y = as_labels(y, "y")
    w = as_vector(w, "w", size=X.shape[1])
    b = _check_intercept(b)
    lam1, lam2 = _penalty_parts(penalty, rate, l1_ratio, rate_required=False)
    return _objective(X @ w + b, y, w, lam1, lam2)


# ---------------------------------------------------------------------------
# Solver
# ---------------------------------------------------------------------------


def _newton_direction(G, Q, thresh, theta, inner_tol, max_sweeps):
    """The step ``Δ`` that minimizes the Newton model ``GᵀΔ + ½ΔᵀQΔ + Σ thresh_j·|θ_j + Δ_j|``.

    Without an L1 part this is one linear solve, ``QΔ = −G``.  With one, the model in
    ``v = θ + Δ`` is ``½vᵀQv − (Qθ − G)ᵀv + Σ thresh_j·|v_j|`` (+ a constant): a lasso in its
    quadratic form, solved by the lasso's own coordinate descent
    (:mod:`course_lib.coordinate_descent`): sweeps over the coordinates the threshold rule lets
    move, and an exact solve once the nonzero coordinates and their signs have settled.  It stops
    when the model's optimality violation is at most ``inner_tol`` or after ``max_sweeps`` passes.
    """
    if not np.any(thresh):
        try:
            return np.linalg.solve(Q, -G)
        except np.linalg.LinAlgError:
            return np.linalg.lstsq(Q, -G, rcond=None)[0]
    # Where every probability has saturated to 0 or 1 the curvature along a coordinate can vanish
    # (p·(1 − p) underflows); a floor keeps the model bounded there (the line search judges the step).
    diagonal = np.diag(Q)
    Q = Q + np.diag(np.maximum(1e-12 * max(1.0, float(diagonal.max())) - diagonal, 0.0))
    v = theta.copy()

    def model(v):  # the model's value and its smooth part's negative gradient, −(G + QΔ)
        delta = v - theta
        Q_delta = Q @ delta
        value = float(G @ delta) + 0.5 * float(delta @ Q_delta) + float(thresh @ np.abs(v))
        return value, -(G + Q_delta)

    value, correlation = model(v)
    previous_signs = None
    for _ in range(max_sweeps):  # at least one sweep: Δ = 0 would stall the outer iteration
        movable = np.flatnonzero((v != 0) | (thresh == 0) | (np.abs(correlation) > thresh))
        coordinate_sweep(v, Q, correlation, thresh, movable.tolist())
        value, correlation = model(v)  # recomputed, so that rounding never accumulates
        signs = np.sign(v)
        if np.array_equal(signs, previous_signs):
            candidate = solve_on_support(v, Q, correlation, thresh)
            if candidate is not None:
                candidate_value, candidate_correlation = model(candidate)
                if candidate_value <= value:
                    v, value, correlation = candidate, candidate_value, candidate_correlation
        if _kkt_violation(-correlation, v, thresh) <= inner_tol:
            break
        previous_signs = signs
    return v - theta


def fit_logistic(
    X,
    y,
    rate=None,
    penalty="l2",
    fit_intercept=True,
    *,
    l1_ratio=None,
    tol=1e-12,
    max_iter=100,
    init=None,
) -> Fit:
    r"""Penalized logistic regression (labels in {0, 1}).

    Minimizes the mean log-loss plus a penalty on the weights; the intercept is not penalized:

    .. math::

        \min_{w,\,b}\; \frac{1}{n}\sum_{i=1}^n \big[\log(1 + e^{z_i}) - y_i z_i\big]
        + \text{penalty}(w, \text{rate}), \qquad z_i = x_i^\top w + b,

    with ``penalty(w, rate)`` equal to ``rate/2·||w||₂²`` (``"l2"``), ``rate·||w||₁`` (``"l1"``)
    or ``rate·(ρ||w||₁ + (1−ρ)/2·||w||₂²)`` with ``ρ = l1_ratio`` (``"elasticnet"``).  The
    penalty may also be given as an object that carries its rate: ``fit_logistic(X, y,
    penalty=L1(0.05))`` is ``fit_logistic(X, y, 0.05, "l1")`` (see
    :func:`course_lib.penalties.make_penalty`).

    **scikit-learn.**  ``LogisticRegression`` minimizes ``C·Σᵢ logloss_i + r(w)`` with
    ``r(w) = ½||w||²``, ``||w||₁`` or ``ρ||w||₁ + (1−ρ)/2·||w||²``.  Dividing by ``n·C`` gives our
    objective with ``rate = 1/(n·C)``, so ``fit_logistic(X, y, rate, "l1")`` matches
    ``LogisticRegression(C=1/(n*rate), l1_ratio=1, solver="saga")`` (``l1_ratio=0`` for L2;
    scikit-learn < 1.8 spells these ``penalty="l1"``/``"l2"``).  Avoid ``solver="liblinear"``
    for comparisons: it penalizes the intercept.

    Parameters
    ----------
    X : array_like, shape (n, p)
        Features.  Standardize them first: the penalty treats every weight alike.
    y : array_like, shape (n,)
        Labels, each 0 or 1.
    rate : float
        Penalty strength, any number ``>= 0``; required with a penalty name, left out with a
        penalty object (a different rate than the object's raises a ``ValueError``).  With
        ``rate=0`` and linearly separable data the log-loss has no minimizer (it tends to 0 as
        ``||w|| → ∞``): the fit warns and stops.
    penalty : {"l2", "l1", "elasticnet", "none"} or Penalty
        Which penalty: a name, or ``L2(rate)``, ``L1(rate)``, ``ElasticNet(rate, l1_ratio)``,
        ``NoPenalty()``.
    fit_intercept : bool
        Fit an (unpenalized) intercept ``b``; otherwise ``b = 0``.
    l1_ratio : float in [0, 1], optional
        L1 share ρ, used only by ``penalty="elasticnet"`` (default 0.5).
    tol : float
        Stop when the largest entry of the minimum-norm subgradient of the objective (the
        violation of the optimality conditions) is ``<= tol``.
    max_iter : int
        Maximum number of Newton (or proximal Newton) steps.
    init : tuple (w, b), optional
        Starting point, e.g. the fit at a nearby rate.  Default: ``w = 0`` and ``b`` the
        log-odds of the mean label.

    Returns
    -------
    Fit
        ``w, b`` (unpacks as a tuple) with ``n_iter``, ``converged`` and ``history`` (the
        objective after each iteration, starting with its value at the starting point).

    Raises
    ------
    ValueError
        If ``y`` holds a single label while ``fit_intercept=True`` (then ``b → ±∞``), and for
        every malformed argument (see ``course_lib._validation``).

    Warns
    -----
    ConvergenceWarning
        (a ``RuntimeWarning``) when ``max_iter`` steps do not reach ``tol`` or the line search stalls (the message
        gives both); with ``rate=0``, when the data are separable (the fit stops at a
        separating ``(w, b)``), and when the optimum is flat — quasi-separable data, whose
        maximum-likelihood weights are infinite, or collinear features, whose weights are not
        unique.

    Notes
    -----
    At the solution, with ``g = Xᵀ(p − y)/n + rate(1−ρ)w`` the smooth part's gradient:
    ``g_j = −rate·ρ·sign(w_j)`` where ``w_j ≠ 0`` and ``|g_j| <= rate·ρ`` where ``w_j = 0``;
    ``Σ(p_i − y_i) = 0`` when an intercept is fitted.  See :func:`logistic_max_rate` for the
    smallest L1 rate at which every weight is 0.
    """
    X, y = as_data(X, y)
    y = as_labels(y, "y")
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    lam1, lam2 = _penalty_parts(penalty, rate, l1_ratio, rate_required=True)
    tol = check_positive_float(tol, "tol")
    max_iter = check_positive_int(max_iter, "max_iter")
    _check_two_classes(y, fit_intercept)
    n, p = X.shape

    if init is None:
        w = np.zeros(p)
        b = float(np.log(y.mean() / (1.0 - y.mean()))) if fit_intercept else 0.0
    else:
        if not isinstance(init, (tuple, list)) or len(init) != 2:
            raise TypeError(f"init must be a pair (w, b); got {type(init).__name__} {init!r:.60}")
        w = as_vector(init[0], "init w", size=p)
        b = _check_intercept(init[1], "init b") if fit_intercept else 0.0

    # With an intercept we work with centred columns and theta = (w, b + x̄ᵀw), A = [X − x̄, 1]:
    # the same z = Xw + b and objective, but the intercept no longer fights with features of
    # large mean (coordinate descent crawls otherwise).  Without one, theta = w and A = X.
    # thresh holds the L1 strength of each entry of theta and ridge its L2 strength.
    x_mean = X.mean(axis=0) if fit_intercept else np.zeros(p)
    A = np.hstack([X - x_mean, np.ones((n, 1))]) if fit_intercept else X
    theta = np.append(w, b + x_mean @ w) if fit_intercept else w
    thresh = np.where(np.arange(theta.size) < p, lam1, 0.0)
    ridge = np.where(np.arange(theta.size) < p, lam2, 0.0)
    unpenalized = lam1 == 0.0 and lam2 == 0.0

    def gradient(theta, z):  # of the smooth part: mean log-loss + L2 part
        return A.T @ (sigmoid(z) - y) / n + ridge * theta

    def hessian(z):
        prob = sigmoid(z)
        return (A.T * (prob * (1.0 - prob))) @ A / n + np.diag(ridge)

    z = A @ theta
    F = _objective(z, y, theta[:p], lam1, lam2)
    history = [F]
    converged, reason = False, "max_iter"
    for n_iter in range(max_iter + 1):  # n_iter = steps taken so far
        G = gradient(theta, z)
        # Optimality is judged in the original (w, b): there the w-gradient is G_w + x̄·G_b.
        G_orig = np.concatenate([G[:p] + x_mean * G[p], G[p:]]) if fit_intercept else G
        kkt = _kkt_violation(G_orig, theta, thresh)
        if unpenalized and np.all((2.0 * y - 1.0) * z > 0):
            reason = "separable"  # (w, b) classifies every point: scaling it up lowers F forever
            break
        if kkt <= tol:
            converged = True
            break
        if n_iter == max_iter:
            break
        delta = _newton_direction(
            G, hessian(z), thresh, theta,
            inner_tol=max(min(0.5, kkt) * kkt, 0.1 * tol),
            max_sweeps=500,
        )
        # Backtracking (Armijo) line search on F; the slack absorbs rounding in F, which
        # otherwise rejects the tiny final steps.
        decrease = float(G @ delta) + float(thresh @ (np.abs(theta + delta) - np.abs(theta)))
        slack = 16 * _EPS * (abs(F) + float(np.mean(np.abs(z))) + 1.0)
        step = 1.0
        for _ in range(60):
            trial = theta + step * delta
            z_trial = A @ trial
            F_trial = _objective(z_trial, y, trial[:p], lam1, lam2)
            if F_trial <= F + 1e-4 * step * decrease + slack:
                break
            step *= 0.5
        else:
            reason = "stalled"
            break
        theta, z, F = trial, z_trial, F_trial
        history.append(F)

    if reason == "separable":
        warnings.warn(
            "the data are linearly separable and rate=0: the log-loss has no minimizer "
            "(it decreases towards 0 as ||w|| grows without bound). Stopped at a separating "
            f"(w, b) after {n_iter} step(s); use a rate > 0 for a finite solution.",
            RuntimeWarning,
            stacklevel=2,
        )
    elif not converged:
        what = "the line search stalled" if reason == "stalled" else "max_iter steps were used up"
        warnings.warn(
            f"fit_logistic did not converge: {what} with the optimality violation {kkt:.3g} "
            f"still above tol={tol:g} (max_iter={max_iter}). Standardize X, raise max_iter or "
            "loosen tol.",
            ConvergenceWarning,
            stacklevel=2,
        )
    elif unpenalized and _is_flat(hessian(z), G, theta):
        warnings.warn(
            "rate=0 and the objective is nearly flat at the solution (a Newton step would still "
            "move it far although the gradient is below tol): the data may be (quasi-)separable, "
            "so that the maximum-likelihood weights are infinite, or the features collinear, so "
            "that they are not unique. Use a rate > 0.",
            RuntimeWarning,
            stacklevel=2,
        )
    w_out, b_out = (theta[:p], theta[p] - x_mean @ theta[:p]) if fit_intercept else (theta, 0.0)
    return Fit(w_out.copy(), b_out, n_iter=n_iter, converged=converged, history=history)


def _is_flat(Q, G, theta) -> bool:
    """Whether the Newton step ``−Q⁻¹G`` is large although ``G`` is tiny (a degenerate optimum)."""
    try:
        step = np.linalg.solve(Q, -G)
    except np.linalg.LinAlgError:
        return True
    return bool(np.max(np.abs(step)) > 1e-3 * (1.0 + np.max(np.abs(theta))))


def logistic_max_rate(X, y, fit_intercept=True, *, l1_ratio=1.0) -> float:
    r"""Smallest L1 rate at which :func:`fit_logistic` sets every weight to 0.

    With ``w = 0`` the best intercept is the log-odds of the mean label, so every prediction is
    ``ȳ`` (or ½ without an intercept), and the log-loss gradient is ``Xᵀ(ȳ − y)/n``.  ``w = 0`` is
    optimal exactly when every entry of it is within ``[−rate·ρ, rate·ρ]``:

    .. math::

        \text{rate}_{\max} = \frac{1}{\rho}\,\max_j \frac{|x_j^\top (y - \bar y)|}{n}

    (``ȳ`` replaced by ½ when ``fit_intercept=False``; ρ = ``l1_ratio``, 1 for pure L1).

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
        Labels in {0, 1}.
    fit_intercept : bool
    l1_ratio : float in (0, 1]
        For elastic net: the L1 share ρ.

    Returns
    -------
    float
    """
    X, y = as_data(X, y)
    y = as_labels(y, "y")
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    rho = check_fraction(l1_ratio, "l1_ratio")
    if rho == 0:
        raise ValueError(
            "l1_ratio must be > 0: a pure L2 penalty never sets weights exactly to 0; got l1_ratio=0"
        )
    _check_two_classes(y, fit_intercept)
    centre = y.mean() if fit_intercept else 0.5
    return float(np.max(np.abs(X.T @ (y - centre))) / X.shape[0] / rho)


# ---------------------------------------------------------------------------
# Predictions
# ---------------------------------------------------------------------------


def _scores(X, w, b) -> np.ndarray:
    X = as_matrix(X, "X")
    w = as_vector(w, "w", size=X.shape[1])
    return X @ w + _check_intercept(b)


def predict_proba(X, w, b=0.0) -> np.ndarray:
    r"""Predicted probability of label 1: ``sigmoid(Xw + b)``.

    Parameters
    ----------
    X : array_like, shape (n, p)
    w : array_like, shape (p,)
    b : float

    Returns
    -------
    ndarray, shape (n,)
    """
    return sigmoid(_scores(X, w, b))


def predict_labels(X, w, b=0.0, threshold=0.5) -> np.ndarray:
    r"""Predicted labels: 1 where ``predict_proba(X, w, b) > threshold``, else 0.

    With ``threshold=0.5`` this is ``Xw + b > 0``, as scikit-learn's ``predict``.

    Returns
    -------
    ndarray of int, shape (n,)
    """
    threshold = check_fraction(threshold, "threshold")
    z = _scores(X, w, b)
    if threshold == 0.5:
        return (z > 0).astype(int)
    return (sigmoid(z) > threshold).astype(int)

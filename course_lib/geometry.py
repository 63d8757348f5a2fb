r"""Norm balls and norm-constrained least squares: the geometry behind L1 and L2.

Every penalized problem of the course has a constrained twin.  For the lasso

.. math::

    \min_{w,b}\ \frac{1}{2n}\|y - Xw - b\|^2 + \text{rate}\,\|w\|_1
    \qquad\text{and}\qquad
    \min_{w,b}\ \frac{1}{2n}\|y - Xw - b\|^2 \ \text{ subject to } \ \|w\|_1 \le t

have the same solution when ``t = ||w(rate)||₁``; for ridge the same holds with
``rate/2·||w||²`` and ``||w||₂ <= t``.  This module solves the constrained form directly,
by projected gradient with the projections onto the two balls, so that the equivalence can be
checked with a solver that knows no rate.  Projected gradient *is* proximal gradient: the
constraint is the "penalty" that is 0 on the ball and +inf off it, and its proximal step is the
projection (:class:`NormBall`), so :func:`fit_constrained` runs
:func:`course_lib.descent.proximal_gradient`:

==========================  ==============================================================
``project_onto_l2_ball``    nearest point of ``{w : ||w||₂ <= budget}``: a rescaling
``l1_ball_threshold``       the soft-threshold level θ of the projection onto the L1 ball
``project_onto_l1_ball``    nearest point of ``{w : ||w||₁ <= budget}``:
                            ``soft_threshold(v, θ)`` (Duchi et al. 2008)
``NormBall``                the constraint ``||w|| <= budget`` as a penalty object: 0 inside,
                            +inf outside; its proximal step is the projection
``fit_constrained``         least squares subject to ``||w||₁ <= budget`` or ``||w||₂ <= budget``
``equivalent_rate``         the rate whose penalized solution is a given constrained solution
==========================  ==============================================================

Why corners give sparsity, in one line: projecting onto the L2 ball only rescales ``v`` (no
entry becomes 0 unless it already was), while projecting onto the L1 ball soft-thresholds
``v`` — every entry with ``|v_j| <= θ`` becomes exactly 0.

Reference: J. Duchi, S. Shalev-Shwartz, Y. Singer, T. Chandra, "Efficient projections onto
the l1-ball for learning in high dimensions", ICML 2008 (Figure 1).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ._validation import (
    ConvergenceWarning,
    _describe,
    as_data,
    as_matrix,
    as_vector,
    check_bool,
    check_positive_int,
    check_rate,
)
from .descent import proximal_gradient
from .fit_result import Fit
from .penalties import Penalty, soft_threshold

__all__ = [
    "project_onto_l2_ball",
    "l1_ball_threshold",
    "project_onto_l1_ball",
    "NormBall",
    "fit_constrained",
    "equivalent_rate",
    "check_hessian",
    "quadratic_loss",
    "l2_constrained_solution",
    "l1_constrained_solution",
]

_NORMS = ("l1", "l2")


def _check_norm(norm) -> str:
    if not isinstance(norm, str) or norm not in _NORMS:
        raise ValueError(f"norm must be 'l1' or 'l2'; got norm={norm!r}")
    return norm


# ---------------------------------------------------------------------------
# Projections
# ---------------------------------------------------------------------------


def project_onto_l2_ball(v, budget) -> np.ndarray:
    r"""The point of the L2 ball of radius ``budget`` nearest to ``v``.

    .. math:: P(v) = \arg\min_{\|w\|_2 \le t} \|w - v\|_2
                   = \begin{cases} v & \|v\|_2 \le t \\
                                   t\, v / \|v\|_2 & \text{otherwise} \end{cases}

    A pure rescaling: the direction of ``v`` is kept, so no entry becomes zero.

    Parameters
    ----------
    v : array_like, shape (p,)
    budget : float
        The radius ``t >= 0``.

    Returns
    -------
    ndarray, shape (p,)
        A new array (``v`` is not changed).
    """
    v = as_vector(v, "v")
    t = check_rate(budget, "budget")
    norm = float(np.linalg.norm(v))
    if norm <= t:
        return v.copy()
    return v * (t / norm)


def l1_ball_threshold(v, budget) -> float:
    r"""The threshold θ with ``Σ_j max(|v_j| − θ, 0) = budget`` (0 if ``v`` is inside the ball).

    Sort ``u = |v|`` in decreasing order; with ``ρ`` the largest ``k`` for which
    ``u_k > (Σ_{i<=k} u_i − t)/k``, the threshold is

    .. math:: \theta = \frac{1}{\rho}\Big(\sum_{i=1}^{\rho} u_i - t\Big).

    (Duchi et al. 2008, Figure 1; ``O(p log p)`` for the sort.)

    Parameters
    ----------
    v : array_like, shape (p,)
    budget : float
        The radius ``t >= 0`` of the L1 ball.

    Returns
    -------
    float
        ``θ >= 0``; ``soft_threshold(v, θ)`` is the projection of ``v`` onto the ball.
    """
    v = as_vector(v, "v")
    t = check_rate(budget, "budget")
    u = np.abs(v)
    if u.sum() <= t:
        return 0.0
    if t == 0.0:
        return float(u.max())
    u = np.sort(u)[::-1]
    cumulative = np.cumsum(u)
    k = np.arange(1, u.size + 1)
    # u_k > (Σ_{i<=k} u_i − t)/k, written so that k = 1 reads exactly t > 0
    rho = int(np.flatnonzero(t - (cumulative - u * k) > 0)[-1]) + 1
    return max(float((cumulative[rho - 1] - t) / rho), 0.0)


def project_onto_l1_ball(v, budget) -> np.ndarray:
    r"""The point of the L1 ball of radius ``budget`` nearest to ``v``.

    .. math:: P(v) = \arg\min_{\|w\|_1 \le t} \|w - v\|_2
                   = \operatorname{sign}(v)\,\max(|v| - \theta,\ 0)

    — soft-thresholding (as in the lasso) at the level θ = :func:`l1_ball_threshold` that
    makes ``||P(v)||₁ = t`` when ``v`` lies outside the ball (θ = 0, ``P(v) = v`` inside).
    Every entry with ``|v_j| <= θ`` becomes exactly 0: the corners and edges of the diamond.

    Parameters
    ----------
    v : array_like, shape (p,)
    budget : float
        The radius ``t >= 0``.

    Returns
    -------
    ndarray, shape (p,)
        A new array (``v`` is not changed).
    """
    v = as_vector(v, "v")
    t = check_rate(budget, "budget")
    if float(np.sum(np.abs(v))) <= t:
        return v.copy()
    if t == 0.0:
        return np.zeros_like(v)
    return soft_threshold(v, l1_ball_threshold(v, t))


_PROJECTIONS = {"l1": project_onto_l1_ball, "l2": project_onto_l2_ball}


@dataclass(frozen=True)
class NormBall(Penalty):
    r"""The constraint ``||w|| <= budget`` as a penalty object, for :func:`proximal_gradient`.

    Its value is the *indicator* of the ball, 0 on it and +inf off it, and its proximal step
    ``argmin_w 1/(2·step)·||w − v||² + indicator(w)`` is the nearest point of the ball: the
    projection, whatever the step.  So ``proximal_gradient(loss, w0, NormBall("l1", t))`` is
    projected gradient descent on ``loss`` subject to ``||w||₁ <= t``.  It is a constraint, not a
    blend of L1 and L2: ``l1_rate``/``l2_rate`` and trainers other than proximal gradient do not
    apply to it.

    Parameters
    ----------
    norm : {"l1", "l2"}
    budget : float
        The radius ``t >= 0``.
    """

    norm: str = "l1"
    budget: float = 1.0
    smooth: ClassVar[bool] = False

    def __post_init__(self):
        object.__setattr__(self, "norm", _check_norm(self.norm))
        object.__setattr__(self, "budget", check_rate(self.budget, "budget"))

    @property
    def l1_rate(self):
        raise TypeError("a NormBall is a constraint, not an L1/L2 penalty: only proximal_gradient takes it")

    l2_rate = l1_rate

    def value(self, w) -> float:
        """0 on the ball (within rounding of its edge, where projections land), +inf off it."""
        w = as_vector(w, "w")
        size = float(np.sum(np.abs(w))) if self.norm == "l1" else float(np.linalg.norm(w))
        return 0.0 if size <= self.budget * (1.0 + 1e-9) else np.inf

    def gradient(self, w) -> np.ndarray:
        """0, the smallest subgradient of the indicator on the ball."""
        return np.zeros_like(as_vector(w, "w"))

    def prox(self, v, step) -> np.ndarray:
        """The projection of ``v`` onto the ball (the step does not matter)."""
        return _PROJECTIONS[self.norm](v, self.budget)


# ---------------------------------------------------------------------------
# Constrained least squares
# ---------------------------------------------------------------------------


def _centered_gram(X, y, fit_intercept):
    n = X.shape[0]
    if fit_intercept:
        x_mean, y_mean = X.mean(axis=0), float(y.mean())
    else:
        x_mean, y_mean = np.zeros(X.shape[1]), 0.0
    Xc, yc = X - x_mean, y - y_mean
    return Xc.T @ Xc / n, Xc.T @ yc / n, x_mean, y_mean


def fit_constrained(X, y, budget, norm="l1", fit_intercept=True, tol=1e-10, max_iter=100_000, w0=None) -> Fit:
    r"""Least squares with the weights confined to an L1 or L2 ball, by projected gradient.

    Minimizes

    .. math:: \frac{1}{2n}\,\|y - Xw - b\|^2 \quad\text{subject to}\quad
              \|w\|_1 \le \text{budget} \ \ (\texttt{norm="l1"}) \quad\text{or}\quad
              \|w\|_2 \le \text{budget} \ \ (\texttt{norm="l2"})

    over ``w`` and the unconstrained intercept ``b``.  The data are centered (``b = ȳ − x̄ᵀw``)
    and ``w`` follows accelerated projected-gradient steps (FISTA with adaptive restart)

    .. math:: w \leftarrow P\big(z - \tfrac{1}{L}(G z - c)\big), \qquad
              G = X_c^\top X_c / n,\quad c = X_c^\top y_c / n,\quad L = \lambda_{\max}(G),

    with ``P`` = :func:`project_onto_l1_ball` or :func:`project_onto_l2_ball`: this is
    :func:`course_lib.descent.proximal_gradient` with the penalty :class:`NormBall`, whose
    proximal step is ``P``.  No penalty and no rate appear anywhere: this solver checks the
    penalized trainers independently.  It stops when the gradient mapping
    ``L·||z − P(z − ∇/L)||_∞`` is at most ``tol·||c||_∞``.

    With ``t = ||w(rate)||`` of a penalized solution (lasso for L1, ridge for L2) the two
    problems have the same solution; :func:`equivalent_rate` goes the other way.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    budget : float
        The radius ``t >= 0``.  ``t = 0`` gives ``w = 0``; a budget at least the norm of the
        least-squares weights gives least squares.
    norm : {"l1", "l2"}
    fit_intercept : bool
        If False, ``b = 0`` and the data are not centered.
    tol : float
        Relative tolerance of the stopping rule, ``> 0``.
    max_iter : int
    w0 : array_like, shape (p,), optional
        Starting weights (projected onto the ball first); default zeros.

    Returns
    -------
    Fit
        ``(w, b)`` with ``n_iter`` and ``converged``.  Warns with a ``ConvergenceWarning`` naming
        ``max_iter`` and ``tol`` when the limit is reached first.
    """
    X, y = as_data(X, y)
    t = check_rate(budget, "budget")
    norm = _check_norm(norm)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    if isinstance(tol, bool) or not isinstance(tol, (int, float)) or not np.isfinite(tol) or tol <= 0:
        raise ValueError(f"tol must be a finite number > 0; got {_describe(tol)}")
    max_iter = check_positive_int(max_iter, "max_iter")
    p = X.shape[1]
    ball = NormBall(norm, t)
    G, c, x_mean, y_mean = _centered_gram(X, y, fit_intercept)
    L = float(np.linalg.eigvalsh(G)[-1])
    w = ball.prox(np.zeros(p) if w0 is None else as_vector(w0, "w0", size=p), 1.0)
    if L <= 0.0 or not np.any(c):  # the loss does not depend on w, or w = 0 is least squares
        w = w if L <= 0.0 else np.zeros(p)
        return Fit(w, y_mean - x_mean @ w, n_iter=0, converged=True)

    def loss_and_gradient(w, b=0.0):  # 1/(2n)·||yc − Xc w||² up to a constant, from G and c
        Gw = G @ w
        return 0.5 * float(w @ Gw) - float(c @ w), Gw - c, 0.0

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        fit = proximal_gradient(
            loss_and_gradient, w, ball, step=1.0 / L, n_iter=max_iter, fit_intercept=False,
            accelerated=True, restart=True, tol=float(tol) * float(np.max(np.abs(c))),
        )
    for warning in caught:  # pass on anything but the non-convergence, which is said below
        if not issubclass(warning.category, ConvergenceWarning):
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    if not fit.converged:
        warnings.warn(
            f"fit_constrained did not converge in max_iter={max_iter} iterations (tol={tol:g}); "
            "increase max_iter or tol",
            ConvergenceWarning,
            stacklevel=2,
        )
    return Fit(fit.w, y_mean - x_mean @ fit.w, n_iter=fit.n_iter, converged=fit.converged)


def equivalent_rate(X, y, w, norm="l1", fit_intercept=True) -> float:
    r"""The rate at which the penalized problem has the solution ``w`` of the constrained one.

    At the solution of ``min 1/(2n)·||y − Xw − b||²`` subject to ``||w|| <= t`` the optimality
    (KKT) conditions say that the negative data gradient ``g = X_cᵀ(y_c − X_c w)/n`` is a
    multiple ν >= 0 of a (sub)gradient of the norm's penalty — exactly the optimality
    conditions of the penalized problem at ``rate = ν``:

    * L1 (lasso ``rate·||w||₁``): ``g_j = ν·sign(w_j)`` where ``w_j ≠ 0`` and ``|g_j| <= ν``
      elsewhere, so ``ν = max_j |g_j|``;
    * L2 (ridge ``rate/2·||w||²``): ``g = ν·w``, so ``ν = gᵀw / ||w||²``
      (``inf`` for ``w = 0``: no finite ridge rate sets every weight to 0).

    ``w`` must solve the constrained problem (e.g. from :func:`fit_constrained`); for any other
    ``w`` the number has no meaning.  When the budget does not bind (``w`` is least squares)
    the rate is 0.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    w : array_like, shape (p,)
    norm : {"l1", "l2"}
    fit_intercept : bool

    Returns
    -------
    float
    """
    X, y = as_data(X, y)
    w = as_vector(w, "w", size=X.shape[1])
    norm = _check_norm(norm)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    G, c, _, _ = _centered_gram(X, y, fit_intercept)
    g = c - G @ w
    if norm == "l1":
        return float(np.max(np.abs(g)))
    squared = float(w @ w)
    if squared == 0.0:
        return float("inf")
    return max(float(g @ w) / squared, 0.0)


# ---------------------------------------------------------------------------
# Two dimensions: a quadratic loss against the disc and the diamond (lesson 05's widget)
# ---------------------------------------------------------------------------


def check_hessian(hessian):
    """Return ``hessian`` as a symmetric positive-definite 2x2 float matrix, or raise naming it."""
    H = as_matrix(hessian, "hessian", n_columns=2)
    if H.shape != (2, 2):
        raise ValueError(f"hessian must be a 2x2 matrix; got shape {H.shape}")
    if not np.allclose(H, H.T, rtol=1e-12, atol=1e-12):
        raise ValueError(f"hessian must be symmetric; got {H.tolist()}")
    if np.linalg.eigvalsh(H)[0] <= 0:
        raise ValueError(f"hessian must be positive definite; got eigenvalues {np.linalg.eigvalsh(H)}")
    return H


def quadratic_loss(H, w_hat, w):
    """The 2-D quadratic loss ``½(w − ŵ)ᵀH(w − ŵ)`` whose contours the geometry lesson draws."""
    d = np.asarray(w) - w_hat
    return 0.5 * float(d @ H @ d)


def l2_constrained_solution(hessian, optimum, budget):
    r"""Minimize ``½(w − ŵ)ᵀH(w − ŵ)`` subject to ``||w||₂ <= budget``.

    If ``||ŵ|| <= budget`` the answer is ``ŵ``.  Otherwise the constraint is active and
    ``w(ν) = (H + νI)⁻¹Hŵ`` (the ridge solution with multiplier ν) with ν > 0 chosen so
    that ``||w(ν)|| = budget``.  With ``H = Q diag(λ) Qᵀ`` and ``c = Qᵀŵ``,
    ``||w(ν)||² = Σ (λ_j c_j / (λ_j + ν))²`` decreases in ν, so ν is found by bisection
    on ``[0, λ_max·||ŵ|| / budget]`` to machine precision (about 60 halvings).

    Returns
    -------
    w : ndarray, shape (2,)
    multiplier : float
        ν (0 if inactive, inf if ``budget == 0``).
    """
    H = check_hessian(hessian)
    w_hat = as_vector(optimum, "optimum", size=2)
    t = check_rate(budget, "budget")
    if float(np.linalg.norm(w_hat)) <= t:
        return w_hat.copy(), 0.0
    if t == 0.0:
        return np.zeros(2), np.inf
    lam, Q = np.linalg.eigh(H)
    c = Q.T @ w_hat
    norm = lambda nu: float(np.linalg.norm(lam * c / (lam + nu)))  # noqa: E731
    lo, hi = 0.0, lam[-1] * float(np.linalg.norm(w_hat)) / t
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if norm(mid) > t:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 4 * np.finfo(float).eps * hi:
            break
    nu = 0.5 * (lo + hi)
    w = Q @ (lam * c / (lam + nu))
    return w * (t / np.linalg.norm(w)), nu  # rescale: exactly on the circle


def l1_constrained_solution(hessian, optimum, budget):
    r"""Minimize ``½(w − ŵ)ᵀH(w − ŵ)`` subject to ``|w₁| + |w₂| <= budget``.

    If ``||ŵ||₁ <= budget`` the answer is ``ŵ``.  Otherwise the solution lies on the
    boundary of the diamond, which is four segments between the corners ``(±t, 0)``,
    ``(0, ±t)``.  On a segment ``a + s(b − a)``, ``s ∈ [0, 1]``, the loss is a 1-D
    quadratic minimized at ``s* = clip(−dᵀH(a − ŵ) / dᵀHd, 0, 1)`` with ``d = b − a``;
    the best of the four is the exact solution (a convex problem, so no other local minima).

    The multiplier ν solves the KKT condition ``H(ŵ − w) ∈ ν·∂||w||₁``: ``ν = g_j·sign(w_j)``
    for a nonzero ``w_j``, with ``g = H(ŵ − w)``; at ``w = 0`` it is ``max|g|``.

    Returns
    -------
    w : ndarray, shape (2,)
    multiplier : float
    """
    H = check_hessian(hessian)
    w_hat = as_vector(optimum, "optimum", size=2)
    t = check_rate(budget, "budget")
    if float(np.sum(np.abs(w_hat))) <= t:
        return w_hat.copy(), 0.0
    corners = [np.array(v, dtype=float) for v in ((t, 0.0), (0.0, t), (-t, 0.0), (0.0, -t))]
    best, best_loss = np.zeros(2), np.inf
    for a, b in zip(corners, corners[1:] + corners[:1]):
        d = b - a
        curvature = float(d @ H @ d)
        s = 0.0 if curvature == 0 else float(np.clip(-(d @ H @ (a - w_hat)) / curvature, 0.0, 1.0))
        w = a + s * d
        loss = quadratic_loss(H, w_hat, w)
        if loss < best_loss:
            best, best_loss = w, loss
    best = np.where(np.abs(best) <= 1e-15 * max(t, 1.0), 0.0, best)
    g = H @ (w_hat - best)
    nonzero = np.flatnonzero(best)
    nu = float(np.max(np.abs(g))) if nonzero.size == 0 else float(np.mean(g[nonzero] * np.sign(best[nonzero])))
    return best, nu

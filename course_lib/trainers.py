r"""Trainers for linear models.  Each returns a :class:`~course_lib.fit_result.Fit` ``(w, b)``.

What each trainer minimizes (``n`` samples, ``rate`` >= 0 is the λ of the textbooks,
ρ = ``l1_ratio``; the intercept ``b`` is never penalized):

=====================  ==========================================================
trainer                minimizes
=====================  ==========================================================
``fit_ridge``          ``1/(2n)·||y − Xw − b||² + rate/2·||w||²``
``ridge_path``         the same for many rates, from one SVD
``fit_lasso``          ``1/(2n)·||y − Xw − b||² + rate·||w||₁``
``lasso_path``         the same for many rates (exact homotopy)
``fit_elastic_net``    ``1/(2n)·||y − Xw − b||² + rate·(ρ||w||₁ + (1−ρ)/2||w||²)``
``gradient_descent``   ``loss(w, b) + penalty(w)``, penalty by its (sub)gradient
``proximal_gradient``  ``loss(w, b) + penalty(w)``, penalty by its prox
``fit_logistic``       mean log-loss + penalty (see :mod:`course_lib.logistic`)
=====================  ==========================================================

The same fits in scikit-learn: ``Ridge(alpha=n·rate)``, ``Lasso(alpha=rate)``,
``ElasticNet(alpha=rate, l1_ratio=ρ)``, ``lasso_path(X − x̄, y − ȳ, alphas=rates)`` and
``LogisticRegression(C=1/(n·rate))``.

Non-convergence of an iterative trainer is reported with :class:`ConvergenceWarning` (a
``RuntimeWarning``) that names the ``max_iter``/``n_iter`` and ``tol`` used.

How the intercept is handled: the closed-form and coordinate-descent trainers center the
columns of ``X`` and ``y``, fit ``w`` on the centered data, and recover ``b = ȳ − x̄ᵀw``.
Because ``b`` is free, this is the exact minimizer over ``(w, b)`` jointly.  The generic
``gradient_descent`` and ``proximal_gradient`` take plain gradient steps in ``b``.

Numerics: ridge is solved through the SVD of the centered ``X`` (never an inverse); the lasso
and elastic net by cyclic coordinate descent with a duality-gap stopping rule; the lasso path
by the LARS/homotopy algorithm, which computes the knots of the piecewise-linear path exactly.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from ._validation import (
    ConvergenceWarning,
    as_data,
    as_labels,
    as_matrix,
    as_vector,
    check_bool,
    check_fraction,
    check_positive_float,
    check_positive_int,
    check_rate,
)
from .fit_result import Fit
from .losses import log_loss, log_loss_gradient, squared_loss, squared_loss_gradient
from .penalties import L2, NoPenalty, Penalty, soft_threshold

__all__ = [
    "ConvergenceWarning",
    "fit_ridge",
    "ridge_path",
    "ridge_shrinkage_factors",
    "ridge_effective_dof",
    "ridge_rate_for_dof",
    "lasso_max_rate",
    "lasso_coordinate_update",
    "fit_lasso",
    "fit_elastic_net",
    "lasso_path",
    "lasso_path_knots",
    "gradient_descent",
    "proximal_gradient",
    "squared_loss_objective",
    "log_loss_objective",
    "fit_logistic",
    "logistic_max_rate",
]

_EPS = np.finfo(float).eps
_DEFAULT_TOL = 1e-12
_DEFAULT_MAX_ITER = 10_000


# ---------------------------------------------------------------------------
# Small shared pieces
# ---------------------------------------------------------------------------


def _center(X, y, fit_intercept):
    """Return ``Xc, yc, x_mean, y_mean``; the means are zeros when ``fit_intercept`` is False."""
    if not fit_intercept:
        return X, y, np.zeros(X.shape[1]), 0.0
    x_mean = X.mean(axis=0)
    y_mean = float(y.mean())
    return X - x_mean, y - y_mean, x_mean, y_mean


def _check_rates(rates, name="rates", *, descending=False):
    """Validate a vector of rates: finite, >= 0 and, if asked, non-increasing."""
    if isinstance(rates, (bool, np.bool_)) or getattr(rates, "dtype", None) == bool or (
        isinstance(rates, (list, tuple)) and any(isinstance(r, (bool, np.bool_)) for r in rates)
    ):
        raise TypeError(f"{name} must be numbers >= 0, not booleans; got {name}={rates!r}")
    rates = as_vector(rates, name)
    if np.any(rates < 0):
        raise ValueError(
            f"{name} must contain only numbers >= 0; got minimum {name} value {rates.min():g}"
        )
    if descending and np.any(np.diff(rates) > 0):
        k = int(np.flatnonzero(np.diff(rates) > 0)[0])
        raise ValueError(
            f"{name} must be in descending order (largest rate first, as the path is computed); "
            f"got {name}[{k}]={rates[k]:g} followed by {name}[{k + 1}]={rates[k + 1]:g} "
            f"(pass np.sort({name})[::-1])"
        )
    return rates


def _check_tol(tol, *, allow_zero=False):
    if allow_zero:
        return check_rate(tol, "tol")
    return check_positive_float(tol, "tol")


def _check_real(value, name):
    """A finite real number of any sign (the intercept ``b``, ``b0``)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.floating)):
        raise TypeError(f"{name} must be a real number; got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {name}={value}")
    return value


# ---------------------------------------------------------------------------
# Ridge: closed form through the SVD
# ---------------------------------------------------------------------------


def _singular_values(Xc, U_and_V=True):
    """SVD of ``Xc`` with singular values below the rank tolerance set to exactly 0.

    The tolerance is ``max(n, p) · eps · d_max``, the one ``np.linalg.matrix_rank`` uses.
    """
    if U_and_V:
        U, d, Vt = np.linalg.svd(Xc, full_matrices=False)
    else:
        U, Vt = None, None
        d = np.linalg.svd(Xc, compute_uv=False)
    cutoff = (d[0] if d.size else 0.0) * max(Xc.shape) * _EPS
    d = np.where(d > cutoff, d, 0.0)
    return U, d, Vt


def _ridge_multipliers(d, n, rates):
    """``d / (d² + n·rate)`` for every rate (rows) and singular value (columns); 0 where d = 0."""
    rates = np.atleast_1d(rates)[:, None]
    denom = d**2 + n * rates
    return np.divide(d, denom, out=np.zeros_like(denom), where=d > 0)


def _warn_if_not_unique(d, p, where):
    rank = int(np.count_nonzero(d))
    if rank < p:
        warnings.warn(
            f"{where}: rate=0 and the (centered) X has rank {rank} < {p} columns, so the "
            "least-squares solution is not unique; returning the minimum-norm one",
            RuntimeWarning,
            stacklevel=3,
        )


def fit_ridge(X, y, rate, fit_intercept=True) -> Fit:
    r"""Ridge regression, solved exactly.

    Minimizes

    .. math::

        \frac{1}{2n}\,\|y - Xw - b\|^2 + \frac{\text{rate}}{2}\,\|w\|^2

    over ``w`` and the (unpenalized) intercept ``b``.  With ``Xc, yc`` the centered data and
    ``Xc = U diag(d) Vᵀ`` its SVD, the minimizer is

    .. math:: w = V\,\operatorname{diag}\!\Big(\frac{d_j}{d_j^2 + n\cdot\text{rate}}\Big)\,U^\top y_c,
              \qquad b = \bar y - \bar x^\top w,

    the solution of the normal equations ``(XcᵀXc + n·rate·I) w = Xcᵀyc`` computed without
    forming or inverting ``XcᵀXc``.  In scikit-learn this is ``Ridge(alpha=n·rate)`` (its data
    term is ``||y − Xw − b||²`` without the ``1/(2n)``).

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    rate : float
        Any number >= 0.  ``rate=0`` is least squares; when that is not unique (the centered
        ``X`` has rank < p, e.g. p >= n) the minimum-norm solution is returned with a
        ``RuntimeWarning``.
    fit_intercept : bool
        If False, ``b = 0`` and the data are not centered.

    Returns
    -------
    Fit
        ``(w, b)``; ``n_iter`` is None (closed form).
    """
    X, y = as_data(X, y)
    rate = check_rate(rate)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    return _ridge_fit(X, y, rate, fit_intercept, where="fit_ridge")


def _ridge_fit(X, y, rate, fit_intercept, where):
    n, p = X.shape
    Xc, yc, x_mean, y_mean = _center(X, y, fit_intercept)
    U, d, Vt = _singular_values(Xc)
    if rate == 0:
        _warn_if_not_unique(d, p, where)
    w = Vt.T @ (_ridge_multipliers(d, n, rate)[0] * (U.T @ yc))
    return Fit(w, y_mean - x_mean @ w, n_iter=None, converged=True)


def ridge_path(X, y, rates, fit_intercept=True):
    r"""Ridge fits for many rates from a single SVD.

    Each row solves :func:`fit_ridge`'s problem
    ``1/(2n)·||y − Xw − b||² + rate/2·||w||²`` for one rate: the SVD of the centered ``X`` is
    computed once and only the multipliers ``d_j / (d_j² + n·rate)`` change with the rate.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    rates : array_like, shape (k,)
        Rates >= 0, in any order (kept as given).
    fit_intercept : bool

    Returns
    -------
    rates : ndarray, shape (k,)
    coefs : ndarray, shape (k, p)
        ``coefs[i]`` is the ridge ``w`` at ``rates[i]``.
    intercepts : ndarray, shape (k,)
    """
    X, y = as_data(X, y)
    rates = _check_rates(rates)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    n, p = X.shape
    Xc, yc, x_mean, y_mean = _center(X, y, fit_intercept)
    U, d, Vt = _singular_values(Xc)
    if np.any(rates == 0):
        _warn_if_not_unique(d, p, "ridge_path")
    coefs = (_ridge_multipliers(d, n, rates) * (U.T @ yc)) @ Vt
    return rates, coefs, y_mean - coefs @ x_mean


def ridge_shrinkage_factors(X, rate, fit_intercept=True) -> np.ndarray:
    r"""How much ridge shrinks each principal direction of ``X``.

    .. math:: s_j = \frac{d_j^2}{d_j^2 + n\cdot\text{rate}}

    for the singular values ``d_1 >= d_2 >= ...`` of the (centered, if ``fit_intercept``) ``X``,
    in that order.  Ridge multiplies the least-squares coordinate of the fit along the j-th
    principal direction by ``s_j``.  Directions with ``d_j = 0`` get ``s_j = 0``.  These are
    the factors of ESL §3.4.1 with ``λ_ESL = n·rate``.

    Returns
    -------
    ndarray, shape (min(n, p),)
    """
    X = as_matrix(X, "X")
    rate = check_rate(rate)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    Xc = X - X.mean(axis=0) if fit_intercept else X
    _, d, _ = _singular_values(Xc, U_and_V=False)
    denom = d**2 + X.shape[0] * rate
    return np.divide(d**2, denom, out=np.zeros_like(d), where=d > 0)


def ridge_effective_dof(X, rate, fit_intercept=True) -> float:
    r"""Effective degrees of freedom of ridge: the sum of :func:`ridge_shrinkage_factors`.

    .. math:: \mathrm{df}(\text{rate}) = \sum_j \frac{d_j^2}{d_j^2 + n\cdot\text{rate}}
              = \operatorname{tr}\big(X_c (X_c^\top X_c + n\cdot\text{rate}\,I)^{-1} X_c^\top\big)

    It equals the rank of the (centered) ``X`` at ``rate=0`` and decreases to 0 as the rate
    grows (ESL's ``df(λ)`` with ``λ = n·rate``; the intercept's one degree of freedom is not
    counted).
    """
    return float(np.sum(ridge_shrinkage_factors(X, rate, fit_intercept)))


def ridge_rate_for_dof(X, dof, fit_intercept=True) -> float:
    r"""The rate at which ridge has ``dof`` effective degrees of freedom.

    Solves :func:`ridge_effective_dof` ``(X, rate) = dof`` for the rate:

    .. math:: \sum_j \frac{d_j^2}{d_j^2 + n\cdot\text{rate}} = \text{dof}

    with the singular values ``d_j`` of the (centered, if ``fit_intercept``) ``X``.  The left
    side falls strictly from the rank ``r`` of that matrix (at rate 0) towards 0, so every
    ``0 < dof <= r`` has exactly one answer; ``dof = r`` gives 0.  ESL tunes ridge by its
    ``df(λ)`` this way (e.g. the prostate example at ``df = 5``); its ``λ`` is ``n·rate``.

    Found by bisection on ``log(n·rate)`` inside the bracket

    .. math:: \frac{r - \text{dof}}{\sum_j d_j^{-2}} \;\le\; n\cdot\text{rate} \;\le\;
              \frac{\sum_j d_j^2}{\text{dof}}

    (from ``df >= r − n·rate·Σ d_j⁻²`` and ``df < Σ d_j²/(n·rate)``), to machine precision.

    Parameters
    ----------
    X : array_like, shape (n, p)
    dof : float
        Target degrees of freedom, ``0 < dof <= rank``.
    fit_intercept : bool
        Center the columns first (the intercept's degree of freedom is not counted).

    Returns
    -------
    float
        The rate ``>= 0``.
    """
    X = as_matrix(X, "X")
    dof = check_positive_float(dof, "dof")
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    Xc = X - X.mean(axis=0) if fit_intercept else X
    _, d, _ = _singular_values(Xc, U_and_V=False)
    d2 = d[d > 0] ** 2
    rank = d2.size
    if dof > rank * (1.0 + 4.0 * _EPS):
        raise ValueError(
            f"dof must be at most the rank of the {'centered ' if fit_intercept else ''}X, {rank} "
            f"(the degrees of freedom at rate 0); got dof={dof:g}"
        )
    if dof >= rank:
        return 0.0

    def excess(ridge):  # df(λ) − dof for λ = n·rate; strictly decreasing in λ
        return float(np.sum(d2 / (d2 + ridge))) - dof

    low, high = (rank - dof) / float(np.sum(1.0 / d2)), float(np.sum(d2)) / dof
    for _ in range(200):
        middle = np.sqrt(low * high)  # bisect on the log scale: the bracket may span decades
        if not low < middle < high:
            break
        if excess(middle) > 0:
            low = middle
        else:
            high = middle
    ridge = low if abs(excess(low)) <= abs(excess(high)) else high
    return ridge / X.shape[0]


# ---------------------------------------------------------------------------
# Lasso and elastic net: coordinate descent
# ---------------------------------------------------------------------------


def lasso_max_rate(X, y, fit_intercept=True, *, l1_ratio=1.0) -> float:
    r"""Smallest rate at which the lasso (or elastic net) sets every coefficient to 0.

    For ``1/(2n)·||y − Xw − b||² + rate·(ρ·Σ|w| + (1−ρ)/2·Σw²)`` the zero vector is optimal
    exactly when no feature's correlation with the residual ``y − ȳ`` exceeds ``rate·ρ``
    (the KKT condition at 0):

    .. math:: \text{rate}_{\max} = \max_j \frac{|x_j^\top (y - \bar y)|}{n\,\rho}

    with the columns ``x_j`` of the centered ``X`` (no centering if ``fit_intercept=False``).
    ``ρ = l1_ratio`` is 1 for the lasso. Use it as ``rate_grid(lasso_max_rate(X, y))``.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    fit_intercept : bool
    l1_ratio : float
        ``ρ`` in ``(0, 1]``; with ``ρ = 0`` (pure ridge) no finite rate zeroes the weights.

    Returns
    -------
    float
    """
    X, y = as_data(X, y)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    l1_ratio = check_fraction(l1_ratio, "l1_ratio")
    if l1_ratio == 0:
        raise ValueError(
            "l1_ratio must be > 0: with l1_ratio=0 (ridge) no finite rate sets all weights to zero"
        )
    Xc, yc, _, _ = _center(X, y, fit_intercept)
    return float(np.max(np.abs(Xc.T @ yc))) / (X.shape[0] * l1_ratio)


def lasso_coordinate_update(X, y, w, j, rate, b=0.0) -> float:
    r"""One coordinate-descent step of the lasso: the best ``w_j`` with every other weight fixed.

    Minimizing ``1/(2n)·||y − Xw − b||² + rate·||w||₁`` over ``w_j`` alone gives

    .. math::

        w_j = \frac{S\big(\tfrac{1}{n} x_j^\top r_{(j)},\ \text{rate}\big)}{\tfrac{1}{n} x_j^\top x_j},
        \qquad r_{(j)} = y - b - \sum_{k \ne j} x_k w_k

    where ``S`` is :func:`course_lib.penalties.soft_threshold` and ``r_(j)`` the *partial
    residual*: what is left of ``y`` once every other feature has made its prediction.  If
    feature ``j`` alone can explain less than ``rate`` of that residual, ``w_j`` becomes exactly 0.
    ``X`` and ``b`` are used as given (no centering); a zero column gives ``w_j = 0``.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    w : array_like, shape (p,)
        Current weights (``w[j]`` itself is ignored).
    j : int
        Which coordinate to update, ``0 <= j < p``.
    rate : float
    b : float
        Intercept, held fixed.

    Returns
    -------
    float
        The new value of ``w_j``.
    """
    X, y = as_data(X, y)
    n, p = X.shape
    w = as_vector(w, "w", size=p)
    j = check_positive_int(j, "j", minimum=0)
    if j >= p:
        raise ValueError(f"j must be a column index of X, 0 <= j < {p}; got j={j}")
    rate = check_rate(rate)
    b = _check_real(b, "b")

    x_j = X[:, j]
    partial_residual = y - b - X @ w + x_j * w[j]  # add back feature j's own contribution
    correlation = x_j @ partial_residual / n
    curvature = x_j @ x_j / n
    if curvature == 0.0:
        return 0.0
    return float(soft_threshold([correlation], rate)[0] / curvature)


def _soft_threshold_scalar(z, t):
    """:func:`course_lib.penalties.soft_threshold` for one float (no validation, for speed)."""
    if z > t:
        return z - t
    if z < -t:
        return z + t
    return 0.0


class _LeastSquares:
    """The centered problem ``1/(2n)·||yc − Xc w||²`` with the quantities the solvers need.

    With ``n >= p`` it keeps the Gram matrix ``G = XcᵀXc/n`` and ``c = Xcᵀyc/n`` so that every
    later step costs O(p) or O(p²) instead of O(n·p) ("covariance updates"); otherwise it works
    with ``Xc`` itself and a residual vector ("residual updates").
    """

    def __init__(self, Xc, yc):
        self.X, self.y = Xc, yc
        self.n, self.p = Xc.shape
        self.c = Xc.T @ yc / self.n
        self.yy = float(yc @ yc) / self.n  # ||yc||²/n, the scale of the objective
        self.G = Xc.T @ Xc / self.n if self.n >= self.p else None
        self.Xt = None if self.G is not None else np.ascontiguousarray(Xc.T)
        self.diag = np.einsum("ij,ij->j", Xc, Xc) / self.n  # x_jᵀx_j / n
        self.c_list, self.diag_list = self.c.tolist(), self.diag.tolist()  # fast scalar access

    def gram_block(self, rows, cols):
        if self.G is not None:
            return self.G[np.ix_(rows, cols)]
        return self.X[:, rows].T @ self.X[:, cols] / self.n

    def gram_times(self, W):
        """``G @ W`` for ``W`` of shape (p, k), without forming ``G`` when ``n < p``."""
        if self.G is not None:
            return self.G @ W
        return self.X.T @ (self.X @ W) / self.n

    def stats(self, w):
        """``||r||²/n``, ``cᵀw``, ``wᵀGw`` and ``Xcᵀr/n`` for the residual ``r = yc − Xc w``."""
        if self.G is not None:
            Gw = self.G @ w
            cw, wGw = float(self.c @ w), float(w @ Gw)
            return self.yy - 2.0 * cw + wGw, cw, wGw, self.c - Gw
        Xw = self.X @ w
        r = self.y - Xw
        n = self.n
        return float(r @ r) / n, float(self.y @ Xw) / n, float(Xw @ Xw) / n, self.Xt @ r / n

    def objective_and_gap(self, w, l1, l2):
        r"""Objective ``P(w) = ||r||²/(2n) + l1·||w||₁ + l2/2·||w||²``, duality gap, ``Xcᵀr/n``.

        The L2 part is folded into the data (``X̃ = [Xc; √(n·l2)·I]``, ``ỹ = [yc; 0]``), which
        turns the elastic net into a lasso with rate ``l1``.  Its dual point ``θ = s·r̃`` is the
        residual scaled by ``s = min(1, l1 / ||X̃ᵀr̃/n||∞)`` so that ``||X̃ᵀθ/n||∞ <= l1``, and

        .. math:: D(θ) = \frac{1}{2n}\big(\|y\|^2 - \|\tilde y - θ\|^2\big) \le P(w^\star) \le P(w).

        The gap ``P(w) − D(θ)`` is therefore a certificate: ``P(w) − P(w*) <= gap``, and it is
        0 exactly at the optimum.  (This is scikit-learn's gap, divided by ``n``.)
        """
        rr, cw, wGw, grad = self.stats(w)
        ww = float(w @ w)
        primal = 0.5 * rr + l1 * float(np.sum(np.abs(w))) + 0.5 * l2 * ww
        dual_norm = float(np.max(np.abs(grad - l2 * w)))
        s = 1.0 if dual_norm <= l1 else l1 / dual_norm
        y_minus_theta = (1 - s) ** 2 * self.yy + 2 * s * (1 - s) * cw + s**2 * wGw  # ||y − s·r||²/n
        dual = 0.5 * self.yy - 0.5 * (y_minus_theta + s**2 * l2 * ww)
        return primal, primal - dual, grad

    def support_step(self, w, l1, l2):
        """Step from ``w`` towards the optimum over ``w``'s support with its signs held fixed.

        On the support ``A`` with signs ``s`` the objective is the quadratic whose minimizer
        solves ``(G_AA + l2·I) w_A = c_A − l1·s_A``.  Moving in a straight line towards it, the
        objective decreases for as long as no weight changes sign; so the step stops where the
        first weight reaches 0 (that weight is set to exactly 0), or at the minimizer itself.
        Returns the new ``w``, or None if the system is singular.
        """
        A = np.flatnonzero(w)
        M = self.gram_block(A, A) + l2 * np.eye(A.size)
        try:
            target = np.linalg.solve(M, self.c[A] - l1 * np.sign(w[A]))
        except np.linalg.LinAlgError:
            return None
        w_A = w[A]
        # w_A + t·(target − w_A) reaches 0 at t = w_A / (w_A − target) where the signs differ.
        crosses = np.sign(target) != np.sign(w_A)
        t = 1.0
        if np.any(crosses):
            t_cross = w_A[crosses] / (w_A[crosses] - target[crosses])
            k = int(np.argmin(t_cross))
            t = float(t_cross[k])
        new = np.zeros_like(w)
        new[A] = w_A + t * (target - w_A)
        if t < 1.0:
            new[A[np.flatnonzero(crosses)[k]]] = 0.0
        return new


def _sweep_gram(w, coords, ls, l1, l2):
    """One cyclic pass over ``coords``, keeping ``Gw = G @ w`` up to date (O(p) per change)."""
    G, c, diag = ls.G, ls.c_list, ls.diag_list
    Gw = G @ w  # recomputed every pass, so rounding never accumulates
    for j in coords:
        if diag[j] + l2 == 0.0:  # a constant column with no L2 part: w_j stays 0
            continue
        w_j = w[j]
        z = c[j] - Gw[j] + diag[j] * w_j  # x_jᵀ(partial residual)/n
        new = _soft_threshold_scalar(z, l1) / (diag[j] + l2)
        if new != w_j:
            Gw += (new - w_j) * G[j]
            w[j] = new


def _sweep_residual(w, coords, ls, l1, l2):
    """One cyclic pass over ``coords``, keeping the residual ``r = yc − Xc w`` up to date (O(n))."""
    Xt, diag, n = ls.Xt, ls.diag_list, ls.n
    r = ls.y - ls.X @ w
    for j in coords:
        if diag[j] + l2 == 0.0:
            continue
        x_j, w_j = Xt[j], w[j]
        z = x_j @ r / n + diag[j] * w_j  # x_jᵀ(partial residual)/n
        new = _soft_threshold_scalar(z, l1) / (diag[j] + l2)
        if new != w_j:
            r -= (new - w_j) * x_j
            w[j] = new


def _coordinate_descent(ls, l1, l2, w, tol, max_iter):
    """Minimize ``||yc − Xc w||²/(2n) + l1·||w||₁ + l2/2·||w||²`` (``l1 > 0``) from ``w``.

    Passes alternate as in glmnet: a full pass (over every feature that the optimality
    conditions allow to move) lets new features in; then passes over the current nonzero
    weights only (the *active set*) until their signs stop changing; then a full pass again.
    Returns ``w, n_passes, converged, history, gap, tol_abs``.
    """
    tol_abs = tol * ls.yy
    w = w.copy()
    if np.max(np.abs(ls.c)) <= l1:  # KKT at 0: no feature is correlated enough to enter
        w[:] = 0.0
        objective, gap, _ = ls.objective_and_gap(w, l1, l2)
        return w, 0, True, [objective], gap, tol_abs
    sweep = _sweep_gram if ls.G is not None else _sweep_residual
    _, _, grad = ls.objective_and_gap(w, l1, l2)
    history = []
    previous_signs, full_pass = None, True
    for n_pass in range(1, max_iter + 1):
        if full_pass:
            # Every feature that could move: the nonzero ones, and the zero ones whose
            # correlation with the residual exceeds l1 (the others would stay at 0 — KKT).
            coords = np.flatnonzero((w != 0) | (np.abs(grad) > l1)).tolist()
        else:
            coords = np.flatnonzero(w).tolist()
        sweep(w, coords, ls, l1, l2)
        objective, gap, grad = ls.objective_and_gap(w, l1, l2)
        signs = np.sign(w)
        settled = previous_signs is not None and np.array_equal(signs, previous_signs)
        # Once two passes in a row give the same support and signs, step towards the exact
        # optimum on that support (see support_step).  When the support is right this lands on
        # the optimum to rounding error, which plain coordinate descent only approaches slowly.
        # The step can only lower the objective; the check below guards against rounding.
        if gap > tol_abs and settled:
            candidate = ls.support_step(w, l1, l2)
            if candidate is not None:
                cand_objective, cand_gap, cand_grad = ls.objective_and_gap(candidate, l1, l2)
                if cand_objective <= objective:
                    w, objective, gap, grad = candidate, cand_objective, cand_gap, cand_grad
        history.append(objective)
        if gap <= tol_abs:
            return w, n_pass, True, history, gap, tol_abs
        previous_signs = signs
        full_pass = settled or not signs.any()
    return w, max_iter, False, history, gap, tol_abs


def _warn_not_converged(where, max_iter, tol, gap, tol_abs):
    warnings.warn(
        f"{where} did not converge in max_iter={max_iter} passes: duality gap {gap:.3e} > "
        f"tol·||y − ȳ||²/n = {tol_abs:.3e} (tol={tol:g}); increase max_iter or tol, or "
        "standardize the columns of X",
        ConvergenceWarning,
        stacklevel=3,
    )


def _fit_enet(X, y, l1, l2, fit_intercept, tol, max_iter, w0, where):
    """Elastic net with L1 strength ``l1`` and L2 strength ``l2`` (validated inputs)."""
    if l1 == 0.0:  # no L1 part: ridge, solved in closed form
        return _ridge_fit(X, y, l2, fit_intercept, where)
    Xc, yc, x_mean, y_mean = _center(X, y, fit_intercept)
    ls = _LeastSquares(Xc, yc)
    start = np.zeros(X.shape[1]) if w0 is None else w0
    w, n_iter, converged, history, gap, tol_abs = _coordinate_descent(ls, l1, l2, start, tol, max_iter)
    if not converged:
        _warn_not_converged(where, max_iter, tol, gap, tol_abs)
    return Fit(w, y_mean - x_mean @ w, n_iter=n_iter, converged=converged, history=history)


def _check_cd_args(X, y, rate, fit_intercept, tol, max_iter, w0):
    X, y = as_data(X, y)
    rate = check_rate(rate)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    tol = _check_tol(tol)
    max_iter = check_positive_int(max_iter, "max_iter")
    if w0 is not None:
        w0 = as_vector(w0, "w0", size=X.shape[1])
    return X, y, rate, fit_intercept, tol, max_iter, w0


def fit_lasso(X, y, rate, fit_intercept=True, tol=_DEFAULT_TOL, max_iter=_DEFAULT_MAX_ITER, w0=None) -> Fit:
    r"""Lasso regression by cyclic coordinate descent.

    Minimizes

    .. math:: \frac{1}{2n}\,\|y - Xw - b\|^2 + \text{rate}\,\|w\|_1

    over ``w`` and the unpenalized intercept ``b`` — scikit-learn's ``Lasso(alpha=rate)``.

    Algorithm: the data are centered; then passes over the coordinates ``j = 0, …, p−1``
    replace each ``w_j`` by its exact minimizer with the others fixed (the update of
    :func:`lasso_coordinate_update`, a soft-thresholding).  Two standard devices make it fast:
    with ``n >= p`` the Gram matrix ``XᵀX/n`` is precomputed so a coordinate costs O(p); and once
    two passes agree on the support and signs, the optimality equations on that support are
    solved exactly and the result kept if it lowers the objective.

    Stopping rule: after every pass the duality gap (see ``_LeastSquares.objective_and_gap``),
    an upper bound on ``objective(w) − min objective``, is compared with
    ``tol · ||y − ȳ||² / n``; this is scikit-learn's criterion, so ``tol`` means the same there.
    The tight default makes the result agree with a tightly converged solver to ~1e-8 relative.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    rate : float
        Any number >= 0.  At or above :func:`lasso_max_rate` the answer is ``w = 0``;
        ``rate=0`` is least squares (solved by :func:`fit_ridge` with rate 0).
    fit_intercept : bool
    tol : float
        Relative duality-gap tolerance, > 0.
    max_iter : int
        Maximum number of passes over the coordinates.
    w0 : array_like, shape (p,), optional
        Starting weights (warm start); zeros by default.

    Returns
    -------
    Fit
        ``(w, b)`` with ``n_iter`` (passes), ``converged`` and ``history`` (objective after each
        pass).  Warns with :class:`ConvergenceWarning` if ``max_iter`` passes were not enough.
    """
    X, y, rate, fit_intercept, tol, max_iter, w0 = _check_cd_args(
        X, y, rate, fit_intercept, tol, max_iter, w0
    )
    return _fit_enet(X, y, rate, 0.0, fit_intercept, tol, max_iter, w0, where="fit_lasso")


def fit_elastic_net(
    X, y, rate, l1_ratio, fit_intercept=True, tol=_DEFAULT_TOL, max_iter=_DEFAULT_MAX_ITER, w0=None
) -> Fit:
    r"""Elastic-net regression by cyclic coordinate descent.

    Minimizes

    .. math::

        \frac{1}{2n}\,\|y - Xw - b\|^2
        + \text{rate}\Big(\rho\,\|w\|_1 + \frac{1-\rho}{2}\,\|w\|^2\Big), \qquad \rho = \text{l1\_ratio}

    over ``w`` and the unpenalized intercept ``b`` — exactly scikit-learn's
    ``ElasticNet(alpha=rate, l1_ratio=l1_ratio)``.  The coordinate update is the lasso's with
    the L2 part in the denominator: ``w_j = S(x_jᵀr_(j)/n, rate·ρ) / (x_jᵀx_j/n + rate·(1−ρ))``.
    Algorithm, stopping rule (duality gap ≤ ``tol·||y − ȳ||²/n``) and warnings as in
    :func:`fit_lasso`.

    ``l1_ratio=1`` is the lasso.  ``l1_ratio=0`` is ridge with the same ``rate``
    (``rate/2·||w||²``): it is solved in closed form by :func:`fit_ridge`, so ``n_iter`` is None.

    Parameters
    ----------
    X, y, rate, fit_intercept, tol, max_iter, w0
        As in :func:`fit_lasso`.
    l1_ratio : float
        ρ in [0, 1].

    Returns
    -------
    Fit
    """
    X, y, rate, fit_intercept, tol, max_iter, w0 = _check_cd_args(
        X, y, rate, fit_intercept, tol, max_iter, w0
    )
    rho = check_fraction(l1_ratio, "l1_ratio")
    l1, l2 = rate * rho, rate * (1.0 - rho)
    return _fit_enet(X, y, l1, l2, fit_intercept, tol, max_iter, w0, "fit_elastic_net")


# ---------------------------------------------------------------------------
# Lasso path: the exact homotopy (LARS with the lasso modification)
# ---------------------------------------------------------------------------


def _homotopy(ls, rate_stop, max_active):
    r"""Knots of the lasso path from ``max|c|`` down to ``rate_stop``.

    On a stretch of the path where the set ``A`` of nonzero weights and their signs ``s`` do
    not change, the KKT conditions ``c_A − G_AA w_A = rate·s_A`` give

    .. math:: w_A(\text{rate}) = a - \text{rate}\cdot d,\qquad a = G_{AA}^{-1}c_A,\quad d = G_{AA}^{-1}s_A,

    linear in the rate, and every feature's correlation with the residual is linear too:
    ``c − G_{:A} w_A = e + rate·f``.  Going down in rate, the stretch ends at the first *event*:

    * a zero weight joins when its correlation reaches ``±rate``: ``rate = e_j / (±1 − f_j)``;
    * a weight leaves when it hits 0 (the lasso modification of LARS): ``rate = a_j / d_j``.

    Returns ``(knot_rates, knot_coefs, complete)``; ``complete`` is False when the algorithm met
    a degenerate case (singular ``G_AA`` from tied or collinear features, or cycling) and
    stopped early — callers then check KKT and fall back to coordinate descent.
    """
    p = ls.p
    rate = float(np.max(np.abs(ls.c)))
    knot_rates, knot_coefs = [rate], [np.zeros(p)]
    if rate <= rate_stop or rate == 0.0:
        return np.array(knot_rates), np.array(knot_coefs), True
    active = [int(np.argmax(np.abs(ls.c)))]
    signs = [float(np.sign(ls.c[active[0]]))]
    # Features that entered (left) at the current rate.  They sit exactly at their event, and
    # rounding must not make them leave (re-enter) at this same rate, though they may do so
    # further down the path.
    joined_here, left_here = {active[0]}, set()
    max_events = 20 * (p + ls.n) + 100  # far more than a generic path needs; guards cycling
    for _ in range(max_events):
        A = np.array(active)
        try:
            ad = np.linalg.solve(ls.gram_block(A, A), np.column_stack([ls.c[A], signs]))
        except np.linalg.LinAlgError:
            return np.array(knot_rates), np.array(knot_coefs), False
        a, d = ad[:, 0], ad[:, 1]
        # Correlations along the stretch: c − G_{:A}(a − rate·d) = e + rate·f.
        AD = np.zeros((p, 2))
        AD[A] = ad
        Ga, Gd = ls.gram_times(AD).T
        e, f = ls.c - Ga, Gd
        # The rate of each possible event; only those in (0, rate] can come next.
        ceiling, near = rate * (1.0 + 1e-10), rate * (1.0 - 1e-9)
        with np.errstate(divide="ignore", invalid="ignore"):
            leave = _in_range(a / d, ceiling)
            join_up = _in_range(e / (1.0 - f), ceiling)  # correlation reaches +rate
            join_down = _in_range(-e / (1.0 + f), ceiling)  # correlation reaches −rate
        for k, j in enumerate(active):
            if j in joined_here and leave[k] >= near:
                leave[k] = -np.inf
        for j in left_here:
            for candidates in (join_up, join_down):
                if candidates[j] >= near:
                    candidates[j] = -np.inf
        join = np.maximum(join_up, join_down)
        join[A] = -np.inf
        if len(active) >= max_active:  # the active set spans the data: nothing else can enter
            join[:] = -np.inf
        k_leave, k_join = int(np.argmax(leave)), int(np.argmax(join))
        next_rate = max(leave[k_leave], join[k_join], 0.0)

        if next_rate <= rate_stop:  # the stretch reaches the end of the requested path
            w = np.zeros(p)
            w[A] = a - rate_stop * d
            knot_rates.append(rate_stop)
            knot_coefs.append(w)
            return np.array(knot_rates), np.array(knot_coefs), True
        next_rate = min(next_rate, rate)
        leaving = leave[k_leave] >= join[k_join]
        if next_rate < rate:
            w = np.zeros(p)
            w[A] = a - next_rate * d
            if leaving:
                w[A[k_leave]] = 0.0  # exactly, not a rounding error of either sign
            knot_rates.append(next_rate)
            knot_coefs.append(w)
            rate = next_rate
            joined_here, left_here = set(), set()
        if leaving:
            left_here.add(active.pop(k_leave))
            signs.pop(k_leave)
        else:
            active.append(k_join)
            signs.append(1.0 if join_up[k_join] >= join_down[k_join] else -1.0)
            joined_here.add(k_join)
    return np.array(knot_rates), np.array(knot_coefs), False


def _in_range(values, ceiling):
    """``values`` where they lie in (0, ceiling], −inf elsewhere (NaN included)."""
    return np.where((values > 0) & (values <= ceiling), values, -np.inf)


def _interpolate(knot_rates, knot_coefs, rates):
    """Evaluate the piecewise-linear path at ``rates``; NaN rows where the knots do not reach."""
    coefs = np.full((rates.size, knot_coefs.shape[1]), np.nan)
    n_above = np.searchsorted(-knot_rates, -rates, side="right")  # how many knots have rate >= r
    for i, (r, k) in enumerate(zip(rates, n_above)):
        if k == 0:  # above the largest knot (the max rate): every weight is 0
            coefs[i] = 0.0
        elif k < knot_rates.size:  # between knot k−1 (>= r) and knot k (< r)
            hi, lo = knot_rates[k - 1], knot_rates[k]
            t = (hi - r) / (hi - lo)
            coefs[i] = (1 - t) * knot_coefs[k - 1] + t * knot_coefs[k]
        elif r == knot_rates[-1]:
            coefs[i] = knot_coefs[-1]
    return coefs


def _kkt_violation(ls, coefs, rates):
    """Largest violation of the lasso optimality conditions, for each row of ``coefs``.

    With ``g = Xcᵀ(yc − Xc w)/n``: ``g_j = rate·sign(w_j)`` where ``w_j ≠ 0`` and
    ``|g_j| <= rate`` where ``w_j = 0``.  NaN rows count as infinitely violated.
    """
    grad = ls.c - ls.gram_times(np.nan_to_num(coefs).T).T
    on = np.abs(grad - rates[:, None] * np.sign(coefs))
    off = np.maximum(np.abs(grad) - rates[:, None], 0.0)
    violation = np.where(coefs != 0, on, off).max(axis=1)
    return np.where(np.isnan(coefs).any(axis=1), np.inf, violation)


def _kkt_tolerance(ls):
    return np.sqrt(_EPS) * max(float(np.max(np.abs(ls.c))), np.sqrt(ls.yy) * _EPS)


def lasso_path(
    X,
    y,
    rates=None,
    n_rates=100,
    min_ratio=None,
    fit_intercept=True,
    tol=_DEFAULT_TOL,
    max_iter=_DEFAULT_MAX_ITER,
):
    r"""Lasso solutions for a decreasing sequence of rates.

    Each row minimizes ``1/(2n)·||y − Xw − b||² + rate·||w||₁`` (see :func:`fit_lasso`).

    The lasso path ``rate ↦ w(rate)`` is piecewise linear.  It is computed exactly by the
    homotopy / LARS-lasso algorithm (see :func:`lasso_path_knots`) and evaluated at ``rates``
    by linear interpolation between knots — exact up to rounding.  Every row is then checked
    against the KKT conditions; rows that fail (possible only in degenerate cases such as tied
    or collinear features) are recomputed by coordinate descent (:func:`fit_lasso`),
    warm-started, with ``tol`` and ``max_iter``.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    rates : array_like, shape (k,), optional
        Rates >= 0 in descending order, used as given.  Default: ``n_rates`` rates spaced
        evenly on a log scale from :func:`lasso_max_rate` down to ``min_ratio`` times it.
    n_rates : int
        Number of rates when ``rates`` is None.
    min_ratio : float, optional
        Smallest rate as a fraction of the largest; default (glmnet's) ``1e-4`` if ``n >= p``
        else ``1e-2``.
    fit_intercept : bool
    tol, max_iter
        Passed to coordinate descent for rows that need it.

    Returns
    -------
    rates : ndarray, shape (k,)
    coefs : ndarray, shape (k, p)
    intercepts : ndarray, shape (k,)
    """
    X, y = as_data(X, y)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    tol = _check_tol(tol)
    max_iter = check_positive_int(max_iter, "max_iter")
    n, p = X.shape
    Xc, yc, x_mean, y_mean = _center(X, y, fit_intercept)
    ls = _LeastSquares(Xc, yc)
    rate_max = float(np.max(np.abs(ls.c)))
    if rates is None:
        n_rates = check_positive_int(n_rates, "n_rates")
        if min_ratio is None:
            min_ratio = 1e-4 if n >= p else 1e-2
        min_ratio = check_positive_float(min_ratio, "min_ratio")
        if min_ratio > 1:
            raise ValueError(f"min_ratio must be in (0, 1]; got min_ratio={min_ratio:g}")
        if rate_max == 0.0:
            warnings.warn(
                "lasso_path: y is uncorrelated with every column of X (lasso_max_rate is 0), so "
                "every coefficient is 0 at every rate; returning rates of 0",
                RuntimeWarning,
                stacklevel=2,
            )
            rates = np.zeros(n_rates)
        else:
            rates = np.geomspace(rate_max, min_ratio * rate_max, n_rates)
    else:
        rates = _check_rates(rates, descending=True)

    max_active = min(p, n - 1 if fit_intercept else n)
    knot_rates, knot_coefs, _ = _homotopy(ls, float(rates[-1]), max_active)
    coefs = _interpolate(knot_rates, knot_coefs, rates)

    bad = _kkt_violation(ls, coefs, rates) > _kkt_tolerance(ls)
    previous = np.zeros(p)
    for i in range(rates.size):
        if bad[i]:
            start = coefs[i] if np.all(np.isfinite(coefs[i])) else previous
            if rates[i] == 0.0:
                coefs[i] = _ridge_fit(Xc, yc, 0.0, False, "lasso_path")[0]
            else:
                w, _, converged, _, gap, tol_abs = _coordinate_descent(
                    ls, rates[i], 0.0, start, tol, max_iter
                )
                if not converged:
                    _warn_not_converged(f"lasso_path (rate={rates[i]:g})", max_iter, tol, gap, tol_abs)
                coefs[i] = w
        previous = coefs[i]
    return rates, coefs, y_mean - coefs @ x_mean


def lasso_path_knots(X, y, fit_intercept=True):
    r"""The knots of the piecewise-linear lasso path, from the max rate down to 0.

    Between consecutive knots every lasso coefficient is a linear function of the rate; at a
    knot a feature enters the model or leaves it (its coefficient crosses 0).  Computed
    exactly by the homotopy (LARS with the lasso modification): on a stretch with active set
    ``A`` and signs ``s``, ``w_A(rate) = G_AA⁻¹(c_A − rate·s_A)`` with ``G = XcᵀXc/n``,
    ``c = Xcᵀyc/n``, and the stretch ends when an inactive correlation reaches ``±rate`` or an
    active weight reaches 0.

    Objective at every rate: ``1/(2n)·||y − Xw − b||² + rate·||w||₁``.

    Returns
    -------
    knot_rates : ndarray, shape (k,)
        Descending; ``knot_rates[0]`` is :func:`lasso_max_rate` (all weights 0) and the last is 0
        (least squares, or with ``p >= n`` the path's interpolating end point).
    knot_coefs : ndarray, shape (k, p)
        ``w`` at each knot; ``b = ȳ − x̄ᵀw``.

    Warns (``RuntimeWarning``) and returns the knots found so far if the path is degenerate
    (tied or collinear features), where it is not unique.
    """
    X, y = as_data(X, y)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    n, p = X.shape
    Xc, yc, _, _ = _center(X, y, fit_intercept)
    ls = _LeastSquares(Xc, yc)
    knot_rates, knot_coefs, complete = _homotopy(ls, 0.0, min(p, n - 1 if fit_intercept else n))
    valid = _kkt_violation(ls, knot_coefs, knot_rates) <= _kkt_tolerance(ls)
    n_valid = int(np.argmin(valid)) if not valid.all() else valid.size
    if not complete or n_valid < valid.size:
        warnings.warn(
            "lasso_path_knots: the path is degenerate (tied or collinear features make it "
            f"non-unique); returning the {n_valid} knots down to rate="
            f"{knot_rates[max(n_valid - 1, 0)]:.4g}. Use lasso_path for given rates.",
            RuntimeWarning,
            stacklevel=2,
        )
    return knot_rates[:n_valid], knot_coefs[:n_valid]


# ---------------------------------------------------------------------------
# Generic first-order trainers
# ---------------------------------------------------------------------------


def squared_loss_objective(X, y):
    r"""``loss_and_gradient(w, b) -> (loss, grad_w, grad_b)`` for the squared loss.

    .. math:: \text{loss}(w, b) = \frac{1}{2n}\|y - Xw - b\|^2

    computed with :func:`course_lib.losses.squared_loss` and its gradient.  The returned
    function has an attribute ``lipschitz``: the Lipschitz constant of the gradient in
    ``(w, b)``, ``||[X, 1]||₂² / n``, so that ``step = 1/lipschitz`` is a safe step size.
    """
    X, y = as_data(X, y)

    def loss_and_gradient(w, b=0.0):
        grad_w, grad_b = squared_loss_gradient(X, y, w, b)
        return squared_loss(X, y, w, b), grad_w, grad_b

    loss_and_gradient.lipschitz = _lipschitz(X, 1.0)
    return loss_and_gradient


def log_loss_objective(X, y):
    r"""``loss_and_gradient(w, b) -> (loss, grad_w, grad_b)`` for the mean logistic loss.

    .. math:: \text{loss}(w, b) = \frac{1}{n}\sum_i \big[\log(1 + e^{z_i}) - y_i z_i\big],\quad z = Xw + b

    (labels in {0, 1}), computed with :func:`course_lib.losses.log_loss` and its gradient.
    ``lipschitz`` is ``||[X, 1]||₂² / (4n)`` (the sigmoid's slope is at most 1/4).
    """
    X, y = as_data(X, y)
    y = as_labels(y)

    def loss_and_gradient(w, b=0.0):
        grad_w, grad_b = log_loss_gradient(X, y, w, b)
        return log_loss(X, y, w, b), grad_w, grad_b

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
    b0 = _check_real(b0, "b0")
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
    tol = _check_tol(tol, allow_zero=True)
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
    and converges as O(1/k²) instead of O(1/k) in objective.

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
    tol = _check_tol(tol, allow_zero=True)
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
            if accelerated:
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


# Logistic regression lives in its own module; re-exported here so every trainer is in one place.
from .logistic import fit_logistic, logistic_max_rate  # noqa: E402

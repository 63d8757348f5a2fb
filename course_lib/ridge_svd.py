r"""Ridge through the singular value decomposition: many rates at once, and what ridge shrinks.

Write the centered features as ``Xc = U diag(d) Vᵀ`` (singular values ``d_1 >= d_2 >= …``).  The
ridge solution of ``1/(2n)·||y − Xw − b||² + rate/2·||w||²`` is then

.. math:: w(\text{rate}) = V\,\operatorname{diag}\!\Big(\frac{d_j}{d_j^2 + n\cdot\text{rate}}\Big)\,U^\top y_c,

the same answer as the normal equations ``(XcᵀXc + n·rate·I) w = Xcᵀyc`` that
:func:`course_lib.trainers.fit_ridge` solves, but with the rate only in a diagonal: one SVD
serves every rate (:func:`ridge_path`), and the factors ``d_j²/(d_j² + n·rate)`` say how much
ridge shrinks the fit along each principal direction (:func:`ridge_shrinkage_factors`), whose sum
is the effective degrees of freedom (:func:`ridge_effective_dof`, :func:`ridge_rate_for_dof`).
This is lesson 03's going-further material; ESL §3.4.1 writes it with ``λ = n·rate``.
"""

from __future__ import annotations

import warnings

import numpy as np

from ._centering import center
from ._validation import as_data, as_matrix, check_bool, check_positive_float, check_rate, check_rates

__all__ = ["ridge_path", "ridge_shrinkage_factors", "ridge_effective_dof", "ridge_rate_for_dof"]

_EPS = np.finfo(float).eps


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


def warn_if_not_unique(rank, p, where):
    """Warn that least squares (rate 0) has many solutions when the centered ``X`` has rank < p."""
    if rank < p:
        warnings.warn(
            f"{where}: rate=0 and the (centered) X has rank {rank} < {p} columns, so the "
            "least-squares solution is not unique; returning the minimum-norm one",
            RuntimeWarning,
            stacklevel=3,
        )


def ridge_path(X, y, rates, fit_intercept=True):
    r"""Ridge fits for many rates from a single SVD.

    Each row solves the problem of :func:`course_lib.trainers.fit_ridge`,
    ``1/(2n)·||y − Xw − b||² + rate/2·||w||²``, for one rate — the same answer as its normal
    equations — but the SVD of the centered ``X`` is computed once and only the multipliers
    ``d_j / (d_j² + n·rate)`` change with the rate.  ``rate = 0`` gives least squares (the
    minimum-norm solution, with a ``RuntimeWarning``, when it is not unique).  In scikit-learn
    each row is ``Ridge(alpha=n·rate)``.

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
    rates = check_rates(rates)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    n, p = X.shape
    Xc, yc, x_mean, y_mean = center(X, y, fit_intercept)
    U, d, Vt = _singular_values(Xc)
    if np.any(rates == 0):
        warn_if_not_unique(int(np.count_nonzero(d)), p, "ridge_path")
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

r"""Trainers for linear models.  Each returns a :class:`~course_lib.fit_result.Fit` ``(w, b)``.

What each trainer minimizes (``n`` samples, ``rate`` >= 0 is the λ of the textbooks,
ρ = ``l1_ratio``; the intercept ``b`` is never penalized), and how:

=====================  ========================================================  ==========================
trainer                minimizes                                                  by
=====================  ========================================================  ==========================
``fit_ridge``          ``1/(2n)·||y − Xw − b||² + rate/2·||w||²``                   the normal equations
``fit_lasso``          ``1/(2n)·||y − Xw − b||² + rate·||w||₁``                     coordinate descent
``fit_elastic_net``    ``1/(2n)·||y − Xw − b||² + rate·(ρ||w||₁ + (1−ρ)/2||w||²)``  coordinate descent
``gradient_descent``   ``loss(w, b) + penalty(w)``, penalty by its (sub)gradient     :mod:`~course_lib.descent`
``proximal_gradient``  ``loss(w, b) + penalty(w)``, penalty by its prox             :mod:`~course_lib.descent`
``ridge_path``         ridge for many rates; shrinkage factors, degrees of freedom  :mod:`~course_lib.ridge_svd`
``lasso_path``         the lasso for many rates; its knots                          :mod:`~course_lib.paths`
``fit_logistic``       mean log-loss + penalty                                      :mod:`~course_lib.logistic`
=====================  ========================================================  ==========================

Everything in the table can be imported from here.  The same fits in scikit-learn:
``Ridge(alpha=n·rate)``, ``Lasso(alpha=rate)``, ``ElasticNet(alpha=rate, l1_ratio=ρ)``,
``lasso_path(X − x̄, y − ȳ, alphas=rates)`` and ``LogisticRegression(C=1/(n·rate))``.

The intercept: the closed-form and coordinate-descent trainers center the columns of ``X`` and
``y``, fit ``w`` on the centered data, and recover ``b = ȳ − x̄ᵀw``.  Because ``b`` is free, this
is the exact minimizer over ``(w, b)`` jointly.  The first-order methods take plain gradient
steps in ``b``.

Non-convergence of an iterative trainer is reported with :class:`ConvergenceWarning` (a
``RuntimeWarning``) that names the ``max_iter``/``n_iter`` and ``tol`` used.
"""

from __future__ import annotations

import numpy as np

from ._centering import center
from ._validation import (
    ConvergenceWarning,
    as_data,
    as_vector,
    check_bool,
    check_fraction,
    check_positive_float,
    check_positive_int,
    check_rate,
)
from .coordinate_descent import coordinate_descent, lasso_coordinate_update, warn_not_converged
from .descent import gradient_descent, log_loss_objective, proximal_gradient, squared_loss_objective
from .fit_result import Fit
from .logistic import fit_logistic, logistic_max_rate
from .paths import lasso_path, lasso_path_knots
from .ridge_svd import (
    ridge_effective_dof,
    ridge_path,
    ridge_rate_for_dof,
    ridge_shrinkage_factors,
    warn_if_not_unique,
)

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

_DEFAULT_TOL = 1e-12
_DEFAULT_MAX_ITER = 10_000


# ---------------------------------------------------------------------------
# Ridge: the normal equations
# ---------------------------------------------------------------------------


def fit_ridge(X, y, rate, fit_intercept=True) -> Fit:
    r"""Ridge regression, solved exactly from its normal equations.

    Minimizes

    .. math:: \frac{1}{2n}\,\|y - Xw - b\|^2 + \frac{\text{rate}}{2}\,\|w\|^2

    over ``w`` and the (unpenalized) intercept ``b``.  Setting the gradient to zero on the
    centered data ``Xc = X − x̄``, ``yc = y − ȳ`` gives the normal equations

    .. math:: (X_c^\top X_c + n\cdot\text{rate}\cdot I)\,w = X_c^\top y_c,
              \qquad b = \bar y - \bar x^\top w,

    a ``p × p`` linear system, solved (never inverted) with ``np.linalg.solve``.  In scikit-learn
    this is ``Ridge(alpha=n·rate)`` (its data term is ``||y − Xw − b||²`` without the ``1/(2n)``).
    :func:`course_lib.ridge_svd.ridge_path` gives the same answers for many rates at once
    through the SVD of ``Xc``.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    rate : float
        Any number >= 0.  ``rate=0`` is least squares, solved with ``np.linalg.lstsq``; when it
        is not unique (the centered ``X`` has rank < p, e.g. p >= n) the minimum-norm solution is
        returned with a ``RuntimeWarning``.
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
    Xc, yc, x_mean, y_mean = center(X, y, fit_intercept)
    w = _ridge_weights(Xc, yc, rate, where="fit_ridge")
    return Fit(w, y_mean - x_mean @ w, n_iter=None, converged=True)


def _ridge_weights(Xc, yc, rate, where):
    n, p = Xc.shape
    if rate == 0.0:
        # Least squares.  lstsq works on Xc itself, so it also handles columns that are not
        # independent, where XcᵀXc is singular and the solution not unique.
        w, _, rank, _ = np.linalg.lstsq(Xc, yc, rcond=None)
        warn_if_not_unique(int(rank), p, where)
        return w
    return np.linalg.solve(Xc.T @ Xc + n * rate * np.eye(p), Xc.T @ yc)


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
    Xc, yc, _, _ = center(X, y, fit_intercept)
    return float(np.max(np.abs(Xc.T @ yc))) / (X.shape[0] * l1_ratio)


def fit_lasso(X, y, rate, fit_intercept=True, tol=_DEFAULT_TOL, max_iter=_DEFAULT_MAX_ITER, w0=None) -> Fit:
    r"""Lasso regression by cyclic coordinate descent.

    Minimizes

    .. math:: \frac{1}{2n}\,\|y - Xw - b\|^2 + \text{rate}\,\|w\|_1

    over ``w`` and the unpenalized intercept ``b`` — scikit-learn's ``Lasso(alpha=rate)``.

    Algorithm (lesson 04): center the data, then sweep over the weights again and again,
    replacing each ``w_j`` by its exact minimizer with the others fixed — the soft-thresholding
    of :func:`lasso_coordinate_update`:

    .. math:: w_j \leftarrow \frac{S\big(x_j^\top r_{(j)}/n,\ \text{rate}\big)}{x_j^\top x_j/n},
              \qquad r_{(j)} = y_c - \sum_{k \ne j} x_k w_k .

    The loop is :func:`course_lib.coordinate_descent.coordinate_descent`, with the lesson's
    speed-ups: ``XcᵀXc/n`` computed once, only the weights that the threshold rule lets move
    visited, and an exact solve once the set of nonzero weights has settled.  Finally
    ``b = ȳ − x̄ᵀw``.

    Stopping rule: after every pass the duality gap, an upper bound on
    ``objective(w) − min objective``, is compared with ``tol · ||y − ȳ||² / n``; this is
    scikit-learn's criterion, so ``tol`` means the same there.  The tight default makes the
    result agree with a tightly converged solver to ~1e-8 relative.

    Parameters
    ----------
    X : array_like, shape (n, p)
        ``XᵀX`` (``p × p``) is formed once: fine up to a few thousand features (2,000 features
        take about 0.1 s).  For much wider data scikit-learn's ``Lasso`` works on the residual
        instead and needs no ``p × p`` matrix.
    y : array_like, shape (n,)
    rate : float
        Any number >= 0.  At or above :func:`lasso_max_rate` the answer is ``w = 0``;
        ``rate=0`` is least squares (solved as :func:`fit_ridge` does at rate 0).
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
    (``rate/2·||w||²``): it is solved in closed form as :func:`fit_ridge` does, so ``n_iter`` is None.

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


def _check_cd_args(X, y, rate, fit_intercept, tol, max_iter, w0):
    X, y = as_data(X, y)
    rate = check_rate(rate)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    tol = check_positive_float(tol, "tol")
    max_iter = check_positive_int(max_iter, "max_iter")
    if w0 is not None:
        w0 = as_vector(w0, "w0", size=X.shape[1])
    return X, y, rate, fit_intercept, tol, max_iter, w0


def _fit_enet(X, y, l1, l2, fit_intercept, tol, max_iter, w0, where):
    """Minimize ``1/(2n)·||y − Xw − b||² + l1·||w||₁ + l2/2·||w||²`` (validated inputs)."""
    Xc, yc, x_mean, y_mean = center(X, y, fit_intercept)
    n, p = Xc.shape
    if l1 == 0.0:  # no L1 part: ridge, solved in closed form
        w = _ridge_weights(Xc, yc, l2, where)
        return Fit(w, y_mean - x_mean @ w, n_iter=None, converged=True)
    gram = Xc.T @ Xc / n + l2 * np.eye(p)  # x_jᵀx_k/n, computed once; the L2 part on the diagonal
    c = Xc.T @ yc / n  # x_jᵀy/n
    yy = float(yc @ yc) / n
    start = np.zeros(p) if w0 is None else w0
    w, n_iter, converged, history, gap = coordinate_descent(gram, c, yy, l1, start, tol, max_iter)
    if not converged:
        warn_not_converged(where, max_iter, tol, gap, tol * yy)
    return Fit(w, y_mean - x_mean @ w, n_iter=n_iter, converged=converged, history=history)

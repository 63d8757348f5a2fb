r"""The lasso for many rates: ``lasso_path`` and the knots of the path, ``lasso_path_knots``.

Every row minimizes ``1/(2n)·||y − Xw − b||² + rate·||w||₁`` (the problem of
:func:`course_lib.trainers.fit_lasso`).  The lasso path ``rate ↦ w(rate)`` is piecewise linear:
between two *knots* every weight is a linear function of the rate, and at a knot a feature enters
the model or leaves it.  Both functions compute the knots exactly by the homotopy algorithm (LARS
with the lasso modification, :mod:`course_lib._solvers.homotopy`), check every answer against the
lasso's optimality (KKT) conditions, and recompute any row that fails — possible only with tied or
collinear features — by coordinate descent.
"""

from __future__ import annotations

import warnings

import numpy as np

from ._centering import center
from ._solvers.homotopy import LassoProducts, interpolate, kkt_tolerance, kkt_violation, lasso_knots
from ._validation import as_data, check_bool, check_positive_float, check_positive_int, check_rates
from .coordinate_descent import coordinate_descent, warn_not_converged
from .ridge_svd import warn_if_not_unique

__all__ = ["lasso_path", "lasso_path_knots"]

_DEFAULT_TOL = 1e-12
_DEFAULT_MAX_ITER = 10_000


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

    Each row minimizes ``1/(2n)·||y − Xw − b||² + rate·||w||₁`` (see
    :func:`course_lib.trainers.fit_lasso`); in scikit-learn,
    ``sklearn.linear_model.lasso_path(X − x̄, y − ȳ, alphas=rates)``.

    The lasso path ``rate ↦ w(rate)`` is piecewise linear.  It is computed exactly by the
    homotopy / LARS-lasso algorithm (see :func:`lasso_path_knots`) and evaluated at ``rates``
    by linear interpolation between knots — exact up to rounding.  Every row is then checked
    against the KKT conditions; rows that fail (possible only in degenerate cases such as tied
    or collinear features) are recomputed by coordinate descent (as in
    :func:`course_lib.trainers.fit_lasso`), warm-started, with ``tol`` and ``max_iter``.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    rates : array_like, shape (k,), optional
        Rates >= 0 in descending order, used as given.  Default: ``n_rates`` rates spaced
        evenly on a log scale from :func:`course_lib.trainers.lasso_max_rate` down to
        ``min_ratio`` times it.
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
    tol = check_positive_float(tol, "tol")
    max_iter = check_positive_int(max_iter, "max_iter")
    n, p = X.shape
    Xc, yc, x_mean, y_mean = center(X, y, fit_intercept)
    products = LassoProducts(Xc, yc)
    rate_max = float(np.max(np.abs(products.c)))
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
        rates = check_rates(rates, descending=True)

    max_active = min(p, n - 1 if fit_intercept else n)
    knot_rates, knot_coefs, _ = lasso_knots(products, float(rates[-1]), max_active)
    coefs = interpolate(knot_rates, knot_coefs, rates)

    bad = kkt_violation(products, coefs, rates) > kkt_tolerance(products)
    previous = np.zeros(p)
    gram = None
    for i in range(rates.size):
        if bad[i]:
            start = coefs[i] if np.all(np.isfinite(coefs[i])) else previous
            if rates[i] == 0.0:  # least squares (the minimum-norm one if it is not unique)
                coefs[i], _, rank, _ = np.linalg.lstsq(Xc, yc, rcond=None)
                warn_if_not_unique(int(rank), p, "lasso_path")
            else:
                gram = products.gram() if gram is None else gram
                w, _, converged, _, gap = coordinate_descent(
                    gram, products.c, products.yy, float(rates[i]), start, tol, max_iter
                )
                if not converged:
                    warn_not_converged(
                        f"lasso_path (rate={rates[i]:g})", max_iter, tol, gap, tol * products.yy
                    )
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
        Descending; ``knot_rates[0]`` is :func:`course_lib.trainers.lasso_max_rate` (all
        weights 0) and the last is 0 (least squares, or with ``p >= n`` the path's
        interpolating end point).
    knot_coefs : ndarray, shape (k, p)
        ``w`` at each knot; ``b = ȳ − x̄ᵀw``.

    Warns (``RuntimeWarning``) and returns the knots found so far if the path is degenerate
    (tied or collinear features), where it is not unique.
    """
    X, y = as_data(X, y)
    fit_intercept = check_bool(fit_intercept, "fit_intercept")
    n, p = X.shape
    Xc, yc, _, _ = center(X, y, fit_intercept)
    products = LassoProducts(Xc, yc)
    knot_rates, knot_coefs, complete = lasso_knots(products, 0.0, min(p, n - 1 if fit_intercept else n))
    valid = kkt_violation(products, knot_coefs, knot_rates) <= kkt_tolerance(products)
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



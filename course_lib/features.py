r"""Features for the course's models: polynomial columns and standardizing.

=================================  ==========================================================
function                           what it returns
=================================  ==========================================================
:func:`polynomial_features`        columns ``x, x², …, x^degree`` (optionally mapped to [-1, 1])
:func:`plane_features`             all monomials of 2-D points up to a total degree
:func:`standardize`                ``(Z, mean, scale)``: columns with mean 0 and sd 1
:func:`unstandardize_coefficients` ``(w, b)`` on the original scale of the features
=================================  ==========================================================

All of them can also be imported from :mod:`course_lib.data`.
"""

from __future__ import annotations

import warnings

import numpy as np

from ._validation import (
    as_matrix,
    as_vector,
    check_bool,
    check_interval,
    check_positive_int,
    check_real,
)

__all__ = ["polynomial_features", "plane_features", "standardize", "unstandardize_coefficients"]


def polynomial_features(x, degree, include_bias=False, x_range=None) -> np.ndarray:
    r"""Columns ``t, t², …, t^degree`` of a 1-D input (no intercept column by default).

    .. math:: \Phi = [\,t,\; t^2,\; \dots,\; t^{d}\,], \qquad
              t = \begin{cases} x & \text{x\_range is None} \\
                                \dfrac{2x - (a + b)}{b - a} & \text{x\_range} = (a, b)
                  \end{cases}

    On ``[0, 1]`` the columns ``x^k`` of high degree are nearly collinear (they all
    look like 0 then a steep rise), so least squares on them is badly conditioned.
    Passing ``x_range=(a, b)`` first maps ``[a, b]`` onto ``[-1, 1]``, where the powers
    differ much more.  The mapping is *fixed* (it does not depend on the data), so
    training and test features agree.  Lessons that penalize the weights should also
    :func:`standardize` the columns so that the penalty treats them alike.

    Parameters
    ----------
    x : array_like, shape (n,)
        1-D inputs.
    degree : int
        Highest power, ``>= 0``.  ``degree=0`` with ``include_bias=False`` gives an
        array of shape ``(n, 0)``: the constant model is the intercept alone.
    include_bias : bool
        Prepend a column of ones.  Leave it False for the course's trainers, which
        fit an unpenalized intercept themselves.
    x_range : (float, float) or None
        If given, map this interval linearly onto ``[-1, 1]`` before taking powers.

    Returns
    -------
    ndarray, shape (n, degree) or (n, degree + 1) with ``include_bias``
    """
    x = as_vector(x, "x")
    degree = check_positive_int(degree, "degree", minimum=0)
    include_bias = check_bool(include_bias, "include_bias")
    if x_range is not None:
        lo, hi = check_interval(x_range, "x_range")
        x = (2.0 * x - (lo + hi)) / (hi - lo)
    first = 0 if include_bias else 1
    powers = np.arange(first, degree + 1)
    return x[:, None] ** powers[None, :]


def plane_features(X, degree) -> np.ndarray:
    """All monomials ``x1^i · x2^j`` with ``1 <= i + j <= degree`` of 2-D points, by total degree.

    For ``degree=2``: ``x1, x2, x1², x1·x2, x2²``.  Shape ``(n, degree·(degree+3)/2)``.
    """
    X = as_matrix(X, "X", n_columns=2)
    degree = check_positive_int(degree, "degree")
    cols = [X[:, 0] ** (d - j) * X[:, 1] ** j for d in range(1, degree + 1) for j in range(d + 1)]
    return np.column_stack(cols)


# ---------------------------------------------------------------------------
# standardizing
# ---------------------------------------------------------------------------


def standardize(X, ddof=0, mean=None, scale=None):
    r"""Center and scale the columns of ``X``: ``Z = (X − mean) / scale``.

    .. math:: \bar x_j = \frac1n \sum_i x_{ij}, \qquad
              s_j = \sqrt{\frac{1}{n - \text{ddof}} \sum_i (x_{ij} - \bar x_j)^2}, \qquad
              z_{ij} = \frac{x_{ij} - \bar x_j}{s_j}

    Fit on the training rows, then pass the returned ``mean`` and ``scale`` to
    standardize test rows the same way::

        Z_train, mean, scale = standardize(X_train)
        Z_test, _, _ = standardize(X_test, mean=mean, scale=scale)

    ``ddof=0`` divides by ``n`` (scikit-learn's ``StandardScaler``); ``ddof=1`` divides by
    ``n − 1``, the sample standard deviation that ESL uses for the prostate data.

    Parameters
    ----------
    X : array_like, shape (n, p)
    ddof : int
        0 or 1 (any int ``>= 0`` below ``n``); used only when ``scale`` is computed.
    mean : array_like, shape (p,), optional
        Column centers to use instead of the column means of ``X``.
    scale : array_like, shape (p,), optional
        Column scales (all ``> 0``) to use instead of the standard deviations of ``X``.

    Returns
    -------
    Z : ndarray, shape (n, p)
    mean : ndarray, shape (p,)
    scale : ndarray, shape (p,)

    Warns
    -----
    RuntimeWarning
        When a computed column scale is 0 (a constant column).  Its scale is set to 1,
        so the column becomes all zeros after centering instead of all NaN.
    """
    X = as_matrix(X, "X")
    n, p = X.shape
    ddof = check_positive_int(ddof, "ddof", minimum=0)
    if mean is None:
        mean = X.mean(axis=0)
    else:
        mean = as_vector(mean, "mean", size=p)
    if scale is None:
        if n - ddof < 1:
            raise ValueError(
                f"ddof must be smaller than the number of rows of X ({n}); got ddof={ddof}"
            )
        scale = np.sqrt(((X - mean) ** 2).sum(axis=0) / (n - ddof))
        constant = scale <= 1e-12 * np.maximum(1.0, np.abs(mean))
        if np.any(constant):
            warnings.warn(
                f"X has constant column(s) {np.flatnonzero(constant).tolist()}: their scale is "
                "set to 1, so they become all zeros after centering",
                RuntimeWarning,
                stacklevel=2,
            )
            scale = np.where(constant, 1.0, scale)
    else:
        scale = as_vector(scale, "scale", size=p)
        if np.any(scale <= 0):
            raise ValueError(f"scale must be > 0 in every column; got scale={scale}")
    return (X - mean) / scale, mean, scale


def unstandardize_coefficients(w, b, mean, scale):
    r"""Map a fit on standardized columns back to the original columns.

    If ``ŷ = b_z + Σ_j w_z,j·(x_j − mean_j)/scale_j`` then on the original scale

    .. math:: w_j = \frac{w_{z,j}}{\text{scale}_j}, \qquad
              b = b_z - \sum_j \text{mean}_j\, w_j

    and ``X @ w + b`` gives the same predictions as ``Z @ w_z + b_z``.

    Parameters
    ----------
    w : array_like, shape (p,)
        Weights fitted on ``Z``.
    b : float
        Intercept fitted on ``Z``.
    mean, scale : array_like, shape (p,)
        As returned by :func:`standardize`.

    Returns
    -------
    w : ndarray, shape (p,)
    b : float
    """
    w = as_vector(w, "w")
    p = w.shape[0]
    b = check_real(b, "b")
    mean = as_vector(mean, "mean", size=p)
    scale = as_vector(scale, "scale", size=p)
    if np.any(scale <= 0):
        raise ValueError(f"scale must be > 0 in every column; got scale={scale}")
    w_orig = w / scale
    return w_orig, b - float(mean @ w_orig)

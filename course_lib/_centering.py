"""Centering, the course's way of leaving the intercept out of every penalty.

Fitting ``w`` on centered data (``Xc = X − x̄``, ``yc = y − ȳ``) and then setting
``b = ȳ − x̄ᵀw`` minimizes ``1/(2n)·||y − Xw − b||² + penalty(w)`` over ``(w, b)`` jointly: for any
``w`` the best ``b`` is ``ȳ − x̄ᵀw``, and with it the data term is ``1/(2n)·||yc − Xc w||²``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["center"]


def center(X, y, fit_intercept):
    """Return ``Xc, yc, x_mean, y_mean``; with ``fit_intercept=False`` nothing moves and the means are 0."""
    if not fit_intercept:
        return X, y, np.zeros(X.shape[1]), 0.0
    x_mean = X.mean(axis=0)
    y_mean = float(y.mean())
    return X - x_mean, y - y_mean, x_mean, y_mean

r"""Data terms (the unpenalized part of the objective) and their gradients.

The penalized objective everywhere in the course is ``loss + penalty(w, rate)``:

* regression: ``squared_loss = 1/(2n) · ||y − Xw − b||²``
* classification (labels in {0, 1}): ``log_loss = mean(−y·log p − (1−y)·log(1−p))``
  with ``p = sigmoid(Xw + b)``.

Gradients are returned for the weights ``w`` and the intercept ``b`` separately,
because the intercept is never penalized.
"""

from __future__ import annotations

import numpy as np

from ._validation import _as_float_array, _describe, as_data, as_labels, as_vector

__all__ = [
    "sigmoid",
    "squared_loss",
    "squared_loss_gradient",
    "log_loss",
    "log_loss_gradient",
    "log_loss_from_scores",
]


def _check_wb(X, w, b):
    w = as_vector(w, "w", size=X.shape[1])
    if isinstance(b, (bool, np.bool_, str, bytes)) or b is None or np.ndim(b) != 0 or np.iscomplexobj(b):
        raise TypeError(f"b must be a single real number (the intercept); got {_describe(b)}")
    value = float(_as_float_array([b], "b")[0])
    if not np.isfinite(value):
        raise ValueError(f"b must be a finite number; got b={value}")
    return w, value


def sigmoid(z):
    r"""Logistic function ``1 / (1 + exp(−z))``, elementwise, computed without overflow.

    Accepts a number or an array of any shape; ``±inf`` map to 1 and 0 and NaN stays NaN,
    as with any elementwise function.  Non-numeric input raises a ``TypeError``.
    """
    if isinstance(z, (str, bytes)) or z is None:
        raise TypeError(f"z must be a real number or array; got {_describe(z)}")
    z = np.asarray(z)
    if z.dtype == object or np.iscomplexobj(z) or not (
        np.issubdtype(z.dtype, np.number) or np.issubdtype(z.dtype, np.bool_)
    ):
        raise TypeError(f"z must be a real number or array; got {_describe(z)}")
    z = z.astype(float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


def squared_loss(X, y, w, b=0.0) -> float:
    r"""Mean squared error with the 1/2 of the course.

    .. math:: \text{loss}(w, b) = \frac{1}{2n}\,\|y - Xw - b\|^2

    Returns
    -------
    float
    """
    X, y = as_data(X, y)
    w, b = _check_wb(X, w, b)
    return _squared_loss(X, y, w, b)


def _squared_loss(X, y, w, b):
    r = y - X @ w - b
    return float(r @ r) / (2.0 * X.shape[0])


def squared_loss_gradient(X, y, w, b=0.0) -> tuple[np.ndarray, float]:
    r"""Gradient of :func:`squared_loss`.

    .. math::

        \nabla_w = -\frac{1}{n} X^\top (y - Xw - b), \qquad
        \partial_b = -\frac{1}{n} \sum_i (y_i - x_i^\top w - b)

    Returns
    -------
    grad_w : ndarray, shape (p,)
    grad_b : float
    """
    X, y = as_data(X, y)
    w, b = _check_wb(X, w, b)
    return _squared_loss_gradient(X, y, w, b)


def _squared_loss_gradient(X, y, w, b):
    r = y - X @ w - b
    n = X.shape[0]
    return -(X.T @ r) / n, -float(np.sum(r)) / n


def log_loss_from_scores(z, y):
    r"""Mean log-loss of the scores ``z`` for labels ``y`` in {0, 1}: the kernel every log-loss uses.

    .. math:: \frac{1}{n}\sum_i \big[\log(1 + e^{z_i}) - y_i z_i\big]
              = \frac{1}{n}\sum_i \big[-y_i\log p_i - (1 - y_i)\log(1 - p_i)\big],
              \qquad p_i = \operatorname{sigmoid}(z_i)

    Each term is computed as ``log(1 + e^{−z})`` (label 1) or ``log(1 + e^{z})`` (label 0), with
    ``np.logaddexp``: it never overflows and keeps full relative precision for confident right
    answers, where the loss is about ``e^{−|z|}`` (the form ``log(1 + e^z) − y·z`` loses it).
    :func:`log_loss`, :func:`course_lib.logistic.logistic_objective` and the networks' loss are
    this function of their scores.

    Parameters
    ----------
    z : array_like, shape (n,) or (k, n)
        Scores ``Xw + b`` (or a network's output before the sigmoid); ``k`` rows are ``k`` models
        scored on the same ``n`` points.  A score of ``±inf`` is allowed: its loss is ``inf``
        (confidently wrong) or 0 (confidently right); NaN is an error.
    y : array_like, shape (n,)
        Labels, each 0 or 1.

    Returns
    -------
    float, or ndarray of shape (k,) for 2-D ``z``
    """
    z = _as_float_array(z, "z")
    if z.ndim not in (1, 2) or z.shape[-1] == 0:
        raise ValueError(f"z must be a 1-D array of scores (or 2-D, one row per model); got shape {z.shape}")
    if np.any(np.isnan(z)):
        raise ValueError(f"z must not contain NaN; got {int(np.isnan(z).sum())} NaN score(s)")
    y = as_labels(y, "y", n=z.shape[-1])
    loss = _mean_log_loss(z, y)
    return float(loss) if z.ndim == 1 else loss


def _mean_log_loss(z, y):
    """:func:`log_loss_from_scores` without the input checks, for solvers' inner loops (``z`` and
    ``y`` already float arrays, labels 0/1)."""
    return np.mean(np.logaddexp(0.0, np.where(y == 1.0, -z, z)), axis=-1)


def log_loss(X, y, w, b=0.0) -> float:
    r"""Mean logistic loss (cross-entropy) for labels in {0, 1}.

    .. math::

        \text{loss}(w, b) = \frac{1}{n}\sum_i \big[\log(1 + e^{z_i}) - y_i z_i\big],
        \qquad z_i = x_i^\top w + b

    which equals ``mean(−y·log p − (1−y)·log(1−p))`` with ``p = sigmoid(z)``; computed by
    :func:`log_loss_from_scores`, which keeps full relative precision for confident right answers
    (≈ e^{−|z|}) and never overflows.  scikit-learn: ``sklearn.metrics.log_loss(y, sigmoid(z))``.
    """
    X, y = as_data(X, y)
    y = as_labels(y)
    w, b = _check_wb(X, w, b)
    return float(_mean_log_loss(X @ w + b, y))


def log_loss_gradient(X, y, w, b=0.0) -> tuple[np.ndarray, float]:
    r"""Gradient of :func:`log_loss`.

    .. math:: \nabla_w = \frac{1}{n} X^\top (p - y), \qquad \partial_b = \frac{1}{n}\sum_i (p_i - y_i)

    Returns
    -------
    grad_w : ndarray, shape (p,)
    grad_b : float
    """
    X, y = as_data(X, y)
    y = as_labels(y)
    w, b = _check_wb(X, w, b)
    return _log_loss_gradient(X, y, w, b)


def _log_loss_gradient(X, y, w, b):
    p = sigmoid(X @ w + b)
    n = X.shape[0]
    return X.T @ (p - y) / n, float(np.sum(p - y)) / n

r"""Choosing the rate: grids of rates, K-fold cross-validation and the one-standard-error rule.

The trainer is passed in, never imported: any ``fit(X_train, y_train, rate)`` that
returns something unpackable as ``w, b`` (the course's ``Fit``) works, e.g.
``cross_validate_rates(fit_ridge, X, y, rate_grid(10.0))``.

Two things to remember when reading the results:

* Larger ``rate`` means more regularization (a simpler model).  The one-standard-error
  rule therefore picks the **largest** rate whose cross-validated error is within one
  standard error of the best.
* Anything learned from the data — standardizing the columns included — must be
  learned inside ``fit``, from the training folds only.  Standardizing all of ``X``
  first leaks the test folds into the training folds.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from ._validation import (
    _describe,
    as_data,
    as_labels,
    as_vector,
    check_bool,
    check_positive_float,
    check_positive_int,
)
from .trainers import lasso_max_rate  # the grid's natural top: re-exported here for rate_grid users

__all__ = [
    "mean_squared_error",
    "misclassification_rate",
    "mean_log_loss",
    "rate_grid",
    "lasso_max_rate",
    "kfold_indices",
    "CVResult",
    "cross_validate_rates",
    "one_standard_error_rule",
    "validation_curve",
]


# ---------------------------------------------------------------------------
# error measures
# ---------------------------------------------------------------------------


def _paired_vectors(y, y_pred, y_name="y", pred_name="y_pred"):
    y = as_vector(y, y_name)
    y_pred = as_vector(y_pred, pred_name)
    if y_pred.shape != y.shape:
        raise ValueError(
            f"{pred_name} must have the same length as {y_name} ({y.shape[0]}); "
            f"got length {y_pred.shape[0]}"
        )
    return y, y_pred


def mean_squared_error(y, y_pred) -> float:
    r"""Mean squared error, without the 1/2 of the training objective.

    .. math:: \mathrm{MSE} = \frac1n \sum_i (y_i - \hat y_i)^2

    (The trainers minimize ``1/(2n)·||y − ŷ||²`` = MSE/2; the 1/2 only simplifies the
    gradient.  Errors reported to learners are the plain MSE.)

    Parameters
    ----------
    y, y_pred : array_like, shape (n,)

    Returns
    -------
    float
    """
    y, y_pred = _paired_vectors(y, y_pred)
    r = y - y_pred
    return float(r @ r) / y.shape[0]


def misclassification_rate(y, y_pred_labels) -> float:
    r"""Fraction of wrong labels: ``mean(y != y_pred_labels)``, labels in {0, 1}.

    Parameters
    ----------
    y, y_pred_labels : array_like, shape (n,)
        True and predicted labels, each 0 or 1 (threshold probabilities first).

    Returns
    -------
    float
    """
    y = as_labels(y, "y")
    y_pred_labels = as_labels(y_pred_labels, "y_pred_labels")
    if y_pred_labels.shape != y.shape:
        raise ValueError(
            f"y_pred_labels must have the same length as y ({y.shape[0]}); "
            f"got length {y_pred_labels.shape[0]}"
        )
    return float(np.mean(y != y_pred_labels))


def mean_log_loss(y, y_prob, eps=1e-15) -> float:
    r"""Mean log-loss (cross-entropy) of predicted probabilities, labels in {0, 1}.

    .. math:: \frac1n \sum_i -y_i \log p_i - (1 - y_i)\log(1 - p_i)

    with ``p`` clipped to ``[eps, 1 − eps]`` so that a confident mistake costs a large
    but finite amount.

    Parameters
    ----------
    y : array_like, shape (n,)
        Labels 0 or 1.
    y_prob : array_like, shape (n,)
        Predicted ``P(y = 1)``, each in ``[0, 1]``.
    eps : float
        Clipping level, ``> 0``.

    Returns
    -------
    float
    """
    y = as_labels(y, "y")
    y_prob = as_vector(y_prob, "y_prob", size=y.shape[0])
    eps = check_positive_float(eps, "eps")
    if np.any((y_prob < 0) | (y_prob > 1)):
        raise ValueError(
            f"y_prob must hold probabilities in [0, 1]; got values from {y_prob.min():g} "
            f"to {y_prob.max():g} (pass sigmoid(X @ w + b), not the score X @ w + b)"
        )
    p = np.clip(y_prob, eps, 1.0 - eps)
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log1p(-p)))


# ---------------------------------------------------------------------------
# grids of rates
# ---------------------------------------------------------------------------


def rate_grid(max_rate, n_rates=100, min_ratio=1e-4) -> np.ndarray:
    r"""Log-spaced rates from ``max_rate`` down to ``min_ratio · max_rate`` (descending).

    .. math:: \text{rate}_k = \text{max\_rate}\cdot
              \text{min\_ratio}^{\,k/(K-1)}, \qquad k = 0, \dots, K-1

    This is glmnet's grid (``lambda.min.ratio``).  It runs from strong to weak
    regularization, the order in which warm-started path solvers work best.  For the
    lasso, :func:`lasso_max_rate` gives the natural ``max_rate``: the smallest rate at
    which every weight is zero.

    Parameters
    ----------
    max_rate : float
        Largest rate, ``> 0``.
    n_rates : int
        Number of rates ``K >= 1`` (``K = 1`` gives ``[max_rate]``).
    min_ratio : float
        Smallest rate over largest, in ``(0, 1)``.

    Returns
    -------
    ndarray, shape (n_rates,)
        Strictly decreasing, first entry ``max_rate``, last ``min_ratio · max_rate``.
    """
    max_rate = check_positive_float(max_rate, "max_rate")
    n_rates = check_positive_int(n_rates, "n_rates")
    min_ratio = check_positive_float(min_ratio, "min_ratio")
    if min_ratio >= 1.0:
        raise ValueError(f"min_ratio must lie strictly between 0 and 1; got min_ratio={min_ratio:g}")
    if n_rates == 1:
        return np.array([max_rate])
    grid = max_rate * min_ratio ** (np.arange(n_rates) / (n_rates - 1))
    grid[0], grid[-1] = max_rate, max_rate * min_ratio  # exact endpoints
    return grid


# ---------------------------------------------------------------------------
# K-fold cross-validation
# ---------------------------------------------------------------------------


def kfold_indices(n_samples, n_folds=5, seed=0, shuffle=True):
    r"""Train/test index pairs for K-fold cross-validation.

    The rows ``0 … n−1`` (shuffled with ``np.random.default_rng(seed)`` when
    ``shuffle``; in order otherwise) are cut into ``n_folds`` consecutive blocks whose
    sizes differ by at most one (the first ``n mod K`` blocks get the extra row).
    Block ``k`` is the test fold of split ``k``; the other rows train.  Every row is in
    exactly one test fold.

    Parameters
    ----------
    n_samples : int
    n_folds : int
        ``2 <= n_folds <= n_samples`` (``n_folds = n_samples`` is leave-one-out).
    seed : int
        Used only when ``shuffle``.
    shuffle : bool

    Returns
    -------
    list of (train_idx, test_idx)
        ``n_folds`` pairs of sorted int arrays.
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    n_folds = check_positive_int(n_folds, "n_folds", minimum=2)
    shuffle = check_bool(shuffle, "shuffle")
    if n_folds > n_samples:
        raise ValueError(
            f"n_folds must be <= n_samples={n_samples} (each fold needs a row); got n_folds={n_folds}"
        )
    if shuffle:
        if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
            raise TypeError(f"seed must be an integer >= 0; got {_describe(seed)}")
        if seed < 0:
            raise ValueError(f"seed must be an integer >= 0; got seed={seed}")
        order = np.random.default_rng(int(seed)).permutation(n_samples)
    else:
        order = np.arange(n_samples)
    folds = []
    for test in np.array_split(order, n_folds):
        in_test = np.zeros(n_samples, dtype=bool)
        in_test[test] = True
        folds.append((np.flatnonzero(~in_test), np.sort(test)))
    return folds


def _check_rates(rates) -> np.ndarray:
    rates = as_vector(rates, "rates")
    if np.any(rates < 0):
        raise ValueError(f"rates must all be >= 0; got min(rates)={rates.min():g}")
    return rates


def _check_callable(value, name: str):
    if value is not None and not callable(value):
        raise TypeError(f"{name} must be a callable or None; got {_describe(value)}")


def _linear_prediction(model, X):
    """Default ``predict``: ``X @ w + b`` for anything that unpacks as ``w, b``."""
    try:
        w, b = model
    except (TypeError, ValueError):
        raise TypeError(
            f"fit must return something that unpacks as w, b (a Fit); got {_describe(model)}. "
            "Pass predict= for other models."
        ) from None
    w = np.asarray(w, dtype=float)
    if w.shape != (X.shape[1],):
        raise ValueError(
            f"fit returned w of shape {w.shape}; expected ({X.shape[1]},), one weight per column of X"
        )
    return X @ w + float(b)


def _error_of(model, X_eval, y_eval, rate, predict, error) -> float:
    value = float(error(y_eval, predict(model, X_eval)))
    if not np.isfinite(value):
        raise ValueError(f"error returned {value} at rate={rate:g}; the fit may have diverged")
    return value


def _one_se_index(rates, mean_error, standard_error) -> tuple[int, int]:
    """(index of the best rate, index of the one-SE rate); ties go to the larger rate."""
    best_value = mean_error.min()
    best = int(np.flatnonzero(mean_error == best_value)[np.argmax(rates[mean_error == best_value])])
    threshold = mean_error[best] + standard_error[best]
    within = np.flatnonzero(mean_error <= threshold)
    chosen = int(within[np.argmax(rates[within])])
    return best, chosen


def one_standard_error_rule(rates, mean_error, standard_error) -> float:
    r"""The largest rate whose mean error is within one standard error of the minimum.

    With ``k* = argmin mean_error`` (ties: the larger rate),

    .. math:: \text{rate}_{1se} = \max\{\,\text{rate}_k :
              \text{mean\_error}_k \le \text{mean\_error}_{k^*} + \text{standard\_error}_{k^*}\,\}

    — "the most parsimonious model whose error is no more than one standard error above
    the error of the best model" (ESL §7.10; glmnet's ``lambda.1se``).  Larger rates
    regularize more, so this picks a simpler model than the minimum at a cost the CV
    noise cannot distinguish.  The rates may be in any order.

    Parameters
    ----------
    rates, mean_error, standard_error : array_like, shape (K,)
        Rates ``>= 0``, their mean CV errors and the standard errors of those means.

    Returns
    -------
    float
    """
    rates = _check_rates(rates)
    mean_error = as_vector(mean_error, "mean_error", size=rates.shape[0])
    standard_error = as_vector(standard_error, "standard_error", size=rates.shape[0])
    if np.any(standard_error < 0):
        raise ValueError(f"standard_error must be >= 0; got min={standard_error.min():g}")
    return float(rates[_one_se_index(rates, mean_error, standard_error)[1]])


@dataclass(frozen=True)
class CVResult:
    r"""What :func:`cross_validate_rates` found.

    Attributes
    ----------
    rates : ndarray, shape (K,)
        The rates, in the order given.
    fold_errors : ndarray, shape (K, n_folds)
        Test error of each rate on each fold.
    mean_error : ndarray, shape (K,)
        ``fold_errors.mean(axis=1)``: the plain average over folds.
    standard_error : ndarray, shape (K,)
        ``fold_errors.std(axis=1, ddof=1) / sqrt(n_folds)``: the spread of the fold
        errors (sample sd) over the square root of the number of folds, as in ESL
        §7.10 and glmnet.  It treats folds as independent, which they are not quite.
    best_index, best_rate : int, float
        Rate with the smallest mean error (ties: the larger rate).
    index_1se, rate_1se : int, float
        One-standard-error rule: the largest rate whose mean error is at most
        ``mean_error[best_index] + standard_error[best_index]``.
    n_folds : int
    """

    rates: np.ndarray
    fold_errors: np.ndarray
    mean_error: np.ndarray
    standard_error: np.ndarray
    best_index: int
    best_rate: float
    index_1se: int
    rate_1se: float
    n_folds: int


def cross_validate_rates(fit, X, y, rates, n_folds=5, seed=0, predict=None, error=None) -> CVResult:
    r"""K-fold cross-validation of a trainer over a list of rates.

    For every fold ``k`` and rate ``λ``: ``model = fit(X[train_k], y[train_k], λ)``, then
    ``fold_errors[λ, k] = error(y[test_k], predict(model, X[test_k]))``.  The folds come
    from :func:`kfold_indices` and are the same for every rate.

    .. math:: \mathrm{CV}(\lambda) = \frac1K \sum_{k=1}^K \mathrm{err}_k(\lambda), \qquad
              \mathrm{SE}(\lambda) = \frac{\mathrm{sd}_k\,\mathrm{err}_k(\lambda)}{\sqrt K}

    Parameters
    ----------
    fit : callable
        ``fit(X_train, y_train, rate)``; with the default ``predict`` it must return
        something that unpacks as ``w, b`` (the course's trainers return a ``Fit``).
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    rates : array_like, shape (K,)
        Rates ``>= 0``, e.g. from :func:`rate_grid`.
    n_folds : int
    seed : int
        Seeds the shuffle of the rows into folds.
    predict : callable, optional
        ``predict(model, X_test) -> y_pred``; default ``X_test @ w + b``.  For
        classification pass e.g. ``lambda m, X: (X @ m.w + m.b > 0).astype(float)``
        with ``error=misclassification_rate``, or ``sigmoid(X @ m.w + m.b)`` with
        ``error=mean_log_loss``.
    error : callable, optional
        ``error(y_test, y_pred) -> float``; default :func:`mean_squared_error`.

    Returns
    -------
    CVResult
    """
    if not callable(fit):
        raise TypeError(f"fit must be a callable fit(X_train, y_train, rate); got {_describe(fit)}")
    _check_callable(predict, "predict")
    _check_callable(error, "error")
    X, y = as_data(X, y)
    rates = _check_rates(rates)
    predict = _linear_prediction if predict is None else predict
    error = mean_squared_error if error is None else error
    folds = kfold_indices(X.shape[0], n_folds, seed=seed)
    fold_errors = np.empty((rates.shape[0], len(folds)))
    for k, (train, test) in enumerate(folds):
        for j, rate in enumerate(rates):
            model = fit(X[train], y[train], rate)
            fold_errors[j, k] = _error_of(model, X[test], y[test], rate, predict, error)
    mean_error = fold_errors.mean(axis=1)
    standard_error = fold_errors.std(axis=1, ddof=1) / np.sqrt(len(folds))
    best, chosen = _one_se_index(rates, mean_error, standard_error)
    return CVResult(
        rates=rates,
        fold_errors=fold_errors,
        mean_error=mean_error,
        standard_error=standard_error,
        best_index=best,
        best_rate=float(rates[best]),
        index_1se=chosen,
        rate_1se=float(rates[chosen]),
        n_folds=len(folds),
    )


def validation_curve(fit, X_train, y_train, X_test, y_test, rates, predict=None, error=None):
    r"""Training and test error of one fit per rate: the picture of under- and overfitting.

    For each rate ``λ``: ``model = fit(X_train, y_train, λ)``, then the error of
    ``predict(model, ·)`` on the training rows and on the test rows.

    Parameters
    ----------
    fit, predict, error : callable
        As in :func:`cross_validate_rates`.
    X_train, y_train, X_test, y_test : array_like
        Shapes ``(n, p)``, ``(n,)``, ``(m, p)``, ``(m,)``.
    rates : array_like, shape (K,)

    Returns
    -------
    train_errors, test_errors : ndarray, shape (K,)
    """
    if not callable(fit):
        raise TypeError(f"fit must be a callable fit(X_train, y_train, rate); got {_describe(fit)}")
    _check_callable(predict, "predict")
    _check_callable(error, "error")
    X_train, y_train = as_data(X_train, y_train, X_name="X_train", y_name="y_train")
    X_test, y_test = as_data(X_test, y_test, X_name="X_test", y_name="y_test")
    if X_test.shape[1] != X_train.shape[1]:
        raise ValueError(
            f"X_test must have the {X_train.shape[1]} columns of X_train; got shape {X_test.shape}"
        )
    rates = _check_rates(rates)
    predict = _linear_prediction if predict is None else predict
    error = mean_squared_error if error is None else error
    train_errors = np.empty(rates.shape[0])
    test_errors = np.empty(rates.shape[0])
    for j, rate in enumerate(rates):
        model = fit(X_train, y_train, rate)
        train_errors[j] = _error_of(model, X_train, y_train, rate, predict, error)
        test_errors[j] = _error_of(model, X_test, y_test, rate, predict, error)
    return train_errors, test_errors

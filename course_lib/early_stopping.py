r"""Early stopping: stop training when the validation loss stops improving, keep the best epoch.

The rule, with a **patience** of ``k`` epochs: after each epoch, compare the validation loss
with the lowest one seen so far.  A strictly lower loss makes this epoch the *best epoch*;
once ``k`` epochs in a row bring no improvement, stop, and return the weights of the best
epoch — not the last ones, which are already ``k`` epochs into overfitting.

Epochs are counted from 0: ``losses[0]`` is measured at initialization, ``losses[e]`` after
``e`` epochs (as in :func:`course_lib.mlp.train_mlp`'s history).

Going further: for linear regression trained by gradient descent from 0, stopping after ``τ``
steps of size ``lr`` gives about the ridge fit with ``rate ≈ 1/(τ·lr)`` (Goodfellow, Bengio &
Courville, *Deep Learning*, §7.8); :func:`gradient_descent_weights` and
:func:`closest_ridge_rates` compute both sides of that comparison.
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np

from ._validation import _describe, as_data, as_vector, check_positive_float, check_positive_int
from .trainers import ridge_path

__all__ = ["EarlyStopping", "StoppingPoint", "early_stopping_epochs", "gradient_descent_weights",
           "closest_ridge_rates"]


def _check_patience(patience) -> int:
    return check_positive_int(patience, "patience")


class EarlyStopping:
    """The patience rule, one epoch at a time (what a training loop calls after each epoch).

    Parameters
    ----------
    patience : int
        Stop once this many epochs in a row have not lowered the validation loss (``>= 1``).

    Attributes
    ----------
    best_epoch : int or None
        The epoch with the lowest loss so far (the first one, on ties).
    best_loss : float
        That loss (``inf`` before the first update).
    """

    def __init__(self, patience):
        self.patience = _check_patience(patience)
        self.best_epoch: int | None = None
        self.best_loss = np.inf

    def update(self, epoch: int, loss: float) -> bool:
        """Record the validation ``loss`` after ``epoch`` epochs; return True when training should stop."""
        if loss < self.best_loss:  # strictly lower: a tie is no improvement
            self.best_epoch, self.best_loss = epoch, float(loss)
            return False
        return self.best_epoch is not None and epoch - self.best_epoch >= self.patience


class StoppingPoint(NamedTuple):
    """Where the patience rule stops: ``(best_epoch, stop_epoch)``."""

    best_epoch: int
    stop_epoch: int


def early_stopping_epochs(val_losses, patience) -> StoppingPoint:
    r"""The best epoch and the stop epoch of early stopping with ``patience``, from a list of losses.

    ``stop_epoch`` is the first epoch ``e`` with ``e − best_epoch(e) = patience``, where
    ``best_epoch(e)`` is the first epoch with the lowest loss among ``val_losses[0..e]``; if the
    list ends first, training ran to its end: ``stop_epoch = len(val_losses) − 1``.  The weights
    to keep are those after ``best_epoch`` epochs.

    Parameters
    ----------
    val_losses : array_like, shape (n_epochs + 1,)
        Validation loss at initialization (entry 0) and after each epoch, finite numbers.
    patience : int
        ``>= 1``.

    Returns
    -------
    StoppingPoint
        ``(best_epoch, stop_epoch)``, a named tuple of two ints.

    Examples
    --------
    >>> early_stopping_epochs([1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.9], patience=3)
    StoppingPoint(best_epoch=2, stop_epoch=5)
    """
    losses = as_vector(val_losses, "val_losses")
    rule = EarlyStopping(patience)
    for epoch, loss in enumerate(losses):
        if rule.update(epoch, loss):
            return StoppingPoint(rule.best_epoch, epoch)
    return StoppingPoint(rule.best_epoch, losses.size - 1)


# ---------------------------------------------------------------------------
# Going further: early stopping acts like L2 (linear regression, gradient descent from 0)
# ---------------------------------------------------------------------------


def _check_steps(steps) -> np.ndarray:
    if isinstance(steps, numbers.Integral) and not isinstance(steps, (bool, np.bool_)):
        steps = [steps]
    if isinstance(steps, (str, bytes)) or np.ndim(steps) != 1 or len(steps) == 0:
        raise TypeError(f"steps must be a non-empty 1-D sequence of step counts; got {_describe(steps)}")
    return np.array([check_positive_int(s, f"steps[{i}]", minimum=0) for i, s in enumerate(steps)])


def gradient_descent_weights(X, y, lr, steps) -> np.ndarray:
    r"""Weights of linear regression after ``τ`` steps of gradient descent from 0, for each ``τ`` in ``steps``.

    Gradient descent on ``1/(2n)·||y − Xw − b||²`` with the intercept left free: the data are
    centered, so ``b`` is the mean of ``y`` at every step and only ``w`` moves,

    .. math:: w_0 = 0, \qquad w_{t+1} = w_t - \text{lr}\cdot\frac1n X_c^\top (X_c w_t - y_c).

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    lr : float
        Step size, ``> 0`` (gradient descent converges for ``lr < 2/L``, ``L`` the largest
        curvature of the loss).
    steps : sequence of int
        Step counts ``τ >= 0`` at which to record ``w``, any order.

    Returns
    -------
    ndarray, shape (len(steps), p)
        Row ``i`` is ``w`` after ``steps[i]`` steps.
    """
    X, y = as_data(X, y)
    lr = check_positive_float(lr, "lr")
    steps = _check_steps(steps)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    n = X.shape[0]
    w = np.zeros(X.shape[1])
    out = np.empty((steps.size, X.shape[1]))
    order = np.argsort(steps, kind="stable")
    t = 0
    for i in order:
        while t < steps[i]:
            w = w - lr * (Xc.T @ (Xc @ w - yc)) / n
            t += 1
        out[i] = w
    return out


def closest_ridge_rates(X, y, weights, rates) -> np.ndarray:
    r"""For each row of ``weights``, the rate of the grid whose ridge fit is closest to it.

    Ridge here is :func:`course_lib.trainers.fit_ridge`'s
    ``1/(2n)·||y − Xw − b||² + rate/2·||w||²``; "closest" means the smallest Euclidean distance
    ``||w − w_ridge(rate)||`` over the grid ``rates``.

    Parameters
    ----------
    X, y : array_like
        The data the weights were fit to.
    weights : array_like, shape (k, p)
        E.g. :func:`gradient_descent_weights`.
    rates : array_like, shape (m,)
        Candidate rates ``> 0`` (a fine log grid).

    Returns
    -------
    ndarray, shape (k,)
    """
    X, y = as_data(X, y)
    weights = np.asarray(weights, dtype=float)
    if weights.ndim != 2 or weights.shape[1] != X.shape[1]:
        raise ValueError(f"weights must have shape (k, {X.shape[1]}), one row of weights per fit; "
                         f"got shape {weights.shape}")
    rates, coefs, _ = ridge_path(X, y, rates)
    distances = np.linalg.norm(weights[:, None, :] - coefs[None, :, :], axis=2)
    return rates[np.argmin(distances, axis=1)]

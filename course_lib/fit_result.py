"""The value every trainer returns: a fit that unpacks as ``w, b = fit_xxx(...)``."""

from __future__ import annotations

import numpy as np

__all__ = ["Fit"]


class Fit(tuple):
    """Weights and intercept of a fitted linear model, with how the fit went.

    A ``Fit`` is a 2-tuple ``(w, b)`` so that ``w, b = fit_ridge(X, y, rate)``
    works, and it also carries attributes:

    Attributes
    ----------
    w : ndarray, shape (p,)
        Weights.
    b : float
        Intercept (never penalized; 0.0 when ``fit_intercept=False``).
    n_iter : int or None
        Iterations used by an iterative solver (None for closed forms).
    converged : bool
        Whether the stopping criterion was met.
    history : ndarray or None
        Objective value per iteration, for solvers that record it.
    """

    def __new__(cls, w, b, *, n_iter=None, converged=True, history=None):
        self = super().__new__(cls, (np.asarray(w, dtype=float), float(b)))
        self.n_iter = n_iter
        self.converged = bool(converged)
        self.history = None if history is None else np.asarray(history, dtype=float)
        return self

    @property
    def w(self) -> np.ndarray:
        return self[0]

    @property
    def b(self) -> float:
        return self[1]

    def predict(self, X) -> np.ndarray:
        """Return ``X @ w + b``."""
        from ._validation import as_matrix

        return as_matrix(X, "X", n_columns=self.w.shape[0]) @ self.w + self.b

    def __repr__(self) -> str:
        extra = f", n_iter={self.n_iter}" if self.n_iter is not None else ""
        return f"Fit(w={np.array2string(self.w, precision=4)}, b={self.b:.4g}{extra})"

    def __reduce__(self):
        return (_rebuild_fit, (self.w, self.b, self.n_iter, self.converged, self.history))


def _rebuild_fit(w, b, n_iter, converged, history):
    return Fit(w, b, n_iter=n_iter, converged=converged, history=history)

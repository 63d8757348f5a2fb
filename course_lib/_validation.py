"""Input checks shared by every public function.

Each checker returns a clean ``float64`` array (or float) or raises a
``TypeError``/``ValueError`` whose message names the argument, says what was
expected and shows what was given.  Nothing is ever broadcast silently.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

__all__ = [
    "as_vector",
    "as_matrix",
    "as_data",
    "as_labels",
    "check_rate",
    "check_fraction",
    "check_positive_int",
    "check_positive_float",
    "check_bool",
    "check_real",
    "check_rates",
    "check_interval",
    "warn_zero_rate",
    "ConvergenceWarning",
]


class ConvergenceWarning(RuntimeWarning):
    """An iterative trainer stopped at its iteration limit (or stalled) before meeting its tolerance."""


def _describe(value) -> str:
    """Short description of a value for error messages."""
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def _as_float_array(value, name: str) -> np.ndarray:
    if isinstance(value, (str, bytes, dict, set)) or value is None:
        raise TypeError(f"{name} must be a numeric array; got {_describe(value)}")
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be a numeric array; got {_describe(value)} ({exc})") from None
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise TypeError(f"{name} must be a numeric array; got {_describe(value)}")
    if np.iscomplexobj(arr):
        raise TypeError(f"{name} must be real-valued; got complex {_describe(arr)}")
    return arr.astype(np.float64, copy=True)


def _check_finite(arr: np.ndarray, name: str) -> None:
    if not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(
            f"{name} must contain only finite numbers; got {bad} NaN or infinite "
            f"value(s) in an array of shape {arr.shape}"
        )


def as_vector(value, name: str, *, size: int | None = None, allow_empty: bool = False) -> np.ndarray:
    """Return ``value`` as a finite 1-D float array, or raise naming ``name``.

    Parameters
    ----------
    value : array_like
        The input.
    name : str
        Argument name used in error messages.
    size : int, optional
        Required length.
    allow_empty : bool
        Whether a length-0 vector is acceptable.
    """
    arr = _as_float_array(value, name)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array; got an array of shape {arr.shape}")
    if size is not None and arr.shape[0] != size:
        raise ValueError(f"{name} must have length {size}; got length {arr.shape[0]}")
    if arr.shape[0] == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty; got an array of shape {arr.shape}")
    _check_finite(arr, name)
    return arr


def as_matrix(value, name: str = "X", *, n_columns: int | None = None) -> np.ndarray:
    """Return ``value`` as a finite, non-empty 2-D float array of shape ``(n, p)``."""
    arr = _as_float_array(value, name)
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (n_samples, n_features); "
            f"got an array of shape {arr.shape}"
        )
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(f"{name} must have at least one row and one column; got shape {arr.shape}")
    if n_columns is not None and arr.shape[1] != n_columns:
        raise ValueError(f"{name} must have {n_columns} columns; got shape {arr.shape}")
    _check_finite(arr, name)
    return arr


def as_data(X, y, *, X_name: str = "X", y_name: str = "y") -> tuple[np.ndarray, np.ndarray]:
    """Validate a design matrix ``X`` of shape ``(n, p)`` and targets ``y`` of shape ``(n,)``."""
    X = as_matrix(X, X_name)
    y = _as_float_array(y, y_name)
    if y.ndim != 1:
        raise ValueError(
            f"{y_name} must be a 1-D array of shape ({X.shape[0]},); got an array of shape "
            f"{y.shape} (use y.ravel() if it is a column vector)"
        )
    if y.shape[0] != X.shape[0]:
        raise ValueError(
            f"{y_name} must have one entry per row of {X_name}: expected length {X.shape[0]}, "
            f"got length {y.shape[0]}"
        )
    _check_finite(y, y_name)
    return X, y


def as_labels(y, name: str = "y", *, n: int | None = None) -> np.ndarray:
    """Return binary labels in {0, 1} as a float vector, or raise naming ``name``."""
    arr = as_vector(y, name, size=n)
    values = np.unique(arr)
    if not np.all(np.isin(values, (0.0, 1.0))):
        shown = ", ".join(f"{v:g}" for v in values[:6])
        raise ValueError(f"{name} must contain only the labels 0 and 1; got values {{{shown}}}")
    return arr


def check_rate(rate, name: str = "rate", *, warn_zero: bool = False) -> float:
    """Return ``rate`` as a float after checking it is a finite number ``>= 0``.

    A rate is any non-negative number (it is *not* confined to [0, 1]).
    """
    if isinstance(rate, (bool, np.bool_)) or not isinstance(rate, (numbers.Real, np.ndarray)):
        raise TypeError(f"{name} must be a non-negative real number; got {_describe(rate)}")
    if isinstance(rate, np.ndarray):
        if rate.ndim != 0:
            raise TypeError(f"{name} must be a single number, not an array; got {_describe(rate)}")
        if not np.issubdtype(rate.dtype, np.number) or np.iscomplexobj(rate):
            raise TypeError(f"{name} must be a non-negative real number; got {_describe(rate)}")
    value = float(rate)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {name}={value}")
    if value < 0:
        raise ValueError(f"{name} must be >= 0 (any non-negative number); got {name}={value:g}")
    if warn_zero and value == 0:
        warn_zero_rate(name)
    return value


def warn_zero_rate(name: str = "rate") -> None:
    """Warn that a zero rate means no regularization at all."""
    warnings.warn(
        f"{name}=0 means no regularization: the fit is plain least squares / maximum likelihood "
        "and may not be unique",
        RuntimeWarning,
        stacklevel=3,
    )


def check_fraction(value, name: str) -> float:
    """Return ``value`` as a float in [0, 1], or raise naming ``name``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number between 0 and 1; got {_describe(value)}")
    value = float(value)
    if not (0.0 <= value <= 1.0):
        raise ValueError(f"{name} must be between 0 and 1; got {name}={value:g}")
    return value


def check_positive_int(value, name: str, *, minimum: int = 1) -> int:
    """Return ``value`` as an int ``>= minimum``, or raise naming ``name``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}; got {_describe(value)}")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {name}={value}")
    return value


def check_positive_float(value, name: str) -> float:
    """Return ``value`` as a finite float ``> 0``, or raise naming ``name``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive real number; got {_describe(value)}")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0; got {name}={value}")
    return value


def check_bool(value, name: str) -> bool:
    """Return ``value`` if it is a bool, or raise naming ``name``."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {_describe(value)}")
    return bool(value)


def check_real(value, name: str) -> float:
    """Return ``value`` as a finite float of any sign (an intercept, a starting ``b0``), or raise naming ``name``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.floating)):
        raise TypeError(f"{name} must be a single real number; got {_describe(value)}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {name}={value}")
    return value


def check_rates(rates, name: str = "rates", *, descending: bool = False) -> np.ndarray:
    """Return a vector of rates (finite, ``>= 0`` and, if asked, non-increasing), or raise naming ``name``."""
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


def check_interval(value, name: str) -> tuple[float, float]:
    """Return ``(low, high)``, two finite numbers with ``low < high``, or raise naming ``name``."""
    try:
        lo, hi = value
        lo, hi = float(lo), float(hi)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a pair (low, high) of numbers; got {_describe(value)}"
        ) from None
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"{name} must be a finite pair with low < high; got {name}=({lo:g}, {hi:g})")
    return lo, hi

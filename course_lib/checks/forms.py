"""Problems of *form* shared by all tasks: None, lists, wrong shapes, NaN, (b, w) for (w, b).

``_array_form``, ``_scalar_form`` and ``_fit_form`` turn an answer into the plain form it is
compared in (a float array, a float, a ``(w, b)`` pair) or return the :class:`Problem` that
stops it; ``_normalize`` does the same for reference values.
"""

from __future__ import annotations

import numbers

import numpy as np

from .display import _describe
from .records import Problem

__all__ = ["returned_none", "returned_list", "scalar_for_array", "array_for_scalar", "wrong_shape",
           "not_finite"]


def returned_none() -> Problem:
    return Problem(
        "your function returned None",
        "Your function returns nothing: did you forget the `return` line?",
    )


def returned_list(kind: str = "list", values_ok: bool = False) -> Problem:
    extra = " (the values themselves are right)" if values_ok else ""
    return Problem(
        f"returned a {kind} instead of a numpy array{extra}",
        f"Return a numpy array, not a Python {kind}: compute with numpy operations on arrays, "
        "or wrap the result in np.array(...).",
    )


def scalar_for_array(expected_shape) -> Problem:
    return Problem(
        "returned a single number where an array was expected",
        f"The answer should be an array of shape {tuple(expected_shape)}, one entry per weight: "
        "did you sum (np.sum) or take a norm where the formula works entry by entry?",
    )


def array_for_scalar(shape, hint: str | None = None) -> Problem:
    if int(np.prod(shape)) == 1:
        return Problem(
            f"returned an array of shape {tuple(shape)} instead of a single number",
            hint or "Return a plain number: e.g. float(...), or avoid keepdims/reshape on the result.",
        )
    return Problem(
        f"returned an array of shape {tuple(shape)} where a single number was expected",
        hint or "The answer is one number: did you forget to sum over the entries (np.sum)?",
    )


def wrong_shape(got_shape, expected_shape) -> Problem:
    got_shape, expected_shape = tuple(got_shape), tuple(expected_shape)
    if len(expected_shape) == 1 and got_shape in ((expected_shape[0], 1), (1, expected_shape[0])):
        return Problem(
            f"returned shape {got_shape} instead of {expected_shape}",
            f"Your array is a {'column' if got_shape[1] == 1 else 'row'} vector of shape {got_shape}; "
            f"return a flat array of shape {expected_shape} (e.g. `.ravel()`, or avoid reshaping "
            "with [:, None] / keepdims).",
        )
    if len(got_shape) == 2 and len(expected_shape) == 1 and expected_shape[0] in got_shape:
        return Problem(
            f"returned shape {got_shape} instead of {expected_shape}",
            "A 1-D array combined with a column vector broadcasts into a matrix: keep every vector 1-D "
            "(shape (p,)), and check the shapes of the arrays you combine.",
        )
    return Problem(
        f"returned shape {got_shape} instead of {expected_shape}",
        f"The answer should have shape {expected_shape}. Check the shapes along your computation "
        "(print x.shape), e.g. X @ w versus X.T @ r.",
    )


def not_finite(hint: str | None = None) -> Problem:
    return Problem(
        "the result contains NaN or inf",
        hint or "Your result contains NaN or inf: look for a division by zero (e.g. by a rate of 0 "
        "or by |w| where w == 0) or an overflow.",
    )


def _float_array(value):
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return arr


def _array_form(got, expected: np.ndarray, nan_hint: str | None, close) -> Problem | np.ndarray:
    if got is None:
        return returned_none()
    if isinstance(got, (list, tuple)):
        arr = _float_array(got)
        ok = arr is not None and arr.shape == expected.shape and close(arr, expected)
        return returned_list("list" if isinstance(got, list) else "tuple", values_ok=ok)
    if isinstance(got, (bool, np.bool_)):
        return Problem("returned a bool where an array was expected", scalar_for_array(expected.shape).hint)
    if isinstance(got, numbers.Number) or (isinstance(got, np.ndarray) and got.ndim == 0):
        return scalar_for_array(expected.shape)
    if not isinstance(got, np.ndarray):
        return Problem(
            f"returned {_describe(got)} instead of a numpy array",
            f"Return a numpy array of shape {expected.shape}.",
        )
    if got.dtype.kind not in "biuf":
        return Problem(
            f"returned an array of dtype {got.dtype} instead of numbers",
            "Return a float array: check that every step works on numbers.",
        )
    if got.shape != expected.shape:
        return wrong_shape(got.shape, expected.shape)
    got = got.astype(float)
    if not np.all(np.isfinite(got)) and np.all(np.isfinite(expected)):
        return not_finite(nan_hint)
    return got


def _scalar_form(got, expected, nan_hint: str | None, scalar_hint: str | None) -> Problem | float:
    if got is None:
        return returned_none()
    if isinstance(got, (bool, np.bool_)):
        return Problem("returned a bool where a number was expected", "Return the number itself.")
    if isinstance(got, (list, tuple)):
        return Problem(
            f"returned a {type(got).__name__} where a single number was expected",
            scalar_hint or "The answer is one number: did you forget to sum over the entries (np.sum)?",
        )
    if isinstance(got, np.ndarray) and got.ndim > 0:
        return array_for_scalar(got.shape, scalar_hint)
    if not isinstance(got, numbers.Real) and not (isinstance(got, np.ndarray) and got.dtype.kind in "biuf"):
        return Problem(f"returned {_describe(got)} instead of a number", "Return a number (a float).")
    value = float(got)
    if not np.isfinite(value) and np.isfinite(expected):
        return not_finite(nan_hint)
    return value


def _fit_form(got, expected, nan_hint: str | None, close) -> Problem | tuple:
    if got is None:
        return returned_none()
    if isinstance(got, np.ndarray):
        return Problem(
            "returned only an array; a fit is the pair (w, b)",
            "Return both the weights and the intercept: `return w, b`.",
        )
    if not isinstance(got, (tuple, list)):
        return Problem(f"returned {_describe(got)} instead of the pair (w, b)", "End with `return w, b`.")
    if len(got) != 2:
        return Problem(
            f"returned {_describe(got)} instead of the pair (w, b)",
            "Return exactly two things, the weights and the intercept: `return w, b`.",
        )
    w, b = got
    if np.ndim(w) == 0 and np.ndim(b) == 1:
        return Problem("returned (b, w) instead of (w, b)", "The order is weights first: `return w, b`.")
    if isinstance(w, (list, tuple)):
        return Problem("w is a Python list, not a numpy array", "Return w as a numpy array of shape (p,).")
    form_w = _array_form(w, expected[0], nan_hint, close)
    if isinstance(form_w, Problem):
        return Problem(f"for w, {form_w.summary.removeprefix('your function ')}", form_w.hint)
    if isinstance(b, np.ndarray) and b.ndim > 0:
        return Problem(
            f"b is an array of shape {b.shape}, not a single number",
            "The intercept is one number: e.g. `b = float(...)`, or compute it from 1-D arrays.",
        )
    form_b = _scalar_form(b, expected[1], nan_hint, None)
    if isinstance(form_b, Problem):
        return Problem(f"for b, {form_b.summary.removeprefix('your function ')}", form_b.hint)
    return (form_w, form_b)


def _normalize(value):
    """Reference-side values in plain form: Fit -> (w, b) tuple of (float array, float)."""
    if isinstance(value, tuple) and len(value) == 2 and np.ndim(value[1]) == 0 and np.ndim(value[0]) >= 1:
        return (np.asarray(value[0], dtype=float), float(value[1]))
    if isinstance(value, np.ndarray):
        return value.astype(float) if value.dtype.kind in "biuf" else value
    if isinstance(value, (numbers.Real, np.floating)) and not isinstance(value, (bool, np.bool_)):
        return float(value)
    return value


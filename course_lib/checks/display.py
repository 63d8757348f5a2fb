"""Values shown to the learner: short, deterministic text (no addresses, no timings)."""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["format_value"]


_PRINT = dict(
    precision=4, threshold=12, edgeitems=3, linewidth=1000, suppress=True, nanstr="nan",
    infstr="inf", sign="-", floatmode="maxprec", legacy=False,
)


def _format_array(arr: np.ndarray, precision: int) -> str:
    if arr.ndim >= 2 and arr.size > 12:
        return f"array of shape {arr.shape}"
    options = dict(_PRINT, precision=precision)
    with np.printoptions(**options):
        text = np.array2string(arr, separator=" ")
    return " ".join(text.split())


def format_value(value, precision: int = 4) -> str:
    """Short, deterministic text for a value shown to the learner."""
    if value is None or isinstance(value, (bool, np.bool_, str)):
        return repr(value)
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(format_value(v, precision) for v in sorted(value, key=repr)) + "}"
    if isinstance(value, tuple) and len(value) == 2 and _is_fit_like(value):
        return f"w = {format_value(value[0], precision)}, b = {format_value(value[1], precision)}"
    if isinstance(value, (list, tuple)):
        kind = "list" if isinstance(value, list) else "tuple"
        inner = ", ".join(format_value(v, precision) for v in value[:8])
        more = ", ..." if len(value) > 8 else ""
        return f"{kind} [{inner}{more}]"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return f"{float(value):.{precision + 2}g}"
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return format_value(value.item(), precision)
        if value.dtype.kind in "biuf":
            return _format_array(value, precision)
        return f"array of shape {value.shape} and dtype {value.dtype}"
    text = f"{type(value).__name__} object"
    return text


def _is_fit_like(value) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and np.ndim(value[0]) == 1 and np.ndim(value[1]) == 0


def _format_pair(expected, got) -> tuple[str, str]:
    """Format expected and got, with more digits when the short forms look identical."""
    for precision in (4, 8, 12):
        e, g = format_value(expected, precision), format_value(got, precision)
        if e != g:
            return e, g
    return e, g


def _describe(value) -> str:
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, list):
        return f"a list of length {len(value)}"
    if isinstance(value, tuple):
        return f"a tuple of length {len(value)}"
    if isinstance(value, (bool, np.bool_)):
        return f"the bool {value}"
    if isinstance(value, numbers.Real):
        return "a single number"
    return f"a {type(value).__name__}"


"""How answers are compared with the reference: :func:`allclose`."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

__all__ = ["allclose"]


def allclose(rtol: float = 1e-7, atol: float = 1e-12, joint: bool = False) -> Callable[[Any, Any], bool]:
    """Comparison ``|got − expected| <= atol + rtol · max|expected|`` entry-wise.

    Works on numbers, arrays (shapes must match) and ``(w, b)`` pairs: each part is compared
    on its own scale, or on the scale of the largest entry of both parts if ``joint``.
    Scaling ``rtol`` by the largest expected entry suits solver output, whose small entries
    carry the absolute error of the large ones.
    """

    def close(got, expected, scale=None) -> bool:
        if isinstance(expected, tuple):
            if joint and scale is None:
                scale = max(float(np.max(np.abs(np.asarray(e, dtype=float)), initial=0.0)) for e in expected)
            return (
                isinstance(got, tuple)
                and len(got) == len(expected)
                and all(close(g, e, scale) for g, e in zip(got, expected))
            )
        try:
            g = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return False
        e = np.asarray(expected, dtype=float)
        if g.shape != e.shape:
            return False
        if e.size == 0:
            return True
        if not np.all(np.isfinite(g)):
            return bool(np.array_equal(g, e, equal_nan=True))
        if scale is None:
            scale = float(np.max(np.abs(e)))
        return bool(np.all(np.abs(g - e) <= atol + rtol * scale))

    close.rtol = rtol
    close.atol = atol
    return close


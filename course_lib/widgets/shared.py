"""Small pieces that several lesson widgets share: the error they report, a cache of fits, feature names."""

from __future__ import annotations

from collections import OrderedDict


def mse(y, y_pred) -> float:
    """Mean squared error ``mean((y − ŷ)²)`` (no 1/2: this is the error we report)."""
    r = y - y_pred
    return float(r @ r) / r.shape[0]


class LRUCache(OrderedDict):
    """A small least-recently-used cache (fits keyed by their settings)."""

    def __init__(self, size):
        super().__init__()
        self.size = size

    def put(self, key, value):
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)
        return value


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_label(var, k):
    """``var`` raised to ``k`` as figure text: ``t``, ``t²``, ``x1³`` ('' for k = 0)."""
    return "" if k == 0 else (var if k == 1 else var + str(k).translate(_SUPERSCRIPT))

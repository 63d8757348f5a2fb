"""Ready-made recognisable mistakes: a factor 1/2, a sign, a sum for a mean, a known variant.

Each returns a :class:`~course_lib.checks.records.Mistake` whose test says whether an answer
is what that mistake produces on a case (see :mod:`course_lib.checks.framework`).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .answers import copy_value as _copy
from .forms import _normalize
from .records import Case, Mistake

__all__ = ["arg", "n_samples", "scaled", "missing_half", "doubled_half", "sign_flip", "sum_not_mean",
           "mean_not_sum", "sign_zero_as_one", "matches"]


def arg(which: int | str) -> Callable[[Case], Any]:
    """Selector of a case's positional (int) or keyword (str) argument."""
    if isinstance(which, str):
        return lambda case: case.kwargs[which]
    return lambda case: case.args[which]


def n_samples(case: Case) -> int:
    """Number of rows of the case's first argument (the data matrix ``X``)."""
    return int(np.shape(case.args[0])[0])


def _times(value, factor):
    if isinstance(value, tuple):
        return tuple(_times(v, factor) for v in value)
    return np.asarray(value, dtype=float) * factor


def scaled(factor, summary: str, hint: str) -> Mistake:
    """The answer is ``factor × expected``; ``factor`` is a number or ``factor(case)``."""

    def test(case, expected, got, close):
        f = factor(case) if callable(factor) else factor
        return close(got, _times(expected, f))

    return Mistake(summary, hint, test)


def missing_half(hint: str | None = None) -> Mistake:
    """The answer is twice the expected one: a factor 1/2 was dropped (or a 2 not cancelled)."""
    return scaled(
        2.0,
        "the factor 1/2 is missing (your result is twice the expected value)",
        hint or "Your result is exactly twice the expected value: check where the 1/2 of the formula goes.",
    )


def doubled_half(hint: str | None = None) -> Mistake:
    """The answer is half the expected one: a factor 1/2 too many."""
    return scaled(
        0.5,
        "there is a factor 1/2 too many (your result is half the expected value)",
        hint or "Your result is exactly half the expected value: is there a 1/2 the formula does not have?",
    )


def sign_flip(hint: str | None = None) -> Mistake:
    """The answer is ``−expected``."""
    return scaled(
        -1.0,
        "a sign error (your result is minus the expected value)",
        hint or "Your result has the right size but the opposite sign: check the signs in your formula.",
    )


def sum_not_mean(n: Callable[[Case], int] = n_samples, hint: str | None = None) -> Mistake:
    """The answer is ``n × expected``: a sum where the formula has a mean (``n`` from the case)."""
    return scaled(
        n,
        "a sum where the formula has a mean (your result is n times too large)",
        hint or "Your result is n times the expected one: the formula averages over the samples (1/n), "
        "it does not sum.",
    )


def mean_not_sum(count: Callable[[Case], int], hint: str | None = None) -> Mistake:
    """The answer is ``expected / count``: a mean where the formula has a sum."""
    return scaled(
        lambda case: 1.0 / count(case),
        "a mean where the formula has a sum",
        hint or "Your result is the expected one divided by the number of terms: the formula sums, "
        "it does not average (np.sum, not np.mean).",
    )


def sign_zero_as_one(w: Callable[[Case], Any] = arg(0), rate: Callable[[Case], Any] = arg(1),
                     hint: str | None = None) -> Mistake:
    """Right except where ``w == 0``, where it is off by ``±rate``: ``sign(0)`` taken as ±1."""

    def test(case, expected, got, close):
        w0 = np.asarray(w(case), dtype=float)
        r = float(rate(case))
        zero = w0 == 0
        g, e = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
        if r == 0 or not zero.any() or g.shape != e.shape:
            return False
        return close(g[~zero], e[~zero]) and bool(np.allclose(np.abs(g[zero] - e[zero]), r))

    return Mistake(
        "sign(0) was taken as ±1 (your result is wrong only where w == 0)",
        hint or "Your result is wrong only where w_j == 0. There the subgradient we return is 0: "
        "np.sign(0) is 0, but comparisons like np.where(w >= 0, 1, -1) give 1.",
        test,
    )


def matches(variant: Callable, summary: str, hint: str) -> Mistake:
    """The answer equals ``variant(*case.args, **case.kwargs)``: a known wrong formula."""

    def test(case, expected, got, close):
        other = _normalize(variant(*_copy(case.args), **_copy(case.kwargs)))
        if close(other, expected):  # the variant coincides with the reference here: not evidence
            return False
        return close(got, other)

    return Mistake(summary, hint, test)


"""The records that cross the checks' interface: cases, verdicts, problems, mistakes.

A :class:`Case` is one input an answer is tried on; a :class:`Verdict` is the outcome of
checking an answer.  :class:`Problem` (a wrong *form*: None, a list, a wrong shape),
:class:`Mistake` (a recognisable wrong value) and :class:`Requirement` (an extra condition
on a right value) are what tasks are declared with.  :class:`InputMutated` and
:class:`LearnerError` stand in for results that are not values.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Callable

__all__ = ["NOT_ATTEMPTED", "Case", "Verdict", "InputMutated", "LearnerError", "Problem", "Mistake",
           "Requirement"]

NOT_ATTEMPTED = "replace `raise NotImplementedError()` with your code, then run the cell again"


@dataclass(frozen=True)
class Case:
    """One input on which an answer is tried.

    ``label`` is public text ("mixed-sign weights, rate=0.5"); ``args``/``kwargs`` hold
    numpy float arrays, Python floats, ints, bools or strings only.
    """

    label: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking an answer.

    ``status`` is ``"pass"``, ``"fail"``, ``"not attempted"`` or ``"error"``.  ``summary`` is
    one line without hidden inputs or reference values; ``details`` may show the failing
    case's input, the expected and the obtained values.  ``reason`` is what went wrong without
    the case ("looks like the factor 1/2 is missing", "raised TypeError"): the same text for
    every learner who made that mistake, which the grader's report counts.
    """

    passed: bool
    status: str
    summary: str
    hint: str | None = None
    details: str = ""
    reason: str = ""


class InputMutated(Exception):
    """Stands in for a result when the learner's function changed one of its inputs in place."""

    def __init__(self, argument: str):
        super().__init__(f"the function changed its input `{argument}` in place")
        self.argument = argument


class LearnerError(Exception):
    """An exception raised by learner code elsewhere (e.g. in a kernel), kept by type name and message."""

    def __init__(self, type_name: str, message: str = ""):
        super().__init__(message)
        self.type_name = type_name


@dataclass(frozen=True)
class Problem:
    """Something wrong with the *form* of an answer (None, a list, a wrong shape, NaN, ...)."""

    summary: str
    hint: str


@dataclass(frozen=True)
class Mistake:
    """A recognisable wrong answer.

    ``test(case, expected, got, close)`` returns True when ``got`` (already normalised to the
    task's output form) is what this mistake produces on ``case``; ``close`` is the task's
    comparison.  ``summary`` completes "looks like ..."; ``hint`` tells how to fix it.
    """

    summary: str
    hint: str
    test: Callable[..., bool]

    def explains(self, case: Case, expected, got, close) -> bool:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return bool(self.test(case, expected, got, close))
        except Exception:  # a variant that cannot be computed on this case explains nothing
            return False


@dataclass(frozen=True)
class Requirement:
    """An extra condition a correct answer must meet: ``test(case, expected, got) -> True when met``."""

    summary: str
    hint: str
    test: Callable[..., bool]


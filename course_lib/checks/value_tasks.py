"""Tasks without a function to call: a value, a prediction, a written answer."""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from .answers import copy_value as _copy
from .compare import allclose
from .display import _describe, format_value
from .forms import _array_form, _normalize, _scalar_form
from .records import Case, Problem, Verdict
from .tasks import Task

__all__ = ["ValueTask", "PredictionTask", "WrittenTask"]


def _as_index_set(value):
    """A set of ints from a set/list/tuple/array of integral numbers, or a Problem."""
    if isinstance(value, np.ndarray) and value.dtype == bool:
        return Problem(
            "gave a boolean mask instead of a set of feature indices",
            "Give the indices of the features, e.g. set(np.flatnonzero(mask)).",
        )
    if isinstance(value, (numbers.Integral,)) and not isinstance(value, (bool, np.bool_)):
        value = [value]
    if isinstance(value, np.ndarray):
        value = value.ravel().tolist()
    if not isinstance(value, (set, frozenset, list, tuple)):
        return Problem(f"gave {_describe(value)} instead of a set of indices",
                       "Give a set of integer indices, e.g. {0, 3}.")
    out = set()
    for v in value:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real) or float(v) != int(v):
            return Problem(
                "the answer contains something that is not an integer index",
                "Give integer feature indices (counting from 0), e.g. {0, 3}.",
            )
        out.add(int(v))
    return out


class ValueTask(Task):
    """A value the learner reads off a result, compared with ``expected()``.

    Parameters
    ----------
    expected : callable
        ``expected() -> value`` computed with course_lib (a set of ints, a number, a bool, a
        string or an array); its type decides how answers are compared.
    tolerance : float
        Relative tolerance for numbers and arrays (absolute floor 1e-12).
    hint : callable, optional
        ``hint(got, expected) -> str | None`` for recognisable wrong answers (``got``
        normalised: a set of ints, a float, ...).
    reveal : bool
        Whether a wrong answer's feedback may show the expected value (default False).
    """

    kind = "value"

    def __init__(self, name, exercise, *, expected, tolerance=1e-6, points=1, description="", hint=None,
                 reveal=False, symbol=None):
        super().__init__(name, exercise, points=points, description=description, symbol=symbol)
        self._expected_fn = expected
        self.tolerance = float(tolerance)
        self.hint_fn = hint
        self.reveal = reveal
        self._value = None

    def cases(self, rng=None) -> list[Case]:
        return [Case("answer")]

    def expected(self, case: Case | None = None):
        if self._value is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self._value = _normalize(self._expected_fn())
        return _copy(self._value)

    def _form(self, got, expected):
        if isinstance(expected, (set, frozenset)):
            return _as_index_set(got)
        if isinstance(expected, (bool, np.bool_)):
            if not isinstance(got, (bool, np.bool_)):
                return Problem(f"gave {_describe(got)} instead of True or False", "Answer True or False.")
            return bool(got)
        if isinstance(expected, str):
            if not isinstance(got, str):
                return Problem(f"gave {_describe(got)} instead of a string", "Answer with a string.")
            return got.strip()
        if isinstance(expected, np.ndarray):
            return _array_form(got, expected, None, allclose(self.tolerance, 1e-12))
        return _scalar_form(got, expected, None, None)

    def _equal(self, got, expected) -> bool:
        if isinstance(expected, str):
            return got.casefold() == expected.casefold()
        if isinstance(expected, (set, frozenset, bool)):
            return got == expected
        if isinstance(expected, np.ndarray):
            return allclose(self.tolerance, 1e-12)(got, expected)
        return abs(got - expected) <= 1e-12 + self.tolerance * abs(expected)

    def judge_case(self, case: Case, got) -> Verdict:
        if got is Ellipsis or got is None:
            return self._not_attempted()
        if isinstance(got, BaseException):
            return self.judge([(case, got)])
        expected = self.expected()
        value = self._form(got, expected)
        if isinstance(value, Problem):
            summary = value.summary
            if summary.startswith(("gave ", "returned ")):
                summary = "you gave " + summary.split(" ", 1)[1]
            return Verdict(False, "fail", summary, value.hint, f"  your answer: {format_value(got)}")
        if self._equal(value, expected):
            if isinstance(expected, (set, frozenset)):
                how = "the exact set"
            elif isinstance(expected, (float, np.ndarray)) and self.tolerance > 0:
                how = f"within a relative tolerance of {self.tolerance:g}"
            else:
                how = "exactly"
            return Verdict(True, "pass", f"correct answer ({how})", None, "")
        hint = None
        if self.hint_fn is not None:
            try:
                hint = self.hint_fn(value, expected)
            except Exception:
                hint = None
        details = f"  your answer: {format_value(value)}"
        if self.reveal:
            details += f"\n  expected:    {format_value(expected)}"
        hint = hint or _RECHECK
        return Verdict(False, "fail", "not the expected answer", hint, details)

    def _judge_values(self, results) -> Verdict:
        return self.judge_case(*results[0])

    def run(self, answer) -> Verdict:
        if answer is Ellipsis or answer is None:
            return self._not_attempted()
        if callable(answer) and not isinstance(answer, np.ndarray):
            return Verdict(False, "fail", "gave a function instead of a value",
                           "This task wants the value itself (the result), not a function.", "")
        return self.judge([(self.cases()[0], answer)])

    def _not_attempted(self) -> Verdict:
        return Verdict(False, "not attempted", "not yet attempted",
                       f"Below `# YOUR CODE HERE`, write code that sets `{self.symbol}` to your answer "
                       "(in place of `...`), then run the cell again.", "")


_RECHECK = "Recheck how you computed it."
_SEE_BELOW = "Keep your answer, run the cells below and see what happens: then you know why."


class PredictionTask(ValueTask):
    """A prediction the learner commits to *before* the experiment that reveals the answer.

    Its name starts with ``predict_``; the notebook asks the question, lists the choices, and has
    ``check("predict_<name>", answer)`` in a cell above the plot or widget that shows what happens.

    Parameters
    ----------
    answer : str, number or callable
        The right choice (one of ``choices``), or for a numeric prediction the value (or a
        callable computing it with course_lib) compared within ``tolerance``.
    choices : dict of str to str, optional
        Every allowed answer -> why it is right or wrong.  A wrong choice's text is the hint the
        learner reads; the right one's is shown with the PASS.  Compared case-insensitively.
    explanation : str
        For a numeric prediction: what the experiment shows, printed with the PASS.
    tolerance : float
        Relative tolerance of a numeric prediction.
    hint : callable, optional
        For a numeric prediction, ``hint(got, expected) -> str | None``.
    """

    def __init__(self, name, exercise, *, answer, choices=None, explanation="", tolerance=0.1, points=1,
                 description="", hint=None, symbol=None):
        if not name.startswith("predict_"):
            raise ValueError(f"a prediction task's name starts with 'predict_'; got name={name!r}")
        if choices is not None:
            if not isinstance(answer, str) or not choices or not all(isinstance(k, str) for k in choices):
                raise TypeError("choices must map each allowed answer (a str) to its explanation, "
                                f"and answer must be one of them; got answer={answer!r}")
            self.choices = {key.strip().casefold(): (key, text) for key, text in choices.items()}
            if answer.strip().casefold() not in self.choices:
                raise ValueError(f"answer must be one of the choices {list(choices)}; got answer={answer!r}")
            explanation = choices[answer]
            expected = (lambda: answer)
        else:
            self.choices = None
            expected = answer if callable(answer) else (lambda: answer)
        super().__init__(name, exercise, expected=expected, tolerance=tolerance, points=points,
                         description=description, hint=hint, symbol=symbol)
        self.explanation = explanation

    def _choice_list(self) -> str:
        return ", ".join(repr(key) for key, _ in self.choices.values())

    def judge_case(self, case: Case, got) -> Verdict:
        if self.choices is None or got is Ellipsis or got is None or isinstance(got, BaseException):
            verdict = super().judge_case(case, got)
            if verdict.passed:
                summary = "your prediction is right" + (f". {self.explanation}" if self.explanation else "")
                return Verdict(True, "pass", summary, None, "")
            if verdict.status == "fail" and verdict.summary == "not the expected answer":
                hint = verdict.hint if self.hint_fn is not None and verdict.hint != _RECHECK else _SEE_BELOW
                return Verdict(False, "fail", "your prediction is not what happens", hint, verdict.details)
            return verdict
        if not isinstance(got, str) or got.strip().casefold() not in self.choices:
            return Verdict(False, "fail", f"your answer {format_value(got)} is not one of the choices",
                           f"Answer with one of the choices, as a string: {self._choice_list()}.",
                           f"  your answer: {format_value(got)}")
        key, text = self.choices[got.strip().casefold()]
        if key.strip().casefold() == str(self.expected()).strip().casefold():
            return Verdict(True, "pass", f"your prediction is right. {text}", None, "")
        return Verdict(False, "fail", f"your prediction {key!r} is not what happens", text,
                       f"  your answer: {format_value(key)}")


class WrittenTask(Task):
    """A written answer in a Markdown cell, graded by hand (nbgrader's manual grading, or the instructor).

    The solution notebook's answer cell (nbgrader ``grade_id`` = the task name, ``solution`` and
    ``grade`` true, ``points``) holds a model answer and the rubric; the learner version shows
    ``YOUR ANSWER HERE``.  ``check`` cannot judge prose: it says so.
    """

    kind = "written"

    def cases(self, rng=None) -> list[Case]:
        return []

    def expected(self, case: Case | None = None):
        return None

    def judge_case(self, case: Case, got) -> Verdict:
        return self.run(got)

    def judge(self, results) -> Verdict:
        return self.run(None)

    def run(self, answer=None) -> Verdict:
        return Verdict(False, "manual", "a written answer, graded by hand",
                       f"Your instructor grades it ({self.points} point{'s' * (self.points != 1)}).", "")


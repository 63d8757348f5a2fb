"""The task interface the learner's ``check`` and the grader share, and the hints for exceptions.

:class:`Task` is the base of every task kind (:mod:`~course_lib.checks.function_task`,
:mod:`~course_lib.checks.value_tasks`): ``cases(rng=None)``, ``expected(case)``,
``judge_case(case, got)``, ``judge(results)`` and ``run(answer)``.
"""

from __future__ import annotations

import hashlib
from typing import Any, Sequence

import numpy as np

from .answers import argument_names as _argument_names
from .display import format_value
from .records import NOT_ATTEMPTED, Case, InputMutated, Verdict

__all__ = ["Task"]


def _case_key(case: Case) -> str:
    digest = hashlib.sha1(case.label.encode())

    def feed(value):
        if isinstance(value, np.ndarray):
            digest.update(str((value.shape, value.dtype.str)).encode())
            digest.update(np.ascontiguousarray(value).tobytes())
        elif isinstance(value, (tuple, list)):
            for v in value:
                feed(v)
        elif isinstance(value, dict):
            for k in sorted(value):
                digest.update(k.encode())
                feed(value[k])
        else:
            digest.update(repr(value).encode())

    feed(case.args)
    feed(case.kwargs)
    return digest.hexdigest()


def _format_inputs(case: Case, names: Sequence[str]) -> str:
    parts = [f"{name} = {format_value(v)}" for name, v in zip(names, case.args)]
    parts += [f"{k} = {format_value(v)}" for k, v in case.kwargs.items()]
    return ", ".join(parts)


_EXCEPTION_HINTS = [
    ("NameError", None, "A name is not defined: run the setup cell at the top, and use only your "
     "function's arguments (and numpy) inside it."),
    ("ZeroDivisionError", None, "Division by zero: which input can be 0 here (a rate, a weight, a column)?"),
    ("ValueError", "matmul", "The shapes do not fit together in a matrix product: X has shape (n, p), "
     "w has shape (p,), X @ w has shape (n,), X.T @ r has shape (p,)."),
    ("ValueError", "broadcast", "Two arrays of incompatible shapes were combined: print their shapes."),
    ("ValueError", "truth value", "An array was used in an `if`: use numpy functions that work entry by "
     "entry (np.where, np.maximum, np.sign) instead of if/else on arrays."),
    ("TypeError", "can't multiply sequence", "A Python list was used in arithmetic: work with numpy arrays."),
    ("TypeError", "unsupported operand", "An operation got a value of the wrong type (None? a list?): "
     "check every intermediate result."),
    ("IndexError", None, "An index is out of range: arrays are indexed from 0 to len - 1, and X[:, j] "
     "is column j."),
    ("LinAlgError", None, "A linear system was singular: with rate = 0 and more features than samples "
     "the solution is not unique; otherwise check the matrix you solve with."),
]


def _exception_hint(type_name: str, message: str, signature: str | None) -> str | None:
    if type_name == "TypeError" and ("positional argument" in message or "keyword argument" in message):
        if signature:
            return f"Your function must accept the arguments of `{signature}`."
        return "Your function does not accept the arguments it is called with: check its parameters."
    for name, needle, hint in _EXCEPTION_HINTS:
        if name == type_name and (needle is None or needle in message):
            return hint
    return None


class Task:
    """Base class: one thing an exercise asks for (see the module docstring).

    Subclasses define :meth:`cases`, :meth:`expected` and :meth:`judge_case`; :meth:`judge`
    turns per-case results into one :class:`Verdict`, :meth:`run` calls an answer in-process.
    """

    kind = "function"

    def __init__(self, name: str, exercise: str, *, points: int, description: str, symbol: str | None = None):
        if not name.isidentifier():
            raise ValueError(f"task name must be a Python identifier; got name={name!r}")
        if not isinstance(points, int) or points < 0:
            raise ValueError(f"points must be an int >= 0; got points={points!r}")
        self.name = name
        self.exercise = exercise
        self.points = points
        self.description = description
        self.symbol = symbol or name

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.name!r}, {self.exercise!r}, kind={self.kind!r}, "
                f"points={self.points})")

    # -- interface ---------------------------------------------------------
    def cases(self, rng=None) -> list[Case]:  # pragma: no cover - interface
        """The public cases (``rng`` None: what the learner's check uses), or the same kinds of
        case with other numbers drawn from the ``numpy.random.Generator`` ``rng`` (grading)."""
        raise NotImplementedError

    def expected(self, case: Case):  # pragma: no cover - interface
        raise NotImplementedError

    def judge_case(self, case: Case, got) -> Verdict:  # pragma: no cover - interface
        raise NotImplementedError

    def judge(self, results: Sequence[tuple[Case, Any]]) -> Verdict:
        """One verdict from ``[(case, got or exception), ...]``."""
        if not results:
            return Verdict(False, "error", "no result to judge", None, "")
        for case, got in results:
            if isinstance(got, NotImplementedError) or got is Ellipsis:
                return self._not_attempted()
        for case, got in results:
            if isinstance(got, BaseException) and not isinstance(got, InputMutated):
                return self._error(case, got)
        return self._judge_values(results)

    # -- helpers for subclasses ---------------------------------------------
    def _judge_values(self, results) -> Verdict:
        verdicts = [(case, got, self.judge_case(case, got)) for case, got in results]
        for case, got, verdict in verdicts:
            if not verdict.passed:
                return verdict
        return self._pass([case for case, _ in results])

    def _pass(self, cases: Sequence[Case]) -> Verdict:
        labels = "; ".join(c.label for c in cases)
        count = len(cases)
        return Verdict(True, "pass", f"passed {count} case{'s' if count != 1 else ''}: {labels}", None, "")

    def _not_attempted(self) -> Verdict:
        hint = f"{NOT_ATTEMPTED[0].upper()}{NOT_ATTEMPTED[1:]}."
        return Verdict(False, "not attempted", "not yet attempted", hint, "", "not yet attempted")

    def _input_names(self) -> list[str]:
        return []

    def _error(self, case: Case, exc: BaseException) -> Verdict:
        type_name = getattr(exc, "type_name", type(exc).__name__)
        message = str(exc)
        summary = f"your function raised {type_name} on case '{case.label}'"
        details = f"  case:   {case.label}\n"
        if self.kind == "function":
            details += f"  input:  {_format_inputs(case, self._input_names())}\n"
        details += f"  error:  {type_name}: {message}" if message else f"  error:  {type_name}"
        if self.kind == "function":
            details += "\n" + self._rerun_line(case)
        hint = None
        for name, needle, task_hint in getattr(self, "error_hints", ()):
            if name == type_name and (needle is None or needle in message):
                hint = task_hint
                break
        hint = hint or _exception_hint(type_name, message, getattr(self, "signature", None))
        return Verdict(False, "error", summary, hint, details, f"raised {type_name}")

    def run(self, answer) -> Verdict:  # pragma: no cover - defined by subclasses
        raise NotImplementedError



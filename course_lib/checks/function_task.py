"""Function tasks: the learner writes a function, compared with a reference on seeded cases."""

from __future__ import annotations

import inspect
import warnings
from typing import Any

import numpy as np

from .answers import call_answer, copy_value as _copy, is_stub as _is_stub
from .compare import allclose
from .display import _describe, _format_pair
from .forms import _array_form, _fit_form, _normalize, _scalar_form
from .records import Case, InputMutated, Problem, Verdict
from .tasks import Task, _argument_names, _case_key, _format_inputs

__all__ = ["FunctionTask", "takes_rng"]


def takes_rng(cases_fn) -> bool:
    """Whether a case generator accepts ``rng`` (the grader's per-run random generator)."""
    try:
        parameters = inspect.signature(cases_fn).parameters
    except (TypeError, ValueError):
        return False
    return "rng" in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())


class FunctionTask(Task):
    """A function the learner writes, compared with a reference on seeded cases.

    Parameters
    ----------
    name, exercise : str
        Task name (globally unique; the course_lib function's name when it mirrors one) and
        exercise stem ("ex03_l2_ridge").
    reference : callable
        The correct implementation (from ``course_lib`` or a small private function).
    cases : callable
        ``cases(rng=None) -> list[Case]``, simplest first.  Written
        ``rng = np.random.default_rng(SEED) if rng is None else rng``: called with no argument it
        gives the learners' public cases (seeded, deterministic); the grader passes a generator
        seeded per run, so the graded inputs are the same kinds of case with other numbers.
        Hand-made inputs may stay fixed; labels must not depend on ``rng`` (they are shown).
    output : {"array", "scalar", "fit"}
        Form of a correct answer.
    points : int
    description : str
        One line: what the task asks.
    signature : str, optional
        How the learner's function is called, e.g. ``"l2_penalty(w, rate)"``; names the inputs
        in feedback (defaults to the reference's parameter names).
    mistakes : sequence of Mistake
        Recognisable wrong answers, most specific first.
    compare : callable, optional
        ``compare(got, expected) -> bool`` on normalised values; default ``allclose()``.
    requirements : sequence of Requirement
        Extra conditions checked once the values agree.
    nan_hint, scalar_hint : str, optional
        Task-specific hints for a NaN/inf result and for an array where a number was expected.
    shape_problems : sequence of callable
        ``detect(got, expected) -> Problem | None``, tried (on float arrays) when an array answer
        has the wrong shape, before the general shape message; e.g. "the column of ones was
        included".
    error_hints : sequence of (str, str or None, str)
        ``(exception type name, substring of its message or None, hint)``, tried before the
        general hints when the learner's function raises.
    """

    kind = "function"

    def __init__(self, name, exercise, *, reference, cases, output="array", points=1, description="",
                 signature=None, mistakes=(), compare=None, requirements=(), nan_hint=None,
                 scalar_hint=None, shape_problems=(), error_hints=(), symbol=None):
        super().__init__(name, exercise, points=points, description=description, symbol=symbol)
        if output not in ("array", "scalar", "fit"):
            raise ValueError(f"output must be 'array', 'scalar' or 'fit'; got output={output!r}")
        self.reference = reference
        self._cases_fn = cases
        self.output = output
        self.signature = signature
        self.mistakes = list(mistakes)
        self.compare = compare or allclose()
        self.requirements = list(requirements)
        self.nan_hint = nan_hint
        self.scalar_hint = scalar_hint
        self.shape_problems = list(shape_problems)
        self.error_hints = list(error_hints)
        self._cases_cache: list[Case] | None = None
        self._expected_cache: dict[str, Any] = {}

    # -- interface ---------------------------------------------------------
    def cases(self, rng=None) -> list[Case]:
        """The public cases, or with a ``numpy.random.Generator`` ``rng`` the grading cases drawn from it.

        A generator written without ``rng`` gives its public cases either way (the grader
        reports such tasks).
        """
        if rng is not None:
            made = list(self._cases_fn(rng=rng)) if takes_rng(self._cases_fn) else list(self._cases_fn())
            return self._unique(made)
        if self._cases_cache is None:
            self._cases_cache = self._unique(list(self._cases_fn()))
        return [Case(c.label, _copy(c.args), _copy(c.kwargs)) for c in self._cases_cache]

    def _unique(self, cases: list[Case]) -> list[Case]:
        labels = [c.label for c in cases]
        if len(set(labels)) != len(labels):
            raise ValueError(f"task {self.name!r}: case labels must be unique; got {labels}")
        return cases

    def expected(self, case: Case):
        key = _case_key(case)
        if key not in self._expected_cache:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = _normalize(self.reference(*_copy(case.args), **_copy(case.kwargs)))
            self._expected_cache[key] = value
        return _copy(self._expected_cache[key])

    def judge_case(self, case: Case, got) -> Verdict:
        if isinstance(got, BaseException):
            return self.judge([(case, got)])
        problem, value, candidates = self._assess(case, got)
        if problem is None and not candidates:
            return Verdict(True, "pass", f"passed case '{case.label}'", None, "")
        return self._failure(case, got, value, problem, candidates[0] if candidates else None)

    # -- machinery ---------------------------------------------------------
    def _input_names(self) -> list[str]:
        if self.signature and "(" in self.signature:
            inner = self.signature[self.signature.index("(") + 1: self.signature.rindex(")")]
            names = [p.split("=")[0].strip() for p in inner.split(",") if p.strip()]
            names = [n for n in names if n not in ("*", "/")]
            if names:
                return names
        return _argument_names(self.reference, 32)

    def _form(self, got, expected):
        if self.output == "array":
            expected = np.asarray(expected)
            if isinstance(got, np.ndarray) and got.dtype.kind in "biuf" and got.shape != expected.shape:
                for detect in self.shape_problems:
                    try:
                        problem = detect(got.astype(float), expected)
                    except Exception:  # a detector that cannot judge this answer explains nothing
                        problem = None
                    if problem is not None:
                        return problem
            return _array_form(got, expected, self.nan_hint, self.compare)
        if self.output == "scalar":
            return _scalar_form(got, expected, self.nan_hint, self.scalar_hint)
        return _fit_form(got, expected, self.nan_hint, self.compare)

    def _assess(self, case, got):
        """Return ``(problem, normalised got, mistakes)``; all empty/None means a pass."""
        expected = self.expected(case)
        if isinstance(got, InputMutated):
            return (Problem(
                f"your function changed its input `{got.argument}` in place",
                f"Do not modify `{got.argument}`: operations like `{got.argument} -= ...`, "
                f"`{got.argument} *= ...` or `{got.argument}[...] = ...` change the caller's array. "
                f"Work on a copy (`{got.argument} = {got.argument}.copy()`) or build a new array "
                f"(`{got.argument} = {got.argument} - ...`).",
            ), None, [])
        value = self._form(got, expected)
        if isinstance(value, Problem):
            return value, None, []
        if not self.compare(value, expected):
            found = [m for m in self.mistakes if m.explains(case, expected, value, self.compare)]
            return None, value, found or [None]
        for req in self.requirements:
            try:
                ok = bool(req.test(case, expected, value))
            except Exception:
                ok = False
            if not ok:
                return Problem(req.summary, req.hint), value, []
        return None, value, []

    def _failure(self, case, got, value, problem, mistake) -> Verdict:
        expected = self.expected(case)
        if problem is not None:
            summary, hint = problem.summary, problem.hint
        elif mistake is not None:
            summary, hint = f"looks like {mistake.summary}", mistake.hint
        else:
            summary = "wrong values"
            hint = ("The values differ from the expected ones and the difference does not match a "
                    "common mistake: compare your code with the formula above, term by term, on this case.")
        e_text, g_text = _format_pair(expected, value if value is not None else got)
        if isinstance(got, InputMutated):
            g_text = "(your function changed its input in place)"
        details = (
            f"  case:     {case.label}\n"
            f"  input:    {_format_inputs(case, self._input_names())}\n"
            f"  expected: {e_text}\n"
            f"  got:      {g_text}\n"
            f"{self._rerun_line(case)}"
        )
        return Verdict(False, "fail", f"fails on case '{case.label}': {summary}", hint, details, summary)

    def _rerun_line(self, case: Case) -> str:
        labels = [c.label for c in self.cases()]
        index = labels.index(case.label) if case.label in labels else 0
        return (f"  to rerun: from course_lib.checks import get_task; "
                f"case = get_task(\"{self.name}\").cases()[{index}]; "
                f"{self.symbol}(*case.args, **case.kwargs)")

    def _judge_values(self, results) -> Verdict:
        assessed = [(case, got, *self._assess(case, got)) for case, got in results]
        failing = [a for a in assessed if a[2] is not None or a[4]]
        if not failing:
            return self._pass([case for case, _ in results])
        case, got, problem, value, candidates = failing[0]
        mistake = None
        if problem is None:
            value_failures = [a for a in failing if a[2] is None]
            consistent = [m for m in candidates if m is not None
                          and all(m in a[4] for a in value_failures)]
            mistake = consistent[0] if consistent else candidates[0]
        return self._failure(case, got, value, problem, mistake)

    def run(self, answer) -> Verdict:
        """Call ``answer`` on every case in this process and judge the results."""
        if answer is Ellipsis or _is_stub(answer):
            return self._not_attempted()
        if not callable(answer):
            return Verdict(
                False, "fail", f"expected a function, got {_describe(answer)}",
                f"Pass the function itself, without calling it: check(\"{self.name}\", {self.symbol}).",
                "",
            )
        results = [(case, call_answer(answer, case)) for case in self.cases()]
        return self.judge(results)


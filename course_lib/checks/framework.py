r"""The machinery behind ``check("task_name", answer)``: cases, verdicts, tasks, hints.

A *task* is one thing an exercise asks for: a function to write (``kind="function"``) or a
value to read off a result (``kind="value"``).  A function task calls the learner's function
on a handful of seeded cases, compares each result with the ``course_lib`` reference, and
when a case fails it tries to say *which* mistake was made ("looks like the factor 1/2 is
missing") rather than only "wrong".

Adding an exercise
------------------
Create ``course_lib/checks/exNN_topic.py`` holding ``EXERCISE = "NN_topic"`` and
``TASKS = [...]`` (in the order of the notebook).  ``course_lib/checks/__init__.py`` finds the
module by itself.  A typical function task is a few declarative lines::

    import numpy as np
    from course_lib.penalties import l1_penalty
    from .framework import Case, FunctionTask, doubled_half, matches, sign_flip

    EXERCISE = "ex04_l1_lasso"

    def _penalty_cases(rng=None):
        rng = np.random.default_rng(41) if rng is None else rng
        return [
            Case("all-zero weights, rate=0.5", (np.zeros(4), 0.5)),
            Case("mixed-sign weights, rate=0.3", (rng.normal(size=6), 0.3)),
            Case("rate=0", (rng.normal(size=3), 0.0)),
        ]

    TASKS = [
        FunctionTask(
            "l1_penalty", EXERCISE,
            reference=l1_penalty, cases=_penalty_cases, output="scalar", points=1,
            signature="l1_penalty(w, rate)", description="rate · Σ|w_j|",
            mistakes=[
                doubled_half(hint="The L1 penalty has no 1/2: it is rate · Σ|w_j|."),
                matches(lambda w, rate: rate * np.sum(w), "the absolute values are missing",
                        "Take |w_j| (np.abs) before summing: negative weights cost too."),
            ],
        ),
    ]

* ``cases`` is a function ``cases(rng=None)`` returning a list of :class:`Case`; put the
  simplest case first (its failure is the one shown).  Called with no argument it gives the
  learners' public cases (seeded, deterministic); the grader calls it with a generator seeded per
  run, so graded inputs are the same kinds of case with other numbers and answers tabulated from
  the public cases earn nothing.  Draw every random input from ``rng``; hand-made inputs may stay
  fixed.  Case labels are public text: they must not depend on ``rng``.
* ``output`` says what a correct answer looks like: ``"array"`` (a float array of the
  reference's shape), ``"scalar"`` (a number) or ``"fit"`` (``(w, b)``: a tuple, list or
  :class:`~course_lib.fit_result.Fit`).  Lists, column vectors, scalars-for-arrays, ``None``,
  NaN/inf and swapped ``(b, w)`` are caught for every task without writing anything.
* ``mistakes`` are tried, in order, on the failing cases; the first one that explains every
  failing case (or else the first that explains the first failing case) gives the hint.  Ready
  made: :func:`missing_half`, :func:`doubled_half`, :func:`sign_flip`, :func:`sum_not_mean`,
  :func:`mean_not_sum`, :func:`sign_zero_as_one`, :func:`scaled`; for anything else
  :func:`matches` (the answer equals a *variant* of the reference, computed from the same
  inputs) or a :class:`Mistake` with your own test.
* ``compare`` defaults to ``allclose(rtol=1e-7, atol=1e-12)``; iterative answers want a looser
  one.  ``requirements`` are extra conditions (:class:`Requirement`) checked after the values
  agree, e.g. the exact zeros of a lasso solution or its KKT conditions.
* ``shape_problems`` recognise task-specific wrong shapes (an extra column of ones, a transposed
  matrix) and ``error_hints`` task-specific exceptions; ``nan_hint``/``scalar_hint`` replace the
  general hints for NaN results and for arrays where a number was expected.

A value task compares one answer with ``expected()``::

    def _hint(got, expected):
        return "Python counts from 0." if got == {i + 1 for i in expected} else None

    ValueTask("surviving_features", EXERCISE, expected=_surviving, points=1,
              description="indices of the nonzero lasso weights at rate=0.1", hint=_hint)

Sets, numbers (``tolerance`` = relative tolerance), bools, strings and arrays are compared
according to the type of ``expected()``.  The hint function receives the normalised answer.

Every task answers to the interface the grader uses (``cases``, ``expected``,
``judge_case``, ``judge``); :func:`check` runs the learner's answer in-process and prints
the verdict as plain, deterministic text (no timings, colours or addresses), and never
shows the reference implementation.  Under an autograder (nbgrader sets
``NBGRADER_EXECUTION``) a failing or blank check raises :class:`CheckFailed` instead, so its
cell fails; IPython shows only the same friendly text, no traceback.

Where things live: :mod:`~course_lib.checks.records` (cases, verdicts, mistakes),
:mod:`~course_lib.checks.display`, :mod:`~course_lib.checks.compare`,
:mod:`~course_lib.checks.mistakes`, :mod:`~course_lib.checks.forms` (problems of form),
:mod:`~course_lib.checks.answers` (the one answer runner, shared with the grader),
:mod:`~course_lib.checks.tasks`, :mod:`~course_lib.checks.function_task`,
:mod:`~course_lib.checks.value_tasks`.  Every name is importable from here too.
"""

from __future__ import annotations

import dis  # noqa: F401 - these names were importable from here before the split; they still are
import difflib
import hashlib  # noqa: F401
import inspect  # noqa: F401
import numbers  # noqa: F401
import os
import warnings  # noqa: F401
from dataclasses import dataclass, field  # noqa: F401
from typing import Any, Callable, Sequence  # noqa: F401

import numpy as np  # noqa: F401

from .answers import _RUNNER, call_answer
from .answers import argument_names as _argument_names
from .answers import copy_value as _copy
from .answers import is_stub as _is_stub
from .compare import allclose
from .display import _describe, _format_array, _format_pair, _is_fit_like, _PRINT, format_value
from .forms import (
    _array_form,
    _fit_form,
    _float_array,
    _normalize,
    _scalar_form,
    array_for_scalar,
    not_finite,
    returned_list,
    returned_none,
    scalar_for_array,
    wrong_shape,
)
from .function_task import FunctionTask, takes_rng
from .mistakes import (
    _times,
    arg,
    doubled_half,
    matches,
    mean_not_sum,
    missing_half,
    n_samples,
    scaled,
    sign_flip,
    sign_zero_as_one,
    sum_not_mean,
)
from .records import NOT_ATTEMPTED, Case, InputMutated, LearnerError, Mistake, Problem, Requirement, Verdict
from .tasks import _EXCEPTION_HINTS, Task, _case_key, _exception_hint, _format_inputs
from .value_tasks import _RECHECK, _SEE_BELOW, PredictionTask, ValueTask, WrittenTask, _as_index_set

_same = _RUNNER.same

__all__ = [
    "Case",
    "Verdict",
    "Task",
    "FunctionTask",
    "ValueTask",
    "PredictionTask",
    "WrittenTask",
    "Mistake",
    "Requirement",
    "Problem",
    "InputMutated",
    "LearnerError",
    "CheckFailed",
    "allclose",
    "scaled",
    "missing_half",
    "doubled_half",
    "sign_flip",
    "sum_not_mean",
    "mean_not_sum",
    "sign_zero_as_one",
    "matches",
    "arg",
    "n_samples",
    "returned_none",
    "returned_list",
    "scalar_for_array",
    "array_for_scalar",
    "wrong_shape",
    "not_finite",
    "call_answer",
    "takes_rng",
    "format_value",
    "format_verdict",
    "autograded",
    "check",
]


def format_verdict(task: Task, verdict: Verdict) -> str:
    """Plain-text report of a verdict, as :func:`check` prints it."""
    if verdict.status == "pass":
        return f"{task.name}: PASS - {verdict.summary}"
    if verdict.status == "not attempted":
        return f"{task.name}: not yet attempted - {verdict.hint}"
    if verdict.status == "manual":
        return f"{task.name}: {verdict.summary} - {verdict.hint}"
    label = "FAIL" if verdict.status == "fail" else "ERROR"
    lines = [f"{task.name}: {label} - {verdict.summary}"]
    if verdict.details:
        lines.append(verdict.details)
    if verdict.hint:
        lines.append(f"Hint: {verdict.hint}")
    return "\n".join(lines)


class CheckFailed(AssertionError):
    """What :func:`check` raises under an autograder: the cell fails, and IPython shows only ``text``.

    IPython renders an exception that has ``_render_traceback_`` with the lines it returns instead
    of a traceback, so the learner (or the instructor reading nbgrader's feedback) sees the same
    text ``check`` prints in JupyterLab.
    """

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text

    def _render_traceback_(self) -> list[str]:
        return self.text.splitlines()


def autograded() -> bool:
    """Whether this kernel runs under an autograder: then a failing or blank :func:`check` raises.

    nbgrader sets ``NBGRADER_EXECUTION`` to ``autograde`` (``nbgrader autograde``) or ``validate``
    (the Validate button, ``nbgrader validate``) in the environment its kernels inherit; any other
    autograder can set ``COURSE_CHECKS_RAISE=1``.
    """
    mode = os.environ.get("NBGRADER_EXECUTION", "").strip().lower()
    return mode in ("autograde", "validate") or os.environ.get("COURSE_CHECKS_RAISE", "") == "1"


def _report(text: str, passed: bool) -> bool:
    if not passed and autograded():
        raise CheckFailed(text)
    print(text)
    return passed


def check(name, answer=Ellipsis) -> bool:
    """Check an exercise answer and print what was verified, or what went wrong and a hint.

    Parameters
    ----------
    name : str
        The task name, e.g. ``"l2_penalty"``.
    answer : callable or value
        Your function (not called: ``check("l2_penalty", l2_penalty)``) or your value.

    Returns
    -------
    bool
        Whether the answer passed.

    Raises
    ------
    CheckFailed
        Only under an autograder (see :func:`autograded`), when the answer did not pass: its
        message is the text printed otherwise.
    """
    from . import TASKS  # the registry is built by the package, which imports this module

    if not isinstance(name, str):
        return _report("check needs the task name first, then your answer, e.g. check(\"l2_penalty\", l2_penalty).",
                       False)
    if name not in TASKS:
        close = difflib.get_close_matches(name, list(TASKS), n=1)
        guess = f" Did you mean \"{close[0]}\"?" if close else ""
        from . import EXERCISES

        listing = "\n".join(f"  {ex}: {', '.join(names)}" for ex, names in EXERCISES.items())
        return _report(f"Unknown task name \"{name}\".{guess} Valid task names:\n{listing}", False)
    task = TASKS[name]
    verdict = task.run(answer)
    if verdict.status == "manual":  # prose is graded by hand: nothing failed
        print(format_verdict(task, verdict))
        return False
    return _report(format_verdict(task, verdict), verdict.passed)

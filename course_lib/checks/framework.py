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

    def _penalty_cases():
        rng = np.random.default_rng(41)
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

* ``cases`` is a function returning a list of :class:`Case` (seeded, deterministic; put
  the simplest case first: its failure is the one shown).  Case labels are public text.
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
shows the reference implementation.
"""

from __future__ import annotations

import difflib
import dis
import hashlib
import inspect
import numbers
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

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
    "format_value",
    "format_verdict",
    "check",
]

NOT_ATTEMPTED = "replace `raise NotImplementedError()` with your code, then run the cell again"


# ---------------------------------------------------------------------------
# The records crossing the interface
# ---------------------------------------------------------------------------


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
    case's input, the expected and the obtained values.
    """

    passed: bool
    status: str
    summary: str
    hint: str | None = None
    details: str = ""


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


# ---------------------------------------------------------------------------
# Printing values compactly and deterministically
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# Comparisons
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Mistake detectors
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Problems of form, shared by all tasks
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Running an answer
# ---------------------------------------------------------------------------


def _copy(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, tuple):
        return tuple(_copy(v) for v in value)
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True))
    return True


def _argument_names(fn, count: int) -> list[str]:
    try:
        params = [p.name for p in inspect.signature(fn).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        params = []
    return [params[i] if i < len(params) else f"argument {i + 1}" for i in range(count)]


def call_answer(fn: Callable, case: Case):
    """Call the learner's ``fn`` on copies of the case's inputs.

    Returns what ``fn`` returned, or the exception it raised, or an :class:`InputMutated`
    when ``fn`` changed one of its inputs in place.  Warnings raised inside are silenced.
    """
    args, kwargs = _copy(case.args), _copy(case.kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            got = fn(*args, **kwargs)
        except Exception as exc:  # the learner's error is reported, not raised
            return exc
    names = _argument_names(fn, len(args))
    for name, before, after in zip(names, case.args, args):
        if not _same(before, after):
            return InputMutated(name)
    for name in case.kwargs:
        if not _same(case.kwargs[name], kwargs[name]):
            return InputMutated(name)
    return got


def _is_stub(fn) -> bool:
    """Whether ``fn``'s body is only ``...``/``pass`` (and maybe a docstring)."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return False
    try:
        for ins in dis.get_instructions(code):
            if ins.opname in ("RESUME", "NOP", "RETURN_VALUE", "CACHE"):
                continue
            if ins.opname in ("LOAD_CONST", "RETURN_CONST") and ins.argval in (None, Ellipsis):
                continue
            return False
    except Exception:
        return False
    return True


# ---------------------------------------------------------------------------
# Tasks
# ---------------------------------------------------------------------------


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
    def cases(self) -> list[Case]:  # pragma: no cover - interface
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
        return Verdict(False, "not attempted", "not yet attempted", hint, "")

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
        return Verdict(False, "error", summary, hint, details)

    def run(self, answer) -> Verdict:  # pragma: no cover - defined by subclasses
        raise NotImplementedError


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
        ``cases() -> list[Case]``, seeded and deterministic, simplest first.
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
    def cases(self) -> list[Case]:
        if self._cases_cache is None:
            cases = list(self._cases_fn())
            labels = [c.label for c in cases]
            if len(set(labels)) != len(labels):
                raise ValueError(f"task {self.name!r}: case labels must be unique; got {labels}")
            self._cases_cache = cases
        return [Case(c.label, _copy(c.args), _copy(c.kwargs)) for c in self._cases_cache]

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
        return Verdict(False, "fail", f"fails on case '{case.label}': {summary}", hint, details)

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

    def cases(self) -> list[Case]:
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

    def cases(self) -> list[Case]:
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


# ---------------------------------------------------------------------------
# The learner-facing entry point
# ---------------------------------------------------------------------------


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
    """
    from . import TASKS  # the registry is built by the package, which imports this module

    if not isinstance(name, str):
        print("check needs the task name first, then your answer, e.g. check(\"l2_penalty\", l2_penalty).")
        return False
    if name not in TASKS:
        close = difflib.get_close_matches(name, list(TASKS), n=1)
        guess = f" Did you mean \"{close[0]}\"?" if close else ""
        from . import EXERCISES

        listing = "\n".join(f"  {ex}: {', '.join(names)}" for ex, names in EXERCISES.items())
        print(f"Unknown task name \"{name}\".{guess} Valid task names:\n{listing}")
        return False
    task = TASKS[name]
    verdict = task.run(answer)
    print(format_verdict(task, verdict))
    return verdict.passed

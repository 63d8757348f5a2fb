"""The one answer runner: how a learner's function is called on a case, in JupyterLab and in grading.

The learner's :func:`~course_lib.checks.check` and the grader's agent inside a student's kernel
(``course_grader/probe.py``) both call answers through :func:`make_answer_runner`, so a function
is called the same way -- on copies of the inputs, warnings silenced, an exception or a change of
an input in place reported instead of a value -- whichever of the two asks.

The runner binds everything it uses (numpy's ``array_equal``, ``inspect.signature``, the warnings
filters, the builtins) when it is *made*.  The grader makes its runner before the first student
cell runs, so a student cell that later patches numpy, this module or the builtins does not change
how the grader calls answers (``tests/grader`` tampers with each of them).
"""

from __future__ import annotations

import builtins
import dis
import inspect
import warnings
from typing import Callable

import numpy as np

from .records import Case, InputMutated

__all__ = ["AnswerRunner", "make_answer_runner", "call_answer", "copy_value", "is_stub", "argument_names"]


class AnswerRunner:
    """What :func:`make_answer_runner` returns: ``call``, ``copy`` and ``is_stub``, bound at creation."""

    __slots__ = ("call", "copy", "same", "is_stub", "argument_names")

    def __init__(self, call, copy, same, is_stub, argument_names):
        self.call, self.copy, self.same = call, copy, same
        self.is_stub, self.argument_names = is_stub, argument_names


def make_answer_runner() -> AnswerRunner:
    """A runner whose functions keep the references this module, numpy and builtins hold now.

    ``runner.call(fn, args, kwargs)`` calls ``fn(*copies of args, **copies of kwargs)`` with
    warnings silenced and returns what it returned, or the exception it raised (``Exception``
    or ``SystemExit``; ``KeyboardInterrupt`` -- a time limit -- propagates), or an
    :class:`~course_lib.checks.records.InputMutated` naming the first input it changed in place.
    ``runner.copy(value)`` deep-copies arrays, tuples, lists and dicts; ``runner.same(before,
    after)`` says whether an array input is unchanged; ``runner.is_stub(fn)``
    tells a template body (only ``...``/``pass`` and maybe a docstring) from an attempt;
    ``runner.argument_names(fn, count)`` names ``fn``'s first ``count`` positional parameters.
    """
    ndarray, array_equal = np.ndarray, np.array_equal
    signature, get_instructions = inspect.signature, dis.get_instructions
    catch_warnings, simplefilter = warnings.catch_warnings, warnings.simplefilter
    mutated = InputMutated
    isinstance_, type_, len_, getattr_, zip_, range_, bool_ = (
        builtins.isinstance, builtins.type, builtins.len, builtins.getattr, builtins.zip, builtins.range,
        builtins.bool,
    )
    tuple_, list_, dict_ = builtins.tuple, builtins.list, builtins.dict
    exception_, system_exit = builtins.Exception, builtins.SystemExit
    skipped = frozenset(("RESUME", "NOP", "RETURN_VALUE", "CACHE"))
    constants = frozenset(("LOAD_CONST", "RETURN_CONST"))

    def copy(value):
        if isinstance_(value, ndarray):
            return value.copy()
        if isinstance_(value, tuple_):
            return tuple_(copy(v) for v in value)
        if isinstance_(value, list_):
            return [copy(v) for v in value]
        if isinstance_(value, dict_):
            return {k: copy(v) for k, v in value.items()}
        return value

    def same(before, after) -> bool:
        if isinstance_(before, ndarray):
            return (isinstance_(after, ndarray) and before.shape == after.shape
                    and bool_(array_equal(before, after, equal_nan=True)))
        return True

    def argument_names(fn, count):
        try:
            params = [p.name for p in signature(fn).parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        except (TypeError, ValueError):
            params = []
        return [params[i] if i < len_(params) else f"argument {i + 1}" for i in range_(count)]

    def call(fn, args, kwargs):
        args, kwargs = tuple_(args), dict_(kwargs)
        given_args, given_kwargs = copy(args), copy(kwargs)
        with catch_warnings():
            simplefilter("ignore")
            try:
                got = fn(*given_args, **given_kwargs)
            except (exception_, system_exit) as exc:  # reported, not raised; KeyboardInterrupt propagates
                return exc
        for name, before, after in zip_(argument_names(fn, len_(args)), args, given_args):
            if not same(before, after):
                return mutated(name)
        for name in kwargs:
            if not same(kwargs[name], given_kwargs.get(name)):
                return mutated(name)
        return got

    def is_stub(fn) -> bool:
        code = getattr_(fn, "__code__", None)
        if code is None:
            return False
        try:
            for ins in get_instructions(code):
                if ins.opname in skipped:
                    continue
                if ins.opname in constants and (ins.argval is None or ins.argval is Ellipsis):
                    continue
                return False
        except exception_:
            return False
        return True

    return AnswerRunner(call, copy, same, is_stub, argument_names)


_RUNNER = make_answer_runner()
copy_value = _RUNNER.copy
is_stub = _RUNNER.is_stub
argument_names = _RUNNER.argument_names


def call_answer(fn: Callable, case: Case):
    """Call the learner's ``fn`` on copies of the case's inputs.

    Returns what ``fn`` returned, or the exception it raised, or an
    :class:`~course_lib.checks.records.InputMutated` when ``fn`` changed one of its inputs in
    place.  Warnings raised inside are silenced.
    """
    return _RUNNER.call(fn, case.args, case.kwargs)

"""What a grading run keeps from the kernels: its secret seed, the graded inputs, what a reference is.

**Graded inputs.**  Each run draws a secret 64-bit seed (from :mod:`secrets`; or
``COURSE_GRADER_SEED`` from the environment, to reproduce a run -- never a command-line argument,
which every process on the machine can read).  Each function task's graded cases come from
``task.cases(rng)`` with ``rng`` seeded by that seed and the task's name: the same kinds of case
as the learners' public ones, other numbers, the same for every submission of the run.  The seed
and the expected values stay in the grader's process; a kernel only ever sees the inputs it is
asked to run.

**References.**  :func:`reference_refs` says, as plain dotted names, what counts as using the
reference for each task -- computed here, from the ``course_lib`` modules this process has
already imported, so the static analysis never imports anything a submission names.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sys
from dataclasses import dataclass, field

import numpy as np

from . import wire

__all__ = ["new_seed", "graded_cases", "Plan", "plan_tasks", "reference_refs"]


def new_seed() -> int:
    """The run's secret seed: ``COURSE_GRADER_SEED`` if set (an integer), else 64 random bits."""
    text = os.environ.get("COURSE_GRADER_SEED", "").strip()
    if text:
        try:
            return int(text, 0)
        except ValueError:
            raise ValueError(f"COURSE_GRADER_SEED must be an integer; got {text!r}") from None
    return secrets.randbits(64)


def task_rng(seed: int, task_name: str) -> np.random.Generator:
    """The generator a task's graded cases are drawn from in a run with ``seed``."""
    salt = int.from_bytes(hashlib.sha256(task_name.encode()).digest()[:8], "big")
    return np.random.default_rng([seed & (2**64 - 1), salt])


def graded_cases(task, seed: int) -> list:
    """The cases ``task`` is graded on in a run with ``seed`` (public cases for tasks without inputs)."""
    if task.kind != "function":
        return list(task.cases())
    return list(task.cases(task_rng(seed, task.name)))


def _same_case(a, b) -> bool:
    def leaves(value):
        if isinstance(value, (tuple, list)):
            for item in value:
                yield from leaves(item)
        elif isinstance(value, dict):
            for key in sorted(value):
                yield from leaves(value[key])
        else:
            yield value

    left, right = list(leaves((a.args, a.kwargs))), list(leaves((b.args, b.kwargs)))
    return len(left) == len(right) and all(
        bool(np.array_equal(x, y)) if isinstance(x, np.ndarray) or isinstance(y, np.ndarray) else x == y
        for x, y in zip(left, right))


@dataclass
class Plan:
    """One exercise's tasks for a run: graded cases, encoded requests, reference names."""

    tasks: list
    cases: dict
    requests: dict
    refs: list
    public_only: list = field(default_factory=list)


def plan_tasks(tasks, seed: int | None = None) -> Plan:
    """Each task's graded cases (drawn once per run) and its encoded request.

    ``seed`` None grades on the public cases (tests of the pieces only).
    """
    cases, public_only = {}, []
    for task in tasks:
        if seed is None or task.kind != "function":
            cases[task.name] = list(task.cases())
            continue
        graded = graded_cases(task, seed)
        public = list(task.cases())
        if len(graded) == len(public) and all(_same_case(a, b) for a, b in zip(graded, public)):
            public_only.append(task.name)
        cases[task.name] = graded
    requests = {t.name: wire.encode_request(t, cases[t.name]) for t in tasks if t.kind != "written"}
    return Plan(list(tasks), cases, requests, reference_refs(tasks), public_only)


def _aliases() -> dict[int, list[str]]:
    """``id(object) -> ["course_lib.module.name", ...]`` over the course_lib modules already imported."""
    index: dict[int, list[str]] = {}
    for module_name, module in list(sys.modules.items()):
        if module is None or not (module_name == "course_lib" or module_name.startswith("course_lib.")):
            continue
        index.setdefault(id(module), []).append(module_name)
        for attribute, value in list(vars(module).items()):
            if callable(value):
                index.setdefault(id(value), []).append(f"{module_name}.{attribute}")
    return index


def _exports(objects: dict[int, str]) -> dict[str, list[str]]:
    """Modules whose ``import *`` binds one of ``objects`` (id -> the name it is bound under)."""
    out: dict[str, list[str]] = {}
    for module_name, module in list(sys.modules.items()):
        if module is None or not module_name.startswith("course_lib"):
            continue
        public = getattr(module, "__all__", None)
        names = public if isinstance(public, (list, tuple)) else [n for n in vars(module) if not n.startswith("_")]
        for name in names:
            if id(getattr(module, name, None)) in objects:
                out.setdefault(module_name, []).append(name)
    return out


def reference_refs(tasks) -> list[dict]:
    """Per task, what counts as its reference (see :class:`course_grader.references.TaskRefs`).

    A function task's reference is its ``reference`` under every name a course_lib module gives
    it, anything named like the task under ``course_lib``, and anything in ``course_lib.checks``.
    A value task's are the references of its exercise's function tasks: the functions the
    exercise asks the learner to write.
    """
    index = _aliases()
    function_refs = [t.reference for t in tasks if t.kind == "function" and getattr(t, "reference", None)]
    out = []
    for task in tasks:
        info = {"name": task.name, "kind": task.kind, "symbol": task.symbol}
        if task.kind == "function":
            reference = getattr(task, "reference", None)
            objects = {id(reference): task.symbol} if reference is not None else {}
            info.update(names=sorted(index.get(id(reference), [])) if reference is not None else [],
                        own_name=sorted({task.name, task.symbol}), checks=True)
        elif task.kind == "written":
            objects = {}
        else:
            objects = {id(r): getattr(r, "__name__", "") for r in function_refs}
            info.update(names=sorted({name for r in function_refs for name in index.get(id(r), [])}),
                        own_name=[], checks=False)
        info["stars"] = _exports(objects) if objects else {}
        out.append(info)
    return out

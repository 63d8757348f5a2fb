"""Exercise self-checks: ``from course_lib.checks import check``.

In an exercise notebook, after writing a function, run ``check("l2_penalty", l2_penalty)``:
it tries your function on several cases, prints what was verified or what went wrong (with a
hint aimed at the mistake), and returns True or False.

Each exercise's tasks live in one module ``exNN_topic.py`` (``EXERCISE`` and ``TASKS``);
every such module in this package is collected here into

* ``TASKS``: task name -> :class:`Task` (names are unique across the course),
* ``EXERCISES``: exercise stem (``"ex03_l2_ridge"``) -> its task names, in notebook order.

See :mod:`course_lib.checks.framework` for how to write tasks.
"""

from __future__ import annotations

import importlib
import pkgutil

from .framework import Case, FunctionTask, PredictionTask, Task, ValueTask, Verdict, WrittenTask, check

__all__ = ["check", "TASKS", "EXERCISES", "Task", "Case", "Verdict", "FunctionTask", "ValueTask",
           "PredictionTask", "WrittenTask", "get_task", "tasks_for"]


def _collect() -> tuple[dict[str, Task], dict[str, list[str]]]:
    tasks: dict[str, Task] = {}
    exercises: dict[str, list[str]] = {}
    modules = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("ex"))
    for module_name in modules:
        module = importlib.import_module(f"{__name__}.{module_name}")
        exercise = module.EXERCISE
        if exercise in exercises:
            raise RuntimeError(
                f"exercise {exercise!r} is defined by two check modules (second: {module_name})"
            )
        exercises[exercise] = []
        for task in module.TASKS:
            if task.name in tasks:
                raise RuntimeError(
                    f"task name {task.name!r} is used twice "
                    f"(in {tasks[task.name].exercise!r} and {exercise!r})"
                )
            if task.exercise != exercise:
                raise RuntimeError(
                    f"task {task.name!r} in {module_name} says exercise={task.exercise!r}, "
                    f"but the module's EXERCISE is {exercise!r}"
                )
            tasks[task.name] = task
            exercises[exercise].append(task.name)
    return tasks, exercises


TASKS, EXERCISES = _collect()


def get_task(name: str) -> Task:
    """Return the task called ``name``, or raise KeyError listing the valid names."""
    try:
        return TASKS[name]
    except KeyError:
        raise KeyError(f"unknown task {name!r}; valid task names: {', '.join(TASKS)}") from None


def tasks_for(exercise: str) -> list[Task]:
    """Return the tasks of an exercise (``"ex03_l2_ridge"``), in notebook order."""
    try:
        return [TASKS[name] for name in EXERCISES[exercise]]
    except KeyError:
        raise KeyError(f"unknown exercise {exercise!r}; valid exercises: {', '.join(EXERCISES)}") from None

"""The learner's feedback file: ``feedback/<student>/<exercise>.md``.

Each task's points, its one-line summary and the hint the learner's own ``check`` would give --
never the graded inputs, the expected values, the reference code, another student's name, or
the text of an error a kernel raised (it could carry what the kernel read): a cell's error is
named by its type only.  Written answers say that the instructor grades them.
"""

from __future__ import annotations

import os
import re

from .grades import atomic_write
from .names import safe_name, shown

__all__ = ["feedback_markdown", "write_feedback", "GRADED_INPUTS_NOTE"]

GRADED_INPUTS_NOTE = ("Your functions were graded on inputs of the same kinds as the cases `check` shows "
                      "you, with other numbers: a function that passes its checks only because of their "
                      "particular numbers does not pass here.")


def _number(value) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _one_line(value: str) -> str:
    return " ".join(str(value).split())


def _md(text) -> str:
    """Escape text that comes from file names or student code for Markdown: no HTML, no links."""
    text = " ".join(shown(str(text)).split())
    return re.sub(r"([\\<>\[\]`*_])", r"\\\1", text)


def feedback_markdown(result) -> str:
    """The feedback text for one submission."""
    lines = [
        f"# Feedback: {_md(result.exercise)}",
        "",
        f"Student: {_md(result.student)}",
        "",
        f"Score: **{_number(result.total)} / {_number(result.max)}**",
        "",
    ]
    if result.pending:
        lines += [f"Written answers worth {_number(result.pending)} point{'s' * (result.pending != 1)} are "
                  "graded by your instructor; they are not in this score yet.", ""]
    if not result.tasks:
        lines += ["This file could not be graded: it is not one of the course's exercise notebooks.", ""]
    notes = getattr(result, "notes", result.flags)
    if notes:
        lines += ["Notes:", ""] + [f"- {_md(note)}" for note in notes] + [""]
    if any(t.status not in ("manual",) for t in result.tasks) and result.ran:
        lines += [GRADED_INPUTS_NOTE, ""]
    for task in result.tasks:
        # Task texts are the course's own (the learner's check prints the same); the student id
        # and the notes, which can quote student code, are escaped.
        if task.status == "manual":
            lines += [f"## {task.name}: graded by hand ({_number(task.max_points)} points)", ""]
        else:
            lines += [f"## {task.name}: {_number(task.points)} / {_number(task.max_points)}", ""]
        if task.description:
            lines += [_one_line(task.description), ""]
        summary = _one_line(task.summary)
        said = (task.status == "not attempted" and "attempted" in summary) or task.status == "manual"
        lines += [f"Result{'' if said else f' ({task.status})'}: {summary}", ""]
        if task.hint:
            lines += [f"Hint: {_one_line(task.hint)}", ""]
    return "\n".join(lines).rstrip() + "\n"


def write_feedback(out_dir: str, result, name: str | None = None) -> str:
    """Write ``feedback/<safe student>/<safe name or exercise>.md``; return its path."""
    folder = os.path.join(out_dir, "feedback", safe_name(result.student))
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, safe_name(name or result.exercise) + ".md")
    atomic_write(path, feedback_markdown(result))
    return path

"""What the instructor gets: grades.csv, one feedback file per submission, a summary.

``grades.csv`` has one row per student and exercise, sorted, with the columns
``student, exercise, <one per task>, total, max, flags`` -- plain numbers and
RFC 4180 quoting, ready for a learning management system.  It is written to a
temporary file in the output folder and moved into place (atomic), and holds
nothing that changes between runs (no times, no paths of temporary folders),
so grading the same submissions twice gives the same bytes.

Feedback files (``feedback/<student>/<exercise>.md``) list each task's points,
its one-line summary and the hint the learner's own ``check`` would give --
never the check inputs, the expected values or the reference code.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import tempfile
import unicodedata

__all__ = ["safe_name", "grades_table", "write_grades", "feedback_markdown", "write_feedback"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(text: str) -> str:
    """A file name made from ``text``: ASCII letters, digits, ``._-`` only, unique per input.

    When anything had to change (upper case included, for case-insensitive
    file systems), a short hash of the original is appended, so two different
    ids never share a feedback folder; ``.``/``..`` and names starting with
    ``-`` or ``.`` cannot come out.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"\.{2,}", ".", _UNSAFE.sub("_", ascii_text)).strip("._-")[:60]
    if cleaned == text and cleaned == cleaned.lower() and cleaned:
        return cleaned
    digest = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return f"{cleaned}-{digest}" if cleaned else f"id-{digest}"


def _number(value) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _one_line(value: str) -> str:
    return " ".join(str(value).split())


def grades_table(results, task_columns: list[str]) -> str:
    """The CSV text for ``results`` (already sorted)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "exercise", *task_columns, "total", "max", "flags"])
    for result in results:
        points = {t.name: t.points for t in result.tasks}
        row = [result.student, result.exercise]  # exact: the LMS matches on them; csv quotes them
        row += [_number(points[name]) if name in points else "" for name in task_columns]
        row += [_number(result.total), _number(result.max), _one_line("; ".join(result.flags))]
        writer.writerow(row)
    return buffer.getvalue()


def _atomic_write(path: str, text: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_grades(out_dir: str, results, task_columns: list[str]) -> str:
    """Write ``grades.csv`` atomically; return its path."""
    path = os.path.join(out_dir, "grades.csv")
    _atomic_write(path, grades_table(results, task_columns))
    return path


def _md(text) -> str:
    """Escape text that comes from file names or student code for Markdown: no HTML, no links."""
    text = " ".join(str(text).split())
    return re.sub(r"([\\<>\[\]])", r"\\\1", text)




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
    if not result.tasks:
        lines += ["This file could not be graded: it is not one of the course's exercise notebooks.", ""]
    if result.flags:
        lines += ["Notes:", ""] + [f"- {_md(flag)}" for flag in result.flags] + [""]
    for task in result.tasks:
        # Task texts are the course's own (the learner's check prints the same); only the
        # student id and the notes, which can quote student code, are escaped.
        lines += [f"## {task.name}: {_number(task.points)} / {_number(task.max_points)}", ""]
        if task.description:
            lines += [_one_line(task.description), ""]
        summary = _one_line(task.summary)
        status = "" if task.status == "not attempted" and "attempted" in summary else f" ({task.status})"
        lines += [f"Result{status}: {summary}", ""]
        if task.hint:
            lines += [f"Hint: {_one_line(task.hint)}", ""]
    return "\n".join(lines).rstrip() + "\n"


def write_feedback(out_dir: str, result, name: str | None = None) -> str:
    """Write ``feedback/<safe student>/<safe name or exercise>.md``; return its path."""
    folder = os.path.join(out_dir, "feedback", safe_name(result.student))
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, safe_name(name or result.exercise) + ".md")
    _atomic_write(path, feedback_markdown(result))
    return path

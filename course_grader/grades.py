"""The grade tables: ``grades.csv`` (one row per student, for an LMS) and ``grades_by_task.csv``.

``grades.csv``: ``student``, one column per exercise (its total), ``total``, ``max``, ``pending``,
``flags``.  ``max`` counts every point, written answers included; ``pending`` is the points of
written answers that await grading by hand (they are 0 in ``total`` until then).  With a roster
every listed student has a row; an exercise without a notebook is 0 with the flag
``missing: <exercise>``.  When a student handed in two notebooks of one exercise, the higher
total counts and the row says so.

``grades_by_task.csv``: one row per notebook: ``student, exercise``, one column of points per
task (empty for a task of another exercise, and for a written answer not yet graded), ``total``,
``max``, ``pending``, ``flags`` (everything the instructor should look at).

Both are plain numbers and RFC 4180 quoting, hold nothing that changes between runs of the same
submissions (no times, no temporary paths), and are written to a temporary file then moved into
place.  Student ids are kept exactly (an LMS matches on them) unless they are not valid UTF-8:
then undecodable bytes are written as ``\\xNN``.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile

from .names import shown

__all__ = ["read_roster", "grades_table", "grades_by_task_table", "student_rows", "atomic_write"]


def _number(value) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _one_line(value: str) -> str:
    return " ".join(str(value).split())


def atomic_write(path: str, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file in the same folder.

    A lone surrogate (a byte that was not UTF-8, anywhere in a name or a message) is written as
    ``\\udcNN``: escaped, never fatal.
    """
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def read_roster(path) -> list[str]:
    """Student ids from a roster file: one per line (``#`` comments and blank lines ignored), or a
    CSV file whose header has a column ``student`` (or ``id``, ``username``, ``login``; else the
    first column).  Raises ValueError naming the file when it holds no id."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if lines and "," in lines[0]:
        rows = list(csv.reader(io.StringIO("\n".join(lines))))
        header = [h.strip().lower() for h in rows[0]]
        column = next((header.index(k) for k in ("student", "id", "username", "login") if k in header), 0)
        ids = [row[column].strip() for row in rows[1:] if len(row) > column and row[column].strip()]
    else:
        ids = [line.strip() for line in lines]
    if not ids:
        raise ValueError(f"roster must list at least one student id; got none in {path!r}")
    seen, out = set(), []
    for student in ids:
        if student not in seen:
            seen.add(student)
            out.append(student)
    return out


def _writer():
    buffer = io.StringIO()
    return buffer, csv.writer(buffer, lineterminator="\n")


def grades_by_task_table(results, task_columns: list[str], manual: set[str] | frozenset = frozenset()) -> str:
    """The CSV text of ``grades_by_task.csv`` for ``results`` (already sorted).

    ``manual`` names the written tasks: their points stay empty while pending.
    """
    buffer, writer = _writer()
    writer.writerow(["student", "exercise", *task_columns, "total", "max", "pending", "flags"])
    for result in results:
        points = {t.name: t for t in result.tasks}
        row = [shown(result.student, controls=False), shown(result.exercise, controls=False)]
        for name in task_columns:
            task = points.get(name)
            row.append("" if task is None or task.status == "manual" else _number(task.points))
        row += [_number(result.total), _number(result.max), _number(result.pending),
                _one_line("; ".join(result.flags))]
        writer.writerow(row)
    return buffer.getvalue()


def student_rows(results, exercises: list[str], maxima: dict, roster: list[str] | None = None) -> list[dict]:
    """One record per student: ``student``, ``points`` (exercise -> total), ``total``, ``max``,
    ``pending`` and ``flags``; roster order first, then students not on it, sorted."""
    by_student: dict[str, list] = {}
    for result in results:
        by_student.setdefault(result.student, []).append(result)
    order = list(roster or [])
    order += sorted(s for s in by_student if s not in set(order))
    rows = []
    for student in order:
        mine = by_student.get(student, [])
        points, pending, flags = {}, 0, []
        if roster is not None and student not in roster:
            flags.append("not on the roster")
        for exercise in exercises:
            handed = [r for r in mine if r.exercise == exercise]
            if not handed:
                points[exercise] = 0
                flags.append(f"missing: {exercise}")
                continue
            best = max(handed, key=lambda r: (r.total, -handed.index(r)))
            points[exercise] = best.total
            pending += best.pending
            if len(handed) > 1:
                flags.append(f"{exercise}: {len(handed)} notebooks, the higher total counts")
            elif best.flags:
                flags.append(f"{exercise}: flagged (see grades_by_task.csv)")
        for other in mine:
            if other.exercise not in exercises:
                flags.append(f"ignored {other.file}: not an exercise")
        total = sum(points.values())
        rows.append({"student": student, "points": points, "total": total,
                     "max": sum(maxima.get(e, 0) for e in exercises), "pending": pending, "flags": flags})
    return rows


def grades_table(rows: list[dict], exercises: list[str]) -> str:
    """The CSV text of ``grades.csv`` from :func:`student_rows`."""
    buffer, writer = _writer()
    writer.writerow(["student", *exercises, "total", "max", "pending", "flags"])
    for row in rows:
        writer.writerow([shown(row["student"], controls=False), *(_number(row["points"][e]) for e in exercises),
                         _number(row["total"]), _number(row["max"]), _number(row["pending"]),
                         _one_line("; ".join(row["flags"]))])
    return buffer.getvalue()

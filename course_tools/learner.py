"""Learner versions of exercises, generated from the solutions the way nbgrader does it.

An exercise is written once, as ``exercises/solutions/NN_topic.ipynb``, with nbgrader's markers:

* In a *solution cell* (``metadata.nbgrader.solution = true``), the lines from
  ``### BEGIN SOLUTION`` to ``### END SOLUTION`` are replaced by nbgrader's stub at the
  indentation of the ``BEGIN`` line::

      def ridge_weights(X, y, rate):          def ridge_weights(X, y, rate):
          ### BEGIN SOLUTION                       # YOUR CODE HERE
          ...                            ->        raise NotImplementedError()
          ### END SOLUTION

  (in a markdown cell the stub is ``YOUR ANSWER HERE``).  A solution cell without any
  region is replaced whole by the stub.
* ``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS`` regions are removed.
* In a *task cell* (``metadata.nbgrader.task = true``), the lines from a line containing
  ``BEGIN MARK SCHEME`` to a line containing ``END MARK SCHEME`` are removed
  (write them ``=== BEGIN MARK SCHEME ===``).
* All outputs are removed; nbgrader metadata is kept, so nbgrader users can adopt the
  solution notebooks as nbgrader source notebooks unchanged.

Like nbgrader, the generator refuses a solution region outside a solution cell, a mark scheme
outside a task cell, unbalanced or nested markers and invalid nbgrader metadata
(:func:`nbgrader_problems` lists them).
"""

from __future__ import annotations

import copy
import re

import nbformat

from .canonical import joined_text, tidy_notebook

__all__ = [
    "BEGIN_SOLUTION",
    "END_SOLUTION",
    "CODE_STUB",
    "TEXT_STUB",
    "learner_version",
    "nbgrader_problems",
]

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
BEGIN_HIDDEN_TESTS = "### BEGIN HIDDEN TESTS"
END_HIDDEN_TESTS = "### END HIDDEN TESTS"
BEGIN_MARK_SCHEME = "BEGIN MARK SCHEME"
END_MARK_SCHEME = "END MARK SCHEME"
CODE_STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")
TEXT_STUB = ("YOUR ANSWER HERE",)
NBGRADER_SCHEMA_VERSION = 3
_GRADE_ID = re.compile(r"^[a-zA-Z0-9_\-]+$")


def _nbgrader(cell) -> dict:
    value = cell.get("metadata", {}).get("nbgrader", {})
    return value if isinstance(value, dict) else {}


def _is_begin_solution(line: str) -> bool:
    return line.strip() == BEGIN_SOLUTION


def _is_end_solution(line: str) -> bool:
    return line.strip() == END_SOLUTION


def _is_begin_hidden(line: str) -> bool:
    return line.strip() == BEGIN_HIDDEN_TESTS


def _is_end_hidden(line: str) -> bool:
    return line.strip() == END_HIDDEN_TESTS


def _is_begin_mark_scheme(line: str) -> bool:
    return BEGIN_MARK_SCHEME in line


def _is_end_mark_scheme(line: str) -> bool:
    return END_MARK_SCHEME in line


def _region_problems(lines, is_begin, is_end, name: str) -> list[str]:
    problems = []
    inside = False
    for line in lines:
        if is_begin(line):
            if inside:
                problems.append(f"nested BEGIN {name}")
            inside = True
        elif is_end(line):
            if not inside:
                problems.append(f"END {name} without BEGIN {name}")
            inside = False
    if inside:
        problems.append(f"BEGIN {name} without END {name}")
    return problems


def _has_region(lines, is_begin) -> bool:
    return any(is_begin(line) for line in lines)


def nbgrader_problems(nb) -> list[str]:
    """What nbgrader would refuse in a solution notebook; an empty list when nothing.

    Checks the markers (balanced, not nested, solution regions only in solution cells,
    mark schemes only in task cells) and the cell metadata (``schema_version`` 3, a unique
    ``grade_id`` matching ``[a-zA-Z0-9_-]+`` on solution/grade/task cells, numeric ``points`` on
    grade and task cells, markdown grade cells also solution cells and vice versa).

    Parameters
    ----------
    nb : nbformat.NotebookNode

    Returns
    -------
    list of str
    """
    problems = []
    grade_ids: dict[str, int] = {}
    for number, cell in enumerate(nb.cells, start=1):
        where = f"cell {number} ({cell.cell_type})"
        lines = joined_text(cell.source).split("\n")
        for is_begin, is_end, name in (
            (_is_begin_solution, _is_end_solution, "SOLUTION"),
            (_is_begin_hidden, _is_end_hidden, "HIDDEN TESTS"),
            (_is_begin_mark_scheme, _is_end_mark_scheme, "MARK SCHEME"),
        ):
            problems.extend(f"{where}: {p}" for p in _region_problems(lines, is_begin, is_end, name))

        meta = _nbgrader(cell)
        if _has_region(lines, _is_begin_solution) and not meta.get("solution", False):
            problems.append(
                f"{where}: has a {BEGIN_SOLUTION} region but is not a solution cell "
                "(set metadata.nbgrader.solution = true)"
            )
        if _has_region(lines, _is_begin_hidden) and not meta.get("grade", False):
            problems.append(f"{where}: has hidden tests but is not a grade cell (metadata.nbgrader.grade)")
        if _has_region(lines, _is_begin_mark_scheme) and not meta.get("task", False):
            problems.append(
                f"{where}: has a mark scheme but is not a task cell (set metadata.nbgrader.task = true)"
            )
        if not meta:
            continue
        if meta.get("schema_version") != NBGRADER_SCHEMA_VERSION:
            problems.append(
                f"{where}: nbgrader schema_version must be {NBGRADER_SCHEMA_VERSION}; "
                f"got {meta.get('schema_version')!r}"
            )
        for flag in ("solution", "grade", "locked"):
            if not isinstance(meta.get(flag), bool):
                problems.append(f"{where}: nbgrader {flag} must be true or false; got {meta.get(flag)!r}")
        solution, grade, task = (bool(meta.get(k)) for k in ("solution", "grade", "task"))
        if solution or grade or task:
            grade_id = meta.get("grade_id")
            if not isinstance(grade_id, str) or not _GRADE_ID.match(grade_id):
                problems.append(f"{where}: nbgrader grade_id must match [a-zA-Z0-9_-]+; got {grade_id!r}")
            elif grade_id in grade_ids:
                problems.append(f"{where}: grade_id {grade_id!r} already used by cell {grade_ids[grade_id]}")
            else:
                grade_ids[grade_id] = number
        if grade or task:
            points = meta.get("points")
            if isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0:
                problems.append(f"{where}: nbgrader points must be a number >= 0; got {points!r}")
        if cell.cell_type == "markdown" and grade != solution:
            problems.append(f"{where}: a markdown answer cell must be both a grade and a solution cell")
    return problems


#: ``name = ...`` on a line of its own: a value answer's placeholder, which ``check`` reports as
#: "not yet attempted" (so the region after it needs no ``raise``).
_PLACEHOLDER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\s*=\s*\.\.\.\s*(#.*)?$")


def _replace_regions(lines, is_begin, is_end, stub, placeholder_stub=None) -> list[str]:
    kept = []
    inside = False
    for line in lines:
        if is_begin(line):
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            bound = placeholder_stub is not None and not indent and any(_PLACEHOLDER.match(k) for k in kept)
            kept.extend(indent + stub_line for stub_line in (placeholder_stub if bound else stub))
        elif is_end(line):
            inside = False
        elif not inside:
            kept.append(line)
    return kept


def _learner_source(cell) -> str:
    lines = joined_text(cell.source).split("\n")
    stub = CODE_STUB if cell.cell_type == "code" else TEXT_STUB
    solution_cell = bool(_nbgrader(cell).get("solution", False))
    if _has_region(lines, _is_begin_solution):
        placeholder_stub = CODE_STUB[:1] if cell.cell_type == "code" else None
        lines = _replace_regions(lines, _is_begin_solution, _is_end_solution, stub, placeholder_stub)
    elif solution_cell:
        lines = list(stub)
    lines = _replace_regions(lines, _is_begin_hidden, _is_end_hidden, ())
    lines = _replace_regions(lines, _is_begin_mark_scheme, _is_end_mark_scheme, ())
    return "\n".join(lines)


def learner_version(nb):
    """The learner's exercise notebook made from a solution notebook.

    Solution regions become nbgrader's stub (``# YOUR CODE HERE`` / ``raise
    NotImplementedError()`` at the region's indentation), hidden tests and mark schemes are
    removed, every output is removed, nbgrader metadata is kept, and the result is tidy
    (see :func:`~course_tools.canonical.tidy_notebook`).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The solution notebook (need not be tidy).

    Returns
    -------
    nbformat.NotebookNode
        A new notebook; ``nb`` is left unchanged.

    Raises
    ------
    ValueError
        If the markers or the nbgrader metadata are invalid; the message lists every problem
        (see :func:`nbgrader_problems`).
    """
    problems = nbgrader_problems(nb)
    if problems:
        raise ValueError("nb is not a valid nbgrader solution notebook:\n  " + "\n  ".join(problems))
    learner = nbformat.from_dict(copy.deepcopy(dict(nb)))
    for cell in learner.cells:
        if cell.cell_type in ("code", "markdown"):
            cell["source"] = _learner_source(cell)
        if cell.cell_type == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return tidy_notebook(learner)

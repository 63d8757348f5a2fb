"""Read a submitted notebook defensively: its code cells and its written answers, never executed.

A submission is untrusted input: any bytes, any JSON, any cell contents.  :func:`parse_notebook`
either returns the notebook's cells or raises :class:`NotebookProblem` with a reason an
instructor can read.  It never needs nbgrader.  Which of the cells run, and how, is
:mod:`course_grader.transform`'s business.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

__all__ = ["Cell", "Notebook", "NotebookProblem", "parse_notebook", "read_cells", "MAX_NOTEBOOK_BYTES"]

MAX_NOTEBOOK_BYTES = 50 * 1024**2


@dataclass(frozen=True)
class Cell:
    """A code cell: its 1-based position among all cells, its source, nbgrader metadata."""

    number: int
    source: str
    nbgrader: dict


@dataclass
class Notebook:
    """The code cells, and the text of Markdown cells marked as written answers (``grade_id`` -> text)."""

    cells: list
    written: dict = field(default_factory=dict)


class NotebookProblem(Exception):
    """The file cannot be graded as a notebook; the message says why."""


def _source(cell) -> str | None:
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(part for part in source if isinstance(part, str))
    return source if isinstance(source, str) else None


def parse_notebook(raw: bytes) -> Notebook:
    """The code cells and written answers of the notebook in ``raw``.

    Raises
    ------
    NotebookProblem
        When the bytes are empty, not UTF-8 JSON, or not an nbformat-4 notebook.
    """
    if not raw:
        raise NotebookProblem("empty file (0 bytes), not a notebook")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotebookProblem("not a notebook: the file is not UTF-8 text") from None
    try:
        nb = json.loads(text)
    except RecursionError:
        raise NotebookProblem("not a notebook: JSON nested too deeply") from None
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        where = f" (line {line})" if line else ""
        raise NotebookProblem(f"not a notebook: corrupt JSON{where}") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        if isinstance(nb, dict) and "worksheets" in nb:
            raise NotebookProblem("old notebook format (nbformat 3): open and save it in Jupyter first")
        raise NotebookProblem("not a notebook: JSON without a list of cells")
    notebook = Notebook([])
    for number, cell in enumerate(nb["cells"], start=1):
        if not isinstance(cell, dict):
            continue
        source = _source(cell)
        metadata = cell.get("metadata")
        meta = metadata.get("nbgrader") if isinstance(metadata, dict) else None
        meta = meta if isinstance(meta, dict) else {}
        if source is None:
            continue
        if cell.get("cell_type") == "code":
            notebook.cells.append(Cell(number, source, meta))
        elif cell.get("cell_type") == "markdown" and meta.get("solution") and isinstance(meta.get("grade_id"), str):
            notebook.written.setdefault(meta["grade_id"], source)
    return notebook


def read_cells(path) -> list[Cell]:
    """The code cells of the notebook file at ``path`` (for tools and tests; the grader reads bytes
    through :func:`course_grader.submissions.read_submission`)."""
    try:
        size = os.path.getsize(path)
        if size > MAX_NOTEBOOK_BYTES:
            raise NotebookProblem(f"file too large for a notebook ({size / 1024**2:.0f} MB)")
        with open(path, "rb") as handle:
            raw = handle.read(MAX_NOTEBOOK_BYTES + 1)
    except OSError as exc:
        raise NotebookProblem(f"cannot read the file ({exc.strerror or type(exc).__name__})") from None
    return parse_notebook(raw).cells

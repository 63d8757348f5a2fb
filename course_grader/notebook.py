"""Read a submitted notebook defensively and decide which code the kernel runs.

A submission is untrusted input: any bytes, any JSON, any cell contents.
:func:`read_cells` either returns the notebook's code cells or raises
:class:`NotebookProblem` with a reason an instructor can read.  It never
executes anything and never needs nbgrader.

:func:`runnable_cells` then drops what the grader must not run:

* check cells -- nbgrader "autograded test" cells (``grade: true`` and not a
  ``solution``) are skipped whole, and top-level statements calling
  ``check(...)`` are removed from any other cell (the verdict never comes from
  the kernel, so running checks would only cost time);
* shell escapes and package installs (``!cmd``, ``%pip``, ``%conda``,
  ``%%bash``, ``%system``, ...), which are never part of an answer.
"""

from __future__ import annotations

import ast
import json
import os
from dataclasses import dataclass

from IPython.core.inputtransformer2 import TransformerManager

__all__ = ["Cell", "NotebookProblem", "read_cells", "runnable_cells", "python_source", "MAX_NOTEBOOK_BYTES"]

MAX_NOTEBOOK_BYTES = 50 * 1024**2

_SHELL_LINE_MAGICS = {"system", "sx", "pip", "conda", "mamba", "micromamba", "uv", "sc", "bookmark", "cd"}
_SHELL_CELL_MAGICS = {"bash", "sh", "script", "system", "perl", "ruby", "python", "python2", "python3", "pypy"}


@dataclass(frozen=True)
class Cell:
    """A code cell: its 1-based position among all cells, its source, nbgrader metadata."""

    number: int
    source: str
    nbgrader: dict


class NotebookProblem(Exception):
    """The file cannot be graded as a notebook; the message says why."""


def read_cells(path) -> list[Cell]:
    """The code cells of the notebook at ``path``.

    Raises
    ------
    NotebookProblem
        When the file is too large, not UTF-8 JSON, or not an nbformat-4 notebook.
    """
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise NotebookProblem(f"cannot read the file ({exc.strerror or type(exc).__name__})") from None
    if size == 0:
        raise NotebookProblem("empty file (0 bytes), not a notebook")
    if size > MAX_NOTEBOOK_BYTES:
        raise NotebookProblem(f"file too large for a notebook ({size / 1024**2:.0f} MB)")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_NOTEBOOK_BYTES + 1)
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotebookProblem("not a notebook: the file is not UTF-8 text") from None
    except OSError as exc:
        raise NotebookProblem(f"cannot read the file ({exc.strerror or type(exc).__name__})") from None
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
    cells = []
    for number, cell in enumerate(nb["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(part for part in source if isinstance(part, str))
        if not isinstance(source, str):
            continue
        metadata = cell.get("metadata")
        meta = metadata.get("nbgrader") if isinstance(metadata, dict) else None
        cells.append(Cell(number, source, meta if isinstance(meta, dict) else {}))
    return cells


def python_source(source: str) -> str:
    """The cell as plain Python (IPython magics turned into calls), as IPython itself does."""
    try:
        return TransformerManager().transform_cell(source)
    except Exception:  # IPython cannot even split it; let the kernel report the error
        return source


def is_test_cell(cell: Cell) -> bool:
    """An nbgrader autograded-test cell: graded, not the learner's answer."""
    return bool(cell.nbgrader.get("grade")) and not bool(cell.nbgrader.get("solution"))


def _check_names(tree: ast.Module) -> set[str]:
    """Local names bound to course_lib's ``check`` (``check`` itself included)."""
    names = {"check"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("course_lib"):
            for alias in node.names:
                if alias.name == "check":
                    names.add(alias.asname or alias.name)
    return names


def _calls_check(node: ast.AST, names: set[str]) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            if isinstance(func, ast.Name) and func.id in names:
                return True
            if isinstance(func, ast.Attribute) and func.attr == "check":
                return True
    return False


def _shell_call(node: ast.AST) -> bool:
    """``get_ipython().system(...)``, ``.getoutput(...)`` or a shell/installer magic."""
    for sub in ast.walk(node):
        if not (isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute)):
            continue
        owner = sub.func.value
        if not (isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "get_ipython"):
            continue
        method = sub.func.attr
        if method in ("system", "getoutput"):
            return True
        if method in ("run_line_magic", "run_cell_magic") and sub.args:
            first = sub.args[0]
            magic = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else ""
            table = _SHELL_LINE_MAGICS if method == "run_line_magic" else _SHELL_CELL_MAGICS
            if magic in table or magic.startswith("!"):
                return True
    return False


def runnable_cells(cells: list[Cell]) -> list[Cell]:
    """The cells to run, in order, with check calls and shell escapes removed.

    A cell that does not parse is kept unchanged, so that the kernel reports
    its SyntaxError like Jupyter would.
    """
    names: set[str] = set()
    parsed = []
    for cell in cells:
        if is_test_cell(cell):
            continue
        code = python_source(cell.source)
        try:
            tree = ast.parse(code)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            tree = None
        parsed.append((cell, code, tree))
        if tree is not None:
            names |= _check_names(tree)
    runnable = []
    for cell, code, tree in parsed:
        if tree is None:
            runnable.append(cell)
            continue
        keep = [
            stmt for stmt in tree.body
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            or not (_calls_check(stmt, names) or _shell_call(stmt))
        ]
        if len(keep) == len(tree.body):
            runnable.append(Cell(cell.number, code, cell.nbgrader))
        elif keep:
            tree.body = keep
            try:
                runnable.append(Cell(cell.number, ast.unparse(tree), cell.nbgrader))
            except (RecursionError, ValueError):  # pathological code: run it unchanged
                runnable.append(Cell(cell.number, code, cell.nbgrader))
    return runnable

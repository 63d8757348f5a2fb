"""Decide which code the kernel runs: the student's cells, their checks neutralised, shell escapes out.

* **Check cells.**  The first cell carrying an nbgrader autograded-test ``grade_id`` (``grade``
  true, ``solution`` false) is that check, and is not run: nbgrader itself replaces such a cell
  with the release's version, and the grader decides the grade in its own process.  A later cell
  carrying an id already seen is a copy (nbgrader drops the metadata of duplicate ids): it runs
  like any other cell, so a helper written there counts.
* **Check calls.**  Every call to the course's ``check`` (``check``, an alias imported from
  ``course_lib.checks``, ``course_lib.checks.check``) is replaced, wherever it is, by a call that
  evaluates the same arguments and returns True -- the value a passing check returns.  The
  statement around it stays as it was: ``if check(...): x = ...`` still assigns ``x``.
* **Shell escapes** (``!cmd``, ``%pip``, ``%%bash``, ``get_ipython().system_raw(...)``, ...) are
  replaced by ``None``: they are never part of an answer.

A cell that does not parse is kept unchanged, so that the kernel reports its SyntaxError like
Jupyter would; a cell nothing was changed in keeps its exact text (its line numbers).  Running out
of memory is not "does not parse": it fails the analysis (:mod:`course_grader.analysis`).
"""

from __future__ import annotations

import ast

from .notebook import Cell

__all__ = ["parse_cells", "neutralise", "runnable_cells", "python_source", "is_test_cell", "is_shell_call",
           "SHELL_METHODS"]

_SHELL_LINE_MAGICS = {"system", "sx", "pip", "conda", "mamba", "micromamba", "uv", "sc", "bookmark", "cd"}
_SHELL_CELL_MAGICS = {"bash", "sh", "script", "system", "perl", "ruby", "python", "python2", "python3", "pypy"}
SHELL_METHODS = {"system", "getoutput", "system_raw", "system_piped"}
_PASSED = "(lambda *_args, **_kwargs: True)"


_MANAGER = []


def python_source(source: str) -> str:
    """The cell as plain Python (IPython magics turned into calls), as IPython itself does."""
    if not _MANAGER:
        from IPython.core.inputtransformer2 import TransformerManager

        _MANAGER.append(TransformerManager())
    try:
        return _MANAGER[0].transform_cell(source)
    except MemoryError:  # the analysis must fail, not pass the cell on unread
        raise
    except Exception:  # IPython cannot even split it; let the kernel report the error
        return source


def is_test_cell(cell: Cell) -> bool:
    """An nbgrader autograded-test cell: graded, not the learner's answer."""
    return bool(cell.nbgrader.get("grade")) and not bool(cell.nbgrader.get("solution"))


def _check_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Local names bound to the course's ``check``, and to the ``course_lib.checks`` module."""
    functions, modules = {"check"}, set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("course_lib"):
            for alias in node.names:
                if alias.name == "check":
                    functions.add(alias.asname or alias.name)
                elif node.module == "course_lib" and alias.name == "checks":
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "course_lib.checks" and alias.asname:
                    modules.add(alias.asname)
    return functions, modules


def _is_check_call(call: ast.Call, functions: set[str], modules: set[str]) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in functions
    if isinstance(func, ast.Attribute) and func.attr == "check":
        owner = func.value
        if isinstance(owner, ast.Name):
            return owner.id in modules
        return (isinstance(owner, ast.Attribute) and owner.attr == "checks"
                and isinstance(owner.value, ast.Name) and owner.value.id == "course_lib")
    return False


def is_shell_call(call: ast.Call) -> bool:
    """``get_ipython().system(...)`` and the like, or a shell/installer magic."""
    if not isinstance(call.func, ast.Attribute):
        return False
    owner = call.func.value
    if not (isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "get_ipython"):
        return False
    method = call.func.attr
    if method in SHELL_METHODS:
        return True
    if method in ("run_line_magic", "run_cell_magic") and call.args:
        first = call.args[0]
        magic = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else ""
        table = _SHELL_LINE_MAGICS if method == "run_line_magic" else _SHELL_CELL_MAGICS
        return magic in table or magic.startswith("!")
    return False


class _Neutralise(ast.NodeTransformer):
    def __init__(self, functions: set[str], modules: set[str]):
        self.functions, self.modules = functions, modules
        self.changed = False

    def visit_Call(self, node: ast.Call):
        self.generic_visit(node)
        if is_shell_call(node):
            self.changed = True
            return ast.copy_location(ast.Constant(None), node)
        if _is_check_call(node, self.functions, self.modules):
            self.changed = True
            passed = ast.parse(_PASSED, mode="eval").body
            return ast.copy_location(ast.Call(passed, node.args, node.keywords), node)
        return node


def parse_cells(cells: list[Cell]) -> list[tuple]:
    """``(cell, python source, ast.Module or None)`` for each cell that may run (checks left out)."""
    parsed, seen_ids = [], set()
    for cell in cells:
        if is_test_cell(cell):
            grade_id = cell.nbgrader.get("grade_id")
            if isinstance(grade_id, str) and grade_id not in seen_ids:
                seen_ids.add(grade_id)
                continue  # the check itself (nbgrader would restore it): not the student's code
        code = python_source(cell.source)
        try:
            tree = ast.parse(code)
        except (SyntaxError, ValueError, RecursionError):  # Python cannot compile it either: the kernel says why
            tree = None
        parsed.append((cell, code, tree))
    return parsed


def neutralise(parsed: list[tuple]) -> list[Cell]:
    """The cells to run, from :func:`parse_cells`: check calls neutralised, shell escapes removed.

    The trees are changed in place: read them (static checks) before.
    """
    functions, modules = {"check"}, set()
    for _, _, tree in parsed:
        if tree is not None:
            more_functions, more_modules = _check_names(tree)
            functions |= more_functions
            modules |= more_modules
    runnable = []
    for cell, code, tree in parsed:
        if tree is None:
            runnable.append(cell)
            continue
        visitor = _Neutralise(functions, modules)
        try:
            tree = visitor.visit(tree)
            source = ast.unparse(ast.fix_missing_locations(tree)) if visitor.changed else code
        except (RecursionError, ValueError):  # pathological code: run it as IPython would
            source = code
        if source.strip():
            runnable.append(Cell(cell.number, source, cell.nbgrader))
    return runnable


def runnable_cells(cells: list[Cell]) -> list[Cell]:
    """The cells to run, in order, with check calls neutralised and shell escapes removed."""
    return neutralise(parse_cells(cells))

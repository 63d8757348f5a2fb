"""The three packages stay apart: learners import course_lib, which never reaches the grader or the tools."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
APART = ("course_grader", "course_tools")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names |= {word for word in APART if node.value.startswith(word)}  # import_module("course_grader")
    return names


def test_course_lib_never_imports_the_grader_or_the_tools():
    offenders = {
        str(path.relative_to(REPO)): sorted(m for m in _imported_modules(path) if m.split(".")[0] in APART)
        for path in sorted((REPO / "course_lib").rglob("*.py"))
    }
    assert not {k: v for k, v in offenders.items() if v}


def test_importing_every_course_lib_module_loads_neither_package():
    code = (
        "import importlib, pkgutil, sys, course_lib\n"
        "for m in pkgutil.walk_packages(course_lib.__path__, 'course_lib.'):\n"
        "    importlib.import_module(m.name)\n"
        f"print(sorted(n for n in sys.modules if n.split('.')[0] in {APART!r}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                          env={"MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin"}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_every_course_lib_module_reads_top_to_bottom_in_under_500_lines():
    """A learner who clicks into course_lib from a lesson finds one algorithm, one set of checks or one
    figure per module, not a wall: no module is over 500 lines (split it by what it holds)."""
    long = {str(path.relative_to(REPO)): lines for path in sorted((REPO / "course_lib").rglob("*.py"))
            if (lines := path.read_text(encoding="utf-8").count("\n")) > 500}
    assert not long, f"modules over 500 lines: {long}"

"""The course's exercises under nbgrader itself: ``nbgrader autograde`` gives the shipped blank notebooks
0 points, the solutions full marks, and a wrong answer exactly that task's points less.

nbgrader is never a course dependency: ``make test-nbgrader`` installs it into its own environment
(.bench-envs/nbgrader) and runs this file with ``COURSE_NBGRADER`` naming its ``nbgrader`` command;
without that variable the file is skipped.  Kernels run this Python (a kernelspec pointing here), so
they import this checkout's course_lib, as a learner's JupyterLab would.
"""

from __future__ import annotations

import ast
import builtins
import dis
import inspect
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from course_lib.checks import EXERCISES, TASKS

NBGRADER = os.environ.get("COURSE_NBGRADER", "")
ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "ps"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not NBGRADER or not os.path.exists(NBGRADER),
                                 reason="nbgrader runs only in make test-nbgrader (COURSE_NBGRADER unset)")]


def _load_corpus(exercise):
    import importlib.util

    folder = ROOT / "tests" / "lib" / "wrong_answers"
    spec = importlib.util.spec_from_file_location(f"nbgrader_wrong_{exercise}", folder / f"{exercise}.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(folder))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(folder))
    return module.CORPUS


def wrong_answer(exercise, solution):
    """``(task, cell source)``: a wrong answer of the corpus written as the learner's solution cell.

    The first one to a function that needs nothing but numpy and that no other cell of the solution
    calls (a later answer built on it would fail too); else the first wrong value, as a literal.
    """
    corpus = [(task, fn) for task, expect, fn in _load_corpus(exercise)
              if expect is not None and TASKS[task].points > 0]
    for task, fn in corpus:
        if TASKS[task].kind != "function" or _globals_used(fn.__code__) - {"np"} - set(dir(builtins)):
            continue
        symbol = TASKS[task].symbol
        others = ["".join(c["source"]) for c in solution["cells"] if c["cell_type"] == "code"
                  and c.get("metadata", {}).get("nbgrader", {}).get("grade_id") not in (f"{task}_solution",
                                                                                        f"{task}_check")]
        if any(f"{symbol}(" in source for source in others):
            continue
        source = textwrap.dedent(inspect.getsource(fn))
        source = "\n".join(line for line in source.splitlines() if not line.startswith("@"))
        return task, f"import numpy as np\n{source}\n{symbol} = {fn.__name__}\n"
    for task, fn in corpus:
        if TASKS[task].kind == "function":
            continue
        value = fn()
        value = value.item() if hasattr(value, "item") and getattr(value, "ndim", 1) == 0 else value
        try:
            if ast.literal_eval(repr(value)) == value:
                return task, f"{TASKS[task].symbol} = {value!r}\n"
        except (ValueError, SyntaxError):
            continue
    raise LookupError(f"no self-contained wrong answer for {exercise}")


def _globals_used(code) -> set[str]:
    """Global names a function (and the comprehensions and lambdas inside it) loads."""
    names = {ins.argval for ins in dis.get_instructions(code) if ins.opname == "LOAD_GLOBAL"}
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            names |= _globals_used(const)
    return names


def _notebook(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _with_answer(notebook, task, source):
    changed = json.loads(json.dumps(notebook))
    for cell in changed["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == f"{task}_solution":
            cell["source"] = source
            return changed
    raise LookupError(f"no solution cell for {task}")


def _nbgrader(course, env, *args):
    done = subprocess.run([NBGRADER, *args], cwd=course, env=env, capture_output=True, text=True, timeout=3600)
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stderr[-4000:]}"
    return done


@pytest.fixture(scope="module")
def autograded(tmp_path_factory):
    course = tmp_path_factory.mktemp("nbgrader-course")
    exercises = sorted(n[: -len(".ipynb")] for n in os.listdir(ROOT / "exercises" / "solutions")
                       if n.endswith(".ipynb") and n[: -len(".ipynb")] in EXERCISES)
    wrong = {}
    for exercise in exercises:
        solution = _notebook(ROOT / "exercises" / "solutions" / f"{exercise}.ipynb")
        (course / "source" / ASSIGNMENT).mkdir(parents=True, exist_ok=True)
        (course / "source" / ASSIGNMENT / f"{exercise}.ipynb").write_text(json.dumps(solution), encoding="utf-8")
        task, source = wrong_answer(exercise, solution)
        wrong[exercise] = task
        for student, notebook in (("blank", _notebook(ROOT / "exercises" / f"{exercise}.ipynb")),
                                  ("solution", solution), ("wrong", _with_answer(solution, task, source))):
            folder = course / "submitted" / student / ASSIGNMENT
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{exercise}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    (course / "nbgrader_config.py").write_text(textwrap.dedent(f"""
        c = get_config()
        c.CourseDirectory.root = {str(course)!r}
        c.CourseDirectory.course_id = "course"
        c.CourseDirectory.db_url = "sqlite:///{course}/gradebook.db"
        c.Execute.timeout = 300
        c.Execute.startup_timeout = 300  # a busy machine starts kernels slowly
    """), encoding="utf-8")
    kernel = course / "jupyter" / "kernels" / "python3"  # the notebooks' kernel: this Python, this course_lib
    kernel.mkdir(parents=True)
    (kernel / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)", "language": "python"}), encoding="utf-8")
    env = {**os.environ, "PATH": f"{Path(NBGRADER).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "JUPYTER_PATH": str(course / "jupyter"), "MPLBACKEND": "Agg",
           "JUPYTER_CONFIG_DIR": str(course / "jupyter-config"), "JUPYTER_DATA_DIR": str(course / "jupyter-data"),
           "PYTHONPATH": str(ROOT)}
    env.pop("NBGRADER_EXECUTION", None)
    _nbgrader(course, env, "generate_assignment", ASSIGNMENT, "--force")
    _nbgrader(course, env, "autograde", ASSIGNMENT, "--create", "--force")
    dump = textwrap.dedent(f"""
        import json
        from nbgrader.api import Gradebook
        out = {{}}
        with Gradebook("sqlite:///{course}/gradebook.db") as gb:
            for student in ("blank", "solution", "wrong"):
                for notebook in {exercises!r}:
                    sub = gb.find_submission_notebook(notebook, "{ASSIGNMENT}", student)
                    out[f"{{student}}/{{notebook}}"] = {{g.name: [g.auto_score, g.max_score, g.needs_manual_grade]
                                                       for g in sub.grades}}
        print(json.dumps(out))
    """)
    python = Path(NBGRADER).parent / "python"
    done = subprocess.run([str(python), "-c", dump], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return {"grades": json.loads(done.stdout.strip().splitlines()[-1]), "exercises": exercises, "wrong": wrong}


def _check_cells(autograded, student, exercise):
    """``{task: (auto score, max score)}`` over the check cells (written answers wait for a human)."""
    grades = autograded["grades"][f"{student}/{exercise}"]
    return {name[: -len("_check")]: (auto, top) for name, (auto, top, manual) in grades.items()
            if name.endswith("_check")}


def test_every_check_cell_is_worth_its_tasks_points(autograded):
    for exercise in autograded["exercises"]:
        cells = _check_cells(autograded, "solution", exercise)
        expected = {name: TASKS[name].points for name in EXERCISES[exercise] if TASKS[name].kind != "written"}
        assert {name: top for name, (_, top) in cells.items()} == expected, exercise


def test_the_shipped_blank_notebooks_get_zero(autograded):
    for exercise in autograded["exercises"]:
        cells = _check_cells(autograded, "blank", exercise)
        assert {name: auto for name, (auto, _) in cells.items()} == {name: 0 for name in cells}, exercise


def test_the_solutions_get_full_marks(autograded):
    for exercise in autograded["exercises"]:
        cells = _check_cells(autograded, "solution", exercise)
        assert {name: auto for name, (auto, _) in cells.items()} == {name: top for name, (_, top) in cells.items()}, \
            exercise


def test_one_wrong_answer_loses_exactly_that_tasks_points(autograded):
    for exercise in autograded["exercises"]:
        cells = _check_cells(autograded, "wrong", exercise)
        task = autograded["wrong"][exercise]
        expected = {name: 0 if name == task else top for name, (_, top) in cells.items()}
        assert {name: auto for name, (auto, _) in cells.items()} == expected, (exercise, task)


def test_written_answers_are_left_to_manual_grading(autograded):
    written = [(e, n) for e in autograded["exercises"] for n in EXERCISES[e] if TASKS[n].kind == "written"]
    for exercise, name in written:
        auto, top, manual = autograded["grades"][f"solution/{exercise}"][name]
        assert manual and top == TASKS[name].points

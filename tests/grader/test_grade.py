"""Tests for the instructors' grader (course_grader, course_grader).

Most of the time goes into one module-scoped fixture that grades a whole corpus of
submissions -- correct, partial, every kind of bad input the issue lists, and tampering --
with the real checks of exercises 03 and 04, then grades it again through the command
line.  Each test then asserts one row: the points of every task (what the submission
deserves, worked out from what it does, not from a run of the grader) and its flags.

The corpus is generated from compact specs below (:func:`build_corpus`) and the sample answers
in tests/grader/sample_submissions.py (which bench/bench_grade.py grades too), so the repository holds
no notebooks for it.  Fast unit tests of the pieces (wire format,
notebook reading, static checks, CSV, file names) come last and start no kernel.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re

import numpy as np
import pytest

from course_lib.checks import tasks_for
from course_grader.cli import main as grade_main
from course_grader import Limits, grade_submissions
from course_grader import wire
from course_grader.notebook import Cell, NotebookProblem, read_cells, runnable_cells
from course_grader.progress import Progress
from course_grader.report import feedback_markdown, grades_table, safe_name
from course_grader.runner import SubmissionResult, TaskResult
from course_grader.sandbox import landlock_abi
from course_grader.source_checks import outside_writes, parse_cells, reference_uses
from sample_submissions import SETUP, SOLUTIONS, cell, code, stub

# ---------------------------------------------------------------------------
# Notebooks of the corpus
# ---------------------------------------------------------------------------

POINTS = {
    "ex03_l2_ridge": {"l2_penalty": 1, "l2_gradient": 1, "weight_decay_step": 2, "predict_decay": 1, "fit_ridge": 3,
                    "predict_most_shrunk": 1, "explain_standardize": 2, "ridge_shrinkage_factors": 0,
                    "ridge_dof_answer": 0},
    "ex04_l1_lasso": {"l1_penalty": 1, "l1_subgradient": 1, "soft_threshold": 2, "lasso_coordinate_update": 2,
                    "fit_lasso": 3, "surviving_features": 1, "predict_descent_zeros": 1,
                    "explain_exact_zeros": 0},  # a written answer: graded by hand, 0 automatic points
}
# The row's max counts every task's points, the written answers' (graded by hand) included.
MAX_POINTS = {exercise: sum(t.points for t in tasks_for(exercise)) for exercise in POINTS}


def notebook(exercise, answers=None, *, before=(), after=(), drop=(), check_cells=True, shuffle=False,
             template=False, check_sources=None):
    """An exercise notebook in the course's layout, with nbgrader metadata.

    ``answers`` maps task name -> source replacing the solution (None keeps it); ``before``/
    ``after`` are extra code cells; ``drop`` removes task cells; ``shuffle`` puts the check
    cells first and the tasks in a different (still runnable) order.
    """
    answers = dict(answers or {})
    tasks = tasks_for(exercise)
    setup = [cell("markdown", f"# Exercise {exercise}"), cell("code", SETUP[exercise])]
    blocks = []
    for task in tasks:
        if task.name in drop:
            continue
        if task.kind == "written":  # a Markdown answer cell, graded by hand: no code, no check cell
            answer = cell("markdown", "My answer, in prose.",
                          {"solution": True, "grade": True, "locked": False, "points": task.points,
                           "grade_id": task.name, "schema_version": 3})
            blocks.append((cell("markdown", f"## {task.description}"), answer, None))
            continue
        source = answers.get(task.name) or (stub(task) if template else code(SOLUTIONS[exercise][task.name]))
        if task.kind == "written":  # a Markdown answer graded by hand: no check cell
            answer = cell("markdown", source, {"solution": True, "grade": True, "locked": False, "points": task.points,
                                               "grade_id": task.name, "schema_version": 3})
            blocks.append((cell("markdown", f"## {task.description}"), answer, None))
            continue
        answer = cell("code", source, {"solution": True, "grade": False, "locked": False,
                                        "grade_id": f"{task.name}_answer", "schema_version": 3})
        check_source = (check_sources or {}).get(task.name, f'check("{task.name}", {task.symbol})')
        check = cell("code", check_source,
                      {"grade": True, "solution": False, "locked": True, "points": task.points,
                       "grade_id": f"check_{task.name}", "schema_version": 3})
        blocks.append((cell("markdown", f"## {task.description}"), answer, check if check_cells else None))
    if shuffle:
        checks = [b[2] for b in blocks if b[2]]
        body = checks + [c for b in blocks[::-1][1:] + blocks[-1:] for c in b[:2]]
    else:
        body = [c for b in blocks for c in b if c]
    cells = setup + [cell("code", code(s)) for s in before] + body + [cell("code", code(s)) for s in after]
    return {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                        "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


# ---------------------------------------------------------------------------
# The corpus: (student, file, content, expected points per task, flag patterns)
# ---------------------------------------------------------------------------

R3, R4 = "ex03_l2_ridge", "ex04_l1_lasso"
NB3, NB4 = f"{R3}.ipynb", f"{R4}.ipynb"


def written(exercise):
    """Tasks answered in prose: the grader leaves them to the instructor (0 points, status manual)."""
    return {t.name for t in tasks_for(exercise) if t.kind == "written"}


def points(exercise, **changes):
    expected = {name: 0 if name in written(exercise) else p for name, p in POINTS[exercise].items()}
    expected.update(changes)
    return expected


FULL3, FULL4 = points(R3), points(R4)


def zeros(exercise):
    return {name: 0 for name in POINTS[exercise]}


def not_defined(exercise, *names):
    names = names or tuple(n for n in POINTS[exercise] if n not in written(exercise))
    kinds = {t.name: t.kind for t in tasks_for(exercise)}
    return [rf"{n}: {'function' if kinds[n] == 'function' else 'answer'} `{n}` not defined" for n in names]


CELL = r"cell \d+"
# Time limits short enough for a quick corpus, long enough for correct cells on a busy 2-core machine.
TEST_LIMITS = Limits(cell_seconds=5, task_seconds=5, notebook_seconds=60, memory_bytes=1536 * 1024**2)
TIMED_OUT = f"timed out after {TEST_LIMITS.cell_seconds:g} s"
TASK_TIMED_OUT = f"timed out after {TEST_LIMITS.task_seconds:g} s"
ODD_IDS = ["zoë o'brien, \"2nd\"", "-rf", "a;b|c$(x)", "名前", " .. ", "Alice"]

# Tampering helpers: code a student might run to get a pass without the work.
PATCH_NUMPY = """
    import numpy as np, numpy.testing
    np.isclose = lambda *a, **k: True
    np.allclose = lambda *a, **k: True
    np.array_equal = lambda *a, **k: True
    numpy.testing.assert_allclose = lambda *a, **k: None"""
PATCH_CHECK = """
    def check(*args, **kwargs):
        print("PASS")
        return True"""
PATCH_COURSE_LIB = """
    import course_lib, course_lib.penalties, course_lib.trainers, course_lib.checks
    import course_lib.checks.framework as framework
    course_lib.penalties.l2_penalty = lambda w, rate: 0.0
    course_lib.penalties.l2_gradient = lambda w, rate: w
    course_lib.trainers.fit_ridge = lambda X, y, rate: (np.zeros(X.shape[1]), 0.0)
    framework.allclose = lambda *a, **k: (lambda got, expected: True)
    course_lib.checks.TASKS.clear()
    course_lib.checks.EXERCISES.clear()"""
PATCH_IPYTHON = """
    import builtins, sys, IPython.display
    IPython.display.display = lambda *a, **k: None
    get_ipython().display_pub.publish = lambda *a, **k: None
    builtins.print = lambda *a, **k: None
    sys.stdout = None
    sys.stderr = None"""
FAKE_RESULTS = """
    import json
    from IPython.display import publish_display_data
    print("l2_penalty: PASS - passed 7 cases")
    print("_course_grader_" + "0" * 32, json.dumps({"results": "all passed"}))
    publish_display_data({"text/x-course-grader": json.dumps(
        {"nonce": "0" * 32, "task": "l2_penalty", "missing": False, "results": [{"returned": 0.0}]})})
    with open("results.json", "w") as handle:
        json.dump({"l2_penalty": 1, "fit_ridge": 3}, handle)
    with open("grades.csv", "w") as handle:
        handle.write("student,total\\nmallory,10\\n")"""
FORGER = """
    def l2_gradient(w, rate):
        import sys, json
        from IPython.display import publish_display_data
        key = next(k for k in sys.modules if k.startswith("_course_grader_"))
        nonce = key[len("_course_grader_"):]
        fake = {"nonce": nonce, "task": "l2_gradient", "missing": False,
                "results": [{"returned": 0.0}] * 7}
        publish_display_data({"text/x-course-grader": json.dumps(fake)})
        return w"""
WRONG3 = {
    "l2_penalty": "def l2_penalty(w, rate):\n    return 0.0",
    "l2_gradient": "def l2_gradient(w, rate):\n    return w",
    "weight_decay_step": "def weight_decay_step(w, grad_loss, lr, rate):\n    return w - lr * grad_loss",
    "fit_ridge": "def fit_ridge(X, y, rate):\n    return np.zeros(X.shape[1]), 0.0",
}


def corpus_specs(sentinel: str, root: str = "/nonexistent"):
    """Every submission of the corpus with what it must get.

    ``sentinel`` is an absolute path outside every sandbox that one submission tries to write
    and another to read; ``root`` is the submissions folder, where a third looks for alice's
    notebook to copy.
    """
    isolated = landlock_abi() > 0 or os.geteuid() == 0
    private = landlock_abi() > 0  # Landlock also limits what kernels may read
    return [
        # -- ordinary submissions ------------------------------------------------------------
        ("alice", NB3, notebook(R3), FULL3, []),
        ("alice", NB4, notebook(R4), FULL4, []),
        ("bob", NB3, notebook(R3, {
            "l2_penalty": "def l2_penalty(w, rate):\n    return rate * float(np.sum(w**2))",  # 1/2 missing
            "fit_ridge": code("""
                def fit_ridge(X, y, rate):
                    n, p = X.shape
                    X1 = np.column_stack([np.ones(n), X])
                    theta = np.linalg.solve(X1.T @ X1 + n * rate * np.eye(p + 1), X1.T @ y)
                    return theta[1:], theta[0]"""),  # penalizes the intercept
        }), points(R3, l2_penalty=0, fit_ridge=0), []),
        ("bob", NB4, notebook(R4, {
            "soft_threshold": "def soft_threshold(v, threshold):\n    return np.where(np.abs(v) > threshold, v, 0.0)",
            "surviving_features": code("""
                X, y, _ = survivor_data()
                surviving_features = {j + 1 for j in np.flatnonzero(fit_lasso(X, y, 0.2)[0])}"""),
        }), points(R4, soft_threshold=0, surviving_features=0), []),
        ("carol", NB3, notebook(R3, template=True), zeros(R3), []),
        ("leo", os.path.join("ps03", NB3), notebook(R3), FULL3, []),  # nbgrader's deeper layout
        # -- files that are not (good) notebooks ----------------------------------------------
        ("corrupt", NB3, '{"cells": [', zeros(R3), [r"not a notebook: corrupt JSON \(line 1\)"]),
        ("json-list", NB3, "[1, 2, 3]", zeros(R3), [r"not a notebook: JSON without a list of cells"]),
        ("empty-file", NB3, "", zeros(R3), [r"empty file \(0 bytes\), not a notebook"]),
        ("empty-notebook", NB3, {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5},
         zeros(R3), not_defined(R3)),
        ("wrong-exercise", NB3, notebook(R4), zeros(R3),
         [r"looks like exercise ex04_l1_lasso"] + not_defined(R3)),
        ("unknown-file", "notes.ipynb", notebook(R3), {}, [r"unknown exercise file"]),
        ("missing-cells", NB3, notebook(R3, drop=("weight_decay_step", "fit_ridge")),
         points(R3, weight_decay_step=0, fit_ridge=0), not_defined(R3, "weight_decay_step", "fit_ridge")),
        ("reordered", NB3, notebook(R3, shuffle=True), FULL3, []),
        ("no-check-cells", NB3, notebook(R3, check_cells=False), FULL3, []),
        ("edits-check-cells", NB3, notebook(R3, check_sources={
            "l2_penalty": 'print("l2_penalty: PASS")',
            "l2_gradient": "l2_gradient = lambda w, rate: w  # would make it wrong, if it ran",
            "fit_ridge": "import sys\nsys.exit(0)",
        }), FULL3, []),
        # -- code that fails in every way -----------------------------------------------------
        (ODD_IDS[0], NB3, notebook(R3, {"l2_gradient": "def l2_gradient(w, rate)\n    return rate * w"}),
         points(R3, l2_gradient=0), [rf"{CELL}: SyntaxError: .*"] + not_defined(R3, "l2_gradient")),
        (ODD_IDS[1], NB3, notebook(R3, {"fit_ridge": "def fit_ridge(X, y, rate):\n    raise ValueError('oops')"},
                                   before=["1 / 0"]),
         points(R3, fit_ridge=0), [rf"{CELL}: ZeroDivisionError: division by zero"]),
        (ODD_IDS[2], NB3, notebook(R3, before=["while True:\n    pass"]), FULL3, [rf"{CELL}: {TIMED_OUT}"]),
        (ODD_IDS[3], NB3, notebook(R3, {"l2_gradient": "def l2_gradient(w, rate):\n    while True:\n        pass"}),
         points(R3, l2_gradient=0), [rf"l2_gradient: {TASK_TIMED_OUT}"]),
        (ODD_IDS[4], NB3, notebook(R3, before=["import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                                               "while True:\n    pass"]),
         FULL3, [rf"{CELL}: {TIMED_OUT}"]),
        (ODD_IDS[5], NB3, notebook(R3, before=["import sys\nsys.exit(1)"]), FULL3, [rf"{CELL}: SystemExit: 1"]),
        ("exits", NB3, notebook(R3, before=["import os\nos._exit(3)"]), FULL3,
         [rf"{CELL}: the kernel died: exited with status 3 .*"]),
        ("killed", NB3, notebook(R3, {"fit_ridge": "import os, signal\ndef fit_ridge(X, y, rate):\n"
                                                   "    os.kill(os.getpid(), signal.SIGKILL)"}),
         points(R3, fit_ridge=0), [rf"sends a signal: os.kill \({CELL}\)",
                                   r"fit_ridge: the kernel died while running your function: .*SIGKILL.*"]),
        ("memory-bomb", NB3, notebook(R3, {"l2_penalty": "def l2_penalty(w, rate):\n    return len(bytearray(8 * 10**9))"},
                                      before=["def bomb():\n    hoard = []\n    while True:\n"
                                              "        hoard.append(np.empty(10**8))\nbomb()"]),
         points(R3, l2_penalty=0), [rf"{CELL}: \w*MemoryError: .*"]),
        ("loud", NB3, notebook(R3, before=["for i in range(20000):\n    print('spam ' * 40)",
                                           "print('x' * 30_000_000)"]), FULL3, []),
        ("escapes", NB3, notebook(R3, before=[f"with open({sentinel!r}, 'w') as handle:\n    handle.write('pwned')"]),
         FULL3, ([rf"{CELL}: PermissionError: .*"] if isolated else [])
         + [rf"writes outside its folder: {re.escape(repr(sentinel))} \({CELL}\)"]),
        ("snoops", NB3, notebook(R3, before=[f"print(open({sentinel!r}).read())"]), FULL3,
         [rf"{CELL}: PermissionError: .*"] if private else []),
        ("copies", NB3, notebook(R3, template=True, after=[code(f"""
            import json
            with open({os.path.join(root, "alice", NB3)!r}) as handle:
                for cell in json.load(handle)["cells"]:
                    if cell["cell_type"] == "code" and "check(" not in "".join(cell["source"]):
                        exec("".join(cell["source"]))""")]),
         zeros(R3) if private else FULL3, [rf"{CELL}: PermissionError: .*"] if private else []),
        ("odd-returns", NB3, notebook(R3, {
            "l2_gradient": "def l2_gradient(w, rate):\n    w *= rate\n    return w",  # changes its input
            "weight_decay_step": "def weight_decay_step(w, grad_loss, lr, rate):\n"
                                 "    return list((1 - lr * rate) * w - lr * grad_loss)",
            "l2_penalty": "def l2_penalty(w, rate):\n    return (x for x in w)",
        }, before=["!rm -rf ~\n%pip install nothing-at-all"]),
         points(R3, l2_gradient=0, weight_decay_step=0, l2_penalty=0), []),
        ("warns", NB3, notebook(R3, {
            "l2_gradient": "import sys\ndef l2_gradient(w, rate):\n    print('careful', file=sys.stderr)\n"
                           "    return rate * np.asarray(w, dtype=float)"},
            before=["import warnings\nwarnings.warn('deprecated thing')"]), FULL3, []),
        ("uses-reference", NB3, notebook(R3, {
            "l2_gradient": "from course_lib.penalties import l2_gradient as _g\n"
                           "def l2_gradient(w, rate):\n    return _g(w, rate)",
            "fit_ridge": "import course_lib.trainers as T\nfit_ridge = T.fit_ridge",
        }), FULL3, [r"l2_gradient: uses the reference implementation course_lib\.penalties\.l2_gradient",
                    r"fit_ridge: uses the reference implementation course_lib\.trainers\.fit_ridge"]),
        # -- tampering ------------------------------------------------------------------------
        ("mallory-numpy", NB3, notebook(R3, WRONG3, before=[PATCH_NUMPY, PATCH_CHECK]),
         points(R3, **{k: 0 for k in WRONG3}), []),
        ("mallory-course-lib", NB3, notebook(R3, WRONG3, before=[PATCH_COURSE_LIB]),
         points(R3, **{k: 0 for k in WRONG3}), []),
        ("mallory-ipython", NB3, notebook(R3, before=[PATCH_IPYTHON]), FULL3, []),
        ("mallory-ipython-wrong", NB3, notebook(R3, WRONG3, before=[PATCH_IPYTHON]),
         points(R3, **{k: 0 for k in WRONG3}), []),
        ("mallory-fake", NB3, notebook(R3, WRONG3, after=[FAKE_RESULTS]), points(R3, **{k: 0 for k in WRONG3}), []),
        ("mallory-forger", NB3, notebook(R3, {"l2_gradient": code(FORGER)}), points(R3, l2_gradient=0),
         [r"l2_gradient: more than one result came back from the kernel \(tampering\?\)"]),
        ("mallory-agent", NB3, notebook(R3, after=[
            "import sys\nfor key in [k for k in sys.modules if 'grader' in k]:\n    del sys.modules[key]"]),
         zeros(R3), [rf"{name}: no result came back from the kernel \(KeyError\)" for name in POINTS[R3]
                     if name not in written(R3)]),
    ]




def build_corpus(root, sentinel):
    """Write the corpus under ``root``; return the specs keyed by (student, exercise)."""
    expected = {}
    for student, relative, content, task_points, flags in corpus_specs(sentinel, root):
        path = os.path.join(root, student, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(content if isinstance(content, str) else json.dumps(content, indent=1))
        exercise = os.path.basename(relative)[: -len(".ipynb")]
        expected[(student, exercise)] = (task_points, flags)
    return expected


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("submissions")
    outside = tmp_path_factory.mktemp("outside")
    sentinel = str(outside / "sentinel.txt")
    with open(sentinel, "w") as handle:
        handle.write("untouched")
    expected = build_corpus(str(root), sentinel)
    out = tmp_path_factory.mktemp("out")
    report = grade_submissions(root, out, workers=2, limits=TEST_LIMITS, stream=None)
    with open(out / "grades.csv", encoding="utf-8", newline="") as handle:
        text = handle.read()
    rows = list(csv.DictReader(io.StringIO(text)))
    return {"root": root, "out": out, "report": report, "text": text, "sentinel": sentinel,
            "rows": {(r["student"], r["exercise"]): r for r in rows}, "expected": expected}


ALL_KEYS = [(s, os.path.basename(f)[: -len(".ipynb")]) for s, f, *_ in corpus_specs("/nonexistent")]


@pytest.mark.slow
@pytest.mark.parametrize("key", ALL_KEYS, ids=[f"{s}/{e}" for s, e in ALL_KEYS])
def test_row_has_expected_points_and_flags(graded, key):
    row = graded["rows"][key]
    task_points, flags = graded["expected"][key]
    got = {name: int(row[name]) for name in task_points}
    assert got == task_points
    assert int(row["total"]) == sum(task_points.values())
    exercise = key[1]
    assert int(row["max"]) == MAX_POINTS.get(exercise, 0)
    pattern = "; ".join(flags)
    assert re.fullmatch(pattern, row["flags"]), f"flags were: {row['flags']!r}"


@pytest.mark.slow
def test_every_submission_has_exactly_one_row_in_sorted_order(graded):
    keys = list(graded["rows"])
    assert sorted(keys) == sorted(ALL_KEYS)
    assert len(graded["text"].strip().splitlines()) == len(ALL_KEYS) + 1
    assert keys == sorted(keys)


@pytest.mark.slow
def test_columns_are_student_exercise_tasks_total_max_flags(graded):
    header = graded["text"].splitlines()[0].split(",")
    assert header == ["student", "exercise", *POINTS[R3], *POINTS[R4], "total", "max", "flags"]
    unknown = graded["rows"][("unknown-file", "notes")]
    assert all(unknown[name] == "" for name in [*POINTS[R3], *POINTS[R4]])
    assert graded["rows"][("alice", R3)]["l1_penalty"] == ""


@pytest.mark.slow
def test_odd_student_ids_survive_csv_and_get_separate_feedback_folders(graded):
    for student in ODD_IDS:
        assert (student, R3) in graded["rows"]
    folders = sorted(os.listdir(graded["out"] / "feedback"))
    assert len(folders) == len({s for s, _ in ALL_KEYS})
    for folder in folders:
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", folder) and ".." not in folder
    assert "alice" in folders and "Alice" not in folders  # case-insensitive file systems


@pytest.mark.slow
def test_the_sentinel_outside_the_sandbox_is_untouched(graded):
    if landlock_abi() == 0 and os.geteuid() != 0:
        pytest.skip("no Landlock and not root: writes outside the folder cannot be prevented here")
    with open(graded["sentinel"]) as handle:
        assert handle.read() == "untouched"


@pytest.mark.slow
def test_summary_counts(graded):
    report = graded["report"]
    failed = {("corrupt", R3), ("json-list", R3), ("empty-file", R3), ("unknown-file", "notes")}
    assert {(r.student, r.exercise) for r in report.results if not r.ran} == failed
    flagged = {key for key, (_, flags) in graded["expected"].items() if flags}
    assert report.flagged == len(flagged)
    summary = report.summary()
    assert f"graded {len(ALL_KEYS)} submissions" in summary
    assert f"{len(failed)} failed to run, {len(flagged)} flagged" in summary


@pytest.mark.slow
def test_feedback_has_hints_and_no_hidden_inputs_or_expected_values(graded):
    path = graded["out"] / "feedback" / "bob" / f"{R3}.md"
    text = path.read_text(encoding="utf-8")
    assert "Score: **5 / 11**" in text  # 9 of 11 for a full answer: 2 are graded by hand
    assert "the 1/2" in text  # the hint aimed at the missing 1/2
    assert "Never penalize b" in text  # the hint for a penalized intercept
    fed = " ".join(p.read_text(encoding="utf-8") for p in (graded["out"] / "feedback").rglob("*.md"))
    for task in tasks_for(R3) + tasks_for(R4):
        for case in task.cases():
            expected = task.expected(case)
            values = [expected] if task.kind == "value" else [*case.args, expected]
            for value in values:
                array = np.asarray(value[0] if isinstance(value, tuple) else value, dtype=object)
                for number in np.atleast_1d(array).ravel()[:20]:
                    # values with 3+ significant decimals; the public case labels hold simpler ones
                    if isinstance(number, (float, np.floating)) and abs(number * 100 - round(number * 100)) > 1e-6:
                        assert f"{number:.3f}" not in fed


@pytest.mark.slow
def test_rerun_through_the_command_line_gives_an_identical_csv(graded, tmp_path, capsys):
    status = grade_main([str(graded["root"]), "--out", str(tmp_path), "--workers", "2", "--quiet",
                         "--cell-timeout", str(TEST_LIMITS.cell_seconds),
                         "--task-timeout", str(TEST_LIMITS.task_seconds),
                         "--notebook-timeout", str(TEST_LIMITS.notebook_seconds),
                         "--memory", str(TEST_LIMITS.memory_bytes // 1024**2)])
    assert status == 0
    assert (tmp_path / "grades.csv").read_text(encoding="utf-8") == graded["text"]
    assert "graded" in capsys.readouterr().out
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".tmp-")]  # the atomic write left no temp file


@pytest.mark.slow
def test_kernels_started_as_new_interpreters_grade_the_whole_corpus_the_same(graded, tmp_path):
    """The fallback without the fork server (what macOS always uses; --no-fork-server on Linux)
    gives the same grades.csv, byte for byte, on the whole corpus."""
    grade_submissions(graded["root"], tmp_path / "out", workers=2, limits=TEST_LIMITS, preload=False,
                      stream=None)
    assert (tmp_path / "out" / "grades.csv").read_text(encoding="utf-8") == graded["text"]


def test_a_fork_server_that_cannot_start_falls_back_to_new_interpreters(graded, tmp_path, monkeypatch):
    """A fork server that dies at start (as on a loaded machine, or one that cannot fork) must not
    stop the run: kernels start as new interpreters, in the same matplotlib folder, same grades."""
    from course_grader import batch
    from course_grader.factory import ZygoteGone

    def no_factory(env, *args, **kwargs):
        raise ZygoteGone("the kernel factory exited at start")

    monkeypatch.setattr(batch, "Zygote", no_factory)
    keys = [("alice", R3), ("exits", R3), (ODD_IDS[3], R3)]
    for student, _ in keys:
        (tmp_path / "in" / student).mkdir(parents=True)
        (tmp_path / "in" / student / NB3).write_bytes((graded["root"] / student / NB3).read_bytes())
    report = grade_submissions(tmp_path / "in", tmp_path / "out", workers=2, limits=TEST_LIMITS, stream=None)
    assert "a new interpreter" in report.summary()
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "grades.csv").read_text(encoding="utf-8"))))
    assert [(r["student"], r["exercise"]) for r in rows] == sorted(keys)
    columns = ("total", "max", "flags", *POINTS[R3])
    for row in rows:
        full = graded["rows"][(row["student"], row["exercise"])]
        assert {k: row[k] for k in columns} == {k: full[k] for k in columns}


def test_a_fork_server_whose_output_ends_before_it_exits_is_seen_gone_at_once(tmp_path, monkeypatch):
    """The factory's stdout can close a while before its process can be reaped; the client must
    take the end of output as the answer, not sleep until the start timeout."""
    import time

    from course_grader import factory

    lingering = tmp_path / "lingering_factory.py"
    lingering.write_text("import os, sys, time\nos.close(1)\ntime.sleep(60)\n", encoding="utf-8")
    monkeypatch.setattr(factory, "_ZYGOTE", str(lingering))
    started = time.monotonic()
    with pytest.raises(factory.ZygoteGone, match="exited at start"):
        factory.Zygote(dict(os.environ), start_seconds=300)
    # Not a speed target: 300 s (the timeout) and 60 s (the exit) are the failures this tells apart.
    assert time.monotonic() - started < 30


def _zygote_pids():
    pids = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/cmdline", "rb") as handle:
                    argv = handle.read().split(b"\0")
                with open(f"/proc/{entry.name}/stat", "rb") as handle:
                    parent = int(handle.read().rpartition(b")")[2].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if parent == os.getpid() and any(arg.endswith(b"grading/zygote.py") for arg in argv):
                pids.append(int(entry.name))
    return pids


@pytest.mark.slow
def test_a_dying_kernel_factory_changes_no_grade(tmp_path):
    """Kernels forked from the factory die with it; they are restarted, and no cell is blamed."""
    import signal
    import threading
    import time

    slow = "import time\ntime.sleep(0.5)"
    for i in range(6):
        path = tmp_path / "in" / f"s{i}" / NB3
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(notebook(R3, before=[slow], after=[slow])), encoding="utf-8")
    killer = threading.Thread(target=lambda: (time.sleep(2.0), [os.kill(p, signal.SIGKILL) for p in _zygote_pids()]))
    killer.start()
    grade_submissions(tmp_path / "in", tmp_path / "out", workers=2, limits=TEST_LIMITS, stream=None)
    killer.join()
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "grades.csv").read_text(encoding="utf-8"))))
    assert [(r["total"], r["flags"]) for r in rows] == [("9", "")] * 6, rows


def test_a_factory_lost_while_the_agent_loads_is_a_restart_not_a_failed_start(tmp_path, monkeypatch):
    """The factory can stop between a kernel's start and the grader's bootstrap (the race the test
    above hits now and then): that kernel is replaced, the submission keeps its full marks."""
    from course_grader import runner
    from course_grader.kernel import Outcome

    real_execute, lost = runner.Kernel.execute, []

    def execute(self, code, timeout, **kwargs):
        if not lost:  # a kernel's first request is the grader's bootstrap (its agent)
            lost.append(code)
            return Outcome("died", exit="killed (SIGKILL)", innocent=True)
        return real_execute(self, code, timeout, **kwargs)

    monkeypatch.setattr(runner.Kernel, "execute", execute)
    path = tmp_path / NB3
    path.write_text(json.dumps(notebook(R3)), encoding="utf-8")
    result = runner.grade_notebook(path, "s0", R3, runner.plan_tasks(tasks_for(R3)), limits=TEST_LIMITS,
                                   workroot=str(tmp_path))
    assert lost, "the bootstrap was never run"
    assert (result.total, result.max, result.flags) == (9, 11, [])  # the written answer: graded by hand


COURSE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "exercises")


@pytest.mark.slow
def test_the_course_exercises_grade_full_for_solutions_and_zero_for_learner_versions(tmp_path):
    from course_lib.checks import EXERCISES

    names = sorted(n for n in os.listdir(os.path.join(COURSE, "solutions"))
                   if n.endswith(".ipynb") and n[: -len(".ipynb")] in EXERCISES
                   and os.path.exists(os.path.join(COURSE, n)))
    if not names:
        pytest.skip("no exercise with checks yet")
    for name in names:
        for who, folder in (("solution", os.path.join(COURSE, "solutions")), ("learner", COURSE)):
            (tmp_path / "in" / who).mkdir(parents=True, exist_ok=True)
            with open(os.path.join(folder, name), "rb") as source:
                (tmp_path / "in" / who / name).write_bytes(source.read())
    report = grade_submissions(tmp_path / "in", tmp_path / "out", workers=2, stream=None)
    for result in report.results:
        assert result.flags == [], (result.student, result.exercise, result.flags)
        checked = [t for t in result.tasks if t.status != "manual"]  # written answers: graded by hand
        assert {t.name for t in result.tasks if t.status == "manual"} == written(result.exercise)
        if result.student == "solution":
            assert result.total == sum(t.max_points for t in checked) > 0, [(t.name, t.summary) for t in checked]
        else:
            assert result.total == 0 and {t.status for t in checked} == {"not attempted"}


# ---------------------------------------------------------------------------
# Unit tests: no kernel
# ---------------------------------------------------------------------------


def test_values_cross_the_wire_without_pickle():
    values = [1.5, 3, True, None, "text", np.arange(6.0).reshape(2, 3), (np.zeros(2), 0.5), [1, [2.0]]]
    for value in values:
        back = wire.decode_value(json.loads(json.dumps(wire.encode_value(value))))
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(back, value)
        elif isinstance(value, tuple):
            np.testing.assert_array_equal(back[0], value[0])
            assert back[1] == value[1] and isinstance(back, tuple)
        else:
            assert back == value and type(back) is type(value)
    with pytest.raises(wire.Unreadable):  # an object array would need pickle
        import base64

        buffer = io.BytesIO()
        np.save(buffer, np.array([{"a": 1}], dtype=object), allow_pickle=True)
        wire.decode_value({"__ndarray__": base64.b64encode(buffer.getvalue()).decode()})


def test_answers_are_accepted_only_once_with_the_nonce():
    good = json.dumps({"nonce": "n1", "task": "t", "missing": False, "results": [{"returned": 2.0}]})
    assert wire.parse_answer([good], "n1", "t", 1).results == (2.0,)
    with pytest.raises(wire.Unreadable, match="more than one"):
        wire.parse_answer([good, good], "n1", "t", 1)
    with pytest.raises(wire.Unreadable, match="no result"):
        wire.parse_answer([good.replace("n1", "n2")], "n1", "t", 1)
    with pytest.raises(wire.Unreadable, match="wrong number"):
        wire.parse_answer([good], "n1", "t", 2)
    raised = json.dumps({"nonce": "n", "task": "t", "missing": False, "results": [
        {"raised": {"type": "NotImplementedError", "module": "builtins", "message": ""}},
        {"raised": {"type": "MyError", "module": "__main__", "message": "bad"}},
        {"raised": {"type": "SystemExit", "module": "builtins", "message": "1"}},
        {"mutated": "w"},
        {"returned": {"__unsupported__": "generator"}},
    ]})
    results = wire.parse_answer([raised], "n", "t", 5).results
    assert isinstance(results[0], NotImplementedError)
    assert isinstance(results[1], wire.RemoteError) and results[1].type_name == "MyError"
    assert isinstance(results[2], RuntimeError) and "sys.exit" in str(results[2])
    assert type(results[3]).__name__ == "InputMutated" and results[3].argument == "w"
    assert isinstance(results[4], TypeError) and "generator" in str(results[4])


def _write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


@pytest.mark.parametrize("content, message", [
    (b"", "empty file"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    ("{oops", "corrupt JSON"),
    ('{"worksheets": []}', "nbformat 3"),
    ('"just a string"', "without a list of cells"),
    ("[" * 100000 + "]" * 100000, "nested too deeply"),
])
def test_unreadable_files_give_a_reason(tmp_path, content, message):
    with pytest.raises(NotebookProblem, match=message):
        read_cells(_write(tmp_path, "x.ipynb", content))


def test_cells_to_run_skip_checks_and_shell_escapes():
    cells = [
        Cell(1, "!pip install x\nx = 1", {}),
        Cell(2, "check('a', f)", {}),
        Cell(3, "def f():\n    return check\nok = check('f', f)\ny = 2", {}),
        Cell(4, "%%bash\nrm -rf /", {}),
        Cell(5, "%matplotlib inline", {}),
        Cell(6, "def broken(:", {}),
        Cell(7, "z = 3", {"grade": True, "solution": False}),
        Cell(8, "from course_lib.checks import check as ck\nck('a', 1)\nw = 4", {"grade": True, "solution": True}),
    ]
    got = {c.number: c.source.strip() for c in runnable_cells(cells)}
    assert got == {
        1: "x = 1",
        3: "def f():\n    return check\ny = 2",
        5: "get_ipython().run_line_magic('matplotlib', 'inline')",
        6: "def broken(:",
        8: "from course_lib.checks import check as ck\nw = 4",
    }


class _Task:
    def __init__(self, name, reference=None):
        self.name = self.symbol = name
        self.reference = reference
        self.kind = "function"


def _trees(*sources):
    return parse_cells([Cell(i + 1, s, {}) for i, s in enumerate(sources)])


@pytest.mark.parametrize("sources, found", [
    (["def l2_gradient(w, rate):\n    return rate * w"], []),
    (["from course_lib.penalties import l2_gradient"], ["course_lib.penalties.l2_gradient"]),
    (["import course_lib\ndef helper(w, r):\n    return course_lib.penalties.l2_gradient(w, r)",
      "def l2_gradient(w, rate):\n    return helper(w, rate)"], ["course_lib.penalties.l2_gradient"]),
    (["import course_lib.penalties as P\nl2_gradient = lambda w, r: getattr(P, 'l2_gradient')(w, r)"],
     ["course_lib.penalties.l2_gradient"]),
    (["def l2_gradient(w, rate):\n    from course_lib.penalties import l2_gradient as ref\n    return ref(w, rate)"],
     ["course_lib.penalties.l2_gradient"]),
    (["from course_lib.penalties import *"], ["course_lib.penalties.l2_gradient"]),
    (["from course_lib.penalties import l2_gradient", "def l2_gradient(w, rate):\n    return rate * w"], []),
    (["import course_lib.penalties as P\ng = P.l2_gradient([1.0], 1.0)", "def l2_gradient(w, g):\n    return g * w"],
     []),
])
def test_reference_use_is_found_through_aliases_and_helpers(sources, found):
    assert reference_uses(_trees(*sources), _Task("l2_gradient")) == found


def test_outside_writes_and_processes_are_reported():
    reasons = outside_writes(_trees(
        "open('/tmp/x', 'w').write('a')",
        "from pathlib import Path\nPath('/etc/x').write_text('s')",
        "import os\nos.system('ls')",
        "open('../x', 'a')",
        "np.save('data.npy', x)\nopen('/etc/passwd').read()",
    ))
    assert reasons == [
        "writes outside its folder: '/tmp/x' (cell 1)",
        "writes outside its folder: '/etc/x' (cell 2)",
        "starts a process: os.system (cell 3)",
        "writes outside its folder: '../x' (cell 4)",
    ]


@pytest.mark.parametrize("student", ["alice", "Alice", "-rf", "..", ".", "a/../b", "zoë o'brien", "名前", "",
                                     "x" * 300, "con", "a\nb"])
def test_safe_names_are_plain_and_distinct(student):
    name = safe_name(student)
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name) and ".." not in name and len(name) < 80
    assert name == student or re.search(r"-[0-9a-f]{8}$", name)
    others = ["alice", "Alice", "-rf", "..", ".", "a/../b", "zoë o'brien", "名前", "", "x" * 300, "a\nb", "a b", "a_b"]
    assert len({safe_name(s) for s in others}) == len(others)


def _result(student, exercise, flags=(), **task_points):
    result = SubmissionResult(student, exercise, f"{student}/{exercise}.ipynb", flags=list(flags))
    result.tasks = [TaskResult(n, "", p, 2, "pass" if p else "fail", "summary", "hint") for n, p in task_points.items()]
    return result


def test_csv_quotes_odd_ids_and_keeps_them_exact():
    results = [_result('a,"b"\nc', "03", ["x; y"], t1=2, t2=0), _result("=cmd", "03", t1=1)]
    text = grades_table(results, ["t1", "t2", "t3"])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["student", "exercise", "t1", "t2", "t3", "total", "max", "flags"],
        ['a,"b"\nc', "03", "2", "0", "", "2", "4", "x; y"],
        ["=cmd", "03", "1", "", "", "1", "2", ""],
    ]


def test_feedback_escapes_what_students_control():
    text = feedback_markdown(_result("<b>x</b>", "03", ["cell 2: ValueError: [click](http://x)"], t1=2))
    assert "<b>" not in text and "[click](" not in text
    assert "## t1: 2 / 2" in text and "Hint: hint" in text


def test_progress_lines_without_a_terminal():
    stream = io.StringIO()
    progress = Progress(3, stream, every=1e9)
    for flagged in (False, True, False):
        progress.advance(flagged=flagged)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2  # the first (every is huge) and the last
    assert re.match(r"grading \[#+\] 3/3  [\d.]+/s  ETA 0:00  0 failed to run, 1 flagged$", lines[-1])


def test_submissions_are_found_in_both_layouts_and_the_rest_is_reported(tmp_path):
    from course_grader import find_submissions

    for relative in ["ann/ex03_l2_ridge.ipynb", "ann/notes.txt", "ben/ps03/ex03_l2_ridge.ipynb",
                     "ben/.ipynb_checkpoints/ex03_l2_ridge-checkpoint.ipynb", ".hidden/ex03_l2_ridge.ipynb",
                     "cat/readme.md", "dan/03_l2_ridge.ipynb", "loose.ipynb"]:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("{}")
    found, warnings = find_submissions(tmp_path)
    assert [(s.student, s.exercise, s.label) for s in found] == [
        ("ann", "ex03_l2_ridge", "ann/ex03_l2_ridge.ipynb"),
        ("ben", "ex03_l2_ridge", os.path.join("ben", "ps03", "ex03_l2_ridge.ipynb")),
        # a copy made before exercises were named ex03_... is still exercise ex03_l2_ridge
        ("dan", "ex03_l2_ridge", "dan/03_l2_ridge.ipynb"),
    ]
    assert warnings == ["student 'cat': no notebooks", "ignored 'loose.ipynb': not a student folder"]


def test_two_notebooks_of_one_exercise_are_both_graded_and_flagged():
    from course_grader.batch import _flag_duplicates

    results = [_result("ann", "03", t1=1), _result("ann", "03", t1=2), _result("ben", "03", t1=2)]
    _flag_duplicates(results)
    assert [bool(r.flags) for r in results] == [True, True, False]
    assert results[0].flags[0].startswith("duplicate submission: ")


@pytest.mark.parametrize("argv", [["/nonexistent-folder", "--out", "x"], [".", "--out", "x", "--workers", "0"],
                                  [".", "--out", "x", "--task-timeout", "-1"], ["."]])
def test_command_line_refuses_bad_arguments(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        grade_main(argv)
    assert stop.value.code == 2
    assert "error" in capsys.readouterr().err


@pytest.mark.skipif(os.geteuid() != 0, reason="sandbox users exist only when grading as root")
def test_two_runs_never_share_a_sandbox_user():
    from course_grader.batch import _reserve_uids

    first, first_locks = _reserve_uids(2)
    second, second_locks = _reserve_uids(2)
    assert len(set(first) | set(second)) == 4
    for handle in first_locks:
        handle.close()
    third, third_locks = _reserve_uids(2)
    assert set(third) & set(first)  # released ids can be used again
    for handle in second_locks + third_locks:
        handle.close()


def test_the_grader_gives_a_written_task_to_the_instructor(tmp_path):
    from course_grader import runner
    from course_lib.checks.framework import WrittenTask

    path = tmp_path / "ex00_demo.ipynb"
    path.write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    task = WrittenTask("explain_gap", "ex00_demo", points=2, description="why the gap grew")
    result = runner.grade_notebook(path, "s0", "ex00_demo", runner.plan_tasks([task]),
                                   limits=runner.Limits(), workroot=str(tmp_path))
    [row] = result.tasks
    assert (row.points, row.max_points, row.status) == (0, 2, "manual") and result.flags == []

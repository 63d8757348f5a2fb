"""Tests for course_lib.checks: the learner self-check framework and its tasks.

The corpus in tests/lib/wrong_answers/ holds typical wrong answers (each must be rejected with a
hint naming the mistake) and unusual right ones (each must pass).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import pathlib
import sys
import re

import numpy as np
import pytest

from course_lib.checks import EXERCISES, TASKS, Case, Verdict, check, get_task, tasks_for
from course_lib.checks.framework import (
    FunctionTask,
    InputMutated,
    LearnerError,
    ValueTask,
    allclose,
    call_answer,
    format_value,
    format_verdict,
)

HERE = pathlib.Path(__file__).parent
ROOT = HERE.parents[1]
# Every exercise is held to the same rules (corpus, cases, solution notebook layout).
MY_EXERCISES = sorted(EXERCISES)


def _load(path: pathlib.Path):
    spec = importlib.util.spec_from_file_location(f"wrong_answers_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))  # the corpora share wrong_answers/_corpus.py
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module


CORPUS = [
    pytest.param(task, expect, fn, id=f"{task}-{fn.__name__}")
    for path in sorted((HERE / "wrong_answers").glob("ex*.py"))
    for task, expect, fn in _load(path).CORPUS
]
WRONG = [p for p in CORPUS if p.values[1] is not None]
RIGHT = [p for p in CORPUS if p.values[1] is None]


def run_check(name, answer) -> tuple[bool, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        passed = check(name, answer)
    return passed, out.getvalue()


def reference_answer(task):
    if task.kind == "value":
        return task.expected(task.cases()[0])
    return getattr(task, "reference", None)


def summary_and_hint(text: str) -> str:
    """The first line (summary) and the Hint line of check's output, without the details."""
    lines = text.splitlines()
    return "\n".join([lines[0]] + [line for line in lines if line.startswith("Hint:")])


# ---------------------------------------------------------------------------
# Registry and interface
# ---------------------------------------------------------------------------


def test_registry_holds_both_exercises_in_notebook_order():
    assert EXERCISES["ex03_l2_ridge"] == [
        "l2_penalty", "l2_gradient", "weight_decay_step", "predict_decay", "fit_ridge", "predict_most_shrunk",
        "explain_standardize", "ridge_shrinkage_factors", "ridge_dof_answer",
    ]
    assert EXERCISES["ex04_l1_lasso"] == [
        "l1_penalty", "l1_subgradient", "soft_threshold", "lasso_coordinate_update", "fit_lasso",
        "surviving_features", "predict_descent_zeros", "explain_exact_zeros",
    ]
    assert [t.name for t in tasks_for("ex04_l1_lasso")] == EXERCISES["ex04_l1_lasso"]
    assert get_task("fit_ridge") is TASKS["fit_ridge"]
    for exercise, names in EXERCISES.items():
        for name in names:
            assert TASKS[name].exercise == exercise


def test_unknown_names_raise_with_the_valid_names():
    with pytest.raises(KeyError, match="fit_ridge"):
        get_task("fit_ridgee")
    with pytest.raises(KeyError, match="ex03_l2_ridge"):
        tasks_for("99_nothing")


@pytest.mark.parametrize("name", list(TASKS))
def test_task_attributes_and_cases_follow_the_interface(name):
    task = TASKS[name]
    assert task.kind in ("function", "value", "written")
    assert task.symbol.isidentifier() and isinstance(task.points, int) and task.points >= 0
    assert task.description and "\n" not in task.description
    if task.kind == "written":  # graded by hand: no cases, nothing to run
        assert task.cases() == [] and task.points > 0
        return
    cases = task.cases()
    assert cases and all(isinstance(c, Case) for c in cases)
    assert len({c.label for c in cases}) == len(cases)
    if task.kind == "value":
        assert [c.label for c in cases] == ["answer"]

    def plain(value):
        if isinstance(value, np.ndarray):
            return value.dtype.kind == "f"
        if isinstance(value, (tuple, list)):
            return all(plain(v) for v in value)
        return value is None or isinstance(value, (bool, int, float, str))

    for case in cases:
        assert plain(case.args) and all(plain(v) for v in case.kwargs.values()), case.label
    def same(x, y):  # nested lists/tuples of arrays (e.g. one (W, b) pair per layer) compared leaf by leaf
        if isinstance(x, (tuple, list)):
            return isinstance(y, (tuple, list)) and len(x) == len(y) and all(same(u, v) for u, v in zip(x, y))
        return np.array_equal(np.asarray(x), np.asarray(y))

    again = task.cases()  # deterministic and not shared with the caller
    for a, b in zip(cases, again):
        assert a.label == b.label
        for x, y in zip(a.args, b.args):
            assert same(x, y)
    if cases[0].args and isinstance(cases[0].args[0], np.ndarray):
        cases[0].args[0][...] = 12345.0
        assert not np.any(task.cases()[0].args[0] == 12345.0)


@pytest.mark.parametrize("name", [n for ex in MY_EXERCISES for n in EXERCISES[ex]])
def test_function_tasks_cover_several_cases(name):
    task = TASKS[name]
    if task.kind == "function":
        assert len(task.cases()) >= 5


# ---------------------------------------------------------------------------
# The reference, the corpus of wrong answers, the corpus of right answers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(TASKS))
def test_every_task_passes_with_the_reference(name):
    task = TASKS[name]
    if reference_answer(task) is None:
        pytest.skip(f"{name} is not a FunctionTask with a reference")
    passed, text = run_check(name, reference_answer(task))
    assert passed, text
    assert text.startswith(f"{name}: PASS - ")
    if task.kind == "function":
        count = len(task.cases())
        assert f"passed {count} case" in text


@pytest.mark.parametrize(("task", "expect", "fn"), WRONG)
def test_wrong_answer_is_rejected_with_a_hint_on_the_mistake(task, expect, fn):
    answer = fn() if TASKS[task].kind == "value" else fn
    passed, text = run_check(task, answer)
    assert passed is False
    assert expect in summary_and_hint(text), text
    assert "Traceback" not in text
    assert "def " not in text  # never any source code


@pytest.mark.parametrize(("task", "expect", "fn"), RIGHT)
def test_unusual_right_answer_passes(task, expect, fn):
    answer = fn() if TASKS[task].kind == "value" else fn
    passed, text = run_check(task, answer)
    assert passed, text


def test_corpus_covers_every_task_of_both_exercises():
    wrong_tasks = {p.values[0] for p in WRONG}
    for exercise in MY_EXERCISES:
        for name in EXERCISES[exercise]:
            if TASKS[name].kind == "written":  # graded by hand: check() rejects nothing
                continue
            assert name in wrong_tasks
            assert sum(p.values[0] == name for p in WRONG) >= 5, name


# ---------------------------------------------------------------------------
# Not attempted, errors, unknown names
# ---------------------------------------------------------------------------


def _raises_not_implemented(*args, **kwargs):
    raise NotImplementedError()


def _stub(w, rate):
    """A template whose body is only `...`."""
    ...


@pytest.mark.parametrize("answer", [Ellipsis, _raises_not_implemented, _stub],
                         ids=["ellipsis", "raise", "stub"])
@pytest.mark.parametrize("name", ["l2_penalty", "fit_lasso", "surviving_features", "ridge_dof_answer"])
def test_unattempted_answers_get_a_friendly_message(name, answer):
    if TASKS[name].kind == "value" and answer is not Ellipsis:
        answer = Ellipsis
    passed, text = run_check(name, answer)
    assert passed is False
    assert "not yet attempted" in text
    assert "Traceback" not in text and "ERROR" not in text
    verdict = TASKS[name].run(answer)
    assert verdict.status == "not attempted" and not verdict.passed


def test_exceptions_are_reported_by_type_and_message_without_traceback():
    def broken(w, rate):
        return {}["missing key"]

    passed, text = run_check("l2_gradient", broken)
    assert passed is False
    assert "ERROR" in text and "KeyError" in text and "'missing key'" in text
    assert "case:" in text and "Traceback" not in text
    verdict = TASKS["l2_gradient"].run(broken)
    assert verdict.status == "error" and "KeyError" in verdict.summary


def test_wrong_signature_names_the_expected_arguments():
    passed, text = run_check("lasso_coordinate_update", lambda X, y, w: 0.0)
    assert not passed
    assert "lasso_coordinate_update(X, y, w, j, rate, b=0.0)" in text


def test_unknown_task_name_lists_the_valid_names():
    passed, text = run_check("l2_penalti", lambda w, rate: 0.0)
    assert passed is False
    assert 'Did you mean "l2_penalty"' in text
    for name in TASKS:
        assert name in text


def test_name_must_come_first_and_functions_must_not_be_called():
    passed, text = run_check(lambda w, rate: 0.0, None)
    assert not passed and "task name first" in text
    passed, text = run_check("l2_penalty", 3.0)
    assert not passed and "without calling it" in text


# ---------------------------------------------------------------------------
# Inputs are never changed; mutation is detected
# ---------------------------------------------------------------------------


def test_call_answer_detects_in_place_changes_and_names_the_argument():
    case = Case("c", (np.array([1.0, -2.0]), 0.5))

    def mutates(w, rate):
        w[0] = 0.0
        return w

    got = call_answer(mutates, case)
    assert isinstance(got, InputMutated) and got.argument == "w"
    assert np.array_equal(case.args[0], [1.0, -2.0])  # the case itself is untouched
    assert np.array_equal(call_answer(lambda w, rate: rate * w, case), [0.5, -1.0])


def test_check_never_changes_the_task_cases():
    def mutates_everything(X, y, rate):
        X[...] = 0.0
        y[...] = 0.0
        return np.zeros(X.shape[1]), 0.0

    before = TASKS["fit_ridge"].cases()
    passed, text = run_check("fit_ridge", mutates_everything)
    assert not passed and "changed its input `X` in place" in text
    for a, b in zip(before, TASKS["fit_ridge"].cases()):
        assert all(np.array_equal(x, y) for x, y in zip(a.args, b.args))


# ---------------------------------------------------------------------------
# Determinism and the grader-facing judge
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["fit_lasso", "l2_gradient", "surviving_features"])
def test_check_prints_the_same_text_every_time(name):
    answers = [reference_answer(TASKS[name])]
    answers += [fn() if TASKS[name].kind == "value" else fn for task, _, fn in (p.values for p in WRONG)
                if task == name]
    for answer in answers:
        first, second = run_check(name, answer), run_check(name, answer)
        assert first == second
        assert not re.search(r"0x[0-9a-f]{6,}", first[1])
        assert "\x1b[" not in first[1]


def test_judge_accepts_grader_results_including_lists_and_remote_errors():
    task = TASKS["l2_gradient"]
    cases = task.cases()
    results = [(c, task.expected(c)) for c in cases]
    assert task.judge(results).passed
    for case, expected in results:
        assert task.judge_case(case, expected).passed
    as_lists = [(c, list(e)) for c, e in results]
    verdict = task.judge(as_lists)
    assert verdict.status == "fail" and "returned a list" in verdict.summary
    verdict = task.judge([(cases[0], NotImplementedError())] + results[1:])
    assert verdict.status == "not attempted"
    verdict = task.judge(results[:-1] + [(cases[-1], LearnerError("FloatingPointError", "overflow"))])
    assert verdict.status == "error" and "FloatingPointError" in verdict.summary
    assert cases[-1].label in verdict.summary
    assert isinstance(verdict, Verdict)


def test_value_task_judge_hides_the_expected_answer():
    task = TASKS["surviving_features"]
    expected = task.expected(task.cases()[0])
    verdict = task.judge([(task.cases()[0], {99})])
    assert not verdict.passed
    text = format_verdict(task, verdict)
    assert "{99}" in text
    assert format_value(expected) not in text


def test_first_failing_case_is_shown_with_input_expected_and_got():
    passed, text = run_check("l2_penalty", lambda w, rate: rate * np.sum(w**2))
    assert not passed
    # The all-zero case passes (0 == 0): the first failing case is the single weight.
    assert "fails on case 'a single weight, rate=2'" in text
    assert "input:    w = [-1.5], rate = 2" in text
    assert "expected: 2.25" in text and "got:      4.5" in text
    assert 'get_task("l2_penalty").cases()[1]' in text


# ---------------------------------------------------------------------------
# Framework pieces
# ---------------------------------------------------------------------------


def test_allclose_scales_with_the_largest_expected_entry():
    close = allclose(rtol=1e-3, atol=0.0)
    assert close(np.array([100.0, 0.05]), np.array([100.0, 0.0]))
    assert not close(np.array([100.0, 0.2]), np.array([100.0, 0.0]))
    assert not close(np.array([1.0, 2.0]), np.array([1.0, 2.0, 3.0]))
    joint = allclose(rtol=1e-3, atol=0.0, joint=True)
    assert joint((np.array([0.005]), 10.0), (np.array([0.0]), 10.0))
    assert not allclose(rtol=1e-3, atol=0.0)((np.array([0.005]), 10.0), (np.array([0.0]), 10.0))


def test_task_constructors_reject_bad_declarations():
    with pytest.raises(ValueError, match="output"):
        FunctionTask("t", "x", reference=abs, cases=lambda: [Case("a", (1.0,))], output="matrix")
    with pytest.raises(ValueError, match="identifier"):
        ValueTask("not a name", "x", expected=lambda: 1.0)
    duplicate = FunctionTask("t", "x", reference=abs, cases=lambda: [Case("a", (1.0,)), Case("a", (2.0,))])
    with pytest.raises(ValueError, match="unique"):
        duplicate.cases()


# ---------------------------------------------------------------------------
# Graded inputs: the public kinds of case, other numbers (drawn from the grader's rng)
# ---------------------------------------------------------------------------

FUNCTION_TASKS = [name for name, task in TASKS.items() if task.kind == "function"]


def _leaves(value):
    if isinstance(value, (tuple, list)):
        for item in value:
            yield from _leaves(item)
    elif isinstance(value, dict):
        for key in sorted(value):
            yield from _leaves(value[key])
    else:
        yield value


def _same_inputs(a: Case, b: Case) -> bool:
    left, right = list(_leaves((a.args, a.kwargs))), list(_leaves((b.args, b.kwargs)))
    return len(left) == len(right) and all(
        np.array_equal(x, y) if isinstance(x, np.ndarray) or isinstance(y, np.ndarray) else x == y
        for x, y in zip(left, right))


def _kind(value):
    """What a case input is, without its numbers: types, array shapes and dtypes."""
    return [(type(v).__name__, getattr(v, "shape", None), getattr(v, "dtype", None)) for v in _leaves(value)]


@pytest.mark.parametrize("name", FUNCTION_TASKS)
def test_every_function_task_draws_its_graded_inputs_from_the_rng(name):
    """Two grading runs (two rngs) must not see the same inputs: the learner's public cases, printed by
    check, would otherwise be the test, and answers tabulated from them would earn full marks."""
    task = TASKS[name]
    public = task.cases()
    first, second = task.cases(np.random.default_rng(1)), task.cases(np.random.default_rng(2))
    assert [c.label for c in first] == [c.label for c in second], "labels must not depend on rng"
    changed = [a.label for a, b in zip(first, second) if not _same_inputs(a, b)]
    assert changed, f"{name}: its cases ignore rng (write them as cases(rng=None), drawing from rng)"
    assert len(first) >= len(public)
    for graded, shown in zip(first, public):  # the same kinds of case, in the same order
        assert graded.label == shown.label
        assert _kind((graded.args, graded.kwargs)) == _kind((shown.args, shown.kwargs)), graded.label
    assert all(_same_inputs(a, b) for a, b in zip(public, task.cases(None)))  # public ones unchanged


@pytest.mark.parametrize(("task", "expect", "fn"), [p for p in WRONG if TASKS[p.values[0]].kind == "function"])
def test_graded_inputs_reject_every_wrong_answer_too(task, expect, fn):
    """The graded inputs are as hard as the public ones: every wrong answer of the corpus fails there too
    (and the reference passes)."""
    graded = TASKS[task].cases(np.random.default_rng(20240501))
    assert not TASKS[task].judge([(case, call_answer(fn, case)) for case in graded]).passed
    reference = TASKS[task].reference
    assert TASKS[task].judge([(case, call_answer(reference, case)) for case in graded]).passed


def test_a_generator_without_rng_gives_its_public_cases_to_the_grader_too():
    task = FunctionTask("t", "x", reference=abs, cases=lambda: [Case("a", (np.array([1.0]),))])
    assert _same_inputs(task.cases(np.random.default_rng(0))[0], task.cases()[0])


# ---------------------------------------------------------------------------
# Under an autograder a failing check fails its cell; in JupyterLab it only prints
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("environment", [{"NBGRADER_EXECUTION": "autograde"}, {"NBGRADER_EXECUTION": "validate"},
                                         {"COURSE_CHECKS_RAISE": "1"}])
def test_under_an_autograder_a_failing_or_blank_check_raises_the_friendly_text(environment, monkeypatch):
    from course_lib.checks.framework import CheckFailed

    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    for answer in (lambda w, rate: rate * np.sum(w**2), Ellipsis):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), pytest.raises(CheckFailed) as raised:
            check("l2_penalty", answer)
        assert out.getvalue() == ""  # the text is the error's, not printed twice
        shown = "\n".join(raised.value._render_traceback_())  # what IPython displays instead of a traceback
        assert shown.startswith("l2_penalty: ") and "Traceback" not in shown
        assert shown == str(raised.value)
    passed, text = run_check("l2_penalty", TASKS["l2_penalty"].reference)
    assert passed and text.startswith("l2_penalty: PASS")


def test_in_jupyterlab_a_failing_check_prints_and_returns_false(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("COURSE_CHECKS_RAISE", raising=False)
    passed, text = run_check("l2_penalty", Ellipsis)
    assert passed is False and "not yet attempted" in text


def test_ipython_shows_a_failed_check_without_a_traceback(monkeypatch):
    """The rendering a learner or nbgrader's feedback sees: IPython's own showtraceback."""
    from IPython.core.interactiveshell import InteractiveShell

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    shell = InteractiveShell.instance()
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        result = shell.run_cell('from course_lib.checks import check\n_ = check("l2_penalty", ...)')
    assert result.error_in_exec is not None  # the cell failed
    text = out.getvalue()
    assert "l2_penalty: not yet attempted" in text
    assert "Traceback" not in text and "File " not in text


# ---------------------------------------------------------------------------
# The answer runner the learner's check and the grader's agent share
# ---------------------------------------------------------------------------


def test_a_runner_keeps_what_it_bound_when_numpy_and_its_module_are_patched_later(monkeypatch):
    from course_lib.checks import answers

    runner = answers.make_answer_runner()

    def mutates(w, rate):
        w *= rate
        return w

    monkeypatch.setattr(np, "array_equal", lambda *a, **k: True)
    monkeypatch.setattr(answers, "make_answer_runner", lambda: None)
    monkeypatch.setattr(answers, "call_answer", lambda fn, case: 0.0)
    got = runner.call(mutates, (np.array([1.0, 2.0]), 0.5), {})
    assert isinstance(got, InputMutated) and got.argument == "w"
    assert isinstance(runner.call(lambda: __import__("sys").exit(3), (), {}), SystemExit)
    assert runner.is_stub(lambda w: ...) and not runner.is_stub(lambda w: w)


# ---------------------------------------------------------------------------
# Independent oracles for the references and the case design
# ---------------------------------------------------------------------------


def test_weight_decay_reference_is_one_gradient_descent_step():
    from course_lib.checks.ex03_l2_ridge import weight_decay_step
    from course_lib.penalties import L2
    from course_lib.trainers import gradient_descent

    rng = np.random.default_rng(7)
    w, g = rng.normal(size=5), rng.normal(size=5)
    lr, rate = 0.1, 0.7
    # A linear loss g·w has gradient g everywhere, so one step of gradient descent on
    # g·w + rate/2·||w||² is exactly the weight-decay step.
    fit = gradient_descent(lambda w_, b_: (float(g @ w_), g, 0.0), w, L2(rate), step=lr, n_iter=1,
                           fit_intercept=False)
    assert np.allclose(weight_decay_step(w, g, lr, rate), fit.w, rtol=1e-12, atol=1e-14)
    assert np.allclose(weight_decay_step(w, g, lr, rate), w - lr * (g + rate * w), rtol=1e-12)


def test_ridge_hand_case_matches_paper_arithmetic():
    case = TASKS["fit_ridge"].cases()[0]
    w, b = TASKS["fit_ridge"].expected(case)
    # X = [-1, 0, 1], y = X, n = 3, rate = 0.5: w = (xᵀy) / (xᵀx + n·rate) = 2 / 3.5.
    assert np.allclose(w, [2 / 3.5]) and abs(b) < 1e-15


def test_lasso_hand_cases_match_soft_thresholding_on_paper():
    task = TASKS["fit_lasso"]
    w, b = task.expected(task.cases()[0])
    assert np.allclose(w, [0.85]) and abs(b) < 1e-12  # scikit-learn's toy example at alpha 0.1
    w, b = task.expected(task.cases()[1])
    assert np.array_equal(w, [0.0])


def _lasso_margins(X, y, rate, w, b):
    n = X.shape[0]
    g = X.T @ (y - X @ w - b) / n
    zero = w == 0
    zero_margin = np.max(np.abs(g[zero]), initial=0.0) / rate if rate > 0 else 0.0
    smallest = np.min(np.abs(w[~zero]), initial=np.inf) / max(np.max(np.abs(w)), 1e-300)
    return zero_margin, smallest


def test_lasso_cases_leave_room_for_a_loosely_converged_learner():
    # Features at 0 are well inside |x_jᵀr/n| < rate and surviving weights are not tiny, so a
    # solver stopped at ~1e-4 finds the same zeros (the zero pattern must match exactly).
    task = TASKS["fit_lasso"]
    for case in task.cases():
        w, b = task.expected(case)
        zero_margin, smallest = _lasso_margins(*case.args, w, b)
        assert zero_margin < 0.95, case.label
        assert smallest > 1e-2, case.label
    from course_lib.checks.ex04_l1_lasso import SURVIVOR_RATE, survivor_data
    from course_lib.trainers import fit_lasso

    X, y, _ = survivor_data()
    zero_margin, smallest = _lasso_margins(X, y, SURVIVOR_RATE, *fit_lasso(X, y, SURVIVOR_RATE))
    assert zero_margin < 0.9 and smallest > 1e-2


def test_coordinate_cases_distinguish_the_partial_residual_and_the_curvature():
    task = TASKS["lasso_coordinate_update"]
    for case in task.cases()[1:]:
        X, y, w, j, rate = case.args
        assert w[j] != 0 or "from w = 0" in case.label
    columns = [(c.args[0][:, c.args[3]], c.args[0].shape[0]) for c in task.cases()]
    curvatures = [x_j @ x_j / n for x_j, n in columns]
    assert sum(abs(z - 1.0) > 0.1 for z in curvatures) >= 4


# ---------------------------------------------------------------------------
# The solution notebooks
# ---------------------------------------------------------------------------


def _solution_namespace(stem):
    path = ROOT / "exercises" / "solutions" / f"{stem}.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    namespace: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                exec(compile("".join(cell["source"]), f"{stem}.ipynb", "exec"), namespace)
    return notebook, namespace


@pytest.mark.parametrize("stem", MY_EXERCISES)
def test_solution_notebook_answers_pass_every_task(stem):
    notebook, namespace = _solution_namespace(stem)
    for task in tasks_for(stem):
        if task.kind == "written":
            continue  # graded by hand
        passed, text = run_check(task.name, namespace[task.symbol])
        assert passed, text


@pytest.mark.parametrize("stem", MY_EXERCISES)
def test_solution_notebook_has_one_solution_and_one_graded_check_per_task(stem):
    notebook, namespace = _solution_namespace(stem)
    grades = {}
    for cell in notebook["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader")
        if meta:
            grades[meta["grade_id"]] = (meta, "".join(cell["source"]), cell)
    for task in tasks_for(stem):
        if task.kind == "written":  # a Markdown answer graded by hand: its own cell, no check
            meta, source, cell = grades[task.name]
            assert cell["cell_type"] == "markdown" and meta["solution"] and meta["grade"]
            assert meta["points"] == task.points
            continue
        meta, source, _ = grades[f"{task.name}_solution"]
        assert meta["solution"] and not meta["grade"]
        assert "### BEGIN SOLUTION" in source and "### END SOLUTION" in source
        meta, source, cell = grades[f"{task.name}_check"]
        assert meta["grade"] and meta["locked"] and meta["points"] == task.points
        assert "nbval-check-output" in cell.get("metadata", {}).get("tags", [])
        assert "NBVAL" not in source  # a tag, not a comment the learner reads
        assert f'check("{task.name}", {task.symbol})' in source
        passed, text = run_check(task.name, namespace[task.symbol])
        assert passed
        assert [(o["output_type"], o.get("name")) for o in cell["outputs"]] == [("stream", "stdout")]
        assert "".join(cell["outputs"][0]["text"]) == text


# ---------------------------------------------------------------------------
# Independent oracles for exercises 07 (classification) and 08 (neural networks)
# ---------------------------------------------------------------------------


def test_log_loss_hand_cases_match_paper_arithmetic():
    task = TASKS["log_loss"]
    cases = task.cases()
    assert np.isclose(task.expected(cases[0]), np.log(2.0), rtol=1e-14)  # p = 1/2 for the one point
    # x = ±1, w = 1: both points are classified right with p = sigmoid(1), each costing log(1 + e^-1)
    assert np.isclose(task.expected(cases[1]), np.log1p(np.exp(-1.0)), rtol=1e-14)


def test_penalized_gradient_reference_matches_finite_differences():
    from course_lib.losses import log_loss
    from course_lib.penalties import l2_penalty

    task = TASKS["penalized_log_loss_gradient"]
    h = 1e-6
    for case in task.cases():
        X, y, w, b, rate = case.args
        grad_w, grad_b = task.expected(case)

        def objective(w_, b_):
            return log_loss(X, y, w_, b_) + l2_penalty(w_, rate)

        numeric_w = np.array([(objective(w + h * e, b) - objective(w - h * e, b)) / (2 * h) for e in np.eye(w.size)])
        numeric_b = (objective(w, b + h) - objective(w, b - h)) / (2 * h)
        for a, n in [(grad_w, numeric_w), (np.array([grad_b]), np.array([numeric_b]))]:
            relative = np.abs(a - n) / np.maximum(1e-8, np.abs(a) + np.abs(n))
            assert np.all(relative < 1e-5) or np.allclose(a, n, atol=1e-7), case.label


def test_logistic_C_answer_reproduces_our_fit_in_scikit_learn():
    from sklearn.linear_model import LogisticRegression

    from course_lib.checks.ex07_classification import C_RATE, C_ROWS
    from course_lib.data import make_wide_classification
    from course_lib.logistic import fit_logistic

    X, y, _ = make_wide_classification(C_ROWS, 5, 3, seed=1)
    ours = fit_logistic(X, y, C_RATE, "l2")
    C = TASKS["logistic_C_for_rate"].expected(Case("answer"))
    theirs = LogisticRegression(C=C, tol=1e-12, max_iter=10_000).fit(X, y)  # L2 is the default penalty
    assert np.allclose(theirs.coef_[0], ours.w, atol=1e-6) and abs(theirs.intercept_[0] - ours.b) < 1e-6


def test_l1_survivor_answer_is_well_inside_the_optimality_conditions():
    # The zero pattern must not hinge on rounding: zero weights have |x_jᵀ(p − y)/n| well below the
    # rate, surviving weights are not tiny.
    from course_lib.checks.ex07_classification import SURVIVOR_RATE, survivor_data
    from course_lib.data import standardize
    from course_lib.logistic import fit_logistic, predict_proba

    X, y, _ = survivor_data()
    Z, _, _ = standardize(X)
    w, b = fit_logistic(Z, y, SURVIVOR_RATE, "l1")
    g = Z.T @ (predict_proba(Z, w, b) - y) / Z.shape[0]
    zero = w == 0
    assert np.max(np.abs(g[zero])) < 0.95 * SURVIVOR_RATE
    assert np.min(np.abs(w[~zero])) > 1e-2
    assert set(np.flatnonzero(w).tolist()) == TASKS["l1_logistic_survivors"].expected(Case("answer"))


def test_add_l2_reference_matches_backprop_with_the_penalty():
    from course_lib.checks.ex08_neural_networks import add_l2_to_gradients
    from course_lib.mlp import init_mlp, mlp_loss_and_gradients

    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(20, 3)), (rng.uniform(size=20) < 0.5).astype(float)
    layers = init_mlp([3, 4, 2, 1], seed=1)
    for layer in layers:
        layer["b"] = rng.normal(size=layer["b"].shape)  # nonzero biases: a penalized bias would show
    _, plain = mlp_loss_and_gradients(layers, X, y, rate=0.0)
    _, penalized = mlp_loss_and_gradients(layers, X, y, rate=0.3)
    got = add_l2_to_gradients([(g["W"], g["b"]) for g in plain], [(p["W"], p["b"]) for p in layers], 0.3)
    for (gW, gb), want in zip(got, penalized):
        assert np.allclose(gW, want["W"], rtol=1e-12, atol=1e-15) and np.array_equal(gb, want["b"])


def test_adam_references_first_step_matches_paper_arithmetic():
    # At t = 1 from m = v = 0 the bias corrections give m̂ = g and v̂ = g², so the Adam direction is
    # g/(|g| + eps), entry by entry.
    for name, decoupled in [("adam_l2_update", False), ("adamw_update", True)]:
        task = TASKS[name]
        case = task.cases()[0]
        param, grad, m, v, t, lr, strength = case.args
        assert t == 1 and not m.any() and not v.any()
        g = grad if decoupled else grad + strength * param
        start = param * (1 - lr * strength) if decoupled else param
        new, m_new, v_new = task.expected(case)
        assert np.allclose(new, start - lr * g / (np.abs(g) + 1e-8), rtol=1e-12)
        assert np.allclose(m_new, 0.1 * g, rtol=1e-12) and np.allclose(v_new, 0.001 * g * g, rtol=1e-12)


def test_adam_cases_tell_the_two_rules_apart():
    # Every case with a nonzero strength gives different answers under the two rules.
    l2, w = TASKS["adam_l2_update"], TASKS["adamw_update"]
    for case in l2.cases():
        if case.args[6] > 0:
            assert not np.allclose(l2.expected(case)[0], w.expected(case)[0], rtol=1e-6), case.label


def test_adamw_remaining_fraction_is_the_per_step_factor_to_the_power_of_the_steps():
    from course_lib.checks.ex08_neural_networks import DECAY_LR, DECAY_STEPS, DECAY_WD

    expected = TASKS["adamw_remaining_fraction"].expected(Case("answer"))
    assert np.isclose(expected, (1 - DECAY_LR * DECAY_WD) ** DECAY_STEPS, rtol=1e-12)


def test_best_adamw_weight_decay_wins_by_a_clear_margin():
    # Platform rounding cannot change the answer: the best test log-loss is well below the others.
    from course_lib.checks.ex08_neural_networks import _grid_losses

    _, test = _grid_losses()
    best, second = np.sort(test)[:2]
    assert second > 1.2 * best


# ---------------------------------------------------------------------------
# Exercises 09 and 10: independent oracles (scikit-learn, hand arithmetic, the book's printed values)
# ---------------------------------------------------------------------------


def test_sklearn_penalty_parameter_reproduces_the_course_fits_in_scikit_learn():
    sklearn_linear = pytest.importorskip("sklearn.linear_model")
    from course_lib.checks.ex09_elastic_net_toolbox import sklearn_penalty_parameter
    from course_lib.logistic import fit_logistic
    from course_lib.trainers import fit_elastic_net, fit_lasso, fit_ridge

    rng = np.random.default_rng(90)
    X = rng.normal(size=(60, 4)) + [1.0, -2.0, 0.0, 3.0]
    y = X @ np.array([1.0, -0.5, 0.0, 2.0]) + rng.normal(size=60) + 4.0
    labels = (y > np.median(y)).astype(float)
    n, rate = X.shape[0], 0.3
    strict = dict(tol=1e-12, max_iter=100_000)
    pairs = [
        (fit_ridge(X, y, rate), sklearn_linear.Ridge(alpha=sklearn_penalty_parameter("Ridge", rate, n))),
        (fit_lasso(X, y, rate), sklearn_linear.Lasso(alpha=sklearn_penalty_parameter("Lasso", rate, n), **strict)),
        (fit_elastic_net(X, y, rate, 0.4),
         sklearn_linear.ElasticNet(alpha=sklearn_penalty_parameter("ElasticNet", rate, n), l1_ratio=0.4, **strict)),
    ]
    for (w, b), model in pairs:
        model.fit(X, y)
        np.testing.assert_allclose(model.coef_, w, atol=1e-7)
        assert model.intercept_ == pytest.approx(b, abs=1e-7)
    import sklearn

    new_api = tuple(int(v) for v in sklearn.__version__.split(".")[:2]) >= (1, 8)
    l2 = {"l1_ratio": 0.0} if new_api else {"penalty": "l2"}
    w, b = fit_logistic(X, labels, 0.05, "l2")
    model = sklearn_linear.LogisticRegression(C=sklearn_penalty_parameter("LogisticRegression", 0.05, n),
                                              tol=1e-10, max_iter=10_000, **l2).fit(X, labels)
    np.testing.assert_allclose(model.coef_[0], w, atol=1e-5)


def test_keras_factor_two_and_ridge_alpha_answers_by_hand():
    keras = TASKS["equivalent_weight_decay_for_keras_l2"]
    assert keras.expected(Case("c", (0.25,))) == 0.5  # d/dw of 0.25·w² is 0.5·w
    assert TASKS["ridge_alpha_for_more_rows"].expected(Case("answer")) == pytest.approx(200.0)  # 800 · 50/200


def test_elastic_net_kept_features_answer_has_margins():
    # The elastic net keeps both twins; the zeros are well inside their KKT bounds and the lasso keeps one twin.
    from course_lib.checks.ex09_elastic_net_toolbox import KEPT_L1_RATIO, kept_features_data
    from course_lib.trainers import fit_elastic_net, fit_lasso

    X, y, rate = kept_features_data()
    w, b = fit_elastic_net(X, y, rate, KEPT_L1_RATIO)
    assert TASKS["elastic_net_kept_features"].expected(Case("answer")) == {0, 1}
    g = X.T @ (y - X @ w - b) / len(y) - rate * (1 - KEPT_L1_RATIO) * w
    assert np.max(np.abs(g[w == 0])) < 0.9 * rate * KEPT_L1_RATIO
    assert np.min(np.abs(w[w != 0])) > 0.1
    assert np.count_nonzero(fit_lasso(X, y, rate).w[:2]) == 1


def test_mse_standard_error_hand_case_and_the_books_least_squares_column():
    task = TASKS["mse_standard_error"]
    # squared errors 1, 1, 9, 9: mean 5, sample variance (16 + 16 + 16 + 16)/3, SE = sqrt(64/3)/2
    assert task.expected(task.cases()[0]) == pytest.approx(np.sqrt(64 / 3) / 2, rel=1e-12)
    from course_lib.checks.prostate_workflow import mse_standard_error, standardize_like_esl
    from course_lib.data import load_prostate
    from course_lib.trainers import fit_ridge

    raw, book = load_prostate(), load_prostate(standardize_features=True)
    np.testing.assert_allclose(standardize_like_esl(raw.X), book.X, rtol=1e-12, atol=1e-12)
    w, b = fit_ridge(book.X_train, book.y_train, 0.0)
    # ESL Table 3.3, least squares: test error 0.521, std error 0.179
    assert np.mean((book.y_test - book.X_test @ w - b) ** 2) == pytest.approx(0.521, abs=5e-4)
    assert mse_standard_error(book.y_test, book.X_test @ w + b) == pytest.approx(0.179, abs=5e-4)


def test_prostate_value_answers_are_near_the_book_and_away_from_knots():
    from course_lib.checks.ex10_case_study_prostate import LASSO_RATE
    from course_lib.data import load_prostate
    from course_lib.trainers import lasso_path_knots

    # ESL Table 3.3 prints 0.492 for ridge at df ≈ 5; ours must be within a few thousandths of it
    assert TASKS["ridge_df5_test_error"].expected(Case("answer")) == pytest.approx(0.492, abs=5e-3)
    assert TASKS["lasso_selected_features"].expected(Case("answer")) == {0, 1, 4, 7}
    book = load_prostate(standardize_features=True)
    knots, _ = lasso_path_knots(book.X_train, book.y_train)
    assert np.min(np.abs(knots - LASSO_RATE)) > 0.03 * LASSO_RATE  # no active-set change near the asked rate


# ---------------------------------------------------------------------------
# Prediction and written-answer tasks (issue: exercises beyond formulas)
# ---------------------------------------------------------------------------

from course_lib.checks.framework import PredictionTask, WrittenTask, format_verdict  # noqa: E402


def _choice_task():
    return PredictionTask(
        "predict_first_zero", "ex00_demo", answer="b",
        choices={"a": "No: a has the strongest slope, it goes last.",
                 "b": "Yes: b's slope is the weakest, it cannot pay the penalty first.",
                 "c": "No: c only matters together with a."},
    )


def test_a_right_prediction_passes_and_says_why():
    task = _choice_task()
    for answer in ("b", " B "):
        verdict = task.run(answer)
        assert verdict.passed
        assert "b's slope is the weakest" in format_verdict(task, verdict)


def test_each_wrong_prediction_gets_its_own_explanation_and_no_answer():
    task = _choice_task()
    for answer, because in (("a", "strongest slope"), ("c", "together with a")):
        text = format_verdict(task, task.run(answer))
        assert "FAIL" in text and because in text
        assert "weakest" not in text  # the right choice's explanation is not given away


def test_a_prediction_outside_the_choices_lists_them():
    task = _choice_task()
    for answer in ("d", 2, ["b"]):
        text = format_verdict(task, task.run(answer))
        assert "FAIL" in text and "'a', 'b', 'c'" in text
    assert "not yet attempted" in format_verdict(task, task.run(...))


def test_a_numeric_prediction_is_judged_within_its_tolerance():
    task = PredictionTask("predict_fraction_zero", "ex00_demo", answer=lambda: 0.5, tolerance=0.2,
                          explanation="Half of the weights are exactly 0.")
    assert task.run(0.55).passed and "Half of the weights" in task.run(0.55).summary
    wrong = task.run(0.9)
    assert not wrong.passed and "run the cells below" in wrong.hint


@pytest.mark.parametrize("kwargs, error", [
    (dict(name="first_zero", answer="a", choices={"a": "."}), ValueError),        # name must say predict_
    (dict(name="predict_x", answer="z", choices={"a": "."}), ValueError),         # answer not a choice
    (dict(name="predict_x", answer=1, choices={"a": "."}), TypeError),            # answer not a string
])
def test_prediction_tasks_are_declared_consistently(kwargs, error):
    with pytest.raises(error):
        PredictionTask(exercise="ex00_demo", **kwargs)


def test_a_written_task_is_graded_by_hand_and_says_so():
    task = WrittenTask("explain_gap", "ex00_demo", points=2, description="why the gap grew")
    verdict = task.run("anything")
    assert not verdict.passed and verdict.status == "manual"
    assert "graded by hand" in format_verdict(task, verdict) and "2 points" in format_verdict(task, verdict)



# ---------------------------------------------------------------------------
# Exercises 07, 09, 10: the predictions are what the experiments show
# ---------------------------------------------------------------------------


def test_mean_probability_prediction_is_what_a_large_rate_does():
    # "b": at rate 100 the mean predicted probability is the share of 1s (not 0.5, not 0, not below it),
    # while the probabilities themselves collapse towards that share.
    from course_lib.checks.ex07_classification import base_rate_data
    from course_lib.logistic import fit_logistic, predict_proba

    X, y = base_rate_data()
    share = y.mean()
    assert 0.15 < share < 0.3  # far from 0.5 and from 0: the choices are distinguishable
    spreads = []
    for rate in (0.01, 1.0, 100.0):
        w, b = fit_logistic(X, y, rate, "l2")
        p = predict_proba(X, w, b)
        assert abs(p.mean() - share) < 1e-6
        spreads.append(p.max() - p.min())
    assert spreads[0] > 0.5 and spreads[2] < 0.01
    assert TASKS["predict_mean_probability"].expected(Case("answer")) == "b"


def test_mse_weight_decay_prediction_is_the_minimizer_of_mse_plus_decay():
    # "c": SGD on mean((Zw + b − y)²) with weight decay wd on w stops where 2/n·Zcᵀ(Zc w − yc) + wd·w = 0.
    # Solved directly (no course_lib trainer), only wd = 0.1 = 2·rate gives the course's ridge at rate 0.05.
    from course_lib.data import load_diabetes_data, standardize
    from course_lib.trainers import fit_ridge

    X, y = load_diabetes_data()
    Z, _, _ = standardize(X)
    Zc, yc, n = Z - Z.mean(axis=0), y - y.mean(), len(y)
    course = fit_ridge(Z, y, 0.05).w
    for choice, wd in zip("abcd", (0.025, 0.05, 0.1, 0.2)):
        w = np.linalg.solve(2 / n * Zc.T @ Zc + wd * np.eye(Z.shape[1]), 2 / n * Zc.T @ yc)
        assert np.allclose(w, course, rtol=1e-10, atol=1e-10) == (choice == "c"), choice
    assert TASKS["predict_mse_weight_decay"].expected(Case("answer")) == "c"


def test_workflow_answers_do_not_hinge_on_rounding_and_the_prediction_holds():
    from sklearn.linear_model import Lasso

    from course_lib.checks.prostate_workflow import workflow_cv as _workflow_cv, workflow_inputs as _workflow_inputs
    from course_lib.trainers import lasso_path_knots

    task = TASKS["standardize_with_training"]
    np.testing.assert_allclose(task.expected(task.cases()[0]), [[2.0], [-2.0]])  # X_train [1, 2, 3]: mean 2, sd 1
    Z, y, Z_test, y_test, rates = _workflow_inputs()
    cv = _workflow_cv()
    rate = TASKS["workflow_rate"].expected(Case("answer"))
    assert rate == cv.rate_1se
    # the one-SE choice is clear of its threshold, and no predictor enters or leaves near the chosen rate
    threshold = cv.mean_error[cv.best_index] + cv.standard_error[cv.best_index]
    i = cv.index_1se
    assert cv.mean_error[i] < (1 - 5e-3) * threshold and cv.mean_error[i - 1] > (1 + 5e-3) * threshold
    knots, _ = lasso_path_knots(Z, y)
    assert np.min(np.abs(knots - rate)) > 2e-3 * rate

    def test_error(alpha):
        model = Lasso(alpha=alpha, tol=1e-12, max_iter=100_000).fit(Z, y)   # Lasso's alpha is the course's rate
        return float(np.mean((y_test - model.predict(Z_test)) ** 2)), set(np.flatnonzero(model.coef_).tolist())

    error, kept = test_error(rate)
    assert error == pytest.approx(TASKS["workflow_test_error"].expected(Case("answer")), rel=1e-6)
    assert kept == {0, 1, 3, 4}  # lcavol, lweight, lbph, svi: the book's lasso column
    assert error == pytest.approx(0.479, abs=5e-4)  # ESL Table 3.3, lasso test error
    # the prediction ("b"): choosing the rate on the test rows reports a lower error than the honest one
    assert min(test_error(r)[0] for r in rates) < error - 0.01
    assert TASKS["predict_test_chosen"].expected(Case("answer")) == "b"


def test_task_names_are_unique_across_the_course():
    """Two exercises defining one task name would make check() and the grader pick one silently."""
    import importlib
    import pkgutil

    import course_lib.checks as package

    names = [task.name for m in pkgutil.iter_modules(package.__path__) if m.name.startswith("ex")
             for task in importlib.import_module(f"course_lib.checks.{m.name}").TASKS]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})


# ---------------------------------------------------------------------------
# Predictions of exercises 04-06: the right choice is what an independent experiment shows
# ---------------------------------------------------------------------------


def test_ex04_descent_prediction_is_what_subgradient_descent_does():
    from sklearn.linear_model import Lasso

    from course_lib.checks.ex04_l1_lasso import survivor_data

    X, y, _ = survivor_data()
    n, p = X.shape
    # plain subgradient descent, written here: w <- w - step·(−Xᵀr/n + rate·sign(w)), b by its gradient
    w, b = np.zeros(p), 0.0
    step = n / np.linalg.norm(np.column_stack([np.ones(n), X]), 2) ** 2
    for _ in range(5000):
        r = y - X @ w - b
        w, b = w - step * (-(X.T @ r) / n + 0.2 * np.sign(w)), b + step * np.mean(r)
    lasso = Lasso(alpha=0.2, tol=1e-10, max_iter=100_000).fit(X, y).coef_
    assert np.count_nonzero(lasso == 0) >= 3 and np.count_nonzero(w == 0) == 0
    assert TASKS["predict_descent_zeros"].expected(Case("answer")) == "b"  # "none"


def test_ex05_predictions_are_what_the_experiments_show():
    from sklearn.linear_model import Lasso

    from course_lib.checks.ex05_geometry import budget_data, corner_vectors

    Z, y = budget_data()
    t_03, t_06 = (np.abs(Lasso(alpha=r, tol=1e-10, max_iter=100_000).fit(Z, y).coef_).sum() for r in (0.3, 0.6))
    assert t_06 < t_03 and abs(t_06 / t_03 - 0.5) > 0.03  # smaller, and clearly not half
    assert TASKS["predict_budget_at_double_rate"].expected(Case("answer")) == "b"

    # projection onto {Σ|w| <= 2} by bisection on θ (independent of the sorting algorithm)
    def has_zero(v, t=2.0):
        if np.abs(v).sum() <= t:
            return bool(np.any(v == 0))
        lo, hi = 0.0, np.abs(v).max()
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if np.maximum(np.abs(v) - mid, 0).sum() > t else (lo, mid)
        return bool(np.any(np.abs(v) <= lo))

    share = np.mean([has_zero(v) for v in corner_vectors()])
    assert 0.3 < share < 0.7
    assert TASKS["predict_corner_share"].expected(Case("answer")) == "b"


def test_ex06_predictions_are_what_the_experiments_show():
    from sklearn.linear_model import Lasso

    from course_lib.checks.ex06_choosing_the_rate import _reference_cv, cv_data

    X, y = cv_data()
    rates = np.geomspace(np.max(np.abs((X - X.mean(0)).T @ (y - y.mean()))) / len(y), 1e-3, 30)  # descending
    fits = [Lasso(alpha=r, tol=1e-10, max_iter=100_000).fit(X, y) for r in rates]
    training_mse = [np.mean((y - f.predict(X)) ** 2) for f in fits]
    assert np.all(np.diff(training_mse) <= 1e-9)  # as the rate falls the training error falls: it rises with the rate
    assert TASKS["predict_training_error_vs_rate"].expected(Case("answer")) == "b"

    _, _, _, best, one_se = _reference_cv()
    kept = [np.count_nonzero(Lasso(alpha=r, tol=1e-10, max_iter=100_000).fit(X, y).coef_) for r in (best, one_se)]
    assert kept[1] < kept[0]
    assert TASKS["predict_1se_features"].expected(Case("answer")) == "b"

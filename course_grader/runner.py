"""Grade one submission: run the student's cells in a sandboxed kernel, then judge each task here.

The order of events for one notebook:

1. read it (:mod:`~course_grader.notebook`) and run the static checks
   (:mod:`~course_grader.source_checks`);
2. start a fresh kernel (:mod:`~course_grader.kernel`), install the
   grader's agent (:mod:`~course_grader.probe`) before any student code;
3. run the student's cells, check cells and shell escapes removed, each with a
   time limit -- errors are noted and the next cell runs, as in nbgrader;
4. for each task, ask the agent to call the student's function on the task's
   check inputs (or to send back the value) and judge the answer *in this
   process* with ``task.judge`` -- expected values never exist in the kernel.

A cell that kills or hangs the kernel is skipped and the kernel restarted (at
most :data:`MAX_RESTARTS` times), so one bad cell costs only what depends on it.
A function that kills or hangs the kernel scores zero for its task only.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

from . import wire
from .kernel import Kernel, KernelStartError, Limits
from .notebook import NotebookProblem, read_cells, runnable_cells
from .source_checks import defined_names, outside_writes, parse_cells, reference_uses

__all__ = ["TaskResult", "SubmissionResult", "grade_notebook", "MAX_RESTARTS"]

MAX_RESTARTS = 3


@dataclass
class TaskResult:
    """A task's outcome for one submission.

    ``summary`` and ``hint`` are safe to show the student (no hidden inputs, no
    reference values); ``problem`` is set when something abnormal (a timeout,
    a missing function, a dead kernel) needs the instructor's eye.
    """

    name: str
    description: str
    points: int
    max_points: int
    status: str
    summary: str
    hint: str | None = None
    problem: str | None = None


@dataclass
class SubmissionResult:
    """One row of grades.csv and one feedback file."""

    student: str
    exercise: str
    file: str
    tasks: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    ran: bool = True
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(t.points for t in self.tasks)

    @property
    def max(self) -> int:
        return sum(t.max_points for t in self.tasks)


def _zero(task, status: str, summary: str, hint: str | None = None, problem: str | None = None) -> TaskResult:
    return TaskResult(task.name, task.description, 0, task.points, status, summary, hint, problem)


def _missing(task) -> TaskResult:
    what = "function" if task.kind == "function" else "answer"
    summary = f"{what} `{task.symbol}` not defined"
    signature = getattr(task, "signature", None) or task.symbol
    hint = (f"Define `{signature}` under exactly this name, in a cell that runs without errors."
            if task.kind == "function" else f"Assign your answer to the variable `{task.symbol}`.")
    return _zero(task, "error", summary, hint, summary)


def _judged(task, cases, answer) -> TaskResult:
    try:
        verdict = task.judge(list(zip(cases, answer.results)))
    except Exception as exc:  # a bug in the checks must not pass or crash the batch
        summary = f"the grader could not judge this answer ({type(exc).__name__})"
        return _zero(task, "error", summary, None, f"grader error: {type(exc).__name__}: {exc}")
    points = task.points if verdict.passed else 0
    return TaskResult(task.name, task.description, points, task.points, verdict.status, verdict.summary,
                      verdict.hint)


@dataclass
class _Plan:
    tasks: list
    cases: dict
    requests: dict


def plan_tasks(tasks) -> _Plan:
    """Each task's cases (computed once per batch) and its encoded request."""
    cases = {t.name: list(t.cases()) for t in tasks}
    requests = {t.name: wire.encode_request(t, cases[t.name]) for t in tasks if t.kind != "written"}
    return _Plan(list(tasks), cases, requests)


def static_flags(trees, tasks, other_exercises) -> list[str]:
    """Flags found by reading the code: reference use, outside writes, wrong exercise."""
    flags = []
    for task in tasks:
        if task.kind == "function":
            for dotted in reference_uses(trees, task):
                flags.append(f"{task.name}: uses the reference implementation {dotted}")
    flags += outside_writes(trees)
    names = defined_names(trees)
    if tasks and not names & {t.symbol for t in tasks}:
        for exercise, symbols in other_exercises.items():
            if symbols and len(names & set(symbols)) * 2 >= len(symbols):
                flags.append(f"looks like exercise {exercise}")
                break
    return flags


def grade_notebook(path, student: str, exercise: str, plan: _Plan | None, *, limits: Limits,
                   workroot: str, identity=None, landlock=True, mplconfig=None, zygote=None,
                   read_paths=None, other_exercises=None, file_label: str | None = None,
                   cancel=None) -> SubmissionResult:
    """Grade the notebook at ``path`` against ``plan`` (None: unknown exercise).

    ``cancel`` (a ``threading.Event``) stops the work at the next cell or task when set.
    """
    started = time.monotonic()
    result = SubmissionResult(student, exercise, file_label or str(path))
    if plan is None:
        result.flags.append("unknown exercise file")
        result.ran = False
        return result
    try:
        cells = read_cells(path)
    except NotebookProblem as problem:
        result.tasks = [_zero(t, "error", f"not graded: {problem}") for t in plan.tasks]
        result.flags.append(str(problem))
        result.ran = False
        return result
    runnable = runnable_cells(cells)
    result.flags += static_flags(parse_cells(runnable), plan.tasks, other_exercises or {})
    kernel_args = dict(workroot=workroot, limits=limits, identity=identity, landlock=landlock,
                       mplconfig=mplconfig, zygote=zygote, read_paths=read_paths)
    session = _Session(runnable, plan, limits, kernel_args, started, cancel)
    task_results, cell_flags, ran = session.run()
    result.tasks = [task_results[t.name] for t in plan.tasks]
    result.flags = cell_flags + result.flags + [f"{t.name}: {t.problem}" for t in result.tasks if t.problem]
    result.ran = ran
    result.seconds = time.monotonic() - started
    return result


class _Session:
    """Runs cells and probes, restarting the kernel after a fatal cell."""

    def __init__(self, cells, plan, limits, kernel_args, started, cancel=None):
        self.cells, self.plan, self.limits = cells, plan, limits
        self.cancel = cancel
        self.kernel_args = kernel_args
        self.deadline = started + limits.notebook_seconds
        self.results: dict[str, TaskResult] = {}
        self.cell_notes: dict[int, str] = {}
        self.skip: set[int] = set()

    def _left(self) -> float:
        if self.cancel is not None and self.cancel.is_set():
            return -1.0
        return self.deadline - time.monotonic()

    def _note(self, number: int, text: str) -> None:
        self.cell_notes.setdefault(number, f"cell {number}: {text}")

    def run(self):
        for task in self.plan.tasks:  # prose is graded by hand (nbgrader's manual grading)
            if task.kind == "written":
                self.results[task.name] = TaskResult(task.name, task.description, 0, task.points, "manual",
                                                     "written answer: graded by hand")
        pending = [task for task in self.plan.tasks if task.kind != "written"]
        ran = True
        restarts = 0
        while pending:
            if self._left() <= 0:
                break
            kernel = Kernel(**self.kernel_args)
            try:
                restart = self._one_kernel(kernel, pending)
            except KernelStartError as exc:
                for task in pending:
                    self.results[task.name] = _zero(task, "error", "not graded: the kernel did not start")
                self.cell_notes.setdefault(0, str(exc))
                ran = False
                pending = []
                restart = False
            finally:
                kernel.cleanup()
            if not restart:
                break
            restarts += 1
            if restarts > MAX_RESTARTS:
                for task in pending:
                    self.results[task.name] = _zero(
                        task, "error", "not graded: the kernel kept dying", None,
                        f"not graded after {MAX_RESTARTS} kernel restarts")
                pending = []
        limit = f"notebook time limit of {self.limits.notebook_seconds:g} s reached"
        for task in pending:
            self.results.setdefault(task.name, _zero(task, "error", f"not graded: {limit}", None, limit))
        notes = [self.cell_notes[n] for n in sorted(self.cell_notes)]
        return self.results, notes, ran

    def _one_kernel(self, kernel: Kernel, pending: list) -> bool:
        """Run cells then probes on one kernel; True when it must be restarted."""
        kernel.start()
        nonce = secrets.token_hex(16)
        boot = kernel.execute(wire.bootstrap_code(nonce), self.limits.start_seconds)
        if boot.status == "died" and boot.innocent:
            return True  # the factory stopped while the agent loaded, not the student's fault: a new kernel
        if boot.status != "ok":
            raise KernelStartError(f"the grader's agent did not start ({boot.status} {boot.ename} {boot.exit})")
        for cell in self.cells:
            if cell.number in self.skip:
                continue
            left = self._left()
            if left <= 0:
                return False
            timeout = min(self.limits.cell_seconds, left)
            outcome = kernel.execute(cell.source, timeout)
            if outcome.status == "error" and outcome.ename not in ("NotImplementedError", "KeyboardInterrupt"):
                message = f"{outcome.ename}: {outcome.evalue}" if outcome.evalue else outcome.ename
                self._note(cell.number, _one_line(message))
            elif outcome.status == "timeout":
                self._note(cell.number, f"timed out after {timeout:.3g} s")
                self.skip.add(cell.number)
                if not outcome.recovered:
                    return True
            elif outcome.status == "died":
                if not outcome.innocent:  # else the factory stopped: run the cell again
                    self._note(cell.number, f"the kernel died: {outcome.exit}")
                    self.skip.add(cell.number)
                return True
        for task in list(pending):
            left = self._left()
            if left <= 0:
                return False
            timeout = min(self.limits.task_seconds, left)
            code = wire.probe_code(nonce, self.plan.requests[task.name])
            outcome = kernel.execute(code, timeout, collect=True)
            if outcome.status == "died" and outcome.innocent:
                return True  # the factory stopped, not the student's code: try this task again
            pending.remove(task)
            self.results[task.name] = self._task_result(task, outcome, timeout, nonce)
            if outcome.status == "died" or (outcome.status == "timeout" and not outcome.recovered):
                return bool(pending)
        return False

    def _task_result(self, task, outcome, timeout, nonce) -> TaskResult:
        if outcome.status == "timeout":
            text = f"timed out after {timeout:.3g} s"
            return _zero(task, "error", f"your {_what(task)} {text}",
                         "Look for a loop that never ends, or work that grows too fast with the input size.",
                         text)
        if outcome.status == "died":
            text = f"the kernel died while running your {_what(task)}: {outcome.exit}"
            return _zero(task, "error", text, None, text)
        if outcome.status == "error":
            text = f"no result came back from the kernel ({outcome.ename or 'error'})"
            return _zero(task, "error", text, None, text)
        cases = self.plan.cases[task.name]
        try:
            answer = wire.parse_answer(outcome.payloads, nonce, task.name, len(cases))
        except (wire.Unreadable, RecursionError, MemoryError, ValueError, TypeError) as exc:
            text = str(exc) if isinstance(exc, wire.Unreadable) else f"unreadable result ({type(exc).__name__})"
            return _zero(task, "error", text, None, text)
        if answer.missing:
            return _missing(task)
        return _judged(task, cases, answer)


def _what(task) -> str:
    return "function" if task.kind == "function" else "answer"


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."

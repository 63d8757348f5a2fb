"""Grade one submission: read it, analyse it, run its cells in a sandboxed kernel, judge each task here.

The order of events for one notebook (its time limit counts from the first step):

1. read its bytes without following links (:func:`course_grader.submissions.read_submission`);
2. analyse them in the bounded worker (:mod:`course_grader.analysis`): the cells to run, the
   static flags, the answers' hashes, the written answers;
3. start a fresh kernel (:mod:`~course_grader.kernel`), install the grader's agent
   (:mod:`~course_grader.probe`) before any student code;
4. run the student's cells, each with a time and an output limit -- errors are noted and the
   next cell runs, as in nbgrader;
5. for each task, ask the agent to call the student's function on the run's graded inputs
   (or to send back the value) and judge the answer *in this process* with ``task.judge``.

A cell that kills or hangs the kernel is skipped and the kernel restarted, so one bad cell costs
only what depends on it.  A function that kills or hangs the kernel scores zero for its task
only; the other tasks get a new kernel.  Restarts nobody's code caused (the kernel factory
stopped) are counted per task: :data:`MAX_RESTARTS` for each, so no task pays for another's.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

from . import wire
from .hidden import Plan, plan_tasks
from .kernel import Kernel, KernelStartError, Limits

__all__ = ["TaskResult", "SubmissionResult", "grade_notebook", "run_session", "plan_tasks", "MAX_RESTARTS"]

MAX_RESTARTS = 3


@dataclass
class TaskResult:
    """A task's outcome for one submission.

    ``summary`` and ``hint`` are safe to show the student (no hidden inputs, no reference values);
    ``reason`` is the mistake without the case (what the class report counts); ``problem`` is set
    when something abnormal (a timeout, a missing function, a dead kernel) needs the instructor's
    eye.  A written task has status ``"manual"`` and 0 points until graded by hand.
    """

    name: str
    description: str
    points: int
    max_points: int
    status: str
    summary: str
    hint: str | None = None
    problem: str | None = None
    reason: str = ""


@dataclass
class SubmissionResult:
    """One row of grades_by_task.csv and one feedback file.

    ``flags`` are for the instructor; ``notes`` for the student's feedback (no other student's name,
    no kernel error text).  ``hashes`` are the normalised answer hashes, ``written`` the written
    answers (task -> Markdown), for the instructor only.
    """

    student: str
    exercise: str
    file: str
    tasks: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    ran: bool = True
    seconds: float = 0.0
    hashes: dict = field(default_factory=dict)
    written: dict = field(default_factory=dict)
    survived: bool = False

    def flag(self, text: str, note: str | None = "") -> None:
        """Add ``text`` to the flags, and ``note`` (default: the same text; None: nothing) to the notes."""
        self.flags.append(text)
        if note is not None:
            self.notes.append(note or text)

    @property
    def total(self) -> int:
        return sum(t.points for t in self.tasks)

    @property
    def max(self) -> int:
        return sum(t.max_points for t in self.tasks)

    @property
    def pending(self) -> int:
        """Points of written answers awaiting the instructor."""
        return sum(t.max_points for t in self.tasks if t.status == "manual")


def _zero(task, status: str, summary: str, hint: str | None = None, problem: str | None = None,
          reason: str = "") -> TaskResult:
    return TaskResult(task.name, task.description, 0, task.points, status, summary, hint, problem,
                      reason or summary)


def _manual(task) -> TaskResult:
    return TaskResult(task.name, task.description, 0, task.points, "manual",
                      "written answer: graded by your instructor", None, None, "graded by hand")


def zero_results(plan: Plan, summary: str) -> list[TaskResult]:
    """Every task at 0 with ``summary`` (written tasks still go to the instructor)."""
    return [_manual(t) if t.kind == "written" else _zero(t, "error", summary) for t in plan.tasks]


def _missing(task) -> TaskResult:
    what = "function" if task.kind == "function" else "answer"
    summary = f"{what} `{task.symbol}` not defined"
    signature = getattr(task, "signature", None) or task.symbol
    hint = (f"Define `{signature}` under exactly this name, in a cell that runs without errors."
            if task.kind == "function" else f"Assign your answer to the variable `{task.symbol}`.")
    return _zero(task, "error", summary, hint, summary, "not defined")


def _judged(task, cases, answer) -> TaskResult:
    try:
        verdict = task.judge(list(zip(cases, answer.results)))
    except Exception as exc:  # a bug in the checks must not pass or crash the batch
        summary = f"the grader could not judge this answer ({type(exc).__name__})"
        return _zero(task, "error", summary, None, f"grader error: {type(exc).__name__}: {exc}")
    points = task.points if verdict.passed else 0
    reason = "" if verdict.passed else (getattr(verdict, "reason", "") or verdict.summary)
    return TaskResult(task.name, task.description, points, task.points, verdict.status, verdict.summary,
                      verdict.hint, None, reason)


def grade_notebook(path, student: str, exercise: str, plan: Plan | None, *, limits: Limits, workroot: str,
                   analyzer=None, file_label: str | None = None, **kernel_args) -> SubmissionResult:
    """Grade the notebook file at ``path`` (tools and tests; the batch reads files through
    :mod:`course_grader.submissions` and keeps one analyzer per worker)."""
    from .analysis import Analyzer

    started = time.monotonic()
    result = SubmissionResult(student, exercise, file_label or str(path))
    if plan is None:
        result.flag("unknown exercise file")
        result.ran = False
        return result
    with open(path, "rb") as handle:
        raw = handle.read()
    own = analyzer is None
    analyzer = analyzer or Analyzer(limits.analysis_memory_bytes)
    try:
        return run_session(result, raw, plan, limits=limits, workroot=workroot, analyzer=analyzer,
                           started=started, **kernel_args)
    finally:
        if own:
            analyzer.close()


def analysis_request(plan: Plan, other_exercises: dict | None = None) -> dict:
    return {"tasks": plan.refs, "others": other_exercises or {}}


def run_session(result: SubmissionResult, raw: bytes, plan: Plan, *, limits: Limits, workroot: str, analyzer,
                started: float, other_exercises=None, cancel=None, policy=None, identity=None,
                **kernel_args) -> SubmissionResult:
    """Analyse ``raw`` and run it; fill and return ``result`` (``started``: when its time began)."""
    from .analysis import AnalysisFailed

    deadline = started + limits.notebook_seconds
    try:
        reply = analyzer.analyse(raw, analysis_request(plan, other_exercises),
                                 min(limits.analysis_seconds, max(0.0, deadline - time.monotonic())))
    except AnalysisFailed as exc:
        result.tasks = zero_results(plan, f"not graded: {exc}")
        result.flag(f"not graded: {exc}")
        result.ran = False
        return result
    if reply.get("problem"):
        result.tasks = zero_results(plan, f"not graded: {reply['problem']}")
        result.flag(reply["problem"])
        result.ran = False
        return result
    result.hashes = dict(reply.get("hashes", {}))
    result.written = dict(reply.get("written", {}))
    cells = [_RunCell(int(number), source) for number, source in reply["cells"]]
    session = _Session(cells, plan, limits, dict(workroot=workroot, limits=limits, identity=identity, **kernel_args),
                       deadline, cancel, policy, identity)
    task_results, ran = session.run()
    result.survived = session.survived
    result.tasks = [task_results[t.name] for t in plan.tasks]
    for number in sorted(session.cell_notes):
        flag, note = session.cell_notes[number]
        result.flag(flag, note)
    for text in reply.get("flags", []):
        result.flag(text)
    for task in result.tasks:
        if task.problem:
            result.flag(f"{task.name}: {task.problem}")
    for text in session.notes:
        result.flag(text, None)
    result.ran = ran
    result.seconds = time.monotonic() - started
    return result


@dataclass(frozen=True)
class _RunCell:
    number: int
    source: str


class _Session:
    """Runs cells and probes, restarting the kernel after a fatal cell or task."""

    def __init__(self, cells, plan, limits, kernel_args, deadline, cancel=None, policy=None, identity=None):
        self.cells, self.plan, self.limits = cells, plan, limits
        self.cancel, self.policy, self.identity = cancel, policy, identity
        self.kernel_args = kernel_args
        self.deadline = deadline
        self.results: dict[str, TaskResult] = {}
        self.cell_notes: dict[int, tuple[str, str]] = {}
        self.notes: list[str] = []
        self.skip: set[int] = set()
        self.output_used = 0
        self.survived = False  # a process of the submission outlived SIGKILL

    def _left(self) -> float:
        if self.cancel is not None and self.cancel.is_set():
            return -1.0
        return self.deadline - time.monotonic()

    def _note(self, number: int, flag: str, note: str | None = None) -> None:
        self.cell_notes.setdefault(number, (f"cell {number}: {flag}", f"cell {number}: {note or flag}"))

    def run(self):
        for task in self.plan.tasks:  # prose is graded by hand (nbgrader's manual grading)
            if task.kind == "written":
                self.results[task.name] = _manual(task)
        pending = [task for task in self.plan.tasks if task.kind != "written"]
        budget = {task.name: MAX_RESTARTS for task in pending}
        budget[None] = MAX_RESTARTS  # innocent restarts before any task is probed
        ran = True
        while pending and self._left() > 0:
            containment = None
            if self.policy is not None:
                containment = self.policy.for_kernel(self.identity, self.limits.memory_bytes,
                                                     self.limits.max_processes)
            kernel = Kernel(**self.kernel_args, containment=containment)
            try:
                kind, who = self._one_kernel(kernel, pending)
            except KernelStartError as exc:
                for task in pending:
                    self.results[task.name] = _zero(task, "error", "not graded: the kernel did not start")
                self.cell_notes.setdefault(0, (str(exc), "the grader could not start a kernel"))
                ran, pending, kind, who = False, [], "done", None
            finally:
                if not kernel.cleanup():
                    self.survived = True
                    self.notes.append("a process of this submission survived SIGKILL (its user is never reused)")
                if containment is not None:
                    containment.close()
            if kind == "done":
                break
            if kind == "innocent":  # nobody's code: charged to the task being graded (None: the cells)
                budget[who] -= 1
                if budget[who] < 0:
                    for task in [t for t in pending if who is None or t.name == who]:
                        text = f"not graded after {MAX_RESTARTS} kernel restarts"
                        self.results[task.name] = _zero(task, "error", "not graded: the kernel kept dying",
                                                        None, text)
                        pending.remove(task)
        limit = f"notebook time limit of {self.limits.notebook_seconds:g} s reached"
        for task in pending:
            self.results.setdefault(task.name, _zero(task, "error", f"not graded: {limit}", None, limit))
        return self.results, ran

    def _one_kernel(self, kernel: Kernel, pending: list):
        """Run cells then probes on one kernel.

        Returns ``(kind, task name)``: ``("done", None)``; ``("cell", None)`` or ``("task", None)``
        when a cell or a task's function needs a new kernel (it is skipped or graded: progress
        either way); ``("innocent", name)`` when the kernel died of no one's code while task
        ``name`` was probed (None: before the probes).
        """
        kernel.start()
        nonce = secrets.token_hex(16)
        boot = kernel.execute(wire.bootstrap_code(nonce), self.limits.start_seconds)
        if boot.status == "died" and boot.innocent:
            return "innocent", None
        if boot.status != "ok":
            raise KernelStartError(f"the grader's agent did not start ({boot.status} {boot.ename} {boot.exit})")
        for cell in self.cells:
            if cell.number in self.skip:
                continue
            left = self._left()
            if left <= 0:
                return "done", None
            timeout = min(self.limits.cell_seconds, left)
            allowed = max(0, min(self.limits.cell_output_bytes, self.limits.output_bytes - self.output_used))
            outcome = kernel.execute(cell.source, timeout, output_budget=allowed)
            self.output_used += outcome.output_bytes
            if outcome.status == "error" and outcome.ename not in ("NotImplementedError", "KeyboardInterrupt"):
                if outcome.ename in ("", "None"):  # e.g. a message with undecodable bytes: ipykernel cannot send it
                    self._note(cell.number, "an error the kernel could not report")
                else:
                    message = f"{outcome.ename}: {outcome.evalue}" if outcome.evalue else outcome.ename
                    self._note(cell.number, _one_line(message), f"{_one_line(outcome.ename)} (run the cell to see why)")
            elif outcome.status in ("timeout", "output"):
                if outcome.status == "timeout":
                    self._note(cell.number, f"timed out after {timeout:.3g} s")
                else:
                    self._note(cell.number, f"stopped: printed more than {allowed / 1024**2:.3g} MB")
                self.skip.add(cell.number)
                if not outcome.recovered:
                    return "cell", None
            elif outcome.status == "died":
                if outcome.innocent:  # the factory stopped: run the cell again
                    return "innocent", None
                self._note(cell.number, f"the kernel died: {outcome.exit}")
                self.skip.add(cell.number)
                return "cell", None
        for task in list(pending):
            left = self._left()
            if left <= 0:
                return "done", None
            timeout = min(self.limits.task_seconds, left)
            code = wire.probe_code(nonce, self.plan.requests[task.name])
            outcome = kernel.execute(code, timeout, collect=True,
                                     user_expressions={"answer": wire.answer_expression(nonce)},
                                     output_budget=max(self.limits.cell_output_bytes, 64 * 1024**2))
            if outcome.status == "died" and outcome.innocent:
                return "innocent", task.name  # not the student's code: this task again, on a new kernel
            pending.remove(task)
            self.results[task.name] = self._task_result(task, outcome, timeout, nonce)
            if outcome.status == "died" or (outcome.status in ("timeout", "output") and not outcome.recovered):
                return ("task", None) if pending else ("done", None)
        return "done", None

    def _task_result(self, task, outcome, timeout, nonce) -> TaskResult:
        if outcome.status == "timeout":
            text = f"timed out after {timeout:.3g} s"
            return _zero(task, "error", f"your {_what(task)} {text}",
                         "Look for a loop that never ends, or work that grows too fast with the input size.",
                         text, "timed out")
        if outcome.status == "output":
            text = "printed too much output while being graded"
            return _zero(task, "error", f"your {_what(task)} {text}", "Remove the prints from your function.",
                         text)
        if outcome.status == "died":
            text = f"the kernel died while running your {_what(task)}: {outcome.exit}"
            return _zero(task, "error", text, None, text, "the kernel died")
        if outcome.status == "error":
            text = f"no result came back from the kernel ({outcome.ename or 'error'})"
            return _zero(task, "error", text, None, text)
        cases = self.plan.cases[task.name]
        try:
            answer = wire.answer_from_reply(outcome.expressions.get("answer"), outcome.payloads, nonce, task.name,
                                            len(cases))
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

"""Grade a folder of submissions in parallel and write the grades, the feedback and the class report.

A pool of ``workers`` threads each grades whole submissions: one static-analysis worker process
per thread, one fresh kernel (and, as root, one fresh user) per submission; the kernels are
separate processes, so they run in parallel.  Results are sorted by student, exercise and file
whatever the completion order.  What is written to ``OUT`` (a folder only its owner can read):

* ``grades.csv`` (a row per student) and ``grades_by_task.csv`` (a row per notebook), see
  :mod:`course_grader.grades`;
* ``feedback/<student>/<exercise>.md``, see :mod:`course_grader.feedback`;
* ``report.html``, see :mod:`course_grader.html_report`;
* ``run.json``: the run's settings and its secret seed (to reproduce it: ``COURSE_GRADER_SEED``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from queue import Queue

from .analysis import Analyzer
from .containment import Policy, live_processes_of_user
from .factory import Zygote, ZygoteGone
from .feedback import write_feedback
from .grades import atomic_write, grades_by_task_table, grades_table, student_rows
from .hidden import new_seed, plan_tasks
from .html_report import write_report
from .kernel import Limits
from .names import is_plain, shown
from .progress import Progress
from .runner import SubmissionResult, TaskResult, run_session, zero_results
from .sandbox import landlock_abi, readable_paths
from .similarity import similar_pairs
from .submissions import Refused, Submission, exercise_of, find_submissions, read_submission
from .users import UserPool

__all__ = ["Submission", "BatchReport", "find_submissions", "default_registry", "grade_submissions", "exercise_of"]


@dataclass
class BatchReport:
    """What :func:`grade_submissions` did."""

    results: list
    grades_csv: str
    feedback_dir: str
    seconds: float
    workers: int
    isolation: str
    warnings: list = field(default_factory=list)
    by_task_csv: str = ""
    report_html: str = ""
    rows: list = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(not r.ran for r in self.results)

    @property
    def flagged(self) -> int:
        return sum(bool(r.flags) for r in self.results)

    def summary(self) -> str:
        n = len(self.results)
        students = len({r.student for r in self.results})
        rate = n / self.seconds if self.seconds > 0 else 0.0
        lines = [
            f"graded {n} submission{'s' * (n != 1)} from {students} student{'s' * (students != 1)} "
            f"in {self.seconds:.1f} s ({rate:.2f} per second, {self.workers} workers): "
            f"{n - self.failed} ran, {self.failed} failed to run, {self.flagged} flagged",
            f"  grades:    {self.grades_csv} (one row per student), {self.by_task_csv} (per task)",
            f"  feedback:  {self.feedback_dir}",
            f"  report:    {self.report_html}",
            f"  isolation: {self.isolation}",
        ]
        lines += [f"  note: {w}" for w in self.warnings]
        return "\n".join(lines)


def default_registry() -> dict:
    """Exercise stem -> its tasks, from :mod:`course_lib.checks`."""
    from course_lib import checks

    return {exercise: checks.tasks_for(exercise) for exercise in checks.EXERCISES}


def _needs_read_everything(uid: int, workroot: str) -> bool:
    """Whether a user without privileges cannot start this Python with ipykernel."""
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-c", "import ipykernel, numpy"],
            user=uid, group=uid, extra_groups=[], cwd=workroot, env={"HOME": workroot},
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return True
    return done.returncode != 0


def _package_dir(name: str) -> str:
    import importlib.util

    spec = importlib.util.find_spec(name)
    return os.path.dirname(os.path.abspath(spec.origin))


def _base_environment(home: str, mplconfig: str) -> dict:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "TMPDIR": home,
        "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "MPLBACKEND": "Agg", "MPLCONFIGDIR": mplconfig,
        "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    if "PYTHONPATH" in os.environ:
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return env


def _start_zygote(workroot: str, mplconfig: str):
    """The kernel factory (Linux only: it forks); None when it cannot start."""
    if not sys.platform.startswith("linux"):
        return None
    home = os.path.join(workroot, "zygote")
    os.mkdir(home)
    try:
        return Zygote(_base_environment(home, mplconfig))
    except (ZygoteGone, OSError):
        return None


def _build_matplotlib_cache(folder: str) -> None:
    """Fill ``folder`` with matplotlib's font cache once, for every kernel (saves ~0.5 s per kernel).

    Only needed without the kernel factory, which builds the cache itself when it preloads
    matplotlib.  If the build fails, each kernel builds its own: slower, not wrong.
    """
    env = {**os.environ, "MPLCONFIGDIR": folder, "MPLBACKEND": "Agg"}
    try:
        subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env=env, timeout=120,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        pass


def _crash_result(sub: Submission, tasks, exc: BaseException) -> SubmissionResult:
    result = SubmissionResult(sub.student, sub.exercise, sub.label, ran=False)
    result.tasks = [TaskResult(t.name, t.description, 0, t.points, "error", "not graded: grader error")
                    for t in tasks or []]
    result.flag(f"grader error: {type(exc).__name__}: {exc}", "not graded: an error in the grader")
    return result


class _Run:
    """Everything shared by the grading threads of one run."""

    def __init__(self, registry, limits, seed, workers):
        self.registry, self.limits, self.seed = registry, limits, seed
        self.plans: dict = {}
        self.analyzers: Queue = Queue()
        for _ in range(workers):
            self.analyzers.put(Analyzer(limits.analysis_memory_bytes))
        self.symbols = {exercise: [t.symbol for t in tasks] for exercise, tasks in registry.items()}

    def plan(self, exercise):
        if exercise not in self.plans:
            try:
                self.plans[exercise] = plan_tasks(self.registry[exercise], self.seed)
            except Exception as exc:  # broken checks: every row of this exercise says so
                self.plans[exercise] = exc
        return self.plans[exercise]

    def close(self):
        while not self.analyzers.empty():
            self.analyzers.get().close()


def grade_submissions(submissions_dir, out_dir, *, workers: int | None = None, limits: Limits | None = None,
                      registry: dict | None = None, sandbox_user: bool = True, landlock: bool = True,
                      preload: bool = True, private_reads: bool = True, stream=None, roster=None,
                      seed: int | None = None, cgroups: bool = True, network: bool = False) -> BatchReport:
    """Grade every notebook under ``submissions_dir``; write grades, feedback and the report to ``out_dir``.

    Parameters
    ----------
    submissions_dir, out_dir : path-like
    workers : int, optional
        Submissions graded at once (default: the number of CPU cores available).
    limits : Limits, optional
        Time, memory and output limits per submission.
    registry : dict, optional
        Exercise stem -> list of tasks (default: :func:`default_registry`).
    sandbox_user : bool
        When running as root (on Linux), run each submission's kernel as a fresh unprivileged user.
    landlock : bool
        Restrict kernels' file writes to their own folder where Linux allows it.
    private_reads : bool
        With Landlock, let kernels read only their own folder, the Python installation,
        ``course_lib`` and system libraries -- not the submissions, the grades, the grader or
        anyone's home.
    preload : bool
        Fork each kernel from a factory process that imported ipykernel, numpy, matplotlib and
        course_lib once (Linux; several times faster), instead of starting a new interpreter.
    stream : file, optional
        Where the progress bar goes (default stderr); None for no progress.
    roster : list of str, optional
        Student ids that must each get a row of grades.csv.
    seed : int, optional
        The seed of the graded inputs (default: :func:`course_grader.hidden.new_seed`).
    cgroups : bool
        Use cgroup v2 for containment where the machine allows it (see :mod:`course_grader.containment`).
    network : bool
        Leave kernels the machine's network (default: as root, each kernel gets a network
        namespace of its own, without any interface up).

    Returns
    -------
    BatchReport
    """
    started = time.monotonic()
    limits = limits or Limits()
    registry = default_registry() if registry is None else registry
    seed = new_seed() if seed is None else int(seed)
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = max(1, int(workers))
    submissions, warnings = find_submissions(submissions_dir)
    os.makedirs(out_dir, mode=0o700, exist_ok=True)
    root = os.geteuid() == 0 and sys.platform.startswith("linux")
    run = _Run(registry, limits, seed, workers)
    workroot = tempfile.mkdtemp(prefix="course-grade-")
    os.chmod(workroot, 0o711)
    zygote, users, policy = None, None, None
    try:
        # One matplotlib config folder for the run, whichever way kernels start: the factory fills
        # it when it preloads matplotlib; without a factory it is filled here.
        mplconfig = os.path.join(workroot, "mplconfig")
        os.mkdir(mplconfig, 0o755)
        if preload:
            zygote = _start_zygote(workroot, mplconfig)
        if zygote is None:
            _build_matplotlib_cache(mplconfig)
        read_everything = False
        if sandbox_user and root:
            users = UserPool()
            probe_user = users.take()
            read_everything = _needs_read_everything(probe_user.uid, workroot)
            users.give_back(probe_user, dead=not live_processes_of_user(probe_user.uid))
            users.read_everything = read_everything
        policy = Policy(root=root, use_cgroups=cgroups)
        use_landlock = landlock and landlock_abi() > 0
        course_lib_dir = _package_dir("course_lib")  # the learners' library only: never the grader beside it
        read_paths = (readable_paths([mplconfig, course_lib_dir], exclude=[_package_dir("course_grader")])
                      if use_landlock and private_reads else None)
        no_network = root and not network
        isolation = _describe_isolation(users, read_everything, use_landlock, limits, zygote is not None,
                                        read_paths is not None, policy, no_network)
        progress = Progress(len(submissions), stream) if stream is not None else None
        cancel = threading.Event()
        kernel_args = dict(landlock=use_landlock, mplconfig=mplconfig, zygote=zygote, read_paths=read_paths,
                           no_network=no_network)

        def grade(sub: Submission) -> SubmissionResult:
            result = _grade_one(sub, run, users, policy, workroot, kernel_args, cancel)
            if progress is not None:
                progress.advance(failed=not result.ran, flagged=bool(result.flags))
            return result

        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grade")
        try:
            results = list(pool.map(grade, submissions))
        except BaseException:  # Ctrl-C: drop what has not started, stop what has at its next cell
            cancel.set()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
    finally:
        if zygote is not None:
            zygote.close()
        run.close()
        shutil.rmtree(workroot, ignore_errors=True)
        if users is not None:
            users.close()
        if policy is not None:
            policy.close()
    return _write_outputs(results, run, out_dir, warnings, roster, isolation, started, workers, seed, users)


def _grade_one(sub, run, users, policy, workroot, kernel_args, cancel) -> SubmissionResult:
    begun = time.monotonic()
    result = SubmissionResult(sub.student, sub.exercise, sub.label)
    if not is_plain(sub.student):
        result.flag(f"student id is not plain UTF-8 text: shown as {shown(sub.student)!r}")
    if sub.exercise not in run.registry:
        result.flag("unknown exercise file")
        result.ran = False
        return result
    plan = run.plan(sub.exercise)
    identity = None
    analyzer = run.analyzers.get()
    try:
        if isinstance(plan, Exception):
            raise RuntimeError(f"the checks of {sub.exercise} failed: {type(plan).__name__}: {plan}")
        try:
            raw, notes = read_submission(sub)
        except Refused as refused:
            result.tasks = zero_results(plan, f"not graded: {refused}")
            result.flag(str(refused))
            result.ran = False
            return result
        for note in notes:
            result.flag(note)
        identity = users.take() if users is not None else None
        others = {ex: s for ex, s in run.symbols.items() if ex != sub.exercise}
        run_session(result, raw, plan, limits=run.limits, workroot=workroot, analyzer=analyzer, started=begun,
                    other_exercises=others, cancel=cancel, policy=policy, identity=identity, **kernel_args)
    except Exception as exc:  # never lose a row to a grader bug
        result = _crash_result(sub, run.registry.get(sub.exercise, []), exc)
    finally:
        run.analyzers.put(analyzer)
        if identity is not None:
            users.give_back(identity, dead=not result.survived)
    return result


def _flag_duplicates(results) -> None:
    counts: dict = {}
    for r in results:
        counts[(r.student, r.exercise)] = counts.get((r.student, r.exercise), 0) + 1
    for r in results:
        if counts[(r.student, r.exercise)] > 1:
            r.flag(f"duplicate submission: {r.file}")


def _flag_similar(results) -> None:
    keyed = {(r.student, r.exercise, r.file): r for r in results if r.hashes}
    pairs = similar_pairs({key: r.hashes for key, r in keyed.items()})
    for key, others in sorted(pairs.items()):
        names = sorted({shown(other[0]) for other in others})
        tasks = sorted({symbol for symbols in others.values() for symbol in symbols})
        who = ", ".join(names[:5]) + (f" and {len(names) - 5} others" if len(names) > 5 else "")
        keyed[key].flag(f"near-identical answers to {who} ({', '.join(tasks)}: normalised code, not penalised)",
                        None)


def _write_outputs(results, run, out_dir, warnings, roster, isolation, started, workers, seed, users):
    results.sort(key=lambda r: (r.student, r.exercise, r.file))
    _flag_duplicates(results)
    _flag_similar(results)
    registry = run.registry
    exercises = sorted({r.exercise for r in results if r.exercise in registry})
    tasks = [t for exercise in exercises for t in registry[exercise]]
    manual = {t.name for t in tasks if t.kind == "written"}
    for result in results:
        duplicate = any(f.startswith("duplicate submission") for f in result.flags)
        write_feedback(str(out_dir), result, name=result.file if duplicate else None)
    out = str(out_dir)
    by_task = os.path.join(out, "grades_by_task.csv")
    atomic_write(by_task, grades_by_task_table(results, [t.name for t in tasks], manual))
    maxima = {exercise: sum(t.points for t in registry[exercise]) for exercise in exercises}
    rows = student_rows(results, exercises, maxima, roster)
    grades = os.path.join(out, "grades.csv")
    atomic_write(grades, grades_table(rows, exercises))
    for exercise in exercises:
        plan = run.plans.get(exercise)
        if plan is not None and not isinstance(plan, Exception) and plan.public_only:
            warnings.append(f"{exercise}: graded on the public cases (their generators ignore rng): "
                            f"{', '.join(plan.public_only)}")
    if users is not None and users.survivors:
        warnings.append(f"processes of {len(users.survivors)} sandbox user(s) survived SIGKILL; "
                        "those users are not reused")
    report = BatchReport(results, grades, os.path.join(out, "feedback"), time.monotonic() - started, workers,
                         isolation, warnings, by_task, os.path.join(out, "report.html"), rows)
    write_report(report.report_html, results, registry, rows, exercises, summary=_stable_summary(report),
                 warnings=warnings)
    atomic_write(os.path.join(out, "run.json"), json.dumps({
        "seed": seed, "isolation": isolation,
        "limits": {k: getattr(run.limits, k) for k in run.limits.__dataclass_fields__},
    }, indent=1) + "\n")
    return report


def _stable_summary(report: BatchReport) -> str:
    """The summary without timings, for report.html."""
    n, students = len(report.results), len({r.student for r in report.results})
    return (f"{n} notebook{'s' * (n != 1)} from {students} student{'s' * (students != 1)}: "
            f"{n - report.failed} ran, {report.failed} failed to run, {report.flagged} flagged\n"
            f"isolation: {report.isolation}")


def _describe_isolation(users, read_everything, use_landlock, limits, forked, private_reads, policy,
                        no_network) -> str:
    how = "forked from a preloaded factory" if forked else "a new interpreter"
    parts = [f"one fresh kernel per submission ({how}) in its own temporary folder"]
    if users is not None:
        who = "as a fresh unprivileged user per submission, verified without processes before and after"
        if read_everything:
            who += " (keeping the right to read files: this Python is not readable by other users)"
        parts.append(who)
    else:
        parts.append("as the grader's own user" if os.geteuid() != 0 else "as root")
    if no_network:
        parts.append("no network (a network namespace of its own)")
    if use_landlock:
        reads = "reads only there and in Python, course_lib and system libraries, " if private_reads else ""
        parts.append(f"writes only inside that folder, {reads}no TCP (Landlock ABI {landlock_abi()})")
    else:
        parts.append("file access NOT restricted (Landlock unavailable or turned off)")
    parts.append(policy.describe())
    parts.append(
        f"memory {limits.memory_bytes / 1024**2:.0f} MB, cells {limits.cell_seconds:g} s, "
        f"tasks {limits.task_seconds:g} s, notebook {limits.notebook_seconds:g} s, output "
        f"{limits.cell_output_bytes / 1024**2:.0f} MB per cell and {limits.output_bytes / 1024**2:.0f} MB in all, "
        f"static analysis {limits.analysis_seconds:g} s and {limits.analysis_memory_bytes / 1024**2:.0f} MB"
    )
    return "; ".join(parts)

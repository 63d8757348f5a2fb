"""Grade a folder of submissions in parallel and write grades.csv, feedback and a summary.

Layout (nbgrader's): ``SUBMISSIONS/<student id>/<exercise>.ipynb``, or one
level deeper, ``SUBMISSIONS/<student id>/<assignment>/<exercise>.ipynb``.  The
exercise is the notebook's file name (``03_l2_ridge.ipynb``).  Hidden files
and folders (``.ipynb_checkpoints``) are ignored.

A pool of ``workers`` threads each grades whole submissions, one kernel start
per submission; the kernels are separate processes, so they run in parallel.
Results are sorted by student, exercise and file whatever the completion order.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from queue import Queue

from .factory import Zygote, ZygoteGone
from .kernel import Limits, SandboxUser
from .progress import Progress
from .report import write_feedback, write_grades
from .runner import SubmissionResult, TaskResult, grade_notebook, plan_tasks
from .sandbox import landlock_abi, readable_paths

__all__ = ["Submission", "BatchReport", "find_submissions", "default_registry", "grade_submissions"]

FIRST_SANDBOX_UID = 61000


@dataclass(frozen=True)
class Submission:
    student: str
    exercise: str
    path: Path
    label: str


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
            f"  grades:    {self.grades_csv}",
            f"  feedback:  {self.feedback_dir}",
            f"  isolation: {self.isolation}",
        ]
        lines += [f"  note: {w}" for w in self.warnings]
        return "\n".join(lines)


def default_registry() -> dict:
    """Exercise stem -> its tasks, from :mod:`course_lib.checks`."""
    from course_lib import checks

    return {exercise: checks.tasks_for(exercise) for exercise in checks.EXERCISES}


def _visible_entries(folder: Path):
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return []
    return [e for e in entries if not e.name.startswith(".")]


def find_submissions(submissions_dir) -> tuple[list[Submission], list[str]]:
    """All notebooks under ``submissions_dir``, and warnings about what was skipped."""
    root = Path(submissions_dir)
    found, warnings = [], []
    for student in _visible_entries(root):
        if not student.is_dir():
            warnings.append(f"ignored {student.name!r}: not a student folder")
            continue
        notebooks = []
        for entry in _visible_entries(Path(student.path)):
            if entry.is_file() and entry.name.endswith(".ipynb"):
                notebooks.append(Path(entry.path))
            elif entry.is_dir():
                notebooks += [Path(e.path) for e in _visible_entries(Path(entry.path))
                              if e.is_file() and e.name.endswith(".ipynb")]
        if not notebooks:
            warnings.append(f"student {student.name!r}: no notebooks")
        for path in notebooks:
            label = str(path.relative_to(root))
            found.append(Submission(student.name, exercise_of(path.name), path, label))
    return found, warnings


def exercise_of(file_name: str) -> str:
    """The exercise a submitted file is: its stem, ``ex03_l2_ridge`` for ``ex03_l2_ridge.ipynb``.

    A learner copy made before the exercises took their ``ex`` prefix is named like its lesson
    (``03_l2_ridge.ipynb``); it is the same exercise.
    """
    stem = file_name[: -len(".ipynb")] if file_name.endswith(".ipynb") else file_name
    return "ex" + stem if stem[:2].isdigit() and stem[2:3] == "_" else stem


UID_LOCKS = os.path.join(tempfile.gettempdir(), "course-grade-uids")


def _reserve_uids(count: int) -> tuple[list[int], list]:
    """``count`` user ids with no account and no running process, locked for this run.

    Each id is held by an exclusive ``flock`` on a file in :data:`UID_LOCKS` (a
    root-only folder) until the returned handles are closed or the process
    ends, so two grading runs on one machine never share a sandbox user --
    after each submission every process of that user is killed.
    """
    import fcntl

    os.makedirs(UID_LOCKS, mode=0o700, exist_ok=True)
    if os.stat(UID_LOCKS).st_uid != 0:
        raise RuntimeError(f"{UID_LOCKS} must belong to root")
    busy = set()
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                busy.add(entry.stat().st_uid)
            except OSError:
                pass
    uids, handles, uid = [], [], FIRST_SANDBOX_UID
    while len(uids) < count:
        try:
            pwd.getpwuid(uid)
        except KeyError:
            if uid not in busy:
                handle = open(os.path.join(UID_LOCKS, str(uid)), "a")  # noqa: SIM115 - held for the run
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    handle.close()
                else:
                    uids.append(uid)
                    handles.append(handle)
        uid += 1
    return uids, handles


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


def _course_lib_dir() -> str:
    """The folder of the installed ``course_lib`` package (what a kernel may read of the course)."""
    import course_lib

    return os.path.dirname(os.path.abspath(course_lib.__file__))


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
    result.flags.append(f"grader error: {type(exc).__name__}: {exc}")
    return result


def grade_submissions(submissions_dir, out_dir, *, workers: int | None = None, limits: Limits | None = None,
                      registry: dict | None = None, sandbox_user: bool = True, landlock: bool = True,
                      preload: bool = True, private_reads: bool = True, stream=None) -> BatchReport:
    """Grade every notebook under ``submissions_dir``; write ``out_dir/grades.csv`` and feedback.

    Parameters
    ----------
    submissions_dir, out_dir : path-like
    workers : int, optional
        Submissions graded at once (default: the number of CPU cores available).
    limits : Limits, optional
        Time and memory limits per submission.
    registry : dict, optional
        Exercise stem -> list of tasks (default: :func:`default_registry`).
    sandbox_user : bool
        When running as root (on Linux), run kernels as unprivileged users (one per worker).
    landlock : bool
        Restrict kernels' file writes to their own folder where Linux allows it.
    private_reads : bool
        With Landlock, let kernels read only their own folder, the Python
        installation, ``course_lib`` and system libraries -- not the
        submissions, the grades or anyone's home.
    preload : bool
        Fork each kernel from a factory process that imported ipykernel, numpy,
        matplotlib and course_lib once (Linux; several times faster), instead of
        starting a new interpreter per submission.
    stream : file, optional
        Where the progress bar goes (default stderr); None for no progress.

    Returns
    -------
    BatchReport
    """
    started = time.monotonic()
    limits = limits or Limits()
    registry = default_registry() if registry is None else registry
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = max(1, int(workers))
    submissions, warnings = find_submissions(submissions_dir)
    os.makedirs(out_dir, mode=0o700, exist_ok=True)

    plans = {}
    for exercise in sorted({s.exercise for s in submissions if s.exercise in registry}):
        try:
            plans[exercise] = plan_tasks(registry[exercise])
        except Exception as exc:  # broken checks: every row of this exercise says so
            plans[exercise] = exc
    symbols = {exercise: [t.symbol for t in tasks] for exercise, tasks in registry.items()}
    workroot = tempfile.mkdtemp(prefix="course-grade-")
    os.chmod(workroot, 0o711)
    zygote = None
    uid_locks: list = []
    try:
        # One matplotlib config folder for the run, whichever way kernels start: the factory fills
        # it when it preloads matplotlib; without a factory (not Linux, preload=False, or a factory
        # that failed to start) it is filled here.
        mplconfig = os.path.join(workroot, "mplconfig")
        os.mkdir(mplconfig, 0o755)
        if preload:
            zygote = _start_zygote(workroot, mplconfig)
        if zygote is None:
            _build_matplotlib_cache(mplconfig)
        identities: list = [None] * workers
        read_everything = False
        if sandbox_user and os.geteuid() == 0 and sys.platform.startswith("linux"):
            uids, uid_locks = _reserve_uids(workers)
            read_everything = _needs_read_everything(uids[0], workroot)
            identities = [SandboxUser(uid, uid, read_everything) for uid in uids]
        use_landlock = landlock and landlock_abi() > 0
        course_lib_dir = _course_lib_dir()  # the learners' library only: never the grader beside it
        read_paths = readable_paths([mplconfig, course_lib_dir]) if use_landlock and private_reads else None
        isolation = _describe_isolation(identities, read_everything, use_landlock, limits, zygote is not None,
                                        read_paths is not None)
        slots: Queue = Queue()
        for identity in identities:
            slots.put(identity)
        progress = Progress(len(submissions), stream) if stream is not None else None
        cancel = threading.Event()

        def grade(sub: Submission) -> SubmissionResult:
            identity = slots.get()
            plan = plans.get(sub.exercise)
            try:
                if isinstance(plan, Exception):
                    raise RuntimeError(f"the checks of {sub.exercise} failed: {type(plan).__name__}: {plan}")
                others = {ex: s for ex, s in symbols.items() if ex != sub.exercise}
                result = grade_notebook(sub.path, sub.student, sub.exercise, plan, limits=limits,
                                        workroot=workroot, identity=identity, landlock=use_landlock,
                                        mplconfig=mplconfig, zygote=zygote, read_paths=read_paths,
                                        other_exercises=others, file_label=sub.label, cancel=cancel)
            except Exception as exc:  # never lose a row to a grader bug
                tasks = registry.get(sub.exercise, []) if plan is not None else []
                result = _crash_result(sub, tasks, exc)
            finally:
                slots.put(identity)
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
        shutil.rmtree(workroot, ignore_errors=True)
        for handle in uid_locks:
            handle.close()

    results.sort(key=lambda r: (r.student, r.exercise, r.file))
    _flag_duplicates(results)
    exercises_seen = sorted({r.exercise for r in results if r.exercise in registry})
    columns = [t.name for exercise in exercises_seen for t in registry[exercise]]
    for result in results:
        duplicate = any(f.startswith("duplicate submission") for f in result.flags)
        write_feedback(str(out_dir), result, name=result.file if duplicate else None)
    grades_csv = write_grades(str(out_dir), results, columns)
    return BatchReport(results, grades_csv, os.path.join(str(out_dir), "feedback"),
                       time.monotonic() - started, workers, isolation, warnings)


def _flag_duplicates(results) -> None:
    counts: dict = {}
    for r in results:
        counts[(r.student, r.exercise)] = counts.get((r.student, r.exercise), 0) + 1
    for r in results:
        if counts[(r.student, r.exercise)] > 1:
            r.flags.append(f"duplicate submission: {r.file}")


def _describe_isolation(identities, read_everything, use_landlock, limits, forked, private_reads) -> str:
    how = "forked from a preloaded factory" if forked else "a new interpreter"
    parts = [f"one fresh kernel per submission ({how}) in its own temporary folder"]
    if identities and identities[0] is not None:
        uids = [i.uid for i in identities]
        who = f"as unprivileged users {uids[0]}-{uids[-1]}" if len(uids) > 1 else f"as unprivileged user {uids[0]}"
        if read_everything:
            who += " (keeping the right to read any file: this Python is not readable by other users)"
        parts.append(who)
    else:
        parts.append("as the grader's own user" if os.geteuid() != 0 else "as root")
    if use_landlock:
        reads = "reads only there and in Python, course_lib and system libraries, " if private_reads else ""
        parts.append(f"writes only inside that folder, {reads}no TCP (Landlock ABI {landlock_abi()})")
    else:
        parts.append("file writes NOT restricted (Landlock unavailable or turned off)")
    parts.append(
        f"memory {limits.memory_bytes / 1024**2:.0f} MB, cells {limits.cell_seconds:g} s, "
        f"tasks {limits.task_seconds:g} s, notebook {limits.notebook_seconds:g} s"
    )
    return "; ".join(parts)

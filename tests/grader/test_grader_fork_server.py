"""The kernel factory (fork server) and its failures, restarts, and the course's own notebooks.

The factory forks kernels from one preloaded process; when it cannot start, or dies, or stops while
a kernel loads, kernels are started again (as new interpreters if need be) and no grade changes.
"""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

from course_lib.checks import tasks_for
from course_grader import grade_submissions
from grading_corpus import FULL3, NB3, R3, TEST_LIMITS, notebook


def test_a_fork_server_that_cannot_start_falls_back_to_new_interpreters(tmp_path, monkeypatch):
    """A fork server that dies at start (as on a loaded machine, or one that cannot fork) must not
    stop the run: kernels start as new interpreters, in the same matplotlib folder, same grades."""
    from course_grader import batch
    from course_grader.factory import ZygoteGone

    def no_factory(env, *args, **kwargs):
        raise ZygoteGone("the kernel factory exited at start")

    monkeypatch.setattr(batch, "Zygote", no_factory)
    notebooks = {"alice": notebook(R3), "exits": notebook(R3, before=["import os\nos._exit(3)"]),
                 "loops": notebook(R3, {"l2_gradient": "def l2_gradient(w, rate):\n    while True:\n        pass"})}
    for student, content in notebooks.items():
        (tmp_path / "in" / student).mkdir(parents=True)
        (tmp_path / "in" / student / NB3).write_text(json.dumps(content), encoding="utf-8")
    report = grade_submissions(tmp_path / "in", tmp_path / "out", workers=2, limits=TEST_LIMITS, stream=None)
    assert "a new interpreter" in report.summary()
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "grades_by_task.csv").read_text(encoding="utf-8"))))
    got = {r["student"]: (r["total"], [f for f in r["flags"].split("; ") if f and not f.startswith("near-identical")])
           for r in rows}
    full = sum(FULL3.values())
    assert got == {"alice": (str(full), []), "exits": (str(full), ["cell 3: the kernel died: exited with status 3 "
                                                                   "(os._exit, or the process was ended)"]),
                   "loops": (str(full - FULL3["l2_gradient"]), ["l2_gradient: timed out after 5 s"])}


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
            if parent == os.getpid() and any(arg.endswith(b"course_grader/zygote.py") for arg in argv):
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
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "grades_by_task.csv").read_text(encoding="utf-8"))))
    assert [(r["total"], r["flags"].startswith("near-identical") or r["flags"]) for r in rows] == [("9", True)] * 6, rows


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


def test_restarts_nobody_caused_are_counted_per_task(tmp_path, monkeypatch):
    """A kernel that keeps dying under one task (here: the factory stops each time l2_gradient is
    probed) costs that task its points after MAX_RESTARTS -- and no other task anything."""
    from course_grader import runner
    from course_grader.kernel import Outcome

    real_execute, deaths = runner.Kernel.execute, []

    def execute(self, code, timeout, **kwargs):
        if kwargs.get("collect") and "l2_gradient" in __import__("base64").b64decode(code.split("'")[-2]).decode():
            deaths.append(1)
            return Outcome("died", exit="killed (SIGKILL)", innocent=True)
        return real_execute(self, code, timeout, **kwargs)

    monkeypatch.setattr(runner.Kernel, "execute", execute)
    path = tmp_path / NB3
    path.write_text(json.dumps(notebook(R3)), encoding="utf-8")
    result = runner.grade_notebook(path, "s0", R3, runner.plan_tasks(tasks_for(R3)), limits=TEST_LIMITS,
                                   workroot=str(tmp_path))
    points = {t.name: t.points for t in result.tasks}
    assert points == {**FULL3, "l2_gradient": 0}
    assert len(deaths) == runner.MAX_RESTARTS + 1
    assert result.flags == [f"l2_gradient: not graded after {runner.MAX_RESTARTS} kernel restarts"]


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
        if result.student == "solution":  # full marks but for the written answers, which wait for a human
            assert result.total == result.max - result.pending > 0, [(t.name, t.summary) for t in result.tasks]
        else:
            assert result.total == 0 and {t.status for t in result.tasks} <= {"not attempted", "manual"}

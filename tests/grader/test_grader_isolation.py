"""Isolation the corpus cannot show row by row: which containment ran, processes that hide, users
that are never shared, what a kernel may read, and the grader's own memory under a flood of output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

from course_grader.containment import Policy, live_processes_of_user
from course_grader.sandbox import readable_paths
from course_grader.users import UserPool, SandboxUser
from grading_corpus import FORK_MEMORY, FULL3, NB3, R3, notebook

root_only = pytest.mark.skipif(os.geteuid() != 0, reason="sandbox users and cgroups exist only when grading as root")

ZOMBIE_LEADER = textwrap.dedent("""
    import ctypes, os, threading, time
    def linger():
        time.sleep(60)
    threading.Thread(target=linger).start()
    time.sleep(0.2)
    ctypes.CDLL(None).syscall(60, 0)  # the main thread exits; the other runs on
""")


def _spawn_as(uid: int, code: str, cgroup: str | None = None) -> subprocess.Popen:
    """Run ``code`` as ``uid`` (in ``cgroup``): started as root, it joins the cgroup, then drops to the user
    (this Python may not be readable by other users, so it cannot be started as them)."""
    prelude = textwrap.dedent(f"""
        import ctypes, os, threading, time  # imported as root: the user may not read this Python's files
        if {cgroup!r}:
            with open(os.path.join({cgroup!r}, "cgroup.procs"), "w") as handle:
                handle.write(str(os.getpid()))
        os.setsid()
        os.setgroups([])
        os.setgid({uid})
        os.setuid({uid})
    """)
    return subprocess.Popen([sys.executable, "-c", prelude + code], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/")


@root_only
@pytest.mark.parametrize("use_cgroups", [True, False], ids=["cgroup-or-user", "user"])
def test_a_process_that_looks_like_a_zombie_is_found_and_killed(use_cgroups):
    """A daemon whose main thread exited reads as a zombie in /proc/<pid>/stat while a thread runs on;
    it must count as alive, and be killed, whether membership comes from the cgroup or the user."""
    policy = Policy(root=True, use_cgroups=use_cgroups)
    users = UserPool()
    user = users.take()
    try:
        group = policy.for_kernel(user, 1024**3, 64)
        process = _spawn_as(user.uid, ZOMBIE_LEADER, group.cgroup)
        time.sleep(1.0)
        with open(f"/proc/{process.pid}/stat") as handle:
            assert handle.read().rpartition(")")[2].split()[0] == "Z"  # the disguise works
        assert live_processes_of_user(user.uid) == [process.pid]
        assert process.pid in group.members()
        assert group.verify_dead(timeout=5.0)
        process.wait(timeout=5)
        assert live_processes_of_user(user.uid) == []
        group.close()
    finally:
        users.give_back(user, dead=True)
        users.close()
        policy.close()


@root_only
def test_containment_says_which_mechanism_runs():
    with_cgroups, without = Policy(root=True), Policy(root=True, use_cgroups=False)
    try:
        assert without.mode == "user" and "no writable cgroup v2" in without.describe()
        assert with_cgroups.mode in ("cgroup-limits", "cgroup-accounting", "user")
        if with_cgroups.mode == "cgroup-accounting":
            assert "no memory controller on this machine" in with_cgroups.describe()
    finally:
        with_cgroups.close()
        without.close()
    assert Policy(root=False).mode == "session"


@root_only
def test_a_user_id_is_never_given_twice_and_never_while_a_process_has_it():
    first, second = UserPool(), UserPool()
    taken = [first.take() for _ in range(3)]
    assert len({u.uid for u in taken}) == 3
    other = second.take()  # another run on the same machine: locked ids are skipped
    assert other.uid not in {u.uid for u in taken}
    blocker = _spawn_as(taken[0].uid + 1000, "time.sleep(30)")  # a busy id further on
    deadline = time.monotonic() + 10
    while not live_processes_of_user(taken[0].uid + 1000) and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        pool = UserPool(first=taken[0].uid + 1000)
        assert pool.take().uid != taken[0].uid + 1000
        pool.close()
    finally:
        blocker.kill()
        blocker.wait()
    for user in taken:
        first.give_back(user, dead=True)
    second.give_back(other, dead=True)
    first.close()
    second.close()
    assert isinstance(taken[0], SandboxUser)


def test_the_read_list_holds_course_lib_and_never_the_grader_beside_it(tmp_path):
    site = tmp_path / "site-packages"
    for package in ("course_lib", "course_grader", "numpy"):
        (site / package).mkdir(parents=True)
        (site / package / "__init__.py").write_text("")
    (site / "six.py").write_text("")
    allowed = readable_paths([str(site)], exclude=[str(site / "course_grader")])
    assert {str(site / "course_lib"), str(site / "numpy"), str(site / "six.py")} <= set(allowed)
    assert not [p for p in allowed if str(site / "course_grader").startswith(p.rstrip("/") + "/")
                or p.startswith(str(site / "course_grader"))]
    import course_grader

    here = os.path.dirname(os.path.abspath(course_grader.__file__))
    assert not [p for p in readable_paths(exclude=[here]) if here == p or here.startswith(p.rstrip("/") + "/")]


def _grade_in_a_subprocess(tmp_path, notebooks: dict, limits: dict, **options) -> dict:
    """Grade ``notebooks`` in a fresh process; its peak memory (VmHWM) and the rows come back."""
    for student, content in notebooks.items():
        (tmp_path / "in" / student).mkdir(parents=True)
        (tmp_path / "in" / student / NB3).write_text(json.dumps(content), encoding="utf-8")
    script = textwrap.dedent(f"""
        import csv, json, sys
        from course_grader import Limits, grade_submissions
        report = grade_submissions({str(tmp_path / "in")!r}, {str(tmp_path / "out")!r}, workers=1, stream=None,
                                   limits=Limits(**{limits!r}), **{options!r})
        with open("/proc/self/status") as handle:
            peak = [int(line.split()[1]) * 1024 for line in handle if line.startswith("VmHWM:")][0]
        rows = {{r.student: [r.total, r.flags] for r in report.results}}
        print(json.dumps({{"peak": peak, "rows": rows}}))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600,
                          cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


FLOOD = """
import sys, threading
kernel = get_ipython().kernel
parent = kernel.get_parent("shell")
def flood(count, size):
    text = "x" * size
    for _ in range(count):
        kernel.session.send(kernel.iopub_socket, "stream", {"name": "stdout", "text": text}, parent=parent)
threads = [threading.Thread(target=flood, args=(40, 40 * 1024**2)) for _ in range(2)]  # 3.2 GB, oversized
threads.append(threading.Thread(target=flood, args=(400, 4 * 1024**2)))  # 1.6 GB, accepted then dropped
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
"""


@pytest.mark.slow
def test_the_graders_memory_does_not_grow_with_a_kernels_output(tmp_path):
    """A kernel sends 4.8 GB of output straight onto its output channel, from three threads, caps raised
    so that only the time limit could stop it; the grader holds at most a few bounded messages at a
    time, and the answers, which come back on the shell channel, all arrive."""
    limits = dict(cell_seconds=60, task_seconds=5, notebook_seconds=150, memory_bytes=3 * 1024**3,
                  cell_output_bytes=8 * 1024**3, output_bytes=8 * 1024**3)
    quiet = _grade_in_a_subprocess(tmp_path / "quiet", {"q": notebook(R3)}, limits)
    loud = _grade_in_a_subprocess(tmp_path / "loud", {"f": notebook(R3, before=[FLOOD])}, limits)
    full = sum(FULL3.values())
    assert loud["rows"]["f"] == [full, []] and quiet["rows"]["q"][0] == full
    assert loud["peak"] - quiet["peak"] < 100 * 1024**2, (quiet["peak"], loud["peak"])


@root_only
@pytest.mark.slow
def test_memory_is_limited_over_all_processes_of_a_submission_without_cgroups(tmp_path):
    """The fallback when no cgroup v2 is writable: the memory of every process of the submission's
    user, summed; the corpus covers the cgroup path."""
    limits = dict(cell_seconds=40, task_seconds=5, notebook_seconds=120, memory_bytes=1536 * 1024**2)
    got = _grade_in_a_subprocess(tmp_path, {"forks": notebook(R3, before=[FORK_MEMORY])}, limits, cgroups=False)
    total, flags = got["rows"]["forks"]
    assert total == sum(FULL3.values())
    assert any("the kernel died: killed: memory limit of 1536 MB reached by the kernel and its" in f for f in flags)

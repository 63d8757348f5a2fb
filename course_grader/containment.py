"""Memory and process limits on a kernel *together with every process it starts*, and its end.

``RLIMIT_AS`` (set in :mod:`course_grader.sandbox`) bounds each process on its own; a kernel that
forks would multiply it.  Each kernel therefore also gets one of these, chosen once per run by
:class:`Policy` and stated in the run's summary:

* **cgroup v2 limits** (root, and the ``memory`` and ``pids`` controllers available): the kernel
  joins a cgroup of its own before it drops privileges; Linux enforces ``memory.max`` (swap 0) and
  ``pids.max`` on the whole group, and ``cgroup.kill`` ends it.
* **cgroup v2 membership, polled accounting** (root, cgroup v2 without those controllers, e.g. a
  hybrid v1/v2 host): membership is the cgroup's (no process can leave it), ``cgroup.kill`` ends
  it, and the grader sums the members' memory while the kernel runs.
* **polled accounting over the sandbox user's processes** (root, no writable cgroup v2): every
  submission has a user of its own (:mod:`course_grader.users`), so its processes are exactly
  that user's.
* **polled accounting over the kernel's session** (not root): processes that leave the session
  escape it; the summary says so.

Polled accounting reads the members' memory (RSS for one process, PSS -- shared pages divided
among the sharers -- for several) every :data:`POLL_SECONDS` while a cell runs and kills the whole
group past the limit; it counts members against ``max_processes`` the same way.  After a
submission every member is killed and verified dead (no thread of it left running) before the
next submission may use anything.
"""

from __future__ import annotations

import os
import secrets
import signal
import time

__all__ = ["Policy", "Containment", "live_processes_of_user", "POLL_SECONDS"]

POLL_SECONDS = 0.1


def _cgroup2_mount() -> str | None:
    try:
        with open("/proc/self/mountinfo", encoding="utf-8") as handle:
            for line in handle:
                fields = line.split()
                dash = fields.index("-")
                if fields[dash + 1] == "cgroup2":
                    return fields[4]
    except (OSError, ValueError, IndexError):
        return None
    return None


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as handle:
        handle.write(text)


def _read(path: str) -> str:
    with open(path, encoding="ascii") as handle:
        return handle.read()


def _threads_alive(pid: int) -> bool:
    """Whether any thread of ``pid`` still runs (a zombie leader with live threads counts)."""
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return False
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat", "rb") as handle:
                state = handle.read().rpartition(b")")[2].split()[0]
        except (OSError, IndexError):
            continue
        if state not in (b"Z", b"X"):
            return True
    return False


def _uids_of(pid: str) -> set[int]:
    """Real, effective, saved and file-system uids of a process (from /proc/<pid>/status)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"Uid:"):
                    return {int(v) for v in line.split()[1:]}
    except (OSError, ValueError):
        pass
    return set()


def live_processes_of_user(uid: int) -> list[int]:
    """Processes of ``uid`` with a thread still running.

    A process that changed its user is not "dumpable": its /proc folder belongs to root whoever
    it runs as, so the owner of that folder is only a shortcut; the uids in its status decide.
    """
    pids = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                owner = entry.stat().st_uid
            except OSError:
                continue
            if owner != uid and (owner != 0 or uid not in _uids_of(entry.name)):
                continue
            pid = int(entry.name)
            if _threads_alive(pid):
                pids.append(pid)
    return pids


def _session_members(sid: int) -> list[int]:
    pids = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as handle:
                    fields = handle.read().rpartition(b")")[2].split()
                if int(fields[3]) == sid and fields[0] not in (b"Z", b"X"):
                    pids.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return pids


def _memory_of(pids: list[int]) -> int:
    """Bytes of memory the processes use: RSS for one, PSS (shared pages divided) for several."""
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for pid in pids:
        try:
            if len(pids) == 1:
                with open(f"/proc/{pid}/statm", "rb") as handle:
                    total += int(handle.read().split()[1]) * page
            else:
                with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
                    for line in handle:
                        if line.startswith(b"Pss:"):
                            total += int(line.split()[1]) * 1024
                            break
        except (OSError, ValueError, IndexError):
            continue
    return total


def _remove_stale(mount: str) -> None:
    """Remove the empty cgroups of grading runs whose process is gone (a run that was killed)."""
    try:
        names = [n for n in os.listdir(mount) if n.startswith("course-grade-")]
    except OSError:
        return
    for name in names:
        try:
            pid = int(name.split("-")[2])
        except (IndexError, ValueError):
            continue
        if os.path.exists(f"/proc/{pid}"):
            continue
        parent = os.path.join(mount, name)
        for child in os.listdir(parent) if os.path.isdir(parent) else []:
            try:
                os.rmdir(os.path.join(parent, child))
            except OSError:
                pass
        try:
            os.rmdir(parent)
        except OSError:
            pass


class Policy:
    """How kernels are contained in this run (see the module docstring); ``describe()`` says which.

    ``use_cgroups`` False skips cgroups (tests of the other modes).
    """

    def __init__(self, root: bool, use_cgroups: bool = True):
        self.root = root
        self.parent: str | None = None
        self.limits = False
        self.mode = "session"
        if root:
            self.mode = "user"
            mount = _cgroup2_mount() if use_cgroups else None
            if mount:
                self._make_parent(mount)
        self._count = 0

    def _make_parent(self, mount: str) -> None:
        _remove_stale(mount)
        path = os.path.join(mount, f"course-grade-{os.getpid()}-{secrets.token_hex(4)}")
        try:
            os.mkdir(path)
        except OSError:
            return
        try:
            available = set(_read(os.path.join(mount, "cgroup.subtree_control")).split())
            if {"memory", "pids"} <= available:
                _write(os.path.join(path, "cgroup.subtree_control"), "+memory +pids")
                self.limits = True
        except OSError:
            self.limits = False
        self.parent, self.mode = path, "cgroup-limits" if self.limits else "cgroup-accounting"

    def describe(self) -> str:
        return {
            "cgroup-limits": "memory and processes limited on each kernel with all its children by cgroup v2 "
                             "(memory.max, pids.max), ended with cgroup.kill",
            "cgroup-accounting": "each kernel and all its children in a cgroup v2 of their own (no memory "
                                 "controller on this machine: their memory summed by the grader every "
                                 f"{POLL_SECONDS:g} s), ended with cgroup.kill",
            "user": "memory of all processes of the submission's user summed by the grader every "
                    f"{POLL_SECONDS:g} s (no writable cgroup v2)",
            "session": "memory of the kernel's session summed by the grader every "
                       f"{POLL_SECONDS:g} s (not root: a process that leaves the session escapes it)",
        }[self.mode]

    def for_kernel(self, identity, memory_bytes: int, max_processes: int) -> "Containment":
        self._count += 1
        cgroup = None
        if self.parent is not None:
            cgroup = os.path.join(self.parent, f"k{self._count}-{secrets.token_hex(3)}")
            try:
                os.mkdir(cgroup)
                if self.limits:
                    _write(os.path.join(cgroup, "memory.max"), str(int(memory_bytes)))
                    _write(os.path.join(cgroup, "memory.swap.max"), "0")
                    _write(os.path.join(cgroup, "pids.max"), str(int(max_processes)))
            except OSError:
                cgroup = None
        return Containment(self, cgroup, identity, memory_bytes, max_processes)

    def close(self) -> None:
        if self.parent is not None:
            for name in os.listdir(self.parent) if os.path.isdir(self.parent) else []:
                child = os.path.join(self.parent, name)
                if os.path.isdir(child):
                    try:
                        os.rmdir(child)
                    except OSError:
                        pass
            try:
                os.rmdir(self.parent)
            except OSError:
                pass


class Containment:
    """One kernel's group of processes: its members, its memory, its end."""

    def __init__(self, policy: Policy, cgroup: str | None, identity, memory_bytes: int, max_processes: int):
        self.policy, self.cgroup, self.identity = policy, cgroup, identity
        self.memory_bytes, self.max_processes = memory_bytes, max_processes
        self.session: int | None = None
        self._next_poll = 0.0

    @property
    def enforced_by_linux(self) -> bool:
        return self.cgroup is not None and self.policy.limits

    def members(self) -> list[int]:
        if self.cgroup is not None:
            try:
                return [int(p) for p in _read(os.path.join(self.cgroup, "cgroup.procs")).split()]
            except (OSError, ValueError):
                return []
        if self.identity is not None:
            return live_processes_of_user(self.identity.uid)
        if self.session is not None:
            return _session_members(self.session)
        return []

    def over_limit(self) -> str | None:
        """Why the group must be killed now, if it must (checked at most every POLL_SECONDS)."""
        now = time.monotonic()
        if now < self._next_poll:
            return None
        self._next_poll = now + POLL_SECONDS
        if self.enforced_by_linux:
            return None  # Linux enforces the limits itself
        pids = self.members()
        if len(pids) > self.max_processes:
            return f"more than {self.max_processes} processes"
        used = _memory_of(pids)
        if used > self.memory_bytes:
            return (f"memory limit of {self.memory_bytes / 1024**2:.0f} MB reached by the kernel and its "
                    f"{len(pids) - 1} other process{'es' * (len(pids) != 2)} together")
        return None

    def kill(self) -> None:
        """SIGKILL every member (escaped daemons included, where membership allows).

        ``cgroup.kill`` alone is not enough: Linux skips a process whose main thread has exited
        while another thread runs on (it reads as a zombie); a signal to its pid ends it.
        """
        if self.cgroup is not None:
            try:
                _write(os.path.join(self.cgroup, "cgroup.kill"), "1")
            except OSError:
                pass
        for _ in range(3):
            pids = self.members()
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass

    def verify_dead(self, timeout: float = 5.0) -> bool:
        """Kill until nothing of the group runs; True when verified within ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            self.kill()
            if self.cgroup is not None:
                try:
                    populated = "populated 1" in _read(os.path.join(self.cgroup, "cgroup.events"))
                except OSError:
                    populated = False
                alive = populated and any(_threads_alive(p) for p in self.members())
            else:
                alive = bool(self.members())
            if not alive:
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)

    def close(self) -> None:
        if self.cgroup is not None:
            for _ in range(50):
                try:
                    os.rmdir(self.cgroup)
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)
            self.cgroup = None

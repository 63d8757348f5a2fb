"""A fresh unprivileged user for every submission (when the grader runs as root).

A user id is taken only if no account has it, no process runs under it, and no other grading
run holds it (an exclusive ``flock`` on a file in :data:`UID_LOCKS`, a root-only folder, held
until the submission is done).  A run never gives one user id to two submissions: a process a
submission leaves behind -- even one that survived every kill -- runs as a user no later
submission has, so it can neither signal, trace nor read another student's kernel, its
connection file or its key.
"""

from __future__ import annotations

import fcntl
import os
import pwd
import tempfile
import threading
from dataclasses import dataclass

from .containment import live_processes_of_user

__all__ = ["SandboxUser", "UserPool", "FIRST_SANDBOX_UID", "UID_LOCKS"]

FIRST_SANDBOX_UID = 61000
LAST_SANDBOX_UID = 2**31 - 2
UID_LOCKS = os.path.join(tempfile.gettempdir(), "course-grade-uids")


@dataclass(frozen=True)
class SandboxUser:
    """The unprivileged user a kernel runs as when the grader is root.

    ``read_everything`` keeps the one capability CAP_DAC_READ_SEARCH (read any file, write none)
    for machines whose Python lives where other users cannot read it (e.g. under ``/root``);
    Landlock's read list still applies.
    """

    uid: int
    gid: int
    read_everything: bool = False


class UserPool:
    """Hands out user ids, each at most once per run; thread-safe."""

    def __init__(self, read_everything: bool = False, first: int = FIRST_SANDBOX_UID):
        os.makedirs(UID_LOCKS, mode=0o700, exist_ok=True)
        if os.stat(UID_LOCKS).st_uid != 0:
            raise RuntimeError(f"{UID_LOCKS} must belong to root")
        self.read_everything = read_everything
        self._next = first
        self._lock = threading.Lock()
        self._held: dict[int, object] = {}
        self.survivors: list[int] = []

    def take(self) -> SandboxUser:
        """A user id with no account, no process and no other holder, locked until :meth:`give_back`."""
        with self._lock:
            while self._next <= LAST_SANDBOX_UID:
                uid = self._next
                self._next += 1
                try:
                    pwd.getpwuid(uid)
                    continue
                except KeyError:
                    pass
                handle = open(os.path.join(UID_LOCKS, str(uid)), "a")  # noqa: SIM115 - held while in use
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    handle.close()
                    continue
                if live_processes_of_user(uid):
                    handle.close()
                    continue
                self._held[uid] = handle
                return SandboxUser(uid, uid, self.read_everything)
        raise RuntimeError("no free user id left for a sandbox")

    def give_back(self, user: SandboxUser, dead: bool) -> None:
        """Release the lock; ``dead`` False (a process survived) keeps the id out of later runs' reach
        until the machine's processes of it are gone, and records it."""
        with self._lock:
            handle = self._held.pop(user.uid, None)
            if not dead:
                self.survivors.append(user.uid)
        if handle is not None:
            handle.close()

    def close(self) -> None:
        with self._lock:
            held, self._held = self._held, {}
        for handle in held.values():
            handle.close()

"""The grader's side of the kernel factory (:mod:`course_grader.zygote`).

:class:`Zygote` starts the factory process once per grading run and asks it,
from any grading thread, to fork a confined kernel; it hears at once when one
of those kernels ends.  :class:`Forked` gives such a kernel the small part of
``subprocess.Popen``'s interface that :class:`~course_grader.kernel.Kernel`
uses (``pid``, ``poll``, ``wait``, ``returncode``).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from pathlib import Path

__all__ = ["Zygote", "Forked", "ZygoteGone", "ForkFailed", "PRELOAD"]

_ZYGOTE = str(Path(__file__).with_name("zygote.py"))
PRELOAD = ["numpy", "IPython", "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell",
           # what a kernel imports as it starts (its debugger above all): once here, not in every kernel
           "ipykernel.debugger", "IPython.core.debugger", "IPython.core.completerlib",
           "IPython.extensions.storemagic", "tornado.gen", "tornado.queues", "tornado.platform.asyncio",
           "matplotlib", "matplotlib.pyplot", "course_lib", "course_lib.checks", "course_lib.checks.answers"]


class ForkFailed(RuntimeError):
    """The factory could not fork a kernel."""


class ZygoteGone(RuntimeError):
    """The kernel factory process is not running (any more)."""


class Zygote:
    """Client of :mod:`course_grader.zygote`: fork kernels from one preloaded process.

    Thread-safe; one per grading run.  ``env`` is the factory's environment (its
    children replace it with their own).
    """

    def __init__(self, env: dict, preload=PRELOAD, start_seconds: float = 120.0):
        self.process = subprocess.Popen(
            [sys.executable, "-P", _ZYGOTE, json.dumps(list(preload))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, close_fds=True,
        )
        self._cond = threading.Condition()
        self._write_lock = threading.Lock()  # never held while waiting for the factory
        self._replies: dict = {}
        self._exited: dict = {}
        self._ready = False
        self._eof = False  # the factory closed its stdout: it is gone, even if not reaped yet
        self._next_id = 0
        self._reader = threading.Thread(target=self._read, name="zygote-reader", daemon=True)
        self._reader.start()
        with self._cond:
            # Wait for "ready" or for the end of the factory's stdout.  Its exit status may come
            # later than the end of its output, and nothing notifies us then: waiting on
            # ``poll()`` alone would sleep to the start timeout.
            if not self._cond.wait_for(lambda: self._ready or self._eof, start_seconds):
                self._abandon()
                raise ZygoteGone("the kernel factory did not start")
        if not self._ready:
            self._abandon()
            raise ZygoteGone("the kernel factory exited at start")

    def _read(self) -> None:
        for line in self.process.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            with self._cond:
                if "ready" in message:
                    self._ready = True
                elif "exited" in message:
                    self._exited[int(message["exited"])] = int(message["status"])
                elif "id" in message:
                    if "pid" in message:  # a new process: an exit recorded under a reused pid is stale
                        self._exited.pop(int(message["pid"]), None)
                    self._replies[message["id"]] = message
                self._cond.notify_all()
        with self._cond:
            self._ready = False
            self._eof = True
            self._cond.notify_all()

    @property
    def alive(self) -> bool:
        return self._ready and self.process.poll() is None

    def _send(self, message: dict) -> None:
        try:
            with self._write_lock:
                self.process.stdin.write((json.dumps(message) + "\n").encode())
                self.process.stdin.flush()
        except (OSError, ValueError):
            raise ZygoteGone("the kernel factory is gone") from None

    def spawn(self, config: dict, env: dict, kernel_args: list, timeout: float = 30.0) -> int:
        """Fork a confined kernel; return its pid."""
        with self._cond:
            if not self.alive:
                raise ZygoteGone("the kernel factory is gone")
            self._next_id += 1
            ident = self._next_id
        self._send({"id": ident, "config": config, "env": env, "kernel_args": kernel_args})
        with self._cond:
            if not self._cond.wait_for(lambda: ident in self._replies or not self.alive, timeout):
                raise ZygoteGone("the kernel factory did not answer")
            reply = self._replies.pop(ident, None)
        if reply is None:
            raise ZygoteGone("the kernel factory is gone")
        if "error" in reply:
            raise ForkFailed(str(reply["error"]))
        return int(reply["pid"])

    def returncode(self, pid: int):
        with self._cond:
            return self._exited.get(pid)

    def wait(self, pid: int, timeout: float):
        with self._cond:
            self._cond.wait_for(lambda: pid in self._exited or not self.alive, timeout)
            return self._exited.get(pid)

    def release(self, pid: int) -> None:
        """Let the factory reap ``pid`` (after its process group has been killed)."""
        with self._cond:
            self._exited.pop(pid, None)
        if self.alive:
            try:
                self._send({"release": pid})
            except ZygoteGone:
                pass

    def _abandon(self) -> None:
        """A factory that failed to start is of no use: end it now, without waiting for it."""
        try:
            self.process.kill()
        except OSError:
            pass
        self.process.wait()

    def close(self) -> None:
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Forked:
    """A kernel forked by the :class:`Zygote`, with the part of Popen's interface we use."""

    def __init__(self, zygote: Zygote, pid: int):
        self.zygote, self.pid = zygote, pid

    @property
    def returncode(self):
        code = self.zygote.returncode(self.pid)
        if code is None and not self.zygote.alive:
            return -signal.SIGKILL  # the factory died: its children died with it (PDEATHSIG)
        return code

    def poll(self):
        return self.returncode

    def wait(self, timeout=None):
        code = self.zygote.wait(self.pid, 1e9 if timeout is None else timeout)
        if code is None and self.zygote.alive:
            raise subprocess.TimeoutExpired("kernel", timeout)
        return code

"""Kernel factory: import the heavy modules once, then fork a fresh kernel per submission.

Starting a kernel from scratch costs ~0.3 s of CPU, mostly imports (ipykernel,
IPython, numpy).  This process, started once per grading run as
``python -P zygote.py PRELOAD_JSON``, imports them once; for each request it
forks a child that confines itself exactly like a freshly started kernel
(:func:`course_grader.sandbox.confine`: limits, unprivileged user,
Landlock, private folder and environment), reseeds its random generators and
becomes an IPython kernel.  Each child is still one new process per submission,
sharing nothing writable with the others.

Protocol (one JSON object per line): requests on stdin
``{"id", "config", "env", "kernel_args"}`` and ``{"release": pid}``; replies on stdout
``{"id", "pid"}`` or ``{"id", "error"}``, and ``{"exited": pid, "status": code}``
(``code`` as ``Popen.returncode``: negative for a signal) as soon as a child ends.
A child that ended stays a zombie -- its pid cannot be reused -- until the grader
sends ``release`` after killing the child's process group.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import sys


def _child(request: dict) -> None:
    """In the forked child: become a confined kernel; never returns."""
    try:
        os.setsid()
        signal.set_wakeup_fd(-1)
        for sig in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.closerange(3, 65536)
        sys.stdin = sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115
        sandbox.confine(request["config"])
        os.environ.clear()
        os.environ.update(request["env"])
        import random
        import tempfile

        random.seed()
        tempfile.tempdir = None
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()
        sys.argv = ["ipykernel_launcher", "-f", request["config"]["connection_file"], *request["kernel_args"]]
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance()
    except BaseException:  # noqa: BLE001 - the child must never return into the zygote's loop
        os._exit(121)
    os._exit(0)


def _send(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _load_sandbox():
    """:mod:`course_grader.sandbox` by file, without putting this folder on sys.path."""
    import importlib.util

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sandbox.py")
    spec = importlib.util.spec_from_file_location("_course_grader_sandbox", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sandbox = _load_sandbox()


def _lines(fd: int, buffer: bytearray):
    """Complete lines read from ``fd`` (None at end of file)."""
    chunk = os.read(fd, 65536)
    if not chunk:
        return None
    buffer += chunk
    lines = []
    while b"\n" in buffer:
        line, _, rest = bytes(buffer).partition(b"\n")
        buffer[:] = rest
        lines.append(line)
    return lines


def serve(preload: list[str]) -> None:
    for name in preload:
        try:
            __import__(name)
        except Exception:  # a module that cannot be preloaded is simply imported later by the kernel
            pass
    children: set[int] = set()
    reported: set[int] = set()
    released: set[int] = set()
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    selector = selectors.DefaultSelector()
    selector.register(0, selectors.EVENT_READ)
    selector.register(wake_read, selectors.EVENT_READ)
    buffer = bytearray()
    _send({"ready": os.getpid()})
    while True:
        requests = []
        for key, _ in selector.select(timeout=1.0):
            if key.fileobj == wake_read:
                os.read(wake_read, 4096)
                continue
            lines = _lines(0, buffer)
            if lines is None:
                return
            requests += [json.loads(line) for line in lines if line.strip()]
        for request in requests:
            if "release" in request:
                released.add(int(request["release"]))
                continue
            sys.stdout.flush()
            try:
                pid = os.fork()
            except OSError as exc:
                _send({"id": request["id"], "error": f"fork failed: {exc}"})
                continue
            if pid == 0:
                _child(request)
            children.add(pid)
            _send({"id": request["id"], "pid": pid})
        for pid in list(children - reported):
            try:
                info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            except ChildProcessError:
                info = None
            if info is None:
                continue
            code = -info.si_status if info.si_code in (os.CLD_KILLED, os.CLD_DUMPED) else info.si_status
            reported.add(pid)
            _send({"exited": pid, "status": code})
        for pid in reported & released:  # reap: the grader is done with its process group
            os.waitpid(pid, 0)
            children.discard(pid)
            reported.discard(pid)
            released.discard(pid)


def main(argv: list[str]) -> None:
    serve(json.loads(argv[1]) if len(argv) > 1 else [])


if __name__ == "__main__":
    main(sys.argv)

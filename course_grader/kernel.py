"""One sandboxed IPython kernel per submission, driven over ZeroMQ with hard limits.

:class:`Kernel` forks a kernel from the preloaded factory
(:mod:`course_grader.factory`) or starts ``python -I sandbox.py`` (see
:mod:`course_grader.sandbox`) -- confined the same way either way -- in a
fresh private directory, talks to it over Unix-domain sockets inside that
directory, and runs code with a wall-time limit.  It notices a dead kernel within ~50 ms (the process is polled while
waiting), interrupts a cell that runs too long, and kills the whole process
group -- plus, when it runs as root, every process of the slot's user -- when
the kernel cannot be recovered or the submission is done.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import zmq
from jupyter_client.session import Session

from .factory import ForkFailed, Forked, ZygoteGone
from .users import SandboxUser
from .wire import MIME

__all__ = ["Limits", "Outcome", "SandboxUser", "Kernel", "KernelStartError", "describe_exit"]

_SANDBOX = str(Path(__file__).with_name("sandbox.py"))
_KERNEL_ARGS = ["--HistoryManager.enabled=False", "--IPKernelApp.capture_fd_output=False",
                "--Application.log_level=CRITICAL"]
_POLL_MS = 50
_MAX_PAYLOAD_CHARS = 20_000_000
_MAX_MESSAGE_BYTES = 16 * 1024**2  # a larger message on the output channel is dropped by ZeroMQ, unread
_MAX_REPLY_BYTES = 64 * 1024**2  # replies carry the answers (at most ~12 MB of JSON)
_QUEUED_MESSAGES = 8  # per socket: what the grader may hold of a flooding kernel's output


@dataclass(frozen=True)
class Limits:
    """Resource limits for one submission (seconds and bytes).

    ``memory_bytes`` and ``max_processes`` hold for the kernel with all its children
    (:mod:`course_grader.containment`); ``analysis_seconds`` and ``analysis_memory_bytes`` bound
    the static analysis of the notebook, whose time counts toward ``notebook_seconds``;
    ``cell_output_bytes`` and ``output_bytes`` bound what a cell, and the whole submission, may
    print (the cell is stopped past it).
    """

    cell_seconds: float = 30.0
    task_seconds: float = 10.0
    notebook_seconds: float = 180.0
    start_seconds: float = 60.0
    memory_bytes: int = 3 * 1024**3
    file_bytes: int = 100 * 1024**2
    max_processes: int = 256
    interrupt_grace_seconds: float = 2.0
    analysis_seconds: float = 20.0
    analysis_memory_bytes: int = 1024**3
    cell_output_bytes: int = 10 * 1024**2
    output_bytes: int = 50 * 1024**2


@dataclass
class Outcome:
    """How one execute request ended.

    ``status`` is ``"ok"``, ``"error"`` (the code raised: ``ename``/``evalue``),
    ``"timeout"`` or ``"output"`` (stopped for running too long or printing too
    much; ``recovered`` tells whether an interrupt brought the kernel back) or
    ``"died"`` (``exit`` describes how; ``innocent`` when the kernel died only
    because the kernel factory stopped, not because of the code it ran).
    ``output_bytes`` counts what the kernel sent while the request ran;
    ``expressions`` are the reply's evaluated user expressions.
    """

    status: str
    ename: str = ""
    evalue: str = ""
    recovered: bool = True
    exit: str = ""
    payloads: list = field(default_factory=list)
    output_bytes: int = 0
    innocent: bool = False
    expressions: dict = field(default_factory=dict)


class KernelStartError(RuntimeError):
    """The kernel did not come up."""


def describe_exit(returncode: int | None) -> str:
    """Readable reason for a kernel process's exit code."""
    if returncode is None:
        return "still running"
    if returncode < 0:
        number = -returncode
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        why = {
            "SIGKILL": "killed (out of memory, or killed explicitly)",
            "SIGXCPU": "CPU time limit reached",
            "SIGXFSZ": "file size limit reached",
            "SIGSEGV": "crashed (segmentation fault)",
            "SIGABRT": "aborted",
        }.get(name, "killed")
        return f"{why} ({name})"
    return f"exited with status {returncode} (os._exit, or the process was ended)"


class Kernel:
    """A sandboxed kernel in its own private directory.

    Parameters
    ----------
    workroot : str
        Directory (traversable by ``identity``'s user) in which to create this
        kernel's private directory.
    limits : Limits
    identity : SandboxUser or None
        The user to run as when the grader is root; None to keep the grader's
        user.
    landlock : bool
        Restrict file-system writes to the private directory when available.
    env : dict
        Extra environment variables for the kernel.
    mplconfig : str, optional
        A prebuilt matplotlib cache folder to copy into the kernel's home.
    zygote : course_grader.factory.Zygote, optional
        Fork the kernel from this factory instead of starting a new interpreter.
    read_paths : list of str, optional
        With Landlock, the only paths (besides its own folder) the kernel may
        read; None leaves reading unrestricted.
    containment : course_grader.containment.Containment, optional
        The group the kernel and its children are held and ended in.
    no_network : bool
        Give the kernel a network namespace of its own (root only).
    """

    def __init__(self, workroot, limits: Limits, identity=None, landlock=True, env=None, mplconfig=None,
                 zygote=None, read_paths=None, containment=None, no_network=False):
        self.containment = containment
        self.no_network = no_network
        self.zygote = zygote
        self.read_paths = read_paths
        self.limits = limits
        self.identity = identity
        self.landlock = landlock
        self.extra_env = dict(env or {})
        self.mplconfig = mplconfig
        self.base = tempfile.mkdtemp(prefix="k", dir=workroot)
        os.chmod(self.base, 0o711)
        self.home = os.path.join(self.base, "home")
        os.mkdir(self.home, 0o700)
        self.process = None
        self.context = None
        self.session = None
        self.shell = self.iopub = None

    # -- life cycle ------------------------------------------------------
    def start(self) -> None:
        """Launch the kernel and wait until it answers; raise KernelStartError otherwise.

        A forked kernel whose factory stops while it starts is replaced by one
        started as a new interpreter.
        """
        if self.mplconfig and self.zygote is None:
            shutil.copytree(self.mplconfig, os.path.join(self.home, ".matplotlib"))
        forked = self.zygote is not None and self.zygote.alive
        try:
            self._launch(forked, attempt=1)
        except KernelStartError:
            if not (forked and self.lost_factory):
                raise
            self._close_sockets()
            self._launch(False, attempt=2)

    def _launch(self, forked: bool, attempt: int) -> None:
        key = secrets.token_hex(32)
        ipc = os.path.join(self.home, f".k{attempt}")
        connection = {
            "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5,
            "ip": ipc, "transport": "ipc", "key": key, "signature_scheme": "hmac-sha256",
            "kernel_name": "",
        }
        connection_file = os.path.join(self.home, f".kernel{attempt}.json")
        with open(os.open(connection_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
            json.dump(connection, handle)
        if self.identity is not None:
            uid, gid = self.identity.uid, self.identity.gid
            for root, dirs, files in os.walk(self.home):
                for name in [root, *(os.path.join(root, n) for n in dirs + files)]:
                    os.lchown(name, uid, gid)
        config = {
            "home": self.home,
            "connection_file": connection_file,
            "memory_bytes": self.limits.memory_bytes,
            "cpu_seconds": int(self.limits.notebook_seconds) + 30,
            "file_bytes": self.limits.file_bytes,
            "max_processes": self.limits.max_processes,
            "landlock": self.landlock,
            "read_paths": self.read_paths,
            "uid": None if self.identity is None else self.identity.uid,
            "gid": None if self.identity is None else self.identity.gid,
            "read_everything": self.identity is not None and self.identity.read_everything,
            "kernel_args": _KERNEL_ARGS,
            "cgroup": getattr(self.containment, "cgroup", None),
            "no_network": self.no_network,
        }
        self.process = None
        if forked:
            try:
                env = self._environment(self.zygote.process.pid)
                self.process = Forked(self.zygote, self.zygote.spawn(config, env, _KERNEL_ARGS))
            except ZygoteGone:
                self.process = None
            except ForkFailed as exc:
                raise KernelStartError(str(exc)) from None
        if self.process is None:
            self.process = subprocess.Popen(
                [sys.executable, "-I", _SANDBOX, json.dumps(config)],
                cwd=self.home,
                env=self._environment(os.getpid()),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=None if os.environ.get("COURSE_GRADER_DEBUG") else subprocess.DEVNULL,
                start_new_session=True,
                close_fds=True,
            )
        if self.containment is not None and self.containment.session is None:
            self.containment.session = self.process.pid  # a session leader (setsid) either way
        self.context = zmq.Context()
        self.context.setsockopt(zmq.RECONNECT_IVL, 10)  # the kernel binds soon after start
        self.session = Session(key=key.encode(), signature_scheme="hmac-sha256", username="grader")
        self.shell = self._socket(zmq.DEALER, f"ipc://{ipc}-1")
        self.iopub = self._socket(zmq.SUB, f"ipc://{ipc}-2")
        self._wait_ready()

    def _socket(self, kind, address):
        """A socket whose queue holds at most a few messages of bounded size: a kernel that floods its
        output cannot make the grader's memory grow (the excess is dropped, unread)."""
        sock = self.context.socket(kind)
        sock.linger = 0
        sock.setsockopt(zmq.MAXMSGSIZE, _MAX_REPLY_BYTES if kind == zmq.DEALER else _MAX_MESSAGE_BYTES)
        sock.setsockopt(zmq.RCVHWM, _QUEUED_MESSAGES)
        if kind == zmq.SUB:
            sock.setsockopt(zmq.SUBSCRIBE, b"")
        sock.connect(address)
        return sock

    def _environment(self, parent_pid: int) -> dict:
        home = self.home
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": home,
            "TMPDIR": home,
            "USER": "student",
            "LOGNAME": "student",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": os.path.join(home, ".matplotlib"),
            "IPYTHONDIR": os.path.join(home, ".ipython"),
            "JUPYTER_CONFIG_DIR": os.path.join(home, ".jupyter"),
            "JUPYTER_DATA_DIR": os.path.join(home, ".jupyter-data"),
            "JUPYTER_RUNTIME_DIR": os.path.join(home, ".jupyter-runtime"),
            "JPY_PARENT_PID": str(parent_pid),
            "PYTHONHASHSEED": "0",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
        }
        if "PYTHONPATH" in os.environ:
            env["PYTHONPATH"] = os.environ["PYTHONPATH"]
        env.update(self.extra_env)
        return env

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.limits.start_seconds
        next_send = 0.0
        sent = set()
        replied = heard = False
        while not (replied and heard):
            now = time.monotonic()
            if self.process.poll() is not None:
                raise KernelStartError(f"kernel did not start: {describe_exit(self.process.returncode)}")
            if now > deadline:
                raise KernelStartError(f"kernel did not start within {self.limits.start_seconds:g} s")
            if now >= next_send:
                msg = self.session.msg("kernel_info_request", {})
                self.session.send(self.shell, msg)
                sent.add(msg["header"]["msg_id"])
                next_send = now + 0.1
            for sock in self._poll(_POLL_MS):
                for msg in self._drain(sock, time.monotonic() + 1):
                    parent = msg["parent_header"].get("msg_id")
                    if parent in sent:
                        if sock is self.shell:
                            replied = True
                        else:
                            heard = True

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def lost_factory(self) -> bool:
        """Whether this forked kernel died with its factory rather than of its own accord."""
        return (isinstance(self.process, Forked) and not self.zygote.alive
                and self.zygote.returncode(self.process.pid) is None)

    def interrupt(self) -> None:
        if self.alive:
            try:
                os.kill(self.process.pid, signal.SIGINT)
            except ProcessLookupError:
                pass

    def kill(self) -> bool:
        """Kill the kernel and everything it started, and close the sockets; True when every process
        of it was verified dead."""
        dead = True
        if self.process is not None:
            # The kernel is not reaped before this (a zombie keeps its pid), so the
            # process group id cannot belong to anyone else yet.
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if self.containment is not None:
            dead = self.containment.verify_dead()
        if self.process is not None:
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                dead = False
        if isinstance(self.process, Forked):
            self.zygote.release(self.process.pid)
        self._close_sockets()
        return dead

    def _close_sockets(self) -> None:
        for sock in (self.shell, self.iopub):
            if sock is not None:
                sock.close(0)
        if self.context is not None:
            self.context.term()
        self.shell = self.iopub = self.context = None

    def cleanup(self) -> bool:
        """Kill the kernel, delete its private directory; True when every process was verified dead."""
        dead = self.kill()
        shutil.rmtree(self.base, ignore_errors=True)
        return dead

    # -- messaging -------------------------------------------------------
    def _poll(self, timeout_ms):
        poller = zmq.Poller()
        poller.register(self.shell, zmq.POLLIN)
        poller.register(self.iopub, zmq.POLLIN)
        return [sock for sock, _ in poller.poll(timeout_ms)]

    def _drain(self, sock, until):
        """Messages waiting on ``sock`` (content left as raw bytes), reading until ``until``."""
        while time.monotonic() < until:
            try:
                frames = sock.recv_multipart(zmq.NOBLOCK, copy=True)
            except zmq.Again:
                return
            try:
                _, frames = self.session.feed_identities(frames, copy=True)
                yield self.session.deserialize(frames, content=False, copy=True)
            except Exception:  # unsigned or malformed: not from our kernel's session
                continue

    def execute(self, code: str, timeout: float, *, collect: bool = False,
                output_budget: int | None = None, user_expressions: dict | None = None) -> Outcome:
        """Run ``code``; wait at most ``timeout`` seconds, interrupting after that.

        ``user_expressions`` are evaluated after the code (when it did not raise) and come back in
        the reply, on the shell channel.  With ``collect``, gather display data of the grader's
        type :data:`~course_grader.wire.MIME` seen on the output channel.  Past ``output_budget`` bytes
        of output the code is interrupted the same way (status ``"output"``).  While it runs,
        the kernel's group is held to its limits (:mod:`course_grader.containment`): past them
        it is killed (status ``"died"``).
        """
        content = {
            "code": code, "silent": False, "store_history": False,
            "user_expressions": dict(user_expressions or {}), "allow_stdin": False, "stop_on_error": False,
        }
        msg = self.session.msg("execute_request", content)
        msg_id = msg["header"]["msg_id"]
        self.session.send(self.shell, msg)
        outcome = Outcome(status="ok")
        reply = None
        reply_at = 0.0  # when the execute_reply arrived (set together with reply)
        idle = False
        deadline = time.monotonic() + timeout
        interrupted_at, stopped_for = None, "timeout"
        payload_chars = 0
        while True:
            now = time.monotonic()
            if reply is not None and (idle or now > reply_at + 1.0):
                break
            if interrupted_at is None and (now > deadline or (
                    output_budget is not None and outcome.output_bytes > output_budget)):
                stopped_for = "timeout" if now > deadline else "output"
                self.interrupt()
                interrupted_at = now
            if interrupted_at is not None and now > interrupted_at + self.limits.interrupt_grace_seconds:
                outcome.status, outcome.recovered = stopped_for, False
                return outcome
            if self.containment is not None:
                why = self.containment.over_limit()
                if why:
                    self.containment.kill()
                    outcome.status, outcome.exit = "died", f"killed: {why}"
                    return outcome
            ready = self._poll(_POLL_MS)
            for sock in ready:
                for m in self._drain(sock, time.monotonic() + 0.5):
                    kind = m["header"].get("msg_type")
                    raw = m["content"]
                    if sock is self.iopub:
                        outcome.output_bytes += len(raw)
                    if m["parent_header"].get("msg_id") != msg_id:
                        continue
                    if sock is self.shell:
                        if kind == "execute_reply":
                            reply = _loads(raw)
                            reply_at = time.monotonic()
                        continue
                    if kind == "status":
                        idle = idle or _loads(raw).get("execution_state") == "idle"
                    elif kind == "error":
                        data = _loads(raw)
                        outcome.ename = str(data.get("ename", ""))[:200]
                        outcome.evalue = str(data.get("evalue", ""))[:500]
                    elif kind == "display_data" and collect and payload_chars < _MAX_PAYLOAD_CHARS:
                        payload_chars += len(raw)
                        data = _loads(raw).get("data", {})
                        if isinstance(data, dict) and isinstance(data.get(MIME), str):
                            outcome.payloads.append(data[MIME])
            if not ready and not self.alive:
                outcome.status, outcome.exit = "died", describe_exit(self.process.returncode)
                outcome.innocent = self.lost_factory
                return outcome
        if interrupted_at is not None:
            outcome.status = stopped_for
            return outcome
        expressions = reply.get("user_expressions")
        outcome.expressions = expressions if isinstance(expressions, dict) else {}
        if reply.get("status") == "error":
            outcome.status = "error"
            outcome.ename = outcome.ename or str(reply.get("ename", ""))[:200]
            outcome.evalue = outcome.evalue or str(reply.get("evalue", ""))[:500]
        elif reply.get("status") != "ok":
            outcome.status, outcome.ename = "error", str(reply.get("status"))
        return outcome


def _loads(raw) -> dict:
    try:
        data = json.loads(bytes(raw))
    except Exception:
        return {}
    return data if isinstance(data, dict) else {}

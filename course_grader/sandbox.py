"""Kernel launcher for the grader: confine this process, then become an IPython kernel.

Run as a script by :mod:`course_grader.kernel`, never imported by the
kernel it starts::

    python -I sandbox.py CONFIG_JSON

``CONFIG_JSON`` holds ``home`` (the submission's private directory: working
directory, HOME and TMPDIR), ``connection_file``, ``memory_bytes``,
``cpu_seconds``, ``file_bytes`` and optionally ``cgroup``, ``no_network`` and
``uid``/``gid`` (set only when the grader runs as root).  In this order the launcher

1. sets resource limits: address space (memory), CPU seconds, largest file
   written, no core dumps, and -- when it changes user -- the number of
   processes;
2. when started as root, joins the kernel's own cgroup v2 (see
   :mod:`course_grader.containment`) and a network namespace of its own (no
   TCP, no UDP, not even to the machine itself);
3. when started as root, drops to the unprivileged ``uid``/``gid`` it was given
   (a fresh one per submission, so kernels cannot signal or read each
   other);
4. when the Linux kernel offers Landlock, forbids writing anywhere except
   ``home`` (and ``/dev/null``), reading anywhere except ``home`` and the
   ``read_paths`` it was given (the Python installation, ``course_lib``,
   system libraries: see :func:`readable_paths`), opening TCP connections,
   and signalling processes outside its own sandbox;
5. replaces itself with ``python -m ipykernel_launcher``.

Every step is inherited by whatever the student's code starts.  What this does
*not* provide is listed in docs/grading.md.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import sys

# Landlock constants from <linux/landlock.h>; the syscall numbers are the same
# on every architecture that has them.
_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_PDEATHSIG = 1
_PR_SET_KEEPCAPS = 8
_PR_CAPBSET_DROP = 24
_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_RAISE = 47, 2
_CAP_DAC_READ_SEARCH = 2
_CAP_LAST = 63
_CLONE_NEWNET = 0x40000000
_CAPABILITY_VERSION_3 = 0x20080522

_FS_EXECUTE = 1 << 0
_FS_WRITE_FILE = 1 << 1
_FS_READ_FILE = 1 << 2
_FS_READ_DIR = 1 << 3
_FS_REMOVE_DIR = 1 << 4
_FS_REMOVE_FILE = 1 << 5
_FS_MAKE_CHAR = 1 << 6
_FS_MAKE_DIR = 1 << 7
_FS_MAKE_REG = 1 << 8
_FS_MAKE_SOCK = 1 << 9
_FS_MAKE_FIFO = 1 << 10
_FS_MAKE_BLOCK = 1 << 11
_FS_MAKE_SYM = 1 << 12
_FS_REFER = 1 << 13  # ABI 2
_FS_TRUNCATE = 1 << 14  # ABI 3
_NET_BIND_TCP = 1 << 0  # ABI 4
_NET_CONNECT_TCP = 1 << 1  # ABI 4
_SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0  # ABI 6
_SCOPE_SIGNAL = 1 << 1  # ABI 6


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def landlock_abi() -> int:
    """Landlock ABI version offered by the running Linux kernel, 0 if none."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        version = libc.syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), _CREATE_RULESET_VERSION)
    except (OSError, AttributeError):
        return 0
    return max(int(version), 0)


SYSTEM_READ_PATHS = (
    "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/dev", "/proc", "/sys",
    "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/timezone",
    "/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/hosts", "/etc/host.conf", "/etc/resolv.conf",
    "/etc/gai.conf", "/etc/fonts", "/etc/ssl", "/etc/ca-certificates", "/etc/mime.types", "/etc/os-release",
    "/etc/matplotlibrc", "/etc/alternatives", "/etc/locale.alias",
)


def _allow_except(path: str, excluded: list[str]) -> list[str]:
    """``path`` as a list of folders and files that together hold all of it except ``excluded``."""
    inside = [e for e in excluded if e == path or e.startswith(path.rstrip("/") + "/")]
    if not inside:
        return [path]
    if path in inside or not os.path.isdir(path):
        return []
    out = []
    try:
        names = sorted(os.listdir(path))
    except OSError:
        return []
    for name in names:
        out += _allow_except(os.path.join(path, name), inside)
    return out


def readable_paths(extra=(), exclude=()) -> list[str]:
    """What a kernel may read: this Python, its packages, system libraries and ``extra``, minus ``exclude``.

    Built in the grader: ``sys.prefix``/``sys.base_prefix``, every existing ``sys.path`` entry
    except the current folder, :data:`SYSTEM_READ_PATHS`.  A ``sys.path`` entry holding a
    ``course_lib`` folder contributes only that folder, so a checkout's other folders
    (submissions, grades) stay unreadable.  An allowed folder that holds an ``exclude``d one
    (the grader's own package, installed beside course_lib in site-packages) is allowed entry by
    entry around it: Landlock can only allow.
    """
    cwd = os.path.realpath(os.getcwd())
    paths = [sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.realpath(sys.executable))]
    for entry in sys.path:
        if not entry or os.path.realpath(entry) == cwd:
            continue
        package = os.path.join(entry, "course_lib")
        paths.append(package if os.path.isdir(package) else entry)
    paths += list(SYSTEM_READ_PATHS) + list(extra)
    excluded = [os.path.realpath(p) for p in exclude]
    seen, out = set(), []
    for path in paths:
        real = os.path.realpath(path)
        if not os.path.exists(real):
            continue
        for allowed in _allow_except(real, excluded):
            if allowed not in seen:
                seen.add(allowed)
                out.append(allowed)
    return out


def restrict_writes(home: str, read_paths=None) -> int:
    """Allow file-system writes only below ``home`` (plus ``/dev/null``).

    With ``read_paths``, also allow reading (and executing) only below ``home``
    and those paths.  Also forbids TCP (ABI >= 4) and signals/abstract sockets
    leaving the sandbox (ABI >= 6).  Returns the ABI used, 0 when Landlock is
    unavailable (then nothing is restricted).
    """
    abi = landlock_abi()
    if abi < 1:
        return 0
    libc = ctypes.CDLL(None, use_errno=True)
    fs = (
        _FS_WRITE_FILE | _FS_REMOVE_DIR | _FS_REMOVE_FILE | _FS_MAKE_CHAR | _FS_MAKE_DIR
        | _FS_MAKE_REG | _FS_MAKE_SOCK | _FS_MAKE_FIFO | _FS_MAKE_BLOCK | _FS_MAKE_SYM
    )
    if abi >= 2:
        fs |= _FS_REFER
    if abi >= 3:
        fs |= _FS_TRUNCATE
    read = _FS_READ_FILE | _FS_READ_DIR | _FS_EXECUTE
    if read_paths is not None:
        fs |= read
    attr = _RulesetAttr(
        handled_access_fs=fs,
        handled_access_net=(_NET_BIND_TCP | _NET_CONNECT_TCP) if abi >= 4 else 0,
        scoped=(_SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL) if abi >= 6 else 0,
    )
    size = 8 if abi < 4 else 16 if abi < 6 else 24
    ruleset = libc.syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), 0)
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset failed")
    file_only = _FS_EXECUTE | _FS_WRITE_FILE | _FS_READ_FILE | (_FS_TRUNCATE if abi >= 3 else 0)
    rules = [(home, fs), ("/dev/null", (_FS_WRITE_FILE | (_FS_TRUNCATE if abi >= 3 else 0)) | (fs & read))]
    rules += [(path, read) for path in read_paths or ()]
    for path, rights in rules:
        try:
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        except OSError:
            continue  # vanished since the list was made: nothing to allow
        try:
            if not os.path.isdir(path):
                rights &= file_only
            rule = _PathBeneathAttr(allowed_access=rights & fs, parent_fd=fd)
            if libc.syscall(_SYS_ADD_RULE, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule), 0) != 0:
                raise OSError(ctypes.get_errno(), f"landlock_add_rule failed for {path}")
        finally:
            os.close(fd)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if libc.syscall(_SYS_RESTRICT_SELF, ruleset, 0) != 0:
        raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    os.close(ruleset)
    return abi


def _limit(which: int, value: int) -> None:
    # Soft and hard limit alike, so the student's code cannot raise it again.
    hard = resource.getrlimit(which)[1]
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value))


def become_user(uid: int, gid: int, read_everything: bool) -> None:
    """Switch from root to ``uid``/``gid`` with no capabilities -- except, if
    ``read_everything``, CAP_DAC_READ_SEARCH (read any file, write none), for
    machines where the Python installation itself is not readable by others."""
    libc = ctypes.CDLL(None, use_errno=True)
    keep = 1 << _CAP_DAC_READ_SEARCH if read_everything else 0
    for cap in range(_CAP_LAST + 1):
        if not keep >> cap & 1:
            libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0)  # EINVAL past the last known cap: fine
    if keep and libc.prctl(_PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_KEEPCAPS) failed")
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    if keep:
        header = _CapHeader(_CAPABILITY_VERSION_3, 0)
        data = (_CapData * 2)(_CapData(keep, keep, keep), _CapData(0, 0, 0))
        if libc.capset(ctypes.byref(header), data) != 0:
            raise OSError(ctypes.get_errno(), "capset failed")
        # Ambient: survives execve of the (not set-uid) Python interpreter.
        if libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_RAISE, _CAP_DAC_READ_SEARCH, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAP_AMBIENT_RAISE) failed")


def join_cgroup(path: str) -> None:
    """Move this process into the cgroup v2 at ``path`` (its children follow; only root can move them out)."""
    with open(os.path.join(path, "cgroup.procs"), "w", encoding="ascii") as handle:
        handle.write(str(os.getpid()))


def leave_network() -> None:
    """A network namespace of our own: no interface but a loopback that is down (no TCP, no UDP).

    The kernel talks to the grader over Unix sockets in its folder, which namespaces do not touch.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(_CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNET) failed")


def confine(config: dict) -> None:
    """Apply limits, join the kernel's cgroup, leave the network, drop privileges and restrict
    file access, as configured."""
    _limit(resource.RLIMIT_AS, int(config["memory_bytes"]))
    _limit(resource.RLIMIT_CPU, int(config["cpu_seconds"]))
    _limit(resource.RLIMIT_FSIZE, int(config["file_bytes"]))
    _limit(resource.RLIMIT_CORE, 0)
    if config.get("cgroup") and os.geteuid() == 0:
        join_cgroup(config["cgroup"])
    if config.get("no_network") and os.geteuid() == 0:
        leave_network()
    uid = config.get("uid")
    if uid is not None and os.geteuid() == 0:
        # Counted per user, so it only makes sense for a user of our own.
        resource.setrlimit(resource.RLIMIT_NPROC, (config["max_processes"],) * 2)
        become_user(int(uid), int(config["gid"]), bool(config.get("read_everything")))
    os.umask(0o077)
    if sys.platform.startswith("linux"):
        # Die with the parent (grader or factory); set after setuid, which clears it.
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if config.get("landlock", True):
        restrict_writes(config["home"], config.get("read_paths"))
    os.chdir(config["home"])


def main(argv: list[str]) -> None:
    config = json.loads(argv[1])
    confine(config)
    command = [sys.executable, "-m", "ipykernel_launcher", "-f", config["connection_file"], *config["kernel_args"]]
    os.execv(sys.executable, command)


if __name__ == "__main__":
    main(sys.argv)

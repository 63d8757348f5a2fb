"""Static flags for the instructor: writes that leave the submission's folder, programs, signals.

Nothing here changes a grade.  A write is flagged only when its path really leaves the kernel's
folder -- an absolute path (``/dev/null`` and the standard streams excepted), ``~user/...``, or a
relative path whose normalised form starts with ``..`` -- and only for calls that write: ``open``
in a writing mode, ``os.open`` with a writing flag, the ``os``/``shutil`` functions that create,
move or delete, ``Path(...)`` methods that write, and the savers of numpy, matplotlib and pandas.
``"rate/2".replace("/", "_")`` is a string method, not a write.  ``~/...`` is the kernel's own
folder (its ``HOME``).
"""

from __future__ import annotations

import ast
import posixpath

__all__ = ["outside_writes", "leaves_folder"]

_OS_WRITERS = {  # function -> positions of the path arguments that are written
    "remove": (0,), "unlink": (0,), "rmdir": (0,), "removedirs": (0,), "mkdir": (0,), "makedirs": (0,),
    "rename": (0, 1), "renames": (0, 1), "replace": (0, 1), "symlink": (1,), "link": (1,), "chmod": (0,),
    "chown": (0,), "lchown": (0,), "truncate": (0,), "mkfifo": (0,), "mknod": (0,), "utime": (0,),
}
_SHUTIL_WRITERS = {"copy": (1,), "copy2": (1,), "copyfile": (1,), "copytree": (1,), "move": (0, 1),
                   "rmtree": (0,), "make_archive": (0,), "copymode": (1,), "copystat": (1,)}
_PATH_WRITERS = {"write_text", "write_bytes", "touch", "mkdir", "unlink", "rmdir", "rename", "replace",
                 "symlink_to", "hardlink_to", "chmod", "lchmod"}
_SAVERS = {"save", "savez", "savez_compressed", "savetxt", "tofile", "savefig", "to_csv", "to_json",
           "to_pickle", "to_parquet", "to_excel", "to_hdf", "to_feather", "dump_npy"}
_WRITE_FLAGS = {"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC"}
_SAFE_DEVICES = {"/dev/null", "/dev/stdout", "/dev/stderr"}
_SIGNAL_CALLS = {("os", "kill"), ("os", "killpg"), ("signal", "pthread_kill"), ("signal", "pidfd_send_signal")}
_PROCESS_CALLS = {
    ("os", "system"), ("os", "popen"), ("os", "fork"), ("os", "forkpty"), ("os", "posix_spawn"),
    ("os", "posix_spawnp"), ("pty", "spawn"), ("pty", "fork"),
    ("subprocess", "run"), ("subprocess", "Popen"), ("subprocess", "call"), ("subprocess", "check_call"),
    ("subprocess", "check_output"), ("subprocess", "getoutput"), ("subprocess", "getstatusoutput"),
    ("asyncio", "create_subprocess_exec"), ("asyncio", "create_subprocess_shell"),
}
_PROCESS_PREFIXES = (("os", "exec"), ("os", "spawn"))
_IPYTHON_PROCESSES = {"system_raw", "system_piped"}


def leaves_folder(path: str) -> bool:
    """Whether writing to ``path`` (relative to the kernel's folder, ``~`` being that folder) leaves it."""
    if not path:
        return False
    if path.startswith("~"):
        head, _, rest = path[1:].partition("/")
        if head:  # ~user/...
            return True
        path = rest or "."
    if path.startswith("/"):
        return posixpath.normpath(path) not in _SAFE_DEVICES
    normal = posixpath.normpath(path)
    return normal == ".." or normal.startswith("../")


def _path_text(node) -> str | None:
    """A literal path: a string, an f-string's literal head, os.path.join/Path(...) / ... of those."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value + "x"  # the rest is computed: only the head is known
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):  # Path("/etc") / "x"
        left = _path_text(node.left)
        right = _path_text(node.right)
        return posixpath.join(left, right or "x") if left is not None else None
    if isinstance(node, ast.Call):
        name = _call_name(node)
        if name in (("path", "join"), ("os.path", "join")) and node.args:
            parts = [_path_text(a) for a in node.args]
            known = [p if p is not None else "x" for p in parts]
            return posixpath.join(*known) if parts[0] is not None or any(
                p is not None and p.startswith("/") for p in parts) else None
        if name[1] in ("Path", "PurePath", "PosixPath") and node.args:
            return _path_text(node.args[0])
        if name[1] in ("expanduser", "abspath", "realpath", "normpath", "resolve") and node.args:
            return _path_text(node.args[0])
    return None


def _call_name(call: ast.Call) -> tuple[str, str]:
    """``(owner, name)``: ``("os", "remove")`` for ``os.remove(...)``, ``("", "open")`` for ``open(...)``."""
    func = call.func
    if isinstance(func, ast.Name):
        return "", func.id
    if isinstance(func, ast.Attribute):
        owner = func.value
        if isinstance(owner, ast.Name):
            return owner.id, func.attr
        if isinstance(owner, ast.Attribute) and isinstance(owner.value, ast.Name):
            return f"{owner.value.id}.{owner.attr}", func.attr
        return "?", func.attr
    return "?", ""


def _path_receiver(func) -> ast.AST | None:
    """For ``Path(x).method(...)`` (or ``(Path(x) / y).method``), the path expression."""
    if not isinstance(func, ast.Attribute):
        return None
    owner = func.value
    if isinstance(owner, ast.BinOp) and isinstance(owner.op, ast.Div):
        return owner
    if isinstance(owner, ast.Call) and _call_name(owner)[1] in ("Path", "PurePath", "PosixPath"):
        return owner
    return None


def _mode_writes(node) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and any(c in node.value for c in "wax+")


def _argument(call: ast.Call, index: int, keyword: str | None = None):
    if index < len(call.args):
        return call.args[index]
    return next((k.value for k in call.keywords if k.arg == keyword), None) if keyword else None


def _written_paths(call: ast.Call, modules: dict) -> list:
    owner, name = _call_name(call)
    real_owner = modules.get(owner, owner)
    if name == "open" and real_owner in ("", "io", "builtins", "codecs"):
        return [_argument(call, 0, "file")] if _mode_writes(_argument(call, 1, "mode")) else []
    if name == "open" and real_owner == "os":
        flags = _argument(call, 1, "flags")
        names = {n.attr if isinstance(n, ast.Attribute) else getattr(n, "id", "") for n in ast.walk(flags or ast.Pass())}
        return [_argument(call, 0, "path")] if names & _WRITE_FLAGS else []
    if real_owner == "os" and name in _OS_WRITERS:
        return [_argument(call, i) for i in _OS_WRITERS[name]]
    if real_owner == "shutil" and name in _SHUTIL_WRITERS:
        return [_argument(call, i) for i in _SHUTIL_WRITERS[name]]
    receiver = _path_receiver(call.func)
    if receiver is not None and (name in _PATH_WRITERS or (name == "open" and _mode_writes(_argument(call, 0, "mode")))):
        extra = [_argument(call, 0, "target")] if name in ("rename", "replace", "symlink_to", "hardlink_to") else []
        return [receiver, *extra]
    if name in _SAVERS and owner != "":
        return [_argument(call, 0)]
    if isinstance(call.func, ast.Attribute) and call.func.attr == "run_cell_magic" \
            and isinstance(_argument(call, 0), ast.Constant) and _argument(call, 0).value == "writefile":
        line = _argument(call, 1)
        if isinstance(line, ast.Constant) and isinstance(line.value, str):
            words = [w for w in line.value.split() if not w.startswith("-")]
            return [ast.Constant(words[-1].strip("'\""))] if words else []
    return []


def _module_aliases(tree) -> tuple[dict, dict]:
    """Local names of modules (``import os as o``: o -> os) and of imported functions
    (``from os import system as s``: s -> (os, system))."""
    modules, functions = {}, {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                modules[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname \
                    else alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                functions[alias.asname or alias.name] = (node.module, alias.name)
    return modules, functions


def outside_writes(trees) -> list[str]:
    """Readable reasons: writes that leave the folder, started programs, signals sent."""
    reasons: list[str] = []

    def add(reason):
        if reason not in reasons:
            reasons.append(reason)

    modules, functions = {}, {}
    for _, tree in trees:  # imports in one cell serve the cells after it
        more_modules, more_functions = _module_aliases(tree)
        modules.update(more_modules)
        functions.update(more_functions)
    for number, tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Name) and node.func.id in functions:
                module, original = functions[node.func.id]
                node = ast.Call(ast.Attribute(ast.Name(module.split(".")[0]), original), node.args, node.keywords)
            for target in _written_paths(node, modules):
                path = _path_text(target) if target is not None else None
                if path is not None and leaves_folder(path):
                    shown = path[:-1] + "..." if isinstance(target, ast.JoinedStr) else path
                    add(f"writes outside its folder: {shown!r} (cell {number})")
            owner, name = _call_name(node)
            pair = (modules.get(owner, owner), name)
            if pair in _PROCESS_CALLS or any(pair[0] == o and name.startswith(p) for o, p in _PROCESS_PREFIXES):
                add(f"starts a process: {'.'.join(pair)} (cell {number})")
            elif pair in _SIGNAL_CALLS:
                add(f"sends a signal: {'.'.join(pair)} (cell {number})")
            elif name in _IPYTHON_PROCESSES and isinstance(node.func, ast.Attribute):
                add(f"starts a process: get_ipython().{name}, not run (cell {number})")
    return reasons

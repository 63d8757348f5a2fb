"""Static checks on a submission's source: things to flag for the instructor.

Nothing here changes a grade; each function returns reasons for the ``flags``
column.  They read the code (``ast``), so they catch what is written plainly
-- imports, aliases, attribute chains, ``getattr(module, "name")``, helper
functions called from the task's function -- not code that builds names at run
time (``eval``, ``importlib`` with computed strings).

* :func:`reference_uses`: the task's function (or a notebook function it calls)
  uses the ``course_lib`` implementation it was meant to write.
* :func:`outside_writes`: code that writes files through an absolute path or
  ``..``, starts other programs or sends signals.
* :func:`defined_names`: top-level names a notebook binds (to recognise a
  notebook of the wrong exercise).
"""

from __future__ import annotations

import ast
import importlib

__all__ = ["parse_cells", "reference_uses", "outside_writes", "defined_names"]

_WRITERS = {
    "write_text", "write_bytes", "savefig", "save", "savez", "savez_compressed", "savetxt", "tofile",
    "to_csv", "to_pickle", "to_json", "to_parquet", "dump", "mkdir", "makedirs", "remove", "unlink",
    "rmdir", "rmtree", "removedirs", "rename", "renames", "replace", "copy", "copyfile", "copy2",
    "copytree", "move", "symlink", "symlink_to", "link", "hardlink_to", "touch", "chmod", "chown",
    "truncate", "mkfifo", "mknod",
}
_SIGNAL_CALLS = {("os", "kill"), ("os", "killpg"), ("signal", "pthread_kill")}
_PROCESS_CALLS = {
    ("os", "system"), ("os", "popen"), ("os", "fork"), ("os", "forkpty"),
    ("subprocess", "run"), ("subprocess", "Popen"), ("subprocess", "call"), ("subprocess", "check_call"),
    ("subprocess", "check_output"), ("subprocess", "getoutput"), ("subprocess", "getstatusoutput"),
}


def parse_cells(cells) -> list[tuple[int, ast.Module]]:
    """``(cell number, tree)`` for every cell that parses as Python."""
    trees = []
    for cell in cells:
        try:
            trees.append((cell.number, ast.parse(cell.source)))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
    return trees


# -- name resolution ---------------------------------------------------------


def _import_bindings(node) -> dict[str, str]:
    """Local name -> dotted target for one import statement (course_lib only)."""
    out = {}
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name.split(".")[0] != "course_lib":
                continue
            if alias.asname:
                out[alias.asname] = alias.name
            else:
                out["course_lib"] = "course_lib"
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "course_lib":
        for alias in node.names:
            if alias.name == "*":
                out["*" + node.module] = node.module
            else:
                out[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return out


def _top_level_bindings(trees):
    """Final top-level binding of each name: ("import", dotted), ("def", node) or ("value", expr)."""
    final: dict[str, tuple] = {}
    stars: list[str] = []
    for _, tree in trees:
        for stmt in tree.body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                for name, target in _import_bindings(stmt).items():
                    if name.startswith("*"):
                        stars.append(target)
                    else:
                        final[name] = ("import", target)
                for alias in stmt.names:  # a non-course_lib import rebinds the name
                    local = alias.asname or alias.name.split(".")[0]
                    if alias.name != "*" and local not in _import_bindings(stmt):
                        final.pop(local, None)
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                final[stmt.name] = ("def", stmt)
            elif isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        final[target.id] = ("value", stmt.value)
    return final, stars


def _dotted(node) -> list[str] | None:
    """``a.b.c`` -> ["a", "b", "c"]; ``getattr(a.b, "c")`` too; else None."""
    parts = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
              and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)
              and isinstance(node.args[1].value, str)):
            parts.append(node.args[1].value)
            node = node.args[0]
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            return parts[::-1]
        else:
            return None


def _resolve(dotted: str):
    """The object a ``course_lib`` dotted name refers to, or None."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except Exception:
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return None
        return obj
    return None


def _is_reference(dotted: str, task) -> bool:
    parts = dotted.split(".")
    if parts[0] != "course_lib":
        return False
    if parts[-1] == task.name or parts[-1] == task.symbol:
        return True
    if len(parts) > 1 and parts[1] == "checks" and len(parts) > 2:
        return True  # the exercise checks hold the references
    reference = getattr(task, "reference", None)
    return reference is not None and _resolve(dotted) is reference


def reference_uses(trees, task) -> list[str]:
    """Dotted ``course_lib`` names the task's function uses that are its own reference.

    Follows the final top-level binding of ``task.symbol`` and every
    notebook-defined function reachable from it.
    """
    final, stars = _top_level_bindings(trees)
    for module in stars:  # `from course_lib.x import *` binds the reference's name unless redefined
        obj = _resolve(f"{module}.{task.name}")
        if obj is not None and task.name not in final:
            final[task.name] = ("import", f"{module}.{task.name}")
    found: list[str] = []
    seen: set[str] = set()

    def visit(name: str):
        if name in seen or name not in final:
            return
        seen.add(name)
        kind, target = final[name]
        if kind == "import":
            check(target)
        else:
            walk(target)

    def check(dotted: str):
        if _is_reference(dotted, task) and dotted not in found:
            found.append(dotted)

    def walk(node):
        local_imports, local_names = {}, set()
        for sub in ast.walk(node):
            if isinstance(sub, (ast.Import, ast.ImportFrom)):
                local_imports.update({k: v for k, v in _import_bindings(sub).items() if not k.startswith("*")})
            elif isinstance(sub, ast.arg):
                local_names.add(sub.arg)
            elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                local_names.add(sub.id)
        for sub in ast.walk(node):
            parts = _dotted(sub) if isinstance(sub, (ast.Attribute, ast.Call)) else None
            if parts and len(parts) > 1:
                root = local_imports.get(parts[0])
                if root is None and parts[0] not in local_names and final.get(parts[0], ("",))[0] == "import":
                    root = final[parts[0]][1]
                if root:
                    check(".".join([root, *parts[1:]]))
            elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
                if sub.id in local_imports:
                    check(local_imports[sub.id])
                elif sub.id not in local_names:
                    visit(sub.id)

    visit(task.symbol)
    return found


# -- writes and processes ----------------------------------------------------


def _outside_path(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
        if text.startswith(("/", "~")) or ".." in text.replace("\\", "/").split("/"):
            return text
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value.startswith(("/", "~")):
            return first.value + "..."
    return None


def _call_paths(call: ast.Call) -> list[str]:
    """Outside paths among a call's arguments and the receiver chain (``Path("/x").write_text``)."""
    found = [p for p in map(_outside_path, [*call.args, *(k.value for k in call.keywords)]) if p]
    node = call.func.value if isinstance(call.func, ast.Attribute) else None
    while node is not None:
        if isinstance(node, ast.Call):
            found += [p for p in map(_outside_path, node.args) if p]
            node = node.func.value if isinstance(node.func, ast.Attribute) else None
        elif isinstance(node, ast.Attribute):
            node = node.value
        else:
            node = None
    return found


def _write_mode(call: ast.Call) -> bool:
    mode = call.args[1] if len(call.args) > 1 else next((k.value for k in call.keywords if k.arg == "mode"), None)
    return isinstance(mode, ast.Constant) and isinstance(mode.value, str) and any(c in mode.value for c in "wax+")


def outside_writes(trees) -> list[str]:
    """Readable reasons: writes through absolute or ``..`` paths, started programs, signals."""
    reasons: list[str] = []
    for number, tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            paths = []
            if name == "open" and _write_mode(node):
                paths = [p for p in [_outside_path(node.args[0])] if p] if node.args else []
            elif name in _WRITERS:
                paths = _call_paths(node)
            for path in paths:
                reason = f"writes outside its folder: {path!r} (cell {number})"
                if reason not in reasons:
                    reasons.append(reason)
            parts = _dotted(func)
            pair = tuple(parts[-2:]) if parts and len(parts) >= 2 else None
            if pair in _PROCESS_CALLS or pair in _SIGNAL_CALLS:
                what = "starts a process" if pair in _PROCESS_CALLS else "sends a signal"
                reason = f"{what}: {'.'.join(pair)} (cell {number})"
                if reason not in reasons:
                    reasons.append(reason)
    return reasons


def defined_names(trees) -> set[str]:
    """Names bound at the top level of the notebook (functions, classes, assignments, imports)."""
    final, _ = _top_level_bindings(trees)
    names = set(final)
    for _, tree in trees:
        for stmt in tree.body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                names |= {alias.asname or alias.name.split(".")[0] for alias in stmt.names if alias.name != "*"}
    return names

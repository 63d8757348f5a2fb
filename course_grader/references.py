"""Reference use: does a task's answer call the ``course_lib`` code it was meant to replace?

Read from the code (``ast``) -- nothing here imports or runs anything a submission names.  What
counts as the reference is decided by the grader beforehand (:func:`course_grader.hidden.reference_names`)
and handed in as plain dotted names.  The answer's code is followed from the final top-level
binding of the task's symbol through notebook functions, top-level values and helper modules the
notebook writes with ``%%writefile``, and resolves every way of naming a module object written
with literals:

``import course_lib.x as m`` / ``from course_lib.x import f`` / ``from course_lib.x import *``,
``importlib.import_module("course_lib.x")``, ``__import__("course_lib.x", fromlist=...)``,
``sys.modules["course_lib.x"]``, ``getattr(m, "f")``, ``vars(m)["f"]``, ``m.__dict__["f"]``,
``globals()["f"] = ...``, ``globals().update(f=...)``, and ``exec``/``eval`` of a literal string.

A name built at run time (``import_module("course_" + "lib.x")``, ``getattr(m, name)``,
``exec(text)``) cannot be resolved: when the task's code does that, it is reported as such.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

__all__ = ["TaskRefs", "Scope", "build_scopes", "reference_uses"]

_IMPORTERS = {("importlib", "import_module"), ("", "__import__"), ("builtins", "__import__")}


@dataclass
class TaskRefs:
    """What counts as the reference for one task (plain data from the grader).

    ``names``: dotted names of the reference objects (every alias the grader found);
    ``own_name``: for a function task, its name and symbol (``course_lib.<anything>.<name>`` is
    the reference too); ``checks``: whether anything under ``course_lib.checks`` counts (function
    tasks: the checks hold the references); ``stars``: module -> the names its ``import *`` binds
    to a reference.
    """

    symbol: str
    names: set = field(default_factory=set)
    own_name: set = field(default_factory=set)
    checks: bool = False
    stars: dict = field(default_factory=dict)

    def matches(self, dotted: str) -> bool:
        parts = dotted.split(".")
        if parts[0] != "course_lib":
            return False
        if dotted in self.names or parts[-1] in self.own_name:
            return True
        return self.checks and len(parts) > 2 and parts[1] == "checks" and parts[-1] != "check"


class Scope:
    """The final top-level bindings of one module: the notebook, or a file it wrote."""

    def __init__(self, name: str):
        self.name = name
        self.bindings: dict[str, tuple] = {}  # name -> ("import", dotted) | ("def", node) | ("value", expr)
        self.stars: list[str] = []


def _literal(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _import_bindings(node) -> dict[str, str]:
    """Local name -> dotted target for one import statement (any module)."""
    out = {}
    if isinstance(node, ast.Import):
        for alias in node.names:
            out[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        for alias in node.names:
            out[("*" + node.module) if alias.name == "*" else (alias.asname or alias.name)] = (
                node.module if alias.name == "*" else f"{node.module}.{alias.name}")
    return out


def _literal_code(call: ast.Call) -> ast.Module | None:
    """The parsed string of ``exec("...")``/``eval("...")``, else None."""
    if isinstance(call.func, ast.Name) and call.func.id in ("exec", "eval") and call.args:
        text = _literal(call.args[0])
        if text is not None:
            try:
                return ast.parse(text, mode="exec")
            except (SyntaxError, ValueError, RecursionError):
                return None
    return None


def _statements(body):
    """Top-level statements, with literal ``exec`` strings inlined (their bindings are top-level too)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            inner = _literal_code(stmt.value)
            if inner is not None:
                yield from _statements(inner.body)


def _bind_target(scope: Scope, target, value) -> None:
    if isinstance(target, ast.Name):
        scope.bindings[target.id] = ("value", value)
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            _bind_target(scope, element.value if isinstance(element, ast.Starred) else element, value)
    elif isinstance(target, ast.Subscript) and _is_globals(target.value):
        key = _literal(target.slice)
        if key:
            scope.bindings[key] = ("value", value)


def _is_globals(node) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("globals", "vars") \
        and not node.args


def _fill(scope: Scope, trees) -> None:
    for tree in trees:
        for stmt in _statements(tree.body):
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                for name, target in _import_bindings(stmt).items():
                    if name.startswith("*"):
                        scope.stars.append(target)
                    else:
                        scope.bindings[name] = ("import", target)
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                scope.bindings[stmt.name] = ("def", stmt)
            elif isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    _bind_target(scope, target, stmt.value)
            elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) and stmt.value is not None:
                _bind_target(scope, stmt.target, stmt.value)
            elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                call = stmt.value
                func = call.func
                if isinstance(func, ast.Attribute) and func.attr == "update" and _is_globals(func.value):
                    for keyword in call.keywords:
                        if keyword.arg:
                            scope.bindings[keyword.arg] = ("value", keyword.value)
                    for arg in call.args:
                        if isinstance(arg, ast.Dict):
                            for key, value in zip(arg.keys, arg.values):
                                if _literal(key):
                                    scope.bindings[_literal(key)] = ("value", value)


def _written_module(call: ast.Call) -> tuple[str, str] | None:
    """``(module name, source)`` of ``get_ipython().run_cell_magic('writefile', 'x.py', source)``."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "run_cell_magic" and len(call.args) >= 3):
        return None
    if _literal(call.args[0]) != "writefile":
        return None
    line, body = _literal(call.args[1]), _literal(call.args[2])
    if line is None or body is None:
        return None
    words = [w for w in line.split() if not w.startswith("-")]
    path = words[-1].strip("'\"") if words else ""
    base = path.rsplit("/", 1)[-1]
    if not base.endswith(".py") or not base[:-3].isidentifier():
        return None
    return base[:-3], body


def build_scopes(trees) -> dict[str, Scope]:
    """``{"__main__": notebook scope, "<module>": scope of each %%writefile module}``."""
    main = Scope("__main__")
    _fill(main, [tree for _, tree in trees])
    scopes = {"__main__": main}
    for _, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                written = _written_module(node)
                if written is not None:
                    try:
                        module_tree = ast.parse(written[1])
                    except (SyntaxError, ValueError, RecursionError):
                        continue
                    scope = Scope(written[0])
                    _fill(scope, [module_tree])
                    scopes[written[0]] = scope
    return scopes


class _Resolver:
    """Dotted names of expressions, in a scope with local names shadowing."""

    def __init__(self, scopes: dict[str, Scope], refs: TaskRefs):
        self.scopes, self.refs = scopes, refs
        self.found: list[str] = []
        self.dynamic: list[str] = []
        self.visited: set = set()

    def dotted(self, node, scope: Scope, local: dict, depth: int = 0) -> str | None:
        if depth > 40:
            return None
        if isinstance(node, ast.Name):
            if node.id in local:
                return local[node.id]
            kind, target = scope.bindings.get(node.id, (None, None))
            if kind == "import":
                return target
            if kind == "value" and depth < 20:
                return self.dotted(target, scope, {}, depth + 1)
            return None
        if isinstance(node, ast.Attribute):
            if node.attr == "__dict__":
                return self.dotted(node.value, scope, local, depth + 1)
            base = self.dotted(node.value, scope, local, depth + 1)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, ast.Subscript):
            key = _literal(node.slice)
            owner = node.value
            if key is None:
                return None
            if isinstance(owner, ast.Attribute) and owner.attr == "modules":  # sys.modules["..."]
                return key
            if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "vars" \
                    and owner.args:
                base = self.dotted(owner.args[0], scope, local, depth + 1)
                return f"{base}.{key}" if base else None
            base = self.dotted(owner, scope, local, depth + 1)  # m.__dict__["f"]
            return f"{base}.{key}" if base else None
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
            if (owner, name) in _IMPORTERS or (name == "import_module" and owner):
                text = _literal(node.args[0]) if node.args else None
                if text is None:
                    return None
                if text.startswith(".") and len(node.args) > 1 and _literal(node.args[1]):
                    text = _literal(node.args[1]) + text
                if name == "__import__":
                    fromlist = node.args[3] if len(node.args) > 3 else next(
                        (k.value for k in node.keywords if k.arg == "fromlist"), None)
                    empty = fromlist is None or (isinstance(fromlist, (ast.List, ast.Tuple)) and not fromlist.elts)
                    return text.split(".")[0] if empty else text
                return text
            if name == "getattr" and len(node.args) >= 2:
                key = _literal(node.args[1])
                base = self.dotted(node.args[0], scope, local, depth + 1)
                return f"{base}.{key}" if base and key else None
        return None

    def _runtime_name(self, node: ast.Call, scope: Scope, local: dict) -> str | None:
        """Why a call builds a module or attribute name at run time, if it does."""
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in ("import_module", "__import__") and node.args and _literal(node.args[0]) is None:
            return f"{name}(...) with a name computed at run time"
        if name in ("exec", "eval") and isinstance(func, ast.Name) and node.args and _literal(node.args[0]) is None:
            return f"{name}(...) of code built at run time"
        if name == "getattr" and len(node.args) >= 2 and _literal(node.args[1]) is None:
            base = self.dotted(node.args[0], scope, local)
            if base and base.startswith("course_lib"):
                return f"getattr({base}, ...) with a name computed at run time"
        return None

    def check(self, dotted: str | None) -> None:
        if dotted and self.refs.matches(dotted) and dotted not in self.found:
            self.found.append(dotted)

    def visit_name(self, name: str, scope: Scope) -> None:
        key = (scope.name, name)
        if key in self.visited:
            return
        self.visited.add(key)
        binding = scope.bindings.get(name)
        if binding is None:
            for module in scope.stars:
                if name in self.refs.stars.get(module, ()):
                    self.check(f"{module}.{name}")
                if module in self.scopes:
                    self.visit_name(name, self.scopes[module])
            return
        kind, target = binding
        if kind == "import":
            self.check(target)
            module, _, attr = target.rpartition(".")
            if module in self.scopes:  # from helper import f: follow f into the written module
                self.visit_name(attr, self.scopes[module])
        else:
            self.walk(target, scope)

    def walk(self, node, scope: Scope) -> None:
        local: dict[str, str | None] = {}
        for sub in ast.walk(node):
            if isinstance(sub, (ast.Import, ast.ImportFrom)):
                local.update({k: v for k, v in _import_bindings(sub).items() if not k.startswith("*")})
            elif isinstance(sub, ast.arg):
                local.setdefault(sub.arg, None)
            elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                local.setdefault(sub.id, None)
        for sub in ast.walk(node):
            if isinstance(sub, (ast.Attribute, ast.Subscript, ast.Call)):
                self.check(self.dotted(sub, scope, local))
                if isinstance(sub, ast.Call):
                    why = self._runtime_name(sub, scope, local)
                    if why and why not in self.dynamic:
                        self.dynamic.append(why)
                    inner = _literal_code(sub)
                    if inner is not None:
                        self.walk(inner, scope)
                elif isinstance(sub, ast.Attribute):
                    self._follow_module_attribute(sub, scope, local)
            elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
                if sub.id in local:
                    self.check(local[sub.id])
                else:
                    self.visit_name(sub.id, scope)

    def _follow_module_attribute(self, node: ast.Attribute, scope: Scope, local: dict) -> None:
        """``helper.f`` where ``helper`` is a module the notebook wrote: follow ``f`` there."""
        base = self.dotted(node.value, scope, local)
        if base in self.scopes:
            self.visit_name(node.attr, self.scopes[base])


def reference_uses(trees, refs: TaskRefs, scopes: dict | None = None) -> tuple[list[str], list[str]]:
    """``(dotted reference names used, run-time name constructions seen)`` in the task's answer.

    ``trees`` are ``(cell number, ast.Module)`` of the cells that run.
    """
    scopes = scopes if scopes is not None else build_scopes(trees)
    resolver = _Resolver(scopes, refs)
    resolver.visit_name(refs.symbol, scopes["__main__"])
    found = [d for d in resolver.found if not any(other.startswith(d + ".") for other in resolver.found)]
    return found, resolver.dynamic  # a module is not named when one of its functions is

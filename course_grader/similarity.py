"""Near-identical answers across students: a normalised hash per task, compared across the class.

The hash of a task's answer is taken over the final top-level definition of its function, after
removing what copying-and-editing changes without changing the code: comments and docstrings,
formatting, type annotations, and the names of parameters and local variables (renamed in order
of appearance).  Short answers (fewer than :data:`MIN_NODES` syntax nodes: ``return rate * w``)
are left out -- many students write them identically on their own.

Two students are flagged when they share the hash of at least two such answers of one exercise,
or of every such answer either of them wrote.  The flag names the other students; it never
changes a grade.
"""

from __future__ import annotations

import ast
import hashlib
from collections import defaultdict

__all__ = ["answer_hashes", "similar_pairs", "MIN_NODES"]

MIN_NODES = 30


class _Canonical(ast.NodeTransformer):
    def __init__(self, keep: set[str]):
        self.names: dict[str, str] = {}
        self.keep = keep

    def _rename(self, name: str) -> str:
        if name in self.keep:
            return name
        return self.names.setdefault(name, f"v{len(self.names)}")

    def visit_arg(self, node: ast.arg):
        node.arg = self._rename(node.arg)
        node.annotation = None
        return node

    def visit_Name(self, node: ast.Name):
        if isinstance(node.ctx, ast.Store) or node.id in self.names:
            node.id = self._rename(node.id)
        return node

    def visit_FunctionDef(self, node):
        node.returns = None
        node.decorator_list = []
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            body = body[1:] or [ast.Pass()]
        node.body = body
        self.generic_visit(node)
        return node

    visit_AsyncFunctionDef = visit_FunctionDef


def _digest(node: ast.AST, keep: set[str]) -> tuple[str, int] | None:
    try:
        tree = _Canonical(keep).visit(ast.parse(ast.unparse(node)))
        size = sum(1 for _ in ast.walk(tree))
        text = ast.dump(tree, annotate_fields=False, include_attributes=False)
    except (RecursionError, ValueError, SyntaxError):
        return None
    return hashlib.sha256(text.encode()).hexdigest()[:16], size


def answer_hashes(trees, symbols) -> dict[str, str]:
    """``{symbol: hash}`` for each task symbol whose final definition is a long enough function."""
    final: dict[str, ast.AST] = {}
    for _, tree in trees:
        for stmt in tree.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                final[stmt.name] = stmt
            elif isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        final.pop(target.id, None)
    out = {}
    for symbol in symbols:
        node = final.get(symbol)
        if node is None:
            continue
        digest = _digest(node, keep={symbol})
        if digest is not None and digest[1] >= MIN_NODES:
            out[symbol] = digest[0]
    return out


def similar_pairs(hashes_by_key: dict) -> dict:
    """``{key: {other key: [symbols]}}`` for the pairs to flag, from ``{key: {symbol: hash}}``.

    Keys are whatever identifies a submission (student, exercise); only keys of the same exercise
    (``key[1]``) are compared.
    """
    owners = defaultdict(list)
    for key, hashes in hashes_by_key.items():
        for symbol, digest in hashes.items():
            owners[(key[1], symbol, digest)].append(key)
    shared = defaultdict(lambda: defaultdict(list))
    for (_, symbol, _), keys in owners.items():
        if len(keys) < 2:
            continue
        for a in keys:
            for b in keys:
                if a != b and a[0] != b[0]:
                    shared[a][b].append(symbol)
    flagged = {}
    for a, others in shared.items():
        for b, symbols in others.items():
            whole = len(symbols) == len(hashes_by_key[a]) or len(symbols) == len(hashes_by_key[b])
            if len(symbols) >= 2 or whole:
                flagged.setdefault(a, {})[b] = sorted(symbols)
    return flagged

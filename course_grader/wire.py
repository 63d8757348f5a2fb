"""What crosses the kernel boundary, grader side: requests out, results back in.

Requests carry a task's check inputs into the kernel; responses carry back what
the student's code returned.  Both are JSON; arrays travel as base64 ``.npy``
bytes written and read with ``allow_pickle=False``.  Nothing from a kernel is
ever unpickled or evaluated, and a malformed response is an error, never a
pass.  The kernel-side half is :mod:`course_grader.probe`.
"""

from __future__ import annotations

import ast
import base64
import builtins
import io
import json
import re
from dataclasses import dataclass

import numpy as np

from . import probe

__all__ = [
    "MIME",
    "RemoteError",
    "Unreadable",
    "ProbeAnswer",
    "encode_value",
    "decode_value",
    "bootstrap_code",
    "probe_code",
    "answer_expression",
    "encode_request",
    "answer_from_reply",
    "parse_answer",
]

MIME = probe.MIME


class RemoteError(Exception):
    """An exception raised by the student's code whose type is not a Python builtin.

    ``type_name`` keeps the original type's name (the checks report it).
    """

    def __init__(self, type_name: str, message: str = ""):
        super().__init__(message)
        self.type_name = type_name


def _input_mutated(argument: str):
    """The checks' marker for "changed its input in place" (a plain exception if unavailable)."""
    try:
        from course_lib.checks.framework import InputMutated
    except ImportError:  # pragma: no cover - the checks package is part of course_lib
        return RuntimeError(f"the function changed its input `{argument}` in place")
    return InputMutated(argument)


class Unreadable(Exception):
    """The kernel's answer could not be decoded (malformed or tampered with)."""


@dataclass(frozen=True)
class ProbeAnswer:
    """The kernel's answer for one task.

    ``results`` holds, per case, the returned value or an exception instance;
    it is empty when ``missing`` (the symbol is not defined in the notebook).
    """

    missing: bool
    results: tuple


def encode_value(value):
    """JSON-ready form of a check input (numbers, strings, arrays, tuples/lists)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        buffer = io.BytesIO()
        np.save(buffer, value, allow_pickle=False)
        return {"__ndarray__": base64.b64encode(buffer.getvalue()).decode("ascii")}
    if isinstance(value, tuple):
        return {"__tuple__": [encode_value(v) for v in value]}
    if isinstance(value, list):
        return [encode_value(v) for v in value]
    if isinstance(value, dict):
        return {"__dict__": [[str(k), encode_value(v)] for k, v in value.items()]}
    raise TypeError(f"cannot send a {type(value).__name__} into a kernel")


class _Unsupported:
    def __init__(self, type_name: str):
        self.type_name = type_name


def decode_value(obj, depth: int = 0):
    """Inverse of the kernel's encoder; raises :class:`Unreadable` on anything unexpected."""
    if depth > 32:
        raise Unreadable("value nested too deeply")
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, list):
        return [decode_value(item, depth + 1) for item in obj]
    if isinstance(obj, dict) and len(obj) == 1:
        (key, payload), = obj.items()
        if key == "__ndarray__" and isinstance(payload, str):
            try:
                return np.load(io.BytesIO(base64.b64decode(payload, validate=True)), allow_pickle=False)
            except Exception as exc:  # malformed .npy or base64
                raise Unreadable(f"malformed array ({type(exc).__name__})") from None
        if key == "__tuple__" and isinstance(payload, list):
            return tuple(decode_value(item, depth + 1) for item in payload)
        if key == "__dict__" and isinstance(payload, list):
            pairs = {}
            for pair in payload:
                if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                    raise Unreadable("malformed dict")
                pairs[pair[0]] = decode_value(pair[1], depth + 1)
            return pairs
        if key == "__set__" and isinstance(payload, list):
            items = [decode_value(item, depth + 1) for item in payload]
            try:
                return set(items)
            except TypeError:
                raise Unreadable("malformed set") from None
        if key == "__ellipsis__":
            return Ellipsis
        if key == "__unsupported__" and isinstance(payload, str):
            return _Unsupported(payload[:100])
    raise Unreadable("unexpected value in the kernel's answer")


def _contains_unsupported(value) -> str | None:
    if isinstance(value, _Unsupported):
        return value.type_name
    if isinstance(value, (list, tuple)):
        for item in value:
            found = _contains_unsupported(item)
            if found:
                return found
    if isinstance(value, dict):
        for item in value.values():
            found = _contains_unsupported(item)
            if found:
                return found
    return None


_IDENTIFIER = re.compile(r"[^0-9A-Za-z_]")


def rebuild_exception(info) -> Exception:
    """An exception instance standing for one raised in the kernel.

    Builtin exception types are rebuilt as themselves (so ``NotImplementedError``
    still means "not attempted"); anything else becomes a :class:`RemoteError`
    carrying the original type name.  ``SystemExit`` becomes a
    ``RuntimeError`` since it is not an ``Exception``.
    """
    if not isinstance(info, dict):
        raise Unreadable("malformed exception")
    name = str(info.get("type", "Exception"))[:100]
    module = str(info.get("module", ""))
    message = str(info.get("message", ""))[:2000]
    if name == "SystemExit":
        return RuntimeError(f"called sys.exit({message})")
    builtin = getattr(builtins, name, None) if module == "builtins" else None
    if isinstance(builtin, type) and issubclass(builtin, Exception):
        try:
            return builtin(message)
        except Exception:  # builtins with unusual constructors (UnicodeDecodeError, ...)
            pass
    safe = _IDENTIFIER.sub("_", name) or "Error"
    return RemoteError(safe, message)


def encode_request(task, cases) -> str:
    """Base64 JSON request asking the kernel to run ``task`` on ``cases``."""
    request = {
        "task": task.name,
        "kind": task.kind,
        "symbol": task.symbol,
        "cases": [{"args": encode_value(tuple(c.args)), "kwargs": encode_value(dict(c.kwargs))} for c in cases],
    }
    return base64.b64encode(json.dumps(request).encode()).decode("ascii")


def bootstrap_code(nonce: str) -> str:
    """Code for the first cell: install the agent without touching the user namespace."""
    with open(probe.__file__, encoding="utf-8") as handle:
        source = handle.read()
    return (
        "(lambda ns: (exec(compile({src!r}, '<course-grader>', 'exec'), ns), ns['install']({nonce!r})))"
        "({{'__name__': '_course_grader'}})\n"
    ).format(src=source, nonce=nonce)


def probe_code(nonce: str, request: str) -> str:
    """Code that asks the installed agent to answer one request."""
    return f"__import__('sys').modules['_course_grader_{nonce}'].run({request!r})"


def answer_expression(nonce: str) -> str:
    """The user expression that reads the agent's answer back in the execute reply."""
    return f"__import__('sys').modules['_course_grader_{nonce}'].last()"


def answer_from_reply(expression, forged: list[str], nonce: str, task_name: str, n_cases: int) -> ProbeAnswer:
    """Decode the kernel's answer from the reply's user expression (``{"status", "data"}``).

    ``forged`` are grader-typed payloads seen on the output channel, where the agent never
    writes: one carrying this run's nonce is tampering.  Raises :class:`Unreadable`.
    """
    for payload in forged:
        try:
            data = json.loads(payload)
        except (TypeError, ValueError):
            continue
        if isinstance(data, dict) and data.get("nonce") == nonce:
            raise Unreadable("a result was forged on the output channel (tampering?)")
    if not (isinstance(expression, dict) and expression.get("status") == "ok"):
        raise Unreadable("no result came back from the kernel")
    text = expression.get("data", {}).get("text/plain") if isinstance(expression.get("data"), dict) else None
    try:
        payload = ast.literal_eval(text) if isinstance(text, str) else None
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        payload = None
    if not isinstance(payload, str):
        raise Unreadable("no result came back from the kernel")
    return parse_answer([payload], nonce, task_name, n_cases)


def parse_answer(payloads: list[str], nonce: str, task_name: str, n_cases: int) -> ProbeAnswer:
    """Decode the kernel's answer to one probe.

    Raises :class:`Unreadable` unless there is exactly one well-formed answer
    carrying this run's nonce, for this task, with one result per case.
    """
    answers = []
    for payload in payloads:
        try:
            data = json.loads(payload)
        except (TypeError, ValueError):
            continue
        if isinstance(data, dict) and data.get("nonce") == nonce and data.get("task") == task_name:
            answers.append(data)
    if not answers:
        raise Unreadable("no result came back from the kernel")
    if len(answers) > 1:
        raise Unreadable("more than one result came back from the kernel (tampering?)")
    data = answers[0]
    if data.get("missing") is True:
        return ProbeAnswer(missing=True, results=())
    raw = data.get("results")
    if not isinstance(raw, list) or len(raw) != n_cases:
        raise Unreadable("wrong number of results")
    results = []
    for item in raw:
        if isinstance(item, dict) and set(item) == {"returned"}:
            value = decode_value(item["returned"])
            unsupported = _contains_unsupported(value)
            if unsupported:
                value = TypeError(
                    f"returned a {unsupported}, which cannot be checked; return numpy arrays, floats, "
                    "ints, bools, strings, None, or tuples/lists of them"
                )
            results.append(value)
        elif isinstance(item, dict) and set(item) == {"raised"}:
            results.append(rebuild_exception(item["raised"]))
        elif isinstance(item, dict) and set(item) == {"mutated"} and isinstance(item["mutated"], str):
            results.append(_input_mutated(re.sub(r"[^0-9A-Za-z_ ]", "_", item["mutated"])[:100]))
        else:
            raise Unreadable("malformed result")
    return ProbeAnswer(missing=False, results=tuple(results))

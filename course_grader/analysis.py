"""Everything the grader reads from a notebook before running it, done in a separate, bounded process.

:func:`analyse_notebook` turns the notebook's bytes into what the grader needs: the cells to run
(:mod:`~course_grader.transform`), the static flags (reference use, writes outside the folder,
programs started, wrong exercise), the normalised hashes of the answers and the written answers.
It only parses; it never imports or runs anything the notebook names.

The grader does not call it in its own process: an :class:`Analyzer` sends the bytes to a worker
process (``serve``) whose address space is limited (``RLIMIT_AS``) and which is killed when it
takes longer than the time given -- the rest of the submission's time limit at most.  A 9 MB cell
or a parser blow-up costs that submission its grade and a flag, never the run.
"""

from __future__ import annotations

import ast
import json
import os
import resource
import select
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["analyse_notebook", "Analyzer", "AnalysisFailed", "serve"]

_HEADER = struct.Struct(">Q")
_MAX_REPLY = 400 * 1024**2


class AnalysisFailed(Exception):
    """The worker did not answer in time or within its memory; the message says which."""


def _task_refs(info: dict):
    from .references import TaskRefs

    return TaskRefs(info["symbol"], set(info.get("names", ())), set(info.get("own_name", ())),
                    bool(info.get("checks")), {k: set(v) for k, v in dict(info.get("stars", {})).items()})


def _defined_names(trees) -> set[str]:
    names = set()
    for _, tree in trees:
        for stmt in tree.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(stmt.name)
            elif isinstance(stmt, ast.Assign):
                names |= {t.id for t in stmt.targets if isinstance(t, ast.Name)}
            elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
                names |= {a.asname or a.name.split(".")[0] for a in stmt.names if a.name != "*"}
    return names


MAX_WRITTEN_CHARS = 20_000


def _shortened(text: str) -> str:
    """A written answer as the instructor reads it in report.html: at most MAX_WRITTEN_CHARS characters."""
    if len(text) <= MAX_WRITTEN_CHARS:
        return text
    return text[:MAX_WRITTEN_CHARS] + f"\n[... {len(text) - MAX_WRITTEN_CHARS} more characters not shown]"


def analyse_notebook(raw: bytes, request: dict) -> dict:
    """The analysis of one notebook (plain data): ``problem`` or ``cells``, ``flags``, ``hashes``, ``written``.

    ``request`` holds ``tasks`` (each: ``name``, ``kind``, ``symbol`` and what counts as its
    reference, see :class:`~course_grader.references.TaskRefs`) and ``others`` (exercise ->
    its task symbols, to recognise a notebook of another exercise).
    """
    from .notebook import NotebookProblem, parse_notebook
    from .references import build_scopes, reference_uses
    from .similarity import answer_hashes
    from .transform import neutralise, parse_cells
    from .writes import outside_writes

    try:
        notebook = parse_notebook(raw)
    except NotebookProblem as problem:
        return {"problem": str(problem)}
    parsed = parse_cells(notebook.cells)
    trees = [(cell.number, tree) for cell, _, tree in parsed if tree is not None]
    flags = []
    tasks = request.get("tasks", [])
    scopes = build_scopes(trees)
    for task in tasks:
        if task["kind"] == "written":
            continue
        found, dynamic = reference_uses(trees, _task_refs(task), scopes)
        for dotted in found:
            flags.append(f"{task['name']}: uses the reference implementation {dotted}")
        for why in dynamic:
            flags.append(f"{task['name']}: {why} (reference use cannot be ruled out)")
    flags += outside_writes(trees)
    names = _defined_names(trees)
    if tasks and not names & {t["symbol"] for t in tasks}:
        for exercise, symbols in request.get("others", {}).items():
            if symbols and len(names & set(symbols)) * 2 >= len(symbols):
                flags.append(f"looks like exercise {exercise}")
                break
    hashes = answer_hashes(trees, [t["symbol"] for t in tasks if t["kind"] == "function"])
    written = {t["name"]: _shortened(notebook.written[t["name"]]) for t in tasks
               if t["kind"] == "written" and t["name"] in notebook.written}
    cells = [[cell.number, cell.source] for cell in neutralise(parsed)]
    return {"problem": None, "cells": cells, "flags": flags, "hashes": hashes, "written": written}


# -- the worker process ---------------------------------------------------------


def _read_exact(stream, size: int) -> bytes:
    data = stream.read(size)
    if data is None or len(data) != size:
        raise EOFError
    return data


def serve(memory_bytes: int) -> None:
    """Worker loop: requests on stdin, replies on stdout, ``memory_bytes`` more address space than now."""
    from . import notebook, references, similarity, transform, writes  # noqa: F401 - imported before the limit
    from IPython.core.inputtransformer2 import TransformerManager  # noqa: F401

    with open("/proc/self/statm") as handle:
        baseline = int(handle.read().split()[0]) * resource.getpagesize()
    limit = baseline + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.setrecursionlimit(3000)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            header = json.loads(_read_exact(stdin, _HEADER.unpack(_read_exact(stdin, 8))[0]))
            raw = _read_exact(stdin, int(header["size"]))
        except EOFError:
            return
        try:
            reply = analyse_notebook(raw, header)
        except MemoryError:
            reply, fatal = {"failed": "memory"}, True
        except RecursionError:
            reply, fatal = {"failed": "recursion"}, False
        else:
            fatal = False
        del raw
        try:
            data = json.dumps(reply, ensure_ascii=True).encode()
        except MemoryError:
            data, fatal = b'{"failed": "memory"}', True
        stdout.write(_HEADER.pack(len(data)) + data)
        stdout.flush()
        if fatal:
            return  # a fresh worker for the next notebook


class Analyzer:
    """The grader's handle on one worker process (started on first use, restarted after a failure).

    Not thread-safe: one per grading thread.
    """

    def __init__(self, memory_bytes: int):
        self.memory_bytes = int(memory_bytes)
        self.process: subprocess.Popen | None = None

    def _start(self) -> None:
        root = str(Path(__file__).resolve().parent.parent)
        code = (f"import sys; sys.path.insert(0, {root!r}); "
                f"from course_grader.analysis import serve; serve({self.memory_bytes})")
        self.process = subprocess.Popen([sys.executable, "-I", "-c", code], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, close_fds=True)

    def close(self) -> None:
        if self.process is not None:
            try:
                self.process.kill()
            except OSError:
                pass
            self.process.wait()
            for stream in (self.process.stdin, self.process.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
            self.process = None

    def analyse(self, raw: bytes, request: dict, timeout: float) -> dict:
        """The worker's :func:`analyse_notebook` reply; raises :class:`AnalysisFailed`."""
        deadline = time.monotonic() + max(0.0, timeout)
        if self.process is None or self.process.poll() is not None:
            self.close()
            self._start()
        header = json.dumps({**request, "size": len(raw)}).encode()
        outgoing = memoryview(_HEADER.pack(len(header)) + header + raw)
        incoming = bytearray()
        expected = None
        out_fd, in_fd = self.process.stdin.fileno(), self.process.stdout.fileno()
        os.set_blocking(out_fd, False)
        try:
            while expected is None or len(incoming) < expected + 8:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AnalysisFailed(f"static analysis took longer than {timeout:.3g} s")
                writers = [out_fd] if outgoing else []
                readable, writable, _ = select.select([in_fd], writers, [], min(left, 1.0))
                if writable:
                    try:
                        sent = os.write(out_fd, outgoing[: 1 << 20])
                    except BlockingIOError:
                        sent = 0
                    outgoing = outgoing[sent:]
                if readable:
                    chunk = os.read(in_fd, 1 << 20)
                    if not chunk:
                        raise AnalysisFailed(self._death())
                    incoming += chunk
                    if expected is None and len(incoming) >= 8:
                        expected = _HEADER.unpack(bytes(incoming[:8]))[0]
                        if expected > _MAX_REPLY:
                            raise AnalysisFailed("static analysis produced an oversized result")
        except AnalysisFailed:
            self.close()
            raise
        except OSError:
            why = self._death()
            self.close()
            raise AnalysisFailed(why) from None
        reply = json.loads(bytes(incoming[8:8 + expected]))
        if reply.get("failed"):
            self.close()
            what = "memory" if reply["failed"] == "memory" else "nesting depth"
            limit = f" ({self.memory_bytes / 1024**2:.0f} MB)" if what == "memory" else ""
            raise AnalysisFailed(f"static analysis ran out of {what}{limit}")
        return reply

    def _death(self) -> str:
        code = self.process.poll() if self.process is not None else None
        if code is not None and code < 0 and -code == signal.SIGKILL:
            return "static analysis was killed (out of memory?)"
        return f"static analysis stopped unexpectedly (exit status {code})"

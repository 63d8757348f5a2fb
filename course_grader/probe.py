"""The grader's agent inside a student's kernel: call the student's code, send results out.

The grader sends this file's *source* to every fresh kernel before the first
student cell runs (it is never imported there) and then calls :func:`install`.
The agent calls answers with the course's one answer runner
(:func:`course_lib.checks.answers.make_answer_runner`, the code the learner's
``check`` uses), made at that moment.  Everything the agent needs -- the runner,
``json``, ``base64``, ``numpy.save``/``load``, ``sys.stdout`` and the
builtins it uses -- is bound in closures then, so a
student cell that later patches those modules (course_lib's included) does not
change how answers are called, encoded or sent.  It also puts the working
directory on ``sys.path``, as Jupyter does.

What the agent sends is only ever *what the student's code returned* (or the
exception it raised), as JSON tagged with the run's nonce.  ``run`` keeps it,
and the grader reads it back with ``last()`` as a user expression of the same
execute request: it travels in the reply on the shell channel, never on the
output channel a student's code can flood (and anything published there with
the grader's MIME type :data:`MIME` is a forgery).  The grader decides pass or
fail in its own process; a kernel that has been tampered with can at worst
misreport its own answers, and anything that stops the answer coming back
scores zero.

Wire format of a value (see :mod:`course_grader.wire` for the decoder):
``None``/bool/int/float/str as themselves, a list as a JSON list, and
``{"__ndarray__": base64 .npy}``, ``{"__tuple__": [...]}``,
``{"__dict__": [[key, value], ...]}``, ``{"__set__": [...]}``,
``{"__ellipsis__": true}``, ``{"__unsupported__": type name}`` otherwise.
Per case the agent sends ``{"returned": value}``, ``{"raised": {type, module,
message}}`` or ``{"mutated": argument name}`` (the function changed an input
in place), mirroring what the learner's ``check`` does in-process.  Arrays are written with
``allow_pickle=False``; nothing is ever pickled.
"""

MIME = "text/x-course-grader"
MAX_RESULT_BYTES = 8_000_000


def install(nonce, mime=MIME, max_bytes=MAX_RESULT_BYTES):  # noqa: C901 - one closure on purpose
    """Bind the agent to this kernel under ``sys.modules['_course_grader_<nonce>']``."""
    import base64
    import builtins
    import io
    import json
    import sys
    import types

    import numpy as np
    from IPython import get_ipython

    from course_lib.checks.answers import make_answer_runner
    from course_lib.checks.records import InputMutated

    runner = make_answer_runner()  # the learner's check calls answers with the same code
    call_answer, is_stub = runner.call, runner.is_stub

    shell = get_ipython()
    namespace = shell.user_ns
    stdout, stderr = sys.stdout, sys.stderr
    kept = [None]  # the last answer, until the grader reads it
    save, load = np.save, np.load
    ndarray, generic = np.ndarray, np.generic
    b64encode, b64decode = base64.b64encode, base64.b64decode
    dumps, loads = json.dumps, json.loads
    BytesIO = io.BytesIO
    isinstance_, type_, len_, str_, getattr_, setattr_, callable_ = (
        builtins.isinstance, builtins.type, builtins.len, builtins.str, builtins.getattr, builtins.setattr,
        builtins.callable,
    )
    bool_, int_, float_, list_, tuple_, dict_, set_, frozenset_, sorted_ = (
        builtins.bool, builtins.int, builtins.float, builtins.list, builtins.tuple, builtins.dict,
        builtins.set, builtins.frozenset, builtins.sorted,
    )
    Exception_, SystemExit_, NotImplementedError_ = (
        builtins.Exception, builtins.SystemExit, builtins.NotImplementedError,
    )
    if "" not in sys.path:  # the working directory is importable, as in Jupyter (%%writefile helper.py)
        sys.path.insert(0, "")

    class TooLarge(Exception_):
        pass

    def encode(value, budget, depth=0):
        if depth > 20:
            raise TooLarge("nested more than 20 levels deep")
        if value is None or isinstance_(value, (bool_, str_)):
            budget[0] -= len_(value) if isinstance_(value, str_) else 1
            if budget[0] < 0:
                raise TooLarge("result too large")
            return value
        if isinstance_(value, (int_, float_)):
            budget[0] -= 8
            return int_(value) if isinstance_(value, int_) else float_(value)
        if value is Ellipsis:
            return {"__ellipsis__": True}
        if isinstance_(value, generic):
            return encode(value.item(), budget, depth + 1)
        if isinstance_(value, ndarray):
            if value.dtype.hasobject or value.nbytes > budget[0]:
                if value.dtype.hasobject:
                    return {"__unsupported__": "numpy array of Python objects"}
                raise TooLarge("result too large")
            buffer = BytesIO()
            save(buffer, value, allow_pickle=False)
            text = b64encode(buffer.getvalue()).decode("ascii")
            budget[0] -= len_(text)
            return {"__ndarray__": text}
        if isinstance_(value, (list_, tuple_)):
            if len_(value) > 1_000_000:
                raise TooLarge("result too large")
            items = [encode(item, budget, depth + 1) for item in value]
            return {"__tuple__": items} if isinstance_(value, tuple_) else items
        if isinstance_(value, dict_):
            return {"__dict__": [[str_(k), encode(v, budget, depth + 1)] for k, v in value.items()]}
        if isinstance_(value, (set_, frozenset_)):
            if len_(value) > 1_000_000:
                raise TooLarge("result too large")
            items = [encode(item, budget, depth + 1) for item in value]
            try:
                items = sorted_(items)
            except Exception_:
                pass
            return {"__set__": items}
        return {"__unsupported__": type_(value).__name__}

    def decode(obj):
        if isinstance_(obj, list_):
            return [decode(item) for item in obj]
        if isinstance_(obj, dict_):
            if "__ndarray__" in obj:
                return load(BytesIO(b64decode(obj["__ndarray__"])), allow_pickle=False)
            if "__tuple__" in obj:
                return tuple_(decode(item) for item in obj["__tuple__"])
            if "__dict__" in obj:
                return {k: decode(v) for k, v in obj["__dict__"]}
        return obj

    def raised(exc):
        kind = type_(exc)
        try:
            message = str_(exc)
        except Exception_:
            message = "<exception message could not be shown>"
        return {"raised": {"type": kind.__name__, "module": kind.__module__, "message": message[:2000]}}

    def returned(value, budget):
        try:
            return {"returned": encode(value, budget)}
        except TooLarge as exc:
            return {"raised": {"type": "ValueError", "module": "builtins", "message": str_(exc)}}

    def call(fn, case, budget):
        got = call_answer(fn, decode(case["args"]), decode(case["kwargs"]))
        if isinstance_(got, InputMutated):
            return {"mutated": str_(got.argument)}
        if isinstance_(got, (Exception_, SystemExit_)):
            return raised(got)
        return returned(got, budget)

    def run(request):
        """Answer one grader request: a base64 JSON ``{task, kind, symbol, cases}``."""
        req = loads(b64decode(request))
        budget = [max_bytes]
        if req["symbol"] not in namespace:
            answer = {"missing": True}
        else:
            target = namespace[req["symbol"]]
            if target is Ellipsis or (req["kind"] == "function" and is_stub(target)):
                results = [raised(NotImplementedError_("not yet attempted")) for _ in req["cases"]]
            elif req["kind"] == "value":
                results = [returned(target, budget)]
            else:
                results = [call(target, case, budget) for case in req["cases"]]
            answer = {"missing": False, "results": results}
        answer.update(nonce=nonce, task=req["task"])
        kept[0] = dumps(answer)

    def last():
        """The answer of the last ``run`` (read once), for the grader's user expression."""
        answer, kept[0] = kept[0], None
        return answer

    def repair_streams(*_):
        """After each cell: a student's ``sys.stdout = None`` would leave the kernel unable to reply."""
        for name, original in (("stdout", stdout), ("stderr", stderr)):
            stream = getattr_(sys, name, None)
            if not (callable_(getattr_(stream, "write", None)) and callable_(getattr_(stream, "flush", None))):
                setattr_(sys, name, original)

    shell.events.register("post_run_cell", repair_streams)
    sys.modules["_course_grader_" + nonce] = types.SimpleNamespace(run=run, last=last)

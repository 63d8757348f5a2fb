"""The instructors' grader: a folder of submitted notebooks -> grades, feedback and a class report.

Run it as ``python -m course_grader SUBMISSIONS --out OUT`` (see :mod:`course_grader.cli` and
docs/grading.md).  Modules, in the order a submission meets them:

- :mod:`~course_grader.batch` - find submissions, grade them in parallel, write the results;
- :mod:`~course_grader.submissions` - find notebooks and read them without following links;
- :mod:`~course_grader.analysis` - the bounded worker that reads a notebook before it runs:
  :mod:`~course_grader.notebook` (cells), :mod:`~course_grader.transform` (what runs),
  :mod:`~course_grader.references`, :mod:`~course_grader.writes` (static flags) and
  :mod:`~course_grader.similarity` (normalised answer hashes);
- :mod:`~course_grader.hidden` - the per-run secret seed, the graded inputs, what counts as a reference;
- :mod:`~course_grader.runner` - one submission: cells, then one probe per task, judged here;
- :mod:`~course_grader.kernel` - the sandboxed kernel process and its messaging;
- :mod:`~course_grader.containment` - memory and process limits on a kernel and all its children;
- :mod:`~course_grader.users` - a fresh unprivileged user per submission;
- :mod:`~course_grader.zygote` / :mod:`~course_grader.factory` - the kernel factory that forks
  kernels from one preloaded process, and the grader's client for it;
- :mod:`~course_grader.sandbox` - limits, unprivileged user, network namespace and Landlock, applied in the kernel;
- :mod:`~course_grader.probe` / :mod:`~course_grader.wire` - the two halves of the result channel;
- :mod:`~course_grader.grades`, :mod:`~course_grader.feedback`, :mod:`~course_grader.html_report`
  - grades.csv, grades_by_task.csv, feedback files and report.html;
- :mod:`~course_grader.names` - odd bytes in names; :mod:`~course_grader.progress` - the progress bar.

Importing this package is cheap: the names below are loaded on first use.
"""

__all__ = [
    "grade_submissions",
    "find_submissions",
    "default_registry",
    "BatchReport",
    "Submission",
    "SubmissionResult",
    "TaskResult",
    "Limits",
]

_WHERE = {
    "grade_submissions": "batch", "default_registry": "batch", "BatchReport": "batch",
    "find_submissions": "submissions", "Submission": "submissions",
    "SubmissionResult": "runner", "TaskResult": "runner", "Limits": "kernel",
}


def __getattr__(name):
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""The instructors' grader: a folder of submitted notebooks -> grades.csv and feedback.

Run it as ``python -m course_grader SUBMISSIONS --out OUT`` (see
:mod:`course_grader.cli`).  Modules, in the order a submission meets them:

- :mod:`~course_grader.batch` - find submissions, grade them in parallel, write the results;
- :mod:`~course_grader.notebook` - read a notebook defensively, choose the cells to run;
- :mod:`~course_grader.source_checks` - static flags (reference use, writes outside);
- :mod:`~course_grader.runner` - one submission: cells, then one probe per task, judged here;
- :mod:`~course_grader.kernel` - the sandboxed kernel process and its messaging;
- :mod:`~course_grader.zygote` / :mod:`~course_grader.factory` - the kernel factory that forks
  kernels from one preloaded process, and the grader's client for it;
- :mod:`~course_grader.sandbox` - limits, unprivileged user and Landlock, applied in the kernel;
- :mod:`~course_grader.probe` / :mod:`~course_grader.wire` - the two halves of the
  result channel (JSON and ``.npy``, never pickle);
- :mod:`~course_grader.report` - grades.csv and feedback files;
- :mod:`~course_grader.progress` - the progress bar.
"""

from .batch import BatchReport, Submission, default_registry, find_submissions, grade_submissions
from .kernel import Limits
from .runner import SubmissionResult, TaskResult

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

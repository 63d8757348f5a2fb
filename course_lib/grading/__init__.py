"""The instructors' grader: a folder of submitted notebooks -> grades.csv and feedback.

Run it as ``python -m course_lib.grade SUBMISSIONS --out OUT`` (see
:mod:`course_lib.grade`).  Modules, in the order a submission meets them:

- :mod:`~course_lib.grading.batch` - find submissions, grade them in parallel, write the results;
- :mod:`~course_lib.grading.notebook` - read a notebook defensively, choose the cells to run;
- :mod:`~course_lib.grading.source_checks` - static flags (reference use, writes outside);
- :mod:`~course_lib.grading.runner` - one submission: cells, then one probe per task, judged here;
- :mod:`~course_lib.grading.kernel` - the sandboxed kernel process and its messaging;
- :mod:`~course_lib.grading.zygote` / :mod:`~course_lib.grading.factory` - the kernel factory that forks
  kernels from one preloaded process, and the grader's client for it;
- :mod:`~course_lib.grading.sandbox` - limits, unprivileged user and Landlock, applied in the kernel;
- :mod:`~course_lib.grading.probe` / :mod:`~course_lib.grading.wire` - the two halves of the
  result channel (JSON and ``.npy``, never pickle);
- :mod:`~course_lib.grading.report` - grades.csv and feedback files;
- :mod:`~course_lib.grading.progress` - the progress bar.
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

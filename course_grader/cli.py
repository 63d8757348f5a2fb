"""Grade a folder of exercise notebooks: ``python -m course_grader SUBMISSIONS --out OUT``.

``SUBMISSIONS/<student id>/<exercise>.ipynb`` (nbgrader's layout; one more
folder level, ``<student id>/<assignment>/``, is accepted too) becomes
``OUT/grades.csv`` -- one row per student and exercise: ``student, exercise``,
one column of points per task, ``total, max, flags`` -- and
``OUT/feedback/<student>/<exercise>.md``.  Each submission runs in its own
sandboxed kernel; the grades are decided in this process.  Exit status 0 when
every submission got a row (zeros included), 2 on a usage error, 130 when
interrupted (Ctrl-C: nothing is written).
"""

from __future__ import annotations

import argparse
import os
import sys

from .batch import grade_submissions
from .kernel import Limits

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    defaults = Limits()
    parser = argparse.ArgumentParser(
        prog="python -m course_grader",
        description="Grade a folder of submitted exercise notebooks into grades.csv and feedback files.",
    )
    parser.add_argument("submissions", help="folder holding <student id>/<exercise>.ipynb")
    parser.add_argument("--out", required=True, help="output folder for grades.csv and feedback/")
    parser.add_argument("--workers", type=int, default=None,
                        help="submissions graded at once (default: number of CPU cores)")
    parser.add_argument("--cell-timeout", type=float, default=defaults.cell_seconds,
                        help="seconds per notebook cell (default %(default)g)")
    parser.add_argument("--task-timeout", type=float, default=defaults.task_seconds,
                        help="seconds to run one task's checks (default %(default)g)")
    parser.add_argument("--notebook-timeout", type=float, default=defaults.notebook_seconds,
                        help="seconds per submission, all included (default %(default)g)")
    parser.add_argument("--memory", type=int, default=defaults.memory_bytes // 1024**2,
                        help="memory limit per kernel in MB (default %(default)d)")
    parser.add_argument("--no-fork-server", "--no-preload", dest="no_preload", action="store_true",
                        help="start every kernel as a new interpreter instead of forking it from a "
                             "preloaded fork server: what happens anyway on macOS or where the fork "
                             "server cannot start (slower; the grades are the same)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not os.path.isdir(args.submissions):
        parser.error(f"SUBMISSIONS must be a folder; got {args.submissions!r}")
    for name in ("workers", "cell_timeout", "task_timeout", "notebook_timeout", "memory"):
        value = getattr(args, name)
        if value is not None and value <= 0:
            parser.error(f"--{name.replace('_', '-')} must be positive; got {value}")
    limits = Limits(
        cell_seconds=args.cell_timeout,
        task_seconds=args.task_timeout,
        notebook_seconds=args.notebook_timeout,
        memory_bytes=args.memory * 1024**2,
    )
    try:
        report = grade_submissions(args.submissions, args.out, workers=args.workers, limits=limits,
                                   preload=not args.no_preload, stream=None if args.quiet else sys.stderr)
    except KeyboardInterrupt:
        print("\ninterrupted: grades.csv was not written (an earlier one, if any, is unchanged)", file=sys.stderr)
        return 130
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())

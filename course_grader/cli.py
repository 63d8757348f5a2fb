"""Grade a folder of exercise notebooks: ``python -m course_grader SUBMISSIONS --out OUT [--roster FILE]``.

``SUBMISSIONS/<student id>/<exercise>.ipynb`` (nbgrader's layout; one more folder level,
``<student id>/<assignment>/``, is accepted too) becomes, in ``OUT``: ``grades.csv`` (one row per
student: a column per exercise, ``total``, ``max``, ``pending``, ``flags``),
``grades_by_task.csv`` (one row per notebook, a column per task), ``feedback/<student>/<exercise>.md``,
``report.html`` and ``run.json``.  Each submission runs in its own sandboxed kernel; the grades are
decided in this process.  Exit status 0 when every submission got a row (zeros included), 2 on a
usage error (one line on stderr), 130 when interrupted (Ctrl-C: nothing is written).

The graded inputs come from a secret seed drawn per run; ``COURSE_GRADER_SEED=<int>`` in the
environment reproduces a run (run.json holds the seed).  It is never a command-line argument: any
process on the machine can read command lines.
"""

from __future__ import annotations

import argparse
import os
import sys

from .batch import grade_submissions
from .grades import read_roster
from .hidden import new_seed
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
                        help="memory limit per kernel, with all its children, in MB (default %(default)d)")
    parser.add_argument("--analysis-timeout", type=float, default=defaults.analysis_seconds,
                        help="seconds to read and analyse a notebook before running it (default %(default)g; "
                             "part of the notebook's time)")
    parser.add_argument("--roster", metavar="FILE", default=None,
                        help="student ids, one per line (or a CSV with a 'student' column): each gets a row "
                             "of grades.csv, a missing exercise counting 0 with the flag 'missing'")
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
    for name in ("workers", "cell_timeout", "task_timeout", "notebook_timeout", "memory", "analysis_timeout"):
        value = getattr(args, name)
        if value is not None and value <= 0:
            parser.error(f"--{name.replace('_', '-')} must be positive; got {value}")
    try:
        os.makedirs(args.out, mode=0o700, exist_ok=True)
        writable = os.path.isdir(args.out) and os.access(args.out, os.W_OK | os.X_OK)
    except OSError:
        writable = False
    if not writable:
        parser.error(f"--out must be a folder this user can write to; got {args.out!r}")
    roster = None
    if args.roster is not None:
        try:
            roster = read_roster(args.roster)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            parser.error(f"--roster must be a readable text file of student ids; got {args.roster!r} "
                         f"({getattr(exc, 'strerror', None) or exc})")
    try:
        seed = new_seed()
    except ValueError as exc:
        parser.error(str(exc))
    limits = Limits(
        cell_seconds=args.cell_timeout,
        task_seconds=args.task_timeout,
        notebook_seconds=args.notebook_timeout,
        memory_bytes=args.memory * 1024**2,
        analysis_seconds=args.analysis_timeout,
    )
    try:
        report = grade_submissions(args.submissions, args.out, workers=args.workers, limits=limits,
                                   preload=not args.no_preload, stream=None if args.quiet else sys.stderr,
                                   roster=roster, seed=seed)
    except KeyboardInterrupt:
        print("\ninterrupted: grades.csv was not written (an earlier one, if any, is unchanged)", file=sys.stderr)
        return 130
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())

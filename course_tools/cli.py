"""``python -m course_tools <command>``: the notebook chores behind ``make tidy/refresh/exercises/site``.

Commands
--------
tidy [--check] PATHS...
    Rewrite notebooks (files, or folders searched recursively) in canonical form.  With
    ``--check`` nothing is written: exit 1 and list each untidy notebook with the reasons.
refresh [--timeout S] PATHS...
    Execute each notebook in its folder and store the text outputs of ``# NBVAL_CHECK_OUTPUT``
    cells, in canonical form.  Exit 1 if a notebook fails (it is then left untouched) or stores
    output nbval cannot match.
exercises [--check] [--root DIR]
    Write ``exercises/NN_topic.ipynb`` (learner version) for every
    ``exercises/solutions/NN_topic.ipynb``.  With ``--check``: exit 1 if any learner version is
    missing, out of date, or has no solution.
site [--out DIR] [--root DIR] [--jobs N] [--timeout S] [--title TEXT] [--binder-url URL]
    Build the static HTML site with Sphinx (executed lessons, unexecuted learner exercises, an
    index, a sidebar, offline search and math).  Needs the ``[site]`` extra; exit 1 if a lesson
    raised, a figure has no description or a page would load anything from another host.
site-check [SITE] [--query WORD]
    Open every page of a built site in headless Chromium with every request to another host
    blocked: math set, images loaded with alt text, search answering.  Needs Chromium and the
    ``[browser]`` extra.
workspace DIR [--root DIR]
    Copy README.md, the lessons and the learner exercises into DIR (the learner's own copy that
    ``make lab`` opens), never overwriting a file that is already there.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .canonical import file_problems, notebook_text, read_notebook, tidy_notebook, write_notebook
from .learner import learner_version

__all__ = ["main", "find_notebooks"]


def find_notebooks(paths) -> list[Path]:
    """Notebook files named by ``paths``: files as given, folders searched recursively.

    Checkpoints (``.ipynb_checkpoints``) and hidden folders are skipped.

    Raises
    ------
    FileNotFoundError
        If a path does not exist.
    """
    found = []
    for name in paths:
        path = Path(name)
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            for candidate in sorted(path.rglob("*.ipynb")):
                parts = candidate.relative_to(path).parts
                if not any(part.startswith(".") for part in parts):
                    found.append(candidate)
        else:
            raise FileNotFoundError(f"no such notebook or folder: {name}")
    return sorted(dict.fromkeys(found))


def _tidy(args) -> int:
    notebooks = find_notebooks(args.paths)
    untidy = 0
    for path in notebooks:
        reasons = file_problems(path)
        if not reasons:
            continue
        if args.check:
            untidy += 1
            print(f"{path}: not tidy")
            for reason in reasons:
                print(f"    {reason}")
        else:
            write_notebook(tidy_notebook(read_notebook(path)), path)
            print(f"tidied {path}")
    if args.check:
        if untidy:
            print(f"{untidy} of {len(notebooks)} notebook(s) not tidy: run  python -m course_tools tidy PATHS")
            return 1
        print(f"{len(notebooks)} notebook(s) tidy")
    return 0


def _refresh(args) -> int:
    from nbclient.exceptions import CellExecutionError

    from .execute import refresh_notebook

    failed = 0
    for path in find_notebooks(args.paths):
        print(f"refreshing {path} ...", flush=True)
        try:
            changed, problems = refresh_notebook(path, timeout=args.timeout)
        except CellExecutionError as error:
            failed += 1
            print(f"FAILED {path} (left untouched):\n{error}", file=sys.stderr)
            continue
        print(f"    {'updated' if changed else 'unchanged'}")
        if problems:
            failed += 1
            for problem in problems:
                print(f"    problem: {problem}", file=sys.stderr)
    return 1 if failed else 0


def _exercises(args) -> int:
    root = Path(args.root)
    solutions_dir = root / "exercises" / "solutions"
    if not solutions_dir.is_dir():
        print(f"no {solutions_dir}/ folder: run from the repository root or pass --root", file=sys.stderr)
        return 2
    solutions = sorted(solutions_dir.glob("*.ipynb"))
    problems = 0
    for solution in solutions:
        target = root / "exercises" / solution.name
        try:
            learner = learner_version(read_notebook(solution))
        except ValueError as error:
            problems += 1
            print(f"{solution}: {error}", file=sys.stderr)
            continue
        if args.check:
            if not target.exists():
                problems += 1
                print(f"{target}: missing")
            elif target.read_text(encoding="utf-8") != notebook_text(learner):
                problems += 1
                print(f"{target}: out of date with {solution}")
        elif write_notebook(learner, target):
            print(f"wrote {target}")
    orphans = sorted({p.name for p in (root / "exercises").glob("*.ipynb")} - {p.name for p in solutions})
    for name in orphans:
        print(f"{root / 'exercises' / name}: no solution exercises/solutions/{name} to generate it from")
    if args.check:
        problems += len(orphans)
        if problems:
            print("learner exercises are out of date: run  python -m course_tools exercises")
            return 1
        print(f"{len(solutions)} learner exercise(s) up to date")
    return 1 if problems else 0


def _site(args) -> int:
    from .site import MissingSiteDependency, build_site

    try:
        index, errors = build_site(
            args.root, args.out, jobs=args.jobs, timeout=args.timeout, title=args.title,
            binder_url=args.binder_url, repository_url=args.repository_url,
        )
    except MissingSiteDependency as missing:
        print(f"error: {missing}", file=sys.stderr)
        return 2
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    print(f"site written: open {index.resolve()}" + (f" ({len(errors)} error(s) above)" if errors else ""))
    return 1 if errors else 0


def _site_check(args) -> int:
    from .site.browser import MissingBrowser, check_site_in_browser

    try:
        seen = check_site_in_browser(args.site, query=args.query)
    except MissingBrowser as missing:
        print(f"error: {missing}", file=sys.stderr)
        return 2
    for problem in seen.problems:
        print(f"problem: {problem}", file=sys.stderr)
    for url in seen.blocked:
        print(f"requested from another host (blocked): {url}", file=sys.stderr)
    print(
        f"{seen.pages} page(s) opened in headless Chromium with the network off: "
        f"{len(seen.problems)} problem(s), {len(seen.blocked)} request(s) to other hosts, "
        f"search for {args.query!r}: {seen.search_hits} result(s)"
    )
    failed = len(seen.failed_pages) + (0 if seen.search_hits else 1)
    print(f"site-check: {seen.pages + 1 - failed} passed, {failed} failed")  # pages, and the search
    return 1 if seen.problems or seen.blocked or failed else 0


def _workspace(args) -> int:
    from .workspace import make_workspace

    copied = make_workspace(args.root, args.target)
    target = Path(args.target)
    if copied:
        print(f"copied {len(copied)} file(s) into {target}/ (your own copy: the course's files stay untouched)")
    else:
        print(f"{target}/ is up to date with your work (delete a file there to get the course's new version)")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m course_tools",
        description="Keep course notebooks canonical, generate learner exercises, refresh outputs, build the site.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    tidy = commands.add_parser("tidy", help="rewrite notebooks in canonical form (or --check)")
    tidy.add_argument("--check", action="store_true", help="write nothing; exit 1 listing untidy notebooks")
    tidy.add_argument("paths", nargs="+", help="notebooks or folders (searched recursively)")
    tidy.set_defaults(run=_tidy)

    refresh = commands.add_parser("refresh", help="execute notebooks and store the marked text outputs")
    refresh.add_argument("paths", nargs="+", help="notebooks or folders (searched recursively)")
    refresh.add_argument("--timeout", type=float, default=300, help="seconds per cell (default 300)")
    refresh.set_defaults(run=_refresh)

    exercises = commands.add_parser("exercises", help="generate learner exercises from exercises/solutions/")
    exercises.add_argument("--check", action="store_true", help="write nothing; exit 1 if any is out of date")
    exercises.add_argument("--root", default=".", help="repository root (default: current folder)")
    exercises.set_defaults(run=_exercises)

    site = commands.add_parser("site", help="build the static HTML site")
    site.add_argument("--out", default="_site", help="output folder (default _site)")
    site.add_argument("--root", default=".", help="repository root (default: current folder)")
    site.add_argument(
        "--jobs", type=int, default=min(2, os.cpu_count() or 1), help="lessons executed in parallel (default 2)"
    )
    site.add_argument("--timeout", type=float, default=300, help="seconds per cell (default 300)")
    site.add_argument("--title", default=None, help="course title (default: README's first heading)")
    site.add_argument(
        "--binder-url", default=os.environ.get("BINDER_URL") or None,
        help="https://mybinder.org/v2/gh/OWNER/REPO/BRANCH: widget notes link to Binder (default $BINDER_URL)",
    )
    site.add_argument("--repository-url", default=None, help="the repository's web address (a button on every page)")
    site.set_defaults(run=_site)

    check = commands.add_parser("site-check", help="open the built site in headless Chromium, network off")
    check.add_argument("site", nargs="?", default="_site", help="the built site (default _site)")
    check.add_argument("--query", default="lasso", help="a word the search must find (default lasso)")
    check.set_defaults(run=_site_check)

    workspace = commands.add_parser("workspace", help="copy the learner files into your own folder")
    workspace.add_argument("target")
    workspace.add_argument("--root", default=".")
    workspace.set_defaults(run=_workspace)
    return parser


def main(argv=None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except (FileNotFoundError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

"""Grading throughput: ``python -m course_grader`` against ``nbgrader autograde``, same run.

Speed target (issue 11): at least 5 times nbgrader's submissions per second on this machine
(2 cores; nbgrader autograde grades one submission at a time) with every protection of the
grader on -- a fresh user, network namespace and cgroup per kernel, the bounded static-analysis
worker, output caps, graded inputs drawn per run.  ``--compare-tree PATH`` also times another
source tree of the grader (e.g. ``git archive <commit> course_lib course_grader`` of a version
without those protections) in the same run, on the same files.

What is timed.  50 generated submissions of exercise 03_l2_ridge, seeded: about half
correct, a third partly wrong (a missing 1/2, no weight decay, a penalized intercept,
uncentered shrinkage factors), the rest broken (a syntax error, an exception in a cell,
the untouched template).  Both graders get the *same* notebook files: nbgrader-format
cells (solution cells; locked, graded test cells ``assert check("task", task)``), which
our grader reads as it reads the course's own exercises.  Each grader runs as one shell
command over the whole folder, start-up included, timed by wall clock:

* ours: ``python -m course_grader SUBMISSIONS --out OUT --quiet`` (workers = cores);
* nbgrader: ``nbgrader autograde ps03 --create --force`` in an nbgrader course folder
  (``source/``, ``submitted/<student>/ps03/``, ``nbgrader_config.py``, gradebook made by
  ``generate_assignment`` beforehand, not timed).  Its kernels run the course's own Python
  (a kernelspec pointing at this venv), so both execute the same numpy and course_lib.

nbgrader is never a course dependency: it is installed on first use into
``.bench-envs/nbgrader`` (``python -m venv`` + ``pip install nbgrader``; gitignored).  If
that fails the reason is printed and only our figure is reported.  As a sanity check the
number of full-mark submissions is printed for both graders (they should agree).

Run: ``.venv/bin/python bench/bench_grade.py [--submissions 50] [--repeats 1] [--no-preload]
[--compare-tree PATH]``.  Timings only print; nothing here fails a build.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "grader"))

from sample_submissions import SETUP, SOLUTIONS, cell, code, stub  # noqa: E402  (shared with tests/grader/grading_corpus.py)
NBGRADER_ENV = ROOT / ".bench-envs" / "nbgrader"
EXERCISE = "ex03_l2_ridge"
ASSIGNMENT = "ps03"
KERNEL_NAME = "course-bench"

MISTAKES = {
    "l2_penalty": "def l2_penalty(w, rate):\n    return rate * float(np.sum(np.asarray(w) ** 2))",
    "weight_decay_step": "def weight_decay_step(w, grad_loss, lr, rate):\n    return w - lr * grad_loss",
    "fit_ridge": textwrap.dedent("""
        def fit_ridge(X, y, rate):
            n, p = X.shape
            X1 = np.column_stack([np.ones(n), X])
            theta = np.linalg.solve(X1.T @ X1 + n * rate * np.eye(p + 1), X1.T @ y)
            return theta[1:], theta[0]""").strip(),
    "ridge_shrinkage_factors": textwrap.dedent("""
        def ridge_shrinkage_factors(X, rate):
            d = np.linalg.svd(X, compute_uv=False)
            return d**2 / (d**2 + X.shape[0] * rate)""").strip(),
}


def _tasks():
    from course_lib.checks import tasks_for

    return tasks_for(EXERCISE)


def exercise_notebook(answers: dict, extra_cells=(), solution_markers=False) -> dict:
    """The exercise in nbgrader format, with ``answers`` (task name -> source) in the solution cells."""
    cells = [cell("markdown", f"# {EXERCISE}"), cell("code", SETUP[EXERCISE])]
    cells += [cell("code", source) for source in extra_cells]
    for task in _tasks():
        if task.kind == "written":  # a Markdown answer graded by hand: nothing to time
            continue
        source = answers[task.name]
        if solution_markers:
            source = f"### BEGIN SOLUTION\n{source}\n### END SOLUTION"
        cells.append(cell("markdown", f"## {task.description}"))
        cells.append(cell("code", source, {"solution": True, "grade": False, "locked": False,
                                            "grade_id": f"answer_{task.name}", "schema_version": 3}))
        cells.append(cell("code", f'assert check("{task.name}", {task.symbol})',
                           {"solution": False, "grade": True, "locked": True, "points": task.points,
                            "grade_id": f"check_{task.name}", "schema_version": 3}))
    return {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": KERNEL_NAME, "display_name": "course", "language": "python"},
                         "language_info": {"name": "python"}}}


def submissions(count: int, seed: int = 0):
    """``count`` (student id, notebook, kind) triples: correct, partial or broken."""
    rng = np.random.default_rng(seed)
    solutions = {name: code(src) for name, src in SOLUTIONS[EXERCISE].items()}
    out = []
    for i in range(count):
        answers = dict(solutions)
        extra = []
        draw = rng.random()
        if draw < 0.5:
            kind = "correct"
        elif draw < 0.8:
            kind = "partial"
            for name in rng.choice(sorted(MISTAKES), size=int(rng.integers(1, 3)), replace=False):
                answers[str(name)] = MISTAKES[str(name)]
        else:
            kind = "broken"
            how = int(rng.integers(3))
            if how == 0:
                answers["l2_gradient"] = "def l2_gradient(w, rate)\n    return rate * w"
            elif how == 1:
                extra = ["undefined_name + 1"]
            else:
                answers = {t.name: stub(t) for t in _tasks()}
        out.append((f"student{i:03d}", exercise_notebook(answers, extra), kind))
    return out


def _write(path: Path, notebook: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")


# -- ours ---------------------------------------------------------------------


def run_ours(subs_dir: Path, out_dir: Path, workers: int, preload: bool = True,
             tree: Path | None = None) -> tuple[float, int]:
    """Wall time of one grading command, and how many submissions got full marks.

    ``tree``: a source tree of another version of the grader and course_lib, put first on PYTHONPATH.
    """
    command = [sys.executable, "-m", "course_grader", str(subs_dir), "--out", str(out_dir), "--quiet",
               "--workers", str(workers)] + ([] if preload else ["--no-preload"])
    env = {**os.environ, "PYTHONPATH": str(tree)} if tree is not None else None
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env, cwd=str(tree or ROOT))
    seconds = time.perf_counter() - started
    table = out_dir / "grades_by_task.csv"
    with open(table if table.exists() else out_dir / "grades.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    full = sum(float(row["total"]) == float(row["max"]) - float(row.get("pending") or 0) for row in rows)
    return seconds, full


# -- nbgrader -----------------------------------------------------------------


def ensure_nbgrader() -> tuple[Path | None, str]:
    """Path of the ``nbgrader`` command in its own venv, installing it if needed; or (None, why)."""
    command = NBGRADER_ENV / "bin" / "nbgrader"
    if command.exists():
        return command, ""
    try:
        subprocess.run([sys.executable, "-m", "venv", str(NBGRADER_ENV)], check=True, capture_output=True)
        subprocess.run([str(NBGRADER_ENV / "bin" / "python"), "-m", "pip", "install", "--quiet",
                        "--disable-pip-version-check", "nbgrader"], check=True, capture_output=True, timeout=1800)
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        tail = detail.decode(errors="replace").strip().splitlines()[-1:] if detail else []
        return None, f"could not install nbgrader into {NBGRADER_ENV}: {type(exc).__name__} {' '.join(tail)}"
    return (command, "") if command.exists() else (None, "nbgrader installed but its command is missing")


def nbgrader_course(course: Path, subs: list) -> dict:
    """An nbgrader course folder holding ``subs``; returns the environment to run nbgrader in."""
    solution = {name: code(src) for name, src in SOLUTIONS[EXERCISE].items()}
    _write(course / "source" / ASSIGNMENT / f"{EXERCISE}.ipynb", exercise_notebook(solution, solution_markers=True))
    for student, notebook, _ in subs:
        _write(course / "submitted" / student / ASSIGNMENT / f"{EXERCISE}.ipynb", notebook)
    (course / "nbgrader_config.py").write_text(textwrap.dedent(f"""
        c = get_config()
        c.CourseDirectory.root = {str(course)!r}
        c.CourseDirectory.course_id = "bench"
        c.CourseDirectory.db_url = "sqlite:///{course}/gradebook.db"
        c.Execute.timeout = 30
        c.Execute.startup_timeout = 120
    """), encoding="utf-8")
    kernels = course / "jupyter" / "kernels" / KERNEL_NAME
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "course", "language": "python"}), encoding="utf-8")
    path = f"{NBGRADER_ENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"  # nbgrader runs `alembic`
    env = {**os.environ, "PATH": path, "JUPYTER_PATH": str(course / "jupyter"), "MPLBACKEND": "Agg",
           "JUPYTER_CONFIG_DIR": str(course / "jupyter-config"), "JUPYTER_DATA_DIR": str(course / "jupyter-data")}
    return env


def run_nbgrader(command: Path, course: Path, env: dict) -> tuple[float, int]:
    def nbgrader(*args, timed=False):
        started = time.perf_counter()
        done = subprocess.run([str(command), *args], cwd=course, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{done.stderr[-2000:]}")
        return time.perf_counter() - started

    nbgrader("generate_assignment", ASSIGNMENT, "--force")
    seconds = nbgrader("autograde", ASSIGNMENT, "--create", "--force", timed=True)
    nbgrader("export")
    with open(course / "grades.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    full = sum(float(row["score"]) == float(row["max_score"]) for row in rows)
    return seconds, full


# -- main ---------------------------------------------------------------------


def main(count: int = 50, repeats: int = 1, workers: int | None = None, verbose: bool = True,
         no_preload: bool = False, compare_tree: Path | None = None) -> dict:
    """Grade ``count`` submissions with both graders; return the figures.

    Keys: submissions, workers, ours_seconds, ours_rate, ours_full, nbgrader_seconds,
    nbgrader_rate, nbgrader_full, ratio (ours_rate / nbgrader_rate; None without nbgrader),
    note; with ``no_preload`` also no_preload_seconds/no_preload_rate (kernels started as new
    interpreters instead of forked from the preloaded factory); with ``compare_tree`` also
    compare_seconds/compare_rate/compare_full/compare_ratio for that tree.
    """
    workers = workers or len(os.sched_getaffinity(0))
    subs = submissions(count)
    result = {"submissions": count, "workers": workers, "nbgrader_seconds": None, "nbgrader_rate": None,
              "nbgrader_full": None, "ratio": None, "note": ""}
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as tmp:
        tmp = Path(tmp)
        subs_dir = tmp / "submitted"
        for student, notebook, _ in subs:
            _write(subs_dir / student / f"{EXERCISE}.ipynb", notebook)
        command, why = ensure_nbgrader()
        ours, theirs = [], []
        for repeat in range(repeats):
            ours.append(run_ours(subs_dir, tmp / f"out{repeat}", workers))
            if command is not None:
                course = tmp / f"course{repeat}"
                try:
                    theirs.append(run_nbgrader(command, course, nbgrader_course(course, subs)))
                except (OSError, RuntimeError) as exc:
                    why, command = f"nbgrader failed: {exc}", None
        best = min(ours)
        result.update(ours_seconds=best[0], ours_rate=count / best[0], ours_full=best[1])
        if compare_tree is not None:
            other = min(run_ours(subs_dir, tmp / f"tree{r}", workers, tree=compare_tree) for r in range(repeats))
            result.update(compare_seconds=other[0], compare_rate=count / other[0], compare_full=other[1])
        if no_preload:
            seconds = min(run_ours(subs_dir, tmp / f"plain{r}", workers, preload=False)[0] for r in range(repeats))
            result.update(no_preload_seconds=seconds, no_preload_rate=count / seconds)
        if theirs:
            best = min(theirs)
            result.update(nbgrader_seconds=best[0], nbgrader_rate=count / best[0], nbgrader_full=best[1])
            result["ratio"] = result["ours_rate"] / result["nbgrader_rate"]
            if compare_tree is not None:
                result["compare_ratio"] = result["compare_rate"] / result["nbgrader_rate"]
        result["note"] = why
    if verbose:
        kinds = {k: sum(kind == k for *_, kind in subs) for k in ("correct", "partial", "broken")}
        print(f"grading {count} submissions of {EXERCISE} ({kinds['correct']} correct, {kinds['partial']} partial, "
              f"{kinds['broken']} broken); wall time of one command over the folder, best of {repeats}")
        print(f"  ours      ({workers} workers): {result['ours_seconds']:7.2f} s  "
              f"{result['ours_rate']:6.2f} submissions/s  ({result['ours_full']} with full marks)")
        if compare_tree is not None:
            print(f"  {str(compare_tree)[:22]:22s}: {result['compare_seconds']:7.2f} s  "
                  f"{result['compare_rate']:6.2f} submissions/s  ({result['compare_full']} with full marks)")
        if no_preload:
            print(f"  ours, --no-preload    : {result['no_preload_seconds']:7.2f} s  "
                  f"{result['no_preload_rate']:6.2f} submissions/s")
        if result["ratio"] is not None:
            print(f"  nbgrader  (sequential): {result['nbgrader_seconds']:7.2f} s  "
                  f"{result['nbgrader_rate']:6.2f} submissions/s  ({result['nbgrader_full']} with full marks)")
            print(f"  ratio ours/nbgrader: {result['ratio']:.2f}x  (target: at least 5x, every protection on)")
            if compare_tree is not None:
                print(f"  ratio {compare_tree}/nbgrader: {result['compare_ratio']:.2f}x")
        else:
            print(f"  nbgrader: not measured ({result['note']})")
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--no-preload", action="store_true",
                        help="also time our grader with kernels started as new interpreters")
    parser.add_argument("--compare-tree", type=Path, default=None,
                        help="also time the grader of this source tree (holding course_lib/ and course_grader/)")
    args = parser.parse_args()
    main(args.submissions, args.repeats, args.workers, no_preload=args.no_preload, compare_tree=args.compare_tree)

"""The grader on a whole class: honest, broken and hostile notebooks, each with the row it deserves.

Most of the time goes into one module-scoped fixture that grades the corpus of
tests/grader/grading_corpus.py -- every attack class of issue 11 (the run dies, one student reads
another, a faked grade, an unfair zero) next to honest controls -- with the real checks of
exercises 03 and 04; the command line and the kernels-without-fork-server path then grade it again
and must give the same bytes.  Each test asserts one thing about the result.
"""

from __future__ import annotations

import csv
import io
import os
import re
import socket
import sys

import numpy as np
import pytest

from course_lib.checks import tasks_for
from course_grader import grade_submissions
from course_grader.cli import main as grade_main
from course_grader.hidden import graded_cases
from course_grader.names import shown
from grading_corpus import (
    BAD_BYTES_ID, FULL3, FULL4, LINGER_MARKER, MAX_POINTS, POINTS, R3, R4, SECRET, SIMILAR, TEST_LIMITS, build_corpus,
    corpus_specs, written,
)

SEED = 20240611
SIMILARITY = "near-identical answers to "


def _rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        text = handle.read()
    return text, list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from course_grader import users

    root = tmp_path_factory.mktemp("submissions")
    outside = tmp_path_factory.mktemp("outside")
    (outside / "solution").mkdir()
    (outside / "solution" / f"{R3}.ipynb").write_text("{}")
    sentinel = str(outside / "sentinel.txt")
    with open(sentinel, "w") as handle:
        handle.write("untouched")
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.setblocking(False)
    expected = build_corpus(str(root), sentinel, str(outside), listener.getsockname()[1])
    out = tmp_path_factory.mktemp("out")
    given = []
    with pytest.MonkeyPatch.context() as patch:
        real_take = users.UserPool.take

        def take(self):
            user = real_take(self)
            given.append(user.uid)
            return user

        patch.setattr(users.UserPool, "take", take)
        report = grade_submissions(root, out, workers=2, limits=TEST_LIMITS, stream=None, seed=SEED,
                                   roster=["alice", "bob", "carol", "absent"])
    received = []
    try:
        while True:
            received.append(listener.recv(4096))
    except BlockingIOError:
        pass
    listener.close()
    text, rows = _rows(out / "grades_by_task.csv")
    students_text, students = _rows(out / "grades.csv")
    return {"root": root, "out": out, "report": report, "text": text, "sentinel": sentinel,
            "rows": {(r["student"], r["exercise"]): r for r in rows}, "expected": expected,
            "students_text": students_text, "students": {r["student"]: r for r in students},
            "uids": given, "received": received}


def _key(student, exercise):
    return shown(student, controls=False), shown(exercise, controls=False)


ALL_KEYS = [(s, os.path.basename(f)[: -len(".ipynb")]) for s, f, c, p, fl in corpus_specs("/nonexistent")
            if fl is not None and None not in p.values()]


def _flags(row, key) -> list[str]:
    flags = [f for f in row["flags"].split("; ") if f]
    return flags if key in SIMILAR else [f for f in flags if not f.startswith(SIMILARITY)]


@pytest.mark.slow
@pytest.mark.parametrize("key", ALL_KEYS, ids=[f"{shown(s)}/{shown(e)}" for s, e in ALL_KEYS])
def test_row_has_expected_points_and_flags(graded, key):
    row = graded["rows"][_key(*key)]
    task_points, flags = graded["expected"][key]
    if key in SIMILAR:
        flags = flags + [rf"{SIMILARITY}{SIMILAR[key]} \(fit_ridge, l2_penalty, ridge_shrinkage_factors: normalised code, "
                         r"not penalised\)"]
    manual = written(key[1])
    assert all(row[name] == "" for name in manual), "a written answer's points stay empty until graded by hand"
    got = {name: 0 if name in manual else int(row[name]) for name in task_points}
    assert got == task_points
    assert int(row["total"]) == sum(task_points.values())
    assert int(row["max"]) == MAX_POINTS.get(key[1], 0)
    pattern = "; ".join(flags)
    assert re.fullmatch(pattern, "; ".join(_flags(row, key))), f"flags were: {row['flags']!r}"


@pytest.mark.slow
def test_every_notebook_has_exactly_one_row_in_sorted_order(graded):
    keys = list(graded["rows"])
    assert sorted(keys) == sorted(_key(*k) for k in ALL_KEYS)
    assert len(graded["text"].strip().splitlines()) == len(ALL_KEYS) + 1
    assert keys == sorted(keys)


@pytest.mark.slow
def test_task_columns_then_total_max_pending_flags(graded):
    header = graded["text"].splitlines()[0].split(",")
    assert header == ["student", "exercise", *POINTS[R3], *POINTS[R4], "total", "max", "pending", "flags"]
    unknown = graded["rows"][("unknown-file", "notes")]
    assert all(unknown[name] == "" for name in [*POINTS[R3], *POINTS[R4]])
    assert graded["rows"][("alice", R3)]["l1_penalty"] == ""


@pytest.mark.slow
def test_grades_csv_has_one_row_per_student_and_a_column_per_exercise(graded):
    header = graded["students_text"].splitlines()[0].split(",")
    assert header == ["student", R3, R4, "total", "max", "pending", "flags"]
    students = graded["students"]
    full3, full4 = sum(FULL3.values()), sum(FULL4.values())  # written answers: 0 until graded by hand
    assert (students["alice"][R3], students["alice"][R4], students["alice"]["total"], students["alice"]["max"],
            students["alice"]["pending"]) \
        == (str(full3), str(full4), str(full3 + full4), str(MAX_POINTS[R3] + MAX_POINTS[R4]),
            str(MAX_POINTS[R3] + MAX_POINTS[R4] - full3 - full4))
    assert "missing" not in students["alice"]["flags"]
    # bob: 6 + 6 from the two rows of grades_by_task.csv
    assert students["bob"]["total"] == str(int(graded["rows"][("bob", R3)]["total"]) +
                                           int(graded["rows"][("bob", R4)]["total"]))
    # on the roster, nothing handed in: a row of zeros, every exercise missing
    assert (students["absent"][R3], students["absent"][R4], students["absent"]["total"]) == ("0", "0", "0")
    assert students["absent"]["flags"] == f"missing: {R3}; missing: {R4}"
    assert students["carol"]["flags"] == f"missing: {R4}"
    assert "not on the roster" in students["leo"]["flags"]
    assert list(students)[:4] == ["alice", "bob", "carol", "absent"]  # the roster's order first
    assert len(students) == len({k[0] for k in ALL_KEYS}) + 1


@pytest.mark.slow
def test_odd_student_ids_survive_csv_and_get_separate_feedback_folders(graded):
    from grading_corpus import ODD_IDS

    for student in ODD_IDS:
        assert (student, R3) in graded["rows"]
    assert graded["students"][shown(BAD_BYTES_ID, controls=False)][R3] == str(sum(FULL3.values()))
    folders = sorted(os.listdir(graded["out"] / "feedback"))
    assert len(folders) == len({s for s, _ in ALL_KEYS})
    for folder in folders:
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", folder) and ".." not in folder
    assert "alice" in folders and "Alice" not in folders  # case-insensitive file systems


@pytest.mark.slow
def test_the_sentinel_outside_the_sandbox_is_untouched(graded):
    from course_grader.sandbox import landlock_abi

    if landlock_abi() == 0 and os.geteuid() != 0:
        pytest.skip("no Landlock and not root: writes outside the folder cannot be prevented here")
    with open(graded["sentinel"]) as handle:
        assert handle.read() == "untouched"


@pytest.mark.slow
def test_summary_counts(graded):
    report = graded["report"]
    failed = {("corrupt", R3), ("json-list", R3), ("empty-file", R3), ("unknown-file", "notes"),
              ("huge-cell", R3), ("links-solution", R3), ("links-alice", R3), ("links-root-only", R3),
              ("fifo", R3), ("odd-file", os.fsdecode(b"ex03_l2_ridge\xff"))}
    assert {(r.student, r.exercise) for r in report.results if not r.ran} == failed
    summary = report.summary()
    assert f"graded {len(ALL_KEYS)} submissions" in summary
    assert f"{len(failed)} failed to run, {report.flagged} flagged" in summary


@pytest.mark.slow
def test_feedback_has_hints_and_never_graded_inputs_expected_values_secrets_or_classmates(graded):
    path = graded["out"] / "feedback" / "bob" / f"{R3}.md"
    text = path.read_text(encoding="utf-8")
    assert "Score: **5 / 11**" in text  # 9 of 11 for a full answer: 2 are graded by hand
    assert "the 1/2" in text  # the hint aimed at the missing 1/2
    assert "Never penalize b" in text  # the hint for a penalized intercept
    assert "other numbers" in text  # the learner is told the graded inputs are not check's
    fed = " ".join(p.read_text(encoding="utf-8") for p in (graded["out"] / "feedback").rglob("*.md"))
    assert SECRET not in fed  # a kernel's error text never reaches feedback
    assert "twin-b" not in (graded["out"] / "feedback" / "twin-a" / f"{R3}.md").read_text(encoding="utf-8")
    assert "cell 3: ValueError (run the cell to see why)" in \
        (graded["out"] / "feedback" / "echoes" / f"{R3}.md").read_text(encoding="utf-8")
    for task in tasks_for(R3) + tasks_for(R4):
        for case in graded_cases(task, SEED):
            expected = task.expected(case)
            values = [expected] if task.kind == "value" else [*case.args, expected]
            for value in values:
                array = np.asarray(value[0] if isinstance(value, tuple) else value, dtype=object)
                for number in np.atleast_1d(array).ravel()[:20]:
                    # values with 4+ significant decimals; the case labels and tolerances hold simpler ones
                    if isinstance(number, (float, np.floating)) and abs(number) >= 0.01 \
                            and abs(number * 1000 - round(number * 1000)) > 1e-6:
                        assert f"{number:.4f}" not in fed, number


@pytest.mark.slow
def test_a_tabulated_answer_passes_check_but_not_the_grading(graded):
    """The learner's public cases are not the test: the grading drew other numbers."""
    from course_lib.checks import check
    from grading_corpus import tabulated_l2_penalty

    namespace = {"np": np}
    exec(tabulated_l2_penalty(), namespace)
    assert check("l2_penalty", namespace["l2_penalty"])
    assert graded["rows"][("tabulates", R3)]["l2_penalty"] == "0"


@pytest.mark.slow
def test_each_submission_ran_as_a_user_of_its_own(graded):
    if os.geteuid() != 0:
        pytest.skip("sandbox users exist only when grading as root")
    ran = [r for r in graded["report"].results if r.tasks and r.ran]
    assert len(graded["uids"]) >= len(ran)
    assert len(set(graded["uids"])) == len(graded["uids"])


@pytest.mark.slow
def test_no_process_of_any_submission_outlives_the_run(graded):
    """A daemon whose main thread exited (it reads as a zombie in /proc/<pid>/stat) is found and killed."""
    survivors = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/comm") as handle:
                    if handle.read().strip() == LINGER_MARKER:
                        survivors.append(pid)
        except OSError:
            continue
    assert survivors == []


@pytest.mark.slow
def test_nothing_leaves_a_kernel_over_the_network(graded):
    if os.geteuid() != 0:
        pytest.skip("kernels get a network namespace of their own only when grading as root")
    assert graded["received"] == []


@pytest.mark.slow
def test_the_grader_never_imported_what_a_submission_named(graded):
    assert "course_tools.__main__" not in sys.modules
    assert "course_grader.__main__" not in sys.modules
    assert "course_lib.checks.nothing_here" not in sys.modules


@pytest.mark.slow
def test_report_html_is_self_contained_and_says_what_the_class_got_wrong(graded):
    page = (graded["out"] / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*['"]?(https?:|//)""", page) and "<script" not in page
    assert "<svg" in page  # the distributions of totals, drawn inline
    # pass rates: the honest rows pass l2_penalty, bob (missing 1/2) and the tabulated one do not
    assert "looks like the factor 1/2 is missing" in page
    assert re.search(r"<td>l2_penalty</td><td>looks like the factor 1/2 is missing[^<]*</td><td>[^<]+</td>"
                     r"<td class='n'>1</td>", page)
    for student in ("mallory-forger", "links-alice", "twin-a"):
        assert f"<td>{student}</td>" in page
    assert SECRET in page  # the instructor sees the flag's text; the learner's feedback does not


CLI_SAMPLE = ["alice", "bob", "carol", "corrupt", "killed", "mallory-forger", "ref-importlib", "links-alice"]


@pytest.mark.slow
def test_rerun_through_the_command_line_gives_identical_grades(graded, tmp_path, capsys, monkeypatch):
    """The command line, on a sample of the corpus with the same seed, writes the same rows."""
    import shutil

    for student in CLI_SAMPLE:
        shutil.copytree(graded["root"] / student, tmp_path / "in" / student, symlinks=True)
    monkeypatch.setenv("COURSE_GRADER_SEED", str(SEED))
    roster, out = tmp_path / "roster.txt", tmp_path / "out"
    roster.write_text("# a roster\nalice\nbob\n\ncarol\nabsent\n", encoding="utf-8")
    status = grade_main([str(tmp_path / "in"), "--out", str(out), "--workers", "2", "--quiet",
                         "--cell-timeout", str(TEST_LIMITS.cell_seconds),
                         "--task-timeout", str(TEST_LIMITS.task_seconds),
                         "--notebook-timeout", str(TEST_LIMITS.notebook_seconds),
                         "--analysis-timeout", str(TEST_LIMITS.analysis_seconds),
                         "--memory", str(TEST_LIMITS.memory_bytes // 1024**2),
                         "--roster", str(roster)])
    assert status == 0
    _, by_task = _rows(out / "grades_by_task.csv")
    for row in by_task:  # the same points and flags, the near-identical flag apart (fewer classmates here)
        full = graded["rows"][(row["student"], row["exercise"])]
        assert {k: v for k, v in row.items() if k != "flags"} == {k: v for k, v in full.items() if k != "flags"}
        key = (row["student"], row["exercise"])
        assert _flags(row, key) == _flags(full, key)
    _, students = _rows(out / "grades.csv")
    for row in students:
        full = graded["students"][row["student"]]
        assert [row[k] for k in ("student", R3, R4, "total", "max", "pending")] == \
            [full[k] for k in ("student", R3, R4, "total", "max", "pending")]
    assert [r["student"] for r in students][:4] == ["alice", "bob", "carol", "absent"]
    assert "graded" in capsys.readouterr().out
    assert not [p for p in os.listdir(out) if p.startswith(".tmp-")]  # the atomic writes left no temp file


@pytest.mark.slow
def test_kernels_started_as_new_interpreters_grade_the_whole_corpus_the_same(graded, tmp_path):
    """The fallback without the fork server (what macOS always uses; --no-fork-server on Linux)
    gives the same grades, byte for byte, on the whole corpus."""
    grade_submissions(graded["root"], tmp_path / "out", workers=2, limits=TEST_LIMITS, preload=False,
                      stream=None, seed=SEED, roster=["alice", "bob", "carol", "absent"])
    assert (tmp_path / "out" / "grades_by_task.csv").read_text(encoding="utf-8") == graded["text"]

"""What the instructor and the learners get: grade tables, roster, feedback, report.html, the command
line.  Built from hand-made results; no kernel starts here."""

from __future__ import annotations

import csv
import io
import json
import os
import re

import pytest

from course_grader.cli import main as grade_main
from course_grader.feedback import feedback_markdown
from course_grader.grades import grades_by_task_table, grades_table, read_roster, student_rows
from course_grader.html_report import report_html
from course_grader.progress import Progress
from course_grader.runner import SubmissionResult, TaskResult


def _result(student, exercise, flags=(), written=None, **task_points):
    result = SubmissionResult(student, exercise, f"{student}/{exercise}.ipynb")
    for flag in flags:
        result.flag(flag)
    result.tasks = [TaskResult(n, "", p, 2, "pass" if p else "fail", "summary", "hint", None,
                               "" if p else "looks like a sign error") for n, p in task_points.items()]
    if written:
        result.tasks.append(TaskResult("explain", "why", 0, 3, "manual", "written answer: graded by your instructor"))
        result.written = {"explain": written}
    return result


class _Task:
    def __init__(self, name, points, kind="function", description=""):
        self.name, self.points, self.kind, self.description = name, points, kind, description


def test_per_task_csv_quotes_odd_ids_keeps_them_exact_and_leaves_pending_answers_empty():
    results = [_result('a,"b"\nc', "03", ["x; y"], t1=2, t2=0), _result("=cmd", "03", t1=1),
               _result("w", "04", written="prose", t3=2), _result(os.fsdecode(b"bad\xff"), "03", t1=0)]
    text = grades_by_task_table(results, ["t1", "t2", "t3", "explain"], {"explain"})
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["student", "exercise", "t1", "t2", "t3", "explain", "total", "max", "pending", "flags"],
        ['a,"b"\nc', "03", "2", "0", "", "", "2", "4", "0", "x; y"],
        ["=cmd", "03", "1", "", "", "", "1", "2", "0", ""],
        ["w", "04", "", "", "2", "", "2", "5", "3", ""],
        ["bad\\xff", "03", "0", "", "", "", "0", "2", "0", ""],
    ]


def test_one_row_per_student_with_every_rostered_student_and_missing_exercises_flagged():
    results = [_result("ann", "ex03", t1=2, t2=2), _result("ann", "ex04", t3=1),
               _result("bea", "ex03", t1=2), _result("bea", "ex03", t1=0, t2=2),  # two notebooks: the higher counts
               _result("zed", "ex04", ["cell 2: oops"], t3=2), _result("zed", "notes", )]
    rows = student_rows(results, ["ex03", "ex04"], {"ex03": 4, "ex04": 2}, roster=["bea", "ann", "cyd"])
    table = list(csv.DictReader(io.StringIO(grades_table(rows, ["ex03", "ex04"]))))
    assert [r["student"] for r in table] == ["bea", "ann", "cyd", "zed"]  # roster order, then the others
    got = {r["student"]: (r["ex03"], r["ex04"], r["total"], r["max"], r["flags"]) for r in table}
    assert got == {
        "bea": ("2", "0", "2", "6", "ex03: 2 notebooks, the higher total counts; missing: ex04"),
        "ann": ("4", "1", "5", "6", ""),
        "cyd": ("0", "0", "0", "6", "missing: ex03; missing: ex04"),
        "zed": ("0", "2", "2", "6", "not on the roster; missing: ex03; ex04: flagged (see grades_by_task.csv); "
                                    "ignored zed/notes.ipynb: not an exercise"),
    }
    assert list(csv.reader(io.StringIO(grades_table(rows, ["ex03", "ex04"]))))[0] == \
        ["student", "ex03", "ex04", "total", "max", "pending", "flags"]


def test_rosters_as_lines_or_csv(tmp_path):
    (tmp_path / "a.txt").write_text("# class of 2024\nann\n\nbea\nann\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("Name,Student,Email\nAnn A,ann,a@x\nBea B,bea,b@x\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("# nobody\n\n", encoding="utf-8")
    assert read_roster(tmp_path / "a.txt") == ["ann", "bea"]
    assert read_roster(tmp_path / "b.csv") == ["ann", "bea"]
    with pytest.raises(ValueError, match="at least one student id"):
        read_roster(tmp_path / "c.txt")


def test_feedback_escapes_what_students_control_and_keeps_kernel_errors_to_their_type():
    result = _result("<b>x</b>", "03", t1=2)
    result.flag("cell 2: ValueError: [click](http://x) SECRET", "cell 2: ValueError (run the cell to see why)")
    result.flag("near-identical answers to bob (t1: normalised code, not penalised)", None)
    text = feedback_markdown(result)
    assert "<b>" not in text and "[click](" not in text and "SECRET" not in text and "bob" not in text
    assert "## t1: 2 / 2" in text and "Hint: hint" in text
    assert "cell 2: ValueError (run the cell to see why)" in text


def test_feedback_says_written_answers_are_graded_by_hand():
    text = feedback_markdown(_result("ann", "03", written="Because.", t1=2))
    assert "Score: **2 / 5**" in text
    assert "Written answers worth 3 points are graded by your instructor" in text
    assert "## explain: graded by hand (3 points)" in text and "Because." not in text


def test_report_is_one_offline_page_with_pass_rates_mistakes_distributions_and_flags():
    registry = {"ex03": [_Task("t1", 2), _Task("t2", 2), _Task("explain", 3, "written", "why <it> grew")]}
    results = [_result("ann", "ex03", t1=2, t2=0, written="Because <script>alert(1)</script>"),
               _result("<img src=x onerror=alert(1)>", "ex03", ["weird & flagged"], t1=0, t2=0, written=" "),
               _result("cyd", "ex03", t1=2, t2=2, written="It grew.")]
    rows = student_rows(results, ["ex03"], {"ex03": 7})
    page = report_html(results, registry, rows, ["ex03"], summary="3 notebooks", warnings=["a <note>"])
    assert "<script" not in page and "<img" not in page and "onerror=alert(1)>" not in page
    assert not re.search(r"""(src|href)\s*=\s*['"]?(https?:|//)""", page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the answer, shown as text
    assert re.search(r"<td>t1</td><td class='n'>2</td><td class='n'>2</td><td class='n'>0</td><td>.*67%</td>", page)
    assert re.search(r"<td>t2</td><td class='n'>2</td><td class='n'>1</td><td class='n'>0</td><td>.*33%</td>", page)
    assert re.search(r"<td>t2</td><td>looks like a sign error</td><td>hint</td><td class='n'>2</td>", page)
    assert page.count("<svg") == 2  # all exercises, and ex03
    assert "weird &amp; flagged" in page and "a &lt;note&gt;" in page
    assert "(no answer cell found)" not in page.split("cyd")[-1]  # cyd wrote one
    assert "why &lt;it&gt; grew" in page


def test_progress_lines_without_a_terminal():
    stream = io.StringIO()
    progress = Progress(3, stream, every=1e9)
    for flagged in (False, True, False):
        progress.advance(flagged=flagged)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2  # the first (every is huge) and the last
    assert re.match(r"grading \[#+\] 3/3  [\d.]+/s  ETA 0:00  0 failed to run, 1 flagged$", lines[-1])


def test_two_notebooks_of_one_exercise_are_both_graded_and_flagged():
    from course_grader.batch import _flag_duplicates

    results = [_result("ann", "03", t1=1), _result("ann", "03", t1=2), _result("ben", "03", t1=2)]
    _flag_duplicates(results)
    assert [bool(r.flags) for r in results] == [True, True, False]
    assert results[0].flags[0].startswith("duplicate submission: ")


@pytest.mark.parametrize("argv, message", [
    (["/nonexistent-folder", "--out", "x"], "SUBMISSIONS must be a folder"),
    ([".", "--out", "x", "--workers", "0"], "--workers must be positive"),
    ([".", "--out", "x", "--task-timeout", "-1"], "--task-timeout must be positive"),
    (["."], "the following arguments are required: --out"),
    ([".", "--out", "/proc/no-such/out"], "--out must be a folder this user can write to"),
    ([".", "--out", "{tmp}/out", "--roster", "/nonexistent-roster"], "--roster must be a readable text file"),
])
def test_command_line_refuses_bad_arguments_in_one_line(argv, message, capsys, tmp_path):
    with pytest.raises(SystemExit) as stop:
        grade_main([a.format(tmp=tmp_path) for a in argv])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_seed_that_is_not_a_number_is_refused_in_one_line(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_GRADER_SEED", "twelve")
    with pytest.raises(SystemExit) as stop:
        grade_main([str(tmp_path), "--out", str(tmp_path / "out")])
    assert stop.value.code == 2 and "COURSE_GRADER_SEED must be an integer; got 'twelve'" in capsys.readouterr().err


def test_the_grader_gives_a_written_task_to_the_instructor(tmp_path):
    from course_grader import runner
    from course_lib.checks.framework import WrittenTask

    path = tmp_path / "ex00_demo.ipynb"
    path.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": "It is *bias*.",
                                           "metadata": {"nbgrader": {"grade_id": "explain_gap", "solution": True,
                                                                     "grade": True, "points": 2}}}],
                                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    task = WrittenTask("explain_gap", "ex00_demo", points=2, description="why the gap grew")
    result = runner.grade_notebook(path, "s0", "ex00_demo", runner.plan_tasks([task]), limits=runner.Limits(),
                                   workroot=str(tmp_path))
    [row] = result.tasks
    assert (row.points, row.max_points, row.status) == (0, 2, "manual") and result.flags == []
    assert (result.total, result.max, result.pending) == (0, 2, 2)
    assert result.written == {"explain_gap": "It is *bias*."}

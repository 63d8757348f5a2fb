"""Reading submissions: finding them, refusing links and odd files, decoding notebooks and the wire.
No kernel starts here."""

from __future__ import annotations

import base64
import io
import json
import os

import numpy as np
import pytest

from course_grader import wire
from course_grader.names import is_plain, safe_name, shown
from course_grader.notebook import NotebookProblem, parse_notebook, read_cells
from course_grader.submissions import Refused, find_submissions, read_submission


def test_values_cross_the_wire_without_pickle():
    values = [1.5, 3, True, None, "text", np.arange(6.0).reshape(2, 3), (np.zeros(2), 0.5), [1, [2.0]]]
    for value in values:
        back = wire.decode_value(json.loads(json.dumps(wire.encode_value(value))))
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(back, value)
        elif isinstance(value, tuple):
            np.testing.assert_array_equal(back[0], value[0])
            assert back[1] == value[1] and isinstance(back, tuple)
        else:
            assert back == value and type(back) is type(value)
    with pytest.raises(wire.Unreadable):  # an object array would need pickle
        buffer = io.BytesIO()
        np.save(buffer, np.array([{"a": 1}], dtype=object), allow_pickle=True)
        wire.decode_value({"__ndarray__": base64.b64encode(buffer.getvalue()).decode()})


def test_answers_are_accepted_only_once_with_the_nonce():
    good = json.dumps({"nonce": "n1", "task": "t", "missing": False, "results": [{"returned": 2.0}]})
    assert wire.parse_answer([good], "n1", "t", 1).results == (2.0,)
    with pytest.raises(wire.Unreadable, match="more than one"):
        wire.parse_answer([good, good], "n1", "t", 1)
    with pytest.raises(wire.Unreadable, match="no result"):
        wire.parse_answer([good.replace("n1", "n2")], "n1", "t", 1)
    with pytest.raises(wire.Unreadable, match="wrong number"):
        wire.parse_answer([good], "n1", "t", 2)
    raised = json.dumps({"nonce": "n", "task": "t", "missing": False, "results": [
        {"raised": {"type": "NotImplementedError", "module": "builtins", "message": ""}},
        {"raised": {"type": "MyError", "module": "__main__", "message": "bad"}},
        {"raised": {"type": "SystemExit", "module": "builtins", "message": "1"}},
        {"mutated": "w"},
        {"returned": {"__unsupported__": "generator"}},
    ]})
    results = wire.parse_answer([raised], "n", "t", 5).results
    assert isinstance(results[0], NotImplementedError)
    assert isinstance(results[1], wire.RemoteError) and results[1].type_name == "MyError"
    assert isinstance(results[2], RuntimeError) and "sys.exit" in str(results[2])
    assert type(results[3]).__name__ == "InputMutated" and results[3].argument == "w"
    assert isinstance(results[4], TypeError) and "generator" in str(results[4])


def test_answers_come_back_in_the_reply_and_forgeries_on_the_output_channel_are_caught():
    answer = json.dumps({"nonce": "n1", "task": "t", "missing": False, "results": [{"returned": 2.0}]})
    reply = {"status": "ok", "data": {"text/plain": repr(answer)}}
    assert wire.answer_from_reply(reply, [], "n1", "t", 1).results == (2.0,)
    assert wire.answer_from_reply(reply, [answer.replace("n1", "old")], "n1", "t", 1).results == (2.0,)
    with pytest.raises(wire.Unreadable, match="forged on the output channel"):
        wire.answer_from_reply(reply, [answer], "n1", "t", 1)
    for broken in (None, {"status": "error"}, {"status": "ok", "data": {"text/plain": "__import__('os')"}},
                   {"status": "ok", "data": {"text/plain": "42"}}):
        with pytest.raises(wire.Unreadable, match="no result came back"):
            wire.answer_from_reply(broken, [], "n1", "t", 1)


@pytest.mark.parametrize("content, message", [
    (b"", "empty file"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b"{oops", "corrupt JSON"),
    (b'{"worksheets": []}', "nbformat 3"),
    (b'"just a string"', "without a list of cells"),
    (b"[" * 100000 + b"]" * 100000, "nested too deeply"),
])
def test_unreadable_files_give_a_reason(tmp_path, content, message):
    with pytest.raises(NotebookProblem, match=message):
        parse_notebook(content)
    (tmp_path / "x.ipynb").write_bytes(content)
    with pytest.raises(NotebookProblem, match=message):
        read_cells(tmp_path / "x.ipynb")


def test_written_answers_are_read_from_their_markdown_cells():
    nb = {"cells": [{"cell_type": "markdown", "source": ["Because ", "the rate grew."],
                     "metadata": {"nbgrader": {"grade_id": "explain_gap", "solution": True, "grade": True}}},
                    {"cell_type": "markdown", "source": "## a title", "metadata": {}},
                    {"cell_type": "code", "source": "x = 1", "metadata": {}}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    parsed = parse_notebook(json.dumps(nb).encode())
    assert parsed.written == {"explain_gap": "Because the rate grew."}
    assert [(c.number, c.source) for c in parsed.cells] == [(3, "x = 1")]


def test_submissions_are_found_in_both_layouts_and_the_rest_is_reported(tmp_path):
    for relative in ["ann/ex03_l2_ridge.ipynb", "ann/notes.txt", "ben/ps03/ex03_l2_ridge.ipynb",
                     "ben/.ipynb_checkpoints/ex03_l2_ridge-checkpoint.ipynb", ".hidden/ex03_l2_ridge.ipynb",
                     "cat/readme.md", "dan/03_l2_ridge.ipynb", "loose.ipynb"]:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("{}")
    found, warnings = find_submissions(tmp_path)
    assert [(s.student, s.exercise, s.label, s.refused) for s in found] == [
        ("ann", "ex03_l2_ridge", "ann/ex03_l2_ridge.ipynb", None),
        ("ben", "ex03_l2_ridge", os.path.join("ben", "ps03", "ex03_l2_ridge.ipynb"), None),
        # a copy made before exercises were named ex03_... is still exercise ex03_l2_ridge
        ("dan", "ex03_l2_ridge", "dan/03_l2_ridge.ipynb", None),
    ]
    assert warnings == ["student 'cat': no notebooks", "ignored 'loose.ipynb': not a student folder"]


def test_links_and_odd_files_are_refused_never_followed(tmp_path):
    root, elsewhere = tmp_path / "in", tmp_path / "elsewhere"
    (root / "ann").mkdir(parents=True)
    (root / "ben" / "ps03").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "solution.ipynb").write_text('{"cells": []}')
    (root / "ann" / "ex03_l2_ridge.ipynb").symlink_to(elsewhere / "solution.ipynb")
    os.mkfifo(root / "ann" / "ex04_l1_lasso.ipynb")  # reading it would block the grader
    (root / "ben" / "ps03" / "ex03_l2_ridge.ipynb").write_text('{"cells": []}')
    (root / "cid").symlink_to(elsewhere, target_is_directory=True)
    (root / "dee").mkdir()
    (root / "dee" / "ps03").symlink_to(elsewhere, target_is_directory=True)
    found, warnings = find_submissions(root)
    refused = {(s.student, s.exercise): s.refused for s in found}
    assert refused == {("ann", "ex03_l2_ridge"): "refused: a symbolic link (the grader never follows links)",
                       ("ann", "ex04_l1_lasso"): "refused: not a regular file",
                       ("ben", "ex03_l2_ridge"): None}
    assert "ignored 'cid': a symbolic link (the grader never follows links)" in warnings
    assert "student 'dee': ignored 'ps03', a symbolic link" in warnings
    for sub in found[:2]:
        with pytest.raises(Refused):
            read_submission(sub)
    ben = found[2]
    assert read_submission(ben) == (b'{"cells": []}', [])
    # a folder swapped for a link after the listing is not followed either
    (root / "ben" / "ps03" / "ex03_l2_ridge.ipynb").unlink()
    (root / "ben" / "ps03").rmdir()
    (root / "ben" / "ps03").symlink_to(elsewhere, target_is_directory=True)
    (elsewhere / "ex03_l2_ridge.ipynb").write_text("stolen")
    with pytest.raises(Refused, match="not a plain folder"):
        read_submission(ben)


def test_a_hard_link_is_graded_but_flagged(tmp_path):
    (tmp_path / "in" / "ann").mkdir(parents=True)
    (tmp_path / "original.ipynb").write_text("{}")
    os.link(tmp_path / "original.ipynb", tmp_path / "in" / "ann" / "ex03_l2_ridge.ipynb")
    [sub], _ = find_submissions(tmp_path / "in")
    assert read_submission(sub) == (b"{}", ["a hard link: the file has other names on this machine"])


def test_names_with_undecodable_bytes_are_escaped_never_fatal(tmp_path):
    odd = os.fsdecode(b"bad\xffid")
    (tmp_path / odd).mkdir()
    (tmp_path / odd / "ex03_l2_ridge.ipynb").write_text("{}")
    [sub], _ = find_submissions(tmp_path)
    assert sub.student == odd and not is_plain(odd)
    assert shown(odd) == "bad\\xffid" and shown(odd).encode("utf-8")
    assert shown("a\nb") == "a\\nb" and shown("a\nb", controls=False) == "a\nb"
    assert safe_name(odd).startswith("badid-")


@pytest.mark.parametrize("student", ["alice", "Alice", "-rf", "..", ".", "a/../b", "zoë o'brien", "名前", "",
                                     "x" * 300, "con", "a\nb", os.fsdecode(b"\xff\xfe")])
def test_safe_names_are_plain_and_distinct(student):
    name = safe_name(student)
    assert __import__("re").fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name) and ".." not in name and len(name) < 80
    assert name == student or __import__("re").search(r"-[0-9a-f]{8}$", name)
    others = ["alice", "Alice", "-rf", "..", ".", "a/../b", "zoë o'brien", "名前", "", "x" * 300, "a\nb", "a b", "a_b",
              os.fsdecode(b"\xff\xfe"), os.fsdecode(b"\xfe\xff")]
    assert len({safe_name(s) for s in others}) == len(others)

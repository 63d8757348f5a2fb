"""Tests of course_tools on small in-memory notebooks (and a few tiny files in tmp_path).

Expected results are written out by hand from the conventions (see course_lib/nbtools), never
copied from a run of the code under test.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nbformat import v4

from course_tools import (
    is_tidy,
    learner_version,
    nbgrader_problems,
    notebook_text,
    read_notebook,
    tidy_notebook,
    write_notebook,
)
from course_tools.canonical import KERNELSPEC, file_problems
from course_tools.cli import find_notebooks, main

REPO = Path(__file__).resolve().parents[2]
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


# ----------------------------------------------------------------------------- builders
def stream(text, name="stdout"):
    return v4.new_output("stream", name=name, text=text)


def result(data, count=7):
    return v4.new_output("execute_result", data=data, execution_count=count, metadata={"isolated": True})


def display(data):
    return v4.new_output("display_data", data=data, metadata={"image/png": {"width": 300}})


def error():
    return v4.new_output("error", ename="ValueError", evalue="bad", traceback=["\x1b[31mValueError\x1b[0m"])


def notebook(*cells, **metadata):
    nb = v4.new_notebook(cells=list(cells))
    nb.metadata.update(metadata)
    return nb


def nbgrader(grade_id, *, solution=False, grade=False, locked=False, points=None, task=False):
    meta = {"grade_id": grade_id, "solution": solution, "grade": grade, "locked": locked, "schema_version": 3}
    if points is not None:
        meta["points"] = points
    if task:
        meta["task"] = True
    return {"nbgrader": meta}


def messy_notebook():
    """A notebook as Jupyter saves it after a run: counts, images, volatile metadata everywhere."""
    unmarked = v4.new_code_cell(
        "import numpy as np\nprint('hello')\nnp.arange(3)",
        execution_count=3,
        outputs=[stream("hello\n"), result({"text/plain": "array([0, 1, 2])"}, 3), display({"image/png": PNG})],
        metadata={"scrolled": True, "collapsed": False, "ExecuteTime": {"end_time": "2024-01-01"},
                  "execution": {"iopub.status.idle": "2024-01-01T00:00:00"}, "tags": ["keep-me"]},
    )
    marked = v4.new_code_cell(
        "# NBVAL_CHECK_OUTPUT\nprint('a')\nprint('b')\n1 + 1\n",
        execution_count=4,
        outputs=[
            stream("a\n"),
            stream("b\n"),
            result({"text/plain": "2", "text/html": "<b>2</b>"}, 4),
            display({"image/png": PNG}),
            display({"image/png": PNG, "text/plain": "<Figure size 640x480 with 1 Axes>"}),
            error(),
        ],
    )
    markdown = v4.new_markdown_cell("# Title  \n\n", metadata={"jp-MarkdownHeadingCollapsed": True})
    return notebook(
        markdown,
        unmarked,
        marked,
        kernelspec={"display_name": "Python 3 (ipykernel)", "language": "python", "name": "my-env"},
        language_info={"name": "python", "version": "3.11.9", "codemirror_mode": {"name": "ipython"}},
        widgets={"application/vnd.jupyter.widget-state+json": {"state": {}}},
        toc={"nav_menu": {}},
    )


# ----------------------------------------------------------------------------- tidy
def test_tidy_strips_counts_images_unmarked_outputs_and_volatile_metadata():
    tidy = tidy_notebook(messy_notebook())
    markdown, unmarked, marked = tidy.cells

    assert unmarked.outputs == []
    assert unmarked.execution_count is None
    assert unmarked.metadata == {"tags": ["keep-me"]}
    assert markdown.metadata == {}
    assert markdown.source == "# Title"
    assert tidy.metadata == {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    assert tidy.nbformat == 4 and tidy.nbformat_minor == 5


def test_tidy_keeps_only_the_text_of_marked_cells():
    marked = tidy_notebook(messy_notebook()).cells[2]

    # streams merged per name, results and displays reduced to text/plain, image-only display
    # and error dropped, no execution count inside outputs, no output metadata
    assert [dict(o) for o in marked.outputs] == [
        {"output_type": "stream", "name": "stdout", "text": "a\nb\n"},
        {"output_type": "execute_result", "execution_count": None, "metadata": {}, "data": {"text/plain": "2"}},
        {"output_type": "display_data", "metadata": {}, "data": {"text/plain": "<Figure size 640x480 with 1 Axes>"}},
    ]
    # nbval refuses stored outputs on a cell whose count is null ("Unrun reference cell")
    assert marked.execution_count == 1


def test_marker_must_be_a_comment_line_or_the_nbval_tag():
    in_string = v4.new_code_cell("print('# NBVAL_CHECK_OUTPUT')", outputs=[stream("x\n")])
    spaced = v4.new_code_cell("x = 1\n   ##  NBVAL_CHECK_OUTPUT  \nx", outputs=[result({"text/plain": "1"})])
    tagged = v4.new_code_cell("x", outputs=[result({"text/plain": "1"})], metadata={"tags": ["nbval-check-output"]})
    tidy = tidy_notebook(notebook(in_string, spaced, tagged))
    assert [len(cell.outputs) for cell in tidy.cells] == [0, 1, 1]


def test_tidy_is_idempotent_and_leaves_its_input_alone():
    messy = messy_notebook()
    before = copy.deepcopy(messy)
    once = tidy_notebook(messy)
    assert messy == before
    assert tidy_notebook(once) == once
    assert is_tidy(once) == []


def test_is_tidy_says_why():
    reasons = "\n".join(is_tidy(messy_notebook()))
    for expected in (
        "notebook metadata has volatile keys: toc, widgets",
        "kernelspec",
        "cell 1 (markdown): volatile metadata jp-MarkdownHeadingCollapsed",
        "cell 1 (markdown): trailing whitespace",
        "cell 2 (code): volatile metadata ExecuteTime, collapsed, execution, scrolled",
        "cell 2 (code): stores 3 output(s) but is not tagged nbval-check-output",
            "cell 3 (code): nbval marker comment(s) # NBVAL_CHECK_OUTPUT in the source",
        "cell 2 (code): execution_count 3 (expected null)",
        "cell 3 (code): stores image/png, text/html",
        "cell 3 (code): stores an error traceback",
        "cell 3 (code): execution_count 4 (expected 1)",
    ):
        assert expected in reasons


def test_missing_and_duplicate_ids_are_replaced_deterministically():
    nb = notebook(v4.new_code_cell("a = 1"), v4.new_code_cell("b = 2"))
    first = nb.cells[0]
    nb.cells[1]["id"] = first.id  # after construction: nbformat's validation would repair it
    assert any("duplicate id" in reason for reason in is_tidy(nb))
    tidy = tidy_notebook(nb)
    assert tidy.cells[0].id == first.id
    assert tidy.cells[1].id != first.id
    assert tidy_notebook(nb) == tidy  # same input, same ids
    nbformat.validate(tidy)


def test_notebook_text_is_nbformats_json_with_a_final_newline(tmp_path):
    nb = tidy_notebook(notebook(v4.new_code_cell("x = 1")))
    text = notebook_text(nb)
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), indent=1, sort_keys=True, ensure_ascii=False) + "\n"

    path = tmp_path / "n.ipynb"
    assert write_notebook(nb, path) is True
    assert write_notebook(nb, path) is False  # unchanged text: file not rewritten
    assert file_problems(path) == []
    path.write_text(json.dumps(json.loads(text), indent=2), encoding="utf-8")
    assert file_problems(path) == ["JSON layout differs from nbformat's (indent 1, sorted keys, final newline)"]


_outputs = st.lists(
    st.one_of(
        st.builds(stream, st.text(max_size=8), st.sampled_from(["stdout", "stderr"])),
        st.builds(result, st.fixed_dictionaries({"text/plain": st.text(max_size=5)}), st.integers(1, 9)),
        st.builds(display, st.sampled_from([{"image/png": PNG}, {"text/plain": "f", "image/png": PNG}])),
        st.just(error()),
    ),
    max_size=5,
)
_code_cells = st.builds(
    lambda marked, body, outputs, count, scrolled: v4.new_code_cell(
        ("# NBVAL_CHECK_OUTPUT\n" if marked else "") + body,
        outputs=outputs,
        execution_count=count,
        metadata={"scrolled": scrolled},
    ),
    st.booleans(),
    st.text(alphabet="ab =1\n", max_size=10),
    _outputs,
    st.one_of(st.none(), st.integers(1, 50)),
    st.booleans(),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_code_cells, max_size=4))
def test_tidy_is_idempotent_on_any_outputs(cells):
    tidy = tidy_notebook(notebook(*cells))
    assert is_tidy(tidy) == []
    assert tidy_notebook(tidy) == tidy
    for cell in tidy.cells:
        assert cell.execution_count in (None, 1)
        assert (cell.execution_count == 1) == bool(cell.outputs)
        for output in cell.outputs:
            assert set(output.get("data", {})) <= {"text/plain"}
            assert output.output_type != "error"


# ----------------------------------------------------------------------------- learner version
SOLUTION_LINES = ["return rate / 2 * np.sum(w ** 2)", "best_rate = 0.3", "Because the penalty shrinks weights."]


def solution_notebook():
    return notebook(
        v4.new_markdown_cell("# Exercise: the L2 penalty"),
        v4.new_code_cell("import numpy as np\nfrom course_lib.penalties import l2_penalty"),
        v4.new_code_cell(
            "def my_l2(w, rate):\n"
            '    """Half the rate times the squared norm."""\n'
            "    ### BEGIN SOLUTION\n"
            "    return rate / 2 * np.sum(w ** 2)\n"
            "    ### END SOLUTION\n"
            "\n"
            "print('defined')",
            metadata=nbgrader("my-l2", solution=True),
            outputs=[stream("defined\n")],
            execution_count=2,
        ),
        v4.new_code_cell(
            "# NBVAL_CHECK_OUTPUT\n### BEGIN SOLUTION\nbest_rate = 0.3\n### END SOLUTION\nprint(best_rate)",
            metadata=nbgrader("best_rate", solution=True),
            outputs=[stream("0.3\n")],
            execution_count=3,
        ),
        v4.new_code_cell(
            "assert my_l2(np.ones(2), 2.0) == 2.0\n### BEGIN HIDDEN TESTS\nassert my_l2(np.zeros(2), 5.0) == 0.0\n"
            "### END HIDDEN TESTS",
            metadata=nbgrader("check_my_l2", grade=True, locked=True, points=2),
        ),
        v4.new_markdown_cell(
            "Why does the rate shrink the weights?\n\n=== BEGIN MARK SCHEME ===\n"
            "Because the penalty shrinks weights.\n=== END MARK SCHEME ===",
            metadata=nbgrader("why", task=True, locked=True, points=1),
        ),
        v4.new_markdown_cell("A model answer", metadata=nbgrader("answer", solution=True, grade=True, points=1)),
        v4.new_code_cell("x = 1", metadata=nbgrader("whole", solution=True)),
    )


def test_learner_version_replaces_exactly_the_solution_regions():
    learner = learner_version(solution_notebook())
    sources = [cell.source for cell in learner.cells]
    assert sources == [
        "# Exercise: the L2 penalty",
        "import numpy as np\nfrom course_lib.penalties import l2_penalty",
        "def my_l2(w, rate):\n"
        '    """Half the rate times the squared norm."""\n'
        "    # YOUR CODE HERE\n"
        "    raise NotImplementedError()\n"
        "\n"
        "print('defined')",
        "# YOUR CODE HERE\nraise NotImplementedError()\nprint(best_rate)",
        "assert my_l2(np.ones(2), 2.0) == 2.0",
        "Why does the rate shrink the weights?",
        "YOUR ANSWER HERE",
        "# YOUR CODE HERE\nraise NotImplementedError()",
    ]
    assert "nbval-check-output" in learner.cells[3].metadata.tags  # the marker moved into a tag


def test_value_answer_after_a_placeholder_gets_no_raise_so_run_all_reaches_every_check():
    # ``name = ...`` before a top-level solution region: check() already reports the Ellipsis as
    # "not yet attempted", so a raise there would only stop Run All before the later checks.
    solution = notebook(
        v4.new_code_cell(
            "best_rate = ...\n### BEGIN SOLUTION\nbest_rate = 0.3\n### END SOLUTION",
            metadata=nbgrader("best_rate", solution=True),
        ),
        v4.new_code_cell(
            "def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION",
            metadata=nbgrader("f", solution=True),
        ),
    )
    learner = learner_version(solution)
    assert learner.cells[0].source == "best_rate = ...\n# YOUR CODE HERE"
    namespace = {}
    exec(compile(learner.cells[0].source, "cell", "exec"), namespace)
    assert namespace["best_rate"] is Ellipsis
    # inside a function body the stub still raises, as in nbgrader
    assert learner.cells[1].source.endswith("    # YOUR CODE HERE\n    raise NotImplementedError()")


def test_stub_inside_a_def_body_compiles_and_raises():
    learner = learner_version(solution_notebook())
    namespace = {}
    exec(compile(learner.cells[2].source.replace("print('defined')", ""), "cell", "exec"), namespace)
    with pytest.raises(NotImplementedError):
        namespace["my_l2"]([1.0], 1.0)


def test_learner_version_contains_no_solution_line():
    text = notebook_text(learner_version(solution_notebook()))
    for line in SOLUTION_LINES + ["BEGIN SOLUTION", "MARK SCHEME", "HIDDEN TESTS", "my_l2(np.zeros(2)"]:
        assert line not in text


def test_learner_version_keeps_nbgrader_metadata_and_stores_no_output():
    solution = solution_notebook()
    learner = learner_version(solution)
    assert [cell.metadata.get("nbgrader") for cell in learner.cells] == [
        cell.metadata.get("nbgrader") for cell in solution.cells
    ]
    for cell in learner.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert is_tidy(learner) == []


def test_learner_version_leaves_its_input_alone_and_keeps_cell_ids():
    solution = solution_notebook()
    before = copy.deepcopy(solution)
    learner = learner_version(solution)
    assert solution == before
    assert [cell.id for cell in learner.cells] == [cell.id for cell in solution.cells]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (v4.new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION"), "is not a solution cell"),
        (v4.new_code_cell("### BEGIN SOLUTION\nx = 1", metadata=nbgrader("a", solution=True)), "without END"),
        (v4.new_code_cell("x = 1\n### END SOLUTION", metadata=nbgrader("a", solution=True)), "without BEGIN"),
        (
            v4.new_code_cell("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", metadata=nbgrader("a", solution=True)),
            "nested",
        ),
        (v4.new_markdown_cell("=== BEGIN MARK SCHEME ===\nx\n=== END MARK SCHEME ==="), "not a task cell"),
        (v4.new_code_cell("assert True", metadata=nbgrader("a", grade=True, locked=True)), "points"),
        (v4.new_code_cell("x", metadata=nbgrader("has space", solution=True)), "grade_id"),
        (v4.new_markdown_cell("x", metadata=nbgrader("md", solution=True)), "both a grade and a solution"),
        (v4.new_code_cell("x", metadata={"nbgrader": {"grade_id": "v", "solution": True}}), "schema_version"),
    ],
)
def test_invalid_solution_notebooks_are_refused(cell, message):
    nb = notebook(cell)
    assert any(message in problem for problem in nbgrader_problems(nb))
    with pytest.raises(ValueError, match=message):
        learner_version(nb)


def test_duplicate_grade_ids_are_refused():
    nb = notebook(
        v4.new_code_cell("x", metadata=nbgrader("same", solution=True)),
        v4.new_code_cell("y", metadata=nbgrader("same", solution=True)),
    )
    assert nbgrader_problems(nb) == ["cell 2 (code): grade_id 'same' already used by cell 1"]


# ----------------------------------------------------------------------------- command line
def test_cli_tidy_check_then_tidy(tmp_path, capsys):
    messy = messy_notebook()
    path = tmp_path / "notebooks" / "01_x.ipynb"
    path.parent.mkdir()
    nbformat.write(messy, str(path))
    checkpoint = tmp_path / "notebooks" / ".ipynb_checkpoints" / "01_x-checkpoint.ipynb"
    checkpoint.parent.mkdir()
    nbformat.write(messy, str(checkpoint))

    assert find_notebooks([tmp_path]) == [path]
    assert main(["tidy", "--check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}: not tidy" in out and "execution_count 3 (expected null)" in out
    assert path.read_text(encoding="utf-8") != notebook_text(tidy_notebook(messy))

    assert main(["tidy", str(tmp_path)]) == 0
    assert path.read_text(encoding="utf-8") == notebook_text(tidy_notebook(messy))
    assert main(["tidy", "--check", str(path)]) == 0
    assert main(["tidy", str(tmp_path / "missing")]) == 2


def test_cli_exercises_writes_and_checks_learner_versions(tmp_path, capsys):
    solution = solution_notebook()
    solutions = tmp_path / "exercises" / "solutions"
    solutions.mkdir(parents=True)
    nbformat.write(solution, str(solutions / "02_topic.ipynb"))
    learner = tmp_path / "exercises" / "02_topic.ipynb"

    assert main(["exercises", "--check", "--root", str(tmp_path)]) == 1
    assert "missing" in capsys.readouterr().out
    assert main(["exercises", "--root", str(tmp_path)]) == 0
    assert learner.read_text(encoding="utf-8") == notebook_text(learner_version(solution))
    assert main(["exercises", "--check", "--root", str(tmp_path)]) == 0

    changed = copy.deepcopy(solution)
    changed.cells[0].source = "# Exercise: renamed"
    nbformat.write(changed, str(solutions / "02_topic.ipynb"))
    assert main(["exercises", "--check", "--root", str(tmp_path)]) == 1
    assert "out of date" in capsys.readouterr().out

    main(["exercises", "--root", str(tmp_path)])
    shutil.copy(learner, tmp_path / "exercises" / "03_orphan.ipynb")
    assert main(["exercises", "--check", "--root", str(tmp_path)]) == 1
    assert "no solution" in capsys.readouterr().out


# ----------------------------------------------------------------------------- collection by nbval
@pytest.mark.slow
def test_nbval_collects_lessons_and_solutions_but_not_learner_or_test_notebooks(tmp_path):
    """Run pytest --collect-only on a copy of the project's layout and pytest configuration."""
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "tests").mkdir()
    shutil.copy(REPO / "tests" / "conftest.py", tmp_path / "tests" / "conftest.py")
    trivial = notebook(v4.new_code_cell("x = 1"))
    for rel in (
        "notebooks/01_a.ipynb",
        "exercises/02_b.ipynb",
        "exercises/solutions/02_b.ipynb",
        "tests/grading_corpus/wrong.ipynb",
        "tests/stray.ipynb",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(trivial, str(tmp_path / rel))

    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "--nbval-lax", "-p", "no:cacheprovider", "-p", "no:xdist"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    collected = {line.split("::")[0] for line in run.stdout.splitlines() if "::" in line}
    assert collected == {"notebooks/01_a.ipynb", "exercises/solutions/02_b.ipynb"}, run.stdout + run.stderr


# ----------------------------------------------------------------------------- execution (starts kernels)
@pytest.mark.slow
def test_refresh_stores_the_marked_text_output_only_and_is_deterministic(tmp_path):
    from course_tools import refresh_notebook

    folder = tmp_path / "lesson"
    folder.mkdir()
    (folder / "data.txt").write_text("from the notebook's folder\n", encoding="utf-8")
    nb = notebook(
        v4.new_code_cell("import matplotlib.pyplot as plt\nprint('not stored')\nplt.plot([0, 1]);"),
        v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(open('data.txt').read(), end='')\n6 * 7"),
        v4.new_code_cell("# NBVAL_SKIP\nraise RuntimeError('skipped cells do not run')"),
    )
    path = folder / "tiny.ipynb"
    nbformat.write(nb, str(path))

    changed, problems = refresh_notebook(path)
    assert changed and problems == []
    first = path.read_text(encoding="utf-8")
    unmarked, marked, skipped = read_notebook(path).cells
    assert unmarked.outputs == [] and unmarked.execution_count is None
    assert skipped.outputs == [] and skipped.execution_count is None
    assert marked.execution_count == 1
    assert [dict(o) for o in marked.outputs] == [
        {"output_type": "stream", "name": "stdout", "text": "from the notebook's folder\n"},
        {"output_type": "execute_result", "execution_count": None, "metadata": {}, "data": {"text/plain": "42"}},
    ]
    assert file_problems(path) == []

    changed, _ = refresh_notebook(path)
    assert not changed
    assert path.read_text(encoding="utf-8") == first


# ---------------------------------------------------------------------------
# The learner's workspace (make lab)
# ---------------------------------------------------------------------------


def test_workspace_copies_the_learner_files_never_solutions_and_never_overwrites(tmp_path):
    from course_tools.workspace import make_workspace

    root = Path(__file__).resolve().parents[2]
    target = tmp_path / "my-work"
    copied = make_workspace(root, target)
    names = sorted(p.relative_to(target).as_posix() for p in copied)
    lessons = sorted(f"notebooks/{p.name}" for p in (root / "notebooks").glob("*.ipynb"))
    exercises = sorted(f"exercises/{p.name}" for p in (root / "exercises").glob("*.ipynb"))
    assert names == sorted(["README.md", *lessons, *exercises])
    assert not (target / "exercises" / "solutions").exists()
    # every relative link of a copied notebook resolves inside the workspace, as in the repository
    import re

    for path in copied:
        if path.suffix != ".ipynb":
            continue
        for link in re.findall(r"\]\(((?:\.\./|\./)?[\w/.-]+\.(?:ipynb|md))(?:#[^)]*)?\)", path.read_text()):
            assert (path.parent / link).resolve().is_file(), (path.name, link)
    # a learner's edit survives the next `make lab`
    mine = target / "notebooks" / lessons[0].split("/")[1]
    mine.write_text("my work")
    assert make_workspace(root, target) == []
    assert mine.read_text() == "my work"
    # a deleted copy comes back as the course's version
    mine.unlink()
    assert make_workspace(root, target) == [mine]
    with pytest.raises(ValueError, match="target"):
        make_workspace(root, root)


# ---------------------------------------------------------------------------
# Going-further sections open folded in JupyterLab
# ---------------------------------------------------------------------------


def test_only_going_further_headings_keep_the_jupyterlab_collapsed_flag():
    going_further = {"tags": ["going-further"]}
    nb = notebook(
        v4.new_markdown_cell("## Going further (optional): the SVD\n\nDetails.", metadata=going_further),
        v4.new_markdown_cell("More of the deep dive, no heading.", metadata=going_further),
        v4.new_markdown_cell("## Going further (optional): untagged", metadata={}),
        v4.new_markdown_cell("## Recap", metadata={"jp-MarkdownHeadingCollapsed": True}),
    )
    reasons = is_tidy(nb)
    assert any("cell 1 (markdown): a going-further heading opens folded" in r for r in reasons)
    assert any("cell 4 (markdown): volatile metadata jp-MarkdownHeadingCollapsed" in r for r in reasons)
    tidy = tidy_notebook(nb)
    assert [dict(cell.metadata) for cell in tidy.cells] == [
        {"tags": ["going-further"], "jp-MarkdownHeadingCollapsed": True},
        {"tags": ["going-further"]},
        {},
        {},
    ]
    assert is_tidy(tidy) == []


def test_a_going_further_heading_stays_open_when_folding_would_hide_a_core_cell():
    going_further = {"tags": ["going-further"]}
    nb = notebook(
        v4.new_markdown_cell("## Going further (optional): hides the core", metadata=going_further),
        v4.new_code_cell("deep()", metadata=going_further),
        v4.new_markdown_cell("**Predict before you run the next cell:** ..."),  # core, no heading of its own
        v4.new_markdown_cell("## Going further (optional): safe", metadata=going_further),
        v4.new_markdown_cell("### A detail inside", metadata=going_further),
        v4.new_markdown_cell("## Recap"),
    )
    tidy = tidy_notebook(nb)
    assert [cell.metadata.get("jp-MarkdownHeadingCollapsed") for cell in tidy.cells] == [
        None, None, None, True, None, None]

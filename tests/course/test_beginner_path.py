"""A beginner's path through every lesson and exercise (the conventions in docs/authoring.md).

Every lesson has a *core path* a beginner reads in about ten minutes and optional deep dives:
cells tagged ``going-further`` under a visible heading "Going further (optional)".  The core path
states its time, asks for a prediction before the reveal, ends with a recap, stays within 1,600
words of prose and never leans on the named machinery (SVD, KKT, ...), which only the
going-further cells may name.  Every exercise adds a prediction task and a written answer to its
formula tasks.

These tests read the notebooks as files; they never run them (nbval does).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from course_lib.checks import EXERCISES, TASKS

REPO = Path(__file__).resolve().parents[2]
LESSONS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SOLUTIONS = sorted((REPO / "exercises" / "solutions").glob("ex[0-9][0-9]_*.ipynb"))
LEARNER_EXERCISES = sorted((REPO / "exercises").glob("ex[0-9][0-9]_*.ipynb"))

GOING_FURTHER = "going-further"
GOING_FURTHER_HEADING = re.compile(r"^\s{0,3}#{1,6}\s.*Going further \(optional\)", re.MULTILINE)
CORE_WORD_BUDGET = 1600
# The named machinery a beginner meets only in going-further cells.
MACHINERY = re.compile(
    r"\b(SVD|singular[\s-]+values?|Hessians?|eigen\w*|KKT|Karush|Lagrang\w*|subdifferential\w*|LARS|"
    r"homotop\w*|dualit\w*|conjugate\w*)\b",
    re.IGNORECASE,
)
TIME_ESTIMATE = re.compile(r"\b\d+\s*(?:[–-]\s*\d+\s*)?min(?:utes?)?\b", re.IGNORECASE)
PREDICTION_PROMPT = re.compile(r"\*\*Predict\b")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*$", re.MULTILINE)

# Lessons and exercises still being reworked for beginners: their tests are expected to fail
# until the rework lands.  Remove a stem when its notebook is done; the set ends empty.
PENDING: set[str] = set()


@pytest.fixture(autouse=True)
def _pending(request):
    path = request.node.callspec.params.get("path") if hasattr(request.node, "callspec") else None
    if path is not None and path.stem in PENDING:
        request.node.add_marker(pytest.mark.xfail(reason=f"{path.stem} is still being reworked", strict=False))


def _ids(paths):
    return [str(path.relative_to(REPO)) for path in paths]


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell) -> str:
    return "".join(cell["source"])


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _is_core(cell) -> bool:
    return GOING_FURTHER not in _tags(cell)


def _outputs_text(cell) -> str:
    return "".join(
        "".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
        for o in cell.get("outputs", [])
    )


def core_words(path: Path) -> int:
    """Words of prose on the core path: markdown cells not tagged going-further."""
    return sum(len(_source(c).split()) for c in _cells(path) if c["cell_type"] == "markdown" and _is_core(c))


# ----------------------------------------------------------------------------- lessons and exercises


@pytest.mark.parametrize("path", LESSONS + SOLUTIONS + LEARNER_EXERCISES,
                         ids=_ids(LESSONS + SOLUTIONS + LEARNER_EXERCISES))
def test_going_further_cells_sit_under_their_heading(path):
    cells = _cells(path)
    for index, cell in enumerate(cells):
        if _is_core(cell):
            assert not GOING_FURTHER_HEADING.search(_source(cell)), (
                f"cell {index}: a 'Going further (optional)' heading must itself be tagged {GOING_FURTHER}")
            continue
        starts_a_run = index == 0 or _is_core(cells[index - 1])
        if starts_a_run:
            assert cell["cell_type"] == "markdown" and GOING_FURTHER_HEADING.search(_source(cell)), (
                f"cell {index}: going-further cells start under a heading '## Going further (optional)'")


@pytest.mark.parametrize("path", LESSONS + SOLUTIONS + LEARNER_EXERCISES,
                         ids=_ids(LESSONS + SOLUTIONS + LEARNER_EXERCISES))
def test_core_path_names_no_machinery(path):
    found = []
    for index, cell in enumerate(_cells(path)):
        if not _is_core(cell):
            continue
        for text in (_source(cell), _outputs_text(cell)):
            found += [(index, m.group(0)) for m in MACHINERY.finditer(text)]
    assert not found, (f"the core path names machinery a beginner has not met (cell, word): {found}; say it "
                       "the beginner's way, or move it to a going-further cell")


# ----------------------------------------------------------------------------- lessons


@pytest.mark.parametrize("path", LESSONS, ids=_ids(LESSONS))
def test_core_path_reads_in_about_ten_minutes(path):
    words = core_words(path)
    assert words <= CORE_WORD_BUDGET, f"{words} words of prose on the core path (budget {CORE_WORD_BUDGET})"


@pytest.mark.parametrize("path", LESSONS, ids=_ids(LESSONS))
def test_lesson_states_its_time_at_the_top(path):
    top = " ".join(_source(c) for c in _cells(path)[:2] if c["cell_type"] == "markdown")
    assert TIME_ESTIMATE.search(top), "say near the title how long the core path takes, e.g. 'about 10 minutes'"


@pytest.mark.parametrize("path", LESSONS, ids=_ids(LESSONS))
def test_lesson_asks_for_a_prediction_before_the_reveal(path):
    cells = _cells(path)
    prompts = [i for i, c in enumerate(cells)
               if c["cell_type"] == "markdown" and _is_core(c) and PREDICTION_PROMPT.search(_source(c))]
    assert prompts, "ask the learner to commit to a prediction (a '**Predict ...**' prompt) on the core path"
    first = prompts[0]
    assert any(c["cell_type"] == "code" and _is_core(c) for c in cells[first + 1:]), (
        "a prediction prompt comes before the code (plot or widget) that reveals the answer")


@pytest.mark.parametrize("path", LESSONS, ids=_ids(LESSONS))
def test_lesson_core_path_ends_with_a_recap(path):
    headings = [h for c in _cells(path) if c["cell_type"] == "markdown" and _is_core(c)
                for h in HEADING.findall(_source(c))]
    assert any("Recap" in h for h in headings), f"no 'Recap' heading on the core path: {headings}"


# ----------------------------------------------------------------------------- exercises


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


@pytest.mark.parametrize("path", SOLUTIONS, ids=_ids(SOLUTIONS))
def test_exercise_has_an_auto_checked_prediction_before_its_reveal(path):
    names = [n for n in EXERCISES[path.stem] if n.startswith("predict_")]
    assert names, f"{path.stem} has no prediction task (check('predict_<name>', answer))"
    cells = _cells(path)
    for name in names:
        check_cells = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and f'check("{name}"' in _source(c)]
        assert len(check_cells) == 1, f"{name}: one check cell expected, found {len(check_cells)}"
        assert any(c["cell_type"] == "code" for c in cells[check_cells[0] + 1:]), (
            f"{name}: the experiment that reveals the answer comes after the prediction's check")


@pytest.mark.parametrize("path", SOLUTIONS, ids=_ids(SOLUTIONS))
def test_exercise_has_a_written_answer_with_points_and_a_rubric(path):
    written = [n for n in EXERCISES[path.stem] if TASKS[n].kind == "written"]
    assert written, f"{path.stem} has no written-answer task (WrittenTask)"
    by_id = {_nbgrader(c).get("grade_id"): c for c in _cells(path) if _nbgrader(c)}
    for name in written:
        cell = by_id.get(name)
        assert cell is not None, f"no answer cell with nbgrader grade_id {name!r}"
        meta = _nbgrader(cell)
        assert cell["cell_type"] == "markdown" and meta.get("solution") and meta.get("grade"), meta
        assert meta.get("points") == TASKS[name].points > 0
        assert re.search(r"\brubric\b", _source(cell), re.IGNORECASE), f"{name}: the model answer states a rubric"


@pytest.mark.parametrize("path", SOLUTIONS, ids=_ids(SOLUTIONS))
def test_going_further_tasks_are_worth_no_points(path):
    for index, cell in enumerate(_cells(path)):
        if not _is_core(cell) and _nbgrader(cell).get("grade"):
            assert not _nbgrader(cell).get("points"), f"cell {index}: a going-further task carries points"

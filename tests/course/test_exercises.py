"""Every learner exercise, run unmodified top to bottom as a learner would, passes no task.

The grader's tests score the learner versions zero from outside the kernel; this runs them in a
real kernel with nbclient ("Run All") and asserts that every check cell is reached and says
"not yet attempted" — no traceback stops the notebook before its last check.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from course_lib.checks import EXERCISES, TASKS
from course_tools import execute_notebook

ROOT = Path(__file__).resolve().parents[2]
LEARNER = sorted((ROOT / "exercises").glob("ex[0-9][0-9]_*.ipynb"))


def _check_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and "check(" in c.source
            and c.metadata.get("nbgrader", {}).get("grade")]


def test_every_exercise_has_a_learner_version():
    assert sorted(p.stem for p in LEARNER) == sorted(EXERCISES)


@pytest.mark.parametrize("path", LEARNER, ids=[p.stem for p in LEARNER])
def test_learner_version_run_unmodified_reaches_every_check_and_passes_none(path, tmp_path):
    work = tmp_path / "exercises"
    work.mkdir()
    shutil.copy(path, work / path.name)
    nb = nbformat.read(work / path.name, as_version=4)
    executed = execute_notebook(nb, work, timeout=120, allow_errors=False)
    checks = _check_cells(executed)
    # one check cell per task, except written answers (Markdown, graded by hand)
    assert len(checks) == len([n for n in EXERCISES[path.stem] if TASKS[n].kind != "written"])
    for cell in checks:
        text = "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")
        assert "not yet attempted" in text, (cell.source, text)
        assert "PASS" not in text and "Traceback" not in text

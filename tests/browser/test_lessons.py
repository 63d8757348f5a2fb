"""Every lesson in JupyterLab in headless Chromium: Run All, no error, every widget control moves its figure.

For each lesson the test opens it in a fresh tab, runs all cells from the menu, asserts that every
code cell ran and that no traceback or warning is shown, finds each widget the lesson builds, moves
every control (the main one several times, to time it) and asserts that the figure image changed
with each move, then drags each slider across its track with the mouse (reporting how soon after
the release the figure is final). A screenshot of the widget in its moved state goes to the report
folder.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from notebook_page import ControlReport, NotebookPage, execution_count

REPO = Path(__file__).resolve().parents[2]
LESSONS = sorted(p.name for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MAIN_MOVES, OTHER_MOVES = 6, 2

BASELINE_CELL = '''\
import io
import ipywidgets as widgets
import matplotlib
matplotlib.use("agg")
import matplotlib.pyplot as plt
from IPython.display import Image, display
from course_lib.widgets import FIGURE_CLASS, MAIN_CONTROL_CLASS, WIDGET_CLASS, render_png

# Five ready-made figures of a lesson widget's size; a move only displays one of them.
pngs = []
for k in range(5):
    fig, ax = plt.subplots(1, 2, figsize=(8.8, 3.7))
    ax[0].plot([0, 1], [k, 5 - k])
    ax[1].bar([0, 1], [1 + k, 6 - k])
    pngs.append(render_png(fig))
    plt.close(fig)
slider = widgets.IntSlider(value=0, min=0, max=100, description="baseline")
slider.add_class(MAIN_CONTROL_CLASS)
output = widgets.Output()
output.add_class(FIGURE_CLASS)

def show(change=None):
    with output:
        output.clear_output(wait=True)
        display(Image(data=pngs[slider.value % 5], format="png"))

slider.observe(show, names="value")
show()
box = widgets.VBox([widgets.VBox([slider]), output])
box.add_class(WIDGET_CLASS)
box'''


def widget_cells(path) -> int:
    """How many code cells of the notebook end by showing a course widget (``xxx_widget(...)``)."""
    cells = json.loads(Path(path).read_text())["cells"]
    last_lines = ["".join(c["source"]).strip().splitlines()[-1:] for c in cells if c["cell_type"] == "code"]
    return sum(bool(lines) and re.match(r"^\w+_widget\(", lines[0]) is not None for lines in last_lines)


def exercise_widgets(notebook: NotebookPage, name, reports) -> list:
    """Move every control of every course widget on the page; returns the widgets' locators."""
    widgets = notebook.widgets()
    found = []
    for w in range(widgets.count()):
        widget = widgets.nth(w)
        widget.scroll_into_view_if_needed()
        assert notebook.figure_source(widget), f"{name}: widget {w} shows no figure (still 'Loading widget…'?)"
        controls = notebook.controls(widget)
        assert controls and controls[0][2], f"{name}: widget {w} has no main control"
        for control_name, kind, main, control in controls:
            report = ControlReport(name, w, control_name, kind, main)
            reports.append(report)
            before = notebook.figure_source(widget)
            for k in range(MAIN_MOVES if main else OTHER_MOVES):
                move = notebook.move(widget, control_name, kind, control, k)
                report.moves.append(move)
                # changed: the page showed a new image whose bytes differ from the one before the move
                assert move.changed, (f"{name}: {move.action} on {control_name!r} did not change the "
                                      f"figure within 20 s")
                notebook.page.wait_for_timeout(150)  # a learner's pause; lets the kernel settle
            if kind == "slider":  # moved one way only: the figure must not have come back
                assert notebook.figure_source(widget) != before, f"{name}: {control_name!r} ended where it began"
            if kind == "slider":  # and as a hand does it: a mouse drag across the track
                report.drag = notebook.drag(widget, control)
                assert report.drag["during"] + report.drag["after"] >= 1, f"{name}: dragging {control_name!r} changed nothing"
                notebook.page.wait_for_timeout(150)
        found.append(widget)
    return found


def test_latency_baseline(context, lab, workspace, latency_reports):
    """The floor of any widget's latency, measured in this run: display a ready-made PNG."""
    import nbformat

    notebook_file = workspace / "latency_baseline.ipynb"
    kernelspec = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(BASELINE_CELL)],
                                            metadata={"kernelspec": kernelspec}), notebook_file)
    notebook = NotebookPage(context, lab, notebook_file.name).open()
    try:
        notebook.run_all()
        assert not notebook.error_outputs()
        assert len(exercise_widgets(notebook, "baseline", latency_reports)) == 1
    finally:
        notebook.close()


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_runs_and_its_widgets_respond(lesson, context, lab, report_dir, latency_reports):
    notebook = NotebookPage(context, lab, f"notebooks/{lesson}").open()
    try:
        seconds = notebook.run_all()
        errors = notebook.error_outputs()
        assert not errors, f"{lesson}: error output after Run All ({seconds:.0f} s):\n" + "\n---\n".join(errors)
        prompts = notebook.input_prompts()
        not_run = [p for p in prompts if execution_count(p) is None]
        assert prompts and not not_run, f"{lesson}: code cells that did not run: {not_run}"

        expected = widget_cells(REPO / "notebooks" / lesson)
        assert notebook.widgets().count() == expected, (
            f"{lesson}: {expected} widget cells in the notebook, {notebook.widgets().count()} widgets on the page")
        moved = exercise_widgets(notebook, lesson.removesuffix(".ipynb"), latency_reports)
        assert not notebook.error_outputs(), f"{lesson}: moving the widgets printed errors"
        stem = lesson.removesuffix(".ipynb")
        first_cell = notebook.page.locator(".jp-NotebookPanel .jp-Cell").first
        notebook.screenshot(report_dir / f"{stem}.png", moved[-1] if moved else first_cell)
        assert not notebook.console_errors or all("favicon" in e for e in notebook.console_errors), (
            f"{lesson}: the browser console reported errors: {notebook.console_errors[:5]}")
    finally:
        notebook.close()

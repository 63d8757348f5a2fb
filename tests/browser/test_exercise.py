"""An exercise in JupyterLab as a learner meets it: Run All, then write an answer, right and then wrong.

Exercise 02's ``squared_loss`` task: after Run All its check says "not yet attempted"; the learner
types a correct body into the answer cell and runs it and the check (Shift+Enter twice) and sees the
pass message; then types the usual mistake (the mean squared error, no factor 1/2) and sees the
failure with its case, input, expected, got and hint, all in the page.
"""

from __future__ import annotations

import re
import time

from notebook_page import NotebookPage, execution_count

EXERCISE = "exercises/ex02_bias_variance.ipynb"

CORRECT = """def squared_loss(X, y, w, b):
    residual = y - X @ w - b
    return residual @ residual / (2 * len(y))"""

# The usual mistake: the mean squared error, which is twice the data term.
WITHOUT_HALF = """def squared_loss(X, y, w, b):
    return np.mean((y - X @ w - b) ** 2)"""


def _cell_index(notebook: NotebookPage, starts_with: str) -> int:
    sources = notebook.page.locator(".jp-NotebookPanel .jp-Cell .cm-content").all_text_contents()
    matches = [k for k, text in enumerate(sources) if text.startswith(starts_with)]
    assert len(matches) == 1, f"expected one cell starting with {starts_with!r}, found {len(matches)}"
    return matches[0]


def _answer(notebook: NotebookPage, index: int, code: str) -> str:
    """Type ``code`` into cell ``index`` (replacing it), run it and the check below; the check's output."""
    page = notebook.page
    cells = page.locator(".jp-NotebookPanel .jp-Cell")
    editor = cells.nth(index).locator(".cm-content")
    editor.scroll_into_view_if_needed()
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(code)  # as pasted: the editor's auto-indent would re-indent typed lines
    assert editor.text_content().replace("\u200b", "") == code.replace("\n", ""), "the editor did not take the code"
    check_cell = cells.nth(index + 1)
    prompt = check_cell.locator(".jp-InputArea-prompt")
    ran_before = execution_count(prompt.text_content()) or 0
    page.keyboard.press("Shift+Enter")  # run the answer, move to the check cell
    page.keyboard.press("Shift+Enter")  # run the check
    # The old output stays until the new one arrives: wait for this run's execution count.
    deadline = time.monotonic() + 60
    while (execution_count(prompt.text_content()) or 0) <= ran_before:
        assert time.monotonic() < deadline, f"the check cell did not run again (prompt {prompt.text_content()!r})"
        page.wait_for_timeout(100)
    notebook.wait_for_kernel("idle", timeout_s=60)
    output = check_cell.locator(".jp-OutputArea-output")
    output.first.wait_for(timeout=30_000)
    return "\n".join(output.all_text_contents())


def test_exercise_check_reports_pass_and_failure_in_the_page(context, lab, report_dir):
    notebook = NotebookPage(context, lab, EXERCISE).open()
    try:
        notebook.run_all()
        index = _cell_index(notebook, "def squared_loss")
        cells = notebook.page.locator(".jp-NotebookPanel .jp-Cell")
        untouched = "\n".join(cells.nth(index + 1).locator(".jp-OutputArea-output").all_text_contents())
        assert "squared_loss: not yet attempted" in untouched

        passed = _answer(notebook, index, CORRECT)
        assert re.search(r"squared_loss: PASS - passed \d+ cases", passed), passed
        assert "FAIL" not in passed
        notebook.screenshot(report_dir / "exercise_02_pass.png", cells.nth(index - 1))  # from the task text

        failed = _answer(notebook, index, WITHOUT_HALF)
        assert "squared_loss: FAIL" in failed, failed
        for part in ("case:", "input:", "expected:", "got:", "Hint:"):
            assert part in failed, f"{part!r} missing from the failure message:\n{failed}"
        assert "factor 1/2 is missing" in failed, failed
        assert "PASS" not in failed
        notebook.screenshot(report_dir / "exercise_02_fail.png", cells.nth(index - 1))
        assert not notebook.error_outputs(), notebook.error_outputs()
    finally:
        notebook.close()

"""Fixtures of the browser tests: one JupyterLab server, one headless Chromium, one report.

Collected only with ``--browser`` (``make test-browser``); ``make test`` never needs a browser.
The report (screenshots of every lesson after its widget moved, and ``latency.md``) is written to
``tests/browser/report/`` (``--browser-report`` changes the folder).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lab_session import CHROMIUM_ARGS, CHROMIUM_HINT, LabServer, find_chromium
from notebook_page import latency_table

REPO = Path(__file__).resolve().parents[2]
REPORT_KEY = pytest.StashKey[list]()

#: JupyterLab settings for the test server: no news pop-up, no update check, no extension manager
#: (each would try the network, which these machines do not reach, or cover the notebook).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/extensionmanager-extension:plugin": {"enabled": False},
}


def pytest_configure(config):
    config.stash[REPORT_KEY] = []


def report_folder(config) -> Path:
    """Where screenshots and latency.md go (``--browser-report``, default tests/browser/report)."""
    folder = Path(config.getoption("browser_report") or REPO / "tests" / "browser" / "report")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def report_dir(pytestconfig) -> Path:
    return report_folder(pytestconfig)


@pytest.fixture(scope="session")
def latency_reports(pytestconfig) -> list:
    """ControlReports of every widget control moved in this run (summarized at the end)."""
    return pytestconfig.stash[REPORT_KEY]


@pytest.fixture(scope="session")
def chromium() -> str:
    executable = find_chromium()
    if executable is None:
        pytest.exit(CHROMIUM_HINT, returncode=3)
    return executable


@pytest.fixture(scope="session")
def workspace(tmp_path_factory) -> Path:
    """A fresh learner's copy of the course (what ``make lab`` opens)."""
    from course_tools.workspace import make_workspace

    target = tmp_path_factory.mktemp("work")
    make_workspace(REPO, target)
    return target


@pytest.fixture(scope="session")
def lab(workspace):
    with LabServer(workspace, settings=LAB_SETTINGS) as server:
        yield server


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def context(browser, lab):
    """A fresh browser profile per test, 1400 × 1000 CSS pixels (a laptop screen)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, device_scale_factor=1)
    ctx.set_default_timeout(30_000)
    yield ctx
    ctx.close()
    lab.shut_down_kernels()


# -- the latency table ---------------------------------------------------------------------------


def pytest_terminal_summary(terminalreporter, config):
    reports = config.stash.get(REPORT_KEY, [])
    if not reports:
        return
    table = latency_table(reports)
    terminalreporter.write_sep("=", "widget latency in Chromium: input event -> new figure painted")
    terminalreporter.write_line(table)
    (report_folder(config) / "latency.md").write_text(
        "# Widget latency in the browser\n\n"
        "Written by `make test-browser`: for each widget control, the time in headless Chromium from the\n"
        "input event (key press on a slider, a select, a click) to the first painted frame that shows the\n"
        "new figure, measured in the page with `performance.now()`. **Bold**: the widget's main control.\n"
        "The baseline is a slider that displays one of five ready-made PNGs of a widget's size (the round\n"
        "trip through the kernel and the output area alone, in the same run). Drag: each slider dragged\n"
        "across its track with the mouse (40 pointer moves in 1–2 s): how many figures the page\n"
        "showed, and how long after the release the last one came (a backlog of updates would show here).\n\n"
        + table + "\n")

"""Shared test configuration (keep it small).

Notebooks under tests/ (e.g. a grading corpus or deliberately wrong answers) are test data,
never notebooks for nbval to run.  Learner exercises (exercises/*.ipynb) raise
NotImplementedError by design; they are not collected because pyproject's testpaths name
exercises/solutions, not exercises (tests/tools/test_course_tools.py checks both points).

tests/browser (JupyterLab in headless Chromium) is left out of a plain ``pytest`` / ``make test``:
it runs when named (``make test-browser`` runs ``pytest --browser tests/browser``) or with --browser.
"""

collect_ignore_glob = ["*.ipynb", "**/*.ipynb"]


def pytest_addoption(parser):
    group = parser.getgroup("course", "regularization course")
    group.addoption("--browser", action="store_true",
                    help="run the JupyterLab browser tests in tests/browser (make test-browser)")
    group.addoption("--browser-report", default=None,
                    help="folder for the browser tests' screenshots and latency table "
                         "(default tests/browser/report)")


def pytest_ignore_collect(collection_path, config):
    """tests/browser needs Chromium and a JupyterLab server: collected only with --browser."""
    if collection_path.name == "browser" and collection_path.parent.name == "tests":
        return None if config.getoption("browser") else True
    return None

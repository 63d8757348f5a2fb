"""The browser tests' tooling, checked without a browser (so it runs in ``make test``).

tests/browser itself needs Chromium and a JupyterLab server and runs in ``make test-browser``; here:
a plain run leaves it out, a missing Chromium is reported with how to install it, and the latency
table's arithmetic (medians, ratios to the baseline, the 200 ms verdict) is right.
"""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "browser"))

from lab_session import find_chromium  # noqa: E402
from notebook_page import ControlReport, Move, latency_table  # noqa: E402


def _collected(*args):
    result = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:xdist", *args],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return [line for line in result.stdout.splitlines() if "::" in line]


def test_a_plain_run_leaves_the_browser_tests_out_and_browser_takes_them_in():
    plain = _collected("tests")
    assert plain and not any(line.startswith("tests/browser/") for line in plain)
    with_browser = _collected("--browser", "tests")
    browser = [line for line in with_browser if line.startswith("tests/browser/")]
    lessons = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert len([b for b in browser if "test_lesson_runs" in b]) == len(lessons) == 12
    assert any("test_exercise" in b for b in browser) and any("baseline" in b for b in browser)


def test_missing_chromium_says_how_to_install_it_and_fails():
    env = dict(os.environ, CHROMIUM=str(REPO / "no-such-chromium"))
    result = subprocess.run([sys.executable, str(REPO / "tests" / "browser" / "lab_session.py")],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "apt-get install chromium" in result.stderr and "no-such-chromium" in result.stderr


def test_chromium_is_taken_from_the_environment_when_set(monkeypatch, tmp_path):
    fake = tmp_path / "my-chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("CHROMIUM", str(fake))
    assert find_chromium() == str(fake)
    fake.chmod(0o644)  # not executable: not a browser
    assert find_chromium() is None


def _report(notebook, control, latencies, main=True):
    report = ControlReport(notebook, 0, control, "slider", main)
    report.moves = [Move(control, "ArrowRight", value, value is not None) for value in latencies]
    return report


def test_latency_table_medians_ratios_and_verdict():
    dragged = _report("03_l2_ridge", "rate", [90.0, 110.0, 100.0, 400.0])
    dragged.drag = {"during": 10, "after": 1, "settle_ms": 29.6}
    reports = [dragged,
               _report("baseline", "baseline", [20.0, 30.0, 25.0]),
               _report("03_l2_ridge", "other", [50.0, 70.0], main=False)]
    table = latency_table(reports)
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert rows[0] == "| baseline | **baseline** | 3 | 25 | 30 | 1.0 |  |"  # baseline first
    assert rows[1] == "| 03_l2_ridge | **rate** | 4 | 105 | 400 | 4.2 | 11, 30 ms |"  # median of 90, 100, 110, 400
    assert rows[2] == "| 03_l2_ridge | other | 2 | 60 | 70 | 2.4 |  |"
    assert "NOT met (slowest move 400 ms, 03_l2_ridge · rate)" in table
    fast = latency_table([_report("04_l1_lasso", "rate", [80.0, 120.0])])
    assert "Target 200 ms for every move: met (slowest move 120 ms" in fast

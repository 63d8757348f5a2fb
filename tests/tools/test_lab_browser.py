"""``make lab`` as a learner meets it, in headless Chromium (run with ``--browser``).

``make lab`` runs with a fresh home folder and a ``BROWSER`` that only writes down the address
JupyterLab asks it to open; Chromium then opens that address.  Lesson 01 must be the only tab (no
Launcher) and no news pop-up may appear, and nothing may be requested from another host.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.mark.slow
def test_make_lab_opens_lesson_01_alone_without_the_news_pop_up(request, tmp_path):
    if not request.config.getoption("browser"):
        pytest.skip("opens Chromium: run with --browser (needs Debian's chromium and the [browser] extra)")
    from course_tools.site.browser import find_chromium

    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no Chromium (sudo apt-get install chromium)")
    playwright = pytest.importorskip("playwright.sync_api")

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    opened = tmp_path / "opened.txt"
    browser_script = tmp_path / "browser.sh"
    browser_script.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    browser_script.chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), BROWSER=str(browser_script))
    for variable in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_SETTINGS_DIR",
                     "JUPYTERLAB_WORKSPACES_DIR"):
        env.pop(variable, None)
    flags = f"--ServerApp.port={port} --ServerApp.port_retries=0" + (" --allow-root" if os.geteuid() == 0 else "")
    server = subprocess.Popen(
        ["make", "-s", "lab", f"WORK={tmp_path / 'my-work'}", f"LAB_FLAGS={flags}"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        while not (opened.exists() and opened.read_text().strip()) and time.monotonic() < deadline:
            assert server.poll() is None, "make lab stopped before JupyterLab opened a browser"
            time.sleep(0.5)
        address = opened.read_text().strip()
        external = []
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.on("request", lambda r: external.append(r.url) if not r.url.startswith(
                ("http://localhost", "http://127.0.0.1", "file:", "data:", "blob:")) else None)
            page.goto(address)
            page.wait_for_selector(".jp-NotebookPanel", timeout=180_000)
            page.wait_for_timeout(20_000)  # the news question comes a few seconds after start
            tabs = page.evaluate("() => Array.from(document.querySelectorAll("
                                 "'.lm-DockPanel-tabBar .lm-TabBar-tabLabel')).map(e => e.textContent)")
            launchers = page.evaluate("() => document.querySelectorAll('.jp-Launcher').length")
            toasts = page.evaluate("() => Array.from(document.querySelectorAll('.Toastify__toast'))"
                                   ".map(e => e.textContent)")
            url = page.url
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        shutil.rmtree(home, ignore_errors=True)
    assert "/lab/tree/notebooks/01_welcome.ipynb" in url
    assert tabs == ["01_welcome.ipynb"] and launchers == 0
    assert not [toast for toast in toasts if "news" in toast.lower()], toasts
    assert external == []

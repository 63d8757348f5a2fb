"""A JupyterLab server and a headless Chromium for the browser tests (``make test-browser``).

The server runs from the project's environment (``sys.executable``) on a free localhost port with a
random token, in a throw-away copy of the learner's workspace (what ``make lab`` opens), with its own
config, data, runtime and settings folders so neither the developer's Jupyter setup nor the tests
leak into each other. Chromium is Debian's package, driven by Playwright for Python (Playwright's own
browser download does not work on our machines).

Run as a script, this module only checks that Chromium is there and says how to install it if not.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

__all__ = ["CHROMIUM_ARGS", "CHROMIUM_HINT", "LabServer", "find_chromium", "free_port"]

#: Flags that let headless Chromium run as root in a container on a closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]

CHROMIUM_HINT = """\
Chromium was not found, and the browser tests need it.
Install Debian's (or Ubuntu's) package:   sudo apt-get install chromium
or point CHROMIUM at a Chromium or Chrome executable:   make test-browser CHROMIUM=/path/to/chromium
(Playwright's own browser download, `playwright install`, is not used by these tests.)"""


def find_chromium() -> str | None:
    """The Chromium executable: ``$CHROMIUM`` if set, else the first of the usual names on PATH."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if Path(explicit).is_file() and os.access(explicit, os.X_OK) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    """A localhost TCP port that was free a moment ago (the server is told not to try others)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """``jupyter lab`` serving ``root`` on 127.0.0.1 with a token; use as a context manager.

    Parameters
    ----------
    root : Path
        The folder JupyterLab shows (its ``root_dir``).
    settings : dict, optional
        JupyterLab user settings, ``{"@jupyterlab/plugin-package:plugin": {...}}``, written
        into a private settings folder (e.g. to switch off the news pop-up).
    """

    def __init__(self, root, settings=None, startup_timeout=120.0):
        self.root = Path(root)
        self.token = secrets.token_hex(16)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.settings = settings or {}
        self.startup_timeout = startup_timeout
        self.process = None
        self.log_path = None
        self._home = None

    def _environment(self) -> dict:
        home = Path(self._home.name)
        env = dict(os.environ)
        for variable, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                              ("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTERLAB_SETTINGS_DIR", "settings"),
                              ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"), ("IPYTHONDIR", "ipython")]:
            (home / sub).mkdir(parents=True, exist_ok=True)
            env[variable] = str(home / sub)
        # The kernels run from the same environment as the server (the project's .venv) and use
        # the environment's kernelspec, not one found in the private data dir.
        env["JUPYTER_PREFER_ENV_PATH"] = "1"
        for plugin, values in self.settings.items():
            package, name = plugin.rsplit(":", 1)
            path = home / "settings" / package / f"{name}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        return env

    def start(self) -> "LabServer":
        self._home = tempfile.TemporaryDirectory(prefix="course-lab-")
        env = self._environment()
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
                   f"--port={self.port}", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
                   "--ServerApp.open_browser=False", "--LabApp.check_for_updates_class="
                   "jupyterlab.NeverCheckForUpdate"]
        if hasattr(os, "getuid") and os.getuid() == 0:
            command.append("--allow-root")
        self.log_path = Path(self._home.name) / "server.log"
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(command, cwd=self.root, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.process.returncode}:\n{self.log()}")
            try:
                self.api("GET", "/api/status")
                return self
            except OSError:
                time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"jupyter lab did not answer within {self.startup_timeout:.0f} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path else ""

    def api(self, method, path, body=None):
        """Call the server's REST API; returns the decoded JSON (or None for an empty answer)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method,
                                         headers={"Authorization": f"token {self.token}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            text = answer.read()
        return json.loads(text) if text else None

    def page_url(self, relative_path) -> str:
        """The address that opens ``relative_path`` (under root) in JupyterLab, logged in by the token."""
        return f"{self.url}/lab/tree/{relative_path}?reset&token={self.token}"

    def shut_down_kernels(self) -> None:
        """End every kernel (a finished lesson's kernel would otherwise hold its memory)."""
        for session in self.api("GET", "/api/sessions") or []:
            self.api("DELETE", f"/api/sessions/{session['id']}")
        for kernel in self.api("GET", "/api/kernels") or []:
            self.api("DELETE", f"/api/kernels/{kernel['id']}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            try:
                self.shut_down_kernels()
            except OSError:
                pass
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._home is not None:
            self._home.cleanup()
            self._home = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


if __name__ == "__main__":
    executable = find_chromium()
    if executable is None:
        if os.environ.get("CHROMIUM"):
            print(f"CHROMIUM={os.environ['CHROMIUM']} is not an executable file.", file=sys.stderr)
        print(CHROMIUM_HINT, file=sys.stderr)
        sys.exit(1)
    print(f"Chromium: {executable}")

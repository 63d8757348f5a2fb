"""The built site in a real headless Chromium with the network off (``python -m course_tools site-check``).

A plain file server (Python's ``http.server``) serves the site on 127.0.0.1; Playwright drives
Debian's Chromium, and every request that is not to that server (or a ``data:`` URL) is blocked
and recorded.  On each page: math set by MathJax (no raw TeX left), every image loaded and with
alt text.  Then the search page answers a query with results.  Needs Chromium and Playwright for
Python (the ``[browser]`` extra); without them it says what to install, in one line.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["BrowserCheck", "MissingBrowser", "check_site_in_browser", "find_chromium"]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
_PAGE_STATE = """() => {
  const unset = document.querySelectorAll('.math.notranslate');
  const raw = Array.from(unset).filter(e => !e.querySelector('.MathJax, .MathJax_Display, mjx-container, script'));
  const images = Array.from(document.images);
  return {
    math: unset.length,
    rendered: document.querySelectorAll('.MathJax, .MathJax_Display, mjx-container').length,
    raw: raw.length,
    images: images.length,
    broken: images.filter(i => !(i.complete && i.naturalWidth > 0)).length,
    noAlt: images.filter(i => !i.alt).length,
  };
}"""
_SEARCH_RESULTS = "() => document.querySelectorAll('#search-results li, ul.search li').length"


class MissingBrowser(RuntimeError):
    """Chromium or Playwright is missing; the message says what to install."""


@dataclass
class BrowserCheck:
    """What the browser saw: pages checked, problems, requests to other hosts, search hits."""

    pages: int = 0
    failed_pages: set = field(default_factory=set)
    problems: list = field(default_factory=list)
    blocked: list = field(default_factory=list)
    search_hits: int = 0


def find_chromium() -> str | None:
    """``$CHROMIUM`` if it is an executable, else the first Chromium or Chrome on PATH."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if Path(explicit).is_file() and os.access(explicit, os.X_OK) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def _serve(folder: Path):
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
        pass


def check_site_in_browser(site, *, query: str = "lasso", wait_ms: int = 15000, pages=None) -> BrowserCheck:
    """Open every page of a built site in headless Chromium with the network off.

    Parameters
    ----------
    site : str or Path
        The built site (with ``index.html`` and ``search.html``).
    query : str
        A word the search must find.
    wait_ms : int
        How long MathJax may take on one page.
    pages : list of str, optional
        Site-relative pages to open; default every ``.html`` file except ``search.html`` and
        ``genindex.html``.

    Returns
    -------
    BrowserCheck

    Raises
    ------
    MissingBrowser
        Without Chromium or Playwright.
    """
    chromium = find_chromium()
    if chromium is None:
        raise MissingBrowser("the site check needs Chromium: sudo apt-get install chromium (or set CHROMIUM=/path)")
    if importlib.util.find_spec("playwright") is None:
        raise MissingBrowser("the site check needs Playwright for Python: pip install -e '.[browser]'")
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    site = Path(site)
    if pages is None:
        pages = sorted(
            path.relative_to(site).as_posix() for path in site.rglob("*.html")
            if path.name not in ("search.html", "genindex.html") and "_static" not in path.parts
        )
    result = BrowserCheck()
    server = _serve(site)
    origin = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page()

            def route(request_route):
                url = request_route.request.url
                if url.startswith(origin) or url.startswith("data:") or url.startswith("blob:"):
                    request_route.continue_()
                else:
                    result.blocked.append(url)
                    request_route.abort()

            page.route("**/*", route)
            for rel in pages:
                blocked_before = len(result.blocked)
                page.goto(origin + rel, wait_until="load")
                try:
                    page.wait_for_function(
                        "() => !document.querySelector('.math.notranslate') || "
                        "(window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0 && "
                        "document.querySelectorAll('.MathJax, .MathJax_Display').length > 0)",
                        timeout=wait_ms,
                    )
                except PlaywrightTimeout:
                    result.problems.append(f"{rel}: MathJax did not finish within {wait_ms} ms")
                    result.failed_pages.add(rel)
                state = page.evaluate(_PAGE_STATE)
                result.pages += 1
                if state["raw"] or state["broken"] or state["noAlt"]:
                    result.failed_pages.add(rel)
                if state["raw"]:
                    result.problems.append(f"{rel}: {state['raw']} of {state['math']} formulas not set by MathJax")
                if state["broken"]:
                    result.problems.append(f"{rel}: {state['broken']} image(s) did not load")
                if state["noAlt"]:
                    result.problems.append(f"{rel}: {state['noAlt']} image(s) without alt text")
                if len(result.blocked) > blocked_before:
                    result.failed_pages.add(rel)
            page.goto(origin + f"search.html?q={query}", wait_until="load")
            try:
                page.wait_for_function(_SEARCH_RESULTS, timeout=wait_ms)
            except PlaywrightTimeout:
                result.problems.append(f"search for {query!r} showed no result within {wait_ms} ms")
            result.search_hits = page.evaluate(_SEARCH_RESULTS)
            browser.close()
    finally:
        server.shutdown()
    return result

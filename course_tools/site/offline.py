"""Does a built site load anything from another host?  (It must not: learners read it offline.)

:func:`external_resources` reads every HTML, CSS and JavaScript file of a folder and lists each
reference that a browser would *fetch* from another host:

- HTML: ``src``, ``srcset``, ``poster`` and ``data`` attributes, ``<link href>`` (stylesheets,
  icons, preloads; not ``rel="canonical"``), ``<meta http-equiv="refresh">``, and ``url(...)`` or
  ``@import`` in ``style`` attributes and ``<style>`` elements, and inline scripts as below;
- CSS: ``url(...)`` and ``@import``;
- JavaScript: any ``http://``, ``https://`` or protocol-relative ``//host/`` string outside
  comments, except XML namespace names (``http://www.w3.org/2000/svg``) and a short list of
  addresses that scripts only show to readers (MathJax's "about" text): those are never fetched.

A link a reader clicks (``<a href="https://scikit-learn.org/...">``) is not a resource and is
allowed.  The headless-browser check (``tests/tools/test_site_browser.py``) confirms with the
network off that nothing is requested after all.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

__all__ = ["external_resources", "is_external"]

_EXTERNAL = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//", re.ASCII)
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)|@import\s+['\"]([^'\"]+)['\"]", re.IGNORECASE)
_JS_URL = re.compile(r"""(?<![\w$])(?:https?:)?//[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,}(?::\d+)?(?:/[^\s'"`)<>]*)?""")
_JS_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_JS_LINE_COMMENT = re.compile(r"(?<![:\\'\"])//[^\n]*")
#: XML namespace names: identifiers that happen to look like URLs; browsers never fetch them.
_NAMESPACES = (
    "http://www.w3.org/1998/Math/MathML",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/2000/xmlns/",
    "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/1999/XSL/Transform",
    "http://exslt.org/common",
)
#: Addresses that the site's JavaScript only shows to readers (help texts, console messages) and
#: never fetches: MathJax's "about" and font-warning texts, a console hint of pydata-sphinx-theme.
_SHOWN_NOT_FETCHED = (
    "http://www.mathjax.org/",
    "http://www.stixfonts.org/",
    "https://github.com/mathjax/MathJax/",
    "https://pydata-sphinx-theme.readthedocs.io/",
)
_FETCHED_ATTRIBUTES = {"src", "srcset", "poster", "data"}
_LINK_NOT_FETCHED = {"canonical", "license", "author", "me", "alternate", "next", "prev", "search", "help"}


def is_external(reference: str) -> bool:
    """Whether a URL names another host (``https://...``, ``//cdn...``); ``data:`` and paths do not."""
    return bool(_EXTERNAL.match(reference))


class _ResourceParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = self._in_script = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            if name in _FETCHED_ATTRIBUTES:
                candidates = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
                self.found += [f"<{tag} {name}={candidate}>" for candidate in candidates if is_external(candidate)]
            elif name == "style":
                self.found += [f"<{tag} style> {url}" for url in _css_urls(value) if is_external(url)]
        if tag == "link" and values.get("href") and is_external(values["href"]):
            rels = set((values.get("rel") or "").lower().split())
            if not rels or not rels <= _LINK_NOT_FETCHED:
                self.found.append(f"<link rel={values.get('rel')} href={values['href']}>")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            target = (values.get("content") or "").partition("url=")[2]
            if is_external(target):
                self.found.append(f"<meta refresh {target}>")
        self._in_style = tag == "style"
        self._in_script = tag == "script" and "src" not in values

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._in_style = self._in_script = False

    def handle_data(self, data):
        if self._in_style:
            self.found += [f"<style> {url}" for url in _css_urls(data) if is_external(url)]
        elif self._in_script:
            self.found += [f"<script> {url}" for url in _js_urls(data)]


def _css_urls(text: str) -> list[str]:
    return [first or second for first, second in _CSS_URL.findall(text)]


def _js_urls(text: str) -> list[str]:
    code = _JS_LINE_COMMENT.sub("", _JS_BLOCK_COMMENT.sub("", text))
    return [url for url in _JS_URL.findall(code) if not url.startswith(_NAMESPACES + _SHOWN_NOT_FETCHED)]


def external_resources(folder) -> list[str]:
    """Every fetch from another host that the files under ``folder`` would make, as ``file: what``.

    Parameters
    ----------
    folder : str or Path
        A built site.

    Returns
    -------
    list of str
        Empty when the site is self-contained.
    """
    folder = Path(folder)
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix not in (".html", ".htm", ".css", ".js", ".mjs"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        rel = path.relative_to(folder).as_posix()
        if suffix in (".html", ".htm"):
            parser = _ResourceParser()
            parser.feed(text)
            items = parser.found
        elif suffix == ".css":
            items = [url for url in _css_urls(text) if is_external(url)]
        else:
            items = _js_urls(text)
        found += [f"{rel}: {item}" for item in items]
    return found

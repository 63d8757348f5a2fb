"""The Sphinx extension of the course site: alt text on figures, folded going-further sections.

Loaded by the ``conf.py`` that :mod:`course_tools.site.build` writes.  Two changes to each page's
document tree, made when it is read (``doctree-read``):

- **Alt text.** myst-nb names an output image by the SHA-256 of its bytes; the configuration value
  ``course_site_alt`` maps those hashes to the descriptions :mod:`course_tools.site.stage` collected.
- **Going further.** The staged markdown cells start with a MyST comment saying whether they are
  core or going-further; code cells carry the class ``tag_going-further``.  Each run of
  going-further content becomes a ``<details class="going-further">`` element (closed), its summary
  the section's heading.  Core content that follows a going-further section without a heading of
  its own is moved out of that section, so folding never hides core text.
"""

from __future__ import annotations

import html
import re
from pathlib import PurePosixPath

from docutils import nodes

__all__ = ["going_further", "fold_going_further", "set_alt_text", "setup"]

_MARKER = re.compile(r"^course-site:\s*(going-further|core)\s*$")
_TOPIC_PREFIX = re.compile(r"^\s*Going further\s*\(optional\)\s*[:—–-]?\s*", re.IGNORECASE)
GOING_FURTHER_CLASS = "tag_going-further"


class going_further(nodes.General, nodes.Element):
    """A folded run of going-further content; ``topic`` is the text of its summary line."""


def _visit_going_further_html(self, node):
    topic = html.escape(node.get("topic", ""))
    self.body.append('<details class="going-further">\n<summary>')
    self.body.append('<span class="going-further-label">Going further (optional)</span>')
    if topic:
        self.body.append(f'<span class="going-further-topic">{topic}</span>')
    self.body.append("</summary>\n")


def _depart_going_further_html(self, node):
    self.body.append("</details>\n")


def _visit_going_further_other(self, node):
    pass


def _depart_going_further_other(self, node):
    pass


def _marker(node) -> str | None:
    if isinstance(node, nodes.comment):
        match = _MARKER.match(node.astext().strip())
        if match:
            return match.group(1)
    return None


def _record_states(document) -> dict:
    """For every node, whether it is going-further content (by the markers before it)."""
    state, states = "core", {}
    for node in document.findall():
        marker = _marker(node)
        if marker:
            state = marker
            continue
        if isinstance(node, nodes.container) and "cell" in node.get("classes", []):
            states[id(node)] = GOING_FURTHER_CLASS in node["classes"]
        elif id(node) not in states:
            states[id(node)] = state == "going-further"
    return states


def _is_going_further(node, states) -> bool | None:
    """True or False for a block of a section; None for the markers themselves (neutral)."""
    if _marker(node):
        return None
    if isinstance(node, nodes.section):
        return states.get(id(node), False)
    if isinstance(node, nodes.title):
        return None
    return states.get(id(node), False)


def _hoist_core_tails(parent, states) -> None:
    """Move core blocks that ended up inside a going-further section out of it (bottom-up)."""
    for child in list(parent.children):
        if isinstance(child, nodes.section):
            _hoist_core_tails(child, states)
    index = 0
    while index < len(parent.children):
        child = parent.children[index]
        if isinstance(child, nodes.section) and states.get(id(child), False):
            blocks = child.children
            cut = next(
                (k for k in range(len(blocks)) if _is_going_further(blocks[k], states) is False),
                None,
            )
            if cut is not None:
                tail = blocks[cut:]
                del child.children[cut:]
                for offset, node in enumerate(tail):
                    parent.insert(index + 1 + offset, node)
        index += 1


def _topic(node) -> str:
    if isinstance(node, nodes.section) and node.children and isinstance(node[0], nodes.title):
        return _TOPIC_PREFIX.sub("", node[0].astext()).strip()
    return ""


def _wrap_runs(parent, states) -> None:
    for child in list(parent.children):
        if isinstance(child, nodes.section) and not states.get(id(child), False):
            _wrap_runs(child, states)  # a going-further section is folded whole, nothing inside it again
    children, run, rebuilt = list(parent.children), [], []

    def close():
        if run:
            box = going_further(topic=_topic(run[0]))
            box.extend(run)
            rebuilt.append(box)
            run.clear()

    for child in children:
        verdict = _is_going_further(child, states)
        if verdict is True:
            run.append(child)
        else:
            close()
            rebuilt.append(child)
    close()
    parent.children = []
    parent.extend(rebuilt)


def fold_going_further(document) -> int:
    """Fold every run of going-further content of ``document`` (in place); return how many."""
    markers = [node for node in document.findall(nodes.comment) if _marker(node)]
    tagged = [node for node in document.findall(nodes.container) if GOING_FURTHER_CLASS in node.get("classes", [])]
    if not markers and not tagged:
        return 0
    states = _record_states(document)
    _hoist_core_tails(document, states)
    _wrap_runs(document, states)
    for marker in markers:
        marker.parent.remove(marker)
    return len(list(document.findall(going_further)))


def set_alt_text(document, alt_by_hash: dict) -> list[str]:
    """Set the alt text of images named ``<sha256>.<ext>``; return the URIs left without one."""
    missing = []
    for image in document.findall(nodes.image):
        stem = PurePosixPath(image.get("uri", "")).stem
        if stem in alt_by_hash:
            image["alt"] = alt_by_hash[stem]
        elif not image.get("alt"):
            missing.append(image.get("uri", ""))
    return missing


def _doctree_read(app, doctree):
    from sphinx.util import logging

    missing = set_alt_text(doctree, app.config.course_site_alt)
    for uri in missing:
        logging.getLogger(__name__).warning(f"image without alt text: {uri}", location=app.env.docname)
    fold_going_further(doctree)


def setup(app):
    """Register the configuration value, the node and the handler."""
    app.add_config_value("course_site_alt", {}, "env")
    app.add_node(
        going_further,
        html=(_visit_going_further_html, _depart_going_further_html),
        latex=(_visit_going_further_other, _depart_going_further_other),
        text=(_visit_going_further_other, _depart_going_further_other),
    )
    app.connect("doctree-read", _doctree_read)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

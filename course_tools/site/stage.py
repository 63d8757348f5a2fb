"""Notebooks as the site shows them: what changes between JupyterLab and a static page.

Pure functions on nbformat notebooks (no kernel, no Sphinx), so each rule is tested on its own:

- the notebook's own navigation line (``[← 01 ...](01_welcome.ipynb) · **02 ...** · [03 ... →](...)``)
  goes: the site's sidebar and previous/next links replace it (two navigation bars otherwise);
- links to ``README.md`` point at the site's index; links to other files of the repository, which
  the site does not hold, keep their text and lose the link;
- a widget's output becomes the figure it drew in its initial state (from the widget state the
  executed notebook stores), followed by a line saying where its controls can be moved; the
  widget state itself is dropped, so no page loads a widget manager;
- every image gets alt text: the description the kernel wrote for it (see
  :mod:`course_tools.site.describe`), keyed by the SHA-256 of the PNG bytes, which is also the
  file name myst-nb gives the image;
- markdown cells carry a MyST comment saying whether they are core or ``going-further``, so the
  Sphinx extension (:mod:`course_tools.site.sphinx_ext`) can fold the going-further sections.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import nbformat

from ..canonical import joined_text
from .describe import DESCRIPTION_MIME

__all__ = [
    "GOING_FURTHER",
    "MARKER_CORE",
    "MARKER_GOING_FURTHER",
    "WIDGET_VIEW",
    "Staged",
    "is_navigation_line",
    "stage_notebook",
    "widget_figure",
]

GOING_FURTHER = "going-further"
MARKER_GOING_FURTHER = "% course-site: going-further"
MARKER_CORE = "% course-site: core"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
#: What a figure's ``text/plain`` says when nobody described it: never acceptable as alt text.
_UNDESCRIBED = re.compile(r"^<(Figure size|IPython\.core\.display\.Image)|^Figure without a title")
_LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(\s+\"[^\"]*\")?\s*\)")
_NAV_LINE = re.compile(r"^(?:(?:\[[^\]]*\]\([^)]*\)|\*\*[^*]+\*\*)\s*(?:[·|]\s*|$))+$")
#: Widget models a learner moves, and what the note calls them.
_CONTROL_KINDS = {
    "FloatSliderModel": "slider", "FloatLogSliderModel": "slider", "IntSliderModel": "slider",
    "FloatRangeSliderModel": "slider", "IntRangeSliderModel": "slider", "SelectionSliderModel": "slider",
    "DropdownModel": "menu", "SelectModel": "menu", "ToggleButtonsModel": "buttons",
    "RadioButtonsModel": "buttons", "ToggleButtonModel": "button", "CheckboxModel": "checkbox",
    "BoundedFloatTextModel": "box", "BoundedIntTextModel": "box",
}


@dataclass
class Staged:
    """A notebook ready for the site, with what the build needs to know about it."""

    notebook: nbformat.NotebookNode
    alt: dict = field(default_factory=dict)  #: SHA-256 of a PNG -> its alt text
    warnings: list = field(default_factory=list)  #: figures without a description, dropped links


def is_navigation_line(line: str) -> bool:
    """Whether a markdown line is a notebook's own navigation bar.

    That is a line made only of links and bold labels separated by ``·`` or ``|``, with at least
    one link and an arrow or a link to the README (``[Course overview](../README.md) · **01 ...**
    · [02 ... →](02_bias_variance.ipynb)``).  Prose that merely contains a link is kept.
    """
    stripped = line.strip()
    if "](" not in stripped or not _NAV_LINE.match(stripped):
        return False
    return any(mark in stripped for mark in ("→", "←", "README.md"))


def _rewrite_links(text: str, here: PurePosixPath, site_files: set, index: PurePosixPath, warnings: list) -> str:
    def replace(match):
        bang, label, target, title = match.group(1), match.group(2), match.group(3), match.group(4) or ""
        if bang or not target or target.startswith("#") or "://" in target or target.startswith("mailto:"):
            return match.group(0)
        path, _, fragment = target.partition("#")
        resolved = PurePosixPath(os.path.normpath(str(here / path)))
        if resolved.name == "README.md" and resolved.parent == PurePosixPath("."):
            return f"[{label}]({os.path.relpath(str(index), str(here))})"
        if resolved in site_files:
            return match.group(0)
        warnings.append(f"link to {target} (not part of the site): kept as text")
        return label

    return _LINK.sub(replace, text)


def _widget_state(nb) -> dict:
    return nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})


def _children(model: dict) -> list[str]:
    refs = model.get("state", {}).get("children", [])
    return [ref[len("IPY_MODEL_"):] for ref in refs if isinstance(ref, str) and ref.startswith("IPY_MODEL_")]


def _walk(state: dict, model_id: str):
    """Model ids of a widget and its descendants, depth first, each once."""
    seen, stack = set(), [model_id]
    while stack:
        current = stack.pop(0)
        if current in seen or current not in state:
            continue
        seen.add(current)
        yield current
        stack[:0] = _children(state[current])


def widget_figure(nb, model_id: str) -> tuple[str | None, str, list[str]]:
    """The PNG (base64) a widget shows in its stored state, its text, and the names of its controls.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook whose metadata holds the widget state (nbclient's
        ``store_widget_state``).
    model_id : str
        The widget's model id (from its ``widget-view+json`` output).

    Returns
    -------
    png : str or None
        The last PNG displayed in an ``Output`` inside the widget; None if there is none.
    text : str
        That display's ``text/plain`` (a figure's description when the describer ran; ``""``).
    controls : list of str
        Its sliders, menus and buttons as the note names them (``the *rate* slider``), in
        display order.
    """
    state = _widget_state(nb)
    png, text, controls = None, "", []
    for current in _walk(state, model_id):
        model = state[current]
        name = model.get("model_name", "")
        values = model.get("state", {})
        if name == "OutputModel":
            for output in values.get("outputs", []):
                data = output.get("data", {})
                if "image/png" in data:
                    png, text = joined_text(data["image/png"]), joined_text(data.get("text/plain", ""))
        elif name in _CONTROL_KINDS:
            label = str(values.get("description", "")).strip().rstrip(":")
            controls.append(f"the *{label}* {_CONTROL_KINDS[name]}" if label else f"the {_CONTROL_KINDS[name]}")
    return png, text, controls


def _png_hash(png_base64: str) -> str:
    return hashlib.sha256(base64.b64decode(png_base64)).hexdigest()


def _control_phrase(controls: list[str]) -> str:
    if not controls:
        return "its controls"
    return controls[0] if len(controls) == 1 else ", ".join(controls[:-1]) + " and " + controls[-1]


def widget_note(controls: list[str], binder_url: str | None, notebook_rel: PurePosixPath) -> str:
    """The line under a widget's figure: what the reader sees and where to move it."""
    where = "in JupyterLab (`make lab` in a copy of the course)"
    if binder_url:
        link = f"{binder_url.rstrip('/')}?urlpath=lab/tree/{notebook_rel.as_posix()}"
        where += f" or [on Binder]({link})"
    else:
        where += " or on Binder"
    return (
        f"*Interactive figure, shown here at its starting setting.* To move {_control_phrase(controls)}, "
        f"open this notebook {where}."
    )


def _stage_outputs(cell, nb, staged: Staged):
    """Replace widget views by their figure; collect alt texts; drop descriptions and empties.

    Returns the controls of the widgets this cell showed (one list per widget).
    """
    outputs, widgets = [], []
    descriptions = {}
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if DESCRIPTION_MIME in data:
            payload = data[DESCRIPTION_MIME]
            descriptions[payload.get("model_id")] = payload.get("alt", "")
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if DESCRIPTION_MIME in data:
            continue
        if WIDGET_VIEW in data:
            model_id = data[WIDGET_VIEW].get("model_id", "")
            png, text, controls = widget_figure(nb, model_id)
            widgets.append(controls)
            if png is None:
                staged.warnings.append(f"a widget ({model_id}) stores no figure: shown as a note only")
                continue
            alt = descriptions.get(model_id) or text
            output = nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": alt})
            data = output["data"]
        if output.get("output_type") == "stream" and not joined_text(output.get("text", "")):
            continue
        if output.get("output_type") in ("display_data", "execute_result") and not data:
            continue
        if "image/png" in data:
            alt = joined_text(data.get("text/plain", "")).strip()
            if not alt or _UNDESCRIBED.match(alt):
                staged.warnings.append(f"a figure has no title to describe it (text/plain {alt[:40]!r})")
                alt = "Figure without a description"
            staged.alt[_png_hash(joined_text(data["image/png"]))] = alt
        outputs.append(output)
    cell["outputs"] = outputs
    return widgets


def stage_notebook(
    nb,
    rel: PurePosixPath,
    *,
    site_files: set,
    index: PurePosixPath = PurePosixPath("index.md"),
    binder_url: str | None = None,
) -> Staged:
    """The site's version of a notebook (a new object; ``nb`` is left unchanged).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A lesson as executed for the site (outputs and widget state), or an unexecuted exercise.
    rel : PurePosixPath
        Its path in the site (``notebooks/02_bias_variance.ipynb``): relative links resolve from it.
    site_files : set of PurePosixPath
        Every notebook of the site: links to them stay, links to other repository files go.
    index : PurePosixPath
        The page that stands for the README.
    binder_url : str, optional
        ``https://mybinder.org/v2/gh/OWNER/REPO/BRANCH``: widget notes link there.

    Returns
    -------
    Staged
    """
    nb = nbformat.from_dict(copy.deepcopy(dict(nb)))
    staged = Staged(nb)
    has_going_further = any(GOING_FURTHER in cell.get("metadata", {}).get("tags", []) for cell in nb.cells)
    cells = []
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type == "markdown":
            lines = [line for line in joined_text(cell.source).split("\n") if not is_navigation_line(line)]
            text = _rewrite_links("\n".join(lines), rel.parent, site_files, index, staged.warnings).strip("\n")
            if has_going_further:
                marker = MARKER_GOING_FURTHER if GOING_FURTHER in tags else MARKER_CORE
                text = f"{marker}\n{text}"
            cell.source = text
            if text.strip():
                cells.append(cell)
            continue
        cells.append(cell)
        if cell.cell_type != "code":
            continue
        for controls in _stage_outputs(cell, nb, staged):
            note = nbformat.v4.new_markdown_cell(widget_note(controls, binder_url, rel))
            if has_going_further:
                marker = MARKER_GOING_FURTHER if GOING_FURTHER in tags else MARKER_CORE
                note.source = f"{marker}\n{note.source}"
            cells.append(note)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    nb.metadata.setdefault("language_info", {"name": "python"})  # myst-nb's code highlighting reads it
    return staged

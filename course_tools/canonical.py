"""The canonical, diff-friendly form of a course notebook.

A notebook is *tidy* when it equals ``tidy_notebook(nb)``:

* nbformat 4.5, every cell with a valid unique ``id``;
* notebook metadata: only ``kernelspec`` (always the ``python3`` one), ``language_info``
  reduced to its ``name`` and, if present, ``nbgrader``;
* cell metadata: only ``tags`` (non-empty) and ``nbgrader`` (raw cells also keep
  ``raw_mimetype`` and ``format``, which nbconvert reads); the heading cell of a going-further
  section (a markdown cell tagged ``going-further`` whose first line is a heading
  ``... Going further (optional) ...``) also gets ``"jp-MarkdownHeadingCollapsed": true``, so
  JupyterLab opens the section folded — unless a core cell comes before the next heading of the
  same or a higher level, which folding would hide — and no other cell keeps that key;
* nbval's markers are cell tags, never comments a learner would read: a comment line
  ``# NBVAL_CHECK_OUTPUT`` (``NBVAL_IGNORE_OUTPUT``, ``NBVAL_SKIP``, ``NBVAL_RAISES_EXCEPTION``)
  becomes the tag ``nbval-check-output`` (``nbval-ignore-output``, ``nbval-skip``,
  ``raises-exception``);
* outputs only on code cells tagged ``nbval-check-output``, only text: streams (merged per stream name, as nbval compares them) and the ``text/plain`` of
  ``execute_result``/``display_data``; no errors, no images, no output metadata;
* ``execution_count`` is ``null`` everywhere, including inside outputs, except on a cell that
  stores outputs, where it is 1: nbval treats a cell with a null count as never run and
  fails with "Unrun reference cell has outputs";
* no trailing whitespace at the end of a cell's source.

On disk the notebook is the JSON that nbformat writes (indent 1, sorted keys) plus a newline.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from pathlib import Path

import nbformat

__all__ = [
    "CHECK_MARKER",
    "CHECK_TAG",
    "MARKER_TAGS",
    "KERNELSPEC",
    "checks_output",
    "foldable_going_further_headings",
    "is_going_further_heading",
    "joined_text",
    "tidy_notebook",
    "is_tidy",
    "notebook_text",
    "file_problems",
    "read_notebook",
    "write_notebook",
]

CHECK_MARKER = "NBVAL_CHECK_OUTPUT"
CHECK_TAG = "nbval-check-output"
# nbval's comment markers and the cell tags that mean the same (nbval reads both; learners see comments).
MARKER_TAGS = {
    "NBVAL_CHECK_OUTPUT": CHECK_TAG,
    "NBVAL_IGNORE_OUTPUT": "nbval-ignore-output",
    "NBVAL_SKIP": "nbval-skip",
    "NBVAL_RAISES_EXCEPTION": "raises-exception",
}
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
NOTEBOOK_METADATA_KEYS = ("kernelspec", "language_info", "nbgrader")
CELL_METADATA_KEYS = ("tags", "nbgrader")
RAW_CELL_METADATA_KEYS = CELL_METADATA_KEYS + ("raw_mimetype", "format")
NBFORMAT_MINOR = 5
GOING_FURTHER_TAG = "going-further"
COLLAPSED_KEY = "jp-MarkdownHeadingCollapsed"
_GOING_FURTHER_HEADING = re.compile(r"^\s{0,3}#{1,6}\s.*Going further \(optional\)")
_ANY_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s")

_ID_PATTERN = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
# Progress bars: keep what a terminal would show after carriage returns and backspaces.
_CARRIAGE_RETURN = re.compile(r"^.*\r(?=[^\n])", re.MULTILINE)
_BACKSPACE = re.compile("[^\n]\x08")


def joined_text(value) -> str:
    """Notebook text fields may be a string or a list of lines."""
    return "".join(value) if isinstance(value, list) else str(value)


def _marker(line: str) -> str | None:
    """The nbval marker a source line is (nbval's own parsing: ``#``s, then the marker), or None."""
    line = line.strip()
    if line.startswith("#") and line.lstrip("#").strip() in MARKER_TAGS:
        return line.lstrip("#").strip()
    return None


def marker_comments(cell) -> list[str]:
    """The nbval marker comments (``NBVAL_CHECK_OUTPUT`` ...) in a code cell's source."""
    if cell.get("cell_type") != "code":
        return []
    return [m for line in joined_text(cell.get("source", "")).splitlines() if (m := _marker(line))]


def checks_output(cell) -> bool:
    """Whether nbval compares this cell's outputs under ``--nbval-lax``.

    That is a code cell tagged ``nbval-check-output`` or, as nbval also reads it, with a comment
    line ``# NBVAL_CHECK_OUTPUT`` (the canonical form turns the comment into the tag).
    """
    if cell.get("cell_type") != "code":
        return False
    return CHECK_TAG in cell.get("metadata", {}).get("tags", []) or CHECK_MARKER in marker_comments(cell)


def _markers_to_tags(cell) -> None:
    """Move nbval's marker comments of a code cell into its tags (in place)."""
    markers = marker_comments(cell)
    if not markers:
        return
    lines = joined_text(cell.get("source", "")).splitlines()
    cell["source"] = "\n".join(line for line in lines if _marker(line) is None).strip("\n")
    tags = list(cell.get("metadata", {}).get("tags", []))
    tags += [MARKER_TAGS[m] for m in markers if MARKER_TAGS[m] not in tags]
    cell.setdefault("metadata", {})["tags"] = tags


def _clean_stream_text(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _BACKSPACE.sub("", text)
    return _CARRIAGE_RETURN.sub("", text)


def _text_outputs(outputs) -> list:
    """Reduce outputs to the text nbval compares: merged streams and ``text/plain`` results."""
    kept = []
    streams = {}
    for output in outputs:
        kind = output.get("output_type")
        if kind == "stream":
            name = output.get("name", "stdout")
            if name in streams:
                streams[name]["text"] += joined_text(output.get("text", ""))
            else:
                stream = nbformat.from_dict(
                    {"output_type": "stream", "name": name, "text": joined_text(output.get("text", ""))}
                )
                streams[name] = stream
                kept.append(stream)
        elif kind in ("execute_result", "display_data"):
            data = output.get("data", {})
            if "text/plain" not in data:
                continue
            reduced = {"output_type": kind, "metadata": {}, "data": {"text/plain": joined_text(data["text/plain"])}}
            if kind == "execute_result":
                reduced["execution_count"] = None
            kept.append(nbformat.from_dict(reduced))
        # errors and anything else are dropped: tracebacks are volatile
    for stream in streams.values():
        stream["text"] = _clean_stream_text(stream["text"])
    return [output for output in kept if output.get("output_type") != "stream" or output["text"]]


def is_going_further_heading(cell) -> bool:
    """Whether a cell opens a going-further section: markdown, tagged, first line its heading."""
    if cell.get("cell_type") != "markdown":
        return False
    if GOING_FURTHER_TAG not in cell.get("metadata", {}).get("tags", []):
        return False
    lines = joined_text(cell.get("source", "")).lstrip("\n").splitlines()
    return bool(lines) and bool(_GOING_FURTHER_HEADING.match(lines[0]))


def _stable_id(index: int, source: str, taken: set) -> str:
    digest = hashlib.sha1(f"{index}\n{source}".encode()).hexdigest()
    length = 8
    while digest[:length] in taken and length < len(digest):
        length += 1
    return digest[:length]


def _tidy_metadata(metadata, keys) -> dict:
    kept = {key: copy.deepcopy(metadata[key]) for key in keys if key in metadata}
    if not kept.get("tags", True):
        del kept["tags"]
    return kept


def tidy_notebook(nb):
    """Return the canonical form of a notebook (a new object; ``nb`` is left unchanged).

    Idempotent: ``tidy_notebook(tidy_notebook(nb)) == tidy_notebook(nb)``.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An nbformat 4 notebook, e.g. from ``nbformat.read(path, as_version=4)``.

    Returns
    -------
    nbformat.NotebookNode
    """
    if nb.get("nbformat") != 4:
        raise ValueError(
            f"nb must be an nbformat 4 notebook; got nbformat={nb.get('nbformat')!r} "
            "(read it with nbformat.read(path, as_version=4))"
        )
    tidy = nbformat.from_dict(copy.deepcopy(dict(nb)))
    tidy["nbformat_minor"] = NBFORMAT_MINOR

    metadata = _tidy_metadata(tidy.get("metadata", {}), NOTEBOOK_METADATA_KEYS)
    metadata["kernelspec"] = dict(KERNELSPEC)
    metadata["language_info"] = {"name": "python"}
    tidy["metadata"] = nbformat.from_dict(metadata)

    taken: set = set()
    for index, cell in enumerate(tidy.cells):
        _markers_to_tags(cell)
        cell["source"] = joined_text(cell.get("source", "")).rstrip()
        keys = RAW_CELL_METADATA_KEYS if cell.cell_type == "raw" else CELL_METADATA_KEYS
        cell["metadata"] = nbformat.from_dict(_tidy_metadata(cell.get("metadata", {}), keys))
        cell_id = cell.get("id")
        if not isinstance(cell_id, str) or not _ID_PATTERN.match(cell_id) or cell_id in taken:
            cell_id = _stable_id(index, cell["source"], taken)
        cell["id"] = cell_id
        taken.add(cell_id)
        if cell.cell_type == "code":
            outputs = _text_outputs(cell.get("outputs", [])) if checks_output(cell) else []
            cell["outputs"] = outputs
            cell["execution_count"] = 1 if outputs else None
    for index in foldable_going_further_headings(tidy.cells):
        tidy.cells[index]["metadata"][COLLAPSED_KEY] = True  # JupyterLab opens the section folded
    return tidy


def _heading_level(cell) -> int | None:
    """The level of a markdown cell's first heading (JupyterLab folds by it); None without one."""
    if cell.get("cell_type") != "markdown":
        return None
    for line in joined_text(cell.get("source", "")).splitlines():
        match = _ANY_HEADING.match(line)
        if match:
            return len(match.group(1))
    return None


def foldable_going_further_headings(cells) -> list[int]:
    """Indices of the going-further headings that JupyterLab may open folded.

    JupyterLab folds a heading's cell together with every cell up to the next heading of the same
    or a higher level.  A going-further heading qualifies only when all of those cells are
    going-further too: folding must never hide a core cell.
    """
    found = []
    for index, cell in enumerate(cells):
        if not is_going_further_heading(cell):
            continue
        level = _heading_level(cell)
        safe = True
        for later in cells[index + 1:]:
            later_level = _heading_level(later)
            if later_level is not None and later_level <= level:
                break
            if GOING_FURTHER_TAG not in later.get("metadata", {}).get("tags", []):
                safe = False
                break
        if safe:
            found.append(index)
    return found


def _mime_types(outputs) -> set:
    found = set()
    for output in outputs:
        found.update(output.get("data", {}))
    return found


def _output_reasons(where: str, cell) -> list[str]:
    outputs = cell.get("outputs", [])
    if not checks_output(cell):
        return [f"{where}: stores {len(outputs)} output(s) but is not tagged {CHECK_TAG}"]
    reasons = []
    dropped = sorted(_mime_types(outputs) - {"text/plain"})
    if dropped:
        reasons.append(f"{where}: stores {', '.join(dropped)} (only text/plain and streams are kept)")
    if any(output.get("output_type") == "error" for output in outputs):
        reasons.append(f"{where}: stores an error traceback")
    if any(output.get("execution_count") is not None for output in outputs):
        reasons.append(f"{where}: an output carries an execution count")
    if any(output.get("metadata") for output in outputs):
        reasons.append(f"{where}: an output carries metadata")
    if not reasons:
        reasons.append(f"{where}: outputs not in canonical form (e.g. streams not merged)")
    return reasons


def is_tidy(nb) -> list[str]:
    """Why a notebook is not in canonical form; an empty list when it is.

    Parameters
    ----------
    nb : nbformat.NotebookNode

    Returns
    -------
    list of str
        One human-readable reason per problem, e.g.
        ``"cell 4 (code): execution_count 7 (expected null)"``.  Cells are numbered from 1.
    """
    if nb.get("nbformat") != 4:
        return [f"nbformat {nb.get('nbformat')!r} (expected 4)"]
    tidy = tidy_notebook(nb)
    reasons = []
    if nb.get("nbformat_minor") != tidy.nbformat_minor:
        reasons.append(f"nbformat_minor {nb.get('nbformat_minor')!r} (expected {tidy.nbformat_minor})")
    metadata = nb.get("metadata", {})
    extra = sorted(set(metadata) - set(NOTEBOOK_METADATA_KEYS))
    if extra:
        reasons.append(f"notebook metadata has volatile keys: {', '.join(extra)}")
    if metadata.get("kernelspec") != KERNELSPEC:
        reasons.append(f"kernelspec is {metadata.get('kernelspec')!r} (expected {KERNELSPEC!r})")
    if metadata.get("language_info") != {"name": "python"}:
        reasons.append("language_info should be just {'name': 'python'}")

    for number, (cell, tidy_cell) in enumerate(zip(nb.cells, tidy.cells), start=1):
        where = f"cell {number} ({cell.get('cell_type')})"
        if cell.get("id") != tidy_cell.id:
            reasons.append(f"{where}: missing, invalid or duplicate id {cell.get('id')!r}")
        cell_metadata = cell.get("metadata", {})
        extra = sorted(set(cell_metadata) - set(tidy_cell.metadata))
        if extra:
            reasons.append(f"{where}: volatile metadata {', '.join(extra)}")
        elif COLLAPSED_KEY in tidy_cell.metadata and cell_metadata.get(COLLAPSED_KEY) is not True:
            reasons.append(
                f"{where}: a going-further heading opens folded in JupyterLab; make tidy sets {COLLAPSED_KEY}"
            )
        elif cell_metadata != tidy_cell.metadata and not marker_comments(cell):
            reasons.append(f"{where}: metadata not in canonical form")
        markers = marker_comments(cell)
        if markers:
            reasons.append(
                f"{where}: nbval marker comment(s) {', '.join('# ' + m for m in markers)} in the source "
                "(learners read them); use the cell tag(s) instead: make tidy moves them"
            )
        elif joined_text(cell.get("source", "")) != tidy_cell.source:
            reasons.append(f"{where}: trailing whitespace at the end of the source")
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs", []) != tidy_cell.outputs:
            reasons.extend(_output_reasons(where, cell))
        if cell.get("execution_count") != tidy_cell.execution_count:
            expected = "null" if tidy_cell.execution_count is None else tidy_cell.execution_count
            reasons.append(f"{where}: execution_count {cell.get('execution_count')!r} (expected {expected})")

    if not reasons and nb != tidy:
        reasons.append("differs from the canonical form")
    return reasons


def notebook_text(nb) -> str:
    """The exact file contents nbformat writes for ``nb``: indent 1, sorted keys, final newline."""
    text = nbformat.writes(nb, version=4)
    return text if text.endswith("\n") else text + "\n"


def file_problems(path) -> list[str]:
    """Why the notebook file at ``path`` is not tidy; an empty list when it is.

    Adds to :func:`is_tidy` the checks that only make sense on the file: valid JSON, nbformat 4,
    and the exact text nbformat writes.
    """
    text = Path(path).read_text(encoding="utf-8")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        return [f"not valid JSON: {error}"]
    if not isinstance(raw, dict) or raw.get("nbformat") != 4:
        version = raw.get("nbformat") if isinstance(raw, dict) else None
        return [f"nbformat {version!r} (expected 4)"]
    nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    reasons = is_tidy(nb)
    if not reasons and text != notebook_text(nb):
        reasons.append("JSON layout differs from nbformat's (indent 1, sorted keys, final newline)")
    return reasons


def read_notebook(path):
    """Read an ``.ipynb`` file as an nbformat 4 notebook."""
    return nbformat.read(str(path), as_version=4)


def write_notebook(nb, path) -> bool:
    """Write ``nb`` in canonical JSON to ``path``; return whether the file changed.

    The notebook is validated against the nbformat schema first, and the file is left
    untouched when its text would not change (so timestamps and editors stay calm).
    """
    nbformat.validate(nb)
    path = Path(path)
    text = notebook_text(nb)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True

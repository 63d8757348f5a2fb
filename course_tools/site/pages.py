"""Which notebooks the site holds, their titles, and the order a learner reads them in.

Lessons are ``notebooks/NN_topic.ipynb``; exercises ``exercises/exNN_topic.ipynb`` (never the
solutions).  An exercise belongs to the lesson with the same number, and comes right after it:
``01, 02, ex02, 03, ex03, ...`` is the sidebar's order and the previous/next chain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..canonical import joined_text, read_notebook

__all__ = ["Page", "course_pages", "course_title", "notebook_title", "plain_text", "readme_intro"]

DEFAULT_COURSE_TITLE = "Regularization course"
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_LESSON = re.compile(r"^(\d\d)_[a-z0-9_]+\.ipynb$")
_EXERCISE = re.compile(r"^ex(\d\d)_[a-z0-9_]+\.ipynb$")


@dataclass(frozen=True)
class Page:
    """One notebook of the site.

    ``source`` is its file in the repository, ``rel`` its path in the site
    (``notebooks/02_bias_variance.ipynb``), ``kind`` ``"lesson"`` or ``"exercise"``, ``number`` its
    two-digit number.
    """

    source: Path
    rel: PurePosixPath
    title: str
    kind: str
    number: str

    @property
    def docname(self) -> str:
        """Its Sphinx document name (``notebooks/02_bias_variance``)."""
        return self.rel.with_suffix("").as_posix()

    @property
    def html_rel(self) -> PurePosixPath:
        return self.rel.with_suffix(".html")


def plain_text(markdown: str) -> str:
    """Markdown inline text without links, emphasis or code marks (``snake_case`` survives)."""
    text = _MD_LINK.sub(r"\1", markdown)
    text = re.sub(r"(?<!\w)_{1,2}([^_]+?)_{1,2}(?!\w)", r"\1", text)
    return re.sub(r"[*`]", "", text).strip()


def notebook_title(nb, fallback: str) -> str:
    """The text of the first markdown heading in ``nb``, or ``fallback``."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in joined_text(cell.source).splitlines():
            match = _HEADING.match(line)
            if match:
                return plain_text(match.group(1))
    return fallback


def course_title(root) -> str:
    """The first ``# `` heading of the README, or a default."""
    readme = Path(root) / "README.md"
    if readme.exists():
        for line in readme.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return plain_text(line[2:])
    return DEFAULT_COURSE_TITLE


def readme_intro(root) -> str:
    """The README's first paragraph after its title (markdown), or an empty string."""
    readme = Path(root) / "README.md"
    if not readme.exists():
        return ""
    paragraph, started = [], False
    for line in readme.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            started = True
            continue
        if not started:
            continue
        if not line.strip() or line.startswith("#"):
            if paragraph:
                break
            continue
        paragraph.append(line)
    return "\n".join(paragraph)


def _pages(folder: Path, rel_folder: str, pattern: re.Pattern, kind: str) -> list[Page]:
    pages = []
    for path in sorted(folder.glob("*.ipynb")):
        match = pattern.match(path.name)
        if not match:
            continue
        title = notebook_title(read_notebook(path), path.stem.replace("_", " "))
        pages.append(Page(path, PurePosixPath(rel_folder) / path.name, title, kind, match.group(1)))
    return pages


def course_pages(root) -> list[Page]:
    """Every lesson and learner exercise under ``root``, in reading order.

    Raises
    ------
    ValueError
        If ``root`` holds no lesson ``notebooks/NN_topic.ipynb``.
    """
    root = Path(root)
    lessons = _pages(root / "notebooks", "notebooks", _LESSON, "lesson")
    if not lessons:
        raise ValueError(f"root must contain lessons notebooks/NN_topic.ipynb; found none under {root / 'notebooks'}")
    exercises = _pages(root / "exercises", "exercises", _EXERCISE, "exercise")
    return sorted(lessons + exercises, key=lambda page: (page.number, page.kind != "lesson", page.rel.name))

"""The course as a static HTML site: executed lessons, unexecuted learner exercises, an index.

Layout of the output folder (the same relative layout as the repository, so a lesson's link
``../exercises/ex03_l2_ridge.ipynb`` becomes ``../exercises/ex03_l2_ridge.html`` and still works)::

    index.html                    course title, lessons in order, their exercises
    notebooks/NN_topic.html       each lesson, executed, figures embedded as data URIs
    notebooks/NN_topic.ipynb      the lesson notebook to download
    exercises/NN_topic.html       each learner exercise, NOT executed (no solution can leak)
    exercises/NN_topic.ipynb      the exercise notebook to download
    .nojekyll                     serve the files as they are on GitHub Pages

Every page gets previous/next links at the top and the bottom.  Solutions are never rendered.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import nbformat

from .canonical import joined_text, read_notebook
from .execute import DEFAULT_TIMEOUT, execute_file_for_site

__all__ = ["Page", "build_site", "notebook_title", "course_title"]

DEFAULT_COURSE_TITLE = "Regularization course"
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_NOTEBOOK_LINK = re.compile(r"(\]\(\s*<?|href\s*=\s*[\"'])([^)\s\"'>#]+(?:\.ipynb|README\.md))(#[^)\s\"'>]*)?")
_NBVAL_MARKER = re.compile(r"^\s*#+\s*NBVAL_[A-Z_]+\s*$")
_LESSON_NAME = re.compile(r"^\d\d_[a-z0-9_]+\.ipynb$")


@dataclass
class Page:
    """One notebook of the site: ``source`` in the repository, ``rel`` its path in the site."""

    source: Path
    rel: PurePosixPath
    title: str

    @property
    def html_rel(self) -> PurePosixPath:
        return self.rel.with_suffix(".html")


def _plain(markdown: str) -> str:
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
                return _plain(match.group(1))
    return fallback


def course_title(root) -> str:
    """The first ``# `` heading of the README, or a default."""
    readme = Path(root) / "README.md"
    if readme.exists():
        for line in readme.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return _plain(line[2:])
    return DEFAULT_COURSE_TITLE


def _relative(target: PurePosixPath, start_dir: PurePosixPath) -> str:
    return PurePosixPath(os.path.relpath(str(target), str(start_dir) or ".")).as_posix()


def _rewrite_notebook_links(source: str, page: Page, site_notebooks: set) -> str:
    """Point relative links to notebooks of the site at their pages, and the README at the index."""
    here = page.rel.parent

    def replace(match):
        target = match.group(2)
        if "://" in target or target.startswith("/"):
            return match.group(0)
        resolved = PurePosixPath(os.path.normpath(str(here / target)))
        if resolved == PurePosixPath("README.md"):
            return match.group(1) + _relative(PurePosixPath("index.html"), here)
        if resolved not in site_notebooks:
            return match.group(0)
        return match.group(1) + target[: -len(".ipynb")] + ".html" + (match.group(3) or "")

    return _NOTEBOOK_LINK.sub(replace, source)


def _without_test_markers(source: str) -> str:
    """Code without nbval's marker comments (``# NBVAL_CHECK_OUTPUT`` ...): noise for a reader."""
    lines = source.split("\n")
    kept = [line for line in lines if not _NBVAL_MARKER.match(line)]
    return "\n".join(kept)


def _navigation(page: Page, previous: Page | None, following: Page | None, extra: list[tuple[str, PurePosixPath]]):
    here = page.rel.parent
    parts = []
    if previous is not None:
        parts.append(f"[← {previous.title}]({_relative(previous.html_rel, here)})")
    parts.append(f"[Contents]({_relative(PurePosixPath('index.html'), here)})")
    for label, target in extra:
        parts.append(f"[{label}]({_relative(target, here)})")
    parts.append(f"[Download notebook]({page.rel.name})")
    if following is not None:
        parts.append(f"[{following.title} →]({_relative(following.html_rel, here)})")
    return nbformat.v4.new_markdown_cell(" · ".join(parts))


def _render(nb, page: Page, navigation, site_notebooks: set, out: Path) -> None:
    from nbconvert import HTMLExporter

    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = _rewrite_notebook_links(joined_text(cell.source), page, site_notebooks)
        elif cell.cell_type == "code":
            cell.source = _without_test_markers(joined_text(cell.source))
    bottom = nbformat.v4.new_markdown_cell(navigation.source)
    nb.cells = [navigation] + list(nb.cells) + [bottom]
    nb.metadata["title"] = page.title
    exporter = HTMLExporter(template_name="lab")
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": page.title}})
    target = out / page.html_rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")
    shutil.copyfile(page.source, out / page.rel)


def _index_html(title: str, lessons: list[Page], exercise_of: dict) -> str:
    rows = []
    linked = {lesson.rel.name for lesson in lessons}
    others = [page for name, page in sorted(exercise_of.items()) if name not in linked]
    for lesson in lessons:
        exercise = exercise_of.get(lesson.rel.name)
        link = (
            f' <span class="exercise">— exercise: <a href="{html.escape(exercise.html_rel.as_posix())}">'
            f"{html.escape(exercise.title)}</a></span>"
            if exercise
            else ""
        )
        rows.append(f'  <li><a href="{html.escape(lesson.html_rel.as_posix())}">{html.escape(lesson.title)}</a>{link}</li>')
    items = "\n".join(rows)
    more = ""
    if others:
        links = ", ".join(f'<a href="{html.escape(p.html_rel.as_posix())}">{html.escape(p.title)}</a>' for p in others)
        more = f"<p>More exercises: {links}</p>\n"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
 body {{ font-family: system-ui, sans-serif; max-width: 46rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; }}
 li {{ margin: 0.4rem 0; }}
 .exercise {{ color: #555; }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p>Work through the lessons in order. Each lesson page shows the notebook run from top to bottom;
each exercise page shows the learner notebook, to download and solve in Jupyter.</p>
<ol>
{items}
</ol>
{more}</body>
</html>
"""


def _pages(folder: Path, rel_folder: str, names=None) -> list[Page]:
    pages = []
    for path in sorted(folder.glob("*.ipynb")):
        if names is not None and not names(path.name):
            continue
        title = notebook_title(read_notebook(path), path.stem.replace("_", " "))
        pages.append(Page(path, PurePosixPath(rel_folder) / path.name, title))
    return pages


def build_site(root, out, *, jobs: int = 1, timeout: float = DEFAULT_TIMEOUT, title: str | None = None, log=print):
    """Build the static site of the course.

    Parameters
    ----------
    root : str or Path
        The repository (with ``notebooks/`` and ``exercises/``).
    out : str or Path
        Output folder; created if needed, its previous pages are overwritten.
    jobs : int
        Lessons executed at the same time (each in its own process and kernel).
    timeout : float
        Seconds allowed per cell.
    title : str, optional
        Course title; default: the README's first heading.
    log : callable
        Progress messages go here.

    Returns
    -------
    index : Path
        The site's ``index.html``.
    errors : list of str
        Lessons whose cells raised (their pages show the traceback); empty when all is well.
    """
    root, out = Path(root), Path(out)
    lessons = _pages(root / "notebooks", "notebooks", lambda name: bool(_LESSON_NAME.match(name)))
    exercises = _pages(root / "exercises", "exercises")
    if not lessons:
        raise ValueError(f"root must contain lessons notebooks/NN_topic.ipynb; found none under {root / 'notebooks'}")
    out.mkdir(parents=True, exist_ok=True)
    site_notebooks = {page.rel for page in lessons + exercises}
    exercise_by_name = {page.rel.name: page for page in exercises}
    lesson_by_name = {page.rel.name: page for page in lessons}

    log(f"executing {len(lessons)} lessons ({jobs} at a time)...")
    paths = [str(page.source) for page in lessons]
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(execute_file_for_site, paths, [timeout] * len(paths)))
    else:
        results = [execute_file_for_site(path, timeout) for path in paths]

    errors = []
    for number, (lesson, (text, problems)) in enumerate(zip(lessons, results)):
        errors.extend(f"{lesson.rel}: {problem}" for problem in problems)
        previous = lessons[number - 1] if number > 0 else None
        following = lessons[number + 1] if number + 1 < len(lessons) else None
        exercise = exercise_by_name.get(lesson.rel.name)
        extra = [("Exercise", exercise.html_rel)] if exercise else []
        navigation = _navigation(lesson, previous, following, extra)
        _render(nbformat.reads(text, as_version=4), lesson, navigation, site_notebooks, out)
        log(f"  {lesson.html_rel}" + (f"  ({len(problems)} error(s))" if problems else ""))

    for number, exercise in enumerate(exercises):
        previous = exercises[number - 1] if number > 0 else None
        following = exercises[number + 1] if number + 1 < len(exercises) else None
        lesson = lesson_by_name.get(exercise.rel.name)
        extra = [("Lesson", lesson.html_rel)] if lesson else []
        navigation = _navigation(exercise, previous, following, extra)
        _render(read_notebook(exercise.source), exercise, navigation, site_notebooks, out)
        log(f"  {exercise.html_rel}")

    index = out / "index.html"
    index.write_text(_index_html(title or course_title(root), lessons, exercise_by_name), encoding="utf-8")
    (out / ".nojekyll").write_text("", encoding="utf-8")
    return index, errors

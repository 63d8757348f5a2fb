"""Build the course site: run the lessons, stage the notebooks, let Sphinx write the pages.

The steps of :func:`build_site`:

1. run every lesson in a kernel of this Python (:func:`execute_for_site`), with the figure
   describer of :mod:`course_tools.site.describe` installed first;
2. stage each lesson and each learner exercise (:func:`course_tools.site.stage.stage_notebook`)
   into a temporary source folder, with an ``index.md`` (the lesson table and the sidebar's
   table of contents), a ``conf.py``, the site's CSS and a copy of MathJax from the
   ``jupyter-server-mathjax`` package;
3. run Sphinx (myst-nb reads the notebooks, not executing them again; sphinx-book-theme draws the
   sidebar, search and previous/next links) into ``out``;
4. check that no page loads anything from another host (:mod:`course_tools.site.offline`).

Sphinx's own warnings (a broken cross-reference, an image without alt text) are build errors.
"""

from __future__ import annotations

import importlib
import io
import re
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path, PurePosixPath

import nbformat

from ..canonical import read_notebook
from .offline import external_resources
from .pages import Page, course_pages, course_title, readme_intro
from .stage import stage_notebook

__all__ = ["MissingSiteDependency", "SITE_MODULES", "build_site", "execute_for_site", "require_site_dependencies"]

#: Importable module -> the pip package that provides it (all in the ``[site]`` extra).
SITE_MODULES = {
    "sphinx": "sphinx",
    "myst_nb": "myst-nb",
    "sphinx_book_theme": "sphinx-book-theme",
    "jupyter_server_mathjax": "jupyter-server-mathjax",
    "nbclient": "nbclient",
}
INSTALL_HINT = "pip install -e '.[site]'  (make site does it for you)"
_SETUP_CELL = "import course_tools.site.describe as _site_describe\n_site_describe.install()\ndel _site_describe"
_STATIC = Path(__file__).with_name("static")
_MARKER_FILE = ".course-site"


class MissingSiteDependency(RuntimeError):
    """A package the site build needs is not installed; the message says what to install."""


def require_site_dependencies(modules=SITE_MODULES) -> None:
    """Raise :class:`MissingSiteDependency` naming every missing package of the ``[site]`` extra."""
    missing = []
    for module, package in modules.items():
        try:  # imported, not just found: a package whose own dependencies are broken counts as missing
            importlib.import_module(module)
        except ImportError:
            missing.append(package)
    if missing:
        raise MissingSiteDependency(f"the site needs {', '.join(missing)}: {INSTALL_HINT}")


def execute_for_site(path: str, timeout: float) -> tuple[str, list[str]]:
    """Run one lesson for the site, going on after errors.

    The figure describer is installed by a first cell that is removed again afterwards.

    Returns
    -------
    notebook : str
        The executed notebook as JSON (it crosses process boundaries), widget state included.
    errors : list of str
        Errors of cells not marked as raising.
    """
    from ..execute import execute_notebook, unexpected_errors

    nb = read_notebook(path)
    if not any(cell.cell_type == "code" for cell in nb.cells):
        return nbformat.writes(nb), []  # nothing to run: no kernel
    setup = nbformat.v4.new_code_cell(_SETUP_CELL)
    nb.cells.insert(0, setup)
    try:
        executed = execute_notebook(
            nb, Path(path).resolve().parent, timeout=timeout, store_widget_state=True, allow_errors=True
        )
    except Exception as error:  # a dead kernel or a timeout must not stop the other pages
        nb.cells.pop(0)
        return nbformat.writes(nb), [f"{type(error).__name__}: {error}"]
    executed.cells.pop(0)
    return nbformat.writes(executed), unexpected_errors(executed)


def _index_markdown(root: Path, title: str, pages: list[Page], binder_url: str | None) -> str:
    intro = readme_intro(root)
    lessons = [page for page in pages if page.kind == "lesson"]
    exercise_of = {page.number: page for page in pages if page.kind == "exercise"}
    rows = []
    for lesson in lessons:
        exercise = exercise_of.get(lesson.number)
        cell = f"[{exercise.title}]({exercise.rel.as_posix()})" if exercise else "—"
        rows.append(f"| [{lesson.title}]({lesson.rel.as_posix()}) | {cell} |")
    extra = [page for page in pages if page.kind == "exercise" and page.number not in {p.number for p in lessons}]
    rows += [f"| — | [{page.title}]({page.rel.as_posix()}) |" for page in extra]
    binder = f" or [on Binder]({binder_url.rstrip('/')}?urlpath=lab/tree/notebooks/01_welcome.ipynb)" if binder_url else ""
    toc = "\n".join(page.docname for page in pages)
    return f"""# {title}

{intro}

Each lesson page shows its notebook as it runs from top to bottom, figures included; each exercise
page shows the exercise as a learner gets it (no solutions). To run the code, move the sliders and
check your answers, open the course in JupyterLab: `make lab` in a copy of the course{binder}.
Sections marked **Going further (optional)** are folded: open them when you want the deep dive.

## Lessons

| Lesson | Exercise |
|---|---|
{chr(10).join(rows)}

```{{toctree}}
:hidden:
:caption: Lessons and exercises
:maxdepth: 1

{toc}
```
"""


def _conf_py(title: str, alt: dict, repository_url: str | None) -> str:
    theme_options = {
        "home_page_in_toc": True,
        "show_navbar_depth": 1,
        "show_toc_level": 2,
        "use_download_button": False,
        "use_fullscreen_button": False,
        "use_repository_button": bool(repository_url),
        "navigation_with_keys": False,
        "extra_footer": "<p>Code: MIT License. Lesson text and figures: CC BY 4.0.</p>",
    }
    if repository_url:
        theme_options["repository_url"] = repository_url
    settings = {
        "project": title,
        "html_title": title,
        "author": "the course authors",
        "copyright": "the course authors",
        "extensions": ["myst_nb", "course_tools.site.sphinx_ext"],
        "html_theme": "sphinx_book_theme",
        "html_theme_options": theme_options,
        "html_static_path": ["_static"],
        "html_css_files": ["course.css"],
        "html_extra_path": ["_extra"],
        "html_copy_source": False,
        "html_show_sourcelink": False,
        "html_last_updated_fmt": None,
        "exclude_patterns": ["_extra", "_static", "jupyter_execute", "**/.ipynb_checkpoints"],
        "nb_execution_mode": "off",
        "nb_ipywidgets_js": {},
        "nb_merge_streams": True,
        "myst_enable_extensions": ["dollarmath", "amsmath"],
        "myst_update_mathjax": False,
        "myst_heading_anchors": 2,
        # MathJax 2.7 as the jupyter-server-mathjax package ships it, copied into _static/mathjax.
        "mathjax_path": "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full",
        "mathjax2_config": {
            "tex2jax": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]], "processEscapes": True},
            "HTML-CSS": {"imageFont": None, "availableFonts": [], "webFont": "STIX-Web"},
            "showMathMenu": False,
            "messageStyle": "none",
        },
        "course_site_alt": alt,
        "suppress_warnings": ["mystnb.unknown_mime_type"],
    }
    lines = ['"""Sphinx configuration of the course site, written by course_tools.site.build."""']
    lines += [f"{name} = {value!r}" for name, value in settings.items()]
    return "\n".join(lines) + "\n"


def _copy_mathjax(static: Path) -> None:
    import jupyter_server_mathjax

    source = Path(jupyter_server_mathjax.__file__).parent / "static"
    # mathjax-sre.js (the speech explorer, reached only through MathJax's menu, which the site turns
    # off) would download its rules from a CDN: it is the one file left out.
    shutil.copytree(source, static / "mathjax", ignore=shutil.ignore_patterns("mathjax-sre.js"))


def _prepare_out(out: Path) -> None:
    """Empty ``out`` if it is a previous site (or empty); refuse to clear any other folder."""
    if out.exists() and any(out.iterdir()):
        if not (out / _MARKER_FILE).exists():
            raise ValueError(f"out must be empty or a site built before (with {_MARKER_FILE}); got {out}")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def _execute_lessons(lessons: list[Page], jobs: int, timeout: float) -> list[tuple[str, list[str]]]:
    paths = [str(page.source) for page in lessons]
    if jobs > 1 and len(paths) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            return list(pool.map(execute_for_site, paths, [timeout] * len(paths)))
    return [execute_for_site(path, timeout) for path in paths]


def _run_sphinx(source: Path, build: Path) -> list[str]:
    """Write the HTML into ``build/html`` (myst-nb puts its images beside it, in ``build``)."""
    from sphinx.application import Sphinx

    status, warnings = io.StringIO(), io.StringIO()
    app = Sphinx(
        str(source), str(source), str(build / "html"), str(build / "doctrees"), "html",
        status=status, warning=warnings, freshenv=True, keep_going=True,
    )
    app.build()
    text = re.sub(r"\x1b\[[0-9;]*m", "", warnings.getvalue())
    return [line.replace(str(source) + "/", "") for line in text.splitlines() if "WARNING" in line or "ERROR" in line]


def build_site(
    root,
    out,
    *,
    jobs: int = 1,
    timeout: float = 300,
    title: str | None = None,
    binder_url: str | None = None,
    repository_url: str | None = None,
    log=print,
):
    """Build the static site of the course.

    Parameters
    ----------
    root : str or Path
        The repository (with ``notebooks/`` and ``exercises/``).
    out : str or Path
        Output folder: created if needed; a site built there before is replaced.
    jobs : int
        Lessons executed at the same time (each in its own process and kernel).
    timeout : float
        Seconds allowed per cell.
    title : str, optional
        Course title; default: the README's first heading.
    binder_url : str, optional
        ``https://mybinder.org/v2/gh/OWNER/REPO/BRANCH``: widget notes and the index link there.
    repository_url : str, optional
        The repository's web address, for the theme's repository button.
    log : callable
        Progress messages go here.

    Returns
    -------
    index : Path
        The site's ``index.html``.
    errors : list of str
        Lessons whose cells raised, figures without a description, Sphinx warnings, and any
        resource from another host; empty when all is well.

    Raises
    ------
    MissingSiteDependency
        When a package of the ``[site]`` extra is missing (nothing is written).
    """
    require_site_dependencies()
    root, out = Path(root), Path(out)
    pages = course_pages(root)
    lessons = [page for page in pages if page.kind == "lesson"]
    _prepare_out(out)
    log(f"running {len(lessons)} lessons ({jobs} at a time)...")
    executed = dict(zip((page.rel for page in lessons), _execute_lessons(lessons, jobs, timeout)))

    errors, alt = [], {}
    site_files = {page.rel for page in pages}
    with tempfile.TemporaryDirectory(prefix="course-site-") as temporary:
        source, build = Path(temporary) / "source", Path(temporary) / "build"
        for folder in ("_static", "_extra/notebooks", "_extra/exercises"):
            (source / folder).mkdir(parents=True)
        for page in pages:
            if page.kind == "lesson":
                text, problems = executed[page.rel]
                errors += [f"{page.rel}: {problem}" for problem in problems]
                nb = nbformat.reads(text, as_version=4)
            else:
                nb = read_notebook(page.source)
            staged = stage_notebook(nb, page.rel, site_files=site_files, binder_url=binder_url)
            errors += [f"{page.rel}: {warning}" for warning in staged.warnings if "figure" in warning]
            for warning in staged.warnings:
                log(f"  note: {page.rel}: {warning}")
            alt.update(staged.alt)
            (source / page.rel).parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(staged.notebook, str(source / page.rel))
            shutil.copyfile(page.source, source / "_extra" / page.rel)  # the notebook to download
        site_title = title or course_title(root)
        (source / "index.md").write_text(_index_markdown(root, site_title, pages, binder_url), encoding="utf-8")
        (source / "conf.py").write_text(_conf_py(site_title, alt, repository_url), encoding="utf-8")
        shutil.copyfile(_STATIC / "course.css", source / "_static" / "course.css")
        _copy_mathjax(source / "_static")
        (source / "_extra" / ".nojekyll").write_text("", encoding="utf-8")
        (source / "_extra" / _MARKER_FILE).write_text("built by python -m course_tools site\n", encoding="utf-8")
        log(f"writing {len(pages)} pages with Sphinx...")
        errors += [f"sphinx: {line}" for line in _run_sphinx(source, build)]
        shutil.copytree(build / "html", out, dirs_exist_ok=True, ignore=shutil.ignore_patterns("_sources", ".buildinfo*"))
    errors += [f"loads from another host: {item}" for item in external_resources(out)]
    return out / "index.html", errors

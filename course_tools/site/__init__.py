"""The course as a static HTML site that works offline (``python -m course_tools site``).

Sphinx writes the pages (myst-nb reads the notebooks, sphinx-book-theme gives the sidebar with
every lesson and exercise, offline search and previous/next links); MathJax comes from the
``jupyter-server-mathjax`` package and is copied into the site.  The modules:

- :mod:`~course_tools.site.pages` - which notebooks, their titles, the reading order;
- :mod:`~course_tools.site.describe` - alt text for figures, written in the lesson's kernel;
- :mod:`~course_tools.site.stage` - the notebook as the site shows it (widgets as figures, ...);
- :mod:`~course_tools.site.sphinx_ext` - alt text on images, folded going-further sections;
- :mod:`~course_tools.site.offline` - the check that no page loads from another host;
- :mod:`~course_tools.site.build` - all of it in order: :func:`build_site`.

Layout of the output folder (the repository's, so relative links keep working)::

    index.html                         course title, the lesson table; sidebar on every page
    notebooks/NN_topic.html            each lesson, executed, figures as PNG files in _images/
    notebooks/NN_topic.ipynb           the lesson notebook to download
    exercises/exNN_topic.html          each learner exercise, NOT executed (no solution can leak)
    exercises/exNN_topic.ipynb         the exercise notebook to download
    search.html, searchindex.js        search, offline
    _static/mathjax/                   MathJax 2.7 from jupyter-server-mathjax
    .nojekyll                          serve the files as they are on GitHub Pages
"""

from .build import MissingSiteDependency, build_site, require_site_dependencies
from .pages import Page, course_pages, course_title, notebook_title

__all__ = [
    "MissingSiteDependency",
    "Page",
    "build_site",
    "course_pages",
    "course_title",
    "notebook_title",
    "require_site_dependencies",
]

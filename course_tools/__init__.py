"""Notebook tooling: canonical (diff-friendly) notebooks, learner exercises, stored outputs, the site.

The committed ``.ipynb`` files are the source of the course.  This package keeps them in one
canonical form and derives everything else from them:

- :mod:`~course_tools.canonical` - the canonical form: :func:`tidy_notebook`, :func:`is_tidy`.
- :mod:`~course_tools.learner` - learner exercises from nbgrader-style solutions:
  :func:`learner_version`.
- :mod:`~course_tools.execute` - run notebooks and refresh their stored outputs:
  :func:`refresh_notebook`.
- :mod:`~course_tools.site` - the static HTML site: :func:`build_site`.
- :mod:`~course_tools.cli` - ``python -m course_tools {tidy,refresh,exercises,site}``.

Conventions, in short (the README has the long version):

* nbformat 4, kernelspec ``python3``; JSON as nbformat writes it (indent 1, sorted keys,
  trailing newline).
* Outputs are stored only on code cells marked with a ``# NBVAL_CHECK_OUTPUT`` line, and only
  as text (streams, and ``text/plain`` of results and displays): nbval compares exactly those
  under ``--nbval-lax``.  Such a cell has ``execution_count`` 1, because nbval refuses stored
  outputs on a cell it believes was never run; every other count is ``null``.
* No volatile metadata: notebooks keep ``kernelspec``, ``language_info.name`` and ``nbgrader``;
  cells keep ``tags`` and ``nbgrader``.
"""

from .canonical import (
    checks_output,
    is_tidy,
    notebook_text,
    read_notebook,
    tidy_notebook,
    write_notebook,
)
from .learner import learner_version, nbgrader_problems

__all__ = [
    "tidy_notebook",
    "is_tidy",
    "checks_output",
    "notebook_text",
    "read_notebook",
    "write_notebook",
    "learner_version",
    "nbgrader_problems",
    "refresh_notebook",
    "execute_notebook",
    "build_site",
]


def __getattr__(name):
    # The execution and site modules import nbclient/nbconvert: load them only when used.
    if name in ("refresh_notebook", "execute_notebook"):
        from . import execute

        return getattr(execute, name)
    if name == "build_site":
        from .site import build_site

        return build_site
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

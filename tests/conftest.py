"""Shared test configuration (keep it small).

Notebooks under tests/ (e.g. a grading corpus or deliberately wrong answers) are test data,
never notebooks for nbval to run.  Learner exercises (exercises/*.ipynb) raise
NotImplementedError by design; they are not collected because pyproject's testpaths name
exercises/solutions, not exercises (tests/test_nbtools.py checks both points).
"""

collect_ignore_glob = ["*.ipynb", "**/*.ipynb"]

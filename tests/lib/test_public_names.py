"""Nothing a learner types breaks: every name imported from the numerical modules stays importable.

The numerical library was split (trainers into coordinate_descent, descent, paths, ridge_svd and
_solvers; data into features and real_data).  Every ``from course_lib.<module> import <name>`` in
the lessons, the exercise solutions and course_lib itself is collected here and imported, and the
moved names are checked to be the very same objects in their old and new homes.  Each module of
the numerical library stays under 500 lines, readable top to bottom.
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NUMERICAL = (
    "trainers", "data", "penalties", "losses", "logistic", "model_selection", "geometry", "bias_variance",
    "fit_result", "coordinate_descent", "descent", "paths", "ridge_svd", "features", "real_data",
)
IMPORT = re.compile(r"from\s+course_lib\.(\w+)\s+import\s+(\([^)]*\)|[^\n]*)")


def _sources():
    for path in sorted((REPO / "notebooks").glob("*.ipynb")) + sorted((REPO / "exercises").rglob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        yield path, "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    for path in sorted((REPO / "course_lib").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        # Resolve relative imports against the file's own package (course_lib.widgets' ``.geometry``
        # is course_lib.widgets.geometry, not course_lib.geometry).
        package = ".".join(path.relative_to(REPO).with_suffix("").parts[:-1])
        parent = package.rsplit(".", 1)[0]
        text = re.sub(r"from \.\.(?=\w)", f"from {parent}.", text)
        text = re.sub(r"from \.(?=\w)", f"from {package}.", text)
        yield path, text


def _imported_names():
    found = {}
    for path, text in _sources():
        for module, names in IMPORT.findall(text):
            if module not in NUMERICAL:
                continue
            for name in re.findall(r"\b\w+\b", re.sub(r"#[^\n]*", "", names)):
                if name != "as":
                    found.setdefault((module, name), path.relative_to(REPO).as_posix())
    return found


NAMES = _imported_names()


def test_the_scan_finds_the_lessons_imports():
    # A guard on the scan itself: these imports are in the lessons today.
    for pair in [("trainers", "fit_lasso"), ("trainers", "lasso_path_knots"), ("data", "standardize"),
                 ("penalties", "soft_threshold"), ("logistic", "fit_logistic")]:
        assert pair in NAMES


@pytest.mark.parametrize("module, name", sorted(NAMES), ids=[f"{m}.{n}" for m, n in sorted(NAMES)])
def test_every_imported_name_is_still_there(module, name):
    assert hasattr(importlib.import_module(f"course_lib.{module}"), name), f"imported by {NAMES[(module, name)]}"


@pytest.mark.parametrize(
    "old, new, names",
    [
        ("trainers", "coordinate_descent", ["lasso_coordinate_update"]),
        ("trainers", "descent", ["gradient_descent", "proximal_gradient", "squared_loss_objective",
                                 "log_loss_objective"]),
        ("trainers", "paths", ["lasso_path", "lasso_path_knots"]),
        ("trainers", "ridge_svd", ["ridge_path", "ridge_shrinkage_factors", "ridge_effective_dof",
                                   "ridge_rate_for_dof"]),
        ("trainers", "logistic", ["fit_logistic", "logistic_max_rate"]),
        ("data", "features", ["polynomial_features", "plane_features", "standardize", "unstandardize_coefficients"]),
        ("data", "real_data", ["load_prostate", "load_diabetes_data", "Prostate", "PROSTATE_FEATURES"]),
        ("model_selection", "trainers", ["lasso_max_rate"]),
    ],
)
def test_moved_names_are_the_same_objects(old, new, names):
    old_module, new_module = (importlib.import_module(f"course_lib.{m}") for m in (old, new))
    for name in names:
        assert getattr(old_module, name) is getattr(new_module, name)
        assert name in old_module.__all__ and name in new_module.__all__


@pytest.mark.parametrize("module", NUMERICAL + ("_validation", "_centering", "_solvers.homotopy",
                                                "_solvers.batched_ridge"))
def test_every_numerical_module_is_short_and_lists_real_names(module):
    imported = importlib.import_module(f"course_lib.{module}")
    lines = Path(imported.__file__).read_text(encoding="utf-8").count("\n")
    assert lines <= 500, f"course_lib/{module}.py has {lines} lines"
    for name in getattr(imported, "__all__", []):
        assert hasattr(imported, name), name


def test_every_solver_module_names_the_readable_version_it_must_agree_with():
    for path in sorted((REPO / "course_lib" / "_solvers").glob("*.py")):
        if path.name != "__init__.py":
            assert path.read_text(encoding="utf-8").startswith("# Must agree with: course_lib."), path.name

"""The README and docs say what is true: links resolve, the lesson index is complete, the table of
`rate` in other libraries holds by computation, and Binder and JupyterLab get the settings described.

Lessons 11 and 12 are being written as this is: the README lists them, and their links are checked
as soon as their files exist (``IN_PROGRESS`` names them; remove them once they have landed).
"""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path

import numpy as np
import pytest

from course_lib.logistic import fit_logistic
from course_lib.trainers import fit_lasso, fit_ridge

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
IN_PROGRESS = {
    "notebooks/11_learning_curves_early_stopping.ipynb",
    "exercises/ex11_learning_curves_early_stopping.ipynb",
    "notebooks/12_dropout_l1_networks.ipynb",
    "exercises/ex12_dropout_l1_networks.ipynb",
    "docs/grading.md",  # written by the grader's author
}
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _local_links(text: str) -> list[str]:
    """Relative link targets of markdown text, leaving out examples in code spans and blocks."""
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    text = re.sub(r"`[^`\n]*`", "", text)
    return [link for link in _LINK.findall(text) if "://" not in link and not link.startswith(("#", "mailto:"))]


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(markdown: str) -> set:
    return {_slug(match) for match in re.findall(r"^#{1,6}\s+(.+?)\s*$", markdown, re.MULTILINE)}


@pytest.mark.parametrize("document", ["README.md", *sorted(p.relative_to(REPO).as_posix() for p in (REPO / "docs").glob("*.md"))])
def test_local_links_of_the_readme_and_docs_resolve(document):
    text = (REPO / document).read_text(encoding="utf-8")
    for link in _local_links(text):
        path, _, fragment = link.partition("#")
        target = (REPO / document).parent / path
        rel = target.resolve().relative_to(REPO.resolve()).as_posix()
        if rel in IN_PROGRESS and not target.exists():
            continue
        assert target.exists(), f"{document}: {link}"
        if fragment and target.suffix == ".md":
            assert fragment in _anchors(target.read_text(encoding="utf-8")), f"{document}: {link}"


def test_the_lesson_index_lists_every_lesson_and_exercise_in_order():
    section = README.split("\n## Lessons\n", 1)[1].split("\n## ", 1)[0]
    linked = _local_links(section)
    on_disk = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    on_disk += sorted(p.relative_to(REPO).as_posix() for p in (REPO / "exercises").glob("ex[0-9][0-9]_*.ipynb"))
    assert set(on_disk) <= set(linked)
    assert IN_PROGRESS - {"docs/grading.md"} <= set(linked)
    lessons = [link for link in linked if link.startswith("notebooks/")]
    assert lessons == sorted(lessons) and len(lessons) == 12


def test_links_from_notebooks_to_the_readme_point_at_headings_it_has():
    anchors = _anchors(README)
    assert "lessons" in anchors
    for path in sorted(REPO.glob("notebooks/*.ipynb")) + sorted(REPO.glob("exercises/*.ipynb")):
        for link in re.findall(r"README\.md#([\w-]+)", path.read_text(encoding="utf-8")):
            assert link in anchors, f"{path.name}: README.md#{link}"


# ----------------------------------------------------------------------------- `rate` in other libraries
def _regression(seed=0, n=40, p=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    return X, X @ np.array([1.5, -2.0, 0.5]) + 0.3 + rng.normal(scale=0.5, size=n)


def _classification(seed=1, n=60, p=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    return X, (X @ np.array([1.0, -1.5, 0.5]) + rng.normal(size=n) > 0).astype(float)


RATE = 0.3


def test_pytorch_mse_needs_weight_decay_two_rate_and_keras_mse_needs_l2_rate():
    X, y = _regression()
    w, b = fit_ridge(X, y, RATE)
    n = len(y)
    mse_gradient = -2.0 / n * X.T @ (y - X @ w - b)  # gradient of torch MSELoss / Keras "mse" (mean, no 1/2)
    # PyTorch SGD adds weight_decay * w to the gradient; Keras l2(l2) adds the gradient of l2 * sum(w**2).
    assert np.allclose(mse_gradient + 2 * RATE * w, 0, atol=1e-10)  # weight_decay = 2 * rate
    assert not np.allclose(mse_gradient + RATE * w, 0, atol=1e-3)  # weight_decay = rate is not it
    keras_l2 = RATE
    assert np.allclose(mse_gradient + 2 * keras_l2 * w, 0, atol=1e-10)
    summed_gradient = n * mse_gradient  # reduction="sum"
    assert np.allclose(summed_gradient + 2 * n * RATE * w, 0, atol=1e-8)


def test_mean_log_loss_needs_weight_decay_rate_and_keras_l2_half_rate():
    X, y = _classification()
    w, b = fit_logistic(X, y, RATE, penalty="l2")
    probabilities = 1 / (1 + np.exp(-(X @ w + b)))
    bce_gradient = X.T @ (probabilities - y) / len(y)  # torch BCELoss / Keras binary_crossentropy (mean)
    assert np.allclose(bce_gradient + RATE * w, 0, atol=1e-8)  # SGD / Adam weight_decay = rate
    keras_l2 = RATE / 2
    assert np.allclose(bce_gradient + 2 * keras_l2 * w, 0, atol=1e-8)
    assert not np.allclose(bce_gradient + 2 * RATE * w, 0, atol=1e-3)


def test_scikit_learn_rows_of_the_table():
    from sklearn.linear_model import ElasticNet, Lasso, LogisticRegression, Ridge

    X, y = _regression()
    n = len(y)
    w, _ = fit_ridge(X, y, RATE)
    assert np.allclose(Ridge(alpha=n * RATE).fit(X, y).coef_, w, atol=1e-8)
    w, _ = fit_lasso(X, y, RATE)
    assert np.allclose(Lasso(alpha=RATE, tol=1e-12, max_iter=100_000).fit(X, y).coef_, w, atol=1e-6)
    assert np.allclose(ElasticNet(alpha=RATE, l1_ratio=1.0, tol=1e-12, max_iter=100_000).fit(X, y).coef_, w,
                       atol=1e-6)
    Xc, yc = _classification()
    w, _ = fit_logistic(Xc, yc, RATE, penalty="l2")
    sk = LogisticRegression(C=1 / (len(yc) * RATE), tol=1e-12, max_iter=10_000).fit(Xc, yc)
    assert np.allclose(sk.coef_.ravel(), w, atol=1e-5)


def test_the_table_states_the_mappings_the_computations_check():
    table = README.split("### `rate` in other libraries", 1)[1].split("\n## ", 1)[0]
    rows = {line.split("|")[1].strip(): line.split("|")[2].strip() for line in table.splitlines()
            if line.startswith("| ") and not line.startswith("| Library")}
    assert rows["PyTorch `SGD(weight_decay=…)`, `MSELoss()` (mean, no ½)"] == "`weight_decay = 2·rate`"
    assert rows["PyTorch `SGD(weight_decay=…)`, `BCELoss`/`BCEWithLogitsLoss` (mean)"] == "`weight_decay = rate`"
    assert rows["Keras `loss=\"mse\"` + `regularizers.l2(l2=…)`"] == "`l2 = rate`"
    assert rows["Keras `loss=\"binary_crossentropy\"` + `regularizers.l2(l2=…)`"] == "`l2 = rate/2`"
    assert rows["scikit-learn `Ridge(alpha=…)`"] == "`alpha = n·rate`"
    assert rows["scikit-learn `LogisticRegression(C=…)`"] == "`C = 1/(n·rate)`"


# ----------------------------------------------------------------------------- Binder and JupyterLab settings
def test_binder_pins_a_python_the_course_supports():
    runtime = (REPO / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(\d+)\.(\d+)", runtime)
    assert match, runtime
    required = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    minimum = tuple(int(part) for part in re.search(r">=\s*(\d+)\.(\d+)", required).groups())
    assert (int(match.group(1)), int(match.group(2))) >= minimum == (3, 11)


def test_the_lab_settings_switch_off_news_and_update_checks_by_jupyterlab_s_own_schema():
    overrides = json.loads((REPO / "lab-settings" / "overrides.json").read_text())
    notification = overrides["@jupyterlab/apputils-extension:notification"]
    assert notification == {"checkForUpdates": False, "fetchNews": "false"}
    import jupyterlab

    schemas = Path(jupyterlab.__file__).parent / "schemas"
    if not schemas.is_dir():
        schemas = Path(jupyterlab.__file__).parents[3] / "share" / "jupyter" / "lab" / "schemas"
    schema = json.loads((schemas / "@jupyterlab" / "apputils-extension" / "notification.json").read_text())
    assert schema["properties"]["checkForUpdates"]["type"] == "boolean"
    assert "false" in [option["const"] for option in schema["properties"]["fetchNews"]["oneOf"]]


def test_make_lab_make_edit_and_binder_install_the_same_settings_file():
    dry = subprocess.run(["make", "-n", "-B", "lab", "edit"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert "cp lab-settings/overrides.json .venv/share/jupyter/lab/settings/overrides.json" in dry.stdout
    assert "notebooks/01_welcome.ipynb" in dry.stdout
    post_build = (REPO / "postBuild").read_text()
    assert "cp lab-settings/overrides.json" in post_build and "share/jupyter/lab/settings" in post_build

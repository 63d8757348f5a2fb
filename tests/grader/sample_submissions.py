"""Sample submissions of exercises 03 and 04 in nbgrader format, shared by the grader's tests
(tests/grader/grading_corpus.py) and its benchmark (bench/bench_grade.py), so both grade the same answers.

``SOLUTIONS`` are compact correct answers written for a notebook whose first code cell is
``SETUP`` (not the course's solution notebooks, whose answers use cells these notebooks lack).
"""

from __future__ import annotations

import textwrap

__all__ = ["SETUP", "SOLUTIONS", "cell", "code", "stub"]

SETUP = {
    "ex03_l2_ridge": "import numpy as np\nfrom course_lib.checks import check\nfrom course_lib.checks.ex03_l2_ridge import dof_data",
    "ex04_l1_lasso": "import numpy as np\nfrom course_lib.checks import check\nfrom course_lib.checks.ex04_l1_lasso import survivor_data",
}

SOLUTIONS = {
    "ex03_l2_ridge": {
        "l2_penalty": """
            def l2_penalty(w, rate):
                w = np.asarray(w, dtype=float)
                return rate / 2 * float(w @ w)""",
        "l2_gradient": """
            def l2_gradient(w, rate):
                return rate * np.asarray(w, dtype=float)""",
        "weight_decay_step": """
            def weight_decay_step(w, grad_loss, lr, rate):
                return (1 - lr * rate) * w - lr * grad_loss""",
        "predict_decay": 'predict_decay = "c"',
        "fit_ridge": """
            def fit_ridge(X, y, rate):
                x_mean, y_mean = X.mean(axis=0), y.mean()
                Xc, yc = X - x_mean, y - y_mean
                n, p = X.shape
                w = np.linalg.solve(Xc.T @ Xc + n * rate * np.eye(p), Xc.T @ yc)
                return w, float(y_mean - x_mean @ w)""",
        "predict_most_shrunk": 'predict_most_shrunk = "c"',
        "explain_standardize": """
            In metres the variance is a million times larger, so ridge hardly shrinks that weight: without
            standardizing, the shrinkage depends on the units.""",
        "ridge_shrinkage_factors": """
            def ridge_shrinkage_factors(X, rate):
                d = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
                return d**2 / (d**2 + X.shape[0] * rate)""",
        "ridge_dof_answer": """
            ridge_dof_answer = float(np.sum(ridge_shrinkage_factors(dof_data(), 0.01)))""",
    },
    "ex04_l1_lasso": {
        "l1_penalty": """
            def l1_penalty(w, rate):
                return rate * float(np.sum(np.abs(w)))""",
        "l1_subgradient": """
            def l1_subgradient(w, rate):
                return rate * np.sign(w)""",
        "soft_threshold": """
            def soft_threshold(v, threshold):
                return np.sign(v) * np.maximum(np.abs(v) - threshold, 0.0)""",
        "lasso_coordinate_update": """
            def lasso_coordinate_update(X, y, w, j, rate, b=0.0):
                n = X.shape[0]
                z = X[:, j] @ X[:, j] / n
                if z == 0:
                    return 0.0
                rho = X[:, j] @ (y - b - X @ w + X[:, j] * w[j]) / n
                return float(np.sign(rho) * max(abs(rho) - rate, 0.0) / z)""",
        "fit_lasso": """
            def fit_lasso(X, y, rate):
                x_mean, y_mean = X.mean(axis=0), y.mean()
                Xc, yc = X - x_mean, y - y_mean
                w = np.zeros(X.shape[1])
                for sweep in range(10000):
                    w_old = w.copy()
                    for j in range(X.shape[1]):
                        w[j] = lasso_coordinate_update(Xc, yc, w, j, rate)
                    if np.max(np.abs(w - w_old)) < 1e-13:
                        break
                return w, float(y_mean - x_mean @ w)""",
        "surviving_features": """
            X, y, _ = survivor_data()
            surviving_features = set(np.flatnonzero(fit_lasso(X, y, 0.2)[0]))""",
        "predict_descent_zeros": """
            predict_descent_zeros = 'b'""",
    },
}


def code(text: str) -> str:
    """An indented triple-quoted answer as cell source."""
    return textwrap.dedent(text).strip("\n")


def stub(task) -> str:
    """The learner template's cell for a task (what an untouched notebook holds)."""
    if task.kind == "written":
        return "YOUR ANSWER HERE"
    if task.kind == "value":
        return f"{task.symbol} = ..."
    return f"def {task.signature}:\n    # YOUR CODE HERE\n    raise NotImplementedError()"


def cell(kind, source, nbgrader=None):
    """A notebook cell as nbformat JSON (``nbgrader`` metadata when given)."""
    made = {"cell_type": kind, "metadata": {"nbgrader": nbgrader} if nbgrader else {}, "source": source}
    if kind == "code":
        made.update(outputs=[], execution_count=None)
    return made

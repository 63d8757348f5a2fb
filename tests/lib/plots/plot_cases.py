"""Shared by the plot tests: every plotting helper drawn on small data, with the number of series it shows."""

import numpy as np

from course_lib import plots


def rates():
    return np.logspace(-3, 1, 25)


# name -> (callable drawing on ax, number of data series it shows)
def cases():
    rng = np.random.default_rng(0)
    x = np.sort(rng.uniform(0, 1, 15))
    y = np.sin(2 * np.pi * x) + 0.2 * rng.standard_normal(15)
    grid = np.linspace(0, 1, 50)
    r = rates()
    X2 = rng.standard_normal((30, 2))
    y2 = (X2[:, 0] > 0).astype(int)
    return {
        "polynomial_fit": (lambda ax: plots.plot_polynomial_fit(
            x, y, grid, np.sin(2 * np.pi * grid), {"degree 3": grid, "degree 9": grid**2}, ax=ax), 4),
        "error_curves": (lambda ax: plots.plot_error_curves(
            np.arange(1, 8), np.linspace(1, 0.1, 7), [1, 0.6, 0.4, 0.3, 0.5, 0.8, 1.2], ax=ax), 3),
        "bias_variance_lines": (lambda ax: plots.plot_bias_variance(
            np.arange(1, 8), np.linspace(1, 0, 7), np.linspace(0, 1, 7), 0.1, ax=ax), 4),
        "bias_variance_stacked": (lambda ax: plots.plot_bias_variance(
            np.arange(1, 8), np.linspace(1, 0, 7), np.linspace(0, 1, 7), 0.1, kind="stacked", ax=ax), 4),
        "coefficient_bars": (lambda ax: plots.plot_coefficient_bars(
            [1.0, -2.0, 0.5], {"least squares": [2.0, -3.0, 1.0], "true": [1, -1, 0]}, ax=ax), 3),
        "path": (lambda ax: plots.plot_path(
            r, np.exp(-r)[:, None] * np.array([1.0, -2.0, 3.0]), marker_rate=0.1, knots=[0.5], ax=ax), 4),
        "contours_with_ball": (lambda ax: plots.plot_contours_with_ball(
            [[2.0, 0.5], [0.5, 1.0]], [1.5, 0.5], 1.0,
            solutions={"L1": [1.0, 0.0], "L2": [0.9, 0.4]}, ax=ax), 6),
        "decision_boundary": (lambda ax: plots.plot_decision_boundary(
            X2, y2, lambda Z: 1 / (1 + np.exp(-3 * Z[:, 0])), resolution=30, ax=ax), 4),
        "cv_curve": (lambda ax: plots.plot_cv_curve(
            r, 1 + np.log(r) ** 2 / 20, np.full(r.shape, 0.05), best_rate=1.0, rate_1se=2.0, ax=ax), 3),
        "weight_histogram": (lambda ax: plots.plot_weight_histogram(
            {"Adam + L2": rng.standard_normal(200), "AdamW": 0.5 * rng.standard_normal(200)}, ax=ax), 2),
        "shrinkage": (lambda ax: plots.plot_shrinkage([3.0, 1.0, 0.2], 10, r, marker_rate=0.1, ax=ax), 4),
    }


CASES = cases()


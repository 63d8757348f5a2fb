"""course_lib.plots.geometry: exact contours, the L1 diamond, the L2 disc and the elastic-net ball."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import plots


def test_contours_with_ball_draws_the_exact_diamond_and_disc():
    _, ax = plt.subplots()
    plots.plot_contours_with_ball(np.eye(2), [2.0, 1.0], 0.75, ax=ax)
    diamond = plots.find_artist(ax, "l1-ball").get_xy()
    np.testing.assert_allclose(np.abs(diamond).sum(axis=1), 0.75)
    disc = plots.find_artist(ax, "l2-ball").get_xy()
    np.testing.assert_allclose(np.hypot(disc[:, 0], disc[:, 1]), 0.75)
    with pytest.raises(ValueError, match="norm"):
        plots.plot_contours_with_ball(np.eye(2), [1.0, 1.0], 1.0, norm="l3")


def test_contour_ellipse_lies_on_the_level_set():
    H = np.array([[2.0, 0.6], [0.6, 1.0]])
    c = np.array([0.3, -0.2])
    pts = plots.contour_ellipse(H, c, 0.7)
    d = pts - c
    np.testing.assert_allclose(0.5 * np.einsum("ij,jk,ik->i", d, H, d), 0.7, rtol=1e-12)


def test_solution_contour_passes_through_the_solution():
    H = np.array([[2.0, 0.6], [0.6, 1.0]])
    _, ax = plt.subplots()
    plots.plot_contours_with_ball(H, [1.5, 1.0], 1.0, solutions={"s": [0.8, 0.6]}, ax=ax)
    pts = plots.find_artist(ax, "solution-contour-0").get_xydata()
    assert np.min(np.hypot(pts[:, 0] - 0.8, pts[:, 1] - 0.6)) < 0.03  # within the polygon's resolution


@pytest.mark.parametrize("l1_ratio", [0.0, 0.3, 0.5, 0.9, 1.0])
def test_elastic_net_ball_points_lie_on_the_level_set(l1_ratio):
    budget = 1.5
    pts = plots.elastic_net_ball_points(budget, l1_ratio, n_points=73)
    assert pts.shape == (73, 2)
    # every point has the penalty value of (budget, 0): rho·|w|₁ + (1 − rho)/2·||w||²
    value = l1_ratio * np.abs(pts).sum(axis=1) + 0.5 * (1 - l1_ratio) * (pts**2).sum(axis=1)
    on_axis = l1_ratio * budget + 0.5 * (1 - l1_ratio) * budget**2
    np.testing.assert_allclose(value, on_axis, rtol=1e-12)
    np.testing.assert_allclose(pts[0], [budget, 0.0], atol=1e-12)
    np.testing.assert_allclose(pts[0], pts[-1], atol=1e-12)  # closed curve


def test_elastic_net_ball_points_ends_are_the_circle_and_the_diamond():
    circle = plots.elastic_net_ball_points(2.0, 0.0, n_points=50)
    np.testing.assert_allclose(np.hypot(*circle.T), 2.0, rtol=1e-12)
    diamond = plots.elastic_net_ball_points(2.0, 1.0, n_points=50)
    np.testing.assert_allclose(np.abs(diamond).sum(axis=1), 2.0, rtol=1e-12)
    with pytest.raises(ValueError, match="l1_ratio"):
        plots.elastic_net_ball_points(1.0, 1.5)

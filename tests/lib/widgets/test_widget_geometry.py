"""course_lib.widgets.geometry (lesson 5): constrained solutions and the widget's artists."""

import numpy as np
import pytest

from course_lib import plots, widgets


def _loss(H, w_hat, W):
    D = np.atleast_2d(W) - w_hat
    return 0.5 * np.einsum("ij,jk,ik->i", D, H, D)


def test_geometry_update_fields_and_edge_cases():
    u = widgets.geometry_update(2.0, 1.0, 0.0)
    np.testing.assert_array_equal(u.l1_solution, 0.0)
    np.testing.assert_array_equal(u.l2_solution, 0.0)
    assert u.l2_multiplier == np.inf and u.l1_active and u.l2_active
    u = widgets.geometry_update(0.2, -0.1, 1.0)
    assert not u.l1_active and not u.l2_active and u.l1_loss == 0 == u.l2_loss
    u = widgets.geometry_update(1.5, 0.6, 1.0)
    assert u.l2_loss == pytest.approx(_loss(widgets.DEFAULT_HESSIAN, u.optimum, u.l2_solution)[0])
    assert u.l1_loss >= u.l2_loss  # the diamond lies inside the disc
    with pytest.raises(ValueError, match="positive definite"):
        widgets.geometry_update(1.0, 1.0, 1.0, hessian=[[1.0, 0.0], [0.0, -1.0]])
    with pytest.raises(ValueError, match="symmetric"):
        widgets.geometry_update(1.0, 1.0, 1.0, hessian=[[1.0, 0.5], [0.0, 1.0]])
    with pytest.raises(ValueError, match="budget"):
        widgets.geometry_update(1.0, 1.0, -1.0)


def test_geometry_widget_moves_optimum_ball_and_solutions():
    w = widgets.geometry_widget()
    ax = w.figure.axes[0]
    w.controls["budget"].value = 0.5
    w.controls["w1"].value = -2.0
    u = widgets.geometry_update(-2.0, w.controls["w2"].value, 0.5)
    np.testing.assert_allclose(plots.find_artist(ax, "optimum").get_xdata(), [-2.0])
    np.testing.assert_allclose(np.abs(plots.find_artist(ax, "l1-ball").get_xy()).sum(axis=1), 0.5)
    np.testing.assert_allclose(plots.find_artist(ax, "solution-0").get_xydata(), [u.l1_solution])
    np.testing.assert_allclose(plots.find_artist(ax, "solution-1").get_xydata(), [u.l2_solution])
    tangent = plots.find_artist(ax, "solution-contour-1").get_xydata()
    np.testing.assert_allclose(_loss(u.hessian, u.optimum, tangent), u.l2_loss, rtol=1e-10)

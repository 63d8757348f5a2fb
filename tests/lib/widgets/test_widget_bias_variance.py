"""course_lib.widgets.bias_variance (lesson 2): fits against numpy's polyfit, and the widget's artists."""

import numpy as np
import pytest

from course_lib import plots, widgets


@pytest.fixture(scope="module")
def bv_setup():
    return widgets.bias_variance_setup(noise=0.3, seed=3, max_degree=8, n_test=100, n_grid=50)


@pytest.mark.parametrize("degree", [1, 3, 5])
def test_bias_variance_fit_matches_polyfit(bv_setup, degree):
    u = widgets.bias_variance_update(bv_setup, degree, 25)
    coeffs = np.polyfit(u.x, u.y, degree)  # monomials of raw x: same column space
    np.testing.assert_allclose(u.y_fit, np.polyval(coeffs, bv_setup.x_grid), rtol=1e-7, atol=1e-9)
    assert u.train_error == pytest.approx(np.mean((u.y - np.polyval(coeffs, u.x)) ** 2), rel=1e-7)
    assert u.test_error == pytest.approx(np.mean((bv_setup.y_test - np.polyval(coeffs, bv_setup.x_test)) ** 2),
                                         rel=1e-7)
    assert u.train_errors[degree] == pytest.approx(u.train_error) and u.unique


def test_bias_variance_shapes_and_degree_zero(bv_setup):
    u = widgets.bias_variance_update(bv_setup, 0, 12)
    assert u.x.shape == u.y.shape == (12,)
    assert u.y_fit.shape == bv_setup.x_grid.shape
    assert u.degrees.tolist() == list(range(9))
    assert u.train_errors.shape == u.test_errors.shape == (9,)
    np.testing.assert_allclose(u.y_fit, np.mean(u.y))
    assert u.train_error == pytest.approx(np.var(u.y))
    # training error can only go down as the degree (nested models) goes up
    assert np.all(np.diff(u.train_errors) <= 1e-10)


def test_bias_variance_interpolates_when_degree_reaches_n(bv_setup):
    u = widgets.bias_variance_update(bv_setup, 8, 6)
    assert not u.unique
    assert u.train_error < 1e-12


def test_bias_variance_rejects_bad_arguments(bv_setup):
    with pytest.raises(ValueError, match="degree"):
        widgets.bias_variance_update(bv_setup, -1, 10)
    with pytest.raises(TypeError, match="n_samples"):
        widgets.bias_variance_update(bv_setup, 2, 10.5)


def test_bias_variance_widget_updates_fit_and_curves(bv_setup):
    w = widgets.bias_variance_widget(bv_setup, degree=2, n_samples=20)
    ax_fit, ax_err = w.figure.axes
    w.controls["degree"].value = 5
    u = widgets.bias_variance_update(bv_setup, 5, 20)
    np.testing.assert_allclose(plots.find_artist(ax_fit, "fit").get_ydata(), u.y_fit)
    np.testing.assert_allclose(plots.find_artist(ax_err, "degree-marker").get_xdata(), [5, 5])
    w.controls["n_samples"].value = 30
    np.testing.assert_allclose(plots.find_artist(ax_fit, "data").get_xdata(), w.last_update.x)
    assert w.last_update.x.shape == (30,)

"""course_lib.widgets.ridge (lessons 3 and 6): fits against the ridge normal equations, and the widgets' artists."""

import ipywidgets
import numpy as np
import pytest

from course_lib import plots, widgets

from widget_cases import bar_heights, rel


@pytest.fixture(scope="module")
def ridge():
    return widgets.ridge_setup(degree=7, n_samples=15, seed=1, n_holdout=40, rates=np.geomspace(1e-5, 10, 30))


def _ridge_normal_equations(Z, y, rate):
    n = Z.shape[0]
    Zc, yc = Z - Z.mean(axis=0), y - y.mean()
    w = np.linalg.solve(Zc.T @ Zc + n * rate * np.eye(Z.shape[1]), Zc.T @ yc)
    return w, y.mean() - Z.mean(axis=0) @ w


@pytest.mark.parametrize("rate", [1e-4, 0.01, 0.3, 5.0])
def test_ridge_update_solves_the_normal_equations(ridge, rate):
    u = widgets.ridge_update(ridge, rate)
    w, b = _ridge_normal_equations(ridge.Z, ridge.y, rate)
    assert rel(u.coef, w) < 1e-8 and u.intercept == pytest.approx(b, rel=1e-8, abs=1e-12)
    np.testing.assert_allclose(u.y_fit, ridge.Z_grid @ w + b, rtol=1e-8, atol=1e-10)
    assert u.train_error == pytest.approx(np.mean((ridge.y - ridge.Z @ w - b) ** 2), rel=1e-8)
    assert u.holdout_error == pytest.approx(np.mean((ridge.y_holdout - ridge.Z_holdout @ w - b) ** 2), rel=1e-8)
    n = ridge.Z.shape[0]
    Zc = ridge.Z - ridge.Z.mean(axis=0)
    hat = Zc @ np.linalg.solve(Zc.T @ Zc + n * rate * np.eye(Zc.shape[1]), Zc.T)
    assert u.effective_dof == pytest.approx(np.trace(hat), rel=1e-8)


def test_ridge_setup_path_and_error_curves(ridge):
    k = 17
    w, b = _ridge_normal_equations(ridge.Z, ridge.y, ridge.rates[k])
    assert rel(ridge.path_coefs[k], w) < 1e-8
    assert ridge.train_errors[k] == pytest.approx(np.mean((ridge.y - ridge.Z @ w - b) ** 2), rel=1e-8)
    assert ridge.path_coefs.shape == (30, 7) and ridge.Z.shape == (15, 7)
    np.testing.assert_allclose(ridge.Z.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(ridge.Z.std(axis=0), 1, rtol=1e-12)
    assert len(ridge.feature_names) == 7


def test_ridge_shrinks_the_coefficient_norm_monotonically(ridge):
    norms = [np.linalg.norm(widgets.ridge_update(ridge, r).coef) for r in np.geomspace(1e-5, 10, 12)]
    assert np.all(np.diff(norms) < 0)


def test_rate_choice_setup_uses_a_validation_set():
    s = widgets.rate_choice_setup(n_samples=20, n_validation=25, seed=2, rates=np.geomspace(1e-4, 1, 10))
    assert s.holdout_label == "validation" and s.x_holdout.shape == (25,) and s.x.shape == (20,)
    u = widgets.ridge_update(s, s.rates[4])
    assert u.holdout_error == pytest.approx(s.holdout_errors[4], rel=1e-8)


def test_ridge_update_rejects_a_negative_rate(ridge):
    with pytest.raises(ValueError, match="rate"):
        widgets.ridge_update(ridge, -0.1)


def test_ridge_widget_moves_bars_fit_and_trace_marker(ridge):
    w = widgets.ridge_widget(ridge, rate=1e-3)
    ax_fit, ax_bar, ax_path = w.figure.axes
    w.controls["rate"].value = 0.1
    u = widgets.ridge_update(ridge, 0.1)
    np.testing.assert_allclose(bar_heights(plots.find_artist(ax_bar, "coefs")), u.coef)
    np.testing.assert_allclose(plots.find_artist(ax_fit, "fit").get_ydata(), u.y_fit)
    np.testing.assert_allclose(plots.find_artist(ax_path, "rate-marker").get_xdata(), [0.1, 0.1])
    np.testing.assert_allclose(plots.find_artist(ax_path, "rate-dots").get_offsets()[:, 1], u.coef)
    assert isinstance(w.controls["rate"], ipywidgets.FloatLogSlider)


def test_rate_choice_widget_moves_the_markers_along_the_curves():
    s = widgets.rate_choice_setup(n_samples=20, n_validation=20, rates=np.geomspace(1e-4, 1, 10))
    w = widgets.rate_choice_widget(s, rate=1e-3)
    ax_err = w.figure.axes[1]
    w.controls["rate"].value = s.rates[6]
    dot = plots.find_artist(ax_err, "holdout-dot")
    assert dot.get_xdata()[0] == pytest.approx(s.rates[6])
    assert dot.get_ydata()[0] == pytest.approx(s.holdout_errors[6], rel=1e-8)  # on the precomputed curve
    assert plots.find_artist(ax_err, "train-dot").get_ydata()[0] == pytest.approx(s.train_errors[6], rel=1e-8)

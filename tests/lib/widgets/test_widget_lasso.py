"""course_lib.widgets.lasso (lesson 4): fits against the KKT conditions and scikit-learn; the widget's artists."""

import dataclasses

import numpy as np
import pytest

from course_lib import plots, widgets
from course_lib.trainers import fit_lasso

from widget_cases import bar_heights, lasso_kkt_violation


@pytest.fixture(scope="module")
def lasso():
    return widgets.lasso_setup(n_samples=40, n_features=6, n_informative=3, seed=4, n_rates=40)


def _lasso_rates(setup):
    r = setup.knot_rates
    between = np.sqrt(r[1:-1] * r[2:]) if r.size > 2 else np.array([])
    return np.concatenate([[2 * r[0], r[0], 0.5 * r[0]], r[1:-1], between, [1e-4 * r[0]]])


def test_lasso_update_satisfies_kkt_and_matches_fit_lasso(lasso):
    for rate in _lasso_rates(lasso):
        u = widgets.lasso_update(lasso, rate)
        scale = np.max(np.abs((lasso.X - lasso.X.mean(0)).T @ (lasso.y - lasso.y.mean()))) / lasso.X.shape[0]
        assert lasso_kkt_violation(lasso.X, lasso.y, u.coef, rate) < 1e-9 * scale, rate
        w, b = fit_lasso(lasso.X, lasso.y, rate, tol=1e-14)
        np.testing.assert_allclose(u.coef, w, atol=1e-6 * np.abs(w).max(initial=1.0))
        assert u.intercept == pytest.approx(b, abs=1e-6)
        assert u.n_nonzero == np.count_nonzero(u.coef) == u.active.size


def test_lasso_update_matches_scikit_learn(lasso):
    sklearn_linear = pytest.importorskip("sklearn.linear_model")
    for rate in (0.8 * lasso.knot_rates[1], 0.05 * lasso.knot_rates[0]):
        model = sklearn_linear.Lasso(alpha=rate, tol=1e-12, max_iter=100_000).fit(lasso.X, lasso.y)
        u = widgets.lasso_update(lasso, rate)
        np.testing.assert_allclose(u.coef, model.coef_, atol=1e-7)
        assert u.intercept == pytest.approx(model.intercept_, abs=1e-7)


def test_lasso_is_zero_above_the_max_rate_and_features_enter_one_by_one(lasso):
    assert widgets.lasso_update(lasso, 1.01 * lasso.knot_rates[0]).n_nonzero == 0
    counts = [widgets.lasso_update(lasso, r).n_nonzero for r in np.geomspace(lasso.knot_rates[0], 1e-3, 60)]
    assert counts[0] == 0 and counts[-1] == lasso.X.shape[1]
    assert max(np.diff(counts)) <= 1  # never two at once on this (generic) data


def test_lasso_falls_back_to_coordinate_descent_below_a_truncated_path(lasso):
    cut = dataclasses.replace(lasso, knot_rates=lasso.knot_rates[:3], knot_coefs=lasso.knot_coefs[:3])
    rate = 0.5 * lasso.knot_rates[2]
    u = widgets.lasso_update(cut, rate)
    assert lasso_kkt_violation(lasso.X, lasso.y, u.coef, rate) < 1e-6


def test_lasso_setup_checks_feature_names():
    X = np.random.default_rng(0).standard_normal((10, 3))
    with pytest.raises(ValueError, match="feature_names"):
        widgets.lasso_setup(X, X @ [1.0, 0.0, -1.0], feature_names=["a", "b"])


def test_lasso_widget_bars_follow_the_path(lasso):
    w = widgets.lasso_widget(lasso)
    ax_bar, ax_path = w.figure.axes
    rate = 0.5 * lasso.knot_rates[2]
    w.controls["rate"].value = rate
    np.testing.assert_allclose(bar_heights(plots.find_artist(ax_bar, "coefs")),
                               widgets.lasso_update(lasso, rate).coef)
    np.testing.assert_allclose(plots.find_artist(ax_path, "rate-marker").get_xdata(), [rate, rate])
    assert "nonzero" in ax_bar.get_title()

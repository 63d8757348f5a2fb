"""course_lib.widgets.elastic_net (lesson 9): fits against scikit-learn and the KKT conditions; the widget's artists."""

import numpy as np
import pytest

from course_lib import plots, widgets

from widget_cases import bar_heights


@pytest.fixture(scope="module")
def enet():
    return widgets.elastic_net_setup(n_l1_ratios=11)


def _enet_kkt_violation(X, y, w, rate, rho):
    n = X.shape[0]
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    g = Xc.T @ (yc - Xc @ w) / n - rate * (1 - rho) * w  # what the L1 part must balance
    on = np.abs(g - rate * rho * np.sign(w))[w != 0]
    off = np.maximum(np.abs(g) - rate * rho, 0)[w == 0]
    return max(on.max(initial=0.0), off.max(initial=0.0))


@pytest.mark.parametrize("rho", [0.0, 0.3, 0.5, 1.0])
def test_elastic_net_update_matches_scikit_learn_and_kkt(enet, rho):
    sklearn_linear = pytest.importorskip("sklearn.linear_model")
    rate = 0.2
    u = widgets.elastic_net_update(enet, rate, rho)
    model = sklearn_linear.ElasticNet(alpha=rate, l1_ratio=rho, tol=1e-12, max_iter=100_000).fit(enet.X, enet.y)
    np.testing.assert_allclose(u.coef, model.coef_, atol=1e-7)
    assert u.intercept == pytest.approx(model.intercept_, abs=1e-7)
    assert _enet_kkt_violation(enet.X, enet.y, u.coef, rate, rho) < 1e-8
    assert u.n_nonzero == np.count_nonzero(u.coef)
    # the profile row at this l1_ratio is the same fit
    k = int(np.argmin(np.abs(enet.l1_ratios - rho)))
    assert enet.l1_ratios[k] == pytest.approx(rho)
    np.testing.assert_allclose(u.profile[k], u.coef, atol=1e-7)


def test_elastic_net_default_data_show_the_grouping_effect(enet):
    # x1 and x2 are the correlated twins that both drive y: the lasso keeps one of them,
    # the elastic net (l1_ratio = 0.5) keeps both, at every rate where anything survives
    top = enet.rate_range[1] / 3.0  # the lasso's max rate
    for rate in top * np.array([0.05, 0.2, 0.5, 0.8]):
        lasso = widgets.elastic_net_update(enet, rate, 1.0).coef
        blend = widgets.elastic_net_update(enet, rate, 0.5).coef
        assert np.count_nonzero(lasso[:2]) == 1, rate
        assert np.all(blend[:2] > 0), rate
    assert np.corrcoef(enet.X[:, 0], enet.X[:, 1])[0, 1] > 0.9
    np.testing.assert_allclose(enet.X.std(axis=0), 1.0)


def test_elastic_net_update_caches_profiles_and_checks_arguments(enet):
    first = widgets.elastic_net_update(enet, 0.37, 0.5).profile
    assert widgets.elastic_net_update(enet, 0.37, 0.9).profile is first
    with pytest.raises(ValueError, match="l1_ratio"):
        widgets.elastic_net_update(enet, 0.1, 1.5)
    with pytest.raises(ValueError, match="rate"):
        widgets.elastic_net_update(enet, -0.1, 0.5)
    with pytest.raises(ValueError, match="feature_names"):
        widgets.elastic_net_setup(enet.X, enet.y, feature_names=["a"])


def test_elastic_net_widget_moves_ball_bars_and_profile(enet):
    w = widgets.elastic_net_widget(enet, rate=0.3, l1_ratio=0.5)
    ax_ball, ax_bar, ax_prof = w.figure.axes
    w.controls["l1_ratio"].value = 1.0
    w.controls["rate"].value = 0.1
    u = widgets.elastic_net_update(enet, 0.1, 1.0)
    np.testing.assert_allclose(bar_heights(plots.find_artist(ax_bar, "coefs")), u.coef)
    np.testing.assert_allclose(np.abs(plots.find_artist(ax_ball, "enet-ball").get_xydata()).sum(axis=1), 1.0)
    np.testing.assert_allclose(plots.find_artist(ax_prof, "l1-ratio-marker").get_xdata(), [1.0, 1.0])
    np.testing.assert_allclose(plots.find_artist(ax_prof, "profile-1").get_ydata(), u.profile[:, 1])

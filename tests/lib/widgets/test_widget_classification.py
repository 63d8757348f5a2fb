"""course_lib.widgets.classification (lesson 7): fits against the logistic KKT conditions, and the widget's artists."""

import numpy as np
import pytest

from course_lib import plots, widgets
from course_lib.losses import sigmoid
from widget_cases import assert_probability_bands


@pytest.fixture(scope="module")
def cls_setup():
    return widgets.classification_setup(n_samples=80, degree=2, seed=7, resolution=20)


@pytest.mark.parametrize("penalty", ["l2", "l1"])
@pytest.mark.parametrize("rate", [1e-3, 3e-2, 0.2])
def test_classification_update_satisfies_the_logistic_kkt_conditions(cls_setup, penalty, rate):
    u = widgets.classification_update(cls_setup, rate, penalty)
    Z, y = cls_setup.Z, cls_setup.y
    p = sigmoid(Z @ u.coef + u.intercept)
    g = Z.T @ (p - y) / y.size
    assert abs(np.mean(p - y)) < 1e-8  # intercept is unpenalized
    if penalty == "l2":
        np.testing.assert_allclose(g + rate * u.coef, 0.0, atol=1e-8)
    else:
        on = u.coef != 0
        np.testing.assert_allclose(g[on], -rate * np.sign(u.coef[on]), atol=1e-8)
        assert np.all(np.abs(g[~on]) <= rate + 1e-8)
    np.testing.assert_allclose(u.proba, p_grid := sigmoid(cls_setup.grid_Z @ u.coef + u.intercept).reshape(20, 20))
    assert u.proba.shape == cls_setup.xx.shape and np.all((p_grid >= 0) & (p_grid <= 1))
    assert u.train_accuracy == pytest.approx(np.mean((p > 0.5) == (y == 1)))
    assert u.n_nonzero == np.count_nonzero(u.coef)


def test_classification_l1_zeroes_weights_as_the_rate_grows(cls_setup):
    counts = [widgets.classification_update(cls_setup, r, "l1").n_nonzero for r in (1e-4, 1e-2, 0.1, 1.0)]
    assert counts[0] > counts[-1] and counts[-1] == 0
    assert all(a >= b for a, b in zip(counts, counts[1:]))


def test_classification_cache_returns_the_same_fit(cls_setup):
    a = widgets.classification_update(cls_setup, 0.05, "l2")
    b = widgets.classification_update(cls_setup, 0.05, "l2")
    np.testing.assert_array_equal(a.coef, b.coef)
    assert ("l2", 0.05) in cls_setup.cache
    with pytest.raises(ValueError, match="penalty"):
        widgets.classification_update(cls_setup, 0.05, "l3")


def test_classification_widget_redraws_probability_and_boundary(cls_setup):
    w = widgets.classification_widget(cls_setup, rate=1e-2)
    ax = w.figure.axes[0]
    w.controls["penalty"].value = "l1"
    w.controls["rate"].value = 0.05
    u = widgets.classification_update(cls_setup, 0.05, "l1")
    assert_probability_bands(ax, cls_setup.xx, cls_setup.yy, u.proba)
    assert plots.find_artist(ax, "boundary") is not None
    assert w.controls["rate"].continuous_update is False

"""Lessons 11 and 12's widgets: learning curves over the weight decay, dropout over p, L1 against L2.

Oracles: direct train_mlp runs (each network of a grid is the documented single run), argmin of the
curves, and the first-layer rows; moves never train (train_mlps is replaced by a function that fails)
and move the artists to the update's values.
"""

import numpy as np
import pytest

from course_lib import plots, widgets
from course_lib.data import make_classification_2d, make_wide_classification
from course_lib.mlp import train_mlp
from course_lib.widgets import dropout as dropout_module
from course_lib.widgets import l1_network as l1_module
from course_lib.widgets import learning_curves as curves_module
from course_lib.widgets.wiring import CONTROL_CLASS, FIGURE_CLASS, MAIN_CONTROL_CLASS, WIDGET_CLASS
from widget_cases import assert_probability_bands


@pytest.fixture(scope="module")
def moons():
    X, y = make_classification_2d(24, kind="moons", noise=0.3, seed=1)
    X_val, y_val = make_classification_2d(30, kind="moons", noise=0.3, seed=2)
    return X, y, X_val, y_val


@pytest.fixture(scope="module")
def curves(moons):
    return widgets.learning_curves_setup(*moons, hidden=(5,), weight_decays=(0.0, 0.01, 0.3), epochs=30, lr=0.5)


@pytest.fixture(scope="module")
def drops(moons):
    return widgets.dropout_setup(*moons, hidden=(5, 4), dropouts=(0.0, 0.3), epochs=30, lr=0.01, resolution=7)


@pytest.fixture(scope="module")
def l1():
    X, y, _ = make_wide_classification(60, n_features=5, n_informative=2, seed=3)
    return widgets.l1_network_setup(X, y, hidden=(4,), rates=(0.01, 0.1), epochs=60, lr=0.5)


def _no_training(*args, **kwargs):
    raise AssertionError("a control move trained a network")


# ---------------------------------------------------------------------------
# Lesson 11: learning curves
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("weight_decay", [0.0, 0.01, 0.3])
def test_learning_curves_are_the_documented_training_runs(moons, curves, weight_decay):
    X, y, X_val, y_val = moons
    u = widgets.learning_curves_update(curves, weight_decay)
    direct = train_mlp(X, y, (5,), optimizer="sgd", lr=0.5, epochs=30, weight_decay=weight_decay,
                       X_val=X_val, y_val=y_val)
    np.testing.assert_allclose(u.train_loss, direct.history["data_loss"], rtol=1e-12)
    np.testing.assert_allclose(u.val_loss, direct.history["val_loss"], rtol=1e-12)
    assert u.best_epoch == int(np.argmin(direct.history["val_loss"]))
    assert u.final_val.shape == (3,) and u.final_val[curves.weight_decays.index(weight_decay)] == u.val_loss[-1]


def test_learning_curves_reject_a_weight_decay_off_the_grid(curves):
    with pytest.raises(ValueError, match="weight_decay"):
        widgets.learning_curves_update(curves, 0.02)
    with pytest.raises(ValueError, match="weight_decay"):
        widgets.learning_curves_update(curves, -1.0)


def test_learning_curves_widget_moves_lines_and_never_trains(curves, monkeypatch):
    box = widgets.learning_curves_widget(curves, weight_decay=0.0)
    monkeypatch.setattr(curves_module, "train_mlps", _no_training)
    ax = box.figure.axes[0]
    for wd in curves.weight_decays:
        box.controls["weight_decay"].value = wd
        u = box.last_update
        assert u.weight_decay == wd
        np.testing.assert_array_equal(plots.find_artist(ax, "val-loss").get_ydata(), u.val_loss)
        assert plots.find_artist(ax, "best-epoch").get_xdata()[0] == u.best_epoch
        assert f"weight decay {wd:g}" in ax.get_title()
        assert isinstance(box.render(), bytes)


# ---------------------------------------------------------------------------
# Lesson 12: dropout
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("p", [0.0, 0.3])
def test_dropout_networks_are_the_documented_training_runs(moons, drops, p):
    X, y, X_val, y_val = moons
    u = widgets.dropout_update(drops, p)
    direct = train_mlp(X, y, (5, 4), optimizer="adam", lr=0.01, epochs=30, dropout=p, X_val=X_val, y_val=y_val)
    np.testing.assert_allclose(u.val_loss, direct.history["val_loss"], rtol=1e-12)
    grid = np.column_stack([drops.xx.ravel(), drops.yy.ravel()])
    np.testing.assert_allclose(u.proba.ravel(), direct.predict_proba(grid), rtol=1e-12)
    assert u.proba.shape == (7, 7)


def test_dropout_widget_moves_the_boundary_and_never_trains(drops, monkeypatch):
    box = widgets.dropout_widget(drops, p=0.0)
    monkeypatch.setattr(dropout_module, "train_mlps", _no_training)
    _, ax_map = box.figure.axes
    images = []
    for p in drops.dropouts:
        box.controls["p"].value = p
        assert_probability_bands(ax_map, drops.xx, drops.yy, box.last_update.proba)
        images.append(box.render())
    assert images[0] != images[1]
    with pytest.raises(ValueError, match=r"\bp\b"):
        widgets.dropout_update(drops, 0.2)


# ---------------------------------------------------------------------------
# Lesson 12: L1 against L2 on the first layer
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [0.01, 0.1])
def test_l1_network_first_layers_are_the_documented_training_runs(l1, rate):
    X, y, _ = make_wide_classification(60, n_features=5, n_informative=2, seed=3)
    u = widgets.l1_network_update(l1, rate)
    for penalty, W in (("l2", u.W1_l2), ("l1", u.W1_l1)):
        direct = train_mlp(X, y, (4,), optimizer="sgd", lr=0.5, epochs=60, penalty=penalty, rate=rate)
        np.testing.assert_allclose(W, direct.params[0]["W"], rtol=1e-12, atol=1e-15)
    assert u.zeros_l1 == int(np.sum(u.W1_l1 == 0)) and u.zeros_l2 == 0
    assert u.unused_inputs == tuple(np.flatnonzero(np.all(u.W1_l1 == 0, axis=1)))


def test_l1_network_widget_moves_bars_and_histograms_and_never_trains(l1, monkeypatch):
    box = widgets.l1_network_widget(l1, rate=0.01)
    monkeypatch.setattr(l1_module, "train_mlps", _no_training)
    ax_hist, ax_usage = box.figure.axes
    for rate in l1.rates:
        box.controls["rate"].value = rate
        u = box.last_update
        heights = [bar.get_height() for bar in plots.find_artist(ax_usage, "usage-1")]
        np.testing.assert_allclose(heights, np.abs(u.W1_l1).sum(axis=1))
        counts = plots.find_artist(ax_hist, "hist-1").get_data().values
        assert counts.sum() == u.W1_l1.size
        assert f"L1 {u.zeros_l1} of" in ax_hist.get_title()
    assert box.last_update.zeros_l1 > 0


@pytest.mark.parametrize("make", [
    lambda c, d, l: widgets.learning_curves_widget(c), lambda c, d, l: widgets.dropout_widget(d),
    lambda c, d, l: widgets.l1_network_widget(l, rate=0.1)])
def test_the_widgets_carry_the_css_classes_and_a_main_control(curves, drops, l1, make):
    box = make(curves, drops, l1)
    assert WIDGET_CLASS in box._dom_classes and FIGURE_CLASS in box.output._dom_classes
    controls = list(box.controls.values())
    assert MAIN_CONTROL_CLASS in controls[0]._dom_classes
    assert all(CONTROL_CLASS in c._dom_classes for c in controls[1:])
    assert box.figure.get_size_inches()[0] <= 9.0  # fits a notebook column


@pytest.mark.parametrize("figure", [
    lambda c, d, l: widgets.learning_curves_figure(c, weight_decay=0.01),
    lambda c, d, l: widgets.dropout_figure(d, p=0.3), lambda c, d, l: widgets.l1_network_figure(l, rate=0.1)])
def test_the_static_figures_are_titled_and_labelled(curves, drops, l1, figure):
    fig = figure(curves, drops, l1)
    for ax in fig.axes:
        assert ax.get_title().strip() and ax.get_xlabel().strip()

"""course_lib.widgets.network (lesson 8): every network is the documented train_mlp run; moves never train."""

import numpy as np
import pytest

from course_lib import plots, widgets
from course_lib.mlp import train_mlp, weight_vector
from course_lib.widgets import network as network_module


@pytest.fixture(scope="module")
def net_setup():
    return widgets.network_setup(hidden=(4,), epochs=25, strengths=(0.0, 0.1), n_samples=40, resolution=8)


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "adamw"])
def test_network_update_is_the_documented_training_run(net_setup, optimizer):
    u = widgets.network_update(net_setup, optimizer, 0.1)
    kwargs = {"rate": 0.1} if optimizer == "adam" else {"weight_decay": 0.1}
    direct = train_mlp(net_setup.X, net_setup.y, (4,), optimizer=optimizer, lr=net_setup.lr[optimizer],
                       epochs=25, seed=net_setup.seed, **kwargs)
    np.testing.assert_allclose(u.weights, weight_vector(direct.params), rtol=1e-12)
    np.testing.assert_allclose(u.proba.ravel(), direct.predict_proba(net_setup.grid), rtol=1e-12)
    reference = train_mlp(net_setup.X, net_setup.y, (4,), optimizer=optimizer, lr=net_setup.lr[optimizer],
                          epochs=25, seed=net_setup.seed)
    np.testing.assert_allclose(u.reference_weights, weight_vector(reference.params), rtol=1e-12)
    assert u.proba.shape == (8, 8) and u.weights.shape == (2 * 4 + 4,)
    assert u.weight_norm == pytest.approx(np.linalg.norm(u.weights))


def test_network_lookup_is_cached_and_choices_are_checked(net_setup):
    m1 = widgets.network_model(net_setup, "adamw", 0.1)
    assert widgets.network_model(net_setup, "adamw", 0.1) is m1
    with pytest.raises(ValueError, match="strength"):
        widgets.network_update(net_setup, "adamw", 0.05)
    with pytest.raises(ValueError, match="optimizer"):
        widgets.network_update(net_setup, "rmsprop", 0.1)
    with pytest.raises(ValueError, match="include 0"):
        widgets.network_setup(strengths=(0.1, 1.0))
    widgets.precompute_networks(net_setup)
    assert set(net_setup.cache) == {(o, s) for o in widgets.OPTIMIZER_LABELS for s in (0.0, 0.1)}


def _tiny_network_setup(strengths=(0.0, 0.1, 1.0)):
    return widgets.network_setup(hidden=(3,), epochs=10, strengths=strengths, n_samples=20, resolution=6)


def test_network_model_trains_the_whole_optimizer_row_on_a_miss():
    setup = _tiny_network_setup()
    first = widgets.network_model(setup, "adam", 1.0)
    assert set(setup.cache) == {("adam", s) for s in setup.strengths}
    for strength in setup.strengths:  # every network of the row is the documented train_mlp run
        direct = train_mlp(setup.X, setup.y, (3,), optimizer="adam", lr=setup.lr["adam"], rate=strength,
                           epochs=10, seed=setup.seed)
        np.testing.assert_allclose(weight_vector(setup.cache[("adam", strength)].params),
                                   weight_vector(direct.params), rtol=1e-12)
        np.testing.assert_allclose(setup.cache[("adam", strength)].history["objective"],
                                   direct.history["objective"], rtol=1e-12)
    widgets.precompute_networks(setup)  # fills the other rows, keeps what was there
    assert widgets.network_model(setup, "adam", 1.0) is first
    assert len(setup.cache) == 3 * len(setup.strengths)


def test_network_widget_trains_everything_when_built_so_every_move_is_a_lookup(monkeypatch):
    setup = _tiny_network_setup()
    box = widgets.network_widget(setup, optimizer="sgd", strength=0.1)
    assert set(setup.cache) == {(o, s) for o in widgets.OPTIMIZER_LABELS for s in setup.strengths}

    def no_training(*args, **kwargs):
        raise AssertionError("a control move trained a network")

    monkeypatch.setattr(network_module, "train_mlps", no_training)
    for optimizer in widgets.OPTIMIZER_LABELS:  # first visit of every setting
        box.controls["optimizer"].value = optimizer
        for strength in setup.strengths:
            box.controls["strength"].value = strength
            assert (box.last_update.optimizer, box.last_update.strength) == (optimizer, strength)
            np.testing.assert_array_equal(box.last_update.weights,
                                          weight_vector(setup.cache[(optimizer, strength)].params))


def test_network_widget_can_stay_lazy_and_checks_its_arguments_first():
    setup = _tiny_network_setup()
    box = widgets.network_widget(setup, optimizer="sgd", strength=0.1, precompute=False)
    assert set(setup.cache) == {("sgd", s) for s in setup.strengths}  # the shown optimizer's row only
    box.controls["optimizer"].value = "adamw"
    assert {o for o, _ in setup.cache} == {"sgd", "adamw"}
    fresh = _tiny_network_setup()
    with pytest.raises(ValueError, match="strength"):
        widgets.network_widget(fresh, optimizer="sgd", strength=0.5)
    with pytest.raises(ValueError, match="optimizer"):
        widgets.network_widget(fresh, optimizer="rmsprop", strength=0.1)
    with pytest.raises(TypeError, match="precompute"):
        widgets.network_widget(fresh, optimizer="sgd", strength=0.1, precompute="no")
    assert fresh.cache == {}  # nothing trained before the arguments were checked


def test_network_widget_updates_histogram(net_setup):
    w = widgets.network_widget(net_setup, optimizer="sgd", strength=0.0)
    ax_hist = w.figure.axes[1]
    w.controls["strength"].value = 0.1
    counts, edges, _ = plots.find_artist(ax_hist, "hist-0").get_data()
    u = widgets.network_update(net_setup, "sgd", 0.1)
    np.testing.assert_array_equal(counts, np.histogram(u.weights, edges)[0])
    assert counts.sum() == u.weights.size


def test_network_histogram_scale_holds_every_strength_so_a_strength_move_redraws_only_what_moved(net_setup):
    w = widgets.network_widget(net_setup, optimizer="sgd", strength=0.0)
    w.render()
    w.controls["strength"].value = 0.1
    w.render()
    assert w.render.__self__.full_redraws == 1  # the histogram's axes did not move
    u = w.last_update
    edges = u.histogram_edges
    assert edges[0] == -edges[-1] and len(edges) == 41
    for strength in net_setup.strengths:  # every network of the row fits on the same axes
        weights = weight_vector(widgets.network_model(net_setup, "sgd", strength).params)
        assert np.abs(weights).max() < edges[-1]
        assert np.histogram(weights, edges)[0].max() < u.histogram_top
    assert w.figure.axes[1].get_xlim() == (edges[0], edges[-1])
    assert w.figure.axes[1].get_ylim() == (0, u.histogram_top)
    with pytest.raises(ValueError, match="bins"):
        widgets.network_update(net_setup, "sgd", 0.1, bins=0)

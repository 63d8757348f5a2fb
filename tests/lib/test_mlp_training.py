"""Tests for the regularization options of course_lib.mlp.train_mlp: dropout, validation data, early
stopping, the proximal L1 step and penalty objects.

Oracles: hand-written training loops built from mlp_loss_and_gradients, dropout_mask, sgd_step and
soft_threshold (bit for bit: the same arithmetic in the same order); central finite differences
through a fixed dropout mask; losses recomputed from the returned network with
model_selection.mean_log_loss; a shorter run without early stopping (the best epoch's weights);
the condition every exact zero of an L1 solution meets (|data slope| <= rate).
"""

import copy
import warnings

import numpy as np
import pytest

from course_lib.data import make_classification_2d
from course_lib.dropout import dropout_mask
from course_lib.mlp import init_mlp, mlp_forward, mlp_loss_and_gradients, mlp_predict_proba, train_mlp, weight_vector
from course_lib.model_selection import mean_log_loss
from course_lib.optimizers import sgd_step
from course_lib.penalties import L1, L2, ElasticNet, soft_threshold

H = 1e-6


def rel_err(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))


@pytest.fixture(scope="module")
def small():
    """30 training and 200 validation points of the noisy moons: a 40-unit network overfits them."""
    X, y = make_classification_2d(30, kind="moons", noise=0.35, seed=2)
    X_val, y_val = make_classification_2d(200, kind="moons", noise=0.35, seed=3)
    return X, y, X_val, y_val


def _same_params(a, b):
    return all(np.array_equal(la[k], lb[k]) for la, lb in zip(a, b) for k in ("W", "b"))


# ---------------------------------------------------------------------------
# Dropout
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("optimizer, batch_size", [("sgd", None), ("adam", 8), ("adamw", None)])
def test_dropout_zero_trains_exactly_as_without_dropout(small, optimizer, batch_size):
    X, y, _, _ = small
    kwargs = dict(optimizer=optimizer, rate=0.01, batch_size=batch_size, epochs=30, seed=4)
    plain, zero = train_mlp(X, y, (6, 3), **kwargs), train_mlp(X, y, (6, 3), dropout=0.0, **kwargs)
    assert _same_params(plain.params, zero.params)
    for key in plain.history:
        np.testing.assert_array_equal(plain.history[key], zero.history[key])


@pytest.mark.parametrize("batch_size", [None, 10])
def test_dropout_training_is_a_hand_written_loop_with_one_new_mask_per_batch(small, batch_size):
    # The generator seeded by `seed` draws the initialization, then for each epoch the shuffle (with
    # mini-batches) and, for each batch, one mask per hidden layer, in layer order.
    X, y, _, _ = small
    p, lr, rate, epochs, hidden = 0.3, 0.5, 0.01, 12, (6, 4)
    fit = train_mlp(X, y, hidden, optimizer="sgd", lr=lr, rate=rate, dropout=p, batch_size=batch_size,
                    epochs=epochs, seed=5)
    rng = np.random.default_rng(5)
    params = init_mlp([2, *hidden, 1], seed=rng)
    n = X.shape[0]
    for _ in range(epochs):
        order = np.arange(n) if batch_size is None else rng.permutation(n)
        for start in range(0, n, batch_size or n):
            rows = order[start : start + (batch_size or n)]
            masks = [dropout_mask((len(rows), h), p, seed=rng) for h in hidden]
            _, grads = mlp_loss_and_gradients(params, X[rows], y[rows], rate=rate, masks=masks)
            params = [{"W": sgd_step(layer["W"], g["W"], lr), "b": sgd_step(layer["b"], g["b"], lr)}
                      for layer, g in zip(params, grads)]
    assert _same_params(fit.params, params)


def test_dropout_runs_are_reproducible_from_their_seed(small):
    X, y, _, _ = small
    kwargs = dict(optimizer="adam", dropout=0.5, epochs=20)
    a, b, c = (train_mlp(X, y, (8,), seed=s, **kwargs) for s in (1, 1, 2))
    assert _same_params(a.params, b.params) and not _same_params(a.params, c.params)
    # the seed also sets the masks: the same initialization with other masks trains differently
    rng = np.random.default_rng(1)
    init_mlp([2, 8, 1], seed=rng)
    assert not _same_params(a.params, train_mlp(X, y, (8,), seed=1, optimizer="adam", dropout=0.4, epochs=20).params)


def test_prediction_and_history_use_the_whole_network(small):
    X, y, X_val, y_val = small
    fit = train_mlp(X, y, (16,), optimizer="adam", dropout=0.5, epochs=50, X_val=X_val, y_val=y_val, seed=3)
    proba = fit.predict_proba(X)
    np.testing.assert_array_equal(proba, fit.predict_proba(X))  # nothing random at prediction
    np.testing.assert_array_equal(proba, mlp_predict_proba(fit.params, X))
    assert fit.history["data_loss"][-1] == pytest.approx(mean_log_loss(y, proba), rel=1e-12)
    assert fit.history["val_loss"][-1] == pytest.approx(mean_log_loss(y_val, fit.predict_proba(X_val)), rel=1e-12)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("task", ["classification", "regression"])
def test_backprop_through_a_fixed_dropout_mask_matches_finite_differences(activation, task):
    rng = np.random.default_rng(6)
    X = rng.normal(size=(12, 3))
    y = (X[:, 0] > 0).astype(float) if task == "classification" else np.sin(X[:, 0])
    params = init_mlp([3, 5, 4, 1], seed=7)
    for layer in params:
        layer["b"] = rng.normal(scale=0.5, size=layer["b"].shape)
    masks = [dropout_mask((12, 5), 0.4, seed=8), dropout_mask((12, 4), 0.4, seed=9)]
    assert all(0 < np.mean(m == 0) < 1 for m in masks)
    kwargs = dict(rate=0.1, activation=activation, task=task, masks=masks)
    if activation == "relu":  # away from the kink
        _, cache = mlp_forward(params, X, activation=activation, task=task, masks=masks)
        assert min(np.min(np.abs(Z)) for Z in cache["Z"][:-1]) > 100 * H
    _, grads = mlp_loss_and_gradients(params, X, y, **kwargs)
    for l, layer in enumerate(params):
        for key in ("W", "b"):
            fd = np.zeros_like(layer[key])
            for idx in np.ndindex(layer[key].shape):
                plus, minus = copy.deepcopy(params), copy.deepcopy(params)
                plus[l][key][idx] += H
                minus[l][key][idx] -= H
                fd[idx] = (mlp_loss_and_gradients(plus, X, y, **kwargs)[0]
                           - mlp_loss_and_gradients(minus, X, y, **kwargs)[0]) / (2 * H)
            assert np.max(rel_err(grads[l][key], fd)) < 1e-5, (l, key)


def test_a_unit_dropped_on_every_row_gets_no_data_gradient():
    rng = np.random.default_rng(10)
    X, y = rng.normal(size=(9, 2)), (rng.uniform(size=9) < 0.5).astype(float)
    params = init_mlp([2, 4, 1], seed=11)
    mask = np.full((9, 4), 2.0)
    mask[:, 1] = 0.0  # unit 1 is off on every row
    _, grads = mlp_loss_and_gradients(params, X, y, rate=0.0, masks=[mask])
    assert np.all(grads[0]["W"][:, 1] == 0) and grads[0]["b"][1] == 0 and grads[1]["W"][1, 0] == 0
    assert np.all(grads[0]["W"][:, [0, 2, 3]] != 0)


# ---------------------------------------------------------------------------
# Validation data and early stopping
# ---------------------------------------------------------------------------


def test_validation_loss_is_aligned_with_the_training_history(small):
    X, y, X_val, y_val = small
    fit = train_mlp(X, y, (10,), optimizer="adam", epochs=40, X_val=X_val, y_val=y_val, seed=2)
    assert set(fit.history) == {"data_loss", "objective", "weight_norm", "val_loss"}
    assert all(len(values) == 41 for values in fit.history.values())
    start = init_mlp([2, 10, 1], seed=2)  # entry 0: the initialization
    assert fit.history["val_loss"][0] == pytest.approx(mean_log_loss(y_val, mlp_predict_proba(start, X_val)), rel=1e-12)
    assert fit.history["val_loss"][-1] == pytest.approx(mean_log_loss(y_val, fit.predict_proba(X_val)), rel=1e-12)
    same = train_mlp(X, y, (10,), optimizer="adam", epochs=40, X_val=X, y_val=y, seed=2)
    np.testing.assert_allclose(same.history["val_loss"], same.history["data_loss"], rtol=1e-14)
    assert "val_loss" not in train_mlp(X, y, (10,), epochs=5).history
    assert fit.best_epoch is None  # no early stopping: the last epoch's weights


def test_early_stopping_returns_the_best_weights_not_the_last(small):
    X, y, X_val, y_val = small
    kwargs = dict(optimizer="adam", lr=0.01, seed=0, X_val=X_val, y_val=y_val)
    patience = 25
    fit = train_mlp(X, y, (40,), epochs=3000, patience=patience, **kwargs)
    val = fit.history["val_loss"]
    best, stop = fit.best_epoch, len(val) - 1
    assert best == int(np.argmin(val)) and stop == best + patience < 3000  # it stopped, patience epochs late
    assert np.all(val[best + 1 :] >= val[best])
    # the returned weights are those after `best` epochs: a run stopped there by hand has them, bit for bit
    assert _same_params(fit.params, train_mlp(X, y, (40,), epochs=best, **kwargs).params)
    assert mean_log_loss(y_val, fit.predict_proba(X_val)) == pytest.approx(val[best], rel=1e-12)
    # and not the last ones: the run without early stopping, cut at the same epoch, ends elsewhere
    last = train_mlp(X, y, (40,), epochs=stop, **kwargs)
    np.testing.assert_array_equal(last.history["val_loss"], val)  # the same run up to the stop
    assert mean_log_loss(y_val, last.predict_proba(X_val)) > val[best]


def test_early_stopping_can_keep_the_initialization(small):
    X, y, X_val, y_val = small
    # a learning rate far too large for SGD makes every epoch worse on validation data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        fit = train_mlp(X, y, (10,), optimizer="sgd", lr=200.0, epochs=100, X_val=X_val, y_val=y_val, patience=3)
    if fit.best_epoch == 0:
        assert _same_params(fit.params, init_mlp([2, 10, 1], seed=0))
    assert len(fit.history["val_loss"]) <= fit.best_epoch + 4


# ---------------------------------------------------------------------------
# L1: the proximal step with SGD, the subgradient with Adam
# ---------------------------------------------------------------------------


def test_l1_with_sgd_is_a_gradient_step_then_soft_thresholding(small):
    X, y, _, _ = small
    lr, rate, epochs = 0.5, 0.01, 25
    fit = train_mlp(X, y, (8,), optimizer="sgd", lr=lr, rate=rate, penalty="l1", epochs=epochs, seed=1)
    params = init_mlp([2, 8, 1], seed=1)
    for _ in range(epochs):
        _, grads = mlp_loss_and_gradients(params, X, y, rate=0.0)  # the data gradient only
        params = [{"W": soft_threshold(sgd_step(layer["W"], g["W"], lr).ravel(), lr * rate).reshape(layer["W"].shape),
                   "b": sgd_step(layer["b"], g["b"], lr)} for layer, g in zip(params, grads)]
    assert _same_params(fit.params, params)


def test_l1_zeros_come_from_the_proximal_step_never_from_the_subgradient(small):
    X, y, _, _ = small
    rate, lr, epochs = 0.005, 0.5, 1500
    proximal = train_mlp(X, y, (30,), optimizer="sgd", lr=lr, rate=rate, penalty="l1", epochs=epochs, seed=2)
    w = weight_vector(proximal.params)
    assert np.mean(w == 0.0) > 0.3  # exact zeros
    # each zero is where the data's slope is too weak to pay the penalty: |∂ data loss / ∂w| <= rate, so the
    # proximal step keeps it at 0 (soft_threshold(0 − lr·g, lr·rate) = 0)
    _, grads = mlp_loss_and_gradients(proximal.params, X, y, rate=0.0)
    slopes = np.concatenate([g["W"][layer["W"] == 0.0] for layer, g in zip(proximal.params, grads)])
    assert np.max(np.abs(slopes)) < rate
    # the subgradient rate·sign(W) — by hand with SGD, or inside Adam — leaves no weight at exactly 0
    params = init_mlp([2, 30, 1], seed=2)
    for _ in range(epochs):
        _, grads = mlp_loss_and_gradients(params, X, y, rate=rate, penalty="l1")  # subgradient included
        params = [{k: sgd_step(layer[k], g[k], lr) for k in ("W", "b")} for layer, g in zip(params, grads)]
    subgradient = weight_vector(params)
    assert not np.any(subgradient == 0.0)
    assert np.mean(np.abs(subgradient) < lr * rate) > 0.3  # many tiny weights, jumping across 0
    adam = weight_vector(train_mlp(X, y, (30,), optimizer="adam", rate=rate, penalty="l1", epochs=500, seed=2).params)
    assert not np.any(adam == 0.0)


def test_the_l1_history_objective_includes_the_penalty(small):
    X, y, _, _ = small
    fit = train_mlp(X, y, (8,), optimizer="sgd", rate=0.02, penalty="l1", epochs=40)
    assert fit.history["objective"][-1] == pytest.approx(
        fit.history["data_loss"][-1] + 0.02 * np.sum(np.abs(weight_vector(fit.params))), rel=1e-12)


# ---------------------------------------------------------------------------
# Penalty objects
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("obj, name, rate", [(L2(0.01), "l2", 0.01), (L1(0.003), "l1", 0.003)])
def test_a_penalty_object_trains_as_its_name_and_rate(small, optimizer, obj, name, rate):
    X, y, _, _ = small
    kwargs = dict(optimizer=optimizer, epochs=30, seed=3, batch_size=10)
    a = train_mlp(X, y, (6,), penalty=obj, **kwargs)
    b = train_mlp(X, y, (6,), penalty=name, rate=rate, **kwargs)
    assert _same_params(a.params, b.params)
    np.testing.assert_array_equal(a.history["objective"], b.history["objective"])
    params = init_mlp([2, 6, 1], seed=4)
    fa, ga = mlp_loss_and_gradients(params, X, y, penalty=obj)
    fb, gb = mlp_loss_and_gradients(params, X, y, penalty=name, rate=rate)
    assert fa == fb and _same_params(ga, gb)


def test_elastic_net_with_sgd_takes_its_proximal_step(small):
    X, y, _, _ = small
    penalty, lr = ElasticNet(0.01, l1_ratio=0.5), 0.5
    fit = train_mlp(X, y, (8,), optimizer="sgd", lr=lr, penalty=penalty, epochs=20, seed=1)
    params = init_mlp([2, 8, 1], seed=1)
    for _ in range(20):
        _, grads = mlp_loss_and_gradients(params, X, y, rate=0.0)
        params = [{"W": penalty.prox(sgd_step(layer["W"], g["W"], lr).ravel(), lr).reshape(layer["W"].shape),
                   "b": sgd_step(layer["b"], g["b"], lr)} for layer, g in zip(params, grads)]
    assert _same_params(fit.params, params)


# ---------------------------------------------------------------------------
# Bad input to every new argument
# ---------------------------------------------------------------------------


def _val(kind):
    """Validation arguments by name (the data exist only once the fixture has run)."""
    def make(X_val, y_val):
        return {"both": dict(X_val=X_val, y_val=y_val), "X only": dict(X_val=X_val), "y only": dict(y_val=y_val),
                "three columns": dict(X_val=np.ones((5, 3)), y_val=np.zeros(5)),
                "labels 2": dict(X_val=X_val, y_val=y_val + 1), "none": {}}[kind]
    return make


@pytest.mark.parametrize(
    "kwargs, val, exc, name",
    [
        (dict(dropout=1.0), "none", ValueError, "dropout"),
        (dict(dropout=-0.2), "none", ValueError, "dropout"),
        (dict(dropout=float("nan")), "none", ValueError, "dropout"),
        (dict(dropout="0.5"), "none", TypeError, "dropout"),
        (dict(dropout=0.5, hidden=()), "none", ValueError, "dropout"),
        (dict(patience=5), "none", ValueError, "patience"),
        (dict(patience=0), "both", ValueError, "patience"),
        (dict(patience=2.5), "both", TypeError, "patience"),
        (dict(), "X only", ValueError, "y_val"),
        (dict(), "y only", ValueError, "X_val"),
        (dict(), "three columns", ValueError, "X_val"),
        (dict(), "labels 2", ValueError, "y_val"),
        (dict(penalty=L2(0.1), rate=0.1), "none", ValueError, "rate"),
        (dict(penalty=object()), "none", TypeError, "penalty"),
        (dict(penalty="l3"), "none", ValueError, "penalty"),
    ],
)
def test_bad_input_to_the_new_arguments_raises_naming_it(small, kwargs, val, exc, name):
    X, y, X_val, y_val = small
    kwargs = {**kwargs, **_val(val)(X_val, y_val)}
    with pytest.raises(exc, match=name):
        train_mlp(X, y, kwargs.pop("hidden", (4,)), epochs=2, **kwargs)


@pytest.mark.parametrize(
    "masks, exc, name",
    [
        (np.ones((10, 4)), TypeError, "masks"),
        ([np.ones((10, 4)), np.ones((10, 4))], ValueError, "masks"),
        ([np.ones((9, 4))], ValueError, r"masks\[0\]"),
        ([np.ones((10, 3))], ValueError, r"masks\[0\]"),
        ([-np.ones((10, 4))], ValueError, r"masks\[0\]"),
        ([np.full((10, 4), np.nan)], ValueError, r"masks\[0\]"),
    ],
)
def test_bad_masks_raise_naming_them(masks, exc, name):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(10, 2)), (rng.uniform(size=10) < 0.5).astype(float)
    with pytest.raises(exc, match=name):
        mlp_loss_and_gradients(init_mlp([2, 4, 1]), X, y, masks=masks)

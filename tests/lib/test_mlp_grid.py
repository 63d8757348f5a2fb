"""train_mlps (speed machinery in course_lib._solvers.mlp_grid) against its readable version, train_mlp.

K networks trained at once must be K train_mlp runs: every parameter and every history entry agree
to 1e-12, for each optimizer, activation, task and penalty, with weight decay, L2/L1 rates, dropout
(each network drawing the masks its own train_mlp run draws), the proximal L1 step, validation data,
and networks that diverge and leave the stack.
"""

import warnings

import numpy as np
import pytest

from course_lib._solvers import mlp_grid
from course_lib.mlp import init_mlp, train_mlp, train_mlps, weight_vector
from course_lib.mlp import training as mlp_training


def _problem(task="classification", seed=0, n=25, p=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    if task == "classification":
        y = (X[:, 0] - X[:, 1] ** 2 + 0.5 * rng.normal(size=n) > 0).astype(float)
    else:
        y = np.sin(X[:, 0]) + 0.3 * X[:, 2] + 0.1 * rng.normal(size=n)
    return X, y


def _diverging_singles(X, y, weight_decays, **kwargs):
    """One train_mlp run per weight decay, its divergence warnings silenced (asserted on the batch)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return [train_mlp(X, y, (4,), weight_decay=wd, **kwargs) for wd in weight_decays]


def _assert_same_networks(batched, singles):
    """Every parameter and every history entry agree to 1e-12 (relative, with a small floor)."""
    assert len(batched) == len(singles)
    for a, b in zip(batched, singles):
        assert (a.activation, a.task, a.best_epoch) == (b.activation, b.task, b.best_epoch)
        assert len(a.params) == len(b.params)
        for la, lb in zip(a.params, b.params):
            for key in ("W", "b"):
                assert la[key].shape == lb[key].shape
                np.testing.assert_allclose(la[key], lb[key], rtol=1e-12, atol=1e-14)
        assert set(a.history) == set(b.history)
        for key in b.history:
            assert a.history[key].shape == b.history[key].shape
            np.testing.assert_allclose(a.history[key], b.history[key], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(
    "optimizer, activation, task, penalty, decay_biases, hidden",
    [
        ("sgd", "tanh", "classification", "l2", False, (6,)),
        ("sgd", "relu", "regression", "l1", True, (5, 3)),
        ("sgd", "tanh", "classification", "l1", False, (6,)),
        ("adam", "tanh", "classification", "l2", False, (6,)),
        ("adam", "relu", "regression", "l2", True, (4,)),
        ("adamw", "tanh", "classification", "l1", True, (5, 3)),
        ("adamw", "relu", "classification", "l2", False, ()),
    ],
)
def test_train_mlps_equals_train_mlp_network_by_network(optimizer, activation, task, penalty, decay_biases, hidden):
    X, y = _problem(task, seed=21, n=30)
    rates = [0.0, 0.0, 1e-3, 0.05, 0.3]
    weight_decays = [0.0, 0.1, 0.0, 0.02, 1.0]
    common = dict(activation=activation, task=task, optimizer=optimizer, lr=0.3 if optimizer == "sgd" else 0.02,
                  penalty=penalty, decay_biases=decay_biases, epochs=60, seed=4)
    batched = train_mlps(X, y, hidden, rates=rates, weight_decays=weight_decays, **common)
    singles = [train_mlp(X, y, hidden, rate=r, weight_decay=wd, **common) for r, wd in zip(rates, weight_decays)]
    _assert_same_networks(batched, singles)
    # the strengths did something: the networks differ from one another (with SGD's proximal L1 step the
    # two largest rates may both zero every weight)
    norms = [fit.history["weight_norm"][-1] for fit in batched]
    assert len(set(norms)) >= len(norms) - (optimizer == "sgd" and penalty == "l1")


def test_the_proximal_l1_step_gives_the_same_exact_zeros():
    X, y = _problem(seed=25, n=30)
    rates = [0.0, 0.01, 0.05]
    batched = train_mlps(X, y, (8,), rates=rates, penalty="l1", optimizer="sgd", epochs=200, seed=1)
    singles = [train_mlp(X, y, (8,), rate=r, penalty="l1", optimizer="sgd", epochs=200, seed=1) for r in rates]
    _assert_same_networks(batched, singles)
    zeros = [int(np.sum(weight_vector(fit.params) == 0.0)) for fit in batched]
    assert zeros[0] == 0 < zeros[1] < zeros[2]
    assert zeros == [int(np.sum(weight_vector(fit.params) == 0.0)) for fit in singles]


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("hidden", [(6,), (5, 4)])
def test_each_network_draws_the_dropout_masks_of_its_own_train_mlp_run(optimizer, hidden):
    X, y = _problem(seed=26, n=30)
    dropouts, rates = [0.0, 0.2, 0.5, 0.5], [0.0, 0.0, 0.0, 0.01]
    common = dict(optimizer=optimizer, lr=0.3 if optimizer == "sgd" else 0.02, epochs=50, seed=3)
    batched = train_mlps(X, y, hidden, dropouts=dropouts, rates=rates, **common)
    singles = [train_mlp(X, y, hidden, dropout=p, rate=r, **common) for p, r in zip(dropouts, rates)]
    _assert_same_networks(batched, singles)
    assert not np.allclose(weight_vector(batched[2].params), weight_vector(batched[3].params))


def test_validation_losses_agree():
    X, y = _problem(seed=27, n=30)
    X_val, y_val = _problem(seed=28, n=50)
    common = dict(optimizer="adam", epochs=40, seed=2, X_val=X_val, y_val=y_val)
    batched = train_mlps(X, y, (6,), weight_decays=[0.0, 0.1], dropouts=[0.3, 0.0], **common)
    singles = [train_mlp(X, y, (6,), weight_decay=wd, dropout=p, **common) for wd, p in ((0.0, 0.3), (0.1, 0.0))]
    _assert_same_networks(batched, singles)
    assert all(len(fit.history["val_loss"]) == 41 for fit in batched)
    assert "val_loss" not in train_mlps(X, y, (6,), rates=[0.1], epochs=3)[0].history


def test_train_mlps_with_only_rates_or_only_weight_decays():
    X, y = _problem(seed=22, n=30, p=2)
    by_rate = train_mlps(X, y, (4,), rates=[0.0, 0.1], optimizer="adam", epochs=30)
    by_decay = train_mlps(X, y, (4,), weight_decays=[0.0, 0.1], optimizer="adam", epochs=30)
    _assert_same_networks(by_rate, [train_mlp(X, y, (4,), rate=r, optimizer="adam", epochs=30) for r in (0.0, 0.1)])
    _assert_same_networks(by_decay, [train_mlp(X, y, (4,), weight_decay=wd, optimizer="adam", epochs=30)
                                     for wd in (0.0, 0.1)])
    # Adam's weight_decay is L2 in the gradient (PyTorch's Adam): the same weights as the rate
    for a, b in zip(by_decay, by_rate):
        np.testing.assert_array_equal(weight_vector(a.params), weight_vector(b.params))


def test_train_mlps_lets_a_diverging_network_stop_alone():
    X, y = _problem("regression", seed=14, n=40)
    weight_decays = [0.0, 300.0, 0.5, 60.0]  # SGD with lr = 0.1: factors 1 − lr·wd of −29 and −5 blow up
    kwargs = dict(task="regression", optimizer="sgd", lr=0.1, epochs=400)
    with pytest.warns(RuntimeWarning) as record:
        batched = train_mlps(X, y, (4,), weight_decays=weight_decays, **kwargs)
    assert sorted(str(w.message).split(" diverged")[0] for w in record) == [
        "train_mlps: network 1 (rate=0, weight_decay=300, dropout=0)",
        "train_mlps: network 3 (rate=0, weight_decay=60, dropout=0)"]
    _assert_same_networks(batched, _diverging_singles(X, y, weight_decays, **kwargs))
    assert [len(fit.history["objective"]) < 401 for fit in batched] == [False, True, False, True]


def test_train_mlps_stops_a_network_whose_gradient_is_not_finite(monkeypatch):
    # Make "overflow" happen early and identically in both trainers: a network whose largest
    # |weight| exceeds 5 gets a NaN gradient.  Both must then stop it before the step.  They share one
    # backward pass, which runs one network (2-D weights) or a stack (3-D).
    backward = mlp_grid._backward

    def poisoned(Ws, cache, y, activation):
        grads_W, grads_b = backward(Ws, cache, y, activation)
        stacked = Ws[0].ndim == 3
        big = np.zeros(Ws[0].shape[0] if stacked else 1, dtype=bool)
        for W in Ws:
            big |= np.abs(W).reshape(big.size, -1).max(axis=1) > 5.0
        if not stacked:
            return [np.where(big[0], np.nan, g) for g in grads_W], grads_b
        return [np.where(big[:, None, None], np.nan, g) for g in grads_W], grads_b

    monkeypatch.setattr(mlp_training, "_backward", poisoned)
    monkeypatch.setattr(mlp_grid, "_backward", poisoned)
    X, y = _problem("regression", seed=14, n=40)
    weight_decays = [0.0, 300.0, 60.0]
    kwargs = dict(task="regression", optimizer="sgd", lr=0.1, epochs=100)
    with pytest.warns(RuntimeWarning):
        batched = train_mlps(X, y, (4,), weight_decays=weight_decays, **kwargs)
    _assert_same_networks(batched, _diverging_singles(X, y, weight_decays, **kwargs))
    for fit in batched[1:]:  # stopped before the step: the last record is finite, the weights just over 5
        assert len(fit.history["objective"]) < 101 and np.isfinite(fit.history["objective"][-1])
        assert np.max(np.abs(weight_vector(fit.params))) > 5.0


def test_train_mlps_networks_share_one_initialization():
    X, y = _problem(seed=23, n=30, p=2)
    fits = train_mlps(X, y, (4,), weight_decays=[0.0, 0.5], optimizer="adamw", epochs=1, seed=7)
    start = init_mlp([2, 4, 1], seed=7)
    # after one AdamW step every weight moved by lr·m̂/(√v̂+ε) ≈ lr·sign(g) (0.01) plus the decay lr·wd·θ
    for fit, wd in zip(fits, [0.0, 0.5]):
        moved = weight_vector(fit.params) - (1 - 0.01 * wd) * weight_vector(start)
        np.testing.assert_allclose(np.abs(moved), 0.01, rtol=1e-5)


@pytest.mark.parametrize(
    "kwargs, exc, name",
    [
        (dict(), ValueError, "rates, weight_decays or dropouts"),
        (dict(rates=0.1), TypeError, "rates"),
        (dict(rates=[]), ValueError, "rates"),
        (dict(rates=[0.1, -0.1]), ValueError, r"rates\[1\]"),
        (dict(weight_decays=[[0.1]]), TypeError, "weight_decays"),
        (dict(weight_decays=[0.1, np.nan]), ValueError, r"weight_decays\[1\]"),
        (dict(rates=[0.1], weight_decays=[0.1, 0.2]), ValueError, "same length"),
        (dict(rates=[0.1], dropouts=[0.1, 0.2]), ValueError, "same length"),
        (dict(dropouts=[0.0, 1.0]), ValueError, r"dropouts\[1\]"),
        (dict(dropouts=[0.5], hidden=()), ValueError, r"dropouts\[0\]"),
        (dict(dropouts=["0.5"]), TypeError, r"dropouts\[0\]"),
        (dict(rates=[0.1], X_val=np.ones((4, 3))), ValueError, "y_val"),
        (dict(rates=[0.1], X_val=np.ones((4, 2)), y_val=np.zeros(4)), ValueError, "X_val"),
        (dict(rates=[0.1], penalty="elasticnet"), ValueError, "penalty"),
        (dict(rates=[0.1], penalty=object()), TypeError, "penalty"),
        (dict(rates=[0.1], optimizer="rmsprop"), ValueError, "optimizer"),
        (dict(rates=[0.1], epochs=0), ValueError, "epochs"),
        (dict(rates=[0.1], lr=-1.0), ValueError, "lr"),
        (dict(rates=[0.1], seed="0"), TypeError, "seed"),
    ],
)
def test_train_mlps_bad_input_raises_naming_the_argument(kwargs, exc, name):
    X, y = _problem(seed=24)
    kwargs = dict(kwargs)
    with pytest.raises(exc, match=name):
        train_mlps(X, y, kwargs.pop("hidden", (3,)), **kwargs)

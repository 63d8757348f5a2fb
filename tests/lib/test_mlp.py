"""Tests for course_lib.mlp: forward pass, backprop, penalties on weights only, training.

Oracles: central finite differences for every weight and bias, the logistic and
squared losses of course_lib.losses (a network without hidden layer is a linear
model), hand-written forward passes, and a hand-written training loop built
from mlp_loss_and_gradients and the optimizer steps.
"""

import copy
import warnings

import numpy as np
import pytest
from sklearn.datasets import make_moons

from course_lib.losses import log_loss, log_loss_gradient, squared_loss, squared_loss_gradient
from course_lib.mlp import (
    TrainedMLP,
    init_mlp,
    mlp_forward,
    mlp_loss_and_gradients,
    mlp_predict,
    mlp_predict_proba,
    train_mlp,
    weight_norm,
    weight_vector,
)
from course_lib.optimizers import sgd_step

H = 1e-6  # finite-difference step


def rel_err(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))


def _problem(task="classification", seed=0, n=25, p=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    if task == "classification":
        y = (X[:, 0] - X[:, 1] ** 2 + 0.5 * rng.normal(size=n) > 0).astype(float)
    else:
        y = np.sin(X[:, 0]) + 0.3 * X[:, 2] + 0.1 * rng.normal(size=n)
    return X, y


def _params_in_general_position(sizes, seed):
    """Random weights pushed at least 0.05 away from 0 (L1 kink), random nonzero biases."""
    rng = np.random.default_rng(seed)
    params = init_mlp(sizes, seed=rng)
    for layer in params:
        layer["W"] = layer["W"] + 0.05 * np.sign(layer["W"])
        layer["b"] = rng.normal(scale=0.5, size=layer["b"].shape)
    return params


def _finite_difference_gradients(params, X, y, **kwargs):
    fd = []
    for l, layer in enumerate(params):
        fd.append({})
        for key in ("W", "b"):
            g = np.zeros_like(layer[key])
            for idx in np.ndindex(layer[key].shape):
                plus, minus = copy.deepcopy(params), copy.deepcopy(params)
                plus[l][key][idx] += H
                minus[l][key][idx] -= H
                f_plus, _ = mlp_loss_and_gradients(plus, X, y, **kwargs)
                f_minus, _ = mlp_loss_and_gradients(minus, X, y, **kwargs)
                g[idx] = (f_plus - f_minus) / (2 * H)
            fd[l][key] = g
    return fd


# ---------------------------------------------------------------------------
# Backprop against finite differences, for every weight and every bias
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("task", ["classification", "regression"])
@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("penalty, rate", [("l2", 0.0), ("l2", 0.3), ("l1", 0.2)])
def test_backprop_matches_finite_differences(task, activation, penalty, rate):
    X, y = _problem(task, seed=1)
    params = _params_in_general_position([3, 5, 4, 1], seed=2)
    kwargs = dict(rate=rate, penalty=penalty, activation=activation, task=task)

    # away from the kinks: no ReLU pre-activation and no weight within many steps H of 0
    _, cache = mlp_forward(params, X, activation=activation, task=task)
    if activation == "relu":
        assert min(np.min(np.abs(Z)) for Z in cache["Z"][:-1]) > 100 * H
    assert np.min(np.abs(weight_vector(params))) > 100 * H
    # the ReLU network must have active and inactive units, or the check is weak
    if activation == "relu":
        assert 0 < np.mean(cache["Z"][0] > 0) < 1

    _, grads = mlp_loss_and_gradients(params, X, y, **kwargs)
    fd = _finite_difference_gradients(params, X, y, **kwargs)
    for l in range(len(params)):
        for key in ("W", "b"):
            assert grads[l][key].shape == params[l][key].shape
            err = rel_err(grads[l][key], fd[l][key])
            assert np.max(err) < 1e-5, f"layer {l} {key}: max relative error {np.max(err):.2e}"


# ---------------------------------------------------------------------------
# Without hidden layer the network is a linear model: compare with course_lib.losses
# ---------------------------------------------------------------------------


def test_no_hidden_layer_is_l2_logistic_regression():
    X, y = _problem("classification", seed=3)
    rng = np.random.default_rng(4)
    w, b, rate = rng.normal(size=3), 0.7, 0.25
    params = [{"W": w[:, None].copy(), "b": np.array([b])}]
    objective, grads = mlp_loss_and_gradients(params, X, y, rate=rate)
    assert objective == pytest.approx(log_loss(X, y, w, b) + rate / 2 * np.sum(w**2), rel=1e-12)
    gw, gb = log_loss_gradient(X, y, w, b)
    np.testing.assert_allclose(grads[0]["W"][:, 0], gw + rate * w, rtol=1e-12)
    assert grads[0]["b"][0] == pytest.approx(gb, rel=1e-12)  # no rate·b: the bias is not penalized


def test_no_hidden_layer_regression_is_ridge_objective():
    X, y = _problem("regression", seed=5)
    rng = np.random.default_rng(6)
    w, b, rate = rng.normal(size=3), -0.4, 0.5
    params = [{"W": w[:, None].copy(), "b": np.array([b])}]
    objective, grads = mlp_loss_and_gradients(params, X, y, rate=rate, task="regression")
    assert objective == pytest.approx(squared_loss(X, y, w, b) + rate / 2 * np.sum(w**2), rel=1e-12)
    gw, gb = squared_loss_gradient(X, y, w, b)
    np.testing.assert_allclose(grads[0]["W"][:, 0], gw + rate * w, rtol=1e-12)
    assert grads[0]["b"][0] == pytest.approx(gb, rel=1e-12)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_objective_matches_scikit_learn_mlp_with_rate_alpha_over_n(activation):
    """scikit-learn's MLPClassifier minimizes mean log-loss + alpha/(2n)·Σ||W||²."""
    from sklearn.neural_network import MLPClassifier

    X, y = make_moons(100, noise=0.3, random_state=1)
    y = y.astype(float)
    alpha = 0.5
    clf = MLPClassifier(
        hidden_layer_sizes=(5,), activation=activation, solver="lbfgs", alpha=alpha,
        max_iter=5000, tol=1e-12, random_state=0,
    ).fit(X, y)
    params = [{"W": W, "b": b} for W, b in zip(clf.coefs_, clf.intercepts_)]
    objective, grads = mlp_loss_and_gradients(params, X, y, rate=alpha / len(y), activation=activation)
    assert objective == pytest.approx(clf.loss_, rel=1e-10)
    if activation == "tanh":  # smooth: L-BFGS stops at a stationary point, where our gradient vanishes
        assert max(np.max(np.abs(g[key])) for g in grads for key in ("W", "b")) < 1e-3


def test_forward_by_hand():
    params = [
        {"W": np.array([[1.0, -1.0], [0.5, 2.0]]), "b": np.array([0.0, -1.0])},
        {"W": np.array([[2.0], [-3.0]]), "b": np.array([0.5])},
    ]
    X = np.array([[1.0, 2.0], [-1.0, 0.0]])
    # row 1: hidden pre-activation [1 + 1, −1 + 4 − 1] = [2, 2]; row 2: [−1, 1 − 1] = [−1, 0]
    for activation, hidden in (
        ("tanh", np.tanh(np.array([[2.0, 2.0], [-1.0, 0.0]]))),
        ("relu", np.array([[2.0, 2.0], [0.0, 0.0]])),
    ):
        z = hidden @ np.array([2.0, -3.0]) + 0.5
        p, _ = mlp_forward(params, X, activation=activation)
        np.testing.assert_allclose(p, 1 / (1 + np.exp(-z)), rtol=1e-14)
        np.testing.assert_allclose(mlp_predict_proba(params, X, activation=activation), p)
        np.testing.assert_array_equal(mlp_predict(params, X, activation=activation), (z >= 0).astype(float))
        yhat, _ = mlp_forward(params, X, activation=activation, task="regression")
        np.testing.assert_allclose(yhat, z, rtol=1e-14)


# ---------------------------------------------------------------------------
# Penalties act on weight matrices only
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("penalty", ["l2", "l1"])
def test_rate_changes_weight_gradients_only(penalty):
    X, y = _problem(seed=7)
    params = _params_in_general_position([3, 6, 1], seed=8)
    rate = 0.4
    f0, g0 = mlp_loss_and_gradients(params, X, y, rate=0.0, penalty=penalty)
    f1, g1 = mlp_loss_and_gradients(params, X, y, rate=rate, penalty=penalty)
    for l, layer in enumerate(params):
        expected = rate * layer["W"] if penalty == "l2" else rate * np.sign(layer["W"])
        np.testing.assert_allclose(g1[l]["W"] - g0[l]["W"], expected, rtol=1e-10, atol=1e-15)
        np.testing.assert_array_equal(g1[l]["b"], g0[l]["b"])  # biases: unchanged by the rate
    W = np.concatenate([layer["W"].ravel() for layer in params])
    expected_penalty = rate / 2 * np.sum(W**2) if penalty == "l2" else rate * np.sum(np.abs(W))
    assert f1 - f0 == pytest.approx(expected_penalty, rel=1e-10)


@pytest.mark.parametrize("penalty", ["l2", "l1"])
def test_penalty_value_does_not_depend_on_biases(penalty):
    X, y = _problem(seed=9)
    params = _params_in_general_position([3, 4, 1], seed=10)
    other = copy.deepcopy(params)
    for layer in other:
        layer["b"] = layer["b"] + 5.0

    def penalty_part(p):
        f0, _ = mlp_loss_and_gradients(p, X, y, rate=0.0, penalty=penalty)
        f1, _ = mlp_loss_and_gradients(p, X, y, rate=0.3, penalty=penalty)
        return f1 - f0

    assert mlp_loss_and_gradients(other, X, y)[0] != mlp_loss_and_gradients(params, X, y)[0]
    assert penalty_part(other) == pytest.approx(penalty_part(params), rel=1e-10)


def test_weight_vector_and_norm_leave_out_biases():
    params = init_mlp([3, 4, 2, 1], seed=11)
    w = weight_vector(params)
    assert w.shape == (3 * 4 + 4 * 2 + 2 * 1,)
    np.testing.assert_array_equal(w[:12], params[0]["W"].ravel())
    assert weight_norm(params) == pytest.approx(np.sqrt(sum(np.sum(layer["W"] ** 2) for layer in params)))
    shifted = copy.deepcopy(params)
    for layer in shifted:
        layer["b"] = layer["b"] + 3.0
    assert weight_norm(shifted) == weight_norm(params)


# ---------------------------------------------------------------------------
# Initialization
# ---------------------------------------------------------------------------


def test_init_shapes_zero_biases_and_scale():
    params = init_mlp([400, 300, 1], seed=12, scale="he")
    assert [layer["W"].shape for layer in params] == [(400, 300), (300, 1)]
    assert [layer["b"].shape for layer in params] == [(300,), (1,)]
    assert all(np.all(layer["b"] == 0) for layer in params)
    assert np.std(params[0]["W"]) == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    glorot = init_mlp([400, 300, 1], seed=12, scale="glorot")
    assert np.std(glorot[0]["W"]) == pytest.approx(np.sqrt(2 / 700), rel=0.02)


def test_init_is_deterministic_by_seed():
    a, b, c = init_mlp([2, 8, 1], seed=3), init_mlp([2, 8, 1], seed=3), init_mlp([2, 8, 1], seed=4)
    np.testing.assert_array_equal(weight_vector(a), weight_vector(b))
    assert not np.array_equal(weight_vector(a), weight_vector(c))


# ---------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def moons():
    X, y = make_moons(200, noise=0.2, random_state=0)
    return X, y.astype(float)


def test_full_batch_gradient_descent_decreases_the_objective(moons):
    X, y = moons
    fit = train_mlp(X, y, hidden=(16,), optimizer="sgd", lr=0.2, rate=1e-3, epochs=200)
    obj = fit.history["objective"]
    assert obj.shape == (201,)
    assert np.all(np.diff(obj) <= 1e-12), "small-step gradient descent must not increase the objective"
    assert obj[-1] < 0.8 * obj[0]
    np.testing.assert_allclose(
        obj - fit.history["data_loss"], 1e-3 / 2 * fit.history["weight_norm"] ** 2, rtol=1e-9
    )


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "adamw"])
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_training_fits_the_moons(moons, optimizer, activation):
    X, y = moons
    lr = {"sgd": 1.0, "adam": 0.03, "adamw": 0.03}[optimizer]
    fit = train_mlp(X, y, hidden=(16,), activation=activation, optimizer=optimizer, lr=lr, epochs=400)
    assert isinstance(fit, TrainedMLP)
    assert fit.history["objective"][-1] < 0.5 * fit.history["objective"][0]
    assert np.mean(fit.predict(X) == y) > 0.9
    proba = fit.predict_proba(X)
    assert np.all((proba >= 0) & (proba <= 1))


def test_regression_training_decreases_the_objective():
    X, y = _problem("regression", seed=13, n=60)
    fit = train_mlp(X, y, hidden=(8,), task="regression", optimizer="adam", epochs=300)
    assert fit.history["objective"][-1] < 0.3 * fit.history["objective"][0]
    pred = fit.predict(X)
    assert pred.shape == y.shape
    assert 0.5 * np.mean((y - pred) ** 2) == pytest.approx(fit.history["data_loss"][-1], rel=1e-10)
    with pytest.raises(ValueError, match="task"):
        fit.predict_proba(X)


@pytest.mark.parametrize("batch_size", [None, 32])
def test_training_is_deterministic_by_seed(moons, batch_size):
    X, y = moons
    kwargs = dict(hidden=(8,), optimizer="adamw", weight_decay=0.01, epochs=20, batch_size=batch_size)
    a, b = train_mlp(X, y, seed=5, **kwargs), train_mlp(X, y, seed=5, **kwargs)
    c = train_mlp(X, y, seed=6, **kwargs)
    np.testing.assert_array_equal(weight_vector(a.params), weight_vector(b.params))
    np.testing.assert_array_equal(a.history["objective"], b.history["objective"])
    assert not np.array_equal(weight_vector(a.params), weight_vector(c.params))


def test_sgd_rate_equals_sgd_weight_decay_in_training(moons):
    X, y = moons
    in_loss = train_mlp(X, y, hidden=(8,), optimizer="sgd", rate=0.05, epochs=100)
    decayed = train_mlp(X, y, hidden=(8,), optimizer="sgd", weight_decay=0.05, epochs=100)
    np.testing.assert_array_equal(weight_vector(in_loss.params), weight_vector(decayed.params))


def test_adam_weight_decay_is_l2_but_adamw_is_not(moons):
    X, y = moons
    kwargs = dict(hidden=(8,), epochs=100)
    adam_l2 = train_mlp(X, y, optimizer="adam", rate=0.05, **kwargs)
    adam_wd = train_mlp(X, y, optimizer="adam", weight_decay=0.05, **kwargs)
    adamw = train_mlp(X, y, optimizer="adamw", weight_decay=0.05, **kwargs)
    np.testing.assert_array_equal(weight_vector(adam_l2.params), weight_vector(adam_wd.params))
    assert np.max(np.abs(weight_vector(adamw.params) - weight_vector(adam_wd.params))) > 1e-3


@pytest.mark.parametrize("optimizer", ["sgd", "adamw"])
def test_more_weight_decay_gives_smaller_weights(moons, optimizer):
    X, y = moons
    fits = [
        train_mlp(X, y, hidden=(16,), optimizer=optimizer, weight_decay=wd, epochs=300)
        for wd in (0.0, 0.05, 0.5)
    ]
    norms = [fit.history["weight_norm"][-1] for fit in fits]
    assert norms[0] > norms[1] > norms[2]


@pytest.mark.parametrize("decay_biases", [False, True])
def test_train_mlp_equals_a_hand_written_loop(moons, decay_biases):
    X, y = moons
    lr, wd, rate, epochs = 0.5, 0.1, 0.01, 15
    fit = train_mlp(
        X, y, hidden=(6,), optimizer="sgd", lr=lr, rate=rate, weight_decay=wd,
        decay_biases=decay_biases, epochs=epochs, seed=3,
    )
    params = init_mlp([2, 6, 1], seed=3)
    for _ in range(epochs):
        _, grads = mlp_loss_and_gradients(params, X, y, rate=rate)
        params = [
            {
                "W": sgd_step(layer["W"], g["W"], lr, weight_decay=wd),
                "b": sgd_step(layer["b"], g["b"], lr, weight_decay=wd if decay_biases else 0.0),
            }
            for layer, g in zip(params, grads)
        ]
    for ours, theirs in zip(fit.params, params):  # the same arithmetic in the same order: bit for bit
        np.testing.assert_array_equal(ours["W"], theirs["W"])
        np.testing.assert_array_equal(ours["b"], theirs["b"])


def test_no_hidden_layer_trains_logistic_regression(moons):
    X, y = moons
    fit = train_mlp(X, y, hidden=(), optimizer="adam", lr=0.05, rate=0.01, epochs=2000)
    assert [layer["W"].shape for layer in fit.params] == [(2, 1)]
    # stationarity of the L2-logistic objective: ∇ log-loss + rate·w = 0, ∂b log-loss = 0
    w, b = fit.params[0]["W"][:, 0], fit.params[0]["b"][0]
    gw, gb = log_loss_gradient(X, y, w, b)
    np.testing.assert_allclose(gw + 0.01 * w, 0.0, atol=1e-4)
    assert abs(gb) < 1e-4


def test_divergence_warns_and_stops():
    X, y = _problem("regression", seed=14, n=40)
    with pytest.warns(RuntimeWarning, match="lr"):
        fit = train_mlp(X * 10, y, hidden=(), task="regression", lr=50.0, epochs=500)
    assert len(fit.history["objective"]) < 501


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


def _good():
    X, y = _problem(seed=15)
    return X, y, init_mlp([3, 4, 1], seed=0)


@pytest.mark.parametrize(
    "call, exc, name",
    [
        (lambda X, y, P: mlp_loss_and_gradients(P, X, y, rate=-1.0), ValueError, "rate"),
        (lambda X, y, P: mlp_loss_and_gradients(P, X, y, penalty="l3"), ValueError, "penalty"),
        (lambda X, y, P: mlp_loss_and_gradients(P, X, y + 1), ValueError, "y"),
        (lambda X, y, P: mlp_loss_and_gradients(P, X, y[:-1]), ValueError, "y"),
        (lambda X, y, P: mlp_loss_and_gradients(P, X[:, :2], y), ValueError, "X"),
        (lambda X, y, P: mlp_forward(P, np.where(X > 1, np.nan, X)), ValueError, "X"),
        (lambda X, y, P: mlp_forward(P, X, activation="sigmoid"), ValueError, "activation"),
        (lambda X, y, P: mlp_forward(P, X, task="ranking"), ValueError, "task"),
        (lambda X, y, P: mlp_forward({"W": 1}, X), TypeError, "params"),
        (lambda X, y, P: mlp_forward([{"W": P[0]["W"]}], X), TypeError, "params"),
        (lambda X, y, P: mlp_forward([P[0], {"W": np.ones((5, 1)), "b": np.zeros(1)}], X), ValueError,
         r"params\[1\]\['W'\]"),
        (lambda X, y, P: mlp_forward([P[0], {"W": np.ones((4, 1)), "b": np.zeros(2)}], X), ValueError,
         r"params\[1\]\['b'\]"),
        (lambda X, y, P: mlp_forward(P[:1], X), ValueError, "params"),
        (lambda X, y, P: init_mlp([3, 0, 1]), ValueError, "layer_sizes"),
        (lambda X, y, P: init_mlp([3, 4, 2]), ValueError, "layer_sizes"),
        (lambda X, y, P: init_mlp([3, 4, 1], scale="lecun"), ValueError, "scale"),
        (lambda X, y, P: init_mlp([3, 4, 1], seed=-1), ValueError, "seed"),
        (lambda X, y, P: init_mlp([3, 4, 1], seed=1.5), TypeError, "seed"),
        (lambda X, y, P: train_mlp(X, y, seed="0"), TypeError, "seed"),
        (lambda X, y, P: train_mlp(X, y, optimizer="rmsprop"), ValueError, "optimizer"),
        (lambda X, y, P: train_mlp(X, y, lr=0.0), ValueError, "lr"),
        (lambda X, y, P: train_mlp(X, y, hidden=(4, 0)), ValueError, "hidden"),
        (lambda X, y, P: train_mlp(X, y, hidden="16"), TypeError, "hidden"),
        (lambda X, y, P: train_mlp(X, y, epochs=0), ValueError, "epochs"),
        (lambda X, y, P: train_mlp(X, y, batch_size=1000), ValueError, "batch_size"),
        (lambda X, y, P: train_mlp(X, y, weight_decay=-0.1), ValueError, "weight_decay"),
        (lambda X, y, P: train_mlp(X, y, decay_biases="yes"), TypeError, "decay_biases"),
        (lambda X, y, P: train_mlp(X, y.reshape(-1, 1)), ValueError, "y"),
    ],
)
def test_bad_input_raises_naming_the_argument(call, exc, name):
    X, y, params = _good()
    with pytest.raises(exc, match=name):
        call(X, y, params)

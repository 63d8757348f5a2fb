"""Tests for course_lib.widgets: update functions against independent computations, and the wiring.

Oracles: numpy's polyfit (a different polynomial basis with the same column space), the ridge
normal equations, the lasso and logistic KKT conditions, scikit-learn's Lasso, the closed-form
ridge solution of a quadratic, and brute-force search over a fine grid of feasible points.
"""

import dataclasses
import io

import matplotlib

matplotlib.use("Agg")

import ipywidgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from course_lib import plots, widgets  # noqa: E402
from course_lib.losses import sigmoid  # noqa: E402
from course_lib.mlp import train_mlp, weight_vector  # noqa: E402
from course_lib.trainers import fit_lasso  # noqa: E402
from course_lib.widgets import network as network_module  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _rel(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


# ---------------------------------------------------------------------------
# Lesson 2: bias and variance
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Lessons 3 and 6: ridge
# ---------------------------------------------------------------------------


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
    assert _rel(u.coef, w) < 1e-8 and u.intercept == pytest.approx(b, rel=1e-8, abs=1e-12)
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
    assert _rel(ridge.path_coefs[k], w) < 1e-8
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


# ---------------------------------------------------------------------------
# Lesson 4: lasso
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lasso():
    return widgets.lasso_setup(n_samples=40, n_features=6, n_informative=3, seed=4, n_rates=40)


def _lasso_kkt_violation(X, y, w, rate):
    n = X.shape[0]
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    g = Xc.T @ (yc - Xc @ w) / n
    on = np.abs(g - rate * np.sign(w))[w != 0]
    off = np.maximum(np.abs(g) - rate, 0)[w == 0]
    return max(on.max(initial=0.0), off.max(initial=0.0))


def _lasso_rates(setup):
    r = setup.knot_rates
    between = np.sqrt(r[1:-1] * r[2:]) if r.size > 2 else np.array([])
    return np.concatenate([[2 * r[0], r[0], 0.5 * r[0]], r[1:-1], between, [1e-4 * r[0]]])


def test_lasso_update_satisfies_kkt_and_matches_fit_lasso(lasso):
    for rate in _lasso_rates(lasso):
        u = widgets.lasso_update(lasso, rate)
        scale = np.max(np.abs((lasso.X - lasso.X.mean(0)).T @ (lasso.y - lasso.y.mean()))) / lasso.X.shape[0]
        assert _lasso_kkt_violation(lasso.X, lasso.y, u.coef, rate) < 1e-9 * scale, rate
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
    assert _lasso_kkt_violation(lasso.X, lasso.y, u.coef, rate) < 1e-6


def test_lasso_setup_checks_feature_names():
    X = np.random.default_rng(0).standard_normal((10, 3))
    with pytest.raises(ValueError, match="feature_names"):
        widgets.lasso_setup(X, X @ [1.0, 0.0, -1.0], feature_names=["a", "b"])


# ---------------------------------------------------------------------------
# Lesson 5: geometry
# ---------------------------------------------------------------------------


def _loss(H, w_hat, W):
    D = np.atleast_2d(W) - w_hat
    return 0.5 * np.einsum("ij,jk,ik->i", D, H, D)


def test_geometry_update_fields_and_edge_cases():
    u = widgets.geometry_update(2.0, 1.0, 0.0)
    np.testing.assert_array_equal(u.l1_solution, 0.0)
    np.testing.assert_array_equal(u.l2_solution, 0.0)
    assert u.l2_multiplier == np.inf and u.l1_active and u.l2_active
    u = widgets.geometry_update(0.2, -0.1, 1.0)
    assert not u.l1_active and not u.l2_active and u.l1_loss == 0 == u.l2_loss
    u = widgets.geometry_update(1.5, 0.6, 1.0)
    assert u.l2_loss == pytest.approx(_loss(widgets.DEFAULT_HESSIAN, u.optimum, u.l2_solution)[0])
    assert u.l1_loss >= u.l2_loss  # the diamond lies inside the disc
    with pytest.raises(ValueError, match="positive definite"):
        widgets.geometry_update(1.0, 1.0, 1.0, hessian=[[1.0, 0.0], [0.0, -1.0]])
    with pytest.raises(ValueError, match="symmetric"):
        widgets.geometry_update(1.0, 1.0, 1.0, hessian=[[1.0, 0.5], [0.0, 1.0]])
    with pytest.raises(ValueError, match="budget"):
        widgets.geometry_update(1.0, 1.0, -1.0)


# ---------------------------------------------------------------------------
# Lesson 7: classification
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Lesson 8: networks
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Lesson 9: elastic net
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Lesson 10: ridge against df, the lasso against s (prostate data)
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def paths():
    return widgets.shrinkage_paths_setup(n_grid=21)


@pytest.mark.parametrize("dof", [0.0, 0.5, 2.0, 5.0, 7.9, 8.0])
def test_shrinkage_paths_ridge_has_the_asked_dof_and_solves_the_normal_equations(paths, dof):
    u = widgets.shrinkage_paths_update(paths, dof, 0.5)
    X, y = paths.X_train, paths.y_train
    n, p = X.shape
    Xc, yc = X - X.mean(0), y - y.mean()
    if dof == 0.0:
        assert u.ridge_rate == np.inf and np.all(u.ridge_coef == 0) and u.ridge_intercept == pytest.approx(y.mean())
        return
    H = Xc @ np.linalg.solve(Xc.T @ Xc + n * u.ridge_rate * np.eye(p), Xc.T)
    assert np.trace(H) == pytest.approx(dof, rel=1e-9)
    w = np.linalg.solve(Xc.T @ Xc + n * u.ridge_rate * np.eye(p), Xc.T @ yc)
    np.testing.assert_allclose(u.ridge_coef, w, rtol=1e-8, atol=1e-12)
    b = y.mean() - X.mean(0) @ w
    assert u.ridge_test_error == pytest.approx(np.mean((paths.y_test - paths.X_test @ w - b) ** 2), rel=1e-9)
    assert u.ridge_train_error == pytest.approx(np.mean((y - X @ w - b) ** 2), rel=1e-9)


@pytest.mark.parametrize("s", [0.0, 0.1, 0.36, 0.5, 0.77, 1.0])
def test_shrinkage_paths_lasso_has_the_asked_l1_norm_and_is_optimal(paths, s):
    u = widgets.shrinkage_paths_update(paths, 5.0, s)
    X, y = paths.X_train, paths.y_train
    w_ls = np.linalg.lstsq(np.column_stack([X, np.ones(len(y))]), y, rcond=None)[0][:-1]
    assert np.abs(u.lasso_coef).sum() == pytest.approx(s * np.abs(w_ls).sum(), rel=1e-9, abs=1e-12)
    scale = np.max(np.abs((X - X.mean(0)).T @ (y - y.mean()))) / len(y)
    assert _lasso_kkt_violation(X, y, u.lasso_coef, u.lasso_rate) < 1e-9 * scale
    assert u.lasso_nonzero == np.count_nonzero(u.lasso_coef)
    if 0 < s < 1:
        sklearn_linear = pytest.importorskip("sklearn.linear_model")
        model = sklearn_linear.Lasso(alpha=u.lasso_rate, tol=1e-12, max_iter=100_000).fit(X, y)
        np.testing.assert_allclose(u.lasso_coef, model.coef_, atol=1e-7)
        assert u.lasso_intercept == pytest.approx(model.intercept_, abs=1e-7)


def test_shrinkage_paths_default_data_are_esl_prostate(paths):
    assert paths.feature_names[0] == "lcavol" and paths.X_train.shape == (67, 8) and paths.rank == 8
    # ESL Table 3.3, least squares on the standardized predictors: test error 0.521
    assert paths.ridge_test_errors[-1] == pytest.approx(0.521, abs=5e-4)
    assert paths.lasso_test_errors[-1] == pytest.approx(paths.ridge_test_errors[-1], rel=1e-9)
    np.testing.assert_allclose(paths.lasso_coefs[-1], paths.ridge_coefs[-1], atol=1e-9)
    assert np.all(paths.lasso_coefs[0] == 0) and np.all(paths.ridge_coefs[0] == 0)
    with pytest.raises(ValueError, match="dof"):
        widgets.shrinkage_paths_update(paths, 8.5, 0.5)
    with pytest.raises(ValueError, match="shrinkage"):
        widgets.shrinkage_paths_update(paths, 5.0, 1.2)
    with pytest.raises(ValueError, match="more rows than columns"):
        widgets.shrinkage_paths_setup(np.ones((3, 4)), np.ones(3), np.ones((2, 4)), np.ones(2))


# ---------------------------------------------------------------------------
# Figures and widgets: built headless, controls move the artists
# ---------------------------------------------------------------------------


def _bar_heights(bars):
    return np.array([b.get_height() for b in bars])


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


def test_ridge_widget_moves_bars_fit_and_trace_marker(ridge):
    w = widgets.ridge_widget(ridge, rate=1e-3)
    ax_fit, ax_bar, ax_path = w.figure.axes
    w.controls["rate"].value = 0.1
    u = widgets.ridge_update(ridge, 0.1)
    np.testing.assert_allclose(_bar_heights(plots.find_artist(ax_bar, "coefs")), u.coef)
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


def test_lasso_widget_bars_follow_the_path(lasso):
    w = widgets.lasso_widget(lasso)
    ax_bar, ax_path = w.figure.axes
    rate = 0.5 * lasso.knot_rates[2]
    w.controls["rate"].value = rate
    np.testing.assert_allclose(_bar_heights(plots.find_artist(ax_bar, "coefs")),
                               widgets.lasso_update(lasso, rate).coef)
    np.testing.assert_allclose(plots.find_artist(ax_path, "rate-marker").get_xdata(), [rate, rate])
    assert "nonzero" in ax_bar.get_title()


def test_geometry_widget_moves_optimum_ball_and_solutions():
    w = widgets.geometry_widget()
    ax = w.figure.axes[0]
    w.controls["budget"].value = 0.5
    w.controls["w1"].value = -2.0
    u = widgets.geometry_update(-2.0, w.controls["w2"].value, 0.5)
    np.testing.assert_allclose(plots.find_artist(ax, "optimum").get_xdata(), [-2.0])
    np.testing.assert_allclose(np.abs(plots.find_artist(ax, "l1-ball").get_xy()).sum(axis=1), 0.5)
    np.testing.assert_allclose(plots.find_artist(ax, "solution-0").get_xydata(), [u.l1_solution])
    np.testing.assert_allclose(plots.find_artist(ax, "solution-1").get_xydata(), [u.l2_solution])
    tangent = plots.find_artist(ax, "solution-contour-1").get_xydata()
    np.testing.assert_allclose(_loss(u.hessian, u.optimum, tangent), u.l2_loss, rtol=1e-10)


def test_classification_widget_redraws_probability_and_boundary(cls_setup):
    w = widgets.classification_widget(cls_setup, rate=1e-2)
    ax = w.figure.axes[0]
    w.controls["penalty"].value = "l1"
    w.controls["rate"].value = 0.05
    u = widgets.classification_update(cls_setup, 0.05, "l1")
    np.testing.assert_allclose(plots.find_artist(ax, "proba").get_array(), u.proba)
    assert plots.find_artist(ax, "boundary") is not None
    assert w.controls["rate"].continuous_update is False


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


def test_elastic_net_widget_moves_ball_bars_and_profile(enet):
    w = widgets.elastic_net_widget(enet, rate=0.3, l1_ratio=0.5)
    ax_ball, ax_bar, ax_prof = w.figure.axes
    w.controls["l1_ratio"].value = 1.0
    w.controls["rate"].value = 0.1
    u = widgets.elastic_net_update(enet, 0.1, 1.0)
    np.testing.assert_allclose(_bar_heights(plots.find_artist(ax_bar, "coefs")), u.coef)
    np.testing.assert_allclose(np.abs(plots.find_artist(ax_ball, "enet-ball").get_xydata()).sum(axis=1), 1.0)
    np.testing.assert_allclose(plots.find_artist(ax_prof, "l1-ratio-marker").get_xdata(), [1.0, 1.0])
    np.testing.assert_allclose(plots.find_artist(ax_prof, "profile-1").get_ydata(), u.profile[:, 1])


def test_shrinkage_paths_widget_moves_the_markers(paths):
    w = widgets.shrinkage_paths_widget(paths, dof=5.0, shrinkage=0.36)
    ax_ridge, ax_lasso, ax_ridge_err, ax_lasso_err = w.figure.axes
    w.controls["dof"].value = 3.0
    w.controls["shrinkage"].value = 0.6
    u = widgets.shrinkage_paths_update(paths, 3.0, 0.6)
    np.testing.assert_allclose(plots.find_artist(ax_ridge, "ridge-marker").get_xdata(), [3.0, 3.0])
    np.testing.assert_allclose(plots.find_artist(ax_ridge, "ridge-dots").get_offsets()[:, 1], u.ridge_coef)
    np.testing.assert_allclose(plots.find_artist(ax_lasso, "lasso-dots").get_offsets()[:, 1], u.lasso_coef)
    assert plots.find_artist(ax_ridge_err, "ridge-test-dot").get_ydata()[0] == pytest.approx(u.ridge_test_error)
    assert plots.find_artist(ax_lasso_err, "lasso-test-dot").get_ydata()[0] == pytest.approx(u.lasso_test_error)
    assert "test error" in ax_lasso_err.get_title()


# Every widget on small data (fast), as (setup factory or None, extra positional arguments): the
# same settings serve the static figure (xxx_figure) and the widget (xxx_widget).
SMALL_WIDGETS = {
    "bias_variance": (lambda: widgets.bias_variance_setup(n_test=50, max_degree=6), (3, 15)),
    "ridge": (lambda: widgets.ridge_setup(degree=6, rates=np.geomspace(1e-4, 1, 10)), (1e-2,)),
    "rate_choice": (lambda: widgets.rate_choice_setup(rates=np.geomspace(1e-4, 1, 10)), ()),
    "lasso": (lambda: widgets.lasso_setup(n_features=5, n_rates=20), ()),
    "geometry": (None, ()),
    "classification": (lambda: widgets.classification_setup(degree=2, resolution=15), ()),
    "network": (lambda: widgets.network_setup(hidden=(3,), epochs=5, strengths=(0.0, 1.0), n_samples=30,
                                              resolution=6), ()),
    "elastic_net": (lambda: widgets.elastic_net_setup(n_l1_ratios=5), ()),
    "shrinkage_paths": (lambda: widgets.shrinkage_paths_setup(n_grid=11), ()),
}


def _small(name, kind):
    """``widgets.<name>_<kind>`` (kind "figure" or "widget") built on SMALL_WIDGETS[name]."""
    make_setup, args = SMALL_WIDGETS[name]
    build = getattr(widgets, f"{name}_{kind}")
    return build(*args) if make_setup is None else build(make_setup(), *args)


@pytest.mark.parametrize("name", SMALL_WIDGETS)
def test_static_figures_have_labelled_axes(name):
    fig = _small(name, "figure")
    main_axes = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert main_axes
    for ax in main_axes:
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    fig.canvas.draw()  # renders without error


def _pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


@pytest.mark.parametrize("build, control, value", [
    (lambda: widgets.ridge_widget(widgets.ridge_setup(degree=6, rates=np.geomspace(1e-4, 1, 10))), "rate", 0.05),
    (lambda: widgets.geometry_widget(), "w1", -1.0),
    (lambda: widgets.classification_widget(widgets.classification_setup(degree=2, resolution=15)), "rate", 0.05),
    (lambda: widgets.elastic_net_widget(widgets.elastic_net_setup(n_l1_ratios=5)), "l1_ratio", 0.8),
    (lambda: widgets.shrinkage_paths_widget(widgets.shrinkage_paths_setup(n_grid=11)), "dof", 2.0),
])
def test_partial_redraw_matches_a_full_render(build, control, value):
    box = build()
    box.render()
    box.controls[control].value = value
    fast = _pixels(box.render())  # only the moving artists redrawn over the saved background
    full = _pixels(widgets.render_png(box.figure))
    assert fast.shape == full.shape
    differ = np.mean(np.abs(fast - full).max(axis=2) > 40)
    assert differ < 0.002  # anti-aliasing seams only
    assert box.render.__self__.full_redraws == 1  # the axes did not change: no full redraw was needed


@pytest.mark.parametrize("name", ["bias_variance", "ridge", "lasso", "geometry", "network", "elastic_net"])
def test_widget_layout_leaves_room_for_the_titles_its_updates_write(name):
    # The widget lays its figure out once and then freezes it; that layout must already see the
    # titles draw() writes, or a two-line title is cut off at the top of the picture in the browser.
    box = _small(name, "widget")  # geometry and network have two-line titles
    box.refresh()
    fig = box.figure
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        for text in (ax.title, ax.xaxis.label, ax.yaxis.label):
            if text.get_text():
                x0, y0, x1, y1 = text.get_window_extent(renderer).extents
                width, height = fig.bbox.width, fig.bbox.height
                assert x0 >= -0.5 and y0 >= -0.5 and x1 <= width + 0.5 and y1 <= height + 0.5, (
                    f"{text.get_text()!r} spans {(x0, y0, x1, y1)}, outside the {width}x{height} figure")


@pytest.mark.parametrize("rate", [0.45, 0.0123, 1e-2])
def test_lasso_rate_slider_starts_at_the_asked_rate_on_its_own_step_grid(lasso, rate):
    # The browser snaps the slider to exponents min + k·step when it draws it and sends that value
    # back: the asked rate must be one of them, or the widget would open at another rate.
    slider = widgets.lasso_widget(lasso, rate=rate).controls["rate"]
    assert slider.value == rate
    steps = (np.log10(rate) - slider.min) / slider.step
    assert abs(steps - round(steps)) < 1e-6
    assert 10 ** slider.min >= lasso.rates.min() * (1 - 1e-9) and 10 ** slider.max <= lasso.rates.max() * (1 + 1e-9)
    assert slider.min - np.log10(lasso.rates.min()) < slider.step  # the range loses less than one step


@pytest.mark.parametrize("name", SMALL_WIDGETS)
def test_widget_parts_carry_the_classes_the_browser_tests_look_for(name):
    # tests/browser finds a widget, its figure and its controls by these CSS classes only.
    box = _small(name, "widget")
    assert widgets.WIDGET_CLASS in box._dom_classes
    assert widgets.FIGURE_CLASS in box.output._dom_classes
    controls = list(box.controls.values())
    assert [widgets.MAIN_CONTROL_CLASS in c._dom_classes for c in controls] == [True] + [False] * (len(controls) - 1)
    assert all(widgets.CONTROL_CLASS in c._dom_classes for c in controls[1:])
    # every control is inside the widget, the figure's Output too
    inner = [child for part in box.children for child in getattr(part, "children", ())]
    assert box.output in box.children and all(c in inner for c in controls)

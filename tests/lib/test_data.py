"""Tests for course_lib.data: generators, features, standardizing, loaders, splitting."""

import warnings

import numpy as np
import pytest

from course_lib import data
from course_lib.data import (
    PROSTATE_FEATURES,
    load_diabetes_data,
    load_prostate,
    make_classification_2d,
    make_correlated_pair,
    make_polynomial_data,
    make_sparse_regression,
    make_wide_classification,
    polynomial_features,
    standardize,
    train_test_split,
    true_curve,
    unstandardize_coefficients,
)

# ---------------------------------------------------------------------------
# seeds: every generator, same seed -> identical arrays, other seed -> different
# ---------------------------------------------------------------------------

GENERATORS = {
    "polynomial": lambda seed: make_polynomial_data(15, seed=seed),
    "sparse": lambda seed: make_sparse_regression(30, 6, 2, seed=seed),
    "pair": lambda seed: make_correlated_pair(30, n_noise_features=2, seed=seed),
    "moons": lambda seed: make_classification_2d(30, "moons", seed=seed),
    "blobs": lambda seed: make_classification_2d(30, "blobs", seed=seed),
    "circles": lambda seed: make_classification_2d(30, "circles", seed=seed),
    "wide": lambda seed: make_wide_classification(30, 20, 3, seed=seed),
    "split": lambda seed: train_test_split(np.arange(40.0).reshape(20, 2), np.arange(20.0), seed=seed),
}


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_same_seed_same_arrays_other_seed_other_arrays(name):
    make = GENERATORS[name]
    first, again, other = make(3), make(3), make(4)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert any(not np.array_equal(a, c) for a, c in zip(first, other))


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_generators_leave_the_global_random_state_alone(name):
    before = np.random.get_state()
    GENERATORS[name](0)
    after = np.random.get_state()
    np.testing.assert_array_equal(after[1], before[1])
    assert after[2:] == before[2:]


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True, None])
def test_bad_seed_raises_naming_seed(seed):
    with pytest.raises((TypeError, ValueError), match="seed"):
        make_polynomial_data(5, seed=seed)


def test_a_generator_can_be_passed_as_seed():
    x1, y1 = make_polynomial_data(8, seed=np.random.default_rng(5))
    x2, y2 = make_polynomial_data(8, seed=5)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)


# ---------------------------------------------------------------------------
# 1-D polynomial setting
# ---------------------------------------------------------------------------


def test_true_curve_is_sin_2pi_x_at_hand_points():
    np.testing.assert_allclose(true_curve([0.0, 0.25, 0.5, 0.75, 1.0]), [0, 1, 0, -1, 0], atol=1e-12)


def test_true_curve_rejects_nan():
    with pytest.raises(ValueError, match="x"):
        true_curve([0.1, np.nan])


def test_polynomial_data_shapes_sorted_and_in_range():
    x, y = make_polynomial_data(50, x_range=(-2.0, 3.0), seed=1)
    assert x.shape == (50,) and y.shape == (50,)
    assert np.all(np.diff(x) >= 0)
    assert x.min() >= -2.0 and x.max() <= 3.0


def test_polynomial_data_without_noise_lies_on_the_curve():
    x, y = make_polynomial_data(30, noise=0.0, seed=2)
    np.testing.assert_allclose(y, np.sin(2 * np.pi * x), rtol=0, atol=1e-15)


def test_polynomial_data_noise_has_the_requested_sd():
    x, y = make_polynomial_data(20000, noise=0.3, seed=3)
    residual = y - np.sin(2 * np.pi * x)
    assert abs(residual.mean()) < 4 * 0.3 / np.sqrt(20000)
    assert abs(residual.std() - 0.3) < 0.01


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"n_samples": 0}, "n_samples"),
        ({"n_samples": 5.0}, "n_samples"),
        ({"n_samples": 5, "noise": -0.1}, "noise"),
        ({"n_samples": 5, "x_range": (1.0, 0.0)}, "x_range"),
        ({"n_samples": 5, "x_range": 1.0}, "x_range"),
    ],
)
def test_polynomial_data_bad_input_names_the_argument(kwargs, name):
    with pytest.raises((TypeError, ValueError), match=name):
        make_polynomial_data(**kwargs)


def test_polynomial_features_hand_case():
    np.testing.assert_array_equal(polynomial_features([2.0, 3.0], 3), [[2, 4, 8], [3, 9, 27]])
    np.testing.assert_array_equal(
        polynomial_features([2.0, 3.0], 2, include_bias=True), [[1, 2, 4], [1, 3, 9]]
    )


def test_polynomial_features_maps_x_range_onto_minus_one_one():
    # [0, 0.5, 1] on (0, 1) -> t = [-1, 0, 1]; on (0, 2) -> t = [-1, -0.5, 0]
    np.testing.assert_allclose(polynomial_features([0, 0.5, 1], 2, x_range=(0, 1)), [[-1, 1], [0, 0], [1, 1]])
    np.testing.assert_allclose(
        polynomial_features([0, 0.5, 1], 3, x_range=(0, 2)), [[-1, 1, -1], [-0.5, 0.25, -0.125], [0, 0, 0]]
    )


def test_polynomial_features_on_minus_one_one_are_better_conditioned():
    x = np.linspace(0, 1, 50)
    raw = np.linalg.cond(polynomial_features(x, 10, include_bias=True))
    mapped = np.linalg.cond(polynomial_features(x, 10, include_bias=True, x_range=(0, 1)))
    assert mapped < raw / 100


def test_polynomial_features_degree_zero():
    assert polynomial_features([1.0, 2.0, 3.0], 0).shape == (3, 0)
    np.testing.assert_array_equal(polynomial_features([1.0, 2.0], 0, include_bias=True), [[1.0], [1.0]])


@pytest.mark.parametrize(
    "args, kwargs, name",
    [
        (([1.0, 2.0], -1), {}, "degree"),
        (([1.0, 2.0], 2.0), {}, "degree"),
        (([[1.0, 2.0]], 2), {}, "x"),
        (([1.0, np.inf], 2), {}, "x"),
        (([1.0, 2.0], 2), {"include_bias": 1}, "include_bias"),
        (([1.0, 2.0], 2), {"x_range": (0.0, 0.0)}, "x_range"),
    ],
)
def test_polynomial_features_bad_input_names_the_argument(args, kwargs, name):
    with pytest.raises((TypeError, ValueError), match=name):
        polynomial_features(*args, **kwargs)


# ---------------------------------------------------------------------------
# standardize
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("ddof", [0, 1])
def test_standardize_gives_mean_zero_and_unit_sd_with_the_requested_ddof(ddof):
    X = np.random.default_rng(0).normal(3.0, 2.0, size=(12, 4))
    Z, mean, scale = standardize(X, ddof=ddof)
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-13)
    np.testing.assert_allclose(Z.std(axis=0, ddof=ddof), 1, rtol=1e-13)
    np.testing.assert_allclose(mean, X.mean(axis=0), rtol=1e-14)
    np.testing.assert_allclose(scale, X.std(axis=0, ddof=ddof), rtol=1e-14)


def test_standardize_hand_case_and_sklearn():
    from sklearn.preprocessing import StandardScaler

    X = np.array([[1.0, 10.0], [3.0, 10.0 + 4.0], [5.0, 10.0 + 8.0]])
    Z, mean, scale = standardize(X, ddof=1)  # sample sd of (1, 3, 5) is 2, of (10, 14, 18) is 4
    np.testing.assert_allclose(mean, [3.0, 14.0])
    np.testing.assert_allclose(scale, [2.0, 4.0])
    np.testing.assert_allclose(Z, [[-1, -1], [0, 0], [1, 1]])
    Z0, _, _ = standardize(X)  # ddof=0, as StandardScaler
    np.testing.assert_allclose(Z0, StandardScaler().fit_transform(X), rtol=1e-12)


def test_standardize_reuses_training_mean_and_scale_on_test_rows():
    rng = np.random.default_rng(1)
    X_train, X_test = rng.normal(size=(20, 3)), rng.normal(size=(5, 3))
    _, mean, scale = standardize(X_train, ddof=1)
    Z_test, mean2, scale2 = standardize(X_test, mean=mean, scale=scale)
    np.testing.assert_allclose(Z_test, (X_test - mean) / scale)
    np.testing.assert_array_equal(mean2, mean)
    np.testing.assert_array_equal(scale2, scale)


def test_standardize_constant_column_warns_and_becomes_zero():
    X = np.array([[1.0, 7.0], [2.0, 7.0], [4.0, 7.0]])
    with pytest.warns(RuntimeWarning, match="constant"):
        Z, _, scale = standardize(X)
    assert scale[1] == 1.0
    np.testing.assert_array_equal(Z[:, 1], 0.0)
    assert np.all(np.isfinite(Z))


def test_standardize_without_constant_columns_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        standardize(np.arange(6.0).reshape(3, 2))


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"ddof": -1}, "ddof"),
        ({"ddof": 3}, "ddof"),  # only 3 rows
        ({"ddof": 0.5}, "ddof"),
        ({"mean": [0.0]}, "mean"),
        ({"scale": [1.0, 0.0]}, "scale"),
        ({"scale": [1.0, 2.0, 3.0]}, "scale"),
    ],
)
def test_standardize_bad_input_names_the_argument(kwargs, name):
    with pytest.raises((TypeError, ValueError), match=name):
        standardize(np.arange(6.0).reshape(3, 2), **kwargs)


def test_standardize_rejects_a_vector():
    with pytest.raises(ValueError, match="X"):
        standardize(np.arange(3.0))


def test_unstandardize_coefficients_gives_the_same_predictions():
    rng = np.random.default_rng(2)
    X = rng.normal(5.0, 3.0, size=(10, 3))
    Z, mean, scale = standardize(X, ddof=1)
    w_z, b_z = np.array([0.5, -1.0, 2.0]), 0.7
    w, b = unstandardize_coefficients(w_z, b_z, mean, scale)
    np.testing.assert_allclose(X @ w + b, Z @ w_z + b_z, rtol=1e-12)


# ---------------------------------------------------------------------------
# regression generators
# ---------------------------------------------------------------------------


def test_sparse_regression_shapes_support_and_noiseless_identity():
    X, y, w = make_sparse_regression(40, 7, 3, noise=0.0, intercept=2.5, seed=0)
    assert X.shape == (40, 7) and y.shape == (40,) and w.shape == (7,)
    np.testing.assert_array_equal(np.flatnonzero(w), [0, 1, 2])
    assert np.all((np.abs(w[:3]) >= 1) & (np.abs(w[:3]) <= 2))
    np.testing.assert_allclose(y, X @ w + 2.5, rtol=1e-14)


@pytest.mark.parametrize("rho", [0.0, 0.5, 0.9, -0.4])
def test_sparse_regression_feature_correlation_is_ar1(rho):
    X, _, _ = make_sparse_regression(20000, 5, 1, correlation=rho, seed=1)
    lags = np.abs(np.subtract.outer(np.arange(5), np.arange(5)))
    np.testing.assert_allclose(np.corrcoef(X, rowvar=False), rho**lags, atol=0.03)
    np.testing.assert_allclose(X.var(axis=0), 1.0, atol=0.05)


def test_sparse_regression_noise_sd():
    X, y, w = make_sparse_regression(20000, 3, 2, noise=0.5, seed=2)
    assert abs((y - X @ w).std() - 0.5) < 0.015


def test_sparse_regression_zero_informative_gives_zero_weights():
    _, _, w = make_sparse_regression(10, 4, 0)
    np.testing.assert_array_equal(w, 0.0)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"n_informative": 9}, "n_informative"),
        ({"n_informative": -1}, "n_informative"),
        ({"correlation": 1.0}, "correlation"),
        ({"correlation": "high"}, "correlation"),
        ({"noise": -1.0}, "noise"),
        ({"n_features": 0}, "n_features"),
        ({"intercept": np.nan}, "intercept"),
        ({"intercept": [1.0]}, "intercept"),
    ],
)
def test_sparse_regression_bad_input_names_the_argument(kwargs, name):
    args = {"n_samples": 10, "n_features": 5, "n_informative": 2}
    args.update(kwargs)
    with pytest.raises((TypeError, ValueError), match=name):
        make_sparse_regression(**args)


def test_correlated_pair_correlation_weights_and_identity():
    X, y, w = make_correlated_pair(20000, correlation=0.9, noise=0.0, n_noise_features=2, seed=3)
    assert X.shape == (20000, 4)
    np.testing.assert_array_equal(w, [1.0, 1.0, 0.0, 0.0])
    np.testing.assert_allclose(y, X[:, 0] + X[:, 1], rtol=1e-14)
    C = np.corrcoef(X, rowvar=False)
    assert abs(C[0, 1] - 0.9) < 0.01
    np.testing.assert_allclose(C[np.triu_indices(4, 1)][1:], 0.0, atol=0.03)


def test_correlated_pair_bad_correlation_raises():
    with pytest.raises(ValueError, match="correlation"):
        make_correlated_pair(10, correlation=-1.0)


# ---------------------------------------------------------------------------
# classification generators
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["moons", "blobs", "circles"])
@pytest.mark.parametrize("n", [2, 31, 200])
def test_classification_2d_shapes_labels_and_balance(kind, n):
    X, y = make_classification_2d(n, kind, seed=4)
    assert X.shape == (n, 2) and y.shape == (n,)
    assert set(np.unique(y)) == {0, 1}
    assert np.sum(y == 0) == n // 2 and np.sum(y == 1) == n - n // 2


def test_classification_2d_noiseless_points_lie_on_their_curves():
    X, y = make_classification_2d(200, "moons", noise=0.0, seed=5)
    a, b = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(a[:, 0], a[:, 1]), 1.0)
    assert np.all(a[:, 1] >= 0)
    np.testing.assert_allclose(np.hypot(b[:, 0] - 1.0, b[:, 1] - 0.5), 1.0)
    assert np.all(b[:, 1] <= 0.5)

    X, y = make_classification_2d(200, "circles", noise=0.0, seed=5)
    np.testing.assert_allclose(np.hypot(X[:, 0], X[:, 1]), np.where(y == 0, 1.0, 0.5))

    X, y = make_classification_2d(20, "blobs", noise=0.0, seed=5)
    np.testing.assert_array_equal(X, np.where(y[:, None] == 0, -1.0, 1.0) * np.ones((1, 2)))


def test_classification_2d_rows_are_shuffled():
    _, y = make_classification_2d(100, "moons", seed=6)
    assert not (np.all(y[:50] == 0) and np.all(y[50:] == 1))


@pytest.mark.parametrize(
    "kwargs, name",
    [({"kind": "spirals"}, "kind"), ({"noise": -0.1}, "noise"), ({"n_samples": 1}, "n_samples")],
)
def test_classification_2d_bad_input_names_the_argument(kwargs, name):
    args = {"n_samples": 10}
    args.update(kwargs)
    with pytest.raises((TypeError, ValueError), match=name):
        make_classification_2d(**args)


def test_wide_classification_shapes_labels_balance_and_support():
    X, y, w = make_wide_classification(4000, 50, 4, seed=7)
    assert X.shape == (4000, 50) and y.shape == (4000,) and w.shape == (50,)
    assert set(np.unique(y)) == {0, 1}
    assert 0.4 < y.mean() < 0.6
    np.testing.assert_array_equal(np.flatnonzero(w), [0, 1, 2, 3])


def test_wide_classification_follows_the_logistic_model():
    # Oracle: scikit-learn's (essentially unpenalized) logistic MLE recovers w_true for large n.
    from sklearn.linear_model import LogisticRegression

    X, y, w = make_wide_classification(20000, 6, 3, seed=8, intercept=0.5)
    model = LogisticRegression(C=1e6, max_iter=1000).fit(X, y)
    np.testing.assert_allclose(model.coef_[0], w, atol=0.12)
    assert abs(model.intercept_[0] - 0.5) < 0.1


def test_wide_classification_bad_n_informative_raises():
    with pytest.raises(ValueError, match="n_informative"):
        make_wide_classification(10, 3, 4)


# ---------------------------------------------------------------------------
# real data
# ---------------------------------------------------------------------------


def test_prostate_shape_split_and_names():
    p = load_prostate()
    assert p.X.shape == (97, 8) and p.y.shape == (97,) and p.train.dtype == bool
    assert p.train.sum() == 67 and (~p.train).sum() == 30
    assert p.X_train.shape == (67, 8) and p.y_train.shape == (67,)
    assert p.X_test.shape == (30, 8) and p.y_test.shape == (30,)
    assert p.feature_names == PROSTATE_FEATURES == (
        "lcavol", "lweight", "age", "lbph", "svi", "lcp", "gleason", "pgg45",
    )  # fmt: skip
    assert p.x_mean is None and p.x_scale is None


def test_prostate_first_row_matches_the_file():
    # Row 1 of prostate.csv: 1,-0.579818495,2.769459,50,-1.38629436,0,-1.38629436,6,0,-0.4307829,T
    p = load_prostate()
    np.testing.assert_allclose(p.X[0], [-0.579818495, 2.769459, 50, -1.38629436, 0, -1.38629436, 6, 0])
    assert p.y[0] == -0.4307829 and p.train[0]


def test_prostate_least_squares_reproduces_esl_table_3_2():
    # ESL (2nd ed.) Table 3.2: least squares on the 67 training rows after ESL's
    # standardization; coefficients and Z scores as printed in the book.
    esl_coef = [2.46, 0.68, 0.26, -0.14, 0.21, 0.31, -0.29, -0.02, 0.27]
    esl_z = [27.60, 5.37, 2.75, -1.40, 2.06, 2.47, -1.87, -0.15, 1.74]
    p = load_prostate(standardize_features=True)
    A = np.column_stack([np.ones(67), p.X_train])
    coef = np.linalg.lstsq(A, p.y_train, rcond=None)[0]
    resid = p.y_train - A @ coef
    sigma2 = resid @ resid / (67 - 9)
    se = np.sqrt(sigma2 * np.diag(np.linalg.solve(A.T @ A, np.eye(9))))
    np.testing.assert_allclose(coef, esl_coef, atol=0.0051)  # printed to 2 decimals
    np.testing.assert_allclose(coef / se, esl_z, atol=0.0051)


def test_prostate_standardized_is_over_all_rows_with_sample_sd():
    raw, std = load_prostate(), load_prostate(standardize_features=True)
    np.testing.assert_allclose(std.X.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(std.X.std(axis=0, ddof=1), 1, rtol=1e-12)
    np.testing.assert_allclose(std.X * std.x_scale + std.x_mean, raw.X, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(std.y, raw.y)


def test_diabetes_matches_sklearn():
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes_data()
    assert X.shape == (442, 10) and y.shape == (442,)
    np.testing.assert_array_equal(X, load_diabetes(scaled=False).data)
    Xs, _ = load_diabetes_data(scaled=True)
    np.testing.assert_allclose(np.linalg.norm(Xs, axis=0), 1.0, rtol=1e-6)


# ---------------------------------------------------------------------------
# train_test_split
# ---------------------------------------------------------------------------


def test_train_test_split_partitions_the_rows():
    X = np.arange(60.0).reshape(30, 2)
    y = np.arange(30.0)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_fraction=0.1, seed=1)
    assert len(y_te) == 3 and len(y_tr) == 27  # ceil(0.1 * 30) = 3
    np.testing.assert_array_equal(np.sort(np.concatenate([y_tr, y_te])), y)
    np.testing.assert_array_equal(X_tr[:, 0], 2 * y_tr)  # rows stay paired
    np.testing.assert_array_equal(X_te[:, 1], 2 * y_te + 1)


def test_train_test_split_keeps_a_1d_x_1d():
    x, y = make_polynomial_data(20, seed=0)
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, test_fraction=0.25)
    assert x_tr.shape == (15,) and x_te.shape == (5,)
    np.testing.assert_allclose(y_te, y[np.searchsorted(x, x_te)])


def test_train_test_split_rounds_up_and_leaves_one_training_row():
    y = np.arange(4.0)
    assert len(train_test_split(y[:, None], y, test_fraction=0.3)[3]) == 2  # ceil(1.2)
    assert len(train_test_split(y[:, None], y, test_fraction=0.99)[2]) == 1


@pytest.mark.parametrize(
    "args, kwargs, name",
    [
        ((np.ones((4, 2)), np.ones(3)), {}, "y"),
        ((np.ones((4, 2)), np.ones(4)), {"test_fraction": 0.0}, "test_fraction"),
        ((np.ones((4, 2)), np.ones(4)), {"test_fraction": 1.0}, "test_fraction"),
        ((np.ones((4, 2)), np.ones(4)), {"test_fraction": "a"}, "test_fraction"),
        ((np.ones((1, 2)), np.ones(1)), {}, "X"),
        ((np.full((4, 2), np.nan), np.ones(4)), {}, "X"),
    ],
)
def test_train_test_split_bad_input_names_the_argument(args, kwargs, name):
    with pytest.raises((TypeError, ValueError), match=name):
        train_test_split(*args, **kwargs)


def test_module_lists_its_public_names():
    for name in data.__all__:
        assert hasattr(data, name), name


def test_plane_features_by_hand():
    F = data.plane_features([[2.0, 3.0]], 2)
    np.testing.assert_array_equal(F, [[2.0, 3.0, 4.0, 6.0, 9.0]])
    assert data.plane_features(np.ones((4, 2)), 3).shape == (4, 9)

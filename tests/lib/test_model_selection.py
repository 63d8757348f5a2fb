"""Tests for course_lib.model_selection: grids, folds, CV, one-SE rule, error measures."""

import numpy as np
import pytest

from course_lib.model_selection import (
    CVResult,
    cross_validate_rates,
    kfold_indices,
    lasso_max_rate,
    mean_log_loss,
    mean_squared_error,
    misclassification_rate,
    one_standard_error_rule,
    rate_grid,
    validation_curve,
)


def ridge_oracle(X, y, rate):
    """Closed-form ridge for 1/(2n)||y - Xw - b||^2 + rate/2 ||w||^2 (intercept unpenalized).

    Centering removes b; the normal equations are (Xc'Xc/n + rate I) w = Xc'yc/n.
    """
    X = np.asarray(X, float)
    y = np.asarray(y, float)
    n, p = X.shape
    x_mean, y_mean = X.mean(axis=0), y.mean()
    Xc, yc = X - x_mean, y - y_mean
    w = np.linalg.solve(Xc.T @ Xc / n + rate * np.eye(p), Xc.T @ yc / n)
    return w, y_mean - x_mean @ w


@pytest.fixture
def regression_data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(37, 6))
    w = np.array([2.0, -1.0, 0.0, 0.0, 0.5, 0.0])
    y = 1.0 + X @ w + rng.normal(scale=1.5, size=37)
    return X, y


# ---------------------------------------------------------------------------
# error measures
# ---------------------------------------------------------------------------


def test_mean_squared_error_hand_case():
    assert mean_squared_error([1.0, 2.0, 3.0], [1.0, 0.0, 6.0]) == pytest.approx((0 + 4 + 9) / 3)


def test_misclassification_rate_hand_case():
    assert misclassification_rate([0, 1, 1, 0], [0, 0, 1, 1]) == 0.5
    assert misclassification_rate([1, 1], [1, 1]) == 0.0


def test_mean_log_loss_hand_case_and_sklearn():
    from sklearn.metrics import log_loss

    y, p = np.array([1, 0, 1, 0]), np.array([0.9, 0.2, 0.4, 0.5])
    expected = -(np.log(0.9) + np.log(0.8) + np.log(0.4) + np.log(0.5)) / 4
    assert mean_log_loss(y, p) == pytest.approx(expected, rel=1e-14)
    assert mean_log_loss(y, p) == pytest.approx(log_loss(y, p), rel=1e-12)
    assert np.isfinite(mean_log_loss([1, 0], [0.0, 1.0]))  # clipped, not inf


@pytest.mark.parametrize(
    "func, args, name",
    [
        (mean_squared_error, ([1.0, 2.0], [1.0]), "y_pred"),
        (mean_squared_error, ([1.0, np.nan], [1.0, 2.0]), "y"),
        (mean_squared_error, ([], []), "y"),
        (misclassification_rate, ([0, 2], [0, 1]), "y"),
        (misclassification_rate, ([0, 1], [0.3, 1]), "y_pred_labels"),
        (misclassification_rate, ([0, 1], [0, 1, 1]), "y_pred_labels"),
        (mean_log_loss, ([0, 1], [0.5, 1.5]), "y_prob"),
        (mean_log_loss, ([0, 1], [0.5]), "y_prob"),
    ],
)
def test_error_measures_bad_input_names_the_argument(func, args, name):
    with pytest.raises((TypeError, ValueError), match=name):
        func(*args)


# ---------------------------------------------------------------------------
# rate_grid and lasso_max_rate
# ---------------------------------------------------------------------------


def test_rate_grid_endpoints_monotone_length_and_log_spacing():
    grid = rate_grid(5.0, n_rates=30, min_ratio=1e-3)
    assert grid.shape == (30,)
    assert grid[0] == 5.0 and grid[-1] == pytest.approx(5e-3, rel=1e-15)
    assert np.all(np.diff(grid) < 0)
    ratios = grid[1:] / grid[:-1]  # constant ratio (1e-3)^(1/29)
    np.testing.assert_allclose(ratios, 10 ** (-3 / 29), rtol=1e-12)


def test_rate_grid_hand_case_and_single_rate():
    np.testing.assert_allclose(rate_grid(100.0, n_rates=3, min_ratio=0.01), [100.0, 10.0, 1.0])
    np.testing.assert_array_equal(rate_grid(2.0, n_rates=1), [2.0])
    assert rate_grid(1.0).shape == (100,)
    assert rate_grid(1.0)[-1] == pytest.approx(1e-4)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"max_rate": 0.0}, "max_rate"),
        ({"max_rate": -1.0}, "max_rate"),
        ({"max_rate": np.inf}, "max_rate"),
        ({"max_rate": 1.0, "n_rates": 0}, "n_rates"),
        ({"max_rate": 1.0, "n_rates": 10.0}, "n_rates"),
        ({"max_rate": 1.0, "min_ratio": 1.0}, "min_ratio"),
        ({"max_rate": 1.0, "min_ratio": 0.0}, "min_ratio"),
    ],
)
def test_rate_grid_bad_input_names_the_argument(kwargs, name):
    with pytest.raises((TypeError, ValueError), match=name):
        rate_grid(**kwargs)


def lasso_kkt_violation(X, y, rate, w, b):
    """max over j of |x_j'(y - Xw - b)|/n - rate for w = 0 (KKT: must be <= 0)."""
    r = y - X @ w - b
    return np.max(np.abs(X.T @ r) / X.shape[0]) - rate


def test_lasso_max_rate_is_where_zero_becomes_optimal(regression_data):
    # KKT for w = 0 (b = mean y): |x_j'(y - ybar)|/n <= rate for every j.
    X, y = regression_data
    rate_max = lasso_max_rate(X, y)
    Xc = X - X.mean(axis=0)
    w0 = np.zeros(X.shape[1])
    assert lasso_kkt_violation(Xc, y, rate_max, w0, y.mean()) == pytest.approx(0.0, abs=1e-12)
    assert lasso_kkt_violation(Xc, y, 0.99 * rate_max, w0, y.mean()) > 0


def test_lasso_max_rate_agrees_with_sklearn(regression_data):
    from sklearn.linear_model import ElasticNet, Lasso

    X, y = regression_data
    rate_max = lasso_max_rate(X, y)
    assert np.all(Lasso(alpha=rate_max * 1.001).fit(X, y).coef_ == 0)
    assert np.any(Lasso(alpha=rate_max * 0.98).fit(X, y).coef_ != 0)
    rate_en = lasso_max_rate(X, y, l1_ratio=0.5)
    assert rate_en == pytest.approx(2 * rate_max)
    assert np.all(ElasticNet(alpha=rate_en * 1.001, l1_ratio=0.5).fit(X, y).coef_ == 0)
    assert np.any(ElasticNet(alpha=rate_en * 0.98, l1_ratio=0.5).fit(X, y).coef_ != 0)


def test_lasso_max_rate_without_intercept_uses_raw_columns(regression_data):
    X, y = regression_data
    assert lasso_max_rate(X, y, fit_intercept=False) == pytest.approx(np.max(np.abs(X.T @ y)) / len(y))


def test_lasso_max_rate_rejects_pure_ridge(regression_data):
    with pytest.raises(ValueError, match="l1_ratio"):
        lasso_max_rate(*regression_data, l1_ratio=0.0)


# ---------------------------------------------------------------------------
# kfold_indices
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("n, k", [(10, 2), (23, 5), (7, 7), (100, 10), (11, 3)])
@pytest.mark.parametrize("shuffle", [True, False])
def test_kfold_partitions_the_rows(n, k, shuffle):
    folds = kfold_indices(n, k, seed=1, shuffle=shuffle)
    assert len(folds) == k
    tests = np.concatenate([test for _, test in folds])
    np.testing.assert_array_equal(np.sort(tests), np.arange(n))  # each row in exactly one test fold
    sizes = [len(test) for _, test in folds]
    assert max(sizes) - min(sizes) <= 1
    for train, test in folds:
        assert len(np.intersect1d(train, test)) == 0
        np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(n))
        assert train.dtype.kind == "i" and test.dtype.kind == "i"


def test_kfold_without_shuffle_is_contiguous_blocks():
    folds = kfold_indices(7, 3, shuffle=False)
    np.testing.assert_array_equal(folds[0][1], [0, 1, 2])
    np.testing.assert_array_equal(folds[1][1], [3, 4])
    np.testing.assert_array_equal(folds[2][1], [5, 6])
    np.testing.assert_array_equal(folds[0][0], [3, 4, 5, 6])


def test_kfold_is_reproducible_and_seed_dependent():
    a, b, c = kfold_indices(30, 5, seed=2), kfold_indices(30, 5, seed=2), kfold_indices(30, 5, seed=3)
    for (tr1, te1), (tr2, te2) in zip(a, b):
        np.testing.assert_array_equal(te1, te2)
        np.testing.assert_array_equal(tr1, tr2)
    assert any(not np.array_equal(te1, te3) for (_, te1), (_, te3) in zip(a, c))


@pytest.mark.parametrize(
    "args, kwargs, name",
    [
        ((5, 6), {}, "n_folds"),
        ((5, 1), {}, "n_folds"),
        ((0, 2), {}, "n_samples"),
        ((5, 2.0), {}, "n_folds"),
        ((5, 2), {"seed": -1}, "seed"),
        ((5, 2), {"seed": 0.5}, "seed"),
        ((5, 2), {"shuffle": "yes"}, "shuffle"),
    ],
)
def test_kfold_bad_input_names_the_argument(args, kwargs, name):
    with pytest.raises((TypeError, ValueError), match=name):
        kfold_indices(*args, **kwargs)


# ---------------------------------------------------------------------------
# one-standard-error rule
# ---------------------------------------------------------------------------


def test_one_se_rule_hand_case():
    # Minimum 1.0 at rate 0.1 with SE 0.3 -> threshold 1.3.  Rates with mean <= 1.3:
    # 0.01 (1.2), 0.1 (1.0), 1.0 (1.25).  The largest is 1.0; rate 10 (1.31) just misses.
    rates = [10.0, 1.0, 0.1, 0.01]
    mean = [1.31, 1.25, 1.0, 1.2]
    se = [0.05, 0.1, 0.3, 0.2]
    assert one_standard_error_rule(rates, mean, se) == 1.0


def test_one_se_rule_uses_the_se_of_the_best_rate_not_its_own():
    # Rate 10 has a huge SE of its own but mean 2.0 > 1.0 + 0.1: not chosen.
    assert one_standard_error_rule([10.0, 1.0], [2.0, 1.0], [5.0, 0.1]) == 1.0


def test_one_se_rule_is_order_free_and_considers_every_rate():
    # A non-contiguous rate far away still counts (glmnet's lambda.1se does the same).
    rates = np.array([0.01, 0.1, 1.0, 10.0, 100.0])
    mean = np.array([1.0, 1.5, 1.6, 1.05, 3.0])
    se = np.array([0.1, 0.1, 0.1, 0.1, 0.1])
    assert one_standard_error_rule(rates, mean, se) == 10.0
    order = np.array([3, 0, 4, 1, 2])
    assert one_standard_error_rule(rates[order], mean[order], se[order]) == 10.0


def test_one_se_rule_with_zero_se_returns_the_best_and_breaks_ties_upward():
    assert one_standard_error_rule([3.0, 2.0, 1.0], [5.0, 4.0, 6.0], [0.0, 0.0, 0.0]) == 2.0
    assert one_standard_error_rule([3.0, 2.0, 1.0], [4.0, 4.0, 6.0], [0.0, 0.0, 0.0]) == 3.0


@pytest.mark.parametrize(
    "args, name",
    [
        (([1.0, -1.0], [1.0, 2.0], [0.1, 0.1]), "rates"),
        (([1.0, 2.0], [1.0], [0.1, 0.1]), "mean_error"),
        (([1.0, 2.0], [1.0, 2.0], [0.1]), "standard_error"),
        (([1.0, 2.0], [1.0, 2.0], [0.1, -0.1]), "standard_error"),
        (([1.0, 2.0], [1.0, np.nan], [0.1, 0.1]), "mean_error"),
    ],
)
def test_one_se_rule_bad_input_names_the_argument(args, name):
    with pytest.raises((TypeError, ValueError), match=name):
        one_standard_error_rule(*args)


# ---------------------------------------------------------------------------
# cross_validate_rates
# ---------------------------------------------------------------------------


def hand_rolled_cv(X, y, rates, n_folds, seed):
    """Independent CV loop: permute, cut into blocks, ridge oracle, MSE."""
    n = len(y)
    order = np.random.default_rng(seed).permutation(n)
    errors = np.empty((len(rates), n_folds))
    for k, test in enumerate(np.array_split(order, n_folds)):
        train = np.setdiff1d(np.arange(n), test)
        for j, rate in enumerate(rates):
            w, b = ridge_oracle(X[train], y[train], rate)
            errors[j, k] = np.mean((y[test] - X[test] @ w - b) ** 2)
    return errors


def test_cross_validate_rates_matches_a_hand_rolled_loop(regression_data):
    X, y = regression_data
    rates = rate_grid(10.0, n_rates=12, min_ratio=1e-3)
    result = cross_validate_rates(ridge_oracle, X, y, rates, n_folds=5, seed=4)
    expected = hand_rolled_cv(X, y, rates, 5, 4)
    assert isinstance(result, CVResult)
    np.testing.assert_allclose(result.fold_errors, expected, rtol=1e-12)
    np.testing.assert_allclose(result.mean_error, expected.mean(axis=1), rtol=1e-12)
    se = np.array([np.std(row, ddof=1) for row in expected]) / np.sqrt(5)
    np.testing.assert_allclose(result.standard_error, se, rtol=1e-12)
    np.testing.assert_array_equal(result.rates, rates)
    assert result.n_folds == 5


def test_cross_validate_rates_best_and_1se_rates(regression_data):
    X, y = regression_data
    rates = rate_grid(10.0, n_rates=25, min_ratio=1e-4)
    result = cross_validate_rates(ridge_oracle, X, y, rates, n_folds=5, seed=0)
    k = int(np.argmin(result.mean_error))
    assert result.best_index == k and result.best_rate == rates[k]
    # one-SE: brute force over all rates
    ok = result.mean_error <= result.mean_error[k] + result.standard_error[k]
    assert result.rate_1se == rates[ok].max() == rates[result.index_1se]
    assert result.rate_1se >= result.best_rate
    assert result.rate_1se == one_standard_error_rule(rates, result.mean_error, result.standard_error)


def test_cross_validate_rates_interior_minimum_on_a_ridge_problem():
    # Many weak features and few rows: a tiny rate overfits, a huge rate underfits.
    rng = np.random.default_rng(5)
    X = rng.normal(size=(40, 30))
    y = X @ rng.normal(scale=0.3, size=30) + rng.normal(size=40)
    rates = rate_grid(100.0, n_rates=30, min_ratio=1e-5)
    result = cross_validate_rates(ridge_oracle, X, y, rates, n_folds=5, seed=0)
    assert 0 < result.best_index < len(rates) - 1


def test_cross_validate_rates_accepts_a_fit_object_and_custom_predict_and_error():
    from course_lib.fit_result import Fit

    rng = np.random.default_rng(6)
    X = rng.normal(size=(60, 3))
    y = (X[:, 0] + 0.3 * rng.normal(size=60) > 0).astype(float)

    def fit(X_tr, y_tr, rate):
        return Fit(*ridge_oracle(X_tr, y_tr, rate))  # a linear-probability classifier

    def predict(model, X_te):
        return (X_te @ model.w + model.b > 0.5).astype(float)

    rates = [0.01, 1.0]
    result = cross_validate_rates(
        fit, X, y, rates, n_folds=4, seed=1, predict=predict, error=misclassification_rate
    )
    for k, (train, test) in enumerate(kfold_indices(60, 4, seed=1)):
        for j, rate in enumerate(rates):
            w, b = ridge_oracle(X[train], y[train], rate)
            expected = np.mean((X[test] @ w + b > 0.5) != y[test])
            assert result.fold_errors[j, k] == expected


@pytest.mark.parametrize(
    "kwargs, exc, name",
    [
        ({"fit": "ridge"}, TypeError, "fit"),
        ({"rates": [1.0, -0.5]}, ValueError, "rates"),
        ({"rates": [[1.0]]}, ValueError, "rates"),
        ({"y": np.ones(5)}, ValueError, "y"),
        ({"n_folds": 1}, ValueError, "n_folds"),
        ({"predict": 3}, TypeError, "predict"),
        ({"error": "mse"}, TypeError, "error"),
        ({"fit": lambda X, y, rate: 1.0}, TypeError, "fit"),
        ({"fit": lambda X, y, rate: (np.zeros(2), 0.0)}, ValueError, "w"),
    ],
)
def test_cross_validate_rates_bad_input_names_the_argument(regression_data, kwargs, exc, name):
    X, y = regression_data
    args = {"fit": ridge_oracle, "X": X, "y": y, "rates": [0.1, 1.0]}
    args.update(kwargs)
    with pytest.raises(exc, match=name):
        cross_validate_rates(**args)


def test_cross_validate_rates_refuses_a_non_finite_error(regression_data):
    X, y = regression_data
    with pytest.raises(ValueError, match="rate=0.1"):
        cross_validate_rates(ridge_oracle, X, y, [0.1], error=lambda yt, yp: np.inf)


def test_cross_validate_rates_with_the_course_trainer_if_present(regression_data):
    trainers = pytest.importorskip("course_lib.trainers")
    fit_ridge = getattr(trainers, "fit_ridge", None)
    if fit_ridge is None:
        pytest.skip("course_lib.trainers.fit_ridge not written yet")
    X, y = regression_data
    rates = [0.01, 0.3, 3.0]
    ours = cross_validate_rates(fit_ridge, X, y, rates, seed=2)
    np.testing.assert_allclose(ours.fold_errors, hand_rolled_cv(X, y, rates, 5, 2), rtol=1e-6)


# ---------------------------------------------------------------------------
# validation_curve
# ---------------------------------------------------------------------------


def test_validation_curve_matches_direct_fits_and_training_error_grows_with_rate(regression_data):
    X, y = regression_data
    X_train, X_test, y_train, y_test = X[:25], X[25:], y[:25], y[25:]
    rates = rate_grid(50.0, n_rates=8, min_ratio=1e-4)[::-1]  # ascending
    train_err, test_err = validation_curve(ridge_oracle, X_train, y_train, X_test, y_test, rates)
    for j, rate in enumerate(rates):
        w, b = ridge_oracle(X_train, y_train, rate)
        assert train_err[j] == pytest.approx(np.mean((y_train - X_train @ w - b) ** 2), rel=1e-12)
        assert test_err[j] == pytest.approx(np.mean((y_test - X_test @ w - b) ** 2), rel=1e-12)
    # Ridge training error is non-decreasing in the rate (the fit moves away from least squares).
    assert np.all(np.diff(train_err) >= -1e-12)


def test_validation_curve_rejects_mismatched_columns(regression_data):
    X, y = regression_data
    with pytest.raises(ValueError, match="X_test"):
        validation_curve(ridge_oracle, X[:20], y[:20], X[20:, :3], y[20:], [1.0])
    with pytest.raises(ValueError, match="y_test"):
        validation_curve(ridge_oracle, X[:20], y[:20], X[20:], y[21:], [1.0])

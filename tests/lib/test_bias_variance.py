"""Tests for course_lib.bias_variance: the decomposition identity and its known behaviour.

Oracles: the algebraic identity mean (ŷ − f)² = bias² + variance; for a fixed (grid)
design, the least-squares variance σ²·φ(x)ᵀ(ΦᵀΦ)⁻¹φ(x) and bias (Pf − f)(x) of the
projection P; np.polyfit and scikit-learn's Ridge for the inner fits.
"""

import numpy as np
import pytest

from course_lib.bias_variance import (
    BiasVariance,
    bias_variance_decomposition,
    bias_variance_from_predictions,
    polynomial_ridge_predictions,
)

X_TEST = np.linspace(0.0, 1.0, 50)


def sine(x):
    return np.sin(2.0 * np.pi * x)


def quadratic(x):
    return 1.0 + 2.0 * x - 3.0 * x**2


def design_matrix(x, degree):
    """[1, t, …, t^degree] with t = 2x − 1 on [-1, 1] (the same column space as [1, x, …])."""
    return np.vander(2.0 * np.asarray(x) - 1.0, degree + 1, increasing=True)


def grid_oracle(degree, n, noise, f):
    """Exact mean squared bias and mean variance of least squares on an equally spaced design."""
    x_train = np.linspace(0.0, 1.0, n)
    Phi, Phi_test = design_matrix(x_train, degree), design_matrix(X_TEST, degree)
    Q, R = np.linalg.qr(Phi)
    A = np.linalg.solve(R.T, Phi_test.T)  # columns: R^{-T} φ(x)
    leverage = np.sum(A * A, axis=0)  # φ(x)ᵀ (ΦᵀΦ)⁻¹ φ(x)
    projected = Phi_test @ np.linalg.solve(R, Q.T @ f(x_train))  # E ŷ(x) = (P f)(x)
    return np.mean((projected - f(X_TEST)) ** 2), noise**2 * np.mean(leverage)


# ---------------------------------------------------------------------------
# bias_variance_from_predictions: hand case and identity
# ---------------------------------------------------------------------------


def test_from_predictions_hand_case():
    # mean prediction [2, 4]; bias² [1, 9] -> 5; variance [1, 1] -> 1; noise 0.5 -> 0.25
    result = bias_variance_from_predictions([[1.0, 3.0], [3.0, 5.0]], [1.0, 1.0], noise=0.5)
    assert isinstance(result, BiasVariance)
    assert result.bias_sq == 5.0 and result.variance == 1.0 and result.noise == 0.25
    assert result.total == 6.25 and result.expected_error is None
    np.testing.assert_array_equal(result.mean_prediction, [2.0, 4.0])
    np.testing.assert_array_equal(result.pointwise_bias_sq, [1.0, 9.0])
    np.testing.assert_array_equal(result.pointwise_variance, [1.0, 1.0])


def test_from_predictions_expected_error_hand_case():
    result = bias_variance_from_predictions(
        [[1.0, 3.0], [3.0, 5.0]], [1.0, 1.0], y_test=[[0.0, 3.0], [3.0, 3.0]]
    )
    assert result.expected_error == pytest.approx((1 + 0 + 0 + 4) / 4)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"predictions": [[1.0, 2.0]]}, "predictions"),  # one repeat
        ({"predictions": [1.0, 2.0]}, "predictions"),
        ({"predictions": [[1.0, np.nan], [1.0, 2.0]]}, "predictions"),
        ({"true_values": [1.0, 2.0, 3.0]}, "true_values"),
        ({"noise": -0.1}, "noise"),
        ({"y_test": [[1.0, 2.0]]}, "y_test"),
        ({"x_test": [0.0]}, "x_test"),
    ],
)
def test_from_predictions_bad_input_names_the_argument(kwargs, name):
    args = {"predictions": [[1.0, 2.0], [2.0, 3.0]], "true_values": [0.0, 0.0]}
    args.update(kwargs)
    with pytest.raises((TypeError, ValueError), match=name):
        bias_variance_from_predictions(**args)


# ---------------------------------------------------------------------------
# bias_variance_decomposition
# ---------------------------------------------------------------------------


def test_decomposition_is_reproducible_by_seed():
    a = bias_variance_decomposition(4, 15, n_repeats=30, seed=7)
    b = bias_variance_decomposition(4, 15, n_repeats=30, seed=7)
    c = bias_variance_decomposition(4, 15, n_repeats=30, seed=8)
    np.testing.assert_array_equal(a.predictions, b.predictions)
    assert (a.bias_sq, a.variance, a.expected_error) == (b.bias_sq, b.variance, b.expected_error)
    assert not np.array_equal(a.predictions, c.predictions)


@pytest.mark.parametrize(
    "degree, rate, design", [(0, 0.0, "random"), (3, 0.0, "random"), (7, 1e-3, "random"), (5, 0.0, "grid")]
)
def test_bias_sq_plus_variance_is_exactly_the_mean_squared_deviation(degree, rate, design):
    r = bias_variance_decomposition(degree, 20, n_repeats=100, rate=rate, design=design, seed=1)
    deviation = np.mean((r.predictions - r.true_values) ** 2)
    assert r.bias_sq + r.variance == pytest.approx(deviation, rel=1e-12)
    np.testing.assert_allclose(r.true_values, np.sin(2 * np.pi * r.x_test), atol=1e-15)
    np.testing.assert_array_equal(r.x_test, X_TEST)
    assert r.noise == pytest.approx(0.3**2)


@pytest.mark.parametrize("degree, n_samples", [(1, 20), (3, 20), (6, 30)])
def test_expected_error_matches_the_decomposition_within_monte_carlo_error(degree, n_samples):
    noise, n_repeats = 0.3, 400
    r = bias_variance_decomposition(degree, n_samples, n_repeats=n_repeats, noise=noise, seed=2)
    # expected_error − (bias² + variance) = mean over repeats of d_r − σ², with d_r = mean_x of
    # σ²(ε² − 1) + 2σε(f − ŷ_r): zero mean and
    # Var(d_r) = (2σ⁴ + 4σ²·mean_x (f − ŷ_r)²)/m.
    m = r.x_test.shape[0]
    var_d = (2 * noise**4 + 4 * noise**2 * np.mean((r.true_values - r.predictions) ** 2, axis=1)) / m
    standard_error = np.sqrt(var_d.sum()) / n_repeats
    assert abs(r.expected_error - r.total) < 4 * standard_error


def test_without_noise_expected_error_is_bias_plus_variance():
    r = bias_variance_decomposition(3, 20, n_repeats=50, noise=0.0, seed=3)
    assert r.noise == 0.0
    assert r.expected_error == pytest.approx(r.bias_sq + r.variance, rel=1e-12)


@pytest.mark.parametrize("degree", [1, 3, 5, 8])
def test_grid_design_matches_least_squares_theory(degree):
    noise, n, n_repeats = 0.3, 20, 3000
    r = bias_variance_decomposition(degree, n, n_repeats=n_repeats, noise=noise, design="grid", seed=4)
    exact_bias_sq, exact_variance = grid_oracle(degree, n, noise, sine)
    # The ddof=0 variance estimate has mean (R−1)/R·variance and a relative sd of
    # about sqrt(2/R) per point.
    assert r.variance == pytest.approx(exact_variance * (n_repeats - 1) / n_repeats, rel=0.1)
    # bias² estimate = exact bias² + noise of the mean prediction (mean variance/R, plus a cross term)
    v_over_r = exact_variance / n_repeats
    tolerance = 4 * 2 * np.sqrt(exact_bias_sq * v_over_r) + 4 * v_over_r
    assert abs(r.bias_sq - (exact_bias_sq + v_over_r)) < tolerance


def test_variance_grows_with_degree_on_a_fixed_design():
    results = [
        bias_variance_decomposition(d, 20, n_repeats=1000, design="grid", seed=5) for d in (1, 3, 5, 8, 11)
    ]
    variances = [r.variance for r in results]
    assert np.all(np.diff(variances) > 0)


@pytest.mark.parametrize("design", ["random", "grid"])
def test_variance_shrinks_with_n(design):
    small = bias_variance_decomposition(3, 20, n_repeats=500, design=design, seed=6)
    large = bias_variance_decomposition(3, 80, n_repeats=500, design=design, seed=6)
    # Least squares variance scales like 1/n: four times the data, about a quarter of the variance.
    assert large.variance < small.variance / 2


@pytest.mark.parametrize("degree", [2, 3, 5])
@pytest.mark.parametrize("design", ["random", "grid"])
def test_bias_vanishes_when_the_polynomial_can_represent_the_truth(degree, design):
    n_repeats = 500
    r = bias_variance_decomposition(
        degree, 25, n_repeats=n_repeats, true_function=quadratic, design=design, seed=7
    )
    # Least squares is unbiased here: the only "bias" is the Monte-Carlo error of the mean
    # prediction, whose expected size is variance/(R−1).
    assert r.bias_sq < 10 * r.variance / (n_repeats - 1)
    too_simple = bias_variance_decomposition(
        1, 25, n_repeats=n_repeats, true_function=quadratic, design=design, seed=7
    )
    assert too_simple.bias_sq > 100 * r.bias_sq


def test_ridge_rate_trades_variance_for_bias():
    rates = [0.0, 1e-4, 1e-2, 1.0]
    results = [
        bias_variance_decomposition(9, 20, n_repeats=300, rate=rate, design="grid", seed=8) for rate in rates
    ]
    variances = [r.variance for r in results]
    assert np.all(np.diff(variances) < 0)  # shrinkage lowers the variance (same training sets)
    assert results[-1].bias_sq > 10 * results[0].bias_sq


def test_draws_do_not_depend_on_degree_or_rate():
    # Same training sets for every model: degree 0 predicts each training set's mean of y.
    r0 = bias_variance_decomposition(0, 10, n_repeats=5, seed=9)
    r5 = bias_variance_decomposition(5, 10, n_repeats=5, rate=0.5, seed=9)
    np.testing.assert_allclose(r0.mean_prediction, r0.mean_prediction[0])
    rng = np.random.default_rng(9)
    x = rng.uniform(0, 1, size=(5, 10))
    y = np.sin(2 * np.pi * x) + 0.3 * rng.standard_normal((5, 10))
    np.testing.assert_allclose(r0.predictions[:, 0], y.mean(axis=1), rtol=1e-12)
    expected = polynomial_ridge_predictions(x, y, X_TEST, 5, 0.5)
    np.testing.assert_allclose(r5.predictions, expected, rtol=1e-12)


def test_custom_x_test_and_x_range():
    x_test = np.array([-1.0, 0.0, 2.0])
    r = bias_variance_decomposition(
        2, 15, n_repeats=20, x_test=x_test, x_range=(-1.0, 2.0), true_function=quadratic
    )
    np.testing.assert_array_equal(r.x_test, x_test)
    np.testing.assert_allclose(r.true_values, quadratic(x_test))
    assert r.predictions.shape == (20, 3)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"degree": -1}, "degree"),
        ({"degree": 2.5}, "degree"),
        ({"n_samples": 0}, "n_samples"),
        ({"n_repeats": 1}, "n_repeats"),
        ({"noise": -1.0}, "noise"),
        ({"rate": -0.1}, "rate"),
        ({"x_test": [[0.5]]}, "x_test"),
        ({"x_range": (1.0, 0.0)}, "x_range"),
        ({"true_function": "sin"}, "true_function"),
        ({"true_function": lambda x: np.zeros(3)}, "true_function"),
        ({"design": "fixed"}, "design"),
        ({"seed": -3}, "seed"),
    ],
)
def test_decomposition_bad_input_names_the_argument(kwargs, name):
    args = {"degree": 2, "n_samples": 10, "n_repeats": 5}
    args.update(kwargs)
    with pytest.raises((TypeError, ValueError), match=name):
        bias_variance_decomposition(**args)


# ---------------------------------------------------------------------------
# polynomial_ridge_predictions (the inner fit)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("degree", [1, 3, 6])
def test_unpenalized_fit_matches_polyfit(degree):
    rng = np.random.default_rng(10)
    x = rng.uniform(0, 1, 25)
    y = np.sin(2 * np.pi * x) + 0.3 * rng.standard_normal(25)
    expected = np.polyval(np.polyfit(x, y, degree), X_TEST)
    ours = polynomial_ridge_predictions(x, y, X_TEST, degree)
    np.testing.assert_allclose(ours, expected, rtol=1e-8, atol=1e-9)


@pytest.mark.parametrize("rate", [1e-3, 0.1, 2.0])
def test_ridge_fit_matches_sklearn_on_standardized_features(rate):
    from sklearn.linear_model import Ridge

    rng = np.random.default_rng(11)
    x = rng.uniform(0, 1, 30)
    y = np.sin(2 * np.pi * x) + 0.3 * rng.standard_normal(30)
    degree = 7
    t, t_test = 2 * x - 1, 2 * X_TEST - 1
    Phi = t[:, None] ** np.arange(1, degree + 1)
    Phi_test = t_test[:, None] ** np.arange(1, degree + 1)
    mean, sd = Phi.mean(axis=0), Phi.std(axis=0)
    # ours: 1/(2n)||y − Zw − b||² + rate/2 ||w||²
    # <=> sklearn: ||y − Zw − b||² + (n·rate)||w||², n = 30
    model = Ridge(alpha=30 * rate).fit((Phi - mean) / sd, y)
    expected = model.predict((Phi_test - mean) / sd)
    ours = polynomial_ridge_predictions(x, y, X_TEST, degree, rate)
    np.testing.assert_allclose(ours, expected, rtol=1e-9, atol=1e-10)


def test_batched_fits_equal_one_at_a_time():
    rng = np.random.default_rng(12)
    x = rng.uniform(0, 1, (4, 12))
    y = np.cos(3 * x) + 0.1 * rng.standard_normal((4, 12))
    batched = polynomial_ridge_predictions(x, y, X_TEST, 4, 0.01)
    for r in range(4):
        one = polynomial_ridge_predictions(x[r], y[r], X_TEST, 4, 0.01)
        np.testing.assert_allclose(batched[r], one, rtol=1e-12)


def test_degree_zero_predicts_the_mean_and_high_degree_interpolates():
    x = np.array([0.1, 0.4, 0.6, 0.9])
    y = np.array([1.0, -1.0, 2.0, 0.5])
    np.testing.assert_allclose(polynomial_ridge_predictions(x, y, X_TEST, 0), y.mean())
    # degree >= n - 1 without penalty passes through every training point (min-norm when > n − 1)
    for degree in (3, 6):
        np.testing.assert_allclose(polynomial_ridge_predictions(x, y, x, degree), y, atol=1e-8)


def test_polynomial_ridge_predictions_bad_shapes():
    with pytest.raises(ValueError, match="y_train"):
        polynomial_ridge_predictions([0.1, 0.2], [1.0, 2.0, 3.0], X_TEST, 1)
    with pytest.raises(ValueError, match="x_test"):
        polynomial_ridge_predictions([0.1, 0.2], [1.0, 2.0], [[0.5]], 1)
    with pytest.raises(ValueError, match="rate"):
        polynomial_ridge_predictions([0.1, 0.2], [1.0, 2.0], X_TEST, 1, rate=-1.0)

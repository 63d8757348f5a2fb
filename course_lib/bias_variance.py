r"""The bias–variance decomposition, estimated by simulation (lessons 2 and 3).

Draw many training sets from the same source, fit the same model to each, and look
at the predictions at fixed test points ``x``.  With ``f`` the true curve, ``ŷ_r(x)`` the
prediction of the model fitted to training set ``r`` and ``ȳ(x)`` their average,

.. math::

    \underbrace{\mathbb E\,(y - \hat y(x))^2}_{\text{expected test error}}
    = \underbrace{(\bar y(x) - f(x))^2}_{\text{bias}^2}
    + \underbrace{\mathbb E\,(\hat y(x) - \bar y(x))^2}_{\text{variance}}
    + \underbrace{\sigma^2}_{\text{noise}}

where ``y = f(x) + σ·ε`` is a fresh noisy observation.  Over the simulated
repeats the first two terms are an exact identity,
``mean_r (ŷ_r − f)² = (ȳ − f)² + mean_r (ŷ_r − ȳ)²``; the noise term holds in
expectation only.  All three are averaged over the test points.

:func:`bias_variance_decomposition` runs the simulation for (ridge-penalized)
polynomials fitted to noisy samples of :func:`course_lib.data.true_curve`; it is
vectorized over the repeats, so a sweep over ten degrees or rates takes a fraction of
a second.  :func:`bias_variance_from_predictions` decomposes predictions of any model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._solvers.batched_ridge import ridge_coefficients_batched
from ._validation import _describe, as_vector, check_interval, check_positive_int, check_rate
from .data import _check_nonneg_float, _rng, true_curve

__all__ = [
    "BiasVariance",
    "bias_variance_from_predictions",
    "polynomial_ridge_predictions",
    "bias_variance_decomposition",
]


@dataclass(frozen=True)
class BiasVariance:
    r"""A bias–variance decomposition, averaged over the test points.

    Attributes
    ----------
    bias_sq : float
        ``mean_x (ȳ(x) − f(x))²``: squared bias of the average prediction.
    variance : float
        ``mean_x mean_r (ŷ_r(x) − ȳ(x))²``: spread of the predictions around their
        average (divided by the number of repeats, not one less, so that the identity
        ``mean (ŷ − f)² = bias_sq + variance`` is exact).
    noise : float
        Irreducible error ``σ²``, the **square** of the noise standard deviation.
    expected_error : float or None
        Monte-Carlo estimate of the expected test error ``mean (y − ŷ)²`` against fresh
        noisy targets ``y``; close to ``total`` up to simulation error.  None when no
        noisy targets were given.
    x_test : ndarray, shape (m,) or None
        The test points (None when unknown).
    true_values : ndarray, shape (m,)
        ``f(x_test)``.
    mean_prediction : ndarray, shape (m,)
        ``ȳ(x)``, the average prediction over repeats.
    predictions : ndarray, shape (n_repeats, m)
        Every repeat's predictions.
    pointwise_bias_sq, pointwise_variance : ndarray, shape (m,)
        The two terms at each test point before averaging (for plots).
    """

    bias_sq: float
    variance: float
    noise: float
    expected_error: float | None
    x_test: np.ndarray | None
    true_values: np.ndarray
    mean_prediction: np.ndarray
    predictions: np.ndarray
    pointwise_bias_sq: np.ndarray
    pointwise_variance: np.ndarray

    @property
    def total(self) -> float:
        """``bias_sq + variance + noise``: the decomposition's expected test error."""
        return self.bias_sq + self.variance + self.noise


def bias_variance_from_predictions(predictions, true_values, noise=0.0, y_test=None, x_test=None):
    r"""Decompose the predictions of repeated fits into squared bias and variance.

    .. math:: \bar y = \frac1R \sum_r \hat y_r, \qquad
              \text{bias}^2 = \operatorname{mean}_x (\bar y - f)^2, \qquad
              \text{variance} = \operatorname{mean}_x \frac1R \sum_r (\hat y_r - \bar y)^2

    Parameters
    ----------
    predictions : array_like, shape (R, m)
        Row ``r``: predictions at the ``m`` test points of the model fitted to
        training set ``r`` (``R >= 2``).
    true_values : array_like, shape (m,)
        The noiseless truth ``f`` at the test points.
    noise : float
        Standard deviation ``σ >= 0`` of the observation noise; the result stores
        ``σ²``.
    y_test : array_like, shape (R, m), optional
        Fresh noisy targets ``f + σ·ε``; if given, ``expected_error`` is
        ``mean (y_test − predictions)²``.
    x_test : array_like, shape (m,), optional
        Stored for plotting.

    Returns
    -------
    BiasVariance
    """
    pred = _as_finite_2d(predictions, "predictions")
    n_repeats, m = pred.shape
    if n_repeats < 2:
        raise ValueError(f"predictions must have at least 2 rows (repeats); got shape {pred.shape}")
    truth = as_vector(true_values, "true_values", size=m)
    sigma = _check_nonneg_float(noise, "noise")
    expected_error = None
    if y_test is not None:
        y_test = _as_finite_2d(y_test, "y_test")
        if y_test.shape != pred.shape:
            raise ValueError(
                f"y_test must have the shape of predictions {pred.shape}; got shape {y_test.shape}"
            )
        expected_error = float(np.mean((y_test - pred) ** 2))
    if x_test is not None:
        x_test = as_vector(x_test, "x_test", size=m)
    mean_prediction = pred.mean(axis=0)
    pointwise_bias_sq = (mean_prediction - truth) ** 2
    pointwise_variance = ((pred - mean_prediction) ** 2).mean(axis=0)
    return BiasVariance(
        bias_sq=float(pointwise_bias_sq.mean()),
        variance=float(pointwise_variance.mean()),
        noise=sigma * sigma,
        expected_error=expected_error,
        x_test=x_test,
        true_values=truth,
        mean_prediction=mean_prediction,
        predictions=pred,
        pointwise_bias_sq=pointwise_bias_sq,
        pointwise_variance=pointwise_variance,
    )


def _as_finite_2d(value, name: str) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a 2-D numeric array; got {_describe(value)}") from None
    if arr.ndim != 2 or arr.size == 0:
        raise ValueError(
            f"{name} must be a non-empty 2-D array (repeats, test points); got shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers; got NaN or inf in shape {arr.shape}")
    return arr


def polynomial_ridge_predictions(x_train, y_train, x_test, degree, rate=0.0, x_range=(0.0, 1.0)):
    r"""Fit a ridge-penalized polynomial and predict, for one or many training sets at once.

    For each training set: the features ``t, t², …, t^degree`` of ``t`` = ``x`` mapped
    from ``x_range`` onto ``[-1, 1]`` are standardized (training mean, ``ddof=0`` sd) to
    ``Z``, and

    .. math:: \min_{w, b}\ \frac{1}{2n}\|y - Zw - b\|^2 + \frac{\text{rate}}{2}\|w\|^2

    is solved — for one training set this is
    ``fit_ridge(standardize(polynomial_features(x, degree, x_range))[0], y, rate)``.  With
    ``rate = 0`` it is least squares; when ``degree >= n`` it has many solutions and the one of
    smallest norm is returned.  The intercept is not penalized.  ``degree = 0`` predicts ``ȳ``.
    All training sets are fitted at once, through one batched SVD of their features
    (:mod:`course_lib._solvers.batched_ridge`): the bias-variance simulations fit hundreds.

    Parameters
    ----------
    x_train, y_train : array_like, shape (n,) or (R, n)
        One training set, or ``R`` training sets of ``n`` points each (one per row).
    x_test : array_like, shape (m,)
        Where to predict.
    degree : int
        ``>= 0``.
    rate : float
        Ridge rate on the standardized features, ``>= 0``.
    x_range : (float, float)
        The interval mapped onto ``[-1, 1]`` before taking powers (see
        :func:`course_lib.data.polynomial_features`).

    Returns
    -------
    ndarray, shape (m,) or (R, m)
    """
    single = np.ndim(x_train) == 1
    x_tr = _as_finite_2d(np.reshape(x_train, (1, -1)) if single else x_train, "x_train")
    y_tr = _as_finite_2d(np.reshape(y_train, (1, -1)) if np.ndim(y_train) == 1 else y_train, "y_train")
    if np.shape(y_train) != np.shape(x_train):
        raise ValueError(
            f"y_train must have the shape of x_train {np.shape(x_train)}; got shape {np.shape(y_train)}"
        )
    x_te = as_vector(x_test, "x_test")
    degree = check_positive_int(degree, "degree", minimum=0)
    rate = check_rate(rate)
    lo, hi = check_interval(x_range, "x_range")

    n = x_tr.shape[1]
    y_mean = y_tr.mean(axis=1, keepdims=True)  # (R, 1)
    if degree == 0:
        pred = np.broadcast_to(y_mean, (x_tr.shape[0], x_te.shape[0])).copy()
        return pred[0] if single else pred
    powers = np.arange(1, degree + 1)
    phi = ((2.0 * x_tr - (lo + hi)) / (hi - lo))[..., None] ** powers  # (R, n, d)
    phi_test = ((2.0 * x_te - (lo + hi)) / (hi - lo))[:, None] ** powers  # (m, d)
    mean = phi.mean(axis=1, keepdims=True)  # (R, 1, d)
    scale = phi.std(axis=1, keepdims=True)
    scale = np.where(scale > 0, scale, 1.0)  # a constant column (n = 1 or repeated x) stays 0
    Z = (phi - mean) / scale
    Z_test = (phi_test[None, :, :] - mean) / scale  # (R, m, d)
    coef = ridge_coefficients_batched(Z, y_tr - y_mean, rate)  # (R, d): fit_ridge on each set
    pred = y_mean + np.einsum("rmd,rd->rm", Z_test, coef)
    return pred[0] if single else pred


def bias_variance_decomposition(
    degree,
    n_samples,
    n_repeats=200,
    noise=0.3,
    rate=0.0,
    seed=0,
    x_test=None,
    x_range=(0.0, 1.0),
    true_function=None,
    design="random",
) -> BiasVariance:
    r"""Bias², variance and noise of a polynomial fit, by simulating many training sets.

    Each of ``n_repeats`` training sets has ``n_samples`` points
    ``x ~ Uniform(x_range)``, ``y = f(x) + noise·ε`` (as in
    :func:`course_lib.data.make_polynomial_data`); with ``design="grid"`` the ``x`` are
    instead the same ``n_samples`` equally spaced points every time and only the noise
    is redrawn (the fixed-design textbook setting).  A polynomial of the given
    ``degree`` with ridge ``rate`` (see :func:`polynomial_ridge_predictions`) is fitted
    to each and evaluated at ``x_test``; a fresh noisy target at every test point and
    repeat gives the Monte-Carlo ``expected_error``.

    The random draws depend only on ``seed``, ``n_samples``, ``n_repeats``, ``x_range``,
    ``design`` and the number of test points — **not** on ``degree`` or ``rate`` — so a sweep
    over degrees or rates with one seed compares all models on the same training
    sets, and the curves are smooth.

    Parameters
    ----------
    degree : int
        Polynomial degree, ``>= 0``.
    n_samples : int
        Training points per repeat, ``>= 1``.
    n_repeats : int
        Number of simulated training sets, ``>= 2``.
    noise : float
        Noise standard deviation ``σ >= 0`` (the noise term is ``σ²``).
    rate : float
        Ridge rate on standardized polynomial features, ``>= 0``.
    seed : int or numpy.random.Generator
    x_test : array_like, shape (m,), optional
        Test points; default 50 equally spaced points spanning ``x_range``.
    x_range : (float, float)
    true_function : callable, optional
        Vectorized ``f``; default :func:`course_lib.data.true_curve` (``sin(2πx)``).
    design : {"random", "grid"}
        ``"random"``: new uniform ``x`` for every training set, so the variance also
        counts how much the fit depends on where the points fell.  A high degree then
        extrapolates wildly into gaps near the ends of ``x_range`` and the variance
        explodes (plot it on a log scale).  ``"grid"``: fixed equally spaced ``x``; the
        least-squares variance is then ``σ²·mean_x φ(x)ᵀ(ΦᵀΦ)⁻¹φ(x)`` and grows
        steadily with the degree.

    Returns
    -------
    BiasVariance
        ``bias_sq + variance + noise`` (its ``total``) estimates the expected test error
        and ``expected_error`` is the direct simulation of it.

    Examples
    --------
    >>> sweep = [bias_variance_decomposition(d, n_samples=20) for d in range(10)]
    >>> [round(r.variance, 3) for r in sweep]  # doctest: +SKIP
    """
    degree = check_positive_int(degree, "degree", minimum=0)
    n_samples = check_positive_int(n_samples, "n_samples")
    n_repeats = check_positive_int(n_repeats, "n_repeats", minimum=2)
    sigma = _check_nonneg_float(noise, "noise")
    rate = check_rate(rate)
    lo, hi = check_interval(x_range, "x_range")
    if true_function is None:
        true_function = true_curve
    elif not callable(true_function):
        raise TypeError(f"true_function must be a callable f(x) or None; got {_describe(true_function)}")
    x_test = np.linspace(lo, hi, 50) if x_test is None else as_vector(x_test, "x_test")
    if design not in ("random", "grid"):
        raise ValueError(f"design must be 'random' or 'grid'; got design={design!r}")

    def f(x):
        values = np.asarray(true_function(x), dtype=float)
        if values.shape != np.shape(x):
            raise ValueError(
                f"true_function must return an array of the shape of its input {np.shape(x)}; "
                f"got shape {values.shape}"
            )
        return values

    rng = _rng(seed)
    if design == "random":
        x_train = rng.uniform(lo, hi, size=(n_repeats, n_samples))
    else:
        x_train = np.broadcast_to(np.linspace(lo, hi, n_samples), (n_repeats, n_samples))
    y_train = f(x_train) + sigma * rng.standard_normal((n_repeats, n_samples))
    truth = f(x_test)
    y_test = truth + sigma * rng.standard_normal((n_repeats, x_test.shape[0]))
    predictions = polynomial_ridge_predictions(x_train, y_train, x_test, degree, rate, (lo, hi))
    return bias_variance_from_predictions(predictions, truth, sigma, y_test=y_test, x_test=x_test)

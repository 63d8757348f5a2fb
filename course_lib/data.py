r"""Data for the course: seeded generators and splits; features and real data re-exported.

Everything random takes a ``seed`` (an int ``>= 0``, or a ``numpy.random.Generator``)
and draws from ``np.random.default_rng(seed)``: the same seed gives identical arrays,
and no global random state is touched.

=================================  ==========================================================
function                           what it returns
=================================  ==========================================================
:func:`true_curve`                 ``sin(2πx)``, the smooth truth behind the 1-D data
:func:`make_polynomial_data`       ``(x, y)``: noisy samples of :func:`true_curve` (lessons 2-3)
:func:`polynomial_features`        columns ``x, x², …, x^degree`` (optionally mapped to [-1, 1])
:func:`standardize`                ``(Z, mean, scale)``: columns with mean 0 and sd 1
:func:`unstandardize_coefficients` ``(w, b)`` on the original scale of the features
:func:`make_sparse_regression`     ``(X, y, w_true)``: AR(1)-correlated features, sparse truth
:func:`make_correlated_pair`       ``(X, y, w_true)``: two nearly identical predictive features
:func:`make_classification_2d`     ``(X, y)``: moons, blobs or circles in the plane
:func:`make_wide_classification`   ``(X, y, w_true)``: many features, few informative, logistic
:func:`load_prostate`              the prostate cancer data of ESL §3.4 (lesson 10)
:func:`load_diabetes_data`         ``(X, y)``: scikit-learn's bundled diabetes data
:func:`train_test_split`           a seeded random split
=================================  ==========================================================

The features (``polynomial_features``, ``plane_features``, ``standardize``,
``unstandardize_coefficients``) live in :mod:`course_lib.features` and the real data sets in
:mod:`course_lib.real_data`; every name above can be imported from here.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._validation import _describe, as_data, as_vector, check_interval, check_positive_int, check_real
from .features import plane_features, polynomial_features, standardize, unstandardize_coefficients
from .real_data import PROSTATE_FEATURES, Prostate, load_diabetes_data, load_prostate

__all__ = [
    "true_curve",
    "make_polynomial_data",
    "polynomial_features",
    "plane_features",
    "standardize",
    "unstandardize_coefficients",
    "make_sparse_regression",
    "make_correlated_pair",
    "make_classification_2d",
    "make_wide_classification",
    "Prostate",
    "PROSTATE_FEATURES",
    "load_prostate",
    "load_diabetes_data",
    "train_test_split",
]


# ---------------------------------------------------------------------------
# small private checks
# ---------------------------------------------------------------------------


def _rng(seed) -> np.random.Generator:
    """``np.random.default_rng(seed)`` for an int seed ``>= 0`` (a Generator is used as is)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            f"seed must be an integer >= 0 (or a numpy.random.Generator); got {_describe(seed)}"
        )
    if seed < 0:
        raise ValueError(f"seed must be an integer >= 0; got seed={seed}")
    return np.random.default_rng(int(seed))


def _check_nonneg_float(value, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number >= 0; got {_describe(value)}")
    value = float(value)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0; got {name}={value}")
    return value


def _check_correlation(value, name: str = "correlation") -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number in (-1, 1); got {_describe(value)}")
    value = float(value)
    if not -1.0 < value < 1.0:
        raise ValueError(f"{name} must lie strictly between -1 and 1; got {name}={value:g}")
    return value


def _check_n_informative(n_informative, n_features: int) -> int:
    n_informative = check_positive_int(n_informative, "n_informative", minimum=0)
    if n_informative > n_features:
        raise ValueError(
            f"n_informative must be <= n_features={n_features}; got n_informative={n_informative}"
        )
    return n_informative


def _ar1_gaussian(rng: np.random.Generator, n: int, p: int, rho: float) -> np.ndarray:
    """Rows i.i.d. N(0, Σ) with Σ_jk = rho^|j−k|, built by the AR(1) recursion.

    ``x_0 = z_0`` and ``x_j = rho·x_{j−1} + sqrt(1 − rho²)·z_j`` keep every column at
    variance 1 and give exactly ``corr(x_j, x_k) = rho^|j−k|``.
    """
    Z = rng.standard_normal((n, p))
    X = np.empty_like(Z)
    X[:, 0] = Z[:, 0]
    innovation = np.sqrt(1.0 - rho * rho)
    for j in range(1, p):
        X[:, j] = rho * X[:, j - 1] + innovation * Z[:, j]
    return X


def _sparse_weights(rng: np.random.Generator, p: int, k: int) -> np.ndarray:
    """Weights with the first ``k`` entries nonzero: random sign times a size in [1, 2]."""
    w = np.zeros(p)
    w[:k] = rng.choice([-1.0, 1.0], size=k) * rng.uniform(1.0, 2.0, size=k)
    return w


# ---------------------------------------------------------------------------
# 1-D polynomial setting (lessons 2 and 3)
# ---------------------------------------------------------------------------


def true_curve(x) -> np.ndarray:
    r"""The smooth function behind the 1-D data: ``sin(2πx)``.

    .. math:: f(x) = \sin(2\pi x)

    One full period on ``[0, 1]`` (Bishop's classic curve-fitting example): a cubic
    follows it well, a line cannot, and a degree-15 polynomial through 20 noisy
    points chases the noise.

    Parameters
    ----------
    x : array_like
        Any shape; must be finite.

    Returns
    -------
    ndarray, same shape as ``x``
    """
    arr = np.asarray(x, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"x must contain only finite numbers; got {_describe(arr)} with NaN or inf")
    return np.sin(2.0 * np.pi * arr)


def make_polynomial_data(n_samples, noise=0.3, seed=0, x_range=(0.0, 1.0)):
    r"""Noisy samples of :func:`true_curve`, for fitting polynomials of growing degree.

    .. math:: x_i \sim \mathrm{Uniform}(\text{x\_range}), \qquad
              y_i = \sin(2\pi x_i) + \text{noise}\cdot\varepsilon_i, \quad
              \varepsilon_i \sim N(0, 1)

    Parameters
    ----------
    n_samples : int
        Number of points, ``>= 1``.
    noise : float
        Standard deviation of the Gaussian noise (``>= 0``); the irreducible
        squared error is ``noise**2``.
    seed : int or numpy.random.Generator
        Same seed, same data.
    x_range : (float, float)
        Interval the ``x`` are drawn from.

    Returns
    -------
    x : ndarray, shape (n_samples,)
        Inputs, **sorted ascending** (handy for plotting lines).
    y : ndarray, shape (n_samples,)
        Noisy targets.
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    noise = _check_nonneg_float(noise, "noise")
    lo, hi = check_interval(x_range, "x_range")
    rng = _rng(seed)
    x = np.sort(rng.uniform(lo, hi, size=n_samples))
    y = true_curve(x) + noise * rng.standard_normal(n_samples)
    return x, y


# ---------------------------------------------------------------------------
# regression generators
# ---------------------------------------------------------------------------


def make_sparse_regression(
    n_samples, n_features, n_informative, correlation=0.5, noise=1.0, seed=0, intercept=0.0
):
    r"""Linear data with correlated Gaussian features and a sparse true weight vector.

    .. math:: x_i \sim N(0, \Sigma),\quad \Sigma_{jk} = \rho^{|j-k|}, \qquad
              y_i = \text{intercept} + x_i^\top w_{\text{true}} + \text{noise}\cdot\varepsilon_i

    The correlation is AR(1)/Toeplitz: neighbouring features correlate ``ρ``, features
    two apart ``ρ²``, and so on; every feature has variance 1.  The **first**
    ``n_informative`` weights are nonzero (random sign, size uniform in ``[1, 2]``),
    the rest exactly 0, so ``np.flatnonzero(w_true)`` is ``0 … n_informative − 1``.

    Parameters
    ----------
    n_samples, n_features : int
        Shape of ``X``, both ``>= 1``.
    n_informative : int
        Number of nonzero true weights, ``0 <= n_informative <= n_features``.
    correlation : float
        ``ρ`` in ``(-1, 1)``; 0 gives independent features.
    noise : float
        Standard deviation of the Gaussian noise, ``>= 0``.
    seed : int or numpy.random.Generator
    intercept : float
        True intercept added to every ``y``.

    Returns
    -------
    X : ndarray, shape (n_samples, n_features)
    y : ndarray, shape (n_samples,)
    w_true : ndarray, shape (n_features,)
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    n_features = check_positive_int(n_features, "n_features")
    n_informative = _check_n_informative(n_informative, n_features)
    rho = _check_correlation(correlation)
    noise = _check_nonneg_float(noise, "noise")
    intercept = check_real(intercept, "intercept")
    rng = _rng(seed)
    X = _ar1_gaussian(rng, n_samples, n_features, rho)
    w_true = _sparse_weights(rng, n_features, n_informative)
    y = intercept + X @ w_true + noise * rng.standard_normal(n_samples)
    return X, y, w_true


def make_correlated_pair(n_samples, correlation=0.95, noise=0.5, n_noise_features=0, seed=0):
    r"""Two nearly identical features that both drive ``y``: the L1-versus-L2 demo.

    .. math:: x_1 = z,\quad x_2 = \rho z + \sqrt{1-\rho^2}\,u, \qquad
              y = x_1 + x_2 + \text{noise}\cdot\varepsilon

    with ``z, u, ε`` independent standard normals, so ``corr(x_1, x_2) = ρ`` and
    ``w_true = [1, 1, 0, …, 0]``.  Ridge shares the weight between the twins; the
    lasso tends to keep one and drop the other.  ``n_noise_features`` independent
    standard-normal columns with weight 0 can be appended after the pair.

    Parameters
    ----------
    n_samples : int
    correlation : float
        ``ρ`` in ``(-1, 1)``.
    noise : float
        Standard deviation of the noise, ``>= 0``.
    n_noise_features : int
        Extra irrelevant columns, ``>= 0``.
    seed : int or numpy.random.Generator

    Returns
    -------
    X : ndarray, shape (n_samples, 2 + n_noise_features)
    y : ndarray, shape (n_samples,)
    w_true : ndarray, shape (2 + n_noise_features,)
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    rho = _check_correlation(correlation)
    noise = _check_nonneg_float(noise, "noise")
    n_noise_features = check_positive_int(n_noise_features, "n_noise_features", minimum=0)
    rng = _rng(seed)
    z, u = rng.standard_normal((2, n_samples))
    pair = np.column_stack([z, rho * z + np.sqrt(1.0 - rho * rho) * u])
    X = np.column_stack([pair, rng.standard_normal((n_samples, n_noise_features))])
    w_true = np.zeros(X.shape[1])
    w_true[:2] = 1.0
    y = X @ w_true + noise * rng.standard_normal(n_samples)
    return X, y, w_true


# ---------------------------------------------------------------------------
# classification generators
# ---------------------------------------------------------------------------

_KINDS_2D = ("moons", "blobs", "circles")


def make_classification_2d(n_samples, kind="moons", noise=0.2, seed=0):
    r"""Two classes in the plane, made with numpy alone.

    Class sizes are ``n_samples // 2`` (label 0) and the rest (label 1); the rows are
    shuffled.  Each point gets isotropic Gaussian noise of standard deviation ``noise``.

    * ``"moons"``: label 0 on the upper half circle ``(cos t, sin t)``, label 1 on the
      lower one ``(1 − cos t, 0.5 − sin t)``, ``t ~ Uniform(0, π)``.  Not linearly
      separable: a linear classifier needs features, an MLP does not.
    * ``"blobs"``: Gaussian clouds of sd ``noise`` around ``(−1, −1)`` (0) and
      ``(1, 1)`` (1).  With a small ``noise`` they are linearly separable, so
      unpenalized logistic regression has no finite minimizer; ``noise≈1`` overlaps.
    * ``"circles"``: label 0 on the unit circle, label 1 on the circle of radius 0.5,
      angles uniform.

    Parameters
    ----------
    n_samples : int
        ``>= 2``.
    kind : {"moons", "blobs", "circles"}
    noise : float
        Standard deviation of the noise, ``>= 0``.
    seed : int or numpy.random.Generator

    Returns
    -------
    X : ndarray, shape (n_samples, 2)
    y : ndarray of int, shape (n_samples,)
        Labels in {0, 1}.
    """
    n_samples = check_positive_int(n_samples, "n_samples", minimum=2)
    if kind not in _KINDS_2D:
        raise ValueError(f"kind must be one of {_KINDS_2D}; got kind={kind!r}")
    noise = _check_nonneg_float(noise, "noise")
    rng = _rng(seed)
    n0 = n_samples // 2
    y = np.repeat([0, 1], [n0, n_samples - n0])
    if kind == "moons":
        t = rng.uniform(0.0, np.pi, size=n_samples)
        X = np.where(
            (y == 0)[:, None],
            np.column_stack([np.cos(t), np.sin(t)]),
            np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)]),
        )
    elif kind == "blobs":
        X = np.where((y == 0)[:, None], -1.0, 1.0) * np.ones((1, 2))
    else:  # circles
        t = rng.uniform(0.0, 2.0 * np.pi, size=n_samples)
        radius = np.where(y == 0, 1.0, 0.5)
        X = radius[:, None] * np.column_stack([np.cos(t), np.sin(t)])
    X = X + noise * rng.standard_normal((n_samples, 2))
    order = rng.permutation(n_samples)
    return X[order], y[order]


def make_wide_classification(
    n_samples, n_features, n_informative, seed=0, correlation=0.0, intercept=0.0
):
    r"""Logistic data with many features and few informative ones (sparse selection).

    .. math:: x_i \sim N(0, \Sigma),\ \Sigma_{jk} = \rho^{|j-k|}, \qquad
              P(y_i = 1 \mid x_i) = \sigma(\text{intercept} + x_i^\top w_{\text{true}})

    with ``σ`` the logistic function.  As in :func:`make_sparse_regression`, the
    **first** ``n_informative`` weights are nonzero (random sign, size in ``[1, 2]``).
    With ``intercept=0`` the classes are balanced on average.

    Parameters
    ----------
    n_samples, n_features : int
    n_informative : int
        ``0 <= n_informative <= n_features``.
    seed : int or numpy.random.Generator
    correlation : float
        ``ρ`` in ``(-1, 1)`` of the AR(1) feature correlation (default independent).
    intercept : float

    Returns
    -------
    X : ndarray, shape (n_samples, n_features)
    y : ndarray of int, shape (n_samples,)
        Labels in {0, 1}.
    w_true : ndarray, shape (n_features,)
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    n_features = check_positive_int(n_features, "n_features")
    n_informative = _check_n_informative(n_informative, n_features)
    rho = _check_correlation(correlation)
    intercept = check_real(intercept, "intercept")
    rng = _rng(seed)
    X = _ar1_gaussian(rng, n_samples, n_features, rho)
    w_true = _sparse_weights(rng, n_features, n_informative)
    z = intercept + X @ w_true
    prob = 0.5 * (1.0 + np.tanh(0.5 * z))  # the logistic function, without overflow
    y = (rng.uniform(size=n_samples) < prob).astype(np.int64)
    return X, y, w_true


# ---------------------------------------------------------------------------
# splitting
# ---------------------------------------------------------------------------


def train_test_split(X, y, test_fraction=0.25, seed=0):
    r"""Split rows at random into a training and a test part.

    ``n_test = ceil(test_fraction · n)`` rows (at least 1, and at least 1 row is left
    for training) are chosen by ``np.random.default_rng(seed).permutation``; the rest
    train.  Same seed, same split.

    Parameters
    ----------
    X : array_like, shape (n, p) or (n,)
        Features; a 1-D ``x`` (as from :func:`make_polynomial_data`) stays 1-D.
    y : array_like, shape (n,)
    test_fraction : float
        Strictly between 0 and 1.
    seed : int or numpy.random.Generator

    Returns
    -------
    X_train, X_test, y_train, y_test : ndarray
        Float arrays, in the order of scikit-learn's ``train_test_split``.
    """
    if np.ndim(X) == 1:
        x = as_vector(X, "X")
        _, y = as_data(x[:, None], y)
        X = x
    else:
        X, y = as_data(X, y)
    if isinstance(test_fraction, (bool, np.bool_)) or not isinstance(test_fraction, numbers.Real):
        raise TypeError(f"test_fraction must be a number in (0, 1); got {_describe(test_fraction)}")
    test_fraction = float(test_fraction)
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(
            f"test_fraction must lie strictly between 0 and 1; got test_fraction={test_fraction:g}"
        )
    n = y.shape[0]
    if n < 2:
        raise ValueError(f"X must have at least 2 rows to split; got {n}")
    # the small tolerance keeps e.g. ceil(0.1 · 30) at 3 despite 0.1 · 30 = 3.0000000000000004
    n_test = min(max(int(np.ceil(test_fraction * n - 1e-9)), 1), n - 1)
    order = _rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]

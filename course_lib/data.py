r"""Data for the course: seeded generators, polynomial features, standardizing, real data.

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
"""

from __future__ import annotations

import csv
import numbers
import warnings
from dataclasses import dataclass
from importlib import resources

import numpy as np

from ._validation import (
    _describe,
    as_data,
    as_matrix,
    as_vector,
    check_bool,
    check_positive_int,
)

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


def _check_real(value, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a single real number; got {_describe(value)}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {name}={value}")
    return value


def _check_interval(value, name: str) -> tuple[float, float]:
    try:
        lo, hi = value
        lo, hi = float(lo), float(hi)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a pair (low, high) of numbers; got {_describe(value)}"
        ) from None
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"{name} must be a finite pair with low < high; got {name}=({lo:g}, {hi:g})")
    return lo, hi


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
    lo, hi = _check_interval(x_range, "x_range")
    rng = _rng(seed)
    x = np.sort(rng.uniform(lo, hi, size=n_samples))
    y = true_curve(x) + noise * rng.standard_normal(n_samples)
    return x, y


def polynomial_features(x, degree, include_bias=False, x_range=None) -> np.ndarray:
    r"""Columns ``t, t², …, t^degree`` of a 1-D input (no intercept column by default).

    .. math:: \Phi = [\,t,\; t^2,\; \dots,\; t^{d}\,], \qquad
              t = \begin{cases} x & \text{x\_range is None} \\
                                \dfrac{2x - (a + b)}{b - a} & \text{x\_range} = (a, b)
                  \end{cases}

    On ``[0, 1]`` the columns ``x^k`` of high degree are nearly collinear (they all
    look like 0 then a steep rise), so least squares on them is badly conditioned.
    Passing ``x_range=(a, b)`` first maps ``[a, b]`` onto ``[-1, 1]``, where the powers
    differ much more.  The mapping is *fixed* (it does not depend on the data), so
    training and test features agree.  Lessons that penalize the weights should also
    :func:`standardize` the columns so that the penalty treats them alike.

    Parameters
    ----------
    x : array_like, shape (n,)
        1-D inputs.
    degree : int
        Highest power, ``>= 0``.  ``degree=0`` with ``include_bias=False`` gives an
        array of shape ``(n, 0)``: the constant model is the intercept alone.
    include_bias : bool
        Prepend a column of ones.  Leave it False for the course's trainers, which
        fit an unpenalized intercept themselves.
    x_range : (float, float) or None
        If given, map this interval linearly onto ``[-1, 1]`` before taking powers.

    Returns
    -------
    ndarray, shape (n, degree) or (n, degree + 1) with ``include_bias``
    """
    x = as_vector(x, "x")
    degree = check_positive_int(degree, "degree", minimum=0)
    include_bias = check_bool(include_bias, "include_bias")
    if x_range is not None:
        lo, hi = _check_interval(x_range, "x_range")
        x = (2.0 * x - (lo + hi)) / (hi - lo)
    first = 0 if include_bias else 1
    powers = np.arange(first, degree + 1)
    return x[:, None] ** powers[None, :]


# ---------------------------------------------------------------------------
# standardizing
# ---------------------------------------------------------------------------


def standardize(X, ddof=0, mean=None, scale=None):
    r"""Center and scale the columns of ``X``: ``Z = (X − mean) / scale``.

    .. math:: \bar x_j = \frac1n \sum_i x_{ij}, \qquad
              s_j = \sqrt{\frac{1}{n - \text{ddof}} \sum_i (x_{ij} - \bar x_j)^2}, \qquad
              z_{ij} = \frac{x_{ij} - \bar x_j}{s_j}

    Fit on the training rows, then pass the returned ``mean`` and ``scale`` to
    standardize test rows the same way::

        Z_train, mean, scale = standardize(X_train)
        Z_test, _, _ = standardize(X_test, mean=mean, scale=scale)

    ``ddof=0`` divides by ``n`` (scikit-learn's ``StandardScaler``); ``ddof=1`` divides by
    ``n − 1``, the sample standard deviation that ESL uses for the prostate data.

    Parameters
    ----------
    X : array_like, shape (n, p)
    ddof : int
        0 or 1 (any int ``>= 0`` below ``n``); used only when ``scale`` is computed.
    mean : array_like, shape (p,), optional
        Column centers to use instead of the column means of ``X``.
    scale : array_like, shape (p,), optional
        Column scales (all ``> 0``) to use instead of the standard deviations of ``X``.

    Returns
    -------
    Z : ndarray, shape (n, p)
    mean : ndarray, shape (p,)
    scale : ndarray, shape (p,)

    Warns
    -----
    RuntimeWarning
        When a computed column scale is 0 (a constant column).  Its scale is set to 1,
        so the column becomes all zeros after centering instead of all NaN.
    """
    X = as_matrix(X, "X")
    n, p = X.shape
    ddof = check_positive_int(ddof, "ddof", minimum=0)
    if mean is None:
        mean = X.mean(axis=0)
    else:
        mean = as_vector(mean, "mean", size=p)
    if scale is None:
        if n - ddof < 1:
            raise ValueError(
                f"ddof must be smaller than the number of rows of X ({n}); got ddof={ddof}"
            )
        scale = np.sqrt(((X - mean) ** 2).sum(axis=0) / (n - ddof))
        constant = scale <= 1e-12 * np.maximum(1.0, np.abs(mean))
        if np.any(constant):
            warnings.warn(
                f"X has constant column(s) {np.flatnonzero(constant).tolist()}: their scale is "
                "set to 1, so they become all zeros after centering",
                RuntimeWarning,
                stacklevel=2,
            )
            scale = np.where(constant, 1.0, scale)
    else:
        scale = as_vector(scale, "scale", size=p)
        if np.any(scale <= 0):
            raise ValueError(f"scale must be > 0 in every column; got scale={scale}")
    return (X - mean) / scale, mean, scale


def unstandardize_coefficients(w, b, mean, scale):
    r"""Map a fit on standardized columns back to the original columns.

    If ``ŷ = b_z + Σ_j w_z,j·(x_j − mean_j)/scale_j`` then on the original scale

    .. math:: w_j = \frac{w_{z,j}}{\text{scale}_j}, \qquad
              b = b_z - \sum_j \text{mean}_j\, w_j

    and ``X @ w + b`` gives the same predictions as ``Z @ w_z + b_z``.

    Parameters
    ----------
    w : array_like, shape (p,)
        Weights fitted on ``Z``.
    b : float
        Intercept fitted on ``Z``.
    mean, scale : array_like, shape (p,)
        As returned by :func:`standardize`.

    Returns
    -------
    w : ndarray, shape (p,)
    b : float
    """
    w = as_vector(w, "w")
    p = w.shape[0]
    b = _check_real(b, "b")
    mean = as_vector(mean, "mean", size=p)
    scale = as_vector(scale, "scale", size=p)
    if np.any(scale <= 0):
        raise ValueError(f"scale must be > 0 in every column; got scale={scale}")
    w_orig = w / scale
    return w_orig, b - float(mean @ w_orig)


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
    intercept = _check_real(intercept, "intercept")
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
    intercept = _check_real(intercept, "intercept")
    rng = _rng(seed)
    X = _ar1_gaussian(rng, n_samples, n_features, rho)
    w_true = _sparse_weights(rng, n_features, n_informative)
    z = intercept + X @ w_true
    prob = 0.5 * (1.0 + np.tanh(0.5 * z))  # the logistic function, without overflow
    y = (rng.uniform(size=n_samples) < prob).astype(np.int64)
    return X, y, w_true


# ---------------------------------------------------------------------------
# real data
# ---------------------------------------------------------------------------

PROSTATE_FEATURES = ("lcavol", "lweight", "age", "lbph", "svi", "lcp", "gleason", "pgg45")


@dataclass(frozen=True)
class Prostate:
    """The prostate cancer data, split as in ESL.

    Attributes
    ----------
    X : ndarray, shape (97, 8)
        Predictors in the order of :data:`PROSTATE_FEATURES`.
    y : ndarray, shape (97,)
        Response ``lpsa`` (log prostate-specific antigen).
    train : ndarray of bool, shape (97,)
        ESL's training rows (67 True, 30 False).
    feature_names : tuple of str
    x_mean, x_scale : ndarray, shape (8,) or None
        Set when ``X`` was standardized: ``X = (X_raw − x_mean) / x_scale``.  Use
        :func:`unstandardize_coefficients` to express a fit in the raw units.
    """

    X: np.ndarray
    y: np.ndarray
    train: np.ndarray
    feature_names: tuple
    x_mean: np.ndarray | None = None
    x_scale: np.ndarray | None = None

    @property
    def X_train(self) -> np.ndarray:
        return self.X[self.train]

    @property
    def y_train(self) -> np.ndarray:
        return self.y[self.train]

    @property
    def X_test(self) -> np.ndarray:
        return self.X[~self.train]

    @property
    def y_test(self) -> np.ndarray:
        return self.y[~self.train]


def load_prostate(standardize_features=False) -> Prostate:
    r"""The prostate cancer data of Stamey et al. (1989), as used in ESL §3.4.

    97 men about to undergo radical prostatectomy; the response is ``lpsa`` (log
    prostate-specific antigen) and the 8 predictors are, in ESL's order, ``lcavol``
    (log cancer volume), ``lweight`` (log prostate weight), ``age``, ``lbph`` (log benign
    prostatic hyperplasia amount), ``svi`` (seminal vesicle invasion, 0/1), ``lcp`` (log
    capsular penetration), ``gleason`` (Gleason score) and ``pgg45`` (percent of Gleason
    scores 4 or 5).  The ``train`` mask is the book's split: 67 training and 30 test
    rows.  ESL Table 3.3 compares least squares, best subset, ridge, lasso, PCR and
    PLS fitted on the 67 training rows.

    ESL standardizes the predictors before fitting: over **all 97 rows**, with the
    **sample** standard deviation (``ddof=1``).  ``standardize_features=True`` does
    exactly that (and records ``x_mean``/``x_scale``); equivalently::

        data = load_prostate()
        Z, mean, scale = standardize(data.X, ddof=1)

    The response is left as it is; fit an (unpenalized) intercept.

    Parameters
    ----------
    standardize_features : bool
        Standardize the predictors as ESL does.

    Returns
    -------
    Prostate
        With ``X``, ``y``, ``train``, ``feature_names`` and the properties ``X_train``,
        ``y_train``, ``X_test``, ``y_test``.

    References
    ----------
    Stamey, T. A., Kabalin, J. N., McNeal, J. E., Johnstone, I. M., Freiha, F.,
    Redwine, E. A. and Yang, N. (1989). Prostate specific antigen in the diagnosis and
    treatment of adenocarcinoma of the prostate: II. Radical prostatectomy treated
    patients. *Journal of Urology* 141(5), 1076-1083.

    Hastie, T., Tibshirani, R. and Friedman, J. (2009). *The Elements of Statistical
    Learning*, 2nd ed., Springer, §3.4 and Table 3.3.  Data file from the book's
    website.
    """
    standardize_features = check_bool(standardize_features, "standardize_features")
    source = resources.files("course_lib").joinpath("datasets", "prostate.csv")
    with source.open("r", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    X = np.array([[float(row[name]) for name in PROSTATE_FEATURES] for row in rows])
    y = np.array([float(row["lpsa"]) for row in rows])
    flags = [row["train"].strip() for row in rows]
    if set(flags) - {"T", "F"}:
        raise ValueError(f"prostate.csv: column 'train' must hold T or F; got {sorted(set(flags))}")
    train = np.array([flag == "T" for flag in flags])
    mean = scale = None
    if standardize_features:
        X, mean, scale = standardize(X, ddof=1)
    return Prostate(X, y, train, PROSTATE_FEATURES, mean, scale)


def load_diabetes_data(scaled=False):
    r"""Scikit-learn's diabetes data (Efron et al. 2004, the LARS paper): 442 patients, 10 features.

    A thin wrapper on :func:`sklearn.datasets.load_diabetes`, which ships with
    scikit-learn (no download).  The features are age, sex, body mass index, blood
    pressure and six blood serum measurements; the response is disease progression one
    year after baseline.

    Parameters
    ----------
    scaled : bool
        False (default) returns the raw measurements; True returns scikit-learn's
        version with each column centered and scaled to unit Euclidean norm
        (not unit standard deviation: use :func:`standardize` for that).

    Returns
    -------
    X : ndarray, shape (442, 10)
    y : ndarray, shape (442,)
    """
    scaled = check_bool(scaled, "scaled")
    try:
        from sklearn.datasets import load_diabetes
    except ImportError as exc:  # scikit-learn is in requirements.txt, not a course_lib dependency
        raise ImportError("load_diabetes_data needs scikit-learn: pip install scikit-learn") from exc
    bunch = load_diabetes(scaled=scaled)
    return np.asarray(bunch.data, dtype=float), np.asarray(bunch.target, dtype=float)


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


def plane_features(X, degree) -> np.ndarray:
    """All monomials ``x1^i · x2^j`` with ``1 <= i + j <= degree`` of 2-D points, by total degree.

    For ``degree=2``: ``x1, x2, x1², x1·x2, x2²``.  Shape ``(n, degree·(degree+3)/2)``.
    """
    X = as_matrix(X, "X", n_columns=2)
    degree = check_positive_int(degree, "degree")
    cols = [X[:, 0] ** (d - j) * X[:, 1] ** j for d in range(1, degree + 1) for j in range(d + 1)]
    return np.column_stack(cols)

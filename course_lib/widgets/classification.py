"""Lesson 7: logistic regression with L1 or L2 on polynomial features of 2-D data."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import ipywidgets as widgets
import numpy as np

from .. import plots
from .._validation import as_data, as_labels, check_positive_float, check_positive_int, check_rate
from ..data import make_classification_2d, plane_features, standardize
from ..logistic import fit_logistic, predict_proba
from .rendering import new_figure
from .shared import LRUCache, power_label
from .wiring import CONTROL_STYLE, assemble, log_slider


def _plane_feature_names(degree):
    return tuple("·".join(filter(None, (power_label("x1", d - j), power_label("x2", j))))
                 for d in range(1, degree + 1) for j in range(d + 1))


@dataclass(frozen=True)
class ClassificationSetup:
    """2-D classification data, standardized polynomial features and the evaluation grid.

    ``Z = (plane_features(X, degree) − mean) / scale``; ``grid_Z`` the same for the
    ``resolution × resolution`` grid ``(xx, yy)``.  ``cache`` holds fits keyed by
    ``(penalty, rate)``, filled as the widget is used (warm starts come from it).
    """

    X: np.ndarray
    y: np.ndarray
    degree: int
    Z: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    xx: np.ndarray
    yy: np.ndarray
    grid_Z: np.ndarray
    feature_names: tuple
    rate_range: tuple
    cache: LRUCache = field(repr=False, compare=False)


@dataclass(frozen=True)
class ClassificationUpdate:
    """The penalized logistic fit at one rate: weights, probability on the grid, accuracy."""

    rate: float
    penalty: str
    coef: np.ndarray
    intercept: float
    proba: np.ndarray
    n_nonzero: int
    train_accuracy: float


def classification_setup(X=None, y=None, *, degree=3, kind="moons", n_samples=200, noise=0.25, seed=0,
                         resolution=80, margin=0.5, rate_range=(1e-4, 1.0)) -> ClassificationSetup:
    """Data, features and grid for :func:`classification_update`.

    Parameters
    ----------
    X, y : array_like, optional
        2-D points and labels in {0, 1}; default ``make_classification_2d(n_samples, kind, noise, seed)``.
    degree : int
        Total degree of the monomial features (:func:`plane_features`).
    resolution : int
        Grid points per axis for the probability image.
    rate_range : (float, float)
        Range of the rate slider.
    """
    if X is None or y is None:
        X, y = make_classification_2d(n_samples, kind, noise, seed)
    X, y = as_data(X, y)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 columns (points in the plane); got shape {X.shape}")
    y = as_labels(y)
    degree = check_positive_int(degree, "degree")
    Z, mean, scale = standardize(plane_features(X, degree))
    resolution = check_positive_int(resolution, "resolution", minimum=2)
    xx, yy = np.meshgrid(np.linspace(X[:, 0].min() - margin, X[:, 0].max() + margin, resolution),
                         np.linspace(X[:, 1].min() - margin, X[:, 1].max() + margin, resolution))
    grid_Z = standardize(plane_features(np.column_stack([xx.ravel(), yy.ravel()]), degree),
                         mean=mean, scale=scale)[0]
    lo, hi = (check_positive_float(v, "rate_range") for v in rate_range)
    return ClassificationSetup(X, y, degree, Z, mean, scale, xx, yy, grid_Z, _plane_feature_names(degree),
                               (lo, hi), LRUCache(256))


def classification_update(setup: ClassificationSetup, rate, penalty="l2") -> ClassificationUpdate:
    r"""Penalized logistic regression at ``rate`` on the standardized monomial features.

    Minimizes ``mean log-loss + penalty(w, rate)`` with :func:`course_lib.logistic.fit_logistic`
    (Newton for L2, proximal Newton for L1), warm-started from the cached fit at the nearest
    rate with the same penalty, then caches the result.  Returns the class-1 probability on
    the grid (shape ``setup.xx.shape``).
    """
    rate = check_rate(rate)
    if penalty not in ("l1", "l2"):
        raise ValueError(f"penalty must be 'l1' or 'l2'; got penalty={penalty!r}")
    key = (penalty, rate)
    fit = setup.cache.get(key)
    if fit is None:
        near = [k for k in setup.cache if k[0] == penalty]
        init = None
        if near and rate > 0:
            k = min(near, key=lambda k: abs(np.log(max(k[1], 1e-300)) - np.log(rate)))
            init = setup.cache[k]
        with warnings.catch_warnings():  # rate 0 on separable data: documented in fit_logistic
            warnings.simplefilter("ignore", RuntimeWarning)
            fit = setup.cache.put(key, fit_logistic(setup.Z, setup.y, rate, penalty, init=init))
    else:
        setup.cache.move_to_end(key)
    w, b = fit
    proba = predict_proba(setup.grid_Z, w, b).reshape(setup.xx.shape)
    accuracy = float(np.mean((setup.Z @ w + b > 0) == (setup.y == 1)))
    return ClassificationUpdate(rate, penalty, w, b, proba, int(np.count_nonzero(w)), accuracy)


class _ClassificationView:
    def __init__(self, setup: ClassificationSetup):
        self.figure, (self.ax, self.ax_bar) = new_figure(2, height=3.8)
        self.figure.get_layout_engine().set(wspace=0.08)  # keeps "P(class 1)" clear of "coefficient"
        self.setup = setup
        with plots.course_style():
            plots.plot_decision_boundary(setup.X, setup.y, (setup.xx, setup.yy, np.full(setup.xx.shape, 0.5)),
                                         ax=self.ax)
            plots.plot_coefficient_bars(np.zeros(len(setup.feature_names)), feature_names=setup.feature_names,
                                        coef_label="logistic", title="Coefficients", ax=self.ax_bar)
        self.bands = plots.find_artist(self.ax, "proba")
        self.boundary = plots.find_artist(self.ax, "boundary")
        self.points = [plots.find_artist(self.ax, f"class-{k}") for k in (0, 1)]
        self.bars = plots.find_artist(self.ax_bar, "coefs")
        # fixed limits (the weights are largest at the smallest rate), so an update need not redraw the axes
        weakest = [classification_update(setup, setup.rate_range[0], p).coef for p in ("l2", "l1")]
        limit = max(1.0, 1.1 * float(np.abs(weakest).max()))
        self.ax_bar.set_ylim(-limit, limit)

    def dynamic(self):
        return [self.bands, self.boundary, *self.points, self.ax.title, *self.bars, self.ax_bar.title]

    def draw(self, u: ClassificationUpdate):
        self.bands.remove()
        self.boundary.remove()
        self.bands, self.boundary = plots.draw_probability_map(self.ax, self.setup.xx, self.setup.yy, u.proba)
        self.ax.set_title(f"{u.penalty.upper()}, rate = {u.rate:.3g}: accuracy {u.train_accuracy:.0%}")
        for bar, h in zip(self.bars, u.coef):
            bar.set_height(h)
        self.ax_bar.set_title(f"{u.n_nonzero} of {u.coef.size} weights nonzero")


def classification_figure(setup: ClassificationSetup | None = None, rate=1e-2, penalty="l2"):
    """Static lesson-7 figure: probability, decision boundary and weights at ``rate``."""
    setup = classification_setup() if setup is None else setup
    view = _ClassificationView(setup)
    view.draw(classification_update(setup, rate, penalty))
    return view.figure


def classification_widget(setup: ClassificationSetup | None = None, rate=1e-2, penalty="l2"):
    """Rate (log slider) and penalty (L1/L2) -> decision boundary of the logistic fit."""
    setup = classification_setup() if setup is None else setup
    view = _ClassificationView(setup)
    controls = {
        "rate": log_slider("rate", rate, *setup.rate_range, continuous=False, step=0.1),
        "penalty": widgets.ToggleButtons(options=[("L2 (ridge)", "l2"), ("L1 (lasso)", "l1")], value=penalty,
                                         description="penalty", style=CONTROL_STYLE),
    }
    return assemble(view, controls, lambda rate, penalty: classification_update(setup, rate, penalty))

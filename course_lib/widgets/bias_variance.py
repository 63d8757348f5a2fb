"""Lesson 2: bias and variance — a polynomial fit as the degree and the sample size change."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import plots
from .._validation import check_positive_int
from ..data import make_polynomial_data, polynomial_features, true_curve
from ..plots.axes import marker_line
from ..trainers import fit_ridge
from .rendering import new_figure
from .shared import mse
from .wiring import CONTROL_STYLE, LIGHT_CONTINUOUS, assemble, control_layout


@dataclass(frozen=True)
class BiasVarianceSetup:
    """Fixed parts of the lesson-2 widget: noise, seed, a large test set and the plotting grid."""

    noise: float
    seed: int
    max_degree: int
    x_test: np.ndarray
    y_test: np.ndarray
    x_grid: np.ndarray
    y_truth: np.ndarray


@dataclass(frozen=True)
class BiasVarianceUpdate:
    """One polynomial least-squares fit, and the error of every degree on the same sample.

    ``train_errors[k]``/``test_errors[k]`` are for degree ``degrees[k]``; errors are
    mean squared errors ``mean((y − ŷ)²)``.  ``unique`` is False when
    ``degree >= n_samples`` (least squares has many solutions; the minimum-norm one is used).
    """

    degree: int
    n_samples: int
    x: np.ndarray
    y: np.ndarray
    y_fit: np.ndarray
    coef: np.ndarray
    intercept: float
    train_error: float
    test_error: float
    degrees: np.ndarray
    train_errors: np.ndarray
    test_errors: np.ndarray
    unique: bool


def bias_variance_setup(noise=0.3, seed=0, max_degree=15, n_test=500, n_grid=200) -> BiasVarianceSetup:
    """Test data and grid for :func:`bias_variance_update`.

    Parameters
    ----------
    noise : float
        Noise standard deviation of :func:`course_lib.data.make_polynomial_data`.
    seed : int
        Training samples use ``seed``; the test set uses ``default_rng([seed, 1])``.
    max_degree : int
        Largest degree on the error-curve axis.
    n_test, n_grid : int
        Size of the test set and of the plotting grid on [0, 1].
    """
    max_degree = check_positive_int(max_degree, "max_degree")
    x_test, y_test = make_polynomial_data(check_positive_int(n_test, "n_test"), noise,
                                          np.random.default_rng([check_positive_int(seed, "seed", minimum=0), 1]))
    x_grid = np.linspace(0.0, 1.0, check_positive_int(n_grid, "n_grid", minimum=2))
    return BiasVarianceSetup(float(noise), int(seed), max_degree, x_test, y_test, x_grid, true_curve(x_grid))


def _poly_fit_predict(x, y, degree, x_eval_list):
    """Least-squares polynomial of ``degree`` (powers of x mapped to [-1, 1]); predictions at each x_eval."""
    if degree == 0:
        return np.zeros(0), float(np.mean(y)), [np.full(len(xe), np.mean(y)) for xe in x_eval_list]
    with warnings.catch_warnings():  # degree >= n: the minimum-norm solution, flagged by `unique`
        warnings.simplefilter("ignore", RuntimeWarning)
        w, b = fit_ridge(polynomial_features(x, degree, x_range=(0.0, 1.0)), y, 0.0)
    return w, b, [polynomial_features(xe, degree, x_range=(0.0, 1.0)) @ w + b for xe in x_eval_list]


def bias_variance_update(setup: BiasVarianceSetup, degree, n_samples) -> BiasVarianceUpdate:
    r"""Least-squares polynomial fit of ``degree`` to ``n_samples`` noisy points of ``sin(2πx)``.

    The training sample is ``make_polynomial_data(n_samples, setup.noise, setup.seed)``;
    each fit minimizes ``1/(2n)·||y − Φw − b||²`` with ``Φ`` the powers of ``x`` mapped to
    [-1, 1] (:func:`course_lib.data.polynomial_features` with ``x_range=(0, 1)``).
    Also returns training and test error for every degree ``0 … setup.max_degree``.
    """
    degree = check_positive_int(degree, "degree", minimum=0)
    n_samples = check_positive_int(n_samples, "n_samples", minimum=2)
    x, y = make_polynomial_data(n_samples, setup.noise, setup.seed)
    degrees = np.arange(setup.max_degree + 1)
    train_errors, test_errors = np.empty(degrees.size), np.empty(degrees.size)
    for k in degrees:
        _, _, (p_train, p_test) = _poly_fit_predict(x, y, int(k), [x, setup.x_test])
        train_errors[k], test_errors[k] = mse(y, p_train), mse(setup.y_test, p_test)
    w, b, (p_train, p_test, y_fit) = _poly_fit_predict(x, y, degree, [x, setup.x_test, setup.x_grid])
    return BiasVarianceUpdate(
        degree, n_samples, x, y, y_fit, w, b, mse(y, p_train), mse(setup.y_test, p_test),
        degrees, train_errors, test_errors, degree < n_samples,
    )


class _BiasVarianceView:
    def __init__(self, setup: BiasVarianceSetup):
        self.figure, (self.ax_fit, self.ax_err) = new_figure(2, height=3.6)
        with plots.course_style():
            plots.plot_polynomial_fit([], [], setup.x_grid, setup.y_truth, setup.x_grid * 0,
                                      fit_label="least-squares fit", ylim=(-2.0, 2.0), ax=self.ax_fit)
            degrees = np.arange(setup.max_degree + 1)
            plots.plot_error_curves(degrees, np.ones(degrees.size), np.ones(degrees.size), xlabel="degree",
                                    log_y=True, mark_minimum=False, ax=self.ax_err)
            self.marker = marker_line(self.ax_err, 0, "chosen degree", "degree-marker")
            self.ax_err.legend(loc="upper center")
            self.ax_err.xaxis.set_major_locator(MaxNLocator(integer=True))  # degrees are whole numbers
            self.ylim = (1e-3 * max(setup.noise**2, 1e-2), 1e3 * max(setup.noise**2, 1e-2))
            self.ax_err.set_ylim(*self.ylim)
        self.data, self.fit = plots.find_artist(self.ax_fit, "data"), plots.find_artist(self.ax_fit, "fit")
        self.train, self.test = plots.find_artist(self.ax_err, "train"), plots.find_artist(self.ax_err, "test")

    def dynamic(self):
        return [self.data, self.fit, self.ax_fit.title, self.train, self.test, self.marker, self.ax_err.title]

    def draw(self, u: BiasVarianceUpdate):
        self.data.set_data(u.x, u.y)
        self.fit.set_ydata(u.y_fit)
        self.ax_fit.set_title(f"degree {u.degree}, n = {u.n_samples}" + ("" if u.unique else " (not unique)"))
        # fixed limits, so that moving a slider never forces a full redraw; an interpolating
        # fit's zero training error is drawn on the bottom edge (a log axis has no 0)
        self.train.set_ydata(np.maximum(u.train_errors, self.ylim[0]))
        self.test.set_ydata(np.maximum(u.test_errors, self.ylim[0]))
        self.marker.set_xdata([u.degree, u.degree])
        self.ax_err.set_title(f"train {u.train_error:.3g}, test {u.test_error:.3g}")


def bias_variance_figure(setup: BiasVarianceSetup | None = None, degree=3, n_samples=20):
    """Static lesson-2 figure: the fit of ``degree`` and the error curves over degrees."""
    setup = bias_variance_setup() if setup is None else setup
    view = _BiasVarianceView(setup)
    view.draw(bias_variance_update(setup, degree, n_samples))
    return view.figure


def bias_variance_widget(setup: BiasVarianceSetup | None = None, degree=3, n_samples=20, max_samples=200):
    """Degree and sample-size sliders -> polynomial fit and training/test error curves."""
    setup = bias_variance_setup() if setup is None else setup
    view = _BiasVarianceView(setup)
    controls = {
        "degree": widgets.IntSlider(value=degree, min=0, max=setup.max_degree, description="degree",
                                    continuous_update=LIGHT_CONTINUOUS, layout=control_layout(), style=CONTROL_STYLE),
        "n_samples": widgets.IntSlider(value=n_samples, min=5, max=max_samples, step=1,
                                       description="sample size n", continuous_update=False,
                                       layout=control_layout(), style=CONTROL_STYLE),
    }
    return assemble(view, controls, lambda **v: bias_variance_update(setup, **v))

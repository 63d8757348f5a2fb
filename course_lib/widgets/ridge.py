"""Lessons 3 and 6: ridge on an overfit polynomial — the fit, its shrinking coefficients, the
ridge trace, and (lesson 6) the rate chosen on validation error.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .. import plots
from .._validation import as_vector, check_positive_int, check_rate
from ..data import make_polynomial_data, polynomial_features, standardize, true_curve
from ..plots.axes import marker_line
from ..trainers import fit_ridge, ridge_effective_dof, ridge_path
from .rendering import new_figure
from .shared import mse, power_label
from .wiring import assemble, log_slider


@dataclass(frozen=True)
class RidgeSetup:
    """Polynomial ridge problem with a held-out set and the precomputed ridge trace.

    ``Z`` are the standardized polynomial features of the training ``x`` (columns
    ``t, t², …`` with ``t`` on [-1, 1]); ``Z_holdout``/``Z_grid`` use the training
    mean and scale.  ``path_*`` is :func:`course_lib.trainers.ridge_path` over
    ``rates``; ``train_errors``/``holdout_errors`` the mean squared errors along it;
    ``ls_coef``/``ls_intercept`` the least-squares (rate 0) fit.
    """

    degree: int
    x: np.ndarray
    y: np.ndarray
    x_holdout: np.ndarray
    y_holdout: np.ndarray
    holdout_label: str
    x_grid: np.ndarray
    y_truth: np.ndarray
    Z: np.ndarray
    Z_holdout: np.ndarray
    Z_grid: np.ndarray
    rates: np.ndarray
    path_coefs: np.ndarray
    path_intercepts: np.ndarray
    train_errors: np.ndarray
    holdout_errors: np.ndarray
    ls_coef: np.ndarray
    ls_intercept: float
    feature_names: tuple


@dataclass(frozen=True)
class RidgeUpdate:
    """The ridge fit at one rate: coefficients, curve on the grid, errors, effective dof."""

    rate: float
    coef: np.ndarray
    intercept: float
    y_fit: np.ndarray
    train_error: float
    holdout_error: float
    effective_dof: float


def ridge_setup(x=None, y=None, *, degree=9, n_samples=15, noise=0.3, seed=0, n_holdout=200,
                holdout_label="test", rates=None, n_grid=200) -> RidgeSetup:
    """Data, features and ridge trace for :func:`ridge_update`.

    Parameters
    ----------
    x, y : array_like, shape (n,), optional
        Training data on [0, 1]; default ``make_polynomial_data(n_samples, noise, seed)``.
    degree : int
        Polynomial degree (high, so that least squares overfits).
    n_holdout : int
        Size of the held-out set, drawn with ``default_rng([seed, 1])``.
    holdout_label : str
        What the held-out set is called in figures ("test" or "validation").
    rates : array_like, optional
        Rates of the precomputed trace; default 200 log-spaced from 1e-6 to 10.
    """
    degree = check_positive_int(degree, "degree")
    seed = check_positive_int(seed, "seed", minimum=0)
    if x is None or y is None:
        x, y = make_polynomial_data(check_positive_int(n_samples, "n_samples", minimum=2), noise, seed)
    else:
        x = as_vector(x, "x")
        y = as_vector(y, "y", size=x.shape[0])
    x_holdout, y_holdout = make_polynomial_data(check_positive_int(n_holdout, "n_holdout"), noise,
                                                np.random.default_rng([seed, 1]))
    x_grid = np.linspace(0.0, 1.0, n_grid)
    Z, mean, scale = standardize(polynomial_features(x, degree, x_range=(0.0, 1.0)))
    feats = lambda v: standardize(polynomial_features(v, degree, x_range=(0.0, 1.0)), mean=mean, scale=scale)[0]  # noqa: E731
    Z_holdout, Z_grid = feats(x_holdout), feats(x_grid)
    rates = np.geomspace(1e-6, 10.0, 200) if rates is None else as_vector(rates, "rates")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # rate 0 with degree >= n: minimum norm
        _, coefs, intercepts = ridge_path(Z, y, rates)
        ls_coef, ls_intercept = fit_ridge(Z, y, 0.0)
    train_errors = np.mean((y[None, :] - coefs @ Z.T - intercepts[:, None]) ** 2, axis=1)
    holdout_errors = np.mean((y_holdout[None, :] - coefs @ Z_holdout.T - intercepts[:, None]) ** 2, axis=1)
    names = tuple(power_label("t", k) for k in range(1, degree + 1))  # the features are powers of t = 2x − 1
    return RidgeSetup(degree, x, y, x_holdout, y_holdout, str(holdout_label), x_grid, true_curve(x_grid),
                      Z, Z_holdout, Z_grid, rates, coefs, intercepts, train_errors, holdout_errors,
                      ls_coef, float(ls_intercept), names)


def ridge_update(setup: RidgeSetup, rate) -> RidgeUpdate:
    r"""The ridge fit at ``rate`` (exact: :func:`course_lib.trainers.fit_ridge`, ~0.1 ms here).

    Minimizes ``1/(2n)·||y − Zw − b||² + rate/2·||w||²`` on the standardized polynomial
    features ``setup.Z``.
    """
    rate = check_rate(rate)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        w, b = fit_ridge(setup.Z, setup.y, rate)
    return RidgeUpdate(
        rate, w, b, setup.Z_grid @ w + b, mse(setup.y, setup.Z @ w + b),
        mse(setup.y_holdout, setup.Z_holdout @ w + b), ridge_effective_dof(setup.Z, rate),
    )


class _RidgeView:
    def __init__(self, setup: RidgeSetup):
        self.figure, (self.ax_fit, self.ax_bar, self.ax_path) = new_figure(3, height=3.6)
        ls_curve = setup.Z_grid @ setup.ls_coef + setup.ls_intercept
        limit = 1.2 * max(np.abs(setup.ls_coef).max(), np.abs(setup.path_coefs).max())
        with plots.course_style():
            plots.plot_polynomial_fit(setup.x, setup.y, setup.x_grid, setup.y_truth,
                                      {"ridge fit": ls_curve, "least squares (rate 0)": ls_curve},
                                      ylim=(-2.0, 2.0), ax=self.ax_fit)
            plots.plot_coefficient_bars(setup.ls_coef, {"least squares": setup.ls_coef},
                                        feature_names=setup.feature_names, coef_label="ridge",
                                        ax=self.ax_bar)
            self.ax_bar.set_yscale("symlog", linthresh=1.0)
            self.ax_bar.set_ylim(-limit, limit)
            self.ax_path.set_yscale("symlog", linthresh=1.0)  # before plot_path, which spreads the line names on it
            plots.plot_path(setup.rates, setup.path_coefs, feature_names=setup.feature_names,
                            marker_rate=float(np.median(setup.rates)), title="Ridge trace", ax=self.ax_path)
            marker = plots.find_artist(self.ax_path, "rate-marker")
            marker.set_label("chosen rate")
            self.ax_path.legend(handles=[marker], loc="upper right")  # the lines carry their names
        self.fit = plots.find_artist(self.ax_fit, "fit")
        self.bars = plots.find_artist(self.ax_bar, "coefs")
        self.vline = plots.find_artist(self.ax_path, "rate-marker")
        self.dots = plots.find_artist(self.ax_path, "rate-dots")

    def dynamic(self):
        return [self.fit, self.ax_fit.title, *self.bars, self.ax_bar.title, self.vline, self.dots]

    def draw(self, u: RidgeUpdate):
        self.fit.set_ydata(u.y_fit)
        self.ax_fit.set_title(f"rate = {u.rate:.3g}: effective dof {u.effective_dof:.1f}")
        for bar, h in zip(self.bars, u.coef):
            bar.set_height(h)
        self.ax_bar.set_title(f"Coefficients (‖w‖ = {np.linalg.norm(u.coef):.3g})")
        self.vline.set_xdata([u.rate, u.rate])
        self.dots.set_offsets(np.column_stack([np.full(u.coef.size, max(u.rate, 1e-300)), u.coef]))


def ridge_figure(setup: RidgeSetup | None = None, rate=1e-3):
    """Static lesson-3 figure: ridge fit vs least squares, coefficient bars, ridge trace."""
    setup = ridge_setup() if setup is None else setup
    view = _RidgeView(setup)
    view.draw(ridge_update(setup, rate))
    return view.figure


def ridge_widget(setup: RidgeSetup | None = None, rate=1e-3):
    """Rate slider (log scale) -> ridge fit, shrinking coefficient bars, marker on the trace."""
    setup = ridge_setup() if setup is None else setup
    view = _RidgeView(setup)
    controls = {"rate": log_slider("rate", rate, setup.rates.min(), setup.rates.max())}
    return assemble(view, controls, lambda rate: ridge_update(setup, rate))


def rate_choice_setup(x=None, y=None, *, degree=9, n_samples=30, noise=0.3, seed=0, n_validation=30,
                      rates=None) -> RidgeSetup:
    """Lesson-6 data: :func:`ridge_setup` with a validation set of ``n_validation`` points."""
    return ridge_setup(x, y, degree=degree, n_samples=n_samples, noise=noise, seed=seed,
                       n_holdout=n_validation, holdout_label="validation", rates=rates)


class _RateChoiceView:
    def __init__(self, setup: RidgeSetup):
        self.label = setup.holdout_label
        self.figure, (self.ax_fit, self.ax_err) = new_figure(2, height=3.6)
        with plots.course_style():
            plots.plot_polynomial_fit(setup.x, setup.y, setup.x_grid, setup.y_truth, setup.x_grid * 0,
                                      fit_label="ridge fit", ylim=(-2.0, 2.0), ax=self.ax_fit)
            self.ax_fit.plot(setup.x_holdout, setup.y_holdout, linestyle="none", marker="^", markersize=5,
                             markerfacecolor="none", color=plots.OKABE_ITO["vermillion"],
                             label=f"{setup.holdout_label} data", gid="holdout")
            self.ax_fit.legend(loc="lower left")
            plots.plot_error_curves(setup.rates, setup.train_errors, setup.holdout_errors,
                                    xlabel="rate (log scale)", test_label=setup.holdout_label, log_x=True,
                                    log_y=True, title=f"Training and {setup.holdout_label} error",
                                    ax=self.ax_err)
            self.vline = marker_line(self.ax_err, setup.rates[0], "chosen rate", "rate-marker")
            s0, s1 = plots.series_style(0), plots.series_style(1)
            (self.train_dot,) = self.ax_err.plot([], [], marker="o", markersize=9, color=s0["color"],
                                                 markeredgecolor="k", linestyle="none", gid="train-dot")
            (self.test_dot,) = self.ax_err.plot([], [], marker="s", markersize=9, color=s1["color"],
                                                markeredgecolor="k", linestyle="none", gid="holdout-dot")
            self.ax_err.legend(loc="upper center")
        self.fit = plots.find_artist(self.ax_fit, "fit")

    def dynamic(self):
        return [self.fit, self.ax_fit.title, self.vline, self.train_dot, self.test_dot, self.ax_err.title]

    def draw(self, u: RidgeUpdate):
        self.fit.set_ydata(u.y_fit)
        self.ax_fit.set_title(f"rate = {u.rate:.3g}")
        self.vline.set_xdata([u.rate, u.rate])
        self.train_dot.set_data([u.rate], [u.train_error])
        self.test_dot.set_data([u.rate], [u.holdout_error])
        self.ax_err.set_title(f"train {u.train_error:.3g}, {self.label} {u.holdout_error:.3g}")


def rate_choice_figure(setup: RidgeSetup | None = None, rate=1e-3):
    """Static lesson-6 figure: the fit at ``rate`` and its place on the error curves."""
    setup = rate_choice_setup() if setup is None else setup
    view = _RateChoiceView(setup)
    view.draw(ridge_update(setup, rate))
    return view.figure


def rate_choice_widget(setup: RidgeSetup | None = None, rate=1e-3):
    """Rate slider -> marker moving along precomputed training/validation error curves, and the fit."""
    setup = rate_choice_setup() if setup is None else setup
    view = _RateChoiceView(setup)
    controls = {"rate": log_slider("rate", rate, setup.rates.min(), setup.rates.max())}
    return assemble(view, controls, lambda rate: ridge_update(setup, rate))

"""Lesson 4: the lasso path, exactly piecewise linear — coefficients reaching zero one by one."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import plots
from .._validation import as_data, as_vector, check_positive_int, check_rate
from ..data import make_sparse_regression
from ..trainers import fit_lasso, lasso_path, lasso_path_knots
from .rendering import new_figure
from .wiring import assemble, log_slider


@dataclass(frozen=True)
class LassoSetup:
    """Lasso problem with its exact path.

    ``knot_rates`` (descending, ending at 0 unless the path is degenerate) and
    ``knot_coefs`` come from :func:`course_lib.trainers.lasso_path_knots`; between
    knots the coefficients are linear in the rate.  ``rates``/``path_coefs`` sample
    the path on a log grid for drawing.
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple
    w_true: np.ndarray | None
    x_mean: np.ndarray
    y_mean: float
    knot_rates: np.ndarray
    knot_coefs: np.ndarray
    rates: np.ndarray
    path_coefs: np.ndarray


@dataclass(frozen=True)
class LassoUpdate:
    """The lasso fit at one rate; ``active`` are the indices of the nonzero coefficients."""

    rate: float
    coef: np.ndarray
    intercept: float
    active: np.ndarray
    n_nonzero: int


def lasso_setup(X=None, y=None, *, feature_names=None, w_true=None, n_samples=60, n_features=8,
                n_informative=3, correlation=0.5, noise=1.0, seed=0, n_rates=200) -> LassoSetup:
    """Data and the exact lasso path for :func:`lasso_update`.

    Parameters
    ----------
    X, y : array_like, optional
        Data (standardize the columns first so that the penalty treats them alike);
        default ``make_sparse_regression(n_samples, n_features, n_informative,
        correlation, noise, seed)``, whose features already have variance 1.
    feature_names : sequence of str, optional
    w_true : array_like, optional
        True weights, drawn next to the lasso's (default: those of the generated data).
    n_rates : int
        Points of the log grid on which the path is drawn.
    """
    if X is None or y is None:
        X, y, w_true = make_sparse_regression(n_samples, n_features, n_informative, correlation, noise, seed)
    X, y = as_data(X, y)
    p = X.shape[1]
    names = tuple(feature_names) if feature_names is not None else tuple(f"x{j + 1}" for j in range(p))
    if len(names) != p:
        raise ValueError(f"feature_names must have {p} entries (one per column of X); got {len(names)}")
    w_true = None if w_true is None else as_vector(w_true, "w_true", size=p)
    knot_rates, knot_coefs = lasso_path_knots(X, y)
    top = knot_rates[0] if knot_rates[0] > 0 else 1.0
    rates = np.geomspace(1.5 * top, 1e-3 * top, check_positive_int(n_rates, "n_rates", minimum=2))
    _, path_coefs, _ = lasso_path(X, y, rates)
    return LassoSetup(X, y, names, w_true, X.mean(axis=0), float(y.mean()), knot_rates, knot_coefs,
                      rates, path_coefs)


def lasso_update(setup: LassoSetup, rate) -> LassoUpdate:
    r"""The lasso fit at ``rate`` by linear interpolation between the path's knots (exact).

    Solves ``1/(2n)·||y − Xw − b||² + rate·||w||₁``: between consecutive knots
    ``r_k > rate >= r_{k+1}`` the solution is ``w = (1 − t)·w_k + t·w_{k+1}`` with
    ``t = (r_k − rate)/(r_k − r_{k+1})``; above the first knot ``w = 0``.  Below the
    last knot of a degenerate path it falls back to :func:`course_lib.trainers.fit_lasso`.
    The intercept is ``b = ȳ − x̄ᵀw``.
    """
    rate = check_rate(rate)
    r, C = setup.knot_rates, setup.knot_coefs
    if rate >= r[0]:
        w = np.zeros(C.shape[1])
    elif rate < r[-1]:
        w = np.asarray(fit_lasso(setup.X, setup.y, rate, w0=C[-1])[0])
    else:
        k = int(np.searchsorted(-r, -rate, side="right"))  # knots with r >= rate: r[0..k-1]
        if k >= r.size:  # rate equals the last knot
            w = C[-1].copy()
        else:
            t = (r[k - 1] - rate) / (r[k - 1] - r[k])
            w = (1.0 - t) * C[k - 1] + t * C[k]
    active = np.flatnonzero(w)
    return LassoUpdate(rate, w, setup.y_mean - float(setup.x_mean @ w), active, int(active.size))


class _LassoView:
    def __init__(self, setup: LassoSetup):
        self.figure, (self.ax_bar, self.ax_path) = new_figure(2, height=3.6)
        compare = {"true weights": setup.w_true} if setup.w_true is not None else None
        limit = 1.15 * max(np.abs(setup.knot_coefs).max(),
                           0.0 if setup.w_true is None else np.abs(setup.w_true).max())
        with plots.course_style():
            plots.plot_coefficient_bars(np.zeros(len(setup.feature_names)), compare,
                                        feature_names=setup.feature_names, coef_label="lasso",
                                        ylim=(-limit, limit), ax=self.ax_bar)
            plots.plot_path(setup.rates, setup.path_coefs, feature_names=setup.feature_names,
                            marker_rate=float(setup.rates[0]), knots=setup.knot_rates, title="Lasso path",
                            ax=self.ax_path)
            marker = plots.find_artist(self.ax_path, "rate-marker")
            marker.set_label("chosen rate")
            self.ax_path.legend(handles=[marker], loc="lower right")  # the lines carry their names
        self.bars = plots.find_artist(self.ax_bar, "coefs")
        self.vline = plots.find_artist(self.ax_path, "rate-marker")
        self.dots = plots.find_artist(self.ax_path, "rate-dots")
        self.p = len(setup.feature_names)

    def dynamic(self):
        return [*self.bars, self.ax_bar.title, self.vline, self.dots]

    def draw(self, u: LassoUpdate):
        for bar, h in zip(self.bars, u.coef):
            bar.set_height(h)
        self.ax_bar.set_title(f"rate = {u.rate:.3g}: {u.n_nonzero} of {self.p} coefficients nonzero")
        self.vline.set_xdata([u.rate, u.rate])
        self.dots.set_offsets(np.column_stack([np.full(self.p, max(u.rate, 1e-300)), u.coef]))


def lasso_figure(setup: LassoSetup | None = None, rate=None):
    """Static lesson-4 figure: coefficient bars at ``rate`` (default a third of the max rate) and the path."""
    setup = lasso_setup() if setup is None else setup
    rate = setup.knot_rates[0] / 3.0 if rate is None else rate
    view = _LassoView(setup)
    view.draw(lasso_update(setup, rate))
    return view.figure


def lasso_widget(setup: LassoSetup | None = None, rate=None):
    """Rate slider -> lasso coefficients hitting zero one by one, and a marker on the exact path."""
    setup = lasso_setup() if setup is None else setup
    rate = setup.knot_rates[0] / 3.0 if rate is None else rate
    view = _LassoView(setup)
    controls = {"rate": log_slider("rate", rate, setup.rates.min(), setup.rates.max(), step=0.02)}
    return assemble(view, controls, lambda rate: lasso_update(setup, rate))

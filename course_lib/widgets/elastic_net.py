"""Lesson 9: the elastic net, between ridge and the lasso."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import ipywidgets as widgets
import numpy as np

from .. import plots
from .._validation import as_data, as_vector, check_fraction, check_positive_int, check_rate
from ..data import make_correlated_pair, standardize
from ..plots.axes import finish_axes, marker_line
from ..trainers import fit_elastic_net, fit_ridge, lasso_max_rate
from .rendering import new_figure
from .shared import LRUCache
from .wiring import CONTROL_STYLE, LIGHT_CONTINUOUS, assemble, control_layout, log_slider


@dataclass(frozen=True)
class ElasticNetSetup:
    """Standardized data with a correlated pair, and the ``l1_ratio`` grid of the profile panel.

    ``cache`` maps a rate to the elastic-net coefficients at every entry of ``l1_ratios``
    (shape ``(len(l1_ratios), p)``), computed on first use of that rate.
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple
    w_true: np.ndarray | None
    l1_ratios: np.ndarray
    rate_range: tuple
    coef_limit: float
    cache: LRUCache = field(repr=False, compare=False)


@dataclass(frozen=True)
class ElasticNetUpdate:
    """The elastic net at one ``(rate, l1_ratio)``, and the coefficients across ``l1_ratios`` at that rate."""

    rate: float
    l1_ratio: float
    coef: np.ndarray
    intercept: float
    n_nonzero: int
    l1_ratios: np.ndarray
    profile: np.ndarray


def elastic_net_setup(X=None, y=None, *, feature_names=None, w_true=None, n_samples=60, correlation=0.95,
                      noise=1.0, n_noise_features=4, seed=3, n_l1_ratios=21) -> ElasticNetSetup:
    """Data for :func:`elastic_net_update`.

    Parameters
    ----------
    X, y : array_like, optional
        Data (standardize the columns first); default: :func:`course_lib.data.make_correlated_pair`
        ``(n_samples, correlation, noise, n_noise_features, seed)`` standardized — two twins
        ``x1``, ``x2`` that both drive ``y`` and irrelevant features ``x3, …``.  With the default
        seed the lasso keeps only one twin over the whole path.
    feature_names : sequence of str, optional
    w_true : array_like, optional
        True weights drawn next to the fit (default: those of the generated data).
    n_l1_ratios : int
        Points of the ``l1_ratio`` grid, from 0 (ridge) to 1 (lasso).
    """
    if X is None or y is None:
        X, y, w_true = make_correlated_pair(n_samples, correlation, noise, n_noise_features, seed)
        X, _, scale = standardize(X)
        w_true = w_true * scale  # the same linear function on the standardized columns
    X, y = as_data(X, y)
    p = X.shape[1]
    names = tuple(feature_names) if feature_names is not None else tuple(f"x{j + 1}" for j in range(p))
    if len(names) != p:
        raise ValueError(f"feature_names must have {p} entries (one per column of X); got {len(names)}")
    w_true = None if w_true is None else as_vector(w_true, "w_true", size=p)
    l1_ratios = np.linspace(0.0, 1.0, check_positive_int(n_l1_ratios, "n_l1_ratios", minimum=2))
    top = lasso_max_rate(X, y)
    top = top if top > 0 else 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # rate 0 with p >= n: minimum norm
        ls = fit_ridge(X, y, 0.0).w
    limit = 1.15 * max(float(np.abs(ls).max()), 0.0 if w_true is None else float(np.abs(w_true).max()), 1e-3)
    return ElasticNetSetup(X, y, names, w_true, l1_ratios, (1e-3 * top, 3.0 * top), limit, LRUCache(64))


def elastic_net_update(setup: ElasticNetSetup, rate, l1_ratio) -> ElasticNetUpdate:
    r"""The elastic net at ``(rate, l1_ratio)`` and its profile over ``setup.l1_ratios``.

    Each fit minimizes ``1/(2n)·||y − Xw − b||² + rate·(ρ·||w||₁ + (1 − ρ)/2·||w||²)`` with
    :func:`course_lib.trainers.fit_elastic_net` (``ρ = l1_ratio``).  The profile (one fit per
    grid ``l1_ratio``, warm-started along the grid) is cached per rate.
    """
    rate = check_rate(rate)
    l1_ratio = check_fraction(l1_ratio, "l1_ratio")
    profile = setup.cache.get(rate)
    if profile is None:
        rows, start = [], None
        for rho in setup.l1_ratios:
            start = fit_elastic_net(setup.X, setup.y, rate, float(rho), w0=start).w
            rows.append(start)
        profile = setup.cache.put(rate, np.array(rows))
    else:
        setup.cache.move_to_end(rate)
    w, b = fit_elastic_net(setup.X, setup.y, rate, l1_ratio)
    return ElasticNetUpdate(rate, l1_ratio, w, b, int(np.count_nonzero(w)), setup.l1_ratios, profile)


class _ElasticNetView:
    def __init__(self, setup: ElasticNetSetup):
        self.figure, (self.ax_ball, self.ax_bar, self.ax_prof) = new_figure(3, height=3.8)
        p = len(setup.feature_names)
        compare = {"true weights": setup.w_true} if setup.w_true is not None else None
        grey = {"color": "0.55", "linewidth": 1.0}
        with plots.course_style():
            circle, diamond = plots.l2_ball_points(1.0), plots.l1_ball_points(1.0)
            self.ax_ball.plot(circle[:, 0], circle[:, 1], linestyle="--", label="L2 (l1_ratio = 0)", **grey)
            self.ax_ball.plot(*np.vstack([diamond, diamond[:1]]).T, linestyle=":", label="L1 (l1_ratio = 1)", **grey)
            (self.ball,) = self.ax_ball.plot([], [], color=plots.PALETTE[0], linewidth=2.2, label="elastic net",
                                            gid="enet-ball")
            self.ax_ball.set_aspect("equal")
            self.ax_ball.set(xlim=(-1.35, 1.35), ylim=(-1.35, 1.35))
            finish_axes(self.ax_ball, "w1", "w2", "Penalty level set")
            self.ax_ball.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2))  # below: the curves fill the square
            plots.plot_coefficient_bars(np.zeros(p), compare, feature_names=setup.feature_names,
                                        coef_label="elastic net", ylim=(-setup.coef_limit, setup.coef_limit),
                                        ax=self.ax_bar)
            self.lines = []
            for j in range(p):
                s = plots.series_style(j)
                (line,) = self.ax_prof.plot(setup.l1_ratios, np.zeros_like(setup.l1_ratios), color=s["color"],
                                            linestyle=s["linestyle"], label=setup.feature_names[j], gid=f"profile-{j}")
                self.lines.append(line)
            self.ax_prof.axhline(0.0, color=plots.OKABE_ITO["black"], linewidth=0.8)
            self.marker = marker_line(self.ax_prof, 0.5, "this l1_ratio", "l1-ratio-marker")
            self.dots = self.ax_prof.scatter(np.zeros(p), np.zeros(p), color=[plots.series_style(j)["color"] for j in range(p)],
                                             edgecolor=plots.OKABE_ITO["black"], zorder=3, s=25, gid="l1-ratio-dots")
            self.ax_prof.set(xlim=(-0.02, 1.02), ylim=(-setup.coef_limit, setup.coef_limit))
            finish_axes(self.ax_prof, "l1_ratio (0 = ridge, 1 = lasso)", "coefficient", "Coefficients at this rate")
            self.ax_prof.legend(loc="lower left", ncols=2)
        self.bars = plots.find_artist(self.ax_bar, "coefs")
        self.p = p

    def dynamic(self):
        return [self.ball, self.ax_ball.title, *self.bars, self.ax_bar.title, *self.lines, self.marker, self.dots,
                self.ax_prof.title]

    def draw(self, u: ElasticNetUpdate):
        ball = plots.elastic_net_ball_points(1.0, u.l1_ratio)
        self.ball.set_data(ball[:, 0], ball[:, 1])
        self.ax_ball.set_title(f"Level set, l1_ratio = {u.l1_ratio:.2f}", fontsize=10)
        for bar, h in zip(self.bars, u.coef):
            bar.set_height(h)
        self.ax_bar.set_title(f"rate = {u.rate:.3g}: {u.n_nonzero} of {self.p} nonzero", fontsize=10)
        for j, line in enumerate(self.lines):
            line.set_ydata(u.profile[:, j])
        self.marker.set_xdata([u.l1_ratio, u.l1_ratio])
        self.dots.set_offsets(np.column_stack([np.full(self.p, u.l1_ratio), u.coef]))
        self.ax_prof.set_title(f"Coefficients at rate = {u.rate:.3g}", fontsize=10)


def elastic_net_figure(setup: ElasticNetSetup | None = None, rate=None, l1_ratio=0.5):
    """Static lesson-9 figure: penalty level set, coefficients, and coefficients against l1_ratio.

    ``rate`` defaults to a third of :func:`course_lib.trainers.lasso_max_rate` of the data.
    """
    setup = elastic_net_setup() if setup is None else setup
    rate = setup.rate_range[1] / 9.0 if rate is None else rate
    view = _ElasticNetView(setup)
    view.draw(elastic_net_update(setup, rate, l1_ratio))
    return view.figure


def elastic_net_widget(setup: ElasticNetSetup | None = None, rate=None, l1_ratio=0.5):
    """``l1_ratio`` slider (ridge ... lasso) and rate slider -> level set, coefficients and their profile."""
    setup = elastic_net_setup() if setup is None else setup
    rate = setup.rate_range[1] / 9.0 if rate is None else rate
    view = _ElasticNetView(setup)
    controls = {
        "l1_ratio": widgets.FloatSlider(value=float(l1_ratio), min=0.0, max=1.0, step=0.05, description="l1_ratio",
                                        readout_format=".2f", continuous_update=LIGHT_CONTINUOUS, layout=control_layout(),
                                        style=CONTROL_STYLE),
        "rate": log_slider("rate", rate, *setup.rate_range),
    }
    return assemble(view, controls, lambda l1_ratio, rate: elastic_net_update(setup, rate, l1_ratio))

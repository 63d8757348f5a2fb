"""Lesson 12: L1 against L2 on a network's first layer, over a grid of rates.

For each rate of the grid a network is trained with L2 and one with L1 (SGD, whose L1 step is the
proximal one), once, in :func:`l1_network_setup` (two vectorized :func:`course_lib.mlp.train_mlps`
runs).  The widget shows the first-layer weights as histograms, with the count of exact zeros, and
how much each input is still used.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from .. import plots
from .._validation import as_data, as_labels, check_positive_float, check_positive_int, check_rate
from ..data import make_wide_classification
from ..mlp import train_mlps
from .rendering import new_figure
from .wiring import CONTROL_STYLE, assemble, control_layout

#: The rates of lesson 12's L1 widget.
LESSON12_RATES = (0.001, 0.002, 0.004, 0.008, 0.016, 0.032)


@dataclass(frozen=True)
class L1NetworkSetup:
    """First-layer weights of the L2 and the L1 network for every rate of the grid."""

    rates: tuple
    feature_names: tuple
    W1_l2: np.ndarray  # (len(rates), inputs, hidden)
    W1_l1: np.ndarray
    edges: np.ndarray
    top: float
    usage_top: float


@dataclass(frozen=True)
class L1NetworkUpdate:
    """One rate: both first layers, and the counts the titles report."""

    rate: float
    W1_l2: np.ndarray
    W1_l1: np.ndarray
    zeros_l2: int
    zeros_l1: int
    unused_inputs: tuple


def l1_network_setup(X=None, y=None, *, feature_names=None, hidden=(16,), rates=LESSON12_RATES, epochs=2000,
                     lr=0.5, seed=0, bins=41) -> L1NetworkSetup:
    """Train an L2 and an L1 network (SGD, full batch) for each rate; keep their first layers.

    Parameters
    ----------
    X, y : array_like, optional
        Default lesson 12's data: 300 rows of 10 inputs, the labels depending on inputs 0-2 only
        (:func:`course_lib.data.make_wide_classification`, seed 5).
    feature_names : sequence of str, optional
    hidden, epochs, lr, seed
        Passed to :func:`course_lib.mlp.train_mlps` with ``optimizer="sgd"``.
    rates : sequence of float
        The grid the slider offers, each ``> 0``.
    bins : int
        Histogram bins (symmetric about 0, the same for every rate).
    """
    if X is None or y is None:
        X, y, _ = make_wide_classification(300, n_features=10, n_informative=3, seed=5)
    X, y = as_data(X, y)
    y = as_labels(y)
    names = tuple(f"x{j}" for j in range(X.shape[1])) if feature_names is None else tuple(feature_names)
    if len(names) != X.shape[1]:
        raise ValueError(f"feature_names must name the {X.shape[1]} inputs; got {len(names)} names")
    rates = tuple(sorted(check_rate(r, "rates") for r in rates))
    epochs, lr = check_positive_int(epochs, "epochs"), check_positive_float(lr, "lr")
    common = dict(optimizer="sgd", lr=lr, epochs=epochs, seed=seed, rates=rates)
    W1_l2 = np.array([fit.params[0]["W"] for fit in train_mlps(X, y, hidden, penalty="l2", **common)])
    W1_l1 = np.array([fit.params[0]["W"] for fit in train_mlps(X, y, hidden, penalty="l1", **common)])
    half = 1.05 * max(float(np.max(np.abs(W1_l2))), float(np.max(np.abs(W1_l1))), 1e-3)
    edges = np.linspace(-half, half, check_positive_int(bins, "bins") + 1)
    top = max(int(np.histogram(W, edges)[0].max()) for W in (*W1_l2, *W1_l1))
    usage_top = float(max(np.abs(W1_l2).sum(axis=2).max(), np.abs(W1_l1).sum(axis=2).max()))
    return L1NetworkSetup(rates, names, W1_l2, W1_l1, edges, 1.1 * top, 1.1 * usage_top)


def l1_network_update(setup: L1NetworkSetup, rate) -> L1NetworkUpdate:
    """Both first layers at ``rate`` (one of the grid), with their numbers of exact zeros."""
    rate = check_rate(rate, "rate")
    matches = np.flatnonzero(np.isclose(setup.rates, rate, rtol=1e-9, atol=0.0))
    if matches.size == 0:
        raise ValueError(f"rate must be one of the trained rates {setup.rates}; got rate={rate:g}")
    k = int(matches[0])
    W2, W1 = setup.W1_l2[k], setup.W1_l1[k]
    unused = tuple(int(j) for j in np.flatnonzero(np.all(W1 == 0.0, axis=1)))
    return L1NetworkUpdate(setup.rates[k], W2, W1, int(np.sum(W2 == 0.0)), int(np.sum(W1 == 0.0)), unused)


class _L1NetworkView:
    def __init__(self, setup: L1NetworkSetup):
        self.setup = setup
        self.figure, (self.ax_hist, self.ax_usage) = new_figure(2, height=3.8)
        p = len(setup.feature_names)
        with plots.course_style():
            plots.plot_weight_histogram({"L2": [0.0], "L1 (proximal step)": [0.0]}, bins=setup.edges, log_y=True,
                                        ax=self.ax_hist)
            plots.plot_input_usage({"L2": np.ones((p, 1)), "L1": np.ones((p, 1))}, setup.feature_names,
                                   title="", ax=self.ax_usage)
        self.ax_hist.set_ylim(0.8, setup.top)
        self.ax_usage.set_ylim(0.0, setup.usage_top)
        self.hists = [plots.find_artist(self.ax_hist, f"hist-{k}") for k in (0, 1)]
        self.bars = [plots.find_artist(self.ax_usage, f"usage-{k}") for k in (0, 1)]

    def dynamic(self):
        return [*self.hists, *(bar for group in self.bars for bar in group), self.ax_hist.title,
                self.ax_usage.title]

    def draw(self, u: L1NetworkUpdate):
        for hist, W in zip(self.hists, (u.W1_l2, u.W1_l1)):
            hist.set_data(np.histogram(W, self.setup.edges)[0], self.setup.edges)
        for group, W in zip(self.bars, (u.W1_l2, u.W1_l1)):
            for bar, height in zip(group, np.abs(W).sum(axis=1)):
                bar.set_height(height)
        size = u.W1_l1.size
        self.ax_hist.set_title(f"First-layer weights, rate {u.rate:g}\nexactly 0: L2 {u.zeros_l2} of {size}, "
                               f"L1 {u.zeros_l1} of {size}", fontsize=10)
        unused = ", ".join(self.setup.feature_names[j] for j in u.unused_inputs) or "none"
        self.ax_usage.set_title(f"Inputs the L1 network no longer uses:\n{unused}", fontsize=10)


def l1_network_figure(setup: L1NetworkSetup | None = None, rate=0.016):
    """Static lesson-12 figure: first-layer weights under L2 and L1 at one rate."""
    setup = l1_network_setup() if setup is None else setup
    view = _L1NetworkView(setup)
    view.draw(l1_network_update(setup, rate))
    return view.figure


def l1_network_widget(setup: L1NetworkSetup | None = None, rate=0.016):
    """A slider over the trained rates -> first-layer weight histograms and input usage, L2 against L1."""
    setup = l1_network_setup() if setup is None else setup
    rate = l1_network_update(setup, rate).rate
    view = _L1NetworkView(setup)
    controls = {
        "rate": widgets.SelectionSlider(options=[(f"{r:g}", r) for r in setup.rates], value=rate,
                                        description="rate (L1 and L2)", continuous_update=True,
                                        layout=control_layout(), style=CONTROL_STYLE),
    }
    return assemble(view, controls, lambda rate: l1_network_update(setup, rate))

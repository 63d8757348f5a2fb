"""Lesson 8: a small MLP — L2 in the loss against decoupled weight decay, from a precomputed grid."""

from __future__ import annotations

from dataclasses import dataclass, field

import ipywidgets as widgets
import numpy as np

from .. import plots
from .._validation import as_data, as_labels, check_bool, check_positive_int, check_rate
from ..data import make_classification_2d
from ..mlp import train_mlps, weight_vector
from .rendering import new_figure
from .wiring import CONTROL_STYLE, assemble, control_layout

#: Optimizer choices of the lesson-8 widget and how ``strength`` enters each one.
OPTIMIZER_LABELS = {
    "sgd": "SGD, weight decay (= L2 rate)",
    "adam": "Adam + L2 penalty in the loss",
    "adamw": "AdamW, decoupled weight decay",
}


@dataclass(frozen=True)
class NetworkSetup:
    """Data, grid and training settings of the lesson-8 widget, with a lazy cache of trained networks.

    ``strengths`` is the grid of regularization strengths offered (training a network
    per slider move is too slow, so only these are available); ``cache`` maps
    ``(optimizer, strength)`` to a trained :class:`course_lib.mlp.TrainedMLP`, filled
    one optimizer at a time on first use, or all at once by :func:`precompute_networks`
    (which :func:`network_widget` calls).
    """

    X: np.ndarray
    y: np.ndarray
    hidden: tuple
    epochs: int
    lr: dict
    seed: int
    strengths: tuple
    xx: np.ndarray
    yy: np.ndarray
    grid: np.ndarray
    cache: dict = field(repr=False, compare=False)
    #: (optimizer, bins) -> histogram edges and y-limit over that optimizer's networks
    histogram_scales: dict = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class NetworkUpdate:
    """One trained network: probability on the grid, its weights and the unregularized reference's."""

    optimizer: str
    strength: float
    proba: np.ndarray
    weights: np.ndarray
    reference_weights: np.ndarray
    weight_norm: float
    train_accuracy: float
    objective: np.ndarray
    histogram_edges: np.ndarray
    histogram_top: float


def network_setup(X=None, y=None, *, hidden=(32,), epochs=1500, strengths=(0.0, 1e-3, 1e-2, 1e-1, 1.0),
                  lr=None, seed=0, kind="moons", n_samples=200, noise=0.25, resolution=60,
                  margin=0.5) -> NetworkSetup:
    """Data and settings for :func:`network_update`; nothing is trained yet.

    Parameters
    ----------
    hidden, epochs, seed
        Passed to :func:`course_lib.mlp.train_mlps` (full-batch training; each network is
        the one :func:`course_lib.mlp.train_mlp` gives).
    strengths : sequence of float
        Regularization strengths offered (must include 0, the reference).
    lr : dict, optional
        Learning rate per optimizer; default ``{"sgd": 0.5, "adam": 0.02, "adamw": 0.02}``.

    With the defaults (moons, 32 tanh units, 1500 full-batch epochs) one optimizer's five
    networks train together in under a second; the same number means very different things
    to Adam + L2 (0.1 already flattens the boundary) and to AdamW (which decays by ``lr·wd``
    per step and needs about 1 for a comparable effect) — the point of the lesson.
    """
    if X is None or y is None:
        X, y = make_classification_2d(n_samples, kind, noise, seed)
    X, y = as_data(X, y)
    y = as_labels(y)
    strengths = tuple(sorted(check_rate(s, "strengths") for s in strengths))
    if strengths[0] != 0.0:
        raise ValueError(f"strengths must include 0 (the unregularized reference); got {strengths}")
    lr = {"sgd": 0.5, "adam": 0.02, "adamw": 0.02} if lr is None else dict(lr)
    xx, yy = np.meshgrid(np.linspace(X[:, 0].min() - margin, X[:, 0].max() + margin, resolution),
                         np.linspace(X[:, 1].min() - margin, X[:, 1].max() + margin, resolution))
    hidden = (hidden,) if np.ndim(hidden) == 0 else tuple(hidden)
    return NetworkSetup(X, y, hidden, check_positive_int(epochs, "epochs"), lr, int(seed), strengths, xx, yy,
                        np.column_stack([xx.ravel(), yy.ravel()]), {})


def _check_choice(setup: NetworkSetup, optimizer, strength):
    if optimizer not in OPTIMIZER_LABELS:
        raise ValueError(f"optimizer must be one of {tuple(OPTIMIZER_LABELS)}; got optimizer={optimizer!r}")
    strength = check_rate(strength, "strength")
    if not np.any(np.isclose(strength, setup.strengths, rtol=1e-9, atol=0.0)):
        raise ValueError(f"strength must be one of the precomputable strengths {setup.strengths}; "
                         f"got strength={strength:g}")
    return optimizer, float(setup.strengths[int(np.argmin(np.abs(np.array(setup.strengths) - strength)))])


def _train_missing_networks(setup: NetworkSetup, optimizer: str) -> None:
    """Train, in one batched run, every strength of ``optimizer`` not yet in the cache."""
    missing = [s for s in setup.strengths if (optimizer, s) not in setup.cache]
    if missing:
        strengths = {"rates": missing} if optimizer == "adam" else {"weight_decays": missing}
        fits = train_mlps(setup.X, setup.y, setup.hidden, optimizer=optimizer, lr=setup.lr[optimizer],
                          epochs=setup.epochs, seed=setup.seed, **strengths)
        setup.cache.update({(optimizer, s): fit for s, fit in zip(missing, fits)})


def network_model(setup: NetworkSetup, optimizer, strength):
    """The trained network for ``(optimizer, strength)``, trained on first request and cached.

    ``"sgd"`` trains with ``weight_decay=strength`` (the same as an L2 rate for SGD),
    ``"adam"`` with ``rate=strength`` (L2 penalty in the loss: Adam rescales its gradient),
    ``"adamw"`` with ``weight_decay=strength`` (decoupled decay ``θ ← (1 − lr·wd)θ``).
    All start from the same initialization (``setup.seed``).  A missing network is trained
    together with the optimizer's other missing strengths by :func:`course_lib.mlp.train_mlps`,
    which gives the same networks as one :func:`course_lib.mlp.train_mlp` run each.
    """
    optimizer, strength = _check_choice(setup, optimizer, strength)
    if (optimizer, strength) not in setup.cache:
        _train_missing_networks(setup, optimizer)
    return setup.cache[(optimizer, strength)]


def precompute_networks(setup: NetworkSetup) -> NetworkSetup:
    """Train every ``(optimizer, strength)`` network now (so later updates are lookups only)."""
    for optimizer in OPTIMIZER_LABELS:
        _train_missing_networks(setup, optimizer)
    return setup


def network_update(setup: NetworkSetup, optimizer, strength, *, bins=40) -> NetworkUpdate:
    """Look up (or train once) the network and evaluate it on the grid.

    ``reference_weights`` are those of the unregularized network (strength 0) with the
    same optimizer, for the histogram comparison.  ``histogram_edges`` (``bins`` equal bins
    symmetric about 0) and ``histogram_top`` (the y-limit) hold every network of the optimizer:
    one scale while the strength moves, so the histograms can be compared (and the figure's
    axes stay put, so a move redraws only the histograms and the boundary).
    """
    bins = check_positive_int(bins, "bins")
    model = network_model(setup, optimizer, strength)  # checks optimizer and strength
    reference = network_model(setup, optimizer, 0.0)
    weights = weight_vector(model.params)
    proba = model.predict_proba(setup.grid).reshape(setup.xx.shape)
    accuracy = float(np.mean(model.predict(setup.X) == setup.y))
    edges, top = _histogram_scale(setup, optimizer, bins)
    return NetworkUpdate(optimizer, float(strength), proba, weights, weight_vector(reference.params),
                         float(np.linalg.norm(weights)), accuracy, np.asarray(model.history["objective"]),
                         edges, top)


def _histogram_scale(setup: NetworkSetup, optimizer: str, bins: int):
    """Bin edges and y-limit that hold the weight histogram of every strength of ``optimizer``."""
    key = (optimizer, bins)
    if key not in setup.histogram_scales:
        row = [weight_vector(network_model(setup, optimizer, s).params) for s in setup.strengths]
        half = 1.05 * max(max(float(np.abs(w).max()) for w in row), 1e-3)
        edges = np.linspace(-half, half, bins + 1)
        top = 1.1 * max(max(int(np.histogram(w, edges)[0].max()) for w in row), 1)
        setup.histogram_scales[key] = (edges, float(top))
    return setup.histogram_scales[key]


class _NetworkView:
    def __init__(self, setup: NetworkSetup, bins=40):
        self.figure, (self.ax, self.ax_hist) = new_figure(2, height=3.8)
        self.setup = setup
        with plots.course_style():
            plots.plot_decision_boundary(setup.X, setup.y, (setup.xx, setup.yy, np.full(setup.xx.shape, 0.5)),
                                         ax=self.ax)
            plots.plot_weight_histogram({"this network": [0.0, 1.0], "no regularization": [0.0, 1.0]},
                                        bins=bins, ax=self.ax_hist)
        self.bands = plots.find_artist(self.ax, "proba")
        self.boundary = plots.find_artist(self.ax, "boundary")
        self.points = [plots.find_artist(self.ax, f"class-{k}") for k in (0, 1)]
        self.hist = plots.find_artist(self.ax_hist, "hist-0")
        self.ref = plots.find_artist(self.ax_hist, "hist-1")
        self.bins = bins

    def dynamic(self):
        return [self.bands, self.boundary, *self.points, self.ax.title, self.hist, self.ref, self.ax_hist.title]

    def draw(self, u: NetworkUpdate):
        self.bands.remove()
        self.boundary.remove()
        self.bands, self.boundary = plots.draw_probability_map(self.ax, self.setup.xx, self.setup.yy, u.proba)
        self.ax.set_title(f"{OPTIMIZER_LABELS[u.optimizer]}\nstrength {u.strength:g}: accuracy "
                          f"{u.train_accuracy:.0%}", fontsize=10)
        edges = u.histogram_edges
        counts, _ = np.histogram(u.weights, edges)
        ref_counts, _ = np.histogram(u.reference_weights, edges)
        self.hist.set_data(counts, edges)
        self.ref.set_data(ref_counts, edges)
        self.ax_hist.set_xlim(edges[0], edges[-1])
        self.ax_hist.set_ylim(0, u.histogram_top)
        self.ax_hist.set_title(f"Weights: ‖W‖ = {u.weight_norm:.3g}", fontsize=10)


def network_figure(setup: NetworkSetup | None = None, optimizer="adamw", strength=None):
    """Static lesson-8 figure: decision boundary and weight histogram of one network."""
    setup = network_setup() if setup is None else setup
    strength = setup.strengths[-1] if strength is None else strength
    view = _NetworkView(setup)
    view.draw(network_update(setup, optimizer, strength, bins=view.bins))
    return view.figure


def network_widget(setup: NetworkSetup | None = None, optimizer="adamw", strength=None, *, precompute=True):
    """Optimizer choice and strength (from the precomputable grid) -> boundary and weight histogram.

    With ``precompute=True`` (default) every network of the grid is trained when the
    widget is built (:func:`precompute_networks`: one batched run per optimizer, a few
    tenths of a second each for lesson 8's grid of eight strengths), so every move,
    including the first visit of a setting, is a lookup.  With ``precompute=False`` the first visit of
    an optimizer trains all its strengths at once.
    """
    setup = network_setup() if setup is None else setup
    strength = setup.strengths[-1] if strength is None else strength
    optimizer, strength = _check_choice(setup, optimizer, strength)
    if check_bool(precompute, "precompute"):
        precompute_networks(setup)
    view = _NetworkView(setup)
    controls = {
        "optimizer": widgets.Dropdown(options=[(label, key) for key, label in OPTIMIZER_LABELS.items()],
                                      value=optimizer, description="optimizer", style=CONTROL_STYLE,
                                      layout=control_layout()),
        "strength": widgets.SelectionSlider(options=[(f"{s:g}", s) for s in setup.strengths],
                                            value=strength,
                                            description="rate / weight decay", continuous_update=False,
                                            layout=control_layout(), style=CONTROL_STYLE),
    }
    return assemble(view, controls,
                     lambda optimizer, strength: network_update(setup, optimizer, strength, bins=view.bins))

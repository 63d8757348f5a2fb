"""Lesson 12: dropout over a grid of probabilities — learning curves and decision boundary.

Every network of the grid is trained once, in :func:`dropout_setup` (one vectorized
:func:`course_lib.mlp.train_mlps` run, each network drawing its own dropout masks); its class
probability on the plotting grid is computed there too.  A move of the slider only looks up.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from .. import plots
from .._validation import as_data, as_labels, check_positive_float, check_positive_int
from ..data import make_classification_2d
from ..dropout import _check_p
from ..mlp import train_mlps
from .rendering import new_figure
from .wiring import CONTROL_STYLE, assemble, control_layout

#: The dropout probabilities of lesson 12's widget.
LESSON12_DROPOUTS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5)


@dataclass(frozen=True)
class DropoutSetup:
    """The data, the grid of dropout probabilities, every network's curves and probability map."""

    X: np.ndarray
    y: np.ndarray
    hidden: tuple
    epochs: int
    lr: float
    seed: int
    dropouts: tuple
    train_loss: np.ndarray  # (len(dropouts), epochs + 1)
    val_loss: np.ndarray
    xx: np.ndarray
    yy: np.ndarray
    proba: np.ndarray  # (len(dropouts), *xx.shape)
    ylim: tuple


@dataclass(frozen=True)
class DropoutUpdate:
    """One dropout probability: its learning curves and its class-1 probability on the grid."""

    p: float
    train_loss: np.ndarray
    val_loss: np.ndarray
    proba: np.ndarray


def dropout_setup(X=None, y=None, X_val=None, y_val=None, *, hidden=(30, 30), dropouts=LESSON12_DROPOUTS,
                  epochs=1500, lr=0.003, seed=0, resolution=60, margin=0.5) -> DropoutSetup:
    """Train the network once per dropout probability (Adam, full batch) and evaluate it on a grid.

    Parameters
    ----------
    X, y, X_val, y_val : array_like, optional
        Training and validation data; default lesson 12's 50 training and 200 validation points
        of the moons.
    hidden, epochs, lr, seed
        Passed to :func:`course_lib.mlp.train_mlps` (``optimizer="adam"``).
    dropouts : sequence of float
        The probabilities the slider offers, each in [0, 1).
    resolution, margin
        The plotting grid of the decision boundary.
    """
    if X is None or y is None:
        X, y = make_classification_2d(50, kind="moons", noise=0.25, seed=2)
    if X_val is None or y_val is None:
        X_val, y_val = make_classification_2d(200, kind="moons", noise=0.25, seed=102)
    X, y = as_data(X, y)
    y = as_labels(y)
    X_val, y_val = as_data(X_val, y_val, X_name="X_val", y_name="y_val")
    dropouts = tuple(sorted(_check_p(p, "dropouts") for p in dropouts))
    epochs, lr = check_positive_int(epochs, "epochs"), check_positive_float(lr, "lr")
    resolution = check_positive_int(resolution, "resolution")
    fits = train_mlps(X, y, hidden, dropouts=dropouts, optimizer="adam", lr=lr, epochs=epochs, seed=seed,
                      X_val=X_val, y_val=as_labels(y_val, "y_val"))
    xx, yy = np.meshgrid(np.linspace(X[:, 0].min() - margin, X[:, 0].max() + margin, resolution),
                         np.linspace(X[:, 1].min() - margin, X[:, 1].max() + margin, resolution))
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    proba = np.array([fit.predict_proba(grid).reshape(xx.shape) for fit in fits])
    train = np.array([fit.history["data_loss"] for fit in fits])
    val = np.array([fit.history["val_loss"] for fit in fits])
    top = float(min(np.max(val), 2.5))
    return DropoutSetup(X, y, tuple(np.atleast_1d(hidden)), epochs, lr, int(seed), dropouts, train, val, xx, yy,
                        proba, (0.0, 1.05 * top))


def _index(setup: DropoutSetup, p) -> int:
    p = _check_p(p, "p")
    matches = np.flatnonzero(np.isclose(setup.dropouts, p, rtol=1e-9, atol=1e-12))
    if matches.size == 0:
        raise ValueError(f"p must be one of the trained dropout probabilities {setup.dropouts}; got p={p:g}")
    return int(matches[0])


def dropout_update(setup: DropoutSetup, p) -> DropoutUpdate:
    """The curves and the probability map of the network trained with dropout ``p`` (one of the grid)."""
    k = _index(setup, p)
    return DropoutUpdate(setup.dropouts[k], setup.train_loss[k], setup.val_loss[k], setup.proba[k])


class _DropoutView:
    def __init__(self, setup: DropoutSetup):
        self.setup = setup
        self.figure, (self.ax, self.ax_map) = new_figure(2, height=3.8)
        with plots.course_style():
            plots.plot_learning_curves(setup.train_loss[0], setup.val_loss[0], ylim=setup.ylim, title="", ax=self.ax)
            plots.plot_decision_boundary(setup.X, setup.y, (setup.xx, setup.yy, setup.proba[0]), colorbar=False,
                                         title="", ax=self.ax_map)
        self.train = plots.find_artist(self.ax, "train-loss")
        self.val = plots.find_artist(self.ax, "val-loss")
        self.bands = plots.find_artist(self.ax_map, "proba")
        self.boundary = plots.find_artist(self.ax_map, "boundary")
        self.points = [plots.find_artist(self.ax_map, f"class-{k}") for k in (0, 1)]

    def dynamic(self):
        return [self.train, self.val, self.ax.title, self.bands, self.boundary, *self.points, self.ax_map.title]

    def draw(self, u: DropoutUpdate):
        epochs = np.arange(u.train_loss.size)
        self.train.set_data(epochs, u.train_loss)
        self.val.set_data(epochs, u.val_loss)
        self.ax.set_title(f"dropout p = {u.p:g}: after {epochs[-1]} epochs\ntraining {u.train_loss[-1]:.2f}, "
                          f"validation {u.val_loss[-1]:.2f}", fontsize=10)
        self.bands.remove()
        self.boundary.remove()
        self.bands, self.boundary = plots.draw_probability_map(self.ax_map, self.setup.xx, self.setup.yy, u.proba)
        self.ax_map.set_title(f"Decision boundary, p = {u.p:g}\n(the whole network: no dropout at prediction)",
                              fontsize=10)


def dropout_figure(setup: DropoutSetup | None = None, p=0.0):
    """Static lesson-12 figure: learning curves and decision boundary of the network trained with dropout ``p``."""
    setup = dropout_setup() if setup is None else setup
    view = _DropoutView(setup)
    view.draw(dropout_update(setup, p))
    return view.figure


def dropout_widget(setup: DropoutSetup | None = None, p=0.0):
    """A slider over the trained dropout probabilities -> learning curves and decision boundary."""
    setup = dropout_setup() if setup is None else setup
    p = setup.dropouts[_index(setup, p)]
    view = _DropoutView(setup)
    controls = {
        "p": widgets.SelectionSlider(options=[(f"{q:g}", q) for q in setup.dropouts], value=p,
                                     description="dropout p", continuous_update=True, layout=control_layout(),
                                     style=CONTROL_STYLE),
    }
    return assemble(view, controls, lambda p: dropout_update(setup, p))

"""Lesson 11: learning curves of a network over a grid of weight decays, and the choice on validation data.

Every network of the grid is trained once, in :func:`learning_curves_setup` (one vectorized
:func:`course_lib.mlp.train_mlps` run); a move of the slider only looks curves up and moves lines.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from .. import plots
from .._validation import as_data, as_labels, as_matrix, check_positive_float, check_positive_int, check_rate
from ..data import make_classification_2d
from ..mlp import train_mlps
from .rendering import new_figure
from .wiring import CONTROL_STYLE, assemble, control_layout

#: The weight decays of lesson 11's widget (SGD: weight decay = L2 rate).
LESSON11_WEIGHT_DECAYS = (0.0, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0)


@dataclass(frozen=True)
class LearningCurvesSetup:
    """The data, the grid of weight decays and every network's learning curves (trained once)."""

    hidden: tuple
    epochs: int
    lr: float
    seed: int
    weight_decays: tuple
    train_loss: np.ndarray  # (len(weight_decays), epochs + 1)
    val_loss: np.ndarray  # (len(weight_decays), epochs + 1)
    ylim: tuple


@dataclass(frozen=True)
class LearningCurvesUpdate:
    """The curves of one weight decay, and the final losses of the whole grid (for the choice)."""

    weight_decay: float
    train_loss: np.ndarray
    val_loss: np.ndarray
    best_epoch: int
    final_train: np.ndarray
    final_val: np.ndarray


def _check_split(X, y, name):
    X, y = as_data(X, y, X_name=f"X{name}", y_name=f"y{name}")
    return X, as_labels(y, f"y{name}")


def learning_curves_setup(X=None, y=None, X_val=None, y_val=None, *, hidden=(50,),
                          weight_decays=LESSON11_WEIGHT_DECAYS, epochs=2000, lr=0.5, seed=0) -> LearningCurvesSetup:
    """Train the network once per weight decay (SGD, full batch) and keep its learning curves.

    Parameters
    ----------
    X, y, X_val, y_val : array_like, optional
        Training and validation data (labels in {0, 1}); default lesson 11's 40 training and 100
        validation points of the noisy moons.
    hidden, epochs, lr, seed
        Passed to :func:`course_lib.mlp.train_mlps` (``optimizer="sgd"``: weight decay = L2 rate).
    weight_decays : sequence of float
        The grid the slider offers, ``>= 0``.
    """
    if X is None or y is None:
        X, y = make_classification_2d(40, kind="moons", noise=0.25, seed=2)
    if X_val is None or y_val is None:
        X_val, y_val = make_classification_2d(100, kind="moons", noise=0.25, seed=102)
    X, y = _check_split(X, y, "")
    X_val, y_val = _check_split(X_val, y_val, "_val")
    as_matrix(X_val, "X_val", n_columns=X.shape[1])
    weight_decays = tuple(sorted(check_rate(w, "weight_decays") for w in weight_decays))
    epochs, lr = check_positive_int(epochs, "epochs"), check_positive_float(lr, "lr")
    fits = train_mlps(X, y, hidden, weight_decays=weight_decays, optimizer="sgd", lr=lr, epochs=epochs,
                      seed=seed, X_val=X_val, y_val=y_val)
    train = np.array([fit.history["data_loss"] for fit in fits])
    val = np.array([fit.history["val_loss"] for fit in fits])
    top = float(min(np.max(val), 3.0 * np.max(val[:, 0]), 2.5))
    return LearningCurvesSetup(tuple(np.atleast_1d(hidden)), epochs, lr, int(seed), weight_decays, train, val,
                               (0.0, 1.05 * top))


def _index(setup: LearningCurvesSetup, weight_decay) -> int:
    weight_decay = check_rate(weight_decay, "weight_decay")
    matches = np.flatnonzero(np.isclose(setup.weight_decays, weight_decay, rtol=1e-9, atol=0.0))
    if matches.size == 0:
        raise ValueError(f"weight_decay must be one of the trained weight decays {setup.weight_decays}; "
                         f"got weight_decay={weight_decay:g}")
    return int(matches[0])


def learning_curves_update(setup: LearningCurvesSetup, weight_decay) -> LearningCurvesUpdate:
    """The learning curves of the network trained with ``weight_decay`` (one of the grid)."""
    k = _index(setup, weight_decay)
    val = setup.val_loss[k]
    return LearningCurvesUpdate(setup.weight_decays[k], setup.train_loss[k], val, int(np.argmin(val)),
                                setup.train_loss[:, -1], setup.val_loss[:, -1])


def _position(weight_decays):
    """x-positions of the weight decays on the right-hand axis: evenly spaced, labelled by value."""
    return np.arange(len(weight_decays))


class _LearningCurvesView:
    def __init__(self, setup: LearningCurvesSetup):
        self.setup = setup
        self.figure, (self.ax, self.ax_choice) = new_figure(2, height=3.7)
        with plots.course_style():
            plots.plot_learning_curves(setup.train_loss[0], setup.val_loss[0], best_epoch=0, ylim=setup.ylim,
                                       title="", ax=self.ax)
            x = _position(setup.weight_decays)
            self.ax_choice.plot(x, setup.train_loss[:, -1], **_line(0), label="training loss")
            self.ax_choice.plot(x, setup.val_loss[:, -1], **_line(1), label="validation loss")
            self.marker = self.ax_choice.axvline(0, color=plots.OKABE_ITO["black"], linestyle=":", linewidth=1.2,
                                                 label="this weight decay", gid="weight-decay-marker")
            self.ax_choice.set_xticks(x, [f"{w:g}" for w in setup.weight_decays], rotation=45)
            self.ax_choice.set_ylim(*setup.ylim)
            self.ax_choice.set_xlabel("weight decay")
            self.ax_choice.set_ylabel("mean log-loss after the last epoch")
            self.ax_choice.set_title("After training: choose on validation", fontsize=10)
            self.ax_choice.legend(loc="upper center")
        self.train = plots.find_artist(self.ax, "train-loss")
        self.val = plots.find_artist(self.ax, "val-loss")
        self.best = plots.find_artist(self.ax, "best-epoch")

    def dynamic(self):
        return [self.train, self.val, self.best, self.ax.title, self.marker]

    def draw(self, u: LearningCurvesUpdate):
        epochs = np.arange(u.train_loss.size)
        self.train.set_data(epochs, u.train_loss)
        self.val.set_data(epochs, u.val_loss)
        self.best.set_xdata([u.best_epoch, u.best_epoch])
        self.ax.set_title(f"weight decay {u.weight_decay:g}: lowest validation loss {u.val_loss[u.best_epoch]:.2f} "
                          f"at epoch {u.best_epoch}\nafter {epochs[-1]} epochs: training {u.train_loss[-1]:.2f}, "
                          f"validation {u.val_loss[-1]:.2f}", fontsize=10)
        k = self.setup.weight_decays.index(u.weight_decay)
        self.marker.set_xdata([k, k])


def _line(k):
    style = plots.series_style(k)
    return {"color": style["color"], "linestyle": style["linestyle"], "marker": style["marker"]}


def learning_curves_figure(setup: LearningCurvesSetup | None = None, weight_decay=0.0):
    """Static lesson-11 figure: the learning curves of one weight decay, and the final losses of all."""
    setup = learning_curves_setup() if setup is None else setup
    view = _LearningCurvesView(setup)
    view.draw(learning_curves_update(setup, weight_decay))
    return view.figure


def learning_curves_widget(setup: LearningCurvesSetup | None = None, weight_decay=0.0):
    """A slider over the trained weight decays -> that network's learning curves, and where it sits in the grid."""
    setup = learning_curves_setup() if setup is None else setup
    weight_decay = setup.weight_decays[_index(setup, weight_decay)]
    view = _LearningCurvesView(setup)
    controls = {
        "weight_decay": widgets.SelectionSlider(options=[(f"{w:g}", w) for w in setup.weight_decays],
                                                value=weight_decay, description="weight decay",
                                                continuous_update=True, layout=control_layout(),
                                                style=CONTROL_STYLE),
    }
    return assemble(view, controls, lambda weight_decay: learning_curves_update(setup, weight_decay))

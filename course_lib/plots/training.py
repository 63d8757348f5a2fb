"""Figures of training a network: learning curves, dropout masks, how much a network uses each input.

Lessons 11 and 12.  Like every figure module, these only draw: the losses, activations and weights
come from :mod:`course_lib.mlp` and :mod:`course_lib.dropout`.
"""

from __future__ import annotations

import numpy as np

from .axes import as_series, finish_axes, new_axes
from .style import HATCHES, OKABE_ITO, PALETTE, series_style

#: Epochs 0-10 are drawn on a linear scale, later ones on a log scale: the first epochs, where the
#: validation loss of a small network often reaches its lowest value, stay visible next to epoch 3000.
EPOCH_LINEAR_UP_TO = 10


def _epoch_axis(ax, n_epochs):
    ax.set_xscale("symlog", linthresh=EPOCH_LINEAR_UP_TO, linscale=0.5)
    ax.set_xlim(0, n_epochs)


def plot_learning_curves(
    train_loss,
    val_loss=None,
    *,
    best_epoch=None,
    stop_epoch=None,
    ylim=None,
    title="Learning curves",
    ax=None,
):
    """Training and validation loss after each epoch (entry ``k`` after ``k`` epochs).

    The epoch axis is linear up to :data:`EPOCH_LINEAR_UP_TO` and logarithmic after it.

    Parameters
    ----------
    train_loss, val_loss : array_like, shape (n_epochs + 1,)
        E.g. ``history["data_loss"]`` and ``history["val_loss"]`` of a trained network.
    best_epoch, stop_epoch : int, optional
        Mark the best epoch (a dotted line) and where early stopping stopped (a dash-dot line).
    ylim : (float, float), optional

    Artists carry ``gid`` ``"train-loss"``, ``"val-loss"``, ``"best-epoch"`` and ``"stop-epoch"``.
    """
    train_loss = np.asarray(train_loss, dtype=float)
    ax = new_axes(ax)
    epochs = np.arange(train_loss.size)
    ax.plot(epochs, train_loss, color=PALETTE[0], linestyle="-", label="training loss", gid="train-loss")
    if val_loss is not None:
        val_loss = np.asarray(val_loss, dtype=float)
        ax.plot(np.arange(val_loss.size), val_loss, color=PALETTE[1], linestyle="--", label="validation loss",
                gid="val-loss")
    if best_epoch is not None:
        ax.axvline(best_epoch, color=OKABE_ITO["black"], linestyle=":", linewidth=1.2,
                   label="lowest validation loss", gid="best-epoch")
    if stop_epoch is not None:
        ax.axvline(stop_epoch, color=OKABE_ITO["black"], linestyle="-.", linewidth=1.2,
                   label="early stopping stops", gid="stop-epoch")
    _epoch_axis(ax, max(train_loss.size - 1, 1))
    if ylim is not None:
        ax.set_ylim(*ylim)
    return finish_axes(ax, "epoch", "mean log-loss", title)


def plot_activation_matrix(activations, *, vmax=None, title="Hidden activations", ax=None):
    """A matrix of activations (rows: examples, columns: hidden units) as a grey-scale image.

    Entries that are exactly 0 (dropped units) are drawn white and crossed out, so they read without
    colour; the others are grey, darker for larger ``|activation|``.  The image carries ``gid="activations"``
    and the crosses ``gid="dropped"``.
    """
    A = np.asarray(activations, dtype=float)
    if A.ndim != 2:
        raise ValueError(f"activations must be a 2-D array (examples x units); got shape {A.shape}")
    vmax = float(np.max(np.abs(A))) if vmax is None else float(vmax)
    ax = new_axes(ax, figsize=(4.0, 3.6))
    image = ax.imshow(np.abs(A), cmap="Greys", vmin=0.0, vmax=max(vmax, 1e-12), aspect="auto",
                      interpolation="nearest")
    image.set_gid("activations")
    rows, cols = np.nonzero(A == 0.0)
    ax.scatter(cols, rows, marker="x", color=OKABE_ITO["vermillion"], s=14, linewidth=1.0, label="dropped (0)",
               gid="dropped")
    ax.grid(False)
    ax.set_xticks(np.arange(A.shape[1]))
    ax.set_yticks(np.arange(A.shape[0]))
    finish_axes(ax, "hidden unit", "example", title, legend=False)
    return ax


def plot_input_usage(
    weights,
    feature_names=None,
    *,
    log_y=False,
    title="How much the network uses each input",
    ax=None,
):
    """Bars of ``Σ_k |W1[j, k]|``: the total size of the first-layer weights leaving each input ``j``.

    Parameters
    ----------
    weights : array_like or mapping label -> array_like
        First-layer weight matrices, shape ``(inputs, hidden units)``, of one or several networks
        (e.g. ``{"L2": W_l2, "L1": W_l1}``).  An input whose whole row is 0 gets no bar and an ``×`` at
        the axis: the network no longer uses it.
    feature_names : sequence of str, optional
    log_y : bool

    The bars of the k-th network carry ``gid="usage-k"``.
    """
    series = {k: np.abs(np.asarray(v, dtype=float)).sum(axis=1) for k, v in as_series(weights, "weights").items()}
    p = len(next(iter(series.values())))
    names = [f"x{j}" for j in range(p)] if feature_names is None else list(feature_names)
    ax = new_axes(ax)
    width = 0.8 / len(series)
    for k, (label, usage) in enumerate(series.items()):
        offset = (k - (len(series) - 1) / 2) * width
        s = series_style(k)
        bars = ax.bar(np.arange(p) + offset, usage, width, color=s["color"], edgecolor=OKABE_ITO["black"],
                      linewidth=0.6, hatch=HATCHES[k % len(HATCHES)], label=label)
        bars.gid = f"usage-{k}"  # containers have no set_gid
        unused = np.flatnonzero(usage == 0.0)
        if unused.size:
            ax.plot(unused + offset, np.zeros(unused.size), linestyle="none", marker="x", color=s["color"],
                    markersize=7, clip_on=False, label=f"{label}: input unused")
    if log_y:
        ax.set_yscale("symlog", linthresh=1e-3)
    ax.set_xticks(np.arange(p), names)
    return finish_axes(ax, "input", "Σ |first-layer weights|", title)

"""What a model predicts: a polynomial fit with its data and the true curve, a classifier's probability map."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap

from .axes import as_series, finish_axes, new_axes
from .style import OKABE_ITO, PALETTE, PROBABILITY_CMAP, series_style

# The probability colours at 80 % over white, as an opaque colour map: the look of PROBABILITY_CMAP
# drawn with alpha 0.8 on a white Axes, for about 30 % less drawing time (an opaque image needs no
# blending; the widgets of lessons 7 and 8 redraw it on every move).
_PROBABILITY_ON_WHITE = ListedColormap(0.8 * PROBABILITY_CMAP(np.linspace(0.0, 1.0, PROBABILITY_CMAP.N))[:, :3] + 0.2,
                                       name="course_probability_on_white")

# Fixed roles: the data, the true curve, and the series styles of fitted curves.
_DATA = {"color": OKABE_ITO["black"], "marker": "o", "linestyle": "none", "alpha": 0.75}
_TRUTH = {"color": OKABE_ITO["bluish_green"], "linestyle": "--", "linewidth": 2.0}
_FIT_SERIES = (0, 3, 4, 5, 6)  # series styles for fitted curves: never the dashes of the truth


def plot_polynomial_fit(
    x,
    y,
    x_grid=None,
    y_truth=None,
    y_fit=None,
    *,
    fit_label="fit",
    ylim=None,
    title="Polynomial fit",
    ax=None,
):
    """Data points, the true curve and one or more fitted curves.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        Training data (drawn as black dots).
    x_grid : array_like, shape (m,), optional
        Where ``y_truth`` and ``y_fit`` are evaluated.
    y_truth : array_like, shape (m,), optional
        True curve on ``x_grid`` (green dashes).
    y_fit : array_like of shape (m,) or mapping label -> array, optional
        Fitted curve(s) on ``x_grid``; the first carries ``gid="fit"``.
    fit_label : str
        Legend label when ``y_fit`` is a single array.
    ylim : (float, float), optional
        Fixed y-limits (useful when a wild fit would squash the data).
    """
    ax = new_axes(ax)
    ax.plot(x, y, **_DATA, label="data", gid="data")
    if y_truth is not None:
        ax.plot(x_grid, y_truth, **_TRUTH, label="true curve", gid="truth")
    for i, (label, values) in enumerate(as_series(y_fit, fit_label).items()):
        style = series_style(_FIT_SERIES[i % len(_FIT_SERIES)])
        ax.plot(x_grid, values, color=style["color"], linestyle=style["linestyle"], label=label,
                gid="fit" if i == 0 else f"fit-{i}")
    if ylim is not None:
        ax.set_ylim(*ylim)
    return finish_axes(ax, "x", "y", title)


PROBABILITY_LEVELS = np.linspace(0.0, 1.0, 11)  #: the probability map's bands: 0, 0.1, ..., 1


def draw_probability_map(ax, xx, yy, proba):
    """Draw a class-1 probability grid on ``ax``: filled bands of 0.1 and the boundary lines.

    Returns ``(filled, boundary)``: the bands (``contourf`` at :data:`PROBABILITY_LEVELS`, white at
    p = 0.5, ``gid="proba"``, under everything else) and the contour lines at p = 0.25, 0.5 (bold)
    and 0.75 (``gid="boundary"``).  Widgets remove both and call this again to show another grid:
    ten bands draw in a few milliseconds and make a small PNG, unlike a resampled image.
    """
    filled = ax.contourf(xx, yy, proba, levels=PROBABILITY_LEVELS, cmap=_PROBABILITY_ON_WHITE, vmin=0.0,
                         vmax=1.0, zorder=0)
    filled.set_gid("proba")
    boundary = ax.contour(xx, yy, proba, levels=[0.25, 0.5, 0.75], colors=OKABE_ITO["black"],
                          linewidths=[0.8, 2.0, 0.8], linestyles=[":", "-", ":"])
    boundary.set_gid("boundary")
    return filled, boundary


def plot_decision_boundary(
    X,
    y,
    predict_proba,
    *,
    resolution=120,
    margin=0.5,
    colorbar=True,
    title="Decision boundary",
    ax=None,
):
    """Class-1 probability of a 2-D classifier as filled contours, with the data.

    Parameters
    ----------
    X : array_like, shape (n, 2)
    y : array_like, shape (n,)
        Labels in {0, 1}: class 0 drawn as blue circles, class 1 as vermillion triangles.
    predict_proba : callable or tuple
        Either a function mapping an ``(m, 2)`` array of points to ``(m,)``
        probabilities of class 1, or a precomputed ``(xx, yy, proba)`` grid.
    resolution : int
        Grid points per axis when ``predict_proba`` is callable.
    margin : float
        Extra room around the data when ``predict_proba`` is callable.
    colorbar : bool
        Add a colour bar for the probability.

    The probability, in filled bands of 0.1, carries ``gid="proba"``; the contour lines at
    p = 0.25, 0.5 (bold) and 0.75 carry ``gid="boundary"`` (:func:`draw_probability_map`).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    if callable(predict_proba):
        xx, yy = np.meshgrid(
            np.linspace(X[:, 0].min() - margin, X[:, 0].max() + margin, resolution),
            np.linspace(X[:, 1].min() - margin, X[:, 1].max() + margin, resolution),
        )
        proba = np.asarray(predict_proba(np.column_stack([xx.ravel(), yy.ravel()])), dtype=float)
        proba = proba.reshape(xx.shape)
    else:
        xx, yy, proba = (np.asarray(a, dtype=float) for a in predict_proba)
    ax = new_axes(ax, figsize=(5.2, 4.4))
    filled, _ = draw_probability_map(ax, xx, yy, proba)
    ax.grid(False)  # grid lines would cut through the probability bands
    for label, marker, k in ((0, "o", 0), (1, "^", 1)):
        mask = y == label
        ax.scatter(X[mask, 0], X[mask, 1], marker=marker, color=PALETTE[k], edgecolor=OKABE_ITO["black"],
                   linewidth=0.6, s=28, label=f"class {label}", gid=f"class-{label}")
    ax.plot([], [], color=OKABE_ITO["black"], linewidth=2.0, label="p = 0.5 boundary")
    ax.plot([], [], color=OKABE_ITO["black"], linewidth=0.8, linestyle=":", label="p = 0.25, 0.75")
    if colorbar:
        ax.figure.colorbar(filled, ax=ax, label="P(class 1)", ticks=[0, 0.25, 0.5, 0.75, 1])
    finish_axes(ax, "x1", "x2", title)
    legend = ax.get_legend()
    if legend is not None:  # the bands fill the axes: a light box keeps the legend off the points and lines
        legend.set_frame_on(True)
        legend.get_frame().set(facecolor="white", edgecolor="none", alpha=0.8)
    return ax

"""Small helpers every figure module shares: make an Axes, label it, find its artists, place labels.

``find_artist`` and ``spread_labels`` are public (``course_lib.plots``); the others serve the
plotting modules and the widgets (``course_lib.widgets``), which draw with the same conventions.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np

from .style import OKABE_ITO, course_style

#: The dotted vertical line that marks a chosen value (a rate, a degree) on a curve.
MARKER_LINE = {"color": OKABE_ITO["black"], "linestyle": ":", "linewidth": 1.2}


def find_artist(ax, gid: str):
    """Return the artist with ``gid`` on ``ax`` (lines, collections, patches, containers)."""
    for group in (ax.lines, ax.collections, ax.patches, ax.containers, ax.texts, ax.images):
        for artist in group:
            if getattr(artist, "get_gid", lambda: None)() == gid or getattr(artist, "gid", None) == gid:
                return artist
    raise KeyError(f"no artist with gid={gid!r} on this Axes")


def new_axes(ax, figsize=(5.5, 3.8)):
    """``ax``, or the Axes of a new figure in the course style when ``ax`` is None."""
    if ax is None:
        with course_style():
            _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def finish_axes(ax, xlabel, ylabel, title, *, legend=True):
    """Label both axes, set the title, and add a legend when ``legend`` and there are several series."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    handles, _ = ax.get_legend_handles_labels()
    if legend and len(handles) > 1:
        ax.legend(loc="best")
    return ax


def spread_labels(values, min_gap) -> np.ndarray:
    """Heights for text labels at ``values``, moved apart so that neighbours are ``min_gap`` apart.

    Labels keep their order; each run of labels that would overlap is spread evenly around
    the mean of its values, so a label moves as little as the others allow. Labels already
    ``min_gap`` apart stay where they are. Used for line-end labels (e.g. coefficient paths).

    Parameters
    ----------
    values : array_like, shape (k,)
        Wanted heights, in data units.
    min_gap : float
        Smallest allowed distance between neighbouring labels, ``>= 0``, in data units.

    Returns
    -------
    ndarray, shape (k,)
        Label heights, in the order of ``values``.
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 1 or not np.all(np.isfinite(values)):
        raise ValueError(f"values must be a 1-D array of finite numbers; got {values!r}")
    if not np.isfinite(min_gap) or min_gap < 0:
        raise ValueError(f"min_gap must be a finite number >= 0; got min_gap={min_gap!r}")
    order = np.argsort(values, kind="stable")
    wanted = values[order]
    groups = [[k] for k in range(wanted.size)]   # runs of labels placed as one evenly spaced block

    def placed(group):
        centre = wanted[group].mean()
        return centre + min_gap * (np.arange(len(group)) - (len(group) - 1) / 2)

    merged = True
    while merged:   # merge neighbouring blocks that overlap, until none do
        merged = False
        for g in range(len(groups) - 1):
            if placed(groups[g + 1])[0] - placed(groups[g])[-1] < min_gap * (1 - 1e-12):
                groups[g:g + 2] = [groups[g] + groups[g + 1]]
                merged = True
                break
    heights = np.empty_like(wanted)
    for group in groups:
        heights[group] = placed(group)
    result = np.empty_like(values)
    result[order] = heights
    return result


def label_heights(ax, values, min_gap_fraction=0.06) -> np.ndarray:
    """Heights for labels at ``values`` on ``ax``'s y-axis, spread (:func:`spread_labels`) on its scale.

    Neighbouring labels end up at least ``min_gap_fraction`` of the values' span apart as drawn:
    the spreading happens after the y-scale's transform (linear, log, symlog), so set the scale
    first.  Used for the names at the ends of path lines.
    """
    scale = ax.yaxis.get_transform()
    drawn = scale.transform(np.asarray(values, dtype=float))
    span = float(np.ptp(drawn)) if drawn.size > 1 else 0.0
    return scale.inverted().transform(spread_labels(drawn, min_gap_fraction * span))


def marker_line(ax, x, label, gid):
    """A dotted vertical line at ``x`` (:data:`MARKER_LINE`) carrying ``gid``, for widgets to move."""
    line = ax.axvline(x, **MARKER_LINE, label=label)
    line.set_gid(gid)
    return line


def positive_mask(rates, name="rates"):
    """Which of ``rates`` a log axis can show (a boolean mask); ``rates`` must be a non-empty 1-D array."""
    rates = np.asarray(rates, dtype=float)
    if rates.ndim != 1 or rates.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array; got shape {rates.shape}")
    return rates > 0


def as_series(values, default_label):
    """A mapping label -> array from either one array or a mapping."""
    if values is None:
        return {}
    if isinstance(values, Mapping):
        return dict(values)
    return {default_label: values}

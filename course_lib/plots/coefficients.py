"""Coefficients and weights: bars, paths against the rate, ridge shrinkage factors, weight histograms."""

from __future__ import annotations

import numpy as np

from .axes import as_series, finish_axes, label_heights, marker_line, new_axes, positive_mask
from .style import HATCHES, OKABE_ITO, PALETTE, SMALL_FONT_SIZE, series_style


def plot_coefficient_bars(
    coefs,
    compare=None,
    *,
    feature_names=None,
    coef_label="fit",
    compare_label="comparison",
    ylim=None,
    title="Coefficients",
    ax=None,
):
    """Bar chart of coefficients, optionally next to comparison bars.

    Parameters
    ----------
    coefs : array_like, shape (p,)
        The coefficients to show (bars with ``gid="coefs"``).
    compare : array_like of shape (p,) or mapping label -> array, optional
        Bars to compare with (e.g. least squares, the true weights); drawn
        hatched, to the right of each main bar.
    feature_names : sequence of str, optional
        Tick labels (default ``w1 … wp``).
    """
    coefs = np.asarray(coefs, dtype=float)
    p = coefs.shape[0]
    others = as_series(compare, compare_label)
    n_groups = 1 + len(others)
    width = 0.8 / n_groups
    pos = np.arange(p)
    ax = new_axes(ax)
    for i, (label, values) in enumerate([(coef_label, coefs), *others.items()]):
        bars = ax.bar(pos + (i - (n_groups - 1) / 2) * width, np.asarray(values, dtype=float), width,
                      color=PALETTE[i], edgecolor=OKABE_ITO["black"], linewidth=0.6,
                      hatch=HATCHES[i], label=label)
        bars.gid = "coefs" if i == 0 else f"compare-{i}"  # containers have no set_gid
    ax.axhline(0.0, color=OKABE_ITO["black"], linewidth=0.8)
    names = list(feature_names) if feature_names is not None else [f"w{j + 1}" for j in range(p)]
    ax.set_xticks(pos, names, rotation=45 if max(len(s) for s in names) > 4 else 0)
    ax.grid(axis="x", visible=False)
    if ylim is not None:
        ax.set_ylim(*ylim)
    return finish_axes(ax, "feature", "coefficient", title)


def plot_path(
    rates,
    coefs,
    *,
    feature_names=None,
    marker_rate=None,
    knots=None,
    label_lines=True,
    title="Regularization path",
    ax=None,
):
    """Coefficients against the rate (ridge trace or lasso path) on a log x-axis.

    Parameters
    ----------
    rates : array_like, shape (k,)
        Rates (any order); non-positive rates are left out (a log axis cannot show 0).
    coefs : array_like, shape (k, p)
        Coefficients at each rate, one column per feature.
    feature_names : sequence of str, optional
        Names for the legend / line-end labels (default ``w1 … wp``).
    marker_rate : float, optional
        Draw a dotted vertical line at this rate (``gid="rate-marker"``) and
        dots at the coefficients there (``gid="rate-dots"``; interpolated on the
        drawn path, so pass a fine grid or the knots).
    knots : array_like of shape (m,), optional
        Rates where the active set changes (lasso); drawn as faint vertical ticks.
    label_lines : bool
        Write each feature's name at the low-rate end of its line (``gid="path-label-j"``), names
        of lines that start close together moved apart (set a non-linear y-scale on ``ax`` first).
    """
    rates = np.asarray(rates, dtype=float)
    coefs = np.asarray(coefs, dtype=float)
    if coefs.ndim != 2 or coefs.shape[0] != rates.shape[0]:
        raise ValueError(
            f"coefs must have shape (len(rates), p) = ({rates.shape[0]}, p); got shape {coefs.shape}"
        )
    keep = positive_mask(rates)
    order = np.argsort(rates[keep])
    r, c = rates[keep][order], coefs[keep][order]
    p = c.shape[1]
    names = list(feature_names) if feature_names is not None else [f"w{j + 1}" for j in range(p)]
    ax = new_axes(ax)
    heights = label_heights(ax, c[0])  # names of lines that start close together must not overlap
    for j in range(p):
        s = series_style(j)
        ax.plot(r, c[:, j], color=s["color"], linestyle=s["linestyle"], label=names[j], gid=f"path-{j}")
        if label_lines:
            ax.annotate(names[j], (r[0], heights[j]), xytext=(-4, 0), textcoords="offset points",
                        ha="right", va="center", fontsize=SMALL_FONT_SIZE, color=s["color"],
                        annotation_clip=False, gid=f"path-label-{j}")  # drawn even if spread past the limits
    ax.axhline(0.0, color=OKABE_ITO["black"], linewidth=0.8)
    if knots is not None:
        for k in np.asarray(knots, dtype=float):
            if k > 0:
                ax.axvline(k, color="0.6", linewidth=0.6, linestyle=(0, (1, 2)))
    if marker_rate is not None:
        marker_line(ax, marker_rate, f"rate = {marker_rate:.3g}", "rate-marker")
        at = np.array([np.interp(np.log(marker_rate), np.log(r), c[:, j]) for j in range(p)])
        ax.scatter(np.full(p, marker_rate), at, color=[series_style(j)["color"] for j in range(p)],
                   edgecolor=OKABE_ITO["black"], zorder=3, s=25, gid="rate-dots")
    ax.set_xscale("log")
    ax.set_xlim(r[0] / 3.0, r[-1] * 1.05)
    ax.set_xlabel("rate (log scale)")
    ax.set_ylabel("coefficient")
    ax.set_title(title)
    if p > 1 and p <= 10:
        ax.legend(loc="best", ncols=1 + p // 6)
    return ax


def plot_weight_histogram(
    weights,
    *,
    bins=40,
    log_y=False,
    title="Weight distribution",
    ax=None,
):
    """Overlaid step histograms of the weights of several models.

    Parameters
    ----------
    weights : array_like or mapping label -> array_like
        Flattened weights of each model (e.g. ``{"Adam + L2": w1, "AdamW": w2}``).
    bins : int or array_like
        Number of shared bins over the range of all weights, or the bin edges.

    The k-th histogram is a ``StepPatch`` with ``gid="hist-k"``.
    """
    series = {k: np.ravel(np.asarray(v, dtype=float)) for k, v in as_series(weights, "weights").items()}
    if np.ndim(bins) == 0:
        everything = np.concatenate(list(series.values()))
        lo, hi = float(everything.min()), float(everything.max())
        if hi <= lo:
            lo, hi = lo - 0.5, hi + 0.5
        edges = np.linspace(lo, hi, int(bins) + 1)
    else:
        edges = np.asarray(bins, dtype=float)
    ax = new_axes(ax)
    for k, (label, values) in enumerate(series.items()):
        counts, _ = np.histogram(values, bins=edges)
        s = series_style(k)
        ax.stairs(counts, edges, color=s["color"], linestyle=s["linestyle"], linewidth=1.8,
                  label=label, gid=f"hist-{k}")
    if log_y:
        ax.set_yscale("log")
    return finish_axes(ax, "weight value", "count", title)


def plot_shrinkage(
    singular_values,
    n_samples,
    rates,
    *,
    marker_rate=None,
    title="Ridge shrinkage per principal direction",
    ax=None,
):
    r"""Ridge shrinkage factor of each principal direction against the rate.

    With the course objective ``1/(2n)·||y − Xw − b||² + rate/2·||w||²`` the
    ridge fit multiplies the least-squares component along the j-th singular
    direction of the centred X by

    .. math:: \frac{d_j^2}{d_j^2 + n \cdot \text{rate}}

    (``ridge_shrinkage_factors`` in :mod:`course_lib.trainers` computes the same).

    Parameters
    ----------
    singular_values : array_like, shape (p,)
        Singular values ``d_j`` of the centred design matrix.
    n_samples : int
        Number of rows ``n``.
    rates : array_like, shape (k,)
        Rates for the x-axis (positive ones are drawn, on a log axis).
    marker_rate : float, optional
        Dotted vertical line at this rate (``gid="rate-marker"``).
    """
    d = np.asarray(singular_values, dtype=float)
    rates = np.asarray(rates, dtype=float)
    r = np.sort(rates[positive_mask(rates)])
    factors = d[None, :] ** 2 / (d[None, :] ** 2 + n_samples * r[:, None])
    ax = new_axes(ax)
    for j in range(d.shape[0]):
        s = series_style(j)
        ax.plot(r, factors[:, j], color=s["color"], linestyle=s["linestyle"], label=f"d{j + 1} = {d[j]:.3g}")
        # direct label: the curve's number j + 1 where it crosses a staggered height h (at
        # rate = d²(1 − h)/(n·h)), so that curves are told apart without colour or legend
        height = (0.75, 0.5, 0.25)[j % 3]
        at = d[j] ** 2 * (1 - height) / (n_samples * height)
        if d.shape[0] <= 10 and r.size and r[0] <= at <= r[-1]:
            ax.text(at, height, str(j + 1), color=OKABE_ITO["black"], fontsize=SMALL_FONT_SIZE, ha="center", va="center",
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": s["color"],
                          "linewidth": 0.6}, gid=f"direction-label-{j}")
    if marker_rate is not None:
        marker_line(ax, marker_rate, f"rate = {marker_rate:.3g}", "rate-marker")
    ax.set_xscale("log")
    ax.set_ylim(-0.02, 1.02)
    if d.shape[0] > 10:  # too many lines for a legend: keep only the marker's entry
        for line in ax.lines[: d.shape[0]]:
            line.set_label("_nolegend_")
    return finish_axes(ax, "rate (log scale)", "shrinkage factor d²/(d² + n·rate)", title)

"""Plotting helpers with one consistent, colour-blind-safe style.

Every helper

* takes an optional ``ax`` (a new figure is made when it is ``None``) and
  returns the Axes it drew on;
* only draws: the numbers come from the numerics modules, the helpers evaluate
  nothing beyond trivial formulas (a quadratic on a grid, a shrinkage factor);
* labels both axes, gives a title, and adds a legend when there is more than
  one series;
* tells series apart by colour (Okabe–Ito palette) *and* by line style or
  marker, so every figure still reads in greyscale print.

Artists that the widgets update in place carry a ``gid`` (e.g. ``"fit"``,
``"rate-marker"``); :func:`find_artist` fetches them.

Usage::

    from course_lib.plots import course_style, plot_error_curves
    with course_style():
        ax = plot_error_curves(degrees, train_mse, test_mse, xlabel="degree")
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
from matplotlib.colors import LinearSegmentedColormap, to_rgba

__all__ = [
    "OKABE_ITO",
    "PALETTE",
    "LINESTYLES",
    "MARKERS",
    "HATCHES",
    "PROBABILITY_CMAP",
    "series_style",
    "course_rc",
    "course_style",
    "use_course_style",
    "find_artist",
    "spread_labels",
    "plot_polynomial_fit",
    "plot_error_curves",
    "plot_bias_variance",
    "plot_coefficient_bars",
    "plot_path",
    "contour_ellipse",
    "l1_ball_points",
    "l2_ball_points",
    "elastic_net_ball_points",
    "plot_contours_with_ball",
    "plot_decision_boundary",
    "plot_cv_curve",
    "plot_weight_histogram",
    "plot_shrinkage",
]

#: The eight Okabe–Ito colours (Okabe & Ito 2008, "Color Universal Design").
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Series colours in order of use; the pale yellow comes last (weak on white).
PALETTE = (
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["orange"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["black"],
    OKABE_ITO["yellow"],
)

#: One line style per series, paired with :data:`PALETTE` (same length).
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (8, 2)), (0, (1, 3)), (0, (3, 1, 1, 1)))

#: One marker per series, paired with :data:`PALETTE` (same length).
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")

#: Bar hatches, so that compared bars differ without colour.
HATCHES = ("", "//", "..", "xx", "\\\\", "oo", "--", "++")

#: Class-probability colour map from Okabe–Ito blue (p=0) through white to vermillion (p=1).
PROBABILITY_CMAP = LinearSegmentedColormap.from_list(
    "course_probability", [OKABE_ITO["blue"], "#FFFFFF", OKABE_ITO["vermillion"]]
)

# Fixed roles used across figures.
_DATA = {"color": OKABE_ITO["black"], "marker": "o", "linestyle": "none", "alpha": 0.75}
_TRUTH = {"color": OKABE_ITO["bluish_green"], "linestyle": "--", "linewidth": 2.0}
_MARKER_LINE = {"color": OKABE_ITO["black"], "linestyle": ":", "linewidth": 1.2}
_FIT_SERIES = (0, 3, 4, 5, 6)  # series styles for fitted curves: never the dashes of the truth


def series_style(i: int) -> dict:
    """Colour, line style and marker of the ``i``-th series.

    Series 0-7 pair the k-th colour with the k-th line style and marker.  From
    series 8 on, the line style and marker shift by one per round of eight, so
    that no two of the first 64 series look the same.

    >>> series_style(0)["color"] == OKABE_ITO["blue"]
    True
    """
    n = len(PALETTE)
    i = int(i)
    k, shift = i % n, (i // n) % n
    return {"color": PALETTE[k], "linestyle": LINESTYLES[(k + shift) % n], "marker": MARKERS[(k + shift) % n]}


def course_rc() -> dict:
    """The ``rcParams`` of the course style (a plain dict, for ``mpl.rc_context``)."""
    return {
        "axes.prop_cycle": cycler(color=list(PALETTE)) + cycler(linestyle=list(LINESTYLES)),
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": "medium",
        "axes.labelsize": "medium",
        "legend.frameon": False,
        "legend.fontsize": "small",
        "lines.linewidth": 1.8,
        "lines.markersize": 5.0,
        "image.cmap": "cividis",
        "figure.dpi": 100,
        "savefig.bbox": "tight",
    }


@contextlib.contextmanager
def course_style():
    """Context manager applying the course style to figures made inside it.

    Matplotlib's interactive mode is kept as the block leaves it.  ``rc_context`` restores every
    rcParam, ``interactive`` included; in a notebook the inline backend is resolved, and switches
    interactive mode on, when the first figure is made.  Were that first figure made inside this
    block, restoring ``interactive = False`` afterwards would stop later figures from showing by
    themselves at the end of their cells.
    """
    state = {"interactive": mpl.is_interactive()}
    try:
        with mpl.rc_context(course_rc()):
            try:
                yield
            finally:
                state["interactive"] = mpl.is_interactive()
    finally:
        mpl.interactive(state["interactive"])


def use_course_style() -> None:
    """Apply the course style globally (for the setup cell of a notebook)."""
    mpl.rcParams.update(course_rc())


def find_artist(ax, gid: str):
    """Return the artist with ``gid`` on ``ax`` (lines, collections, patches, containers)."""
    for group in (ax.lines, ax.collections, ax.patches, ax.containers, ax.texts, ax.images):
        for artist in group:
            if getattr(artist, "get_gid", lambda: None)() == gid or getattr(artist, "gid", None) == gid:
                return artist
    raise KeyError(f"no artist with gid={gid!r} on this Axes")


# ---------------------------------------------------------------------------
# Small private helpers
# ---------------------------------------------------------------------------


def _axes(ax, figsize=(5.5, 3.8)):
    if ax is None:
        with course_style():
            _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _finish(ax, xlabel, ylabel, title, *, legend=True):
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


def _vline(ax, x, label, gid):
    line = ax.axvline(x, **_MARKER_LINE, label=label)
    line.set_gid(gid)
    return line


def _positive(rates, name="rates"):
    """Rates as an array, keeping only the entries a log axis can show."""
    rates = np.asarray(rates, dtype=float)
    if rates.ndim != 1 or rates.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array; got shape {rates.shape}")
    return rates > 0


def _as_series(values, default_label):
    """A mapping label -> array from either one array or a mapping."""
    if values is None:
        return {}
    if isinstance(values, Mapping):
        return dict(values)
    return {default_label: values}


# ---------------------------------------------------------------------------
# Helpers for the lessons
# ---------------------------------------------------------------------------


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
    ax = _axes(ax)
    ax.plot(x, y, **_DATA, label="data", gid="data")
    if y_truth is not None:
        ax.plot(x_grid, y_truth, **_TRUTH, label="true curve", gid="truth")
    for i, (label, values) in enumerate(_as_series(y_fit, fit_label).items()):
        style = series_style(_FIT_SERIES[i % len(_FIT_SERIES)])
        ax.plot(x_grid, values, color=style["color"], linestyle=style["linestyle"], label=label,
                gid="fit" if i == 0 else f"fit-{i}")
    if ylim is not None:
        ax.set_ylim(*ylim)
    return _finish(ax, "x", "y", title)


def plot_error_curves(
    param,
    train_error,
    test_error,
    *,
    xlabel="model complexity",
    ylabel="mean squared error",
    test_label="test",
    log_x=False,
    log_y=False,
    mark_minimum=True,
    title="Training and test error",
    ax=None,
):
    """Training and test (or validation) error against a parameter.

    The test curve's minimum is marked with a dotted vertical line and a star
    when ``mark_minimum`` is true.  Lines carry ``gid="train"`` and ``"test"``.
    """
    param = np.asarray(param, dtype=float)
    ax = _axes(ax)
    s0, s1 = series_style(0), series_style(1)
    ax.plot(param, train_error, color=s0["color"], linestyle=s0["linestyle"], marker=s0["marker"],
            markevery=max(1, len(param) // 12), label="training", gid="train")
    ax.plot(param, test_error, color=s1["color"], linestyle=s1["linestyle"], marker=s1["marker"],
            markevery=max(1, len(param) // 12), label=test_label, gid="test")
    if mark_minimum:
        k = int(np.nanargmin(np.asarray(test_error, dtype=float)))
        ax.plot(param[k], np.asarray(test_error)[k], marker="*", markersize=14, linestyle="none",
                color=OKABE_ITO["black"], label=f"lowest {test_label} error ({param[k]:.3g})", gid="minimum")
    if log_x:
        ax.set_xscale("log")
    if log_y:
        ax.set_yscale("log")
    return _finish(ax, xlabel, ylabel, title)


def plot_bias_variance(
    param,
    bias_squared,
    variance,
    noise,
    total=None,
    *,
    kind="lines",
    xlabel="model complexity",
    log_x=False,
    title="Bias–variance decomposition",
    ax=None,
):
    """Bias², variance, noise and their sum (expected test error) against a parameter.

    Parameters
    ----------
    noise : float or array_like
        Irreducible error σ² (a number is drawn as a constant).
    total : array_like, optional
        Expected test error; defaults to ``bias² + variance + noise``.  Pass the
        Monte-Carlo estimate to show that the decomposition adds up.
    kind : {"lines", "stacked"}
        Separate lines, or stacked areas (noise at the bottom) topped by the total.
    """
    param = np.asarray(param, dtype=float)
    bias_squared = np.asarray(bias_squared, dtype=float)
    variance = np.asarray(variance, dtype=float)
    noise = np.broadcast_to(np.asarray(noise, dtype=float), param.shape)
    total = bias_squared + variance + noise if total is None else np.asarray(total, dtype=float)
    ax = _axes(ax)
    if kind == "stacked":
        parts = [("noise σ²", noise, "0.6", ".."), ("bias²", bias_squared, PALETTE[0], "//"),
                 ("variance", variance, PALETTE[1], "\\\\")]
        bottom = np.zeros_like(param)
        for label, values, colour, hatch in parts:
            ax.fill_between(param, bottom, bottom + values, facecolor=colour, alpha=0.45, hatch=hatch,
                            edgecolor=colour, label=label)
            bottom = bottom + values
        ax.plot(param, total, color=OKABE_ITO["black"], linestyle="-", marker="o",
                markevery=max(1, len(param) // 12), label="expected test error", gid="total")
    elif kind == "lines":
        rows = [("bias²", bias_squared, 0), ("variance", variance, 1), ("noise σ²", noise, 2),
                ("expected test error", total, 6)]
        for label, values, k in rows:
            s = series_style(k)
            ax.plot(param, values, color=s["color"], linestyle=s["linestyle"], marker=s["marker"],
                    markevery=max(1, len(param) // 12), label=label)
    else:
        raise ValueError(f"kind must be 'lines' or 'stacked'; got kind={kind!r}")
    if log_x:
        ax.set_xscale("log")
    return _finish(ax, xlabel, "expected squared error", title)


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
    others = _as_series(compare, compare_label)
    n_groups = 1 + len(others)
    width = 0.8 / n_groups
    pos = np.arange(p)
    ax = _axes(ax)
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
    return _finish(ax, "feature", "coefficient", title)


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
        Write each feature's name at the low-rate end of its line.
    """
    rates = np.asarray(rates, dtype=float)
    coefs = np.asarray(coefs, dtype=float)
    if coefs.ndim != 2 or coefs.shape[0] != rates.shape[0]:
        raise ValueError(
            f"coefs must have shape (len(rates), p) = ({rates.shape[0]}, p); got shape {coefs.shape}"
        )
    keep = _positive(rates)
    order = np.argsort(rates[keep])
    r, c = rates[keep][order], coefs[keep][order]
    p = c.shape[1]
    names = list(feature_names) if feature_names is not None else [f"w{j + 1}" for j in range(p)]
    ax = _axes(ax)
    for j in range(p):
        s = series_style(j)
        ax.plot(r, c[:, j], color=s["color"], linestyle=s["linestyle"], label=names[j], gid=f"path-{j}")
        if label_lines:
            ax.annotate(names[j], (r[0], c[0, j]), xytext=(-4, 0), textcoords="offset points",
                        ha="right", va="center", fontsize="x-small", color=s["color"])
    ax.axhline(0.0, color=OKABE_ITO["black"], linewidth=0.8)
    if knots is not None:
        for k in np.asarray(knots, dtype=float):
            if k > 0:
                ax.axvline(k, color="0.6", linewidth=0.6, linestyle=(0, (1, 2)))
    if marker_rate is not None:
        _vline(ax, marker_rate, f"rate = {marker_rate:.3g}", "rate-marker")
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


def contour_ellipse(hessian, center, level, n_points=181):
    r"""Points of the level set ``½(w − c)ᵀH(w − c) = level`` (an ellipse), shape (n_points, 2).

    With ``H = Q diag(λ) Qᵀ`` the ellipse is ``c + Q diag(sqrt(2·level/λ)) (cos θ, sin θ)``:
    an exact contour, cheap enough to recompute on every widget update.
    """
    H = np.asarray(hessian, dtype=float)
    lam, Q = np.linalg.eigh(H)
    theta = np.linspace(0.0, 2.0 * np.pi, n_points)
    circle = np.stack([np.cos(theta), np.sin(theta)])
    return (np.asarray(center, dtype=float)[:, None] + Q @ (np.sqrt(2.0 * max(level, 0.0) / lam)[:, None] * circle)).T


def l1_ball_points(budget) -> np.ndarray:
    """Corners of the diamond ``|w1| + |w2| <= budget``, shape (4, 2)."""
    t = float(budget)
    return np.array([[t, 0.0], [0.0, t], [-t, 0.0], [0.0, -t]])


def l2_ball_points(budget, n_points=181) -> np.ndarray:
    """Points on the circle ``w1² + w2² = budget²``, shape (n_points, 2)."""
    theta = np.linspace(0.0, 2.0 * np.pi, n_points)
    return float(budget) * np.column_stack([np.cos(theta), np.sin(theta)])


def elastic_net_ball_points(budget, l1_ratio, n_points=361) -> np.ndarray:
    r"""Points on the boundary of the elastic-net ball through ``(±budget, 0)`` and ``(0, ±budget)``.

    The ball is ``{w : ρ·||w||₁ + (1 − ρ)/2·||w||² <= c}`` with ``ρ = l1_ratio`` and
    ``c = ρ·t + (1 − ρ)/2·t²`` (``t = budget``), so that it meets the axes where the L1 diamond
    and the L2 circle of the same budget do.  Along the unit direction ``u`` the boundary is at

    .. math:: r(u) = \frac{2c}{\rho\,\|u\|_1 + \sqrt{\rho^2\|u\|_1^2 + 2(1-\rho)\,c}},

    the positive root of ``ρ·r·||u||₁ + (1 − ρ)/2·r² = c`` (written without cancellation).
    ``l1_ratio=0`` gives the circle, ``l1_ratio=1`` the diamond.  Shape (n_points, 2), closed.
    """
    t, rho = float(budget), float(l1_ratio)
    if not 0.0 <= rho <= 1.0:
        raise ValueError(f"l1_ratio must be between 0 and 1; got l1_ratio={l1_ratio!r}")
    theta = np.linspace(0.0, 2.0 * np.pi, n_points)
    u = np.column_stack([np.cos(theta), np.sin(theta)])
    norm1 = np.abs(u).sum(axis=1)
    c = rho * t + 0.5 * (1.0 - rho) * t * t
    r = 2.0 * c / (rho * norm1 + np.sqrt((rho * norm1) ** 2 + 2.0 * (1.0 - rho) * c))
    return r[:, None] * u

#: Default contour levels, as multiples of the loss at the origin (the 1.0 contour passes through 0).
CONTOUR_FRACTIONS = (1 / 32, 1 / 8, 1 / 4, 1 / 2, 1.0, 2.0)


def plot_contours_with_ball(
    hessian,
    optimum,
    budget,
    *,
    norm="both",
    solutions=None,
    levels=None,
    extent=None,
    title="Loss contours and the constraint region",
    ax=None,
):
    r"""Elliptical contours of a 2-D quadratic loss with the L1 diamond and/or L2 disc.

    The loss is

    .. math:: L(w) = \tfrac12 (w - \hat w)^\top H (w - \hat w),

    with ``hessian`` = H (2×2, symmetric positive definite) and ``optimum`` = ŵ.
    The constraint regions are ``|w1| + |w2| <= budget`` (L1) and
    ``w1² + w2² <= budget²`` (L2).  Contours are drawn as exact ellipses
    (:func:`contour_ellipse`, gids ``"contour-k"``).

    Parameters
    ----------
    norm : {"both", "l1", "l2"}
        Which region(s) to draw (gids ``"l1-ball"``, ``"l2-ball"``).
    solutions : mapping label -> (w1, w2), optional
        Points to mark (e.g. ``{"L1 solution": w_l1, "L2 solution": w_l2}``);
        the k-th point gets gid ``"solution-k"`` and the contour through it,
        drawn in its style, ``"solution-contour-k"``: where the constraint is
        active that contour just touches the region.  The unconstrained optimum
        is always marked (gid ``"optimum"``).
    levels : sequence of float, optional
        Loss values of the grey contours; default :data:`CONTOUR_FRACTIONS` times
        the loss at the origin.
    extent : float, optional
        Half-width of the square view around the origin.
    """
    H = np.asarray(hessian, dtype=float)
    w_hat = np.asarray(optimum, dtype=float)
    if H.shape != (2, 2) or w_hat.shape != (2,):
        raise ValueError(f"hessian must be 2x2 and optimum length 2; got {H.shape} and {w_hat.shape}")
    if norm not in ("both", "l1", "l2"):
        raise ValueError(f"norm must be 'both', 'l1' or 'l2'; got norm={norm!r}")
    half = extent if extent is not None else 1.3 * max(abs(w_hat).max(), budget, 1e-3)
    if levels is None:
        at_origin = 0.5 * float(w_hat @ H @ w_hat)
        levels = [f * (at_origin if at_origin > 0 else 0.5 * half**2) for f in CONTOUR_FRACTIONS]
    ax = _axes(ax, figsize=(4.8, 4.6))
    for k, level in enumerate(levels):
        pts = contour_ellipse(H, w_hat, level)
        ax.plot(pts[:, 0], pts[:, 1], color="0.55", linewidth=0.8, linestyle="-",
                label="loss contours" if k == 0 else "_nolegend_", gid=f"contour-{k}")
    if norm in ("both", "l1"):
        ax.fill(*l1_ball_points(budget).T, facecolor=to_rgba(PALETTE[0], 0.18),
                edgecolor=PALETTE[0], linestyle=LINESTYLES[0], linewidth=2.0, hatch="//",
                label="L1 ball |w1|+|w2| ≤ t", gid="l1-ball")
    if norm in ("both", "l2"):
        ax.fill(*l2_ball_points(budget).T, facecolor=to_rgba(PALETTE[1], 0.12),
                edgecolor=PALETTE[1], linestyle=LINESTYLES[1], linewidth=2.0,
                label="L2 ball w1²+w2² ≤ t²", gid="l2-ball")
    ax.plot(*w_hat, marker="*", markersize=14, color=OKABE_ITO["black"], linestyle="none",
            label="unregularized optimum", gid="optimum")
    for k, (label, point) in enumerate(_as_series(solutions, "solution").items()):
        s = series_style(k)
        point = np.asarray(point, dtype=float)
        pts = contour_ellipse(H, w_hat, 0.5 * float((point - w_hat) @ H @ (point - w_hat)))
        ax.plot(pts[:, 0], pts[:, 1], color=s["color"], linestyle=s["linestyle"], linewidth=1.2,
                label="_nolegend_", gid=f"solution-contour-{k}")
        ax.plot(*point, marker=s["marker"], markersize=9, color=s["color"],
                markeredgecolor=OKABE_ITO["black"], linestyle="none", label=label, gid=f"solution-{k}")
    ax.axhline(0.0, color=OKABE_ITO["black"], linewidth=0.6)
    ax.axvline(0.0, color=OKABE_ITO["black"], linewidth=0.6)
    ax.set_xlim(-half, half)
    ax.set_ylim(-half, half)
    ax.set_aspect("equal")
    ax.legend(loc="lower left", fontsize="x-small")
    return _finish(ax, "w1", "w2", title, legend=False)


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

    The probability image (``imshow`` over the regular grid) carries ``gid="proba"``; the
    contour lines at p = 0.25, 0.5 (bold) and 0.75 carry ``gid="boundary"``.
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
    ax = _axes(ax, figsize=(5.2, 4.4))
    image = ax.imshow(proba, origin="lower", extent=(xx.min(), xx.max(), yy.min(), yy.max()),
                      cmap=PROBABILITY_CMAP, vmin=0.0, vmax=1.0, alpha=0.8, aspect="auto",
                      interpolation="bilinear")
    image.set_gid("proba")
    ax.grid(False)  # grid lines would cut through the probability image
    boundary = ax.contour(xx, yy, proba, levels=[0.25, 0.5, 0.75], colors=OKABE_ITO["black"],
                          linewidths=[0.8, 2.0, 0.8], linestyles=[":", "-", ":"])
    boundary.set_gid("boundary")
    for label, marker, k in ((0, "o", 0), (1, "^", 1)):
        mask = y == label
        ax.scatter(X[mask, 0], X[mask, 1], marker=marker, color=PALETTE[k], edgecolor=OKABE_ITO["black"],
                   linewidth=0.6, s=28, label=f"class {label}", gid=f"class-{label}")
    ax.plot([], [], color=OKABE_ITO["black"], linewidth=2.0, label="p = 0.5 boundary")
    ax.plot([], [], color=OKABE_ITO["black"], linewidth=0.8, linestyle=":", label="p = 0.25, 0.75")
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label="P(class 1)", ticks=[0, 0.25, 0.5, 0.75, 1])
    _finish(ax, "x1", "x2", title)
    legend = ax.get_legend()
    if legend is not None:  # the image fills the axes: a light box keeps the legend off the points and lines
        legend.set_frame_on(True)
        legend.get_frame().set(facecolor="white", edgecolor="none", alpha=0.8)
    return ax


def plot_cv_curve(
    rates,
    mean_error,
    standard_error,
    *,
    best_rate=None,
    rate_1se=None,
    ylabel="cross-validated mean squared error",
    title="Cross-validation error",
    ax=None,
):
    """Mean cross-validated error ± one standard error against the rate (log x).

    ``best_rate`` (lowest mean error) and ``rate_1se`` (largest rate within one
    standard error of the best, the "one-standard-error rule") are marked with
    vertical lines of different styles.  A ``CVResult`` plots with
    ``plot_cv_curve(cv.rates, cv.mean_error, cv.standard_error,
    best_rate=cv.best_rate, rate_1se=cv.rate_1se)``.
    """
    rates = np.asarray(rates, dtype=float)
    keep = _positive(rates)
    r = rates[keep]
    m = np.asarray(mean_error, dtype=float)[keep]
    se = np.asarray(standard_error, dtype=float)[keep]
    ax = _axes(ax)
    ax.errorbar(r, m, yerr=se, color=PALETTE[0], ecolor="0.5", marker="o", markersize=3.5,
                capsize=2, linestyle="-", label="mean error ± 1 SE")
    if best_rate is not None:
        ax.axvline(best_rate, color=PALETTE[1], linestyle="--", linewidth=1.5,
                   label=f"lowest error: rate = {best_rate:.3g}")
    if rate_1se is not None:
        ax.axvline(rate_1se, color=PALETTE[2], linestyle="-.", linewidth=1.5,
                   label=f"1-SE rule: rate = {rate_1se:.3g}")
    ax.set_xscale("log")
    return _finish(ax, "rate (log scale)", ylabel, title)


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
    series = {k: np.ravel(np.asarray(v, dtype=float)) for k, v in _as_series(weights, "weights").items()}
    if np.ndim(bins) == 0:
        everything = np.concatenate(list(series.values()))
        lo, hi = float(everything.min()), float(everything.max())
        if hi <= lo:
            lo, hi = lo - 0.5, hi + 0.5
        edges = np.linspace(lo, hi, int(bins) + 1)
    else:
        edges = np.asarray(bins, dtype=float)
    ax = _axes(ax)
    for k, (label, values) in enumerate(series.items()):
        counts, _ = np.histogram(values, bins=edges)
        s = series_style(k)
        ax.stairs(counts, edges, color=s["color"], linestyle=s["linestyle"], linewidth=1.8,
                  label=label, gid=f"hist-{k}")
    if log_y:
        ax.set_yscale("log")
    return _finish(ax, "weight value", "count", title)


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
    r = np.sort(rates[_positive(rates)])
    factors = d[None, :] ** 2 / (d[None, :] ** 2 + n_samples * r[:, None])
    ax = _axes(ax)
    for j in range(d.shape[0]):
        s = series_style(j)
        ax.plot(r, factors[:, j], color=s["color"], linestyle=s["linestyle"], label=f"d{j + 1} = {d[j]:.3g}")
        # direct label: the curve's number j + 1 where it crosses a staggered height h (at
        # rate = d²(1 − h)/(n·h)), so that curves are told apart without colour or legend
        height = (0.75, 0.5, 0.25)[j % 3]
        at = d[j] ** 2 * (1 - height) / (n_samples * height)
        if d.shape[0] <= 10 and r.size and r[0] <= at <= r[-1]:
            ax.text(at, height, str(j + 1), color=OKABE_ITO["black"], fontsize="x-small", ha="center", va="center",
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": s["color"],
                          "linewidth": 0.6}, gid=f"direction-label-{j}")
    if marker_rate is not None:
        _vline(ax, marker_rate, f"rate = {marker_rate:.3g}", "rate-marker")
    ax.set_xscale("log")
    ax.set_ylim(-0.02, 1.02)
    if d.shape[0] > 10:  # too many lines for a legend: keep only the marker's entry
        for line in ax.lines[: d.shape[0]]:
            line.set_label("_nolegend_")
    return _finish(ax, "rate (log scale)", "shrinkage factor d²/(d² + n·rate)", title)

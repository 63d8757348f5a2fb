"""Error against a knob: training and test error curves, the bias–variance split, the cross-validation curve."""

from __future__ import annotations

import numpy as np

from .axes import finish_axes, new_axes, positive_mask
from .style import OKABE_ITO, PALETTE, series_style


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
    ax = new_axes(ax)
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
    return finish_axes(ax, xlabel, ylabel, title)


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
    ax = new_axes(ax)
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
    return finish_axes(ax, xlabel, "expected squared error", title)


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
    keep = positive_mask(rates)
    r = rates[keep]
    m = np.asarray(mean_error, dtype=float)[keep]
    se = np.asarray(standard_error, dtype=float)[keep]
    ax = new_axes(ax)
    ax.errorbar(r, m, yerr=se, color=PALETTE[0], ecolor="0.5", marker="o", markersize=3.5,
                capsize=2, linestyle="-", label="mean error ± 1 SE")
    if best_rate is not None:
        ax.axvline(best_rate, color=PALETTE[1], linestyle="--", linewidth=1.5,
                   label=f"lowest error: rate = {best_rate:.3g}")
    if rate_1se is not None:
        ax.axvline(rate_1se, color=PALETTE[2], linestyle="-.", linewidth=1.5,
                   label=f"1-SE rule: rate = {rate_1se:.3g}")
    ax.set_xscale("log")
    return finish_axes(ax, "rate (log scale)", ylabel, title)

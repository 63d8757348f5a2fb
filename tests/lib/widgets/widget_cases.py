"""Shared by the widget tests: independent oracles and a small, fast setup of every widget.

The widget tests check update functions against computations independent of course_lib: numpy's
polyfit (a different polynomial basis with the same column space), the ridge normal equations, the
lasso, elastic-net and logistic KKT conditions, scikit-learn's Lasso and ElasticNet, the closed-form
solution of a quadratic, and direct train_mlp runs.
"""

import io

import numpy as np
from PIL import Image

from course_lib import widgets


def rel(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def assert_probability_bands(ax, xx, yy, proba):
    """The map on ``ax`` (gid "proba") shows ``proba``: the filled bands of 0.1 that matplotlib's own
    contourf draws for that grid on a fresh figure, polygon for polygon."""
    import matplotlib.pyplot as plt

    from course_lib import plots

    shown = plots.find_artist(ax, "proba")
    np.testing.assert_allclose(shown.levels, np.linspace(0.0, 1.0, 11))
    figure, scratch = plt.subplots()
    try:
        expected = scratch.contourf(xx, yy, proba, levels=np.linspace(0.0, 1.0, 11))
        got_paths, want_paths = shown.get_paths(), expected.get_paths()
        assert len(got_paths) == len(want_paths)
        for got, want in zip(got_paths, want_paths):
            np.testing.assert_allclose(got.vertices, want.vertices, rtol=1e-12, atol=1e-12)
    finally:
        plt.close(figure)


def lasso_kkt_violation(X, y, w, rate):
    n = X.shape[0]
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    g = Xc.T @ (yc - Xc @ w) / n
    on = np.abs(g - rate * np.sign(w))[w != 0]
    off = np.maximum(np.abs(g) - rate, 0)[w == 0]
    return max(on.max(initial=0.0), off.max(initial=0.0))


def bar_heights(bars):
    return np.array([b.get_height() for b in bars])


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


# Every widget on small data (fast), as (setup factory or None, extra positional arguments): the
# same settings serve the static figure (xxx_figure) and the widget (xxx_widget).
SMALL_WIDGETS = {
    "bias_variance": (lambda: widgets.bias_variance_setup(n_test=50, max_degree=6), (3, 15)),
    "ridge": (lambda: widgets.ridge_setup(degree=6, rates=np.geomspace(1e-4, 1, 10)), (1e-2,)),
    "rate_choice": (lambda: widgets.rate_choice_setup(rates=np.geomspace(1e-4, 1, 10)), ()),
    "lasso": (lambda: widgets.lasso_setup(n_features=5, n_rates=20), ()),
    "geometry": (None, ()),
    "classification": (lambda: widgets.classification_setup(degree=2, resolution=15), ()),
    "network": (lambda: widgets.network_setup(hidden=(3,), epochs=5, strengths=(0.0, 1.0), n_samples=30,
                                              resolution=6), ()),
    "elastic_net": (lambda: widgets.elastic_net_setup(n_l1_ratios=5), ()),
    "shrinkage_paths": (lambda: widgets.shrinkage_paths_setup(n_grid=11), ()),
    "learning_curves": (lambda: widgets.learning_curves_setup(hidden=(4,), weight_decays=(0.0, 0.01), epochs=20), ()),
    "dropout": (lambda: widgets.dropout_setup(hidden=(4, 4), dropouts=(0.0, 0.5), epochs=20, resolution=8), ()),
    "l1_network": (lambda: widgets.l1_network_setup(hidden=(4,), rates=(0.0, 0.01), epochs=20), (0.01,)),
}


def small(name, kind):
    """``widgets.<name>_<kind>`` (kind "figure" or "widget") built on SMALL_WIDGETS[name]."""
    make_setup, args = SMALL_WIDGETS[name]
    build = getattr(widgets, f"{name}_{kind}")
    return build(*args) if make_setup is None else build(make_setup(), *args)

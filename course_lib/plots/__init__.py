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

One module per kind of figure:

=====================  ==========================================================================
``style``              palette, line styles, markers, hatches, text sizes, dpi, ``course_style()``
``axes``               making and labelling an Axes, ``find_artist``, ``spread_labels``
``fits``               what a model predicts: polynomial fits, decision boundaries
``errors``             error against a knob: error curves, bias–variance, cross-validation
``coefficients``       coefficient bars, paths, shrinkage factors, weight histograms
``geometry``           loss contours with the L1 / L2 / elastic-net balls (lesson 5)
=====================  ==========================================================================
"""

from .axes import find_artist, spread_labels
from .coefficients import plot_coefficient_bars, plot_path, plot_shrinkage, plot_weight_histogram
from .errors import plot_bias_variance, plot_cv_curve, plot_error_curves
from .fits import PROBABILITY_LEVELS, draw_probability_map, plot_decision_boundary, plot_polynomial_fit
from .geometry import (
    CONTOUR_FRACTIONS,  # noqa: F401  (importable from course_lib.plots as before; not in __all__)
    contour_ellipse,
    elastic_net_ball_points,
    l1_ball_points,
    l2_ball_points,
    plot_contours_with_ball,
)
from .style import (
    HATCHES,
    LINESTYLES,
    MARKERS,
    MAX_FIGURE_WIDTH,
    OKABE_ITO,
    PALETTE,
    PIXEL_RATIO,
    PROBABILITY_CMAP,
    SCREEN_DPI,
    SMALL_FONT_SIZE,
    course_rc,
    course_style,
    series_style,
    use_course_style,
)

__all__ = [
    "OKABE_ITO",
    "PALETTE",
    "LINESTYLES",
    "MARKERS",
    "HATCHES",
    "PROBABILITY_CMAP",
    "SCREEN_DPI",
    "PIXEL_RATIO",
    "MAX_FIGURE_WIDTH",
    "SMALL_FONT_SIZE",
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
    "draw_probability_map",
    "PROBABILITY_LEVELS",
    "plot_cv_curve",
    "plot_weight_histogram",
    "plot_shrinkage",
]

# Lessons 11 and 12: training a network (learning curves, dropout masks, input usage)
from .training import plot_activation_matrix, plot_input_usage, plot_learning_curves  # noqa: E402

__all__ += ["plot_learning_curves", "plot_activation_matrix", "plot_input_usage"]

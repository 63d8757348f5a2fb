r"""Interactive widgets of the course: plain update functions plus thin ipywidgets wiring.

Every widget comes in four layers, so that the numbers can be tested without a
browser and every notebook shows a meaningful figure even where widgets are dead
(exported HTML, the course website, nbval):

==========================  =============================================================
``xxx_setup(...)``          precompute once: data, features, paths, grids (a frozen dataclass)
``xxx_update(setup, ...)``  pure numpy, no matplotlib: what the figure shows for one
                            setting of the controls (a small frozen dataclass of arrays)
``xxx_figure(setup, ...)``  the static figure for one setting (show it before the widget)
``xxx_widget(setup, ...)``  controls + an ``Output`` holding the figure, updated in place
==========================  =============================================================

A lesson cell therefore reads::

    setup = ridge_setup(degree=9, n_samples=15, seed=0)
    ridge_figure(setup, rate=1e-3);        # static: also visible in exported HTML
    ridge_widget(setup)                    # interactive in Jupyter

How an update is drawn: the figure and its artists are created once; a control
change calls ``xxx_update``, moves the artists (``set_data``, ``set_height``, …)
and re-displays the figure inside the widget's ``Output`` with
``clear_output(wait=True)`` — the practical way with the inline backend.  Every
update function runs in well under the "tens of milliseconds" budget
(``bench/bench_widgets.py`` prints the times); anything slower (paths, grids of
trained networks) is precomputed: paths in the setup, the network grid when its
widget is built (one vectorized run per optimizer), so that no move trains anything.

The returned widget (an ``ipywidgets.VBox``) also carries ``figure``,
``controls`` (dict name -> control), ``output``, ``refresh()``, ``last_update``,
``compute(**control_values)`` (the update function bound to the setup),
``draw(update)`` (moves the artists) and ``render()`` (PNG bytes of the figure,
redrawing only what moved), so tests can change a control and inspect the
artists and the benchmark can time computing and drawing separately.  The
widget displays those PNGs, so it works with any matplotlib backend.

Lessons: 2 :func:`bias_variance_widget`, 3 :func:`ridge_widget`,
4 :func:`lasso_widget`, 5 :func:`geometry_widget`, 6 :func:`rate_choice_widget`,
7 :func:`classification_widget`, 8 :func:`network_widget`,
9 :func:`elastic_net_widget`, 10 :func:`shrinkage_paths_widget`.
"""

from __future__ import annotations

import dataclasses
import io
import warnings
from collections import OrderedDict
from dataclasses import dataclass, field

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Image, display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.ticker import MaxNLocator
from PIL import Image as PILImage  # Pillow: a dependency of matplotlib

from . import plots
from ._validation import (
    as_data,
    as_labels,
    as_vector,
    check_bool,
    check_fraction,
    check_positive_float,
    check_positive_int,
    check_rate,
)
from .data import (
    load_prostate,
    make_classification_2d,
    make_correlated_pair,
    make_polynomial_data,
    make_sparse_regression,
    plane_features,
    polynomial_features,
    standardize,
    true_curve,
)
from .geometry import check_hessian, l1_constrained_solution, l2_constrained_solution, quadratic_loss
from .logistic import fit_logistic, predict_proba
from .mlp import train_mlps, weight_vector
from .trainers import (
    fit_elastic_net,
    fit_lasso,
    fit_ridge,
    lasso_max_rate,
    lasso_path,
    lasso_path_knots,
    ridge_effective_dof,
    ridge_path,
    ridge_rate_for_dof,
    ridge_shrinkage_factors,
)

__all__ = [
    "WIDGET_CLASS", "FIGURE_CLASS", "CONTROL_CLASS", "MAIN_CONTROL_CLASS",
    "render_png",
    # lesson 2
    "BiasVarianceSetup", "BiasVarianceUpdate", "bias_variance_setup", "bias_variance_update",
    "bias_variance_figure", "bias_variance_widget",
    # lessons 3 and 6
    "RidgeSetup", "RidgeUpdate", "ridge_setup", "ridge_update", "ridge_figure", "ridge_widget",
    "rate_choice_setup", "rate_choice_figure", "rate_choice_widget",
    # lesson 4
    "LassoSetup", "LassoUpdate", "lasso_setup", "lasso_update", "lasso_figure", "lasso_widget",
    # lesson 5
    "DEFAULT_HESSIAN", "GeometryUpdate",
    "geometry_update", "geometry_figure", "geometry_widget",
    # lesson 7
    "ClassificationSetup", "ClassificationUpdate", "classification_setup",
    "classification_update", "classification_figure", "classification_widget",
    # lesson 8
    "OPTIMIZER_LABELS", "NetworkSetup", "NetworkUpdate", "network_setup", "network_model",
    "network_update", "precompute_networks", "network_figure", "network_widget",
    # lesson 9
    "ElasticNetSetup", "ElasticNetUpdate", "elastic_net_setup", "elastic_net_update", "elastic_net_figure",
    "elastic_net_widget",
    # lesson 10
    "ShrinkagePathsSetup", "ShrinkagePathsUpdate", "shrinkage_paths_setup", "shrinkage_paths_update",
    "shrinkage_paths_figure", "shrinkage_paths_widget",
]

#: ``continuous_update`` of sliders whose redraw is cheap (a few lines and bars).
LIGHT_CONTINUOUS = True
_STYLE = {"description_width": "initial"}


def _layout():
    """A fresh Layout per control (no widget models are created at import time)."""
    return widgets.Layout(width="420px")


# ---------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------


def _mse(y, y_pred) -> float:
    """Mean squared error ``mean((y − ŷ)²)`` (no 1/2: this is the error we report)."""
    r = y - y_pred
    return float(r @ r) / r.shape[0]


def _log_slider(description, value, low, high, *, continuous=LIGHT_CONTINUOUS, step=0.05):
    """A FloatLogSlider over ``[low, high]`` (a rate is any number >= 0, not a fraction).

    The browser snaps a slider to the exponents ``min + k·step`` as soon as it is drawn and
    sends the snapped value back, so an asked rate between two of them (0.45 on a grid through
    0.44 and 0.46) would silently become another.  The grid is therefore shifted (by less than
    one step, staying inside ``[low, high]``) to pass through ``log10(value)``.
    """
    value = float(np.clip(value, low, high))
    exponent, lowest = float(np.log10(value)), float(np.log10(low))
    lowest = exponent - np.floor((exponent - lowest) / step + 1e-9) * step
    return widgets.FloatLogSlider(
        value=value, base=10, min=float(lowest), max=float(np.log10(high)), step=step,
        description=description, readout_format=".3g", continuous_update=continuous,
        layout=_layout(), style=_STYLE,
    )


def _new_figure(ncols, width_per_axes=4.4, height=3.7):
    with plots.course_style():
        fig, axes = plt.subplots(1, ncols, figsize=(width_per_axes * ncols, height), layout="constrained")
    return fig, np.atleast_1d(axes)


def render_png(figure) -> bytes:
    """The whole figure as PNG bytes, drawn by Agg at the figure's dpi."""
    if not isinstance(figure.canvas, FigureCanvasAgg):
        FigureCanvasAgg(figure)  # binds an Agg canvas (a closed pyplot figure keeps a no-op one)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=figure.dpi, bbox_inches=None)  # saving draws animated artists too
    return buffer.getvalue()


def _encode_png(canvas) -> bytes:
    """PNG bytes of what the Agg canvas holds now (fast zlib level: PNGs here are short-lived)."""
    pixels = np.asarray(canvas.buffer_rgba())
    buffer = io.BytesIO()
    PILImage.fromarray(pixels, "RGBA").save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


class _BlitRenderer:
    """Render a figure to PNG, redrawing only the artists that an update moves ("blitting").

    ``dynamic()`` lists those artists.  They are marked animated, so a full draw leaves
    them out; that background is kept and, on the next render, restored and the dynamic
    artists (then the legends of their axes, which must stay on top) are drawn over it,
    in z-order.  Whenever an axes' limits or the figure size change, the background is
    drawn afresh.  Saving the figure (``savefig``) still draws everything.
    """

    def __init__(self, figure, dynamic):
        self.figure, self.dynamic = figure, dynamic
        if not isinstance(figure.canvas, FigureCanvasAgg):
            FigureCanvasAgg(figure)
        self.background, self.state = None, None
        self.full_redraws = 0

    def _state(self):
        return tuple(tuple(np.round(ax.viewLim.bounds, 12)) for ax in self.figure.axes) + (
            tuple(self.figure.bbox.bounds),)

    def render(self) -> bytes:
        canvas = self.figure.canvas
        artists = sorted(self.dynamic(), key=lambda a: a.get_zorder())
        owners = {a.axes for a in artists if a.axes is not None}
        legends = [ax.get_legend() for ax in self.figure.axes if ax in owners and ax.get_legend() is not None]
        for artist in artists + legends:
            artist.set_animated(True)
        state = self._state()
        if self.background is None or state != self.state:
            canvas.draw()
            self.background, self.state = canvas.copy_from_bbox(self.figure.bbox), self._state()
            self.full_redraws += 1
        else:
            canvas.restore_region(self.background)
        renderer = canvas.get_renderer()
        for artist in artists + legends:
            artist.draw(renderer)
        return _encode_png(canvas)


def _in_ipython() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return False
    return get_ipython() is not None


#: CSS classes on every widget's parts, so a browser test (tests/browser) finds them without guessing.
WIDGET_CLASS, FIGURE_CLASS, CONTROL_CLASS, MAIN_CONTROL_CLASS = (
    "course-widget", "course-widget-figure", "course-widget-control", "course-widget-main-control")


def _assemble(view, controls, compute):
    """Wire ``controls`` to ``compute(**values)`` -> ``view.draw(update)`` and show the figure in an Output.

    The first control is the widget's main one (the one a lesson asks the learner to move).

    The figure is taken out of pyplot (so the inline backend does not show it a second time),
    laid out once and then frozen (later draws skip the layout engine).  Each refresh moves
    the artists, renders a PNG (only the moving artists are redrawn, see :class:`_BlitRenderer`)
    and re-displays it inside the Output with ``clear_output(wait=True)``.
    """
    figure = view.figure
    output = widgets.Output()
    plt.close(figure)
    FigureCanvasAgg(figure)
    values = lambda: {name: control.value for name, control in controls.items()}  # noqa: E731
    first = compute(**values())
    view.draw(first)  # the layout must make room for the titles the updates write (two-line ones too)
    figure.canvas.draw()  # run constrained layout once ...
    figure.set_layout_engine("none")  # ... and keep those positions
    renderer = _BlitRenderer(figure, view.dynamic)

    def refresh(change=None, update=None):
        update = compute(**values()) if update is None else update
        view.draw(update)
        box.last_update = update
        if _in_ipython():  # outside a kernel (tests, scripts) there is nothing to show
            png = renderer.render()
            with output:
                output.clear_output(wait=True)
                display(Image(data=png, format="png"))

    box = widgets.VBox([widgets.VBox(list(controls.values())), output])
    box.add_class(WIDGET_CLASS)
    output.add_class(FIGURE_CLASS)
    for index, control in enumerate(controls.values()):
        control.add_class(MAIN_CONTROL_CLASS if index == 0 else CONTROL_CLASS)
    box.figure, box.controls, box.output, box.refresh = figure, controls, output, refresh
    box.compute, box.draw, box.render = compute, view.draw, renderer.render
    box.last_update = None
    for control in controls.values():
        control.observe(refresh, names="value")
    refresh(update=first)
    return box


class _Cache(OrderedDict):
    """A small least-recently-used cache (fits keyed by their settings)."""

    def __init__(self, size):
        super().__init__()
        self.size = size

    def put(self, key, value):
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)
        return value


# ---------------------------------------------------------------------------
# Lesson 2: bias and variance — degree and sample size
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BiasVarianceSetup:
    """Fixed parts of the lesson-2 widget: noise, seed, a large test set and the plotting grid."""

    noise: float
    seed: int
    max_degree: int
    x_test: np.ndarray
    y_test: np.ndarray
    x_grid: np.ndarray
    y_truth: np.ndarray


@dataclass(frozen=True)
class BiasVarianceUpdate:
    """One polynomial least-squares fit, and the error of every degree on the same sample.

    ``train_errors[k]``/``test_errors[k]`` are for degree ``degrees[k]``; errors are
    mean squared errors ``mean((y − ŷ)²)``.  ``unique`` is False when
    ``degree >= n_samples`` (least squares has many solutions; the minimum-norm one is used).
    """

    degree: int
    n_samples: int
    x: np.ndarray
    y: np.ndarray
    y_fit: np.ndarray
    coef: np.ndarray
    intercept: float
    train_error: float
    test_error: float
    degrees: np.ndarray
    train_errors: np.ndarray
    test_errors: np.ndarray
    unique: bool


def bias_variance_setup(noise=0.3, seed=0, max_degree=15, n_test=500, n_grid=200) -> BiasVarianceSetup:
    """Test data and grid for :func:`bias_variance_update`.

    Parameters
    ----------
    noise : float
        Noise standard deviation of :func:`course_lib.data.make_polynomial_data`.
    seed : int
        Training samples use ``seed``; the test set uses ``default_rng([seed, 1])``.
    max_degree : int
        Largest degree on the error-curve axis.
    n_test, n_grid : int
        Size of the test set and of the plotting grid on [0, 1].
    """
    max_degree = check_positive_int(max_degree, "max_degree")
    x_test, y_test = make_polynomial_data(check_positive_int(n_test, "n_test"), noise,
                                          np.random.default_rng([check_positive_int(seed, "seed", minimum=0), 1]))
    x_grid = np.linspace(0.0, 1.0, check_positive_int(n_grid, "n_grid", minimum=2))
    return BiasVarianceSetup(float(noise), int(seed), max_degree, x_test, y_test, x_grid, true_curve(x_grid))


def _poly_fit_predict(x, y, degree, x_eval_list):
    """Least-squares polynomial of ``degree`` (powers of x mapped to [-1, 1]); predictions at each x_eval."""
    if degree == 0:
        return np.zeros(0), float(np.mean(y)), [np.full(len(xe), np.mean(y)) for xe in x_eval_list]
    with warnings.catch_warnings():  # degree >= n: the minimum-norm solution, flagged by `unique`
        warnings.simplefilter("ignore", RuntimeWarning)
        w, b = fit_ridge(polynomial_features(x, degree, x_range=(0.0, 1.0)), y, 0.0)
    return w, b, [polynomial_features(xe, degree, x_range=(0.0, 1.0)) @ w + b for xe in x_eval_list]


def bias_variance_update(setup: BiasVarianceSetup, degree, n_samples) -> BiasVarianceUpdate:
    r"""Least-squares polynomial fit of ``degree`` to ``n_samples`` noisy points of ``sin(2πx)``.

    The training sample is ``make_polynomial_data(n_samples, setup.noise, setup.seed)``;
    each fit minimizes ``1/(2n)·||y − Φw − b||²`` with ``Φ`` the powers of ``x`` mapped to
    [-1, 1] (:func:`course_lib.data.polynomial_features` with ``x_range=(0, 1)``).
    Also returns training and test error for every degree ``0 … setup.max_degree``.
    """
    degree = check_positive_int(degree, "degree", minimum=0)
    n_samples = check_positive_int(n_samples, "n_samples", minimum=2)
    x, y = make_polynomial_data(n_samples, setup.noise, setup.seed)
    degrees = np.arange(setup.max_degree + 1)
    train_errors, test_errors = np.empty(degrees.size), np.empty(degrees.size)
    for k in degrees:
        _, _, (p_train, p_test) = _poly_fit_predict(x, y, int(k), [x, setup.x_test])
        train_errors[k], test_errors[k] = _mse(y, p_train), _mse(setup.y_test, p_test)
    w, b, (p_train, p_test, y_fit) = _poly_fit_predict(x, y, degree, [x, setup.x_test, setup.x_grid])
    return BiasVarianceUpdate(
        degree, n_samples, x, y, y_fit, w, b, _mse(y, p_train), _mse(setup.y_test, p_test),
        degrees, train_errors, test_errors, degree < n_samples,
    )


class _BiasVarianceView:
    def __init__(self, setup: BiasVarianceSetup):
        self.figure, (self.ax_fit, self.ax_err) = _new_figure(2)
        with plots.course_style():
            plots.plot_polynomial_fit([], [], setup.x_grid, setup.y_truth, setup.x_grid * 0,
                                      fit_label="least-squares fit", ylim=(-2.0, 2.0), ax=self.ax_fit)
            degrees = np.arange(setup.max_degree + 1)
            plots.plot_error_curves(degrees, np.ones(degrees.size), np.ones(degrees.size), xlabel="degree",
                                    log_y=True, mark_minimum=False, ax=self.ax_err)
            self.marker = plots._vline(self.ax_err, 0, "chosen degree", "degree-marker")
            self.ax_err.legend(loc="upper center")
            self.ax_err.xaxis.set_major_locator(MaxNLocator(integer=True))  # degrees are whole numbers
            self.ylim = (1e-3 * max(setup.noise**2, 1e-2), 1e3 * max(setup.noise**2, 1e-2))
            self.ax_err.set_ylim(*self.ylim)
        self.data, self.fit = plots.find_artist(self.ax_fit, "data"), plots.find_artist(self.ax_fit, "fit")
        self.train, self.test = plots.find_artist(self.ax_err, "train"), plots.find_artist(self.ax_err, "test")

    def dynamic(self):
        return [self.data, self.fit, self.ax_fit.title, self.train, self.test, self.marker, self.ax_err.title]

    def draw(self, u: BiasVarianceUpdate):
        self.data.set_data(u.x, u.y)
        self.fit.set_ydata(u.y_fit)
        self.ax_fit.set_title(f"degree {u.degree}, n = {u.n_samples}" + ("" if u.unique else " (not unique)"))
        # fixed limits, so that moving a slider never forces a full redraw; an interpolating
        # fit's zero training error is drawn on the bottom edge (a log axis has no 0)
        self.train.set_ydata(np.maximum(u.train_errors, self.ylim[0]))
        self.test.set_ydata(np.maximum(u.test_errors, self.ylim[0]))
        self.marker.set_xdata([u.degree, u.degree])
        self.ax_err.set_title(f"train {u.train_error:.3g}, test {u.test_error:.3g}")


def bias_variance_figure(setup: BiasVarianceSetup | None = None, degree=3, n_samples=20):
    """Static lesson-2 figure: the fit of ``degree`` and the error curves over degrees."""
    setup = bias_variance_setup() if setup is None else setup
    view = _BiasVarianceView(setup)
    view.draw(bias_variance_update(setup, degree, n_samples))
    return view.figure


def bias_variance_widget(setup: BiasVarianceSetup | None = None, degree=3, n_samples=20, max_samples=200):
    """Degree and sample-size sliders -> polynomial fit and training/test error curves."""
    setup = bias_variance_setup() if setup is None else setup
    view = _BiasVarianceView(setup)
    controls = {
        "degree": widgets.IntSlider(value=degree, min=0, max=setup.max_degree, description="degree",
                                    continuous_update=LIGHT_CONTINUOUS, layout=_layout(), style=_STYLE),
        "n_samples": widgets.IntSlider(value=n_samples, min=5, max=max_samples, step=1,
                                       description="sample size n", continuous_update=False,
                                       layout=_layout(), style=_STYLE),
    }
    return _assemble(view, controls, lambda **v: bias_variance_update(setup, **v))


# ---------------------------------------------------------------------------
# Lessons 3 and 6: ridge on an overfit polynomial
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RidgeSetup:
    """Polynomial ridge problem with a held-out set and the precomputed ridge trace.

    ``Z`` are the standardized polynomial features of the training ``x`` (columns
    ``t, t², …`` with ``t`` on [-1, 1]); ``Z_holdout``/``Z_grid`` use the training
    mean and scale.  ``path_*`` is :func:`course_lib.trainers.ridge_path` over
    ``rates``; ``train_errors``/``holdout_errors`` the mean squared errors along it;
    ``ls_coef``/``ls_intercept`` the least-squares (rate 0) fit.
    """

    degree: int
    x: np.ndarray
    y: np.ndarray
    x_holdout: np.ndarray
    y_holdout: np.ndarray
    holdout_label: str
    x_grid: np.ndarray
    y_truth: np.ndarray
    Z: np.ndarray
    Z_holdout: np.ndarray
    Z_grid: np.ndarray
    rates: np.ndarray
    path_coefs: np.ndarray
    path_intercepts: np.ndarray
    train_errors: np.ndarray
    holdout_errors: np.ndarray
    ls_coef: np.ndarray
    ls_intercept: float
    feature_names: tuple


@dataclass(frozen=True)
class RidgeUpdate:
    """The ridge fit at one rate: coefficients, curve on the grid, errors, effective dof."""

    rate: float
    coef: np.ndarray
    intercept: float
    y_fit: np.ndarray
    train_error: float
    holdout_error: float
    effective_dof: float


def ridge_setup(x=None, y=None, *, degree=9, n_samples=15, noise=0.3, seed=0, n_holdout=200,
                holdout_label="test", rates=None, n_grid=200) -> RidgeSetup:
    """Data, features and ridge trace for :func:`ridge_update`.

    Parameters
    ----------
    x, y : array_like, shape (n,), optional
        Training data on [0, 1]; default ``make_polynomial_data(n_samples, noise, seed)``.
    degree : int
        Polynomial degree (high, so that least squares overfits).
    n_holdout : int
        Size of the held-out set, drawn with ``default_rng([seed, 1])``.
    holdout_label : str
        What the held-out set is called in figures ("test" or "validation").
    rates : array_like, optional
        Rates of the precomputed trace; default 200 log-spaced from 1e-6 to 10.
    """
    degree = check_positive_int(degree, "degree")
    seed = check_positive_int(seed, "seed", minimum=0)
    if x is None or y is None:
        x, y = make_polynomial_data(check_positive_int(n_samples, "n_samples", minimum=2), noise, seed)
    else:
        x = as_vector(x, "x")
        y = as_vector(y, "y", size=x.shape[0])
    x_holdout, y_holdout = make_polynomial_data(check_positive_int(n_holdout, "n_holdout"), noise,
                                                np.random.default_rng([seed, 1]))
    x_grid = np.linspace(0.0, 1.0, n_grid)
    Z, mean, scale = standardize(polynomial_features(x, degree, x_range=(0.0, 1.0)))
    feats = lambda v: standardize(polynomial_features(v, degree, x_range=(0.0, 1.0)), mean=mean, scale=scale)[0]  # noqa: E731
    Z_holdout, Z_grid = feats(x_holdout), feats(x_grid)
    rates = np.geomspace(1e-6, 10.0, 200) if rates is None else as_vector(rates, "rates")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # rate 0 with degree >= n: minimum norm
        _, coefs, intercepts = ridge_path(Z, y, rates)
        ls_coef, ls_intercept = fit_ridge(Z, y, 0.0)
    train_errors = np.mean((y[None, :] - coefs @ Z.T - intercepts[:, None]) ** 2, axis=1)
    holdout_errors = np.mean((y_holdout[None, :] - coefs @ Z_holdout.T - intercepts[:, None]) ** 2, axis=1)
    names = tuple(_power("t", k) for k in range(1, degree + 1))  # the features are powers of t = 2x − 1
    return RidgeSetup(degree, x, y, x_holdout, y_holdout, str(holdout_label), x_grid, true_curve(x_grid),
                      Z, Z_holdout, Z_grid, rates, coefs, intercepts, train_errors, holdout_errors,
                      ls_coef, float(ls_intercept), names)


def ridge_update(setup: RidgeSetup, rate) -> RidgeUpdate:
    r"""The ridge fit at ``rate`` (exact: :func:`course_lib.trainers.fit_ridge`, ~0.1 ms here).

    Minimizes ``1/(2n)·||y − Zw − b||² + rate/2·||w||²`` on the standardized polynomial
    features ``setup.Z``.
    """
    rate = check_rate(rate)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        w, b = fit_ridge(setup.Z, setup.y, rate)
    return RidgeUpdate(
        rate, w, b, setup.Z_grid @ w + b, _mse(setup.y, setup.Z @ w + b),
        _mse(setup.y_holdout, setup.Z_holdout @ w + b), ridge_effective_dof(setup.Z, rate),
    )


class _RidgeView:
    def __init__(self, setup: RidgeSetup):
        self.figure, (self.ax_fit, self.ax_bar, self.ax_path) = _new_figure(3, width_per_axes=4.3)
        ls_curve = setup.Z_grid @ setup.ls_coef + setup.ls_intercept
        limit = 1.2 * max(np.abs(setup.ls_coef).max(), np.abs(setup.path_coefs).max())
        with plots.course_style():
            plots.plot_polynomial_fit(setup.x, setup.y, setup.x_grid, setup.y_truth,
                                      {"ridge fit": ls_curve, "least squares (rate 0)": ls_curve},
                                      ylim=(-2.0, 2.0), ax=self.ax_fit)
            plots.plot_coefficient_bars(setup.ls_coef, {"least squares": setup.ls_coef},
                                        feature_names=setup.feature_names, coef_label="ridge",
                                        ax=self.ax_bar)
            self.ax_bar.set_yscale("symlog", linthresh=1.0)
            self.ax_bar.set_ylim(-limit, limit)
            plots.plot_path(setup.rates, setup.path_coefs, feature_names=setup.feature_names,
                            marker_rate=float(np.median(setup.rates)), title="Ridge trace", ax=self.ax_path)
            self.ax_path.set_yscale("symlog", linthresh=1.0)
            plots.find_artist(self.ax_path, "rate-marker").set_label("chosen rate")
            self.ax_path.legend(loc="upper right", fontsize="x-small", ncols=2)
        self.fit = plots.find_artist(self.ax_fit, "fit")
        self.bars = plots.find_artist(self.ax_bar, "coefs")
        self.vline = plots.find_artist(self.ax_path, "rate-marker")
        self.dots = plots.find_artist(self.ax_path, "rate-dots")

    def dynamic(self):
        return [self.fit, self.ax_fit.title, *self.bars, self.ax_bar.title, self.vline, self.dots]

    def draw(self, u: RidgeUpdate):
        self.fit.set_ydata(u.y_fit)
        self.ax_fit.set_title(f"rate = {u.rate:.3g}: effective dof {u.effective_dof:.1f}")
        for bar, h in zip(self.bars, u.coef):
            bar.set_height(h)
        self.ax_bar.set_title(f"Coefficients (‖w‖ = {np.linalg.norm(u.coef):.3g})")
        self.vline.set_xdata([u.rate, u.rate])
        self.dots.set_offsets(np.column_stack([np.full(u.coef.size, max(u.rate, 1e-300)), u.coef]))


def ridge_figure(setup: RidgeSetup | None = None, rate=1e-3):
    """Static lesson-3 figure: ridge fit vs least squares, coefficient bars, ridge trace."""
    setup = ridge_setup() if setup is None else setup
    view = _RidgeView(setup)
    view.draw(ridge_update(setup, rate))
    return view.figure


def ridge_widget(setup: RidgeSetup | None = None, rate=1e-3):
    """Rate slider (log scale) -> ridge fit, shrinking coefficient bars, marker on the trace."""
    setup = ridge_setup() if setup is None else setup
    view = _RidgeView(setup)
    controls = {"rate": _log_slider("rate", rate, setup.rates.min(), setup.rates.max())}
    return _assemble(view, controls, lambda rate: ridge_update(setup, rate))


def rate_choice_setup(x=None, y=None, *, degree=9, n_samples=30, noise=0.3, seed=0, n_validation=30,
                      rates=None) -> RidgeSetup:
    """Lesson-6 data: :func:`ridge_setup` with a validation set of ``n_validation`` points."""
    return ridge_setup(x, y, degree=degree, n_samples=n_samples, noise=noise, seed=seed,
                       n_holdout=n_validation, holdout_label="validation", rates=rates)


class _RateChoiceView:
    def __init__(self, setup: RidgeSetup):
        self.label = setup.holdout_label
        self.figure, (self.ax_fit, self.ax_err) = _new_figure(2, width_per_axes=4.8)
        with plots.course_style():
            plots.plot_polynomial_fit(setup.x, setup.y, setup.x_grid, setup.y_truth, setup.x_grid * 0,
                                      fit_label="ridge fit", ylim=(-2.0, 2.0), ax=self.ax_fit)
            self.ax_fit.plot(setup.x_holdout, setup.y_holdout, linestyle="none", marker="^", markersize=5,
                             markerfacecolor="none", color=plots.OKABE_ITO["vermillion"],
                             label=f"{setup.holdout_label} data", gid="holdout")
            self.ax_fit.legend(loc="lower left", fontsize="x-small")
            plots.plot_error_curves(setup.rates, setup.train_errors, setup.holdout_errors,
                                    xlabel="rate (log scale)", test_label=setup.holdout_label, log_x=True,
                                    log_y=True, title=f"Training and {setup.holdout_label} error",
                                    ax=self.ax_err)
            self.vline = plots._vline(self.ax_err, setup.rates[0], "chosen rate", "rate-marker")
            s0, s1 = plots.series_style(0), plots.series_style(1)
            (self.train_dot,) = self.ax_err.plot([], [], marker="o", markersize=9, color=s0["color"],
                                                 markeredgecolor="k", linestyle="none", gid="train-dot")
            (self.test_dot,) = self.ax_err.plot([], [], marker="s", markersize=9, color=s1["color"],
                                                markeredgecolor="k", linestyle="none", gid="holdout-dot")
            self.ax_err.legend(loc="upper center", fontsize="x-small")
        self.fit = plots.find_artist(self.ax_fit, "fit")

    def dynamic(self):
        return [self.fit, self.ax_fit.title, self.vline, self.train_dot, self.test_dot, self.ax_err.title]

    def draw(self, u: RidgeUpdate):
        self.fit.set_ydata(u.y_fit)
        self.ax_fit.set_title(f"rate = {u.rate:.3g}")
        self.vline.set_xdata([u.rate, u.rate])
        self.train_dot.set_data([u.rate], [u.train_error])
        self.test_dot.set_data([u.rate], [u.holdout_error])
        self.ax_err.set_title(f"train {u.train_error:.3g}, {self.label} {u.holdout_error:.3g}")


def rate_choice_figure(setup: RidgeSetup | None = None, rate=1e-3):
    """Static lesson-6 figure: the fit at ``rate`` and its place on the error curves."""
    setup = rate_choice_setup() if setup is None else setup
    view = _RateChoiceView(setup)
    view.draw(ridge_update(setup, rate))
    return view.figure


def rate_choice_widget(setup: RidgeSetup | None = None, rate=1e-3):
    """Rate slider -> marker moving along precomputed training/validation error curves, and the fit."""
    setup = rate_choice_setup() if setup is None else setup
    view = _RateChoiceView(setup)
    controls = {"rate": _log_slider("rate", rate, setup.rates.min(), setup.rates.max())}
    return _assemble(view, controls, lambda rate: ridge_update(setup, rate))


# ---------------------------------------------------------------------------
# Lesson 4: the lasso path, exactly piecewise linear
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LassoSetup:
    """Lasso problem with its exact path.

    ``knot_rates`` (descending, ending at 0 unless the path is degenerate) and
    ``knot_coefs`` come from :func:`course_lib.trainers.lasso_path_knots`; between
    knots the coefficients are linear in the rate.  ``rates``/``path_coefs`` sample
    the path on a log grid for drawing.
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple
    w_true: np.ndarray | None
    x_mean: np.ndarray
    y_mean: float
    knot_rates: np.ndarray
    knot_coefs: np.ndarray
    rates: np.ndarray
    path_coefs: np.ndarray


@dataclass(frozen=True)
class LassoUpdate:
    """The lasso fit at one rate; ``active`` are the indices of the nonzero coefficients."""

    rate: float
    coef: np.ndarray
    intercept: float
    active: np.ndarray
    n_nonzero: int


def lasso_setup(X=None, y=None, *, feature_names=None, w_true=None, n_samples=60, n_features=8,
                n_informative=3, correlation=0.5, noise=1.0, seed=0, n_rates=200) -> LassoSetup:
    """Data and the exact lasso path for :func:`lasso_update`.

    Parameters
    ----------
    X, y : array_like, optional
        Data (standardize the columns first so that the penalty treats them alike);
        default ``make_sparse_regression(n_samples, n_features, n_informative,
        correlation, noise, seed)``, whose features already have variance 1.
    feature_names : sequence of str, optional
    w_true : array_like, optional
        True weights, drawn next to the lasso's (default: those of the generated data).
    n_rates : int
        Points of the log grid on which the path is drawn.
    """
    if X is None or y is None:
        X, y, w_true = make_sparse_regression(n_samples, n_features, n_informative, correlation, noise, seed)
    X, y = as_data(X, y)
    p = X.shape[1]
    names = tuple(feature_names) if feature_names is not None else tuple(f"x{j + 1}" for j in range(p))
    if len(names) != p:
        raise ValueError(f"feature_names must have {p} entries (one per column of X); got {len(names)}")
    w_true = None if w_true is None else as_vector(w_true, "w_true", size=p)
    knot_rates, knot_coefs = lasso_path_knots(X, y)
    top = knot_rates[0] if knot_rates[0] > 0 else 1.0
    rates = np.geomspace(1.5 * top, 1e-3 * top, check_positive_int(n_rates, "n_rates", minimum=2))
    _, path_coefs, _ = lasso_path(X, y, rates)
    return LassoSetup(X, y, names, w_true, X.mean(axis=0), float(y.mean()), knot_rates, knot_coefs,
                      rates, path_coefs)


def lasso_update(setup: LassoSetup, rate) -> LassoUpdate:
    r"""The lasso fit at ``rate`` by linear interpolation between the path's knots (exact).

    Solves ``1/(2n)·||y − Xw − b||² + rate·||w||₁``: between consecutive knots
    ``r_k > rate >= r_{k+1}`` the solution is ``w = (1 − t)·w_k + t·w_{k+1}`` with
    ``t = (r_k − rate)/(r_k − r_{k+1})``; above the first knot ``w = 0``.  Below the
    last knot of a degenerate path it falls back to :func:`course_lib.trainers.fit_lasso`.
    The intercept is ``b = ȳ − x̄ᵀw``.
    """
    rate = check_rate(rate)
    r, C = setup.knot_rates, setup.knot_coefs
    if rate >= r[0]:
        w = np.zeros(C.shape[1])
    elif rate < r[-1]:
        w = np.asarray(fit_lasso(setup.X, setup.y, rate, w0=C[-1])[0])
    else:
        k = int(np.searchsorted(-r, -rate, side="right"))  # knots with r >= rate: r[0..k-1]
        if k >= r.size:  # rate equals the last knot
            w = C[-1].copy()
        else:
            t = (r[k - 1] - rate) / (r[k - 1] - r[k])
            w = (1.0 - t) * C[k - 1] + t * C[k]
    active = np.flatnonzero(w)
    return LassoUpdate(rate, w, setup.y_mean - float(setup.x_mean @ w), active, int(active.size))


class _LassoView:
    def __init__(self, setup: LassoSetup):
        self.figure, (self.ax_bar, self.ax_path) = _new_figure(2, width_per_axes=4.8)
        compare = {"true weights": setup.w_true} if setup.w_true is not None else None
        limit = 1.15 * max(np.abs(setup.knot_coefs).max(),
                           0.0 if setup.w_true is None else np.abs(setup.w_true).max())
        with plots.course_style():
            plots.plot_coefficient_bars(np.zeros(len(setup.feature_names)), compare,
                                        feature_names=setup.feature_names, coef_label="lasso",
                                        ylim=(-limit, limit), ax=self.ax_bar)
            plots.plot_path(setup.rates, setup.path_coefs, feature_names=setup.feature_names,
                            marker_rate=float(setup.rates[0]), knots=setup.knot_rates, title="Lasso path",
                            ax=self.ax_path)
            plots.find_artist(self.ax_path, "rate-marker").set_label("chosen rate")
            self.ax_path.legend(loc="lower right", fontsize="x-small", ncols=2)
        self.bars = plots.find_artist(self.ax_bar, "coefs")
        self.vline = plots.find_artist(self.ax_path, "rate-marker")
        self.dots = plots.find_artist(self.ax_path, "rate-dots")
        self.p = len(setup.feature_names)

    def dynamic(self):
        return [*self.bars, self.ax_bar.title, self.vline, self.dots]

    def draw(self, u: LassoUpdate):
        for bar, h in zip(self.bars, u.coef):
            bar.set_height(h)
        self.ax_bar.set_title(f"rate = {u.rate:.3g}: {u.n_nonzero} of {self.p} coefficients nonzero")
        self.vline.set_xdata([u.rate, u.rate])
        self.dots.set_offsets(np.column_stack([np.full(self.p, max(u.rate, 1e-300)), u.coef]))


def lasso_figure(setup: LassoSetup | None = None, rate=None):
    """Static lesson-4 figure: coefficient bars at ``rate`` (default a third of the max rate) and the path."""
    setup = lasso_setup() if setup is None else setup
    rate = setup.knot_rates[0] / 3.0 if rate is None else rate
    view = _LassoView(setup)
    view.draw(lasso_update(setup, rate))
    return view.figure


def lasso_widget(setup: LassoSetup | None = None, rate=None):
    """Rate slider -> lasso coefficients hitting zero one by one, and a marker on the exact path."""
    setup = lasso_setup() if setup is None else setup
    rate = setup.knot_rates[0] / 3.0 if rate is None else rate
    view = _LassoView(setup)
    controls = {"rate": _log_slider("rate", rate, setup.rates.min(), setup.rates.max(), step=0.02)}
    return _assemble(view, controls, lambda rate: lasso_update(setup, rate))


# ---------------------------------------------------------------------------
# Lesson 5: geometry — constrained solutions on elliptical contours
# ---------------------------------------------------------------------------


def _rotation(degrees):
    a = np.deg2rad(degrees)
    return np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])


#: Hessian of the lesson-5 loss: eigenvalues 3 and 0.6, axes rotated by 30 degrees.
DEFAULT_HESSIAN = _rotation(30.0) @ np.diag([3.0, 0.6]) @ _rotation(30.0).T


@dataclass(frozen=True)
class GeometryUpdate:
    r"""Solutions of ``min ½(w − ŵ)ᵀH(w − ŵ)`` over the L2 disc and the L1 diamond of radius ``budget``.

    ``*_multiplier`` is the Lagrange multiplier ν of the budget constraint — the
    penalized problem with that rate has the same solution: ``L + ν/2·||w||²`` for
    L2 (ridge form) and ``L + ν·||w||₁`` for L1 (lasso form).  It is 0 when the
    constraint is inactive (``ŵ`` is inside the region) and ``inf`` for L2 with
    budget 0.  ``*_loss`` is the loss at the solution.
    """

    optimum: np.ndarray
    budget: float
    hessian: np.ndarray
    l2_solution: np.ndarray
    l2_multiplier: float
    l2_loss: float
    l2_active: bool
    l1_solution: np.ndarray
    l1_multiplier: float
    l1_loss: float
    l1_active: bool
    n_zero_l1: int
    n_zero_l2: int


def geometry_update(w1, w2, budget, hessian=None) -> GeometryUpdate:
    """L2- and L1-constrained solutions for the unregularized optimum ``(w1, w2)`` and ``budget``.

    See :func:`l2_constrained_solution` and :func:`l1_constrained_solution`; the loss is
    ``½(w − ŵ)ᵀH(w − ŵ)`` with ``H = hessian`` (default :data:`DEFAULT_HESSIAN`).
    """
    H = DEFAULT_HESSIAN if hessian is None else check_hessian(hessian)
    w_hat = as_vector([w1, w2], "(w1, w2)", size=2)
    t = check_rate(budget, "budget")
    w2_sol, nu2 = l2_constrained_solution(H, w_hat, t)
    w1_sol, nu1 = l1_constrained_solution(H, w_hat, t)
    return GeometryUpdate(
        w_hat, t, H, w2_sol, nu2, quadratic_loss(H, w_hat, w2_sol), bool(nu2 > 0),
        w1_sol, nu1, quadratic_loss(H, w_hat, w1_sol), bool(nu1 > 0),
        int(np.sum(w1_sol == 0)), int(np.sum(w2_sol == 0)),
    )


class _GeometryView:
    def __init__(self, hessian, extent):
        self.figure, (self.ax,) = _new_figure(1, width_per_axes=5.6, height=5.2)
        self.H = hessian
        u = geometry_update(1.0, 1.0, 1.0, hessian)
        with plots.course_style():
            plots.plot_contours_with_ball(hessian, u.optimum, 1.0, extent=extent,
                                          solutions={"L1 solution": u.l1_solution, "L2 solution": u.l2_solution},
                                          ax=self.ax)
        self.contours = [plots.find_artist(self.ax, f"contour-{k}") for k in range(len(plots.CONTOUR_FRACTIONS))]
        self.l1_ball, self.l2_ball = plots.find_artist(self.ax, "l1-ball"), plots.find_artist(self.ax, "l2-ball")
        self.optimum = plots.find_artist(self.ax, "optimum")
        self.points = [plots.find_artist(self.ax, f"solution-{k}") for k in range(2)]
        self.tangents = [plots.find_artist(self.ax, f"solution-contour-{k}") for k in range(2)]

    def dynamic(self):
        return [*self.contours, self.l1_ball, self.l2_ball, self.optimum, *self.points, *self.tangents,
                self.ax.title]

    def draw(self, u: GeometryUpdate):
        at_origin = quadratic_loss(u.hessian, u.optimum, np.zeros(2))
        scale = at_origin if at_origin > 0 else 1.0
        for line, f in zip(self.contours, plots.CONTOUR_FRACTIONS):
            line.set_data(*plots.contour_ellipse(u.hessian, u.optimum, f * scale).T)
        self.l1_ball.set_xy(plots.l1_ball_points(u.budget))
        self.l2_ball.set_xy(plots.l2_ball_points(u.budget))
        self.optimum.set_data([u.optimum[0]], [u.optimum[1]])
        for k, (w, loss) in enumerate(((u.l1_solution, u.l1_loss), (u.l2_solution, u.l2_loss))):
            self.points[k].set_data([w[0]], [w[1]])
            self.tangents[k].set_data(*plots.contour_ellipse(u.hessian, u.optimum, loss).T)
        self.ax.set_title(
            f"L1: w = ({u.l1_solution[0]:.2f}, {u.l1_solution[1]:.2f}), ν = {u.l1_multiplier:.2g}\n"
            f"L2: w = ({u.l2_solution[0]:.2f}, {u.l2_solution[1]:.2f}), ν = {u.l2_multiplier:.2g}",
            fontsize="small",
        )


def geometry_figure(w1=1.5, w2=0.6, budget=1.0, hessian=None, extent=3.0):
    """Static lesson-5 figure: contours, diamond, disc and both constrained solutions."""
    H = DEFAULT_HESSIAN if hessian is None else check_hessian(hessian)
    view = _GeometryView(H, extent)
    view.draw(geometry_update(w1, w2, budget, H))
    return view.figure


def geometry_widget(w1=1.5, w2=0.6, budget=1.0, hessian=None, extent=3.0):
    """Sliders for the unregularized optimum (w1, w2) and the budget t -> where the solutions land."""
    H = DEFAULT_HESSIAN if hessian is None else check_hessian(hessian)
    view = _GeometryView(H, extent)
    slider = lambda name, value, lo, hi: widgets.FloatSlider(  # noqa: E731
        value=value, min=lo, max=hi, step=0.05, description=name, readout_format=".2f",
        continuous_update=LIGHT_CONTINUOUS, layout=_layout(), style=_STYLE)
    controls = {
        "w1": slider("optimum w1", w1, -0.9 * extent, 0.9 * extent),
        "w2": slider("optimum w2", w2, -0.9 * extent, 0.9 * extent),
        "budget": slider("budget t", budget, 0.0, 0.9 * extent),
    }
    return _assemble(view, controls, lambda **v: geometry_update(hessian=H, **v))


# ---------------------------------------------------------------------------
# Lesson 7: logistic regression with L1 or L2 on polynomial features of 2-D data
# ---------------------------------------------------------------------------


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power(var, k):
    """``var`` raised to ``k`` as figure text: ``t``, ``t²``, ``x1³`` ('' for k = 0)."""
    return "" if k == 0 else (var if k == 1 else var + str(k).translate(_SUPERSCRIPT))


def _plane_feature_names(degree):
    return tuple("·".join(filter(None, (_power("x1", d - j), _power("x2", j))))
                 for d in range(1, degree + 1) for j in range(d + 1))


@dataclass(frozen=True)
class ClassificationSetup:
    """2-D classification data, standardized polynomial features and the evaluation grid.

    ``Z = (plane_features(X, degree) − mean) / scale``; ``grid_Z`` the same for the
    ``resolution × resolution`` grid ``(xx, yy)``.  ``cache`` holds fits keyed by
    ``(penalty, rate)``, filled as the widget is used (warm starts come from it).
    """

    X: np.ndarray
    y: np.ndarray
    degree: int
    Z: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    xx: np.ndarray
    yy: np.ndarray
    grid_Z: np.ndarray
    feature_names: tuple
    rate_range: tuple
    cache: _Cache = field(repr=False, compare=False)


@dataclass(frozen=True)
class ClassificationUpdate:
    """The penalized logistic fit at one rate: weights, probability on the grid, accuracy."""

    rate: float
    penalty: str
    coef: np.ndarray
    intercept: float
    proba: np.ndarray
    n_nonzero: int
    train_accuracy: float


def classification_setup(X=None, y=None, *, degree=3, kind="moons", n_samples=200, noise=0.25, seed=0,
                         resolution=80, margin=0.5, rate_range=(1e-4, 1.0)) -> ClassificationSetup:
    """Data, features and grid for :func:`classification_update`.

    Parameters
    ----------
    X, y : array_like, optional
        2-D points and labels in {0, 1}; default ``make_classification_2d(n_samples, kind, noise, seed)``.
    degree : int
        Total degree of the monomial features (:func:`plane_features`).
    resolution : int
        Grid points per axis for the probability image.
    rate_range : (float, float)
        Range of the rate slider.
    """
    if X is None or y is None:
        X, y = make_classification_2d(n_samples, kind, noise, seed)
    X, y = as_data(X, y)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 columns (points in the plane); got shape {X.shape}")
    y = as_labels(y)
    degree = check_positive_int(degree, "degree")
    Z, mean, scale = standardize(plane_features(X, degree))
    resolution = check_positive_int(resolution, "resolution", minimum=2)
    xx, yy = np.meshgrid(np.linspace(X[:, 0].min() - margin, X[:, 0].max() + margin, resolution),
                         np.linspace(X[:, 1].min() - margin, X[:, 1].max() + margin, resolution))
    grid_Z = standardize(plane_features(np.column_stack([xx.ravel(), yy.ravel()]), degree),
                         mean=mean, scale=scale)[0]
    lo, hi = (check_positive_float(v, "rate_range") for v in rate_range)
    return ClassificationSetup(X, y, degree, Z, mean, scale, xx, yy, grid_Z, _plane_feature_names(degree),
                               (lo, hi), _Cache(256))


def classification_update(setup: ClassificationSetup, rate, penalty="l2") -> ClassificationUpdate:
    r"""Penalized logistic regression at ``rate`` on the standardized monomial features.

    Minimizes ``mean log-loss + penalty(w, rate)`` with :func:`course_lib.logistic.fit_logistic`
    (Newton for L2, proximal Newton for L1), warm-started from the cached fit at the nearest
    rate with the same penalty, then caches the result.  Returns the class-1 probability on
    the grid (shape ``setup.xx.shape``).
    """
    rate = check_rate(rate)
    if penalty not in ("l1", "l2"):
        raise ValueError(f"penalty must be 'l1' or 'l2'; got penalty={penalty!r}")
    key = (penalty, rate)
    fit = setup.cache.get(key)
    if fit is None:
        near = [k for k in setup.cache if k[0] == penalty]
        init = None
        if near and rate > 0:
            k = min(near, key=lambda k: abs(np.log(max(k[1], 1e-300)) - np.log(rate)))
            init = setup.cache[k]
        with warnings.catch_warnings():  # rate 0 on separable data: documented in fit_logistic
            warnings.simplefilter("ignore", RuntimeWarning)
            fit = setup.cache.put(key, fit_logistic(setup.Z, setup.y, rate, penalty, init=init))
    else:
        setup.cache.move_to_end(key)
    w, b = fit
    proba = predict_proba(setup.grid_Z, w, b).reshape(setup.xx.shape)
    accuracy = float(np.mean((setup.Z @ w + b > 0) == (setup.y == 1)))
    return ClassificationUpdate(rate, penalty, w, b, proba, int(np.count_nonzero(w)), accuracy)


class _ClassificationView:
    def __init__(self, setup: ClassificationSetup):
        self.figure, (self.ax, self.ax_bar) = _new_figure(2, width_per_axes=4.9, height=4.0)
        self.figure.get_layout_engine().set(wspace=0.08)  # keeps "P(class 1)" clear of "coefficient"
        self.setup = setup
        with plots.course_style():
            plots.plot_decision_boundary(setup.X, setup.y, (setup.xx, setup.yy, np.full(setup.xx.shape, 0.5)),
                                         ax=self.ax)
            plots.plot_coefficient_bars(np.zeros(len(setup.feature_names)), feature_names=setup.feature_names,
                                        coef_label="logistic", title="Coefficients", ax=self.ax_bar)
        self.image = plots.find_artist(self.ax, "proba")
        self.boundary = plots.find_artist(self.ax, "boundary")
        self.points = [plots.find_artist(self.ax, f"class-{k}") for k in (0, 1)]
        self.bars = plots.find_artist(self.ax_bar, "coefs")
        # fixed limits (the weights are largest at the smallest rate), so an update need not redraw the axes
        weakest = [classification_update(setup, setup.rate_range[0], p).coef for p in ("l2", "l1")]
        limit = max(1.0, 1.1 * float(np.abs(weakest).max()))
        self.ax_bar.set_ylim(-limit, limit)

    def dynamic(self):
        return [self.image, self.boundary, *self.points, self.ax.title, *self.bars, self.ax_bar.title]

    def draw(self, u: ClassificationUpdate):
        self.image.set_data(u.proba)
        self.boundary.remove()
        self.boundary = self.ax.contour(self.setup.xx, self.setup.yy, u.proba, levels=[0.25, 0.5, 0.75],
                                        colors=plots.OKABE_ITO["black"], linewidths=[0.8, 2.0, 0.8],
                                        linestyles=[":", "-", ":"])
        self.boundary.set_gid("boundary")
        self.ax.set_title(f"{u.penalty.upper()}, rate = {u.rate:.3g}: accuracy {u.train_accuracy:.0%}")
        for bar, h in zip(self.bars, u.coef):
            bar.set_height(h)
        self.ax_bar.set_title(f"{u.n_nonzero} of {u.coef.size} weights nonzero")


def classification_figure(setup: ClassificationSetup | None = None, rate=1e-2, penalty="l2"):
    """Static lesson-7 figure: probability, decision boundary and weights at ``rate``."""
    setup = classification_setup() if setup is None else setup
    view = _ClassificationView(setup)
    view.draw(classification_update(setup, rate, penalty))
    return view.figure


def classification_widget(setup: ClassificationSetup | None = None, rate=1e-2, penalty="l2"):
    """Rate (log slider) and penalty (L1/L2) -> decision boundary of the logistic fit."""
    setup = classification_setup() if setup is None else setup
    view = _ClassificationView(setup)
    controls = {
        "rate": _log_slider("rate", rate, *setup.rate_range, continuous=False, step=0.1),
        "penalty": widgets.ToggleButtons(options=[("L2 (ridge)", "l2"), ("L1 (lasso)", "l1")], value=penalty,
                                         description="penalty", style=_STYLE),
    }
    return _assemble(view, controls, lambda rate, penalty: classification_update(setup, rate, penalty))


# ---------------------------------------------------------------------------
# Lesson 8: a small MLP — L2 in the loss vs decoupled weight decay
# ---------------------------------------------------------------------------

#: Optimizer choices of the lesson-8 widget and how ``strength`` enters each one.
OPTIMIZER_LABELS = {
    "sgd": "SGD, weight decay (= L2 rate)",
    "adam": "Adam + L2 penalty in the loss",
    "adamw": "AdamW, decoupled weight decay",
}


@dataclass(frozen=True)
class NetworkSetup:
    """Data, grid and training settings of the lesson-8 widget, with a lazy cache of trained networks.

    ``strengths`` is the grid of regularization strengths offered (training a network
    per slider move is too slow, so only these are available); ``cache`` maps
    ``(optimizer, strength)`` to a trained :class:`course_lib.mlp.TrainedMLP`, filled
    one optimizer at a time on first use, or all at once by :func:`precompute_networks`
    (which :func:`network_widget` calls).
    """

    X: np.ndarray
    y: np.ndarray
    hidden: tuple
    epochs: int
    lr: dict
    seed: int
    strengths: tuple
    xx: np.ndarray
    yy: np.ndarray
    grid: np.ndarray
    cache: dict = field(repr=False, compare=False)
    #: (optimizer, bins) -> histogram edges and y-limit over that optimizer's networks
    histogram_scales: dict = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class NetworkUpdate:
    """One trained network: probability on the grid, its weights and the unregularized reference's."""

    optimizer: str
    strength: float
    proba: np.ndarray
    weights: np.ndarray
    reference_weights: np.ndarray
    weight_norm: float
    train_accuracy: float
    objective: np.ndarray
    histogram_edges: np.ndarray
    histogram_top: float


def network_setup(X=None, y=None, *, hidden=(32,), epochs=1500, strengths=(0.0, 1e-3, 1e-2, 1e-1, 1.0),
                  lr=None, seed=0, kind="moons", n_samples=200, noise=0.25, resolution=60,
                  margin=0.5) -> NetworkSetup:
    """Data and settings for :func:`network_update`; nothing is trained yet.

    Parameters
    ----------
    hidden, epochs, seed
        Passed to :func:`course_lib.mlp.train_mlps` (full-batch training; each network is
        the one :func:`course_lib.mlp.train_mlp` gives).
    strengths : sequence of float
        Regularization strengths offered (must include 0, the reference).
    lr : dict, optional
        Learning rate per optimizer; default ``{"sgd": 0.5, "adam": 0.02, "adamw": 0.02}``.

    With the defaults (moons, 32 tanh units, 1500 full-batch epochs) one optimizer's five
    networks train together in under a second; the same number means very different things
    to Adam + L2 (0.1 already flattens the boundary) and to AdamW (which decays by ``lr·wd``
    per step and needs about 1 for a comparable effect) — the point of the lesson.
    """
    if X is None or y is None:
        X, y = make_classification_2d(n_samples, kind, noise, seed)
    X, y = as_data(X, y)
    y = as_labels(y)
    strengths = tuple(sorted(check_rate(s, "strengths") for s in strengths))
    if strengths[0] != 0.0:
        raise ValueError(f"strengths must include 0 (the unregularized reference); got {strengths}")
    lr = {"sgd": 0.5, "adam": 0.02, "adamw": 0.02} if lr is None else dict(lr)
    xx, yy = np.meshgrid(np.linspace(X[:, 0].min() - margin, X[:, 0].max() + margin, resolution),
                         np.linspace(X[:, 1].min() - margin, X[:, 1].max() + margin, resolution))
    hidden = (hidden,) if np.ndim(hidden) == 0 else tuple(hidden)
    return NetworkSetup(X, y, hidden, check_positive_int(epochs, "epochs"), lr, int(seed), strengths, xx, yy,
                        np.column_stack([xx.ravel(), yy.ravel()]), {})


def _check_choice(setup: NetworkSetup, optimizer, strength):
    if optimizer not in OPTIMIZER_LABELS:
        raise ValueError(f"optimizer must be one of {tuple(OPTIMIZER_LABELS)}; got optimizer={optimizer!r}")
    strength = check_rate(strength, "strength")
    if not np.any(np.isclose(strength, setup.strengths, rtol=1e-9, atol=0.0)):
        raise ValueError(f"strength must be one of the precomputable strengths {setup.strengths}; "
                         f"got strength={strength:g}")
    return optimizer, float(setup.strengths[int(np.argmin(np.abs(np.array(setup.strengths) - strength)))])


def _train_missing_networks(setup: NetworkSetup, optimizer: str) -> None:
    """Train, in one batched run, every strength of ``optimizer`` not yet in the cache."""
    missing = [s for s in setup.strengths if (optimizer, s) not in setup.cache]
    if missing:
        strengths = {"rates": missing} if optimizer == "adam" else {"weight_decays": missing}
        fits = train_mlps(setup.X, setup.y, setup.hidden, optimizer=optimizer, lr=setup.lr[optimizer],
                          epochs=setup.epochs, seed=setup.seed, **strengths)
        setup.cache.update({(optimizer, s): fit for s, fit in zip(missing, fits)})


def network_model(setup: NetworkSetup, optimizer, strength):
    """The trained network for ``(optimizer, strength)``, trained on first request and cached.

    ``"sgd"`` trains with ``weight_decay=strength`` (the same as an L2 rate for SGD),
    ``"adam"`` with ``rate=strength`` (L2 penalty in the loss: Adam rescales its gradient),
    ``"adamw"`` with ``weight_decay=strength`` (decoupled decay ``θ ← (1 − lr·wd)θ``).
    All start from the same initialization (``setup.seed``).  A missing network is trained
    together with the optimizer's other missing strengths by :func:`course_lib.mlp.train_mlps`,
    which gives the same networks as one :func:`course_lib.mlp.train_mlp` run each.
    """
    optimizer, strength = _check_choice(setup, optimizer, strength)
    if (optimizer, strength) not in setup.cache:
        _train_missing_networks(setup, optimizer)
    return setup.cache[(optimizer, strength)]


def precompute_networks(setup: NetworkSetup) -> NetworkSetup:
    """Train every ``(optimizer, strength)`` network now (so later updates are lookups only)."""
    for optimizer in OPTIMIZER_LABELS:
        _train_missing_networks(setup, optimizer)
    return setup


def network_update(setup: NetworkSetup, optimizer, strength, *, bins=40) -> NetworkUpdate:
    """Look up (or train once) the network and evaluate it on the grid.

    ``reference_weights`` are those of the unregularized network (strength 0) with the
    same optimizer, for the histogram comparison.  ``histogram_edges`` (``bins`` equal bins
    symmetric about 0) and ``histogram_top`` (the y-limit) hold every network of the optimizer:
    one scale while the strength moves, so the histograms can be compared (and the figure's
    axes stay put, so a move redraws only the histograms and the boundary).
    """
    bins = check_positive_int(bins, "bins")
    model = network_model(setup, optimizer, strength)  # checks optimizer and strength
    reference = network_model(setup, optimizer, 0.0)
    weights = weight_vector(model.params)
    proba = model.predict_proba(setup.grid).reshape(setup.xx.shape)
    accuracy = float(np.mean(model.predict(setup.X) == setup.y))
    edges, top = _histogram_scale(setup, optimizer, bins)
    return NetworkUpdate(optimizer, float(strength), proba, weights, weight_vector(reference.params),
                         float(np.linalg.norm(weights)), accuracy, np.asarray(model.history["objective"]),
                         edges, top)


def _histogram_scale(setup: NetworkSetup, optimizer: str, bins: int):
    """Bin edges and y-limit that hold the weight histogram of every strength of ``optimizer``."""
    key = (optimizer, bins)
    if key not in setup.histogram_scales:
        row = [weight_vector(network_model(setup, optimizer, s).params) for s in setup.strengths]
        half = 1.05 * max(max(float(np.abs(w).max()) for w in row), 1e-3)
        edges = np.linspace(-half, half, bins + 1)
        top = 1.1 * max(max(int(np.histogram(w, edges)[0].max()) for w in row), 1)
        setup.histogram_scales[key] = (edges, float(top))
    return setup.histogram_scales[key]


class _NetworkView:
    def __init__(self, setup: NetworkSetup, bins=40):
        self.figure, (self.ax, self.ax_hist) = _new_figure(2, width_per_axes=4.9, height=4.0)
        self.setup = setup
        with plots.course_style():
            plots.plot_decision_boundary(setup.X, setup.y, (setup.xx, setup.yy, np.full(setup.xx.shape, 0.5)),
                                         ax=self.ax)
            plots.plot_weight_histogram({"this network": [0.0, 1.0], "no regularization": [0.0, 1.0]},
                                        bins=bins, ax=self.ax_hist)
        self.image = plots.find_artist(self.ax, "proba")
        self.boundary = plots.find_artist(self.ax, "boundary")
        self.points = [plots.find_artist(self.ax, f"class-{k}") for k in (0, 1)]
        self.hist = plots.find_artist(self.ax_hist, "hist-0")
        self.ref = plots.find_artist(self.ax_hist, "hist-1")
        self.bins = bins

    def dynamic(self):
        return [self.image, self.boundary, *self.points, self.ax.title, self.hist, self.ref, self.ax_hist.title]

    def draw(self, u: NetworkUpdate):
        self.image.set_data(u.proba)
        self.boundary.remove()
        self.boundary = self.ax.contour(self.setup.xx, self.setup.yy, u.proba, levels=[0.25, 0.5, 0.75],
                                        colors=plots.OKABE_ITO["black"], linewidths=[0.8, 2.0, 0.8],
                                        linestyles=[":", "-", ":"])
        self.boundary.set_gid("boundary")
        self.ax.set_title(f"{OPTIMIZER_LABELS[u.optimizer]}\nstrength {u.strength:g}: accuracy "
                          f"{u.train_accuracy:.0%}", fontsize="small")
        edges = u.histogram_edges
        counts, _ = np.histogram(u.weights, edges)
        ref_counts, _ = np.histogram(u.reference_weights, edges)
        self.hist.set_data(counts, edges)
        self.ref.set_data(ref_counts, edges)
        self.ax_hist.set_xlim(edges[0], edges[-1])
        self.ax_hist.set_ylim(0, u.histogram_top)
        self.ax_hist.set_title(f"Weights: ‖W‖ = {u.weight_norm:.3g}", fontsize="small")


def network_figure(setup: NetworkSetup | None = None, optimizer="adamw", strength=None):
    """Static lesson-8 figure: decision boundary and weight histogram of one network."""
    setup = network_setup() if setup is None else setup
    strength = setup.strengths[-1] if strength is None else strength
    view = _NetworkView(setup)
    view.draw(network_update(setup, optimizer, strength, bins=view.bins))
    return view.figure


def network_widget(setup: NetworkSetup | None = None, optimizer="adamw", strength=None, *, precompute=True):
    """Optimizer choice and strength (from the precomputable grid) -> boundary and weight histogram.

    With ``precompute=True`` (default) every network of the grid is trained when the
    widget is built (:func:`precompute_networks`: one batched run per optimizer, a few
    tenths of a second each for lesson 8's grid of eight strengths), so every move,
    including the first visit of a setting, is a lookup.  With ``precompute=False`` the first visit of
    an optimizer trains all its strengths at once.
    """
    setup = network_setup() if setup is None else setup
    strength = setup.strengths[-1] if strength is None else strength
    optimizer, strength = _check_choice(setup, optimizer, strength)
    if check_bool(precompute, "precompute"):
        precompute_networks(setup)
    view = _NetworkView(setup)
    controls = {
        "optimizer": widgets.Dropdown(options=[(label, key) for key, label in OPTIMIZER_LABELS.items()],
                                      value=optimizer, description="optimizer", style=_STYLE,
                                      layout=_layout()),
        "strength": widgets.SelectionSlider(options=[(f"{s:g}", s) for s in setup.strengths],
                                            value=strength,
                                            description="rate / weight decay", continuous_update=False,
                                            layout=_layout(), style=_STYLE),
    }
    return _assemble(view, controls,
                     lambda optimizer, strength: network_update(setup, optimizer, strength, bins=view.bins))


# ---------------------------------------------------------------------------
# Lesson 9: the elastic net, between ridge and the lasso
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ElasticNetSetup:
    """Standardized data with a correlated pair, and the ``l1_ratio`` grid of the profile panel.

    ``cache`` maps a rate to the elastic-net coefficients at every entry of ``l1_ratios``
    (shape ``(len(l1_ratios), p)``), computed on first use of that rate.
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple
    w_true: np.ndarray | None
    l1_ratios: np.ndarray
    rate_range: tuple
    coef_limit: float
    cache: _Cache = field(repr=False, compare=False)


@dataclass(frozen=True)
class ElasticNetUpdate:
    """The elastic net at one ``(rate, l1_ratio)``, and the coefficients across ``l1_ratios`` at that rate."""

    rate: float
    l1_ratio: float
    coef: np.ndarray
    intercept: float
    n_nonzero: int
    l1_ratios: np.ndarray
    profile: np.ndarray


def elastic_net_setup(X=None, y=None, *, feature_names=None, w_true=None, n_samples=60, correlation=0.95,
                      noise=1.0, n_noise_features=4, seed=3, n_l1_ratios=21) -> ElasticNetSetup:
    """Data for :func:`elastic_net_update`.

    Parameters
    ----------
    X, y : array_like, optional
        Data (standardize the columns first); default: :func:`course_lib.data.make_correlated_pair`
        ``(n_samples, correlation, noise, n_noise_features, seed)`` standardized — two twins
        ``x1``, ``x2`` that both drive ``y`` and irrelevant features ``x3, …``.  With the default
        seed the lasso keeps only one twin over the whole path.
    feature_names : sequence of str, optional
    w_true : array_like, optional
        True weights drawn next to the fit (default: those of the generated data).
    n_l1_ratios : int
        Points of the ``l1_ratio`` grid, from 0 (ridge) to 1 (lasso).
    """
    if X is None or y is None:
        X, y, w_true = make_correlated_pair(n_samples, correlation, noise, n_noise_features, seed)
        X, _, scale = standardize(X)
        w_true = w_true * scale  # the same linear function on the standardized columns
    X, y = as_data(X, y)
    p = X.shape[1]
    names = tuple(feature_names) if feature_names is not None else tuple(f"x{j + 1}" for j in range(p))
    if len(names) != p:
        raise ValueError(f"feature_names must have {p} entries (one per column of X); got {len(names)}")
    w_true = None if w_true is None else as_vector(w_true, "w_true", size=p)
    l1_ratios = np.linspace(0.0, 1.0, check_positive_int(n_l1_ratios, "n_l1_ratios", minimum=2))
    top = lasso_max_rate(X, y)
    top = top if top > 0 else 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # rate 0 with p >= n: minimum norm
        ls = fit_ridge(X, y, 0.0).w
    limit = 1.15 * max(float(np.abs(ls).max()), 0.0 if w_true is None else float(np.abs(w_true).max()), 1e-3)
    return ElasticNetSetup(X, y, names, w_true, l1_ratios, (1e-3 * top, 3.0 * top), limit, _Cache(64))


def elastic_net_update(setup: ElasticNetSetup, rate, l1_ratio) -> ElasticNetUpdate:
    r"""The elastic net at ``(rate, l1_ratio)`` and its profile over ``setup.l1_ratios``.

    Each fit minimizes ``1/(2n)·||y − Xw − b||² + rate·(ρ·||w||₁ + (1 − ρ)/2·||w||²)`` with
    :func:`course_lib.trainers.fit_elastic_net` (``ρ = l1_ratio``).  The profile (one fit per
    grid ``l1_ratio``, warm-started along the grid) is cached per rate.
    """
    rate = check_rate(rate)
    l1_ratio = check_fraction(l1_ratio, "l1_ratio")
    profile = setup.cache.get(rate)
    if profile is None:
        rows, start = [], None
        for rho in setup.l1_ratios:
            start = fit_elastic_net(setup.X, setup.y, rate, float(rho), w0=start).w
            rows.append(start)
        profile = setup.cache.put(rate, np.array(rows))
    else:
        setup.cache.move_to_end(rate)
    w, b = fit_elastic_net(setup.X, setup.y, rate, l1_ratio)
    return ElasticNetUpdate(rate, l1_ratio, w, b, int(np.count_nonzero(w)), setup.l1_ratios, profile)


class _ElasticNetView:
    def __init__(self, setup: ElasticNetSetup):
        self.figure, (self.ax_ball, self.ax_bar, self.ax_prof) = _new_figure(3, width_per_axes=4.3, height=3.9)
        p = len(setup.feature_names)
        compare = {"true weights": setup.w_true} if setup.w_true is not None else None
        grey = {"color": "0.55", "linewidth": 1.0}
        with plots.course_style():
            circle, diamond = plots.l2_ball_points(1.0), plots.l1_ball_points(1.0)
            self.ax_ball.plot(circle[:, 0], circle[:, 1], linestyle="--", label="L2 (l1_ratio = 0)", **grey)
            self.ax_ball.plot(*np.vstack([diamond, diamond[:1]]).T, linestyle=":", label="L1 (l1_ratio = 1)", **grey)
            (self.ball,) = self.ax_ball.plot([], [], color=plots.PALETTE[0], linewidth=2.2, label="elastic net",
                                            gid="enet-ball")
            self.ax_ball.set_aspect("equal")
            self.ax_ball.set(xlim=(-1.35, 1.35), ylim=(-1.35, 1.35))
            plots._finish(self.ax_ball, "w1", "w2", "Penalty level set")
            self.ax_ball.legend(loc="lower left", fontsize="x-small")
            plots.plot_coefficient_bars(np.zeros(p), compare, feature_names=setup.feature_names,
                                        coef_label="elastic net", ylim=(-setup.coef_limit, setup.coef_limit),
                                        ax=self.ax_bar)
            self.lines = []
            for j in range(p):
                s = plots.series_style(j)
                (line,) = self.ax_prof.plot(setup.l1_ratios, np.zeros_like(setup.l1_ratios), color=s["color"],
                                            linestyle=s["linestyle"], label=setup.feature_names[j], gid=f"profile-{j}")
                self.lines.append(line)
            self.ax_prof.axhline(0.0, color=plots.OKABE_ITO["black"], linewidth=0.8)
            self.marker = plots._vline(self.ax_prof, 0.5, "this l1_ratio", "l1-ratio-marker")
            self.dots = self.ax_prof.scatter(np.zeros(p), np.zeros(p), color=[plots.series_style(j)["color"] for j in range(p)],
                                             edgecolor=plots.OKABE_ITO["black"], zorder=3, s=25, gid="l1-ratio-dots")
            self.ax_prof.set(xlim=(-0.02, 1.02), ylim=(-setup.coef_limit, setup.coef_limit))
            plots._finish(self.ax_prof, "l1_ratio (0 = ridge, 1 = lasso)", "coefficient", "Coefficients at this rate")
            self.ax_prof.legend(loc="upper right", fontsize="x-small", ncols=2)
        self.bars = plots.find_artist(self.ax_bar, "coefs")
        self.p = p

    def dynamic(self):
        return [self.ball, self.ax_ball.title, *self.bars, self.ax_bar.title, *self.lines, self.marker, self.dots,
                self.ax_prof.title]

    def draw(self, u: ElasticNetUpdate):
        ball = plots.elastic_net_ball_points(1.0, u.l1_ratio)
        self.ball.set_data(ball[:, 0], ball[:, 1])
        self.ax_ball.set_title(f"Penalty level set, l1_ratio = {u.l1_ratio:.2f}", fontsize="small")
        for bar, h in zip(self.bars, u.coef):
            bar.set_height(h)
        self.ax_bar.set_title(f"rate = {u.rate:.3g}, l1_ratio = {u.l1_ratio:.2f}: {u.n_nonzero} of {self.p} nonzero",
                              fontsize="small")
        for j, line in enumerate(self.lines):
            line.set_ydata(u.profile[:, j])
        self.marker.set_xdata([u.l1_ratio, u.l1_ratio])
        self.dots.set_offsets(np.column_stack([np.full(self.p, u.l1_ratio), u.coef]))
        self.ax_prof.set_title(f"At rate = {u.rate:.3g}: from ridge (0) to lasso (1)", fontsize="small")


def elastic_net_figure(setup: ElasticNetSetup | None = None, rate=None, l1_ratio=0.5):
    """Static lesson-9 figure: penalty level set, coefficients, and coefficients against l1_ratio.

    ``rate`` defaults to a third of :func:`course_lib.trainers.lasso_max_rate` of the data.
    """
    setup = elastic_net_setup() if setup is None else setup
    rate = setup.rate_range[1] / 9.0 if rate is None else rate
    view = _ElasticNetView(setup)
    view.draw(elastic_net_update(setup, rate, l1_ratio))
    return view.figure


def elastic_net_widget(setup: ElasticNetSetup | None = None, rate=None, l1_ratio=0.5):
    """``l1_ratio`` slider (ridge ... lasso) and rate slider -> level set, coefficients and their profile."""
    setup = elastic_net_setup() if setup is None else setup
    rate = setup.rate_range[1] / 9.0 if rate is None else rate
    view = _ElasticNetView(setup)
    controls = {
        "l1_ratio": widgets.FloatSlider(value=float(l1_ratio), min=0.0, max=1.0, step=0.05, description="l1_ratio",
                                        readout_format=".2f", continuous_update=LIGHT_CONTINUOUS, layout=_layout(),
                                        style=_STYLE),
        "rate": _log_slider("rate", rate, *setup.rate_range),
    }
    return _assemble(view, controls, lambda l1_ratio, rate: elastic_net_update(setup, rate, l1_ratio))


# ---------------------------------------------------------------------------
# Lesson 10: ridge and lasso profiles in ESL's coordinates (df and s), with test error
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ShrinkagePathsSetup:
    """Training and test data with the ridge profile against df and the lasso profile against s.

    Ridge is parameterized by its effective degrees of freedom ``df`` (0 … ``rank``), the
    lasso by the shrinkage factor ``s = ||w(rate)||₁ / ||w_LS||₁`` (0 … 1), as in ESL
    Figures 3.8 and 3.10.  ``knot_*`` are the lasso path's knots (descending rates) and the
    ``s`` at each; between knots the lasso coefficients and the rate are linear in ``s``.
    ``*_grid``/``*_coefs``/``*_errors`` sample both profiles for drawing.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    feature_names: tuple
    rank: int
    dof_grid: np.ndarray
    ridge_coefs: np.ndarray
    ridge_train_errors: np.ndarray
    ridge_test_errors: np.ndarray
    knot_rates: np.ndarray
    knot_coefs: np.ndarray
    knot_shrinkage: np.ndarray
    shrinkage_grid: np.ndarray
    lasso_coefs: np.ndarray
    lasso_train_errors: np.ndarray
    lasso_test_errors: np.ndarray


@dataclass(frozen=True)
class ShrinkagePathsUpdate:
    """Ridge at ``dof`` and the lasso at ``shrinkage``: rates, coefficients, training and test errors."""

    dof: float
    ridge_rate: float
    ridge_coef: np.ndarray
    ridge_intercept: float
    ridge_train_error: float
    ridge_test_error: float
    shrinkage: float
    lasso_rate: float
    lasso_coef: np.ndarray
    lasso_intercept: float
    lasso_train_error: float
    lasso_test_error: float
    lasso_nonzero: int


def _ridge_at_dof(X, y, dof, rank):
    """``(rate, w, b)`` of ridge with ``dof`` effective degrees of freedom (``dof = 0``: rate ∞, ``w = 0``)."""
    if dof <= 0.0:
        return np.inf, np.zeros(X.shape[1]), float(y.mean())
    rate = 0.0 if dof >= rank else ridge_rate_for_dof(X, dof)
    w, b = fit_ridge(X, y, rate)
    return rate, w, float(b)


def _lasso_at_shrinkage(setup, s):
    """``(rate, w, b)`` of the lasso whose L1 norm is ``s`` times the least-squares one (exact)."""
    xs = setup.knot_shrinkage
    w = np.array([np.interp(s, xs, setup.knot_coefs[:, j]) for j in range(setup.knot_coefs.shape[1])])
    rate = float(np.interp(s, xs, setup.knot_rates))
    w[np.abs(w) < 1e-14 * max(1.0, float(np.abs(setup.knot_coefs).max()))] = 0.0  # exact zeros stay zero
    return rate, w, float(setup.y_train.mean() - setup.X_train.mean(axis=0) @ w)


def shrinkage_paths_setup(X_train=None, y_train=None, X_test=None, y_test=None, *, feature_names=None,
                          n_grid=81) -> ShrinkagePathsSetup:
    """Profiles of ridge (against df) and the lasso (against s) for :func:`shrinkage_paths_update`.

    Parameters
    ----------
    X_train, y_train, X_test, y_test : array_like, optional
        Default: the prostate data of ESL, standardized as the book does
        (``course_lib.data.load_prostate(standardize_features=True)``) and split as the book does.
        ``X_train`` needs more rows than columns (the lasso's ``s`` is relative to least squares).
    feature_names : sequence of str, optional
    n_grid : int
        Points on each drawn profile.
    """
    if X_train is None:
        data = load_prostate(standardize_features=True)
        X_train, y_train, X_test, y_test = data.X_train, data.y_train, data.X_test, data.y_test
        feature_names = data.feature_names if feature_names is None else feature_names
    X_train, y_train = as_data(X_train, y_train, X_name="X_train", y_name="y_train")
    X_test, y_test = as_data(X_test, y_test, X_name="X_test", y_name="y_test")
    n, p = X_train.shape
    if X_test.shape[1] != p:
        raise ValueError(f"X_test must have the {p} columns of X_train; got shape {X_test.shape}")
    if n <= p:
        raise ValueError(f"X_train must have more rows than columns (least squares must be unique); got shape "
                         f"{X_train.shape}")
    names = tuple(feature_names) if feature_names is not None else tuple(f"x{j + 1}" for j in range(p))
    if len(names) != p:
        raise ValueError(f"feature_names must have {p} entries (one per column of X_train); got {len(names)}")
    rank = int(np.count_nonzero(ridge_shrinkage_factors(X_train, 0.0)))
    n_grid = check_positive_int(n_grid, "n_grid", minimum=2)

    def errors(coefs, intercepts):
        train = np.mean((y_train[None, :] - coefs @ X_train.T - intercepts[:, None]) ** 2, axis=1)
        test = np.mean((y_test[None, :] - coefs @ X_test.T - intercepts[:, None]) ** 2, axis=1)
        return train, test

    dof_grid = np.linspace(0.0, rank, n_grid)
    ridge = [_ridge_at_dof(X_train, y_train, d, rank) for d in dof_grid]
    ridge_coefs = np.array([r[1] for r in ridge])
    ridge_train, ridge_test = errors(ridge_coefs, np.array([r[2] for r in ridge]))
    knot_rates, knot_coefs = lasso_path_knots(X_train, y_train)
    if knot_rates[-1] != 0.0:
        raise ValueError("the lasso path of X_train does not reach rate 0 (degenerate data); "
                         "the shrinkage factor s needs the least-squares end point")
    l1 = np.abs(knot_coefs).sum(axis=1)
    knot_shrinkage = l1 / l1[-1]
    partial = ShrinkagePathsSetup(X_train, y_train, X_test, y_test, names, rank, dof_grid, ridge_coefs, ridge_train,
                                  ridge_test, knot_rates, knot_coefs, knot_shrinkage, np.linspace(0.0, 1.0, n_grid),
                                  np.empty((0, p)), np.empty(0), np.empty(0))
    lasso = [_lasso_at_shrinkage(partial, s) for s in partial.shrinkage_grid]
    lasso_coefs = np.array([r[1] for r in lasso])
    lasso_train, lasso_test = errors(lasso_coefs, np.array([r[2] for r in lasso]))
    return dataclasses.replace(partial, lasso_coefs=lasso_coefs, lasso_train_errors=lasso_train,
                               lasso_test_errors=lasso_test)


def shrinkage_paths_update(setup: ShrinkagePathsSetup, dof, shrinkage) -> ShrinkagePathsUpdate:
    r"""Ridge with ``dof`` effective degrees of freedom and the lasso at shrinkage factor ``shrinkage``.

    Ridge: the rate solves ``Σ d_j²/(d_j² + n·rate) = dof``
    (:func:`course_lib.trainers.ridge_rate_for_dof`), then :func:`course_lib.trainers.fit_ridge`.
    Lasso: ``||w||₁ = shrinkage·||w_LS||₁``, by linear interpolation between the knots of the
    exact path (the signs are constant between knots, so ``||w||₁`` is linear there): exact.
    Errors are mean squared errors (no 1/2) on the training and the test rows.
    """
    dof = check_rate(dof, "dof")
    if dof > setup.rank:
        raise ValueError(f"dof must be between 0 and the rank of X_train, {setup.rank}; got dof={dof:g}")
    shrinkage = check_fraction(shrinkage, "shrinkage")
    r_rate, r_w, r_b = _ridge_at_dof(setup.X_train, setup.y_train, dof, setup.rank)
    l_rate, l_w, l_b = _lasso_at_shrinkage(setup, shrinkage)
    Xtr, ytr, Xte, yte = setup.X_train, setup.y_train, setup.X_test, setup.y_test
    return ShrinkagePathsUpdate(
        dof, float(r_rate), r_w, r_b, _mse(ytr, Xtr @ r_w + r_b), _mse(yte, Xte @ r_w + r_b),
        shrinkage, l_rate, l_w, l_b, _mse(ytr, Xtr @ l_w + l_b), _mse(yte, Xte @ l_w + l_b),
        int(np.count_nonzero(l_w)),
    )


class _ShrinkagePathsView:
    def __init__(self, setup: ShrinkagePathsSetup):
        with plots.course_style():
            self.figure, axes = plt.subplots(2, 2, figsize=(10.0, 7.4), layout="constrained", sharex="col")
        (self.ax_ridge, self.ax_lasso), (self.ax_ridge_err, self.ax_lasso_err) = axes
        p = len(setup.feature_names)
        limit = 1.1 * float(np.abs(setup.ridge_coefs).max())
        error_top = 1.1 * float(max(setup.ridge_test_errors.max(), setup.lasso_test_errors.max(),
                                    setup.ridge_train_errors.max(), setup.lasso_train_errors.max()))
        self.markers, self.dots = {}, {}
        panels = [("ridge", self.ax_ridge, self.ax_ridge_err, setup.dof_grid, setup.ridge_coefs,
                   setup.ridge_train_errors, setup.ridge_test_errors, "effective degrees of freedom df",
                   (0.0, setup.rank)),
                  ("lasso", self.ax_lasso, self.ax_lasso_err, setup.shrinkage_grid, setup.lasso_coefs,
                   setup.lasso_train_errors, setup.lasso_test_errors, "shrinkage factor s = ||w||₁ / ||w_LS||₁",
                   (0.0, 1.0))]
        with plots.course_style():
            for name, ax, ax_err, grid, coefs, train, test, xlabel, (lo, hi) in panels:
                label_heights = plots.spread_labels(coefs[-1], 0.1 * limit)   # names of close lines must not overlap
                for j in range(p):
                    s = plots.series_style(j)
                    ax.plot(grid, coefs[:, j], color=s["color"], linestyle=s["linestyle"], label=setup.feature_names[j])
                    ax.annotate(setup.feature_names[j], (grid[-1], label_heights[j]), xytext=(4, 0),
                                textcoords="offset points", va="center", fontsize="x-small", color=s["color"])
                ax.axhline(0.0, color=plots.OKABE_ITO["black"], linewidth=0.8)
                self.markers[name] = plots._vline(ax, hi / 2, "chosen value", f"{name}-marker")
                self.dots[name] = ax.scatter(np.zeros(p), np.zeros(p), color=[plots.series_style(j)["color"] for j in range(p)],
                                             edgecolor=plots.OKABE_ITO["black"], zorder=3, s=25, gid=f"{name}-dots")
                ax.set(xlim=(lo - 0.02 * hi, hi * 1.14), ylim=(-limit, limit))
                plots._finish(ax, xlabel, "coefficient", f"{name.capitalize()} profile", legend=False)
                ax_err.plot(grid, train, color=plots.PALETTE[0], linestyle="-", label="training error")
                ax_err.plot(grid, test, color=plots.PALETTE[1], linestyle="--", label="test error")
                self.markers[name + "-err"] = plots._vline(ax_err, hi / 2, "chosen value", f"{name}-err-marker")
                (train_dot,) = ax_err.plot([], [], marker="o", markersize=8, color=plots.PALETTE[0],
                                           markeredgecolor="k", linestyle="none", gid=f"{name}-train-dot")
                (test_dot,) = ax_err.plot([], [], marker="s", markersize=8, color=plots.PALETTE[1],
                                          markeredgecolor="k", linestyle="none", gid=f"{name}-test-dot")
                self.dots[name + "-train"], self.dots[name + "-test"] = train_dot, test_dot
                ax_err.set_ylim(0.0, error_top)
                plots._finish(ax_err, xlabel, "mean squared error", "errors", legend=False)
                ax_err.legend(loc="upper right", fontsize="x-small")
        self.p = p

    def dynamic(self):
        return [*self.markers.values(), *self.dots.values(), self.ax_ridge.title, self.ax_lasso.title,
                self.ax_ridge_err.title, self.ax_lasso_err.title]

    def draw(self, u: ShrinkagePathsUpdate):
        for name, x, coef, train, test in [("ridge", u.dof, u.ridge_coef, u.ridge_train_error, u.ridge_test_error),
                                           ("lasso", u.shrinkage, u.lasso_coef, u.lasso_train_error,
                                            u.lasso_test_error)]:
            self.markers[name].set_xdata([x, x])
            self.markers[name + "-err"].set_xdata([x, x])
            self.dots[name].set_offsets(np.column_stack([np.full(self.p, x), coef]))
            self.dots[name + "-train"].set_data([x], [train])
            self.dots[name + "-test"].set_data([x], [test])
        rate = "∞" if not np.isfinite(u.ridge_rate) else f"{u.ridge_rate:.3g}"
        self.ax_ridge.set_title(f"Ridge: df = {u.dof:.2f} (rate = {rate})")
        self.ax_lasso.set_title(f"Lasso: s = {u.shrinkage:.2f} (rate = {u.lasso_rate:.3g}), "
                                f"{u.lasso_nonzero} of {self.p} nonzero")
        self.ax_ridge_err.set_title(f"test error {u.ridge_test_error:.3f}, training {u.ridge_train_error:.3f}")
        self.ax_lasso_err.set_title(f"test error {u.lasso_test_error:.3f}, training {u.lasso_train_error:.3f}")


def shrinkage_paths_figure(setup: ShrinkagePathsSetup | None = None, dof=5.0, shrinkage=0.36):
    """Static lesson-10 figure: ridge against df and the lasso against s, with their errors."""
    setup = shrinkage_paths_setup() if setup is None else setup
    view = _ShrinkagePathsView(setup)
    view.draw(shrinkage_paths_update(setup, dof, shrinkage))
    return view.figure


def shrinkage_paths_widget(setup: ShrinkagePathsSetup | None = None, dof=5.0, shrinkage=0.36):
    """df slider (ridge) and s slider (lasso) -> markers on both profiles and on their error curves."""
    setup = shrinkage_paths_setup() if setup is None else setup
    view = _ShrinkagePathsView(setup)
    controls = {
        "dof": widgets.FloatSlider(value=float(dof), min=0.0, max=float(setup.rank), step=0.05,
                                   description="ridge df", readout_format=".2f",
                                   continuous_update=LIGHT_CONTINUOUS, layout=_layout(), style=_STYLE),
        "shrinkage": widgets.FloatSlider(value=float(shrinkage), min=0.0, max=1.0, step=0.01,
                                         description="lasso s", readout_format=".2f",
                                         continuous_update=LIGHT_CONTINUOUS, layout=_layout(), style=_STYLE),
    }
    return _assemble(view, controls, lambda dof, shrinkage: shrinkage_paths_update(setup, dof, shrinkage))

"""Lesson 10: ridge and lasso profiles in ESL's coordinates (df and s), with test error."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from .. import plots
from .._validation import as_data, check_fraction, check_positive_int, check_rate
from ..data import load_prostate
from ..plots.axes import finish_axes, marker_line
from ..plots.style import MAX_FIGURE_WIDTH, SMALL_FONT_SIZE
from ..trainers import fit_ridge, lasso_path_knots, ridge_rate_for_dof, ridge_shrinkage_factors
from .shared import mse
from .wiring import CONTROL_STYLE, LIGHT_CONTINUOUS, assemble, control_layout


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
        dof, float(r_rate), r_w, r_b, mse(ytr, Xtr @ r_w + r_b), mse(yte, Xte @ r_w + r_b),
        shrinkage, l_rate, l_w, l_b, mse(ytr, Xtr @ l_w + l_b), mse(yte, Xte @ l_w + l_b),
        int(np.count_nonzero(l_w)),
    )


class _ShrinkagePathsView:
    def __init__(self, setup: ShrinkagePathsSetup):
        with plots.course_style():
            self.figure, axes = plt.subplots(2, 2, figsize=(MAX_FIGURE_WIDTH, 6.8), layout="constrained", sharex="col")
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
                label_heights = plots.spread_labels(coefs[-1], 0.14 * limit)   # names of close lines must not overlap
                for j in range(p):
                    s = plots.series_style(j)
                    ax.plot(grid, coefs[:, j], color=s["color"], linestyle=s["linestyle"], label=setup.feature_names[j])
                    ax.annotate(setup.feature_names[j], (grid[-1], label_heights[j]), xytext=(4, 0),
                                textcoords="offset points", va="center", fontsize=SMALL_FONT_SIZE, color=s["color"])
                ax.axhline(0.0, color=plots.OKABE_ITO["black"], linewidth=0.8)
                self.markers[name] = marker_line(ax, hi / 2, "chosen value", f"{name}-marker")
                self.dots[name] = ax.scatter(np.zeros(p), np.zeros(p), color=[plots.series_style(j)["color"] for j in range(p)],
                                             edgecolor=plots.OKABE_ITO["black"], zorder=3, s=25, gid=f"{name}-dots")
                ax.set(xlim=(lo - 0.02 * hi, hi * 1.14), ylim=(-limit, limit))
                finish_axes(ax, xlabel, "coefficient", f"{name.capitalize()} profile", legend=False)
                ax_err.plot(grid, train, color=plots.PALETTE[0], linestyle="-", label="training error")
                ax_err.plot(grid, test, color=plots.PALETTE[1], linestyle="--", label="test error")
                self.markers[name + "-err"] = marker_line(ax_err, hi / 2, "chosen value", f"{name}-err-marker")
                (train_dot,) = ax_err.plot([], [], marker="o", markersize=8, color=plots.PALETTE[0],
                                           markeredgecolor="k", linestyle="none", gid=f"{name}-train-dot")
                (test_dot,) = ax_err.plot([], [], marker="s", markersize=8, color=plots.PALETTE[1],
                                          markeredgecolor="k", linestyle="none", gid=f"{name}-test-dot")
                self.dots[name + "-train"], self.dots[name + "-test"] = train_dot, test_dot
                ax_err.set_ylim(0.0, error_top)
                finish_axes(ax_err, xlabel, "mean squared error", "errors", legend=False)
                ax_err.legend(loc="upper right")
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
        self.ax_ridge.set_title(f"Ridge: df = {u.dof:.2f}\nrate = {rate}")
        self.ax_lasso.set_title(f"Lasso: s = {u.shrinkage:.2f}, {u.lasso_nonzero} of {self.p} nonzero\n"
                                f"rate = {u.lasso_rate:.3g}")
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
                                   continuous_update=LIGHT_CONTINUOUS, layout=control_layout(), style=CONTROL_STYLE),
        "shrinkage": widgets.FloatSlider(value=float(shrinkage), min=0.0, max=1.0, step=0.01,
                                         description="lasso s", readout_format=".2f",
                                         continuous_update=LIGHT_CONTINUOUS, layout=control_layout(), style=CONTROL_STYLE),
    }
    return assemble(view, controls, lambda dof, shrinkage: shrinkage_paths_update(setup, dof, shrinkage))

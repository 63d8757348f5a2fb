"""Lesson 5: geometry — where the L1- and L2-constrained solutions land on elliptical loss contours."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from .. import plots
from .._validation import as_vector, check_rate
from ..geometry import check_hessian, l1_constrained_solution, l2_constrained_solution, quadratic_loss
from ..plots.geometry import CONTOUR_FRACTIONS
from .rendering import new_figure
from .wiring import CONTROL_STYLE, LIGHT_CONTINUOUS, assemble, control_layout


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
        self.figure, (self.ax,) = new_figure(1, width=5.6, height=5.4)
        self.H = hessian
        u = geometry_update(1.0, 1.0, 1.0, hessian)
        with plots.course_style():
            plots.plot_contours_with_ball(hessian, u.optimum, 1.0, extent=extent,
                                          solutions={"L1 solution": u.l1_solution, "L2 solution": u.l2_solution},
                                          ax=self.ax)
        self.contours = [plots.find_artist(self.ax, f"contour-{k}") for k in range(len(CONTOUR_FRACTIONS))]
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
        for line, f in zip(self.contours, CONTOUR_FRACTIONS):
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
            fontsize=10,
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
        continuous_update=LIGHT_CONTINUOUS, layout=control_layout(), style=CONTROL_STYLE)
    controls = {
        "w1": slider("optimum w1", w1, -0.9 * extent, 0.9 * extent),
        "w2": slider("optimum w2", w2, -0.9 * extent, 0.9 * extent),
        "budget": slider("budget t", budget, 0.0, 0.9 * extent),
    }
    return assemble(view, controls, lambda **v: geometry_update(hessian=H, **v))

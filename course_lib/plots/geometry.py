"""Lesson 5's pictures: contours of a quadratic loss, the L1 diamond, the L2 disc and the elastic-net ball."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgba

from .axes import as_series, finish_axes, new_axes
from .style import LINESTYLES, OKABE_ITO, PALETTE, series_style


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
    ax = new_axes(ax, figsize=(4.8, 4.6))
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
    for k, (label, point) in enumerate(as_series(solutions, "solution").items()):
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
    ax.legend(loc="lower left")
    return finish_axes(ax, "w1", "w2", title, legend=False)

# Must agree with: course_lib.trainers.fit_lasso (coordinate descent, course_lib.coordinate_descent)
# at every rate, and with the lasso's optimality (KKT) conditions, which every row is checked
# against (kkt_violation). tests/lib/test_solvers.py runs both on the same problems.
r"""The exact lasso path by homotopy (LARS with the lasso modification).

Each row of the path minimizes ``1/(2n)·||yc − Xc w||² + rate·||w||₁`` on centered data.  The
path ``rate ↦ w(rate)`` is piecewise linear: between two *knots* the set ``A`` of nonzero weights
and their signs ``s`` do not change, and the optimality conditions ``c_A − G_AA w_A = rate·s_A``
(``G = XcᵀXc/n``, ``c = Xcᵀyc/n``) give

.. math:: w_A(\text{rate}) = a - \text{rate}\cdot d,\qquad G_{AA}\,a = c_A,\quad G_{AA}\,d = s_A,

linear in the rate.  Every feature's correlation with the residual is linear too,
``c − G_{:A} w_A = e + rate·f``, and going down in rate the stretch ends at the first *event*:

* a zero weight joins when its correlation reaches ``±rate``: ``rate = e_j / (±1 − f_j)``;
* a weight leaves when it reaches 0 (the lasso modification of LARS): ``rate = a_j / d_j``.

So the whole path costs one small linear solve per knot, where coordinate descent solves every
requested rate from scratch (warm-started).  Degenerate data (tied or collinear features) can
make the path non-unique; then the algorithm stops early and the caller checks every row with
:func:`kkt_violation` and recomputes the failing ones by coordinate descent.
"""

from __future__ import annotations

import numpy as np

__all__ = ["LassoProducts", "lasso_knots", "interpolate", "kkt_violation", "kkt_tolerance"]

_EPS = np.finfo(float).eps


class LassoProducts:
    """``c = Xcᵀyc/n``, ``yy = ||yc||²/n`` and products with ``G = XcᵀXc/n`` for centered data.

    With ``n >= p`` ``G`` is formed once; otherwise products go through ``Xc`` (``G`` has ``p²``
    entries, more than ``Xc``'s ``n·p``).
    """

    def __init__(self, Xc, yc):
        self.X = Xc
        self.n, self.p = Xc.shape
        self.c = Xc.T @ yc / self.n
        self.yy = float(yc @ yc) / self.n
        self.G = Xc.T @ Xc / self.n if self.n >= self.p else None

    def gram_block(self, rows, cols):
        if self.G is not None:
            return self.G[np.ix_(rows, cols)]
        return self.X[:, rows].T @ self.X[:, cols] / self.n

    def gram_times(self, W):
        """``G @ W`` for ``W`` of shape (p, k), without forming ``G`` when ``n < p``."""
        if self.G is not None:
            return self.G @ W
        return self.X.T @ (self.X @ W) / self.n

    def gram(self):
        return self.G if self.G is not None else self.X.T @ self.X / self.n


def lasso_knots(products, rate_stop, max_active):
    """Knots of the lasso path from ``max|c|`` (all weights 0) down to ``rate_stop``.

    Returns ``(knot_rates, knot_coefs, complete)``; ``complete`` is False when the algorithm met a
    degenerate case (a singular ``G_AA`` from tied or collinear features, or cycling) and stopped
    early.  ``max_active`` caps the active set (``min(p, n − 1)`` with an intercept): once it spans
    the data nothing else can enter.
    """
    c, p = products.c, products.p
    rate = float(np.max(np.abs(c)))
    knot_rates, knot_coefs = [rate], [np.zeros(p)]
    if rate <= rate_stop or rate == 0.0:
        return np.array(knot_rates), np.array(knot_coefs), True
    active = [int(np.argmax(np.abs(c)))]
    signs = [float(np.sign(c[active[0]]))]
    # Features that entered (left) at the current rate.  They sit exactly at their event, and
    # rounding must not make them leave (re-enter) at this same rate, though they may do so
    # further down the path.
    joined_here, left_here = {active[0]}, set()
    max_events = 20 * (p + products.n) + 100  # far more than a generic path needs; guards cycling
    for _ in range(max_events):
        A = np.array(active)
        try:
            ad = np.linalg.solve(products.gram_block(A, A), np.column_stack([c[A], signs]))
        except np.linalg.LinAlgError:
            return np.array(knot_rates), np.array(knot_coefs), False
        a, d = ad[:, 0], ad[:, 1]
        # Correlations along the stretch: c − G_{:A}(a − rate·d) = e + rate·f.
        AD = np.zeros((p, 2))
        AD[A] = ad
        Ga, Gd = products.gram_times(AD).T
        e, f = c - Ga, Gd
        # The rate of each possible event; only those in (0, rate] can come next.
        ceiling, near = rate * (1.0 + 1e-10), rate * (1.0 - 1e-9)
        with np.errstate(divide="ignore", invalid="ignore"):
            leave = _in_range(a / d, ceiling)
            join_up = _in_range(e / (1.0 - f), ceiling)  # correlation reaches +rate
            join_down = _in_range(-e / (1.0 + f), ceiling)  # correlation reaches −rate
        for k, j in enumerate(active):
            if j in joined_here and leave[k] >= near:
                leave[k] = -np.inf
        for j in left_here:
            for candidates in (join_up, join_down):
                if candidates[j] >= near:
                    candidates[j] = -np.inf
        join = np.maximum(join_up, join_down)
        join[A] = -np.inf
        if len(active) >= max_active:  # the active set spans the data: nothing else can enter
            join[:] = -np.inf
        k_leave, k_join = int(np.argmax(leave)), int(np.argmax(join))
        next_rate = max(leave[k_leave], join[k_join], 0.0)

        if next_rate <= rate_stop:  # the stretch reaches the end of the requested path
            w = np.zeros(p)
            w[A] = a - rate_stop * d
            knot_rates.append(rate_stop)
            knot_coefs.append(w)
            return np.array(knot_rates), np.array(knot_coefs), True
        next_rate = min(next_rate, rate)
        leaving = leave[k_leave] >= join[k_join]
        if next_rate < rate:
            w = np.zeros(p)
            w[A] = a - next_rate * d
            if leaving:
                w[A[k_leave]] = 0.0  # exactly, not a rounding error of either sign
            knot_rates.append(next_rate)
            knot_coefs.append(w)
            rate = next_rate
            joined_here, left_here = set(), set()
        if leaving:
            left_here.add(active.pop(k_leave))
            signs.pop(k_leave)
        else:
            active.append(k_join)
            signs.append(1.0 if join_up[k_join] >= join_down[k_join] else -1.0)
            joined_here.add(k_join)
    return np.array(knot_rates), np.array(knot_coefs), False


def _in_range(values, ceiling):
    """``values`` where they lie in (0, ceiling], −inf elsewhere (NaN included)."""
    return np.where((values > 0) & (values <= ceiling), values, -np.inf)


def interpolate(knot_rates, knot_coefs, rates):
    """Evaluate the piecewise-linear path at ``rates``; NaN rows where the knots do not reach."""
    coefs = np.full((rates.size, knot_coefs.shape[1]), np.nan)
    n_above = np.searchsorted(-knot_rates, -rates, side="right")  # how many knots have rate >= r
    for i, (r, k) in enumerate(zip(rates, n_above)):
        if k == 0:  # above the largest knot (the max rate): every weight is 0
            coefs[i] = 0.0
        elif k < knot_rates.size:  # between knot k−1 (>= r) and knot k (< r)
            hi, lo = knot_rates[k - 1], knot_rates[k]
            t = (hi - r) / (hi - lo)
            coefs[i] = (1 - t) * knot_coefs[k - 1] + t * knot_coefs[k]
        elif r == knot_rates[-1]:
            coefs[i] = knot_coefs[-1]
    return coefs


def kkt_violation(products, coefs, rates):
    """Largest violation of the lasso optimality conditions, for each row of ``coefs``.

    With ``g = Xcᵀ(yc − Xc w)/n``: ``g_j = rate·sign(w_j)`` where ``w_j ≠ 0`` and
    ``|g_j| <= rate`` where ``w_j = 0``.  NaN rows count as infinitely violated.
    """
    grad = products.c - products.gram_times(np.nan_to_num(coefs).T).T
    on = np.abs(grad - rates[:, None] * np.sign(coefs))
    off = np.maximum(np.abs(grad) - rates[:, None], 0.0)
    violation = np.where(coefs != 0, on, off).max(axis=1)
    return np.where(np.isnan(coefs).any(axis=1), np.inf, violation)


def kkt_tolerance(products):
    """What ``kkt_violation`` may be for a row to count as optimal: √eps of the correlations' scale."""
    return np.sqrt(_EPS) * max(float(np.max(np.abs(products.c))), np.sqrt(products.yy) * _EPS)

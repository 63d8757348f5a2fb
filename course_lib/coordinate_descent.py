r"""Coordinate descent for the lasso and the elastic net: the algorithm of lesson 04.

On centered data ``Xc, yc`` (so that the intercept stays out of it) coordinate descent minimizes

.. math:: \frac{1}{2n}\,\|y_c - X_c w\|^2 + \text{l1}\,\|w\|_1 + \frac{\text{l2}}{2}\,\|w\|^2

one weight at a time.  With every other weight fixed, the best ``w_j`` is a soft-thresholding of
the correlation of feature ``j`` with the *partial residual* ``r_(j) = yc − Σ_{k≠j} x_k w_k``, what
the other features leave unexplained:

.. math:: w_j = \frac{S\big(x_j^\top r_{(j)}/n,\ \text{l1}\big)}{x_j^\top x_j/n + \text{l2}}

(:func:`lasso_coordinate_update` is this update, written with ``X`` itself).  Sweeping over
``j = 0, …, p−1`` again and again converges to the minimizer.  Three devices make it fast, all
named in the lesson and all plain numpy:

1. **Precomputed products.** ``G = XcᵀXc/n`` and ``c = Xcᵀyc/n`` are computed once, and with
   them every feature's correlation with the residual, ``x_jᵀr/n = c_j − G_j·w``.  Then
   ``x_jᵀr_(j)/n = x_jᵀr/n + G_jj·w_j``, and when ``w_j`` moves by ``δ`` the correlations move
   by ``−δ·G_j``: ``p`` operations a coordinate instead of ``n``.
2. **The threshold rule.** A zero weight whose correlation with the residual, ``|c_j − G_j·w|``,
   is at most ``l1`` would stay at 0; a pass visits only the weights that can move.
3. **An exact finish.** Once two passes agree on which weights are nonzero and on their signs,
   the optimality equations on those weights, ``(G_AA + l2·I) w_A = c_A − l1·sign(w_A)``, are one
   linear solve (:func:`solve_on_support`); the result is kept if it lowers the objective.

The loop stops when the *duality gap* (:func:`lasso_objective_and_gap`), an upper bound on how
far the objective is above its minimum, falls below ``tol·||yc||²/n`` — scikit-learn's rule, so
``tol`` means the same as in ``sklearn.linear_model.Lasso``.

Everything here works with the quadratic ``½wᵀGw − cᵀw`` and never with ``X`` itself, so the same
sweep also solves the inner problems of :func:`course_lib.logistic.fit_logistic` (a Newton step
with an L1 penalty is a lasso on the Newton model).  In that form the L2 part is folded into
``G`` (``G + l2·I``) and ``l1`` may differ per weight (0 for an unpenalized intercept).
"""

from __future__ import annotations

import warnings

import numpy as np

from ._validation import (
    ConvergenceWarning,
    as_data,
    as_matrix,
    as_vector,
    check_positive_float,
    check_positive_int,
    check_rate,
    check_real,
)
from .penalties import soft_threshold_scalar

__all__ = [
    "lasso_coordinate_update",
    "coordinate_sweep",
    "solve_on_support",
    "lasso_objective_and_gap",
    "coordinate_descent",
    "warn_not_converged",
]


def lasso_coordinate_update(X, y, w, j, rate, b=0.0) -> float:
    r"""One coordinate-descent step of the lasso: the best ``w_j`` with every other weight fixed.

    Minimizing ``1/(2n)·||y − Xw − b||² + rate·||w||₁`` over ``w_j`` alone gives

    .. math::

        w_j = \frac{S\big(\tfrac{1}{n} x_j^\top r_{(j)},\ \text{rate}\big)}{\tfrac{1}{n} x_j^\top x_j},
        \qquad r_{(j)} = y - b - \sum_{k \ne j} x_k w_k

    where ``S`` is :func:`course_lib.penalties.soft_threshold` and ``r_(j)`` the *partial
    residual*: what is left of ``y`` once every other feature has made its prediction.  If
    feature ``j`` alone can explain less than ``rate`` of that residual, ``w_j`` becomes exactly 0.
    ``X`` and ``b`` are used as given (no centering); a zero column gives ``w_j = 0``.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    w : array_like, shape (p,)
        Current weights (``w[j]`` itself is ignored).
    j : int
        Which coordinate to update, ``0 <= j < p``.
    rate : float
    b : float
        Intercept, held fixed.

    Returns
    -------
    float
        The new value of ``w_j``.
    """
    X, y = as_data(X, y)
    n, p = X.shape
    w = as_vector(w, "w", size=p)
    j = check_positive_int(j, "j", minimum=0)
    if j >= p:
        raise ValueError(f"j must be a column index of X, 0 <= j < {p}; got j={j}")
    rate = check_rate(rate)
    b = check_real(b, "b")

    x_j = X[:, j]
    partial_residual = y - b - X @ w + x_j * w[j]  # add back feature j's own contribution
    correlation = float(x_j @ partial_residual) / n
    curvature = float(x_j @ x_j) / n
    if curvature == 0.0:
        return 0.0
    return soft_threshold_scalar(correlation, rate) / curvature


def coordinate_sweep(w, gram, correlation, l1, coords) -> None:
    r"""One pass of coordinate descent over ``coords``, updating ``w`` and ``correlation`` in place.

    Each visited ``w_j`` becomes the exact minimizer, with the other weights fixed, of

    .. math:: \tfrac12\, w^\top G w - c^\top w + \sum_j \text{l1}_j\,|w_j| ,

    given ``correlation = c − G·w``, the negative gradient of the smooth part.  For the lasso,
    ``G = XcᵀXc/n`` and ``c = Xcᵀyc/n``, so ``correlation_j = x_jᵀr/n`` is feature ``j``'s
    correlation with the residual ``r = yc − Xc w``; adding back its own part gives the partial
    residual's, ``x_jᵀr_(j)/n = correlation_j + G_jj·w_j``, and

    .. math:: w_j \leftarrow S\big(\text{correlation}_j + G_{jj} w_j,\ \text{l1}_j\big) / G_{jj}.

    When ``w_j`` moves by ``δ`` every correlation changes by ``−δ·G_j``.  An L2 part
    ``l2/2·||w||²`` is folded in as ``G + l2·I``.  A coordinate with ``G_jj = 0`` (a constant
    column, no L2 part) does not affect the smooth part: the penalty alone decides, so it becomes
    0 (or stays where it is when ``l1_j = 0``).

    Parameters
    ----------
    w : ndarray, shape (p,)
        Weights, overwritten.
    gram : ndarray, shape (p, p)
        Symmetric positive semi-definite ``G``.
    correlation : ndarray, shape (p,)
        ``c − G·w`` on entry; kept equal to it, overwritten.
    l1 : ndarray, shape (p,)
        L1 strength of each weight, ``>= 0``.
    coords : iterable of int
        The coordinates to visit, in order.
    """
    # Python floats for the numbers read once per coordinate: numpy scalars are slower here.
    l1_list, diagonal = l1.tolist(), gram.diagonal().tolist()
    for j in coords:
        curvature, old = diagonal[j], float(w[j])
        if curvature == 0.0:  # the data do not depend on w_j
            new = 0.0 if l1_list[j] > 0.0 else old
        else:
            partial_correlation = float(correlation[j]) + curvature * old  # x_jᵀr_(j)/n
            new = soft_threshold_scalar(partial_correlation, l1_list[j]) / curvature
        if new != old:
            correlation -= (new - old) * gram[j]
            w[j] = new


def solve_on_support(w, gram, correlation, l1):
    r"""Step from ``w`` towards the optimum over ``w``'s support, with its signs held fixed.

    On the set ``A`` of nonzero weights (and of unpenalized ones, ``l1_j = 0``) with signs ``s``
    the objective ``½wᵀGw − cᵀw + Σ l1_j|w_j|`` is a quadratic; its minimizer with the other
    weights held at 0 makes every correlation on ``A`` equal ``l1_j·s_j``, which is one linear
    solve for the move ``δ`` from ``w``:

    .. math:: G_{AA}\,\delta_A = \text{correlation}_A - \text{l1}_A \cdot s_A,
              \qquad \text{correlation} = c - G w .

    Moving in a straight line towards it the objective decreases for as long as no penalized
    weight changes sign; so the step stops where the first one reaches 0 (that weight is set to
    exactly 0), or at the minimizer itself.

    Returns
    -------
    ndarray or None
        The new weights, or None when ``G_AA`` is singular (tied or collinear features).
    """
    A = np.flatnonzero((w != 0) | (l1 == 0))
    w_A, signs = w[A], np.sign(w[A])
    try:
        target = w_A + np.linalg.solve(gram[A][:, A], correlation[A] - l1[A] * signs)
    except np.linalg.LinAlgError:
        return None
    # w_A + t·(target − w_A) reaches 0 at t = w_A / (w_A − target) for a weight that changes sign.
    # (An unpenalized weight, l1_j = 0, has no kink at 0 and may change sign freely.)
    crosses = np.flatnonzero(((target * signs < 0) | ((target == 0) & (signs != 0))) & (l1[A] > 0))
    new = w.copy()
    if crosses.size == 0:
        new[A] = target
        return new
    t_cross = w_A[crosses] / (w_A[crosses] - target[crosses])
    first = int(t_cross.argmin())
    new[A] = w_A + t_cross[first] * (target - w_A)
    new[A[crosses[first]]] = 0.0  # exactly, not a rounding error of either sign
    return new


def lasso_objective_and_gap(gram, c, yy, w, l1):
    r"""Objective, duality gap and residual correlations of the lasso in its quadratic form.

    With ``G = XcᵀXc/n + l2·I``, ``c = Xcᵀyc/n`` and ``yy = ||yc||²/n`` the objective is

    .. math:: P(w) = \tfrac12\,\text{yy} - c^\top w + \tfrac12\,w^\top G w + \text{l1}\,\|w\|_1
              = \frac{1}{2n}\|y_c - X_c w\|^2 + \frac{\text{l2}}{2}\|w\|^2 + \text{l1}\,\|w\|_1 .

    The residual, scaled by ``s = min(1, l1 / max_j |c_j − G_j·w|)`` so that no feature's
    correlation with it exceeds ``l1``, is a feasible point of the dual problem, whose value is
    at most the minimum of ``P``:

    .. math:: D = \tfrac12\,\text{yy} - \tfrac12\big((1-s)^2\,\text{yy} + 2s(1-s)\,c^\top w
              + s^2\,w^\top G w\big) \;\le\; \min P \;\le\; P(w).

    So ``P(w) − D`` bounds how far ``w`` is from optimal, and is 0 exactly at the optimum — a
    certificate that does not depend on how ``w`` was found.  (It is scikit-learn's gap divided
    by ``n``; the L2 part is handled by folding it into the data, ``[Xc; √(n·l2)·I]``.)

    Parameters
    ----------
    gram, c : ndarray
        ``G`` (L2 part included) and ``c``.
    yy : float
        ``||yc||²/n``.
    w : ndarray, shape (p,)
    l1 : float
        The L1 strength, ``> 0``.

    Returns
    -------
    objective : float
    gap : float
    correlation : ndarray, shape (p,)
        ``c − G·w``: each feature's correlation with the residual (less the L2 pull), the
        quantity the threshold rule compares with ``l1``.
    """
    Gw = gram @ w
    cw, wGw = float(c @ w), float(w @ Gw)
    objective = 0.5 * yy - cw + 0.5 * wGw + l1 * float(np.abs(w).sum())
    correlation = c - Gw
    largest = float(np.abs(correlation).max())
    s = 1.0 if largest <= l1 else l1 / largest
    dual = 0.5 * yy - 0.5 * ((1.0 - s) ** 2 * yy + 2.0 * s * (1.0 - s) * cw + s * s * wGw)
    return objective, objective - dual, correlation


def coordinate_descent(gram, c, yy, l1, w, tol, max_iter):
    r"""Minimize ``½·yy − cᵀw + ½wᵀGw + l1·||w||₁`` by cyclic coordinate descent, from ``w``.

    The lasso loop of lesson 04 with its three devices (see the module notes): passes over the
    weights that the threshold rule lets move, an exact finish on a settled support, and the
    duality-gap stop ``gap <= tol·yy``.  For the elastic net pass ``G = XcᵀXc/n + l2·I``.
    (The arguments are checked here, once; the kernels it calls, :func:`coordinate_sweep`,
    :func:`solve_on_support` and :func:`lasso_objective_and_gap`, run many times a fit and check
    nothing.)

    Parameters
    ----------
    gram : ndarray, shape (p, p)
    c : ndarray, shape (p,)
    yy : float
        ``||yc||²/n``, the scale of the objective.
    l1 : float
        L1 strength, ``> 0``.
    w : ndarray, shape (p,)
        Starting weights (not modified).
    tol : float
        Relative duality-gap tolerance.
    max_iter : int
        Maximum number of passes.

    Returns
    -------
    w : ndarray
    n_passes : int
    converged : bool
    history : list of float
        The objective after each pass (never increasing).
    gap : float
        The last duality gap.
    """
    c = as_vector(c, "c")
    gram = as_matrix(gram, "gram", n_columns=c.size)
    if gram.shape[0] != c.size:
        raise ValueError(f"gram must be a square matrix of shape ({c.size}, {c.size}); got shape {gram.shape}")
    w = as_vector(w, "w", size=c.size)  # a copy: the caller's start is not modified
    yy, l1 = check_rate(yy, "yy"), check_positive_float(l1, "l1")
    tol, max_iter = check_positive_float(tol, "tol"), check_positive_int(max_iter, "max_iter")
    thresholds = np.full(w.size, l1)
    objective, gap, correlation = lasso_objective_and_gap(gram, c, yy, w, l1)
    history, previous_signs = [], None
    for n_pass in range(1, max_iter + 1):
        # The threshold rule: a zero weight whose correlation with the residual is at most l1
        # would stay at 0, so only the others are visited.
        movable = np.flatnonzero((w != 0) | (np.abs(correlation) > l1))
        coordinate_sweep(w, gram, correlation, thresholds, movable.tolist())
        objective, gap, correlation = lasso_objective_and_gap(gram, c, yy, w, l1)
        signs = np.sign(w)
        if gap > tol * yy and np.array_equal(signs, previous_signs):
            # Same zeros and signs as the previous pass: solve the optimality equations on the
            # nonzero weights, which lands on the optimum when this support is the right one.
            candidate = solve_on_support(w, gram, correlation, thresholds)
            if candidate is not None:
                candidate_result = lasso_objective_and_gap(gram, c, yy, candidate, l1)
                if candidate_result[0] <= objective:  # keep it only if it does not go uphill
                    w, (objective, gap, correlation) = candidate, candidate_result
        history.append(objective)
        if gap <= tol * yy:
            return w, n_pass, True, history, gap
        previous_signs = signs
    return w, max_iter, False, history, gap


def warn_not_converged(where, max_iter, tol, gap, tol_abs):
    """The :class:`ConvergenceWarning` of coordinate descent, naming ``max_iter`` and ``tol``."""
    warnings.warn(
        f"{where} did not converge in max_iter={max_iter} passes: duality gap {gap:.3e} > "
        f"tol·||y − ȳ||²/n = {tol_abs:.3e} (tol={tol:g}); increase max_iter or tol, or "
        "standardize the columns of X",
        ConvergenceWarning,
        stacklevel=3,
    )

"""Typical wrong (and some unusual but right) answers to exercise 05_geometry.

Each ``@wrong(task, expect)`` function is an answer a learner might write; ``check`` must
reject it and its summary or hint must contain ``expect``.  ``@right(task)`` answers are
correct in an unusual way and must pass.  For value tasks the function returns the answer.
"""

import numpy as np
from _corpus import new_corpus

CORPUS, wrong, right = new_corpus()  # (task, expected hint substring or None, answer)


def _soft(v, theta):
    return np.sign(v) * np.maximum(np.abs(v) - theta, 0.0)


def _theta(v, budget):
    if budget == 0:
        return float(np.abs(v).max())
    u = np.sort(np.abs(v))[::-1]
    cumulative = np.cumsum(u)
    k = np.arange(1, u.size + 1)
    rho = np.flatnonzero(u - (cumulative - budget) / k > 0)[-1] + 1
    return (cumulative[rho - 1] - budget) / rho


# -- project_onto_l2_ball -----------------------------------------------------


@wrong("project_onto_l2_ball", "return it unchanged")
def l2_always_rescales(v, budget):
    norm = np.linalg.norm(v)
    return v * budget / norm if norm > 0 else v.copy()


@wrong("project_onto_l2_ball", "0/0 is NaN")
def l2_divides_by_zero(v, budget):
    return v * budget / max(np.linalg.norm(v), budget)


@wrong("project_onto_l2_ball", "L∞ ball")
def l2_clips(v, budget):
    return np.clip(v, -budget, budget)


@wrong("project_onto_l2_ball", "not by budget/||v||₂²")
def l2_squared_norm(v, budget):
    norm = np.linalg.norm(v)
    return v if norm <= budget else v * budget / norm**2


@wrong("project_onto_l2_ball", "not its square")
def l2_budget_as_squared_radius(v, budget):
    squared = v @ v
    return v if squared <= budget else v * np.sqrt(budget / squared)


@wrong("project_onto_l2_ball", "np.linalg.norm(v)")
def l2_with_l1_norm(v, budget):
    size = np.abs(v).sum()
    return v if size <= budget else v * budget / size


@wrong("project_onto_l2_ball", "in place")
def l2_in_place(v, budget):
    norm = np.linalg.norm(v)
    if norm > budget:
        v *= budget / norm
    return v


@wrong("project_onto_l2_ball", "returned a list")
def l2_list(v, budget):
    norm = np.linalg.norm(v)
    return list(v if norm <= budget else v * budget / norm)


@right("project_onto_l2_ball")
def l2_by_maximum(v, budget):
    return v * (budget / max(budget, np.sqrt(np.sum(v**2)))) if budget > 0 else np.zeros_like(v)


# -- project_onto_l1_ball -----------------------------------------------------


@wrong("project_onto_l1_ball", "return it unchanged")
def l1_no_inside_check(v, budget):
    return _soft(v, _theta(v, budget))


@wrong("project_onto_l1_ball", "Subtract the same θ")
def l1_rescaled(v, budget):
    size = np.abs(v).sum()
    return v.copy() if size <= budget else v * budget / size


@wrong("project_onto_l1_ball", "the ρ largest")
def l1_theta_over_all(v, budget):
    if np.abs(v).sum() <= budget:
        return v.copy()
    return _soft(v, (np.abs(v).sum() - budget) / v.size)


@wrong("project_onto_l1_ball", "decreasing order")
def l1_ascending(v, budget):
    if np.abs(v).sum() <= budget:
        return v.copy()
    if budget == 0:
        return np.zeros_like(v)
    u = np.sort(np.abs(v))
    cumulative = np.cumsum(u)
    k = np.arange(1, u.size + 1)
    rho = np.flatnonzero(u - (cumulative - budget) / k > 0)[-1] + 1
    return _soft(v, (cumulative[rho - 1] - budget) / rho)


@wrong("project_onto_l1_ball", "np.abs(v)")
def l1_sorted_without_abs(v, budget):
    if np.abs(v).sum() <= budget:
        return v.copy()
    if budget == 0:
        return np.zeros_like(v)
    u = np.sort(v)[::-1]
    cumulative = np.cumsum(u)
    k = np.arange(1, u.size + 1)
    rho = np.flatnonzero(u - (cumulative - budget) / k > 0)[-1] + 1
    return _soft(v, (cumulative[rho - 1] - budget) / rho)


@wrong("project_onto_l1_ball", "np.arange(1, p + 1)")
def l1_zero_based_rho(v, budget):
    if np.abs(v).sum() <= budget:
        return v.copy()
    if budget == 0:
        return np.zeros_like(v)
    u = np.sort(np.abs(v))[::-1]
    cumulative = np.cumsum(u)
    k = np.arange(1, u.size + 1)
    rho = np.flatnonzero(u - (cumulative - budget) / k > 0)[-1]  # a 0-based index
    return _soft(v, (cumulative[rho] - budget) / max(rho, 1))


@wrong("project_onto_l1_ball", "Put the signs back")
def l1_signs_dropped(v, budget):
    if np.abs(v).sum() <= budget:
        return v.copy()
    return np.maximum(np.abs(v) - _theta(v, budget), 0.0)


@wrong("project_onto_l1_ball", "hard thresholding")
def l1_hard(v, budget):
    if np.abs(v).sum() <= budget:
        return v.copy()
    theta = _theta(v, budget)
    return np.where(np.abs(v) > theta, v, 0.0)


@wrong("project_onto_l1_ball", "L2 ball")
def l1_is_l2(v, budget):
    norm = np.linalg.norm(v)
    return v.copy() if norm <= budget else v * budget / norm


@wrong("project_onto_l1_ball", "exactly 0")
def l1_projected_gradient_without_zeros(v, budget):
    """Bisection on θ, then a smooth 'soft' threshold that never reaches 0."""
    if np.abs(v).sum() <= budget:
        return v.copy()
    theta = _theta(v, budget)
    return np.sign(v) * np.maximum(np.abs(v) - theta, 1e-13)


@wrong("project_onto_l1_ball", "Return np.zeros_like(v) for budget=0")
def l1_duchi_without_budget_zero(v, budget):
    if np.abs(v).sum() <= budget:
        return v.copy()
    u = np.sort(np.abs(v))[::-1]
    cumulative = np.cumsum(u)
    k = np.arange(1, u.size + 1)
    rho = np.flatnonzero(u - (cumulative - budget) / k > 0)[-1] + 1
    return _soft(v, (cumulative[rho - 1] - budget) / rho)


@right("project_onto_l1_ball")
def l1_by_bisection(v, budget):
    u = np.abs(v)
    if u.sum() <= budget:
        return v.copy()
    lo, hi = 0.0, float(u.max())
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if np.maximum(u - mid, 0.0).sum() > budget:
            lo = mid
        else:
            hi = mid
    return _soft(v, 0.5 * (lo + hi))


@wrong("project_onto_l1_ball", "single point 0")
def l1_with_loop_missing_budget_zero(v, budget):
    if np.sum(np.abs(v)) <= budget:
        return v.copy()
    u = sorted(np.abs(v), reverse=True)
    total, theta = 0.0, 0.0
    for k, u_k in enumerate(u, start=1):
        total += u_k
        if u_k > (total - budget) / k:
            theta = (total - budget) / k
    return _soft(v, theta)


@right("project_onto_l1_ball")
def l1_with_loop(v, budget):
    if np.sum(np.abs(v)) <= budget:
        return v.copy()
    if budget == 0:
        return np.zeros_like(v)
    u = sorted(np.abs(v), reverse=True)
    total, theta = 0.0, 0.0
    for k, u_k in enumerate(u, start=1):
        total += u_k
        if u_k > (total - budget) / k:
            theta = (total - budget) / k
    return _soft(v, theta)


# -- lasso_budget (value) -----------------------------------------------------


def _budget_fit(rate=0.3):
    from course_lib.checks.ex05_geometry import budget_data
    from course_lib.trainers import fit_lasso

    Z, y = budget_data()
    return fit_lasso(Z, y, rate)


@wrong("lasso_budget", "L2 norm")
def budget_l2_norm():
    return float(np.linalg.norm(_budget_fit().w))


@wrong("lasso_budget", "intercept")
def budget_with_intercept():
    fit = _budget_fit()
    return float(np.abs(fit.w).sum() + abs(fit.b))


@wrong("lasso_budget", "number of nonzero")
def budget_count():
    return float(np.count_nonzero(_budget_fit().w))


@wrong("lasso_budget", "absolute values before summing")
def budget_signed_sum():
    return float(np.sum(_budget_fit().w))


@wrong("lasso_budget", "least-squares")
def budget_least_squares():
    return float(np.abs(_budget_fit(0.0).w).sum())


@wrong("lasso_budget", "gave a list")
def budget_list():
    return list(_budget_fit().w)


@right("lasso_budget")
def budget_as_numpy_float():
    return np.linalg.norm(_budget_fit().w, 1)


# -- corner_fraction (value) --------------------------------------------------


def _projections():
    from course_lib.checks.ex05_geometry import corner_vectors
    from course_lib.geometry import project_onto_l1_ball

    return np.array([project_onto_l1_ball(v, 2.0) for v in corner_vectors()])


@wrong("corner_fraction", "never creates zeros")
def corner_from_l2():
    return 0.0


@wrong("corner_fraction", "not a percentage")
def corner_percent():
    return float(100 * np.mean(np.any(_projections() == 0, axis=1)))


@wrong("corner_fraction", "zero *entries*")
def corner_entries():
    return float(np.mean(_projections() == 0))


@wrong("corner_fraction", "*no* zero entry")
def corner_complement():
    return float(np.mean(~np.any(_projections() == 0, axis=1)))


@wrong("corner_fraction", "outside the ball")
def corner_outside():
    from course_lib.checks.ex05_geometry import corner_vectors

    return float(np.mean(np.abs(corner_vectors()).sum(axis=1) > 2.0))


@right("corner_fraction")
def corner_count_over_n():
    return int(np.sum(np.any(_projections() == 0, axis=1))) / 1000


# -- predict_budget_at_double_rate (a prediction: the functions return the choice) --


@wrong("predict_budget_at_double_rate", "stronger penalty")
def double_rate_budget_larger():
    return "a"


@wrong("predict_budget_at_double_rate", "not inversely proportional")
def double_rate_budget_half():
    return "c"


@wrong("predict_budget_at_double_rate", "pushes the weights harder")
def double_rate_budget_same():
    return "d"


@wrong("predict_budget_at_double_rate", "one of the choices")
def double_rate_budget_as_number():
    return 1.8253


@wrong("predict_budget_at_double_rate", "one of the choices")
def double_rate_budget_word():
    return "smaller"


@right("predict_budget_at_double_rate")
def double_rate_budget_upper_case():
    return "B"


# -- predict_corner_share -------------------------------------------------------


@wrong("predict_corner_share", "a zero is common, not rare")
def corner_share_almost_none():
    return "a"


@wrong("predict_corner_share", "common, not certain")
def corner_share_nearly_all():
    return "c"


@wrong("predict_corner_share", "one of the choices")
def corner_share_as_fraction():
    return 0.5


@wrong("predict_corner_share", "one of the choices")
def corner_share_as_percentage_text():
    return "50 %"


@wrong("predict_corner_share", "one of the choices")
def corner_share_two_choices():
    return ("b", "c")


@right("predict_corner_share")
def corner_share_with_spaces():
    return "  b"

"""Checks for exercise 05_geometry: projections onto the L2 and L1 balls, budgets, corners, predictions.

Conventions checked: the projection onto ``{w : ||w||₂ <= t}`` rescales ``v`` by ``t/||v||₂`` when
``v`` is outside and leaves it alone inside; the projection onto ``{w : ||w||₁ <= t}`` is
``soft_threshold(v, θ)`` with θ from Duchi et al.'s sort (``course_lib.geometry``).  The lasso
objective is ``1/(2n)·||y − Xw − b||² + rate·||w||₁`` and its budget is ``t = Σ_j |w_j|`` (the
intercept does not count).
"""

from __future__ import annotations

import numpy as np

from ..data import make_sparse_regression, standardize
from ..geometry import l1_ball_threshold, project_onto_l1_ball, project_onto_l2_ball
from ..trainers import fit_lasso
from .framework import (
    Case,
    FunctionTask,
    Mistake,
    PredictionTask,
    Requirement,
    ValueTask,
    WrittenTask,
    allclose,
    matches,
)

EXERCISE = "ex05_geometry"


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------


def _l2_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(501) if rng is None else rng
    return [
        Case("hand case: v = [3, 4], budget=1", (np.array([3.0, 4.0]), 1.0)),
        Case("v inside the ball (unchanged), budget=2", (np.array([0.5, -1.0, 0.25]), 2.0)),
        Case("v exactly on the sphere, budget=5", (np.array([-3.0, 4.0]), 5.0)),
        Case("budget=0", (np.array([1.5, -2.0, 0.5]), 0.0)),
        Case("the zero vector, budget=0", (np.zeros(3), 0.0)),
        Case("a single negative entry, budget=0.5", (np.array([-4.0]), 0.5)),
        Case("mixed signs with a zero entry, budget=1.5", (np.array([2.0, 0.0, -1.0, 3.5, -0.5]), 1.5)),
        Case("50 entries, budget=3", (rng.normal(size=50), 3.0)),
    ]


def _l1_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(502) if rng is None else rng
    return [
        Case("hand case: v = [3, -1], budget=2", (np.array([3.0, -1.0]), 2.0)),
        Case("hand case: v = [4, -2, 1], budget=3", (np.array([4.0, -2.0, 1.0]), 3.0)),
        Case("v inside the ball (unchanged), budget=3", (np.array([0.5, -1.0, 0.25, 0.0]), 3.0)),
        Case("a tie: v = [1, 1], budget=1", (np.array([1.0, 1.0]), 1.0)),
        Case("budget=0", (np.array([1.5, -2.0, 0.5]), 0.0)),
        Case("a single negative entry, budget=0.5", (np.array([-4.0]), 0.5)),
        Case("all entries negative, budget=2", (-np.array([0.3, 2.2, 1.1, 0.7, 1.9]), 2.0)),
        Case("unsorted mixed signs, budget=2.5", (np.array([0.9, -2.5, 0.1, 1.8, -0.4, 1.2]), 2.5)),
        Case("budget just below |v|_1 (only a small shift)", (np.array([2.0, -1.0, 0.5]), 3.4)),
        Case("50 entries, budget=3", (rng.normal(size=50), 3.0)),
    ]


# ---------------------------------------------------------------------------
# Wrong variants
# ---------------------------------------------------------------------------


def _norm(v):
    return float(np.linalg.norm(v))


def _l2_always_rescaled(v, budget):
    return v * (budget / _norm(v))


def _l2_squared_norm(v, budget):
    return v if _norm(v) <= budget else v * (budget / _norm(v) ** 2)


def _l2_wrong_radius(v, budget):
    return v if _norm(v) ** 2 <= budget else v / _norm(v) * np.sqrt(budget)


def _soft(v, threshold):
    return np.sign(v) * np.maximum(np.abs(v) - threshold, 0.0)


def _theta(v, budget, *, off_by_one=False):
    u = np.sort(np.abs(v))[::-1]
    cumulative = np.cumsum(u)
    k = np.arange(1, u.size + 1)
    rho = int(np.flatnonzero(u * k > cumulative - budget)[-1]) + 1
    if off_by_one:
        return (cumulative[rho - 1] - budget) / max(rho - 1, 1)
    return (cumulative[rho - 1] - budget) / rho


def _l1_variant(kind):
    def project(v, budget):
        if kind != "no inside check" and np.abs(v).sum() <= budget:
            return v.copy()
        if kind == "rescaled":
            return v * (budget / np.abs(v).sum())
        if kind == "mean over all":
            return _soft(v, (np.abs(v).sum() - budget) / v.size)
        if kind == "signs dropped":
            return np.maximum(np.abs(v) - _theta(v, budget), 0.0)
        if kind == "hard":
            theta = _theta(v, budget)
            return np.where(np.abs(v) > theta, v, 0.0)
        if kind == "off by one":
            return _soft(v, _theta(v, budget, off_by_one=True))
        if kind == "no inside check":
            return _soft(v, _theta(v, budget))
        if kind == "no abs in sort":
            u = np.sort(v)[::-1]
            cumulative = np.cumsum(u)
            k = np.arange(1, u.size + 1)
            rho = int(np.flatnonzero(u * k > cumulative - budget)[-1]) + 1
            return _soft(v, (cumulative[rho - 1] - budget) / rho)
        raise ValueError(kind)

    return project


def _clear_zeros_exact(case, expected, got):
    """Entries clearly below the threshold (|v_j| < θ by a margin) must be exactly 0."""
    v, budget = case.args
    theta = l1_ball_threshold(v, budget)
    clear = np.abs(v) < theta - 1e-9 * max(1.0, theta)
    return bool(np.all(got[clear] == 0))


def _no_exact_zeros(case, expected, got, close):
    zero = expected == 0
    return bool(np.any(zero) and np.all(got[zero] != 0) and np.allclose(got, expected, rtol=1e-6, atol=1e-9))


def _budget_zero_missed(case, expected, got, close):
    """At budget 0 the ball is the point 0, and the answer is not all zeros."""
    return bool(case.args[1] == 0 and np.any(got != 0))


def _grew(case, expected, got, close):
    """A vector inside the ball came back larger: soft-thresholding at a negative θ."""
    v, budget = case.args
    return bool(np.abs(v).sum() <= budget and np.abs(got).sum() > np.abs(v).sum() + 1e-12)


# ---------------------------------------------------------------------------
# Value tasks
# ---------------------------------------------------------------------------

BUDGET_RATE = 0.3


def budget_data():
    """The data of the ``lasso_budget`` task: standardized ``(Z, y)``, 80 samples, 12 features."""
    X, y, _ = make_sparse_regression(80, 12, 4, correlation=0.4, noise=1.0, seed=5, intercept=3.0)
    return standardize(X)[0], y


def _lasso_budget():
    Z, y = budget_data()
    return float(np.abs(fit_lasso(Z, y, BUDGET_RATE).w).sum())


def _budget_hint(got, expected):
    Z, y = budget_data()
    fit = fit_lasso(Z, y, BUDGET_RATE)
    near = lambda value: abs(got - value) <= 1e-4 * max(abs(value), 1e-12)  # noqa: E731
    if near(float(np.linalg.norm(fit.w))):
        return "That is the L2 norm √(Σw_j²); the lasso's budget is the L1 norm Σ|w_j|."
    if near(float(np.abs(fit.w).sum() + abs(fit.b))):
        return "Leave the intercept out: the budget constrains the weights w only, never b."
    if near(float(np.count_nonzero(fit.w))):
        return "That is the number of nonzero weights; the budget is the sum of their absolute values."
    if near(float(np.sum(fit.w))):
        return "Take absolute values before summing: Σ|w_j|, not Σw_j."
    if near(float(np.abs(fit_lasso(Z, y, 0.0).w).sum())):
        return "That is the L1 norm of the least-squares weights (rate 0); fit the lasso at rate=0.3."
    return "Fit the lasso at rate=0.3 on (Z, y) and sum the absolute values of its weights."


CORNER_BUDGET = 2.0


def corner_vectors():
    """The 1000 vectors of the ``corner_fraction`` task: 4 standard normal entries each."""
    return np.random.default_rng(55).normal(size=(1000, 4))


def _corner_fraction():
    V = corner_vectors()
    return float(np.mean([np.any(project_onto_l1_ball(v, CORNER_BUDGET) == 0) for v in V]))


def _corner_hint(got, expected):
    V = corner_vectors()
    l1 = np.array([project_onto_l1_ball(v, CORNER_BUDGET) for v in V])
    if got == 0.0:
        return ("None at all? The L2 projection never creates zeros; the L1 projection (soft-thresholding) "
                "does. Use your project_onto_l1_ball, and count rows with at least one entry == 0.")
    if abs(got - 100 * expected) <= 1e-9:
        return "Give a fraction between 0 and 1, not a percentage."
    if abs(got - float(np.mean(l1 == 0))) <= 1e-9:
        return ("That is the fraction of zero *entries*; the question asks for the fraction of *vectors* "
                "with at least one zero entry (np.any per row).")
    if abs(got - float(np.mean(np.abs(V).sum(axis=1) > CORNER_BUDGET))) <= 1e-9:
        return ("That is the fraction of vectors outside the ball; count those whose projection has an "
                "entry exactly equal to 0.")
    if abs(got - (1.0 - expected)) <= 1e-9:
        return "That is the fraction with *no* zero entry; the question asks for at least one."
    return "Project each of the 1000 rows with your project_onto_l1_ball at budget=2 and count exact zeros."


# ---------------------------------------------------------------------------
# Predictions and the written answer
# ---------------------------------------------------------------------------

_DOUBLE_RATE_CHOICES = {
    "a": "No. A larger rate is a stronger penalty: the weights shrink, so their L1 norm — the budget — gets "
         "smaller, not larger. A tight budget is strong regularization.",
    "b": "Twice the rate gives a tighter budget: the weights shrink, and Σ|w_j| falls. But not to half: the "
         "budget of a rate is read off the solution, and no formula t = f(rate) holds for every data set.",
    "c": "Not exactly half. The budget shrinks, but rate and budget are not inversely proportional: the "
         "budget of a rate is read off the solution (t = Σ|w_j|), and how the weights shrink depends on the "
         "data.",
    "d": "No. The rate decides how much the penalty costs: twice the rate pushes the weights harder towards "
         "0, so their L1 norm, the budget, changes.",
}

_CORNER_SHARE_CHOICES = {
    "a": "No. The diamond's projection soft-thresholds: every entry whose size is below θ becomes exactly 0. "
         "With 4 standard normal entries and a budget of 2, the smallest entries are often below θ — a zero "
         "is common, not rare. (Almost none is right for the round L2 ball, which only rescales.)",
    "b": "Roughly half of the vectors land on a corner or an edge of the diamond, where at least one weight is "
         "exactly 0: soft-thresholding at θ zeroes every entry smaller than θ. The round L2 ball, which only "
         "rescales, gives a zero for none of them.",
    "c": "No. Vectors inside the diamond are left alone, and for many others θ is smaller than every entry: "
         "they land on a face of the diamond with all four weights nonzero. A zero is common, not certain.",
}

# ---------------------------------------------------------------------------
# Tasks
# ---------------------------------------------------------------------------

_INSIDE = ("Inside the ball (||v||₂ <= budget) v is already the nearest point: return it unchanged. Only "
           "a v outside is rescaled, to length budget.")

TASKS = [
    FunctionTask(
        "project_onto_l2_ball", EXERCISE,
        reference=project_onto_l2_ball, cases=_l2_cases, output="array", points=1,
        signature="project_onto_l2_ball(v, budget)",
        description="the nearest point of {w : ||w||₂ <= budget}: v itself, or v rescaled to length budget",
        nan_hint="0/0 is NaN: for the zero vector (or any v inside the ball) return v itself, before "
                 "dividing by its norm.",
        mistakes=[
            matches(_l2_always_rescaled, "a vector inside the ball was rescaled too", _INSIDE),
            matches(lambda v, budget: np.clip(v, -budget, budget), "each entry was clipped to [−budget, budget]",
                    "Clipping entry by entry projects onto a square (the L∞ ball). The L2 ball is round: keep "
                    "the direction of v and rescale the whole vector, v · budget/||v||₂."),
            matches(_l2_squared_norm, "v was divided by ||v||² instead of ||v||",
                    "Rescale by budget/||v||₂ (np.linalg.norm(v)), not by budget/||v||₂²: the result must "
                    "have length budget."),
            matches(_l2_wrong_radius, "budget was used as the squared radius",
                    "The ball is ||w||₂ <= budget, i.e. Σw_j² <= budget²: compare the norm (not its square) "
                    "with budget and rescale to length budget."),
            matches(lambda v, budget: v if np.abs(v).sum() <= budget else v * budget / np.abs(v).sum(),
                    "v was rescaled to L1 norm budget",
                    "Use the Euclidean length np.linalg.norm(v) = √(Σv_j²), not Σ|v_j|."),
        ],
    ),
    FunctionTask(
        "project_onto_l1_ball", EXERCISE,
        reference=project_onto_l1_ball, cases=_l1_cases, output="array", points=3,
        signature="project_onto_l1_ball(v, budget)",
        description="the nearest point of {w : Σ|w_j| <= budget}: soft-thresholding at the level θ that meets "
                    "the budget",
        compare=allclose(rtol=1e-9, atol=1e-12),
        requirements=[
            Requirement(
                "the values are close but the zeros are not exact",
                "Entries with |v_j| <= θ must be exactly 0: compute sign(v)·np.maximum(|v| − θ, 0).",
                _clear_zeros_exact,
            ),
        ],
        error_hints=[
            ("IndexError", None,
             "If this happened at budget=0: there the ball is the single point 0 and no k passes the test "
             "u_k > (u_1 + … + u_k − budget)/k, so the list of candidates for ρ is empty. Return "
             "np.zeros_like(v) for budget=0 before searching for ρ."),
        ],
        mistakes=[
            Mistake("budget=0 was not handled (the ball is then the single point 0)",
                    "At budget=0 the L1 ball is the single point 0: return np.zeros_like(v). (The search for "
                    "ρ finds no k there: u_k > (u_1 + … + u_k − 0)/k never holds for k = 1.)",
                    _budget_zero_missed),
            Mistake("a vector inside the ball was changed (θ came out negative)",
                    "If Σ|v_j| <= budget, v is already in the ball: return it unchanged. (The formula for θ "
                    "gives a negative number there, and soft-thresholding at a negative θ pushes entries "
                    "away from 0.)", _grew),
            matches(_l1_variant("rescaled"), "v was rescaled to L1 norm budget instead of soft-thresholded",
                    "Rescaling keeps every entry nonzero and is not the nearest point of the diamond. Subtract "
                    "the same θ from every |v_j| and stop at 0: sign(v)·max(|v| − θ, 0)."),
            matches(_l1_variant("mean over all"), "θ was averaged over all entries",
                    "θ = (u_1 + … + u_ρ − budget)/ρ averages over the ρ largest |v_j| only, those that stay "
                    "nonzero — not over all p entries. Sort u = |v| in decreasing order "
                    "(np.sort(np.abs(v))[::-1]; sorted in increasing order every k passes the test and ρ = p) "
                    "and find ρ as the largest k with u_k > (u_1 + … + u_k − budget)/k."),
            matches(_l1_variant("no abs in sort"), "v was sorted without taking absolute values",
                    "Sort and sum u = |v| (np.abs(v)), not v: negative entries count by their size."),
            matches(_l1_variant("off by one"), "ρ is off by one (0-based index used as a count)",
                    "With k = 1, 2, …, p (not 0, …, p−1), ρ is the largest k with u_k > (u_1+…+u_k − budget)/k "
                    "and θ divides by that ρ: np.arange(1, p + 1)."),
            matches(_l1_variant("signs dropped"), "the signs of v were lost",
                    "Put the signs back: sign(v)·max(|v| − θ, 0)."),
            matches(_l1_variant("hard"), "entries were zeroed but not shrunk",
                    "That is hard thresholding. Soft-thresholding also moves every surviving entry θ towards 0: "
                    "sign(v)·max(|v| − θ, 0)."),
            matches(project_onto_l2_ball, "this is the projection onto the L2 ball",
                    "That rescales v onto the disc/sphere. The L1 ball is the diamond Σ|w_j| <= budget: "
                    "soft-threshold v at θ."),
            Mistake("there are no exact zeros where the projection has them",
                    "Entries with |v_j| <= θ must become exactly 0: use np.maximum(|v| − θ, 0), not a small "
                    "number or an iterative approximation.", _no_exact_zeros),
        ],
    ),
    ValueTask(
        "lasso_budget", EXERCISE,
        expected=_lasso_budget, tolerance=1e-4, points=1,
        description="the budget t = Σ|w_j| of the lasso solution at rate=0.3 on the given data",
        hint=_budget_hint,
    ),
    PredictionTask(
        "predict_budget_at_double_rate", EXERCISE,
        answer="b", choices=_DOUBLE_RATE_CHOICES, points=1,
        description="how the lasso's budget Σ|w_j| at rate=0.6 compares with its budget at rate=0.3",
    ),
    PredictionTask(
        "predict_corner_share", EXERCISE,
        answer="b", choices=_CORNER_SHARE_CHOICES, points=1,
        description="how many of the 1000 L1-ball projections (budget 2) have an exact zero",
    ),
    ValueTask(
        "corner_fraction", EXERCISE,
        expected=_corner_fraction, tolerance=1e-9, points=1,
        description="fraction of the 1000 given vectors whose L1-ball projection (budget 2) has a zero entry",
        hint=_corner_hint,
    ),
    WrittenTask(
        "explain_corners", EXERCISE, points=2,
        description="why the diamond's projection often has an exact zero and the disc's never does",
    ),
]

"""Tests for course_lib.logistic: hand cases, optimality certificates, scikit-learn as oracle.

Every expected number comes from an independent source: a closed form worked on paper, the
KKT conditions evaluated with course_lib.losses (not with the solver's own arithmetic), finite
differences, or scikit-learn's LogisticRegression at ``C = 1/(n·rate)``.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

from course_lib.geometry import NormBall
from course_lib.logistic import (
    fit_logistic,
    logistic_max_rate,
    logistic_objective,
    predict_labels,
    predict_proba,
)
from course_lib.losses import log_loss, log_loss_gradient
from course_lib.penalties import (
    L1,
    L2,
    ElasticNet,
    NoPenalty,
    elastic_net_penalty,
    l1_penalty,
    l2_gradient,
    l2_penalty,
)
from course_lib.trainers import log_loss_objective, proximal_gradient

KKT_TOL = 1e-10  # the solver stops at 1e-12; leave room for rounding in the check itself


def rel_err(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def logit(p):
    return np.log(p / (1 - p))


def make_problem(seed, n=120, p=5, *, signal=1.5):
    """Standardized features and labels drawn from a logistic model (so not separable)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) @ np.diag(rng.uniform(0.5, 2.0, size=p))
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    w_true = np.zeros(p)
    w_true[: max(1, p // 2)] = signal * rng.choice([-1.0, 1.0], size=max(1, p // 2))
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-(X @ w_true + 0.3)))).astype(float)
    return X, y


PROBLEMS = {
    "n120_p5": lambda: make_problem(0),
    "n200_p8": lambda: make_problem(1, n=200, p=8),
    "n60_p3": lambda: make_problem(2, n=60, p=3, signal=0.8),
    "wide_n40_p60": lambda: make_problem(3, n=40, p=60, signal=1.0),
}


# The hand case: x = +1 for four points (three labelled 1) and -1 for four (one labelled 1).
# By symmetry b = 0 and p(x=+1) = sigmoid(w), so the log-loss gradient in w is sigmoid(w) - 3/4.
HAND_X = np.array([[1.0]] * 4 + [[-1.0]] * 4)
HAND_Y = np.array([1, 1, 1, 0, 1, 0, 0, 0], dtype=float)


def kkt_residuals(X, y, fit, rate, l1_ratio, fit_intercept=True):
    """Optimality violations at ``fit`` computed from course_lib.losses, not from the solver."""
    w, b = fit
    g_w, g_b = log_loss_gradient(X, y, w, b)
    g = g_w + rate * (1 - l1_ratio) * w
    lam1 = rate * l1_ratio
    nonzero = w != 0
    off_zero = np.abs(g[nonzero] + lam1 * np.sign(w[nonzero]))
    at_zero = np.maximum(np.abs(g[~nonzero]) - lam1, 0.0)
    worst = max(off_zero.max(initial=0.0), at_zero.max(initial=0.0))
    return worst, (abs(g_b) if fit_intercept else 0.0)


# ---------------------------------------------------------------------------
# Closed forms
# ---------------------------------------------------------------------------


def test_unpenalized_hand_case_is_log_odds_of_each_group():
    # Maximum likelihood: sigmoid(w + b) = 3/4 and sigmoid(-w + b) = 1/4, so w = log 3, b = 0.
    w, b = fit_logistic(HAND_X, HAND_Y, 0.0)
    assert w[0] == pytest.approx(np.log(3.0), rel=1e-12)
    assert b == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("rate", [0.01, 0.1, 0.2, 0.249])
def test_l1_hand_case_matches_paper_solution(rate):
    # KKT for w > 0: sigmoid(w) - 3/4 + rate = 0, so w = logit(3/4 - rate) while rate < 1/4.
    fit = fit_logistic(HAND_X, HAND_Y, rate, "l1")
    assert fit.converged
    assert fit.w[0] == pytest.approx(logit(0.75 - rate), rel=1e-10)
    assert fit.b == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("rate", [0.25, 0.3, 5.0])
def test_l1_hand_case_is_zero_from_a_quarter_on(rate):
    assert logistic_max_rate(HAND_X, HAND_Y) == pytest.approx(0.25, rel=1e-15)
    w, b = fit_logistic(HAND_X, HAND_Y, rate, "l1")
    assert w[0] == 0.0
    assert b == pytest.approx(0.0, abs=1e-12)  # log-odds of the mean label 1/2


@pytest.mark.parametrize("rate", [0.01, 0.3, 3.0])
def test_l2_hand_case_solves_the_scalar_equation(rate):
    # sigmoid(w) - 3/4 + rate·w = 0 has one root in (0, log 3); find it by bisection.
    lo, hi = 0.0, np.log(3.0)
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if 1 / (1 + np.exp(-mid)) - 0.75 + rate * mid > 0:
            hi = mid
        else:
            lo = mid
    w, b = fit_logistic(HAND_X, HAND_Y, rate, "l2")
    assert w[0] == pytest.approx(0.5 * (lo + hi), rel=1e-10)
    assert b == pytest.approx(0.0, abs=1e-12)


def test_max_rate_formula_with_and_without_intercept():
    X, y = make_problem(4, n=80, p=4)
    X = X + [1.0, -2.0, 0.5, 3.0]  # uncentred, or the two formulas would coincide
    n = X.shape[0]
    by_hand = max(abs(sum(X[i, j] * (y[i] - y.mean()) for i in range(n))) / n for j in range(4))
    assert logistic_max_rate(X, y) == pytest.approx(by_hand, rel=1e-12)
    no_b = max(abs(sum(X[i, j] * (y[i] - 0.5) for i in range(n))) / n for j in range(4))
    assert logistic_max_rate(X, y, fit_intercept=False) == pytest.approx(no_b, rel=1e-12)
    assert logistic_max_rate(X, y, l1_ratio=0.5) == pytest.approx(2 * by_hand, rel=1e-12)


# ---------------------------------------------------------------------------
# Gradients and optimality certificates
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "penalty, rate, l1_ratio",
    [("l2", 0.07, 0.0), ("l1", 0.07, 1.0), ("elasticnet", 0.07, 0.3), ("none", 0.0, 0.0)],
)
def test_objective_gradient_by_finite_differences(penalty, rate, l1_ratio):
    X, y = make_problem(5, n=50, p=4)
    rng = np.random.default_rng(5)
    w = rng.uniform(0.3, 1.0, size=4) * rng.choice([-1, 1], size=4)  # away from 0 for L1
    b = 0.2

    def F(w, b):
        return logistic_objective(X, y, w, b, rate, penalty, l1_ratio=l1_ratio)

    g_w, g_b = log_loss_gradient(X, y, w, b)
    g_w = g_w + rate * (l1_ratio * np.sign(w) + (1 - l1_ratio) * w)
    h = 1e-6
    fd_w = [(F(w + h * e, b) - F(w - h * e, b)) / (2 * h) for e in np.eye(4)]
    fd_b = (F(w, b + h) - F(w, b - h)) / (2 * h)
    assert rel_err(fd_w, g_w) < 1e-7
    assert rel_err(fd_b, g_b) < 1e-7


def test_objective_is_log_loss_plus_penalty():
    X, y = make_problem(6, n=30, p=3)
    w, b = np.array([0.5, -1.0, 0.0]), -0.3
    loss = log_loss(X, y, w, b)
    assert logistic_objective(X, y, w, b, 0.2, "l2") == pytest.approx(loss + l2_penalty(w, 0.2), rel=1e-14)
    assert logistic_objective(X, y, w, b, 0.2, "l1") == pytest.approx(loss + l1_penalty(w, 0.2), rel=1e-14)
    assert logistic_objective(X, y, w, b, 0.2, "elasticnet", l1_ratio=0.4) == pytest.approx(
        loss + elastic_net_penalty(w, 0.2, 0.4), rel=1e-14
    )
    assert logistic_objective(X, y, w, b, 0.2, "none") == pytest.approx(loss, rel=1e-14)


@pytest.mark.parametrize("name", sorted(PROBLEMS))
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_kkt_conditions_hold_along_the_l1_path(name, fit_intercept):
    X, y = PROBLEMS[name]()
    top = logistic_max_rate(X, y, fit_intercept)
    for fraction in [1.0, 0.7, 0.3, 0.1, 0.03, 0.01]:
        rate = fraction * top
        fit = fit_logistic(X, y, rate, "l1", fit_intercept)
        assert fit.converged
        worst, intercept = kkt_residuals(X, y, fit, rate, 1.0, fit_intercept)
        assert worst < KKT_TOL, (fraction, worst)
        assert intercept < KKT_TOL
        if not fit_intercept:
            assert fit.b == 0.0


@pytest.mark.parametrize("name", sorted(PROBLEMS))
@pytest.mark.parametrize("rate", [1.0, 0.1, 1e-3])
def test_gradient_vanishes_at_every_l2_solution(name, rate):
    X, y = PROBLEMS[name]()
    w, b = fit = fit_logistic(X, y, rate, "l2")
    g_w, g_b = log_loss_gradient(X, y, w, b)
    assert fit.converged
    assert np.max(np.abs(g_w + l2_gradient(w, rate))) < KKT_TOL
    assert abs(g_b) < KKT_TOL
    assert np.all(w != 0)  # L2 shrinks but does not select


@pytest.mark.parametrize("l1_ratio", [0.2, 0.5, 0.9])
def test_kkt_conditions_hold_for_elastic_net(l1_ratio):
    X, y = PROBLEMS["n200_p8"]()
    top = logistic_max_rate(X, y, l1_ratio=l1_ratio)
    for fraction in [1.0, 0.5, 0.1, 0.01]:
        rate = fraction * top
        fit = fit_logistic(X, y, rate, "elasticnet", l1_ratio=l1_ratio)
        worst, intercept = kkt_residuals(X, y, fit, rate, l1_ratio)
        assert worst < KKT_TOL and intercept < KKT_TOL


@pytest.mark.parametrize("penalty", ["l2", "l1"])
def test_kkt_conditions_hold_on_raw_unscaled_features(penalty):
    # Breast-cancer features as they come: means up to ~900 and scales from 0.003 to 570.
    from sklearn.datasets import load_breast_cancer

    X, y = load_breast_cancer(return_X_y=True)
    rate = 0.01
    fit = fit_logistic(X, y.astype(float), rate, penalty)
    worst, intercept = kkt_residuals(X, y, fit, rate, 1.0 if penalty == "l1" else 0.0)
    assert fit.converged and worst < KKT_TOL and intercept < KKT_TOL


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_max_rate_is_where_the_first_weight_enters(fit_intercept):
    X, y = make_problem(7, n=150, p=6)
    X = X + np.linspace(-1.0, 1.0, 6)  # uncentred columns
    top = logistic_max_rate(X, y, fit_intercept)
    w, b = fit_logistic(X, y, top, "l1", fit_intercept)
    assert np.all(w == 0)
    if fit_intercept:
        assert b == pytest.approx(logit(y.mean()), abs=1e-12)
    w_below, _ = fit_logistic(X, y, top * (1 - 1e-3), "l1", fit_intercept)
    centre = y.mean() if fit_intercept else 0.5
    first = np.argmax(np.abs(X.T @ (y - centre)))
    assert np.flatnonzero(w_below).tolist() == [first]


def test_l1_gives_exact_zeros_and_more_of_them_at_larger_rates():
    X, y = PROBLEMS["wide_n40_p60"]()
    top = logistic_max_rate(X, y)
    counts = [np.count_nonzero(fit_logistic(X, y, f * top, "l1").w) for f in [0.9, 0.5, 0.2, 0.05]]
    assert counts[0] >= 1
    assert counts == sorted(counts)
    assert counts[-1] < 40  # fewer nonzero weights than samples, let alone p = 60 features


# ---------------------------------------------------------------------------
# Invariances
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("penalty", ["l2", "l1"])
def test_flipping_labels_flips_the_fit(penalty):
    X, y = make_problem(8)
    w, b = fit_logistic(X, y, 0.02, penalty)
    w_flip, b_flip = fit_logistic(X, 1 - y, 0.02, penalty)
    np.testing.assert_allclose(w_flip, -w, rtol=1e-9, atol=1e-11)
    assert b_flip == pytest.approx(-b, rel=1e-9, abs=1e-11)


@pytest.mark.parametrize("penalty", ["l2", "l1"])
def test_repeating_every_row_leaves_the_fit_unchanged(penalty):
    # The data term is a mean, so stacking the data twice changes nothing.
    X, y = make_problem(9)
    w, b = fit_logistic(X, y, 0.02, penalty)
    w2, b2 = fit_logistic(np.vstack([X, X]), np.concatenate([y, y]), 0.02, penalty)
    np.testing.assert_allclose(w2, w, rtol=1e-9, atol=1e-11)
    assert b2 == pytest.approx(b, rel=1e-9, abs=1e-11)


def test_permuting_features_permutes_weights():
    X, y = make_problem(10, p=6)
    order = np.random.default_rng(10).permutation(6)
    w, _ = fit_logistic(X, y, 0.01, "l1")
    w_perm, _ = fit_logistic(X[:, order], y, 0.01, "l1")
    np.testing.assert_allclose(w_perm, w[order], rtol=1e-9, atol=1e-11)


def test_warm_start_reaches_the_same_solution():
    X, y = make_problem(11, p=6)
    near = fit_logistic(X, y, 0.05, "l1")
    cold = fit_logistic(X, y, 0.04, "l1")
    warm = fit_logistic(X, y, 0.04, "l1", init=near)
    np.testing.assert_allclose(warm.w, cold.w, rtol=1e-9, atol=1e-11)


def test_fit_result_records_a_decreasing_objective():
    X, y = make_problem(12)
    fit = fit_logistic(X, y, 0.01, "l1")
    w, b = fit  # unpacks as a pair
    assert fit.history[-1] == pytest.approx(logistic_objective(X, y, w, b, 0.01, "l1"), rel=1e-14)
    assert np.all(np.diff(fit.history) <= 1e-14)
    assert len(fit.history) == fit.n_iter + 1


# ---------------------------------------------------------------------------
# scikit-learn as oracle
# ---------------------------------------------------------------------------

sklearn = pytest.importorskip("sklearn")
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

SKLEARN_VERSION = tuple(int(re.match(r"\d+", part).group()) for part in sklearn.__version__.split(".")[:2])


def sklearn_fit(X, y, rate, l1_ratio, fit_intercept=True):
    """scikit-learn's fit of our objective: ``C = 1/(n·rate)``; ``rate=0`` means no penalty.

    ``penalty=`` is deprecated from scikit-learn 1.8 (``l1_ratio`` alone picks the penalty) and
    removed in 1.10; older versions need it.  Solvers that leave the intercept unpenalized:
    newton-cg for L2, saga for anything with an L1 part (liblinear penalizes the intercept).
    """
    C = np.inf if rate == 0 else 1.0 / (X.shape[0] * rate)
    if SKLEARN_VERSION >= (1, 8):  # C=inf means no penalty
        kind = {"l1_ratio": l1_ratio}
    elif rate == 0:
        C, kind = 1.0, {"penalty": None}
    else:
        name = {0.0: "l2", 1.0: "l1"}.get(l1_ratio, "elasticnet")
        kind = {"penalty": name, "l1_ratio": l1_ratio if name == "elasticnet" else None}
    solver = "newton-cg" if l1_ratio == 0 else "saga"
    model = LogisticRegression(
        C=C, solver=solver, tol=1e-13, max_iter=200_000, fit_intercept=fit_intercept,
        random_state=0, **kind,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)  # an unconverged oracle is no oracle
        model.fit(X, y)
    return model.coef_.ravel(), float(model.intercept_[0]) if fit_intercept else 0.0


def breast_cancer():
    from sklearn.datasets import load_breast_cancer

    X, y = load_breast_cancer(return_X_y=True)
    return (X - X.mean(axis=0)) / X.std(axis=0), y.astype(float)


def assert_matches_sklearn(X, y, rate, penalty, l1_ratio, fit_intercept=True):
    rho = {"l2": 0.0, "l1": 1.0, "elasticnet": l1_ratio}[penalty]
    w, b = fit_logistic(X, y, rate, penalty, fit_intercept, l1_ratio=l1_ratio)
    w_sk, b_sk = sklearn_fit(X, y, rate, rho, fit_intercept)
    scale = np.max(np.abs(w_sk))
    assert np.max(np.abs(w - w_sk)) <= 1e-6 * scale
    assert abs(b - b_sk) <= 1e-6 * max(1.0, abs(b_sk))
    F = logistic_objective(X, y, w, b, rate, penalty, l1_ratio=l1_ratio)
    F_sk = logistic_objective(X, y, w_sk, b_sk, rate, penalty, l1_ratio=l1_ratio)
    assert F <= F_sk + 1e-14  # ours is at least as good ...
    assert F_sk - F <= 1e-9 * F  # ... and the two agree
    if rho > 0:  # same support
        np.testing.assert_array_equal(w == 0, np.abs(w_sk) < 1e-8 * scale)


@pytest.mark.parametrize("name", ["n120_p5", "n200_p8", "n60_p3"])
@pytest.mark.parametrize("rate", [0.3, 0.03, 0.003])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_l2_matches_sklearn(name, rate, fit_intercept):
    X, y = PROBLEMS[name]()
    assert_matches_sklearn(X, y, rate, "l2", 0.0, fit_intercept)


@pytest.mark.parametrize("name", ["n120_p5", "n200_p8", "n60_p3"])
@pytest.mark.parametrize("fraction", [0.5, 0.1])
def test_l1_matches_sklearn(name, fraction):
    X, y = PROBLEMS[name]()
    assert_matches_sklearn(X, y, fraction * logistic_max_rate(X, y), "l1", 1.0)


def test_l1_without_intercept_matches_sklearn():
    X, y = PROBLEMS["n120_p5"]()
    rate = 0.2 * logistic_max_rate(X, y, fit_intercept=False)
    assert_matches_sklearn(X, y, rate, "l1", 1.0, fit_intercept=False)


def test_elastic_net_matches_sklearn():
    X, y = PROBLEMS["n200_p8"]()
    assert_matches_sklearn(X, y, 0.05, "elasticnet", 0.5)


def test_unpenalized_fit_matches_sklearn():
    X, y = PROBLEMS["n200_p8"]()
    w, b = fit_logistic(X, y, 0.0)
    w_sk, b_sk = sklearn_fit(X, y, 0.0, 0.0)
    assert rel_err(w, w_sk) < 1e-8 and rel_err(b, b_sk) < 1e-8


@pytest.mark.parametrize("rate", [0.1, 1e-2, 1e-4])
def test_l2_on_breast_cancer_matches_sklearn(rate):
    X, y = breast_cancer()
    assert_matches_sklearn(X, y, rate, "l2", 0.0)


@pytest.mark.parametrize("rate", [0.05, 0.02])
def test_l1_on_breast_cancer_matches_sklearn(rate):
    X, y = breast_cancer()
    assert_matches_sklearn(X, y, rate, "l1", 1.0)


def test_predictions_match_sklearn():
    X, y = PROBLEMS["n120_p5"]()
    model = LogisticRegression(C=10.0, solver="newton-cg").fit(X, y)
    w, b = model.coef_.ravel(), float(model.intercept_[0])
    np.testing.assert_allclose(predict_proba(X, w, b), model.predict_proba(X)[:, 1], rtol=1e-13)
    np.testing.assert_array_equal(predict_labels(X, w, b), model.predict(X))


# ---------------------------------------------------------------------------
# Predictions
# ---------------------------------------------------------------------------


def test_predict_proba_closed_form():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, -2.0], [800.0, 0.0], [-800.0, 0.0]])
    w, b = np.array([np.log(3.0), 0.5]), 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow at |z| = 800
        proba = predict_proba(X, w, b)
    assert proba[0] == 0.5
    assert proba[1] == pytest.approx(0.75, rel=1e-15)
    assert proba[2] == pytest.approx(1 / (1 + np.e), rel=1e-15)  # z = -1
    assert proba[3] == 1.0 and proba[4] == 0.0


def test_predict_labels_thresholds():
    X = np.array([[-2.0], [-0.5], [0.0], [0.5], [2.0]])
    w = np.array([1.0])
    np.testing.assert_array_equal(predict_labels(X, w, 0.0), [0, 0, 0, 1, 1])  # z = 0 -> 0
    # sigmoid(0.5) = 0.622..., sigmoid(2) = 0.88...
    np.testing.assert_array_equal(predict_labels(X, w, 0.0, threshold=0.7), [0, 0, 0, 0, 1])
    np.testing.assert_array_equal(predict_labels(X, w, 0.0, threshold=0.2), [0, 1, 1, 1, 1])
    assert predict_labels(X, w).dtype.kind == "i"


# ---------------------------------------------------------------------------
# Degenerate but legal input: warnings
# ---------------------------------------------------------------------------


def separable_problem():
    rng = np.random.default_rng(13)
    X = rng.normal(size=(40, 2))
    y = (X @ [1.0, -2.0] + 0.1 > 0).astype(float)
    return X, y


def test_separable_data_with_zero_rate_warns_and_stops():
    X, y = separable_problem()
    with pytest.warns(RuntimeWarning, match="separable.*rate=0|rate=0.*separable"):
        fit = fit_logistic(X, y, 0.0)
    assert not fit.converged
    assert fit.n_iter < 100
    z = X @ fit.w + fit.b
    assert np.all((2 * y - 1) * z > 0)  # what it returns separates the classes


def test_quasi_separable_data_with_zero_rate_warns():
    # Separable except for two tied points at x = 0 with different labels: the MLE is infinite.
    with pytest.warns(RuntimeWarning, match="rate > 0"):
        fit_logistic([[-1.0], [0.0], [0.0], [1.0]], [0, 0, 1, 1], 0.0)


@pytest.mark.parametrize("penalty", ["l2", "l1"])
def test_separable_data_with_positive_rate_has_a_finite_solution(penalty):
    X, y = separable_problem()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = fit_logistic(X, y, 1e-4, penalty)
    worst, intercept = kkt_residuals(X, y, fit, 1e-4, 1.0 if penalty == "l1" else 0.0)
    assert fit.converged and worst < KKT_TOL and intercept < KKT_TOL


def test_no_warning_on_a_well_posed_unpenalized_fit():
    X, y = PROBLEMS["n200_p8"]()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fit_logistic(X, y, 0.0).converged


@pytest.mark.parametrize("penalty", ["l2", "l1"])
def test_warns_naming_max_iter_and_tol_when_not_converged(penalty):
    X, y = PROBLEMS["n200_p8"]()
    with pytest.warns(RuntimeWarning, match="did not converge") as record:
        fit = fit_logistic(X, y, 1e-3, penalty, max_iter=1, tol=1e-9)
    message = str(record[0].message)
    assert "max_iter=1)" in message and "tol=1e-09" in message
    assert not fit.converged and fit.n_iter == 1


# ---------------------------------------------------------------------------
# Bad input: the exception type, and a message that names the argument
# ---------------------------------------------------------------------------

GOOD_X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [3.0, 0.5]])
GOOD_Y = np.array([0.0, 1.0, 0.0, 1.0])


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"y": [0, 1, 2, 1]}, ValueError, r"y must contain only the labels 0 and 1; got values \{0, 1, 2\}"),
        ({"y": [-1, 1, -1, 1]}, ValueError, r"y must contain only the labels 0 and 1.*-1"),
        ({"y": [0, 0.5, 1, 1]}, ValueError, r"y must contain only the labels 0 and 1.*0\.5"),
        ({"y": [1, 1, 1, 1]}, ValueError, r"y must contain both labels"),
        ({"y": [0, 1, 0]}, ValueError, r"y must have one entry per row of X.*length 4.*length 3"),
        ({"y": [[0], [1], [0], [1]]}, ValueError, r"y must be a 1-D array.*\(4, 1\)"),
        ({"y": [0, np.nan, 1, 1]}, ValueError, r"y must contain only finite numbers"),
        ({"y": "0101"}, TypeError, r"y must be a numeric array"),
        ({"X": [0.0, 1.0, 2.0, 3.0]}, ValueError, r"X must be a 2-D array.*\(4,\)"),
        ({"X": GOOD_X[:0]}, ValueError, r"X must have at least one row"),
        ({"X": np.where(GOOD_X == 2.0, np.inf, GOOD_X)}, ValueError, r"X must contain only finite numbers"),
        ({"X": GOOD_X.astype(complex)}, TypeError, r"X must be real-valued"),
        ({"X": None}, TypeError, r"X must be a numeric array; got NoneType"),
        ({"rate": -0.1}, ValueError, r"rate must be >= 0.*rate=-0\.1"),
        ({"rate": np.nan}, ValueError, r"rate must be finite"),
        ({"rate": "0.1"}, TypeError, r"rate must be a non-negative real number; got str"),
        ({"rate": True}, TypeError, r"rate must be a non-negative real number; got bool"),
        ({"rate": [0.1]}, TypeError, r"rate must be a non-negative real number; got list"),
        ({"penalty": "l3"}, ValueError, r"penalty must be one of .*; got penalty='l3'"),
        ({"penalty": None}, TypeError, r"penalty must be one of .*; got NoneType None"),
        ({"penalty": "elasticnet", "l1_ratio": 1.5}, ValueError, r"l1_ratio must be between 0 and 1; got l1_ratio=1\.5"),
        ({"fit_intercept": "yes"}, TypeError, r"fit_intercept must be True or False; got str"),
        ({"tol": 0.0}, ValueError, r"tol must be a finite number > 0; got tol=0"),
        ({"max_iter": 0}, ValueError, r"max_iter must be an integer >= 1; got max_iter=0"),
        ({"max_iter": 2.5}, TypeError, r"max_iter must be an integer"),
        ({"init": ([0.0], 0.0)}, ValueError, r"init w must have length 2; got length 1"),
        ({"init": np.zeros(3)}, TypeError, r"init must be a pair \(w, b\); got ndarray"),
    ],
)
def test_fit_logistic_rejects_bad_input(kwargs, error, match):
    args = {"X": GOOD_X, "y": GOOD_Y, "rate": 0.1}
    args.update(kwargs)
    with pytest.raises(error, match=match):
        fit_logistic(**args)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: logistic_max_rate(GOOD_X, [0, 1, 3, 1]), ValueError, r"y must contain only the labels 0 and 1"),
        (lambda: logistic_max_rate(GOOD_X, GOOD_Y, l1_ratio=0), ValueError, r"l1_ratio must be > 0"),
        (lambda: logistic_max_rate(GOOD_X, GOOD_Y, fit_intercept=1), TypeError, r"fit_intercept must be True or False"),
        (lambda: predict_proba(GOOD_X, [1.0, 2.0, 3.0]), ValueError, r"w must have length 2; got length 3"),
        (lambda: predict_proba(GOOD_X, [[1.0, 2.0]]), ValueError, r"w must be a 1-D array"),
        (lambda: predict_proba(GOOD_X, [1.0, 2.0], b=[0.0, 1.0]), TypeError, r"b must be a single real number"),
        (lambda: predict_proba(GOOD_X, [1.0, np.nan]), ValueError, r"w must contain only finite numbers"),
        (lambda: predict_labels(GOOD_X, [1.0, 2.0], threshold=1.5), ValueError, r"threshold must be between 0 and 1; got threshold=1\.5"),
        (lambda: logistic_objective(GOOD_X, GOOD_Y, [1.0], 0.0, 0.1), ValueError, r"w must have length 2"),
        (lambda: logistic_objective(GOOD_X, GOOD_Y, [1.0, 2.0], 0.0, -1.0), ValueError, r"rate must be >= 0"),
    ],
)
def test_helpers_reject_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ---------------------------------------------------------------------------
# One penalty shape: objects and names give the same fit
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "penalty, rate, name, l1_ratio",
    [(L1(0.05), 0.05, "l1", None), (L2(0.1), 0.1, "l2", None),
     (ElasticNet(0.08, 0.3), 0.08, "elasticnet", 0.3), (NoPenalty(), 0.0, "none", None)],
    ids=["L1", "L2", "ElasticNet", "NoPenalty"],
)
def test_penalty_objects_equal_names_with_a_rate(penalty, rate, name, l1_ratio):
    X, y = PROBLEMS["n120_p5"]()
    by_name = fit_logistic(X, y, rate, name, **({} if l1_ratio is None else {"l1_ratio": l1_ratio}))
    by_object = fit_logistic(X, y, penalty=penalty)
    np.testing.assert_array_equal(by_object.w, by_name.w)  # one resolver, one computation
    assert by_object.b == by_name.b
    assert fit_logistic(X, y, rate, penalty).b == by_name.b  # the same rate twice is fine
    w, b = by_name
    assert logistic_objective(X, y, w, b, penalty=penalty) == logistic_objective(
        X, y, w, b, rate, name, **({} if l1_ratio is None else {"l1_ratio": l1_ratio}))


def test_fit_logistic_l1_object_is_the_lesson_example():
    # fit_logistic(X, y, penalty=L1(0.05)) == fit_logistic(X, y, rate=0.05, penalty="l1")
    X, y = PROBLEMS["n200_p8"]()
    a, b = fit_logistic(X, y, penalty=L1(0.05)), fit_logistic(X, y, rate=0.05, penalty="l1")
    np.testing.assert_array_equal(a.w, b.w)
    assert 0 < np.count_nonzero(a.w) < a.w.size  # the L1 penalty really selects


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"rate": 0.1, "penalty": L1(0.05)}, ValueError, r"rate=0\.1 and penalty=L1\(rate=0\.05\) disagree"),
        ({"penalty": ElasticNet(0.1, 0.3), "l1_ratio": 0.5}, ValueError, r"l1_ratio=0\.5 and penalty=ElasticNet"),
        ({"penalty": "l1"}, TypeError, r"rate must be a non-negative real number; got NoneType None: "
                                       r"penalty='l1' needs a rate"),
        ({"penalty": 0.05}, TypeError, r"penalty must be one of .* or a Penalty object .*got float 0\.05"),
        ({"penalty": NormBall("l1", 1.0)}, TypeError, r"a NormBall is a constraint, not an L1/L2 penalty"),
    ],
)
def test_fit_logistic_rejects_ambiguous_penalties(kwargs, error, match):
    X, y = PROBLEMS["n60_p3"]()
    with pytest.raises(error, match=match):
        fit_logistic(X, y, **kwargs)


@pytest.mark.parametrize("penalty", [L1(0.03), L2(0.05), ElasticNet(0.05, 0.5)], ids=repr)
def test_fit_logistic_agrees_with_proximal_gradient(penalty):
    # The fast solver (proximal Newton with the lasso's coordinate descent inside) against the
    # readable one of the lessons (FISTA on the mean log-loss, the penalty by its prox).
    X, y = PROBLEMS["n120_p5"]()
    fast = fit_logistic(X, y, penalty=penalty)
    slow = proximal_gradient(log_loss_objective(X, y), np.zeros(X.shape[1]), penalty, n_iter=50_000,
                             accelerated=True, restart=True, tol=1e-11)
    assert slow.converged
    np.testing.assert_allclose(fast.w, slow.w, rtol=0, atol=1e-8)
    assert fast.b == pytest.approx(slow.b, abs=1e-8)
    np.testing.assert_array_equal(fast.w == 0, slow.w == 0)

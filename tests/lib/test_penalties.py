"""Tests for course_lib.penalties: hand-computed values, finite differences, prox optimality.

Property tests use hypothesis with bounded finite floats; the expected values come from
closed forms worked by hand, from finite differences, or from the optimality (subgradient)
condition that defines a proximal operator.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from course_lib.penalties import (
    L1,
    L2,
    ElasticNet,
    NoPenalty,
    Penalty,
    elastic_net_gradient,
    elastic_net_penalty,
    l1_penalty,
    l1_subgradient,
    l2_gradient,
    l2_penalty,
    make_penalty,
    soft_threshold,
    soft_threshold_scalar,
)

# Deterministic (same examples every run) and no example database written into the checkout.
PROPERTY = settings(deadline=None, max_examples=60, derandomize=True, database=None)

finite = st.floats(-50.0, 50.0, allow_nan=False, allow_infinity=False, width=64)
vectors = arrays(np.float64, st.integers(1, 8), elements=finite)
rates = st.floats(0.0, 10.0, allow_nan=False, width=64)
steps = st.floats(1e-3, 10.0, allow_nan=False, width=64)
fractions = st.floats(0.0, 1.0, allow_nan=False, width=64)
# Entries at least 1e-3 away from the kink at 0, for finite differences of |w|.
away_from_zero = st.floats(1e-3, 50.0, width=64).flatmap(lambda m: st.sampled_from([m, -m]))
vectors_off_zero = arrays(np.float64, st.integers(1, 8), elements=away_from_zero)
vector_pairs = st.integers(1, 8).flatmap(
    lambda n: st.tuples(arrays(np.float64, n, elements=finite), arrays(np.float64, n, elements=finite))
)


def rel_err(a, b) -> float:
    """Norm-wise relative error with a floor: ||a − b|| / max(1e-8, ||a|| + ||b||)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.linalg.norm(a - b) / max(1e-8, np.linalg.norm(a) + np.linalg.norm(b)))


def central_differences(f, w, h=1e-6):
    return np.array([(f(w + h * e) - f(w - h * e)) / (2 * h) for e in np.eye(w.size)])


# ---------------------------------------------------------------------------
# Hand-computed values
# ---------------------------------------------------------------------------


def test_l2_hand_cases():
    assert l2_penalty([3.0, 4.0], 2.0) == 25.0  # 2/2 · (9 + 16)
    assert l2_penalty([3.0, 4.0], 0.0) == 0.0
    np.testing.assert_array_equal(l2_gradient([1.0, -2.0], 3.0), [3.0, -6.0])


def test_l1_hand_cases():
    assert l1_penalty([3.0, -4.0, 0.0], 0.5) == 3.5
    np.testing.assert_array_equal(l1_subgradient([2.0, 0.0, -1.0], 0.5), [0.5, 0.0, -0.5])


def test_elastic_net_hand_cases():
    # 2 · (0.25 · (1 + 2) + 0.75/2 · (1 + 4)) = 2 · (0.75 + 1.875)
    assert elastic_net_penalty([1.0, -2.0], 2.0, 0.25) == pytest.approx(5.25, rel=1e-15)
    # 2 · (0.25 · sign(w) + 0.75 · w)
    np.testing.assert_allclose(elastic_net_gradient([1.0, -2.0, 0.0], 2.0, 0.25), [2.0, -3.5, 0.0], rtol=1e-15)


def test_soft_threshold_hand_case():
    out = soft_threshold([3.0, -0.5, 0.5, -2.0, 1.0, -1.0, 0.0], 1.0)
    np.testing.assert_array_equal(out, [2.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0])
    assert not np.any(np.signbit(out[out == 0]))  # no -0.0 in the output


def test_prox_hand_cases():
    v = np.array([3.0, -0.5, 2.0])
    np.testing.assert_allclose(L2(1.0).prox(v, 0.5), v / 1.5, rtol=1e-15)
    np.testing.assert_array_equal(L1(2.0).prox(v, 0.5), [2.0, 0.0, 1.0])
    # soft-threshold by 0.5·2·0.5 = 0.5, then divide by 1 + 0.5·2·0.5 = 1.5
    np.testing.assert_allclose(ElasticNet(2.0, 0.5).prox(v, 0.5), [2.5 / 1.5, 0.0, 1.5 / 1.5], rtol=1e-15)
    np.testing.assert_array_equal(NoPenalty().prox(v, 0.5), v)


# ---------------------------------------------------------------------------
# Gradients
# ---------------------------------------------------------------------------


@PROPERTY
@given(w=vectors, rate=rates)
def test_l2_gradient_by_finite_differences(w, rate):
    fd = central_differences(lambda u: l2_penalty(u, rate), w, h=1e-4)
    assert rel_err(fd, l2_gradient(w, rate)) < 1e-6


@PROPERTY
@given(w=vectors_off_zero, rate=rates)
def test_l1_subgradient_by_finite_differences_away_from_zero(w, rate):
    fd = central_differences(lambda u: l1_penalty(u, rate), w, h=1e-5)
    assert rel_err(fd, l1_subgradient(w, rate)) < 1e-6


@PROPERTY
@given(w=vectors_off_zero, rate=rates, rho=fractions)
def test_elastic_net_gradient_by_finite_differences_away_from_zero(w, rate, rho):
    fd = central_differences(lambda u: elastic_net_penalty(u, rate, rho), w, h=1e-5)
    assert rel_err(fd, elastic_net_gradient(w, rate, rho)) < 1e-6


@PROPERTY
@given(rate=rates, rho=fractions, size=st.integers(1, 6))
def test_subgradients_are_zero_at_zero(rate, rho, size):
    zero = np.zeros(size)
    np.testing.assert_array_equal(l1_subgradient(zero, rate), zero)
    np.testing.assert_array_equal(elastic_net_gradient(zero, rate, rho), zero)
    np.testing.assert_array_equal(L1(rate).gradient(zero), zero)


@PROPERTY
@given(pair=vector_pairs, rate=rates, rho=fractions)
def test_subgradient_inequality(pair, rate, rho):
    # A convex function lies above its (sub)gradient's tangent plane: f(u) >= f(w) + g·(u - w).
    w, u = pair
    for f, g in [
        (lambda x: l1_penalty(x, rate), l1_subgradient(w, rate)),
        (lambda x: l2_penalty(x, rate), l2_gradient(w, rate)),
        (lambda x: elastic_net_penalty(x, rate, rho), elastic_net_gradient(w, rate, rho)),
    ]:
        gap = f(u) - f(w) - g @ (u - w)
        assert gap >= -1e-9 * (1.0 + abs(f(u)) + abs(f(w)))


# ---------------------------------------------------------------------------
# Structure: homogeneity, limits of the elastic net, objects agree with functions
# ---------------------------------------------------------------------------


@PROPERTY
@given(w=vectors, rate=rates, c=st.floats(-5.0, 5.0, width=64))
def test_penalties_scale_as_norms(w, rate, c):
    assert l1_penalty(c * w, rate) == pytest.approx(abs(c) * l1_penalty(w, rate), rel=1e-12, abs=1e-12)
    assert l2_penalty(c * w, rate) == pytest.approx(c * c * l2_penalty(w, rate), rel=1e-12, abs=1e-12)
    assert l1_penalty(w, 2 * rate) == pytest.approx(2 * l1_penalty(w, rate), rel=1e-15)


@PROPERTY
@given(w=vectors, rate=rates, v=vectors, step=steps)
def test_elastic_net_ends_are_l1_and_l2(w, rate, v, step):
    assert elastic_net_penalty(w, rate, 1.0) == pytest.approx(l1_penalty(w, rate), rel=1e-14, abs=1e-300)
    assert elastic_net_penalty(w, rate, 0.0) == pytest.approx(l2_penalty(w, rate), rel=1e-14, abs=1e-300)
    np.testing.assert_allclose(elastic_net_gradient(w, rate, 1.0), l1_subgradient(w, rate), rtol=1e-14)
    np.testing.assert_allclose(elastic_net_gradient(w, rate, 0.0), l2_gradient(w, rate), rtol=1e-14)
    np.testing.assert_allclose(ElasticNet(rate, 1.0).prox(v, step), L1(rate).prox(v, step), rtol=1e-14)
    np.testing.assert_allclose(ElasticNet(rate, 0.0).prox(v, step), L2(rate).prox(v, step), rtol=1e-14)


@PROPERTY
@given(w=vectors, rate=rates, rho=fractions, step=steps)
def test_penalty_objects_agree_with_functions(w, rate, rho, step):
    pairs = [
        (L2(rate), l2_penalty(w, rate), l2_gradient(w, rate), w / (1 + step * rate)),
        (L1(rate), l1_penalty(w, rate), l1_subgradient(w, rate), soft_threshold(w, step * rate)),
        (
            ElasticNet(rate, rho),
            elastic_net_penalty(w, rate, rho),
            elastic_net_gradient(w, rate, rho),
            soft_threshold(w, step * rate * rho) / (1 + step * rate * (1 - rho)),
        ),
        (NoPenalty(), 0.0, np.zeros_like(w), w),
    ]
    for penalty, value, gradient, prox in pairs:
        assert isinstance(penalty, Penalty)
        assert penalty.value(w) == value
        assert penalty(w) == value
        np.testing.assert_array_equal(penalty.gradient(w), gradient)
        np.testing.assert_array_equal(penalty.prox(w, step), prox)


def test_smooth_flags():
    assert L2(1.0).smooth and NoPenalty().smooth
    assert not L1(1.0).smooth and not ElasticNet(1.0, 0.5).smooth


@pytest.mark.parametrize(
    "name, kind",
    [("l2", L2), ("L2", L2), ("l1", L1), ("elasticnet", ElasticNet), ("elastic_net", ElasticNet),
     ("elastic-net", ElasticNet), ("enet", ElasticNet), ("none", NoPenalty), (None, NoPenalty)],
)
def test_make_penalty_names(name, kind):
    penalty = make_penalty(name, 0.3, 0.2)
    assert type(penalty) is kind
    if kind is not NoPenalty:
        assert penalty.rate == 0.3
    if kind is ElasticNet:
        assert penalty.l1_ratio == 0.2


def test_make_penalty_passes_penalty_objects_through():
    penalty = L1(0.7)
    assert make_penalty(penalty) is penalty
    assert make_penalty(penalty, None) is penalty  # a trainer's rate=None: "the object's rate"
    assert make_penalty(penalty, 0.7) is penalty  # the same rate twice is not ambiguous
    # A different rate is: the error names both (it used to be ignored silently).
    with pytest.raises(ValueError, match=r"rate=5\.0 and penalty=L1\(rate=0\.7\) disagree"):
        make_penalty(penalty, 5.0)


# ---------------------------------------------------------------------------
# soft_threshold and the proximal operators
# ---------------------------------------------------------------------------


def prox_objective(w, v, step, penalty):
    return float(np.sum((w - v) ** 2)) / (2 * step) + penalty.value(w)


def assert_prox_optimal(w, v, step, rate, rho):
    """Optimality of w for min 1/(2 step)·||w − v||² + rate(ρ||w||₁ + (1−ρ)/2·||w||²).

    (w − v)/step + rate(1−ρ)w + rate·ρ·s = 0 with s = sign(w) where w ≠ 0 and |s| <= 1 where w = 0.
    """
    smooth = (w - v) / step + rate * (1 - rho) * w
    scale = 1.0 + np.abs(v) / step
    nonzero = w != 0
    np.testing.assert_array_less(
        np.abs(smooth + rate * rho * np.sign(w))[nonzero], 1e-12 * scale[nonzero] + 1e-300
    )
    np.testing.assert_array_less(np.abs(smooth[~nonzero]), rate * rho * (1 + 1e-12) + 1e-300)


@PROPERTY
@given(v=vectors, t=rates)
def test_soft_threshold_zeroes_exactly_the_small_entries(v, t):
    out = soft_threshold(v, t)
    np.testing.assert_array_equal(out == 0, np.abs(v) <= t)


@PROPERTY
@given(v=vectors, t=rates)
def test_soft_threshold_keeps_sign_and_shrinks_by_t(v, t):
    out = soft_threshold(v, t)
    kept = out != 0
    np.testing.assert_array_equal(np.sign(out[kept]), np.sign(v[kept]))
    np.testing.assert_allclose(np.abs(out[kept]), np.abs(v[kept]) - t, rtol=1e-15, atol=1e-13)


@PROPERTY
@given(pair=vector_pairs, t=rates)
def test_soft_threshold_is_non_expansive(pair, t):
    u, v = pair
    assert np.linalg.norm(soft_threshold(u, t) - soft_threshold(v, t)) <= np.linalg.norm(u - v) * (1 + 1e-15)


@PROPERTY
@given(v=vectors, t=rates, seed=st.integers(0, 2**32 - 1))
def test_soft_threshold_is_the_prox_of_the_l1_norm(v, t, seed):
    w = soft_threshold(v, t)
    assert_prox_optimal(w, v, 1.0, t, 1.0)
    # ... and no nearby point does better on 1/2·||w − v||² + t·||w||₁.
    best = prox_objective(w, v, 1.0, L1(t))
    rng = np.random.default_rng(seed)
    for scale in [1e-6, 1e-3, 1.0]:
        for _ in range(10):
            trial = w + scale * rng.normal(size=w.size)
            assert prox_objective(trial, v, 1.0, L1(t)) >= best - 1e-12 * (1 + best)


@PROPERTY
@given(v=vectors, rate=rates, rho=fractions, step=steps, seed=st.integers(0, 2**32 - 1))
def test_prox_of_every_penalty_is_optimal(v, rate, rho, step, seed):
    rng = np.random.default_rng(seed)
    for penalty, l1_share in [(L2(rate), 0.0), (L1(rate), 1.0), (ElasticNet(rate, rho), rho)]:
        w = penalty.prox(v, step)
        assert_prox_optimal(w, v, step, rate, l1_share)
        best = prox_objective(w, v, step, penalty)
        for scale in [1e-6, 1e-3, 1.0]:
            for _ in range(5):
                trial = w + scale * rng.normal(size=w.size)
                assert prox_objective(trial, v, step, penalty) >= best - 1e-12 * (1 + best)


@PROPERTY
@given(v=vectors, step=steps)
def test_prox_with_zero_rate_is_the_identity(v, step):
    for penalty in [NoPenalty(), L2(0.0), L1(0.0), ElasticNet(0.0, 0.5)]:
        np.testing.assert_array_equal(penalty.prox(v, step), v)


def test_functions_do_not_modify_their_input():
    w = np.array([1.0, -2.0, 0.0])
    copy = w.copy()
    for out in [l2_gradient(w, 1.0), l1_subgradient(w, 1.0), soft_threshold(w, 0.5),
                L2(1.0).prox(w, 1.0), NoPenalty().prox(w, 1.0), ElasticNet(1.0).prox(w, 1.0)]:
        out[...] = 99.0  # writing to a result must not reach the caller's array
    np.testing.assert_array_equal(w, copy)


# ---------------------------------------------------------------------------
# One shape: smoothness belongs to the kind; l1_rate/l2_rate; make_penalty resolves both forms
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, shown",
    [
        (lambda: L1(0.5, True), r"L1\(0\.5, True\)"),
        (lambda: L1(0.5, smooth=True), r"L1\(0\.5, smooth=True\)"),
        (lambda: L2(0.5, False), r"L2\(0\.5, False\)"),
        (lambda: ElasticNet(0.5, 0.3, True), r"ElasticNet\(0\.5, 0\.3, True\)"),
        (lambda: NoPenalty(smooth=True), r"NoPenalty\(smooth=True\)"),
    ],
)
def test_smoothness_is_not_a_constructor_argument(make, shown):
    with pytest.raises(TypeError, match=r"^smooth is not an argument of \w+: whether a penalty is smooth "
                                        r"is a property of its kind") as info:
        make()
    assert re.search(shown, str(info.value))


def test_smoothness_is_a_property_of_the_kind():
    assert L2.smooth and NoPenalty.smooth and not L1.smooth and not ElasticNet.smooth
    with pytest.raises(AttributeError):
        L1(0.5).smooth = True  # frozen: an object cannot change its kind
    # Other extra arguments are refused too, saying what was given.
    with pytest.raises(TypeError, match=r"^L1 takes only rate; got L1\(0\.5, 2\)"):
        L1(0.5, 2)
    with pytest.raises(TypeError, match=r"^NoPenalty takes no arguments; got NoPenalty\(0\.3\)"):
        NoPenalty(0.3)


@PROPERTY
@given(w=vectors, rate=rates, rho=fractions)
def test_every_penalty_is_l1_rate_times_l1_plus_half_l2_rate_times_l2(w, rate, rho):
    # The split the solvers read: penalty(w) = l1_rate·Σ|w| + l2_rate/2·Σw² for every kind.
    for penalty in [L2(rate), L1(rate), ElasticNet(rate, rho), NoPenalty()]:
        by_parts = penalty.l1_rate * np.sum(np.abs(w)) + 0.5 * penalty.l2_rate * (w @ w)
        assert penalty.value(w) == pytest.approx(by_parts, rel=1e-12, abs=1e-300)
    assert (L1(rate).l1_rate, L1(rate).l2_rate) == (rate, 0.0)
    assert (L2(rate).l1_rate, L2(rate).l2_rate) == (0.0, rate)


def test_make_penalty_forms_agree():
    assert make_penalty("l1", 0.05) == L1(0.05)
    assert make_penalty("l2") == L2(0.0)  # a name without a rate: no regularization
    assert make_penalty("elasticnet", 0.2) == ElasticNet(0.2, 0.5)
    assert make_penalty(ElasticNet(0.2, 0.3), 0.2, 0.3) == ElasticNet(0.2, 0.3)
    assert make_penalty(ElasticNet(0.2, 0.3), None, None) == ElasticNet(0.2, 0.3)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: make_penalty(L2(0.01), 0.02), ValueError,
         r"^rate=0\.02 and penalty=L2\(rate=0\.01\) disagree: .*penalty=L2\(0\.01\) with no rate.*penalty='l2', rate=0\.02"),
        (lambda: make_penalty(ElasticNet(1.0, 0.3), l1_ratio=0.2), ValueError,
         r"^l1_ratio=0\.2 and penalty=ElasticNet\(rate=1\.0, l1_ratio=0\.3\) disagree"),
        (lambda: make_penalty(L1(0.1), l1_ratio=0.2), ValueError,
         r"^l1_ratio=0\.2 applies only to an elastic net; got penalty=L1\(rate=0\.1\)"),
        (lambda: make_penalty(L1(0.1), -1.0), ValueError, r"^rate must be >= 0"),
        (lambda: make_penalty("l1", None), TypeError,
         r"^rate must be a non-negative real number; got NoneType None: penalty='l1' needs a rate"),
        (lambda: make_penalty(0.1, "l1"), TypeError, r"^penalty must be one of .* or a Penalty object .*got float 0\.1"),
    ],
)
def test_make_penalty_names_what_was_given(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ---------------------------------------------------------------------------
# soft_threshold_scalar: the same operator, for one number
# ---------------------------------------------------------------------------


def test_soft_threshold_scalar_hand_cases():
    for z, t, expected in [(3.0, 1.0, 2.0), (-0.5, 1.0, 0.0), (0.5, 1.0, 0.0), (-2.0, 1.0, -1.0),
                           (1.0, 1.0, 0.0), (-1.0, 1.0, 0.0), (0.0, 0.0, 0.0), (-3.0, 0.0, -3.0)]:
        out = soft_threshold_scalar(z, t)
        assert type(out) is float and out == expected
        assert not np.signbit(out) or out < 0  # never -0.0
    # ints and numpy scalars are numbers too
    assert soft_threshold_scalar(3, 1) == 2.0 and soft_threshold_scalar(np.float64(-3.0), np.int64(1)) == -2.0


@PROPERTY
@given(v=vectors, t=rates)
def test_soft_threshold_scalar_equals_soft_threshold(v, t):
    expected = soft_threshold(v, t)
    np.testing.assert_array_equal([soft_threshold_scalar(float(z), t) for z in v], expected)


@pytest.mark.parametrize(
    "z, t, error, match",
    [
        (np.nan, 1.0, ValueError, r"^z must be finite"),
        (np.inf, 1.0, ValueError, r"^z must be finite"),
        ("1", 1.0, TypeError, r"^z must be a single real number; got str '1'"),
        (True, 1.0, TypeError, r"^z must be a single real number; got bool"),
        (np.array([1.0]), 1.0, TypeError, r"^z must be a single real number; got array"),
        (1.0, -0.5, ValueError, r"^threshold must be >= 0"),
        (1.0, np.inf, ValueError, r"^threshold must be finite"),
        (1.0, None, TypeError, r"^threshold must be a non-negative real number"),
    ],
)
def test_soft_threshold_scalar_bad_input(z, t, error, match):
    with pytest.raises(error, match=match):
        soft_threshold_scalar(z, t)

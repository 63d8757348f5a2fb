"""Tests for course_lib.dropout: inverted dropout and its mask.

Oracles: the binomial distribution of the number of dropped entries (a 5-standard-deviation
band over a million entries), the exact values 0 and a/(1 − p) entry by entry, the mean of
the output against the mean of the input, identity at evaluation, and PyTorch's nn.Dropout
(when installed) for the set of values an output may take.
"""

import numpy as np
import pytest

from course_lib.dropout import dropout, dropout_mask

N = 1_000_000


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_each_entry_is_dropped_with_probability_p(p):
    out = dropout(np.ones(N), p, seed=3)
    dropped = np.mean(out == 0.0)
    sd = np.sqrt(p * (1 - p) / N)  # binomial standard deviation of the dropped fraction
    assert abs(dropped - p) < 5 * sd


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_kept_entries_are_scaled_by_one_over_one_minus_p_and_dropped_ones_are_exactly_zero(p):
    rng = np.random.default_rng(4)
    a = rng.normal(size=(1000, 50))
    out = dropout(a, p, seed=5)
    kept = out != 0.0
    np.testing.assert_allclose(out[kept], a[kept] / (1 - p), rtol=1e-15)
    assert np.all(out[~kept] == 0.0) and not np.any(np.signbit(out[~kept]))  # +0.0, never -0.0


@pytest.mark.parametrize("p", [0.2, 0.5, 0.9])
def test_the_mean_activation_is_preserved(p):
    # E[dropout(a)] = a: over a million entries of a constant activation 2.0 the mean is 2.0 within
    # 5 standard deviations; each output entry is 2/(1 − p) with probability 1 − p, so its variance is
    # 4·p/(1 − p).
    out = dropout(np.full(N, 2.0), p, seed=6)
    sd = np.sqrt(4.0 * p / (1 - p) / N)
    assert abs(out.mean() - 2.0) < 5 * sd


def test_the_mask_has_mean_one_and_two_values():
    mask = dropout_mask((2000, 500), 0.3, seed=7)
    assert set(np.unique(mask)) == {0.0, 1 / 0.7}
    assert abs(mask.mean() - 1.0) < 5 * np.sqrt(0.3 / 0.7 / mask.size)


@pytest.mark.parametrize("p", [0.0, 0.3, 0.99])
def test_evaluation_returns_the_activations_unchanged(p):
    a = np.random.default_rng(8).normal(size=(7, 4))
    out = dropout(a, p, seed=1, training=False)
    np.testing.assert_array_equal(out, a)
    assert out is not a


def test_p_zero_returns_the_activations_unchanged_and_draws_nothing():
    a = np.random.default_rng(9).normal(size=(7, 4))
    rng = np.random.default_rng(10)
    before = rng.bit_generator.state
    np.testing.assert_array_equal(dropout(a, 0.0, seed=rng), a)
    np.testing.assert_array_equal(dropout_mask(a.shape, 0.0, seed=rng), np.ones(a.shape))
    assert rng.bit_generator.state == before


def test_the_same_seed_gives_the_same_mask_and_a_generator_advances():
    a = np.ones((50, 20))
    np.testing.assert_array_equal(dropout(a, 0.5, seed=11), dropout(a, 0.5, seed=11))
    assert not np.array_equal(dropout(a, 0.5, seed=11), dropout(a, 0.5, seed=12))
    rng = np.random.default_rng(13)
    first, second = dropout(a, 0.5, seed=rng), dropout(a, 0.5, seed=rng)
    assert not np.array_equal(first, second)
    # dropout multiplies by the mask the same seed gives
    np.testing.assert_array_equal(dropout(a, 0.5, seed=14), a * dropout_mask(a.shape, 0.5, seed=14))


def test_the_input_is_not_changed_and_integers_become_floats():
    a = np.arange(12).reshape(3, 4)
    copy = a.copy()
    out = dropout(a, 0.5, seed=0)
    np.testing.assert_array_equal(a, copy)
    assert out.dtype == float


def test_the_values_are_those_of_pytorch_dropout():
    torch = pytest.importorskip("torch")
    x = torch.arange(1.0, 201.0, dtype=torch.float64).reshape(20, 10)
    torch.manual_seed(0)
    theirs = torch.nn.Dropout(0.25).train()(x).numpy()
    ours = dropout(x.numpy(), 0.25, seed=0)
    for out in (theirs, ours):  # each entry is 0 or x/(1 − p)
        kept = out != 0
        np.testing.assert_allclose(out[kept], x.numpy()[kept] / 0.75, rtol=1e-15)
    np.testing.assert_array_equal(torch.nn.Dropout(0.25).eval()(x).numpy(), dropout(x.numpy(), 0.25, training=False))


@pytest.mark.parametrize(
    "call, exc, name",
    [
        (lambda: dropout(np.ones(3), 1.0), ValueError, "p"),
        (lambda: dropout(np.ones(3), 1.5), ValueError, "p"),
        (lambda: dropout(np.ones(3), -0.1), ValueError, "p"),
        (lambda: dropout(np.ones(3), float("nan")), ValueError, "p"),
        (lambda: dropout(np.ones(3), "0.5"), TypeError, "p"),
        (lambda: dropout(np.ones(3), True), TypeError, "p"),
        (lambda: dropout(np.ones(3), 0.5, training="yes"), TypeError, "training"),
        (lambda: dropout(np.array([1.0, np.nan]), 0.5), ValueError, "a"),
        (lambda: dropout("abc", 0.5), TypeError, "a"),
        (lambda: dropout(None, 0.5), TypeError, "a"),
        (lambda: dropout(np.ones(3), 0.5, seed=-1), ValueError, "seed"),
        (lambda: dropout(np.ones(3), 0.5, seed=1.5), TypeError, "seed"),
        (lambda: dropout_mask((3, -1), 0.5), TypeError, "shape"),
        (lambda: dropout_mask((3, 2), 1.0), ValueError, "p"),
    ],
)
def test_bad_input_raises_naming_the_argument(call, exc, name):
    with pytest.raises(exc, match=rf"\b{name}\b"):
        call()

"""Bad input of every kind, across the public functions of penalties and losses.

Each case asserts the exception type, that the message starts with the name of the argument,
and that it shows what was given.  Nothing may be broadcast silently.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from course_lib import _validation as V
from course_lib.losses import log_loss, log_loss_gradient, sigmoid, squared_loss, squared_loss_gradient
from course_lib.penalties import (
    L1,
    L2,
    ElasticNet,
    NoPenalty,
    elastic_net_gradient,
    elastic_net_penalty,
    l1_penalty,
    l1_subgradient,
    l2_gradient,
    l2_penalty,
    make_penalty,
    soft_threshold,
)

W = np.array([1.0, -2.0, 0.5])
X = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0], [2.0, 1.0, 0.0], [1.0, -1.0, 1.0]])
Y = np.array([0.5, -1.0, 2.0, 0.0])  # regression targets
LABELS = np.array([0.0, 1.0, 1.0, 0.0])


def check_error(call, error, name, shown):
    """``call()`` raises ``error`` whose message starts with ``name`` and matches ``shown``."""
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    assert message.startswith(f"{name} "), message
    assert re.search(shown, message), f"{shown!r} not in {message!r}"


# ---------------------------------------------------------------------------
# Vectors: w and v
# ---------------------------------------------------------------------------

BAD_VECTORS = {
    "2-D column": (np.ones((3, 1)), ValueError, r"1-D array; got an array of shape \(3, 1\)"),
    "scalar": (2.0, ValueError, r"1-D array; got an array of shape \(\)"),
    "NaN": (np.array([1.0, np.nan, 2.0]), ValueError, r"finite numbers; got 1 NaN or infinite"),
    "inf": (np.array([1.0, -np.inf, 2.0]), ValueError, r"finite numbers; got 1 NaN or infinite"),
    "str": ("1 2 3", TypeError, r"numeric array; got str '1 2 3'"),
    "None": (None, TypeError, r"numeric array; got NoneType None"),
    "complex": (np.array([1.0, 2j, 0.0]), TypeError, r"real-valued; got complex .*complex128"),
    "object array": (np.array([1.0, "a", 0.0], dtype=object), TypeError, r"numeric array; got array .*dtype object"),
    "ragged": ([[1.0, 2.0], [3.0]], TypeError, r"numeric array; got list"),
    "dict": ({"w": 1.0}, TypeError, r"numeric array; got dict"),
    "empty": (np.array([]), ValueError, r"must not be empty|length 0"),
}

VECTOR_CALLS = {
    "l2_penalty": ("w", lambda v: l2_penalty(v, 1.0)),
    "l2_gradient": ("w", lambda v: l2_gradient(v, 1.0)),
    "l1_penalty": ("w", lambda v: l1_penalty(v, 1.0)),
    "l1_subgradient": ("w", lambda v: l1_subgradient(v, 1.0)),
    "elastic_net_penalty": ("w", lambda v: elastic_net_penalty(v, 1.0, 0.5)),
    "elastic_net_gradient": ("w", lambda v: elastic_net_gradient(v, 1.0, 0.5)),
    "soft_threshold": ("v", lambda v: soft_threshold(v, 1.0)),
    "L2.value": ("w", lambda v: L2(1.0).value(v)),
    "L1.__call__": ("w", lambda v: L1(1.0)(v)),
    "ElasticNet.gradient": ("w", lambda v: ElasticNet(1.0, 0.5).gradient(v)),
    "NoPenalty.value": ("w", lambda v: NoPenalty().value(v)),
    "NoPenalty.gradient": ("w", lambda v: NoPenalty().gradient(v)),
    "L2.prox": ("v", lambda v: L2(1.0).prox(v, 0.5)),
    "L1.prox": ("v", lambda v: L1(1.0).prox(v, 0.5)),
    "ElasticNet.prox": ("v", lambda v: ElasticNet(1.0, 0.5).prox(v, 0.5)),
    "NoPenalty.prox": ("v", lambda v: NoPenalty().prox(v, 0.5)),
    "squared_loss": ("w", lambda v: squared_loss(X, Y, v, 0.0)),
    "squared_loss_gradient": ("w", lambda v: squared_loss_gradient(X, Y, v, 0.0)),
    "log_loss": ("w", lambda v: log_loss(X, LABELS, v, 0.0)),
    "log_loss_gradient": ("w", lambda v: log_loss_gradient(X, LABELS, v, 0.0)),
}


@pytest.mark.parametrize("function", sorted(VECTOR_CALLS))
@pytest.mark.parametrize("kind", sorted(BAD_VECTORS))
def test_bad_vectors(function, kind):
    name, call = VECTOR_CALLS[function]
    value, error, shown = BAD_VECTORS[kind]
    check_error(lambda: call(value), error, name, shown)


@pytest.mark.parametrize("function", sorted(VECTOR_CALLS))
def test_good_vector_is_accepted(function):
    # The same calls succeed on valid input, so the failures above are about the bad value.
    _, call = VECTOR_CALLS[function]
    call(W)


# ---------------------------------------------------------------------------
# Numbers: rate, threshold, l1_ratio, step
# ---------------------------------------------------------------------------

BAD_RATES = {
    "negative": (-0.5, ValueError, r">= 0 .*=-0\.5"),
    "NaN": (float("nan"), ValueError, r"finite; got \w+=nan"),
    "inf": (float("inf"), ValueError, r"finite; got \w+=inf"),
    "str": ("0.1", TypeError, r"non-negative real number; got str '0\.1'"),
    "None": (None, TypeError, r"got NoneType None"),
    "bool": (True, TypeError, r"got bool True"),
    "complex": (1j, TypeError, r"got complex 1j"),
    "list": ([0.1], TypeError, r"got list \[0\.1\]"),
    "vector": (np.array([0.1, 0.2]), TypeError, r"single number, not an array; got array of shape \(2,\)"),
}

RATE_CALLS = {
    "l2_penalty": ("rate", lambda r: l2_penalty(W, r)),
    "l2_gradient": ("rate", lambda r: l2_gradient(W, r)),
    "l1_penalty": ("rate", lambda r: l1_penalty(W, r)),
    "l1_subgradient": ("rate", lambda r: l1_subgradient(W, r)),
    "elastic_net_penalty": ("rate", lambda r: elastic_net_penalty(W, r, 0.5)),
    "elastic_net_gradient": ("rate", lambda r: elastic_net_gradient(W, r, 0.5)),
    "soft_threshold": ("threshold", lambda r: soft_threshold(W, r)),
    "L2": ("rate", lambda r: L2(r)),
    "L1": ("rate", lambda r: L1(r)),
    "ElasticNet": ("rate", lambda r: ElasticNet(r, 0.5)),
    "make_penalty l2": ("rate", lambda r: make_penalty("l2", r)),
    "make_penalty none": ("rate", lambda r: make_penalty("none", r)),
}


@pytest.mark.parametrize("function", sorted(RATE_CALLS))
@pytest.mark.parametrize("kind", sorted(BAD_RATES))
def test_bad_rates(function, kind):
    name, call = RATE_CALLS[function]
    value, error, shown = BAD_RATES[kind]
    check_error(lambda: call(value), error, name, shown)


@pytest.mark.parametrize("function", sorted(RATE_CALLS))
@pytest.mark.parametrize("rate", [0, 0.0, 3, 1e6, np.float64(0.5), np.int64(2), np.array(0.25)])
def test_any_non_negative_rate_is_accepted(function, rate):
    # A rate is any number >= 0, not a fraction: large values and numpy scalars are fine.
    _, call = RATE_CALLS[function]
    call(rate)


BAD_FRACTIONS = {
    "above one": (1.5, ValueError, r"between 0 and 1; got l1_ratio=1\.5"),
    "negative": (-0.1, ValueError, r"between 0 and 1; got l1_ratio=-0\.1"),
    "NaN": (float("nan"), ValueError, r"between 0 and 1; got l1_ratio=nan"),
    "str": ("0.5", TypeError, r"got str '0\.5'"),
    "None": (None, TypeError, r"got NoneType None"),
    "bool": (True, TypeError, r"got bool True"),
    "complex": (0.5 + 0j, TypeError, r"got complex"),
}

FRACTION_CALLS = {
    "elastic_net_penalty": lambda r: elastic_net_penalty(W, 1.0, r),
    "elastic_net_gradient": lambda r: elastic_net_gradient(W, 1.0, r),
    "ElasticNet": lambda r: ElasticNet(1.0, r),
    "make_penalty": lambda r: make_penalty("elasticnet", 1.0, r),
}


@pytest.mark.parametrize("function", sorted(FRACTION_CALLS))
@pytest.mark.parametrize("kind", sorted(BAD_FRACTIONS))
def test_bad_l1_ratio(function, kind):
    value, error, shown = BAD_FRACTIONS[kind]
    check_error(lambda: FRACTION_CALLS[function](value), error, "l1_ratio", shown)


BAD_STEPS = {
    "zero": (0.0, ValueError, r"finite number > 0; got step=0"),
    "negative": (-1.0, ValueError, r"finite number > 0; got step=-1"),
    "inf": (float("inf"), ValueError, r"got step=inf"),
    "NaN": (float("nan"), ValueError, r"got step=nan"),
    "str": ("1", TypeError, r"positive real number; got str '1'"),
    "None": (None, TypeError, r"got NoneType None"),
    "bool": (True, TypeError, r"got bool True"),
}


@pytest.mark.parametrize("penalty", [L2(1.0), L1(1.0), ElasticNet(1.0, 0.5), NoPenalty()], ids=repr)
@pytest.mark.parametrize("kind", sorted(BAD_STEPS))
def test_bad_prox_step(penalty, kind):
    value, error, shown = BAD_STEPS[kind]
    check_error(lambda: penalty.prox(W, value), error, "step", shown)


@pytest.mark.parametrize(
    "name, error, shown",
    [("l3", ValueError, r"one of 'l2', 'l1', 'elasticnet', 'none'; got penalty='l3'"),
     ("", ValueError, r"got penalty=''"),
     (2, TypeError, r"got int 2"),
     (["l1"], TypeError, r"got list \['l1'\]")],
)
def test_make_penalty_rejects_unknown_names(name, error, shown):
    check_error(lambda: make_penalty(name, 1.0), error, "penalty", shown)


# ---------------------------------------------------------------------------
# Data: X, y, labels and b for every loss
# ---------------------------------------------------------------------------

BAD_X = {
    "1-D": (np.ones(4), ValueError, r"2-D array .*got an array of shape \(4,\)"),
    "3-D": (np.ones((4, 3, 1)), ValueError, r"2-D array .*got an array of shape \(4, 3, 1\)"),
    "NaN": (np.where(X == 2.0, np.nan, X), ValueError, r"finite numbers; got 2 NaN or infinite .*\(4, 3\)"),
    "inf": (np.where(X == -1.0, np.inf, X), ValueError, r"finite numbers; got 2 NaN or infinite"),
    "no rows": (np.ones((0, 3)), ValueError, r"at least one row and one column; got shape \(0, 3\)"),
    "no columns": (np.ones((4, 0)), ValueError, r"at least one row and one column; got shape \(4, 0\)"),
    "str": ("X", TypeError, r"numeric array; got str 'X'"),
    "None": (None, TypeError, r"numeric array; got NoneType None"),
    "complex": (X + 1j, TypeError, r"real-valued"),
    "object array": (X.astype(object), TypeError, r"numeric array; got array .*dtype object"),
    "ragged": ([[1.0, 2.0, 3.0], [1.0]], TypeError, r"numeric array; got list"),
}

BAD_Y = {
    "2-D column": (Y[:, None], ValueError, r"1-D array of shape \(4,\); got an array of shape \(4, 1\) .*ravel"),
    "too short": (Y[:3], ValueError, r"one entry per row of X: expected length 4, got length 3"),
    "too long": (np.append(Y, 0.0), ValueError, r"expected length 4, got length 5"),
    "length one": (Y[:1], ValueError, r"expected length 4, got length 1"),  # would broadcast
    "empty": (np.array([]), ValueError, r"expected length 4, got length 0"),
    "NaN": (np.array([0.0, np.nan, 1.0, 0.0]), ValueError, r"finite numbers; got 1 NaN"),
    "str": ("0101", TypeError, r"numeric array; got str '0101'"),
    "None": (None, TypeError, r"numeric array; got NoneType None"),
    "complex": (Y + 0j, TypeError, r"real-valued"),
}

BAD_LABELS = {
    "two": (np.array([0.0, 2.0, 1.0, 0.0]), r"only the labels 0 and 1; got values \{0, 1, 2\}"),
    "minus one": (np.array([-1.0, 1.0, 1.0, -1.0]), r"only the labels 0 and 1; got values \{-1, 1\}"),
    "probabilities": (np.array([0.0, 0.5, 1.0, 0.2]), r"only the labels 0 and 1; got values \{0, 0\.2, 0\.5, 1\}"),
}

BAD_B = {
    "vector": (np.zeros(4), TypeError, r"single real number .*got array of shape \(4,\)"),  # would broadcast
    "list": ([0.0], TypeError, r"single real number .*got list \[0\.0\]"),
    "NaN": (float("nan"), ValueError, r"finite number; got b=nan"),
    "inf": (float("inf"), ValueError, r"finite number; got b=inf"),
    "str": ("0", TypeError, r"got str '0'"),
    "None": (None, TypeError, r"got NoneType None"),
    "bool": (True, TypeError, r"got bool True"),
    "complex": (1j, TypeError, r"got complex 1j"),
}

LOSSES = {
    "squared_loss": (squared_loss, Y),
    "squared_loss_gradient": (squared_loss_gradient, Y),
    "log_loss": (log_loss, LABELS),
    "log_loss_gradient": (log_loss_gradient, LABELS),
}


@pytest.mark.parametrize("loss", sorted(LOSSES))
@pytest.mark.parametrize("kind", sorted(BAD_X))
def test_bad_X(loss, kind):
    function, y = LOSSES[loss]
    value, error, shown = BAD_X[kind]
    check_error(lambda: function(value, y, W, 0.0), error, "X", shown)


@pytest.mark.parametrize("loss", sorted(LOSSES))
@pytest.mark.parametrize("kind", sorted(BAD_Y))
def test_bad_y(loss, kind):
    function, _ = LOSSES[loss]
    value, error, shown = BAD_Y[kind]  # shape, type and finiteness are checked before labels
    check_error(lambda: function(X, value, W, 0.0), error, "y", shown)


@pytest.mark.parametrize("loss", ["log_loss", "log_loss_gradient"])
@pytest.mark.parametrize("kind", sorted(BAD_LABELS))
def test_bad_labels(loss, kind):
    function, _ = LOSSES[loss]
    value, shown = BAD_LABELS[kind]
    check_error(lambda: function(X, value, W, 0.0), ValueError, "y", shown)


@pytest.mark.parametrize("loss", sorted(LOSSES))
@pytest.mark.parametrize("kind", sorted(BAD_B))
def test_bad_intercept(loss, kind):
    function, y = LOSSES[loss]
    value, error, shown = BAD_B[kind]
    check_error(lambda: function(X, y, W, value), error, "b", shown)


@pytest.mark.parametrize("loss", sorted(LOSSES))
@pytest.mark.parametrize("w", [W[:2], np.append(W, 1.0), W[:1]], ids=["short", "long", "length one"])
def test_w_must_match_the_columns_of_X(loss, w):
    # No silent broadcasting: a length-1 w would broadcast in X * w, a long one could be cut.
    function, y = LOSSES[loss]
    check_error(lambda: function(X, y, w, 0.0), ValueError, "w", rf"must have length 3; got length {w.size}")


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_losses_accept_good_input_of_other_types(loss):
    # lists, ints and numpy scalars are fine, and give the same answer as float arrays
    function, y = LOSSES[loss]
    a = function(X, y, W, 0.0)
    b = function(X.tolist(), y.tolist(), W.tolist(), np.float32(0.0))
    np.testing.assert_allclose(a[0] if isinstance(a, tuple) else a, b[0] if isinstance(b, tuple) else b)
    function(X.astype(int), y, W, 0)


@pytest.mark.parametrize(
    "value, shown",
    [("z", r"got str 'z'"), (None, r"got NoneType None"), (1j, r"dtype complex128"),
     (np.array([0.0, "a"], dtype=object), r"dtype object"), ([1.0, 2j], r"dtype complex128")],
)
def test_sigmoid_rejects_non_numbers(value, shown):
    check_error(lambda: sigmoid(value), TypeError, "z", shown)


def test_sigmoid_is_elementwise_on_any_shape():
    z = np.array([[0.0, np.inf], [-np.inf, np.nan]])
    out = sigmoid(z)
    assert out.shape == (2, 2)
    np.testing.assert_array_equal(out[0], [0.5, 1.0])
    assert out[1, 0] == 0.0 and np.isnan(out[1, 1])  # NaN propagates, as in any ufunc


# ---------------------------------------------------------------------------
# The checkers themselves (used by every module)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, error, name, shown",
    [
        (lambda: V.as_vector([1.0, 2.0], "w", size=3), ValueError, "w", r"length 3; got length 2"),
        (lambda: V.as_vector([], "w", allow_empty=True), None, "w", ""),
        (lambda: V.as_matrix(X, "X", n_columns=2), ValueError, "X", r"2 columns; got shape \(4, 3\)"),
        (lambda: V.as_data(X, Y, X_name="A", y_name="t"), None, "", ""),
        (lambda: V.as_data(X, Y[:2], X_name="A", y_name="t"), ValueError, "t", r"one entry per row of A"),
        (lambda: V.as_labels([0, 1, 3], "labels"), ValueError, "labels", r"got values \{0, 1, 3\}"),
        (lambda: V.as_labels([0, 1], "labels", n=3), ValueError, "labels", r"length 3; got length 2"),
        (lambda: V.check_rate(-1, "alpha"), ValueError, "alpha", r"got alpha=-1"),
        (lambda: V.check_fraction(2, "share"), ValueError, "share", r"got share=2"),
        (lambda: V.check_positive_int(0, "max_iter"), ValueError, "max_iter", r"got max_iter=0"),
        (lambda: V.check_positive_int(2.5, "max_iter"), TypeError, "max_iter", r"got float 2\.5"),
        (lambda: V.check_positive_int(True, "max_iter"), TypeError, "max_iter", r"got bool True"),
        (lambda: V.check_positive_int("3", "max_iter"), TypeError, "max_iter", r"got str '3'"),
        (lambda: V.check_positive_int(3, "degree", minimum=5), ValueError, "degree", r">= 5; got degree=3"),
        (lambda: V.check_positive_float(0, "tol"), ValueError, "tol", r"got tol=0"),
        (lambda: V.check_positive_float(None, "tol"), TypeError, "tol", r"got NoneType None"),
        (lambda: V.check_bool(1, "fit_intercept"), TypeError, "fit_intercept", r"True or False; got int 1"),
        (lambda: V.check_bool("yes", "fit_intercept"), TypeError, "fit_intercept", r"got str 'yes'"),
        (lambda: V.check_bool(None, "fit_intercept"), TypeError, "fit_intercept", r"got NoneType None"),
    ],
)
def test_checkers(call, error, name, shown):
    if error is None:
        call()
    else:
        check_error(call, error, name, shown)


def test_checkers_return_clean_copies():
    data = [1, 2, 3]
    arr = np.array([1.0, 2.0])
    out = V.as_vector(arr, "w")
    out[0] = 99.0
    assert arr[0] == 1.0  # a copy, so callers' arrays are never changed
    assert V.as_vector(data, "w").dtype == np.float64
    assert V.as_labels([True, False], "y").tolist() == [1.0, 0.0]
    assert V.check_rate(np.int64(3)) == 3.0 and type(V.check_rate(np.int64(3))) is float
    assert V.check_positive_int(np.int64(4), "n") == 4 and V.check_bool(np.bool_(True), "b") is True


def test_zero_rate_warning_is_opt_in():
    with pytest.warns(RuntimeWarning, match="rate=0 means no regularization"):
        V.check_rate(0.0, warn_zero=True)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert V.check_rate(0.0) == 0.0

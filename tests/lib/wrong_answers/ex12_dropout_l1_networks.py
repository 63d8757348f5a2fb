"""Typical wrong (and some unusual but right) answers to exercise 12_dropout_l1_networks.

Each ``@wrong(task, expect)`` function is an answer a learner might write; ``check`` must
reject it and its summary or hint must contain ``expect``.  ``@right(task)`` answers are
correct in an unusual way and must pass.  For value tasks the function returns the answer.
"""

import numpy as np
from _corpus import new_corpus

from course_lib.checks.ex12_dropout_l1_networks import l1_network

CORPUS, wrong, right = new_corpus()  # (task, expected hint substring or None, answer)


# -- dropout_forward -------------------------------------------------------------


@wrong("dropout_forward", "You forgot 1/(1 − p)")
def dropout_unscaled(a, p, u, training=True):
    if not training:
        return a
    return np.where(u >= p, a, 0.0)


@wrong("dropout_forward", "keep probability as the drop probability")
def dropout_keep_as_drop(a, p, u, training=True):
    if not training:
        return a
    return np.where(u < p, a / (1 - p), 0.0)


@wrong("dropout_forward", "You dropped at eval")
def dropout_always(a, p, u, training=True):
    return np.where(u >= p, a / (1 - p), 0.0)


@wrong("dropout_forward", "do not multiply")
def dropout_times_keep(a, p, u, training=True):
    if not training:
        return a
    return a * (u >= p) * (1 - p)


@wrong("dropout_forward", "scales during training only")
def dropout_scales_eval(a, p, u, training=True):
    if not training:
        return a * (1 - p)
    return np.where(u >= p, a / (1 - p), 0.0)


@wrong("dropout_forward", "u >= p (not u > p)")
def dropout_strict(a, p, u, training=True):
    if not training:
        return a
    return np.where(u > p, a / (1 - p), 0.0)


@wrong("dropout_forward", "changed its input `a` in place")
def dropout_in_place(a, p, u, training=True):
    if training:
        a[u < p] = 0.0
        a /= 1 - p
    return a


@right("dropout_forward")
def dropout_with_a_mask(a, p, u, training=True):
    mask = (u >= p).astype(float) / (1 - p) if training else np.ones_like(a)
    return a * mask


# -- predict_dropout_mean ---------------------------------------------------------


@wrong("predict_dropout_mean", "scales the kept ones up")
def mean_unscaled():
    return 1.0


@wrong("predict_dropout_mean", "run the cells below")
def mean_doubled():
    return 4.0


@wrong("predict_dropout_mean", "run the cells below")
def mean_zero():
    return 0.0


@wrong("predict_dropout_mean", "instead of a number")
def mean_as_text():
    return "two"


@wrong("predict_dropout_mean", "not yet attempted")
def mean_not_answered():
    return ...


@right("predict_dropout_mean")
def mean_as_int():
    return 2


# -- prox_l1_step -------------------------------------------------------------------


def _shrink(v, t):
    return np.sign(v) * np.maximum(np.abs(v) - t, 0.0)


@wrong("prox_l1_step", "You shrank the biases")
def prox_biases_too(W, b, grad_W, grad_b, lr, rate):
    return _shrink(W - lr * grad_W, lr * rate), _shrink(b - lr * grad_b, lr * rate)


@wrong("prox_l1_step", "by lr·rate")
def prox_threshold_rate(W, b, grad_W, grad_b, lr, rate):
    return _shrink(W - lr * grad_W, rate), b - lr * grad_b


@wrong("prox_l1_step", "First the gradient step")
def prox_threshold_first(W, b, grad_W, grad_b, lr, rate):
    return _shrink(W, lr * rate) - lr * grad_W, b - lr * grad_b


@wrong("prox_l1_step", "subgradient step")
def prox_subgradient(W, b, grad_W, grad_b, lr, rate):
    return W - lr * (grad_W + rate * np.sign(W)), b - lr * grad_b


@wrong("prox_l1_step", "every surviving weight")
def prox_hard_threshold(W, b, grad_W, grad_b, lr, rate):
    v = W - lr * grad_W
    return np.where(np.abs(v) <= lr * rate, 0.0, v), b - lr * grad_b


@wrong("prox_l1_step", "keeps the sign")
def prox_no_sign(W, b, grad_W, grad_b, lr, rate):
    return np.maximum(np.abs(W - lr * grad_W) - lr * rate, 0.0), b - lr * grad_b


@wrong("prox_l1_step", "plain gradient step: b − lr·grad_b")
def prox_biases_frozen(W, b, grad_W, grad_b, lr, rate):
    return _shrink(W - lr * grad_W, lr * rate), b


@right("prox_l1_step")
def prox_with_clip(W, b, grad_W, grad_b, lr, rate):
    v = W - lr * grad_W
    return v - np.clip(v, -lr * rate, lr * rate), b - lr * grad_b


# -- predict_subgradient_zeros ----------------------------------------------------


@wrong("predict_subgradient_zeros", "never stops a weight at 0")
def zeros_same():
    return "a"


@wrong("predict_subgradient_zeros", "let alone more")
def zeros_more():
    return "c"


@wrong("predict_subgradient_zeros", "not one of the choices")
def zeros_as_count():
    return 0


@wrong("predict_subgradient_zeros", "not one of the choices")
def zeros_in_words():
    return "none"


@wrong("predict_subgradient_zeros", "not yet attempted")
def zeros_not_answered():
    return ...


@right("predict_subgradient_zeros")
def zeros_with_spaces():
    return " b"


# -- unused_inputs ------------------------------------------------------------------


def _rows(test):
    W1 = l1_network().params[0]["W"]
    return {int(j) for j in np.flatnonzero(test(W1))}


@wrong("unused_inputs", "Python counts from 0")
def unused_from_one():
    return {j + 1 for j in _rows(lambda W: np.all(W == 0, axis=1))}


@wrong("unused_inputs", "still uses")
def unused_the_used_ones():
    return _rows(lambda W: np.all(W != 0, axis=1))


@wrong("unused_inputs", "hidden units")
def unused_columns():
    W1 = l1_network().params[0]["W"]
    return {int(j) for j in np.flatnonzero(np.all(W1 == 0, axis=0))}


@wrong("unused_inputs", "exactly 0")
def unused_small_but_not_zero():
    return _rows(lambda W: np.abs(W).sum(axis=1) < 0.05)


@wrong("unused_inputs", "boolean mask")
def unused_as_mask():
    W1 = l1_network().params[0]["W"]
    return np.all(W1 == 0, axis=1)


@right("unused_inputs")
def unused_as_list():
    return sorted(_rows(lambda W: ~np.any(W, axis=1)))

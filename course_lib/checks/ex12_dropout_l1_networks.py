"""Checks for exercise 12_dropout_l1_networks: inverted dropout, one proximal L1 step on a layer, and
which inputs an L1-trained network stopped using.

Conventions checked: dropout keeps an entry when its uniform draw ``u`` satisfies ``u >= p`` (so it
drops with probability ``p``, as :func:`course_lib.dropout.dropout_mask` does), scales the kept ones
by ``1/(1 − p)``, and changes nothing at evaluation; the proximal L1 step is a gradient step on the
data loss for weights and biases, then soft-thresholding of the weights only by ``lr·rate``
(:func:`course_lib.penalties.soft_threshold`).
"""

from __future__ import annotations

import numpy as np

from ..data import make_wide_classification
from ..mlp import train_mlp
from ..penalties import soft_threshold
from .ex08_neural_networks import StructuredTask
from .framework import Case, FunctionTask, PredictionTask, ValueTask, WrittenTask, matches

EXERCISE = "ex12_dropout_l1_networks"


# ---------------------------------------------------------------------------
# Task: inverted dropout, forward
# ---------------------------------------------------------------------------


def dropout_forward(a, p, u, training=True):
    """Inverted dropout of ``a`` given uniform draws ``u``: ``a/(1 − p)`` where ``u >= p``, else 0; ``a`` at eval."""
    a, u = np.asarray(a, dtype=float), np.asarray(u, dtype=float)
    if not training:
        return a.copy()
    return np.where(u >= p, a / (1.0 - p), 0.0)


def _dropout_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(1201) if rng is None else rng
    a = np.round(rng.normal(size=(4, 5)), 3)
    u = np.round(rng.uniform(size=(4, 5)), 3)
    a_big, u_big = np.round(rng.normal(size=(6, 8)), 3), np.round(rng.uniform(size=(6, 8)), 3)
    return [
        Case("one row, p=0.5", (np.array([[2.0, -1.0, 4.0, 0.5]]), 0.5, np.array([[0.9, 0.2, 0.5, 0.7]]))),
        Case("a batch of 4 rows, p=0.2", (a, 0.2, u)),
        Case("p=0 (nothing dropped)", (a, 0.0, u)),
        Case("high p=0.8", (a_big, 0.8, u_big)),
        Case("evaluation (training=False), p=0.5", (a, 0.5, u), {"training": False}),
        Case("evaluation (training=False), p=0.8", (a_big, 0.8, u_big), {"training": False}),
        Case("a draw equal to p is kept (u >= p), p=0.25",
             (np.array([[1.0, 2.0, 3.0]]), 0.25, np.array([[0.25, 0.1, 0.6]]))),
    ]


def _dropout_variant(kind):
    def variant(a, p, u, training=True):
        a, u = np.asarray(a, dtype=float), np.asarray(u, dtype=float)
        if kind == "no scaling":
            return np.where(u >= p, a, 0.0) if training else a.copy()
        if kind == "swapped":
            return np.where(u < p, a / (1.0 - p), 0.0) if training else a.copy()
        if kind == "swapped scale":
            return np.where(u < p, a / p, 0.0) if training else a.copy()
        if kind == "times keep":
            return np.where(u >= p, a * (1.0 - p), 0.0) if training else a.copy()
        if kind == "dropped at eval":
            return np.where(u >= p, a / (1.0 - p), 0.0)
        if kind == "scaled at eval":
            return np.where(u >= p, a / (1.0 - p), 0.0) if training else a * (1.0 - p)
        if kind == "strict":
            return np.where(u > p, a / (1.0 - p), 0.0) if training else a.copy()
        raise ValueError(kind)

    return variant


_DROPOUT_MISTAKES = [
    matches(_dropout_variant("dropped at eval"), "units were dropped at evaluation time (training=False)",
            "You dropped at eval: with training=False dropout does nothing and returns a unchanged — the whole "
            "network is used to predict."),
    matches(_dropout_variant("no scaling"), "the kept entries were not scaled",
            "You forgot 1/(1 − p): divide the kept entries by 1 − p, so that each entry keeps its average, "
            "(1 − p)·a/(1 − p) + p·0 = a, and the next layer sees the same average input as at evaluation."),
    matches(_dropout_variant("times keep"), "the kept entries were multiplied by 1 − p instead of divided",
            "Divide by 1 − p (scale the survivors up), do not multiply: the average must stay a."),
    matches(_dropout_variant("swapped"), "the keep probability was used as the drop probability",
            "You used the keep probability as the drop probability: p is the chance of *dropping* an entry, so "
            "keep it where u >= p (probability 1 − p), not where u < p."),
    matches(_dropout_variant("swapped scale"), "entries were kept with probability p and scaled by 1/p",
            "p is the chance of dropping: keep where u >= p and scale by 1/(1 − p)."),
    matches(_dropout_variant("scaled at eval"), "the activations were scaled at evaluation time",
            "Inverted dropout scales during training only; at evaluation return a unchanged."),
    matches(_dropout_variant("strict"), "an entry whose draw equals p was dropped",
            "Keep an entry when u >= p (not u > p): then it is dropped with probability exactly p."),
]


# ---------------------------------------------------------------------------
# Task: one proximal L1 step on a layer
# ---------------------------------------------------------------------------


def prox_l1_step(W, b, grad_W, grad_b, lr, rate):
    """Gradient step on ``W`` and ``b``, then soft-threshold ``W`` (not ``b``) by ``lr·rate``."""
    W, grad_W = np.asarray(W, dtype=float), np.asarray(grad_W, dtype=float)
    stepped = W - lr * grad_W
    W_new = soft_threshold(stepped.ravel(), lr * rate).reshape(W.shape)
    return W_new, np.asarray(b, dtype=float) - lr * np.asarray(grad_b, dtype=float)


def _prox_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(1202) if rng is None else rng

    def layer(fan_in, fan_out, scale=1.0):
        return (np.round(scale * rng.normal(size=(fan_in, fan_out)), 3), np.round(rng.normal(size=fan_out), 3),
                np.round(rng.normal(size=(fan_in, fan_out)), 3), np.round(rng.normal(size=fan_out), 3))

    return [
        Case("a 2x2 layer by hand, lr=0.5, rate=0.2",
             (np.array([[0.3, -0.05], [1.0, 0.0]]), np.array([0.1, -0.1]), np.array([[0.2, 0.1], [0.0, 0.3]]),
              np.array([0.4, -0.2]), 0.5, 0.2)),
        Case("a 3x4 layer, lr=0.1, rate=0.5", (*layer(3, 4), 0.1, 0.5)),
        Case("rate=0 (a plain gradient step)", (*layer(3, 4), 0.1, 0.0)),
        Case("small weights, most become 0: lr=0.5, rate=1", (*layer(5, 3, scale=0.1), 0.5, 1.0)),
        Case("large weights, none becomes 0: lr=0.01, rate=0.1", (*layer(4, 2, scale=10.0), 0.01, 0.1)),
        Case("an output layer 6x1, lr=0.2, rate=0.3", (*layer(6, 1), 0.2, 0.3)),
    ]


def _prox_variant(kind):
    def variant(W, b, grad_W, grad_b, lr, rate):
        W, b = np.asarray(W, float), np.asarray(b, float)
        grad_W, grad_b = np.asarray(grad_W, float), np.asarray(grad_b, float)
        stepped, b_new = W - lr * grad_W, b - lr * grad_b

        def shrink(v, t):
            return np.sign(v) * np.maximum(np.abs(v) - t, 0.0)

        if kind == "biases shrunk":
            return shrink(stepped, lr * rate), shrink(b_new, lr * rate)
        if kind == "threshold rate":
            return shrink(stepped, rate), b_new
        if kind == "threshold first":
            return shrink(W, lr * rate) - lr * grad_W, b_new
        if kind == "subgradient":
            return W - lr * (grad_W + rate * np.sign(W)), b_new
        if kind == "hard":
            return np.where(np.abs(stepped) <= lr * rate, 0.0, stepped), b_new
        if kind == "no sign":
            return np.maximum(np.abs(stepped) - lr * rate, 0.0), b_new
        if kind == "biases frozen":
            return shrink(stepped, lr * rate), b
        raise ValueError(kind)

    return variant


_PROX_MISTAKES = [
    matches(_prox_variant("biases shrunk"), "the biases were soft-thresholded too",
            "You shrank the biases: the L1 penalty is on the weights only. Take the plain gradient step on b, "
            "and soft-threshold W alone."),
    matches(_prox_variant("threshold rate"), "the threshold was rate instead of lr·rate",
            "The proximal step of a step size lr soft-thresholds by lr·rate: the penalty's pull per step scales "
            "with the step."),
    matches(_prox_variant("threshold first"), "the weights were thresholded before the gradient step",
            "First the gradient step on the data loss, W − lr·grad_W, then soft-threshold the result."),
    matches(_prox_variant("subgradient"), "the subgradient rate·sign(W) was added instead of soft-thresholding",
            "That is the subgradient step: it moves a small weight by lr·rate across 0 instead of stopping at 0, "
            "so no weight becomes exactly 0. Soft-threshold the gradient step instead."),
    matches(_prox_variant("hard"), "small weights were set to 0 but the others were not shrunk",
            "Soft-thresholding also moves every surviving weight lr·rate towards 0: "
            "sign(v)·max(|v| − lr·rate, 0)."),
    matches(_prox_variant("no sign"), "the sign of the weights was lost",
            "Multiply by np.sign(v): soft-thresholding shrinks |v| and keeps the sign."),
    matches(_prox_variant("biases frozen"), "the biases were not updated",
            "The biases take their plain gradient step: b − lr·grad_b."),
]


# ---------------------------------------------------------------------------
# Value task: which inputs did the L1 network stop using?
# ---------------------------------------------------------------------------

L1_NETWORK = {"hidden": (16,), "optimizer": "sgd", "lr": 0.5, "penalty": "l1", "rate": 0.016, "epochs": 2000,
              "seed": 0}


def l1_data():
    """300 rows of 10 inputs; the labels depend on inputs 0, 1 and 2 only: ``X, y``."""
    X, y, _ = make_wide_classification(300, n_features=10, n_informative=3, seed=8)
    return X, y


_L1: dict = {}


def l1_network():
    """The network of the task, trained with the proximal L1 step (cached)."""
    if not _L1:
        X, y = l1_data()
        _L1["net"] = train_mlp(X, y, **L1_NETWORK)
    return _L1["net"]


def _unused_expected():
    W1 = l1_network().params[0]["W"]
    return set(int(j) for j in np.flatnonzero(np.all(W1 == 0.0, axis=1)))


def _unused_hint(got, expected):
    if got == {j + 1 for j in expected}:
        return "Python counts from 0: input j is row j of the first layer's W."
    W1 = l1_network().params[0]["W"]
    if got == set(int(j) for j in np.flatnonzero(np.all(W1 != 0.0, axis=1))):
        return "Those are the inputs the network still uses; the question asks for the ones it stopped using."
    if got == set(int(j) for j in np.flatnonzero(np.all(W1 == 0.0, axis=0))):
        return ("Those are hidden units with no incoming weight (columns of W); an input is a row of the first "
                "layer's W, of shape (inputs, hidden units).")
    return "An input is unused when its whole row of the first layer's W is exactly 0: np.all(W == 0, axis=1)."


# ---------------------------------------------------------------------------
# Tasks
# ---------------------------------------------------------------------------

TASKS = [
    FunctionTask(
        "dropout_forward", EXERCISE,
        reference=dropout_forward, cases=_dropout_cases, points=2,
        signature="dropout_forward(a, p, u, training=True)",
        description="inverted dropout: keep where u >= p and scale by 1/(1 − p); nothing at evaluation",
        mistakes=_DROPOUT_MISTAKES,
    ),
    PredictionTask(
        "predict_dropout_mean", EXERCISE, answer=2.0, tolerance=0.05, points=1,
        description="the average output of inverted dropout with p=0.5 for an activation of 2",
        explanation="Half the time the unit gives 2/(1 − 0.5) = 4, half the time 0: on average 2, its value "
                    "without dropout.",
        hint=lambda got, expected: ("That is the average without the 1/(1 − p) scaling: the kept half gives 2, "
                                    "the dropped half 0. Inverted dropout scales the kept ones up."
                                    if abs(got - 1.0) < 0.05 else None),
    ),
    StructuredTask(
        "prox_l1_step", EXERCISE,
        reference=prox_l1_step, cases=_prox_cases, points=2,
        layout="the pair (W, b) of new arrays",
        leaf_names=lambda path: ("the new W", "the new b")[path[0]],
        signature="prox_l1_step(W, b, grad_W, grad_b, lr, rate)",
        description="a gradient step on W and b, then soft-threshold W (only) by lr·rate",
        mistakes=_PROX_MISTAKES,
    ),
    PredictionTask(
        "predict_subgradient_zeros", EXERCISE, answer="b", points=1,
        description="how many weights the subgradient step leaves at exactly 0",
        choices={
            "a": "The subgradient step never stops a weight at 0: each step moves it by lr·rate·sign(w), across 0 "
                 "and back. Only the proximal step sets weights to 0.",
            "b": "None: rate·sign(w) moves a small weight by lr·rate at every step, across 0 and back, so it "
                 "hovers near 0 without ever being 0. The proximal step stops it at 0.",
            "c": "The subgradient step makes no weight exactly 0, let alone more: it jumps across 0 instead of "
                 "stopping there.",
        },
    ),
    ValueTask(
        "unused_inputs", EXERCISE,
        expected=_unused_expected, points=1,
        description="the inputs (rows of the first layer) whose weights are all exactly 0 after L1 training",
        hint=_unused_hint,
    ),
    WrittenTask(
        "explain_dropout_scaling", EXERCISE, points=2,
        description="why inverted dropout divides by 1 − p in training, and what would go wrong without it",
    ),
]

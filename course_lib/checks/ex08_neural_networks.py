"""Checks for exercise 08_neural_networks: L2 on weights only, Adam + L2 versus AdamW.

Conventions checked: a network's parameters are a list of ``(W, b)`` pairs, one per layer; the L2
penalty ``rate/2·Σ_l ||W_l||²`` adds ``rate·W`` to each weight gradient and nothing to the bias
gradients.  The Adam steps follow :mod:`course_lib.optimizers` (PyTorch's documented updates):
Adam + L2 adds ``l2·θ`` to the gradient before the moments; AdamW multiplies ``θ`` by
``1 − lr·weight_decay`` and takes the Adam step on the raw gradient.  ``t`` is the number of the
step being taken (1 for the first).

Answers here are structures of arrays (pairs per layer, or ``(param, m, v)``), so the tasks use
:class:`StructuredTask`, a :class:`~course_lib.checks.framework.FunctionTask` whose answer form and
comparison work on nested lists/tuples of arrays.
"""

from __future__ import annotations

import numpy as np

from ..data import make_classification_2d
from ..mlp import train_mlp
from ..model_selection import mean_log_loss
from ..optimizers import AdamState, adam_step, adamw_step
from .framework import (
    Case,
    FunctionTask,
    Problem,
    ValueTask,
    allclose,
    matches,
    returned_none,
)
from .framework import _array_form, _describe  # shared answer-form helpers

EXERCISE = "ex08_neural_networks"


# ---------------------------------------------------------------------------
# Answers that are nested lists/tuples of arrays
# ---------------------------------------------------------------------------


def nested_allclose(rtol: float = 1e-7, atol: float = 1e-12):
    """:func:`allclose` applied leaf by leaf to nested lists/tuples of arrays of the same layout."""
    leaf = allclose(rtol, atol)

    def close(got, expected) -> bool:
        if isinstance(expected, (list, tuple)):
            return (isinstance(got, (list, tuple)) and len(got) == len(expected)
                    and all(close(g, e) for g, e in zip(got, expected)))
        return leaf(got, expected)

    return close


class StructuredTask(FunctionTask):
    """A function task whose answer is a fixed layout of arrays.

    Parameters
    ----------
    layout : str
        How the answer is described to the learner, e.g. ``"a list of (grad_W, grad_b) pairs, one per
        layer"``.
    leaf_names : callable
        ``leaf_names(path) -> str``: the learner's name for the array at ``path`` (a tuple of
        indices), e.g. ``"grad_W of layer 0"``.
    Other parameters as for :class:`FunctionTask` (``output`` is not used).
    """

    def __init__(self, name, exercise, *, layout, leaf_names, inner_hint=None, compare=None, **kwargs):
        super().__init__(name, exercise, output="array", compare=compare or nested_allclose(), **kwargs)
        self.layout = layout
        self.leaf_names = leaf_names
        self.inner_hint = inner_hint

    def _form(self, got, expected):
        if got is None:
            return returned_none()
        return self._form_at(got, expected, ())

    def _form_at(self, got, expected, path):
        if isinstance(expected, (list, tuple)):
            where = "your answer" if not path else self.leaf_names(path)
            if isinstance(got, np.ndarray) or not isinstance(got, (list, tuple)):
                return Problem(
                    f"{where} is {_describe(got)}, not {self.layout if not path else 'a pair'}",
                    (self.inner_hint if path and self.inner_hint else f"Return {self.layout}."),
                )
            if len(got) != len(expected):
                return Problem(
                    f"{where} has {len(got)} entries instead of {len(expected)}",
                    f"Return {self.layout}.",
                )
            formed = []
            for i, (g, e) in enumerate(zip(got, expected)):
                value = self._form_at(g, e, path + (i,))
                if isinstance(value, Problem):
                    return value
                formed.append(value)
            return type(expected)(formed)
        value = _array_form(got, np.asarray(expected), self.nan_hint, allclose())
        if isinstance(value, Problem):
            return Problem(f"for {self.leaf_names(path)}, {value.summary.removeprefix('your function ')}",
                           value.hint)
        return value


# ---------------------------------------------------------------------------
# Task 1: the L2 term in a network's gradients
# ---------------------------------------------------------------------------


def add_l2_to_gradients(grads, params, rate):
    """Gradients of ``loss + rate/2·Σ||W_l||²`` from those of ``loss``: ``rate·W`` added to weights only."""
    return [(np.asarray(gW, dtype=float) + rate * np.asarray(W, dtype=float), np.array(gb, dtype=float))
            for (gW, gb), (W, _) in zip(grads, params)]


def _network(rng, sizes, *, zero=False):
    params, grads = [], []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        W = np.zeros((fan_in, fan_out)) if zero else np.round(rng.normal(size=(fan_in, fan_out)), 3)
        params.append((W, np.round(rng.normal(size=fan_out), 3)))
        grads.append((np.round(rng.normal(size=(fan_in, fan_out)), 3), np.round(rng.normal(size=fan_out), 3)))
    return grads, params


def _l2_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(801) if rng is None else rng
    small = _network(rng, [2, 3, 1])
    deep = _network(rng, [3, 4, 2, 1])
    single = _network(rng, [2, 1])
    zeros = _network(rng, [2, 3, 1], zero=True)
    wide = _network(rng, [2, 8, 1])
    return [
        Case("one hidden layer [2, 3, 1], rate=0.5", (*small, 0.5)),
        Case("rate=0 (nothing changes)", (*small, 0.0)),
        Case("two hidden layers [3, 4, 2, 1], rate=0.1", (*deep, 0.1)),
        Case("a single layer [2, 1] (logistic regression), rate=2", (*single, 2.0)),
        Case("all weights zero (biases not), rate=1", (*zeros, 1.0)),
        Case("large rate=100, layers [2, 8, 1]", (*wide, 100.0)),
    ]


def _l2_variant(kind):
    def variant(grads, params, rate):
        out = []
        for (gW, gb), (W, b) in zip(grads, params):
            if kind == "biases too":
                out.append((gW + rate * W, gb + rate * b))
            elif kind == "half":
                out.append((gW + rate / 2 * W, gb))
            elif kind == "double":
                out.append((gW + 2 * rate * W, gb))
            elif kind == "minus":
                out.append((gW - rate * W, gb))
            elif kind == "sign":
                out.append((gW + rate * np.sign(W), gb))
            elif kind == "no rate":
                out.append((gW + W, gb))
            elif kind == "replaced":
                out.append((rate * W, gb))
            elif kind == "squared":
                out.append((gW + rate / 2 * W**2, gb))
            elif kind == "zero biases":
                out.append((gW + rate * W, np.zeros_like(gb)))
            else:
                raise ValueError(kind)
        return out

    return variant


def _l2_leaf_names(path):
    if len(path) == 1:
        return f"the entry for layer {path[0]}"
    return f"{('grad_W', 'grad_b')[path[1]]} of layer {path[0]}"


# ---------------------------------------------------------------------------
# Tasks 2-3: one Adam + L2 step and one AdamW step, with explicit moments
# ---------------------------------------------------------------------------


def adam_l2_update(param, grad, m, v, t, lr, l2, beta1=0.9, beta2=0.999, eps=1e-8):
    """Step ``t`` (1 for the first) of Adam with ``l2·param`` added to the gradient: ``(param, m, v)``."""
    state = AdamState(np.array(m, dtype=float), np.array(v, dtype=float), int(t) - 1)
    new = adam_step(param, grad, state, lr, beta1, beta2, eps, l2=l2)
    return new, state.m, state.v


def adamw_update(param, grad, m, v, t, lr, weight_decay, beta1=0.9, beta2=0.999, eps=1e-8):
    """Step ``t`` (1 for the first) of AdamW, decay ``(1 − lr·weight_decay)`` outside the moments."""
    state = AdamState(np.array(m, dtype=float), np.array(v, dtype=float), int(t) - 1)
    new = adamw_step(param, grad, state, lr, beta1, beta2, eps, weight_decay=weight_decay)
    return new, state.m, state.v


def _adam_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(802) if rng is None else rng
    theta = np.round(rng.normal(size=3), 3)
    g = np.round(rng.normal(size=3), 3)
    theta5, g5 = np.round(rng.normal(size=5), 3), np.round(rng.normal(size=5), 3)
    m5, v5 = np.round(0.3 * rng.normal(size=5), 4), np.round(rng.uniform(0.05, 1.0, size=5), 4)
    theta_m, g_m = np.round(rng.normal(size=(3, 2)), 3), np.round(rng.normal(size=(3, 2)), 3)
    m_m, v_m = np.round(0.2 * rng.normal(size=(3, 2)), 4), np.round(rng.uniform(0.01, 0.5, size=(3, 2)), 4)
    z3 = np.zeros(3)
    return [
        Case("first step (t=1, m = v = 0), lr=0.1, strength 0.5", (theta, g, z3, z3, 1, 0.1, 0.5)),
        Case("zero data gradient, first step, lr=0.01, strength 0.1",
             (np.array([2.0, 0.2, 0.002]), z3, z3, z3, 1, 0.01, 0.1)),
        Case("step t=10 with earlier moments, lr=0.01, strength 0.3", (theta5, g5, m5, v5, 10, 0.01, 0.3)),
        Case("strength 0 (plain Adam), t=10", (theta5, g5, m5, v5, 10, 0.01, 0.0)),
        Case("a weight matrix of shape (3, 2), t=4, lr=0.05, strength 1", (theta_m, g_m, m_m, v_m, 4, 0.05, 1.0)),
        Case("large eps=0.1, t=3, lr=0.1, strength 0.2", (theta5, g5, m5, v5, 3, 0.1, 0.2), {"eps": 0.1}),
        Case("other betas: beta1=0.5, beta2=0.9, t=2, lr=0.1, strength 0.2", (theta5, g5, m5, v5, 2, 0.1, 0.2),
             {"beta1": 0.5, "beta2": 0.9}),
    ]


def _adam_pieces(grad, m, v, t, beta1, beta2, eps, *, correct=True, eps_inside=False):
    m = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * grad
    v = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * grad * grad
    m_hat, v_hat = (m / (1 - beta1**t), v / (1 - beta2**t)) if correct else (m, v)
    direction = m_hat / np.sqrt(v_hat + eps) if eps_inside else m_hat / (np.sqrt(v_hat) + eps)
    return direction, m, v


def _adam_variant(decoupled_reference, kind):
    """A wrong Adam + L2 (``decoupled_reference=False``) or AdamW (``True``) step."""

    def step(param, grad, m, v, t, lr, strength, beta1=0.9, beta2=0.999, eps=1e-8):
        param, grad = np.asarray(param, dtype=float), np.asarray(grad, dtype=float)
        if kind == "the other rule":
            other = adam_l2_update if decoupled_reference else adamw_update
            return other(param, grad, m, v, t, lr, strength, beta1, beta2, eps)
        if kind == "default betas":
            ref = adamw_update if decoupled_reference else adam_l2_update
            return ref(param, grad, m, v, t, lr, strength)
        if kind == "swapped betas":
            ref = adamw_update if decoupled_reference else adam_l2_update
            return ref(param, grad, m, v, t, lr, strength, beta2, beta1, eps)
        options = {"correct": kind != "no bias correction", "eps_inside": kind == "eps inside"}
        if decoupled_reference:
            direction, m_new, v_new = _adam_pieces(grad, m, v, t, beta1, beta2, eps, **options)
            if kind == "decay after":
                new = (param - lr * direction) * (1 - lr * strength)
            elif kind == "decay without lr":
                new = param * (1 - strength) - lr * direction
            elif kind == "decay sign":
                new = param * (1 + lr * strength) - lr * direction
            else:
                new = param * (1 - lr * strength) - lr * direction
        else:
            factor = {"half": 0.5, "double": 2.0, "minus": -1.0}.get(kind, 1.0)
            penalized = grad + factor * strength * param
            if kind == "m only":
                m_new = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * penalized
                v_new = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * grad * grad
                direction = (m_new / (1 - beta1**t)) / (np.sqrt(v_new / (1 - beta2**t)) + eps)
            else:
                direction, m_new, v_new = _adam_pieces(penalized, m, v, t, beta1, beta2, eps, **options)
            new = param - lr * direction
        if kind == "old moments":
            return new, np.asarray(m, dtype=float), np.asarray(v, dtype=float)
        return new, m_new, v_new

    return step


def _adam_leaf_names(path):
    return ("the new param", "the new m", "the new v")[path[0]]


_ADAM_NAN = ("A division by zero: the bias corrections divide by 1 − beta1**t and 1 − beta2**t, which are 0 "
             "for t = 0. t is the number of the step being taken (1 for the first step): use it as given.")

_SHARED_ADAM_MISTAKES = [
    ("no bias correction", "the bias corrections are missing",
     "Divide the moments by (1 − beta1**t) and (1 − beta2**t) before the step: m̂ = m/(1 − beta1**t), "
     "v̂ = v/(1 − beta2**t). Without them the first steps are far too small."),
    ("eps inside", "eps was put inside the square root",
     "The step is lr·m̂/(√v̂ + eps): eps is added after the square root."),
    ("old moments", "m and v are returned unchanged",
     "Return the updated moments: m = beta1·m + (1 − beta1)·g and v = beta2·v + (1 − beta2)·g²."),
    ("swapped betas", "beta1 and beta2 are swapped",
     "beta1 (0.9) averages the gradients in m, beta2 (0.999) the squared gradients in v."),
    ("default betas", "the betas (or eps) given as arguments are ignored",
     "Use the beta1, beta2 and eps your function receives, not fixed numbers."),
]


def _adam_mistakes(decoupled, specific):
    mistakes = [matches(_adam_variant(decoupled, kind), summary, hint) for kind, summary, hint in specific]
    mistakes += [matches(_adam_variant(decoupled, kind), summary, hint)
                 for kind, summary, hint in _SHARED_ADAM_MISTAKES]
    return mistakes


_ADAM_L2_MISTAKES = [
    ("the other rule", "the decay was applied to the weights directly (that is AdamW)",
     "In Adam + L2 the penalty's gradient l2·param is added to the data gradient *before* the moments: "
     "g = grad + l2·param, then m, v and the step from that g. Shrinking param by (1 − lr·l2) outside "
     "the moments is AdamW, the next task."),
    ("half", "l2/2·param was added (the penalty's gradient is l2·param)",
     "The gradient of l2/2·||param||² is l2·param: the 2 of the square cancels the ½."),
    ("double", "2·l2·param was added",
     "The gradient of l2/2·||param||² is l2·param, not 2·l2·param."),
    ("minus", "l2·param was subtracted from the gradient",
     "The penalty's gradient is +l2·param: g = grad + l2·param."),
    ("m only", "the L2 term went into m but not into v",
     "Compute g = grad + l2·param once and use that same g in both moments: m from g, v from g²."),
]

_ADAMW_MISTAKES = [
    ("the other rule", "the decay went into the gradient (that is Adam + L2, not AdamW)",
     "AdamW decouples the decay: shrink param by the factor (1 − lr·weight_decay) and take the Adam step "
     "on the raw gradient; m and v never see weight_decay·param. Adding it to the gradient is Adam + L2 "
     "(PyTorch's Adam(weight_decay=...))."),
    ("decay after", "the decay was applied after the Adam step",
     "Both parts act on the current param: param·(1 − lr·weight_decay) − lr·m̂/(√v̂ + eps), not "
     "(param − lr·m̂/(√v̂ + eps))·(1 − lr·weight_decay)."),
    ("decay without lr", "the decay factor misses the learning rate",
     "PyTorch's AdamW multiplies weight_decay by lr: the factor is (1 − lr·weight_decay)."),
    ("decay sign", "the decay has the wrong sign",
     "Decay shrinks the weights: the factor is (1 − lr·weight_decay), smaller than 1."),
]


# ---------------------------------------------------------------------------
# Value tasks
# ---------------------------------------------------------------------------

DECAY_LR, DECAY_WD, DECAY_STEPS = 0.01, 0.5, 400


def _remaining_expected():
    theta, state = np.array([1.0]), AdamState.zeros_like(np.array([1.0]))
    for _ in range(DECAY_STEPS):
        theta = adamw_step(theta, np.zeros(1), state, DECAY_LR, weight_decay=DECAY_WD)
    return float(theta[0])


def _remaining_hint(got, expected):
    close = lambda a, b: abs(a - b) <= 1e-6 * max(abs(b), 1e-12)  # noqa: E731
    factor = 1 - DECAY_LR * DECAY_WD
    if close(got, float(np.exp(-DECAY_LR * DECAY_WD * DECAY_STEPS))):
        return ("That is exp(−lr·wd·t), the continuous approximation. AdamW multiplies by exactly "
                "(1 − lr·wd) at every step: the answer is (1 − lr·wd)**t.")
    if close(got, (1 - DECAY_WD) ** DECAY_STEPS):
        return "PyTorch's AdamW multiplies weight_decay by lr: the factor per step is 1 − lr·wd."
    if close(got, 1 - DECAY_LR * DECAY_WD * DECAY_STEPS):
        return "The decay multiplies the weight at every step; it does not subtract a fixed amount."
    if close(got, factor):
        return "That is the factor of one step; the question asks for 400 steps."
    if close(got, 1 - expected):
        return "That is the fraction lost; the question asks for the fraction left."
    return "With a zero gradient the Adam part of the step is 0: only the factor (1 − lr·wd) acts, at every step."


WD_GRID = (0.01, 0.1, 1.0, 3.0, 10.0)
NETWORK = {"hidden": (50,), "optimizer": "adamw", "lr": 0.01, "epochs": 500, "seed": 0}


def network_data():
    """The data of ``best_adamw_weight_decay`` (lesson 08's): ``X, y, X_test, y_test``."""
    X, y = make_classification_2d(30, kind="moons", noise=0.35, seed=2)
    X_test, y_test = make_classification_2d(1000, kind="moons", noise=0.35, seed=99)
    return X, y, X_test, y_test


def _grid_losses():
    X, y, X_test, y_test = network_data()
    train, test = [], []
    for wd in WD_GRID:
        net = train_mlp(X, y, weight_decay=wd, **NETWORK)
        train.append(mean_log_loss(y, net.predict_proba(X)))
        test.append(mean_log_loss(y_test, net.predict_proba(X_test)))
    return np.array(train), np.array(test)


def _best_expected():
    return float(WD_GRID[int(np.argmin(_grid_losses()[1]))])


def _best_hint(got, expected):
    if not any(abs(got - wd) <= 1e-9 * wd for wd in WD_GRID):
        return f"Answer with one of the weight decays tried: {', '.join(f'{wd:g}' for wd in WD_GRID)}."
    train, _ = _grid_losses()
    if abs(got - WD_GRID[int(np.argmin(train))]) <= 1e-12:
        return ("That weight decay has the lowest *training* log-loss — the least regularized network always "
                "does. Compare the log-loss on the test points.")
    return "Train one network per weight decay and compare mean_log_loss(y_test, net.predict_proba(X_test))."


# ---------------------------------------------------------------------------
# Tasks
# ---------------------------------------------------------------------------


TASKS = [
    StructuredTask(
        "add_l2_to_gradients", EXERCISE,
        reference=add_l2_to_gradients, cases=_l2_cases, points=2,
        layout="a list with one (grad_W, grad_b) pair per layer",
        leaf_names=_l2_leaf_names,
        inner_hint=("Each layer's entry is the pair (grad_W, grad_b): return the bias gradient too, "
                    "unchanged, e.g. (grad_W + rate * W, grad_b)."),
        signature="add_l2_to_gradients(grads, params, rate)",
        description="add rate·W to every weight gradient of a network, leave the bias gradients alone",
        mistakes=[
            matches(_l2_variant("biases too"), "the biases are penalized too (rate·b added to grad_b)",
                    "The penalty rate/2·Σ||W_l||² contains the weight matrices only: leave every grad_b as it "
                    "is. Biases shift units rather than sharpen them, and the output bias keeps the base rate."),
            matches(_l2_variant("half"), "rate/2·W was added", "The gradient of rate/2·||W||² is rate·W: "
                    "the 2 of the square cancels the ½."),
            matches(_l2_variant("double"), "2·rate·W was added",
                    "With the ½ in rate/2·||W||², the gradient is rate·W, not 2·rate·W."),
            matches(_l2_variant("minus"), "rate·W was subtracted", "The penalty's gradient is +rate·W."),
            matches(_l2_variant("sign"), "rate·sign(W) was added (the L1 subgradient)",
                    "This is L2: add rate·W, proportional to each weight, not rate·sign(W)."),
            matches(_l2_variant("no rate"), "W was added without the rate", "Multiply by the rate: rate·W."),
            matches(_l2_variant("replaced"), "the data gradient was replaced by rate·W",
                    "Add the penalty's gradient to the data gradient: grad_W + rate·W."),
            matches(_l2_variant("squared"), "the penalty itself (rate/2·W²) was added",
                    "Add the penalty's *gradient* rate·W, not the penalty rate/2·W²."),
            matches(_l2_variant("zero biases"), "the bias gradients were set to 0",
                    "Keep the data gradient of the biases: only the penalty leaves them alone."),
        ],
    ),
    StructuredTask(
        "adam_l2_update", EXERCISE,
        reference=adam_l2_update, cases=_adam_cases, points=2,
        layout="the tuple (param, m, v) of new arrays",
        leaf_names=_adam_leaf_names,
        signature="adam_l2_update(param, grad, m, v, t, lr, l2, beta1=0.9, beta2=0.999, eps=1e-8)",
        description="step t of Adam on grad + l2·param (L2 in the loss): returns (param, m, v)",
        nan_hint=_ADAM_NAN,
        mistakes=_adam_mistakes(False, _ADAM_L2_MISTAKES),
    ),
    StructuredTask(
        "adamw_update", EXERCISE,
        reference=adamw_update, cases=_adam_cases, points=2,
        layout="the tuple (param, m, v) of new arrays",
        leaf_names=_adam_leaf_names,
        signature="adamw_update(param, grad, m, v, t, lr, weight_decay, beta1=0.9, beta2=0.999, eps=1e-8)",
        description="step t of AdamW: param·(1 − lr·weight_decay), then the Adam step on the raw grad",
        nan_hint=_ADAM_NAN,
        mistakes=_adam_mistakes(True, _ADAMW_MISTAKES),
    ),
    ValueTask(
        "adamw_remaining_fraction", EXERCISE,
        expected=_remaining_expected, tolerance=1e-6, points=1,
        description="fraction of a zero-gradient weight left after 400 AdamW steps, lr=0.01, weight_decay=0.5",
        hint=_remaining_hint,
    ),
    ValueTask(
        "best_adamw_weight_decay", EXERCISE,
        expected=_best_expected, tolerance=1e-9, points=1,
        description="the AdamW weight decay of the grid with the lowest test log-loss on lesson 08's data",
        hint=_best_hint,
    ),
]

r"""The network itself: parameters, forward pass, backprop, predictions.

A layer computes ``Z = A_in @ W + b``; hidden layers apply ``tanh`` or ``relu`` (and, while
training with dropout, multiply by a dropout mask); the output layer applies a sigmoid
(classification) or nothing (regression).

This is the one copy of the forward and backward passes in the course.  Written with ``@``,
``swapaxes(…, -1, -2)`` and sums over axis ``-2``, the same lines run one network
(``W`` of shape ``(fan_in, fan_out)``, ``b`` of shape ``(fan_out,)``) or K networks stacked
on a leading axis (``W`` of shape ``(K, fan_in, fan_out)``, ``b`` of shape ``(K, fan_out)``),
which is how :func:`course_lib.mlp.train_mlps` trains a grid of networks at once.
"""

from __future__ import annotations

import numbers

import numpy as np

from .._validation import _describe, as_labels, as_matrix, as_vector, check_positive_int, check_rate
from ..losses import log_loss_from_scores, sigmoid, squared_loss
from ..penalties import Penalty, make_penalty

__all__ = [
    "init_mlp",
    "mlp_forward",
    "mlp_loss_and_gradients",
    "mlp_predict_proba",
    "mlp_predict",
    "weight_vector",
    "weight_norm",
]

ACTIVATIONS = ("tanh", "relu")
TASKS = ("classification", "regression")
PENALTIES = ("l2", "l1")


# ---------------------------------------------------------------------------
# Input checks (shared with the training module)
# ---------------------------------------------------------------------------


def _check_choice(value, name: str, choices) -> str:
    if not isinstance(value, str) or value.lower() not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {options}; got {name}={value!r}")
    return value.lower()


def _check_penalty(penalty, rate) -> Penalty:
    """A :class:`~course_lib.penalties.Penalty` from ``"l2"``/``"l1"`` and ``rate``, or a Penalty object.

    A Penalty object carries its own rate, so ``rate`` must then stay at 0.
    """
    if isinstance(penalty, Penalty):
        if rate != 0.0:
            raise ValueError(
                f"give the strength once: penalty={penalty!r} carries its own rate, so rate must stay 0; "
                f"got rate={rate:g}")
        return penalty
    if not isinstance(penalty, str):
        raise TypeError(f"penalty must be 'l2', 'l1' or a Penalty object such as L2(0.01); got {_describe(penalty)}")
    return make_penalty(_check_choice(penalty, "penalty", PENALTIES), rate)


def _check_params(params) -> list[dict]:
    """Check the layer list: 2-D finite weights, 1-D biases, shapes that chain, 1 output."""
    if not isinstance(params, (list, tuple)) or len(params) == 0:
        raise TypeError(
            "params must be a non-empty list of layers, each a dict {'W': (fan_in, fan_out), "
            f"'b': (fan_out,)}} as returned by init_mlp; got {_describe(params)}"
        )
    checked = []
    for i, layer in enumerate(params):
        if not isinstance(layer, dict) or "W" not in layer or "b" not in layer:
            raise TypeError(f"params[{i}] must be a dict with keys 'W' and 'b'; got {_describe(layer)}")
        W = as_matrix(layer["W"], f"params[{i}]['W']")
        b = as_vector(layer["b"], f"params[{i}]['b']", size=W.shape[1])
        if i > 0 and W.shape[0] != checked[-1]["W"].shape[1]:
            raise ValueError(
                f"params[{i}]['W'] must have {checked[-1]['W'].shape[1]} rows (the outputs of layer "
                f"{i - 1}); got shape {W.shape}"
            )
        checked.append({"W": W, "b": b})
    if checked[-1]["W"].shape[1] != 1:
        raise ValueError(
            "params must end with a layer of one output unit (binary classification or scalar "
            f"regression); the last 'W' has shape {checked[-1]['W'].shape}"
        )
    return checked


def _check_X(params, X) -> np.ndarray:
    return as_matrix(X, "X", n_columns=params[0]["W"].shape[0])


def _check_y(y, n: int, task: str, name: str = "y") -> np.ndarray:
    if task == "classification":
        return as_labels(y, name, n=n)
    return as_vector(y, name, size=n)


def _check_masks(masks, params, n: int):
    """None, or one dropout mask per hidden layer, each of shape (n, units), finite and >= 0."""
    if masks is None:
        return None
    hidden = [layer["W"].shape[1] for layer in params[:-1]]
    if isinstance(masks, (str, bytes, np.ndarray)) or not isinstance(masks, (list, tuple)):
        raise TypeError(f"masks must be None or a list with one array per hidden layer ({len(hidden)}); "
                        f"got {_describe(masks)}")
    if len(masks) != len(hidden):
        raise ValueError(f"masks must hold one array per hidden layer ({len(hidden)}); got {len(masks)}")
    checked = []
    for i, (mask, units) in enumerate(zip(masks, hidden)):
        mask = as_matrix(mask, f"masks[{i}]", n_columns=units)
        if mask.shape[0] != n:
            raise ValueError(f"masks[{i}] must have shape ({n}, {units}), one row per row of X; "
                             f"got shape {mask.shape}")
        if np.any(mask < 0):
            raise ValueError(f"masks[{i}] must hold multipliers >= 0 (0 drops a unit, 1/(1 − p) keeps it)")
        checked.append(mask)
    return checked


def _check_seed(seed):
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be a non-negative int or a numpy Generator; got {_describe(seed)}")
    if seed < 0:
        raise ValueError(f"seed must be a non-negative int; got seed={seed}")
    return np.random.default_rng(int(seed))


# ---------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------


def init_mlp(layer_sizes, seed=0, scale="glorot") -> list[dict]:
    r"""Random weights and zero biases for an MLP with the given layer sizes.

    Each weight is drawn from a normal distribution with standard deviation

    * ``"glorot"`` (Glorot & Bengio, 2010; suits ``tanh``): ``sqrt(2 / (fan_in + fan_out))``
    * ``"he"`` (He et al., 2015; suits ``relu``): ``sqrt(2 / fan_in)``

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[n_inputs, hidden_1, ..., 1]``; at least two entries, the last one 1.
    seed : int or numpy.random.Generator
        Seed of ``np.random.default_rng``, or a generator to draw from.
    scale : {"glorot", "he"}

    Returns
    -------
    list of dict
        ``[{"W": (fan_in, fan_out), "b": (fan_out,)}, ...]``, one dict per layer.
    """
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError(f"layer_sizes must be a list of ints like [2, 16, 1]; got {_describe(layer_sizes)}")
    if len(layer_sizes) < 2:
        raise ValueError(f"layer_sizes needs at least an input and an output size; got {list(layer_sizes)}")
    sizes = [check_positive_int(s, f"layer_sizes[{i}]") for i, s in enumerate(layer_sizes)]
    if sizes[-1] != 1:
        raise ValueError(f"layer_sizes must end with 1 output unit; got layer_sizes={sizes}")
    scale = _check_choice(scale, "scale", ("glorot", "he"))
    rng = _check_seed(seed)

    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        if scale == "he":
            std = np.sqrt(2.0 / fan_in)
        else:
            std = np.sqrt(2.0 / (fan_in + fan_out))
        params.append({"W": std * rng.standard_normal((fan_in, fan_out)), "b": np.zeros(fan_out)})
    return params


def weight_vector(params) -> np.ndarray:
    """All weight-matrix entries in one flat vector (biases left out), e.g. for a histogram."""
    params = _check_params(params)
    return np.concatenate([layer["W"].ravel() for layer in params])


def weight_norm(params) -> float:
    r"""Euclidean norm of all weights, biases left out: ``sqrt(Σ_l ||W_l||²)``."""
    return float(np.linalg.norm(weight_vector(params)))


# ---------------------------------------------------------------------------
# Forward and backward passes (one network, or K stacked on a leading axis)
# ---------------------------------------------------------------------------


def _activate(Z, activation: str):
    return np.tanh(Z) if activation == "tanh" else np.maximum(Z, 0.0)


def _activation_derivative(Z, H, activation: str):
    """d activation / dZ, from the pre-activation Z or the activation H = act(Z)."""
    if activation == "tanh":
        return 1.0 - H * H  # tanh' = 1 − tanh²
    return (Z > 0).astype(float)  # relu' = 1 for Z > 0, 0 otherwise (0 at the kink)


def _forward(Ws, bs, X, activation: str, task: str, masks=None) -> dict:
    """Run the layers; return the values backprop needs.

    ``cache["A"][l]`` is the input of layer ``l`` (after dropout), ``cache["Z"][l]`` its
    pre-activation, ``cache["H"][l]`` the activation of hidden layer ``l`` before dropout,
    ``cache["output"]`` the network's output.  ``masks[l]`` multiplies hidden layer ``l``
    (inverted dropout); None means no dropout.
    """
    A = X  # shared by stacked networks: X @ W broadcasts to (K, n, fan_out)
    cache = {"A": [], "Z": [], "H": [], "masks": masks}
    last = len(Ws) - 1
    for l, (W, b) in enumerate(zip(Ws, bs)):
        cache["A"].append(A)
        Z = A @ W + b[..., None, :]
        cache["Z"].append(Z)
        if l < last:
            H = _activate(Z, activation)
            cache["H"].append(H)
            A = H if masks is None else H * masks[l]
    z_out = cache["Z"][-1][..., 0]
    cache["output"] = sigmoid(z_out) if task == "classification" else z_out
    return cache


def _backward(Ws, cache, y, activation: str):
    """Gradients of the data loss (no penalty) for every W and b, by backprop.

    For a sigmoid output with the mean log-loss, and for an identity output with
    ``1/(2n)·Σ(y − ŷ)²``, the gradient with respect to the output pre-activation is the
    same: ``(prediction − y)/n``.  From there each layer passes it back through its weights
    (and through the dropout mask and the activation's slope of the layer below).
    """
    n = y.shape[-1]
    delta = ((cache["output"] - y) / n)[..., None]  # (n, 1), or (K, n, 1)
    masks = cache["masks"]
    grads_W, grads_b = [None] * len(Ws), [None] * len(Ws)
    for l in reversed(range(len(Ws))):
        grads_W[l] = np.swapaxes(cache["A"][l], -1, -2) @ delta  # A_in.T @ delta
        grads_b[l] = delta.sum(axis=-2)
        if l > 0:  # back through W_l, then the dropout mask and the slope of hidden layer l − 1
            delta = delta @ np.swapaxes(Ws[l], -1, -2)
            if masks is not None:
                delta = delta * masks[l - 1]
            delta = delta * _activation_derivative(cache["Z"][l - 1], cache["H"][l - 1], activation)
    return grads_W, grads_b


def _data_loss(Ws, bs, cache, y, task: str) -> float:
    """The data term of the objective, by the course's own losses.

    Classification: :func:`~course_lib.losses.log_loss_from_scores` of the output pre-activations
    (the scores the sigmoid turns into probabilities).  Regression: the output layer is a linear
    regression on the last hidden layer's activations ``A`` (the data ``X`` when there is no hidden
    layer), so :func:`~course_lib.losses.squared_loss` of ``A``, ``W_L[:, 0]`` and ``b_L[0]``.  A
    network whose values overflowed has an infinite loss.
    """
    if task == "classification":
        z = cache["Z"][-1][..., 0]
        return log_loss_from_scores(z, y) if not np.any(np.isnan(z)) else np.inf
    A, w, b = cache["A"][-1], Ws[-1][:, 0], bs[-1][0]
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(w)) and np.isfinite(b)):
        return np.inf
    return squared_loss(A, y, w, b)


def _penalty_value(Ws, penalty: Penalty) -> float:
    """The penalty on the weight matrices; the biases are never passed to it."""
    if not all(np.all(np.isfinite(W)) for W in Ws):
        return np.inf
    return penalty.value(np.concatenate([W.ravel() for W in Ws]))


def _penalty_gradient(W, penalty: Penalty) -> np.ndarray:
    """The penalty's (sub)gradient for one weight matrix (penalties act entry by entry)."""
    return penalty.gradient(W.ravel()).reshape(W.shape)


def mlp_forward(params, X, activation="tanh", task="classification", masks=None):
    r"""Forward pass: the network's output and the intermediate values backprop needs.

    .. math::

        A_0 = X,\qquad Z_l = A_{l-1} W_l + b_l,\qquad A_l = \varphi(Z_l) \odot M_l\ (l < L),\qquad
        \text{output} = \sigma(Z_L)\ \text{(classification)}\ \text{or}\ Z_L\ \text{(regression)}

    with ``M_l`` the dropout mask of hidden layer ``l`` (all ones without dropout).

    Parameters
    ----------
    params : list of dict
        As returned by :func:`init_mlp`.
    X : array_like, shape (n, p)
    activation : {"tanh", "relu"}
        Hidden-layer activation φ.
    task : {"classification", "regression"}
    masks : list of array_like, optional
        One array of shape ``(n, units)`` per hidden layer, e.g. from
        :func:`course_lib.dropout.dropout_mask`: the forward pass of one training step with
        dropout, its mask held fixed.  None (default): no dropout, as at prediction time.

    Returns
    -------
    output : ndarray, shape (n,)
        Probabilities ``P(y = 1 | x)`` (classification) or predictions (regression).
    cache : dict
        ``cache["A"][l]`` the input of layer ``l``, ``cache["Z"][l]`` its pre-activation,
        ``cache["H"][l]`` hidden layer ``l`` before dropout, ``cache["output"]`` the output.
    """
    params = _check_params(params)
    X = _check_X(params, X)
    activation = _check_choice(activation, "activation", ACTIVATIONS)
    task = _check_choice(task, "task", TASKS)
    masks = _check_masks(masks, params, X.shape[0])
    cache = _forward([p["W"] for p in params], [p["b"] for p in params], X, activation, task, masks)
    return cache["output"], cache


def mlp_loss_and_gradients(
    params, X, y, rate=0.0, penalty="l2", activation="tanh", task="classification", masks=None
) -> tuple[float, list[dict]]:
    r"""Penalized objective and its gradient for every weight and bias, by backprop.

    .. math::

        \text{objective} = \underbrace{\frac1n\sum_i \big[\log(1 + e^{z_i}) - y_i z_i\big]}_{\text{mean log-loss}}
        + \begin{cases}
            \dfrac{\text{rate}}{2} \sum_l \|W_l\|_F^2 & \text{penalty = "l2"} \\[1ex]
            \text{rate} \sum_l \sum_{jk} |(W_l)_{jk}| & \text{penalty = "l1"}
          \end{cases}

    with ``z_i`` the output pre-activation; for ``task="regression"`` the data
    term is ``1/(2n)·Σ(y_i − z_i)²``.  Biases are never penalized.  For L1 the
    gradient returned is the subgradient ``rate·sign(W)`` (0 where ``W = 0``).

    Parameters
    ----------
    params : list of dict
        As returned by :func:`init_mlp`.
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
        Labels in {0, 1} (classification) or real targets (regression).
    rate : float
        Penalty strength, any number ``>= 0``.
    penalty : {"l2", "l1"} or Penalty
        The penalty's name, or a :mod:`course_lib.penalties` object such as ``L2(0.01)``
        (which carries its rate: leave ``rate`` at 0).
    activation : {"tanh", "relu"}
    task : {"classification", "regression"}
    masks : list of array_like, optional
        Dropout masks held fixed (see :func:`mlp_forward`): the objective and gradients of one
        training step with dropout.

    Returns
    -------
    objective : float
    grads : list of dict
        Same structure as ``params``: ``grads[l]["W"]``, ``grads[l]["b"]``.
    """
    params = _check_params(params)
    X = _check_X(params, X)
    activation = _check_choice(activation, "activation", ACTIVATIONS)
    task = _check_choice(task, "task", TASKS)
    y = _check_y(y, X.shape[0], task)
    penalty = _check_penalty(penalty, check_rate(rate))
    masks = _check_masks(masks, params, X.shape[0])

    Ws, bs = [p["W"] for p in params], [p["b"] for p in params]
    cache = _forward(Ws, bs, X, activation, task, masks)
    objective = _data_loss(Ws, bs, cache, y, task) + _penalty_value(Ws, penalty)
    grads_W, grads_b = _backward(Ws, cache, y, activation)
    grads = [{"W": gW + _penalty_gradient(W, penalty), "b": gb}  # biases: data gradient only
             for W, gW, gb in zip(Ws, grads_W, grads_b)]
    return objective, grads


def mlp_predict_proba(params, X, activation="tanh") -> np.ndarray:
    """Probability of class 1 for each row of ``X`` (a classification network), shape (n,)."""
    output, _ = mlp_forward(params, X, activation=activation, task="classification")
    return output


def mlp_predict(params, X, activation="tanh", task="classification") -> np.ndarray:
    """Predicted labels in {0, 1} (probability >= 0.5) or, for regression, predicted values."""
    output, _ = mlp_forward(params, X, activation=activation, task=task)
    if task.lower() == "classification":
        return (output >= 0.5).astype(float)
    return output

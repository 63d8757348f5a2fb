r"""A small multilayer perceptron in numpy, with backprop written out layer by layer.

The parameters are a plain list, one dict per layer::

    params = init_mlp([2, 16, 1])      # 2 inputs, one hidden layer of 16, 1 output
    params[0]["W"].shape == (2, 16)    # weights, (fan_in, fan_out)
    params[0]["b"].shape == (16,)      # biases, (fan_out,)

A layer computes ``Z = A_in @ W + b``; hidden layers apply ``tanh`` (default)
or ``relu``; the output layer applies a sigmoid for binary classification
(labels in {0, 1}) or nothing for regression.  The objective is

.. math::

    \text{objective} = \text{data loss} + \text{penalty}(W_1, \dots, W_L;\ \text{rate})

with the mean log-loss (classification) or ``1/(2n)·Σ(y − ŷ)²`` (regression) as
data loss, and the penalty on the **weight matrices only**: ``rate/2·Σ_l ||W_l||²``
(L2) or ``rate·Σ_l Σ|W_l|`` (L1).  Biases are never penalized.

scikit-learn's ``MLPClassifier(alpha=α)`` adds ``α/(2n)·Σ||W||²`` to the mean
log-loss (n = rows in the batch), so it corresponds to ``rate = α / n`` here with
the L2 penalty.
"""

from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass

import numpy as np

from ._validation import (
    _describe,
    as_labels,
    as_matrix,
    as_vector,
    check_bool,
    check_positive_float,
    check_positive_int,
    check_rate,
)
from .losses import sigmoid
from .optimizers import AdamState, adam_step, adamw_step, sgd_step
from .penalties import l1_penalty, l2_penalty

__all__ = [
    "init_mlp",
    "mlp_forward",
    "mlp_loss_and_gradients",
    "mlp_predict_proba",
    "mlp_predict",
    "train_mlp",
    "train_mlps",
    "TrainedMLP",
    "weight_vector",
    "weight_norm",
]

ACTIVATIONS = ("tanh", "relu")
TASKS = ("classification", "regression")
PENALTIES = ("l2", "l1")
OPTIMIZERS = ("sgd", "adam", "adamw")
DEFAULT_LR = {"sgd": 0.5, "adam": 0.01, "adamw": 0.01}


# ---------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------


def _check_choice(value, name: str, choices) -> str:
    if not isinstance(value, str) or value.lower() not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {options}; got {name}={value!r}")
    return value.lower()


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


def _check_y(y, n: int, task: str) -> np.ndarray:
    if task == "classification":
        return as_labels(y, "y", n=n)
    return as_vector(y, "y", size=n)


def _check_hidden(hidden) -> tuple:
    """Hidden layer sizes as a tuple of positive ints (one int means one hidden layer)."""
    if isinstance(hidden, numbers.Integral) and not isinstance(hidden, (bool, np.bool_)):
        hidden = (hidden,)
    if isinstance(hidden, (str, bytes)) or not hasattr(hidden, "__len__"):
        raise TypeError(f"hidden must be an int or a sequence of ints like (16,); got {_describe(hidden)}")
    return tuple(check_positive_int(h, f"hidden[{i}]") for i, h in enumerate(hidden))


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


def _weight_penalty(params, rate: float, penalty: str) -> float:
    """The penalty on the weight matrices; the biases are never passed to it."""
    w = np.concatenate([layer["W"].ravel() for layer in params])
    return l2_penalty(w, rate) if penalty == "l2" else l1_penalty(w, rate)


# ---------------------------------------------------------------------------
# Forward and backward passes
# ---------------------------------------------------------------------------


def _activate(Z, activation: str):
    return np.tanh(Z) if activation == "tanh" else np.maximum(Z, 0.0)


def _activation_derivative(Z, A, activation: str):
    """d activation / dZ, from the pre-activation Z or the activation A = act(Z)."""
    if activation == "tanh":
        return 1.0 - A * A  # tanh' = 1 − tanh²
    return (Z > 0).astype(float)  # relu' = 1 for Z > 0, 0 otherwise (0 at the kink)


def _forward(params, X, activation: str, task: str):
    A = X
    cache = {"A": [], "Z": []}  # A[l] is the input of layer l, Z[l] its pre-activation
    for l, layer in enumerate(params):
        cache["A"].append(A)
        Z = A @ layer["W"] + layer["b"]
        cache["Z"].append(Z)
        if l < len(params) - 1:
            A = _activate(Z, activation)
    z_out = cache["Z"][-1][:, 0]
    output = sigmoid(z_out) if task == "classification" else z_out
    cache["output"] = output
    return output, cache


def _data_loss(cache, y, task: str) -> float:
    z = cache["Z"][-1][:, 0]
    if task == "classification":
        # mean(−y·log p − (1−y)·log(1−p)) with p = sigmoid(z), written stably
        return float(np.mean(np.logaddexp(0.0, z) - y * z))
    r = y - z
    return float(r @ r) / (2.0 * y.shape[0])


def _backward(params, cache, y, rate: float, penalty: str, activation: str) -> list[dict]:
    n = y.shape[0]
    # Output layer: for sigmoid + mean log-loss and for identity + 1/(2n)·SSE alike,
    # d(data loss)/d(z_out) = (prediction − y) / n.
    delta = ((cache["output"] - y) / n)[:, None]  # shape (n, 1)

    grads = [None] * len(params)
    for l in reversed(range(len(params))):
        W = params[l]["W"]
        A_in = cache["A"][l]

        grad_W = A_in.T @ delta  # (fan_in, n) @ (n, fan_out)
        grad_b = delta.sum(axis=0)  # biases: data gradient only, never penalized

        if penalty == "l2":
            grad_W = grad_W + rate * W  # L2: d/dW of rate/2·||W||² is rate·W
        else:
            grad_W = grad_W + rate * np.sign(W)  # L1: subgradient rate·sign(W), 0 at W = 0

        grads[l] = {"W": grad_W, "b": grad_b}

        if l > 0:  # send delta back through W and the hidden activation of layer l − 1
            delta = (delta @ W.T) * _activation_derivative(cache["Z"][l - 1], cache["A"][l], activation)
    return grads


def mlp_forward(params, X, activation="tanh", task="classification"):
    r"""Forward pass: the network's output and the intermediate values backprop needs.

    .. math::

        A_0 = X,\qquad Z_l = A_{l-1} W_l + b_l,\qquad A_l = \varphi(Z_l)\ (l < L),\qquad
        \text{output} = \sigma(Z_L)\ \text{(classification)}\ \text{or}\ Z_L\ \text{(regression)}

    Parameters
    ----------
    params : list of dict
        As returned by :func:`init_mlp`.
    X : array_like, shape (n, p)
    activation : {"tanh", "relu"}
        Hidden-layer activation φ.
    task : {"classification", "regression"}

    Returns
    -------
    output : ndarray, shape (n,)
        Probabilities ``P(y = 1 | x)`` (classification) or predictions (regression).
    cache : dict
        ``cache["A"][l]`` the input of layer ``l``, ``cache["Z"][l]`` its pre-activation,
        ``cache["output"]`` the output.
    """
    params = _check_params(params)
    X = _check_X(params, X)
    activation = _check_choice(activation, "activation", ACTIVATIONS)
    task = _check_choice(task, "task", TASKS)
    return _forward(params, X, activation, task)


def mlp_loss_and_gradients(
    params, X, y, rate=0.0, penalty="l2", activation="tanh", task="classification"
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
    penalty : {"l2", "l1"}
    activation : {"tanh", "relu"}
    task : {"classification", "regression"}

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
    rate = check_rate(rate)
    penalty = _check_choice(penalty, "penalty", PENALTIES)

    _, cache = _forward(params, X, activation, task)
    objective = _data_loss(cache, y, task) + _weight_penalty(params, rate, penalty)
    return objective, _backward(params, cache, y, rate, penalty, activation)


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


# ---------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------


@dataclass
class TrainedMLP:
    """A trained network: its parameters, how training went, and how to predict.

    Attributes
    ----------
    params : list of dict
        ``[{"W": ..., "b": ...}, ...]`` as in :func:`init_mlp`.
    history : dict of ndarray
        Each of length ``epochs + 1`` (entry ``k`` is after ``k`` epochs, entry 0
        at initialization; shorter if training diverged), evaluated on the whole training set:
        ``"data_loss"``, ``"objective"`` (data loss + penalty at ``rate``;
        ``weight_decay`` is part of the update rule, not of this objective) and
        ``"weight_norm"``.
    activation : str
    task : str
    """

    params: list
    history: dict
    activation: str = "tanh"
    task: str = "classification"

    def predict_proba(self, X) -> np.ndarray:
        """Probability of class 1, shape (n,) (classification only)."""
        if self.task != "classification":
            raise ValueError(f"predict_proba needs a classification network; this one has task={self.task!r}")
        return mlp_predict_proba(self.params, X, activation=self.activation)

    def predict(self, X) -> np.ndarray:
        """Labels in {0, 1} (classification) or predicted values (regression), shape (n,)."""
        return mlp_predict(self.params, X, activation=self.activation, task=self.task)


def train_mlp(
    X,
    y,
    hidden=(16,),
    *,
    activation="tanh",
    task="classification",
    optimizer="sgd",
    lr=None,
    rate=0.0,
    penalty="l2",
    weight_decay=0.0,
    decay_biases=False,
    epochs=300,
    batch_size=None,
    beta1=0.9,
    beta2=0.999,
    eps=1e-8,
    seed=0,
) -> TrainedMLP:
    r"""Train an MLP by (mini-batch) gradient descent with SGD, Adam or AdamW.

    Each step follows the gradient of the penalized objective on a batch

    .. math::

        \text{data loss}_{\text{batch}} + \frac{\text{rate}}{2}\sum_l \|W_l\|^2
        \quad(\text{or } \text{rate}\sum_l \|W_l\|_1 \text{ with penalty="l1"})

    and then applies ``weight_decay`` as the chosen optimizer defines it:

    * ``"sgd"``: ``θ ← θ − lr·(g + wd·θ)`` — identical to ``rate = wd`` with L2.
    * ``"adam"``: ``wd·θ`` is added to the gradient before the moments
      (PyTorch ``Adam(weight_decay=wd)``) — again the same as ``rate = wd``.
    * ``"adamw"``: decoupled, ``θ ← (1 − lr·wd)·θ`` then the Adam step on the
      raw gradient (PyTorch ``AdamW(weight_decay=wd)``).

    See :mod:`course_lib.optimizers` for the exact equations.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
        Labels in {0, 1} (classification) or real targets (regression).
    hidden : int or sequence of int
        Hidden-layer sizes; ``()`` gives logistic (or linear) regression.
    activation : {"tanh", "relu"}
        Hidden activation; weights start with Glorot scaling for tanh, He for relu.
    task : {"classification", "regression"}
    optimizer : {"sgd", "adam", "adamw"}
    lr : float, optional
        Learning rate; default 0.5 for SGD, 0.01 for Adam and AdamW.
    rate : float
        Penalty strength in the loss, ``>= 0``.
    penalty : {"l2", "l1"}
        Which penalty ``rate`` weighs.
    weight_decay : float
        ``>= 0``, applied by the optimizer as above.
    decay_biases : bool
        If True, ``weight_decay`` also shrinks the biases — what PyTorch does to
        every parameter given to the optimizer unless parameter groups exclude
        the biases.  Default False: only weight matrices are decayed.  (``rate``
        never touches biases.)
    epochs : int
        Passes over the data.
    batch_size : int, optional
        Mini-batch size; None (default) means full batch.  Batches are drawn
        from a shuffle of the rows each epoch.
    beta1, beta2, eps : float
        Adam/AdamW constants.
    seed : int or numpy.random.Generator
        Seeds the initialization and the shuffling.

    Returns
    -------
    TrainedMLP
        ``params``, ``history`` (see :class:`TrainedMLP`), ``predict``, ``predict_proba``.

    Warns
    -----
    RuntimeWarning
        If the objective becomes NaN or infinite (the learning rate is too
        large); training stops at that epoch and the history is cut there.
    """
    task = _check_choice(task, "task", TASKS)
    X = as_matrix(X, "X")
    y = _check_y(y, X.shape[0], task)
    hidden = _check_hidden(hidden)
    activation = _check_choice(activation, "activation", ACTIVATIONS)
    optimizer = _check_choice(optimizer, "optimizer", OPTIMIZERS)
    lr = DEFAULT_LR[optimizer] if lr is None else check_positive_float(lr, "lr")
    rate = check_rate(rate)
    penalty = _check_choice(penalty, "penalty", PENALTIES)
    weight_decay = check_rate(weight_decay, "weight_decay")
    decay_biases = check_bool(decay_biases, "decay_biases")
    epochs = check_positive_int(epochs, "epochs")
    n = X.shape[0]
    if batch_size is not None:
        batch_size = check_positive_int(batch_size, "batch_size")
        if batch_size > n:
            raise ValueError(
                f"batch_size must be at most the number of rows of X ({n}); got batch_size={batch_size}"
            )
    rng = _check_seed(seed)

    params = init_mlp([X.shape[1], *hidden, 1], seed=rng, scale="he" if activation == "relu" else "glorot")
    states = [{key: AdamState.zeros_like(layer[key]) for key in ("W", "b")} for layer in params]

    def step(l, key, param, grad):
        wd = weight_decay if (key == "W" or decay_biases) else 0.0
        if optimizer == "sgd":
            return sgd_step(param, grad, lr, weight_decay=wd)
        if optimizer == "adam":
            return adam_step(param, grad, states[l][key], lr, beta1, beta2, eps, l2=wd)
        return adamw_step(param, grad, states[l][key], lr, beta1, beta2, eps, weight_decay=wd)

    def evaluate(params):
        _, cache = _forward(params, X, activation, task)
        data = _data_loss(cache, y, task)
        norm = float(np.linalg.norm(np.concatenate([layer["W"].ravel() for layer in params])))
        return data, data + _weight_penalty(params, rate, penalty), norm

    records = [evaluate(params)]
    diverged = False
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below instead
        for epoch in range(epochs):
            order = np.arange(n) if batch_size is None else rng.permutation(n)
            size = n if batch_size is None else batch_size
            for start in range(0, n, size):
                rows = order[start : start + size]
                Xb, yb = (X, y) if batch_size is None else (X[rows], y[rows])
                _, cache = _forward(params, Xb, activation, task)
                grads = _backward(params, cache, yb, rate, penalty, activation)
                if not all(np.all(np.isfinite(g[key])) for g in grads for key in ("W", "b")):
                    diverged = True
                    break
                params = [
                    {key: step(l, key, layer[key], grads[l][key]) for key in ("W", "b")}
                    for l, layer in enumerate(params)
                ]
            if diverged:
                break
            records.append(evaluate(params))
            if not np.isfinite(records[-1][1]):
                diverged = True
                break
    if diverged:
        warnings.warn(
            f"train_mlp diverged in epoch {epoch + 1}: the loss or its gradient became NaN or "
            f"infinite with optimizer={optimizer!r} and lr={lr:g}; try a smaller lr. "
            f"The history stops there.",
            RuntimeWarning,
            stacklevel=2,
        )

    records = np.array(records)
    history = {"data_loss": records[:, 0], "objective": records[:, 1], "weight_norm": records[:, 2]}
    return TrainedMLP(params=params, history=history, activation=activation, task=task)


# ---------------------------------------------------------------------------
# Training several networks at once (the lesson-8 widget's grid)
# ---------------------------------------------------------------------------


def _as_strengths(values, name: str):
    """``None`` or a 1-D float array of numbers ``>= 0``, one per network."""
    if values is None:
        return None
    if isinstance(values, (str, bytes, dict, set)) or np.ndim(values) != 1:
        raise TypeError(f"{name} must be a 1-D sequence of numbers >= 0, one per network; got {_describe(values)}")
    if len(values) == 0:
        raise ValueError(f"{name} must give at least one network; got an empty sequence")
    return np.array([check_rate(v, f"{name}[{k}]") for k, v in enumerate(values)])


def _forward_stack(Ws, bs, X, activation: str, task: str):
    """:func:`_forward` for K networks stacked on a leading axis: ``Ws[l]`` (K, fan_in, fan_out), ``bs[l]`` (K, 1, fan_out)."""
    A = X  # shared by every network: X @ W broadcasts to (K, n, fan_out)
    As, Zs = [], []
    for l, (W, b) in enumerate(zip(Ws, bs)):
        As.append(A)
        Z = A @ W + b
        Zs.append(Z)
        if l < len(Ws) - 1:
            A = _activate(Z, activation)
    z_out = Zs[-1][:, :, 0]
    output = sigmoid(z_out) if task == "classification" else z_out
    return output, As, Zs


def _backward_stack(Ws, forward, y, rate, penalty: str, activation: str):
    """:func:`_backward` for stacked networks; ``rate`` has shape (K, 1, 1), one rate per network."""
    output, As, Zs = forward
    n = y.shape[0]
    delta = ((output - y) / n)[:, :, None]  # (K, n, 1): (prediction − y) / n, as in _backward
    grads_W, grads_b = [None] * len(Ws), [None] * len(Ws)
    for l in reversed(range(len(Ws))):
        W = Ws[l]
        grad_W = np.swapaxes(As[l], -1, -2) @ delta  # A_in.T @ delta for every network
        grads_b[l] = delta.sum(axis=1, keepdims=True)  # biases: data gradient only
        if penalty == "l2":
            grads_W[l] = grad_W + rate * W
        else:
            grads_W[l] = grad_W + rate * np.sign(W)
        if l > 0:
            delta = (delta @ np.swapaxes(W, -1, -2)) * _activation_derivative(Zs[l - 1], As[l], activation)
    return grads_W, grads_b


def _step_stack(optimizer: str, param, grad, state, lr, wd, beta1, beta2, eps):
    """One step of :func:`train_mlp`'s optimizer for every network, with weight decay ``wd`` per network.

    The optimizer functions take one ``weight_decay`` for a whole array, so the per-network
    term is applied here exactly where they apply theirs, and they are called with 0.
    """
    if optimizer == "sgd":
        return sgd_step(param, grad + wd * param, lr)  # θ − lr·(g + wd·θ)
    if optimizer == "adam":
        return adam_step(param, grad + wd * param, state, lr, beta1, beta2, eps)  # L2 before the moments
    return adamw_step(param * (1.0 - lr * wd), grad, state, lr, beta1, beta2, eps)  # decoupled decay


def train_mlps(
    X,
    y,
    hidden=(16,),
    *,
    rates=None,
    weight_decays=None,
    activation="tanh",
    task="classification",
    optimizer="sgd",
    lr=None,
    penalty="l2",
    decay_biases=False,
    epochs=300,
    beta1=0.9,
    beta2=0.999,
    eps=1e-8,
    seed=0,
) -> list[TrainedMLP]:
    r"""Train K networks at once, one per strength: full-batch :func:`train_mlp`, vectorized over networks.

    Network ``k`` is

    .. code-block:: python

        train_mlp(X, y, hidden, rate=rates[k], weight_decay=weight_decays[k], batch_size=None, ...)

    with every other argument shared, so it minimizes (with ``weight_decay`` applied by the
    optimizer as described there)

    .. math::

        \text{data loss} + \frac{\text{rates}_k}{2}\sum_l \|W_l\|^2
        \quad(\text{or } \text{rates}_k\sum_l \|W_l\|_1 \text{ with penalty="l1"}).

    All networks start from the same initialization (the one ``train_mlp`` draws from
    ``seed``).  Their weights are stacked along a leading axis (``W`` of shape
    ``(K, fan_in, fan_out)``), so one numpy call advances every network by a step; each
    network goes through the same operations as in ``train_mlp``, so the results agree
    with K separate ``train_mlp`` runs to rounding (``tests/lib/test_mlp.py`` checks 1e-12),
    in a fraction of the time when the networks are small.  A network that diverges
    leaves the stack at the epoch where ``train_mlp`` would stop, with the same history.

    Parameters
    ----------
    X, y, hidden, activation, task, optimizer, lr, penalty, decay_biases, epochs, beta1, beta2, eps
        As in :func:`train_mlp` (full batch only: there is no ``batch_size``).
    rates : sequence of float, optional
        Penalty strength in the loss of each network, ``>= 0``.  None means 0 for every network.
    weight_decays : sequence of float, optional
        Weight decay of each network, ``>= 0``.  None means 0 for every network.  At least one
        of ``rates`` and ``weight_decays`` is given; if both are, they have the same length K.
    seed : int or numpy.random.Generator
        Seeds the one initialization every network starts from.

    Returns
    -------
    list of TrainedMLP
        One per network, in the order of ``rates`` / ``weight_decays``.

    Warns
    -----
    RuntimeWarning
        For each network whose objective becomes NaN or infinite (as :func:`train_mlp`).
    """
    task = _check_choice(task, "task", TASKS)
    X = as_matrix(X, "X")
    y = _check_y(y, X.shape[0], task)
    hidden = _check_hidden(hidden)
    activation = _check_choice(activation, "activation", ACTIVATIONS)
    optimizer = _check_choice(optimizer, "optimizer", OPTIMIZERS)
    lr = DEFAULT_LR[optimizer] if lr is None else check_positive_float(lr, "lr")
    penalty = _check_choice(penalty, "penalty", PENALTIES)
    decay_biases = check_bool(decay_biases, "decay_biases")
    epochs = check_positive_int(epochs, "epochs")
    rates = _as_strengths(rates, "rates")
    weight_decays = _as_strengths(weight_decays, "weight_decays")
    if rates is None and weight_decays is None:
        raise ValueError("give rates or weight_decays (or both), one number per network; got neither")
    if rates is not None and weight_decays is not None and rates.size != weight_decays.size:
        raise ValueError(f"rates and weight_decays must have the same length (one entry per network); "
                         f"got {rates.size} rates and {weight_decays.size} weight_decays")
    K = (rates if rates is not None else weight_decays).size
    rates = np.zeros(K) if rates is None else rates
    weight_decays = np.zeros(K) if weight_decays is None else weight_decays
    rng = _check_seed(seed)

    init = init_mlp([X.shape[1], *hidden, 1], seed=rng, scale="he" if activation == "relu" else "glorot")
    Ws = [np.repeat(layer["W"][None], K, axis=0) for layer in init]  # (K, fan_in, fan_out)
    bs = [np.repeat(layer["b"][None, None], K, axis=0) for layer in init]  # (K, 1, fan_out)
    states = [{"W": AdamState.zeros_like(W), "b": AdamState.zeros_like(b)} for W, b in zip(Ws, bs)]
    alive = np.arange(K)  # which networks are still in the stack (a diverged one leaves it)

    def evaluate(forward):
        z = forward[2][-1][:, :, 0]
        if task == "classification":
            data = np.mean(np.logaddexp(0.0, z) - y * z, axis=1)
        else:
            data = np.sum((y - z) ** 2, axis=1) / (2.0 * y.shape[0])
        squares = sum(np.sum(W * W, axis=(1, 2)) for W in Ws)
        if penalty == "l2":
            penalty_value = 0.5 * rates[alive] * squares
        else:
            penalty_value = rates[alive] * sum(np.sum(np.abs(W), axis=(1, 2)) for W in Ws)
        return np.column_stack([data, data + penalty_value, np.sqrt(squares)])

    def keep(mask):
        nonlocal Ws, bs, alive
        Ws, bs, alive = [W[mask] for W in Ws], [b[mask] for b in bs], alive[mask]
        for state in states:
            for key in ("W", "b"):
                state[key] = AdamState(m=state[key].m[mask], v=state[key].v[mask], t=state[key].t)

    records = np.full((epochs + 1, K, 3), np.nan)
    lengths = np.full(K, epochs + 1)
    final = [None] * K
    diverged_in = {}  # network -> epoch (1-based) where it diverged

    def leave(mask, epoch, length):
        for j in np.flatnonzero(mask):
            k = alive[j]
            final[k] = [{"W": W[j].copy(), "b": b[j, 0].copy()} for W, b in zip(Ws, bs)]
            lengths[k], diverged_in[k] = length, epoch + 1

    forward = _forward_stack(Ws, bs, X, activation, task)
    records[0, alive] = evaluate(forward)
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below instead
        for epoch in range(epochs):
            if forward is None:  # the stack shrank: recompute (the same numbers) for those left
                forward = _forward_stack(Ws, bs, X, activation, task)
            grads_W, grads_b = _backward_stack(Ws, forward, y, rates[alive][:, None, None], penalty, activation)
            finite = np.ones(alive.size, dtype=bool)
            for g in (*grads_W, *grads_b):
                finite &= np.all(np.isfinite(g), axis=(1, 2))
            if not finite.all():  # these stop before the step, as train_mlp does
                leave(~finite, epoch, epoch + 1)
                grads_W, grads_b = [g[finite] for g in grads_W], [g[finite] for g in grads_b]
                keep(finite)
                if alive.size == 0:
                    break
            wd = weight_decays[alive][:, None, None]
            Ws = [_step_stack(optimizer, W, g, s["W"], lr, wd, beta1, beta2, eps)
                  for W, g, s in zip(Ws, grads_W, states)]
            bs = [_step_stack(optimizer, b, g, s["b"], lr, wd if decay_biases else 0.0, beta1, beta2, eps)
                  for b, g, s in zip(bs, grads_b, states)]
            forward = _forward_stack(Ws, bs, X, activation, task)  # also the next epoch's forward pass
            records[epoch + 1, alive] = evaluate(forward)
            finite = np.isfinite(records[epoch + 1, alive, 1])
            if not finite.all():  # these stop after the step, keeping this record, as train_mlp does
                leave(~finite, epoch, epoch + 2)
                keep(finite)
                forward = None
                if alive.size == 0:
                    break
    for j, k in enumerate(alive):
        final[k] = [{"W": W[j].copy(), "b": b[j, 0].copy()} for W, b in zip(Ws, bs)]
    for k, epoch in sorted(diverged_in.items()):
        warnings.warn(
            f"train_mlps: network {k} (rate={rates[k]:g}, weight_decay={weight_decays[k]:g}) diverged in "
            f"epoch {epoch}: the loss or its gradient became NaN or infinite with optimizer={optimizer!r} "
            f"and lr={lr:g}; try a smaller lr. Its history stops there.",
            RuntimeWarning,
            stacklevel=2,
        )
    return [
        TrainedMLP(
            params=final[k],
            history={name: records[: lengths[k], k, i].copy()
                     for i, name in enumerate(("data_loss", "objective", "weight_norm"))},
            activation=activation,
            task=task,
        )
        for k in range(K)
    ]

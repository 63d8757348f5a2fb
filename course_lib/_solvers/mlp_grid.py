# Must agree with: course_lib.mlp.train_mlp (full batch), network by network: the same initialization,
# dropout masks, optimizer steps, proximal L1 step and stop on divergence. tests/lib/test_mlp_grid.py
# runs both on the same problems.
"""K networks trained at once, stacked on a leading axis: the loop behind ``course_lib.mlp.train_mlps``.

Speed machinery.  The readable version it must agree with is ``course_lib.mlp.train_mlp``
(full batch): network ``k`` of the grid is ``train_mlp(X, y, hidden, rate=rates[k],
weight_decay=weight_decays[k], dropout=dropouts[k], X_val=..., y_val=..., ...)`` to rounding —
the same initialization, the same dropout masks (each network draws from its own copy of the
generator, as its own ``train_mlp`` run would), the same optimizer steps, the proximal L1 step
with SGD, and the same stop when it diverges.  ``tests/lib/test_mlp_grid.py`` compares the two.

The forward and backward passes are not copied here: ``course_lib.mlp.network._forward`` and
``_backward`` run stacked weights ``(K, fan_in, fan_out)`` as they run one network.
"""

from __future__ import annotations

import copy
import warnings

import numpy as np

from ..dropout import dropout_mask
from ..losses import _mean_log_loss
from ..mlp.network import _backward, _forward
from ..optimizers import AdamState, adam_step, adamw_step, sgd_step
from ..penalties import soft_threshold


def _step(optimizer: str, param, grad, state, lr, wd, beta1, beta2, eps):
    """One step of ``train_mlp``'s optimizer for every network, with weight decay ``wd`` per network.

    The optimizer functions take one ``weight_decay`` for a whole array, so the per-network
    term is applied here exactly where they apply theirs, and they are called with 0.
    """
    if optimizer == "sgd":
        return sgd_step(param, grad + wd * param, lr)  # θ − lr·(g + wd·θ)
    if optimizer == "adam":
        return adam_step(param, grad + wd * param, state, lr, beta1, beta2, eps)  # L2 before the moments
    return adamw_step(param * (1.0 - lr * wd), grad, state, lr, beta1, beta2, eps)  # decoupled decay


def _data_losses(z, y, task):
    """The data loss of every network from its output pre-activations ``z`` (K, n): the log-loss kernel
    of ``course_lib.losses`` (one row per network), or ``1/(2n)·Σ(y − z)²`` row by row."""
    if task == "classification":
        return _mean_log_loss(z, y)
    return np.sum((y - z) ** 2, axis=-1) / (2.0 * y.shape[0])


def train_network_grid(X, y, init, rng, *, rates, weight_decays, dropouts, activation, task, optimizer, lr,
                       penalty, decay_biases, epochs, beta1, beta2, eps, X_val=None, y_val=None):
    """Train the K networks; arguments already checked by ``train_mlps``.

    Returns
    -------
    finals : list of K parameter lists ``[{"W", "b"}, ...]``
    records : ndarray, shape (epochs + 1, K, 4)
        data loss, objective, weight norm, validation loss (NaN without validation data).
    lengths : ndarray of int, shape (K,)
        How many records each network has (shorter when it diverged).
    """
    K = rates.size
    n = y.shape[0]
    Ws = [np.repeat(layer["W"][None], K, axis=0) for layer in init]  # (K, fan_in, fan_out)
    bs = [np.repeat(layer["b"][None], K, axis=0) for layer in init]  # (K, fan_out)
    states = [{"W": AdamState.zeros_like(W), "b": AdamState.zeros_like(b)} for W, b in zip(Ws, bs)]
    hidden = [layer["W"].shape[1] for layer in init[:-1]]
    generators = [copy.deepcopy(rng) for _ in range(K)]  # network k draws what its train_mlp would
    alive = np.arange(K)  # which networks are still in the stack (a diverged one leaves it)
    proximal = optimizer == "sgd" and penalty == "l1"

    def masks():
        if not np.any(dropouts[alive] > 0):
            return None
        return [np.stack([dropout_mask((n, h), dropouts[k], seed=generators[k]) for k in alive]) for h in hidden]

    def evaluate(cache):
        nonlocal reusable
        reusable = cache  # without dropout, the next step's forward pass is this one
        data = _data_losses(cache["Z"][-1][..., 0], y, task)
        squares = sum(np.sum(W * W, axis=(1, 2)) for W in Ws)
        if penalty == "l2":
            penalty_value = 0.5 * rates[alive] * squares
        else:
            penalty_value = rates[alive] * sum(np.sum(np.abs(W), axis=(1, 2)) for W in Ws)
        if X_val is None:
            val = np.full(alive.size, np.nan)
        else:
            val = _data_losses(_forward(Ws, bs, X_val, activation, task)["Z"][-1][..., 0], y_val, task)
        return np.column_stack([data, data + penalty_value, np.sqrt(squares), val])

    def keep(mask):
        nonlocal Ws, bs, alive, reusable
        reusable = None  # the stack shrank: recompute (the same numbers) for those left
        Ws, bs, alive = [W[mask] for W in Ws], [b[mask] for b in bs], alive[mask]
        for state in states:
            for key in ("W", "b"):
                state[key] = AdamState(m=state[key].m[mask], v=state[key].v[mask], t=state[key].t)

    records = np.full((epochs + 1, K, 4), np.nan)
    lengths = np.full(K, epochs + 1)
    finals = [None] * K
    diverged_in = {}  # network -> epoch (1-based) where it diverged

    def leave(mask, epoch, length):
        for j in np.flatnonzero(mask):
            k = alive[j]
            finals[k] = [{"W": W[j].copy(), "b": b[j].copy()} for W, b in zip(Ws, bs)]
            lengths[k], diverged_in[k] = length, epoch + 1

    reusable = None
    records[0, alive] = evaluate(_forward(Ws, bs, X, activation, task))
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below instead
        for epoch in range(epochs):
            dropped = masks()
            cache = reusable if dropped is None and reusable is not None else _forward(Ws, bs, X, activation, task,
                                                                                       dropped)
            grads_W, grads_b = _backward(Ws, cache, y, activation)
            if not proximal:
                r = rates[alive][:, None, None]
                grads_W = [g + (r * W if penalty == "l2" else r * np.sign(W)) for W, g in zip(Ws, grads_W)]
            finite = np.ones(alive.size, dtype=bool)
            for g in grads_W:
                finite &= np.all(np.isfinite(g), axis=(1, 2))
            for g in grads_b:
                finite &= np.all(np.isfinite(g), axis=1)
            if not finite.all():  # these stop before the step, as train_mlp does
                leave(~finite, epoch, epoch + 1)
                grads_W, grads_b = [g[finite] for g in grads_W], [g[finite] for g in grads_b]
                keep(finite)
                if alive.size == 0:
                    break
            wd = weight_decays[alive]
            Ws = [_step(optimizer, W, g, s["W"], lr, wd[:, None, None], beta1, beta2, eps)
                  for W, g, s in zip(Ws, grads_W, states)]
            bs = [_step(optimizer, b, g, s["b"], lr, wd[:, None] if decay_biases else 0.0, beta1, beta2, eps)
                  for b, g, s in zip(bs, grads_b, states)]
            if proximal:  # soft-threshold each network's weights by lr·rate, as train_mlp's L1.prox
                finite = np.ones(alive.size, dtype=bool)
                for W in Ws:
                    finite &= np.all(np.isfinite(W), axis=(1, 2))
                if not finite.all():
                    leave(~finite, epoch, epoch + 1)
                    keep(finite)
                    if alive.size == 0:
                        break
                Ws = [np.stack([soft_threshold(W[j].ravel(), lr * rates[k]).reshape(W.shape[1:])
                                for j, k in enumerate(alive)]) for W in Ws]
            records[epoch + 1, alive] = evaluate(_forward(Ws, bs, X, activation, task))
            finite = np.isfinite(records[epoch + 1, alive, 1])
            if not finite.all():  # these stop after the step, keeping this record, as train_mlp does
                leave(~finite, epoch, epoch + 2)
                keep(finite)
                if alive.size == 0:
                    break
    for j, k in enumerate(alive):
        finals[k] = [{"W": W[j].copy(), "b": b[j].copy()} for W, b in zip(Ws, bs)]
    for k, epoch in sorted(diverged_in.items()):
        warnings.warn(
            f"train_mlps: network {k} (rate={rates[k]:g}, weight_decay={weight_decays[k]:g}, dropout={dropouts[k]:g}) "
            f"diverged in epoch {epoch}: the loss or its gradient became NaN or infinite with "
            f"optimizer={optimizer!r} and lr={lr:g}; try a smaller lr. Its history stops there.",
            RuntimeWarning,
            stacklevel=3,
        )
    return finals, records, lengths

r"""Training one network: :func:`train_mlp`, the loop written out.

This is the readable version: one loop over epochs and mini-batches, the dropout masks, the
optimizer step, the proximal L1 step and early stopping in the order the lessons describe them.
:func:`course_lib.mlp.train_mlps` (:mod:`course_lib.mlp.grid`) trains K networks at once and
must give what K calls of :func:`train_mlp` give (``tests/lib/test_mlp_grid.py`` compares them).
"""

from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass

import numpy as np

from .._validation import _describe, as_matrix, check_bool, check_positive_float, check_positive_int, check_rate
from ..dropout import _check_p, dropout_mask
from ..early_stopping import EarlyStopping
from ..optimizers import AdamState, adam_step, adamw_step, sgd_step
from .network import (
    ACTIVATIONS,
    TASKS,
    _backward,
    _check_choice,
    _check_penalty,
    _check_seed,
    _check_y,
    _data_loss,
    _forward,
    _penalty_gradient,
    _penalty_value,
    init_mlp,
    mlp_predict,
    mlp_predict_proba,
)

__all__ = ["TrainedMLP", "train_mlp"]

OPTIMIZERS = ("sgd", "adam", "adamw")
DEFAULT_LR = {"sgd": 0.5, "adam": 0.01, "adamw": 0.01}
HISTORY_KEYS = ("data_loss", "objective", "weight_norm", "val_loss")


# ---------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------


def _check_hidden(hidden) -> tuple:
    """Hidden layer sizes as a tuple of positive ints (one int means one hidden layer)."""
    if isinstance(hidden, numbers.Integral) and not isinstance(hidden, (bool, np.bool_)):
        hidden = (hidden,)
    if isinstance(hidden, (str, bytes)) or not hasattr(hidden, "__len__"):
        raise TypeError(f"hidden must be an int or a sequence of ints like (16,); got {_describe(hidden)}")
    return tuple(check_positive_int(h, f"hidden[{i}]") for i, h in enumerate(hidden))


def _check_dropout(dropout, hidden, name="dropout") -> float:
    p = _check_p(dropout, name)
    if p > 0 and not hidden:
        raise ValueError(f"{name} drops hidden units, and this network has none (hidden=()); "
                         f"got {name}={p:g}")
    return p


def _check_validation(X_val, y_val, X, task):
    """``(X_val, y_val)`` checked against the training data, or ``(None, None)``."""
    if X_val is None and y_val is None:
        return None, None
    if X_val is None or y_val is None:
        missing = "X_val" if X_val is None else "y_val"
        raise ValueError(f"validation data needs both X_val and y_val; got {missing}=None")
    X_val = as_matrix(X_val, "X_val", n_columns=X.shape[1])
    return X_val, _check_y(y_val, X_val.shape[0], task, "y_val")


def _check_patience(patience, X_val):
    if patience is None:
        return None
    patience = check_positive_int(patience, "patience")
    if X_val is None:
        raise ValueError(f"patience stops on the validation loss: give X_val and y_val too; got patience={patience} "
                         "without validation data")
    return patience


def _initial_network(X, hidden, activation, rng):
    return init_mlp([X.shape[1], *hidden, 1], seed=rng, scale="he" if activation == "relu" else "glorot")


# ---------------------------------------------------------------------------
# The trained network
# ---------------------------------------------------------------------------


@dataclass
class TrainedMLP:
    """A trained network: its parameters, how training went, and how to predict.

    Attributes
    ----------
    params : list of dict
        ``[{"W": ..., "b": ...}, ...]`` as in :func:`init_mlp`.
    history : dict of ndarray
        Entry ``k`` is measured after ``k`` epochs (entry 0 at initialization), with the whole
        network (no dropout):

        * ``"data_loss"``: the data loss on the training set;
        * ``"objective"``: data loss + penalty at ``rate`` (``weight_decay`` is part of the
          update rule, not of this objective);
        * ``"weight_norm"``: ``sqrt(Σ_l ||W_l||²)``;
        * ``"val_loss"``: the data loss on the validation set (only with ``X_val, y_val``).

        All have the same length: ``epochs + 1``, or less if early stopping stopped training
        or it diverged.
    activation : str
    task : str
    best_epoch : int or None
        With early stopping (``patience``): the epoch with the lowest validation loss, whose
        parameters ``params`` are.  None otherwise (``params`` are the last epoch's).
    """

    params: list
    history: dict
    activation: str = "tanh"
    task: str = "classification"
    best_epoch: int | None = None

    def predict_proba(self, X) -> np.ndarray:
        """Probability of class 1, shape (n,) (classification only); no dropout."""
        if self.task != "classification":
            raise ValueError(f"predict_proba needs a classification network; this one has task={self.task!r}")
        return mlp_predict_proba(self.params, X, activation=self.activation)

    def predict(self, X) -> np.ndarray:
        """Labels in {0, 1} (classification) or predicted values (regression), shape (n,); no dropout."""
        return mlp_predict(self.params, X, activation=self.activation, task=self.task)


# ---------------------------------------------------------------------------
# One network
# ---------------------------------------------------------------------------


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
    dropout=0.0,
    X_val=None,
    y_val=None,
    patience=None,
) -> TrainedMLP:
    r"""Train an MLP by (mini-batch) gradient descent with SGD, Adam or AdamW.

    The objective is

    .. math::

        \text{data loss} + \frac{\text{rate}}{2}\sum_l \|W_l\|^2
        \quad(\text{or } \text{rate}\sum_l \|W_l\|_1 \text{ with penalty="l1"})

    with the mean log-loss (classification) or ``1/(2n)·Σ(y − ŷ)²`` (regression) as data loss,
    and the penalty on the weight matrices only (biases are never penalized).  Each step
    follows the gradient of this objective on a batch and applies ``weight_decay`` as the
    optimizer defines it:

    * ``"sgd"``: ``θ ← θ − lr·(g + wd·θ)`` — identical to ``rate = wd`` with L2.
    * ``"adam"``: ``wd·θ`` is added to the gradient before the moments
      (PyTorch ``Adam(weight_decay=wd)``) — again the same as ``rate = wd``.
    * ``"adamw"``: decoupled, ``θ ← (1 − lr·wd)·θ`` then the Adam step on the raw
      gradient (PyTorch ``AdamW(weight_decay=wd)``).

    See :mod:`course_lib.optimizers` for the exact equations.

    **L1.**  With ``optimizer="sgd"`` an L1 penalty (any penalty that is not smooth) takes the
    *proximal* step: the gradient step on the data loss, then soft-thresholding of every
    weight by ``lr·rate`` (:func:`course_lib.penalties.soft_threshold`), so weights whose data
    gradient is too weak to pay the penalty land on exactly 0.  Adam and AdamW instead add the
    subgradient ``rate·sign(W)`` to the gradient: Adam divides every coordinate by its own
    ``√v̂``, so there is no single step size ``lr`` by which to soft-threshold, and the
    normalized subgradient makes a weight near 0 jump across it by about ``lr`` per step —
    small, but never exactly 0.  Use SGD to get exact zeros.

    **Dropout.**  With ``dropout=p`` every hidden activation is dropped with probability ``p``
    and the survivors are scaled by ``1/(1 − p)`` (:func:`course_lib.dropout.dropout_mask`,
    a new mask for every batch), in training steps only; the history and the predictions use
    the whole network.

    **Early stopping.**  With ``X_val, y_val`` the history also holds the validation loss.
    With ``patience=k`` training stops once ``k`` epochs in a row have not lowered it, and the
    parameters of the epoch with the lowest validation loss are returned
    (:class:`course_lib.early_stopping.EarlyStopping`).

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
    penalty : {"l2", "l1"} or Penalty
        Which penalty ``rate`` weighs, or a :mod:`course_lib.penalties` object such as
        ``L2(0.01)`` or ``L1(0.001)`` carrying its own rate (then leave ``rate`` at 0):
        ``penalty=L2(0.01)`` trains exactly as ``penalty="l2", rate=0.01``.
    weight_decay : float
        ``>= 0``, applied by the optimizer as above.
    decay_biases : bool
        If True, ``weight_decay`` also shrinks the biases — what PyTorch does to
        every parameter given to the optimizer unless parameter groups exclude
        the biases.  Default False: only weight matrices are decayed.  (``rate``
        never touches biases.)
    epochs : int
        Passes over the data (the most, with early stopping).
    batch_size : int, optional
        Mini-batch size; None (default) means full batch.  Batches are drawn
        from a shuffle of the rows each epoch.
    beta1, beta2, eps : float
        Adam/AdamW constants.
    seed : int or numpy.random.Generator
        Seeds the initialization, the shuffling and the dropout masks: a run is reproducible
        from its seed.
    dropout : float
        Probability of dropping each hidden activation in training, in [0, 1).  With 0 (the
        default) no random number is drawn for dropout and training is exactly as without it.
    X_val, y_val : array_like, optional
        Validation data (both or neither): ``history["val_loss"]``.
    patience : int, optional
        Early stopping (needs ``X_val, y_val``): stop after ``patience`` epochs without a lower
        validation loss and return the best epoch's parameters (``best_epoch``).

    Returns
    -------
    TrainedMLP
        ``params``, ``history`` (see :class:`TrainedMLP`), ``best_epoch``, ``predict``,
        ``predict_proba``.

    Warns
    -----
    RuntimeWarning
        If the objective becomes NaN or infinite (the learning rate is too large);
        training stops at that epoch and the history is cut there.
    """
    task = _check_choice(task, "task", TASKS)
    X = as_matrix(X, "X")
    y = _check_y(y, X.shape[0], task)
    hidden = _check_hidden(hidden)
    activation = _check_choice(activation, "activation", ACTIVATIONS)
    optimizer = _check_choice(optimizer, "optimizer", OPTIMIZERS)
    lr = DEFAULT_LR[optimizer] if lr is None else check_positive_float(lr, "lr")
    penalty = _check_penalty(penalty, check_rate(rate))
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
    p_drop = _check_dropout(dropout, hidden)
    X_val, y_val = _check_validation(X_val, y_val, X, task)
    patience = _check_patience(patience, X_val)
    rng = _check_seed(seed)
    proximal = optimizer == "sgd" and not penalty.smooth  # L1 with SGD: soft-threshold after the step

    init = _initial_network(X, hidden, activation, rng)
    Ws, bs = [layer["W"] for layer in init], [layer["b"] for layer in init]
    states = [{key: AdamState.zeros_like(layer[key]) for key in ("W", "b")} for layer in init]

    def step(l, key, param, grad):
        wd = weight_decay if (key == "W" or decay_biases) else 0.0
        if optimizer == "sgd":
            return sgd_step(param, grad, lr, weight_decay=wd)
        if optimizer == "adam":
            return adam_step(param, grad, states[l][key], lr, beta1, beta2, eps, l2=wd)
        return adamw_step(param, grad, states[l][key], lr, beta1, beta2, eps, weight_decay=wd)

    def loss_on(X_eval, y_eval):  # the whole network, no dropout
        return _data_loss(Ws, bs, _forward(Ws, bs, X_eval, activation, task), y_eval, task)

    def evaluate():
        data = loss_on(X, y)
        norm = float(np.linalg.norm(np.concatenate([W.ravel() for W in Ws])))
        val = loss_on(X_val, y_val) if X_val is not None else np.nan
        return data, data + _penalty_value(Ws, penalty), norm, val

    records = [evaluate()]
    stopper = EarlyStopping(patience) if patience is not None else None
    if stopper is not None:
        stopper.update(0, records[0][3])
        best = (Ws, bs)
    diverged = False
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below instead
        for epoch in range(epochs):
            order = np.arange(n) if batch_size is None else rng.permutation(n)
            size = n if batch_size is None else batch_size
            for start in range(0, n, size):
                rows = order[start : start + size]
                Xb, yb = (X, y) if batch_size is None else (X[rows], y[rows])
                masks = None if p_drop == 0.0 else [dropout_mask((len(rows), h), p_drop, seed=rng) for h in hidden]
                cache = _forward(Ws, bs, Xb, activation, task, masks)
                grads_W, grads_b = _backward(Ws, cache, yb, activation)
                if not proximal:  # the penalty's gradient joins the data gradient (biases: none)
                    grads_W = [g + _penalty_gradient(W, penalty) for W, g in zip(Ws, grads_W)]
                if not all(np.all(np.isfinite(g)) for g in (*grads_W, *grads_b)):
                    diverged = True
                    break
                Ws = [step(l, "W", W, g) for l, (W, g) in enumerate(zip(Ws, grads_W))]
                bs = [step(l, "b", b, g) for l, (b, g) in enumerate(zip(bs, grads_b))]
                if proximal:  # the proximal step: soft-threshold every weight by lr·rate
                    if not all(np.all(np.isfinite(W)) for W in Ws):
                        diverged = True
                        break
                    Ws = [penalty.prox(W.ravel(), lr).reshape(W.shape) for W in Ws]
            if diverged:
                break
            records.append(evaluate())
            if not np.isfinite(records[-1][1]):
                diverged = True
                break
            if stopper is not None:
                stop = stopper.update(epoch + 1, records[-1][3])
                if stopper.best_epoch == epoch + 1:
                    best = (Ws, bs)
                if stop:
                    break
    if diverged:
        warnings.warn(
            f"train_mlp diverged in epoch {epoch + 1}: the loss or its gradient became NaN or "
            f"infinite with optimizer={optimizer!r} and lr={lr:g}; try a smaller lr. "
            f"The history stops there.",
            RuntimeWarning,
            stacklevel=2,
        )

    best_epoch = None
    if stopper is not None:
        (Ws, bs), best_epoch = best, stopper.best_epoch
    records = np.array(records)
    history = {key: records[:, i] for i, key in enumerate(HISTORY_KEYS) if key != "val_loss" or X_val is not None}
    params = [{"W": W, "b": b} for W, b in zip(Ws, bs)]
    return TrainedMLP(params=params, history=history, activation=activation, task=task, best_epoch=best_epoch)

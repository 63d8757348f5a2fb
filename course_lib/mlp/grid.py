r"""Training a grid of networks at once: :func:`train_mlps`, what the widgets precompute.

The networks differ only in their strengths (rate, weight decay, dropout); network ``k`` is the
:func:`course_lib.mlp.train_mlp` run with those strengths.  This module checks the arguments;
the vectorized loop is speed machinery in :mod:`course_lib._solvers.mlp_grid`.
"""

from __future__ import annotations

import numpy as np

from .._validation import _describe, as_matrix, check_bool, check_positive_float, check_positive_int, check_rate
from .network import ACTIVATIONS, TASKS, _check_choice, _check_seed, _check_y
from .training import (
    DEFAULT_LR,
    HISTORY_KEYS,
    OPTIMIZERS,
    TrainedMLP,
    _check_dropout,
    _check_hidden,
    _check_validation,
    _initial_network,
)

__all__ = ["train_mlps"]


def _as_per_network(values, name: str, check):
    """``None`` or a 1-D float array, one checked entry per network."""
    if values is None:
        return None
    if isinstance(values, (str, bytes, dict, set)) or np.ndim(values) != 1:
        raise TypeError(f"{name} must be a 1-D sequence of numbers, one per network; got {_describe(values)}")
    if len(values) == 0:
        raise ValueError(f"{name} must give at least one network; got an empty sequence")
    return np.array([check(v, f"{name}[{k}]") for k, v in enumerate(values)])


def train_mlps(
    X,
    y,
    hidden=(16,),
    *,
    rates=None,
    weight_decays=None,
    dropouts=None,
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
    X_val=None,
    y_val=None,
) -> list[TrainedMLP]:
    r"""Train K networks at once, one per strength: full-batch :func:`train_mlp`, vectorized over networks.

    Network ``k`` is

    .. code-block:: python

        train_mlp(X, y, hidden, rate=rates[k], weight_decay=weight_decays[k], dropout=dropouts[k],
                  batch_size=None, X_val=X_val, y_val=y_val, ...)

    with every other argument shared, so it minimizes (with ``weight_decay`` applied by the
    optimizer as described there)

    .. math::

        \text{data loss} + \frac{\text{rates}_k}{2}\sum_l \|W_l\|^2
        \quad(\text{or } \text{rates}_k\sum_l \|W_l\|_1 \text{ with penalty="l1"}).

    All networks start from the same initialization (the one ``train_mlp`` draws from
    ``seed``) and network ``k`` draws the dropout masks ``train_mlp`` would draw.  Their
    weights are stacked along a leading axis (``W`` of shape ``(K, fan_in, fan_out)``), so one
    numpy call advances every network by a step; the results agree with K separate
    ``train_mlp`` runs to rounding (``tests/lib/test_mlp_grid.py`` checks 1e-12), in a
    fraction of the time when the networks are small.  A network that diverges leaves the
    stack at the epoch where ``train_mlp`` would stop, with the same history.  The loop is in
    :mod:`course_lib._solvers.mlp_grid`.

    Parameters
    ----------
    X, y, hidden, activation, task, optimizer, lr, decay_biases, epochs, beta1, beta2, eps, X_val, y_val
        As in :func:`train_mlp` (full batch only: there is no ``batch_size``; no early stopping:
        apply :func:`course_lib.early_stopping.early_stopping_epochs` to ``history["val_loss"]``).
    penalty : {"l2", "l1"}
        The penalty every ``rates[k]`` weighs (with SGD, L1 takes the proximal step).
    rates : sequence of float, optional
        Penalty strength in the loss of each network, ``>= 0``.  None means 0 for every network.
    weight_decays : sequence of float, optional
        Weight decay of each network, ``>= 0``.  None means 0 for every network.
    dropouts : sequence of float, optional
        Dropout probability of each network, in [0, 1).  None means 0 for every network.
        At least one of ``rates``, ``weight_decays`` and ``dropouts`` is given; those given have
        the same length K.
    seed : int or numpy.random.Generator
        Seeds the one initialization every network starts from, and the dropout masks.

    Returns
    -------
    list of TrainedMLP
        One per network, in the order of the strengths.

    Warns
    -----
    RuntimeWarning
        For each network whose objective becomes NaN or infinite (as :func:`train_mlp`).
    """
    from .._solvers.mlp_grid import train_network_grid  # speed machinery, one hop away (imported late: it
    #                                                     imports this package's network module)
    task = _check_choice(task, "task", TASKS)
    X = as_matrix(X, "X")
    y = _check_y(y, X.shape[0], task)
    hidden = _check_hidden(hidden)
    activation = _check_choice(activation, "activation", ACTIVATIONS)
    optimizer = _check_choice(optimizer, "optimizer", OPTIMIZERS)
    lr = DEFAULT_LR[optimizer] if lr is None else check_positive_float(lr, "lr")
    if not isinstance(penalty, str):
        raise TypeError(f"penalty must be 'l2' or 'l1' (its strength per network is in rates); got {_describe(penalty)}")
    penalty = _check_choice(penalty, "penalty", ("l2", "l1"))
    decay_biases = check_bool(decay_biases, "decay_biases")
    epochs = check_positive_int(epochs, "epochs")
    given = {name: _as_per_network(values, name, check)
             for name, values, check in [("rates", rates, check_rate), ("weight_decays", weight_decays, check_rate),
                                         ("dropouts", dropouts, lambda v, nm: _check_dropout(v, hidden, nm))]
             if values is not None}
    if not given:
        raise ValueError("give rates, weight_decays or dropouts (one number per network); got none of them")
    sizes = {name: values.size for name, values in given.items()}
    if len(set(sizes.values())) > 1:
        listed = ", ".join(f"{size} {name}" for name, size in sizes.items())
        raise ValueError(f"rates, weight_decays and dropouts must have the same length (one entry per network); "
                         f"got {listed}")
    K = next(iter(sizes.values()))
    strengths = {name: given.get(name, np.zeros(K)) for name in ("rates", "weight_decays", "dropouts")}
    X_val, y_val = _check_validation(X_val, y_val, X, task)
    rng = _check_seed(seed)

    init = _initial_network(X, hidden, activation, rng)
    finals, records, lengths = train_network_grid(
        X, y, init, rng, **strengths, activation=activation, task=task, optimizer=optimizer, lr=lr,
        penalty=penalty, decay_biases=decay_biases, epochs=epochs, beta1=beta1, beta2=beta2, eps=eps,
        X_val=X_val, y_val=y_val)
    keys = [key for key in HISTORY_KEYS if key != "val_loss" or X_val is not None]
    return [
        TrainedMLP(
            params=finals[k],
            history={key: records[: lengths[k], k, HISTORY_KEYS.index(key)].copy() for key in keys},
            activation=activation,
            task=task,
        )
        for k in range(K)
    ]

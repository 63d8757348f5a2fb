r"""The course's numpy networks as PyTorch modules and back, for the optional PyTorch comparisons.

PyTorch is never a dependency of the course: it is imported inside these functions only, and the
lesson cells that use them skip when it is missing.  A network here and in PyTorch:

==========================================  ===============================================
course_lib.mlp                              PyTorch
==========================================  ===============================================
``params[l]["W"]``, shape (fan_in, fan_out)  ``nn.Linear(fan_in, fan_out).weight``, its transpose
``params[l]["b"]``                           ``nn.Linear.bias``
``activation="tanh"`` / ``"relu"``           ``nn.Tanh()`` / ``nn.ReLU()``
sigmoid output + mean log-loss               ``nn.Sigmoid()`` + ``nn.BCELoss()`` (mean)
``1/(2n)·Σ(y − ŷ)²`` (regression)             ``nn.MSELoss()`` is ``1/n·Σ(y − ŷ)²``: twice ours
``rate/2·Σ||W||²``, SGD, log-loss            ``SGD(weight_decay=rate)`` on the weights only
``rate/2·Σ||W||²``, SGD, squared loss         ``SGD(lr=lr/2, weight_decay=2·rate)`` with ``MSELoss``
``optimizer="adamw", weight_decay=wd``       ``AdamW(weight_decay=wd)``, biases in a group without decay
``dropout=p``                                ``nn.Dropout(p)`` after each hidden activation
==========================================  ===============================================

Why ``2·rate`` with ``MSELoss``: it has no ½, so its gradient is twice the course's.  SGD on
``MSELoss + wd/2·||W||²`` is SGD on ``2·(course loss + wd/4·||W||²)``: the same minimizer when
``wd = 2·rate``, and the same steps when its learning rate is also halved.
"""

from __future__ import annotations

import numpy as np

from .mlp.network import ACTIVATIONS, _check_choice, _check_params

__all__ = ["torch_mlp", "mlp_params_from_torch", "torch_parameter_groups", "as_tensor"]


def _torch():
    try:
        import torch
    except ImportError as exc:  # pragma: no cover - exercised only without torch
        raise ImportError("PyTorch is not installed: these comparisons are optional "
                          "(pip install torch to run them)") from exc
    return torch


def torch_mlp(params, activation="tanh", task="classification", dropout=0.0):
    """An ``nn.Sequential`` in float64 computing the same function as ``params``.

    Parameters
    ----------
    params : list of dict
        As from :func:`course_lib.mlp.init_mlp` (copied, not shared).
    activation : {"tanh", "relu"}
    task : {"classification", "regression"}
        Classification ends with ``nn.Sigmoid()`` (the output is a probability, for ``nn.BCELoss``).
    dropout : float
        If > 0, an ``nn.Dropout(dropout)`` after each hidden activation.

    Returns
    -------
    torch.nn.Sequential
    """
    torch = _torch()
    params = _check_params(params)
    activation = _check_choice(activation, "activation", ACTIVATIONS)
    task = _check_choice(task, "task", ("classification", "regression"))
    layers = []
    for l, layer in enumerate(params):
        linear = torch.nn.Linear(*layer["W"].shape, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(layer["W"].T.copy()))
            linear.bias.copy_(torch.from_numpy(layer["b"].copy()))
        layers.append(linear)
        if l < len(params) - 1:
            layers.append(torch.nn.Tanh() if activation == "tanh" else torch.nn.ReLU())
            if dropout > 0:
                layers.append(torch.nn.Dropout(dropout))
    if task == "classification":
        layers.append(torch.nn.Sigmoid())
    return torch.nn.Sequential(*layers)


def mlp_params_from_torch(model) -> list[dict]:
    """The ``[{"W", "b"}, ...]`` of the ``nn.Linear`` layers of ``model``, as numpy arrays."""
    torch = _torch()
    linears = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    return [{"W": m.weight.detach().numpy().T.copy(), "b": m.bias.detach().numpy().copy()} for m in linears]


def torch_parameter_groups(model, weight_decay):
    """Optimizer parameter groups: the weight matrices decayed by ``weight_decay``, the biases not.

    PyTorch decays every parameter handed to an optimizer, biases included; the course never
    penalizes biases, so they go in a group of their own with ``weight_decay=0``.
    """
    torch = _torch()
    linears = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    return [{"params": [m.weight for m in linears], "weight_decay": float(weight_decay)},
            {"params": [m.bias for m in linears], "weight_decay": 0.0}]


def as_tensor(array):
    """A float64 tensor of a numpy array (a column for a 1-D target, as PyTorch's losses expect)."""
    torch = _torch()
    array = np.asarray(array, dtype=float)
    return torch.from_numpy(array[:, None] if array.ndim == 1 else array.copy())

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

Modules: :mod:`~course_lib.mlp.network` (parameters, the forward and backward passes,
predictions), :mod:`~course_lib.mlp.training` (:func:`train_mlp` with dropout, validation
data, early stopping and the proximal L1 step) and :mod:`~course_lib.mlp.grid`
(:func:`train_mlps`, a grid of networks at once, for the widgets).
"""

from .network import (
    init_mlp,
    mlp_forward,
    mlp_loss_and_gradients,
    mlp_predict,
    mlp_predict_proba,
    weight_norm,
    weight_vector,
)
from .grid import train_mlps
from .training import TrainedMLP, train_mlp

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

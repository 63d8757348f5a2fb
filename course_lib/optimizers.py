r"""One optimizer step at a time: SGD, Adam with L2, and AdamW.

Three ways to shrink weights, written so the difference shows in the code:

=================  ======================================================  ============================
step               update of a weight ``θ`` with data gradient ``g``       PyTorch equivalent
=================  ======================================================  ============================
``sgd_step``       ``θ ← θ − lr·(g + wd·θ) = (1 − lr·wd)·θ − lr·g``          ``SGD(weight_decay=wd)``
``adam_step``      ``g ← g + l2·θ``, then the Adam step on that ``g``       ``Adam(weight_decay=l2)``
``adamw_step``     ``θ ← (1 − lr·wd)·θ``, then the Adam step on raw ``g``   ``AdamW(weight_decay=wd)``
=================  ======================================================  ============================

* For **SGD**, an L2 penalty ``rate/2·||θ||²`` in the loss (gradient ``rate·θ``)
  and weight decay ``wd`` are the *same update* when ``wd = rate``.
* For **Adam**, they are not: the L2 gradient ``l2·θ`` goes through the moment
  estimates and is divided by ``√v̂``, so a weight with large gradients (large
  ``v̂``) is decayed *less*.  ``torch.optim.Adam(weight_decay=...)`` is this
  L2-in-the-gradient rule, not decoupled decay.
* **AdamW** (Loshchilov & Hutter, "Decoupled Weight Decay Regularization",
  ICLR 2019) shrinks every weight by the same factor ``1 − lr·wd`` per step,
  outside the moment estimates.  Its *strength* is set by ``wd`` alone: a weight
  settles where the decay ``lr·wd·θ`` balances Adam's normalized step (about
  ``lr`` in size), at ``|θ| ≤ U/wd``; ``lr`` sets how fast it gets there, not
  where (see :func:`adamw_step`).

The equations replicate the algorithm boxes of the PyTorch documentation
pages ``torch.optim.SGD``, ``torch.optim.Adam`` and ``torch.optim.AdamW``
(without momentum, ``amsgrad`` or ``maximize``), so the PyTorch traps can be
shown by computation without installing torch:

(a) PyTorch's ``weight_decay`` acts on *every* parameter handed to the
    optimizer, biases included, unless parameter groups give the biases
    ``weight_decay=0``.  These functions decay whatever array they are given;
    :func:`course_lib.mlp.train_mlp` decays weight matrices only unless
    ``decay_biases=True``.
(b) With Adam, ``weight_decay`` is L2 in the gradient (:func:`adam_step`), not
    decoupled decay (:func:`adamw_step`).
(c) The factor of 2: Keras' ``l2(λ)`` adds ``λ·||w||²`` (no 1/2) to the loss,
    whose gradient is ``2λ·w``; see :func:`equivalent_weight_decay_for_keras_l2`.

Every step returns a **new** parameter array and leaves ``param`` and ``grad``
untouched; :class:`AdamState` is the optimizer's memory and is updated in place.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np

from ._validation import _describe, check_positive_float, check_rate

__all__ = [
    "sgd_step",
    "AdamState",
    "adam_step",
    "adamw_step",
    "adamw_decay_factor",
    "equivalent_weight_decay_for_keras_l2",
]


# ---------------------------------------------------------------------------
# Input checks (kept local: arrays here may be matrices as well as vectors).
# ---------------------------------------------------------------------------


def _as_param(value, name: str) -> np.ndarray:
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a numeric array; got {_describe(value)}")
    arr = np.asarray(value)
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number) or np.iscomplexobj(arr):
        raise TypeError(f"{name} must be a real numeric array; got {_describe(value)}")
    arr = arr.astype(np.float64, copy=False)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers; got NaN or inf in {_describe(arr)}")
    return arr


def _as_grad(grad, param: np.ndarray) -> np.ndarray:
    grad = _as_param(grad, "grad")
    if grad.shape != param.shape:
        raise ValueError(
            f"grad must have the shape of param {param.shape}; got shape {grad.shape}"
        )
    return grad


def _check_beta(value, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number in [0, 1); got {_describe(value)}")
    value = float(value)
    if not (0.0 <= value < 1.0):
        raise ValueError(f"{name} must be in [0, 1); got {name}={value:g}")
    return value


# ---------------------------------------------------------------------------
# SGD
# ---------------------------------------------------------------------------


def sgd_step(param, grad, lr, weight_decay=0.0) -> np.ndarray:
    r"""One step of plain gradient descent with optional weight decay.

    .. math::

        \theta \leftarrow \theta - \text{lr}\,(g + \text{wd}\,\theta)
               = (1 - \text{lr}\cdot\text{wd})\,\theta - \text{lr}\, g

    The second form shows why it is called *decay*: each step multiplies the
    weight by ``1 − lr·wd`` before the gradient step.  The first form shows
    that it is exactly gradient descent on ``loss + wd/2·||θ||²``: for SGD,
    **L2 in the loss with** ``rate`` **and weight decay with**
    ``weight_decay = rate`` **are the same update** (computed here in the first
    form, as PyTorch's ``SGD(momentum=0, weight_decay=wd)`` does:
    ``g ← g + wd·θ; θ ← θ − lr·g``).

    Parameters
    ----------
    param : array_like
        Current parameter ``θ`` (any shape).
    grad : array_like, same shape as ``param``
        Gradient of the loss at ``θ``.
    lr : float
        Learning rate, ``> 0``.
    weight_decay : float
        ``wd >= 0``.  Applied to whatever ``param`` is, biases included: leave
        it at 0 for arrays that must not be decayed.

    Returns
    -------
    ndarray
        The new parameter (``param`` is not modified).
    """
    param = _as_param(param, "param")
    grad = _as_grad(grad, param)
    lr = check_positive_float(lr, "lr")
    weight_decay = check_rate(weight_decay, "weight_decay")

    grad = grad + weight_decay * param  # the L2 gradient wd·θ, added to the data gradient
    return param - lr * grad


# ---------------------------------------------------------------------------
# Adam and AdamW
# ---------------------------------------------------------------------------


@dataclass
class AdamState:
    """The memory of Adam for one parameter array.

    Attributes
    ----------
    m : ndarray
        First-moment estimate (running mean of gradients), starts at 0.
    v : ndarray
        Second-moment estimate (running mean of squared gradients), starts at 0.
    t : int
        Number of steps taken so far (the next step is ``t + 1``).
    """

    m: np.ndarray
    v: np.ndarray
    t: int = field(default=0)

    @classmethod
    def zeros_like(cls, param) -> "AdamState":
        """A fresh state (``m = v = 0``, ``t = 0``) for an array shaped like ``param``."""
        param = _as_param(param, "param")
        return cls(m=np.zeros_like(param), v=np.zeros_like(param), t=0)


def _check_state(state, param: np.ndarray) -> AdamState:
    if not isinstance(state, AdamState):
        raise TypeError(
            f"state must be an AdamState (use AdamState.zeros_like(param)); got {_describe(state)}"
        )
    if state.m.shape != param.shape or state.v.shape != param.shape:
        raise ValueError(
            f"state must match param of shape {param.shape}; got state.m of shape "
            f"{state.m.shape} and state.v of shape {state.v.shape}"
        )
    return state


def _adam_direction(grad, state: AdamState, beta1: float, beta2: float, eps: float) -> np.ndarray:
    r"""Update the moments in ``state`` with ``grad`` and return ``m̂ / (√v̂ + ε)``."""
    state.t += 1
    t = state.t
    state.m = beta1 * state.m + (1.0 - beta1) * grad
    state.v = beta2 * state.v + (1.0 - beta2) * grad * grad
    m_hat = state.m / (1.0 - beta1**t)  # bias corrections: m and v start at 0
    v_hat = state.v / (1.0 - beta2**t)
    return m_hat / (np.sqrt(v_hat) + eps)


def _check_adam_args(param, grad, state, lr, beta1, beta2, eps):
    param = _as_param(param, "param")
    grad = _as_grad(grad, param)
    state = _check_state(state, param)
    lr = check_positive_float(lr, "lr")
    beta1 = _check_beta(beta1, "beta1")
    beta2 = _check_beta(beta2, "beta2")
    eps = check_positive_float(eps, "eps")
    return param, grad, state, lr, beta1, beta2, eps


def adam_step(param, grad, state, lr, beta1=0.9, beta2=0.999, eps=1e-8, l2=0.0) -> np.ndarray:
    r"""One Adam step, with L2 added to the gradient (``torch.optim.Adam(weight_decay=l2)``).

    .. math::

        g_t &\leftarrow g_t + \text{l2}\cdot\theta_{t-1} \\
        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t, \qquad
        v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2 \\
        \hat m_t &= m_t / (1-\beta_1^t), \qquad \hat v_t = v_t / (1-\beta_2^t) \\
        \theta_t &= \theta_{t-1} - \text{lr}\cdot \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    This is the algorithm box of the PyTorch ``torch.optim.Adam`` page
    (``amsgrad=False``, ``maximize=False``).  Because ``l2·θ`` is added
    *before* the moments, the decay is divided by ``√v̂`` like the rest of the
    gradient: weights that receive large gradients are decayed less, and a
    weight with zero data gradient does **not** shrink geometrically (its
    first step is about ``lr·sign(θ)`` whatever its size).  Passing ``grad``
    of ``loss + l2/2·||θ||²`` with ``l2=0`` gives the same update.

    Parameters
    ----------
    param : array_like
        Current parameter ``θ_{t−1}``.
    grad : array_like, same shape as ``param``
        Gradient of the data loss at ``θ_{t−1}``.
    state : AdamState
        Moments of this parameter; **updated in place** (``t`` increases by 1).
    lr : float
        Step size ``> 0`` (PyTorch's default is 1e-3).
    beta1, beta2 : float
        Decay rates of the moment estimates, in [0, 1).
    eps : float
        ``> 0``, added to ``√v̂``.
    l2 : float
        Coefficient ``>= 0`` of the L2 gradient ``l2·θ``.

    Returns
    -------
    ndarray
        The new parameter ``θ_t``.
    """
    param, grad, state, lr, beta1, beta2, eps = _check_adam_args(
        param, grad, state, lr, beta1, beta2, eps
    )
    l2 = check_rate(l2, "l2")

    grad = grad + l2 * param  # L2 enters the gradient, so it is rescaled by 1/√v̂ below
    return param - lr * _adam_direction(grad, state, beta1, beta2, eps)


def adamw_step(
    param, grad, state, lr, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0
) -> np.ndarray:
    r"""One AdamW step: decoupled weight decay (``torch.optim.AdamW(weight_decay=...)``).

    .. math::

        \theta &\leftarrow \theta_{t-1} - \text{lr}\cdot\text{wd}\cdot\theta_{t-1}
               = (1 - \text{lr}\cdot\text{wd})\,\theta_{t-1} \\
        m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t, \qquad
        v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2 \\
        \hat m_t &= m_t / (1-\beta_1^t), \qquad \hat v_t = v_t / (1-\beta_2^t) \\
        \theta_t &= \theta - \text{lr}\cdot \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    This is the algorithm box of the PyTorch ``torch.optim.AdamW`` page
    (``amsgrad=False``, ``maximize=False``).  The moments see only the raw
    gradient ``g_t``; the decay never passes through ``√v̂``, so every weight
    shrinks by the same factor ``1 − lr·wd`` per step, and a weight with zero
    gradient decays geometrically, ``θ_t = (1 − lr·wd)^t θ_0``.

    **Strength.** Write the step as ``θ_t = (1 − lr·wd)·θ_{t−1} − lr·u_t`` with
    ``u_t = m̂_t/(√v̂_t + ε)``.  If ``|u_t| <= U`` for all ``t``, then

    .. math:: |\theta_t| \le \frac{U}{\text{wd}} + (1 - \text{lr}\cdot\text{wd})^t
              \Big(|\theta_0| - \frac{U}{\text{wd}}\Big),

    so the weights settle at sizes up to ``U/wd`` — ``U`` is 1 for a gradient of constant
    sign and at most ``(1 − β₁)/√((1 − β₂)(1 − β₁²/β₂))`` (about 7.3 for the defaults) —
    and ``lr·wd`` only sets the speed, about ``1/(lr·wd)`` steps.  The strength is
    ``wd``, not ``lr·wd``: ``lr=0.001, weight_decay=30`` holds every weight below about
    ``U/30``.

    **Scaling.** PyTorch multiplies ``weight_decay`` by ``lr``.  The paper
    (Loshchilov & Hutter, Algorithm 2) writes
    ``θ_t = θ_{t−1} − η_t·(α·m̂_t/(√v̂_t + ε) + λ·θ_{t−1})`` with Adam step
    size ``α`` and a schedule multiplier ``η_t``: its decay ``η_t·λ`` is not
    multiplied by ``α``.  With PyTorch's ``lr = η_t·α`` the two agree when
    ``weight_decay = λ / α``.  PyTorch's default is ``weight_decay=1e-2``;
    here it is 0.

    Parameters
    ----------
    param, grad, state, lr, beta1, beta2, eps
        As in :func:`adam_step`; ``grad`` is the gradient of the data loss
        only.  ``state`` is **updated in place**.
    weight_decay : float
        ``wd >= 0``; the per-step shrink factor is ``1 − lr·wd``
        (:func:`adamw_decay_factor`).

    Returns
    -------
    ndarray
        The new parameter ``θ_t``.
    """
    param, grad, state, lr, beta1, beta2, eps = _check_adam_args(
        param, grad, state, lr, beta1, beta2, eps
    )
    weight_decay = check_rate(weight_decay, "weight_decay")

    decayed = param * (1.0 - lr * weight_decay)  # decoupled: the moments never see this
    return decayed - lr * _adam_direction(grad, state, beta1, beta2, eps)


# ---------------------------------------------------------------------------
# Small conversions for the PyTorch/Keras traps
# ---------------------------------------------------------------------------


def adamw_decay_factor(lr, weight_decay) -> float:
    r"""The factor ``1 − lr·wd`` by which AdamW (PyTorch semantics) shrinks every weight per step.

    After ``t`` steps a weight with zero gradient is ``(1 − lr·wd)^t`` times
    its start value.  Because PyTorch multiplies ``weight_decay`` by ``lr``,
    halving the learning rate also halves the decay per step: ``lr·wd`` is the
    *speed* of the decay.  How large the weights end up is set by ``wd`` alone
    (see :func:`adamw_step`).

    Parameters
    ----------
    lr : float
        Learning rate, ``> 0``.
    weight_decay : float
        ``>= 0``.

    Returns
    -------
    float
    """
    lr = check_positive_float(lr, "lr")
    weight_decay = check_rate(weight_decay, "weight_decay")
    return 1.0 - lr * weight_decay


def equivalent_weight_decay_for_keras_l2(l2) -> float:
    r"""The weight decay that matches a Keras-style ``l2(λ)`` regularizer: ``2·λ``.

    Keras' ``regularizers.l2(λ)`` adds ``λ·Σ w²`` to the (mean) loss, with no
    factor 1/2, so its gradient is ``2λ·w``.  Gradient-based L2 weight decay
    adds ``wd·w`` to the gradient (:func:`sgd_step`, :func:`adam_step`), and
    the course's ``l2_penalty(w, rate) = rate/2·Σ w²`` has gradient
    ``rate·w``.  Hence

    .. math:: \text{wd} = \text{rate} = 2\lambda .

    This compares the penalties alone, added to the *same* data loss; it holds for
    SGD and for coupled Adam (PyTorch ``Adam(weight_decay=)``).  Keras' ``"mse"`` is
    twice the course's data term ``1/(2n)·||y − Xw − b||²``, so a Keras model with
    ``loss="mse"`` and ``l2(λ)`` has the course's minimizer at ``rate = λ`` (the
    README's table of ``rate`` in other libraries).  It does **not** turn a Keras ``l2`` into
    AdamW's decoupled decay, which has no loss-penalty equivalent under Adam.

    Parameters
    ----------
    l2 : float
        The Keras ``l2`` coefficient λ, ``>= 0``.

    Returns
    -------
    float
        ``2·l2``.
    """
    l2 = check_rate(l2, "l2")
    return 2.0 * l2

r"""Penalties on the weights ``w``: value, (sub)gradient and proximal operator.

Every penalty in the course comes in one shape, so that any trainer can take
any of them:

=====================  ==============================  ===========================  ==============================
penalty                value ``penalty(w, rate)``       (sub)gradient                 proximal step ``prox(v, step)``
=====================  ==============================  ===========================  ==============================
L2 (ridge)             ``rate/2 · Σ w²``                ``rate · w``                  ``v / (1 + step·rate)``
L1 (lasso)             ``rate · Σ |w|``                 ``rate · sign(w)`` (0 at 0)   ``soft_threshold(v, step·rate)``
elastic net            ``rate·(ρ·Σ|w| + (1−ρ)/2·Σw²)``  sum of the two                soft-threshold, then shrink
=====================  ==============================  ===========================  ==============================

Here ``rate`` is the λ (or α) of the textbooks: any number ``>= 0``; ρ is
``l1_ratio``.  The intercept ``b`` is never passed to a penalty.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import as_vector, check_fraction, check_positive_float, check_rate

__all__ = [
    "l2_penalty",
    "l2_gradient",
    "l1_penalty",
    "l1_subgradient",
    "soft_threshold",
    "elastic_net_penalty",
    "elastic_net_gradient",
    "Penalty",
    "NoPenalty",
    "L2",
    "L1",
    "ElasticNet",
    "make_penalty",
]


def l2_penalty(w, rate) -> float:
    r"""L2 (ridge) penalty.

    .. math:: \Omega(w) = \frac{\text{rate}}{2} \sum_j w_j^2

    The factor 1/2 is there so that the gradient is ``rate · w``.

    Parameters
    ----------
    w : array_like, shape (p,)
        Weights (never the intercept).
    rate : float
        Regularization strength λ, any number ``>= 0``.

    Returns
    -------
    float
    """
    w = as_vector(w, "w")
    rate = check_rate(rate)
    return 0.5 * rate * float(w @ w)


def l2_gradient(w, rate) -> np.ndarray:
    r"""Gradient of :func:`l2_penalty`: ``rate · w`` (the 1/2 cancels the 2).

    Returns
    -------
    ndarray, shape (p,)
    """
    w = as_vector(w, "w")
    rate = check_rate(rate)
    return rate * w


def l1_penalty(w, rate) -> float:
    r"""L1 (lasso) penalty.

    .. math:: \Omega(w) = \text{rate} \sum_j |w_j|

    Parameters
    ----------
    w : array_like, shape (p,)
    rate : float
        Any number ``>= 0``.

    Returns
    -------
    float
    """
    w = as_vector(w, "w")
    rate = check_rate(rate)
    return rate * float(np.sum(np.abs(w)))


def l1_subgradient(w, rate) -> np.ndarray:
    r"""The subgradient of :func:`l1_penalty` that is 0 where ``w == 0``.

    .. math:: g_j = \text{rate} \cdot \operatorname{sign}(w_j), \qquad \operatorname{sign}(0) = 0

    At ``w_j = 0`` every value in ``[-rate, rate]`` is a valid subgradient; we
    return the minimum-norm one, 0.

    Returns
    -------
    ndarray, shape (p,)
    """
    w = as_vector(w, "w")
    rate = check_rate(rate)
    return rate * np.sign(w)


def soft_threshold(v, threshold) -> np.ndarray:
    r"""Soft-thresholding, the proximal operator of ``threshold · ||·||₁``.

    .. math::

        S_t(v)_j = \operatorname{sign}(v_j)\,\max(|v_j| - t,\ 0)
                 = \arg\min_w \tfrac12\|w - v\|^2 + t\,\|w\|_1

    Entries with ``|v_j| <= threshold`` become exactly 0; the others move
    ``threshold`` towards 0.

    Parameters
    ----------
    v : array_like, shape (p,)
    threshold : float
        Any number ``>= 0``.

    Returns
    -------
    ndarray, shape (p,)
    """
    v = as_vector(v, "v")
    threshold = check_rate(threshold, "threshold")
    # ``+ 0.0`` turns the -0.0 of negative entries that were zeroed into 0.0.
    return np.sign(v) * np.maximum(np.abs(v) - threshold, 0.0) + 0.0


def elastic_net_penalty(w, rate, l1_ratio) -> float:
    r"""Elastic-net penalty, a blend of L1 and L2.

    .. math::

        \Omega(w) = \text{rate}\Big(\rho \sum_j |w_j| + \frac{1-\rho}{2}\sum_j w_j^2\Big),
        \qquad \rho = \text{l1\_ratio} \in [0, 1]

    ``l1_ratio=1`` is :func:`l1_penalty`, ``l1_ratio=0`` is :func:`l2_penalty`.
    This is scikit-learn's ``ElasticNet(alpha=rate, l1_ratio=l1_ratio)`` penalty.
    """
    w = as_vector(w, "w")
    rate = check_rate(rate)
    rho = check_fraction(l1_ratio, "l1_ratio")
    return rate * (rho * float(np.sum(np.abs(w))) + 0.5 * (1.0 - rho) * float(w @ w))


def elastic_net_gradient(w, rate, l1_ratio) -> np.ndarray:
    r"""Subgradient of :func:`elastic_net_penalty` (0 for the L1 part where ``w == 0``).

    .. math:: g = \text{rate}\,(\rho\,\operatorname{sign}(w) + (1-\rho)\,w)
    """
    w = as_vector(w, "w")
    rate = check_rate(rate)
    rho = check_fraction(l1_ratio, "l1_ratio")
    return rate * (rho * np.sign(w) + (1.0 - rho) * w)


# ---------------------------------------------------------------------------
# Penalty objects: the same three operations, bound to a rate, for trainers.
# ---------------------------------------------------------------------------


class Penalty:
    """A penalty bound to its rate: ``value(w)``, ``gradient(w)``, ``prox(v, step)``.

    ``prox(v, step)`` returns ``argmin_w 1/(2·step)·||w − v||² + value(w)``.
    ``smooth`` tells whether ``gradient`` is a true gradient (L2) or only a
    subgradient (anything with an L1 part), in which case proximal methods
    should be used to get exact zeros.
    """

    rate: float = 0.0
    smooth: bool = True

    def value(self, w) -> float:  # pragma: no cover - interface
        raise NotImplementedError

    def gradient(self, w) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError

    def prox(self, v, step) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError

    def __call__(self, w) -> float:
        return self.value(w)


@dataclass(frozen=True)
class NoPenalty(Penalty):
    """No regularization: value 0, gradient 0, prox the identity."""

    rate: float = 0.0
    smooth: bool = True

    def value(self, w) -> float:
        as_vector(w, "w")
        return 0.0

    def gradient(self, w) -> np.ndarray:
        return np.zeros_like(as_vector(w, "w"))

    def prox(self, v, step) -> np.ndarray:
        check_positive_float(step, "step")
        return as_vector(v, "v")


@dataclass(frozen=True)
class L2(Penalty):
    """``rate/2 · Σ w²`` (see :func:`l2_penalty`)."""

    rate: float = 0.0
    smooth: bool = True

    def __post_init__(self):
        object.__setattr__(self, "rate", check_rate(self.rate))

    def value(self, w) -> float:
        return l2_penalty(w, self.rate)

    def gradient(self, w) -> np.ndarray:
        return l2_gradient(w, self.rate)

    def prox(self, v, step) -> np.ndarray:
        step = check_positive_float(step, "step")
        return as_vector(v, "v") / (1.0 + step * self.rate)


@dataclass(frozen=True)
class L1(Penalty):
    """``rate · Σ |w|`` (see :func:`l1_penalty`)."""

    rate: float = 0.0
    smooth: bool = False

    def __post_init__(self):
        object.__setattr__(self, "rate", check_rate(self.rate))

    def value(self, w) -> float:
        return l1_penalty(w, self.rate)

    def gradient(self, w) -> np.ndarray:
        return l1_subgradient(w, self.rate)

    def prox(self, v, step) -> np.ndarray:
        step = check_positive_float(step, "step")
        return soft_threshold(v, step * self.rate)


@dataclass(frozen=True)
class ElasticNet(Penalty):
    """``rate · (l1_ratio·Σ|w| + (1 − l1_ratio)/2 · Σw²)`` (see :func:`elastic_net_penalty`)."""

    rate: float = 0.0
    l1_ratio: float = 0.5
    smooth: bool = False

    def __post_init__(self):
        object.__setattr__(self, "rate", check_rate(self.rate))
        object.__setattr__(self, "l1_ratio", check_fraction(self.l1_ratio, "l1_ratio"))

    def value(self, w) -> float:
        return elastic_net_penalty(w, self.rate, self.l1_ratio)

    def gradient(self, w) -> np.ndarray:
        return elastic_net_gradient(w, self.rate, self.l1_ratio)

    def prox(self, v, step) -> np.ndarray:
        step = check_positive_float(step, "step")
        shrunk = soft_threshold(v, step * self.rate * self.l1_ratio)
        return shrunk / (1.0 + step * self.rate * (1.0 - self.l1_ratio))


def make_penalty(penalty, rate=0.0, l1_ratio=0.5) -> Penalty:
    """Return a :class:`Penalty` from a name (``"l2"``, ``"l1"``, ``"elasticnet"``, ``"none"``) or pass one through."""
    if isinstance(penalty, Penalty):
        return penalty
    if penalty is None:
        return NoPenalty()
    if not isinstance(penalty, str):
        raise TypeError(
            "penalty must be 'l2', 'l1', 'elasticnet', 'none' or a Penalty object; "
            f"got {type(penalty).__name__} {penalty!r}"
        )
    key = penalty.lower().replace("_", "").replace("-", "")
    if key == "l2":
        return L2(rate)
    if key == "l1":
        return L1(rate)
    if key in ("elasticnet", "enet"):
        return ElasticNet(rate, l1_ratio)
    if key == "none":
        check_rate(rate)
        return NoPenalty()
    raise ValueError(f"penalty must be one of 'l2', 'l1', 'elasticnet', 'none'; got penalty={penalty!r}")

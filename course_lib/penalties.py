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
``l1_ratio``.  The intercept ``b`` is never passed to a penalty.  In scikit-learn the same
penalties are ``Ridge(alpha=n·rate)``, ``Lasso(alpha=rate)`` and
``ElasticNet(alpha=rate, l1_ratio=ρ)`` for the squared loss ``1/(2n)·||y − Xw − b||²``.

The functions above (``l1_penalty(w, rate)``, ...) take the rate each call.  The objects
``L2(rate)``, ``L1(rate)``, ``ElasticNet(rate, l1_ratio)`` and ``NoPenalty()`` carry it, with the
same three operations ``value(w)``, ``gradient(w)`` and ``prox(v, step)``, so that any trainer
takes any of them: ``gradient_descent(..., L1(0.1))``, ``fit_logistic(X, y, penalty=L1(0.05))``.
Whether a penalty is smooth is a property of its kind (``L2.smooth`` is True, ``L1.smooth`` False).
:func:`make_penalty` turns the lessons' spelling ``penalty="l1", rate=0.05`` into ``L1(0.05)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, is_dataclass
from typing import ClassVar

import numpy as np

from ._validation import _describe, as_vector, check_fraction, check_positive_float, check_rate, check_real

__all__ = [
    "l2_penalty",
    "l2_gradient",
    "l1_penalty",
    "l1_subgradient",
    "soft_threshold",
    "soft_threshold_scalar",
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


def soft_threshold_scalar(z, threshold) -> float:
    r""":func:`soft_threshold` for one number: ``sign(z)·max(|z| − threshold, 0)`` as a float.

    The same operator, written for the inner loops that apply it to one coordinate at a time
    (coordinate descent calls it ``p`` times a pass, where building an array each time would
    cost more than the arithmetic).  It returns exactly what ``soft_threshold([z], threshold)[0]``
    returns, ``0.0`` (never ``-0.0``) in the band ``|z| <= threshold``.

    Parameters
    ----------
    z : float
        Any finite real number.
    threshold : float
        Any number ``>= 0``.

    Returns
    -------
    float
    """
    if not (isinstance(z, float) and isinstance(threshold, float) and math.isfinite(z)
            and 0.0 <= threshold < math.inf):  # the fast path takes finite floats; check the rest
        z = check_real(z, "z")
        threshold = check_rate(threshold, "threshold")
    shrunk = abs(z) - threshold
    if shrunk <= 0.0:
        return 0.0
    return float(shrunk if z > 0.0 else -shrunk)


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
    r"""A penalty bound to its rate: ``value(w)``, ``gradient(w)``, ``prox(v, step)``.

    Every penalty of the course is a blend of the two norms,

    .. math:: \text{penalty}(w) = \text{l1\_rate}\sum_j |w_j| + \frac{\text{l2\_rate}}{2}\sum_j w_j^2,

    and the four kinds differ only in how their ``rate`` splits into ``l1_rate`` and ``l2_rate``
    (solvers that treat the two parts differently, such as coordinate descent, read these two).

    * ``value(w)``: the penalty;
    * ``gradient(w)``: its gradient, or for an L1 part the subgradient that is 0 where ``w = 0``;
    * ``prox(v, step)``: ``argmin_w 1/(2·step)·||w − v||² + value(w)``, the proximal step.

    ``smooth`` belongs to the kind, not to an object: ``L2`` and ``NoPenalty`` are smooth (their
    gradient is a true gradient); ``L1`` and ``ElasticNet`` are not, so gradient steps on them
    never land on exact zeros and proximal methods should be used.
    """

    smooth: ClassVar[bool]
    rate: float

    def __new__(cls, *args, **kwargs):
        # The generated __init__ would say only "takes 2 positional arguments"; say why instead.
        if not is_dataclass(cls):  # a penalty of the learner's own, with its own __init__
            return super().__new__(cls)
        names = [field.name for field in fields(cls)]
        extra_positional = args[len(names):]
        extra_named = sorted(set(kwargs) - set(names))
        if extra_positional or extra_named:
            given = ", ".join([repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()])
            call = f"{cls.__name__}({given})"
            if "smooth" in extra_named or any(isinstance(a, (bool, np.bool_)) for a in extra_positional):
                raise TypeError(
                    f"smooth is not an argument of {cls.__name__}: whether a penalty is smooth is a "
                    f"property of its kind ({cls.__name__}.smooth is {cls.smooth}; L2 and NoPenalty "
                    f"are smooth, L1 and ElasticNet are not); got {call}"
                )
            takes = "no arguments" if not names else "only " + " and ".join(names)
            raise TypeError(f"{cls.__name__} takes {takes}; got {call}")
        return super().__new__(cls)

    @property
    def l1_rate(self) -> float:
        """Strength of the ``Σ|w_j|`` part."""
        raise self._no_split()

    @property
    def l2_rate(self) -> float:
        """Strength of the ``½Σw_j²`` part."""
        raise self._no_split()

    def _no_split(self):
        return TypeError(
            f"{type(self).__name__} does not say how it splits into an L1 and an L2 part "
            "(l1_rate, l2_rate): gradient_descent and proximal_gradient take it, other trainers do not"
        )

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

    smooth: ClassVar[bool] = True
    rate: ClassVar[float] = 0.0
    l1_rate: ClassVar[float] = 0.0
    l2_rate: ClassVar[float] = 0.0

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
    """``rate/2 · Σ w²`` (see :func:`l2_penalty`): the gradient ``rate·w`` and prox ``v/(1 + step·rate)``."""

    rate: float = 0.0
    smooth: ClassVar[bool] = True

    def __post_init__(self):
        object.__setattr__(self, "rate", check_rate(self.rate))

    l1_rate = property(lambda self: 0.0, doc="0: no L1 part.")
    l2_rate = property(lambda self: self.rate, doc="``rate``.")

    def value(self, w) -> float:
        return l2_penalty(w, self.rate)

    def gradient(self, w) -> np.ndarray:
        return l2_gradient(w, self.rate)

    def prox(self, v, step) -> np.ndarray:
        step = check_positive_float(step, "step")
        return as_vector(v, "v") / (1.0 + step * self.rate)


@dataclass(frozen=True)
class L1(Penalty):
    """``rate · Σ |w|`` (see :func:`l1_penalty`): subgradient ``rate·sign(w)``, prox soft-thresholding."""

    rate: float = 0.0
    smooth: ClassVar[bool] = False

    def __post_init__(self):
        object.__setattr__(self, "rate", check_rate(self.rate))

    l1_rate = property(lambda self: self.rate, doc="``rate``.")
    l2_rate = property(lambda self: 0.0, doc="0: no L2 part.")

    def value(self, w) -> float:
        return l1_penalty(w, self.rate)

    def gradient(self, w) -> np.ndarray:
        return l1_subgradient(w, self.rate)

    def prox(self, v, step) -> np.ndarray:
        step = check_positive_float(step, "step")
        return soft_threshold(v, step * self.rate)


@dataclass(frozen=True)
class ElasticNet(Penalty):
    """``rate · (l1_ratio·Σ|w| + (1 − l1_ratio)/2 · Σw²)`` (see :func:`elastic_net_penalty`).

    The prox soft-thresholds by ``step·rate·l1_ratio``, then divides by
    ``1 + step·rate·(1 − l1_ratio)``.  ``ElasticNet(rate, 1)`` is ``L1(rate)`` and
    ``ElasticNet(rate, 0)`` is ``L2(rate)``, as in scikit-learn's ``ElasticNet(alpha=rate, l1_ratio)``.
    """

    rate: float = 0.0
    l1_ratio: float = 0.5
    smooth: ClassVar[bool] = False

    def __post_init__(self):
        object.__setattr__(self, "rate", check_rate(self.rate))
        object.__setattr__(self, "l1_ratio", check_fraction(self.l1_ratio, "l1_ratio"))

    l1_rate = property(lambda self: self.rate * self.l1_ratio, doc="``rate·l1_ratio``.")
    l2_rate = property(lambda self: self.rate * (1.0 - self.l1_ratio), doc="``rate·(1 − l1_ratio)``.")

    def value(self, w) -> float:
        return elastic_net_penalty(w, self.rate, self.l1_ratio)

    def gradient(self, w) -> np.ndarray:
        return elastic_net_gradient(w, self.rate, self.l1_ratio)

    def prox(self, v, step) -> np.ndarray:
        step = check_positive_float(step, "step")
        shrunk = soft_threshold(v, step * self.rate * self.l1_ratio)
        return shrunk / (1.0 + step * self.rate * (1.0 - self.l1_ratio))


_NAMES = {"l2": L2, "l1": L1, "elasticnet": ElasticNet, "enet": ElasticNet, "none": NoPenalty}
_NAME_OF = {L2: "l2", L1: "l1", ElasticNet: "elasticnet", NoPenalty: "none"}
_NOT_GIVEN = object()  # make_penalty's defaults: "the caller said nothing", unlike an explicit None


def make_penalty(penalty, rate=_NOT_GIVEN, l1_ratio=_NOT_GIVEN) -> Penalty:
    """Return the :class:`Penalty` a trainer was given: the one resolver of every ``penalty=`` argument.

    Trainers take a penalty in either of two equivalent forms, and resolve it here:

    * a name with a rate, as the lessons write it: ``penalty="l1", rate=0.05``
      (``"l2"``, ``"l1"``, ``"elasticnet"`` — also ``"elastic_net"``, ``"elastic-net"``,
      ``"enet"`` — or ``"none"``/``None``);
    * a :class:`Penalty` object that carries its rate: ``penalty=L1(0.05)``.

    Parameters
    ----------
    penalty : str, None or Penalty
    rate : float, optional
        The strength for a name; left out, it is 0 (no regularization).  A trainer whose ``rate``
        defaults to ``None`` passes it on as it is: with a Penalty object ``None`` means "the
        object's rate", with a name it is an error that asks for a rate.  A rate that differs
        from a Penalty object's own is ambiguous and raises a ``ValueError`` naming both.
    l1_ratio : float, optional
        L1 share for ``"elasticnet"`` (left out or ``None`` with an object: 0.5, or the object's);
        ignored by the other names.  With an ``ElasticNet`` object a different value raises.

    Returns
    -------
    Penalty
        ``make_penalty("l1", 0.05) == L1(0.05)``; a Penalty object is returned as it is.

    Examples
    --------
    ``fit_logistic(X, y, rate=None, penalty="l2")`` resolves its penalty with
    ``make_penalty(penalty, rate, l1_ratio)``, so that ``fit_logistic(X, y, penalty=L1(0.05))``
    and ``fit_logistic(X, y, 0.05, "l1")`` are the same fit, and ``fit_logistic(X, y, 0.1,
    L1(0.05))`` raises.
    """
    if isinstance(penalty, Penalty):
        return _check_agrees(
            penalty, None if rate is _NOT_GIVEN else rate, None if l1_ratio is _NOT_GIVEN else l1_ratio
        )
    if penalty is None:
        penalty = "none"
    if not isinstance(penalty, str):
        raise TypeError(
            "penalty must be one of 'l2', 'l1', 'elasticnet', 'none' or a Penalty object such as "
            f"L1(0.1); got {_describe(penalty)}"
        )
    kind = _NAMES.get(penalty.lower().replace("_", "").replace("-", ""))
    if kind is None:
        raise ValueError(
            f"penalty must be one of 'l2', 'l1', 'elasticnet', 'none'; got penalty={penalty!r} "
            "(or pass a Penalty object such as L1(0.1))"
        )
    if rate is None:
        raise TypeError(
            f"rate must be a non-negative real number; got NoneType None: penalty={penalty!r} needs "
            f"a rate (e.g. rate=0.1), or pass a Penalty object that carries it, such as "
            f"{kind.__name__}(0.1)" if kind is not NoPenalty else
            f"rate must be a non-negative real number; got NoneType None (penalty={penalty!r} "
            "needs no rate: leave it out)"
        )
    rate = 0.0 if rate is _NOT_GIVEN else check_rate(rate)
    if kind is NoPenalty:
        return NoPenalty()
    if kind is ElasticNet:
        return ElasticNet(rate, 0.5 if l1_ratio is _NOT_GIVEN else l1_ratio)
    return kind(rate)


def _check_agrees(penalty: Penalty, rate, l1_ratio) -> Penalty:
    """A Penalty object plus a ``rate``/``l1_ratio`` of its own: fine only when they agree."""
    name = _NAME_OF.get(type(penalty), type(penalty).__name__)
    if rate is not None and check_rate(rate) != penalty.rate:
        raise ValueError(
            f"rate={rate!r} and penalty={penalty!r} disagree: give the strength once, either in "
            f"the object (penalty={type(penalty).__name__}({penalty.rate!r}) with no rate) or as a "
            f"name and a rate (penalty={name!r}, rate={rate!r})"
        )
    if l1_ratio is not None:
        ratio = check_fraction(l1_ratio, "l1_ratio")
        if not isinstance(penalty, ElasticNet):
            raise ValueError(
                f"l1_ratio={l1_ratio!r} applies only to an elastic net; got penalty={penalty!r} "
                f"(use ElasticNet({penalty.rate!r}, {l1_ratio!r}), or leave l1_ratio out)"
            )
        if ratio != penalty.l1_ratio:
            raise ValueError(
                f"l1_ratio={l1_ratio!r} and penalty={penalty!r} disagree: give the L1 share once, "
                f"inside ElasticNet(rate, l1_ratio)"
            )
    return penalty

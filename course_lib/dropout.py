r"""Inverted dropout: switch units off at random while training, scale the survivors up.

During training each entry of a layer's activations ``a`` is **kept** with probability
``1 − p`` and multiplied by ``1/(1 − p)``, or **dropped** (set to exactly 0) with probability
``p``.  At evaluation time (``training=False``) nothing is dropped and nothing is scaled.

Where the ``1/(1 − p)`` comes from: the expected value of one entry after dropout is

.. math::

    \mathbb{E}[\text{dropout}(a)] = (1 - p)\cdot\frac{a}{1 - p} + p\cdot 0 = a ,

so every unit of the next layer receives, on average, the same input in training as at
evaluation, when the whole network is used.  (The original paper, Srivastava et al. 2014,
scaled the weights by ``1 − p`` at test time instead; scaling during training, "inverted"
dropout, is what PyTorch's ``nn.Dropout`` and Keras' ``Dropout`` do.)

``p`` is the probability of **dropping** a unit, as in PyTorch and Keras; Srivastava et al.
write the keep probability ``1 − p``.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._validation import _describe, check_bool

__all__ = ["dropout", "dropout_mask"]


def _check_p(p, name: str = "p") -> float:
    """``p`` as a float in [0, 1): a probability of dropping, 1 excluded (it would drop everything)."""
    if isinstance(p, (bool, np.bool_)) or not isinstance(p, numbers.Real):
        raise TypeError(f"{name} must be a probability in [0, 1) (the chance of dropping a unit); "
                        f"got {_describe(p)}")
    value = float(p)
    if not (0.0 <= value < 1.0):  # also False for NaN
        raise ValueError(f"{name} must be in [0, 1) (the chance of dropping a unit; 1 would drop every "
                         f"unit); got {name}={value:g}")
    return value


def _generator(seed) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be None, a non-negative int or a numpy Generator; got {_describe(seed)}")
    if seed < 0:
        raise ValueError(f"seed must be a non-negative int; got seed={seed}")
    return np.random.default_rng(int(seed))


def _check_shape(shape) -> tuple:
    if isinstance(shape, numbers.Integral) and not isinstance(shape, (bool, np.bool_)):
        shape = (shape,)
    if not isinstance(shape, (tuple, list)) or not all(
            isinstance(s, numbers.Integral) and not isinstance(s, (bool, np.bool_)) and s >= 0 for s in shape):
        raise TypeError(f"shape must be a tuple of non-negative ints like (32, 16); got {_describe(shape)}")
    return tuple(int(s) for s in shape)


def dropout_mask(shape, p, *, seed=None) -> np.ndarray:
    r"""The multipliers inverted dropout applies: ``1/(1 − p)`` with probability ``1 − p``, else 0.

    .. math:: m_{ij} = \begin{cases} 1/(1-p) & \text{with probability } 1 - p \\
                                      0 & \text{with probability } p \end{cases}

    so that ``dropout(a, p) = a · m`` entry by entry and ``E[m] = 1``.  An entry is kept when a
    uniform draw ``u ~ U[0, 1)`` satisfies ``u >= p``.  With ``p = 0`` every multiplier is 1 and
    no random number is drawn.

    Parameters
    ----------
    shape : tuple of int
        Shape of the activations, e.g. ``(n_samples, n_units)``.
    p : float
        Probability of dropping an entry, in [0, 1).
    seed : None, int or numpy.random.Generator
        The same int gives the same mask; a Generator is drawn from (and advances); None draws
        fresh randomness.

    Returns
    -------
    ndarray of the given shape
        Entries 0.0 or ``1/(1 − p)``.
    """
    shape = _check_shape(shape)
    p = _check_p(p)
    rng = _generator(seed)
    if p == 0.0:
        return np.ones(shape)
    keep = rng.random(shape) >= p
    return np.where(keep, 1.0 / (1.0 - p), 0.0)


def dropout(a, p, *, seed=None, training=True) -> np.ndarray:
    r"""Inverted dropout of the activations ``a``.

    .. math::

        \text{dropout}(a)_{ij} = \begin{cases} a_{ij} / (1-p) & \text{kept, with probability } 1 - p \\
                                                0 & \text{dropped, with probability } p \end{cases}
        \qquad\Rightarrow\qquad \mathbb{E}[\text{dropout}(a)] = a

    Parameters
    ----------
    a : array_like
        Activations of any shape (e.g. ``(n_samples, n_units)``), finite numbers.
    p : float
        Probability of dropping each entry, in [0, 1) (PyTorch's ``nn.Dropout(p)``).
    seed : None, int or numpy.random.Generator
        The same seed gives the same mask (see :func:`dropout_mask`).
    training : bool
        False (evaluation, prediction) returns ``a`` unchanged: the whole network is used.

    Returns
    -------
    ndarray
        A new float array; dropped entries are exactly 0.  With ``training=False`` or
        ``p == 0`` the values of ``a``, unchanged.
    """
    if isinstance(a, (str, bytes)) or a is None:
        raise TypeError(f"a must be a numeric array of activations; got {_describe(a)}")
    arr = np.asarray(a)
    if arr.dtype == object or np.iscomplexobj(arr) or not (
            np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)):
        raise TypeError(f"a must be a numeric array of activations; got {_describe(a)}")
    arr = arr.astype(float)  # a copy: the caller's array is never changed
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"a must contain only finite numbers; got NaN or inf in {_describe(arr)}")
    p = _check_p(p)
    training = check_bool(training, "training")
    if not training or p == 0.0:
        return arr
    mask = dropout_mask(arr.shape, p, seed=seed)
    return np.where(mask > 0.0, arr * mask, 0.0)  # exactly +0.0 where dropped

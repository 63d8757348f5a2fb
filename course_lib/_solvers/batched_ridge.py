# Must agree with: course_lib.trainers.fit_ridge (the normal equations, or lstsq at rate 0) run on
# each training set separately. tests/lib/test_solvers.py runs both on the same problems.
r"""Ridge coefficients for many training sets at once, through one batched SVD.

The bias-variance simulations of lesson 02 fit the same model to hundreds of training sets.  For
centered features ``Z_r`` (``n × d``) and centered targets ``y_r`` of set ``r``, with the SVD
``Z_r = U_r diag(s_r) V_rᵀ``, the minimizer of ``1/(2n)·||y_r − Z_r w||² + rate/2·||w||²`` is

.. math:: w_r = V_r\,\operatorname{diag}\!\Big(\frac{s_{rk}}{s_{rk}^2 + n\cdot\text{rate}}\Big)\,U_r^\top y_r ,

and ``np.linalg.svd`` factors the whole stack ``(R, n, d)`` in one call.  At ``rate = 0`` this is
least squares; singular values below ``max(n, d)·eps·s_max`` are dropped, which gives the
minimum-norm solution when it is not unique (``np.linalg.lstsq``'s cutoff).
"""

from __future__ import annotations

import numpy as np

__all__ = ["ridge_coefficients_batched"]


def ridge_coefficients_batched(Z, y, rate):
    """Ridge weights of every training set: ``Z`` (R, n, d) and ``y`` (R, n), both centered; (R, d)."""
    n, d = Z.shape[1], Z.shape[2]
    U, s, Vt = np.linalg.svd(Z, full_matrices=False)  # (R, n, k), (R, k), (R, k, d)
    if rate > 0:
        gain = s / (s * s + n * rate)
    else:
        keep = s > max(n, d) * np.finfo(float).eps * s[:, :1]
        gain = np.where(keep, 1.0 / np.where(keep, s, 1.0), 0.0)
    return np.einsum("rkd,rk->rd", Vt, gain * np.einsum("rnk,rn->rk", U, y))

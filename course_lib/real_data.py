r"""The real data sets of the course: the prostate cancer data (ESL §3.4) and the diabetes data.

Both can also be imported from :mod:`course_lib.data`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

import numpy as np

from ._validation import check_bool
from .features import standardize

__all__ = ["PROSTATE_FEATURES", "Prostate", "load_prostate", "load_diabetes_data"]


PROSTATE_FEATURES = ("lcavol", "lweight", "age", "lbph", "svi", "lcp", "gleason", "pgg45")


@dataclass(frozen=True)
class Prostate:
    """The prostate cancer data, split as in ESL.

    Attributes
    ----------
    X : ndarray, shape (97, 8)
        Predictors in the order of :data:`PROSTATE_FEATURES`.
    y : ndarray, shape (97,)
        Response ``lpsa`` (log prostate-specific antigen).
    train : ndarray of bool, shape (97,)
        ESL's training rows (67 True, 30 False).
    feature_names : tuple of str
    x_mean, x_scale : ndarray, shape (8,) or None
        Set when ``X`` was standardized: ``X = (X_raw − x_mean) / x_scale``.  Use
        :func:`unstandardize_coefficients` to express a fit in the raw units.
    """

    X: np.ndarray
    y: np.ndarray
    train: np.ndarray
    feature_names: tuple
    x_mean: np.ndarray | None = None
    x_scale: np.ndarray | None = None

    @property
    def X_train(self) -> np.ndarray:
        return self.X[self.train]

    @property
    def y_train(self) -> np.ndarray:
        return self.y[self.train]

    @property
    def X_test(self) -> np.ndarray:
        return self.X[~self.train]

    @property
    def y_test(self) -> np.ndarray:
        return self.y[~self.train]


def load_prostate(standardize_features=False) -> Prostate:
    r"""The prostate cancer data of Stamey et al. (1989), as used in ESL §3.4.

    97 men about to undergo radical prostatectomy; the response is ``lpsa`` (log
    prostate-specific antigen) and the 8 predictors are, in ESL's order, ``lcavol``
    (log cancer volume), ``lweight`` (log prostate weight), ``age``, ``lbph`` (log benign
    prostatic hyperplasia amount), ``svi`` (seminal vesicle invasion, 0/1), ``lcp`` (log
    capsular penetration), ``gleason`` (Gleason score) and ``pgg45`` (percent of Gleason
    scores 4 or 5).  The ``train`` mask is the book's split: 67 training and 30 test
    rows.  ESL Table 3.3 compares least squares, best subset, ridge, lasso, PCR and
    PLS fitted on the 67 training rows.

    ESL standardizes the predictors before fitting: over **all 97 rows**, with the
    **sample** standard deviation (``ddof=1``).  ``standardize_features=True`` does
    exactly that (and records ``x_mean``/``x_scale``); equivalently::

        data = load_prostate()
        Z, mean, scale = standardize(data.X, ddof=1)

    The response is left as it is; fit an (unpenalized) intercept.

    Parameters
    ----------
    standardize_features : bool
        Standardize the predictors as ESL does.

    Returns
    -------
    Prostate
        With ``X``, ``y``, ``train``, ``feature_names`` and the properties ``X_train``,
        ``y_train``, ``X_test``, ``y_test``.

    References
    ----------
    Stamey, T. A., Kabalin, J. N., McNeal, J. E., Johnstone, I. M., Freiha, F.,
    Redwine, E. A. and Yang, N. (1989). Prostate specific antigen in the diagnosis and
    treatment of adenocarcinoma of the prostate: II. Radical prostatectomy treated
    patients. *Journal of Urology* 141(5), 1076-1083.

    Hastie, T., Tibshirani, R. and Friedman, J. (2009). *The Elements of Statistical
    Learning*, 2nd ed., Springer, §3.4 and Table 3.3.  Data file from the book's
    website.
    """
    standardize_features = check_bool(standardize_features, "standardize_features")
    source = resources.files("course_lib").joinpath("datasets", "prostate.csv")
    with source.open("r", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    X = np.array([[float(row[name]) for name in PROSTATE_FEATURES] for row in rows])
    y = np.array([float(row["lpsa"]) for row in rows])
    flags = [row["train"].strip() for row in rows]
    if set(flags) - {"T", "F"}:
        raise ValueError(f"prostate.csv: column 'train' must hold T or F; got {sorted(set(flags))}")
    train = np.array([flag == "T" for flag in flags])
    mean = scale = None
    if standardize_features:
        X, mean, scale = standardize(X, ddof=1)
    return Prostate(X, y, train, PROSTATE_FEATURES, mean, scale)


def load_diabetes_data(scaled=False):
    r"""Scikit-learn's diabetes data (Efron et al. 2004, the LARS paper): 442 patients, 10 features.

    A thin wrapper on :func:`sklearn.datasets.load_diabetes`, which ships with
    scikit-learn (no download).  The features are age, sex, body mass index, blood
    pressure and six blood serum measurements; the response is disease progression one
    year after baseline.

    Parameters
    ----------
    scaled : bool
        False (default) returns the raw measurements; True returns scikit-learn's
        version with each column centered and scaled to unit Euclidean norm
        (not unit standard deviation: use :func:`standardize` for that).

    Returns
    -------
    X : ndarray, shape (442, 10)
    y : ndarray, shape (442,)
    """
    scaled = check_bool(scaled, "scaled")
    try:
        from sklearn.datasets import load_diabetes
    except ImportError as exc:  # scikit-learn is in requirements.txt, not a course_lib dependency
        raise ImportError("load_diabetes_data needs scikit-learn: pip install scikit-learn") from exc
    bunch = load_diabetes(scaled=scaled)
    return np.asarray(bunch.data, dtype=float), np.asarray(bunch.target, dtype=float)

"""Typical wrong (and some unusual but right) answers to exercise 10_case_study_prostate.

Each ``@wrong(task, expect)`` function is an answer a learner might write; ``check`` must
reject it and its summary or hint must contain ``expect``.  ``@right(task)`` answers are
correct in an unusual way and must pass.  For value tasks the function returns the answer.
"""

import numpy as np
from _corpus import new_corpus

CORPUS, wrong, right = new_corpus()  # (task, expected hint substring or None, answer)


# -- standardize_like_esl -----------------------------------------------------


@wrong("standardize_like_esl", "ddof=1")
def standardize_ddof0(X):
    return (X - X.mean(axis=0)) / X.std(axis=0)


@wrong("standardize_like_esl", "Subtract each column's mean")
def standardize_not_centered(X):
    return X / X.std(axis=0, ddof=1)


@wrong("standardize_like_esl", "Also divide")
def standardize_only_centered(X):
    return X - X.mean(axis=0)


@wrong("standardize_like_esl", "square root of the variance")
def standardize_by_variance(X):
    return (X - X.mean(axis=0)) / X.var(axis=0, ddof=1)


@wrong("standardize_like_esl", "axis=0")
def standardize_rows(X):
    return (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, ddof=1, keepdims=True)


@wrong("standardize_like_esl", "unit length")
def standardize_unit_norm(X):
    Xc = X - X.mean(axis=0)
    return Xc / np.linalg.norm(Xc, axis=0)


@wrong("standardize_like_esl", "tuple")
def standardize_with_stats(X):
    mean, sd = X.mean(axis=0), X.std(axis=0, ddof=1)
    return (X - mean) / sd, mean, sd


@wrong("standardize_like_esl", "in place")
def standardize_in_place(X):
    X -= X.mean(axis=0)
    X /= X.std(axis=0, ddof=1)
    return X


@right("standardize_like_esl")
def standardize_by_formula(X):
    n = X.shape[0]
    Xc = X - X.sum(axis=0) / n
    return Xc / np.sqrt((Xc**2).sum(axis=0) / (n - 1))


# -- ridge_rate_for_dof --------------------------------------------------------


def _bisect(X, dof, *, center=True, power=2, n_rate=True, halvings=200, lam=False):
    n = X.shape[0]
    Xc = X - X.mean(axis=0) if center else X
    d2 = np.linalg.svd(Xc, compute_uv=False) ** power
    d2 = d2[d2 > 1e-12 * d2.max()]
    if dof >= d2.size:
        return 0.0
    m = n if n_rate else 1
    lo, hi = 0.0, 1.0
    while np.sum(d2 / (d2 + m * hi)) > dof:
        hi *= 2
    for _ in range(halvings):
        mid = (lo + hi) / 2
        if np.sum(d2 / (d2 + m * mid)) > dof:
            lo = mid
        else:
            hi = mid
    rate = (lo + hi) / 2
    return n * rate if lam else rate


@wrong("ridge_rate_for_dof", "ESL's λ")
def dof_returns_lambda(X, dof):
    return _bisect(X, dof, lam=True)


@wrong("ridge_rate_for_dof", "d_j²/(d_j² + n·rate)")
def dof_rate_not_n_rate(X, dof):
    return _bisect(X, dof, n_rate=False)


@wrong("ridge_rate_for_dof", "centered X")
def dof_uncentered(X, dof):
    return _bisect(X, dof, center=False)


@wrong("ridge_rate_for_dof", "Square the singular values")
def dof_d_not_squared(X, dof):
    return _bisect(X, dof, power=1)


@wrong("ridge_rate_for_dof", "keep bisecting")
def dof_few_halvings(X, dof):
    return _bisect(X, dof, halvings=8)


@wrong("ridge_rate_for_dof", "`return`")
def dof_no_return(X, dof):
    _bisect(X, dof)


@right("ridge_rate_for_dof")
def dof_newton_on_log_scale(X, dof):
    n = X.shape[0]
    d2 = np.linalg.svd(X - X.mean(axis=0), compute_uv=False) ** 2
    d2 = d2[d2 > 1e-12 * d2.max()]
    if dof >= d2.size:
        return 0.0
    t = np.log(np.sum(d2) / dof)  # t = log(n·rate); df is smooth and decreasing in t
    for _ in range(100):
        lam = np.exp(t)
        f = np.sum(d2 / (d2 + lam)) - dof
        slope = -np.sum(d2 * lam / (d2 + lam) ** 2)
        t = t - f / slope
    return float(np.exp(t) / n)


# -- mse_standard_error --------------------------------------------------------


@wrong("mse_standard_error", "ddof=1")
def se_ddof0(y, y_pred):
    return np.std((y - y_pred) ** 2) / np.sqrt(len(y))


@wrong("mse_standard_error", "*squared* errors")
def se_of_residuals(y, y_pred):
    return np.std(y - y_pred, ddof=1) / np.sqrt(len(y))


@wrong("mse_standard_error", "over √m")
def se_divided_by_m(y, y_pred):
    return np.std((y - y_pred) ** 2, ddof=1) / len(y)


@wrong("mse_standard_error", "over √m")
def se_not_divided(y, y_pred):
    return np.std((y - y_pred) ** 2, ddof=1)


@wrong("mse_standard_error", "Take the square root")
def se_variance(y, y_pred):
    return np.var((y - y_pred) ** 2, ddof=1) / len(y)


@wrong("mse_standard_error", "That is the test error")
def se_is_mse(y, y_pred):
    return np.mean((y - y_pred) ** 2)


@wrong("mse_standard_error", "single number")
def se_per_point(y, y_pred):
    return (y - y_pred) ** 2 / np.sqrt(len(y))


@right("mse_standard_error")
def se_by_formula(y, y_pred):
    sq = (y - y_pred) ** 2
    m = sq.size
    return np.sqrt(np.sum((sq - sq.mean()) ** 2) / (m - 1) / m)


# -- ridge_df5_test_error (value task) -----------------------------------------


def _prostate():
    from course_lib.data import load_prostate

    return load_prostate(standardize_features=True)


def _fit_error(X_train, y_train, X_test, y_test, rate):
    from course_lib.trainers import fit_ridge

    w, b = fit_ridge(X_train, y_train, rate)
    return float(np.mean((y_test - X_test @ w - b) ** 2))


def _rate5(X):
    from course_lib.trainers import ridge_rate_for_dof

    return ridge_rate_for_dof(X, 5.0)


@wrong("ridge_df5_test_error", "book's value")
def df5_book():
    return 0.492


@wrong("ridge_df5_test_error", "least squares")
def df5_least_squares():
    d = _prostate()
    return _fit_error(d.X_train, d.y_train, d.X_test, d.y_test, 0.0)


@wrong("ridge_df5_test_error", "training rows only")
def df5_train_standardized():
    from course_lib.data import load_prostate, standardize

    raw = load_prostate()
    Z, mean, scale = standardize(raw.X_train, ddof=1)
    Zt, _, _ = standardize(raw.X_test, mean=mean, scale=scale)
    return _fit_error(Z, raw.y_train, Zt, raw.y_test, _rate5(Z))


@wrong("ridge_df5_test_error", "ESL's λ")
def df5_lambda_as_rate():
    d = _prostate()
    return _fit_error(d.X_train, d.y_train, d.X_test, d.y_test, d.X_train.shape[0] * _rate5(d.X_train))


@wrong("ridge_df5_test_error", "rate = 5")
def df5_rate_five():
    d = _prostate()
    return _fit_error(d.X_train, d.y_train, d.X_test, d.y_test, 5.0)


@wrong("ridge_df5_test_error", "training error")
def df5_training_error():
    d = _prostate()
    return _fit_error(d.X_train, d.y_train, d.X_train, d.y_train, _rate5(d.X_train))


@wrong("ridge_df5_test_error", "raw predictors")
def df5_raw():
    from course_lib.data import load_prostate

    raw = load_prostate()
    return _fit_error(raw.X_train, raw.y_train, raw.X_test, raw.y_test, _rate5(raw.X_train))


@right("ridge_df5_test_error")
def df5_rounded():
    d = _prostate()
    return round(_fit_error(d.X_train, d.y_train, d.X_test, d.y_test, _rate5(d.X_train)), 4)


# -- lasso_selected_features (value task) --------------------------------------


def _support(X, y, rate=0.21):
    from course_lib.trainers import fit_lasso

    return set(np.flatnonzero(fit_lasso(X, y, rate).w).tolist())


@wrong("lasso_selected_features", "re-standardized")
def lasso_train_standardized():
    from course_lib.data import load_prostate, standardize

    raw = load_prostate()
    return _support(standardize(raw.X_train)[0], raw.y_train)


@wrong("lasso_selected_features", "raw predictors")
def lasso_raw():
    from course_lib.data import load_prostate

    raw = load_prostate()
    return _support(raw.X_train, raw.y_train)


@wrong("lasso_selected_features", "counts from 0")
def lasso_one_based():
    return {1, 2, 5, 8}


@wrong("lasso_selected_features", "extra predictors")
def lasso_smaller_rate():
    d = _prostate()
    return _support(d.X_train, d.y_train, rate=0.1)


@wrong("lasso_selected_features", "not an integer index")
def lasso_names():
    return {"lcavol", "lweight", "svi", "pgg45"}


@wrong("lasso_selected_features", "set to 0")
def lasso_complement():
    return {2, 3, 5, 6}


@right("lasso_selected_features")
def lasso_sorted_list():
    d = _prostate()
    return sorted(_support(d.X_train, d.y_train))

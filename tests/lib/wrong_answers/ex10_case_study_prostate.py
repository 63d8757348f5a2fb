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


@right("ridge_rate_for_dof")
def dof_bisection_on_course_lib_df(X, dof):  # the exercise's way: bisect on course_lib's ridge_effective_dof
    from course_lib.trainers import ridge_effective_dof

    if dof >= ridge_effective_dof(X, 0.0):
        return 0.0
    lo, hi = 0.0, 1.0
    while ridge_effective_dof(X, hi) > dof:
        hi *= 2
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if ridge_effective_dof(X, mid) > dof else (lo, mid)
    return hi


# -- standardize_with_training -------------------------------------------------


@wrong("standardize_with_training", "Use the training rows' statistics")
def with_training_own_statistics(X, X_train):
    return (X - X.mean(axis=0)) / X.std(axis=0, ddof=1)


@wrong("standardize_with_training", "book's way")
def with_training_all_rows(X, X_train):
    both = np.vstack([X_train, X])
    return (X - both.mean(axis=0)) / both.std(axis=0, ddof=1)


@wrong("standardize_with_training", "ddof=1")
def with_training_ddof0(X, X_train):
    return (X - X_train.mean(axis=0)) / X_train.std(axis=0)


@wrong("standardize_with_training", "divide by X_train.std")
def with_training_mean_own_sd(X, X_train):
    return (X - X_train.mean(axis=0)) / X.std(axis=0, ddof=1)


@wrong("standardize_with_training", "subtract X_train.mean")
def with_training_own_mean(X, X_train):
    return (X - X.mean(axis=0)) / X_train.std(axis=0, ddof=1)


@wrong("standardize_with_training", "Also divide")
def with_training_centered_only(X, X_train):
    return X - X_train.mean(axis=0)


@wrong("standardize_with_training", "Subtract the training rows' mean")
def with_training_scaled_only(X, X_train):
    return X / X_train.std(axis=0, ddof=1)


@wrong("standardize_with_training", "arguments swapped")
def with_training_swapped(X, X_train):
    return (X_train - X.mean(axis=0)) / X.std(axis=0, ddof=1)


@right("standardize_with_training")
def with_training_by_course_lib_standardize(X, X_train):
    from course_lib.data import standardize

    _, mean, scale = standardize(X_train, ddof=1)
    return standardize(X, mean=mean, scale=scale)[0]


# -- workflow_rate, predict_test_chosen, workflow_test_error (value tasks) ------


def _workflow(standardized="training"):
    from course_lib.data import load_prostate
    from course_lib.model_selection import rate_grid
    from course_lib.trainers import lasso_max_rate

    raw = load_prostate()
    if standardized == "book":
        book = load_prostate(standardize_features=True)
        Z, Zt = book.X_train, book.X_test
    elif standardized == "own":
        Z = (raw.X_train - raw.X_train.mean(axis=0)) / raw.X_train.std(axis=0, ddof=1)
        Zt = (raw.X_test - raw.X_test.mean(axis=0)) / raw.X_test.std(axis=0, ddof=1)
    elif standardized == "raw":
        Z, Zt = raw.X_train, raw.X_test
    else:
        mean, sd = raw.X_train.mean(axis=0), raw.X_train.std(axis=0, ddof=1)
        Z, Zt = (raw.X_train - mean) / sd, (raw.X_test - mean) / sd
    return Z, raw.y_train, Zt, raw.y_test, rate_grid(lasso_max_rate(Z, raw.y_train), 30, 1e-3)


def _cv(standardized="training", n_folds=10):
    from course_lib.model_selection import cross_validate_rates
    from course_lib.trainers import fit_lasso

    Z, y, _, _, rates = _workflow(standardized)
    return cross_validate_rates(fit_lasso, Z, y, rates, n_folds=n_folds, seed=0)


def _test_mse(Z, y, Zt, yt, rate):
    from course_lib.trainers import fit_lasso

    w, b = fit_lasso(Z, y, rate)
    return float(np.mean((yt - Zt @ w - b) ** 2))


@wrong("workflow_rate", "chosen on the test set")
def rate_by_test_error():
    Z, y, Zt, yt, rates = _workflow()
    return rates[int(np.argmin([_test_mse(Z, y, Zt, yt, r) for r in rates]))]


@wrong("workflow_rate", "one-standard-error rule")
def rate_lowest_cv_error():
    return _cv().best_rate


@wrong("workflow_rate", "book's inputs")
def rate_on_book_inputs():
    return _cv("book").rate_1se


@wrong("workflow_rate", "raw predictors")
def rate_on_raw_predictors():
    return _cv("raw").rate_1se


@wrong("workflow_rate", "every weight is zero")
def rate_largest_of_the_grid():
    return _workflow()[4][0]


@wrong("workflow_rate", "instead of a number")
def rate_as_string():
    return "0.209"


@right("workflow_rate")
def rate_as_numpy_float():
    return np.float64(_cv().rate_1se)


@wrong("predict_test_chosen", "cannot be higher")
def predicts_higher():
    return "a"


@wrong("predict_test_chosen", "does not depend on the data")
def predicts_either():
    return "c"


@wrong("predict_test_chosen", "one of the choices")
def predicts_a_number():
    return 0.452


@wrong("predict_test_chosen", "one of the choices")
def predicts_a_letter_not_offered():
    return "d"


@wrong("predict_test_chosen", "one of the choices")
def predicts_in_words():
    return "lower"


@right("predict_test_chosen")
def predicts_upper_case():
    return "B"


@wrong("workflow_test_error", "chosen on the test set")
def error_lowest_over_the_grid():
    Z, y, Zt, yt, rates = _workflow()
    return min(_test_mse(Z, y, Zt, yt, r) for r in rates)


@wrong("workflow_test_error", "cross-validation error")
def error_is_the_cv_error():
    cv = _cv()
    return float(cv.mean_error[cv.index_1se])


@wrong("workflow_test_error", "training error")
def error_on_the_training_rows():
    Z, y, _, _, _ = _workflow()
    return _test_mse(Z, y, Z, y, _cv().rate_1se)


@wrong("workflow_test_error", "lowest CV error")
def error_at_the_best_cv_rate():
    Z, y, Zt, yt, _ = _workflow()
    return _test_mse(Z, y, Zt, yt, _cv().best_rate)


@wrong("workflow_test_error", "their own mean and sd")
def error_test_rows_scaled_by_themselves():
    Z, y, _, yt, _ = _workflow()
    _, _, Zt_own, _, _ = _workflow("own")
    return _test_mse(Z, y, Zt_own, yt, _cv().rate_1se)


@wrong("workflow_test_error", "book's inputs")
def error_on_book_inputs():
    Z, y, Zt, yt, _ = _workflow("book")
    return _test_mse(Z, y, Zt, yt, _cv("book").rate_1se)


@wrong("workflow_test_error", "no ½")
def error_with_a_half():
    Z, y, Zt, yt, _ = _workflow()
    return _test_mse(Z, y, Zt, yt, _cv().rate_1se) / 2


@wrong("workflow_test_error", "sum over the 30 test rows")
def error_summed():
    Z, y, Zt, yt, _ = _workflow()
    return 30 * _test_mse(Z, y, Zt, yt, _cv().rate_1se)


@right("workflow_test_error")
def error_rounded():
    Z, y, Zt, yt, _ = _workflow()
    return round(_test_mse(Z, y, Zt, yt, _cv().rate_1se), 4)

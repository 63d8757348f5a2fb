"""Typical wrong (and some unusual but right) answers to exercise 09_elastic_net_toolbox.

Each ``@wrong(task, expect)`` function is an answer a learner might write; ``check`` must
reject it and its summary or hint must contain ``expect``.  ``@right(task)`` answers are
correct in an unusual way and must pass.  For value tasks the function returns the answer.
"""

import numpy as np
from _corpus import new_corpus

CORPUS, wrong, right = new_corpus()  # (task, expected hint substring or None, answer)


# -- elastic_net_penalty ------------------------------------------------------


@wrong("elastic_net_penalty", "1/2")
def penalty_l2_part_without_half(w, rate, l1_ratio):
    return rate * (l1_ratio * np.sum(np.abs(w)) + (1 - l1_ratio) * np.sum(w**2))


@wrong("elastic_net_penalty", "swapped")
def penalty_ratio_swapped(w, rate, l1_ratio):
    return rate * ((1 - l1_ratio) * np.sum(np.abs(w)) + l1_ratio / 2 * np.sum(w**2))


@wrong("elastic_net_penalty", "Only the L2 part has a 1/2")
def penalty_half_everywhere(w, rate, l1_ratio):
    return rate / 2 * (l1_ratio * np.sum(np.abs(w)) + (1 - l1_ratio) * np.sum(w**2))


@wrong("elastic_net_penalty", "np.abs")
def penalty_without_abs(w, rate, l1_ratio):
    return rate * (l1_ratio * np.sum(w) + (1 - l1_ratio) / 2 * np.sum(w**2))


@wrong("elastic_net_penalty", "squared norm")
def penalty_norm_not_squared(w, rate, l1_ratio):
    return rate * (l1_ratio * np.sum(np.abs(w)) + (1 - l1_ratio) / 2 * np.linalg.norm(w))


@wrong("elastic_net_penalty", "Multiply the whole blend by the rate")
def penalty_without_rate(w, rate, l1_ratio):
    return l1_ratio * np.sum(np.abs(w)) + (1 - l1_ratio) / 2 * np.sum(w**2)


@wrong("elastic_net_penalty", "multiplies both parts")
def penalty_rate_on_l1_only(w, rate, l1_ratio):
    return rate * l1_ratio * np.sum(np.abs(w)) + (1 - l1_ratio) / 2 * np.sum(w**2)


@wrong("elastic_net_penalty", "sum")
def penalty_not_summed(w, rate, l1_ratio):
    return rate * (l1_ratio * np.abs(w) + (1 - l1_ratio) / 2 * w**2)


@wrong("elastic_net_penalty", "`return`")
def penalty_forgot_return(w, rate, l1_ratio):
    rate * (l1_ratio * np.sum(np.abs(w)) + (1 - l1_ratio) / 2 * np.sum(w**2))


@right("elastic_net_penalty")
def penalty_from_parts(w, rate, l1_ratio):
    l1 = rate * np.abs(w).sum()
    l2 = rate / 2 * w @ w
    return l1_ratio * l1 + (1 - l1_ratio) * l2


# -- sklearn_penalty_parameter ------------------------------------------------


def _reference(estimator, rate, n):
    return {"Ridge": n * rate, "MLPClassifier": n * rate, "Lasso": rate, "ElasticNet": rate,
            "LogisticRegression": 1 / (n * rate)}[estimator]


@wrong("sklearn_penalty_parameter", "alpha = n·rate")
def parameter_ridge_is_rate(estimator, rate, n):
    return rate if estimator == "Ridge" else _reference(estimator, rate, n)


@wrong("sklearn_penalty_parameter", "C = 1/(n·rate)")
def parameter_c_without_n(estimator, rate, n):
    return 1 / rate if estimator == "LogisticRegression" else _reference(estimator, rate, n)


@wrong("sklearn_penalty_parameter", "large C means weak regularization")
def parameter_c_is_n_rate(estimator, rate, n):
    return n * rate if estimator == "LogisticRegression" else _reference(estimator, rate, n)


@wrong("sklearn_penalty_parameter", "Lasso and ElasticNet already")
def parameter_lasso_times_n(estimator, rate, n):
    return n * rate if estimator in ("Lasso", "ElasticNet") else _reference(estimator, rate, n)


@wrong("sklearn_penalty_parameter", "like Ridge")
def parameter_mlp_is_rate(estimator, rate, n):
    return rate if estimator == "MLPClassifier" else _reference(estimator, rate, n)


@wrong("sklearn_penalty_parameter", "n is missing everywhere")
def parameter_no_n_anywhere(estimator, rate, n):
    return 1 / rate if estimator == "LogisticRegression" else rate


@wrong("sklearn_penalty_parameter", "Only Lasso and ElasticNet take the rate")
def parameter_always_rate(estimator, rate, n):
    return rate


@wrong("sklearn_penalty_parameter", "other way round")
def parameter_rate_over_n(estimator, rate, n):
    return rate / n if estimator in ("Ridge", "MLPClassifier") else _reference(estimator, rate, n)


@wrong("sklearn_penalty_parameter", "||r||² + n·rate·||w||²")
def parameter_ridge_half(estimator, rate, n):
    return n * rate / 2 if estimator == "Ridge" else _reference(estimator, rate, n)


@wrong("sklearn_penalty_parameter", "five estimator names")
def parameter_missing_mlp(estimator, rate, n):
    if estimator == "MLPClassifier":
        raise ValueError(f"unknown estimator {estimator}")
    return _reference(estimator, rate, n)


@right("sklearn_penalty_parameter")
def parameter_by_if_chain(estimator, rate, n):
    if estimator == "LogisticRegression":
        return 1.0 / (n * rate)
    if estimator in ("Lasso", "ElasticNet"):
        return float(rate)
    return float(n) * rate


# -- equivalent_weight_decay_for_keras_l2 --------------------------------------


@wrong("equivalent_weight_decay_for_keras_l2", "2λ")
def keras_same(l2):
    return l2


@wrong("equivalent_weight_decay_for_keras_l2", "not half")
def keras_half(l2):
    return l2 / 2


@wrong("equivalent_weight_decay_for_keras_l2", "2λ")
def keras_four(l2):
    return 4 * l2


@wrong("equivalent_weight_decay_for_keras_l2", "`return`")
def keras_no_return(l2):
    2 * l2


@wrong("equivalent_weight_decay_for_keras_l2", "Return the number itself")
def keras_bool(l2):
    return l2 >= 0


@right("equivalent_weight_decay_for_keras_l2")
def keras_numpy(l2):
    return np.float64(2) * l2


# -- elastic_net_kept_features (value task) -----------------------------------


def _data():
    from course_lib.checks.ex09_elastic_net_toolbox import kept_features_data

    return kept_features_data()


@wrong("elastic_net_kept_features", "lasso")
def kept_lasso():
    from course_lib.trainers import fit_lasso

    X, y, rate = _data()
    return set(np.flatnonzero(fit_lasso(X, y, rate).w).tolist())


@wrong("elastic_net_kept_features", "counts from 0")
def kept_one_based():
    return {1, 2}


@wrong("elastic_net_kept_features", "ridge")
def kept_everything():
    return set(range(8))


@wrong("elastic_net_kept_features", "set to 0")
def kept_complement():
    return {2, 3, 4, 5, 6, 7}


@wrong("elastic_net_kept_features", "boolean mask")
def kept_mask():
    from course_lib.trainers import fit_elastic_net

    X, y, rate = _data()
    return fit_elastic_net(X, y, rate, 0.5).w != 0


@right("elastic_net_kept_features")
def kept_as_array():
    from course_lib.trainers import fit_elastic_net

    X, y, rate = _data()
    return np.flatnonzero(fit_elastic_net(X, y, rate, 0.5).w)


@right("elastic_net_kept_features")
def kept_as_list():
    return [0, 1]


# -- ridge_alpha_for_more_rows (value task) -----------------------------------


@wrong("ridge_alpha_for_more_rows", "trap")
def more_rows_same_alpha():
    return 50.0


@wrong("ridge_alpha_for_more_rows", "grow with n")
def more_rows_divided():
    return 12.5


@wrong("ridge_alpha_for_more_rows", "That is the rate")
def more_rows_rate():
    return 0.25


@wrong("ridge_alpha_for_more_rows", "new n times that rate")
def more_rows_unrelated():
    return 100.0


@wrong("ridge_alpha_for_more_rows", "instead of a number")
def more_rows_text():
    return "200"


@right("ridge_alpha_for_more_rows")
def more_rows_computed():
    return 800 * (50 / 200)


# -- predict_mse_weight_decay ---------------------------------------------------------


@wrong("predict_mse_weight_decay", "wrong way")
def mse_decay_half_the_rate():
    return "a"


@wrong("predict_mse_weight_decay", "BCELoss")
def mse_decay_equal_to_the_rate():
    return "b"


@wrong("predict_mse_weight_decay", "counts the factor 2 twice")
def mse_decay_four_times_the_rate():
    return "d"


@wrong("predict_mse_weight_decay", "one of the choices")
def mse_decay_as_a_number():
    return 0.1


@wrong("predict_mse_weight_decay", "one of the choices")
def mse_decay_letter_not_offered():
    return "e"


@wrong("predict_mse_weight_decay", "one of the choices")
def mse_decay_spelled_out():
    return "2·rate"


@right("predict_mse_weight_decay")
def mse_decay_upper_case():
    return "C"

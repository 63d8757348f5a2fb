"""Typical wrong (and some unusual but right) answers to exercise 06_choosing_the_rate.

Each ``@wrong(task, expect)`` function is an answer a learner might write; ``check`` must
reject it and its summary or hint must contain ``expect``.  ``@right(task)`` answers are
correct in an unusual way and must pass.  For value tasks the function returns the answer.
"""

import numpy as np
from _corpus import new_corpus

CORPUS, wrong, right = new_corpus()  # (task, expected hint substring or None, answer)


def _pairs(n_samples, tests):
    rows = np.arange(n_samples)
    return [(np.setdiff1d(rows, test), np.sort(test)) for test in tests]


# -- kfold_indices --------------------------------------------------------------


@wrong("kfold_indices", "not shuffled")
def folds_unshuffled(n_samples, n_folds, seed):
    return _pairs(n_samples, np.array_split(np.arange(n_samples), n_folds))


@wrong("kfold_indices", "same seed gave different folds")
def folds_global_shuffle(n_samples, n_folds, seed):
    order = np.random.permutation(n_samples)  # the global generator ignores seed
    return _pairs(n_samples, np.array_split(order, n_folds))


@wrong("kfold_indices", "the seed is ignored")
def folds_fixed_seed(n_samples, n_folds, seed):
    order = np.random.default_rng(0).permutation(n_samples)
    return _pairs(n_samples, np.array_split(order, n_folds))


@wrong("kfold_indices", "in no test fold")
def folds_drop_remainder(n_samples, n_folds, seed):
    order = np.random.default_rng(seed).permutation(n_samples)
    size = n_samples // n_folds
    return _pairs(n_samples, [order[k * size:(k + 1) * size] for k in range(n_folds)])


@wrong("kfold_indices", "overlap")
def folds_drawn_independently(n_samples, n_folds, seed):
    rng = np.random.default_rng(seed)
    size = n_samples // n_folds
    return _pairs(n_samples, [rng.choice(n_samples, size, replace=False) for _ in range(n_folds)])


@wrong("kfold_indices", "differ by more than one")
def folds_remainder_in_last(n_samples, n_folds, seed):
    order = np.random.default_rng(seed).permutation(n_samples)
    size = n_samples // n_folds
    tests = [order[k * size:(k + 1) * size] for k in range(n_folds - 1)] + [order[(n_folds - 1) * size:]]
    return _pairs(n_samples, tests)


@wrong("kfold_indices", "A leak")
def folds_train_on_everything(n_samples, n_folds, seed):
    order = np.random.default_rng(seed).permutation(n_samples)
    return [(np.arange(n_samples), np.sort(test)) for test in np.array_split(order, n_folds)]


@wrong("kfold_indices", "boolean mask")
def folds_as_masks(n_samples, n_folds, seed):
    order = np.random.default_rng(seed).permutation(n_samples)
    folds = []
    for test in np.array_split(order, n_folds):
        mask = np.zeros(n_samples, dtype=bool)
        mask[test] = True
        folds.append((~mask, mask))
    return folds


@wrong("kfold_indices", "Each element of the list is a pair")
def folds_only_tests(n_samples, n_folds, seed):
    order = np.random.default_rng(seed).permutation(n_samples)
    return np.array_split(order, n_folds)


@wrong("kfold_indices", "exactly one (train_idx, test_idx) pair per fold")
def folds_one_too_many(n_samples, n_folds, seed):
    order = np.random.default_rng(seed).permutation(n_samples)
    return _pairs(n_samples, np.array_split(order, n_folds + 1))


@wrong("kfold_indices", "floats, not integers")
def folds_float_indices(n_samples, n_folds, seed):
    order = np.random.default_rng(seed).permutation(n_samples).astype(float)
    rows = np.arange(n_samples, dtype=float)
    return [(np.setdiff1d(rows, test), test) for test in np.array_split(order, n_folds)]


@right("kfold_indices")
def folds_other_permutation(n_samples, n_folds, seed):
    """A different but valid shuffle: sort random keys, deal the rows round-robin."""
    keys = np.random.default_rng(seed + 1000).random(n_samples)
    order = np.argsort(keys)
    tests = [order[k::n_folds] for k in range(n_folds)]
    return _pairs(n_samples, tests)


@right("kfold_indices")
def folds_unsorted_lists_of_arrays(n_samples, n_folds, seed):
    order = np.random.default_rng(seed).permutation(n_samples)
    tests = np.array_split(order, n_folds)
    return [[np.concatenate(tests[:k] + tests[k + 1:]), tests[k]] for k in range(n_folds)]


# -- rate_grid ------------------------------------------------------------------


@wrong("rate_grid", "reverse the order")
def grid_ascending(max_rate, n_rates, min_ratio):
    return np.geomspace(min_ratio * max_rate, max_rate, n_rates)


@wrong("rate_grid", "not np.linspace")
def grid_linear(max_rate, n_rates, min_ratio):
    return np.linspace(max_rate, min_ratio * max_rate, n_rates)


@wrong("rate_grid", "min_ratio * max_rate")
def grid_ends_at_min_ratio(max_rate, n_rates, min_ratio):
    return np.geomspace(max_rate, min_ratio, n_rates)


@wrong("rate_grid", "k/(K−1)")
def grid_divides_by_k(max_rate, n_rates, min_ratio):
    return max_rate * min_ratio ** (np.arange(n_rates) / n_rates)


@wrong("rate_grid", "Multiply by max_rate")
def grid_without_max_rate(max_rate, n_rates, min_ratio):
    return np.geomspace(1.0, min_ratio, n_rates)


@wrong("rate_grid", "np.log10")
def grid_logspace_natural_log(max_rate, n_rates, min_ratio):
    return np.logspace(np.log(max_rate), np.log(min_ratio * max_rate), n_rates)


@wrong("rate_grid", "takes the end points themselves")
def grid_logspace_of_rates(max_rate, n_rates, min_ratio):
    return np.logspace(max_rate, min_ratio * max_rate, n_rates)


@wrong("rate_grid", "n_rates=1")
def grid_formula_without_single_case(max_rate, n_rates, min_ratio):
    k = np.arange(n_rates)
    return max_rate * min_ratio ** (k / (n_rates - 1))


@wrong("rate_grid", "returned a list")
def grid_list(max_rate, n_rates, min_ratio):
    return [float(r) for r in np.geomspace(max_rate, min_ratio * max_rate, n_rates)]


@right("rate_grid")
def grid_by_exp(max_rate, n_rates, min_ratio):
    if n_rates == 1:
        return np.array([max_rate])
    return np.exp(np.linspace(np.log(max_rate), np.log(max_rate * min_ratio), n_rates))


# -- one_standard_error_rule ----------------------------------------------------


@wrong("one_standard_error_rule", "the best rate")
def one_se_best(rates, mean_error, standard_error):
    return rates[np.argmin(mean_error)]


@wrong("one_standard_error_rule", "the largest rate")
def one_se_smallest(rates, mean_error, standard_error):
    best = np.argmin(mean_error)
    return rates[mean_error <= mean_error[best] + standard_error[best]].min()


@wrong("one_standard_error_rule", "Do not assume an order")
def one_se_first_in_array(rates, mean_error, standard_error):
    best = np.argmin(mean_error)
    return rates[np.flatnonzero(mean_error <= mean_error[best] + standard_error[best])[0]]


@wrong("one_standard_error_rule", "SE at the *best* rate")
def one_se_own_se(rates, mean_error, standard_error):
    best = np.argmin(mean_error)
    return rates[mean_error <= mean_error[best] + standard_error].max()


@wrong("one_standard_error_rule", "use <=")
def one_se_strict(rates, mean_error, standard_error):
    best = np.argmin(mean_error)
    return rates[mean_error < mean_error[best] + standard_error[best]].max()


@wrong("one_standard_error_rule", "not its position")
def one_se_index(rates, mean_error, standard_error):
    best = np.argmin(mean_error)
    within = mean_error <= mean_error[best] + standard_error[best]
    return int(np.flatnonzero(rates == rates[within].max())[0])


@wrong("one_standard_error_rule", "a float")
def one_se_all_within(rates, mean_error, standard_error):
    best = np.argmin(mean_error)
    return rates[mean_error <= mean_error[best] + standard_error[best]]


@wrong("one_standard_error_rule", "SE at the *best* rate")
def one_se_minus_own(rates, mean_error, standard_error):
    return rates[mean_error - standard_error <= mean_error.min()].max()


@right("one_standard_error_rule")
def one_se_sorted_loop(rates, mean_error, standard_error):
    best = int(np.argmin(mean_error))
    threshold = mean_error[best] + standard_error[best]
    chosen = rates[best]
    for rate, error in sorted(zip(rates, mean_error)):
        if error <= threshold and rate > chosen:
            chosen = rate
    return float(chosen)


# -- cv_best_rate, cv_rate_1se (values) -------------------------------------------


def _cv(n_folds=5, seed=0, min_ratio=1e-4):
    from course_lib.checks.ex06_choosing_the_rate import cv_data
    from course_lib.model_selection import cross_validate_rates, lasso_max_rate, rate_grid
    from course_lib.trainers import fit_lasso

    X, y = cv_data()
    grid = rate_grid(lasso_max_rate(X, y), 50, min_ratio)
    return cross_validate_rates(fit_lasso, X, y, grid, n_folds=n_folds, seed=seed)


@wrong("cv_best_rate", "one-SE rate")
def best_is_one_se():
    return _cv().rate_1se


@wrong("cv_best_rate", "*training* error")
def best_is_smallest():
    return float(_cv().rates[-1])


@wrong("cv_best_rate", "not one of the 50 grid rates")
def best_on_a_linear_grid():
    from course_lib.checks.ex06_choosing_the_rate import cv_data
    from course_lib.model_selection import cross_validate_rates, lasso_max_rate
    from course_lib.trainers import fit_lasso

    X, y = cv_data()
    top = lasso_max_rate(X, y)
    return cross_validate_rates(fit_lasso, X, y, np.linspace(top, 1e-4 * top, 50), n_folds=5, seed=0).best_rate


@wrong("cv_best_rate", "every weight 0")
def best_is_largest():
    return float(_cv().rates[0])


@wrong("cv_best_rate", "n_folds=5 and seed=0")
def best_with_three_folds():
    return _cv(n_folds=3).best_rate


@wrong("cv_best_rate", "n_folds=5 and seed=0")
def best_with_another_seed():
    return _cv(seed=1).best_rate


@right("cv_best_rate")
def best_by_hand():
    cv = _cv()
    return float(cv.rates[np.argmin(cv.mean_error)])


@wrong("cv_rate_1se", "lowest error")
def one_se_is_best():
    return _cv().best_rate


@wrong("cv_rate_1se", "*smallest* rate")
def one_se_value_smallest():
    cv = _cv()
    k = cv.best_index
    return float(cv.rates[cv.mean_error <= cv.mean_error[k] + cv.standard_error[k]].min())


@wrong("cv_rate_1se", "standard deviation")
def one_se_value_with_sd():
    cv = _cv()
    k = cv.best_index
    sd = cv.fold_errors.std(axis=1, ddof=1)
    return float(cv.rates[cv.mean_error <= cv.mean_error[k] + sd[k]].max())


@wrong("cv_rate_1se", "two standard errors")
def one_se_value_two_se():
    cv = _cv()
    k = cv.best_index
    return float(cv.rates[cv.mean_error <= cv.mean_error[k] + 2 * cv.standard_error[k]].max())


@wrong("cv_rate_1se", "not one of the 50 grid rates")
def one_se_value_typo():
    return round(_cv().rate_1se, 2)


@right("cv_rate_1se")
def one_se_value_by_rule():
    from course_lib.model_selection import one_standard_error_rule

    cv = _cv()
    return one_standard_error_rule(cv.rates, cv.mean_error, cv.standard_error)


# -- predict_training_error_vs_rate (a prediction: the functions return the choice) ----


@wrong("predict_training_error_vs_rate", "can only raise it")
def training_error_falls():
    return "a"


@wrong("predict_training_error_vs_rate", "U shape belongs to the error on data the fit has not seen")
def training_error_u_shaped():
    return "c"


@wrong("predict_training_error_vs_rate", "so it changes the training error")
def training_error_constant():
    return "d"


@wrong("predict_training_error_vs_rate", "one of the choices")
def training_error_word():
    return "rises"


@wrong("predict_training_error_vs_rate", "one of the choices")
def training_error_bool():
    return True


@right("predict_training_error_vs_rate")
def training_error_upper_case():
    return "B "


# -- predict_1se_features -------------------------------------------------------


@wrong("predict_1se_features", "sets more weights to exactly 0, not fewer")
def one_se_keeps_more():
    return "a"


@wrong("predict_1se_features", "the larger rate zeroes more weights")
def one_se_keeps_as_many():
    return "c"


@wrong("predict_1se_features", "one of the choices")
def one_se_count():
    return 5


@wrong("predict_1se_features", "one of the choices")
def one_se_word():
    return "fewer"


@wrong("predict_1se_features", "one of the choices")
def one_se_nothing_chosen():
    return ""


@right("predict_1se_features")
def one_se_lower_case():
    return "b"

"""Typical wrong (and some unusual but right) answers to exercise 02_bias_variance.

Each ``@wrong(task, expect)`` function is an answer a learner might write; ``check`` must
reject it and its summary or hint must contain ``expect``.  ``@right(task)`` answers are
correct in an unusual way and must pass.  For value tasks the function returns the answer.
"""

import numpy as np
from _corpus import new_corpus

CORPUS, wrong, right = new_corpus()  # (task, expected hint substring or None, answer)


# -- polynomial_features --------------------------------------------------------


@wrong("polynomial_features", "column of ones")
def features_with_bias_column(x, degree):
    return x[:, None] ** np.arange(0, degree + 1)


@wrong("polynomial_features", "start the powers at 1")
def features_from_power_zero(x, degree):
    return np.column_stack([x**k for k in range(degree)]) if degree else np.empty((len(x), 0))


@wrong("polynomial_features", "transposed")
def features_transposed(x, degree):
    return np.array([x**k for k in range(1, degree + 1)]).reshape(degree, len(x))


@wrong("polynomial_features", "one power too many")
def features_one_too_many(x, degree):
    return x[:, None] ** np.arange(1, degree + 2)


@wrong("polynomial_features", "lowest power comes first")
def features_reversed(x, degree):
    return x[:, None] ** np.arange(degree, 0, -1)


@wrong("polynomial_features", "x ** k, not x * k")
def features_multiplied(x, degree):
    return x[:, None] * np.arange(1, degree + 1)


@wrong("polynomial_features", "shape (n, 0)")
def features_column_stack(x, degree):
    return np.column_stack([x**k for k in range(1, degree + 1)])


@wrong("polynomial_features", "one column, shape (n, 1)")
def features_flat_for_degree_one(x, degree):
    X = x[:, None] ** np.arange(1, degree + 1)
    return X[:, 0] if degree == 1 else X


@wrong("polynomial_features", "numpy array")
def features_as_lists(x, degree):
    return [[xi**k for k in range(1, degree + 1)] for xi in x]


@wrong("polynomial_features", "`return`")
def features_forgot_return(x, degree):
    x[:, None] ** np.arange(1, degree + 1)


@wrong("polynomial_features", "in place")
def features_in_place(x, degree):
    X = x[:, None] ** np.arange(1, degree + 1)
    x -= x.mean()  # centers the caller's array
    return X


@right("polynomial_features")
def features_loop(x, degree):
    X = np.ones((x.shape[0], degree))
    for k in range(degree):
        X[:, k] = x ** (k + 1)
    return X


@right("polynomial_features")
def features_vander(x, degree):
    return np.vander(x, degree + 1, increasing=True)[:, 1:]


# -- mean_squared_error --------------------------------------------------------


@wrong("mean_squared_error", "np.mean")
def mse_sum(y, y_pred):
    return np.sum((y - y_pred) ** 2)


@wrong("mean_squared_error", "without the 1/2")
def mse_half(y, y_pred):
    return np.mean((y - y_pred) ** 2) / 2


@wrong("mean_squared_error", "RMSE")
def mse_root(y, y_pred):
    return np.sqrt(np.mean((y - y_pred) ** 2))


@wrong("mean_squared_error", "MAE")
def mse_absolute(y, y_pred):
    return np.mean(np.abs(y - y_pred))


@wrong("mean_squared_error", "not squared")
def mse_not_squared(y, y_pred):
    return np.mean(y - y_pred)


@wrong("mean_squared_error", "mean error was squared")
def mse_squared_mean(y, y_pred):
    return np.mean(y - y_pred) ** 2


@wrong("mean_squared_error", "n − 1")
def mse_ddof(y, y_pred):
    return np.sum((y - y_pred) ** 2) / (len(y) - 1)


@wrong("mean_squared_error", "single number")
def mse_not_reduced(y, y_pred):
    return (y - y_pred) ** 2


@right("mean_squared_error")
def mse_dot(y, y_pred):
    r = y_pred - y
    return r @ r / r.size


# -- squared_loss ----------------------------------------------------------------


@wrong("squared_loss", "1/2")
def loss_without_half(X, y, w, b):
    return np.mean((y - X @ w - b) ** 2)


@wrong("squared_loss", "single 1/2")
def loss_quarter(X, y, w, b):
    return np.mean((y - X @ w - b) ** 2) / 4


@wrong("squared_loss", "subtract the intercept")
def loss_without_b(X, y, w, b):
    return np.mean((y - X @ w) ** 2) / 2


@wrong("squared_loss", "added instead of subtracted")
def loss_plus_b(X, y, w, b):
    return np.mean((y - X @ w + b) ** 2) / 2


@wrong("squared_loss", "2n")
def loss_plain_sum(X, y, w, b):
    return np.sum((y - X @ w - b) ** 2)


@wrong("squared_loss", "a mean")
def loss_half_sum(X, y, w, b):
    return np.sum((y - X @ w - b) ** 2) / 2


@wrong("squared_loss", "squared norm")
def loss_norm(X, y, w, b):
    return np.linalg.norm(y - X @ w - b) / (2 * len(y))


@wrong("squared_loss", "shapes do not fit")
def loss_transposed(X, y, w, b):
    return np.mean((y - X.T @ w - b) ** 2) / 2


@right("squared_loss")
def loss_with_course_mse(X, y, w, b):
    from course_lib.model_selection import mean_squared_error

    return mean_squared_error(y, X @ w + b) / 2


# -- predict_training_error --------------------------------------------------------


@wrong("predict_training_error", "what the error on *new* points does")
def predicted_u_shaped_training_error():
    return "b"


@wrong("predict_training_error", "contains every smaller one")
def predicted_rising_training_error():
    return "c"


@wrong("predict_training_error", "not one of the choices")
def predicted_outside_the_choices():
    return "d"


@wrong("predict_training_error", "as a string")
def predicted_with_a_number():
    return 1


@wrong("predict_training_error", "not one of the choices")
def predicted_with_a_list():
    return ["a"]


@wrong("predict_training_error", "not yet attempted")
def prediction_left_as_ellipsis():
    return ...


@right("predict_training_error")
def predicted_with_capital_and_spaces():
    return " A "


# -- best_degree -------------------------------------------------------------------


def _degree_errors():
    from course_lib.checks.ex02_bias_variance import degree_errors

    return degree_errors()


@wrong("best_degree", "*training* error")
def degree_by_training_error():
    train, _, _ = _degree_errors()
    return int(np.argmin(train)) + 1


@wrong("best_degree", "*test* error")
def degree_by_test_error():
    _, _, test = _degree_errors()
    return int(np.argmin(test)) + 1


@wrong("best_degree", "position")
def degree_as_index():
    _, val, _ = _degree_errors()
    return int(np.argmin(val))


@wrong("best_degree", "do not guess")
def degree_guessed_cubic():
    return 3


@wrong("best_degree", "1 to 12")
def degree_out_of_range():
    return 15


@wrong("best_degree", "not the list of errors")
def degree_as_list():
    _, val, _ = _degree_errors()
    return list(val)


@right("best_degree")
def degree_as_float():
    _, val, _ = _degree_errors()
    return float(np.argmin(val) + 1)


@right("best_degree")
def degree_as_numpy_int():
    _, val, _ = _degree_errors()
    return np.arange(1, 13)[np.argmin(val)]


# -- chosen_test_error -------------------------------------------------------------


def _chosen():
    train, val, test = _degree_errors()
    return int(np.argmin(val)), train, val, test


@wrong("chosen_test_error", "*validation* error")
def reported_the_validation_error():
    k, _, val, _ = _chosen()
    return float(val[k])


@wrong("chosen_test_error", "choose the degree on the test set")
def reported_the_best_test_error():
    _, _, _, test = _chosen()
    return float(test.min())


@wrong("chosen_test_error", "*training* error")
def reported_the_training_error():
    k, train, _, _ = _chosen()
    return float(train[k])


@wrong("chosen_test_error", "the 1/2 belongs to the training loss")
def reported_half_the_error():
    k, _, _, test = _chosen()
    return float(test[k]) / 2


@wrong("chosen_test_error", "square root")
def reported_the_rmse():
    k, _, _, test = _chosen()
    return float(np.sqrt(test[k]))


@wrong("chosen_test_error", "fit_ridge at rate 0")
def reported_an_unrelated_number():
    return 0.09


@wrong("chosen_test_error", "a function instead of a value")
def reported_a_function():
    return lambda: 0.17


@right("chosen_test_error")
def reported_as_numpy_float():
    k, _, _, test = _chosen()
    return np.float64(test[k])


# -- squared_bias --------------------------------------------------------------------


@wrong("squared_bias", "bias² + variance")
def bias_is_mse(predictions, true_values):
    return np.mean((predictions - true_values) ** 2)


@wrong("squared_bias", "axis=0")
def bias_wrong_axis(predictions, true_values):
    return np.mean((predictions.mean(axis=1) - true_values) ** 2)


@wrong("squared_bias", "not (mean(ȳ − f))²")
def bias_square_of_mean(predictions, true_values):
    return np.mean(predictions.mean(axis=0) - true_values) ** 2


@wrong("squared_bias", "difference was not squared")
def bias_not_squared(predictions, true_values):
    return np.mean(predictions.mean(axis=0) - true_values)


@wrong("squared_bias", "no square root")
def bias_root(predictions, true_values):
    return np.sqrt(np.mean((predictions.mean(axis=0) - true_values) ** 2))


@wrong("squared_bias", "do not sum")
def bias_summed(predictions, true_values):
    return np.sum((predictions.mean(axis=0) - true_values) ** 2)


@wrong("squared_bias", "not its absolute value")
def bias_absolute(predictions, true_values):
    return np.mean(np.abs(predictions.mean(axis=0) - true_values))


@right("squared_bias")
def bias_loops(predictions, true_values):
    n_repeats, n_points = predictions.shape
    total = 0.0
    for j in range(n_points):
        mean_j = sum(predictions[r, j] for r in range(n_repeats)) / n_repeats
        total += (mean_j - true_values[j]) ** 2
    return total / n_points


# -- prediction_variance -------------------------------------------------------------


@wrong("prediction_variance", "R − 1")
def variance_ddof(predictions):
    return np.mean(np.var(predictions, axis=0, ddof=1))


@wrong("prediction_variance", "axis=0")
def variance_wrong_axis(predictions):
    return np.mean(np.var(predictions, axis=1))


@wrong("prediction_variance", "pooling")
def variance_pooled(predictions):
    return np.var(predictions)


@wrong("prediction_variance", "standard deviation")
def variance_std(predictions):
    return np.mean(np.std(predictions, axis=0))


@wrong("prediction_variance", "do not sum")
def variance_summed_points(predictions):
    return np.sum(np.var(predictions, axis=0))


@wrong("prediction_variance", "divide by R")
def variance_summed_repeats(predictions):
    return np.mean(np.sum((predictions - predictions.mean(axis=0)) ** 2, axis=0))


@wrong("prediction_variance", "single number")
def variance_per_point(predictions):
    return np.var(predictions, axis=0)


@right("prediction_variance")
def variance_from_the_identity(predictions):
    mean = predictions.mean(axis=0)
    return np.mean(predictions**2) - np.mean(mean**2)


# -- predict_dominant_term ---------------------------------------------------------------


@wrong("predict_dominant_term", "bias² is nearly 0")
def predicted_bias_dominates():
    return "bias"


@wrong("predict_dominant_term", "not yet wild")
def predicted_variance_dominates():
    return "variance"


@wrong("predict_dominant_term", "not one of the choices")
def predicted_with_the_symbol():
    return "bias²"


@wrong("predict_dominant_term", "'bias', 'variance', 'noise'")
def predicted_with_a_letter():
    return "c"


@wrong("predict_dominant_term", "as a string")
def predicted_the_noise_value():
    return 0.09


@right("predict_dominant_term")
def predicted_noise_in_capitals():
    return "NOISE"

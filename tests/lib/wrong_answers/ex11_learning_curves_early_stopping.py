"""Typical wrong (and some unusual but right) answers to exercise 11_learning_curves_early_stopping.

Each ``@wrong(task, expect)`` function is an answer a learner might write; ``check`` must
reject it and its summary or hint must contain ``expect``.  ``@right(task)`` answers are
correct in an unusual way and must pass.  For value tasks the function returns the answer.
"""

import numpy as np
from _corpus import new_corpus

from course_lib.checks.ex11_learning_curves_early_stopping import WD_GRID, exercise_data, grid_results
from course_lib.mlp import train_mlp
from course_lib.model_selection import mean_log_loss

CORPUS, wrong, right = new_corpus()  # (task, expected hint substring or None, answer)


# -- predict_validation_curve --------------------------------------------------


@wrong("predict_validation_curve", "learns the noise")
def curve_keeps_falling():
    return "a"


@wrong("predict_validation_curve", "does not settle")
def curve_flat():
    return "c"


@wrong("predict_validation_curve", "not one of the choices")
def curve_rises_in_words():
    return "it rises"


@wrong("predict_validation_curve", "not one of the choices")
def curve_as_number():
    return 2


@wrong("predict_validation_curve", "not yet attempted")
def curve_not_answered():
    return ...


@right("predict_validation_curve")
def curve_upper_case():
    return "B"


# -- early_stopping_epochs -----------------------------------------------------


def _loop(val_losses, patience, *, ties=False, limit_shift=0, keep_last=False, from_one=False):
    best, best_loss, wait = 0, val_losses[0], 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < best_loss or (ties and val_losses[epoch] == best_loss):
            best, best_loss, wait = epoch, val_losses[epoch], 0
        else:
            wait += 1
            if wait >= patience + limit_shift:
                stop = epoch
                break
    else:
        stop = len(val_losses) - 1
    if keep_last:
        best = stop
    return (best + 1, stop + 1) if from_one else (best, stop)


@wrong("early_stopping_epochs", "You returned the last weights")
def stopping_returns_last(val_losses, patience):
    return _loop(val_losses, patience, keep_last=True)


@wrong("early_stopping_epochs", "strictly lower")
def stopping_ties_improve(val_losses, patience):
    return _loop(val_losses, patience, ties=True)


@wrong("early_stopping_epochs", "one epoch late")
def stopping_one_late(val_losses, patience):
    return _loop(val_losses, patience, limit_shift=1)


@wrong("early_stopping_epochs", "one epoch early")
def stopping_one_early(val_losses, patience):
    return _loop(val_losses, patience, limit_shift=-1)


@wrong("early_stopping_epochs", "count from 0")
def stopping_from_one(val_losses, patience):
    return _loop(val_losses, patience, from_one=True)


@wrong("early_stopping_epochs", "never trained")
def stopping_global_argmin(val_losses, patience):
    return int(np.argmin(val_losses)), _loop(val_losses, patience)[1]


@wrong("early_stopping_epochs", "even if the list goes on")
def stopping_never(val_losses, patience):
    return int(np.argmin(val_losses)), len(val_losses) - 1


@wrong("early_stopping_epochs", "`return`")
def stopping_prints(val_losses, patience):
    print(_loop(val_losses, patience))


@wrong("early_stopping_epochs", "whole number")
def stopping_floats(val_losses, patience):
    best, stop = _loop(val_losses, patience)
    return best + 0.5, float(stop)


@right("early_stopping_epochs")
def stopping_as_array(val_losses, patience):
    return np.array(_loop(val_losses, patience))


@right("early_stopping_epochs")
def stopping_by_slices(val_losses, patience):
    losses = list(val_losses)
    for stop in range(patience, len(losses)):
        if min(losses[stop - patience + 1 : stop + 1]) >= min(losses[: stop - patience + 1]):
            return int(np.argmin(losses[: stop + 1])), stop
    return int(np.argmin(losses)), len(losses) - 1


# -- choose_weight_decay -------------------------------------------------------


@wrong("choose_weight_decay", "You chose on test")
def choose_on_test(weight_decays, train_losses, val_losses, test_losses):
    return float(weight_decays[np.argmin(test_losses)])


@wrong("choose_weight_decay", "always prefers the weakest penalty")
def choose_on_training(weight_decays, train_losses, val_losses, test_losses):
    return float(weight_decays[np.argmin(train_losses)])


@wrong("choose_weight_decay", "position")
def choose_index(weight_decays, train_losses, val_losses, test_losses):
    return int(np.argmin(val_losses))


@wrong("choose_weight_decay", "not the loss itself")
def choose_loss(weight_decays, train_losses, val_losses, test_losses):
    return float(np.min(val_losses))


@wrong("choose_weight_decay", "lower")
def choose_argmax(weight_decays, train_losses, val_losses, test_losses):
    return float(weight_decays[np.argmax(val_losses)])


@wrong("choose_weight_decay", "On a tie, take the larger")
def choose_first_on_tie(weight_decays, train_losses, val_losses, test_losses):
    return float(weight_decays[np.argmin(val_losses)])


@right("choose_weight_decay")
def choose_by_sorting(weight_decays, train_losses, val_losses, test_losses):
    ranked = sorted(zip(val_losses, [-wd for wd in weight_decays]))
    return -ranked[0][1]


# -- chosen_weight_decay and final_test_loss --------------------------------------


@wrong("chosen_weight_decay", "You chose on test")
def chosen_on_test():
    return float(WD_GRID[int(np.argmin(grid_results()[3]))])


@wrong("chosen_weight_decay", "*training* loss")
def chosen_on_training():
    return float(WD_GRID[int(np.argmin(grid_results()[1]))])


@wrong("chosen_weight_decay", "one of the weight decays tried")
def chosen_off_grid():
    return 0.02


@wrong("chosen_weight_decay", "Compare the final validation losses")
def chosen_strongest():
    return max(WD_GRID)


@wrong("chosen_weight_decay", "instead of a number")
def chosen_as_text():
    return "0.01"


@right("chosen_weight_decay")
def chosen_by_training_one_network_at_a_time():
    X, y, X_val, y_val, _, _ = exercise_data()
    losses = [train_mlp(X, y, (50,), optimizer="sgd", lr=0.5, epochs=1500, weight_decay=wd, X_val=X_val,
                        y_val=y_val).history["val_loss"][-1] for wd in WD_GRID]
    return WD_GRID[int(np.argmin(losses))]


@wrong("final_test_loss", "lowest test loss of the whole grid")
def final_best_test():
    return float(grid_results()[3].min())


@wrong("final_test_loss", "validation loss")
def final_validation():
    nets, _, val, _ = grid_results()
    return float(val.min())


@wrong("final_test_loss", "mean_log_loss(y_test")
def final_training_loss():
    return float(grid_results()[1][WD_GRID.index(0.01)])


@wrong("final_test_loss", "mean_log_loss(y_test")
def final_misclassification():
    nets, _, _, _ = grid_results()
    X, y, X_val, y_val, X_test, y_test = exercise_data()
    return float(np.mean(nets[WD_GRID.index(0.01)].predict(X_test) != y_test))


@wrong("final_test_loss", "single number")
def final_as_list():
    return [0.3]


@right("final_test_loss")
def final_recomputed():
    X, y, X_val, y_val, X_test, y_test = exercise_data()
    net = train_mlp(X, y, (50,), optimizer="sgd", lr=0.5, epochs=1500, weight_decay=0.01)
    return mean_log_loss(y_test, net.predict_proba(X_test))

"""Checks for exercise 11_learning_curves_early_stopping: the early-stopping rule, choosing a weight decay
on validation data, and touching the test set once.

Conventions checked: epochs count from 0 (``val_losses[0]`` is measured at initialization); the
patience rule of :func:`course_lib.early_stopping.early_stopping_epochs` (a strictly lower loss is
an improvement, a tie is not; stop once ``patience`` epochs in a row brought none; keep the best
epoch's weights); a weight decay is chosen by its validation loss, ties going to the larger
weight decay (the simpler network), never by the test loss.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..data import make_classification_2d
from ..early_stopping import early_stopping_epochs
from ..mlp import train_mlps
from ..model_selection import mean_log_loss
from .framework import Case, FunctionTask, PredictionTask, Problem, ValueTask, WrittenTask, matches, returned_none
from .framework import _describe  # shared answer-form helper

EXERCISE = "ex11_learning_curves_early_stopping"


# ---------------------------------------------------------------------------
# Task: the early-stopping rule
# ---------------------------------------------------------------------------


class EpochPairTask(FunctionTask):
    """A function task whose answer is a pair of whole numbers, ``(best_epoch, stop_epoch)``."""

    def __init__(self, name, exercise, **kwargs):
        super().__init__(name, exercise, output="array", compare=lambda got, expected: tuple(got) == tuple(expected),
                         **kwargs)

    def _form(self, got, expected):
        if got is None:
            return returned_none()
        if isinstance(got, np.ndarray) and got.ndim == 1:
            got = got.tolist()
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return Problem(f"returned {_describe(got)} instead of the pair (best_epoch, stop_epoch)",
                           "Return two whole numbers: `return best_epoch, stop_epoch`.")
        epochs = []
        for value in got:
            if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) or float(value) != int(value):
                return Problem(f"the pair holds {_describe(value)}, not a whole number of epochs",
                               "Epochs are whole numbers: the positions in val_losses (int(np.argmin(...)), "
                               "a loop counter, ...).")
            epochs.append(int(value))
        return tuple(epochs)


def _stopping_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(1101) if rng is None else rng
    epochs = np.arange(60)
    u_shape = 0.3 + 0.6 * np.exp(-epochs / 8) + 0.004 * np.maximum(epochs - 15, 0)  # falls, then rises
    noisy = np.round(u_shape + 0.01 * rng.normal(size=epochs.size), 4)
    return [
        Case("falls to a low at epoch 2, then no new low: patience 3",
             (np.array([1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.9]), 3)),
        Case("always improving: training runs to the end, patience 2", (np.array([1.0, 0.9, 0.8, 0.7, 0.6]), 2)),
        Case("a tie with the best loss is no improvement, patience 2", (np.array([0.5, 0.4, 0.4, 0.4, 0.3]), 2)),
        Case("the initialization is best, patience 2", (np.array([0.5, 0.6, 0.7, 0.8, 0.9]), 2)),
        Case("a new low resets the count, patience 2",
             (np.array([1.0, 0.9, 0.95, 0.85, 0.9, 0.95, 0.97]), 2)),
        Case("a lower loss comes only after the stop, patience 2",
             (np.array([1.0, 0.6, 0.7, 0.8, 0.5, 0.4]), 2)),
        Case("the list ends before patience runs out, patience 5",
             (np.array([1.0, 0.8, 0.6, 0.7, 0.65, 0.66]), 5)),
        Case("a noisy learning curve of 60 epochs, patience 5", (noisy, 5)),
    ]


def _stopping_variant(kind):
    def variant(val_losses, patience):
        losses = list(np.asarray(val_losses, dtype=float))
        if kind == "global argmin":
            return int(np.argmin(losses)), early_stopping_epochs(losses, patience).stop_epoch
        if kind == "never stops":
            return int(np.argmin(losses)), len(losses) - 1
        best, stop = early_stopping_epochs(losses, patience)
        if kind == "last weights":
            return stop, stop
        if kind == "from one":
            return best + 1, stop + 1
        best_epoch, best_loss, wait = 0, losses[0], 0
        for epoch in range(1, len(losses)):
            better = losses[epoch] <= best_loss if kind == "ties improve" else losses[epoch] < best_loss
            if better:
                best_epoch, best_loss, wait = epoch, losses[epoch], 0
            else:
                wait += 1
                limit = patience + 1 if kind == "one late" else (patience - 1 if kind == "one early" else patience)
                if wait >= limit:
                    return best_epoch, epoch
        return best_epoch, len(losses) - 1

    return variant


_STOPPING_MISTAKES = [
    matches(_stopping_variant("last weights"), "the weights of the last epoch were returned, not the best epoch's",
            "You returned the last weights: best_epoch equals stop_epoch. Early stopping keeps the weights of the "
            "epoch with the lowest validation loss; the last `patience` epochs brought no improvement, and their "
            "weights are already overfitting."),
    matches(_stopping_variant("ties improve"), "a tie with the best loss was counted as an improvement",
            "Only a strictly lower loss is an improvement (loss < best, not <=): a tie keeps the earlier epoch "
            "as the best and keeps counting towards the patience."),
    matches(_stopping_variant("one late"), "training stops one epoch late",
            "Stop at the first epoch that makes `patience` epochs in a row without a new low: with patience 3 "
            "and the best at epoch 2, the stop epoch is 5."),
    matches(_stopping_variant("one early"), "training stops one epoch early",
            "Wait for `patience` epochs without a new low, not patience − 1: with patience 3 and the best at "
            "epoch 2, the stop epoch is 5."),
    matches(_stopping_variant("from one"), "epochs are counted from 1",
            "Epochs count from 0 here: val_losses[0] is the loss at initialization, val_losses[e] after e "
            "epochs, so the epoch of an entry is its index."),
    matches(_stopping_variant("global argmin"), "the best epoch was looked for after the stop too",
            "The best epoch is the lowest loss up to the stop epoch: training never sees the losses after it. "
            "Taking np.argmin over the whole list uses epochs that were never trained."),
    matches(_stopping_variant("never stops"), "training never stopped early",
            "Stop as soon as `patience` epochs in a row have brought no new low, even if the list goes on."),
]


# ---------------------------------------------------------------------------
# Task: choosing a weight decay from a results table
# ---------------------------------------------------------------------------


def choose_weight_decay(weight_decays, train_losses, val_losses, test_losses):
    """The weight decay with the lowest validation loss (on a tie, the largest: the simpler network)."""
    weight_decays, val_losses = np.asarray(weight_decays, dtype=float), np.asarray(val_losses, dtype=float)
    best = val_losses == val_losses.min()
    return float(weight_decays[best].max())


def _table(rng, weight_decays, val, test=None):
    weight_decays = np.asarray(weight_decays, dtype=float)
    train = np.round(np.sort(rng.uniform(0.01, 0.4, size=weight_decays.size))[np.argsort(np.argsort(weight_decays))], 3)
    test = np.round(rng.uniform(0.2, 0.6, size=weight_decays.size), 3) if test is None else np.asarray(test, float)
    return weight_decays, train, np.asarray(val, dtype=float), test


def _choice_cases(rng=None) -> list[Case]:
    rng = np.random.default_rng(1102) if rng is None else rng
    grid = [0.0, 0.001, 0.01, 0.1, 1.0]
    return [
        Case("five weight decays, the validation minimum at 0.01",
             _table(rng, grid, [0.52, 0.41, 0.33, 0.36, 0.69], [0.50, 0.30, 0.35, 0.37, 0.70])),
        Case("the minimum at the first weight decay, 0",
             _table(rng, grid, [0.21, 0.25, 0.30, 0.40, 0.69], [0.40, 0.33, 0.30, 0.45, 0.70])),
        Case("weight decays not in increasing order",
             _table(rng, [0.1, 0.0, 1.0, 0.01], [0.35, 0.60, 0.70, 0.38], [0.40, 0.62, 0.71, 0.31])),
        Case("a tie between 0.01 and 0.1 goes to the larger",
             _table(rng, grid, [0.50, 0.40, 0.33, 0.33, 0.70], [0.48, 0.41, 0.36, 0.30, 0.69])),
        Case("random tables of eight weight decays",
             _table(rng, np.round(np.geomspace(1e-4, 1.0, 8), 6), np.round(rng.uniform(0.2, 0.8, 8), 3))),
        Case("two weight decays", _table(rng, [0.003, 0.03], [0.45, 0.44], [0.40, 0.47])),
    ]


def _choice_variant(kind):
    def variant(weight_decays, train_losses, val_losses, test_losses):
        column = {"test": test_losses, "train": train_losses}.get(kind, val_losses)
        column, weight_decays = np.asarray(column, float), np.asarray(weight_decays, float)
        if kind == "index":
            return float(np.argmin(column))
        if kind == "loss":
            return float(column.min())
        if kind == "argmax":
            return float(weight_decays[np.argmax(column)])
        if kind == "first tie":
            return float(weight_decays[np.argmin(column)])
        return choose_weight_decay(weight_decays, column, column, column)

    return variant


_CHOICE_MISTAKES = [
    matches(_choice_variant("test"), "the weight decay was chosen on the test losses",
            "You chose on test: the test set is for the one final estimate of how the chosen network does on new "
            "data. Choosing with it makes that estimate optimistic (the winner of many noisy scores looks better "
            "than it is). Choose by the validation losses."),
    matches(_choice_variant("train"), "the weight decay was chosen on the training losses",
            "The training loss always prefers the weakest penalty: it measures the fit to the data the network "
            "was trained on. Choose by the validation losses."),
    matches(_choice_variant("index"), "the position in the table was returned, not the weight decay",
            "np.argmin gives the position of the lowest validation loss: return weight_decays at that position."),
    matches(_choice_variant("loss"), "the lowest validation loss was returned, not its weight decay",
            "Return the weight decay whose validation loss is lowest, not the loss itself."),
    matches(_choice_variant("argmax"), "the highest validation loss was picked",
            "A loss is better when it is lower: use the minimum (np.argmin), not the maximum."),
    matches(_choice_variant("first tie"), "a tie went to the smaller weight decay",
            "On a tie, take the larger weight decay: the simpler network, as good on the validation data."),
]


# ---------------------------------------------------------------------------
# Value tasks on the exercise's data
# ---------------------------------------------------------------------------

WD_GRID = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3)
NETWORK = {"hidden": (50,), "optimizer": "sgd", "lr": 0.5, "epochs": 1500, "seed": 0}


def exercise_data():
    """Training (40), validation (40) and test (1000) points of the noisy moons: ``X, y, X_val, y_val, X_test, y_test``."""
    X, y = make_classification_2d(40, kind="moons", noise=0.3, seed=12)
    X_val, y_val = make_classification_2d(40, kind="moons", noise=0.3, seed=512)
    X_test, y_test = make_classification_2d(1000, kind="moons", noise=0.3, seed=1012)
    return X, y, X_val, y_val, X_test, y_test


_CACHE: dict = {}


def grid_results():
    """The results table of ``WD_GRID``: ``(networks, train, validation, test)`` final log-losses."""
    if not _CACHE:
        X, y, X_val, y_val, X_test, y_test = exercise_data()
        hidden = NETWORK["hidden"]
        kwargs = {k: v for k, v in NETWORK.items() if k != "hidden"}
        nets = train_mlps(X, y, hidden, weight_decays=WD_GRID, X_val=X_val, y_val=y_val, **kwargs)
        _CACHE["table"] = (nets, np.array([mean_log_loss(y, n.predict_proba(X)) for n in nets]),
                           np.array([n.history["val_loss"][-1] for n in nets]),
                           np.array([mean_log_loss(y_test, n.predict_proba(X_test)) for n in nets]))
    return _CACHE["table"]


def _chosen_expected():
    _, train, val, test = grid_results()
    return choose_weight_decay(WD_GRID, train, val, test)


def _on(column):
    return float(WD_GRID[int(np.argmin(grid_results()[column]))])


def _chosen_hint(got, expected):
    if not any(abs(got - wd) <= 1e-12 + 1e-9 * wd for wd in WD_GRID):
        return f"Answer with one of the weight decays tried: {', '.join(f'{wd:g}' for wd in WD_GRID)}."
    if abs(got - _on(3)) <= 1e-12 + 1e-9 * got:
        return ("You chose on test: that weight decay has the lowest *test* loss. The test set is used once, for "
                "the chosen network; the choice is made on the validation losses.")
    if abs(got - _on(1)) <= 1e-12 + 1e-9 * got:
        return "That weight decay has the lowest *training* loss — the weakest penalty always does. Use validation."
    return "Compare the final validation losses, history['val_loss'][-1], of the networks."


def _final_test_expected():
    nets, _, val, test = grid_results()
    return float(test[WD_GRID.index(_chosen_expected())])


def _final_test_hint(got, expected):
    nets, _, val, test = grid_results()
    close = lambda a, b: abs(a - b) <= 1e-6 * abs(b)  # noqa: E731
    if close(got, float(test.min())):
        return ("That is the lowest test loss of the whole grid, i.e. the test loss of the network the test set "
                "would choose. Report the test loss of the network chosen on validation data.")
    if close(got, float(val[WD_GRID.index(_chosen_expected())])):
        return "That is the chosen network's validation loss; the question asks for its loss on the test set."
    return "Compute mean_log_loss(y_test, net.predict_proba(X_test)) for the network with the chosen weight decay."


# ---------------------------------------------------------------------------
# Tasks
# ---------------------------------------------------------------------------

TASKS = [
    PredictionTask(
        "predict_validation_curve", EXERCISE, answer="b", points=1,
        description="what the validation loss does after its minimum while the training loss keeps falling",
        choices={
            "a": "It would if the network learned only what the two moons have in common. After the minimum it "
                 "learns the noise of its 40 training points too, which does not carry over to new points.",
            "b": "Past its minimum, the validation loss rises while the training loss keeps falling: the network "
                 "fits the noise of its training points. The gap between the curves is overfitting.",
            "c": "The validation loss does not settle: the network keeps changing, and what it learns now fits "
                 "the training points only.",
        },
    ),
    EpochPairTask(
        "early_stopping_epochs", EXERCISE,
        reference=early_stopping_epochs, cases=_stopping_cases, points=2,
        signature="early_stopping_epochs(val_losses, patience)",
        description="the best epoch and the stop epoch of early stopping with patience, from a list of losses",
        mistakes=_STOPPING_MISTAKES,
    ),
    FunctionTask(
        "choose_weight_decay", EXERCISE,
        reference=choose_weight_decay, cases=_choice_cases, output="scalar", points=2,
        signature="choose_weight_decay(weight_decays, train_losses, val_losses, test_losses)",
        description="the weight decay with the lowest validation loss (ties: the larger one)",
        mistakes=_CHOICE_MISTAKES,
    ),
    ValueTask(
        "chosen_weight_decay", EXERCISE,
        expected=_chosen_expected, tolerance=1e-9, points=1,
        description="the weight decay chosen on the validation data of the exercise",
        hint=_chosen_hint,
    ),
    ValueTask(
        "final_test_loss", EXERCISE,
        expected=_final_test_expected, tolerance=1e-6, points=1,
        description="the test log-loss of the network chosen on validation data, computed once",
        hint=_final_test_hint,
    ),
    WrittenTask(
        "explain_test_once", EXERCISE, points=2,
        description="why the test set is not used to choose, and what choosing on it would overstate",
    ),
]

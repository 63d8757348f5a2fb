"""The check of a K-fold split (exercise 06's ``kfold_indices``): a property-based task.

``kfold_indices(n_samples, n_folds, seed)`` returns ``n_folds`` pairs ``(train_idx, test_idx)`` of
integer arrays; the test folds partition ``0 … n−1``, their sizes differ by at most one, each training
set is the complement of its test fold, and the rows are shuffled with ``np.random.default_rng(seed)``.
*Any* such partition passes: the permutation is not prescribed, but the same seed must give the same
folds and different seeds different ones.
"""

from __future__ import annotations

import numpy as np

from .framework import Case, FunctionTask, Problem, Verdict, format_value, returned_none

__all__ = ["FoldsTask", "fold_cases"]


def fold_cases(rng=None) -> list[Case]:
    cases = [
        Case("n=20, 5 folds, seed=0", (20, 5, 0)),
        Case("the same call again: n=20, 5 folds, seed=0", (20, 5, 0)),
        Case("another seed: n=20, 5 folds, seed=1", (20, 5, 1)),
        Case("n=23 not divisible by 5 folds, seed=3", (23, 5, 3)),
        Case("2 folds, n=9, seed=4", (9, 2, 4)),
        Case("leave-one-out: n=6, 6 folds, seed=5", (6, 6, 5)),
        Case("n=101, 10 folds, seed=42", (101, 10, 42)),
    ]
    if rng is not None:  # grading: one more split of the same kind, with numbers drawn for this run
        cases.append(Case("another n, number of folds and seed",
                          (int(rng.integers(12, 80)), int(rng.integers(2, 9)), int(rng.integers(6, 10**6)))))
    return cases


_SAME_CALL = ("n=20, 5 folds, seed=0", "the same call again: n=20, 5 folds, seed=0")
_OTHER_SEED = "another seed: n=20, 5 folds, seed=1"
_UNSHUFFLED_CASE = "n=20, 5 folds, seed=0"


def _as_indices(value, what: str, n: int):
    """An int array of row indices, or a Problem."""
    if isinstance(value, list):
        return Problem(f"{what} is a Python list, not a numpy array",
                       "Return numpy integer arrays (e.g. the pieces of np.array_split of a permutation).")
    if not isinstance(value, np.ndarray):
        return Problem(f"{what} is not a numpy array of row indices",
                       "Each pair is (train_idx, test_idx): two 1-D numpy arrays of integer row indices.")
    if value.dtype == bool:
        return Problem(f"{what} is a boolean mask, not an array of row indices",
                       "Give the row numbers themselves, e.g. np.flatnonzero(mask).")
    if value.ndim != 1:
        return Problem(f"{what} has shape {value.shape}, not a 1-D array",
                       "Each index array is 1-D: one entry per row it selects.")
    if value.dtype.kind not in "iu":
        if value.dtype.kind == "f" and np.all(value == np.round(value)):
            return Problem(f"{what} holds floats, not integers",
                           "Row indices must be integers (dtype int): np.arange and rng.permutation give ints; "
                           "do not build the folds with float arithmetic.")
        return Problem(f"{what} does not hold integer row indices",
                       "Row indices are integers from 0 to n_samples − 1.")
    if value.size and (value.min() < 0 or value.max() >= n):
        return Problem(f"{what} holds indices outside 0 … {n - 1}",
                       "Row indices run from 0 to n_samples − 1 (np.arange(n_samples)).")
    return value.astype(int)


def _check_folds(got, n: int, k: int):
    """Normalised folds [(train, test), ...] or a Problem naming what is wrong."""
    if got is None:
        return returned_none()
    if isinstance(got, np.ndarray) or not isinstance(got, (list, tuple)):
        return Problem(
            "did not return a list of (train_idx, test_idx) pairs",
            "Return a list with one pair per fold: [(train_idx, test_idx), ...] — e.g. "
            "folds.append((train_idx, test_idx)) in a loop over the folds.",
        )
    if len(got) != k:
        return Problem(f"returned {len(got)} pairs for n_folds={k}",
                       "Return exactly one (train_idx, test_idx) pair per fold: n_folds pairs.")
    folds = []
    for i, pair in enumerate(got):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            return Problem(f"element {i} is not a (train_idx, test_idx) pair",
                           "Each element of the list is a pair: (train_idx, test_idx).")
        train = _as_indices(pair[0], f"train_idx of split {i + 1}", n)
        if isinstance(train, Problem):
            return train
        test = _as_indices(pair[1], f"test_idx of split {i + 1}", n)
        if isinstance(test, Problem):
            return test
        folds.append((train, test))
    for i, (train, test) in enumerate(folds):
        if np.unique(test).size != test.size:
            return Problem(f"a row appears twice in the test fold of split {i + 1}",
                           "Draw the rows without replacement: cut one permutation of the rows into folds.")
    counts = np.bincount(np.concatenate([test for _, test in folds]), minlength=n)
    if np.any(counts > 1):
        row = int(np.flatnonzero(counts > 1)[0])
        splits = [i + 1 for i, (_, test) in enumerate(folds) if row in test]
        return Problem(
            f"the test folds overlap (row {row} is a test row of splits {splits})",
            "Shuffle the rows once and cut that one permutation into consecutive blocks (np.array_split); "
            "drawing each fold at random on its own lets folds overlap.",
        )
    if np.any(counts == 0):
        missing = np.flatnonzero(counts == 0).tolist()
        return Problem(
            f"rows {missing[:6]}{' …' if len(missing) > 6 else ''} are in no test fold",
            "Every row must be tested exactly once. When n is not divisible by n_folds, n // n_folds rows "
            "per fold leave the remainder out: np.array_split(permutation, n_folds) keeps every row.",
        )
    sizes = [test.size for _, test in folds]
    if max(sizes) - min(sizes) > 1:
        return Problem(
            f"the fold sizes {sizes} differ by more than one",
            "Spread the remainder over the folds: np.array_split gives sizes that differ by at most one "
            "(the first n % n_folds folds get one extra row).",
        )
    for i, (train, test) in enumerate(folds):
        if np.intersect1d(train, test).size:
            return Problem(
                f"the training rows of split {i + 1} include its test rows",
                "A leak: the model would be tested on rows it trained on. The training rows are all rows "
                "*not* in that split's test fold: np.setdiff1d(np.arange(n_samples), test_idx).",
            )
        if np.unique(train).size != train.size or train.size + test.size != n:
            return Problem(
                f"the training rows of split {i + 1} are not all the other rows",
                "Train on every row outside the test fold, each once: "
                "np.setdiff1d(np.arange(n_samples), test_idx).",
            )
    return [(np.sort(train), np.sort(test)) for train, test in folds]


def _same_partition(a, b) -> bool:
    return {tuple(test.tolist()) for _, test in a} == {tuple(test.tolist()) for _, test in b}


def _describe_folds(folds) -> str:
    """Short text for a learner's folds (well-formed or not)."""
    if isinstance(folds, (list, tuple)) and all(isinstance(pair, (list, tuple)) and len(pair) == 2
                                                for pair in folds):
        text = "; ".join(f"split {i + 1} tests {format_value(pair[1])}" for i, pair in enumerate(folds[:3]))
        return text + ("; …" if len(folds) > 3 else "")
    return format_value(folds)


class FoldsTask(FunctionTask):
    """``kfold_indices``: any valid, shuffled, seeded partition passes (the permutation is free)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, output="array", compare=lambda got, expected: True, **kwargs)

    def _form(self, got, expected):
        # expected is the reference's folds for this case; only n and n_folds matter here
        n = int(sum(test.size for _, test in expected))
        return _check_folds(got, n, len(expected))

    def _failure(self, case, got, value, problem, mistake) -> Verdict:
        n, k = case.args[0], case.args[1]
        details = (
            f"  case:     {case.label}\n"
            f"  input:    {', '.join(f'{a} = {v}' for a, v in zip(self._input_names(), case.args))}\n"
            f"  expected: {k} pairs (train_idx, test_idx); the test folds split 0 … {n - 1} into {k} parts "
            f"whose sizes differ by at most one\n"
            f"  got:      {_describe_folds(got if value is None else value)}\n"
            f"{self._rerun_line(case)}"
        )
        return Verdict(False, "fail", f"fails on case '{case.label}': {problem.summary}", problem.hint, details)

    def _judge_values(self, results) -> Verdict:
        verdict = super()._judge_values(results)
        if not verdict.passed:
            return verdict
        by_label = {case.label: self._form(got, self.expected(case)) for case, got in results}
        labels = {case.label: case for case, _ in results}
        if all(label in by_label for label in _SAME_CALL):
            first, again = (by_label[label] for label in _SAME_CALL)
            if not _same_partition(first, again):
                return Verdict(
                    False, "fail", "two calls with the same seed gave different folds",
                    "Make the shuffle depend on `seed` alone: rng = np.random.default_rng(seed); "
                    "order = rng.permutation(n_samples). np.random.shuffle/np.random.permutation use a "
                    "global generator that ignores your seed.",
                    f"  case:     {_SAME_CALL[0]}, called twice\n"
                    f"  first:    {_describe_folds(first)}\n  second:   {_describe_folds(again)}",
                )
        if _UNSHUFFLED_CASE in by_label:
            folds = by_label[_UNSHUFFLED_CASE]
            n, k = labels[_UNSHUFFLED_CASE].args[:2]
            blocks = [(None, block) for block in np.array_split(np.arange(n), k)]
            if _same_partition(folds, blocks):
                return Verdict(
                    False, "fail", "the rows are not shuffled (each test fold is a block of consecutive rows)",
                    "Shuffle before cutting: order = np.random.default_rng(seed).permutation(n_samples), then "
                    "np.array_split(order, n_folds). Data files are often sorted (by date, class or x), and "
                    "unshuffled folds then differ systematically.",
                    f"  case:     {_UNSHUFFLED_CASE}\n  got:      {_describe_folds(folds)}",
                )
        if _OTHER_SEED in by_label and _SAME_CALL[0] in by_label:
            if _same_partition(by_label[_SAME_CALL[0]], by_label[_OTHER_SEED]):
                return Verdict(
                    False, "fail", "seeds 0 and 1 gave the same folds: the seed is ignored",
                    "Create the generator from the argument: np.random.default_rng(seed), not a fixed number.",
                    f"  cases:    {_SAME_CALL[0]} and {_OTHER_SEED}\n"
                    f"  both:     {_describe_folds(by_label[_OTHER_SEED])}",
                )
        return verdict

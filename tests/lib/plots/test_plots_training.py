"""course_lib.plots.training: learning curves, activation matrices, input usage.

Each helper draws what it is given (the artists hold the input data), labels its axes, titles the
figure, makes its own Axes when none is given, and tells its series apart without colour.
"""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import plots


def _curves():
    epochs = np.arange(101)
    return 0.7 * np.exp(-epochs / 20), 0.3 + 0.4 * np.exp(-epochs / 10) + 0.002 * epochs


def test_learning_curves_draw_both_losses_and_the_epochs_marked():
    train, val = _curves()
    _, ax = plt.subplots()
    out = plots.plot_learning_curves(train, val, best_epoch=12, stop_epoch=40, title="curves", ax=ax)
    assert out is ax
    np.testing.assert_array_equal(plots.find_artist(ax, "train-loss").get_ydata(), train)
    np.testing.assert_array_equal(plots.find_artist(ax, "val-loss").get_xdata(), np.arange(101))
    assert plots.find_artist(ax, "best-epoch").get_xdata()[0] == 12
    assert plots.find_artist(ax, "stop-epoch").get_xdata()[0] == 40
    assert ax.get_xscale() == "symlog" and ax.get_xlim() == (0.0, 100.0)
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() and ax.get_title() == "curves"
    assert len(ax.get_legend().get_texts()) == 4
    styles = {(line.get_linestyle(), line.get_marker()) for line in ax.get_lines()}
    assert len(styles) == 4  # training, validation and the two epoch lines differ without colour


def test_learning_curves_without_validation_data_draw_one_series_on_their_own_axes():
    train, _ = _curves()
    ax = plots.plot_learning_curves(train)
    assert ax.figure is not None and len(ax.get_lines()) == 1 and ax.get_legend() is None
    with pytest.raises(KeyError):
        plots.find_artist(ax, "val-loss")


def test_activation_matrix_shows_sizes_and_crosses_out_the_zeros():
    A = np.array([[0.5, -1.0, 0.0], [0.0, 0.25, -0.75]])
    ax = plots.plot_activation_matrix(A, title="after dropout")
    np.testing.assert_array_equal(plots.find_artist(ax, "activations").get_array(), np.abs(A))
    crosses = plots.find_artist(ax, "dropped").get_offsets()
    assert sorted(map(tuple, np.asarray(crosses))) == [(0.0, 1.0), (2.0, 0.0)]  # (column, row) of the zeros
    assert ax.get_xlabel() == "hidden unit" and ax.get_ylabel() == "example" and ax.get_title() == "after dropout"
    with pytest.raises(ValueError, match="activations"):
        plots.plot_activation_matrix(np.ones(3))


def test_input_usage_bars_sum_each_row_and_mark_unused_inputs():
    W_a = np.array([[1.0, -2.0], [0.5, 0.5], [0.0, 0.0]])
    W_b = np.array([[0.1, 0.0], [0.0, 0.0], [-0.3, 0.2]])
    _, ax = plt.subplots()
    plots.plot_input_usage({"L2": W_a, "L1": W_b}, ["a", "b", "c"], ax=ax)
    for k, W in enumerate((W_a, W_b)):
        bars = plots.find_artist(ax, f"usage-{k}")
        np.testing.assert_allclose([bar.get_height() for bar in bars], np.abs(W).sum(axis=1))
    assert {bar.get_hatch() for bar in plots.find_artist(ax, "usage-0")} != \
           {bar.get_hatch() for bar in plots.find_artist(ax, "usage-1")}
    marks = [line for line in ax.get_lines() if "unused" in line.get_label()]
    assert len(marks) == 2 and [len(m.get_xdata()) for m in marks] == [1, 1]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    assert ax.get_title() and ax.get_xlabel() == "input"

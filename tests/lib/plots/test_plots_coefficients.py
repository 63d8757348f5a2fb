"""course_lib.plots.coefficients: histograms, bars, shrinkage factors and paths, checked against hand computations."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import plots


def test_histograms_differ_without_colour():
    _, ax = plt.subplots()
    plots.plot_weight_histogram({"a": [0.0, 1.0, 2.0], "b": [0.5, 1.5], "c": [1.0]}, ax=ax)
    steps = [plots.find_artist(ax, f"hist-{k}") for k in range(3)]
    assert len({repr(s.get_linestyle()) for s in steps}) == 3


def test_compared_bars_differ_by_hatch():
    _, ax = plt.subplots()
    plots.plot_coefficient_bars([1.0, 2.0], {"b": [0.5, 1.0], "c": [0.1, 0.2]}, ax=ax)
    hatches = [ax.containers[k][0].get_hatch() for k in range(3)]
    assert len(set(hatches)) == 3
    assert list(plots.find_artist(ax, "coefs").datavalues) == [1.0, 2.0]


def test_histogram_counts_match_numpy_on_shared_edges():
    a = np.array([0.0, 0.1, 0.2, 0.9, 1.0])
    b = np.array([0.5, 0.55])
    _, ax = plt.subplots()
    plots.plot_weight_histogram({"a": a, "b": b}, bins=4, ax=ax)
    values, edges, _ = plots.find_artist(ax, "hist-0").get_data()
    np.testing.assert_allclose(edges, [0.0, 0.25, 0.5, 0.75, 1.0])
    np.testing.assert_array_equal(values, [3, 0, 0, 2])  # counted by hand
    values_b, _, _ = plots.find_artist(ax, "hist-1").get_data()
    np.testing.assert_array_equal(values_b, [0, 0, 2, 0])


def test_shrinkage_factor_is_one_half_at_rate_d_squared_over_n():
    d, n = np.array([2.0, 0.5]), 8
    rates = np.array([d[0] ** 2 / n, d[1] ** 2 / n])  # where d²/(d² + n·rate) = 1/2
    _, ax = plt.subplots()
    plots.plot_shrinkage(d, n, rates, ax=ax)
    line0, line1 = ax.get_lines()[:2]
    np.testing.assert_allclose(np.interp(rates[0], line0.get_xdata(), line0.get_ydata()), 0.5)
    np.testing.assert_allclose(np.interp(rates[1], line1.get_xdata(), line1.get_ydata()), 0.5)


def test_path_marker_sits_on_the_piecewise_linear_path_and_drops_rate_zero():
    rates = np.array([0.0, 1.0, 10.0])
    coefs = np.array([[3.0, -1.0], [2.0, -1.0], [0.0, 0.0]])
    _, ax = plt.subplots()
    plots.plot_path(rates, coefs, marker_rate=1.0, ax=ax)
    assert np.all(plots.find_artist(ax, "path-0").get_xdata() > 0)  # rate 0 is not on a log axis
    dots = plots.find_artist(ax, "rate-dots").get_offsets()
    np.testing.assert_allclose(dots, [[1.0, 2.0], [1.0, -1.0]])
    np.testing.assert_allclose(plots.find_artist(ax, "rate-marker").get_xdata(), [1.0, 1.0])
    assert ax.get_xscale() == "log"


def test_path_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="coefs must have shape"):
        plots.plot_path(np.ones(3), np.ones((4, 2)))


@pytest.mark.parametrize("scale", ["linear", "symlog"])
def test_path_line_names_do_not_overlap_where_lines_start_together(scale):
    rates = np.geomspace(1e-3, 10, 30)
    starts = np.array([2.0, 1.98, 1.95, 0.01, 0.0, -0.01, -0.02, -1.5])  # two bunches of close lines
    coefs = starts[None, :] * np.exp(-rates)[:, None]
    _, ax = plt.subplots(figsize=(4.0, 3.2))
    ax.set_yscale(scale)
    plots.plot_path(rates, coefs, ax=ax)
    ax.figure.canvas.draw()
    boxes = [plots.find_artist(ax, f"path-label-{j}").get_window_extent() for j in range(starts.size)]
    overlapping = [(i, j) for i in range(len(boxes)) for j in range(i) if boxes[i].overlaps(boxes[j])]
    assert not overlapping

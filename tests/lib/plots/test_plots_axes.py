"""course_lib.plots.axes: find_artist, spread_labels and label_heights."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import plots
from course_lib.plots.axes import label_heights


def test_find_artist_names_the_missing_gid():
    _, ax = plt.subplots()
    with pytest.raises(KeyError, match="nope"):
        plots.find_artist(ax, "nope")


def test_spread_labels_keeps_order_and_gap_and_moves_only_overlapping_labels():
    rng = np.random.default_rng(0)
    values = rng.normal(size=12)
    heights = plots.spread_labels(values, 0.3)
    order = np.argsort(values, kind="stable")
    assert np.all(np.diff(heights[order]) >= 0.3 - 1e-12)          # order kept, neighbours min_gap apart
    # labels already far apart stay put; two equal values are spread symmetrically about their value
    np.testing.assert_array_equal(plots.spread_labels([0.0, 1.0, 2.0], 0.5), [0.0, 1.0, 2.0])
    np.testing.assert_allclose(plots.spread_labels([1.0, 1.0], 0.2), [0.9, 1.1])
    # an overlapping run is centred on the mean of its values: [0, 0.1] with gap 0.5 -> [-0.2, 0.3]
    np.testing.assert_allclose(plots.spread_labels([0.1, 0.0, 5.0], 0.5), [0.3, -0.2, 5.0])


def test_spread_labels_rejects_bad_input():
    with pytest.raises(ValueError, match="min_gap"):
        plots.spread_labels([0.0, 1.0], -1.0)
    with pytest.raises(ValueError, match="values"):
        plots.spread_labels([[0.0, 1.0]], 0.1)


@pytest.mark.parametrize("scale", ["linear", "symlog"])
def test_label_heights_spreads_labels_as_they_are_drawn_on_the_axis_scale(scale):
    _, ax = plt.subplots()
    ax.set_yscale(scale)
    values = np.array([100.0, 90.0, 0.02, -0.03, 0.0, -60.0])
    heights = label_heights(ax, values, min_gap_fraction=0.1)
    drawn = ax.yaxis.get_transform().transform  # matplotlib's own scale transform
    order = np.argsort(values, kind="stable")
    gaps = np.diff(drawn(heights)[order])
    span = np.ptp(drawn(values))
    assert np.all(gaps >= 0.1 * span * (1 - 1e-9))  # order kept, neighbours a tenth of the span apart
    # a label with room to spare stays where its line is
    assert heights[5] == pytest.approx(-60.0)

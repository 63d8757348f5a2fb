"""course_lib.plots.axes: find_artist and spread_labels."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import plots


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

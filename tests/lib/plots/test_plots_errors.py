"""course_lib.plots.errors: the minimum star and the bias–variance total."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import plots


def test_error_curves_star_marks_the_lowest_test_error():
    _, ax = plt.subplots()
    plots.plot_error_curves([1, 2, 3, 4], [4, 3, 2, 1], [5, 2, 3, 6], ax=ax)
    star = plots.find_artist(ax, "minimum")
    assert list(star.get_xdata()) == [2.0] and list(star.get_ydata()) == [2.0]


def test_bias_variance_total_defaults_to_the_sum():
    _, ax = plt.subplots()
    plots.plot_bias_variance([1, 2], [0.5, 0.2], [0.1, 0.4], 0.25, ax=ax)
    total = [ln for ln in ax.get_lines() if ln.get_label() == "expected test error"][0]
    np.testing.assert_allclose(total.get_ydata(), [0.85, 0.85])
    with pytest.raises(ValueError, match="kind"):
        plots.plot_bias_variance([1, 2], [0.5, 0.2], [0.1, 0.4], 0.25, kind="bars")

"""course_lib.plots.fits: the decision boundary from a precomputed grid."""

import matplotlib.pyplot as plt
import numpy as np

from course_lib import plots


def test_decision_boundary_accepts_a_precomputed_grid():
    xx, yy = np.meshgrid(np.linspace(-1, 1, 5), np.linspace(-1, 1, 5))
    _, ax = plt.subplots()
    plots.plot_decision_boundary([[0.0, 0.0], [0.5, 0.5]], [0, 1], (xx, yy, (xx > 0).astype(float)),
                                 colorbar=False, ax=ax)
    assert plots.find_artist(ax, "proba") is not None
    assert plots.find_artist(ax, "class-1").get_offsets().shape == (1, 2)

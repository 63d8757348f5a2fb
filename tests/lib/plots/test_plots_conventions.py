"""What every plotting helper does: labels, a title, a legend, its own Axes when none is given,
series told apart without colour."""

import matplotlib.pyplot as plt
import pytest

from plot_cases import CASES


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_helper_labels_axes_titles_and_returns_the_axes(name):
    draw, _ = CASES[name]
    _, ax = plt.subplots()
    out = draw(ax)
    assert out is ax
    assert ax.get_xlabel().strip() and ax.get_ylabel().strip()
    assert ax.get_title().strip()


@pytest.mark.parametrize("name", sorted(CASES))
def test_legend_lists_every_series_when_there_are_several(name):
    draw, n_series = CASES[name]
    _, ax = plt.subplots()
    draw(ax)
    legend = ax.get_legend()
    assert n_series > 1
    assert legend is not None
    assert len(legend.get_texts()) == n_series


@pytest.mark.parametrize("name", sorted(CASES))
def test_helpers_make_their_own_axes_when_none_is_given(name):
    draw, _ = CASES[name]
    ax = draw(None)
    assert ax.figure is not None
    assert ax.get_xlabel()


def _series_lines(ax):
    """Data-carrying lines with a legend label (not axis/marker helpers)."""
    return [ln for ln in ax.get_lines() if not ln.get_label().startswith("_") and len(ln.get_xdata()) > 2]


@pytest.mark.parametrize("name", ["polynomial_fit", "error_curves", "bias_variance_lines", "path", "shrinkage"])
def test_series_differ_without_colour(name):
    """Each pair of series differs in line style or marker, so greyscale print still reads."""
    draw, _ = CASES[name]
    _, ax = plt.subplots()
    draw(ax)
    looks = [(repr(ln.get_linestyle()), ln.get_marker()) for ln in _series_lines(ax)]
    assert len(looks) >= 2
    assert len(set(looks)) == len(looks)

"""course_lib.widgets.rendering: every widget's figure, drawn whole or only where it moved."""

import numpy as np
import pytest

from course_lib import widgets

from widget_cases import SMALL_WIDGETS, pixels, small


@pytest.mark.parametrize("name", SMALL_WIDGETS)
def test_static_figures_have_labelled_axes(name):
    fig = small(name, "figure")
    main_axes = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert main_axes
    for ax in main_axes:
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    fig.canvas.draw()  # renders without error


@pytest.mark.parametrize("build, control, value", [
    (lambda: widgets.ridge_widget(widgets.ridge_setup(degree=6, rates=np.geomspace(1e-4, 1, 10))), "rate", 0.05),
    (lambda: widgets.geometry_widget(), "w1", -1.0),
    (lambda: widgets.classification_widget(widgets.classification_setup(degree=2, resolution=15)), "rate", 0.05),
    (lambda: widgets.elastic_net_widget(widgets.elastic_net_setup(n_l1_ratios=5)), "l1_ratio", 0.8),
    (lambda: widgets.shrinkage_paths_widget(widgets.shrinkage_paths_setup(n_grid=11)), "dof", 2.0),
])
def test_partial_redraw_matches_a_full_render(build, control, value):
    box = build()
    box.render()
    box.controls[control].value = value
    fast = pixels(box.render())  # only the moving artists redrawn over the saved background
    full = pixels(widgets.render_png(box.figure))
    assert fast.shape == full.shape
    differ = np.mean(np.abs(fast - full).max(axis=2) > 40)
    assert differ < 0.002  # anti-aliasing seams only
    assert box.render.__self__.full_redraws == 1  # the axes did not change: no full redraw was needed


@pytest.mark.parametrize("name", ["bias_variance", "ridge", "lasso", "geometry", "network", "elastic_net"])
def test_widget_layout_leaves_room_for_the_titles_its_updates_write(name):
    # The widget lays its figure out once and then freezes it; that layout must already see the
    # titles draw() writes, or a two-line title is cut off at the top of the picture in the browser.
    box = small(name, "widget")  # geometry and network have two-line titles
    box.refresh()
    fig = box.figure
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        for text in (ax.title, ax.xaxis.label, ax.yaxis.label):
            if text.get_text():
                x0, y0, x1, y1 = text.get_window_extent(renderer).extents
                width, height = fig.bbox.width, fig.bbox.height
                assert x0 >= -0.5 and y0 >= -0.5 and x1 <= width + 0.5 and y1 <= height + 0.5, (
                    f"{text.get_text()!r} spans {(x0, y0, x1, y1)}, outside the {width}x{height} figure")

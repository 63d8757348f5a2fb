"""course_lib.widgets.rendering: every widget's figure, drawn whole or only where it moved, and its PNG."""

import io

import numpy as np
import pytest
from PIL import Image

from course_lib import widgets
from course_lib.widgets import rendering

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


@pytest.mark.parametrize("shape", [(1, 1), (7, 5), (40, 33)])
def test_png_from_rgba_decodes_to_the_same_pixels(shape):
    # Pillow (an independent PNG decoder) must read back exactly the pixels that went in
    rng = np.random.default_rng(sum(shape))
    rgba = rng.integers(0, 256, size=(*shape, 4), dtype=np.uint8)
    rgba[shape[0] // 2:] = 255  # a white block: the rows' differences are zero there
    decoded = Image.open(io.BytesIO(rendering.png_from_rgba(rgba)))
    assert decoded.mode == "RGBA" and decoded.size == (shape[1], shape[0])
    np.testing.assert_array_equal(np.asarray(decoded), rgba)


def test_png_from_rgba_rejects_other_arrays():
    with pytest.raises(ValueError, match="pixels must be a uint8 array of shape"):
        rendering.png_from_rgba(np.zeros((4, 4, 3), dtype=np.uint8))
    with pytest.raises(ValueError, match="float64"):
        rendering.png_from_rgba(np.zeros((4, 4, 4)))


def test_a_widget_frame_is_the_canvas_pixel_for_pixel():
    box = small("ridge", "widget")
    png = box.render()
    np.testing.assert_array_equal(pixels(png), np.asarray(box.figure.canvas.buffer_rgba())[..., :3])


def test_new_figure_refuses_a_figure_wider_than_a_notebook_shows_at_full_size():
    with pytest.raises(ValueError, match="width must be at most MAX_FIGURE_WIDTH"):
        rendering.new_figure(2, width=rendering.MAX_FIGURE_WIDTH + 0.5)


def test_a_tight_savefig_setting_does_not_change_the_full_render():
    """rcParams['savefig.bbox'] = 'tight' (the course style, IPython, a learner) must not crop the full
    render to another size than the canvas that partial redraws paint."""
    import matplotlib

    box = widgets.ridge_widget(widgets.ridge_setup(degree=6, rates=np.geomspace(1e-4, 1, 10)))
    fast = pixels(box.render())
    with matplotlib.rc_context({"savefig.bbox": "tight", "savefig.pad_inches": 0.3}):
        full = pixels(widgets.render_png(box.figure))
    assert full.shape == fast.shape

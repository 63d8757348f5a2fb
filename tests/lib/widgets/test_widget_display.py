"""What a learner sees of every widget: the PNG it displays, how wide it is shown, and how large its text comes out.

A widget displays its figure as a PNG in an ipywidgets Output (course_lib.widgets.wiring). To be crisp
on HiDPI screens the PNG has 2 pixels per CSS pixel; its width metadata shows it at 96 CSS px per
figure inch, so that 9 pt text is 12 CSS px; and it fits JupyterLab's output area, where a wider
image would be shrunk (shown_size.py). The static figure a lesson shows before the widget
(``xxx_figure``) goes through the inline backend and must be as readable.
"""

import base64

import ipywidgets
import pytest
from IPython.core.pylabtools import retina_figure

from course_lib.widgets import wiring

from shown_size import MIN_TEXT_PX, OUTPUT_AREA_WIDTH, png_width, shown_text_px, shown_width, too_small
from widget_cases import SMALL_WIDGETS, small


def _displayed(monkeypatch, name):
    """The widget, and the (png, metadata) of every image it displayed, as a kernel would receive them."""
    shown = []

    def display(obj):
        data, metadata = obj._repr_png_(), {}  # what IPython's display formatter sends for an Image
        if isinstance(data, tuple):
            data, metadata = data
        shown.append((base64.b64decode(data) if isinstance(data, str) else data, metadata))

    monkeypatch.setattr(wiring, "in_ipython", lambda: True)
    monkeypatch.setattr(wiring, "display", display)
    box = small(name, "widget")
    first = next(iter(box.controls.values()))
    options = getattr(first, "options", None)
    if options:  # a dropdown or selection slider: take another option
        values = [o[1] if isinstance(o, tuple) else o for o in options]
        first.value = values[-1] if first.value != values[-1] else values[0]
    elif isinstance(first, ipywidgets.FloatLogSlider):  # min and max are exponents
        first.value = 10 ** (first.min + 0.3 * (first.max - first.min))
    else:
        first.value = type(first.value)(first.min + 0.3 * (first.max - first.min))
    return box, shown


@pytest.mark.parametrize("name", SMALL_WIDGETS)
def test_widget_images_are_retina_pngs_shown_at_96_css_px_per_figure_inch(monkeypatch, name):
    box, shown = _displayed(monkeypatch, name)
    assert len(shown) >= 2  # the first figure, then one per move
    for png, metadata in shown:
        width_in, height_in = box.figure.get_size_inches()
        assert png_width(png) == round(width_in * box.figure.dpi)  # the whole figure
        assert metadata.get("width") == pytest.approx(width_in * 96, abs=1)
        assert metadata.get("height") == pytest.approx(height_in * 96, abs=1)
        assert png_width(png) >= 2 * metadata["width"] - 1  # 2 PNG pixels per CSS pixel
        assert metadata["width"] <= OUTPUT_AREA_WIDTH  # never shrunk to fit


@pytest.mark.parametrize("name", SMALL_WIDGETS)
def test_widget_text_is_at_least_12_css_px_as_shown(monkeypatch, name):
    box, shown = _displayed(monkeypatch, name)
    png, metadata = shown[-1]
    texts = shown_text_px(box.figure, png, metadata, png_dpi=box.figure.dpi)
    assert texts and not too_small(texts), f"text under {MIN_TEXT_PX} CSS px: {too_small(texts)}"


@pytest.mark.parametrize("name", SMALL_WIDGETS)
def test_static_widget_figures_shown_inline_are_crisp_and_readable(name):
    fig = small(name, "figure")
    png, metadata = retina_figure(fig)  # what the inline backend shows once use_course_style() ran
    assert png_width(png) >= 2 * shown_width(png, metadata) - 1
    assert shown_width(png, metadata) < OUTPUT_AREA_WIDTH
    texts = shown_text_px(fig, png, metadata, png_dpi=2 * fig.dpi)
    assert texts and not too_small(texts), f"text under {MIN_TEXT_PX} CSS px: {too_small(texts)}"

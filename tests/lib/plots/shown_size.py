"""How large a figure's text comes out where a learner sees it, in CSS pixels (issue 14 §5).

A PNG drawn at ``png_dpi`` pixels per figure inch and shown ``shown_width`` CSS px wide puts
``shown_width / (png_width / png_dpi)`` CSS px on each figure inch, so a text of ``s`` points is
``s / 72`` of that. The browser shows an image as wide as its width metadata says (its pixel
width when there is none) but never wider than the output area: a wider one is shrunk, and its
text with it. Shared by the plot and the widget tests (tests/lib/widgets/conftest.py puts this
folder on the path).
"""

import io

from matplotlib.text import Text
from PIL import Image

#: Width of JupyterLab's output area in a 1280-CSS-px-wide window with the file browser open (as it
#: opens on first start): 844 CSS px, measured in Chromium with JupyterLab 4 (the area a widget's
#: figure gets). A wider image is shrunk to this width.
OUTPUT_AREA_WIDTH = 844

#: The smallest readable text, in CSS px: 9 pt at the CSS reference density of 96 px per inch.
MIN_TEXT_PX = 12.0


def png_width(png: bytes) -> int:
    return Image.open(io.BytesIO(png)).size[0]


def shown_width(png: bytes, metadata: dict) -> float:
    """CSS px the browser gives an image: its width metadata (else its pixels), capped at the output area."""
    return min(metadata.get("width", png_width(png)), OUTPUT_AREA_WIDTH)


def shown_text_px(fig, png: bytes, metadata: dict, png_dpi: float) -> list[tuple[str, float]]:
    """``(text, CSS px)`` of every visible, non-empty text of ``fig``, drawn into ``png`` at ``png_dpi``."""
    css_px_per_inch = shown_width(png, metadata) / (png_width(png) / png_dpi)
    return [(t.get_text(), t.get_fontsize() / 72 * css_px_per_inch)
            for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def too_small(texts: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """The texts below MIN_TEXT_PX, with their size rounded for the failure message.

    A retina PNG of odd pixel width is shown at half its width rounded down (IPython), so its
    text may come out up to 0.5 % under the size it has at 96 px per inch: that much is allowed.
    """
    return [(text, round(px, 2)) for text, px in texts if px < 0.995 * MIN_TEXT_PX]

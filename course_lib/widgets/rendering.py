"""Figures for widgets, and their PNG rendering: whole, or redrawing only the artists that moved.

The widgets show their figure as PNG images (so they work with any matplotlib backend).  A
control move redraws only the artists that an update changes over a saved background
(:class:`BlitRenderer`); :func:`render_png` draws the whole figure.  Nothing here knows about
ipywidgets (see :mod:`course_lib.widgets.wiring`).

A widget's figure is at most :data:`~course_lib.plots.style.MAX_FIGURE_WIDTH` wide and drawn at
``SCREEN_DPI * PIXEL_RATIO`` (192) dpi: shown at 96 CSS px per inch it has 2 pixels per CSS pixel.
Such PNGs hold four times the pixels of a 96-dpi one, so :func:`png_from_rgba` encodes them with
zlib directly: about 3 times faster than Pillow at the same zlib level on the widgets' frames
(``bench/bench_widgets.py`` times both).
"""

from __future__ import annotations

import io
import struct
import zlib

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from ..plots.style import MAX_FIGURE_WIDTH, PIXEL_RATIO, SCREEN_DPI, course_style

#: dpi of a widget's figure: :data:`PIXEL_RATIO` PNG pixels per CSS pixel at :data:`SCREEN_DPI`.
WIDGET_DPI = SCREEN_DPI * PIXEL_RATIO


def new_figure(ncols, width=MAX_FIGURE_WIDTH, height=3.6):
    """A figure in the course style, ``width`` x ``height`` inches, with ``ncols`` Axes side by side.

    Returns ``(figure, axes)``; the layout is matplotlib's constrained layout.
    """
    if width > MAX_FIGURE_WIDTH:
        raise ValueError(f"width must be at most MAX_FIGURE_WIDTH = {MAX_FIGURE_WIDTH} inches (wider figures "
                         f"are shrunk in JupyterLab); got width={width}")
    with course_style():
        fig, axes = plt.subplots(1, ncols, figsize=(width, height), layout="constrained")
    return fig, np.atleast_1d(axes)


def shown_size(figure) -> tuple[int, int]:
    """``(width, height)`` in CSS px at which a notebook shows ``figure``: its inches at SCREEN_DPI."""
    width, height = figure.get_size_inches() * SCREEN_DPI
    return int(round(width)), int(round(height))


def render_png(figure) -> bytes:
    """The whole figure as PNG bytes, drawn by Agg at the figure's dpi."""
    if not isinstance(figure.canvas, FigureCanvasAgg):
        FigureCanvasAgg(figure)  # binds an Agg canvas (a closed pyplot figure keeps a no-op one)
    buffer = io.BytesIO()
    # bbox_inches=None means "as rcParams['savefig.bbox'] says": a learner's (or IPython's) "tight" would
    # crop the image to another size than the canvas the partial redraws paint.  Always the whole figure.
    with matplotlib.rc_context({"savefig.bbox": "standard"}):
        figure.savefig(buffer, format="png", dpi=figure.dpi, bbox_inches=None)  # saving draws animated artists too
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_from_rgba(pixels) -> bytes:
    """A PNG (8-bit RGBA) of ``pixels``, an array of shape (height, width, 4) of uint8.

    Each row is stored as its difference from the row above (PNG filter "Up": white space and
    vertical structure become runs of zeros), compressed by zlib at level 1: fast, and the
    PNGs a widget sends are short-lived.
    """
    pixels = np.asarray(pixels)
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] != 4:
        raise ValueError(f"pixels must be a uint8 array of shape (height, width, 4); got {pixels.dtype} "
                         f"array of shape {pixels.shape}")
    height, width, _ = pixels.shape
    flat = pixels.reshape(height, 4 * width)
    rows = np.empty((height, 1 + 4 * width), dtype=np.uint8)
    rows[:, 0] = 2  # filter type "Up" on every row (the first row's "above" is zeros)
    rows[0, 1:] = flat[0]
    np.subtract(flat[1:], flat[:-1], out=rows[1:, 1:])  # uint8 arithmetic wraps modulo 256, as PNG wants
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits, RGBA, deflate, no interlace
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows.data, 1))
            + _chunk(b"IEND", b""))


def encode_png(canvas) -> bytes:
    """PNG bytes of what the Agg canvas holds now (:func:`png_from_rgba`)."""
    return png_from_rgba(np.asarray(canvas.buffer_rgba()))


class BlitRenderer:
    """Render a figure to PNG, redrawing only the artists that an update moves ("blitting").

    ``dynamic()`` lists those artists.  They are marked animated, so a full draw leaves
    them out; that background is kept and, on the next render, restored and the dynamic
    artists (then the legends of their axes, which must stay on top) are drawn over it,
    in z-order.  Whenever an axes' limits or the figure size change, the background is
    drawn afresh.  Saving the figure (``savefig``) still draws everything.
    """

    def __init__(self, figure, dynamic):
        self.figure, self.dynamic = figure, dynamic
        if not isinstance(figure.canvas, FigureCanvasAgg):
            FigureCanvasAgg(figure)
        self.background, self.state = None, None
        self.full_redraws = 0

    def _state(self):
        return tuple(tuple(np.round(ax.viewLim.bounds, 12)) for ax in self.figure.axes) + (
            tuple(self.figure.bbox.bounds),)

    def render(self) -> bytes:
        canvas = self.figure.canvas
        artists = sorted(self.dynamic(), key=lambda a: a.get_zorder())
        owners = {a.axes for a in artists if a.axes is not None}
        legends = [ax.get_legend() for ax in self.figure.axes if ax in owners and ax.get_legend() is not None]
        for artist in artists + legends:
            artist.set_animated(True)
        state = self._state()
        if self.background is None or state != self.state:
            canvas.draw()
            self.background, self.state = canvas.copy_from_bbox(self.figure.bbox), self._state()
            self.full_redraws += 1
        else:
            canvas.restore_region(self.background)
        renderer = canvas.get_renderer()
        for artist in artists + legends:
            artist.draw(renderer)
        return encode_png(canvas)

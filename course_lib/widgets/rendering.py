"""Figures for widgets, and their PNG rendering: whole, or redrawing only the artists that moved.

The widgets show their figure as PNG images (so they work with any matplotlib backend).  A
control move redraws only the artists that an update changes over a saved background
(:class:`BlitRenderer`); :func:`render_png` draws the whole figure.  Nothing here knows about
ipywidgets (see :mod:`course_lib.widgets.wiring`).
"""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image as PILImage  # Pillow: a dependency of matplotlib

from ..plots.style import course_style


def new_figure(ncols, width_per_axes=4.4, height=3.7):
    """A figure in the course style with ``ncols`` Axes side by side (constrained layout); ``(figure, axes)``."""
    with course_style():
        fig, axes = plt.subplots(1, ncols, figsize=(width_per_axes * ncols, height), layout="constrained")
    return fig, np.atleast_1d(axes)


def render_png(figure) -> bytes:
    """The whole figure as PNG bytes, drawn by Agg at the figure's dpi."""
    if not isinstance(figure.canvas, FigureCanvasAgg):
        FigureCanvasAgg(figure)  # binds an Agg canvas (a closed pyplot figure keeps a no-op one)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=figure.dpi, bbox_inches=None)  # saving draws animated artists too
    return buffer.getvalue()


def encode_png(canvas) -> bytes:
    """PNG bytes of what the Agg canvas holds now (fast zlib level: PNGs here are short-lived)."""
    pixels = np.asarray(canvas.buffer_rgba())
    buffer = io.BytesIO()
    PILImage.fromarray(pixels, "RGBA").save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


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

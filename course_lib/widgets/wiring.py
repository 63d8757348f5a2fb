"""The ipywidgets wiring shared by every widget: controls, CSS classes, and assembling controls with a figure.

:func:`assemble` connects controls to a plain update function and a view (an object with
``figure``, ``draw(update)`` and ``dynamic()``), and shows the figure as a PNG inside an
``ipywidgets.Output``; the update functions themselves never import ipywidgets.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Image, display
from matplotlib.backends.backend_agg import FigureCanvasAgg

from .rendering import WIDGET_DPI, BlitRenderer, shown_size

#: CSS classes on every widget's parts, so a browser test (tests/browser) finds them without guessing.
WIDGET_CLASS, FIGURE_CLASS, CONTROL_CLASS, MAIN_CONTROL_CLASS = (
    "course-widget", "course-widget-figure", "course-widget-control", "course-widget-main-control")


#: ``continuous_update`` of sliders whose redraw is cheap (a few lines and bars).
LIGHT_CONTINUOUS = True
#: Style of every control: the description is as wide as its text.
CONTROL_STYLE = {"description_width": "initial"}


def control_layout():
    """A fresh Layout per control (no widget models are created at import time)."""
    return widgets.Layout(width="420px")


def log_slider(description, value, low, high, *, continuous=LIGHT_CONTINUOUS, step=0.05):
    """A FloatLogSlider over ``[low, high]`` (a rate is any number >= 0, not a fraction).

    The browser snaps a slider to the exponents ``min + k·step`` as soon as it is drawn and
    sends the snapped value back, so an asked rate between two of them (0.45 on a grid through
    0.44 and 0.46) would silently become another.  The grid is therefore shifted (by less than
    one step, staying inside ``[low, high]``) to pass through ``log10(value)``.
    """
    value = float(np.clip(value, low, high))
    exponent, lowest = float(np.log10(value)), float(np.log10(low))
    lowest = exponent - np.floor((exponent - lowest) / step + 1e-9) * step
    return widgets.FloatLogSlider(
        value=value, base=10, min=float(lowest), max=float(np.log10(high)), step=step,
        description=description, readout_format=".3g", continuous_update=continuous,
        layout=control_layout(), style=CONTROL_STYLE,
    )


def in_ipython() -> bool:
    """True inside an IPython kernel (where a widget has somewhere to show its figure)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return False
    return get_ipython() is not None


def assemble(view, controls, compute):
    """Wire ``controls`` to ``compute(**values)`` -> ``view.draw(update)`` and show the figure in an Output.

    The first control is the widget's main one (the one a lesson asks the learner to move).

    The figure is taken out of pyplot (so the inline backend does not show it a second time),
    drawn from then on at :data:`~course_lib.widgets.rendering.WIDGET_DPI`, laid out once and
    then frozen (later draws skip the layout engine).  Each refresh moves the artists, renders a
    PNG (only the moving artists are redrawn, see :class:`BlitRenderer`) and re-displays it inside
    the Output with ``clear_output(wait=True)``, at its size in inches times 96 CSS px (the PNG
    has two pixels per CSS pixel: crisp on HiDPI screens).
    """
    figure = view.figure
    output = widgets.Output()
    plt.close(figure)
    FigureCanvasAgg(figure)
    figure.set_dpi(WIDGET_DPI)
    values = lambda: {name: control.value for name, control in controls.items()}  # noqa: E731
    first = compute(**values())
    view.draw(first)  # the layout must make room for the titles the updates write (two-line ones too)
    figure.canvas.draw()  # run constrained layout once ...
    figure.set_layout_engine("none")  # ... and keep those positions
    renderer = BlitRenderer(figure, view.dynamic)
    width, height = shown_size(figure)

    def refresh(change=None, update=None):
        update = compute(**values()) if update is None else update
        view.draw(update)
        box.last_update = update
        if in_ipython():  # outside a kernel (tests, scripts) there is nothing to show
            png = renderer.render()
            with output:
                output.clear_output(wait=True)
                display(Image(data=png, format="png", width=width, height=height))

    box = widgets.VBox([widgets.VBox(list(controls.values())), output])
    box.add_class(WIDGET_CLASS)
    output.add_class(FIGURE_CLASS)
    for index, control in enumerate(controls.values()):
        control.add_class(MAIN_CONTROL_CLASS if index == 0 else CONTROL_CLASS)
    box.figure, box.controls, box.output, box.refresh = figure, controls, output, refresh
    box.compute, box.draw, box.render = compute, view.draw, renderer.render
    box.last_update = None
    for control in controls.values():
        control.observe(refresh, names="value")
    refresh(update=first)
    return box

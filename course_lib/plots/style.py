"""The course's look: the Okabe–Ito palette, one line style and marker per series, text sizes and dpi.

Every figure tells its series apart by colour *and* by line style or marker, so it still reads in
greyscale print and for colour-blind readers.  :func:`course_style` applies the look to the figures
made inside a ``with`` block; :func:`use_course_style` applies it for the whole notebook.

Sizes are chosen for the screen.  A figure inch is shown as 96 CSS pixels (the CSS reference
density, :data:`SCREEN_DPI`), so a figure's size in inches is its size on screen and its smallest
text, 9 pt (:data:`SMALL_FONT_SIZE`), is 12 CSS px.  Images carry 2 pixels per CSS pixel
(:data:`PIXEL_RATIO`, "retina"), so they are crisp on HiDPI screens; figures are at most
:data:`MAX_FIGURE_WIDTH` wide, so JupyterLab shows them at full size instead of shrinking them.
"""

from __future__ import annotations

import contextlib

import matplotlib as mpl
from cycler import cycler
from matplotlib.colors import LinearSegmentedColormap

#: CSS pixels per figure inch where figures are shown: the CSS reference density.
SCREEN_DPI = 96

#: PNG pixels per CSS pixel of a shown figure: 2 ("retina") is crisp on HiDPI screens.
PIXEL_RATIO = 2

#: The widest figure, in inches, that a notebook shows at full size: JupyterLab's output area in a
#: 1280-CSS-px-wide window with its file browser open is 844 CSS px (measured with JupyterLab 4 in
#: Chromium), 8.8 inches at :data:`SCREEN_DPI`, and the inline backend adds 0.1 inch of margin on
#: each side of a figure.  A wider image is shrunk to fit, its text with it.
MAX_FIGURE_WIDTH = 8.5

#: Size in points of the smallest text (tick labels, legends, line labels): 12 CSS px on screen.
SMALL_FONT_SIZE = 9.0

#: The eight Okabe–Ito colours (Okabe & Ito 2008, "Color Universal Design").
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Series colours in order of use; the pale yellow comes last (weak on white).
PALETTE = (
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["orange"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["black"],
    OKABE_ITO["yellow"],
)

#: One line style per series, paired with :data:`PALETTE` (same length).
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (8, 2)), (0, (1, 3)), (0, (3, 1, 1, 1)))

#: One marker per series, paired with :data:`PALETTE` (same length).
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")

#: Bar hatches, so that compared bars differ without colour.
HATCHES = ("", "//", "..", "xx", "\\\\", "oo", "--", "++")

#: Class-probability colour map from Okabe–Ito blue (p=0) through white to vermillion (p=1).
PROBABILITY_CMAP = LinearSegmentedColormap.from_list(
    "course_probability", [OKABE_ITO["blue"], "#FFFFFF", OKABE_ITO["vermillion"]]
)


def series_style(i: int) -> dict:
    """Colour, line style and marker of the ``i``-th series.

    Series 0-7 pair the k-th colour with the k-th line style and marker.  From
    series 8 on, the line style and marker shift by one per round of eight, so
    that no two of the first 64 series look the same.

    >>> series_style(0)["color"] == OKABE_ITO["blue"]
    True
    """
    n = len(PALETTE)
    i = int(i)
    k, shift = i % n, (i // n) % n
    return {"color": PALETTE[k], "linestyle": LINESTYLES[(k + shift) % n], "marker": MARKERS[(k + shift) % n]}


def course_rc() -> dict:
    """The ``rcParams`` of the course style (a plain dict, for ``mpl.rc_context``).

    Text: 11 pt by default (titles), 10 pt axis labels, :data:`SMALL_FONT_SIZE` tick labels and
    legends; a size asked for as ``"small"`` is 9.2 pt.  Figures are made at :data:`SCREEN_DPI`.
    """
    return {
        "axes.prop_cycle": cycler(color=list(PALETTE)) + cycler(linestyle=list(LINESTYLES)),
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "font.size": 11.0,
        "axes.titlesize": "medium",
        "axes.labelsize": 10.0,
        "xtick.labelsize": SMALL_FONT_SIZE,
        "ytick.labelsize": SMALL_FONT_SIZE,
        "legend.frameon": False,
        "legend.fontsize": SMALL_FONT_SIZE,
        "legend.title_fontsize": SMALL_FONT_SIZE,
        "lines.linewidth": 1.8,
        "lines.markersize": 5.0,
        "image.cmap": "cividis",
        "figure.dpi": SCREEN_DPI,
        "savefig.bbox": "tight",
    }


@contextlib.contextmanager
def course_style():
    """Context manager applying the course style to figures made inside it.

    Matplotlib's interactive mode is kept as the block leaves it.  ``rc_context`` restores every
    rcParam, ``interactive`` included; in a notebook the inline backend is resolved, and switches
    interactive mode on, when the first figure is made.  Were that first figure made inside this
    block, restoring ``interactive = False`` afterwards would stop later figures from showing by
    themselves at the end of their cells.
    """
    state = {"interactive": mpl.is_interactive()}
    try:
        with mpl.rc_context(course_rc()):
            try:
                yield
            finally:
                state["interactive"] = mpl.is_interactive()
    finally:
        mpl.interactive(state["interactive"])


def use_course_style() -> None:
    """Apply the course style globally (for the setup cell of a notebook).

    In an IPython kernel it also asks the inline backend for retina PNGs: each figure is drawn
    at :data:`PIXEL_RATIO` times its dpi and shown at its size in inches times :data:`SCREEN_DPI`,
    crisp on HiDPI screens.  (:func:`course_style` alone changes only the figures' rcParams.)
    """
    mpl.rcParams.update(course_rc())
    _show_inline_figures_as_retina()


def _show_inline_figures_as_retina() -> bool:
    """Select IPython's "retina" figure format when running in IPython; return whether it did.

    The setting lives on the inline backend's configuration, so it also holds when the backend is
    loaded later (the first ``import matplotlib.pyplot`` in a kernel selects its formats from it).
    """
    try:
        from IPython import get_ipython
        from matplotlib_inline.config import InlineBackend
    except ImportError:  # pragma: no cover - both come with ipywidgets' IPython
        return False
    shell = get_ipython()
    if shell is None:
        return False
    InlineBackend.instance(parent=shell).figure_formats = {"retina"}
    return True

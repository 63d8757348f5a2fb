"""Lesson figures are crisp on HiDPI screens and their text readable at the size they are shown.

A lesson's setup cell calls use_course_style(); in JupyterLab IPython's inline backend then shows
each figure as a retina PNG, drawn at twice the figure's dpi and shown at half its pixel size (see
shown_size.py for the arithmetic of the shown text size).
"""

import json
import subprocess
import sys
import textwrap

import matplotlib
import pytest
from IPython.core.pylabtools import retina_figure

from plot_cases import CASES
from shown_size import MIN_TEXT_PX, OUTPUT_AREA_WIDTH, png_width, shown_text_px, shown_width, too_small

# What the inline backend shows in a kernel whose notebook called use_course_style() (run in a
# fresh interpreter: the IPython shell and the backend it selects must not leak into other tests).
INLINE = textwrap.dedent("""
    import json
    from IPython.core.interactiveshell import InteractiveShell

    class Kernel(InteractiveShell):
        def enable_gui(self, gui=None):  # the inline backend needs no event loop (ipykernel's shell neither)
            pass

    shell = Kernel.instance()
    shell.run_line_magic("matplotlib", "inline")
    import matplotlib.pyplot as plt
    from course_lib.plots import use_course_style
    use_course_style()
    fig, ax = plt.subplots(figsize=(5.0, 3.0))
    ax.plot([0, 1], [0, 1])
    bundle, metadata = shell.display_formatter.format(fig)
    png = bundle["image/png"]
    png = png if isinstance(png, bytes) else __import__("base64").b64decode(png)
    import io, PIL.Image
    shown = fig.get_tightbbox().padded(0.1)  # the inline backend's bbox_inches="tight", in inches
    print(json.dumps({"png_width": PIL.Image.open(io.BytesIO(png)).size[0], "inches": shown.width,
                      "width": metadata.get("image/png", {}).get("width")}))
""")


def test_use_course_style_makes_the_inline_backend_show_retina_pngs_at_96_css_px_per_inch():
    done = subprocess.run([sys.executable, "-c", INLINE], capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "MPLBACKEND": "module://matplotlib_inline.backend_inline"})
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    # shown at 96 CSS px per figure inch, drawn with 2 PNG pixels per CSS pixel
    assert shown["width"] is not None, "no width metadata: the PNG is shown at its pixel size"
    assert shown["width"] == pytest.approx(96 * shown["inches"], rel=0.01)  # 100 dpi would be 4 % more
    assert shown["png_width"] in (2 * shown["width"], 2 * shown["width"] + 1)


@pytest.mark.parametrize("name", sorted(CASES))
def test_helper_figures_shown_inline_are_crisp_and_their_text_at_least_12_css_px(name):
    draw, _ = CASES[name]
    fig = draw(None).figure  # a figure of the helper's own size, in the course style
    png, metadata = retina_figure(fig)  # what the inline backend shows once use_course_style() ran
    assert png_width(png) >= 2 * shown_width(png, metadata) - 1  # retina: 2 PNG pixels per CSS pixel
    texts = shown_text_px(fig, png, metadata, png_dpi=2 * fig.dpi)
    assert texts and not too_small(texts), f"text under {MIN_TEXT_PX} CSS px: {too_small(texts)}"
    assert shown_width(png, metadata) < OUTPUT_AREA_WIDTH  # shown at full size, not shrunk to fit


def test_the_course_style_is_96_dpi_with_no_text_under_9_points():
    with matplotlib.rc_context():
        from course_lib.plots import use_course_style
        use_course_style()
        rc = matplotlib.rcParams
        assert rc["figure.dpi"] == 96  # the CSS reference density: a figure inch is 96 CSS px
        from matplotlib.font_manager import FontProperties
        for key in ("font.size", "axes.titlesize", "axes.labelsize", "xtick.labelsize", "ytick.labelsize",
                    "legend.fontsize"):
            assert FontProperties(size=rc[key]).get_size_in_points() >= 9, key
        # a legend or label asked for as "small" (as lessons do) is still >= 9 pt
        assert FontProperties(size="small").get_size_in_points() >= 9

"""course_lib.plots.style: the Okabe–Ito palette, distinct line styles, markers and hatches, and course_style()."""

import matplotlib
import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_hex

from course_lib import plots

# The published Okabe–Ito colours (Okabe & Ito 2008), typed in from the reference, not from course_lib.plots.
OKABE_ITO_REFERENCE = {
    "#000000", "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7",
}


def test_palette_is_exactly_the_okabe_ito_colours():
    assert {to_hex(c) for c in plots.PALETTE} == OKABE_ITO_REFERENCE
    assert {to_hex(c) for c in plots.OKABE_ITO.values()} == OKABE_ITO_REFERENCE
    assert len(plots.PALETTE) == len(set(plots.PALETTE)) == 8


def test_line_styles_markers_and_hatches_are_pairwise_distinct():
    for seq in (plots.LINESTYLES, plots.MARKERS, plots.HATCHES):
        assert len({repr(s) for s in seq}) == len(seq)
    assert len(plots.LINESTYLES) == len(plots.MARKERS) == len(plots.PALETTE)
    styles = [plots.series_style(i) for i in range(8)]
    assert len({repr(s["linestyle"]) for s in styles}) == 8
    many = [plots.series_style(i) for i in range(64)]
    assert len({(s["color"], repr(s["linestyle"])) for s in many}) == 64
    assert len({(repr(s["linestyle"]), s["marker"]) for s in many[:8]}) == 8


def test_style_cycle_pairs_colours_with_line_styles():
    with plots.course_style():
        _, ax = plt.subplots()
        lines = [ax.plot([0, 1], [k, k + 1])[0] for k in range(4)]
    assert [to_hex(line.get_color()) for line in lines] == [to_hex(c) for c in plots.PALETTE[:4]]
    assert len({repr(line.get_linestyle()) for line in lines}) == 4


def test_course_style_keeps_interactive_mode_switched_on_inside_it():
    # In a notebook the inline backend switches interactive mode on when the first figure is
    # made; if that happens inside course_style, leaving the block must not switch it off again
    # (later figures would no longer show by themselves).  Other rcParams are restored.
    before = matplotlib.is_interactive()
    grid = matplotlib.rcParams["axes.grid"]
    try:
        matplotlib.interactive(False)
        with plots.course_style():
            matplotlib.interactive(True)
            assert matplotlib.rcParams["axes.grid"] is True
        assert matplotlib.is_interactive()
        assert matplotlib.rcParams["axes.grid"] == grid
        with plots.course_style():
            matplotlib.interactive(False)
        assert not matplotlib.is_interactive()
        with pytest.raises(RuntimeError):
            with plots.course_style():
                matplotlib.interactive(True)
                raise RuntimeError("inside")
        assert matplotlib.is_interactive()
    finally:
        matplotlib.interactive(before)


def test_use_course_style_sets_the_cycle_globally():
    with matplotlib.rc_context():
        plots.use_course_style()
        colours = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
        assert [to_hex(c) for c in colours] == [to_hex(c) for c in plots.PALETTE]

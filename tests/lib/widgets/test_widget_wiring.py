"""course_lib.widgets.wiring: log sliders on the asked value's grid, and the CSS classes the browser tests need."""

import numpy as np
import pytest

from course_lib import widgets

from widget_cases import SMALL_WIDGETS, small


@pytest.fixture(scope="module")
def lasso():
    return widgets.lasso_setup(n_samples=40, n_features=6, n_informative=3, seed=4, n_rates=40)


@pytest.mark.parametrize("rate", [0.45, 0.0123, 1e-2])
def test_lasso_rate_slider_starts_at_the_asked_rate_on_its_own_step_grid(lasso, rate):
    # The browser snaps the slider to exponents min + k·step when it draws it and sends that value
    # back: the asked rate must be one of them, or the widget would open at another rate.
    slider = widgets.lasso_widget(lasso, rate=rate).controls["rate"]
    assert slider.value == rate
    steps = (np.log10(rate) - slider.min) / slider.step
    assert abs(steps - round(steps)) < 1e-6
    assert 10 ** slider.min >= lasso.rates.min() * (1 - 1e-9) and 10 ** slider.max <= lasso.rates.max() * (1 + 1e-9)
    assert slider.min - np.log10(lasso.rates.min()) < slider.step  # the range loses less than one step


@pytest.mark.parametrize("name", SMALL_WIDGETS)
def test_widget_parts_carry_the_classes_the_browser_tests_look_for(name):
    # tests/browser finds a widget, its figure and its controls by these CSS classes only.
    box = small(name, "widget")
    assert widgets.WIDGET_CLASS in box._dom_classes
    assert widgets.FIGURE_CLASS in box.output._dom_classes
    controls = list(box.controls.values())
    assert [widgets.MAIN_CONTROL_CLASS in c._dom_classes for c in controls] == [True] + [False] * (len(controls) - 1)
    assert all(widgets.CONTROL_CLASS in c._dom_classes for c in controls[1:])
    # every control is inside the widget, the figure's Output too
    inner = [child for part in box.children for child in getattr(part, "children", ())]
    assert box.output in box.children and all(c in inner for c in controls)

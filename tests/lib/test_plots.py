"""Tests for course_lib.plots: labels, legends, the colour-blind-safe palette, distinct styles."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from course_lib import plots  # noqa: E402

# The published Okabe–Ito colours (Okabe & Ito 2008), typed in from the reference, not from plots.py.
OKABE_ITO_REFERENCE = {
    "#000000", "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7",
}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _rates():
    return np.logspace(-3, 1, 25)


# name -> (callable drawing on ax, number of data series it shows)
def _cases():
    rng = np.random.default_rng(0)
    x = np.sort(rng.uniform(0, 1, 15))
    y = np.sin(2 * np.pi * x) + 0.2 * rng.standard_normal(15)
    grid = np.linspace(0, 1, 50)
    r = _rates()
    X2 = rng.standard_normal((30, 2))
    y2 = (X2[:, 0] > 0).astype(int)
    return {
        "polynomial_fit": (lambda ax: plots.plot_polynomial_fit(
            x, y, grid, np.sin(2 * np.pi * grid), {"degree 3": grid, "degree 9": grid**2}, ax=ax), 4),
        "error_curves": (lambda ax: plots.plot_error_curves(
            np.arange(1, 8), np.linspace(1, 0.1, 7), [1, 0.6, 0.4, 0.3, 0.5, 0.8, 1.2], ax=ax), 3),
        "bias_variance_lines": (lambda ax: plots.plot_bias_variance(
            np.arange(1, 8), np.linspace(1, 0, 7), np.linspace(0, 1, 7), 0.1, ax=ax), 4),
        "bias_variance_stacked": (lambda ax: plots.plot_bias_variance(
            np.arange(1, 8), np.linspace(1, 0, 7), np.linspace(0, 1, 7), 0.1, kind="stacked", ax=ax), 4),
        "coefficient_bars": (lambda ax: plots.plot_coefficient_bars(
            [1.0, -2.0, 0.5], {"least squares": [2.0, -3.0, 1.0], "true": [1, -1, 0]}, ax=ax), 3),
        "path": (lambda ax: plots.plot_path(
            r, np.exp(-r)[:, None] * np.array([1.0, -2.0, 3.0]), marker_rate=0.1, knots=[0.5], ax=ax), 4),
        "contours_with_ball": (lambda ax: plots.plot_contours_with_ball(
            [[2.0, 0.5], [0.5, 1.0]], [1.5, 0.5], 1.0,
            solutions={"L1": [1.0, 0.0], "L2": [0.9, 0.4]}, ax=ax), 6),
        "decision_boundary": (lambda ax: plots.plot_decision_boundary(
            X2, y2, lambda Z: 1 / (1 + np.exp(-3 * Z[:, 0])), resolution=30, ax=ax), 4),
        "cv_curve": (lambda ax: plots.plot_cv_curve(
            r, 1 + np.log(r) ** 2 / 20, np.full(r.shape, 0.05), best_rate=1.0, rate_1se=2.0, ax=ax), 3),
        "weight_histogram": (lambda ax: plots.plot_weight_histogram(
            {"Adam + L2": rng.standard_normal(200), "AdamW": 0.5 * rng.standard_normal(200)}, ax=ax), 2),
        "shrinkage": (lambda ax: plots.plot_shrinkage([3.0, 1.0, 0.2], 10, r, marker_rate=0.1, ax=ax), 4),
    }


CASES = _cases()


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_helper_labels_axes_titles_and_returns_the_axes(name):
    draw, _ = CASES[name]
    _, ax = plt.subplots()
    out = draw(ax)
    assert out is ax
    assert ax.get_xlabel().strip() and ax.get_ylabel().strip()
    assert ax.get_title().strip()


@pytest.mark.parametrize("name", sorted(CASES))
def test_legend_lists_every_series_when_there_are_several(name):
    draw, n_series = CASES[name]
    _, ax = plt.subplots()
    draw(ax)
    legend = ax.get_legend()
    assert n_series > 1
    assert legend is not None
    assert len(legend.get_texts()) == n_series


@pytest.mark.parametrize("name", sorted(CASES))
def test_helpers_make_their_own_axes_when_none_is_given(name):
    draw, _ = CASES[name]
    ax = draw(None)
    assert ax.figure is not None
    assert ax.get_xlabel()


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


def _series_lines(ax):
    """Data-carrying lines with a legend label (not axis/marker helpers)."""
    return [ln for ln in ax.get_lines() if not ln.get_label().startswith("_") and len(ln.get_xdata()) > 2]


@pytest.mark.parametrize("name", ["polynomial_fit", "error_curves", "bias_variance_lines", "path", "shrinkage"])
def test_series_differ_without_colour(name):
    """Each pair of series differs in line style or marker, so greyscale print still reads."""
    draw, _ = CASES[name]
    _, ax = plt.subplots()
    draw(ax)
    looks = [(repr(ln.get_linestyle()), ln.get_marker()) for ln in _series_lines(ax)]
    assert len(looks) >= 2
    assert len(set(looks)) == len(looks)


def test_histograms_differ_without_colour():
    _, ax = plt.subplots()
    plots.plot_weight_histogram({"a": [0.0, 1.0, 2.0], "b": [0.5, 1.5], "c": [1.0]}, ax=ax)
    steps = [plots.find_artist(ax, f"hist-{k}") for k in range(3)]
    assert len({repr(s.get_linestyle()) for s in steps}) == 3


def test_compared_bars_differ_by_hatch():
    _, ax = plt.subplots()
    plots.plot_coefficient_bars([1.0, 2.0], {"b": [0.5, 1.0], "c": [0.1, 0.2]}, ax=ax)
    hatches = [ax.containers[k][0].get_hatch() for k in range(3)]
    assert len(set(hatches)) == 3
    assert list(plots.find_artist(ax, "coefs").datavalues) == [1.0, 2.0]


def test_histogram_counts_match_numpy_on_shared_edges():
    a = np.array([0.0, 0.1, 0.2, 0.9, 1.0])
    b = np.array([0.5, 0.55])
    _, ax = plt.subplots()
    plots.plot_weight_histogram({"a": a, "b": b}, bins=4, ax=ax)
    values, edges, _ = plots.find_artist(ax, "hist-0").get_data()
    np.testing.assert_allclose(edges, [0.0, 0.25, 0.5, 0.75, 1.0])
    np.testing.assert_array_equal(values, [3, 0, 0, 2])  # counted by hand
    values_b, _, _ = plots.find_artist(ax, "hist-1").get_data()
    np.testing.assert_array_equal(values_b, [0, 0, 2, 0])


def test_shrinkage_factor_is_one_half_at_rate_d_squared_over_n():
    d, n = np.array([2.0, 0.5]), 8
    rates = np.array([d[0] ** 2 / n, d[1] ** 2 / n])  # where d²/(d² + n·rate) = 1/2
    _, ax = plt.subplots()
    plots.plot_shrinkage(d, n, rates, ax=ax)
    line0, line1 = ax.get_lines()[:2]
    np.testing.assert_allclose(np.interp(rates[0], line0.get_xdata(), line0.get_ydata()), 0.5)
    np.testing.assert_allclose(np.interp(rates[1], line1.get_xdata(), line1.get_ydata()), 0.5)


def test_path_marker_sits_on_the_piecewise_linear_path_and_drops_rate_zero():
    rates = np.array([0.0, 1.0, 10.0])
    coefs = np.array([[3.0, -1.0], [2.0, -1.0], [0.0, 0.0]])
    _, ax = plt.subplots()
    plots.plot_path(rates, coefs, marker_rate=1.0, ax=ax)
    assert np.all(plots.find_artist(ax, "path-0").get_xdata() > 0)  # rate 0 is not on a log axis
    dots = plots.find_artist(ax, "rate-dots").get_offsets()
    np.testing.assert_allclose(dots, [[1.0, 2.0], [1.0, -1.0]])
    np.testing.assert_allclose(plots.find_artist(ax, "rate-marker").get_xdata(), [1.0, 1.0])
    assert ax.get_xscale() == "log"


def test_path_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="coefs must have shape"):
        plots.plot_path(np.ones(3), np.ones((4, 2)))


def test_error_curves_star_marks_the_lowest_test_error():
    _, ax = plt.subplots()
    plots.plot_error_curves([1, 2, 3, 4], [4, 3, 2, 1], [5, 2, 3, 6], ax=ax)
    star = plots.find_artist(ax, "minimum")
    assert list(star.get_xdata()) == [2.0] and list(star.get_ydata()) == [2.0]


def test_bias_variance_total_defaults_to_the_sum():
    _, ax = plt.subplots()
    plots.plot_bias_variance([1, 2], [0.5, 0.2], [0.1, 0.4], 0.25, ax=ax)
    total = [ln for ln in ax.get_lines() if ln.get_label() == "expected test error"][0]
    np.testing.assert_allclose(total.get_ydata(), [0.85, 0.85])
    with pytest.raises(ValueError, match="kind"):
        plots.plot_bias_variance([1, 2], [0.5, 0.2], [0.1, 0.4], 0.25, kind="bars")


def test_contours_with_ball_draws_the_exact_diamond_and_disc():
    _, ax = plt.subplots()
    plots.plot_contours_with_ball(np.eye(2), [2.0, 1.0], 0.75, ax=ax)
    diamond = plots.find_artist(ax, "l1-ball").get_xy()
    np.testing.assert_allclose(np.abs(diamond).sum(axis=1), 0.75)
    disc = plots.find_artist(ax, "l2-ball").get_xy()
    np.testing.assert_allclose(np.hypot(disc[:, 0], disc[:, 1]), 0.75)
    with pytest.raises(ValueError, match="norm"):
        plots.plot_contours_with_ball(np.eye(2), [1.0, 1.0], 1.0, norm="l3")


def test_contour_ellipse_lies_on_the_level_set():
    H = np.array([[2.0, 0.6], [0.6, 1.0]])
    c = np.array([0.3, -0.2])
    pts = plots.contour_ellipse(H, c, 0.7)
    d = pts - c
    np.testing.assert_allclose(0.5 * np.einsum("ij,jk,ik->i", d, H, d), 0.7, rtol=1e-12)


def test_solution_contour_passes_through_the_solution():
    H = np.array([[2.0, 0.6], [0.6, 1.0]])
    _, ax = plt.subplots()
    plots.plot_contours_with_ball(H, [1.5, 1.0], 1.0, solutions={"s": [0.8, 0.6]}, ax=ax)
    pts = plots.find_artist(ax, "solution-contour-0").get_xydata()
    assert np.min(np.hypot(pts[:, 0] - 0.8, pts[:, 1] - 0.6)) < 0.03  # within the polygon's resolution


def test_decision_boundary_accepts_a_precomputed_grid():
    xx, yy = np.meshgrid(np.linspace(-1, 1, 5), np.linspace(-1, 1, 5))
    _, ax = plt.subplots()
    plots.plot_decision_boundary([[0.0, 0.0], [0.5, 0.5]], [0, 1], (xx, yy, (xx > 0).astype(float)),
                                 colorbar=False, ax=ax)
    assert plots.find_artist(ax, "proba") is not None
    assert plots.find_artist(ax, "class-1").get_offsets().shape == (1, 2)


def test_find_artist_names_the_missing_gid():
    _, ax = plt.subplots()
    with pytest.raises(KeyError, match="nope"):
        plots.find_artist(ax, "nope")


def test_use_course_style_sets_the_cycle_globally():
    with matplotlib.rc_context():
        plots.use_course_style()
        colours = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
        assert [to_hex(c) for c in colours] == [to_hex(c) for c in plots.PALETTE]


@pytest.mark.parametrize("l1_ratio", [0.0, 0.3, 0.5, 0.9, 1.0])
def test_elastic_net_ball_points_lie_on_the_level_set(l1_ratio):
    budget = 1.5
    pts = plots.elastic_net_ball_points(budget, l1_ratio, n_points=73)
    assert pts.shape == (73, 2)
    # every point has the penalty value of (budget, 0): rho·|w|₁ + (1 − rho)/2·||w||²
    value = l1_ratio * np.abs(pts).sum(axis=1) + 0.5 * (1 - l1_ratio) * (pts**2).sum(axis=1)
    on_axis = l1_ratio * budget + 0.5 * (1 - l1_ratio) * budget**2
    np.testing.assert_allclose(value, on_axis, rtol=1e-12)
    np.testing.assert_allclose(pts[0], [budget, 0.0], atol=1e-12)
    np.testing.assert_allclose(pts[0], pts[-1], atol=1e-12)  # closed curve


def test_elastic_net_ball_points_ends_are_the_circle_and_the_diamond():
    circle = plots.elastic_net_ball_points(2.0, 0.0, n_points=50)
    np.testing.assert_allclose(np.hypot(*circle.T), 2.0, rtol=1e-12)
    diamond = plots.elastic_net_ball_points(2.0, 1.0, n_points=50)
    np.testing.assert_allclose(np.abs(diamond).sum(axis=1), 2.0, rtol=1e-12)
    with pytest.raises(ValueError, match="l1_ratio"):
        plots.elastic_net_ball_points(1.0, 1.5)


def test_spread_labels_keeps_order_and_gap_and_moves_only_overlapping_labels():
    rng = np.random.default_rng(0)
    values = rng.normal(size=12)
    heights = plots.spread_labels(values, 0.3)
    order = np.argsort(values, kind="stable")
    assert np.all(np.diff(heights[order]) >= 0.3 - 1e-12)          # order kept, neighbours min_gap apart
    # labels already far apart stay put; two equal values are spread symmetrically about their value
    np.testing.assert_array_equal(plots.spread_labels([0.0, 1.0, 2.0], 0.5), [0.0, 1.0, 2.0])
    np.testing.assert_allclose(plots.spread_labels([1.0, 1.0], 0.2), [0.9, 1.1])
    # an overlapping run is centred on the mean of its values: [0, 0.1] with gap 0.5 -> [-0.2, 0.3]
    np.testing.assert_allclose(plots.spread_labels([0.1, 0.0, 5.0], 0.5), [0.3, -0.2, 5.0])


def test_spread_labels_rejects_bad_input():
    with pytest.raises(ValueError, match="min_gap"):
        plots.spread_labels([0.0, 1.0], -1.0)
    with pytest.raises(ValueError, match="values"):
        plots.spread_labels([[0.0, 1.0]], 0.1)

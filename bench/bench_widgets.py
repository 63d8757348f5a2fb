"""Time every widget's update function and its redraw, separately.

The course promises that moving a control recomputes in "tens of milliseconds" (target:
update <= 50 ms).  For each widget of course_lib.widgets this script measures its one-off
costs (``setup``: the ``xxx_setup`` call; ``build``: building the widget, which for the
networks trains the whole grid) and then:

* 1st update - the update function at the first visit of each setting (median): what a
               learner waits for the first time a control lands on a value;
* update   - the plain update function (pure numpy), median over a sweep of control values;
* draw     - moving the artists and a full ``fig.canvas.draw()`` with the Agg backend;
* png      - moving the artists and ``widget.render()``: the PNG the widget displays, with only
             the moving artists redrawn over a saved background (what a learner waits for,
             apart from transport), median over the sweep;
* full png - moving the artists and rendering the whole figure to PNG (``widgets.render_png``),
             i.e. what a naive redraw would cost;
* kB, pixels - the size of the PNG a move sends, and the figure's size in PNG pixels (widgets
             draw at 192 dpi: 2 PNG pixels per CSS pixel, shown at 96 CSS px per figure inch).

A second table times the PNG encoding alone, on each widget's frame: Pillow at zlib level 1 (what
the widgets used before) against ``course_lib.widgets.rendering.png_from_rgba``.

Baseline: ``np.linalg.solve`` of one 50x50 dense system, measured in the same run.  It is a
small LAPACK call whose time tracks the machine's speed, so the "x baseline" column is
comparable between machines while the millisecond columns are not.

A last section times lesson 8's grid (3 optimizers x 8 strengths, 50 hidden units, 1000
epochs) trained one network at a time with ``train_mlp`` (what a lazy first visit cost
before) against one ``train_mlps`` run per optimizer (what building the widget costs now).

Run: ``.venv/bin/python bench/bench_widgets.py`` (or ``make bench``).  Timings only print;
nothing here fails a build.
"""

from __future__ import annotations

import io
import time
import warnings

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from PIL import Image  # noqa: E402

from course_lib import widgets as W  # noqa: E402
from course_lib.widgets.rendering import png_from_rgba  # noqa: E402
from course_lib.data import make_classification_2d  # noqa: E402
from course_lib.mlp import train_mlp, train_mlps  # noqa: E402

TARGET_MS = 50.0  # "tens of milliseconds"


def _median_ms(fn, args_list, repeats=1):
    """Median wall time of ``fn(*args)`` over ``args_list`` (each repeated ``repeats`` times), in ms."""
    times = []
    for _ in range(repeats):
        for args in args_list:
            t0 = time.perf_counter()
            fn(*args)
            times.append(time.perf_counter() - t0)
    return 1e3 * float(np.median(times))


def baseline_ms(repeats=2000):
    """Median time of ``np.linalg.solve`` on a fixed, well-conditioned 50x50 system, in ms."""
    rng = np.random.default_rng(0)
    A = rng.standard_normal((50, 50)) + 50 * np.eye(50)
    b = rng.standard_normal(50)
    for _ in range(50):  # warm up
        np.linalg.solve(A, b)
    return _median_ms(np.linalg.solve, [(A, b)] * repeats)


#: Lesson 8's widget grid, as notebooks/08_neural_networks.ipynb builds it.
LESSON8_STRENGTHS = (0.0, 1e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0, 3.0)
LESSON8_LR = {"sgd": 0.5, "adam": 0.01, "adamw": 0.01}


def lesson8_setup():
    """The network setup of lesson 8 (30 moons points, 50 tanh units, 1000 epochs); nothing trained."""
    X, y = make_classification_2d(30, kind="moons", noise=0.35, seed=2)
    return W.network_setup(X, y, hidden=(50,), epochs=1000, strengths=LESSON8_STRENGTHS, lr=LESSON8_LR, seed=0)


def _cases():
    """(name, setup-callable, widget-builder, list of control-value dicts for the sweep)."""
    rates = list(np.geomspace(1e-5, 5.0, 25))
    return [
        ("2 bias/variance", W.bias_variance_setup, W.bias_variance_widget,
         [{"degree": d, "n_samples": n} for d in (1, 3, 5, 9, 12, 15) for n in (10, 20, 50, 100)]),
        ("3 ridge", W.ridge_setup, W.ridge_widget, [{"rate": r} for r in rates]),
        ("4 lasso", W.lasso_setup, W.lasso_widget, [{"rate": r} for r in np.geomspace(1e-3, 2.0, 25)]),
        ("5 geometry", lambda: None, lambda setup: W.geometry_widget(),
         [{"w1": a, "w2": b, "budget": t} for a in (-2.0, 0.5, 2.0) for b in (-1.0, 1.5) for t in (0.3, 1.0, 2.0)]),
        ("6 rate choice", W.rate_choice_setup, W.rate_choice_widget, [{"rate": r} for r in rates]),
        ("7 classification", W.classification_setup, W.classification_widget,
         [{"rate": r, "penalty": p} for p in ("l2", "l1") for r in np.geomspace(1e-4, 1.0, 12)]),
        ("8 networks", W.network_setup, W.network_widget,
         [{"optimizer": o, "strength": s} for o in W.OPTIMIZER_LABELS for s in (0.0, 1e-3, 1e-2, 1e-1, 1.0)]),
        ("8 networks lesson", lesson8_setup, W.network_widget,
         [{"optimizer": o, "strength": s} for o in W.OPTIMIZER_LABELS for s in LESSON8_STRENGTHS]),
        ("9 elastic net", W.elastic_net_setup, W.elastic_net_widget,
         [{"rate": r, "l1_ratio": q} for r in np.geomspace(1e-3, 1.0, 6) for q in (0.0, 0.25, 0.5, 0.75, 1.0)]),
        ("10 shrinkage paths", W.shrinkage_paths_setup, W.shrinkage_paths_widget,
         [{"dof": d, "shrinkage": s} for d in (1.0, 3.0, 5.0, 7.0) for s in (0.1, 0.36, 0.7, 1.0)]),
    ] + _training_cases()


def _training_cases():
    """Lessons 11 and 12, with the grids the lessons build (each setup's defaults are the lesson's)."""
    return [
        ("11 learning curves", W.learning_curves_setup, W.learning_curves_widget,
         [{"weight_decay": w} for w in W.LESSON11_WEIGHT_DECAYS]),
        ("12 dropout", W.dropout_setup, W.dropout_widget, [{"p": p} for p in W.LESSON12_DROPOUTS]),
        ("12 L1 on a network", W.l1_network_setup, W.l1_network_widget, [{"rate": r} for r in W.LESSON12_RATES]),
    ]


def run(repeats=3):
    """Measure every widget; return a list of result dicts (times in ms)."""
    base = baseline_ms()
    rows = []
    for name, make_setup, build, sweep in _cases():
        t0 = time.perf_counter()
        setup = make_setup()
        setup_ms = 1e3 * (time.perf_counter() - t0)
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            box = build(setup) if setup is not None else build(None)
        build_ms = 1e3 * (time.perf_counter() - t0)
        compute, draw, render, fig = box.compute, box.draw, box.render, box.figure
        # The first pass is the first visit of each setting (it fills any caches, e.g. the
        # classification fits); the timed passes after it are what a learner sees on revisits.
        first = []
        for values in sweep:
            t = time.perf_counter()
            compute(**values)
            first.append(time.perf_counter() - t)
        update_ms = _median_ms(lambda v: compute(**v), [(v,) for v in sweep], repeats)
        updates = [compute(**v) for v in sweep]
        draw_ms = _median_ms(lambda u: (draw(u), fig.canvas.draw()), [(u,) for u in updates[:8]], 1)
        full_ms = _median_ms(lambda u: (draw(u), W.render_png(fig)), [(u,) for u in updates[:8]], 1)
        render()  # keep the background of the current axes limits
        png_ms = _median_ms(lambda u: (draw(u), render()), [(u,) for u in updates], 1)
        png = render()
        pixels = np.asarray(fig.canvas.buffer_rgba())
        rows.append({
            "widget": name, "setup_ms": setup_ms, "build_ms": build_ms,
            "first_update_ms": 1e3 * float(np.median(first)), "first_update_max_ms": 1e3 * float(np.max(first)),
            "update_ms": update_ms, "ratio": update_ms / base, "draw_ms": draw_ms, "png_ms": png_ms,
            "full_png_ms": full_ms, "png_kb": len(png) / 1e3, "pixels": f"{pixels.shape[1]}x{pixels.shape[0]}",
            "pillow_ms": _median_ms(_pillow_png, [(pixels,)] * 5), "encode_ms": _median_ms(png_from_rgba, [(pixels,)] * 5),
            "pillow_kb": len(_pillow_png(pixels)) / 1e3,
        })
    return base, rows


def _pillow_png(pixels) -> bytes:
    """The encoder the widgets used before png_from_rgba: Pillow, zlib level 1."""
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGBA").save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def lesson8_training(n_single=3):
    """Lesson 8's grid: one ``train_mlp`` per network (median of ``n_single``) vs ``train_mlps`` per optimizer.

    Returns ``(single_ms, row_ms)``: the median time of one network trained alone, and the
    time of each optimizer's batched run (dict optimizer -> ms).
    """
    setup = lesson8_setup()
    single = []
    for optimizer in list(W.OPTIMIZER_LABELS)[:n_single]:
        kwargs = {"rate": 0.1} if optimizer == "adam" else {"weight_decay": 0.1}
        t0 = time.perf_counter()
        train_mlp(setup.X, setup.y, setup.hidden, optimizer=optimizer, lr=setup.lr[optimizer],
                  epochs=setup.epochs, seed=setup.seed, **kwargs)
        single.append(time.perf_counter() - t0)
    rows = {}
    for optimizer in W.OPTIMIZER_LABELS:
        kwargs = {"rates": setup.strengths} if optimizer == "adam" else {"weight_decays": setup.strengths}
        t0 = time.perf_counter()
        train_mlps(setup.X, setup.y, setup.hidden, optimizer=optimizer, lr=setup.lr[optimizer],
                   epochs=setup.epochs, seed=setup.seed, **kwargs)
        rows[optimizer] = 1e3 * (time.perf_counter() - t0)
    return 1e3 * float(np.median(single)), rows


def main(repeats=3):
    """Print the table of widget update and draw times, then lesson 8's training times."""
    base, rows = run(repeats)
    print(f"Baseline: np.linalg.solve of a 50x50 system = {1e3 * base:.1f} us (median)")
    print(f"Target: an update computes in tens of milliseconds (<= {TARGET_MS:.0f} ms), on revisits "
          "and on the first visit of a setting; draw/png show the redraw cost separately.\n")
    header = (f"{'widget':<18} {'setup ms':>9} {'build ms':>9} {'1st update':>10} {'1st max':>8} "
              f"{'update ms':>10} {'x baseline':>11} {'draw ms':>8} {'png ms':>7} {'full png':>9} {'kB':>5} "
              f"{'pixels':>9}  target")
    print(header)
    print("-" * len(header))
    for r in rows:
        if r["update_ms"] > TARGET_MS:
            ok = "OVER"
        elif r["first_update_max_ms"] > TARGET_MS:
            ok = "OVER (1st visit)"
        else:
            ok = "ok"
        print(f"{r['widget']:<18} {r['setup_ms']:9.1f} {r['build_ms']:9.1f} {r['first_update_ms']:10.2f} "
              f"{r['first_update_max_ms']:8.1f} {r['update_ms']:10.3f} {r['ratio']:11.0f} {r['draw_ms']:8.1f} "
              f"{r['png_ms']:7.1f} {r['full_png_ms']:9.1f} {r['png_kb']:5.0f} {r['pixels']:>9}  {ok}")
    print("\n'build ms' includes the widget's first draw; for the networks it also trains the whole grid "
          "(precompute_networks), so their '1st update' is a lookup.\n"
          "'1st update' / '1st max': median / worst first visit of a setting (classification: one "
          "warm-started fit).\n"
          "'png ms' is the partial redraw the widget uses; it falls back to a full draw when an "
          "update changes axis limits (bias/variance when n changes, networks when the optimizer "
          "changes).")

    print("\nPNG encoding of one frame (the whole figure), median of 5:")
    header = f"{'widget':<18} {'Pillow ms':>9} {'kB':>5} {'png_from_rgba ms':>16} {'kB':>5} {'speed-up':>8}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['widget']:<18} {r['pillow_ms']:9.1f} {r['pillow_kb']:5.0f} {r['encode_ms']:16.1f} "
              f"{r['png_kb']:5.0f} {r['pillow_ms'] / r['encode_ms']:7.1f}x")

    single_ms, row_ms = lesson8_training()
    n_grid = len(LESSON8_STRENGTHS) * len(row_ms)
    batched_ms = sum(row_ms.values())
    print(f"\nLesson 8 grid ({len(row_ms)} optimizers x {len(LESSON8_STRENGTHS)} strengths = {n_grid} networks):")
    print(f"  one network with train_mlp (a lazy first visit before): {single_ms:8.1f} ms"
          f"   -> {n_grid} networks ~ {n_grid * single_ms / 1e3:.2f} s")
    print("  one train_mlps run per optimizer (8 networks each):     "
          + ", ".join(f"{o} {ms:.0f} ms" for o, ms in row_ms.items())
          + f"   -> {n_grid} networks {batched_ms / 1e3:.2f} s ({n_grid * single_ms / batched_ms:.1f}x faster)")
    return rows


if __name__ == "__main__":
    main()

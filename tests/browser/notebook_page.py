"""Drive one notebook in JupyterLab the way a learner does: open it, Run All, move the widgets.

Everything is found through what a learner sees (menus, prompts, outputs) or through the CSS classes
that ``course_lib.widgets`` puts on its widgets (``course-widget``, ``course-widget-figure``,
``course-widget-main-control``, ``course-widget-control``). Latencies are measured inside the page
with ``performance.now()``: from the input event (key press, pointer, select) to the frame after the
new figure image has been decoded, i.e. when the learner can see it.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field

__all__ = ["NotebookPage", "Move", "ControlReport", "execution_count", "latency_table"]

ERROR_MIME = "application/vnd.jupyter.stderr"

#: What a learner should wait at most between moving a control and seeing the new figure (issue 6).
TARGET_MS = 200.0

#: Arms a one-shot measurement on a widget: resolves window.__courseMove with the latency (ms) from
#: the next input event to the first painted frame showing a figure image different from the current.
_ARM_JS = """
([root, timeoutMs]) => {
  const figure = root.querySelector('.course-widget-figure');
  const image = () => figure.querySelector('img');
  const before = image() ? image().src : null;
  window.__courseMove = new Promise((resolve) => {
    let t0 = null, done = false;
    const kinds = ['keydown', 'pointerdown', 'input', 'change'];
    const start = (event) => { if (t0 === null) t0 = event.timeStamp; };
    kinds.forEach((k) => document.addEventListener(k, start, true));
    const finish = (result) => {
      if (done) return;
      done = true;
      kinds.forEach((k) => document.removeEventListener(k, start, true));
      observer.disconnect();
      clearTimeout(timer);
      resolve(result);
    };
    const check = async () => {
      const img = image();
      if (done || !img || img.src === before || t0 === null) return;
      observer.disconnect();
      try { await img.decode(); } catch (e) { /* a broken image is reported as changed=false below */ }
      const ok = img.naturalWidth > 0;
      requestAnimationFrame(() => setTimeout(() => finish({
        ms: performance.now() - t0, changed: ok, bytes: img.src.length}), 0));
    };
    const observer = new MutationObserver(check);
    observer.observe(figure, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
    const timer = setTimeout(() => finish({ms: null, changed: false, bytes: 0}), timeoutMs);
  });
  return before;
}
"""


#: Records, during a drag, every new figure image and the pointer's release (see NotebookPage.drag).
_WATCH_DRAG_JS = """
(root) => {
  const figure = root.querySelector('.course-widget-figure');
  const state = {changes: [], release: null, src: figure.querySelector('img').src};
  const observer = new MutationObserver(() => {
    const img = figure.querySelector('img');
    if (img && img.src !== state.src) { state.src = img.src; state.changes.push(performance.now()); }
  });
  observer.observe(figure, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
  document.addEventListener('pointerup', (e) => { state.release = e.timeStamp; }, {capture: true, once: true});
  window.__courseDrag = {state, observer};
}
"""

#: Waits until the figure has been quiet for ``quietMs``; how long after the release it last changed.
_SETTLE_DRAG_JS = """
async (quietMs) => {
  const {state, observer} = window.__courseDrag;
  const deadline = performance.now() + 30000;
  const lastChange = () => state.changes.length ? state.changes[state.changes.length - 1] : -Infinity;
  while (performance.now() - Math.max(lastChange(), state.release) < quietMs && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  observer.disconnect();
  return {during: state.changes.filter((t) => t <= state.release).length,
          after: state.changes.filter((t) => t > state.release).length,
          settle_ms: Math.max(0, lastChange() - state.release)};
}
"""


def execution_count(prompt_text) -> int | None:
    """``[12]:`` -> 12; a cell not run (``[ ]:``) or running (``[*]:``) -> None."""
    digits = (prompt_text or "").strip("[]: ")
    return int(digits) if digits.isdigit() else None


@dataclass
class Move:
    """One change of one control and what the page showed afterwards."""

    control: str
    action: str
    latency_ms: float | None
    changed: bool


@dataclass
class ControlReport:
    """Every move of one control of one widget."""

    notebook: str
    widget: int
    control: str
    kind: str
    main: bool
    moves: list[Move] = field(default_factory=list)

    #: after a drag of the slider: figures shown while dragging, and ms from release to the last one
    drag: dict | None = None

    @property
    def latencies(self) -> list[float]:
        return [m.latency_ms for m in self.moves if m.latency_ms is not None]


class NotebookPage:
    """One notebook open in its own JupyterLab tab."""

    def __init__(self, context, server, relative_path, *, timeout_s=600):
        self.server, self.path, self.timeout_s = server, relative_path, timeout_s
        self.page = context.new_page()
        self.console_errors: list[str] = []
        self._directions: dict[str, str] = {}
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))

    # -- opening and running -------------------------------------------------------------------

    def open(self) -> "NotebookPage":
        self.page.goto(self.server.page_url(self.path))
        self.page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=90_000)
        self.wait_for_kernel("idle", timeout_s=90)
        dialogs = self.page.locator(".jp-Dialog")
        if dialogs.count():
            raise AssertionError(f"{self.path}: a dialog covers the notebook on opening: {dialogs.first.inner_text()}")
        # More room for the notebook (the learner's default layout has the file browser open).
        if self.page.locator("#jp-left-stack").is_visible():
            self.page.keyboard.press("Control+b")
        return self

    def kernel_status(self) -> str | None:
        return self.page.evaluate("""() => { const e = document.querySelector(
            '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');
            return e ? e.getAttribute('data-status') : null }""")

    def wait_for_kernel(self, status, timeout_s) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.kernel_status() == status:
                return
            time.sleep(0.2)
        raise AssertionError(f"{self.path}: kernel not {status!r} after {timeout_s} s "
                             f"(status {self.kernel_status()!r})")

    def menu(self, *names) -> None:
        """Click through the menu bar, e.g. ``menu("Run", "Run All Cells")``."""
        self.page.locator(".jp-NotebookPanel .jp-Notebook").first.click(position={"x": 3, "y": 3})
        for name in names:
            self.page.get_by_role("menuitem", name=name, exact=True).click()

    def run_all(self) -> float:
        """Run → Run All Cells, wait until every code cell has run; returns the seconds it took."""
        started = time.monotonic()
        self.menu("Run", "Run All Cells")
        deadline = started + self.timeout_s
        while time.monotonic() < deadline:
            # Done when every code cell shows its own execution count (stored counts of checked cells
            # all read [1] before the run, so "distinct" also tells a finished run from one not begun).
            counts = self.execution_counts()
            if (counts and None not in counts and len(set(counts)) == len(counts)
                    and self.kernel_status() == "idle"):
                break
            if self.error_outputs():  # Run All stops at an error: no use waiting
                break
            time.sleep(0.25)
        else:
            raise AssertionError(f"{self.path}: Run All did not finish within {self.timeout_s} s; "
                                 f"prompts {self.input_prompts()}")
        self.page.wait_for_timeout(500)  # outputs that arrive with the last idle message
        return time.monotonic() - started

    def input_prompts(self) -> list[str]:
        return self.page.locator(".jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt").all_text_contents()

    def execution_counts(self) -> list[int | None]:
        """Each code cell's execution count as its prompt shows it (None: not run, or running)."""
        return [execution_count(p) for p in self.input_prompts()]

    def error_outputs(self) -> list[str]:
        """Texts of the error and stderr outputs shown in the notebook (tracebacks, warnings)."""
        return self.page.locator(f'.jp-NotebookPanel .jp-OutputArea-output[data-mime-type="{ERROR_MIME}"]'
                                 ).all_text_contents()

    def save(self) -> None:
        self.page.keyboard.press("Control+s")

    # -- widgets -----------------------------------------------------------------------------

    def widgets(self):
        return self.page.locator(".jp-NotebookPanel .course-widget")

    def figure_source(self, widget) -> str | None:
        image = widget.locator(".course-widget-figure img")
        return image.first.get_attribute("src") if image.count() else None

    def controls(self, widget):
        """(name, kind, main, locator) for each control of the widget, main control first."""
        found = []
        for selector, main in ((".course-widget-main-control", True), (".course-widget-control", False)):
            locators = widget.locator(selector)
            for k in range(locators.count()):
                control = locators.nth(k)
                classes = control.get_attribute("class") or ""
                kind = ("slider" if "widget-slider" in classes or "widget-hslider" in classes else
                        "dropdown" if "widget-dropdown" in classes else
                        "toggle" if "widget-toggle-buttons" in classes else "other")
                label = control.locator(".widget-label").first
                # text_content, not inner_text: the latter is empty while the label is laid out hidden
                name = (label.text_content() or label.get_attribute("title") or "").strip()
                found.append((name, kind, main, control))
        return found

    def _timed(self, widget, action, timeout_ms=20_000) -> tuple[float | None, bool]:
        """Run ``action()`` (which changes a control) and measure until the new figure is painted."""
        self.page.evaluate(_ARM_JS, [widget.element_handle(), timeout_ms])
        action()
        result = self.page.evaluate("() => window.__courseMove")
        return result["ms"], bool(result["changed"])

    def move(self, widget, name, kind, control, index) -> Move:
        """Change ``control`` once (the ``index``-th time) the way a learner does."""
        if kind == "slider":
            handle = control.locator(".noUi-handle").first
            value = float(handle.get_attribute("aria-valuenow"))
            top = float(handle.get_attribute("aria-valuemax"))
            bottom = float(handle.get_attribute("aria-valuemin"))
            # Keep stepping towards the end that was farther at the first move (so the moves add up
            # to a changed state instead of going back and forth); turn round only at an end.
            if index == 0 or name not in self._directions:
                self._directions[name] = "ArrowRight" if top - value >= value - bottom else "ArrowLeft"
            at_end = value >= top if self._directions[name] == "ArrowRight" else value <= bottom
            if at_end:
                self._directions[name] = "ArrowLeft" if self._directions[name] == "ArrowRight" else "ArrowRight"
            key = self._directions[name]
            handle.focus()
            latency, changed = self._timed(widget, lambda: self.page.keyboard.press(key))
            return Move(name, key, latency, changed)
        if kind == "dropdown":
            select = control.locator("select")
            options = select.locator("option").all_inner_texts()
            current = select.evaluate("s => s.options[s.selectedIndex].text")
            target = options[(options.index(current) + 1) % len(options)]
            latency, changed = self._timed(widget, lambda: select.select_option(label=target))
            return Move(name, f"select {target!r}", latency, changed)
        if kind == "toggle":
            buttons = control.locator("button")
            texts = buttons.all_inner_texts()
            active = control.locator("button.mod-active").inner_text()
            target = texts[(texts.index(active) + 1) % len(texts)]
            latency, changed = self._timed(
                widget, lambda: buttons.nth(texts.index(target)).click())
            return Move(name, f"click {target!r}", latency, changed)
        raise AssertionError(f"{self.path}: control {name!r} of an unknown kind")

    def drag(self, widget, control, steps=40, pause_ms=16) -> dict:
        """Drag a slider's handle with the mouse across most of its track and report
        ``{"during", "after", "settle_ms"}``: the figures shown while dragging, those after the
        release, and how long after the release the figure stopped changing (a backlog of queued
        updates would show here as seconds). ``steps`` pointer moves ``pause_ms`` apart, plus
        Playwright's round trip per move: 1–2 s for the whole drag, 20–30 moves a second."""
        handle = control.locator(".noUi-handle").first
        track = control.locator(".noUi-target").first
        handle.scroll_into_view_if_needed()
        box, knob = track.bounding_box(), handle.bounding_box()
        x0, y = knob["x"] + knob["width"] / 2, knob["y"] + knob["height"] / 2
        x1 = box["x"] + box["width"] * (0.9 if x0 < box["x"] + box["width"] / 2 else 0.1)
        self.page.evaluate(_WATCH_DRAG_JS, widget.element_handle())
        self.page.mouse.move(x0, y)
        self.page.mouse.down()
        for k in range(1, steps + 1):
            self.page.mouse.move(x0 + (x1 - x0) * k / steps, y)
            self.page.wait_for_timeout(pause_ms)
        self.page.mouse.up()
        return self.page.evaluate(_SETTLE_DRAG_JS, 1500)

    def screenshot(self, target, locator=None) -> None:
        """A picture of the viewport with ``locator`` (e.g. a widget) scrolled to the top."""
        if locator is not None:
            locator.evaluate("e => e.scrollIntoView({block: 'start'})")
            self.page.wait_for_timeout(300)
        self.page.screenshot(path=str(target))

    def close(self) -> None:
        self.page.close()


def latency_table(reports) -> str:
    """Markdown table: per control, the browser's median and worst time from input to new figure."""
    baseline = [r for r in reports if r.notebook == "baseline"]
    base = statistics.median(baseline[0].latencies) if baseline and baseline[0].latencies else None
    lines = ["| notebook | control | moves | median ms | max ms | median ÷ baseline | drag: figures, final after release |",
             "|---|---|---:|---:|---:|---:|---|"]
    for r in sorted(reports, key=lambda r: (r.notebook != "baseline", r.notebook, r.widget, not r.main)):
        values = r.latencies
        drag = (f"{r.drag['during'] + r.drag['after']}, {r.drag['settle_ms']:.0f} ms" if r.drag else "")
        if not values:
            lines.append(f"| {r.notebook} | {r.control} | {len(r.moves)} | no figure | | | {drag} |")
            continue
        median = statistics.median(values)
        ratio = f"{median / base:.1f}" if base else ""
        label = f"**{r.control}**" if r.main else r.control
        lines.append(f"| {r.notebook} | {label} | {len(values)} | {median:.0f} | {max(values):.0f} | {ratio} | {drag} |")
    timed = [(max(r.latencies), r) for r in reports if r.notebook != "baseline" and r.latencies]
    if timed:
        worst, r = max(timed, key=lambda pair: pair[0])
        verdict = "met" if worst < TARGET_MS else "NOT met"
        lines += ["", f"Target {TARGET_MS:.0f} ms for every move: {verdict} (slowest move {worst:.0f} ms, "
                      f"{r.notebook} · {r.control})."]
    return "\n".join(lines)

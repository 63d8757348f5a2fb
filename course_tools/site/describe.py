"""Alt text for the site's figures, written in the kernel that runs a lesson for the site.

A PNG cannot say what it shows; the figure that drew it can.  :func:`describe_figure` reads a
matplotlib figure's titles, axis labels and legend entries and says them in one sentence, e.g.
``Figure "Ridge weights" in 2 panels. Left: "Fit" (x axis: x; y axis: y; legend: data, fit).
Right: ...``.  :func:`install` (run in the kernel before a lesson's first cell, only when the
site is built) makes that sentence the ``text/plain`` of every figure the notebook displays, and
publishes one for every widget that carries a ``figure`` (the course's widgets do), keyed by the
widget's model id, so that the site can put it on the widget's static image.

Nothing here runs when learners use the notebooks.
"""

from __future__ import annotations

import re

__all__ = ["DESCRIPTION_MIME", "describe_figure", "install"]

#: The MIME type of the widget descriptions published during a site build (removed from the pages).
DESCRIPTION_MIME = "application/vnd.course-site.figure-description+json"

_MATH = re.compile(r"\$([^$]*)\$")
_TEX_COMMAND = re.compile(r"\\([A-Za-z]+)")
_POSITIONS = {1: [""], 2: ["Left", "Right"], 3: ["Left", "Middle", "Right"]}


def _plain(text: str) -> str:
    r"""Label text without mathtext marks: ``$\lambda_1$`` -> ``lambda_1``; whitespace collapsed."""
    text = _MATH.sub(lambda match: _TEX_COMMAND.sub(r"\1", match.group(1)).replace("{", "").replace("}", ""), text)
    return " ".join(text.split())


def _axes_title(ax) -> str:
    parts = [_plain(ax.get_title(loc)) for loc in ("left", "center", "right")]
    return "; ".join(part for part in parts if part)


def _legend_labels(ax) -> list[str]:
    legend = ax.get_legend()
    if legend is None:
        return []
    return [label for text in legend.get_texts() if (label := _plain(text.get_text()))]


def _describe_axes(ax) -> str:
    details = []
    xlabel, ylabel = _plain(ax.get_xlabel()), _plain(ax.get_ylabel())
    if xlabel:
        details.append(f"x axis: {xlabel}")
    if ylabel:
        details.append(f"y axis: {ylabel}")
    labels = _legend_labels(ax)
    if labels:
        details.append("legend: " + ", ".join(labels))
    title = _axes_title(ax)
    head = f'"{title}"' if title else "untitled panel"
    return head + (f" ({'; '.join(details)})" if details else "")


def _panels(figure) -> list:
    """The axes a reader sees as panels: visible, and not a colorbar."""
    return [
        ax for ax in figure.axes
        if ax.get_visible() and ax.axison and not hasattr(ax, "_colorbar") and ax.get_label() != "<colorbar>"
    ]


def describe_figure(figure) -> str:
    """One sentence saying what a matplotlib figure shows: titles, axis labels, legends.

    Parameters
    ----------
    figure : matplotlib.figure.Figure

    Returns
    -------
    str
        E.g. ``Figure: "Train and test error" (x axis: degree; y axis: mean squared error;
        legend: train, test).``  Panels are named Left/Middle/Right for one row of up to
        three, "Panel k" otherwise.  A figure without any title or label says so
        (``Figure without a title ...``): the site build reports those.
    """
    suptitle = figure._suptitle.get_text() if getattr(figure, "_suptitle", None) is not None else ""
    suptitle = _plain(suptitle)
    panels = _panels(figure)
    if not panels:
        return f'Figure: "{suptitle}".' if suptitle else "Figure without a title or axes."
    if len(panels) == 1:
        body = _describe_axes(panels[0])
        if suptitle:
            return f'Figure "{suptitle}": {body}.'
        if body.startswith("untitled"):
            return "Figure without a title: " + body[len("untitled panel"):].strip() + "."
        return f"Figure: {body}."
    names = _POSITIONS.get(len(panels)) or [f"Panel {k}" for k in range(1, len(panels) + 1)]
    rows = {round(ax.get_position().y0, 2) for ax in panels}
    if len(rows) > 1:
        names = [f"Panel {k}" for k in range(1, len(panels) + 1)]
    head = f'Figure "{suptitle}" in {len(panels)} panels.' if suptitle else f"Figure in {len(panels)} panels."
    return " ".join([head] + [f"{name}: {_describe_axes(ax)}." for name, ax in zip(names, panels)])


def _widget_figures():
    """Widgets that carry a matplotlib ``figure`` attribute, by model id."""
    import ipywidgets
    from matplotlib.figure import Figure

    try:  # ipywidgets 8 keeps its live widgets here; Widget.widgets is its deprecated alias
        from ipywidgets.widgets.widget import _instances as instances
    except ImportError:  # pragma: no cover - older ipywidgets
        instances = ipywidgets.Widget.widgets
    return {
        model_id: widget.figure
        for model_id, widget in list(instances.items())
        if isinstance(getattr(widget, "figure", None), Figure)
    }


def install(ip=None) -> None:
    """In a kernel: describe every displayed figure in its ``text/plain``, and every widget figure.

    Parameters
    ----------
    ip : IPython.core.interactiveshell.InteractiveShell, optional
        The running shell; default ``get_ipython()``.
    """
    from IPython import get_ipython
    from matplotlib.figure import Figure

    ip = ip or get_ipython()
    # The mime-bundle formatter, not the text/plain one: enabling the inline backend (the first
    # pyplot import) removes Figure from every per-type formatter, and this one is not among them.
    bundles = ip.display_formatter.mimebundle_formatter
    bundles.for_type(Figure, lambda figure: ({"text/plain": describe_figure(figure)}, {}))
    described = set()

    def publish_widget_descriptions(result=None):
        for model_id, figure in _widget_figures().items():
            if model_id in described:
                continue
            described.add(model_id)
            ip.display_pub.publish(data={DESCRIPTION_MIME: {"model_id": model_id, "alt": describe_figure(figure)}})

    ip.events.register("post_run_cell", publish_widget_descriptions)

"""Static snapshots of widgets for the exported pages (``make html``; tools/export_html.py),
and the figure re-sync that classroom mode (Voila, ``make present``) needs.

In a kernel where :func:`enable` ran, displaying any ipywidget (a panel, a quiz, a FigureWidget)
shows a placeholder and remembers the widget. After the last cell, :func:`publish_snapshot`
renders every remembered widget in its *last* state as plain HTML: plotly figures as plotly
divs (plotly.js comes from the page's local ``assets/plotly.min.js``, never a CDN), controls as
a readable list of their labels and current values, HTML read-outs as they are. The exporter
puts each snapshot in place of its placeholder. Nothing here talks to the network.
"""

from __future__ import annotations

import html

import ipywidgets
import ipywidgets as w
import plotly.io as pio
from IPython import get_ipython
from IPython.display import display
from plotly.basedatatypes import BaseFigure

from ..figures.widget import PlotlyFigure
from ..panels.controls import Slider

PLACEHOLDER_MIME = "application/x-twitch-widget"
SNAPSHOT_MIME = "application/x-twitch-snapshot+json"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
FIGURE_HEIGHT = "480px"  # used only when a figure's layout sets no height
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}

_registry: dict[str, object] = {}


def enable() -> None:
    """Switch the running IPython kernel to export mode (call once, before the notebook's cells)."""

    ip = get_ipython()
    if ip is None:
        raise RuntimeError("utils.export.enable() needs a running IPython kernel")
    # Figures shown with fig.show() or as a cell's value: plotly's JSON bundle only (the exporter
    # draws it); never the 'notebook' renderers, which embed or fetch plotly.js.
    pio.renderers.default = "plotly_mimetype"
    ip.display_formatter.mimebundle_formatter.for_type(ipywidgets.Widget, _placeholder)
    _registry.clear()


def _placeholder(widget) -> dict:
    key = f"w{len(_registry)}"
    _registry[key] = widget
    return {
        PLACEHOLDER_MIME: key,
        "text/plain": f"[{type(widget).__name__}]",
        "text/html": f'<div class="twitch-widget" data-twitch-widget="{key}"></div>',
    }


def publish_snapshot() -> None:
    """Display one bundle {placeholder key: static HTML of that widget now} (the last cell)."""

    display({SNAPSHOT_MIME: {key: render(w, key) for key, w in _registry.items()}}, raw=True)


# --------------------------------------------------------------------------- rendering


def figure_html(fig, div_id: str) -> str:
    """A plotly figure (Figure, FigureWidget or its JSON dict) as a div drawn by the page's plotly.js."""

    return pio.to_html(
        fig,
        include_plotlyjs=False,
        full_html=False,
        config=PLOTLY_CONFIG,
        div_id=div_id,
        default_height=FIGURE_HEIGHT,
        validate=False,
    )


def _fmt(widget) -> str:
    """The value of a control as its own read-out shows it."""

    value = widget.value
    if isinstance(widget, (w.SelectionSlider, w.Dropdown, w.RadioButtons, w.ToggleButtons, w.Select)):
        return "—" if widget.label is None else str(widget.label)
    if isinstance(widget, w.Checkbox) or isinstance(widget, w.ToggleButton):
        return "yes" if value else "no"
    if isinstance(widget, (w.SelectMultiple, w.SelectionRangeSlider)):
        return ", ".join(str(x) for x in widget.label) or "—"
    fmt = getattr(widget, "readout_format", None)
    values = value if isinstance(value, (tuple, list)) else (value,)
    out = []
    for v in values:
        if isinstance(v, (int, float)) and fmt:
            try:
                out.append(format(v, fmt))
                continue
            except (ValueError, TypeError):
                pass
        out.append(str(v))
    return " – ".join(out) if out else "—"


def _control(label: str, value: str) -> str:
    return (
        f'<div class="twitch-control"><span class="twitch-label">{html.escape(label)}</span>'
        f' <span class="twitch-value">{html.escape(value)}</span></div>'
    )


def _options(widget) -> str:
    """Radio buttons (quiz questions): every option, the chosen one marked."""
    items = "".join(
        f"<li>{'◉' if lab == widget.label else '○'} {html.escape(str(lab))}</li>"
        for lab in widget._options_labels
    )
    return f'<ul class="twitch-options">{items}</ul>'


def _output_html(out: dict, div_id: str) -> str:
    data = out.get("data", {}) if out.get("output_type") in ("display_data", "execute_result") else {}
    if PLOTLY_MIME in data:
        return figure_html(data[PLOTLY_MIME], div_id)
    if "text/html" in data:
        return data["text/html"]
    if out.get("output_type") == "stream":
        return f"<pre>{html.escape(out.get('text', ''))}</pre>"
    if "text/plain" in data:
        return f"<pre>{html.escape(data['text/plain'])}</pre>"
    return ""


def render(widget, key: str = "w") -> str:
    """One widget (recursively its children) as static HTML."""

    if isinstance(widget, BaseFigure):  # before the layout check: a figure's layout is plotly's
        return f'<div class="twitch-figure">{figure_html(widget, f"fig-{key}")}</div>'
    if isinstance(widget, PlotlyFigure):
        return f'<div class="twitch-figure">{figure_html(widget.to_plotly_json(), f"fig-{key}")}</div>'
    if isinstance(widget, Slider):
        return _control(widget.description, _fmt(widget))
    layout = getattr(widget, "layout", None)
    if isinstance(layout, w.Layout) and (layout.display == "none" or layout.visibility == "hidden"):
        return ""
    if isinstance(widget, w.Box):
        kind = "twitch-row" if isinstance(widget, w.HBox) else "twitch-column"
        parts = [render(c, f"{key}-{i}") for i, c in enumerate(widget.children)]
        return f'<div class="{kind}">{"".join(p for p in parts if p)}</div>'
    if isinstance(widget, w.Output):
        parts = [_output_html(o, f"fig-{key}-{i}") for i, o in enumerate(widget.outputs)]
        return f'<div class="twitch-output">{"".join(parts)}</div>'
    if isinstance(widget, (w.HTML, w.HTMLMath)):
        return f'<div class="twitch-html">{widget.value}</div>'
    if isinstance(widget, w.Label):
        return f'<div class="twitch-html">{html.escape(str(widget.value))}</div>'
    if isinstance(widget, (w.Button, w.FileUpload)):
        return ""  # nothing to press on a static page
    if isinstance(widget, w.RadioButtons):
        return f'<div class="twitch-control">{html.escape(widget.description or "")}{_options(widget)}</div>'
    if isinstance(widget, w.Checkbox):
        return f'<div class="twitch-control">{"☑" if widget.value else "☐"} {html.escape(widget.description)}</div>'
    if isinstance(widget, w.Text) and not widget.value:
        return _control(widget.description or widget.placeholder or "answer", "(empty)")
    if isinstance(widget, w.ValueWidget):
        return _control(getattr(widget, "description", "") or type(widget).__name__, _fmt(widget))
    return f'<div class="twitch-control">[{html.escape(type(widget).__name__)}]</div>'

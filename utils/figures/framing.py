"""Where a figure's title, legend and data credit go, so that none of them covers the data or
another (notebooks 04–06).

The frame, from the top of the figure down: the title, the legend (horizontal, as many rows as
its entries need), the subplot titles, the plots, the lowest x-axis' tick labels and title, and
last the credit line of the data. The legend sits above the plots and the credit below the
x-axis title, so they can never meet; the margins are computed from the number of legend rows
and credit lines, estimated at a narrow output area (:data:`FRAME_WIDTH_PX`) with
:data:`CHAR_EM` × font size per character.

:func:`layout_problems` checks a figure against these rules (the tests call it), and
:func:`named_traces` that every trace carries its key in ``meta`` (panels address traces by key).
"""

from __future__ import annotations

import plotly.graph_objects as go

from ..validation import check_instance, check_int, check_range
from .plots import credit_annotation
from .widget import PlotlyFigure


def as_figure(fig) -> go.Figure:
    """A plain ``go.Figure`` to read: ``fig`` itself, or a :class:`PlotlyFigure`'s current state."""
    return fig.to_figure() if isinstance(fig, PlotlyFigure) else fig


#: Width (px) at which legend rows are estimated: a narrow notebook output area.
FRAME_WIDTH_PX = 760
#: Average advance of one character, as a fraction of the font size (Arial, mixed text).
CHAR_EM = 0.55
LEGEND_FONT_PX = 14
LEGEND_ROW_PX = 24
#: Room a legend row loses to the figure's side margins, px.
LEGEND_SIDE_PX = 90
#: Legend symbol and gap before an entry's text, px.
LEGEND_ITEM_PAD_PX = 46
TITLE_PX = 44
SUBPLOT_TITLE_PX = 30
#: Tick labels plus an axis title below the lowest plot, px.
X_TITLE_PX = 64
CREDIT_FONT_PX = 12
CREDIT_LINE_PX = 17


def text_width_px(text: str, font_px: float) -> float:
    """Estimated width (px) of the longest line of ``text`` (lines split at ``<br>``)."""
    text = check_instance(text, "text", str, what="a text")
    font_px = check_range(font_px, "font_px", "px", lo=1.0, hi=200.0, what="font size")
    lines = text.replace("<br />", "<br>").replace("<br/>", "<br>").split("<br>")
    return max(len(strip_tags(s)) for s in lines) * CHAR_EM * font_px


def strip_tags(s: str) -> str:
    """``s`` without HTML tags such as ``<b>`` (what plotly draws as text)."""
    s = check_instance(s, "s", str, what="a text")
    out, inside = [], False
    for ch in s:
        if ch == "<":
            inside = True
        elif ch == ">" and inside:
            inside = False
        elif not inside:
            out.append(ch)
    return "".join(out)


def legend_rows(fig, width_px: float = FRAME_WIDTH_PX) -> int:
    """Rows a horizontal legend of ``fig``'s entries needs at ``width_px`` (0 without a legend).

    On one row while all entries fit side by side; otherwise plotly sets the entries in columns
    as wide as the widest entry."""
    fig = as_figure(fig)
    if fig.layout.showlegend is False:
        return 0
    names = list(dict.fromkeys(t.name for t in fig.data if t.showlegend is not False and t.name))
    if not names:
        return 0
    widths = [text_width_px(n, LEGEND_FONT_PX) + LEGEND_ITEM_PAD_PX for n in names]
    room = width_px - LEGEND_SIDE_PX
    if sum(widths) <= room:
        return 1
    cols = max(1, int(room // max(widths)))
    return -(-len(names) // cols)


def frame(fig, *, credit: str = "", subplot_titles: bool = True, x_title: bool = True):
    """Put ``fig``'s title and legend above its plots and ``credit`` (if any) below its lowest
    x-axis title, with margins that hold them (``fig.layout.height`` must be set). Returns
    ``fig``."""
    height = float(as_figure(fig).layout.height)
    rows = legend_rows(fig)
    top = TITLE_PX + rows * LEGEND_ROW_PX + (SUBPLOT_TITLE_PX if subplot_titles else 12)
    if credit:
        n = int((FRAME_WIDTH_PX - 110) / (CHAR_EM * CREDIT_FONT_PX))
        credit = "<br>".join(wrap(line, n) for line in credit.split("<br>"))
    lines = credit.count("<br>") + 1 if credit else 0
    below = X_TITLE_PX if x_title else 16
    fig.update_layout(
        title=dict(yref="container", y=1 - 10 / height, yanchor="top", x=0.01, xanchor="left"),
        legend=dict(
            orientation="h",
            yref="container",
            y=1 - TITLE_PX / height,
            yanchor="top",
            x=0,
            xanchor="left",
            font=dict(size=LEGEND_FONT_PX),
        ),
        margin=dict(t=top, b=below + lines * CREDIT_LINE_PX + 12),
    )
    if credit:
        note = dict(
            name="credit", y=0, yshift=-below, align="left", font=dict(size=CREDIT_FONT_PX, color="#444444")
        )
        fig.add_annotation(**(credit_annotation(credit) | note))
    return fig


def wrap(text: str, max_chars: int) -> str:
    """``text`` with ``<br>`` between words so that no line is longer than ``max_chars``."""
    text = check_instance(text, "text", str, what="a text")
    max_chars = check_int(max_chars, "max_chars", lo=1, hi=10_000, what="characters per line")
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > max_chars:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "<br>".join(lines + [line])


def named_traces(fig) -> list[str]:
    """The trace keys (``meta``) of ``fig``; raises if a trace has none or two share one."""
    if isinstance(fig, PlotlyFigure):
        return fig.trace_keys
    keys = [t.meta for t in fig.data]
    if any(not isinstance(k, str) or not k for k in keys):
        raise ValueError(f"every trace needs meta=<key>; got {keys}")
    if len(set(keys)) != len(keys):
        raise ValueError(f"trace keys must be unique; got {keys}")
    return keys


def layout_problems(fig) -> list[str]:
    """What breaks the frame rules in ``fig`` (an empty list when none does): legend not above
    the plots or not clear of the subplot titles, credit not below the x-axis title or cut by
    the bottom margin."""
    out = []
    fig = as_figure(fig)
    lay = fig.layout
    height = float(lay.height)
    t, b = float(lay.margin.t), float(lay.margin.b)
    rows = legend_rows(fig)
    if rows:
        lg = lay.legend
        if lg.yref != "container" or lg.yanchor != "top" or lg.orientation != "h":
            out.append("the legend must be horizontal, anchored at its top, in container coordinates")
        else:
            bottom_px = (1 - float(lg.y)) * height + rows * LEGEND_ROW_PX
            titles = any(
                a.yref == "paper" and a.text and a.y is not None and a.y >= 1 for a in lay.annotations
            )
            need = bottom_px + (SUBPLOT_TITLE_PX if titles else 0)
            if need > t + 0.5:
                out.append(f"legend ({rows} rows) ends {bottom_px:.0f} px down; top margin {t:.0f} px")
    for a in lay.annotations:
        if a.name != "credit":
            continue
        lines = str(a.text).count("<br>") + 1
        if a.yref != "paper" or a.y is None or a.y > 0 or a.yanchor != "top":
            out.append("the credit must hang below the plots (paper y ≤ 0, anchored at its top)")
            continue
        drop = -float(a.yshift or 0) - float(a.y) * (height - t - b)
        if drop < X_TITLE_PX:
            out.append(f"the credit starts {drop:.0f} px below the plots: it covers the x-axis title")
        if drop + lines * CREDIT_LINE_PX > b + 0.5:
            out.append(f"the credit ({lines} lines) runs past the bottom margin ({b:.0f} px)")
    return out


def set_xy(fig, xy: dict) -> None:
    """Set x and y together on the traces of ``fig`` (a :class:`PlotlyFigure`) named by the keys
    of ``xy``: ``{key: (x, y)}``. The figure widget sends every trace's whole state on each
    draw, so a view can never hold y without its x (issue 14: traces drawn against their index)."""
    fig.update_traces_by_name({key: {"x": x, "y": y} for key, (x, y) in xy.items()})


def line_trace(fig, key: str, name: str, line: dict, row: int, col: int, x=(), y=(), **kw) -> None:
    """Add a line trace with key ``key`` (its ``meta``) to subplot (row, col)."""
    fig.add_scatter(
        x=list(x), y=list(y), mode="lines", name=name, meta=key, line=line, row=row, col=col, **kw
    )


def marker_trace(
    fig, key: str, name: str, marker: dict, row: int, col: int, x=(), y=(), mode: str = "markers", **kw
) -> None:
    """Add a marker trace with key ``key`` (its ``meta``) to subplot (row, col)."""
    fig.add_scatter(
        x=list(x), y=list(y), mode=mode, name=name, meta=key, marker=marker, row=row, col=col, **kw
    )


__all__ = [
    "frame",
    "wrap",
    "legend_rows",
    "layout_problems",
    "named_traces",
    "text_width_px",
    "strip_tags",
    "set_xy",
    "line_trace",
    "marker_trace",
]

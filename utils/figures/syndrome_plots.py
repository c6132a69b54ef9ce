"""Figures of notebook 06 (why muscles twitch), in the series' theme (``utils.plots``).

The builders only draw: ``utils.twitch_widgets`` runs the syndromes and reads the diary. Every
trace carries its key in ``meta`` (listed in each docstring); title and legend sit above the
plots (:func:`utils.framing.frame`).
"""

from __future__ import annotations

import copy

from plotly.subplots import make_subplots

from .framing import frame, line_trace, marker_trace, text_width_px
from .plots import FONT_SIZE, OKABE_ITO, REFERENCE_LINE, TEMPLATE_NAME, axis, subplots_widget
from .widget import PlotlyFigure

#: Font of the diary's category labels (px) and the room its y-axis title needs (px).
DIARY_TICK_PX = FONT_SIZE
DIARY_Y_TITLE_PX = 40
#: The diary's location labels are cut to this many characters.
LOCATION_CHARS = 30


def syndrome_figure(title: str, time_unit: str, n_rows: int, row_labels, stimulus: bool = True):
    """Raster (top), EMG-like trace (middle) and force (bottom) on one time axis.

    Trace keys: 'raster' (markers, one tick per discharge), 'emg' (line), 'force' (line) and,
    with ``stimulus``, 'stimulus' (the test stimulus: dotted vertical line across the raster).
    """
    fig = subplots_widget(
        3,
        1,
        ["discharges of each motor axon (raster)", "EMG-like needle trace", "force of the muscle"],
        {
            "xaxis3": f"time ({time_unit})",
            "yaxis": dict(
                title=dict(text="motor unit (number)"),
                range=[0.4, n_rows + 0.6],
                tickvals=list(range(1, n_rows + 1)),
                ticktext=[str(u) for u in row_labels],
            ),
            "yaxis2": "voltage (mV)",
            "yaxis3": dict(title=dict(text="force (% of max)"), rangemode="tozero"),
        },
        height=720,
        shared_xaxes=True,
        vertical_spacing=0.08,
        row_heights=[0.28, 0.36, 0.36],
    )
    fig.plot_layout.title.text = title
    tick = dict(
        symbol="line-ns-open", size=12, color=OKABE_ITO["black"], line=dict(width=2, color=OKABE_ITO["black"])
    )
    marker_trace(fig, "raster", "discharge (one tick each)", tick, 1, 1, hoverinfo="skip")
    emg = dict(color=OKABE_ITO["blue"], width=1.2, dash="solid")
    line_trace(fig, "emg", "EMG-like trace", emg, 2, 1, hoverinfo="skip")
    force = dict(color=OKABE_ITO["vermillion"], dash="dash", width=2.5)
    line_trace(fig, "force", "force", force, 3, 1, hovertemplate="%{x:.2f}: %{y:.2f} %<extra></extra>")
    if stimulus:
        line_trace(fig, "stimulus", "test stimulus", REFERENCE_LINE, 1, 1, hoverinfo="skip")
    return frame(fig)


#: The diary's axes (each title with its unit or, for categories, what they are).
DIARY_AXES = {
    "xaxis": "day (date)",
    "yaxis": "twitches (count)",
    "xaxis2": "hour of the day (h)",
    "yaxis2": "twitches (count)",
    "xaxis3": dict(title=dict(text="twitches (count)"), rangemode="tozero"),
    "yaxis3": dict(title=dict(text="body location (as written)", standoff=12), automargin=True),
    "xaxis4": "caffeine that day (mg)",
    "yaxis4": "twitches that day (count)",
    "xaxis5": "sleep the night before (h)",
    "yaxis5": "twitches that day (count)",
    "xaxis6": "stress that day (0–10 scale)",
    "yaxis6": "twitches that day (count)",
}


def diary_figure():
    """Six small plots of a diary: per day and per hour (top row), per body location across the
    whole width (so that its category labels sit in the figure's left margin, which grows to
    fit them: :func:`diary_left_margin_px`), and the daily count against caffeine, sleep and
    stress (bottom row).

    Trace keys: 'per_day', 'per_hour' (bars), 'per_location' (horizontal bars), 'caffeine',
    'sleep', 'stress' (markers, one per day).
    """
    fig = make_subplots(
        rows=3,
        cols=6,
        specs=[
            [{"colspan": 3}, None, None, {"colspan": 3}, None, None],
            [{"colspan": 6}, None, None, None, None, None],
            [{"colspan": 2}, None, {"colspan": 2}, None, {"colspan": 2}, None],
        ],
        subplot_titles=[
            "twitches per day",
            "by hour of the day",
            "by body location",
            "against caffeine",
            "against sleep",
            "against stress",
        ],
        horizontal_spacing=0.1,
        vertical_spacing=0.16,
        row_heights=[0.32, 0.34, 0.34],
    )
    layout = dict(template=TEMPLATE_NAME, height=880, showlegend=False, margin=dict(l=80, r=30))
    for name, spec in copy.deepcopy(DIARY_AXES).items():
        spec = dict(title=dict(text=spec)) if isinstance(spec, str) else spec
        title = spec.pop("title")
        layout[name] = axis(title["text"], **spec)
        layout[name]["title"] = title
    fig.update_layout(**layout)
    bars = (
        ("per_day", "twitches per day", "blue", 1, 1, "v"),
        ("per_hour", "by hour", "bluish_green", 1, 4, "v"),
        ("per_location", "by location", "reddish_purple", 2, 1, "h"),
    )
    for key, name, colour, row, col, orientation in bars:
        fig.add_bar(
            x=[],
            y=[],
            name=name,
            meta=key,
            orientation=orientation,
            marker_color=OKABE_ITO[colour],
            row=row,
            col=col,
        )
    for k, (key, col, sym) in enumerate(
        (
            ("caffeine", "vermillion", "circle"),
            ("sleep", "sky_blue", "square"),
            ("stress", "orange", "diamond"),
        )
    ):
        dot = dict(color=OKABE_ITO[col], symbol=sym, size=11, line=dict(color="black", width=1))
        marker_trace(fig, key, key, dot, 3, 2 * k + 1)
    return frame(PlotlyFigure(fig))


def diary_left_margin_px(labels) -> int:
    """The left margin (px) that holds the location labels and the y-axis title beside them
    (what plotly's automargin would grow it to; set explicitly so no label is ever cut)."""
    widest = max((text_width_px(str(s), DIARY_TICK_PX) for s in labels), default=0.0)
    return int(max(80, widest + DIARY_Y_TITLE_PX + 16))


__all__ = [
    "syndrome_figure",
    "diary_figure",
    "diary_left_margin_px",
    "DIARY_AXES",
    "LOCATION_CHARS",
]

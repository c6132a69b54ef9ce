"""Figures of notebook 04 (from nerve to muscle), in the series' theme (``utils.plots``).

Builders return FigureWidgets with their whole layout in the constructor (Voila drops layout
changes made before display). Every trace carries its key in ``meta`` (listed in each
builder's docstring); the panels in ``utils.nmj_widgets`` and ``utils.emg_widgets`` address
traces by that key (``Panel.trace``) and set x and y together on every draw. Title and legend
sit above the plots, the data credit below the x-axis title (:func:`utils.framing.frame`).
:func:`ec_coupling_diagram` is a static diagram drawn with shapes and annotations only.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ..validation import check_int, check_range
from .framing import FRAME_WIDTH_PX, frame, line_trace, marker_trace, wrap
from .plots import (
    CURRENT_POINT,
    OKABE_ITO,
    REFERENCE_LINE,
    STYLE,
    TEMPLATE_NAME,
    StaticFigure,
    line_style,
    normal_band,
    subplots_widget,
)

#: One marker symbol per detected unit (shape, not only colour, tells units apart).
UNIT_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "hexagon", "cross"]
UNIT_COLOURS = [
    OKABE_ITO[k]
    for k in ("vermillion", "blue", "bluish_green", "reddish_purple", "orange", "sky_blue", "black", "yellow")
]
UNIT_DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash"]
#: Marker of a discharge or stimulus time (a vertical tick).
TICK_MARKER = dict(
    symbol="line-ns-open",
    size=10,
    line=dict(width=2, color=STYLE["stimulus"]["color"]),
    color=STYLE["stimulus"]["color"],
)


def unit_marker(i: int, size: float = 9) -> dict:
    """Marker of detected unit ``i`` (0 = largest)."""
    k = check_int(i, "i", lo=0, what="unit index") % len(UNIT_SYMBOLS)
    size = check_range(size, "size", "px", lo=1.0, hi=100.0, what="marker size")
    return dict(symbol=UNIT_SYMBOLS[k], color=UNIT_COLOURS[k], size=size, line=dict(color="white", width=1))


def unit_line(i: int, width: float = 2.5) -> dict:
    """Line of detected unit ``i`` (0 = largest)."""
    k = check_int(i, "i", lo=0, what="unit index") % len(UNIT_DASHES)
    width = check_range(width, "width", "px", lo=0.1, hi=50.0, what="line width")
    return dict(color=UNIT_COLOURS[k], dash=UNIT_DASHES[k], width=width)


# --------------------------------------------------------------------------- (1) quantal release
def release_figure(
    bin_mV, counts, credit: str, n_trials: int, ca_grid_mM, normal_ca_mM: tuple, x_max_mV: float = 3.2
):
    """Left: EPP amplitude histogram — model expectation (line) over the real Boyd & Martin
    counts (bars); right: safety factor against extracellular calcium (log–log).

    Trace keys: 'model' expected counts (line + markers), 'boyd_martin' counts (bars), 'sf'
    safety factor at the chosen Mg (line), 'sf_normal' at normal Mg (dotted line), 'threshold'
    safety factor = 1 (orange dotted), 'point' your Ca and Mg (star), 'normal' normal blood
    (cross). Every trace has its x from the start (the panel sets x with y on every draw).
    """
    bins = np.asarray(bin_mV, dtype=np.float32)
    grid = np.asarray(ca_grid_mM, dtype=np.float32)
    fig = subplots_widget(
        1,
        2,
        ["EPP amplitudes: model against the real junction", "safety factor against calcium"],
        {
            "xaxis": dict(title=dict(text="end-plate potential amplitude (mV)"), range=[-0.08, x_max_mV]),
            "yaxis": dict(title=dict(text=f"impulses (count, of {n_trials})"), range=[0, 30]),
            "xaxis2": dict(
                title=dict(text="extracellular calcium (mM)"),
                type="log",
                range=[-0.7, 0.5],
                tickvals=[0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3],
            ),
            "yaxis2": dict(title=dict(text="safety factor (×)"), type="log", range=[-3, 1.5], dtick=1),
        },
        height=640,
        column_widths=[0.55, 0.45],
        horizontal_spacing=0.13,
    )
    fig.add_scatter(
        x=bins,
        y=np.zeros_like(bins),
        mode="lines+markers",
        name="model: expected count (Poisson)",
        meta="model",
        line=line_style("model", 3),
        marker=dict(symbol="circle", size=6, color=STYLE["model"]["color"]),
        row=1,
        col=1,
        hovertemplate="%{x:.2f} mV: %{y:.1f}<extra></extra>",
    )
    fig.add_bar(
        x=bins,
        y=np.asarray(counts, dtype=np.float32),
        name="Boyd & Martin 1956 (raised Mg²⁺)",
        meta="boyd_martin",
        row=1,
        col=1,
        marker=dict(color="rgba(120,120,120,0.45)", line=dict(color=OKABE_ITO["black"], width=1.2)),
        width=0.09,
        hovertemplate="%{x:.2f} mV: %{y} impulses<extra></extra>",
    )
    ones = np.ones_like(grid)
    line_trace(fig, "sf", "safety factor at your Mg²⁺", line_style("c0", 3), 1, 2, grid, ones)
    line_trace(
        fig,
        "sf_normal",
        "safety factor at normal Mg²⁺",
        dict(color=OKABE_ITO["black"], dash="dot", width=2),
        1,
        2,
        grid,
        ones,
    )
    line_trace(
        fig, "threshold", "EPP just reaches threshold (1×)", REFERENCE_LINE, 1, 2, grid[[0, -1]], [1.0, 1.0]
    )
    marker_trace(fig, "point", "your Ca²⁺ and Mg²⁺", CURRENT_POINT, 1, 2, [1.2], [1.0])
    marker_trace(
        fig, "normal", "normal blood", dict(color=OKABE_ITO["bluish_green"], symbol="x", size=13), 1, 2
    )
    normal_band(fig, *normal_ca_mM, row=1, col=2)
    # (on a log axis, an annotation tied to the band would need log10 of its x: place it by domain)
    corner = dict(x=0.98, y=0.02, xref="x2 domain", yref="y2 domain", xanchor="right", yanchor="bottom")
    fig.add_annotation(text="green band: normal ionised Ca²⁺", showarrow=False, font=dict(size=12), **corner)
    return frame(fig, credit=credit)


# --------------------------------------------------------------------------- (2) one motor unit
def motor_unit_figure(duration_s: float, y_emg_mV: float = 1.5):
    """Top: the needle EMG of one motor unit (line) with its discharges (ticks); bottom: the
    unit's force. Trace keys: 'emg' (line), 'discharges' (ticks), 'force' (line)."""
    duration_s = check_range(duration_s, "duration_s", "s", lo=0.0, hi=3600.0, lo_open=True, what="time axis")
    y_emg_mV = check_range(
        y_emg_mV, "y_emg_mV", "mV", lo=0.0, hi=1000.0, lo_open=True, what="EMG axis half-height"
    )
    fig = subplots_widget(
        2,
        1,
        ["needle EMG near the unit", "force of the unit's muscle fibres"],
        {
            "xaxis": dict(title=dict(text="time (s)"), range=[0, duration_s]),
            "yaxis": dict(title=dict(text="EMG (mV)"), range=[-y_emg_mV, y_emg_mV]),
            "xaxis2": dict(title=dict(text="time (s)"), range=[0, duration_s]),
            "yaxis2": dict(title=dict(text="force (× one twitch)"), rangemode="tozero"),
        },
        height=640,
        shared_xaxes=False,
        vertical_spacing=0.2,
        row_heights=[0.55, 0.45],
    )
    line_trace(
        fig,
        "emg",
        "EMG: one motor-unit potential per discharge",
        dict(color=OKABE_ITO["black"], width=1.2),
        1,
        1,
        [0.0, duration_s],
        [0.0, 0.0],
    )
    marker_trace(fig, "discharges", "discharges of the motor neuron", TICK_MARKER, 1, 1, hoverinfo="skip")
    line_trace(fig, "force", "force (model twitches, summed)", line_style("model", 2.5), 2, 1)
    return frame(fig)


# --------------------------------------------------------------------------- (3) real records
def records_figure(
    keys: list[str],
    labels: list[str],
    n_units: list[int],
    template_t_ms,
    templates: list,
    credit: str,
    y_mV: float = 3.5,
):
    """Three needle records side by side: top row a time window of each band-passed record
    (same mV scale) with each detected unit's discharges marked; bottom row each unit's
    template (spike-triggered average, own scale per record).

    Trace keys, per record key k: 'k:signal' (line), 'k:unit0', 'k:unit1', … (markers, one per
    unit) and 'k:template0', … (lines, set here).
    """
    axes = {}
    for c in range(3):
        s = "" if c == 0 else str(c + 1)
        axes[f"xaxis{s}"] = dict(title=dict(text="time (s)"))
        axes[f"yaxis{s}"] = dict(title=dict(text="signal (mV)" if c == 0 else "(mV)"), range=[-y_mV, y_mV])
        axes[f"xaxis{c + 4}"] = dict(title=dict(text="time from peak (ms)"))
        axes[f"yaxis{c + 4}"] = dict(title=dict(text="template (mV)" if c == 0 else "(mV)"))
    fig = subplots_widget(
        2,
        3,
        labels + [f"units of the {lab.split()[0]} record" for lab in labels],
        axes,
        height=680,
        vertical_spacing=0.2,
        horizontal_spacing=0.07,
        row_heights=[0.55, 0.45],
    )
    first_with = {u: min(i for i in range(3) if n_units[i] > u) for u in range(max(n_units))}
    for r, k in enumerate(keys):
        line_trace(
            fig,
            f"{k}:signal",
            f"{labels[r]}: band-passed signal",
            dict(color=OKABE_ITO["black"], width=1),
            1,
            r + 1,
            showlegend=False,
            hoverinfo="skip",
        )
        for u in range(n_units[r]):
            marker_trace(
                fig,
                f"{k}:unit{u}",
                f"unit {u + 1}",
                unit_marker(u),
                1,
                r + 1,
                legendgroup=f"u{u}",
                showlegend=r == first_with[u],
            )
    for r, k in enumerate(keys):
        for u, tmpl in enumerate(templates[r]):
            line_trace(
                fig,
                f"{k}:template{u}",
                f"unit {u + 1}",
                unit_line(u, 2.5),
                2,
                r + 1,
                template_t_ms,
                tmpl,
                legendgroup=f"u{u}",
                showlegend=False,
                hovertemplate="%{x:.1f} ms: %{y:.2f} mV<extra></extra>",
            )
    return frame(fig, credit=credit)


# --------------------------------------------------------------------------- (4) synthetic EMG
def synthetic_figure(vol_s: float, fasc_s: float, y_mV: float = 2.0):
    """Top: synthetic EMG of a voluntary contraction; bottom: fasciculations on a quiet
    baseline. Trace keys: 'voluntary' (line), 'fasciculation' (line), 'fasc_times' (the true
    fasciculation times, ticks)."""
    vol_s = check_range(
        vol_s, "vol_s", "s", lo=0.0, hi=3600.0, lo_open=True, what="voluntary trace's time axis"
    )
    fasc_s = check_range(
        fasc_s, "fasc_s", "s", lo=0.0, hi=3600.0, lo_open=True, what="fasciculation time axis"
    )
    y_mV = check_range(y_mV, "y_mV", "mV", lo=0.0, hi=1000.0, lo_open=True, what="EMG axis half-height")
    fig = subplots_widget(
        2,
        1,
        [
            "voluntary contraction (many units, each firing regularly)",
            "fasciculations at rest (one unit, firing at random)",
        ],
        {
            "xaxis": dict(title=dict(text="time (s)"), range=[0, vol_s]),
            "yaxis": dict(title=dict(text="EMG (mV)"), range=[-y_mV, y_mV]),
            "xaxis2": dict(title=dict(text="time (s)"), range=[0, fasc_s]),
            "yaxis2": dict(title=dict(text="EMG (mV)"), range=[-y_mV, y_mV]),
        },
        height=640,
        vertical_spacing=0.17,
    )
    line_trace(
        fig,
        "voluntary",
        "voluntary contraction",
        dict(color=OKABE_ITO["blue"], width=1),
        1,
        1,
        [0, vol_s],
        [0, 0],
    )
    line_trace(
        fig,
        "fasciculation",
        "fasciculations",
        dict(color=OKABE_ITO["black"], width=1, dash="solid"),
        2,
        1,
        [0, fasc_s],
        [0, 0],
    )
    fasc_marker = dict(symbol="triangle-down", size=10, color=OKABE_ITO["vermillion"])
    marker_trace(fig, "fasc_times", "fasciculation (true time)", fasc_marker, 2, 1, hoverinfo="skip")
    return frame(fig)


# --------------------------------------------------------------------------- EC coupling
#: The steps from a nerve impulse to a twitch (hille2001; purves; dodge1967 for the Ca²⁺
#: cooperativity; schneider1973 and rios1987 for the voltage sensor in the T-tubule). Lines
#: of at most 19 characters, so that each fits its box (see EC_MIN_WIDTH_PX).
EC_STEPS = (
    ("nerve", "1 · Action<br>potential reaches<br>the nerve terminal"),
    ("nerve", "2 · Voltage-gated<br>Ca²⁺ channels open;<br>Ca²⁺ enters<br>(Mg²⁺ competes)"),
    ("nerve", "3 · Vesicles fuse:<br>quanta of ACh<br>(release ∝ ≈ Ca⁴)"),
    ("junction", "4 · ACh opens<br>receptor channels<br>at the end plate:<br>end-plate potential"),
    ("junction", "5 · EPP above<br>threshold (safety<br>factor > 1): muscle<br>action potential"),
    ("muscle", "6 · The AP runs<br>into the T-tubules;<br>voltage sensors<br>(DHPR) move"),
    ("muscle", "7 · DHPR tugs on<br>RyR1: Ca²⁺ leaves<br>the sarcoplasmic<br>reticulum (SR)"),
    ("muscle", "8 · Ca²⁺ binds<br>troponin; myosin<br>pulls on actin:<br>force (the twitch)"),
    ("muscle", "9 · Pumps (SERCA)<br>take Ca²⁺ back<br>into the SR:<br>relaxation"),
)
EC_COMPARTMENTS = {
    "nerve": ("motor nerve terminal", "rgba(86, 180, 233, 0.22)", OKABE_ITO["blue"], "solid"),
    "junction": ("synaptic cleft and end plate", "rgba(230, 159, 0, 0.22)", OKABE_ITO["orange"], "dash"),
    "muscle": ("muscle fibre", "rgba(204, 121, 167, 0.22)", OKABE_ITO["reddish_purple"], "dot"),
}
#: Layout of the diagram: one row per compartment (centre y), four column slots (centre x),
#: and each step's (row, slot): nerve 1-3 left to right, junction 4-5 below 3 going right,
#: muscle 6-9 below 5 going back left.
EC_ROW_Y = {"nerve": 0.82, "junction": 0.5, "muscle": 0.18}
EC_SLOT_X = (0.125, 0.375, 0.625, 0.875)
EC_SLOTS = (0, 1, 2, 2, 3, 3, 2, 1, 0)
#: Box half-width and half-height (axis units, both axes 0-1), text and header font sizes (px).
EC_HALF_W, EC_HALF_H = 0.108, 0.115
EC_FONT_PX, EC_HEADER_FONT_PX = 13, 14
#: The narrowest figure the diagram is drawn for (px; the boxes' text fits from here up),
#: its height and margins.
EC_MIN_WIDTH_PX = FRAME_WIDTH_PX
EC_HEIGHT_PX = 640
EC_MARGIN = dict(l=20, r=20, t=60, b=70)


_BORDER_WORD = {"solid": "solid", "dash": "dashed", "dot": "dotted"}


def ec_box_positions() -> list[tuple[float, float]]:
    """Centre (x, y) of each step's box, in EC_STEPS order."""
    return [(EC_SLOT_X[s], EC_ROW_Y[kind]) for (kind, _), s in zip(EC_STEPS, EC_SLOTS)]


def ec_coupling_diagram() -> go.Figure:
    """From the nerve impulse to the twitch: nine boxes in three labelled compartments, one row
    each (nerve terminal, junction, muscle fibre), joined by arrows; boxes differ by border
    style as well as colour. No axes (a diagram, not a plot). The trace (key 'steps') holds
    the step texts (text mode); boxes are shapes, arrows and headings annotations."""
    pos = ec_box_positions()
    w, h = EC_HALF_W, EC_HALF_H
    shapes, ann = [], []
    for (kind, _), (x, y) in zip(EC_STEPS, pos):
        _, fill, border, dash = EC_COMPARTMENTS[kind]
        shapes.append(
            dict(
                type="rect",
                xref="x",
                yref="y",
                x0=x - w,
                x1=x + w,
                y0=y - h,
                y1=y + h,
                fillcolor=fill,
                line=dict(color=border, width=2.5, dash=dash),
            )
        )
    for (x0, y0), (x1, y1) in zip(pos[:-1], pos[1:]):
        if y0 == y1:
            sgn = 1 if x1 > x0 else -1
            tail, head = (x0 + sgn * w, y0), (x1 - sgn * w, y1)
        else:
            tail, head = (x0, y0 - h), (x1, y1 + h)
        ann.append(
            dict(
                x=head[0],
                y=head[1],
                ax=tail[0],
                ay=tail[1],
                xref="x",
                yref="y",
                axref="x",
                ayref="y",
                showarrow=True,
                arrowhead=3,
                arrowsize=1.3,
                arrowwidth=2.5,
                arrowcolor="#333333",
                text="",
            )
        )
    for kind, (label, _, border, dash) in EC_COMPARTMENTS.items():
        ann.append(
            dict(
                x=0.01,
                y=EC_ROW_Y[kind] + h + 0.01,
                xref="x",
                yref="y",
                xanchor="left",
                yanchor="bottom",
                text=f"<b>{label}</b> ({_BORDER_WORD[dash]} border)",
                showarrow=False,
                font=dict(size=EC_HEADER_FONT_PX, color=border),
            )
        )
    ann.append(
        dict(
            x=0.5,
            y=0.0,
            xref="paper",
            yref="paper",
            yanchor="top",
            yshift=-6,
            showarrow=False,
            text=wrap(
                "Excitation–contraction coupling (steps 6–9) happens in every fibre of the motor "
                "unit; the twitch then rises and falls over tens of ms.",
                90,
            ),
            font=dict(size=13, color="#444444"),
        )
    )
    layout = dict(
        template=TEMPLATE_NAME,
        height=EC_HEIGHT_PX,
        shapes=shapes,
        annotations=ann,
        title=dict(text="From nerve impulse to twitch"),
        xaxis=dict(visible=False, range=[0, 1], fixedrange=True),
        yaxis=dict(visible=False, range=[0.0, 1.0], fixedrange=True),
        margin=dict(EC_MARGIN),
        showlegend=False,
    )
    fig = go.Figure(layout=layout)
    # the step texts as one text trace (a figure with a trace renders on static pages too)
    fig.add_scatter(
        x=[p[0] for p in pos],
        y=[p[1] for p in pos],
        mode="text",
        text=[t for _, t in EC_STEPS],
        textfont=dict(size=EC_FONT_PX, color="#111111"),
        hoverinfo="skip",
        name="steps",
        meta="steps",
    )
    return StaticFigure(fig)  # shown without plotly.io's renderers (nbformat, jsonschema: seconds)


__all__ = [
    "release_figure",
    "motor_unit_figure",
    "records_figure",
    "synthetic_figure",
    "ec_coupling_diagram",
    "ec_box_positions",
    "unit_marker",
    "unit_line",
    "EC_STEPS",
]

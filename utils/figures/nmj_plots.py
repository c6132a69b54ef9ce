"""Figures of notebook 04 (from nerve to muscle), in the series' theme (``utils.plots``).

Builders return FigureWidgets with their whole layout in the constructor (Voila drops layout
changes made before display); the panels in ``utils.nmj_widgets`` and ``utils.emg_widgets``
move the data in place inside ``batch_update``. Trace order is part of each builder's contract
(its docstring). :func:`ec_coupling_diagram` is a static diagram drawn with shapes and
annotations only (no images).
"""

from __future__ import annotations

import plotly.graph_objects as go

from .plots import (
    CURRENT_POINT,
    NORMAL_BAND,
    OKABE_ITO,
    REFERENCE_LINE,
    STYLE,
    TEMPLATE_NAME,
    line_style,
    subplots_widget,
)

#: One marker symbol per detected unit (shape, not only colour, tells units apart).
UNIT_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "hexagon", "cross"]
UNIT_COLOURS = [
    OKABE_ITO[k]
    for k in ("vermillion", "blue", "bluish_green", "reddish_purple", "orange", "sky_blue", "black", "yellow")
]
UNIT_DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash"]


def unit_marker(i: int, size: float = 9) -> dict:
    """Marker of detected unit ``i`` (0 = largest)."""
    k = i % len(UNIT_SYMBOLS)
    return dict(symbol=UNIT_SYMBOLS[k], color=UNIT_COLOURS[k], size=size, line=dict(color="white", width=1))


def unit_line(i: int, width: float = 2.5) -> dict:
    """Line of detected unit ``i`` (0 = largest)."""
    k = i % len(UNIT_DASHES)
    return dict(color=UNIT_COLOURS[k], dash=UNIT_DASHES[k], width=width)


# --------------------------------------------------------------------------- (1) quantal release
def release_figure(
    bin_mV, counts, credit: str, n_trials: int, ca_grid_mM, normal_ca_mM: tuple, x_max_mV: float = 3.2
):
    """Left: EPP amplitude histogram — model expectation (line) over the real Boyd & Martin
    counts (bars); right: safety factor against extracellular calcium (log–log).

    Traces: 0 model expected counts (line + markers), 1 Boyd & Martin counts (bars),
    2 safety factor at the chosen Mg (line), 3 safety factor at normal Mg (dotted line),
    4 safety factor = 1 (orange dotted), 5 your Ca and Mg (star), 6 normal blood (cross).
    """
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
        height=600,
        column_widths=[0.55, 0.45],
        horizontal_spacing=0.13,
    )
    fig.add_scatter(
        x=bin_mV,
        y=[0.0] * len(bin_mV),
        mode="lines+markers",
        name="model: expected count (Poisson)",
        line=line_style("model", 3),
        marker=dict(symbol="circle", size=6, color=STYLE["model"]["color"]),
        row=1,
        col=1,
        hovertemplate="%{x:.2f} mV: %{y:.1f}<extra></extra>",
    )
    fig.add_bar(
        x=bin_mV,
        y=counts,
        name="Boyd & Martin 1956 (raised Mg²⁺)",
        row=1,
        col=1,
        marker=dict(color="rgba(120,120,120,0.45)", line=dict(color=OKABE_ITO["black"], width=1.2)),
        width=0.09,
        hovertemplate="%{x:.2f} mV: %{y} impulses<extra></extra>",
    )
    fig.add_scatter(
        x=ca_grid_mM,
        y=[None] * len(ca_grid_mM),
        mode="lines",
        name="safety factor at your Mg²⁺",
        line=line_style("c0", 3),
        row=1,
        col=2,
    )
    fig.add_scatter(
        x=ca_grid_mM,
        y=[None] * len(ca_grid_mM),
        mode="lines",
        name="safety factor at normal Mg²⁺ (0.85 mM)",
        line=dict(color=OKABE_ITO["black"], dash="dot", width=2),
        row=1,
        col=2,
    )
    fig.add_scatter(
        x=[ca_grid_mM[0], ca_grid_mM[-1]],
        y=[1.0, 1.0],
        mode="lines",
        name="EPP just reaches threshold (1×)",
        line=REFERENCE_LINE,
        row=1,
        col=2,
    )
    fig.add_scatter(x=[], y=[], mode="markers", name="your Ca²⁺ and Mg²⁺", marker=CURRENT_POINT, row=1, col=2)
    fig.add_scatter(
        x=[],
        y=[],
        mode="markers",
        name="normal blood",
        row=1,
        col=2,
        marker=dict(color=OKABE_ITO["bluish_green"], symbol="x", size=13),
    )
    fig.add_vrect(
        x0=normal_ca_mM[0],
        x1=normal_ca_mM[1],
        fillcolor=NORMAL_BAND,
        line_width=0,
        layer="below",
        row=1,
        col=2,
    )
    fig.add_annotation(
        text="green band: normal ionised Ca²⁺",
        x=0.98,
        y=0.02,
        xref="x2 domain",
        yref="y2 domain",
        xanchor="right",
        yanchor="bottom",
        showarrow=False,
        font=dict(size=12, color="#444444"),
    )
    fig.add_annotation(
        text=credit,
        xref="paper",
        yref="paper",
        x=0,
        y=-0.5,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        font=dict(size=12, color="#444444"),
    )
    fig.layout.legend.y = -0.2
    fig.layout.margin.b = 210
    return fig


def update_release_figure(
    fig, expected, sf_curve, sf_normal_curve, point: tuple, normal: tuple, title: str
) -> None:
    """Move the model histogram, the two safety-factor curves and the two points in place."""
    with fig.batch_update():
        fig.data[0].y = expected
        fig.data[2].y = sf_curve
        fig.data[3].y = sf_normal_curve
        fig.data[5].x, fig.data[5].y = [point[0]], [point[1]]
        fig.data[6].x, fig.data[6].y = [normal[0]], [normal[1]]
        fig.layout.title.text = title


# --------------------------------------------------------------------------- (2) one motor unit
def motor_unit_figure(duration_s: float, y_emg_mV: float = 1.5):
    """Top: the needle EMG of one motor unit (line) with its discharges (ticks); bottom: the
    unit's force. Traces: 0 EMG (line), 1 discharges (ticks), 2 force (line)."""
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
        height=600,
        shared_xaxes=False,
        vertical_spacing=0.22,
        row_heights=[0.55, 0.45],
    )
    fig.add_scatter(
        x=[0.0, duration_s],
        y=[0.0, 0.0],
        mode="lines",
        name="EMG: one motor-unit potential per discharge",
        line=dict(color=OKABE_ITO["black"], width=1.2),
        row=1,
        col=1,
    )
    fig.add_scatter(
        x=[],
        y=[],
        mode="markers",
        name="discharges of the motor neuron",
        marker=dict(
            symbol="line-ns-open",
            size=10,
            line=dict(width=2, color=STYLE["stimulus"]["color"]),
            color=STYLE["stimulus"]["color"],
        ),
        row=1,
        col=1,
        hoverinfo="skip",
    )
    fig.add_scatter(
        x=[],
        y=[],
        mode="lines",
        name="force (model twitches, summed)",
        line=line_style("model", 2.5),
        row=2,
        col=1,
    )
    return fig


def update_motor_unit_figure(fig, t_s, emg_mV, spikes_s, y_tick: float, t_force_s, force, title: str) -> None:
    """New EMG, discharges and force for :func:`motor_unit_figure`, in place."""
    with fig.batch_update():
        if t_s is not None:
            fig.data[0].x = t_s
        fig.data[0].y = emg_mV
        fig.data[1].x, fig.data[1].y = spikes_s, [y_tick] * len(spikes_s)
        if t_force_s is not None:
            fig.data[2].x = t_force_s
        fig.data[2].y = force
        fig.layout.title.text = title


# --------------------------------------------------------------------------- (3) real records
def records_figure(
    labels: list[str], n_units: list[int], template_t_ms, templates: list, credit: str, y_mV: float = 3.5
):
    """Three needle records side by side: top row a time window of each band-passed record
    (same mV scale) with each detected unit's discharges marked; bottom row each unit's
    template (spike-triggered average, own scale per record).

    Traces, per record r in order: the signal (line), then one marker trace per unit; after
    all records, the templates (one line per unit, record by record).
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
        height=640,
        vertical_spacing=0.2,
        horizontal_spacing=0.07,
        row_heights=[0.55, 0.45],
    )
    for r in range(3):
        fig.add_scatter(
            x=[],
            y=[],
            mode="lines",
            name=f"{labels[r]}: band-passed signal",
            line=dict(color=OKABE_ITO["black"], width=1),
            row=1,
            col=r + 1,
            showlegend=False,
            hoverinfo="skip",
        )
        for u in range(n_units[r]):
            fig.add_scatter(
                x=[],
                y=[],
                mode="markers",
                name=f"unit {u + 1}",
                marker=unit_marker(u),
                row=1,
                col=r + 1,
                legendgroup=f"u{u}",
                showlegend=r == min(i for i in range(3) if n_units[i] > u),
            )
    for r in range(3):
        for u, tmpl in enumerate(templates[r]):
            fig.add_scatter(
                x=template_t_ms,
                y=tmpl,
                mode="lines",
                name=f"unit {u + 1}",
                line=unit_line(u, 2.5),
                row=2,
                col=r + 1,
                legendgroup=f"u{u}",
                showlegend=False,
                hovertemplate="%{x:.1f} ms: %{y:.2f} mV<extra></extra>",
            )
    fig.add_annotation(
        text=credit,
        xref="paper",
        yref="paper",
        x=0,
        y=-0.25,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        font=dict(size=12, color="#444444"),
    )
    fig.layout.margin.b = 150
    return fig


# --------------------------------------------------------------------------- (4) synthetic EMG
def synthetic_figure(vol_s: float, fasc_s: float, y_mV: float = 2.0):
    """Top: synthetic EMG of a voluntary contraction; bottom: fasciculations on a quiet
    baseline. Traces: 0 voluntary EMG (line), 1 fasciculation EMG (line), 2 the true
    fasciculation times (ticks)."""
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
        height=620,
        vertical_spacing=0.17,
    )
    fig.add_scatter(
        x=[0.0, vol_s],
        y=[0.0, 0.0],
        mode="lines",
        name="voluntary contraction",
        line=dict(color=OKABE_ITO["blue"], width=1),
        row=1,
        col=1,
    )
    fig.add_scatter(
        x=[0.0, fasc_s],
        y=[0.0, 0.0],
        mode="lines",
        name="fasciculations",
        line=dict(color=OKABE_ITO["black"], width=1),
        row=2,
        col=1,
    )
    fig.add_scatter(
        x=[],
        y=[],
        mode="markers",
        name="fasciculation (true time)",
        marker=dict(symbol="triangle-down", size=10, color=OKABE_ITO["vermillion"]),
        row=2,
        col=1,
        hoverinfo="skip",
    )
    return fig


def update_synthetic_figure(
    fig, vol: tuple | None, fasc: tuple | None, fasc_times_s, y_tick: float, title: str
) -> None:
    """New traces for :func:`synthetic_figure`: ``vol`` and ``fasc`` are (t_s, mV) or None
    (unchanged)."""
    with fig.batch_update():
        if vol is not None:
            fig.data[0].x, fig.data[0].y = vol
        if fasc is not None:
            fig.data[1].x, fig.data[1].y = fasc
            fig.data[2].x, fig.data[2].y = fasc_times_s, [y_tick] * len(fasc_times_s)
        fig.layout.title.text = title


# --------------------------------------------------------------------------- EC coupling
#: The steps from a nerve impulse to a twitch (hille2001; purves; dodge1967 for the Ca²⁺
#: cooperativity; schneider1973 and rios1987 for the voltage sensor in the T-tubule).
EC_STEPS = (
    ("nerve", "1 · Action potential<br>reaches the motor<br>nerve terminal"),
    ("nerve", "2 · Voltage-gated Ca²⁺<br>channels open; Ca²⁺<br>enters (Mg²⁺ competes)"),
    ("nerve", "3 · Vesicles fuse:<br>quanta of ACh<br>(release ∝ ≈ Ca⁴)"),
    ("junction", "4 · ACh opens receptor<br>channels at the end plate:<br>end-plate potential"),
    ("junction", "5 · EPP above threshold<br>(safety factor > 1):<br>muscle action potential"),
    ("muscle", "6 · The AP runs into the<br>T-tubules; voltage sensors<br>(DHPR) move"),
    ("muscle", "7 · DHPR tugs on RyR1:<br>Ca²⁺ leaves the<br>sarcoplasmic reticulum"),
    ("muscle", "8 · Ca²⁺ binds troponin;<br>myosin pulls on actin:<br>force (the twitch)"),
    ("muscle", "9 · Pumps (SERCA) take<br>Ca²⁺ back into the SR:<br>relaxation"),
)
EC_COMPARTMENTS = {
    "nerve": ("motor nerve terminal", "rgba(86, 180, 233, 0.22)", OKABE_ITO["blue"], "solid"),
    "junction": ("synaptic cleft and end plate", "rgba(230, 159, 0, 0.22)", OKABE_ITO["orange"], "dash"),
    "muscle": ("muscle fibre", "rgba(204, 121, 167, 0.22)", OKABE_ITO["reddish_purple"], "dot"),
}


_BORDER_WORD = {"solid": "solid", "dash": "dashed", "dot": "dotted"}


def ec_coupling_diagram() -> go.Figure:
    """From the nerve impulse to the twitch: nine boxes in three labelled compartments
    (nerve terminal, junction, muscle fibre), joined by arrows; boxes differ by border style
    as well as colour. No axes (a diagram, not a plot). Trace 0 holds the step texts (text
    mode); boxes are shapes, arrows and headings annotations."""
    # positions: top row 1-5 left to right, bottom row 6-9 right to left
    pos = [
        (0.1, 0.72),
        (0.3, 0.72),
        (0.5, 0.72),
        (0.7, 0.72),
        (0.9, 0.72),
        (0.9, 0.25),
        (0.65, 0.25),
        (0.4, 0.25),
        (0.15, 0.25),
    ]
    w, h = 0.088, 0.15
    shapes, ann = [], []
    for (kind, text), (x, y) in zip(EC_STEPS, pos):
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
    for k, (kind, (label, _, border, dash)) in enumerate(EC_COMPARTMENTS.items()):
        ann.append(
            dict(
                x=0.02 + 0.33 * k,
                y=1.0,
                xref="x",
                yref="y",
                xanchor="left",
                text=f"<b>{label}</b> ({_BORDER_WORD[dash]} border)",
                showarrow=False,
                font=dict(size=14, color=border),
            )
        )
    ann.append(
        dict(
            x=0.5,
            y=0.0,
            xref="x",
            yref="y",
            showarrow=False,
            text="Excitation–contraction coupling (steps 6–9) happens in every fibre "
            "of the motor unit; the twitch then rises and falls over tens of ms.",
            font=dict(size=13, color="#444444"),
        )
    )
    layout = dict(
        template=TEMPLATE_NAME,
        height=520,
        shapes=shapes,
        annotations=ann,
        title=dict(text="From nerve impulse to twitch"),
        xaxis=dict(visible=False, range=[0, 1], fixedrange=True),
        yaxis=dict(visible=False, range=[-0.05, 1.05], fixedrange=True),
        margin=dict(l=20, r=20, t=60, b=20),
        showlegend=False,
    )
    fig = go.Figure(layout=layout)
    # the step texts as one text trace (a figure with a trace renders on static pages too)
    fig.add_scatter(
        x=[p[0] for p in pos],
        y=[p[1] for p in pos],
        mode="text",
        text=[t for _, t in EC_STEPS],
        textfont=dict(size=13, color="#111111"),
        hoverinfo="skip",
        name="steps",
    )
    return fig


__all__ = [
    "release_figure",
    "update_release_figure",
    "motor_unit_figure",
    "update_motor_unit_figure",
    "records_figure",
    "synthetic_figure",
    "update_synthetic_figure",
    "ec_coupling_diagram",
    "unit_marker",
    "unit_line",
    "EC_STEPS",
]

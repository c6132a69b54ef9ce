"""The series' figure theme and small plotly builders.

One look for every notebook: Okabe–Ito colours (safe for colour-blind readers) always paired
with a line style or marker, so nothing depends on colour alone; axis titles with units;
fonts large enough for a projector. Physics lives elsewhere: these functions only draw.

Okabe M & Ito K (2008) Color Universal Design, https://jfly.uni-koeln.de/color/
(reference key ``okabe2008``).
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

#: The eight Okabe–Ito colours (hex), by name.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Colour order for generic series (yellow last: low contrast on white).
COLORWAY = [
    OKABE_ITO[k]
    for k in ("blue", "vermillion", "bluish_green", "reddish_purple", "orange", "sky_blue", "black", "yellow")
]
#: Line styles paired with COLORWAY, so that series differ in more than colour.
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash"]
#: Markers paired with COLORWAY.
MARKERS = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon"]

#: Fixed styles for things that recur across notebooks (ions, resting potential, stimulus).
STYLE = {
    "K": dict(color=OKABE_ITO["blue"], dash="solid", symbol="circle", label="K⁺"),
    "Na": dict(color=OKABE_ITO["vermillion"], dash="dash", symbol="square", label="Na⁺"),
    "Cl": dict(color=OKABE_ITO["bluish_green"], dash="dot", symbol="diamond", label="Cl⁻"),
    "Ca": dict(color=OKABE_ITO["reddish_purple"], dash="dashdot", symbol="triangle-up", label="Ca²⁺"),
    "rest": dict(color=OKABE_ITO["black"], dash="solid", symbol="star", label="resting potential"),
    "model": dict(color=OKABE_ITO["blue"], dash="solid", symbol="circle", label="model"),
    "data": dict(color=OKABE_ITO["black"], dash="solid", symbol="circle", label="recording"),
    "stimulus": dict(color=OKABE_ITO["orange"], dash="dot", symbol="cross", label="stimulus"),
}

#: Band colour for a normal/reference range (light, with a pattern-free fill).
NORMAL_BAND = "rgba(0, 158, 115, 0.12)"

TEMPLATE_NAME = "twitch"

FONT_SIZE = 16  # readable from the back of a classroom


def _build_template() -> go.layout.Template:
    axis = dict(
        showgrid=True,
        gridcolor="#DDDDDD",
        zeroline=False,
        showline=True,
        linecolor="#444444",
        ticks="outside",
        title_standoff=8,
        title_font=dict(size=FONT_SIZE + 1),
    )
    return go.layout.Template(
        layout=dict(
            font=dict(family="Arial, Helvetica, sans-serif", size=FONT_SIZE, color="#111111"),
            colorway=COLORWAY,
            paper_bgcolor="white",
            plot_bgcolor="white",
            xaxis=axis,
            yaxis=axis,
            legend=dict(bgcolor="rgba(255,255,255,0.85)", bordercolor="#999999", borderwidth=1),
            margin=dict(l=80, r=30, t=60, b=70),
            hoverlabel=dict(font_size=FONT_SIZE),
        )
    )


pio.templates[TEMPLATE_NAME] = _build_template()


def base_layout(title: str, x_title: str, y_title: str, *, unitless: tuple = (), **extra) -> dict:
    """A layout dict in the series' theme. Axis titles must carry their unit, e.g. 'time (ms)'.

    ``unitless`` names axes ('x', 'y') that are categories, not quantities, and so have no unit.
    """
    for name, text in (("x", x_title), ("y", y_title)):
        if name in unitless:
            continue
        if "(" not in text or ")" not in text:
            raise ValueError(f"{name}_title {text!r} must name its unit in brackets, e.g. 'time (ms)'.")
    layout = dict(
        template=TEMPLATE_NAME,
        title=dict(text=title),
        xaxis=dict(title=dict(text=x_title)),
        yaxis=dict(title=dict(text=y_title)),
        height=460,
    )
    layout.update(extra)
    return layout


def figure(
    title: str, x_title: str, y_title: str, *, widget: bool = False, unitless: tuple = (), **layout_extra
):
    """An empty themed figure; ``widget=True`` gives a ``go.FigureWidget`` for in-place updates.

    The layout is passed to the constructor (not set afterwards) because Voila drops layout
    changes made before a FigureWidget is first displayed.
    """
    layout = base_layout(title, x_title, y_title, unitless=unitless, **layout_extra)
    return go.FigureWidget(layout=layout) if widget else go.Figure(layout=layout)


def line_style(key: str, width: float = 3) -> dict:
    """``line=`` dict for a named style (see STYLE) or a COLORWAY index given as 'c0', 'c1' ..."""
    if key in STYLE:
        s = STYLE[key]
        return dict(color=s["color"], dash=s["dash"], width=width)
    if key.startswith("c") and key[1:].isdigit():
        i = int(key[1:]) % len(COLORWAY)
        return dict(color=COLORWAY[i], dash=DASHES[i], width=width)
    raise KeyError(f"unknown style {key!r}; use one of {sorted(STYLE)} or 'c0'..'c7'")


def marker_style(key: str, size: float = 11) -> dict:
    """``marker=`` dict for a named style (see STYLE) or 'c0'..'c7'."""
    if key in STYLE:
        s = STYLE[key]
        return dict(color=s["color"], symbol=s["symbol"], size=size, line=dict(color="white", width=1))
    if key.startswith("c") and key[1:].isdigit():
        i = int(key[1:]) % len(COLORWAY)
        return dict(color=COLORWAY[i], symbol=MARKERS[i], size=size, line=dict(color="white", width=1))
    raise KeyError(f"unknown style {key!r}; use one of {sorted(STYLE)} or 'c0'..'c7'")


def credit_annotation(text: str) -> dict:
    """A small credit line (source, licence) for the bottom-left of a figure showing a recording."""
    return dict(
        text=text,
        xref="paper",
        yref="paper",
        x=0,
        y=-0.2,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        font=dict(size=12, color="#444444"),
    )


# --------------------------------------------------------------------------- notebook 02

LADDER_IONS = ("K", "Na", "Cl", "Ca")


def membrane_ladder(widget: bool = True):
    """Equilibrium potentials and the resting potential on one voltage axis (empty; fill with
    :func:`update_membrane_ladder`).

    Each ion is a row: a segment from the resting potential to the ion's equilibrium potential
    (its length is the driving force), ending in the ion's marker. The resting potential is a
    thick vertical black line across all rows.
    """
    rows = list(range(len(LADDER_IONS)))
    fig = figure(
        "Equilibrium potentials and the resting potential",
        "membrane potential (mV)",
        "ion",
        widget=widget,
        unitless=("y",),
        yaxis=dict(
            title=dict(text="ion"),
            tickvals=rows,
            ticktext=[STYLE[i]["label"] for i in LADDER_IONS],
            range=[-0.7, len(rows) - 0.3],
            showgrid=False,
        ),
        xaxis=dict(
            title=dict(text="membrane potential, inside relative to outside (mV)"),
            range=[-160, 180],
            zeroline=True,
            zerolinecolor="#888888",
        ),
        showlegend=True,
        legend=dict(orientation="h", y=-0.25, x=0),
        margin=dict(l=80, r=30, t=60, b=110),
    )
    for row, ion in zip(rows, LADDER_IONS):
        s = STYLE[ion]
        fig.add_scatter(
            x=[0, 0],
            y=[row, row],
            mode="lines+markers+text",
            name=f"E {s['label']}",
            line=line_style(ion, width=4),
            marker=dict(color=s["color"], symbol=s["symbol"], size=[0, 16]),
            text=["", ""],
            textposition="top center",
            textfont=dict(size=15),
            hovertemplate=f"E {s['label']} = %{{x:.1f}} mV<extra></extra>",
        )
    fig.add_scatter(
        x=[0, 0],
        y=[-0.6, len(rows) - 0.4],
        mode="lines",
        name="resting potential (GHK)",
        line=dict(color="black", width=5),
        hovertemplate="resting potential = %{x:.1f} mV<extra></extra>",
    )
    return fig


def update_membrane_ladder(fig, e_mV: dict, v_rest_mV: float) -> None:
    """Move the ladder's segments to new equilibrium potentials (dict ion → mV) and V_rest (mV)."""
    lo = min(-160.0, min(e_mV.values()) - 15, v_rest_mV - 15)
    hi = max(180.0, max(e_mV.values()) + 25, v_rest_mV + 15)
    with fig.batch_update():
        for k, ion in enumerate(LADDER_IONS):
            e = e_mV[ion]
            tr = fig.data[k]
            tr.x = [v_rest_mV, e]
            tr.text = ["", f"{e:+.1f} mV"]
            # label on the far side of the marker, away from the resting-potential line
            tr.textposition = ["top center", "middle right" if e >= v_rest_mV else "middle left"]
        fig.data[len(LADDER_IONS)].x = [v_rest_mV, v_rest_mV]
        fig.layout.xaxis.range = [lo, hi]
        fig.layout.title.text = f"Resting potential {v_rest_mV:+.1f} mV, between E K⁺ and E Na⁺"


def potassium_figure(
    k_out_mM,
    e_k_mV,
    v_rest_by_ratio: dict,
    normal_range_mM: tuple,
    measured: tuple | None = None,
    widget: bool = False,
):
    """Resting potential of a muscle fibre against extracellular K⁺ (hypo- to hyperkalaemia).

    ``v_rest_by_ratio`` maps a PNa/PK label to a V_rest array; ``normal_range_mM`` is shaded;
    ``measured`` is an optional (K mM, V mV, label) point.
    """
    fig = figure(
        "Muscle fibre resting potential and blood potassium",
        "extracellular potassium [K⁺]o (mmol/L)",
        "membrane potential (mV)",
        widget=widget,
        legend=dict(x=0.99, xanchor="right", y=0.02, yanchor="bottom"),
    )
    lo, hi = normal_range_mM
    fig.add_vrect(
        x0=lo,
        x1=hi,
        fillcolor=NORMAL_BAND,
        line_width=0,
        layer="below",
        annotation_text="normal range",
        annotation_position="top left",
    )
    fig.add_scatter(x=k_out_mM, y=e_k_mV, mode="lines", name="E K⁺ (Nernst)", line=line_style("K"))
    for i, (label, v) in enumerate(v_rest_by_ratio.items()):
        fig.add_scatter(
            x=k_out_mM,
            y=v,
            mode="lines",
            name=f"resting potential, GHK, {label}",
            line=dict(color="black", dash=["solid", "dash", "dot"][i % 3], width=3),
        )
    if measured is not None:
        k, v, label = measured
        fig.add_scatter(x=[k], y=[v], mode="markers", name=label, marker=marker_style("c1", 14))
    return fig


# ---- notebook 01
# Figures for notebook 01 (twitch, spasm, cramp): one unit's force against its firing rate beside
# real recordings, the fit of the twitch kernel to a recorded twitch, and a spike raster above
# the force of the motor-unit pool. Builders return empty (or static) figures; ``update_*``
# functions move the data in place inside ``batch_update``.

#: Subplot domains shared by the notebook 01 figures (left/right; raster above force).
_N01_LEFT, _N01_RIGHT = [0.0, 0.56], [0.66, 1.0]
_N01_RASTER, _N01_FORCE = [0.45, 1.0], [0.0, 0.35]


def rate_figure(recordings: dict | None = None, credit: str = "", y_max: float = 10.5, widget: bool = True):
    """Left: one motor unit's force (model) for a spike train; right: recorded twitch and tetanus.

    Both panels show force in multiples of one twitch's peak (model: P = 1; recordings: force
    above baseline divided by the twitch's amplitude), so their heights compare directly.
    ``recordings`` maps a label to ``(t_ms, force_rel)`` (at most two: twitch, then tetanus).
    Trace order: 0 model force (line), 1 spikes (tick markers), then the recordings.
    """
    fig = figure(
        "One motor unit: firing rate → force",
        "time (s)",
        "force (× one twitch's peak)",
        widget=widget,
        height=500,
        xaxis=dict(domain=_N01_LEFT, title=dict(text="time (s)")),
        yaxis=dict(range=[-0.6, y_max], title=dict(text="force (× one twitch's peak)")),
        xaxis2=dict(domain=_N01_RIGHT, anchor="y2", title=dict(text="time after 1st stimulus (ms)")),
        yaxis2=dict(
            anchor="x2",
            title=dict(text="force (× twitch amplitude)"),
            showline=True,
            linecolor="#444444",
            ticks="outside",
            showgrid=True,
            gridcolor="#DDDDDD",
            zeroline=False,
        ),
        legend=dict(orientation="h", y=-0.2, x=0),
        margin=dict(l=80, r=30, t=70, b=150),
    )
    fig.add_scatter(
        x=[0.0, 1.0],
        y=[0.0, 0.0],
        mode="lines",
        name="model: force of one unit",
        line=line_style("model", 2.5),
        hovertemplate="%{x:.3f} s: %{y:.2f}× twitch<extra></extra>",
    )
    fig.add_scatter(
        x=[],
        y=[],
        mode="markers",
        name="model: spikes (stimuli)",
        marker=dict(
            color=STYLE["stimulus"]["color"],
            symbol="line-ns-open",
            size=10,
            line=dict(width=2, color=STYLE["stimulus"]["color"]),
        ),
        hoverinfo="skip",
    )
    styles = [
        dict(color=OKABE_ITO["black"], dash="solid", width=2.5),
        dict(color=OKABE_ITO["vermillion"], dash="dash", width=2.5),
    ]
    for k, (label, (t_ms, f_rel)) in enumerate((recordings or {}).items()):
        fig.add_scatter(
            x=t_ms,
            y=f_rel,
            mode="lines",
            name=label,
            line=styles[k % 2],
            xaxis="x2",
            yaxis="y2",
            hovertemplate="%{x:.1f} ms: %{y:.2f}×<extra></extra>",
        )
    if credit:
        fig.add_annotation(**(credit_annotation(credit) | dict(y=-0.33)))
    fig.add_annotation(
        text="model (one motor unit)",
        xref="paper",
        yref="paper",
        x=0.0,
        y=1.02,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
    )
    fig.add_annotation(
        text="recordings (whole muscle)",
        xref="paper",
        yref="paper",
        x=0.66,
        y=1.02,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
    )
    return fig


def update_rate_figure(fig, t_s, force_rel, spikes_s, title: str) -> None:
    """New model force (× twitch peak) and spike times (s) for :func:`rate_figure`, in place.

    ``t_s=None`` keeps the time axis already sent (only the force values travel).
    """
    with fig.batch_update():
        if t_s is not None:
            fig.data[0].x = t_s
        fig.data[0].y = force_rel
        fig.data[1].x = spikes_s
        fig.data[1].y = [-0.3] * len(spikes_s)
        fig.layout.title.text = title


def twitch_fit_figure(
    t_ms, force_mN, fit_mN, marks: dict | None = None, credit: str = "", widget: bool = True
):
    """A recorded twitch (black line) with the fitted kernel (blue dashed) on top.

    ``marks`` maps a label to ``(t_ms, force_mN)`` points drawn as markers (e.g. the peak and
    the half-relaxation point measured on the data).
    """
    fig = figure(
        "Recorded twitch and the fitted twitch kernel",
        "time after the stimulus (ms)",
        "force (mN)",
        widget=widget,
        legend=dict(x=0.99, xanchor="right", y=0.98),
        margin=dict(l=80, r=30, t=60, b=110),
    )
    fig.add_scatter(x=t_ms, y=force_mN, mode="lines", name="recording", line=line_style("data", 2.5))
    fig.add_scatter(
        x=t_ms,
        y=fit_mN,
        mode="lines",
        name="fitted kernel",
        line=dict(color=STYLE["model"]["color"], dash="dash", width=3),
    )
    for k, (label, (x, y)) in enumerate((marks or {}).items()):
        fig.add_scatter(x=[x], y=[y], mode="markers", name=label, marker=marker_style(f"c{k + 2}", 14))
    if credit:
        fig.add_annotation(**credit_annotation(credit))
    return fig


def raster_force_figure(
    title: str,
    y_units_title: str = "motor unit (1 = smallest)",
    n_units: int = 120,
    widget: bool = True,
    steady: bool = False,
):
    """A spike raster (top; one tick per spike, one row per unit) above the force (bottom).

    Trace order: 0 raster (WebGL markers), 1 force (line), and with ``steady=True`` 2 the
    steady force of the mean-rate approximation (dashed line). Both panels share the time axis.
    """
    fig = figure(
        title,
        "time (s)",
        "force (% of maximum)",
        widget=widget,
        unitless=(),
        height=560,
        xaxis=dict(domain=[0, 1], anchor="y", title=dict(text="time (s)")),
        yaxis=dict(domain=_N01_FORCE, title=dict(text="force (% of max)"), rangemode="tozero"),
        yaxis2=dict(
            domain=_N01_RASTER,
            anchor="x",
            range=[0, n_units + 1],
            title=dict(text=y_units_title),
            showline=True,
            linecolor="#444444",
            ticks="outside",
            showgrid=True,
            gridcolor="#DDDDDD",
            zeroline=False,
        ),
        legend=dict(orientation="h", y=-0.16, x=0),
        margin=dict(l=80, r=30, t=60, b=110),
    )
    fig.add_scattergl(
        x=[],
        y=[],
        mode="markers",
        name="spikes (one tick per discharge)",
        yaxis="y2",
        marker=dict(symbol="line-ns-open", size=7, color="black", line=dict(width=1.5, color="black")),
        hoverinfo="skip",
    )
    fig.add_scatter(
        x=[],
        y=[],
        mode="lines",
        name="force",
        line=line_style("model", 2.5),
        hovertemplate="%{x:.2f} s: %{y:.1f} %<extra></extra>",
    )
    if steady:
        fig.add_scatter(
            x=[],
            y=[],
            mode="lines",
            name="steady force (mean-rate model)",
            line=dict(color=OKABE_ITO["vermillion"], dash="dash", width=2.5),
        )
    return fig


def update_raster_force(
    fig, spike_t_s, spike_unit, t_s, force, title: str, steady=None, x_max_s: float | None = None
) -> None:
    """Move the raster, the force and (if the figure has it) the steady line, in place."""
    with fig.batch_update():
        fig.data[0].x = spike_t_s
        fig.data[0].y = spike_unit
        fig.data[1].x = t_s
        fig.data[1].y = force
        if steady is not None and len(fig.data) > 2:
            fig.data[2].x = [float(t_s[0]), float(t_s[-1])]
            fig.data[2].y = [steady, steady]
        if x_max_s is not None:
            fig.layout.xaxis.range = [0, x_max_s]
        fig.layout.title.text = title


# ---- notebook 03
# Figures for notebook 03 (the action potential). Each builder returns a FigureWidget with its
# whole layout given in the constructor (subplots via make_subplots); the panels in
# ``utils.hh_widgets`` fill and move the traces in place inside ``batch_update``. Trace order is
# part of each builder's contract (documented in its docstring).

import numpy as np  # noqa: E402  (used only by the notebook 03 builders)

#: Line styles of the three gates (Na⁺ gates in the Na⁺ colours, the K⁺ gate in the K⁺ style).
GATE_STYLE = {
    "m": dict(color=OKABE_ITO["vermillion"], dash="dash", width=2.5),
    "h": dict(color=OKABE_ITO["reddish_purple"], dash="dot", width=2.5),
    "n": dict(color=OKABE_ITO["blue"], dash="solid", width=2.5),
}
#: Style of "the point you chose" on a summary curve: a large black star (shape, not colour).
CURRENT_POINT = dict(color=OKABE_ITO["black"], symbol="star", size=17, line=dict(color="white", width=1))
#: Reference marks (a threshold, an onset): orange with a cross marker / dotted line.
REFERENCE_LINE = dict(color=OKABE_ITO["orange"], dash="dot", width=2.5)


def axis(title: str, **extra) -> dict:
    """A themed axis dict for subplots beyond the first (the template styles only x/y)."""
    return dict(
        title=dict(text=title),
        showline=True,
        linecolor="#444444",
        ticks="outside",
        showgrid=True,
        gridcolor="#DDDDDD",
        zeroline=False,
        **extra,
    )


def subplots_widget(
    rows: int, cols: int, titles: list[str], axes: dict, height: int, **kw
) -> "go.FigureWidget":
    """make_subplots in the series theme, wrapped as a FigureWidget (layout in the
    constructor). ``axes`` maps 'xaxis', 'yaxis2', ... to axis titles (with units) or dicts."""
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, **kw)
    layout = dict(
        template=TEMPLATE_NAME,
        height=height,
        legend=dict(orientation="h", y=-0.14, x=0, yanchor="top"),
        margin=dict(l=80, r=30, t=70, b=120),
    )
    for name, spec in axes.items():
        spec = dict(title=dict(text=spec)) if isinstance(spec, str) else spec
        if "(" not in spec["title"]["text"]:
            raise ValueError(f"{name} title {spec['title']['text']!r} must name its unit")
        layout[name] = axis(spec.pop("title")["text"], **spec)
    fig.update_layout(**layout)
    return go.FigureWidget(fig)


def threshold_figure(
    durations_ms,
    thresholds_uA,
    ref_duration_ms: float,
    ref_threshold_uA: float,
    t_max_ms: float,
    amp_max_uA: float,
):
    """Panel 1: a current pulse → V and the gates (left); all-or-none and strength–duration
    (right).

    Traces: 0 V (line), 1 m, 2 h, 3 n (lines), 4 peak V against amplitude for this duration
    (line + markers), 5 your pulse on it (star), 6 threshold for this duration (dotted
    vertical), 7 strength–duration curve (line), 8 the reference threshold (cross), 9 your pulse
    in the duration–amplitude plane (star). Shape 0 shades the pulse on the V plot.
    """
    fig = subplots_widget(
        2,
        2,
        [
            "membrane potential",
            "all-or-none: peak against amplitude",
            "gates (fraction open)",
            "threshold against pulse duration",
        ],
        {
            "xaxis": dict(title=dict(text="time (ms)"), range=[0, t_max_ms]),
            "yaxis": dict(title=dict(text="membrane potential (mV)"), range=[-85, 55]),
            "xaxis2": dict(title=dict(text="pulse amplitude (µA/cm²)"), range=[0, amp_max_uA]),
            "yaxis2": dict(title=dict(text="highest potential reached (mV)"), range=[-75, 55]),
            "xaxis3": dict(title=dict(text="time (ms)"), range=[0, t_max_ms]),
            "yaxis3": dict(title=dict(text="fraction open (0–1)"), range=[0, 1.02]),
            "xaxis4": dict(title=dict(text="pulse duration (ms)"), type="log"),
            "yaxis4": dict(title=dict(text="threshold amplitude (µA/cm²)"), type="log"),
        },
        height=720,
        column_widths=[0.58, 0.42],
        horizontal_spacing=0.12,
        vertical_spacing=0.16,
        shared_xaxes=False,
    )
    fig.add_scatter(
        x=[],
        y=[],
        mode="lines",
        name="membrane potential V",
        line=line_style("model", 3),
        row=1,
        col=1,
        hovertemplate="%{x:.2f} ms: %{y:.1f} mV<extra></extra>",
    )
    for g, label in (("m", "m: Na⁺ activation"), ("h", "h: Na⁺ inactivation"), ("n", "n: K⁺ activation")):
        fig.add_scatter(x=[], y=[], mode="lines", name=label, line=GATE_STYLE[g], row=2, col=1)
    fig.add_scatter(
        x=[],
        y=[],
        mode="lines+markers",
        name="peak for this duration",
        line=dict(color=OKABE_ITO["bluish_green"], dash="solid", width=2),
        marker=dict(symbol="diamond", size=7, color=OKABE_ITO["bluish_green"]),
        row=1,
        col=2,
    )
    fig.add_scatter(x=[], y=[], mode="markers", name="your pulse", marker=CURRENT_POINT, row=1, col=2)
    fig.add_scatter(
        x=[], y=[], mode="lines", name="threshold", line=REFERENCE_LINE, row=1, col=2, showlegend=False
    )
    fig.add_scatter(
        x=durations_ms,
        y=thresholds_uA,
        mode="lines",
        name="threshold (model)",
        line=dict(color=OKABE_ITO["bluish_green"], dash="solid", width=3),
        row=2,
        col=2,
    )
    fig.add_scatter(
        x=[ref_duration_ms],
        y=[ref_threshold_uA],
        mode="markers+text",
        name=f"{ref_threshold_uA:.2f} µA/cm² at {ref_duration_ms:g} ms",
        text=[f"{ref_threshold_uA:.2f}"],
        textposition="bottom left",
        marker=dict(color=OKABE_ITO["orange"], symbol="x", size=14),
        row=2,
        col=2,
    )
    fig.add_scatter(
        x=[], y=[], mode="markers", name="your pulse", marker=CURRENT_POINT, row=2, col=2, showlegend=False
    )
    fig.add_vrect(x0=1, x1=2, fillcolor="rgba(230, 159, 0, 0.18)", line_width=0, layer="below", row=1, col=1)
    fig.add_annotation(
        text="fires",
        x=0.96,
        y=0.40,
        xref="paper",
        yref="paper",
        showarrow=False,
        font=dict(size=14, color="#444444"),
    )
    fig.add_annotation(
        text="fails",
        x=0.62,
        y=0.03,
        xref="paper",
        yref="paper",
        showarrow=False,
        font=dict(size=14, color="#444444"),
    )
    return fig


def update_threshold_figure(
    fig, t_ms, v_mV, gates: dict, pulse: tuple, aon: tuple, point: tuple, threshold_uA: float, title: str
) -> None:
    """Move panel 1's traces in place: ``pulse`` (start, end) ms; ``aon`` (amplitudes, peaks);
    ``point`` (duration, amplitude, peak)."""
    d, a, pk = point
    with fig.batch_update():
        fig.data[0].x, fig.data[0].y = t_ms, v_mV
        for k, g in enumerate("mhn", start=1):
            fig.data[k].x, fig.data[k].y = t_ms, gates[g]
        fig.data[4].x, fig.data[4].y = aon
        fig.data[5].x, fig.data[5].y = [a], [pk]
        fig.data[6].x, fig.data[6].y = [threshold_uA, threshold_uA], [-75, 55]
        fig.data[9].x, fig.data[9].y = [d], [max(a, 1e-3)]
        fig.layout.shapes[0].x0, fig.layout.shapes[0].x1 = pulse
        fig.layout.title.text = title


def refractory_figure(intervals_ms, thresholds_uA, single_uA: float, cap_uA: float, t_max_ms: float):
    """Panel 2: paired pulses → V (left); test threshold against interval (right, log axis).

    Traces: 0 V (line), 1 threshold curve (gaps where no pulse up to ``cap_uA`` fires),
    2 single-pulse threshold (dotted line), 3 your test pulse (star). Shapes 0 and 1 shade the
    conditioning and the test pulse on the V plot.
    """
    fig = subplots_widget(
        1,
        2,
        ["two pulses", "how strong must the second pulse be?"],
        {
            "xaxis": dict(title=dict(text="time (ms)"), range=[0, t_max_ms]),
            "yaxis": dict(title=dict(text="membrane potential (mV)"), range=[-85, 55]),
            "xaxis2": dict(title=dict(text="interval between pulse onsets (ms)")),
            "yaxis2": dict(
                title=dict(text="test-pulse threshold (µA/cm²)"),
                type="log",
                range=[0.5, float(np.log10(cap_uA * 1.6))],
            ),
        },
        height=500,
        column_widths=[0.55, 0.45],
        horizontal_spacing=0.13,
    )
    fig.add_scatter(
        x=[], y=[], mode="lines", name="membrane potential V", line=line_style("model", 3), row=1, col=1
    )
    finite = np.where(np.isfinite(thresholds_uA), thresholds_uA, np.nan)
    fig.add_scatter(
        x=intervals_ms,
        y=finite,
        mode="lines+markers",
        name="test threshold (model)",
        line=dict(color=OKABE_ITO["bluish_green"], width=3),
        marker=dict(symbol="diamond", size=6, color=OKABE_ITO["bluish_green"]),
        row=1,
        col=2,
        connectgaps=False,
    )
    fig.add_scatter(
        x=[float(np.min(intervals_ms)), float(np.max(intervals_ms))],
        y=[single_uA, single_uA],
        mode="lines",
        name=f"threshold at rest ({single_uA:.2f} µA/cm²)",
        line=REFERENCE_LINE,
        row=1,
        col=2,
    )
    fig.add_scatter(x=[], y=[], mode="markers", name="your test pulse", marker=CURRENT_POINT, row=1, col=2)
    for _ in range(2):
        fig.add_vrect(
            x0=1, x1=2, fillcolor="rgba(230, 159, 0, 0.18)", line_width=0, layer="below", row=1, col=1
        )
    return fig


def update_refractory_figure(fig, t_ms, v_mV, test_window_ms: tuple, point: tuple, title: str) -> None:
    """Move panel 2's V trace, the shaded test pulse and the chosen (interval, amplitude)
    point in place."""
    with fig.batch_update():
        fig.data[0].x, fig.data[0].y = t_ms, v_mV
        fig.data[3].x, fig.data[3].y = [point[0]], [max(point[1], 1e-3)]
        fig.layout.shapes[1].x0, fig.layout.shapes[1].x1 = test_window_ms
        fig.layout.title.text = title


def firing_figure(fi_currents, fi_rates, rheobase_uA: float, onset_uA: float, t_max_ms: float):
    """Panel 3: a steady current → V (left); the f–I curve with your current (right).

    Traces: 0 V (line), 1 f–I curve, 2 rheobase (dotted), 3 onset of repetitive firing
    (dash-dot), 4 your current (star).
    """
    fig = subplots_widget(
        1,
        2,
        ["membrane potential", "firing rate against current (f–I)"],
        {
            "xaxis": dict(title=dict(text="time (ms)"), range=[0, t_max_ms]),
            "yaxis": dict(title=dict(text="membrane potential (mV)"), range=[-85, 55]),
            "xaxis2": dict(title=dict(text="step current (µA/cm²)")),
            "yaxis2": dict(
                title=dict(text="steady firing rate (Hz)"),
                range=[-4, max(120.0, float(np.max(fi_rates)) + 10)],
            ),
        },
        height=500,
        column_widths=[0.55, 0.45],
        horizontal_spacing=0.12,
    )
    fig.add_scatter(
        x=[], y=[], mode="lines", name="membrane potential V", line=line_style("model", 2), row=1, col=1
    )
    fig.add_scatter(
        x=fi_currents,
        y=fi_rates,
        mode="lines+markers",
        name="f–I (model)",
        line=dict(color=OKABE_ITO["bluish_green"], width=3),
        marker=dict(symbol="diamond", size=5, color=OKABE_ITO["bluish_green"]),
        row=1,
        col=2,
    )
    fig.add_scatter(
        x=[rheobase_uA, rheobase_uA],
        y=[-4, 110],
        mode="lines",
        name=f"rheobase {rheobase_uA:.2f} µA/cm²",
        line=REFERENCE_LINE,
        row=1,
        col=2,
    )
    fig.add_scatter(
        x=[onset_uA, onset_uA],
        y=[-4, 110],
        mode="lines",
        name=f"repetitive firing from {onset_uA:.2f} µA/cm²",
        line=dict(color=OKABE_ITO["reddish_purple"], dash="dashdot", width=2.5),
        row=1,
        col=2,
    )
    fig.add_scatter(x=[], y=[], mode="markers", name="your current", marker=CURRENT_POINT, row=1, col=2)
    return fig


def update_firing_figure(fig, t_ms, v_mV, point: tuple, title: str) -> None:
    """Move panel 3's V trace and the chosen (current, rate) point in place."""
    with fig.batch_update():
        fig.data[0].x, fig.data[0].y = t_ms, v_mV
        fig.data[4].x, fig.data[4].y = [point[0]], [point[1]]
        fig.layout.title.text = title


def clamp_figure(v_steps_mV, peak_gna, steady_gk, t_max_ms: float):
    """Panel 4: a voltage-clamp step → gNa(t) and gK(t) (left); peak gNa and steady gK against
    the step potential (right).

    Traces: 0 gNa(t), 1 gK(t), 2 peak gNa curve, 3 steady gK curve, 4 your step on the gNa
    curve (star), 5 your step on the gK curve (star).
    """
    na, k = STYLE["Na"], STYLE["K"]
    fig = subplots_widget(
        1,
        2,
        ["conductances after the step", "against the step potential"],
        {
            "xaxis": dict(title=dict(text="time after the step (ms)"), range=[-1, t_max_ms]),
            "yaxis": dict(title=dict(text="conductance (mS/cm²)"), range=[-1, 42]),
            "xaxis2": dict(title=dict(text="clamp step potential (mV)")),
            "yaxis2": dict(title=dict(text="conductance (mS/cm²)"), range=[-1, 42]),
        },
        height=500,
        column_widths=[0.55, 0.45],
        horizontal_spacing=0.12,
    )
    fig.add_scatter(x=[], y=[], mode="lines", name="g Na⁺", line=line_style("Na", 3), row=1, col=1)
    fig.add_scatter(x=[], y=[], mode="lines", name="g K⁺", line=line_style("K", 3), row=1, col=1)
    fig.add_scatter(
        x=v_steps_mV,
        y=peak_gna,
        mode="lines+markers",
        name="peak g Na⁺",
        line=dict(color=na["color"], dash=na["dash"], width=2),
        marker=dict(symbol=na["symbol"], size=6, color=na["color"]),
        row=1,
        col=2,
    )
    fig.add_scatter(
        x=v_steps_mV,
        y=steady_gk,
        mode="lines+markers",
        name="steady g K⁺",
        line=dict(color=k["color"], dash=k["dash"], width=2),
        marker=dict(symbol=k["symbol"], size=6, color=k["color"]),
        row=1,
        col=2,
    )
    fig.add_scatter(x=[], y=[], mode="markers", name="your step", marker=CURRENT_POINT, row=1, col=2)
    fig.add_scatter(
        x=[], y=[], mode="markers", name="your step", marker=CURRENT_POINT, row=1, col=2, showlegend=False
    )
    return fig


def update_clamp_figure(
    fig, t_ms, g_na, g_k, v_step_mV: float, peak_gna: float, steady_gk: float, title: str
) -> None:
    """Move panel 4's conductance traces and the two chosen points in place."""
    with fig.batch_update():
        fig.data[0].x, fig.data[0].y = t_ms, g_na
        fig.data[1].x, fig.data[1].y = t_ms, g_k
        fig.data[4].x, fig.data[4].y = [v_step_mV], [peak_gna]
        fig.data[5].x, fig.data[5].y = [v_step_mV], [steady_gk]
        fig.layout.title.text = title


def recording_figure(
    rec_currents_pA,
    rec_rates_Hz,
    model_currents,
    model_rates,
    t_max_s: float,
    credit: str = "",
    v_range=(-115, 75),
):
    """A recorded cell beside the model: one sweep (top), the recording's f–I (bottom left) and
    the model's f–I (bottom right), both in Hz so their shapes compare.

    Traces: 0 recorded V (line), 1 counted spikes (markers), 2 recording f–I, 3 this sweep on
    it (star), 4 model f–I. Shape 0 shades the current step on the sweep.
    """
    fig = subplots_widget(
        2,
        2,
        ["one recorded sweep", "", "recorded cell: f–I", "squid-axon model: f–I"],
        {
            "xaxis": dict(title=dict(text="time (s)"), range=[0, t_max_s]),
            "yaxis": dict(title=dict(text="membrane potential (mV)"), range=list(v_range)),
            "xaxis2": dict(title=dict(text="injected current (pA)")),
            "yaxis2": dict(title=dict(text="firing rate (Hz)"), rangemode="tozero"),
            "xaxis3": dict(title=dict(text="step current (µA/cm²)")),
            "yaxis3": dict(title=dict(text="firing rate (Hz)"), rangemode="tozero"),
        },
        height=760,
        specs=[[{"colspan": 2}, None], [{}, {}]],
        vertical_spacing=0.2,
        horizontal_spacing=0.12,
    )
    fig.add_scatter(
        x=[],
        y=[],
        mode="lines",
        name="recorded membrane potential",
        line=line_style("data", 1.5),
        row=1,
        col=1,
    )
    fig.add_scatter(
        x=[],
        y=[],
        mode="markers",
        name="spikes counted",
        marker=dict(symbol="triangle-down", size=9, color=OKABE_ITO["vermillion"]),
        row=1,
        col=1,
    )
    fig.add_scatter(
        x=rec_currents_pA,
        y=rec_rates_Hz,
        mode="lines+markers",
        name="recording: spikes per second during the step",
        line=line_style("data", 2.5),
        marker=marker_style("data", 9),
        row=2,
        col=1,
    )
    fig.add_scatter(x=[], y=[], mode="markers", name="this sweep", marker=CURRENT_POINT, row=2, col=1)
    fig.add_scatter(
        x=model_currents,
        y=model_rates,
        mode="lines",
        name="model: steady rate",
        line=dict(color=OKABE_ITO["bluish_green"], width=3),
        row=2,
        col=2,
    )
    fig.add_vrect(x0=0, x1=0, fillcolor="rgba(230, 159, 0, 0.18)", line_width=0, layer="below", row=1, col=1)
    if credit:
        fig.add_annotation(**(credit_annotation(credit) | dict(y=-0.2)))
    return fig


def update_recording_figure(
    fig, t_s, v_mV, spike_t_s, spike_v_mV, window_s: tuple, point: tuple, title: str
) -> None:
    """Show another sweep in place: its (decimated) trace, counted spikes, step window and
    (current, rate) point."""
    with fig.batch_update():
        fig.data[0].x, fig.data[0].y = t_s, v_mV
        fig.data[1].x, fig.data[1].y = spike_t_s, spike_v_mV
        fig.data[3].x, fig.data[3].y = [point[0]], [point[1]]
        fig.layout.shapes[0].x0, fig.layout.shapes[0].x1 = window_s
        fig.layout.title.text = title


def spike_shape_figure(model: tuple, recorded: tuple | None, credit: str = ""):
    """One model spike and one recorded spike, each aligned at its peak (t = 0).

    ``model`` and ``recorded`` are ``(t_ms, v_mV, label)``; ``recorded`` may be None (no data).
    """
    fig = figure(
        "One spike, model and recording, aligned at the peak",
        "time from the peak (ms)",
        "membrane potential (mV)",
        widget=True,
        xaxis=dict(title=dict(text="time from the peak (ms)"), range=[-4, 8]),
        legend=dict(x=0.99, xanchor="right", y=0.98),
        margin=dict(l=80, r=30, t=60, b=110),
    )
    fig.add_scatter(x=model[0], y=model[1], mode="lines", name=model[2], line=line_style("model", 3))
    if recorded is not None:
        fig.add_scatter(
            x=recorded[0],
            y=recorded[1],
            mode="lines",
            name=recorded[2],
            line=dict(color=OKABE_ITO["black"], dash="dash", width=3),
        )
    if credit:
        fig.add_annotation(**credit_annotation(credit))
    return fig

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
COLORWAY = [OKABE_ITO[k] for k in ("blue", "vermillion", "bluish_green", "reddish_purple",
                                   "orange", "sky_blue", "black", "yellow")]
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
    axis = dict(showgrid=True, gridcolor="#DDDDDD", zeroline=False, showline=True,
                linecolor="#444444", ticks="outside", title_standoff=8,
                title_font=dict(size=FONT_SIZE + 1))
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
    layout = dict(template=TEMPLATE_NAME, title=dict(text=title),
                  xaxis=dict(title=dict(text=x_title)),
                  yaxis=dict(title=dict(text=y_title)), height=460)
    layout.update(extra)
    return layout


def figure(title: str, x_title: str, y_title: str, *, widget: bool = False, unitless: tuple = (),
           **layout_extra):
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
        return dict(color=s["color"], symbol=s["symbol"], size=size,
                    line=dict(color="white", width=1))
    if key.startswith("c") and key[1:].isdigit():
        i = int(key[1:]) % len(COLORWAY)
        return dict(color=COLORWAY[i], symbol=MARKERS[i], size=size,
                    line=dict(color="white", width=1))
    raise KeyError(f"unknown style {key!r}; use one of {sorted(STYLE)} or 'c0'..'c7'")


def credit_annotation(text: str) -> dict:
    """A small credit line (source, licence) for the bottom-left of a figure showing a recording."""
    return dict(text=text, xref="paper", yref="paper", x=0, y=-0.2, xanchor="left",
                yanchor="top", showarrow=False, font=dict(size=12, color="#444444"))


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
    fig = figure("Equilibrium potentials and the resting potential", "membrane potential (mV)",
                 "ion", widget=widget, unitless=("y",),
                 yaxis=dict(title=dict(text="ion"), tickvals=rows,
                            ticktext=[STYLE[i]["label"] for i in LADDER_IONS],
                            range=[-0.7, len(rows) - 0.3], showgrid=False),
                 xaxis=dict(title=dict(text="membrane potential, inside relative to outside (mV)"),
                            range=[-160, 180], zeroline=True, zerolinecolor="#888888"),
                 showlegend=True, legend=dict(orientation="h", y=-0.25, x=0),
                 margin=dict(l=80, r=30, t=60, b=110))
    for row, ion in zip(rows, LADDER_IONS):
        s = STYLE[ion]
        fig.add_scatter(x=[0, 0], y=[row, row], mode="lines+markers+text", name=f"E {s['label']}",
                        line=line_style(ion, width=4),
                        marker=dict(color=s["color"], symbol=s["symbol"], size=[0, 16]),
                        text=["", ""], textposition="top center", textfont=dict(size=15),
                        hovertemplate=f"E {s['label']} = %{{x:.1f}} mV<extra></extra>")
    fig.add_scatter(x=[0, 0], y=[-0.6, len(rows) - 0.4], mode="lines",
                    name="resting potential (GHK)", line=dict(color="black", width=5),
                    hovertemplate="resting potential = %{x:.1f} mV<extra></extra>")
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
        fig.data[len(LADDER_IONS)].x = [v_rest_mV, v_rest_mV]
        fig.layout.xaxis.range = [lo, hi]
        fig.layout.title.text = f"Resting potential {v_rest_mV:+.1f} mV, between E K⁺ and E Na⁺"


def potassium_figure(k_out_mM, e_k_mV, v_rest_by_ratio: dict, normal_range_mM: tuple,
                     measured: tuple | None = None, widget: bool = False):
    """Resting potential of a muscle fibre against extracellular K⁺ (hypo- to hyperkalaemia).

    ``v_rest_by_ratio`` maps a PNa/PK label to a V_rest array; ``normal_range_mM`` is shaded;
    ``measured`` is an optional (K mM, V mV, label) point.
    """
    fig = figure("Muscle fibre resting potential and blood potassium",
                 "extracellular potassium [K⁺]o (mmol/L)", "membrane potential (mV)",
                 widget=widget, legend=dict(x=0.99, xanchor="right", y=0.02, yanchor="bottom"))
    lo, hi = normal_range_mM
    fig.add_vrect(x0=lo, x1=hi, fillcolor=NORMAL_BAND, line_width=0, layer="below",
                  annotation_text="normal range", annotation_position="top left")
    fig.add_scatter(x=k_out_mM, y=e_k_mV, mode="lines", name="E K⁺ (Nernst)", line=line_style("K"))
    for i, (label, v) in enumerate(v_rest_by_ratio.items()):
        fig.add_scatter(x=k_out_mM, y=v, mode="lines", name=f"resting potential, GHK, {label}",
                        line=dict(color="black", dash=["solid", "dash", "dot"][i % 3], width=3))
    if measured is not None:
        k, v, label = measured
        fig.add_scatter(x=[k], y=[v], mode="markers", name=label, marker=marker_style("c1", 14))
    return fig

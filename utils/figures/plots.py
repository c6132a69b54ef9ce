"""The series' figure theme and small plotly builders.

One look for every notebook: Okabe–Ito colours (safe for colour-blind readers) always paired
with a line style or marker, so nothing depends on colour alone; axis titles with units;
fonts large enough for a projector. Physics lives elsewhere: these functions only draw.

Okabe M & Ito K (2008) Color Universal Design, https://jfly.uni-koeln.de/color/
(reference key ``okabe2008``).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from ..validation import UnknownKeyError, check_bool, check_instance, check_int, check_range
from .widget import PlotlyFigure


class StaticFigure(go.Figure):
    """A ``go.Figure`` shown without plotly's renderer machinery.

    In a kernel, showing a plain ``go.Figure`` loads ``plotly.io._renderers``, which imports nbformat ->
    jsonschema -> ``rfc3987_syntax`` (a grammar built at import: 1.5-2.5 s here, issue 20) only to
    check nbformat's version. This subclass gives IPython the same mime bundle plotly's default
    renderer gives (``application/vnd.plotly.v1+json``: data and layout), built directly. Everything
    else (``fig.show()``, ``pio.to_html``, static export) is plain plotly.
    """

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        import json  # noqa: PLC0415

        from plotly.utils import PlotlyJSONEncoder  # noqa: PLC0415

        fig = json.loads(json.dumps(self.to_plotly_json(), cls=PlotlyJSONEncoder))
        return {"application/vnd.plotly.v1+json": {"data": fig["data"], "layout": fig["layout"]}}

    def _ipython_display_(self):
        from IPython.display import display  # noqa: PLC0415

        display(self._repr_mimebundle_(), raw=True)


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
    """An empty themed figure; ``widget=True`` gives a :class:`PlotlyFigure` for in-place updates
    (the kernel's state is what every view draws)."""
    layout = base_layout(title, x_title, y_title, unitless=unitless, **layout_extra)
    return PlotlyFigure(go.Figure(layout=layout)) if widget else go.Figure(layout=layout)


def line_style(key: str, width: float = 3) -> dict:
    """``line=`` dict for a named style (see STYLE) or a COLORWAY index given as 'c0', 'c1' ..."""
    s = _style(key)
    width = check_range(width, "width", "px", lo=0.1, hi=50.0, what="line width")
    return dict(color=s["color"], dash=s["dash"], width=width)


def _style(key) -> dict:
    """Colour, dash and marker symbol of a style of STYLE or of a COLORWAY index ('c0', 'c1', ...)."""
    key = check_instance(key, "key", str, what="a style name")
    if key in STYLE:
        return STYLE[key]
    if key.startswith("c") and key[1:].isascii() and key[1:].isdigit():
        i = int(key[1:]) % len(COLORWAY)
        return dict(color=COLORWAY[i], dash=DASHES[i], symbol=MARKERS[i])
    raise UnknownKeyError(f"key = {key!r} is not a style; use one of {sorted(STYLE)} or 'c0'..'c7'.")


def marker_style(key: str, size: float = 11) -> dict:
    """``marker=`` dict for a named style (see STYLE) or 'c0'..'c7'."""
    s = _style(key)
    size = check_range(size, "size", "px", lo=1.0, hi=100.0, what="marker size")
    return dict(color=s["color"], symbol=s["symbol"], size=size, line=dict(color="white", width=1))


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


def log_ticks(lo: float, hi: float) -> dict:
    """Tick values and full labels (…, 0.5, 1, 2, 5, 10, 20, 50, …) for a log axis from ``lo``
    to ``hi`` (data units), so that no tick is labelled with its leading digit only (plotly's
    default prints a "3" above "10" for 30).

    >>> log_ticks(3, 60)["ticktext"]
    ['5', '10', '20', '50']
    >>> log_ticks(0.2, 1.0)["ticktext"]
    ['0.2', '0.5', '1']
    """
    lo, hi = _log_ends(lo, hi)
    vals = [
        m * 10.0**e
        for e in range(int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi))) + 1)
        for m in (1, 2, 5)
    ]
    vals = [float(f"{v:.6g}") for v in vals if lo * (1 - 1e-9) <= v <= hi * (1 + 1e-9)]
    return dict(tickmode="array", tickvals=vals, ticktext=[f"{v:g}" for v in vals])


def _log_ends(lo, hi) -> tuple[float, float]:
    """The ends of a log axis as floats, 0 < lo < hi (data units)."""
    lo = check_range(lo, "lo", "", lo=1e-300, hi=1e300, what="lower end of a log axis")
    hi = check_range(hi, "hi", "", lo=lo, hi=1e300, lo_open=True, what="upper end of a log axis (above lo)")
    return lo, hi


def plural(n: int, word: str, many: str | None = None) -> str:
    """``word`` or its plural for a count ``n`` (so that a title never says "1 spikes").

    >>> plural(1, "spike"), plural(3, "spike"), plural(0, "unit")
    ('spike', 'spikes', 'units')
    """
    n = check_int(n, "n", lo=0, what="count")
    word = check_instance(word, "word", str, what="a word")
    if many is not None:
        many = check_instance(many, "many", str, what="the plural (or None)")
    return word if n == 1 else (many or word + "s")


def credit_annotation(text: str) -> dict:
    """A small credit line (source, licence) for the bottom-left of a figure showing a recording."""
    return dict(
        text=check_instance(text, "text", str, what="a credit line"),
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
    """Equilibrium potentials and the resting potential on one voltage axis (empty; a panel
    fills it through the traces' keys).

    Each ion is a row: a segment from the resting potential to the ion's equilibrium potential
    (its length is the driving force), ending in the ion's marker. The resting potential is a
    thick vertical black line across all rows. Trace keys (``meta``): ``E_K``, ``E_Na``,
    ``E_Cl``, ``E_Ca`` and ``rest``.
    """
    widget = check_bool(widget, "widget")
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
            meta=f"E_{ion}",
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
        meta="rest",
        line=dict(color="black", width=5),
        hovertemplate="resting potential = %{x:.1f} mV<extra></extra>",
    )
    return fig


def ladder_range(e_mV: dict, v_rest_mV: float) -> list:
    """The ladder's voltage range (mV): at least −160…+180, wide enough for every value."""
    return [
        min(-160.0, min(e_mV.values()) - 15, v_rest_mV - 15),
        max(180.0, max(e_mV.values()) + 25, v_rest_mV + 15),
    ]


def ladder_title(e_mV: dict, v_rest_mV: float) -> str:
    """The ladder's title, worded from the numbers: where the resting potential lies relative
    to E K⁺ and E Na⁺ (between them, in their order, or beyond both; "at" within 0.05 mV).

    >>> ladder_title({"K": -95.0, "Na": 67.0}, -90.0)
    'Resting potential -90.0 mV, between E K⁺ and E Na⁺'
    >>> ladder_title({"K": -11.7, "Na": 67.0}, -25.3)
    'Resting potential -25.3 mV, below both E K⁺ and E Na⁺'
    """
    name = {ion: f"E {STYLE[ion]['label']}" for ion in ("K", "Na")}
    (lo_ion, lo), (hi_ion, hi) = sorted(((ion, float(e_mV[ion])) for ion in name), key=lambda p: p[1])
    v = float(v_rest_mV)
    if abs(v - lo) < 0.05 or abs(v - hi) < 0.05:
        where = f"at {name[lo_ion if abs(v - lo) < abs(v - hi) else hi_ion]}"
    elif v < lo:
        where = f"below both {name['K']} and {name['Na']}"
    elif v > hi:
        where = f"above both {name['K']} and {name['Na']}"
    else:
        where = f"between {name[lo_ion]} and {name[hi_ion]}"
    return f"Resting potential {v:+.1f} mV, {where}"


def potassium_figure(
    k_out_mM,
    e_k_mV,
    v_rest_by_ratio: dict,
    normal_range_mM: tuple,
    measured: tuple | None = None,
    widget: bool = False,
    chosen_mM: float | None = None,
):
    """Resting potential of a muscle fibre against extracellular K⁺ (hypo- to hyperkalaemia).

    ``v_rest_by_ratio`` maps a PNa/PK label to a V_rest array; ``normal_range_mM`` is shaded;
    ``measured`` is an optional (K mM, V mV, label) point; ``chosen_mM`` adds a vertical line
    at a chosen [K⁺]o (key ``chosen``). Other keys: ``E_K``, ``rest0``, ``rest1``, ... and
    ``measured``.
    """
    fig = figure(
        "Muscle fibre resting potential and blood potassium",
        "extracellular potassium [K⁺]o (mmol/L)",
        "membrane potential (mV)",
        widget=widget,
        legend=dict(x=0.99, xanchor="right", y=0.02, yanchor="bottom"),
    )
    normal_band(fig, *normal_range_mM, annotation_text="normal range", annotation_position="top left")
    fig.add_scatter(
        x=k_out_mM, y=e_k_mV, mode="lines", name="E K⁺ (Nernst)", meta="E_K", line=line_style("K")
    )
    for i, (label, v) in enumerate(v_rest_by_ratio.items()):
        fig.add_scatter(
            x=k_out_mM,
            y=v,
            mode="lines",
            name=f"resting potential, GHK, {label}",
            meta=f"rest{i}",
            line=dict(color="black", dash=["solid", "dash", "dot"][i % 3], width=3),
        )
    if measured is not None:
        k, v, label = measured
        fig.add_scatter(
            x=[k], y=[v], mode="markers", name=label, meta="measured", marker=marker_style("c1", 14)
        )
    if chosen_mM is not None:
        fig.add_scatter(
            x=[chosen_mM, chosen_mM],
            y=[-125, -60],
            mode="lines",
            name="your chosen [K⁺]o",
            meta="chosen",
            line=line_style("stimulus", 3),
        )
    return fig


# ---- notebook 01
# Figures for notebook 01 (twitch, spasm, cramp): one unit's force against its firing rate beside
# real recordings, the fit of the twitch kernel to a recorded twitch, and a spike raster above
# the force of the motor-unit pool. Builders return empty (or static) figures whose traces carry
# keys (``meta``); the panels in ``utils.muscle_widgets`` move the data through those keys.

#: Subplot domains shared by the notebook 01 figures (left/right; raster above force).
_N01_LEFT, _N01_RIGHT = [0.0, 0.56], [0.66, 1.0]
_N01_RASTER, _N01_FORCE = [0.45, 1.0], [0.0, 0.35]


def rate_figure(recordings: dict | None = None, credit: str = "", y_max: float = 10.5, widget: bool = True):
    """Left: one motor unit's force (model) for a spike train; right: recorded twitch and tetanus.

    Both panels show force in multiples of one twitch's peak (model: P = 1; recordings: force
    above baseline divided by the twitch's amplitude), so their heights compare directly.
    ``recordings`` maps a label to ``(t_ms, force_rel)`` (at most two: twitch, then tetanus).
    Trace keys: ``force`` (model, line), ``spikes`` (tick markers), ``rec0``, ``rec1``.
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
        yaxis2=axis("force (× twitch amplitude)", anchor="x2"),
        legend=dict(orientation="h", y=-0.2, x=0),
        margin=dict(l=80, r=30, t=70, b=150),
    )
    add_force_and_spikes(fig, "model: force of one unit", "model: spikes (stimuli)", width=2.5, tick_size=10)
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
            meta=f"rec{k}",
            line=styles[k % 2],
            xaxis="x2",
            yaxis="y2",
            hovertemplate="%{x:.1f} ms: %{y:.2f}×<extra></extra>",
        )
    if credit:
        fig.add_annotation(**(credit_annotation(credit) | dict(y=-0.33)))
    for text, x in (("model (one motor unit)", _N01_LEFT[0]), ("recordings (whole muscle)", _N01_RIGHT[0])):
        fig.add_annotation(
            text=text,
            xref="paper",
            yref="paper",
            x=x,
            y=1.02,
            xanchor="left",
            yanchor="bottom",
            showarrow=False,
        )
    return fig


def add_force_and_spikes(fig, force_name: str, spikes_name: str, width: float = 3, tick_size: float = 12):
    """Add one unit's force (line, key ``force``) and its spikes (orange ticks, key ``spikes``)."""
    stim = STYLE["stimulus"]["color"]
    fig.add_scatter(
        x=[],
        y=[],
        mode="lines",
        name=force_name,
        meta="force",
        line=line_style("model", width),
        hovertemplate="%{x:.3f} s: %{y:.2f}× twitch<extra></extra>",
    )
    fig.add_scatter(
        x=[],
        y=[],
        mode="markers",
        name=spikes_name,
        meta="spikes",
        marker=dict(color=stim, symbol="line-ns-open", size=tick_size, line=dict(width=2, color=stim)),
        hoverinfo="skip",
    )


def twitch_fit_figure(
    t_ms, force_mN, fit_mN, marks: dict | None = None, credit: str = "", widget: bool = True
):
    """A recorded twitch (black line) with the fitted kernel (blue dashed) on top.

    ``marks`` maps a label to ``(t_ms, force_mN)`` points drawn as markers (e.g. the peak and
    the half-relaxation point measured on the data). Trace keys: ``recording``, ``fit``,
    ``mark0``, ``mark1``, ...
    """
    fig = figure(
        "Recorded twitch and the fitted twitch kernel",
        "time after the stimulus (ms)",
        "force (mN)",
        widget=widget,
        legend=dict(x=0.99, xanchor="right", y=0.98),
        margin=dict(l=80, r=30, t=60, b=110),
    )
    fig.add_scatter(
        x=t_ms, y=force_mN, mode="lines", name="recording", meta="recording", line=line_style("data", 2.5)
    )
    fig.add_scatter(
        x=t_ms,
        y=fit_mN,
        mode="lines",
        name="fitted kernel",
        meta="fit",
        line=dict(color=STYLE["model"]["color"], dash="dash", width=3),
    )
    for k, (label, (x, y)) in enumerate((marks or {}).items()):
        fig.add_scatter(
            x=[x], y=[y], mode="markers", name=label, meta=f"mark{k}", marker=marker_style(f"c{k + 2}", 14)
        )
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

    Trace keys: ``raster`` (WebGL markers), ``force`` (line), and with ``steady=True``
    ``steady``, the force of the mean-rate approximation (dashed line). Both panels share the
    time axis.
    """
    title = check_instance(title, "title", str, what="a figure title")
    y_units_title = check_instance(y_units_title, "y_units_title", str, what="an axis title")
    n_units = check_int(n_units, "n_units", lo=1, hi=10_000, what="rows of the raster")
    widget, steady = check_bool(widget, "widget"), check_bool(steady, "steady")
    fig = figure(
        title,
        "time (s)",
        "force (% of maximum)",
        widget=widget,
        unitless=(),
        height=560,
        xaxis=dict(domain=[0, 1], anchor="y", title=dict(text="time (s)")),
        yaxis=dict(domain=_N01_FORCE, title=dict(text="force (% of max)"), rangemode="tozero"),
        yaxis2=axis(y_units_title, domain=_N01_RASTER, anchor="x", range=[0, n_units + 1]),
        legend=dict(orientation="h", y=-0.16, x=0),
        margin=dict(l=80, r=30, t=60, b=110),
    )
    fig.add_scattergl(
        x=[],
        y=[],
        mode="markers",
        name="spikes (one tick per discharge)",
        meta="raster",
        yaxis="y2",
        marker=dict(symbol="line-ns-open", size=7, color="black", line=dict(width=1.5, color="black")),
        hoverinfo="skip",
    )
    hover = "%{x:.2f} s: %{y:.1f} %<extra></extra>"
    fig.add_scatter(
        x=[],
        y=[],
        mode="lines",
        name="force",
        meta="force",
        line=line_style("model", 2.5),
        hovertemplate=hover,
    )
    if steady:
        fig.add_scatter(
            x=[],
            y=[],
            mode="lines",
            name="steady force (mean-rate model)",
            meta="steady",
            line=dict(color=OKABE_ITO["vermillion"], dash="dash", width=2.5),
        )
    return fig


# ---- notebook 03
# Figures for notebook 03 (the action potential). Each builder returns a FigureWidget with its
# whole layout given in the constructor (subplots via make_subplots); the panels in
# ``utils.hh_widgets`` fill and move the traces in place through the keys (``meta``) listed in
# each builder's docstring, and the shaded pulses through the shapes' names.

#: Line styles of the three gates (Na⁺ gates in the Na⁺ colours; the K⁺ gate in a light blue
#: dash-dot, so that it differs from the membrane potential V in colour and in line style).
GATE_STYLE = {
    "m": dict(color=OKABE_ITO["vermillion"], dash="dash", width=2.5),
    "h": dict(color=OKABE_ITO["reddish_purple"], dash="dot", width=2.5),
    "n": dict(color=OKABE_ITO["sky_blue"], dash="dashdot", width=2.5),
}
#: Style of "the point you chose" on a summary curve: a large black star (shape, not colour).
CURRENT_POINT = dict(color=OKABE_ITO["black"], symbol="star", size=17, line=dict(color="white", width=1))
#: Reference marks (a threshold, an onset): orange with a cross marker / dotted line.
REFERENCE_LINE = dict(color=OKABE_ITO["orange"], dash="dot", width=2.5)
#: Fill of a shaded current pulse or step.
PULSE_FILL = "rgba(230, 159, 0, 0.18)"
#: A summary curve of the model (green line with diamonds).
MODEL_CURVE = dict(color=OKABE_ITO["bluish_green"], dash="solid", width=3)


def subplots_widget(rows: int, cols: int, titles: list[str], axes: dict, height: int, **kw) -> PlotlyFigure:
    """make_subplots in the series theme, as a :class:`PlotlyFigure` that keeps the grid (so
    ``add_scatter(row=, col=)`` works). ``axes`` maps 'xaxis', 'yaxis2', ... to axis titles (with units) or dicts.
    ``titles`` has one title per subplot (cells of ``specs`` that are not None), in order."""
    n_plots = sum(cell is not None for row in kw.get("specs", [[{}] * cols] * rows) for cell in row)
    if len(titles) != n_plots:
        raise ValueError(f"{len(titles)} subplot titles for {n_plots} subplots: {titles!r}")
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
    return PlotlyFigure(fig)


def log_axis(title: str, lo: float, hi: float) -> dict:
    """A log axis from ``lo`` to ``hi`` (data units) with full tick labels (:func:`log_ticks`)."""
    title = check_instance(title, "title", str, what="an axis title")
    lo, hi = _log_ends(lo, hi)
    return dict(title=dict(text=title), type="log", range=[np.log10(lo), np.log10(hi)], **log_ticks(lo, hi))


def point_trace(fig, key: str, name: str, row: int, col: int, **kw) -> None:
    """An empty "your choice" point (black star) on subplot (row, col), key ``key``."""
    fig.add_scatter(
        x=[], y=[], mode="markers", name=name, meta=key, marker=CURRENT_POINT, row=row, col=col, **kw
    )


def line_trace(fig, key: str, name: str, line: dict, row: int = 1, col: int = 1, **kw) -> None:
    """A line on subplot (row, col), key ``key`` (empty unless ``x=``/``y=`` are given)."""
    kw = {"x": [], "y": [], **kw}
    fig.add_scatter(mode="lines", name=name, meta=key, line=line, row=row, col=col, **kw)


def curve_trace(
    fig, key: str, name: str, x, y, style: dict, row: int = 1, col: int = 2, size: float = 6
) -> None:
    """A summary curve (line + markers in the line's colour), key ``key``; ``style`` is a line
    dict with an optional marker ``symbol`` (default: diamond)."""
    line = {k: v for k, v in style.items() if k != "symbol"}
    fig.add_scatter(
        x=x,
        y=y,
        mode="lines+markers",
        name=name,
        meta=key,
        line=line,
        marker=dict(symbol=style.get("symbol", "diamond"), size=size, color=line["color"]),
        row=row,
        col=col,
    )


def shade(fig, name: str, x0: float = 0, x1: float = 0, row: int = 1, col: int = 1) -> None:
    """A shaded current pulse on subplot (row, col), named ``name`` (moved through its name)."""
    fig.add_vrect(
        x0=x0, x1=x1, fillcolor=PULSE_FILL, line_width=0, layer="below", name=name, row=row, col=col
    )


def normal_band(fig, lo: float, hi: float, *, horizontal: bool = False, **kw) -> None:
    """The normal range ``lo``–``hi`` as a pale green band behind the traces: across the x axis, or
    across the y axis with ``horizontal=True``. ``kw``: ``row``/``col``, ``annotation_text``, ..."""
    band = dict(fillcolor=NORMAL_BAND, line_width=0, layer="below", **kw)
    if horizontal:
        fig.add_hrect(y0=lo, y1=hi, **band)
    else:
        fig.add_vrect(x0=lo, x1=hi, **band)


def _voltage_axes(t_max_ms: float) -> dict:
    """The first plot of notebook 03's panels: membrane potential against time."""
    return {
        "xaxis": dict(title=dict(text="time (ms)"), range=[0, t_max_ms]),
        "yaxis": dict(title=dict(text="membrane potential (mV)"), range=[-85, 55]),
    }


def _time_beside_summary(titles: list[str], axes: dict, spacing: float = 0.12) -> PlotlyFigure:
    """Notebook 03's one-row panels: a time course (left, 55 %) beside a summary curve (right)."""
    return subplots_widget(
        1, 2, titles, axes, height=500, column_widths=[0.55, 0.45], horizontal_spacing=spacing
    )


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

    Trace keys: ``V``, ``m``, ``h``, ``n`` (lines), ``aon`` (peak V against amplitude for this
    duration), ``aon_point`` (your pulse on it), ``threshold`` (threshold for this duration,
    dotted vertical), ``sd`` (strength–duration curve), ``reference`` (the 1 ms threshold),
    ``sd_point`` (your pulse in the duration–amplitude plane). Shape ``pulse`` shades the pulse.
    The strength–duration plot has log axes labelled 0.2, 0.5, 1, 2, 5 … (:func:`log_ticks`).
    """
    sd_lo = float(np.min(thresholds_uA)) / 1.5
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
            **_voltage_axes(t_max_ms),
            "xaxis2": dict(title=dict(text="pulse amplitude (µA/cm²)"), range=[0, amp_max_uA]),
            "yaxis2": dict(title=dict(text="highest potential reached (mV)"), range=[-75, 55]),
            "xaxis3": dict(title=dict(text="time (ms)"), range=[0, t_max_ms]),
            "yaxis3": dict(title=dict(text="fraction open (0–1)"), range=[0, 1.02]),
            "xaxis4": log_axis(
                "pulse duration (ms)", float(np.min(durations_ms)) / 1.1, float(np.max(durations_ms)) * 1.1
            ),
            "yaxis4": log_axis("threshold amplitude (µA/cm²)", sd_lo, amp_max_uA * 1.15),
        },
        height=720,
        column_widths=[0.58, 0.42],
        horizontal_spacing=0.12,
        vertical_spacing=0.16,
        shared_xaxes=False,
    )
    line_trace(
        fig,
        "V",
        "membrane potential V",
        line_style("model", 3),
        hovertemplate="%{x:.2f} ms: %{y:.1f} mV<extra></extra>",
    )
    for g, label in (("m", "m: Na⁺ activation"), ("h", "h: Na⁺ inactivation"), ("n", "n: K⁺ activation")):
        line_trace(fig, g, label, GATE_STYLE[g], row=2)
    curve_trace(fig, "aon", "peak for this duration", [], [], MODEL_CURVE | dict(width=2), row=1, size=7)
    point_trace(fig, "aon_point", "your pulse", 1, 2)
    line_trace(fig, "threshold", "threshold", REFERENCE_LINE, col=2, showlegend=False)
    line_trace(
        fig,
        "sd",
        "threshold (model)",
        MODEL_CURVE | dict(dash="dash"),
        row=2,
        col=2,
        x=durations_ms,
        y=thresholds_uA,
    )
    fig.add_scatter(
        x=[ref_duration_ms],
        y=[ref_threshold_uA],
        mode="markers+text",
        name=f"{ref_threshold_uA:.2f} µA/cm² at {ref_duration_ms:g} ms",
        meta="reference",
        text=[f"{ref_threshold_uA:.2f}"],
        textposition="bottom left",
        marker=dict(color=OKABE_ITO["orange"], symbol="x", size=14),
        row=2,
        col=2,
    )
    point_trace(fig, "sd_point", "your pulse", 2, 2, showlegend=False)
    shade(fig, "pulse", 1, 2)
    for text, x, y in (("fires", 0.96, 0.40), ("fails", 0.62, 0.03)):
        fig.add_annotation(
            text=text,
            x=x,
            y=y,
            xref="paper",
            yref="paper",
            showarrow=False,
            font=dict(size=14, color="#444444"),
        )
    return fig


def refractory_figure(intervals_ms, thresholds_uA, single_uA: float, cap_uA: float, t_max_ms: float):
    """Panel 2: paired pulses → V (left); test threshold against interval (right, log axis
    labelled 5, 10, 20, 50, 100).

    Trace keys: ``V``, ``threshold_curve`` (gaps where no pulse up to ``cap_uA`` fires),
    ``rest_threshold`` (single-pulse threshold, dotted), ``point`` (your test pulse, star).
    Shapes ``conditioning`` and ``test`` shade the two pulses on the V plot.
    """
    fig = _time_beside_summary(
        ["two pulses", "how strong must the second pulse be?"],
        {
            **_voltage_axes(t_max_ms),
            "xaxis2": dict(title=dict(text="interval between pulse onsets (ms)")),
            "yaxis2": log_axis("test-pulse threshold (µA/cm²)", 10**0.5, cap_uA * 1.6),
        },
        spacing=0.13,
    )
    line_trace(fig, "V", "membrane potential V", line_style("model", 3))
    finite = np.where(np.isfinite(thresholds_uA), thresholds_uA, np.nan)
    curve_trace(fig, "threshold_curve", "test threshold (model)", intervals_ms, finite, MODEL_CURVE)
    line_trace(
        fig,
        "rest_threshold",
        f"threshold at rest ({single_uA:.2f} µA/cm²)",
        REFERENCE_LINE,
        col=2,
        x=[float(np.min(intervals_ms)), float(np.max(intervals_ms))],
        y=[single_uA, single_uA],
    )
    point_trace(fig, "point", "your test pulse", 1, 2)
    shade(fig, "conditioning", 1, 2)
    shade(fig, "test", 1, 2)
    return fig


def firing_figure(fi_currents, fi_rates, rheobase_uA: float, onset_uA: float, t_max_ms: float):
    """Panel 3: a steady current → V (left); the f–I curve with your current (right).

    Trace keys: ``V``, ``fi`` (f–I curve), ``rheobase`` (dotted), ``onset`` (onset of
    repetitive firing, dash-dot), ``point`` (your current, star).
    """
    fig = _time_beside_summary(
        ["membrane potential", "firing rate against current (f–I)"],
        {
            **_voltage_axes(t_max_ms),
            "xaxis2": dict(title=dict(text="step current (µA/cm²)")),
            "yaxis2": dict(
                title=dict(text="steady firing rate (Hz)"),
                range=[-4, max(120.0, float(np.max(fi_rates)) + 10)],
            ),
        },
    )
    line_trace(fig, "V", "membrane potential V", line_style("model", 2))
    curve_trace(fig, "fi", "f–I (model)", fi_currents, fi_rates, MODEL_CURVE, size=5)
    onset_line = dict(color=OKABE_ITO["reddish_purple"], dash="dashdot", width=2.5)
    for key, x, name, style in (
        ("rheobase", rheobase_uA, f"rheobase {rheobase_uA:.2f} µA/cm²", REFERENCE_LINE),
        ("onset", onset_uA, f"repetitive firing from {onset_uA:.2f} µA/cm²", onset_line),
    ):
        line_trace(fig, key, name, style, col=2, x=[x, x], y=[-4, 110])
    point_trace(fig, "point", "your current", 1, 2)
    return fig


def clamp_figure(v_steps_mV, peak_gna, steady_gk, t_max_ms: float):
    """Panel 4: a voltage-clamp step → gNa(t) and gK(t) (left); peak gNa and steady gK against
    the step potential (right).

    Trace keys: ``g_Na``, ``g_K`` (against time), ``peak_g_Na``, ``steady_g_K`` (against the
    step), ``point_Na`` and ``point_K`` (your step on each curve, stars).
    """
    fig = _time_beside_summary(
        ["conductances after the step", "against the step potential"],
        {
            "xaxis": dict(title=dict(text="time after the step (ms)"), range=[-1, t_max_ms]),
            "yaxis": dict(title=dict(text="conductance (mS/cm²)"), range=[-1, 42]),
            "xaxis2": dict(title=dict(text="clamp step potential (mV)")),
            "yaxis2": dict(title=dict(text="conductance (mS/cm²)"), range=[-1, 42]),
        },
    )
    line_trace(fig, "g_Na", "g Na⁺", line_style("Na", 3))
    line_trace(fig, "g_K", "g K⁺", line_style("K", 3))
    for key, name, ion, y in (
        ("peak_g_Na", "peak g Na⁺", "Na", peak_gna),
        ("steady_g_K", "steady g K⁺", "K", steady_gk),
    ):
        curve_trace(fig, key, name, v_steps_mV, y, line_style(ion, 2) | dict(symbol=STYLE[ion]["symbol"]))
    point_trace(fig, "point_Na", "your step", 1, 2)
    point_trace(fig, "point_K", "your step", 1, 2, showlegend=False)
    return fig


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
    the model's f–I (bottom right), both in Hz so their shapes compare. One title per subplot.

    Trace keys: ``V`` (recorded V), ``spikes`` (counted spikes), ``rec_fi`` (recording f–I),
    ``point`` (this sweep on it, star), ``model_fi``. Shape ``step`` shades the current step.
    """
    fig = subplots_widget(
        2,
        2,
        ["one recorded sweep", "recorded cell: f–I", "squid-axon model: f–I"],
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
    line_trace(fig, "V", "recorded membrane potential", line_style("data", 1.5))
    fig.add_scatter(
        x=[],
        y=[],
        mode="markers",
        name="spikes counted",
        meta="spikes",
        marker=dict(symbol="triangle-down", size=9, color=OKABE_ITO["vermillion"]),
        row=1,
        col=1,
    )
    data_curve = line_style("data", 2.5) | dict(symbol="circle")
    curve_trace(
        fig,
        "rec_fi",
        "recording: spikes per second during the step",
        rec_currents_pA,
        rec_rates_Hz,
        data_curve,
        row=2,
        col=1,
        size=9,
    )
    point_trace(fig, "point", "this sweep", 2, 1)
    line_trace(
        fig, "model_fi", "model: steady rate", MODEL_CURVE, row=2, col=2, x=model_currents, y=model_rates
    )
    shade(fig, "step")
    if credit:
        fig.add_annotation(**(credit_annotation(credit) | dict(y=-0.2)))
    return fig


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
    fig.add_scatter(
        x=model[0], y=model[1], mode="lines", name=model[2], meta="model", line=line_style("model", 3)
    )
    if recorded is not None:
        fig.add_scatter(
            x=recorded[0],
            y=recorded[1],
            mode="lines",
            name=recorded[2],
            meta="recording",
            line=dict(color=OKABE_ITO["black"], dash="dash", width=3),
        )
    if credit:
        fig.add_annotation(**credit_annotation(credit))
    return fig

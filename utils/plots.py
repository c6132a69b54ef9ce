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


def base_layout(title: str, x_title: str, y_title: str, **extra) -> dict:
    """A layout dict in the series' theme. Axis titles must carry their unit, e.g. 'time (ms)'."""
    for name, text in (("x_title", x_title), ("y_title", y_title)):
        if "(" not in text or ")" not in text:
            raise ValueError(f"{name} {text!r} must name its unit in brackets, e.g. 'time (ms)'.")
    layout = dict(template=TEMPLATE_NAME, title=dict(text=title),
                  xaxis=dict(title=dict(text=x_title)),
                  yaxis=dict(title=dict(text=y_title)), height=460)
    layout.update(extra)
    return layout


def figure(title: str, x_title: str, y_title: str, *, widget: bool = False, **layout_extra):
    """An empty themed figure; ``widget=True`` gives a ``go.FigureWidget`` for in-place updates.

    The layout is passed to the constructor (not set afterwards) because Voila drops layout
    changes made before a FigureWidget is first displayed.
    """
    layout = base_layout(title, x_title, y_title, **layout_extra)
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

"""Figures of notebook 05 (electrolytes and excitability), in the series' theme (``utils.plots``).

The builders only draw: the numbers (model runs, GHK curves, histograms of laboratory results)
come from ``utils.electrolyte_widgets``, which calls them. Every trace carries its key in
``meta`` (listed in each docstring); title and legend sit above the plots and a data credit
below the x-axis title (:func:`utils.framing.frame`). Every concentration is in mmol/L
(mEq/L = mmol/L for the monovalent ions K⁺, Na⁺ and Cl⁻).
"""

from __future__ import annotations

import math

from .framing import frame, line_trace, marker_trace
from .plots import (
    CURRENT_POINT,
    NORMAL_BAND,
    OKABE_ITO,
    StaticFigure,
    axis,
    figure,
    line_style,
    normal_band,
    subplots_widget,
)

#: Shading of the standard pulse on a time axis.
PULSE_BAND = "rgba(230, 159, 0, 0.25)"
#: Lab-report font of the value labels (px).
LAB_TEXT_PX = 14


def lab_report_figure(
    labels: list[str],
    bands_pct: list[tuple],
    report_range_pct: tuple,
    k_curve: tuple,
    k_band_mmol_L: tuple,
    t_max_ms: float,
    pulse_ms: tuple,
    force_s: float,
):
    """2 × 2 FigureWidget. Top left: the lab report — each analyte's value as % of the middle of
    its normal range (log axis), normal band shaded, value as a star with its text. Top right:
    the nerve model's membrane potential after one standard pulse. Bottom left: the muscle
    fibre's resting potential against [K⁺]o. Bottom right: muscle force at rest and during a
    steady effort.

    ``labels``: analyte names (y ticks, bottom to top); ``bands_pct``: each analyte's normal
    (low, high) as % of the middle; ``k_curve``: (K mmol/L, rest of the mammalian muscle fibre
    at 37 °C in mV, E_K mV).

    Trace keys: 'lab' (markers + text), 'V' (line), 'rest' (muscle fibre rest curve), 'E_K'
    (muscle E_K curve), 'your_K' (star on the rest curve), 'force_rest', 'force_effort'.
    """
    K, rest, ek = k_curve
    fig = subplots_widget(
        2,
        2,
        [
            "lab report: value against the normal band (shaded)",
            "nerve model after one standard pulse",
            "muscle fibre resting potential (mammalian fibre, 37 °C)",
            "what the muscle does",
        ],
        {
            "xaxis": dict(
                title=dict(text="value (% of the middle of the normal range)"),
                type="log",
                range=[math.log10(report_range_pct[0]), math.log10(report_range_pct[1])],
                tickvals=[25, 50, 100, 200, 400],
            ),
            "xaxis2": dict(title=dict(text="time (ms)"), range=[0, t_max_ms]),
            "yaxis2": dict(title=dict(text="membrane potential (mV)"), range=[-90, 55]),
            "xaxis3": dict(title=dict(text="[K⁺] outside (mmol/L)"), range=[1, 10]),
            "yaxis3": dict(title=dict(text="membrane potential (mV)"), range=[-130, -55]),
            "xaxis4": dict(title=dict(text="time (s)"), range=[0, force_s]),
            "yaxis4": dict(title=dict(text="force (% of maximum)"), rangemode="tozero"),
        },
        height=640,
        horizontal_spacing=0.16,
        vertical_spacing=0.2,
        column_widths=[0.5, 0.5],
    )
    # the analytes are categories: tick labels short (units in the title), never clipped
    fig.update_layout(
        yaxis=axis(
            "serum value (mmol/L)",
            tickvals=list(range(len(labels))),
            ticktext=list(labels),
            range=[-0.6, len(labels) - 0.4],
            automargin=True,
        )
        | dict(showgrid=False)
    )
    fig.plot_layout.margin.l = 40  # automargin grows it to the longest label
    marker_trace(
        fig,
        "lab",
        "your values",
        CURRENT_POINT,
        1,
        1,
        [100.0] * len(labels),
        range(len(labels)),
        text=[""] * len(labels),
        textposition="top center",
        textfont=dict(size=LAB_TEXT_PX),
        cliponaxis=False,
        mode="markers+text",
    )
    line_trace(fig, "V", "nerve model: membrane potential", line_style("model", 2.5), 1, 2)
    rest_line = dict(color=OKABE_ITO["black"], width=3, dash="solid")
    line_trace(fig, "rest", "muscle fibre rest (model)", rest_line, 2, 1, K, rest)
    e_k_line = dict(color=OKABE_ITO["blue"], dash="dash", width=2.5)  # not the nerve V style
    line_trace(fig, "E_K", "E K⁺ (Nernst)", e_k_line, 2, 1, K, ek)
    marker_trace(fig, "your_K", "your K⁺", CURRENT_POINT, 2, 1, showlegend=False)
    at_rest = dict(color=OKABE_ITO["vermillion"], dash="dash", width=2)
    line_trace(fig, "force_rest", "force at rest (involuntary)", at_rest, 2, 2)
    effort = dict(color=OKABE_ITO["bluish_green"], dash="solid", width=2)
    line_trace(fig, "force_effort", "force during a steady effort", effort, 2, 2)
    for i, (lo, hi) in enumerate(bands_pct):
        fig.add_shape(
            type="rect",
            x0=lo,
            x1=hi,
            y0=i - 0.3,
            y1=i + 0.3,
            xref="x",
            yref="y",
            fillcolor=NORMAL_BAND,
            line=dict(color=OKABE_ITO["bluish_green"], width=1),
            layer="below",
        )
    fig.add_vrect(
        x0=pulse_ms[0], x1=pulse_ms[1], fillcolor=PULSE_BAND, line_width=0, layer="below", row=1, col=2
    )
    normal_band(fig, *k_band_mmol_L, row=2, col=1)
    return frame(fig)


def block_comparison_figure(model: list[tuple], recorded: list[tuple], t_max_ms: float, credit: str = ""):
    """High K⁺ in the model (top) beside a recorded cell driven by current steps (bottom).

    ``model`` and ``recorded``: lists of (t, V mV, legend name), t in ms (model) or s
    (recording). Trace keys: 'model0', 'model1', … then 'recorded0', …
    """
    fig = subplots_widget(
        2,
        1,
        ["model nerve: raising K⁺ outside", "recorded cell: raising the injected current"],
        {
            "xaxis": dict(title=dict(text="time (ms)"), range=[0, t_max_ms]),
            "yaxis": dict(title=dict(text="membrane potential (mV)"), range=[-90, 60]),
            "xaxis2": dict(title=dict(text="time (s)"), range=[0.1, 0.7]),
            "yaxis2": dict(title=dict(text="membrane potential (mV)"), range=[-90, 60]),
        },
        height=780,
        vertical_spacing=0.2,
    )
    fig.plot_layout.title.text = "High K⁺: extra spikes, then block (model and a real cell)"
    for i, (t, v, name) in enumerate(model):
        line_trace(fig, f"model{i}", name, line_style(f"c{i}", 2), 1, 1, t, v)
    for i, (t, v, name) in enumerate(recorded):
        line_trace(fig, f"recorded{i}", name, line_style(f"c{i}", 1.5), 2, 1, t, v)
    return frame(fig, credit=credit)


def potassium_paradox_figure(K, ek, rests: dict, k_band_mmol_L: tuple):
    """Muscle resting potential against [K⁺]o (log axis, 0.5–12 mmol/L): E K⁺, GHK for each
    PNa/PK of ``rests`` (ratio → V mV), the normal band, and the reported second, depolarised
    stable state near −60 mV below about 1–1.5 mmol/L (jurkatrott2009), which the GHK
    equation cannot produce. Trace keys: 'E_K', 'ghk0', 'ghk1', …, 'depolarised'."""
    fig = figure(
        "Muscle resting potential and outside K⁺",
        "[K⁺] outside (mmol/L, log scale)",
        "membrane potential (mV)",
        xaxis=dict(
            title=dict(text="[K⁺] outside (mmol/L, log scale)"),
            type="log",
            range=[math.log10(0.5), math.log10(12)],
            tickvals=[0.5, 1, 2, 3, 4, 5, 7, 10],  # every tick labelled with its value
            ticktext=["0.5", "1", "2", "3", "4", "5", "7", "10"],
        ),
        yaxis=dict(title=dict(text="membrane potential (mV)"), range=[-140, -40]),
        height=520,
    )
    line_trace(fig, "E_K", "E K⁺ (Nernst)", line_style("K"), None, None, K, ek)
    for i, (ratio, rest) in enumerate(rests.items()):
        ghk = dict(color=OKABE_ITO["black"], dash=("solid", "dash")[i % 2], width=3)
        line_trace(fig, f"ghk{i}", f"GHK, PNa/PK = {ratio:g}", ghk, None, None, K, rest)
    fig.add_scatter(
        x=[0.5, 1.0, 1.5],
        y=[-60, -60, -60],
        mode="lines+markers",
        name="reported depolarised state (about −60 mV)",
        meta="depolarised",
        line=dict(color=OKABE_ITO["vermillion"], dash="dot", width=3),
        marker=dict(symbol="square", size=10, color=OKABE_ITO["vermillion"]),
    )
    normal_band(fig, *k_band_mmol_L)
    # on a log axis an annotation's x is log10 of the value (plotly)
    band = dict(x=math.log10(k_band_mmol_L[0]), y=1, xref="x", yref="y domain", xanchor="left", yanchor="top")
    fig.add_annotation(text="normal", showarrow=False, **band)
    return StaticFigure(frame(fig, subplot_titles=False))  # no plotly.io renderers: see StaticFigure


def lab_distribution_figure(panels: list[dict], credit: str = ""):
    """Histograms of laboratory results, 2 × 3 panels, each with the laboratory's most common
    reference range shaded; x in mmol/L, y in results per bin.

    ``panels``: dicts with 'label', 'centres', 'counts', 'widths' (mmol/L) and 'lab_range'
    (low, high, mmol/L). Trace keys: 'hist0', 'hist1', …"""
    axes = {}
    for i, p in enumerate(panels):
        sfx = "" if i == 0 else str(i + 1)
        axes[f"xaxis{sfx}"] = f"{p['label']} (mmol/L)"
        axes[f"yaxis{sfx}"] = "results (per bin)" if i % 3 == 0 else "(count)"
    fig = subplots_widget(
        2,
        3,
        [p["label"] for p in panels],
        axes,
        height=680,
        horizontal_spacing=0.08,
        vertical_spacing=0.22,
    )
    fig.plot_layout.showlegend = False
    fig.plot_layout.title.text = "Hospital results against the laboratory's normal range (mmol/L)"
    note = "All in mmol/L (mEq/L = mmol/L for the monovalent K⁺, Na⁺, Cl⁻; Ca and Mg converted from mg/dL)."
    credit = f"{note}<br>{credit}" if credit else note
    for i, p in enumerate(panels):
        r, c = divmod(i, 3)
        fig.add_bar(
            x=p["centres"],
            y=p["counts"],
            width=p["widths"],
            row=r + 1,
            col=c + 1,
            name=p["label"],
            meta=f"hist{i}",
            marker=dict(color=OKABE_ITO["blue"], line=dict(color="white", width=0.5)),
        )
        fig.add_vrect(
            x0=p["lab_range"][0],
            x1=p["lab_range"][1],
            fillcolor=NORMAL_BAND,
            line=dict(color=OKABE_ITO["bluish_green"], width=1, dash="dash"),
            layer="below",
            row=r + 1,
            col=c + 1,
        )
    return frame(fig, credit=credit)


__all__ = [
    "lab_report_figure",
    "block_comparison_figure",
    "potassium_paradox_figure",
    "lab_distribution_figure",
]

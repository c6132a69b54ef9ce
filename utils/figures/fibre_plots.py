"""Figures of the mammalian muscle fibre (utils.fibre): notebook 02's resting-potential panel and
notebook 05's periodic-paralysis and myotonia panel, in the series' theme (``utils.plots``).

The builders only draw: the numbers come from ``utils.fibre_widgets``. Every trace carries its
key in ``meta`` (listed in each docstring).
"""

from __future__ import annotations

from .framing import line_trace, marker_trace
from .plots import CURRENT_POINT, OKABE_ITO, subplots_widget

#: Styles: never colour alone (line dash or marker symbol too).
TOTAL_LINE = dict(color="black", width=3, dash="solid")
KIR_LINE = dict(color=OKABE_ITO["blue"], width=2.5, dash="dash")
ZERO_LINE = dict(color="grey", width=1.5, dash="dot")
E_K_LINE = dict(color=OKABE_ITO["blue"], width=2.5, dash="dash")
STABLE = dict(symbol="circle", size=13, color=OKABE_ITO["bluish_green"], line=dict(color="black", width=1.5))
UNSTABLE = dict(symbol="circle-open", size=13, color=OKABE_ITO["vermillion"], line=dict(width=2.5))
REST_NORMAL = dict(symbol="circle", size=5, color="black")
REST_BLOCKED = dict(symbol="triangle-up", size=6, color=OKABE_ITO["vermillion"])
SURFACE_LINE = dict(color="black", width=2.5, dash="solid")
TUBULE_LINE = dict(color=OKABE_ITO["vermillion"], width=2.5, dash="dash")
K_TT_LINE = dict(color=OKABE_ITO["bluish_green"], width=2.5, dash="solid")
PULSE_LINE = dict(color=OKABE_ITO["orange"], width=1.5, dash="dot")


def fibre_rest_figure(v_range_mV: tuple, k_range_mM: tuple, k_curve: tuple, rests: dict):
    """1 × 2 figure. Left: the fibre's steady-state current against its membrane potential (its
    zeros are the resting potentials), with the inward-rectifier (Kir) part. Right: every stable
    resting potential against [K⁺]o for ClC-1 normal and blocked, with E K⁺.

    ``k_curve``: (K mmol/L, E_K mV); ``rests``: {'normal': (K, V), 'blocked': (K, V)}, one point
    per stable state.

    Trace keys: 'iv' (steady-state current), 'kir' (Kir current of the surface membrane), 'zero',
    'stable' and 'unstable' (zeros of the current), 'E_K', 'rest_normal', 'rest_blocked',
    'your_K' (star at the chosen [K⁺]o).
    """
    fig = subplots_widget(
        1,
        2,
        ["steady-state current of the fibre", "resting potentials against [K⁺] outside"],
        {
            "xaxis": dict(title=dict(text="membrane potential (mV)"), range=list(v_range_mV)),
            "yaxis": dict(title=dict(text="net current, outward + (µA/cm²)"), range=[-8, 8]),
            "xaxis2": dict(title=dict(text="[K⁺] outside (mmol/L)"), range=list(k_range_mM)),
            "yaxis2": dict(title=dict(text="resting potential (mV)"), range=[-165, -40]),
        },
        height=520,
        horizontal_spacing=0.16,
    )
    line_trace(fig, "zero", "zero current", ZERO_LINE, 1, 1, v_range_mV, (0.0, 0.0), showlegend=False)
    line_trace(fig, "iv", "net steady-state current (fibre model)", TOTAL_LINE, 1, 1)
    line_trace(fig, "kir", "its Kir (inward-rectifier K⁺) part", KIR_LINE, 1, 1)
    marker_trace(fig, "stable", "stable rest", STABLE, 1, 1)
    marker_trace(fig, "unstable", "unstable balance point", UNSTABLE, 1, 1)
    K, ek = k_curve
    line_trace(fig, "E_K", "E K⁺ (Nernst)", E_K_LINE, 1, 2, K, ek, showlegend=False)
    kn, vn = rests["normal"]
    marker_trace(fig, "rest_normal", "rests, ClC-1 normal", REST_NORMAL, 1, 2, kn, vn)
    kb, vb = rests["blocked"]
    marker_trace(fig, "rest_blocked", "rests, ClC-1 blocked", REST_BLOCKED, 1, 2, kb, vb)
    marker_trace(fig, "your_K", "your [K⁺]o", CURRENT_POINT, 1, 2)
    return fig


def periodic_paralysis_figure(t_max_ms: float, pulses_ms: tuple):
    """2 × 1 figure: top, sarcolemma and T-tubule membrane potential during and after a train of
    pulses (pulse times dotted on the axis); bottom, [K⁺] in the T-tubule lumen.

    Trace keys: 'v_surface', 'v_tubule', 'pulses', 'k_tubule', 'k_bath'.
    """
    fig = subplots_widget(
        2,
        1,
        ["membrane potential of the fibre", "K⁺ in the T-tubules"],
        {
            "xaxis": dict(title=dict(text="time (ms)"), range=[0, t_max_ms]),
            "yaxis": dict(title=dict(text="membrane potential (mV)"), range=[-120, 50]),
            "xaxis2": dict(title=dict(text="time (ms)"), range=[0, t_max_ms]),
            "yaxis2": dict(title=dict(text="[K⁺] (mmol/L)"), rangemode="tozero"),
        },
        height=640,
        vertical_spacing=0.2,
    )
    line_trace(fig, "v_surface", "surface membrane (sarcolemma)", SURFACE_LINE, 1, 1)
    line_trace(fig, "v_tubule", "T-tubule membrane", TUBULE_LINE, 1, 1)
    marker_trace(
        fig,
        "pulses",
        "stimulus pulses",
        dict(symbol="line-ns-open", size=12, color=OKABE_ITO["orange"]),
        1,
        1,
        pulses_ms,
        [-115.0] * len(pulses_ms),
    )
    line_trace(fig, "k_tubule", "[K⁺] in the T-tubules", K_TT_LINE, 2, 1)
    line_trace(fig, "k_bath", "[K⁺] outside (bath)", PULSE_LINE, 2, 1)
    return fig

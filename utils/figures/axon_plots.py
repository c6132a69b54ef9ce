"""Figures of the human motor axon (notebook 03, "from squid to you"), in the series' theme.

The builder returns a :class:`PlotlyFigure` with its whole layout in place; every trace carries
its key in ``meta`` (listed in the docstring), and the panel in ``utils.axon_widgets`` addresses
traces by that key and sets x and y (and the heatmap's z) together on every draw. Title and
legend sit above the plots (:func:`utils.framing.frame`). Physics lives in ``utils.axon``.

The space–time plot is a heatmap (colour = membrane potential at each node) and, so that it does
not rely on colour alone, the arrival of the impulse at each node is drawn on top as black
circles joined by a dashed line: its slope is the conduction velocity.
"""

from __future__ import annotations

import numpy as np

from .framing import frame, line_trace, marker_trace
from .plots import CURRENT_POINT, MODEL_CURVE, OKABE_ITO, normal_band, subplots_widget

#: Colour scale of the space–time heatmap: cividis, made for readers with colour-vision deficiency.
SPACETIME_COLORSCALE = "Cividis"
#: Colour range of the heatmap, mV (the MRG node rests near −80 mV and peaks below +50 mV).
V_RANGE_MV = (-90.0, 40.0)
#: Style of the impulse's arrival times (black circles joined by a dashed line).
ARRIVAL_LINE = dict(color=OKABE_ITO["black"], dash="dash", width=2)
ARRIVAL_MARKER = dict(color=OKABE_ITO["black"], symbol="circle", size=7, line=dict(color="white", width=1))
#: Conduction block: vermillion crosses at 0 m/s.
BLOCK_MARKER = dict(color=OKABE_ITO["vermillion"], symbol="x", size=11)
#: The stimulated node: an orange cross-shaped marker.
STIMULUS_MARKER = dict(color=OKABE_ITO["orange"], symbol="cross", size=14, line=dict(color="black", width=1))


def conduction_figure(
    t_ms,
    diameters_um,
    myelin_percent,
    length_max_mm: float,
    cv_max_m_per_s: float,
    ncv_band_m_per_s: tuple,
):
    """Top: the impulse travelling node to node (space–time heatmap with arrival times);
    bottom left: conduction velocity against fibre diameter; bottom right: against myelin.

    Args:
        t_ms: the time axis of every run (ms).
        diameters_um, myelin_percent: the slider grids (µm; % of the normal lamellae).
        length_max_mm: the longest fibre drawn (y range of the space–time plot).
        cv_max_m_per_s: top of the velocity axes.
        ncv_band_m_per_s: (low, high) of the human median motor NCV band drawn on the diameter plot.

    Trace keys: ``spacetime`` (heatmap: x time, y node position, z membrane potential),
    ``arrival`` (time at which each node fires), ``stimulus`` (the stimulated node),
    ``cv_diameter_normal`` (velocity against diameter with normal myelin), ``cv_diameter_now``
    (the same at your myelin), ``cv_myelin`` (velocity against myelin at your diameter),
    ``block_diameter`` and ``block_myelin`` (grid points in conduction block, at 0 m/s),
    ``point_diameter`` and ``point_myelin`` (your fibre, stars).
    """
    t = np.asarray(t_ms, dtype=float)
    d = np.asarray(diameters_um, dtype=float)
    m = np.asarray(myelin_percent, dtype=float)
    fig = subplots_widget(
        2,
        2,
        [
            "the impulse travelling along the fibre (colour: membrane potential)",
            "speed against fibre diameter",
            "speed against myelin",
        ],
        {
            "xaxis": dict(title=dict(text="time (ms)"), range=[float(t[0]), float(t[-1])]),
            "yaxis": dict(
                title=dict(text="distance along the fibre (mm)"), range=[-0.5, length_max_mm + 0.5]
            ),
            "xaxis2": dict(
                title=dict(text="fibre diameter (µm)"), range=[float(d.min()) - 0.5, float(d.max()) + 0.5]
            ),
            "yaxis2": dict(title=dict(text="conduction velocity (m/s)"), range=[-5, cv_max_m_per_s]),
            # less myelin to the right, as on the slider
            "xaxis3": dict(
                title=dict(text="myelin (% of normal lamellae)"),
                type="log",
                range=[np.log10(float(m.max()) * 1.25), np.log10(float(m.min()) / 1.25)],
                tickmode="array",
                tickvals=[float(v) for v in m],
                ticktext=[f"{v:g}" for v in m],
            ),
            "yaxis3": dict(title=dict(text="conduction velocity (m/s)"), range=[-5, cv_max_m_per_s]),
        },
        height=860,
        specs=[[{"colspan": 2}, None], [{}, {}]],
        row_heights=[0.52, 0.48],
        horizontal_spacing=0.14,
        vertical_spacing=0.17,
    )
    fig.add_trace(
        dict(
            type="heatmap",
            x=t,
            y=[0.0, 1.0],
            z=np.full((2, t.size), np.nan),
            meta="spacetime",
            name="membrane potential",
            colorscale=SPACETIME_COLORSCALE,
            zmin=V_RANGE_MV[0],
            zmax=V_RANGE_MV[1],
            showlegend=False,
            colorbar=dict(
                title=dict(text="V (mV)", side="right"), y=1.0, yanchor="top", len=0.5, thickness=16
            ),
            hovertemplate="%{x:.2f} ms, %{y:.1f} mm: %{z:.0f} mV<extra></extra>",
        ),
        row=1,
        col=1,
    )
    marker_trace(
        fig,
        "arrival",
        "impulse arrives at a node (−20 mV crossed)",
        ARRIVAL_MARKER,
        1,
        1,
        mode="lines+markers",
        line=ARRIVAL_LINE,
        hovertemplate="node at %{y:.1f} mm fires at %{x:.3f} ms<extra></extra>",
    )
    marker_trace(fig, "stimulus", "stimulated node", STIMULUS_MARKER, 1, 1)
    normal_band(fig, *ncv_band_m_per_s, horizontal=True, row=2, col=1)
    fig.add_annotation(
        text="green band: human median motor NCV",
        x=0.02,
        y=0.98,
        xref="x2 domain",
        yref="y2 domain",
        xanchor="left",
        yanchor="top",
        showarrow=False,
        font=dict(size=12),
    )
    nan_d = np.full(d.size, np.nan)
    marker_trace(
        fig,
        "cv_diameter_normal",
        "normal myelin",
        dict(symbol="diamond", size=7, color=MODEL_CURVE["color"]),
        2,
        1,
        d,
        nan_d,
        mode="lines+markers",
        line=MODEL_CURVE,
    )
    line_trace(
        fig,
        "cv_diameter_now",
        "your myelin",
        dict(color=OKABE_ITO["blue"], dash="dash", width=2.5),
        2,
        1,
        d,
        nan_d,
    )
    marker_trace(fig, "block_diameter", "conduction block", BLOCK_MARKER, 2, 1, [], [])
    marker_trace(fig, "point_diameter", "your fibre", CURRENT_POINT, 2, 1, [10.0], [0.0])
    marker_trace(
        fig,
        "cv_myelin",
        "your diameter",
        dict(symbol="square", size=7, color=OKABE_ITO["blue"]),
        2,
        2,
        m,
        np.full(m.size, np.nan),
        mode="lines+markers",
        line=dict(color=OKABE_ITO["blue"], dash="solid", width=2.5),
    )
    marker_trace(fig, "block_myelin", "conduction block", BLOCK_MARKER, 2, 2, [], [], showlegend=False)
    marker_trace(fig, "point_myelin", "your fibre", CURRENT_POINT, 2, 2, [100.0], [0.0], showlegend=False)
    return frame(fig)

"""Panels and figures of notebook 05 (electrolytes and excitability), built on
``utils.electrolytes`` (which drives utils.hh, utils.membrane, utils.nmj) and ``utils.muscle``.

Same contract as the other panel modules: an ``ipywidgets.VBox`` with labelled sliders (unit in
the label), an HTML read-out stating the numbers, and one ``go.FigureWidget`` (layout given in
the constructor) updated in place inside ``batch_update``; ``update()`` returns a dict of the
numbers shown (the benchmark times it, the tests compare it with utils.electrolytes).

* :class:`LabReportPanel` — serum K⁺, Na⁺, ionised Ca²⁺, Mg²⁺ (mmol/L) against their normal
  bands → resting potentials, 1 ms threshold, spikes after one standard pulse, spontaneous
  firing, release at the junction and what the muscle does. The screening assumptions (k, in
  mV per e-fold change of Ca, and which gates move) are labelled controls.
* Static figures: :func:`block_comparison_figure` (high K⁺ in the model beside a recorded cell
  driven into depolarisation block), :func:`potassium_paradox_figure` (muscle rest against
  [K⁺]o), :func:`lab_distribution_figure` and :func:`lab_summary` (MIMIC-IV demo results
  against the hospital laboratory's reference band).

**Which gates the calcium shift moves (Na⁺ gates only, the engine's default
``utils.electrolytes.DEFAULT_GATES``).** Frankenhaeuser & Hodgkin (frankenhaeuser1957) saw
lowered Ca move the Na⁺ *and* K⁺ conductance curves of the squid axon; that literal reading is
``gates='all'``, offered by the toggle. In the HH squid model, however, shifting n with m and h
partly cancels: after-discharges need s ≈ −5.8 mV, i.e. ionised Ca ≤ 0.46 mmol/L at k = 6
(≤ 0.63 even at k = 9), below the Ca at which the junction model already fails (0.74) — weakness
before tetany, the opposite of patients, in whom tetany appears around 0.8–0.9 mmol/L
(reference_sheet §3.1–3.2). Vertebrate nerve Na⁺ channels sit in a strong local negative surface
charge: their activation shifts by 20–25 mV per tenfold change of divalent ions, 8.7–10.9 mV per
e-fold (hille1975), at or above the top of the 4–9 mV range. Shifting only m and h
(``gates='na'``) is therefore the default, of the engine and of this panel, as a
*phenomenological* stand-in for a nerve whose Na⁺ channels are the more Ca-sensitive part: it
gives the clinical order (after-discharges from 0.91, spontaneous firing from 0.84 mmol/L,
both before the junction fails). It is a choice judged by its output, not a measurement that K⁺
channels do not shift; the toggle shows the other reading.
"""

from __future__ import annotations

import html
import math
from functools import lru_cache

import ipywidgets as w  # noqa: PLC0415 (deferred: reads ipywidgets' live instances)
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..figures import plots
from ..models import electrolytes as el
from ..models import membrane, muscle
from ..models.sweeps import recorded_spikes, step_window_s
from ..validation import ParameterError, check_choice, check_range
from . import kit

#: The panel's default gates: the engine's (utils.electrolytes.DEFAULT_GATES, Na⁺ gates only;
#: see the module docstring) — one choice for the engine, this panel and notebook 06's tetany.
#: And the options of its toggle.
GATE_OPTIONS = (
    ("Na⁺ gates only (m, h): clinical order", "na"),
    ("all gates (m, h, n): squid, Frankenhaeuser & Hodgkin", "all"),
)
#: Slider ranges (mmol/L), all inside the plausible limits of data/serum_reference_ranges.csv,
#: and steps. Mg reaches 5 mmol/L (therapeutic Mg infusions and overdose); Ca 0.4–2.0.
SLIDERS = {  # field: (label, lo, hi, step, format)
    "potassium_mmol_L": ("K⁺ (mmol/L)", 1.5, 10.0, 0.05, ".2f"),
    "sodium_mmol_L": ("Na⁺ (mmol/L)", 110.0, 160.0, 1.0, ".0f"),
    "calcium_ionised_mmol_L": ("ionised Ca²⁺ (mmol/L)", 0.4, 2.0, 0.01, ".2f"),
    "magnesium_mmol_L": ("Mg²⁺ (mmol/L)", 0.2, 5.0, 0.05, ".2f"),
}
ANALYTE_OF = {
    "potassium_mmol_L": "potassium",
    "sodium_mmol_L": "sodium",
    "calcium_ionised_mmol_L": "calcium_ionised",
    "magnesium_mmol_L": "magnesium",
}
SHORT = {"potassium": "K⁺", "sodium": "Na⁺", "calcium_ionised": "ionised Ca²⁺", "magnesium": "Mg²⁺"}
#: Lab-report axis: value as % of the middle of the normal range, log scale.
REPORT_RANGE_PCT = (20.0, 700.0)
#: Muscle force panel: 3 s of a steady voluntary effort at 20 excitation units (35 % of the
#: pool's maximum, utils.muscle.voluntary) and of the tetany pattern (utils.muscle.tetany).
FORCE_DURATION_S = 3.0
EFFORT_EXCITATION = 20.0
#: Time step of the live panel's HH runs, ms (the engine's default is 0.01 ms). Over every
#: slider grid of the panel it gives the same nerve state, spike count and muscle verdict as
#: 0.01 ms, and a 1 ms threshold within 0.04 µA/cm² (tests/unit/test_electrolyte_widgets.py);
#: it makes a slider move about twice as fast.
LIVE_DT_MS = 0.025
#: [K⁺]o grid (mmol/L) of the muscle resting-potential curve.
K_GRID = tuple(np.round(np.arange(1.0, 12.0001, 0.1), 2))


def _mid(analyte: str) -> float:
    r = el.reference_range_rows()[analyte]
    return 0.5 * (r["low"] + r["high"])


# --------------------------------------------------------------------------------------------
# Cached computations
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=512)
def consequences_cached(
    K: float, Na: float, Ca: float, Mg: float, k_mV: float, gates: str
) -> el.Consequences:
    """:func:`utils.electrolytes.consequences` (fast path, time step :data:`LIVE_DT_MS`, with the
    standard-pulse trace) for one slider position; cached so that returning to a position costs
    nothing."""
    prof = el.SerumProfile(
        potassium_mmol_L=K, sodium_mmol_L=Na, calcium_ionised_mmol_L=Ca, magnesium_mmol_L=Mg
    )
    return el.consequences(prof, k_mV=k_mV, gates=gates, keep_trace=True, dt_ms=LIVE_DT_MS)


@lru_cache(maxsize=2)
def muscle_traces(seed: int = 0) -> dict:
    """Force (% of the pool's maximum) of a steady effort and of tetany, decimated:
    {'t_s', 'effort_pct', 'tetany_pct'} (utils.muscle; the same seeded pool for both)."""
    pool = muscle.make_pool()
    vol = muscle.voluntary(EFFORT_EXCITATION, FORCE_DURATION_S, seed=seed, pool=pool)
    tet = muscle.tetany(FORCE_DURATION_S, seed=seed, pool=pool)
    scale = 100.0 / pool.max_force_au
    t, f_vol = kit.decimate(vol.t_ms / 1000.0, vol.force_au * scale, 1500)
    _, f_tet = kit.decimate(tet.t_ms / 1000.0, tet.force_au * scale, 1500)
    return {
        "t_s": t,
        "effort_pct": f_vol,
        "tetany_pct": f_tet,
        "effort_mean_pct": float(np.mean(vol.force_au[vol.t_ms >= 1000]) * scale),
    }


def muscle_force(c: el.Consequences, seed: int = 0) -> dict:
    """What the muscle does for a set of consequences: force at rest (involuntary) and during a
    steady effort, % of maximum. Normal: no force at rest, the full effort. Tetany: the tetany
    pattern at rest, on top of the effort. Weakness from block or an inexcitable nerve: no
    force. Every force is multiplied by the fraction of impulses that cross the junction
    (1 − p_fail of utils.nmj): an estimate, since a failed end-plate potential means a fibre
    that does not twitch."""
    tr = muscle_traces(seed)
    through = 1.0 - c.model.p_fail
    zero = np.zeros_like(tr["effort_pct"])
    if c.nerve_state in ("depolarisation block", "inexcitable"):
        rest, effort, through = zero, zero, 0.0
    elif c.muscle == "tetany":
        rest, effort = tr["tetany_pct"] * through, (tr["effort_pct"] + tr["tetany_pct"]) * through
    else:
        rest, effort = zero, tr["effort_pct"] * through
    return {
        "t_s": tr["t_s"],
        "rest_pct": rest,
        "effort_pct": effort,
        "fraction_through": float(through),
        "effort_mean_pct": tr["effort_mean_pct"] * float(through),
    }


@lru_cache(maxsize=2)
def muscle_rest_curve(pNa_over_pK: float = el.MUSCLE_PNA_OVER_PK):
    """(K grid, GHK rest, E_K) of the muscle preset at 37 °C, mV (as el.model_parameters)."""
    K = np.array(K_GRID)
    rest = np.array(
        [
            el.model_parameters(
                el.SerumProfile(potassium_mmol_L=k), muscle_pNa_over_pK=pNa_over_pK
            ).muscle_rest_mV
            for k in K
        ]
    )
    mus = membrane.preset("muscle")
    ek = np.array([membrane.nernst_mV(k, mus.ions["K"].c_in_mM, 1, mus.temperature_C) for k in K])
    return K, rest, ek


# --------------------------------------------------------------------------------------------
# The lab-report figure
# --------------------------------------------------------------------------------------------


def lab_report_figure():
    """2 × 2 FigureWidget. Top left: the lab report — each analyte's value as % of the middle of
    its normal range (log axis), normal band shaded, value as a star with its text. Top right:
    the nerve model's membrane potential after one standard pulse. Bottom left: the muscle
    fibre's resting potential against [K⁺]o. Bottom right: muscle force at rest and during a
    steady effort.

    Traces: 0 lab values (markers + text), 1 V(t) (line), 2 muscle GHK rest curve, 3 muscle E_K
    curve, 4 this [K⁺]o on the rest curve (star), 5 force at rest, 6 force during effort.
    Shapes: 0–3 normal bands of the four analytes, 4 the pulse, 5 the normal K band.
    """
    fig = make_subplots(
        rows=2,
        cols=2,
        subplot_titles=[
            "lab report: value against the normal band",
            "nerve model after one standard pulse",
            "muscle fibre resting potential",
            "what the muscle does",
        ],
        horizontal_spacing=0.16,
        vertical_spacing=0.2,
        column_widths=[0.5, 0.5],
    )
    names = list(SHORT)
    ax = plots.axis
    fig.update_layout(
        template=plots.TEMPLATE_NAME,
        height=760,
        legend=dict(orientation="h", y=-0.12, x=0, yanchor="top"),
        margin=dict(l=110, r=30, t=80, b=120),
        xaxis=ax(
            "value (% of the middle of the normal range)",
            type="log",
            range=[math.log10(REPORT_RANGE_PCT[0]), math.log10(REPORT_RANGE_PCT[1])],
            tickvals=[25, 50, 100, 200, 400],
        ),
        yaxis=dict(
            tickvals=list(range(len(names))),
            ticktext=[f"{SHORT[a]} (mmol/L)" for a in names],
            range=[-0.6, 3.6],
            showline=True,
            linecolor="#444444",
            showgrid=False,
        ),
        xaxis2=ax("time (ms)", range=[0, el.OBSERVATION_ms]),
        yaxis2=ax("membrane potential (mV)", range=[-90, 55]),
        xaxis3=ax("[K⁺] outside (mmol/L)", range=[1, 12]),
        yaxis3=ax("membrane potential (mV)", range=[-120, -55]),
        xaxis4=ax("time (s)", range=[0, FORCE_DURATION_S]),
        yaxis4=ax("force (% of maximum)", rangemode="tozero"),
    )
    fig.add_scatter(
        x=[],
        y=[],
        mode="markers+text",
        name="your values",
        textposition="top center",
        marker=plots.CURRENT_POINT,
        cliponaxis=False,
        row=1,
        col=1,
        textfont=dict(size=14),
    )
    fig.add_scatter(
        x=[],
        y=[],
        mode="lines",
        name="nerve model: membrane potential",
        line=plots.line_style("model", 2.5),
        row=1,
        col=2,
    )
    K, rest, ek = muscle_rest_curve()
    fig.add_scatter(
        x=K,
        y=rest,
        mode="lines",
        name="muscle rest (GHK, PNa/PK 0.01)",
        line=dict(color=plots.OKABE_ITO["black"], width=3),
        row=2,
        col=1,
    )
    fig.add_scatter(
        x=K, y=ek, mode="lines", name="E K⁺ (Nernst)", line=plots.line_style("K", 2.5), row=2, col=1
    )
    fig.add_scatter(
        x=[], y=[], mode="markers", name="your K⁺", marker=plots.CURRENT_POINT, row=2, col=1, showlegend=False
    )
    fig.add_scatter(
        x=[],
        y=[],
        mode="lines",
        name="force at rest (involuntary)",
        line=dict(color=plots.OKABE_ITO["vermillion"], dash="dash", width=2),
        row=2,
        col=2,
    )
    fig.add_scatter(
        x=[],
        y=[],
        mode="lines",
        name="force during a steady effort",
        line=dict(color=plots.OKABE_ITO["bluish_green"], dash="solid", width=2),
        row=2,
        col=2,
    )
    for i, a in enumerate(names):
        r = el.reference_range_rows()[a]
        m = _mid(a)
        fig.add_shape(
            type="rect",
            x0=100 * r["low"] / m,
            x1=100 * r["high"] / m,
            y0=i - 0.3,
            y1=i + 0.3,
            xref="x",
            yref="y",
            fillcolor=plots.NORMAL_BAND,
            line=dict(color=plots.OKABE_ITO["bluish_green"], width=1),
            layer="below",
        )
    fig.add_vrect(
        x0=1.0,
        x1=1.0 + el.STIM_ms,
        fillcolor="rgba(230, 159, 0, 0.25)",
        line_width=0,
        layer="below",
        row=1,
        col=2,
    )
    kr = el.reference_range_rows()["potassium"]
    fig.add_vrect(
        x0=kr["low"], x1=kr["high"], fillcolor=plots.NORMAL_BAND, line_width=0, layer="below", row=2, col=1
    )
    fig.add_annotation(
        text="shaded: normal range",
        x=0.01,
        y=1.0,
        xref="paper",
        yref="paper",
        showarrow=False,
        font=dict(size=13, color="#444444"),
        xanchor="left",
        yanchor="bottom",
        yshift=-2,
    )
    return go.FigureWidget(fig)


# --------------------------------------------------------------------------------------------
# The panel
# --------------------------------------------------------------------------------------------


def _fmt_threshold(c: el.Consequences) -> str:
    th = c.threshold_1ms_uA_per_cm2
    if math.isinf(th):
        return "none: no pulse fires"
    if th == 0.0:
        return "0: it fires on its own"
    return f"{th:.2f} µA/cm²"


NERVE_WORDS = {
    "normal": "one pulse, one spike (normal)",
    "after-discharges": "one pulse gives a burst of spikes (after-discharges)",
    "spontaneous firing": "fires on its own (spontaneous firing)",
    "depolarisation block": "cannot fire: Na⁺ channels inactivated (depolarisation block)",
    "inexcitable": "cannot fire (inexcitable)",
}
MUSCLE_WORDS = {
    "normal": "normal: quiet at rest, full force on effort",
    "tetany": "tetany: involuntary twitches and spasm (as in low calcium)",
    "weakness": "weakness: less force than asked for",
}


class LabReportPanel(w.VBox):
    """Serum values (mmol/L, normal band drawn) → live consequences in the models.

    Controls: K⁺, Na⁺, ionised Ca²⁺, Mg²⁺ (mmol/L); the screening constant k (mV per e-fold
    change of ionised Ca, 4–9; default 6) and which gates the Ca shift moves (default Na⁺ gates
    only: see the module docstring). Each move runs utils.electrolytes.consequences once (fast
    path, cached per position).
    """

    def __init__(
        self,
        potassium_mmol_L: float = 4.0,
        sodium_mmol_L: float = 140.0,
        calcium_ionised_mmol_L: float = 1.2,
        magnesium_mmol_L: float = 0.85,
        k_mV: float = el.SCREENING_K_mV,
        gates: str = el.DEFAULT_GATES,
    ):
        start = {
            "potassium_mmol_L": potassium_mmol_L,
            "sodium_mmol_L": sodium_mmol_L,
            "calcium_ionised_mmol_L": calcium_ionised_mmol_L,
            "magnesium_mmol_L": magnesium_mmol_L,
        }
        el.SerumProfile(**start)  # validate (clear message)
        self.sliders = {}
        for f, (label, lo, hi, step, fmt) in SLIDERS.items():
            v = check_range(start[f], f, "mmol/L", lo=lo, hi=hi, what=f"slider value of {label}")
            self.sliders[f] = kit.slider(label, v, lo, hi, step, fmt)
        check_range(
            k_mV,
            "k_mV",
            "mV per e-fold",
            lo=4.0,
            hi=9.0,
            what="screening shift per e-fold change of ionised Ca (the slider's range)",
        )
        self.k = kit.slider("assumed shift k (mV per e-fold Ca)", k_mV, 4.0, 9.0, 0.5, ".1f")
        check_choice(gates, "gates", el.GATES, what="which gates the calcium shift moves")
        self.gates = w.Dropdown(
            options=list(GATE_OPTIONS),
            value=gates,
            description="assumed: Ca shift moves",
            style=dict(kit.CONTROL_STYLE),
            layout=kit.control_layout(),
        )
        self.readout = w.HTML()
        self.figure = lab_report_figure()
        self._loading = False
        self._force_key = None
        for c in [*self.sliders.values(), self.k, self.gates]:
            c.observe(self._on_change, "value")
        controls = w.VBox(
            [*self.sliders.values(), w.HTML("<b>Assumptions (adjustable):</b>"), self.k, self.gates]
        )
        super().__init__([w.HBox([controls, self.readout]), self.figure])
        self.update()

    def set_values(self, **values) -> dict:
        """Move several sliders at once (one update), e.g. ``set_values(potassium_mmol_L=7)``."""
        unknown = set(values) - set(self.sliders)
        if unknown:
            raise ParameterError(f"unknown slider(s) {sorted(unknown)}; choose from {sorted(self.sliders)}.")
        self._loading = True
        try:
            for f, v in values.items():
                self.sliders[f].value = v
        finally:
            self._loading = False
        return self.update()

    def _on_change(self, _change) -> None:
        if not self._loading:
            self.update()

    def values(self) -> dict:
        return {f: float(s.value) for f, s in self.sliders.items()}

    def update(self) -> dict:
        """Run the models for the slider values, redraw in place, return the numbers shown."""
        v = self.values()
        k, gates = float(self.k.value), str(self.gates.value)
        c = consequences_cached(
            v["potassium_mmol_L"],
            v["sodium_mmol_L"],
            v["calcium_ionised_mmol_L"],
            v["magnesium_mmol_L"],
            k,
            gates,
        )
        mp = c.model
        cls = {ANALYTE_OF[f]: el.classify(x, ANALYTE_OF[f]) for f, x in v.items()}
        names = list(SHORT)
        xs = [100.0 * cls[a].value_table_unit / _mid(a) for a in names]
        flag = {
            "normal": "",
            "low": " L",
            "moderate low": " L",
            "severe low": " LL",
            "high": " H",
            "severe high": " HH",
        }
        texts = [f"{cls[a].value_table_unit:g}{flag[cls[a].category]}" for a in names]
        force = muscle_force(c)
        t, vm = (a.astype(np.float32) for a in c.trace)
        with self.figure.batch_update():
            d = self.figure.data
            d[0].x, d[0].y, d[0].text = xs, list(range(len(names))), texts
            d[1].x, d[1].y = t, vm
            d[4].x, d[4].y = [v["potassium_mmol_L"]], [mp.muscle_rest_mV]
            key = (c.nerve_state, c.muscle, round(force["fraction_through"], 4))
            if key != self._force_key:  # only 4 shapes of force: resend rarely
                d[5].x, d[5].y = force["t_s"], force["rest_pct"]
                d[6].x, d[6].y = force["t_s"], force["effort_pct"]
                self._force_key = key
            self.figure.layout.title.text = (
                f"Nerve: {c.nerve_state}; muscle: {c.muscle} (k = {k:g} mV, {gates} gates)"
            )
        out = {
            "nerve_state": c.nerve_state,
            "muscle": c.muscle,
            "threshold_1ms_uA_per_cm2": c.threshold_1ms_uA_per_cm2,
            "n_spikes_standard": c.n_spikes_standard,
            "spontaneous_rate_Hz": c.spontaneous_rate_Hz,
            "rest_hh_mV": c.rest_hh_mV,
            "muscle_rest_mV": mp.muscle_rest_mV,
            "nerve_rest_mV": mp.nerve_rest_mV,
            "shift_mV": mp.shift_mV,
            "E_K_hh_mV": mp.E_K_hh_mV,
            "relative_release": mp.relative_release,
            "safety_factor": mp.safety_factor,
            "fraction_through": force["fraction_through"],
            "effort_force_pct": force["effort_mean_pct"],
            "categories": {a: cls[a].category for a in names},
            "k_mV": k,
            "gates": gates,
        }
        self.readout.value = self._text(v, cls, c, out)
        return out

    def _text(self, v, cls, c, out) -> str:
        rows = []
        for f, x in v.items():
            a = ANALYTE_OF[f]
            cl = cls[a]
            extra = ""
            if a in ("calcium_ionised", "magnesium"):
                extra = f" = {el.convert(x, a, 'mmol/L', 'mg/dL'):.2f} mg/dL"
            rows.append(
                f"<tr><td>{SHORT[a]}</td><td><b>{x:g}</b> mmol/L{extra}</td>"
                f"<td>{cl.low:g}–{cl.high:g}</td><td><b>{cl.category}</b></td></tr>"
            )
        table = (
            "<table style='border-collapse:collapse'><tr><th align=left>test</th>"
            "<th align=left>result</th><th align=left>normal</th><th align=left>flag</th>"
            "</tr>" + "".join(rows) + "</table>"
        )
        mp = c.model
        rate = f", {c.spontaneous_rate_Hz:.0f} spikes/s" if c.spontaneous_rate_Hz else ""
        notes = "".join(f"<br><i>Note: {html.escape(n)}.</i>" for n in c.notes)
        return kit.readout_box(
            table + f"<p><b>Muscle fibre</b> resting potential {mp.muscle_rest_mV:.1f} mV "
            f"(GHK at 37 °C); nerve {mp.nerve_rest_mV:.1f} mV.<br>"
            f"<b>Nerve model</b> (squid HH with E K⁺ {mp.E_K_hh_mV:.1f} mV, gating shift "
            f"{mp.shift_mV:+.2f} mV): rests at {c.rest_hh_mV:.1f} mV; 1 ms threshold "
            f"{_fmt_threshold(c)}; one standard pulse (20 µA/cm², 1 ms) gives "
            f"<b>{c.n_spikes_standard}</b> spike(s); {NERVE_WORDS[c.nerve_state]}{rate}.<br>"
            f"<b>Junction:</b> release {100 * mp.relative_release:.0f} % of normal, safety "
            f"factor {mp.safety_factor:.2f} ({100 * mp.p_fail:.0f} % of impulses fail).<br>"
            f"<b>Muscle:</b> {MUSCLE_WORDS[c.muscle]}; effort force "
            f"{out['effort_force_pct']:.0f} % of maximum.{notes}</p>"
            "<p style='font-size:13px'>A teaching model, not a diagnosis: abnormal results "
            "need a clinician.</p>"
        )


def lab_report_panel(**kwargs) -> LabReportPanel:
    """Notebook 05, the lab-report panel (keyword arguments: starting values, k_mV, gates)."""
    return LabReportPanel(**kwargs)


# --------------------------------------------------------------------------------------------
# Static figures
# --------------------------------------------------------------------------------------------

#: [K⁺]o values (mmol/L) of the model traces in the block comparison, and the recorded sweeps
#: (171116sh_0019: 200 pA fires regularly, 900 pA fires fast, 1500 pA: three spikes, then block).
BLOCK_K_mmol_L = (4.0, 6.5, 10.0)
BLOCK_SWEEPS = (3, 10, 16)


def block_comparison_figure(rec=None, gates: str = el.DEFAULT_GATES):
    """High K⁺ in the model (top) beside a recorded cell driven by current steps (bottom).

    Top: the nerve model after one standard pulse at [K⁺]o 4, 6.5 and 10 mmol/L (normal,
    spontaneous firing, depolarisation block). Bottom: sweeps 3, 10 and 16 of the pyABF
    recording 171116sh_0019 (``rec`` from data.load_current_clamp; None = model only).
    Returns (figure, dict of the states and recorded spike counts)."""
    fig = make_subplots(
        rows=2,
        cols=1,
        vertical_spacing=0.16,
        subplot_titles=["model nerve: raising K⁺ outside", "recorded cell: raising the injected current"],
    )
    ax = plots.axis
    fig.update_layout(
        template=plots.TEMPLATE_NAME,
        height=720,
        legend=dict(orientation="h", y=-0.12, x=0, yanchor="top"),
        margin=dict(l=80, r=30, t=70, b=140),
        xaxis=ax("time (ms)", range=[0, el.OBSERVATION_ms]),
        yaxis=ax("membrane potential (mV)", range=[-90, 60]),
        xaxis2=ax("time (s)", range=[0.1, 0.7]),
        yaxis2=ax("membrane potential (mV)", range=[-90, 60]),
    )
    out = {"model": {}, "recording": {}}
    for i, K in enumerate(BLOCK_K_mmol_L):
        c = el.consequences(el.SerumProfile(potassium_mmol_L=K), gates=gates, keep_trace=True)
        out["model"][K] = c.nerve_state
        fig.add_scatter(
            x=c.trace[0],
            y=c.trace[1],
            mode="lines",
            name=f"model, K⁺ {K:g} mmol/L: {c.nerve_state}",
            line=plots.line_style(f"c{i}", 2),
            row=1,
            col=1,
        )
    if rec is not None:
        t0, t1 = step_window_s(rec)
        for i, s in enumerate(BLOCK_SWEEPS):
            st, _ = recorded_spikes(rec.time_s, rec.v_mV[s])
            n = int(np.sum((st >= t0) & (st < t1)))
            i_pA = float(np.median(rec.i_pA[s][(rec.time_s >= t0) & (rec.time_s < t1)]))
            out["recording"][s] = {"i_pA": i_pA, "n_spikes": n}
            sel = (rec.time_s >= 0.1) & (rec.time_s <= 0.7)
            tt, vv = kit.decimate(rec.time_s[sel], rec.v_mV[s][sel], 3000)
            fig.add_scatter(
                x=tt,
                y=vv,
                mode="lines",
                name=f"recorded, {i_pA:+.0f} pA: {n} spikes in the step",
                line=plots.line_style(f"c{i}", 1.5),
                row=2,
                col=1,
            )
        fig.add_annotation(**(plots.credit_annotation(rec.credit) | dict(y=-0.26)))
    return go.FigureWidget(fig), out


def potassium_paradox_figure():
    """Muscle resting potential against [K⁺]o (log axis, 0.5–12 mmol/L): E K⁺, GHK with PNa/PK
    0.01 and 0.02 (the two rows of the REFERENCE §2 table), the normal band, and the reported
    second, depolarised stable state near −60 mV below about 1–1.5 mmol/L (jurkatrott2009),
    which the GHK equation cannot produce."""
    K = np.round(np.geomspace(0.5, 12.0, 120), 4)
    mus = membrane.preset("muscle")
    ek = np.array([membrane.nernst_mV(k, mus.ions["K"].c_in_mM, 1, 37.0) for k in K])
    fig = plots.figure(
        "Muscle resting potential and outside K⁺",
        "[K⁺] outside (mmol/L, log scale)",
        "membrane potential (mV)",
        xaxis=dict(
            title=dict(text="[K⁺] outside (mmol/L, log scale)"),
            type="log",
            range=[math.log10(0.5), math.log10(12)],
        ),
        yaxis=dict(title=dict(text="membrane potential (mV)"), range=[-140, -40]),
        legend=dict(x=0.99, xanchor="right", y=0.02, yanchor="bottom"),
    )
    fig.add_scatter(x=K, y=ek, mode="lines", name="E K⁺ (Nernst)", line=plots.line_style("K"))
    mi = mus.ions
    for i, ratio in enumerate((0.01, 0.02)):
        rest = [
            membrane.ghk_mV(
                k,
                mi["K"].c_in_mM,
                mi["Na"].c_out_mM,
                mi["Na"].c_in_mM,
                mi["Cl"].c_out_mM,
                mi["Cl"].c_in_mM,
                p_K=1.0,
                p_Na=ratio,
                p_Cl=0.0,
                temperature_C=mus.temperature_C,
            )
            for k in K
        ]
        fig.add_scatter(
            x=K,
            y=rest,
            mode="lines",
            name=f"GHK, PNa/PK = {ratio:g}",
            line=dict(color=plots.OKABE_ITO["black"], dash=("solid", "dash")[i], width=3),
        )
    fig.add_scatter(
        x=[0.5, 1.0, 1.5],
        y=[-60, -60, -60],
        mode="lines+markers",
        name="reported depolarised state (about −60 mV)",
        line=dict(color=plots.OKABE_ITO["vermillion"], dash="dot", width=3),
        marker=dict(symbol="square", size=10, color=plots.OKABE_ITO["vermillion"]),
    )
    kr = el.reference_range_rows()["potassium"]
    fig.add_vrect(
        x0=kr["low"],
        x1=kr["high"],
        fillcolor=plots.NORMAL_BAND,
        line_width=0,
        layer="below",
        annotation_text="normal",
        annotation_position="top left",
    )
    return fig


# ---- real laboratory values (MIMIC-IV demo) -------------------------------------------------

#: MIMIC analyte → (this project's table analyte, label). 'calcium_free' is the ionised Ca.
LAB_ANALYTES = {
    "potassium": ("potassium", "K⁺"),
    "sodium": ("sodium", "Na⁺"),
    "calcium_free": ("calcium_ionised", "ionised Ca²⁺"),
    "calcium_total": ("calcium_total", "total Ca"),
    "magnesium": ("magnesium", "Mg²⁺"),
    "chloride": ("chloride", "Cl⁻"),
}


def lab_summary(df):
    """One row per analyte of MIMIC-IV demo results (data.load_lab_results): n results and
    patients, unit, the laboratory's most common reference range, % of results below / above
    the range given with each result, % flagged 'abnormal' by the laboratory, and % outside this
    project's table range (converted to the laboratory's unit)."""
    rows = []
    for a, (ours, label) in LAB_ANALYTES.items():
        d = df[df["analyte"] == a]
        if d.empty:
            continue
        unit = d["unit"].mode().iloc[0]
        lo_mode = d["ref_range_lower"].mode().iloc[0]
        hi_mode = d["ref_range_upper"].mode().iloc[0]
        r = el.reference_range_rows()[ours]
        f = el.conversion_factor(ours, unit)
        x = d["value"].to_numpy()
        rows.append(
            {
                "analyte": label,
                "unit": unit,
                "n_results": int(len(d)),
                "n_patients": int(d["subject_id"].nunique()),
                "lab_range": f"{lo_mode:g}–{hi_mode:g}",
                "pct_below": 100.0 * float(np.mean(x < d["ref_range_lower"].to_numpy())),
                "pct_above": 100.0 * float(np.mean(x > d["ref_range_upper"].to_numpy())),
                "pct_flagged": 100.0 * float(np.mean(d["flag"].eq("abnormal").fillna(False))),
                "our_range": f"{r['low'] * f:.3g}–{r['high'] * f:.3g}",
                "pct_outside_ours": 100.0
                * float(np.mean((x < r["low"] * f - 1e-9) | (x > r["high"] * f + 1e-9))),
            }
        )
    return pd.DataFrame(rows)


def lab_distribution_figure(df, credit: str = ""):
    """Histograms of the MIMIC-IV demo results (2 × 3 panels: K⁺, Na⁺, ionised Ca²⁺, total Ca,
    Mg²⁺, Cl⁻; 40 bins between the 0.5th and 99.5th percentiles) with the laboratory's most
    common reference range shaded; x in the laboratory's own unit, y in results per bin.

    Only bin counts go into the figure, and it is a FigureWidget, whose state the notebooks do
    not store: no extract of the ODbL data ends up in the repository."""
    keys = list(LAB_ANALYTES)
    units = {a: df.loc[df["analyte"] == a, "unit"].mode().iloc[0] for a in keys}
    fig = make_subplots(
        rows=2,
        cols=3,
        horizontal_spacing=0.08,
        vertical_spacing=0.22,
        subplot_titles=[LAB_ANALYTES[a][1] for a in keys],
    )
    layout = dict(
        template=plots.TEMPLATE_NAME,
        height=640,
        showlegend=False,
        margin=dict(l=80, r=30, t=70, b=110),
        title=dict(text="Hospital results (MIMIC-IV demo) against the laboratory's normal range"),
    )
    for i, a in enumerate(keys):
        sfx = "" if i == 0 else str(i + 1)
        layout[f"xaxis{sfx}"] = plots.axis(f"{LAB_ANALYTES[a][1]} ({units[a]})")
        layout[f"yaxis{sfx}"] = plots.axis("results (per bin)" if i % 3 == 0 else "(count)")
    fig.update_layout(**layout)
    for i, a in enumerate(keys):
        d = df[df["analyte"] == a]
        r, c = divmod(i, 3)
        x = d["value"].to_numpy()
        lo, hi = np.percentile(x, [0.5, 99.5])
        counts, edges = np.histogram(x[(x >= lo) & (x <= hi)], bins=40)
        fig.add_bar(
            x=0.5 * (edges[:-1] + edges[1:]),
            y=counts,
            width=np.diff(edges),
            row=r + 1,
            col=c + 1,
            name=LAB_ANALYTES[a][1],
            marker=dict(color=plots.OKABE_ITO["blue"], line=dict(color="white", width=0.5)),
        )
        fig.add_vrect(
            x0=d["ref_range_lower"].mode().iloc[0],
            x1=d["ref_range_upper"].mode().iloc[0],
            fillcolor=plots.NORMAL_BAND,
            line=dict(color=plots.OKABE_ITO["bluish_green"], width=1, dash="dash"),
            layer="below",
            row=r + 1,
            col=c + 1,
        )
    if credit:
        fig.add_annotation(**(plots.credit_annotation(credit) | dict(y=-0.2)))
    return go.FigureWidget(fig)

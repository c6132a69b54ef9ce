"""Panels and figures of notebook 05 (electrolytes and excitability), built on
``utils.electrolytes`` (which drives utils.hh, utils.membrane, utils.nmj) and ``utils.muscle``.

The panel sits on :class:`utils.kit.Panel` (``compute`` runs the models, ``draw`` sets the
traces by key, ``describe`` writes the read-out; ``update()`` returns the numbers shown: the
benchmark times it, the tests compare it with utils.electrolytes). The figures are drawn by
``utils.electrolyte_plots``; this module computes what they show. Every concentration is in
mmol/L (mEq/L = mmol/L for the monovalent ions K⁺, Na⁺, Cl⁻).

* :class:`LabReportPanel` — serum K⁺, Na⁺, ionised Ca²⁺, Mg²⁺ (mmol/L) against their normal
  bands → resting potentials, 1 ms threshold, spikes after one standard pulse, spontaneous
  firing, release at the junction and what the muscle does: the muscle side is the mammalian
  fibre at 37 °C (utils.fibre, through el.fibre_excitability and its precomputed K⁺/Na⁺ grid),
  named by el.muscle_verdict (:data:`MUSCLE_WORDS`, :data:`FIBRE_WORDS`). The screening assumptions (k, in
  mV per e-fold change of Ca, and which gates move) are labelled controls.
* Static figures: :func:`block_comparison_figure` (high K⁺ in the model beside a recorded cell
  driven into depolarisation block), :func:`potassium_paradox_figure` (muscle rest against
  [K⁺]o), :func:`lab_distribution_figure` and :func:`lab_summary` (MIMIC-IV demo results
  against the hospital laboratory's reference band, converted to mmol/L).

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

import numpy as np
import pandas as pd

from ..figures import electrolyte_plots, framing
from ..models import electrolytes as el
from ..models import fibre, membrane, muscle, tablecache
from ..models.sweeps import recorded_spikes, step_window_s
from ..sources.recordings import CurrentClampRecording
from ..validation import ParameterError, check_choice, check_instance, check_range
from . import kit

#: The panel's default gates: the engine's (utils.electrolytes.DEFAULT_GATES, Na⁺ gates only;
#: see the module docstring) — one choice for the engine, this panel and notebook 06's tetany.
#: And the options of its toggle.
GATE_OPTIONS = (
    ("Na⁺ gates only (m, h)", "na"),
    ("all gates (m, h, n)", "all"),
)
#: Slider ranges (mmol/L), all inside the plausible limits of data/serum_reference_ranges.csv,
#: and steps. Mg reaches 5 mmol/L (therapeutic Mg infusions and overdose); Ca 0.4–2.0.
SLIDERS = {  # field: (label, lo, hi, step, format)
    "potassium_mmol_L": ("K⁺ (mmol/L)", 1.5, 10.0, 0.05, ".2f"),
    "sodium_mmol_L": ("Na⁺ (mmol/L)", 110.0, 160.0, 1.0, ".0f"),
    "calcium_ionised_mmol_L": ("ionised Ca²⁺ (mmol/L)", 0.4, 2.0, 0.01, ".2f"),
    "magnesium_mmol_L": ("Mg²⁺ (mmol/L)", 0.2, 5.0, 0.05, ".2f"),
}
#: The panel's starting serum values (mmol/L): normal blood.
START = {
    "potassium_mmol_L": 4.0,
    "sodium_mmol_L": 140.0,
    "calcium_ionised_mmol_L": 1.2,
    "magnesium_mmol_L": 0.85,
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
K_GRID = tuple(np.round(np.arange(1.0, 10.0001, 0.05), 2))


def _mid(analyte: str) -> float:
    r = el.reference_range_rows()[analyte]
    return 0.5 * (r["low"] + r["high"])


# --------------------------------------------------------------------------------------------
# Cached computations
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=512)
@tablecache.disk_cached
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
@tablecache.disk_cached
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
    that does not twitch, and by the fibres' own force factor
    (``Consequences.muscle_force_factor``: 0 when the fibres are inexcitable, the AP overshoot
    ratio when the AP has shrunk; a proxy)."""
    tr = muscle_traces(seed)
    through = (1.0 - c.model.p_fail) * c.muscle_force_factor
    zero = np.zeros_like(tr["effort_pct"])
    if c.nerve_state in ("depolarisation block", "inexcitable") or through == 0.0:
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
@tablecache.disk_cached
def muscle_rest_curve(sodium_mmol_L: float = el.NA_REF_mmol_L):
    """(K grid, rest of the muscle fibre, E_K), mV: the mammalian fibre at 37 °C
    (utils.fibre via el.fibre_excitability; its most negative stable rest) and the Nernst E_K of
    its myoplasmic K⁺ at 37 °C."""
    K = np.array(K_GRID)
    rest = np.array([el.fibre_excitability(float(k), sodium_mmol_L)["rest_mV"] for k in K])
    p = fibre.FibreParams()
    ek = np.array([membrane.nernst_mV(k, p.k_in_mM, 1, p.temperature_C) for k in K])
    return K, rest, ek


def lab_report_figure():
    """The lab-report FigureWidget (``utils.electrolyte_plots.lab_report_figure``) with this
    panel's analytes, normal bands, muscle rest curve and time axes."""
    names = list(SHORT)
    rows = el.reference_range_rows()
    return electrolyte_plots.lab_report_figure(
        [SHORT[a] for a in names],
        [(100 * rows[a]["low"] / _mid(a), 100 * rows[a]["high"] / _mid(a)) for a in names],
        REPORT_RANGE_PCT,
        muscle_rest_curve(),
        (rows["potassium"]["low"], rows["potassium"]["high"]),
        el.OBSERVATION_ms,
        (1.0, 1.0 + el.STIM_ms),
        FORCE_DURATION_S,
    )


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


#: Flag after a lab value, by category (as on a printed report).
FLAG = {
    "normal": "",
    "low": " L",
    "moderate low": " L",
    "severe low": " LL",
    "high": " H",
    "severe high": " HH",
}
#: Padding of the read-out table's cells (columns never run into each other).
CELL_PAD = "padding:1px 14px 1px 0"
TD = f"<td style='{CELL_PAD}'>"

NERVE_WORDS = {
    "normal": "one pulse, one spike (normal)",
    "after-discharges": "one pulse gives a burst of spikes (after-discharges)",
    "spontaneous firing": "fires on its own (spontaneous firing)",
    "depolarisation block": (
        "no full spike: the membrane stays depolarised and at most ripples below 0 mV, because most Na⁺ "
        "channels stay inactivated (depolarisation block)"
    ),
    "inexcitable": "cannot fire (inexcitable)",
}
#: What the muscle does (utils.electrolytes.MUSCLE_VERDICTS; rules: el.muscle_verdict).
MUSCLE_WORDS = {
    "normal": "normal: quiet at rest, full force on effort",
    "tetany": "tetany: involuntary twitches and spasm, from overexcitable nerves (as in low calcium)",
    "weakness": "weakness: less force than asked for",
    "paralysis": "flaccid paralysis: the muscle fibres cannot fire (inexcitable)",
    "myotonia": "myotonia: the muscle fibres fire on by themselves (slow relaxation, stiffness)",
}
#: The fibre's membrane state (utils.electrolytes.MUSCLE_STATES).
FIBRE_WORDS = {
    "normal": "normal",
    "hyperpolarised": "hyperpolarised (more negative than normal)",
    "depolarised": "depolarised (less negative than normal)",
    "paradoxical depolarisation": "paradoxical depolarisation (less negative although K⁺ is low)",
    "two stable states": "two stable resting states (normal and depolarised)",
    "no stable rest": "no stable rest: it fires on its own",
}


class LabReportPanel(kit.Panel):
    """Serum values (mmol/L, normal band drawn) → live consequences in the models.

    Controls: K⁺, Na⁺, ionised Ca²⁺, Mg²⁺ (mmol/L; starting values as keywords, e.g.
    ``potassium_mmol_L=6``, default :data:`START`); the screening constant k (mV per e-fold
    change of ionised Ca, 4–9; default 6) and which gates the Ca shift moves (default Na⁺ gates
    only: see the module docstring). Each move runs utils.electrolytes.consequences once (fast
    path, cached per position).
    """

    def __init__(self, k_mV: float = el.SCREENING_K_mV, gates: str = el.DEFAULT_GATES, **values: float):
        unknown = set(values) - set(SLIDERS)
        if unknown:
            raise ParameterError(f"unknown slider(s) {sorted(unknown)}; choose from {sorted(SLIDERS)}.")
        start = START | values
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
        self.gates = kit.dropdown("assumed: Ca shift moves", list(GATE_OPTIONS), gates)
        el.fibre_excitability(el.K_REF_mmol_L)  # load the fibre table once, before any slider move
        super().__init__({**self.sliders, "k": self.k, "gates": self.gates}, lab_report_figure())

    def set_values(self, **values) -> dict:
        """Move several sliders at once (one update), e.g. ``set_values(potassium_mmol_L=7)``."""
        unknown = set(values) - set(self.sliders)
        if unknown:
            raise ParameterError(f"unknown slider(s) {sorted(unknown)}; choose from {sorted(self.sliders)}.")
        self._updating = True  # the base's re-entry guard: no update per slider
        try:
            for f, v in values.items():
                self.sliders[f].value = v
        finally:
            self._updating = False
        return self.update()

    def values(self) -> dict:
        return {f: float(s.value) for f, s in self.sliders.items()}

    def compute(self) -> dict:
        """Run the models for the slider values: the numbers shown, and what the figure needs."""
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
        force = muscle_force(c)
        return {
            "nerve_state": c.nerve_state,
            "muscle": c.muscle,
            "threshold_1ms_uA_per_cm2": c.threshold_1ms_uA_per_cm2,
            "n_spikes_standard": c.n_spikes_standard,
            "spontaneous_rate_Hz": c.spontaneous_rate_Hz,
            "rest_hh_mV": c.rest_hh_mV,
            "muscle_rest_mV": c.fibre_rest_mV,
            "muscle_state": c.muscle_state,
            "muscle_ghk_rest_mV": mp.muscle_rest_mV,
            "nerve_rest_mV": mp.nerve_rest_mV,
            "shift_mV": mp.shift_mV,
            "E_K_hh_mV": mp.E_K_hh_mV,
            "relative_release": mp.relative_release,
            "safety_factor": mp.safety_factor,
            "fraction_through": force["fraction_through"],
            "effort_force_pct": force["effort_mean_pct"],
            "categories": {a: cls[a].category for a in SHORT},
            "k_mV": k,
            "gates": gates,
            "values": v,
            "classes": cls,
            "consequences": c,
            "force": force,
        }

    def draw(self, st: dict) -> None:
        cls, v, force = st["classes"], st["values"], st["force"]
        names = list(SHORT)
        t, vm = (a.astype(np.float32) for a in st["consequences"].trace)
        framing.set_xy(
            self.figure,
            {
                "lab": ([100.0 * cls[a].value_table_unit / _mid(a) for a in names], list(range(len(names)))),
                "V": (t, vm),
                "your_K": ([v["potassium_mmol_L"]], [st["muscle_rest_mV"]]),
                "force_rest": (force["t_s"], force["rest_pct"]),
                "force_effort": (force["t_s"], force["effort_pct"]),
            },
        )
        self.trace("lab").text = [f"{cls[a].value_table_unit:g}{FLAG[cls[a].category]}" for a in names]
        self.figure.plot_layout.title.text = (
            f"Nerve: {st['nerve_state']}; muscle: {st['muscle']} (k = {st['k_mV']:g} mV, {st['gates']} gates)"
        )

    def describe(self, st: dict) -> str:
        rows = []
        for f, x in st["values"].items():
            a = ANALYTE_OF[f]
            cl = st["classes"][a]
            extra = ""
            if a in ("calcium_ionised", "magnesium"):
                extra = f" ({el.convert(x, a, 'mmol/L', 'mg/dL'):.2f} mg/dL)"
            rows.append(
                f"<tr>{TD}{SHORT[a]}</td>{TD}<b>{x:g}</b>{extra}</td>"
                f"{TD}{cl.low:g}–{cl.high:g}</td>{TD}<b>{cl.category}</b></td></tr>"
            )
        head = "".join(
            f"<th style='text-align:left;{CELL_PAD}'>{h}</th>"
            for h in ("test", "result (mmol/L)", "normal (mmol/L)", "flag")
        )
        # compact (the unit once, in the head), so the sliders, this read-out and the figure fit one screen
        table = (
            f"<table style='border-collapse:collapse;font-size:0.92em'><tr>{head}</tr>{''.join(rows)}</table>"
        )
        return (
            table + f"<p><b>Nerve:</b> {html.escape(st['nerve_state'])} · <b>Muscle:</b> "
            f"{html.escape(st['muscle'])} (the account is below the figure)</p>"
        )

    def explain(self, st: dict) -> str:
        c = st["consequences"]
        mp = c.model
        fib = c.fibre
        if fib["fires"]:
            ap = f"a 1 ms pulse of {fibre.STANDARD_PULSE_UA_PER_CM2:g} µA/cm² gives an action potential peaking at {fib['ap_peak_mV']:+.1f} mV"
        else:
            ap = (
                f"a 1 ms pulse of {fibre.STANDARD_PULSE_UA_PER_CM2:g} µA/cm² gives <b>no action potential</b>"
            )
        rate = f", {c.spontaneous_rate_Hz:.0f} spikes/s" if c.spontaneous_rate_Hz else ""
        notes = "".join(f"<br><i>Note: {html.escape(n)}.</i>" for n in c.notes)
        return (
            f"<p><b>Muscle fibre</b> (mammalian fibre at 37 °C): rests at "
            f"{c.fibre_rest_mV:.1f} mV, {FIBRE_WORDS[c.muscle_state]}; {ap}. "
            f"Nerve cell (GHK): {mp.nerve_rest_mV:.1f} mV.<br>"
            f"<b>Nerve model</b> (squid HH with E K⁺ {mp.E_K_hh_mV:.1f} mV, gating shift "
            f"{mp.shift_mV:+.2f} mV): rests at {c.rest_hh_mV:.1f} mV; 1 ms threshold "
            f"{_fmt_threshold(c)}; one standard pulse (20 µA/cm², 1 ms) gives "
            f"<b>{c.n_spikes_standard}</b> spike(s); {NERVE_WORDS[c.nerve_state]}{rate}.<br>"
            f"<b>Junction:</b> release {100 * mp.relative_release:.0f} % of normal, safety "
            f"factor {mp.safety_factor:.2f} ({100 * mp.p_fail:.0f} % of impulses fail).<br>"
            f"<b>Muscle:</b> {MUSCLE_WORDS[c.muscle]}; effort force "
            f"{st['effort_force_pct']:.0f} % of maximum.{notes}</p>"
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
    gates = check_choice(gates, "gates", el.GATES, what="which gates the calcium shift moves")
    if rec is not None:
        check_instance(
            rec, "rec", CurrentClampRecording, what="a current-clamp recording (data.load_current_clamp)"
        )
        if rec.n_sweeps <= max(BLOCK_SWEEPS):
            raise ParameterError(
                f"rec = {rec.name} has {rec.n_sweeps} sweeps; the comparison shows sweeps {BLOCK_SWEEPS} of "
                "recording 171116sh_0019 (data.load_current_clamp('171116sh_0019'))."
            )
    out = {"model": {}, "recording": {}}
    model, recorded = [], []
    for K in BLOCK_K_mmol_L:
        c = el.consequences(el.SerumProfile(potassium_mmol_L=K), gates=gates, keep_trace=True)
        out["model"][K] = c.nerve_state
        model.append((c.trace[0], c.trace[1], f"model, K⁺ {K:g} mmol/L: {c.nerve_state}"))
    if rec is not None:
        t0, t1 = step_window_s(rec)
        sel = (rec.time_s >= 0.1) & (rec.time_s <= 0.7)
        for s in BLOCK_SWEEPS:
            st, _ = recorded_spikes(rec.time_s, rec.v_mV[s])
            n = int(np.sum((st >= t0) & (st < t1)))
            i_pA = float(np.median(rec.i_pA[s][(rec.time_s >= t0) & (rec.time_s < t1)]))
            out["recording"][s] = {"i_pA": i_pA, "n_spikes": n}
            tt, vv = kit.decimate(rec.time_s[sel], rec.v_mV[s][sel], 3000)
            recorded.append((tt, vv, f"recorded, {i_pA:+.0f} pA: {n} spikes in the step"))
    credit = rec.credit if rec is not None else ""
    return electrolyte_plots.block_comparison_figure(model, recorded, el.OBSERVATION_ms, credit), out


def potassium_paradox_figure():
    """Muscle resting potential against [K⁺]o (log axis, 0.5–12 mmol/L): E K⁺, GHK with PNa/PK
    0.01 and 0.02 (the two rows of the REFERENCE §2 table), the normal band, and the reported
    second, depolarised stable state near −60 mV below about 1–1.5 mmol/L (jurkatrott2009),
    which the GHK equation cannot produce (``utils.electrolyte_plots``)."""
    K = np.round(np.geomspace(0.5, 12.0, 120), 4)
    curves = {ratio: membrane.resting_vs_potassium(K, "muscle", ratio) for ratio in (0.01, 0.02)}
    ek = curves[0.01]["E_K_mV"]
    rests = {ratio: c["V_rest_mV"] for ratio, c in curves.items()}
    kr = el.reference_range_rows()["potassium"]
    return electrolyte_plots.potassium_paradox_figure(K, ek, rests, (kr["low"], kr["high"]))


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
    """One row per analyte of MIMIC-IV demo results (data.load_lab_results), in mmol/L (the
    laboratory's own unit in 'lab_unit'; mEq/L = mmol/L for K⁺, Na⁺, Cl⁻): n results and
    patients, the laboratory's most common reference range, % of results below / above the
    range given with each result, % flagged 'abnormal' by the laboratory, this project's table
    range and % outside it."""
    rows = []
    for a, (ours, label) in LAB_ANALYTES.items():
        d = df[df["analyte"] == a]
        if d.empty:
            continue
        unit = d["unit"].mode().iloc[0]
        f = el.conversion_factor(ours, unit)  # lab units per mmol/L
        r = el.reference_range_rows()[ours]
        x = d["value"].to_numpy() / f
        lo, hi = d["ref_range_lower"].to_numpy() / f, d["ref_range_upper"].to_numpy() / f
        rows.append(
            {
                "analyte": label,
                "unit": "mmol/L",
                "lab_unit": unit,
                "n_results": int(len(d)),
                "n_patients": int(d["subject_id"].nunique()),
                "lab_range": f"{d['ref_range_lower'].mode().iloc[0] / f:.3g}–{d['ref_range_upper'].mode().iloc[0] / f:.3g}",
                "pct_below": 100.0 * float(np.mean(x < lo - 1e-9)),
                "pct_above": 100.0 * float(np.mean(x > hi + 1e-9)),
                "pct_flagged": 100.0 * float(np.mean(d["flag"].eq("abnormal").fillna(False))),
                "our_range": f"{r['low']:.3g}–{r['high']:.3g}",
                "pct_outside_ours": 100.0 * float(np.mean((x < r["low"] - 1e-9) | (x > r["high"] + 1e-9))),
            }
        )
    return pd.DataFrame(rows)


def lab_distribution_figure(df, credit: str = ""):
    """Histograms of the MIMIC-IV demo results (2 × 3 panels: K⁺, Na⁺, ionised Ca²⁺, total Ca,
    Mg²⁺, Cl⁻; 40 bins between the 0.5th and 99.5th percentiles) with the laboratory's most
    common reference range shaded; x in mmol/L (converted from the laboratory's unit), y in
    results per bin (``utils.electrolyte_plots``).

    Only bin counts go into the figure, and it is a FigureWidget, whose state the notebooks do
    not store: no extract of the ODbL data ends up in the repository."""
    panels = []
    for a, (ours, label) in LAB_ANALYTES.items():
        d = df[df["analyte"] == a]
        f = el.conversion_factor(ours, d["unit"].mode().iloc[0])
        x = d["value"].to_numpy() / f
        lo, hi = np.percentile(x, [0.5, 99.5])
        counts, edges = np.histogram(x[(x >= lo) & (x <= hi)], bins=40)
        panels.append(
            {
                "label": label,
                "centres": 0.5 * (edges[:-1] + edges[1:]),
                "counts": counts,
                "widths": np.diff(edges),
                "lab_range": (
                    d["ref_range_lower"].mode().iloc[0] / f,
                    d["ref_range_upper"].mode().iloc[0] / f,
                ),
            }
        )
    return electrolyte_plots.lab_distribution_figure(panels, credit)

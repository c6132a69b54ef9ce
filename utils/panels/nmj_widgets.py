"""Interactive panels of notebook 04 (from nerve to muscle): the junction and one motor unit.

Every panel sits on :class:`utils.kit.Panel`: labelled sliders and a read-out above one
``go.FigureWidget`` (layout in the constructor), ``compute()`` (pure: the numbers and arrays),
``draw()`` (x and y of every trace, by key, in one batch) and ``describe()`` (the read-out);
``update()`` is what the sliders call and returns the state (tests check its numbers,
``benchmarks/bench_nmj_panels.py`` times it).

* :class:`ReleasePanel` — extracellular Ca²⁺ and Mg²⁺ → quantal content m (Dodge–Rahamimoff,
  ``utils.nmj``), the expected EPP amplitude histogram over the real Boyd & Martin counts, and
  the safety factor.
* :class:`MotorUnitPanel` — one motor unit of the ``utils.muscle`` pool firing at a chosen rate
  → its needle-EMG potentials (``utils.emg``) and its force.
* :func:`ec_coupling_diagram` — the chain from nerve impulse to twitch (static diagram).

The EMG panels (real records, voluntary contraction against fasciculations) are in
``utils.emg_widgets``.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ..figures import framing, nmj_plots
from ..models import emg, muscle, nmj
from ..sources import recordings as data
from ..sources import tables
from ..validation import ParameterError, check_int, check_range
from . import kit

__all__ = [
    "ReleasePanel",
    "release_panel",
    "MotorUnitPanel",
    "motor_unit_panel",
    "ec_coupling_diagram",
    "boyd_martin",
    "mg_for_quantal_content",
    "ParameterError",
]

#: Slider ranges. Ca: 0.2-3 mM spans severe hypo- to marked hypercalcaemia of ionised Ca
#: (reference_sheet §3.1: normal 1.1-1.3 mM); Mg: 0-20 mM reaches the raised-Mg baths of
#: quantal experiments (boyd1956 used raised Mg; the exact bath is not used here).
CA_RANGE_mM = (0.2, 3.0)
MG_RANGE_mM = (0.0, 20.0)
#: Calcium grid of the safety-factor curves (log-spaced over the axis range).
CA_GRID_mM = np.geomspace(0.2, 3.2, 121)
#: Boyd & Martin (1956): 198 impulses, 18 failures (data.load_epp_amplitudes; boyd1956).
#: The panel opens at normal ionised Ca (1.2 mM, reference_sheet) with the Mg that makes the
#: model's m equal their failure estimate ln(198/18) = 2.40 (see :func:`mg_for_quantal_content`).
M_BOYD_MARTIN = math.log(198 / 18)

#: One motor unit: simulated time (s), ISI variability (CV 0.1, the regular firing of a
#: voluntarily driven unit; the neuropathy record's unit fires with CV ≈ 0.13: emgdb).
UNIT_DURATION_S = 2.0
UNIT_ISI_CV = 0.1
UNIT_RATE_RANGE_HZ = (2.0, 50.0)


@lru_cache(maxsize=1)
def boyd_martin():
    """The Boyd & Martin histogram (``data.load_epp_amplitudes``) as arrays, with trials,
    failures and credit; None if the data are unavailable."""
    df = data.try_load(data.load_epp_amplitudes)
    if df is None:
        return None
    a = df["amplitude_mV"].to_numpy()
    n = df["n_trials"].to_numpy()
    zero = int(np.argmin(np.abs(a)))
    return {
        "amplitude_mV": a,
        "n_trials": n,
        "trials": int(n.sum()),
        "failures": int(n[zero]),
        "mean_mV": float((a * n).sum() / n.sum()),
        "credit": df.attrs.get("credit", ""),
    }


def mg_for_quantal_content(m: float, ca_mM: float = nmj.CA_REF_mM) -> float:
    """The Mg (mM) at which the model's quantal content at ``ca_mM`` equals ``m``: inverts
    m = m_max·w⁴, w = (Ca/K_Ca) / (1 + Ca/K_Ca + Mg/K_Mg) (dodge1967) in closed form."""
    m = check_range(
        m, "m", "quanta", lo=0.0, hi=nmj.M_MAX_DEFAULT, lo_open=True, what="quantal content to reach"
    )
    ca = check_range(
        ca_mM, "ca_mM", "mM", lo=0.0, hi=nmj.CONC_MAX_mM, lo_open=True, what="extracellular calcium"
    )
    x = ca / nmj.K_CA_mM
    w_needed = (m / nmj.M_MAX_DEFAULT) ** (1.0 / nmj.N_COOPERATIVITY)
    mg = nmj.K_MG_mM * (x / w_needed - 1.0 - x)
    if mg < 0:
        raise ParameterError(
            f"m = {m:g} quanta cannot be reached at ca_mM = {ca:g} mM even "
            f"without Mg; allowed range: (0, {nmj.quantal_content(ca, 0.0):.4g}]."
        )
    return float(mg)


# --------------------------------------------------------------------------- (1) quantal release
class ReleasePanel(kit.Panel):
    """Extracellular Ca²⁺ and Mg²⁺ (mM) → quanta per impulse, EPP histogram, safety factor.

    The Ca slider comes first and drives the model histogram line. The histogram is the Poisson
    expectation for as many impulses as Boyd & Martin recorded (198), with the quantal size
    0.4 mV and its CV 0.2 (nmj.Q_mV, nmj.Q_CV; boyd1956).
    """

    def __init__(self, ca_mM: float = nmj.CA_REF_mM, mg_mM: float | None = None):
        self.bm = boyd_martin()
        self.ca = kit.slider("calcium outside, Ca²⁺ (mM)", ca_mM, *CA_RANGE_mM, 0.05, ".2f", param="ca_mM")
        if mg_mM is None:  # Boyd & Martin's m at this Ca (within the slider's range)
            mg_mM = min(MG_RANGE_mM[1], round(mg_for_quantal_content(M_BOYD_MARTIN, self.ca.value), 1))
        self.mg_boyd_martin = mg_for_quantal_content(M_BOYD_MARTIN, nmj.CA_REF_mM)
        self.mg = kit.slider("magnesium outside, Mg²⁺ (mM)", mg_mM, *MG_RANGE_mM, 0.1, ".1f", param="mg_mM")
        if self.bm is not None:
            bins, counts, credit = self.bm["amplitude_mV"], self.bm["n_trials"], self.bm["credit"]
            self.n_trials = self.bm["trials"]
        else:
            bins, counts, credit = np.arange(32) * 0.101, np.zeros(32), "(recording unavailable)"
            self.n_trials = 198
        self.bins = np.asarray(bins, float)
        self.counts = np.asarray(counts, np.float32)
        self.normal_ca = references_normal_ca()
        figure = nmj_plots.release_figure(
            self.bins, counts, credit, self.n_trials, CA_GRID_mM, self.normal_ca
        )
        self._normal_curve = self._sf(CA_GRID_mM, nmj.MG_REF_mM)
        super().__init__({"ca": self.ca, "mg": self.mg}, figure)

    @staticmethod
    def _sf(ca, mg):
        m = nmj.quantal_content(ca, np.full(np.shape(ca), mg) if np.ndim(ca) else mg)
        return nmj.safety_factor(nmj.epp_amplitude_mV(m))

    def compute(self) -> dict:
        """The numbers for the current sliders, the expected histogram and the curves."""
        ca, mg = float(self.ca.value), float(self.mg.value)
        t = nmj.transmission(ca, mg).iloc[0]
        m = float(t["m"])
        floor = 0.5e-3  # the log axis starts at 0.001: draw what is below it just under it
        return {
            "ca_mM": ca,
            "mg_mM": mg,
            "m": m,
            "relative_release": float(t["relative_release"]),
            "epp_mV": float(t["epp_mV"]),
            "safety_factor": float(t["safety_factor"]),
            "p_fail": float(t["p_fail"]),
            "expected_failures": self.n_trials * math.exp(-m),
            "log_slope": float(nmj.release_log_slope(ca, mg)),
            "expected_counts": self.n_trials * nmj.epp_histogram_probabilities(self.bins, m),
            "sf_curve": np.maximum(self._sf(CA_GRID_mM, mg), floor),
            "sf_normal_curve": np.maximum(self._normal_curve, floor),
            "sf_point": max(float(t["safety_factor"]), floor),
            "sf_normal": float(self._sf(nmj.CA_REF_mM, nmj.MG_REF_mM)),
        }

    def draw(self, st: dict) -> None:
        f32 = np.float32
        grid = CA_GRID_mM.astype(f32)
        bins = self.bins.astype(f32)
        xy = {
            "model": (bins, st["expected_counts"].astype(f32)),
            "boyd_martin": (bins, self.counts),
            "sf": (grid, st["sf_curve"].astype(f32)),
            "sf_normal": (grid, st["sf_normal_curve"].astype(f32)),
            "threshold": ([float(grid[0]), float(grid[-1])], [1.0, 1.0]),
            "point": ([st["ca_mM"]], [st["sf_point"]]),
            "normal": ([nmj.CA_REF_mM], [st["sf_normal"]]),
        }
        framing.set_xy(self.figure, xy)
        self.figure.plot_layout.title.text = (
            f"Ca²⁺ {st['ca_mM']:.2f} mM, Mg²⁺ {st['mg_mM']:.1f} mM: m = {_fmt_m(st['m'])} quanta per impulse"
        )

    def describe(self, st: dict) -> str:
        fires = (
            "<b>yes</b>, every impulse"
            if st["p_fail"] < 1e-3
            else f"fails on <b>{100 * st['p_fail']:.0f} %</b> of impulses"
        )
        bm = ""
        if self.bm is not None:
            bm = (
                f"<tr><td>Boyd &amp; Martin (real)</td><td>{self.bm['failures']} failures in "
                f"{self.bm['trials']}: m = ln({self.bm['trials']}/{self.bm['failures']}) = "
                f"{M_BOYD_MARTIN:.2f}</td></tr>"
            )
        off = st["m"] * nmj.Q_mV > self.bins[-1] + 0.2
        note = (
            f"<p>The whole histogram lies beyond {self.bins[-1]:.1f} mV (mean EPP "
            f"{st['epp_mV']:.0f} mV): a normal junction releases far more quanta than "
            "this raised-Mg²⁺ experiment.</p>"
            if off
            else ""
        )
        return (
            "<b>Read-out</b><table>"
            f"<tr><td>quanta per impulse, m</td><td><b>{_fmt_m(st['m'])}</b> "
            f"({_fmt_rel(st['relative_release'])} × normal blood)</td></tr>"
            f"<tr><td>expected failures</td><td>{st['expected_failures']:.1f} of "
            f"{self.n_trials}</td></tr>{bm}"
            f"<tr><td>mean EPP (m × 0.4 mV)</td><td>{st['epp_mV']:.3g} mV</td></tr>"
            f"<tr><td>safety factor</td><td><b>{st['safety_factor']:.3g}</b> × the 30 mV "
            f"needed</td></tr>"
            f"<tr><td>muscle fibre fires?</td><td>{fires}</td></tr>"
            f"<tr><td>d ln m / d ln Ca</td><td>{st['log_slope']:.2f} (4 at low Ca²⁺)</td></tr>"
            f"</table>{note}"
        )


def references_normal_ca() -> tuple[float, float]:
    """Normal adult ionised calcium (mM) from data/serum_reference_ranges.csv (reference_sheet)."""
    rows = {r["analyte"]: r for r in tables.read_table("serum_reference_ranges.csv")}
    r = rows["calcium_ionised"]
    return float(r["low"]), float(r["high"])


def _fmt_m(m: float) -> str:
    return f"{m:.2f}" if m < 10 else f"{m:.0f}"


def _fmt_rel(r: float) -> str:
    return f"{r:.2g}" if r < 0.1 else f"{r:.2f}"


def release_panel(ca_mM: float = nmj.CA_REF_mM, mg_mM: float | None = None) -> ReleasePanel:
    """The notebook 04 quantal-release panel: ``nmj_widgets.release_panel()`` shows it."""
    return ReleasePanel(ca_mM, mg_mM)


# --------------------------------------------------------------------------- (2) one motor unit
def unit_spike_times_s(
    rate_Hz: float, duration_s: float = UNIT_DURATION_S, cv: float = UNIT_ISI_CV, seed: int = 0
) -> np.ndarray:
    """Discharge times (s) of one unit firing at ``rate_Hz`` with Gaussian ISI jitter of
    coefficient of variation ``cv`` (truncated at ±3 SD), the first discharge at 50 ms, the
    last at least 2 ms before the end."""
    rate = check_range(rate_Hz, "rate_Hz", "Hz", lo=0.5, hi=100.0, what="firing rate")
    dur = check_range(duration_s, "duration_s", "s", lo=0.1, hi=60.0, what="simulated time")
    cv = check_range(cv, "cv", "", lo=0.0, hi=0.3, what="ISI coefficient of variation")
    rng = np.random.default_rng(check_int(seed, "seed", lo=0, hi=2**32 - 1))
    n = int(dur * rate) + 2
    isi = (1.0 + cv * np.clip(rng.standard_normal(n), -3, 3)) / rate
    t = 0.05 + np.r_[0.0, np.cumsum(isi)[:-1]]
    return t[t < dur - 0.002]  # inside the force trace's last sample (1 kHz grid)


class MotorUnitPanel(kit.Panel):
    """One motor unit: its firing rate (Hz) and which unit of the 120-unit pool (size) →
    the needle EMG near it (one motor-unit potential per discharge) and the force it makes.

    The unit's MUP amplitude grows with its twitch force (emg.synthetic_emg, illustrative
    scaling; fuglevand1993 for the pool), its twitch is that of ``utils.muscle``.
    """

    def __init__(self, rate_Hz: float = 10.0, unit: int = 60, seed: int = 0):
        self.pool = muscle.make_pool()
        self.seed = kit.check_seed(seed)
        self.rate = kit.slider("firing rate (Hz)", rate_Hz, *UNIT_RATE_RANGE_HZ, 0.5, param="rate_Hz")
        self.unit = kit.slider(
            "unit (1 = smallest, 120 = largest; no.)", unit, 1, self.pool.n_units, 1, ".0f", param="unit"
        )
        figure = nmj_plots.motor_unit_figure(UNIT_DURATION_S)
        super().__init__({"rate": self.rate, "unit": self.unit}, figure)

    def compute(self) -> dict:
        """The unit's numbers, its EMG and discharges, and its force (arrays: float32)."""
        rate, u = float(self.rate.value), int(round(self.unit.value))
        i = u - 1
        P = float(self.pool.peak_twitch_au[i])
        T = float(self.pool.contraction_time_ms[i])
        t = unit_spike_times_s(rate, seed=self.seed)
        sizes = np.array([float(self.pool.peak_twitch_au.min()), P])
        s = emg.synthetic_emg(t, np.full(t.size, 2), sizes, UNIT_DURATION_S, seed=self.seed)
        f = muscle.spike_train_force(t * 1000.0, T_ms=T, P=1.0, duration_s=UNIT_DURATION_S)
        late = f.t_ms >= 1000.0
        return {
            "rate_Hz": rate,
            "unit": u,
            "twitch_au": P,
            "T_ms": T,
            "mup_amplitude_mV": float(s.unit_amplitude_mV[1]),
            "mup_width_ms": float(s.unit_width_ms[1]),
            "n_discharges": int(t.size),
            "mean_force_x_twitch": float(f.force_au[late].mean()),
            "label": muscle.classify_contraction(f.force_au, f.spike_times_ms),
            "emg": kit.decimate(s.time_s, s.signal_mV),  # min/max per bin: every peak kept
            "discharges_s": s.spike_times_s.astype(np.float32),
            "force_t_s": (f.t_ms / 1000.0).astype(np.float32),
            "force_x_twitch": f.force_au.astype(np.float32),
        }

    def describe(self, st: dict) -> str:
        return (
            "<b>Read-out</b><table>"
            f"<tr><td>unit</td><td>{st['unit']} of {self.pool.n_units} "
            f"(twitch {st['twitch_au']:.1f}× the smallest)</td></tr>"
            f"<tr><td>motor-unit potential</td><td><b>{st['mup_amplitude_mV']:.2f} mV</b> "
            f"peak to peak</td></tr>"
            f"<tr><td>discharges in {UNIT_DURATION_S:.0f} s</td><td>{st['n_discharges']}</td></tr>"
            f"<tr><td>twitch contraction time</td><td>{st['T_ms']:.0f} ms</td></tr>"
            f"<tr><td>force (second half)</td><td>{st['mean_force_x_twitch']:.2f} × one "
            f"twitch: <b>{st['label']}</b></td></tr></table>"
            "<p>Every discharge of the motor neuron gives the same potential on the needle "
            "and one twitch of all the unit's fibres.</p>"
        )

    def draw(self, st: dict) -> None:
        ticks = np.full(st["discharges_s"].size, -1.3, np.float32)
        xy = {
            "emg": st["emg"],
            "discharges": (st["discharges_s"], ticks),
            "force": (st["force_t_s"], st["force_x_twitch"]),
        }
        framing.set_xy(self.figure, xy)
        self.figure.plot_layout.title.text = f"unit {st['unit']} at {st['rate_Hz']:.1f} Hz: {st['label']}"


def motor_unit_panel(rate_Hz: float = 10.0, unit: int = 60) -> MotorUnitPanel:
    """The notebook 04 motor-unit panel: ``nmj_widgets.motor_unit_panel()`` shows it."""
    return MotorUnitPanel(rate_Hz, unit)


def ec_coupling_diagram():
    """The diagram from nerve impulse to twitch (``nmj_plots.ec_coupling_diagram``)."""
    return nmj_plots.ec_coupling_diagram()

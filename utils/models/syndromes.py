"""Three twitch syndromes simulated with the series' engines: neuromyotonia, fasciculation, tetany.

Each simulation returns plain numpy / pandas (a :class:`SyndromeRun`): the spike raster, an
EMG-like needle trace (``utils.emg.synthetic_emg``) and the muscle force (``utils.muscle``,
Fuglevand twitches with non-linear summation; fuglevand1993), in % of the whole pool's maximum.

* :func:`neuromyotonia` — a small nerve of :data:`N_AXONS` Hodgkin–Huxley motor axons
  (``utils.hh``; hodgkin1952) whose K⁺ conductance is reduced to ``gk_fraction`` of 36 mS/cm²
  (reduced voltage-gated K⁺ current is the mechanism of neuromyotonia: maddison2006,
  watanabe2013). One test stimulus (20 µA/cm², 1 ms; the standard pulse of REFERENCE.md §3.2)
  reaches every axon at :data:`STIMULUS_AT_MS`. With normal g_K each axon fires once: one
  twitch. Below :data:`AFTER_DISCHARGE_GK_FRACTION` (0.637 of normal, measured by
  :func:`after_discharge_gk_fraction`; REFERENCE.md §5 reports ≤ 22.9 mS/cm² = 64 %) the same
  stimulus starts a train that outlasts it (after-discharges), and the twitches fuse into a
  sustained contraction; below :data:`SPONTANEOUS_GK_FRACTION` (0.549, measured by
  :func:`spontaneous_gk_fraction`; §5: 19.8 mS/cm² = 55 %) the axons fire on their own.
* :func:`tetany` — the same nerve with ionised calcium lowered: the screening shift of
  ``utils.electrolytes`` (s = k·ln(Ca/1.2), k = 6 mV per e-fold; frankenhaeuser1957) applied,
  as in notebook 05, to the Na⁺ gates only (:data:`utils.electrolytes.DEFAULT_GATES`; hille1975 — an assumption,
  discussed in notebook 05, section "An assumption you can change"; shifting all gates gives
  weakness before tetany in this squid model). One noise-free axon after-discharges below
  0.909 mmol/L and fires on its own below 0.836 (:data:`AFTER_DISCHARGE_CA_mmol_L`,
  :data:`SPONTANEOUS_CA_mmol_L`; REFERENCE.md §3.2: −1.66 and −2.17 mV). The six-axon nerve
  (seed 0, :func:`tetany_onsets`): after-discharges from 0.92 mmol/L (all six axons by 0.88),
  firing on its own from 0.86 (all six by 0.79) — nothing at the normal 1.1–1.3, and all of it
  before the junction model fails (below 0.74 mmol/L, notebook 05): the clinical order, in
  the range where low calcium is treated urgently (below 0.8–0.9 mmol/L; REFERENCE.md §3.1).
* :func:`fasciculation` — sporadic discharges of single motor units at a set mean rate per
  muscle (Poisson with a 3 ms dead time, via ``utils.muscle.fasciculation``; 0.3 Hz is the
  median per muscle in both ALS and benign fasciculation: decarvalho2016; kleine2008).
  :func:`near_threshold_noise` shows the biophysics behind it: a Hodgkin–Huxley axon held just
  below its rheobase fires now and then, at irregular intervals, when membrane noise is added.

Model limits, stated once: the axons are the 1952 squid membrane at 6.3 °C, so trains run at
about 50 Hz, not the 150–300 Hz of human neuromyotonic discharges (REFERENCE.md §5), and low
calcium gives trains rather than the doublets and multiplets of human tetany EMG.

Protocol choices (design, documented here; ``reference_sheet`` where REFERENCE.md is the source)
are module constants. Times in ms (``*_ms``) or s (``*_s``), currents in µA/cm², force in % of
the pool's maximum, EMG in mV.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from ..validation import check_int, check_range
from . import electrolytes, emg, hh, muscle

__all__ = [
    "SyndromeRun",
    "simulate_neuromyotonia",
    "simulate_tetany",
    "simulate_fasciculation",
    "near_threshold_noise",
    "after_discharge_gk_fraction",
    "spontaneous_gk_fraction",
    "standard_pulse_spikes",
    "AFTER_DISCHARGE_GK_FRACTION",
    "SPONTANEOUS_GK_FRACTION",
    "N_AXONS",
    "AXON_UNITS",
    "tetany_params",
    "after_discharge_calcium_mmol_L",
    "spontaneous_calcium_mmol_L",
    "tetany_onsets",
    "AFTER_DISCHARGE_CA_mmol_L",
    "SPONTANEOUS_CA_mmol_L",
    "TETANY_K_mV",
]

# ----------------------------------------------------------------------------- constants
#: Normal maximal K⁺ conductance of the model, mS/cm² (hodgkin1952).
G_K_NORMAL_mS_per_cm2 = 36.0
# The standard test pulse (electrolytes.standard_pulse), the after-discharge rule (≥ 3
# overshooting spikes from one pulse) and the counting window are electrolytes' constants
# (REFERENCE.md §3.2), used here by their one name.

#: g_K fraction below which one standard pulse gives after-discharges, measured with
#: :func:`after_discharge_gk_fraction` (noise-free, dt 0.01 ms): 0.6373 (22.94 mS/cm²), as
#: REFERENCE.md §5 (≤ 22.9 mS/cm², 64 %). tests/unit/test_syndromes.py re-measures it.
AFTER_DISCHARGE_GK_FRACTION = 0.637
#: g_K fraction below which the resting state is unstable (spontaneous firing), measured with
#: :func:`spontaneous_gk_fraction`: 0.5493 (19.77 mS/cm²; REFERENCE.md §5: 19.8).
SPONTANEOUS_GK_FRACTION = 0.549
#: Ionised Ca (mmol/L) below which one standard pulse gives after-discharges in a single
#: noise-free axon with normal g_K (:func:`after_discharge_calcium_mmol_L`): 0.9095, i.e. a
#: Na⁺-gate shift of −1.66 mV at k = 6 (REFERENCE.md §3.2: −1.66 mV → 1.2·e^(−1.66/6) =
#: 0.909), as notebook 05's table (0.91). Re-measured by tests/unit/test_syndromes.py.
AFTER_DISCHARGE_CA_mmol_L = 0.909
#: Ionised Ca below which the resting state is unstable (:func:`spontaneous_calcium_mmol_L`):
#: 0.8360 (REFERENCE.md §3.2: −2.17 mV → 0.836; notebook 05: 0.84).
SPONTANEOUS_CA_mmol_L = 0.836

#: The simulated nerve: six motor axons, each the axon of one pool unit (spread over the pool
#: so that small and large units are both shown). Design choice.
AXON_UNITS = (20, 40, 60, 80, 100, 120)
N_AXONS = len(AXON_UNITS)
#: Axons are not identical: axon i has its g_K multiplied by GK_SCATTER[i] (±5 %, evenly
#: spread), so they cross into after-discharges one after another. Design choice.
GK_SCATTER = tuple(np.round(np.linspace(0.95, 1.05, N_AXONS), 4))
#: Weak membrane noise in every axon (Ornstein–Uhlenbeck, hh.Noise): SD 0.15 µA/cm², 2 ms.
#: Far below the rheobase (2.24 µA/cm², REFERENCE.md §1.2), so a normal axon stays silent;
#: it only desynchronises trains and lets an unstable axon start on its own. Design choice:
#: at SD 0.5 the noise alone already started trains in axons above the after-discharge
#: fraction (measured), which would blur the g_K threshold the panel teaches.
NOISE_SIGMA_uA_per_cm2 = 0.15
NOISE_TAU_MS = 2.0
#: Run length and stimulus time, ms: 50 ms of baseline (spontaneous firing shows there), the
#: pulse, then 450 ms — long enough for a single twitch to relax (T ≤ 90 ms; the force falls
#: to half 2.7 T after the spike; fuglevand1993). Design choice.
RUN_MS = 500.0
STIMULUS_AT_MS = 50.0
#: Integration step of the nerve runs, ms: hh's spike-time error is ≤ 0.06 ms over 200 ms at
#: 0.025 ms (utils/hh.py docstring), ample for a raster drawn in ms. Design choice.
NERVE_DT_MS = 0.025
#: Sampling of force (Hz) and of the EMG-like trace (Hz; as the emgdb records, utils.emg).
FORCE_FS_HZ = 1000.0
EMG_FS_HZ = 4000.0
#: Fasciculation defaults: rate per muscle (decarvalho2016), the few units that take turns
#: (a design choice: benign fasciculations come from different units over time), and the
#: simulated time (s): long enough for about ten discharges at 0.3 Hz.
FASCICULATION_UNITS = (30, 55, 80, 105)
FASCICULATION_DURATION_S = 30.0
FASCICULATION_EMG_FS_HZ = 2000.0
#: Near-threshold axon: a steady bias just below the rheobase (2.24 µA/cm²; REFERENCE.md
#: §1.2) plus noise. Design choice.
NEAR_THRESHOLD_BIAS_uA_per_cm2 = 2.0
#: The calcium screening assumption of the tetany runs, the engine's default as in notebook 05's
#: panel (utils.electrolytes.DEFAULT_GATES = utils.el.DEFAULT_GATES): k = 6 mV
#: per e-fold (frankenhaeuser1957; data/electrolyte_mappings.csv) on the Na⁺ gates m and h only
#: (vertebrate nerve Na⁺ channels are the Ca-sensitive part, 8.7–10.9 mV per e-fold: hille1975).
#: Shifting n as well (the alternative 'all') gives weakness before tetany in the squid model;
#: notebook 05 discusses it.
TETANY_K_mV = electrolytes.SCREENING_K_mV
#: Ionised calcium accepted by :func:`tetany`, mmol/L: the plausible limits of
#: data/serum_reference_ranges.csv (0.25) up to 1.5 (mildly high). Default 0.88: every axon
#: after-discharges, none fires on its own yet (measured; design choice).
CALCIUM_MIN_mmol_L = 0.25
CALCIUM_MAX_mmol_L = 1.5
TETANY_DEFAULT_mmol_L = 0.88


# ----------------------------------------------------------------------------- results
@dataclass(frozen=True, eq=False)
class SyndromeRun:
    """One simulated syndrome: raster, EMG-like trace and force (plain numpy).

    Attributes:
        key, label: 'neuromyotonia', 'tetany' or 'fasciculation', and a plain-words label.
        setting: the parameter that was set (e.g. ``{'gk_fraction': 0.6}``).
        spike_row: row of each discharge in the raster (1 … n_rows); spike_unit: its pool unit
            (1 = smallest); spike_times_s: its time, s.
        row_units: the pool unit shown on each raster row.
        t_s, force_pct: force samples (s, % of the pool's maximum force).
        emg_t_s, emg_mV: the EMG-like needle trace.
        stimulus_s: time of the test stimulus (s), or None.
        summary: the numbers a read-out shows (counts, rates, regime).
    """

    key: str
    label: str
    setting: dict
    spike_row: np.ndarray
    spike_unit: np.ndarray
    spike_times_s: np.ndarray
    row_units: tuple
    t_s: np.ndarray
    force_pct: np.ndarray
    emg_t_s: np.ndarray
    emg_mV: np.ndarray
    stimulus_s: float | None
    summary: dict = field(default_factory=dict)

    @property
    def n_spikes(self) -> int:
        return int(self.spike_times_s.size)

    def raster(self) -> pd.DataFrame:
        """One row per discharge: columns ``row``, ``unit``, ``t_s`` (sorted by time)."""
        df = pd.DataFrame({"row": self.spike_row, "unit": self.spike_unit, "t_s": self.spike_times_s})
        return df.sort_values("t_s", kind="stable").reset_index(drop=True)

    def same_as(self, other: "SyndromeRun") -> bool:
        """True when every array and number equals ``other``'s (used to test caches)."""
        arrays = ("spike_row", "spike_unit", "spike_times_s", "t_s", "force_pct", "emg_t_s", "emg_mV")
        return (
            self.key == other.key
            and self.setting == other.setting
            and self.summary == other.summary
            and self.row_units == other.row_units
            and all(np.array_equal(getattr(self, a), getattr(other, a)) for a in arrays)
        )


# ----------------------------------------------------------------------------- measurements
def standard_pulse_spikes(params: hh.HHParams, dt_ms: float | None = None) -> int:
    """Overshooting spikes (peak ≥ 0 mV) in the 100 ms after one standard pulse (20 µA/cm²,
    1 ms, at t = 1 ms), from rest, without noise (REFERENCE.md §3.2 protocol)."""
    r = hh.simulate(
        electrolytes.standard_pulse(1.0),
        electrolytes.OBSERVATION_ms,
        params,
        dt_ms=dt_ms,
        record_currents=False,
        record_every=1000,
    )
    return int((r.spike_peaks_mV >= electrolytes.OVERSHOOT_mV).sum())


def _gk(fraction: float) -> hh.HHParams:
    return hh.HHParams(g_K_mS_per_cm2=G_K_NORMAL_mS_per_cm2 * fraction)


def after_discharge_gk_fraction(tol: float = 1e-3) -> float:
    """Largest g_K fraction (of 36 mS/cm²) at which one standard pulse gives after-discharges
    (≥ 3 overshooting spikes in 100 ms), by bisection to ``tol``. Result: 0.637."""
    tol = check_range(tol, "tol", "", lo=1e-6, hi=0.05, what="bisection tolerance")
    return hh.bisect_edge(
        lambda f: standard_pulse_spikes(_gk(f)) < electrolytes.AFTER_DISCHARGE_MIN_SPIKES, 0.3, 1.0, tol
    )


def spontaneous_gk_fraction(tol: float = 1e-4) -> float:
    """Largest g_K fraction at which the resting equilibrium is unstable (the axon fires on its
    own; largest eigenvalue real part > 0), by bisection. Result: 0.549."""
    tol = check_range(tol, "tol", "", lo=1e-7, hi=0.05, what="bisection tolerance")
    return hh.bisect_edge(lambda f: hh.eigenvalues(0.0, _gk(f))[0].real < 0.0, 0.3, 1.0, tol)


# ----------------------------------------------------------------------------- the nerve
@lru_cache(maxsize=4)
def _stimulus_arrays(seed: int) -> tuple:
    """Per-axon stimulus sampled at NERVE_DT_MS: the test pulse plus that axon's noise.
    Independent of the slider, so computed once per seed."""
    n = hh.n_steps(RUN_MS, NERVE_DT_MS)
    pulse = electrolytes.standard_pulse(STIMULUS_AT_MS).step_means(n, NERVE_DT_MS)
    out = []
    for i in range(N_AXONS):
        noise = hh.Noise(NOISE_SIGMA_uA_per_cm2, NOISE_TAU_MS, seed=seed * 1000 + i)
        # kept writeable: a read-only array would make numba compile a second version of
        # the HH kernel (seconds on first use); the arrays stay private to this module
        out.append(np.ascontiguousarray(pulse + noise.step_means(n, NERVE_DT_MS)))
    return tuple(out)


def _force_pct(units, times_ms, pool, n_samples, dt_ms) -> np.ndarray:
    """Force of the pool units ``units`` (1-based) firing at ``times_ms``, % of the pool's
    maximum: the sum of each unit's ``muscle.spike_train_force`` (the Fuglevand gain of a spike
    depends only on its own unit's previous spike, so units add; fuglevand1993)."""
    units = np.asarray(units, dtype=np.int64)
    times_ms = np.asarray(times_ms, float)
    f = np.zeros(n_samples)
    for u in np.unique(units):
        tr = muscle.spike_train_force(
            times_ms[units == u],
            pool.contraction_time_ms[u - 1],
            pool.peak_twitch_au[u - 1],
            n_samples * dt_ms / 1000.0,
            1000.0 / dt_ms,
        )
        f += tr.force_au
    return f * (100.0 / pool.max_force_au)


def _nerve(params_per_axon, seed: int, key: str, label: str, setting: dict) -> SyndromeRun:
    pool = muscle.make_pool()
    stims = _stimulus_arrays(seed)
    rows, units, times, per_axon = [], [], [], []
    for i, (p, stim) in enumerate(zip(params_per_axon, stims)):
        r = hh.simulate(stim, RUN_MS, p, dt_ms=NERVE_DT_MS, record_currents=False, record_every=400)
        sp = r.spike_times_ms[r.spike_peaks_mV >= electrolytes.OVERSHOOT_mV]
        per_axon.append(sp)
        rows.append(np.full(sp.size, i + 1))
        units.append(np.full(sp.size, AXON_UNITS[i]))
        times.append(sp)
    row = np.concatenate(rows).astype(np.int64)
    unit = np.concatenate(units).astype(np.int64)
    t_ms = np.concatenate(times)
    n_f = int(round(RUN_MS * FORCE_FS_HZ / 1000.0))
    dt_f = 1000.0 / FORCE_FS_HZ
    force = _force_pct(unit, t_ms, pool, n_f, dt_f)
    e = emg.synthetic_emg(t_ms / 1000.0, unit, pool.peak_twitch_au, RUN_MS / 1000.0, EMG_FS_HZ, seed=seed)
    after = [sp[sp > STIMULUS_AT_MS] for sp in per_axon]
    before = [sp[sp < STIMULUS_AT_MS] for sp in per_axon]
    n_after = sum(int(a.size >= electrolytes.AFTER_DISCHARGE_MIN_SPIKES) for a in after)
    n_spont = sum(int(b.size > 0) for b in before)
    trains = [a for a in after if a.size >= electrolytes.AFTER_DISCHARGE_MIN_SPIKES]
    rate = float(np.mean([1000.0 / np.mean(np.diff(a)) for a in trains])) if trains else 0.0
    single = _single_twitch_peak_pct(pool)
    summary = {
        "n_spikes": int(t_ms.size),
        "spikes_per_axon": [int(s.size) for s in per_axon],
        "axons_after_discharging": n_after,
        "axons_firing_spontaneously": n_spont,
        "train_rate_Hz": round(rate, 3),
        "peak_force_pct": round(float(force.max()), 6),
        "peak_force_x_twitch": round(float(force.max()) / single, 6),
        "late_force_pct": round(float(force[int(0.8 * n_f) :].mean()), 6),
        "regime": (
            "spontaneous firing"
            if n_spont
            else "after-discharges"
            if n_after
            else "normal: one twitch per stimulus"
        ),
    }
    return SyndromeRun(
        key,
        label,
        dict(setting),
        row,
        unit,
        t_ms / 1000.0,
        tuple(AXON_UNITS),
        np.arange(n_f) * dt_f / 1000.0,
        force,
        e.time_s,
        e.signal_mV,
        STIMULUS_AT_MS / 1000.0,
        summary,
    )


@lru_cache(maxsize=1)
def _single_twitch_peak_pct(pool) -> float:
    """Peak force (% of maximum) when each of the nerve's axons fires once, together."""
    n_f = int(round(RUN_MS * FORCE_FS_HZ / 1000.0))
    f = _force_pct(np.array(AXON_UNITS), np.full(N_AXONS, STIMULUS_AT_MS), pool, n_f, 1000.0 / FORCE_FS_HZ)
    return float(f.max())


def _seed(seed) -> int:
    return check_int(seed, "seed", lo=0, hi=1_000_000, what="random seed")


def simulate_neuromyotonia(gk_fraction: float = 0.6, seed: int = 0) -> SyndromeRun:
    """The nerve with its K⁺ conductance reduced to ``gk_fraction`` × 36 mS/cm² (each axon also
    × its GK_SCATTER factor), one test stimulus at 50 ms (maddison2006; REFERENCE.md §5).

    ``gk_fraction`` in [0.3, 1.2]. Above 0.637/0.95 = 0.671 every axon fires once (one twitch); below
    0.637/1.05 = 0.607 every axon after-discharges; below about 0.55 they fire on their own.
    """
    f = check_range(
        gk_fraction,
        "gk_fraction",
        "× normal g_K",
        lo=0.3,
        hi=1.2,
        what="K+ conductance relative to 36 mS/cm²",
    )
    params = [_gk(f * c) for c in GK_SCATTER]
    return _nerve(
        params, _seed(seed), "neuromyotonia", "Neuromyotonia: reduced K⁺ conductance", {"gk_fraction": f}
    )


def _calcium(value) -> float:
    return check_range(
        value,
        "calcium_ionised_mmol_L",
        "mmol/L",
        lo=CALCIUM_MIN_mmol_L,
        hi=CALCIUM_MAX_mmol_L,
        what="ionised calcium (reference 1.2 mmol/L)",
    )


def tetany_params(calcium_ionised_mmol_L: float, gk_scale: float = 1.0) -> hh.HHParams:
    """HH parameters of one axon at ionised calcium ``calcium_ionised_mmol_L`` (mmol/L; other
    serum values at the reference): the mapping of ``utils.electrolytes.model_parameters`` with
    k = :data:`TETANY_K_mV` and gates = :data:`utils.electrolytes.DEFAULT_GATES` (the Na⁺ gates m, h only, as
    notebook 05's panel), g_K × ``gk_scale`` (the axon's GK_SCATTER factor)."""
    ca = _calcium(calcium_ionised_mmol_L)
    mp = electrolytes.model_parameters(
        electrolytes.SerumProfile(calcium_ionised_mmol_L=ca),
        k_mV=TETANY_K_mV,
        gates=electrolytes.DEFAULT_GATES,
    )
    gk = check_range(gk_scale, "gk_scale", "", lo=0.0, hi=10.0, what="factor on the K⁺ conductance")
    return replace(mp.hh_params, g_K_mS_per_cm2=mp.hh_params.g_K_mS_per_cm2 * gk)


def after_discharge_calcium_mmol_L(tol: float = 1e-3) -> float:
    """Highest ionised Ca (mmol/L) at which one standard pulse gives after-discharges in a
    single noise-free axon with :func:`tetany_params` (bisection to ``tol``). Result: 0.909."""
    tol = check_range(tol, "tol", "mmol/L", lo=1e-6, hi=0.05, what="bisection tolerance")
    return hh.bisect_edge(
        lambda ca: standard_pulse_spikes(tetany_params(ca)) < electrolytes.AFTER_DISCHARGE_MIN_SPIKES,
        CALCIUM_MIN_mmol_L,
        CALCIUM_MAX_mmol_L,
        tol,
    )


def spontaneous_calcium_mmol_L(tol: float = 1e-4) -> float:
    """Highest ionised Ca (mmol/L) at which the resting state of a single axon with
    :func:`tetany_params` is unstable (it fires on its own), by bisection. Result: 0.836."""
    tol = check_range(tol, "tol", "mmol/L", lo=1e-7, hi=0.05, what="bisection tolerance")
    return hh.bisect_edge(
        lambda ca: hh.eigenvalues(0.0, tetany_params(ca))[0].real < 0.0,
        CALCIUM_MIN_mmol_L,
        CALCIUM_MAX_mmol_L,
        tol,
    )


def simulate_tetany(calcium_ionised_mmol_L: float = TETANY_DEFAULT_mmol_L, seed: int = 0) -> SyndromeRun:
    """The nerve with ionised calcium ``calcium_ionised_mmol_L`` (0.25–1.5 mmol/L, the
    plausible limits of data/serum_reference_ranges.csv; reference 1.2): each axon gets
    :func:`tetany_params` — the screening shift s = 6 mV × ln(Ca/1.2) on its Na⁺ gates
    (frankenhaeuser1957; hille1975; notebook 05), g_K × its GK_SCATTER factor."""
    ca = _calcium(calcium_ionised_mmol_L)
    params = [tetany_params(ca, c) for c in GK_SCATTER]
    run = _nerve(params, _seed(seed), "tetany", "Tetany: low ionised calcium", {"calcium_ionised_mmol_L": ca})
    run.summary["shift_mV"] = round(params[0].shift_Na_mV, 4)
    run.summary["gates"] = electrolytes.DEFAULT_GATES
    return run


def tetany_onsets(seed: int = 0, tol: float = 1e-3) -> dict:
    """Ionised Ca (mmol/L) at which the nerve of :func:`tetany` changes, by bisection over
    0.5–1.3 mmol/L on the full runs (noise seed ``seed``): ``after_discharge_first`` /
    ``after_discharge_all`` — highest Ca with at least one / all six axons after-discharging
    after the stimulus; ``spontaneous_first`` / ``spontaneous_all`` — the same for firing on
    its own before it. Seed 0 (measured): 0.924, 0.885, 0.858, 0.786."""
    seed = _seed(seed)
    tol = check_range(tol, "tol", "mmol/L", lo=1e-4, hi=0.05, what="bisection tolerance")

    def edge(key, n):
        return hh.bisect_edge(lambda ca: simulate_tetany(ca, seed).summary[key] < n, 0.5, 1.3, tol)

    return {
        "after_discharge_first": edge("axons_after_discharging", 1),
        "after_discharge_all": edge("axons_after_discharging", N_AXONS),
        "spontaneous_first": edge("axons_firing_spontaneously", 1),
        "spontaneous_all": edge("axons_firing_spontaneously", N_AXONS),
    }


def simulate_fasciculation(
    rate_Hz: float = muscle.FASCICULATION_RATE_HZ, duration_s: float = FASCICULATION_DURATION_S, seed: int = 0
) -> SyndromeRun:
    """Sporadic discharges of single units: a Poisson process (3 ms dead time) of mean rate
    ``rate_Hz`` per muscle (0.01–5 Hz; median 0.29 Hz in benign fasciculation and ALS alike,
    decarvalho2016), shared evenly by the units in FASCICULATION_UNITS (each fires at
    rate/4 via ``utils.muscle.fasciculation``; the sum of independent Poisson processes is
    Poisson with the summed rate)."""
    rate = check_range(rate_Hz, "rate_Hz", "Hz", lo=0.01, hi=5.0, what="mean fasciculation rate per muscle")
    dur = check_range(duration_s, "duration_s", "s", lo=1.0, hi=600.0, what="simulated time")
    seed = _seed(seed)
    pool = muscle.make_pool()
    k = len(FASCICULATION_UNITS)
    rows, units, times = [], [], []
    force = None
    for j, u in enumerate(FASCICULATION_UNITS):
        act = muscle.fasciculation(rate / k, dur, seed * 100 + j, unit=u, pool=pool, fs_Hz=FORCE_FS_HZ)
        rows.append(np.full(act.n_spikes, j + 1))
        units.append(act.spike_unit)
        times.append(act.spike_times_ms)
        force = act.force_au if force is None else force + act.force_au
    row = np.concatenate(rows).astype(np.int64)
    unit = np.concatenate(units).astype(np.int64)
    t_ms = np.concatenate(times)
    n_f = force.size
    e = emg.synthetic_emg(
        t_ms / 1000.0, unit, pool.peak_twitch_au, n_f / FORCE_FS_HZ, FASCICULATION_EMG_FS_HZ, seed=seed
    )
    force_pct = force * (100.0 / pool.max_force_au)
    summary = {
        "n_spikes": int(t_ms.size),
        "rate_set_Hz": rate,
        "rate_observed_Hz": round(t_ms.size / (n_f / FORCE_FS_HZ), 6),
        "per_minute": round(60.0 * t_ms.size / (n_f / FORCE_FS_HZ), 3),
        "peak_force_pct": round(float(force_pct.max()), 6),
        "regime": "sporadic single-unit discharges",
    }
    return SyndromeRun(
        "simulate_fasciculation",
        "Fasciculation: single units firing at random",
        {"rate_Hz": rate},
        row,
        unit,
        t_ms / 1000.0,
        FASCICULATION_UNITS,
        np.arange(n_f) / FORCE_FS_HZ,
        force_pct,
        e.time_s,
        e.signal_mV,
        None,
        summary,
    )


def near_threshold_noise(
    sigma_uA_per_cm2: float = 0.7,
    bias_uA_per_cm2: float = NEAR_THRESHOLD_BIAS_uA_per_cm2,
    duration_ms: float = 5000.0,
    seed: int = 0,
) -> dict:
    """One HH axon held at ``bias_uA_per_cm2`` (default 2.0, just below the rheobase 2.24)
    with noise of SD ``sigma_uA_per_cm2`` (τ 2 ms): sporadic, irregular spikes — the
    biophysical picture of a fasciculation (an axon near threshold; REFERENCE.md §5).

    With the defaults (SD 0.7 µA/cm², 5 s, seed 0) the axon fires 5 spikes, about 1 per s, at
    irregular intervals (ISI CV 0.86); with no noise it never fires (measured).

    Returns a dict: ``spike_times_ms`` (overshooting spikes), ``n_spikes``, ``rate_Hz``,
    ``isi_cv`` (NaN-free: 0.0 with fewer than 3 spikes).
    """
    sigma = check_range(sigma_uA_per_cm2, "sigma_uA_per_cm2", "µA/cm²", lo=0.0, hi=20.0, what="noise SD")
    bias = check_range(
        bias_uA_per_cm2, "bias_uA_per_cm2", "µA/cm²", lo=-10.0, hi=10.0, what="steady bias current"
    )
    dur = check_range(duration_ms, "duration_ms", "ms", lo=10.0, hi=20000.0, what="simulated time")
    seed = _seed(seed)
    stim = hh.Step(bias) + hh.Noise(sigma, NOISE_TAU_MS, seed=seed) if sigma > 0 else hh.Step(bias)
    # start from the equilibrium under the bias, so the onset of the step fires nothing
    r = hh.simulate(stim, dur, initial=hh.equilibrium(bias), record_currents=False, record_every=1000)
    sp = r.spike_times_ms[r.spike_peaks_mV >= electrolytes.OVERSHOOT_mV]
    isi = np.diff(sp)
    cv = float(isi.std() / isi.mean()) if isi.size >= 2 else 0.0
    return {"spike_times_ms": sp, "n_spikes": int(sp.size), "rate_Hz": sp.size / (dur / 1000.0), "isi_cv": cv}

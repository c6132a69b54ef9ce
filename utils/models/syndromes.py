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

Model limits of these three, stated once: the axons are the 1952 squid membrane at 6.3 °C, so
trains run at about 50 Hz, not the 150–300 Hz of human neuromyotonic discharges (REFERENCE.md §5),
and low calcium gives trains rather than the doublets and multiplets of human tetany EMG.

**The human nerve** (the functions ending in ``_axon`` and those starting ``axon_``): the same
six-axon nerve, pool, EMG and force, with each axon the human motor axon of :mod:`utils.axon` at
37 °C (7 nodes, 8–13 µm; notebooks 05 and 06 use these):

* :func:`simulate_tetany_axon` — MRG 2002 axons; calcium shifts *every* gate by
  :func:`utils.axon.gating_shift_mV` (6 mV per e-fold, an assumption). Measured: a 10 µm axon
  after-discharges below 0.92 mmol/L and fires on its own below 0.74 (:func:`axon_calcium_onsets`),
  trains at 260–340 Hz between 0.85 and 0.8 mmol/L (:func:`axon_train_rate_Hz`); the Gaines set
  does neither down to 0.25 mmol/L.
* :func:`simulate_neuromyotonia_axon` — Gaines 2018 axons with the fast K⁺ (Kv1) conductance of
  every node and internode scaled by ``kv1_fraction``: how Kv1 loss is modelled (MRG has no fast
  K⁺). Measured: one spike per stimulus even with none left (a stated model limit).
* :func:`distal_ectopic_firing` — a fasciculation's origin: noise at the sealed distal end, whose
  rheobase is half a middle node's (Gaines), gives sporadic spikes that travel the whole axon.
* :func:`axon_potassium_table` — rest, threshold and firing of one axon against [K⁺]o.

Clinical targets (150–300 Hz neuromyotonic discharges, 0.3 Hz fasciculations per muscle, the
normal and urgent ionised calcium) are in ``data/syndrome_targets.csv`` with their sources;
tests/unit/test_syndromes.py tests the human nerve against them.

Protocol choices (design, documented here; ``reference_sheet`` where REFERENCE.md is the source)
are module constants. Times in ms (``*_ms``) or s (``*_s``), currents in µA/cm², force in % of
the pool's maximum, EMG in mV.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from ..validation import ParameterError, check_array, check_choice, check_int, check_range
from . import axon, electrolytes, emg, hh, muscle

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
    "HUMAN_FIBRE_DIAMETERS_UM",
    "human_axon_params",
    "simulate_tetany_axon",
    "simulate_neuromyotonia_axon",
    "axon_fires_after_pulse",
    "axon_fires_on_its_own",
    "axon_calcium_onsets",
    "axon_train_rate_Hz",
    "distal_ectopic_firing",
    "axon_potassium_table",
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
    """The squid nerve: one hh run per axon, then the pool's raster, EMG and force."""
    stims = _stimulus_arrays(seed)
    per_axon = []
    for p, stim in zip(params_per_axon, stims):
        r = hh.simulate(stim, RUN_MS, p, dt_ms=NERVE_DT_MS, record_currents=False, record_every=400)
        per_axon.append(r.spike_times_ms[r.spike_peaks_mV >= electrolytes.OVERSHOOT_mV])
    return _nerve_run(per_axon, seed, key, label, setting, RUN_MS, STIMULUS_AT_MS)


def _nerve_run(per_axon, seed, key, label, setting, run_ms, stimulus_ms) -> SyndromeRun:
    """Raster, EMG-like trace, force and summary of a nerve whose axon i (unit AXON_UNITS[i])
    discharged at ``per_axon[i]`` (ms) in a run of ``run_ms`` with one stimulus at
    ``stimulus_ms``."""
    pool = muscle.make_pool()
    row = np.concatenate([np.full(sp.size, i + 1) for i, sp in enumerate(per_axon)]).astype(np.int64)
    unit = np.concatenate([np.full(sp.size, AXON_UNITS[i]) for i, sp in enumerate(per_axon)]).astype(np.int64)
    t_ms = np.concatenate(per_axon)
    n_f = int(round(run_ms * FORCE_FS_HZ / 1000.0))
    dt_f = 1000.0 / FORCE_FS_HZ
    force = _force_pct(unit, t_ms, pool, n_f, dt_f)
    e = emg.synthetic_emg(t_ms / 1000.0, unit, pool.peak_twitch_au, run_ms / 1000.0, EMG_FS_HZ, seed=seed)
    after = [sp[sp > stimulus_ms] for sp in per_axon]
    before = [sp[sp < stimulus_ms] for sp in per_axon]
    n_after = sum(int(a.size >= electrolytes.AFTER_DISCHARGE_MIN_SPIKES) for a in after)
    n_spont = sum(int(b.size > 0) for b in before)
    trains = [a for a in after if a.size >= electrolytes.AFTER_DISCHARGE_MIN_SPIKES]
    rate = float(np.mean([1000.0 / np.mean(np.diff(a)) for a in trains])) if trains else 0.0
    single = _single_twitch_peak_pct(pool, run_ms, stimulus_ms)
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
        stimulus_ms / 1000.0,
        summary,
    )


@lru_cache(maxsize=4)
def _single_twitch_peak_pct(pool, run_ms: float = RUN_MS, stimulus_ms: float = STIMULUS_AT_MS) -> float:
    """Peak force (% of maximum) when each of the nerve's axons fires once, together."""
    n_f = int(round(run_ms * FORCE_FS_HZ / 1000.0))
    f = _force_pct(np.array(AXON_UNITS), np.full(N_AXONS, stimulus_ms), pool, n_f, 1000.0 / FORCE_FS_HZ)
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


# ----------------------------------------------------------------------------- the human nerve
# The same nerve, syndromes and read-outs on the human axon at 37 °C (utils.axon: MRG 2002 and the
# Gaines 2018 human motor set; HUMAN_MODELS.md §2) instead of the squid membrane at 6.3 °C.

#: Fibre diameter of each of the six axons, µm: thin axons for the small units, thick ones for
#: the large (small motor neurons have thin, slow axons; henneman1957 is the size principle; the
#: spread 8–13 µm is a design choice inside the published MRG table, 5.7–16 µm).
HUMAN_FIBRE_DIAMETERS_UM = (8.0, 9.0, 10.0, 11.0, 12.0, 13.0)
#: Nodes per axon (utils.axon allows 5–21; 7 keeps three end-free nodes) and the step, ms
#: (utils.axon accepts up to 0.025 ms; at 0.02 ms a 3 ms interspike interval is resolved to
#: ≤ 1 %). Design choices for speed: a 250 ms run of one axon takes about 0.1 s.
HUMAN_N_NODES = 7
HUMAN_DT_MS = 0.02
#: The test stimulus: a 0.1 ms pulse of 5 nA into node 1 (proximal), at 30 ms of a 250 ms run.
#: 5 nA is ≥ 3 × the 0.1 ms threshold of every axon here (about 1 nA at 10 µm; axon.threshold).
#: Spikes are counted at node 5, next to the distal (muscle) end; a fasciculation starts at the
#: distal end node 6. Design choices.
HUMAN_STIMULUS_NA = 5.0
HUMAN_STIMULUS_AT_MS = 30.0
HUMAN_RUN_MS = 250.0
HUMAN_STIM_NODE = 1
HUMAN_RECORD_NODE = HUMAN_N_NODES - 2
HUMAN_DISTAL_NODE = HUMAN_N_NODES - 1
#: Membrane noise at the stimulated node: Ornstein–Uhlenbeck current, SD 0.01 nA, τ 2 ms. Far
#: below the rheobase of these axons (axon.strength_duration: ≈ 0.3 nA), so a normal axon stays
#: silent; it desynchronises trains and lets an unstable axon start on its own. Design choice.
HUMAN_NOISE_NA = 0.01
#: The calcium syndrome runs on the MRG axon: the Gaines set (fast K⁺ and HCN in the internode,
#: rest at −86 mV) fires no after-discharges at any ionised Ca down to 0.2 mmol/L with the
#: screening law below (measured; tests/unit/test_syndromes.py). Screening: every gate's rates
#: are taken at V − s, s = 6 mV × ln(Ca/1.2) plus a weaker Mg²⁺ term (axon.gating_shift_mV;
#: frankenhaeuser1957 for the law, hille1975 for the size in vertebrate nerve) — an assumption.
HUMAN_CALCIUM_VARIANT = "mrg2002"


def human_axon_params(
    variant: str = "mrg2002", fibre_diameter_um: float = 10.0, **changes
) -> axon.AxonParams:
    """The :class:`utils.axon.AxonParams` of one axon of the human nerve (7 nodes; any other
    field can be changed by keyword, e.g. ``ca_out_mM=0.8`` or ``g_kf_scale=0.2``; an unknown
    field is a ParameterError)."""
    base = axon.AxonParams(variant=variant, fibre_diameter_um=fibre_diameter_um, n_nodes=HUMAN_N_NODES)
    return base.replace(**changes) if changes else base


@lru_cache(maxsize=4)
def _human_stimulus(seed: int) -> tuple:
    """Per-axon stimulus (pulse + that axon's noise), nA per step of HUMAN_DT_MS."""
    n = hh.n_steps(HUMAN_RUN_MS, HUMAN_DT_MS)
    pulse = hh.Pulse(HUMAN_STIMULUS_NA, HUMAN_STIMULUS_AT_MS, 0.1).step_means(n, HUMAN_DT_MS)
    out = []
    for i in range(N_AXONS):
        noise = hh.Noise(HUMAN_NOISE_NA, NOISE_TAU_MS, seed=seed * 1000 + i)
        out.append(np.ascontiguousarray(pulse + noise.step_means(n, HUMAN_DT_MS)))
    return tuple(out)


def _human_spikes(
    params: "axon.AxonParams", stimulus, t_stop_ms: float, node: int, record: int
) -> np.ndarray:
    """Spike times (ms) at node ``record``; a fibre without a stable rest fires at once, which
    is reported as a spike at t = 0 (the resting state search fails: no rest to return to)."""
    try:
        r = axon.simulate(stimulus, t_stop_ms, params, node=node, dt_ms=HUMAN_DT_MS, record_every=1000)
    except axon.SimulationError:
        return np.array([0.0])
    return r.spike_times_ms[record]


def _human_nerve(variant: str, changes: dict, seed: int, key: str, label: str, setting: dict) -> SyndromeRun:
    stims = _human_stimulus(seed)
    per_axon = [
        _human_spikes(
            human_axon_params(variant, d, **changes), stim, HUMAN_RUN_MS, HUMAN_STIM_NODE, HUMAN_RECORD_NODE
        )
        for d, stim in zip(HUMAN_FIBRE_DIAMETERS_UM, stims)
    ]
    run = _nerve_run(per_axon, seed, key, label, setting, HUMAN_RUN_MS, HUMAN_STIMULUS_AT_MS)
    run.summary["model"] = f"human axon at 37 °C ({variant})"
    return run


def simulate_tetany_axon(calcium_ionised_mmol_L: float = 0.8, seed: int = 0) -> SyndromeRun:
    """The human nerve (six MRG axons at 37 °C, 8–13 µm) at ionised calcium
    ``calcium_ionised_mmol_L`` (0.25–1.5 mmol/L), one test stimulus at 30 ms: raster, EMG and
    force. Calcium acts only through the assumed screening shift of every gate
    (:func:`utils.axon.gating_shift_mV`, 6 mV per e-fold, Mg²⁺ at 0.85 mmol/L)."""
    ca = _calcium(calcium_ionised_mmol_L)
    run = _human_nerve(
        HUMAN_CALCIUM_VARIANT,
        {"ca_out_mM": ca},
        _seed(seed),
        "tetany",
        "Tetany: low ionised calcium (human axon, 37 °C)",
        {"calcium_ionised_mmol_L": ca},
    )
    run.summary["shift_mV"] = round(axon.gating_shift_mV(ca), 4)
    run.summary["gates"] = "all"
    return run


def simulate_neuromyotonia_axon(kv1_fraction: float = 0.2, seed: int = 0) -> SyndromeRun:
    """The human nerve on the Gaines 2018 human motor set with its fast K⁺ (Kv1) conductance
    multiplied by ``kv1_fraction`` (0–1) at every node and internode (``g_kf_scale``): the loss
    of Kv1 channels that antibodies cause in neuromyotonia (maddison2006). One test stimulus at
    30 ms. Measured: down to no Kv1 at all every axon fires once (tests/unit/test_syndromes.py),
    as Kv1.1-null myelinated axons fire normal single spikes (glasscock2012); the distal nerve
    and terminals where neuromyotonic discharges are thought to start (watanabe2013) are not in
    the model (utils.axon, Limitations)."""
    f = check_range(
        kv1_fraction, "kv1_fraction", "× normal", lo=0.0, hi=1.0, what="fast K⁺ (Kv1) channels left"
    )
    return _human_nerve(
        "gaines_motor",
        {"g_kf_scale": f},
        _seed(seed),
        "neuromyotonia",
        "Neuromyotonia: fewer Kv1 channels (human axon, 37 °C)",
        {"kv1_fraction": f},
    )


def _after_pulse(params: "axon.AxonParams", amp_nA: float) -> np.ndarray:
    """Spike times (ms) at the recording node (next to the distal end) of one noise-free human
    axon in the 100 ms after a 0.1 ms pulse of ``amp_nA`` into node 1 at 1 ms."""
    if not isinstance(params, axon.AxonParams):
        raise ParameterError(f"params must be an axon.AxonParams, got {type(params).__name__}.")
    return _human_spikes(
        params,
        hh.Pulse(amp_nA, 1.0, 0.1),
        1.0 + electrolytes.OBSERVATION_ms,
        HUMAN_STIM_NODE,
        params.n_nodes - 2,
    )


def axon_fires_after_pulse(params: "axon.AxonParams") -> int:
    """Spikes at the recording node of one noise-free human axon in the 100 ms after one test
    pulse (5 nA, 0.1 ms, node 1); a fibre with no stable rest counts as firing on its own
    (returned as 1000)."""
    sp = _after_pulse(params, HUMAN_STIMULUS_NA)
    return 1000 if sp.size == 1 and sp[0] == 0.0 else int(sp.size)


def axon_fires_on_its_own(params: "axon.AxonParams") -> bool:
    """Whether one noise-free human axon fires on its own: after a nudge of 2 % of the test
    pulse (far below threshold) it spikes within 100 ms, or it has no stable rest at all."""
    return bool(_after_pulse(params, 0.02 * HUMAN_STIMULUS_NA).size)


def axon_calcium_onsets(variant: str = HUMAN_CALCIUM_VARIANT, tol: float = 1e-3, k_mV: float = 6.0) -> dict:
    """Ionised Ca (mmol/L) at which one noise-free 10 µm human axon starts after-discharges (≥ 3
    spikes after one test pulse) and starts firing on its own, by bisection over 0.25–1.5
    mmol/L; NaN where it does neither even at 0.25. A model result under the screening
    assumption of :func:`utils.axon.gating_shift_mV`: every gate shifted by ``k_mV`` per e-fold
    of Ca²⁺ (6; 4–9 quoted, frankenhaeuser1957; Mg²⁺ at 0.85 mmol/L)."""
    check_choice(variant, "variant", axon.VARIANTS)
    tol = check_range(tol, "tol", "mmol/L", lo=1e-4, hi=0.05, what="bisection tolerance")
    k = check_range(k_mV, "k_mV", "mV", lo=0.0, hi=13.4, what="gating shift per e-fold of Ca²⁺")

    def params(ca):
        return human_axon_params(variant, 10.0, ca_out_mM=ca, screening_k_mV=k)

    def edge(fires):
        if not fires(CALCIUM_MIN_mmol_L):
            return float("nan")
        return hh.bisect_edge(lambda ca: not fires(ca), CALCIUM_MIN_mmol_L, CALCIUM_MAX_mmol_L, tol)

    return {
        "after_discharge_mmol_L": edge(
            lambda ca: axon_fires_after_pulse(params(ca)) >= electrolytes.AFTER_DISCHARGE_MIN_SPIKES
        ),
        "spontaneous_mmol_L": edge(lambda ca: axon_fires_on_its_own(params(ca))),
    }


def axon_train_rate_Hz(params: "axon.AxonParams") -> float:
    """Mean firing rate (Hz) of the train one test pulse starts in a noise-free human axon
    (the inverse of its mean interspike interval over 100 ms); 0 with fewer than 3 spikes."""
    sp = _after_pulse(params, HUMAN_STIMULUS_NA)
    return float(1000.0 / np.mean(np.diff(sp))) if sp.size >= electrolytes.AFTER_DISCHARGE_MIN_SPIKES else 0.0


def distal_ectopic_firing(
    bias_fraction: float = 0.9,
    sigma_nA: float = 0.05,
    duration_ms: float = 2000.0,
    seed: int = 0,
    variant: str = "gaines_motor",
) -> dict:
    """A fasciculation's origin on the human axon (10 µm, 7 nodes, 37 °C): the distal end node
    (sealed, like a terminal) held by a steady current of ``bias_fraction`` × its own rheobase
    (the threshold of a 10 ms pulse) plus noise of SD ``sigma_nA`` (τ 2 ms). Each ectopic spike
    there travels back along the whole axon to node 1.

    Returns ``spike_times_ms`` (at the distal node), ``n_spikes``, ``rate_Hz``,
    ``reached_proximal`` (how many arrived at node 1), ``isi_cv`` (0.0 with fewer than 3
    spikes), ``rheobase_distal_nA`` and ``rheobase_middle_nA`` (node 3, for comparison: a
    sealed end fires more easily).
    """
    check_choice(variant, "variant", axon.VARIANTS)
    frac = check_range(bias_fraction, "bias_fraction", "× rheobase", lo=0.0, hi=1.5, what="steady current")
    sigma = check_range(sigma_nA, "sigma_nA", "nA", lo=0.0, hi=1.0, what="noise SD")
    dur = check_range(duration_ms, "duration_ms", "ms", lo=10.0, hi=20000.0, what="simulated time")
    seed = _seed(seed)
    p = human_axon_params(variant)
    rh_distal = axon.threshold(10.0, p, node=HUMAN_DISTAL_NODE)
    rh_middle = axon.threshold(10.0, p, node=HUMAN_N_NODES // 2)
    bias = frac * rh_distal
    stim = hh.Step(bias) + hh.Noise(sigma, NOISE_TAU_MS, seed=seed) if sigma > 0 else hh.Step(bias)
    r = axon.simulate(stim, dur, p, node=HUMAN_DISTAL_NODE, dt_ms=HUMAN_DT_MS, record_every=1000)
    sp = r.spike_times_ms[HUMAN_DISTAL_NODE]
    isi = np.diff(sp)
    return {
        "spike_times_ms": sp,
        "n_spikes": int(sp.size),
        "rate_Hz": sp.size / (dur / 1000.0),
        "reached_proximal": int(r.spike_times_ms[HUMAN_STIM_NODE].size),
        "isi_cv": float(isi.std() / isi.mean()) if isi.size >= 2 else 0.0,
        "rheobase_distal_nA": float(rh_distal),
        "rheobase_middle_nA": float(rh_middle),
    }


def axon_potassium_table(
    k_out_mM=(3.0, 4.0, 5.0, 6.0, 7.0, 8.0), variant: str = "gaines_motor"
) -> pd.DataFrame:
    """The human axon (10 µm, 7 nodes, 37 °C) against extracellular K⁺: one row per value with
    ``k_out_mM``, ``e_k_mV`` (Nernst), ``rest_mV`` (the middle node), ``threshold_nA`` (0.1 ms
    pulse at the middle node), ``spikes_after_pulse`` (:func:`axon_fires_after_pulse`) and
    ``fires_on_its_own`` (:func:`axon_fires_on_its_own`). K⁺ acts through E_K and the leaks
    that the source sets equal to it (utils.axon); Gaines by default, the set that moves in the
    human direction with K⁺ (utils.axon docstring)."""
    check_choice(variant, "variant", axon.VARIANTS)
    ks = check_array(k_out_mM, "k_out_mM", "mM", lo=0.5, hi=20.0, what="extracellular K⁺", min_size=1)
    rows = []
    for k in ks:
        p = human_axon_params(variant, 10.0, k_out_mM=float(k))
        mid = HUMAN_N_NODES // 2
        try:
            v_rest = axon.resting_state(p).v_mV  # the middle compartment is the middle node
            rest = float(v_rest[v_rest.size // 2])
            thr = axon.threshold(0.1, p, node=mid, rel_tol=1e-3)
        except axon.SimulationError:
            rest, thr = float("nan"), float("nan")
        rows.append(
            {
                "k_out_mM": float(k),
                "e_k_mV": axon.e_k_mV(float(k)),
                "rest_mV": rest,
                "threshold_nA": thr,
                "spikes_after_pulse": axon_fires_after_pulse(p),
                "fires_on_its_own": axon_fires_on_its_own(p),
            }
        )
    return pd.DataFrame(rows)

"""Muscle force from motor-unit spikes: twitch, summation, tetanus, the motor-unit pool, and the
discharge patterns behind twitches, cramps and jerks.

* :func:`twitch_kernel`, :func:`twitch_properties` — the Fuglevand twitch f(t) = P·(t/T)·e^(1−t/T)
  and its time to peak / half-relaxation, measured numerically (fuglevand1993).
* :func:`summation_gain`, :func:`spike_train_force`, :func:`periodic_force`,
  :func:`force_rate_curve` — force of one unit from any spike train, with Fuglevand's non-linear
  summation gain, so that force saturates into a fused tetanus as the rate rises.
* :func:`fusion_index`, :func:`ripple_ratio`, :func:`classify_contraction` — how fused a force
  trace is, and whether it is a single twitch, summation, unfused or fused tetanus.
* :class:`PoolParameters`, :func:`make_pool`, :func:`firing_rates_Hz`, :func:`steady_force_au`,
  :func:`simulate_pool` — the 120-unit pool of Fuglevand, Winter & Patla 1993 (size principle:
  henneman1957, henneman1965, milnerbrown1973): excitation → recruitment, rates, raster, force.
* :data:`PATTERNS`, :func:`pattern_options`, :func:`simulate_pattern` and one function per
  named discharge pattern (voluntary, fasciculation, myokymia, cramp, tetany, myoclonus, tremor).

Units: time in ms (``t_ms``, ``T_ms``) or s (``duration_s``), rates in Hz, force in arbitrary
units (``force_au``; the smallest unit's twitch is about 1 au), excitation in Fuglevand's
excitation units (1 unit of excitation raises a recruited unit's rate by ``excitation_gain_Hz``).
Every default is listed, with its source key, in ``data/muscle_parameters.csv``.
Random processes take a ``seed`` (numpy Generator): same seed, same output.
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Callable

import numpy as np
import pandas as pd
from numba import njit

from ..validation import ParameterError, check_array, check_bool, check_choice, check_int, check_range

__all__ = [
    "ParameterError",
    "PoolParameters",
    "MotorUnitPool",
    "TwitchProperties",
    "ForceTrace",
    "MuscleActivity",
    "Pattern",
    "PATTERNS",
    "CONTRACTION_TYPES",
    "twitch_kernel",
    "twitch_properties",
    "summation_gain",
    "tetanic_force_au",
    "spike_train_force",
    "periodic_force",
    "force_rate_curve",
    "fusion_index",
    "ripple_ratio",
    "classify_contraction",
    "make_pool",
    "firing_rates_Hz",
    "recruited_count",
    "steady_force_au",
    "simulate_pool",
    "pattern_options",
    "simulate_pattern",
    "voluntary",
    "fasciculation",
    "myokymia",
    "cramp",
    "tetany",
    "myoclonus",
    "tremor",
]

# ----------------------------------------------------------------------------- constants
E = math.e
#: r = T/ISI up to which twitches add linearly (gain 1); fuglevand1993 (REFERENCE.md §4.3).
GAIN_R_THRESHOLD = 0.4
#: (1 − e^(−2·0.4³))/0.4 ≈ 0.300, the normaliser of the summation gain (fuglevand1993).
_GAIN_NORM = (1.0 - math.exp(-2.0 * GAIN_R_THRESHOLD**3)) / GAIN_R_THRESHOLD

#: Caps on the simulated stretch of time and on sampling (refused above, with a message).
MAX_DURATION_S = 600.0  # 10 min: enough for a fasciculation count (mills2011: up to ~90 s)
FS_MIN_HZ, FS_MAX_HZ = 100.0, 10_000.0
T_MIN_MS, T_MAX_MS = 1.0, 1000.0  # twitch contraction times, far beyond 30–160 ms
P_MAX_AU = 1e6
RATE_MIN_HZ = 1e-3  # one spike per 17 min: slower trains are single twitches
RATE_MAX_HZ = 500.0  # above neuromyotonic discharges (150–300 Hz; maddison2006)
EXCITATION_MAX = 1000.0  # excitation units; the default pool saturates at 57
#: Memory cap of the (excitations × units) rate table of firing_rates_Hz and steady_force_au:
#: 5 million cells is 40 MB per float64 table, ~200 MB with the temporaries (a classroom
#: laptop stays responsive). A design choice.
MAX_RATE_CELLS = 5_000_000

#: Shortest interval between two spikes of one unit in the pool generator (ms): the 3–4 ms
#: refractory period seen in fasciculation trains (kleine2008). Keeps high-CV ISIs positive.
MIN_ISI_MS = 3.0
#: Memory cap of the pool simulation's spike buffer, units × spikes per unit (two float64 tables
#: of this size, ≈ 400 MB). A design choice for classroom machines.
MAX_SPIKE_CELLS = 25_000_000
#: Iteration cap of the sampling loops (truncated normal redraws, chunks of Poisson events).
MAX_REDRAWS = 1000

#: Classifier thresholds (model choices, documented in classify_contraction).
RELAXED_FRACTION = 0.10  # a twitch counts as "relaxed" when force fell below 10 % of its peak
TETANUS_MIN_SPIKES = 4  # a train of >= 4 overlapping twitches is a tetanus, fewer: summation
FUSED_INDEX = 0.95  # fusion index >= 0.95 (ripple < 5 % of peak) is a fused tetanus

CONTRACTION_TYPES = ("rest", "single twitch", "summation", "unfused tetanus", "fused tetanus")


def _check_T(T_ms) -> float:
    return check_range(
        T_ms, "T_ms", "ms", lo=T_MIN_MS, hi=T_MAX_MS, what="twitch contraction time (time to peak)"
    )


def _check_P(P) -> float:
    return check_range(P, "P", "au", lo=0.0, hi=P_MAX_AU, lo_open=True, what="peak twitch force")


def _check_duration(duration_s, name: str = "duration_s") -> float:
    return check_range(duration_s, name, "s", lo=0.0, hi=MAX_DURATION_S, lo_open=True, what="simulated time")


def _check_fs(fs_Hz) -> float:
    return check_range(
        fs_Hz, "fs_Hz", "Hz", lo=FS_MIN_HZ, hi=FS_MAX_HZ, what="sampling rate of the force trace"
    )


def _check_seed(seed) -> int:
    return check_int(
        seed,
        "seed",
        lo=0,
        hi=2**63 - 1,
        what="seed of the random generator; the same seed gives the same output",
    )


def _grid(duration_s: float, fs_Hz: float) -> tuple[int, float]:
    n = int(round(duration_s * fs_Hz))
    if n < 2:
        raise ParameterError(
            f"duration_s = {duration_s:g} s at fs_Hz = {fs_Hz:g} Hz gives "
            f"{n} sample(s); need at least 2 (duration_s ≥ {2 / fs_Hz:g} s)."
        )
    return n, 1000.0 / fs_Hz


def _readonly(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


# ----------------------------------------------------------------------------- twitch
def twitch_kernel(t_ms, P: float = 1.0, T_ms: float = 90.0) -> np.ndarray:
    """Force of one twitch, f(t) = P·(t/T)·exp(1 − t/T) for t ≥ 0, 0 before (fuglevand1993).

    Args:
        t_ms: time(s) after the spike, ms: a number or a 1-D array of finite values (negative
            times give 0).
        P: peak twitch force, au (reached at t = T).
        T_ms: contraction time (time to peak), ms; default 90 ms, the slowest unit of the
            default pool (fuglevand1993; human units 30–100 ms, milnerbrown1973).

    Returns:
        force in au: a 0-d array for a number, else an array like ``t_ms``.
    """
    P, T = _check_P(P), _check_T(T_ms)
    t = (
        check_array(t_ms, "t_ms", "ms", what="time after the spike")
        if np.ndim(t_ms)
        else np.array([check_range(t_ms, "t_ms", "ms", what="time after the spike")])
    )
    x = np.maximum(t, 0.0) / T
    f = P * x * np.exp(1.0 - x)
    return f if np.ndim(t_ms) else f.reshape(())


@dataclass(frozen=True)
class TwitchProperties:
    """Measured shape of one twitch (all times in ms, force in au)."""

    time_to_peak_ms: float  # contraction time; equals T (fuglevand1993)
    peak_force_au: float  # equals P
    half_rise_ms: float  # time from the spike to half of peak on the way up (0.232 T)
    half_relaxation_ms: float  # from the peak to half of peak on the way down (1.678 T)
    half_width_ms: float  # time spent above half of peak (2.446 T)


def twitch_properties(T_ms: float = 90.0, P: float = 1.0) -> TwitchProperties:
    """Time to peak, half-rise and half-relaxation of the twitch, found numerically.

    The peak is the root of the kernel's central-difference derivative and the half-force
    crossings are roots of f − peak/2 (SciPy ``brentq``, ~1e-8 relative). REFERENCE.md §4.3
    gives the expected values, 0.232·T and 1.678·T (reference_sheet, fuglevand1993); the tests
    check this function against them.
    """
    from scipy.optimize import brentq  # noqa: PLC0415 (deferred: scipy's submodules cost 0.6-1 s at kernel start)

    T, P = _check_T(T_ms), _check_P(P)

    def f(t):
        return P * (t / T) * math.exp(1.0 - t / T)

    h = 1e-4 * T
    t_pk = float(brentq(lambda t: f(t + h) - f(t - h), 2 * h, 20.0 * T, xtol=1e-12 * T))
    peak = f(t_pk)
    t_up = brentq(lambda t: f(t) - peak / 2, 0.0, t_pk, xtol=1e-12 * T)
    t_dn = brentq(lambda t: f(t) - peak / 2, t_pk, 50.0 * T, xtol=1e-12 * T)
    return TwitchProperties(t_pk, peak, t_up, t_dn - t_pk, t_dn - t_up)


def summation_gain(T_ms, isi_ms) -> np.ndarray:
    """Fuglevand's non-linear summation gain for a twitch that follows an interval ``isi_ms``.

    With r = T/ISI: g = 1 for r ≤ 0.4, else g = [(1 − e^(−2r³))/r] / [(1 − e^(−2·0.4³))/0.4]
    (fuglevand1993; REFERENCE.md §4.3). Each twitch is scaled by g, so the mean force of a
    periodic train, normalised to its high-rate limit, is 1 − e^(−2r³) above r = 0.4.
    An infinite ISI (a first spike) gives 1; an ISI of 0 gives the limit 0.

    Args:
        T_ms: contraction time(s), ms (scalar or array broadcastable with ``isi_ms``).
        isi_ms: interval(s) since the unit's previous spike, ms (≥ 0; ``np.inf`` allowed).
    """
    if np.ndim(T_ms) == 0:
        T = np.asarray(_check_T(T_ms), dtype=float)
    else:
        T = check_array(T_ms, "T_ms", "ms", lo=T_MIN_MS, hi=T_MAX_MS)
    try:
        isi = np.asarray(isi_ms)
    except (TypeError, ValueError, OverflowError):
        isi = np.asarray(None)
    if isi.dtype.kind not in "iuf" or isi.ndim > 1 or np.isnan(isi).any() or (isi < 0).any():
        raise ParameterError(
            "isi_ms (interval since the previous spike) must be a number or 1-D array of numbers ≥ 0 ms "
            "(np.inf for a first spike); allowed range: [0, inf] ms."
        )
    isi = isi.astype(float)
    try:
        np.broadcast_shapes(T.shape, isi.shape)
    except ValueError:
        raise ParameterError(
            f"T_ms (shape {T.shape}) and isi_ms (shape {isi.shape}) must have the same length, or one "
            "of them be a single number."
        ) from None
    return _gain(T, isi)


def _gain(T, isi):
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        r = np.where(isi > 0, T / np.where(isi > 0, isi, 1.0), np.inf)
    r = np.clip(r, 1e-6, 1e6)  # r → 0 (first spike) takes the g = 1 branch below
    g = (1.0 - np.exp(-2.0 * r**3)) / r / _GAIN_NORM
    return np.where(r <= GAIN_R_THRESHOLD, 1.0, g)


def tetanic_force_au(P: float = 1.0) -> float:
    """High-rate limit of the mean force of one unit, P·e/0.300 ≈ 9.05·P (fuglevand1993).

    (Mean of a periodic train = g·P·e·r, since each twitch has area P·T·e; with the gain this
    tends to P·e/[(1 − e^(−2·0.4³))/0.4] as r → ∞.) The twitch/tetanus ratio is therefore
    0.300/e ≈ 0.110 (REFERENCE.md §4.3).
    """
    return _check_P(P) * E / _GAIN_NORM


# ----------------------------------------------------------------------------- force engine
@njit(cache=True)
def _force_kernel(times, weights, offsets, T_ms, n_samples, dt_ms):  # pragma: no cover (numba)
    """Sum of twitches, exact at every sample: two decaying states per unit (S0, S1).

    S0 = Σ w·e^(−d/T), S1 = Σ w·d·e^(−d/T) over past spikes (d = time since the spike), so the
    force is (e/T)·S1. Over one step dt: S1 ← a(S1 + dt·S0), S0 ← a·S0, a = e^(−dt/T).
    """
    F = np.zeros(n_samples)
    n_units = offsets.size - 1
    for u in range(n_units):
        s = offsets[u]
        e_ = offsets[u + 1]
        if s == e_:
            continue
        T = T_ms[u]
        a = math.exp(-dt_ms / T)
        c = math.e / T
        j0 = int(math.ceil(times[s] / dt_ms - 1e-9))
        if j0 < 0:
            j0 = 0
        S0 = 0.0
        S1 = 0.0
        p = s
        last = times[e_ - 1]
        for j in range(j0, n_samples):
            tj = j * dt_ms
            if j > j0:
                S1 = a * (S1 + dt_ms * S0)
                S0 = a * S0
            while p < e_ and times[p] <= tj + 1e-9:
                d = tj - times[p]
                if d < 0.0:
                    d = 0.0
                ed = math.exp(-d / T)
                S0 += weights[p] * ed
                S1 += weights[p] * d * ed
                p += 1
            F[j] += c * S1
            if p == e_ and tj - last > 45.0 * T:  # remaining force < 1e-17 of a twitch
                break
    return F


def _force(spike_unit0, times_ms, P_au, T_ms, n_samples, dt_ms, nonlinear=True, presorted=False):
    """Force of many units. ``spike_unit0``: 0-based unit per spike; ``P_au``, ``T_ms``: per unit.

    Spikes are grouped by unit and sorted (unless ``presorted``: already grouped by unit, in
    time order); the gain of each spike uses the interval since the same unit's previous spike
    (first spike: gain 1), as in fuglevand1993.
    """
    n_units = P_au.size
    if presorted:
        u, t = spike_unit0, np.asarray(times_ms, dtype=float)
    else:
        order = np.lexsort((times_ms, spike_unit0))
        u = spike_unit0[order]
        t = times_ms[order].astype(float)
    counts = np.bincount(u, minlength=n_units)
    offsets = np.zeros(n_units + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    isi = np.empty_like(t)
    if t.size:
        isi[1:] = np.diff(t)
        isi[0] = np.inf
        first = offsets[:-1][counts > 0]
        isi[first] = np.inf
    T_sp = T_ms[u]
    g = _gain(T_sp, isi) if nonlinear else np.ones_like(t)
    w = g * P_au[u]
    return _force_kernel(t, w, offsets, np.asarray(T_ms, float), n_samples, dt_ms)


@dataclass(frozen=True, eq=False)
class ForceTrace:
    """Force of one unit sampled on a regular grid (from t = 0)."""

    t_ms: np.ndarray
    force_au: np.ndarray
    spike_times_ms: np.ndarray
    T_ms: float
    P: float


def spike_train_force(
    spike_times_ms,
    T_ms: float = 90.0,
    P: float = 1.0,
    duration_s: float = 1.0,
    fs_Hz: float = 1000.0,
    nonlinear: bool = True,
) -> ForceTrace:
    """Force of one motor unit driven by any spike train (twitches added with the Fuglevand gain).

    Args:
        spike_times_ms: spike times, ms, each in [0, duration]; order does not matter.
        T_ms: contraction time, ms. P: peak twitch force, au (fuglevand1993).
        duration_s: length of the force trace, s (≤ 600 s). fs_Hz: sampling rate, Hz.
        nonlinear: ``False`` adds twitches linearly (gain 1) — for teaching the difference.
    """
    nonlinear = check_bool(nonlinear, "nonlinear", "Fuglevand's non-linear summation gain")
    T, P = _check_T(T_ms), _check_P(P)
    dur, fs = _check_duration(duration_s), _check_fs(fs_Hz)
    n, dt = _grid(dur, fs)
    sp = check_array(
        spike_times_ms,
        "spike_times_ms",
        "ms",
        lo=0.0,
        hi=dur * 1000.0,
        what="spike times, inside the simulated time",
    )
    sp = np.sort(sp)
    F = _force(
        np.zeros(sp.size, np.int64), sp, np.array([P]), np.array([T]), n, dt, nonlinear=bool(nonlinear)
    )
    return ForceTrace(np.arange(n) * dt, F, sp, T, P)


def periodic_force(
    rate_Hz: float,
    T_ms: float = 90.0,
    P: float = 1.0,
    duration_s: float = 1.0,
    fs_Hz: float = 1000.0,
    train_s: float | None = None,
) -> ForceTrace:
    """Force of one unit firing regularly at ``rate_Hz`` from t = 0 (fast: for a rate slider).

    Args:
        rate_Hz: discharge rate, Hz, in (0, 500].
        T_ms, P: twitch contraction time (ms) and peak force (au).
        duration_s: length of the trace, s. fs_Hz: sampling rate, Hz.
        train_s: the train stops after this time, s (default: lasts the whole trace), so the
            relaxation after a tetanus can be shown.
    """
    rate = check_range(rate_Hz, "rate_Hz", "Hz", lo=0.0, hi=RATE_MAX_HZ, lo_open=True, what="discharge rate")
    dur = _check_duration(duration_s)
    on = (
        dur
        if train_s is None
        else check_range(train_s, "train_s", "s", lo=0.0, hi=dur, what="length of the spike train")
    )
    isi_ms = 1000.0 / rate
    n_sp = int(math.floor(on * 1000.0 / isi_ms - 1e-9)) + 1 if on > 0 else 0
    sp = np.arange(n_sp) * isi_ms
    sp = sp[sp <= dur * 1000.0]
    return spike_train_force(sp, T_ms, P, dur, fs_Hz)


def force_rate_curve(rates_Hz, T_ms: float = 90.0, P: float = 1.0) -> pd.DataFrame:
    """Steady-state force of one unit against its discharge rate (exact periodic solution).

    For a periodic train (period τ, q = e^(−τ/T), gain g) the steady force at phase x ∈ [0, τ)
    is the geometric sum g·P·(e/T)·e^(−x/T)·[x/(1−q) + τq/(1−q)²]: the trough is at x = 0, the
    peak at x = max(0, T − τq/(1−q)), the mean is g·P·e·r.

    Returns a DataFrame with columns ``rate_Hz``, ``r`` (= T·rate), ``mean_force_au``,
    ``peak_force_au``, ``trough_force_au``, ``normalised_force`` (mean / tetanic limit; follows
    1 − e^(−2r³) above r = 0.4, fuglevand1993), ``fusion_index`` and ``ripple_ratio``
    (definitions in :func:`fusion_index`, :func:`ripple_ratio`).
    """
    T, P = _check_T(T_ms), _check_P(P)
    f = check_array(
        rates_Hz,
        "rates_Hz",
        "Hz",
        lo=RATE_MIN_HZ,
        hi=RATE_MAX_HZ,
        what="discharge rates; below 0.001 Hz the periodic sums underflow",
        min_size=1,
    )
    tau = 1000.0 / f
    r = T / tau
    q = np.exp(-tau / T)
    g = _gain(T, tau)
    mean = g * P * E * r
    amp = g * P * E / T

    def F(x):
        return amp * np.exp(-x / T) * (x / (1 - q) + tau * q / (1 - q) ** 2)

    peak = F(np.maximum(T - tau * q / (1 - q), 0.0))
    trough = F(np.zeros_like(tau))
    return pd.DataFrame(
        {
            "rate_Hz": f,
            "r": r,
            "mean_force_au": mean,
            "peak_force_au": peak,
            "trough_force_au": trough,
            "normalised_force": mean / tetanic_force_au(P),
            "fusion_index": 1.0 - (peak - trough) / peak,
            "ripple_ratio": (peak - trough) / mean,
        }
    )


# ----------------------------------------------------------------------------- fusion, labels
def _check_force(force_au, name="force_au") -> np.ndarray:
    return check_array(force_au, name, "au", lo=0.0, what="force trace", min_size=2)


def fusion_index(force_au) -> float:
    """Fusion index of a force trace: 1 − (F_max − F_min)/F_max, between 0 and 1.

    0: the force falls back to zero between twitches (no fusion); 1: a perfectly smooth force
    (complete fusion). Pass the part of the trace to judge (e.g. the steady second half of a
    train). Measured relative to the peak, not the mean, so it stays in [0, 1]; the ripple
    relative to the mean is :func:`ripple_ratio`. For one periodic unit of the model the index is
    ≈ 0.78 at half-maximal force (r = T·rate = 0.702) and reaches 0.95 near r = 1.6.
    """
    F = _check_force(force_au)
    mx = float(F.max())
    if mx <= 0.0:
        raise ParameterError(
            "force_au is zero everywhere: a fusion index needs some force (peak force must be > 0 au)."
        )
    return 1.0 - (mx - float(F.min())) / mx


def ripple_ratio(force_au) -> float:
    """Peak-to-peak ripple relative to the mean force, (F_max − F_min)/F_mean (≥ 0; 0 = smooth)."""
    F = _check_force(force_au)
    mean = float(F.mean())
    if mean <= 0.0:
        raise ParameterError("force_au is zero everywhere: the ripple ratio needs a mean force > 0 au.")
    return (float(F.max()) - float(F.min())) / mean


def classify_contraction(force_au, spike_times_ms, fs_Hz: float = 1000.0) -> str:
    """Label the force of one unit: rest, single twitch, summation, unfused or fused tetanus.

    ``force_au`` is sampled at ``fs_Hz`` from t = 0; ``spike_times_ms`` are the spikes that made it.
    Rules (model choices; thresholds are module constants):

    1. no spikes or no force → ``"rest"``;
    2. every twitch has relaxed to < 10 % (``RELAXED_FRACTION``) of the previous peak before the
       next spike (or there is only one spike) → ``"single twitch"``;
    3. twitches overlap but there are fewer than 4 (``TETANUS_MIN_SPIKES``) spikes →
       ``"summation"``;
    4. otherwise a tetanus; its :func:`fusion_index` over the second half of the train (from the
       middle spike to the last one) decides: ≥ 0.95 (``FUSED_INDEX``, ripple < 5 % of peak) →
       ``"fused tetanus"``, else ``"unfused tetanus"``.
    """
    fs = _check_fs(fs_Hz)
    F = _check_force(force_au)
    dt = 1000.0 / fs
    sp = np.sort(
        check_array(
            spike_times_ms,
            "spike_times_ms",
            "ms",
            lo=0.0,
            hi=(F.size - 1) * dt,
            what="spike times inside the force trace",
        )
    )
    if sp.size == 0 or F.max() <= 0.0:
        return "rest"
    idx = np.minimum(np.floor(sp / dt + 1e-9).astype(int), F.size - 1)
    overlap = False
    for k in range(1, sp.size):
        seg = F[idx[k - 1] : idx[k] + 1]
        if seg.size and F[idx[k]] >= RELAXED_FRACTION * seg.max() and seg.max() > 0:
            overlap = True
            break
    if sp.size == 1 or not overlap:
        return "single twitch"
    if sp.size < TETANUS_MIN_SPIKES:
        return "summation"
    win = F[idx[sp.size // 2] : idx[-1] + 1]
    if win.size < 2 or win.max() <= 0:
        return "unfused tetanus"
    return "fused tetanus" if fusion_index(win) >= FUSED_INDEX else "unfused tetanus"


# ----------------------------------------------------------------------------- the pool
@dataclass(frozen=True)
class PoolParameters:
    """Parameters of the Fuglevand, Winter & Patla (1993) motor-unit pool (REFERENCE.md §4.3).

    Defaults (fuglevand1993; restated by potvin2017): 120 units, recruitment range 30, twitch
    force range 100, slowest contraction time 90 ms, contraction-time range 3 (90 → 30 ms),
    minimum rate 8 Hz, peak rate 35 Hz (``peak_rate_drop_Hz = 10`` gives the 35 → 25 Hz
    variant), excitation gain 1 Hz per excitation unit, Gaussian ISIs with CV 0.2 truncated at
    ±3.9 SD.
    """

    n_units: int = 120
    recruitment_range: float = 30.0
    force_range: float = 100.0
    T_longest_ms: float = 90.0
    contraction_time_range: float = 3.0
    min_rate_Hz: float = 8.0
    peak_rate_Hz: float = 35.0
    peak_rate_drop_Hz: float = 0.0
    excitation_gain_Hz: float = 1.0
    isi_cv: float = 0.2
    isi_z_max: float = 3.9

    def __post_init__(self):
        chk = object.__setattr__
        chk(
            self,
            "n_units",
            check_int(self.n_units, "n_units", lo=1, hi=2000, what="number of motor units in the pool"),
        )
        chk(
            self,
            "recruitment_range",
            check_range(
                self.recruitment_range,
                "recruitment_range",
                "",
                lo=1.0,
                hi=1000.0,
                what="ratio of the last to the first recruitment threshold",
            ),
        )
        chk(
            self,
            "force_range",
            check_range(
                self.force_range,
                "force_range",
                "",
                lo=1.0,
                hi=10_000.0,
                lo_open=True,
                what="ratio of the largest to the smallest twitch force",
            ),
        )
        chk(
            self,
            "T_longest_ms",
            check_range(
                self.T_longest_ms,
                "T_longest_ms",
                "ms",
                lo=T_MIN_MS,
                hi=T_MAX_MS,
                what="contraction time of the slowest (first) unit",
            ),
        )
        chk(
            self,
            "contraction_time_range",
            check_range(
                self.contraction_time_range,
                "contraction_time_range",
                "",
                lo=1.0,
                hi=self.T_longest_ms / T_MIN_MS,
                what="ratio of the slowest to the fastest contraction time",
            ),
        )
        chk(
            self,
            "min_rate_Hz",
            check_range(
                self.min_rate_Hz,
                "min_rate_Hz",
                "Hz",
                lo=0.0,
                hi=100.0,
                lo_open=True,
                what="rate at recruitment",
            ),
        )
        chk(
            self,
            "peak_rate_Hz",
            check_range(
                self.peak_rate_Hz,
                "peak_rate_Hz",
                "Hz",
                lo=self.min_rate_Hz,
                hi=RATE_MAX_HZ,
                what="peak rate; at least min_rate_Hz",
            ),
        )
        chk(
            self,
            "peak_rate_drop_Hz",
            check_range(
                self.peak_rate_drop_Hz,
                "peak_rate_drop_Hz",
                "Hz",
                lo=0.0,
                hi=self.peak_rate_Hz - self.min_rate_Hz,
                what="drop of the peak rate from first to last unit",
            ),
        )
        chk(
            self,
            "excitation_gain_Hz",
            check_range(
                self.excitation_gain_Hz,
                "excitation_gain_Hz",
                "Hz per excitation unit",
                lo=0.0,
                hi=100.0,
                lo_open=True,
                what="rate gain g_e",
            ),
        )
        chk(
            self,
            "isi_cv",
            check_range(
                self.isi_cv,
                "isi_cv",
                "",
                lo=0.0,
                hi=1.0,
                what="coefficient of variation of interspike intervals",
            ),
        )
        chk(
            self,
            "isi_z_max",
            check_range(
                self.isi_z_max,
                "isi_z_max",
                "SD",
                lo=0.5,
                hi=10.0,
                what="truncation of Gaussian ISIs; below 0.5 SD the rejection sampling of the ISIs "
                "would redraw almost every value",
            ),
        )


@dataclass(frozen=True, eq=False)
class MotorUnitPool:
    """The pool's per-unit arrays (unit i = 1 … n is row i − 1; arrays are read-only).

    RTE(i) = RR^(i/n) (= e^(a·i), a = ln RR / n), P(i) = RP^(i/n), T(i) = T_L·RT^(−i/n)
    (= T_L·P(i)^(−c), c = ln RT / ln RP), PFR(i) = PFR1 − PFRD·RTE(i)/RTE(n) (fuglevand1993).
    """

    params: PoolParameters
    unit: np.ndarray  # 1 … n
    recruitment_threshold: np.ndarray  # RTE, excitation units
    peak_twitch_au: np.ndarray  # P, au
    contraction_time_ms: np.ndarray  # T, ms
    peak_rate_Hz: np.ndarray  # PFR, Hz
    excitation_max: float  # E_max = RTE(n) + (PFR(n) − MFR)/g_e
    max_force_au: float = field(default=0.0)  # steady force at E_max (mean-rate approximation)

    @property
    def n_units(self) -> int:
        return self.params.n_units


@lru_cache(maxsize=32)
def _pool(params: PoolParameters) -> MotorUnitPool:
    p = params
    i = np.arange(1, p.n_units + 1, dtype=float)
    frac = i / p.n_units
    rte = p.recruitment_range**frac
    P = p.force_range**frac
    T = p.T_longest_ms * p.contraction_time_range ** (-frac)
    pfr = p.peak_rate_Hz - p.peak_rate_drop_Hz * rte / rte[-1]
    e_max = float(rte[-1] + (pfr[-1] - p.min_rate_Hz) / p.excitation_gain_Hz)
    pool = MotorUnitPool(
        p, _readonly(i.astype(int)), _readonly(rte), _readonly(P), _readonly(T), _readonly(pfr), e_max
    )
    object.__setattr__(pool, "max_force_au", float(_steady(pool, np.array([e_max]))[0]))
    return pool


def make_pool(params: PoolParameters | None = None, **overrides) -> MotorUnitPool:
    """The motor-unit pool for ``params`` (default: Fuglevand 1993, 120 units); cached.

    ``make_pool(n_units=60, isi_cv=0.1)`` overrides single parameters (see
    :class:`PoolParameters` for names, units and allowed ranges).
    """
    names = {f.name for f in fields(PoolParameters)}
    unknown = sorted(k for k in overrides if k not in names)
    if unknown:
        raise ParameterError(
            f"{', '.join(unknown)} is not a pool parameter; the parameters are: {', '.join(sorted(names))}."
        )
    if params is not None and not isinstance(params, PoolParameters):
        raise ParameterError(f"params must be a PoolParameters (or None), got {type(params).__name__}.")
    if params is None:
        params = PoolParameters(**overrides)
    elif overrides:
        kw = {f.name: getattr(params, f.name) for f in fields(params)} | overrides
        params = PoolParameters(**kw)
    elif not isinstance(params, PoolParameters):
        raise ParameterError(f"params must be a PoolParameters, got {type(params).__name__}.")
    return _pool(params)


def _check_pool(pool) -> MotorUnitPool:
    if pool is None:
        return make_pool()
    if not isinstance(pool, MotorUnitPool):
        raise ParameterError(f"pool must be a MotorUnitPool from make_pool(), got {type(pool).__name__}.")
    return pool


def _rates(pool: MotorUnitPool, e: np.ndarray) -> np.ndarray:
    """Rates (Hz) of every unit (columns) at each excitation (rows); 0 below threshold."""
    if e.size * pool.n_units > MAX_RATE_CELLS:
        raise ParameterError(
            f"excitation has {e.size:,} values for a pool of {pool.n_units} units: "
            f"{e.size * pool.n_units:,} rates, above the memory limit of {MAX_RATE_CELLS:,} "
            f"(≈ 200 MB of tables); allowed: at most {MAX_RATE_CELLS // pool.n_units:,} excitation "
            "values for this pool. Pass fewer values or a smaller pool."
        )
    p = pool.params
    e = e[:, None]
    fr = np.minimum(
        p.excitation_gain_Hz * (e - pool.recruitment_threshold) + p.min_rate_Hz, pool.peak_rate_Hz
    )
    return np.where(e >= pool.recruitment_threshold, fr, 0.0)


def _check_excitation_values(excitation, name="excitation") -> np.ndarray:
    """A number or a 1-D array of excitations, as a 1-D float array."""
    check = check_range if np.ndim(excitation) == 0 else check_array
    return np.atleast_1d(
        check(
            excitation,
            name,
            "excitation units",
            lo=0.0,
            hi=EXCITATION_MAX,
            what="synaptic excitation of the pool",
        )
    )


def firing_rates_Hz(excitation, pool: MotorUnitPool | None = None) -> np.ndarray:
    """Mean discharge rate of every unit at a steady excitation (size principle; fuglevand1993).

    FR(i) = g_e·(E − RTE(i)) + MFR if E ≥ RTE(i), capped at PFR(i); 0 below threshold.
    Scalar ``excitation`` → shape (n_units,); 1-D array → shape (len(excitation), n_units).
    """
    pool = _check_pool(pool)
    e = _check_excitation_values(excitation)
    fr = _rates(pool, e)
    return fr[0] if np.ndim(excitation) == 0 else fr


def recruited_count(excitation, pool: MotorUnitPool | None = None):
    """Number of units recruited (E ≥ RTE) at each excitation (int, or int array)."""
    pool = _check_pool(pool)
    e = _check_excitation_values(excitation)
    n = np.searchsorted(pool.recruitment_threshold, e, side="right")
    return int(n[0]) if np.ndim(excitation) == 0 else n


def _steady(pool: MotorUnitPool, e: np.ndarray) -> np.ndarray:
    fr = _rates(pool, e)
    r = pool.contraction_time_ms * fr / 1000.0
    lin = pool.peak_twitch_au * E * r
    with np.errstate(divide="ignore", invalid="ignore"):
        sat = pool.peak_twitch_au * E * (1.0 - np.exp(-2.0 * r**3)) / _GAIN_NORM
    return np.where(r > GAIN_R_THRESHOLD, sat, lin).sum(axis=1)


def steady_force_au(excitation, pool: MotorUnitPool | None = None):
    """Mean pool force at a steady excitation, in the deterministic mean-rate approximation.

    Each recruited unit fires periodically at FR(i); its mean force is g·P·e·r (r = T·FR). Rises
    monotonically with excitation; at E = 30 (all units recruited) it is ≈ 54 % of the force at
    E_max (REFERENCE.md §4.3). Stochastic ISIs (:func:`simulate_pool`) differ somewhat.
    """
    pool = _check_pool(pool)
    e = _check_excitation_values(excitation)
    out = _steady(pool, e)
    return float(out[0]) if np.ndim(excitation) == 0 else out


@njit(cache=True)
def _pool_spikes(Ex, drive, rte, mfr, pfr, ge, dt, z, u0, cv, min_isi):  # pragma: no cover
    """Spike times of every unit for a sampled excitation ``Ex`` (numba; see simulate_pool)."""
    n_units, K = z.shape
    ns = Ex.size
    out = np.empty((n_units, K))
    counts = np.zeros(n_units, np.int64)
    overflow = False
    for i in range(n_units):
        t = 0.0
        k = 0
        n = 0
        active = False
        at_start = True
        while True:
            j = int(t / dt + 1e-9)
            if j >= ns:
                break
            e = drive[i] * Ex[j]
            if e < rte[i]:
                active = False
                at_start = False
                t = (j + 1) * dt
                continue
            rate = ge * (e - rte[i]) + mfr
            if rate > pfr[i]:
                rate = pfr[i]
            mean_isi = 1000.0 / rate
            if not active:
                active = True
                if at_start:  # already firing at t = 0: random phase
                    at_start = False
                    t = u0[i] * mean_isi
                    continue
            at_start = False
            if n >= K or k >= K:
                overflow = True
                break
            out[i, n] = t
            n += 1
            isi = mean_isi * (1.0 + cv * z[i, k])
            k += 1
            if isi < min_isi:
                isi = min_isi
            t += isi
        counts[i] = n
    return out, counts, overflow


def _truncated_normal(rng, shape, z_max):
    z = rng.standard_normal(shape)
    bad = np.abs(z) > z_max
    for _ in range(MAX_REDRAWS):  # z_max ≥ 0.5 accepts ≥ 38 % of draws: ~40 rounds at most in practice
        if not bad.any():
            break
        z[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(z) > z_max
    return np.clip(z, -z_max, z_max)  # a no-op unless the redraw cap was hit


@dataclass(frozen=True, eq=False)
class MuscleActivity:
    """Spikes and force of a pool (or of a named pattern).

    ``spike_unit`` holds unit numbers 1 … n (Fuglevand's index i, so row i − 1 of the pool's
    arrays); ``spike_times_ms`` the matching spike times (grouped by unit, each in time order).
    ``excitation`` is the pool excitation at each sample (zeros where the activity is not
    driven by excitation, e.g. a fasciculation).
    """

    t_ms: np.ndarray
    force_au: np.ndarray
    spike_unit: np.ndarray
    spike_times_ms: np.ndarray
    excitation: np.ndarray
    pool: MotorUnitPool
    key: str = "pool"
    label: str = "Motor-unit pool"
    sources: tuple[str, ...] = ("fuglevand1993",)
    settings: dict = field(default_factory=dict)

    @property
    def n_spikes(self) -> int:
        return int(self.spike_times_ms.size)

    def spike_counts(self) -> np.ndarray:
        """Number of spikes of each unit (length n_units; index i − 1 for unit i)."""
        return np.bincount(self.spike_unit - 1, minlength=self.pool.n_units)

    def raster(self) -> pd.DataFrame:
        """The raster as a table: one row per spike, columns ``unit`` and ``t_ms``."""
        return pd.DataFrame({"unit": self.spike_unit, "t_ms": self.spike_times_ms})


def _activity(pool, units1, times, n, dt, excitation, presorted=False, **meta):
    """Force of the spikes; the raster is returned grouped by unit, each unit in time order."""
    units1 = np.asarray(units1, dtype=np.int64)
    times = np.asarray(times, dtype=float)
    if not presorted:
        order = np.lexsort((times, units1))
        units1, times = units1[order], times[order]
    F = _force(units1 - 1, times, pool.peak_twitch_au, pool.contraction_time_ms, n, dt, presorted=True)
    return MuscleActivity(
        np.arange(n) * dt, F, units1, times, np.asarray(excitation, dtype=float), pool, **meta
    )


def _excitation_trace(excitation, n: int) -> np.ndarray:
    if np.ndim(excitation) == 0:
        return np.full(n, _check_excitation_values(excitation)[0])
    arr = check_array(
        excitation,
        "excitation",
        "excitation units",
        lo=0.0,
        hi=EXCITATION_MAX,
        what="synaptic excitation of the pool, one value per force sample",
    )
    if arr.size != n:
        raise ParameterError(
            f"excitation has {arr.size} values; it needs one per sample, "
            f"i.e. {n} (= duration_s × fs_Hz), or a single number."
        )
    return arr


def simulate_pool(
    excitation,
    duration_s: float = 5.0,
    pool: MotorUnitPool | None = None,
    *,
    fs_Hz: float = 1000.0,
    seed: int = 0,
    isi_cv: float | None = None,
    unit_drive=None,
) -> MuscleActivity:
    """Spikes and force of the motor-unit pool driven by ``excitation`` (fuglevand1993).

    Each unit is recruited when its excitation reaches RTE(i) (size principle: small, slow units
    first; henneman1957). A recruited unit fires with Gaussian ISIs of mean 1/FR(E) and
    CV ``isi_cv`` (z truncated at ±``isi_z_max``; ISIs never below 3 ms, ``MIN_ISI_MS``); the
    next ISI uses the excitation at the current spike. Units already active at t = 0 start at a
    random phase; units recruited later fire at once. Force: each twitch scaled by the
    summation gain of the interval before it.

    Args:
        excitation: a number, or one value per sample (length duration_s·fs_Hz), in
            excitation units [0, 1000] (the default pool saturates at E_max = 57).
        duration_s: simulated time, s (≤ 600). pool: from :func:`make_pool` (default pool).
        fs_Hz: force sampling rate, Hz. seed: random seed (int ≥ 0).
        isi_cv: override of the pool's ISI CV, [0, 1].
        unit_drive: optional per-unit multiplier of the excitation (length n_units, values in
            [0, 10]; 0 silences a unit) — used for a local cramp.
    """
    pool = _check_pool(pool)
    dur, fs = _check_duration(duration_s), _check_fs(fs_Hz)
    seed = _check_seed(seed)
    n, dt = _grid(dur, fs)
    ex = _excitation_trace(excitation, n)
    cv = (
        pool.params.isi_cv
        if isi_cv is None
        else check_range(isi_cv, "isi_cv", "", lo=0.0, hi=1.0, what="coefficient of variation of ISIs")
    )
    if unit_drive is None:
        drive = np.ones(pool.n_units)
    else:
        drive = check_array(
            unit_drive, "unit_drive", "", lo=0.0, hi=10.0, what="per-unit multiplier of the excitation"
        )
        if drive.size != pool.n_units:
            raise ParameterError(f"unit_drive has {drive.size} values; the pool has {pool.n_units} units.")
    return _simulate(pool, ex, drive, n, dt, seed, cv)


def _spike_buffer(n_units: int, K: int) -> None:
    """Refuse a spike buffer (units × spikes per unit) above MAX_SPIKE_CELLS."""
    if n_units * K > MAX_SPIKE_CELLS:
        raise ParameterError(
            f"the pool of {n_units} units over this duration_s needs room for {n_units * K:,} spikes "
            f"({K:,} per unit at the peak rate), above the memory limit of {MAX_SPIKE_CELLS:,} "
            "(≈ 400 MB of buffers); use a shorter duration_s or a pool with fewer units."
        )


def _whole_pool(pool, ex, n, dt, seed, **meta) -> MuscleActivity:
    """Every unit of the pool driven by the excitation ``ex``, with the pool's own ISI CV."""
    return _simulate(pool, ex, np.ones(pool.n_units), n, dt, seed, pool.params.isi_cv, **meta)


def _spontaneous(pool, units1, times, n, dt, **meta) -> MuscleActivity:
    """Discharges that arise in the motor units themselves: no excitation drives them (it stays 0).
    ``units1``: the unit of each spike (1-based), or one unit for them all."""
    return _activity(pool, np.broadcast_to(units1, np.shape(times)), times, n, dt, np.zeros(n), **meta)


def _simulate(pool, ex, drive, n, dt, seed, cv, **meta) -> MuscleActivity:
    dur_s = n * dt / 1000.0
    rng = np.random.default_rng(seed)
    u0 = rng.random(pool.n_units)
    zseed = rng.integers(0, 2**63 - 1)
    K = int(math.ceil(dur_s * float(pool.peak_rate_Hz.max()) * 1.3)) + 16
    _spike_buffer(pool.n_units, K)
    for attempt in range(2):
        z = _truncated_normal(np.random.default_rng(zseed), (pool.n_units, K), pool.params.isi_z_max)
        out, counts, overflow = _pool_spikes(
            ex,
            drive,
            pool.recruitment_threshold,
            pool.params.min_rate_Hz,
            pool.peak_rate_Hz,
            pool.params.excitation_gain_Hz,
            dt,
            z,
            u0,
            cv,
            MIN_ISI_MS,
        )
        if not overflow:
            break
        K = int(math.ceil(dur_s * 1000.0 / MIN_ISI_MS)) + 16  # can never overflow
        _spike_buffer(pool.n_units, K)
    mask = np.arange(out.shape[1])[None, :] < counts[:, None]
    times = out[mask]
    units1 = np.repeat(np.arange(1, pool.n_units + 1), counts)
    return _activity(pool, units1, times, n, dt, ex, presorted=True, **meta)


# ----------------------------------------------------------------------------- patterns
#: Defaults of the named patterns (each with its source; all in data/muscle_parameters.csv).
FASCICULATION_RATE_HZ = 0.3  # ~0.28–0.29 Hz per muscle, BFS and ALS (decarvalho2016)
FASCICULATION_DEAD_TIME_MS = 3.0  # refractory 3–4 ms, otherwise Poisson-like (kleine2008)
MYOKYMIA_INTRABURST_HZ = 40.0  # groups of repetitive discharges at 2–60 Hz (ginsberg2020)
MYOKYMIA_SPIKES_PER_BURST = 6  # model choice (reference_sheet)
MYOKYMIA_BURST_PERIOD_S = 0.8  # silences between regularly recurring groups (ginsberg2020)
CRAMP_ISI_CV = 0.45  # ISI CV during cramps (minetto2009)
CRAMP_N_UNITS = 40  # a local group: a third of the pool (model choice)
TETANY_INTERVAL_MS = (4.0, 20.0)  # intra-group intervals, a few to ~20 ms (reference_sheet §5)
TETANY_GROUP_RATE_HZ = 1.0  # recurrence of multiplets per unit (model choice)
TETANY_N_UNITS = 8
MYOCLONUS_BURST_MS = 30.0  # cortical myoclonus bursts 10–50 ms (caviness2004)
TREMOR_FREQUENCY_HZ = 6.0  # essential tremor 4–12 Hz, parkinsonian 4–6 Hz (bhatia2018)


def _check_unit(unit, pool) -> int:
    return check_int(
        unit, "unit", lo=1, hi=pool.n_units, what="motor-unit number (1 = smallest, first recruited)"
    )


def _check_level(level, what: str) -> float:
    return check_range(level, "level", "× E_max", lo=0.0, hi=2.0, lo_open=True, what=what)


def _meta(key: str, **settings) -> dict:
    p = PATTERNS[key]
    return {"key": key, "label": p.label, "sources": p.sources, "settings": settings}


def voluntary(
    excitation: float = 20.0,
    duration_s: float = 3.0,
    seed: int = 0,
    pool: MotorUnitPool | None = None,
    fs_Hz: float = 1000.0,
) -> MuscleActivity:
    """Steady voluntary effort: constant excitation of the whole pool (fuglevand1993).

    At the default 20 excitation units (35 % of E_max = 57) the first 105 of 120 units fire at
    8–27 Hz, out of step with each other, and their twitches blend into a smooth force.
    """
    pool = _check_pool(pool)
    dur, fs, seed = _check_duration(duration_s), _check_fs(fs_Hz), _check_seed(seed)
    n, dt = _grid(dur, fs)
    ex = _excitation_trace(excitation, n)
    return _whole_pool(pool, ex, n, dt, seed, **_meta("voluntary", excitation=excitation))


def _poisson_dead(rng, rate_Hz, dead_ms, dur_ms):
    """Event times (ms) of a Poisson process with dead time: ISI = dead + Exp(1/rate − dead)."""
    mean_free = 1000.0 / rate_Hz - dead_ms
    expected = dur_ms / (1000.0 / rate_Hz)
    chunk = int(expected + 6 * math.sqrt(expected) + 16)
    out, t0 = [], 0.0
    for _ in range(MAX_REDRAWS):  # each chunk covers the whole duration with high probability
        isi = dead_ms + rng.exponential(mean_free, chunk)
        t = t0 + np.cumsum(isi)
        out.append(t[t < dur_ms])
        if t[-1] >= dur_ms:
            break
        t0 = t[-1]
    return np.concatenate(out)


def fasciculation(
    rate_Hz: float = FASCICULATION_RATE_HZ,
    duration_s: float = 20.0,
    seed: int = 0,
    unit: int = 60,
    dead_time_ms: float = FASCICULATION_DEAD_TIME_MS,
    pool: MotorUnitPool | None = None,
    fs_Hz: float = 1000.0,
) -> MuscleActivity:
    """Fasciculation: one motor unit firing on its own, at random times.

    A Poisson process with a dead time: interval = dead time + exponential, so the mean rate is
    exactly ``rate_Hz`` (default 0.3 Hz, about one every 3–4 s: decarvalho2016) and no interval
    is shorter than ``dead_time_ms`` (3 ms; refractory 3–4 ms, otherwise Poisson-like:
    kleine2008). Each discharge is one twitch of unit ``unit`` (default 60, mid-pool):
    a flicker under the skin that does not move a joint (dengler2020).
    """
    pool = _check_pool(pool)
    dur, fs, seed = _check_duration(duration_s), _check_fs(fs_Hz), _check_seed(seed)
    dead = check_range(
        dead_time_ms, "dead_time_ms", "ms", lo=0.0, hi=100.0, what="dead time after each discharge"
    )
    rate = check_range(
        rate_Hz,
        "rate_Hz",
        "Hz",
        lo=0.0,
        hi=min(50.0, 1000.0 / dead / 2 if dead > 0 else 50.0),
        lo_open=True,
        what="mean fasciculation rate (at most half of 1/dead time)",
    )
    unit = _check_unit(unit, pool)
    n, dt = _grid(dur, fs)
    t = _poisson_dead(np.random.default_rng(seed), rate, dead, (n - 1) * dt)
    return _spontaneous(
        pool, unit, t, n, dt, **_meta("fasciculation", rate_Hz=rate, dead_time_ms=dead, unit=unit)
    )


def myokymia(
    intraburst_rate_Hz: float = MYOKYMIA_INTRABURST_HZ,
    spikes_per_burst: int = MYOKYMIA_SPIKES_PER_BURST,
    burst_period_s: float = MYOKYMIA_BURST_PERIOD_S,
    duration_s: float = 5.0,
    seed: int = 0,
    unit: int = 60,
    jitter_cv: float = 0.1,
    pool: MotorUnitPool | None = None,
    fs_Hz: float = 1000.0,
) -> MuscleActivity:
    """Myokymia: one unit firing in groups of repetitive discharges that recur regularly.

    Groups of ``spikes_per_burst`` discharges at ``intraburst_rate_Hz`` (2–60 Hz allowed;
    ginsberg2020, dengler2020), recurring every ``burst_period_s`` with silences between;
    intervals and periods jitter with CV ``jitter_cv``. The twitches of each group summate into a
    brief ripple — the worm-like undulation of the skin (e.g. benign eyelid myokymia).
    """
    pool = _check_pool(pool)
    dur, fs, seed = _check_duration(duration_s), _check_fs(fs_Hz), _check_seed(seed)
    rate = check_range(
        intraburst_rate_Hz,
        "intraburst_rate_Hz",
        "Hz",
        lo=2.0,
        hi=60.0,
        what="discharge rate within a group (ginsberg2020)",
    )
    k = check_int(spikes_per_burst, "spikes_per_burst", lo=1, hi=200, what="discharges per group")
    cv = check_range(jitter_cv, "jitter_cv", "", lo=0.0, hi=0.3, what="CV of intervals")
    burst_len_s = (k - 1) / rate
    period = check_range(
        burst_period_s,
        "burst_period_s",
        "s",
        lo=burst_len_s * 1.2 + 0.01,
        hi=60.0,
        what="time from one group to the next; longer than a group",
    )
    unit = _check_unit(unit, pool)
    n, dt = _grid(dur, fs)
    end_ms = (n - 1) * dt
    rng = np.random.default_rng(seed)
    n_bursts = int(dur / period) + 3
    starts = (
        rng.random() * period
        + np.concatenate([[0.0], np.cumsum(period * (1 + cv * _truncated_normal(rng, n_bursts - 1, 2.0)))])
    ) * 1000.0
    isi = 1000.0 / rate * (1 + cv * _truncated_normal(rng, (n_bursts, k - 1), 2.0))
    within = np.concatenate([np.zeros((n_bursts, 1)), np.cumsum(isi, axis=1)], axis=1)
    t = (starts[:, None] + within).ravel()
    t = t[t <= end_ms]
    return _spontaneous(
        pool,
        unit,
        t,
        n,
        dt,
        **_meta("myokymia", intraburst_rate_Hz=rate, spikes_per_burst=k, burst_period_s=period, unit=unit),
    )


def cramp(
    duration_s: float = 6.0,
    seed: int = 0,
    n_units: int = CRAMP_N_UNITS,
    level: float = 1.0,
    onset_s: float | None = None,
    release_s: float | None = None,
    rise_s: float = 0.3,
    release_tau_s: float = 0.4,
    isi_cv: float = CRAMP_ISI_CV,
    pool: MotorUnitPool | None = None,
    fs_Hz: float = 1000.0,
) -> MuscleActivity:
    """Cramp: a local group of units driven near their maximal rates, sustained, then released.

    ``n_units`` units (a random, seeded subset: one region of the muscle) receive excitation
    rising over ``rise_s`` to ``level``·E_max (default E_max: every group unit near its peak
    rate), held, and released from ``release_s`` with time constant ``release_tau_s`` (slow
    release). ISIs are irregular (CV 0.45; minetto2009). The rest of the pool is silent. Model
    of REFERENCE.md §5 (minetto2013). Note: measured single-unit rates in induced cramps are
    6–25 Hz (mean 14.5 Hz; minetto2009) — lower ``level`` to see that.

    Defaults: onset at 10 % and release at 65 % of ``duration_s``.
    """
    pool = _check_pool(pool)
    dur, fs, seed = _check_duration(duration_s), _check_fs(fs_Hz), _check_seed(seed)
    m = check_int(n_units, "n_units", lo=1, hi=pool.n_units, what="units in the cramping group")
    lvl = _check_level(level, "excitation of the group relative to the pool's maximum")
    on = 0.1 * dur if onset_s is None else check_range(onset_s, "onset_s", "s", lo=0.0, hi=dur)
    off = (
        0.65 * dur
        if release_s is None
        else check_range(release_s, "release_s", "s", lo=on, hi=dur, what="start of the release; ≥ onset_s")
    )
    rise = check_range(rise_s, "rise_s", "s", lo=0.0, hi=10.0, what="rise time of the cramp")
    tau = check_range(
        release_tau_s, "release_tau_s", "s", lo=0.01, hi=10.0, what="time constant of the release"
    )
    cv = check_range(isi_cv, "isi_cv", "", lo=0.0, hi=1.0, what="CV of interspike intervals")
    n, dt = _grid(dur, fs)
    t_s = np.arange(n) * dt / 1000.0
    peak = lvl * pool.excitation_max
    ramp = np.clip((t_s - on) / rise, 0.0, 1.0) if rise > 0 else (t_s >= on).astype(float)
    decay = np.exp(-np.maximum(t_s - off, 0.0) / tau)
    ex = peak * ramp * decay
    rng = np.random.default_rng(seed)
    group = rng.choice(pool.n_units, size=m, replace=False)
    drive = np.zeros(pool.n_units)
    drive[group] = 1.0
    return _simulate(
        pool,
        ex,
        drive,
        n,
        dt,
        int(rng.integers(0, 2**63 - 1)),
        cv,
        **_meta("cramp", group_units=np.sort(group) + 1, level=lvl, onset_s=on, release_s=off, isi_cv=cv),
    )


def tetany(
    duration_s: float = 5.0,
    seed: int = 0,
    n_units: int = TETANY_N_UNITS,
    group_rate_Hz: float = TETANY_GROUP_RATE_HZ,
    interval_ms: tuple[float, float] = TETANY_INTERVAL_MS,
    multiplet_probs: tuple[float, float, float] = (0.6, 0.3, 0.1),
    pool: MotorUnitPool | None = None,
    fs_Hz: float = 1000.0,
) -> MuscleActivity:
    """Tetany: spontaneous doublets, triplets and multiplets of several units.

    Each of ``n_units`` random units (seeded) fires groups at Poisson times (``group_rate_Hz``
    per unit, at least 100 ms of silence between groups); a group is a doublet, triplet or
    quadruplet with probabilities ``multiplet_probs``; intervals inside a group are uniform in
    ``interval_ms`` (a few to ~20 ms; REFERENCE.md §5, dengler2020). Low ionised calcium or magnesium, or
    alkalosis, cause it (peripheral-nerve hyperexcitability).
    """
    pool = _check_pool(pool)
    dur, fs, seed = _check_duration(duration_s), _check_fs(fs_Hz), _check_seed(seed)
    m = check_int(n_units, "n_units", lo=1, hi=pool.n_units, what="units firing multiplets")
    gr = check_range(
        group_rate_Hz, "group_rate_Hz", "Hz", lo=0.0, hi=4.0, lo_open=True, what="rate of multiplets per unit"
    )
    if isinstance(interval_ms, (str, bytes)) or not hasattr(interval_ms, "__len__") or len(interval_ms) != 2:
        raise ParameterError("interval_ms must be (shortest, longest) intra-group interval, ms.")
    lo_ms = check_range(
        interval_ms[0],
        "interval_ms[0]",
        "ms",
        lo=MIN_ISI_MS,
        hi=50.0,
        what="shortest interval inside a multiplet",
    )
    hi_ms = check_range(
        interval_ms[1],
        "interval_ms[1]",
        "ms",
        lo=lo_ms,
        hi=50.0,
        what="longest interval inside a multiplet; ≥ interval_ms[0]",
    )
    probs = check_array(
        multiplet_probs,
        "multiplet_probs",
        "",
        lo=0.0,
        hi=1.0,
        what="probabilities of doublet, triplet, quadruplet",
        min_size=3,
    )
    if probs.size != 3 or abs(probs.sum() - 1.0) > 1e-9:
        raise ParameterError(
            "multiplet_probs must be 3 probabilities (doublet, triplet, quadruplet) that add up to 1."
        )
    n, dt = _grid(dur, fs)
    end_ms = (n - 1) * dt
    rng = np.random.default_rng(seed)
    units = np.sort(rng.choice(pool.n_units, size=m, replace=False)) + 1
    u_all, t_all = [], []
    for u in units:
        onsets = _poisson_dead(rng, gr, 100.0 + 3 * hi_ms, end_ms)  # ≥ 100 ms of silence
        for t0 in onsets:
            size = 2 + int(rng.choice(3, p=probs))
            t = t0 + np.concatenate([[0.0], np.cumsum(rng.uniform(lo_ms, hi_ms, size - 1))])
            t = t[t <= end_ms]
            u_all.append(np.full(t.size, u))
            t_all.append(t)
    U = np.concatenate(u_all) if u_all else np.zeros(0, np.int64)
    T = np.concatenate(t_all) if t_all else np.zeros(0)
    return _spontaneous(
        pool, U, T, n, dt, **_meta("tetany", units=units, group_rate_Hz=gr, interval_ms=(lo_ms, hi_ms))
    )


def myoclonus(
    duration_s: float = 1.0,
    seed: int = 0,
    burst_ms: float = MYOCLONUS_BURST_MS,
    onset_s: float | None = None,
    level: float = 1.0,
    pool: MotorUnitPool | None = None,
    fs_Hz: float = 1000.0,
) -> MuscleActivity:
    """Myoclonus: one sudden synchronous burst across many units — a shock-like jerk.

    A pulse of excitation ``level``·E_max lasting ``burst_ms`` (cortical myoclonus 10–50 ms,
    cortical–subcortical 25–100 ms; caviness2004) reaches the whole pool at once (default onset
    at 20 % of ``duration_s``). Every unit above threshold fires at pulse onset, together, so
    the twitches add into one brief, large jerk.
    """
    pool = _check_pool(pool)
    dur, fs, seed = _check_duration(duration_s), _check_fs(fs_Hz), _check_seed(seed)
    b = check_range(
        burst_ms, "burst_ms", "ms", lo=5.0, hi=100.0, what="burst duration (cortical 10–50 ms; caviness2004)"
    )
    on = (
        0.2 * dur
        if onset_s is None
        else check_range(onset_s, "onset_s", "s", lo=0.0, hi=dur, what="time of the jerk")
    )
    lvl = _check_level(level, "pulse excitation relative to the pool's maximum")
    n, dt = _grid(dur, fs)
    t_ms = np.arange(n) * dt
    ex = np.where((t_ms >= on * 1000.0) & (t_ms < on * 1000.0 + b), lvl * pool.excitation_max, 0.0)
    return _whole_pool(pool, ex, n, dt, seed, **_meta("myoclonus", burst_ms=b, onset_s=on, level=lvl))


def tremor(
    frequency_Hz: float = TREMOR_FREQUENCY_HZ,
    mean_excitation: float = 15.0,
    modulation: float = 8.0,
    duration_s: float = 3.0,
    seed: int = 0,
    pool: MotorUnitPool | None = None,
    fs_Hz: float = 1000.0,
) -> MuscleActivity:
    """Tremor: excitation of the pool modulated rhythmically, E(t) = E0 + A·sin(2πft), ≥ 0.

    ``frequency_Hz`` in [2, 20] Hz: essential tremor 4–12 Hz, parkinsonian rest tremor ~4–6 Hz,
    enhanced physiological 4–12 Hz, orthostatic 13–18 Hz (bhatia2018). Units are recruited and
    speed up together on each cycle, so force oscillates at the tremor frequency.
    """
    pool = _check_pool(pool)
    dur, fs, seed = _check_duration(duration_s), _check_fs(fs_Hz), _check_seed(seed)
    f = check_range(
        frequency_Hz,
        "frequency_Hz",
        "Hz",
        lo=2.0,
        hi=20.0,
        what="tremor frequency (bhatia2018: 4–12 Hz for most tremors)",
    )
    e0 = check_range(mean_excitation, "mean_excitation", "excitation units", lo=0.0, hi=EXCITATION_MAX)
    a = check_range(
        modulation,
        "modulation",
        "excitation units",
        lo=0.0,
        hi=EXCITATION_MAX,
        what="amplitude of the rhythmic excitation",
    )
    n, dt = _grid(dur, fs)
    t_s = np.arange(n) * dt / 1000.0
    ex = np.clip(e0 + a * np.sin(2 * np.pi * f * t_s), 0.0, EXCITATION_MAX)
    return _whole_pool(
        pool, ex, n, dt, seed, **_meta("tremor", frequency_Hz=f, mean_excitation=e0, modulation=a)
    )


@dataclass(frozen=True)
class Pattern:
    """One named discharge pattern: plain-language label, summary, sources, generator."""

    key: str
    label: str
    summary: str
    sources: tuple[str, ...]
    simulate: Callable[..., MuscleActivity]


PATTERNS: dict[str, Pattern] = {
    p.key: p
    for p in [
        Pattern(
            "voluntary",
            "Voluntary contraction (steady effort)",
            "Many units fire steadily and out of step; their twitches blend into smooth force.",
            ("fuglevand1993", "henneman1957"),
            voluntary,
        ),
        Pattern(
            "fasciculation",
            "Fasciculation (one unit firing at random)",
            "One motor unit fires now and then on its own: a flicker, too weak to move a joint.",
            ("decarvalho2016", "kleine2008", "dengler2020"),
            fasciculation,
        ),
        Pattern(
            "myokymia",
            "Myokymia (repeated bursts of one unit, 'eyelid twitch')",
            "One unit fires short bursts again and again: a rippling, worm-like movement.",
            ("ginsberg2020", "dengler2020"),
            myokymia,
        ),
        Pattern(
            "cramp",
            "Cramp (a group of units firing fast, then releasing)",
            "A group of units fires fast and irregularly for seconds: a hard, painful knot.",
            ("minetto2009", "minetto2013", "ross1995"),
            cramp,
        ),
        Pattern(
            "tetany",
            "Tetany (spontaneous doublets and multiplets)",
            "Several units fire in pairs and triplets on their own, as when calcium is low.",
            ("reference_sheet", "dengler2020"),
            tetany,
        ),
        Pattern(
            "myoclonus",
            "Myoclonus (one sudden jerk of many units)",
            "The brain sends one brief burst to many units at once: a shock-like jerk.",
            ("caviness2004",),
            myoclonus,
        ),
        Pattern(
            "tremor",
            "Tremor (rhythmic shaking, 4–12 Hz)",
            "The drive to the whole pool rises and falls rhythmically: force shakes with it.",
            ("bhatia2018",),
            tremor,
        ),
    ]
}


def pattern_options() -> list[tuple[str, str]]:
    """(label, key) pairs for a dropdown: ``ipywidgets.Dropdown(options=pattern_options())``."""
    return [(p.label, k) for k, p in PATTERNS.items()]


def simulate_pattern(key: str, **kwargs) -> MuscleActivity:
    """Run the named pattern (a key of :data:`PATTERNS`) with its keyword arguments."""
    key = check_choice(key, "key", tuple(PATTERNS), what="discharge pattern")
    fn = PATTERNS[key].simulate
    known = inspect.signature(fn).parameters
    unknown = sorted(k for k in kwargs if k not in known)
    if unknown:
        raise ParameterError(
            f"{', '.join(unknown)} is not a parameter of the {key!r} pattern; its parameters: {', '.join(known)}."
        )
    return fn(**kwargs)


# ----------------------------------------------------------------------------- fit to a recording
@dataclass(frozen=True)
class TwitchFit:
    """The twitch kernel fitted to a recorded twitch, and the shape measured from the data.

    Fitted model: F(t) = baseline + P·x·e^(1−x), x = max(t − stimulus − latency, 0)/T, i.e.
    :func:`twitch_kernel` shifted by an electromechanical ``latency_ms`` and sitting on a
    ``baseline``. Force units are those of the recording (``_mN`` if the input was in mN).

    ``time_to_peak_ms`` and ``half_relaxation_ms`` are measured on the data (not the model):
    the time from the stimulus to the largest sample, and from that peak to the first fall
    below half of the peak above ``data_baseline_mN`` (linear interpolation between samples).
    """

    T_ms: float  # fitted contraction time of the kernel
    P_mN: float  # fitted peak force above baseline
    baseline_mN: float  # fitted baseline (passive force)
    latency_ms: float  # fitted (or fixed) delay from stimulus to force onset
    r_squared: float  # 1 − SS_res/SS_tot over the fitted samples
    rmse_mN: float  # root-mean-square residual
    stimulus_s: float
    n_samples: int
    data_baseline_mN: float  # mean force before the stimulus (fitted baseline if none)
    data_peak_mN: float  # largest force after the stimulus, above data_baseline_mN
    time_to_peak_ms: float  # from the data
    half_relaxation_ms: float  # from the data (nan if the force never falls to half)

    @property
    def model_time_to_peak_ms(self) -> float:
        """Time from the stimulus to the model's peak: latency + T."""
        return self.latency_ms + self.T_ms

    @property
    def model_half_relaxation_ms(self) -> float:
        """The kernel's half-relaxation time after its peak, 1.678·T (REFERENCE.md §4.3)."""
        return twitch_properties(self.T_ms).half_relaxation_ms

    def predict(self, time_s) -> np.ndarray:
        """The fitted curve at ``time_s`` (s, same clock as the recording), in force units."""
        t = check_array(time_s, "time_s", "s", what="times at which to evaluate the fit")
        return _twitch_model(
            t, self.T_ms / 1e3, self.P_mN, self.baseline_mN, self.latency_ms / 1e3, self.stimulus_s
        )


def _twitch_model(t_s, T_s, P, baseline, latency_s, stim_s):
    x = np.maximum(t_s - stim_s - latency_s, 0.0) / T_s
    return baseline + P * x * np.exp(1.0 - x)


def fit_twitch(
    time_s,
    force_mN,
    stimulus_s: float,
    *,
    fit_latency: bool = True,
    latency_ms: float = 0.0,
    max_latency_ms: float = 50.0,
) -> TwitchFit:
    """Fit the Fuglevand twitch kernel (T, P, baseline; optionally a latency) to one twitch.

    Least squares (SciPy ``curve_fit``, trust-region with bounds) over every sample given; pass
    the stretch of recording to fit (one stimulus, the twitch and its relaxation). Real twitches
    start a few ms after the stimulus (electromechanical delay), so by default the latency is
    fitted too (``fit_latency=False`` holds it at ``latency_ms``).

    Args:
        time_s: sample times, s: 1-D, finite, strictly increasing, at least 10 samples.
        force_mN: force at those times (any force unit; results use the same unit).
        stimulus_s: time of the stimulus, s, inside the recording with ≥ 5 samples after it.
        fit_latency: fit the delay from stimulus to force onset (bounded by ``max_latency_ms``).
        latency_ms: the fixed latency (ms) when ``fit_latency`` is False.
        max_latency_ms: upper bound of a fitted latency, ms.

    Returns:
        :class:`TwitchFit` (fitted T, P, baseline, latency, R², and the shape measured on the
        data: time to peak and half-relaxation).

    Raises:
        ParameterError: bad input, no rise in force after the stimulus, or no convergence.
    """
    from scipy.optimize import curve_fit  # noqa: PLC0415 (deferred: scipy's submodules cost 0.6-1 s at kernel start)

    t = check_array(time_s, "time_s", "s", what="sample times", min_size=10)
    F = check_array(force_mN, "force_mN", "mN", what="recorded force", min_size=10)
    if F.size != t.size:
        raise ParameterError(
            f"force_mN has {F.size} values but time_s has {t.size}; they must "
            "match (one force value per sample time)."
        )
    if not (np.diff(t) > 0).all():
        raise ParameterError("time_s must be strictly increasing (sample times in order).")
    stim = check_range(
        stimulus_s,
        "stimulus_s",
        "s",
        lo=float(t[0]),
        hi=float(t[-1]),
        what="time of the stimulus, inside the recording",
    )
    after = t > stim
    if after.sum() < 5:
        raise ParameterError(
            f"stimulus_s = {stim:g} s leaves {int(after.sum())} samples after "
            "the stimulus; need at least 5 to fit a twitch."
        )
    max_lat = check_range(
        max_latency_ms,
        "max_latency_ms",
        "ms",
        lo=0.0,
        hi=1000.0,
        lo_open=True,
        what="upper bound of the fitted latency",
    )
    lat_fixed = check_range(
        latency_ms, "latency_ms", "ms", lo=0.0, hi=1000.0, what="fixed delay from stimulus to force onset"
    )
    before = t < stim
    base0 = float(np.mean(F[before])) if before.sum() >= 3 else float(np.min(F))
    ipk = int(np.flatnonzero(after)[0] + np.argmax(F[after]))
    amp0 = float(F[ipk] - base0)
    if not amp0 > 0:
        raise ParameterError(
            "force_mN does not rise above its baseline after the stimulus: there is no twitch to fit."
        )
    tpk_s = float(t[ipk] - stim)
    span_s = float(t[-1] - stim)
    T_lo, T_hi = T_MIN_MS / 1e3, min(T_MAX_MS / 1e3, max(span_s, 2 * T_MIN_MS / 1e3))
    fit_latency = check_bool(fit_latency, "fit_latency", "fit the electromechanical delay")
    if fit_latency:
        lat_hi = min(max_lat / 1e3, span_s)

        def model(tt, T_s, P, b, lat):
            return _twitch_model(tt, T_s, P, b, lat, stim)

        starts = [
            (np.clip(f * tpk_s, T_lo * 1.01, T_hi * 0.99), np.clip((1 - f) * tpk_s, 0, lat_hi))
            for f in (0.7, 0.5, 0.9)
        ]
        p_lo, p_hi = [T_lo, 0.0, -np.inf, 0.0], [T_hi, np.inf, np.inf, lat_hi]
    else:
        lat_s = lat_fixed / 1e3

        def model(tt, T_s, P, b):
            return _twitch_model(tt, T_s, P, b, lat_s, stim)

        starts = [(np.clip(max(tpk_s - lat_s, T_lo), T_lo * 1.01, T_hi * 0.99), None)]
        p_lo, p_hi = [T_lo, 0.0, -np.inf], [T_hi, np.inf, np.inf]
    best = None
    for T0, lat0 in starts:
        p0 = [T0, amp0, base0] + ([lat0] if fit_latency else [])
        try:
            p, _ = curve_fit(model, t, F, p0=p0, bounds=(p_lo, p_hi), method="trf", max_nfev=2000)
        except (RuntimeError, ValueError):
            continue
        sse = float(np.sum((F - model(t, *p)) ** 2))
        if best is None or sse < best[1]:
            best = (p, sse)
    if best is None:
        raise ParameterError(
            "the twitch fit did not converge; check that the recording holds one twitch after stimulus_s."
        )
    p, sse = best
    sst = float(np.sum((F - F.mean()) ** 2))
    T_s, P, b = float(p[0]), float(p[1]), float(p[2])
    lat_s = float(p[3]) if fit_latency else lat_fixed / 1e3
    data_base = base0 if before.sum() >= 3 else b
    peak = float(F[ipk])
    half = data_base + (peak - data_base) / 2.0
    below = np.flatnonzero(F[ipk:] < half)
    if below.size:
        j = ipk + int(below[0])
        t_half = t[j - 1] + (F[j - 1] - half) / (F[j - 1] - F[j]) * (t[j] - t[j - 1])
        half_relax = float((t_half - t[ipk]) * 1e3)
    else:
        half_relax = float("nan")
    return TwitchFit(
        T_ms=T_s * 1e3,
        P_mN=P,
        baseline_mN=b,
        latency_ms=lat_s * 1e3,
        r_squared=1.0 - sse / sst if sst > 0 else float("nan"),
        rmse_mN=math.sqrt(sse / F.size),
        stimulus_s=stim,
        n_samples=int(F.size),
        data_baseline_mN=data_base,
        data_peak_mN=peak - data_base,
        time_to_peak_ms=tpk_s * 1e3,
        half_relaxation_ms=half_relax,
    )


__all__ += ["TwitchFit", "fit_twitch"]

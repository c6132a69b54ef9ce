"""Needle EMG: filtering, motor-unit potentials, firing rates, spectra, and synthetic EMG.

A concentric needle in a muscle picks up the summed electrical activity of the muscle fibres of
the motor units near it. Each discharge of a unit gives a motor-unit potential (MUP) of a
characteristic shape; a unit fires repetitively, so its MUP recurs at the unit's firing rate.

Real records (PhysioNet emgdb, ``data.load_emg``; emgdb, goldberger2000):

* :func:`bandpass` (zero-phase Butterworth, second-order sections), :func:`rectify`,
  :func:`envelope`, :func:`noise_sd_mV`, :func:`power_spectrum` (Welch),
  :func:`spectral_frequencies`.
* :func:`detect_potentials` (threshold on |signal| with a refractory window),
  :func:`extract_snippets`, :func:`cluster_potentials` (PCA + k-means on aligned waveforms,
  then merging of similar templates), :func:`mup_measures` (amplitude, duration, phases of a
  spike-triggered-average template), :func:`firing_statistics` (rate and ISI CV).
* :func:`analyse_signal` and :func:`analyse_recording` run the whole chain and return an
  :class:`EMGAnalysis` (one row per detected unit).

Synthetic EMG from the motor-unit pool of ``utils.muscle`` (fuglevand1993):
:func:`mup_waveform` (Hermite–Rodriguez bi/triphasic shapes), :func:`synthetic_emg` (the small
interface: spike times + unit numbers + unit sizes), :func:`emg_from_activity` (from a
``muscle.MuscleActivity``), :func:`voluntary_emg`, :func:`fasciculation_emg`.

Units: signals in mV, sampling rates in Hz, times in s (durations of potentials in ms).
Analysis settings are model choices documented where they are defined (source key
``reference_sheet`` for choices made against shared/science/REFERENCE.md).
"""

from __future__ import annotations

import inspect
import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..validation import (
    ParameterError,
    check_array,
    check_bool,
    check_choice,
    check_int,
    check_pair,
    check_range,
)
from . import muscle


def _scipy_signal():
    """scipy.signal, imported on first use (scipy's submodules cost ~1 s at kernel start)."""
    from scipy import signal  # noqa: PLC0415

    return signal


__all__ = [
    "ParameterError",
    "bandpass",
    "rectify",
    "envelope",
    "noise_sd_mV",
    "power_spectrum",
    "spectral_frequencies",
    "detect_potentials",
    "extract_snippets",
    "cluster_potentials",
    "mup_measures",
    "firing_statistics",
    "EMGAnalysis",
    "analyse_signal",
    "analyse_recording",
    "mup_waveform",
    "SyntheticEMG",
    "synthetic_emg",
    "emg_from_activity",
    "voluntary_emg",
    "fasciculation_emg",
]

# ----------------------------------------------------------------------------- settings
#: Band-pass for analysis, Hz: removes movement drift below 10 Hz and noise above 1.5 kHz while
#: keeping the MUP's main spectral content (tens of Hz to ~1 kHz). Model choice (reference_sheet).
BAND_HZ = (10.0, 1500.0)
FILTER_ORDER = 4  # Butterworth order of each edge (zero-phase: effectively 8)
#: Detection threshold in robust noise SDs (MAD / 0.6745 of the filtered record); model choice.
THRESHOLD_SD = 5.0
#: Refractory window, ms: after a detection, smaller peaks within this time are the same MUP
#: (a MUP's main phases span a few ms; a motor unit cannot refire within ~3 ms: kleine2008).
REFRACTORY_MS = 5.0
#: Waveform window for clustering (aligned on the largest |peak|), ms.
CLUSTER_WINDOW_MS = (-2.5, 5.0)
#: Template window for MUP measures, ms (MUPs last ~5-15 ms; neuropathic ones longer).
TEMPLATE_WINDOW_MS = (-12.0, 18.0)
N_CLUSTERS = 6  # k-means clusters before merging (over-split on purpose)
N_INIT = 10  # k-means++ restarts; the lowest within-cluster sum of squares wins
MERGE_TOLERANCE = 0.3  # merge templates whose RMS difference < 0.3 × RMS of the larger
MIN_SPIKES = 10  # units with fewer detections are not reported
#: ISIs kept for rate and CV: between 0.5× and 1.5× the unit's median ISI (drops the doubled
#: intervals of missed detections and the pauses when a unit stops; model choice).
ISI_KEEP = (0.5, 1.5)
#: MUP duration rule: the baseline level L = max(LEVEL_FRACTION × peak-to-peak, 3 × template
#: noise SD); onset/offset = the last sample above L before (after) the main peak that is
#: preceded (followed) by QUIET_MS of template entirely below L. Model choice.
LEVEL_FRACTION = 0.05
QUIET_MS = 1.0
#: Phases: baseline crossings + 1 between onset and offset; a crossing counts only when the
#: template passes from above +D to below −D (or back), D = max(PHASE_DEADBAND_mV,
#: PHASE_DEADBAND_FRACTION × peak-to-peak, 2 × template noise SD). Model choice.
PHASE_DEADBAND_mV = 0.02
PHASE_DEADBAND_FRACTION = 0.03

FS_MIN_HZ, FS_MAX_HZ = 100.0, 100_000.0
SIGNAL_MAX_mV = 1000.0
MAX_SAMPLES = 50_000_000
#: Memory cap of power_spectrum (50 % overlapping segments: ~32 bytes per sample; 10 M ≈ 320 MB).
MAX_SPECTRUM_SAMPLES = 10_000_000
#: Lowest filter edge as a fraction of the sampling rate (1e-5: 0.04 Hz at 4 kHz). Below about
#: 1e-6 the Butterworth sections are numerically singular (measured: LinAlgError in sosfiltfilt).
MIN_RELATIVE_EDGE = 1e-5
#: Cost caps of :func:`synthetic_emg`: at most this many (spike × potential sample) additions in
#: all, done in chunks of KERNEL_CHUNK_CELLS (≈ 40 MB of indices) so memory stays bounded.
MAX_KERNEL_CELLS = 200_000_000
KERNEL_CHUNK_CELLS = 5_000_000
#: Cost caps of :func:`cluster_potentials` (design choices): the principal axes come from a
#: window × window covariance (cubic in the window) and merging compares every pair of clusters at
#: every shift, so the window, the number of potentials and the shift are bounded. 2 ms windows
#: at 4 kHz are ~ 40 samples; 1000 samples is 250 ms at 4 kHz.
MAX_WINDOW_SAMPLES = 1000
MAX_POTENTIALS = 200_000
MAX_LAG_SAMPLES = 200


# ----------------------------------------------------------------------------- checks
def _fs(fs_Hz) -> float:
    return check_range(fs_Hz, "fs_Hz", "Hz", lo=FS_MIN_HZ, hi=FS_MAX_HZ, what="sampling rate")


def _signal(x, name="signal_mV", min_size=16) -> np.ndarray:
    a = check_array(
        x,
        name,
        "mV",
        lo=-SIGNAL_MAX_mV,
        hi=SIGNAL_MAX_mV,
        min_size=min_size,
        what="EMG samples (NaN/inf not allowed)",
    )
    if a.size > MAX_SAMPLES:
        raise ParameterError(f"{name} has {a.size} samples; at most {MAX_SAMPLES} allowed.")
    return a


def _seed(seed) -> int:
    return check_int(seed, "seed", lo=0, hi=2**63 - 1, what="random seed")


def _threshold_mV(value, what: str) -> float:
    return check_range(value, "threshold_mV", "mV", lo=0.0, hi=SIGNAL_MAX_mV, lo_open=True, what=what)


def _merge_tolerance(value) -> float:
    return check_range(
        value,
        "merge_tolerance",
        "",
        lo=0.0,
        hi=10.0,
        what="relative RMS difference below which templates merge",
    )


def _samples(ms: float, fs: float) -> int:
    return int(round(ms * fs / 1000.0))


# ----------------------------------------------------------------------------- filtering
def _sos(fs, low, high, order):
    return _scipy_signal().butter(order, [low, high], btype="bandpass", fs=fs, output="sos")


def _filter_edge(value, name: str, fs: float, what: str) -> float:
    """A filter's lower edge or cut-off, Hz: from fs * MIN_RELATIVE_EDGE up to (not at) Nyquist."""
    return check_range(
        value,
        name,
        "Hz",
        lo=fs * MIN_RELATIVE_EDGE,
        hi=fs / 2,
        hi_open=True,
        what=f"{what}; lower edges make the filter numerically singular",
    )


def bandpass(
    signal_mV,
    fs_Hz: float,
    low_Hz: float = BAND_HZ[0],
    high_Hz: float = BAND_HZ[1],
    order: int = FILTER_ORDER,
) -> np.ndarray:
    """Zero-phase Butterworth band-pass (``scipy.signal.sosfiltfilt``, second-order sections):
    no time shift, so MUP timing and shape are not distorted by phase delay. mV in, mV out."""
    fs = _fs(fs_Hz)
    x = _signal(signal_mV)
    low = _filter_edge(low_Hz, "low_Hz", fs, "lower band edge")
    high = check_range(
        high_Hz,
        "high_Hz",
        "Hz",
        lo=low,
        hi=fs / 2,
        lo_open=True,
        hi_open=True,
        what="upper band edge; above low_Hz and below fs_Hz / 2",
    )
    order = check_int(order, "order", lo=1, hi=10, what="Butterworth order")
    sos = _sos(fs, low, high, order)
    if x.size <= 3 * (2 * sos.shape[0] + 1):
        raise ParameterError(
            f"signal_mV has {x.size} samples: too short for this filter "
            f"(needs more than {3 * (2 * sos.shape[0] + 1)})."
        )
    return _scipy_signal().sosfiltfilt(sos, x)


def rectify(signal_mV) -> np.ndarray:
    """Full-wave rectification |x| (mV)."""
    return np.abs(_signal(signal_mV, min_size=1))


def envelope(signal_mV, fs_Hz: float, cutoff_Hz: float = 5.0, band_Hz=BAND_HZ) -> np.ndarray:
    """Linear envelope (mV): band-pass (``band_Hz``; None to skip), rectify, then a zero-phase
    2nd-order Butterworth low-pass at ``cutoff_Hz`` (5 Hz follows the slow rise and fall of
    effort, not single MUPs). Values can dip slightly below 0 near sharp edges; they are
    clipped at 0."""
    fs = _fs(fs_Hz)
    x = _signal(signal_mV)
    if band_Hz is not None:
        lo_hz, hi_hz = check_pair(band_Hz, "band_Hz", "Hz", lo=0.0, hi=FS_MAX_HZ, what="band-pass edges")
        x = bandpass(x, fs, lo_hz, hi_hz)
    fc = _filter_edge(cutoff_Hz, "cutoff_Hz", fs, "envelope low-pass cut-off")
    sos = _scipy_signal().butter(2, fc, btype="lowpass", fs=fs, output="sos")
    return np.maximum(_scipy_signal().sosfiltfilt(sos, np.abs(x)), 0.0)


def noise_sd_mV(filtered_mV) -> float:
    """Robust noise SD (mV): median(|x|) / 0.6745 — for Gaussian noise this equals its SD, and
    sparse MUPs barely move the median (the usual spike-detection noise estimate)."""
    x = _signal(filtered_mV, "filtered_mV", min_size=1)
    return float(np.median(np.abs(x)) / 0.6745)


def power_spectrum(
    signal_mV, fs_Hz: float, segment_s: float = 0.25, detrend: str = "constant"
) -> pd.DataFrame:
    """Welch power spectral density: columns ``freq_Hz`` and ``psd_mV2_per_Hz`` (Hann windows of
    ``segment_s``, 50 % overlap; 0.25 s gives 4 Hz resolution)."""
    fs = _fs(fs_Hz)
    x = _signal(signal_mV)
    seg = check_range(
        segment_s,
        "segment_s",
        "s",
        lo=0.0,
        hi=x.size / fs,
        lo_open=True,
        what="Welch segment length; at most the record length",
    )
    check_choice(detrend, "detrend", ("constant", "linear"), what="Welch detrending")
    if x.size > MAX_SPECTRUM_SAMPLES:
        raise ParameterError(
            f"signal_mV has {x.size:,} samples; a power spectrum takes at most {MAX_SPECTRUM_SAMPLES:,} "
            "(memory limit: Welch keeps every overlapping segment's spectrum, ≈ 32 bytes per sample); "
            "pass a shorter stretch of the record."
        )
    nper = max(8, int(round(seg * fs)))
    f, p = _scipy_signal().welch(x, fs=fs, nperseg=min(nper, x.size), detrend=detrend)
    return pd.DataFrame({"freq_Hz": f, "psd_mV2_per_Hz": p})


def spectral_frequencies(spectrum: pd.DataFrame, low_Hz: float = 0.0, high_Hz: float | None = None) -> dict:
    """Mean and median frequency (Hz) of a :func:`power_spectrum` table between ``low_Hz`` and
    ``high_Hz``: mean = Σ f·P / Σ P; median splits the power in half."""
    if not isinstance(spectrum, pd.DataFrame) or not {"freq_Hz", "psd_mV2_per_Hz"} <= set(spectrum.columns):
        raise ParameterError(
            "spectrum must be the DataFrame from power_spectrum() (freq_Hz, psd_mV2_per_Hz)."
        )
    f = spectrum["freq_Hz"].to_numpy(float)
    p = spectrum["psd_mV2_per_Hz"].to_numpy(float)
    if f.size == 0 or not (np.isfinite(f).all() and np.isfinite(p).all()):
        raise ParameterError("spectrum must hold finite frequencies and powers (from power_spectrum()).")
    low_Hz = check_range(low_Hz, "low_Hz", "Hz", lo=0.0, hi=FS_MAX_HZ, what="lower edge of the band")
    hi = (
        f[-1]
        if high_Hz is None
        else check_range(high_Hz, "high_Hz", "Hz", lo=0.0, hi=FS_MAX_HZ, what="upper edge")
    )
    sel = (f >= low_Hz) & (f <= hi)
    if not sel.any() or p[sel].sum() <= 0:
        raise ParameterError("no power in the chosen band: widen low_Hz/high_Hz.")
    f, p = f[sel], p[sel]
    c = np.cumsum(p)
    return {"mean_Hz": float((f * p).sum() / p.sum()), "median_Hz": float(f[np.searchsorted(c, c[-1] / 2.0)])}


# ----------------------------------------------------------------------------- detection
def detect_potentials(
    filtered_mV,
    fs_Hz: float,
    threshold_mV: float | None = None,
    threshold_sd: float = THRESHOLD_SD,
    refractory_ms: float = REFRACTORY_MS,
) -> np.ndarray:
    """Sample indices of motor-unit potentials in a band-passed signal.

    A potential is a local maximum of |x| above the threshold (``threshold_mV``, or
    ``threshold_sd`` × :func:`noise_sd_mV`); within ``refractory_ms`` of a larger peak, smaller
    ones are dropped (``scipy.signal.find_peaks`` with ``distance``: the largest peak wins), so
    the opposite phase of the same MUP is not counted twice. Indices point at the largest
    |peak| of each MUP (the alignment point of :func:`extract_snippets`).
    """
    fs = _fs(fs_Hz)
    x = _signal(filtered_mV, "filtered_mV", min_size=3)
    if threshold_mV is None:
        k = check_range(
            threshold_sd,
            "threshold_sd",
            "noise SD",
            lo=0.0,
            hi=100.0,
            lo_open=True,
            what="threshold in robust noise SDs",
        )
        thr = k * noise_sd_mV(x)
    else:
        thr = _threshold_mV(threshold_mV, "detection threshold on |signal|")
    ref = check_range(refractory_ms, "refractory_ms", "ms", lo=0.0, hi=1000.0, what="refractory window")
    if thr <= 0:
        return np.zeros(0, dtype=np.int64)
    dist = max(1, _samples(ref, fs))
    pk, _ = _scipy_signal().find_peaks(np.abs(x), height=thr, distance=dist)
    return pk.astype(np.int64)


def extract_snippets(
    filtered_mV, peaks, fs_Hz: float, window_ms=CLUSTER_WINDOW_MS
) -> tuple[np.ndarray, np.ndarray]:
    """Waveforms around each detection: returns ``(snippets, kept)``; ``snippets`` has shape
    (n_kept, n_window) in mV, ``kept`` the indices (into ``peaks``) of detections whose window
    fits inside the record."""
    fs = _fs(fs_Hz)
    x = _signal(filtered_mV, "filtered_mV", min_size=1)
    pk_f = check_array(peaks, "peaks", "samples", lo=0, hi=x.size - 1, what="detection indices")
    if (pk_f != np.round(pk_f)).any():
        raise ParameterError("peaks must be whole sample indices.")
    pk = pk_f.astype(np.int64)
    w0, w1 = check_pair(window_ms, "window_ms", "ms", lo=-100.0, hi=100.0, what="window around each peak")
    a, b = _samples(w0, fs), _samples(w1, fs)
    if b <= a:
        raise ParameterError(
            f"window_ms = {window_ms} is not allowed: it must be (start, end) "
            "with end > start, in ms relative to the peak."
        )
    kept = np.flatnonzero((pk + a >= 0) & (pk + b < x.size))
    idx = pk[kept, None] + np.arange(a, b + 1)[None, :]
    return x[idx], kept


# ----------------------------------------------------------------------------- clustering
def cluster_potentials(
    snippets,
    n_clusters: int = N_CLUSTERS,
    merge_tolerance: float = MERGE_TOLERANCE,
    seed: int = 0,
    max_lag: int = 8,
    return_shifts: bool = False,
):
    """Group aligned MUP waveforms into units: labels 0, 1, … (−1 = none), ordered by template
    peak-to-peak amplitude, largest first.

    Method (kept simple and deterministic): project the snippets on their first 3 principal
    components; k-means (``scipy.cluster.vq.kmeans2``, k-means++ start, ``seed``) into
    ``n_clusters`` groups — deliberately more groups than units; then repeatedly merge the two
    clusters whose mean waveforms differ least, while that RMS difference (the smallest over
    shifts of up to ``max_lag`` samples, 2 ms at 4 kHz: a biphasic MUP may be aligned on either
    phase) is below ``merge_tolerance`` × the RMS of the larger mean waveform. Superimposed
    potentials end up in small clusters that :func:`analyse_signal` does not report.
    """
    return_shifts = check_bool(return_shifts, "return_shifts")
    S = _snippets(snippets)
    k = check_int(n_clusters, "n_clusters", lo=1, hi=50, what="k-means clusters")
    tol = _merge_tolerance(merge_tolerance)
    seed = _seed(seed)
    lag_max = max(0, min(MAX_LAG_SAMPLES, S.shape[1] - 1))
    max_lag = check_int(
        max_lag,
        "max_lag",
        lo=0,
        hi=lag_max,
        unit="samples",
        what=f"largest shift tried when merging; below the window of {S.shape[1]} samples and at most "
        f"{MAX_LAG_SAMPLES} (cost limit: every pair of clusters is compared at every shift)",
    )
    n = S.shape[0]
    if n == 0 or min(k, n) == 1:
        z = np.zeros(n, dtype=np.int64)
        return (z, z.copy()) if return_shifts else z
    k = min(k, n)
    Sc = S - S.mean(axis=0)
    # principal axes from the small (window × window) covariance: cheaper than an SVD of the
    # snippets and independent of their number. einsum (numpy's own loops, not BLAS): these
    # products are small, and multithreaded BLAS on a busy machine costs far more in thread
    # wake-ups than the arithmetic (measured: 35-200 ms instead of 18 ms per record).
    w, v = np.linalg.eigh(np.einsum("ij,ik->jk", Sc, Sc))
    P = np.einsum("ij,jk->ik", Sc, np.ascontiguousarray(v[:, ::-1][:, : min(3, v.shape[1])]))
    rng = np.random.default_rng(seed)
    best, lab = np.inf, None
    with warnings.catch_warnings():  # an empty cluster is harmless: it just gets no members
        warnings.simplefilter("ignore")
        for _ in range(N_INIT):  # keep the tightest of N_INIT k-means++ starts
            from scipy.cluster.vq import kmeans2  # noqa: PLC0415 (deferred: scipy costs ~1 s at kernel start)

            c, lb = kmeans2(P, k, minit="++", seed=rng, missing="warn")
            inertia = float(((P - c[lb]) ** 2).sum())
            if inertia < best:
                best, lab = inertia, lb
    lab, shift = _merge(S, lab, tol, max_lag)
    # order by template amplitude, largest first
    ids = np.unique(lab)
    ptp = np.array([np.ptp(S[lab == i].mean(axis=0)) for i in ids])
    order = ids[np.argsort(-ptp, kind="stable")]
    remap = np.empty(ids.max() + 1, dtype=np.int64)
    remap[order] = np.arange(order.size)
    return (remap[lab], shift) if return_shifts else remap[lab]


def _snippets(snippets) -> np.ndarray:
    """``snippets`` as a finite 2-D float array (n_potentials, n_samples) within the cost caps."""
    try:
        S = np.asarray(snippets)
    except (TypeError, ValueError, OverflowError):
        S = None
    if S is None or S.ndim != 2 or S.dtype.kind not in "iuf":
        shape = "?" if S is None else S.shape
        kind = "?" if S is None else S.dtype
        raise ParameterError(
            f"snippets must be a 2-D array of numbers in mV (n_potentials, n_samples), got shape {shape} "
            f"of {kind}."
        )
    S = S.astype(float)
    if S.shape[1] < 1 or S.shape[1] > MAX_WINDOW_SAMPLES:
        raise ParameterError(
            f"snippets have {S.shape[1]} samples each; allowed range: [1, {MAX_WINDOW_SAMPLES}] samples "
            f"(cost limit: the principal axes cost the cube of the window)."
        )
    if S.shape[0] > MAX_POTENTIALS:
        raise ParameterError(
            f"snippets hold {S.shape[0]:,} potentials; at most {MAX_POTENTIALS:,} (cost limit of the "
            f"k-means clustering)."
        )
    if not np.isfinite(S).all():
        i, j = (int(x[0]) for x in np.nonzero(~np.isfinite(S)))
        raise ParameterError(
            f"snippets[{i}, {j}] = {S[i, j]} is not allowed: every value must be finite (mV)."
        )
    if S.size and np.abs(S).max() > SIGNAL_MAX_mV:
        raise ParameterError(
            f"snippets hold {np.abs(S).max():g} mV; allowed range: [-{SIGNAL_MAX_mV:g}, {SIGNAL_MAX_mV:g}] mV."
        )
    return S


def _merge(S, lab, tol, max_lag):
    """Merge clusters greedily; returns labels and per-snippet alignment shifts (samples to add
    to the detection index so that merged members share their cluster's alignment)."""
    lab = lab.copy()
    shift = np.zeros(lab.size, dtype=np.int64)
    ids = list(np.unique(lab))
    T = {i: S[lab == i].mean(axis=0) for i in ids}
    cnt = {i: int(np.count_nonzero(lab == i)) for i in ids}
    while len(ids) > 1:
        best = (np.inf, None, None, 0)
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                a, b = ids[x], ids[y]
                d, lag = _shift_rms(T[a], T[b], max_lag)
                r = d / max(_rms(T[a]), _rms(T[b]))
                if r < best[0]:
                    best = (r, a, b, lag)
        r, a, b, lag = best
        if r >= tol:
            break
        members = lab == b
        lab[members] = a
        shift[members] -= lag  # b(k) ≈ a(k + lag): move b's alignment
        tb = np.zeros_like(T[b])  # b in a's frame (zero-padded edges)
        n = tb.size
        if lag >= 0:
            tb[lag:] = T[b][: n - lag]
        else:
            tb[: n + lag] = T[b][-lag:]
        T[a] = (cnt[a] * T[a] + cnt[b] * tb) / (cnt[a] + cnt[b])
        cnt[a] += cnt.pop(b)
        del T[b]
        ids.remove(b)
    return lab, shift


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt((x * x).mean()))


def _shift_rms(a: np.ndarray, b: np.ndarray, max_lag: int) -> tuple[float, int]:
    """Smallest RMS difference of two waveforms over shifts of up to ``max_lag`` samples, and
    that shift (a biphasic MUP may be aligned on either phase, which shifts its waveform)."""
    n = a.size
    best, at = np.inf, 0
    for lag in range(-max_lag, max_lag + 1):
        if lag >= 0:
            d = a[lag:] - b[: n - lag]
        else:
            d = a[: n + lag] - b[-lag:]
        v = float(np.sqrt((d * d).mean()))
        if v < best:
            best, at = v, lag
    return best, at


# ----------------------------------------------------------------------------- measures
def mup_measures(template_mV, fs_Hz: float, peak_index: int | None = None) -> dict:
    """Amplitude, duration and phases of one MUP template (mV samples at ``fs_Hz``).

    * ``amplitude_mV``: peak-to-peak of the template.
    * ``duration_ms``: offset − onset. L = max(5 % of peak-to-peak, 3 × noise SD of the
      template's first and last 2 ms). Scanning outwards from the main (largest |x|) peak, the
      onset is the last sample with |x| ≥ L before a stretch of 1 ms entirely below L (offset
      likewise after the peak). If no quiet stretch exists, the window edge is used and
      ``censored`` is True.
    * ``n_phases``: baseline crossings between onset and offset + 1, where a crossing needs the
      template to pass from > +D to < −D or back; D = max(0.02 mV, 3 % of peak-to-peak,
      2 × noise SD) (small wiggles inside the dead band are not phases).
    Returns a dict with those keys and ``onset_ms``/``offset_ms`` relative to the main peak.
    """
    fs = _fs(fs_Hz)
    x = _signal(template_mV, "template_mV", min_size=8)
    n = x.size
    p = (
        int(np.argmax(np.abs(x)))
        if peak_index is None
        else check_int(peak_index, "peak_index", lo=0, hi=n - 1, what="index of the main peak")
    )
    ptp = float(np.ptp(x))
    edge = max(2, _samples(2.0, fs))
    noise = float(np.std(np.r_[x[:edge], x[-edge:]]))
    level = max(LEVEL_FRACTION * ptp, 3.0 * noise)
    quiet = max(1, _samples(QUIET_MS, fs))
    above = np.abs(x) >= level
    onset, c_on = _edge(above[: p + 1][::-1], quiet)
    offset, c_off = _edge(above[p:], quiet)
    i0, i1 = p - onset, p + offset
    seg = x[i0 : i1 + 1]
    D = max(PHASE_DEADBAND_mV, PHASE_DEADBAND_FRACTION * ptp, 2.0 * noise)
    s = np.where(seg > D, 1, np.where(seg < -D, -1, 0))
    nz = s[s != 0]
    crossings = int(np.count_nonzero(nz[1:] != nz[:-1])) if nz.size else 0
    return {
        "amplitude_mV": ptp,
        "duration_ms": (i1 - i0) * 1000.0 / fs,
        "n_phases": crossings + 1,
        "onset_ms": -onset * 1000.0 / fs,
        "offset_ms": offset * 1000.0 / fs,
        "censored": bool(c_on or c_off),
    }


def _edge(above_from_peak: np.ndarray, quiet: int) -> tuple[int, bool]:
    """Distance (samples) from the peak to the last supra-level sample before a quiet run."""
    a = above_from_peak
    idx = np.flatnonzero(a)
    if idx.size == 0:
        return 0, False
    gaps = np.diff(np.r_[idx, a.size + quiet])  # distance to the next supra-level sample
    far = np.flatnonzero(gaps > quiet)  # after idx[far] come > quiet sub-level samples
    j = idx[far[0]]
    censored = j + quiet >= a.size
    return int(j), bool(censored)


def firing_statistics(times_s) -> dict:
    """Firing rate and regularity of one unit from its discharge times (s).

    ISIs between 0.5× and 1.5× the median ISI are kept (missed detections double an interval;
    pauses are not part of the firing pattern). ``rate_Hz`` = 1 / mean kept ISI, ``isi_cv`` =
    SD / mean of the kept ISIs (ddof 1), ``fraction_kept`` = kept / all ISIs. NaN-free: with
    fewer than 3 kept ISIs, rate and CV are None.
    """
    t = np.sort(check_array(times_s, "times_s", "s", lo=0.0, what="discharge times"))
    isi = np.diff(t)
    isi = isi[isi > 0]
    if isi.size < 3:
        return {"rate_Hz": None, "isi_cv": None, "n_isi": int(isi.size), "fraction_kept": 0.0}
    med = float(np.median(isi))
    keep = isi[(isi >= ISI_KEEP[0] * med) & (isi <= ISI_KEEP[1] * med)]
    if keep.size < 3:
        return {
            "rate_Hz": None,
            "isi_cv": None,
            "n_isi": int(isi.size),
            "fraction_kept": keep.size / isi.size,
        }
    mean = float(keep.mean())
    return {
        "rate_Hz": 1.0 / mean,
        "isi_cv": float(keep.std(ddof=1) / mean),
        "n_isi": int(isi.size),
        "fraction_kept": keep.size / isi.size,
    }


# ----------------------------------------------------------------------------- whole chain
@dataclass(frozen=True, eq=False)
class EMGAnalysis:
    """Result of :func:`analyse_signal`.

    ``filtered_mV`` (band-passed record), ``peaks`` (sample index of every detection),
    ``labels`` (unit of each detection; −1 = near an edge or in an unreported cluster),
    ``units`` (DataFrame, one row per unit, largest first: unit, n_spikes, rate_Hz, isi_cv,
    fraction_kept, amplitude_mV, duration_ms, n_phases, censored, first_s, last_s),
    ``templates_mV`` (n_units × n_template samples, spike-triggered averages of
    ``filtered_mV``), ``template_time_ms`` (relative to the aligned peak), ``threshold_mV``,
    ``noise_sd_mV``, ``n_clipped`` (samples at the recording's limits), ``fs_Hz``.
    """

    fs_Hz: float
    filtered_mV: np.ndarray
    peaks: np.ndarray
    labels: np.ndarray
    units: pd.DataFrame
    templates_mV: np.ndarray
    template_time_ms: np.ndarray
    threshold_mV: float
    noise_sd_mV: float
    n_clipped: int = 0
    settings: dict = field(default_factory=dict)

    @property
    def times_s(self) -> np.ndarray:
        """Detection times, s."""
        return self.peaks / self.fs_Hz

    def unit_times_s(self, unit: int) -> np.ndarray:
        """Discharge times (s) of ``unit`` (0 = largest)."""
        return self.peaks[self.labels == unit] / self.fs_Hz

    def summary(self) -> dict:
        """Record-level numbers: detections, detection rate, and the largest unit's measures."""
        dur = self.filtered_mV.size / self.fs_Hz
        out = {
            "n_detections": int(self.peaks.size),
            "detections_per_s": self.peaks.size / dur,
            "n_units": int(len(self.units)),
            "noise_sd_mV": self.noise_sd_mV,
            "threshold_mV": self.threshold_mV,
            "n_clipped": self.n_clipped,
        }
        if len(self.units):
            u = self.units
            out.update(
                largest_amplitude_mV=float(u["amplitude_mV"].iloc[0]),
                median_amplitude_mV=float(u["amplitude_mV"].median()),
                median_duration_ms=float(u["duration_ms"].median()),
                median_phases=float(u["n_phases"].median()),
            )
        return out


def analyse_signal(
    signal_mV,
    fs_Hz: float,
    *,
    band_Hz=BAND_HZ,
    threshold_mV: float | None = None,
    threshold_sd: float = THRESHOLD_SD,
    refractory_ms: float = REFRACTORY_MS,
    n_clusters: int = N_CLUSTERS,
    merge_tolerance: float = MERGE_TOLERANCE,
    min_spikes: int = MIN_SPIKES,
    clip_mV: float | None = None,
    seed: int = 0,
) -> EMGAnalysis:
    """Whole chain on one EMG signal: band-pass → detect → cluster → templates → measures.

    Returns an :class:`EMGAnalysis`. Units with fewer than ``min_spikes`` detections are not
    reported (their detections get label −1). ``clip_mV``: the recorder's limit, to count
    clipped samples (``analyse_recording`` sets it from the WFDB gain).
    """
    fs = _fs(fs_Hz)
    x = _signal(signal_mV)
    ms = check_int(min_spikes, "min_spikes", lo=1, hi=10**7, what="smallest reported unit")
    lo_hz, hi_hz = check_pair(band_Hz, "band_Hz", "Hz", lo=0.0, hi=FS_MAX_HZ, what="band-pass edges")
    if threshold_mV is not None:
        threshold_mV = _threshold_mV(threshold_mV, "detection threshold")
    if threshold_mV is None:
        threshold_sd = check_range(
            threshold_sd,
            "threshold_sd",
            "noise SDs",
            lo=0.0,
            hi=100.0,
            lo_open=True,
            what="detection threshold",
        )
    n_clusters = check_int(n_clusters, "n_clusters", lo=1, hi=50, what="k-means clusters")
    merge_tolerance = _merge_tolerance(merge_tolerance)
    seed = _seed(seed)
    if clip_mV is not None:
        clip_mV = check_range(
            clip_mV, "clip_mV", "mV", lo=0.0, hi=SIGNAL_MAX_mV, lo_open=True, what="recorder limit"
        )
    y = bandpass(x, fs, lo_hz, hi_hz)
    sd = noise_sd_mV(y)
    thr = (threshold_sd * sd) if threshold_mV is None else threshold_mV
    pk = detect_potentials(
        y, fs, threshold_mV=thr if thr > 0 else None, threshold_sd=threshold_sd, refractory_ms=refractory_ms
    )
    labels = np.full(pk.size, -1, dtype=np.int64)
    S, kept = extract_snippets(y, pk, fs, CLUSTER_WINDOW_MS)
    T, kept_t = extract_snippets(y, pk, fs, TEMPLATE_WINDOW_MS)
    t_ms = (
        np.arange(_samples(TEMPLATE_WINDOW_MS[0], fs), _samples(TEMPLATE_WINDOW_MS[1], fs) + 1) * 1000.0 / fs
    )
    rows, templates = [], []
    if kept.size:
        lab, shift = cluster_potentials(
            S, n_clusters, merge_tolerance, seed, _samples(2.0, fs), return_shifts=True
        )
        if np.any(shift):  # re-align merged members on their cluster's alignment point
            pk = pk.copy()
            pk[kept] += shift
            T, kept_t = extract_snippets(y, pk, fs, TEMPLATE_WINDOW_MS)
        full = np.full(pk.size, -1, dtype=np.int64)
        full[kept] = lab
        in_t = np.zeros(pk.size, dtype=bool)
        in_t[kept_t] = True
        tpos = np.full(pk.size, -1, dtype=np.int64)
        tpos[kept_t] = np.arange(kept_t.size)
        new = 0
        for u in range(int(lab.max()) + 1):
            members = np.flatnonzero(full == u)
            if members.size < ms:
                continue
            tm = members[in_t[members]]
            if tm.size == 0:
                continue
            tmpl = T[tpos[tm]].mean(axis=0)
            meas = mup_measures(tmpl, fs, peak_index=int(np.argmin(np.abs(t_ms))))
            times = pk[members] / fs
            fr = firing_statistics(times)
            rows.append(
                {
                    "unit": new,
                    "n_spikes": int(members.size),
                    "rate_Hz": fr["rate_Hz"],
                    "isi_cv": fr["isi_cv"],
                    "fraction_kept": fr["fraction_kept"],
                    "amplitude_mV": meas["amplitude_mV"],
                    "duration_ms": meas["duration_ms"],
                    "n_phases": meas["n_phases"],
                    "censored": meas["censored"],
                    "first_s": float(times[0]),
                    "last_s": float(times[-1]),
                }
            )
            templates.append(tmpl)
            labels[members] = new
            new += 1
    cols = [
        "unit",
        "n_spikes",
        "rate_Hz",
        "isi_cv",
        "fraction_kept",
        "amplitude_mV",
        "duration_ms",
        "n_phases",
        "censored",
        "first_s",
        "last_s",
    ]
    units = pd.DataFrame(rows, columns=cols)
    if len(units):  # largest template first (cluster order is by the short window's ptp)
        order = np.argsort(-units["amplitude_mV"].to_numpy(), kind="stable")
        remap = np.empty(len(units), dtype=np.int64)
        remap[order] = np.arange(len(units))
        units = units.iloc[order].reset_index(drop=True)
        units["unit"] = np.arange(len(units))
        labels = np.where(labels >= 0, remap[np.maximum(labels, 0)], -1)
        templates = [templates[i] for i in order]
    n_clip = 0
    if clip_mV is not None:
        lim = check_range(
            clip_mV, "clip_mV", "mV", lo=0.0, hi=SIGNAL_MAX_mV, lo_open=True, what="recorder limit"
        )
        n_clip = int(np.count_nonzero(np.abs(x) >= lim * (1.0 - 1e-6)))
    tm = np.array(templates) if templates else np.zeros((0, t_ms.size))
    return EMGAnalysis(
        fs,
        y,
        pk,
        labels,
        units,
        tm,
        t_ms,
        float(thr),
        sd,
        n_clip,
        {
            "band_Hz": tuple(band_Hz),
            "refractory_ms": refractory_ms,
            "n_clusters": n_clusters,
            "merge_tolerance": merge_tolerance,
            "min_spikes": ms,
            "seed": seed,
        },
    )


def analyse_recording(recording, **kwargs) -> EMGAnalysis:
    """:func:`analyse_signal` on a real record: an ``EMGRecording`` (loaded by
    ``recordings.load_emg``; anything with ``signal_mV``, ``fs_Hz`` and a WFDB ``header``).
    The clip level is the int16 limit 32767 adu / gain (3.28 mV here)."""
    if not all(hasattr(recording, a) for a in ("signal_mV", "fs_Hz", "header")):
        raise ParameterError(
            f"recording must be an EMGRecording (from recordings.load_emg), got {type(recording).__name__}."
        )
    h = recording.header
    allowed = [p for p in inspect.signature(analyse_signal).parameters if p not in ("signal_mV", "fs_Hz")]
    unknown = sorted(k for k in kwargs if k not in allowed)
    if unknown:
        raise ParameterError(
            f"{', '.join(unknown)} is not a parameter of analyse_signal; its options: {', '.join(allowed)}."
        )
    clip = (32767 - abs(h.baseline_adu)) / h.gain_adu_per_unit
    kwargs.setdefault("clip_mV", clip)
    return analyse_signal(recording.signal_mV, recording.fs_Hz, **kwargs)


# ----------------------------------------------------------------------------- synthetic EMG
#: MUP size model (illustrative model choices, reference_sheet): the smallest unit's MUP is
#: MUP_AMPLITUDE_MIN_mV peak-to-peak and amplitude grows as (unit size / smallest)^0.5, so the
#: 100-fold twitch-force range of the default pool (fuglevand1993) gives 0.2 → 2 mV, within the
#: usual needle-EMG range of a few hundred µV to a few mV. Hermite–Rodriguez width w grows as
#: size^0.1 from 1 ms (MUPs of ~5-10 ms). Odd units biphasic, even units triphasic.
MUP_AMPLITUDE_MIN_mV = 0.2
MUP_AMPLITUDE_EXPONENT = 0.5
MUP_WIDTH_MIN_MS = 1.0
MUP_WIDTH_EXPONENT = 0.1
NOISE_mV = 0.01  # white instrument noise SD, mV (illustrative)
SYNTH_FS_HZ = 4000.0  # as the emgdb records


def mup_waveform(t_ms, width_ms: float = 1.0, kind: str = "triphasic") -> np.ndarray:
    """A motor-unit potential shape with peak-to-peak 1 (scale by the amplitude in mV).

    Hermite–Rodriguez functions of u = t / width: ``'biphasic'`` u·e^(−u²) (first order),
    ``'triphasic'`` −(1 − 2u²)·e^(−u²) (second order; main phase negative, as recorded MUPs
    are commonly displayed negative-up). ``t_ms`` relative to the main peak.
    """
    t = check_array(t_ms, "t_ms", "ms", lo=-1e6, hi=1e6, min_size=1, what="time relative to the MUP centre")
    w = check_range(width_ms, "width_ms", "ms", lo=0.05, hi=50.0, what="MUP width")
    check_choice(kind, "kind", ("biphasic", "triphasic"), what="MUP shape")
    u = t / w
    g = np.exp(-u * u)
    if kind == "biphasic":
        y, ptp = u * g, 2.0 * math.sqrt(0.5) * math.exp(-0.5)
    else:
        y, ptp = -(1.0 - 2.0 * u * u) * g, 1.0 + 2.0 * math.exp(-1.5)
    return y / ptp


@dataclass(frozen=True, eq=False)
class SyntheticEMG:
    """A synthetic needle-EMG record: ``time_s``, ``signal_mV`` at ``fs_Hz``; the ground truth
    ``spike_unit`` (1 … n) and ``spike_times_s``; per-unit ``unit_amplitude_mV`` (p-p),
    ``unit_width_ms`` and ``unit_kind``."""

    time_s: np.ndarray
    signal_mV: np.ndarray
    fs_Hz: float
    spike_unit: np.ndarray
    spike_times_s: np.ndarray
    unit_amplitude_mV: np.ndarray
    unit_width_ms: np.ndarray
    unit_kind: tuple
    label: str = "synthetic EMG"

    @property
    def duration_s(self) -> float:
        return self.signal_mV.size / self.fs_Hz

    def true_rates_Hz(self) -> np.ndarray:
        """Mean rate of each unit over the record (spikes / duration), Hz."""
        n = self.unit_amplitude_mV.size
        return np.bincount(self.spike_unit - 1, minlength=n) / self.duration_s


def synthetic_emg(
    spike_times_s,
    spike_unit,
    unit_size,
    duration_s: float,
    fs_Hz: float = SYNTH_FS_HZ,
    noise_mV: float = NOISE_mV,
    seed: int = 0,
    label: str = "synthetic EMG",
) -> SyntheticEMG:
    """Needle EMG from spike trains — the small interface any motor-unit model can feed.

    Args:
        spike_times_s: discharge times, s (each in [0, duration_s)).
        spike_unit: the unit (1 … n) of each discharge.
        unit_size: size of each unit (length n, any positive unit, e.g. twitch force in au);
            the MUP amplitude is MUP_AMPLITUDE_MIN_mV × (size / smallest)^0.5 and its width
            MUP_WIDTH_MIN_MS × (size / smallest)^0.1 (illustrative).
        duration_s, fs_Hz: record length (s) and sampling rate (Hz).
        noise_mV: SD of added white Gaussian noise, mV. seed: random seed for the noise.
    Each discharge adds its unit's MUP centred at the discharge time (rounded to a sample).
    """
    fs = _fs(fs_Hz)
    dur = check_range(duration_s, "duration_s", "s", lo=0.0, hi=3600.0, lo_open=True, what="record length")
    size = check_array(
        unit_size, "unit_size", "", lo=0.0, lo_open=True, min_size=1, what="size of each motor unit"
    )
    t = check_array(
        spike_times_s,
        "spike_times_s",
        "s",
        lo=0.0,
        hi=dur,
        hi_open=True,
        what="discharge times within the record",
    )
    u = np.asarray(spike_unit)
    if u.shape != t.shape:
        raise ParameterError(f"spike_unit has {u.size} values but spike_times_s has {t.size}.")
    if u.size and (not np.issubdtype(u.dtype, np.integer) or u.min() < 1 or u.max() > size.size):
        raise ParameterError(
            f"spike_unit must be whole unit numbers in [1, {size.size}] (one size per unit in unit_size)."
        )
    noise = check_range(noise_mV, "noise_mV", "mV", lo=0.0, hi=10.0, what="noise SD")
    seed = _seed(seed)
    n = int(round(dur * fs))
    if n > MAX_SAMPLES:
        raise ParameterError(f"duration_s × fs_Hz = {n} samples; at most {MAX_SAMPLES}.")
    rel = size / size.min()
    amp = MUP_AMPLITUDE_MIN_mV * rel**MUP_AMPLITUDE_EXPONENT
    width = MUP_WIDTH_MIN_MS * rel**MUP_WIDTH_EXPONENT
    kinds = tuple("biphasic" if i % 2 else "triphasic" for i in range(1, size.size + 1))
    half = _samples(6.0 * float(width.max()), fs)
    lag = np.arange(-half, half + 1)
    lag_ms = lag * 1000.0 / fs
    kernels = np.stack([amp[i] * mup_waveform(lag_ms, width[i], kinds[i]) for i in range(size.size)])
    cells = t.size * lag.size
    if cells > MAX_KERNEL_CELLS:
        raise ParameterError(
            f"spike_times_s has {t.size:,} spikes × {lag.size} samples per potential at fs_Hz = {fs:g} Hz = "
            f"{cells:,} samples to add, above the cost limit of {MAX_KERNEL_CELLS:,} (about 10 s of compute); "
            "use fewer spikes (a shorter duration_s or lower excitation) or a lower fs_Hz."
        )
    out = np.zeros(n)
    if t.size:
        c_all = np.rint(t * fs).astype(np.int64)
        u_all = u.astype(np.int64) - 1
        step = max(1, KERNEL_CHUNK_CELLS // lag.size)  # bounded memory: spikes in chunks
        for s in range(0, t.size, step):
            idx = c_all[s : s + step, None] + lag[None, :]
            vals = kernels[u_all[s : s + step]]
            ok = (idx >= 0) & (idx < n)
            out += np.bincount(idx[ok], weights=vals[ok], minlength=n)[:n]
    if noise > 0:
        out += noise * np.random.default_rng(seed).standard_normal(n)
    return SyntheticEMG(np.arange(n) / fs, out, fs, u.astype(np.int64), t, amp, width, kinds, label)


def emg_from_activity(
    activity, fs_Hz: float = SYNTH_FS_HZ, noise_mV: float = NOISE_mV, seed: int = 0
) -> SyntheticEMG:
    """Synthetic EMG of a ``muscle.MuscleActivity`` (any pattern of ``utils.muscle``): its
    spike raster, with each unit's MUP scaled by its peak twitch force (size principle)."""
    if not isinstance(activity, muscle.MuscleActivity):
        raise ParameterError(f"activity must be a muscle.MuscleActivity, got {type(activity).__name__}.")
    dt_ms = float(activity.t_ms[1] - activity.t_ms[0]) if activity.t_ms.size > 1 else 1.0
    dur = activity.t_ms.size * dt_ms / 1000.0
    t = activity.spike_times_ms / 1000.0
    ok = t < dur
    return synthetic_emg(
        t[ok],
        activity.spike_unit[ok],
        activity.pool.peak_twitch_au,
        dur,
        fs_Hz,
        noise_mV,
        seed,
        label=activity.label,
    )


def voluntary_emg(
    excitation: float = 5.0,
    duration_s: float = 5.0,
    seed: int = 0,
    pool=None,
    fs_Hz: float = SYNTH_FS_HZ,
    noise_mV: float = NOISE_mV,
) -> SyntheticEMG:
    """EMG of a steady voluntary contraction at ``excitation`` (``muscle.voluntary``; the
    default pool recruits more units, at higher rates, as excitation rises: fuglevand1993)."""
    act = muscle.voluntary(excitation=excitation, duration_s=duration_s, seed=seed, pool=pool)
    return emg_from_activity(act, fs_Hz, noise_mV, seed)


def fasciculation_emg(
    rate_Hz: float = 0.3,
    duration_s: float = 30.0,
    unit: int = 60,
    seed: int = 0,
    pool=None,
    fs_Hz: float = SYNTH_FS_HZ,
    noise_mV: float = NOISE_mV,
) -> SyntheticEMG:
    """EMG of fasciculations on a quiet baseline: one unit (``unit``) discharging at random
    (Poisson with a 3 ms dead time, ~0.3 Hz: decarvalho2016; kleine2008), via
    ``muscle.fasciculation``."""
    act = muscle.fasciculation(rate_Hz=rate_Hz, duration_s=duration_s, seed=seed, unit=unit, pool=pool)
    return emg_from_activity(act, fs_Hz, noise_mV, seed)

"""Analysis of recorded current-clamp sweeps: spikes, the current step, f–I and spike width.

Plain functions of arrays (or of a recording object with ``time_s``, ``v_mV`` and ``i_pA``
arrays); the recordings themselves are loaded by the sources layer. Tested on the real files.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..validation import ParameterError, check_array, check_range
from . import hh

#: Spike rule for recordings: hh.detect_spikes on the bare trace, i.e. the overshoot clause of
#: hh's spike rule (an upward crossing of 0 mV peaking ≥ 20 mV above the lowest V since the
#: previous spike; a recording's conductances and the stability of its rest are unknown, so the
#: rest of the rule cannot apply). The overshoot drops the noise maxima on the slow recovery after
#: a hyperpolarising step (they rise > 20 mV from −110 mV but stay below −40 mV) and the small
#: oscillations of a cell in depolarisation block. ``min_peak_mV`` can only raise this level.
RECORDED_SPIKE_MIN_PEAK_MV = 0.0


def _check_recording(rec) -> None:
    """Refuse anything but a current-clamp recording (time_s, v_mV and i_pA as arrays)."""
    ok = all(isinstance(getattr(rec, a, None), np.ndarray) for a in ("time_s", "v_mV", "i_pA"))
    if (
        not ok
        or rec.v_mV.ndim != 2
        or rec.i_pA.shape != rec.v_mV.shape
        or rec.time_s.size != rec.v_mV.shape[1]
    ):
        raise ParameterError(
            "rec must be a current-clamp recording (recordings.load_current_clamp(...)): time_s, and "
            f"v_mV and i_pA of shape (n_sweeps, n_samples); got {type(rec).__name__}."
        )


def recorded_spikes(t_s, v_mV, min_peak_mV: float = RECORDED_SPIKE_MIN_PEAK_MV):
    """Spike times (s) and peaks (mV) of a recorded sweep (rule: see RECORDED_SPIKE_MIN_PEAK_MV)."""
    t = check_array(t_s, "t_s", "s", what="sample times", min_size=3)
    check_array(v_mV, "v_mV", "mV", what="membrane potential", min_size=3)
    mp = check_range(min_peak_mV, "min_peak_mV", "mV", lo=-200.0, hi=200.0, what="smallest spike peak")
    t_ms, pk = hh.detect_spikes(t * 1e3, v_mV)
    keep = pk >= mp
    return t_ms[keep] / 1e3, pk[keep]


def step_window_s(rec) -> tuple[float, float]:
    """(start, end) in s of the first current step of a recording's protocol: the first epoch
    in which the command current of the sweep with the largest step differs from the holding
    current at t = 0."""
    _check_recording(rec)
    k = int(np.argmax(np.max(np.abs(rec.i_pA - rec.i_pA[:, :1]), axis=1)))
    i = rec.i_pA[k]
    edges = np.flatnonzero(np.diff(i) != 0) + 1
    if edges.size < 2:
        raise ParameterError(f"{getattr(rec, 'name', 'rec')}: no current step found in the command")
    return float(rec.time_s[edges[0]]), float(rec.time_s[edges[1]])


def recording_fi(rec):
    """Firing during the first current step of every sweep.

    Returns a pandas DataFrame: sweep, i_pA (command during the step), n_spikes (counted by
    :func:`recorded_spikes` inside the step), rate_Hz (n_spikes / step duration), v_before_mV
    (median V before the step).
    """
    t0, t1 = step_window_s(rec)
    mid = int(np.searchsorted(rec.time_s, 0.5 * (t0 + t1)))
    before = rec.time_s < t0
    rows = []
    for s in range(rec.n_sweeps):
        st, _ = recorded_spikes(rec.time_s, rec.v_mV[s])
        n = int(np.count_nonzero((st >= t0) & (st < t1)))
        rows.append((s, float(rec.i_pA[s, mid]), n, n / (t1 - t0), float(np.median(rec.v_mV[s, before]))))
    return pd.DataFrame(rows, columns=["sweep", "i_pA", "n_spikes", "rate_Hz", "v_before_mV"])


def spike_half_width_ms(t_ms, v_mV, threshold_rate_mV_per_ms: float = 10.0) -> dict:
    """Threshold, peak and width at half height of the first spike in a trace.

    The spike's threshold is the last sample before the fastest rise (within 3 ms before the
    peak) at which dV/dt is still below ``threshold_rate_mV_per_ms`` (a common definition in slice recordings); the half-width is
    the time V spends above (threshold + peak) / 2, with linear interpolation between samples.
    Returns a dict with threshold_mV, peak_mV, half_width_ms, peak_time_ms.
    """
    t = check_array(t_ms, "t_ms", "ms", what="sample times")
    v = check_array(v_mV, "v_mV", "mV", what="membrane potential")
    thr = check_range(
        threshold_rate_mV_per_ms,
        "threshold_rate_mV_per_ms",
        "mV/ms",
        lo=0.0,
        hi=1e4,
        lo_open=True,
        what="dV/dt that marks the spike threshold",
    )
    st, _ = hh.detect_spikes(t, v)
    if st.size == 0:
        raise ParameterError("no spike in this trace (t_ms, v_mV): nothing to measure.")
    ip = int(np.argmax(np.where(np.abs(t - st[0]) <= 1.0, v, -np.inf)))
    dvdt = np.gradient(v, t)
    lo = int(np.searchsorted(t, t[ip] - 3.0))  # fastest rise within 3 ms before the peak
    rise = lo + int(np.argmax(dvdt[lo : ip + 1]))
    below = np.flatnonzero(dvdt[:rise] < thr)
    ith = int(below[-1]) if below.size else 0
    half = 0.5 * (v[ith] + v[ip])
    up = ith + int(np.flatnonzero(v[ith : ip + 1] >= half)[0])
    down = ip + int(np.flatnonzero(v[ip:] < half)[0])

    def cross(k):  # time where the segment k-1 → k crosses `half`
        return t[k - 1] + (half - v[k - 1]) * (t[k] - t[k - 1]) / (v[k] - v[k - 1])

    return {
        "threshold_mV": float(v[ith]),
        "peak_mV": float(v[ip]),
        "half_width_ms": float(cross(down) - cross(up)),
        "peak_time_ms": float(t[ip]),
    }

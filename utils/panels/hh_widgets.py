"""Interactive panels of notebook 03 (the action potential), built on ``utils.hh``.

Every panel is a :class:`utils.kit.Panel`: labelled sliders (unit in the label), a compact
read-out that states the numbers, and one ``FigureWidget`` (``utils.plots`` section "notebook
03") redrawn in place through its traces' keys and its shapes' names. ``update()`` is what the
sliders call; it returns the state, the numbers shown and the arrays drawn (the benchmarks time
it, the tests compare it with ``utils.hh``).

Every slider move runs the model once with ``record_currents=False`` and ``record_every`` chosen
so that at most about 2000 points per trace travel to the browser; everything expensive (the
strength–duration curve, all-or-none curves, the refractory curve, the f–I curve, the clamp
summary) is computed once per process (``functools.lru_cache``) when the first panel is built.

* :class:`ThresholdPanel` — pulse amplitude and duration → V, gates; all-or-none; threshold.
* :class:`RefractoryPanel` — two pulses, interval and test amplitude → refractoriness.
* :class:`FiringPanel` — a steady current → repetitive firing and the f–I curve (type II).
* :class:`ClampPanel` — a voltage-clamp step → the Na⁺ and K⁺ conductances.
* :class:`RecordingPanel` — a real current-clamp recording, sweep by sweep, beside the model.

Analysis helpers for recordings (tested on the real files): :func:`recorded_spikes`,
:func:`step_window_s`, :func:`recording_fi`, :func:`spike_half_width_ms`.
"""

from __future__ import annotations

import math
from functools import lru_cache

import ipywidgets as w  # noqa: PLC0415 (deferred: reads ipywidgets' live instances)
import numpy as np

from ..figures import plots
from ..models import hh, tablecache
from ..models.sweeps import recorded_spikes, recording_fi, spike_half_width_ms, step_window_s
from ..sources.recordings import CurrentClampRecording
from ..validation import check_array, check_instance, check_int, check_range
from . import kit

# ---- panel 1: threshold and all-or-none
#: Pulse onset (ms) of every single-pulse run, and the run length (ms): 1 + 5 ms (longest
#: pulse) + 40 ms, the window in which hh.threshold_pulse accepts a (late) spike.
PULSE_START_MS = 1.0
THRESHOLD_T_STOP_MS = 46.0
#: The duration slider's grid (ms) and the amplitudes of the all-or-none curves (µA/cm²).
DURATIONS_MS = tuple(np.round(np.arange(0.2, 5.0001, 0.1), 1))
AON_AMPLITUDES = tuple(np.arange(0.0, 40.0001, 4.0))
AMPLITUDE_MAX = 40.0
#: The reference pulse of the notebook (REFERENCE.md §1.2: 6.92 µA/cm² for 1 ms).
REFERENCE_DURATION_MS = 1.0

# ---- panel 2: refractoriness
CONDITIONING_UA = 20.0
PAIRED_DURATION_MS = 1.0
#: Interval slider grid, onset to onset (ms). Below 2 ms the test pulse would start before the
#: first spike has peaked (at 2.5 ms), so "a second spike" is not defined there.
INTERVALS_MS = tuple(np.round(np.arange(2.0, 30.0001, 0.5), 1))
#: Largest test pulse tried, µA/cm² (≈ 14× the resting threshold; the slider's maximum). With
#: no cap the model's absolute refractory period ends at 5.3 ms (hh.refractory_threshold, up to
#: 1000 µA/cm²); the panel calls the axon absolutely refractory where no pulse up to this cap
#: fires (a stated definition, so its period is longer).
REFRACTORY_CAP_UA = 100.0
PAIRED_T_STOP_MS = 1.0 + 30.0 + 1.0 + 40.0

# ---- panel 3: repetitive firing
FIRING_T_STOP_MS = 300.0  # = hh.fi_curve's default run
FI_GRID = tuple(
    np.round(np.r_[np.arange(0.0, 6.0, 0.25), np.arange(6.0, 6.5, 0.02), np.arange(6.5, 30.0001, 0.5)], 3)
)
FI_GRID_WIDE = FI_GRID + tuple(np.arange(35.0, 200.0001, 5.0))

# ---- panel 4: voltage clamp
CLAMP_STEPS_MV = tuple(np.arange(-100.0, 60.0001, 5.0))
CLAMP_DURATION_MS = 10.0


def _every(n_steps: int, max_points: int = kit.MAX_POINTS) -> int:
    """record_every that keeps a run of ``n_steps`` within ``max_points`` recorded points."""
    return max(1, math.ceil(n_steps / (max_points - 1)))


def response_peak_mV(result: hh.HHResult) -> float:
    """Highest V of a run: the first spike's peak if it fired, else the largest recorded V."""
    if result.n_spikes:
        return float(result.spike_peaks_mV[0])
    return float(np.max(result.v_mV))


# --------------------------------------------------------------------------------------------
# Precomputed tables (once per process)
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
@tablecache.disk_cached
def strength_duration(durations_ms: tuple = DURATIONS_MS) -> np.ndarray:
    """hh.threshold_pulse (µA/cm², default tolerance) for each pulse duration (ms)."""
    return np.array([hh.threshold_pulse(d) for d in durations_ms])


def _run(stim, t_stop_ms: float, record_every: int | None = None) -> hh.HHResult:
    """One run without currents, recorded at most :data:`kit.MAX_POINTS` times (by default)."""
    re_ = record_every or _every(int(t_stop_ms / hh.default_dt_ms()))
    return hh.simulate(stim, t_stop_ms, record_currents=False, record_every=re_)


def _pulse_run(amplitude, duration, record_every=None):
    return _run(hh.Pulse(amplitude, PULSE_START_MS, duration), THRESHOLD_T_STOP_MS, record_every)


@lru_cache(maxsize=64)
@tablecache.disk_cached
def all_or_none_curve(duration_ms: float, amplitudes: tuple = AON_AMPLITUDES):
    """(amplitudes, highest V) for pulses of ``duration_ms``, with two extra points
    0.02 µA/cm² either side of that duration's threshold so that the jump shows as a jump.
    Computed on first use per duration (≈ 13 short runs, a few ms) and cached."""
    j = DURATIONS_MS.index(round(float(duration_ms), 1))
    th = float(strength_duration()[j])
    amps = np.unique(np.r_[amplitudes, [th - 0.02, th + 0.02]])
    amps = amps[(amps >= 0) & (amps <= max(amplitudes))]
    peaks = np.array([response_peak_mV(_pulse_run(a, DURATIONS_MS[j], record_every=100)) for a in amps])
    return amps, peaks


def _fires_after(stim, t_stop, after_ms, record_every):
    r = hh.simulate(stim, t_stop, record_currents=False, record_every=record_every)
    return bool(np.any(r.spike_times_ms >= after_ms))


def paired_threshold(interval_ms: float, cap_uA: float = REFRACTORY_CAP_UA, tol_uA: float = 1e-3) -> float:
    """Threshold (µA/cm²) of a 1 ms test pulse ``interval_ms`` after a 1 ms, 20 µA/cm²
    conditioning pulse (onset to onset), by bisection in [0, cap]: the rule of
    hh.refractory_threshold (a spike by hh's rule peaking after the test onset counts; the intervals
    here start after the conditioning spike's peak), but ``inf`` when even
    ``cap_uA`` does not fire."""
    tol_uA = hh.check_tolerance(tol_uA, "tol_uA")
    t_test = PULSE_START_MS + interval_ms
    t_stop = t_test + PAIRED_DURATION_MS + 40.0
    cond = hh.Pulse(CONDITIONING_UA, PULSE_START_MS, PAIRED_DURATION_MS)

    def fires(a):
        return _fires_after(cond + hh.Pulse(a, t_test, PAIRED_DURATION_MS), t_stop, t_test, 10**6)

    if not fires(cap_uA):
        return math.inf
    return hh.bisect_edge(fires, 0.0, cap_uA, tol_uA)


@lru_cache(maxsize=4)
@tablecache.disk_cached
def refractory_table(intervals_ms: tuple = INTERVALS_MS, cap_uA: float = REFRACTORY_CAP_UA) -> np.ndarray:
    """:func:`paired_threshold` for each interval (ms); ``inf`` = no pulse up to the cap fires."""
    return np.array([paired_threshold(iv, cap_uA) for iv in intervals_ms])


def refractory_periods(
    intervals_ms, thresholds_uA, single_uA: float, recovered: float = 1.1
) -> tuple[float, float]:
    """(end of the absolute, end of the relative refractory period), ms, read off a threshold
    curve: the first interval whose threshold is finite, and the first interval from which on
    the threshold stays below ``recovered`` × the single-pulse threshold."""
    iv = np.asarray(intervals_ms, float)
    th = np.asarray(thresholds_uA, float)
    finite = np.flatnonzero(np.isfinite(th))
    abs_end = float(iv[finite[0]]) if finite.size else math.inf
    high = np.flatnonzero(~(th <= recovered * single_uA))
    rel_end = (
        float(iv[high[-1] + 1])
        if high.size and high[-1] + 1 < iv.size
        else (float(iv[0]) if not high.size else math.inf)
    )
    return abs_end, rel_end


@lru_cache(maxsize=4)
@tablecache.disk_cached
def fi_table(currents: tuple = FI_GRID):
    """hh.fi_curve on a grid (µA/cm²), fine near the onset of repetitive firing."""
    return hh.fi_curve(np.array(currents))


@lru_cache(maxsize=2)
@tablecache.disk_cached
def firing_landmarks() -> dict:
    """Rheobase, onset of sustained firing (µA/cm²) and the rate just above onset (Hz)."""
    onset = hh.firing_onset()
    return {
        "rheobase_uA_per_cm2": hh.rheobase(),
        "onset_uA_per_cm2": onset,
        "onset_rate_Hz": float(hh.fi_curve([onset]).rate_Hz.iloc[0]),
    }


@lru_cache(maxsize=2)
@tablecache.disk_cached
def clamp_table(v_steps_mV: tuple = CLAMP_STEPS_MV):
    """hh.voltage_clamp_summary from −65 mV for each step potential (mV)."""
    return hh.voltage_clamp_summary(np.array(v_steps_mV))


# --------------------------------------------------------------------------------------------
# Panel 1: threshold and all-or-none
# --------------------------------------------------------------------------------------------


class ThresholdPanel(kit.Panel):
    """Pulse amplitude (µA/cm²) and duration (ms) → V and gates; all-or-none; threshold.

    Right-hand plots: the highest V reached against amplitude for the chosen duration (a jump at
    threshold: all-or-none), and the threshold against duration (strength–duration curve) with
    the 1 ms reference threshold and your pulse.
    """

    def __init__(self, amplitude_uA: float = 5.0, duration_ms: float = 1.0):
        self.sd = strength_duration()
        self.reference_threshold = float(self.sd[DURATIONS_MS.index(REFERENCE_DURATION_MS)])
        self.amplitude = kit.slider(
            "pulse amplitude (µA/cm²)",
            amplitude_uA,
            0.0,
            AMPLITUDE_MAX,
            0.05,
            fmt=".2f",
            param="amplitude_uA",
        )
        self.duration = kit.slider(
            "pulse duration (ms)",
            duration_ms,
            DURATIONS_MS[0],
            DURATIONS_MS[-1],
            0.1,
            fmt=".1f",
            param="duration_ms",
        )
        figure = plots.threshold_figure(
            DURATIONS_MS, self.sd, REFERENCE_DURATION_MS, self.reference_threshold, 30.0, AMPLITUDE_MAX
        )
        super().__init__({"amplitude": self.amplitude, "duration": self.duration}, figure)

    def _index(self) -> int:
        return int(round((float(self.duration.value) - DURATIONS_MS[0]) / 0.1))

    def compute(self) -> dict:
        """Run the pulse: the numbers shown and the traces (V, gates, all-or-none curve)."""
        a = float(self.amplitude.value)
        j = self._index()
        d = DURATIONS_MS[j]
        r = _pulse_run(a, d)
        peak = response_peak_mV(r)
        th = float(self.sd[j])
        n = r.n_spikes
        amps, peaks = all_or_none_curve(d)
        return {
            "amplitude_uA_per_cm2": a,
            "duration_ms": d,
            "n_spikes": n,
            "peak_mV": peak,
            "first_spike_ms": float(r.spike_times_ms[0]) if n else None,
            "threshold_uA_per_cm2": th,
            "reference_threshold_uA_per_cm2": self.reference_threshold,
            "title": f"{a:.2f} µA/cm² for {d:.1f} ms: {'a spike' if n else 'no spike'} (threshold {th:.2f} µA/cm²)",
            "t_ms": r.t_ms,
            "v_mV": r.v_mV,
            "gates": {"m": r.m, "h": r.h, "n": r.n},
            "aon_amplitudes": amps,
            "aon_peaks": peaks,
        }

    def draw(self, st: dict) -> None:
        a, d, th = st["amplitude_uA_per_cm2"], st["duration_ms"], st["threshold_uA_per_cm2"]
        self.set_xy("V", st["t_ms"], st["v_mV"])
        for g, y in st["gates"].items():
            self.set_xy(g, st["t_ms"], y)
        self.set_xy("aon", st["aon_amplitudes"], st["aon_peaks"])
        self.set_xy("aon_point", [a], [st["peak_mV"]])
        self.set_xy("threshold", [th, th], [-75, 55])
        self.set_xy("sd_point", [d], [max(a, 1e-3)])
        self.set_shape("pulse", x0=PULSE_START_MS, x1=PULSE_START_MS + d)
        self.set_layout({"title.text": st["title"]})

    def describe(self, st: dict) -> str:
        a, d, th, n = (
            st[k] for k in ("amplitude_uA_per_cm2", "duration_ms", "threshold_uA_per_cm2", "n_spikes")
        )
        verdict = (
            f"<b>spike</b>: peak {st['peak_mV']:+.1f} mV at {st['first_spike_ms']:.1f} ms"
            if n
            else f"<b>no spike</b>: V rose only to {st['peak_mV']:+.1f} mV"
        )
        return (
            f"Pulse <b>{a:.2f} µA/cm²</b> for <b>{d:.1f} ms</b> (charge {a * d:.2f} nC/cm²): "
            f"{verdict}.<br>Threshold for a {d:.1f} ms pulse: <b>{th:.2f} µA/cm²</b> "
            f"(your pulse is {a / th:.2f}× threshold). For 1 ms it is "
            f"{self.reference_threshold:.2f} µA/cm².<br>Spikes counted: {n}."
        )


def threshold_panel(amplitude_uA: float = 5.0, duration_ms: float = 1.0) -> ThresholdPanel:
    """Notebook 03, panel 1."""
    return ThresholdPanel(amplitude_uA, duration_ms)


# --------------------------------------------------------------------------------------------
# Panel 2: refractoriness
# --------------------------------------------------------------------------------------------


class RefractoryPanel(kit.Panel):
    """A 1 ms, 20 µA/cm² pulse, then a 1 ms test pulse: interval (ms) and test amplitude
    (µA/cm²) → is there a second spike? Right: the test threshold against interval."""

    def __init__(self, interval_ms: float = 10.0, test_uA: float = 20.0):
        self.single = float(strength_duration()[DURATIONS_MS.index(PAIRED_DURATION_MS)])
        self.table = refractory_table()
        self.absolute_end_ms, self.relative_end_ms = refractory_periods(INTERVALS_MS, self.table, self.single)
        self.interval = kit.slider(
            "pulse interval (ms)",
            interval_ms,
            INTERVALS_MS[0],
            INTERVALS_MS[-1],
            0.5,
            fmt=".1f",
            param="interval_ms",
        )
        self.test = kit.slider(
            "test pulse (µA/cm²)", test_uA, 0.0, REFRACTORY_CAP_UA, 0.5, fmt=".1f", param="test_uA"
        )
        figure = plots.refractory_figure(INTERVALS_MS, self.table, self.single, REFRACTORY_CAP_UA, 50.0)
        super().__init__({"interval": self.interval, "test": self.test}, figure)

    def compute(self) -> dict:
        """Run the two pulses: the numbers shown and the V trace."""
        j = int(round((float(self.interval.value) - INTERVALS_MS[0]) / 0.5))
        iv = INTERVALS_MS[j]
        a = float(self.test.value)
        t_test = PULSE_START_MS + iv
        stim = hh.Pulse(CONDITIONING_UA, PULSE_START_MS, PAIRED_DURATION_MS) + hh.Pulse(
            a, t_test, PAIRED_DURATION_MS
        )
        r = _run(stim, PAIRED_T_STOP_MS)
        second = bool(np.count_nonzero(r.spike_times_ms >= t_test))
        return {
            "interval_ms": iv,
            "test_uA_per_cm2": a,
            "second_spike": second,
            "n_spikes": r.n_spikes,
            "test_threshold_uA_per_cm2": float(self.table[j]),
            "absolute_end_ms": self.absolute_end_ms,
            "relative_end_ms": self.relative_end_ms,
            "test_window_ms": (t_test, t_test + PAIRED_DURATION_MS),
            "title": f"Interval {iv:.1f} ms, test {a:.1f} µA/cm²: "
            + ("a second spike" if second else "no second spike"),
            "t_ms": r.t_ms,
            "v_mV": r.v_mV,
        }

    def draw(self, st: dict) -> None:
        self.set_xy("V", st["t_ms"], st["v_mV"])
        self.set_xy("point", [st["interval_ms"]], [max(st["test_uA_per_cm2"], 1e-3)])
        self.set_shape("test", x0=st["test_window_ms"][0], x1=st["test_window_ms"][1])
        self.set_layout({"title.text": st["title"]})

    def describe(self, st: dict) -> str:
        th = st["test_threshold_uA_per_cm2"]
        if not math.isfinite(th):
            state = f"<b>absolutely refractory</b>: no test pulse up to {REFRACTORY_CAP_UA:.0f} µA/cm² fires"
        elif th > 1.1 * self.single:
            state = (
                f"<b>relatively refractory</b>: the test needs {th:.2f} µA/cm², "
                f"{th / self.single:.1f}× the threshold at rest"
            )
        else:
            state = (
                f"<b>recovered</b>: the test needs {th:.2f} µA/cm² "
                f"({th / self.single:.2f}× the threshold at rest)"
            )
        return (
            f"Second spike: <b>{'yes' if st['second_spike'] else 'no'}</b> (spikes in total: "
            f"{st['n_spikes']}).<br>At {st['interval_ms']:.1f} ms the axon is {state}.<br>In this model: "
            f"absolutely refractory until {self.absolute_end_ms:.1f} ms, relatively refractory "
            f"until {self.relative_end_ms:.1f} ms (threshold within 10 % of "
            f"{self.single:.2f} µA/cm²)."
        )


def refractory_panel(interval_ms: float = 10.0, test_uA: float = 20.0) -> RefractoryPanel:
    """Notebook 03, panel 2."""
    return RefractoryPanel(interval_ms, test_uA)


# --------------------------------------------------------------------------------------------
# Panel 3: repetitive firing and the f–I curve
# --------------------------------------------------------------------------------------------


def steady_rate_Hz(spike_times_ms, t_stop_ms: float = FIRING_T_STOP_MS) -> float:
    """Steady firing rate by hh.fi_curve's rule (spikes in the second half of the run; 0 if
    fewer than three there or if firing stopped)."""
    spikes = check_array(spike_times_ms, "spike_times_ms", "ms", what="spike times")
    t_stop_ms = check_range(t_stop_ms, "t_stop_ms", "ms", lo=0.0, lo_open=True, what="run length")
    return float(hh.steady_rate_Hz(spikes, t_stop_ms, 0.5 * t_stop_ms))


class FiringPanel(kit.Panel):
    """A steady current step (µA/cm²) → V over 300 ms and the point on the f–I curve."""

    def __init__(self, current_uA: float = 4.0):
        self.fi = fi_table()
        self.landmarks = firing_landmarks()
        self.current = kit.slider(
            "steady current (µA/cm²)", current_uA, 0.0, 30.0, 0.05, fmt=".2f", param="current_uA"
        )
        figure = plots.firing_figure(
            self.fi.i_uA_per_cm2.to_numpy(),
            self.fi.rate_Hz.to_numpy(),
            self.landmarks["rheobase_uA_per_cm2"],
            self.landmarks["onset_uA_per_cm2"],
            FIRING_T_STOP_MS,
        )
        super().__init__({"current": self.current}, figure)

    def compute(self) -> dict:
        """Run 300 ms of the step: the numbers shown and the V trace."""
        a = float(self.current.value)
        r = _run(hh.Step(a, 0.0), FIRING_T_STOP_MS)
        n = r.n_spikes
        spikes = f"{n} {plots.plural(n, 'spike')}"
        return {
            "current_uA_per_cm2": a,
            "n_spikes": n,
            "rate_Hz": steady_rate_Hz(r.spike_times_ms),
            **self.landmarks,
            "title": f"{a:.2f} µA/cm²: {spikes} in {FIRING_T_STOP_MS:.0f} ms",
            "t_ms": r.t_ms,
            "v_mV": r.v_mV,
        }

    def draw(self, st: dict) -> None:
        self.set_xy("V", st["t_ms"], st["v_mV"])
        self.set_xy("point", [st["current_uA_per_cm2"]], [st["rate_Hz"]])
        self.set_layout({"title.text": st["title"]})

    def describe(self, st: dict) -> str:
        n, rate = st["n_spikes"], st["rate_Hz"]
        if rate > 0:
            state = f"<b>repetitive firing</b> at {rate:.1f} Hz"
        elif n:
            state = f"<b>{n} {plots.plural(n, 'spike')}, then silence</b>"
        else:
            state = "<b>no spike</b>: the membrane settles at a new, higher resting level"
        lm = self.landmarks
        return (
            f"Current <b>{st['current_uA_per_cm2']:.2f} µA/cm²</b>: {state}.<br>Spikes in "
            f"{FIRING_T_STOP_MS:.0f} ms: {n}; steady rate {rate:.1f} Hz.<br>Rheobase (one spike) "
            f"{lm['rheobase_uA_per_cm2']:.2f} µA/cm²; steady firing from "
            f"{lm['onset_uA_per_cm2']:.2f} µA/cm², already at {lm['onset_rate_Hz']:.0f} Hz."
        )


def firing_panel(current_uA: float = 4.0) -> FiringPanel:
    """Notebook 03, panel 3."""
    return FiringPanel(current_uA)


# --------------------------------------------------------------------------------------------
# Panel 4: voltage clamp
# --------------------------------------------------------------------------------------------


class ClampPanel(kit.Panel):
    """Voltage clamp from −65 mV to a step potential (mV) → gNa(t), gK(t) and the summary."""

    def __init__(self, v_step_mV: float = 0.0):
        self.table = clamp_table()
        self.v_step = kit.slider(
            "clamp step to (mV)", v_step_mV, -100.0, 60.0, 1.0, fmt=".0f", param="v_step_mV"
        )
        figure = plots.clamp_figure(
            self.table.v_step_mV.to_numpy(),
            self.table.peak_g_Na_mS_per_cm2.to_numpy(),
            self.table.steady_g_K_mS_per_cm2.to_numpy(),
            CLAMP_DURATION_MS,
        )
        super().__init__({"v_step": self.v_step}, figure)

    def compute(self) -> dict:
        """Compute the clamp step: the numbers shown and the conductance traces."""
        v = float(self.v_step.value)
        c = hh.voltage_clamp(v, -65.0, CLAMP_DURATION_MS, dt_ms=0.01)
        s = hh.voltage_clamp_summary([v]).iloc[0]
        g_na = float(s.peak_g_Na_mS_per_cm2)
        return {
            "v_step_mV": v,
            "peak_g_Na_mS_per_cm2": g_na,
            "time_to_peak_ms": float(s.time_to_peak_ms),
            "steady_g_K_mS_per_cm2": float(s.steady_g_K_mS_per_cm2),
            "i_Na_at_peak_uA_per_cm2": g_na * (v - hh.HHParams().E_Na_mV),
            "title": f"Clamp −65 → {v:+.0f} mV",
            "t_ms": c.t_ms.to_numpy(),
            "g_Na": c.g_Na_mS_per_cm2.to_numpy(),
            "g_K": c.g_K_mS_per_cm2.to_numpy(),
        }

    def draw(self, st: dict) -> None:
        v = st["v_step_mV"]
        self.set_xy("g_Na", st["t_ms"], st["g_Na"])
        self.set_xy("g_K", st["t_ms"], st["g_K"])
        self.set_xy("point_Na", [v], [st["peak_g_Na_mS_per_cm2"]])
        self.set_xy("point_K", [v], [st["steady_g_K_mS_per_cm2"]])
        self.set_layout({"title.text": st["title"]})

    def describe(self, st: dict) -> str:
        i_na = st["i_Na_at_peak_uA_per_cm2"]
        direction = (
            "inward (Na⁺ flows in)"
            if i_na < 0
            else "outward (V is above E Na⁺ = +50 mV)"
            if i_na > 0
            else "zero"
        )
        return (
            f"Step to <b>{st['v_step_mV']:+.0f} mV</b>: g Na⁺ peaks at "
            f"<b>{st['peak_g_Na_mS_per_cm2']:.2f} mS/cm²</b> after {st['time_to_peak_ms']:.2f} ms and "
            f"then inactivates; g K⁺ rises slowly to <b>{st['steady_g_K_mS_per_cm2']:.2f} mS/cm²</b>."
            f"<br>Na⁺ current at the peak: {i_na:+.0f} µA/cm², {direction}."
        )


def clamp_panel(v_step_mV: float = 0.0) -> ClampPanel:
    """Notebook 03, panel 4."""
    return ClampPanel(v_step_mV)


# --------------------------------------------------------------------------------------------
# Recordings: spikes, f–I, spike width; the recording panel
# --------------------------------------------------------------------------------------------

#: Amplitude (µA/cm², 1 ms) of the model spike compared with the recorded one.
MODEL_SHAPE_PULSE_UA = 8.0


@lru_cache(maxsize=2)
def _model_fi_wide():
    return fi_table(FI_GRID_WIDE)


class RecordingPanel(kit.Panel):
    """A recorded current-clamp cell, sweep by sweep (slider), with its f–I relation and the
    model's f–I (0–200 µA/cm², with depolarisation block) beside it."""

    def __init__(self, rec, sweep: int | None = None, t_max_s: float = 0.8):
        self.rec = rec
        self.fi = recording_fi(rec)
        self.window = step_window_s(rec)
        self.t_max_s = t_max_s
        self._spikes = [recorded_spikes(rec.time_s, rec.v_mV[s]) for s in range(rec.n_sweeps)]
        self._shown = rec.time_s <= t_max_s
        model = _model_fi_wide()
        figure = plots.recording_figure(
            self.fi.i_pA.to_numpy(),
            self.fi.rate_Hz.to_numpy(),
            model.i_uA_per_cm2.to_numpy(),
            model.rate_Hz.to_numpy(),
            t_max_s,
            rec.credit,
        )
        options = [(f"{i:+.0f} pA (sweep {s})", s) for s, i in zip(self.fi.sweep, self.fi.i_pA)]
        self.sweep = kit.control(
            w.SelectionSlider,
            "current step (sweep)",
            options=options,
            value=rec.n_sweeps // 2 if sweep is None else sweep,
        )
        super().__init__({"sweep": self.sweep}, figure)

    def compute(self) -> dict:
        """The chosen sweep: its numbers, its (decimated) trace and its counted spikes."""
        s = int(self.sweep.value)
        row = self.fi.iloc[s]
        t, v = kit.decimate(self.rec.time_s[self._shown], self.rec.v_mV[s][self._shown])
        st, sv = self._spikes[s]
        vis = st <= self.t_max_s
        t0, t1 = self.window
        n = int(row.n_spikes)
        return {
            "sweep": s,
            "i_pA": float(row.i_pA),
            "n_spikes": n,
            "rate_Hz": float(row.rate_Hz),
            "v_before_mV": float(row.v_before_mV),
            "n_points": int(t.size),
            "step_ms": 1e3 * (t1 - t0),
            "title": f"Sweep {s}: {row.i_pA:+.0f} pA for {1e3 * (t1 - t0):.0f} ms → {n} {plots.plural(n, 'spike')}",
            "t_s": t,
            "v_mV": v,
            "spike_t_s": st[vis],
            "spike_v_mV": sv[vis],
        }

    def draw(self, st: dict) -> None:
        self.set_xy("V", st["t_s"], st["v_mV"])
        self.set_xy("spikes", st["spike_t_s"], st["spike_v_mV"])
        self.set_xy("point", [st["i_pA"]], [st["rate_Hz"]])
        self.set_shape("step", x0=self.window[0], x1=self.window[1])
        self.set_layout({"title.text": st["title"]})

    def describe(self, st: dict) -> str:
        n = st["n_spikes"]
        return (
            f"Step <b>{st['i_pA']:+.0f} pA</b> for {st['step_ms']:.0f} ms: "
            f"<b>{n} {plots.plural(n, 'spike')}</b> ({st['rate_Hz']:.0f} per second). Before the "
            f"step V sat at about {st['v_before_mV']:.0f} mV."
        )


def recording_panel(rec, sweep: int | None = None) -> RecordingPanel:
    """Notebook 03, the recorded cell (``rec`` from data.load_current_clamp)."""
    return RecordingPanel(rec, sweep)


def spike_shape_figure(rec=None, sweep: int = 3):
    """The first spike of the step in ``rec``'s sweep beside the model's spike, both aligned at
    the peak; returns (figure, dict of measurements). The model spike comes from a 1 ms pulse of
    8 µA/cm² (just above threshold), whose own push (≤ 8 mV/ms) stays below the 10 mV/ms rule
    that marks a spike's threshold in :func:`spike_half_width_ms`."""
    r = hh.simulate(hh.Pulse(MODEL_SHAPE_PULSE_UA, PULSE_START_MS, 1.0), 30.0, record_currents=False)
    m = spike_half_width_ms(r.t_ms, r.v_mV)
    out = {"model": m}
    model = (r.t_ms - m["peak_time_ms"], r.v_mV, "model: squid axon membrane, 6.3 °C")
    recorded = None
    if rec is not None:
        check_instance(
            rec, "rec", CurrentClampRecording, what="a current-clamp recording (data.load_current_clamp)"
        )
        sweep = check_int(sweep, "sweep", lo=0, hi=rec.n_sweeps - 1, what=f"a sweep of {rec.name}")
        t0, _ = step_window_s(rec)
        st, _ = recorded_spikes(rec.time_s, rec.v_mV[sweep])
        first = float(st[st >= t0][0])
        sel = np.abs(rec.time_s - first) <= 0.010
        t_ms = rec.time_s[sel] * 1e3
        mr = spike_half_width_ms(t_ms, rec.v_mV[sweep][sel])
        out["recording"] = mr
        recorded = (t_ms - mr["peak_time_ms"], rec.v_mV[sweep][sel], "recorded cell")
    fig = plots.spike_shape_figure(model, recorded, rec.credit if rec is not None else "")
    return fig, out

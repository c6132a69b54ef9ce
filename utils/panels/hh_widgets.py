"""Interactive panels of notebook 03 (the action potential), built on ``utils.hh``.

Same contract as the panels in ``utils.widgets``: each panel is an ``ipywidgets.VBox`` with
labelled sliders (unit in the label), an HTML read-out that states the numbers, and one
``go.FigureWidget`` (layout given in the constructor, ``utils.plots`` section "notebook 03")
updated in place inside ``batch_update``. ``update()`` is what the sliders call; it returns a
dict of the numbers shown (the benchmarks time it, the tests compare it with ``utils.hh``).

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
from ..models import hh
from ..models.sweeps import recorded_spikes, recording_fi, spike_half_width_ms, step_window_s
from . import kit

#: Most points per trace sent to the browser on a slider move.

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
#: Largest test pulse tried, µA/cm² (≈ 14× the resting threshold; the slider's maximum). The
#: model counts any peak above 0 mV as a spike, so a pulse of several hundred µA/cm² can drag
#: the membrane over 0 mV even 2 ms after a spike (hh.refractory_threshold); the notebook calls
#: the axon absolutely refractory where no pulse up to this cap fires (a stated definition).
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
def strength_duration(durations_ms: tuple = DURATIONS_MS) -> np.ndarray:
    """hh.threshold_pulse (µA/cm², default tolerance) for each pulse duration (ms)."""
    return np.array([hh.threshold_pulse(d) for d in durations_ms])


def _pulse_run(amplitude, duration, record_every=None):
    dt = hh.default_dt_ms()
    re_ = record_every or _every(int(THRESHOLD_T_STOP_MS / dt))
    return hh.simulate(
        hh.Pulse(amplitude, PULSE_START_MS, duration),
        THRESHOLD_T_STOP_MS,
        record_currents=False,
        record_every=re_,
    )


@lru_cache(maxsize=64)
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
    hh.refractory_threshold (a spike peaking after the test onset counts), but ``inf`` when even
    ``cap_uA`` does not fire."""
    t_test = PULSE_START_MS + interval_ms
    t_stop = t_test + PAIRED_DURATION_MS + 40.0
    cond = hh.Pulse(CONDITIONING_UA, PULSE_START_MS, PAIRED_DURATION_MS)

    def fires(a):
        return _fires_after(cond + hh.Pulse(a, t_test, PAIRED_DURATION_MS), t_stop, t_test, 10**6)

    if not fires(cap_uA):
        return math.inf
    return hh.bisect_edge(fires, 0.0, cap_uA, tol_uA)


@lru_cache(maxsize=4)
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
def fi_table(currents: tuple = FI_GRID):
    """hh.fi_curve on a grid (µA/cm²), fine near the onset of repetitive firing."""
    return hh.fi_curve(np.array(currents))


@lru_cache(maxsize=2)
def firing_landmarks() -> dict:
    """Rheobase, onset of sustained firing (µA/cm²) and the rate just above onset (Hz)."""
    onset = hh.firing_onset()
    return {
        "rheobase_uA_per_cm2": hh.rheobase(),
        "onset_uA_per_cm2": onset,
        "onset_rate_Hz": float(hh.fi_curve([onset]).rate_Hz.iloc[0]),
    }


@lru_cache(maxsize=2)
def clamp_table(v_steps_mV: tuple = CLAMP_STEPS_MV):
    """hh.voltage_clamp_summary from −65 mV for each step potential (mV)."""
    return hh.voltage_clamp_summary(np.array(v_steps_mV))


# --------------------------------------------------------------------------------------------
# Panel 1: threshold and all-or-none
# --------------------------------------------------------------------------------------------


class ThresholdPanel(w.VBox):
    """Pulse amplitude (µA/cm²) and duration (ms) → V and gates; all-or-none; threshold.

    Right-hand plots: the highest V reached against amplitude for the chosen duration (a jump at
    threshold: all-or-none), and the threshold against duration (strength–duration curve) with
    the 1 ms reference threshold and your pulse.
    """

    def __init__(self, amplitude_uA: float = 5.0, duration_ms: float = 1.0):
        self.sd = strength_duration()
        self.reference_threshold = float(self.sd[DURATIONS_MS.index(REFERENCE_DURATION_MS)])
        self.amplitude = kit.slider(
            "pulse amplitude (µA/cm²)", amplitude_uA, 0.0, AMPLITUDE_MAX, 0.05, fmt=".2f"
        )
        self.duration = kit.slider(
            "pulse duration (ms)", duration_ms, DURATIONS_MS[0], DURATIONS_MS[-1], 0.1, fmt=".1f"
        )
        self.readout = w.HTML()
        self.figure = plots.threshold_figure(
            DURATIONS_MS, self.sd, REFERENCE_DURATION_MS, self.reference_threshold, 30.0, AMPLITUDE_MAX
        )
        for s in (self.amplitude, self.duration):
            s.observe(lambda _: self.update(), "value")
        super().__init__([w.HBox([w.VBox([self.amplitude, self.duration]), self.readout]), self.figure])
        self.update()

    def _index(self) -> int:
        return int(round((float(self.duration.value) - DURATIONS_MS[0]) / 0.1))

    def update(self) -> dict:
        """Run the pulse, redraw in place, and return the numbers shown."""
        a = float(self.amplitude.value)
        j = self._index()
        d = DURATIONS_MS[j]
        r = _pulse_run(a, d)
        peak = response_peak_mV(r)
        th = float(self.sd[j])
        n = r.n_spikes
        verdict = (
            f"<b>spike</b>: peak {peak:+.1f} mV at {r.spike_times_ms[0]:.1f} ms"
            if n
            else f"<b>no spike</b>: V rose only to {peak:+.1f} mV"
        )
        title = (
            f"{a:.2f} µA/cm² for {d:.1f} ms: "
            + ("a spike" if n else "no spike")
            + f" (threshold {th:.2f} µA/cm²)"
        )
        plots.update_threshold_figure(
            self.figure,
            r.t_ms,
            r.v_mV,
            {"m": r.m, "h": r.h, "n": r.n},
            (PULSE_START_MS, PULSE_START_MS + d),
            all_or_none_curve(d),
            (d, a, peak),
            th,
            title,
        )
        self.readout.value = kit.readout_box(
            f"Pulse <b>{a:.2f} µA/cm²</b> for <b>{d:.1f} ms</b> (charge {a * d:.2f} nC/cm²): "
            f"{verdict}.<br>Threshold for a {d:.1f} ms pulse: <b>{th:.2f} µA/cm²</b> "
            f"(your pulse is {a / th:.2f}× threshold). For 1 ms it is "
            f"{self.reference_threshold:.2f} µA/cm².<br>Spikes counted: {n}."
        )
        return {
            "amplitude_uA_per_cm2": a,
            "duration_ms": d,
            "n_spikes": n,
            "peak_mV": peak,
            "threshold_uA_per_cm2": th,
            "reference_threshold_uA_per_cm2": self.reference_threshold,
        }


def threshold_panel(amplitude_uA: float = 5.0, duration_ms: float = 1.0) -> ThresholdPanel:
    """Notebook 03, panel 1."""
    return ThresholdPanel(amplitude_uA, duration_ms)


# --------------------------------------------------------------------------------------------
# Panel 2: refractoriness
# --------------------------------------------------------------------------------------------


class RefractoryPanel(w.VBox):
    """A 1 ms, 20 µA/cm² pulse, then a 1 ms test pulse: interval (ms) and test amplitude
    (µA/cm²) → is there a second spike? Right: the test threshold against interval."""

    def __init__(self, interval_ms: float = 10.0, test_uA: float = 20.0):
        self.single = float(strength_duration()[DURATIONS_MS.index(PAIRED_DURATION_MS)])
        self.table = refractory_table()
        self.absolute_end_ms, self.relative_end_ms = refractory_periods(INTERVALS_MS, self.table, self.single)
        self.interval = kit.slider(
            "interval between onsets (ms)", interval_ms, INTERVALS_MS[0], INTERVALS_MS[-1], 0.5, fmt=".1f"
        )
        self.test = kit.slider("test pulse (µA/cm²)", test_uA, 0.0, REFRACTORY_CAP_UA, 0.5, fmt=".1f")
        self.readout = w.HTML()
        self.figure = plots.refractory_figure(INTERVALS_MS, self.table, self.single, REFRACTORY_CAP_UA, 50.0)
        for s in (self.interval, self.test):
            s.observe(lambda _: self.update(), "value")
        super().__init__([w.HBox([w.VBox([self.interval, self.test]), self.readout]), self.figure])
        self.update()

    def update(self) -> dict:
        """Run the two pulses, redraw in place, and return the numbers shown."""
        j = int(round((float(self.interval.value) - INTERVALS_MS[0]) / 0.5))
        iv = INTERVALS_MS[j]
        a = float(self.test.value)
        t_test = PULSE_START_MS + iv
        stim = hh.Pulse(CONDITIONING_UA, PULSE_START_MS, PAIRED_DURATION_MS) + hh.Pulse(
            a, t_test, PAIRED_DURATION_MS
        )
        dt = hh.default_dt_ms()
        r = hh.simulate(
            stim, PAIRED_T_STOP_MS, record_currents=False, record_every=_every(int(PAIRED_T_STOP_MS / dt))
        )
        second = int(np.count_nonzero(r.spike_times_ms >= t_test))
        th = float(self.table[j])
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
        title = f"Interval {iv:.1f} ms, test {a:.1f} µA/cm²: " + (
            "a second spike" if second else "no second spike"
        )
        plots.update_refractory_figure(
            self.figure, r.t_ms, r.v_mV, (t_test, t_test + PAIRED_DURATION_MS), (iv, a), title
        )
        self.readout.value = kit.readout_box(
            f"Second spike: <b>{'yes' if second else 'no'}</b> (spikes in total: "
            f"{r.n_spikes}).<br>At {iv:.1f} ms the axon is {state}.<br>In this model: "
            f"absolutely refractory until {self.absolute_end_ms:.1f} ms, relatively refractory "
            f"until {self.relative_end_ms:.1f} ms (threshold within 10 % of "
            f"{self.single:.2f} µA/cm²)."
        )
        return {
            "interval_ms": iv,
            "test_uA_per_cm2": a,
            "second_spike": bool(second),
            "n_spikes": r.n_spikes,
            "test_threshold_uA_per_cm2": th,
            "absolute_end_ms": self.absolute_end_ms,
            "relative_end_ms": self.relative_end_ms,
        }


def refractory_panel(interval_ms: float = 10.0, test_uA: float = 20.0) -> RefractoryPanel:
    """Notebook 03, panel 2."""
    return RefractoryPanel(interval_ms, test_uA)


# --------------------------------------------------------------------------------------------
# Panel 3: repetitive firing and the f–I curve
# --------------------------------------------------------------------------------------------


def steady_rate_Hz(spike_times_ms, t_stop_ms: float = FIRING_T_STOP_MS) -> float:
    """Steady firing rate by hh.fi_curve's rule (spikes in the second half of the run; 0 if
    fewer than three there or if firing stopped)."""
    return float(hh.steady_rate_Hz(np.asarray(spike_times_ms, float), t_stop_ms, 0.5 * t_stop_ms))


class FiringPanel(w.VBox):
    """A steady current step (µA/cm²) → V over 300 ms and the point on the f–I curve."""

    def __init__(self, current_uA: float = 4.0):
        self.fi = fi_table()
        self.landmarks = firing_landmarks()
        self.current = kit.slider("steady current (µA/cm²)", current_uA, 0.0, 30.0, 0.05, fmt=".2f")
        self.readout = w.HTML()
        self.figure = plots.firing_figure(
            self.fi.i_uA_per_cm2.to_numpy(),
            self.fi.rate_Hz.to_numpy(),
            self.landmarks["rheobase_uA_per_cm2"],
            self.landmarks["onset_uA_per_cm2"],
            FIRING_T_STOP_MS,
        )
        self.current.observe(lambda _: self.update(), "value")
        super().__init__([w.HBox([self.current, self.readout]), self.figure])
        self.update()

    def update(self) -> dict:
        """Run 300 ms of the step, redraw in place, and return the numbers shown."""
        a = float(self.current.value)
        dt = hh.default_dt_ms()
        r = hh.simulate(
            hh.Step(a, 0.0),
            FIRING_T_STOP_MS,
            record_currents=False,
            record_every=_every(int(FIRING_T_STOP_MS / dt)),
        )
        rate = steady_rate_Hz(r.spike_times_ms)
        n = r.n_spikes
        if rate > 0:
            state = f"<b>repetitive firing</b> at {rate:.1f} Hz"
        elif n:
            state = f"<b>{n} spike{'s' if n > 1 else ''}, then silence</b>"
        else:
            state = "<b>no spike</b>: the membrane settles at a new, higher resting level"
        lm = self.landmarks
        plots.update_firing_figure(
            self.figure, r.t_ms, r.v_mV, (a, rate), f"{a:.2f} µA/cm²: {n} spikes in {FIRING_T_STOP_MS:.0f} ms"
        )
        self.readout.value = kit.readout_box(
            f"Current <b>{a:.2f} µA/cm²</b>: {state}.<br>Spikes in {FIRING_T_STOP_MS:.0f} ms: "
            f"{n}; steady rate {rate:.1f} Hz.<br>Rheobase (one spike) "
            f"{lm['rheobase_uA_per_cm2']:.2f} µA/cm²; steady firing from "
            f"{lm['onset_uA_per_cm2']:.2f} µA/cm², already at {lm['onset_rate_Hz']:.0f} Hz."
        )
        return {"current_uA_per_cm2": a, "n_spikes": n, "rate_Hz": rate, **lm}


def firing_panel(current_uA: float = 4.0) -> FiringPanel:
    """Notebook 03, panel 3."""
    return FiringPanel(current_uA)


# --------------------------------------------------------------------------------------------
# Panel 4: voltage clamp
# --------------------------------------------------------------------------------------------


class ClampPanel(w.VBox):
    """Voltage clamp from −65 mV to a step potential (mV) → gNa(t), gK(t) and the summary."""

    def __init__(self, v_step_mV: float = 0.0):
        self.table = clamp_table()
        self.v_step = kit.slider("clamp step to (mV)", v_step_mV, -100.0, 60.0, 1.0, fmt=".0f")
        self.readout = w.HTML()
        self.figure = plots.clamp_figure(
            self.table.v_step_mV.to_numpy(),
            self.table.peak_g_Na_mS_per_cm2.to_numpy(),
            self.table.steady_g_K_mS_per_cm2.to_numpy(),
            CLAMP_DURATION_MS,
        )
        self.v_step.observe(lambda _: self.update(), "value")
        super().__init__([w.HBox([self.v_step, self.readout]), self.figure])
        self.update()

    def update(self) -> dict:
        """Compute the clamp step, redraw in place, and return the numbers shown."""
        v = float(self.v_step.value)
        c = hh.voltage_clamp(v, -65.0, CLAMP_DURATION_MS, dt_ms=0.01)
        s = hh.voltage_clamp_summary([v]).iloc[0]
        g_na, t_pk, g_k = (
            float(s.peak_g_Na_mS_per_cm2),
            float(s.time_to_peak_ms),
            float(s.steady_g_K_mS_per_cm2),
        )
        p = hh.HHParams()
        i_na = g_na * (v - p.E_Na_mV)
        plots.update_clamp_figure(
            self.figure,
            c.t_ms.to_numpy(),
            c.g_Na_mS_per_cm2.to_numpy(),
            c.g_K_mS_per_cm2.to_numpy(),
            v,
            g_na,
            g_k,
            f"Clamp −65 → {v:+.0f} mV",
        )
        direction = (
            "inward (Na⁺ flows in)"
            if i_na < 0
            else "outward (V is above E Na⁺ = +50 mV)"
            if i_na > 0
            else "zero"
        )
        self.readout.value = kit.readout_box(
            f"Step to <b>{v:+.0f} mV</b>: g Na⁺ peaks at <b>{g_na:.2f} mS/cm²</b> after "
            f"{t_pk:.2f} ms and then inactivates; g K⁺ rises slowly to "
            f"<b>{g_k:.2f} mS/cm²</b>.<br>Na⁺ current at the peak: {i_na:+.0f} µA/cm², "
            f"{direction}."
        )
        return {
            "v_step_mV": v,
            "peak_g_Na_mS_per_cm2": g_na,
            "time_to_peak_ms": t_pk,
            "steady_g_K_mS_per_cm2": g_k,
            "i_Na_at_peak_uA_per_cm2": i_na,
        }


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


class RecordingPanel(w.VBox):
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
        self.figure = plots.recording_figure(
            self.fi.i_pA.to_numpy(),
            self.fi.rate_Hz.to_numpy(),
            model.i_uA_per_cm2.to_numpy(),
            model.rate_Hz.to_numpy(),
            t_max_s,
            rec.credit,
        )
        options = [(f"{i:+.0f} pA (sweep {s})", s) for s, i in zip(self.fi.sweep, self.fi.i_pA)]
        self.sweep = w.SelectionSlider(
            options=options,
            value=rec.n_sweeps // 2 if sweep is None else sweep,
            description="current step (sweep)",
            style=dict(kit.CONTROL_STYLE),
            layout=kit.control_layout(),
            continuous_update=True,
        )
        self.readout = w.HTML()
        self.sweep.observe(lambda _: self.update(), "value")
        super().__init__([w.HBox([self.sweep, self.readout]), self.figure])
        self.update()

    def update(self) -> dict:
        """Show the chosen sweep in place and return its numbers."""
        s = int(self.sweep.value)
        row = self.fi.iloc[s]
        t, v = kit.decimate(self.rec.time_s[self._shown], self.rec.v_mV[s][self._shown])
        st, sv = self._spikes[s]
        vis = st <= self.t_max_s
        t0, t1 = self.window
        plots.update_recording_figure(
            self.figure,
            t,
            v,
            st[vis],
            sv[vis],
            self.window,
            (row.i_pA, row.rate_Hz),
            f"Sweep {s}: {row.i_pA:+.0f} pA for {1e3 * (t1 - t0):.0f} ms → {int(row.n_spikes)} spikes",
        )
        self.readout.value = kit.readout_box(
            f"Step <b>{row.i_pA:+.0f} pA</b> for {1e3 * (t1 - t0):.0f} ms: "
            f"<b>{int(row.n_spikes)} spikes</b> ({row.rate_Hz:.0f} per second). Before the "
            f"step V sat at about {row.v_before_mV:.0f} mV."
        )
        return {
            "sweep": s,
            "i_pA": float(row.i_pA),
            "n_spikes": int(row.n_spikes),
            "rate_Hz": float(row.rate_Hz),
            "v_before_mV": float(row.v_before_mV),
            "n_points": int(t.size),
        }


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

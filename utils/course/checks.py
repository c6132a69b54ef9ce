"""Checkers for the optional "With Python" exercises: fill in a value, call ``check_…()``, get feedback.

Each exercise becomes a scaffold in which the reader replaces ``...`` with a number (or a short
list), then runs a checker::

    fused_rate_Hz = ...   # lowest whole rate with a fusion index of at least 0.95, T = 30 ms
    half_rate_Hz = ...    # rate of half-maximal force, T = 30 ms
    checks.check_fusion_rates(fused_rate_Hz, half_rate_Hz)

A checker answers with a :class:`Feedback`: right (and why it matters), or what is off, in which
direction and by how much, with the usual cause of that mistake. It never prints the answer
itself. The expected values come from the series' own models (computed once, then cached); the
answers of the slowest (notebook 06, exercise A) are taken from the checked solution and tested
against the model in ``tests/unit/test_checks.py``. Everything stays in the reader's kernel.

:data:`EXERCISES` maps every exercise to its checker.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from functools import cache, wraps
from importlib import import_module
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # the real imports, for readers and type checkers
    from utils.models import electrolytes, emg, hh, membrane, muscle, nmj
    from utils.panels import hh_widgets, muscle_widgets
    from utils.sources import diary, recordings


class _OnFirstUse:
    """A module imported on its first attribute use. Every notebook imports ``checks`` in its first
    cell, but a checker runs only when a student asks: the models behind the checkers (HH,
    electrolytes, EMG with scipy, ...) must not slow the kernel's start (issue 20)."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr):
        return getattr(import_module(self._name), attr)

    def __repr__(self):
        return f"<module {self._name!r}, imported on first use>"


if not TYPE_CHECKING:
    electrolytes, emg, hh, membrane, muscle, nmj = (
        _OnFirstUse(f"utils.models.{m}") for m in ("electrolytes", "emg", "hh", "membrane", "muscle", "nmj")
    )
    hh_widgets, muscle_widgets = (_OnFirstUse(f"utils.panels.{m}") for m in ("hh_widgets", "muscle_widgets"))
    diary, recordings = (_OnFirstUse(f"utils.sources.{m}") for m in ("diary", "recordings"))

#: (notebook stem, exercise label) -> checker name. Numbered exercises belong to the lesson's core,
#: lettered ones (A) to its 'Going further' section.
EXERCISES = {
    ("01_twitch_spasm_cramp", "1"): "check_fusion_rates",
    ("01_twitch_spasm_cramp", "A"): "check_fit_without_latency",
    ("02_resting_membrane", "1"): "check_squid_ek",
    ("03_action_potential", "1"): "check_threshold_charges",
    ("03_action_potential", "B"): "check_inactivation",
    ("03_action_potential", "A"): "check_warm_spike",
    ("04_nerve_to_muscle", "1"): "check_poisson_counts",
    ("04_nerve_to_muscle", "2"): "check_safety_limits",
    ("04_nerve_to_muscle", "A"): "check_median_frequencies",
    ("05_electrolytes", "1"): "check_corrected_calcium",
    ("05_electrolytes", "A"): "check_block_onset",
    ("06_why_muscles_twitch", "1"): "check_fasciculation_counts",
    ("06_why_muscles_twitch", "B"): "check_diary_text",
    ("06_why_muscles_twitch", "A"): "check_neuromyotonia_onsets",
}

#: Notebook 06, exercise A: on the grid 0.60, 0.61, ... 0.70 the first axon fires trains at 0.66 and
#: all six at 0.60 (the checked solution; ``tests/unit/test_checks.py`` re-runs the model).
NEUROMYOTONIA_FIRST = 0.66
NEUROMYOTONIA_ALL = 0.60
#: one model axon starts after-discharging below this fraction of the normal K⁺ conductance
NEUROMYOTONIA_ONE_AXON = 0.637


@dataclass(frozen=True)
class Feedback:
    """The verdict of a checker: ``ok`` and a message that says why (shown as a coloured box)."""

    ok: bool
    message: str

    def __str__(self) -> str:
        return ("✔ Right. " if self.ok else "✘ Not yet. ") + self.message

    __repr__ = __str__

    def _repr_html_(self) -> str:
        mark, colour = ("Right.", "#009E73") if self.ok else ("Not yet.", "#D55E00")
        return (
            f"<div style='border-left:6px solid {colour};padding:4px 10px;font-size:15px' "
            f"role='status' aria-live='polite'><b>{mark}</b> {html.escape(self.message)}</div>"
        )


FILL_IN = "Replace every ... with your value, then run the cell again."


class _NotYet(Exception):
    """Raised inside a checker to answer at once that the reader's input cannot be checked yet."""


def _checker(check):
    """A checker whose helpers may stop it early by raising :class:`_NotYet` (the message)."""

    @wraps(check)
    def checked(*args, **kwargs) -> Feedback:
        try:
            return check(*args, **kwargs)
        except _NotYet as e:
            return Feedback(False, str(e))

    return checked


def _blank(*values) -> None:
    if any(v is Ellipsis or v is None for v in values):
        raise _NotYet(FILL_IN)


def _num(x, name: str) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise _NotYet(f"{name} should be a number, not {x!r}.") from None
    if not math.isfinite(v):
        raise _NotYet(f"{name} should be a finite number, not {x!r}.")
    return v


def _nums(values, n: int, name: str) -> list[float]:
    _blank(values)
    try:
        out = [float(v) for v in values]
    except (TypeError, ValueError):
        raise _NotYet(f"{name} should be a list of {n} numbers.") from None
    if len(out) != n:
        raise _NotYet(f"{name} should hold {n} numbers, one for each case; it holds {len(out)}.")
    if not all(math.isfinite(v) for v in out):
        raise _NotYet(f"{name} should hold finite numbers.")
    return out


def _read(**named) -> list[float]:
    """The reader's numbers in the order given (:class:`_NotYet` on a blank or a non-number)."""
    _blank(*named.values())
    return [_num(x, name) for name, x in named.items()]


def _near(x: float, target: float, tol: float) -> bool:
    return abs(x - target) <= tol


def _off(name: str, x: float, expected: float, unit: str) -> str:
    """'T_ms is too high, by about 30 %.' (never the expected value itself)."""
    direction = "too high" if x > expected else "too low"
    if expected:
        size = f"about {abs(x - expected) / abs(expected) * 100:.0f} %"
    else:
        size = f"{abs(x - expected):.3g} {unit}".strip()
    return f"{name} is {direction}, by {size}."


def _misses(*rows: tuple[str, float, float, float, str]) -> list[str]:
    """:func:`_off` for each (name, value, expected, tolerance, unit) whose value is not near."""
    return [_off(name, x, want, unit) for name, x, want, tol, unit in rows if not _near(x, want, tol)]


def _verdict(misses: list[str], hint: str, right: str) -> Feedback:
    """Not yet (every miss, then the hint) while anything misses; else right."""
    if misses:
        return Feedback(False, " ".join(misses) + hint)
    return Feedback(True, right)


# ---------------------------------------------------------------- notebook 01


@cache
def _fused_rate_Hz(T_ms: float) -> int:
    rates = np.arange(1, 201)
    fusion = muscle.force_rate_curve(rates, T_ms=T_ms)["fusion_index"].to_numpy()
    return int(rates[fusion >= 0.95][0])


@_checker
def check_fusion_rates(fused_rate_Hz, half_rate_Hz) -> Feedback:
    """01, exercise 1: a fast unit (T = 30 ms): lowest whole rate with fusion index ≥ 0.95, and
    the rate of half-maximal force."""
    fused, half = _read(fused_rate_Hz=fused_rate_Hz, half_rate_Hz=half_rate_Hz)
    want_fused, want_half = _fused_rate_Hz(30.0), muscle_widgets.R_HALF / 0.030
    if fused == _fused_rate_Hz(90.0) or _near(half, muscle_widgets.R_HALF / 0.090, 0.2):
        return Feedback(
            False, "That is the slow unit (T = 90 ms). This exercise is about the fast one: T_ms=30."
        )
    if _near(half, muscle_widgets.R_HALF / 30, 0.001) or _near(half, muscle_widgets.R_HALF / 30e-6, 1000):
        return Feedback(False, "half_rate_Hz: divide by T in seconds (30 ms = 0.030 s), not in ms or µs.")
    msgs = []
    if not _near(fused, want_fused, 0.5):
        if fused < half:
            msgs.append("fused_rate_Hz is below the half-force rate: a unit fuses only well above it.")
        else:
            msgs.append(
                _off("fused_rate_Hz", fused, want_fused, "Hz")
                + " Take the first rate whose fusion_index is at least 0.95."
            )
    if not _near(half, want_half, 0.2):
        msgs.append(_off("half_rate_Hz", half, want_half, "Hz") + " Use R_HALF / T, with T in seconds.")
    return _verdict(
        msgs,
        "",
        f"The fast unit fuses only at {want_fused} Hz, more than twice the {want_half:.1f} Hz at which it "
        "already makes half its force. No unit of the model pool fires above 35 Hz, so fast units work "
        "in unfused tetanus; the muscle's force is smooth because many units fire out of step.",
    )


@cache
def _fit_without_latency():
    twitch = recordings.load_force("twitch")
    with_lat = muscle.fit_twitch(twitch.time_s, twitch.force_mN, twitch.stimulus_times_s[0])
    without = muscle.fit_twitch(twitch.time_s, twitch.force_mN, twitch.stimulus_times_s[0], fit_latency=False)
    return with_lat, without


@_checker
def check_fit_without_latency(T_ms, r_squared) -> Feedback:
    """01, exercise A: the real twitch fitted without a latency: its T (ms) and R²."""
    T, r2 = _read(T_ms=T_ms, r_squared=r_squared)
    try:
        with_lat, without = _fit_without_latency()
    except recordings.RecordingError as e:
        return Feedback(False, f"The twitch recording is not available, so this check cannot run: {e}")
    if r2 > 1:
        return Feedback(False, "r_squared is a fraction between 0 and 1, not a per cent.")
    if _near(T, with_lat.T_ms, 0.2) and _near(r2, with_lat.r_squared, 0.003):
        return Feedback(False, "Those are the numbers of the fit with a latency: pass fit_latency=False.")
    return _verdict(
        _misses(("T_ms", T, without.T_ms, 0.2, "ms"), ("r_squared", r2, without.r_squared, 0.003, "")),
        " Read both from the result of fit_twitch(..., fit_latency=False).",
        f"Without a latency T grows from {with_lat.T_ms:.1f} to {without.T_ms:.1f} ms and R² falls from "
        f"{with_lat.r_squared:.3f} to {without.r_squared:.3f}: the model must start rising at the stimulus, "
        "while real force starts about 4 ms later (the time to spread the action potential and release "
        "calcium, notebook 04).",
    )


# ---------------------------------------------------------------- notebook 02


@_checker
def check_squid_ek(cold_mV, warm_mV) -> Feedback:
    """02, exercise 1: E K⁺ of the squid axon (20 mM out, 400 mM in) at 6.3 °C and at 20 °C."""
    cold, warm = _read(cold_mV=cold_mV, warm_mV=warm_mV)
    want_cold = membrane.nernst_mV(c_out_mM=20, c_in_mM=400, valence=1, temperature_C=6.3)
    want_warm = membrane.nernst_mV(c_out_mM=20, c_in_mM=400, valence=1, temperature_C=20)
    if cold > 0 or warm > 0:
        return Feedback(
            False,
            "E K⁺ came out positive: outside and inside are swapped. K⁺ is higher inside, so the "
            "inside must be negative to hold it in (c_out_mM=20, c_in_mM=400).",
        )
    at_37 = membrane.nernst_mV(c_out_mM=20, c_in_mM=400, valence=1, temperature_C=37)
    if _near(cold, at_37, 0.1) or _near(warm, at_37, 0.1):
        return Feedback(False, "One value is E K⁺ at 37 °C. Squid live in cold water: use 6.3 °C and 20 °C.")
    if _near(cold, want_warm, 0.1) and _near(warm, want_cold, 0.1):
        return Feedback(False, "The two values are swapped: the warmer axon has the more negative E K⁺.")
    return _verdict(
        _misses(("cold_mV", cold, want_cold, 0.1, "mV"), ("warm_mV", warm, want_warm, 0.1, "mV")),
        " Use membrane.nernst_mV(20, 400, 1, temperature_C).",
        f"Warming makes E K⁺ {want_cold - want_warm:.1f} mV more negative. E is proportional to the "
        "absolute temperature (279.45 K to 293.15 K, +4.9 %): ions move more vigorously, so a larger "
        "voltage is needed to hold them back.",
    )


# ---------------------------------------------------------------- notebook 03

DURATIONS_MS = (0.5, 1.0, 2.0)


@cache
def _thresholds() -> tuple[float, ...]:
    return tuple(hh.threshold_pulse(d) for d in DURATIONS_MS)


@_checker
def check_threshold_charges(thresholds_uA_per_cm2, charges_nC_per_cm2) -> Feedback:
    """03, exercise 1: thresholds of 0.5, 1 and 2 ms pulses, and their charges (amplitude × duration)."""
    th = _nums(thresholds_uA_per_cm2, 3, "thresholds_uA_per_cm2")
    q = _nums(charges_nC_per_cm2, 3, "charges_nC_per_cm2")
    want = _thresholds()
    if all(_near(a, b, 0.05) for a, b in zip(th, reversed(want), strict=True)):
        return Feedback(False, "The thresholds are in reverse order: list them for 0.5, 1 and 2 ms.")
    bad = [f"{d:g} ms" for d, a, b in zip(DURATIONS_MS, th, want, strict=True) if not _near(a, b, 0.05)]
    if bad:
        return Feedback(
            False, f"The threshold for {', '.join(bad)} is off. Use hh.threshold_pulse(duration_ms)."
        )
    if all(_near(c, a / d, 0.05) for c, a, d in zip(q, th, DURATIONS_MS, strict=True)):
        return Feedback(False, "Charge is amplitude × duration, not amplitude ÷ duration.")
    if all(_near(c, a * d / 1000, 0.001) for c, a, d in zip(q, th, DURATIONS_MS, strict=True)):
        return Feedback(False, "µA/cm² × ms is already nC/cm²: no factor of 1000 is needed.")
    if not all(_near(c, a * d, 0.05) for c, a, d in zip(q, want, DURATIONS_MS, strict=True)):
        return Feedback(False, "Some charges do not match amplitude × duration of your thresholds.")
    charges = [a * d for a, d in zip(want, DURATIONS_MS, strict=True)]
    return Feedback(
        True,
        f"The current falls {want[0] / want[2]:.1f}-fold from 0.5 to 2 ms, the charge changes by only "
        f"{(max(charges) / min(charges) - 1) * 100:.0f} %: a short pulse must deliver about a fixed charge "
        "to lift the membrane capacitance to threshold before it leaks away.",
    )


@cache
def _half_widths() -> tuple[float, float]:
    out = []
    for T in (6.3, 18.5):
        run = hh.instantaneous_depolarisation(15, params=hh.HHParams(temperature_C=T))
        out.append(hh_widgets.spike_half_width_ms(run.t_ms, run.v_mV)["half_width_ms"])
    return tuple(out)


@_checker
def check_warm_spike(cold_half_width_ms, warm_half_width_ms) -> Feedback:
    """03, exercise A: the spike's width at half height at 6.3 °C and at 18.5 °C (ms)."""
    cold, warm = _read(cold_half_width_ms=cold_half_width_ms, warm_half_width_ms=warm_half_width_ms)
    want_cold, want_warm = _half_widths()
    if _near(cold, want_warm, 0.02) and _near(warm, want_cold, 0.02):
        return Feedback(False, "The two widths are swapped: the warm spike is the narrower one.")
    if _near(warm, cold, 0.02):
        return Feedback(
            False,
            "Both spikes have the same width: the temperature did not reach the model. Pass "
            "params=hh.HHParams(temperature_C=18.5) to hh.instantaneous_depolarisation.",
        )
    if _near(warm, want_cold / 3**1.22, 0.005) and not _near(warm, want_warm, 0.01):
        return Feedback(
            False, "That is the Q10 prediction, not the model's spike: measure the warm run itself."
        )
    return _verdict(
        _misses(
            ("cold_half_width_ms", cold, want_cold, 0.02, "ms"),
            ("warm_half_width_ms", warm, want_warm, 0.02, "ms"),
        ),
        " Use hh_widgets.spike_half_width_ms(run.t_ms, run.v_mV).",
        f"The warm spike is {want_cold / want_warm:.1f} times narrower; Q10 = 3 over 12.2 °C predicts "
        f"{3**1.22:.1f}. Warming speeds up every gate, but not the charging of the membrane.",
    )


@cache
def _peak_g_na() -> tuple[float, float]:
    return tuple(
        float(hh.voltage_clamp_summary([0], v_hold_mV=hold).peak_g_Na_mS_per_cm2.iloc[0])
        for hold in (-65, -55)
    )


@_checker
def check_inactivation(peak_g_na_from_65, peak_g_na_from_55) -> Feedback:
    """03, exercise 2: peak Na⁺ conductance (mS/cm²) for a step to 0 mV, held at −65 and at −55 mV."""
    a, b = _read(peak_g_na_from_65=peak_g_na_from_65, peak_g_na_from_55=peak_g_na_from_55)
    want_a, want_b = _peak_g_na()
    if _near(a, want_b, 0.2) and _near(b, want_a, 0.2):
        return Feedback(
            False, "The two values are swapped: holding at −55 mV leaves fewer Na⁺ channels available."
        )
    if _near(a, b, 0.05):
        return Feedback(False, "Both values are the same: pass v_hold_mV=-55 for the second one.")
    return _verdict(
        _misses(
            ("peak_g_na_from_65", a, want_a, 0.2, "mS/cm²"), ("peak_g_na_from_55", b, want_b, 0.2, "mS/cm²")
        ),
        " Read peak_g_Na_mS_per_cm2 of hh.voltage_clamp_summary([0], ...).",
        f"Holding 10 mV higher cuts the peak Na⁺ conductance by {(1 - want_b / want_a) * 100:.0f} %: fewer "
        "channels are available (h is lower). A mildly depolarised cell is easier to fire, a strongly "
        "depolarised one has too few Na⁺ channels left: the road to depolarisation block.",
    )


# ---------------------------------------------------------------- notebook 04


@_checker
def check_poisson_counts(counts) -> Feedback:
    """04, exercise 1: of Boyd and Martin's 198 impulses, how many release 0, 1, 2 and 3 quanta (Poisson)."""
    got = _nums(counts, 4, "counts")
    m = math.log(198 / 18)
    want = 198 * np.asarray(nmj.poisson_quanta(m)[:4])
    wrong_m = 198 * np.asarray(nmj.poisson_quanta(198 / 18)[:4])
    if all(_near(g, w, 0.5) for g, w in zip(got, wrong_m, strict=True)):
        return Feedback(False, "m is ln(198/18), the mean number of quanta, not the ratio 198/18 itself.")
    if all(_near(g, w / 198, 0.005) for g, w in zip(got, want, strict=True)):
        return Feedback(False, "These are probabilities: multiply them by the 198 impulses to get counts.")
    bad = [str(k) for k, (g, w) in enumerate(zip(got, want, strict=True)) if not _near(g, w, 0.5)]
    if bad:
        return Feedback(
            False,
            f"The counts for {', '.join(bad)} quanta are off. Use 198 * nmj.poisson_quanta(np.log(198 / 18)).",
        )
    return Feedback(
        True,
        "The failures match by construction; single quanta land near 0.4 mV, doubles near 0.8 and "
        "triples near 1.2 mV. The humps are smeared because each quantum varies in size.",
    )


@cache
def _safety_limits() -> tuple[float, float]:
    ca = np.round(np.arange(0.30, 1.21, 0.01), 2)
    t = nmj.transmission(ca, 0.85)
    mg = np.round(np.arange(0.5, 10, 0.05), 2)
    u = nmj.transmission(1.2, mg)
    return float(t[t.safety_factor < 1].ca_mM.max()), float(u[u.safety_factor < 1].mg_mM.min())


@_checker
def check_safety_limits(ca_limit_mM, mg_limit_mM) -> Feedback:
    """04, exercise 2: below which calcium (at Mg 0.85 mM), and above which magnesium (at Ca 1.2 mM),
    does the model's safety factor fall below 1?"""
    ca, mg = _read(ca_limit_mM=ca_limit_mM, mg_limit_mM=mg_limit_mM)
    want_ca, want_mg = _safety_limits()
    if _near(ca, want_mg, 0.1) and _near(mg, want_ca, 0.05):
        return Feedback(False, "The two limits are swapped: the calcium limit is the smaller number.")
    msgs = []
    if not _near(ca, want_ca, 0.015):
        if ca >= 1.2:
            msgs.append("ca_limit_mM: transmission fails when calcium falls, so the limit lies below 1.2 mM.")
        else:
            msgs.append(_off("ca_limit_mM", ca, want_ca, "mM"))
    if not _near(mg, want_mg, 0.06):
        if mg <= 0.85:
            msgs.append("mg_limit_mM: magnesium blocks release, so the limit lies above normal (0.85 mM).")
        else:
            msgs.append(_off("mg_limit_mM", mg, want_mg, "mM"))
    return _verdict(
        msgs,
        " Look for the edge where safety_factor drops below 1.",
        "A large fall in calcium or a several-fold rise in magnesium stops transmission. Both numbers "
        "inherit uncertain constants, so read them as directions and sizes, not clinical thresholds.",
    )


@cache
def _median_frequencies() -> dict[str, tuple[float, float]]:
    out = {}
    for name in recordings.EMG_CONDITIONS:
        rec = recordings.load_emg(name)
        f = emg.spectral_frequencies(emg.power_spectrum(rec.signal_mV, rec.fs_Hz), 10.0)
        out[name] = (f["median_Hz"], f["mean_Hz"])
    return out


@_checker
def check_median_frequencies(healthy_Hz, myopathy_Hz, neuropathy_Hz) -> Feedback:
    """04, exercise A: the median frequency of each record's power spectrum (above 10 Hz)."""
    values = (healthy_Hz, myopathy_Hz, neuropathy_Hz)
    read = _read(**{f"{name}_Hz": x for name, x in zip(recordings.EMG_CONDITIONS, values, strict=True)})
    got = dict(zip(recordings.EMG_CONDITIONS, read, strict=True))
    try:
        want = _median_frequencies()
    except recordings.RecordingError as e:
        return Feedback(False, f"The EMG records are not available, so this check cannot run: {e}")
    if all(_near(got[n], want[n][1], 3) for n in want):
        return Feedback(False, "Those are the mean frequencies: use median_Hz.")
    bad = [n for n in want if not _near(got[n], want[n][0], 3)]
    if bad:
        return Feedback(
            False,
            f"The value for {', '.join(bad)} is off. Use emg.spectral_frequencies(spectrum, 10.0)['median_Hz'].",
        )
    return Feedback(
        True,
        "The healthy record's power sits lowest. Short, many-phased potentials (myopathy) add high "
        "frequencies; the neuropathy record is highest partly because its clipped potentials have sharp "
        "corners. A spectrum cannot tell these causes apart; per-unit measures can.",
    )


# ---------------------------------------------------------------- notebook 05


@_checker
def check_corrected_calcium(measured_mmol_L, corrected_mg_dL, category) -> Feedback:
    """05, exercise 1: total calcium 7.6 mg/dL with albumin 2.4 g/dL: in mmol/L, corrected (mg/dL),
    and the category of the corrected value."""
    _blank(category)
    mmol, corr = _read(measured_mmol_L=measured_mmol_L, corrected_mg_dL=corrected_mg_dL)
    want_mmol = electrolytes.convert(7.6, "calcium_total", "mg/dL", "mmol/L")
    want_corr = electrolytes.corrected_calcium_mg_dL(7.6, 2.4)
    want_cat = electrolytes.classify(want_corr, "calcium_total", "mg/dL").category
    if _near(mmol, 7.6 * 4.008, 0.1):
        return Feedback(False, "measured_mmol_L: from mg/dL to mmol/L you divide by 4.008, not multiply.")
    if _near(corr, 7.6 - (want_corr - 7.6), 0.05):
        return Feedback(
            False, "corrected_mg_dL: a low albumin hides calcium, so the correction adds, not subtracts."
        )
    if _near(corr, 7.6, 0.01):
        return Feedback(
            False, "corrected_mg_dL is the measured value: apply electrolytes.corrected_calcium_mg_dL."
        )
    msgs = []
    if not _near(mmol, want_mmol, 0.02):
        msgs.append(_off("measured_mmol_L", mmol, want_mmol, "mmol/L"))
    if not _near(corr, want_corr, 0.05):
        msgs.append(
            _off("corrected_mg_dL", corr, want_corr, "mg/dL") + " Add 0.8 mg/dL per g/dL of albumin below 4."
        )
    if str(category).strip().lower() != want_cat:
        msgs.append(f"category {category!r}: classify the corrected value, not the measured one.")
    return _verdict(
        msgs,
        "",
        "The measured total looks low, but with a low albumin the corrected value is normal. The "
        "correction is only an estimate: a measured ionised calcium settles the question.",
    )


@cache
def _block_grid() -> dict[float, tuple[str, float]]:
    out = {}
    for k in (9.0, 9.2, 9.4, 10.0):
        c = electrolytes.consequences(electrolytes.SerumProfile(potassium_mmol_L=k))
        out[k] = (c.nerve_state, c.h_rest)
    return out


@_checker
def check_block_onset(last_firing_mmol_L, first_block_mmol_L, h_at_block) -> Feedback:
    """05, exercise A: on the grid 9.0, 9.2, 9.4, 10 mmol/L: the last potassium at which the nerve
    still fires, the first at which it is blocked, and h there."""
    last, first, h = _read(
        last_firing_mmol_L=last_firing_mmol_L, first_block_mmol_L=first_block_mmol_L, h_at_block=h_at_block
    )
    grid = _block_grid()
    blocked = [k for k, (state, _) in grid.items() if state == "depolarisation block"]
    want_first = min(blocked)
    want_last = max(k for k in grid if k < want_first)
    want_h = grid[want_first][1]
    if h > 1:
        return Feedback(
            False, "h_at_block is a fraction between 0 and 1 (the share of Na⁺ channels not inactivated)."
        )
    if _near(h, 0.60, 0.02):
        return Feedback(
            False, "h_at_block: 0.60 is h at normal potassium; read h_rest at the first blocked value."
        )
    if first < last:
        return Feedback(
            False, "first_block_mmol_L should be above last_firing_mmol_L: block comes with more potassium."
        )
    msgs = []
    if not (_near(last, want_last, 0.01) and _near(first, want_first, 0.01)):
        msgs.append(
            "The two potassium values should be neighbours on the grid, with nerve_state changing between them."
        )
    return _verdict(
        msgs + _misses(("h_at_block", h, want_h, 0.01, "")),
        "",
        f"With only about {want_h * 100:.0f} % of its Na⁺ channels available (against 60 % normally), the "
        "membrane cannot make a spike: depolarisation block.",
    )


# ---------------------------------------------------------------- notebook 06


@_checker
def check_neuromyotonia_onsets(first_trains_at, all_six_at) -> Feedback:
    """06, exercise A: on the grid 0.60, 0.61, ... 0.70 (× normal K⁺ conductance): where the first
    axon starts after-discharging, and where all six do."""
    first, all_six = _read(first_trains_at=first_trains_at, all_six_at=all_six_at)
    if _near(first, NEUROMYOTONIA_ONE_AXON, 0.002) or _near(all_six, NEUROMYOTONIA_ONE_AXON, 0.002):
        return Feedback(
            False,
            "0.637 is the threshold of one axon with a normal conductance. The six axons' conductances "
            "differ by ±5 % (factors 0.95 to 1.05), so they cross at different values.",
        )
    if all_six > first:
        return Feedback(False, "The two are swapped: all six fire trains only at the lower conductance.")
    if _near(first, NEUROMYOTONIA_ONE_AXON / 0.95, 0.002) or _near(
        all_six, NEUROMYOTONIA_ONE_AXON / 1.05, 0.002
    ):
        return Feedback(
            False,
            "Those are the bounds from 0.637 / 0.95 and 0.637 / 1.05. Report the grid values (steps of 0.01) "
            "at which axons_after_discharging first becomes at least 1, and reaches 6.",
        )
    return _verdict(
        _misses(
            ("first_trains_at", first, NEUROMYOTONIA_FIRST, 0.001, ""),
            ("all_six_at", all_six, NEUROMYOTONIA_ALL, 0.001, ""),
        ),
        " Read axons_after_discharging at each grid value.",
        "The first axon (factor 0.95) crosses below 0.637 / 0.95 = 0.671, the last (factor 1.05) below "
        "0.637 / 1.05 = 0.607. A real nerve has thousands of axons with a spread of properties, so trains "
        "begin in a few and spread to more as the K⁺ current falls.",
    )


@_checker
def check_fasciculation_counts(counts) -> Feedback:
    """06, exercise 1: twenty one-minute counts at 0.3 per second (seeds 0 to 19)."""
    got = _nums(counts, 20, "counts")
    mean = float(np.mean(got))
    if len(set(got)) == 1:
        return Feedback(False, "All twenty counts are equal: pass a different seed each time (seed=s).")
    if 3 <= mean <= 9:
        return Feedback(False, "The counts are about a third too small: one minute is duration_s=60, not 20.")
    if not 15 <= mean <= 21:
        return Feedback(
            False,
            f"The mean count ({mean:.1f}) does not fit 0.3 per second over 60 s. "
            "Use syndromes.simulate_fasciculation(0.3, duration_s=60, seed=s).n_spikes.",
        )
    return Feedback(
        True,
        f"Your counts run from {min(got):.0f} to {max(got):.0f} per minute at one unchanged rate. Random "
        "counts vary by about their square root (√18 ≈ 4), so 12 one minute and 24 the next says almost "
        "nothing; a diary over days and weeks says more.",
    )


@_checker
def check_diary_text(text) -> Feedback:
    """06, exercise 2: a three-line diary (header and two rows) whose second row holds one mistake."""
    _blank(text)
    if not isinstance(text, str):
        return Feedback(False, "text should be a string: the diary written between quotation marks.")
    rows = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if len(rows) != 3:
        return Feedback(False, f"Write a header and two rows (three lines); yours has {len(rows)}.")
    result = diary.parse_diary(text)
    n_ok, bad = len(result.entries), result.rejected
    if n_ok == 0 and len(bad) == 0:
        return Feedback(False, "The reader found no rows: check the header (date,time,location,duration_s).")
    if n_ok == 2:
        return Feedback(
            False, "Both rows were accepted: put one mistake in the second row (for example 25:00)."
        )
    if n_ok == 0:
        return Feedback(
            False,
            "No row was accepted: the first row should be valid. The report says why:\n" + result.report(),
        )
    return Feedback(True, "The reader kept the good row and named the mistake:\n" + result.report())

"""Tests of utils.hh against the published / recomputed benchmarks (REFERENCE.md §1.2, §3.2, §5,
§8.4) and against an independent high-accuracy SciPy solution computed here.

Every expected value below is a number from the reference sheet; the tests compute the model's
value with the code under test and compare.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from utils import hh
from utils.validation import ParameterError

# ------------------------------------------------------------------------------------------
# Resting state, action potential, thresholds (REFERENCE.md §1.2 / §8.4, 6.3 °C)
# ------------------------------------------------------------------------------------------


def test_defaults_are_the_1952_model():
    p = hh.HHParams()
    assert (p.g_Na_mS_per_cm2, p.g_K_mS_per_cm2, p.g_L_mS_per_cm2) == (120.0, 36.0, 0.3)
    assert (p.E_Na_mV, p.E_K_mV, p.E_L_mV, p.C_uF_per_cm2) == (50.0, -77.0, -54.387, 1.0)
    assert p.temperature_C == 6.3 and p.phi == 1.0


def test_resting_potential():
    s = hh.resting_state()
    assert s.v_mV == pytest.approx(-64.996, abs=0.03)
    assert (s.m, s.h, s.n) == pytest.approx((0.0530, 0.5960, 0.3177), abs=5e-4)
    # a run without stimulus stays there
    r = hh.simulate(None, 50.0)
    assert np.ptp(r.v_mV) < 1e-6 and r.n_spikes == 0


def test_action_potential_peak():
    r = hh.simulate(hh.Pulse(20.0, 1.0, 1.0), 30.0)
    assert r.n_spikes == 1
    assert r.spike_peaks_mV[0] == pytest.approx(40.5, abs=0.5)
    assert r.v_mV.max() == pytest.approx(40.5, abs=0.5)
    # after-hyperpolarisation minimum −76.2 mV (REFERENCE.md §1.2)
    assert r.v_mV[r.t_ms > r.spike_times_ms[0]].min() == pytest.approx(-76.2, abs=0.3)


def test_threshold_of_1ms_pulse():
    assert hh.threshold_pulse(1.0) == pytest.approx(6.92, abs=0.05)


def test_rheobase():
    assert hh.rheobase() == pytest.approx(2.24, abs=0.02)


def test_instantaneous_depolarisation_6_fails_7_fires():
    assert hh.instantaneous_depolarisation(6.0).n_spikes == 0
    r7 = hh.instantaneous_depolarisation(7.0)
    assert r7.n_spikes == 1
    assert r7.spike_peaks_mV[0] == pytest.approx(37.0, abs=1.0)  # "peak +37 mV at 3.4 ms"
    assert r7.spike_times_ms[0] == pytest.approx(3.4, abs=0.2)


# ------------------------------------------------------------------------------------------
# Repetitive firing: type II onset at 6.26 µA/cm², ≈ 50 Hz (rinzel1980; REFERENCE.md §1.2)
# ------------------------------------------------------------------------------------------


def test_onset_of_sustained_firing():
    fi = hh.fi_curve([6.21, 6.31])
    assert fi.rate_Hz.iloc[0] == 0.0
    assert 45.0 <= fi.rate_Hz.iloc[1] <= 56.0
    assert hh.firing_onset() == pytest.approx(6.26, abs=0.05)


def test_fi_curve_is_type_ii():
    currents = np.array([1, 2, 3, 4, 5, 6, 6.2, 6.4, 7, 8, 10, 15, 20, 40, 60, 80, 100, 120])
    fi = hh.fi_curve(currents)
    rates = fi.rate_Hz.to_numpy()
    assert np.all(rates[currents < 6.2] == 0.0)
    assert np.all(rates[currents > 6.3] >= 45.0)  # never slow firing
    assert np.all(np.diff(rates[currents > 6.3]) > 0)  # then a slow rise
    # steps between rheobase and onset: one or a few spikes that stop (REFERENCE.md §1.2)
    assert fi.n_spikes[currents == 3].item() >= 1


def test_spikes_below_0_mV_are_counted_at_high_current():
    r = hh.simulate(hh.Step(100.0), 100.0, record_currents=False)
    late = r.spike_times_ms > 30
    assert np.all(r.spike_peaks_mV[late] < 0)  # peaks ≈ −20 mV
    assert late.sum() >= 9  # yet ≈ 147 Hz is counted
    # a fixed 0 mV crossing would miss them
    above = np.count_nonzero((r.v_mV[1:] >= 0) & (r.v_mV[:-1] < 0) & (r.t_ms[1:] > 30))
    assert above == 0


# ------------------------------------------------------------------------------------------
# The spike rule itself (hh module docstring), against published anchors
# ------------------------------------------------------------------------------------------


def test_rule_counts_the_oscillation_up_to_the_upper_hopf_point():
    # clause (b): the model fires until rest regains stability at I2 = 154.5 µA/cm² (hassard1978;
    # rinzel1980; guckenheimer1993; REFERENCE.md §1.2, where the cycle runs at 169 Hz)
    fi = hh.fi_curve([150.0, 154.0, 155.0, 160.0])
    assert np.all(fi.rate_Hz.to_numpy()[:2] > 160.0)
    assert fi.rate_Hz.iloc[1] == pytest.approx(169.0, abs=2.0)
    assert np.all(fi.rate_Hz.to_numpy()[2:] == 0.0)
    assert hh.eigenvalues(154.0)[0].real > 0 > hh.eigenvalues(155.0)[0].real


def test_rule_counts_no_ringing_where_rest_is_stable():
    # just below the lower Hopf point (9.78, REFERENCE.md §1.2) a step from rest fires, then rings
    # down to rest: the damped cycles are not spikes (a stable rest: clause b does not apply)
    r = hh.simulate(hh.Step(6.0), 300.0, record_currents=False)
    assert r.n_spikes == 2 and np.all(r.spike_peaks_mV >= 0)


def test_rule_needs_an_overshoot_after_a_pulse():
    # clause (a): "a spike means an upward crossing of 0 mV" (REFERENCE.md); at 25 °C the 1 ms pulses
    # just below threshold give graded responses that stop short of 0 mV and are not spikes
    p = hh.HHParams(temperature_C=25.0)
    th = hh.threshold_pulse(1.0, p, tol_uA_per_cm2=0.01)
    below = hh.simulate(hh.Pulse(th - 0.5, 1.0, 1.0), 30.0, p, record_currents=False)
    assert below.n_spikes == 0 and -40.0 < below.v_mV.max() < 0.0
    above = hh.simulate(hh.Pulse(th + 0.05, 1.0, 1.0), 30.0, p, record_currents=False)
    assert above.n_spikes == 1 and above.spike_peaks_mV[0] >= 0.0


def test_rule_ignores_an_overshoot_that_only_the_stimulus_holds():
    # 5 ms after a spike a 500 µA/cm² pulse drags V to about +16 mV while the K+ conductance still
    # outweighs the Na+ one (E_m < 0): the injected current, not the membrane, holds V above 0 mV
    r = hh.simulate(hh.Pulse(20.0, 1.0, 1.0) + hh.Pulse(500.0, 6.0, 1.0), 30.0)
    assert r.v_mV[r.t_ms > 6.0].max() > 10.0
    assert r.n_spikes == 1
    e_m = (r.g_Na_mS_per_cm2 * 50.0 - r.g_K_mS_per_cm2 * 77.0 - 0.3 * 54.387) / (
        r.g_Na_mS_per_cm2 + r.g_K_mS_per_cm2 + 0.3
    )
    assert e_m[r.t_ms > 6.0].max() < 0.0


def test_detect_spikes_applies_the_same_rule_as_simulate():
    r = hh.simulate(hh.Step(120.0) + hh.Pulse(20.0, 150.0, 1.0), 200.0)
    bare = hh.detect_spikes(r.t_ms, r.v_mV)[0]
    full = hh.detect_spikes(r.t_ms, r.v_mV, i_stim_uA_per_cm2=r.i_stim_uA_per_cm2, gates=(r.m, r.h, r.n))[0]
    assert full.size == r.n_spikes and np.allclose(full, r.spike_times_ms, atol=1e-9)
    assert bare.size < full.size  # a bare trace: the sub-0 mV cycles need the stimulus to be known


# ------------------------------------------------------------------------------------------
# Refractoriness (REFERENCE.md §8.4)
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("interval_ms", [1.0, 2.0, 3.0, 4.0])
def test_absolute_refractory_period(interval_ms):
    stim = hh.Pulse(20.0, 1.0, 1.0) + hh.Pulse(400.0, 1.0 + interval_ms, 1.0)
    assert hh.simulate(stim, 40.0, record_currents=False).n_spikes == 1
    # "none ≤ 4 ms" (REFERENCE.md §8.4), not even at the current cap
    assert hh.refractory_threshold(interval_ms, tol_uA_per_cm2=1.0) == math.inf


def test_threshold_recovers_by_40ms():
    single = hh.threshold_pulse(1.0)
    late = hh.refractory_threshold(40.0)
    assert late == pytest.approx(single, rel=0.02)
    assert late == pytest.approx(6.92, rel=0.02)
    # and it is raised early in the relative refractory period
    assert hh.refractory_threshold(8.0) > 3 * single


# ------------------------------------------------------------------------------------------
# Voltage clamp, steady states, time constants, temperature
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "v_step, g_peak, t_peak, gk_ss",
    [(-40.0, 4.62, 1.41, 7.63), (-20.0, 17.7, 0.88, 17.5), (0.0, 29.1, 0.62, 24.6), (20.0, 37.2, 0.48, 28.8)],
)
def test_voltage_clamp_table(v_step, g_peak, t_peak, gk_ss):
    row = hh.voltage_clamp_summary([v_step]).iloc[0]
    assert row.peak_g_Na_mS_per_cm2 == pytest.approx(g_peak, rel=0.02)
    assert row.time_to_peak_ms == pytest.approx(t_peak, rel=0.02)
    assert row.steady_g_K_mS_per_cm2 == pytest.approx(gk_ss, rel=0.02)
    trace = hh.voltage_clamp(v_step, duration_ms=20.0, dt_ms=0.01)
    assert trace.g_Na_mS_per_cm2.max() == pytest.approx(g_peak, rel=0.02)
    assert trace.g_K_mS_per_cm2.iloc[-1] == pytest.approx(gk_ss, rel=0.02)
    before = trace[trace.t_ms < 0]
    assert np.allclose(before.v_mV, -65.0)


def test_steady_states_and_time_constants_at_minus_65():
    ss = hh.steady_states(-65.0).iloc[0]
    assert (ss.m_inf, ss.h_inf, ss.n_inf) == pytest.approx((0.05293, 0.59612, 0.31768), abs=2e-5)
    assert (ss.tau_m_ms, ss.tau_h_ms, ss.tau_n_ms) == pytest.approx((0.237, 8.52, 5.46), rel=0.005)


def test_removable_singularities_are_smooth():
    v = np.array([-40.0 - 1e-7, -40.0, -40.0 + 1e-7, -55.0 - 1e-7, -55.0, -55.0 + 1e-7])
    ss = hh.steady_states(v)
    assert ss.alpha_m_per_ms.iloc[1] == pytest.approx(1.0, abs=1e-9)
    assert ss.alpha_n_per_ms.iloc[4] == pytest.approx(0.1, abs=1e-9)
    assert np.all(np.isfinite(ss.to_numpy()))
    assert abs(ss.alpha_m_per_ms.iloc[0] - ss.alpha_m_per_ms.iloc[2]) < 1e-6


def test_temperature_scaling():
    assert hh.phi(16.3) == pytest.approx(3.0)
    assert hh.HHParams(temperature_C=18.5).phi == pytest.approx(3.82, abs=0.01)
    cold = hh.steady_states([-65.0, 0.0])
    warm = hh.steady_states([-65.0, 0.0], hh.HHParams(temperature_C=16.3))
    for col in ("tau_m_ms", "tau_h_ms", "tau_n_ms"):
        assert np.allclose(warm[col] * 3.0, cold[col])
    for col in ("m_inf", "h_inf", "n_inf"):
        assert np.allclose(warm[col], cold[col])
    # a warmer axon fires a faster, briefer spike
    r_cold = hh.simulate(hh.Pulse(20.0, 1.0, 1.0), 20.0)
    r_warm = hh.simulate(hh.Pulse(20.0, 1.0, 1.0), 20.0, hh.HHParams(temperature_C=16.3))
    assert r_warm.spike_times_ms[0] < r_cold.spike_times_ms[0]
    assert np.count_nonzero(r_warm.v_mV > 0) < np.count_nonzero(r_cold.v_mV > 0)


# ------------------------------------------------------------------------------------------
# Manipulations used later: gating shifts (calcium), g_K (neuromyotonia), E_K (potassium)
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("shift, expected", [(-2.0, 5.65), (-4.0, 4.32)])
def test_gating_shift_lowers_threshold(shift, expected):
    p = hh.HHParams(shift_Na_mV=shift, shift_K_mV=shift)
    assert hh.threshold_pulse(1.0, p) == pytest.approx(expected, abs=0.03)


def test_shift_direction():
    base = hh.threshold_pulse(1.0, tol_uA_per_cm2=1e-2)
    assert hh.threshold_pulse(1.0, hh.HHParams(shift_Na_mV=-1.0), 1e-2) < base
    assert hh.threshold_pulse(1.0, hh.HHParams(shift_Na_mV=+2.0, shift_K_mV=2.0), 1e-2) > base
    # a shift evaluates the rates at V − shift
    a = hh.steady_states(-60.0, hh.HHParams(shift_Na_mV=-5.0, shift_K_mV=3.0)).iloc[0]
    b = hh.steady_states([-55.0, -63.0]).iloc
    assert a.m_inf == pytest.approx(b[0].m_inf) and a.h_inf == pytest.approx(b[0].h_inf)
    assert a.n_inf == pytest.approx(b[1].n_inf)


def test_reduced_gK_lowers_threshold():
    p = hh.HHParams().replace(g_K_mS_per_cm2=27.0)
    assert hh.threshold_pulse(1.0, p) == pytest.approx(4.50, abs=0.03)
    assert hh.HHParams().scaled(g_K_factor=0.75) == p


def test_raised_EK_depolarises_rest():
    # REFERENCE.md §3.2 table: EK −67 → rest −60.0 mV; EK −62 → −54.7 mV
    assert hh.resting_state(hh.HHParams(E_K_mV=-67.0)).v_mV == pytest.approx(-60.0, abs=0.1)
    assert hh.resting_state(hh.HHParams(E_K_mV=-62.0)).v_mV == pytest.approx(-54.7, abs=0.1)


def test_hopf_and_resting_eigenvalues():
    ev = hh.eigenvalues(0.0)
    expected = np.array([-0.121, -0.203 + 0.383j, -0.203 - 0.383j, -4.675])
    assert np.allclose(np.sort_complex(ev), np.sort_complex(expected), atol=2e-3)
    assert hh.hopf_current() == pytest.approx(9.78, abs=0.01)


def test_anode_break_spike():
    # ≥ 2.79 µA/cm² for 20 ms is needed (REFERENCE.md §1.2)
    assert hh.simulate(hh.HyperpolarisingStep(2.7, 5.0, 20.0), 60.0).n_spikes == 0
    assert hh.simulate(hh.HyperpolarisingStep(2.9, 5.0, 20.0), 60.0).n_spikes == 1


# ------------------------------------------------------------------------------------------
# Accuracy against an independent high-accuracy solution (SciPy LSODA, rtol 1e-8)
# ------------------------------------------------------------------------------------------


def _alpha_beta(v):
    # written out again here, independently of utils.hh (REFERENCE.md §1.1)
    am = 1.0 if abs(v + 40) < 1e-9 else 0.1 * (v + 40) / (1 - math.exp(-(v + 40) / 10))
    an = 0.1 if abs(v + 55) < 1e-9 else 0.01 * (v + 55) / (1 - math.exp(-(v + 55) / 10))
    return (
        am,
        4 * math.exp(-(v + 65) / 18),
        0.07 * math.exp(-(v + 65) / 20),
        1 / (1 + math.exp(-(v + 35) / 10)),
        an,
        0.125 * math.exp(-(v + 65) / 80),
    )


def _lsoda_spikes(pieces, t_stop):
    """pieces: list of (t_on, t_off, amplitude). Integrates between stimulus edges."""

    def rhs(t, y, i):
        v, m, h, n = y
        am, bm, ah, bh, an, bn = _alpha_beta(v)
        iion = 120 * m**3 * h * (v - 50) + 36 * n**4 * (v + 77) + 0.3 * (v + 54.387)
        return [i - iion, am * (1 - m) - bm * m, ah * (1 - h) - bh * h, an * (1 - n) - bn * n]

    s = hh.resting_state()
    y = [s.v_mV, s.m, s.h, s.n]
    edges = sorted({0.0, t_stop, *[e for p in pieces for e in p[:2] if e < t_stop]})
    ts, ys, cur = [], [], []
    for a, b in zip(edges[:-1], edges[1:]):
        i = sum(amp for on, off, amp in pieces if on <= a < off)
        te = np.linspace(a, b, int(round((b - a) / 0.002)) + 1)
        sol = solve_ivp(
            rhs, (a, b), y, args=(i,), method="LSODA", rtol=1e-8, atol=1e-10, max_step=0.02, t_eval=te
        )
        assert sol.success
        ts.append(sol.t[:-1])
        ys.append(sol.y[:, :-1])
        cur.append(np.full(sol.t.size - 1, float(i)))
        y = sol.y[:, -1]
    v, m, h, n = np.concatenate(ys, axis=1)
    # the whole rule: the stimulus and the gates are known here
    return hh.detect_spikes(np.concatenate(ts), v, i_stim_uA_per_cm2=np.concatenate(cur), gates=(m, h, n))[0]


@pytest.mark.parametrize(
    "pieces, t_stop",
    [
        ([(1.0, 2.0, 20.0)], 20.0),
        ([(0.0, 1e9, 20.0)], 100.0),
        ([(0.0, 1e9, 100.0)], 40.0),  # sub-0 mV spikes
        ([(1.0, 1.5, 30.0), (12.0, 12.5, 30.0), (30.0, 80.0, 8.0)], 80.0),
    ],
)
def test_spike_times_match_high_accuracy_solution(pieces, t_stop):
    ref = _lsoda_spikes(pieces, t_stop)
    stim = hh.Protocol(tuple(hh.Pulse(a, on, min(off, 1e6) - on) for on, off, a in pieces))
    got = hh.simulate(stim, t_stop, record_currents=False).spike_times_ms
    assert got.size == ref.size > 0
    assert np.max(np.abs(got - ref)) < 0.1


# ------------------------------------------------------------------------------------------
# Results, stimuli, light entry point
# ------------------------------------------------------------------------------------------


def test_result_contents():
    r = hh.simulate(hh.Pulse(20.0, 1.0, 1.0), 10.0, dt_ms=0.01)
    assert r.t_ms.size == r.v_mV.size == r.m.size == r.i_Na_uA_per_cm2.size == 1001
    assert r.t_ms[-1] == pytest.approx(10.0)
    assert np.allclose(r.i_Na_uA_per_cm2, r.g_Na_mS_per_cm2 * (r.v_mV - 50.0))
    assert np.allclose(r.i_K_uA_per_cm2, r.g_K_mS_per_cm2 * (r.v_mV + 77.0))
    assert np.allclose(r.i_L_uA_per_cm2, 0.3 * (r.v_mV + 54.387))
    assert r.i_stim_uA_per_cm2[(r.t_ms >= 1.0) & (r.t_ms < 1.995)].min() == 20.0
    df = r.to_frame()
    assert list(df.columns[:2]) == ["t_ms", "v_mV"] and len(df) == 1001
    for arr in (r.v_mV, r.m, r.h, r.n, r.g_K_mS_per_cm2):
        assert np.all(np.isfinite(arr))
    assert np.all((r.m >= 0) & (r.m <= 1) & (r.h >= 0) & (r.h <= 1))


def test_light_result_keeps_spikes():
    full = hh.simulate(hh.Step(20.0), 100.0)
    light = hh.simulate(hh.Step(20.0), 100.0, record_currents=False, record_every=10)
    assert light.i_Na_uA_per_cm2 is None and light.g_K_mS_per_cm2 is None
    assert light.t_ms.size == 1001
    assert np.array_equal(light.v_mV, full.v_mV[::10])
    assert np.array_equal(light.spike_times_ms, full.spike_times_ms)


def test_stimulus_pieces_inject_exact_charge():
    dt, n = 0.01, 2000
    assert hh.Pulse(10.0, 1.0037, 0.5).step_means(n, dt).sum() * dt == pytest.approx(5.0)
    assert hh.Ramp(0.0, 10.0, 2.003, 4.0).step_means(n, dt).sum() * dt == pytest.approx(20.0)
    tr = hh.PulseTrain(5.0, 1.0, 1.0, interval_ms=3.0, n_pulses=4).step_means(n, dt)
    assert tr.sum() * dt == pytest.approx(20.0)
    assert hh.HyperpolarisingStep(3.0, 5.0, 2.0).step_means(n, dt).sum() * dt == pytest.approx(-6.0)
    both = (hh.Pulse(10.0) + hh.Step(2.0, 5.0)).step_means(n, dt)
    assert np.allclose(both, hh.Pulse(10.0).step_means(n, dt) + hh.Step(2.0, 5.0).step_means(n, dt))
    samp = hh.SampledCurrent(np.r_[np.zeros(100), np.full(50, 4.0)], dt_ms=0.02)
    assert samp.step_means(n, dt).sum() * dt == pytest.approx(4.0)


def test_array_stimulus_equals_protocol():
    stim = hh.Pulse(20.0, 1.0, 1.0) + hh.Step(3.0, 10.0)
    arr = stim.sample(30.0, 0.01)
    a = hh.simulate(arr, 30.0, dt_ms=0.01)
    b = hh.simulate(stim, 30.0, dt_ms=0.01)
    assert np.array_equal(a.v_mV, b.v_mV)


def test_noise_is_seeded():
    n1 = hh.Noise(3.0, tau_ms=2.0, seed=7).step_means(200_000, 0.01)
    n2 = hh.Noise(3.0, tau_ms=2.0, seed=7).step_means(200_000, 0.01)
    n3 = hh.Noise(3.0, tau_ms=2.0, seed=8).step_means(200_000, 0.01)
    assert np.array_equal(n1, n2) and not np.array_equal(n1, n3)
    assert n1.std() == pytest.approx(3.0, rel=0.1) and abs(n1.mean()) < 0.5
    r1 = hh.simulate(hh.Noise(3.0, mean_uA_per_cm2=5.0, seed=1), 200.0)
    r2 = hh.simulate(hh.Noise(3.0, mean_uA_per_cm2=5.0, seed=1), 200.0)
    assert np.array_equal(r1.spike_times_ms, r2.spike_times_ms)


def test_continuation_from_final_state():
    whole = hh.simulate(hh.Step(10.0), 40.0)
    first = hh.simulate(hh.Step(10.0), 20.0)
    second = hh.simulate(10.0, 20.0, initial=first.final_state)
    assert second.v_mV[-1] == pytest.approx(whole.v_mV[-1], abs=0.5)


# ------------------------------------------------------------------------------------------
# Bad input is refused at the boundary; blow-ups are reported
# ------------------------------------------------------------------------------------------

_FIELDS = [f for f in hh.HHParams._RANGES]
_CONDUCTANCES = ["g_Na_mS_per_cm2", "g_K_mS_per_cm2", "g_L_mS_per_cm2"]


@given(name=st.sampled_from(_FIELDS), bad=st.sampled_from([math.nan, math.inf, -math.inf, "12", None]))
def test_non_finite_parameters_are_refused(name, bad):
    with pytest.raises(ParameterError, match=name):
        hh.HHParams(**{name: bad})


@given(
    name=st.sampled_from(_CONDUCTANCES),
    value=st.floats(max_value=-1e-12, allow_nan=False, allow_infinity=False),
)
def test_negative_conductances_are_refused(name, value):
    with pytest.raises(ParameterError, match=name) as e:
        hh.HHParams(**{name: value})
    assert "mS/cm²" in str(e.value)


@settings(max_examples=50)
@given(value=st.floats(allow_nan=True, allow_infinity=True).filter(lambda x: not (0.0 <= x <= 40.0)))
def test_temperature_outside_range_is_refused(value):
    with pytest.raises(ParameterError, match="temperature_C") as e:
        hh.HHParams(temperature_C=value)
    assert "°C" in str(e.value)


@settings(max_examples=50)
@given(i=st.integers(0, 99), bad=st.sampled_from([math.nan, math.inf, -1e6]))
def test_bad_stimulus_arrays_are_refused(i, bad):
    arr = np.zeros(100)
    arr[i] = bad
    with pytest.raises(ParameterError, match="stimulus"):
        hh.simulate(arr, 1.0, dt_ms=0.01)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(dt_ms=0.0), "dt_ms"),
        (dict(dt_ms=-0.01), "dt_ms"),
        (dict(dt_ms=0.1), "dt_ms"),
        (dict(dt_ms=math.nan), "dt_ms"),
        (dict(t_stop_ms=1e7), "t_stop_ms"),
        (dict(t_stop_ms=0.0), "t_stop_ms"),
        (dict(t_stop_ms=math.nan), "t_stop_ms"),
        (dict(record_every=0), "record_every"),
        (dict(stimulus=np.zeros(7)), "stimulus"),
        (dict(stimulus="pulse"), "stimulus"),
        (dict(stimulus=5000.0), "stimulus"),
    ],
)
def test_bad_run_settings_are_refused(kwargs, name):
    with pytest.raises(ParameterError, match=name) as e:
        hh.simulate(**{"t_stop_ms": 10.0, **kwargs})
    assert "allowed" in str(e.value) or "must" in str(e.value)


def test_dt_limit_follows_temperature():
    warm = hh.HHParams(temperature_C=26.3)  # φ = 9
    assert hh.max_dt_ms(warm) == pytest.approx(0.05 / 9)
    with pytest.raises(ParameterError, match="dt_ms"):
        hh.simulate(None, 5.0, warm, dt_ms=0.01)
    r = hh.simulate(hh.Pulse(20.0, 1.0, 1.0), 10.0, warm)  # default dt adapts
    assert r.dt_ms == pytest.approx(0.01 / 9)


@pytest.mark.parametrize(
    "make",
    [
        lambda: hh.Pulse(math.nan),
        lambda: hh.Pulse(5.0, duration_ms=0.0),
        lambda: hh.Pulse(5.0, start_ms=-1.0),
        lambda: hh.Step(2000.0),
        lambda: hh.PulseTrain(5.0, interval_ms=0.5, duration_ms=1.0),
        lambda: hh.Noise(-1.0),
        lambda: hh.Noise(1.0, seed=-3),
        lambda: hh.Ramp(0.0, math.inf),
        lambda: hh.HyperpolarisingStep(-2.0),
        lambda: hh.SampledCurrent([1.0, math.nan]),
        lambda: hh.HHParams().replace(foo=1),
        lambda: hh.State(-65.0, 1.5, 0.5, 0.3),
        lambda: hh.threshold_pulse(-1.0),
        lambda: hh.fi_curve([math.nan]),
        lambda: hh.voltage_clamp(500.0),
        lambda: hh.simulate(None, 10.0, params="squid"),
    ],
)
def test_bad_pieces_are_refused(make):
    with pytest.raises(ParameterError):
        make()


def test_blow_up_is_reported_not_returned():
    # no Na/K channels and a huge current: V would run to +3000 mV
    p = hh.HHParams(g_Na_mS_per_cm2=0.0, g_K_mS_per_cm2=0.0)
    with pytest.raises(hh.SimulationError, match="dt_ms"):
        hh.simulate(hh.Pulse(1000.0, 0.0, 100.0), 20.0, p)


def test_batch_fi_curve_matches_the_per_run_loop():
    currents = np.r_[np.linspace(0.0, 30.0, 16), 6.2, 6.3, 100.0]
    loop = hh.fi_curve(currents, t_stop_ms=200.0)
    batch = hh.fi_curve_batch(currents, t_stop_ms=200.0)
    np.testing.assert_array_equal(batch.n_spikes, loop.n_spikes)
    np.testing.assert_allclose(batch.rate_Hz, loop.rate_Hz, rtol=1e-9, atol=0)
    np.testing.assert_allclose(batch.first_spike_ms, loop.first_spike_ms, rtol=1e-9, atol=1e-12)


def test_absolute_refractory_period_ends_after_4ms():
    # REFERENCE.md §8.4: "none ≤ 4 ms"; §1.2: "a few ms", the relative period about three times longer
    assert 4.0 < hh.absolute_refractory_ms(tol_ms=0.1) < 6.0

"""utils.muscle.fit_twitch: the twitch kernel fitted to the real twitch recording, synthetic
round trips with known parameters, and refusal of bad input.

The recording's landmarks (stimulus at 0.1001 s, peak 412.45 mN at 0.114 s, baseline ~223 mN)
are measured here directly from the samples, independently of the fit.
"""

import math

import numpy as np
import pytest

from utils import ParameterError
from utils import muscle as m
from utils import recordings as data


@pytest.fixture(scope="module")
def twitch():
    rec = data.try_load(data.load_force, "twitch")
    if rec is None:
        pytest.skip("twitch recording not available (set TWITCH_DATA_DIR)")
    return rec


@pytest.fixture(scope="module")
def fit(twitch):
    return m.fit_twitch(twitch.time_s, twitch.force_mN, twitch.stimulus_times_s[0])


def test_recording_landmarks(twitch):
    assert twitch.stimulus_times_s.size == 1
    assert twitch.stimulus_times_s[0] == pytest.approx(0.1001, abs=1e-6)
    i = int(np.argmax(twitch.force_mN))
    assert twitch.force_mN[i] == pytest.approx(412.45, abs=0.01)
    assert twitch.time_s[i] == pytest.approx(0.114, abs=1e-6)
    assert twitch.force_mN[twitch.time_s < 0.1].mean() == pytest.approx(223.1, abs=0.5)


def test_fit_to_the_real_twitch(twitch, fit):
    # time to peak and half-relaxation come from the data, not the model
    assert fit.time_to_peak_ms == pytest.approx(13.9, abs=0.05)  # 0.114 s − 0.1001 s
    assert fit.data_baseline_mN == pytest.approx(223.1, abs=0.5)
    assert fit.data_peak_mN == pytest.approx(412.45 - 223.1, abs=0.5)
    # independent half-relaxation: first sample after the peak below half, to one sample
    F, t = twitch.force_mN, twitch.time_s
    i = int(np.argmax(F))
    half = fit.data_baseline_mN + fit.data_peak_mN / 2
    j = i + int(np.flatnonzero(F[i:] < half)[0])
    assert fit.half_relaxation_ms == pytest.approx((t[j] - t[i]) * 1e3, abs=0.1)
    # the fit: a fast preparation (T well below human units' 30–100 ms), a good description
    assert 5.0 < fit.T_ms < 25.0
    assert 1.0 < fit.latency_ms < 8.0  # electromechanical delay of a few ms
    assert fit.r_squared > 0.98
    assert fit.rmse_mN < 0.05 * fit.data_peak_mN
    assert fit.P_mN == pytest.approx(fit.data_peak_mN, rel=0.1)
    assert fit.baseline_mN == pytest.approx(fit.data_baseline_mN, abs=5.0)
    # the model's landmarks land near the measured ones
    assert fit.model_time_to_peak_ms == pytest.approx(fit.time_to_peak_ms, abs=1.5)
    assert fit.model_half_relaxation_ms == pytest.approx(1.678 * fit.T_ms, rel=1e-3)
    assert fit.n_samples == t.size


def test_latency_matters_for_the_real_twitch(twitch, fit):
    no_lat = m.fit_twitch(twitch.time_s, twitch.force_mN, twitch.stimulus_times_s[0], fit_latency=False)
    assert no_lat.latency_ms == 0.0
    assert no_lat.r_squared < fit.r_squared


def _synthetic(T_ms, P, baseline, latency_ms, noise, seed=3, fs=2000.0, dur=0.6, stim=0.05):
    t = np.arange(int(dur * fs)) / fs
    x = np.maximum(t - stim - latency_ms / 1e3, 0) / (T_ms / 1e3)
    F = baseline + P * x * np.exp(1 - x)
    return t, F + np.random.default_rng(seed).normal(0, noise, t.size), stim


@pytest.mark.parametrize(
    "T_ms, P, baseline, latency_ms",
    [(30.0, 5.0, 2.0, 3.0), (90.0, 1.0, -0.5, 0.0), (12.0, 190.0, 223.0, 4.0)],
)
def test_synthetic_round_trip(T_ms, P, baseline, latency_ms):
    t, F, stim = _synthetic(T_ms, P, baseline, latency_ms, noise=0.01 * P)
    f = m.fit_twitch(t, F, stim)
    assert f.T_ms == pytest.approx(T_ms, rel=0.03)
    assert f.P_mN == pytest.approx(P, rel=0.02)
    assert f.baseline_mN == pytest.approx(baseline, abs=0.02 * P)
    assert f.latency_ms == pytest.approx(latency_ms, abs=0.03 * T_ms + 0.5)
    assert f.r_squared > 0.99


def test_noise_free_landmarks_match_the_kernel():
    T_ms, lat = 40.0, 2.0
    t, F, stim = _synthetic(T_ms, 3.0, 1.0, lat, noise=0.0, fs=10_000.0)
    f = m.fit_twitch(t, F, stim, fit_latency=False, latency_ms=lat)
    assert f.T_ms == pytest.approx(T_ms, rel=1e-4)
    assert f.r_squared == pytest.approx(1.0, abs=1e-9)
    assert f.time_to_peak_ms == pytest.approx(lat + T_ms, abs=0.1)
    assert f.half_relaxation_ms == pytest.approx(m.twitch_properties(T_ms).half_relaxation_ms, abs=0.1)
    before = t < stim
    assert np.allclose(f.predict(t[before]), f.baseline_mN)


def test_fixed_latency_is_respected():
    t, F, stim = _synthetic(30.0, 5.0, 0.0, 5.0, noise=0.01)
    f = m.fit_twitch(t, F, stim, fit_latency=False, latency_ms=5.0)
    assert f.latency_ms == 5.0
    assert f.T_ms == pytest.approx(30.0, rel=0.02)


def test_bad_input_is_refused_with_a_message():
    t, F, stim = _synthetic(30.0, 5.0, 0.0, 2.0, noise=0.01)
    with pytest.raises(ParameterError, match="force_mN has"):
        m.fit_twitch(t, F[:-1], stim)
    with pytest.raises(ParameterError, match="strictly increasing"):
        m.fit_twitch(t[::-1], F, stim)
    with pytest.raises(ParameterError, match="stimulus_s"):
        m.fit_twitch(t, F, 5.0)
    with pytest.raises(ParameterError, match="stimulus_s"):
        m.fit_twitch(t, F, t[-2])  # too few samples after it
    with pytest.raises(ParameterError, match="force_mN"):
        m.fit_twitch(t, np.where(t > 0.2, np.nan, F), stim)
    with pytest.raises(ParameterError, match="at least 10"):
        m.fit_twitch(t[:5], F[:5], t[1])
    with pytest.raises(ParameterError, match="no twitch"):
        m.fit_twitch(t, np.where(t < stim, 1.0, 0.5), stim)
    with pytest.raises(ParameterError, match="latency_ms"):
        m.fit_twitch(t, F, stim, fit_latency=False, latency_ms=-1.0)
    with pytest.raises(ParameterError, match="time_s"):
        m.fit_twitch("abc", F, stim)
    assert math.isfinite(m.fit_twitch(t, F, stim).T_ms)

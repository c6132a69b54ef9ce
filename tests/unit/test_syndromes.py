"""The syndrome simulations show the stated behaviour (REFERENCE.md §3.2 and §5 give the
independent numbers): after-discharges below a measured g_K fraction (22.9 of 36 mS/cm²),
spontaneous firing below 19.8 mS/cm² at about 50 Hz, after-discharges from a calcium shift of
−5.80 mV, and fasciculations at the rate that was set."""

import math

import numpy as np
import pytest

from utils import ParameterError, electrolytes, hh, muscle, syndromes


# ----------------------------------------------------------------------------- single axon
def test_after_discharge_fraction_is_measured_and_documented():
    f = syndromes.after_discharge_gk_fraction(tol=1e-3)
    assert f == pytest.approx(22.9 / 36.0, abs=0.003)              # REFERENCE.md §5
    assert f == pytest.approx(syndromes.AFTER_DISCHARGE_GK_FRACTION, abs=0.002)
    below = hh.HHParams(g_K_mS_per_cm2=36.0 * (f - 0.01))
    above = hh.HHParams(g_K_mS_per_cm2=36.0 * (f + 0.01))
    assert syndromes.standard_pulse_spikes(below) >= 3
    assert syndromes.standard_pulse_spikes(above) == 1
    assert syndromes.standard_pulse_spikes(hh.HHParams()) == 1


def test_spontaneous_fraction_matches_reference():
    f = syndromes.spontaneous_gk_fraction()
    assert f == pytest.approx(19.8 / 36.0, abs=0.003)              # REFERENCE.md §5
    assert f == pytest.approx(syndromes.SPONTANEOUS_GK_FRACTION, abs=0.002)


def test_calcium_shift_threshold_matches_reference():
    # REFERENCE.md §3.2: shifting all gates by -5.80 mV starts after-discharges
    def spikes(s):
        return syndromes.standard_pulse_spikes(hh.HHParams(shift_Na_mV=s, shift_K_mV=s))
    assert spikes(-5.9) >= 3 and spikes(-5.7) == 1
    # with k = 6 mV per e-fold that shift is ionised Ca = 1.2 exp(-5.8/6) = 0.456 mmol/L
    assert electrolytes.calcium_shift_mV(1.2 * math.exp(-5.8 / 6.0)) == pytest.approx(-5.8)


# ----------------------------------------------------------------------------- the nerve
def test_normal_nerve_gives_one_twitch_per_stimulus():
    r = syndromes.neuromyotonia(1.0)
    assert r.summary["spikes_per_axon"] == [1] * syndromes.N_AXONS
    stim = syndromes.STIMULUS_AT_MS / 1000.0
    assert np.all((r.spike_times_s > stim) & (r.spike_times_s < stim + 0.01))
    assert r.summary["regime"].startswith("normal")
    assert r.summary["peak_force_x_twitch"] == pytest.approx(1.0, abs=1e-3)
    # the force relaxes: at the end it is below 1 % of the twitch peak
    assert r.force_pct[-1] < 0.01 * r.force_pct.max()


def test_neuromyotonia_after_discharges_below_the_measured_fraction():
    f_star = syndromes.AFTER_DISCHARGE_GK_FRACTION
    lo, hi = min(syndromes.GK_SCATTER), max(syndromes.GK_SCATTER)
    # every axon above the fraction: no after-discharges; every axon below: all of them
    clear = syndromes.neuromyotonia(round(f_star / lo + 0.01, 2))
    all_ad = syndromes.neuromyotonia(round(f_star / hi - 0.01, 2))
    assert clear.summary["axons_after_discharging"] == 0
    assert all_ad.summary["axons_after_discharging"] == syndromes.N_AXONS
    assert all_ad.summary["regime"] != clear.summary["regime"]
    # after-discharges fuse into more force than one twitch, and it outlasts the twitch
    assert all_ad.summary["peak_force_x_twitch"] > 3.0
    assert all_ad.summary["late_force_pct"] > 10 * clear.summary["late_force_pct"]


def test_low_gk_fires_spontaneously_at_about_50_Hz():
    r = syndromes.neuromyotonia(0.5)
    assert r.summary["axons_firing_spontaneously"] == syndromes.N_AXONS
    assert r.summary["regime"] == "spontaneous firing"
    assert 45.0 <= r.summary["train_rate_Hz"] <= 60.0               # REFERENCE.md §5: ~50 Hz


def test_tetany_follows_calcium():
    normal = syndromes.tetany(1.2)
    assert normal.summary["shift_mV"] == 0.0
    assert normal.summary["spikes_per_axon"] == [1] * syndromes.N_AXONS
    mild = syndromes.tetany(0.9)            # low, but far above the squid model's threshold
    assert mild.summary["axons_after_discharging"] == 0
    low = syndromes.tetany(0.3)             # shift -8.3 mV, beyond -6.75 mV (spontaneous)
    assert low.summary["axons_firing_spontaneously"] == syndromes.N_AXONS
    counts = [syndromes.tetany(ca).n_spikes for ca in (0.6, 0.46, 0.4, 0.3)]
    assert counts == sorted(counts)         # lower calcium, more discharges


def test_emg_shows_a_potential_at_each_discharge():
    r = syndromes.neuromyotonia(1.0)
    fs = syndromes.EMG_FS_HZ
    noise = np.std(r.emg_mV[: int(0.04 * fs)])             # before the stimulus: noise only
    assert noise == pytest.approx(0.01, rel=0.3)            # utils.emg NOISE_mV
    for t in r.spike_times_s:
        i = int(round(t * fs))
        assert np.abs(r.emg_mV[i - 20:i + 20]).max() > 5 * noise


def test_runs_are_deterministic_and_seeded():
    a, b = syndromes.neuromyotonia(0.62, seed=3), syndromes.neuromyotonia(0.62, seed=3)
    assert a.same_as(b)
    c = syndromes.neuromyotonia(0.62, seed=4)
    assert not np.array_equal(a.spike_times_s, c.spike_times_s)
    raster = a.raster()
    assert list(raster.columns) == ["row", "unit", "t_s"]
    assert raster["t_s"].is_monotonic_increasing and len(raster) == a.n_spikes
    assert set(raster["unit"]) <= set(syndromes.AXON_UNITS)


# ----------------------------------------------------------------------------- fasciculation
@pytest.mark.parametrize("rate", [0.3, 1.0])
def test_fasciculation_rate_is_as_set(rate):
    dur = 600.0
    r = syndromes.fasciculation(rate, duration_s=dur, seed=1)
    expected = rate * dur
    assert abs(r.n_spikes - expected) < 4 * math.sqrt(expected)     # Poisson: SD = √mean
    assert r.summary["rate_set_Hz"] == rate
    # single units, one at a time, from the fasciculating units only
    assert set(r.spike_unit) <= set(syndromes.FASCICULATION_UNITS)
    for u in set(r.spike_unit):
        t = np.sort(r.spike_times_s[r.spike_unit == u])
        assert np.all(np.diff(t) >= 0.003 - 1e-12)                 # 3 ms dead time
    # intervals are Poisson-like: CV of the pooled intervals close to 1
    isi = np.diff(np.sort(r.spike_times_s))
    assert isi.std() / isi.mean() == pytest.approx(1.0, abs=0.2)


def test_a_fasciculation_is_one_small_twitch():
    r = syndromes.fasciculation(0.3, seed=0)
    pool = muscle.make_pool()
    largest = max(pool.peak_twitch_au[u - 1] for u in set(r.spike_unit))
    # one twitch peaks at P (fuglevand1993), in % of the pool's maximum force
    assert r.force_pct.max() == pytest.approx(100 * largest / pool.max_force_au, rel=0.02)
    assert r.force_pct.max() < 1.0


def test_near_threshold_noise_gives_sporadic_irregular_spikes():
    quiet = syndromes.near_threshold_noise(0.0, duration_ms=1000)
    assert quiet["n_spikes"] == 0                 # 2.0 µA/cm² is below the 2.24 rheobase
    d = syndromes.near_threshold_noise(0.7)
    assert 2 <= d["n_spikes"] and d["rate_Hz"] < 5.0
    assert d["isi_cv"] > 0.5                      # irregular, unlike a repetitive train
    more = syndromes.near_threshold_noise(0.9)
    assert more["n_spikes"] > d["n_spikes"]


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("call,name", [
    (lambda: syndromes.neuromyotonia(2.0), "gk_fraction"),
    (lambda: syndromes.neuromyotonia(float("nan")), "gk_fraction"),
    (lambda: syndromes.tetany(0.0), "calcium_ionised_mmol_L"),
    (lambda: syndromes.fasciculation(-1.0), "rate_Hz"),
    (lambda: syndromes.fasciculation(0.3, duration_s=1e6), "duration_s"),
    (lambda: syndromes.neuromyotonia(0.6, seed=-1), "seed"),
    (lambda: syndromes.near_threshold_noise(-1.0), "sigma_uA_per_cm2"),
])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ParameterError, match=name):
        call()

"""The syndrome simulations show the stated behaviour (REFERENCE.md §3.2 and §5 give the
independent numbers): after-discharges below a measured g_K fraction (22.9 of 36 mS/cm²),
spontaneous firing below 19.8 mS/cm² at about 50 Hz, after-discharges from a Na⁺-gate calcium
shift of −1.66 mV and spontaneous firing from −2.17 mV (the assumption of notebook 05), tetany
before junction failure as calcium falls, and fasciculations at the rate that was set."""

import math

import numpy as np
import pytest

from utils import ParameterError, electrolytes, hh, muscle, syndromes, tables


# ----------------------------------------------------------------------------- single axon
def test_after_discharge_fraction_is_measured_and_documented():
    f = syndromes.after_discharge_gk_fraction(tol=1e-3)
    assert f == pytest.approx(22.9 / 36.0, abs=0.003)  # REFERENCE.md §5
    assert f == pytest.approx(syndromes.AFTER_DISCHARGE_GK_FRACTION, abs=0.002)
    below = hh.HHParams(g_K_mS_per_cm2=36.0 * (f - 0.01))
    above = hh.HHParams(g_K_mS_per_cm2=36.0 * (f + 0.01))
    assert syndromes.standard_pulse_spikes(below) >= 3
    assert syndromes.standard_pulse_spikes(above) == 1
    assert syndromes.standard_pulse_spikes(hh.HHParams()) == 1


def test_spontaneous_fraction_matches_reference():
    f = syndromes.spontaneous_gk_fraction()
    assert f == pytest.approx(19.8 / 36.0, abs=0.003)  # REFERENCE.md §5
    assert f == pytest.approx(syndromes.SPONTANEOUS_GK_FRACTION, abs=0.002)


def test_calcium_shift_thresholds_match_reference():
    # REFERENCE.md §3.2: shifting the Na gates (m, h) only by -1.66 mV starts after-discharges,
    # by -2.17 mV spontaneous firing
    def spikes(s):
        return syndromes.standard_pulse_spikes(hh.HHParams(shift_Na_mV=s))

    assert spikes(-1.70) >= 3 and spikes(-1.62) == 1
    # with k = 6 mV per e-fold those shifts are ionised Ca = 1.2 exp(s/6)
    ad = syndromes.after_discharge_calcium_mmol_L()
    sp = syndromes.spontaneous_calcium_mmol_L()
    assert ad == pytest.approx(1.2 * math.exp(-1.66 / 6.0), abs=0.003)  # 0.909
    assert sp == pytest.approx(1.2 * math.exp(-2.17 / 6.0), abs=0.003)  # 0.836
    assert ad == pytest.approx(syndromes.AFTER_DISCHARGE_CA_mmol_L, abs=0.002)
    assert sp == pytest.approx(syndromes.SPONTANEOUS_CA_mmol_L, abs=0.002)


def test_tetany_uses_the_calcium_assumption_of_notebook_05():

    assert electrolytes.DEFAULT_GATES == "na"
    assert syndromes.TETANY_K_mV == electrolytes.SCREENING_K_mV == 6.0
    p = syndromes.tetany_params(0.8)
    mp = electrolytes.model_parameters(electrolytes.SerumProfile(calcium_ionised_mmol_L=0.8), gates="na")
    assert p == mp.hh_params
    assert p.shift_Na_mV == pytest.approx(6.0 * math.log(0.8 / 1.2)) and p.shift_K_mV == 0.0
    assert syndromes.simulate_tetany(0.8).summary["shift_mV"] == pytest.approx(p.shift_Na_mV, abs=1e-4)
    # the lowest calcium accepted is the plausible minimum of the serum table
    ranges = electrolytes.reference_ranges().set_index("analyte")
    assert syndromes.CALCIUM_MIN_mmol_L == ranges.loc["calcium_ionised", "plausible_min"]


# ----------------------------------------------------------------------------- the nerve
def test_normal_nerve_gives_one_twitch_per_stimulus():
    r = syndromes.simulate_neuromyotonia(1.0)
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
    clear = syndromes.simulate_neuromyotonia(round(f_star / lo + 0.01, 2))
    all_ad = syndromes.simulate_neuromyotonia(round(f_star / hi - 0.01, 2))
    assert clear.summary["axons_after_discharging"] == 0
    assert all_ad.summary["axons_after_discharging"] == syndromes.N_AXONS
    assert all_ad.summary["regime"] != clear.summary["regime"]
    # after-discharges fuse into more force than one twitch, and it outlasts the twitch
    assert all_ad.summary["peak_force_x_twitch"] > 3.0
    assert all_ad.summary["late_force_pct"] > 10 * clear.summary["late_force_pct"]


def test_low_gk_fires_spontaneously_at_about_50_Hz():
    r = syndromes.simulate_neuromyotonia(0.5)
    assert r.summary["axons_firing_spontaneously"] == syndromes.N_AXONS
    assert r.summary["regime"] == "spontaneous firing"
    assert 45.0 <= r.summary["train_rate_Hz"] <= 60.0  # REFERENCE.md §5: ~50 Hz


@pytest.mark.parametrize("ca", [1.10, 1.16, 1.20, 1.26, 1.30])
def test_normal_calcium_gives_one_twitch(ca):
    r = syndromes.simulate_tetany(ca)
    assert r.summary["spikes_per_axon"] == [1] * syndromes.N_AXONS
    assert r.summary["regime"].startswith("normal")
    assert r.summary["peak_force_x_twitch"] == pytest.approx(1.0, abs=1e-3)


def test_tetany_onsets_of_the_nerve():
    on = syndromes.tetany_onsets(seed=0)

    # independent bracket: the noise-free single-axon onsets of the most and the least
    # excitable axon (g_K x 0.95 and x 1.05); the nerve's 450 ms window and weak noise move
    # them by at most 0.02 (after-discharges) and 0.03 mmol/L (firing on its own, which must
    # start within the 50 ms before the stimulus)
    def single_ad(c):
        return hh.bisect_edge(
            lambda ca: syndromes.standard_pulse_spikes(syndromes.tetany_params(ca, c)) < 3, 0.5, 1.3, 1e-3
        )

    def single_sp(c):
        return hh.bisect_edge(
            lambda ca: hh.eigenvalues(0.0, syndromes.tetany_params(ca, c))[0].real < 0.0, 0.5, 1.3, 1e-4
        )

    lo, hi = min(syndromes.GK_SCATTER), max(syndromes.GK_SCATTER)
    assert on["after_discharge_first"] == pytest.approx(single_ad(lo), abs=0.02)
    assert on["after_discharge_all"] == pytest.approx(single_ad(hi), abs=0.02)
    assert single_sp(lo) - 0.03 <= on["spontaneous_first"] <= single_sp(lo)
    assert single_sp(hi) - 0.03 <= on["spontaneous_all"] <= single_sp(hi)
    # measured (seed 0): 0.924, 0.885, 0.858, 0.786 mmol/L, all in the band where low calcium
    # is treated urgently (below 0.8-0.9 mmol/L, REFERENCE.md §3.1) or just above it
    assert 0.90 <= on["after_discharge_first"] <= 0.95
    assert 0.86 <= on["after_discharge_all"] <= 0.90
    assert 0.83 <= on["spontaneous_first"] <= 0.87
    assert 0.75 <= on["spontaneous_all"] <= 0.81
    assert (
        on["after_discharge_first"]
        > on["after_discharge_all"]
        > on["spontaneous_first"]
        > on["spontaneous_all"]
    )


def test_tetany_comes_before_weakness_as_calcium_falls():
    # the clinical order: the nerve misbehaves (tetany) at a higher calcium than the one at
    # which the junction model's safety factor falls below 1 (weakness; 0.74 in notebook 05)
    def fails(ca):
        sf = electrolytes.model_parameters(electrolytes.SerumProfile(calcium_ionised_mmol_L=ca)).safety_factor
        return sf < 1.0

    junction = hh.bisect_edge(lambda ca: not fails(ca), 0.3, 1.2, 1e-3)
    assert junction == pytest.approx(0.74, abs=0.01)
    assert (
        syndromes.simulate_tetany(junction + 0.02).summary["axons_firing_spontaneously"] == syndromes.N_AXONS
    )
    counts = [syndromes.simulate_tetany(ca).n_spikes for ca in (1.2, 0.94, 0.9, 0.88, 0.8, 0.6)]
    assert counts == sorted(counts)  # lower calcium, more discharges
    assert counts[0] == counts[1] == syndromes.N_AXONS


def test_emg_shows_a_potential_at_each_discharge():
    r = syndromes.simulate_neuromyotonia(1.0)
    fs = syndromes.EMG_FS_HZ
    noise = np.std(r.emg_mV[: int(0.04 * fs)])  # before the stimulus: noise only
    assert noise == pytest.approx(0.01, rel=0.3)  # utils.emg NOISE_mV
    for t in r.spike_times_s:
        i = int(round(t * fs))
        assert np.abs(r.emg_mV[i - 20 : i + 20]).max() > 5 * noise


def test_runs_are_deterministic_and_seeded():
    a, b = syndromes.simulate_neuromyotonia(0.62, seed=3), syndromes.simulate_neuromyotonia(0.62, seed=3)
    assert a.same_as(b)
    c = syndromes.simulate_neuromyotonia(0.62, seed=4)
    assert not np.array_equal(a.spike_times_s, c.spike_times_s)
    raster = a.raster()
    assert list(raster.columns) == ["row", "unit", "t_s"]
    assert raster["t_s"].is_monotonic_increasing and len(raster) == a.n_spikes
    assert set(raster["unit"]) <= set(syndromes.AXON_UNITS)


# ----------------------------------------------------------------------------- fasciculation
@pytest.mark.parametrize("rate", [0.3, 1.0])
def test_fasciculation_rate_is_as_set(rate):
    dur = 600.0
    r = syndromes.simulate_fasciculation(rate, duration_s=dur, seed=1)
    expected = rate * dur
    assert abs(r.n_spikes - expected) < 4 * math.sqrt(expected)  # Poisson: SD = √mean
    assert r.summary["rate_set_Hz"] == rate
    # single units, one at a time, from the fasciculating units only
    assert set(r.spike_unit) <= set(syndromes.FASCICULATION_UNITS)
    for u in set(r.spike_unit):
        t = np.sort(r.spike_times_s[r.spike_unit == u])
        assert np.all(np.diff(t) >= 0.003 - 1e-12)  # 3 ms dead time
    # intervals are Poisson-like: CV of the pooled intervals close to 1
    isi = np.diff(np.sort(r.spike_times_s))
    assert isi.std() / isi.mean() == pytest.approx(1.0, abs=0.2)


def test_a_fasciculation_is_one_small_twitch():
    r = syndromes.simulate_fasciculation(0.3, seed=0)
    pool = muscle.make_pool()
    largest = max(pool.peak_twitch_au[u - 1] for u in set(r.spike_unit))
    # one twitch peaks at P (fuglevand1993), in % of the pool's maximum force
    assert r.force_pct.max() == pytest.approx(100 * largest / pool.max_force_au, rel=0.02)
    assert r.force_pct.max() < 1.0


def test_near_threshold_noise_gives_sporadic_irregular_spikes():
    quiet = syndromes.near_threshold_noise(0.0, duration_ms=1000)
    assert quiet["n_spikes"] == 0  # 2.0 µA/cm² is below the 2.24 rheobase
    d = syndromes.near_threshold_noise(0.7)
    assert 2 <= d["n_spikes"] and d["rate_Hz"] < 5.0
    assert d["isi_cv"] > 0.5  # irregular, unlike a repetitive train
    more = syndromes.near_threshold_noise(0.9)
    assert more["n_spikes"] > d["n_spikes"]


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "call,name",
    [
        (lambda: syndromes.simulate_neuromyotonia(2.0), "gk_fraction"),
        (lambda: syndromes.simulate_neuromyotonia(float("nan")), "gk_fraction"),
        (lambda: syndromes.simulate_tetany(0.0), "calcium_ionised_mmol_L"),
        (lambda: syndromes.simulate_tetany(0.2), "calcium_ionised_mmol_L"),
        (lambda: syndromes.tetany_onsets(tol=1.0), "tol"),
        (lambda: syndromes.simulate_fasciculation(-1.0), "rate_Hz"),
        (lambda: syndromes.simulate_fasciculation(0.3, duration_s=1e6), "duration_s"),
        (lambda: syndromes.simulate_neuromyotonia(0.6, seed=-1), "seed"),
        (lambda: syndromes.near_threshold_noise(-1.0), "sigma_uA_per_cm2"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ParameterError, match=name):
        call()


# ----------------------------------------------------------------------------- the human nerve
# Targets from data/syndrome_targets.csv (clinical values with sources), never the model's output.
SYNDROME_TARGETS = {r["name"]: r for r in tables.read_table("syndrome_targets.csv")}


def target_band(name):
    r = SYNDROME_TARGETS[name]
    return float(r["low"]), float(r["high"])


@pytest.fixture(scope="module")
def human_onsets():
    return syndromes.axon_calcium_onsets(tol=2e-3)


def test_human_nerve_is_quiet_across_the_normal_calcium_range(human_onsets):
    """Normal ionised Ca is 1.1-1.3 mmol/L (reference_sheet): no after-discharges, no firing on
    its own there, in one axon (the onsets) and in the six-axon nerve with noise."""
    lo, hi = target_band("ionised_calcium_normal_low_mmol_L")
    assert human_onsets["after_discharge_mmol_L"] < lo
    assert human_onsets["spontaneous_mmol_L"] < human_onsets["after_discharge_mmol_L"]
    for ca in (lo, 1.2, hi):
        s = syndromes.simulate_tetany_axon(ca).summary
        assert s["spikes_per_axon"] == [1] * syndromes.N_AXONS, ca
        assert s["model"].startswith("human axon at 37")


def test_human_nerve_fires_on_its_own_at_or_below_the_urgent_band(human_onsets):
    """Low ionised Ca is treated urgently below 0.8-0.9 mmol/L (reference_sheet): the model's
    spontaneous firing starts at or below that band, and its after-discharges above it."""
    lo, hi = target_band("ionised_calcium_urgent_mmol_L")
    assert human_onsets["spontaneous_mmol_L"] <= hi
    assert human_onsets["after_discharge_mmol_L"] >= lo
    assert syndromes.simulate_tetany_axon(0.6).summary["regime"] == "spontaneous firing"


@pytest.mark.parametrize("ca", [0.9, 0.85])
def test_low_calcium_trains_at_neuromyotonic_rates(ca):
    """Just below the after-discharge onset the human axon's trains run at the rate of
    neuromyotonic discharges, 150-300 Hz (AANEM glossary via reference_sheet; dengler2020) and
    inside the intraburst band of neuromyotonia, 30-300 Hz (maddison2006), where the squid model
    at 6.3 °C gave about 50 Hz."""
    lo, hi = target_band("neuromyotonic_discharge_rate_Hz")
    rate = syndromes.axon_train_rate_Hz(syndromes.human_axon_params(ca_out_mM=ca))
    assert lo <= rate <= hi
    wide = target_band("neuromyotonia_intraburst_rate_Hz")
    assert wide[0] <= rate <= wide[1]


@pytest.mark.xfail(
    strict=True,
    reason=(
        "known model limit: a little further below the onset (0.8 mmol/L) the MRG axon's trains "
        "run at about 340 Hz, above the 300 Hz ceiling of neuromyotonic discharges; MRG's node "
        "recovers faster than human axons (its 400 Hz repetitive firing to a steady current). "
        "The ceiling is borrowed from neuromyotonia: tetany's own EMG sign is doublets and "
        "multiplets, and the only interval for them here (a few to about 20 ms within a group, "
        "reference_sheet, marked unverified) has no primary source read, so it is not used as a "
        "target. Measured at 0.8 mmol/L: a multiplet of 7 spikes, intervals 2.6-3.7 ms (339 Hz)"
    ),
)
def test_low_calcium_trains_stay_below_300_Hz_at_0_8():
    hi = target_band("neuromyotonic_discharge_rate_Hz")[1]
    assert syndromes.axon_train_rate_Hz(syndromes.human_axon_params(ca_out_mM=0.8)) <= hi


def test_gaines_axon_has_no_calcium_onset():
    """The Gaines human motor set fires no after-discharges and never on its own down to
    0.25 mmol/L with the same screening law: why the calcium syndrome runs on MRG."""
    on = syndromes.axon_calcium_onsets("gaines_motor", tol=5e-3)
    assert math.isnan(on["after_discharge_mmol_L"]) and math.isnan(on["spontaneous_mmol_L"])


@pytest.mark.xfail(
    strict=True,
    reason=(
        "known model limit: removing every fast K+ (Kv1) channel of the Gaines human motor axon "
        "(g_kf_scale 0, node and internode) leaves one spike per stimulus and no discharge at "
        "all, so the 150-300 Hz neuromyotonic discharges (dengler2020; maddison2006) are not "
        "reproduced. Measured (10 um, 7 nodes, the test pulse of axon_fires_after_pulse): the "
        "rest stays at -85.94 mV and the depolarising afterpotential only doubles (+1.5 -> +3.0 mV "
        "at 2 ms, +1.3 -> +2.0 mV at 3 ms; MRG +4.9 and +4.0 mV), far below threshold; the 21-node "
        "recovery cycle (1.5-8 ms) keeps no superexcitability (least threshold change +3.5 % with "
        "and without Kv1). Still one spike with the nodal and internodal slow K+ removed as well (g_ks_scale "
        "0), with Kv1 loss at ionised Ca down to 0.15 mmol/L, cooled to 20 C, and with the distal internode's "
        "myelin thinned 33-fold to expose its Kv1 (an exploratory change, not in the API). "
        "glasscock2012 saw the same in Kv1.1-null myelinated axons (spikes and refractoriness "
        "nearly normal; ectopic firing needed a further K+ block); the discharges are thought to "
        "start in the distal motor nerve and its terminals (watanabe2013), which are not modelled"
    ),
)
def test_kv1_loss_gives_neuromyotonic_discharges():
    lo, hi = target_band("neuromyotonic_discharge_rate_Hz")
    s = syndromes.simulate_neuromyotonia_axon(0.0).summary
    assert s["axons_after_discharging"] > 0 and lo <= s["train_rate_Hz"] <= hi


def test_kv1_loss_alone_leaves_the_human_nerve_quiet():
    """Kv1.1-null myelinated axons fire single spikes of nearly normal shape and refractoriness;
    ectopic firing needed a further K⁺ block (glasscock2012): Kv1 loss alone leaves the human
    nerve firing once per stimulus."""
    for f in (1.0, 0.0):
        s = syndromes.simulate_neuromyotonia_axon(f).summary
        assert s["spikes_per_axon"] == [1] * syndromes.N_AXONS
    with pytest.raises(ParameterError, match="kv1_fraction"):
        syndromes.simulate_neuromyotonia_axon(1.5)


def test_distal_end_fires_first_and_its_spikes_travel_back():
    """A fasciculation starts mostly in the distal motor axon (decarvalho2013): the sealed
    distal end of the human axon needs less current than a middle node, and with noise it fires
    sporadically; every ectopic spike reaches the proximal end."""
    quiet = syndromes.distal_ectopic_firing(sigma_nA=0.0)
    assert quiet["rheobase_distal_nA"] < quiet["rheobase_middle_nA"]
    assert quiet["n_spikes"] == 0
    noisy = syndromes.distal_ectopic_firing(sigma_nA=0.05)
    assert noisy["n_spikes"] >= 3
    assert noisy["reached_proximal"] == noisy["n_spikes"]
    assert noisy["isi_cv"] > 0.3  # irregular, not a pacemaker


def test_fasciculation_panel_default_is_the_clinical_rate():
    lo, hi = target_band("fasciculation_rate_per_muscle_Hz")
    assert lo <= muscle.FASCICULATION_RATE_HZ <= hi

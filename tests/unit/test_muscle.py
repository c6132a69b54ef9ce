"""utils.muscle against REFERENCE.md §4 (Fuglevand 1993 pool) and §5 (clinical patterns).

Every expected number below is a published or reference-sheet value; the code computes the
other side (nothing here was pasted from the code's own output).
"""

import csv
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from utils import ParameterError
from utils import muscle as m

DATA = Path(__file__).resolve().parents[2] / "data"


# ---------------------------------------------------------------- twitch kernel (§4.3)


@pytest.mark.parametrize("T_ms, P", [(90.0, 1.0), (30.0, 100.0), (52.0, 7.5)])
def test_kernel_peaks_at_T_with_value_P(T_ms, P):
    t = np.linspace(0, 10 * T_ms, 200_001)
    f = m.twitch_kernel(t, P=P, T_ms=T_ms)
    assert t[np.argmax(f)] == pytest.approx(T_ms, rel=1e-4)
    assert f.max() == pytest.approx(P, rel=1e-9)
    assert m.twitch_kernel(T_ms, P=P, T_ms=T_ms) == pytest.approx(P)
    assert m.twitch_kernel(-5.0, P=P, T_ms=T_ms) == 0.0


@pytest.mark.parametrize("T_ms", [30.0, 60.0, 90.0])
def test_twitch_properties_half_relaxation_1_678_T(T_ms):
    p = m.twitch_properties(T_ms, P=3.0)
    assert p.time_to_peak_ms == pytest.approx(T_ms, rel=1e-6)
    assert p.peak_force_au == pytest.approx(3.0, rel=1e-9)
    assert p.half_relaxation_ms == pytest.approx(1.678 * T_ms, rel=5e-4)  # REFERENCE §4.3
    assert p.half_rise_ms == pytest.approx(0.232 * T_ms, rel=5e-3)  # REFERENCE §4.3
    assert p.half_width_ms == pytest.approx(p.half_relaxation_ms + p.time_to_peak_ms - p.half_rise_ms)


def test_summation_gain_definition():
    # g = 1 up to r = 0.4, then [(1 − e^(−2r³))/r] / 0.300 (REFERENCE §4.3)
    T = 60.0
    assert m.summation_gain(T, T / 0.4) == pytest.approx(1.0)
    assert m.summation_gain(T, np.inf) == 1.0
    r = np.array([0.5, 1.0, 2.0, 5.0])
    expected = (1 - np.exp(-2 * r**3)) / r / 0.300
    assert m.summation_gain(T, T / r) == pytest.approx(expected, rel=2e-3)
    assert m.summation_gain(T, 0.0) == pytest.approx(0.0, abs=1e-4)


# ---------------------------------------------------------------- force–rate (§4.2, §4.3)


def _mean_force(rate_Hz, T_ms, duration_s=20.0):
    """Mean force of a long periodic train (second half: steady state), by time simulation."""
    tr = m.periodic_force(rate_Hz, T_ms=T_ms, duration_s=duration_s)
    return tr.force_au[tr.force_au.size // 2 :].mean()


@pytest.fixture(scope="module")
def plateaus():
    # high-rate plateau: r = T·rate = 6, where 1 − e^(−2r³) = 1 to machine precision
    return {T: _mean_force(6000.0 / T, T) for T in (30.0, 90.0)}


@pytest.mark.parametrize(
    "T_ms, target, expected_Hz",
    [
        (90.0, 0.50, 7.8),  # half-maximal force, REFERENCE §4.3 table
        (30.0, 0.50, 23.4),
        (90.0, 0.95, 12.7),
        (30.0, 0.95, 38.1),
    ],
)
def test_force_rate_curve_by_simulation(plateaus, T_ms, target, expected_Hz):
    rate = brentq(lambda f: _mean_force(f, T_ms) / plateaus[T_ms] - target, 2.0, 100.0, xtol=1e-3)
    assert rate == pytest.approx(expected_Hz, abs=0.06)
    if target == 0.5:
        assert rate * T_ms / 1000 == pytest.approx(0.702, abs=0.002)


@pytest.mark.parametrize("T_ms", [30.0, 90.0])
def test_simulated_curve_follows_1_minus_exp_2r3(plateaus, T_ms):
    for r in (0.5, 0.7, 1.0, 1.5, 2.5):
        rate = 1000.0 * r / T_ms
        assert _mean_force(rate, T_ms) / plateaus[T_ms] == pytest.approx(1 - math.exp(-2 * r**3), abs=0.005)


def test_force_rate_curve_table_agrees_with_simulation(plateaus):
    rates = np.array([3.0, 7.8, 12.7, 20.0, 40.0])
    c = m.force_rate_curve(rates, T_ms=90.0, P=1.0)
    sims = np.array([_mean_force(f, 90.0) for f in rates])
    assert c["mean_force_au"].to_numpy() == pytest.approx(sims, rel=3e-3)
    assert c["normalised_force"].to_numpy() == pytest.approx(sims / plateaus[90.0], rel=3e-3)
    assert np.all(np.diff(c["mean_force_au"]) > 0)
    assert np.all(np.diff(c["fusion_index"]) > 0)
    # peak and trough of the exact periodic solution bracket the simulated steady state
    tr = m.periodic_force(12.7, T_ms=90.0, duration_s=10.0, fs_Hz=10_000)
    tail = tr.force_au[tr.force_au.size // 2 :]
    assert tail.max() == pytest.approx(c["peak_force_au"][2], rel=1e-3)
    assert tail.min() == pytest.approx(c["trough_force_au"][2], rel=1e-3)


@pytest.mark.parametrize("T_ms", [30.0, 60.0, 90.0])
def test_twitch_to_tetanus_ratio(plateaus, T_ms):
    twitch = m.spike_train_force([0.0], T_ms=T_ms, duration_s=2.0, fs_Hz=10_000).force_au.max()
    tet = plateaus.get(T_ms) or _mean_force(6000.0 / T_ms, T_ms)
    assert twitch / tet == pytest.approx(0.11, abs=0.01)  # REFERENCE §4.2/4.3
    assert tet == pytest.approx(m.tetanic_force_au(1.0), rel=1e-3)


def test_force_engine_matches_direct_sum_of_kernels():
    """The recursive engine against a direct sum of gain-scaled kernels (independent oracle)."""
    rng = np.random.default_rng(0)
    sp = np.sort(rng.uniform(0, 900, 25))
    T, P = 45.0, 2.0
    tr = m.spike_train_force(sp, T_ms=T, P=P, duration_s=1.2, fs_Hz=2000)
    isi = np.diff(sp)
    r = T / isi
    g = np.where(r <= 0.4, 1.0, (1 - np.exp(-2 * r**3)) / r / ((1 - np.exp(-0.128)) / 0.4))
    g = np.concatenate([[1.0], g])  # first spike: no previous interval
    direct = sum(gk * m.twitch_kernel(tr.t_ms - s, P=P, T_ms=T) for gk, s in zip(g, sp))
    assert tr.force_au == pytest.approx(direct, rel=1e-9, abs=1e-12)
    lin = m.spike_train_force(sp, T_ms=T, P=P, duration_s=1.2, fs_Hz=2000, nonlinear=False)
    direct_lin = sum(m.twitch_kernel(lin.t_ms - s, P=P, T_ms=T) for s in sp)
    assert lin.force_au == pytest.approx(direct_lin, rel=1e-9, abs=1e-12)


def test_periodic_force_train_stops():
    tr = m.periodic_force(20.0, T_ms=60.0, duration_s=2.0, train_s=0.5)
    assert tr.spike_times_ms.max() <= 500.0
    assert tr.force_au[-1] < 1e-3 * tr.force_au.max()


# ---------------------------------------------------------------- fusion and classifier


def test_fusion_index_and_ripple_definitions():
    assert m.fusion_index([0.0, 1.0, 0.0, 1.0]) == 0.0
    assert m.fusion_index([5.0, 5.0, 5.0]) == 1.0
    assert m.fusion_index([9.0, 10.0]) == pytest.approx(0.9)
    assert m.ripple_ratio([9.0, 11.0]) == pytest.approx(0.2)
    with pytest.raises(ParameterError, match="force_au"):
        m.fusion_index([0.0, 0.0])


@pytest.mark.parametrize(
    "spikes_ms, expected",
    [
        ([], "rest"),
        ([100.0], "single twitch"),
        (np.arange(5) * 600.0, "single twitch"),  # 1.7 Hz, T = 90: twitches relax fully
        ([100.0, 160.0], "summation"),  # second twitch on top of the first
        ([100.0, 140.0, 180.0], "summation"),
        (np.arange(20) * 200.0, "unfused tetanus"),  # 5 Hz: twitches begin to fuse (thomas1991)
        (np.arange(24) * 125.0, "unfused tetanus"),  # 8 Hz ≈ half-maximal force, still ripples
        (np.arange(80) * 25.0, "fused tetanus"),  # 40 Hz
        (np.arange(150) * 20.0, "fused tetanus"),  # 50 Hz
    ],
)
def test_classifier_on_constructed_trains(spikes_ms, expected):
    tr = m.spike_train_force(spikes_ms, T_ms=90.0, duration_s=4.0)
    assert m.classify_contraction(tr.force_au, spikes_ms) == expected


def test_classifier_fast_unit_needs_higher_rate():
    # T = 30 ms: 20 Hz (r = 0.6) is unfused; 100 Hz (r = 3) is fused
    for rate, label in [(20.0, "unfused tetanus"), (100.0, "fused tetanus")]:
        tr = m.periodic_force(rate, T_ms=30.0, duration_s=2.0)
        assert m.classify_contraction(tr.force_au, tr.spike_times_ms) == label


# ---------------------------------------------------------------- the pool (§4.3, §4.4)


def test_pool_parameters_match_reference():
    pool = m.make_pool()
    assert pool.n_units == 120
    assert pool.recruitment_threshold[0] == pytest.approx(1.029, abs=5e-4)
    assert pool.recruitment_threshold[-1] == pytest.approx(30.0, rel=1e-12)
    assert pool.peak_twitch_au[0] == pytest.approx(1.04, abs=5e-3)
    assert pool.peak_twitch_au[-1] == pytest.approx(100.0)
    assert pool.contraction_time_ms[0] == pytest.approx(89.2, abs=0.05)
    assert pool.contraction_time_ms[-1] == pytest.approx(30.0)
    assert pool.excitation_max == pytest.approx(57.0)
    assert np.all(np.diff(pool.recruitment_threshold) > 0)  # size principle: small first
    assert np.all(np.diff(pool.peak_twitch_au) > 0)
    assert np.all(np.diff(pool.contraction_time_ms) < 0)  # later units are faster
    assert m.make_pool(peak_rate_drop_Hz=10.0).excitation_max == pytest.approx(47.0)
    assert m.make_pool() is pool  # cached


def test_recruitment_all_units_at_excitation_30():
    assert m.recruited_count(30.0) == 120
    assert m.recruited_count(29.9) == 119
    assert m.recruited_count(1.0) == 0
    assert m.recruited_count(1.03) == 1
    assert list(m.recruited_count(np.array([0.0, 30.0, 57.0]))) == [0, 120, 120]


def test_firing_rates_rule():
    fr = m.firing_rates_Hz(10.0)
    pool = m.make_pool()
    on = pool.recruitment_threshold <= 10.0
    assert np.all(fr[~on] == 0)
    assert fr[on] == pytest.approx(np.minimum(10.0 - pool.recruitment_threshold[on] + 8, 35))
    assert np.all(m.firing_rates_Hz(57.0) == pytest.approx(35.0))
    assert fr.min(where=on, initial=99) >= 8.0


def test_steady_force_54_percent_at_excitation_30():
    pool = m.make_pool()
    assert m.steady_force_au(30.0) / pool.max_force_au == pytest.approx(0.54, abs=0.01)
    e = np.linspace(0, 57, 200)
    assert np.all(np.diff(m.steady_force_au(e)) >= 0)


def test_pool_force_rises_monotonically_with_excitation():
    means = [
        m.simulate_pool(e, duration_s=3.0, seed=7).force_au[1000:].mean()
        for e in (0, 2, 5, 10, 15, 20, 30, 40, 50, 57)
    ]
    assert means[0] == 0.0
    assert np.all(np.diff(means) > 0)


def test_pool_simulation_rates_and_raster():
    act = m.simulate_pool(20.0, duration_s=5.0, seed=3)
    pool = act.pool
    counts = act.spike_counts()
    expected = m.firing_rates_Hz(20.0)
    on = expected > 0
    assert np.all(counts[~on] == 0)
    # every recruited unit's mean rate within 15 % of FR(E) (random phase, CV 0.2)
    assert counts[on] / 5.0 == pytest.approx(expected[on], rel=0.15)
    assert act.t_ms.size == 5000 and act.force_au.size == 5000
    assert np.all(np.isfinite(act.force_au)) and act.force_au.min() >= 0
    assert set(np.unique(act.spike_unit)) <= set(pool.unit)
    # ISI statistics: CV ≈ 0.2 for a steadily firing unit
    for u in (10, 60, 100):
        isi = np.diff(act.spike_times_ms[act.spike_unit == u])
        assert isi.std() / isi.mean() == pytest.approx(0.2, abs=0.06)
    # force agrees with the mean-rate approximation within 10 %
    assert act.force_au[1000:].mean() == pytest.approx(m.steady_force_au(20.0), rel=0.1)


def test_pool_reproducible_with_seed():
    a = m.simulate_pool(25.0, 2.0, seed=11)
    b = m.simulate_pool(25.0, 2.0, seed=11)
    c = m.simulate_pool(25.0, 2.0, seed=12)
    assert np.array_equal(a.spike_times_ms, b.spike_times_ms)
    assert np.array_equal(a.force_au, b.force_au)
    assert not np.array_equal(a.force_au, c.force_au)


def test_pool_time_varying_excitation_and_unit_drive():
    n = 2000
    ex = np.where(np.arange(n) < 1000, 0.0, 20.0)
    act = m.simulate_pool(ex, duration_s=2.0, seed=1)
    assert act.force_au[:1000].max() == 0.0
    assert act.spike_times_ms.min() >= 1000.0
    drive = np.zeros(120)
    drive[:10] = 1.0
    act = m.simulate_pool(57.0, duration_s=1.0, seed=1, unit_drive=drive)
    assert act.spike_unit.max() <= 10


def test_pool_zero_cv_is_periodic():
    act = m.simulate_pool(20.0, 2.0, seed=0, isi_cv=0.0)
    isi = np.diff(act.spike_times_ms[act.spike_unit == 1])
    assert isi == pytest.approx(1000.0 / m.firing_rates_Hz(20.0)[0])


# ---------------------------------------------------------------- named patterns (§5)


def test_registry_lists_every_pattern_with_plain_labels():
    keys = {"voluntary", "fasciculation", "myokymia", "cramp", "tetany", "myoclonus", "tremor"}
    assert set(m.PATTERNS) == keys
    opts = m.pattern_options()
    assert {k for _, k in opts} == keys
    from utils import references

    known = references.load()
    for p in m.PATTERNS.values():
        assert p.label and p.summary and p.sources
        assert all(s in known for s in p.sources), p.key
        assert p.simulate.__doc__
    with pytest.raises(ParameterError, match="key"):
        m.simulate_pattern("hiccup")


@pytest.mark.parametrize("key", sorted(m.PATTERNS))
def test_patterns_reproducible_and_seed_dependent(key):
    a = m.simulate_pattern(key, seed=1, duration_s=2.0)
    b = m.simulate_pattern(key, seed=1, duration_s=2.0)
    c = m.simulate_pattern(key, seed=2, duration_s=2.0)
    assert np.array_equal(a.spike_times_ms, b.spike_times_ms)
    assert np.array_equal(a.force_au, b.force_au)
    assert not (
        np.array_equal(a.spike_times_ms, c.spike_times_ms) and np.array_equal(a.spike_unit, c.spike_unit)
    )
    assert a.key == key and a.label == m.PATTERNS[key].label
    assert np.all(np.isfinite(a.force_au)) and a.force_au.min() >= 0
    assert a.spike_unit.size == a.spike_times_ms.size
    assert len(a.raster()) == a.n_spikes


def test_fasciculation_rate_and_dead_time_over_600_s():
    act = m.fasciculation(rate_Hz=0.3, duration_s=600.0, seed=0)
    rate = act.n_spikes / 600.0
    assert rate == pytest.approx(0.3, rel=0.2)  # decarvalho2016
    assert np.diff(act.spike_times_ms).min() >= 3.0  # kleine2008 dead time
    assert np.unique(act.spike_unit).size == 1  # one unit


def test_fasciculation_dead_time_respected_at_high_rate():
    act = m.fasciculation(rate_Hz=40.0, dead_time_ms=10.0, duration_s=30.0, seed=4)
    isi = np.diff(act.spike_times_ms)
    assert isi.min() >= 10.0
    assert act.n_spikes / 30.0 == pytest.approx(40.0, rel=0.1)


def test_myokymia_bursts_of_one_unit():
    act = m.myokymia(intraburst_rate_Hz=40.0, spikes_per_burst=6, burst_period_s=0.8, duration_s=8.0, seed=0)
    assert np.unique(act.spike_unit).size == 1
    isi = np.diff(act.spike_times_ms)
    short = isi < 100
    assert np.median(isi[short]) == pytest.approx(25.0, rel=0.15)  # 40 Hz inside a group
    assert np.median(isi[~short]) == pytest.approx(800 - 5 * 25, rel=0.25)  # silences
    groups = np.split(act.spike_times_ms, np.flatnonzero(~short) + 1)
    assert all(len(g) <= 6 for g in groups) and np.median([len(g) for g in groups]) == 6


def test_cramp_group_fast_sustained_then_released():
    act = m.cramp(duration_s=6.0, seed=0, n_units=40)
    assert np.unique(act.spike_unit).size <= 40
    assert set(np.unique(act.spike_unit)) <= set(act.settings["group_units"])
    t, F = act.t_ms, act.force_au
    hold = (t > 1500) & (t < 3800)
    before = t < 550
    after = t > 5800
    assert F[before].max() == 0.0
    assert F[after].mean() < 0.1 * F[hold].mean()
    # group units fire near their peak rate while held
    in_hold = (act.spike_times_ms > 1500) & (act.spike_times_ms < 3800)
    rates = np.bincount(act.spike_unit[in_hold], minlength=121)[act.settings["group_units"]] / 2.3
    assert np.median(rates) == pytest.approx(35.0, rel=0.15)
    assert F[hold].min() > 0.6 * F[hold].mean()  # sustained, no relaxation while held


def test_tetany_doublets_and_multiplets():
    act = m.tetany(duration_s=20.0, seed=0)
    for u in np.unique(act.spike_unit):
        isi = np.diff(act.spike_times_ms[act.spike_unit == u])
        intra = isi[isi < 50]
        assert intra.size > 0
        assert intra.min() >= 4.0 and intra.max() <= 20.0
        assert np.all(isi[isi >= 50] >= 100.0)  # groups are separate


def test_myoclonus_one_synchronous_burst():
    act = m.myoclonus(duration_s=1.0, burst_ms=30.0, seed=0)
    on = act.settings["onset_s"] * 1000.0
    assert act.spike_times_ms.min() >= on
    assert act.spike_times_ms.max() < on + 30.0
    first = np.array([act.spike_times_ms[act.spike_unit == u].min() for u in np.unique(act.spike_unit)])
    assert np.unique(act.spike_unit).size == 120  # the whole pool
    assert np.ptp(first) <= 1.0  # synchronous within a sample
    t_peak = act.t_ms[np.argmax(act.force_au)]
    assert on < t_peak < on + 150


@pytest.mark.parametrize("freq", [4.0, 6.0, 10.0])
def test_tremor_force_oscillates_at_tremor_frequency(freq):
    act = m.tremor(frequency_Hz=freq, duration_s=4.0, seed=0)
    F = act.force_au[1000:] - act.force_au[1000:].mean()
    spec = np.abs(np.fft.rfft(F * np.hanning(F.size)))
    f_axis = np.fft.rfftfreq(F.size, d=1e-3)
    band = f_axis > 1.5
    assert f_axis[band][np.argmax(spec[band])] == pytest.approx(freq, abs=0.5)


def test_voluntary_is_smooth_compared_with_fasciculation():
    vol = m.voluntary(excitation=20.0, duration_s=3.0, seed=0)
    assert m.ripple_ratio(vol.force_au[1000:]) < 0.3
    fas = m.fasciculation(duration_s=30.0, seed=0)
    assert fas.force_au.max() < 0.01 * vol.force_au.mean()


# ---------------------------------------------------------------- the parameter table


def test_parameter_table_matches_module_defaults():
    with open(DATA / "muscle_parameters.csv", newline="", encoding="utf-8") as fh:
        rows = {r["name"]: r for r in csv.DictReader(ln for ln in fh if not ln.startswith("#"))}
    p = m.PoolParameters()
    for name in (
        "n_units",
        "recruitment_range",
        "force_range",
        "T_longest_ms",
        "contraction_time_range",
        "min_rate_Hz",
        "peak_rate_Hz",
        "peak_rate_drop_Hz",
        "excitation_gain_Hz",
        "isi_cv",
        "isi_z_max",
    ):
        assert float(rows[name]["value"]) == pytest.approx(getattr(p, name)), name
    consts = {k: getattr(m, k) for k in rows if hasattr(m, k)}
    assert len(consts) >= 15
    for k, v in consts.items():
        assert float(rows[k]["value"]) == pytest.approx(v), k
    assert (
        float(rows["TETANY_INTERVAL_LOW_MS"]["value"]),
        float(rows["TETANY_INTERVAL_HIGH_MS"]["value"]),
    ) == m.TETANY_INTERVAL_MS
    # derived rows, recomputed
    assert float(rows["excitation_max"]["value"]) == pytest.approx(m.make_pool().excitation_max)
    tp = m.twitch_properties(90.0)
    assert float(rows["half_relaxation_factor"]["value"]) == pytest.approx(
        tp.half_relaxation_ms / 90.0, abs=5e-4
    )
    assert float(rows["twitch_tetanus_ratio"]["value"]) == pytest.approx(
        1.0 / m.tetanic_force_au(1.0), abs=5e-4
    )
    for row in rows.values():
        assert row["unit"] and row["meaning"] and row["source"]


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: m.periodic_force(0.0), "rate_Hz"),
        (lambda: m.periodic_force(-3.0), "rate_Hz"),
        (lambda: m.periodic_force(float("nan")), "rate_Hz"),
        (lambda: m.periodic_force(10.0, duration_s=601.0), "duration_s"),
        (lambda: m.simulate_pool(10.0, duration_s=1e4), "duration_s"),
        (lambda: m.simulate_pool(10.0, duration_s=0.0), "duration_s"),
        (lambda: m.simulate_pool(-1.0), "excitation"),
        (lambda: m.simulate_pool(np.ones(10), duration_s=1.0), "excitation"),
        (lambda: m.simulate_pool(10.0, seed=-1), "seed"),
        (lambda: m.simulate_pool(10.0, seed=1.5), "seed"),
        (lambda: m.simulate_pool(10.0, isi_cv=-0.1), "isi_cv"),
        (lambda: m.simulate_pool(10.0, unit_drive=np.ones(3)), "unit_drive"),
        (lambda: m.simulate_pool(10.0, pool="big"), "pool"),
        (lambda: m.make_pool(n_units=0), "n_units"),
        (lambda: m.make_pool(isi_cv=-0.2), "isi_cv"),
        (lambda: m.make_pool(min_rate_Hz=0.0), "min_rate_Hz"),
        (lambda: m.make_pool(peak_rate_Hz=5.0), "peak_rate_Hz"),
        (lambda: m.twitch_kernel([0.0, 1.0], T_ms=0.0), "T_ms"),
        (lambda: m.twitch_kernel([0.0, np.inf]), "t_ms"),
        (lambda: m.spike_train_force([-1.0]), "spike_times_ms"),
        (lambda: m.spike_train_force([2000.0], duration_s=1.0), "spike_times_ms"),
        (lambda: m.spike_train_force([1.0], fs_Hz=50.0), "fs_Hz"),
        (lambda: m.force_rate_curve([10.0, 0.0]), "rates_Hz"),
        (lambda: m.fasciculation(rate_Hz=0.0), "rate_Hz"),
        (lambda: m.fasciculation(unit=121), "unit"),
        (lambda: m.myokymia(intraburst_rate_Hz=100.0), "intraburst_rate_Hz"),
        (lambda: m.myokymia(burst_period_s=0.05), "burst_period_s"),
        (lambda: m.cramp(n_units=0), "n_units"),
        (lambda: m.tetany(multiplet_probs=(0.5, 0.5, 0.5)), "multiplet_probs"),
        (lambda: m.myoclonus(burst_ms=500.0), "burst_ms"),
        (lambda: m.tremor(frequency_Hz=50.0), "frequency_Hz"),
        (lambda: m.summation_gain(50.0, -1.0), "isi_ms"),
        (lambda: m.classify_contraction([0.0, 1.0], [5000.0]), "spike_times_ms"),
    ],
)
def test_bad_input_refused_with_named_parameter(call, match):
    with pytest.raises(ParameterError, match=match):
        call()


def test_error_message_names_unit_and_range():
    with pytest.raises(ParameterError) as e:
        m.periodic_force(10.0, duration_s=900.0)
    msg = str(e.value)
    assert "duration_s" in msg and " s" in msg and "600" in msg


bad_numbers = st.one_of(
    st.floats(max_value=0.0, allow_nan=False),
    st.just(float("nan")),
    st.just(float("inf")),
    st.just(-float("inf")),
)


@settings(max_examples=60)
@given(rate=bad_numbers)
def test_property_nonpositive_or_nonfinite_rate_refused(rate):
    with pytest.raises(ParameterError, match="rate_Hz"):
        m.periodic_force(rate)


@settings(max_examples=60)
@given(d=st.one_of(st.floats(min_value=600.0001, max_value=1e12), bad_numbers))
def test_property_duration_outside_cap_refused(d):
    with pytest.raises(ParameterError, match="duration_s"):
        m.simulate_pool(10.0, duration_s=d)


@settings(max_examples=40)
@given(n=st.integers(max_value=0), cv=st.floats(max_value=-1e-9, allow_nan=False))
def test_property_pool_size_and_cv_refused(n, cv):
    with pytest.raises(ParameterError, match="n_units"):
        m.make_pool(n_units=n)
    with pytest.raises(ParameterError, match="isi_cv"):
        m.make_pool(isi_cv=cv)


@settings(max_examples=40)
@given(rate=st.floats(min_value=0.1, max_value=500.0), T=st.floats(min_value=1.0, max_value=1000.0))
def test_property_periodic_force_finite_and_bounded(rate, T):
    tr = m.periodic_force(rate, T_ms=T, duration_s=0.5)
    assert np.all(np.isfinite(tr.force_au)) and tr.force_au.min() >= 0
    # never above the larger of one twitch and the tetanic limit (plus ripple margin)
    assert tr.force_au.max() <= 1.5 * max(1.0, m.tetanic_force_au(1.0))


@settings(max_examples=30)
@given(
    ex=st.lists(st.floats(min_value=0.0, max_value=200.0), min_size=1, max_size=8),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_property_pool_force_finite_for_any_valid_excitation(ex, seed):
    trace = np.repeat(np.asarray(ex), int(np.ceil(500 / len(ex))))[:500]
    act = m.simulate_pool(trace, duration_s=0.5, seed=seed, pool=m.make_pool(n_units=30))
    assert np.all(np.isfinite(act.force_au)) and act.force_au.min() >= 0
    for u in np.unique(act.spike_unit):  # never faster than the 3 ms refractory floor
        assert np.all(np.diff(act.spike_times_ms[act.spike_unit == u]) >= m.MIN_ISI_MS - 1e-9)

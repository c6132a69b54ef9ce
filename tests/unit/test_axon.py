"""utils.axon: the MRG 2002 / Gaines 2018 motor axon against published targets.

Expected numbers come from ``data/axon_targets.csv`` (each row with its source and the band a test
accepts), never from the model's own output. Runs use the published 21 nodes unless a test says
otherwise.
"""

import doctest
import math

import numpy as np
import pytest

from utils import ParameterError, axon, hh
from utils.sources.tables import read_table

TARGETS = {r["name"]: r for r in read_table("axon_targets.csv")}
MRG = axon.AxonParams()
GAINES = axon.AxonParams(variant="gaines_motor")


def band(name):
    r = TARGETS[name]
    return float(r["low"]), float(r["high"])


# ------------------------------------------------------------------------------------------
# Conduction velocity
# ------------------------------------------------------------------------------------------

DIAMETERS = (5.7, 7.3, 8.7, 10.0, 11.5, 12.8, 14.0, 15.0, 16.0)


@pytest.fixture(scope="module")
def cv_curves():
    return {
        v: np.array(
            [
                axon.conduction_velocity_m_per_s(axon.AxonParams(variant=v, fibre_diameter_um=d))
                for d in DIAMETERS
            ]
        )
        for v in axon.VARIANTS
    }


@pytest.mark.parametrize("variant", axon.VARIANTS)
def test_cv_rises_with_diameter_at_hursh_like_slope(cv_curves, variant):
    """CV rises monotonically with D, with a slope in the Hursh-factor band (hursh1939)."""
    cv = cv_curves[variant]
    assert np.all(np.diff(cv) > 0)
    slope = np.polyfit(DIAMETERS, cv, 1)[0]
    lo, hi = band("cv_per_um_hursh")
    assert lo <= slope <= hi, slope


@pytest.mark.parametrize("variant", axon.VARIANTS)
def test_cv_crosses_median_motor_range(cv_curves, variant):
    """Median motor NCV 61.5 ± 7.0 m/s (koreamed_ncv_normal) is reached at some diameter of the
    published range, and the diameter that gives the mean lies strictly inside it. (Clinical NCV
    is measured in a limb nerve cooler than 37 °C; the model's 14–16 µm fibres conduct at
    75–95 m/s, above the band: see the module's limitations.)"""
    cv = cv_curves[variant]
    lo, hi = band("median_motor_ncv")
    assert np.any((cv >= lo) & (cv <= hi))
    mean = float(TARGETS["median_motor_ncv"]["value"])
    d_mean = float(np.interp(mean, cv, DIAMETERS))
    assert DIAMETERS[0] < d_mean < DIAMETERS[-1]


def test_fewer_nodes_change_cv_only_modestly():
    """11 nodes give a CV within 5 % of 21 nodes (end effects; module docstring)."""
    cv21 = axon.conduction_velocity_m_per_s(MRG)
    cv11 = axon.conduction_velocity_m_per_s(MRG.replace(n_nodes=11))
    assert abs(cv11 / cv21 - 1) < 0.05


def test_demyelination_slows_then_blocks():
    cv = [
        axon.conduction_velocity_m_per_s(MRG.replace(n_nodes=11, myelin_lamellae_scale=f)) for f in (1.0, 0.3)
    ]
    assert cv[1] < cv[0]
    with pytest.raises(axon.SimulationError, match="conduction block|no impulse"):
        axon.conduction_velocity_m_per_s(MRG.replace(n_nodes=11, myelin_lamellae_scale=0.02, g_naf_scale=0.3))


# ------------------------------------------------------------------------------------------
# Recovery cycle
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rc_mrg():
    return axon.recovery_cycle(MRG)


def test_absolute_refractory_period_matches_paired_shocks(rc_mrg):
    """First test response at 1.16 ± 0.18 ms in human ulnar nerve (kimura1978)."""
    lo, hi = band("nerve_first_test_response_ms")
    assert lo <= rc_mrg.absolute_refractory_ms <= hi


def test_refractoriness_is_over_when_nerve_amplitude_has_recovered(rc_mrg):
    """Response amplitude > 95 % by 2.11 ± 0.50 ms (kimura1978): from mean + 3 SD until the late
    subexcitable phase (≥ 10 ms, a different mechanism) the threshold is within +10 % of
    control, and it is raised at the shortest interval."""
    iv = np.array(rc_mrg.intervals_ms)
    ch = np.array(rc_mrg.threshold_change_percent)
    t_end = band("nerve_amplitude_recovered_ms")[1]
    sel = (iv >= t_end) & (iv < 10.0)
    assert sel.any() and np.all(ch[sel] < 10.0)
    assert ch[0] > 0


def test_superexcitability_size_and_timing(rc_mrg):
    """MRG's DAP gives threshold about 20–25 % below control at 3–7 ms (human_models_sheet)."""
    lo, hi = band("superexcitability_percent")
    assert lo <= rc_mrg.superexcitability_percent <= hi
    t_lo, t_hi = band("superexcitability_interval_ms")
    assert t_lo <= rc_mrg.superexcitability_ms <= t_hi


def test_late_subexcitability_timing(rc_mrg):
    """Slow K⁺ gives threshold above control at about 15–50 ms (human_models_sheet)."""
    t_lo, t_hi = band("late_subexcitability_interval_ms")
    assert rc_mrg.subexcitability_percent > 0
    assert t_lo <= rc_mrg.subexcitability_ms <= t_hi


def test_gaines_motor_shows_little_superexcitability():
    """HUMAN_MODELS §2.0: the Gaines motor set, injected at one node, shows little
    superexcitability; it is far smaller than MRG's."""
    rc = axon.recovery_cycle(GAINES, intervals_ms=(2.5, 3.2, 4.0, 5.0, 6.3))
    rc_m = axon.recovery_cycle(MRG, intervals_ms=(2.5, 3.2, 4.0, 5.0, 6.3))
    assert min(rc.threshold_change_percent) > min(rc_m.threshold_change_percent) + 10


IV_SHORT = (1.5, 2.0, 2.5, 3.2, 4.0, 5.0, 6.3, 8.0)


def test_hyperkalaemia_more_refractoriness_gaines():
    """Hyperkalaemic axons are more refractory (krishnan2005): Gaines motor set, [K]o 6 against
    4 mM (a pre-dialysis level): the node depolarises and the threshold at 2 ms rises."""
    assert int(TARGETS["hyperkalaemia_refractoriness"]["value"]) == 1
    normal = axon.recovery_cycle(GAINES, intervals_ms=IV_SHORT)
    high = axon.recovery_cycle(GAINES.replace(k_out_mM=6.0), intervals_ms=IV_SHORT)
    assert high.refractoriness_percent > normal.refractoriness_percent
    assert high.absolute_refractory_ms > normal.absolute_refractory_ms
    assert axon.resting_state(GAINES.replace(k_out_mM=6.0)).v_mV[10] > axon.resting_state(GAINES).v_mV[10]


@pytest.mark.xfail(
    strict=True,
    reason=(
        "known model failure, not a departure from the source: AXNODE.mod (mcintyre2002_code) sets ek "
        "and el as two separate constants (both -90 mV, no USEION k), so nothing in MRG follows [K]o; "
        "our Nernst E_K is the addition. Holding the node leak at -90 mV (only E_K of the slow K+ "
        "channel following [K]o) the superexcitability still grows, -20.5 % at 4 mM to -39.8 % at 5 mM "
        "(with the leak following E_K: -20 % to -64 %): the less negative E_K weakens the only nodal "
        "K+ current (slow, Kv7-like), which deepens the depolarising afterpotential; krishnan2005 saw "
        "the opposite in hyperkalaemic patients. The Bostock account (paranodal fast K+ activated by "
        "the depolarisation curtails the afterpotential) needs a fast K+ that MRG lacks. Checked: "
        "(1) MRG's internodal e_pas (-80 mV, a leak that is not K+-selective in the source) moved "
        "with E_K is not supported by the source and makes it worse: rest jumps from -80.0 to "
        "-65.1 mV at 5 mM and the recovery cycle is lost; (2) the Gaines motor set, whose internodal "
        "K+ channels and leaks follow E_K, has no superexcitability to reduce: its least threshold "
        "change over 1.5-8 ms is +3.5 % at 4 mM and +2.0 % at 5 and 6 mM (threshold never below "
        "control; tests use it for the refractoriness direction, which it gets right)"
    ),
)
def test_hyperkalaemia_less_superexcitability_mrg():
    """Hyperkalaemic axons are less superexcitable (krishnan2005); MRG, [K]o 5 against 4 mM."""
    assert int(TARGETS["hyperkalaemia_superexcitability"]["value"]) == -1
    normal = axon.recovery_cycle(MRG, intervals_ms=IV_SHORT)
    high = axon.recovery_cycle(MRG.replace(k_out_mM=5.0), intervals_ms=IV_SHORT)
    assert abs(high.superexcitability_percent) < abs(normal.superexcitability_percent)


def test_gaines_na_activation_shift_is_depolarising():
    """node_motor.mod (gaines2018_code) takes alpha_m with amB = 20.4 mV where AXNODE.mod
    (mcintyre2002_code) has 21.4: alpha_m(V) of Gaines equals MRG's at V - 1 mV. With beta_m
    unchanged the m-infinity curve moves by between 0 and +1 mV: Gaines needs more
    depolarisation to open the same fraction of fast Na+ channels, not less."""
    table = {(r["name"], r["variant"]): r for r in read_table("axon_parameters.csv")}
    mrg, gaines = table["m_alpha_half_mV", "mrg2002"], table["m_alpha_half_mV", "gaines_motor"]
    assert (mrg["source"], gaines["source"]) == ("mcintyre2002_code", "gaines2018_code")
    b_mrg, b_gaines = float(mrg["value"]), float(gaines["value"])
    assert b_gaines - b_mrg == pytest.approx(-1.0)
    v = np.linspace(-100.0, 0.0, 20001)

    def half(params):
        m = axon.gate_steady_state(v, params)["m"]
        return float(np.interp(0.5, m, v))

    shift = half(GAINES) - half(MRG)
    assert 0.0 < shift <= abs(b_gaines - b_mrg)
    # the same at every potential: Gaines m-infinity is below MRG's
    assert np.all(axon.gate_steady_state(v, GAINES)["m"] < axon.gate_steady_state(v, MRG)["m"])


# ------------------------------------------------------------------------------------------
# Strength–duration
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", axon.VARIANTS)
def test_strength_duration_time_constant(variant):
    """Weiss's law over 0.05–1 ms, current injected inside one node.

    The published human value, 459 ± 126 µs for median motor axons (mogyoros1996), comes from a
    surface electrode on the whole nerve tracking a 30 % compound muscle potential. That is a
    different protocol, and it gives a longer constant: the current reaches each axon through
    tissue and spreads over several nodes and their paranodal/internodal membrane (more membrane
    with a slower time constant takes part), and threshold tracking of a compound potential
    favours the axons with the longest constants. One node injected intracellularly sees only
    the nodal membrane and its fast Na⁺ activation, so its constant is shorter. The model value
    must therefore be positive and below the human mean + 1 SD, not equal to it.
    """
    sd = axon.strength_duration(axon.AxonParams(variant=variant))
    lo, hi = band("sdtc_cmap_us")
    assert lo < sd.tau_sd_us < hi
    assert sd.charge_fit_r2 > 0.99
    assert sd.rheobase_nA > 0
    # threshold falls with duration
    assert np.all(np.diff(sd.thresholds_nA) < 0)


# ------------------------------------------------------------------------------------------
# Integrator against SciPy solve_ivp
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", axon.VARIANTS)
def test_integrator_matches_solve_ivp(variant):
    """Spike times at every node (5 nodes, 2 ms) against Radau at rtol 1e-8: backward Euler
    is first order, error ≈ 1.2 dt (measured 0.006 ms at dt 0.005), so < 0.01 ms at the default
    step and halving with dt."""
    p = axon.AxonParams(variant=variant, n_nodes=5)
    stim = hh.Pulse(4.0, 0.2, 0.1)
    ref, _ = axon.reference_solution(stim, 2.0, p, node=1)
    ref = np.array([s[0] for s in ref])
    errs = []
    for dt in (0.005, 0.0025):
        r = axon.simulate(stim, 2.0, p, node=1, dt_ms=dt)
        ours = np.array([s[0] for s in r.spike_times_ms])
        errs.append(np.abs(ours - ref).max())
    assert errs[0] < 0.01
    assert errs[1] < 0.6 * errs[0]


# ------------------------------------------------------------------------------------------
# API and input checks
# ------------------------------------------------------------------------------------------


def test_simulate_shapes_and_propagation():
    p = axon.AxonParams(n_nodes=9)
    r = axon.simulate(hh.Pulse(5.0, 0.5, 0.1), 4.0, p, node=4, record_every=2)
    assert r.v_mV.shape == (9, r.t_ms.size)
    assert [s.size for s in r.spike_times_ms] == [1] * 9
    t = np.array([s[0] for s in r.spike_times_ms])
    assert np.argmin(t) == 4 and t[0] > t[2] and t[8] > t[6]  # travels both ways
    # the state continues a run exactly
    r2 = axon.simulate(None, 1.0, p, initial=r.final_state)
    assert r2.v_mV[:, 0] == pytest.approx(r.v_mV[:, -1])


def test_rest_and_additions():
    assert axon.resting_state(GAINES).v_mV[0] == pytest.approx(-85.9411, abs=0.02)
    assert axon.e_k_mV(4.0) == pytest.approx(-90.0)
    assert axon.gating_shift_mV(0.8) < 0 < axon.gating_shift_mV(1.6)
    low_ca = axon.AxonParams(n_nodes=11, ca_out_mM=0.8)
    assert axon.threshold(0.1, low_ca) < axon.threshold(0.1, axon.AxonParams(n_nodes=11))
    # Kv1 loss (Gaines only): less fast K⁺ lowers threshold
    g = axon.AxonParams(variant="gaines_motor", n_nodes=11)
    assert axon.threshold(0.5, g.replace(g_kf_scale=0.2)) < axon.threshold(0.5, g)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(fibre_diameter_um=3.0), "fibre_diameter_um = 3 µm"),
        (dict(n_nodes=3), "n_nodes = 3"),
        (dict(k_out_mM=-1), "k_out_mM = -1 mM"),
        (dict(temperature_C=60), "temperature_C = 60 °C"),
        (dict(variant="squid"), "variant = 'squid'"),
        (dict(g_kf_scale=0.5), "g_kf_scale = 0.5 is not allowed with variant 'mrg2002'"),
        (dict(g_naf_scale=float("nan")), "g_naf_scale"),
    ],
)
def test_bad_params(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        axon.AxonParams(**kwargs)


def test_bad_calls():
    with pytest.raises(ParameterError, match="node = 30"):
        axon.simulate(None, 1.0, axon.AxonParams(n_nodes=5), node=30)
    with pytest.raises(ParameterError, match="dt_ms = 0.1 ms"):
        axon.simulate(None, 1.0, axon.AxonParams(n_nodes=5), dt_ms=0.1)
    with pytest.raises(ParameterError, match="pulse_ms"):
        axon.threshold(0.0)
    with pytest.raises(ParameterError, match="intervals_ms"):
        axon.recovery_cycle(intervals_ms=(-1.0,))


def test_doctests():
    res = doctest.testmod(axon, optionflags=doctest.ELLIPSIS)
    assert res.attempted > 5 and res.failed == 0


def test_targets_table_has_sources():
    for r in TARGETS.values():
        assert r["source"].strip(), r["name"]
        if r["low"] and r["high"]:
            assert float(r["low"]) <= float(r["high"])
        assert math.isfinite(float(r["value"]))

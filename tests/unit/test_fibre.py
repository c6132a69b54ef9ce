"""The mammalian muscle fibre (utils fibre): validation against published behaviour.

Expected values come from data/fibre_targets.csv (published numbers with their sources), never
from the model's own output. The integrator is checked against SciPy LSODA (rtol 1e-9).
"""

import doctest
import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from utils import ParameterError, fibre, hh, references, tables

T = {r["id"]: r for r in tables.read_table("fibre_targets.csv")}


def band(key):
    return float(T[key]["lo"]), float(T[key]["hi"])


P4 = fibre.FibreParams(k_out_mM=4.0)


# ---- ambiguities of the source, resolved by published behaviour ---------------------------


def test_gamma_formula_is_r_over_2_times_rho_over_varsigma():
    lo, hi = band("gamma")
    assert lo <= P4.gamma <= hi  # (r/2)(ρ/ς) = 4.76 ≈ published 4.8
    rows = {r["name"]: float(r["value"]) for r in tables.read_table(fibre.TABLE)}
    printed = 2.0 / (rows["radius_um"] * 1e-4) * rows["tt_volume_fraction"] / rows["tt_volume_to_area_cm"]
    assert not lo <= printed <= hi  # the printed (2/r)(ρ/ς) is 1.2e6 cm⁻²


def test_tt_time_constant_matches_published():
    p = fibre.FibreParams(temperature_C=21.85)
    c = fibre._constants(p)
    lo, hi = band("tt_rc")
    assert lo <= p.gamma * c[fibre._RA] * c[fibre._CM] <= hi


def test_activation_sign_of_m_gives_an_action_potential():
    x, _ = fibre.gates_steady_state([-90.0, -40.0, 0.0])
    assert x[0, 0] < x[0, 1] < x[0, 2]  # m∞ rises with V
    assert x[1, 0] > x[1, 1] > x[1, 2]  # h∞ falls with V
    r = fibre.simulate(hh.Pulse(fibre.STANDARD_PULSE_UA_PER_CM2, 1.0, 1.0), 20.0, P4)
    assert r.n_spikes == 1 and r.v_surface_mV.max() > 0.0


def test_kcnq_alpha_sign_agrees_with_its_boltzmann():
    rows = {r["name"]: float(r["value"]) for r in tables.read_table(fibre.TABLE)}
    a0, ka = rows["aq_kcnq_rate_per_ms"], rows["aq_kcnq_k_mV"]
    b0, kb = rows["bq_kcnq_rate_per_ms"], rows["bq_kcnq_k_mV"]
    # α = a0·e^(−V/ka), β = b0·e^(−V/kb) cross at V = ln(a0/b0)/(1/ka − 1/kb)
    v_mid = math.log(a0 / b0) / (1.0 / ka - 1.0 / kb)
    v_file = math.log(a0 / b0) / (1.0 / (-ka) - 1.0 / kb)  # the file's printed sign
    assert abs(v_mid - rows["q_kcnq_half_mV"]) < 20.0
    assert abs(v_file - rows["q_kcnq_half_mV"]) > 100.0


def test_clc1_open_probability_rises_with_depolarisation_and_dominates_rest():
    x, _ = fibre.gates_steady_state([-100.0, -80.0, 0.0])
    assert x[6, 2] > 1.2 * x[6, 1]  # more open when depolarised
    assert abs(x[6, 0] / x[6, 1] - 1.0) < 0.1  # nearly flat around rest
    # ClC-1 is the largest resting conductance (hodgkin1959; HUMAN_MODELS §1.7)
    v = fibre.steady_states(P4)[0]
    d = 0.5
    g = {}
    for name, scale in (("all", {}), ("no_cl", {"g_cl_scale": 0.0})):
        p = P4.replace(**scale)
        a = fibre.currents_at(v + d, params=p)["total"][0]
        b = fibre.currents_at(v - d, params=p)["total"][0]
        g[name] = (a - b) / (2 * d)
    assert (g["all"] - g["no_cl"]) / g["all"] > 0.5


def test_pump_units_micromol_close_the_published_sodium_balance():
    """Read as µmol/(cm²·s) the pump's 3 Na⁺ efflux balances Nav + NKCC1 influx at rest within a
    factor of 2 (the published concentrations are a steady state); mmol would be 1000× off."""
    p = fibre.FibreParams(temperature_C=21.85)
    y = fibre.resting_state(p)
    c = fibre._constants(p)
    influx = efflux = 0.0
    for v, ko, tub, w in ((y[0], p.k_out_mM, False, 1.0), (y[1], y[2], True, p.gamma)):
        gates = fibre.gates_steady_state(v)[0]
        d = fibre.currents_at(v, ko, p, tubule=tub, gates=gates)
        i_na = d["total"][0] - d["k"][0] - d["cl"][0] - d["pump"][0]
        influx += w * (-i_na + fibre._nkcc_k_influx(ko, c))
        efflux += w * 3.0 * d["pump"][0]
    assert 0.5 < efflux / influx < 2.0
    assert not 0.5 < 1000 * efflux / influx < 2.0


# ---- resting potential against [K]o -------------------------------------------------------


def test_rest_at_4_mM():
    lo, hi = band("rest_4mM")
    ss = fibre.steady_states(P4)
    assert len(ss) == 1 and lo <= ss[0] <= hi
    y = fibre.resting_state(P4)
    assert lo <= y[1] <= hi  # the T-tubule rests there too


@pytest.mark.parametrize("k", [1.0, 2.0, 4.0, 8.0, 12.0, 15.0])
def test_rest_vs_k_is_one_stable_state_outside_the_paradox_and_rises_with_k(k):
    ss = fibre.steady_states(fibre.FibreParams(k_out_mM=k))
    assert len(ss) >= 1
    if k >= 4.0:
        higher = fibre.steady_states(fibre.FibreParams(k_out_mM=k * 1.25))
        assert higher[0] > ss[0]  # depolarisation with K⁺ (Nernst-like)


@pytest.mark.parametrize("k", [0.5, 1.0])
def test_paradoxical_depolarised_state_below_1_mM(k):
    lo, hi = band("p2_low_k")
    ss = fibre.steady_states(fibre.FibreParams(k_out_mM=k))
    assert ss and all(lo <= v <= hi for v in ss)  # only P2 remains
    assert ss[0] > fibre.steady_states(P4)[0] + 10.0  # depolarised relative to normal K⁺


def _p1_loss_k(**kw):
    ks = np.arange(0.5, 6.01, 0.1)
    for k in ks[::-1]:
        if fibre.steady_states(fibre.FibreParams(k_out_mM=float(k), **kw))[0] > -80.0:
            return float(k)
    return float(ks[0])


def test_p1_is_lost_near_the_published_potassium():
    lo, hi = band("p1_loss_k")
    assert lo <= _p1_loss_k() <= hi


def test_cation_leak_moves_the_paradox_to_higher_potassium():
    assert _p1_loss_k(cation_leak_scale=20.0) > _p1_loss_k() + 0.2


# ---- high potassium: depolarisation, inexcitability, force loss ---------------------------


def test_high_potassium_depolarises_and_makes_the_fibre_inexcitable():
    e4 = fibre.excitability(P4)
    e11 = fibre.excitability(fibre.FibreParams(k_out_mM=11.0))
    e13 = fibre.excitability(fibre.FibreParams(k_out_mM=13.0))
    assert e4["fires"] and e4["after_discharges"] == 0
    assert e13["rest_mV"] > e4["rest_mV"] + 10.0
    assert e11["ap_peak_mV"] < e4["ap_peak_mV"] - 15.0  # smaller AP: less Ca²⁺ release
    assert not e13["fires"]  # force ≈ 0 in this fibre
    assert e13["threshold_1ms_uA_per_cm2"] > e4["threshold_1ms_uA_per_cm2"]
    assert float(T["hyperk_force"]["value"]) < 1.0  # published: force falls (to 20 %)


# ---- Na⁺ channels that do not inactivate (ATX II, HyperPP) ---------------------------------


def test_non_inactivating_sodium_gives_after_depolarisation_and_repetitive_firing():
    f = float(T["atx_fraction"]["hi"])
    train = hh.PulseTrain(fibre.STANDARD_PULSE_UA_PER_CM2, 5.0, 1.0, 10.0, 20)
    normal = fibre.simulate(train, 300.0, P4, record_dt_ms=0.05)
    atx = fibre.simulate(train, 300.0, P4.replace(na_noninactivating_fraction=f), record_dt_ms=0.05)
    assert atx.n_spikes >= normal.n_spikes + 3  # fires repetitively
    rest = normal.v_surface_mV[0]
    assert abs(normal.v_surface_mV[-1] - rest) < 5.0  # small K⁺ after-potential only
    assert atx.v_surface_mV[-1] > rest + 20.0  # stays depolarised (paralysis)
    assert atx.k_tubule_mM.max() > normal.k_tubule_mM.max() + 5.0


@pytest.mark.xfail(
    strict=True,
    reason="no repetitive-firing regime (see the myotonia xfail below): with a non-inactivating fraction "
    "of 0.01-0.02 a 200 ms step of 30 uA/cm2 gives one AP, then a plateau at -25 to -11 mV (37 C; "
    "22 C, 100 ms steps: tools/fibre_myotonia_probe.py section 8)",
)
def test_non_inactivating_sodium_fires_a_train_to_a_constant_current():
    """Cannon & Corey 1993 (ATX II, ensemble P_open,ss 0.01-0.02): a long constant current pulse
    elicits a train of APs; a normal fibre fires once (the Cannon lab's README figure, wild type)."""
    step = hh.Step(fibre.MYOTONIA_STEP_UA_PER_CM2, 5.0, 200.0)
    assert fibre.simulate(step, 210.0, P4).n_spikes == 1
    for f in band("atx_fraction"):
        assert fibre.simulate(step, 210.0, P4.replace(na_noninactivating_fraction=f)).n_spikes >= 3


def test_large_non_inactivating_fraction_adds_a_depolarised_stable_state():
    ss = fibre.steady_states(P4.replace(na_noninactivating_fraction=0.05))
    assert len(ss) == 2 and ss[1] > -50.0  # bistable: paralysis (cannon1993)


#: The 'Std' parameter set of the source's Fig. 1 (cannonlab2024): Scale_Cl 1 (g_cl_scale 5 times
#: the default file's 0.2), Scale_NKCC 2, Scale_Pump 0.5, no T-tubular NKCC1, its concentrations.
CL_DOC_STD = fibre.FibreParams(
    k_out_mM=4.56,
    na_out_mM=138.0,
    cl_out_mM=104.0,
    na_in_mM=10.4,
    cl_in_mM=4.11,
    g_cl_scale=5.0,
    pump_scale=0.5,
    nkcc_scale=2.0,
    nkcc_tubule_ratio=0.0,
    temperature_C=21.85,
)


def test_source_figure_1_with_its_std_parameters():
    """The source's own example: 5 APs at 20 Hz; rest, AP peaks and the T-tubular K⁺ staircase."""
    lo, hi = band("cldoc_fig1_rest")
    assert lo <= fibre.steady_states(CL_DOC_STD)[0] <= hi
    r = fibre.simulate(hh.PulseTrain(fibre.STANDARD_PULSE_UA_PER_CM2, 100.0, 1.0, 50.0, 5), 400.0, CL_DOC_STD)
    st = r.spike_times_ms
    assert st.size == 5

    def peak(x, s):
        return x[(r.t_ms >= s - 2.0) & (r.t_ms < s + 45.0)].max()

    for key, x, i in (
        ("cldoc_fig1_ap_first", r.v_surface_mV, 0),
        ("cldoc_fig1_ap_fifth", r.v_surface_mV, 4),
        ("cldoc_fig1_k_tt_first", r.k_tubule_mM, 0),
        ("cldoc_fig1_k_tt_fifth", r.k_tubule_mM, 4),
    ):
        lo, hi = band(key)
        assert lo <= peak(x, st[i]) <= hi, key


#: Myotonia protocol (adrian1974; cannonlab2024 Fig. 1 uses a 20 Hz train): a train of the
#: standard 1 ms pulse at 50 Hz for 500 ms, then 1.5 s without stimulus.
MYOTONIA_TRAIN = hh.PulseTrain(fibre.STANDARD_PULSE_UA_PER_CM2, 5.0, 1.0, 20.0, 25)
MYOTONIA_TRAIN_END_MS = 5.0 + 25 * 20.0


def _after_discharges(g_cl_scale):
    r = fibre.simulate(MYOTONIA_TRAIN, MYOTONIA_TRAIN_END_MS + 1500.0, P4.replace(g_cl_scale=g_cl_scale))
    st = r.spike_times_ms
    return st[st > MYOTONIA_TRAIN_END_MS + 2.0]


@pytest.mark.xfail(
    strict=True,
    reason="the fibre has no repetitive-firing regime, which an after-discharge is: T-tubular K+ "
    "accumulates as published (about 0.6 mM per AP, cannonlab2024 Fig. 1) and depolarises the fibre more "
    "when ClC-1 is reduced, but after an AP the fibre settles near -50 mV, held by the window and "
    "non-inactivating Na+ current (3.8 times denser in the T-tubule; -18.5 uA/cm2 against +21 uA/cm2 of "
    "K+, Cl- and pump current at 37 C, ClC-1 0.2) with Nav inactivated (h 0.003; h_inf midpoint -80 mV), "
    "and no K+ current resets the membrane below -73 mV between spikes (Kdr n^4 <= 0.002 at -55 mV). "
    "[Cl-]i at its flux steady state, slowed inactivation, Kdr x2-x5 or h_inf +10 mV alone do not "
    "give after-discharges confined to reduced ClC-1 (tools/fibre_myotonia_probe.py; module docstring)",
)
def test_reduced_clc1_gives_myotonic_after_discharges():
    """With ClC-1 at a published myotonic fraction a stimulus train is followed by
    self-sustained firing at the rate of clinical myotonic discharges; normal ClC-1 gives none."""
    g_myotonic = 0.2
    lo_g, hi_g = band("myotonic_gcl_fraction")
    assert lo_g <= g_myotonic <= hi_g
    assert _after_discharges(1.0).size == 0
    after = _after_discharges(g_myotonic)
    assert after.size >= 3
    lo, hi = band("myotonic_discharge_rate")
    assert lo <= 1000.0 / np.median(np.diff(after)) <= hi


def test_normal_clc1_has_no_after_discharges():
    assert fibre.excitability(P4)["after_discharges"] == 0


# ---- action potential shape and refractoriness ---------------------------------------------


def test_action_potential_shape_in_mammalian_range():
    r = fibre.simulate(hh.Pulse(fibre.STANDARD_PULSE_UA_PER_CM2, 1.0, 1.0), 20.0, P4)
    v, t = r.v_surface_mV, r.t_ms
    lo, hi = band("rmp_envelope")
    assert lo <= v[0] <= hi
    above = t[v > -60.0]
    lo, hi = band("ap_duration")
    assert lo <= above[-1] - above[0] <= hi
    assert 0.0 < v.max() < 60.0  # overshoot


def _second_fires(interval, amp):
    stim = hh.Pulse(fibre.STANDARD_PULSE_UA_PER_CM2, 1.0, 1.0) + hh.Pulse(amp, 1.0 + interval, 0.5)
    return fibre.simulate(stim, interval + 15.0, P4).n_spikes >= 2


def test_absolute_refractory_period():
    amp = 4.0 * fibre.threshold_pulse(P4, 0.5)
    lo_i, hi_i = 0.5, 20.0
    assert _second_fires(hi_i, amp) and not _second_fires(lo_i, amp)
    while hi_i - lo_i > 0.05:
        mid = 0.5 * (lo_i + hi_i)
        lo_i, hi_i = (lo_i, mid) if _second_fires(mid, amp) else (mid, hi_i)
    lo, hi = band("refractory_abs")
    assert lo <= hi_i <= hi


# ---- integrator against LSODA --------------------------------------------------------------


def _f(t, y, p, cur, c):
    return fibre._rhs_np(y, p, cur, c)


def _lsoda(stim, t_stop, p, dt_grid=0.001):
    n = int(round(t_stop / dt_grid))
    i = stim.step_means(n, dt_grid)
    y = fibre.resting_state(p)
    c = fibre._constants(p)
    edges = np.concatenate(([0], np.flatnonzero(np.diff(i) != 0) + 1, [n]))
    ts, vs = [], []
    for a, b in zip(edges[:-1], edges[1:]):
        ta, tb, cur = a * dt_grid, b * dt_grid, i[a]
        sol = solve_ivp(
            _f, (ta, tb), y, args=(p, cur, c), method="LSODA", rtol=1e-9, atol=1e-9, dense_output=True
        )
        tt = np.arange(math.ceil(ta / 0.01 - 1e-9), math.floor(tb / 0.01 + 1e-9) + 1) * 0.01
        ts.append(tt)
        vs.append(sol.sol(tt)[0])
        y = sol.y[:, -1]
    t = np.concatenate(ts)
    t, idx = np.unique(np.round(t, 6), return_index=True)
    return t, np.concatenate(vs)[idx]


PROTOCOLS = {
    "single AP": (hh.Pulse(150.0, 1.0, 1.0), 20.0, P4),
    "train 50 Hz": (hh.PulseTrain(150.0, 1.0, 1.0, 20.0, 3), 60.0, P4),
    "subthreshold, 8 mM": (hh.Step(20.0, 1.0, 10.0), 30.0, fibre.FibreParams(k_out_mM=8.0)),
}


@pytest.mark.parametrize("name", list(PROTOCOLS))
def test_integrator_matches_lsoda(name):
    stim, t_stop, p = PROTOCOLS[name]
    t_ref, v_ref = _lsoda(stim, t_stop, p)
    r = fibre.simulate(stim, t_stop, p)
    v = np.interp(t_ref, r.t_ms, r.v_surface_mV)
    sp_ref = fibre._crossings(t_ref, v_ref, 0.0)
    assert sp_ref.size == r.n_spikes
    if sp_ref.size:
        assert np.max(np.abs(sp_ref - r.spike_times_ms)) < 0.05  # ms
    err = np.abs(v - v_ref)
    assert np.median(err) < 0.5 and np.percentile(err, 99) < 5.0  # mV


# ---- input checks and doctests ---------------------------------------------------------------


def test_bad_input_names_parameter_unit_and_range():
    with pytest.raises(ParameterError, match=r"k_out_mM = -1 mM.*allowed range"):
        fibre.FibreParams(k_out_mM=-1)
    with pytest.raises(ParameterError, match=r"temperature_C = 60 °C"):
        fibre.FibreParams(temperature_C=60)
    with pytest.raises(ParameterError, match="g_cl_scale"):
        P4.replace(g_cl_scale=-0.5)
    with pytest.raises(ParameterError, match="t_stop_ms"):
        fibre.simulate(hh.Step(0.0), 0.0)
    with pytest.raises(ParameterError, match="dt_ms"):
        fibre.simulate(hh.Step(0.0), 10.0, dt_ms=1.0)
    with pytest.raises(ParameterError, match="stimulus"):
        fibre.simulate(3.0, 10.0)
    with pytest.raises(ParameterError, match="unknown FibreParams"):
        P4.replace(nonsense=1)


def test_parameter_table_sources_exist_and_defaults_come_from_it():
    known = references.load()
    rows = tables.read_table(fibre.TABLE)
    for r in rows:
        assert r["source"] and all(k in known for k in r["source"].split(";")), r["name"]
    vals = {r["name"]: float(r["value"]) for r in rows}
    d = fibre.FibreParams()
    for name in ("k_out_mM", "na_out_mM", "cl_out_mM", "na_noninactivating_fraction"):
        assert getattr(d, name) == vals[name]
    for r in tables.read_table("fibre_targets.csv"):
        assert all(k in known for k in r["source"].split(";")), r["id"]


def test_doctests():
    res = doctest.testmod(fibre, optionflags=doctest.ELLIPSIS)
    assert res.attempted >= 4 and res.failed == 0

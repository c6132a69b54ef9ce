"""utils.nmj: quantal release on the real Boyd & Martin data, Ca/Mg dependence, safety factor."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from utils import nmj
from utils import recordings as data
from utils.validation import ParameterError


def _bm_hist():
    """The real Boyd & Martin histogram (bin centres, counts): the models take arrays."""
    df = data.load_epp_amplitudes()
    return df["amplitude_mV"].to_numpy(), df["n_trials"].to_numpy()


BM = data.load_epp_amplitudes()
N_TRIALS = int(BM["n_trials"].sum())
N_FAIL = int(BM.loc[BM["amplitude_mV"] == 0, "n_trials"].iloc[0])


# ----------------------------------------------------------------------------- real data
def test_boyd_martin_counts():
    assert (N_TRIALS, N_FAIL) == (198, 18)  # SOURCES.md: 198 trials, 18 failures


def test_quantal_content_from_failures_on_boyd_martin():
    m = nmj.quantal_content_from_failures(N_TRIALS, N_FAIL)
    assert m == pytest.approx(math.log(198 / 18))
    assert m == pytest.approx(2.40, abs=0.005)


def test_methods_agree_on_boyd_martin():
    t = nmj.boyd_martin_analysis(*_bm_hist()).set_index("method")
    m_fail = t.loc["failures", "m"]
    m_mean = t.loc["mean amplitude / q", "m"]
    mean_mV = float((BM["amplitude_mV"] * BM["n_trials"]).sum() / N_TRIALS)
    assert m_mean == pytest.approx(mean_mV / nmj.Q_mV)
    # the two classical estimates agree within 5 % (2.40 vs 2.36): release is Poisson
    assert abs(m_mean - m_fail) / m_fail < 0.05
    assert t.loc["mean² / variance", "m"] == pytest.approx(m_fail, rel=0.1)
    fit = t.loc["Poisson-mixture fit"]
    assert fit["m"] == pytest.approx(m_fail, abs=0.15)
    assert fit["q_mV"] == pytest.approx(0.40, abs=0.03)  # = the miniature size (boyd1956)


def test_poisson_mixture_fit_is_good():
    f = nmj.fit_poisson_mixture(*_bm_hist())
    assert 0.1 < f.cv < 0.35
    assert f.chi2 / f.dof < 2.0
    assert f.expected["expected"].sum() == pytest.approx(N_TRIALS)
    assert f.expected["observed"].sum() == N_TRIALS


def test_fit_with_fixed_quantal_size():
    f = nmj.fit_poisson_mixture(*_bm_hist(), q_mV=0.4, cv=0.2)
    assert (f.q_mV, f.cv) == (0.4, 0.2)
    assert f.m == pytest.approx(2.4, abs=0.15)


# ----------------------------------------------------------------------------- statistics
def test_pmfs_sum_to_one_and_have_the_right_mean():
    p = nmj.poisson_quanta(2.4)
    assert p.sum() == pytest.approx(1.0)
    assert (np.arange(p.size) * p).sum() == pytest.approx(2.4)
    b = nmj.binomial_quanta(200, 0.012)
    assert (np.arange(b.size) * b).sum() == pytest.approx(2.4)
    # many sites with a small probability -> Poisson
    assert np.abs(nmj.binomial_quanta(10_000, 2.4e-4)[:10] - p[:10]).max() < 1e-3


def test_histogram_probabilities_sum_to_one():
    c = BM["amplitude_mV"].to_numpy()
    for model, kw in (("poisson", {}), ("binomial", {"n_sites": 5})):
        p = nmj.epp_histogram_probabilities(c, 2.4, model=model, **kw)
        assert p.sum() == pytest.approx(1.0)
        assert np.all(p >= 0)


def test_simulated_amplitudes_statistics():
    m, q, cv = 2.4, 0.4, 0.2
    a = nmj.simulate_epp_amplitudes(200_000, m, q, cv, seed=1)
    assert np.mean(a == 0) == pytest.approx(math.exp(-m), abs=0.004)
    assert a.mean() == pytest.approx(m * q, rel=0.01)
    assert a.var() == pytest.approx(m * q * q * (1 + cv * cv), rel=0.03)
    assert nmj.quantal_content_from_cv(a, cv) == pytest.approx(m, rel=0.03)
    b = nmj.simulate_epp_amplitudes(200_000, m, q, cv, seed=1, model="binomial", n_sites=4)
    assert np.mean(b == 0) == pytest.approx(0.4**4, abs=0.004)  # (1 − p)^n, p = 0.6


def test_simulated_histogram_layout_and_seed():
    h = nmj.simulated_histogram(seed=3)
    assert list(h.columns) == ["amplitude_mV", "n_trials"]
    assert h["n_trials"].sum() == 198
    assert h["amplitude_mV"].iloc[0] == 0 and np.diff(h["amplitude_mV"]).min() > 0
    pd.testing.assert_frame_equal(h, nmj.simulated_histogram(seed=3))


def test_fit_recovers_simulated_parameters():
    h = nmj.simulated_histogram(n_trials=20_000, m=1.5, q_mV=0.5, cv=0.15, bin_mV=0.05, seed=2)
    f = nmj.fit_poisson_mixture(h["amplitude_mV"], h["n_trials"])
    assert f.m == pytest.approx(1.5, rel=0.03)
    assert f.q_mV == pytest.approx(0.5, rel=0.03)
    assert f.cv == pytest.approx(0.15, abs=0.03)


# ----------------------------------------------------------------------------- Ca and Mg
def test_fourth_power_at_low_calcium():
    ca = np.array([0.02, 0.04])
    m = nmj.quantal_content(ca, 0.0)
    slope = np.diff(np.log(m))[0] / np.diff(np.log(ca))[0]
    assert slope == pytest.approx(4.0, abs=0.15)
    assert nmj.release_log_slope(1e-4, 0.0) == pytest.approx(4.0, abs=1e-3)
    # saturation: the slope falls as Ca rises towards normal (dodge1967)
    s = nmj.release_log_slope(np.array([0.1, 0.5, 1.2, 2.5]))
    assert np.all(np.diff(s) < 0)


def test_numerical_slope_matches_analytic():
    for ca, mg in ((0.3, 0.85), (1.2, 2.0), (2.0, 0.0)):
        h = 1e-5
        num = (
            math.log(nmj.quantal_content(ca * (1 + h), mg)) - math.log(nmj.quantal_content(ca * (1 - h), mg))
        ) / (math.log(1 + h) - math.log(1 - h))
        assert num == pytest.approx(nmj.release_log_slope(ca, mg), rel=1e-5)


def test_magnesium_keeps_low_calcium_slope():
    # Mg lowers the EPP without changing the low-Ca log-log slope (dodge1967)
    for mg in (0.0, 1.0, 5.0):
        assert nmj.release_log_slope(0.001, mg) == pytest.approx(4.0, rel=1e-2)
    assert nmj.quantal_content(0.3, 5.0) < nmj.quantal_content(0.3, 1.0)


@given(ca=st.floats(0.05, 5.0), mg1=st.floats(0.0, 10.0), dmg=st.floats(0.01, 10.0))
def test_magnesium_reduces_release(ca, mg1, dmg):
    assert nmj.quantal_content(ca, mg1 + dmg) < nmj.quantal_content(ca, mg1)


@given(ca1=st.floats(0.01, 10.0), dca=st.floats(0.01, 10.0), mg=st.floats(0.0, 10.0))
def test_calcium_increases_release(ca1, dca, mg):
    assert nmj.quantal_content(ca1 + dca, mg) > nmj.quantal_content(ca1, mg)


def test_reference_condition_and_parameter_table():
    m = nmj.quantal_content(nmj.CA_REF_mM, nmj.MG_REF_mM)
    assert m == pytest.approx(225.0)
    assert nmj.relative_release(nmj.CA_REF_mM, nmj.MG_REF_mM) == pytest.approx(1.0)
    p = nmj.parameters().set_index("name")
    assert p.loc["m_max", "value"] == pytest.approx(nmj.M_MAX_DEFAULT, abs=0.5)
    assert p.loc["m_ref", "value"] == pytest.approx(nmj.M_REF)
    assert set(p["status"]) <= {"published", "recalled", "illustrative", "derived"}
    bm = p.loc[["boyd_martin_trials", "boyd_martin_failures"], "value"].tolist()
    assert bm == [N_TRIALS, N_FAIL]


def test_safety_factor_and_transmission():
    assert nmj.safety_factor(90.0, -55.0, -85.0) == pytest.approx(3.0)
    t = nmj.transmission([1.2, 0.6, 1.2, 1.2], [0.85, 0.85, 0.4, 4.0])
    ref, low_ca, low_mg, high_mg = t.itertuples(index=False)
    assert ref.safety_factor == pytest.approx(nmj.SAFETY_FACTOR_REF)
    assert ref.p_fail < 1e-6
    assert low_ca.safety_factor < ref.safety_factor < low_mg.safety_factor
    assert high_mg.safety_factor < ref.safety_factor
    assert low_ca.p_fail > 0.5 and high_mg.p_fail > 0.5  # transmission fails
    assert t["relative_release"].iloc[0] == pytest.approx(1.0)
    assert not t.isna().any().any()


def test_zero_calcium_means_no_release():
    assert nmj.quantal_content(0.0, 1.0) == 0.0
    t = nmj.transmission(0.0, 1.0)
    assert t["p_fail"].iloc[0] == 1.0


# ----------------------------------------------------------------------------- bad input
@given(c=st.floats(max_value=-1e-9, allow_nan=False, allow_infinity=False))
@settings(max_examples=30)
def test_negative_concentrations_refused(c):
    with pytest.raises(ParameterError, match="ca_mM.*mM"):
        nmj.quantal_content(c, 1.0)
    with pytest.raises(ParameterError, match="mg_mM.*mM"):
        nmj.quantal_content(1.0, c)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "two", None])
def test_non_numbers_refused(bad):
    with pytest.raises(ParameterError):
        nmj.quantal_content(bad, 1.0)


def test_negative_concentration_in_array_refused():
    with pytest.raises(ParameterError, match=r"ca_mM\[1\]"):
        nmj.quantal_content([1.0, -0.5], 1.0)


@given(m=st.floats(max_value=-1e-9, allow_nan=False, allow_infinity=False))
@settings(max_examples=30)
def test_negative_m_refused(m):
    with pytest.raises(ParameterError, match="m = .*quanta"):
        nmj.poisson_quanta(m)
    with pytest.raises(ParameterError, match="quanta"):
        nmj.epp_amplitude_mV(m)


@given(n=st.integers(1, 1000), extra=st.integers(1, 1000))
@settings(max_examples=30)
def test_more_failures_than_trials_refused(n, extra):
    with pytest.raises(ParameterError, match="more failures than trials"):
        nmj.quantal_content_from_failures(n, n + extra)


def test_other_bad_quantal_input():
    with pytest.raises(ParameterError, match="n_failures"):
        nmj.quantal_content_from_failures(198, 0)
    with pytest.raises(ParameterError, match="n_trials"):
        nmj.quantal_content_from_failures(0, 0)
    with pytest.raises(ParameterError, match="q_mV"):
        nmj.quantal_content_from_mean(1.0, 0.0)
    with pytest.raises(ParameterError, match="n_sites"):
        nmj.simulate_epp_amplitudes(10, 2.0, model="binomial")
    with pytest.raises(ParameterError, match="cannot exceed"):
        nmj.simulate_epp_amplitudes(10, 5.0, model="binomial", n_sites=4)
    with pytest.raises(ParameterError, match="model"):
        nmj.simulate_epp_amplitudes(10, 2.0, model="gamma")
    with pytest.raises(ParameterError, match="threshold_mV"):
        nmj.safety_factor(10.0, threshold_mV=-90.0, rest_mV=-85.0)
    with pytest.raises(ParameterError, match="increasing"):
        nmj.fit_poisson_mixture([0.2, 0.1], [3, 4])

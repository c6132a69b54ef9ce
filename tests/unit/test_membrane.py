"""utils.membrane against the published values in REFERENCE.md §2 (computed by the code)."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from utils import ParameterError
from utils import membrane as m

# ---------------------------------------------------------------- published values


@pytest.mark.parametrize(
    "temperature_C, expected_mV", [(37, 26.73), (6.3, 24.08), (18.5, 25.13), (20, 25.26)]
)
def test_thermal_voltage(temperature_C, expected_mV):
    assert m.thermal_voltage_mV(temperature_C) == pytest.approx(expected_mV, abs=0.005)


def test_61_5_mV_per_decade_at_body_temperature():
    assert m.ln10_factor_mV(37, 1) == pytest.approx(61.5, abs=0.05)


@pytest.mark.parametrize(
    "c_out, c_in, z, t, expected",
    [
        (4, 155, 1, 37, -97.7),  # E_K, skeletal muscle (hille2001)
        (145, 12, 1, 37, +66.6),  # E_Na, skeletal muscle
        (123, 4.2, -1, 37, -90.3),  # E_Cl, skeletal muscle
        (5, 140, 1, 37, -89.1),  # E_K, mammalian neuron (purves)
        (110, 10, -1, 37, -64.1),  # E_Cl, mammalian neuron
        (20, 400, 1, 6.3, -72.1),  # E_K, squid at 6.3 °C
        (20, 400, 1, 20, -75.7),  # E_K, squid at 20 °C
        (440, 50, 1, 6.3, +52.4),  # E_Na, squid
        (560, 40, -1, 6.3, -63.6),  # E_Cl, squid
        (1.5, 1e-4, 2, 37, +128.5),  # E_Ca, free calcium, z = 2
        (120, 12, 1, 37, +61.5),  # low [Na]o: 145 -> 120 mM moves E_Na to +61.5 mV
    ],
)
def test_nernst_published(c_out, c_in, z, t, expected):
    assert m.nernst_mV(c_out, c_in, z, t) == pytest.approx(expected, abs=0.1)


@pytest.mark.parametrize(
    "pk, pna, pcl, expected", [(1, 0.05, 0.45, -64.9), (1, 0.04, 0.45, -67.3), (1, 0.05, 0, -65.2)]
)
def test_ghk_neuron(pk, pna, pcl, expected):
    v = m.ghk_mV(5, 140, 145, 12, 110, 10, p_K=pk, p_Na=pna, p_Cl=pcl, temperature_C=37)
    assert v == pytest.approx(expected, abs=0.1)


@pytest.mark.parametrize("t, expected", [(6.3, -59.4), (18.5, -61.9), (20, -62.3)])
def test_ghk_squid_hodgkin_katz_ratios(t, expected):
    v = m.ghk_mV(20, 400, 440, 50, 560, 40, p_K=1, p_Na=0.04, p_Cl=0.45, temperature_C=t)
    assert v == pytest.approx(expected, abs=0.1)


@pytest.mark.parametrize("pna, pcl, expected", [(0.01, 0, -89.5), (0.02, 0, -83.2), (0.01, 2, -90.0)])
def test_ghk_muscle(pna, pcl, expected):
    v = m.ghk_mV(4, 155, 145, 12, 123, 4.2, p_K=1, p_Na=pna, p_Cl=pcl, temperature_C=37)
    assert v == pytest.approx(expected, abs=0.1)


# REFERENCE.md §2, "Muscle resting potential vs [K]o" (37 °C, [K]i 155, Na 145/12).
K_TABLE = [  # [K]o, E_K, GHK 0.01, GHK 0.02
    (2.0, -116.3, -101.7, -92.4),
    (2.5, -110.3, -98.1, -89.8),
    (3.0, -105.4, -94.9, -87.4),
    (3.5, -101.3, -92.1, -85.2),
    (4.0, -97.7, -89.5, -83.2),
    (5.0, -91.8, -85.0, -79.6),
    (6.0, -86.9, -81.1, -76.4),
    (7.0, -82.8, -77.8, -73.6),
    (8.0, -79.2, -74.8, -71.0),
    (10.0, -73.3, -69.7, -66.5),
]


def test_muscle_resting_potential_vs_potassium_table():
    k = np.array([row[0] for row in K_TABLE])
    r1 = m.resting_vs_potassium(k, "muscle", 0.01)
    r2 = m.resting_vs_potassium(k, "muscle", 0.02)
    np.testing.assert_allclose(r1["E_K_mV"], [row[1] for row in K_TABLE], atol=0.1)
    np.testing.assert_allclose(r1["V_rest_mV"], [row[2] for row in K_TABLE], atol=0.1)
    np.testing.assert_allclose(r2["V_rest_mV"], [row[3] for row in K_TABLE], atol=0.1)


@pytest.mark.parametrize("name, expected", [("squid", -59.4), ("neuron", -64.9), ("muscle", -90.0)])
def test_presets_resting_potential(name, expected):
    assert m.preset(name).resting_potential_mV() == pytest.approx(expected, abs=0.1)


def test_preset_equilibrium_potentials_and_sources():
    e = m.preset("muscle").equilibrium_potentials_mV()
    assert e["K"] == pytest.approx(-97.7, abs=0.1)
    assert e["Na"] == pytest.approx(66.6, abs=0.1)
    assert e["Cl"] == pytest.approx(-90.3, abs=0.1)
    assert set(m.preset_names()) == {"squid", "neuron", "muscle"}
    for name in m.preset_names():
        assert m.preset(name).sources(), name
        assert set(m.preset(name).ions) == {"K", "Na", "Cl", "Ca"}
    assert m.preset("squid").temperature_C == 6.3


def test_inside_is_negative_for_every_preset():
    for name in m.preset_names():
        p = m.preset(name)
        e = p.equilibrium_potentials_mV()
        v = p.resting_potential_mV()
        assert e["K"] < v < e["Na"], name  # rest lies between E_K and E_Na, nearer E_K
        assert abs(v - e["K"]) < abs(v - e["Na"]), name


# ---------------------------------------------------------------- properties

conc = st.floats(min_value=1e-3, max_value=1500, allow_nan=False)
temp = st.floats(min_value=-20, max_value=60, allow_nan=False)
perm = st.floats(min_value=0.0, max_value=100, allow_nan=False)


@given(conc, conc, st.sampled_from([-2, -1, 1, 2, 3]), temp)
def test_nernst_swap_flips_sign(co, ci, z, t):
    assert m.nernst_mV(co, ci, z, t) == pytest.approx(-m.nernst_mV(ci, co, z, t), abs=1e-9)


@given(conc, conc, conc, conc, conc, conc, perm, perm, perm, temp)
def test_ghk_swap_inside_outside_flips_sign(ko, ki, nao, nai, clo, cli, pk, pna, pcl, t):
    if pk + pna + pcl == 0:
        pk = 1.0
    v = m.ghk_mV(ko, ki, nao, nai, clo, cli, pk, pna, pcl, t)
    w = m.ghk_mV(ki, ko, nai, nao, cli, clo, pk, pna, pcl, t)
    assert v == pytest.approx(-w, abs=1e-9)


@given(conc, conc, conc, conc, conc, conc, st.floats(min_value=1e-3, max_value=100), temp)
def test_ghk_one_permeant_ion_equals_nernst(ko, ki, nao, nai, clo, cli, p, t):
    args = (ko, ki, nao, nai, clo, cli)
    assert m.ghk_mV(*args, p, 0, 0, t) == pytest.approx(m.nernst_mV(ko, ki, 1, t), abs=1e-9)
    assert m.ghk_mV(*args, 0, p, 0, t) == pytest.approx(m.nernst_mV(nao, nai, 1, t), abs=1e-9)
    assert m.ghk_mV(*args, 0, 0, p, t) == pytest.approx(m.nernst_mV(clo, cli, -1, t), abs=1e-9)


@given(st.floats(min_value=1e-3, max_value=10), perm, perm, temp)
def test_ghk_only_ratios_matter(scale, pna, pcl, t):
    a = m.ghk_mV(5, 140, 145, 12, 110, 10, 1.0, pna, pcl, t)
    b = m.ghk_mV(5, 140, 145, 12, 110, 10, scale, scale * pna, scale * pcl, t)
    assert a == pytest.approx(b, abs=1e-9)


@given(st.sampled_from(["squid", "neuron", "muscle"]), perm)
def test_resting_potential_increases_with_extracellular_potassium(name, ratio):
    k = np.linspace(0.5, 40, 200)
    r = m.resting_vs_potassium(k, name, ratio)
    assert np.all(np.diff(r["V_rest_mV"]) > 0)
    assert np.all(np.diff(r["E_K_mV"]) > 0)
    assert np.all(r["V_rest_mV"] >= r["E_K_mV"] - 1e-9)  # Na⁺ only pulls V up from E_K


@given(perm, perm, temp)
def test_ghk_monotone_in_k_out_with_chloride(pna, pcl, t):
    k = np.linspace(1, 50, 60)
    v = m.ghk_mV(k, 155, 145, 12, 123, 4.2, 1.0, pna, pcl, t)
    assert np.all(np.diff(v) > 0)


def test_arrays_and_scalars_agree():
    k = np.array([3.0, 4.0, 5.0])
    arr = m.nernst_mV(k, 155)
    assert isinstance(arr, np.ndarray) and arr.shape == (3,)
    assert arr[1] == pytest.approx(m.nernst_mV(4.0, 155))
    assert isinstance(m.nernst_mV(4, 155), float)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(c_out_mM=0, c_in_mM=155), ["c_out_mM", "mM", "(0, 2000]"]),
        (dict(c_out_mM=-4, c_in_mM=155), ["c_out_mM", "mM", "allowed range"]),
        (dict(c_out_mM=4, c_in_mM=float("nan")), ["c_in_mM", "finite"]),
        (dict(c_out_mM=4, c_in_mM=float("inf")), ["c_in_mM", "finite"]),
        (dict(c_out_mM=4, c_in_mM=155, valence=0), ["valence", "except 0"]),
        (dict(c_out_mM=4, c_in_mM=155, valence=1.5), ["valence", "whole number"]),
        (dict(c_out_mM=4, c_in_mM=155, temperature_C=-274), ["temperature_C", "°C", "absolute zero"]),
        (dict(c_out_mM=4, c_in_mM=155, temperature_C=-273.15), ["temperature_C", "(-273.15, 100]"]),
        (dict(c_out_mM="four", c_in_mM=155), ["c_out_mM", "mM"]),
        (dict(c_out_mM=[4, -1], c_in_mM=155), ["c_out_mM[1]", "mM"]),
    ],
)
def test_nernst_refuses_bad_input(kwargs, words):
    with pytest.raises(ParameterError) as info:
        m.nernst_mV(**kwargs)
    for w in words:
        assert w in str(info.value)


def test_ghk_refuses_all_zero_permeabilities():
    with pytest.raises(ParameterError, match="p_K, p_Na and p_Cl are all 0"):
        m.ghk_mV(5, 140, 145, 12, 110, 10, 0, 0, 0)


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf"), 1e6])
def test_ghk_refuses_bad_permeability(bad):
    with pytest.raises(ParameterError, match="p_Na"):
        m.ghk_mV(5, 140, 145, 12, 110, 10, 1, bad, 0.45)


def test_unknown_preset_lists_choices():
    with pytest.raises(ParameterError, match="'squid', 'neuron', 'muscle'"):
        m.preset("frog")


def test_mismatched_array_lengths():
    with pytest.raises(ParameterError, match="same length"):
        m.ghk_mV([4, 5], 155, [145, 140, 130], 12, 123, 4.2)


@given(
    st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**6), 10**6)),
    st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**6), 10**6)),
    st.floats(allow_nan=True, allow_infinity=True),
)
def test_never_nan_never_warning(co, ci, t):
    """Any input gives a finite number or a ParameterError; no numpy warning escapes."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            v = m.nernst_mV(co, ci, 1, t)
        except ParameterError:
            return
    assert math.isfinite(v)

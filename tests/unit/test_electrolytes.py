"""utils.electrolytes: table, conversions, classification, profile → model mapping, and the
consequences computed with the engines (compared with REFERENCE.md §2 and §3.2)."""

import inspect
import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from utils import electrolytes as el
from utils import fibre, hh, membrane, muscle, nmj
from utils.validation import ParameterError

P = el.SerumProfile


def _ca_for_shift(s_mV, k=el.SCREENING_K_mV):
    """Ionised Ca (mmol/L) whose screening shift is s (at the reference Mg)."""
    return el.CA_REF_mmol_L * math.exp(s_mV / k)


def _k_for_ek(ek_mV):
    """Serum K (mmol/L) that gives the HH model E_K = ek_mV."""
    return el.K_REF_mmol_L * math.exp((ek_mV - el.HH_E_K_REF_mV) / membrane.thermal_voltage_mV(hh.T_REF_C))


# ----------------------------------------------------------------------------- table
def test_table_keeps_potassium_row_and_has_all_analytes():
    df = el.reference_ranges().set_index("analyte")
    assert set(el.ANALYTES) <= set(df.index)
    k = df.loc["potassium"]
    assert (k["unit"], k["low"], k["high"]) == ("mmol/L", 3.5, 5.0)  # PotassiumPanel's row
    for a, row in df.iterrows():
        assert row["plausible_min"] < row["low"] < row["high"] < row["plausible_max"], a
        for c in ("moderate_low", "severe_low"):
            if not np.isnan(row[c]):
                assert row["plausible_min"] < row[c] < row["low"], (a, c)
        if not np.isnan(row["severe_high"]):
            assert row["high"] < row["severe_high"] < row["plausible_max"], a
        assert row["source"], a


def test_mapping_table_has_source_and_uncertainty_for_every_row():
    df = el.mapping_parameters()
    assert {"name", "value", "unit", "meaning", "uncertainty", "status", "source"} <= set(df)
    assert df["source"].str.len().min() > 0
    assert df["uncertainty"].str.len().min() > 0
    assert set(df["status"]) <= {"published", "recalled", "design", "derived"}


# ----------------------------------------------------------------------------- conversions
def test_published_conversion_examples():
    assert round(el.convert(2.4, "calcium_total", "mmol/L", "mg/dL"), 1) == 9.6
    assert round(el.convert(0.8, "magnesium", "mmol/L", "mg/dL"), 2) == 1.94
    assert el.convert(2.4, "calcium_total", "mmol/L", "mEq/L") == pytest.approx(4.8)
    assert el.convert(0.8, "magnesium", "mmol/L", "mEq/L") == pytest.approx(1.6)
    assert el.convert(140, "sodium", "mmol/L", "mEq/L") == pytest.approx(140)


def test_factors_derive_from_molar_mass():
    # REFERENCE §3.1 factors: total Ca mg/dL = mmol/L × 4.008; Mg mg/dL = mmol/L × 2.431
    assert el.conversion_factor("calcium_total", "mg/dL") == pytest.approx(4.008, abs=6e-4)
    assert el.conversion_factor("calcium_ionised", "mg/dL") == pytest.approx(4.008, abs=6e-4)
    assert el.conversion_factor("magnesium", "mg/dL") == pytest.approx(2.431, abs=6e-4)
    assert el.conversion_factor("Mg", "mEq/L") == 2.0
    assert el.conversion_factor("chloride", "mEq/L") == 1.0


def test_convert_round_trip_and_arrays():
    x = np.array([0.5, 1.0, 2.4])
    y = el.convert(x, "calcium_total", "mmol/L", "mg/dL")
    np.testing.assert_allclose(el.convert(y, "calcium_total", "mg/dL", "mmol/L"), x)
    assert el.convert(1.0, "K", "mM", "mmol/L") == 1.0


def test_albumin_corrected_calcium_both_forms():
    assert el.corrected_calcium_mg_dL(8.0, 2.0) == pytest.approx(9.6)
    assert el.corrected_calcium_mg_dL(9.0, 4.0) == pytest.approx(9.0)
    assert el.corrected_calcium_mmol_L(2.0, 20.0) == pytest.approx(2.4)
    # the two published forms agree to the rounding of 0.8/4.008 = 0.01996 ≈ 0.02
    si = el.corrected_calcium_mmol_L(2.0, 25.0)
    us = el.corrected_calcium_mg_dL(2.0 * 4.0078, 2.5) / 4.0078
    assert si == pytest.approx(us, abs=1e-3)
    with pytest.raises(ParameterError, match="albumin_g_L"):
        el.corrected_calcium_mmol_L(2.0, 2.0)  # g/dL given where g/L is expected


# ----------------------------------------------------------------------------- classification
def _boundary_cases():
    df = el.reference_ranges()
    eps = 1e-6
    for _, r in df.iterrows():
        a = r["analyte"]
        yield a, r["low"], "normal"  # both ends of the range are normal
        yield a, r["high"], "normal"
        yield a, r["high"] + eps, "high"
        if not np.isnan(r["moderate_low"]):
            yield a, r["moderate_low"], "low"  # thresholds belong to the milder side
            yield a, r["moderate_low"] - eps, "moderate low"
        if not np.isnan(r["severe_low"]):
            yield a, r["severe_low"], ("moderate low" if not np.isnan(r["moderate_low"]) else "low")
            yield a, r["severe_low"] - eps, "severe low"
        yield a, r["low"] - eps, "low"
        if not np.isnan(r["severe_high"]):
            yield a, r["severe_high"], "high"
            yield a, r["severe_high"] + eps, "severe high"


@pytest.mark.parametrize("analyte,value,category", list(_boundary_cases()))
def test_classification_at_every_boundary(analyte, value, category):
    c = el.classify(value, analyte, "mmol/L")
    assert c.category == category
    assert c.table_unit == "mmol/L" and c.value_table_unit == pytest.approx(value)


@pytest.mark.parametrize(
    "value,category",
    [
        (3.5, "normal"),
        (3.49, "low"),
        (3.0, "low"),
        (2.99, "moderate low"),
        (2.5, "moderate low"),
        (2.49, "severe low"),
        (5.0, "normal"),
        (5.01, "high"),
        (6.5, "high"),
        (6.51, "severe high"),
    ],
)
def test_potassium_grades_as_documented(value, category):
    assert el.classify(value, "potassium").category == category


def test_sodium_grades_follow_spasovski():
    assert el.classify(132, "Na").category == "low"  # mild 130–135
    assert el.classify(127, "Na").category == "moderate low"  # moderate 125–129
    assert el.classify(120, "Na").category == "severe low"  # profound < 125


def test_boundaries_hold_in_other_units():
    f = el.conversion_factor("calcium_total", "mg/dL")
    assert el.classify(2.15 * f, "calcium_total", "mg/dL").category == "normal"
    assert el.classify(2.6 * f, "calcium_total", "mg/dL").category == "normal"
    assert el.classify(14.1, "calcium_total", "mg/dL").category == "severe high"  # > 3.5 mmol/L
    c = el.classify(1.94, "magnesium", "mg/dL")
    assert c.category == "normal" and c.value_table_unit == pytest.approx(0.798, abs=1e-3)
    assert el.classify(2.4, "calcium_ionised", "mEq/L").value_table_unit == pytest.approx(1.2)


def test_classification_returns_range_used():
    c = el.classify(4.1, "k")
    assert (c.low, c.high, c.analyte, c.unit) == (3.5, 5.0, "potassium", "mmol/L")
    assert "3.5" in c.range_text and "inclusive" in c.range_text
    assert "reference_sheet" in c.source


@pytest.mark.parametrize("unit", ["g/L", "mmol", "mg/L", "µmol/L", "", None, 3])
def test_unknown_units_are_refused(unit):
    with pytest.raises(ParameterError, match="unit"):
        el.classify(4.0, "potassium", unit)


@pytest.mark.parametrize("analyte,match", [("calcium", "ambiguous"), ("iron", "analyte"), (None, "analyte")])
def test_unknown_analytes_are_refused(analyte, match):
    with pytest.raises(ParameterError, match=match):
        el.classify(1.0, analyte)


@pytest.mark.parametrize("value", [-1.0, float("nan"), float("inf"), True, "4"])
def test_bad_values_are_refused(value):
    with pytest.raises(ParameterError):
        el.classify(value, "potassium")


def test_implausible_values_suggest_the_likely_mistake():
    with pytest.raises(ParameterError, match=r"not a plausible.*4\.5 mmol/L.*decimal"):
        el.classify(45, "potassium", "mmol/L")
    with pytest.raises(ParameterError, match=r"9\.6 mg/dL = 2\.4 mmol/L.*mg/dL"):
        el.classify(9.6, "calcium_total", "mmol/L")
    with pytest.raises(ParameterError, match=r"mg/dL"):
        el.classify(4.8, "calcium_ionised")
    with pytest.raises(ParameterError, match=r"potassium_mmol_L.*4\.5 mmol/L"):
        P(potassium_mmol_L=45)


# ----------------------------------------------------------------------------- mapping
def test_reference_profile_leaves_hh_defaults():
    m = el.model_parameters(P())
    assert m.E_K_hh_mV == pytest.approx(-77.0) and m.E_Na_hh_mV == pytest.approx(50.0)
    assert m.shift_mV == 0.0 and m.relative_release == pytest.approx(1.0)
    assert m.hh_params == hh.HHParams()


def test_muscle_potassium_4_to_7_against_reference_table():
    """REFERENCE §2 (37 °C, [K]i 155, Na 145/12): GHK with PNa/PK 0.01 moves −89.5 → −77.8
    (11.7 mV); E_K moves −97.7 → −82.8 (14.9 mV). The issue's '12–15 mV' spans these two: the
    GHK potential (what the model calls the resting potential) moves 11.7 mV, E_K 14.9 mV."""
    a = el.model_parameters(P(potassium_mmol_L=4.0, sodium_mmol_L=145))
    b = el.model_parameters(P(potassium_mmol_L=7.0, sodium_mmol_L=145))
    assert a.muscle_rest_mV == pytest.approx(-89.5, abs=0.05)
    assert b.muscle_rest_mV == pytest.approx(-77.8, abs=0.05)
    assert b.muscle_rest_mV - a.muscle_rest_mV == pytest.approx(11.7, abs=0.1)
    assert a.muscle_E_K_mV == pytest.approx(-97.7, abs=0.05)
    assert b.muscle_E_K_mV - a.muscle_E_K_mV == pytest.approx(14.9, abs=0.1)
    # same as utils.membrane's own sweep
    r = membrane.resting_vs_potassium(np.array([4.0, 7.0]), "muscle", 0.01)
    np.testing.assert_allclose(r["V_rest_mV"], [a.muscle_rest_mV, b.muscle_rest_mV])
    # PNa/PK 0.02 (REFERENCE §2): −83.2 → −73.6
    c = el.model_parameters(P(potassium_mmol_L=7.0, sodium_mmol_L=145), muscle_pNa_over_pK=0.02)
    assert c.muscle_rest_mV == pytest.approx(-73.6, abs=0.05)


def test_nerve_rest_is_the_neuron_preset_with_serum_k():
    kw = membrane.preset("neuron").ghk_kwargs()
    m = el.model_parameters(P(potassium_mmol_L=5.0, sodium_mmol_L=145))
    assert m.nerve_rest_mV == pytest.approx(membrane.ghk_mV(**kw))
    assert m.nerve_rest_mV == pytest.approx(-64.9, abs=0.05)  # REFERENCE §2


def test_hh_e_k_is_a_nernst_shift_at_the_model_temperature():
    vt = membrane.thermal_voltage_mV(6.3)
    assert vt == pytest.approx(24.08, abs=0.01)
    m = el.model_parameters(P(potassium_mmol_L=8.0))
    assert m.E_K_hh_mV == pytest.approx(-77.0 + vt * math.log(2.0))
    assert el.model_parameters(P(potassium_mmol_L=_k_for_ek(-57.0))).E_K_hh_mV == pytest.approx(-57.0)
    assert _k_for_ek(-57.0) == pytest.approx(9.18, abs=0.01)


def test_calcium_shift_sign_size_and_magnesium_correction():
    assert el.calcium_shift_mV(1.2) == 0.0
    assert el.calcium_shift_mV(1.2 / math.e) == pytest.approx(-6.0)
    assert el.calcium_shift_mV(1.2 / math.e, k_mV=9) == pytest.approx(-9.0)
    assert el.calcium_shift_mV(2.4) > 0 > el.calcium_shift_mV(0.6)
    # REFERENCE worked example: 1.25 → 0.75 mmol/L gives about −2 to −5 mV for k = 4–9
    for k in (4.0, 9.0):
        d = el.calcium_shift_mV(0.75, k_mV=k) - el.calcium_shift_mV(1.25, k_mV=k)
        assert -5.0 < d < -2.0
    # Mg: the same direction, much smaller than Ca (f = 0.2)
    lo_mg, hi_mg = el.calcium_shift_mV(1.2, 0.4), el.calcium_shift_mV(1.2, 2.0)
    assert lo_mg < 0 < hi_mg
    assert abs(lo_mg) < 0.5 * abs(el.calcium_shift_mV(1.2 * 0.4 / 0.85))
    assert el.calcium_shift_mV(1.2, 0.4, mg_factor=0.0) == 0.0
    with pytest.raises(ParameterError, match="k_mV"):
        el.calcium_shift_mV(1.0, k_mV=20)


def test_gates_option_and_the_sodium_gates_default():
    # the series' decision (notebook 05, "An assumption you can change"): Na⁺ gates only
    assert el.DEFAULT_GATES == "na" and set(el.GATES) == {"na", "all"}
    for f in (el.model_parameters, el.consequences):
        assert inspect.signature(f).parameters["gates"].default == el.DEFAULT_GATES
    d = el.model_parameters(P(calcium_ionised_mmol_L=0.8))
    a = el.model_parameters(P(calcium_ionised_mmol_L=0.8), gates="all")
    b = el.model_parameters(P(calcium_ionised_mmol_L=0.8), gates="na")
    assert a.shift_Na_mV == a.shift_K_mV == a.shift_mV < 0
    assert b.shift_Na_mV == a.shift_mV and b.shift_K_mV == 0.0
    assert d.hh_params == b.hh_params != a.hh_params
    # at the reference Ca and Mg the shift is 0, so the choice changes nothing (K, Na alone)
    k7 = P(potassium_mmol_L=7.0, sodium_mmol_L=125.0)
    assert el.model_parameters(k7).hh_params == el.model_parameters(k7, gates="all").hh_params
    with pytest.raises(ParameterError, match="gates"):
        el.model_parameters(P(), gates="k")
    with pytest.raises(ParameterError, match="gates"):
        el.consequences(P(), gates="K")


def test_low_calcium_or_high_magnesium_reduce_release():
    ref = el.model_parameters(P())
    low_ca = el.model_parameters(P(calcium_ionised_mmol_L=0.8))
    high_mg = el.model_parameters(P(magnesium_mmol_L=2.0))
    low_mg = el.model_parameters(P(magnesium_mmol_L=0.4))
    assert low_ca.relative_release < 1 and high_mg.relative_release < 1 < low_mg.relative_release
    assert low_ca.safety_factor < ref.safety_factor
    assert low_ca.relative_release == pytest.approx(nmj.relative_release(0.8, 0.85))
    assert high_mg.quantal_content == pytest.approx(nmj.quantal_content(1.2, 2.0))


# ----------------------------------------------------------------------------- consequences
def test_reference_profile_is_normal():
    c = el.consequences(P(), fast=False)
    assert c.nerve_state == "normal" and c.muscle == "normal" and c.rest_stable
    assert c.n_spikes_standard == 1 and c.after_discharges == 0
    assert c.spontaneous_rate_Hz == 0.0
    assert c.threshold_1ms_uA_per_cm2 == pytest.approx(6.92, abs=0.01)  # REFERENCE §1.2
    assert c.muscle_pattern in muscle.PATTERNS


@pytest.mark.parametrize("ca", [1.1, 1.2, 1.3])
@pytest.mark.parametrize("k", [4.0, 6.0, 9.0])
def test_normal_calcium_gives_no_discharges(ca, k):
    for gates in (None, "all"):  # default, and all gates
        kw = {} if gates is None else {"gates": gates}
        c = el.consequences(P(calcium_ionised_mmol_L=ca), k_mV=k, **kw)
        assert c.nerve_state == "normal" and c.n_spikes_standard == 1, gates
        assert c.muscle == "normal" and not c.transmission_fails, gates


def test_every_corner_of_the_normal_ranges_gives_nothing():
    """Any mix of the ends of the normal ranges (K 3.5–5.0, Na 135–145, ionised Ca 1.1–1.3,
    Mg 0.7–1.0 mmol/L; data/serum_reference_ranges.csv) leaves nerve, junction and muscle
    normal with the default assumption (and with all gates): healthy values must not twitch."""
    rr = el.reference_ranges().set_index("analyte")
    ends = [
        (rr.loc[a, "low"], rr.loc[a, "high"]) for a in ("potassium", "sodium", "calcium_ionised", "magnesium")
    ]
    assert ends == [(3.5, 5.0), (135.0, 145.0), (1.1, 1.3), (0.7, 1.0)]
    for K, Na, Ca, Mg in itertools.product(*ends):
        prof = P(potassium_mmol_L=K, sodium_mmol_L=Na, calcium_ionised_mmol_L=Ca, magnesium_mmol_L=Mg)
        for kw in ({}, {"gates": "all"}):
            c = el.consequences(prof, **kw)
            assert (c.nerve_state, c.muscle, c.n_spikes_standard) == ("normal", "normal", 1), (
                K,
                Na,
                Ca,
                Mg,
                kw,
            )


@pytest.mark.parametrize("shift,expected", [(-2.0, 5.65), (-4.0, 4.32), (-6.0, 2.96)])
def test_threshold_falls_as_in_reference(shift, expected):
    # REFERENCE §3.2's thresholds are for the shift of all gates (m, h, n)
    c = el.consequences(P(calcium_ionised_mmol_L=_ca_for_shift(shift)), gates="all", fast=False)
    assert c.model.shift_mV == pytest.approx(shift)
    assert c.threshold_1ms_uA_per_cm2 == pytest.approx(expected, abs=0.02)


def _onset(pred, lo, hi, tol=1e-3):
    """Largest x in [lo, hi] (searching downwards) where pred turns True, by bisection:
    pred(lo) True, pred(hi) False."""
    assert pred(lo) and not pred(hi)
    return hh.bisect_edge(lambda x: not pred(x), lo, hi, tol)


@pytest.mark.parametrize("gates", ["na", "all"])
def test_lowering_calcium_threshold_then_after_discharges_then_spontaneous(gates):
    cas = np.linspace(1.3, 0.3, 41)
    res = [el.consequences(P(calcium_ionised_mmol_L=c), gates=gates) for c in cas]
    thr = [r.threshold_1ms_uA_per_cm2 for r in res if r.nerve_state in ("normal", "after-discharges")]
    assert np.all(np.diff(thr) < 0)  # threshold falls
    states = [r.nerve_state for r in res]
    first_ad = states.index("after-discharges")
    first_sp = states.index("spontaneous firing")
    assert 0 < first_ad < first_sp
    assert set(states[:first_ad]) == {"normal"}
    assert set(states[first_sp:]) == {"spontaneous firing"}
    assert all(r.muscle == "tetany" and r.muscle_pattern == "tetany" for r in res[first_ad:])


def test_all_gates_onsets_in_shift_units_as_in_reference():
    # REFERENCE §3.2, all gates shifted: after-discharge −5.80, spontaneous −6.75 mV (≈ 51 Hz)
    def run(s):
        return el.consequences(P(calcium_ionised_mmol_L=_ca_for_shift(s)), gates="all")

    s_ad = _onset(lambda s: run(s).n_spikes_standard >= 3, -6.2, -5.4)
    s_sp = _onset(lambda s: run(s).spontaneous_firing, -7.2, -6.2)
    assert s_ad == pytest.approx(-5.80, abs=0.05)
    assert s_sp == pytest.approx(-6.75, abs=0.05)
    sp = run(-7.0)
    assert 45 < sp.spontaneous_rate_Hz < 60 and sp.threshold_1ms_uA_per_cm2 == 0.0


def test_sodium_gates_only_is_far_more_sensitive():
    # REFERENCE §3.2, Na gates (m, h) only: after-discharge −1.66, spontaneous −2.17 mV
    def run(s):
        return el.consequences(P(calcium_ionised_mmol_L=_ca_for_shift(s)), gates="na")

    s_ad = _onset(lambda s: run(s).n_spikes_standard >= 3, -2.5, -1.0)
    s_sp = _onset(lambda s: run(s).spontaneous_firing, -3.0, -1.8)
    assert s_ad == pytest.approx(-1.66, abs=0.05)
    assert s_sp == pytest.approx(-2.17, abs=0.05)


def test_raising_potassium_excites_then_blocks():
    # onsets in E_K against REFERENCE §3.2: after-discharges from about −67.7 (≥ 3 spikes a
    # little later), spontaneous firing from −66.9, depolarisation block from −57 mV
    def ek_of(k):
        return el.model_parameters(P(potassium_mmol_L=k)).E_K_hh_mV

    k_ad = _onset(lambda k: el.consequences(P(potassium_mmol_L=k)).n_spikes_standard < 3, 5.0, 7.0)
    k_sp = _onset(lambda k: not el.consequences(P(potassium_mmol_L=k)).spontaneous_firing, 5.0, 7.0)
    k_bl = _onset(lambda k: not el.consequences(P(potassium_mmol_L=k)).depolarisation_block, 7.0, 11.0)
    assert -67.8 < ek_of(k_ad) < -67.3
    assert ek_of(k_sp) == pytest.approx(-66.9, abs=0.1)
    assert ek_of(k_bl) == pytest.approx(-57.0, abs=0.3)
    assert k_ad < k_sp < k_bl
    blk = el.consequences(P(potassium_mmol_L=10.0))
    assert blk.nerve_state == "depolarisation block" and blk.muscle == "weakness"
    assert blk.n_spikes_standard == 0 and math.isinf(blk.threshold_1ms_uA_per_cm2)
    assert blk.rest_hh_mV > -50 and blk.h_rest < 0.1  # Na channels inactivated
    assert blk.muscle_pattern is None


def test_hypokalaemia_hyperpolarises_and_raises_threshold():
    lo = el.consequences(P(potassium_mmol_L=2.5), fast=False)
    ref = el.consequences(P(), fast=False)
    assert lo.rest_hh_mV < ref.rest_hh_mV
    assert lo.model.muscle_rest_mV < ref.model.muscle_rest_mV
    assert lo.threshold_1ms_uA_per_cm2 > ref.threshold_1ms_uA_per_cm2
    assert lo.nerve_state == "normal"
    assert any("jurkatrott2009" in n for n in el.consequences(P(potassium_mmol_L=1.5)).notes)


# ---- the muscle side: the mammalian fibre (utils.fibre), issue 15 ---------------------------


def test_muscle_side_comes_from_the_fibre():
    for k, na in ((2.0, 140.0), (4.0, 140.0), (8.0, 137.0)):
        c = el.consequences(P(potassium_mmol_L=k, sodium_mmol_L=na))
        fresh = fibre.excitability(fibre.FibreParams(k_out_mM=k, na_out_mM=round(na / 5) * 5))
        assert c.fibre_rest_mV == pytest.approx(fresh["rest_mV"], abs=1e-3)
        assert c.fibre["fires"] == fresh["fires"]
        assert c.fibre["ap_peak_mV"] == pytest.approx(fresh["ap_peak_mV"], abs=1e-3)


def test_fibre_grid_table_is_a_fresh_cache_of_the_fibre():
    """data/fibre_serum_grid.csv (tools/fibre_grid.py) matches utils.fibre on sampled rows and
    was written from the current parameter table."""
    import hashlib  # noqa: PLC0415

    from utils.sources.tables import DATA_DIR  # noqa: PLC0415

    head = (DATA_DIR / el.FIBRE_GRID_TABLE).read_text(encoding="utf-8")[:2000]
    digest = hashlib.sha256((DATA_DIR / fibre.TABLE).read_bytes()).hexdigest()[:16]
    assert digest in head, "re-run tools/fibre_grid.py: the fibre parameters changed"
    grid = el._fibre_grid()
    assert len(grid) == 181 * 11
    for k, na in ((1.0, 110.0), (2.05, 140.0), (4.0, 140.0), (9.35, 160.0), (10.0, 125.0)):
        row = grid[(k, na)]
        fresh = fibre.excitability(fibre.FibreParams(k_out_mM=k, na_out_mM=na))
        assert row["rest_mV"] == pytest.approx(fresh["rest_mV"], abs=2e-3)
        assert row["fires"] == fresh["fires"] and row["after_discharges"] == fresh["after_discharges"]
        if row["fires"]:
            assert row["ap_peak_mV"] == pytest.approx(fresh["ap_peak_mV"], abs=2e-3)


def test_severe_hypokalaemia_is_weakness_not_normal():
    c = el.consequences(P(potassium_mmol_L=2.0))
    assert c.muscle in ("weakness", "paralysis")
    assert c.muscle_state in ("hyperpolarised", "paradoxical depolarisation", "two stable states")
    assert c.muscle_force_factor < 1.0
    assert c.muscle != "normal" and c.muscle != "tetany"


def test_mild_hypokalaemia_hyperpolarises_the_fibre():
    c = el.consequences(P(potassium_mmol_L=3.0))
    assert c.muscle_state == "hyperpolarised" and c.fibre_rest_mV < el.consequences(P()).fibre_rest_mV


def test_very_low_potassium_gives_the_paradoxical_depolarisation():
    lo, ref = el.consequences(P(potassium_mmol_L=1.5)), el.consequences(P())
    assert lo.muscle_state == "paradoxical depolarisation"
    assert lo.fibre_rest_mV > ref.fibre_rest_mV + el.FIBRE_DEPOLARISED_mV
    assert lo.muscle in ("weakness", "paralysis")


@pytest.mark.parametrize("k", [7.0, 7.5, 8.0, 8.5, 9.0])
def test_hyperkalaemia_depolarises_never_tetany(k):
    c = el.consequences(P(potassium_mmol_L=k))
    assert c.muscle_state == "depolarised" or c.muscle in ("weakness", "paralysis")
    assert c.muscle != "tetany" and c.muscle_pattern != "tetany"
    assert c.fibre_rest_mV > el.consequences(P()).fibre_rest_mV
    assert any("heart" in n for n in c.notes)  # the cardiac danger is stated


@pytest.mark.parametrize("k", [5.5, 6.0, 6.5, 9.5, 10.0, 12.0, 15.0])
def test_high_potassium_is_never_tetany_even_when_the_squid_nerve_fires(k):
    c = el.consequences(P(potassium_mmol_L=k))
    assert c.muscle != "tetany"
    if c.nerve_state in ("after-discharges", "spontaneous firing"):
        assert any("not counted" in n for n in c.notes)


def test_high_potassium_ends_in_weakness_then_flaccid_paralysis():
    assert el.consequences(P(potassium_mmol_L=10.0)).muscle == "weakness"
    c = el.consequences(P(potassium_mmol_L=13.0))
    assert c.muscle == "paralysis" and not c.fibre["fires"] and c.muscle_force_factor == 0.0


def test_tetany_comes_only_from_low_calcium_on_the_nerve_side():
    assert el.consequences(P(calcium_ionised_mmol_L=0.8)).muscle == "tetany"
    # low calcium with moderately high potassium: the calcium still decides
    assert el.consequences(P(calcium_ionised_mmol_L=0.8, potassium_mmol_L=6.5)).muscle == "tetany"
    # but not once the fibre itself is inexcitable
    assert el.consequences(P(calcium_ionised_mmol_L=0.8, potassium_mmol_L=13.0)).muscle == "paralysis"


def test_muscle_verdict_rules_on_made_up_fibres():
    normal = {
        "steady_states_mV": [-91.0],
        "rest_mV": -91.0,
        "fires": True,
        "ap_peak_mV": 30.0,
        "after_discharges": 0,
        "spontaneous": False,
    }
    v = el.muscle_verdict(normal, normal, potassium_low=False)
    assert (v["state"], v["muscle"], v["pattern"]) == ("normal", "normal", "voluntary")
    dead = normal | {"rest_mV": -60.0, "steady_states_mV": [-60.0], "fires": False}
    assert el.muscle_verdict(dead, normal, potassium_low=True)["state"] == "paradoxical depolarisation"
    assert el.muscle_verdict(dead, normal, potassium_low=False)["muscle"] == "paralysis"
    two = normal | {"steady_states_mV": [-95.0, -60.0]}
    assert el.muscle_verdict(two, normal, potassium_low=True)["state"] == "two stable states"
    myo = normal | {"after_discharges": 4}
    assert el.muscle_verdict(myo, normal, potassium_low=False)["muscle"] == "myotonia"
    v = el.muscle_verdict(normal, normal, potassium_low=False, nerve_state="spontaneous firing")
    assert v["muscle"] == "normal" and any("not counted" in n for n in v["notes"])
    v = el.muscle_verdict(
        normal,
        normal,
        potassium_low=False,
        nerve_state="spontaneous firing",
        nerve_repetitive_from_calcium=True,
    )
    assert v["muscle"] == "tetany"
    for v in (
        el.muscle_verdict(x, normal, potassium_low=lo) for x in (normal, dead, two, myo) for lo in (0, 1)
    ):
        assert v["state"] in el.MUSCLE_STATES and v["muscle"] in el.MUSCLE_VERDICTS


def test_high_magnesium_fails_transmission_and_weakens():
    c = el.consequences(P(magnesium_mmol_L=5.0))
    assert c.nerve_state == "normal" and c.transmission_fails and c.muscle == "weakness"
    assert c.model.safety_factor < 1


def test_high_calcium_raises_threshold():
    for kw in ({}, {"gates": "all"}):
        c = el.consequences(P(calcium_ionised_mmol_L=2.0), fast=False, **kw)
        assert c.model.shift_mV > 0 and c.threshold_1ms_uA_per_cm2 > 6.92, kw
        assert c.muscle == "normal", kw


def test_fast_threshold_is_close_to_full():
    for gates in el.GATES:
        for ca in (0.6, 0.95, 1.2, 1.6):
            f = el.consequences(P(calcium_ionised_mmol_L=ca), gates=gates)
            s = el.consequences(P(calcium_ionised_mmol_L=ca), gates=gates, fast=False)
            assert abs(f.threshold_1ms_uA_per_cm2 - s.threshold_1ms_uA_per_cm2) <= f.threshold_tol, (
                gates,
                ca,
            )


def test_consequences_refuses_bad_arguments():
    with pytest.raises(ParameterError, match="profile"):
        el.consequences({"potassium_mmol_L": 4})
    with pytest.raises(ParameterError, match="fast"):
        el.consequences(P(), fast="yes")
    with pytest.raises(ParameterError, match="mg_factor"):
        el.consequences(P(), mg_factor=-1)
    with pytest.raises(ParameterError, match="unknown SerumProfile"):
        P().replace(calcium_mmol_L=1.0)


def test_classify_profile():
    out = el.classify_profile(P(potassium_mmol_L=6.0, calcium_ionised_mmol_L=0.8))
    assert out["potassium"].category == "high"
    assert out["calcium_ionised"].category == "severe low"
    assert out["sodium"].category == "normal" and set(out) == {
        "potassium",
        "sodium",
        "calcium_ionised",
        "magnesium",
        "chloride",
    }


@given(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.sampled_from(el.ANALYTES),
    st.sampled_from(el.UNITS),
)
def test_classify_never_returns_nan(value, analyte, unit):
    try:
        c = el.classify(value, analyte, unit)
    except ParameterError as e:
        assert "value" in str(e)
        return
    assert math.isfinite(c.value_table_unit)
    assert c.category in ("severe low", "moderate low", "low", "normal", "high", "severe high")


# ----------------------------------------------------------------------------- additions (nb 05)
def test_default_gives_the_clinical_order_in_calcium_units():
    """With the default (only the Na gates shifted), lowering ionised Ca gives after-discharges,
    then spontaneous firing, both before the junction fails: the order seen in patients (tetany
    at ionised Ca around 0.8–0.9 mmol/L; REFERENCE §3.1). Expected onsets from the §3.2 shifts
    (−1.66 and −2.17 mV) with k = 6: Ca = 1.2·exp(s/6) = 0.909 and 0.836 mmol/L."""

    def state(ca):
        return el.consequences(P(calcium_ionised_mmol_L=ca))

    ca_ad = _onset(lambda c: state(c).n_spikes_standard >= 3, 0.80, 1.0)
    ca_sp = _onset(lambda c: state(c).spontaneous_firing, 0.75, 0.90)
    assert ca_ad == pytest.approx(1.2 * math.exp(-1.66 / 6), abs=0.005)
    assert ca_sp == pytest.approx(1.2 * math.exp(-2.17 / 6), abs=0.005)
    ca_fail = _onset(lambda c: el.model_parameters(P(calcium_ionised_mmol_L=c)).safety_factor < 1, 0.5, 1.0)
    assert ca_fail < ca_sp < ca_ad < 1.1  # hyperexcitability first
    # so the muscle goes from normal straight to tetany, never weakness, as Ca falls
    muscles = [state(c).muscle for c in np.arange(1.3, 0.3, -0.05)]
    assert set(muscles) == {"normal", "tetany"}
    assert muscles.index("tetany") == len(muscles) - muscles[::-1].index("normal")
    # with every gate shifted the junction fails first: weakness before tetany (why 'all' is
    # not the default; the open decision of issue 7)
    ca_ad_all = _onset(
        lambda c: el.consequences(P(calcium_ionised_mmol_L=c), gates="all").n_spikes_standard >= 3, 0.3, 0.6
    )
    assert ca_ad_all == pytest.approx(1.2 * math.exp(-5.80 / 6), abs=0.005)  # 0.457
    assert ca_ad_all < ca_fail
    assert el.consequences(P(calcium_ionised_mmol_L=0.6), gates="all").muscle == "weakness"


def test_kept_trace_shows_the_counted_spikes():
    for prof in (P(), P(potassium_mmol_L=6.5), P(potassium_mmol_L=10.0)):
        a = el.consequences(prof)
        b = el.consequences(prof, keep_trace=True)
        assert a.trace is None and b.n_spikes_standard == a.n_spikes_standard
        t, v = b.trace
        assert t.size == 1001 and t[-1] == pytest.approx(el.OBSERVATION_ms)
        up = np.flatnonzero((v[:-1] < 0) & (v[1:] >= 0))  # upward 0 mV crossings
        assert up.size == b.n_spikes_standard
    with pytest.raises(ParameterError, match="keep_trace"):
        el.consequences(P(), keep_trace=1)


def test_alkalosis_lowers_ionised_calcium():
    assert el.ionised_calcium_at_pH(1.2, 7.4) == pytest.approx(1.2)
    assert el.ionised_calcium_at_pH(1.2, 7.6) == pytest.approx(1.1)  # −0.05 per +0.1 pH
    assert el.ionised_calcium_at_pH(1.2, 7.2) == pytest.approx(1.3)
    assert el.ionised_calcium_at_pH(1.0, 7.4, measured_at_pH=7.6) == pytest.approx(1.1)
    with pytest.raises(ParameterError, match="pH"):
        el.ionised_calcium_at_pH(1.2, 8.5)
    with pytest.raises(ParameterError, match="calcium_ionised_mmol_L"):
        el.ionised_calcium_at_pH(0.0, 7.4)

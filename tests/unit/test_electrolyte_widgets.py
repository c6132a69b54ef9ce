"""utils.electrolyte_widgets: the notebook 05 lab-report panel shows what utils.electrolytes
computes (the live path, with its coarser time step, against the full computation), and the
static figures and the lab summary are built from the data they claim."""

import math

import numpy as np
import pandas as pd
import pytest
from panel_checks import assert_framed, assert_theme, assert_traces_drawn, move, plain

from utils import electrolyte_widgets as ew
from utils import electrolytes as el
from utils.figures.widget import PlotlyFigure
from utils.validation import ParameterError


def shown(panel) -> str:
    """All the panel's words: the read-out beside the controls and the account below the figure."""
    return panel.readout.value + (panel.notes.value if panel.notes is not None else "")


P = el.SerumProfile


@pytest.fixture(scope="module")
def panel():
    return ew.lab_report_panel()


def test_one_gates_default_for_engine_panel_and_tetany():
    # the engine, notebook 05's panel and notebook 06's tetany make the same choice, so a
    # student calling electrolytes.consequences directly gets the panel's numbers

    assert el.DEFAULT_GATES == el.DEFAULT_GATES == el.DEFAULT_GATES == "na"
    assert sorted(v for _, v in ew.GATE_OPTIONS) == sorted(el.GATES)  # the toggle: both
    prof = P(calcium_ionised_mmol_L=0.88)
    assert el.consequences(prof) == el.consequences(prof, gates=el.DEFAULT_GATES)


def test_panel_default_is_normal_and_uses_the_sodium_gates(panel):
    out = panel.set_values(
        potassium_mmol_L=4.0, sodium_mmol_L=140.0, calcium_ionised_mmol_L=1.2, magnesium_mmol_L=0.85
    )
    assert out["gates"] == el.DEFAULT_GATES == el.DEFAULT_GATES
    assert out["k_mV"] == el.SCREENING_K_mV
    assert out["nerve_state"] == "normal" and out["muscle"] == "normal"
    assert out["n_spikes_standard"] == 1
    assert out["threshold_1ms_uA_per_cm2"] == pytest.approx(6.92, abs=0.05)  # REFERENCE §1.2
    assert set(out["categories"].values()) == {"normal"}
    assert isinstance(panel.figure, PlotlyFigure)
    assert panel.trace("V").y.size == 1001  # V every 0.1 ms, 100 ms


@pytest.mark.parametrize(
    "values",
    [
        dict(calcium_ionised_mmol_L=0.85),
        dict(calcium_ionised_mmol_L=0.5),
        dict(potassium_mmol_L=6.0),
        dict(potassium_mmol_L=9.5),
        dict(magnesium_mmol_L=4.0),
        dict(potassium_mmol_L=2.0, sodium_mmol_L=120.0),
    ],
)
def test_panel_shows_the_engine_result(panel, values):
    base = dict(potassium_mmol_L=4.0, sodium_mmol_L=140.0, calcium_ionised_mmol_L=1.2, magnesium_mmol_L=0.85)
    out = panel.set_values(**(base | values))
    full = el.consequences(P(**(base | values)), gates="na", fast=False)
    assert out["nerve_state"] == full.nerve_state and out["muscle"] == full.muscle
    assert out["n_spikes_standard"] == full.n_spikes_standard
    th, thf = out["threshold_1ms_uA_per_cm2"], full.threshold_1ms_uA_per_cm2
    assert th == thf if not 0 < thf < math.inf else abs(th - thf) <= 0.05 + 0.04
    assert out["muscle_rest_mV"] == pytest.approx(full.fibre_rest_mV)  # the mammalian fibre
    assert out["muscle_state"] == full.muscle_state
    assert out["muscle_ghk_rest_mV"] == pytest.approx(full.model.muscle_rest_mV)
    assert out["muscle"] in ew.MUSCLE_WORDS and out["muscle_state"] in ew.FIBRE_WORDS
    assert ew.MUSCLE_WORDS[out["muscle"]].split(":")[0] in shown(panel)
    assert out["safety_factor"] == pytest.approx(full.model.safety_factor)
    # the V trace shown has the spikes that were counted (upward crossings of 0 mV)
    v = np.asarray(panel.trace("V").y)
    assert np.count_nonzero((v[:-1] < 0) & (v[1:] >= 0)) == out["n_spikes_standard"]
    # the lab-report star of each analyte sits at value / middle of the normal range
    k = list(ew.SHORT).index("potassium")
    K = (base | values)["potassium_mmol_L"]
    assert panel.trace("lab").x[k] == pytest.approx(100 * K / 4.25)
    assert "clinician" in shown(panel)


def test_lowering_calcium_in_the_panel_gives_the_clinical_order(panel):
    states = []
    for ca in np.round(np.arange(1.20, 0.70, -0.01), 2):
        out = panel.set_values(
            potassium_mmol_L=4.0, sodium_mmol_L=140.0, calcium_ionised_mmol_L=float(ca), magnesium_mmol_L=0.85
        )
        states.append((float(ca), out["nerve_state"], out["safety_factor"]))
    first = {
        s: next(ca for ca, st, _ in states if st == s) for s in ("after-discharges", "spontaneous firing")
    }
    assert first["after-discharges"] == pytest.approx(0.90, abs=0.011)  # 0.909 (§3.2)
    assert first["spontaneous firing"] == pytest.approx(0.83, abs=0.011)  # 0.836
    assert all(sf >= 1 for ca, _, sf in states if ca >= first["spontaneous firing"])


def test_assumption_controls_change_the_answer(panel):
    panel.set_values(
        potassium_mmol_L=4.0, sodium_mmol_L=140.0, calcium_ionised_mmol_L=0.85, magnesium_mmol_L=0.85
    )
    panel.k.value = 6.0
    panel.gates.value = "all"
    assert panel.update()["nerve_state"] == "normal"  # squid reading: nothing yet
    panel.gates.value = "na"
    assert panel.update()["nerve_state"] == "after-discharges"
    panel.k.value = 4.0
    out = panel.update()
    assert out["shift_mV"] == pytest.approx(4.0 * math.log(0.85 / 1.2))
    panel.k.value = 6.0


def test_force_follows_the_muscle_verdict(panel):
    out = panel.set_values(
        potassium_mmol_L=9.5, calcium_ionised_mmol_L=1.2, magnesium_mmol_L=0.85, sodium_mmol_L=140.0
    )
    assert out["nerve_state"] == "depolarisation block" and out["effort_force_pct"] == 0.0
    assert np.max(panel.trace("force_effort").y) == 0.0
    normal = panel.set_values(potassium_mmol_L=4.0)
    assert normal["effort_force_pct"] == pytest.approx(ew.muscle_traces()["effort_mean_pct"])
    assert np.max(panel.trace("force_rest").y) == 0.0  # quiet at rest
    tet = panel.set_values(calcium_ionised_mmol_L=0.85)
    assert tet["muscle"] == "tetany" and np.max(panel.trace("force_rest").y) > 0


def test_words_cover_every_verdict_and_high_potassium_never_reads_as_tetany(panel):
    assert set(ew.MUSCLE_WORDS) == set(el.MUSCLE_VERDICTS)
    assert set(ew.FIBRE_WORDS) == set(el.MUSCLE_STATES)
    for k in (6.0, 7.0, 8.0, 9.0, 10.0):
        out = panel.set_values(
            potassium_mmol_L=k, sodium_mmol_L=140.0, calcium_ionised_mmol_L=1.2, magnesium_mmol_L=0.85
        )
        assert out["muscle"] != "tetany" and ew.MUSCLE_WORDS["tetany"] not in shown(panel), k
        assert np.max(panel.trace("force_rest").y) == 0.0  # no involuntary force
        assert "heart" in shown(panel) or k < 7.0
    low = panel.set_values(potassium_mmol_L=2.0)
    assert low["muscle"] in ("weakness", "paralysis") and "full force" not in shown(panel)
    assert low["effort_force_pct"] < ew.muscle_traces()["effort_mean_pct"]
    panel.set_values(potassium_mmol_L=4.0)


def test_a_potassium_slider_move_is_fast_once_the_fibre_is_cached(panel):
    import time  # noqa: PLC0415

    panel.set_values(
        potassium_mmol_L=4.0, sodium_mmol_L=140.0, calcium_ionised_mmol_L=1.2, magnesium_mmol_L=0.85
    )
    ks = np.round(np.arange(1.5, 10.0, 0.05), 2)
    t0 = time.perf_counter()
    for k in ks[::10]:
        panel.sliders["potassium_mmol_L"].value = float(k)
    # the fibre comes from data/fibre_serum_grid.csv: no fibre run (≈ 0.2 s each) on the way
    assert (time.perf_counter() - t0) / len(ks[::10]) < 0.1


def test_live_time_step_agrees_with_the_default_step_on_the_slider_grids():
    """LIVE_DT_MS (0.025 ms) against hh's 0.01 ms: same state, spike count, verdict; threshold
    within 0.04 µA/cm² — on every slider step near the onsets and every 5th step elsewhere."""
    grids = {
        "calcium_ionised_mmol_L": np.r_[
            np.arange(0.40, 0.70, 0.05), np.arange(0.70, 1.0, 0.01), np.arange(1.0, 2.001, 0.05)
        ],
        "potassium_mmol_L": np.r_[
            np.arange(1.5, 5.5, 0.25),
            np.arange(5.5, 7.0, 0.05),
            np.arange(7.0, 8.8, 0.25),
            np.arange(8.8, 9.6, 0.05),
            np.arange(9.6, 10.01, 0.2),
        ],
        "magnesium_mmol_L": np.arange(0.2, 5.001, 0.25),
    }
    for gates in ("na", "all"):
        for f, vals in grids.items():
            for v in np.round(vals, 2):
                prof = P(**{f: float(v)})
                a = el.consequences(prof, gates=gates)
                b = el.consequences(prof, gates=gates, dt_ms=ew.LIVE_DT_MS)
                assert (a.nerve_state, a.muscle, a.n_spikes_standard) == (
                    b.nerve_state,
                    b.muscle,
                    b.n_spikes_standard,
                ), (gates, f, v)
                ta, tb = a.threshold_1ms_uA_per_cm2, b.threshold_1ms_uA_per_cm2
                assert ta == tb or abs(ta - tb) <= 0.04 + 1e-9, (gates, f, v)


def test_panel_refuses_bad_starting_values():
    with pytest.raises(ParameterError, match="potassium"):
        ew.lab_report_panel(potassium_mmol_L=45)
    with pytest.raises(ParameterError, match="k_mV"):
        ew.lab_report_panel(k_mV=12)
    with pytest.raises(ParameterError, match="gates"):
        ew.lab_report_panel(gates="k")
    with pytest.raises(ParameterError, match="unknown slider"):
        ew.lab_report_panel().set_values(calcium_total_mmol_L=2.0)


def test_paradox_figure_follows_ghk_and_marks_the_depolarised_state():
    fig = ew.potassium_paradox_figure()
    names = [d.name for d in fig.data]
    ghk = fig.data[names.index("GHK, PNa/PK = 0.01")]
    x, y = np.log(np.asarray(ghk.x)), np.asarray(ghk.y)
    # REFERENCE §2 table (37 °C, K 155 in, Na 145/12, PNa/PK 0.01): −89.5 at 4, −77.8 at 7 mM
    assert np.interp(np.log(4.0), x, y) == pytest.approx(-89.5, abs=0.1)
    assert np.interp(np.log(7.0), x, y) == pytest.approx(-77.8, abs=0.1)
    assert np.interp(np.log(2.0), x, y) == pytest.approx(-101.7, abs=0.1)
    assert np.all(np.diff(ghk.y) > 0)  # GHK: monotonic, no paradox
    dep = fig.data[names.index("reported depolarised state (about −60 mV)")]
    assert set(dep.y) == {-60}


def _fake_labs():
    rows = []
    for a, unit, lo, hi, vals in [
        ("potassium", "mEq/L", 3.3, 5.1, [3.0, 4.0, 4.5, 5.5]),
        ("sodium", "mEq/L", 133, 145, [130, 140, 140, 140]),
        ("calcium_free", "mmol/L", 1.12, 1.32, [1.0, 1.2, 1.2, 1.2]),
        ("calcium_total", "mg/dL", 8.4, 10.3, [8.0, 9.0, 9.0, 10.5]),
        ("magnesium", "mg/dL", 1.6, 2.6, [1.65, 2.0, 2.0, 2.4]),
        ("chloride", "mEq/L", 96, 108, [100, 100, 100, 100]),
    ]:
        for i, v in enumerate(vals):
            rows.append(
                dict(
                    subject_id=i % 2,
                    analyte=a,
                    value=float(v),
                    unit=unit,
                    ref_range_lower=lo,
                    ref_range_upper=hi,
                    flag="abnormal" if not lo <= v <= hi else pd.NA,
                )
            )
    return pd.DataFrame(rows)


def test_lab_summary_counts_against_both_ranges():
    s = ew.lab_summary(_fake_labs()).set_index("analyte")
    assert s.loc["K⁺", "pct_below"] == 25 and s.loc["K⁺", "pct_above"] == 25
    assert s.loc["K⁺", "pct_flagged"] == 50 and s.loc["K⁺", "n_patients"] == 2
    # Mg 1.65 mg/dL is inside the lab's 1.6–2.6 but below ours (0.7 mmol/L = 1.70 mg/dL)
    assert s.loc["Mg²⁺", "pct_below"] == 0 and s.loc["Mg²⁺", "pct_outside_ours"] == 25
    assert s.loc["Mg²⁺", "our_range"] == "0.7–1"  # mmol/L (1.70–2.43 mg/dL)
    assert s.loc["Mg²⁺", "unit"] == "mmol/L" and s.loc["Mg²⁺", "lab_unit"] == "mg/dL"
    assert s.loc["Mg²⁺", "lab_range"] == "0.658–1.07"  # 1.6–2.6 mg/dL / 2.4305
    # total Ca 10.5 mg/dL is above both (ours 2.6 mmol/L = 10.42 mg/dL), 8.0 below both
    assert s.loc["total Ca", "pct_outside_ours"] == 50
    assert s.loc["Cl⁻", "pct_flagged"] == 0
    fig = ew.lab_distribution_figure(_fake_labs())
    assert isinstance(fig, PlotlyFigure) and len(fig.data) == 6
    k = np.array([3.0, 4.0, 4.5, 5.5])  # bin counts, not raw values,
    lo, hi = np.percentile(k, [0.5, 99.5])  # of the central 99 %
    assert sum(fig.data[0].y) == np.count_nonzero((k >= lo) & (k <= hi)) == 2


# ----------------------------------------------------------------------------- figures (issue 14)
def test_lab_report_tick_labels_are_not_clipped_and_units_are_stated_once(panel):
    """Issue 14: 'g²⁺', 'a²⁺': the y tick labels were cut by a fixed 110 px margin. Now the
    labels are the short analyte names, the axis grows its margin (automargin) and its title
    names the unit (mmol/L)."""
    y = panel.figure.plot_layout.yaxis
    assert y.automargin is True
    assert list(y.ticktext) == [ew.SHORT[a] for a in ew.SHORT]
    assert "mmol/L" in y.title.text and all("mEq" not in t for t in y.ticktext)


def test_lab_report_readout_columns_are_separated_and_in_mmol_per_l(panel):
    """Issue 14: '135–145normal': the table cells had no padding and the range no unit."""
    panel.set_values(
        potassium_mmol_L=4.0, sodium_mmol_L=140.0, calcium_ionised_mmol_L=1.2, magnesium_mmol_L=0.85
    )
    text = shown(panel)
    assert "normal (mmol/L)</th>" in text and "result (mmol/L)</th>" in text  # the unit once, in the head
    assert "135–145</td>" in text
    assert "135–145normal" not in text.replace("</td>", "").replace(f"<td style='{ew.CELL_PAD}'>", "")
    assert text.count(f"<td style='{ew.CELL_PAD}'>") == 4 * 4  # every cell padded
    assert "mEq" not in text


def test_05_figures_have_x_and_y_on_every_trace_after_build_and_after_a_move(panel):
    from utils import kit

    assert isinstance(panel, kit.Panel)  # one base for every panel
    assert_traces_drawn(panel.figure)
    for name, value in [
        ("calcium_ionised_mmol_L", 0.85),
        ("potassium_mmol_L", 6.0),
        ("k", 7.0),
        ("gates", "all"),
    ]:
        move(panel, panel.controls[name], value)
        assert_traces_drawn(panel.figure)
    panel.gates.value, panel.k.value = "na", 6.0
    fig, _ = ew.block_comparison_figure()
    assert_traces_drawn(fig)
    assert_traces_drawn(ew.potassium_paradox_figure())
    assert_traces_drawn(ew.lab_distribution_figure(_fake_labs()))


def test_05_legends_and_credits_cannot_overlap(panel):
    from utils import recordings

    rec = recordings.try_load(recordings.load_current_clamp, "171116sh_0019")
    block, _ = ew.block_comparison_figure(rec)
    figs = [
        panel.figure,
        block,
        ew.potassium_paradox_figure(),
        ew.lab_distribution_figure(_fake_labs(), "Data: test."),
    ]
    for fig in figs:
        assert_framed(fig)
        assert_theme(fig)
    labs = figs[-1]
    credit = [a for a in plain(labs).layout.annotations if a.name == "credit"][0].text
    assert "mEq/L = mmol/L" in credit  # said once, in the figure's text


def test_lab_distribution_is_in_mmol_per_l():
    fig = ew.lab_distribution_figure(_fake_labs())
    titles = [plain(fig).layout[f"xaxis{'' if i == 0 else i + 1}"].title.text for i in range(6)]
    assert all(t.endswith("(mmol/L)") for t in titles), titles
    mg = fig.data[[t.name for t in fig.data].index("Mg²⁺")]
    # the central results, 2.0 mg/dL, at 0.82 mmol/L; the lab's 1.6–2.6 mg/dL band converted too
    assert np.average(mg.x, weights=mg.y) == pytest.approx(2.0 / 2.4305, abs=0.02)  # ± one bin
    band = plain(fig).layout.shapes[4]
    assert (band.x0, band.x1) == pytest.approx((1.6 / 2.4305, 2.6 / 2.4305), abs=1e-3)

"""Notebook 06 panels and tables: the cache equals a fresh computation, figures update in place,
the diary panel shows the sample, accepts an upload, refuses bad files kindly and escapes text;
the causes and claims tables are complete and link into the series."""

from pathlib import Path

import numpy as np
import pytest
from panel_checks import assert_framed, assert_theme, assert_traces_drawn, move, plain

from utils import diary, framing, kit, syndromes, tables
from utils import twitch_widgets as tw

ROOT = Path(__file__).resolve().parents[2]
SERIES = {
    "01_twitch_spasm_cramp.ipynb",
    "02_resting_membrane.ipynb",
    "03_action_potential.ipynb",
    "04_nerve_to_muscle.ipynb",
    "05_electrolytes.ipynb",
    "06_why_muscles_twitch.ipynb",
}


# ----------------------------------------------------------------------------- syndrome panels
@pytest.mark.parametrize("key", ["neuromyotonia", "fasciculation", "tetany"])
def test_cache_equals_direct_computation(key):
    vals = tw.slider_values(key)
    for v in (vals[0], vals[len(vals) // 2], vals[-1], tw.SLIDERS[key]["value"]):
        cached = tw.cached_run(key, v)
        fresh = tw._compute(key, v)
        assert cached.same_as(fresh), (key, v)
        assert cached is tw.cached_run(key, v)  # really cached
    fn = tw.SIMULATIONS[key]
    assert tw.cached_run(key, vals[1]).same_as(fn(vals[1]))
    if key != "fasciculation":  # the nerve panels run the human axon at 37 °C
        assert tw.cached_run(key, vals[1]).summary["model"].startswith("human axon at 37")


def test_slider_grids():
    g = tw.slider_values("neuromyotonia")  # Kv1 channels left, none to all
    assert g[0] == 0.0 and g[-1] == 1.0 and len(g) == 11 and tw.SLIDERS["neuromyotonia"]["value"] in g
    t = tw.slider_values("tetany")
    # covers the clinically relevant 0.6-1.3 mmol/L, normal 1.1-1.3 included
    assert t[0] <= 0.60 and t[-1] == 1.30 and {1.1, 1.2, 1.3} <= set(t)
    assert tw.SLIDERS["tetany"]["value"] in t
    f = tw.slider_values("fasciculation")
    assert 0.3 in f


@pytest.mark.parametrize("key", ["tetany"])
def test_panel_updates_in_place(key):
    panel = tw.SyndromePanel(key, precompute=False)
    fig = panel.figure
    assert len(fig.data) == 4
    assert panel.trace("emg").mode == "lines" and panel.trace("force").mode == "lines"
    before = np.array(panel.trace("emg").y, copy=True)
    st0 = panel.update()
    panel.slider.value = panel.slider.value + panel.slider.step  # ArrowRight
    assert panel.figure is fig and len(fig.data) == 4
    after = np.asarray(panel.trace("emg").y)
    assert before.shape != after.shape or not np.array_equal(before, after)
    st1 = panel.update()
    assert st1["value"] != st0["value"]
    run = panel.run()
    assert st1["n_spikes"] == run.n_spikes == len(panel.trace("raster").x)
    assert "Read-out" in panel.readout.value


def test_tetany_slider_changes_the_force_line():
    panel = tw.SyndromePanel("tetany", precompute=False)
    y0 = np.asarray(panel.trace("force").y).copy()
    panel.slider.value = round(panel.slider.value + panel.slider.step, 2)
    assert not np.array_equal(y0, np.asarray(panel.trace("force").y))


def test_neuromyotonia_panel_says_kv1_loss_alone_gives_one_twitch():
    """The Gaines human axon fires once per stimulus with any Kv1 left (tests/unit/
    test_syndromes.py); the read-out says how Kv1 loss is modelled and that the clinical
    discharges are not reproduced."""
    panel = tw.SyndromePanel("neuromyotonia", precompute=False)
    for v in (1.0, 0.0):
        panel.slider.value = v
        st = panel.update()
        assert st["regime"].startswith("normal") and st["axons_after_discharging"] == 0
    text = panel.readout.value
    assert "fast K⁺ conductance of every node and internode" in text and "150–300 Hz" in text


def test_tetany_panel_default_shows_tetany_and_names_the_assumption():
    panel = tw.SyndromePanel("tetany", precompute=False)
    st = panel.update()
    # default 0.85 mmol/L: every axon after-discharges, none fires before the stimulus yet
    assert st["value"] == 0.85 and st["regime"] == "after-discharges"
    assert st["axons_after_discharging"] == syndromes.N_AXONS
    assert st["axons_firing_spontaneously"] == 0
    text = panel.readout.value
    assert "every gate" in text and "6 mV per" in text and "37 °C" in text
    panel.slider.value = 1.2
    assert panel.update()["regime"].startswith("normal")


def test_fasciculation_panel_readout():
    panel = tw.SyndromePanel("fasciculation", precompute=False)
    st = panel.update()
    run = panel.run()
    assert st["rate_set_Hz"] == 0.3 and st["n_spikes"] == run.n_spikes
    assert not panel.has_trace("stimulus")  # no test stimulus for fasciculations
    assert len(panel.trace("emg").x) <= kit.MAX_POINTS + 2


def test_unknown_syndrome_is_refused():
    with pytest.raises(ValueError, match="choose one of"):
        tw.SyndromePanel("hiccups")


# ----------------------------------------------------------------------------- diary panel
def test_diary_panel_shows_the_sample_by_default():
    p = tw.DiaryPanel()
    ov = p.update()
    assert ov["n_entries"] == 40 and ov["n_rejected"] == 0
    assert "INVENTED" in p.status.value
    assert sum(p.trace("per_day").y) == 40 and sum(p.trace("per_hour").y) == 40
    assert sum(p.trace("per_location").x) == 40
    assert "only an examination" in p.report.value


def _upload_value(data: bytes, name="my.csv"):
    return (
        {
            "name": name,
            "type": "text/csv",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": 0,
        },
    )


def test_upload_replaces_the_diary_and_reports_rejections():
    p = tw.DiaryPanel()
    text = (
        "date,time,location,duration_s\n"
        "2024-06-01,09:00,right calf,2\n2024-06-01,10:00,<b>eyelid</b>,5\n"
        "2024-06-02,25:00,calf,2\n"
    )
    p._on_upload({"new": _upload_value(text.encode())})
    assert p.parse is not None and len(p.parse.entries) == 2
    assert "my.csv" in p.status.value and "nothing is sent anywhere" in p.status.value
    assert "line 4" in p.report.value and "not a time of day" in p.report.value
    # markup in a cell is shown as text, never as HTML
    assert "<b>eyelid</b>" not in p.report.value
    assert all("<b>" not in y for y in p.trace("per_location").y)


def test_bad_upload_keeps_the_previous_diary():
    p = tw.DiaryPanel()
    res = p.load_bytes(b"\x00\x01binary", "photo.jpg")
    assert "error" in res and "NUL" in res["error"]
    assert "photo.jpg" in p.status.value
    assert len(p.parse.entries) == 40  # the sample is still shown
    big = b"#" * (diary.MAX_BYTES + 1)
    p._on_upload({"new": _upload_value(big, "huge.csv")})
    assert "at most" in p.status.value and len(p.parse.entries) == 40
    p.load_sample()
    assert "INVENTED" in p.status.value


# ----------------------------------------------------------------------------- tables
def test_causes_table_is_complete_and_links_into_the_series():
    rows = tables.read_table("twitch_causes.csv")
    assert {r["group"] for r in rows} == set(tw.GROUPS)
    assert {r["evidence"] for r in rows} <= {"established", "probable", "weak"}
    for r in rows:
        assert r["series_link"] in SERIES, r["cause"]
        assert r["source"]
    names = " ".join(r["cause"] for r in rows)
    for must in (
        "caffeine",
        "stress",
        "sleep",
        "exercise",
        "medicines",
        "calcium",
        "magnesium",
        "alkalosis",
        "kidney",
        "thyroid",
        "benign fasciculation",
        "cramp-fasciculation",
        "neuromyotonia",
        "radiculopathy",
        "neuropathy",
        "amyotrophic",
        "spinal muscular atrophy",
        "myoclonus",
        "tics",
        "tremor",
    ):
        assert must in names, must
    md = tw.causes_markdown()
    assert md.count("](0") == len(rows)
    with pytest.raises(ValueError):
        tw.causes_markdown("no such group")


def test_claims_table_covers_the_issue_and_has_verdicts():
    rows = tables.read_table("popular_claims.csv")
    verdicts = {"holds", "partly holds", "does not hold", "no good evidence", "garbled wording"}
    assert {r["verdict"] for r in rows} <= verdicts
    text = " ".join(r["claim"].lower() for r in rows)
    for must in ("lactic acid", "grinding", "muscular dystrophy", "homeopathic", "dehydration", "magnesium"):
        assert must in text, must
    assert all(r["source"] for r in rows)
    md = tw.claims_markdown()
    assert md.count("\n") == len(rows) + 1


# ----------------------------------------------------------------------------- figures (issue 14)
def test_06_figures_have_x_and_y_on_every_trace_after_build_and_after_a_move():
    for key in ("neuromyotonia", "fasciculation", "tetany"):
        panel = tw.SyndromePanel(key, precompute=False)
        assert isinstance(panel, kit.Panel)  # one base for every panel
        assert_traces_drawn(panel.figure)
        move(panel, panel.slider, round(panel.slider.value + 2 * panel.slider.step, 2))
        assert_traces_drawn(panel.figure)
        assert_framed(panel.figure)
        assert_theme(panel.figure)
    p = tw.DiaryPanel()
    assert isinstance(p, kit.Panel)
    assert_traces_drawn(p.figure)
    assert_framed(p.figure)
    assert_theme(p.figure)
    text = "date,time,location,duration_s,caffeine_mg,sleep_h,stress\n" + "".join(
        f"2024-06-0{d},0{h}:00,right calf,2,{100 * d},7,{d}\n" for d in range(1, 6) for h in range(1, 1 + d)
    )
    p._on_upload({"new": _upload_value(text.encode())})
    assert_traces_drawn(p.figure)
    assert sum(p.trace("per_day").y) == 15


def test_diary_location_labels_and_axis_title_have_room():
    """Issue 14: 'ight calf' (labels cut) and the axis title on the bars: the location chart
    spans the whole width, so its labels and title sit in the figure's left margin, which is
    set to hold the longest label (and may grow further: automargin)."""
    p = tw.DiaryPanel()
    long = "left calf just below the back of the knee"  # cut to 30 characters
    text = f"date,time,location,duration_s\n2024-06-01,09:00,{long},2\n2024-06-01,10:00,right calf,2\n"
    p.load_bytes(text.encode(), "long.csv")
    lay = plain(p.figure).layout
    assert lay.xaxis3.domain[0] == 0.0 and lay.xaxis3.domain[1] == 1.0
    assert lay.yaxis3.automargin is True and lay.yaxis3.title.standoff >= 10
    widest = max(framing.text_width_px(s, 16) for s in p.trace("per_location").y)
    assert widest >= framing.text_width_px(long[:30], 16)
    assert lay.margin.l >= widest + 40  # the labels plus the axis title beside them
    for name in [k for k in lay.to_plotly_json() if k.startswith(("xaxis", "yaxis"))]:
        assert "(" in lay[name].title.text, name

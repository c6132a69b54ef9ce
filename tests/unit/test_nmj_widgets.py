"""Notebook 04 panels: every slider redraws the same FigureWidget in place, and the numbers shown
are the engines' (utils.nmj, utils.emg, utils.muscle), computed independently here."""

import math

import numpy as np
import pytest
from panel_checks import assert_framed, assert_theme, assert_traces_drawn, move, plain

from utils import emg, framing, kit, muscle, nmj, nmj_plots
from utils import emg_widgets as ew
from utils import nmj_widgets as nw
from utils import recordings as data
from utils.validation import ParameterError


# ----------------------------------------------------------------------------- release panel
@pytest.fixture(scope="module")
def release():
    return nw.release_panel()


def test_release_panel_opens_at_the_boyd_martin_quantal_content(release):
    # Ca at normal ionised level, Mg chosen so that the model's m equals ln(198/18) = 2.40
    assert release.ca.value == pytest.approx(1.2)
    st = release.update()
    assert st["m"] == pytest.approx(math.log(198 / 18), abs=0.02)  # Mg rounded to 0.1 mM
    assert st["expected_failures"] == pytest.approx(18, abs=0.5)
    assert nw.mg_for_quantal_content(math.log(11)) == pytest.approx(release.mg.value, abs=0.05)
    # the model line sits on the real histogram: same total, failures bin ≈ 18
    exp = np.asarray(release.trace("model").y, float)
    assert exp.sum() == pytest.approx(198, rel=1e-3)
    assert exp[0] == pytest.approx(18, abs=0.5)
    assert np.asarray(release.trace("boyd_martin").y, float).sum() == 198


def test_release_first_control_drives_a_line(release):
    assert release.children[0].children[0].children[0] is release.ca
    assert release.trace("model").mode.startswith("lines")
    assert "(mM)" in release.ca.description and "(mM)" in release.mg.description


@pytest.mark.parametrize("ca, mg", [(1.2, 0.85), (0.6, 0.85), (1.2, 3.0), (2.0, 10.0), (0.4, 16.6)])
def test_release_numbers_are_the_engines(release, ca, mg):
    release.mg.value = mg
    if release.ca.value != ca:
        move(release, release.ca, ca)
    st = release.update()
    t = nmj.transmission(ca, mg).iloc[0]
    assert st["m"] == pytest.approx(t["m"])
    assert st["safety_factor"] == pytest.approx(t["safety_factor"])
    assert st["p_fail"] == pytest.approx(t["p_fail"])
    # independent: Dodge–Rahamimoff with the table's constants, relative to normal blood
    w = lambda c, g: (c / nmj.K_CA_mM) / (1 + c / nmj.K_CA_mM + g / nmj.K_MG_mM)
    assert st["relative_release"] == pytest.approx((w(ca, mg) / w(1.2, 0.85)) ** 4, rel=1e-9)
    assert st["expected_failures"] == pytest.approx(198 * math.exp(-st["m"]))
    assert np.asarray(release.trace("point").x, float)[0] == pytest.approx(ca)
    assert f"{st['safety_factor']:.3g}" in release.readout.value


def test_normal_blood_is_safe_and_low_calcium_or_high_magnesium_is_not(release):
    release.ca.value, release.mg.value = 1.2, 0.85
    st = release.update()
    assert st["safety_factor"] == pytest.approx(nmj.SAFETY_FACTOR_REF)  # 3 by construction
    assert st["p_fail"] < 1e-6 and "every impulse" in release.readout.value
    release.mg.value = 16.6  # a raised-Mg bath: transmission blocked
    st = release.update()
    assert st["safety_factor"] < 0.05 and st["p_fail"] == pytest.approx(1.0)


def test_mg_slider_moves_the_histogram_and_curve(release):
    release.ca.value = 1.2
    release.mg.value = 16.0
    move(release, release.mg, 12.0)


def test_mg_for_quantal_content_bad_input():
    with pytest.raises(ParameterError, match="m "):
        nw.mg_for_quantal_content(-1.0)
    with pytest.raises(ParameterError, match="cannot be reached"):
        nw.mg_for_quantal_content(1000.0, 0.5)
    with pytest.raises(ParameterError, match="ca_mM"):
        nw.mg_for_quantal_content(2.4, -1.0)


# ----------------------------------------------------------------------------- motor unit panel
@pytest.fixture(scope="module")
def unit():
    return nw.motor_unit_panel()


@pytest.mark.parametrize("rate, u", [(5.0, 1), (10.0, 60), (30.0, 120)])
def test_motor_unit_numbers(unit, rate, u):
    unit.unit.value = u
    unit.rate.value = rate
    st = unit.update()
    pool = muscle.make_pool()
    # MUP amplitude = 0.2 mV × (twitch / smallest twitch)^0.5 (emg's size model)
    want = emg.MUP_AMPLITUDE_MIN_mV * math.sqrt(pool.peak_twitch_au[u - 1] / pool.peak_twitch_au.min())
    assert st["mup_amplitude_mV"] == pytest.approx(want)
    assert st["T_ms"] == pytest.approx(pool.contraction_time_ms[u - 1])
    # regular firing: about rate × (2 s − 50 ms) discharges
    assert st["n_discharges"] == pytest.approx(rate * 1.95, abs=2)
    y = np.asarray(unit.trace("emg").y, float)
    # the trace shows that potential, plus white noise of SD 0.01 mV (≤ ±4.5 SD in 8000 samples)
    assert want <= np.ptp(y) + 0.01 and np.ptp(y) <= want + 9 * emg.NOISE_mV
    assert st["label"] in unit.readout.value


def test_motor_unit_sliders_move_the_figure(unit):
    unit.rate.value = 10.0
    move(unit, unit.rate, 25.0)
    move(unit, unit.unit, 100 if unit.unit.value != 100 else 20)


def test_faster_firing_fuses_the_twitches(unit):
    unit.unit.value = 60
    unit.rate.value = 3.0  # T·rate = 0.16: twitches separate (fuglevand1993)
    slow = unit.update()
    unit.rate.value = 50.0  # T·rate = 2.6: far above half-fusion (0.70)
    fast = unit.update()
    assert slow["label"] != fast["label"] and "tetanus" in fast["label"]
    assert fast["mean_force_x_twitch"] > 5 * slow["mean_force_x_twitch"]


def test_unit_spike_times_bad_input():
    with pytest.raises(ParameterError, match="rate_Hz"):
        nw.unit_spike_times_s(-3.0)
    with pytest.raises(ParameterError, match="cv"):
        nw.unit_spike_times_s(10.0, cv=2.0)
    t = nw.unit_spike_times_s(10.0, duration_s=30.0, cv=0.1, seed=3)
    isi = np.diff(t)
    assert 1 / isi.mean() == pytest.approx(10.0, rel=0.02)
    assert isi.std() / isi.mean() == pytest.approx(0.1, abs=0.02)


# ----------------------------------------------------------------------------- records panel
@pytest.fixture(scope="module")
def records():
    p = ew.records_panel()
    if p.figure is None:
        pytest.skip("EMG records not available")
    return p


def test_records_panel_shows_the_analyses(records):
    a = ew.analyses()
    st = records.update()
    for c in data.EMG_CONDITIONS:
        r = st["records"][c]
        i0, i1 = r["i0"], r["i1"]
        want = int(((a[c].peaks >= i0) & (a[c].peaks < i1)).sum())
        assert r["n_detections"] == want
    # every unit of every record has a marker trace and a template trace
    n_units = sum(len(a[c].units) for c in data.EMG_CONDITIONS)
    assert len(records.figure.data) == 3 + 2 * n_units
    tab = records.table_df
    assert len(tab) == n_units
    neuro = tab[tab.record == "neuropathy"]
    healthy = tab[tab.record == "healthy"]
    # the robust picture (see test_emg): a large unit at ≈ 10.5 Hz, regular, in neuropathy
    regular = neuro[(neuro.rate_Hz - 10.5).abs() < 0.5]
    assert len(regular) >= 1 and regular.isi_cv.min() < 0.17
    assert regular.amplitude_mV.max() > 2.5 * healthy.amplitude_mV.max()
    assert f"{regular.amplitude_mV.max():.2f}" in records.table.value


def test_records_window_moves_and_is_clipped(records):
    records.window.value = 1.0
    move(records, records.start, 2.0 if records.start.value != 2.0 else 3.0)
    move(records, records.window, 0.5)
    records.start.value = 12.0
    st = records.update()
    h = st["records"]["healthy"]
    # the healthy record is 12.715 s long: the window is pulled back to fit
    assert h["i1"] <= data.load_emg("healthy").n_samples
    assert h["i1"] - h["i0"] == 2000
    assert st["records"]["neuropathy"]["start_s"] == pytest.approx(12.0)


# ----------------------------------------------------------------------------- synthetic panel
@pytest.fixture(scope="module")
def synth():
    return ew.synthetic_panel()


def test_synthetic_panel_numbers(synth):
    synth.excitation.value = 35.0
    synth.fasc_rate.value = 0.3
    st = synth.update()
    pool = muscle.make_pool()
    E = 0.35 * pool.excitation_max
    v = emg.voluntary_emg(E, ew.VOLUNTARY_S, seed=ew.SEED, pool=pool)
    assert st["voluntary"]["n_units_firing"] == np.unique(v.spike_unit).size
    assert st["voluntary"]["n_recruited"] == muscle.recruited_count(E, pool)
    f = emg.fasciculation_emg(0.3, ew.FASCICULATION_S, seed=ew.SEED, pool=pool)
    assert st["fasciculation"]["n_fasciculations"] == f.spike_times_s.size
    np.testing.assert_allclose(np.asarray(synth.trace("fasc_times").x, float), f.spike_times_s, atol=1e-5)
    # one unit only, the mid-pool unit 60
    assert np.unique(f.spike_unit).tolist() == [60]


def test_more_effort_recruits_more_units(synth):
    synth.excitation.value = 5.0
    lo = synth.update()["voluntary"]
    synth.excitation.value = 60.0
    hi = synth.update()["voluntary"]
    assert hi["n_units_firing"] > lo["n_units_firing"]
    assert hi["largest_mup_mV"] > lo["largest_mup_mV"]
    synth.excitation.value = 0.0
    assert synth.update()["voluntary"]["n_units_firing"] == 0


def test_synthetic_sliders_move_the_figure(synth):
    synth.excitation.value = 20.0
    move(synth, synth.excitation, 40.0)
    move(synth, synth.fasc_rate, 1.0 if synth.fasc_rate.value != 1.0 else 0.5)
    assert len(np.asarray(synth.trace("fasciculation").y)) <= kit.MAX_POINTS + 2


# ----------------------------------------------------------------------------- diagram
def test_ec_coupling_diagram_has_every_step():
    fig = nw.ec_coupling_diagram()
    steps = list(fig.data[0].text)
    assert steps == [t for _, t in nmj_plots.EC_STEPS]
    texts = " ".join(steps).replace("<br>", " ")
    for word in ("ACh", "end-plate potential", "T-tubules", "RyR1", "troponin", "SERCA"):
        assert word in texts
    assert len(plain(fig).layout.shapes) == len(nmj_plots.EC_STEPS)  # one box per step
    arrows = [a for a in plain(fig).layout.annotations if a.showarrow]
    assert len(arrows) == len(nmj_plots.EC_STEPS) - 1  # joined in order
    assert len(fig.data) == 1 and fig.data[0].mode == "text"


def test_ec_coupling_diagram_text_fits_its_boxes_and_headers_do_not_overlap():
    """Issue 14: overlapping group headers, text overflowing boxes 4, 5, 6 and 9. Each line of
    each box must fit the box at the narrowest width drawn (0.55 × font px per character), the
    boxes must not overlap, and each header sits between its row's boxes and the row above."""
    fig = nw.ec_coupling_diagram()
    m = nmj_plots.EC_MARGIN
    plot_w = nmj_plots.EC_MIN_WIDTH_PX - m["l"] - m["r"]
    plot_h = nmj_plots.EC_HEIGHT_PX - m["t"] - m["b"]
    font = fig.data[0].textfont.size
    boxes = [(s.x0, s.x1, s.y0, s.y1) for s in plain(fig).layout.shapes]
    for k, (text, (x0, x1, y0, y1)) in enumerate(zip(fig.data[0].text, boxes), start=1):
        lines = text.split("<br>")
        widest = max(len(line) for line in lines) * 0.55 * font
        assert widest <= (x1 - x0) * plot_w - 8, f"box {k}: {widest:.0f} px of text"
        assert len(lines) * font * 1.3 <= (y1 - y0) * plot_h - 8, f"box {k}: too many lines"
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2], (a, b)
    headers = [a for a in plain(fig).layout.annotations if not a.showarrow and a.xref == "x"]
    assert len(headers) == 3
    spans = []
    for h in headers:
        w_px = framing.text_width_px(h.text, h.font.size)
        x0, x1 = h.x, h.x + w_px / plot_w
        y0, y1 = h.y, h.y + 1.3 * h.font.size / plot_h
        assert x1 <= 1.0 and y1 <= 1.0, h.text
        for b in boxes:  # a header touches no box
            assert x1 <= b[0] or b[1] <= x0 or y1 <= b[2] or b[3] <= y0, (h.text, b)
        spans.append((y0, y1))
    spans.sort()
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))  # headers on separate rows


def _figures_04():
    panels = [nw.release_panel(), nw.motor_unit_panel()]
    rec = ew.records_panel()
    if rec.figure is not None:
        panels.append(rec)
    panels.append(ew.synthetic_panel())
    return panels


def test_every_04_figure_has_x_and_y_on_every_trace_after_build_and_after_a_move():
    """Issue 14: the release figure's traces 0, 2, 3 reached JupyterLab without x. Every trace
    carries a key and x with y of the same, non-zero length, after build and after each move."""
    moves = {
        "ReleasePanel": [("ca", 0.6), ("mg", 3.0)],
        "MotorUnitPanel": [("rate", 25.0), ("unit", 100)],
        "RecordsPanel": [("start", 2.0), ("window", 0.5)],
        "SyntheticPanel": [("excitation", 40.0), ("fasc_rate", 1.0)],
    }
    for p in _figures_04():
        assert isinstance(p, kit.Panel)  # one base for every panel
        # a unit may be silent in a window of a record: its marker trace is then empty
        silent = [t.meta for t in p.figure.data if ":unit" in t.meta]
        assert_traces_drawn(p.figure, silent)
        for name, value in moves[type(p).__name__]:
            move(p, p.controls[name], value)
            assert_traces_drawn(p.figure, silent)
    assert_traces_drawn(nw.ec_coupling_diagram())


def _sent_traces(panel, control, value):
    """The figure states (trace key -> lengths of x and y as sent) that moving ``control`` sends."""
    sent = []
    fig = panel.figure
    fig.observe(lambda ch: sent.append(ch["new"]), "_data")
    try:
        control.value = value
    finally:
        fig.unobserve_all("_data")
    out = []
    for message in sent:
        state = {}
        for t in message["traces"]:
            lengths = {}
            for axis in ("x", "y"):
                ref = t["arrays"].get(axis)
                lengths[axis] = ref[1][0] if ref else len(t["props"].get(axis) or [])
            state[t["props"]["uid"]] = lengths
        out.append(state)
    return out


def test_every_draw_carries_x_with_y():
    """Issue 14: JupyterLab drew the release figure's lines against bin index (their x lost in
    the browser). Every draw sends each trace's whole state: x with y, in one message."""
    for p, name, value in [
        (nw.release_panel(), "ca", 0.9),
        (nw.motor_unit_panel(), "rate", 20.0),
        (ew.synthetic_panel(), "excitation", 30.0),
    ]:
        (msg,) = _sent_traces(p, p.controls[name], value)  # one message per move
        for key in p.figure.trace_keys:
            assert msg[key]["x"] == msg[key]["y"] == len(p.trace(key).y) > 0, (type(p).__name__, key)


def test_legends_and_credits_of_04_cannot_overlap():
    """Issue 14: legends covered the data credit. Legend above the plots, credit below the
    x-axis title, margins that hold both."""
    for p in _figures_04():
        assert_framed(p.figure)
    rp = nw.release_panel()
    credits = [a for a in rp.figure.plot_layout.annotations if a.name == "credit"]
    assert len(credits) == 1 and "Boyd" in credits[0].text


def test_04_axes_have_units():
    for p in _figures_04():
        lay = plain(p.figure).layout
        for name in [k for k in lay.to_plotly_json() if k.startswith(("xaxis", "yaxis"))]:
            text = lay[name].title.text
            assert text and "(" in text and ")" in text, (type(p).__name__, name, text)


def test_04_figures_follow_the_theme():
    for p in _figures_04():
        assert_theme(p.figure)

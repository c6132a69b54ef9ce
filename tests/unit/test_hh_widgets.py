"""Notebook 03 panels (utils.hh_widgets): in-place updates and read-outs equal to utils.hh.

Expected numbers are computed with utils.hh in the test (not pasted), except the recording
analysis, whose spike counts were checked by eye on plots of every sweep.
"""

import math

import numpy as np
import pytest
from panel_checks import check_controls_fit, check_figure_style, plain

from utils import hh, kit, plots, sweeps
from utils import hh_widgets as hw
from utils import recordings as data
from utils.figures.widget import PlotlyFigure


def _snapshot(fig):
    return [
        (
            None if tr.x is None else np.array(tr.x, dtype=float).copy(),
            None if tr.y is None else np.array(tr.y, dtype=float).copy(),
        )
        for tr in fig.data
    ]


def _changed(before, fig):
    after = _snapshot(fig)
    return any(
        not (np.array_equal(a[0], b[0], equal_nan=True) and np.array_equal(a[1], b[1], equal_nan=True))
        for a, b in zip(before, after)
    )


def _move(panel, slider, value):
    """Move a slider; check the same FigureWidget was updated in place."""
    fig = panel.figure
    n = len(fig.data)
    before = _snapshot(fig)
    slider.value = value
    assert panel.figure is fig and isinstance(fig, PlotlyFigure)
    assert len(fig.data) == n
    assert _changed(before, fig)
    return panel.update()


# ---------------------------------------------------------------------------- panel 1


@pytest.fixture(scope="module")
def threshold_panel():
    return hw.threshold_panel(amplitude_uA=5.0, duration_ms=1.0)


def test_threshold_panel_all_or_none(threshold_panel):
    p = threshold_panel
    th = hh.threshold_pulse(1.0)
    below = _move(p, p.amplitude, round(th - 0.1, 2))
    assert below["n_spikes"] == 0
    assert below["threshold_uA_per_cm2"] == pytest.approx(th)
    assert below["reference_threshold_uA_per_cm2"] == pytest.approx(6.92, abs=0.01)
    above = _move(p, p.amplitude, round(th + 0.1, 2))
    assert above["n_spikes"] == 1
    ref = hh.simulate(hh.Pulse(round(th + 0.1, 2), 1.0, 1.0), hw.THRESHOLD_T_STOP_MS, record_currents=False)
    assert above["peak_mV"] == pytest.approx(float(ref.spike_peaks_mV[0]), abs=1e-9)
    # all-or-none: doubling the stimulus changes the peak by a few mV, not ×2
    big = _move(p, p.amplitude, 2 * round(th + 0.1, 2))
    assert big["n_spikes"] == 1 and abs(big["peak_mV"] - above["peak_mV"]) < 10


def test_threshold_panel_duration(threshold_panel):
    p = threshold_panel
    out = _move(p, p.duration, 0.5)
    assert out["duration_ms"] == pytest.approx(0.5)
    assert out["threshold_uA_per_cm2"] == pytest.approx(hh.threshold_pulse(0.5))
    # the all-or-none curve shown is that of the new duration
    amps, peaks = hw.all_or_none_curve(0.5)
    assert np.allclose(p.trace("aon").x, amps) and np.allclose(p.trace("aon").y, peaks)
    assert len(p.trace("V").x) <= kit.MAX_POINTS
    pulse = [sh for sh in p.figure.plot_layout.shapes if sh.name == "pulse"]
    assert len(pulse) == 1 and (pulse[0].x0, pulse[0].x1) == pytest.approx((1.0, 1.5))  # the shaded pulse
    p.duration.value = 1.0


# ---------------------------------------------------------------------------- panel 2


@pytest.fixture(scope="module")
def refractory_panel():
    return hw.refractory_panel(interval_ms=10.0, test_uA=20.0)


def test_refractory_panel(refractory_panel):
    p = refractory_panel
    early = _move(p, p.interval, 4.0)
    assert not early["second_spike"] and math.isinf(early["test_threshold_uA_per_cm2"])
    # the same protocol run directly with the engine
    stim = hh.Pulse(20.0, 1.0, 1.0) + hh.Pulse(20.0, 5.0, 1.0)
    assert early["n_spikes"] == hh.simulate(stim, hw.PAIRED_T_STOP_MS).n_spikes == 1
    late = _move(p, p.interval, 25.0)
    assert late["second_spike"] and late["n_spikes"] == 2
    assert late["test_threshold_uA_per_cm2"] == pytest.approx(hh.refractory_threshold(25.0), abs=2e-3)
    low = _move(p, p.test, 5.0)
    assert low["second_spike"] == (5.0 >= low["test_threshold_uA_per_cm2"])


def test_refractory_periods(refractory_panel):
    p = refractory_panel
    single = hh.threshold_pulse(1.0)
    j = hw.INTERVALS_MS.index(p.absolute_end_ms)
    assert math.isinf(p.table[j - 1]) and math.isfinite(p.table[j])
    assert p.table[j] <= hw.REFRACTORY_CAP_UA
    k = hw.INTERVALS_MS.index(p.relative_end_ms)
    assert p.table[k - 1] > 1.1 * single and np.all(p.table[k:] <= 1.1 * single)
    # the threshold returns to the single-pulse value (REFERENCE.md §8.4: about 1× by 15 ms)
    assert p.table[-1] == pytest.approx(single, rel=0.05)
    assert hw.refractory_periods([1, 2, 3], [math.inf, 20.0, 5.0], 6.0) == (2.0, 3.0)


# ---------------------------------------------------------------------------- panel 3


def test_firing_panel():
    p = hw.firing_panel(current_uA=4.0)
    single = p.update()
    assert single["rate_Hz"] == 0.0 and single["n_spikes"] == 1
    assert single["onset_uA_per_cm2"] == pytest.approx(hh.firing_onset())
    assert single["rheobase_uA_per_cm2"] == pytest.approx(hh.rheobase())
    fires = _move(p, p.current, 10.0)
    ref = hh.fi_curve([10.0]).iloc[0]
    assert fires["rate_Hz"] == pytest.approx(ref.rate_Hz, rel=1e-9)
    assert fires["n_spikes"] == ref.n_spikes
    assert list(p.trace("point").x) == [10.0] and p.trace("point").y[0] == pytest.approx(ref.rate_Hz)
    # type II: nothing steady just below onset, ≈ 50 Hz just above (REFERENCE.md §1.2)
    assert _move(p, p.current, 6.2)["rate_Hz"] == 0.0
    assert 45 <= _move(p, p.current, 6.3)["rate_Hz"] <= 60


# ---------------------------------------------------------------------------- panel 4


def test_clamp_panel():
    p = hw.clamp_panel(v_step_mV=0.0)
    out = _move(p, p.v_step, -40.0)
    ref = hh.voltage_clamp_summary([-40.0]).iloc[0]
    assert out["peak_g_Na_mS_per_cm2"] == pytest.approx(ref.peak_g_Na_mS_per_cm2)
    assert out["steady_g_K_mS_per_cm2"] == pytest.approx(ref.steady_g_K_mS_per_cm2)
    assert out["i_Na_at_peak_uA_per_cm2"] < 0  # inward below E_Na
    assert _move(p, p.v_step, 60.0)["i_Na_at_peak_uA_per_cm2"] > 0  # outward above E_Na
    c = hh.voltage_clamp(60.0, -65.0, hw.CLAMP_DURATION_MS)
    assert np.allclose(p.trace("g_Na").y, c.g_Na_mS_per_cm2)


# ---------------------------------------------------------------------------- recordings


@pytest.fixture(scope="module")
def steps():
    rec = data.try_load(data.load_current_clamp, "17o05028_ic_steps")
    if rec is None:
        pytest.skip("recording 17o05028_ic_steps not available")
    return rec


@pytest.fixture(scope="module")
def block():
    rec = data.try_load(data.load_current_clamp, "171116sh_0019")
    if rec is None:
        pytest.skip("recording 171116sh_0019 not available")
    return rec


def test_step_window(steps, block):
    for rec in (steps, block):
        t0, t1 = sweeps.step_window_s(rec)
        assert t0 == pytest.approx(0.1468, abs=1e-3) and t1 - t0 == pytest.approx(0.5, abs=1e-3)


def test_recording_fi_steps(steps):
    fi = sweeps.recording_fi(steps)
    assert list(fi.i_pA) == list(np.arange(-50.0, 101.0, 10.0))
    # counted by eye on plots of each sweep's first step (0.147-0.647 s)
    assert list(fi.n_spikes) == [0, 0, 0, 0, 0, 3, 6, 7, 10, 12, 15, 17, 18, 20, 20, 21]
    assert np.allclose(fi.rate_Hz, fi.n_spikes / 0.5)
    # the noise bumps on the recovery from -110 mV are not spikes (peaks far below 0 mV)
    st, pk = sweeps.recorded_spikes(steps.time_s, steps.v_mV[0])
    assert np.all(pk >= 0) and st.size == 10  # 3 after the first step, 7 after the second


def test_recording_fi_block(block):
    fi = sweeps.recording_fi(block)
    n = list(fi.n_spikes)
    assert n[:4] == [0, 0, 3, 6] and max(n) == 16
    assert n[15] == 14 and n[16] == 3 and n[17:] == [2] * 5  # depolarisation block


def test_recording_panel(steps):
    p = hw.recording_panel(steps, sweep=10)
    assert p.update()["n_spikes"] == 15
    out = _move(p, p.sweep, 15)
    assert out["i_pA"] == 100.0 and out["n_spikes"] == 21 and out["rate_Hz"] == 42.0
    assert out["n_points"] <= kit.MAX_POINTS
    # the decimated trace keeps every spike's peak
    assert max(p.trace("V").y) == pytest.approx(steps.v_mV[15][steps.time_s <= 0.8].max())


def test_spike_half_width():
    # a triangle from -60 to +40 mV and back, 1 ms up and 1 ms down: half height at -10 mV
    t = np.arange(0, 10, 0.01)
    v = np.full_like(t, -60.0)
    up = (t >= 4) & (t < 5)
    down = (t >= 5) & (t < 6)
    v[up] = -60 + 100 * (t[up] - 4)
    v[down] = 40 - 100 * (t[down] - 5)
    out = sweeps.spike_half_width_ms(t, v)
    assert out["peak_mV"] == pytest.approx(40.0, abs=1.0)
    assert out["threshold_mV"] == pytest.approx(-60.0, abs=1.0)
    assert out["half_width_ms"] == pytest.approx(1.0, abs=0.02)


def test_spike_shape(block):
    fig, out = hw.spike_shape_figure(block, sweep=3)
    assert len(fig.data) == 2
    check_figure_style(fig)
    rec = out["recording"]
    # looked up on the trace: the first spike of the 200 pA step starts near -40 mV, peaks
    # near +60 mV and is about 1.3 ms wide at half height
    assert rec["threshold_mV"] == pytest.approx(-39.5, abs=1.0)
    assert rec["peak_mV"] == pytest.approx(60.1, abs=0.5)
    assert rec["half_width_ms"] == pytest.approx(1.28, abs=0.05)
    m = out["model"]
    assert m["peak_mV"] == pytest.approx(
        float(hh.simulate(hh.Pulse(hw.MODEL_SHAPE_PULSE_UA, 1.0, 1.0), 30.0).spike_peaks_mV[0]), abs=0.1
    )


# ---------------------------------------------------------------------------- labels (issue 14)


def _log_axes(fig):
    return {
        n: plain(fig).layout[n]
        for n in plain(fig).layout
        if n.startswith(("xaxis", "yaxis")) and plain(fig).layout[n].type == "log"
    }


def test_log_axes_label_every_tick_in_full(threshold_panel, refractory_panel):
    """A log axis used to label 20 and 30 as "2" and "3" (plotly's D1/D2 digits)."""
    axes = {
        **_log_axes(threshold_panel.figure),
        **{f"r{n}": a for n, a in _log_axes(refractory_panel.figure).items()},
    }
    assert set(axes) == {"xaxis4", "yaxis4", "ryaxis2"}
    for name, ax in axes.items():
        assert ax.tickmode == "array" and ax.dtick is None, name
        values, labels = list(ax.tickvals), list(ax.ticktext)
        assert len(values) >= 3, name
        assert [float(t) for t in labels] == pytest.approx(values), name  # each label is its value
        lo, hi = (10**r for r in ax.range)
        assert all(lo <= v <= hi for v in values), name
    assert list(axes["xaxis4"].ticktext) == ["0.2", "0.5", "1", "2", "5"]
    assert {"10", "20"} <= set(axes["yaxis4"].ticktext)
    assert list(axes["ryaxis2"].ticktext) == ["5", "10", "20", "50", "100"]
    assert plots.log_ticks(3, 60)["ticktext"] == ["5", "10", "20", "50"]


def _subplot_titles(fig):
    """Subplot titles: the paper-anchored annotations that make_subplots puts above each plot."""
    return [
        a for a in plain(fig).layout.annotations if a.yanchor == "bottom" and a.xref == "paper" and a.text
    ]


def test_one_title_per_subplot_and_the_model_plot_is_titled_model(steps):
    p = hw.recording_panel(steps, sweep=10)
    fig = p.figure
    plots_ = [n for n in plain(fig).layout if n.startswith("xaxis")]
    titles = _subplot_titles(fig)
    assert len(titles) == len(plots_) == 3
    for title, axis in zip(titles, ("xaxis", "xaxis2", "xaxis3")):
        lo, hi = plain(fig).layout[axis].domain
        assert title.x == pytest.approx((lo + hi) / 2), (title.text, axis)
    by_axis = dict(zip(("sweep", "recorded", "model"), (t.text for t in titles)))
    assert "model" in by_axis["model"] and "recorded" in by_axis["recorded"]
    for panel in (hw.threshold_panel(), hw.refractory_panel(), hw.firing_panel(), hw.clamp_panel()):
        n = len([n for n in plain(panel.figure).layout if n.startswith("xaxis")])
        assert len(_subplot_titles(panel.figure)) == n, type(panel).__name__
    with pytest.raises(ValueError, match="3 subplot titles for 2 subplots"):
        plots.subplots_widget(1, 2, ["a", "b", "c"], {}, height=300)


def test_one_spike_is_singular():
    p = hw.firing_panel(current_uA=4.0)
    assert p.state["n_spikes"] == 1
    assert "1 spike in 300 ms" in p.figure.plot_layout.title.text
    assert "1 spike, then silence" in p.readout.value and "1 spikes" not in p.readout.value
    p.current.value = 10.0
    assert f"{p.state['n_spikes']} spikes in 300 ms" in p.figure.plot_layout.title.text
    assert (plots.plural(1, "spike"), plots.plural(0, "spike"), plots.plural(2, "spike")) == (
        "spike",
        "spikes",
        "spikes",
    )


def test_v_and_the_gates_differ_in_colour_and_line_style(threshold_panel):
    v, n = threshold_panel.trace("V").line, threshold_panel.trace("n").line
    assert v.color != n.color and (v.dash or "solid") != (n.dash or "solid")


def test_every_panel_figure_and_control_is_labelled(threshold_panel, refractory_panel, steps):
    for panel in (
        threshold_panel,
        refractory_panel,
        hw.firing_panel(),
        hw.clamp_panel(),
        hw.recording_panel(steps),
    ):
        assert isinstance(panel, kit.Panel)
        check_figure_style(panel.figure)
        check_controls_fit(panel)
        keys = [tr.meta for tr in panel.figure.data]
        assert None not in keys and len(set(keys)) == len(keys)

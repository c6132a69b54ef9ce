"""Notebook 03 "from squid to you": the conduction panel (utils.axon_widgets) sits on the kit's
Panel base, redraws one figure in place, and shows what utils.axon computes: velocity rising with
fibre diameter, falling with demyelination and then conduction block. The expected numbers are
computed here with utils.axon (not pasted); the table is built once for the module."""

import numpy as np
import plotly.graph_objects as go
import pytest
from panel_checks import assert_framed, assert_theme, check_controls_fit, check_figure_style, move, plain

from utils import axon, axon_plots, framing, hh, kit
from utils import axon_widgets as aw
from utils.figures.widget import PlotlyFigure
from utils.validation import ParameterError


@pytest.fixture(scope="module")
def panel():
    return aw.conduction_panel(diameter_um=10.0, myelin_percent=100)


@pytest.fixture(scope="module")
def table(panel):
    return panel.table


def test_the_panel_sits_on_the_kit_base(panel):
    assert isinstance(panel, kit.Panel)
    assert isinstance(panel.figure, PlotlyFigure)
    assert set(panel.controls) == {"diameter", "myelin"}
    check_controls_fit(panel)
    st = panel.update()
    assert st["diameter_um"] == 10.0 and st["myelin_percent"] == 100
    assert "m/s" in panel.readout.value


def test_the_grids_are_the_published_diameters_and_a_myelin_range(table):
    assert (
        table.diameters_um[0] == axon.DIAMETER_RANGE_UM[0]
        and table.diameters_um[-1] == axon.DIAMETER_RANGE_UM[1]
    )
    assert [axon.geometry(d).fibre_diameter_um for d in table.diameters_um] == list(table.diameters_um)
    assert table.myelin_percent[0] == 100 and list(table.myelin_percent) == sorted(
        table.myelin_percent, reverse=True
    )
    assert table.v_mV.dtype == np.float32
    assert table.v_mV.shape == (
        len(table.diameters_um),
        len(table.myelin_percent),
        aw.N_NODES,
        table.t_ms.size,
    )


def test_velocity_increases_with_diameter(table):
    cv = table.cv_m_per_s[:, 0]
    assert np.all(np.isfinite(cv)) and np.all(np.diff(cv) > 0)
    # the normal 10 µm fibre: the module's own velocity, and inside the published MRG range
    i = table.diameters_um.index(10.0)
    assert cv[i] == pytest.approx(axon.conduction_velocity_m_per_s(axon.AxonParams()), rel=1e-12)
    assert 20 < cv[0] < 35 and 80 < cv[-1] < 110
    # the human median motor NCV (mean) lies between the thinnest and the thickest fibre
    assert cv[0] < aw.NCV_MEAN_M_PER_S < cv[-1]


def test_demyelination_lowers_velocity_then_blocks(table):
    for i, d in enumerate(table.diameters_um):
        conducts = table.conducts[i]
        assert conducts[0], f"{d} µm with normal myelin must conduct"
        assert not conducts[-1], f"{d} µm with {table.myelin_percent[-1]} % myelin must block"
        first_block = int(np.argmin(conducts))
        assert not conducts[first_block:].any(), "once blocked, less myelin stays blocked"
        cv = table.cv_m_per_s[i, :first_block]
        assert np.all(np.diff(cv) < 0), f"{d} µm: velocity must fall with every loss of myelin"
        assert cv[-1] < 0.3 * cv[0], f"{d} µm: just before block the impulse is much slower"
        assert np.all(np.isnan(table.cv_m_per_s[i, first_block:]))
        # in block the stimulated node fired and the impulse died inside the fibre
        assert np.all(table.reached[i, first_block:] >= aw.STIMULUS_NODE)
        assert np.all(table.reached[i, first_block:] < aw.N_NODES - 1)


def test_a_cached_move_equals_a_fresh_computation(panel):
    for d, m in ((10.0, 100), (5.7, 4), (16.0, 7), (12.8, 5)):
        panel.diameter.value = d
        panel.myelin.value = m
        st = panel.state
        fresh = aw.conduction_point(d, m)
        assert st["diameter_um"] == d and st["myelin_percent"] == m
        for key in ("reached", "conducts", "stimulus_nA", "internode_mm", "n_lamellae"):
            assert st[key] == fresh[key], key
        np.testing.assert_array_equal(st["v_mV"], fresh["v_mV"])
        np.testing.assert_array_equal(st["arrival_ms"], fresh["arrival_ms"])
        np.testing.assert_array_equal(st["t_ms"], fresh["t_ms"])
        np.testing.assert_array_equal(st["x_mm"], fresh["x_mm"])
        np.testing.assert_equal(st["cv_m_per_s"], fresh["cv_m_per_s"])
        # and the fresh point is axon.simulate's own run
        r = axon.simulate(
            hh.Pulse(fresh["stimulus_nA"], aw.STIMULUS_START_MS, aw.STIMULUS_MS),
            aw.T_STOP_MS,
            aw.params(d, m),
            node=aw.STIMULUS_NODE,
            record_every=aw.RECORD_EVERY,
        )
        np.testing.assert_array_equal(st["v_mV"], r.v_mV.astype(np.float32))


def test_the_readout_says_velocity_or_conduction_block(panel):
    panel.diameter.value = 10.0
    panel.myelin.value = 100
    assert "conduction velocity <b>56." in panel.readout.value
    assert "Conduction block" not in panel.readout.value
    panel.myelin.value = 3
    assert not panel.state["conducts"]
    assert "<b>Conduction block</b>" in panel.readout.value
    assert "conduction block" in panel.figure.figure_layout["title"]["text"]


def test_every_slider_redraws_the_figure_in_place(panel):
    panel.diameter.value = 10.0
    panel.myelin.value = 100
    move(panel, panel.diameter, 14.0)
    move(panel, panel.myelin, 10)
    move(panel, panel.myelin, 3)
    move(panel, panel.diameter, 5.7)


def test_figure_traces_have_x_and_y(panel):
    panel.diameter.value = 8.7
    panel.myelin.value = 5  # in block at 8.7 µm: the block markers have points
    framing.named_traces(panel.figure)
    fig = plain(panel.figure)
    for tr in fig.data:
        assert tr.x is not None and tr.y is not None and len(tr.x) > 0 and len(tr.y) > 0, tr.meta
        if tr.type == "heatmap":
            z = np.asarray(tr.z, float)
            assert z.shape == (len(tr.y), len(tr.x)) == (aw.N_NODES, aw.conduction_table().t_ms.size)
        else:
            assert len(tr.x) == len(tr.y), tr.meta
    heat = panel.trace("spacetime")
    np.testing.assert_allclose(np.asarray(heat.y, float), panel.state["x_mm"])
    arrival = panel.trace("arrival")
    assert len(arrival.x) == int(np.isfinite(panel.state["arrival_ms"]).sum())


def test_figure_theme_and_frame(panel):
    fig = plain(panel.figure)
    # the shared style check reads line and marker traces; the heatmap has neither (its colour
    # scale is cividis, and the arrival markers on top carry the same information)
    lines = go.Figure(data=[tr for tr in fig.data if tr.type == "scatter"], layout=fig.layout)
    check_figure_style(lines)
    assert fig.data[0].colorscale is not None and fig.data[0].showlegend is False
    assert_theme(panel.figure)
    assert_framed(panel.figure)
    lay = plain(panel.figure).layout
    assert lay.xaxis3.range[0] > lay.xaxis3.range[1], (
        "myelin axis: less myelin to the right, as on the slider"
    )


def test_a_value_off_the_grid_is_refused_with_the_grid():
    with pytest.raises(ParameterError, match="allowed values: 5.7, 7.3"):
        aw.conduction_panel(diameter_um=9.0)
    with pytest.raises(ParameterError, match="myelin_percent = 60"):
        aw.conduction_panel(myelin_percent=60)


def test_the_figure_builder_needs_no_model():
    fig = axon_plots.conduction_figure(
        np.linspace(0, 3, 151), (5.7, 10.0, 16.0), (100, 10, 3), 30.0, 100.0, (47.6, 75.4)
    )
    assert isinstance(fig, PlotlyFigure)
    assert "spacetime" in fig.trace_keys and "arrival" in fig.trace_keys

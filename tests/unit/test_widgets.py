"""Notebook 02 panels: controls update one FigureWidget in place, and the numbers are the model's."""

import numpy as np
import plotly.graph_objects as go
import pytest
from panel_checks import check_controls_fit, check_figure_style

from utils import kit, membrane, plots, widgets


def test_membrane_panel_updates_in_place_and_matches_the_model():
    panel = widgets.membrane_panel("muscle")
    fig = panel.figure
    n_traces = len(fig.data)
    before = [tuple(tr.x) for tr in fig.data]
    panel.conc["K", "out"].value = 7.0
    assert panel.figure is fig and len(fig.data) == n_traces
    after = [tuple(tr.x) for tr in fig.data]
    assert after != before
    st = panel.state
    assert st["E_mV"]["K"] == pytest.approx(membrane.nernst_mV(7.0, 155, 1, 37))
    assert st["V_rest_mV"] == pytest.approx(membrane.ghk_mV(7, 155, 145, 12, 123, 4.2, 1, 0.01, 2, 37))
    # the resting-potential line sits where the read-out says
    assert panel.trace("rest").x[0] == pytest.approx(st["V_rest_mV"])
    assert f"{st['V_rest_mV']:+.1f} mV" in panel.readout.value


@pytest.mark.parametrize("name", ["squid", "neuron", "muscle"])
def test_preset_selector_loads_the_table_exactly(name):
    panel = widgets.membrane_panel("muscle")
    panel.preset.value = name
    expected = membrane.preset(name)
    assert panel.temperature.value == expected.temperature_C
    for (ion, side), slider in panel.conc.items():
        want = getattr(expected.ions[ion], f"c_{side}_mM")
        assert slider.min <= want <= slider.max
        assert slider.value == pytest.approx(want)
        assert abs(round(want / slider.step) * slider.step - want) < 1e-9  # on a step: no snapping
    assert panel.state["V_rest_mV"] == pytest.approx(expected.resting_potential_mV())


def test_every_control_moves_the_figure():
    panel = widgets.membrane_panel("neuron")
    for slider in [c for c in panel.controls.values() if c is not panel.preset]:
        before = [tuple(tr.x) for tr in panel.figure.data]
        slider.value = slider.min + 0.37 * (slider.max - slider.min)
        assert [tuple(tr.x) for tr in panel.figure.data] != before, slider.description


def test_potassium_panel():
    panel = widgets.potassium_panel()
    out = panel.update()
    assert out["state"] == "normal" and out["shift_mV"] == pytest.approx(0)
    panel.k_out.value = 7.0
    out = panel.update()
    curve = membrane.resting_vs_potassium(np.array([4.0, 7.0]), "muscle", 0.01)
    assert out["shift_mV"] == pytest.approx(curve["V_rest_mV"][1] - curve["V_rest_mV"][0])
    assert 11 < out["shift_mV"] < 13  # REFERENCE.md §2 table: -89.5 -> -77.8 mV
    assert out["state"].startswith("high")
    assert tuple(panel.trace("chosen").x) == (7.0, 7.0)
    panel.k_out.value = 2.5
    assert panel.update()["state"].startswith("low")


def test_ladder_title_is_worded_from_the_numbers():
    """Issue 14: the title said "between E K⁺ and E Na⁺" whatever the state."""
    panel = widgets.membrane_panel("muscle")
    assert "between E K⁺ and E Na⁺" in panel.figure.plot_layout.title.text  # normal muscle: true
    panel.conc["K", "out"].value = 100.0  # E K⁺ ≈ −12 mV, V_rest ≈ −35 mV (chloride holds it down)
    e, v = panel.state["E_mV"], panel.state["V_rest_mV"]
    assert v < e["K"] < e["Na"]
    title = panel.figure.plot_layout.title.text
    assert "between" not in title and "below both E K⁺ and E Na⁺" in title
    assert f"{v:+.1f} mV" in title
    # every wording follows the order of the numbers
    assert plots.ladder_title({"K": 50.0, "Na": -20.0}, 0.0).endswith("between E Na⁺ and E K⁺")
    assert plots.ladder_title({"K": -90.0, "Na": 60.0}, 70.0).endswith("above both E K⁺ and E Na⁺")
    assert plots.ladder_title({"K": -90.0, "Na": 60.0}, -90.02).endswith("at E K⁺")


def test_panels_sit_on_the_kit_base_and_trace_keys_are_unique():
    for panel in (widgets.membrane_panel(), widgets.potassium_panel(), widgets.first_slider_panel()):
        assert isinstance(panel, kit.Panel)
        keys = [tr.meta for tr in panel.figure.data]
        assert None not in keys and len(set(keys)) == len(keys)
        assert set(panel.controls.values()) <= set(panel.children[0].children[0].children)
        check_figure_style(panel.figure)
        check_controls_fit(panel)


class _TinyPanel(kit.Panel):
    def __init__(self, figure):
        self.level = kit.slider("level (mV)", 1.0, 0.0, 5.0, 0.5)
        super().__init__({"level": self.level}, figure)

    def compute(self):
        return {"level": float(self.level.value)}

    def draw(self, st):
        self.set_xy("line", [0.0, 1.0], [st["level"]] * 2)
        self.set_shape("band", x0=0.0, x1=st["level"])
        self.set_layout({"title.text": f"level {st['level']:.1f} mV"})

    def describe(self, st):
        return f"{st['level']:.1f} mV"


@pytest.mark.parametrize("figure_class", ["FigureWidget", "PlotlyFigure"])
def test_the_base_draws_traces_shapes_and_layout_on_either_figure_class(figure_class):
    """draw() goes through the base (trace keys, shape names, dotted layout paths), so a panel
    redraws the same on plotly's FigureWidget and on the series' PlotlyFigure."""
    from utils.figures.widget import PlotlyFigure

    make = {"FigureWidget": go.FigureWidget, "PlotlyFigure": PlotlyFigure}[figure_class]
    band = dict(type="rect", name="band", x0=0, x1=0, y0=0, y1=1)
    fig = make(go.Figure(data=[go.Scatter(x=[], y=[], meta="line")], layout=dict(shapes=[band])))
    panel = _TinyPanel(fig)
    panel.level.value = 3.5
    as_json = fig.to_plotly_json()
    assert list(as_json["data"][0]["y"]) == [3.5, 3.5]
    assert as_json["layout"]["title"]["text"] == "level 3.5 mV"
    assert as_json["layout"]["shapes"][0]["x1"] == 3.5
    with pytest.raises(KeyError, match="no shape named 'nothing'"):
        panel.set_shape("nothing", x0=1)

"""A slider over named options (kit.control(w.SelectionSlider, ...)) is the series' own accessible Slider."""

import ipywidgets as w

from utils import export, kit
from utils.panels.controls import IntegerSlider


def test_selection_slider_over_positions_becomes_a_labelled_integer_slider():
    options = [("-10 pA (sweep 0)", 0), ("+0 pA (sweep 1)", 1), ("+10 pA (sweep 2)", 2)]
    s = kit.control(w.SelectionSlider, "current step (sweep)", options=options, value=1)
    assert isinstance(s, IntegerSlider)  # a native <input type=range> with a <label for>: it has a name
    assert (s.value, s.min, s.max, s.step) == (1, 0, 2, 1)
    assert s.labels == [t for t, _ in options]
    assert "labels" in s.get_state() and 'const labels = model.get("labels")' in s._esm
    assert "+0 pA (sweep 1)" in export.render(s)  # the static page reads out the option's name
    s.value = 2
    assert "+10 pA (sweep 2)" in export.render(s)


def test_other_selection_sliders_stay_ipywidgets():
    s = kit.control(w.SelectionSlider, "shape", options=[("a", "x"), ("b", "y")], value="y")
    assert isinstance(s, w.SelectionSlider) and s.value == "y"

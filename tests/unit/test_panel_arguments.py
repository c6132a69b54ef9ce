"""Panels and figure helpers check their own arguments (issue 19): a value outside a slider's range,
a wrong type or an unknown choice is refused with a ParameterError that names the parameter, its
unit and the allowed range (or the choices), instead of being clamped silently or failing deep
inside numpy, plotly or traitlets. The kit's builders (``kit.slider(..., param=...)``,
``kit.int_slider``, ``kit.dropdown``, ``kit.check_seed``, ``kit.check_keywords``) do the checks, so
each panel declares only which argument sets which control."""

import pytest

from utils import ParameterError
from utils.figures import framing, nmj_plots, plots
from utils.panels import (
    controls,
    emg_widgets,
    fibre_widgets,
    hh_widgets,
    kit,
    muscle_widgets,
    nmj_widgets,
    twitch_widgets,
    widgets,
)

CASES = [
    # (callable, kwargs, words the message must hold: parameter, unit, range or choices)
    (widgets.first_slider_panel, {"rate_Hz": 100.0}, ["rate_Hz", "Hz", "[1, 40]"]),
    (widgets.first_slider_panel, {"rate_Hz": 10**400}, ["rate_Hz", "[1, 40]"]),
    (widgets.membrane_panel, {"preset": "frog"}, ["preset", "'muscle'"]),
    (muscle_widgets.RatePanel, {"T_ms": 5.0, "show_recordings": False}, ["T_ms", "ms", "[10, 100]"]),
    (muscle_widgets.pool_panel, {"excitation_pct": -1.0}, ["excitation_pct", "% of maximum", "[0, 100]"]),
    (muscle_widgets.PoolPanel, {"seed": "one"}, ["seed", "whole number"]),
    (muscle_widgets.pattern_panel, {"key": "hiccup"}, ["key", "'fasciculation'"]),
    (nmj_widgets.motor_unit_panel, {"unit": 500}, ["unit", "no.", "[1, 120]"]),
    (nmj_widgets.release_panel, {"ca_mM": 9.0}, ["ca_mM", "mM", "[0.2, 3]"]),
    (nmj_widgets.release_panel, {"mg_mM": float("nan")}, ["mg_mM", "mM"]),
    (hh_widgets.threshold_panel, {"amplitude_uA": -1.0}, ["amplitude_uA", "µA/cm²"]),
    (hh_widgets.clamp_panel, {"v_step_mV": 200.0}, ["v_step_mV", "mV", "[-100, 60]"]),
    (emg_widgets.synthetic_panel, {"fasciculation_Hz": 5.0}, ["fasciculation_Hz", "Hz", "[0.05, 2]"]),
    (fibre_widgets.fibre_rest_panel, {"k_mM": 0.0}, ["k_mM", "mmol/L"]),
    (fibre_widgets.periodic_paralysis_panel, {"bogus": 1}, ["bogus", "g_cl_scale"]),
    (twitch_widgets.syndrome_panel, {"key": "cramp"}, ["key", "'tetany'"]),
    (twitch_widgets.SyndromePanel, {"key": "tetany", "seed": -1, "precompute": False}, ["seed", "[0, "]),
    (twitch_widgets.cached_run, {"key": "tetany", "value": 5.0}, ["value", "mmol/L"]),
    (twitch_widgets.causes_markdown, {"group": "rare"}, ["group", "'central'"]),
    (kit.decimate, {"t": [0.0, 1.0], "y": [1.0]}, ["t and y", "same length"]),
    (controls.IntegerSlider, {"value": 2.5, "lo": 0, "hi": 9, "step": 1, "description": "seed"}, ["value"]),
    (controls.ChoiceSlider, {"options": ["a", "b"], "value": "c", "description": "x"}, ["value", "'a'"]),
    (plots.log_ticks, {"lo": 0.0, "hi": 10.0}, ["lo", "log axis"]),
    (plots.line_style, {"key": "purple"}, ["key", "'c0'"]),
    (plots.plural, {"n": -2, "word": "unit"}, ["n", "≥ 0"]),
    (framing.wrap, {"text": "a b", "max_chars": 0}, ["max_chars", "[1, "]),
    (nmj_plots.motor_unit_figure, {"duration_s": 0.0}, ["duration_s", "s", "(0, 3600]"]),
    (nmj_plots.unit_marker, {"i": 1.5}, ["i", "whole number"]),
]


@pytest.mark.parametrize("fn, kwargs, words", CASES, ids=[f"{c[0].__name__}-{'-'.join(c[1])}" for c in CASES])
def test_a_bad_argument_is_refused_with_its_name_unit_and_range(fn, kwargs, words):
    with pytest.raises(ParameterError) as ei:
        fn(**kwargs)
    msg = str(ei.value)
    for word in words:
        assert word in msg, f"{fn.__name__}({kwargs}): {word!r} not in {msg!r}"


def test_a_value_in_range_is_kept_exactly_not_clamped():
    """The check replaces the old silent clamp only outside the range: inside it, the panel opens
    at the value given (notebook 00's 2 Hz, the sliders' ends)."""
    assert widgets.first_slider_panel(rate_Hz=2).rate.value == 2.0
    assert widgets.first_slider_panel(rate_Hz=40).rate.value == 40.0
    s = kit.slider("rate (Hz)", 1.0, 1.0, 10.0, 0.5, param="rate_Hz")
    assert s.value == 1.0


def test_release_panel_default_mg_stays_on_its_slider_at_high_calcium():
    """At Ca 3 mM the Mg that gives Boyd & Martin's m = ln(198/18) is 46 mM, off the 0-20 mM slider:
    the derived default is held at the slider's end, not refused (the reader did not pass mg_mM)."""
    assert nmj_widgets.mg_for_quantal_content(nmj_widgets.M_BOYD_MARTIN, 3.0) > 20.0
    assert nmj_widgets.release_panel(ca_mM=3.0).mg.value == nmj_widgets.MG_RANGE_mM[1]

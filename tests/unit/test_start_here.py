"""Notebook 00 (start here): the map of the series, the safety note and the first-slider panel."""

import math
import re
from pathlib import Path

import nbformat
import pytest
from panel_checks import plain

from utils import muscle, series, widgets

ROOT = Path(__file__).resolve().parents[2]
NB00 = ROOT / "notebooks" / "00_start_here.ipynb"


def _markdown(path):
    return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")


def test_the_map_is_the_series_table():
    assert series.map_markdown() in _markdown(NB00)


@pytest.mark.parametrize("nb", series.SERIES, ids=lambda nb: nb.stem)
def test_map_times_match_what_each_notebook_says(nb):
    path = ROOT / "notebooks" / nb.filename
    if not path.is_file():
        pytest.skip(f"{nb.filename} is not written yet")
    first = nbformat.read(path, as_version=4).cells[0].source
    m = re.search(r"\*\*Time needed:\*\* about (\d+) minutes", first)
    assert m and int(m.group(1)) == nb.minutes, f"{nb.filename} says {m and m.group(1)} minutes"
    assert first.startswith(f"# {nb.number} · ")


def test_the_safety_note_is_there_once_and_calm():
    text = _markdown(NB00)
    assert text.count("## 5 · Twitching and your health") == 1
    assert "not medical advice" in text
    flat = " ".join(text.replace("**", "").split())
    for sign in ("two weeks", "more than one place", "weakness", "trouble breathing or swallowing"):
        assert sign in flat, sign
    # urgency in tiers (issue 17): breathing or swallowing trouble is the urgent one
    assert text.index("**Now**") < text.index("**Soon**") < text.index("**Within weeks**")
    assert "worried_reader.ipynb" in text


def test_first_slider_panel_labels_follow_the_twitch_physics():
    panel = widgets.first_slider_panel(rate_Hz=1)
    st = panel.update()
    # 1 Hz: the 90 ms twitch (peak P = 1 at t = T) has relaxed to < 0.1 % after 1000 ms
    assert 1000 / 90 * math.exp(1 - 1000 / 90) < 1e-3
    assert st["label"] == "single twitch" and st["n_spikes"] == 2
    assert st["peak_force_rel"] == pytest.approx(1.0, abs=0.01)
    panel.rate.value = 40
    st = panel.update()
    assert st["label"] == "fused tetanus" and st["n_spikes"] == 80
    # fused: the mean force approaches the tetanic limit P·e/0.300 ≈ 9.05 (fuglevand1993)
    assert st["peak_force_rel"] == pytest.approx(muscle.tetanic_force_au(1.0), rel=0.02)
    assert muscle.tetanic_force_au(1.0) == pytest.approx(math.e / 0.300, rel=0.01)


def test_first_slider_panel_updates_its_figure_in_place():
    panel = widgets.first_slider_panel(rate_Hz=2)
    fig = panel.figure
    y_before = list(panel.trace("force").y)
    panel.rate.value = 10  # the slider's observer calls update()
    assert panel.figure is fig and len(fig.data) == 2
    assert list(panel.trace("force").y) != y_before
    assert len(panel.trace("spikes").x) == 20
    assert "10 Hz" in plain(fig).layout.title.text
    assert "20</b> nerve impulses" in panel.readout.value


def test_first_slider_is_labelled_with_its_unit_and_keyboard_operable():
    panel = widgets.first_slider_panel()
    assert panel.rate.description == "firing rate (Hz)"
    assert panel.rate.min == 1 and panel.rate.max == 40 and panel.rate.step == 1
    assert panel.figure.plot_layout.xaxis.title.text == "time (s)"
    assert "(" in panel.figure.plot_layout.yaxis.title.text

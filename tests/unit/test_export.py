"""utils.export (static snapshots of widgets) and the exporter's formula drawing."""

import sys
from pathlib import Path

import ipywidgets as w
import plotly.graph_objects as go
import pytest

from utils import export

ROOT = Path(__file__).resolve().parents[2]


def _figure():
    return go.FigureWidget(
        data=[go.Scatter(x=[0, 1, 2], y=[0, 0, 0], mode="lines")],
        layout={"title": {"text": "first"}, "height": 300},
    )


def test_render_draws_a_plotly_figure_widget_from_its_kernel_state():
    from utils.figures.widget import PlotlyFigure

    fig = PlotlyFigure(data=[dict(type="scatter", name="v", x=[0.0, 1.0, 2.0], y=[0.0, 0.0, 0.0])], layout={})
    with fig.batch_update():
        fig.trace("v").y = [1.0, 2.0, 3.0]
        fig.layout_update({"title.text": "updated"})
    page = export.render(fig, "f")
    assert "updated" in page and "[1.0,2.0,3.0]" in page.replace(" ", "")


def test_render_lists_controls_with_their_values_and_draws_the_figure():
    slider = w.FloatSlider(value=1.25, min=0, max=2, step=0.05, description="gap (mV)", readout_format=".2f")
    menu = w.Dropdown(
        options=[("Squid axon", "squid"), ("Muscle", "muscle")], value="muscle", description="cell type"
    )
    hidden = w.HTML("secret", layout=w.Layout(display="none"))
    box = w.VBox(
        [w.HBox([slider, menu]), w.HTML("<b>E K</b> -97.7 mV"), hidden, w.Button(description="Go"), _figure()]
    )
    html = export.render(box, "t")
    assert '<span class="twitch-label">gap (mV)</span> <span class="twitch-value">1.25</span>' in html
    assert '<span class="twitch-label">cell type</span> <span class="twitch-value">Muscle</span>' in html
    assert "<b>E K</b> -97.7 mV" in html
    assert "secret" not in html and "Go" not in html
    assert html.count('class="plotly-graph-div"') == 1 and 'id="fig-t-4"' in html
    assert "http://" not in html and "https://" not in html  # no script or style from the internet


def test_render_quiz_question_shows_every_option_and_the_chosen_one():
    radio = w.RadioButtons(options=[("A", 0), ("B", 1)], value=1)
    html = export.render(radio)
    assert "○ A" in html and "◉ B" in html


def test_render_real_panel_lists_every_slider():
    from utils import widgets

    panel = widgets.MembranePanel()
    html = export.render(panel, "p")
    sliders = [c for c in panel.controls.values() if isinstance(c, w.FloatSlider)]
    for s in sliders:
        assert f'<span class="twitch-label">{s.description}</span>' in html
    assert 'class="plotly-graph-div"' in html


@pytest.fixture(scope="module")
def exporter():
    sys.path.insert(0, str(ROOT / "tools"))
    import export_html

    return export_html


def test_formula_drawn_as_labelled_svg(exporter):
    out = exporter.render_math(r"the ratio $\frac{RT}{zF}$ and $$E_\text{K} = 1$$ done")
    assert out.startswith('the ratio <span class="twitch-math"><svg role="img" aria-label="\\frac{RT}{zF}"')
    assert out.count("<svg") == 2 and "twitch-math-block" in out and out.endswith(" done")
    assert "$" not in out


def test_unparseable_formula_stays_readable_tex(exporter):
    out = exporter.render_math(r"see $\notacommand{x}$")
    assert out == r'see <span class="twitch-math twitch-tex">\notacommand{x}</span>'

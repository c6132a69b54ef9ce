"""Shared checks for the interactive panels: a control must redraw its FigureWidget in place."""

import numpy as np

from utils import kit, plots
from utils.figures.widget import PlotlyFigure


def plain(fig):
    """A ``go.Figure`` to read with plotly's attribute API (a PlotlyFigure's current state)."""
    return fig.to_figure() if isinstance(fig, PlotlyFigure) else fig


def snapshot(fig):
    """Copies of every trace's x and y (None where a trace has none)."""
    return [
        (
            None if tr.x is None else np.asarray(tr.x, float).copy(),
            None if tr.y is None else np.asarray(tr.y, float).copy(),
        )
        for tr in fig.data
    ]


def changed(before, after) -> bool:
    """True when any trace's x or y differs between two snapshots."""
    for (x0, y0), (x1, y1) in zip(before, after):
        for a, b in ((x0, x1), (y0, y1)):
            if (a is None) != (b is None):
                return True
            if a is not None and (a.shape != b.shape or not np.array_equal(a, b)):
                return True
    return False


def move(panel, control, value):
    """Set a control and assert that the panel's one FigureWidget changed in place (same object, same traces)."""
    fig, n = panel.figure, len(panel.figure.data)
    before = snapshot(fig)
    control.value = value
    assert panel.figure is fig and isinstance(fig, PlotlyFigure)
    assert len(fig.data) == n, "a control must not add or remove traces"
    assert changed(before, snapshot(fig)), f"{control.description} did not change the figure"


#: Okabe–Ito colours (upper-case hex) and black: the only colours a panel's figure may use.
OKABE_ITO = {c.upper() for c in plots.OKABE_ITO.values()} | {"BLACK"}
#: The longest control label that fits the kit's 210 px label column at the series' font.
MAX_LABEL_CHARS = 26


def legend_style(tr) -> tuple:
    """What tells a trace apart in the legend: its line (colour, dash) and marker (symbol, colour)."""
    mode = tr.mode or ""
    line = (tr.line.color, tr.line.dash or "solid") if "lines" in mode else None
    marker = (tr.marker.symbol or "circle", tr.marker.color) if "markers" in mode else None
    return line, marker


def check_figure_style(fig) -> None:
    """Every legend entry differs from the others in line or marker style (not only in name),
    uses Okabe–Ito colours, and every axis title names its unit."""
    fig = plain(fig)
    seen = {}
    for tr in fig.data:
        line, marker = legend_style(tr)
        for colour in (line and line[0], marker and marker[1]):
            assert colour is None or str(colour).upper() in OKABE_ITO, f"{tr.name!r}: colour {colour}"
        if tr.showlegend is False or not tr.name:
            continue
        assert (line, marker) not in seen, f"{tr.name!r} has the legend style of {seen[(line, marker)]!r}"
        seen[line, marker] = tr.name
    for name in fig.layout:
        if name.startswith(("xaxis", "yaxis")) and fig.layout[name].title.text not in (None, "ion"):
            assert "(" in fig.layout[name].title.text, f"{name} title has no unit"


def check_controls_fit(panel) -> None:
    """Every control's label fits its 210 px column; every slider's label names its unit."""
    for control in panel.controls.values():
        text = control.description
        assert len(text) <= MAX_LABEL_CHARS, f"label {text!r} is longer than {MAX_LABEL_CHARS} characters"
        if isinstance(control, kit.Slider) and not isinstance(control, kit.IntegerSlider):
            assert "(" in text and text.endswith(")"), f"slider label {text!r} has no unit"
        if isinstance(control, kit.Slider):  # the series' slider: a label, a track and its value
            assert control.readout_format
        else:
            assert control.style.description_width == kit.CONTROL_STYLE["description_width"]


def assert_traces_drawn(fig, allow_empty=()):
    """Every trace of ``fig`` has a key (``meta``) and x and y of the same, non-zero length
    (what the browser needs to draw it where the kernel has it); ``allow_empty`` names keys
    that may legitimately hold no points (both x and y empty)."""
    from utils import framing

    framing.named_traces(fig)
    for tr in fig.data:
        assert tr.x is not None and tr.y is not None, f"trace {tr.meta!r} lacks x or y"
        nx, ny = len(tr.x), len(tr.y)
        assert nx == ny, f"trace {tr.meta!r}: {nx} x values, {ny} y values"
        assert nx > 0 or tr.meta in allow_empty, f"trace {tr.meta!r} is empty"


def assert_framed(fig):
    """Title and legend above the plots, credit below the x-axis title, nothing overlapping
    (``utils.framing.layout_problems``)."""
    fig = plain(fig)
    from utils import framing

    problems = framing.layout_problems(fig)
    assert not problems, problems


def assert_theme(fig):
    """The series' theme: every axis title names its unit (brackets); every trace's colour is an
    Okabe–Ito colour (bars may be grey); in one subplot no two line traces share colour and
    dash, and no two marker traces share colour and symbol (so nothing depends on colour)."""
    fig = plain(fig)
    from utils import plots

    palette = {c.lower() for c in plots.OKABE_ITO.values()} | {"black", "white"}
    lay = fig.layout.to_plotly_json()
    for name, ax in lay.items():
        if name.startswith(("xaxis", "yaxis")) and ax.get("visible", True):
            text = (ax.get("title") or {}).get("text")
            assert text is None or ("(" in text and ")" in text), f"{name} title {text!r} has no unit"
    seen = {}
    for tr in fig.data:
        if tr.type != "scatter":
            continue
        where = (tr.xaxis, tr.yaxis)
        if "lines" in (tr.mode or ""):
            colour = str(tr.line.color).lower()
            assert colour in palette, f"trace {tr.meta!r}: line colour {colour} is not Okabe–Ito"
            style = ("line", colour, tr.line.dash or "solid")
        elif "markers" in (tr.mode or ""):
            colour = str(tr.marker.color).lower()
            assert colour in palette, f"trace {tr.meta!r}: marker colour {colour} is not Okabe–Ito"
            style = ("marker", colour, tr.marker.symbol)
        else:
            continue
        assert style not in seen.get(where, set()), f"trace {tr.meta!r} looks like another in its subplot"
        seen.setdefault(where, set()).add(style)

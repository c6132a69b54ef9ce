"""The panel kit: one look, one slider style, one read-out box, one decimator and the ``Panel``
base class that every interactive panel of the series sits on.

A panel declares its controls and implements three methods:

- ``compute()``: pure; reads the controls' values and returns a state dict (numbers, arrays);
- ``draw(state)``: updates the panel's figure in place, in one batch;
- ``describe(state)``: the text read-out (HTML), so the state is readable without the figure.

The base owns the observers, the re-entry guard and :meth:`Panel.update`, the one function
that the controls, the benchmarks and the tests call.
"""

from __future__ import annotations

import inspect
import math
import re

import ipywidgets as w  # noqa: PLC0415 (deferred: reads ipywidgets' live instances)
import numpy as np

from ..validation import ParameterError, check_array, check_choice, check_instance, check_int, check_range
from .controls import ChoiceSlider, IntegerSlider, Slider

#: The most samples a trace sends to the browser (min/max decimation keeps spikes and twitches).
MAX_POINTS = 2000

#: One layout and style for every control of the series (visible label, value not clipped).
CONTROL_LAYOUT = dict(width="100%", max_width="560px", min_width="260px")
CONTROL_STYLE = {"description_width": "210px"}
#: The read-out column.
READOUT_STYLE = "font-size:16px;line-height:1.35;padding:4px 8px;max-width:560px"


def control_layout() -> w.Layout:
    """A fresh layout for one control (ipywidgets layouts must not be shared between views)."""
    return w.Layout(**CONTROL_LAYOUT)


def control(cls, description: str, **kw):
    """A control of class ``cls`` in the series' style: visible label in the label column, one
    layout. A ``FloatSlider`` or ``IntSlider`` request gives the series' own :class:`Slider`
    (accessible name, no stale echo, value never clipped)."""
    if cls is w.FloatSlider:
        return Slider(
            kw["value"], kw["min"], kw["max"], kw["step"], description, kw.get("readout_format", ".1f")
        )
    if cls is w.IntSlider:
        return IntegerSlider(kw["value"], kw["min"], kw["max"], kw.get("step", 1), description)
    if cls is w.SelectionSlider:
        return ChoiceSlider(kw["options"], kw["value"], description)
    return cls(description=description, style=dict(CONTROL_STYLE), layout=control_layout(), **kw)


def unit_of(description: str) -> str:
    """The unit in a control's label: the text in its last parentheses ("" if none).

    >>> unit_of("firing rate (Hz)"), unit_of("excitation (% of maximum)"), unit_of("pattern")
    ('Hz', '% of maximum', '')
    """
    description = check_instance(description, "description", str, what="a control's label")
    m = re.search(r"\(([^()]*)\)\s*$", description)
    return m.group(1) if m else ""


def slider(
    description: str, value: float, lo: float, hi: float, step: float, fmt: str = ".1f", *, param: str = ""
) -> Slider:
    """A labelled slider (visible label with unit, keyboard-operable, continuous updates).

    The one slider style of the series: every panel builds its sliders here. ``param`` names the
    panel's argument that sets the initial ``value``: it is then checked against the slider's
    range (a :class:`ParameterError` naming ``param``, the unit from the label and the range),
    instead of being clamped silently.

    >>> s = slider("rate (Hz)", 2.0, 1.0, 10.0, 0.5)
    >>> (s.value, s.min, s.max, s.description)
    (2.0, 1.0, 10.0, 'rate (Hz)')
    >>> slider("rate (Hz)", 20.0, 1.0, 10.0, 0.5, param="rate_Hz")
    Traceback (most recent call last):
    ...
    utils.validation.ParameterError: rate_Hz = 20 Hz is not allowed (rate); allowed range: [1, 10] Hz.
    """
    if param:
        value = check_range(value, param, unit_of(description), lo=lo, hi=hi, what=label_of(description))
    return Slider(value, lo, hi, step, description, fmt)


def int_slider(
    description: str, value: int, lo: int, hi: int, step: int = 1, *, param: str = ""
) -> IntegerSlider:
    """An integer slider in the series' style (same control, whole numbers); ``param`` as in
    :func:`slider`."""
    if param:
        value = check_int(value, param, lo=lo, hi=hi, what=label_of(description), unit=unit_of(description))
    return IntegerSlider(value, lo, hi, step, description)


def dropdown(description: str, options, value, *, param: str = "") -> w.Dropdown:
    """A labelled drop-down menu in the series' style. ``param`` names the panel's argument that
    sets ``value`` (default: ``value``): it must be one of the options' values (a
    :class:`ParameterError` naming it)."""
    values = [o[1] if isinstance(o, (tuple, list)) else o for o in options]
    value = check_choice(value, param or "value", values, what=label_of(description))
    return control(w.Dropdown, description, options=options, value=value)


def label_of(description: str) -> str:
    """A control's label without its unit: ``"firing rate (Hz)"`` → ``"firing rate"``."""
    description = check_instance(description, "description", str, what="a control's label")
    return re.sub(r"\s*\([^()]*\)\s*$", "", description) or description


def check_keywords(kwargs: dict, cls) -> dict:
    """``kwargs`` if every key is a parameter of ``cls`` (a panel's factory passes them on)."""
    kwargs = check_instance(kwargs, "kwargs", dict, what="a dict of keyword arguments")
    allowed = [p for p in inspect.signature(cls).parameters if not p.startswith("_")]
    unknown = sorted(set(kwargs) - set(allowed))
    if unknown:
        raise ParameterError(
            f"{cls.__name__} has no parameter {', '.join(unknown)}; its parameters: {', '.join(allowed)}."
        )
    return kwargs


def check_seed(seed, name: str = "seed") -> int:
    """A panel's random seed: a whole number in [0, 2³²) (numpy's seed range)."""
    return check_int(seed, name, lo=0, hi=2**32 - 1, what="random seed")


def readout_box(inner: str) -> str:
    """The read-out's HTML wrapper: one font size and width for every panel."""
    return f"<div style='{READOUT_STYLE}'>{inner}</div>"


def decimate(t, y, max_points: int = MAX_POINTS):
    """At most ``max_points`` samples of a trace, keeping each bin's minimum and maximum (so
    spikes and brief twitches survive). Returns float32 arrays (t, y).

    >>> t, y = decimate(np.arange(10_000.0), np.sin(np.arange(10_000.0)), 1000)
    >>> t.size <= 1000 and float(y.max()) > 0.99
    True
    """
    big = float(np.finfo(np.float32).max)  # the trace is sent as float32
    t = check_array(t, "t", lo=-big, hi=big, what="sample times (float32 range)")
    y = check_array(y, "y", lo=-big, hi=big, what="samples (float32 range)")
    if t.size != y.size:
        raise ParameterError(f"t and y must have the same length, got {t.size} and {y.size} samples.")
    max_points = check_int(max_points, "max_points", lo=2, hi=10**7, what="samples sent to the browser")
    if y.size <= max_points:
        return t.astype(np.float32), y.astype(np.float32)
    k = int(math.ceil(2 * y.size / max_points))
    n = (y.size // k) * k
    Y = y[:n].reshape(-1, k)
    T = t[:n].reshape(-1, k)
    lo, hi = Y.argmin(axis=1), Y.argmax(axis=1)
    first = np.minimum(lo, hi)
    second = np.maximum(lo, hi)
    rows = np.arange(Y.shape[0])
    tt = np.column_stack([T[rows, first], T[rows, second]]).ravel()
    yy = np.column_stack([Y[rows, first], Y[rows, second]]).ravel()
    return tt.astype(np.float32), yy.astype(np.float32)


class Panel(w.VBox):
    """The base of every interactive panel: controls and a compact read-out above one figure.

    A subclass builds its controls and figure, then calls ``super().__init__(controls, figure)``
    and implements :meth:`compute`, :meth:`draw` and :meth:`describe`. The base:

    - observes every control and calls :meth:`update` when one moves (with a re-entry guard, so a
      control set inside ``draw`` does not recurse);
    - lays the controls and the read-out side by side above the figure, wrapping to a stack on a
      narrow screen, so the slider, its value and the figure are visible together;
    - keeps the last state in :attr:`state`.

    Traces are addressed by a key that the figure builder stores in each trace's ``meta``
    (:meth:`trace`), never by position.
    """

    def __init__(self, controls: dict, figure, *, extra: tuple = (), update: bool = True):
        self.controls = dict(controls)
        self.figure = figure
        self.readout = w.HTML(layout=w.Layout(flex="1 1 300px", min_width="260px"))
        self.state: dict = {}
        self._updating = False
        for control in self.controls.values():
            control.observe(self.on_change, "value")
        column = w.VBox(list(self.controls.values()), layout=w.Layout(flex="1 1 420px", min_width="260px"))
        top = w.Box(
            [column, self.readout],
            layout=w.Layout(display="flex", flex_flow="row wrap", align_items="flex-start", width="100%"),
        )
        # A panel with more to say than fits beside its controls writes it below the figure (explain),
        # so the controls, their values and the figure stay on one screen.
        self.notes = w.HTML() if type(self).explain is not Panel.explain else None
        below = [self.notes] if self.notes is not None else []
        children = [top] + ([figure] if figure is not None else []) + below + list(extra)
        super().__init__(children, layout=w.Layout(width="100%"))
        self.add_class("twitch-panel")
        if update:
            self.update()

    # -- what a subclass implements -----------------------------------------------------------
    def compute(self) -> dict:
        """The state for the controls' current values: pure, returns numbers and arrays."""
        raise NotImplementedError

    def draw(self, state: dict) -> None:
        """Update the figure in place from ``state`` (one batch)."""
        raise NotImplementedError

    def describe(self, state: dict) -> str:
        """The read-out for ``state``, as HTML (the text a student reads without the figure)."""
        raise NotImplementedError

    def explain(self, state: dict) -> str:
        """Optional: the longer account of ``state``, shown below the figure (HTML)."""
        return ""

    # -- what the base provides ---------------------------------------------------------------
    def value(self, name: str):
        """The current value of control ``name``."""
        return self.controls[name].value

    def trace(self, key: str):
        """The figure's trace whose ``meta`` is ``key`` (a named handle; never an index)."""
        if hasattr(self.figure, "trace_keys"):  # PlotlyFigure: its own named handles
            return self.figure.trace(key)
        for t in self.figure.data:
            if t.meta == key:
                return t
        raise KeyError(f"{type(self).__name__}: no trace with key {key!r} in its figure")

    def set_xy(self, key: str, x, y) -> None:
        """Set the x and y data of the trace ``key`` (inside :meth:`draw`)."""
        tr = self.trace(key)
        tr.x, tr.y = x, y

    def set_layout(self, update: dict) -> None:
        """Change the figure's layout; keys may be dotted paths: ``{"title.text": "..."}``."""
        if hasattr(self.figure, "layout_update"):  # PlotlyFigure
            self.figure.layout_update(update)
        else:
            self.figure.update_layout(update)

    def set_shape(self, name: str, **props) -> None:
        """Change the layout shape (e.g. a shaded pulse) named ``name``: ``set_shape("pulse", x0=1, x1=2)``."""
        if hasattr(self.figure, "layout_update"):  # PlotlyFigure: shapes are plain dicts
            shapes = list(self.figure.figure_layout.get("shapes", []))
        else:
            shapes = list(self.figure.layout.shapes)
        for shape in shapes:
            if (shape.get("name") if isinstance(shape, dict) else shape.name) == name:
                break
        else:
            raise KeyError(f"{type(self).__name__}: no shape named {name!r} in its figure")
        if isinstance(shape, dict):
            shape.update(props)
            self.figure.layout_update({"shapes": shapes})
        else:
            shape.update(props)

    def on_change(self, _change=None) -> None:
        """What every control calls."""
        self.update()

    def update(self) -> dict:
        """Recompute, redraw in place and rewrite the read-out; returns the state (what the
        controls, the benchmarks and the tests call). A call made while an update is running
        (e.g. a control set inside ``draw``) returns the current state and does nothing."""
        if self._updating:
            return self.state
        self._updating = True
        try:
            state = self.compute()
            if self.figure is not None:
                with self.figure.batch_update():
                    self.draw(state)
            self.readout.value = readout_box(self.describe(state))
            if self.notes is not None:
                self.notes.value = readout_box(self.explain(state))
            self.state = state
        finally:
            self._updating = False
        return state

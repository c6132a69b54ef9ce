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

import math

import ipywidgets as w  # noqa: PLC0415 (deferred: reads ipywidgets' live instances)
import numpy as np

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


def slider(
    description: str, value: float, lo: float, hi: float, step: float, fmt: str = ".1f"
) -> w.FloatSlider:
    """A labelled slider (visible label with unit, keyboard-operable, continuous updates).

    The one slider style of the series: every panel builds its sliders here.

    >>> s = slider("rate (Hz)", 2.0, 1.0, 10.0, 0.5)
    >>> (s.value, s.min, s.max, s.description)
    (2.0, 1.0, 10.0, 'rate (Hz)')
    """
    return w.FloatSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        readout_format=fmt,
        style=dict(CONTROL_STYLE),
        layout=control_layout(),
        continuous_update=True,
    )


def int_slider(description: str, value: int, lo: int, hi: int, step: int = 1) -> w.IntSlider:
    """An integer slider in the series' style."""
    return w.IntSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        style=dict(CONTROL_STYLE),
        layout=control_layout(),
        continuous_update=True,
    )


def dropdown(description: str, options, value) -> w.Dropdown:
    """A labelled drop-down menu in the series' style."""
    return w.Dropdown(
        options=options,
        value=value,
        description=description,
        style=dict(CONTROL_STYLE),
        layout=control_layout(),
    )


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
    t, y = np.asarray(t), np.asarray(y)
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

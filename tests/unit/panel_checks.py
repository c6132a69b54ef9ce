"""Shared checks for the interactive panels: a control must redraw its FigureWidget in place."""

import numpy as np
import plotly.graph_objects as go


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
    assert panel.figure is fig and isinstance(fig, go.FigureWidget)
    assert len(fig.data) == n, "a control must not add or remove traces"
    assert changed(before, snapshot(fig)), f"{control.description} did not change the figure"

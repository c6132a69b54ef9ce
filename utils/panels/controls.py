"""The series' own slider: a labelled ``<input type=range>`` with its value and unit beside it.

Why not ``ipywidgets.FloatSlider``: after a programmatic set its front end can send a stale value
back (ipywidgets issue 3951: notebook 00's slider jumped back to 10 Hz after a cell set 2), its
handle has no accessible name (axe ``aria-input-field-name``), and its read-out is clipped in narrow
columns. This one:

- **never echoes**: the browser sends a value only when the student moves the slider;
- **snaps** what the student sets to the step grid (10 stays 10, not 10.000000000000002); a value
  set from the kernel is kept exactly (clamped to the range), as with ``FloatSlider``;
- **is accessible**: a visible ``<label for>``, keyboard operation of a native range input, and an
  ``aria-valuetext`` with the unit taken from the label ("firing rate (Hz)" → "5 Hz");
- **fits**: a CSS grid (label | track | value) that wraps on a narrow screen, nothing clipped.

It keeps the ``FloatSlider`` names that panels, tests and notebooks use: ``value``, ``min``,
``max``, ``step``, ``description``, ``readout_format``, ``continuous_update``, ``disabled``.
"""

from __future__ import annotations

import math
import uuid
import weakref

import anywidget
import traitlets

from ..resources import asset_text
from ..validation import ParameterError, check_choice, check_int, check_range

CSS = """
.twitch-slider { display: grid; grid-template-columns: minmax(9em, 15em) minmax(8em, 1fr) minmax(4.5em, max-content);
  align-items: center; column-gap: 0.6em; row-gap: 0.1em; width: 100%; max-width: 640px; margin: 2px 0;
  font-size: var(--jp-widgets-font-size, 14px); box-sizing: border-box; }
.twitch-slider-label { overflow-wrap: anywhere; line-height: 1.25; }
.twitch-slider-input { width: 100%; min-width: 6em; margin: 0; accent-color: #0072B2; }
.twitch-slider-input:focus-visible { outline: 3px solid #E69F00; outline-offset: 2px; }
.twitch-slider-value { font-variant-numeric: tabular-nums; overflow-wrap: anywhere; font-weight: 600; }
@media (max-width: 560px) {
  .twitch-slider { grid-template-columns: 1fr max-content; }
  .twitch-slider-label { grid-column: 1 / -1; }
}
"""


def snap(value: float, lo: float, hi: float, step: float) -> float:
    """``value`` on the grid ``lo + k·step`` within [lo, hi], rounded so grid points are exact.

    >>> snap(10.000000000000002, 1.0, 40.0, 1.0)
    10.0
    >>> snap(0.30000000000000004, 0.0, 1.0, 0.1)
    0.3
    >>> snap(99.0, 0.0, 40.0, 0.5)
    40.0
    """
    lo = check_range(lo, "lo", what="lower end of the slider")
    hi = check_range(hi, "hi", lo=lo, what="upper end of the slider")
    step = check_range(step, "step", lo=0.0, what="slider step")
    v = min(hi, max(lo, check_range(value, "value", what="slider value")))
    if step > 0:
        v = lo + round((v - lo) / step) * step
        digits = max(0, -math.floor(math.log10(step))) + 2 if step < 1 else 2
        v = round(v, digits + 6)
        v = min(hi, max(lo, v))
    return float(v)


class Slider(anywidget.AnyWidget):
    """A float slider: the value is clamped to [min, max]; the browser snaps moves to the step grid."""

    _esm = asset_text(__package__, "slider.js")
    _css = CSS
    value = traitlets.Float(0.0).tag(sync=True)
    min = traitlets.Float(0.0).tag(sync=True)
    max = traitlets.Float(1.0).tag(sync=True)
    step = traitlets.Float(0.1).tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    readout_format = traitlets.Unicode(".1f").tag(sync=True)
    continuous_update = traitlets.Bool(True).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    _slider_id = traitlets.Unicode("").tag(sync=True)  # names the view in the page (data-twitch-slider)
    labels = traitlets.List(traitlets.Unicode()).tag(sync=True)  # a ChoiceSlider's option labels
    index = traitlets.Int(0).tag(sync=True)  # a ChoiceSlider's position

    #: Every slider alive in this kernel (the browser tests compare each with what the page shows).
    live: weakref.WeakSet = weakref.WeakSet()

    def __init__(
        self, value: float, lo: float, hi: float, step: float, description: str, fmt: str = ".1f", **kw
    ):
        what = f"slider {description!r}"
        lo, hi, step, value = (
            check_range(x, name, what=what)
            for name, x in (("lo", lo), ("hi", hi), ("step", step), ("value", value))
        )
        if not lo < hi or step <= 0:
            raise ParameterError(
                f"slider {description!r}: needs min < max and step > 0 (got {lo}, {hi}, {step})."
            )
        Slider.live.add(self)
        kw.setdefault("_slider_id", uuid.uuid4().hex)
        super().__init__(
            min=float(lo), max=float(hi), step=float(step), description=description, readout_format=fmt, **kw
        )
        self.value = value

    @traitlets.validate("value")
    def _valid_value(self, proposal):
        v = proposal["value"]
        if not math.isfinite(v):
            raise traitlets.TraitError(f"slider {self.description!r}: value must be finite, got {v}")
        return float(min(self.max, max(self.min, v)))  # the kernel's value is kept exactly (clamped)

    @classmethod
    def snapshot(cls) -> dict:
        """``{slider id: {description, value, shown}}`` of every live slider with a front end; ``shown``
        is the value as the page must show it (its read-out format)."""
        out = {}
        for s in list(cls.live):
            if s.comm is None:
                continue
            fmt = s.readout_format
            if s.labels:
                shown = s.labels[s.index]
            else:
                shown = str(int(round(s.value))) if fmt == "d" else format(s.value, fmt)
            out[s._slider_id] = {"description": s.description, "value": s.value, "shown": shown}
        return out

    def __repr__(self) -> str:
        return f"Slider({self.description!r}, value={self.value}, range=[{self.min}, {self.max}], step={self.step})"


class IntegerSlider(Slider):
    """A whole-number slider (a sweep, a seed, a unit's rank): ``value`` is an ``int``."""

    value = traitlets.Int(0).tag(sync=True)

    def __init__(self, value: int, lo: int, hi: int, step: int, description: str, **kw):
        what = f"slider {description!r}"
        lo, hi, step, value = (
            check_int(x, name, what=what)
            for name, x in (("lo", lo), ("hi", hi), ("step", step), ("value", value))
        )
        super().__init__(value, lo, hi, step, description, fmt="d", **kw)

    @traitlets.validate("value")
    def _valid_value(self, proposal):
        return int(round(min(self.max, max(self.min, float(proposal["value"])))))


class ChoiceSlider(Slider):
    """A slider over a list of options (``[(label, value), ...]``, e.g. the rows of a geometry table
    or the sweeps of a recording): the browser moves over the option indices and shows the label;
    ``value`` is the chosen option's value (any type), as with ``ipywidgets.SelectionSlider``."""

    value = traitlets.Any(None)

    def __init__(self, options, value, description: str, **kw):
        opts = [(str(o[0]), o[1]) if isinstance(o, (tuple, list)) else (str(o), o) for o in options]
        if len(opts) < 2:
            raise ParameterError(f"slider {description!r}: needs at least 2 options, got {len(opts)}.")
        self.options = opts
        check_choice(value, "value", [v for _, v in opts], what=f"slider {description!r}")
        anywidget.AnyWidget.__init__(
            self,
            min=0.0,
            max=float(len(opts) - 1),
            step=1.0,
            description=description,
            readout_format="d",
            labels=[label for label, _ in opts],
            _slider_id=uuid.uuid4().hex,
            **kw,
        )
        Slider.live.add(self)
        self.observe(self._from_index, "index")
        self.value = value

    def option_index(self, value) -> int:
        for i, (_, v) in enumerate(self.options):
            if v == value:
                return i
        raise traitlets.TraitError(f"slider {self.description!r}: {value!r} is not one of its options")

    @traitlets.validate("value")
    def _valid_value(self, proposal):
        self.index = self.option_index(proposal["value"])
        return proposal["value"]

    def _from_index(self, change) -> None:
        i = int(min(len(self.options) - 1, max(0, change["new"])))
        if self.options[i][1] != self.value:
            self.value = self.options[i][1]

    @property
    def label(self) -> str:
        return self.options[self.index][0]

    def __repr__(self) -> str:
        return f"ChoiceSlider({self.description!r}, value={self.value!r}, {len(self.options)} options)"

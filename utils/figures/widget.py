"""PlotlyFigure: a thin anywidget that replaces plotly's ``go.FigureWidget`` in the panels.

Why not ``FigureWidget``: it sends plotly's whole 5 MB bundle in every figure's opening message, and it
sends changes as one-off messages, so a view that connects or redraws later can stay at plotly's empty
default axes (the Run All race of issue 14). Here:

* **The kernel holds the truth.** Synced traits carry the whole figure: ``_data`` (the traces, large
  numeric arrays as binary float32 buffers), ``_layout`` (JSON; its ``template`` apart in ``_template``,
  so that a title change does not resend it) and ``_revision`` (a counter that grows with every batch). The front end (``widget.js``) draws from the model's *full* current state with
  ``Plotly.react`` whenever a view is created, re-rendered or re-attached, and after every change.
* **One message per batch.** ``with fig.batch_update(): ...`` sends one ipywidgets ``update`` message
  holding only the traits that changed (arrays shared by several traces travel once).
* **Named traces.** Traces are addressed by the name (or uid) you give them, never by index::

      fig = PlotlyFigure(go.Figure(...))                  # or PlotlyFigure(data=[...], layout={...})
      v = fig.trace("membrane")
      with fig.batch_update():
          v.x = t_ms
          v.y = v_mV
          fig.layout_update({"title.text": "V at 5 µA/cm²"})
      fig.update_traces_by_name({"membrane": {"y": v_mV}, "gate n": {"y": n}})

* **plotly.js once per page**, from the local server (``utils/figures/server.py``), never inside a figure.
* **Orphans say so**: after a kernel restart an old view shows "This figure is disconnected ...".
* **Font scale**: ``font_scale`` (per figure, or ``PlotlyFigure.default_font_scale`` for every new one),
  else the page's CSS variable ``--twitch-figure-font-scale`` (classroom mode FONT=large sets it).
* ``to_plotly_json()`` / ``to_figure()`` give the figure without a browser (static export, tests).
"""

from __future__ import annotations

import base64
import datetime as _dt
import math
import uuid
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import anywidget
import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import traitlets
from plotly.utils import PlotlyJSONEncoder

from ..resources import asset_text
from ..validation import ParameterError, check_instance, check_range
from . import server

#: Layout methods that span subplots: plotly skips subplots without traces unless told otherwise.
SPANNING = frozenset({"add_shape", "add_vrect", "add_hrect", "add_hline", "add_vline"})
BINARY_MIN_POINTS = 32  # numeric arrays at least this long travel as float32 bytes; shorter ones as JSON

CSS = """
.twitch-figure { position: relative; display: block; width: 100%; min-width: 0; box-sizing: border-box; }
.twitch-figure-plot { width: 100%; }
.twitch-figure-note { position: absolute; inset: 0; z-index: 20; display: flex; align-items: center;
  justify-content: center; padding: 1em 2em; text-align: center; background: rgba(255, 255, 255, 0.82);
  color: #7a1600; font: 600 max(16px, 1.1em)/1.4 system-ui, sans-serif; border: 2px solid #7a1600; }
.twitch-figure-note[hidden] { display: none; }
"""


# --------------------------------------------------------------------------- encoding


def _finite_or_none(x: float) -> float | None:
    return x if math.isfinite(x) else None


def to_json_value(value):
    """``value`` as plain JSON (lists, dicts, numbers, strings, None); NaN and ±inf become None."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return _finite_or_none(value)
    if is_typed_array_spec(value):
        return to_json_value(decode_typed_array(value))
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json_value(v) for v in value]
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "iub":
            return value.tolist()
        if value.dtype.kind == "f":
            finite = np.isfinite(value)
            if finite.all():
                return value.tolist()
            obj = value.astype(object)
            obj[~finite] = None
            return obj.tolist()
        return to_json_value(value.tolist())
    if isinstance(value, np.generic):
        return to_json_value(value.item())
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    # rare types (pandas, decimals ...): plotly's own rules
    return to_json_value(PlotlyJSONEncoder().default(value))


def is_typed_array_spec(value) -> bool:
    """plotly >= 6 writes numpy arrays in ``to_plotly_json()`` as ``{"dtype": "f8", "bdata": base64}``."""
    return isinstance(value, Mapping) and "bdata" in value and "dtype" in value


def decode_typed_array(spec: Mapping) -> np.ndarray:
    arr = np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.dtype(spec["dtype"]))
    shape = spec.get("shape")
    if shape:
        arr = arr.reshape([int(n) for n in str(shape).split(",")])
    return arr


def numeric_array(value) -> np.ndarray | None:
    """``value`` as a 1-D or 2-D float64 array when it is a numeric array of at least
    :data:`BINARY_MIN_POINTS` values, else None (it stays JSON)."""
    if is_typed_array_spec(value):
        value = decode_typed_array(value)
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, (list, tuple, np.ndarray)):
        return None
    if len(value) == 0 or (not isinstance(value, np.ndarray) and isinstance(value[0], Mapping)):
        return None
    arr = np.asarray(value)
    if arr.dtype.kind == "O":
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            return None
    if arr.dtype.kind not in "iuf" or arr.ndim not in (1, 2) or arr.size < BINARY_MIN_POINTS:
        return None
    return np.array(arr, dtype=np.float64)  # a copy: later in-place changes by the caller are not ours


def flatten(props: Mapping, prefix: str = "") -> dict:
    """``{"line": {"color": "red"}, "x": [...]}`` -> ``{"line.color": "red", "x": [...]}`` (leaves only;
    an empty dict stays a leaf)."""
    out: dict = {}
    for key, value in props.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value and not is_typed_array_spec(value):
            out.update(flatten(value, path + "."))
        else:
            out[path] = value
    return out


def set_path(obj: dict, path: str, value) -> None:
    """``obj["a"]["b"] = value`` for path ``"a.b"`` (creating the dicts on the way)."""
    *parents, last = path.split(".")
    for key in parents:
        nxt = obj.get(key)
        if not isinstance(nxt, dict):
            nxt = obj[key] = {}
        obj = nxt
    obj[last] = value


def merge(target: dict, update: Mapping) -> None:
    """Deep-merge ``update`` into ``target``; keys may be dotted paths (``"xaxis.range"``)."""
    for key, value in update.items():
        if "." in key:
            head, rest = key.split(".", 1)
            sub = target.get(head)
            if not isinstance(sub, dict):
                sub = target[head] = {}
            merge(sub, {rest: value})
        elif isinstance(value, Mapping) and isinstance(target.get(key), dict):
            merge(target[key], value)
        else:
            target[key] = to_json_value(dict(value)) if isinstance(value, Mapping) else value


class _Trace:
    """One trace: its JSON properties, its numeric arrays (float64) and their float32 bytes (cached)."""

    __slots__ = ("arrays", "blobs", "key", "props")

    def __init__(self, key: str, props: Mapping):
        self.key = key
        self.props: dict = {}
        self.arrays: dict[str, np.ndarray] = {}
        self.blobs: dict[str, tuple[bytes, list[int]]] = {}
        self.update(props)

    def update(self, props: Mapping) -> None:
        """Merge ``props`` (nested dicts merge as in plotly's ``update``; keys may be dotted paths)."""
        for path, value in flatten(props).items():
            arr = numeric_array(value)
            if arr is not None:
                self.arrays[path] = arr
                self.blobs[path] = (arr.astype(np.float32).tobytes(), list(arr.shape))
                self.forget_json(path)
            else:
                self.arrays.pop(path, None)
                self.blobs.pop(path, None)
                set_path(self.props, path, to_json_value(value))

    def forget_json(self, path: str) -> None:
        node = self.props
        *parents, last = path.split(".")
        for key in parents:
            node = node.get(key)
            if not isinstance(node, dict):
                return
        node.pop(last, None)

    def get(self, path: str):
        if path in self.arrays:
            return self.arrays[path]
        node = self.props
        for key in path.split("."):
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return node

    def full_json(self) -> dict:
        """The trace as plotly JSON, arrays as lists (float64 values, NaN as None)."""
        out = to_json_value(self.props)
        for path, arr in self.arrays.items():
            set_path(out, path, to_json_value(arr))
        return out


# --------------------------------------------------------------------------- handles


class TraceHandle:
    """A named trace of a :class:`PlotlyFigure`. Setting an attribute sets that plotly property::

        h = fig.trace("membrane"); h.y = v_mV; h.line = {"dash": "dot"}; h.update(x=t, y=v)

    Outside ``fig.batch_update()`` every assignment is its own message; inside, the batch sends one."""

    __slots__ = ("_figure", "_key")

    def __init__(self, figure: PlotlyFigure, key: str):
        object.__setattr__(self, "_figure", figure)
        object.__setattr__(self, "_key", key)

    @property
    def key(self) -> str:
        return self._key

    def update(self, props: Mapping | None = None, **kwargs) -> TraceHandle:
        self._figure.update_traces_by_name({self._key: {**(props or {}), **kwargs}})
        return self

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return PropView.wrap(self._figure.trace_property(self._key, name))

    def __setattr__(self, name: str, value) -> None:
        if name.startswith("_") or name == "key":
            raise AttributeError(f"{name!r} cannot be set on a trace handle")
        self.update({name: value})

    def __repr__(self) -> str:
        return f"<trace {self._key!r} of {self._figure!r}>"


# --------------------------------------------------------------------------- the widget


class PlotlyFigure(anywidget.AnyWidget):
    """A plotly figure whose kernel state is always what the browser draws (see the module docstring).

    Build it from a ``go.Figure`` (or a ``{"data": ..., "layout": ...}`` dict), or from ``data=`` (a list
    of trace dicts or plotly trace objects) and ``layout=`` (a dict). Every trace needs a ``name`` or a
    ``uid``; the uid wins when both are given. ``config=`` is plotly.js's config dict."""

    _esm = asset_text(__package__, "widget.js")
    _css = CSS
    _data = traitlets.Dict().tag(sync=True)
    _layout = traitlets.Dict().tag(sync=True)
    _template = traitlets.Dict().tag(sync=True)  # layout.template: large, rarely changes, sent apart
    _config = traitlets.Dict().tag(sync=True)
    _revision = traitlets.Int(0).tag(sync=True)
    _figure_id = traitlets.Unicode("").tag(sync=True)  # names the view in the page (data-twitch-figure)
    _plotly_path = traitlets.Unicode(server.plotly_url_path()).tag(sync=True)
    font_scale = traitlets.Float(
        0.0, help="figure text × this (0: the page's --twitch-figure-font-scale)"
    ).tag(sync=True)

    default_font_scale: float = 0.0  # class-level switch: every new figure's font_scale
    #: Every figure alive in this kernel (the browser tests compare them with what the page draws).
    live: weakref.WeakSet = weakref.WeakSet()

    def __init__(
        self,
        figure=None,
        *,
        data=None,
        layout: Mapping | None = None,
        config: Mapping | None = None,
        font_scale: float | None = None,
        **kwargs,
    ):
        if figure is not None:
            check_instance(
                figure, "figure", (go.Figure, Mapping), what="a plotly Figure or a {data, layout} dict"
            )
        if font_scale is not None:
            font_scale = check_range(font_scale, "font_scale", "", lo=0.0, hi=10.0, what="figure text scale")
        self.builder = figure if isinstance(figure, go.Figure) else go.Figure()
        if figure is not None:
            fig_json = figure if isinstance(figure, Mapping) else figure.to_plotly_json()
            data = fig_json.get("data", []) if data is None else data
            layout = {**fig_json.get("layout", {}), **(layout or {})}
        self._traces: dict[str, _Trace] = {}
        self._depth = 0
        self._dirty: set[str] = set()
        self._pending_layout: dict = {}
        self._pending_template: dict = {}
        for i, trace in enumerate(data or []):
            self.add_trace(trace, send=False, position=i)
        scale = type(self).default_font_scale if font_scale is None else font_scale
        layout = to_json_value(dict(layout or {}))
        template = layout.pop("template", None) or {}
        PlotlyFigure.live.add(self)
        super().__init__(
            _figure_id=uuid.uuid4().hex,
            _data=self._encode(1),
            _layout=layout,
            _template=template,
            _config=to_json_value(dict(config or {})),
            _revision=1,
            font_scale=scale,
            **kwargs,
        )

    # ----------------------------------------------------------------- traces
    @property
    def trace_keys(self) -> list[str]:
        """The traces' keys (uid, else name), in drawing order."""
        return list(self._traces)

    def trace(self, key: str) -> TraceHandle:
        """The trace named (or with uid) ``key``; ParameterError naming it when there is none."""
        self._lookup(key)
        return TraceHandle(self, key)

    def _lookup(self, key: str) -> _Trace:
        try:
            return self._traces[key]
        except (KeyError, TypeError):
            known = ", ".join(repr(k) for k in self._traces) or "none"
            raise ParameterError(
                f"trace {key!r} is not in this figure (traces are addressed by their "
                f"name or uid); its traces: {known}."
            ) from None

    def trace_property(self, key: str, path: str):
        """The current value of one property (dotted path) of a trace; arrays as float64 numpy arrays."""
        return self._lookup(key).get(path)

    def add_trace(
        self,
        trace,
        *,
        send: bool = True,
        position: int | None = None,
        row: int | None = None,
        col: int | None = None,
    ) -> TraceHandle:
        """Add a trace (dict or plotly trace object) with a unique ``uid``, ``meta`` key or ``name``.
        ``row``/``col`` place it in a subplot of a figure built with ``make_subplots``."""
        if row is not None or col is not None:
            trace = self.grid_trace(trace, row, col)
        props = dict(trace if isinstance(trace, Mapping) else trace.to_plotly_json())
        props.setdefault("type", "scatter")
        meta = props.get("meta")
        key = props.get("uid") or (meta if isinstance(meta, str) else None) or props.get("name")
        where = f"trace {len(self._traces) if position is None else position}"
        if not isinstance(key, str) or not key:
            raise ParameterError(
                f"{where} has no name or uid: give every trace a name (or a uid), so that "
                "it can be updated by name."
            )
        if key in self._traces:
            raise ParameterError(f"{where}: two traces are called {key!r}; give one of them a distinct uid.")
        props["uid"] = key  # plotly.js matches traces across redraws by uid
        self._traces[key] = _Trace(key, props)
        if send:
            self._changed("_data")
        return TraceHandle(self, key)

    def update_traces_by_name(self, updates: Mapping[str, Mapping]) -> None:
        """``{trace key: {property (may be a dotted path): value}}``: all in one message."""
        for key, props in updates.items():  # check everything first: a refused update changes nothing
            self._lookup(key)
            for name in props:
                if name in ("uid", "type"):
                    raise ParameterError(f"trace {key!r}: {name!r} cannot change (it identifies the trace).")
        for key, props in updates.items():
            self._traces[key].update(props)
        self._changed("_data")

    # ----------------------------------------------------------------- layout
    @property
    def figure_layout(self) -> dict:
        """A copy of the plotly layout, template included (``layout`` is ipywidgets' widget-box layout)."""
        out = to_json_value(self._pending_layout if "_layout" in self._dirty else self._layout)
        template = self._pending_template if "_template" in self._dirty else self._template
        if template:
            out["template"] = to_json_value(template)
        return out

    def layout_update(self, update: Mapping | None = None, **kwargs) -> None:
        """Deep-merge into the layout; keys may be dotted paths: ``{"xaxis.range": [0, 50]}``."""
        new = self.figure_layout
        merge(new, to_json_value({**(update or {}), **kwargs}))
        self._replace_layout(new)

    def _replace_layout(self, new: dict) -> None:
        """Make ``new`` (plain JSON) the layout; its template travels apart, and only when it changed."""
        template = new.pop("template", None) or {}
        if isinstance(template, str):  # a registered template's name, e.g. "twitch"
            template = to_json_value(pio.templates[template].to_plotly_json())
        if template != self._template:
            self._pending_template = template
            self._dirty.add("_template")
        self._pending_layout = new
        self._changed("_layout")

    # ----------------------------------------------------------------- batching
    @contextmanager
    def batch_update(self) -> Iterator[PlotlyFigure]:
        """Group changes: one message when the outermost batch ends (even if it ends in an error)."""
        self._depth += 1
        try:
            yield self
        finally:
            self._depth -= 1
            if self._depth == 0:
                self._flush()

    def _changed(self, what: str) -> None:
        self._dirty.add(what)
        if self._depth == 0:
            self._flush()

    def _flush(self) -> None:
        if not self._dirty:
            return
        dirty, self._dirty = self._dirty, set()
        revision = self._revision + 1
        with self.hold_sync():
            if "_data" in dirty:
                self._data = self._encode(revision)
            if "_layout" in dirty:
                self._layout = self._pending_layout
            if "_template" in dirty:
                self._template = self._pending_template
            self._revision = revision

    def _encode(self, revision: int) -> dict:
        """``{"revision", "traces": [{"props", "arrays": {path: [buffer index, shape]}}], "arrays"}``;
        identical arrays (a shared time axis) are sent once. "revision" first: a cheap inequality."""
        blobs: list[bytes] = []
        where: dict[bytes, int] = {}
        traces = []
        for trace in self._traces.values():
            refs = {}
            for path, (blob, shape) in trace.blobs.items():
                i = where.setdefault(blob, len(blobs))
                if i == len(blobs):
                    blobs.append(blob)
                refs[path] = [i, shape]
            traces.append({"props": trace.props, "arrays": refs})
        return {"revision": revision, "traces": traces, "arrays": blobs}

    # ----------------------------------------------------------------- without a browser
    def to_plotly_json(self) -> dict:
        """``{"data": [...], "layout": {...}}`` as plain JSON (arrays as lists of float64 values)."""
        return {"data": [t.full_json() for t in self._traces.values()], "layout": self.figure_layout}

    def to_figure(self):
        """A ``plotly.graph_objects.Figure`` of the current state (for fig.show(), export, images)."""
        return go.Figure(self.to_plotly_json())

    # ----------------------------------------------------------------- plotly-style conveniences
    # The figure builders are written with plotly's own API (``add_scatter(row=, col=)``,
    # ``add_annotation``, ``update_layout``): these run on a plain ``go.Figure`` (``builder``, which
    # keeps the subplot grid) and copy the result into this widget's state, in one message.

    def grid_trace(self, trace, row: int | None, col: int | None) -> dict:
        """The trace's JSON with the axes of subplot (``row``, ``col``) of the builder's grid."""
        self.builder.add_trace(trace, row=row, col=col)
        props = self.builder.data[-1].to_plotly_json()
        self.builder.data = self.builder.data[:-1]
        return props

    def add_scatter(self, row: int | None = None, col: int | None = None, **props) -> TraceHandle:
        return self.add_trace(go.Scatter(**props), row=row, col=col)

    def add_scattergl(self, row: int | None = None, col: int | None = None, **props) -> TraceHandle:
        return self.add_trace(go.Scattergl(**props), row=row, col=col)

    def add_bar(self, row: int | None = None, col: int | None = None, **props) -> TraceHandle:
        return self.add_trace(go.Bar(**props), row=row, col=col)

    def with_layout(self, method: str, *args, **kwargs) -> PlotlyFigure:
        """Run ``go.Figure.<method>`` (e.g. ``add_annotation``, ``add_vrect``, ``update_layout``,
        ``update_xaxes``) on the current layout and send the resulting layout."""
        if method in SPANNING or (method == "add_annotation" and ("row" in kwargs or "col" in kwargs)):
            kwargs.setdefault("exclude_empty_subplots", False)  # the builder keeps no traces
        self.builder.layout = go.Layout(self.figure_layout)
        getattr(self.builder, method)(*args, **kwargs)
        new = to_json_value(self.builder.layout.to_plotly_json())
        self._replace_layout(new)
        return self

    def update_layout(self, *args, **kwargs) -> PlotlyFigure:
        return self.with_layout("update_layout", *args, **kwargs)

    def add_annotation(self, *args, **kwargs) -> PlotlyFigure:
        return self.with_layout("add_annotation", *args, **kwargs)

    def add_shape(self, *args, **kwargs) -> PlotlyFigure:
        return self.with_layout("add_shape", *args, **kwargs)

    def add_vrect(self, *args, **kwargs) -> PlotlyFigure:
        return self.with_layout("add_vrect", *args, **kwargs)

    def add_hrect(self, *args, **kwargs) -> PlotlyFigure:
        return self.with_layout("add_hrect", *args, **kwargs)

    def add_hline(self, *args, **kwargs) -> PlotlyFigure:
        return self.with_layout("add_hline", *args, **kwargs)

    def add_vline(self, *args, **kwargs) -> PlotlyFigure:
        return self.with_layout("add_vline", *args, **kwargs)

    def update_xaxes(self, *args, **kwargs) -> PlotlyFigure:
        return self.with_layout("update_xaxes", *args, **kwargs)

    def update_yaxes(self, *args, **kwargs) -> PlotlyFigure:
        return self.with_layout("update_yaxes", *args, **kwargs)

    @property
    def data(self) -> tuple:
        """The traces as named handles, in drawing order (read ``fig.data[i].y`` in tests; update
        through :meth:`trace` by key)."""
        return tuple(TraceHandle(self, k) for k in self._traces)

    @property
    def plot_layout(self) -> LayoutView:
        """The plotly layout by attribute: ``fig.plot_layout.title.text = "..."`` sets it (``layout``
        is the ipywidgets box layout of the widget itself)."""
        return LayoutView(self, "")

    def summary(self, samples: int = 3) -> dict:
        """What the page must draw, in brief: revision, and per trace its key, the lengths of x and y
        and ``samples`` values of each, spread over the trace (float32, as sent)."""
        out = []
        for t in self._traces.values():
            item = {"key": t.key}
            for axis in ("x", "y"):
                arr = t.arrays.get(axis)
                if arr is None:
                    raw = t.get(axis)
                    item[f"n_{axis}"] = len(raw) if isinstance(raw, list) else 0
                    item[f"{axis}_samples"] = []
                    continue
                flat = np.asarray(arr, dtype=np.float32).ravel()
                idx = np.unique(np.linspace(0, flat.size - 1, samples).astype(int)) if flat.size else []
                item[f"n_{axis}"] = int(arr.shape[0])
                item[f"{axis}_samples"] = [[int(i), float(flat[i])] for i in idx]
            out.append(item)
        return {"revision": self._revision, "traces": out}

    @classmethod
    def snapshot(cls) -> dict:
        """``{figure id: summary()}`` of every live figure with a front end (a comm)."""
        return {f._figure_id: f.summary() for f in list(cls.live) if f.comm is not None}

    def __repr__(self) -> str:
        title = self._layout.get("title") or {}
        title = title.get("text") if isinstance(title, dict) else title
        parts = []
        for t in self._traces.values():
            n = max((a.shape[0] for a in t.arrays.values()), default=0)
            parts.append(f"{t.key} ({n} points)" if n else t.key)
        head = f"PlotlyFigure {title!r}" if title else "PlotlyFigure"
        return f"{head}: {', '.join(parts) or 'no traces'}"


class PropView:
    """Read-only attribute access to a nested dict of plotly properties (``view.line.color``,
    ``view.title.text``); a missing property reads as None, a list of dicts as a list of views."""

    __slots__ = ("_node",)

    def __init__(self, node: Mapping):
        object.__setattr__(self, "_node", node)

    @staticmethod
    def wrap(value):
        if isinstance(value, Mapping) and not is_typed_array_spec(value):
            return PropView(value)
        if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            return [PropView(v) for v in value]
        return value

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return PropView.wrap(self._node.get(name))

    def __getitem__(self, name: str):
        return PropView.wrap(self._node.get(name))

    def __iter__(self):
        return iter(self._node)

    def __contains__(self, name) -> bool:
        return name in self._node

    def to_plotly_json(self) -> dict:
        return to_json_value(dict(self._node))

    def __eq__(self, other) -> bool:
        return self._node == (other._node if isinstance(other, PropView) else other)

    __hash__ = None

    def __setattr__(self, name: str, value) -> None:
        raise AttributeError("read-only view: set through the figure (plot_layout, trace handles)")

    def __repr__(self) -> str:
        return f"PropView({self._node!r})"


class LayoutView:
    """Attribute access to a :class:`PlotlyFigure`'s plotly layout: reading returns the value (or a
    view of a nested dict), assigning sends ``layout_update({path: value})``."""

    __slots__ = ("_figure", "_path")

    def __init__(self, figure: PlotlyFigure, path: str):
        object.__setattr__(self, "_figure", figure)
        object.__setattr__(self, "_path", path)

    def _full(self, name: str) -> str:
        return f"{self._path}.{name}" if self._path else name

    def node(self):
        node = self._figure.figure_layout
        for key in self._path.split(".") if self._path else ():
            node = node.get(key) if isinstance(node, dict) else None
        return node

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        node = self._figure.figure_layout
        for key in self._full(name).split("."):
            node = node.get(key) if isinstance(node, dict) else None
        if (
            isinstance(node, dict) or node is None
        ):  # a missing node can still be set: fig.plot_layout.title.text = ...
            return LayoutView(self._figure, self._full(name))
        return PropView.wrap(node)

    def __getitem__(self, name: str):
        return getattr(self, name)

    def __iter__(self):
        node = self.node()
        return iter(node if isinstance(node, dict) else ())

    def __contains__(self, name) -> bool:
        node = self.node()
        return isinstance(node, dict) and name in node

    def to_plotly_json(self) -> dict:
        node = self.node()
        return to_json_value(dict(node)) if isinstance(node, dict) else {}

    def __bool__(self) -> bool:
        return self.node() is not None

    def __eq__(self, other) -> bool:
        node = self.node()
        return node == (other.node() if isinstance(other, LayoutView) else other)

    __hash__ = None

    def __setattr__(self, name: str, value) -> None:
        self._figure.layout_update({self._full(name): value})

    def __repr__(self) -> str:
        return f"<layout {self._path or '(root)'} of {self._figure!r}>"

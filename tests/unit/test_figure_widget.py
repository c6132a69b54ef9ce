"""PlotlyFigure (utils/figures/widget.py) without a browser: the state the kernel sends, decoded here the
way widget.js decodes it, must be the figure; one batch is one comm message; large arrays are float32
bytes; the opening message of a 4-trace, 2000-point figure stays under 150 kB; unknown names are refused.
The server side (utils/figures/server.py): the route serves plotly's own plotly.min.js, and `install`
writes the Jupyter config file that enables it."""

from __future__ import annotations

import json
import statistics
import time
from typing import ClassVar

import ipywidgets.comm
import numpy as np
import plotly.graph_objects as go
import pytest

from utils import ParameterError
from utils.figures import server
from utils.figures.widget import BINARY_MIN_POINTS, PlotlyFigure

OPEN_LIMIT_BYTES = 150_000
N_POINTS = 2000


class FakeComm:
    """Records what ipywidgets would send to the front end (open data + buffers, then every message)."""

    instances: ClassVar[list[FakeComm]] = []

    def __init__(self, target_name="", data=None, buffers=None, metadata=None, comm_id=None, **_):
        self.comm_id = comm_id or f"fake-{len(FakeComm.instances)}"
        self.kernel = object()  # ipywidgets sends only when the comm has a kernel
        self.open_data, self.open_buffers = data, list(buffers or [])
        self.sent: list[tuple[dict, list]] = []
        FakeComm.instances.append(self)

    def send(self, data=None, metadata=None, buffers=None):
        self.sent.append((data, list(buffers or [])))

    def on_msg(self, callback):
        pass

    def close(self, *args, **kwargs):
        pass

    def open_bytes(self) -> int:
        return len(json.dumps(self.open_data).encode()) + sum(memoryview(b).nbytes for b in self.open_buffers)


@pytest.fixture(autouse=True)
def fake_comm(monkeypatch):
    FakeComm.instances.clear()
    monkeypatch.setattr(ipywidgets.comm, "create_comm", FakeComm)
    yield


def comm_of(fig) -> FakeComm:
    assert isinstance(fig.comm, FakeComm)
    return fig.comm


def put_buffers(state: dict, paths: list, buffers: list) -> dict:
    for path, buf in zip(paths, buffers):
        node = state
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = buf
    return state


def decode(data: dict) -> list[dict]:
    """What widget.js's traces() does: float32 buffers back into the traces at their paths."""
    arrays = [np.frombuffer(bytes(b), dtype=np.float32) for b in data["arrays"]]
    out = []
    for t in data["traces"]:
        tr = json.loads(json.dumps(t["props"]))
        for path, (i, shape) in t["arrays"].items():
            node = tr
            *parents, last = path.split(".")
            for k in parents:
                node = node.setdefault(k, {})
            node[last] = arrays[i].reshape(shape)
        out.append(tr)
    return out


def opened_state(fig) -> dict:
    c = comm_of(fig)
    return put_buffers(
        json.loads(json.dumps(c.open_data["state"])), c.open_data["buffer_paths"], c.open_buffers
    )


def four_traces(n: int = N_POINTS) -> go.Figure:
    t_ms = np.linspace(0, 100, n)
    return go.Figure(
        [
            go.Scatter(x=t_ms, y=np.sin(t_ms / (5 + i)) * 40 - 65, name=name, mode="lines")
            for i, name in enumerate(["membrane", "gate m", "gate h", "gate n"])
        ],
        layout={"title": {"text": "V"}, "height": 420, "xaxis": {"title": {"text": "t (ms)"}}},
    )


# --------------------------------------------------------------------------- state round trip


def test_opening_state_decodes_to_the_figure():
    src = four_traces()
    fig = PlotlyFigure(src)
    state = opened_state(fig)
    traces = decode(state["_data"])
    assert [t["name"] for t in traces] == ["membrane", "gate m", "gate h", "gate n"]
    for got, want in zip(traces, src.data):
        np.testing.assert_allclose(got["x"], want.x, rtol=1e-6, atol=1e-5)
        np.testing.assert_allclose(got["y"], want.y, rtol=1e-6, atol=1e-5)
        assert got["mode"] == "lines" and got["uid"] == want.name
    assert state["_layout"]["title"]["text"] == "V" and state["_layout"]["height"] == 420
    assert state["_revision"] == 1


def test_to_plotly_json_and_to_figure_round_trip():
    src = four_traces(100)
    fig = PlotlyFigure(src)
    out = fig.to_plotly_json()
    assert [t["name"] for t in out["data"]] == [t.name for t in src.data]
    np.testing.assert_array_equal(out["data"][2]["y"], src.data[2].y)  # float64 kept in the kernel
    json.dumps(out, allow_nan=False)  # plain JSON
    again = fig.to_figure()
    assert isinstance(again, go.Figure) and again.layout.title.text == "V"
    assert PlotlyFigure(again).to_plotly_json()["data"][0]["name"] == "membrane"


def test_built_from_data_and_layout_dicts():
    x = np.arange(50.0)
    fig = PlotlyFigure(data=[{"type": "scatter", "name": "a", "x": x, "y": x**2}], layout={"height": 300})
    assert fig.trace_keys == ["a"]
    np.testing.assert_array_equal(fig.trace("a").y, x**2)
    assert fig.figure_layout == {"height": 300}


# --------------------------------------------------------------------------- named handles


def test_named_handles_set_and_get():
    fig = PlotlyFigure(four_traces(200))
    h = fig.trace("gate n")
    y_new = np.linspace(0, 1, 200)
    h.y = y_new
    h.line = {"dash": "dot"}
    np.testing.assert_array_equal(h.y, y_new)
    assert h.line == {"dash": "dot"} and fig.trace_property("gate n", "line.dash") == "dot"
    data = decode(_last_data(fig))
    np.testing.assert_allclose(data[3]["y"], y_new, rtol=1e-6)
    assert data[3]["line"]["dash"] == "dot"
    h.update(x=np.arange(200.0) * 2, name="still n")  # the key stays, the shown name may change
    assert fig.trace("gate n").name == "still n"


def _last_data(fig) -> dict:
    """The front end's `_data` after every message so far (the last one that carried it)."""
    c = comm_of(fig)
    state = opened_state(fig)["_data"]
    for msg, buffers in c.sent:
        s = put_buffers(json.loads(json.dumps(msg["state"])), msg["buffer_paths"], buffers)
        state = s.get("_data", state)
    return state


def test_unknown_trace_name_is_refused_with_its_name():
    fig = PlotlyFigure(four_traces(50))
    with pytest.raises(ParameterError, match=r"'gate k'.*'membrane', 'gate m', 'gate h', 'gate n'"):
        fig.trace("gate k")
    with pytest.raises(ParameterError, match="'potassium'"):
        fig.update_traces_by_name({"membrane": {"y": np.zeros(50)}, "potassium": {"y": np.zeros(50)}})
    assert not comm_of(fig).sent, "a refused update must send nothing (and change nothing)"
    with pytest.raises(ParameterError, match="no name or uid"):
        PlotlyFigure(data=[{"type": "scatter", "x": [1, 2]}])
    with pytest.raises(ParameterError, match="two traces are called 'v'"):
        PlotlyFigure(data=[{"name": "v"}, {"name": "v"}])
    with pytest.raises(ParameterError, match="'uid' cannot change"):
        fig.update_traces_by_name({"membrane": {"uid": "other"}})


def test_uid_addresses_a_trace_whose_name_repeats():
    fig = PlotlyFigure(
        data=[{"name": "K⁺", "uid": "k-out", "y": [1, 2]}, {"name": "K⁺", "uid": "k-in", "y": [3]}]
    )
    assert fig.trace_keys == ["k-out", "k-in"]
    fig.trace("k-in").y = [4, 5]
    assert fig.to_plotly_json()["data"][1]["y"] == [4, 5]


# --------------------------------------------------------------------------- messages


def test_one_message_per_batch():
    fig = PlotlyFigure(four_traces())
    c = comm_of(fig)
    t_ms = np.linspace(0, 50, N_POINTS)
    with fig.batch_update():
        m = fig.trace("membrane")
        m.x = t_ms
        m.y = np.cos(t_ms)
        fig.trace("gate n").y = np.sin(t_ms)
        fig.layout_update({"title.text": "after", "xaxis.range": [0, 50]})
        with fig.batch_update():  # nested: still the outer batch's one message
            fig.trace("gate h").visible = False
    assert len(c.sent) == 1, [sorted(m["state"]) for m, _ in c.sent]
    msg, buffers = c.sent[0]
    assert msg["method"] == "update"
    assert set(msg["state"]) == {"_data", "_layout", "_revision"}
    assert msg["state"]["_revision"] == 2
    assert msg["state"]["_layout"]["title"]["text"] == "after" and msg["state"]["_layout"]["xaxis"][
        "range"
    ] == [0, 50]
    data = decode(put_buffers(json.loads(json.dumps(msg["state"])), msg["buffer_paths"], buffers)["_data"])
    np.testing.assert_allclose(data[0]["y"], np.cos(t_ms), atol=1e-6)
    assert data[2]["visible"] is False


def test_each_unbatched_change_is_one_message_and_layout_alone_sends_no_data():
    fig = PlotlyFigure(four_traces(100))
    c = comm_of(fig)
    fig.trace("membrane").y = np.zeros(100)
    fig.update_traces_by_name({"gate m": {"y": np.ones(100)}, "gate h": {"y": np.ones(100)}})
    fig.layout_update(height=500)
    assert len(c.sent) == 3
    assert set(c.sent[2][0]["state"]) == {"_layout", "_revision"} and not c.sent[2][1]
    assert [m["state"]["_revision"] for m, _ in c.sent] == [2, 3, 4]


def test_failed_batch_still_sends_what_changed():
    fig = PlotlyFigure(four_traces(100))
    with pytest.raises(ZeroDivisionError), fig.batch_update():
        fig.trace("membrane").y = np.zeros(100)
        1 / 0  # noqa: B018
    assert len(comm_of(fig).sent) == 1  # the kernel's state changed, so the front end hears of it


# --------------------------------------------------------------------------- buffers and bytes


def test_large_arrays_are_float32_buffers_small_ones_json():
    n_big, n_small = 500, BINARY_MIN_POINTS - 1
    y = np.linspace(-90, 40, n_big)
    y[7] = np.nan
    fig = PlotlyFigure(
        data=[
            {"name": "big", "x": np.arange(n_big), "y": y},
            {"name": "small", "x": list(range(n_small)), "y": [float("nan")] + [1.0] * (n_small - 1)},
        ]
    )
    c = comm_of(fig)
    paths = c.open_data["buffer_paths"]
    assert all(p[:2] == ["_data", "arrays"] for p in paths) and len(paths) == 2
    assert sorted(memoryview(b).nbytes for b in c.open_buffers) == [4 * n_big, 4 * n_big]
    state = opened_state(fig)
    small = state["_data"]["traces"][1]
    assert small["arrays"] == {} and small["props"]["y"][0] is None  # NaN -> null (valid JSON)
    big = decode(state["_data"])[0]
    assert big["y"].dtype == np.float32 and np.isnan(big["y"][7])
    json.dumps(c.open_data, allow_nan=False)


def test_shared_x_axis_travels_once():
    fig = PlotlyFigure(four_traces())
    assert len(comm_of(fig).open_buffers) == 5  # one time axis + four y arrays


def test_opening_message_is_small():
    fig = PlotlyFigure(four_traces())
    c = comm_of(fig)
    size = c.open_bytes()
    assert size < OPEN_LIMIT_BYTES, f"opening message {size} bytes"
    assert len(c.open_data["state"]["_esm"]) < 10_000, "the front-end module must stay small (no plotly.js)"
    assert "plotly.js v" not in json.dumps(c.open_data)


def test_two_dimensional_array_keeps_its_shape():
    z = np.arange(12 * 10, dtype=float).reshape(12, 10)
    fig = PlotlyFigure(data=[{"type": "heatmap", "name": "map", "z": z}])
    got = decode(opened_state(fig)["_data"])[0]["z"]
    assert got.shape == (12, 10)
    np.testing.assert_array_equal(got, z)


def test_a_slider_update_costs_little():
    fig = PlotlyFigure(four_traces())
    t_ms = np.linspace(0, 100, N_POINTS)
    times = []
    for k in range(60):
        t0 = time.perf_counter()
        with fig.batch_update():
            fig.trace("membrane").y = np.sin(t_ms * k)
            fig.trace("gate n").y = np.cos(t_ms * k)
            fig.layout_update({"title.text": f"k = {k}"})
        times.append(time.perf_counter() - t0)
    assert statistics.median(times) < 0.003, f"median {statistics.median(times) * 1e3:.2f} ms per batch"


# --------------------------------------------------------------------------- switches and server


def test_font_scale_class_switch():
    assert PlotlyFigure(four_traces(10)).font_scale == 0.0
    try:
        PlotlyFigure.default_font_scale = 1.5
        assert PlotlyFigure(four_traces(10)).font_scale == 1.5
        assert PlotlyFigure(four_traces(10), font_scale=1.0).font_scale == 1.0
    finally:
        PlotlyFigure.default_font_scale = 0.0


def test_repr_names_the_traces():
    assert repr(PlotlyFigure(four_traces(40))) == (
        "PlotlyFigure 'V': membrane (40 points), gate m (40 points), gate h (40 points), gate n (40 points)"
    )


def test_server_serves_plotlys_own_file_at_one_path(tmp_path):
    js = server.plotly_js_dir() / server.PLOTLY_JS
    assert js.is_file() and js.stat().st_size > 1_000_000
    ((pattern, _handler, kwargs),) = server.handlers("/base/")
    assert pattern == r"/base/twitch/static/(plotly\.min\.js)" and kwargs["path"] == [str(js.parent)]
    assert (
        PlotlyFigure(four_traces(10)).get_state()["_plotly_path"].startswith("twitch/static/plotly.min.js?v=")
    )
    cfg = server.install(tmp_path)
    assert server.install(tmp_path) == cfg  # idempotent
    assert json.loads(cfg.read_text()) == {
        "ServerApp": {"jpserver_extensions": {"utils.figures.server": True}}
    }
    assert cfg.relative_to(tmp_path).as_posix() == "etc/jupyter/jupyter_server_config.d/" + server.CONFIG_NAME


def test_template_travels_once():
    fig = PlotlyFigure(four_traces(50))
    assert opened_state(fig)["_template"], "plotly's default template is part of the figure"
    fig.layout_update({"title.text": "new"})
    msg, _ = comm_of(fig).sent[-1]
    assert "_template" not in msg["state"] and "template" not in msg["state"]["_layout"]
    assert fig.to_plotly_json()["layout"]["template"] == opened_state(fig)["_template"]
    fig.layout_update({"template": {"layout": {"font": {"size": 20}}}})
    sent = comm_of(fig).sent[-1][0]["state"]["_template"]  # merged into the template, as layout keys are
    assert sent["layout"]["font"]["size"] == 20 and sent["data"]["bar"]


def test_static_export_draws_it_from_to_plotly_json():
    """tools/export_html.py draws figures with utils.export.figure_html; a PlotlyFigure's JSON fits it."""
    from utils import export

    html = export.figure_html(PlotlyFigure(four_traces(300)).to_plotly_json(), "fig-1")
    assert 'id="fig-1"' in html and "gate n" in html and "Plotly.newPlot" in html
    assert "cdn" not in html.lower()


def test_install_from_the_command_line_names_the_module(tmp_path):
    import subprocess
    import sys

    subprocess.run(
        [sys.executable, "-m", "utils.figures.server", "install", "--prefix", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    cfg = json.loads(server.config_path(tmp_path).read_text())
    assert cfg == {"ServerApp": {"jpserver_extensions": {"utils.figures.server": True}}}


def test_plotly_style_builder_api_places_traces_in_subplots_and_merges_layout():
    from plotly.subplots import make_subplots

    fig = PlotlyFigure(make_subplots(rows=2, cols=1, subplot_titles=["top", "bottom"]))
    fig.add_scatter(x=[1.0, 2.0, 3.0], y=[3.0, 4.0, 5.0], meta="v", name="membrane potential", row=2, col=1)
    fig.add_bar(x=["a", "b"], y=[1.0, 2.0], name="counts", row=1, col=1)
    fig.add_annotation(text="data: credit", x=0, y=-0.2, xref="paper", yref="paper", showarrow=False)
    fig.update_layout(title_text="first", height=400)
    fig.plot_layout.title.text = "second"
    assert fig.trace_keys == ["v", "counts"]  # a string meta is the key; else the name
    assert fig.trace_property("v", "xaxis") == "x2" and fig.trace_property("counts", "xaxis") in (None, "x")
    assert fig.plot_layout.title.text == "second" and fig.plot_layout.height == 400
    texts = [a["text"] for a in fig.figure_layout["annotations"]]
    assert texts == ["top", "bottom", "data: credit"]
    assert list(fig.data[0].y) == [3.0, 4.0, 5.0]

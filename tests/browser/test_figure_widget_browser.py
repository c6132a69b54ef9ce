"""PlotlyFigure (utils/figures) in a real JupyterLab and in Voila, in headless Chromium.

A scratch notebook (written to a temp folder) holds two PlotlyFigures and a slider that updates one of
them; after every change the kernel writes a summary of both figures' state (revision; per trace: name,
x/y lengths, sampled values) to ``kernel_state.json``. The browser's plotly graph divs must match it:

* JupyterLab: Run All -> both figures match the kernel and fill their output area's width; ArrowRight on
  the slider (24 presses, each timed from keydown to the first frame after the redraw) -> the figure
  matches again; the figure-open and per-update websocket bytes are counted (each open <= 150 kB);
  a second view of the notebook (File -> New View for Notebook) -> its new figure views draw the kernel's
  current state; restarting the kernel -> the old figures say in words that they are disconnected.
* Voila (tools/present.py's server, which adds the plotly.js route): the page's figures match the kernel,
  a slider press updates the figure, nothing is requested from outside 127.0.0.1.

Every wait polls a condition (60 s ceiling), never a fixed sleep. Screenshots: build/screenshots/figwidget-*.
Numbers (bytes, latencies): build/screenshots/figwidget-measurements.json.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

import nbformat
import pytest
from lab import NOTEBOOK, LabServer, click_menu, offline_context, open_notebook, problems, run_all

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from present import VoilaServer  # noqa: E402  (after the sys.path insert)

pytestmark = pytest.mark.browser

SHOTS = ROOT / "build" / "screenshots"
POLL_CEILING_S = 60.0
OPEN_LIMIT_BYTES = 150_000
PRESSES = 24
LOCAL = ("http://127.0.0.1:", "data:", "blob:", "about:")
FIG_A, FIG_B = ".twitch-test-fig-a", ".twitch-test-fig-b"
WIDGET_ID = b"utils.figures.widget.PlotlyFigure"

SETUP = """\
import json, pathlib
import numpy as np
import ipywidgets as w
import plotly.graph_objects as go
from utils.figures.widget import PlotlyFigure

STATE = pathlib.Path("kernel_state.json")
t_ms = np.linspace(0, 100, 2000)

def curves(phase):
    return {f"wave {i}": 40 * np.sin(t_ms / (4 + i) + phase) - 65 for i in range(4)}

fig_a = PlotlyFigure(go.Figure([go.Scatter(x=t_ms, y=y, name=n, mode="lines") for n, y in curves(0.0).items()],
                               layout={"title": {"text": "A: phase 0.00"}, "height": 380,
                                       "xaxis": {"title": {"text": "t (ms)"}}, "yaxis": {"title": {"text": "V (mV)"}}}))
fig_a.add_class("twitch-test-fig-a")
fig_b = PlotlyFigure(data=[{"name": "root", "x": t_ms, "y": np.sqrt(t_ms)},
                           {"name": "few", "x": [0, 50, 100], "y": [1, 5, 2], "mode": "markers"}],
                     layout={"title": {"text": "B: fixed"}, "height": 300})
fig_b.add_class("twitch-test-fig-b")
slider = w.FloatSlider(value=0.0, min=0.0, max=10.0, step=0.25, description="phase")

def summary(fig):
    out = {"revision": fig.get_state("_revision")["_revision"], "traces": []}
    for key in fig.trace_keys:
        x, y = (np.asarray(fig.trace_property(key, axis), float) for axis in ("x", "y"))
        idx = sorted({0, len(y) // 3, len(y) // 2, len(y) - 1})
        out["traces"].append({"name": fig.trace_property(key, "name"), "nx": len(x), "ny": len(y), "idx": idx,
                              "x": x[idx].tolist(), "y": y[idx].tolist()})
    return out

def dump():
    STATE.write_text(json.dumps({"a": summary(fig_a), "b": summary(fig_b), "phase": slider.value}))

def on_phase(change):
    with fig_a.batch_update():
        for name, y in curves(change["new"]).items():
            fig_a.trace(name).y = y
        fig_a.layout_update({"title.text": f"A: phase {change['new']:.2f}"})
    dump()

slider.observe(on_phase, names="value")
dump()
"""
CELLS = [SETUP, "w.VBox([slider, fig_a])", "fig_b"]

# What the browser draws: per figure, its graph div's traces sampled at the kernel's indices.
READ_JS = """([sel, idx, nth]) => {
    const el = document.querySelectorAll(sel)[nth || 0];
    const gd = el && el.querySelector('.js-plotly-plot');
    const note = el && el.querySelector('.twitch-figure-note');
    if (!gd || !gd.data) return {drawn: false, note: note && !note.hidden ? note.textContent : ''};
    const out = el.closest('.jp-OutputArea-output') || el.parentElement;
    return {drawn: true, revision: Number(gd.dataset.twitchRevision), width: gd.clientWidth,
            areaWidth: out.clientWidth, note: note && !note.hidden ? note.textContent : '',
            title: gd.layout && gd.layout.title ? gd.layout.title.text : '',
            traces: gd.data.map((t, i) => ({name: t.name, nx: t.x.length, ny: t.y.length,
                x: (idx[i] || []).map(j => Number(t.x[j])), y: (idx[i] || []).map(j => Number(t.y[j]))}))};
}"""


def write_notebook(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    path = folder / "figures.ipynb"
    nbformat.write(nb, path)
    return path


def kernel_state(folder: Path) -> dict | None:
    try:
        return json.loads((folder / "kernel_state.json").read_text())
    except (OSError, ValueError):
        return None


def mismatch(page, folder: Path, nth: int = 0) -> str:
    """'' when both figures in the page draw exactly the kernel's current state, else what differs.
    ``nth``: which view of each figure (a second notebook view has a second one)."""
    state = kernel_state(folder)
    if state is None:
        return "the kernel has written no state yet"
    for key, sel in (("a", FIG_A), ("b", FIG_B)):
        want = state[key]
        got = page.evaluate(READ_JS, [sel, [t["idx"] for t in want["traces"]], nth])
        if not got or not got["drawn"]:
            return f"figure {key}: not drawn{' (' + got['note'] + ')' if got and got['note'] else ''}"
        if got["revision"] != want["revision"]:
            return f"figure {key}: revision {got['revision']} drawn, kernel has {want['revision']}"
        if [t["name"] for t in got["traces"]] != [t["name"] for t in want["traces"]]:
            return f"figure {key}: traces {[t['name'] for t in got['traces']]} != {[t['name'] for t in want['traces']]}"
        for g, w in zip(got["traces"], want["traces"]):
            if (g["nx"], g["ny"]) != (w["nx"], w["ny"]):
                return f"figure {key} trace {w['name']}: {g['nx']}/{g['ny']} points drawn, kernel {w['nx']}/{w['ny']}"
            for axis in ("x", "y"):
                for gv, wv in zip(g[axis], w[axis]):
                    if abs(gv - wv) > 1e-4 + 1e-5 * abs(wv):  # float32 on the wire
                        return f"figure {key} trace {w['name']}: {axis} {g[axis]} drawn, kernel {w[axis]}"
    return ""


def poll(condition, what: str, page, ceiling_s: float = POLL_CEILING_S):
    """Poll ``condition()`` (truthy = done) every 100 ms up to the ceiling; returns its last value."""
    deadline = time.monotonic() + ceiling_s
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {ceiling_s:.0f} s")
        page.wait_for_timeout(100)


def poll_match(page, folder: Path, when: str, nth: int = 0) -> None:
    last = {"why": ""}

    def ok():
        last["why"] = mismatch(page, folder, nth)
        return not last["why"]

    try:
        poll(ok, when, page)
    except AssertionError as e:
        raise AssertionError(f"{e}; last difference: {last['why']}") from None


class Frames:
    """Websocket frames the page receives (kernel channels), with their sizes."""

    def __init__(self, page):
        self.frames: list[bytes] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._got))

    def _got(self, payload) -> None:
        self.frames.append(payload.encode("utf-8") if isinstance(payload, str) else bytes(payload))

    def figure_opens(self) -> list[int]:
        return [len(f) for f in self.frames if b"comm_open" in f and WIDGET_ID in f]

    def with_figure_state(self) -> list[int]:
        """Every frame carrying a figure's state (Voila sends all widget states in one reply)."""
        return [len(f) for f in self.frames if WIDGET_ID in f]

    def figure_updates(self, since: int) -> list[int]:
        return [len(f) for f in self.frames[since:] if b"_revision" in f and b"comm_msg" in f]


ARM_JS = """(sel) => {
    const gd = document.querySelector(sel + ' .js-plotly-plot');
    const st = window.__twFig = {t0: null, tDraw: null, tFrame: null, base: gd.dataset.twitchRevision};
    if (!window.__twFigKey) {
        window.__twFigKey = () => { if (window.__twFig && window.__twFig.t0 === null) window.__twFig.t0 = performance.now(); };
        document.addEventListener('keydown', window.__twFigKey, true);
    }
    const obs = new MutationObserver(() => {
        if (st.tDraw !== null || st.t0 === null || gd.dataset.twitchRevision === st.base) return;
        st.tDraw = performance.now();
        obs.disconnect();
        requestAnimationFrame(() => { st.tFrame = performance.now(); });
    });
    obs.observe(gd, {attributes: true, attributeFilter: ['data-twitch-revision']});
}"""


def press_timed(page, handle, sel: str) -> dict:
    page.evaluate(ARM_JS, sel)
    handle.press("ArrowRight")
    page.wait_for_function("() => window.__twFig.tFrame !== null", timeout=POLL_CEILING_S * 1000)
    st = page.evaluate("() => window.__twFig")
    return {"draw_ms": st["tDraw"] - st["t0"], "frame_ms": st["tFrame"] - st["t0"]}


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def record(name: str, values: dict) -> None:
    path = SHOTS / "figwidget-measurements.json"
    data = json.loads(path.read_text()) if path.is_file() else {}
    data[name] = values
    path.write_text(json.dumps(data, indent=2) + "\n")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("figwidget")
    write_notebook(folder)
    SHOTS.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def figures_lab(scratch, chromium, tmp_path_factory):
    """JupyterLab on the scratch folder with the utils.figures extension enabled exactly as `make setup`
    enables it (a jupyter_server_config.d file), on an extra JUPYTER_CONFIG_PATH entry."""
    from utils.figures import server

    prefix = tmp_path_factory.mktemp("prefix")
    server.install(prefix)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(
            "JUPYTER_CONFIG_PATH",
            os.pathsep.join(
                [str(prefix / "etc" / "jupyter")]
                + [p for p in os.environ.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p]
            ),
        )
        mp.setenv(
            "PYTHONPATH",
            os.pathsep.join(
                [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
            ),
        )
        lab = LabServer(root_dir=scratch).start()
    try:
        yield lab
    finally:
        lab.stop()


# --------------------------------------------------------------------------- JupyterLab


@pytest.mark.timeout(420)
def test_figures_in_jupyterlab(figures_lab, scratch, browser):
    ctx, outside = offline_context(browser, LOCAL)
    page = ctx.new_page()
    console: list[str] = []
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"[:300]))
    page.on("console", lambda m: m.type == "error" and console.append(f"console: {m.text}"[:300]))
    frames = Frames(page)
    plotly_requests: list[str] = []
    page.on("request", lambda r: "plotly.min.js" in r.url and plotly_requests.append(r.url))
    try:
        open_notebook(page, figures_lab, "figures.ipynb")
        run_all(page)
        found = problems(page)
        assert not found, f"after Run All: {found}\n{console}"
        poll_match(page, scratch, "after Run All the figures draw the kernel's state")
        page.locator(FIG_A).scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "figwidget-lab-1-ran.png"))

        # responsive: each figure fills its output area (no fixed 700 px)
        for sel in (FIG_A, FIG_B):
            got = page.evaluate(READ_JS, [sel, [], 0])
            assert got["width"] >= 0.9 * got["areaWidth"] and got["width"] != 700, (
                sel,
                got["width"],
                got["areaWidth"],
            )
        opens = frames.figure_opens()
        assert len(opens) == 2 and max(opens) <= OPEN_LIMIT_BYTES, f"figure-open frames (bytes): {opens}"
        assert len([u for u in plotly_requests if "plotly.min.js" in u]) <= 1, plotly_requests

        # the slider drives figure A: every press redraws; the figure then matches the kernel again
        handle = page.locator(f"{NOTEBOOK} .widget-slider .noUi-handle").first
        handle.scroll_into_view_if_needed()
        handle.focus()
        n0 = len(frames.frames)
        timings = [press_timed(page, handle, FIG_A)]
        poll_match(page, scratch, "after one ArrowRight the figure draws the kernel's new state")
        for _ in range(PRESSES - 1):
            timings.append(press_timed(page, handle, FIG_A))
        poll_match(page, scratch, f"after {PRESSES} ArrowRight presses the figure draws the kernel's state")
        assert kernel_state(scratch)["phase"] == pytest.approx(0.25 * PRESSES)
        updates = frames.figure_updates(n0)
        page.screenshot(path=str(SHOTS / "figwidget-lab-2-slider.png"))
        frame_ms = [t["frame_ms"] for t in timings]
        record(
            "jupyterlab",
            {
                "figure_open_bytes": opens,
                "update_bytes_median": statistics.median(updates) if updates else None,
                "updates_seen": len(updates),
                "presses": PRESSES,
                "key_to_draw_ms_p50": round(pct([t["draw_ms"] for t in timings], 0.5), 1),
                "key_to_frame_ms_p50": round(pct(frame_ms, 0.5), 1),
                "key_to_frame_ms_p95": round(pct(frame_ms, 0.95), 1),
                "key_to_frame_ms_all": [round(x, 1) for x in frame_ms],
                "plotly_js_requests": plotly_requests,
                "outside_requests": outside[:10],
                "browser_errors": console[:10],
            },
        )
        assert len(updates) >= PRESSES, f"{len(updates)} figure update frames for {PRESSES} presses"

        # a view created later (File -> New View for Notebook) draws the kernel's full current state
        click_menu(page, "File", "New View for Notebook")
        poll(
            lambda: page.locator(FIG_A).count() == 2 and page.locator(FIG_B).count() == 2,
            "a second view of each figure",
            page,
        )
        poll_match(page, scratch, "a new view of the figures draws the kernel's current state", nth=1)
        page.screenshot(path=str(SHOTS / "figwidget-lab-3-new-view.png"))

        # kernel restart: the old figures say so, in words
        click_menu(page, "Kernel", "Restart Kernel…")
        page.locator(".jp-Dialog .jp-mod-accept").first.click()
        for sel in (FIG_A, FIG_B):
            poll(
                lambda sel=sel: "disconnected" in page.evaluate(READ_JS, [sel, [], 0])["note"],
                f"{sel}: the orphan message after a kernel restart",
                page,
            )
        page.locator(FIG_A).first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "figwidget-lab-4-restarted.png"))
    finally:
        ctx.close()
        figures_lab.shutdown_sessions()


# --------------------------------------------------------------------------- Voila


@pytest.mark.timeout(300)
def test_figures_in_voila(scratch, browser, chromium, tmp_path_factory):
    folder = tmp_path_factory.mktemp("figwidget-voila")
    nb = write_notebook(folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(
            "PYTHONPATH",
            os.pathsep.join(
                [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
            ),
        )
        voila = VoilaServer(nb).start()
    ctx, outside = offline_context(browser, LOCAL)
    page = ctx.new_page()
    frames = Frames(page)
    try:
        page.goto(voila.url, wait_until="commit", timeout=180_000)
        poll_match(page, folder, "Voila: the figures draw the kernel's state")
        page.screenshot(path=str(SHOTS / "figwidget-voila-1.png"), full_page=True)
        handle = page.locator("#rendered_cells .widget-slider .noUi-handle").first
        handle.focus()
        timings = [press_timed(page, handle, FIG_A) for _ in range(5)]
        poll_match(page, folder, "Voila: after ArrowRight the figure draws the kernel's new state")
        page.screenshot(path=str(SHOTS / "figwidget-voila-2-slider.png"), full_page=True)
        record(
            "voila",
            {
                "figure_open_bytes": frames.figure_opens(),
                "frames_with_figure_state_bytes": frames.with_figure_state(),
                "websocket_bytes_received_total": sum(len(f) for f in frames.frames),
                "key_to_frame_ms": [round(t["frame_ms"], 1) for t in timings],
                "outside_requests": outside[:10],
            },
        )
        assert not outside, f"requests that tried to leave the machine: {outside}"
    except Exception as e:
        raise AssertionError(f"{e}\n--- voila log ---\n{voila.log_tail()}") from e
    finally:
        ctx.close()
        voila.stop()


@pytest.mark.timeout(300)
def test_large_font_scales_figure_text_in_voila(browser, chromium, tmp_path_factory):
    """Classroom mode FONT=large: the template's --twitch-figure-font-scale enlarges every figure font
    (plotly lays the bigger text out itself, so nothing is clipped)."""
    folder = tmp_path_factory.mktemp("figwidget-large")
    nb = write_notebook(folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(
            "PYTHONPATH",
            os.pathsep.join(
                [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
            ),
        )
        voila = VoilaServer(nb, font="large").start()
    ctx, outside = offline_context(browser, LOCAL)
    page = ctx.new_page()
    try:
        page.goto(voila.url, wait_until="commit", timeout=180_000)
        poll_match(page, folder, "Voila (large font): the figures draw the kernel's state")
        sizes = page.evaluate(
            """(sel) => {
            const gd = document.querySelector(sel + ' .js-plotly-plot');
            return {scale: getComputedStyle(gd).getPropertyValue('--twitch-figure-font-scale').trim(),
                    font: gd._fullLayout.font.size, tick: gd._fullLayout.xaxis.tickfont.size};
        }""",
            FIG_A,
        )
        page.screenshot(path=str(SHOTS / "figwidget-voila-large.png"), full_page=True)
        record("voila_large_font", sizes)
        assert float(sizes["scale"]) > 1.2, sizes
        assert (
            sizes["font"] == pytest.approx(12 * float(sizes["scale"]))
            and sizes["tick"] >= sizes["font"] - 0.01
        ), sizes
        assert not outside, outside
    except Exception as e:
        raise AssertionError(f"{e}\n--- voila log ---\n{voila.log_tail()}") from e
    finally:
        ctx.close()
        voila.stop()

"""Every figure a student sees matches the kernel, after Run All and after every control move.

For each notebook, in JupyterLab and in Voila:

1. open it (JupyterLab: clear outputs, Run All; Voila: the page runs every cell);
2. compare every drawn figure with the kernel's own state (``probe.py``: the trace count, each trace's
   x and y length and sampled values, and the revision drawn) and every slider's shown value with
   the kernel's value, polling up to a generous ceiling;
3. move every slider with the keyboard and choose another option in every drop-down, one at a time,
   and compare again after each move (the move must reach the kernel and change a figure);
4. drag the slider with the most steps across its track (90 input events at 60 per second) and count the
   figure's redraws while the handle moves (target: >= 20 redraws per second, reported by
   ``make bench``), then compare the page with the kernel again;
5. at 1366×768, 1024×768 and 800×720: nothing clipped (each slider's label, track and value inside
   its box; each figure inside its output area), and at 1366×768 the first slider and its figure
   are on screen together after scrolling to the slider. Screenshots at each size are kept in
   tests/browser/screenshots/ (look at them).

``make test-browser-soak`` repeats the JupyterLab pass (``TWITCH_SOAK`` times) and with a CPU hog.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest
from lab import NOTEBOOK, open_notebook, problems, run_all, wait_widgets_settled
from probe import (
    CLIP_JS,
    FIRST_PANEL_JS,
    KernelProbe,
    lab_connection_file,
    visible_fraction,
    voila_connection_file,
    wait_until_page_matches,
)

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from present import VoilaServer  # noqa: E402

pytestmark = pytest.mark.browser

SIZES = ((1366, 768), (1024, 768), (800, 720))
CEILING_S = float(os.environ.get("TWITCH_BROWSER_CEILING_S", "90"))  # generous: shared, slow machines
SOAK = int(os.environ.get("TWITCH_SOAK", "1"))
VOILA_PAGE = "#rendered_cells"
RESULTS = Path(__file__).resolve().parent / "screenshots" / "every_figure.json"


def _record(key: str, value: dict) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    data[key] = value
    RESULTS.write_text(json.dumps(data, indent=1) + "\n")


def _kernel_change(probe: KernelProbe, before: dict, slider_id: str | None, timeout_s: float) -> dict:
    """Wait until the kernel saw the move: the slider's value changed (if a slider) and some figure's
    revision grew. Returns the kernel state then."""
    deadline = time.monotonic() + timeout_s
    while True:
        now = probe.state()
        moved = (
            slider_id is None or now["sliders"][slider_id]["value"] != before["sliders"][slider_id]["value"]
        )
        redrawn = any(
            f["revision"] > before["figures"].get(i, {"revision": 1e18})["revision"]
            for i, f in now["figures"].items()
        )
        if moved and redrawn:
            return now
        if time.monotonic() > deadline:
            raise AssertionError(
                f"the move did not reach the kernel's figures within {timeout_s:.0f} s (moved={moved})"
            )
        time.sleep(0.2)


# Key press to frame: the keydown time (capture phase), and for every figure redrawn after it, when its
# change arrived from the kernel and when its redraw was painted (widget.js records both on the plot
# div: the first task after the frame that drew it).
ARM_JS = """
(root) => {
    const st = window.__twitchMove = {tKey: null};
    document.addEventListener('keydown', () => { if (st.tKey === null) st.tKey = performance.now(); },
                              {capture: true, once: true});
}
"""
MOVE_TIMES_JS = """
(root) => {
    const st = window.__twitchMove;
    if (st.tKey === null) return null;
    const gds = [...document.querySelectorAll(root + ' .twitch-figure .js-plotly-plot')]
        .filter(g => Number(g.dataset.twitchChangedAt) >= st.tKey);
    if (!gds.length || gds.some(g => !(Number(g.dataset.twitchPaintedAt) >= Number(g.dataset.twitchChangedAt))))
        return null;  // not painted yet
    return {
        key_to_message_ms: Math.min(...gds.map(g => Number(g.dataset.twitchChangedAt))) - st.tKey,
        draw_ms: Math.max(...gds.map(g => Number(g.dataset.twitchDrawMs))),
        key_to_frame_ms: Math.max(...gds.map(g => Number(g.dataset.twitchPaintedAt))) - st.tKey,
    };
}
"""


def _move_every_control(page, probe: KernelProbe, root: str, name: str, frames: list | None = None) -> dict:
    """Move every slider (keyboard) and every drop-down, comparing after each. Returns what was moved,
    with each slider's key-press-to-frame time and the bytes the page received for the move."""
    moved = []
    timings = {}
    sliders = page.locator(f"{root} .twitch-slider")
    for i in range(sliders.count()):
        el = sliders.nth(i)
        inp = el.locator(".twitch-slider-input")
        if inp.is_disabled():
            continue
        sid = el.get_attribute("data-twitch-slider")
        label = el.locator(".twitch-slider-label").inner_text()
        at_max = inp.evaluate("e => Number(e.value) >= Number(e.max)")
        key = "ArrowLeft" if at_max else "ArrowRight"
        before = probe.state()
        inp.scroll_into_view_if_needed()
        inp.focus()
        page.evaluate(ARM_JS, root)
        n_frames = len(frames) if frames is not None else 0
        inp.press(key)
        _kernel_change(probe, before, sid, CEILING_S)
        wait_until_page_matches(page, probe, root, CEILING_S, f"{name}: after {key} on slider {label!r}")
        st = page.wait_for_function(MOVE_TIMES_JS, arg=root, timeout=CEILING_S * 1000).json_value()
        timings[label] = {
            # key press -> the redrawn figures painted, and where the time goes: key -> the kernel's
            # answer arriving in the page, and Plotly's draw of it
            **{k: round(v, 1) for k, v in st.items()},
            "bytes_received": sum(n for n in frames[n_frames:]) if frames is not None else None,
        }
        moved.append(f"slider {label} ({key})")
    menus = page.locator(f"{root} .widget-dropdown select")
    for i in range(menus.count()):
        sel = menus.nth(i)
        if sel.is_disabled():
            continue
        n = sel.evaluate("e => e.options.length")
        if n < 2:
            continue
        cur = sel.evaluate("e => e.selectedIndex")
        before = probe.state()
        sel.scroll_into_view_if_needed()
        sel.select_option(index=(cur + 1) % n)
        _kernel_change(probe, before, None, CEILING_S)
        wait_until_page_matches(
            page, probe, root, CEILING_S, f"{name}: after choosing option {(cur + 1) % n} of menu {i}"
        )
        moved.append(f"menu {i} -> option {(cur + 1) % n}")
    return {"moved": moved, "sliders": timings}


# Drag: every animation frame in which some figure's drawn revision changed counts as one redraw (what
# the student sees), with its time.
DRAG_ARM_JS = """
(root) => {
    const revs = () => [...document.querySelectorAll(root + ' .twitch-figure .js-plotly-plot')]
        .map(g => g.dataset.twitchRevision).join(',');
    const st = window.__twitchDrag = {frames: [], last: revs(), stop: false};
    const tick = () => {
        const r = revs();
        if (r !== st.last) { st.last = r; st.frames.push(performance.now()); }
        if (!st.stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
}
"""
DRAG_STEPS = 90
DRAG_STEP_MS = 1000 / 60
# What a drag makes the slider see: one "input" event per display frame as the handle moves from the
# left end to the right end, then "change" on release. Dispatched in the page at 60 Hz, so the pace
# does not depend on how fast the test can send pointer events to a loaded browser.
DRAG_JS = """
([root, index, steps, stepMs]) => new Promise((resolve) => {
    const inp = document.querySelectorAll(root + ' .twitch-slider .twitch-slider-input:not([disabled])')[index];
    const lo = Number(inp.min), hi = Number(inp.max);
    const t0 = performance.now();
    let k = 0;
    const move = () => {
        k += 1;
        inp.value = String(lo + (hi - lo) * k / steps);
        inp.dispatchEvent(new Event('input', {bubbles: true}));
        if (k < steps) { setTimeout(move, Math.max(0, t0 + k * stepMs - performance.now())); return; }
        const t1 = performance.now();
        inp.dispatchEvent(new Event('change', {bubbles: true}));
        resolve({tDown: t0, tUp: t1});
    };
    move();
})
"""


def _drag_slider(page, probe: KernelProbe, root: str, name: str) -> dict | None:
    """Drag the slider with the most steps from its left end to its right end (DRAG_JS) and count the
    figure redraws the page showed while the handle moved."""
    sliders = page.locator(f"{root} .twitch-slider .twitch-slider-input:not([disabled])")
    steps = [
        sliders.nth(i).evaluate("e => Math.round((Number(e.max) - Number(e.min)) / Number(e.step || 1))")
        for i in range(sliders.count())
    ]
    if not steps:
        return None
    best = max(range(len(steps)), key=lambda i: steps[i])
    inp = sliders.nth(best)
    label = inp.evaluate("e => e.closest('.twitch-slider').querySelector('.twitch-slider-label').textContent")
    inp.scroll_into_view_if_needed()
    page.evaluate(DRAG_ARM_JS, root)
    t = page.evaluate(DRAG_JS, [root, best, DRAG_STEPS, DRAG_STEP_MS])
    wait_until_page_matches(page, probe, root, CEILING_S, f"{name}: after dragging slider {label!r}")
    frames = page.evaluate("() => { window.__twitchDrag.stop = true; return window.__twitchDrag.frames; }")
    assert frames, f"{name}: dragging slider {label!r} never redrew a figure"
    during = [f for f in frames if t["tDown"] <= f <= t["tUp"]]
    drag_s = (t["tUp"] - t["tDown"]) / 1e3
    return {
        "slider": label,
        "steps": steps[best],
        "drag_ms": round(drag_s * 1e3, 1),
        "input_events_per_s": round(DRAG_STEPS / drag_s, 1),
        "redraws_during_drag": len(during),
        "redraws_per_s": round(len(during) / drag_s, 1),
        "last_redraw_after_release_ms": round(max(frames) - t["tUp"], 1),
    }


def _check_sizes(page, root: str, name: str, screenshots: Path) -> dict:
    out = {}
    for w, h in SIZES:
        page.set_viewport_size({"width": w, "height": h})
        deadline = time.monotonic() + 30  # the figures' resize observers redraw them for the new width
        while (bad := page.evaluate(CLIP_JS, root)) and time.monotonic() < deadline:
            page.wait_for_timeout(300)
        first = page.evaluate(FIRST_PANEL_JS, root)
        page.wait_for_timeout(300)
        page.screenshot(path=str(screenshots / f"every-{name}-{w}x{h}.png"))
        assert not bad, f"{name} at {w}×{h}: {bad[:10]}"
        if first and (w, h) == SIZES[0]:
            s = visible_fraction(first["slider_top"], first["slider_bottom"], first["viewport"])
            assert s >= 0.95, f"{name} at {w}×{h}: the first slider is not on screen ({first})"
            if first["figure_top"] is not None:
                f = visible_fraction(first["figure_top"], first["figure_bottom"], first["viewport"])
                assert f >= 0.5, (
                    f"{name} at {w}×{h}: only {f:.0%} of the first slider's figure is on screen ({first})"
                )
                out["first_figure_visible"] = round(f, 2)
        out[f"{w}x{h}"] = "ok"
    return out


@pytest.mark.timeout(1800)
def test_every_figure_in_jupyterlab(notebook, lab_server, page, screenshots):
    rel = notebook.relative_to(lab_server.root_dir).as_posix()
    page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
    record = {"passes": []}
    frames: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(len(payload))))
    for run in range(SOAK):
        t0 = time.monotonic()
        open_notebook(page, lab_server, rel)
        run_s = run_all(page, timeout_s=600)
        assert not wait_widgets_settled(page, timeout_s=CEILING_S)
        errors = problems(page)
        assert not errors, f"{notebook.name} after Run All shows: {errors}"
        probe = KernelProbe(lab_connection_file(lab_server, rel), timeout_s=CEILING_S)
        try:
            seen = wait_until_page_matches(page, probe, NOTEBOOK, CEILING_S, f"{notebook.stem} after Run All")
            n_open = sum(frames)
            moved = _move_every_control(page, probe, NOTEBOOK, notebook.stem, frames)
            if run == SOAK - 1:
                record["drag"] = _drag_slider(page, probe, NOTEBOOK, notebook.stem)
                record["sizes"] = _check_sizes(page, NOTEBOOK, f"lab-{notebook.stem}", screenshots)
                page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
        finally:
            probe.close()
        record["passes"].append(
            {
                "run_all_s": round(run_s, 1),
                "figures": seen["figures"],
                "sliders": seen["sliders"],
                "moves": len(moved["moved"]),
                "bytes_received_until_drawn": n_open,
                "per_slider": moved["sliders"],
                "wall_s": round(time.monotonic() - t0, 1),
            }
        )
        frames.clear()
        lab_server.shutdown_sessions(rel)
    _record(f"lab/{notebook.stem}", record)


@pytest.mark.timeout(1800)
def test_every_figure_in_voila(notebook, browser, chromium, screenshots):
    server = VoilaServer(notebook).start()
    ctx = browser.new_context(viewport={"width": SIZES[0][0], "height": SIZES[0][1]})
    page = ctx.new_page()
    try:
        t0 = time.monotonic()
        page.goto(server.url, wait_until="commit", timeout=CEILING_S * 4000)
        page.wait_for_function(
            f"() => !document.getElementById('loading') && document.querySelector('{VOILA_PAGE}')",
            timeout=CEILING_S * 4000,
        )
        load_s = time.monotonic() - t0
        text = page.inner_text("body")
        for bad in (
            "There was an error when executing cell",
            "Traceback (most recent call last)",
            "model not found",
        ):
            assert bad not in text, f"{notebook.name} in Voila shows {bad!r}"
        probe = KernelProbe(voila_connection_file(server.log_path), timeout_s=CEILING_S)
        try:
            seen = wait_until_page_matches(page, probe, VOILA_PAGE, CEILING_S, f"{notebook.stem} in Voila")
            moved = _move_every_control(page, probe, VOILA_PAGE, f"voila {notebook.stem}")
            sizes = _check_sizes(page, VOILA_PAGE, f"voila-{notebook.stem}", screenshots)
        finally:
            probe.close()
        _record(
            f"voila/{notebook.stem}",
            {
                "load_s": round(load_s, 1),
                "figures": seen["figures"],
                "sliders": seen["sliders"],
                "moves": len(moved["moved"]),
                "per_slider": moved["sliders"],
                "sizes": sizes,
            },
        )
    except AssertionError as e:
        raise AssertionError(f"{e}\n--- voila log ---\n{server.log_tail()}") from e
    finally:
        ctx.close()
        server.stop()

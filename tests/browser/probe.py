"""Ask a notebook's own kernel what its figures and sliders hold, and compare with what the page draws.

The kernel is the truth: :class:`KernelProbe` connects a second client to the kernel (its connection
file) and evaluates ``PlotlyFigure.snapshot()`` and ``Slider.snapshot()`` there, silently (no output,
no history). :func:`page_mismatches` reads every drawn figure from plotly's graph div (``gd.data``: the
trace count, each trace's x and y length and sampled values, and the revision drawn) and every
slider's shown value, and lists each difference from the kernel's state.
"""

from __future__ import annotations

import ast
import json
import math
import re
import time
from pathlib import Path

from jupyter_client import BlockingKernelClient

PROBE_SETUP = """
def _twitch_probe_state():
    import json
    from utils.figures.widget import PlotlyFigure
    from utils.panels.controls import Slider
    return json.dumps({"figures": PlotlyFigure.snapshot(), "sliders": Slider.snapshot()})
"""


class KernelProbe:
    """A second client of one kernel: ``state()`` -> {"figures": {...}, "sliders": {...}}."""

    def __init__(self, connection_file: Path, timeout_s: float = 120.0):
        self.client = BlockingKernelClient(connection_file=str(connection_file))
        self.client.load_connection_file()
        self.client.start_channels()
        self.timeout_s = timeout_s
        self.ready = False

    def _run(self, code: str, expressions: dict | None = None) -> dict:
        msg_id = self.client.execute(
            code, silent=True, store_history=False, user_expressions=expressions or {}, allow_stdin=False
        )
        deadline = time.monotonic() + self.timeout_s
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"the kernel did not answer the probe within {self.timeout_s:.0f} s")
            reply = self.client.get_shell_msg(timeout=left)
            if reply["parent_header"].get("msg_id") == msg_id:
                content = reply["content"]
                if content.get("status") != "ok":
                    raise RuntimeError(
                        f"probe failed in the kernel: {content.get('ename')}: {content.get('evalue')}"
                    )
                return content

    def state(self) -> dict:
        if not self.ready:
            self._run(PROBE_SETUP)
            self.ready = True
        content = self._run("", {"s": "_twitch_probe_state()"})
        out = content["user_expressions"]["s"]
        if out.get("status") != "ok":
            raise RuntimeError(f"probe expression failed: {out.get('ename')}: {out.get('evalue')}")
        return json.loads(ast.literal_eval(out["data"]["text/plain"]))

    def close(self) -> None:
        self.client.stop_channels()


def lab_connection_file(server, nb_rel_path: str, timeout_s: float = 60.0) -> Path:
    """The connection file of the kernel of ``nb_rel_path`` in a tests/browser/lab.py LabServer."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for s in server.api("GET", "/api/sessions"):
            if s.get("path") == nb_rel_path and s.get("kernel"):
                f = server.runtime_dir / f"kernel-{s['kernel']['id']}.json"
                if f.is_file():
                    return f
        time.sleep(0.5)
    raise AssertionError(f"no kernel connection file for {nb_rel_path} within {timeout_s:.0f} s")


def voila_connection_file(log_path: Path, timeout_s: float = 60.0) -> Path:
    """The connection file of the (one) kernel of a Voila server, from its log."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        text = log_path.read_text(errors="replace") if log_path.is_file() else ""
        folder = re.search(r"Storing connection files in (\S+?)\.?\s*$", text, re.M)
        kernel = re.findall(r"Kernel started: ([0-9a-f-]{36})", text)
        if folder and kernel:
            f = Path(folder.group(1).rstrip(".")) / f"kernel-{kernel[-1]}.json"
            if f.is_file():
                return f
        time.sleep(0.5)
    raise AssertionError(f"no Voila kernel connection file found in {log_path} within {timeout_s:.0f} s")


# Reads every drawn figure and slider under `root`, checking them against the kernel's state `k`.
PAGE_JS = """
([root, k]) => {
    const out = {figures: 0, sliders: 0, problems: []};
    const drawn = new Set([...document.querySelectorAll(root + ' .twitch-figure')].map(e => e.dataset.twitchFigure));
    for (const id of Object.keys(k.figures))
        if (!drawn.has(id)) out.problems.push(`kernel figure ${id.slice(0, 8)} is not drawn on the page`);
    const shownSliders = new Set([...document.querySelectorAll(root + ' .twitch-slider')].map(e => e.dataset.twitchSlider));
    for (const [id, s] of Object.entries(k.sliders))
        if (!shownSliders.has(id)) out.problems.push(`kernel slider ${s.description} is not on the page`);
    const close = (a, b) => a === b || (Number.isNaN(a) && Number.isNaN(b)) || (typeof a === 'number' && typeof b === 'number' &&
        Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(a), Math.abs(b)));
    for (const el of document.querySelectorAll(root + ' .twitch-figure')) {
        const id = el.dataset.twitchFigure;
        const gd = el.querySelector('.js-plotly-plot');
        if (!id || !gd || !gd.data) { out.problems.push('a figure is not drawn (still blank)'); continue; }
        out.figures += 1;
        const want = k.figures[id];
        if (!want) { out.problems.push(`figure ${id.slice(0, 8)} is not a live figure of the kernel`); continue; }
        const title = ((gd.layout || {}).title || {}).text || id.slice(0, 8);
        if (String(want.revision) !== gd.dataset.twitchRevision)
            out.problems.push(`${title}: page drew revision ${gd.dataset.twitchRevision}, kernel has ${want.revision}`);
        if (gd.data.length !== want.traces.length) {
            out.problems.push(`${title}: ${gd.data.length} traces drawn, kernel has ${want.traces.length}`);
            continue;
        }
        want.traces.forEach((t, i) => {
            const d = gd.data[i];
            if (d.uid !== t.key) out.problems.push(`${title}: trace ${i} is ${d.uid}, kernel has ${t.key}`);
            for (const axis of ['x', 'y']) {
                const arr = d[axis];
                const n = arr ? arr.length : 0;
                if (n !== t['n_' + axis]) {
                    out.problems.push(`${title} / ${t.key}: ${n} ${axis} values drawn, kernel has ${t['n_' + axis]}`);
                    continue;
                }
                for (const [idx, v] of t[axis + '_samples']) {
                    if (!close(Number(arr[idx]), v))
                        out.problems.push(`${title} / ${t.key}: ${axis}[${idx}] drawn ${arr[idx]}, kernel has ${v}`);
                }
            }
        });
    }
    for (const el of document.querySelectorAll(root + ' .twitch-slider')) {
        const id = el.dataset.twitchSlider;
        const want = id && k.sliders[id];
        out.sliders += 1;
        const label = (el.querySelector('.twitch-slider-label') || {}).textContent || '?';
        if (!want) { out.problems.push(`slider ${label}: not a live slider of the kernel`); continue; }
        const shown = (el.querySelector('.twitch-slider-value') || {}).textContent;
        if (shown !== want.shown) out.problems.push(`slider ${label}: page shows ${shown}, kernel has ${want.shown}`);
    }
    return out;
}
"""


def page_mismatches(page, root: str, kernel_state: dict) -> dict:
    """{figures, sliders, problems} for the page under ``root`` against ``kernel_state``."""
    return page.evaluate(PAGE_JS, [root, kernel_state])


def wait_until_page_matches(
    page, probe: KernelProbe, root: str, timeout_s: float = 60.0, what: str = ""
) -> dict:
    """Poll (kernel state, page) until the page draws exactly the kernel's state; a generous ceiling,
    never a fixed sleep. Returns the last comparison; raises with the differences at the ceiling."""
    deadline = time.monotonic() + timeout_s
    last = None
    while True:
        last = page_mismatches(page, root, probe.state())
        if not last["problems"]:
            return last
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{what}: after {timeout_s:.0f} s the page still differs from the kernel: {last['problems'][:12]}"
            )
        page.wait_for_timeout(300)


# Where nothing may be clipped: every slider's label, track and value inside the slider's box, and every
# figure inside its output area.
CLIP_JS = """
(root) => {
    const bad = [];
    const inside = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
    for (const el of document.querySelectorAll(root + ' .twitch-slider')) {
        const box = el.getBoundingClientRect();
        const name = (el.querySelector('.twitch-slider-label') || {}).textContent || '?';
        for (const part of el.querySelectorAll('.twitch-slider-label, .twitch-slider-input, .twitch-slider-value')) {
            const r = part.getBoundingClientRect();
            if (r.width === 0) { bad.push(`slider ${name}: ${part.className} has no width`); continue; }
            if (!inside(r, box)) bad.push(`slider ${name}: ${part.className} sticks out of its box`);
            if (part.scrollWidth > part.clientWidth + 1 && part.tagName !== 'INPUT')
                bad.push(`slider ${name}: ${part.className} text is cut (${part.scrollWidth} > ${part.clientWidth})`);
        }
        const area = el.closest('.jp-OutputArea-output, #rendered_cells') || document.body;
        const a = area.getBoundingClientRect();
        if (box.left < a.left - 4 || box.right > a.right + 4)  // a widget box's 2 px margin is not a clip
            bad.push(`slider ${name}: [${box.left.toFixed(0)}, ${box.right.toFixed(0)}] outside its output area [${a.left.toFixed(0)}, ${a.right.toFixed(0)}]`);
    }
    for (const el of document.querySelectorAll(root + ' .twitch-figure')) {
        const area = el.closest('.jp-OutputArea-output, #rendered_cells') || document.body;
        const r = el.getBoundingClientRect(), a = area.getBoundingClientRect();
        if (r.right > a.right + 2) bad.push(`figure ${el.dataset.twitchFigure || '?'} is wider than its output area`);
        const svg = el.querySelector('.main-svg');
        if (svg) {
            const g = svg.getBoundingClientRect();
            if (g.right > a.right + 2 || g.left < a.left - 2)
                bad.push(`figure ${(el.dataset.twitchFigure || '?').slice(0, 8)}: drawing [${g.left.toFixed(0)}, ${g.right.toFixed(0)}] cut by its output area [${a.left.toFixed(0)}, ${a.right.toFixed(0)}]`);
        }
    }
    return bad;
}
"""

# After scrolling the first slider into view: is it, and its panel's figure, on screen?
FIRST_PANEL_JS = """
(root) => {
    const slider = document.querySelector(root + ' .twitch-slider');
    if (!slider) return null;
    slider.scrollIntoView({block: 'start'});
    const panel = slider.closest('.twitch-panel');
    const fig = panel && panel.querySelector('.twitch-figure');
    const vh = window.innerHeight;
    const s = slider.getBoundingClientRect();
    const f = fig ? fig.getBoundingClientRect() : null;
    return {slider_top: s.top, slider_bottom: s.bottom, figure_top: f && f.top, figure_bottom: f && f.bottom,
            figure_height: f && f.height, viewport: vh};
}
"""


def visible_fraction(top: float, bottom: float, viewport: float) -> float:
    h = bottom - top
    return 0.0 if h <= 0 else max(0.0, min(bottom, viewport) - max(top, 0.0)) / h


def finite(x) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x)

"""Slider-to-redraw latency in a real browser, per notebook (JupyterLab in headless Chromium).

Runs the browser test layer (``pytest tests/browser``), which presses ArrowRight/ArrowLeft on each
notebook's first slider handle and times, inside the page, the keydown to the animation frame after
the driven plotly figure's SVG changed (kernel round trip + plotly redraw). Target: p95 <= 100 ms.
Also reports each notebook's whole browser check (open, Run All, slider) as a wall time, and from the
every-figure test of the same run (``tests/browser/screenshots/every_figure.json``): key press to frame
for every slider of every notebook in JupyterLab and in Voila, and the mouse drag of each notebook's
finest slider as milliseconds per redraw while the handle moves (target <= 50 ms, i.e. >= 20 redraws
per second).

Runs outside the kernel (``benchmarks/run.py`` lists it in OUTSIDE_KERNEL). Set
``TWITCH_BENCH_BROWSER_REUSE=1`` to report the last recorded ``tests/browser/screenshots/latency.json``
instead of running the browser again. Without Chromium the result is one row with a note.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    from ._timing import row
except ImportError:  # imported by benchmarks/run.py from this folder
    from _timing import row

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from present import CHROMIUM  # noqa: E402  (the browser the tests drive: $TWITCH_CHROMIUM or Debian's)

RECORDED = ROOT / "tests" / "browser" / "screenshots" / "latency.json"
EVERY_FIGURE = ROOT / "tests" / "browser" / "screenshots" / "every_figure.json"
TARGET_MS = 100.0
DRAG_TARGET_MS_PER_REDRAW = 50.0  # 20 redraws per second


def _note_row(note: str) -> list[dict]:
    return [row("browser: slider key press -> redrawn figure", [math.nan], None, note=note)]


def _run_pytest(out: Path) -> str:
    n = len(list((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))) or 1
    env = dict(os.environ, TWITCH_BROWSER_LATENCY_JSON=str(out))
    cmd = [sys.executable, "-m", "pytest", "tests/browser", "-q", "-p", "no:cacheprovider"]
    try:
        res = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60 + 180 * n)
    except subprocess.TimeoutExpired:
        return "browser tests timed out"
    last = (res.stdout.strip().splitlines() or ["(no output)"])[-1]
    return "browser tests passed" if res.returncode == 0 else f"browser tests FAILED: {last}"


def every_figure_rows(since: float, status: str) -> list[dict]:
    """Rows from the every-figure test's record, if this run wrote it (modified after ``since``)."""
    if not EVERY_FIGURE.exists() or EVERY_FIGURE.stat().st_mtime < since:
        return []
    data = json.loads(EVERY_FIGURE.read_text())
    rows = []
    for where in ("lab", "voila"):
        keys = [k for k in data if k.startswith(where + "/")]
        if not keys:
            continue
        times, notebooks = [], 0
        for k in keys:
            rec = data[k]
            per = [p["per_slider"] for p in rec.get("passes", [])] or [rec.get("per_slider", {})]
            for sliders in per:
                times += [v["key_to_frame_ms"] for v in sliders.values() if v.get("key_to_frame_ms")]
            notebooks += 1
        if times:
            rows.append(
                row(
                    f"browser {'JupyterLab' if where == 'lab' else 'Voila'}: every slider, key -> frame",
                    times,
                    TARGET_MS,
                    note=f"{len(times)} key presses over {notebooks} notebooks; {status}",
                )
            )
    drags = {k.split("/", 1)[1]: v["drag"] for k, v in data.items() if k.startswith("lab/") and v.get("drag")}
    per_redraw = [d["drag_ms"] / d["redraws_during_drag"] for d in drags.values() if d["redraws_during_drag"]]
    if drags:
        worst = min(drags.items(), key=lambda kv: kv[1]["redraws_per_s"] or 0)
        rows.append(
            row(
                "browser JupyterLab: mouse drag, ms per redraw while the handle moves",
                per_redraw or [math.inf],
                DRAG_TARGET_MS_PER_REDRAW,
                stat="max",
                note=(
                    f"one drag per notebook ({len(drags)}), slider with the most steps; fewest "
                    f"{worst[1]['redraws_per_s']} redraws/s in {worst[0]} ({worst[1]['slider']!r}); {status}"
                ),
            )
        )
    return rows


def run() -> list[dict]:
    started = time.time()
    if os.environ.get("TWITCH_BENCH_BROWSER_REUSE") == "1":
        if not RECORDED.exists():
            return _note_row(f"no recording at {RECORDED.relative_to(ROOT)}: run the browser tests first")
        data = json.loads(RECORDED.read_text())
        status = f"recorded {data['recorded']}"
    else:
        if not Path(CHROMIUM).exists():
            return _note_row(f"not measured: {CHROMIUM} is missing (make browser installs it as root)")
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "latency.json"
            status = _run_pytest(out)
            if not out.exists():
                return _note_row(f"not measured: {status}")
            data = json.loads(out.read_text())
    rows = []
    for nb, rec in data["notebooks"].items():
        name = Path(nb).stem
        if rec.get("passed") is False:
            status_nb = f"its browser test FAILED; {status}"
        else:
            status_nb = status
        frame = rec.get("slider_to_frame_ms")
        if frame:
            rows.append(
                row(
                    f"browser {name}: slider key -> redrawn figure",
                    frame,
                    TARGET_MS,
                    note=f"{rec.get('slider', '')!r}; {status_nb}",
                )
            )
        else:
            rows.append(
                row(
                    f"browser {name}: slider key -> redrawn figure",
                    [math.nan],
                    None,
                    note=f"not measured; {status_nb}",
                )
            )
        if "wall_s" in rec:
            rows.append(
                row(
                    f"browser {name}: open + Run All + slider (wall)",
                    [rec["wall_s"] * 1e3],
                    None,
                    note=f"open {rec.get('open_s', '?')} s, Run All {rec.get('run_all_s', '?')} s",
                )
            )
    rows += every_figure_rows(0.0 if os.environ.get("TWITCH_BENCH_BROWSER_REUSE") == "1" else started, status)
    return rows or _note_row(f"no notebooks measured; {status}")


if __name__ == "__main__":
    for r in run():
        print(r)

"""Slider-to-redraw latency in a real browser, per notebook (JupyterLab in headless Chromium).

Runs the browser test layer (``pytest tests/browser``), which presses ArrowRight/ArrowLeft on each
notebook's first slider handle and times, inside the page, the keydown to the animation frame after
the driven plotly figure's SVG changed (kernel round trip + plotly redraw). Target: p95 <= 100 ms.
Also reports each notebook's whole browser check (open, Run All, slider) as a wall time.

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
from pathlib import Path

try:
    from ._timing import row
except ImportError:  # imported by benchmarks/run.py from this folder
    from _timing import row

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
RECORDED = ROOT / "tests" / "browser" / "screenshots" / "latency.json"
TARGET_MS = 100.0


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


def run() -> list[dict]:
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
    return rows or _note_row(f"no notebooks measured; {status}")


if __name__ == "__main__":
    for r in run():
        print(r)

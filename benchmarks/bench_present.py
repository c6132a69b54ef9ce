"""Classroom mode (``make present``, Voila 0.5.13) in headless Chromium: seconds from the page request to
the first drawn figure, and to every figure drawn, on first load and on reload, with and without Voila's
progressive rendering; plus the progress text the page showed meanwhile (sampled every 0.25 s).

Target: a first figure within 15 s. Runs outside the kernel (``benchmarks/run.py``).
``python benchmarks/bench_present.py [NN ...]`` (default: 03, the notebook with most figures).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

try:
    from ._timing import row
except ImportError:  # imported by benchmarks/run.py from this folder
    from _timing import row

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
# the browser the tests drive, with the same switches (one list, in tools/present.py)
from present import CHROMIUM  # noqa: E402
from present import CHROMIUM_ARGS as ARGS  # noqa: E402

FIRST_FIGURE_S = 15.0
# what a student sees: a drawn plotly figure, and Voila's progress text (spinner or cell placeholders)
PROBE = """() => ({
  figures: document.querySelectorAll('.js-plotly-plot g.scatterlayer, .js-plotly-plot g.shapelayer').length,
  drawn: document.querySelectorAll('.js-plotly-plot').length,
  progress: (((document.getElementById('twitch-progress') || {}).hidden === false
    ? (document.getElementById('twitch-progress').textContent || '') : '')
    || ((document.getElementById('loading_text') || {}).textContent || '')).trim(),
})"""


def _visit(page, url: str, timeout_s: float = 120.0) -> dict:
    t0 = time.monotonic()
    page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
    first = None
    progress = []
    last = None
    n_seen, t_last = 0, 0.0
    while time.monotonic() - t0 < timeout_s:
        s = page.evaluate(PROBE)
        t = time.monotonic() - t0
        if s["progress"] != last:
            progress.append((round(t, 1), s["progress"][:60]))
            last = s["progress"]
        if first is None and s["drawn"] >= 1:
            first = t
        if s["drawn"] != n_seen:
            n_seen, t_last = s["drawn"], t
        # done: the progress line is gone (or Voila's spinner) and no new figure for 3 s
        if first is not None and not s["progress"] and t - t_last > 3.0:
            return {"first_s": first, "all_s": t_last, "n": n_seen, "progress": progress}
        time.sleep(0.25)
    return {"first_s": first, "all_s": None, "n": n_seen, "progress": progress}


def run(only: list[str] | None = None) -> list[dict]:
    from present import VoilaServer, resolve_notebook

    if not Path(CHROMIUM).exists():
        return [row("classroom mode: first figure", [float("nan")], None, note="no Chromium")]
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for spec in only or ["03"]:
                nb = resolve_notebook(spec)
                for progressive in (False, True):
                    mode = "progressive" if progressive else "classic"
                    t_server = time.monotonic()
                    with VoilaServer(nb, progressive=progressive) as server:
                        server_s = time.monotonic() - t_server
                        ctx = browser.new_context()
                        page = ctx.new_page()
                        for visit in ("first load", "reload"):
                            r = _visit(
                                page, server.url
                            )  # a reload is a second visit: Voila starts a new kernel
                            shown = "; ".join(f"{t}s {p}" for t, p in r["progress"][:8])
                            rows.append(
                                row(
                                    f"present {nb.name[:2]} ({mode}, {visit}): request -> first figure",
                                    [1e3 * (r["first_s"] if r["first_s"] is not None else float("nan"))],
                                    FIRST_FIGURE_S * 1e3,
                                    "p50",
                                    note=(
                                        f"{r['n']} figures, the last drawn at {r['all_s'] and round(r['all_s'], 1)} s; "
                                        f"server up in {server_s:.1f} s; "
                                        f"progress seen: {shown}"
                                    ),
                                )
                            )
                        ctx.close()
        finally:
            browser.close()
    return rows


if __name__ == "__main__":
    for r in run(sys.argv[1:] or None):
        print(
            f"{r['name']:<60} {r['p50_ms'] / 1e3:6.1f} s  load/core {r['load_per_core']:.2f}"
            f"{' HIGH' if r['loaded'] else ''}  ok={r['ok']}  {r['note']}"
        )

"""Kernel start to first interactive panel, every panel build, and each notebook's run: as a user meets them.

For every numbered notebook a fresh kernel is started (``jupyter_client.KernelManager``, the same
ipykernel JupyterLab starts) and the notebook's code cells are sent one by one, exactly as Run All
sends them. Times are taken on the client side, from the kernel start request to the kernel's
``idle`` after a cell, so they include kernel start, imports, table loads and sending the widgets.

* ``NN kernel start -> first panel``: start request to idle after the first cell whose output holds a
  widget view (target 2 s).
* ``NN panel build: cell k``: each cell whose output holds a widget view (target 1 s).
* ``NN whole notebook``: start request to idle after the last cell; bytes of every iopub message.

Runs outside the kernel (``benchmarks/run.py`` lists it in OUTSIDE_KERNEL).
``python benchmarks/bench_start.py [NN ...]`` runs it alone.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

try:
    from ._timing import row
except ImportError:  # imported by benchmarks/run.py from this folder
    from _timing import row

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
FIRST_PANEL_MS = 2000.0
PANEL_BUILD_MS = 1000.0
#: Modules no notebook needs; imported, they cost seconds (nbformat -> jsonschema -> rfc3987_syntax).
HEAVY_MODULES = ("nbformat", "jsonschema", "rfc3987_syntax", "scipy.stats", "scipy.optimize")


def msg_bytes(msg: dict) -> int:
    """Bytes of one message as it crosses the wire (JSON parts + binary buffers)."""
    n = 0
    for key in ("header", "parent_header", "metadata", "content"):
        n += len(json.dumps(msg.get(key, {}), default=str).encode())
    return n + sum(len(memoryview(b).cast("B")) for b in msg.get("buffers", []) or [])


def run_cell(kc, code: str, timeout: float = 300) -> dict:
    """Execute ``code``; wait for its idle. Returns elapsed ms, widget-view flag, iopub bytes, errors."""
    t0 = time.perf_counter()
    msg_id = kc.execute(code, store_history=True, allow_stdin=False)
    widget, nbytes, error = False, 0, None
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        nbytes += msg_bytes(msg)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        t = msg["msg_type"]
        if t in ("execute_result", "display_data") and WIDGET_MIME in msg["content"].get("data", {}):
            widget = True
        elif t == "error":
            error = f"{msg['content']['ename']}: {msg['content']['evalue']}"
        elif t == "status" and msg["content"]["execution_state"] == "idle":
            break
    kc.get_shell_msg(timeout=timeout)
    return {"ms": (time.perf_counter() - t0) * 1e3, "widget": widget, "bytes": nbytes, "error": error}


def code_cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text())
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def time_notebook(path: Path) -> dict:
    from jupyter_client import KernelManager

    cells = code_cells(path)
    km = KernelManager(kernel_name="python3")
    t0 = time.perf_counter()
    km.start_kernel(cwd=str(path.parent))
    kc = km.client()
    kc.start_channels()
    out = {"cells": [], "first_panel_ms": None, "first_panel_cell": None}
    try:
        kc.wait_for_ready(timeout=60)
        out["ready_ms"] = (time.perf_counter() - t0) * 1e3
        for i, code in enumerate(cells, 1):
            r = run_cell(kc, code)
            r["cell"] = i
            out["cells"].append(r)
            if r["widget"] and out["first_panel_ms"] is None:
                out["first_panel_ms"] = (time.perf_counter() - t0) * 1e3
                out["first_panel_cell"] = i
        out["total_ms"] = (time.perf_counter() - t0) * 1e3
        # the import chain the panels must not pay for (plotly.io renderers -> nbformat -> jsonschema)
        probe = f"import sys; print('@@HEAVY@@', [m for m in {HEAVY_MODULES!r} if m in sys.modules])"
        msg_id = kc.execute(probe)
        while True:
            msg = kc.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream" and "@@HEAVY@@" in msg["content"]["text"]:
                out["heavy"] = msg["content"]["text"].split("@@HEAVY@@", 1)[1].strip()
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return out


def run(only: list[str] | None = None) -> list[dict]:
    rows = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        nn = path.name[:2]
        if only and nn not in only:
            continue
        r = time_notebook(path)
        errors = [f"cell {c['cell']}: {c['error']}" for c in r["cells"] if c["error"]]
        note = "; ".join(errors)[:300]
        rows.append(
            row(
                f"{nn} kernel start -> first panel (cell {r['first_panel_cell']})",
                [r["first_panel_ms"] if r["first_panel_ms"] is not None else float("nan")],
                FIRST_PANEL_MS,
                note=f"kernel ready {r['ready_ms']:.0f} ms" + (f"; {note}" if note else ""),
            )
        )
        for c in r["cells"]:
            if c["widget"]:
                rows.append(
                    row(
                        f"{nn} panel build: cell {c['cell']}",
                        [c["ms"]],
                        PANEL_BUILD_MS,
                        note=f"{c['bytes']} B on iopub",
                    )
                )
        rows.append(
            row(
                f"{nn} whole notebook (own client, {len(r['cells'])} cells)",
                [r["total_ms"]],
                None,
                note=f"{sum(c['bytes'] for c in r['cells'])} B on iopub; imported at the end: {r.get('heavy')}",
            )
        )
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")
    for r in run(sys.argv[1:] or None):
        print(
            f"{r['name']:<48} {r['p50_ms']:>9.0f} ms  load/core {r['load_per_core']:.2f}"
            f"{' HIGH' if r['loaded'] else ''}  ok={r['ok']}  {r['note']}"
        )

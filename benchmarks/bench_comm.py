"""Every control of every panel, driven through the real widget comm path, as a browser drives it.

A fake front end (this process, a ``jupyter_client`` client) starts a real kernel, runs a notebook's
code cells as Run All does (so the panels are the notebook's own, with their comms open), asks the
kernel for the comm id of every control of every ``kit.Panel`` in the namespace, then moves each
control by sending the message a browser sends when a slider moves::

    comm_msg {comm_id, data: {method: "update", state: {"value": x}, buffer_paths: []}}

on the shell channel, and waits until the kernel's ``idle`` for that message on iopub: the kernel has
decoded it, set the trait, run the panel's update and sent the figure and read-out updates (and the
echo). Per control: p50/p95 of that round trip over ``TWITCH_BENCH_MOVES`` (default 100) moves, and
the bytes of the iopub messages per move. Per notebook: bytes per figure open (the comm_open of each
``PlotlyFigure``). Target: p95 <= 16 ms (one frame at 60 Hz) for the kernel's part.

Runs outside the kernel (``benchmarks/run.py`` lists it in OUTSIDE_KERNEL);
``python benchmarks/bench_comm.py [NN ...]`` runs it alone.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

try:
    from ._timing import row
    from .bench_start import NOTEBOOKS, code_cells, msg_bytes
except ImportError:  # imported by benchmarks/run.py from this folder
    from _timing import row
    from bench_start import NOTEBOOKS, code_cells, msg_bytes

MOVE_MS = 16.0

# Runs in the kernel after the notebook's cells: every control of every panel, with the values a
# drag would send (the slider's own grid, end to end and back), and the comm ids of all figures.
INVENTORY = r"""
import json as _json
import numpy as _np
from ipywidgets import Widget as _W
from utils.panels import kit as _kit
from utils.figures.widget import PlotlyFigure as _PF

def _moves(c, n):
    if hasattr(c, "options") and hasattr(c, "index"):
        k = len(c.options)
        seq = [(c.index + 1 + i) % k for i in range(n)]
        return "index", seq
    if isinstance(c.value, bool):
        return "value", [bool((i + 1 + c.value) % 2) for i in range(n)]
    if not all(hasattr(c, a) for a in ("min", "max", "step")):
        return None, []  # not a control a drag moves (e.g. a file upload)
    lo, hi, step = float(c.min), float(c.max), float(c.step)
    grid = _np.round(_np.arange(lo, hi + step / 2, step), 10)
    if isinstance(c.value, int):
        grid = grid.astype(int)
    m = len(grid)
    stride = max(1, m // 40)
    path = list(range(0, m, stride)) + list(range(m - 1, -1, -stride))
    j = int(_np.argmin(_np.abs(grid - float(c.value))))
    start = min(range(len(path)), key=lambda i: abs(path[i] - j))
    seq = [grid[path[(start + 1 + i) % len(path)]].item() for i in range(n)]
    for i in range(1, n):  # every move changes the value
        if seq[i] == seq[i - 1]:
            seq[i] = grid[(path[(start + 2 + i) % len(path)])].item()
    return "value", seq

_out = {"controls": [], "figures": []}
for _name, _obj in list(globals().items()):
    if isinstance(_obj, _kit.Panel) and not _name.startswith("_"):
        for _cname, _c in _obj.controls.items():
            _trait, _seq = _moves(_c, __N__)
            if _trait is None:
                continue
            _out["controls"].append({"panel": _name, "control": _cname, "comm_id": _c.comm.comm_id,
                                     "trait": _trait, "values": _seq})
_out["figures"] = [w.comm.comm_id for w in list(_W.widgets.values()) if isinstance(w, _PF) and w.comm]
print("@@INV@@" + _json.dumps(_out))
"""


def send_update(kc, comm_id: str, state: dict) -> str:
    """Send the browser's update message for one widget; returns its msg_id."""
    content = {"comm_id": comm_id, "data": {"method": "update", "state": state, "buffer_paths": []}}
    msg = kc.session.msg("comm_msg", content)
    kc.shell_channel.send(msg)
    return msg["header"]["msg_id"]


def wait_idle(kc, msg_id: str, figures: set, timeout: float = 60) -> tuple[float, int, int]:
    """(ms to the figure update, bytes, n messages) of the iopub messages answering ``msg_id``."""
    nbytes = n = 0
    t_fig = None
    t0 = time.perf_counter()
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        nbytes += msg_bytes(msg)
        n += 1
        if msg["msg_type"] == "comm_msg" and msg["content"].get("comm_id") in figures and t_fig is None:
            t_fig = (time.perf_counter() - t0) * 1e3
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return t_fig, nbytes, n


def bench_notebook(path: Path, n_moves: int) -> list[dict]:
    from jupyter_client import KernelManager

    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(path.parent))
    kc = km.client()
    kc.start_channels()
    nn = path.name[:2]
    rows = []
    try:
        kc.wait_for_ready(timeout=60)
        opens = {}  # comm_id -> bytes of its comm_open

        for code in code_cells(path):
            msg_id = kc.execute(code, store_history=True, allow_stdin=False)
            while True:
                msg = kc.get_iopub_msg(timeout=300)
                if msg["msg_type"] == "comm_open":
                    opens[msg["content"]["comm_id"]] = msg_bytes(msg)
                if (
                    msg["parent_header"].get("msg_id") == msg_id
                    and msg["msg_type"] == "status"
                    and msg["content"]["execution_state"] == "idle"
                ):
                    break
            kc.get_shell_msg(timeout=300)
        chunks = []
        msg_id = kc.execute(INVENTORY.replace("__N__", str(n_moves)))
        while True:
            msg = kc.get_iopub_msg(timeout=120)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                chunks.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                raise RuntimeError("\n".join(msg["content"]["traceback"]))
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        inv = json.loads("".join(chunks).split("@@INV@@", 1)[1].splitlines()[0])
        fig_open = [opens[c] for c in inv["figures"] if c in opens]
        figures = set(inv["figures"])
        if fig_open:
            rows.append(
                row(
                    f"{nn} figure open: bytes of each PlotlyFigure comm_open ({len(fig_open)} figures)",
                    [0.0],
                    None,
                    note=f"p50 {np.median(fig_open):.0f} B, max {max(fig_open)} B, total {sum(fig_open)} B",
                )
                | {"bytes_p50": float(np.median(fig_open)), "bytes_max": int(max(fig_open))}
            )
        for c in inv["controls"]:
            times, figt, sizes = [], [], []
            for v in c["values"]:
                t0 = time.perf_counter()
                mid = send_update(kc, c["comm_id"], {c["trait"]: v})
                t_fig, nbytes, _ = wait_idle(kc, mid, figures)
                times.append((time.perf_counter() - t0) * 1e3)
                sizes.append(nbytes)
                if t_fig is not None:
                    figt.append(t_fig)
            r = row(
                f"{nn} {c['panel']}.{c['control']}: comm update -> kernel idle",
                times,
                MOVE_MS,
                note=f"{np.median(sizes):.0f} B/move on iopub"
                + (f"; figure sent at p50 {np.median(figt):.1f} ms" if figt else "; no figure update"),
            )
            r["bytes_per_move_p50"] = float(np.median(sizes))
            rows.append(r)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return rows


def run(only: list[str] | None = None) -> list[dict]:
    n_moves = int(os.environ.get("TWITCH_BENCH_MOVES", "100"))
    rows = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        if only and path.name[:2] not in only:
            continue
        try:
            rows += bench_notebook(path, n_moves)
        except Exception as exc:  # one broken notebook hides nothing else
            rows.append({"name": f"{path.name[:2]} comm bench", "error": str(exc)[-1500:], "ok": False})
    return rows


if __name__ == "__main__":
    for r in run(sys.argv[1:] or None):
        if "error" in r:
            print(r["name"], "ERROR", r["error"])
            continue
        print(
            f"{r['name']:<70} p50 {r['p50_ms']:7.1f}  p95 {r['p95_ms']:7.1f} ms  n={r['n']}  "
            f"load/core {r['load_per_core']:.2f}{' HIGH' if r['loaded'] else ''}  ok={r['ok']}  {r['note']}"
        )

"""Timing helpers shared by the benchmark modules (``benchmarks/bench_*.py``).

Contract: each ``bench_<topic>.py`` defines ``run() -> list[dict]``; each dict is one measured
row built by :func:`row` (name, n, p50_ms, p95_ms, target_ms, ok). ``benchmarks/run.py`` finds the
modules, prints a table and writes ``benchmarks/results.json``. Timing lives only here, never
in unit tests.
"""

from __future__ import annotations

import os
import time

import numpy as np

LOADED_PER_CORE = 1.5  # rows measured above this 1-minute load per core are flagged


def load_per_core() -> float:
    """The machine's 1-minute load average divided by its cores (other users' work included)."""
    return round(os.getloadavg()[0] / (os.cpu_count() or 1), 2)


def time_calls(fn, args_list, warmup: int = 3) -> np.ndarray:
    """Call ``fn(*args)`` for every args tuple (after ``warmup`` untimed calls); times in ms."""
    for args in list(args_list)[:warmup]:
        fn(*args)
    out = np.empty(len(args_list))
    for i, args in enumerate(args_list):
        t0 = time.perf_counter()
        fn(*args)
        out[i] = (time.perf_counter() - t0) * 1e3
    return out


def time_once(fn, *args) -> float:
    """Wall time of a single call in ms (for first-call and whole-run timings)."""
    t0 = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - t0) * 1e3


def row(name: str, times_ms, target_ms: float | None = None, stat: str = "p95", note: str = "") -> dict:
    """One result row: p50/p95 of ``times_ms`` and whether ``stat`` meets ``target_ms``."""
    t = np.atleast_1d(np.asarray(times_ms, dtype=float))
    r = {
        "name": name,
        "n": int(t.size),
        "p50_ms": round(float(np.percentile(t, 50)), 3),
        "p95_ms": round(float(np.percentile(t, 95)), 3),
        "max_ms": round(float(t.max()), 3),
        "target_ms": target_ms,
        "target_stat": stat,
        "note": note,
        "load_per_core": load_per_core(),
    }
    r["loaded"] = r["load_per_core"] > LOADED_PER_CORE
    r["ok"] = None if target_ms is None else bool(r[f"{stat}_ms" if stat != "max" else "max_ms"] <= target_ms)
    return r

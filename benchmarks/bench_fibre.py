"""Timing of the muscle-fibre model (utils/models/fibre.py): runs at 37 °C, steady states,
excitability, and SciPy LSODA on the same protocol as a ratio. Run: ``python benchmarks/bench_fibre.py``."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy.integrate import solve_ivp

try:
    from benchmarks._timing import row, time_calls
except ImportError:  # run as a script: benchmarks/ is on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _timing import row, time_calls


def _lsoda_run(fibre, stim, t_stop, p):
    """The same protocol with LSODA (rtol 1e-9) on the analytic right-hand side."""
    dt = 0.001
    n = int(round(t_stop / dt))
    i = stim.step_means(n, dt)
    y = fibre.resting_state(p)
    c = fibre._constants(p)
    edges = np.concatenate(([0], np.flatnonzero(np.diff(i) != 0) + 1, [n]))
    for a, b in zip(edges[:-1], edges[1:]):
        cur = i[a]
        sol = solve_ivp(
            lambda t, yy, cur=cur: fibre._rhs_np(yy, p, cur, c),
            (a * dt, b * dt),
            y,
            method="LSODA",
            rtol=1e-9,
            atol=1e-9,
        )
        y = sol.y[:, -1]
    return y


def run() -> list[dict]:
    from utils import fibre, hh

    rows = []
    p = fibre.FibreParams(k_out_mM=4.0)
    pulse = hh.Pulse(150.0, 1.0, 1.0)
    fibre.simulate(pulse, 10.0, p)  # compile / load cache, find the rest

    t100 = time_calls(lambda: fibre.simulate(pulse, 100.0, p), [()] * 30, warmup=3)
    rows.append(
        row(
            "fibre.simulate 100 ms, 37 °C, dt 0.01 ms (every step recorded)",
            t100,
            10.0,
            "p50",
            note="10 000 steps, 17 ODEs",
        )
    )
    step = hh.Pulse(150.0, 5.0, 1.0) + hh.Step(20.0, 300.0, 200.0)
    t1s = time_calls(lambda: fibre.simulate(step, 1000.0, p), [()] * 10, warmup=2)
    rows.append(
        row(
            "fibre.simulate 1 s, 37 °C, pulse + 200 ms step (every step recorded)",
            t1s,
            100.0,
            "p50",
            note="100 000 steps",
        )
    )
    train = hh.PulseTrain(150.0, 5.0, 1.0, 20.0, 50)
    t1t = time_calls(lambda: fibre.simulate(train, 1000.0, p), [()] * 5, warmup=1)
    st = time_calls(lambda: train.step_means(100_000, 0.01), [()] * 5, warmup=1)
    rows.append(
        row(
            "fibre.simulate 1 s, 50 Hz train of 50 pulses",
            t1t,
            None,
            "p50",
            note=f"of which hh.PulseTrain.step_means {np.median(st):.0f} ms",
        )
    )
    short = hh.Pulse(150.0, 2.0, 1.0)
    panel = time_calls(lambda: fibre.simulate(short, 100.0, p, record_dt_ms=0.1), [()] * 30, warmup=3)
    rows.append(row("fibre.simulate 100 ms, recorded every 0.1 ms (slider-sized run)", panel, 10.0, "p95"))

    ks = iter(np.linspace(3.0, 6.0, 1000))
    ss = time_calls(
        lambda: fibre.steady_states(fibre.FibreParams(k_out_mM=float(next(ks)))), [()] * 10, warmup=1
    )
    rows.append(row("fibre.steady_states (uncached: scan, Brent, Jacobian eigenvalues)", ss, None, "p50"))
    ks2 = iter(np.linspace(3.0, 6.0, 1000))
    ex = time_calls(
        lambda: fibre.excitability(fibre.FibreParams(k_out_mM=float(next(ks2)))), [()] * 3, warmup=1
    )
    rows.append(row("fibre.excitability (uncached: rest, threshold, pulse, 200 ms step)", ex, None, "p50"))

    stim = hh.Pulse(150.0, 1.0, 1.0)
    ours = time_calls(lambda: fibre.simulate(stim, 20.0, p), [()] * 30, warmup=3)
    ref = time_calls(lambda: _lsoda_run(fibre, stim, 20.0, p), [()] * 3, warmup=1)
    ratio = float(np.median(ref) / np.median(ours))
    rows.append(
        row(
            "LSODA (rtol 1e-9), single AP, 20 ms, same model",
            ref,
            None,
            "p50",
            note=f"LSODA / fibre.simulate = {ratio:.0f}x",
        )
    )
    rows.append(row("fibre.simulate, single AP, 20 ms (the same protocol)", ours, None, "p50"))
    return rows


if __name__ == "__main__":
    for r in run():
        print(f"{r['name']:<75} p50 {r['p50_ms']:9.3f} ms  p95 {r['p95_ms']:9.3f} ms  {r['note']}")

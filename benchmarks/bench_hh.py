"""Timing of the Hodgkin–Huxley engine (utils/hh.py): slider-speed runs, f–I curve, cold start,
and NEURON on the same protocol. Run: ``python benchmarks/bench_hh.py``."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

try:
    from benchmarks._timing import row, time_calls
except ImportError:  # run as a script: benchmarks/ is on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _timing import row, time_calls

ROOT = Path(__file__).resolve().parent.parent
T_STOP_MS = 100.0
I_STEP = 10.0  # µA/cm², a repetitively firing step (REFERENCE.md §1.2: 68 Hz)

_COLD = """
import time
t0 = time.perf_counter()
from utils import hh
r = hh.simulate(hh.Step(10.0, 1.0), 100.0, record_currents=False)
assert r.n_spikes > 0
print((time.perf_counter() - t0) * 1e3)
"""


def _cold_start_ms(cache_dir: str | None = None) -> float:
    env = dict(os.environ, NEURON_MODULE_OPTIONS="-nogui")
    if cache_dir is not None:  # an empty numba cache: everything is compiled
        env["NUMBA_CACHE_DIR"] = cache_dir
    out = subprocess.run(
        [sys.executable, "-c", _COLD],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return float(out.stdout.strip().splitlines()[-1])


def _neuron_runner(dt_ms):
    os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")
    from neuron import h

    from utils import hh

    h.load_file("stdrun.hoc")
    soma = h.Section(name="bench_hh_soma")
    soma.L = soma.diam = float(np.sqrt(1000.0 / np.pi))  # area 1000 µm²
    soma.insert("hh")
    soma(0.5).hh.el = -54.387
    h.celsius = 6.3
    clamp = h.IClamp(soma(0.5))
    clamp.delay, clamp.dur = 1.0, 1e9
    clamp.amp = I_STEP * soma(0.5).area() / 1e5  # µA/cm² → nA
    vv = h.Vector()
    vv.record(soma(0.5)._ref_v)
    v0 = hh.resting_state().v_mV

    def run():
        h.dt = dt_ms
        h.steps_per_ms = 1.0 / dt_ms
        h.tstop = T_STOP_MS
        h.finitialize(v0)
        h.continuerun(T_STOP_MS)
        return np.array(vv)

    run._keep = (soma, clamp, vv)
    return run


def run() -> list[dict]:
    from utils import hh

    rows = []
    stim = hh.Step(I_STEP, 1.0)

    light = time_calls(lambda: hh.simulate(stim, T_STOP_MS, record_currents=False), [()] * 60, warmup=5)
    rows.append(
        row(
            "hh.simulate 100 ms, dt 0.01 ms, light (no currents)",
            light,
            1.0,
            "p50",
            note="slider entry point; 10 001 points",
        )
    )
    full = time_calls(lambda: hh.simulate(stim, T_STOP_MS), [()] * 30, warmup=3)
    rows.append(row("hh.simulate 100 ms, dt 0.01 ms, with currents", full, None, "p50"))

    currents = np.linspace(0.0, 150.0, 40)
    fi = time_calls(lambda: hh.fi_curve(currents, t_stop_ms=300.0), [()] * 5, warmup=1)
    rows.append(row("hh.fi_curve 40 currents × 300 ms", fi, 100.0, "p50"))

    thr = time_calls(lambda: hh.threshold_pulse(1.0), [()] * 5, warmup=1)
    rows.append(row("hh.threshold_pulse 1 ms (bisection to 0.001 µA/cm²)", thr, None, "p50"))

    _cold_start_ms()  # make sure the on-disk cache exists
    cold = [_cold_start_ms() for _ in range(3)]
    rows.append(
        row(
            "first hh.simulate in a fresh interpreter (import + cache load)",
            cold,
            2000.0,
            "p50",
            note="subprocess; numba on-disk cache",
        )
    )
    with tempfile.TemporaryDirectory() as d:
        rows.append(
            row(
                "first hh.simulate with an empty numba cache (compilation)",
                [_cold_start_ms(d)],
                None,
                "p50",
                note="once per machine/checkout",
            )
        )

    try:
        ours = float(np.median(light))
        for dt in (0.025, 0.01):
            nrn = _neuron_runner(dt)
            tn = time_calls(nrn, [()] * 30, warmup=3)
            p50 = float(np.median(tn))
            rows.append(
                row(
                    f"NEURON hh, same 100 ms protocol, dt {dt} ms",
                    tn,
                    None,
                    "p50",
                    note=f"ours (dt 0.01, light) / NEURON = {ours / p50:.2f}",
                )
            )
    except ImportError:
        rows.append(
            row(
                "NEURON hh, same 100 ms protocol", [float("nan")], None, "p50", note="neuron is not installed"
            )
        )
    return rows


if __name__ == "__main__":
    print(run())

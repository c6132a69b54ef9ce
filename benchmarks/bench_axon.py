"""Timing of the motor-axon engine (utils/models/axon.py): a 10 ms run of 21 nodes, conduction
velocity, the recovery cycle, and the same model solved by SciPy ``solve_ivp``, with the spike-time
error of each against a tight Radau solution. Run: ``python benchmarks/bench_axon.py``.

NEURON (hines1997) runs the same MRG fibre built from the same equations and tables
(tests/unit/neuron_mrg.py, a transcribed node mechanism compiled with nrnivmodl): its time for the
same run, and its spike-time error at its fixed step (backward Euler, and Crank–Nicolson with
``secondorder = 2``) against the same Radau reference.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

try:
    from benchmarks._timing import row, time_calls
except ImportError:  # run as a script: benchmarks/ is on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _timing import row, time_calls


def _first_spikes(spikes):
    return np.array([s[0] if s.size else np.nan for s in spikes])


def run() -> list[dict]:
    from utils import axon, hh

    rows = []
    stim = hh.Pulse(3.0, 0.5, 0.1)
    for variant in axon.VARIANTS:
        p = axon.AxonParams(variant=variant)
        t = time_calls(lambda p=p: axon.simulate(stim, 10.0, p), [()] * 20, warmup=2)
        rows.append(
            row(
                f"axon.simulate 10 ms, 21 nodes, dt 0.005 ms ({variant})",
                t,
                None,
                "p50",
                note="221 compartments × 2 potentials",
            )
        )

    counter = iter(range(10**6))

    def cv_fresh():  # a new diameter each call: no cached answer
        d = 10.0 + 1e-6 * next(counter)
        return axon.conduction_velocity_m_per_s(axon.AxonParams(fibre_diameter_um=d))

    rows.append(
        row(
            "axon.conduction_velocity_m_per_s (21 nodes, Richardson 0.002/0.001 ms)",
            time_calls(cv_fresh, [()] * 10, warmup=1),
            None,
            "p50",
        )
    )

    def rc_fresh():
        ca = 1.2 + 1e-6 * next(counter)
        return axon.recovery_cycle(axon.AxonParams(ca_out_mM=ca))

    rows.append(
        row(
            "axon.recovery_cycle (21 nodes, 19 intervals, MRG)",
            time_calls(rc_fresh, [()] * 3, warmup=1),
            None,
            "p50",
        )
    )

    # accuracy and speed against SciPy on a short protocol (5 nodes, 2 ms)
    p5 = axon.AxonParams(n_nodes=5)
    short = hh.Pulse(4.0, 0.2, 0.1)
    ref, _ = axon.reference_solution(short, 2.0, p5, node=1, rtol=1e-8, atol=1e-8)
    ref = _first_spikes(ref)
    ours = {}
    for dt in (0.005, 0.001):
        t = time_calls(lambda dt=dt: axon.simulate(short, 2.0, p5, node=1, dt_ms=dt), [()] * 20, warmup=2)
        err = np.nanmax(
            np.abs(_first_spikes(axon.simulate(short, 2.0, p5, node=1, dt_ms=dt).spike_times_ms) - ref)
        )
        ours[dt] = float(np.median(t))
        rows.append(
            row(
                f"axon.simulate 2 ms, 5 nodes, dt {dt} ms",
                t,
                None,
                "p50",
                note=f"max spike-time error vs Radau rtol 1e-8: {err * 1e3:.2f} µs",
            )
        )
    for rtol in (1e-3, 1e-5):
        t0 = time.perf_counter()
        sp, _ = axon.reference_solution(short, 2.0, p5, node=1, rtol=rtol, atol=rtol)
        ts = (time.perf_counter() - t0) * 1e3
        err = np.nanmax(np.abs(_first_spikes(sp) - ref))
        rows.append(
            row(
                f"same model, SciPy solve_ivp Radau rtol {rtol:g}, 2 ms, 5 nodes",
                [ts],
                None,
                "p50",
                note=f"error {err * 1e3:.2f} µs; ours (dt 0.005) is "
                f"{ts / ours[0.005]:.0f}× faster, (dt 0.001) {ts / ours[0.001]:.0f}×",
            )
        )
    rows += neuron_rows(short, p5, ref, ours)
    return rows


def neuron_rows(short, p5, ref, ours) -> list[dict]:
    """NEURON on the 5-node accuracy protocol and the 21-node 10 ms run (skipped without NEURON)."""
    from utils import axon, hh

    try:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "unit"))
        import neuron_mrg
    except ImportError as exc:
        return [{"name": "NEURON MRG comparison", "error": f"not run: {exc}", "ok": False}]
    rows = []
    amp, start, dur = short.amplitude_uA_per_cm2, short.start_ms, short.duration_ms  # read as nA
    # NEURON runs every section it holds: one fibre at a time
    cell = neuron_mrg.NeuronMRG(p5, 1, amp, start, dur)
    for order, label in ((0, "backward Euler"), (2, "Crank–Nicolson")):
        t = time_calls(lambda cell=cell, order=order: cell.run(2.0, 0.005, order), [()] * 20, warmup=2)
        err = np.nanmax(np.abs(_first_spikes(cell.run(2.0, 0.005, order)) - ref))
        rows.append(
            row(
                f"NEURON, same MRG fibre, {label} dt 0.005 ms, 2 ms, 5 nodes",
                t,
                None,
                "p50",
                note=f"error vs Radau {err * 1e3:.2f} µs; ours (dt 0.005) is "
                f"{np.median(t) / ours[0.005]:.1f}× faster",
            )
        )
    del cell
    p21 = axon.AxonParams()
    stim = hh.Pulse(3.0, 0.5, 0.1)
    cell = neuron_mrg.NeuronMRG(p21, 1, 3.0, 0.5, 0.1)
    t_nrn = time_calls(lambda: cell.run(10.0, 0.005), [()] * 5, warmup=1)
    t_ours = time_calls(lambda: axon.simulate(stim, 10.0, p21, node=1), [()] * 5, warmup=1)
    r = axon.simulate(stim, 10.0, p21, node=1)
    mine = np.array([neuron_mrg.crossings(r.t_ms, v)[0] for v in r.v_mV])
    diff = np.max(np.abs(_first_spikes(cell.run(10.0, 0.005)) - mine))
    rows.append(
        row(
            "NEURON, same MRG fibre, backward Euler dt 0.005 ms, 10 ms, 21 nodes",
            t_nrn,
            None,
            "p50",
            note=f"ours on the same run {np.median(t_ours):.1f} ms ({np.median(t_nrn) / np.median(t_ours):.0f}× "
            f"faster); largest spike-time difference between the engines {diff * 1e3:.1g} µs",
        )
    )
    return rows


if __name__ == "__main__":
    for r in run():
        print(f"{r['name']:<75} p50 {r['p50_ms']:>10.2f} ms  {r.get('note', '')}")

"""Timing of the serum-profile fast path (utils/electrolytes.py): one :func:`consequences`
evaluation per slider value, including every HH run it triggers (standard pulse, the
no-stimulus run when rest is unstable, the coarse 1 ms threshold bisection) and the junction
model. The default calcium assumption (Na⁺ gates only, ``el.DEFAULT_GATES``) is what the
panels use; the other reading (``gates='all'``) is timed too.
Run: ``python benchmarks/bench_electrolytes.py``."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

try:
    from benchmarks._timing import row, time_calls
except ImportError:  # run as a script: benchmarks/ is on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _timing import row, time_calls

TARGET_MS = 16.0  # one slider frame (issue 7)
N_VALUES = 200


def run() -> list[dict]:
    from utils import electrolytes as el

    ref = el.SerumProfile()
    el.consequences(ref)  # import, numba cache load
    ca = np.linspace(0.3, 2.0, N_VALUES)  # crosses after-discharge, spontaneous
    k = np.linspace(1.5, 10.0, N_VALUES)  # crosses spontaneous firing, block
    t_ca = time_calls(
        lambda x: el.consequences(ref.replace(calcium_ionised_mmol_L=x)), [(float(x),) for x in ca]
    )
    t_ca_all = time_calls(
        lambda x: el.consequences(ref.replace(calcium_ionised_mmol_L=x), gates="all"),
        [(float(x),) for x in ca],
    )
    t_k = time_calls(lambda x: el.consequences(ref.replace(potassium_mmol_L=x)), [(float(x),) for x in k])
    t_full = time_calls(
        lambda x: el.consequences(ref.replace(calcium_ionised_mmol_L=x), fast=False),
        [(float(x),) for x in ca[::10]],
    )
    return [
        row(
            f"electrolytes fast profile, ionised Ca 0.3–2.0 mmol/L ({el.DEFAULT_GATES} gates, default)",
            t_ca,
            TARGET_MS,
            note=f"{N_VALUES} slider values",
        ),
        row(
            "electrolytes fast profile, ionised Ca 0.3–2.0 mmol/L (all gates)",
            t_ca_all,
            TARGET_MS,
            note=f"{N_VALUES} slider values",
        ),
        row("electrolytes fast profile, K 1.5–10 mmol/L", t_k, TARGET_MS, note=f"{N_VALUES} slider values"),
        row(
            "electrolytes full profile (threshold to 0.001 µA/cm²)",
            t_full,
            None,
            note="20 Ca values; not a slider path",
        ),
    ]


if __name__ == "__main__":
    print(run())

"""utils.muscle engines behind the notebook 01/04/06 sliders (compute only, no plotting).

Targets: the 120-unit pool, 5 s at 1 kHz, ≤ 30 ms p95 (a slider must update in ≤ 16 ms with
plotting, so the engine gets the rest of a 2-frame budget); one unit's rate → force ≤ 2 ms;
each named pattern at its default settings (no target, reported); first call (numba cache load
or compile) reported once.
"""

import numpy as np
from _timing import row, time_calls, time_once


def run() -> list[dict]:
    import importlib
    import time

    t0 = time.perf_counter()
    m = importlib.import_module("utils.muscle")
    t_import = (time.perf_counter() - t0) * 1e3
    rows = [row("muscle: from utils import muscle", [t_import], None, stat="max")]
    rows.append(
        row(
            "muscle: first pool call (numba cache load/compile)",
            [time_once(m.simulate_pool, 20.0, 5.0)],
            None,
            stat="max",
        )
    )
    rows.append(
        row("muscle: first periodic_force call", [time_once(m.periodic_force, 10.0)], None, stat="max")
    )

    excitations = np.linspace(0.0, 57.0, 50)
    rows.append(
        row(
            "muscle: pool 120 units, 5 s, 1 kHz (50 excitations)",
            time_calls(
                lambda e, s: m.simulate_pool(e, 5.0, seed=s),
                [(float(e), i) for i, e in enumerate(excitations)],
            ),
            30.0,
        )
    )
    rows.append(
        row(
            "muscle: pool at E_max (most spikes), 5 s",
            time_calls(lambda s: m.simulate_pool(57.0, 5.0, seed=s), [(i,) for i in range(20)]),
            30.0,
        )
    )
    rates = np.geomspace(1.0, 100.0, 200)
    rows.append(
        row(
            "muscle: one unit rate -> force (periodic_force, 1 s, 1 kHz)",
            time_calls(lambda f: m.periodic_force(f, T_ms=60.0), [(float(f),) for f in rates]),
            2.0,
        )
    )
    rows.append(
        row(
            "muscle: force_rate_curve, 200 rates",
            time_calls(lambda: m.force_rate_curve(rates, T_ms=60.0), [()] * 50),
            2.0,
        )
    )
    for key in m.PATTERNS:
        rows.append(
            row(
                f"muscle: pattern {key} (defaults)",
                time_calls(lambda s, k=key: m.simulate_pattern(k, seed=s), [(i,) for i in range(20)]),
                30.0,
            )
        )
    rows.append(
        row(
            "muscle: fasciculation 600 s",
            time_calls(
                lambda s: m.fasciculation(duration_s=600.0, seed=s), [(i,) for i in range(5)], warmup=1
            ),
            None,
        )
    )
    return rows


if __name__ == "__main__":
    print(run())

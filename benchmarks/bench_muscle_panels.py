"""Notebook 01 panels: time of the function a control calls (compute + FigureWidget update).

Each panel is displayed first (so the figure's comm is open and every update is really sent),
then a control is moved through 200 values; target 16 ms p95 (one frame at 60 Hz).
"""

import numpy as np
from _timing import row, time_calls


def run() -> list[dict]:
    from IPython.display import display

    from utils import muscle, muscle_widgets

    rows = []
    rp = muscle_widgets.rate_panel()
    display(rp)
    rows.append(
        row(
            "01 rate panel: firing-rate slider",
            time_calls(
                lambda v: setattr(rp.rate, "value", float(v)), [(v,) for v in np.linspace(1, 100, 200)]
            ),
            16.0,
        )
    )
    rows.append(
        row(
            "01 rate panel: contraction-time slider",
            time_calls(lambda v: setattr(rp.T, "value", float(v)), [(v,) for v in np.linspace(10, 100, 200)]),
            16.0,
        )
    )
    pp = muscle_widgets.pool_panel()
    display(pp)
    rows.append(
        row(
            "01 pool panel: excitation slider (120 units, 1.5 s)",
            time_calls(
                lambda v: setattr(pp.excitation, "value", float(v)), [(v,) for v in np.linspace(0, 100, 200)]
            ),
            16.0,
        )
    )
    pat = muscle_widgets.pattern_panel()
    display(pat)
    keys = [k for _, k in muscle.pattern_options()]
    seq = [(keys[i % len(keys)],) for i in range(1, 201)]  # every pattern, changing each time
    rows.append(
        row(
            "01 pattern panel: pattern menu (7 patterns, cycled)",
            time_calls(lambda k: setattr(pat.pattern, "value", k), seq),
            16.0,
        )
    )
    for key in ("cramp", "voluntary"):  # the heaviest patterns: most spikes
        # alternate seed 0 with seeds 1..20 so every move changes the value
        pat.pattern.value = key
        rows.append(
            row(
                f"01 pattern panel: seed slider ({key})",
                time_calls(
                    lambda s: setattr(pat.seed, "value", int(s)),
                    [((i % 20) + 1,) if i % 2 else (0,) for i in range(200)],
                ),
                16.0,
            )
        )
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)

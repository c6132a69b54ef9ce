"""Notebook 04 panels: time of the function a control calls (compute + FigureWidget update).

Each panel is displayed first (so the figure's comm is open and every update is really sent),
then a control is moved through 200 values; target 16 ms p95 (one frame at 60 Hz). The
records panel's analyses of the three emgdb records are computed once, at construction
(the 37 s neuropathy record alone is timed in bench_emg, target 200 ms).
"""

import os
from pathlib import Path

import numpy as np
from _timing import row, time_calls

_SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
if _SHARED.is_dir() and "TWITCH_DATA_DIR" not in os.environ:
    os.environ["TWITCH_DATA_DIR"] = str(_SHARED)


def _sweep(lo, hi, n=200):
    """n values back and forth over [lo, hi] (every move changes the value)."""
    up = np.linspace(lo, hi, n // 2)
    return [(float(v),) for v in np.r_[up, up[::-1][1:], up[:1]]][:n]


def run() -> list[dict]:
    from IPython.display import display

    from utils import emg_widgets, nmj_widgets

    rows = []
    rp = nmj_widgets.release_panel()
    display(rp)
    rows.append(
        row(
            "04 release panel: calcium slider",
            time_calls(lambda v: setattr(rp.ca, "value", v), _sweep(0.2, 3.0)),
            16.0,
        )
    )
    rows.append(
        row(
            "04 release panel: magnesium slider",
            time_calls(lambda v: setattr(rp.mg, "value", v), _sweep(0.0, 20.0)),
            16.0,
        )
    )
    mp = nmj_widgets.motor_unit_panel()
    display(mp)
    rows.append(
        row(
            "04 motor-unit panel: firing-rate slider",
            time_calls(lambda v: setattr(mp.rate, "value", v), _sweep(2.0, 50.0)),
            16.0,
        )
    )
    units = [(float(u),) for u in np.r_[np.arange(1, 121), np.arange(119, 39, -1)]]
    rows.append(
        row(
            "04 motor-unit panel: unit slider",
            time_calls(lambda v: setattr(mp.unit, "value", v), units),
            16.0,
        )
    )
    rec = emg_widgets.records_panel()
    if rec.figure is not None:
        display(rec)
        rows.append(
            row(
                "04 records panel: window-start slider (3 records)",
                time_calls(lambda v: setattr(rec.start, "value", round(v, 1)), _sweep(0.0, 12.0)),
                16.0,
            )
        )
        rows.append(
            row(
                "04 records panel: window-length slider (3 records)",
                time_calls(
                    lambda v: setattr(rec.window, "value", round(v, 1)),
                    [(0.2 + 0.1 * (i % 19),) for i in range(1, 201)],
                ),
                16.0,
            )
        )
    sp = emg_widgets.synthetic_panel()
    display(sp)
    rows.append(
        row(
            "04 synthetic panel: effort slider (1 s voluntary EMG)",
            time_calls(
                lambda v: setattr(sp.excitation, "value", round(v)),
                [(float(1 + i % 100),) for i in range(200)],
            ),
            16.0,
        )
    )
    rows.append(
        row(
            "04 synthetic panel: fasciculation-rate slider (20 s)",
            time_calls(
                lambda v: setattr(sp.fasc_rate, "value", round(v, 2)),
                [(0.05 + 0.05 * (i % 39),) for i in range(1, 201)],
            ),
            16.0,
        )
    )
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)

"""Notebook 03 panels: time of the function a slider calls (model run + FigureWidget update)."""

import numpy as np
from _timing import row, time_calls


def run() -> list[dict]:
    from IPython.display import display

    from utils import hh_widgets
    from utils import recordings as data

    def bench(name, panel, slider, values):
        display(panel)

        def move(v):
            slider.value = v  # fires the observer: simulation + in-place figure update

        return row(name, time_calls(move, [(v,) for v in values]), 16.0)

    rows = []
    p1 = hh_widgets.threshold_panel()
    amps = np.round(np.linspace(0.0, 40.0, 200), 2)
    rows.append(bench("03 threshold panel: amplitude slider", p1, p1.amplitude, amps))
    # every move changes the value (a repeated value would not fire the observer); the first
    # pass includes the first visit of every duration (all-or-none curve computed and cached)
    grid = hh_widgets.DURATIONS_MS
    durs = [grid[i % len(grid)] for i in range(200)]
    rows.append(bench("03 threshold panel: duration slider", p1, p1.duration, durs))
    p2 = hh_widgets.refractory_panel()
    grid = hh_widgets.INTERVALS_MS
    rows.append(
        bench(
            "03 refractory panel: interval slider",
            p2,
            p2.interval,
            [grid[(7 * i + 1) % len(grid)] for i in range(200)],
        )
    )
    rows.append(bench("03 refractory panel: test-pulse slider", p2, p2.test, np.arange(200) * 0.5))
    p3 = hh_widgets.firing_panel()
    rows.append(
        bench("03 firing panel: current slider", p3, p3.current, np.round(np.linspace(0.0, 30.0, 200), 2))
    )
    p4 = hh_widgets.clamp_panel()
    rows.append(
        bench("03 clamp panel: step slider", p4, p4.v_step, [float(-100 + (i % 161)) for i in range(1, 201)])
    )
    rec = data.try_load(data.load_current_clamp, "171116sh_0019")
    if rec is not None:
        p5 = hh_widgets.recording_panel(rec)
        sweeps = [i % rec.n_sweeps for i in range(200)]
        sweeps = [s if s != sweeps[k - 1] else (s + 1) % rec.n_sweeps for k, s in enumerate(sweeps)]
        rows.append(bench("03 recording panel: sweep slider", p5, p5.sweep, sweeps))
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)

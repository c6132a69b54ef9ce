"""Notebook 05 lab-report panel: time of the function a slider calls — the engine runs it
triggers (utils.electrolytes.consequences: standard pulse, no-stimulus run when rest is
unstable, 1 ms threshold bisection, junction model) plus the in-place FigureWidget update.
Every timed move is a first visit (the panel's cache is cleared before each sweep), so no
cached result hides an engine run. Run: ``python benchmarks/run.py`` (in a kernel)."""

import numpy as np

try:
    from benchmarks._timing import row, time_calls
except ImportError:  # run as a script or by run.py: benchmarks/ is on sys.path
    from _timing import row, time_calls

TARGET_MS = 16.0  # one slider frame (issue 7)


def run() -> list[dict]:
    from IPython.display import display

    from utils import electrolyte_widgets as ew

    panel = ew.lab_report_panel()
    display(panel)

    def bench(name, slider, values, reset):
        def move(v):
            slider.value = v  # fires the observer: engine runs + in-place figure update

        ew.consequences_cached.cache_clear()
        t = time_calls(move, [(float(v),) for v in values])
        slider.value = reset
        return row(name, t, TARGET_MS, note=f"{len(values)} first-visit moves")

    s = panel.sliders
    rows = [
        # 1.20 → 0.40 crosses after-discharges (0.91) and spontaneous firing (0.84)
        bench(
            "05 lab report: ionised Ca slider",
            s["calcium_ionised_mmol_L"],
            np.round(np.linspace(1.19, 0.40, 80), 2),
            1.2,
        ),
        # 4 → 10 crosses after-discharges, spontaneous firing and block (9.2)
        bench(
            "05 lab report: K slider",
            s["potassium_mmol_L"],
            np.round(np.arange(4.05, 10.0001, 0.05), 2)[::2],
            4.0,
        ),
        bench(
            "05 lab report: Mg slider",
            s["magnesium_mmol_L"],
            np.round(np.arange(0.90, 5.0001, 0.05), 2),
            0.85,
        ),
        bench("05 lab report: Na slider", s["sodium_mmol_L"], np.arange(110.0, 161.0), 140.0),
    ]
    # the assumption controls, at a hyperexcitable calcium (where the runs are longest)
    panel.set_values(calcium_ionised_mmol_L=0.85)
    rows.append(
        bench(
            "05 lab report: k slider at Ca 0.85",
            panel.k,
            [4.5, 5.0, 5.5, 6.5, 7.0, 7.5, 8.0, 8.5, 9.0, 4.0],
            6.0,
        )
    )
    ew.consequences_cached.cache_clear()
    gates = ["all", "na"] * 10
    t = []
    for i, g in enumerate(gates):
        panel.set_values(calcium_ionised_mmol_L=round(0.80 + 0.01 * i, 2))
        ew.consequences_cached.cache_clear()
        t.append(time_calls(lambda v: setattr(panel.gates, "value", v), [(g,)], warmup=0)[0])
    rows.append(
        row(
            "05 lab report: gates toggle",
            np.array(t),
            TARGET_MS,
            note="20 toggles, Ca 0.80–0.99, first visits",
        )
    )
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)

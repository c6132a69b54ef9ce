"""The panels that run the human axon (utils.axon at 37 °C), inside a real kernel.

* Notebook 03 "from squid to you": the conduction panel (utils.axon_widgets). Times the build
  (every grid point of both sliders run once, then the panel) and the function a slider calls
  (table look-up + PlotlyFigure update).
* Notebook 06: the neuromyotonia and tetany panels (utils.twitch_widgets), whose six human axons
  drive the motor-unit pool. Times the build with every slider value computed (the disk table
  cache switched off, so this is the cost when nothing is cached), one uncached nerve run (not
  on the slider path), and the slider: a look-up plus the figure update, target 16 ms p95.
"""

from _timing import row, time_calls, time_once


def run() -> list[dict]:
    from IPython.display import display

    from utils import axon, axon_widgets, hh

    # compile / load the numba kernels first, so the build time is the table's own
    axon.simulate(hh.Pulse(2.0, 0.1, 0.1), 0.5, axon.AxonParams(n_nodes=5), node=1)
    n_points = len(axon_widgets.DIAMETERS_UM) * len(axon_widgets.MYELIN_PERCENT)
    build = time_once(axon_widgets.conduction_table)
    panel_ms = time_once(axon_widgets.conduction_panel)
    p = axon_widgets.conduction_panel()
    display(p)
    rows = [
        row(
            f"03 conduction panel: build the table ({n_points} runs, {axon_widgets.N_NODES} nodes)",
            [build],
            5000.0,
            stat="max",
        ),
        row("03 conduction panel: build the panel from the table", [panel_ms], None),
    ]
    d, m = axon_widgets.DIAMETERS_UM, axon_widgets.MYELIN_PERCENT

    def move(control, v):
        control.value = v  # fires the observer: table look-up + in-place figure update

    ds = [d[(i + 1) % len(d)] for i in range(200)]
    rows.append(
        row(
            "03 conduction panel: diameter slider",
            time_calls(lambda v: move(p.diameter, v), [(v,) for v in ds]),
            16.0,
        )
    )
    ms = [m[(i + 1) % len(m)] for i in range(200)]
    rows.append(
        row(
            "03 conduction panel: myelin slider",
            time_calls(lambda v: move(p.myelin, v), [(v,) for v in ms]),
            16.0,
        )
    )
    rows += _syndrome_rows()
    return rows


def _syndrome_rows() -> list[dict]:
    import os

    from utils import twitch_widgets as tw

    rows = []
    for key in ("neuromyotonia", "tetany"):
        vals = tw.slider_values(key)
        os.environ["TWITCH_TABLE_CACHE"] = "0"  # time the computation, not a disk read
        tw.cached_run.cache_clear()
        try:
            build = time_once(lambda: tw.SyndromePanel(key))
        finally:
            os.environ.pop("TWITCH_TABLE_CACHE", None)
        rows.append(
            row(f"06 {key} panel (human axon): build, {len(vals)} nerve runs", [build], None, stat="max")
        )
        one = time_calls(lambda v: tw._compute(key, float(v)), [(vals[i],) for i in (0, len(vals) // 2, -1)])
        rows.append(row(f"06 {key} (human axon): one uncached nerve run (not on the slider path)", one, None))
    # the slider moves of these panels are timed by bench_twitch_panels (the same SyndromePanel)
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)

"""Notebook 03 "from squid to you": the conduction panel (utils.axon_widgets). Times the build
(every grid point of both sliders run once, then the panel) and the function a slider calls
(table look-up + PlotlyFigure update), inside a real kernel."""

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
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)

"""Notebook 02 panels: time of the function a slider calls (compute + FigureWidget update)."""

import numpy as np
from _timing import row, time_calls


def run() -> list[dict]:
    from IPython.display import display

    from utils import widgets

    panel = widgets.membrane_panel("muscle")
    display(panel)
    slider = panel.conc["K", "out"]
    values = np.geomspace(1.0, 20.0, 200)

    def move(v):
        slider.value = float(v)  # fires the observer: compute + in-place figure update

    rows = [row("02 membrane panel: [K+]o slider", time_calls(move, [(v,) for v in values]), 16.0)]
    t_slider = panel.temperature
    rows.append(
        row(
            "02 membrane panel: temperature slider",
            time_calls(
                lambda v: setattr(t_slider, "value", float(v)), [(v,) for v in np.linspace(0, 45, 200)]
            ),
            16.0,
        )
    )
    kp = widgets.potassium_panel()
    display(kp)
    rows.append(
        row(
            "02 potassium panel: [K+]o slider",
            time_calls(
                lambda v: setattr(kp.k_out, "value", float(v)), [(v,) for v in np.linspace(1.5, 10, 200)]
            ),
            16.0,
        )
    )
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)

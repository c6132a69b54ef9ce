"""Notebook 00 "try a slider" panel: time of one slider move (compute + FigureWidget update).

The panel is displayed first (so the figure's comm is open and every update is really sent),
then the firing-rate slider is moved through 200 values; target 16 ms p95 (one frame at 60 Hz).
"""

import numpy as np
from _timing import row, time_calls


def run() -> list[dict]:
    from IPython.display import display

    from utils import widgets

    panel = widgets.first_slider_panel()
    display(panel)
    # 1..40 Hz and back, so that every move changes the value
    values = [(float(v),) for v in np.concatenate([np.arange(1, 41), np.arange(40, 0, -1)] * 3)[:200]]
    return [
        row(
            "00 first-slider panel: firing-rate slider",
            time_calls(lambda v: setattr(panel.rate, "value", v), values),
            16.0,
        )
    ]


if __name__ == "__main__":
    for r in run():
        print(r)

"""Notebook 06 panels: time of the function a control calls (lookup + FigureWidget update), and,
for honesty, the cost of the simulation behind one slider value when it is not cached.

Each syndrome panel precomputes every slider value when it is built (a nerve run takes
15–25 ms, more than a frame); a slider move then only looks the run up and sends it to the
figure. Each panel is displayed first (so the comm is open and every update is really sent);
its slider is moved through 200 values that change on every move; target 16 ms p95.
"""

from _timing import row, time_calls, time_once


def run() -> list[dict]:
    from IPython.display import display

    from utils import diary
    from utils import twitch_widgets as tw

    rows = []
    for key in ("neuromyotonia", "fasciculation", "tetany"):
        build = time_once(lambda: tw.SyndromePanel(key))  # precomputes the cache
        panel = tw.SyndromePanel(key)
        display(panel)
        vals = tw.slider_values(key)
        seq = [(vals[(i * 7) % len(vals)],) for i in range(1, 201)]  # a new value each move
        seq = [s for k, s in enumerate(seq) if k == 0 or s != seq[k - 1]]
        rows.append(
            row(
                f"06 {key} panel: slider ({len(vals)} values, cached)",
                time_calls(lambda v: setattr(panel.slider, "value", float(v)), seq),
                16.0,
                note=f"panel build with precompute {build:.0f} ms",
            )
        )
        fresh = time_calls(
            lambda v: tw._compute(key, float(v)), [(vals[i % len(vals)],) for i in range(0, 40, 3)], warmup=1
        )
        rows.append(row(f"06 {key}: one uncached simulation (not on the slider path)", fresh, None))
    dp = tw.DiaryPanel()
    display(dp)
    data = diary.sample_path().read_bytes()
    rows.append(
        row(
            "06 diary panel: parse + redraw the sample diary",
            time_calls(lambda: dp.load_bytes(data, "sample"), [()] * 40),
            None,
        )
    )
    big = (
        "date,time,location,duration_s,caffeine_mg,sleep_h,stress,exercise,notes\n"
        + "".join(
            f"2024-{1 + d // 28:02d}-{1 + d % 28:02d},{8 + k:02d}:15,left eyelid,{10 + k},200,6.5,"
            f"{k % 10},no,\n"
            for d in range(300)
            for k in range(10)
        )
    ).encode()
    rows.append(
        row(
            f"06 diary panel: parse + redraw 3000 entries ({len(big) // 1000} kB)",
            time_calls(lambda: dp.load_bytes(big, "big"), [()] * 5, warmup=1),
            None,
        )
    )
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)

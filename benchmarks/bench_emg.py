"""utils.emg and utils.nmj engines behind notebooks 05/06 (compute only, no plotting).

Targets: the 37 s neuropathy record (147,858 samples) analysed end to end — band-pass,
detection, clustering, templates, MUP measures, firing statistics — in ≤ 200 ms p95 (issue 6);
synthetic EMG (voluntary contraction 5 s; fasciculations 30 s) and the quantal histogram
simulation are reported with the same slider budget. Loading the record (cached by the data
layer) is outside the timed call.
"""

import os
from pathlib import Path

from _timing import row, time_calls

_SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
if _SHARED.is_dir() and "TWITCH_DATA_DIR" not in os.environ:
    os.environ["TWITCH_DATA_DIR"] = str(_SHARED)


def run() -> list[dict]:
    from utils import emg, nmj
    from utils import recordings as data

    rows = []
    rec = data.try_load(data.load_emg, "neuropathy")
    if rec is not None:
        rows.append(
            row(
                "emg: neuropathy record analysed end to end (148k samples)",
                time_calls(emg.analyse_recording, [(rec,)] * 15),
                200.0,
            )
        )
        rows.append(
            row(
                "emg: Welch spectrum of the neuropathy record",
                time_calls(emg.power_spectrum, [(rec.signal_mV, rec.fs_Hz)] * 15),
                50.0,
            )
        )
    rows.append(
        row(
            "emg: synthetic voluntary EMG, excitation 20, 5 s at 4 kHz",
            time_calls(lambda s: emg.voluntary_emg(20.0, 5.0, seed=s), [(i,) for i in range(15)]),
            100.0,
        )
    )
    rows.append(
        row(
            "emg: synthetic fasciculation EMG, 30 s at 4 kHz",
            time_calls(lambda s: emg.fasciculation_emg(duration_s=30.0, seed=s), [(i,) for i in range(15)]),
            100.0,
        )
    )
    rows.append(
        row(
            "nmj: simulated EPP histogram (198 trials)",
            time_calls(lambda s: nmj.simulated_histogram(seed=s), [(i,) for i in range(50)]),
            10.0,
        )
    )
    rows.append(
        row(
            "nmj: simulated EPP histogram (10,000 trials)",
            time_calls(lambda s: nmj.simulated_histogram(n_trials=10_000, seed=s), [(i,) for i in range(30)]),
            10.0,
        )
    )
    rows.append(
        row("nmj: Poisson-mixture fit to Boyd & Martin", time_calls(nmj.fit_poisson_mixture, [()] * 10), None)
    )
    return rows


if __name__ == "__main__":
    print(run())

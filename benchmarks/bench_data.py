"""Timing of the data layer: first (parse) and repeated (in-memory cache) loads of each recording.

Uses whatever cache ``TWITCH_DATA_DIR`` points at (../shared/data when present); no downloads.
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    from ._timing import row, time_calls, time_once
except ImportError:  # run as a script or imported by benchmarks/run.py from that folder
    from _timing import row, time_calls, time_once

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

LOADS = [
    ("load_emg('neuropathy')", "load_emg", ("neuropathy",)),
    ("load_current_clamp('171116sh_0019')", "load_current_clamp", ("171116sh_0019",)),
    ("load_force('tetanus')", "load_force", ("tetanus",)),
    ("load_epp_amplitudes()", "load_epp_amplitudes", ()),
    ("load_lab_results()", "load_lab_results", ()),
]


def run() -> list[dict]:
    if "TWITCH_DATA_DIR" not in os.environ and SHARED.is_dir():
        os.environ["TWITCH_DATA_DIR"] = str(SHARED)
    from utils import recordings as data

    rows = []
    for label, fn_name, args in LOADS:
        fn = getattr(data, fn_name)
        first = time_once(fn, *args)  # hash check + parse
        rows.append(row(f"data.{label} first call", [first], target_ms=1000, stat="max"))
        again = time_calls(fn, [args] * 20)  # memo'd hash + lru_cache parse, copies out
        rows.append(row(f"data.{label} repeated", again, target_ms=100))
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)

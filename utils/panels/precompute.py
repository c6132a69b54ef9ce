"""Precompute every panel table once, at set-up, into the on-disk table cache (``utils.tablecache``).

``make setup`` runs ``python -m utils.panels.precompute`` after compiling the numba kernels, so that
a panel build in a notebook reads its tables (strength–duration, refractory, f–I, clamp, syndrome
and electrolyte tables) instead of computing them: seconds become milliseconds (issue 20).
Running it again costs only the reads; after a change of model code or parameters it recomputes
exactly the tables whose key changed (all of them, since the key hashes every model module).

``python -m utils.panels.precompute --check`` reports how many tables are missing without writing.
"""

from __future__ import annotations

import argparse
import sys
import time

from ..models import nmj, tablecache
from ..sources import recordings
from . import axon_widgets, electrolyte_widgets, emg_widgets, fibre_widgets, hh_widgets, twitch_widgets


def _boyd_martin():
    hist = recordings.try_load(recordings.epp_histogram)
    return None if hist is None else nmj.boyd_martin_analysis(*hist)


def jobs() -> list[tuple[str, object]]:
    """(label, zero-argument callable) for every table a panel build or a first slider move reads."""
    out = [
        ("03 strength-duration", hh_widgets.strength_duration),
        ("03 refractory", hh_widgets.refractory_table),
        ("03 f-I", hh_widgets.fi_table),
        ("03 f-I wide (recording panel)", lambda: hh_widgets.fi_table(hh_widgets.FI_GRID_WIDE)),
        ("03 firing landmarks", hh_widgets.firing_landmarks),
        ("03 clamp", hh_widgets.clamp_table),
    ]
    out += [
        (f"03 all-or-none {d:g} ms", (lambda d=d: hh_widgets.all_or_none_curve(d)))
        for d in hh_widgets.DURATIONS_MS
    ]
    out += [
        ("05 muscle traces", electrolyte_widgets.muscle_traces),
        ("05 muscle rest curve", electrolyte_widgets.muscle_rest_curve),
        ("05 lab report at its defaults", electrolyte_widgets.lab_report_panel),
        ("04 synthetic EMG at its defaults", emg_widgets.synthetic_panel),
        ("04 Boyd & Martin analysis", _boyd_martin),
        ("03 axon conduction table", axon_widgets.conduction_table),
        ("02 fibre rest panel at its defaults", fibre_widgets.fibre_rest_panel),
        ("05 periodic-paralysis panel at its defaults", fibre_widgets.periodic_paralysis_panel),
    ]
    for key in sorted(twitch_widgets.SLIDERS):
        out.append(
            (
                f"06 {key}: every slider value",
                (
                    lambda key=key: [
                        twitch_widgets.cached_run(key, v) for v in twitch_widgets.slider_values(key)
                    ]
                ),
            )
        )
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    t_all = time.perf_counter()
    for label, fn in jobs():
        t0 = time.perf_counter()
        before = dict(tablecache.stats)
        fn()
        new = tablecache.stats["misses"] - before["misses"]
        if not args.quiet:
            print(
                f"  {label:<40} {time.perf_counter() - t0:6.2f} s"
                + (f"  ({new} computed)" if new else "  (cached)"),
                flush=True,
            )
    s = tablecache.stats
    print(
        f"panel tables: {s['hits']} read, {s['misses']} computed, {s['writes']} written in "
        f"{time.perf_counter() - t_all:.1f} s ({tablecache.primary_dir()})"
    )
    if s["misses"] > s["writes"]:
        print("warning: some tables could not be written; see the warning above", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

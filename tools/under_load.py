"""Run a command while a CPU hog keeps every core busy, then stop the hog (bounded in time).

    python tools/under_load.py -- make test-browser
    python tools/under_load.py --minutes 60 -- .venv/bin/python -m pytest tests/browser/test_every_figure.py

The hog is one busy-looping process per core (``os.cpu_count()``), each stopping by itself after
``--minutes`` even if this script is killed. The command's exit status is returned; its wall time and
the load average are printed, so CI-under-load runs can be reported.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import subprocess
import sys
import time


def burn(seconds: float) -> None:
    end = time.monotonic() + seconds
    x = 0
    while time.monotonic() < end:
        x = (x * 1103515245 + 12345) % 2147483648


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=90.0, help="the hog stops by itself after this")
    ap.add_argument("--cores", type=int, default=os.cpu_count() or 2)
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args(argv)
    cmd = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not cmd:
        ap.error("give the command to run after --")
    hogs = [mp.Process(target=burn, args=(args.minutes * 60,), daemon=True) for _ in range(args.cores)]
    for h in hogs:
        h.start()
    t0 = time.monotonic()
    try:
        rc = subprocess.call(cmd)
    finally:
        load = os.getloadavg()
        for h in hogs:
            h.terminate()
        for h in hogs:
            h.join(timeout=5)
    print(
        f"under_load: {' '.join(cmd)} -> exit {rc} in {time.monotonic() - t0:.0f} s "
        f"with {args.cores} hog processes; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    return rc


if __name__ == "__main__":
    sys.exit(main())

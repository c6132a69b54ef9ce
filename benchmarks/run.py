"""`make bench`: time the series the way a user meets it, plus the engines.

* ``bench_start`` (outside): kernel start -> first interactive panel and every panel build, per notebook,
  through a real kernel started as JupyterLab starts it.
* ``bench_comm`` (outside): every control of every panel moved >= 100 times through the real widget
  comm path (a fake front end sends the browser's ``comm_msg`` update), p50/p95 to the kernel's idle,
  bytes per move and per figure open.
* ``bench_browser`` (outside): a real browser.
* the other ``bench_*.py`` modules run their ``run()`` inside a fresh IPython kernel; their panel rows set
  ``slider.value`` in the kernel (the model + figure cost without transport) and are labelled so.
* ``import utils`` in a fresh interpreter (the lazy top level, and ``from utils import`` of each
  notebook's first cell), and the whole series run with nbclient (fresh kernel per notebook).

Every row records the machine's load per core; rows above 1.5 are flagged, and ratios are taken only
within one run. ``benchmarks/results.json`` keeps one history row per run (date, commit, load, rows);
the table printed at the end shows the change against the previous run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from _timing import load_per_core, row  # noqa: E402

OUTSIDE_KERNEL = {"bench_browser", "bench_start", "bench_comm", "bench_present"}
#: The first cell of each notebook (what a student's kernel imports first).
FIRST_IMPORTS = {
    "00": "from utils import quiz, widgets",
    "01": "from utils import checks, recordings, muscle, muscle_widgets, quiz",
    "02": "from utils import checks, membrane, quiz, widgets",
    "03": "import numpy as np; from utils import checks, recordings, hh, hh_widgets, quiz",
    "04": "import numpy as np; from utils import checks, recordings, emg, emg_widgets, muscle, nmj, nmj_widgets, quiz",
    "05": "from utils import checks, recordings, electrolytes, electrolyte_widgets, hh, quiz",
    "06": "import numpy as np; from utils import checks, diary, quiz, syndromes, twitch_widgets",
}


def in_kernel(module: str, timeout: float = 600) -> list[dict]:
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", cwd=str(HERE))
    code = (
        f"import sys, json; sys.path.insert(0, {str(HERE)!r}); import {module}; "
        f"print('@@RESULT@@' + json.dumps({module}.run()))"
    )
    chunks = []
    try:
        reply = kc.execute_interactive(code, timeout=timeout, output_hook=lambda m: chunks.append(m))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    text = "".join(m["content"].get("text", "") for m in chunks if m["msg_type"] == "stream")
    if reply["content"]["status"] != "ok":
        tb = "\n".join(reply["content"].get("traceback", []))
        raise RuntimeError(f"{module} failed in the kernel:\n{tb}")
    line = [ln for ln in text.splitlines() if ln.startswith("@@RESULT@@")][-1]
    return json.loads(line.removeprefix("@@RESULT@@"))


def _fresh_import_ms(stmt: str) -> float:
    code = f"import time; t = time.perf_counter(); {stmt}; print((time.perf_counter() - t) * 1e3)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def import_time_rows(repeats: int = 5) -> list[dict]:
    """``import utils`` (a lazy stub: cheap by design) and each notebook's first import cell, in fresh
    interpreters (median of ``repeats``)."""
    rows = [
        row("import utils (lazy top level, fresh interpreter)", [_fresh_import_ms("import utils")] * 1, None)
    ]
    for nn, stmt in FIRST_IMPORTS.items():
        times = [_fresh_import_ms(stmt) for _ in range(repeats)]
        rows.append(row(f"{nn} first cell's imports (fresh interpreter)", times, None, note=stmt))
    return rows


def series_run() -> dict:
    """The whole series, run as Run All runs it: nbclient, a fresh kernel per notebook, warm caches."""
    code = (
        "import sys, time, nbformat, nbclient\n"
        "from pathlib import Path\n"
        "t_all = 0.0\n"
        "for p in sorted(Path('notebooks').glob('[0-9][0-9]_*.ipynb')):\n"
        "    nb = nbformat.read(p, as_version=4)\n"
        "    t = time.perf_counter()\n"
        "    nbclient.NotebookClient(nb, timeout=300, kernel_name='python3', resources={'metadata': {'path': str(p.parent)}}).execute()\n"
        "    t_all += time.perf_counter() - t\n"
        "print(t_all * 1e3)\n"
    )
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=900)
    wall = (time.perf_counter() - t0) * 1e3
    n = len(list((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")))
    if res.returncode != 0:
        return row(
            f"whole series: {n} notebooks with nbclient",
            [wall],
            45000.0,
            "p50",
            note="FAILED: " + res.stderr[-300:],
        )
    inside = float(res.stdout.strip().splitlines()[-1])
    return row(
        f"whole series: {n} notebooks with nbclient (fresh kernel each)",
        [inside],
        45000.0,
        "p50",
        note=f"process wall incl. importing nbclient {wall / 1e3:.1f} s",
    )


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "utils", "benchmarks"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
        return out.stdout.strip() + ("+dirty" if dirty else "")
    except OSError:
        return "?"


def load_history(path: Path) -> list[dict]:
    """The history rows of results.json (an old single-run file becomes one row)."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return []
    if isinstance(data, dict) and "history" in data:
        return data["history"]
    if isinstance(data, dict) and "results" in data:
        return [{"meta": data.get("meta", {}), "results": data["results"]}]
    return []


def change(r: dict, prev: dict | None) -> str:
    """The change of a row's p50 against the previous run's row of the same name."""
    if not prev or "p50_ms" not in prev or "p50_ms" not in r or not prev["p50_ms"]:
        return ""
    d = r["p50_ms"] / prev["p50_ms"] - 1.0
    return f"{d:+.0%}"


def print_table(results: list[dict], previous: dict[str, dict]) -> None:
    width = max(len(r["name"]) for r in results)
    print(
        f"\n{'benchmark':<{width}}  {'n':>4}  {'p50 ms':>9}  {'p95 ms':>9}  {'target':>10}  ok   load/core  vs last"
    )
    for r in results:
        if "error" in r:
            print(f"{r['name']:<{width}}  ERROR: {r['error'].splitlines()[-1] if r['error'] else ''}")
            continue
        tgt = "" if r["target_ms"] is None else f"{r['target_stat']}≤{r['target_ms']:g}"
        ok = "" if r["ok"] is None else ("yes" if r["ok"] else "NO")
        load = f"{r.get('load_per_core', float('nan')):.2f}{'!' if r.get('loaded') else ' '}"
        print(
            f"{r['name']:<{width}}  {r['n']:>4}  {r['p50_ms']:>9.3f}  {r['p95_ms']:>9.3f}  "
            f"{tgt:>10}  {ok:<3}  {load:>9}  {change(r, previous.get(r['name'])):>7}  {r.get('note', '')}"
        )
    print(
        "load/core: 1-minute load average per core when the row was taken; '!' = above 1.5 (flagged: "
        "other work on the machine; compare such rows with care, and ratios only within one run)"
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description="Time the panels, engines and notebook runs (the whole suite adds a row to results.json)."
    )
    ap.add_argument(
        "only",
        nargs="*",
        metavar="NAME",
        help="run only the bench_*.py modules whose name contains NAME (e.g. start comm hh); "
        "a partial run prints its table and leaves results.json alone",
    )
    ap.add_argument("--list", action="store_true", help="list the benchmark modules and exit")
    args = ap.parse_args(argv)
    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if args.list:
        print("\n".join(modules))
        return 0
    if args.only:
        modules = [m for m in modules if any(name in m for name in args.only)]
        if not modules:
            ap.error(f"no benchmark module matches {args.only}; see --list")
    results = []
    load_start = load_per_core()
    for m in modules:
        print(f"running {m} ...", flush=True)
        try:
            if m in OUTSIDE_KERNEL:
                mod = __import__(m)
                results += mod.run()
            else:
                rows = in_kernel(m)
                for r in rows:  # say which path these rows measure
                    if "slider" in r.get("name", "") or "panel" in r.get("name", ""):
                        r["note"] = (
                            r.get("note", "") + " [value set inside the kernel: no transport]"
                        ).strip()
                results += rows
        except Exception as exc:  # report and go on: one broken benchmark hides nothing else
            results.append({"name": m, "error": str(exc)[-2000:], "ok": False})
    if not args.only:
        results += import_time_rows()
        results.append(series_run())
    path = HERE / "results.json"
    history = load_history(path)
    previous = {r["name"]: r for r in (history[-1]["results"] if history else []) if "name" in r}
    print_table(results, previous)
    loads = [r["load_per_core"] for r in results if "load_per_core" in r]
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "commit": _commit(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_per_core_start": load_start,
        "load_per_core_max": max(loads) if loads else None,
        "rows_flagged_loaded": sum(bool(r.get("loaded")) for r in results),
    }
    if not args.only:
        history.append({"meta": meta, "results": results})
        path.write_text(json.dumps({"history": history}, indent=1))
        print(f"\nwrote {path} (history: {len(history)} runs)")
        if len(history) > 1:
            print(
                f"changes against the run of {history[-2]['meta'].get('date')} ({history[-2]['meta'].get('commit')})"
            )
    failed = [r["name"] for r in results if r.get("ok") is False]
    if failed:
        print("targets missed or errors:", ", ".join(failed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

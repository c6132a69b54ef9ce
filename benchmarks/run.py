"""`make bench`: time every interactive panel and engine, `import utils`, and the notebook runs.

Each ``benchmarks/bench_*.py`` module's ``run()`` is executed inside a fresh IPython kernel
(ipykernel, as a notebook would run it), so FigureWidget updates pay the real cost of
serialising widget messages. ``bench_browser`` drives a real browser and runs outside.
Results: a table on stdout and ``benchmarks/results.json``.
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

from _timing import row  # noqa: E402

OUTSIDE_KERNEL = {"bench_browser"}


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


def import_time_ms(repeats: int = 5) -> dict:
    times = []
    for _ in range(repeats):
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                "import time; t = time.perf_counter(); import utils; print((time.perf_counter() - t) * 1e3)",
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        times.append(float(out.stdout.strip()))
    return row("import utils (fresh interpreter)", times, None)


def nbval_run() -> dict:
    t0 = time.perf_counter()
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "--nbval-cell-timeout=120",
            "--nbval-sanitize-with",
            "tests/nbval_sanitize.cfg",
            "notebooks",
            "-q",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    wall = (time.perf_counter() - t0) * 1e3
    n = len(list((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")))
    status = "passed" if res.returncode == 0 else f"FAILED (exit {res.returncode})"
    return row(f"nbval: all {n} notebooks, fresh kernels", [wall], None, note=status)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description="Time the panels, engines and notebook runs (the whole suite writes results.json)."
    )
    ap.add_argument(
        "only",
        nargs="*",
        metavar="NAME",
        help="run only the bench_*.py modules whose name contains NAME (e.g. nmj twitch); "
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
    for m in modules:
        print(f"running {m} ...", flush=True)
        try:
            if m in OUTSIDE_KERNEL:
                mod = __import__(m)
                results += mod.run()
            else:
                results += in_kernel(m)
        except Exception as exc:  # report and go on: one broken benchmark hides nothing else
            results.append({"name": m, "error": str(exc)[-2000:], "ok": False})
    if not args.only:
        results.append(import_time_ms())
        results.append(nbval_run())
    width = max(len(r["name"]) for r in results)
    print(f"\n{'benchmark':<{width}}  {'n':>4}  {'p50 ms':>9}  {'p95 ms':>9}  {'target':>10}  ok")
    for r in results:
        if "error" in r:
            print(f"{r['name']:<{width}}  ERROR: {r['error'].splitlines()[-1]}")
            continue
        tgt = "" if r["target_ms"] is None else f"{r['target_stat']}≤{r['target_ms']:g}"
        ok = "" if r["ok"] is None else ("yes" if r["ok"] else "NO")
        print(
            f"{r['name']:<{width}}  {r['n']:>4}  {r['p50_ms']:>9.3f}  {r['p95_ms']:>9.3f}  "
            f"{tgt:>10}  {ok} {r.get('note', '')}"
        )
    meta = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    if not args.only:
        (HERE / "results.json").write_text(json.dumps({"meta": meta, "results": results}, indent=1))
        print(f"\nwrote {HERE / 'results.json'}")
    failed = [r["name"] for r in results if r.get("ok") is False]
    if failed:
        print("targets missed or errors:", ", ".join(failed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

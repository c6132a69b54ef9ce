"""Warm the caches once, where the package is installed: ``python -m utils.course.warm``.

Binder's ``postBuild``, a hub image's Dockerfile and ``make setup`` run it, so the first slider a student
moves does not wait for numba to compile (7-25 s otherwise). It builds every panel that needs no argument
(``*_panel()`` in each panels module) and lets each compute its first state: that compiles and caches
every numba kernel at the types the notebooks use, and fills any on-disk panel-table cache a panels module
offers through a ``warm_cache()`` function. Panels that need a recording are skipped when the recording
cache is empty (``TWITCH_DATA_DIR``); the numba kernels they use are warmed by the others.

Prints one line per panel with its time; exit status 1 if a panel failed.
"""

from __future__ import annotations

import inspect
import os
import pkgutil
import sys
import time
from importlib import import_module

import numba


def panel_modules() -> list[str]:
    """Every panels module of the series (``widgets`` and ``*_widgets`` in utils/panels)."""
    names = [m.name for m in pkgutil.iter_modules(import_module("utils.panels").__path__)]
    return sorted(n for n in names if n == "widgets" or n.endswith("_widgets"))


def panel_factories():
    """(module, name, factory) of every ``*_panel`` function callable without arguments."""
    for mod_name in panel_modules():
        mod = import_module(f"utils.panels.{mod_name}")
        for name, fn in sorted(vars(mod).items()):
            if not (name.endswith("_panel") and inspect.isfunction(fn) and fn.__module__ == mod.__name__):
                continue
            params = inspect.signature(fn).parameters.values()
            if all(p.default is not p.empty or p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL) for p in params):
                yield mod_name, name, fn


def warm(verbose: bool = True) -> int:
    """Build every argument-free panel once; returns the number of failures."""
    failures = 0
    t_all = time.perf_counter()
    for mod_name, name, factory in panel_factories():
        t0 = time.perf_counter()
        try:
            panel = factory()
            update = getattr(panel, "update", None)
            if callable(update):
                update()
            status = "ok"
        except Exception as exc:  # a missing recording offline is not a failure of the warm-up
            kind = type(exc).__name__
            status = f"skipped ({kind}: {exc})"[:160]
            failures += kind not in ("FileNotFoundError", "RecordingUnavailable", "ConnectionError")
        if verbose:
            print(f"  {mod_name}.{name}: {status} in {time.perf_counter() - t0:.1f} s", flush=True)
    for mod_name in panel_modules():
        hook = getattr(import_module(f"utils.panels.{mod_name}"), "warm_cache", None)
        if callable(hook):
            hook()
            if verbose:
                print(f"  {mod_name}.warm_cache(): done", flush=True)
    if verbose:
        cache = os.environ.get("NUMBA_CACHE_DIR") or "beside the sources (__pycache__) or ~/.cache/numba"
        print(
            f"warmed in {time.perf_counter() - t_all:.1f} s; numba {numba.__version__} cache: {cache}; "
            f"CPU target: {numba.config.CPU_NAME or 'host'}",
            flush=True,
        )
    return failures


def main() -> int:
    return 1 if warm() else 0


if __name__ == "__main__":
    sys.exit(main())

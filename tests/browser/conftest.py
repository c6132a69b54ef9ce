"""Browser layer set-up: which notebooks, one JupyterLab server and one Chromium for the session.

Notebooks: every ``notebooks/[0-9][0-9]_*.ipynb`` by default. Point elsewhere (development, negative
checks) with ``--notebooks PATH`` or ``TWITCH_BROWSER_NOTEBOOKS=PATH``; PATH is a folder (same glob),
a notebook, or several of them separated by ``os.pathsep``.

Slider-to-redraw latencies are written to ``TWITCH_BROWSER_LATENCY_JSON`` (default
``tests/browser/screenshots/latency.json``) for ``benchmarks/bench_browser.py``.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from lab import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, LabServer

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DEFAULT_LATENCY_JSON = SCREENSHOTS / "latency.json"
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
ENV_NOTEBOOKS = "TWITCH_BROWSER_NOTEBOOKS"
ENV_LATENCY = "TWITCH_BROWSER_LATENCY_JSON"


def pytest_addoption(parser):
    parser.addoption(
        "--notebooks",
        default=None,
        help=f"notebook folder/file(s), {os.pathsep!r}-separated (default: notebooks/{NOTEBOOK_GLOB}; "
        f"env {ENV_NOTEBOOKS})",
    )


def _notebooks(config) -> list[Path]:
    spec = config.getoption("--notebooks", default=None) or os.environ.get(ENV_NOTEBOOKS)
    targets = [Path(p) for p in spec.split(os.pathsep) if p] if spec else [ROOT / "notebooks"]
    found: list[Path] = []
    for t in targets:
        t = t if t.is_absolute() else (Path.cwd() / t)
        found += sorted(t.glob(NOTEBOOK_GLOB)) if t.is_dir() else [t] if t.is_file() else []
    return [p.resolve() for p in found]


def _server_root(notebooks: list[Path]) -> Path:
    """The repo root (so notebooks/ paths work), or a common folder when notebooks lie outside it."""
    if all(ROOT in p.parents for p in notebooks):
        return ROOT
    return Path(os.path.commonpath([p.parent for p in notebooks]))


def selected_or(config, default_stems: tuple[str, ...]) -> list[Path]:
    """The notebooks named with --notebooks / TWITCH_BROWSER_NOTEBOOKS, else the few default ones
    (the Voila and static-page tests run on a small sample unless told otherwise)."""
    if config.getoption("--notebooks", default=None) or os.environ.get(ENV_NOTEBOOKS):
        return _notebooks(config)
    return [p for p in (ROOT / "notebooks" / f"{s}.ipynb" for s in default_stems) if p.is_file()]


def pytest_generate_tests(metafunc):
    for name in ("voila_notebook", "static_notebook"):  # one module-scoped server / export per notebook
        if name in metafunc.fixturenames:
            nbs = selected_or(metafunc.config, getattr(metafunc.module, "DEFAULT_NOTEBOOKS", ()))
            metafunc.config.__dict__.setdefault("_twitch_selected", {})[name] = nbs
            if nbs:
                metafunc.parametrize(name, nbs, ids=[p.stem for p in nbs], scope="module")
            else:
                metafunc.parametrize(
                    name,
                    [pytest.param(None, marks=pytest.mark.skip(reason="no notebooks selected"))],
                    ids=["no-notebooks"],
                    scope="module",
                )
    if "notebook" in metafunc.fixturenames:
        nbs = _notebooks(metafunc.config)
        metafunc.config._twitch_notebooks = nbs
        if nbs:
            metafunc.parametrize("notebook", nbs, ids=[p.stem for p in nbs])
        else:
            metafunc.parametrize(
                "notebook",
                [
                    pytest.param(
                        None,
                        marks=pytest.mark.skip(
                            reason=f"no notebooks matching {NOTEBOOK_GLOB} (set --notebooks or {ENV_NOTEBOOKS})"
                        ),
                    )
                ],
                ids=["no-notebooks"],
            )


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium; missing -> failure under CI=true, a clear skip elsewhere."""
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"{CHROMIUM} is missing (run `make browser`, or as root: apt-get install -y chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the Python package playwright is missing (pip install -r requirements.txt)")
    if missing:
        msg = "browser tests need a browser: " + "; ".join(missing)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg + " [CI=true: failing instead of skipping]", pytrace=False)
        pytest.skip(msg)
    return CHROMIUM


@pytest.fixture(scope="session")
def lab_server(request, chromium):
    nbs = getattr(request.config, "_twitch_notebooks", None) or _notebooks(request.config)
    server = LabServer(root_dir=_server_root(nbs) if nbs else ROOT)
    t0 = time.monotonic()
    server.start()
    server.startup_s = time.monotonic() - t0
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()
    finally:
        pw.stop()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.set_default_timeout(30_000)
    pg = ctx.new_page()
    try:
        yield pg
    finally:
        ctx.close()  # closes without beforeunload: nothing is saved


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def latency_log(lab_server):
    """Per-notebook timings; written as JSON when the session ends (even after failures)."""
    log: dict[str, dict] = {}
    yield log
    if not log:
        return
    path = Path(os.environ.get(ENV_LATENCY) or DEFAULT_LATENCY_JSON)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "recorded": time.strftime("%Y-%m-%dT%H:%M:%S"),
                "server_start_s": round(lab_server.startup_s, 2),
                "notebooks": log,
            },
            indent=2,
        )
        + "\n"
    )

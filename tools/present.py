"""Classroom mode: one notebook served by Voila for a projector (code hidden, widgets live).

    python tools/present.py 02                      # or 02_resting_membrane, or notebooks/02_....ipynb
    python tools/present.py 02 --font large         # bigger text, controls and figure labels
    make present NB=02 FONT=large                   # the same through make

Serves on 127.0.0.1 only (no token: nothing leaves the machine), prints the address, opens a
browser unless ``--no-browser``; Ctrl-C stops it. The page uses the templates in
``tools/jupyter/voila/templates`` (``classroom``, ``classroom-large``): Voila's lab template with
no icon font from a CDN, a visible keyboard focus ring and high-contrast text.
:class:`VoilaServer` starts and stops the same server from Python (the browser tests use it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
JUPYTER_PATH = Path(__file__).resolve().parent / "jupyter"  # holds voila/templates/classroom*
TEMPLATES = {"normal": "classroom", "large": "classroom-large"}

# The one Chromium of the project and its switches (the browser tests, the benchmarks and the printed
# worksheets): Debian's Chromium (Playwright's own browser download does not work here); override for
# other systems with TWITCH_CHROMIUM.
CHROMIUM = os.environ.get("TWITCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def resolve_notebook(spec: str) -> Path:
    """``02``, ``2``, ``02_resting_membrane``, ``02_resting_membrane.ipynb`` or a path -> the notebook."""
    spec = str(spec).strip()
    p = Path(spec)
    for cand in (p, ROOT / p):
        if cand.suffix == ".ipynb" and cand.is_file():
            return cand.resolve()
    stem = p.name.removesuffix(".ipynb")
    if stem.isdigit():
        matches = sorted(NOTEBOOKS.glob(f"{int(stem):02d}_*.ipynb"))
    else:
        matches = (
            [NOTEBOOKS / f"{stem}.ipynb"]
            if (NOTEBOOKS / f"{stem}.ipynb").is_file()
            else sorted(NOTEBOOKS.glob(f"{stem}*.ipynb"))
        )
    if len(matches) != 1:
        known = ", ".join(q.stem for q in sorted(NOTEBOOKS.glob("*.ipynb")))
        why = "no notebook" if not matches else f"{len(matches)} notebooks"
        raise SystemExit(f"present: {why} match {spec!r}; choose one of: {known}")
    return matches[0].resolve()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Server processes (Voila here, JupyterLab in tests/browser/lab.py): started in their own process
# group with their output in a log file, polled until they answer, stopped by PID.


def read_tail(path: Path | None, n: int = 4000) -> str:
    """The last ``n`` characters of a server's log ('' when there is none yet)."""
    try:
        return path.read_text(errors="replace")[-n:]
    except (OSError, AttributeError):
        return ""


def wait_until_answering(
    proc: subprocess.Popen, probe, timeout: float, name: str, log_path: Path, on_timeout
) -> None:
    """Poll ``probe()`` (raises URLError/OSError until the server listens) every 0.25 s. A server
    that exits, or does not answer within ``timeout`` s (then ``on_timeout()`` stops it), raises
    RuntimeError with the tail of its log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode}:\n{read_tail(log_path)}")
        try:
            probe()
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    on_timeout()
    raise RuntimeError(f"{name} did not answer within {timeout:.0f} s:\n{read_tail(log_path)}")


def terminate(proc: subprocess.Popen | None) -> None:
    """SIGTERM (Jupyter servers shut their kernels down on it); after 15 s kill the whole process
    group (the server was started with start_new_session)."""
    if proc is not None and proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


def command(
    notebook: Path, port: int, font: str = "normal", open_browser: bool = False, progressive: bool = False
) -> list[str]:
    """The ``voila`` command line for one notebook (source cells stripped: Voila's default).

    ``progressive``: Voila's progressive rendering (``VoilaConfiguration.progressive_rendering``, Voila
    0.5): the page and its cells arrive at once and each cell's output shows as soon as that cell has
    run, instead of one spinner until the last cell has run. ``make present`` uses it (issue 20: a
    first figure within 15 s, progress while cells run)."""
    if font not in TEMPLATES:
        raise SystemExit(f"present: font must be one of {sorted(TEMPLATES)}, not {font!r}")
    # Voila through this file (see serve()), so that plotly.js is served to the figures.
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--serve",
        str(notebook),
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        f"--template={TEMPLATES[font]}",
        "--theme=light",
        "--VoilaConfiguration.strip_sources=True",
        # the page title: the notebook's own heading is the first thing on screen anyway
        f"--Voila.open_browser={open_browser}",
    ]
    if progressive:
        cmd.append("--VoilaConfiguration.progressive_rendering=True")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--ServerApp.allow_root=True")
    return cmd


def environment(extra: dict | None = None) -> dict:
    """Our templates first on JUPYTER_PATH; numba and NEURON quiet; recordings from the usual cache."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(
        [str(JUPYTER_PATH)] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    )
    env.setdefault("NEURON_MODULE_OPTIONS", "-nogui")
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    shared = ROOT.parent / "shared" / "data"
    if "TWITCH_DATA_DIR" not in env and (shared / "SOURCES.md").is_file():
        env["TWITCH_DATA_DIR"] = str(shared)
    env.update(extra or {})
    return env


@dataclass
class VoilaServer:
    """Voila serving one notebook on 127.0.0.1; started in its own process group, stopped by PID."""

    notebook: Path
    font: str = "normal"
    port: int = field(default_factory=free_port)
    progressive: bool = False
    proc: subprocess.Popen | None = None
    tmp: Path | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self, timeout: float = 60.0) -> "VoilaServer":
        self.tmp = Path(tempfile.mkdtemp(prefix="twitch-voila-"))
        # A private config folder: no user-level jupyter config leaks in.
        env = environment({"JUPYTER_CONFIG_DIR": str(self.tmp)})
        self.log_path = self.tmp / "voila.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            command(self.notebook, self.port, self.font, progressive=self.progressive),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=self.notebook.parent,
            start_new_session=True,
        )

        def probe():  # any static file answers as soon as the server listens (the page runs the kernel)
            with urllib.request.urlopen(self.url + "voila/static/voila.js", timeout=2):
                pass

        wait_until_answering(self.proc, probe, timeout, "voila", self.log_path, self.stop)
        return self

    def log_tail(self, n: int = 4000) -> str:
        return read_tail(self.log_path, n)

    def stop(self) -> None:
        terminate(self.proc)
        if getattr(self, "_log", None) is not None:
            self._log.close()
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> "VoilaServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def serve(voila_argv: list[str]) -> None:
    """Run Voila in this process (the ``--serve`` mode of this script) with the route that serves
    plotly.js to the PlotlyFigure widgets (standalone Voila loads no server extensions)."""
    from utils.figures.server import voila_app  # Voila that also serves plotly.js for PlotlyFigure

    app = voila_app()
    app.initialize(voila_argv)
    app.start()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("notebook", help="number (02), stem (02_resting_membrane) or path of a notebook")
    ap.add_argument(
        "--font",
        choices=sorted(TEMPLATES),
        default="normal",
        help="large: bigger text, controls and figure labels for a projector",
    )
    ap.add_argument("--port", type=int, default=8866, help="port on 127.0.0.1 (default 8866)")
    ap.add_argument("--no-browser", action="store_true", help="only print the address")
    ap.add_argument(
        "--classic",
        action="store_true",
        help="Voila's classic rendering: one spinner until the last cell has run (default: progressive, "
        "each output shows as its cell finishes, with a progress line)",
    )
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--serve"]:
        serve(argv[1:])
        return 0
    args = ap.parse_args(argv)
    nb = resolve_notebook(args.notebook)
    cmd = command(nb, args.port, args.font, open_browser=not args.no_browser, progressive=not args.classic)
    print(
        f"Classroom mode: {nb.relative_to(ROOT) if ROOT in nb.parents else nb} "
        f"({args.font} font) at http://127.0.0.1:{args.port}/  (Ctrl-C stops it)",
        flush=True,
    )
    proc = subprocess.Popen(cmd, env=environment(), cwd=nb.parent)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        try:
            return proc.wait(timeout=10)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            proc.terminate()
            return proc.wait()


if __name__ == "__main__":
    sys.exit(main())

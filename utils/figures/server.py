"""Serve plotly.js to the page from the local server, once, for every :class:`PlotlyFigure` on it.

The figure widget's front end (``widget.js``) loads ``<base_url>twitch/static/plotly.min.js`` with one
``<script>`` per page. The file is plotly's own ``package_data/plotly.min.js`` from the installed plotly
package: nothing is copied, nothing comes from a CDN, and it always matches the installed plotly.

Where the route comes from:

* **JupyterLab / Jupyter Server** (also Voila run as a server extension, ``/voila/render/...``): this
  module is a Jupyter server extension. ``make setup`` enables it with a config file in the environment::

      python -m utils.figures.server install     # writes <sys.prefix>/etc/jupyter/jupyter_server_config.d/...

* **Voila standalone** (``voila nb.ipynb``, ``tools/present.py``): Voila does not load server extensions;
  ``tools/present.py`` adds :func:`handlers` to its Voila application instead (:func:`voila_app`).
* **Static pages** (``tools/export_html.py``): the page already has ``assets/plotly.min.js``; the front end
  uses ``window.Plotly`` when it is there and loads nothing.

``python -m utils.figures.server check`` prints where the file is and whether the config is installed.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import sys
from pathlib import Path

URL_DIR = "twitch/static"  # under the server's base_url
PLOTLY_JS = "plotly.min.js"
CONFIG_NAME = "why-muscles-twitch-figures.json"
EXTENSION_MODULE = "utils.figures.server"  # not __name__: that is "__main__" under `python -m`


def plotly_js_dir() -> Path:
    """The installed plotly package's ``package_data`` folder (found without importing plotly)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("plotly is not installed: the figures need its plotly.min.js")
    return Path(next(iter(spec.submodule_search_locations))) / "package_data"


def plotly_url_path() -> str:
    """The path of plotly.js relative to the server's base_url, with the plotly version as a cache key."""
    return f"{URL_DIR}/{PLOTLY_JS}?v={importlib.metadata.version('plotly')}"


def handlers(base_url: str = "/") -> list[tuple]:
    """Tornado routes serving exactly ``<base_url>twitch/static/plotly.min.js`` (no other file)."""
    from jupyter_server.base.handlers import FileFindHandler  # noqa: PLC0415 (server process only)
    from jupyter_server.utils import url_path_join  # noqa: PLC0415 (server process only)

    pattern = url_path_join(base_url, URL_DIR, r"(plotly\.min\.js)")
    return [(pattern, FileFindHandler, {"path": [str(plotly_js_dir())]})]


# --------------------------------------------------------------------------- Jupyter server extension


def _jupyter_server_extension_points() -> list[dict]:
    """Jupyter Server's entry point: this module is the extension."""
    return [{"module": EXTENSION_MODULE}]


def _load_jupyter_server_extension(serverapp) -> None:
    """Add the plotly.js route to a running Jupyter server (JupyterLab, Notebook 7, Voila-as-extension)."""
    routes = handlers(serverapp.base_url)
    serverapp.web_app.add_handlers(".*$", routes)
    serverapp.log.info("utils.figures: serving %s at %s", plotly_js_dir() / PLOTLY_JS, routes[0][0])


# --------------------------------------------------------------------------- Voila standalone


def voila_app():
    """A Voila application (standalone ``voila``) that also serves plotly.js at the same path."""
    from voila.app import Voila  # noqa: PLC0415 (classroom server process only)

    class FiguresVoila(Voila):
        def init_handlers(self) -> list:
            # first: Voila's last route ("/(.*)", the notebook page) would catch everything after it
            return handlers(self.server_url or self.base_url) + super().init_handlers()

    return FiguresVoila()


# --------------------------------------------------------------------------- set-up


def config_path(prefix: str | Path = sys.prefix) -> Path:
    return Path(prefix) / "etc" / "jupyter" / "jupyter_server_config.d" / CONFIG_NAME


def install(prefix: str | Path = sys.prefix) -> Path:
    """Enable the extension for every Jupyter server of the environment at ``prefix`` (idempotent)."""
    path = config_path(prefix)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"ServerApp": {"jpserver_extensions": {EXTENSION_MODULE: True}}}, indent=2) + "\n"
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Serve plotly.js to PlotlyFigure widgets from the local server.")
    ap.add_argument("action", choices=["install", "check"])
    ap.add_argument("--prefix", default=sys.prefix, help="environment prefix (default: this Python's)")
    args = ap.parse_args(argv)
    js = plotly_js_dir() / PLOTLY_JS
    if args.action == "install":
        print(f"enabled {EXTENSION_MODULE} in {install(args.prefix)}")
    ok = js.is_file() and config_path(args.prefix).is_file()
    print(
        f"plotly.js: {js} ({'found' if js.is_file() else 'MISSING'}); "
        f"config: {config_path(args.prefix)} ({'found' if config_path(args.prefix).is_file() else 'missing'})"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Where the package's own files are, and a numba cache that is always writable.

Two ways to run the package, one answer for each file:

* **From the project folder** (``make setup``: an editable install, or ``PYTHONPATH``): the tables are
  ``data/``, the quizzes ``notebooks/quizzes/`` and the repository URL is read from ``pyproject.toml``,
  so an edit shows at once.
* **Installed** (``pip install .`` or a wheel, e.g. a school hub's image): the same files ship inside
  the package (``utils/_data``, ``utils/_quizzes``, the widgets' ``.js``; see
  ``[tool.setuptools.package-dir]`` in ``pyproject.toml``) and are read with :mod:`importlib.resources`.
  A package that cannot be read from the file system (e.g. zipped) is refused with a message.

The numba cache (:func:`configure_numba_cache`, run by ``import utils`` before numba is imported):
numba keeps compiled kernels next to the source (``__pycache__``) when it can write there, else in
``~/.cache/numba``; with ``NUMBA_CACHE_DIR`` set to a folder it cannot write, it silently compiles again
on every run (18-25 s for a student on a hub). Here an unwritable ``NUMBA_CACHE_DIR`` (a shared,
read-only warm cache baked into an image) is copied once into a per-user cache that is then used; when
no writable place exists at all, one warning says so.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import os
import shutil
import sys
import tempfile
import tomllib
import warnings
from pathlib import Path

#: The distribution name (pyproject.toml [project] name).
DISTRIBUTION = "why-muscles-twitch"
#: The project folder when the package runs from a checkout, else None.
SOURCE_ROOT: Path | None = Path(__file__).resolve().parent.parent
if not ((SOURCE_ROOT / "pyproject.toml").is_file() and (SOURCE_ROOT / "data" / "ion_presets.csv").is_file()):
    SOURCE_ROOT = None

#: The per-user cache folder for this package's numba kernels when the configured one is read-only.
USER_NUMBA_SUBDIR = "numba"


class InstallError(RuntimeError):
    """The installed package cannot find its own files (the message says how to install it)."""


def _package_dir(name: str) -> Path:
    """The folder ``utils/<name>`` of the installed package (its data), as a real path."""
    ref = importlib.resources.files("utils").joinpath(name)
    path = Path(str(ref))
    if not path.is_dir():
        raise InstallError(
            f"utils/{name} is missing or not a folder on disk ({ref!r}): this copy of the package was "
            "installed without its data, or zipped. Install it from the project folder with `pip install .` "
            "(or `make setup`), or from the wheel that `pip wheel --no-deps .` builds."
        )
    return path


def data_dir() -> Path:
    """The folder of the data tables: ``data/`` in a checkout, ``utils/_data`` when installed."""
    if SOURCE_ROOT is not None:
        return SOURCE_ROOT / "data"
    return _package_dir("_data")


def quiz_dir() -> Path:
    """The folder of the quiz files: ``notebooks/quizzes/`` in a checkout, ``utils/_quizzes`` installed."""
    if SOURCE_ROOT is not None:
        return SOURCE_ROOT / "notebooks" / "quizzes"
    return _package_dir("_quizzes")


def asset_text(package: str, name: str) -> str:
    """The text of a file shipped inside ``package`` (e.g. a widget's ``.js``), via importlib.resources."""
    ref = importlib.resources.files(package).joinpath(name)
    if not ref.is_file():
        raise InstallError(f"{package}/{name} is missing from the installed package: reinstall it.")
    return ref.read_text(encoding="utf-8")


def repository_url() -> str:
    """The project's public repository (pyproject.toml ``[project.urls] Repository``): one setting for
    every Binder badge and link. Read from pyproject.toml in a checkout, from the metadata installed."""
    if SOURCE_ROOT is not None:
        data = tomllib.loads((SOURCE_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        return data["project"]["urls"]["Repository"]
    for entry in importlib.metadata.metadata(DISTRIBUTION).get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "repository":
            return url.strip()
    raise InstallError(f"the installed {DISTRIBUTION} has no Repository URL in its metadata")


def writable(folder: Path) -> bool:
    """True when ``folder`` exists or can be created, and a file can be written in it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=folder).close()
    except OSError:
        return False
    return True


def user_cache_root() -> Path:
    """This package's per-user cache root: ``$XDG_CACHE_HOME`` or ``~/.cache``, then why-muscles-twitch."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / DISTRIBUTION


_NUMBA_NOTE: list[str] = []  # what configure_numba_cache decided (read by tests and `python -m utils.warm`)


def configure_numba_cache(environ=os.environ) -> str | None:
    """Make sure numba's cache is writable, so kernels compile once per user at most, never every run.

    Returns the cache folder it set in ``NUMBA_CACHE_DIR`` (None when numba's own choice works).
    Called once by ``import utils``; safe to call again.
    """
    configured = environ.get("NUMBA_CACHE_DIR", "").strip()
    here = Path(__file__).resolve().parent
    if configured:
        if writable(Path(configured)):
            return None
        shared = Path(configured)
    elif writable(here / "models" / "__pycache__") or writable(
        Path.home() / ".cache" / "numba"  # numba's own user-wide fallback
    ):
        return None
    else:
        shared = None
    candidates = [
        user_cache_root() / USER_NUMBA_SUBDIR,
        Path(tempfile.gettempdir()) / f"{DISTRIBUTION}-{_uid()}" / "numba",
    ]
    for target in candidates:
        if writable(target):
            if shared is not None and shared.is_dir():
                _seed(shared, target)
            environ["NUMBA_CACHE_DIR"] = str(target)
            _set_numba_config(str(target))
            _NUMBA_NOTE.append(f"numba cache: {configured or 'default'} is read-only; using {target}")
            return str(target)
    warnings.warn(
        "No writable folder for numba's cache (NUMBA_CACHE_DIR, the package folder, ~/.cache and the temp "
        "folder are all read-only): the models compile again in every new kernel (about 10-20 s). Set "
        "NUMBA_CACHE_DIR to a writable folder.",
        RuntimeWarning,
        stacklevel=2,
    )
    _NUMBA_NOTE.append("numba cache: nothing writable; compiling every run")
    return None


def _seed(shared: Path, target: Path) -> None:
    """Copy the shared, read-only warm cache into ``target`` once per version of the shared cache."""
    stamp = "\n".join(
        f"{p.relative_to(shared)} {p.stat().st_size} {p.stat().st_mtime_ns}"
        for p in sorted(shared.rglob("*.nbi"))
    )
    marker = target / ".seeded-from"
    if marker.is_file() and marker.read_text(encoding="utf-8") == stamp:
        return
    for src in shared.rglob("*"):  # a few MB of compiled kernels; our own modes, not the read-only ones
        if src.is_file():
            dest = target / src.relative_to(shared)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
    marker.write_text(stamp, encoding="utf-8")


def _uid() -> str:
    return str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")


def _set_numba_config(path: str) -> None:
    # numba reads NUMBA_CACHE_DIR when it is imported; if it already is, update its config as well
    numba_config = sys.modules.get("numba.core.config")
    if numba_config is not None:
        numba_config.CACHE_DIR = path

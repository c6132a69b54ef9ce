"""A versioned on-disk cache for the panels' precomputed tables (strength–duration, refractory, f–I,
clamp and syndrome tables), beside numba's cache of the compiled kernels.

Each table is computed once at set-up (``make setup`` runs ``python -m utils.panels.precompute``) and
read back when a panel is built, so a panel build costs a file read instead of seconds of runs::

    @lru_cache(maxsize=4)            # once per process ...
    @tablecache.disk_cached          # ... and once per machine
    def strength_duration(durations_ms=DURATIONS_MS): ...

**The key** of a table is a SHA-256 of: :data:`VERSION`, the source of every model module
(``utils/models/*.py``), ``utils/validation.py`` and ``utils/sources/tables.py``, every parameter table
``data/*.csv``, the source of the module that defines the function, the function's name and its
arguments, and the numpy/pandas versions. Change any model code or parameter and every key changes:
the table is recomputed on first use (and rewritten). :func:`code_hash` is that fingerprint.

**Where**: ``$TWITCH_TABLE_CACHE_DIR`` if set; else ``$NUMBA_CACHE_DIR/twitch-tables`` if numba's cache
is redirected; else ``utils/models/__pycache__/twitch-tables`` (numba's own place for the kernels of
``hh``, ``muscle``, ...). When that folder cannot be written (a read-only install, a shared
classroom machine), tables are read from it and written to a per-user folder,
``$XDG_CACHE_HOME/why-muscles-twitch/tables`` (``~/.cache/...``), so each table is computed at most once
per user; if neither can be written a warning says so once (never a silent recompute on every run).

Files are pickles written by this package only (one per key, written atomically); an unreadable file
counts as a miss. ``TWITCH_TABLE_CACHE=off`` turns the cache off (tests of fresh computation).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

#: Bump when the file format or the meaning of a key changes.
VERSION = 1

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent
DATA = PACKAGE.parent / "data"
_warned = False
stats = {"hits": 0, "misses": 0, "writes": 0}


def _fingerprint_files() -> list[Path]:
    files = sorted(HERE.glob("*.py")) + [PACKAGE / "validation.py", PACKAGE / "sources" / "tables.py"]
    return files + sorted(DATA.glob("*.csv"))


@functools.lru_cache(maxsize=1)
def code_hash() -> str:
    """SHA-256 of the model code and parameter tables (see the module's docstring)."""
    h = hashlib.sha256(f"v{VERSION} numpy {np.__version__} pandas {pd.__version__}".encode())
    for p in _fingerprint_files():
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


@functools.lru_cache(maxsize=64)
def _module_source_hash(filename: str) -> str:
    try:
        return hashlib.sha256(Path(filename).read_bytes()).hexdigest()
    except OSError:
        return "?"


def _canonical(x) -> str:
    """A text that identifies an argument exactly (``repr`` abbreviates long arrays with '...')."""
    if isinstance(x, np.ndarray):
        return f"ndarray({x.dtype.str},{x.shape},{hashlib.sha256(np.ascontiguousarray(x).tobytes()).hexdigest()})"
    if isinstance(x, (pd.DataFrame, pd.Series)):
        return f"{type(x).__name__}({hashlib.sha256(pd.util.hash_pandas_object(x).values.tobytes()).hexdigest()})"
    if isinstance(x, (tuple, list)):
        return type(x).__name__ + "(" + ",".join(_canonical(v) for v in x) + ")"
    if isinstance(x, dict):
        return "dict(" + ",".join(f"{k!r}:{_canonical(v)}" for k, v in sorted(x.items())) + ")"
    return repr(x)


def key(fn, args: tuple = (), kwargs: dict | None = None) -> str:
    """The cache key of ``fn(*args, **kwargs)`` (hex)."""
    code = getattr(fn, "__code__", None)
    h = hashlib.sha256(code_hash().encode())
    h.update(_module_source_hash(code.co_filename if code else "").encode())
    h.update(f"{fn.__module__}.{fn.__qualname__}".encode())
    h.update(_canonical((tuple(args), dict(kwargs or {}))).encode())
    return h.hexdigest()


def primary_dir() -> Path:
    """The shared cache folder (beside numba's cache; see the module's docstring)."""
    if os.environ.get("TWITCH_TABLE_CACHE_DIR"):
        return Path(os.environ["TWITCH_TABLE_CACHE_DIR"])
    if os.environ.get("NUMBA_CACHE_DIR"):
        return Path(os.environ["NUMBA_CACHE_DIR"]) / "twitch-tables"
    return HERE / "__pycache__" / "twitch-tables"


def user_dir() -> Path:
    """The per-user fallback folder, used when :func:`primary_dir` cannot be written."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "why-muscles-twitch" / "tables"


def _dirs() -> list[Path]:
    return [primary_dir() / f"v{VERSION}", user_dir() / f"v{VERSION}"]


def enabled() -> bool:
    return os.environ.get("TWITCH_TABLE_CACHE", "on").lower() not in ("off", "0", "no")


def load(k: str):
    """(True, value) for a stored key, else (False, None)."""
    for d in _dirs():
        p = d / f"{k}.pkl"
        try:
            with open(p, "rb") as f:
                return True, pickle.load(f)
        except FileNotFoundError:
            continue
        except Exception:  # a damaged or foreign file: a miss, rewritten below  # noqa: BLE001
            continue
    return False, None


def _writable(d: Path) -> bool:
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(d, os.W_OK)


def store(k: str, value) -> Path | None:
    """Write ``value`` under ``k`` in the first writable folder; the path, or None (warned once)."""
    global _warned
    for d in _dirs():
        if not _writable(d):
            continue
        try:
            fd, tmp = tempfile.mkstemp(dir=d, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, d / f"{k}.pkl")
            stats["writes"] += 1
            return d / f"{k}.pkl"
        except OSError:
            continue
    if not _warned:
        _warned = True
        warnings.warn(
            f"panel tables cannot be cached: neither {_dirs()[0]} nor {_dirs()[1]} is writable; "
            "set TWITCH_TABLE_CACHE_DIR to a writable folder, or panels recompute their tables in "
            "every kernel",
            RuntimeWarning,
            stacklevel=3,
        )
    return None


def disk_cached(fn):
    """Decorator: ``fn``'s result read from, or computed once and written to, the table cache."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if not enabled():
            return fn(*args, **kwargs)
        k = key(fn, args, kwargs)
        found, value = load(k)
        if found:
            stats["hits"] += 1
            return value
        stats["misses"] += 1
        value = fn(*args, **kwargs)
        store(k, value)
        return value

    wrapper.uncached = fn
    return wrapper

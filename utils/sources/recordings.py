"""Real recordings: fetched from upstream, SHA-256-verified, cached, and loaded with units.

Every file is listed in ``data/recordings.csv`` (name, dataset, file, upstream URL, SHA-256, size,
licence, reference keys, description). Nothing is committed: :func:`fetch` downloads a file at
first use with pooch (to a temporary file, hash-checked, then moved into place) and caches it as
``<cache>/<dataset>/<file>``. The cache is ``$TWITCH_DATA_DIR`` if set (read at every call), else
``pooch.os_cache("why-muscles-twitch")``. A cached file with the right hash is used as is: no
network, no lock or temporary files, so a read-only cache works.

Failures are explicit: a wrong hash raises :class:`RecordingCorrupted` (file, expected and actual
hash); no cached copy and no network raises :class:`RecordingUnavailable` (which URL to download by
hand, and exactly where to put it).

Network behaviour (so that a school firewall or a captive portal that accepts connections but
never answers cannot stall a notebook):

* every download uses a connect timeout and a read timeout (between received bytes) of
  :data:`TIMEOUT_S` = 10 s, overridable with the environment variable ``TWITCH_NET_TIMEOUT_S``
  (seconds, read at every download; allowed range (0, 600]);
* name resolution (DNS) is bounded by the same timeout: ``socket.getaddrinfo`` has none of its
  own, so the server's name is resolved first in a worker thread, abandoned at the deadline, and a
  resolver that does not answer within the timeout counts as a network failure;
* after the first network failure (no connection, a timeout) in a session, every later
  download fails at once with the same message, without touching the network, until
  :func:`retry` is called;
* a temporary file that a killed download left in the cache (pooch's ``tmp*`` files next to the
  target) is removed by the next load once it is :data:`STALE_TMP_S` seconds old (younger ones
  may belong to a download running in another kernel). In a notebook, ``data.try_load(data.load_emg, "healthy")``
shows that message and returns None, so the rest of the notebook still runs.

Loaders (plain numpy/pandas, units in names, each with ``citation`` and ``credit``):
:func:`load_emg`, :func:`load_current_clamp`, :func:`load_force`, :func:`load_epp_amplitudes`,
:func:`load_endplate_noise`, :func:`load_channel_open_times`, :func:`load_lab_results`.
"""

from __future__ import annotations

import csv
import hashlib
import inspect
import os
import re
import socket
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
from IPython import get_ipython
from IPython.display import Markdown, display

from ..validation import (
    ParameterError,
    check_callable,
    check_choice,
    check_file,
    check_instance,
    check_names,
    check_range,
)
from . import references
from .ddf import DDFFile, DDFFormatError, read_ddf
from .tables import DATA_DIR

__all__ = [
    "ENV_VAR",
    "TIMEOUT_ENV_VAR",
    "TIMEOUT_S",
    "STALE_TMP_S",
    "retry",
    "RecordingError",
    "RecordingUnavailable",
    "RecordingCorrupted",
    "WFDBFormatError",
    "DDFFormatError",
    "cache_dir",
    "registry",
    "local_path",
    "file_sha256",
    "fetch",
    "fetch_all",
    "credit",
    "citation",
    "unavailable_message",
    "try_load",
    "WFDBHeader",
    "read_wfdb_header",
    "read_wfdb16",
    "EMGRecording",
    "CurrentClampRecording",
    "ForceRecording",
    "LAB_LABELS",
    "EMG_CONDITIONS",
    "ABF_FILES",
    "load_emg",
    "load_current_clamp",
    "load_force",
    "load_epp_amplitudes",
    "load_endplate_noise",
    "load_channel_open_times",
    "load_lab_results",
]

ENV_VAR = "TWITCH_DATA_DIR"
#: Environment variable that overrides the network timeout, in seconds.
TIMEOUT_ENV_VAR = "TWITCH_NET_TIMEOUT_S"
#: Connect and read timeout of a download, s (design choice: a working connection answers in well
#: under a second; 10 s keeps a notebook moving on a network that never answers).
TIMEOUT_S = 10.0
#: A temporary download file older than this (s since its last write) is a leftover of a killed
#: download and is removed at the next load.
STALE_TMP_S = 120.0
_TMP_NAME = re.compile(r"tmp[A-Za-z0-9_]{6,}")
APP_NAME = "why-muscles-twitch"
REGISTRY_FILE = DATA_DIR / "recordings.csv"


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


class RecordingError(RuntimeError):
    """A recording could not be provided (base class; :func:`try_load` catches it)."""


class RecordingUnavailable(RecordingError):
    """Not in the cache and could not be downloaded. ``entries``: one dict per missing file
    (name, url, path, sha256, size_bytes); ``reason``: why the download failed."""

    def __init__(self, entries: list[dict], reason: str):
        self.entries = entries
        self.reason = reason
        lines = [
            f"Recording{'s' if len(entries) > 1 else ''} "
            f"{', '.join(repr(e['name']) for e in entries)} not available: not in the data "
            f"cache, and the download failed: {reason}."
        ]
        for e in entries:
            lines.append(
                f"Download by hand:\n  {e['url']}\nand save it unchanged as\n"
                f"  {e['path']}\n(expected {e['size_bytes']} bytes, SHA-256 "
                f"{e['sha256']})."
            )
        lines.append(
            f"Or set the environment variable {ENV_VAR} to a folder laid out as "
            "<dataset>/<file> that holds these files."
        )
        super().__init__("\n".join(lines))


class RecordingCorrupted(RecordingError):
    """A file's SHA-256 differs from the registry's; the file was not used (or not saved)."""

    def __init__(self, name: str, path: Path, expected: str, actual: str, url: str, downloaded: bool):
        self.name, self.path, self.url = name, Path(path), url
        self.expected, self.actual, self.downloaded = expected, actual, downloaded
        if downloaded:
            what = (
                f"The file downloaded from {url} for {name!r} has SHA-256 {actual}, but "
                f"expected {expected}. It was deleted; nothing was saved to {path}. The "
                "upstream file may have changed or the download was damaged."
            )
        else:
            what = (
                f"The cached file {path} ({name!r}) has SHA-256 {actual}, but expected "
                f"{expected}; it was not used. Delete it and run again to download a fresh "
                f"copy, or download it by hand from {url}."
            )
        super().__init__(f"SHA-256 mismatch: {what}")


class WFDBFormatError(ValueError):
    """A WFDB header or signal file is not what this reader supports (message says why)."""


# --------------------------------------------------------------------------------------------
# Registry, cache, fetch
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _registry_rows() -> tuple:
    with open(REGISTRY_FILE, newline="", encoding="utf-8") as fh:
        rows = tuple(dict(r) for r in csv.DictReader(fh))
    for r in rows:
        r["size_bytes"] = int(r["size_bytes"])
        r["sha256"] = r["sha256"].lower()
    return rows


def _by_name() -> dict:
    return {r["name"]: r for r in _registry_rows()}


def registry() -> pd.DataFrame:
    """The registry ``data/recordings.csv`` as a DataFrame (one row per upstream file)."""
    return pd.DataFrame(list(_registry_rows()))


def _entry(name: str) -> dict:
    rows = _by_name()
    check_choice(name, "name", sorted(rows), what="recording name in data/recordings.csv")
    return rows[name]


def cache_dir() -> Path:
    """The data cache folder: ``$TWITCH_DATA_DIR`` if set (read now), else pooch's per-user
    cache ``pooch.os_cache("why-muscles-twitch")``."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    import pooch  # noqa: PLC0415 (deferred: only needed to download)

    return Path(pooch.os_cache(APP_NAME))


def local_path(name: str) -> Path:
    """Where recording ``name`` is (or will be) cached: ``<cache>/<dataset>/<file>``."""
    e = _entry(name)
    return cache_dir() / e["dataset"] / e["file"]


_HASH_MEMO: dict = {}


def _stamp(path: Path) -> tuple:
    st = path.stat()
    return (str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ino)


def file_sha256(path) -> str:
    """SHA-256 (hex) of a file, remembered per (path, size, mtime) so re-loads do not re-hash."""
    p = check_file(path, "path")
    key = _stamp(p)
    if key not in _HASH_MEMO:
        h = hashlib.sha256()
        with open(p, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        _HASH_MEMO[key] = h.hexdigest()
    return _HASH_MEMO[key]


def timeout_s() -> float:
    """The network timeout now, s: ``$TWITCH_NET_TIMEOUT_S`` if set, else :data:`TIMEOUT_S`."""
    env = os.environ.get(TIMEOUT_ENV_VAR, "").strip()
    if not env:
        return TIMEOUT_S
    try:
        value = float(env)
    except ValueError:
        value = env
    return check_range(value, TIMEOUT_ENV_VAR, "s", lo=0.0, hi=600.0, lo_open=True, what="network timeout")


def _resolve_host(host: str, port: int, timeout: float) -> list:
    """``socket.getaddrinfo(host, port)`` within ``timeout`` seconds.

    The standard resolver has no timeout (a school's DNS that never answers would stall a
    download for minutes before the connect timeout even starts), so it runs in a daemon worker
    thread that is abandoned at the deadline. Raises ``TimeoutError`` when the resolver has not
    answered in time and ``OSError`` (``socket.gaierror``) when it fails; both count as a network
    failure (see :func:`retry`).
    """
    box: list = []

    def work():
        try:
            box.append(socket.getaddrinfo(host, int(port), type=socket.SOCK_STREAM))
        except BaseException as err:  # handed back to the caller below
            box.append(err)

    worker = threading.Thread(target=work, name=f"resolve {host}", daemon=True)
    worker.start()
    worker.join(timeout)
    if not box:
        raise TimeoutError(f"name resolution of {host} timed out after {timeout:g} s")
    if isinstance(box[0], BaseException):
        raise box[0]
    return box[0]


class _BoundedDownloader:
    """pooch's HTTP downloader with the server's name resolved first, within the timeout."""

    def __init__(self, timeout: float):
        import pooch  # noqa: PLC0415 (deferred: only needed to download)

        self.timeout = timeout
        self.http = pooch.HTTPDownloader(progressbar=False, timeout=(timeout, timeout))

    def __call__(self, url, output_file, pooch, check_only=False):
        parts = urlsplit(url)
        if parts.hostname:
            try:
                _resolve_host(
                    parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), self.timeout
                )
            except TimeoutError:
                raise
            except OSError as err:  # the resolver refused (no network, unknown name): no connection
                raise ConnectionError(f"name resolution of {parts.hostname} failed: {err}") from err
        return self.http(url, output_file, pooch, check_only=check_only)


def _downloader():
    """The downloader used for first-time downloads (tests replace this): pooch's HTTP
    downloader with a connect and read timeout, after a name resolution bounded by the same."""
    return _BoundedDownloader(timeout_s())


#: Why the network failed earlier in this session (None: not failed, or :func:`retry` called).
_NETWORK_DOWN: list = []


def retry() -> None:
    """Forget an earlier network failure: the next load that needs a download tries again."""
    _NETWORK_DOWN.clear()


def _is_network_failure(err: BaseException) -> bool:
    kinds = {"ConnectionError", "Timeout", "ConnectTimeout", "ReadTimeout", "ProxyError", "SSLError"}
    chain = [err, err.__cause__, err.__context__]
    return any(
        e is not None
        and (type(e).__name__ in kinds or isinstance(e, (ConnectionError, TimeoutError, socket.gaierror)))
        and type(e).__name__ != "HTTPError"  # the server answered (404, 500): the network works
        for e in chain
    )


def _clean_stale_tmp(folder: Path) -> None:
    """Remove leftovers of killed downloads (``tmp*`` files older than STALE_TMP_S) in ``folder``."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    known = {r["file"] for r in _registry_rows()}
    now = time.time()
    for d in entries:
        try:
            if (
                _TMP_NAME.fullmatch(d.name)
                and d.name not in known
                and d.is_file(follow_symlinks=False)
                and now - d.stat(follow_symlinks=False).st_mtime > STALE_TMP_S
            ):
                os.unlink(d.path)
        except OSError:  # read-only cache, or another process removed it first
            pass


def _missing(e: dict, path: Path) -> dict:
    return {
        "name": e["name"],
        "url": e["url"],
        "path": str(path),
        "sha256": e["sha256"],
        "size_bytes": e["size_bytes"],
    }


def _fetch(name: str) -> Path:
    e = _entry(name)
    target = cache_dir() / e["dataset"] / e["file"]
    _clean_stale_tmp(target.parent)
    if target.is_file():
        try:
            actual = file_sha256(target)
        except OSError as err:
            raise RecordingUnavailable([_missing(e, target)], f"cached copy unreadable: {err}") from err
        if actual != e["sha256"]:
            raise RecordingCorrupted(name, target, e["sha256"], actual, e["url"], False)
        return target
    created = [d for d in (target.parent, *target.parent.parents) if not d.exists()]
    try:
        return Path(_download(e, target))
    except BaseException:
        _remove_empty(created)  # a failed download leaves no files and no new folders
        raise


def _remove_empty(folders) -> None:
    for d in folders:  # deepest first
        try:
            d.rmdir()
        except OSError:
            pass


def _reason(err: BaseException) -> str:
    """Short, plain reason for a failed download."""
    kind = type(err).__name__
    if type(err) in (TimeoutError, ConnectionError) and str(err):  # the bounded name resolution
        return f"no network connection ({err})"
    if kind in ("ConnectionError", "Timeout", "ConnectTimeout", "ReadTimeout") or isinstance(
        err, (ConnectionError, TimeoutError)
    ):
        return f"no network connection ({kind})"
    if isinstance(err, PermissionError):
        return f"cannot write to the cache folder: {err}"
    return f"{kind}: {err}"


def _download(e: dict, target: Path) -> str:
    """pooch: download to a temporary file next to ``target``, check SHA-256, then move."""
    import pooch  # noqa: PLC0415 (deferred: only needed to download)

    if _NETWORK_DOWN:
        raise RecordingUnavailable(
            [_missing(e, target)],
            f"{_NETWORK_DOWN[0]}; an earlier download in this session failed, so the network is "
            "not tried again (run utils.recordings.retry() to try again)",
        )
    try:
        return pooch.retrieve(
            url=e["url"],
            known_hash=f"sha256:{e['sha256']}",
            fname=target.name,
            path=target.parent,
            downloader=_downloader(),
            progressbar=False,
        )
    except ValueError as err:
        m = re.search(r"expected (?:sha256:)?([0-9a-fA-F]{64}) but got ([0-9a-fA-F]{64})", str(err))
        if m:  # pooch has already deleted its temporary file; nothing reached `target`
            raise RecordingCorrupted(
                e["name"], target, e["sha256"], m.group(2).lower(), e["url"], True
            ) from err
        raise RecordingUnavailable([_missing(e, target)], _reason(err)) from err
    except Exception as err:  # no network, HTTP error, unwritable cache folder, ...
        reason = _reason(err)
        if _is_network_failure(err) and not _NETWORK_DOWN:
            _NETWORK_DOWN.append(reason)
        raise RecordingUnavailable([_missing(e, target)], reason) from err


def fetch(name: str) -> Path:
    """Path of the verified local copy of recording ``name`` (downloading it first if needed).

    Raises :class:`RecordingCorrupted` on a hash mismatch and :class:`RecordingUnavailable` if
    the file is neither cached nor downloadable.
    """
    return _fetch(name)


def fetch_all(names) -> list[Path]:
    """:func:`fetch` several files; all that are unavailable are named in ONE
    :class:`RecordingUnavailable` (a hash mismatch is raised at once)."""
    names = check_names(names, "names", sorted(_by_name()), what="recording names in data/recordings.csv")
    paths, missing, reasons = [], [], []
    for n in names:
        try:
            paths.append(_fetch(n))
        except RecordingUnavailable as err:
            missing.extend(err.entries)
            reasons.append(err.reason)
    if missing:
        raise RecordingUnavailable(missing, reasons[0])
    return paths


# --------------------------------------------------------------------------------------------
# Credit, citation, notebook helpers
# --------------------------------------------------------------------------------------------


def _rows_for(name: str) -> list[dict]:
    rows = [r for r in _registry_rows() if isinstance(name, str) and name in (r["name"], r["dataset"])]
    if not rows:
        choices = sorted({r["name"] for r in _registry_rows()} | {r["dataset"] for r in _registry_rows()})
        check_choice(name, "name", choices, what="recording or dataset name")
    return rows


def _ref_keys(rows) -> list[str]:
    keys = []
    for r in rows:
        for k in r["reference"].split(";"):
            k = k.strip()
            if k and k not in keys:
                keys.append(k)
    return keys


def credit(name: str) -> str:
    """Short credit line for a figure caption, e.g. ``'Data: PhysioNet Examples of
    Electromyograms v1.0.0 (PhysioNet 2009; Goldberger et al. 2000), licence ODC-By-1.0.'``

    ``name`` is a registry name (``'emg_healthy'``) or a dataset (``'emgdb'``).
    """
    rows = _rows_for(name)
    r = rows[0]
    cites = "; ".join(references.cite(k) for k in _ref_keys(rows))
    return f"Data: {r['dataset_title']} ({cites}), licence {r['licence']}."


def citation(name: str) -> str:
    """Full citations (Markdown, one per line) for a registry name or dataset."""
    return "\n".join(references.full(k) for k in _ref_keys(_rows_for(name)))


def unavailable_message(exc: BaseException) -> str:
    """Markdown text explaining a failed load (what to download, where to put it)."""
    if isinstance(exc, RecordingUnavailable):
        parts = [
            f"**Recording not available**: not in the data cache, and the download "
            f"failed ({exc.reason}). This cell needs it; the rest of the notebook still "
            "runs. To use it offline, download by hand:"
        ]
        for e in exc.entries:
            parts.append(
                f"- <{e['url']}>  \n  save unchanged as `{e['path']}`  \n"
                f"  ({e['size_bytes']} bytes, SHA-256 `{e['sha256']}`)"
            )
        parts.append(f"or set `{ENV_VAR}` to a folder laid out as `<dataset>/<file>` holding these files.")
        return "\n".join(parts)
    if isinstance(exc, RecordingCorrupted):
        return f"**Recording rejected**: {exc}".replace(exc.expected, f"`{exc.expected}`").replace(
            exc.actual, f"`{exc.actual}`"
        )
    return f"**Could not load the recording**: {exc}"


def _show(markdown: str) -> None:
    try:
        if get_ipython() is not None:
            display(Markdown(markdown))
            return
    except ImportError:
        pass
    print(markdown)


def try_load(loader, *args, **kwargs):
    """Call ``loader(*args, **kwargs)``; if the recording is unavailable or corrupted, show
    :func:`unavailable_message` (Markdown in Jupyter, text otherwise) and return None."""
    check_callable(loader, "loader", "a loader function such as recordings.load_emg")
    try:
        inspect.signature(loader).bind(*args, **kwargs)
    except TypeError as err:
        raise ParameterError(
            f"the arguments do not fit {getattr(loader, '__name__', 'loader')}: {err}."
        ) from None
    except ValueError:  # no signature (a builtin): let the call decide
        pass
    try:
        return loader(*args, **kwargs)
    except RecordingError as exc:
        _show(unavailable_message(exc))
        return None


# --------------------------------------------------------------------------------------------
# WFDB format 16 (needle EMG)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WFDBHeader:
    """One-signal WFDB header (``.hea``). Physical value = (digital - baseline_adu) / gain.

    Record line: ``<record> <n_signals> <fs_Hz> <n_samples>``.
    Signal line: ``<file> <format> <gain>[(<baseline>)]/<units> <adc_bits> <adc_zero>
    <initial_value> <checksum> <block_size> <description>``; ``#`` lines are comments.
    """

    record_name: str
    n_signals: int
    fs_Hz: float
    n_samples: int
    file_name: str
    fmt: str
    gain_adu_per_unit: float
    baseline_adu: int
    units: str
    adc_resolution_bits: int
    adc_zero_adu: int
    initial_value_adu: int
    checksum: int
    block_size: int
    description: str
    comments: tuple


_UNIT_TO_MV = {"mv": 1.0, "uv": 1e-3, "µv": 1e-3, "v": 1e3}


def read_wfdb_header(path) -> WFDBHeader:
    """Parse a single-signal WFDB header (``.hea``); see :class:`WFDBHeader` for the layout.

    Only what the EMG records need is supported (one signal, one segment, format 16); anything
    else raises :class:`WFDBFormatError` naming the file and the line.
    """
    p = check_file(path, "path", "a WFDB .hea file")
    if p.stat().st_size > 1_000_000:
        raise WFDBFormatError(f"{p.name}: {p.stat().st_size:,} bytes; a WFDB header is a few lines of text")
    try:
        text = p.read_text(encoding="ascii", errors="strict")
    except UnicodeDecodeError as e:
        raise WFDBFormatError(
            f"{p.name}: non-ASCII byte at position {e.start}; a header is plain text"
        ) from None
    lines = [(k + 1, ln.strip()) for k, ln in enumerate(text.splitlines())]
    comments = tuple(ln.lstrip("#").strip() for _, ln in lines if ln.startswith("#"))
    body = [(k, ln) for k, ln in lines if ln and not ln.startswith("#")]
    if len(body) < 2:
        raise WFDBFormatError(
            f"{p.name}: need a record line and a signal line, found {len(body)} non-comment line(s)"
        )
    (k0, rec), (k1, sig) = body[0], body[1]
    t = rec.split()
    if len(t) < 4:
        raise WFDBFormatError(
            f"{p.name}, line {k0}: record line needs '<name> <n_signals> <fs> <n_samples>', got {rec!r}"
        )
    if "/" in t[0]:
        raise WFDBFormatError(f"{p.name}, line {k0}: multi-segment records are not supported")
    try:
        n_sig = int(t[1])
        fs = float(re.match(r"[0-9.eE+-]+", t[2]).group(0))
        n_samp = int(t[3])
    except (ValueError, AttributeError):
        raise WFDBFormatError(
            f"{p.name}, line {k0}: cannot read n_signals/fs/n_samples from {rec!r}"
        ) from None
    if n_sig != 1:
        raise WFDBFormatError(f"{p.name}, line {k0}: {n_sig} signals; this reader supports 1")
    if not (fs > 0 and n_samp > 0):
        raise WFDBFormatError(f"{p.name}, line {k0}: fs and n_samples must be > 0")
    s = sig.split(None, 8)
    if len(s) < 8:
        raise WFDBFormatError(
            f"{p.name}, line {k1}: signal line needs at least 8 fields "
            f"(file format gain adc_bits adc_zero init checksum block), got "
            f"{sig!r}"
        )
    if s[1] != "16":
        raise WFDBFormatError(
            f"{p.name}, line {k1}: format {s[1]!r}; this reader supports format 16 (int16 little-endian) only"
        )
    m = re.fullmatch(r"([0-9.eE+-]+)(?:\(([+-]?\d+)\))?(?:/(\S+))?", s[2])
    if not m:
        raise WFDBFormatError(f"{p.name}, line {k1}: cannot read gain {s[2]!r}")
    try:
        gain = float(m.group(1))
        adc_bits, adc_zero, init, cks, block = (int(x) for x in s[3:8])
    except ValueError:
        raise WFDBFormatError(f"{p.name}, line {k1}: non-integer ADC field in {sig!r}") from None
    if gain == 0:
        gain = 200.0  # WFDB convention: gain 0 means uncalibrated, treated as 200 adu/unit
    baseline = int(m.group(2)) if m.group(2) is not None else adc_zero
    units = m.group(3) or "mV"
    return WFDBHeader(
        record_name=t[0],
        n_signals=n_sig,
        fs_Hz=fs,
        n_samples=n_samp,
        file_name=s[0],
        fmt=s[1],
        gain_adu_per_unit=gain,
        baseline_adu=baseline,
        units=units,
        adc_resolution_bits=adc_bits,
        adc_zero_adu=adc_zero,
        initial_value_adu=init,
        checksum=cks,
        block_size=block,
        description=s[8].strip() if len(s) > 8 else "",
        comments=comments,
    )


def read_wfdb16(header: WFDBHeader, dat_path) -> np.ndarray:
    """Signal in mV from a format-16 ``.dat`` (int16 little-endian, one signal).

    Checks the byte count (2 x n_samples), the first sample against ``initial_value_adu`` and the
    16-bit checksum (sum of samples, wrapped to int16) from the header. WFDB's invalid-sample code
    -32768 becomes NaN. Returns float64 ``(digital - baseline) / gain`` converted to mV.
    """
    check_instance(header, "header", WFDBHeader, "a WFDBHeader from read_wfdb_header()")
    p = check_file(dat_path, "dat_path", "a WFDB .dat file")
    unit_factor = _UNIT_TO_MV.get(header.units.lower())
    if unit_factor is None:
        raise WFDBFormatError(f"{p.name}: units {header.units!r} not convertible to mV")
    raw = p.read_bytes()
    if len(raw) != 2 * header.n_samples:
        raise WFDBFormatError(
            f"{p.name}: {len(raw)} bytes, but the header says "
            f"{header.n_samples} int16 samples = {2 * header.n_samples} bytes"
        )
    d = np.frombuffer(raw, dtype="<i2")
    if int(d[0]) != header.initial_value_adu:
        raise WFDBFormatError(
            f"{p.name}: first sample {int(d[0])} != header initial value {header.initial_value_adu}"
        )
    total = int(d.astype(np.int64).sum())
    cks = (total + 32768) % 65536 - 32768
    if cks != header.checksum:
        raise WFDBFormatError(f"{p.name}: checksum {cks} != header checksum {header.checksum}")
    out = (d.astype(np.float64) - header.baseline_adu) / header.gain_adu_per_unit * unit_factor
    out[d == -32768] = np.nan
    return out


# --------------------------------------------------------------------------------------------
# Loaders
# --------------------------------------------------------------------------------------------


def _meta(name: str) -> dict:
    return {"citation": citation(name), "credit": credit(name)}


@dataclass(frozen=True)
class EMGRecording:
    """Needle EMG: ``signal_mV`` sampled at ``fs_Hz``; ``time_s`` from 0. ``comments`` are the
    header's ``#`` lines (age, sex, diagnosis, electrode, manoeuvre)."""

    name: str
    time_s: np.ndarray
    signal_mV: np.ndarray
    fs_Hz: float
    description: str
    comments: tuple
    header: WFDBHeader
    citation: str
    credit: str

    @property
    def n_samples(self) -> int:
        return int(self.signal_mV.size)

    @property
    def duration_s(self) -> float:
        """Recording length in s (n_samples / fs_Hz)."""
        return self.n_samples / self.fs_Hz


@lru_cache(maxsize=8)
def _parse_emg(hea: str, dat: str, _stamps: tuple):
    h = read_wfdb_header(hea)
    if h.file_name != Path(dat).name:
        raise WFDBFormatError(
            f"{Path(hea).name}: signal file {h.file_name!r} does not match {Path(dat).name!r}"
        )
    return h, read_wfdb16(h, dat)


EMG_CONDITIONS = ("healthy", "myopathy", "neuropathy")


def load_emg(condition: str = "healthy") -> EMGRecording:
    """Needle EMG of tibialis anterior (PhysioNet emgdb): ``'healthy'``, ``'myopathy'`` or
    ``'neuropathy'``. Returns an :class:`EMGRecording` (time in s, signal in mV, 4000 Hz)."""
    check_choice(condition, "condition", EMG_CONDITIONS, what="EMG record")
    name = f"emg_{condition}"
    dat, hea = fetch_all([name, f"{name}_header"])
    h, sig = _parse_emg(str(hea), str(dat), (_stamp(hea), _stamp(dat)))
    sig = sig.copy()
    return EMGRecording(
        name=name,
        time_s=np.arange(sig.size) / h.fs_Hz,
        signal_mV=sig,
        fs_Hz=h.fs_Hz,
        description=h.description,
        comments=h.comments,
        header=h,
        **_meta(name),
    )


@dataclass(frozen=True)
class CurrentClampRecording:
    """Whole-cell current clamp, all sweeps: ``v_mV`` and ``i_pA`` have shape
    (n_sweeps, n_samples); ``time_s`` (n_samples,) is the time within a sweep. ``i_pA`` is the
    command current from the protocol's epoch table (what the amplifier was told to inject)."""

    name: str
    time_s: np.ndarray
    v_mV: np.ndarray
    i_pA: np.ndarray
    fs_Hz: float
    protocol: str
    recorded: str
    citation: str
    credit: str

    @property
    def n_sweeps(self) -> int:
        return int(self.v_mV.shape[0])

    @property
    def sweep_duration_s(self) -> float:
        return self.time_s.size / self.fs_Hz

    def sweep(self, i: int):
        """``(time_s, v_mV, i_pA)`` of sweep ``i`` (0-based)."""
        return self.time_s, self.v_mV[i], self.i_pA[i]


ABF_FILES = ("171116sh_0019", "17o05028_ic_steps")


@lru_cache(maxsize=4)
def _parse_abf(path: str, _stamp_: tuple):
    import pyabf  # noqa: PLC0415 (deferred: only needed to parse ABF files)

    abf = pyabf.ABF(path)
    if abf.sweepUnitsY != "mV" or abf.sweepUnitsC != "pA":
        raise ValueError(
            f"{Path(path).name}: expected a current-clamp file (mV, pA), got "
            f"{abf.sweepUnitsY}, {abf.sweepUnitsC}"
        )
    v, i = [], []
    for s in abf.sweepList:
        abf.setSweep(s)
        v.append(np.array(abf.sweepY, dtype=float))
        i.append(np.array(abf.sweepC, dtype=float))
    t = np.arange(len(v[0])) / float(abf.dataRate)
    return (t, np.vstack(v), np.vstack(i), float(abf.dataRate), str(abf.protocol), str(abf.abfDateTime))


def load_current_clamp(name: str = "17o05028_ic_steps") -> CurrentClampRecording:
    """Current-step recording from the pyABF samples: ``'17o05028_ic_steps'`` (16 sweeps,
    -50 to +100 pA) or ``'171116sh_0019'`` (22 sweeps, -100 to +2000 pA). Both 20 kHz, 3 s."""
    key = name[4:] if isinstance(name, str) and name.startswith("abf_") else name
    check_choice(key, "name", ABF_FILES, what="ABF recording")
    reg = f"abf_{key}"
    path = fetch(reg)
    t, v, i, fs, protocol, when = _parse_abf(str(path), _stamp(path))
    return CurrentClampRecording(
        name=reg,
        time_s=t.copy(),
        v_mV=v.copy(),
        i_pA=i.copy(),
        fs_Hz=fs,
        protocol=protocol,
        recorded=when,
        **_meta(reg),
    )


@dataclass(frozen=True)
class ForceRecording:
    """Isometric force (Aurora DMC ``.ddf``): ``force_mN`` (channel AI1), ``length_mm`` (AI0,
    lever position; its zero is arbitrary), ``stimulus`` (digital line, 0/1), at ``fs_Hz``.
    ``protocol`` rows are (wait_s, action, port, parameters) from the file."""

    name: str
    time_s: np.ndarray
    force_mN: np.ndarray
    length_mm: np.ndarray
    stimulus: np.ndarray
    fs_Hz: float
    protocol: tuple
    citation: str
    credit: str

    @property
    def duration_s(self) -> float:
        return self.time_s.size / self.fs_Hz

    @property
    def stimulus_times_s(self) -> np.ndarray:
        """Onset time (s) of each stimulus pulse: rising edges of the stimulus line."""
        s = self.stimulus.astype(np.int8)
        on = np.flatnonzero(np.diff(s) > 0) + 1
        if s.size and s[0] > 0:
            on = np.r_[0, on]
        return self.time_s[on]


@lru_cache(maxsize=4)
def _parse_ddf(path: str, _stamp_: tuple) -> DDFFile:
    return read_ddf(path)


def load_force(kind: str = "twitch") -> ForceRecording:
    """Isometric ``'twitch'`` (one stimulus at 0.1 s) or ``'tetanus'`` (22 stimuli at 275 Hz)
    force recording from workloopR, scaled with the file's own calibration (10 kHz)."""
    check_choice(kind, "kind", ("twitch", "tetanus"), what="force recording")
    path = fetch(kind)
    d = _parse_ddf(str(path), _stamp(path))
    for ch, unit in (("AI1", "mN"), ("AI0", "mm")):
        if d.units.get(ch) != unit:
            raise DDFFormatError(
                d.source, 8, f"channel {ch} should be in {unit}, the file says {d.units.get(ch)!r}"
            )
    return ForceRecording(
        name=kind,
        time_s=d.time_s,
        force_mN=d.channel("AI1"),
        length_mm=d.channel("AI0"),
        stimulus=d.stim.copy(),
        fs_Hz=d.fs_Hz,
        protocol=d.protocol,
        **_meta(kind),
    )


def _two_columns(path: Path) -> np.ndarray:
    arr = np.loadtxt(path, delimiter=",", comments="#", ndmin=2)
    if arr.shape[1] != 2 or arr.shape[0] == 0:
        raise ValueError(f"{path.name}: expected two comma-separated columns, got shape {arr.shape}")
    return arr


@lru_cache(maxsize=8)
def _parse_csv2(path: str, _stamp_: tuple) -> np.ndarray:
    return _two_columns(Path(path))


def _csv2(name: str) -> np.ndarray:
    path = fetch(name)
    return _parse_csv2(str(path), _stamp(path)).copy()


def _with_meta(df: pd.DataFrame, name: str) -> pd.DataFrame:
    df.attrs.update(name=name, **_meta(name))
    return df


def load_epp_amplitudes() -> pd.DataFrame:
    """Boyd & Martin (1956) end-plate potential amplitudes in raised Mg²⁺, as a histogram:
    columns ``amplitude_mV`` (bin centre, bins 0.101 mV wide) and ``n_trials``. The 0 mV bin
    holds the failures (no response). Citation/credit in ``df.attrs``."""
    a = _csv2("epp_amplitudes")
    df = pd.DataFrame({"amplitude_mV": a[:, 0], "n_trials": a[:, 1].astype(np.int64)})
    return _with_meta(df, "epp_amplitudes")


def epp_histogram() -> tuple[np.ndarray, np.ndarray]:
    """The Boyd & Martin histogram as the two arrays the models take: bin centres (mV) and
    trial counts (:func:`load_epp_amplitudes`)."""
    df = load_epp_amplitudes()
    return df["amplitude_mV"].to_numpy(), df["n_trials"].to_numpy()


def load_endplate_noise(state: str = "resting") -> pd.DataFrame:
    """Katz & Miledi (1972) frog end-plate membrane potential, digitised from their Fig. 1:
    ``'resting'`` or ``'exposed'`` (to acetylcholine: end-plate noise). Columns ``time_s`` and
    ``v_mV``. The file stores |Vm|; ``v_mV`` is the signed (negative) membrane potential. The
    samples are digitised points, not evenly spaced."""
    check_choice(state, "state", ("resting", "exposed"), what="end-plate condition")
    name = f"katz_miledi_{state}"
    a = _csv2(name)
    df = pd.DataFrame({"time_s": a[:, 0] / 1e3, "v_mV": -np.abs(a[:, 1])})
    return _with_meta(df, name)


def load_channel_open_times() -> pd.DataFrame:
    """Colquhoun & Hawkes (1995) acetylcholine-receptor channel open times, as a histogram:
    ``bin_start_ms``, ``bin_end_ms`` (0.5 ms bins) and ``n_closings`` (channels that closed in
    the bin, i.e. whose opening lasted that long). The first bin (0-0.5 ms) is absent upstream."""
    a = _csv2("channel_open_times")
    df = pd.DataFrame(
        {"bin_start_ms": a[:, 0], "bin_end_ms": a[:, 0] + 0.5, "n_closings": a[:, 1].astype(np.int64)}
    )
    return _with_meta(df, "channel_open_times")


# MIMIC-IV demo laboratory results --------------------------------------------------------------

# d_labitems label (fluid == "Blood") -> analyte. Exact labels pick the main-laboratory serum
# chemistry tests (50983 sodium, 50971 potassium, 50902 chloride, 50893 total calcium,
# 50960 magnesium; plus newer itemids with the same label, which have no rows in the demo).
# "Free Calcium" (ionised) is measured on the blood-gas analyser (50808, mmol/L). Excluded on
# purpose: "Sodium/Potassium/Chloride, Whole Blood" (blood-gas analyser, a second method for the
# same ions) and non-blood fluids (urine, CSF, pleural, ...).
LAB_LABELS = {
    "Sodium": "sodium",
    "Potassium": "potassium",
    "Chloride": "chloride",
    "Calcium, Total": "calcium_total",
    "Free Calcium": "calcium_free",
    "Magnesium": "magnesium",
}

_LAB_COLUMNS = [
    "subject_id",
    "hadm_id",
    "specimen_id",
    "itemid",
    "charttime",
    "valuenum",
    "valueuom",
    "ref_range_lower",
    "ref_range_upper",
    "flag",
    "priority",
]


@lru_cache(maxsize=2)
def _parse_labs(labevents: str, d_labitems: str, _stamps: tuple) -> pd.DataFrame:
    items = pd.read_csv(d_labitems)
    items = items[(items["fluid"] == "Blood") & items["label"].isin(list(LAB_LABELS))]
    found = set(items["label"])
    if found != set(LAB_LABELS):
        raise ValueError(f"{Path(d_labitems).name}: no blood item labelled {sorted(set(LAB_LABELS) - found)}")
    le = pd.read_csv(labevents, usecols=_LAB_COLUMNS)
    df = le[le["itemid"].isin(items["itemid"])].merge(
        items[["itemid", "label", "category"]], on="itemid", how="left"
    )
    n_non_numeric = int(df["valuenum"].isna().sum())
    df = df[df["valuenum"].notna()]
    out = (
        pd.DataFrame(
            {
                "subject_id": df["subject_id"].astype(np.int64),
                "hadm_id": df["hadm_id"].astype("Int64"),
                "specimen_id": df["specimen_id"].astype(np.int64),
                "charttime": pd.to_datetime(df["charttime"], format="%Y-%m-%d %H:%M:%S"),
                "analyte": df["label"].map(LAB_LABELS),
                "itemid": df["itemid"].astype(np.int64),
                "label": df["label"],
                "value": df["valuenum"].astype(float),
                "unit": df["valueuom"],
                "ref_range_lower": df["ref_range_lower"].astype(float),
                "ref_range_upper": df["ref_range_upper"].astype(float),
                "flag": df["flag"],
                "priority": df["priority"],
            }
        )
        .sort_values(["subject_id", "charttime", "analyte"], kind="stable")
        .reset_index(drop=True)
    )
    out.attrs["dropped_non_numeric"] = n_non_numeric
    return out


def load_lab_results(analytes=None) -> pd.DataFrame:
    """Blood electrolyte results of the 100 MIMIC-IV demo patients, one row per result.

    Columns: subject_id, hadm_id (may be NA), specimen_id, charttime, analyte (``sodium``,
    ``potassium``, ``chloride``, ``calcium_total``, ``calcium_free``, ``magnesium``), itemid,
    label, value, unit (as reported: mEq/L for Na/K/Cl, mg/dL for total Ca and Mg, mmol/L for
    free Ca), ref_range_lower/upper (the hospital laboratory's own range, same unit), flag
    (``'abnormal'`` or NA), priority. Rows without a numeric value are dropped (count in
    ``df.attrs['dropped_non_numeric']``). Kept in memory only; never write extracts to the
    project (ODbL). ``analytes``: optional subset of the names above.
    """
    all_analytes = tuple(LAB_LABELS.values())
    if analytes is not None:
        analytes = check_names(analytes, "analytes", all_analytes, what="blood electrolyte")
    lab, items = fetch_all(["mimic_labevents", "mimic_d_labitems"])
    df = _parse_labs(str(lab), str(items), (_stamp(lab), _stamp(items)))
    dropped = df.attrs.get("dropped_non_numeric", 0)
    if analytes is not None:
        df = df[df["analyte"].isin(analytes)].reset_index(drop=True)
    df = df.copy()
    df.attrs = {"dropped_non_numeric": dropped}
    return _with_meta(df, "mimic-iv-demo")

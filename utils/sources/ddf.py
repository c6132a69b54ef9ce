"""Reader for Aurora Scientific DMC data files (``.ddf``): isometric twitch and tetanus force.

There is no Python reader for this format, so this is a small, strict one, written from the two
files the course uses (``workloopR/twitch.ddf``, ``workloopR/tetanus.ddf``; DMC v5.3) and from the
R reader ``workloopR::read_ddf`` (Baliga & Senthivasan 2019). A ``.ddf`` is plain text:

1. ``DMCv5.3 Data File`` (first line must contain ``DMC`` and ``Data File``).
2. ``Key: value`` lines; ``Sample Frequency (Hz): 10000`` is required.
3. ``Calibration Data:`` then tab-separated rows ``Channel``, ``Units``, ``Scale (units/V)``,
   ``Offset (volts)`` (and ``TADs``), one column per channel (AI0..AI7, AO0, AO1).
4. ``Test Comments:`` then free text, up to ``Protocol Array:``.
5. ``Protocol Array:``, one blank line, then rows ``wait_s<TAB>action<TAB>port<TAB>parameters``
   up to a blank line (e.g. ``0.000000  Stimulus-Tetanus  Stimulator  .1,275,.2, .081`` and
   ``0.750000  Stop``).
6. ``Test Data in Volts:``, one blank line, a column header ``Sample AI0 ... AO1 Stim`` and one
   tab-separated row per sample: the sample index (0, 1, 2, ...), each channel in volts, and the
   digital stimulus line (0/1).

A channel in physical units is ``(volts + offset_V) * scale_units_per_V`` (as ``workloopR``).
The DMC software writes one extra all-zero row whose index equals the protocol's stop time times
the sample rate (sample 4000 of a 0.4 s twitch at 10 kHz); it is not a measurement and is dropped.
Anything else that does not fit this layout is refused with :class:`DDFFormatError`, whose message
names the file and the 1-based line number. In particular every number (sample rate, calibration,
protocol times, data) must be a plain finite decimal within the bounds below (no ``nan``,
``inf``, ``1_000``), the protocol must have a ``Stop`` row (it is what proves the data complete),
and a file larger than :data:`MAX_BYTES` is refused before it is read. No other exception
escapes :func:`parse_ddf` or :func:`read_ddf` for any text or bytes (an unreadable file raises
``OSError``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from ..validation import check_file

__all__ = ["DDFFormatError", "DDFFile", "read_ddf", "parse_ddf", "MAX_BYTES"]

#: Largest file accepted, bytes (the course's files are 0.4 and 0.75 MB). A design choice.
MAX_BYTES = 50_000_000
#: Bounds of the numbers in a file (design choices, far outside any real DMC file): a sample
#: rate up to 10 MHz, protocol times up to a day, and calibration and data magnitudes that keep
#: ``(volts + offset) * scale`` far from overflow.
FS_MAX_HZ = 1e7
WAIT_MAX_S = 86_400.0
SCALE_MAX = 1e12
OFFSET_MAX_V = 1e6
VOLTS_MAX = 1e6
_PLAIN_NUMBER = re.compile(r"\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*")


class DDFFormatError(ValueError):
    """A ``.ddf`` file does not have the expected layout (the message names the line)."""

    def __init__(self, source: str, line_no: int, problem: str):
        self.source = source
        self.line_no = line_no
        self.problem = problem
        super().__init__(f"{source}, line {line_no}: {problem}")


@dataclass(frozen=True)
class DDFFile:
    """One parsed ``.ddf`` file; data columns are raw volts, as stored in the file.

    ``volts`` has shape (n_samples, n_channels) in the order of ``channels``; ``stim`` is the
    digital stimulus line (0/1) per sample; ``sample`` the sample index (0, 1, ...).
    """

    source: str
    fs_Hz: float
    header: dict
    channels: tuple
    units: dict
    scale_units_per_V: dict
    offset_V: dict
    comments: str
    protocol: tuple  # of (wait_s: float, action: str, port: str, parameters: str)
    sample: np.ndarray
    volts: np.ndarray
    stim: np.ndarray

    @property
    def n_samples(self) -> int:
        """Number of samples (rows of data)."""
        return int(self.sample.size)

    @property
    def time_s(self) -> np.ndarray:
        """Time of each sample in s: sample index / sample rate (first sample at 0 s)."""
        return self.sample / self.fs_Hz

    def channel(self, name: str) -> np.ndarray:
        """Channel ``name`` (e.g. ``'AI1'``) in its physical unit ``units[name]``:
        ``(volts + offset_V) * scale_units_per_V``."""
        if name not in self.channels:
            raise KeyError(f"{self.source}: no channel {name!r}; channels are {', '.join(self.channels)}")
        j = self.channels.index(name)
        return (self.volts[:, j] + self.offset_V[name]) * self.scale_units_per_V[name]

    def protocol_action(self, prefix: str):
        """First protocol row whose action starts with ``prefix`` (or None)."""
        for row in self.protocol:
            if row[1].startswith(prefix):
                return row
        return None


_CAL_ROWS = {"Channel": "channel", "Units": "units", "Scale (units/V)": "scale", "Offset (volts)": "offset"}


def _float(text: str, source: str, line_no: int, what: str, bound: float = math.inf) -> float:
    """A plain finite decimal with |value| ≤ ``bound``, or DDFFormatError naming the line."""
    shown = text.strip()[:40]
    if not _PLAIN_NUMBER.fullmatch(text):
        raise DDFFormatError(source, line_no, f"{what} {shown!r} is not a number (a plain decimal is needed)")
    v = float(text)
    if not math.isfinite(v) or abs(v) > bound:
        raise DDFFormatError(source, line_no, f"{what} {shown!r} is outside the allowed range ±{bound:g}")
    return v


def parse_ddf(text: str, source: str = "<ddf>") -> DDFFile:
    """Parse the text of a ``.ddf`` file (layout in the module docstring).

    ``source`` (usually the file name) is used in error messages.
    """
    if not isinstance(source, str):
        source = "<ddf>"  # only used in messages
    if not isinstance(text, str):
        raise DDFFormatError(source, 1, f"expected the file's text (str), got {type(text).__name__}")
    lines = text.splitlines()
    n = len(lines)
    if n == 0 or not re.search(r"DMC.*Data File", lines[0]):
        raise DDFFormatError(
            source, 1, "not a DMC data file (first line should read 'DMCv5.3 Data File' or similar)"
        )

    def find(label: str, start: int) -> int:
        for k in range(start, n):
            if lines[k].strip().startswith(label):
                return k
        raise DDFFormatError(
            source, n, f"file ends before the {label!r} section (truncated or not a DMC data file)"
        )

    # 2. key: value header
    i_cal = find("Calibration Data", 1)
    header = {}
    for k in range(1, i_cal):
        if ":" in lines[k]:
            key, _, val = lines[k].partition(":")
            header[key.strip()] = val.strip()
    if "Sample Frequency (Hz)" not in header:
        raise DDFFormatError(
            source, i_cal + 1, "no 'Sample Frequency (Hz): ...' line before 'Calibration Data:'"
        )
    k_fs = next(k for k in range(1, i_cal) if lines[k].partition(":")[0].strip() == "Sample Frequency (Hz)")
    fs = _float(header["Sample Frequency (Hz)"], source, k_fs + 1, "sample frequency", FS_MAX_HZ)
    if not fs > 0:
        raise DDFFormatError(source, k_fs + 1, f"sample frequency must be > 0 Hz, got {fs:g}")

    # 3. calibration table
    i_com = find("Test Comments", i_cal + 1)
    cal = {}
    for k in range(i_cal + 1, i_com):
        fields = lines[k].split("\t")
        if fields[0] in _CAL_ROWS:
            cal[_CAL_ROWS[fields[0]]] = (k, [f.strip() for f in fields[1:]])
    for row_label, key in _CAL_ROWS.items():
        if key not in cal:
            raise DDFFormatError(source, i_com + 1, f"calibration table has no {row_label!r} row")
    k_ch, channels = cal["channel"]
    while channels and channels[-1] == "":
        channels.pop()
    if not channels or len(set(channels)) != len(channels) or "" in channels:
        raise DDFFormatError(source, k_ch + 1, "calibration 'Channel' row must list distinct channel names")
    nch = len(channels)
    per = {}
    for key in ("units", "scale", "offset"):
        k, vals = cal[key]
        vals = vals + [""] * (nch - len(vals)) if key == "units" else vals
        if len(vals) < nch:
            raise DDFFormatError(source, k + 1, f"calibration row has {len(vals)} values for {nch} channels")
        per[key] = vals[:nch]
    scale = {
        c: _float(v, source, cal["scale"][0] + 1, f"scale of {c}", SCALE_MAX)
        for c, v in zip(channels, per["scale"])
    }
    offset = {
        c: _float(v, source, cal["offset"][0] + 1, f"offset of {c}", OFFSET_MAX_V)
        for c, v in zip(channels, per["offset"])
    }
    units = dict(zip(channels, per["units"]))

    # 4. comments, 5. protocol
    i_prot = find("Protocol Array", i_com + 1)
    comments = "\n".join(lines[i_com + 1 : i_prot]).strip()
    protocol = []
    k = i_prot + 1
    while k < n and lines[k].strip() == "":
        k += 1
    while k < n and lines[k].strip() != "":
        f = lines[k].split("\t")
        if len(f) < 2:
            raise DDFFormatError(source, k + 1, "protocol row needs 'wait_s<TAB>action<TAB>...'")
        wait = _float(f[0], source, k + 1, "protocol wait time", WAIT_MAX_S)
        if wait < 0:
            raise DDFFormatError(source, k + 1, f"protocol wait time {wait:g} s is negative")
        f = f + [""] * (4 - len(f))
        protocol.append((wait, f[1].strip(), f[2].strip(), f[3].strip()))
        k += 1

    # 6. data
    i_data = find("Test Data in Volts", k)
    k = i_data + 1
    while k < n and lines[k].strip() == "":
        k += 1
    if k >= n:
        raise DDFFormatError(source, n, "file ends before the data column header (truncated)")
    cols = lines[k].rstrip("\n").split("\t")
    expected_cols = ["Sample", *channels, "Stim"]
    if [c.strip() for c in cols] != expected_cols:
        raise DDFFormatError(
            source, k + 1, f"data column header should be {' '.join(expected_cols)!r}, got {' '.join(cols)!r}"
        )
    first = k + 1
    rows = [ln for ln in lines[first:]]
    while rows and rows[-1].strip() == "":
        rows.pop()
    if not rows:
        raise DDFFormatError(source, first, "no data rows after the column header (truncated)")
    ncol = len(expected_cols)
    data = np.empty((len(rows), ncol))
    for r, ln in enumerate(rows):
        fields = ln.split("\t")
        if len(fields) != ncol:
            raise DDFFormatError(
                source,
                first + r + 1,
                f"data row has {len(fields)} fields, "
                f"expected {ncol} ({' '.join(expected_cols)}); the file may be "
                "truncated or edited",
            )
        try:
            if "_" in ln:
                raise ValueError
            data[r] = [float(x) for x in fields]
        except ValueError:
            bad = next((x for x in fields if not _is_float(x)), ln)
            raise DDFFormatError(
                source, first + r + 1, f"value {bad[:40]!r} is not a number (a plain decimal is needed)"
            ) from None
        if not np.isfinite(data[r]).all():
            raise DDFFormatError(source, first + r + 1, "data row contains a non-finite value (nan or inf)")
        if np.abs(data[r]).max() > VOLTS_MAX:
            raise DDFFormatError(
                source, first + r + 1, f"data row holds a value beyond ±{VOLTS_MAX:g}; not a DMC recording"
            )
    sample = data[:, 0]
    bad = np.flatnonzero(sample != np.arange(len(rows)))
    if bad.size:
        r = int(bad[0])
        raise DDFFormatError(
            source,
            first + r + 1,
            f"sample index {sample[r]:g} out of sequence (expected {r}); rows are missing or duplicated",
        )
    stim = data[:, -1]
    if not np.isin(stim, (0.0, 1.0)).all():
        r = int(np.flatnonzero(~np.isin(stim, (0.0, 1.0)))[0])
        raise DDFFormatError(source, first + r + 1, f"Stim must be 0 or 1, got {stim[r]:g}")

    # Completeness against the protocol's Stop time (catches truncation at a line boundary).
    stop = next((row for row in protocol if row[1] == "Stop"), None)
    if stop is None:
        raise DDFFormatError(
            source,
            i_prot + 1,
            "the protocol has no 'Stop' row, so the file cannot be checked for completeness "
            "(truncated or edited)",
        )
    n_expected = int(round(stop[0] * fs))
    last_line = first + len(rows)
    if len(rows) == n_expected + 1 and not data[-1, 1:].any():
        data = data[:-1]  # DMC's closing all-zero row, not a sample
    elif len(rows) < n_expected:
        raise DDFFormatError(
            source,
            last_line,
            f"data end after {len(rows)} samples, but "
            f"the protocol stops at {stop[0]:g} s = {n_expected} samples at "
            f"{fs:g} Hz; the file is truncated",
        )
    elif len(rows) > n_expected + 1 or (len(rows) == n_expected + 1 and data[-1, 1:].any()):
        raise DDFFormatError(
            source,
            last_line,
            f"{len(rows)} data rows, but the protocol "
            f"stops at {stop[0]:g} s = {n_expected} samples at {fs:g} Hz",
        )
    return DDFFile(
        source=source,
        fs_Hz=fs,
        header=header,
        channels=tuple(channels),
        units=units,
        scale_units_per_V=scale,
        offset_V=offset,
        comments=comments,
        protocol=tuple(protocol),
        sample=data[:, 0].astype(np.int64),
        volts=np.ascontiguousarray(data[:, 1:-1]),
        stim=data[:, -1].astype(np.int8),
    )


def _is_float(x: str) -> bool:
    return bool(_PLAIN_NUMBER.fullmatch(x))


def read_ddf(path) -> DDFFile:
    """Read and parse a ``.ddf`` file from disk (ASCII text); see :func:`parse_ddf`."""
    p = check_file(path, "path", "a .ddf file")
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise DDFFormatError(p.name, 1, f"the file has {size:,} bytes; at most {MAX_BYTES:,} are accepted")
    raw = p.read_bytes()
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError as e:
        line_no = raw[: e.start].count(b"\n") + 1
        raise DDFFormatError(
            p.name, line_no, f"non-ASCII byte 0x{raw[e.start]:02x}; a .ddf is plain text"
        ) from None
    return parse_ddf(text, source=p.name)

"""A twitch diary: a documented CSV format, a strict and kind parser, and honest summaries.

The file stays in the Python kernel: nothing here opens a network connection or writes a file.

Format (CSV, UTF-8; one row per twitch episode)
-----------------------------------------------
Lines starting with ``#`` are comments (as in the tables of ``data/``, read by
``utils.references.read_table``); blank lines are ignored. The first other line is the header.
Column names are case-insensitive; their order does not matter.

Required columns:

==============  ================================================================================
``date``        the day, written ``YYYY-MM-DD`` (e.g. 2024-03-05); years 1900–2100
``time``        the time of day, 24-hour ``HH:MM`` or ``HH:MM:SS`` (e.g. 07:45)
``location``    where on the body, in your own words (e.g. ``left eyelid``), 1–60 characters
``duration_s``  how long the twitching lasted, seconds, more than 0 and at most 86 400 (a day)
==============  ================================================================================

Optional columns (leave a cell empty when you do not know):

================  ==============================================================================
``caffeine_mg``   caffeine so far that day, mg, 0–2000 (a cup of brewed coffee has very roughly
                  100 mg; only for your own comparison)
``sleep_h``       hours slept the night before, 0–24
``stress``        how stressed you felt, a whole number from 0 (calm) to 10 (worst)
``exercise``      hard exercise that day: yes / no (also y, n, true, false, 1, 0)
``notes``         anything else, up to 300 characters
``source``        where the entry comes from, up to 60 characters (free text; the invented
                  sample uses its reference key, ``sample_diary_invented``, so that every
                  table in ``data/`` names its source)
================  ==============================================================================

Other columns are ignored, and the parser says so.

Rules (strict, but every decision is reported — nothing is dropped silently):

* the whole file: at most :data:`MAX_BYTES` bytes and :data:`MAX_ROWS` data rows; text in
  UTF-8 (a byte-order mark is fine), UTF-16 with a byte-order mark, or — if neither decodes —
  Windows-1252, with a note saying so; no NUL bytes (a binary file is refused);
* a file-level problem (too large, empty, no header, a required column missing, a column
  named twice) raises :class:`DiaryError` with a message that says how to fix it;
* a row-level problem rejects that row only: :class:`Rejected` gives its line number in the
  file (1 = first line, counting comments), the reason, and the row's text (shortened);
* text cells that begin like a spreadsheet formula (``=``, ``+``, ``-``, ``@``, also in their
  full-width forms ``＝＋－＠`` and after invisible characters) or contain control or invisible
  formatting characters (C0 and C1 controls such as U+0085 and U+009B, zero-width spaces, the
  byte-order mark inside a cell, bidirectional overrides such as U+202E, line and paragraph
  separators, lone surrogates) are rejected, so that a diary saved again from a spreadsheet
  cannot run a formula and no cell can hide or reverse text; numbers must be plain decimals
  (ASCII digits only: no ``inf``, ``nan``, thousands separators or full-width digits), and so
  must dates and times;
* a header with more than :data:`MAX_COLUMNS` columns is refused (the format has ten); a
  quoted cell that runs on for more than the CSV reader's field limit (an unclosed quotation
  mark) is refused as a whole-file problem naming the line where it starts.

Summaries (:func:`per_day`, :func:`by_location`, :func:`by_hour`, :func:`associations`,
:func:`checklist`) work on the parsed entries. They describe the diary; they do not diagnose.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ..validation import ParameterError, check_int, show
from .tables import DATA_DIR

__all__ = [
    "DiaryError",
    "Rejected",
    "DiaryParse",
    "REQUIRED",
    "OPTIONAL",
    "COLUMNS",
    "MAX_BYTES",
    "MAX_ROWS",
    "MAX_COLUMNS",
    "parse_diary",
    "parse_bytes",
    "read_diary",
    "sample_path",
    "load_sample",
    "per_day",
    "by_location",
    "by_hour",
    "associations",
    "checklist",
    "overview",
]

#: Required and optional columns, in display order.
REQUIRED = ("date", "time", "location", "duration_s")
OPTIONAL = ("caffeine_mg", "sleep_h", "stress", "exercise", "notes", "source")
COLUMNS = REQUIRED + OPTIONAL
#: Size caps (design choices): a year of ten entries a day is about 250 kB.
MAX_BYTES = 1_000_000
MAX_ROWS = 20_000
#: Most columns a header may have (the format has ten; other columns are ignored).
MAX_COLUMNS = 100
#: Allowed ranges (design choices: wide enough for any real diary, narrow enough to catch typos).
RANGES = {
    "duration_s": (0.0, 86_400.0, True),
    "caffeine_mg": (0.0, 2000.0, False),
    "sleep_h": (0.0, 24.0, False),
    "stress": (0, 10, False),
}
YEARS = (1900, 2100)
MAX_LOCATION_CHARS = 60
MAX_NOTES_CHARS = 300
#: A cell longer than this is refused outright (protects the parser from pathological cells).
MAX_CELL_CHARS = 1000
#: How much of a rejected row is echoed back in the report.
ECHO_CHARS = 80
#: Two-sided significance level for the "could this be chance?" note (conventional 5 %).
ALPHA = 0.05
#: NHS: see a GP if a twitch lasts more than 2 weeks (nhs_twitching).
NHS_DAYS = 14

_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0"}
_FORMULA_START = ("=", "+", "-", "@")
_FORMULA_START_WIDE = ("\uff1d", "\uff0b", "\uff0d", "\uff20", "\u2212", "\ufe62", "\ufe63", "\ufe66")
# C0/C1 controls and DEL (includes tab and line breaks inside a cell), and the invisible
# formatting characters: soft hyphen, Arabic letter mark, Mongolian vowel separator, zero-width
# and directional marks, line/paragraph separators, bidi embeddings/overrides/isolates, word
# joiner and invisible operators, BOM, interlinear annotation, and lone surrogates.
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff"
    "\ufff9-\ufffb\ud800-\udfff]"
)
_NUMBER = re.compile(r"^[0-9]+(\.[0-9]+)?$")
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_TIME = re.compile(r"^([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?$")


class DiaryError(ParameterError):
    """The file as a whole cannot be read (the message says why and how to fix it)."""


@dataclass(frozen=True)
class Rejected:
    """One row that was not accepted: its line number in the file, why, and its text."""

    line: int
    reason: str
    text: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True, eq=False)
class DiaryParse:
    """The result of parsing: ``entries`` (DataFrame, one row per accepted twitch),
    ``rejected`` (list of :class:`Rejected`), ``notes`` (what else the parser did, in words).

    Unpacks as ``entries, rejected = parse_diary(text)``.
    """

    entries: pd.DataFrame
    rejected: list
    notes: list = field(default_factory=list)
    encoding: str = "utf-8"

    def __iter__(self):
        return iter((self.entries, self.rejected))

    def report(self) -> str:
        """A plain-text report: how many rows were accepted, every rejected row and note."""
        lines = [f"{len(self.entries)} entries accepted, {len(self.rejected)} rejected."]
        lines += [f"  rejected {r}" for r in self.rejected]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


# ----------------------------------------------------------------------------- decoding
def _decode(data: bytes) -> tuple[str, str, list]:
    notes = []
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16"), "utf-16", ["the file is UTF-16 (read as such)"]
        except UnicodeDecodeError:
            raise DiaryError(
                "the file starts like UTF-16 text but is not valid UTF-16; save it again as 'CSV UTF-8'."
            ) from None
    if b"\x00" in data:
        raise DiaryError(
            "the file contains NUL bytes, so it is not a text (CSV) file; save the "
            "diary as 'CSV UTF-8' and try again."
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8"), "utf-8", notes
    except UnicodeDecodeError as e:
        notes.append(
            f"the file is not UTF-8 (first bad byte at position {e.start}); it was "
            "read as Windows-1252 — check that accented letters look right, or save "
            "it as 'CSV UTF-8'"
        )
    try:
        return data.decode("cp1252"), "cp1252", notes
    except UnicodeDecodeError as e:
        raise DiaryError(
            f"the file is neither UTF-8 nor Windows-1252 text (byte {e.start}); save it as 'CSV UTF-8'."
        ) from None


# ----------------------------------------------------------------------------- cells
class _Bad(Exception):
    pass


def _number(s: str, col: str):
    if not _NUMBER.match(s):
        raise _Bad(
            f"{col} = {s[:20]!r} is not a plain number (write digits with an optional "
            f"decimal point, e.g. 30 or 2.5)"
        )
    lo, hi, lo_open = RANGES[col]
    v = float(s)
    if not math.isfinite(v) or v < lo or v > hi or (lo_open and v == lo):
        shown = s if len(s) <= 20 else s[:17] + "..."
        side = "more than" if lo_open else "from"
        raise _Bad(f"{col} = {shown} is outside the allowed range ({side} {lo:g} to {hi:g})")
    return v


def _text(s: str, col: str, max_chars: int) -> str:
    m = _CONTROL.search(s)
    if m:
        raise _Bad(
            f"{col} contains control characters or invisible formatting (U+{ord(m.group()):04X}); "
            "retype the text without it"
        )
    first = unicodedata.normalize("NFKC", s[:1])[:1]
    if first.startswith(_FORMULA_START) or s.startswith(_FORMULA_START_WIDE):
        raise _Bad(
            f"{col} starts with {s[0]!r}, like a spreadsheet formula; remove that first "
            f"character (or start the text with a letter)"
        )
    if len(s) > max_chars:
        raise _Bad(f"{col} is {len(s)} characters long; at most {max_chars}")
    return s


def _parse_row(cells: dict) -> dict:
    out = {}
    for col in REQUIRED:
        if cells.get(col, "") == "":
            raise _Bad(f"{col} is empty (required)")
    m = _DATE.match(cells["date"])
    if not m:
        raise _Bad(f"date = {cells['date'][:20]!r} is not written YYYY-MM-DD (e.g. 2024-03-05)")
    y, mo, d = (int(g) for g in m.groups())
    if not YEARS[0] <= y <= YEARS[1]:
        raise _Bad(f"date = {cells['date']} has a year outside {YEARS[0]}–{YEARS[1]}")
    try:
        out["date"] = date(y, mo, d)
    except ValueError:
        raise _Bad(f"date = {cells['date']} is not a real calendar day") from None
    m = _TIME.match(cells["time"])
    if not m:
        raise _Bad(f"time = {cells['time'][:20]!r} is not written HH:MM (24-hour, e.g. 07:45)")
    hh, mm, ss = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    if hh > 23 or mm > 59 or ss > 59:
        raise _Bad(f"time = {cells['time']} is not a time of day (00:00 to 23:59)")
    out["time"] = f"{hh:02d}:{mm:02d}" + (f":{ss:02d}" if m.group(3) else "")
    out["hour"] = hh
    out["location"] = _text(cells["location"], "location", MAX_LOCATION_CHARS)
    out["duration_s"] = _number(cells["duration_s"], "duration_s")
    for col in ("caffeine_mg", "sleep_h"):
        s = cells.get(col, "")
        out[col] = np.nan if s == "" else _number(s, col)
    s = cells.get("stress", "")
    if s == "":
        out["stress"] = pd.NA
    else:
        if not re.fullmatch(r"[0-9]{1,2}", s):
            raise _Bad(f"stress = {s[:20]!r} must be a whole number from 0 to 10")
        v = int(s)
        if v > 10:
            raise _Bad(f"stress = {v} is outside the allowed range (0 to 10)")
        out["stress"] = v
    s = cells.get("exercise", "").lower()
    if s == "":
        out["exercise"] = pd.NA
    elif s in _TRUE:
        out["exercise"] = True
    elif s in _FALSE:
        out["exercise"] = False
    else:
        raise _Bad(f"exercise = {cells['exercise'][:20]!r} must be yes or no (or empty)")
    s = cells.get("notes", "")
    out["notes"] = "" if s == "" else _text(s, "notes", MAX_NOTES_CHARS)
    s = cells.get("source", "")
    out["source"] = "" if s == "" else _text(s, "source", MAX_LOCATION_CHARS)
    return out


def _echo(raw: list) -> str:
    text = ",".join(c[:ECHO_CHARS] for c in raw[:ECHO_CHARS])
    text = _CONTROL.sub("?", text)
    return text if len(text) <= ECHO_CHARS else text[: ECHO_CHARS - 1] + "…"


def _empty_frame() -> pd.DataFrame:
    df = pd.DataFrame(
        {
            c: pd.Series(dtype=t)
            for c, t in (
                ("line", "int64"),
                ("date", "datetime64[ns]"),
                ("time", "object"),
                ("hour", "int64"),
                ("location", "object"),
                ("duration_s", "float64"),
                ("caffeine_mg", "float64"),
                ("sleep_h", "float64"),
                ("stress", "Int64"),
                ("exercise", "boolean"),
                ("notes", "object"),
                ("source", "object"),
            )
        }
    )
    return df


# ----------------------------------------------------------------------------- parser
def parse_diary(text: str, *, _encoding: str = "utf-8", _notes=None, _n_bytes=None) -> DiaryParse:
    """Parse a diary given as text (see the module docstring for the format).

    Returns a :class:`DiaryParse`: accepted entries as a DataFrame (columns ``line``, ``date``
    (datetime64), ``time`` (str), ``hour``, ``location``, ``duration_s``, ``caffeine_mg``,
    ``sleep_h`` (float, NaN = not given), ``stress`` (Int64, <NA> = not given), ``exercise``
    (boolean, <NA>), ``notes``, ``source``), the rejected rows, and notes.

    Raises:
        DiaryError: the file as a whole is unusable (message says why and what to do).
    """
    if not isinstance(text, str):
        raise DiaryError(
            f"the diary must be text (str), got {type(text).__name__}; for bytes use parse_bytes()."
        )
    notes = list(_notes or [])
    # The cap is on bytes, as for a file: text in UTF-8 (a character is 1–4 bytes). parse_bytes
    # passes the size of the file it has already checked.
    n_bytes = _n_bytes
    if n_bytes is None:
        n_bytes = len(text) if len(text) > MAX_BYTES else len(text.encode("utf-8", "surrogatepass"))
    if n_bytes > MAX_BYTES:
        raise DiaryError(
            f"the diary has {len(text):,} characters = {n_bytes:,} bytes in UTF-8; at most "
            f"{MAX_BYTES:,} bytes are accepted. Split it into smaller files."
        )
    if text.strip() == "":
        raise DiaryError(
            "the file is empty: it needs a header line, e.g. "
            f"'{','.join(REQUIRED)}', and one line per twitch."
        )
    if "\x00" in text:
        raise DiaryError("the text contains NUL characters, so it is not a CSV file.")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = None
    header_line = 0
    rows, rejected = [], []
    n_blank = n_comment = 0
    unknown = []
    prev_line = 0
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            start, end = prev_line + 1, max(reader.line_num, prev_line + 1)
            if "field larger than field limit" in str(e) and end > start:
                raise DiaryError(
                    f"line {start}: a cell starting on this line runs on for more than "
                    f"{csv.field_size_limit():,} characters (to line {end} and beyond), so the rest of "
                    "the file cannot be read reliably; a quotation mark is probably never closed. "
                    "Fix the quotes (or remove the cell) and try again."
                ) from None
            if header is None:
                raise DiaryError(f"line {start}: the header cannot be read as CSV ({e}).") from None
            where = f" (the record runs to line {end})" if end > start else ""
            rejected.append(Rejected(start, f"not valid CSV ({e}){where}; check the quotation marks", ""))
            prev_line = end
            continue
        line = prev_line + 1  # first physical line of this record
        prev_line = reader.line_num
        if not raw or all(c.strip() == "" for c in raw):
            n_blank += 1
            continue
        if raw[0].lstrip().startswith("#"):
            n_comment += 1
            continue
        if any(len(c) > MAX_CELL_CHARS for c in raw):
            if header is None:
                raise DiaryError(
                    f"line {line}: a header cell is longer than {MAX_CELL_CHARS} "
                    f"characters; this is not a diary header."
                )
            rejected.append(
                Rejected(
                    line, f"a cell is longer than {MAX_CELL_CHARS} characters", _echo([c[:40] for c in raw])
                )
            )
            continue
        if header is None:
            if len(raw) > MAX_COLUMNS:
                raise DiaryError(
                    f"line {line}: the header has {len(raw):,} columns; at most {MAX_COLUMNS} are "
                    f"accepted (the format has {len(COLUMNS)}: {', '.join(COLUMNS)})."
                )
            header = [c.strip().lower().lstrip("\ufeff") for c in raw]
            header_line = line
            seen = Counter(header)
            dup = sorted(c for c, k in seen.items() if k > 1 and c)
            if dup:
                raise DiaryError(
                    f"line {line}: the header names {dup} more than once; each column may appear once."
                )
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                raise DiaryError(
                    f"line {line}: required column(s) {missing} missing from the header "
                    f"{header!r}. The header must include {', '.join(REQUIRED)} "
                    f"(optional: {', '.join(OPTIONAL)}); see the format in utils/diary.py."
                )
            unknown = [c for c in header if c and c not in COLUMNS]
            if unknown:
                notes.append(f"column(s) {unknown} are not part of the format and were ignored")
            continue
        if len(rows) + len(rejected) >= MAX_ROWS:
            raise DiaryError(f"more than {MAX_ROWS} data rows; split the diary into smaller files.")
        if len(raw) != len(header):
            rejected.append(
                Rejected(
                    line,
                    f"has {len(raw)} cells but the header (line "
                    f"{header_line}) has {len(header)}; check for "
                    f"commas inside a cell (put such text in quotes)",
                    _echo(raw),
                )
            )
            continue
        cells = {h: c.strip() for h, c in zip(header, raw) if h in COLUMNS}
        try:
            entry = _parse_row(cells)
        except _Bad as e:
            rejected.append(Rejected(line, str(e), _echo(raw)))
            continue
        entry["line"] = line
        rows.append(entry)
    if header is None:
        raise DiaryError(
            f"the file has only comments or blank lines: it needs a header line, e.g. '{','.join(REQUIRED)}'."
        )
    if n_blank:
        notes.append(f"{n_blank} blank line(s) skipped")
    if not rows and not rejected:
        notes.append("the diary has a header but no entries yet")
    df = _frame(rows)
    return DiaryParse(df, rejected, notes, _encoding)


def _frame(rows: list) -> pd.DataFrame:
    if not rows:
        return _empty_frame()
    df = pd.DataFrame(rows)
    out = pd.DataFrame(
        {
            "line": df["line"].astype("int64"),
            "date": pd.to_datetime(df["date"]).astype("datetime64[ns]"),
            "time": df["time"].astype(object),
            "hour": df["hour"].astype("int64"),
            "location": df["location"].astype(object),
            "duration_s": df["duration_s"].astype("float64"),
            "caffeine_mg": df["caffeine_mg"].astype("float64"),
            "sleep_h": df["sleep_h"].astype("float64"),
            "stress": pd.array(df["stress"].tolist(), dtype="Int64"),
            "exercise": pd.array(df["exercise"].tolist(), dtype="boolean"),
            "notes": df["notes"].astype(object),
            "source": df["source"].astype(object),
        }
    )
    return out.sort_values(["date", "time", "line"], kind="stable").reset_index(drop=True)


def parse_bytes(data, *, max_bytes: int = MAX_BYTES) -> DiaryParse:
    """Parse a diary given as bytes (e.g. an upload): size check first, then decoding (UTF-8,
    UTF-16 with BOM, else Windows-1252 with a note), then :func:`parse_diary` (its result: NaN
    and <NA> mark values not given)."""
    max_bytes = check_int(max_bytes, "max_bytes", lo=1, hi=MAX_BYTES, what="size cap")
    if isinstance(data, memoryview):
        data = data.tobytes()
    if not isinstance(data, (bytes, bytearray)):
        raise DiaryError(f"data must be the file's bytes, got {type(data).__name__}.")
    if len(data) > max_bytes:
        raise DiaryError(
            f"the file has {len(data):,} bytes; at most {max_bytes:,} are "
            f"accepted. Split the diary into smaller files."
        )
    if len(data) == 0:
        raise DiaryError("the file is empty (0 bytes).")
    text, enc, notes = _decode(bytes(data))
    return parse_diary(text, _encoding=enc, _notes=notes, _n_bytes=len(data))


def read_diary(path) -> DiaryParse:
    """Parse a diary file on disk (size-checked before it is read); as :func:`parse_diary`, NaN
    and <NA> mark values not given."""
    if (
        not isinstance(path, (str, os.PathLike))
        or isinstance(path, bytes)
        or not str(path).strip()
        or "\x00" in str(path)
    ):
        raise DiaryError(f"path must be the name of a diary file (str or Path), got {show(path)}.")
    p = Path(path)
    try:
        is_file = p.is_file()
    except (OSError, ValueError):  # a name too long for the file system, ...
        is_file = False
    if not is_file:
        raise DiaryError(f"path = {show(str(p))}: no file there.")
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise DiaryError(f"{p.name} has {size:,} bytes; at most {MAX_BYTES:,} are accepted.")
    return parse_bytes(p.read_bytes())


def sample_path() -> Path:
    """Where the invented sample diary lives (``data/sample_twitch_diary.csv``)."""
    return DATA_DIR / "sample_twitch_diary.csv"


def load_sample() -> DiaryParse:
    """The invented sample diary, parsed (NaN and <NA> mark values not given)."""
    return read_diary(sample_path())


# ----------------------------------------------------------------------------- summaries
def _entries(entries) -> pd.DataFrame:
    if isinstance(entries, DiaryParse):
        return entries.entries
    if not isinstance(entries, pd.DataFrame) or not set(REQUIRED) <= set(entries.columns):
        raise ParameterError(
            "entries must be the DataFrame from parse_diary(...).entries (or the DiaryParse itself)."
        )
    return entries


def per_day(entries) -> pd.DataFrame:
    """One row per calendar day from the first to the last entry (days without an entry get
    0 twitches — which may mean 'none' or 'not written down'): ``date``, ``n_twitches``,
    ``total_duration_s``, and the day's ``caffeine_mg`` (largest value written that day),
    ``sleep_h`` and ``stress`` (mean of the values written; NaN if none)."""
    df = _entries(entries)
    cols = ["date", "n_twitches", "total_duration_s", "caffeine_mg", "sleep_h", "stress"]
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols})
    g = df.groupby(df["date"].dt.normalize())
    out = pd.DataFrame(
        {
            "n_twitches": g.size(),
            "total_duration_s": g["duration_s"].sum(),
            "caffeine_mg": g["caffeine_mg"].max(),
            "sleep_h": g["sleep_h"].mean(),
            "stress": g["stress"].apply(lambda s: s.astype("float64").mean()),
        }
    )
    days = pd.date_range(out.index.min(), out.index.max(), freq="D")
    out = out.reindex(days)
    out["n_twitches"] = out["n_twitches"].fillna(0).astype("int64")
    out["total_duration_s"] = out["total_duration_s"].fillna(0.0)
    out.index.name = "date"
    return out.reset_index()[cols]


def by_location(entries) -> pd.DataFrame:
    """Twitches per body location (case-insensitive, spaces collapsed): ``location``,
    ``n_twitches``, ``first``, ``last``, ``span_days`` (last − first + 1), most first."""
    df = _entries(entries)
    if df.empty:
        return pd.DataFrame({"location": [], "n_twitches": [], "first": [], "last": [], "span_days": []})
    loc = df["location"].str.lower().str.split().str.join(" ")
    g = df.assign(loc=loc).groupby("loc")
    out = pd.DataFrame({"n_twitches": g.size(), "first": g["date"].min(), "last": g["date"].max()})
    out["span_days"] = (out["last"] - out["first"]).dt.days + 1
    out.index.name = "location"
    return (
        out.reset_index()
        .sort_values(["n_twitches", "location"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )


def by_hour(entries) -> pd.DataFrame:
    """Twitches per hour of the day (0–23, all 24 hours listed): ``hour``, ``n_twitches``."""
    df = _entries(entries)
    counts = np.bincount(df["hour"].to_numpy(dtype=np.int64), minlength=24)[:24]
    return pd.DataFrame({"hour": np.arange(24), "n_twitches": counts})


def _critical_rho(n: int, alpha: float = ALPHA) -> float:
    """Smallest |Spearman ρ| that a two-sided test at ``alpha`` calls significant with n pairs
    (t approximation: ρ_c = t/√(n − 2 + t²), t the Student quantile with n − 2 df)."""
    from scipy import stats  # noqa: PLC0415 (deferred: scipy's submodules cost 0.6-1 s at kernel start)

    if n < 4:
        return math.inf
    t = float(stats.t.ppf(1 - alpha / 2, n - 2))
    return t / math.sqrt(n - 2 + t * t)


def associations(entries) -> pd.DataFrame:
    """Daily twitch count against the day's caffeine, sleep and stress (days with that factor
    written down): ``factor``, ``n_days``, ``spearman_rho`` (NaN with fewer than 4 days or no
    variation), ``p_value``, ``rho_needed`` (|ρ| a 5 % test needs with this many days),
    ``verdict`` in plain words. Correlation in a small diary is weak evidence: see
    :func:`honest_note`."""
    from scipy import stats  # noqa: PLC0415 (deferred: scipy's submodules cost 0.6-1 s at kernel start)

    days = per_day(entries)
    rows = []
    for col, name in (
        ("caffeine_mg", "caffeine (mg)"),
        ("sleep_h", "sleep (h)"),
        ("stress", "stress (0–10)"),
    ):
        d = days[["n_twitches", col]].dropna() if len(days) else days
        n = int(len(d))
        rho = p = math.nan
        if n >= 4 and d[col].nunique() > 1 and d["n_twitches"].nunique() > 1:
            res = stats.spearmanr(d[col].to_numpy(float), d["n_twitches"].to_numpy(float))
            rho, p = float(res.statistic), float(res.pvalue)
        need = _critical_rho(n)
        if math.isnan(rho):
            verdict = f"not enough days with {name.split(' ')[0]} written down (or no variation)"
        elif p < ALPHA:
            more = "more" if rho > 0 else "fewer"
            verdict = (
                f"days with more {name.split(' ')[0]} had {more} twitches; unlikely to be "
                f"chance alone, but not proof of cause"
            )
        else:
            verdict = "no clear pattern: could easily be chance with this many days"
        rows.append(
            {
                "factor": name,
                "n_days": n,
                "spearman_rho": rho,
                "p_value": p,
                "rho_needed": need,
                "verdict": verdict,
            }
        )
    return pd.DataFrame(rows)


def honest_note(n_days: int) -> str:
    """A plain-words note on what a diary of ``n_days`` days can and cannot show."""
    n_days = check_int(n_days, "n_days", lo=0, hi=10**6, what="days in the diary")
    need = _critical_rho(n_days)
    need_txt = (
        "cannot be judged at all"
        if math.isinf(need)
        else f"would need a rank correlation of at least {need:.2f} (of a possible 1) before "
        f"it is unlikely to be chance"
    )
    return (
        f"With {n_days} days, a link {need_txt}. A link is not a cause: stressful weeks "
        "often bring less sleep and more coffee at once, so the three travel together. "
        "Days with no entry count as zero twitches, which is only right if you wrote every "
        "twitch down. Use the diary to notice patterns and to show a doctor, not to "
        "diagnose."
    )


def checklist(entries) -> list[dict]:
    """What the diary can and cannot tell about the reasons to see a doctor (nhs_twitching;
    turner2013). Each item: ``question``, ``diary_can_answer`` (bool), ``answer`` (words)."""
    df = _entries(entries)
    locs = by_location(df)
    longest = locs.sort_values("span_days", ascending=False).iloc[0] if len(locs) else None
    items = []
    if longest is not None:
        span = int(longest["span_days"])
        more = span > NHS_DAYS
        ans = f"'{longest['location']}' has entries over {span} days (first to last). " + (
            "That is more than two weeks: the NHS suggests seeing a GP."
            if more
            else "That is within two weeks."
        )
    else:
        ans = "No entries yet."
    items.append(
        {
            "question": "Has a twitch gone on for more than about two weeks?",
            "diary_can_answer": True,
            "answer": ans,
        }
    )
    n_loc = len(locs)
    items.append(
        {
            "question": "Is the twitching in more than one place?",
            "diary_can_answer": True,
            "answer": (
                f"{n_loc} different location(s) written down. Twitching in more "
                "than one place is a reason the NHS gives for seeing a GP; the "
                "diary cannot tell whether it is spreading over time."
                if n_loc > 1
                else f"{n_loc} location written down."
            ),
        }
    )
    for q in (
        "Is the muscle weak (less strength than before, or than the other side)?",
        "Is the muscle getting thinner (wasting)?",
        "Is there trouble speaking, swallowing or breathing?",
        "Are there other new problems, such as weight loss or stiffness?",
    ):
        items.append(
            {
                "question": q,
                "diary_can_answer": False,
                "answer": "A twitch diary cannot show this; a doctor's examination "
                "can. If you notice it, see a doctor.",
            }
        )
    return items


def overview(parse: DiaryParse) -> dict:
    """Headline numbers of a parsed diary (for a read-out)."""
    if not isinstance(parse, DiaryParse):
        raise ParameterError(
            f"parse must be the result of parse_diary()/parse_bytes(), got {type(parse).__name__}."
        )
    df = parse.entries
    days = per_day(df)
    return {
        "n_entries": int(len(df)),
        "n_rejected": len(parse.rejected),
        "n_days": int(len(days)),
        "first": None if df.empty else df["date"].min().date().isoformat(),
        "last": None if df.empty else df["date"].max().date().isoformat(),
        "mean_per_day": float(days["n_twitches"].mean()) if len(days) else 0.0,
        "median_duration_s": float(df["duration_s"].median()) if len(df) else 0.0,
        "n_locations": int(len(by_location(df))),
    }

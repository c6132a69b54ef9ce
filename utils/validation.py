"""Input checks shared by every module: refuse bad input at the boundary, and say why.

Every refusal is a :class:`ParameterError` (a ``ValueError``) whose message names the
parameter, its unit and the allowed range, e.g.::

    ParameterError: c_out_mM = -4 mM is not allowed: concentration outside the cell
    must be a finite number in (0, 10000] mM.
"""

from __future__ import annotations

import math
import os
import sys
from numbers import Real
from pathlib import Path

import numpy as np


class ParameterError(ValueError):
    """A parameter is outside its allowed range (the message says which, unit, range)."""


#: The smallest normal double. A value closer than this to an open lower bound is refused: such
#: (subnormal) values pass ``v > lo`` but underflow to ``lo`` in the first product or ratio
#: (``nernst_mV(c_out_mM=5e-324)`` gave ``-inf``).
TINY = sys.float_info.min
#: How much of a refused value is echoed back in a message.
SHOW_CHARS = 60


def show(value) -> str:
    """A short, safe text for ``value`` in a message: never huge, never raising.

    >>> show(10**400)
    'an integer with 401 digits'
    >>> show("x" * 100)[-4:]
    "...'"
    """
    try:
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
            return f"an integer with {int(value.bit_length() * 0.30103) + 1} digits"
        if isinstance(value, np.ndarray):
            return f"an array of shape {value.shape} and dtype {value.dtype}"
        text = repr(value)
    except Exception:  # a hostile or broken __repr__
        return f"a {type(value).__name__}"
    return text if len(text) <= SHOW_CHARS else text[: SHOW_CHARS - 4] + "..." + text[-1:]


def _fmt(x) -> str:
    if isinstance(x, float) and (math.isinf(x) or math.isnan(x)):
        return str(x)
    if isinstance(x, int) and not isinstance(x, bool) and x.bit_length() > 64:
        return show(x)
    return f"{x:g}"


def _range_text(lo, hi, lo_open, hi_open, unit) -> str:
    u = f" {unit}" if unit else ""
    if lo is not None and hi is not None:
        return f"{'(' if lo_open else '['}{_fmt(lo)}, {_fmt(hi)}{')' if hi_open else ']'}{u}"
    if lo is not None:
        return f"{'>' if lo_open else '≥'} {_fmt(lo)}{u}"
    if hi is not None:
        return f"{'<' if hi_open else '≤'} {_fmt(hi)}{u}"
    return f"any finite value{u}"


def _real_scalar(value):
    """``value`` as a Python real number (int or float), or None if it is not one.

    Accepts Python and numpy ints and floats and 0-d numpy arrays of them; refuses bools,
    complex numbers, strings, None and everything else.
    """
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (Real, np.integer, np.floating)):
        return None
    return value


def _too_close(v: float, lo, lo_open: bool) -> bool:
    return lo is not None and lo_open and lo < v < lo + TINY


# The parameters of check_range and check_array stand grouped by role (the value, its name and unit;
# the range; the words for the message), not one per line: that layout repeated 8 lines in both.
def check_range(
    value, name: str, unit: str = "", *,
    lo=None, hi=None, lo_open: bool = False, hi_open: bool = False,
    what: str = "",
) -> float:  # fmt: skip
    """Return ``value`` as a float if it is a finite real number inside the range.

    ``lo``/``hi`` are the bounds (None = unbounded); ``lo_open``/``hi_open`` exclude them.
    ``what`` is a plain-words description used in the message. Anything else (a bool, a complex
    number, a string, None, an integer too large for a float, NaN, ±inf, a value within a
    subnormal distance of an open lower bound) raises :class:`ParameterError`.

    >>> check_range(10**400, "n", lo=0)
    Traceback (most recent call last):
    ...
    utils.validation.ParameterError: n = an integer with 401 digits is not allowed: it is too large for a floating-point number; allowed range: ≥ 0.
    """
    desc = f" ({what})" if what else ""
    u = f" {unit}" if unit else ""
    allowed = _range_text(lo, hi, lo_open, hi_open, unit)
    real = _real_scalar(value)
    if real is None:
        raise ParameterError(
            f"{name}{desc} must be a number in {unit or 'no unit'}, got {show(value)}; allowed range: {allowed}."
        )
    try:
        v = float(real)
    except (OverflowError, ValueError, TypeError):
        raise ParameterError(
            f"{name} = {show(value)} is not allowed{desc}: it is too large for a floating-point "
            f"number; allowed range: {allowed}."
        ) from None
    if not math.isfinite(v):
        raise ParameterError(
            f"{name} = {v}{u} is not allowed{desc}: it must be a finite number; allowed range: {allowed}."
        )
    bad = (lo is not None and (v < lo or (lo_open and v == lo))) or (
        hi is not None and (v > hi or (hi_open and v == hi))
    )
    if bad:
        raise ParameterError(f"{name} = {_fmt(v)}{u} is not allowed{desc}; allowed range: {allowed}.")
    if _too_close(v, lo, lo_open):
        raise ParameterError(
            f"{name} = {v!r}{u} is not allowed{desc}: it is closer than {TINY:.3g} to the open lower "
            f"bound (a subnormal number, lost in the first product); allowed range: {allowed}."
        )
    return v


def check_int(value, name: str, *, lo=None, hi=None, what: str = "", unit: str = "") -> int:
    """Return ``value`` as an int if it is a whole number inside [lo, hi].

    Whole-valued floats (``3.0``) are accepted; bools, NaN, ±inf, fractions, strings, None and
    complex numbers raise :class:`ParameterError`. Integers of any size are compared exactly.
    """
    desc = f" ({what})" if what else ""
    allowed = _range_text(lo, hi, False, False, unit)
    real = _real_scalar(value)
    if real is not None and not isinstance(real, (int, np.integer)):
        try:
            f = float(real)
        except (OverflowError, ValueError, TypeError):
            f = math.nan
        real = int(f) if math.isfinite(f) and f.is_integer() else None
    if real is None:
        raise ParameterError(
            f"{name}{desc} must be a whole number, got {show(value)}; allowed range: {allowed}."
        )
    v = int(real)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise ParameterError(f"{name} = {_fmt(v)} is not allowed{desc}; allowed range: {allowed}.")
    return v


def check_array(
    values, name: str, unit: str = "", *,
    lo=None, hi=None, lo_open: bool = False, hi_open: bool = False,
    what: str = "", min_size: int = 0,
) -> np.ndarray:  # fmt: skip
    """Return ``values`` as a 1-D float array whose every element is finite and in range.

    A scalar becomes a 1-element array. Refused with :class:`ParameterError`: strings, bytes,
    None, bools, complex values, ragged or nested sequences (not 1-D), integers too large for a
    float, NaN, ±inf, values within a subnormal distance of an open lower bound, fewer than
    ``min_size`` values.
    """
    desc = f" ({what})" if what else ""
    allowed = _range_text(lo, hi, lo_open, hi_open, unit)

    def unreadable(why=""):
        return ParameterError(
            f"{name}{desc} must be a 1-D sequence of numbers in {unit or 'no unit'}; could not read "
            f"{show(values)} as numbers{why}; allowed range: {allowed}."
        )

    if values is None or isinstance(values, (str, bytes, bytearray, dict, set, frozenset)):
        raise unreadable()
    try:
        raw = values if isinstance(values, np.ndarray) else np.asarray(values)
    except (TypeError, ValueError, OverflowError):
        raise unreadable(" (ragged or not numeric)") from None
    if raw.dtype.kind == "O":
        items = raw.ravel().tolist()
        if any(_real_scalar(x) is None for x in items):
            raise unreadable(" (an element is not a real number)")
    elif raw.dtype.kind not in "iuf":
        kinds = {"b": "true/false values", "c": "complex numbers", "U": "text", "S": "bytes"}
        raise unreadable(f" ({kinds.get(raw.dtype.kind, raw.dtype.name)})")
    try:
        arr = np.asarray(raw, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise unreadable(" (a value is too large for a floating-point number)") from None
    arr = np.atleast_1d(arr)
    if arr.ndim != 1:
        raise ParameterError(f"{name}{desc} must be a 1-D sequence, got shape {arr.shape}.")
    if arr.size < min_size:
        raise ParameterError(f"{name}{desc} needs at least {min_size} values, got {arr.size}.")
    finite = np.isfinite(arr)
    if not finite.all():
        i = int(np.flatnonzero(~finite)[0])
        raise ParameterError(
            f"{name}[{i}] = {arr[i]} is not allowed{desc}: every value "
            f"must be finite; allowed range: {allowed}."
        )
    low = np.zeros(arr.shape, bool)
    high = np.zeros(arr.shape, bool)
    if lo is not None:
        low = ((arr <= lo) | (arr < lo + TINY)) if lo_open else (arr < lo)
    if hi is not None:
        high = (arr >= hi) if hi_open else (arr > hi)
    badmask = low | high
    if badmask.any():
        i = int(np.flatnonzero(badmask)[0])
        u = f" {unit}" if unit else ""
        tiny = f" (closer than {TINY:.3g} to the open lower bound)" if low[i] and arr[i] > lo else ""
        raise ParameterError(
            f"{name}[{i}] = {_fmt(float(arr[i]))}{u} is not allowed{desc}{tiny}; allowed range: {allowed}."
        )
    return arr


class UnknownKeyError(ParameterError, KeyError):
    """A lookup by key or name found nothing (``references.get``, ``series.get``, ``read_table``).

    It is a :class:`ParameterError` (so every refusal of bad input is one), and also a
    ``KeyError`` for code that catches lookups that way. Its message names the key, where it was
    looked up and what to do; ``str()`` gives that message unquoted (unlike a plain KeyError).
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def _matches(value, choice) -> bool:
    if value is choice:
        return True
    if isinstance(value, (np.ndarray, bool, np.bool_)) or type(value) is not type(choice):
        return isinstance(value, np.str_) and isinstance(choice, str) and str(value) == choice
    try:
        return bool(value == choice)
    except Exception:
        return False


def check_choice(value, name: str, choices, what: str = ""):
    """Return ``value`` if it is one of ``choices`` (case-sensitive)."""
    choices = list(choices)
    for c in choices:
        if _matches(value, c):
            return c
    desc = f" ({what})" if what else ""
    opts = ", ".join(repr(c) for c in choices)
    raise ParameterError(f"{name} = {show(value)} is not allowed{desc}; choose one of: {opts}.")


def check_pair(value, name: str, unit: str = "", *, lo=None, hi=None, what: str = "") -> tuple[float, float]:
    """Return ``value`` as ``(start, end)``: two finite numbers in range with ``start < end``."""
    desc = f" ({what})" if what else ""
    if isinstance(value, (str, bytes, dict, set)) or not hasattr(value, "__len__"):
        raise ParameterError(
            f"{name}{desc} must be a pair (start, end) in {unit or 'no unit'}, got {show(value)}."
        )
    try:
        n = len(value)
    except TypeError:
        n = -1
    if n != 2:
        raise ParameterError(
            f"{name}{desc} must be a pair (start, end) in {unit or 'no unit'}, got {show(value)}."
        )
    a = check_range(value[0], f"{name}[0]", unit, lo=lo, hi=hi, what=what)
    b = check_range(value[1], f"{name}[1]", unit, lo=lo, hi=hi, what=what)
    if not a < b:
        raise ParameterError(
            f"{name} = ({_fmt(a)}, {_fmt(b)}) is not allowed{desc}: the end must exceed the start."
        )
    return a, b


def check_instance(value, name: str, types, what: str):
    """Return ``value`` if it is an instance of ``types``; ``what`` says what to pass instead."""
    if not isinstance(value, types):
        raise ParameterError(f"{name} must be {what}, got {show(value)} ({type(value).__name__}).")
    return value


def check_callable(value, name: str, what: str):
    """Return ``value`` if it can be called; ``what`` says what it should be."""
    if not callable(value):
        raise ParameterError(f"{name} must be {what}, got {show(value)} ({type(value).__name__}).")
    return value


def check_file(path, name: str = "path", what: str = "a file"):
    """Return ``path`` as a ``pathlib.Path`` if it names an existing regular file.

    Refuses anything that is not a str or path (bytes, numbers, None), an empty name, a name
    with a NUL character, a folder and a missing file with :class:`ParameterError`.
    """
    if not isinstance(path, (str, os.PathLike)) or isinstance(path, bytes):
        raise ParameterError(f"{name} must be the path of {what} (str or Path), got {show(path)}.")
    text = os.fspath(path)
    if not isinstance(text, str) or not text.strip() or "\x00" in text:
        raise ParameterError(f"{name} = {show(path)} is not a usable file name ({what}).")
    p = Path(text)
    try:
        ok = p.is_file()
    except (OSError, ValueError):
        ok = False
    if not ok:
        raise ParameterError(f"{name} = {show(path)}: no such file ({what}).")
    return p


def check_names(values, name: str, choices, what: str = "") -> list:
    """Return ``values`` (one name or a sequence of names) as a list, each one of ``choices``."""
    if isinstance(values, str):
        values = [values]
    if isinstance(values, (bytes, dict, set)) or not isinstance(values, (list, tuple, np.ndarray)):
        raise ParameterError(
            f"{name} must be a name or a list of names{f' ({what})' if what else ''}, got {show(values)}."
        )
    return [check_choice(v, name, choices, what) for v in values]


def check_broadcast(**arrays) -> tuple:
    """The common shape of already-checked numbers/arrays given by name; refuses arrays whose
    lengths differ (a ``ParameterError`` naming them) instead of numpy's broadcast ValueError."""
    shapes = {k: np.shape(v) for k, v in arrays.items()}
    try:
        return np.broadcast_shapes(*shapes.values())
    except ValueError:
        listed = ", ".join(f"{k} has {s[0] if s else 1} value(s)" for k, s in shapes.items())
        raise ParameterError(
            f"{' and '.join(arrays)} must have the same length, or be single numbers: {listed}."
        ) from None


def check_bool(value, name: str, what: str = "") -> bool:
    """Return ``value`` as a bool if it is True or False (Python or numpy); anything else (0/1,
    strings, arrays, None) raises :class:`ParameterError`."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    desc = f" ({what})" if what else ""
    raise ParameterError(f"{name}{desc} must be True or False, got {show(value)}.")

"""Input checks shared by every module: refuse bad input at the boundary, and say why.

Every refusal is a :class:`ParameterError` (a ``ValueError``) whose message names the
parameter, its unit and the allowed range, e.g.::

    ParameterError: c_out_mM = -4 mM is not allowed: concentration outside the cell
    must be a finite number in (0, 10000] mM.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np


class ParameterError(ValueError):
    """A parameter is outside its allowed range (the message says which, unit, range)."""


def _fmt(x: float) -> str:
    if isinstance(x, float) and (math.isinf(x) or math.isnan(x)):
        return str(x)
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


def check_range(
    value,
    name: str,
    unit: str = "",
    *,
    lo=None,
    hi=None,
    lo_open: bool = False,
    hi_open: bool = False,
    what: str = "",
) -> float:
    """Return ``value`` as a float if it is a finite real number inside the range.

    ``lo``/``hi`` are the bounds (None = unbounded); ``lo_open``/``hi_open`` exclude them.
    ``what`` is a plain-words description used in the message.
    """
    desc = f" ({what})" if what else ""
    u = f" {unit}" if unit else ""
    allowed = _range_text(lo, hi, lo_open, hi_open, unit)
    if isinstance(value, bool) or not isinstance(value, (Real, np.integer, np.floating)):
        raise ParameterError(
            f"{name}{desc} must be a number in {unit or 'no unit'}, got {value!r}; allowed range: {allowed}."
        )
    v = float(value)
    if not math.isfinite(v):
        raise ParameterError(
            f"{name} = {v}{u} is not allowed{desc}: it must be a finite number; allowed range: {allowed}."
        )
    bad = (lo is not None and (v < lo or (lo_open and v == lo))) or (
        hi is not None and (v > hi or (hi_open and v == hi))
    )
    if bad:
        raise ParameterError(f"{name} = {_fmt(v)}{u} is not allowed{desc}; allowed range: {allowed}.")
    return v


def check_int(value, name: str, *, lo=None, hi=None, what: str = "", unit: str = "") -> int:
    """Return ``value`` as an int if it is a whole number inside [lo, hi]."""
    desc = f" ({what})" if what else ""
    allowed = _range_text(lo, hi, False, False, unit)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            value = int(value)
        else:
            raise ParameterError(
                f"{name}{desc} must be a whole number, got {value!r}; allowed range: {allowed}."
            )
    v = int(value)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise ParameterError(f"{name} = {v} is not allowed{desc}; allowed range: {allowed}.")
    return v


def check_array(
    values,
    name: str,
    unit: str = "",
    *,
    lo=None,
    hi=None,
    lo_open: bool = False,
    hi_open: bool = False,
    what: str = "",
    min_size: int = 0,
) -> np.ndarray:
    """Return ``values`` as a 1-D float array whose every element is finite and in range."""
    desc = f" ({what})" if what else ""
    allowed = _range_text(lo, hi, lo_open, hi_open, unit)
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(
            f"{name}{desc} must be numbers in {unit or 'no unit'}; "
            f"could not read {type(values).__name__} as numbers."
        ) from None
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
        low = (arr <= lo) if lo_open else (arr < lo)
    if hi is not None:
        high = (arr >= hi) if hi_open else (arr > hi)
    badmask = low | high
    if badmask.any():
        i = int(np.flatnonzero(badmask)[0])
        u = f" {unit}" if unit else ""
        raise ParameterError(
            f"{name}[{i}] = {_fmt(float(arr[i]))}{u} is not allowed{desc}; allowed range: {allowed}."
        )
    return arr


def check_choice(value, name: str, choices, what: str = ""):
    """Return ``value`` if it is one of ``choices`` (case-sensitive)."""
    if value not in choices:
        desc = f" ({what})" if what else ""
        opts = ", ".join(repr(c) for c in choices)
        raise ParameterError(f"{name} = {value!r} is not allowed{desc}; choose one of: {opts}.")
    return value

"""Serum electrolytes: reference ranges, unit conversion, classification, and what a serum profile
does to nerve, junction and muscle, computed with the project's engines.

* Table: ``data/serum_reference_ranges.csv`` (ranges, grades, plausible limits, molar masses,
  valences, sources). :func:`reference_ranges`, :func:`convert`, :func:`classify`,
  :func:`corrected_calcium_mg_dL` / :func:`corrected_calcium_mmol_L` (payne1973).
* Mapping (``data/electrolyte_mappings.csv``, every number with source and uncertainty):
  :class:`SerumProfile` → :func:`model_parameters` — [K⁺]o → muscle and nerve GHK resting
  potentials (utils.membrane) and E_K of the HH model (Nernst shift from −77 mV at 4 mmol/L, at
  the model's 6.3 °C); Na⁺ → E_Na likewise; ionised Ca²⁺ (and, weakly, Mg²⁺) → a surface-charge
  gating shift s = k·ln(Ca/Ca_ref) (frankenhaeuser1957; REFERENCE.md §3.2 sign convention),
  applied by default to the Na⁺ gates m, h only (:data:`DEFAULT_GATES`; ``gates='all'`` also
  shifts n); Ca²⁺ and Mg²⁺ → transmitter release (utils.nmj; dodge1967; delcastillo1954).
* Consequences: :func:`consequences` runs the HH engine (1 ms threshold, spikes after one
  standard 20 µA/cm², 1 ms pulse, spontaneous firing, depolarisation block) for the nerve side,
  the junction model, and the mammalian muscle fibre at 37 °C (utils.fibre.excitability) for the
  muscle side. What the muscle does ('normal', 'weakness', 'paralysis', 'tetany', 'myotonia')
  and the fibre's state ('normal', 'hyperpolarised', 'depolarised', 'paradoxical
  depolarisation', ...) are read off the simulations by the rules of :func:`muscle_verdict`,
  never set by a range of serum values.

Concentrations in mmol/L (= mM), potentials in mV, currents in µA/cm².
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from ..sources.tables import read_table
from ..validation import (
    ParameterError,
    check_array,
    check_broadcast,
    check_choice,
    check_range,
    show,
)
from . import fibre, hh, membrane, nmj

__all__ = [
    "ParameterError",
    "ANALYTES",
    "UNITS",
    "reference_ranges",
    "mapping_parameters",
    "conversion_factor",
    "convert",
    "Classification",
    "classify",
    "corrected_calcium_mg_dL",
    "corrected_calcium_mmol_L",
    "SerumProfile",
    "ModelParameters",
    "model_parameters",
    "calcium_shift_mV",
    "Consequences",
    "consequences",
    "classify_profile",
    "ionised_calcium_at_pH",
    "TRACE_EVERY",
    "GATES",
    "DEFAULT_GATES",
    "fibre_excitability",
    "muscle_verdict",
    "MUSCLE_STATES",
    "MUSCLE_VERDICTS",
]


#: Analytes of the table, in display order.
ANALYTES = ("sodium", "potassium", "chloride", "calcium_total", "calcium_ionised", "magnesium")
#: Accepted units (case-insensitive; 'mM' is read as mmol/L).
UNITS = ("mmol/L", "mEq/L", "mg/dL")
_UNIT_ALIASES = {"mmol/l": "mmol/L", "mm": "mmol/L", "meq/l": "mEq/L", "mg/dl": "mg/dL"}
_ANALYTE_ALIASES = {
    "na": "sodium",
    "k": "potassium",
    "cl": "chloride",
    "mg": "magnesium",
    "calcium_ionized": "calcium_ionised",
    "ica": "calcium_ionised",
    "ionised_calcium": "calcium_ionised",
    "ionized_calcium": "calcium_ionised",
    "total_calcium": "calcium_total",
}
#: Values are compared with the table's thresholds after rounding to this many decimals (in the
#: table unit), so that a boundary value converted to another unit and back stays on it.
_COMPARE_DECIMALS = 9


def _num(s: str) -> float | None:
    return None if s is None or s.strip() == "" else float(s)


@lru_cache(maxsize=1)
def reference_range_rows() -> dict[str, dict]:
    out = {}
    for r in read_table("serum_reference_ranges.csv"):
        row = dict(r)
        for k in (
            "low",
            "high",
            "moderate_low",
            "severe_low",
            "severe_high",
            "plausible_min",
            "plausible_max",
            "molar_mass_g_per_mol",
        ):
            row[k] = _num(r[k])
        row["valence"] = int(r["valence"])
        row["source"] = tuple(k for k in r["source"].split(";") if k)
        out[r["analyte"]] = row
    return out


@lru_cache(maxsize=1)
def _mappings() -> dict[str, dict]:
    return {r["name"]: r for r in read_table("electrolyte_mappings.csv")}


def _m(name: str) -> float:
    return float(_mappings()[name]["value"])


def reference_ranges():
    """The table ``data/serum_reference_ranges.csv`` as a pandas DataFrame (one row per
    analyte; thresholds in the table unit, mmol/L; sources as ';'-separated keys). NaN marks a
    threshold the table does not give for that analyte."""
    df = pd.DataFrame(read_table("serum_reference_ranges.csv"))
    for c in df.columns:
        if c not in ("analyte", "unit", "source", "note"):
            df[c] = pd.to_numeric(df[c].replace("", np.nan))
    return df


def mapping_parameters():
    """The table ``data/electrolyte_mappings.csv`` (name, value, unit, meaning, uncertainty,
    status, source) as a pandas DataFrame."""
    return pd.DataFrame(list(_mappings().values()))


# Mapping constants, read from data/electrolyte_mappings.csv (each row cites its source).
#: Reference serum concentrations, mmol/L: the HH model keeps its 1952 E_K / E_Na there; the
#: gating shift and the Mg correction are 0 there (reference_sheet; Ca, Mg as utils.nmj).
K_REF_mmol_L = _m("K_ref_mmol_L")
NA_REF_mmol_L = _m("Na_ref_mmol_L")
CA_REF_mmol_L = _m("Ca_ref_mmol_L")
MG_REF_mmol_L = _m("Mg_ref_mmol_L")
#: E_K and E_Na of the HH model at the reference, mV (hodgkin1952).
HH_E_K_REF_mV = _m("hh_E_K_ref_mV")
HH_E_NA_REF_mV = _m("hh_E_Na_ref_mV")
#: Temperature whose RT/F scales the Nernst shifts of the HH model, °C (hodgkin1952).
HH_TEMPERATURE_C = _m("hh_temperature_C")
#: Screening shift per e-fold change of ionised Ca, mV (default 6; 4–9 quoted;
#: frankenhaeuser1957 via reference_sheet §3.2 — recalled, uncertain).
SCREENING_K_mV = _m("screening_k_mV")
#: Upper limit of k: Gouy–Chapman ceiling RT/(2F) per e-fold at 37 °C, mV (reference_sheet).
SCREENING_K_MAX_mV = _m("screening_k_max_mV")
#: Screening potency of Mg²⁺ relative to Ca²⁺ (0.2; 0–0.4; very uncertain; reference_sheet).
MG_SCREENING_FACTOR = _m("mg_screening_factor")
#: PNa/PK of the muscle GHK resting potential (reference_sheet §2; hodgkin1959).
MUSCLE_PNA_OVER_PK = _m("muscle_pNa_over_pK")
#: Standard test pulse, µA/cm² and ms (reference_sheet §3.2).
STIM_uA_per_cm2 = _m("standard_stimulus_uA_per_cm2")
STIM_ms = _m("standard_stimulus_ms")


def standard_pulse(start_ms: float = 1.0) -> hh.Pulse:
    """The series' one standard test pulse (STIM_uA_per_cm2 for STIM_ms, REFERENCE.md §3.2),
    starting at ``start_ms``: every after-discharge and tetany test uses this protocol.

    >>> p = standard_pulse()
    >>> (p.amplitude_uA_per_cm2, p.start_ms, p.duration_ms)
    (20.0, 1.0, 1.0)
    """
    return hh.Pulse(STIM_uA_per_cm2, start_ms, STIM_ms)


#: ≥ this many overshooting spikes from one standard pulse = after-discharge (reference_sheet).
AFTER_DISCHARGE_MIN_SPIKES = int(_m("after_discharge_min_spikes"))
#: Run lengths, ms, and the start displacement of the no-stimulus run, mV (design choices).
OBSERVATION_ms = _m("observation_ms")
SPONTANEOUS_ms = _m("spontaneous_ms")
SPONTANEOUS_KICK_mV = _m("spontaneous_kick_mV")
#: A counted spike peaks at or above this, mV (the classical overshoot; reference_sheet).
OVERSHOOT_mV = _m("spike_overshoot_mV")
#: Depolarisation block needs the HH rest this far above the normal rest, mV (design).
BLOCK_DEPOLARISATION_mV = _m("block_depolarisation_mV")
#: Transmission fails below this safety factor (design; ruff2011 for the definition).
SAFETY_FACTOR_FAILURE = _m("safety_factor_failure")
#: Bisection tolerance of the threshold in the fast path, µA/cm² (design).
FAST_THRESHOLD_TOL = _m("fast_threshold_tol_uA_per_cm2")
#: Tolerance of the threshold in the full path, µA/cm² (as hh.threshold_pulse's default).
FULL_THRESHOLD_TOL = 1e-3
#: Which gates the calcium screening shift s moves: 'na' = the Na⁺ gates m and h only,
#: 'all' = m, h and the K⁺ gate n.
GATES = ("all", "na")
#: The default of :func:`model_parameters` and :func:`consequences`, and the one choice used by
#: notebook 05's panel (utils.el.DEFAULT_GATES) and notebook 06's tetany
#: (utils.el.DEFAULT_GATES): the Na⁺ gates only. Why: Frankenhaeuser & Hodgkin saw low Ca
#: move the Na⁺ *and* K⁺ conductance curves of the squid axon (frankenhaeuser1957; that literal
#: reading is 'all'), but in the HH squid model shifting n with m and h partly cancels: after-
#: discharges need s = −5.80 mV and spontaneous firing −6.75 mV (REFERENCE.md §3.2), i.e. ionised
#: Ca 0.46 and 0.39 mmol/L at k = 6 (0.63 and 0.57 even at k = 9), below the 0.74 mmol/L at which
#: the junction model already fails: weakness before tetany, the opposite of patients, in whom
#: tetany appears around 0.8–0.9 mmol/L (reference_sheet §3.1–3.2). Vertebrate nerve Na⁺ channels
#: sit in a strong local negative surface charge, their activation moving 20–25 mV per tenfold
#: change of divalent ions, 8.7–10.9 mV per e-fold (hille1975), at or above the top of the 4–9 mV
#: range. Shifting m and h only (REFERENCE.md §3.2: −1.66 and −2.17 mV) gives after-discharges
#: from 0.91 and spontaneous firing from 0.84 mmol/L, both before the junction fails: the
#: clinical order. A phenomenological choice judged by that output, not a measurement that K⁺
#: channels do not shift; notebook 05 ("An assumption you can change") shows both readings.
DEFAULT_GATES = "na"
#: Change of ionised Ca per unit of pH (−0.5 mmol/L per pH, i.e. −0.05 per +0.1; a secondary
#: source, uncertain: reference_sheet §3.1) and the pH at which a result is taken as measured.
ICA_PER_PH_mmol_L = _m("ica_per_pH_mmol_L")
PH_REF = _m("pH_ref")
#: record_every of the standard-pulse run kept with ``consequences(keep_trace=True)``: every
#: 10th step of 0.01 ms, i.e. a point per 0.1 ms (1001 points over 100 ms; spikes are still
#: found at full resolution by utils.hh).
TRACE_EVERY = 10

# The muscle side: the mammalian fibre at 37 °C (utils.fibre) and the rules that name its state.
#: The fibre runs at the serum K⁺ and Na⁺ rounded to these steps, mmol/L (design choices:
#: data/electrolyte_mappings.csv), so a result is cached per grid point.
FIBRE_K_STEP = _m("fibre_k_step_mmol_L")
FIBRE_NA_STEP = _m("fibre_na_step_mmol_L")
#: The precomputed grid (data/fibre_serum_grid.csv, written by tools/fibre_grid.py from
#: utils.fibre.excitability): K⁺ and Na⁺ ranges, mmol/L. Off the grid the fibre runs live.
FIBRE_GRID_TABLE = "fibre_serum_grid.csv"
FIBRE_GRID_K = (_m("fibre_grid_k_lo_mmol_L"), _m("fibre_grid_k_hi_mmol_L"))
FIBRE_GRID_NA = (_m("fibre_grid_na_lo_mmol_L"), _m("fibre_grid_na_hi_mmol_L"))
#: Rules (design choices, data/electrolyte_mappings.csv): 'depolarised' = rest ≥ 5 mV above the
#: normal fibre's, 'hyperpolarised' = ≥ 0.5 mV below it; 'weakness' when the AP overshoot is
#: below half the normal fibre's (a force proxy; hansen2005).
FIBRE_DEPOLARISED_mV = _m("fibre_depolarised_mV")
FIBRE_HYPERPOLARISED_mV = _m("fibre_hyperpolarised_mV")
FIBRE_WEAK_OVERSHOOT = _m("fibre_weak_overshoot_fraction")


# --------------------------------------------------------------------------- units
def _analyte(analyte) -> str:
    if not isinstance(analyte, str):
        raise ParameterError(
            f"analyte must be a name such as 'potassium', got {analyte!r}; "
            f"choose one of: {', '.join(ANALYTES)}."
        )
    key = analyte.strip().lower().replace(" ", "_").replace("-", "_")
    key = _ANALYTE_ALIASES.get(key, key)
    if key == "calcium":
        raise ParameterError(
            "analyte = 'calcium' is ambiguous: say 'calcium_total' (what most "
            "laboratory reports give, to be albumin-corrected) or "
            "'calcium_ionised' (the free fraction that acts on nerves)."
        )
    return check_choice(key, "analyte", ANALYTES, what="serum electrolyte")


def _unit(unit, name: str = "unit") -> str:
    if isinstance(unit, str):
        u = unit.strip()
        u = _UNIT_ALIASES.get(u.lower(), u)
        if u in UNITS:
            return u
    raise ParameterError(
        f"{name} = {show(unit)} is not allowed (unit of a serum concentration); "
        f"choose one of: {', '.join(UNITS)} (mM is read as mmol/L). Convert "
        f"other units first, e.g. mg/L ÷ 10 = mg/dL, µmol/L ÷ 1000 = mmol/L."
    )


def conversion_factor(analyte: str, unit: str) -> float:
    """How many ``unit`` make 1 mmol/L of ``analyte``.

    mEq/L: |valence| (2 for Ca and Mg, 1 for Na, K, Cl); mg/dL: molar mass / 10, from the IUPAC
    atomic weight in the table (iupac2021): 4.008 for Ca, 2.431 for Mg (reference_sheet §3.1).
    Sodium, potassium and chloride are not reported in mg/dL in practice, but the factor is
    defined the same way.
    """
    row = reference_range_rows()[_analyte(analyte)]
    u = _unit(unit)
    if u == "mmol/L":
        return 1.0
    if u == "mEq/L":
        return float(abs(row["valence"]))
    return row["molar_mass_g_per_mol"] / 10.0


def convert(value, analyte: str, from_unit: str, to_unit: str = "mmol/L"):
    """Convert a concentration (≥ 0; scalar or 1-D array) of ``analyte`` between mmol/L, mEq/L
    and mg/dL. Total calcium 2.4 mmol/L = 9.62 mg/dL = 4.8 mEq/L; magnesium 0.8 mmol/L =
    1.94 mg/dL (reference_sheet §3.1)."""
    a = _analyte(analyte)
    f = conversion_factor(a, _unit(to_unit, "to_unit")) / conversion_factor(a, _unit(from_unit, "from_unit"))
    check = check_range if np.ndim(value) == 0 else check_array
    return check(value, "value", _unit(from_unit, "from_unit"), lo=0.0, what=f"{a} concentration") * f


# --------------------------------------------------------------------------- classification
@dataclass(frozen=True)
class Classification:
    """Result of :func:`classify`.

    Attributes:
        analyte: table name. category: 'severe low', 'moderate low', 'low', 'normal', 'high' or
            'severe high'. value, unit: as given. value_table_unit, table_unit: converted to the
            table's unit (mmol/L). low, high: the reference range used (table unit, both ends
            normal). thresholds: every grading threshold used (table unit; None = not graded).
            range_text: the range in words. source: reference keys.
    """

    analyte: str
    category: str
    value: float
    unit: str
    value_table_unit: float
    table_unit: str
    low: float
    high: float
    thresholds: dict = field(repr=False)
    range_text: str = ""
    source: tuple = ()


def _suggest(v_table: float, value: float, unit: str, a: str, row: dict) -> str:
    """Likely mistake behind an implausible value: another unit, or a slipped decimal point.
    Candidates that land in the normal range are preferred over merely plausible ones."""
    tu = row["unit"]
    cands = []
    for u in UNITS:
        if u != unit:
            cands.append(
                (convert(value, a, u, tu), f"{value:g} {u} = {{x:.3g}} {tu}: was the value in {u}?", 0)
            )
    for k in (10.0, 0.1, 100.0, 0.01):
        cands.append(
            (
                v_table / k,
                f"did you mean {value / k:g} {unit} (decimal point shifted)?",
                1 if k in (10.0, 0.1) else 2,
            )
        )
    best = None
    for x, text, rank in cands:
        lvl = (
            0
            if row["low"] <= x <= row["high"]
            else (1 if row["plausible_min"] <= x <= row["plausible_max"] else 2)
        )
        key = (lvl, rank)
        if lvl < 2 and (best is None or key < best[0]):
            best = (key, text.format(x=x))
    return f" Likely mistake: {best[1]}" if best else ""


def _check_plausible(value: float, unit: str, a: str, row: dict, name: str) -> float:
    v = round(convert(value, a, unit, row["unit"]), _COMPARE_DECIMALS)
    lo, hi = row["plausible_min"], row["plausible_max"]
    if not lo <= v <= hi:
        extra = "" if unit == row["unit"] else f" (= {v:.4g} {row['unit']})"
        raise ParameterError(
            f"{name} = {value:g} {unit}{extra} is not a plausible adult serum {a} value; allowed "
            f"range: [{lo:g}, {hi:g}] {row['unit']} (normal {row['low']:g}–{row['high']:g} "
            f"{row['unit']})." + _suggest(v, value, unit, a, row)
        )
    return v


def classify(value: float, analyte: str, unit: str = "mmol/L") -> Classification:
    """Classify one serum value against the adult table (``data/serum_reference_ranges.csv``).

    The value is converted to the table unit and compared there (rounded to 1e-9). Rules, with
    every threshold belonging to the milder side: ``low ≤ v ≤ high`` → 'normal'; ``v < low`` →
    'low'; ``v < moderate_low`` → 'moderate low'; ``v < severe_low`` → 'severe low';
    ``v > high`` → 'high'; ``v > severe_high`` → 'severe high' (grades only where the table
    defines them). E.g. potassium 3.5 is normal, 3.49 low, 3.0 low, 2.99 moderate low, 2.5
    moderate low, 2.49 severe low, 5.0 normal, 5.01 high, 6.5 high, 6.51 severe high.

    Raises ParameterError for an unknown analyte or unit, a negative or non-finite value, or a
    value outside the plausible limits of the table (then the message suggests the likely
    mistake: e.g. potassium 45 mmol/L → 4.5 mmol/L; total calcium 9.6 mmol/L → mg/dL).
    """
    a = _analyte(analyte)
    u = _unit(unit)
    row = reference_range_rows()[a]
    x = check_range(value, "value", u, lo=0.0, what=f"serum {a} concentration")
    v = _check_plausible(x, u, a, row, "value")
    lo, hi = row["low"], row["high"]
    ml, sl, sh = row["moderate_low"], row["severe_low"], row["severe_high"]
    if v < lo:
        cat = (
            "severe low"
            if sl is not None and v < sl
            else ("moderate low" if ml is not None and v < ml else "low")
        )
    elif v > hi:
        cat = "severe high" if sh is not None and v > sh else "high"
    else:
        cat = "normal"
    tu = row["unit"]
    return Classification(
        a,
        cat,
        x,
        u,
        v,
        tu,
        lo,
        hi,
        {"moderate_low": ml, "severe_low": sl, "severe_high": sh},
        f"normal {lo:g}–{hi:g} {tu} (inclusive)",
        row["source"],
    )


def corrected_calcium_mg_dL(total_calcium_mg_dL: float, albumin_g_dL: float) -> float:
    """Albumin-corrected total calcium, mg/dL: measured + 0.8 × (4.0 − albumin in g/dL)
    (payne1973; reference_sheet §3.1). E.g. 8.0 mg/dL with albumin 2.0 g/dL → 9.6 mg/dL."""
    ca = check_range(
        total_calcium_mg_dL,
        "total_calcium_mg_dL",
        "mg/dL",
        lo=0.0,
        hi=40.0,
        what="measured total serum calcium",
    )
    alb = check_range(albumin_g_dL, "albumin_g_dL", "g/dL", lo=0.5, hi=7.0, what="serum albumin")
    return ca + 0.8 * (4.0 - alb)


def corrected_calcium_mmol_L(total_calcium_mmol_L: float, albumin_g_L: float) -> float:
    """Albumin-corrected total calcium, mmol/L: measured + 0.02 × (40 − albumin in g/L)
    (payne1973; reference_sheet §3.1). E.g. 2.0 mmol/L with albumin 20 g/L → 2.4 mmol/L.
    The SI form is the mg/dL form rounded: 0.8 mg/dL per g/dL = 0.01996 mmol/L per g/L."""
    ca = check_range(
        total_calcium_mmol_L,
        "total_calcium_mmol_L",
        "mmol/L",
        lo=0.0,
        hi=10.0,
        what="measured total serum calcium",
    )
    alb = check_range(albumin_g_L, "albumin_g_L", "g/L", lo=5.0, hi=70.0, what="serum albumin")
    return ca + 0.02 * (40.0 - alb)


def ionised_calcium_at_pH(calcium_ionised_mmol_L: float, pH: float, measured_at_pH: float = PH_REF) -> float:
    """Ionised Ca (mmol/L) expected at blood ``pH`` for a sample whose ionised Ca was
    ``calcium_ionised_mmol_L`` at ``measured_at_pH`` (7.4): a linear change of
    −0.5 mmol/L per pH unit, i.e. −0.05 mmol/L per +0.1 pH (alkalosis frees albumin's binding
    sites for Ca²⁺; reference_sheet §3.1 — a secondary source, uncertain). E.g. 1.20 mmol/L at
    pH 7.4 → 1.10 at pH 7.6 (acute over-breathing). Total calcium does not change.
    pH allowed 6.8–7.8 (the range where a linear slope is a fair sketch)."""
    ca = check_range(
        calcium_ionised_mmol_L,
        "calcium_ionised_mmol_L",
        "mmol/L",
        lo=0.0,
        hi=3.0,
        lo_open=True,
        what="ionised calcium",
    )
    ph = check_range(pH, "pH", "pH units", lo=6.8, hi=7.8, what="blood pH")
    ph0 = check_range(
        measured_at_pH, "measured_at_pH", "pH units", lo=6.8, hi=7.8, what="blood pH of the measured sample"
    )
    out = ca + ICA_PER_PH_mmol_L * (ph - ph0)
    if out <= 0.0:
        raise ParameterError(
            f"calcium_ionised_mmol_L = {ca:g} mmol/L is too low for a shift "
            f"to pH {ph:g}: the linear sketch would give {out:.3g} mmol/L."
        )
    return float(out)


# --------------------------------------------------------------------------- profile → models
@dataclass(frozen=True)
class SerumProfile:
    """A serum profile, mmol/L. Defaults are the mapping references (K 4.0, Na 140, ionised Ca
    1.2, Mg 0.85; data/electrolyte_mappings.csv) and Cl 102 (mid-range; Cl is classified but
    drives no model: it is passively distributed in muscle, hodgkin1959). Every value is checked
    against the plausible limits of the table (the message suggests a likely unit mistake)."""

    potassium_mmol_L: float = K_REF_mmol_L
    sodium_mmol_L: float = NA_REF_mmol_L
    calcium_ionised_mmol_L: float = CA_REF_mmol_L
    magnesium_mmol_L: float = MG_REF_mmol_L
    chloride_mmol_L: float = 102.0

    def __post_init__(self):
        for f in fields(self):
            a = f.name.removesuffix("_mmol_L")
            x = check_range(getattr(self, f.name), f.name, "mmol/L", lo=0.0, what=f"serum {a}")
            _check_plausible(x, "mmol/L", a, reference_range_rows()[a], f.name)
            object.__setattr__(self, f.name, x)

    def replace(self, **changes) -> "SerumProfile":
        """A copy with some values changed (validated), e.g. ``p.replace(potassium_mmol_L=7)``."""
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise ParameterError(
                f"unknown SerumProfile field(s) {sorted(unknown)}; choose "
                f"from {[f.name for f in fields(self)]}."
            )
        return replace(self, **changes)


def classify_profile(profile: SerumProfile) -> dict[str, Classification]:
    """:func:`classify` of every value of the profile (keys: analyte names)."""
    p = _profile(profile)
    return {
        f.name.removesuffix("_mmol_L"): classify(getattr(p, f.name), f.name.removesuffix("_mmol_L"))
        for f in fields(p)
    }


def _profile(profile) -> SerumProfile:
    if profile is None:
        return SerumProfile()
    if not isinstance(profile, SerumProfile):
        raise ParameterError(
            f"profile must be a SerumProfile (or None for the reference "
            f"profile), got {type(profile).__name__}."
        )
    return profile


def _k(k_mV):
    return check_range(
        k_mV,
        "k_mV",
        "mV per e-fold",
        lo=0.0,
        hi=SCREENING_K_MAX_mV,
        what="screening shift per e-fold change of ionised Ca (4–9 quoted; "
        "above RT/2F is impossible under Gouy–Chapman)",
    )


def _f(mg_factor):
    return check_range(
        mg_factor,
        "mg_factor",
        "",
        lo=0.0,
        hi=1.0,
        what="screening potency of Mg relative to Ca (0.2; 0–0.4 quoted)",
    )


def calcium_shift_mV(
    calcium_ionised_mmol_L,
    magnesium_mmol_L=MG_REF_mmol_L,
    k_mV: float = SCREENING_K_mV,
    mg_factor: float = MG_SCREENING_FACTOR,
):
    """Gating-curve shift s, mV, from surface-charge screening by divalent cations.

    s = k·ln(Ca/Ca_ref) + k·ln((Ca + f·Mg)/(Ca + f·Mg_ref)).

    The first term is REFERENCE.md §3.2 (frankenhaeuser1957; k = 6 mV per e-fold, 4–9 quoted):
    s < 0 when Ca is low, and every α, β is evaluated at V − s, so the curves move to more
    negative V and excitability rises. The second term is the Mg correction: Mg screens like
    Ca with relative potency f (0.2; 0–0.4; very uncertain), entering as an effective divalent
    concentration Ca + f·Mg; it is 0 at the reference Mg (0.85 mmol/L), so the Ca-only formula
    holds exactly there. With f = 0.2 the whole normal-to-zero Mg range moves s by −0.8 mV.
    Scalars or 1-D arrays (Ca and Mg in mmol/L, > 0).
    """
    check_ca = check_range if np.ndim(calcium_ionised_mmol_L) == 0 else check_array
    ca = check_ca(
        calcium_ionised_mmol_L,
        "calcium_ionised_mmol_L",
        "mmol/L",
        lo=0.0,
        hi=100.0,
        lo_open=True,
        what="ionised calcium",
    )
    check_mg = check_range if np.ndim(magnesium_mmol_L) == 0 else check_array
    mg = check_mg(magnesium_mmol_L, "magnesium_mmol_L", "mmol/L", lo=0.0, hi=100.0, what="serum magnesium")
    k, f = _k(k_mV), _f(mg_factor)
    check_broadcast(calcium_ionised_mmol_L=ca, magnesium_mmol_L=mg)
    s = k * (np.log(ca / CA_REF_mmol_L) + np.log((ca + f * mg) / (ca + f * MG_REF_mmol_L)))
    return float(s) if np.ndim(s) == 0 else s


@dataclass(frozen=True)
class ModelParameters:
    """What a serum profile means for the models (see :func:`model_parameters`).

    Attributes:
        profile: the SerumProfile. hh_params: HHParams for utils.hh (E_K, E_Na, gating shifts).
        E_K_hh_mV, E_Na_hh_mV: reversal potentials given to the HH model, mV.
        shift_mV: screening shift s, mV; shift_Na_mV, shift_K_mV: applied to m, h and to n.
        muscle_rest_mV, muscle_E_K_mV: GHK resting potential and E_K of a skeletal muscle fibre
            (37 °C, [K]i 155, [Na]i 12, PNa/PK 0.01; hille2001; reference_sheet §2), mV.
        nerve_rest_mV: GHK resting potential of the mammalian neuron preset with the profile's
            [K]o and [Na]o (Cl from the preset), mV.
        quantal_content, relative_release: transmitter release per impulse (quanta) and
            relative to the reference Ca and Mg (utils.nmj; dodge1967; delcastillo1954).
        epp_mV, safety_factor, p_fail: end-plate potential (m·q), safety factor and chance
            that one impulse fails to fire the fibre (utils.nmj; illustrative absolute scale).
    """

    profile: SerumProfile
    hh_params: hh.HHParams = field(repr=False)
    E_K_hh_mV: float
    E_Na_hh_mV: float
    shift_mV: float
    shift_Na_mV: float
    shift_K_mV: float
    muscle_rest_mV: float
    muscle_E_K_mV: float
    nerve_rest_mV: float
    quantal_content: float
    relative_release: float
    epp_mV: float
    safety_factor: float
    p_fail: float


@lru_cache(maxsize=1)
def _rt_f_hh() -> float:
    return membrane.thermal_voltage_mV(HH_TEMPERATURE_C)


def _p_fail(m: float) -> float:
    from scipy import stats  # noqa: PLC0415 (deferred: scipy's submodules cost 0.6-1 s at kernel start)

    need = math.ceil((nmj.THRESHOLD_mV - nmj.REST_mV) / nmj.Q_mV - 1e-12)
    return float(stats.poisson.cdf(need - 1, m))


def model_parameters(
    profile: SerumProfile | None = None,
    *,
    k_mV: float = SCREENING_K_mV,
    gates: str = DEFAULT_GATES,
    mg_factor: float = MG_SCREENING_FACTOR,
    muscle_pNa_over_pK: float = MUSCLE_PNA_OVER_PK,
) -> ModelParameters:
    """Map a serum profile onto the engines (each mapping: data/electrolyte_mappings.csv).

    * Potassium → muscle and nerve resting potential by GHK (utils.membrane, 37 °C) and E_K of
      the HH model: E_K = −77 mV + (RT/F)·ln(K/4 mmol/L), with RT/F = 24.08 mV at the model's
      6.3 °C (hodgkin1952). The squid model has its own [K]i/[K]o; we apply the serum's fold
      change to it. A 37 °C slope would make the shift 11 % larger — we keep the temperature the
      rest of the model lives at. 4 → 7 mmol/L: E_K −77 → −63.5 mV; E_K ≥ −57 mV (block in the
      engine, REFERENCE.md §3.2) is reached at 9.18 mmol/L (measured block onset of
      :func:`consequences`: 9.11 mmol/L, E_K −57.2 mV).
    * Sodium → E_Na = +50 mV + (RT/F)·ln(Na/140) (small: 120 mmol/L gives −3.7 mV).
    * Ionised Ca (+ Mg) → gating shift s (:func:`calcium_shift_mV`). ``gates='na'`` (default,
      :data:`DEFAULT_GATES`) shifts the Na⁺ gates m and h only: after-discharges from
      s = −1.66 mV (REFERENCE.md §3.2), ionised Ca 0.91 mmol/L at k = 6, before the junction
      fails (below 0.745). ``gates='all'`` also shifts n, as Frankenhaeuser & Hodgkin describe
      the Na and K conductance curves moving together (frankenhaeuser1957); the squid model is
      then far less sensitive (after-discharges from s = −5.80 mV, Ca 0.46 mmol/L: weakness
      before tetany). Why the default is 'na': :data:`DEFAULT_GATES`.
    * Ca and Mg → release: utils.nmj.quantal_content (Dodge–Rahamimoff, Mg competing) with the
      serum ionised Ca and total Mg; safety factor with nmj's illustrative muscle rest and
      threshold.
    """
    p = _profile(profile)
    check_choice(gates, "gates", GATES, what="which gates the calcium screening shift moves")
    ratio = check_range(
        muscle_pNa_over_pK, "muscle_pNa_over_pK", "", lo=0.0, hi=1.0, what="PNa/PK of the muscle fibre"
    )
    K, Na = p.potassium_mmol_L, p.sodium_mmol_L
    Ca, Mg = p.calcium_ionised_mmol_L, p.magnesium_mmol_L
    vt = _rt_f_hh()
    ek = HH_E_K_REF_mV + vt * math.log(K / K_REF_mmol_L)
    ena = HH_E_NA_REF_mV + vt * math.log(Na / NA_REF_mmol_L)
    s = calcium_shift_mV(Ca, Mg, k_mV, mg_factor)
    s_k = s if gates == "all" else 0.0
    params = hh.HHParams(E_K_mV=ek, E_Na_mV=ena, shift_Na_mV=s, shift_K_mV=s_k)
    mus = membrane.preset("muscle")
    mi = mus.ions
    m_rest = membrane.ghk_mV(
        K,
        mi["K"].c_in_mM,
        Na,
        mi["Na"].c_in_mM,
        mi["Cl"].c_out_mM,
        mi["Cl"].c_in_mM,
        p_K=1.0,
        p_Na=ratio,
        p_Cl=0.0,
        temperature_C=mus.temperature_C,
    )
    m_ek = membrane.nernst_mV(K, mi["K"].c_in_mM, 1, mus.temperature_C)
    neu = membrane.preset("neuron")
    kw = neu.ghk_kwargs()
    kw.update(K_out_mM=K, Na_out_mM=Na)
    n_rest = membrane.ghk_mV(**kw)
    m = nmj.quantal_content(Ca, Mg)
    rel = nmj.relative_release(Ca, Mg)
    epp = nmj.epp_amplitude_mV(m)
    sf = float(nmj.safety_factor(epp))
    return ModelParameters(
        p, params, ek, ena, s, s, s_k, m_rest, m_ek, n_rest, float(m), float(rel), float(epp), sf, _p_fail(m)
    )


# --------------------------------------------------------------------------- consequences
#: The fibre's membrane states (:func:`muscle_verdict`).
MUSCLE_STATES = (
    "normal",
    "hyperpolarised",
    "depolarised",
    "paradoxical depolarisation",
    "two stable states",
    "no stable rest",
)
#: What the muscle does (:func:`muscle_verdict`).
MUSCLE_VERDICTS = ("normal", "weakness", "paralysis", "tetany", "myotonia")


def _fibre_grid_point(K: float, Na: float) -> tuple[float, float]:
    return (
        round(round(K / FIBRE_K_STEP) * FIBRE_K_STEP, 2),
        round(round(Na / FIBRE_NA_STEP) * FIBRE_NA_STEP, 1),
    )


@lru_cache(maxsize=1)
def _fibre_grid() -> dict:
    """The precomputed table data/fibre_serum_grid.csv as {(K, Na): excitability dict}; empty if
    the table is missing."""
    try:
        rows = read_table(FIBRE_GRID_TABLE)
    except FileNotFoundError:
        return {}
    out = {}
    for r in rows:
        ss = [float(x) for x in r["steady_states_mV"].split()]
        e = {
            "steady_states_mV": ss,
            "bistable": len(ss) > 1,
            "rest_mV": float(r["rest_mV"]),
            "threshold_1ms_uA_per_cm2": float(r["threshold_1ms_uA_per_cm2"]),
            "fires": r["fires"] == "1",
            "ap_peak_mV": float(r["ap_peak_mV"]),
            "after_discharges": int(r["after_discharges"]),
            "spontaneous": r["spontaneous"] == "1",
        }
        if len(ss) > 1:
            e["depolarised_state_mV"] = ss[-1]
        out[(round(float(r["k_mmol_L"]), 2), round(float(r["na_mmol_L"]), 1))] = e
    return out


@lru_cache(maxsize=4096)
def _fibre_at(K: float, Na: float) -> dict:
    e = _fibre_grid().get((K, Na))
    if e is None:
        e = fibre.excitability(fibre.FibreParams(k_out_mM=K, na_out_mM=Na))
    return e


def fibre_excitability(potassium_mmol_L: float, sodium_mmol_L: float = NA_REF_mmol_L) -> dict:
    """What the mammalian muscle fibre at 37 °C does in this serum K⁺ and Na⁺ (mmol/L):
    ``utils.fibre.excitability`` at the values rounded to :data:`FIBRE_K_STEP` and
    :data:`FIBRE_NA_STEP`, read from data/fibre_serum_grid.csv when the point is on it (a cache
    of the same function, written by tools/fibre_grid.py), else run and cached. Bath Cl⁻ and the
    myoplasm stay at the model's published values.

    >>> e = fibre_excitability(4.0)
    >>> e["fires"], round(e["rest_mV"])
    (True, -91)
    """
    K = check_range(potassium_mmol_L, "potassium_mmol_L", "mmol/L", lo=0.1, hi=100.0, what="serum K+")
    Na = check_range(sodium_mmol_L, "sodium_mmol_L", "mmol/L", lo=10.0, hi=300.0, what="serum Na+")
    return dict(_fibre_at(*_fibre_grid_point(K, Na)))


def _overshoot_mV(e: dict) -> float:
    return max(0.0, e["ap_peak_mV"]) if e["fires"] else 0.0


def muscle_verdict(
    e: dict,
    normal: dict,
    *,
    potassium_low: bool,
    nerve_state: str = "normal",
    nerve_repetitive_from_calcium: bool = False,
    transmission_fails: bool = False,
) -> dict:
    """Name what the muscle does from simulated behaviour (documented rules; the constants are
    rows of data/electrolyte_mappings.csv, design choices).

    ``e``: the fibre's excitability (utils.fibre.excitability) for the profile, ``normal``: the
    same for the normal profile (K⁺ 4.0, Na⁺ 140 mmol/L); ``potassium_low``: serum K⁺ below
    that normal value (it names a depolarisation 'paradoxical'); the nerve's state and whether
    its repetitive firing comes from the calcium screening shift (it persists with K⁺ and Na⁺ at
    normal); whether the junction fails.

    Fibre state (first rule that applies):
      1. no stable rest → 'no stable rest' (the fibre fires on its own);
      2. more than one stable rest → 'two stable states';
      3. rest ≥ :data:`FIBRE_DEPOLARISED_mV` above the normal rest → 'paradoxical
         depolarisation' if K⁺ is low, else 'depolarised';
      4. rest ≥ :data:`FIBRE_HYPERPOLARISED_mV` below it → 'hyperpolarised';
      5. else 'normal'.
    What the muscle does (first rule that applies):
      1. the fibre fires on its own or after-discharges follow the 200 ms step → 'myotonia';
      2. the standard 1 ms pulse (about twice the normal threshold) gives no AP → 'paralysis'
         (flaccid: the fibre is inexcitable), force 0;
      3. the nerve cannot fire (block, inexcitable) → 'weakness', force 0;
      4. the AP overshoot is below :data:`FIBRE_WEAK_OVERSHOOT` of normal → 'weakness', force
         scaled by the overshoot ratio (a proxy: less Ca²⁺ release);
      5. the nerve fires repetitively because of low calcium → 'tetany';
      6. the junction fails → 'weakness';
      7. else 'normal'.
    Tetany therefore only ever comes from the nerve side and only from the calcium shift:
    repetitive firing of the squid nerve model in raised K⁺ (an E_K-only shift at 6.3 °C) is
    reported in ``notes`` and not counted, since human motor axons depolarised by K⁺ lose
    excitability (krishnan2005) and hyperkalaemia causes weakness, not tetany.

    Returns {'state', 'muscle', 'pattern', 'force_factor', 'overshoot_ratio', 'notes'}.
    """
    notes = []
    ss = e["steady_states_mV"]
    d = e["rest_mV"] - normal["rest_mV"] if ss else math.nan
    if not ss or e.get("spontaneous"):
        state = "no stable rest"
    elif len(ss) > 1:
        state = "two stable states"
    elif d >= FIBRE_DEPOLARISED_mV:
        state = "paradoxical depolarisation" if potassium_low else "depolarised"
    elif d <= -FIBRE_HYPERPOLARISED_mV:
        state = "hyperpolarised"
    else:
        state = "normal"
    n_over = _overshoot_mV(normal)
    ratio = _overshoot_mV(e) / n_over if n_over > 0 else 0.0
    force = 1.0
    if state == "no stable rest" or e["after_discharges"] > 0:
        muscle = "myotonia"
    elif not e["fires"]:
        muscle, force = "paralysis", 0.0
    elif nerve_state in ("depolarisation block", "inexcitable"):
        muscle, force = "weakness", 0.0
    elif ratio < FIBRE_WEAK_OVERSHOOT:
        muscle, force = "weakness", ratio
    elif nerve_repetitive_from_calcium:
        muscle = "tetany"
    elif transmission_fails:
        muscle = "weakness"
    else:
        muscle = "normal"
    pattern = {"tetany": "tetany", "normal": "voluntary"}.get(muscle)
    if state == "paradoxical depolarisation":
        notes.append(
            "the muscle fibre has left its normal, potassium-following state (P1) for the "
            "depolarised state P2, as rat and human fibres do in low K⁺ (jurkatrott2009)"
        )
    if state in ("depolarised", "paradoxical depolarisation") and muscle in ("weakness", "paralysis"):
        notes.append(
            "the depolarised fibre's Na⁺ channels are partly inactivated, so its action potential shrinks or fails"
        )
    if state == "depolarised" and not potassium_low:
        notes.append(
            "the danger of high potassium is the heart: heart muscle cells depolarise the same "
            "way, and arrhythmia or cardiac arrest can come before any muscle weakness (an emergency)"
        )
    if nerve_state in ("after-discharges", "spontaneous firing") and not nerve_repetitive_from_calcium:
        notes.append(
            "the squid nerve model fires repetitively at this K⁺ (it only shifts E_K); human motor "
            "axons depolarised by K⁺ become less excitable (krishnan2005), so this is not counted "
            "as tetany: high potassium causes weakness, not tetany"
        )
    return {
        "state": state,
        "muscle": muscle,
        "pattern": pattern,
        "force_factor": float(force),
        "overshoot_ratio": float(ratio),
        "notes": notes,
    }


@dataclass(frozen=True)
class Consequences:
    """What a serum profile does, computed with the engines (see :func:`consequences`).

    Attributes:
        model: the ModelParameters used.
        rest_hh_mV: resting (equilibrium) potential of the HH model, mV; h_rest: its Na⁺
            inactivation gate there (low h = inactivated channels).
        rest_stable: whether that equilibrium is stable (largest eigenvalue real part < 0).
        threshold_1ms_uA_per_cm2: smallest 1 ms pulse that fires (0.0 when the membrane fires
            on its own, ``inf`` in depolarisation block); tolerance ``threshold_tol``.
        n_spikes_standard: overshooting spikes (peak ≥ 0 mV) in the 100 ms after one standard
            pulse (20 µA/cm², 1 ms); after_discharges = n − 1 (extra spikes).
        spontaneous_rate_Hz: firing rate with no stimulus (0 if none).
        nerve_state: 'normal', 'after-discharges' (≥ 3 spikes from one pulse), 'spontaneous
            firing', 'depolarisation block' or 'inexcitable'.
        transmission_fails: safety factor below 1.
        muscle: what the muscle does, :data:`MUSCLE_VERDICTS` ('normal', 'weakness',
            'paralysis', 'tetany', 'myotonia'; rules: :func:`muscle_verdict`). muscle_pattern: a
            utils.muscle pattern key ('tetany', 'voluntary' for normal) or None.
        notes: short statements of secondary findings and model limits.
        trace: (t_ms, v_mV) of the standard-pulse run, a point per 0.1 ms (only with
            ``keep_trace=True``; else None).
        muscle_state: the fibre's membrane state, :data:`MUSCLE_STATES`.
        fibre: the fibre's excitability (utils.fibre.excitability at 37 °C, via
            :func:`fibre_excitability`): rest_mV, steady_states_mV, fires, ap_peak_mV, ...
        muscle_force_factor: fraction of normal force the fibres can give (1, 0, or the AP
            overshoot ratio when the AP has shrunk; a proxy).
    """

    model: ModelParameters
    rest_hh_mV: float
    h_rest: float
    rest_stable: bool
    threshold_1ms_uA_per_cm2: float
    threshold_tol: float
    n_spikes_standard: int
    after_discharges: int
    spontaneous_rate_Hz: float
    nerve_state: str
    transmission_fails: bool
    muscle: str
    muscle_pattern: str | None
    notes: tuple = ()
    trace: tuple | None = field(default=None, repr=False, compare=False)
    muscle_state: str = "normal"
    fibre: dict = field(default_factory=dict, repr=False, compare=False)
    muscle_force_factor: float = 1.0

    @property
    def fibre_rest_mV(self) -> float:
        """The muscle fibre's (most negative) stable resting potential, mV (utils.fibre)."""
        return float(self.fibre.get("rest_mV", math.nan))

    @property
    def spontaneous_firing(self) -> bool:
        return self.nerve_state == "spontaneous firing"

    @property
    def depolarisation_block(self) -> bool:
        return self.nerve_state == "depolarisation block"

    def summary(self) -> dict:
        """The main numbers as a flat dict (for a read-out table)."""
        m = self.model
        return {
            "E_K_hh_mV": m.E_K_hh_mV,
            "shift_mV": m.shift_mV,
            "muscle_rest_mV": m.muscle_rest_mV,
            "fibre_rest_mV": self.fibre_rest_mV,
            "muscle_state": self.muscle_state,
            "nerve_rest_mV": m.nerve_rest_mV,
            "rest_hh_mV": self.rest_hh_mV,
            "threshold_1ms_uA_per_cm2": self.threshold_1ms_uA_per_cm2,
            "n_spikes_standard": self.n_spikes_standard,
            "spontaneous_rate_Hz": self.spontaneous_rate_Hz,
            "nerve_state": self.nerve_state,
            "relative_release": m.relative_release,
            "safety_factor": m.safety_factor,
            "muscle": self.muscle,
        }


@lru_cache(maxsize=1)
def _normal_rest_mV() -> float:
    return hh.resting_state().v_mV


def _overshooting(r) -> np.ndarray:
    return r.spike_times_ms[r.spike_peaks_mV >= OVERSHOOT_mV]


def consequences(
    profile: SerumProfile | None = None,
    *,
    fast: bool = True,
    k_mV: float = SCREENING_K_mV,
    gates: str = DEFAULT_GATES,
    mg_factor: float = MG_SCREENING_FACTOR,
    keep_trace: bool = False,
    dt_ms: float | None = None,
) -> Consequences:
    """Run the engines on a serum profile and read off what happens.

    Protocol (REFERENCE.md §3.2; data/electrolyte_mappings.csv):

    1. HH parameters from :func:`model_parameters`; resting equilibrium and its stability
       (utils.hh.resting_state, eigenvalues).
    2. Standard pulse: 20 µA/cm² for 1 ms at t = 1 ms, 100 ms run; overshooting spikes (peak
       ≥ 0 mV) are counted. ≥ 3 spikes = after-discharges. Inside the bistable window (rest
       and repetitive firing coexist) the pulse can start firing that lasts, so the count
       depends on the window: it is a count per 100 ms.
    3. Spontaneous firing (no stimulus): only possible if the resting equilibrium is unstable.
       Then a 200 ms run starts 10 mV above it (any disturbance grows; this skips the slow
       growth) and the rate comes from the overshooting spikes in its second half.
    4. Depolarisation block: no overshooting spike in either run while the HH rest is ≥ 5 mV
       above the normal −65 mV (the membrane sits, or oscillates below 0 mV, at a depolarised
       level with Na⁺ channels inactivated). In the engine this starts at E_K ≈ −57 mV
       (rest −48 mV), as REFERENCE.md §3.2 reports. No overshooting spike without that
       depolarisation is 'inexcitable'.
    5. 1 ms threshold: utils.hh.threshold_pulse (bisection; tolerance 0.05 µA/cm² with
       ``fast=True``, 0.001 otherwise); 0.0 when the membrane fires on its own, inf in block.
    6. Muscle: the mammalian fibre at 37 °C (utils.fibre.excitability at the profile's K⁺ and
       Na⁺, :func:`fibre_excitability`) gives the muscle's own state, and :func:`muscle_verdict`
       names it by documented rules: an inexcitable fibre → 'paralysis'; a nerve that cannot
       fire or a shrunken AP → 'weakness'; a nerve that fires repetitively *because of low
       calcium* (it still does with K⁺ and Na⁺ at normal: a second nerve run) → 'tetany'
       (pattern 'tetany'; peripheral-nerve hyperexcitability, reference_sheet §3.2); a failing
       junction (safety factor < 1) → 'weakness'; else 'normal' (pattern 'voluntary'). High
       K⁺ reads as a depolarised fibre, weakness or paralysis, with the cardiac danger in
       ``notes``; never as tetany. When nerve and junction disagree (low Ca raises excitability
       and lowers release), the disagreement is reported in ``notes``.

    With the defaults (k = 6 mV, Na⁺ gates only: :data:`DEFAULT_GATES`) lowering ionised Ca
    gives after-discharges from 0.910 and spontaneous firing from 0.836 mmol/L ('tetany'; shifts
    −1.66 and −2.17 mV as REFERENCE.md §3.2), before the junction safety factor falls below 1
    (below 0.745 mmol/L; then 'tetany' with a note, as the nerve decides first); 1.1–1.3 mmol/L
    gives 'normal' for any k from 4 to 9. With ``gates='all'`` the order reverses: the junction
    fails first ('weakness' below 0.745) and after-discharges start only at 0.457, spontaneous
    firing at 0.389 mmol/L (−5.80 and −6.75 mV): the squid axon then needs a larger shift than
    patients' nerves; the junction's absolute scale is illustrative either way. Raising K gives
    nerve after-discharges from 5.89, spontaneous firing from 6.09 and block from 9.11 mmol/L
    (E_K −67.7, −66.9 and −57.2 mV; any gates, as the Ca shift is 0 at the reference Ca). All
    onsets measured by bisection to 1e-4 mmol/L with the default time step. On the muscle side
    (K⁺ grid of 0.05 mmol/L, Na⁺ 140) the fibre is 'depolarised' from 6.55 mmol/L, the verdict
    'weakness' from 9.10 and 'paralysis' from 11.7 mmol/L, never 'tetany'; lowering K⁺ gives a
    'hyperpolarised' fibre (2.45–3.60 mmol/L; the model's rest moves by ≤ 1 mV there), 'two
    stable states' at 2.10, the 'paradoxical depolarisation' from 2.05 and 'weakness' from 2.00
    mmol/L ('paralysis' at 1.50 and below).

    ``dt_ms``: time step of every HH run (default: utils.hh's 0.01 ms). The live panel of
    notebook 05 uses a coarser step (utils.electrolyte_widgets.LIVE_DT_MS), tested there against
    the default step over its slider grids.

    ``keep_trace=True`` records the standard-pulse run every 0.1 ms (for a figure) instead of
    every 10 ms; the spike counts do not change (utils.hh finds spikes at full resolution).

    The muscle side costs a table look-up (data/fibre_serum_grid.csv) or, off the grid, one
    fibre run of about 0.2 s (cached); a nerve that fires repetitively at a non-normal K⁺ or Na⁺
    costs one more nerve run (cached per Ca, Mg and assumptions). One evaluation takes ≈ 4 ms with ``fast=True`` (p50 4.3, p95 4.7 ms over 200 ionised Ca
    values with the default gates, 4.6 ms with 'all'; benchmarks/bench_electrolytes.py) and
    5–60 ms with ``fast=False`` (p50 6.0, p95 6.3 ms over its 20 Ca values).
    """
    for name, flag in (("fast", fast), ("keep_trace", keep_trace)):
        if not isinstance(flag, (bool, np.bool_)):
            raise ParameterError(f"{name} must be True or False, got {flag!r}.")
    if dt_ms is not None:
        dt_ms = check_range(dt_ms, "dt_ms", "ms", lo=0.001, hi=0.05, what="time step of the HH runs")
    mp = model_parameters(profile, k_mV=k_mV, gates=gates, mg_factor=mg_factor)
    rest, stable, r, n_std, rate, state = _nerve(mp, dt_ms, keep_trace)
    tol = FAST_THRESHOLD_TOL if fast else FULL_THRESHOLD_TOL
    if state == "spontaneous firing":
        thr = 0.0
    elif state == "depolarisation block":
        thr = math.inf
    else:
        thr = hh.threshold_pulse(STIM_ms, mp.hh_params, tol, dt_ms=dt_ms)
    fails = mp.safety_factor < SAFETY_FACTOR_FAILURE
    prof = mp.profile
    from_calcium = False
    if state in ("after-discharges", "spontaneous firing"):
        # does the repetitive firing come from calcium? The same Ca and Mg with K⁺, Na⁺ normal
        at_ref = prof.potassium_mmol_L == K_REF_mmol_L and prof.sodium_mmol_L == NA_REF_mmol_L
        if at_ref:
            from_calcium = True
        else:
            from_calcium = _nerve_repetitive_at_normal_k_na(
                prof.calcium_ionised_mmol_L, prof.magnesium_mmol_L, k_mV, gates, mg_factor, dt_ms
            )
    fib = fibre_excitability(prof.potassium_mmol_L, prof.sodium_mmol_L)
    verdict = muscle_verdict(
        fib,
        fibre_excitability(K_REF_mmol_L, NA_REF_mmol_L),
        potassium_low=prof.potassium_mmol_L < K_REF_mmol_L,
        nerve_state=state,
        nerve_repetitive_from_calcium=from_calcium,
        transmission_fails=fails,
    )
    muscle, pattern = verdict["muscle"], verdict["pattern"]
    notes = list(verdict["notes"])
    if fails and muscle == "tetany":
        notes.append(
            f"the junction model also predicts failing transmission (safety factor "
            f"{mp.safety_factor:.2f}, {100 * mp.p_fail:.0f} % of impulses fail); "
            "its absolute scale is illustrative"
        )
    if fails and muscle == "weakness" and state not in ("depolarisation block", "inexcitable"):
        notes.append(f"neuromuscular transmission fails (safety factor {mp.safety_factor:.2f})")
    return Consequences(
        mp,
        rest.v_mV,
        rest.h,
        stable,
        float(thr),
        tol,
        n_std,
        max(n_std - 1, 0),
        float(rate),
        state,
        bool(fails),
        muscle,
        pattern,
        tuple(notes),
        (r.t_ms, r.v_mV) if keep_trace else None,
        verdict["state"],
        fib,
        verdict["force_factor"],
    )


@lru_cache(maxsize=256)
def _nerve_repetitive_at_normal_k_na(Ca, Mg, k_mV, gates, mg_factor, dt_ms) -> bool:
    """Does the nerve fire repetitively with this Ca and Mg when K⁺ and Na⁺ are normal? (Is
    its repetitive firing the calcium's doing?) Cached: a K⁺ slider needs it once."""
    ref = model_parameters(
        SerumProfile(calcium_ionised_mmol_L=Ca, magnesium_mmol_L=Mg),
        k_mV=k_mV,
        gates=gates,
        mg_factor=mg_factor,
    )
    return _nerve(ref, dt_ms, False)[5] in ("after-discharges", "spontaneous firing")


def _nerve(mp: ModelParameters, dt_ms, keep_trace: bool):
    """The nerve side of :func:`consequences` (steps 1–4): HH rest, its stability, the
    standard-pulse run, overshooting spikes, spontaneous rate and the nerve state."""
    p = mp.hh_params
    rest = hh.resting_state(p)
    stable = bool(hh.eigenvalues(0.0, p)[0].real < 0.0)
    every = round(TRACE_EVERY * hh.DT_DEFAULT_MS / (dt_ms or hh.DT_DEFAULT_MS))
    r = hh.simulate(
        standard_pulse(1.0),
        OBSERVATION_ms,
        p,
        dt_ms=dt_ms,
        record_currents=False,
        record_every=max(1, every) if keep_trace else 1000,
    )
    n_std = int(_overshooting(r).size)
    rate = 0.0
    n_spont = 0
    if not stable:
        r2 = hh.simulate(
            None,
            SPONTANEOUS_ms,
            p,
            dt_ms=dt_ms,
            initial=rest.replace(v_mV=rest.v_mV + SPONTANEOUS_KICK_mV),
            record_currents=False,
            record_every=1000,
        )
        sp = _overshooting(r2)
        n_spont = int(sp.size)
        late = sp[sp >= 0.5 * SPONTANEOUS_ms]
        if late.size >= 2:
            rate = 1000.0 / float(np.mean(np.diff(late)))
    depolarised = rest.v_mV - _normal_rest_mV() >= BLOCK_DEPOLARISATION_mV
    if rate > 0.0:
        state = "spontaneous firing"
    elif n_std == 0 and n_spont == 0:
        state = "depolarisation block" if depolarised else "inexcitable"
    elif n_std >= AFTER_DISCHARGE_MIN_SPIKES:
        state = "after-discharges"
    else:
        state = "normal"
    return rest, stable, r, n_std, rate, state

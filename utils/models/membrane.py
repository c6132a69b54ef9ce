"""Resting membrane potentials: Nernst equilibrium potentials and the GHK voltage equation.

Why is the inside of a cell negative? Because the membrane at rest is mostly permeable to K⁺,
and K⁺ is ~30× more concentrated inside than outside (kept so by the Na⁺/K⁺ pump).

* :func:`nernst_mV` — the equilibrium potential of one ion (any valence, any temperature).
* :func:`ghk_mV` — the Goldman–Hodgkin–Katz voltage equation for K⁺, Na⁺ and Cl⁻ with relative
  permeabilities (goldman1943; hodgkin1949).
* :func:`preset` — ion tables for a squid axon, a mammalian neuron and a mammalian skeletal
  muscle fibre, read from ``data/ion_presets.csv`` where every value has a source.
* :func:`resting_vs_potassium` — resting potential of a cell across a range of [K⁺]o
  (what happens to a muscle fibre when blood potassium rises or falls).

Constants (R, F) are in ``data/constants.csv`` (codata2018). Concentrations in mM (= mmol/L),
potentials in mV, temperatures in °C.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..sources.tables import read_table
from ..validation import ParameterError, check_array, check_broadcast, check_choice, check_int, check_range

#: Allowed ranges, with units (used in error messages).
CONC_MAX_mM = 2000.0  # above any biological fluid (sea water: ~560 mM Cl⁻)
TEMP_MIN_C = -273.15  # absolute zero (excluded)
TEMP_MAX_C = 100.0  # boiling water; cells stop long before
PERM_MAX = 1000.0  # relative permeability (to K⁺)
IONS = ("K", "Na", "Cl", "Ca")
GHK_IONS = ("K", "Na", "Cl")


@lru_cache(maxsize=1)
def _constants() -> dict[str, float]:
    return {row["name"]: float(row["value"]) for row in read_table("constants.csv")}


def _check_temperature(temperature_C) -> float:
    return check_range(
        temperature_C,
        "temperature_C",
        "°C",
        lo=TEMP_MIN_C,
        hi=TEMP_MAX_C,
        lo_open=True,
        what="temperature; must be above absolute zero, −273.15 °C",
    )


def _check_conc(value, name: str, where: str):
    """A concentration: a positive finite scalar, or a 1-D array of them."""
    what = f"concentration {where} the cell"
    check = check_range if np.ndim(value) == 0 else check_array
    return check(value, name, "mM", lo=0.0, hi=CONC_MAX_mM, lo_open=True, what=what)


def thermal_voltage_mV(temperature_C: float = 37.0) -> float:
    """RT/F in mV at ``temperature_C`` (26.73 mV at 37 °C; 24.08 mV at 6.3 °C)."""
    t = _check_temperature(temperature_C)
    c = _constants()
    return 1e3 * c["gas_constant"] * (t + c["zero_celsius"]) / c["faraday_constant"]


def nernst_mV(c_out_mM, c_in_mM, valence: int = 1, temperature_C: float = 37.0):
    """Equilibrium (Nernst) potential of one ion, inside relative to outside, in mV.

    E = (RT / zF) · ln([ion]out / [ion]in)

    Args:
        c_out_mM: concentration outside the cell, mM (> 0); a scalar or a 1-D array.
        c_in_mM: concentration inside the cell, mM (> 0); a scalar or a 1-D array.
        valence: charge number z of the ion (−3 … 3, not 0): +1 for K⁺ and Na⁺, −1 for Cl⁻,
            +2 for Ca²⁺.
        temperature_C: temperature in °C (above absolute zero, ≤ 100 °C).

    Returns:
        The potential in mV (a float, or an array when a concentration is an array).

    Example:
        >>> round(nernst_mV(4, 155, 1, 37), 1)   # K⁺ in skeletal muscle
        -97.7
    """
    z = check_int(valence, "valence", lo=-3, hi=3, what="charge number of the ion")
    if z == 0:
        raise ParameterError(
            "valence = 0 is not allowed (charge number of the ion): an "
            "uncharged particle has no equilibrium potential; allowed: "
            "−3 … 3 except 0."
        )
    co = _check_conc(c_out_mM, "c_out_mM", "outside")
    ci = _check_conc(c_in_mM, "c_in_mM", "inside")
    check_broadcast(c_out_mM=co, c_in_mM=ci)
    vt = thermal_voltage_mV(temperature_C)
    out = vt / z * np.log(np.divide(co, ci))
    return float(out) if np.ndim(out) == 0 else out


def ghk_mV(
    K_out_mM,
    K_in_mM,
    Na_out_mM,
    Na_in_mM,
    Cl_out_mM,
    Cl_in_mM,
    p_K: float = 1.0,
    p_Na: float = 0.05,
    p_Cl: float = 0.45,
    temperature_C: float = 37.0,
):
    """Resting potential from the Goldman–Hodgkin–Katz voltage equation, in mV.

    V = (RT/F) · ln( (pK[K]o + pNa[Na]o + pCl[Cl]i) / (pK[K]i + pNa[Na]i + pCl[Cl]o) )

    Cl⁻ is an anion, so its inside and outside swap places (goldman1943; hodgkin1949).
    Permeabilities are relative (only their ratios matter), each ≥ 0, at least one > 0.
    Any one concentration may be a 1-D array (e.g. a sweep of [K⁺]o); the result is then an array.

    Example:
        >>> round(ghk_mV(5, 140, 145, 12, 110, 10, 1, 0.05, 0.45, 37), 1)  # mammalian neuron
        -64.9
    """
    conc = {
        "K_out_mM": _check_conc(K_out_mM, "K_out_mM", "outside"),
        "K_in_mM": _check_conc(K_in_mM, "K_in_mM", "inside"),
        "Na_out_mM": _check_conc(Na_out_mM, "Na_out_mM", "outside"),
        "Na_in_mM": _check_conc(Na_in_mM, "Na_in_mM", "inside"),
        "Cl_out_mM": _check_conc(Cl_out_mM, "Cl_out_mM", "outside"),
        "Cl_in_mM": _check_conc(Cl_in_mM, "Cl_in_mM", "inside"),
    }
    check_broadcast(**conc)
    perm = {
        name: check_range(p, name, "relative to K⁺", lo=0.0, hi=PERM_MAX, what="relative permeability")
        for name, p in (("p_K", p_K), ("p_Na", p_Na), ("p_Cl", p_Cl))
    }
    if not any(p > 0 for p in perm.values()):
        raise ParameterError(
            "p_K, p_Na and p_Cl are all 0 (relative permeabilities): at least "
            "one ion must be able to cross the membrane; allowed: each in "
            f"[0, {PERM_MAX:g}], at least one > 0."
        )
    sizes = {np.size(v) for v in conc.values() if np.ndim(v) > 0}
    if len(sizes) > 1:
        raise ParameterError(
            f"concentration arrays must all have the same length; got lengths {sorted(sizes)}."
        )
    vt = thermal_voltage_mV(temperature_C)
    num = perm["p_K"] * conc["K_out_mM"] + perm["p_Na"] * conc["Na_out_mM"] + perm["p_Cl"] * conc["Cl_in_mM"]
    den = perm["p_K"] * conc["K_in_mM"] + perm["p_Na"] * conc["Na_in_mM"] + perm["p_Cl"] * conc["Cl_out_mM"]
    out = vt * np.log(np.divide(num, den))
    return float(out) if np.ndim(out) == 0 else out


# --------------------------------------------------------------------------- presets


@dataclass(frozen=True)
class Ion:
    """One ion of a preset: valence, concentrations (mM), relative permeability, sources."""

    name: str
    valence: int
    c_out_mM: float
    c_in_mM: float
    permeability_rel: float
    source_conc: tuple[str, ...]
    source_perm: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Preset:
    """A cell type: its ions (K, Na, Cl, Ca) and the temperature it lives at (°C)."""

    name: str
    temperature_C: float
    ions: dict[str, Ion] = field(repr=False)

    def ghk_kwargs(self) -> dict:
        """Keyword arguments for :func:`ghk_mV` from this preset."""
        kw = {"temperature_C": self.temperature_C}
        for ion in GHK_IONS:
            i = self.ions[ion]
            kw[f"{ion}_out_mM"] = i.c_out_mM
            kw[f"{ion}_in_mM"] = i.c_in_mM
            kw[f"p_{ion}"] = i.permeability_rel
        return kw

    def resting_potential_mV(self) -> float:
        """GHK resting potential of the preset, mV."""
        return ghk_mV(**self.ghk_kwargs())

    def equilibrium_potentials_mV(self) -> dict[str, float]:
        """Nernst potential of every ion of the preset, mV."""
        return {
            name: nernst_mV(i.c_out_mM, i.c_in_mM, i.valence, self.temperature_C)
            for name, i in self.ions.items()
        }

    def sources(self) -> list[str]:
        """Reference keys behind this preset's numbers (data/references.json)."""
        keys = []
        for i in self.ions.values():
            for k in i.source_conc + i.source_perm:
                if k and k not in keys:
                    keys.append(k)
        return keys


@lru_cache(maxsize=1)
def _presets() -> dict[str, Preset]:
    rows = read_table("ion_presets.csv")
    grouped: dict[str, dict] = {}
    for r in rows:
        p = grouped.setdefault(r["preset"], {"temperature_C": float(r["temperature_C"]), "ions": {}})
        p["ions"][r["ion"]] = Ion(
            name=r["ion"],
            valence=int(r["valence"]),
            c_out_mM=float(r["c_out_mM"]),
            c_in_mM=float(r["c_in_mM"]),
            permeability_rel=float(r["permeability_rel"]),
            source_conc=tuple(k for k in r["source_conc"].split(";") if k),
            source_perm=tuple(k for k in r["source_perm"].split(";") if k),
            note=r["note"],
        )
    return {name: Preset(name, p["temperature_C"], p["ions"]) for name, p in grouped.items()}


#: Plain-language names of the presets, for menus.
PRESET_LABELS = {
    "squid": "squid giant axon (6.3 °C)",
    "neuron": "mammalian neuron (37 °C)",
    "muscle": "mammalian skeletal muscle (37 °C)",
}


def preset_names() -> list[str]:
    """Names of the available presets: ['squid', 'neuron', 'muscle']."""
    return list(_presets())


def preset(name: str) -> Preset:
    """The ion table of a preset cell ('squid', 'neuron' or 'muscle')."""
    return _presets()[_preset_name(name, "name")]


def _preset_name(name, param: str) -> str:
    return check_choice(name, param, preset_names(), what="cell type")


def resting_vs_potassium(
    K_out_mM, preset_name: str = "muscle", pNa_over_pK: float = 0.01, temperature_C: float | None = None
) -> dict[str, np.ndarray]:
    """Resting potential and E_K of a cell across a range of extracellular K⁺.

    Cl⁻ is left out of the sum: in a steady state Cl⁻ is passively distributed in muscle
    (it moves until E_Cl equals the resting potential), so it does not set V (hodgkin1959).
    Only K⁺ and Na⁺ are counted, with the given permeability ratio.

    Args:
        K_out_mM: extracellular K⁺ values, mM (1-D array, each > 0).
        preset_name: the cell whose other concentrations are used.
        pNa_over_pK: permeability ratio PNa/PK (≥ 0); REFERENCE.md §2 uses 0.01 and 0.02.
        temperature_C: defaults to the preset's temperature.

    Returns:
        dict with arrays ``K_out_mM``, ``E_K_mV`` and ``V_rest_mV``.
    """
    p = preset(_preset_name(preset_name, "preset_name"))
    k = check_array(
        K_out_mM, "K_out_mM", "mM", lo=0.0, hi=CONC_MAX_mM, lo_open=True, what="extracellular K⁺", min_size=1
    )
    ratio = check_range(pNa_over_pK, "pNa_over_pK", "", lo=0.0, hi=PERM_MAX, what="permeability ratio PNa/PK")
    t = p.temperature_C if temperature_C is None else temperature_C
    ions = p.ions
    v = ghk_mV(
        k,
        ions["K"].c_in_mM,
        ions["Na"].c_out_mM,
        ions["Na"].c_in_mM,
        ions["Cl"].c_out_mM,
        ions["Cl"].c_in_mM,
        p_K=1.0,
        p_Na=ratio,
        p_Cl=0.0,
        temperature_C=t,
    )
    ek = nernst_mV(k, ions["K"].c_in_mM, 1, t)
    return {"K_out_mM": k, "E_K_mV": np.atleast_1d(ek), "V_rest_mV": np.atleast_1d(v)}


def ln10_factor_mV(temperature_C: float = 37.0, valence: int = 1) -> float:
    """mV per ten-fold concentration change, (RT/zF)·ln 10 (61.5 mV at 37 °C for z = 1)."""
    z = check_int(valence, "valence", lo=-3, hi=3, what="charge number of the ion")
    if z == 0:
        raise ParameterError(
            "valence = 0 is not allowed (charge number of the ion); allowed: −3 … 3 except 0."
        )
    return thermal_voltage_mV(temperature_C) * math.log(10) / z

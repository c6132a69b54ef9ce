"""A mammalian skeletal-muscle fibre: sarcolemma + lumped T-tubule (Cannon two-compartment model).

The model is the Cannon lab's 2024 fibre (cannonlab2024), which grew out of Cannon, Brown & Corey
1993 (cannon1993); equations, parameters and open questions are collected in
shared/science/HUMAN_MODELS.md §1 (human_models_sheet). Every number lives in
``data/fibre_parameters.csv`` with its source key; published behaviour to reproduce lives in
``data/fibre_targets.csv``. Units: mV, ms, µA/cm², µF/cm², mM, cm/s, °C; names carry the unit.
Outward current is positive, stimulus current positive = depolarising.

Equations (per cm² of sarcolemma; ``t`` = T-tubule, ``s`` = sarcolemma; CL-DOC eqns 1–2)::

    Cm dVs/dt      = I_stim − I_ion,s(Vs) − (Vs − Vt)/Ra
    γ Cm dVt/dt    = (Vs − Vt)/Ra − γ I_ion,t(Vt)                (I_ion,t per cm² of TT membrane)
    d[K]t/dt       = (I_K,t − J_NKCC,K − 2 I_pump,t)/(F ς) − ([K]t − [K]o)/τ_diff
    I_x,open(V)    = P_x z² F (zFV/RT) ([x]i − [x]o e^(−zFV/RT)) / (1 − e^(−zFV/RT))   (GHK)
    I_Na  = m³ s (h(1 − f) + f) I_Na,open         I_Kdr = n⁴ p I_K,open
    I_Kir = I_K,open / (1 + e^((V − E_K − V_IR)/ν))       I_KCNQ = q I_K,open
    I_Cl  = c P_Cl F w ([Cl]o e^(V′F/RT) − [Cl]i e^(−w)) / (1 − e^(−w)),  w = (V − V′)F/RT
    I_pump = F J f(V) Σ_isoform share/(1 + K_mK/[K]o)² / (1 + K_mNa/[Na]i)³
    f(V) = 1/(1 + 0.12 e^(−0.1 FV/RT) + 0.04 σ e^(−FV/RT)),  σ = (e^([Na]o/67.3) − 1)/7

Gates (m, h, s, n, p, q, c) relax as dx/dt = (x∞ − x)/τx with the Cannon recipe: x∞ from the
fitted Boltzmann, τ = 1/(α + β) from the fitted rate functions (parameter table, types T1–T3).
Myoplasmic Na⁺, K⁺, Cl⁻ and the bath are held fixed; [K]TT is dynamic (the K⁺ accumulation that
drives myotonic after-discharges; cannon1993). NKCC1 enters only the TT K⁺ balance (it is
electroneutral); its undocumented osmotic term is left out.

Ambiguities of the source (HUMAN_MODELS.md §1) and how each was resolved, each by a test in
``tests/unit/test_fibre.py``:

* **γ (TT/sarcolemma area ratio).** CL-DOC prints γ = (2/r)(ρ/ς), which has units of 1/cm² and
  gives 1.2·10⁶. Geometry (TT area = ρ·πr²L/ς, sarcolemma 2πrL) gives γ = (r/2)(ρ/ς) = 4.76
  for r = 40 µm, the historical γ = 4.8 (adrian1969; cannon1993). Used: (r/2)(ρ/ς).
* **Sign of m∞.** m∞³ = 1/(1 + e^(−(V − Vm)/km)) (activating); the other sign gives no action
  potential. The KCNQ α is read with P2 = −40 mV so that α rises and β falls with V and the
  rate-implied midpoint (−46 mV) lies near the fitted q∞ midpoint (−30 mV); the file's sign puts
  it at +416 mV with q∞ falling. The ClC-1 β keeps the file's sign (T2, P2 = +25 mV): c∞ then
  is nearly flat around rest (≈ 0.09–0.10) and higher when depolarised (0.13 at 0 mV), ClC-1
  carries most of the resting conductance (hodgkin1959; HUMAN_MODELS) and normal fibres show
  no after-discharges (reduced ClC-1 does not give myotonia either: known limitations).
* **Units.** With P in cm/s, F in C/mol and concentrations in mM the GHK current is in µA/cm²;
  the capacitance label 'mF/cm²' is µF/cm²; Ra in kΩ·cm² makes (Vs − Vt)/Ra µA/cm²; 1 µA/cm² of
  K⁺ efflux into the TT raises [K]t by 1e-3/(F ς) = 8.2·10⁻³ mM/ms.
* **Pump J units.** The file's 'mmol/cm²·s' makes the resting pump current ≈ 10⁴ µA/cm²; read
  as µmol/(cm²·s), F·J is in µA/cm² and the Na⁺ balance of the published resting state closes
  within a factor of 2 (pump 3 Na⁺ efflux against Nav + NKCC1 influx; tested), which the mmol
  reading misses by 10³. The TT K⁺ balance does not close: at 22 °C and [K]o 4.5 mM the model
  rests with [K]TT 0.42 mM *below* the bath (published: 0.059 mM above); at the published
  4.559 mM, NKCC1 + 2·pump uptake (0.74 µA/cm²) is 2.2× the channel efflux (0.33 µA/cm²), which
  would balance only if the rest were ≈ 3–4 mV more positive. The source's own example is
  consistent, though: with the 'Std' set of its Fig. 1 (``pump_scale`` 0.5, ``nkcc_scale`` 2,
  ``nkcc_tubule_ratio`` 0, ``g_cl_scale`` 5, its concentrations; 22 °C) the model rests at
  −84.5 mV with [K]TT 4.79 mM (figure: −84.1 mV, 4.80 mM), and 5 APs at 20 Hz peak at 36.2 …
  26.4 mV (35 … 25.5) with [K]TT peaks 5.41 … 6.42 mM (5.43 … 6.32; tested).
* **Temperature.** The published set is at 295 K. Gating rates (and 1/τ_p) scale with
  Q10 = 2.5, permeabilities, pump and NKCC turnover, 1/Ra and 1/τ_diff with Q10 = 1.5
  (the file's 'diffusion' Q10), from 295 K; RT/F uses the actual temperature.

Numerics: gates are advanced by exponential (Rush–Larsen) steps half a step out of phase with the
voltages, from tables of x∞ and e^(−dt/τ) on a 0.05 mV grid; the two voltages are advanced
together by a linearly implicit midpoint step (2×2 solve, slope conductance by a difference
quotient), which is second order and has no stiffness limit from Ra·Cm (≈ 0.02 ms at 37 °C).
GHK singularities (V → 0, and V → V′ for ClC-1) use the series limit. The integrator is compiled
with numba (cache=True); ``tests/unit/test_fibre.py`` compares it with SciPy LSODA (rtol 1e-9) on
three protocols.

Known limitations (see tests/unit/test_fibre.py): the absolute refractory period (≈ 2.0 ms) is
at the short end of human data; the rest at 4 mM (−91 mV at 37 °C) is ≈ 6 mV more negative than
measured fibres; no Ca²⁺/Mg²⁺ effects, no propagation, no force. A 200 ms current step gives one
AP followed by a block near −40 mV (Kir rectification), not a train.

**No myotonia from reduced ClC-1** (test_reduced_clc1_gives_myotonic_after_discharges is an
expected failure; ``tools/fibre_myotonia_probe.py`` measures every number below, its section in
brackets). What the model does reproduce: [K]TT rises by ≈ 0.6–0.8 mM per AP and relaxes with
τ_diff (cannonlab2024 Fig. 1: ≈ 0.6 mM per AP, 20 Hz), and the after-depolarisation it drives grows
as ClC-1 falls (22 °C, [K]o 4.5 mM, 15 ms after 20 pulses at 20 Hz: −73.5 mV, 13 mV above rest,
with g_cl_scale 1; −70.2 mV, 24 mV above rest, with 0.2) [1]. An after-discharge is repetitive
firing under a sustained depolarising drive (the TT K⁺), and the fibre has no such regime: a 200 ms
step of any amplitude from 2 to 80 µA/cm² gives at most one AP at 37 °C (two at 22 °C) with ClC-1
at 1, 0.2 or 0 [4], and with ClC-1 at 0.2 the fibre follows 10 of 25 pulses at 50 Hz [2].

The missing mechanism, measured: after an AP the fibre settles on a plateau near −50 mV held by the
window and non-inactivating Na⁺ current (f m³ + m³h ≈ 7·10⁻⁴ of the open Na⁺ current there), which
is 3.8 times as dense in the T-tubule as on the surface (γ η_Na). At 37 °C, ClC-1 0.2, 95 ms into
the 50 Hz train: Vs −49.7 mV, h 0.003, Na⁺ −18.5 µA/cm² (−14.7 of it from the T-tubule) against Kdr
+3.0, KCNQ +6.8, Kir +4.8, ClC-1 +3.0 and pump +3.6 [10]. Between that plateau and the potential
where Nav recovers (h∞ > 0.2 needs V < −73 mV with the file's h∞ midpoint −80 mV, slope 5.4 mV, from
expressed hNav1.4; m∞³ midpoint −41 mV) no outward current resets the membrane: Kdr n⁴ ≤ 0.002
at −55 mV and below, and Kir's open fraction is under 0.16 above E_K + 20 mV. A repetitive-firing
regime needs both Na⁺ channels available at the inter-spike potential and a repolarising K⁺ current
strong enough to get there against the window Na⁺ current; the parameter file does not provide it
and its one published figure (Fig. 1, five APs at 20 Hz, reproduced) does not constrain it.
Checked, each without after-discharges at reduced ClC-1 (or with them at normal ClC-1 too):

* [Cl⁻]i at its NKCC1/ClC-1 flux steady state, as the source's program sets its initial conditions
  (CL-DOC p8), instead of held: 37 °C rest −92.4, −94.5, −96.7 mV at ClC-1 1, 0.3, 0.1 ([Cl⁻]i 5.3,
  8.3, 14.1 mM; held at 5.674 mM: −91.2, −98.7, −102.6 mV); no after-discharges [5]. Holding
  [Cl⁻]i fixed exaggerates the hyperpolarisation of reduced ClC-1 but is not what blocks myotonia.
* One depolarising pulse with ClC-1 at 0 (kotsias1986, rat soleus in Cl⁻-free solution: repetitive
  APs): one AP [7].
* The Cannon lab's own demonstration (the repository's README figure, 100 ms current step: wild type
  one AP, as here; slowed fast inactivation a train and ≈ 20 Hz after-discharges; a large
  non-inactivating fraction a burst, then a plateau near −30 mV): entry into fast inactivation
  slowed 2–5 times gives one AP per step and no after-discharges; fractions 0.01 and 0.02 give one
  AP, then −26 and −13 mV [8]. The figure's parameters are not published, so this discrepancy
  cannot be traced further.
* Kdr density ×2 or ×5: one AP per step, no after-discharges. h∞ and its rates +10 mV (native rat
  fibres, I_Na halved near −70 mV: ruff1996): at 37 °C the fibre sticks near −40 mV;
  at 22 °C after-discharges at 15–21 Hz at ClC-1 1 as well as at 0.3. m and h together +5/+10 or
  +10/+20 mV: none [9]. The other reading of the ClC-1 β sign (c∞ 0.09 at −90 mV, 0.85 at 0 mV):
  none (an earlier measurement, not in the probe). Non-inactivating fraction 0.006–0.008 with
  ClC-1 0.2: the fibre sticks at −28 to −33 mV [3].
* Only two unsourced changes together (h∞ +10 mV and Kdr ×3) give after-discharges at 37 °C: 7 at
  52 Hz after a 15 µA/cm² step with ClC-1 0.3 and none with ClC-1 1, but 4 at 47 Hz with ClC-1 1
  after a 30 µA/cm² step and none after the 50 Hz train [9]. Not adopted (no source for either).

The source's own example (cannonlab2024 Fig. 1, 'Std' parameters: Scale_Cl 1, Scale_NKCC 2,
Scale_Pump 0.5, no TT NKCC1, [Cl⁻]i 4.11, [Na⁺]i 10.4 mM, rest −84.1 mV) has five times the ClC-1
density of the published default file (Scale_Cl 0.2, used here); run with those values this
implementation still shows no after-discharges at any ClC-1 fraction. The resting [K]TT sits below
the bath (37 °C, [K]o 4 mM: 3.82 mM; the file: 4.559 mM in 4.5 mM) [6], which lowers the K⁺ drive
slightly.

Example (a 1 ms pulse at 37 °C, normal [K]o)::

    >>> from utils import fibre, hh
    >>> r = fibre.simulate(hh.Pulse(150.0, start_ms=2.0, duration_ms=1.0), 30.0)
    >>> len(r.spike_times_ms)
    1
    >>> bool(-95.0 < r.v_surface_mV[0] < -78.0)
    True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache

import numpy as np
from numba import njit

from ..sources.tables import read_table
from ..validation import ParameterError, check_array, check_range
from . import hh

# --------------------------------------------------------------------------------------------
# Parameter table
# --------------------------------------------------------------------------------------------

TABLE = "fibre_parameters.csv"
_P = {row["name"]: float(row["value"]) for row in read_table(TABLE)}

F = _P["faraday_C_per_mol"]
R = _P["gas_constant_mV_C_per_K_mol"]
T_REF_K = _P["temperature_ref_K"]
SPIKE_THRESHOLD_MV = 0.0  # an action potential overshoots 0 mV
DT_MIN_MS, DT_MAX_MS = 1e-4, 0.1
V_GRID_MIN_MV, V_GRID_MAX_MV, V_GRID_STEP_MV = -200.0, 150.0, 0.05
STANDARD_PULSE_UA_PER_CM2 = 150.0  # 1 ms; ≈ 2× the 1 ms threshold at 37 °C, 4.5 mM (tested)
MYOTONIA_STEP_UA_PER_CM2 = 30.0  # 200 ms step, 2-3x its rheobase; one AP in any fibre (probe section 4)
MAX_THRESHOLD_UA_PER_CM2 = 1000.0


@dataclass(frozen=True)
class FibreParams:
    """Parameters a user may change (the rest are fixed constants of the table).

    Attributes:
        k_out_mM, na_out_mM, cl_out_mM: bath concentrations, mM (4.5, 138.3, 103.9; cannonlab2024).
        k_in_mM, na_in_mM: myoplasmic concentrations, mM (151.9, 6.888), held fixed.
        cl_in_mM: myoplasmic Cl⁻, mM (5.674), held fixed.
        g_cl_scale: ClC-1 density, 1 = normal (myotonia congenita: < 1).
        na_noninactivating_fraction: Nav fraction without fast inactivation (0.003; ATX II,
            hyperkalaemic periodic paralysis: 0.01–0.03; cannoncorey1993, cannon1993).
        g_kir_scale, g_na_scale: Kir and Nav density, 1 = published.
        cation_leak_scale: non-selective cation leak in units of the published 'damage' leak
            (P_Na = P_K = 2e-8 cm/s); 0 = none (published default). Gramicidin- or gating-pore-like.
        temperature_C: °C (37). The published set is at 295 K; see the module docstring.
        radius_um: fibre radius, µm (40), sets γ = (r/2)(ρ/ς).
        pump_scale, nkcc_scale: Na⁺/K⁺ pump and NKCC1 density scales (published default file
            1.3 and 0.35; the 'Std' set of cannonlab2024 Fig. 1: 0.5 and 2).
        nkcc_tubule_ratio: NKCC1 density in the T-tubule relative to the sarcolemma (η_NKCC;
            default file 1, 'Std' set 0). NKCC1 enters only the T-tubular K⁺ balance.
    """

    k_out_mM: float = _P["k_out_mM"]
    na_out_mM: float = _P["na_out_mM"]
    cl_out_mM: float = _P["cl_out_mM"]
    k_in_mM: float = _P["k_in_mM"]
    na_in_mM: float = _P["na_in_mM"]
    cl_in_mM: float = _P["cl_in_mM"]
    g_cl_scale: float = 1.0
    na_noninactivating_fraction: float = _P["na_noninactivating_fraction"]
    g_kir_scale: float = 1.0
    g_na_scale: float = 1.0
    cation_leak_scale: float = _P["cation_leak_scale"]
    temperature_C: float = 37.0
    radius_um: float = _P["radius_um"]
    pump_scale: float = _P["pump_scale"]
    nkcc_scale: float = _P["nkcc_scale"]
    nkcc_tubule_ratio: float = _P["eta_nkcc"]

    #: field: (unit, lowest, highest, what); checked at construction (ParameterError otherwise).
    _RANGES = {
        name: (unit, float(lo), float(hi), what)
        for name, unit, lo, hi, what in (
            row.split(" | ")
            for row in """
k_out_mM | mM | 0.1 | 100 | extracellular K+ concentration
na_out_mM | mM | 10 | 300 | extracellular Na+ concentration
cl_out_mM | mM | 1 | 300 | extracellular Cl- concentration
k_in_mM | mM | 10 | 300 | myoplasmic K+ concentration
na_in_mM | mM | 0.5 | 100 | myoplasmic Na+ concentration
cl_in_mM | mM | 0.5 | 100 | myoplasmic Cl- concentration
g_cl_scale |  | 0 | 5 | ClC-1 density, 1 = normal
na_noninactivating_fraction |  | 0 | 1 | fraction of Na+ channels that do not fast-inactivate
g_kir_scale |  | 0 | 5 | Kir density, 1 = normal
g_na_scale |  | 0 | 5 | Nav density, 1 = normal
cation_leak_scale |  | 0 | 10000 | non-selective cation leak, units of 2e-8 cm/s
temperature_C | °C | 15 | 42 | temperature; Q10 scaling from 22 °C
radius_um | µm | 5 | 100 | fibre radius
pump_scale |  | 0 | 10 | Na+/K+ pump density, units of the published pump
nkcc_scale |  | 0 | 10 | NKCC1 density, units of the published NKCC1
nkcc_tubule_ratio |  | 0 | 10 | T-tubular/sarcolemmal NKCC1 density""".strip().splitlines()
        )
    }

    def __post_init__(self):
        for f in fields(self):
            unit, lo, hi, what = self._RANGES[f.name]
            object.__setattr__(
                self, f.name, check_range(getattr(self, f.name), f.name, unit, lo=lo, hi=hi, what=what)
            )

    def replace(self, **changes) -> "FibreParams":
        """A copy with some fields changed (validated), e.g. ``p.replace(k_out_mM=8)``."""
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise ParameterError(
                f"unknown FibreParams field(s) {sorted(unknown)}; "
                f"choose from {[f.name for f in fields(self)]}."
            )
        return replace(self, **changes)

    @property
    def gamma(self) -> float:
        """TT/sarcolemma membrane area ratio γ = (r/2)(ρ/ς), dimensionless (≈ 4.8)."""
        return 0.5 * self.radius_um * 1e-4 * _P["tt_volume_fraction"] / _P["tt_volume_to_area_cm"]

    @property
    def rate_factor(self) -> float:
        """Gating-rate factor Q10_rates^((T − 295 K)/10)."""
        return _P["q10_rates"] ** ((self.temperature_C + 273.15 - T_REF_K) / 10.0)

    @property
    def transport_factor(self) -> float:
        """Permeability/pump/diffusion factor Q10_diffusion^((T − 295 K)/10)."""
        return _P["q10_diffusion"] ** ((self.temperature_C + 273.15 - T_REF_K) / 10.0)


DEFAULT_PARAMS = FibreParams()


def _params(params) -> FibreParams:
    if params is None:
        return DEFAULT_PARAMS
    if not isinstance(params, FibreParams):
        raise ParameterError(f"params must be a FibreParams, got {type(params).__name__}.")
    return params


# --------------------------------------------------------------------------------------------
# Gating (22 °C; times in ms), vectorised numpy
# --------------------------------------------------------------------------------------------


def _t1(v, p0, p1, p2):
    return p0 * np.exp(-(v - p1) / p2)


def _t2(v, p0, p1, p2):
    return p0 / (1.0 + np.exp(-(v - p1) / p2))


def _t3(v, p0, p1, p2):
    x = -(v - p1) / p2
    small = np.abs(x) < 1e-6
    xs = np.where(small, 1e-6, x)
    return np.where(small, p0 * p2 * (1.0 + 0.5 * x), p0 * (v - p1) / (1.0 - np.exp(xs)))


def _boltz(v, half, slope):
    return 1.0 / (1.0 + np.exp((v - half) / slope))


def gates_steady_state(v_mV):
    """Steady states and time constants (at 295 K, ms) of the seven gates at ``v_mV``.

    Returns ``(x_inf, tau_ms)``, each an array of shape (7, len(v)) in the order
    m, h, s (Nav), n, p (Kdr), q (KCNQ), c (ClC-1).
    """
    v = check_array(v_mV, "v_mV", "mV", lo=-200.0, hi=200.0, what="membrane potential")

    def rate(form, key):  # rate of type T1/T2/T3 from the table row <key>_rate_per_ms, _v_mV, _k_mV
        return form(v, _P[f"{key}_rate_per_ms"], _P[f"{key}_v_mV"], _P[f"{key}_k_mV"])

    def boltz(key):  # 1/(1 + e^((V − half)/slope)) from the table rows <key>_half_mV, _slope_mV
        return _boltz(v, _P[f"{key}_half_mV"], _P[f"{key}_slope_mV"])

    m_inf = (1.0 - boltz("m_na")) ** (1.0 / 3.0)
    tau_m = 1.0 / (rate(_t3, "am_na") + rate(_t1, "bm_na"))
    h_inf = boltz("h_na")
    tau_h = 1.0 / (rate(_t2, "ah_na") + rate(_t2, "bh_na"))
    s0 = _P["s_na_pedestal"]
    s_inf = s0 + (1.0 - s0) * boltz("s_na")
    tau_s = 1.0 / (rate(_t1, "as_na") + rate(_t2, "bs_na"))
    an, bn = rate(_t3, "an_kdr"), rate(_t1, "bn_kdr")
    n_inf, tau_n = an / (an + bn), 1.0 / (an + bn)
    p_inf = boltz("p_kdr")
    tau_p = np.full_like(v, _P["tau_p_kdr_ms"])
    q_inf = 1.0 - boltz("q_kcnq")
    tau_q = 1.0 / (rate(_t1, "aq_kcnq") + rate(_t1, "bq_kcnq"))
    ac, bc = rate(_t2, "ac_cl"), rate(_t2, "bc_cl")
    c_inf, tau_c = ac / (ac + bc), 1.0 / (ac + bc)
    return (
        np.array([m_inf, h_inf, s_inf, n_inf, p_inf, q_inf, c_inf]),
        np.array([tau_m, tau_h, tau_s, tau_n, tau_p, tau_q, tau_c]),
    )


_VGRID = np.arange(V_GRID_MIN_MV, V_GRID_MAX_MV + 0.5 * V_GRID_STEP_MV, V_GRID_STEP_MV)
_XINF_GRID, _TAU_GRID = gates_steady_state(_VGRID)


@lru_cache(maxsize=64)
def _tables(rate_factor: float, dt_ms: float):
    """x∞ and the exact exponential decay factor e^(−dt φ/τ) on the voltage grid."""
    dec = np.exp(-dt_ms * rate_factor / _TAU_GRID)
    return np.ascontiguousarray(_XINF_GRID), np.ascontiguousarray(dec)


# --------------------------------------------------------------------------------------------
# Constants vector (shared by the compiled kernel and the numpy reference)
# --------------------------------------------------------------------------------------------

# indices into the constants vector
(
    _CM,
    _RA,
    _GAMMA,
    _VT,
    _PNA,
    _PKDR,
    _PKIR,
    _PKCNQ,
    _PCL,
    _PLNA,
    _PLK,
    _FNI,
    _NAI,
    _NAO,
    _KI,
    _KO,
    _CLI,
    _CLO,
    _VPRIME,
    _VIR,
    _NU,
    _IPMAX,
    _KMK1,
    _KMK2,
    _KMNA,
    _SH2S,
    _SH2T,
    _SIGMA,
    _NKCC,
    _NKCC_CONST,
    _TAUD,
    _KACC,
    _ETA_NA,
    _ETA_KDR,
    _ETA_KIR,
    _ETA_KCNQ,
    _ETA_CL,
    _ETA_PUMP,
    _NCONST,
) = range(39)


@lru_cache(maxsize=256)
def _constants(p: FibreParams) -> np.ndarray:
    c = np.zeros(_NCONST)
    tf = p.transport_factor
    T = p.temperature_C + 273.15
    c[_CM] = _P["cm_uF_per_cm2"]
    c[_RA] = _P["ra_kohm_cm2"] / tf
    c[_GAMMA] = p.gamma
    c[_VT] = R * T / F  # RT/F, mV
    c[_PNA] = _P["p_na_cm_per_s"] * p.g_na_scale * tf
    c[_PKDR] = _P["p_kdr_cm_per_s"] * tf
    c[_PKIR] = _P["p_kir_cm_per_s"] * p.g_kir_scale * tf
    c[_PKCNQ] = _P["p_kcnq_cm_per_s"] * tf
    c[_PCL] = _P["p_cl_cm_per_s"] * _P["scale_cl"] * p.g_cl_scale * tf
    c[_PLNA] = _P["p_leak_na_cm_per_s"] * p.cation_leak_scale * tf
    c[_PLK] = _P["p_leak_k_cm_per_s"] * p.cation_leak_scale * tf
    c[_FNI] = p.na_noninactivating_fraction
    c[_NAI], c[_NAO] = p.na_in_mM, p.na_out_mM
    c[_KI], c[_KO] = p.k_in_mM, p.k_out_mM
    c[_CLI] = p.cl_in_mM
    c[_CLO] = p.cl_out_mM
    c[_VPRIME] = _P["v_surface_charge_cl_mV"]
    c[_VIR], c[_NU] = _P["kir_v_shift_mV"], _P["kir_slope_mV"]
    # F [C/mol] × J [µmol/(cm² s)] = µA/cm²
    c[_IPMAX] = (
        F
        * _P["pump_j_max_umol_per_cm2_s"]
        * p.pump_scale
        * tf
        / (1.0 + _P["pump_km_na_mM"] / p.na_in_mM) ** 3
    )
    c[_KMK1], c[_KMK2] = _P["pump_alpha1_km_k_mM"], _P["pump_alpha2_km_k_mM"]
    c[_KMNA] = _P["pump_km_na_mM"]
    c[_SH2S], c[_SH2T] = _P["pump_alpha2_share_surface"], _P["pump_alpha2_share_tubule"]
    c[_SIGMA] = (math.exp(p.na_out_mM / 67.3) - 1.0) / 7.0
    # NKCC K+ flux (influx positive) as µA/cm²: F × J0 [pmol/(cm² s)] × 1e-6
    c[_NKCC] = F * _P["nkcc_j0_pmol_per_cm2_s"] * 1e-6 * p.nkcc_scale * p.nkcc_tubule_ratio * tf
    c[_NKCC_CONST] = (
        math.log(p.na_out_mM / p.na_in_mM) + 2.0 * math.log(p.cl_out_mM / c[_CLI]) - math.log(p.k_in_mM)
    )
    c[_TAUD] = _P["tau_tt_diffusion_ms"] / tf
    c[_KACC] = 1e-3 / (F * _P["tt_volume_to_area_cm"])  # mM/ms per µA/cm² of TT membrane
    c[_ETA_NA], c[_ETA_KDR], c[_ETA_KIR] = _P["eta_na"], _P["eta_kdr"], _P["eta_kir"]
    c[_ETA_KCNQ], c[_ETA_CL], c[_ETA_PUMP] = _P["eta_kcnq"], _P["eta_cl"], _P["eta_pump"]
    return c


# --------------------------------------------------------------------------------------------
# Currents: one compiled scalar version (kernel) and one numpy version (reference, root finding)
# --------------------------------------------------------------------------------------------


@njit(cache=True, error_model="numpy")
def _ghk_factor(u, e_mu):
    # u / (1 − e^(−u)), with the limit 1 + u/2 near u = 0
    if abs(u) < 1e-6:
        return 1.0 + 0.5 * u
    return u / (1.0 - e_mu)


@njit(cache=True, error_model="numpy")
def _membrane_current(v, m, h, s, n, p, q, cg, ko, tub, c):
    """(total ionic, K⁺ through channels and leak, pump, ClC-1) current in µA/cm² of this
    membrane at potential ``v`` with gates m, h, s, n, p, q, c (= ``cg``) and outer [K⁺] ``ko``;
    ``tub`` applies the T-tubule density ratios η and pump isoform share."""
    vt = c[_VT]
    u = v / vt
    e_mu = math.exp(-u)
    gf = _ghk_factor(u, e_mu)
    ina_open = F * gf * (c[_NAI] - c[_NAO] * e_mu)  # per unit permeability
    ik_open = F * gf * (c[_KI] - ko * e_mu)
    ena = ekdr = ekir = ekq = ecl = epump = 1.0
    share2 = c[_SH2S]
    if tub:
        ena, ekdr, ekir, ekq = c[_ETA_NA], c[_ETA_KDR], c[_ETA_KIR], c[_ETA_KCNQ]
        ecl, epump, share2 = c[_ETA_CL], c[_ETA_PUMP], c[_SH2T]
    fni = c[_FNI]
    i_na = ena * c[_PNA] * m * m * m * s * (h * (1.0 - fni) + fni) * ina_open
    ek = vt * math.log(ko / c[_KI])
    r = 1.0 / (1.0 + math.exp((v - ek - c[_VIR]) / c[_NU]))
    i_k = (ekdr * c[_PKDR] * n * n * n * n * p + ekir * c[_PKIR] * r + ekq * c[_PKCNQ] * q) * ik_open
    w = (v - c[_VPRIME]) / vt
    e_w = e_mu * math.exp(c[_VPRIME] / vt)
    i_cl = (
        ecl * c[_PCL] * cg * F * _ghk_factor(w, e_w) * (c[_CLO] * math.exp(c[_VPRIME] / vt) - c[_CLI] * e_w)
    )
    i_leak_k = c[_PLK] * ik_open
    i_leak = c[_PLNA] * ina_open + i_leak_k
    fv = 1.0 / (1.0 + 0.12 * math.exp(-0.1 * u) + 0.04 * c[_SIGMA] * e_mu)
    kk1 = 1.0 + c[_KMK1] / ko
    kk2 = 1.0 + c[_KMK2] / ko
    i_pump = epump * c[_IPMAX] * fv * ((1.0 - share2) / (kk1 * kk1) + share2 / (kk2 * kk2))
    return i_na + i_k + i_cl + i_leak + i_pump, i_k + i_leak_k, i_pump, i_cl


@njit(cache=True, error_model="numpy")
def _membrane_current_flat(v, x, ko, tub, c):
    out = np.empty((4, v.size))
    for k in range(v.size):
        out[0, k], out[1, k], out[2, k], out[3, k] = _membrane_current(
            v[k], x[0, k], x[1, k], x[2, k], x[3, k], x[4, k], x[5, k], x[6, k], ko[k], tub, c
        )
    return out


def _membrane_current_np(v, x, ko, tub, c):
    """Array front end of :func:`_membrane_current` (the one definition of the currents):
    ``v`` (...), gates ``x`` (7, ...) and ``ko`` broadcast together. Returns the arrays
    (total, I_K, I_pump, I_Cl)."""
    v = np.asarray(v, float)
    x = np.asarray(x, float)
    ko = np.asarray(ko, float)
    shape = np.broadcast_shapes(v.shape, x.shape[1:], ko.shape)
    flat = _membrane_current_flat(
        np.ascontiguousarray(np.broadcast_to(v, shape).ravel()),
        np.ascontiguousarray(np.broadcast_to(x, (7, *shape)).reshape(7, -1)),
        np.ascontiguousarray(np.broadcast_to(ko, shape).ravel()),
        bool(tub),
        c,
    )
    return tuple(row.reshape(shape) for row in flat)


def _nkcc_k_influx(kt, c):
    """NKCC1 K⁺ (= Na⁺) influx as µA/cm²-equivalent; the Cl⁻ influx is twice this."""
    return c[_NKCC] * (c[_NKCC_CONST] + np.log(kt))


def currents_at(v_mV, k_tt_mM=None, params=None, tubule=False, gates=None):
    """Ionic current (µA/cm² of that membrane) with gates at steady state (or given ``gates``).

    Returns a dict: ``total``, ``k`` (K⁺ through channels and leak) and ``pump``.
    """
    p = _params(params)
    c = _constants(p)
    v = check_range_array(v_mV)
    if gates is None:
        x = gates_steady_state(v)[0]
    else:
        try:
            x = np.asarray(gates, float)
        except (TypeError, ValueError, OverflowError):
            x = np.asarray(np.nan)
        if x.shape[:1] != (7,) or not np.isfinite(x).all() or (x < 0).any() or (x > 1).any():
            raise ParameterError(
                "gates must be the 7 gate values in [0, 1] (m, h, s, n, p, q, c), one row each."
            )
    if k_tt_mM is None:
        ko = p.k_out_mM
    elif np.ndim(k_tt_mM) == 0:
        ko = check_range(k_tt_mM, "k_tt_mM", "mM", lo=0.0, hi=1000.0, lo_open=True, what="tubular K⁺")
    else:
        ko = check_array(k_tt_mM, "k_tt_mM", "mM", lo=0.0, hi=1000.0, lo_open=True, what="tubular K⁺")
    tot, ik, ip, icl = _membrane_current_np(v, x, ko, tubule, c)
    return {"total": tot, "k": ik, "pump": ip, "cl": icl}


# --------------------------------------------------------------------------------------------
# The compiled integrator
# --------------------------------------------------------------------------------------------


@njit(cache=True, error_model="numpy")
def _lookup(v):
    x = (v - V_GRID_MIN_MV) / V_GRID_STEP_MV
    if x < 0.0:
        x = 0.0
    nmax = (V_GRID_MAX_MV - V_GRID_MIN_MV) / V_GRID_STEP_MV - 1.0
    if x > nmax:
        x = nmax
    i = int(x)
    return i, x - i


@njit(cache=True, error_model="numpy")
def _advance_gates(g, v, xinf, dec):
    i, fr = _lookup(v)
    for j in range(7):
        xi = xinf[j, i] + fr * (xinf[j, i + 1] - xinf[j, i])
        d = dec[j, i] + fr * (dec[j, i + 1] - dec[j, i])
        g[j] = xi + (g[j] - xi) * d


@njit(cache=True, error_model="numpy")
def _kernel(y0, i_stim, dt, xinf, dec, xinf_half, dec_half, c, rec_every):
    """Integrate from state y0 = [Vs, Vt, Kt, 7 surface gates, 7 tubule gates].

    Gates live at half steps (Rush–Larsen); voltages by a linearly implicit midpoint step.
    Returns recorded Vs, Vt, Kt, the final state and a status (0 ok, 1 blow-up).
    """
    n_steps = i_stim.shape[0]
    n_rec = n_steps // rec_every + 1
    vs_rec = np.empty(n_rec)
    vt_rec = np.empty(n_rec)
    kt_rec = np.empty(n_rec)
    vs = y0[0]
    vt = y0[1]
    kt = y0[2]
    gs = y0[3:10].copy()
    gt = y0[10:17].copy()
    vs_rec[0], vt_rec[0], kt_rec[0] = vs, vt, kt
    _advance_gates(gs, vs, xinf_half, dec_half)
    _advance_gates(gt, vt, xinf_half, dec_half)
    cm, ra, gam, ko = c[_CM], c[_RA], c[_GAMMA], c[_KO]
    dlt = 1e-3
    decay_k = math.exp(-dt / c[_TAUD])
    status = 0
    irec = 1
    countdown = rec_every
    for k in range(n_steps):
        i_s, _, _, _ = _membrane_current(vs, gs[0], gs[1], gs[2], gs[3], gs[4], gs[5], gs[6], ko, False, c)
        i_s2, _, _, _ = _membrane_current(
            vs + dlt, gs[0], gs[1], gs[2], gs[3], gs[4], gs[5], gs[6], ko, False, c
        )
        i_t, ik_t, ip_t, _ = _membrane_current(
            vt, gt[0], gt[1], gt[2], gt[3], gt[4], gt[5], gt[6], kt, True, c
        )
        i_t2, _, _, _ = _membrane_current(
            vt + dlt, gt[0], gt[1], gt[2], gt[3], gt[4], gt[5], gt[6], kt, True, c
        )
        g_s = (i_s2 - i_s) / dlt
        g_t = (i_t2 - i_t) / dlt
        # linearly implicit midpoint step for (Vs, Vt)
        iax = (vs - vt) / ra
        a11 = cm / dt + 0.5 * g_s + 0.5 / ra
        a12 = -0.5 / ra
        a22 = gam * cm / dt + 0.5 * gam * g_t + 0.5 / ra
        b1 = i_stim[k] - i_s - iax
        b2 = iax - gam * i_t
        det = a11 * a22 - a12 * a12
        dvs = (b1 * a22 - a12 * b2) / det
        dvt = (a11 * b2 - a12 * b1) / det
        # TT K+: exponential relaxation towards the bath with the frozen transmembrane flux
        flux = c[_KACC] * (ik_t - c[_NKCC] * (c[_NKCC_CONST] + math.log(kt)) - 2.0 * ip_t)
        kinf = ko + flux * c[_TAUD]
        kt = kinf + (kt - kinf) * decay_k
        if kt < 1e-3:
            kt = 1e-3
        vs += dvs
        vt += dvt
        if not (abs(vs) < 500.0 and abs(vt) < 500.0):
            status = 1
            break
        _advance_gates(gs, vs, xinf, dec)
        _advance_gates(gt, vt, xinf, dec)
        countdown -= 1
        if countdown == 0:
            countdown = rec_every
            vs_rec[irec], vt_rec[irec], kt_rec[irec] = vs, vt, kt
            irec += 1
    final = np.empty(17)
    final[0], final[1], final[2] = vs, vt, kt
    final[3:10] = gs
    final[10:17] = gt
    return vs_rec[:irec], vt_rec[:irec], kt_rec[:irec], final, status


# --------------------------------------------------------------------------------------------
# Steady states (root finding on the steady-state current) and the reference right-hand side
# --------------------------------------------------------------------------------------------


def _tt_k_balance(kt, vt, xt, c, ko):
    _, ik, ip, _ = _membrane_current_np(vt, xt, kt, True, c)
    return c[_KACC] * c[_TAUD] * (ik - _nkcc_k_influx(kt, c) - 2.0 * ip) - (kt - ko)


def _tt_state(vs, p: FibreParams):
    """Given Vs at steady state: Vt (Ra current = sarcolemmal ionic current) and [K]t (TT K⁺
    balance, Newton's method)."""
    c = _constants(p)
    xs = gates_steady_state(vs)[0]
    i_s = _membrane_current_np(vs, xs, p.k_out_mM, False, c)[0]
    vt = vs + c[_RA] * i_s
    xt = gates_steady_state(vt)[0]
    kt = np.full_like(vt, p.k_out_mM)
    for _ in range(30):
        g0 = _tt_k_balance(kt, vt, xt, c, p.k_out_mM)
        g1 = _tt_k_balance(kt * (1 + 1e-6), vt, xt, c, p.k_out_mM)
        dk = -g0 / ((g1 - g0) / (kt * 1e-6))
        kt = np.clip(kt + dk, 1e-3, 1e3)
        if np.all(np.abs(dk) < 1e-12):
            break
    return vt, kt, xs, xt, i_s


def _ss_residual(vs, p):
    vt, kt, _, xt, i_s = _tt_state(vs, p)
    c = _constants(p)
    i_t = _membrane_current_np(vt, xt, kt, True, c)[0]
    return i_s + c[_GAMMA] * i_t


def steady_state_current(v_mV, params=None):
    """Net steady-state ionic current (µA/cm² of sarcolemma, TT included: I_s + γ I_t) at
    sarcolemmal potential ``v_mV``, gates and [K]TT at their steady state. Its zeros are the
    resting potentials."""
    p = _params(params)
    v = check_range_array(v_mV)
    return _ss_residual(v, p)


def check_range_array(v_mV):
    """``v_mV`` as a 1-D float array of finite values in [-200, 200] mV (else ParameterError)."""
    return check_array(v_mV, "v_mV", "mV", lo=-200.0, hi=200.0, what="membrane potential")


def _rhs_np(y, p: FibreParams, i_stim=0.0, c=None):
    """Right-hand side of the 17 ODEs with analytic rate functions (the reference for LSODA and
    for the stability of steady states). y = [Vs, Vt, Kt, 7 surface gates, 7 tubule gates]."""
    c = _constants(p) if c is None else c
    vs, vt, kt = y[0], y[1], y[2]
    gs = y[3:10]
    gt = y[10:17]
    i_s = _membrane_current_np(np.array([vs]), gs[:, None], c[_KO], False, c)[0][0]
    i_t, ik_t, ip_t, _ = (a[0] for a in _membrane_current_np(np.array([vt]), gt[:, None], kt, True, c))
    iax = (vs - vt) / c[_RA]
    dy = np.empty(17)
    dy[0] = (i_stim - i_s - iax) / c[_CM]
    dy[1] = (iax - c[_GAMMA] * i_t) / (c[_GAMMA] * c[_CM])
    dy[2] = c[_KACC] * (ik_t - _nkcc_k_influx(kt, c) - 2.0 * ip_t) - (kt - c[_KO]) / c[_TAUD]
    phi = p.rate_factor
    xs_inf, tau_s = gates_steady_state(vs)
    xt_inf, tau_t = gates_steady_state(vt)
    dy[3:10] = phi * (xs_inf[:, 0] - gs) / tau_s[:, 0]
    dy[10:17] = phi * (xt_inf[:, 0] - gt) / tau_t[:, 0]
    return dy


def _steady_vector(vs, p):
    vt, kt, xs, xt, _ = _tt_state(np.array([vs]), p)
    return np.concatenate(([vs, vt[0], kt[0]], xs[:, 0], xt[:, 0]))


def _is_stable(y, p):
    n = y.size
    J = np.empty((n, n))
    for j in range(n):
        h = 1e-6 * max(1.0, abs(y[j]))
        yp, ym = y.copy(), y.copy()
        yp[j] += h
        ym[j] -= h
        J[:, j] = (_rhs_np(yp, p) - _rhs_np(ym, p)) / (2 * h)
    lam = np.linalg.eigvals(J)
    return bool(np.max(lam.real) < 0.0)


@lru_cache(maxsize=512)
def _steady_states(p: FibreParams):
    """Stable steady states as (Vs, 17-vector), most negative first."""
    from scipy.optimize import brentq  # noqa: PLC0415 (deferred: scipy costs ~1 s at kernel start)

    grid = np.arange(-160.0, 40.0001, 0.5)
    r = _ss_residual(grid, p)
    out = []
    for i in np.flatnonzero(np.sign(r[:-1]) * np.sign(r[1:]) <= 0):
        if r[i] == r[i + 1]:
            continue
        v = brentq(lambda x: float(_ss_residual(np.array([x]), p)[0]), grid[i], grid[i + 1], xtol=1e-9)
        y = _steady_vector(v, p)
        if _is_stable(y, p):
            out.append((v, y))
    return tuple(out)


def steady_states(params=None) -> list[float]:
    """Stable resting potentials of the sarcolemma (mV), most negative first.

    Found by root finding on the steady-state current (gates, TT voltage and [K]TT at their
    steady state for each sarcolemmal potential; a 0.5 mV scan then Brent's method), keeping only
    roots whose full 17-variable Jacobian has all eigenvalues in the left half plane.

    >>> from utils import fibre
    >>> [round(v) for v in fibre.steady_states(fibre.FibreParams(k_out_mM=4.0))]
    [-91]
    """
    p = _params(params)
    return [float(t[0]) for t in _steady_states(p)]


def _rest_tuple(p, near_mV=None):
    ss = _steady_states(p)
    if not ss:
        raise ParameterError(
            "no stable resting state for these parameters (the fibre "
            "oscillates or fires spontaneously); pass initial_state to start."
        )
    if near_mV is None:
        return ss[0]
    near = check_range(near_mV, "near_mV", "mV", lo=-200.0, hi=200.0, what="start potential")
    return min(ss, key=lambda t: abs(t[0] - near))


def resting_cl_in_mM(params=None) -> float:
    """Myoplasmic [Cl⁻] (mM) used in runs (held fixed at ``params.cl_in_mM``)."""
    return _params(params).cl_in_mM


def resting_state(params=None, near_mV=None) -> np.ndarray:
    """The full 17-variable steady state (Vs, Vt, [K]t, surface gates, TT gates) of the stable
    resting potential nearest ``near_mV`` (default: the most negative)."""
    return _rest_tuple(_params(params), near_mV)[1].copy()


# --------------------------------------------------------------------------------------------
# Simulation
# --------------------------------------------------------------------------------------------


def default_dt_ms(params=None) -> float:
    """Default step: 0.04 ms divided by the gating-rate factor (0.01 ms at 37 °C), in ms."""
    p = _params(params)
    return float(min(DT_MAX_MS, max(0.002, 0.04 / p.rate_factor)))


@dataclass(frozen=True, eq=False)
class FibreResult:
    """One simulation, sampled at ``t_ms``.

    Attributes:
        t_ms: time, ms.
        v_surface_mV, v_tubule_mV: sarcolemmal and T-tubular membrane potential, mV.
        k_tubule_mM: [K⁺] in the T-tubule lumen, mM.
        spike_times_ms: upward crossings of 0 mV by the sarcolemma (overshooting APs), ms.
        stimulus_uA_per_cm2: the stimulus on the sampling grid, µA/cm².
        params: the FibreParams used.
    """

    t_ms: np.ndarray
    v_surface_mV: np.ndarray
    v_tubule_mV: np.ndarray
    k_tubule_mM: np.ndarray
    spike_times_ms: np.ndarray
    stimulus_uA_per_cm2: np.ndarray = field(repr=False)
    params: FibreParams = field(repr=False, default=DEFAULT_PARAMS)
    final_state: np.ndarray = field(repr=False, default=None)

    @property
    def n_spikes(self) -> int:
        return int(self.spike_times_ms.size)


def _crossings(t, v, level):
    up = np.flatnonzero((v[:-1] < level) & (v[1:] >= level))
    frac = (level - v[up]) / (v[up + 1] - v[up])
    return t[up] + frac * (t[up + 1] - t[up])


def simulate(
    stimulus, t_stop_ms, params=None, dt_ms=None, *, record_dt_ms=None, initial_state=None, start_near_mV=None
) -> FibreResult:
    """Simulate the fibre for ``t_stop_ms`` ms under ``stimulus`` (hh stimulus pieces, µA/cm²).

    Starts from the stable resting state (the most negative, or the one nearest
    ``start_near_mV``) unless ``initial_state`` (a 17-vector, e.g. ``result.final_state``) is
    given. ``dt_ms`` defaults to :func:`default_dt_ms`; ``record_dt_ms`` thins the output (a
    multiple of dt; default every step).

    >>> from utils import fibre, hh
    >>> r = fibre.simulate(hh.Step(0.0), 10.0)
    >>> float(r.t_ms[-1]), r.n_spikes
    (10.0, 0)
    """
    p = _params(params if params is not None else FibreParams())
    if not isinstance(stimulus, hh.Stimulus):
        raise ParameterError(
            f"stimulus must be an hh stimulus piece (Pulse, Step, ... or a sum), "
            f"got {type(stimulus).__name__}."
        )
    t_stop = check_range(
        t_stop_ms, "t_stop_ms", "ms", lo=0.0, lo_open=True, hi=1e6, what="simulated duration"
    )
    if dt_ms is None:  # the default step, shortened so that t_stop falls on the grid
        n = max(1, int(math.ceil(t_stop / default_dt_ms(p) - 1e-9)))
        dt = t_stop / n
    else:
        dt = check_range(dt_ms, "dt_ms", "ms", lo=DT_MIN_MS, hi=DT_MAX_MS, what="integration step")
        n = max(1, int(math.ceil(t_stop / dt - 1e-9)))
    rec = (
        1
        if record_dt_ms is None
        else max(
            1,
            int(
                round(
                    check_range(
                        record_dt_ms, "record_dt_ms", "ms", lo=dt, hi=t_stop, what="sampling interval"
                    )
                    / dt
                )
            ),
        )
    )
    if initial_state is None:
        y0 = _rest_tuple(p, start_near_mV)[1].copy()
    else:
        y0 = np.asarray(initial_state, float)
        if y0.shape != (17,) or not np.all(np.isfinite(y0)):
            raise ParameterError(
                "initial_state must be 17 finite numbers "
                "(Vs mV, Vt mV, [K]t mM, 7 surface gates, 7 TT gates)."
            )
    i = np.ascontiguousarray(stimulus.step_means(n, dt), dtype=float)
    xinf, dec = _tables(p.rate_factor, dt)
    _, dec_half = _tables(p.rate_factor, 0.5 * dt)
    vs, vt, kt, final, status = _kernel(y0, i, dt, xinf, dec, xinf, dec_half, _constants(p), rec)
    if status:
        raise hh.SimulationError(
            "the fibre simulation left the range |V| < 500 mV (numerical blow-up); reduce dt_ms."
        )
    t = np.arange(vs.size) * (rec * dt)
    if t.size and abs(t[-1] - t_stop) < 1e-9 * max(1.0, t_stop):
        t[-1] = t_stop
    stim = np.append(i[::rec], i[-1])[: t.size]
    return FibreResult(
        t_ms=t,
        v_surface_mV=vs,
        v_tubule_mV=vt,
        k_tubule_mM=kt,
        spike_times_ms=_crossings(t, vs, SPIKE_THRESHOLD_MV),
        stimulus_uA_per_cm2=stim,
        params=p,
        final_state=final,
    )


# --------------------------------------------------------------------------------------------
# Excitability: what the muscle does
# --------------------------------------------------------------------------------------------


def _fires(p, y0, amp, dur=1.0, t_stop=15.0):
    r = simulate(hh.Pulse(amp, start_ms=1.0, duration_ms=dur), t_stop, p, initial_state=y0)
    return r.n_spikes > 0, r


def threshold_pulse(params=None, duration_ms=1.0, initial_state=None) -> float:
    """Smallest current (µA/cm², to 0.5 %) of a ``duration_ms`` pulse that gives an overshooting
    AP from rest; ``inf`` if even 1000 µA/cm² fails (inexcitable)."""
    p = _params(params)
    dur = check_range(duration_ms, "duration_ms", "ms", lo=0.01, hi=100.0, what="pulse duration")
    y0 = resting_state(p) if initial_state is None else np.asarray(initial_state, float)
    if not _fires(p, y0, MAX_THRESHOLD_UA_PER_CM2, dur)[0]:
        return math.inf
    lo, hi = 0.0, MAX_THRESHOLD_UA_PER_CM2
    while hi - lo > 0.005 * hi:
        mid = 0.5 * (lo + hi)
        if _fires(p, y0, mid, dur)[0]:
            hi = mid
        else:
            lo = mid
    return hi


@lru_cache(maxsize=256)
def _excitability(p: FibreParams):
    ss = steady_states(p)
    out = {"steady_states_mV": ss, "bistable": len(ss) > 1}
    if not ss:
        out.update(
            rest_mV=math.nan,
            threshold_1ms_uA_per_cm2=math.nan,
            fires=True,
            ap_peak_mV=math.nan,
            after_discharges=-1,
            spontaneous=True,
        )
        return out
    y0 = resting_state(p)
    out["rest_mV"] = ss[0]
    out["spontaneous"] = False
    out["threshold_1ms_uA_per_cm2"] = threshold_pulse(p, 1.0, y0)
    fires, r = _fires(p, y0, STANDARD_PULSE_UA_PER_CM2, 1.0, 20.0)
    out["fires"] = fires
    out["ap_peak_mV"] = float(r.v_surface_mV.max()) if fires else math.nan
    step = simulate(
        hh.Step(MYOTONIA_STEP_UA_PER_CM2, start_ms=5.0, duration_ms=200.0), 705.0, p, initial_state=y0
    )
    st = step.spike_times_ms
    out["spikes_during_step"] = int(np.sum((st >= 5.0) & (st < 205.0)))
    out["after_discharges"] = int(np.sum(st >= 207.0))
    out["k_tubule_peak_mM"] = float(step.k_tubule_mM.max())
    if len(ss) > 1:
        out["depolarised_state_mV"] = ss[-1]
    return out


def excitability(params=None) -> dict:
    """What the muscle fibre does under ``params`` (cached). Keys:

    ``rest_mV`` (most negative stable rest), ``steady_states_mV`` (all stable rests),
    ``bistable``, ``threshold_1ms_uA_per_cm2`` (inf = inexcitable), ``fires`` (does the standard
    1 ms, 150 µA/cm² pulse give an overshooting AP), ``ap_peak_mV``, ``spikes_during_step`` and
    ``after_discharges`` (APs after the end of a 200 ms, 30 µA/cm² step, counted for 500 ms;
    > 0 = myotonia), ``k_tubule_peak_mM`` and, when bistable, ``depolarised_state_mV``.

    >>> from utils import fibre
    >>> e = fibre.excitability(fibre.FibreParams(k_out_mM=4.0))
    >>> e["fires"], e["after_discharges"]
    (True, 0)
    """
    return dict(_excitability(_params(params)))

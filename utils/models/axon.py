"""A mammalian motor axon at 37 °C: the McIntyre–Richardson–Grill (2002) double cable, with the
Gaines et al. (2018) human motor parameter set as a variant of the same code.

What is modelled (mcintyre2002; mcintyre2002_code; gaines2018; gaines2018_code; HUMAN_MODELS.md §2)
-----------------------------------------------------------------------------------------------------
A myelinated fibre of ``n_nodes`` nodes of Ranvier. Each internode is ten sections,
MYSA – FLUT – 6 × STIN – FLUT – MYSA (myelin attachment, paranode main part, internode proper), each
one compartment, exactly as the published NEURON code draws them (one segment per section). Every
compartment has two potentials, which is the *double cable*:

* the potential inside the axon, ``vi``, and the potential of the thin periaxonal space between the
  axon membrane and the myelin, ``e``; the membrane potential is ``V = vi − e``;
* inside: axial resistance of the axoplasm (ρ = 70 Ω·cm, on the section's own inner diameter);
* periaxonal space: a longitudinal resistance ρ·/(π((d/2 + w)² − (d/2)²)) per unit length, with
  gap width w (2 nm at node and MYSA, 4 nm at FLUT and STIN);
* myelin: a leaky capacitor from the periaxonal space to ground, xc = c_lamella/(2 nl) and
  xg = g_lamella/(2 nl) per unit area of the fibre surface (nl lamellae, two membranes each);
  at the node there is no myelin and the periaxonal node is tied to ground (xg = 10¹⁰ S/cm²).

Kirchhoff's current law per compartment k (outward membrane current positive; units nF, µS, mV,
ms, nA)::

    C_k dV_k/dt + I_ion,k(V_k) = Σ_j Ga_kj (vi_j − vi_k) + I_stim,k           (inside)
    Cx_k de_k/dt + Gx_k e_k    = C_k dV_k/dt + I_ion,k + Σ_j Gp_kj (e_j − e_k)  (periaxonal)

with Ga, Gp the conductances between neighbouring compartment centres (half of each section's
resistance, as NEURON connects one-segment sections) and sealed ends at both end nodes.

Node membrane (AXNODE.mod; node_motor.mod)::

    I_ion = gNaf m³h (V − E_Na) + gNaP p³ (V − E_Na) + gKs s (V − E_K) + gKf n⁴ (V − E_K)
            + gL (V − E_L)

gNaf 3, gNaP 0.01, gKs 0.08, gL 0.007 S/cm²; gKf 0 in MRG and 0.02568 S/cm² in Gaines; E_Na = +50,
E_K = E_L = −90 mV. Rates (ms⁻¹, V in mV; each ratio x/(1 − e^(−x/c)) is evaluated as c at
x = 0, its limit):

* p: α = 0.01 (V+27)/(1 − e^(−(V+27)/10.2)),  β = 0.00025 (−(V+34))/(1 − e^((V+34)/10));
* m: α = 1.86 (V+B)/(1 − e^(−(V+B)/10.3)) with B = 21.4 (MRG) or 20.4 mV (Gaines),
  β = 0.086 (−(V+25.7))/(1 − e^((V+25.7)/9.16));
* h: α = 0.062 (−(V+114))/(1 − e^((V+114)/11)),  β = 2.3/(1 + e^(−(V+31.8)/13.4));
* s: with u = V + 80, α = 0.3/(1 + e^((u−27)/−5)),  β = 0.03/(1 + e^((u+10)/−1));
* n (Gaines): α = 0.0462 (V+83.2)/(1 − e^(−(V+83.2)/1.1)),
  β = 0.0824 (−(V+66))/(1 − e^((V+66)/10.5));
* q (HCN, Gaines internodes): α = 0.00522 e^(−(V+107.3)/12.2), β = 0.00522 e^((V+107.3)/12.2).

Rates are multiplied by 2.2^((T−20)/10) (m, p), 2.9^((T−20)/10) (h) and 3^((T−36)/10) (s, n, q).
Internodes: passive in MRG (g = 0.001 MYSA, 0.0001 FLUT and STIN S/cm² of axon membrane,
reversal −80 mV); in Gaines each internodal section carries slow K⁺, fast K⁺ (MYSA 0.15074,
FLUT/STIN 0.02568 S/cm² on the drawn diameter D), HCN (0.002232, E_q = −54.9 mV) and leak
(MYSA 0.002, FLUT/STIN 0.0002, E_L = E_K). Every number is in ``data/axon_parameters.csv`` and
``data/axon_geometry.csv`` with its source key.

Additions to the published models (each a parameter of :class:`AxonParams`, with source and
uncertainty in the table)
* **E_K from [K⁺]o by Nernst**: E_K = (RT/F) ln([K]o/[K]i), with [K]i fixed so that E_K = −90 mV
  at ``k_out_ref_mM`` (4 mM, the series' reference serum K⁺) and 37 °C. Where the source sets a
  leak reversal equal to E_K (MRG node; all Gaines leaks) that leak follows E_K; the MRG internodal
  e_pas (−80 mV) and E_q stay fixed.
* **Surface-charge screening by Ca²⁺ (and weaker Mg²⁺)**: every α and β of every gate is evaluated
  at V − s, with s = k ln(Ca/Ca_ref) + k ln((Ca + f Mg)/(Ca + f Mg_ref)) (k = 6 mV per e-fold,
  4–9 quoted; f = 0.2, 0–0.4; frankenhaeuser1957; reference_sheet §3.2; the same law as
  :mod:`utils.electrolytes`). Low Ca gives s < 0: the gates "see" a more depolarised membrane.
* **Fast K⁺ (Kv1) loss**: ``g_kf_scale`` multiplies every fast-K⁺ density. The MRG node has slow
  K⁺ only (in the MRG picture the Kv1 channels sit juxtaparanodally under the myelin and take no
  part in a normal impulse), so in ``variant="mrg2002"`` there is no Kv1 to lose and a
  ``g_kf_scale`` other than 1 is refused with a message pointing to ``variant="gaines_motor"``,
  whose node and internodes carry the fast K⁺ that antibodies block in neuromyotonia. Measured:
  with ``g_kf_scale = 0`` the Gaines fibre still fires once per stimulus (its depolarising
  afterpotential grows only from +1.5 to +3.0 mV at 2 ms), and so it does with the slow K⁺
  removed as well, at ionised Ca down to 0.15 mM, cooled to 20 °C, or with the last
  internode's myelin thinned; Kv1.1-null myelinated axons are likewise nearly normal
  (glasscock2012). See Limitations.
* **Demyelination**: ``myelin_lamellae_scale`` multiplies the number of lamellae nl (fewer lamellae:
  larger myelin capacitance and conductance; conduction slows, then fails).
* Between the rows of the MRG geometry table each column is interpolated linearly; the Gaines
  variant uses its own regression lines (motor_final.hoc) at every diameter.

Numerics
--------
Voltages: backward Euler on the whole double cable (the same scheme as NEURON's default). With the
gates frozen over a step every current is linear in V, so each step is one linear solve of a
block-tridiagonal system (2×2 blocks, unknowns (V_k, e_k)), done by block Thomas elimination in
O(n). Gates: exponential Euler (exact for frozen V) after the voltage solve, as NEURON's ``cnexp``.
The node (1 µm, C ≈ 0.2 pF) and the 2–4 nm periaxonal gaps make the system very stiff (time
constants of tens of ns); backward Euler is L-stable, so the step is limited by accuracy only.
Crank–Nicolson would ring on those modes (amplification ≈ −1). The default step is 0.005 ms, the
published one; the accuracy against a SciPy ``solve_ivp`` (Radau, rtol 1e-8) solution of the
same equations is measured in ``tests/unit/test_axon.py`` and ``benchmarks/bench_axon.py``.
NEURON itself, running the same MRG fibre built from the same equations and tables
(``tests/unit/test_axon_neuron.py``), gives the same spike times at the same step (largest
difference ≈ 1e-10 ms over 21 nodes) and the same conduction velocity; NEURON's Crank–Nicolson
(``secondorder = 2``) is less accurate here than its backward Euler (bench_axon.py). The
integrator is compiled by numba (``cache=True``).

Rest is the steady state of the whole fibre (Newton's method on the block-tridiagonal system),
not ``v_init``: for Gaines it lands on the published v_init −85.94 mV at the node.

Fewer nodes
-----------
The published runs use 21 nodes; sliders can use 5–21. Both ends are sealed (no current leaves),
so an end node sees a higher input resistance and fires more easily; its impulse also speeds up
over the last internode. Stimulate and measure at least two nodes away from an end: with 5 nodes
only the middle node is free of end effects, and conduction velocity is then measured over one
internode next to a sealed end: at 10 µm (MRG) it reads 68.5 m/s with 5 nodes, 58.1 with 11 and
56.4 with 21 (+21 %, +3 %, reference). Thresholds and the recovery cycle at the middle node change
by less (``tests/unit/test_axon.py`` checks 11 against 21 nodes).

Limitations (measured; ``tests/unit/test_axon.py``)
---------------------------------------------------
* **Potassium in MRG.** With the node leak following E_K, MRG's node is far more K⁺-sensitive
  than human axons: superexcitability grows with [K]o (−20 % at 4 mM, −64 % at 5 mM), the rest
  is unstable (spontaneous firing) at 6 mM and absent at 7 mM. Human hyperkalaemic axons show
  less superexcitability (krishnan2005). The leak is not the cause: AXNODE.mod and
  node_motor.mod set ``el`` and ``ek`` as two separate constants (−90 mV each; nothing follows
  [K]o in the sources), and with the node leak held at −90 mV the superexcitability still grows
  (−20.5 % at 4 mM, −39.8 % at 5 mM): a less negative E_K weakens the node's only K⁺ current
  (slow, Kv7-like) and deepens the depolarising afterpotential. The Gaines set behaves in the
  human direction for refractoriness (threshold at 2 ms +6 % → +16 % at 6 mM) but has no
  superexcitability to lose (least threshold change over 1.5–8 ms +3.5 % at 4 mM, +2.0 % at 5
  and 6 mM: never below control). Letting MRG's internodal e_pas (−80 mV; not K⁺-selective in
  MRGaxon.hoc) move with E_K is unsourced and makes it worse (rest −80.0 → −65.1 mV at 5 mM).
  Hyperkalaemic *loss* of superexcitability needs what neither set has: a depolarising
  afterpotential curtailed by paranodal fast K⁺ (the Bostock account). Use ``gaines_motor`` for
  potassium questions (:func:`utils.syndromes.axon_potassium_table`, notebook 05) and state this.
* **Neuromyotonia.** Kv1 loss gives no repetitive discharges in either set (above); the
  discharges are thought to start in the distal nerve and its unmyelinated terminals
  (watanabe2013), which are not modelled.
* **Conduction velocity** at 37 °C is 26–95 m/s over 5.7–16 µm (MRG; Gaines 22–85): the human
  median motor NCV (61.5 ± 7 m/s) is reached near 11 µm; the largest fibres are faster than
  any clinical NCV (clinical limbs are cooler than 37 °C; no human diameter source was read).
* No ion accumulation, pump or Na⁺/K⁺ concentration changes; Ca²⁺/Mg²⁺ act only through the
  assumed gating shift (magnitude unverified for human axons); one fibre, injected current (no
  extracellular electrode); the internodes of MRG are passive.

Units: mV, ms, nA (injected current), µm, mM, °C; names carry the unit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from functools import lru_cache

import numpy as np
from numba import njit

from ..sources.tables import read_table
from ..validation import ParameterError, check_array, check_choice, check_int, check_range
from . import hh

__all__ = [
    "AxonParams",
    "AxonResult",
    "AxonState",
    "StrengthDuration",
    "RecoveryCycle",
    "SimulationError",
    "VARIANTS",
    "geometry",
    "resting_state",
    "gate_steady_state",
    "simulate",
    "conduction_velocity_m_per_s",
    "threshold",
    "strength_duration",
    "recovery_cycle",
    "reference_solution",
    "e_k_mV",
    "gating_shift_mV",
    "DEFAULT_INTERVALS_MS",
]

# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------

#: The two parameter sets: the MRG 2002 published model and the Gaines 2018 human motor set.
VARIANTS = ("mrg2002", "gaines_motor")


def _load_parameters() -> dict:
    out = {v: {} for v in VARIANTS}
    for row in read_table("axon_parameters.csv"):
        targets = VARIANTS if row["variant"] == "both" else (row["variant"],)
        for v in targets:
            out[v][row["name"]] = float(row["value"])
    return out


def _load_geometry() -> np.ndarray:
    cols = (
        "fibre_diameter_um",
        "axon_diameter_um",
        "node_diameter_um",
        "node_to_node_um",
        "flut_length_um",
        "n_lamellae",
    )
    return np.array([[float(r[c]) for c in cols] for r in read_table("axon_geometry.csv")])


def _load_constants() -> dict:
    return {r["name"]: float(r["value"]) for r in read_table("constants.csv")}


_TABLE = _load_parameters()
_GEOM = _load_geometry()
_CONST = _load_constants()
_R = _CONST["gas_constant"]
_F = _CONST["faraday_constant"]
_T0 = _CONST["zero_celsius"]

#: Fibre diameters covered by the published geometry, µm (MRG table; Gaines interpolates inside).
DIAMETER_RANGE_UM = (float(_GEOM[0, 0]), float(_GEOM[-1, 0]))
#: Allowed number of nodes (5 keeps one end-free node in the middle; 51 caps the work).
N_NODES_RANGE = (5, 51)
#: Allowed temperature, °C. The Q10 laws were fitted near 20–37 °C (mcintyre2002); outside
#: 20–42 °C they are extrapolations.
TEMPERATURE_RANGE_C = (20.0, 42.0)
#: Default integration step, ms (the published runs; mcintyre2002_code).
DT_DEFAULT_MS = 0.005
#: Allowed step range, ms. Backward Euler is stable at any step; above 0.025 ms spike times are
#: off by more than 0.05 ms per node (measured against solve_ivp).
DT_RANGE_MS = (1e-4, 0.025)
#: Work caps: steps per run and recorded samples per node.
MAX_STEPS = 20_000_000
MAX_RECORDED_SAMPLES = 2_000_000
#: Largest injected current accepted, nA (the hh stimulus pieces allow ±1000).
MAX_CURRENT_NA = 1000.0
#: A run whose membrane potential leaves ±V_LIMIT_MV has blown up.
V_LIMIT_MV = 500.0
#: Spikes stored per node per run (a cap; 1000 spikes in a run is far beyond any use here).
MAX_SPIKES_PER_NODE = 1000
#: Iteration caps of every search in this module.
MAX_BRACKET_STEPS = 30
MAX_NEWTON_STEPS = 200


class SimulationError(ParameterError):
    """A run blew up numerically or a search found no answer inside its caps (message says why)."""


# --------------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------------


def _tab(variant: str, name: str) -> float:
    return _TABLE[variant][name]


_SCALE_RANGE = (0.0, 10.0)


#: Allowed range of each numeric field of :class:`AxonParams`: (name, unit, low, high, what).
_FIELD_RANGES = (
    (
        "fibre_diameter_um",
        "µm",
        DIAMETER_RANGE_UM[0],
        DIAMETER_RANGE_UM[1],
        "fibre diameter with myelin; the published geometry",
    ),
    ("k_out_mM", "mM", 0.5, 20.0, "extracellular K⁺"),
    ("ca_out_mM", "mM", 0.1, 5.0, "ionised extracellular Ca²⁺"),
    ("mg_out_mM", "mM", 0.0, 5.0, "extracellular Mg²⁺"),
    ("temperature_C", "°C", TEMPERATURE_RANGE_C[0], TEMPERATURE_RANGE_C[1], "temperature of the fibre"),
    *(
        (name, "", _SCALE_RANGE[0], _SCALE_RANGE[1], "factor on a conductance")
        for name in ("g_naf_scale", "g_nap_scale", "g_ks_scale", "g_kf_scale", "g_h_scale", "g_leak_scale")
    ),
    ("myelin_lamellae_scale", "", 0.02, 2.0, "factor on the number of myelin lamellae"),
    (
        "screening_k_mV",
        "mV",
        0.0,
        13.4,
        "gating shift per e-fold of Ca²⁺; 13.4 mV is the Gouy–Chapman ceiling at 37 °C",
    ),
    ("mg_screening_factor", "", 0.0, 1.0, "Mg²⁺ screening relative to Ca²⁺"),
)


@dataclass(frozen=True)
class AxonParams:
    """Parameters of one fibre. Every field has a unit in its name or is a dimensionless scale.

    Attributes:
        variant: ``"mrg2002"`` (McIntyre, Richardson & Grill 2002; default) or ``"gaines_motor"``
            (Gaines et al. 2018 human motor set: fast K⁺ at node and internode, HCN and slow K⁺ in
            the internode, and α_m taken 1 mV further along the voltage axis: amB 20.4 instead of
            21.4 mV in node_motor.mod, so Na⁺ activation needs about 1 mV *more* depolarisation).
        fibre_diameter_um: outer fibre diameter D (with myelin), 5.7–16 µm.
        n_nodes: nodes of Ranvier, 5–51 (published: 21).
        k_out_mM: extracellular K⁺; sets E_K by Nernst (E_K = −90 mV at 4 mM and 37 °C).
        ca_out_mM, mg_out_mM: ionised Ca²⁺ and serum Mg²⁺; set the gating shift
            (:func:`gating_shift_mV`; 0 at 1.2 and 0.85 mM).
        temperature_C: temperature (rates by the published Q10s; E_K by Nernst).
        g_naf_scale, g_nap_scale, g_ks_scale, g_kf_scale, g_h_scale, g_leak_scale: factors on
            the fast Na⁺, persistent Na⁺, slow K⁺, fast K⁺ (Kv1), HCN and leak conductances of
            every section that has them. ``g_kf_scale`` and ``g_h_scale`` need
            ``variant="gaines_motor"`` (MRG has neither channel).
        myelin_lamellae_scale: factor on the number of myelin lamellae (demyelination < 1).
        screening_k_mV: gating shift per e-fold change of Ca²⁺ (6; 4–9 quoted).
        mg_screening_factor: potency of Mg²⁺ relative to Ca²⁺ in screening (0.2; 0–0.4).
    """

    variant: str = "mrg2002"
    fibre_diameter_um: float = 10.0
    n_nodes: int = 21
    k_out_mM: float = 4.0
    ca_out_mM: float = 1.2
    mg_out_mM: float = 0.85
    temperature_C: float = 37.0
    g_naf_scale: float = 1.0
    g_nap_scale: float = 1.0
    g_ks_scale: float = 1.0
    g_kf_scale: float = 1.0
    g_h_scale: float = 1.0
    g_leak_scale: float = 1.0
    myelin_lamellae_scale: float = 1.0
    screening_k_mV: float = 6.0
    mg_screening_factor: float = 0.2

    def __post_init__(self):
        check_choice(self.variant, "variant", VARIANTS, what="published parameter set")
        object.__setattr__(
            self,
            "n_nodes",
            check_int(
                self.n_nodes, "n_nodes", lo=N_NODES_RANGE[0], hi=N_NODES_RANGE[1], what="nodes of Ranvier"
            ),
        )
        for name, unit, lo, hi, what in _FIELD_RANGES:
            object.__setattr__(
                self, name, check_range(getattr(self, name), name, unit, lo=lo, hi=hi, what=what)
            )
        if self.variant == "mrg2002":
            for name, chan in (("g_kf_scale", "fast K⁺ (Kv1)"), ("g_h_scale", "HCN")):
                if getattr(self, name) != 1.0:
                    raise ParameterError(
                        f"{name} = {getattr(self, name):g} is not allowed with variant "
                        f"'mrg2002': the MRG 2002 axon has no {chan} channel (its nodal K⁺ is "
                        f"slow only); use variant='gaines_motor'; allowed value here: 1."
                    )

    def replace(self, **changes) -> "AxonParams":
        """A copy with some fields changed (validated again)."""
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        unknown = set(changes) - set(d)
        if unknown:
            raise ParameterError(f"AxonParams has no field {sorted(unknown)[0]!r}; fields: {', '.join(d)}.")
        d.update(changes)
        return AxonParams(**d)


def _params(params) -> AxonParams:
    if params is None:
        return AxonParams()
    if not isinstance(params, AxonParams):
        raise ParameterError(f"params must be an AxonParams, got {type(params).__name__}.")
    return params


def e_k_mV(k_out_mM: float = 4.0, temperature_C: float = 37.0) -> float:
    """E_K by Nernst with [K]i fixed so that E_K = −90 mV at 4 mM and 37 °C (the published E_K).

    >>> round(e_k_mV(4.0), 3)
    -90.0
    >>> round(e_k_mV(7.0) - e_k_mV(4.0), 2)   # RT/F ln(7/4) at 37 °C
    14.96
    """
    k = check_range(k_out_mM, "k_out_mM", "mM", lo=0.5, hi=20.0, what="extracellular K⁺")
    t = check_range(
        temperature_C, "temperature_C", "°C", lo=TEMPERATURE_RANGE_C[0], hi=TEMPERATURE_RANGE_C[1]
    )
    p = _TABLE["mrg2002"]
    rtf_ref = _R * (p["temperature_ref_C"] + _T0) / _F * 1e3
    k_in = p["k_out_ref_mM"] * math.exp(-p["e_k_ref_mV"] / rtf_ref)
    return _R * (t + _T0) / _F * 1e3 * math.log(k / k_in)


def gating_shift_mV(
    ca_out_mM: float = 1.2, mg_out_mM: float = 0.85, k_mV: float = 6.0, mg_factor: float = 0.2
) -> float:
    """Shift s of every gating curve by Ca²⁺/Mg²⁺ screening, mV (rates are taken at V − s).

    s = k ln(Ca/Ca_ref) + k ln((Ca + f Mg)/(Ca + f Mg_ref)); negative when Ca or Mg is low.

    >>> gating_shift_mV(1.2, 0.85)
    0.0
    >>> round(gating_shift_mV(0.8, 0.85), 2)   # ionised Ca 0.8 mM
    -2.43
    """
    p = _TABLE["mrg2002"]
    ca = check_range(ca_out_mM, "ca_out_mM", "mM", lo=0.1, hi=5.0)
    mg = check_range(mg_out_mM, "mg_out_mM", "mM", lo=0.0, hi=5.0)
    k_mV = check_range(
        k_mV, "k_mV", "mV", lo=0.0, hi=13.4, what="gating shift per e-fold of Ca²⁺ (Gouy–Chapman ceiling)"
    )
    mg_factor = check_range(
        mg_factor, "mg_factor", "", lo=0.0, hi=1.0, what="Mg²⁺ screening relative to Ca²⁺"
    )
    s = k_mV * math.log(ca / p["ca_ref_mM"])
    s += k_mV * math.log((ca + mg_factor * mg) / (ca + mg_factor * p["mg_ref_mM"]))
    return s


# --------------------------------------------------------------------------------------------
# Geometry and the compartment chain
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Geometry:
    """Geometry of one fibre diameter (µm; ``n_lamellae`` counts myelin lamellae)."""

    fibre_diameter_um: float
    axon_diameter_um: float
    node_diameter_um: float
    mysa_diameter_um: float
    flut_diameter_um: float
    node_to_node_um: float
    flut_length_um: float
    stin_length_um: float
    n_lamellae: float


def geometry(fibre_diameter_um: float = 10.0, variant: str = "mrg2002") -> Geometry:
    """Section diameters and lengths for a fibre diameter (MRG table or Gaines regressions).

    >>> g = geometry(10.0)
    >>> (g.axon_diameter_um, g.node_diameter_um, g.node_to_node_um, g.n_lamellae)
    (6.9, 3.3, 1150.0, 120.0)
    >>> round(geometry(10.0, "gaines_motor").node_to_node_um, 1)
    1087.3
    """
    check_choice(variant, "variant", VARIANTS)
    d = check_range(
        fibre_diameter_um,
        "fibre_diameter_um",
        "µm",
        lo=DIAMETER_RANGE_UM[0],
        hi=DIAMETER_RANGE_UM[1],
        what="fibre diameter with myelin",
    )
    t = _TABLE[variant]
    if variant == "mrg2002":
        row = [float(np.interp(d, _GEOM[:, 0], _GEOM[:, j])) for j in range(1, 6)]
        axon_d, node_d, deltax, flut_len, nl = row
        mysa_d = node_d
    else:
        axon_d = t["gaines_axon_d_slope"] * d + t["gaines_axon_d_icpt"]
        node_d = t["gaines_node_d_slope"] * d + t["gaines_node_d_icpt"]
        mysa_d = t["gaines_mysa_d_slope"] * d + t["gaines_mysa_d_icpt"]
        deltax = t["gaines_deltax_log_coef"] * math.log(d) + t["gaines_deltax_icpt"]
        flut_len = t["gaines_flut_len_slope"] * d + t["gaines_flut_len_icpt"]
        nl = t["gaines_nl_log_coef"] * math.log(d) + t["gaines_nl_icpt"]
    stin_len = (deltax - t["node_length_um"] - 2 * t["mysa_length_um"] - 2 * flut_len) / 6.0
    return Geometry(d, axon_d, node_d, mysa_d, axon_d, deltax, flut_len, stin_len, nl)


# numba: no Python division checks; the same safe fast-math subset as utils.hh (no reassociation,
# no NaN/inf assumptions)
_FASTMATH = {"contract", "arcp", "afn", "nsz"}

# gate indices
_M, _H, _P, _S, _N, _Q = range(6)
_N_GATES = 6


@dataclass(frozen=True, eq=False)
class _Cable:
    """Arrays of the compartment chain (internal): units nF, µS, mV."""

    kind: np.ndarray  # 0 node, 1 MYSA, 2 FLUT, 3 STIN
    node_index: np.ndarray  # compartment index of each node
    x_um: np.ndarray  # position of each compartment centre
    cap: np.ndarray
    capx: np.ndarray
    gx: np.ndarray
    ga: np.ndarray  # between k and k+1
    gp: np.ndarray
    gbar: np.ndarray  # (6, n): naf, nap, ks, kf, h, leak, µS
    e_leak: np.ndarray
    consts: np.ndarray  # ena, ek, eh, shift, q_na, q_h, q_k, m_half
    v_init: float


_CH_NAF, _CH_NAP, _CH_KS, _CH_KF, _CH_H, _CH_L = range(6)


@lru_cache(maxsize=64)
def _cable(p: AxonParams) -> _Cable:
    t = _TABLE[p.variant]
    g = geometry(p.fibre_diameter_um, p.variant)
    gaines = p.variant == "gaines_motor"
    rho = t["rho_axial_ohm_cm"]
    nl = g.n_lamellae * p.myelin_lamellae_scale
    xc = t["myelin_c_uF_per_cm2_per_lamella"] / (2.0 * nl)
    xg = t["myelin_g_S_per_cm2_per_lamella"] / (2.0 * nl)
    # (kind, length µm, inner diameter µm, gap µm)
    node = (0, t["node_length_um"], g.node_diameter_um, t["gap_node_mysa_um"])
    mysa = (1, t["mysa_length_um"], g.mysa_diameter_um, t["gap_node_mysa_um"])
    flut = (2, g.flut_length_um, g.flut_diameter_um, t["gap_flut_stin_um"])
    stin = (3, g.stin_length_um, g.axon_diameter_um, t["gap_flut_stin_um"])
    internode = [mysa, flut] + [stin] * 6 + [flut, mysa]
    secs = []
    for i in range(p.n_nodes):
        secs.append(node)
        if i < p.n_nodes - 1:
            secs.extend(internode)
    n = len(secs)
    kind = np.array([s[0] for s in secs], dtype=np.int64)
    length = np.array([s[1] for s in secs])
    dia = np.array([s[2] for s in secs])
    gap = np.array([s[3] for s in secs])
    x = np.cumsum(length) - 0.5 * length
    area_in = np.pi * dia * length * 1e-8  # cm², axon membrane
    area_out = np.where(kind == 0, area_in, np.pi * g.fibre_diameter_um * length * 1e-8)
    cap = t["cm_uF_per_cm2"] * area_in * 1e3  # nF
    capx = np.where(kind == 0, 0.0, xc * area_out * 1e3)
    gx = np.where(kind == 0, t["node_xg_S_per_cm2"], xg) * area_out * 1e6  # µS
    r_half = 4.0 * rho * (0.5 * length * 1e-4) / (np.pi * (dia * 1e-4) ** 2)  # Ω
    ga = 1e6 / (r_half[:-1] + r_half[1:])
    ring = np.pi * ((dia / 2 + gap) ** 2 - (dia / 2) ** 2)  # µm²
    rp_mohm_per_cm = rho * 1e4 * 0.01 / ring  # ρ in Ω·µm × 0.01 / µm²
    rp_half = rp_mohm_per_cm * 0.5 * length * 1e-4  # MΩ
    gp = 1.0 / (rp_half[:-1] + rp_half[1:])  # µS
    dens = np.zeros((6, n))  # S/cm² of axon membrane
    is_node = kind == 0
    dens[_CH_NAF, is_node] = t["g_naf_S_per_cm2"] * p.g_naf_scale
    dens[_CH_NAP, is_node] = t["g_nap_S_per_cm2"] * p.g_nap_scale
    dens[_CH_KS, is_node] = t["g_ks_node_S_per_cm2"] * p.g_ks_scale
    dens[_CH_KF, is_node] = t["g_kf_node_S_per_cm2"] * p.g_kf_scale
    dens[_CH_L, is_node] = t["g_leak_node_S_per_cm2"] * p.g_leak_scale
    e_leak = np.where(is_node, np.nan, t["e_leak_internode_mV"])
    names = {1: "mysa", 2: "flut", 3: "stin"}
    dia_of = {1: g.mysa_diameter_um, 2: g.flut_diameter_um, 3: g.axon_diameter_um}
    for k, nm in names.items():
        sel = kind == k
        if gaines:
            # densities are per area of a section drawn with diameter D: per axon-membrane area
            # they are larger by D/d
            f = g.fibre_diameter_um / dia_of[k]
            dens[_CH_KS, sel] = t["g_ks_internode_S_per_cm2"] * f * p.g_ks_scale
            dens[_CH_KF, sel] = t[f"g_kf_{nm}_S_per_cm2"] * f * p.g_kf_scale
            dens[_CH_H, sel] = t["g_h_internode_S_per_cm2"] * f * p.g_h_scale
            dens[_CH_L, sel] = t[f"g_leak_{nm}_S_per_cm2"] * f * p.g_leak_scale
        else:
            # MRG: g_pas = g·d/D on a section of diameter D = g per axon-membrane area
            dens[_CH_L, sel] = t[f"g_leak_{nm}_S_per_cm2"] * p.g_leak_scale
    gbar = dens * area_in * 1e6  # µS
    ek = e_k_mV(p.k_out_mM, p.temperature_C)
    follows = is_node | (gaines & ~is_node)
    e_leak = np.where(follows, ek, e_leak)
    dT20 = (p.temperature_C - 20.0) / 10.0
    dT36 = (p.temperature_C - 36.0) / 10.0
    shift = gating_shift_mV(p.ca_out_mM, p.mg_out_mM, p.screening_k_mV, p.mg_screening_factor)
    consts = np.array(
        [
            t["e_na_mV"],
            ek,
            t.get("e_h_mV", 0.0),
            shift,
            t["q10_na"] ** dT20,
            t["q10_h"] ** dT20,
            t["q10_k"] ** dT36,
            t["m_alpha_half_mV"],
        ]
    )
    node_index = np.flatnonzero(is_node)
    for a in (kind, node_index, x, cap, capx, gx, ga, gp, gbar, e_leak, consts):
        a.setflags(write=False)
    return _Cable(kind, node_index, x, cap, capx, gx, ga, gp, gbar, e_leak, consts, t["v_init_mV"])


# --------------------------------------------------------------------------------------------
# Compiled kernels
# --------------------------------------------------------------------------------------------


@njit(cache=True, inline="always", error_model="numpy", fastmath=_FASTMATH)
def _lin(a, x, c):
    """a·x/(1 − e^(−x/c)), with its limit a·c at x = 0."""
    if abs(x / c) < 1e-6:
        return a * c
    return a * x / (1.0 - math.exp(-x / c))


@njit(cache=True, error_model="numpy", fastmath=_FASTMATH)
def _rates(v, consts):
    """α and β of the six gates at membrane potential v (already shifted), ms⁻¹."""
    out = np.empty((6, 2))
    _rates_into(v, consts, out, True)
    return out


@njit(cache=True, error_model="numpy", fastmath=_FASTMATH)
def _rates_into(v, consts, out, na):
    """Fill out[gate, 0] = α and out[gate, 1] = β at v (already shifted), ms⁻¹; the Na⁺ gates
    (m, h, p) only if ``na``."""
    qna, qh, qk, mb = consts[4], consts[5], consts[6], consts[7]
    if na:
        out[_M, 0] = qna * _lin(1.86, v + mb, 10.3)
        out[_M, 1] = qna * _lin(0.086, -(v + 25.7), 9.16)
        out[_H, 0] = qh * _lin(0.062, -(v + 114.0), 11.0)
        out[_H, 1] = qh * 2.3 / (1.0 + math.exp(-(v + 31.8) / 13.4))
        out[_P, 0] = qna * _lin(0.01, v + 27.0, 10.2)
        out[_P, 1] = qna * _lin(0.00025, -(v + 34.0), 10.0)
    u = v + 80.0
    out[_S, 0] = qk * 0.3 / (1.0 + math.exp((u - 27.0) / -5.0))
    out[_S, 1] = qk * 0.03 / (1.0 + math.exp((u + 10.0) / -1.0))
    out[_N, 0] = qk * _lin(0.0462, v + 83.2, 1.1)
    out[_N, 1] = qk * _lin(0.0824, -(v + 66.0), 10.5)
    out[_Q, 0] = qk * 0.00522 * math.exp(-(v + 107.3) / 12.2)
    out[_Q, 1] = qk * 0.00522 * math.exp((v + 107.3) / 12.2)


@njit(cache=True, error_model="numpy", fastmath=_FASTMATH)
def _gate_mask(gbar, k):
    """Which gates compartment k needs (by the channels it has)."""
    m = np.zeros(6, dtype=np.bool_)
    if gbar[_CH_NAF, k] > 0.0:
        m[_M] = True
        m[_H] = True
    if gbar[_CH_NAP, k] > 0.0:
        m[_P] = True
    if gbar[_CH_KS, k] > 0.0:
        m[_S] = True
    if gbar[_CH_KF, k] > 0.0:
        m[_N] = True
    if gbar[_CH_H, k] > 0.0:
        m[_Q] = True
    return m


@njit(cache=True, error_model="numpy", fastmath=_FASTMATH)
def _steady_gates(v, consts, gates, k):
    r = _rates(v - consts[3], consts)
    for j in range(6):
        gates[j, k] = r[j, 0] / (r[j, 0] + r[j, 1])


@njit(cache=True, error_model="numpy", fastmath=_FASTMATH)
def _conductance(gbar, e_leak, consts, gates, k):
    """Total membrane conductance (µS) and its battery term Σ g·E (nA) of compartment k."""
    ena, ek, eh = consts[0], consts[1], consts[2]
    m, h, p, s, n, q = (gates[0, k], gates[1, k], gates[2, k], gates[3, k], gates[4, k], gates[5, k])
    gna = gbar[_CH_NAF, k] * m * m * m * h + gbar[_CH_NAP, k] * p * p * p
    gk = gbar[_CH_KS, k] * s + gbar[_CH_KF, k] * n * n * n * n
    gq = gbar[_CH_H, k] * q
    gl = gbar[_CH_L, k]
    return gna + gk + gq + gl, gna * ena + gk * ek + gq * eh + gl * e_leak[k]


@njit(cache=True, error_model="numpy", fastmath=_FASTMATH)
def _solve_blocks(P, Q, ga, gp, r1, r2, a_out, b_out, dp, rp):
    """Solve the 2×2 block-tridiagonal system of the double cable (block Thomas).

    Row 1 (inside):      P_k a_k + ΣGa (a_k + b_k) − Σ_j Ga_kj (a_j + b_j) = r1_k
    Row 2 (periaxonal): −P_k a_k + (Q_k + ΣGp) b_k − Σ_j Gp_kj b_j         = r2_k
    Unknowns a = membrane potential (or its change), b = periaxonal potential.
    """
    n = P.size
    for k in range(n):
        sga = 0.0
        sgp = 0.0
        if k > 0:
            sga += ga[k - 1]
            sgp += gp[k - 1]
        if k < n - 1:
            sga += ga[k]
            sgp += gp[k]
        d00 = P[k] + sga
        d01 = sga
        d10 = -P[k]
        d11 = Q[k] + sgp
        y0 = r1[k]
        y1 = r2[k]
        if k > 0:
            # L_k = [[-ga, -ga], [0, -gp]] (coupling to k-1); U_{k-1} has the same form
            g1 = ga[k - 1]
            g2 = gp[k - 1]
            e00, e01, e10, e11 = dp[0, k - 1], dp[1, k - 1], dp[2, k - 1], dp[3, k - 1]
            det = e00 * e11 - e01 * e10
            i00 = e11 / det
            i01 = -e01 / det
            i10 = -e10 / det
            i11 = e00 / det
            # M = L_k · inv(D'_{k-1})
            m00 = -g1 * i00 - g1 * i10
            m01 = -g1 * i01 - g1 * i11
            m10 = -g2 * i10
            m11 = -g2 * i11
            # D'_k = D_k − M · U_{k-1},  U_{k-1} = [[-g1, -g1], [0, -g2]]
            d00 -= m00 * (-g1)
            d01 -= m00 * (-g1) + m01 * (-g2)
            d10 -= m10 * (-g1)
            d11 -= m10 * (-g1) + m11 * (-g2)
            y0 -= m00 * rp[0, k - 1] + m01 * rp[1, k - 1]
            y1 -= m10 * rp[0, k - 1] + m11 * rp[1, k - 1]
        dp[0, k] = d00
        dp[1, k] = d01
        dp[2, k] = d10
        dp[3, k] = d11
        rp[0, k] = y0
        rp[1, k] = y1
    xa = 0.0
    xb = 0.0
    for k in range(n - 1, -1, -1):
        y0 = rp[0, k]
        y1 = rp[1, k]
        if k < n - 1:
            g1 = ga[k]
            g2 = gp[k]
            y0 -= -g1 * xa - g1 * xb
            y1 -= -g2 * xb
        e00, e01, e10, e11 = dp[0, k], dp[1, k], dp[2, k], dp[3, k]
        det = e00 * e11 - e01 * e10
        xa = (e11 * y0 - e01 * y1) / det
        xb = (-e10 * y0 + e00 * y1) / det
        a_out[k] = xa
        b_out[k] = xb


@njit(cache=True, error_model="numpy", fastmath=_FASTMATH)
def _kernel(
    vm,
    e,
    gates,
    cap,
    capx,
    gx,
    ga,
    gp,
    gbar,
    e_leak,
    consts,
    istim,
    stim_k,
    dt,
    n_steps,
    node_idx,
    rec_every,
    v_rec,
    sp_t,
    sp_n,
    level,
    watch,
    watch_after_ms,
    stop_on_spike,
    v_limit,
):
    """Advance the state (vm, e, gates; modified in place) by n_steps of dt.

    Records vm at the nodes every rec_every steps (v_rec[:, j]) and every upward crossing of
    ``level`` at a node (linearly interpolated; sp_t, sp_n). If stop_on_spike, returns as soon
    as node ``watch`` crosses after ``watch_after_ms``. Returns (steps done, status, fired).
    """
    n = vm.size
    nn = node_idx.size
    P = np.empty(n)
    Q = np.empty(n)
    r1 = np.empty(n)
    r2 = np.empty(n)
    a = np.empty(n)
    b = np.empty(n)
    dp = np.empty((4, n))
    rp = np.empty((2, n))
    masks = np.zeros((6, n), dtype=np.bool_)
    has_gates = np.zeros(n, dtype=np.bool_)
    for k in range(n):
        masks[:, k] = _gate_mask(gbar, k)
        has_gates[k] = masks[:, k].any()
    shift = consts[3]
    r = np.empty((6, 2))
    for j in range(nn):
        v_rec[j, 0] = vm[node_idx[j]]
    fired = False
    for step in range(n_steps):
        for k in range(n):
            gm, ib = _conductance(gbar, e_leak, consts, gates, k)
            P[k] = cap[k] / dt + gm
            Q[k] = capx[k] / dt + gx[k]
            r1[k] = cap[k] * vm[k] / dt + ib
            r2[k] = capx[k] * e[k] / dt - cap[k] * vm[k] / dt - ib
        r1[stim_k] += istim[step]
        _solve_blocks(P, Q, ga, gp, r1, r2, a, b, dp, rp)
        t_new = (step + 1) * dt
        for j in range(nn):
            k = node_idx[j]
            if vm[k] < level <= a[k] and sp_n[j] < sp_t.shape[1]:
                tc = t_new - dt * (a[k] - level) / (a[k] - vm[k])
                sp_t[j, sp_n[j]] = tc
                sp_n[j] += 1
                if j == watch and tc >= watch_after_ms:
                    fired = True
        for k in range(n):
            if not (abs(a[k]) < v_limit):
                return step + 1, 1, fired
            vm[k] = a[k]
            e[k] = b[k]
            if has_gates[k]:
                _rates_into(vm[k] - shift, consts, r, masks[_M, k] or masks[_P, k])
                for g in range(6):
                    if masks[g, k]:
                        al = r[g, 0]
                        be = r[g, 1]
                        tot = al + be
                        inf = al / tot
                        gates[g, k] = inf + (gates[g, k] - inf) * math.exp(-dt * tot)
        if rec_every > 0 and (step + 1) % rec_every == 0:
            col = (step + 1) // rec_every
            for j in range(nn):
                v_rec[j, col] = vm[node_idx[j]]
        if fired and stop_on_spike:
            return step + 1, 0, fired
    return n_steps, 0, fired


@njit(cache=True, error_model="numpy", fastmath=_FASTMATH)
def _steady_state(vm, e, gates, gx, ga, gp, gbar, e_leak, consts, max_iter, tol):
    """Newton's method for the resting state of the whole fibre (vm, e modified in place).

    Residuals: F1 = I_ss(V) − axial current in; F2 = Gx e − I_ss(V) − periaxonal current in,
    with I_ss the steady-state ionic current (gates at their steady values). Returns the number
    of iterations used, or −1 if it did not converge.
    """
    n = vm.size
    P = np.empty(n)
    Q = np.empty(n)
    f1 = np.empty(n)
    f2 = np.empty(n)
    da = np.empty(n)
    db = np.empty(n)
    dp = np.empty((4, n))
    rp = np.empty((2, n))
    g0 = np.empty((6, 1))
    h = 1e-4
    lam = 1.0
    prev_big = np.inf
    for it in range(max_iter):
        for k in range(n):
            _steady_gates(vm[k], consts, gates, k)
            gm, ib = _conductance(gbar, e_leak, consts, gates, k)
            i0 = gm * vm[k] - ib
            for j in range(6):
                g0[j, 0] = gates[j, k]
            _steady_gates(vm[k] + h, consts, gates, k)
            gm2, ib2 = _conductance(gbar, e_leak, consts, gates, k)
            i1 = gm2 * (vm[k] + h) - ib2
            for j in range(6):
                gates[j, k] = g0[j, 0]
            P[k] = (i1 - i0) / h
            Q[k] = gx[k]
            inflow_a = 0.0
            inflow_p = 0.0
            if k > 0:
                inflow_a += ga[k - 1] * ((vm[k - 1] + e[k - 1]) - (vm[k] + e[k]))
                inflow_p += gp[k - 1] * (e[k - 1] - e[k])
            if k < n - 1:
                inflow_a += ga[k] * ((vm[k + 1] + e[k + 1]) - (vm[k] + e[k]))
                inflow_p += gp[k] * (e[k + 1] - e[k])
            f1[k] = -(i0 - inflow_a)
            f2[k] = -(gx[k] * e[k] - i0 - inflow_p)
        _solve_blocks(P, Q, ga, gp, f1, f2, da, db, dp, rp)
        big = 0.0
        for k in range(n):
            if abs(da[k]) > big:
                big = abs(da[k])
        # damping: a full Newton step can jump over the knee of the Na⁺ current and cycle
        # between two potentials; halve the step whenever the update did not shrink
        if big >= prev_big:
            lam = max(lam * 0.5, 1e-3)
        else:
            lam = min(1.0, lam * 1.5)
        prev_big = big
        for k in range(n):
            step = lam * da[k]
            if step > 10.0:
                step = 10.0
            elif step < -10.0:
                step = -10.0
            vm[k] += step
            e[k] += lam * db[k]
        if big < tol:
            for k in range(n):
                _steady_gates(vm[k], consts, gates, k)
            return it + 1
    return -1


# --------------------------------------------------------------------------------------------
# State, rest, simulation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class AxonState:
    """Full state of the fibre: membrane potential and periaxonal potential of every compartment
    (mV) and the six gates m, h, p, s, n, q (rows; 0–1; unused gates are carried along)."""

    v_mV: np.ndarray
    e_periaxonal_mV: np.ndarray
    gates: np.ndarray

    def copy_arrays(self):
        return (
            np.array(self.v_mV, dtype=float),
            np.array(self.e_periaxonal_mV, dtype=float),
            np.array(self.gates, dtype=float),
        )


@lru_cache(maxsize=64)
def _rest(p: AxonParams) -> AxonState:
    c = _cable(p)
    n = c.kind.size
    vm = np.full(n, c.v_init)
    e = np.zeros(n)
    gates = np.zeros((_N_GATES, n))
    it = _steady_state(vm, e, gates, c.gx, c.ga, c.gp, c.gbar, c.e_leak, c.consts, MAX_NEWTON_STEPS, 1e-9)
    if it < 0:
        raise SimulationError(
            f"no resting state found in {MAX_NEWTON_STEPS} Newton steps for {p!r}; the fibre "
            f"may have no stable rest at these settings (try values nearer the defaults)."
        )
    for a in (vm, e, gates):
        a.setflags(write=False)
    return AxonState(vm, e, gates)


def gate_steady_state(v_mV, params: AxonParams | None = None) -> dict:
    """Steady-state open fraction of each gate at membrane potential ``v_mV`` (mV; a number or
    an array), with the Ca²⁺/Mg²⁺ gating shift of ``params`` applied: a dict of arrays ``m``,
    ``h``, ``p`` (Na⁺), ``s`` (slow K⁺), ``n`` (fast K⁺) and ``q`` (HCN), each α/(α + β).

    The Gaines set takes α_m with B = 20.4 mV where MRG has 21.4 (node_motor.mod against
    AXNODE.mod), so its m∞ curve lies to the right: Na⁺ activation needs more depolarisation.

    >>> v = -60.0
    >>> bool(gate_steady_state(v)["m"] > gate_steady_state(v, AxonParams(variant="gaines_motor"))["m"])
    True
    """
    p = _params(params)
    v = np.atleast_1d(check_array(v_mV, "v_mV", "mV", lo=-200.0, hi=200.0, what="membrane potential"))
    c = _cable(p)
    out = np.empty((_N_GATES, v.size))
    for i, x in enumerate(v):
        r = _rates(float(x) - c.consts[3], c.consts)
        out[:, i] = r[:, 0] / (r[:, 0] + r[:, 1])
    return {name: out[j] for j, name in enumerate("mhpsnq")}


def resting_state(params: AxonParams | None = None) -> AxonState:
    """The steady state of the unstimulated fibre (Newton's method on the full double cable).

    >>> s = resting_state(AxonParams(variant="gaines_motor"))
    >>> abs(float(s.v_mV[0]) - (-85.9411)) < 0.02      # the published v_init
    True
    """
    return _rest(_params(params))


@dataclass(frozen=True, eq=False)
class AxonResult:
    """One run.

    Attributes:
        t_ms: time, ms (every ``record_every``-th step).
        v_mV: membrane potential at every node, mV, shape (n_nodes, t_ms.size).
        spike_times_ms: per node, the times of upward crossings of −20 mV (interpolated; found
            at full time resolution), a tuple of arrays.
        x_mm: position of each node along the fibre, mm.
        node: the node that received the stimulus.
        i_stim_nA: the stimulus on the step starting at each recorded time, nA.
        final_state: the state at the end (to continue a run).
        params, dt_ms: what was run.
    """

    t_ms: np.ndarray
    v_mV: np.ndarray
    spike_times_ms: tuple
    x_mm: np.ndarray
    node: int
    i_stim_nA: np.ndarray
    final_state: AxonState
    params: AxonParams
    dt_ms: float

    @property
    def n_spikes(self) -> np.ndarray:
        """Number of spikes at each node."""
        return np.array([s.size for s in self.spike_times_ms])


def _node_arg(node, p: AxonParams, name="node") -> int:
    if node is None:
        return p.n_nodes // 2
    return check_int(
        node, name, lo=0, hi=p.n_nodes - 1, what=f"index of a node of Ranvier (the fibre has {p.n_nodes})"
    )


def _dt_arg(dt_ms) -> float:
    if dt_ms is None:
        return DT_DEFAULT_MS
    return check_range(dt_ms, "dt_ms", "ms", lo=DT_RANGE_MS[0], hi=DT_RANGE_MS[1], what="integration step")


def _n_steps(t_stop, dt):
    return max(1, int(math.ceil(t_stop / dt - 1e-9)))


def _stim_steps(stimulus, n_steps, dt) -> np.ndarray:
    """The stimulus as one mean current (nA) per step, through the hh Stimulus pieces: a number
    is a :class:`hh.Step` from 0, an array a :class:`hh.SampledCurrent` on this step."""
    if stimulus is None:
        return np.zeros(n_steps)
    if isinstance(stimulus, (list, tuple)) and stimulus and all(isinstance(s, hh.Stimulus) for s in stimulus):
        stimulus = hh.Protocol(tuple(stimulus))
    elif isinstance(stimulus, (int, float, np.integer, np.floating)) and not isinstance(stimulus, bool):
        stimulus = hh.Step(
            check_range(
                stimulus,
                "stimulus",
                "nA",
                lo=-MAX_CURRENT_NA,
                hi=MAX_CURRENT_NA,
                what="constant current injected at the stimulated node",
            )
        )
    elif not isinstance(stimulus, hh.Stimulus):
        arr = np.asarray(stimulus, dtype=float) if not isinstance(stimulus, (str, bytes, dict)) else None
        if arr is None or arr.ndim != 1 or arr.size not in (n_steps, n_steps + 1):
            raise ParameterError(
                f"stimulus must be an hh stimulus piece, a number (nA) or an array of the current "
                f"in nA with one value per step: at dt_ms = {dt:g} ms this run needs {n_steps} "
                f"(or {n_steps + 1}) values, got {getattr(arr, 'size', type(stimulus).__name__)}."
            )
        stimulus = hh.SampledCurrent(arr[:n_steps], dt)
    return np.ascontiguousarray(stimulus.step_means(n_steps, dt), dtype=float)


def _advance(
    c: _Cable,
    state_arrays,
    istim,
    stim_k,
    dt,
    record_every=0,
    watch=-1,
    watch_after_ms=0.0,
    stop_on_spike=False,
    t0=0.0,
):
    """Run the kernel on (vm, e, gates) in place. Returns (v_rec, spikes, steps, fired)."""
    vm, e, gates = state_arrays
    n_steps = istim.size
    nn = c.node_index.size
    n_rec = (n_steps // record_every + 1) if record_every > 0 else 1
    v_rec = np.empty((nn, n_rec))
    sp_t = np.empty((nn, MAX_SPIKES_PER_NODE))
    sp_n = np.zeros(nn, dtype=np.int64)
    level = _TABLE["mrg2002"]["spike_level_mV"]
    done, status, fired = _kernel(
        vm,
        e,
        gates,
        c.cap,
        c.capx,
        c.gx,
        c.ga,
        c.gp,
        c.gbar,
        c.e_leak,
        c.consts,
        istim,
        stim_k,
        dt,
        n_steps,
        c.node_index,
        record_every,
        v_rec,
        sp_t,
        sp_n,
        level,
        watch,
        watch_after_ms - t0,
        stop_on_spike,
        V_LIMIT_MV,
    )
    if status != 0:
        raise SimulationError(
            f"the run left ±{V_LIMIT_MV:g} mV at t = {t0 + done * dt:g} ms (numerical blow-up or "
            f"an unphysiological drive); reduce the stimulus or dt_ms (now {dt:g} ms)."
        )
    spikes = tuple(t0 + sp_t[j, : sp_n[j]].copy() for j in range(nn))
    return v_rec, spikes, done, fired


def simulate(
    stimulus=None,
    t_stop_ms: float = 10.0,
    params: AxonParams | None = None,
    node: int | None = None,
    dt_ms: float | None = None,
    record_every: int = 1,
    initial: AxonState | None = None,
) -> AxonResult:
    """Run the fibre with a current injected into one node.

    Args:
        stimulus: the current injected inside node ``node``, **in nA** (positive depolarises):
            one of the composable pieces of :mod:`utils.hh` (``hh.Pulse(2.0, 1.0, 0.1)``,
            ``hh.Step``, ``hh.PulseTrain``, ``hh.Noise``, a sum ``a + b`` …; their amplitude
            field, named in µA/cm² for the squid membrane, is read here as nA), a list of them,
            a constant (nA), an array with one value per step, or None.
        t_stop_ms: run length, ms.
        params: :class:`AxonParams` (None: MRG 2002, 10 µm, 21 nodes, 37 °C).
        node: stimulated node, 0 … n_nodes − 1 (None: the middle node).
        dt_ms: step, ms (None: 0.005 ms, the published step).
        record_every: keep every k-th time point (spikes are found at every step).
        initial: starting :class:`AxonState` (None: :func:`resting_state`).

    Returns:
        :class:`AxonResult`: voltage at every node against time, spike times per node.

    >>> r = simulate(hh.Pulse(5.0, 0.5, 0.1), 3.0, AxonParams(n_nodes=7), node=1)
    >>> [len(s) for s in r.spike_times_ms]       # one impulse reaches every node
    [1, 1, 1, 1, 1, 1, 1]
    """
    p = _params(params)
    k = _node_arg(node, p)
    dt = _dt_arg(dt_ms)
    re_ = check_int(record_every, "record_every", lo=1, hi=10**9, what="keep every k-th point")
    caps = f"run length (caps: {MAX_STEPS} steps, {MAX_RECORDED_SAMPLES} recorded points)"
    t_longest = min(MAX_STEPS * dt, (MAX_RECORDED_SAMPLES - 1) * dt * re_)
    t_stop = check_range(t_stop_ms, "t_stop_ms", "ms", lo=0.0, lo_open=True, hi=t_longest, what=caps)
    n = _n_steps(t_stop, dt)
    istim = _stim_steps(stimulus, n, dt)
    c = _cable(p)
    if initial is None:
        arrays = _rest(p).copy_arrays()
    else:
        if not isinstance(initial, AxonState) or initial.v_mV.size != c.kind.size:
            raise ParameterError(
                "initial must be an AxonState of a fibre with the same "
                "n_nodes (e.g. resting_state(params) or a final_state)."
            )
        arrays = initial.copy_arrays()
    v_rec, spikes, _, _ = _advance(c, arrays, istim, int(c.node_index[k]), dt, re_)
    idx = np.arange(v_rec.shape[1]) * re_
    t = idx * dt
    i_rec = np.append(istim, istim[-1])[idx]
    final = AxonState(*arrays)
    return AxonResult(
        t_ms=t,
        v_mV=v_rec,
        spike_times_ms=spikes,
        x_mm=c.x_um[c.node_index] * 1e-3,
        node=k,
        i_stim_nA=i_rec,
        final_state=final,
        params=p,
        dt_ms=dt,
    )


# --------------------------------------------------------------------------------------------
# Analyses
# --------------------------------------------------------------------------------------------


def _watch_node(p: AxonParams, k: int) -> int:
    """A node two nodes away from the stimulated one (towards the longer side): a spike there
    has propagated."""
    return k + 2 if k + 2 <= p.n_nodes - 1 and (p.n_nodes - 1 - k) >= k else k - 2


def _fires(c, state: AxonState, unit_pulse, amp, k, watch, dt, after_ms) -> bool:
    arrays = state.copy_arrays()
    _, _, _, fired = _advance(c, arrays, unit_pulse * amp, int(c.node_index[k]), dt, 0, watch, after_ms, True)
    return fired


def _bisect_amp(fires, lo, hi, rel_tol):
    """Threshold amplitude between lo (does not fire) and hi (fires), to a relative ``rel_tol``
    (hh.bisect_edge; the midpoint of the last bracket)."""
    return hh.bisect_edge(fires, lo, hi, rel_tol * hi)


@lru_cache(maxsize=512)
def _threshold(p: AxonParams, pulse_ms: float, k: int, dt: float, rel_tol: float) -> float:
    c = _cable(p)
    watch = _watch_node(p, k)
    start = 0.1
    t_run = start + pulse_ms + 3.0
    n = _n_steps(t_run, dt)
    unit = hh.Pulse(1.0, start, pulse_ms).step_means(n, dt)
    rest = _rest(p)

    def fires(a):
        return _fires(c, rest, unit, a, k, watch, dt, start)

    hi = 1.0
    lo = 0.0
    for _ in range(MAX_BRACKET_STEPS):
        if fires(hi):
            break
        lo, hi = hi, hi * 2.0
        if hi > MAX_CURRENT_NA:
            raise SimulationError(
                f"no propagated spike for a {pulse_ms:g} ms pulse up to "
                f"{MAX_CURRENT_NA:g} nA at node {k} ({p!r})."
            )
    else:
        raise SimulationError("threshold bracket not found within the iteration cap.")
    if lo == 0.0:
        # the first guess fired: come down to bracket from below
        for _ in range(MAX_BRACKET_STEPS):
            lo = hi / 2.0
            if not fires(lo):
                break
            hi = lo
    return _bisect_amp(fires, lo, hi, rel_tol)


def threshold(
    pulse_ms: float = 0.1,
    params: AxonParams | None = None,
    node: int | None = None,
    dt_ms: float | None = None,
    rel_tol: float = 1e-3,
) -> float:
    """Threshold current in **nA** of a rectangular pulse injected inside one node.

    "Fires" means a spike that propagates: node ``node ± 2`` crosses −20 mV. Bisection to a
    relative tolerance ``rel_tol`` (:func:`utils.hh.bisect_edge`; the bracket at most 30 doublings).

    Args:
        pulse_ms: pulse duration, ms (0.01–10).
        params: :class:`AxonParams`. node: stimulated node (None: the middle one).
        dt_ms: step (None: 0.005 ms). rel_tol: relative tolerance of the bisection.

    >>> round(threshold(0.1, AxonParams(n_nodes=11)), 1)
    1.0
    """
    p = _params(params)
    d = check_range(pulse_ms, "pulse_ms", "ms", lo=0.01, hi=10.0, what="pulse duration")
    k = _node_arg(node, p)
    tol = check_range(rel_tol, "rel_tol", "", lo=1e-6, hi=0.1, what="relative tolerance")
    return _threshold(p, d, k, _dt_arg(dt_ms), tol)


@dataclass(frozen=True)
class StrengthDuration:
    """Thresholds against pulse duration and Weiss's law fitted to them.

    Weiss: threshold charge Q = I·t = I_rh (t + τ_SD), a straight line in t whose slope is the
    rheobase and whose intercept on the time axis is −τ_SD.
    """

    durations_ms: tuple
    thresholds_nA: tuple
    rheobase_nA: float
    tau_sd_us: float
    charge_fit_r2: float


def strength_duration(
    params: AxonParams | None = None,
    durations_ms=(0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0),
    node: int | None = None,
    dt_ms: float | None = None,
) -> StrengthDuration:
    """Rheobase (nA) and strength–duration time constant (µs) by Weiss's law over 0.05–1 ms.

    The protocol is current injected inside one node (the model's own protocol, as in MRG's
    paper), not a surface electrode on a whole nerve: see ``tests/unit/test_axon.py`` for why the
    published human value (459 ± 126 µs, mogyoros1996) is longer.

    >>> sd = strength_duration(AxonParams(n_nodes=11))
    >>> 50 < sd.tau_sd_us < 500
    True
    """
    p = _params(params)
    d = check_array(durations_ms, "durations_ms", "ms", lo=0.01, hi=10.0, what="pulse durations", min_size=3)
    thr = np.array([threshold(float(x), p, node, dt_ms) for x in d])
    q = thr * d
    A = np.vstack([d, np.ones_like(d)]).T
    (slope, icpt), *_ = np.linalg.lstsq(A, q, rcond=None)
    pred = A @ np.array([slope, icpt])
    r2 = 1.0 - float(np.sum((q - pred) ** 2) / np.sum((q - q.mean()) ** 2))
    return StrengthDuration(
        tuple(float(x) for x in d), tuple(float(x) for x in thr), float(slope), float(icpt / slope * 1e3), r2
    )


def conduction_velocity_m_per_s(params: AxonParams | None = None, dt_ms: float | None = None) -> float:
    """Conduction velocity, m/s: an impulse started at node 1 is timed between two inner nodes.

    The nodes are ``a = max(2, n/4)`` and ``b = n − 1 − max(1, n/10)`` (21 nodes: 5 and 18), so
    neither the stimulus nor a sealed end is close; CV = distance / difference of the −20 mV
    crossing times.

    Backward Euler delays each node's spike by a fraction of a step, which biases CV low in
    proportion to dt (measured at 10 µm: −8.5 % at 0.005 ms, −1.8 % at 0.001 ms). With
    ``dt_ms=None`` the velocity is therefore computed at 0.002 and 0.001 ms and extrapolated to
    dt → 0 (Richardson: 2 CV(0.001) − CV(0.002); within 0.1 % of the extrapolated limit); with
    a given ``dt_ms`` it is the plain value at that step (as NEURON at the same step gives).

    >>> round(float(conduction_velocity_m_per_s(AxonParams(n_nodes=11))), 1)
    58.1
    """
    p = _params(params)
    if dt_ms is None:
        return 2.0 * _cv(p, 0.001) - _cv(p, 0.002)
    return _cv(p, _dt_arg(dt_ms))


@lru_cache(maxsize=256)
def _cv(p: AxonParams, dt: float) -> float:
    c = _cable(p)
    nn = p.n_nodes
    a = max(2, nn // 4)
    b = nn - 1 - max(1, nn // 10)
    length_mm = float(c.x_um[-1]) * 1e-3
    t_run = 0.2 + 0.1 + length_mm / 2.0  # reaches the far end at ≥ 2 m/s
    n = _n_steps(t_run, dt)
    # a 0.1 ms pulse at node 1 of 5, 10, 20, 40 then 80 nA (the 0.1 ms threshold is about
    # 1 nA at 10 µm); no impulse at node b even then is reported as conduction block
    for amp in (5.0, 10.0, 20.0, 40.0, 80.0):
        istim = hh.Pulse(amp, 0.2, 0.1).step_means(n, dt)
        arrays = _rest(p).copy_arrays()
        try:
            _, spikes, _, _ = _advance(c, arrays, istim, int(c.node_index[1]), dt, 0, b, 0.0, True)
        except SimulationError:
            break
        if spikes[a].size and spikes[b].size:
            ta, tb = spikes[a][0], spikes[b][0]
            dx = float(c.x_um[c.node_index[b]] - c.x_um[c.node_index[a]])
            return dx / (tb - ta) * 1e-3
    raise SimulationError(
        f"no impulse was conducted from node {a} to node {b} with a 0.1 ms "
        f"pulse of up to 80 nA at node 1 ({p!r}): conduction block."
    )


#: Default inter-stimulus intervals of :func:`recovery_cycle`, ms (geometric, 1.5–100 ms).
DEFAULT_INTERVALS_MS = (
    1.5,
    2.0,
    2.5,
    3.2,
    4.0,
    5.0,
    6.3,
    8.0,
    10.0,
    13.0,
    16.0,
    20.0,
    25.0,
    32.0,
    40.0,
    50.0,
    63.0,
    80.0,
    100.0,
)


@dataclass(frozen=True)
class RecoveryCycle:
    """Threshold after one impulse, against the interval between conditioning and test onsets.

    Attributes:
        intervals_ms; threshold_change_percent: 100 (I_test/I_control − 1); NaN where no test
            current up to ``max_ratio`` × control fires (absolutely refractory).
        control_threshold_nA: unconditioned threshold of the test pulse.
        absolute_refractory_ms: shortest interval at which a test of ``max_ratio`` × control
            threshold gives a propagated spike (bisection to 0.01 ms).
        refractoriness_percent: threshold change at 2 ms (from the sampled curve, linear in
            between; NaN if 2 ms is absolutely refractory).
        superexcitability_percent, superexcitability_ms: most negative change at 2–15 ms.
        subexcitability_percent, subexcitability_ms: largest change at 10–100 ms.
    """

    intervals_ms: tuple
    threshold_change_percent: tuple
    control_threshold_nA: float
    absolute_refractory_ms: float
    refractoriness_percent: float
    superexcitability_percent: float
    superexcitability_ms: float
    subexcitability_percent: float
    subexcitability_ms: float


def recovery_cycle(
    params: AxonParams | None = None,
    intervals_ms=DEFAULT_INTERVALS_MS,
    test_ms: float = 0.5,
    conditioning_ms: float = 0.1,
    conditioning_ratio: float = 2.0,
    max_ratio: float = 4.0,
    node: int | None = None,
    dt_ms: float | None = None,
    rel_tol: float = 2e-3,
) -> RecoveryCycle:
    """Recovery cycle: threshold change (%) of a test pulse after one conditioning impulse.

    Protocol (both pulses injected into the same node): a conditioning pulse of
    ``conditioning_ms`` at ``conditioning_ratio`` × its own threshold starts one impulse at
    t = 0.5 ms; a test pulse of ``test_ms`` starts ``interval`` later and its threshold is found
    by bisection (:func:`utils.hh.bisect_edge`; a test counts when its own impulse reaches node ± 2). The
    conditioning run is done once and its state saved at every test onset, so each trial only
    simulates the test.

    >>> rc = recovery_cycle(AxonParams(n_nodes=9), intervals_ms=(1.5, 5.0, 40.0))
    >>> [x > 0 for x in rc.threshold_change_percent]      # refractory, superexcitable, sub-
    [True, False, True]
    """
    p = _params(params)
    iv = np.sort(
        check_array(
            intervals_ms,
            "intervals_ms",
            "ms",
            lo=0.2,
            hi=500.0,
            what="conditioning–test intervals",
            min_size=1,
        )
    )
    tm = check_range(test_ms, "test_ms", "ms", lo=0.01, hi=5.0, what="test pulse duration")
    cm = check_range(
        conditioning_ms, "conditioning_ms", "ms", lo=0.01, hi=1.0, what="conditioning pulse duration"
    )
    cr = check_range(
        conditioning_ratio,
        "conditioning_ratio",
        "",
        lo=1.05,
        hi=10.0,
        what="conditioning current / its threshold",
    )
    mr = check_range(
        max_ratio, "max_ratio", "", lo=1.5, hi=20.0, what="largest test current / control threshold"
    )
    tol = check_range(rel_tol, "rel_tol", "", lo=1e-5, hi=0.05)
    k = _node_arg(node, p)
    dt = _dt_arg(dt_ms)
    return _recovery(p, tuple(float(x) for x in iv), tm, cm, cr, mr, k, dt, tol)


@lru_cache(maxsize=32)
def _recovery(p, iv, tm, cm, cr, mr, k, dt, tol) -> RecoveryCycle:
    iv = np.asarray(iv)
    c = _cable(p)
    watch = _watch_node(p, k)
    k_comp = int(c.node_index[k])
    i0 = _threshold(p, tm, k, dt, tol)
    ic = cr * _threshold(p, cm, k, dt, tol)
    t_c = 0.5
    n_test = _n_steps(tm + 2.5, dt)
    unit_test = hh.Pulse(1.0, 0.0, tm).step_means(n_test, dt)

    def conditioned_states(times):
        """States at the given test onsets (sorted), from one conditioning run."""
        arrays = _rest(p).copy_arrays()
        out = []
        t_now = 0.0
        n_total = _n_steps(t_c + max(times) + dt, dt)
        cond = hh.Pulse(ic, t_c, cm).step_means(n_total, dt)
        k_now = 0
        for t in times:
            k_to = int(round((t_c + t) / dt))
            if k_to > k_now:
                _advance(c, arrays, cond[k_now:k_to], k_comp, dt, 0, t0=t_now)
                k_now = k_to
                t_now = k_now * dt
            out.append(AxonState(*(a.copy() for a in arrays)))
        return out

    def test_threshold(state):
        def fires(a):
            return _fires(c, state, unit_test, a, k, watch, dt, 0.0)

        hi = mr * i0
        if not fires(hi):
            return math.nan
        lo = 0.2 * i0
        if fires(lo):
            return lo
        return _bisect_amp(fires, lo, hi, tol)

    states = conditioned_states(iv)
    change = []
    for s in states:
        thr = test_threshold(s)
        change.append(100.0 * (thr / i0 - 1.0) if math.isfinite(thr) else math.nan)
    change = np.array(change)

    # absolute refractory period: bisection on the interval
    def excitable(t):
        st = conditioned_states([t])[0]
        return _fires(c, st, unit_test, mr * i0, k, watch, dt, 0.0)

    lo_t, hi_t = 0.05, None
    for t in iv:
        if excitable(t):
            hi_t = float(t)
            break
        lo_t = float(t)
    arp = math.nan if hi_t is None else hh.bisect_edge(excitable, lo_t, hi_t, 0.01)

    def extreme(lo, hi, fn):
        sel = (iv >= lo) & (iv <= hi) & np.isfinite(change)
        if not sel.any():
            return math.nan, math.nan
        j = np.flatnonzero(sel)[fn(change[sel])]
        return float(change[j]), float(iv[j])

    fin = np.isfinite(change)
    refr = float(np.interp(2.0, iv[fin], change[fin])) if fin.any() and iv[fin][0] <= 2.0 else math.nan
    se, se_t = extreme(2.0, 15.0, np.argmin)
    sub, sub_t = extreme(10.0, 100.0, np.argmax)
    return RecoveryCycle(
        tuple(float(x) for x in iv),
        tuple(float(x) for x in change),
        float(i0),
        float(arp),
        refr,
        se,
        se_t,
        sub,
        sub_t,
    )


# --------------------------------------------------------------------------------------------
# Independent reference: the same equations with SciPy's solve_ivp
# --------------------------------------------------------------------------------------------


def reference_solution(
    stimulus=None,
    t_stop_ms: float = 3.0,
    params: AxonParams | None = None,
    node: int | None = None,
    rtol: float = 1e-8,
    atol: float = 1e-8,
    method: str = "Radau",
    grid_dt_ms: float = DT_DEFAULT_MS,
):
    """Solve the same model with SciPy ``solve_ivp`` (for cross-checks; slow).

    The nodal periaxonal potential is set to 0 exactly (the published xg = 10¹⁰ S/cm² ties it to
    ground), which turns its algebraic equation into a constant; every other equation is the
    ODE of the module docstring, with the gates as ODEs dx/dt = α(1 − x) − βx. The stimulus is
    taken as piecewise constant on the grid ``grid_dt_ms`` (the same step means the compiled
    solver uses) and integrated piece by piece. Spike times are found by event location.

    Returns:
        (spike_times_ms: tuple of arrays per node, solution object of the last piece).
    """
    p = _params(params)
    k = _node_arg(node, p)
    check_choice(method, "method", ("Radau", "BDF", "LSODA"))
    c = _cable(p)
    n = c.kind.size
    dt = _dt_arg(grid_dt_ms)
    n_grid = _n_steps(check_range(t_stop_ms, "t_stop_ms", "ms", lo=0.0, lo_open=True, hi=200.0), dt)
    istim = _stim_steps(stimulus, n_grid, dt)
    internode = np.flatnonzero(c.kind != 0)
    ne = internode.size
    masks = np.array([_gate_mask(c.gbar, i) for i in range(n)]).T  # (6, n)
    gidx = np.argwhere(masks.T)  # (count, 2): comp, gate
    ng = gidx.shape[0]
    shift = c.consts[3]
    k_comp = int(c.node_index[k])
    level = _TABLE["mrg2002"]["spike_level_mV"]
    rest = _rest(p)
    y0 = np.concatenate([rest.v_mV, rest.e_periaxonal_mV[internode], rest.gates[gidx[:, 1], gidx[:, 0]]])
    gates_full = np.array(rest.gates)

    def rhs(t, y, i_inj):
        vm = y[:n]
        e = np.zeros(n)
        e[internode] = y[n : n + ne]
        gates_full[gidx[:, 1], gidx[:, 0]] = y[n + ne :]
        vi = vm + e
        gm = np.empty(n)
        ib = np.empty(n)
        for i in range(n):
            gm[i], ib[i] = _conductance(c.gbar, c.e_leak, c.consts, gates_full, i)
        iion = gm * vm - ib
        ax = np.zeros(n)
        ax[:-1] += c.ga * (vi[1:] - vi[:-1])
        ax[1:] += c.ga * (vi[:-1] - vi[1:])
        pa = np.zeros(n)
        pa[:-1] += c.gp * (e[1:] - e[:-1])
        pa[1:] += c.gp * (e[:-1] - e[1:])
        ax[k_comp] += i_inj
        dv = (ax - iion) / c.cap
        de = (ax[internode] + pa[internode] - c.gx[internode] * e[internode]) / c.capx[internode]
        dg = np.empty(ng)
        for j in range(ng):
            comp, g = gidx[j]
            r = _rates(vm[comp] - shift, c.consts)
            dg[j] = r[g, 0] * (1.0 - y[n + ne + j]) - r[g, 1] * y[n + ne + j]
        return np.concatenate([dv, de, dg])

    # sparsity: each compartment couples to its neighbours (both potentials) and its own gates
    from scipy.integrate import solve_ivp  # noqa: PLC0415 (deferred: scipy costs ~1 s at kernel start)
    from scipy.sparse import lil_matrix  # noqa: PLC0415

    N = n + ne + ng
    S = lil_matrix((N, N), dtype=bool)
    pos_e = {int(c_): n + i for i, c_ in enumerate(internode)}

    def cols(i):
        out = []
        for j in (i - 1, i, i + 1):
            if 0 <= j < n:
                out.append(j)
                if j in pos_e:
                    out.append(pos_e[j])
        return out

    gate_rows = {}
    for j in range(ng):
        gate_rows.setdefault(int(gidx[j, 0]), []).append(n + ne + j)
    for i in range(n):
        rows = [i] + ([pos_e[i]] if i in pos_e else [])
        for r_ in rows:
            for col in cols(i) + gate_rows.get(i, []):
                S[r_, col] = True
    for j in range(ng):
        S[n + ne + j, int(gidx[j, 0])] = True
        S[n + ne + j, n + ne + j] = True
    S = S.tocsr()

    node_comp = c.node_index
    events = []
    for j, comp in enumerate(node_comp):

        def ev(t, y, *args, _c=int(comp)):
            return y[_c] - level

        ev.direction = 1.0
        events.append(ev)

    spikes = [[] for _ in node_comp]
    # integrate piece by piece over runs of constant current
    edges = [0]
    for i in range(1, n_grid):
        if istim[i] != istim[i - 1]:
            edges.append(i)
    edges.append(n_grid)
    y = y0
    sol = None
    for a_, b_ in zip(edges[:-1], edges[1:]):
        i_inj = float(istim[a_])
        sol = solve_ivp(
            rhs,
            (a_ * dt, b_ * dt),
            y,
            method=method,
            rtol=rtol,
            atol=atol,
            jac_sparsity=S if method != "LSODA" else None,
            events=events,
            args=(i_inj,),
        )
        if sol.status < 0:
            raise SimulationError(f"solve_ivp failed: {sol.message}")
        for j, te in enumerate(sol.t_events):
            spikes[j].extend(float(x) for x in te)
        y = sol.y[:, -1]
    return tuple(np.array(s) for s in spikes), sol

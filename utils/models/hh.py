"""Hodgkin–Huxley (1952) squid-axon action potential: parameters, stimuli, simulation, analyses.

The model is the 1952 space-clamped membrane in the modern convention (V absolute, rest ≈ −65 mV,
depolarisation positive), exactly as in NEURON's ``hh.mod`` (hodgkin1952; hines1997;
REFERENCE.md §1.1 in reference_sheet)::

    C dV/dt = I_stim − gNa m³h (V − ENa) − gK n⁴ (V − EK) − gL (V − EL)
    dx/dt   = φ(T) [αx(V − s)(1 − x) − βx(V − s) x],   φ = 3^((T − 6.3 °C)/10)

with a gating shift ``s`` for the Na⁺ gates (m, h) and one for the K⁺ gate (n) (the surface-charge
convention of REFERENCE.md §3.2; frankenhaeuser1957).

Numerical method, chosen by measurement (this machine, numba 0.68, 6.3 °C; the test suite
re-measures the accuracy claims against SciPy LSODA at rtol 1e-8):

* a *staggered exponential* scheme: the gates live at half steps and are advanced exactly for a
  frozen V (Rush–Larsen), then V is advanced exactly for frozen gates (V is linear in itself, so
  its update is an exponential relaxation towards the instantaneous reversal potential). Both
  updates use midpoint values, so the scheme is second order, and both are unconditionally stable
  for the frozen problem, so no stiffness limit applies (C/G falls to 6 µs when all channels
  are open, G ≤ 156 mS/cm², which would hold forward Euler below 0.013 ms);
* measured spike-time errors against LSODA (rtol 1e-10), maximum over all spikes:

  ======================  ===========  ===========  ===========  ===========
  protocol                dt 0.005     dt 0.01      dt 0.025     dt 0.05
  ======================  ===========  ===========  ===========  ===========
  step 20, 100 ms, 9 sp.  0.0014 ms    0.0057 ms    0.035 ms     0.14 ms
  step 8, 200 ms, 13 sp.  0.0025 ms    0.010 ms     0.063 ms     0.25 ms
  step 100, 60 ms, 9 sp.  0.0011 ms    0.0043 ms    0.027 ms     0.11 ms
  ======================  ===========  ===========  ===========  ===========

  (error × 4 per doubling of dt: second order). The unstaggered first-order Rush–Larsen scheme
  (rush1978) at the same cost is off by 0.55 ms (step 20) and 0.99 ms (step 8) at dt 0.01 ms.
  The default dt = 0.01 ms keeps the error ≈ 10–20× below the 0.1 ms requirement even over
  runs of several hundred ms (the error grows linearly with the number of spikes); 0.025 ms
  would already reach 0.06 ms in 200 ms. Above 6.3 °C dt is divided by φ;
* speed: the integrator is compiled with numba (``cache=True``): a 100 ms run at dt 0.01 ms
  takes 0.7–0.8 ms (p50, light result) against ≈ 500 ms in pure Python and 10–16 ms for
  NEURON 9 at its default dt 0.025 ms; the first call in a fresh interpreter (import + cache
  load) takes ≈ 1 s, or 4–5 s when the cache must first be compiled
  (``python benchmarks/bench_hh.py``).

**The spike rule** (the one definition used by :func:`simulate`, :func:`detect_spikes`, every
threshold, onset and refractory search and both f–I engines). A spike is a local maximum of V
that is either

(a) a *membrane-made overshoot*: an upward crossing of 0 mV (the classical criterion,
    REFERENCE.md: "a spike means an upward crossing of 0 mV"; V has been below 0 mV since the
    previous spike) that peaks at least 20 mV above the lowest V since then, while the membrane's
    own channels would hold V there: their reversal potential
    E_m = (gNa·ENa + gK·EK + gL·EL)/(gNa + gK + gL) is ≥ 0 mV at the peak, i.e. Na⁺ dominates
    (the chord-conductance form of hodgkin1949's explanation of the overshoot). An overshoot
    that only the injected current holds up (E_m < 0: the stimulus's ohmic share I/G carries V
    above 0 mV) is not a spike, nor is a graded response that peaks below 0 mV; or

(b) a *cycle of a steady-current oscillation*: the stimulus has not changed since the previous
    spike (or the start of the run) and the equilibrium under it is unstable, so the membrane
    cannot rest and every cycle is a spike, however small (the repetitive-firing branch between
    the Hopf points 9.78 and 154.5 µA/cm²: hassard1978; rinzel1980; REFERENCE.md §1.2; its
    peaks fall below 0 mV above ≈ 65 µA/cm²).

Consequences (measured, 6.3 °C unless said; tests in tests/unit/test_hh.py): 1 ms threshold
6.92 µA/cm² and rheobase 2.24 (REFERENCE.md §1.2); at 25 °C the 1 ms threshold is 12.95 µA/cm²
(weaker pulses give graded responses that peak below 0 mV); the f–I curve fires up to the upper
Hopf point and is 0 above it (164 Hz at 140 µA/cm², 169 Hz at 154.4); after a 20 µA/cm² spike
no 1 ms pulse up to 1000 µA/cm² fires a second spike until 5.3 ms (absolute refractory period).

Everything is in mV, ms, µA/cm², mS/cm², µF/cm² and °C; names carry the unit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache

import numpy as np
import pandas as pd
from numba import njit

from ..validation import ParameterError, check_array, check_int, check_range

__all__ = [
    "HHParams",
    "State",
    "HHResult",
    "SimulationError",
    "Stimulus",
    "Pulse",
    "Step",
    "PulseTrain",
    "Ramp",
    "HyperpolarisingStep",
    "Noise",
    "SampledCurrent",
    "Protocol",
    "simulate",
    "detect_spikes",
    "resting_state",
    "equilibrium",
    "eigenvalues",
    "hopf_current",
    "steady_states",
    "voltage_clamp",
    "voltage_clamp_summary",
    "threshold_pulse",
    "rheobase",
    "fi_curve",
    "fi_curve_batch",
    "firing_onset",
    "refractory_threshold",
    "refractory_curve",
    "absolute_refractory_ms",
    "instantaneous_depolarisation",
    "default_dt_ms",
    "max_dt_ms",
    "phi",
]

# --------------------------------------------------------------------------------------------
# Constants, each with its source
# --------------------------------------------------------------------------------------------

#: Temperature at which the 1952 rate constants are defined, °C (hodgkin1952; REFERENCE.md §1.1).
T_REF_C = 6.3
#: Temperature coefficient of all rates (hodgkin1952; REFERENCE.md §1.1).
Q10 = 3.0
#: Allowed temperature range, °C. HH fitted Q10 = 3 on axons between about 3.5 and 20 °C
#: (hodgkin1952); the model goes into heat block well below 37 °C (REFERENCE.md §1.2), and above
#: 40 °C the extrapolated rates (φ > 40) no longer describe any membrane.
TEMPERATURE_RANGE_C = (0.0, 40.0)
#: Default step, ms: meets the 0.1 ms spike-time requirement with a margin of ~40× (measured; see
#: module docstring). Scaled by 1/φ above 6.3 °C so that the step stays the same fraction of the
#: fastest gate time constant.
DT_DEFAULT_MS = 0.01
#: Coarsest allowed step at 6.3 °C, ms (divided by φ when φ > 1). The scheme is stable at any dt,
#: but accuracy is not: measured spike-time errors over 100 ms of a 20 µA/cm² step are 0.14 ms at
#: dt 0.05, 0.55 ms at 0.1 and 2 ms at 0.2 ms (with a 3 mV error in the peak), so coarser steps
#: are refused.
DT_MAX_MS = 0.05
#: Smallest allowed step, ms (below this, rounding in t = k·dt dominates; a design choice).
DT_MIN_MS = 1e-5
#: Memory cap: at most this many recorded time points per run (≈ 180 MB with currents: 11 float64
#: arrays). A design choice for classroom machines.
MAX_RECORDED_SAMPLES = 2_000_000
#: Work cap: at most this many integration steps per run (measured ≈ 0.18 µs per step on a busy
#: 2-core machine, so ≤ about 4 s of compute).
MAX_STEPS = 20_000_000
#: Work cap of one threshold search (rheobase, threshold_pulse, firing_onset, refractory_threshold,
#: fi_curve, refractory_curve): at most this many integration steps over all its trial runs
#: (≈ 4 s at 0.18 µs per step), so that no slider position or typed value freezes the kernel
#: (``rheobase(dt_ms=1e-5)`` took 36 s before this cap). A design choice.
MAX_SEARCH_STEPS = 20_000_000
#: Hard cap on the halvings of :func:`bisect_edge`: enough to reach adjacent floating-point
#: numbers from any finite bracket (at most ~2100 halvings are ever useful).
MAX_BISECTIONS = 2200
#: Cost caps of the curve helpers: clamp steps of voltage_clamp_summary and points of
#: steady_states (a smooth curve needs a few hundred).
MAX_CLAMP_STEPS = 1000
MAX_CURVE_POINTS = 1_000_000
#: Largest stimulus magnitude accepted, µA/cm² (the upper Hopf point is 154.5 µA/cm²,
#: REFERENCE.md §1.2; beyond ~1000 the membrane is driven far outside its physiological range).
MAX_CURRENT_UA_PER_CM2 = 1000.0
#: A run whose V leaves ±V_LIMIT_MV has blown up or is being driven unphysically (reversal
#: potentials are within ±150 mV, REFERENCE.md §1.1/§2): it is reported as an error.
V_LIMIT_MV = 500.0

#: Spike rule, clause (a): minimum rise of an overshoot above the lowest V since the previous
#: spike, mV. It keeps one spike from being counted twice when a noisy stimulus puts a second
#: maximum on its crest (any real spike rises ≥ 60 mV; a design choice).
SPIKE_MIN_RISE_MV = 20.0
#: Spike rule, clause (a): the overshoot level, mV (REFERENCE.md intro: "a spike means an upward
#: crossing of 0 mV"; hodgkin1952).
SPIKE_OVERSHOOT_MV = 0.0
SPIKE_RULE = (SPIKE_MIN_RISE_MV, SPIKE_OVERSHOOT_MV)


class SimulationError(ParameterError):
    """A run blew up numerically or left the physiological voltage range (message says when)."""


# --------------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HHParams:
    """Parameters of the squid-axon membrane (defaults: hodgkin1952 in the modern convention,
    REFERENCE.md §1.1; EL = −54.387 mV makes the 1952 leak reversal −10.613 mV relative to rest).

    Attributes:
        C_uF_per_cm2: membrane capacitance, µF/cm² (1.0).
        g_Na_mS_per_cm2: maximal Na⁺ conductance, mS/cm² (120).
        g_K_mS_per_cm2: maximal K⁺ conductance, mS/cm² (36; neuromyotonia: reduce it,
            REFERENCE.md §5).
        g_L_mS_per_cm2: leak conductance, mS/cm² (0.3; must be > 0).
        E_Na_mV, E_K_mV, E_L_mV: reversal potentials, mV (+50, −77, −54.387).
        temperature_C: temperature, °C (6.3); rates scale by φ = 3^((T − 6.3)/10).
        shift_Na_mV: shift of the m and h gating curves, mV (0); α, β are evaluated at V − shift,
            so a negative shift (low Ca²⁺) moves the curves to more negative V (REFERENCE.md §3.2).
        shift_K_mV: the same for the n gate, mV (0).
    """

    C_uF_per_cm2: float = 1.0
    g_Na_mS_per_cm2: float = 120.0
    g_K_mS_per_cm2: float = 36.0
    g_L_mS_per_cm2: float = 0.3
    E_Na_mV: float = 50.0
    E_K_mV: float = -77.0
    E_L_mV: float = -54.387
    temperature_C: float = T_REF_C
    shift_Na_mV: float = 0.0
    shift_K_mV: float = 0.0

    # name -> (unit, lo, hi, lo_open, what). Ranges are design choices wide enough for every
    # manipulation in REFERENCE.md §3 and §5, narrow enough to keep the model meaningful.
    _RANGES = {
        "C_uF_per_cm2": ("µF/cm²", 0.0, 10.0, True, "membrane capacitance"),
        "g_Na_mS_per_cm2": ("mS/cm²", 0.0, 1000.0, False, "maximal Na+ conductance"),
        "g_K_mS_per_cm2": ("mS/cm²", 0.0, 1000.0, False, "maximal K+ conductance"),
        "g_L_mS_per_cm2": ("mS/cm²", 0.0, 100.0, True, "leak conductance"),
        "E_Na_mV": ("mV", -100.0, 200.0, False, "Na+ reversal potential"),
        "E_K_mV": ("mV", -150.0, 50.0, False, "K+ reversal potential"),
        "E_L_mV": ("mV", -150.0, 100.0, False, "leak reversal potential"),
        "temperature_C": (
            "°C",
            TEMPERATURE_RANGE_C[0],
            TEMPERATURE_RANGE_C[1],
            False,
            "temperature; Q10 = 3 from 6.3 °C",
        ),
        "shift_Na_mV": ("mV", -30.0, 30.0, False, "shift of the Na+ (m, h) gating curves"),
        "shift_K_mV": ("mV", -30.0, 30.0, False, "shift of the K+ (n) gating curve"),
    }

    def __post_init__(self):
        for f in fields(self):
            unit, lo, hi, lo_open, what = self._RANGES[f.name]
            v = check_range(getattr(self, f.name), f.name, unit, lo=lo, hi=hi, lo_open=lo_open, what=what)
            object.__setattr__(self, f.name, v)

    @property
    def phi(self) -> float:
        """Rate factor φ = Q10^((T − 6.3)/10), dimensionless (hodgkin1952)."""
        return Q10 ** ((self.temperature_C - T_REF_C) / 10.0)

    def replace(self, **changes) -> "HHParams":
        """A copy with some fields changed (validated), e.g. ``p.replace(E_K_mV=-67)``."""
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise ParameterError(
                f"unknown HHParams field(s) {sorted(unknown)}; choose from {[f.name for f in fields(self)]}."
            )
        return replace(self, **changes)

    def scaled(self, g_Na_factor: float = 1.0, g_K_factor: float = 1.0) -> "HHParams":
        """A copy with g_Na and g_K multiplied by dimensionless factors in [0, 5]."""
        a = check_range(g_Na_factor, "g_Na_factor", "", lo=0.0, hi=5.0, what="multiplier of g_Na")
        b = check_range(g_K_factor, "g_K_factor", "", lo=0.0, hi=5.0, what="multiplier of g_K")
        return self.replace(g_Na_mS_per_cm2=self.g_Na_mS_per_cm2 * a, g_K_mS_per_cm2=self.g_K_mS_per_cm2 * b)

    def _tuple(self):
        return (
            self.C_uF_per_cm2,
            self.g_Na_mS_per_cm2,
            self.g_K_mS_per_cm2,
            self.g_L_mS_per_cm2,
            self.E_Na_mV,
            self.E_K_mV,
            self.E_L_mV,
            self.phi,
            self.shift_Na_mV,
            self.shift_K_mV,
        )


# dataclass(frozen) treats the class-level dict as a plain attribute, not a field.
DEFAULT_PARAMS = HHParams()


def _params(params) -> HHParams:
    if params is None:
        return DEFAULT_PARAMS
    if not isinstance(params, HHParams):
        raise ParameterError(
            f"params must be an HHParams (or None for the 1952 defaults), got {type(params).__name__}."
        )
    return params


def phi(temperature_C: float) -> float:
    """Rate factor φ = 3^((T − 6.3)/10) at ``temperature_C`` °C (hodgkin1952)."""
    t = check_range(
        temperature_C,
        "temperature_C",
        "°C",
        lo=TEMPERATURE_RANGE_C[0],
        hi=TEMPERATURE_RANGE_C[1],
        what="temperature",
    )
    return Q10 ** ((t - T_REF_C) / 10.0)


@dataclass(frozen=True)
class State:
    """Membrane state: potential (mV) and the three gates (dimensionless, 0–1)."""

    v_mV: float
    m: float
    h: float
    n: float

    def __post_init__(self):
        object.__setattr__(
            self,
            "v_mV",
            check_range(self.v_mV, "v_mV", "mV", lo=-V_LIMIT_MV, hi=V_LIMIT_MV, what="membrane potential"),
        )
        for g in ("m", "h", "n"):
            object.__setattr__(
                self, g, check_range(getattr(self, g), g, "", lo=0.0, hi=1.0, what="gate open probability")
            )

    def replace(self, **changes) -> "State":
        """A copy with some fields changed, e.g. ``s.replace(v_mV=s.v_mV + 7)``."""
        return replace(self, **changes)


# --------------------------------------------------------------------------------------------
# Rate functions (hodgkin1952; REFERENCE.md §1.1), compiled
# --------------------------------------------------------------------------------------------

# u/(exp(u) − 1) has the limit 1 − u/2 near u = 0: the removable singularities of αm at
# V = −40 mV and αn at V = −55 mV (REFERENCE.md §1.1; same treatment as NEURON's vtrap).
# Compiler flags: allow fused multiply-add, reciprocal division and LLVM's own exp (measured
# −10 % run time), but keep IEEE NaN/Inf semantics so the blow-up check cannot be optimised away.
_FASTMATH = {"contract", "arcp", "afn", "nsz"}
_E1 = math.exp(1.0)
_E25 = math.exp(2.5)
_E3 = math.exp(3.0)


@njit(cache=True, error_model="numpy", fastmath=_FASTMATH)
def _rates(v, s_na, s_k):
    """αm, βm, αh, βh, αn, βn in 1/ms at 6.3 °C for V (mV) and the two gating shifts (mV)."""
    vn = v - s_na
    vk = v - s_k
    # One exponential per gate family is shared (measured: −30 % run time):
    # e = exp(−(V+65)/80), so exp(−(V+65)/20) = e⁴, exp(−(V+65)/10) = e⁸.
    en = math.exp(-(vn + 65.0) / 80.0)
    en4 = en * en
    en4 = en4 * en4
    en8 = en4 * en4
    ek = en if s_k == s_na else math.exp(-(vk + 65.0) / 80.0)
    ek2 = ek * ek
    ek8 = ek2 * ek2
    ek8 = ek8 * ek8
    # αm = 0.1(V+40)/(1−exp(−(V+40)/10)) = u/(exp(u)−1), u = −(V+40)/10, exp(u) = e⁸·e^2.5
    u = -(vn + 40.0) / 10.0
    am = 1.0 - 0.5 * u if abs(u) < 1e-6 else u / (en8 * _E25 - 1.0)
    bm = 4.0 * math.exp(-(vn + 65.0) / 18.0)
    ah = 0.07 * en4
    bh = 1.0 / (1.0 + en8 * _E3)  # 1/(1+exp(−(V+35)/10))
    # αn = 0.01(V+55)/(1−exp(−(V+55)/10)) = 0.1·u/(exp(u)−1), u = −(V+55)/10, exp(u) = e⁸·e
    u = -(vk + 55.0) / 10.0
    an = 0.1 * (1.0 - 0.5 * u if abs(u) < 1e-6 else u / (ek8 * _E1 - 1.0))
    bn = 0.125 * ek
    return am, bm, ah, bh, an, bn


@njit(cache=True)
def _rates_array(v, s_na, s_k):
    out = np.empty((6, v.shape[0]))
    for i in range(v.shape[0]):
        r = _rates(v[i], s_na, s_k)
        for j in range(6):
            out[j, i] = r[j]
    return out


@njit(cache=True, error_model="numpy", fastmath=_FASTMATH)
def _gate_step(x, a, b, phi, dt):
    # exact solution of dx/dt = φ(a(1−x) − b x) for frozen a, b (Rush–Larsen, rush1978)
    s = a + b
    xinf = a / s
    return xinf + (x - xinf) * math.exp(-phi * s * dt)


@njit(cache=True, error_model="numpy", fastmath=_FASTMATH)
def _is_spike(v, vm1, vnew, vmin, steady_osc, mk, hk, nk, par, rule):
    """The spike rule (module docstring) for a sample V_k between V_{k-1} and V_{k+1}: a local
    maximum that is a membrane-made overshoot (clause a) or a cycle of a steady-current
    oscillation (clause b). ``vmin``: the lowest V since the previous spike; ``steady_osc``: the
    stimulus has not changed since the previous spike and rest is unstable under it;
    ``mk, hk, nk``: the gates at t_k; ``par``: :meth:`HHParams._tuple` (its g_Na < 0: the gates
    are unknown and clause a tests V only); ``rule``: (minimum rise, overshoot level), mV."""
    gna, gk, gl, ena, ek, el = par[1:7]
    min_rise, overshoot = rule
    if not (v >= vm1 and v > vnew):
        return False
    if steady_osc:
        return True
    if v < overshoot or vmin >= overshoot or v - vmin < min_rise:
        return False
    if gna < 0.0:
        return True
    g1 = gna * mk * mk * mk * hk
    g2 = gk * nk * nk * nk * nk
    return g1 * (ena - overshoot) + g2 * (ek - overshoot) + gl * (el - overshoot) >= 0.0


@njit(cache=True, error_model="numpy", fastmath=_FASTMATH)
def _peak_offset(vm1, v, vnew):
    """Offset (in steps, within ±0.5) and value of the parabola's vertex through three samples."""
    den = vm1 - 2.0 * v + vnew
    if den >= 0.0:
        return 0.0, v
    off = min(0.5, max(-0.5, 0.5 * (vm1 - vnew) / den))
    return off, v - 0.125 * (vm1 - vnew) * (vm1 - vnew) / den


@njit(cache=True, error_model="numpy", fastmath=_FASTMATH)
def _kernel(v0, m0, h0, n0, i_stim, osc, dt, par, rec_every, rule, v_limit):
    """Staggered exponential integration with online spike detection.

    V at t_k = k·dt, gates at half steps. i_stim[k] is the mean stimulus on [t_k, t_k+1);
    osc[k] is True when rest is unstable under the current i_stim[k] (clause b of the rule).
    ``par`` is :meth:`HHParams._tuple`, ``rule`` (minimum rise, overshoot level) of the spike rule.
    Returns recorded V, m, h, n (every ``rec_every`` steps, gates interpolated to t_k),
    spike times and peaks, status (0 ok, 1 blow-up), the step of a blow-up, and the final state.
    """
    cm, gna, gk, gl, ena, ek, el, phi, s_na, s_k = par
    n_steps = i_stim.shape[0]
    n_rec = n_steps // rec_every + 1
    V_rec = np.empty(n_rec)
    m_rec = np.empty(n_rec)
    h_rec = np.empty(n_rec)
    n_rec_ = np.empty(n_rec)
    cap = 64
    sp_t = np.empty(cap)
    sp_v = np.empty(cap)
    ns = 0
    V_rec[0] = v0
    m_rec[0] = m0
    h_rec[0] = h0
    n_rec_[0] = n0
    # gates to t_{1/2}
    am, bm, ah, bh, an, bn = _rates(v0, s_na, s_k)
    m = _gate_step(m0, am, bm, phi, 0.5 * dt)
    h = _gate_step(h0, ah, bh, phi, 0.5 * dt)
    n = _gate_step(n0, an, bn, phi, 0.5 * dt)
    mp, hp, np_ = m0, h0, n0  # gates at t_{k-1/2} (at t_0 for k = 0)
    v = v0
    vm1 = v0  # V_{k-1}
    vmin = v0  # lowest V since the previous spike
    k_spike = 0  # step of the previous spike (0: the start)
    k_change = 0  # last step at which the stimulus changed
    status = 0
    k_bad = -1
    irec = 1
    countdown = rec_every
    for k in range(n_steps):
        # V from t_k to t_{k+1} with gates at t_{k+1/2}
        gnat = gna * m * m * m * h
        gkt = gk * n * n * n * n
        G = gnat + gkt + gl
        vinf = (gnat * ena + gkt * ek + gl * el + i_stim[k]) / G
        vnew = vinf + (v - vinf) * math.exp(-G * dt / cm)
        if not (abs(vnew) <= v_limit):
            status = 1
            k_bad = k + 1
            break
        if k >= 1 and i_stim[k] != i_stim[k - 1]:
            k_change = k
        # spike test for the peak at t_k (needs V_{k-1}, V_k, V_{k+1}; gates at t_k)
        if k >= 1 and v >= vm1 and v > vnew:  # a local maximum: test the rest of the rule
            gates_k = (0.5 * (mp + m), 0.5 * (hp + h), 0.5 * (np_ + n))
            if _is_spike(v, vm1, vnew, vmin, osc[k] and k_change <= k_spike, *gates_k, par, rule):
                off, pk = _peak_offset(vm1, v, vnew)
                if ns == cap:
                    cap *= 2
                    t2 = np.empty(cap)
                    v2 = np.empty(cap)
                    t2[:ns] = sp_t[:ns]
                    v2[:ns] = sp_v[:ns]
                    sp_t = t2
                    sp_v = v2
                sp_t[ns] = (k + off) * dt
                sp_v[ns] = pk
                ns += 1
                vmin = v
                k_spike = k
        if vnew < vmin:
            vmin = vnew
        vm1 = v
        v = vnew
        # gates from t_{k+1/2} to t_{k+3/2} with V at t_{k+1}
        am, bm, ah, bh, an, bn = _rates(v, s_na, s_k)
        mp, hp, np_ = m, h, n
        m = _gate_step(m, am, bm, phi, dt)
        h = _gate_step(h, ah, bh, phi, dt)
        n = _gate_step(n, an, bn, phi, dt)
        countdown -= 1
        if countdown == 0:
            countdown = rec_every
            V_rec[irec] = v
            m_rec[irec] = 0.5 * (mp + m)
            h_rec[irec] = 0.5 * (hp + h)
            n_rec_[irec] = 0.5 * (np_ + n)
            irec += 1
    final = np.array([v, 0.5 * (mp + m), 0.5 * (hp + h), 0.5 * (np_ + n)])
    return (V_rec, m_rec, h_rec, n_rec_, sp_t[:ns].copy(), sp_v[:ns].copy(), status, k_bad, final)


@njit(cache=True, error_model="numpy", fastmath=_FASTMATH)
def _kernel_steps_batch(v0, m0, h0, n0, amps, osc, n_steps, dt, par, rule, v_limit, cap):
    """:func:`_kernel` for B constant currents ``amps`` at once (the f–I protocol), nothing recorded
    but the spikes. The B runs are independent: the inner loop over them lets the CPU overlap B
    dependency chains (the single run waits on each exp) and drops the per-run recording and Python
    set-up. Same operations in the same order per run as :func:`_kernel`, and the same spike rule
    (the stimulus never changes, so clause b holds wherever ``osc[b]``). Returns spike times
    (B, cap), counts, status (0 ok, 1 blow-up, 2 more than ``cap`` spikes) per run."""
    cm, gna, gk, gl, ena, ek, el, phi, s_na, s_k = par
    B = amps.shape[0]
    v = np.full(B, v0)
    vm1 = np.full(B, v0)
    vmin = np.full(B, v0)
    am, bm, ah, bh, an, bn = _rates(v0, s_na, s_k)
    m = np.full(B, _gate_step(m0, am, bm, phi, 0.5 * dt))
    h = np.full(B, _gate_step(h0, ah, bh, phi, 0.5 * dt))
    n = np.full(B, _gate_step(n0, an, bn, phi, 0.5 * dt))
    mp = np.full(B, m0)
    hp = np.full(B, h0)
    np_ = np.full(B, n0)
    sp_t = np.empty((B, cap))
    ns = np.zeros(B, np.int64)
    status = np.zeros(B, np.int64)
    vnew = np.empty(B)
    for k in range(n_steps):
        # (1) V from t_k to t_k+1, all runs (branch-free: the compiler can vectorise it)
        for b in range(B):
            mb = m[b]
            nb = n[b]
            gnat = gna * mb * mb * mb * h[b]
            gkt = gk * nb * nb * nb * nb
            G = gnat + gkt + gl
            vinf = (gnat * ena + gkt * ek + gl * el + amps[b]) / G
            vnew[b] = vinf + (v[b] - vinf) * math.exp(-G * dt / cm)
        # (2) blow-up and spike tests
        for b in range(B):
            vb = v[b]
            vn = vnew[b]
            if not (abs(vn) <= v_limit):
                status[b] = 1
            if status[b] == 0 and k >= 1 and vb >= vm1[b] and vb > vn:  # a local maximum
                gates_k = (0.5 * (mp[b] + m[b]), 0.5 * (hp[b] + h[b]), 0.5 * (np_[b] + n[b]))
                if _is_spike(vb, vm1[b], vn, vmin[b], osc[b], *gates_k, par, rule):
                    if ns[b] == cap:
                        status[b] = 2
                    else:
                        sp_t[b, ns[b]] = (k + _peak_offset(vm1[b], vb, vn)[0]) * dt
                        ns[b] += 1
                        vmin[b] = vb
            if vn < vmin[b]:
                vmin[b] = vn
            vm1[b] = vb
            v[b] = vn
        # (3) gates from t_k+1/2 to t_k+3/2 with V at t_k+1, all runs (branch-free)
        for b in range(B):
            am, bm, ah, bh, an, bn = _rates(v[b], s_na, s_k)
            mp[b] = m[b]
            hp[b] = h[b]
            np_[b] = n[b]
            m[b] = _gate_step(m[b], am, bm, phi, dt)
            h[b] = _gate_step(h[b], ah, bh, phi, dt)
            n[b] = _gate_step(n[b], an, bn, phi, dt)
    return sp_t, ns, status


@njit(cache=True)
def _detect(t, v, i_stim, osc, m, h, n, par, rule):
    # the online detector's rule for a sampled trace; gna < 0 marks unknown gates
    ns_max = v.shape[0]
    out_t = np.empty(ns_max)
    out_v = np.empty(ns_max)
    ns = 0
    vmin = v[0]
    k_spike = 0
    k_change = 0
    for k in range(1, ns_max - 1):
        if i_stim[k] != i_stim[k - 1]:
            k_change = k
        if _is_spike(
            v[k], v[k - 1], v[k + 1], vmin, osc[k] and k_change <= k_spike, m[k], h[k], n[k], par, rule
        ):
            off, pk = _peak_offset(v[k - 1], v[k], v[k + 1])
            out_t[ns] = t[k] + off * (t[k + 1] - t[k - 1]) / 2.0
            out_v[ns] = pk
            ns += 1
            vmin = v[k]
            k_spike = k
        if v[k] < vmin:
            vmin = v[k]
    return out_t[:ns].copy(), out_v[:ns].copy()


def detect_spikes(
    t_ms,
    v_mV,
    min_rise_mV: float = SPIKE_MIN_RISE_MV,
    *,
    i_stim_uA_per_cm2=None,
    gates=None,
    params: HHParams | None = None,
):
    """Spike (peak) times and peak potentials of a sampled voltage trace, by the module's spike rule.

    The rule (stated in the module docstring) has two clauses: (a) a membrane-made overshoot,
    (b) a cycle of the oscillation under a steady current at which rest is unstable. What a bare
    trace cannot tell is taken from the optional keywords: without ``gates`` clause (a) tests V
    alone (a recording: its conductances are unknown); without ``i_stim_uA_per_cm2`` clause (b)
    never applies (a recording, or a trace whose stimulus is unknown). :func:`simulate` applies
    the full rule online, at every integration step. Peak times are refined by a parabola through
    the three samples around the maximum.

    Args:
        t_ms: sample times, ms (increasing).
        v_mV: membrane potential at those times, mV.
        min_rise_mV: clause (a)'s minimum rise above the lowest V since the previous spike, mV
            (default 20).
        i_stim_uA_per_cm2: the stimulus at each sample (the value on the interval starting there),
            µA/cm², or None.
        gates: (m, h, n) at each sample, or None.
        params: the model's parameters for clause (a)'s conductances and clause (b)'s stability
            (None: the 1952 values).

    Returns:
        (spike_times_ms, peaks_mV), two 1-D arrays.
    """
    t = check_array(t_ms, "t_ms", "ms", min_size=3)
    v = check_array(v_mV, "v_mV", "mV", min_size=3)
    if t.size != v.size:
        raise ParameterError(f"t_ms and v_mV must have the same length, got {t.size} and {v.size}.")
    if np.any(np.diff(t) <= 0):
        raise ParameterError("t_ms must be strictly increasing (ms).")
    mr = check_range(
        min_rise_mV,
        "min_rise_mV",
        "mV",
        lo=0.0,
        hi=200.0,
        lo_open=True,
        what="minimum rise of a spike above the preceding trough",
    )
    p = _params(params)
    if i_stim_uA_per_cm2 is None:
        i = np.zeros(v.size)
        osc = np.zeros(v.size, dtype=np.bool_)
    else:
        i = _same_length(i_stim_uA_per_cm2, v.size, "i_stim_uA_per_cm2", "µA/cm²", MAX_CURRENT_UA_PER_CM2)
        osc = _oscillates(p, i)
    par = p._tuple()
    if gates is None:
        m = h = n = np.zeros(v.size)
        par = (par[0], -1.0, *par[2:])  # unknown gates: clause (a) tests V only
    else:
        if not isinstance(gates, (tuple, list)) or len(gates) != 3:
            raise ParameterError("gates must be a tuple (m, h, n) of arrays, one value per sample.")
        m, h, n = (_same_length(x, v.size, name, "", 1.0) for x, name in zip(gates, ("m", "h", "n")))
    return _detect(t, v, i, osc, m, h, n, par, (mr, SPIKE_OVERSHOOT_MV))


def _same_length(x, size, name, unit, bound):
    arr = check_array(x, name, unit, lo=-bound, hi=bound, min_size=1)
    if arr.size != size:
        raise ParameterError(f"{name} must have one value per sample of v_mV ({size}), got {arr.size}.")
    return arr


# --------------------------------------------------------------------------------------------
# Stimulus protocols
# --------------------------------------------------------------------------------------------


def _amp(value, name):
    return check_range(
        value,
        name,
        "µA/cm²",
        lo=-MAX_CURRENT_UA_PER_CM2,
        hi=MAX_CURRENT_UA_PER_CM2,
        what="stimulus current density",
    )


def _time(value, name, what, allow_inf=False, lo_open=False):
    if allow_inf and isinstance(value, (float, int)) and value == math.inf:
        return math.inf
    return check_range(value, name, "ms", lo=0.0, hi=1e7, lo_open=lo_open, what=what)


def _box_means(n_steps, dt, a, b, amp):
    """Mean of amp·1[a ≤ t < b] over each step [k dt, (k+1) dt): exact charge per step."""
    t0 = np.arange(n_steps) * dt
    t1 = t0 + dt
    frac = np.clip((np.minimum(t1, b) - np.maximum(t0, a)) / dt, 0.0, 1.0)
    frac[frac > 1.0 - 1e-9] = 1.0  # snap rounding noise of k·dt: whole steps are exact
    frac[frac < 1e-9] = 0.0
    return amp * frac


def _set_window(piece, what: str, allow_inf: bool = True) -> None:
    """Validate and store a piece's ``start_ms`` and ``duration_ms`` (``what``: "pulse", "step" …;
    ``allow_inf``: ``duration_ms = inf`` marks "to the end of the run")."""
    object.__setattr__(piece, "start_ms", _time(piece.start_ms, "start_ms", f"{what} onset"))
    d = _time(piece.duration_ms, "duration_ms", f"{what} duration", allow_inf=allow_inf, lo_open=True)
    object.__setattr__(piece, "duration_ms", d)


def _window_means(piece, n_steps, dt_ms, amp):
    """:func:`_box_means` of ``amp`` over a piece's window [start_ms, start_ms + duration_ms)."""
    return _box_means(n_steps, dt_ms, piece.start_ms, piece.start_ms + piece.duration_ms, amp)


class Stimulus:
    """A current protocol (µA/cm², positive = depolarising). Add pieces with ``+``.

    Every piece knows the mean current it injects during each step ``[k·dt, (k+1)·dt)``, so the
    charge of a pulse is exact even when its edges fall between grid points.
    """

    def step_means(self, n_steps: int, dt_ms: float) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def sample(self, t_stop_ms: float, dt_ms: float = DT_DEFAULT_MS) -> np.ndarray:
        """Current on the time grid ``0, dt, …, t_stop`` (the value of the step starting there),
        µA/cm², for plotting."""
        t_stop = check_range(t_stop_ms, "t_stop_ms", "ms", lo=0.0, lo_open=True, hi=1e7)
        dt = check_range(dt_ms, "dt_ms", "ms", lo=DT_MIN_MS, hi=1.0)
        n = n_steps(t_stop, dt)
        i = self.step_means(n, dt)
        return np.append(i, i[-1])

    def __add__(self, other):
        if other == 0:
            return self
        if not isinstance(other, Stimulus):
            return NotImplemented
        left = self.pieces if isinstance(self, Protocol) else (self,)
        right = other.pieces if isinstance(other, Protocol) else (other,)
        return Protocol(left + right)

    __radd__ = __add__


@dataclass(frozen=True)
class Pulse(Stimulus):
    """Rectangular current pulse of ``amplitude_uA_per_cm2`` from ``start_ms`` for
    ``duration_ms``."""

    amplitude_uA_per_cm2: float
    start_ms: float = 1.0
    duration_ms: float = 1.0

    def __post_init__(self):
        object.__setattr__(
            self, "amplitude_uA_per_cm2", _amp(self.amplitude_uA_per_cm2, "amplitude_uA_per_cm2")
        )
        _set_window(self, "pulse", allow_inf=False)

    def step_means(self, n_steps, dt_ms):
        return _window_means(self, n_steps, dt_ms, self.amplitude_uA_per_cm2)


@dataclass(frozen=True)
class Step(Stimulus):
    """Current step of ``amplitude_uA_per_cm2`` from ``start_ms`` to the end of the run (or for
    ``duration_ms`` if given; the default ``duration_ms = inf`` marks "to the end of the run")."""

    amplitude_uA_per_cm2: float
    start_ms: float = 0.0
    duration_ms: float = math.inf

    def __post_init__(self):
        object.__setattr__(
            self, "amplitude_uA_per_cm2", _amp(self.amplitude_uA_per_cm2, "amplitude_uA_per_cm2")
        )
        _set_window(self, "step")

    def step_means(self, n_steps, dt_ms):
        return _window_means(self, n_steps, dt_ms, self.amplitude_uA_per_cm2)


@dataclass(frozen=True)
class HyperpolarisingStep(Stimulus):
    """Hyperpolarising (negative) current of magnitude ``amplitude_uA_per_cm2`` ≥ 0 from
    ``start_ms`` for ``duration_ms`` (``inf`` marks "to the end of the run"); its end can trigger
    an anode-break spike (needs ≥ 2.79 µA/cm² for 20 ms, REFERENCE.md §1.2)."""

    amplitude_uA_per_cm2: float
    start_ms: float = 5.0
    duration_ms: float = 20.0

    def __post_init__(self):
        a = check_range(
            self.amplitude_uA_per_cm2,
            "amplitude_uA_per_cm2",
            "µA/cm²",
            lo=0.0,
            hi=MAX_CURRENT_UA_PER_CM2,
            what="magnitude of the hyperpolarising current",
        )
        object.__setattr__(self, "amplitude_uA_per_cm2", a)
        _set_window(self, "step")

    def step_means(self, n_steps, dt_ms):
        return _window_means(self, n_steps, dt_ms, -self.amplitude_uA_per_cm2)


@dataclass(frozen=True)
class PulseTrain(Stimulus):
    """``n_pulses`` equal pulses, onsets ``interval_ms`` apart (onset to onset)."""

    amplitude_uA_per_cm2: float
    start_ms: float = 1.0
    duration_ms: float = 1.0
    interval_ms: float = 10.0
    n_pulses: int = 5

    def __post_init__(self):
        object.__setattr__(
            self, "amplitude_uA_per_cm2", _amp(self.amplitude_uA_per_cm2, "amplitude_uA_per_cm2")
        )
        object.__setattr__(self, "start_ms", _time(self.start_ms, "start_ms", "first onset"))
        d = _time(self.duration_ms, "duration_ms", "pulse duration", lo_open=True)
        object.__setattr__(self, "duration_ms", d)
        iv = _time(self.interval_ms, "interval_ms", "onset-to-onset interval", lo_open=True)
        if iv < d:
            raise ParameterError(
                f"interval_ms = {iv:g} ms is not allowed (onset-to-onset "
                f"interval): pulses would overlap; allowed range: "
                f"≥ duration_ms = {d:g} ms."
            )
        object.__setattr__(self, "interval_ms", iv)
        object.__setattr__(
            self, "n_pulses", check_int(self.n_pulses, "n_pulses", lo=1, hi=100_000, what="number of pulses")
        )

    def step_means(self, n_steps, dt_ms):
        out = np.zeros(n_steps)
        t_end = n_steps * dt_ms
        for j in range(self.n_pulses):
            a = self.start_ms + j * self.interval_ms
            if a >= t_end:
                break
            out += _box_means(n_steps, dt_ms, a, a + self.duration_ms, self.amplitude_uA_per_cm2)
        return out


@dataclass(frozen=True)
class Ramp(Stimulus):
    """Current rising linearly from ``start_uA_per_cm2`` to ``end_uA_per_cm2`` over
    ``duration_ms`` from ``start_ms``; zero outside."""

    start_uA_per_cm2: float
    end_uA_per_cm2: float
    start_ms: float = 0.0
    duration_ms: float = 100.0

    def __post_init__(self):
        object.__setattr__(self, "start_uA_per_cm2", _amp(self.start_uA_per_cm2, "start_uA_per_cm2"))
        object.__setattr__(self, "end_uA_per_cm2", _amp(self.end_uA_per_cm2, "end_uA_per_cm2"))
        object.__setattr__(self, "start_ms", _time(self.start_ms, "start_ms", "ramp onset"))
        object.__setattr__(
            self, "duration_ms", _time(self.duration_ms, "duration_ms", "ramp duration", lo_open=True)
        )

    def step_means(self, n_steps, dt_ms):
        a, b = self.start_ms, self.start_ms + self.duration_ms
        i0, i1 = self.start_uA_per_cm2, self.end_uA_per_cm2
        t0 = np.arange(n_steps) * dt_ms
        lo = np.clip(t0, a, b)
        hi = np.clip(t0 + dt_ms, a, b)

        def f(t):
            return i0 + (i1 - i0) * (t - a) / (b - a)

        # exact integral of a linear function over [lo, hi] (trapezoid), divided by dt
        return (hi - lo) * 0.5 * (f(lo) + f(hi)) / dt_ms


@dataclass(frozen=True)
class Noise(Stimulus):
    """Seeded noisy current: an Ornstein–Uhlenbeck process (mean ``mean_uA_per_cm2``, standard
    deviation ``sigma_uA_per_cm2``, correlation time ``tau_ms``), on from ``start_ms`` for
    ``duration_ms``. Updated exactly each step, so its statistics do not depend on dt (the
    realisation does); the same seed and dt give the same current. The default
    ``duration_ms = inf`` marks "to the end of the run"."""

    sigma_uA_per_cm2: float
    tau_ms: float = 2.0
    mean_uA_per_cm2: float = 0.0
    seed: int = 0
    start_ms: float = 0.0
    duration_ms: float = math.inf

    def __post_init__(self):
        s = check_range(
            self.sigma_uA_per_cm2,
            "sigma_uA_per_cm2",
            "µA/cm²",
            lo=0.0,
            hi=200.0,
            what="standard deviation of the noise current",
        )
        object.__setattr__(self, "sigma_uA_per_cm2", s)
        object.__setattr__(
            self,
            "tau_ms",
            check_range(self.tau_ms, "tau_ms", "ms", lo=0.01, hi=1000.0, what="noise correlation time"),
        )
        object.__setattr__(self, "mean_uA_per_cm2", _amp(self.mean_uA_per_cm2, "mean_uA_per_cm2"))
        object.__setattr__(self, "seed", check_int(self.seed, "seed", lo=0, hi=2**63 - 1, what="random seed"))
        _set_window(self, "noise")

    def step_means(self, n_steps, dt_ms):
        rng = np.random.default_rng(self.seed)
        a = math.exp(-dt_ms / self.tau_ms)
        xi = rng.standard_normal(n_steps)
        x = np.empty(n_steps)
        if n_steps:
            x[0] = self.sigma_uA_per_cm2 * xi[0]
            b = self.sigma_uA_per_cm2 * math.sqrt(1.0 - a * a)
            from scipy.signal import lfilter  # noqa: PLC0415 (deferred: scipy's submodules cost 0.6-1 s at kernel start)

            # x_k = a x_{k-1} + b ξ_k, started from the stationary distribution
            x[1:] = lfilter([b], [1.0, -a], xi[1:], zi=[a * x[0]])[0]
        on = _window_means(self, n_steps, dt_ms, 1.0)
        return np.clip((self.mean_uA_per_cm2 + x) * on, -MAX_CURRENT_UA_PER_CM2, MAX_CURRENT_UA_PER_CM2)


@dataclass(frozen=True)
class SampledCurrent(Stimulus):
    """A current given as samples ``values_uA_per_cm2`` every ``dt_ms``: value k flows during
    ``[k·dt, (k+1)·dt)`` and zero after the last sample. Resampled exactly (charge-preserving)
    when the simulation uses another step."""

    values_uA_per_cm2: np.ndarray = field(repr=False)
    dt_ms: float = DT_DEFAULT_MS

    def __post_init__(self):
        vals = check_array(
            self.values_uA_per_cm2,
            "values_uA_per_cm2",
            "µA/cm²",
            lo=-MAX_CURRENT_UA_PER_CM2,
            hi=MAX_CURRENT_UA_PER_CM2,
            what="sampled stimulus current",
            min_size=1,
        )
        vals.setflags(write=False)
        object.__setattr__(self, "values_uA_per_cm2", vals)
        object.__setattr__(
            self, "dt_ms", check_range(self.dt_ms, "dt_ms", "ms", lo=DT_MIN_MS, hi=1e4, what="sampling step")
        )

    def __eq__(self, other):
        return (
            isinstance(other, SampledCurrent)
            and self.dt_ms == other.dt_ms
            and np.array_equal(self.values_uA_per_cm2, other.values_uA_per_cm2)
        )

    def __hash__(self):
        return hash((self.dt_ms, self.values_uA_per_cm2.tobytes()))

    def step_means(self, n_steps, dt_ms):
        v = self.values_uA_per_cm2
        if dt_ms == self.dt_ms:
            out = np.zeros(n_steps)
            k = min(n_steps, v.size)
            out[:k] = v[:k]
            return out
        edges = np.arange(v.size + 1) * self.dt_ms
        cum = np.concatenate(([0.0], np.cumsum(v) * self.dt_ms))
        t = np.arange(n_steps + 1) * dt_ms
        F = np.interp(t, edges, cum)  # exact integral of a piecewise-constant current
        return np.diff(F) / dt_ms


@dataclass(frozen=True)
class Protocol(Stimulus):
    """Sum of stimulus pieces (made by ``piece + piece``); a piece's ``duration_ms = inf`` marks
    "to the end of the run"."""

    pieces: tuple = ()

    def __post_init__(self):
        if isinstance(self.pieces, (str, bytes, dict)) or not isinstance(self.pieces, (tuple, list)):
            raise ParameterError(
                f"pieces must be a tuple of Stimulus pieces (Pulse, Step, ...), got {type(self.pieces).__name__}."
            )
        pieces = tuple(self.pieces)
        for i, p in enumerate(pieces):
            if not isinstance(p, Stimulus):
                raise ParameterError(
                    f"pieces[{i}] must be a Stimulus (Pulse, Step, ...), got {type(p).__name__}."
                )
        object.__setattr__(self, "pieces", pieces)

    def step_means(self, n_steps, dt_ms):
        out = np.zeros(n_steps)
        for p in self.pieces:
            out += p.step_means(n_steps, dt_ms)
        return np.clip(out, -MAX_CURRENT_UA_PER_CM2, MAX_CURRENT_UA_PER_CM2)


# --------------------------------------------------------------------------------------------
# Resting state, equilibria, steady states
# --------------------------------------------------------------------------------------------


def _ss_gates(v, s_na, s_k):
    r = _rates_array(np.atleast_1d(np.asarray(v, float)), s_na, s_k)
    am, bm, ah, bh, an, bn = r
    return am / (am + bm), ah / (ah + bh), an / (an + bn)


def _ss_current(v, p: HHParams):
    """Steady-state ionic current I_ss(V), µA/cm² (gates at their steady state)."""
    m, h, n = _ss_gates(v, p.shift_Na_mV, p.shift_K_mV)
    return (
        p.g_Na_mS_per_cm2 * m**3 * h * (v - p.E_Na_mV)
        + p.g_K_mS_per_cm2 * n**4 * (v - p.E_K_mV)
        + p.g_L_mS_per_cm2 * (v - p.E_L_mV)
    )


@lru_cache(maxsize=256)
def _equilibrium_v(p: HHParams, i: float) -> float:
    from scipy.optimize import brentq  # noqa: PLC0415 (deferred: scipy's submodules cost 0.6-1 s at kernel start)

    grid = np.arange(-200.0, 200.0 + 1e-9, 0.25)
    f = _ss_current(grid, p) - i
    idx = np.flatnonzero(np.sign(f[:-1]) != np.sign(f[1:]))
    if idx.size == 0:  # cannot happen for g_L > 0 and |I| ≤ 1000: I_ss → ±∞ beyond ±200 mV
        raise ParameterError(
            f"no equilibrium potential in [-200, 200] mV for I = {i:g} µA/cm² "
            f"with these parameters; reduce the current."
        )
    j = int(idx[0])  # the most negative equilibrium: the resting state
    return float(
        brentq(
            lambda v: float(_ss_current(np.array([v]), p)[0]) - i,
            grid[j],
            grid[j + 1],
            xtol=1e-12,
            rtol=1e-14,
        )
    )


def equilibrium(i_uA_per_cm2: float = 0.0, params: HHParams | None = None) -> State:
    """Steady state (the most negative one if there are several) under a constant current.

    Args:
        i_uA_per_cm2: constant applied current, µA/cm².
        params: model parameters (default: 1952 values).

    Returns:
        State with V (mV) and the gates at their steady-state values.
    """
    return _equilibrium_state(_params(params), _amp(i_uA_per_cm2, "i_uA_per_cm2"))


@lru_cache(maxsize=256)
def _equilibrium_state(p: HHParams, i: float) -> State:
    v = _equilibrium_v(p, i)
    m, h, n = _ss_gates(v, p.shift_Na_mV, p.shift_K_mV)
    return State(v, float(m[0]), float(h[0]), float(n[0]))


def resting_state(params: HHParams | None = None) -> State:
    """Resting state: V where the steady-state ionic current is zero (−64.996 mV with the
    defaults, REFERENCE.md §1.1), gates at steady state there."""
    return equilibrium(0.0, params)


def _rhs(y, i, p: HHParams):
    v, m, h, n = y
    am, bm, ah, bh, an, bn = _rates(v, p.shift_Na_mV, p.shift_K_mV)
    ph = p.phi
    iion = (
        p.g_Na_mS_per_cm2 * m**3 * h * (v - p.E_Na_mV)
        + p.g_K_mS_per_cm2 * n**4 * (v - p.E_K_mV)
        + p.g_L_mS_per_cm2 * (v - p.E_L_mV)
    )
    return np.array(
        [
            (i - iion) / p.C_uF_per_cm2,
            ph * (am * (1 - m) - bm * m),
            ph * (ah * (1 - h) - bh * h),
            ph * (an * (1 - n) - bn * n),
        ]
    )


def eigenvalues(i_uA_per_cm2: float = 0.0, params: HHParams | None = None) -> np.ndarray:
    """Eigenvalues (1/ms, complex, sorted by real part, largest first) of the Jacobian at the
    equilibrium under a constant current. With the defaults at rest: −0.121, −0.203 ± 0.383i,
    −4.675 ms⁻¹ (REFERENCE.md §1.2)."""
    p = _params(params)
    s = equilibrium(i_uA_per_cm2, p)
    i = float(i_uA_per_cm2)
    y0 = np.array([s.v_mV, s.m, s.h, s.n])
    J = np.empty((4, 4))
    steps = (1e-4, 1e-7, 1e-7, 1e-7)
    for j in range(4):
        e = np.zeros(4)
        e[j] = steps[j]
        J[:, j] = (_rhs(y0 + e, i, p) - _rhs(y0 - e, i, p)) / (2 * steps[j])
    ev = np.linalg.eigvals(J)
    return ev[np.argsort(-ev.real, kind="stable")]


@lru_cache(maxsize=4096)
def _rest_unstable(p: HHParams, i: float) -> bool:
    """True when the equilibrium under the constant current ``i`` is unstable (clause b); False
    when there is none within ±200 mV (such a drive blows the run up: SimulationError)."""
    try:
        return bool(eigenvalues(i, p)[0].real > 0.0)
    except ParameterError:
        return False


def _oscillates(p: HHParams, i_stim: np.ndarray) -> np.ndarray:
    """Per step: is rest unstable under the current of that step (clause b of the spike rule)?
    Evaluated once per distinct value (and cached), so a noisy stimulus costs one test per value
    that stays constant for two steps or more; other steps are never steady and get False."""
    out = np.zeros(i_stim.size, dtype=np.bool_)
    held = np.zeros(i_stim.size, dtype=np.bool_)
    held[1:] = i_stim[1:] == i_stim[:-1]
    held[:-1] |= held[1:]
    for value in np.unique(i_stim[held]):
        if _rest_unstable(p, float(value)):
            out[i_stim == value] = True
    return out


def hopf_current(
    params: HHParams | None = None,
    i_lo_uA_per_cm2: float = 0.0,
    i_hi_uA_per_cm2: float = 50.0,
    tol_uA_per_cm2: float = 1e-4,
) -> float:
    """Lowest current (µA/cm²) at which the resting equilibrium loses stability (Hopf
    bifurcation; 9.78 µA/cm² with the defaults: hassard1978; rinzel1980; guckenheimer1993),
    found by bisection on the largest real part of :func:`eigenvalues`.

    Returns ``math.inf`` if the equilibrium is stable over the whole bracket and ``i_lo`` if it
    is already unstable there (spontaneous firing).
    """
    p = _params(params)
    lo = _amp(i_lo_uA_per_cm2, "i_lo_uA_per_cm2")
    hi = _amp(i_hi_uA_per_cm2, "i_hi_uA_per_cm2")
    tol = check_range(tol_uA_per_cm2, "tol_uA_per_cm2", "µA/cm²", lo=1e-9, hi=1.0)
    if hi <= lo:
        raise ParameterError(f"i_hi_uA_per_cm2 = {hi:g} µA/cm² must exceed i_lo_uA_per_cm2 = {lo:g} µA/cm².")

    def unstable(i):
        return eigenvalues(i, p)[0].real > 0

    if unstable(lo):
        return lo
    if not unstable(hi):
        return math.inf
    return bisect_edge(unstable, lo, hi, tol)


def steady_states(v_mV, params: HHParams | None = None):
    """Steady-state gates, time constants and rates as functions of V.

    Args:
        v_mV: membrane potentials, mV (scalar or 1-D, each in [-200, 200]).
        params: model parameters (temperature and gating shifts are used).

    Returns:
        pandas DataFrame with columns v_mV, m_inf, h_inf, n_inf, tau_m_ms, tau_h_ms, tau_n_ms and
        the rates alpha_m_per_ms … beta_n_per_ms (including φ). At −65 mV, 6.3 °C: m∞ 0.0529,
        h∞ 0.596, n∞ 0.318; τm 0.237, τh 8.52, τn 5.46 ms (REFERENCE.md §1.2).
    """
    p = _params(params)
    v = check_array(v_mV, "v_mV", "mV", lo=-200.0, hi=200.0, min_size=1)
    if v.size > MAX_CURVE_POINTS:
        raise ParameterError(
            f"v_mV has {v.size:,} values; at most {MAX_CURVE_POINTS:,} (memory limit: 13 columns of "
            "float64 per value)."
        )
    r = _rates_array(v, p.shift_Na_mV, p.shift_K_mV) * p.phi
    am, bm, ah, bh, an, bn = r
    return pd.DataFrame(
        {
            "v_mV": v,
            "m_inf": am / (am + bm),
            "h_inf": ah / (ah + bh),
            "n_inf": an / (an + bn),
            "tau_m_ms": 1 / (am + bm),
            "tau_h_ms": 1 / (ah + bh),
            "tau_n_ms": 1 / (an + bn),
            "alpha_m_per_ms": am,
            "beta_m_per_ms": bm,
            "alpha_h_per_ms": ah,
            "beta_h_per_ms": bh,
            "alpha_n_per_ms": an,
            "beta_n_per_ms": bn,
        }
    )


# --------------------------------------------------------------------------------------------
# Simulation
# --------------------------------------------------------------------------------------------


def max_dt_ms(params: HHParams | None = None) -> float:
    """Coarsest step allowed for these parameters, ms: 0.05 ms / max(1, φ) (see DT_MAX_MS)."""
    return DT_MAX_MS / max(1.0, _params(params).phi)


def default_dt_ms(params: HHParams | None = None) -> float:
    """Default step, ms: 0.01 ms / max(1, φ) (see the module docstring for the measurements)."""
    return DT_DEFAULT_MS / max(1.0, _params(params).phi)


def n_steps(t_stop, dt):
    """Number of integration steps of ``dt`` (ms) that cover ``t_stop`` (ms), at least 1."""
    t_stop = check_range(t_stop, "t_stop", "ms", lo=0.0, hi=1e12, what="run length")
    dt = check_range(dt, "dt", "ms", lo=DT_MIN_MS, hi=1e6, what="integration step")
    return max(1, int(math.ceil(t_stop / dt - 1e-9)))


@dataclass(frozen=True, eq=False)
class HHResult:
    """One simulation. Arrays are sampled at ``t_ms``; currents are None if not recorded.

    Attributes:
        t_ms: time, ms. v_mV: membrane potential, mV. m, h, n: gates (0–1).
        i_stim_uA_per_cm2: stimulus (value on the step starting at each time), µA/cm².
        spike_times_ms, spike_peaks_mV: spikes by the module's spike rule (docstring), found at
            full time resolution even when ``record_every`` > 1.
        i_Na_uA_per_cm2, i_K_uA_per_cm2, i_L_uA_per_cm2: ionic currents (outward positive),
            g_Na_mS_per_cm2, g_K_mS_per_cm2: conductances; None when ``record_currents=False``.
        final_state: the state at the last time point (to continue a run).
        params: the parameters used. dt_ms: the integration step, ms.
    """

    t_ms: np.ndarray
    v_mV: np.ndarray
    m: np.ndarray
    h: np.ndarray
    n: np.ndarray
    i_stim_uA_per_cm2: np.ndarray
    spike_times_ms: np.ndarray
    spike_peaks_mV: np.ndarray
    final_state: State
    params: HHParams
    dt_ms: float
    i_Na_uA_per_cm2: np.ndarray | None = None
    i_K_uA_per_cm2: np.ndarray | None = None
    i_L_uA_per_cm2: np.ndarray | None = None
    g_Na_mS_per_cm2: np.ndarray | None = None
    g_K_mS_per_cm2: np.ndarray | None = None

    @property
    def n_spikes(self) -> int:
        """Number of spikes."""
        return int(self.spike_times_ms.size)

    def to_frame(self):
        """All recorded arrays as a pandas DataFrame (one row per time point)."""
        cols = {
            k: getattr(self, k)
            for k in (
                "t_ms",
                "v_mV",
                "m",
                "h",
                "n",
                "i_stim_uA_per_cm2",
                "i_Na_uA_per_cm2",
                "i_K_uA_per_cm2",
                "i_L_uA_per_cm2",
                "g_Na_mS_per_cm2",
                "g_K_mS_per_cm2",
            )
        }
        return pd.DataFrame({k: v for k, v in cols.items() if v is not None})


def _stim_array(stimulus, n_steps, dt):
    if stimulus is None:
        return np.zeros(n_steps)
    if isinstance(stimulus, Stimulus):
        return np.ascontiguousarray(stimulus.step_means(n_steps, dt), dtype=float)
    if isinstance(stimulus, (list, tuple)) and stimulus and all(isinstance(s, Stimulus) for s in stimulus):
        return Protocol(tuple(stimulus)).step_means(n_steps, dt)
    if isinstance(stimulus, (int, float, np.integer, np.floating)) and not isinstance(stimulus, bool):
        return np.full(n_steps, _amp(stimulus, "stimulus"))
    arr = check_array(
        stimulus,
        "stimulus",
        "µA/cm²",
        lo=-MAX_CURRENT_UA_PER_CM2,
        hi=MAX_CURRENT_UA_PER_CM2,
        what="stimulus current sampled at dt_ms",
    )
    if arr.size == n_steps + 1:
        arr = arr[:-1]
    if arr.size != n_steps:
        raise ParameterError(
            f"stimulus array has {arr.size} samples; at dt_ms = {dt:g} ms and "
            f"this t_stop_ms it must have {n_steps} (one per step) or "
            f"{n_steps + 1} (one per time point)."
        )
    return np.ascontiguousarray(arr)


def _prepare(params, t_stop_ms, dt_ms, record_every):
    p = _params(params)
    dmax = max_dt_ms(p)
    dt = (
        default_dt_ms(p)
        if dt_ms is None
        else check_range(
            dt_ms,
            "dt_ms",
            "ms",
            lo=DT_MIN_MS,
            hi=dmax,
            what=f"integration step; coarser steps are inaccurate at {p.temperature_C:g} °C",
        )
    )
    re_ = check_int(record_every, "record_every", lo=1, hi=10**9, what="keep every k-th time point")
    t_hi = min(MAX_STEPS * dt, (MAX_RECORDED_SAMPLES - 1) * dt * re_)
    t_stop = check_range(
        t_stop_ms,
        "t_stop_ms",
        "ms",
        lo=0.0,
        lo_open=True,
        hi=t_hi,
        what=f"run length; the cap keeps ≤ {MAX_RECORDED_SAMPLES} recorded "
        f"points and ≤ {MAX_STEPS} steps at dt_ms = {dt:g} ms",
    )
    return p, dt, re_, n_steps(t_stop, dt)


def _run(p: HHParams, i_stim, dt, state: State, record_every):
    out = _kernel(
        state.v_mV,
        state.m,
        state.h,
        state.n,
        i_stim,
        _oscillates(p, i_stim),
        dt,
        p._tuple(),
        record_every,
        SPIKE_RULE,
        V_LIMIT_MV,
    )
    V, m, h, n, sp_t, sp_v, status, k_bad, final = out
    if status != 0:
        raise SimulationError(
            f"the run left the range ±{V_LIMIT_MV:g} mV at t = {k_bad * dt:g} ms (numerical "
            f"blow-up or an unphysiological drive); reduce dt_ms (now {dt:g} ms) or the stimulus, "
            f"or check the reversal potentials and conductances."
        )
    return V, m, h, n, sp_t, sp_v, final


def _initial(initial, p):
    if initial is None:
        return resting_state(p)
    if not isinstance(initial, State):
        raise ParameterError(
            f"initial must be a State (e.g. resting_state(params)), got {type(initial).__name__}."
        )
    return initial


def simulate(
    stimulus=None,
    t_stop_ms: float = 50.0,
    params: HHParams | None = None,
    dt_ms: float | None = None,
    initial: State | None = None,
    record_currents: bool = True,
    record_every: int = 1,
) -> HHResult:
    """Run the membrane model.

    Args:
        stimulus: a Stimulus (``Pulse(20) + Noise(2)`` …), a list of them (summed), a constant
            current (µA/cm²), an array sampled at ``dt_ms`` (one value per step or per time
            point), or None (no current).
        t_stop_ms: run length, ms (capped so the result fits the memory cap; the message
            says the limit).
        params: model parameters (None: 1952 values at 6.3 °C).
        dt_ms: integration step, ms (None: :func:`default_dt_ms`; at most :func:`max_dt_ms`).
        initial: starting State (None: the resting state of ``params``).
        record_currents: also return ionic currents and conductances (set False for sliders).
        record_every: keep every k-th time point (spikes are still found at full resolution).

    Returns:
        HHResult.

    Raises:
        ParameterError: bad input (names the parameter, unit and allowed range).
        SimulationError: the run blew up (never returned as NaN).
    """
    p, dt, re_, n = _prepare(params, t_stop_ms, dt_ms, record_every)
    if not isinstance(record_currents, (bool, np.bool_)):
        raise ParameterError(f"record_currents must be True or False, got {record_currents!r}.")
    s0 = _initial(initial, p)
    i_stim = _stim_array(stimulus, n, dt)
    V, m, h, nn, sp_t, sp_v, final = _run(p, i_stim, dt, s0, re_)
    k = np.arange(V.size) * re_
    t = k * dt
    istim = np.append(i_stim, i_stim[-1])[k]
    extra = {}
    if record_currents:
        gna = p.g_Na_mS_per_cm2 * m**3 * h
        gk = p.g_K_mS_per_cm2 * nn**4
        extra = dict(
            i_Na_uA_per_cm2=gna * (V - p.E_Na_mV),
            i_K_uA_per_cm2=gk * (V - p.E_K_mV),
            i_L_uA_per_cm2=p.g_L_mS_per_cm2 * (V - p.E_L_mV),
            g_Na_mS_per_cm2=gna,
            g_K_mS_per_cm2=gk,
        )
    fs = State(float(final[0]), *(float(min(1.0, max(0.0, x))) for x in final[1:]))
    return HHResult(
        t_ms=t,
        v_mV=V,
        m=m,
        h=h,
        n=nn,
        i_stim_uA_per_cm2=istim,
        spike_times_ms=sp_t,
        spike_peaks_mV=sp_v,
        final_state=fs,
        params=p,
        dt_ms=dt,
        **extra,
    )


def instantaneous_depolarisation(
    delta_v_mV: float, t_stop_ms: float = 30.0, params: HHParams | None = None, dt_ms: float | None = None
) -> HHResult:
    """HH's 1952 test: displace V by ``delta_v_mV`` at t = 0 with the gates left at rest, no
    current. 6 mV fails and 7 mV fires (threshold 6.51 mV; hodgkin1952; REFERENCE.md §1.2)."""
    p = _params(params)
    d = check_range(
        delta_v_mV, "delta_v_mV", "mV", lo=-100.0, hi=150.0, what="instantaneous displacement of V"
    )
    s = resting_state(p)
    return simulate(None, t_stop_ms, p, dt_ms, initial=s.replace(v_mV=s.v_mV + d), record_currents=False)


# --------------------------------------------------------------------------------------------
# Analyses
# --------------------------------------------------------------------------------------------


def bisect_edge(pred, lo: float, hi: float, tol: float) -> float:
    """Where ``pred`` switches from False (at ``lo``) to True (at ``hi``), by bisection to ``tol``.

    Returns the midpoint of the final bracket. Used by every threshold and onset search here.
    ``lo`` and ``hi`` must be finite with ``lo ≤ hi``; ``tol ≥ 0`` (``tol = 0`` bisects until the
    bracket holds two adjacent floating-point numbers). At most :data:`MAX_BISECTIONS` calls of
    ``pred``, so the search always ends.

    >>> bisect_edge(lambda x: x > 3.0, 0.0, 10.0, tol=0.0)
    3.0
    """
    if not callable(pred):
        raise ParameterError(
            f"pred must be a function of one number returning True/False, got {type(pred).__name__}."
        )
    lo = check_range(lo, "lo", what="lower end of the bracket")
    hi = check_range(hi, "hi", lo=lo, what="upper end of the bracket; must be ≥ lo")
    tol = check_range(tol, "tol", lo=0.0, what="width of the final bracket")
    for _ in range(MAX_BISECTIONS):
        if hi - lo <= tol:
            break
        mid = 0.5 * lo + 0.5 * hi  # no overflow, even for lo = -hi = -1.7e308
        if not lo < mid < hi:  # adjacent floats: the bracket cannot shrink further
            break
        if pred(mid):
            hi = mid
        else:
            lo = mid
    return 0.5 * lo + 0.5 * hi


def _count_spikes(p, stim, t_stop, dt, state) -> int:
    """Number of spikes (by the module's rule) of one run, nothing recorded."""
    n = n_steps(t_stop, dt)
    return int(_run(p, _stim_array(stim, n, dt), dt, state, n)[4].size)


def _bisect(fires, lo, hi, tol):
    """Smallest amplitude in (lo, hi] for which ``fires`` is True, to ``tol``; assumes
    monotonicity; hi is grown (×2, up to the current cap) until it fires."""
    for _ in range(64):  # doubling from > 0 reaches the current cap in ≤ 64 steps
        if fires(hi):
            return bisect_edge(fires, lo, hi, tol)
        if hi >= MAX_CURRENT_UA_PER_CM2:
            return math.inf
        lo, hi = hi, min(2 * hi, MAX_CURRENT_UA_PER_CM2)
    return math.inf


def check_tolerance(value, name: str = "tol_uA_per_cm2") -> float:
    """A threshold search's tolerance, µA/cm², in [1e-6, 1] (ParameterError naming ``name``).

    For searches outside this module (a panel's own threshold search) that call
    :func:`bisect_edge`, so that their errors name their own parameter.
    """
    return check_range(value, name, "µA/cm²", lo=1e-6, hi=1.0, what="bisection tolerance")


def _tol(tol_uA_per_cm2):
    return check_tolerance(tol_uA_per_cm2, "tol_uA_per_cm2")


def _search_trials(span_uA: float, tol: float) -> int:
    """Most trial runs a threshold search can need: the doublings of the upper bound up to the
    current cap, then the halvings of the bracket down to ``tol``."""
    return 10 + math.ceil(math.log2(max(span_uA, MAX_CURRENT_UA_PER_CM2) / tol))


def _search_cost(n_runs: int, run_ms: float, dt: float, names: str = "dt_ms") -> None:
    """Refuse a search whose runs would take more than :data:`MAX_SEARCH_STEPS` steps in all.

    ``names`` lists the caller's parameters that set the cost (named in the message)."""
    total = n_runs * n_steps(run_ms, dt)
    if total > MAX_SEARCH_STEPS:
        min_dt = n_runs * run_ms / MAX_SEARCH_STEPS
        raise ParameterError(
            f"{names} (dt_ms = {dt:g} ms) is not allowed: this search needs up to {n_runs} runs of "
            f"{run_ms:g} ms = {total:,} integration steps, above the cost limit of "
            f"{MAX_SEARCH_STEPS:,} steps (about 4 s of compute; the limit keeps the kernel "
            f"responsive). Allowed: dt_ms ≥ {min_dt:.3g} ms for these runs, or shorter runs or "
            f"fewer values."
        )


def threshold_pulse(
    duration_ms: float = 1.0,
    params: HHParams | None = None,
    tol_uA_per_cm2: float = 1e-3,
    dt_ms: float | None = None,
    window_ms: float = 40.0,
) -> float:
    """Smallest amplitude (µA/cm²) of a rectangular pulse of ``duration_ms`` that fires a spike
    from rest (6.92 µA/cm² for 1 ms with the defaults, REFERENCE.md §1.2).

    Bisection between 0 and a doubling upper bound to ``tol_uA_per_cm2`` (the result is the
    bracket midpoint, within tol/2 of the model's threshold at this dt). A spike is counted if
    it peaks within ``window_ms`` after the pulse ends (near threshold the latency grows).
    Returns ``math.inf`` if even 1000 µA/cm² does not fire.
    """
    p = _params(params)
    d = check_range(duration_ms, "duration_ms", "ms", lo=0.001, hi=1000.0, what="pulse duration")
    tol = _tol(tol_uA_per_cm2)
    w = check_range(
        window_ms, "window_ms", "ms", lo=1.0, hi=1000.0, what="time allowed after the pulse for the spike"
    )
    dt = default_dt_ms(p) if dt_ms is None else _prepare(p, 1.0, dt_ms, 1)[1]
    t0 = 1.0
    _search_cost(_search_trials(10.0, tol), t0 + d + w, dt, "dt_ms, duration_ms, window_ms, tol_uA_per_cm2")
    s0 = resting_state(p)

    def fires(a):
        return _count_spikes(p, Pulse(a, t0, d), t0 + d + w, dt, s0) > 0

    return _bisect(fires, 0.0, 10.0, tol)


def rheobase(
    params: HHParams | None = None,
    duration_ms: float = 100.0,
    tol_uA_per_cm2: float = 1e-3,
    dt_ms: float | None = None,
) -> float:
    """Rheobase, µA/cm²: smallest step current (lasting ``duration_ms``) that fires at least one
    spike (2.240 µA/cm² with the defaults; the first spike is late, 8.6 ms at 2.25,
    REFERENCE.md §1.2). Bisection to ``tol_uA_per_cm2``."""
    p = _params(params)
    d = check_range(duration_ms, "duration_ms", "ms", lo=10.0, hi=2000.0, what="step duration")
    tol = _tol(tol_uA_per_cm2)
    dt = default_dt_ms(p) if dt_ms is None else _prepare(p, 1.0, dt_ms, 1)[1]
    _search_cost(_search_trials(5.0, tol), d, dt, "dt_ms, duration_ms, tol_uA_per_cm2")
    s0 = resting_state(p)

    def fires(a):
        return _count_spikes(p, Step(a, 0.0), d, dt, s0) > 0

    return _bisect(fires, 0.0, 5.0, tol)


def steady_rate_Hz(sp, t_stop, t_from):
    """Steady firing rate, Hz, from spikes after ``t_from``: 0 if fewer than 3 spikes there or if
    firing stopped (no spike within two mean intervals of the end)."""
    sp = check_array(sp, "sp", "ms", what="spike times")
    t_stop = check_range(t_stop, "t_stop", "ms", what="end of the run")
    t_from = check_range(t_from, "t_from", "ms", what="start of the steady part")
    s = sp[sp >= t_from]
    if s.size >= 3 and not (np.diff(s) > 0).all():
        raise ParameterError("sp (spike times, ms) must be increasing.")
    if s.size < 3:
        return 0.0
    isi = float(np.mean(np.diff(s)))
    if t_stop - s[-1] > 2.0 * isi:
        return 0.0
    return 1000.0 / isi


def fi_curve(
    i_uA_per_cm2,
    params: HHParams | None = None,
    t_stop_ms: float = 300.0,
    transient_ms: float | None = None,
    dt_ms: float | None = None,
    initial: State | None = None,
):
    """Steady firing rate against step current (f–I curve), each run from rest.

    The rate is 1000 / mean interspike interval of the spikes after ``transient_ms`` (default:
    half the run); it is 0 when fewer than 3 spikes fall there or when firing has stopped (no
    spike within two mean intervals of the end). The squid axon is type II: 0 Hz below
    6.26 µA/cm², then a jump to ≈ 50 Hz (rinzel1980; REFERENCE.md §1.2); with the module's spike
    rule it fires up to the upper Hopf point, 154.5 µA/cm² (164 Hz at 140), and is 0 above it.

    Args:
        i_uA_per_cm2: step currents, µA/cm² (1-D).
        params, dt_ms, initial: as in :func:`simulate`.
        t_stop_ms: length of each run, ms (≥ 20).
        transient_ms: spikes before this time are ignored, ms.

    Returns:
        pandas DataFrame with columns i_uA_per_cm2, rate_Hz, n_spikes (whole run),
        first_spike_ms (``inf`` if none).
    """
    p, cur, dt, n, tr, s0 = _fi_setup(i_uA_per_cm2, params, t_stop_ms, transient_ms, dt_ms, initial)
    _search_cost(cur.size, n * dt, dt, "i_uA_per_cm2 (number of values), t_stop_ms, dt_ms")
    return _fi_table(cur, [_run(p, np.full(n, a), dt, s0, n)[4] for a in cur], n * dt, tr)


def _fi_setup(i_uA_per_cm2, params, t_stop_ms, transient_ms, dt_ms, initial):
    """The validated arguments of both f–I engines: params, currents, dt, steps, transient, state."""
    p = _params(params)
    cur = check_array(
        i_uA_per_cm2,
        "i_uA_per_cm2",
        "µA/cm²",
        lo=-MAX_CURRENT_UA_PER_CM2,
        hi=MAX_CURRENT_UA_PER_CM2,
        min_size=1,
    )
    _, dt, _, n = _prepare(p, t_stop_ms, dt_ms, 10**9)
    t_stop = float(t_stop_ms)
    if t_stop < 20.0:
        raise ParameterError(
            f"t_stop_ms = {t_stop:g} ms is not allowed (length of each f–I run); allowed range: ≥ 20 ms."
        )
    tr = (
        0.5 * t_stop
        if transient_ms is None
        else check_range(
            transient_ms,
            "transient_ms",
            "ms",
            lo=0.0,
            hi=t_stop,
            hi_open=True,
            what="initial part of each run that is ignored",
        )
    )
    return p, cur, dt, n, tr, _initial(initial, p)


def _fi_table(cur, spikes, t_stop, tr):
    """The f–I DataFrame from each current's spike times (ms)."""
    return pd.DataFrame(
        {
            "i_uA_per_cm2": cur,
            "rate_Hz": [steady_rate_Hz(sp, t_stop, tr) for sp in spikes],
            "n_spikes": [int(sp.size) for sp in spikes],
            "first_spike_ms": [float(sp[0]) if sp.size else math.inf for sp in spikes],
        }
    )


def fi_curve_batch(
    i_uA_per_cm2,
    params: HHParams | None = None,
    t_stop_ms: float = 300.0,
    transient_ms: float | None = None,
    dt_ms: float | None = None,
    initial: State | None = None,
):
    """:func:`fi_curve` computed by the batch engine: every current in one compiled call
    (:func:`_kernel_steps_batch`), the same spikes as the per-run loop (rates equal to ~1e-12 relative:
    the compiler may fuse multiply-adds differently; tested). A run that blows up or fires more than
    the batch's spike capacity is redone by the per-run path (which raises the usual error).

    Measured (``benchmarks/bench_hh.py``, 64 currents × 300 ms, dt 0.01 ms): 1.8× faster than the loop
    on a loaded 2-core machine. The floor estimated in issue 20 (6–7×) needs a vectorised ``exp``
    (numba's SVML path, from the ``icc-rt`` package, is not installed here: six exp per step per run
    stay scalar calls). Strength–duration and recovery-cycle tables would follow the same pattern
    (a batch of pulse stimuli with the rule's stimulus-change test, one bisection step for all durations or
    intervals at once); the fibre and axon models likewise (a batch axis over their compartments'
    loop). Panels read these tables from the on-disk cache, so this path serves set-up and
    notebook cells that compute curves.

    >>> import numpy as np
    >>> a = fi_curve_batch([0.0, 10.0], t_stop_ms=100.0)
    >>> bool(np.allclose(a.rate_Hz, fi_curve([0.0, 10.0], t_stop_ms=100.0).rate_Hz, rtol=1e-9, atol=0))
    True
    """
    p, cur, dt, n, tr, s0 = _fi_setup(i_uA_per_cm2, params, t_stop_ms, transient_ms, dt_ms, initial)
    t_stop = float(t_stop_ms)
    cap = int(t_stop) + 64  # > 1 spike per ms would need a redo by the per-run path
    sp_t, ns, status = _kernel_steps_batch(
        s0.v_mV,
        s0.m,
        s0.h,
        s0.n,
        np.ascontiguousarray(cur, dtype=float),
        np.array([_rest_unstable(p, float(a)) for a in cur], dtype=np.bool_),
        n,
        dt,
        p._tuple(),
        SPIKE_RULE,
        V_LIMIT_MV,
        cap,
    )
    # a run that blew up or overflowed: the per-run path (same rule, and its error message)
    spikes = [
        sp_t[b, : ns[b]] if status[b] == 0 else _run(p, np.full(n, a), dt, s0, n)[4]
        for b, a in enumerate(cur)
    ]
    return _fi_table(cur, spikes, n * dt, tr)


def firing_onset(
    params: HHParams | None = None,
    i_lo_uA_per_cm2: float = 0.0,
    i_hi_uA_per_cm2: float = 20.0,
    tol_uA_per_cm2: float = 0.005,
    t_stop_ms: float = 400.0,
    dt_ms: float | None = None,
) -> float:
    """Smallest step current (µA/cm²) that gives sustained repetitive firing from rest, by
    bisection on the rule of :func:`fi_curve` (6.26 µA/cm² with the defaults; rinzel1980;
    REFERENCE.md §1.2). Returns ``i_lo`` if it already fires there, ``inf`` if ``i_hi`` does
    not. Just above onset the transient before steady firing is long; ``t_stop_ms`` sets how
    long is waited."""
    p = _params(params)
    lo = _amp(i_lo_uA_per_cm2, "i_lo_uA_per_cm2")
    hi = _amp(i_hi_uA_per_cm2, "i_hi_uA_per_cm2")
    tol = _tol(tol_uA_per_cm2)
    if hi <= lo:
        raise ParameterError(f"i_hi_uA_per_cm2 = {hi:g} µA/cm² must exceed i_lo_uA_per_cm2 = {lo:g} µA/cm².")
    _, dt, _, n = _prepare(p, t_stop_ms, dt_ms, 10**9)
    _search_cost(
        2 + math.ceil(math.log2(max(hi - lo, tol) / tol)), n * dt, dt, "t_stop_ms, dt_ms, tol_uA_per_cm2"
    )
    s0 = resting_state(p)

    def fires(a):
        sp = _run(p, np.full(n, a), dt, s0, n)[4]
        return steady_rate_Hz(sp, n * dt, 0.5 * n * dt) > 0

    if fires(lo):
        return lo
    if not fires(hi):
        return math.inf
    return bisect_edge(fires, lo, hi, tol)


def refractory_threshold(
    interval_ms: float,
    params: HHParams | None = None,
    conditioning_uA_per_cm2: float = 20.0,
    duration_ms: float = 1.0,
    tol_uA_per_cm2: float = 1e-3,
    dt_ms: float | None = None,
    window_ms: float = 40.0,
) -> float:
    """Threshold (µA/cm²) of a test pulse ``interval_ms`` after a conditioning pulse (onset to
    onset; both ``duration_ms`` long; conditioning 20 µA/cm² by default).

    The test pulse fires if the run has more spikes than the conditioning pulse alone gives
    (spikes by the module's rule: a strong pulse that drags a refractory membrane above 0 mV is
    not one). Returns ``math.inf`` when the axon is absolutely refractory (no spike up to
    1000 µA/cm²: until 5.3 ms with the defaults); far from the conditioning spike the value
    returns to the single-pulse threshold (REFERENCE.md §8.4).
    """
    p = _params(params)
    d = check_range(duration_ms, "duration_ms", "ms", lo=0.01, hi=100.0, what="duration of each pulse")
    iv = check_range(
        interval_ms, "interval_ms", "ms", lo=d, hi=1000.0, what="onset-to-onset interval (≥ duration_ms)"
    )
    c = check_range(
        conditioning_uA_per_cm2,
        "conditioning_uA_per_cm2",
        "µA/cm²",
        lo=0.0,
        hi=MAX_CURRENT_UA_PER_CM2,
        what="conditioning pulse amplitude",
    )
    tol = _tol(tol_uA_per_cm2)
    w = check_range(
        window_ms,
        "window_ms",
        "ms",
        lo=1.0,
        hi=1000.0,
        what="time allowed after the test pulse for the spike",
    )
    dt = default_dt_ms(p) if dt_ms is None else _prepare(p, 1.0, dt_ms, 1)[1]
    s0 = resting_state(p)
    t0 = 1.0
    cond = Pulse(c, t0, d)
    t_test = t0 + iv
    t_stop = t_test + d + w
    _search_cost(
        _search_trials(10.0, tol), t_stop, dt, "interval_ms, duration_ms, window_ms, dt_ms, tol_uA_per_cm2"
    )

    base = _count_spikes(p, cond, t_stop, dt, s0)  # the conditioning pulse's own spikes

    def fires(a):
        return _count_spikes(p, cond + Pulse(a, t_test, d), t_stop, dt, s0) > base

    return _bisect(fires, 0.0, 10.0, tol)


def absolute_refractory_ms(
    params: HHParams | None = None,
    conditioning_uA_per_cm2: float = 20.0,
    duration_ms: float = 1.0,
    tol_ms: float = 0.01,
    dt_ms: float | None = None,
) -> float:
    """End of the absolute refractory period, ms: the shortest interval (onset to onset, both
    pulses ``duration_ms`` long) at which a test pulse of up to 1000 µA/cm² fires a second spike
    (:func:`refractory_threshold`), by bisection to ``tol_ms``. 5.3 ms with the defaults
    (REFERENCE.md §8.4: "none ≤ 4 ms"). ``inf`` if no interval up to 50 ms fires."""
    tol = check_range(tol_ms, "tol_ms", "ms", lo=1e-4, hi=5.0, what="bisection tolerance of the interval")
    d = check_range(duration_ms, "duration_ms", "ms", lo=0.01, hi=10.0, what="duration of each pulse")

    def fires(interval):
        th = refractory_threshold(interval, params, conditioning_uA_per_cm2, d, 1.0, dt_ms)
        return math.isfinite(th)

    if fires(d):
        return d
    if not fires(50.0):
        return math.inf
    return bisect_edge(fires, d, 50.0, tol)


def refractory_curve(
    intervals_ms,
    params: HHParams | None = None,
    conditioning_uA_per_cm2: float = 20.0,
    duration_ms: float = 1.0,
    tol_uA_per_cm2: float = 1e-2,
    dt_ms: float | None = None,
):
    """Paired-pulse refractoriness: test threshold against interval.

    Returns:
        pandas DataFrame with interval_ms, threshold_uA_per_cm2 (``inf`` = absolutely
        refractory up to 1000 µA/cm²) and relative_threshold (÷ single-pulse threshold).
    """
    iv = check_array(intervals_ms, "intervals_ms", "ms", lo=0.0, hi=1000.0, min_size=1)
    tol = _tol(tol_uA_per_cm2)
    p = _params(params)
    dt = default_dt_ms(p) if dt_ms is None else _prepare(p, 1.0, dt_ms, 1)[1]
    d = check_range(duration_ms, "duration_ms", "ms", lo=0.01, hi=100.0, what="duration of each pulse")
    run_ms = 1.0 + float(np.mean(np.maximum(iv, d))) + d + 40.0
    _search_cost(
        (iv.size + 1) * _search_trials(10.0, tol),
        run_ms,
        dt,
        "intervals_ms (number of values), dt_ms, tol_uA_per_cm2",
    )
    single = threshold_pulse(duration_ms, params, tol_uA_per_cm2, dt_ms)
    th = [
        refractory_threshold(x, params, conditioning_uA_per_cm2, duration_ms, tol_uA_per_cm2, dt_ms)
        for x in iv
    ]
    th = np.array(th)
    return pd.DataFrame({"interval_ms": iv, "threshold_uA_per_cm2": th, "relative_threshold": th / single})


# --------------------------------------------------------------------------------------------
# Voltage clamp (analytic: for a clamped V each gate relaxes exponentially)
# --------------------------------------------------------------------------------------------


def voltage_clamp(
    v_step_mV: float,
    v_hold_mV: float = -65.0,
    duration_ms: float = 10.0,
    params: HHParams | None = None,
    dt_ms: float = 0.01,
    t_pre_ms: float = 1.0,
):
    """Ideal voltage-clamp step from ``v_hold_mV`` (gates at steady state) to ``v_step_mV`` at
    t = 0, computed analytically (x(t) = x∞ + (x₀ − x∞) e^(−t/τx); hodgkin1952).

    Args:
        v_step_mV, v_hold_mV: step and holding potentials, mV ([-150, 100]).
        duration_ms: time after the step, ms. t_pre_ms: holding time shown before it, ms.
        params: model parameters. dt_ms: sampling interval of the output, ms.

    Returns:
        pandas DataFrame with t_ms, v_mV, m, h, n, g_Na_mS_per_cm2, g_K_mS_per_cm2,
        i_Na_uA_per_cm2, i_K_uA_per_cm2 (outward positive).
    """
    p = _params(params)
    vs = check_range(v_step_mV, "v_step_mV", "mV", lo=-150.0, hi=100.0, what="clamp step")
    vh = check_range(v_hold_mV, "v_hold_mV", "mV", lo=-150.0, hi=100.0, what="holding")
    dur = check_range(duration_ms, "duration_ms", "ms", lo=0.0, lo_open=True, hi=10000.0)
    pre = check_range(t_pre_ms, "t_pre_ms", "ms", lo=0.0, hi=10000.0)
    dt = check_range(dt_ms, "dt_ms", "ms", lo=1e-5, hi=1.0, what="sampling interval")
    npts = int(math.floor((pre + dur) / dt + 1e-9)) + 1
    if npts > MAX_RECORDED_SAMPLES:
        raise ParameterError(
            f"duration_ms + t_pre_ms = {pre + dur:g} ms at dt_ms = {dt:g} ms "
            f"would give {npts} points; allowed range: ≤ "
            f"{MAX_RECORDED_SAMPLES} points."
        )
    t = np.arange(npts) * dt - pre
    g = _clamp_gates(vs, vh, np.clip(t, 0.0, None), p)
    v = np.where(t < 0, vh, vs)
    m, h, n = g
    gna = p.g_Na_mS_per_cm2 * m**3 * h
    gk = p.g_K_mS_per_cm2 * n**4
    return pd.DataFrame(
        {
            "t_ms": t,
            "v_mV": v,
            "m": m,
            "h": h,
            "n": n,
            "g_Na_mS_per_cm2": gna,
            "g_K_mS_per_cm2": gk,
            "i_Na_uA_per_cm2": gna * (v - p.E_Na_mV),
            "i_K_uA_per_cm2": gk * (v - p.E_K_mV),
        }
    )


def _clamp_gates(vs, vh, t, p):
    r0 = _rates_array(np.array([vh]), p.shift_Na_mV, p.shift_K_mV)[:, 0]
    r1 = _rates_array(np.array([vs]), p.shift_Na_mV, p.shift_K_mV)[:, 0] * p.phi
    out = []
    for j in range(3):
        a0, b0 = r0[2 * j], r0[2 * j + 1]
        a1, b1 = r1[2 * j], r1[2 * j + 1]
        x0 = a0 / (a0 + b0)
        xi = a1 / (a1 + b1)
        out.append(xi + (x0 - xi) * np.exp(-(a1 + b1) * t))
    return out


def voltage_clamp_summary(v_steps_mV, v_hold_mV: float = -65.0, params: HHParams | None = None):
    """Peak g_Na (with its time after the step) and steady-state g_K for clamp steps.

    At 6.3 °C from −65 mV: −40 mV → 4.62 mS/cm² at 1.41 ms, gK∞ 7.63; 0 mV → 29.1 at 0.62 ms,
    gK∞ 24.6 (REFERENCE.md §1.2). The peak is located to 1e-6 ms with a bounded scalar search.

    Returns:
        pandas DataFrame with v_step_mV, peak_g_Na_mS_per_cm2, time_to_peak_ms,
        steady_g_K_mS_per_cm2.
    """
    from scipy.optimize import minimize_scalar  # noqa: PLC0415 (deferred: scipy's submodules cost 0.6-1 s at kernel start)

    p = _params(params)
    vs_all = check_array(v_steps_mV, "v_steps_mV", "mV", lo=-150.0, hi=100.0, min_size=1)
    if vs_all.size > MAX_CLAMP_STEPS:
        raise ParameterError(
            f"v_steps_mV has {vs_all.size:,} steps; at most {MAX_CLAMP_STEPS:,} (cost limit: each step is a "
            "scalar search of ~0.5 ms; 10⁵ steps took 46 s)."
        )
    vh = check_range(v_hold_mV, "v_hold_mV", "mV", lo=-150.0, hi=100.0, what="holding")
    rows = []
    for vs in vs_all:

        def gna(t, vs=vs):
            m, h, _ = _clamp_gates(vs, vh, np.atleast_1d(t), p)
            return p.g_Na_mS_per_cm2 * m**3 * h

        r1 = _rates_array(np.array([vs]), p.shift_Na_mV, p.shift_K_mV)[:, 0] * p.phi
        t_slow = 5.0 / (r1[2] + r1[3])  # 5 τh: the peak is long over by then
        tg = np.linspace(0.0, t_slow, 2001)
        g = gna(tg)
        j = int(np.argmax(g))
        a, b = tg[max(j - 1, 0)], tg[min(j + 1, tg.size - 1)]
        if j == 0 or b <= a:
            tp, gp = 0.0, float(g[0])
        else:
            res = minimize_scalar(
                lambda t: -gna(t)[0], bounds=(a, b), method="bounded", options={"xatol": 1e-7}
            )
            tp, gp = float(res.x), float(-res.fun)
        an, bn = r1[4], r1[5]
        rows.append((float(vs), gp, tp, p.g_K_mS_per_cm2 * (an / (an + bn)) ** 4))
    return pd.DataFrame(
        rows, columns=["v_step_mV", "peak_g_Na_mS_per_cm2", "time_to_peak_ms", "steady_g_K_mS_per_cm2"]
    )

"""Panels of the mammalian muscle fibre at 37 °C (utils.fibre; Cannon two-compartment model).

* :class:`FibreRestPanel` (notebook 02): [K⁺]o moves the fibre's resting potential. Left, the
  fibre's net steady-state current against its membrane potential, whose zeros are the resting
  potentials, with its inward-rectifier (Kir) part; right, every stable rest against [K⁺]o
  (``utils.fibre.steady_states``, read from data/fibre_rest_vs_potassium.csv, a cache written by
  tools/fibre_grid.py) with ClC-1 normal and blocked.
* :class:`PeriodicParalysisPanel` (notebook 05): ClC-1 density, the fraction of Na⁺ channels
  that do not inactivate and [K⁺]o → a 200 ms train of pulses: surface and T-tubule voltage,
  after-discharges and T-tubule K⁺. Every slider position is simulated when the panel is built,
  so a move only redraws.

Both say which model they use; both report what the model cannot show (see the fibre module's
known limitations).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..figures import fibre_plots, framing
from ..models import fibre, hh, membrane, tablecache
from ..sources.tables import read_table
from ..validation import check_array, check_range
from . import kit

MODEL = "mammalian muscle fibre at 37 °C (Cannon two-compartment model)"

# ---- notebook 02: the resting potential -----------------------------------------------------

#: Cache of ``fibre.steady_states`` written by tools/fibre_grid.py.
REST_TABLE = "fibre_rest_vs_potassium.csv"
#: ClC-1 options of the panel (g_cl_scale): the published fibre and ClC-1 blocked.
CL_SCALES = (1.0, 0.0)
CL_OPTIONS = (("normal (published model)", 1.0), ("blocked (0 %)", 0.0))
#: [K⁺]o slider (mmol/L): range and step (the rest table's grid).
K_LO, K_HI, K_STEP = 0.5, 8.0, 0.05
#: Membrane-potential grid of the steady-state current, mV.
V_GRID = np.arange(-160.0, -29.99, 1.0)
#: A stable rest more than this above E K⁺ has left the potassium-following state P1 (design:
#: P1 sits within a few mV of E K⁺, P2 tens of mV above it; jurkatrott2009).
P2_ABOVE_EK_mV = 15.0


def k_grid() -> np.ndarray:
    """The [K⁺]o values of the panel and of its table, mmol/L."""
    return np.round(np.arange(K_LO, K_HI + 1e-9, K_STEP), 2)


@lru_cache(maxsize=1)
def rest_table() -> dict:
    """{(g_cl_scale, K): [stable rests, mV]} from data/fibre_rest_vs_potassium.csv."""
    out = {}
    for r in read_table(REST_TABLE):
        out[(float(r["g_cl_scale"]), round(float(r["k_mmol_L"]), 2))] = [
            float(x) for x in r["steady_states_mV"].split()
        ]
    return out


def stable_rests(k_mM: float, g_cl_scale: float = 1.0) -> list[float]:
    """Every stable rest (mV) of the fibre at ``k_mM`` (from the table on its grid, else
    ``fibre.steady_states``)."""
    k = round(check_range(k_mM, "k_mM", "mmol/L", lo=0.0, lo_open=True, what="[K⁺] outside"), 2)
    g_cl_scale = check_range(g_cl_scale, "g_cl_scale", "× normal", lo=0.0, what="ClC-1 density")
    ss = rest_table().get((g_cl_scale, k))
    if ss is None:
        ss = fibre.steady_states(fibre.FibreParams(k_out_mM=k, g_cl_scale=g_cl_scale))
    return list(ss)


def e_k_mV(k_mM):
    """E K⁺ of the fibre's myoplasmic K⁺ at 37 °C, mV (a number or an array)."""
    p = fibre.FibreParams()
    scalar = np.ndim(k_mM) == 0
    k = check_array(
        k_mM, "k_mM", "mmol/L", lo=0.0, hi=membrane.CONC_MAX_mM, lo_open=True, what="[K⁺] outside"
    )
    if scalar:
        return membrane.nernst_mV(float(k[0]), p.k_in_mM, 1, p.temperature_C)
    return np.array([membrane.nernst_mV(float(x), p.k_in_mM, 1, p.temperature_C) for x in k])


@lru_cache(maxsize=1024)
@tablecache.disk_cached
def steady_current(k_mM: float, g_cl_scale: float) -> tuple:
    """(net steady-state current, its Kir part of the surface membrane), µA/cm², on
    :data:`V_GRID` (``fibre.steady_state_current``; Kir = K⁺ current with Kir minus without)."""
    p = fibre.FibreParams(k_out_mM=k_mM, g_cl_scale=g_cl_scale)
    total = fibre.steady_state_current(V_GRID, p)
    kir = (
        fibre.currents_at(V_GRID, params=p)["k"]
        - fibre.currents_at(V_GRID, params=p.replace(g_kir_scale=0.0))["k"]
    )
    return total, kir


def _zeros(v, i) -> list[float]:
    idx = np.flatnonzero(np.sign(i[:-1]) * np.sign(i[1:]) < 0)
    return [float(v[j] - i[j] * (v[j + 1] - v[j]) / (i[j + 1] - i[j])) for j in idx]


class FibreRestPanel(kit.Panel):
    """[K⁺]o (mmol/L) and ClC-1 (normal or blocked) → the fibre's resting potential(s)."""

    def __init__(self, k_mM: float = 4.0, g_cl_scale: float = 1.0):
        self.k = kit.slider("[K⁺] outside (mmol/L)", k_mM, K_LO, K_HI, K_STEP, ".2f", param="k_mM")
        self.cl = kit.dropdown("ClC-1 chloride channels", list(CL_OPTIONS), g_cl_scale, param="g_cl_scale")
        ks = k_grid()
        rests = {}
        for name, g in (("normal", 1.0), ("blocked", 0.0)):
            pts = [(k, v) for k in ks for v in stable_rests(k, g)]
            rests[name] = ([p[0] for p in pts], [p[1] for p in pts])
        for g in CL_SCALES:  # precompute every slider position: a move only redraws
            for k in ks:
                steady_current(float(k), g)
        figure = fibre_plots.fibre_rest_figure(
            (float(V_GRID[0]), float(V_GRID[-1])), (0.0, K_HI + 0.2), (ks, e_k_mV(ks)), rests
        )
        super().__init__({"k": self.k, "cl": self.cl}, figure)

    def compute(self) -> dict:
        k, g = round(float(self.k.value), 2), float(self.cl.value)
        total, kir = steady_current(k, g)
        stable = stable_rests(k, g)
        unstable = [z for z in _zeros(V_GRID, total) if all(abs(z - s) > 2.0 for s in stable)]
        ek = float(e_k_mV(k))
        p2 = [s for s in stable if s - ek > P2_ABOVE_EK_mV]
        if len(stable) > 1:
            state = "two stable rests: the K⁺-following state P1 and the depolarised state P2"
        elif p2:
            state = "the depolarised state P2 only: far above E K⁺ (the paradox)"
        elif stable:
            state = "one rest near E K⁺ (state P1)"
        else:
            state = "no stable rest"
        return {
            "K_out_mM": k,
            "g_cl_scale": g,
            "E_K_mV": ek,
            "stable_mV": stable,
            "unstable_mV": unstable,
            "state": state,
            "total": total,
            "kir": kir,
        }

    def draw(self, st: dict) -> None:
        framing.set_xy(
            self.figure,
            {
                "iv": (V_GRID, st["total"]),
                "kir": (V_GRID, st["kir"]),
                "stable": (st["stable_mV"], [0.0] * len(st["stable_mV"])),
                "unstable": (st["unstable_mV"], [0.0] * len(st["unstable_mV"])),
                "your_K": ([st["K_out_mM"]] * len(st["stable_mV"]), st["stable_mV"]),
            },
        )

    def describe(self, st: dict) -> str:
        rests = ", ".join(f"<b>{v:.1f} mV</b>" for v in st["stable_mV"]) or "none"
        cl = "normal" if st["g_cl_scale"] == 1.0 else "blocked"
        return (
            f"{MODEL}, ClC-1 {cl}. [K⁺]o = <b>{st['K_out_mM']:.2f} mmol/L</b>: E K⁺ = "
            f"{st['E_K_mV']:.1f} mV; stable resting potential(s): {rests} ({st['state']})."
        )


def fibre_rest_panel(k_mM: float = 4.0, g_cl_scale: float = 1.0) -> FibreRestPanel:
    """Notebook 02: [K⁺]o moves the muscle fibre's resting potential."""
    return FibreRestPanel(k_mM, g_cl_scale)


# ---- notebook 05: periodic paralysis and myotonia -------------------------------------------

#: Slider positions (every one is simulated when the panel is built).
PP_CL_SCALES = (0.0, 0.5, 1.0)
PP_NA_FRACTIONS = (0.003, 0.01, 0.02, 0.03)
PP_NA_OPTIONS = (
    ("0.3 % (normal)", 0.003),
    ("1 %", 0.01),
    ("2 % (like the toxin ATX II)", 0.02),
    ("3 % (like a hyperkalaemic periodic paralysis mutation)", 0.03),
)
PP_K = (3.0, 4.5, 6.0, 7.5, 9.0)
#: Protocol: 20 pulses of the standard 1 ms pulse at 50 Hz from 5 ms (a burst of nerve
#: impulses, as in a voluntary contraction), then rest; run 600 ms, sampled every 0.2 ms.
PP_PULSES = 20
PP_INTERVAL_MS = 20.0
PP_START_MS = 5.0
PP_T_STOP_MS = 600.0
PP_RECORD_MS = 0.2
#: A fibre that ends this far above its rest stays depolarised (design: Na⁺ channels stay
#: inactivated above about −60 mV; cannon1993).
PP_STUCK_mV = 20.0


def _pp_train():
    return hh.PulseTrain(fibre.STANDARD_PULSE_UA_PER_CM2, PP_START_MS, 1.0, PP_INTERVAL_MS, PP_PULSES)


def pulse_times_ms() -> tuple:
    return tuple(PP_START_MS + i * PP_INTERVAL_MS for i in range(PP_PULSES))


@lru_cache(maxsize=128)
@tablecache.disk_cached
def paralysis_run(g_cl_scale: float, na_fraction: float, k_mM: float) -> dict:
    """One run of the periodic-paralysis protocol (utils.fibre.simulate), decimated for the
    figure, with its counts: spikes, after-discharges (spikes later than 3 ms after the last
    pulse), rest and final potential, peak T-tubule K⁺."""
    p = fibre.FibreParams(k_out_mM=k_mM, g_cl_scale=g_cl_scale, na_noninactivating_fraction=na_fraction)
    rests = fibre.steady_states(p)
    r = fibre.simulate(_pp_train(), PP_T_STOP_MS, p, record_dt_ms=PP_RECORD_MS)
    last = pulse_times_ms()[-1] + 1.0
    st = r.spike_times_ms
    t, vs = kit.decimate(r.t_ms, r.v_surface_mV, 3000)
    _, vt = kit.decimate(r.t_ms, r.v_tubule_mV, 3000)
    _, kt = kit.decimate(r.t_ms, r.k_tubule_mM, 3000)
    rest = float(r.v_surface_mV[0])
    end = float(r.v_surface_mV[-1])
    return {
        "t_ms": t,
        "v_surface_mV": vs,
        "v_tubule_mV": vt,
        "k_tubule_mM": kt,
        "n_spikes": int(st.size),
        "after_discharges": int(np.sum(st > last + 2.0)),
        "rest_mV": rest,
        "end_mV": end,
        "stuck": end > rest + PP_STUCK_mV,
        "k_tubule_peak_mM": float(r.k_tubule_mM.max()),
        "steady_states_mV": list(rests),
    }


class PeriodicParalysisPanel(kit.Panel):
    """ClC-1 density, non-inactivating Na⁺ fraction, [K⁺]o → the fibre's response to a burst of
    20 pulses at 50 Hz (every position precomputed at build)."""

    def __init__(self, g_cl_scale: float = 1.0, na_fraction: float = 0.003, k_mM: float = 4.5):
        self.cl = kit.slider(
            "ClC-1 chloride channels (× normal)", g_cl_scale, 0.0, 1.0, 0.5, ".1f", param="g_cl_scale"
        )
        self.na = kit.dropdown(
            "Na⁺ channels that do not inactivate", list(PP_NA_OPTIONS), na_fraction, param="na_fraction"
        )
        self.k = kit.slider("[K⁺] outside (mmol/L)", k_mM, PP_K[0], PP_K[-1], 1.5, ".1f", param="k_mM")
        for g in PP_CL_SCALES:
            for f in PP_NA_FRACTIONS:
                for k in PP_K:
                    paralysis_run(g, f, k)
        figure = fibre_plots.periodic_paralysis_figure(PP_T_STOP_MS, pulse_times_ms())
        super().__init__({"cl": self.cl, "na": self.na, "k": self.k}, figure)

    def compute(self) -> dict:
        g, f, k = round(float(self.cl.value), 2), float(self.na.value), round(float(self.k.value), 2)
        return {"g_cl_scale": g, "na_fraction": f, "K_out_mM": k, **paralysis_run(g, f, k)}

    def draw(self, st: dict) -> None:
        t = st["t_ms"]
        framing.set_xy(
            self.figure,
            {
                "v_surface": (t, st["v_surface_mV"]),
                "v_tubule": (t, st["v_tubule_mV"]),
                "k_tubule": (t, st["k_tubule_mM"]),
                "k_bath": ([0.0, PP_T_STOP_MS], [st["K_out_mM"]] * 2),
            },
        )

    def describe(self, st: dict) -> str:
        if st["stuck"]:
            end = (
                f"it <b>stays depolarised</b> at {st['end_mV']:.0f} mV: the Na⁺ channels stay "
                "inactivated and the fibre cannot fire again (paralysis)"
            )
        else:
            end = f"it returns to rest ({st['end_mV']:.0f} mV)"
        rests = ", ".join(f"{v:.0f}" for v in st["steady_states_mV"])
        extra = (
            " (two stable states: it can be trapped in the depolarised one)"
            if len(st["steady_states_mV"]) > 1
            else ""
        )
        return (
            f"{MODEL}: ClC-1 × {st['g_cl_scale']:g}, {100 * st['na_fraction']:.1f} % of Na⁺ channels "
            f"without inactivation, [K⁺]o {st['K_out_mM']:g} mmol/L. Rest {st['rest_mV']:.1f} mV "
            f"(stable rests: {rests} mV{extra}). <b>{st['n_spikes']}</b> action potential(s) for "
            f"{PP_PULSES} pulses, <b>{st['after_discharges']}</b> after-discharge(s) after the last "
            f"pulse; T-tubule K⁺ peaks at <b>{st['k_tubule_peak_mM']:.1f} mmol/L</b>; {end}."
        )


def periodic_paralysis_panel(**kwargs) -> PeriodicParalysisPanel:
    """Notebook 05: periodic paralysis and myotonia in the fibre model."""
    return PeriodicParalysisPanel(**kit.check_keywords(kwargs, PeriodicParalysisPanel))

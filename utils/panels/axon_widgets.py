"""Interactive panel of notebook 03's "from squid to you": a human motor axon at 37 °C, built on
``utils.axon`` (McIntyre, Richardson & Grill 2002, the default ``mrg2002`` variant).

:class:`ConductionPanel` shows one impulse travelling node to node along a myelinated fibre of
:data:`N_NODES` nodes (a space–time plot: membrane potential at every node against time), with
two sliders: the fibre diameter and the myelin left (a fraction of the normal number of myelin
lamellae, ``AxonParams.myelin_lamellae_scale``). The read-out gives the conduction velocity, or
"conduction block" when the impulse dies before the far end of the fibre.

One run of the fibre takes tens of milliseconds and a conduction velocity up to about a tenth
of a second, far more than a slider move may take (16 ms). So every point of the two slider
grids is computed once per process when the first panel is built (:func:`conduction_table`,
``functools.lru_cache``), and a slider move only looks the point up and redraws. The grids:

* diameters: the rows of the published MRG geometry table (``data/axon_geometry.csv``:
  5.7–16 µm); between rows the model only interpolates the geometry linearly;
* myelin: :data:`MYELIN_PERCENT` of the normal lamellae, dense near 3–10 %, where conduction
  fails.

Each grid point (:func:`conduction_point`):

* a 0.1 ms pulse into node :data:`STIMULUS_NODE` (next to the sealed end), the weakest of
  :data:`STIMULUS_NA` (2–40 nA) that fires that node, and :data:`T_STOP_MS` ms of the fibre at
  the published step (0.005 ms), recorded every :data:`RECORD_EVERY` steps (a stronger fixed
  pulse would drive the stimulated node far above any spike's peak);
* the arrival time of the impulse at each node (first upward crossing of −20 mV,
  ``axon.simulate``'s spike times);
* "conducts" when every node fires, counting from the stimulated one; otherwise the furthest
  node the impulse reached in an unbroken run is reported (conduction block);
* for a fibre that conducts, the conduction velocity is ``axon.conduction_velocity_m_per_s``
  (timed between inner nodes and extrapolated to a step of 0 ms); the arrival times drawn come
  from the 0.005 ms run, whose wave is a few per cent slower (the module's docstring).

Build time: 9 diameters × 9 myelin levels = 81 points, 3.5 s on a quiet core and up to 5 s on a
busy machine (``benchmarks/bench_axon_panels.py``, numba kernels already compiled); a slider
move then takes a few ms. A first grid of 10 myelin levels took 6.6 s and was thinned. 21 nodes
(the published fibre) were kept: with 11 nodes a dying impulse is re-ignited by the sealed far
end (the high input resistance of an end node), which turns conduction block at 5 % myelin into
a false "conducts"; 15 nodes would save little (most of the time is the velocity, which is
timed over the inner nodes at steps of 0.001 and 0.002 ms).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import ipywidgets as w  # noqa: PLC0415 (deferred: reads ipywidgets' live instances)
import numpy as np

from ..figures import axon_plots
from ..models import axon, hh, tablecache
from ..sources.tables import read_table
from ..validation import ParameterError, check_range
from . import kit

#: Fibre diameters of the slider, µm: the rows of the published MRG geometry table.
DIAMETERS_UM = tuple(float(r["fibre_diameter_um"]) for r in read_table("axon_geometry.csv"))
#: Myelin left, % of the normal number of lamellae (a teaching grid: dense where conduction fails).
MYELIN_PERCENT = (100, 50, 25, 15, 10, 7, 5, 4, 3)
#: Nodes of the fibre (the published 21: no end effect reaches the inner nodes).
N_NODES = 21
#: The stimulated node and the pulse: onset, duration (ms) and amplitude (nA).
STIMULUS_NODE = 1
STIMULUS_START_MS = 0.1
STIMULUS_MS = 0.1
#: Pulse amplitudes tried in turn (nA): the weakest that fires the stimulated node is used (the
#: 0.1 ms threshold of the normal 10 µm fibre is about 1 nA; demyelinated nodes need more).
STIMULUS_NA = (2.0, 5.0, 10.0, 20.0, 40.0)
#: Run length (ms): the slowest impulse that still conducts (5.7 µm, 4 % myelin, about 5 m/s)
#: crosses the 10 mm fibre in about 2 ms.
T_STOP_MS = 3.0
#: Keep every 4th step (0.02 ms): 151 time points per node.
RECORD_EVERY = 4
#: Human median motor nerve conduction velocity, m/s: mean and SD (data/axon_targets.csv).
_NCV = next(r for r in read_table("axon_targets.csv") if r["name"] == "median_motor_ncv")
NCV_MEAN_M_PER_S = float(_NCV["value"])
NCV_SD_M_PER_S = float(_NCV["sd"])


def params(diameter_um: float, myelin_percent: float) -> axon.AxonParams:
    """The fibre of one grid point (MRG 2002, 37 °C, normal ions, :data:`N_NODES` nodes)."""
    diameter_um = check_range(diameter_um, "diameter_um", "µm", lo=0.0, lo_open=True, what="fibre diameter")
    myelin_percent = check_range(
        myelin_percent, "myelin_percent", "% of normal", lo=0.0, hi=100.0, lo_open=True, what="myelin left"
    )
    return axon.AxonParams(
        fibre_diameter_um=diameter_um, n_nodes=N_NODES, myelin_lamellae_scale=myelin_percent / 100.0
    )


def conduction_point(diameter_um: float, myelin_percent: float) -> dict:
    """One grid point, computed afresh (no table): the run, the arrival times and the velocity.

    Returns a dict: ``t_ms`` (time axis), ``v_mV`` (float32, nodes × time), ``x_mm`` (node
    positions), ``arrival_ms`` (first −20 mV crossing per node; NaN where none), ``reached``
    (furthest node reached in an unbroken run from the stimulated one), ``conducts`` (every node
    fired), ``cv_m_per_s`` (NaN in block), ``internode_mm``, ``n_lamellae``.
    """
    p = params(diameter_um, myelin_percent)
    for amp in STIMULUS_NA:
        stim = hh.Pulse(amp, STIMULUS_START_MS, STIMULUS_MS)
        r = axon.simulate(stim, T_STOP_MS, p, node=STIMULUS_NODE, record_every=RECORD_EVERY)
        if r.spike_times_ms[STIMULUS_NODE].size:
            break
    arrival = np.array([s[0] if s.size else np.nan for s in r.spike_times_ms])
    fired = np.isfinite(arrival)
    reached = STIMULUS_NODE - 1 if not fired[STIMULUS_NODE] else STIMULUS_NODE
    while reached >= STIMULUS_NODE and reached + 1 < N_NODES and fired[reached + 1]:
        reached += 1
    conducts = bool(fired.all())
    cv = axon.conduction_velocity_m_per_s(p) if conducts else float("nan")
    g = axon.geometry(float(diameter_um))
    return {
        "t_ms": r.t_ms,
        "v_mV": r.v_mV.astype(np.float32),
        "x_mm": r.x_mm,
        "arrival_ms": arrival,
        "reached": int(reached),
        "conducts": conducts,
        "cv_m_per_s": float(cv),
        "stimulus_nA": float(amp),
        "internode_mm": g.node_to_node_um * 1e-3,
        "n_lamellae": g.n_lamellae * float(myelin_percent) / 100.0,
    }


@dataclass(frozen=True, eq=False)
class ConductionTable:
    """Every grid point of the panel, in compact arrays indexed [diameter, myelin, ...].

    Attributes:
        diameters_um, myelin_percent: the grids. t_ms: the common time axis (ms).
        v_mV: float32, shape (diameters, myelin, nodes, time). x_mm: (diameters, nodes).
        arrival_ms: (diameters, myelin, nodes), NaN where a node did not fire.
        reached: furthest node reached (int). conducts: bool. cv_m_per_s: NaN in block.
        stimulus_nA: the pulse used (the weakest of :data:`STIMULUS_NA` that fires the node).
        internode_mm: (diameters,). n_lamellae: (diameters, myelin).
    """

    diameters_um: tuple
    myelin_percent: tuple
    t_ms: np.ndarray
    v_mV: np.ndarray
    x_mm: np.ndarray
    arrival_ms: np.ndarray
    reached: np.ndarray
    conducts: np.ndarray
    cv_m_per_s: np.ndarray
    stimulus_nA: np.ndarray
    internode_mm: np.ndarray
    n_lamellae: np.ndarray

    def point(self, i: int, j: int) -> dict:
        """Grid point (diameter i, myelin j) in the form of :func:`conduction_point`."""
        return {
            "t_ms": self.t_ms,
            "v_mV": self.v_mV[i, j],
            "x_mm": self.x_mm[i],
            "arrival_ms": self.arrival_ms[i, j],
            "reached": int(self.reached[i, j]),
            "conducts": bool(self.conducts[i, j]),
            "cv_m_per_s": float(self.cv_m_per_s[i, j]),
            "stimulus_nA": float(self.stimulus_nA[i, j]),
            "internode_mm": float(self.internode_mm[i]),
            "n_lamellae": float(self.n_lamellae[i, j]),
        }


@lru_cache(maxsize=2)
@tablecache.disk_cached
def conduction_table(
    diameters_um: tuple = DIAMETERS_UM, myelin_percent: tuple = MYELIN_PERCENT
) -> ConductionTable:
    """:func:`conduction_point` for every pair of the grids, once per process."""
    pts = [[conduction_point(d, m) for m in myelin_percent] for d in diameters_um]
    arrays = {}
    for name in ("v_mV", "arrival_ms", "reached", "conducts", "cv_m_per_s", "stimulus_nA", "n_lamellae"):
        arrays[name] = np.array([[p[name] for p in row] for row in pts])
    arrays["v_mV"] = arrays["v_mV"].astype(np.float32)
    table = ConductionTable(
        diameters_um=tuple(diameters_um),
        myelin_percent=tuple(myelin_percent),
        t_ms=pts[0][0]["t_ms"],
        x_mm=np.array([row[0]["x_mm"] for row in pts]),
        internode_mm=np.array([row[0]["internode_mm"] for row in pts]),
        **arrays,
    )
    for a in (
        table.t_ms,
        table.v_mV,
        table.x_mm,
        table.arrival_ms,
        table.reached,
        table.conducts,
        table.cv_m_per_s,
    ):
        a.setflags(write=False)
    return table


class ConductionPanel(kit.Panel):
    """Fibre diameter (µm) and myelin (% of normal lamellae) → one impulse travelling node to
    node (space–time plot), its conduction velocity, or conduction block.

    Bottom plots: the velocity against diameter (normal myelin, and your myelin) with the human
    median motor NCV band, and against myelin for your diameter; grid points in block are
    vermillion crosses at 0 m/s.
    """

    def __init__(self, diameter_um: float = 10.0, myelin_percent: float = 100):
        self.table = conduction_table()
        tab = self.table
        for name, value, grid, unit in (
            ("diameter_um", diameter_um, tab.diameters_um, "µm"),
            ("myelin_percent", myelin_percent, tab.myelin_percent, "%"),
        ):
            value = check_range(
                value, name, unit, lo=min(grid), hi=max(grid), what="a grid point of the panel"
            )
            if value not in grid:
                raise ParameterError(
                    f"{name} = {value!r} {unit} is not on the panel's grid; allowed values: "
                    f"{', '.join(f'{g:g}' for g in grid)} {unit}."
                )
        self.diameter = kit.control(
            w.SelectionSlider,
            "fibre diameter (µm)",
            options=[(f"{d:g}", d) for d in tab.diameters_um],
            value=float(diameter_um),
        )
        self.myelin = kit.control(
            w.SelectionSlider,
            "myelin (% of lamellae)",
            options=[(f"{m:g}", m) for m in tab.myelin_percent],
            value=myelin_percent,
        )
        cv_max = float(np.nanmax(tab.cv_m_per_s))
        figure = axon_plots.conduction_figure(
            tab.t_ms,
            tab.diameters_um,
            tab.myelin_percent,
            float(tab.x_mm.max()),
            10.0 * np.ceil(cv_max / 10.0 + 0.05),
            (NCV_MEAN_M_PER_S - 2 * NCV_SD_M_PER_S, NCV_MEAN_M_PER_S + 2 * NCV_SD_M_PER_S),
        )
        super().__init__({"diameter": self.diameter, "myelin": self.myelin}, figure)

    def _indices(self) -> tuple[int, int]:
        return (
            self.table.diameters_um.index(float(self.diameter.value)),
            self.table.myelin_percent.index(self.myelin.value),
        )

    def compute(self) -> dict:
        """Look the grid point up: the numbers shown and the arrays drawn."""
        tab = self.table
        i, j = self._indices()
        pt = tab.point(i, j)
        d, m = tab.diameters_um[i], tab.myelin_percent[j]
        normal = float(tab.cv_m_per_s[i, 0])
        cv = pt["cv_m_per_s"]
        if pt["conducts"]:
            title = f"{d:g} µm fibre, {m:g} % myelin: {cv:.1f} m/s"
        else:
            title = f"{d:g} µm fibre, {m:g} % myelin: conduction block"
        return {
            **pt,
            "diameter_um": d,
            "myelin_percent": m,
            "normal_cv_m_per_s": normal,
            "cv_diameter_normal": tab.cv_m_per_s[:, 0],
            "cv_diameter_now": tab.cv_m_per_s[:, j],
            "cv_myelin": tab.cv_m_per_s[i, :],
            "block_diameters": np.array([x for x, c in zip(tab.diameters_um, tab.conducts[:, j]) if not c]),
            "block_myelin": np.array(
                [x for x, c in zip(tab.myelin_percent, tab.conducts[i, :]) if not c], float
            ),
            "title": title,
        }

    def draw(self, st: dict) -> None:
        fired = np.isfinite(st["arrival_ms"])
        self.trace("spacetime").update(x=st["t_ms"], y=st["x_mm"], z=st["v_mV"])
        self.set_xy("arrival", st["arrival_ms"][fired], st["x_mm"][fired])
        self.set_xy("stimulus", [STIMULUS_START_MS], [float(st["x_mm"][STIMULUS_NODE])])
        d = np.asarray(self.table.diameters_um, float)
        self.set_xy("cv_diameter_normal", d, st["cv_diameter_normal"])
        self.set_xy("cv_diameter_now", d, st["cv_diameter_now"])
        self.set_xy("cv_myelin", np.asarray(self.table.myelin_percent, float), st["cv_myelin"])
        self.set_xy("block_diameter", st["block_diameters"], np.zeros(st["block_diameters"].size))
        self.set_xy("block_myelin", st["block_myelin"], np.zeros(st["block_myelin"].size))
        y = st["cv_m_per_s"] if st["conducts"] else 0.0
        self.set_xy("point_diameter", [st["diameter_um"]], [y])
        self.set_xy("point_myelin", [float(st["myelin_percent"])], [y])
        self.set_layout({"title.text": st["title"]})

    def describe(self, st: dict) -> str:
        d, m = st["diameter_um"], st["myelin_percent"]
        head = (
            f"Fibre <b>{d:g} µm</b> (nodes {st['internode_mm']:.2f} mm apart), myelin <b>{m:g} %</b> "
            f"of normal (about {st['n_lamellae']:.0f} lamellae); stimulus {st['stimulus_nA']:g} nA for "
            f"{STIMULUS_MS:g} ms into node {STIMULUS_NODE}."
        )
        if st["conducts"]:
            cv = st["cv_m_per_s"]
            hop_us = st["internode_mm"] / cv * 1e3
            body = (
                f"<br>The impulse reaches all {N_NODES} nodes: conduction velocity <b>{cv:.1f} m/s</b>"
                f" ({cv / st['normal_cv_m_per_s'] * 100:.0f} % of this fibre with normal myelin, "
                f"{st['normal_cv_m_per_s']:.1f} m/s); it jumps one internode in about {hop_us:.0f} µs."
            )
        else:
            k = st["reached"]
            body = (
                f"<br><b>Conduction block</b>: the stimulated node fired, but the impulse died after "
                f"node {k} ({st['x_mm'][k]:.1f} mm along); nodes {k + 1} to {N_NODES - 1} never fire."
            )
        return (
            head + body + f"<br>Human median motor nerve: {NCV_MEAN_M_PER_S:.1f} ± {NCV_SD_M_PER_S:.1f} m/s "
            "(mean ± SD, measured at the skin; the model runs at 37 °C)."
        )


def conduction_panel(diameter_um: float = 10.0, myelin_percent: float = 100) -> ConductionPanel:
    """Notebook 03, "from squid to you": the human motor axon's conduction (MRG 2002, 37 °C)."""
    return ConductionPanel(diameter_um, myelin_percent)

"""The McIntyre–Richardson–Grill (2002) motor axon built in NEURON from the same equations and
tables as :mod:`utils.axon`, as an independent engine to check ours against (hines1997;
mcintyre2002_code). Used by ``tests/unit/test_axon_neuron.py`` and ``benchmarks/bench_axon.py``.

* The node mechanism ``mrgnode`` (``tests/unit/mrgnode.mod``) is a transcription of the node
  equations of utils/models/axon.py's docstring; it is compiled once with ``nrnivmodl`` into
  ``build/neuron_mrg/<hash of the .mod>/``.
* The cable is drawn as ``MRGaxon.hoc`` draws it: one segment per section; node, MYSA, FLUT and
  6 × STIN sections; internodal sections drawn with the fibre diameter D and their capacitance,
  axial resistivity and passive conductance scaled by d/D; NEURON's ``extracellular`` mechanism
  for the periaxonal layer (xraxial from the gap ring, xg and xc from the myelin lamellae; at the
  node xg = 10¹⁰ S/cm², xc = 0). Every number comes from ``data/axon_parameters.csv`` and
  :func:`utils.axon.geometry`, none from the code under test's internals.
* Both engines start from :func:`utils.axon.resting_state` (membrane and periaxonal potentials and
  gates), so a difference is the integrator's, not the initial condition's.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
MOD = Path(__file__).with_name("mrgnode.mod")
SPIKE_LEVEL_MV = -20.0  # data/axon_parameters.csv spike_level_mV
_LOADED = False


def table(variant: str = "mrg2002") -> dict:
    """Rows of data/axon_parameters.csv for ``variant`` (and 'both'): name -> float."""
    out = {}
    with open(ROOT / "data" / "axon_parameters.csv", newline="") as f:
        for r in csv.reader(line for line in f if not line.startswith("#")):
            if len(r) > 3 and r[3] in ("both", variant):
                try:
                    out[r[0]] = float(r[1])
                except ValueError:
                    continue
    return out


def compile_mechanism() -> Path:
    """Compile ``mrgnode.mod`` with nrnivmodl (once per version of the file); returns the library."""
    digest = hashlib.sha256(MOD.read_bytes()).hexdigest()[:12]
    where = ROOT / "build" / "neuron_mrg" / digest
    lib = where / "x86_64" / "libnrnmech.so"
    if not lib.exists():
        where.mkdir(parents=True, exist_ok=True)
        shutil.copy(MOD, where / MOD.name)
        nrnivmodl = Path(sys.executable).with_name("nrnivmodl")
        done = subprocess.run([str(nrnivmodl), "."], cwd=where, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"nrnivmodl failed in {where}:\n{(done.stdout + done.stderr)[-2000:]}")
    if not lib.exists():
        raise FileNotFoundError(f"nrnivmodl did not build {lib}")
    return lib


def neuron_h():
    """NEURON's ``h`` with the ``mrgnode`` mechanism loaded (once per process)."""
    os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")
    from neuron import h

    global _LOADED
    if not _LOADED:
        h.nrn_load_dll(str(compile_mechanism()))
        _LOADED = True
    h.load_file("stdrun.hoc")
    return h


def _ring_mohm_per_cm(rho_ohm_cm: float, d_um: float, gap_um: float) -> float:
    """Periaxonal longitudinal resistance, MΩ/cm (MRGaxon.hoc: rhoa·0.01/(π((d/2+gap)² − (d/2)²)))."""
    return rho_ohm_cm * 1e4 * 0.01 / (np.pi * ((d_um / 2 + gap_um) ** 2 - (d_um / 2) ** 2))


class NeuronMRG:
    """An MRG fibre in NEURON with an IClamp at one node; ``run`` returns spike times per node."""

    def __init__(self, params, stim_node: int, amp_nA: float, start_ms: float, duration_ms: float):
        from utils import axon

        if params.variant != "mrg2002":
            raise ValueError("only the MRG 2002 variant is built here")
        self.h = h = neuron_h()
        self.params = params
        t = table("mrg2002")
        g = axon.geometry(params.fibre_diameter_um, "mrg2002")
        D = g.fibre_diameter_um
        rho = t["rho_axial_ohm_cm"]
        nl = g.n_lamellae * params.myelin_lamellae_scale
        xc = t["myelin_c_uF_per_cm2_per_lamella"] / (2 * nl)
        xg = t["myelin_g_S_per_cm2_per_lamella"] / (2 * nl)
        e_k = axon.e_k_mV(params.k_out_mM, params.temperature_C)
        kinds = {  # length, inner diameter, periaxonal gap, passive conductance per axon membrane
            "mysa": (
                t["mysa_length_um"],
                g.mysa_diameter_um,
                t["gap_node_mysa_um"],
                t["g_leak_mysa_S_per_cm2"],
            ),
            "flut": (g.flut_length_um, g.flut_diameter_um, t["gap_flut_stin_um"], t["g_leak_flut_S_per_cm2"]),
            "stin": (g.stin_length_um, g.axon_diameter_um, t["gap_flut_stin_um"], t["g_leak_stin_S_per_cm2"]),
        }
        order = ["mysa", "flut"] + ["stin"] * 6 + ["flut", "mysa"]
        self.sections, self.nodes = [], []
        for i in range(params.n_nodes):
            s = h.Section(name=f"mrg_node_{id(self)}_{i}")
            s.nseg, s.L, s.diam = 1, t["node_length_um"], g.node_diameter_um
            s.Ra, s.cm = rho, t["cm_uF_per_cm2"]
            s.insert("mrgnode")
            s.insert("extracellular")
            s.xraxial[0] = _ring_mohm_per_cm(rho, g.node_diameter_um, t["gap_node_mysa_um"])
            s.xg[0], s.xc[0] = t["node_xg_S_per_cm2"], 0.0
            m = s(0.5).mrgnode
            m.gnabar = t["g_naf_S_per_cm2"] * params.g_naf_scale
            m.gnapbar = t["g_nap_S_per_cm2"] * params.g_nap_scale
            m.gkbar = t["g_ks_node_S_per_cm2"] * params.g_ks_scale
            m.gl = t["g_leak_node_S_per_cm2"] * params.g_leak_scale
            m.ena, m.ek, m.el, m.mhalf = t["e_na_mV"], e_k, e_k, t["m_alpha_half_mV"]
            if self.sections:
                s.connect(self.sections[-1](1), 0)
            self.sections.append(s)
            self.nodes.append(s)
            if i == params.n_nodes - 1:
                break
            for j, kind in enumerate(order):
                length, d, gap, g_pas = kinds[kind]
                q = h.Section(name=f"mrg_{kind}_{id(self)}_{i}_{j}")
                q.nseg, q.L, q.diam = 1, length, D
                q.Ra, q.cm = rho / (d / D) ** 2, t["cm_uF_per_cm2"] * d / D
                q.insert("pas")
                q.g_pas, q.e_pas = g_pas * d / D * params.g_leak_scale, t["e_leak_internode_mV"]
                q.insert("extracellular")
                q.xraxial[0] = _ring_mohm_per_cm(rho, d, gap)
                q.xg[0], q.xc[0] = xg, xc
                q.connect(self.sections[-1](1), 0)
                self.sections.append(q)
        self.stim = h.IClamp(self.nodes[stim_node](0.5))
        self.stim.delay, self.stim.dur, self.stim.amp = start_ms, duration_ms, amp_nA
        self.t_vec = h.Vector()
        self.t_vec.record(h._ref_t)
        self.v_vecs = []
        for s in self.nodes:
            v = h.Vector()
            v.record(s(0.5)._ref_v)
            self.v_vecs.append(v)

    def _set_rest(self) -> None:
        from utils import axon

        rest = axon.resting_state(self.params)
        for i, s in enumerate(self.sections):
            s(0.5).v = rest.v_mV[i]
            s(0.5).vext[0] = rest.e_periaxonal_mV[i]
            if s in self.nodes:
                m = s(0.5).mrgnode
                m.m, m.h, m.p, m.s = (float(rest.gates[j, i]) for j in range(4))

    def run(self, t_stop_ms: float, dt_ms: float, second_order: int = 0) -> list[np.ndarray]:
        """Fixed step ``dt_ms`` (backward Euler; ``second_order`` 2: Crank–Nicolson), run through
        ``ParallelContext.psolve``; upward crossings of −20 mV per node (linear interpolation)."""
        h = self.h
        h.celsius = self.params.temperature_C
        h.secondorder = second_order
        h.dt, h.steps_per_ms, h.tstop = dt_ms, 1.0 / dt_ms, t_stop_ms
        pc = h.ParallelContext()
        pc.set_maxstep(10.0)
        h.finitialize(-80.0)
        self._set_rest()
        h.fcurrent()
        pc.psolve(t_stop_ms)
        h.secondorder = 0
        t = np.array(self.t_vec)
        return [crossings(t, np.array(v)) for v in self.v_vecs]


def crossings(t_ms: np.ndarray, v_mV: np.ndarray, level: float = SPIKE_LEVEL_MV) -> np.ndarray:
    """Times of upward crossings of ``level`` (linear interpolation between samples)."""
    up = np.flatnonzero((v_mV[:-1] < level) & (v_mV[1:] >= level))
    return t_ms[up] + (level - v_mV[up]) * (t_ms[up + 1] - t_ms[up]) / (v_mV[up + 1] - v_mV[up])

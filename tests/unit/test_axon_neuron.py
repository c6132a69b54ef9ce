"""utils.axon against NEURON (hines1997) running the same MRG 2002 fibre, built independently from
the same equations and tables (tests/unit/neuron_mrg.py): NEURON's fixed step is backward Euler,
so at the same dt the two engines must give the same spike times to well under a step, and the
same conduction velocity; and both must converge to the same answer as dt shrinks."""

import csv
import functools
import shutil
from pathlib import Path

import numpy as np
import pytest

neuron = pytest.importorskip("neuron")
if shutil.which("make") is None or (shutil.which("gcc") or shutil.which("cc")) is None:
    pytest.skip("nrnivmodl needs make and a C compiler to build the mechanism", allow_module_level=True)

import neuron_mrg  # noqa: E402  (tests/unit, on the path as test_fuzz's fuzz_registry is)

from utils import axon, hh  # noqa: E402

pytestmark = pytest.mark.oracle
ROOT = Path(__file__).resolve().parents[2]

PULSE = (3.0, 0.5, 0.1)  # nA, start ms, duration ms: suprathreshold at node 1 of a 10 µm fibre
PARAMS = axon.AxonParams(n_nodes=21)


@functools.lru_cache(maxsize=None)
def first_spikes(engine: str, dt_ms: float, t_stop_ms: float = 3.0) -> np.ndarray:
    """First spike time (ms) at every node of the 21-node fibre, by ``engine`` ("ours" or
    "neuron") at step ``dt_ms``; NaN at a node the impulse does not reach. Each run once."""
    if engine == "ours":
        r = axon.simulate(hh.Pulse(*PULSE), t_stop_ms, PARAMS, node=1, dt_ms=dt_ms)
        spikes = [neuron_mrg.crossings(r.t_ms, v) for v in r.v_mV]
    else:
        spikes = neuron_mrg.NeuronMRG(PARAMS, 1, *PULSE).run(t_stop_ms, dt_ms)
    return np.array([s[0] if s.size else np.nan for s in spikes])


def test_same_spike_times_as_neuron_at_the_published_step():
    a, b = first_spikes("ours", 0.005), first_spikes("neuron", 0.005)
    assert np.all(np.isfinite(a)) and np.all(np.isfinite(b)), "the impulse reaches every node"
    assert np.max(np.abs(a - b)) < 1e-6  # ms: the same scheme (measured: 1e-10 ms)


def test_both_engines_converge_to_the_same_answer():
    # backward Euler is first order: halving dt from 0.005 to 0.0025 ms moves the far-node time
    # by about as much again as the remaining error; both engines move the same way
    a5, a25 = first_spikes("ours", 0.005), first_spikes("ours", 0.0025)
    b25 = first_spikes("neuron", 0.0025)
    assert np.max(np.abs(a25 - b25)) < 1e-6
    assert 0.005 < a5[-2] - a25[-2] < 0.05  # ms: a real, first-order step effect, and small


def test_same_conduction_velocity_as_neuron():
    a, b = first_spikes("ours", 0.005), first_spikes("neuron", 0.005)
    x_mm = axon.geometry(PARAMS.fibre_diameter_um).node_to_node_um * 1e-3
    cv_ours = x_mm * 10 / (a[15] - a[5])  # mm/ms = m/s over 10 internodes away from the ends
    cv_neuron = x_mm * 10 / (b[15] - b[5])
    assert abs(cv_ours / cv_neuron - 1) < 0.002
    with open(ROOT / "data" / "axon_targets.csv", newline="") as f:
        row = next(r for r in csv.reader(f) if r and r[0] == "median_motor_ncv")
    assert float(row[3]) < cv_ours < float(row[4])  # the median motor NCV band (mean ± 2 SD), m/s

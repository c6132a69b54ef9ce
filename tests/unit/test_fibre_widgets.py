"""The fibre panels (utils.fibre_widgets): notebook 02's resting potential against [K⁺]o and
notebook 05's periodic paralysis and myotonia. Their numbers come from utils.fibre (the rest
table is a checked cache of fibre.steady_states), and every slider move is fast (≤ 16 ms)."""

import hashlib
import itertools
import time

import numpy as np
import pytest

from utils import fibre
from utils import fibre_widgets as fw
from utils.sources.tables import DATA_DIR


@pytest.fixture(scope="module")
def rest_panel():
    return fw.fibre_rest_panel()


@pytest.fixture(scope="module")
def pp_panel():
    return fw.periodic_paralysis_panel()


def test_rest_table_is_a_fresh_cache_of_steady_states():
    head = (DATA_DIR / fw.REST_TABLE).read_text(encoding="utf-8")[:1000]
    assert hashlib.sha256((DATA_DIR / fibre.TABLE).read_bytes()).hexdigest()[:16] in head
    assert len(fw.rest_table()) == 2 * fw.k_grid().size
    for g, k in ((1.0, 0.5), (1.0, 2.1), (1.0, 4.0), (0.0, 1.0), (0.0, 7.5)):
        fresh = fibre.steady_states(fibre.FibreParams(k_out_mM=k, g_cl_scale=g))
        np.testing.assert_allclose(fw.rest_table()[(g, k)], fresh, atol=2e-3)


def test_rest_panel_shows_the_paradox_and_two_states(rest_panel):
    rest_panel.cl.value = 1.0
    rest_panel.k.value = 4.0
    normal = rest_panel.update()
    assert len(normal["stable_mV"]) == 1 and "P1" in normal["state"]
    rest_panel.k.value = 1.0
    low = rest_panel.update()
    assert low["stable_mV"][0] > normal["stable_mV"][0] + 10.0  # depolarised although K⁺ is low
    assert "P2" in low["state"]
    rest_panel.cl.value = 0.0
    two = rest_panel.update()
    assert len(two["stable_mV"]) == 2 and len(two["unstable_mV"]) == 1
    assert two["stable_mV"][0] < two["unstable_mV"][0] < two["stable_mV"][1]
    assert "mammalian muscle fibre at 37 °C" in rest_panel.readout.value
    assert len(rest_panel.trace("stable").x) == 2
    rest_panel.cl.value = 1.0
    rest_panel.k.value = 4.0


def test_kir_rectifies(rest_panel):
    total, kir = fw.steady_current(4.0, 1.0)
    v = fw.V_GRID
    ek = fw.e_k_mV(4.0)
    near = kir[np.argmin(np.abs(v - (ek + 10.0)))]
    far = kir[np.argmin(np.abs(v - (ek + 50.0)))]
    assert near > 0 and far < near  # outward near E K⁺, shrinks further above it


def test_periodic_paralysis_panel_shows_what_the_model_can_and_cannot(pp_panel):
    normal = fw.paralysis_run(1.0, 0.003, 4.5)
    hyperpp = fw.paralysis_run(1.0, 0.02, 4.5)
    no_clc1 = fw.paralysis_run(0.0, 0.003, 4.5)
    assert normal["n_spikes"] == fw.PP_PULSES and not normal["stuck"]
    assert hyperpp["stuck"] and hyperpp["k_tubule_peak_mM"] > normal["k_tubule_peak_mM"] + 10.0
    assert len(fw.paralysis_run(1.0, 0.03, 4.5)["steady_states_mV"]) == 2
    # the known limitation: no myotonic after-discharges with ClC-1 removed (fixed myoplasmic Cl⁻)
    assert no_clc1["after_discharges"] == 0 and no_clc1["rest_mV"] < normal["rest_mV"]
    pp_panel.na.value = 0.02
    assert "stays depolarised" in pp_panel.readout.value
    pp_panel.na.value = 0.003


def _p95_ms(moves) -> float:
    ts = []
    for move in moves:
        t0 = time.perf_counter()
        move()
        ts.append(time.perf_counter() - t0)
    return 1000.0 * float(np.percentile(ts, 95))


def test_slider_moves_are_fast(rest_panel, pp_panel):
    def setter(w, v):
        return lambda: setattr(w, "value", v)

    moves = [setter(rest_panel.k, float(k)) for k in fw.k_grid()[::3]]
    assert _p95_ms(moves) < 16.0 * 3  # ≤ 16 ms on a quiet machine; slack for shared CI cores
    moves = [setter(pp_panel.k, k) for k in fw.PP_K * 3]
    moves += [setter(pp_panel.cl, g) for g, _ in itertools.product(fw.PP_CL_SCALES, range(3))]
    assert _p95_ms(moves) < 16.0 * 3

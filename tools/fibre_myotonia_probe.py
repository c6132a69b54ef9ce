"""Why the fibre model (utils.fibre) gives no myotonic after-discharges: the numbers quoted in the
module docstring's known limitations, measured on the model as it stands.

    PYTHONPATH=$PWD python tools/fibre_myotonia_probe.py          # about 1 minute

Prints, for ClC-1 normal and reduced (g_cl_scale 1, 0.2, 0.1):
1. the rest, and the after-depolarisation 15 and 40 ms after 20 pulses at 20 Hz (22 °C, [K]o 4.5 mM):
   surface potential, [K]TT, the Nav gates h and s, and the 1 ms threshold from that state;
2. the myotonia protocol of tests/unit/test_fibre.py (37 °C, [K]o 4 mM: 25 pulses at 50 Hz, then
   1.5 s): action potentials in the train, after-discharges, peak [K]TT, final potential;
3. the non-inactivating Na⁺ fraction scan (0.003–0.008) with ClC-1 at 0.2 and 1 (22 °C);
4. the most action potentials any 200 ms current step of 2–80 µA/cm² gives (ClC-1 1, 0.2, 0; 37 and
   22 °C; [K]o 4 mM): an after-discharge is repetitive firing under a sustained depolarising drive.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from utils import fibre, hh  # noqa: E402

PULSE = fibre.STANDARD_PULSE_UA_PER_CM2


def after_train(p, n, interval_ms, extra_ms):
    t_last = 5.0 + (n - 1) * interval_ms
    r = fibre.simulate(
        hh.PulseTrain(PULSE, 5.0, 1.0, interval_ms, n), t_last + extra_ms, p, record_dt_ms=0.05
    )
    return r, r.final_state


def main() -> None:
    print("1. after-depolarisation, 22 °C, [K]o 4.5 mM, 20 pulses at 20 Hz")
    for g in (1.0, 0.2, 0.1):
        p = fibre.FibreParams(k_out_mM=4.5, temperature_C=22.0, g_cl_scale=g)
        print(
            f"  g_cl_scale {g}: rest {fibre.steady_states(p)[0]:.1f} mV, 1 ms threshold "
            f"{fibre.threshold_pulse(p):.0f} µA/cm²"
        )
        for extra in (15.0, 40.0):
            r, y = after_train(p, 20, 50.0, extra)
            thr = fibre.threshold_pulse(p, 1.0, initial_state=y)
            print(
                f"    +{extra:.0f} ms: APs {r.n_spikes}/20, V {y[0]:.1f} mV, [K]TT {y[2]:.2f} mM, "
                f"h {y[4]:.3f}, s {y[5]:.3f}, 1 ms threshold {thr:.0f} µA/cm²"
            )
    print("2. myotonia protocol, 37 °C, [K]o 4 mM, 25 pulses at 50 Hz, then 1.5 s")
    end = 5.0 + 25 * 20.0
    for g in (1.0, 0.2, 0.1):
        p = fibre.FibreParams(k_out_mM=4.0, g_cl_scale=g)
        r = fibre.simulate(hh.PulseTrain(PULSE, 5.0, 1.0, 20.0, 25), end + 1500.0, p, record_dt_ms=0.05)
        st = r.spike_times_ms
        print(
            f"  g_cl_scale {g}: rest {r.v_surface_mV[0]:.1f} mV, APs in train {np.sum(st <= end + 2)}/25, "
            f"after-discharges {np.sum(st > end + 2)}, peak [K]TT {r.k_tubule_mM.max():.2f} mM, "
            f"final {r.v_surface_mV[-1]:.1f} mV"
        )
    print("3. non-inactivating Na+ fraction, 22 °C, [K]o 4.5 mM, 20 pulses at 20 Hz, then 1 s")
    end = 5.0 + 20 * 50.0
    for f in (0.003, 0.005, 0.006, 0.007, 0.008):
        for g in (1.0, 0.2):
            p = fibre.FibreParams(
                k_out_mM=4.5, temperature_C=22.0, g_cl_scale=g, na_noninactivating_fraction=f
            )
            r = fibre.simulate(hh.PulseTrain(PULSE, 5.0, 1.0, 50.0, 20), end + 1000.0, p, record_dt_ms=0.1)
            st = r.spike_times_ms
            print(
                f"  fraction {f}, g_cl_scale {g}: APs in train {np.sum(st <= end + 2)}/20, after-discharges "
                f"{np.sum(st > end + 2)}, peak [K]TT {r.k_tubule_mM.max():.1f} mM, final {r.v_surface_mV[-1]:.1f} mV"
            )
    print("4. most APs in a 200 ms current step of 2-80 µA/cm², [K]o 4 mM")
    for temp in (37.0, 22.0):
        for g in (1.0, 0.2, 0.0):
            p = fibre.FibreParams(k_out_mM=4.0, temperature_C=temp, g_cl_scale=g)
            n = [
                (fibre.simulate(hh.Step(float(a), 5.0, 200.0), 210.0, p, record_dt_ms=0.1).n_spikes, a)
                for a in np.arange(2.0, 80.1, 2.0)
            ]
            most = max(c for c, _ in n)
            first = min(a for c, a in n if c == most)
            print(f"  {temp:g} °C, g_cl_scale {g}: at most {most} AP(s) (first at {first:g} µA/cm²)")


if __name__ == "__main__":
    main()

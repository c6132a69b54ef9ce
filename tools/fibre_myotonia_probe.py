"""Why the fibre model (utils.fibre) gives no myotonic after-discharges: the numbers quoted in the
module docstring's known limitations, measured on the model as it stands.

    PYTHONPATH=$PWD python tools/fibre_myotonia_probe.py          # about 15 s
    PYTHONPATH=$PWD python tools/fibre_myotonia_probe.py 5 8      # only sections 5 and 8

Sections, for ClC-1 normal and reduced (g_cl_scale 1 and below):
1. the rest, and the after-depolarisation 15 and 40 ms after 20 pulses at 20 Hz (22 °C, [K]o 4.5 mM):
   surface potential, [K]TT, the Nav gates h and s, and the 1 ms threshold from that state;
2. the myotonia protocol of tests/unit/test_fibre.py (37 °C, [K]o 4 mM: 25 pulses at 50 Hz, then
   1.5 s): action potentials in the train, after-discharges, peak [K]TT, final potential;
3. the non-inactivating Na⁺ fraction scan (0.003–0.008) with ClC-1 at 0.2 and 1 (22 °C);
4. the most action potentials any 200 ms current step of 2–80 µA/cm² gives (ClC-1 1, 0.2, 0; 37 and
   22 °C; [K]o 4 mM): an after-discharge is repetitive firing under a sustained depolarising drive;
5. myoplasmic Cl⁻ at its flux steady state (NKCC1 influx = ClC-1 efflux, as the source's program
   sets its initial conditions; CL-DOC p8) instead of held at 5.674 mM: [Cl⁻]i, rest, after-discharges
   following a train (37 °C: 25 pulses at 50 Hz; 22 °C: 20 pulses at 20 Hz);
6. the resting T-tubular K⁺ against the bath (the source's file: 4.559 mM in a 4.5 mM bath);
7. Kotsias 1986 (rat soleus, Cl⁻-free): repetitive APs after a single depolarising pulse; here ClC-1 0
   and one 1 ms pulse at twice its threshold;
8. the Cannon lab's own demonstration (README figure of Cannon-Lab/Muscle-Fiber-Simulation, 100 ms
   current step): wild type one AP; slowed fast inactivation ('SCM') a train during the step and
   after-discharges at about 20 Hz; a large non-inactivating fraction ('HyperPP') a burst, then a
   plateau near -30 mV. Here: entry into fast inactivation slowed 2-5x, and fractions 0.01-0.02;
9. what-if runs that are NOT source values (each changes one row of data/fibre_parameters.csv for
   the run only): Kdr density x2-x5; h_inf and its rates +10 mV (the native-fibre midpoint, about
   -70 mV: Ruff 1996, J Physiol, rat soleus); m and h together; h +10 mV with Kdr x3 (the only
   combination found that fires after-discharges at 37 °C). After-discharges at ClC-1 1 and 0.3;
10. what holds the fibre after an AP: the current balance (µA/cm² of sarcolemma, T-tubule × γ) on
   the plateau 95 ms into the section-2 train with ClC-1 at 0.2 (37 °C), and the gates there.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from scipy.optimize import brentq

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from utils import fibre, hh  # noqa: E402

PULSE = fibre.STANDARD_PULSE_UA_PER_CM2


def after_train(p, n, interval_ms, extra_ms):
    t_last = 5.0 + (n - 1) * interval_ms
    r = fibre.simulate(
        hh.PulseTrain(PULSE, 5.0, 1.0, interval_ms, n), t_last + extra_ms, p, record_dt_ms=0.05
    )
    return r, r.final_state


def count(r, end_ms):
    """(APs up to end_ms + 2 ms, after-discharges after it, their median rate in Hz or nan)."""
    st = r.spike_times_ms
    after = st[st > end_ms + 2.0]
    rate = 1000.0 / np.median(np.diff(after)) if after.size >= 2 else float("nan")
    return int(np.sum(st <= end_ms + 2.0)), int(after.size), rate


def train_counts(p, extra_ms=1500.0):
    """The train of section 2 at 37 °C (25 pulses at 50 Hz); that of section 1 at lower
    temperatures (20 pulses at 20 Hz: at 22 °C the fibre does not follow 50 Hz)."""
    n, interval_ms = (25, 20.0) if p.temperature_C >= 30.0 else (20, 50.0)
    end = 5.0 + n * interval_ms
    r = fibre.simulate(hh.PulseTrain(PULSE, 5.0, 1.0, interval_ms, n), end + extra_ms, p, record_dt_ms=0.05)
    return (*count(r, end), float(r.v_surface_mV[-1]))


def step_counts(p, amp, duration_ms, extra_ms):
    end = 5.0 + duration_ms
    r = fibre.simulate(hh.Step(amp, 5.0, duration_ms), end + extra_ms, p, record_dt_ms=0.05)
    return (*count(r, end), float(r.v_surface_mV[-1]))


def cl_influx(p):
    """Net Cl⁻ influx at the rest (µA/cm² of sarcolemma as a current): NKCC1 (2 Cl⁻ per K⁺, the
    sarcolemma and γ × the T-tubule) minus the ClC-1 efflux."""
    y = fibre.resting_state(p)
    c = fibre._constants(p)
    per_k = fibre.F * fibre._P["nkcc_j0_pmol_per_cm2_s"] * 1e-6 * p.nkcc_scale * p.transport_factor
    total = 0.0
    for v, k_out, tubule, area, ratio in (
        (y[0], p.k_out_mM, False, 1.0, 1.0),
        (y[1], y[2], True, p.gamma, p.nkcc_tubule_ratio),
    ):
        i_cl = fibre.currents_at(v, k_out, p, tubule=tubule)["cl"][0]  # outward current = Cl⁻ influx
        total += area * (2.0 * per_k * ratio * (c[fibre._NKCC_CONST] + np.log(k_out)) + i_cl)
    return total


def steady_cl_in_mM(p):
    """[Cl⁻]i (mM) at which NKCC1 influx balances ClC-1 efflux at the rest; None if not bracketed."""

    def f(cl):
        q = p.replace(cl_in_mM=cl)
        return cl_influx(q) if fibre.steady_states(q) else float("nan")

    grid = np.arange(3.0, 30.0, 0.5)
    vals = [f(x) for x in grid]
    for a, b, fa, fb in zip(grid[:-1], grid[1:], vals[:-1], vals[1:]):
        if np.isfinite(fa) and np.isfinite(fb) and fa > 0.0 >= fb:
            return brentq(f, a, b, xtol=1e-3)
    return None


@contextmanager
def table_changes(**rows):
    """Run with some rows of data/fibre_parameters.csv changed (a what-if, not a source value):
    the module's table, gate grid and caches are swapped for the run and restored after it."""
    saved = dict(fibre._P)
    saved_grid = fibre._XINF_GRID, fibre._TAU_GRID
    caches = (fibre._tables, fibre._constants, fibre._steady_states, fibre._excitability)
    try:
        fibre._P.update(rows)
        fibre._XINF_GRID, fibre._TAU_GRID = fibre.gates_steady_state(fibre._VGRID)
        for cache in caches:
            cache.cache_clear()
        yield
    finally:
        fibre._P.clear()
        fibre._P.update(saved)
        fibre._XINF_GRID, fibre._TAU_GRID = saved_grid
        for cache in caches:
            cache.cache_clear()


def shifted(d_m_mV=0.0, d_h_mV=0.0):
    """Table rows with m_inf³ (and its rates) moved by d_m_mV and h_inf (and its rates) by d_h_mV."""
    rows = {}
    for keys, d in (
        (("m_na_half_mV", "am_na_v_mV", "bm_na_v_mV"), d_m_mV),
        (("h_na_half_mV", "ah_na_v_mV", "bh_na_v_mV"), d_h_mV),
    ):
        rows.update({k: fibre._P[k] + d for k in keys})
    return rows


def fmt(c):
    n_in, n_after, rate, final = c
    r = f" at {rate:.0f} Hz" if np.isfinite(rate) else ""
    return f"{n_in} AP(s), {n_after} after-discharge(s){r}, final {final:.0f} mV"


def section1():
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


def section2():
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


def section3():
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


def section4():
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


def section5():
    print(
        "5. [Cl-]i at its flux steady state (NKCC1 = ClC-1), [K]o 4 mM; train (37 °C 50 Hz x 25, 22 °C 20 Hz x 20), then 1.5 s"
    )
    for temp in (37.0, 22.0):
        for g in (1.0, 0.3, 0.1):
            p = fibre.FibreParams(k_out_mM=4.0, temperature_C=temp, g_cl_scale=g)
            held = fibre.steady_states(p)[0]
            cl = steady_cl_in_mM(p)
            if cl is None:
                print(f"  {temp:g} °C, g_cl_scale {g}: no steady [Cl-]i between 3 and 30 mM")
                continue
            q = p.replace(cl_in_mM=round(cl, 3))
            e_cl = -fibre._constants(q)[fibre._VT] * np.log(q.cl_out_mM / cl)
            print(
                f"  {temp:g} °C, g_cl_scale {g}: [Cl-]i {cl:.1f} mM (E_Cl {e_cl:.1f} mV), rest "
                f"{fibre.steady_states(q)[0]:.1f} mV (held 5.674 mM: {held:.1f} mV); {fmt(train_counts(q))}"
            )


def section6():
    print("6. resting [K]TT against the bath (source file: 4.559 mM in 4.5 mM)")
    for temp in (22.0, 37.0):
        for k in (4.0, 4.5):
            y = fibre.resting_state(fibre.FibreParams(k_out_mM=k, temperature_C=temp))
            print(f"  {temp:g} °C, [K]o {k} mM: [K]TT {y[2]:.2f} mM ({y[2] - k:+.2f} mM), rest {y[0]:.1f} mV")


def section7():
    print("7. Kotsias 1986: ClC-1 0, one 1 ms pulse at 2x threshold, then 1 s ([K]o 4 mM)")
    for temp in (37.0, 22.0):
        for g in (1.0, 0.0):
            p = fibre.FibreParams(k_out_mM=4.0, temperature_C=temp, g_cl_scale=g)
            amp = 2.0 * fibre.threshold_pulse(p)
            r = fibre.simulate(hh.Pulse(amp, 5.0, 1.0), 1006.0, p, record_dt_ms=0.05)
            print(
                f"  {temp:g} °C, g_cl_scale {g}: rest {r.v_surface_mV[0]:.1f} mV, pulse {amp:.0f} µA/cm²: "
                f"{fmt((*count(r, 6.0), float(r.v_surface_mV[-1])))}"
            )


def section8():
    print("8. the Cannon lab's demonstration, 100 ms step then 400 ms, [K]o 4.5 mM, 22 °C")
    print(
        "   (source figure: WT 1 AP; SCM a train and ~20 Hz after-discharges; HyperPP a burst, then -30 mV)"
    )
    p = fibre.FibreParams(k_out_mM=4.5, temperature_C=22.0)
    amps = (10.0, 20.0, 40.0)
    for slow in (1.0, 2.0, 3.0, 5.0):
        with table_changes(bh_na_rate_per_ms=fibre._P["bh_na_rate_per_ms"] / slow):
            for g in (1.0, 0.2):
                q = p.replace(g_cl_scale=g)
                runs = "; ".join(f"{a:g} µA/cm²: {fmt(step_counts(q, a, 100.0, 400.0))}" for a in amps)
                print(f"  inactivation entry /{slow:g}, g_cl_scale {g}: {runs}")
    for f in (0.01, 0.02):
        q = p.replace(na_noninactivating_fraction=f)
        runs = "; ".join(f"{a:g} µA/cm²: {fmt(step_counts(q, a, 100.0, 400.0))}" for a in amps)
        print(f"  non-inactivating fraction {f}: {runs}")


def section9():
    print(
        "9. what-if (not source values), [K]o 4 mM: train as in 5, then 1.5 s; 200 ms steps of 15 and 30 µA/cm², then 0.5 s"
    )
    cases = [(f"Kdr x{k:g}", {"p_kdr_cm_per_s": fibre._P["p_kdr_cm_per_s"] * k}) for k in (2.0, 5.0)]
    cases += [
        ("h +10 mV", shifted(0.0, 10.0)),
        ("m +5, h +10 mV", shifted(5.0, 10.0)),
        ("m +10, h +20 mV", shifted(10.0, 20.0)),
        ("h +10 mV and Kdr x3", {**shifted(0.0, 10.0), "p_kdr_cm_per_s": fibre._P["p_kdr_cm_per_s"] * 3.0}),
    ]
    for name, rows in cases:
        with table_changes(**rows):
            for temp in (37.0, 22.0):
                for g in (1.0, 0.3):
                    p = fibre.FibreParams(k_out_mM=4.0, temperature_C=temp, g_cl_scale=g)
                    print(
                        f"  {name}, {temp:g} °C, g_cl_scale {g}: train {fmt(train_counts(p))}; "
                        f"step 15 {fmt(step_counts(p, 15.0, 200.0, 500.0))}; "
                        f"step 30 {fmt(step_counts(p, 30.0, 200.0, 500.0))}"
                    )


def components(p, v, k_out, tubule, gates):
    """Currents (µA/cm² of that membrane) of each channel type at potential v with these gates."""
    gates = np.asarray(gates, float).reshape(7, 1)

    def total(**zero):
        g = gates.copy()
        for j in zero.values():
            g[j] = 0.0
        return fibre.currents_at(v, k_out, p, tubule=tubule, gates=g)

    d = total()
    k_no_kdr, k_no_kcnq = total(n=3)["k"][0], total(q=5)["k"][0]
    out = {"Na": d["total"][0] - d["k"][0] - d["pump"][0] - d["cl"][0]}
    out["Kdr"] = d["k"][0] - k_no_kdr
    out["KCNQ"] = d["k"][0] - k_no_kcnq
    out["Kir"] = d["k"][0] - out["Kdr"] - out["KCNQ"]
    out["ClC-1"], out["pump"] = d["cl"][0], d["pump"][0]
    return out


def section10():
    print("10. current balance on the plateau, 37 °C, [K]o 4 mM, ClC-1 0.2, 95 ms into the section-2 train")
    p = fibre.FibreParams(k_out_mM=4.0, g_cl_scale=0.2)
    y = fibre.simulate(hh.PulseTrain(PULSE, 5.0, 1.0, 20.0, 25), 100.0, p).final_state
    surface = components(p, y[0], p.k_out_mM, False, y[3:10])
    tubule = components(p, y[1], y[2], True, y[10:17])
    print(
        f"  Vs {y[0]:.1f} mV, Vt {y[1]:.1f} mV, [K]TT {y[2]:.2f} mM; surface gates m {y[3]:.2f} h {y[4]:.4f} n {y[6]:.2f}"
    )
    for name in surface:
        both = surface[name] + p.gamma * tubule[name]
        print(
            f"  {name}: {surface[name]:+.1f} (surface) {p.gamma * tubule[name]:+.1f} (T-tubule) = {both:+.1f} µA/cm²"
        )


SECTIONS = (
    section1,
    section2,
    section3,
    section4,
    section5,
    section6,
    section7,
    section8,
    section9,
    section10,
)


def main(argv=()) -> None:
    chosen = [int(a) for a in argv] or range(1, len(SECTIONS) + 1)
    for i in chosen:
        SECTIONS[i - 1]()


if __name__ == "__main__":
    main(sys.argv[1:])

"""utils.checks: every checker passes the model solution and gives the right hint for two typical
wrong answers (issue 18, item 3). The solutions are the notebooks' own solution code."""

import math

import nbformat
import numpy as np
import pytest

from utils import (
    checks,
    electrolytes,
    emg,
    hh,
    hh_widgets,
    membrane,
    muscle,
    muscle_widgets,
    nmj,
    recordings,
    series,
    syndromes,
)


def _fit(**kw):
    twitch = recordings.try_load(recordings.load_force, "twitch")
    if twitch is None:
        pytest.skip("twitch recording not available")
    return muscle.fit_twitch(twitch.time_s, twitch.force_mN, twitch.stimulus_times_s[0], **kw)


def sol_01_1():
    rates = np.arange(1, 101)
    curve = muscle.force_rate_curve(rates, T_ms=30)
    return int(rates[curve["fusion_index"].to_numpy() >= 0.95][0]), muscle_widgets.R_HALF / 0.030


def sol_01_2():
    f = _fit(fit_latency=False)
    return f.T_ms, f.r_squared


def sol_02_1():
    return membrane.nernst_mV(20, 400, 1, 6.3), membrane.nernst_mV(20, 400, 1, 20)


def sol_03_1():
    th = [hh.threshold_pulse(d) for d in (0.5, 1.0, 2.0)]
    return th, [a * d for a, d in zip(th, (0.5, 1.0, 2.0), strict=True)]


def sol_03_2():
    out = []
    for T in (6.3, 18.5):
        run = hh.instantaneous_depolarisation(15, params=hh.HHParams(temperature_C=T))
        out.append(hh_widgets.spike_half_width_ms(run.t_ms, run.v_mV)["half_width_ms"])
    return tuple(out)


def sol_03_3():
    return tuple(hh.voltage_clamp_summary([0], v_hold_mV=h).peak_g_Na_mS_per_cm2.iloc[0] for h in (-65, -55))


def sol_04_1():
    return (list(198 * nmj.poisson_quanta(np.log(198 / 18))[:4]),)


def sol_04_2():
    ca = np.round(np.arange(0.30, 1.21, 0.01), 2)
    t = nmj.transmission(ca, 0.85)
    mg = np.round(np.arange(0.5, 10, 0.05), 2)
    u = nmj.transmission(1.2, mg)
    return t[t.safety_factor < 1].ca_mM.max(), u[u.safety_factor < 1].mg_mM.min()


def _spectra(key):
    out = []
    for name in recordings.EMG_CONDITIONS:
        rec = recordings.try_load(recordings.load_emg, name)
        if rec is None:
            pytest.skip("EMG records not available")
        out.append(emg.spectral_frequencies(emg.power_spectrum(rec.signal_mV, rec.fs_Hz), 10.0)[key])
    return tuple(out)


def sol_05_1():
    corr = electrolytes.corrected_calcium_mg_dL(7.6, 2.4)
    return (
        electrolytes.convert(7.6, "calcium_total", "mg/dL", "mmol/L"),
        corr,
        electrolytes.classify(corr, "calcium_total", "mg/dL").category,
    )


def sol_05_2():
    h = electrolytes.consequences(electrolytes.SerumProfile(potassium_mmol_L=9.2)).h_rest
    return 9.0, 9.2, h


def sol_06_2():
    return ([syndromes.simulate_fasciculation(0.3, duration_s=60, seed=s).n_spikes for s in range(20)],)


DIARY = "date,time,location,duration_s\n2024-05-01,08:00,eyelid,30\n2024-05-01,25:00,eyelid,30\n"

# checker, model solution (a function returning its arguments), two typical wrong answers with the
# words their hint must contain
CASES = {
    "check_fusion_rates": (sol_01_1, [((17, 7.8), "slow unit"), ((52, 0.0234), "in seconds")]),
    "check_fit_without_latency": (
        sol_01_2,
        [(lambda: (_fit().T_ms, _fit().r_squared), "fit_latency=False"), ((13.8, 93.4), "not a per cent")],
    ),
    "check_squid_ek": (sol_02_1, [((72.1, 75.7), "swapped"), ((-72.1, -80.1), "37 °C")]),
    "check_threshold_charges": (
        sol_03_1,
        [
            (
                lambda: (sol_03_1()[0], [a / d for a, d in zip(sol_03_1()[0], (0.5, 1, 2), strict=True)]),
                "not amplitude ÷",
            ),
            (lambda: (sol_03_1()[0][::-1], sol_03_1()[1]), "reverse order"),
        ],
    ),
    "check_warm_spike": (
        sol_03_2,
        [(lambda: sol_03_2()[::-1], "swapped"), (lambda: (sol_03_2()[0], sol_03_2()[0]), "HHParams")],
    ),
    "check_inactivation": (
        sol_03_3,
        [(lambda: sol_03_3()[::-1], "swapped"), ((29.1, 29.1), "v_hold_mV=-55")],
    ),
    "check_poisson_counts": (
        sol_04_1,
        [
            (lambda: (list(nmj.poisson_quanta(np.log(198 / 18))[:4]),), "multiply"),
            (lambda: (list(198 * nmj.poisson_quanta(198 / 18)[:4]),), "ln(198/18)"),
        ],
    ),
    "check_safety_limits": (sol_04_2, [((3.25, 0.74), "swapped"), ((1.3, 3.25), "below 1.2")]),
    "check_median_frequencies": (
        lambda: _spectra("median_Hz"),
        [(lambda: _spectra("mean_Hz"), "mean frequencies"), (lambda: (96, 236, 400), "neuropathy")],
    ),
    "check_corrected_calcium": (
        sol_05_1,
        [((30.5, 8.88, "normal"), "divide by 4.008"), ((1.90, 6.32, "low"), "adds, not subtracts")],
    ),
    "check_block_onset": (sol_05_2, [((9.0, 9.2, 13), "fraction"), ((9.0, 9.2, 0.60), "normal potassium")]),
    "check_neuromyotonia_onsets": (
        lambda: (0.66, 0.60),
        [((0.637, 0.637), "one axon"), ((0.671, 0.607), "grid values")],
    ),
    "check_fasciculation_counts": (
        sol_06_2,
        [(([18] * 20,), "different seed"), (([6, 5, 7, 4, 8, 6, 5, 6, 7, 6] * 2,), "duration_s=60")],
    ),
    "check_diary_text": (
        lambda: (DIARY,),
        [
            ((DIARY.replace("25:00", "09:00"),), "Both rows were accepted"),
            ((DIARY.replace("08:00", "8am"),), "first row"),
        ],
    ),
}


def _args(x):
    return x() if callable(x) else x


def test_every_exercise_has_a_tested_checker():
    assert sorted(checks.EXERCISES.values()) == sorted(CASES)
    for name in CASES:
        assert callable(getattr(checks, name))


@pytest.mark.parametrize("stem, label", sorted(checks.EXERCISES))
def test_every_checked_exercise_exists_in_its_notebook(stem, label):
    nb = nbformat.read(series.NOTEBOOK_DIR / f"{stem}.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert f"**Exercise {label}." in text


@pytest.mark.parametrize("name", sorted(CASES))
def test_checker_passes_the_model_solution(name):
    fb = getattr(checks, name)(*_args(CASES[name][0]))
    assert fb.ok, fb.message
    assert str(fb).startswith("✔ Right.") and "Right." in fb._repr_html_()


@pytest.mark.parametrize(
    "name, k",
    [(n, k) for n in sorted(CASES) for k in (0, 1)],
    ids=[f"{n}-wrong{k}" for n in sorted(CASES) for k in (0, 1)],
)
def test_checker_hints_at_a_typical_mistake(name, k):
    args, words = CASES[name][1][k]
    fb = getattr(checks, name)(*_args(args))
    assert not fb.ok
    assert words in fb.message, fb.message
    assert str(fb).startswith("✘ Not yet.")


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_blank_scaffold_asks_to_fill_in(name):
    n = len(_args(CASES[name][0]))
    fb = getattr(checks, name)(*([...] * n))
    assert not fb.ok and fb.message == checks.FILL_IN


def test_checker_never_prints_the_answer():
    fb = checks.check_squid_ek(-70.0, -75.7)
    assert not fb.ok and "72.1" not in fb.message and "too high" in fb.message


def test_neuromyotonia_constants_match_the_model():
    """The slow sweep, only at the edges: 0.67 none, 0.66 at least one, 0.61 fewer than six, 0.60 all six."""
    n = {
        f: syndromes.simulate_neuromyotonia(f).summary["axons_after_discharging"]
        for f in (0.67, 0.66, 0.61, 0.60)
    }
    assert n[0.67] == 0 and n[0.66] >= 1 and n[0.61] < 6 and n[0.60] == 6
    assert checks.NEUROMYOTONIA_FIRST == 0.66 and checks.NEUROMYOTONIA_ALL == 0.60
    assert math.isclose(
        syndromes.after_discharge_gk_fraction(tol=1e-3), checks.NEUROMYOTONIA_ONE_AXON, abs_tol=0.002
    )

"""Regression tests for issue 19: each reproducer of the issue, now refused or bounded.

Everything here must finish in a few seconds: a hang is turned into a failure by the subprocess
helper (``bounded``), which runs the call in a child with a wall-clock timeout and a memory cap.
"""

import math
import time
import warnings

import numpy as np
import pytest
from fuzz_registry import run_bounded

from utils import ParameterError, emg, hh, hh_widgets, muscle, nmj, references, series
from utils.sources import ddf, diary, tables
from utils.validation import UnknownKeyError, check_array, check_choice, check_int, check_range, show


# ----------------------------------------------------------------------------- infinite loops
def test_bisect_edge_with_tol_zero_ends_at_the_edge():
    assert hh.bisect_edge(lambda x: x > 3.0, 0.0, 10.0, tol=0.0) == 3.0
    calls = []
    hh.bisect_edge(lambda x: calls.append(x) or x > 3.0, -1.7e308, 1.7e308, tol=0.0)
    assert len(calls) <= hh.MAX_BISECTIONS


@pytest.mark.parametrize(
    "lo,hi,tol,name",
    [
        (-math.inf, 10.0, 1e-3, "lo"),
        (0.0, math.inf, 1e-3, "hi"),
        (0.0, math.nan, 1e-3, "hi"),
        (0.0, 10.0, math.nan, "tol"),
        (0.0, 10.0, -1.0, "tol"),
        (5.0, 1.0, 1e-3, "hi"),
    ],
)
def test_bisect_edge_refuses_unbounded_brackets(lo, hi, tol, name):
    with pytest.raises(ParameterError, match=rf"^{name}\b"):
        hh.bisect_edge(lambda x: x > 3.0, lo, hi, tol)


def test_paired_threshold_with_tol_zero_returns():
    """hh_widgets.paired_threshold(10.0, tol_uA=0.0) used to bisect for ever; it now refuses the
    tolerance at once, naming tol_uA and its range (and hh.bisect_edge itself is bounded)."""
    out = run_bounded("utils.panels.hh_widgets.paired_threshold", (10.0,), {"tol_uA": 0.0}, timeout_s=60)
    assert out["outcome"] == "parameter_error", out
    with pytest.raises(ParameterError, match="tol_uA"):
        hh_widgets.paired_threshold(10.0, tol_uA=0.0)


@pytest.mark.parametrize("lag", [10**9, math.inf, -1, 2.5, "8", None])
def test_cluster_potentials_refuses_huge_or_odd_max_lag(lag):
    S = np.random.default_rng(0).normal(size=(40, 30))
    t0 = time.perf_counter()
    with pytest.raises(ParameterError, match="max_lag"):
        emg.cluster_potentials(S, max_lag=lag)
    assert time.perf_counter() - t0 < 2


def test_cluster_potentials_refuses_huge_windows_and_non_finite_snippets():
    with pytest.raises(ParameterError, match="snippets"):
        emg.cluster_potentials(np.zeros((3, emg.MAX_WINDOW_SAMPLES + 1)))
    with pytest.raises(ParameterError, match=r"snippets\[0, 1\]"):
        emg.cluster_potentials(np.array([[0.0, np.nan], [1.0, 2.0]]))
    with pytest.raises(ParameterError, match="snippets"):
        emg.cluster_potentials([[1j, 2j]])


# ----------------------------------------------------------------------------- cost limits
def test_rheobase_tiny_dt_is_refused_at_once_with_the_limit():
    t0 = time.perf_counter()
    with pytest.raises(ParameterError, match=r"dt_ms.*cost limit of 20,000,000 steps") as ei:
        hh.rheobase(dt_ms=1e-5)
    assert time.perf_counter() - t0 < 1
    assert "dt_ms ≥" in str(ei.value) and "responsive" in str(ei.value)


def test_threshold_pulse_tiny_dt_long_window_is_refused_at_once():
    t0 = time.perf_counter()
    with pytest.raises(ParameterError, match="window_ms"):
        hh.threshold_pulse(dt_ms=1e-5, window_ms=1000)
    assert time.perf_counter() - t0 < 1


def test_other_searches_have_the_same_budget():
    with pytest.raises(ParameterError, match="t_stop_ms"):
        hh.firing_onset(t_stop_ms=1e5, dt_ms=0.01)
    with pytest.raises(ParameterError, match="intervals_ms"):
        hh.refractory_curve(np.linspace(1, 1000, 500))
    with pytest.raises(ParameterError, match="i_uA_per_cm2"):
        hh.fi_curve(np.linspace(0, 50, 2000), t_stop_ms=1000)
    with pytest.raises(ParameterError, match="t_stop_ms"):
        hh.simulate(hh.Pulse(20), t_stop_ms=1e6, dt_ms=0.01)


def test_firing_rates_table_is_capped_in_memory():
    pool = muscle.make_pool(n_units=2000)
    with pytest.raises(ParameterError, match=r"excitation.*memory limit of 5,000,000") as ei:
        muscle.firing_rates_Hz(np.full(10**6, 20.0), pool=pool)
    assert "at most 2,500 excitation values" in str(ei.value)
    with pytest.raises(ParameterError, match="memory limit"):
        muscle.steady_force_au(np.full(10**6, 20.0), pool=pool)
    assert muscle.firing_rates_Hz(np.full(2500, 20.0), pool=pool).shape == (2500, 2000)


def test_diary_header_check_is_linear_and_capped():
    t0 = time.perf_counter()
    with pytest.raises(diary.DiaryError, match=r"8,000 columns; at most 100"):
        diary.parse_diary(",".join(f"c{i}" for i in range(8000)) + "\n")
    with pytest.raises(diary.DiaryError, match="columns"):
        diary.parse_bytes((",".join(f"c{i}" for i in range(140_000)) + "\n").encode()[: diary.MAX_BYTES])
    assert time.perf_counter() - t0 < 2


# ----------------------------------------------------------------------------- validation
def _id(v) -> str:
    return f"{type(v).__name__}:{show(v)[:20]}"


HOSTILE = [
    10**400,
    -(10**400),
    10**5000,
    5e-324,
    math.nan,
    math.inf,
    -math.inf,
    True,
    False,
    1j,
    "3",
    "",
    None,
    (),
    [],
    [1.0],
    {},
    object(),
    np.array([1.0, 2.0]),
    np.complex128(1),
    np.bool_(True),
    b"1",
]


@pytest.mark.parametrize("value", HOSTILE, ids=_id)
def test_check_range_refuses_everything_odd_with_parameter_error(value):
    with pytest.raises(ParameterError, match=r"^x\b"):
        check_range(value, "x", "mM", lo=0.0, hi=10.0, lo_open=True)


@pytest.mark.parametrize("value", HOSTILE + [2.5, -1], ids=_id)
def test_check_int_refuses_everything_odd_with_parameter_error(value):
    with pytest.raises(ParameterError, match=r"^k\b"):
        check_int(value, "k", lo=0, hi=10)


@pytest.mark.parametrize(
    "value",
    [
        None,
        "abc",
        b"ab",
        [1j],
        ["1"],
        [[1.0], [2.0]],
        [1.0, [2.0]],
        [10**400],
        [True],
        [math.nan],
        [5e-324],
        np.ones((2, 2)),
        np.array(["1"]),
        {1: 2},
        {1.0},
        [object()],
        np.array([1 + 0j]),
    ],
    ids=_id,
)
def test_check_array_refuses_everything_odd_with_parameter_error(value):
    with pytest.raises(ParameterError, match=r"^xs\b"):
        check_array(value, "xs", "mM", lo=0.0, hi=10.0, lo_open=True)


def test_valid_values_still_pass():
    assert check_range(np.array(2.0), "x", lo=0) == 2.0
    assert check_range(np.float32(1.5), "x") == 1.5
    assert check_int(3.0, "k") == 3 and check_int(np.int64(4), "k") == 4
    np.testing.assert_array_equal(check_array((1, 2), "xs"), [1.0, 2.0])
    assert check_choice(np.str_("healthy"), "c", ("healthy", "myopathy")) == "healthy"
    for bad in (None, ["healthy"], np.array(["healthy"]), 1):
        with pytest.raises(ParameterError, match="^c = "):
            check_choice(bad, "c", ("healthy", "myopathy"))


def test_subnormal_concentration_is_refused_not_minus_inf():
    from utils import membrane

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ParameterError, match="c_out_mM.*subnormal"):
            membrane.nernst_mV(c_out_mM=5e-324, c_in_mM=155, valence=1, temperature_C=37)


def test_huge_ints_are_parameter_errors_everywhere():
    from utils import membrane

    with pytest.raises(ParameterError, match="c_out_mM"):
        membrane.nernst_mV(c_out_mM=10**400, c_in_mM=155, valence=1, temperature_C=37)
    with pytest.raises(ParameterError, match="duration_ms"):
        hh.rheobase(duration_ms=10**400)


def test_errors_name_the_parameter_the_caller_passed():
    with pytest.raises(ParameterError, match=r"^mg_ref_mM = 500 mM"):
        nmj.relative_release(1.2, mg_ref_mM=500)
    with pytest.raises(ParameterError, match=r"^ca_mM"):
        nmj.relative_release(-1.0)
    assert nmj.relative_release(1.2) == 1.0


@pytest.mark.parametrize(
    "name", ["../../../etc/passwd", "/etc/passwd", "../README.md", "..", "", "a\x00b", 3]
)
def test_read_table_refuses_paths_outside_data(name):
    with pytest.raises(UnknownKeyError, match="name"):
        tables.read_table(name)


def test_unknown_keys_raise_a_documented_error_that_is_both_kinds():
    for call in (
        lambda: references.get("nope"),
        lambda: references.get(["x"]),
        lambda: series.get("x.ipynb"),
    ):
        with pytest.raises(UnknownKeyError) as ei:
            call()
        assert isinstance(ei.value, ParameterError) and isinstance(ei.value, KeyError)
        assert not str(ei.value).startswith("'")  # a readable message, not KeyError's quoted repr


# ----------------------------------------------------------------------------- the ddf parser
DDF_HEAD = (
    "DMCv5.3 Data File\nSample Frequency (Hz): 10000\nCalibration Data:\nChannel\tAI0\tAI1\n"
    "Units\tmm\tmN\nScale (units/V)\t1.0\t500.0\nOffset (volts)\t{offset}\t0.0\nTest Comments:\n\n"
    "Protocol Array:\n\n0.000000\tStimulus-Twitch\tStimulator\t.1,.2\n{stop}\n\nTest Data in Volts:\n\n"
    "Sample\tAI0\tAI1\tStim\n"
)


def _ddf(offset="0.0", stop="0.000400\tStop", n=4):
    rows = "".join(f"{k}\t0.1\t0.2\t0\n" for k in range(n)) + f"{n}\t0\t0\t0\n"
    return DDF_HEAD.format(offset=offset, stop=stop) + rows


def test_ddf_synthetic_parses():
    d = ddf.parse_ddf(_ddf())
    assert d.n_samples == 4 and np.isfinite(d.channel("AI0")).all()


@pytest.mark.parametrize("offset", ["nan", "inf", "-inf", "NaN", "1e999", "1_0", "0x10", "infinity"])
def test_ddf_non_finite_calibration_is_refused(offset):
    with pytest.raises(ddf.DDFFormatError, match=r"line 7: offset of AI0"):
        ddf.parse_ddf(_ddf(offset=offset), "x.ddf")


@pytest.mark.parametrize("stop", ["nan\tStop", "inf\tStop", "-1\tStop", "1e300\tStop"])
def test_ddf_non_finite_protocol_is_a_format_error(stop):
    with pytest.raises(ddf.DDFFormatError, match="protocol wait time"):
        ddf.parse_ddf(_ddf(stop=stop), "x.ddf")


def test_ddf_without_stop_row_is_refused():
    with pytest.raises(ddf.DDFFormatError, match="no 'Stop' row"):
        ddf.parse_ddf(_ddf(stop="0.000400\tWait"), "x.ddf")


@pytest.mark.parametrize("value", ["nan", "inf", "1_0", "1e7"])
def test_ddf_data_values_must_be_plain_and_bounded(value):
    text = _ddf().replace("2\t0.1\t0.2\t0", f"2\t{value}\t0.2\t0")
    with pytest.raises(ddf.DDFFormatError, match="line 20"):
        ddf.parse_ddf(text, "x.ddf")


def test_ddf_indented_sample_rate_line_is_a_format_error_not_stop_iteration():
    text = _ddf().replace("Sample Frequency (Hz): 10000", " Sample Frequency (Hz): 10000")
    assert ddf.parse_ddf(text).fs_Hz == 10000
    with pytest.raises(ddf.DDFFormatError):
        ddf.parse_ddf(text.replace("10000", "nan", 1))


def test_ddf_refuses_non_text():
    with pytest.raises(ddf.DDFFormatError):
        ddf.parse_ddf(b"DMC Data File")


# ----------------------------------------------------------------------------- the diary
DIARY_HEAD = "date,time,location,duration_s,notes\n"


def _reasons(location="left eyelid", notes="", date="2024-03-05"):
    p = diary.parse_diary(DIARY_HEAD + f"{date},07:45,{location},30,{notes}\n")
    return len(p.entries), [r.reason for r in p.rejected]


@pytest.mark.parametrize(
    "start", ["＝", "＋", "－", "＠", "\u200b=", "\ufeff=", "\u202e=", "\u3000=", "﹦", "\u2212"]
)
def test_diary_formula_starts_in_disguise_are_rejected(start):
    n, reasons = _reasons(location=start + "SUM(A1)")
    assert n == 0 and reasons and ("formula" in reasons[0] or "control characters" in reasons[0])


@pytest.mark.parametrize(
    "char", ["\u0085", "\u009b", "\u202e", "\u202d", "\u2066", "\u200b", "\u200f", "\ufeff", "\u2028"]
)
def test_diary_c1_controls_and_bidi_overrides_are_rejected(char):
    n, reasons = _reasons(notes=f"left eyelid {char}txt.exe")
    assert n == 0 and "control characters" in reasons[0]
    p = diary.parse_diary(DIARY_HEAD + f"2024-03-05,07:45,calf,30,x{char}y\n")
    assert char not in p.rejected[0].text  # the echo is neutralised too


def test_diary_parse_diary_str_cap_counts_bytes():
    text = DIARY_HEAD + "é" * (diary.MAX_BYTES // 2 + 10)  # < MAX_BYTES characters, > MAX_BYTES bytes
    assert len(text) < diary.MAX_BYTES
    with pytest.raises(diary.DiaryError, match="bytes in UTF-8"):
        diary.parse_diary(text)


def test_diary_cp1252_file_under_the_cap_is_not_refused_after_decoding():
    data = (DIARY_HEAD + "2024-03-05,07:45,calf,30,caf\xe9\n").encode("cp1252")
    data += b"#" + b"\xe9" * (diary.MAX_BYTES - len(data) - 2) + b"\n"
    assert len(data) <= diary.MAX_BYTES
    assert len(diary.parse_bytes(data).entries) == 1


@pytest.mark.parametrize("date", ["２０２４-03-05", "2024-０3-05", "٢٠٢٤-03-05"])
def test_diary_full_width_digits_are_not_dates(date):
    n, reasons = _reasons(date=date)
    assert n == 0 and "YYYY-MM-DD" in reasons[0]


def test_diary_runaway_quoted_field_is_one_clear_error():
    body = DIARY_HEAD + "2024-03-05,07:45,calf,30,ok\n"
    body += '2024-03-05,07:45,calf,30,"' + ("x" * 70 + "\n") * 14_000 + '"\n'
    body += "2024-03-06,07:45,calf,30,ok\n" * 3
    assert len(body.encode()) < diary.MAX_BYTES
    with pytest.raises(diary.DiaryError, match=r"line 3: a cell starting on this line runs on"):
        diary.parse_diary(body)


# ----------------------------------------------------------------------------- found by the fuzz layer
def test_truncated_isi_sampling_cannot_spin():
    """isi_z_max = 1e-6 made the rejection sampler redraw for ever; now refused (< 0.5 SD)."""
    with pytest.raises(ParameterError, match="isi_z_max"):
        muscle.make_pool(n_units=20, isi_z_max=1e-6)
    p = muscle.make_pool(n_units=20, isi_z_max=0.5)
    t0 = time.perf_counter()
    muscle.simulate_pool(10.0, duration_s=0.5, pool=p)
    assert time.perf_counter() - t0 < 20


def test_unknown_keyword_arguments_are_parameter_errors():
    with pytest.raises(ParameterError, match="bogus is not a pool parameter"):
        muscle.make_pool(bogus=1)
    with pytest.raises(ParameterError, match="params must be a PoolParameters"):
        muscle.make_pool(params=math.nan)
    with pytest.raises(ParameterError, match="bogus is not a parameter of the 'fasciculation' pattern"):
        muscle.simulate_pattern("fasciculation", bogus=1)
    from utils import recordings

    with pytest.raises(ParameterError, match="do not fit"):
        recordings.try_load(recordings.load_epp_amplitudes, bogus=1)
    with pytest.raises(ParameterError, match="loader"):
        recordings.try_load(math.nan)


@pytest.mark.parametrize("path", ["", ".", "/", "\x00", math.nan, None, b"x", "/no/such/file.ddf"])
def test_file_readers_refuse_non_files_with_parameter_error(path):
    from utils import recordings

    for read in (ddf.read_ddf, recordings.read_wfdb_header, recordings.file_sha256, diary.read_diary):
        with pytest.raises(ParameterError):
            read(path)


@pytest.mark.parametrize(
    "call",
    [
        lambda: emg.extract_snippets(0, [1, 2], 4000.0),
        lambda: emg.spectral_frequencies(math.nan),
        lambda: hh.n_steps(np.array([]), 0.01),
        lambda: hh.Protocol(math.nan),
        lambda: muscle.summation_gain(np.array([]), [10.0, 50.0]),
        lambda: muscle.summation_gain(90.0, "10"),
        lambda: muscle.tetany(interval_ms=0),
        lambda: diary.honest_note(np.array([])),
        lambda: diary.overview(math.nan),
        lambda: references.further_reading(math.nan),
        lambda: emg.analyse_signal(np.zeros(4000), 4000.0, threshold_sd=np.array([])),
    ],
)
def test_wrong_types_found_by_the_fuzz_layer_are_parameter_errors(call):
    with pytest.raises(ParameterError):
        call()


def test_sweep_helpers_refuse_non_recordings():
    from utils.models import sweeps

    for fn in (sweeps.recording_fi, sweeps.step_window_s):
        with pytest.raises(ParameterError, match="rec must be a current-clamp recording"):
            fn(math.nan)
    with pytest.raises(ParameterError, match="no spike"):
        sweeps.spike_half_width_ms(np.arange(10.0), np.zeros(10))


def test_memory_caps_found_by_the_cost_cases():
    """Values inside the allowed ranges that asked for 40 MB–745 GB arrays are refused at once."""
    t0 = time.perf_counter()
    with pytest.raises(ParameterError, match="memory limit of 25,000,000"):
        muscle.simulate_pool(1000.0, duration_s=600.0, fs_Hz=1e4, pool=muscle.make_pool(n_units=2000))
    with pytest.raises(ParameterError, match="memory limit of 20,000,000 quanta"):
        nmj.simulate_epp_amplitudes(10**7, 10000.0, model="binomial", n_sites=100000)
    with pytest.raises(ParameterError, match="cost limit of 200,000,000"):
        emg.synthetic_emg(np.linspace(0, 599, 10**7), np.ones(10**7, int), [1.0], 600.0, fs_Hz=8e4)
    assert time.perf_counter() - t0 < 10


def test_more_errors_name_the_parameter_the_caller_passed():
    from utils import electrolytes, membrane

    with pytest.raises(ParameterError, match=r"^from_unit = 'bogus'"):
        electrolytes.convert(1.0, "calcium_total", "bogus")
    with pytest.raises(ParameterError, match=r"^to_unit = 'bogus'"):
        electrolytes.convert(1.0, "calcium_total", "mmol/L", "bogus")
    with pytest.raises(ParameterError, match=r"^name = 'x'"):
        membrane.preset("x")
    with pytest.raises(ParameterError, match=r"^preset_name = 'x'"):
        membrane.resting_vs_potassium(4.0, preset_name="x")
    with pytest.raises(ParameterError, match=r"^c_out_mM and c_in_mM must have the same length"):
        membrane.nernst_mV([1.0, 2.0], [1.0, 2.0, 3.0])


def test_curve_and_histogram_helpers_have_cost_caps():
    t0 = time.perf_counter()
    with pytest.raises(ParameterError, match="v_steps_mV has 100,000 steps"):
        hh.voltage_clamp_summary(np.linspace(-100, 50, 10**5))
    with pytest.raises(ParameterError, match="v_mV has 2,000,000 values"):
        hh.steady_states(np.linspace(-100, 50, 2 * 10**6))
    with pytest.raises(ParameterError, match="memory limit of 20,000,000"):
        nmj.epp_histogram_probabilities(np.arange(10**5) * 0.1, 10000.0)
    with pytest.raises(ParameterError, match="at most 10,000"):
        nmj.fit_poisson_mixture(np.arange(10**5) * 0.1, np.ones(10**5))
    with pytest.raises(ParameterError, match="at most 10,000,000"):
        emg.power_spectrum(np.zeros(2 * 10**7), 1e5, segment_s=100.0)
    assert time.perf_counter() - t0 < 10

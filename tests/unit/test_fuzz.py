"""The fuzz layer (issue 19): every public callable of validation, the sources, the models, the
figures and the panels, called with generated valid, edge and hostile values within a fixed budget.

A call fails the test when it raises anything but ``ParameterError`` or a documented data error,
emits a RuntimeWarning, returns a NaN/inf its docstring does not document, or runs over its time
budget. Cost cases (values inside the allowed ranges that used to hang or exhaust memory) run in a
child process with a timeout and an address-space limit. Counts per outcome class are written to
``build/fuzz_counts.json``. The registry is ``tests/unit/fuzz_registry.py``.
"""

from __future__ import annotations

import collections
import importlib
import inspect
import json
import math
import os
import random
import socket
import time
import warnings

import numpy as np
import pytest
from fuzz_registry import (
    _EMPTY,
    CALL_BUDGET_S,
    EDGE_ARRAYS,
    EDGE_NUMBERS,
    EDGE_TEXT,
    HOSTILE,
    KINDS,
    MODULES,
    REGISTRY,
    ROOT,
    VALID,
    documents_markers,
    kind_valid,
    non_finite,
    outcome_of,
    resolve,
    run_cases,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

#: Examples per callable (hypothesis ``max_examples``): the file needs ~20 s of CPU (≈ 60 s wall on
#: the shared 2-core CI machine at load 6). Slow callables (whole simulations, threshold searches)
#: get fewer (SLOW, scaled with EXAMPLES / 25). FUZZ_EXAMPLES=200 FUZZ_RANDOM=1 for a deeper hunt.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
#: FUZZ_RANDOM=1 draws new examples on every run (a deeper local hunt); CI is derandomized.
DERANDOMIZE = not os.environ.get("FUZZ_RANDOM")
SCALE = EXAMPLES / 25
SLOW = {
    "utils.models.hh.refractory_curve": 6,
    "utils.models.hh.refractory_threshold": 8,
    "utils.models.hh.firing_onset": 6,
    "utils.models.hh.fi_curve": 8,
    "utils.models.hh.rheobase": 8,
    "utils.models.hh.hopf_current": 8,
    "utils.models.electrolytes.consequences": 6,
    "utils.models.syndromes.after_discharge_calcium_mmol_L": 4,
    "utils.models.syndromes.after_discharge_gk_fraction": 4,
    "utils.models.syndromes.spontaneous_calcium_mmol_L": 4,
    "utils.models.syndromes.spontaneous_gk_fraction": 4,
    "utils.models.syndromes.tetany_onsets": 4,
    "utils.models.syndromes.simulate_fasciculation": 6,
    "utils.models.syndromes.simulate_neuromyotonia": 6,
    "utils.models.syndromes.simulate_tetany": 6,
    "utils.models.syndromes.near_threshold_noise": 6,
    "utils.models.emg.analyse_recording": 6,
    "utils.models.emg.fasciculation_emg": 8,
    "utils.sources.recordings.load_lab_results": 8,
    # the axon's searches: a few examples each on a 5-node fibre (fuzz_registry.VALID)
    "utils.models.axon.simulate": 6,
    "utils.models.axon.resting_state": 6,
    "utils.models.axon.threshold": 4,
    "utils.models.axon.strength_duration": 2,
    "utils.models.axon.recovery_cycle": 2,
    "utils.models.axon.conduction_velocity_m_per_s": 2,
    "utils.models.axon.reference_solution": 2,
    "utils.models.syndromes.simulate_tetany_axon": 2,
    "utils.models.syndromes.simulate_neuromyotonia_axon": 2,
    "utils.models.syndromes.axon_calcium_onsets": 2,
    "utils.models.syndromes.distal_ectopic_firing": 4,
    "utils.models.syndromes.axon_potassium_table": 2,
    "utils.models.syndromes.axon_fires_after_pulse": 4,
    "utils.models.syndromes.axon_fires_on_its_own": 4,
    "utils.models.syndromes.axon_train_rate_Hz": 4,
}
#: The figures and panels layers: building a panel takes 0.1-2 s (figure, tables, first update), so
#: each panel class gets PANEL_EXAMPLES examples (FUZZ_PANEL_EXAMPLES), a factory that passes its
#: arguments to the class (``rate_panel`` -> ``RatePanel``) and a callable without arguments one;
#: the small helpers get the full EXAMPLES. FUZZ_PANEL_EXAMPLES=8 FUZZ_RANDOM=1 for a deeper hunt.
PANEL_EXAMPLES = int(os.environ.get("FUZZ_PANEL_EXAMPLES", "2"))
_PANEL_PREFIXES = ("utils.panels.",)
_QUICK_PANEL_HELPERS = {
    "utils.panels.kit.unit_of",
    "utils.panels.kit.label_of",
    "utils.panels.kit.check_seed",
    "utils.panels.kit.check_keywords",
    "utils.panels.kit.readout_box",
    "utils.panels.kit.decimate",
    "utils.panels.controls.snap",
    "utils.panels.twitch_widgets.name_for_title",
    "utils.panels.twitch_widgets.slider_values",
    "utils.panels.fibre_widgets.e_k_mV",
    "utils.panels.fibre_widgets.k_grid",
    "utils.panels.nmj_widgets.mg_for_quantal_content",
}


def examples_for(key: str, spec: dict) -> int:
    """Hypothesis examples for one callable (see EXAMPLES, SLOW and PANEL_EXAMPLES)."""
    if key in SLOW:
        return max(1, round(SLOW[key] * SCALE))
    if key.startswith(_PANEL_PREFIXES) and key not in _QUICK_PANEL_HELPERS:
        factory = key.endswith("_panel") and key.rpartition(".")[2][0].islower()
        return 1 if not spec or (factory and PANEL_EXAMPLES <= 2) else PANEL_EXAMPLES
    if key.startswith("utils.figures.") and not spec:
        return 1
    return EXAMPLES


COUNTS: collections.Counter = collections.Counter()
PER_CALLABLE: dict = collections.defaultdict(collections.Counter)
FAILURES: list = []
COST_RESULTS: list = []
COUNTS_FILE = ROOT / "build" / "fuzz_counts.json"


@pytest.fixture(scope="module", autouse=True)
def _write_counts():
    t0 = time.perf_counter()
    yield
    COUNTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    COUNTS_FILE.write_text(
        json.dumps(
            {
                "outcomes": {k: COUNTS.get(k, 0) for k in ("ok", "parameter_error", "data_error", "failure")},
                "calls": sum(COUNTS.values()),
                "seconds": round(time.perf_counter() - t0, 1),
                "callables": len(PER_CALLABLE),
                "per_callable": {k: dict(v) for k, v in sorted(PER_CALLABLE.items())},
                "cost_cases": COST_RESULTS,
                "parameter_errors_naming_no_parameter": {
                    k: [len(v), v[0]] for k, v in sorted(MISNAMED.items())
                },
                "failures": FAILURES[:200],
            },
            indent=1,
        )
    )


@pytest.fixture(scope="module", autouse=True)
def _no_network():
    """The fuzz layer never goes online: name resolution and connections fail at once."""
    real = socket.getaddrinfo, socket.create_connection

    def refuse(*args, **kwargs):
        raise OSError("fuzz: network disabled")

    socket.getaddrinfo = socket.create_connection = refuse
    yield
    socket.getaddrinfo, socket.create_connection = real


def _record(key: str, outcome: str, detail: str = "", group: str = "") -> None:
    COUNTS[outcome] += 1
    PER_CALLABLE[group or key][outcome] += 1
    if outcome == "failure":
        FAILURES.append({"callable": key, "detail": detail[:500]})


# ----------------------------------------------------------------------------- the registry
def _public_callables() -> set[str]:
    out = set()
    for m in MODULES:
        mod = importlib.import_module(m)
        for name, obj in vars(mod).items():
            if not name.startswith("_") and callable(obj) and getattr(obj, "__module__", None) == m:
                out.add(f"{m}.{name}")
    return out


def test_every_public_callable_is_in_the_registry():
    public = _public_callables()
    missing = sorted(public - set(REGISTRY))
    assert not missing, (
        f"public callables missing from tests/unit/fuzz_registry.py REGISTRY: {missing}; add each with "
        "the kind of every parameter (or a skip reason)"
    )
    gone = sorted(set(REGISTRY) - public)
    assert not gone, f"REGISTRY lists callables that no longer exist: {gone}"


@pytest.mark.parametrize("module", ["utils.models.hh", "utils.figures.plots", "utils.panels.muscle_widgets"])
def test_a_new_public_function_would_be_caught(monkeypatch, module):
    """A new public function or panel in the models, figures or panels layers is missing from the
    registry at once (so it cannot skip the fuzz layer)."""
    mod = importlib.import_module(module)

    def brand_new(x_mV):
        return x_mV

    brand_new.__module__ = mod.__name__
    monkeypatch.setattr(mod, "brand_new", brand_new, raising=False)
    assert f"{module}.brand_new" in _public_callables() - set(REGISTRY)


@pytest.mark.parametrize("key", sorted(k for k, v in REGISTRY.items() if isinstance(v, dict)))
def test_registry_kinds_match_the_signature(key):
    fn = resolve(key)
    sig = inspect.signature(fn)
    names = [p for p in sig.parameters if not p.startswith("_")]
    assert list(REGISTRY[key]) == names, f"{key}: registry {list(REGISTRY[key])} != signature {names}"
    assert set(REGISTRY[key].values()) <= set(KINDS)


# ----------------------------------------------------------------------------- the fuzz calls
_NUMERIC = {"real", "int", "seed", "num", "array", "array2d", "pair"}
_FLOATS = st.floats(allow_nan=True, allow_infinity=True, width=64)
_INTS = st.integers(min_value=-(2**70), max_value=2**70)


def _mutations(kind: str):
    base = kind.rstrip("?")
    if base in _NUMERIC:
        return st.one_of(
            st.sampled_from(EDGE_NUMBERS),
            st.sampled_from(EDGE_ARRAYS),
            st.sampled_from(HOSTILE),
            _FLOATS,
            _INTS,
        )
    if base in ("text", "choice", "choices", "path", "bytes"):
        return st.one_of(
            st.sampled_from(EDGE_TEXT), st.sampled_from(HOSTILE), st.text(max_size=20), st.binary(max_size=20)
        )
    return st.one_of(st.sampled_from(HOSTILE), st.sampled_from(EDGE_NUMBERS), st.sampled_from(EDGE_TEXT))


MISNAMED: dict = collections.defaultdict(list)


def _names_a_parameter(fn, message: str, kwargs: dict) -> bool:
    """True if a ParameterError's message names a parameter of ``fn`` (or the passed keywords)."""
    try:
        names = set(inspect.signature(fn).parameters) | set(kwargs)
    except (TypeError, ValueError):
        return True
    names.discard("self")
    return not names or any(n in message for n in names)


def _call(fn, args, kwargs):
    t0 = time.perf_counter()
    exc = value = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = fn(*args, **kwargs)
        except Exception as e:  # classified below
            exc = e
    dt = time.perf_counter() - t0
    outcome = outcome_of(exc)
    detail = "" if exc is None else f"{type(exc).__name__}: {str(exc)[:300]}"
    rw = [str(w.message)[:200] for w in caught if issubclass(w.category, RuntimeWarning)]
    if rw:
        outcome, detail = "failure", f"RuntimeWarning: {rw[0]}"
    elif outcome == "ok":
        where = non_finite(value)
        if where and not documents_markers(fn):
            outcome, detail = "failure", f"undocumented NaN/inf in the result ({where})"
    if outcome == "parameter_error" and not _names_a_parameter(fn, detail, kwargs):
        MISNAMED[getattr(fn, "__qualname__", str(fn))].append(detail[:200])
    if dt > CALL_BUDGET_S:
        outcome, detail = "failure", f"took {dt:.1f} s, over the budget of {CALL_BUDGET_S:g} s"
    return outcome, detail


def _describe(kwargs) -> str:
    parts = []
    for k, v in kwargs.items():
        r = f"array{np.shape(v)}" if isinstance(v, np.ndarray) and np.size(v) > 5 else repr(v)
        parts.append(f"{k}={r[:60]}")
    return ", ".join(parts)


@pytest.mark.parametrize("key", sorted(k for k, v in REGISTRY.items() if isinstance(v, dict)))
def test_fuzz(key):
    fn = resolve(key)
    spec = REGISTRY[key]
    sig = inspect.signature(fn)
    valid_given = VALID.get(key, {})
    pools = {}
    for name, kind in spec.items():
        p = sig.parameters[name]
        default = _EMPTY if p.default is p.empty else p.default
        pools[name] = valid_given[name]() if name in valid_given else kind_valid(kind, default)
    fuzzable = [n for n, k in spec.items() if k not in ("fixed", "varargs")]

    @settings(
        max_examples=examples_for(key, spec),
        deadline=None,
        database=None,
        derandomize=DERANDOMIZE,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def run(data):
        mutate = data.draw(st.sets(st.sampled_from(fuzzable), max_size=2)) if fuzzable else set()
        args, kwargs = [], {}
        for name, kind in spec.items():
            p = sig.parameters[name]
            if kind == "varargs":
                continue
            if kind == "kwargs":
                if name in mutate:
                    extra = data.draw(
                        st.sampled_from([{"bogus": 1}, {"n_units": "x"}, {"duration_s": math.nan}])
                    )
                    kwargs.update(extra)
                continue
            if name in mutate:
                value = data.draw(_mutations(kind), label=name)
            elif pools[name]:
                value = data.draw(st.sampled_from(pools[name]), label=name)
            elif p.default is not p.empty:
                continue
            else:
                value = data.draw(_mutations(kind), label=name)
            if p.kind == p.POSITIONAL_ONLY:
                args.append(value)
            else:
                kwargs[name] = value
        outcome, detail = _call(fn, args, kwargs)
        _record(key, outcome, f"{key}({_describe(kwargs)}) -> {detail}")
        assert outcome != "failure", f"{key}({_describe(kwargs)}) -> {detail}"

    run()


# ----------------------------------------------------------------------------- cost cases
#: Values inside (or at the edge of) the allowed ranges whose cost once grew without bound, and
#: the largest sizes of the size-like parameters. Each runs in a child with a timeout and a
#: memory limit; each must end as ok or ParameterError well within the limits.
_POOL_2000 = "__import__('utils.models.muscle', fromlist=['x']).make_pool(n_units=2000)"
COST_CASES = [
    ("utils.models.hh.bisect_edge", ["lambda x: x > 3.0", "0.0", "10.0"], {"tol": "0.0"}),
    ("utils.models.hh.bisect_edge", ["lambda x: x > 3.0", "-math.inf", "10.0"], {"tol": "1e-3"}),
    ("utils.models.hh.bisect_edge", ["lambda x: x > 3.0", "-1.7e308", "1.7e308"], {"tol": "0.0"}),
    ("utils.panels.hh_widgets.paired_threshold", ["10.0"], {"tol_uA": "0.0"}),
    (
        "utils.models.emg.cluster_potentials",
        ["np.random.default_rng(0).normal(size=(60, 40))"],
        {"max_lag": "10**9"},
    ),
    (
        "utils.models.emg.cluster_potentials",
        ["np.random.default_rng(0).normal(size=(60, 40))"],
        {"max_lag": "math.inf"},
    ),
    (
        "utils.models.emg.cluster_potentials",
        ["np.random.default_rng(0).normal(size=(60, 1000))"],
        {"max_lag": "200"},
    ),
    ("utils.models.hh.rheobase", [], {"dt_ms": "1e-5"}),
    ("utils.models.hh.threshold_pulse", [], {"dt_ms": "1e-5", "window_ms": "1000"}),
    ("utils.models.hh.rheobase", [], {"duration_ms": "2000.0", "tol_uA_per_cm2": "1e-6"}),
    (
        "utils.models.hh.threshold_pulse",
        [],
        {"duration_ms": "1000.0", "window_ms": "1000.0", "tol_uA_per_cm2": "1e-6"},
    ),
    ("utils.models.hh.firing_onset", [], {"t_stop_ms": "1e6", "tol_uA_per_cm2": "1e-6"}),
    ("utils.models.hh.refractory_curve", ["np.linspace(1, 1000, 1000)"], {"tol_uA_per_cm2": "1e-6"}),
    ("utils.models.hh.fi_curve", ["np.linspace(0, 50, 10**5)"], {"t_stop_ms": "1e4"}),
    ("utils.models.hh.simulate", ["None"], {"t_stop_ms": "1e7", "dt_ms": "1e-5"}),
    (
        "utils.models.muscle.firing_rates_Hz",
        ["np.full(10**6, 20.0)"],
        {"pool": "__import__('utils.models.muscle', fromlist=['x']).make_pool(n_units=2000)"},
    ),
    (
        "utils.models.muscle.steady_force_au",
        ["np.full(10**6, 20.0)"],
        {"pool": "__import__('utils.models.muscle', fromlist=['x']).make_pool(n_units=2000)"},
    ),
    (
        "utils.models.muscle.simulate_pool",
        ["1000.0"],
        {"duration_s": "600.0", "fs_Hz": "1e4", "pool": _POOL_2000},
    ),
    ("utils.models.muscle.fasciculation", [], {"duration_s": "600.0", "fs_Hz": "1e4", "rate_Hz": "50.0"}),
    (
        "utils.models.muscle.spike_train_force",
        ["np.arange(0, 6e5, 3.0)"],
        {"duration_s": "600.0", "fs_Hz": "1e4"},
    ),
    ("utils.models.muscle.myokymia", [], {"duration_s": "600.0", "fs_Hz": "1e4"}),
    ("utils.models.emg.voluntary_emg", [], {"excitation": "1000.0", "duration_s": "600.0", "fs_Hz": "8e4"}),
    (
        "utils.models.emg.synthetic_emg",
        ["np.linspace(0, 599, 10**7)", "np.ones(10**7, int)", "[1.0]", "600.0"],
        {"fs_Hz": "8e4"},
    ),
    (
        "utils.models.nmj.simulate_epp_amplitudes",
        ["10**7", "10000.0"],
        {"model": "'binomial'", "n_sites": "100000"},
    ),
    ("utils.models.nmj.poisson_quanta", ["10000.0"], {}),
    ("utils.models.nmj.binomial_quanta", ["100000", "0.5"], {}),
    ("utils.models.syndromes.near_threshold_noise", [], {"duration_ms": "20000.0"}),
    ("utils.models.syndromes.simulate_fasciculation", [], {"duration_s": "600.0", "rate_Hz": "5.0"}),
    ("utils.models.muscle.make_pool", [], {"n_units": "2000", "isi_z_max": "1e-6"}),
    ("utils.models.hh.voltage_clamp_summary", ["np.linspace(-100, 50, 10**5)"], {}),
    ("utils.models.hh.steady_states", ["np.linspace(-100, 50, 10**7)"], {}),
    ("utils.models.hh.voltage_clamp", ["0.0"], {"duration_ms": "1e4", "dt_ms": "1e-5"}),
    ("utils.models.nmj.epp_histogram_probabilities", ["np.arange(10**5) * 0.1", "10000.0"], {}),
    ("utils.models.nmj.fit_poisson_mixture", ["np.arange(10**5) * 0.1", "np.ones(10**5)"], {}),
    ("utils.models.emg.power_spectrum", ["np.zeros(5 * 10**7)", "1e5"], {"segment_s": "500.0"}),
    ("utils.models.muscle.twitch_kernel", ["np.linspace(0, 1e6, 10**6)"], {}),
    ("utils.sources.diary.parse_diary", ["','.join('c%d' % i for i in range(100000)) + '\\n'"], {}),
    ("utils.sources.diary.honest_note", ["10**400"], {}),
]


def test_cost_cases_are_refused_or_bounded_in_a_child_process():
    cases = [{"target": t, "args": a, "kwargs": k} for t, a, k in COST_CASES]
    results = run_cases(cases)
    bad = []
    for r in results:
        _record(r["target"], r["outcome"], r.get("detail", ""), group="cost cases (child process)")
        COST_RESULTS.append(
            {
                "call": f"{r['target']}({', '.join([*r['args'], *(f'{k}={v}' for k, v in r['kwargs'].items())])})",
                "outcome": r["outcome"],
                "seconds": round(r.get("seconds", 0.0), 2),
                "detail": r.get("detail", "")[:160],
            }
        )
        if r["outcome"] not in ("ok", "parameter_error"):
            bad.append(f"{r['target']}({r['args']}, {r['kwargs']}): {r['outcome']}: {r.get('detail')}")
    assert not bad, "\n".join(bad)


# ----------------------------------------------------------------------------- ddf mutants
def _ddf_base() -> bytes:
    from fuzz_registry import _ddf_text

    return _ddf_text().encode("ascii")


def _mutate(b: bytearray, rng: random.Random) -> bytearray:
    for _ in range(rng.randint(1, 3)):
        op = rng.random()
        k = rng.randrange(len(b)) if b else 0
        if op < 0.35 and b:
            b[k] = rng.choice(b"0123456789.-+eE\t\n naifINF_:" + bytes([rng.randrange(256)]))
        elif op < 0.55 and b:
            del b[k]
        elif op < 0.75:
            b.insert(k, rng.randrange(256))
        elif op < 0.9 and b:
            j = rng.randrange(len(b))
            b[k:k] = b[j : j + rng.randint(1, 30)]
        else:
            for word in (b"nan", b"inf", b"-inf", b"1e999", b"1_0", b"NaN"):
                if rng.random() < 0.3:
                    digits = [i for i, c in enumerate(b) if chr(c).isdigit()]
                    if digits:
                        i = rng.choice(digits)
                        b[i : i + 1] = word
                        break
    return b


def test_ddf_byte_level_mutants_give_a_file_or_a_format_error(tmp_path):
    from utils.sources.ddf import DDFFormatError, read_ddf

    rng = random.Random(19)
    base = _ddf_base()
    path = tmp_path / "m.ddf"
    outcomes = collections.Counter()
    for i in range(600):
        b = _mutate(bytearray(base), rng)
        path.write_bytes(bytes(b))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                d = read_ddf(path)
            except DDFFormatError:
                outcomes["data_error"] += 1
                continue
            except Exception as e:  # noqa: BLE001 - any other exception is the finding
                outcomes["failure"] += 1
                FAILURES.append(
                    {"callable": "ddf mutant", "detail": f"{type(e).__name__}: {e}; {bytes(b)[:300]!r}"}
                )
                continue
            finite = np.isfinite(d.time_s).all() and all(np.isfinite(d.channel(c)).all() for c in d.channels)
            finite = finite and all(math.isfinite(row[0]) for row in d.protocol) and math.isfinite(d.fs_Hz)
            if finite:
                outcomes["ok"] += 1
            else:
                outcomes["failure"] += 1
                FAILURES.append({"callable": "ddf mutant", "detail": f"non-finite data: {bytes(b)[:300]!r}"})
    for k, v in outcomes.items():
        COUNTS[k] += v
        PER_CALLABLE["ddf byte mutants"][k] += v
    assert outcomes["failure"] == 0, outcomes


# ----------------------------------------------------------------------------- diary files
HEAD = "date,time,location,duration_s,notes\n"
HOSTILE_DIARIES = {
    "full-width formula": HEAD + '2024-03-05,07:45,＝HYPERLINK("x"),30,\n',
    "full-width plus": HEAD + "2024-03-05,07:45,＋1,30,\n",
    "full-width minus": HEAD + "2024-03-05,07:45,－1,30,\n",
    "full-width at": HEAD + "2024-03-05,07:45,＠SUM(A1),30,\n",
    "zero-width space before =": HEAD + "2024-03-05,07:45,\u200b=1+1,30,\n",
    "BOM before =": HEAD + "2024-03-05,07:45,\ufeff=1+1,30,\n",
    "RLO before =": HEAD + "2024-03-05,07:45,\u202e=1+1,30,\n",
    "C1 NEL": HEAD + "2024-03-05,07:45,left\u0085eyelid,30,\n",
    "C1 CSI": HEAD + "2024-03-05,07:45,left\u009beyelid,30,\n",
    "bidi override": HEAD + "2024-03-05,07:45,left eyelid \u202etxt.exe,30,\n",
    "bidi isolate": HEAD + "2024-03-05,07:45,calf,30,\u2067note\u2069\n",
    "full-width digits date": HEAD + "２０２４-０３-０５,07:45,calf,30,\n",
    "arabic-indic digits time": HEAD + "2024-03-05,٠٧:٤٥,calf,30,\n",
    "full-width duration": HEAD + "2024-03-05,07:45,calf,３０,\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_DIARIES))
def test_hostile_diary_rows_are_rejected_with_a_reason(name):
    from utils.sources import diary

    text = HOSTILE_DIARIES[name]
    for parse in (lambda: diary.parse_diary(text), lambda: diary.parse_bytes(text.encode("utf-8"))):
        p = parse()
        assert len(p.entries) == 0 and len(p.rejected) == 1, p.report()
        assert all(ord(c) >= 32 and c not in "\u202e\u2067\u0085\u009b" for c in p.rejected[0].text)
    _record(
        "diary hostile files", "ok", group="diary hostile files"
    )  # parsed; the row rejected with a reason


@pytest.mark.parametrize(
    "name,data",
    [
        ("8,000 columns", (",".join(f"c{i}" for i in range(8000)) + "\n").encode()),
        (
            "quoted field of 999 kB over many lines",
            (HEAD + '2024-03-05,07:45,calf,30,"' + ("x" * 70 + "\n") * 14_000 + '"\n').encode(),
        ),
        ("too many bytes in a str", None),
        ("NUL bytes", b"date,time\x00\n"),
        ("UTF-16 garbage", b"\xff\xfe\x00\xd8"),
        ("binary", bytes(range(256)) * 10),
        ("only a BOM", b"\xef\xbb\xbf"),
    ],
)
def test_hostile_diary_files_are_refused_quickly(name, data):
    from utils.sources import diary

    t0 = time.perf_counter()
    with pytest.raises(diary.DiaryError):
        if data is None:
            diary.parse_diary(HEAD + "é" * (diary.MAX_BYTES // 2 + 1))
        else:
            diary.parse_bytes(data)
    assert time.perf_counter() - t0 < 2
    _record("diary hostile files", "parameter_error", group="diary hostile files")


def test_diary_random_bytes_never_raise_anything_else():
    from utils.sources import diary

    rng = random.Random(19)
    base = (HEAD + '2024-03-05,07:45,left eyelid,30,coffee\n2024-03-06,08:00,"calf, left",20,\n').encode()
    for _ in range(250):
        b = _mutate(bytearray(base), rng)
        try:
            p = diary.parse_bytes(bytes(b))
        except diary.DiaryError:
            _record("diary byte mutants", "parameter_error", group="diary byte mutants")
            continue
        except Exception as e:  # noqa: BLE001
            _record(
                "diary byte mutants",
                "failure",
                f"{type(e).__name__}: {e}: {bytes(b)!r}",
                group="diary byte mutants",
            )
            raise
        assert p.entries["duration_s"].map(math.isfinite).all()
        _record("diary byte mutants", "ok", group="diary byte mutants")

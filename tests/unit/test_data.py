"""The data layer on the real recordings (offline cache ../shared/data): registry, fetch/verify,
explicit failures without network, and each loader's units, sizes and physiology."""

import hashlib
import os
import re
import shutil
import socket
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from utils import ParameterError, references
from utils import recordings as data

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="offline data cache not present")


@pytest.fixture
def shared_cache(monkeypatch):
    """Point the data layer at the read-only shared cache."""
    if not SHARED.is_dir():
        pytest.skip("offline data cache not present")
    monkeypatch.setenv(data.ENV_VAR, str(SHARED))
    return SHARED


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to resolve or connect fails at once (the test never goes online)."""

    def refuse(*args, **kwargs):
        raise OSError("network disabled in tests")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def _listing(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*")}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------------------------------
# Registry
# ------------------------------------------------------------------------------------------


def test_registry_columns_and_reference_keys():
    reg = data.registry()
    assert list(reg.columns) == [
        "name",
        "dataset",
        "file",
        "url",
        "sha256",
        "size_bytes",
        "licence",
        "reference",
        "dataset_title",
        "description",
    ]
    assert reg["name"].is_unique and len(reg) == 16
    assert (reg["dataset"] + "/" + reg["file"]).is_unique
    known = references.load()
    for _, r in reg.iterrows():
        assert re.fullmatch(r"[0-9a-f]{64}", r["sha256"]), r["name"]
        assert r["url"].startswith("https://"), r["name"]
        assert r["url"].endswith(r["file"].split("/")[-1]), r["name"]
        assert all(k in known for k in r["reference"].split(";")), r["name"]
        assert r["licence"] and r["description"]


@needs_shared
def test_registry_matches_every_file_in_the_shared_cache():
    for _, r in data.registry().iterrows():
        p = SHARED / r["dataset"] / r["file"]
        assert p.is_file(), p
        assert p.stat().st_size == r["size_bytes"], r["name"]
        assert _sha(p) == r["sha256"], r["name"]


@needs_shared
def test_every_file_in_sources_md_is_in_the_registry():
    text = (SHARED / "SOURCES.md").read_text(encoding="utf-8")
    table = re.findall(
        r"^\|\s*(\S+/\S+)\s*\|\s*(\d+)\s*\|\s*([0-9a-f]{64})\s*\|\s*(\S+)\s*\|", text, flags=re.M
    )
    assert len(table) == 16
    reg = data.registry()
    by_path = {f"{r.dataset}/{r.file}": r for r in reg.itertuples()}
    for path, size, sha, url in table:
        assert path in by_path, f"{path} from SOURCES.md is missing in data/recordings.csv"
        r = by_path[path]
        assert (r.size_bytes, r.sha256, r.url) == (int(size), sha, url), path


def test_cache_dir_reads_the_environment_at_call_time(monkeypatch, tmp_path):
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    assert data.cache_dir() == tmp_path
    assert data.local_path("twitch") == tmp_path / "workloopR" / "twitch.ddf"
    assert data.local_path("katz_miledi_resting") == (
        tmp_path / "pmls" / "00-katz-miledi" / "resting-cell.csv"
    )
    monkeypatch.delenv(data.ENV_VAR)
    import pooch

    assert data.cache_dir() == Path(pooch.os_cache("why-muscles-twitch"))


def test_unknown_names_are_refused_clearly():
    with pytest.raises(ParameterError, match="name = 'nope' is not allowed.*'twitch'"):
        data.fetch("nope")
    with pytest.raises(ParameterError, match="condition = 'sick'.*'healthy'"):
        data.load_emg("sick")
    with pytest.raises(ParameterError, match="kind"):
        data.load_force("workloop")
    with pytest.raises(ParameterError, match="analytes = 'iron'"):
        data.load_lab_results(["potassium", "iron"])


def test_credit_and_citation_come_from_the_registry():
    assert data.credit("emg_healthy") == (
        "Data: PhysioNet Examples of Electromyograms v1.0.0 (PhysioNet 2009; "
        "Goldberger et al. 2000), licence ODC-By-1.0."
    )
    assert data.credit("emgdb") == data.credit("emg_healthy")
    assert "GPL-3.0-or-later" in data.credit("twitch") and "Baliga" in data.credit("twitch")
    assert "ODbL-1.0" in data.credit("mimic_labevents")
    assert "Boyd & Martin 1956" in data.credit("epp_amplitudes")
    assert "doi.org/10.1113/jphysiol.1972.sp009918" in data.citation("katz_miledi_exposed")


# ------------------------------------------------------------------------------------------
# Fetch: verified cache use, corruption, no network
# ------------------------------------------------------------------------------------------


def test_valid_shared_cache_is_used_without_network_or_writes(shared_cache, monkeypatch, no_network):
    import pooch

    def forbidden(*a, **k):
        raise AssertionError("pooch.retrieve must not be called for a valid cached file")

    monkeypatch.setattr(pooch, "retrieve", forbidden)
    before = _listing(shared_cache)
    for name in data.registry()["name"]:
        assert data.fetch(name) == shared_cache / data._entry(name)["dataset"] / data._entry(name)["file"]
    data.load_emg("healthy")
    data.load_force("twitch")
    assert _listing(shared_cache) == before


def _corrupt_copy(tmp_path, name):
    e = data._entry(name)
    dst = tmp_path / e["dataset"] / e["file"]
    dst.parent.mkdir(parents=True)
    raw = bytearray((SHARED / e["dataset"] / e["file"]).read_bytes())
    raw[len(raw) // 2] ^= 0x01  # change one byte
    dst.write_bytes(bytes(raw))
    return dst


@needs_shared
@pytest.mark.parametrize(
    "name, loader, args",
    [
        ("channel_open_times", data.load_channel_open_times, ()),
        ("twitch", data.load_force, ("twitch",)),
        ("emg_myopathy_header", data.load_emg, ("myopathy",)),
    ],
)
def test_corrupted_cached_copy_is_rejected_naming_file_and_both_hashes(
    tmp_path, monkeypatch, no_network, name, loader, args
):
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    if name.startswith("emg_"):  # the other file of the record is fine
        e = data._entry("emg_myopathy")
        (tmp_path / "emgdb").mkdir()
        shutil.copy(SHARED / "emgdb" / e["file"], tmp_path / "emgdb" / e["file"])
        bad = tmp_path / "emgdb" / data._entry(name)["file"]
        raw = bytearray((SHARED / "emgdb" / bad.name).read_bytes())
        raw[len(raw) // 2] ^= 0x01
        bad.write_bytes(bytes(raw))
    else:
        bad = _corrupt_copy(tmp_path, name)
    corrupted = bad.read_bytes()
    before = _listing(tmp_path)
    expected = data._entry(name)["sha256"]
    actual = hashlib.sha256(corrupted).hexdigest()
    with pytest.raises(data.RecordingCorrupted) as ei:
        loader(*args)
    msg = str(ei.value)
    assert str(bad) in msg and expected in msg and actual in msg
    assert (ei.value.expected, ei.value.actual) == (expected, actual)
    assert _listing(tmp_path) == before and bad.read_bytes() == corrupted  # nothing touched
    md = data.unavailable_message(ei.value)
    assert expected in md and actual in md


@needs_shared
def test_download_goes_through_pooch_to_a_verified_file(tmp_path, monkeypatch, no_network):
    """A fake downloader serves the right bytes: pooch checks them and moves them in place."""
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    src = SHARED / "pmls" / "13-Vesicle" / "g293vesicle.csv"
    calls = []

    def fake(url, output_file, pooch_obj):
        calls.append(url)
        Path(output_file).write_bytes(src.read_bytes())

    monkeypatch.setattr(data, "_downloader", lambda: fake)
    p = data.fetch("epp_amplitudes")
    assert p == tmp_path / "pmls" / "13-Vesicle" / "g293vesicle.csv"
    assert calls == [data._entry("epp_amplitudes")["url"]]
    assert _sha(p) == data._entry("epp_amplitudes")["sha256"]
    assert sorted(_listing(tmp_path)) == ["pmls", "pmls/13-Vesicle", "pmls/13-Vesicle/g293vesicle.csv"]
    data.fetch("epp_amplitudes")  # second time: cached, no download
    assert len(calls) == 1


@needs_shared
def test_bad_download_leaves_nothing_half_written(tmp_path, monkeypatch, no_network):
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    good = (SHARED / "pmls" / "13-Vesicle" / "g293vesicle.csv").read_bytes()
    bad = good[:-3] + b"99\n"

    def fake(url, output_file, pooch_obj):
        Path(output_file).write_bytes(bad)

    monkeypatch.setattr(data, "_downloader", lambda: fake)
    with pytest.raises(data.RecordingCorrupted) as ei:
        data.load_epp_amplitudes()
    e = ei.value
    assert e.downloaded and e.actual == hashlib.sha256(bad).hexdigest()
    assert e.expected in str(e) and e.actual in str(e) and e.url in str(e)
    left = list(tmp_path.rglob("*"))
    assert left == [], f"left behind: {left}"


def test_no_network_and_no_cache_gives_the_manual_download_message(tmp_path, monkeypatch, no_network, capsys):
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    with pytest.raises(data.RecordingUnavailable) as ei:
        data.load_force("tetanus")
    e = data._entry("tetanus")
    msg = str(ei.value)
    assert e["url"] in msg
    assert str(tmp_path / "workloopR" / "tetanus.ddf") in msg
    assert e["sha256"] in msg and "TWITCH_DATA_DIR" in msg
    assert "no network connection" in msg
    assert list(tmp_path.rglob("*")) == []  # no files, no empty folders

    # both files of a two-file record are named in one message
    with pytest.raises(data.RecordingUnavailable) as ei:
        data.load_emg("healthy")
    assert len(ei.value.entries) == 2
    for n in ("emg_healthy", "emg_healthy_header"):
        assert data._entry(n)["url"] in str(ei.value)

    # a notebook cell: message shown, None returned, nothing raised
    assert data.try_load(data.load_force, "tetanus") is None
    out = capsys.readouterr().out
    assert e["url"] in out and str(tmp_path / "workloopR" / "tetanus.ddf") in out
    md = data.unavailable_message(ei.value)
    assert md.startswith("**Recording not available**") and "emg_healthy.hea" in md


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root can write anywhere")
def test_unwritable_cache_folder_is_unavailable_not_a_crash(tmp_path, monkeypatch, no_network):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    monkeypatch.setenv(data.ENV_VAR, str(ro))
    try:
        with pytest.raises(data.RecordingUnavailable, match="twitch.ddf"):
            data.fetch("twitch")
    finally:
        ro.chmod(0o755)


def test_cache_that_cannot_be_created_is_unavailable_not_a_crash(tmp_path, monkeypatch, no_network):
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the cache folder should be")
    monkeypatch.setenv(data.ENV_VAR, str(not_a_folder))
    with pytest.raises(data.RecordingUnavailable) as ei:
        data.fetch("twitch")
    assert data._entry("twitch")["url"] in str(ei.value)
    assert not_a_folder.read_text() == "a file where the cache folder should be"


def test_try_load_passes_results_and_other_errors_through():
    assert data.try_load(lambda x: x * 2, 21) == 42
    with pytest.raises(ZeroDivisionError):
        data.try_load(lambda: 1 / 0)


# ------------------------------------------------------------------------------------------
# Loaders on the real files
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "condition, n_samples, duration_s",
    [("healthy", 50860, 12.7), ("myopathy", 110337, 27.6), ("neuropathy", 147858, 37.0)],
)
def test_emg_records(shared_cache, condition, n_samples, duration_s):
    r = data.load_emg(condition)
    assert r.fs_Hz == 4000 and r.n_samples == n_samples
    # .dat is n_samples int16 values
    assert (shared_cache / "emgdb" / f"emg_{condition}.dat").stat().st_size == 2 * n_samples
    assert round(r.duration_s, 1) == duration_s
    assert r.time_s.shape == r.signal_mV.shape and r.time_s[0] == 0
    assert np.diff(r.time_s[:3]) == pytest.approx([2.5e-4, 2.5e-4])
    assert r.header.gain_adu_per_unit == 10000 and r.header.units.lower() == "mv"
    assert r.description == "EMG"
    assert any("tibialis anterior" in c for c in r.comments)
    assert np.isfinite(r.signal_mV).all()
    assert abs(np.mean(r.signal_mV)) < 0.05  # AC-coupled, mV
    assert 0.05 < np.std(r.signal_mV) < 0.5
    assert r.credit.startswith("Data: PhysioNet Examples of Electromyograms")


def test_emg_physiology(shared_cache):
    healthy, neuro = data.load_emg("healthy"), data.load_emg("neuropathy")
    # first sample = header's initial value -333 adu at 10000 adu/mV
    assert healthy.signal_mV[0] == pytest.approx(-0.0333)
    # the large neuropathic units reach the int16 limits: +/-32767 adu = +/-3.2767 mV
    assert neuro.signal_mV.min() == pytest.approx(-3.2767)
    assert neuro.signal_mV.max() > 3.27
    assert np.sum(np.abs(neuro.signal_mV) > 3.0) > 100
    assert np.abs(healthy.signal_mV).max() < 1.2
    assert any("radiculopathy" in c for c in neuro.comments)


def test_emg_loads_are_independent_copies(shared_cache):
    a = data.load_emg("healthy")
    a.signal_mV[:] = 0
    assert data.load_emg("healthy").signal_mV[0] == pytest.approx(-0.0333)


@needs_shared
def test_wfdb_reader_checks_checksum_and_format(tmp_path):
    h = data.read_wfdb_header(SHARED / "emgdb" / "emg_myopathy.hea")
    assert (h.n_samples, h.fs_Hz, h.baseline_adu, h.initial_value_adu, h.checksum) == (
        110337,
        4000.0,
        0,
        -50,
        -6380,
    )
    assert h.units == "mv"  # lower-case in the upstream header
    raw = bytearray((SHARED / "emgdb" / "emg_myopathy.dat").read_bytes())
    raw[1001] ^= 0x10
    (tmp_path / "emg_myopathy.dat").write_bytes(bytes(raw))
    with pytest.raises(data.WFDBFormatError, match="checksum"):
        data.read_wfdb16(h, tmp_path / "emg_myopathy.dat")
    (tmp_path / "short.dat").write_bytes(bytes(raw[:-2]))
    with pytest.raises(data.WFDBFormatError, match="220672 bytes.*220674"):
        data.read_wfdb16(h, tmp_path / "short.dat")
    hea = (SHARED / "emgdb" / "emg_myopathy.hea").read_text()
    (tmp_path / "x.hea").write_text(hea.replace(" 16 10000/mv", " 212 10000/mv"))
    with pytest.raises(data.WFDBFormatError, match="line 2: format '212'"):
        data.read_wfdb_header(tmp_path / "x.hea")
    (tmp_path / "y.hea").write_text(hea.replace("emg_myopathy 1 4000", "emg_myopathy 2 4000"))
    with pytest.raises(data.WFDBFormatError, match="line 1: 2 signals"):
        data.read_wfdb_header(tmp_path / "y.hea")
    (tmp_path / "z.hea").write_text(hea.replace("10000/mv", "10000(100)/uV"))
    hz = data.read_wfdb_header(tmp_path / "z.hea")
    assert (hz.baseline_adu, hz.units) == (100, "uV")


def _upward_zero_crossings(v):
    return int(np.sum((v[:-1] < 0) & (v[1:] >= 0)))


def test_current_clamp_steps_and_f_i(shared_cache):
    r = data.load_current_clamp("17o05028_ic_steps")
    assert r.name == "abf_17o05028_ic_steps"
    assert r.v_mV.shape == r.i_pA.shape == (16, 60000) and r.n_sweeps == 16
    assert r.fs_Hz == 20000 and r.sweep_duration_s == pytest.approx(3.0)
    t_step = np.searchsorted(r.time_s, 0.4)  # first step: 0.147-0.647 s
    np.testing.assert_array_equal(r.i_pA[:, t_step], np.arange(-50, 101, 10))
    assert (r.i_pA[:, 0] == 0).all()  # holding current 0 pA
    step = (r.time_s > 0.15) & (r.time_s < 0.64)
    spikes = [_upward_zero_crossings(v[step]) for v in r.v_mV]
    assert spikes[:5] == [0] * 5  # hyperpolarising steps: silent
    assert all(np.diff(spikes) >= 0) and spikes[-1] >= 20  # f-I: more current, more spikes
    assert 30 < r.v_mV.max() < 50  # overshooting action potentials
    assert -65 < np.median(r.v_mV[-1, r.time_s < 0.14]) < -55  # rest near -60 mV
    t, v, i = r.sweep(3)
    assert t is r.time_s and v.shape == i.shape == (60000,)


def test_current_clamp_depolarisation_block(shared_cache):
    r = data.load_current_clamp("abf_171116sh_0019")
    assert r.v_mV.shape == (22, 60000)
    np.testing.assert_array_equal(r.i_pA[:, np.searchsorted(r.time_s, 0.4)], np.arange(-100, 2001, 100))
    step = (r.time_s > 0.147) & (r.time_s < 0.64)  # first step epoch
    assert _upward_zero_crossings(r.v_mV[5, step]) >= 10  # 400 pA: repetitive firing
    assert 0 < np.median(r.v_mV[-1, step]) < 10  # 2000 pA: stuck near +5 mV
    t_max = r.time_s[step][np.argmax(r.v_mV[-1, step])]
    assert r.v_mV[-1, step].max() > 60 and t_max < 0.15  # after one spike at onset
    assert "Harden" in r.credit and "MIT" in r.credit


def test_twitch_force(shared_cache):
    r = data.load_force("twitch")
    assert r.fs_Hz == 10000 and r.time_s.size == 4000 and r.duration_s == pytest.approx(0.4)
    assert r.force_mN.shape == r.length_mm.shape == r.stimulus.shape == (4000,)
    np.testing.assert_allclose(r.stimulus_times_s, [0.1001])
    base = r.force_mN[r.time_s < 0.1].mean()
    assert 218 < base < 226  # ~220 mN resting tension
    assert r.force_mN.max() == pytest.approx(412.4495)  # 0.824899 V x 500 mN/V
    t_peak = r.time_s[np.argmax(r.force_mN)]
    assert 0.105 < t_peak < 0.125  # peaks ~14 ms after the stimulus
    assert r.force_mN[r.time_s > 0.2].mean() < base + 10  # relaxed again
    assert np.ptp(r.length_mm) < 0.05  # isometric: lever does not move


def test_tetanus_force_and_stimuli(shared_cache):
    tet, tw = data.load_force("tetanus"), data.load_force("twitch")
    assert tet.time_s.size == 7500 and tet.duration_s == pytest.approx(0.75)
    st = tet.stimulus_times_s
    assert st.size == 22  # detected from the stimulus line
    assert st[0] == pytest.approx(0.1001)
    assert (st.size - 1) / (st[-1] - st[0]) == pytest.approx(275, abs=1)
    assert tet.force_mN.max() == pytest.approx(2626.289)
    active_tet = tet.force_mN.max() - tet.force_mN[tet.time_s < 0.1].mean()
    active_tw = tw.force_mN.max() - tw.force_mN[tw.time_s < 0.1].mean()
    assert 12 < active_tet / active_tw < 14  # ~13x the twitch
    # the force peaks during the train (~36 ms after its start) and fades before it ends
    t_peak = tet.time_s[np.argmax(tet.force_mN)]
    assert st[0] + 0.02 < t_peak < st[-1]
    assert tet.force_mN[np.searchsorted(tet.time_s, st[-1])] < 0.5 * tet.force_mN.max()


def test_epp_amplitudes(shared_cache):
    df = data.load_epp_amplitudes()
    assert list(df.columns) == ["amplitude_mV", "n_trials"]
    assert df["n_trials"].sum() == 198
    assert df.loc[df["amplitude_mV"] == 0, "n_trials"].item() == 18  # failures
    assert np.diff(df["amplitude_mV"]) == pytest.approx(np.full(len(df) - 1, 0.101))
    mean = (df["amplitude_mV"] * df["n_trials"]).sum() / 198
    assert 0.9 < mean < 1.0
    assert "Boyd & Martin 1956" in df.attrs["credit"]


def test_endplate_noise(shared_cache):
    rest, ach = data.load_endplate_noise("resting"), data.load_endplate_noise("exposed")
    assert list(rest.columns) == ["time_s", "v_mV"]
    assert len(rest) == 120 and len(ach) == 138
    assert rest["v_mV"].mean() == pytest.approx(-93.0, abs=0.05)  # Katz & Miledi: 93 mV
    assert ach["v_mV"].mean() == pytest.approx(-84.5, abs=0.05)  # ... to 84.5 mV
    assert ach["v_mV"].std() > 1.5 * rest["v_mV"].std()  # ACh adds noise
    assert 0.19 < rest["time_s"].max() < 0.21 and rest["time_s"].is_monotonic_increasing


def test_channel_open_times(shared_cache):
    df = data.load_channel_open_times()
    assert list(df.columns) == ["bin_start_ms", "bin_end_ms", "n_closings"]
    assert len(df) == 24 and df["bin_start_ms"].iloc[0] == 0.5
    assert (df["bin_end_ms"] - df["bin_start_ms"] == 0.5).all()
    assert df["n_closings"].sum() == 403 and df["n_closings"].iloc[0] == 69
    assert df["n_closings"].iloc[:4].is_monotonic_decreasing


def test_lab_results(shared_cache):
    df = data.load_lab_results()
    assert set(df["analyte"]) == set(data.LAB_LABELS.values())
    assert df["subject_id"].nunique() == 100
    assert pd.api.types.is_datetime64_any_dtype(df["charttime"])
    units = df.groupby("analyte")["unit"].unique().map(list).to_dict()
    assert units == {
        "sodium": ["mEq/L"],
        "potassium": ["mEq/L"],
        "chloride": ["mEq/L"],
        "calcium_total": ["mg/dL"],
        "magnesium": ["mg/dL"],
        "calcium_free": ["mmol/L"],
    }
    items = df.groupby("analyte")["itemid"].unique().map(sorted).to_dict()
    assert items == {
        "sodium": [50983],
        "potassium": [50971],
        "chloride": [50902],
        "calcium_total": [50893],
        "magnesium": [50960],
        "calcium_free": [50808],
    }
    assert df.attrs["dropped_non_numeric"] == 3  # three potassium rows reading '___'
    k = df[df["analyte"] == "potassium"]
    assert len(k) == 3019
    inside = ((k["value"] >= 3.3) & (k["value"] <= 5.1)).mean()
    assert 0.85 < inside < 0.95
    assert set(zip(k["ref_range_lower"], k["ref_range_upper"])) == {(3.3, 5.1), (3.5, 5.4)}
    # the flag follows the laboratory's own range
    out = (k["value"] < k["ref_range_lower"]) | (k["value"] > k["ref_range_upper"])
    assert ((k["flag"] == "abnormal") == out).mean() > 0.99
    na = df[df["analyte"] == "sodium"]["value"]
    assert 136 < na.median() < 141 and len(na) == 3007
    assert "ODbL-1.0" in df.attrs["credit"]
    only_k = data.load_lab_results("potassium")
    assert set(only_k["analyte"]) == {"potassium"} and len(only_k) == 3019

"""The on-disk panel-table cache (utils.tablecache, filled by ``make setup``): cached tables equal fresh
runs, a change of model code or parameters changes every key, and a read-only cache folder falls back
to a per-user one (never a silent recompute in every kernel)."""

from __future__ import annotations

import dataclasses
import shutil
import warnings

import numpy as np
import pandas as pd
import pytest

from utils import hh_widgets, tablecache, twitch_widgets


def assert_same(a, b, where="table"):
    """Equal tables: arrays and frames exactly (NaN == NaN), dataclasses field by field."""
    if dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            assert_same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=where)
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b, err_msg=where)
    elif isinstance(a, (tuple, list)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{where}[{i}]")
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for k in a:
            assert_same(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, float) and np.isnan(a):
        assert np.isnan(b), where
    else:
        assert a == b, where


# (function, args): tables that panel builds read. The refractory table and the tetany runs are the
# slow ones (a second or so each) and follow the same path as these.
TABLES = [
    (hh_widgets.strength_duration, ()),
    (hh_widgets.fi_table, ()),
    (hh_widgets.clamp_table, ()),
    (hh_widgets.firing_landmarks, ()),
    (hh_widgets.all_or_none_curve, (1.0,)),
    (twitch_widgets.cached_run, ("fasciculation", 0.3)),
    (twitch_widgets.cached_run, ("neuromyotonia", 0.6)),
]


@pytest.mark.parametrize("fn,args", TABLES, ids=lambda x: getattr(x, "__name__", repr(x)))
def test_cached_table_equals_a_fresh_run(fn, args):
    raw = fn.__wrapped__  # lru_cache -> disk_cached wrapper
    k = tablecache.key(raw.uncached, args)
    found, stored = tablecache.load(k)
    if not found:  # a cache not yet filled by make setup: fill it now, then read it back
        raw(*args)
        found, stored = tablecache.load(k)
    assert found
    assert_same(stored, raw.uncached(*args), fn.__name__)


def _copy_tree(tmp_path, monkeypatch):
    models = tmp_path / "utils" / "models"
    shutil.copytree(tablecache.HERE, models, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "utils" / "sources").mkdir()
    shutil.copy(tablecache.PACKAGE / "validation.py", tmp_path / "utils")
    shutil.copy(tablecache.PACKAGE / "sources" / "tables.py", tmp_path / "utils" / "sources")
    shutil.copytree(tablecache.DATA, tmp_path / "data", ignore=shutil.ignore_patterns("*.json", "*.md"))
    monkeypatch.setattr(tablecache, "HERE", models)
    monkeypatch.setattr(tablecache, "PACKAGE", tmp_path / "utils")
    monkeypatch.setattr(tablecache, "DATA", tmp_path / "data")
    return models, tmp_path / "data"


def test_a_change_of_model_code_or_parameters_changes_the_key(tmp_path, monkeypatch):
    models, data = _copy_tree(tmp_path, monkeypatch)
    fn = hh_widgets.strength_duration.__wrapped__.uncached

    def fresh_key():
        tablecache.code_hash.cache_clear()
        return tablecache.key(fn, ())

    try:
        k0 = fresh_key()
        assert fresh_key() == k0  # stable
        hh_py = models / "hh.py"
        hh_py.write_text(hh_py.read_text() + "\n# a change of the model code\n")
        k1 = fresh_key()
        assert k1 != k0
        csv = sorted(data.glob("*.csv"))[0]
        csv.write_text(csv.read_text() + "\n")
        k2 = fresh_key()
        assert k2 not in (k0, k1)
        assert tablecache.key(fn, ((1.0, 2.0),)) != k2  # and the arguments are part of the key
    finally:
        monkeypatch.undo()
        tablecache.code_hash.cache_clear()


def test_read_only_cache_falls_back_to_a_per_user_folder(tmp_path, monkeypatch):
    shared, user = tmp_path / "shared", tmp_path / "home-cache"
    monkeypatch.setenv("TWITCH_TABLE_CACHE_DIR", str(shared))
    monkeypatch.setenv("XDG_CACHE_HOME", str(user))
    calls = []

    @tablecache.disk_cached
    def table(x):
        calls.append(x)
        return np.arange(x)

    table(3)  # writable: written to the shared folder
    assert len(list(shared.rglob("*.pkl"))) == 1
    real_access = tablecache.os.access
    monkeypatch.setattr(
        tablecache.os,
        "access",
        lambda p, mode: False if str(p).startswith(str(shared)) else real_access(p, mode),
    )
    np.testing.assert_array_equal(table(3), np.arange(3))  # still read from the read-only folder
    table(4)  # a miss: computed once, written to the per-user folder
    table(4)
    assert calls == [3, 4]
    assert len(list(user.rglob("*.pkl"))) == 1


def test_no_writable_folder_warns_once(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TWITCH_TABLE_CACHE_DIR", str(blocker / "tables"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "cache"))
    monkeypatch.setattr(tablecache, "_warned", False)

    @tablecache.disk_cached
    def table(x):
        return x

    with pytest.warns(RuntimeWarning, match="cannot be cached"):
        assert table(1) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert table(2) == 2  # warned once, not on every table

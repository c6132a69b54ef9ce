"""utils.resources: the package finds its own files, and numba always has a writable cache."""

from __future__ import annotations

import pytest

from utils import quiz, resources, tables


def test_checkout_reads_the_project_folders():
    assert resources.SOURCE_ROOT is not None
    assert tables.DATA_DIR == resources.SOURCE_ROOT / "data"
    assert quiz.QUIZ_DIR == resources.SOURCE_ROOT / "notebooks" / "quizzes"
    assert resources.repository_url().startswith("https://github.com/")
    assert "export default" in resources.asset_text("utils.panels", "slider.js")


def test_missing_asset_is_refused_with_a_message():
    with pytest.raises(resources.InstallError, match="reinstall"):
        resources.asset_text("utils.panels", "nothing.js")


def test_read_only_numba_cache_dir_is_redirected_and_seeded(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    (shared / "sub").mkdir(parents=True)
    (shared / "sub" / "hh._kernel-361.py311.nbi").write_bytes(b"index")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user"))
    real = resources.writable
    monkeypatch.setattr(resources, "writable", lambda p: p != shared and real(p))
    env = {"NUMBA_CACHE_DIR": str(shared)}
    got = resources.configure_numba_cache(env)
    target = tmp_path / "user" / "why-muscles-twitch" / "numba"
    assert got == str(target) == env["NUMBA_CACHE_DIR"]
    assert (target / "sub" / "hh._kernel-361.py311.nbi").read_bytes() == b"index"


def test_writable_numba_cache_dir_is_left_alone(tmp_path):
    env = {"NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    assert resources.configure_numba_cache(env) is None
    assert env == {"NUMBA_CACHE_DIR": str(tmp_path / "cache")}


def test_nothing_writable_warns_instead_of_recompiling_silently(monkeypatch):
    monkeypatch.setattr(resources, "writable", lambda p: False)
    with pytest.warns(RuntimeWarning, match="compile again in every new kernel"):
        assert resources.configure_numba_cache({"NUMBA_CACHE_DIR": "/nowhere"}) is None

"""A built wheel works away from the project folder: installed normally, and installed read-only.

1. ``pip wheel --no-deps .``, installed with ``--no-deps`` into a fresh venv whose only other packages are
   the runtime dependencies already installed here (a ``.pth`` line points at this venv's site-packages,
   so nothing is downloaded). From a folder outside the project, the package finds its tables, quizzes and
   widget JavaScript inside itself (importlib.resources) and one panel builds and updates.
2. The same wheel unpacked into a read-only folder, with a read-only data cache and a read-only, warm,
   shared numba cache (a school hub's image), run as an unprivileged user with its own empty home: the
   shared cache is copied into the per-user cache automatically, so the first model loads compiled kernels
   (no cache misses) and a second run compiles nothing either.

Slow (a wheel build and a few interpreters, ~1 min): marked ``slow``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

# Runs in the installed copy: builds one panel, moves it, reports where things came from and numba's cache use.
PROBE = textwrap.dedent(
    """
    import json, os, sys
    import utils
    from utils import resources, tables, quiz, widgets
    from utils.figures import widget as fw
    from utils.panels import controls
    p = widgets.first_slider_panel()
    p.rate.value = 12.0
    p.update()
    state = p.compute()
    import numba.core.dispatcher as nd
    import utils.models.muscle as m
    hits = misses = 0
    for obj in vars(m).values():
        if isinstance(obj, nd.Dispatcher) and obj.signatures:
            hits += sum(obj.stats.cache_hits.values())
            misses += sum(obj.stats.cache_misses.values())
    print(json.dumps({
        "utils": utils.__file__, "source_root": str(resources.SOURCE_ROOT), "data": str(tables.DATA_DIR),
        "quizzes": len(quiz.load("02_resting_membrane")), "repo": resources.repository_url(),
        "js": len(fw.PlotlyFigure._esm) > 1000 and len(controls.Slider._esm) > 500 and "fieldset" in quiz.QuizRadios._esm,
        "label": state["label"], "numba_cache_dir": os.environ.get("NUMBA_CACHE_DIR"),
        "hits": hits, "misses": misses,
    }))
    """
)


def _run(cmd, **kw):
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kw)
    assert proc.returncode == 0, f"{cmd}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc


def _probe(python, cwd, env):
    out = _run([str(python), "-c", PROBE], cwd=cwd, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def _clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "NUMBA", "VIRTUAL_ENV"))}
    env.pop("TWITCH_DATA_DIR", None)
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)])
    (whl,) = out.glob("why_muscles_twitch-*.whl")
    return whl


def test_wheel_carries_the_package_data(wheel):
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "utils/_data/ion_presets.csv",
        "utils/_data/references.json",
        "utils/_data/recordings.csv",
        "utils/_quizzes/02_resting_membrane.json",
        "utils/figures/widget.js",
        "utils/panels/slider.js",
        "utils/course/quiz_radios.js",
        "utils/models/hh.py",
        "utils/course/quiz.py",
    ):
        assert expected in names, f"{expected} is not in {wheel.name}"
    data = {p.name for p in (ROOT / "data").iterdir() if p.suffix in (".csv", ".json")}
    assert {n.split("/")[-1] for n in names if n.startswith("utils/_data/")} == data


def test_wheel_in_a_fresh_venv_runs_a_panel(wheel, tmp_path):
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    site = Path(
        _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip()
    )
    # the runtime dependencies come from this venv (appended after the new venv's own site-packages)
    (site / "zz_runtime_deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheel)])
    away = tmp_path / "elsewhere"
    away.mkdir()
    got = _probe(python, away, _clean_env(HOME=str(tmp_path / "home")))
    assert got["utils"].startswith(str(site)), got
    assert got["source_root"] == "None", "the installed copy must not read the project folder"
    assert got["data"].startswith(str(site)) and got["data"].endswith("_data")
    assert got["quizzes"] >= 3 and got["js"] is True
    assert got["repo"].startswith("https://"), got
    assert "Hz" not in got["label"] and got["label"], got


def _as_nobody():
    """A prefix that runs a command as an unprivileged user (so read-only means read-only for root too)."""
    if os.getuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: cannot test read-only folders")
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    # The unprivileged user runs this venv's Python: it needs the venv (inside the clone) readable.
    probe = subprocess.run([*prefix, sys.executable, "-c", "import numpy"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(
            f"this venv ({sys.prefix}) is not readable by an unprivileged user here (a private clone folder)"
        )
    return prefix


def _readonly(path: Path) -> None:
    for p in [path, *path.rglob("*")]:
        p.chmod(p.stat().st_mode & ~0o222)


@pytest.fixture
def open_tmp():
    """A temp folder an unprivileged user can reach (pytest's own is private to root)."""
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="twitch-readonly-"))
    path.chmod(0o755)
    yield path
    for p in [path, *path.rglob("*")]:
        if not p.is_symlink():
            p.chmod(p.stat().st_mode | 0o200)
    shutil.rmtree(path, ignore_errors=True)


def test_read_only_install_uses_a_warm_shared_numba_cache(wheel, open_tmp):
    tmp_path = open_tmp
    pkg = tmp_path / "site"  # the package, read-only (a shared image)
    _run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(pkg), str(wheel)])
    shared_cache = tmp_path / "numba-shared"
    data_cache = tmp_path / "data"
    data_cache.mkdir()
    (data_cache / "README").write_text("the recordings cache (read-only)\n")
    deps = sysconfig.get_path("purelib")
    pythonpath = f"{pkg}{os.pathsep}{deps}"
    away = tmp_path / "elsewhere"
    away.mkdir()
    # the image build: warm the shared cache (writable at build time)
    built = _probe(
        sys.executable,
        away,
        _clean_env(PYTHONPATH=pythonpath, NUMBA_CACHE_DIR=str(shared_cache), HOME=str(tmp_path / "builder")),
    )
    assert built["misses"] >= 1, "the build should have compiled the kernels"
    assert any(shared_cache.rglob("*.nbi")), "nothing was written to the shared numba cache"
    for p in (pkg, shared_cache, data_cache):
        _readonly(p)
    home = tmp_path / "student"
    home.mkdir()
    os.chown(home, 65534, 65534) if os.getuid() == 0 else None
    env = _clean_env(
        PYTHONPATH=pythonpath,
        NUMBA_CACHE_DIR=str(shared_cache),
        TWITCH_DATA_DIR=str(data_cache),
        HOME=str(home),
    )
    prefix = _as_nobody()
    for run in (1, 2):
        proc = _run([*prefix, sys.executable, "-W", "error::RuntimeWarning", "-c", PROBE], cwd=away, env=env)
        got = json.loads(proc.stdout.strip().splitlines()[-1])
        assert got["utils"].startswith(str(pkg)), got
        assert got["numba_cache_dir"].startswith(str(home)), (
            f"run {run}: not redirected to a per-user cache: {got}"
        )
        assert got["misses"] == 0 and got["hits"] >= 1, f"run {run}: kernels were compiled again: {got}"
    assert any((home / ".cache").rglob("*.nbi"))
    assert not list(pkg.rglob("__pycache__/*.nbi")), "numba wrote into the read-only package"

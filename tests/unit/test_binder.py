"""Binder's configuration (binder/): runtime packages only, the same minors as the lock, a warm start.

- binder/environment.yml names only runtime packages, each at the minor version requirements.txt locks
  (a subset of the lock; ``notebook`` is the one Binder-only addition, see BINDER_ONLY);
- none of the test and build tools is there, and nothing in utils imports one;
- every third-party import in utils is covered by the runtime set;
- postBuild installs the package without touching the environment, enables the figure server extension
  and warms the caches; the same numba CPU target is set at build and at start;
- every Binder link (README, docs, notebooks) is built from pyproject.toml's Repository URL.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"
TEST_ONLY = {
    "neuron",
    "playwright",
    "pytest",
    "pytest-timeout",
    "hypothesis",
    "nbval",
    "ruff",
    "pytest-xdist",
}
# Binder only: repo2docker's base image ships notebook 7.4 (jupyterlab<4.5); notebook 7.6 goes with 4.6.
BINDER_ONLY = {"notebook"}
# import name -> the runtime package that provides it (directly or as a dependency it always pulls in)
IMPORT_TO_PACKAGE = {
    "IPython": "ipykernel",
    "traitlets": "ipywidgets",
    "jupyter_server": "jupyterlab",
    "tornado": "jupyterlab",
}


def lock() -> dict[str, str]:
    out = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            out[canonicalize_name(req.name)] = str(req.specifier).removeprefix("==")
    return out


def runtime() -> dict[str, SpecifierSet]:
    """Package -> version specifier, conda (name=X.Y means X.Y.*) and pip entries of binder/environment.yml."""
    env = yaml.safe_load((BINDER / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    out = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for line in dep["pip"]:
                assert not line.startswith("-e") and line != ".", "install the project in postBuild, not here"
                req = Requirement(line)
                out[canonicalize_name(req.name)] = req.specifier
            continue
        name, _, version = dep.partition("=")
        if name in ("python", "pip"):
            continue
        assert re.fullmatch(r"\d+\.\d+", version), (
            f"{dep!r}: pin conda packages at a minor version (name=X.Y)"
        )
        out[canonicalize_name(name)] = SpecifierSet(f"=={version}.*")
    return out


def test_runtime_set_is_a_subset_of_the_lock_at_the_same_minor():
    locked = lock()
    for name, spec in runtime().items():
        if name in BINDER_ONLY:
            continue
        assert name in locked, f"binder/environment.yml has {name}, which requirements.txt does not lock"
        assert spec.contains(locked[name]), f"{name}: binder pins {spec}, the lock has {locked[name]}"
        assert re.fullmatch(r"==\d+\.\d+\.\*", str(spec)), f"{name}: pin a minor version ({spec})"


def test_runtime_set_has_no_test_tools():
    assert not (set(runtime()) & TEST_ONLY), sorted(set(runtime()) & TEST_ONLY)


def test_python_is_the_one_make_uses():
    env = yaml.safe_load((BINDER / "environment.yml").read_text())
    assert "python=3.11" in env["dependencies"]


def utils_third_party_imports() -> dict[str, str]:
    """import name -> first file importing it, for every non-stdlib, non-utils import in utils/."""
    found = {}
    for path in sorted((ROOT / "utils").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            for n in names:
                top = n.split(".")[0]
                if top not in sys.stdlib_module_names and top != "utils":
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def test_utils_imports_no_test_only_package():
    bad = {m: f for m, f in utils_third_party_imports().items() if canonicalize_name(m) in TEST_ONLY}
    assert not bad, f"utils imports test-only packages: {bad}"


def test_every_utils_import_is_in_the_runtime_set():
    rt = set(runtime())
    missing = {
        m: f
        for m, f in utils_third_party_imports().items()
        if canonicalize_name(IMPORT_TO_PACKAGE.get(m, m)) not in rt
    }
    assert not missing, f"utils imports packages Binder would not install: {missing}"


def test_pyproject_dependencies_are_runtime_packages():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {canonicalize_name(Requirement(d).name) for d in deps}
    assert names <= set(runtime()), sorted(names - set(runtime()))


def test_post_build_installs_without_rebuilding_and_warms():
    post = (BINDER / "postBuild").read_text()
    lines = [ln.strip() for ln in post.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    assert lines[0] == "set -euo pipefail"
    assert "pip install --no-deps -e ." in lines
    assert "python -m utils.figures.server install" in lines
    assert "python -m utils.course.warm" in lines
    assert lines.index("pip install --no-deps -e .") < lines.index("python -m utils.course.warm")
    start = (BINDER / "start").read_text()
    assert start.rstrip().endswith('exec "$@"')
    # numba's cache key holds the CPU name and features: build and start must agree ("generic": portable)
    assert "export NUMBA_CPU_NAME=generic" in post and "export NUMBA_CPU_NAME=generic" in start
    for f in ("postBuild", "start"):
        assert (BINDER / f).stat().st_mode & 0o111, f"binder/{f} must be executable"


def test_top_level_environment_yml_is_the_full_test_set():
    # repo2docker reads binder/ and ignores the top-level file, which stays the conda users' full set
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    flat = {str(d).split("=")[0] for d in env["dependencies"] if isinstance(d, str)}
    assert {"pytest", "nbval"} <= flat


def test_every_binder_link_uses_the_repository_setting():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "binder_links.py"), "--check"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_binder_links_follow_the_setting():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import binder_links
    finally:
        sys.path.remove(str(ROOT / "tools"))
    from utils import series

    repo = binder_links.repository()
    assert f"/v2/gh/{repo}/HEAD?" in series.binder_url("02_resting_membrane.ipynb")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count(f"mybinder.org/v2/gh/{repo}/") >= 10


def test_warm_builds_every_argument_free_panel_of_every_panels_module():
    from utils.course import warm

    on_disk = sorted(p.stem for p in (ROOT / "utils" / "panels").glob("*widgets.py"))
    assert warm.panel_modules() == on_disk
    names = {f"{m}.{n}" for m, n, _ in warm.panel_factories()}
    assert "widgets.first_slider_panel" in names and "hh_widgets.firing_panel" in names

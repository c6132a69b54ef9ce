"""The pip lock, requirements.in and environment.yml name the same packages at the same versions."""

import re
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def _pins(lines):
    out = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        req = Requirement(line)
        spec = str(req.specifier)
        assert spec.startswith("=="), f"{line!r} is not pinned exactly"
        out[canonicalize_name(req.name)] = spec[2:]
    return out


def _environment_pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    pins, local = {}, []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for p in dep["pip"]:
                if p.startswith("-e") or p == ".":
                    local.append(p)
                else:
                    pins.update(_pins([p]))
            continue
        name, _, version = dep.partition("=")
        if name in ("python", "pip"):
            continue
        assert version and not version.startswith("="), f"conda dependency {dep!r} must be name=version"
        pins[canonicalize_name(name)] = version
    return pins, local, env


def test_environment_yml_matches_requirements_in():
    top = _pins((ROOT / "requirements.in").read_text().splitlines())
    env, local, _ = _environment_pins()
    assert env == top, (
        "environment.yml and requirements.in disagree: "
        f"only in env {sorted(set(env) - set(top))}, only in requirements.in "
        f"{sorted(set(top) - set(env))}, versions differ "
        f"{ {k: (env[k], top[k]) for k in set(env) & set(top) if env[k] != top[k]} }"
    )
    assert local == ["-e ."], "environment.yml must install the project's own package (utils)"


def test_lock_contains_every_top_level_pin():
    top = _pins((ROOT / "requirements.in").read_text().splitlines())
    lock = _pins((ROOT / "requirements.txt").read_text().splitlines())
    for name, version in top.items():
        assert lock.get(name) == version, f"requirements.txt has {name}=={lock.get(name)}, want {version}"
    assert "why-muscles-twitch" not in lock


def test_python_versions_agree():
    _, _, env = _environment_pins()
    py = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python=")][0]
    major_minor = tuple(int(x) for x in py.split("=")[1].split(".")[:2])
    text = (ROOT / "pyproject.toml").read_text()
    floor = re.search(r'requires-python\s*=\s*">=(\d+)\.(\d+)"', text)
    assert floor and major_minor >= (int(floor[1]), int(floor[2]))
    assert major_minor >= (3, 11)


def test_installed_versions_match_the_lock():
    from importlib.metadata import PackageNotFoundError, version

    lock = _pins((ROOT / "requirements.txt").read_text().splitlines())
    wrong = {}
    for name, want in lock.items():
        try:
            have = version(name)
        except PackageNotFoundError:
            wrong[name] = (want, None)
            continue
        if canonicalize_name(have) != canonicalize_name(want) and have != want:
            wrong[name] = (want, have)
    assert not wrong, f"the venv differs from requirements.txt (run make setup): {wrong}"

"""The package's house rules, checked on the source: layers, private names, imports at the top.

- Each layer imports only its own layer and the layers below it (``utils.LAYERS``, bottom first);
  the models never load recordings (they take arrays: panels and notebooks load).
- No module uses another module's private name (``mod._name`` or ``from .mod import _name``).
- Every module name is unique across layers, so ``from utils import <name>`` is unambiguous.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import utils

ROOT = Path(utils.__file__).parent
MODULES = sorted(p for p in ROOT.rglob("*.py") if "__pycache__" not in p.parts)


def layer_of(path: Path) -> str:
    rel = path.relative_to(ROOT)
    return rel.parts[0] if len(rel.parts) > 1 else ""


def rank(layer: str) -> int:
    return -1 if layer == "" else utils.LAYERS.index(layer)


def imported_utils_modules(path: Path) -> list[tuple[str, int, list[str]]]:
    """(absolute dotted module, line, imported names) of every utils import in a file."""
    pkg = ["utils", *path.relative_to(ROOT).parent.parts]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg[: len(pkg) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] == "utils":
                out.append((mod, node.lineno, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out += [(a.name, node.lineno, []) for a in node.names if a.name.split(".")[0] == "utils"]
    return out


def target_layer(mod: str, names: list[str]) -> list[str]:
    parts = mod.split(".")
    if len(parts) >= 2 and parts[1] in utils.LAYERS:
        return [parts[1]]
    if len(parts) == 1:  # from utils import x
        return [
            (utils.module_path(n) or "utils.").split(".")[1] if utils.module_path(n) else "" for n in names
        ]
    return [""]  # utils.validation


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_layer_imports_only_below(path):
    mine = layer_of(path)
    bad = []
    for mod, line, names in imported_utils_modules(path):
        for layer in target_layer(mod, names):
            if rank(layer) > rank(mine):
                bad.append(f"line {line}: {mod} ({layer or 'root'}) from layer {mine or 'root'}")
    assert not bad, bad


@pytest.mark.parametrize("path", sorted((ROOT / "models").glob("*.py")), ids=lambda p: p.name)
def test_models_load_no_recordings(path):
    loaders = {"utils.sources.recordings", "utils.sources.ddf", "utils.sources.diary"}
    used = [(m, n) for m, _, n in imported_utils_modules(path)]
    flat = {m for m, _ in used} | {f"{m}.{x}" for m, n in used for x in n}
    assert not (flat & loaders), f"{path.name} imports a loader: {sorted(flat & loaders)}"


def private_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    local_modules = set()  # names bound to utils modules in this file
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for a in node.names:
                if (
                    a.name.startswith("_")
                    and a.name != "__future__"
                    and (node.level or (node.module or "").startswith("utils"))
                ):
                    found.append(f"line {node.lineno}: imports private {a.name}")
                local_modules.add(a.asname or a.name)
            if (
                node.module
                and node.module.split(".")[-1].startswith("_")
                and (node.level or node.module.startswith("utils"))
            ):
                found.append(f"line {node.lineno}: imports from private module {node.module}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in local_modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_private_names_across_modules(path):
    assert not private_uses(path)


def test_private_scan_catches_a_use(tmp_path):
    f = tmp_path / "x.py"
    f.write_text("from . import hh\nfrom .kit import _box\nhh._n_steps(1)\n")
    found = private_uses(f)
    assert any("_box" in s for s in found) and any("hh._n_steps" in s for s in found)


def test_module_names_unique_across_layers():
    names = [p.stem for p in MODULES if p.stem != "__init__"]
    dup = {n for n in names if names.count(n) > 1}
    assert not dup


@pytest.mark.parametrize(
    "name", sorted({p.stem for p in MODULES if p.stem != "__init__" and not p.stem.startswith("_")})
)
def test_every_module_reachable_from_top(name):
    import importlib

    assert importlib.import_module(utils.module_path(name)) is getattr(utils, name)

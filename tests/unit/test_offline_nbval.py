"""nbval passes on every notebook with an empty recordings cache and no network (issue 19).

The checked cells (``# NBVAL_CHECK_OUTPUT``) are the ones whose output does not depend on a
recording: a model, a published constant, the sample diary. A cell that prints numbers measured
in a recording is not checked, because offline it honestly prints something else (the message
box that says which file is missing and where to put it); those numbers are asserted against
the published values in the unit tests that load the recordings (test_data.py, test_muscle_fit.py,
test_nmj.py, test_emg.py). So nbval's comparison holds in both modes without a sanitizer that
would hide a difference.

Each notebook runs in a child pytest with the Makefile's ``NBVAL_FLAGS``, ``TWITCH_DATA_DIR``
pointing at an empty folder and a short network timeout, exactly as test_offline_notebooks.py
runs them (Run All with nbclient); the kernel imports this checkout's ``utils``.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def nbval_flags() -> list[str]:
    """The notebook layer's nbval flags, read from the Makefile (one definition)."""
    m = re.search(r"^NBVAL_FLAGS\s*:=\s*(.+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert m, "Makefile: no NBVAL_FLAGS"
    return shlex.split(m.group(1))


def test_the_flags_are_the_lax_mode_with_the_sanitizer():
    flags = nbval_flags()
    assert "--nbval-lax" in flags
    assert flags[flags.index("--nbval-sanitize-with") + 1] == "tests/nbval_sanitize.cfg"


@pytest.mark.timeout(900)
@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_nbval_passes_offline_with_an_empty_cache(nb_path, tmp_path):
    empty = tmp_path / "empty-cache"
    empty.mkdir()
    env = dict(
        os.environ,
        TWITCH_DATA_DIR=str(empty),
        TWITCH_NET_TIMEOUT_S="3",
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
    )
    cmd = [sys.executable, "-m", "pytest", *nbval_flags(), str(nb_path.relative_to(ROOT)), "-q"]
    cmd += ["-p", "no:cacheprovider"]
    run = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=840)
    out = run.stdout[-4000:] + run.stderr[-1000:]
    assert run.returncode == 0, f"nbval fails on {nb_path.name} offline:\n{out}"
    assert re.search(r"\b\d+ passed\b", run.stdout), out
    assert not list(empty.rglob("*")), "nothing was downloaded into the empty cache"

"""Shared test set-up: recordings come from the offline cache, hypothesis is deterministic."""

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"

# Tests never touch the network: point the data layer at the ready cache when it is there.
if SHARED_DATA.is_dir() and "TWITCH_DATA_DIR" not in os.environ:
    os.environ["TWITCH_DATA_DIR"] = str(SHARED_DATA)
os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")

settings.register_profile(
    "default", max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("default")


@pytest.fixture(autouse=True)
def _fresh_network_state():
    """Each test starts with no remembered network failure (recordings.retry())."""
    rec = sys.modules.get("utils.sources.recordings")
    if rec is not None:
        rec.retry()
    yield

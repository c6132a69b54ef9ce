"""Write data/fibre_serum_grid.csv: what the muscle fibre (utils.fibre, 37 °C) does on the serum
grid that utils.electrolytes uses for the muscle side (K⁺ 1.0–10.0 mmol/L in steps of 0.05,
Na⁺ 110–160 mmol/L in steps of 5; ``electrolytes.FIBRE_K_STEP``, ``FIBRE_NA_STEP``).

It also writes data/fibre_rest_vs_potassium.csv: every stable rest of the fibre
(``utils.fibre.steady_states``) for [K⁺]o 0.5–8.0 mM in steps of 0.05, with ClC-1 normal and
blocked (notebook 02's panel, utils.fibre_widgets).

The tables are caches of ``utils.fibre.excitability``: utils.electrolytes reads a row when the
rounded profile is on the grid and runs the fibre otherwise, and tests/unit/test_electrolytes.py
checks sampled rows against a fresh run and the parameter-table hash in the header. Re-run after
any change to utils/models/fibre.py or data/fibre_parameters.csv:

    PYTHONPATH=$PWD python tools/fibre_grid.py            # about 10 minutes on one core
    PYTHONPATH=$PWD python tools/fibre_grid.py --rest     # only the rest table (about 30 s)
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from utils import fibre  # noqa: E402
from utils.models import electrolytes as el  # noqa: E402

COLUMNS = (
    "k_mmol_L",
    "na_mmol_L",
    "rest_mV",
    "steady_states_mV",
    "threshold_1ms_uA_per_cm2",
    "fires",
    "ap_peak_mV",
    "after_discharges",
    "spontaneous",
    "source",
)


def params_hash() -> str:
    return hashlib.sha256((ROOT / "data" / fibre.TABLE).read_bytes()).hexdigest()[:16]


def row(k: float, na: float) -> str:
    e = fibre.excitability(fibre.FibreParams(k_out_mM=k, na_out_mM=na))
    ss = " ".join(f"{v:.3f}" for v in e["steady_states_mV"])
    return ",".join(
        [
            f"{k:.2f}",
            f"{na:.0f}",
            f"{e['rest_mV']:.3f}",
            ss,
            f"{e['threshold_1ms_uA_per_cm2']:.3f}",
            str(int(bool(e["fires"]))),
            f"{e['ap_peak_mV']:.3f}",
            str(int(e["after_discharges"])),
            str(int(bool(e["spontaneous"]))),
            "cannonlab2024;human_models_sheet",
        ]
    )


def rest_table() -> None:
    from utils.panels import fibre_widgets as fw  # noqa: PLC0415

    lines = [
        "# Stable resting potentials of the muscle fibre (utils.fibre.steady_states, 37 °C) against [K+]o, ClC-1 normal and blocked.",
        "# Written by tools/fibre_grid.py (a cache of the model, not a measurement); "
        f"fibre_parameters.csv sha256[:16] = {params_hash()}.",
        "k_mmol_L,g_cl_scale,steady_states_mV,source",
    ]
    for g in fw.CL_SCALES:
        for k in fw.k_grid():
            ss = fibre.steady_states(fibre.FibreParams(k_out_mM=float(k), g_cl_scale=g))
            lines.append(f"{k:.2f},{g:g},{' '.join(f'{v:.3f}' for v in ss)},cannonlab2024;human_models_sheet")
    (ROOT / "data" / fw.REST_TABLE).write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    if "--rest" in sys.argv[1:]:
        rest_table()
        return
    rest_table()
    ks = np.round(np.arange(el.FIBRE_GRID_K[0], el.FIBRE_GRID_K[1] + 1e-9, el.FIBRE_K_STEP), 2)
    nas = np.arange(el.FIBRE_GRID_NA[0], el.FIBRE_GRID_NA[1] + 1e-9, el.FIBRE_NA_STEP)
    lines = [
        "# What the muscle fibre (utils.fibre, 37 °C, published parameters) does on the serum grid of utils.electrolytes.",
        "# Written by tools/fibre_grid.py from utils.fibre.excitability (a cache, not a measurement); "
        f"fibre_parameters.csv sha256[:16] = {params_hash()}.",
        "# steady_states_mV: every stable rest, space-separated; fires: the standard 1 ms pulse gives an overshooting AP.",
        ",".join(COLUMNS),
    ]
    for na in nas:
        for k in ks:
            lines.append(row(float(k), float(na)))
        print(f"Na {na:g} done", flush=True)
    (ROOT / "data" / el.FIBRE_GRID_TABLE).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""Interactive EMG panels of notebook 04: the three real needle records, and synthetic EMG.

Both panels sit on :class:`utils.kit.Panel`, as in ``utils.nmj_widgets`` (``compute``,
``draw`` by trace key, ``describe``; ``update()`` returns the state).

* :class:`RecordsPanel` — the PhysioNet emgdb records (healthy, myopathy, neuropathy; emgdb,
  goldberger2000) side by side: a window of each band-passed record with the detected units'
  discharges marked, their templates, and a per-unit table (``emg.analyse_recording``).
* :class:`SyntheticPanel` — synthetic EMG from the ``utils.muscle`` pool: a voluntary
  contraction at a chosen excitation against fasciculations at a chosen rate on a quiet
  baseline (``emg.voluntary_emg``, ``emg.fasciculation_emg``).
"""

from __future__ import annotations

import html
from functools import lru_cache

import ipywidgets as w  # noqa: PLC0415 (deferred: reads ipywidgets' live instances)
import numpy as np
import pandas as pd

from ..figures import framing, nmj_plots
from ..models import emg, muscle, tablecache
from ..sources import recordings as data
from . import kit

__all__ = ["analyses", "unit_table", "RecordsPanel", "records_panel", "SyntheticPanel", "synthetic_panel"]

RECORD_LABELS = {
    "healthy": "healthy (44 y)",
    "myopathy": "myopathy (57 y)",
    "neuropathy": "neuropathy (62 y)",
}  # ages: emgdb record headers (SOURCES.md)
#: Window of the records panel (s): the healthy record is the shortest (12.7 s: emgdb).
WINDOW_RANGE_S = (0.2, 2.0)
START_RANGE_S = (0.0, 12.0)
#: At most this many points per record sent to the browser (min/max per bin keeps every MUP
#: peak; a third of the figure is ~400 px wide).
RECORD_POINTS = 2000
#: Synthetic panel: a 1 s voluntary contraction, 20 s of fasciculation (at ~0.3 Hz about 6
#: potentials: decarvalho2016), at most this many points per trace sent to the browser.
VOLUNTARY_S = 1.0
FASCICULATION_S = 20.0
#: Seed of both synthetic records: with it the fasciculation counts at 0.1, 0.3, 1 and 2 Hz
#: (2, 5, 19, 40 in 20 s) sit near their expectation (2, 6, 20, 40), so the picture is typical.
SEED = 7


@lru_cache(maxsize=1)
def analyses() -> dict | None:
    """``emg.analyse_recording`` of each emgdb record (cached), or None if the records are
    unavailable."""
    out = {}
    for c in data.EMG_CONDITIONS:
        rec = data.try_load(data.load_emg, c)
        if rec is None:
            return None
        out[c] = emg.analyse_recording(rec)
    return out


def unit_table(results: dict | None = None) -> pd.DataFrame:
    """One row per detected unit of every record: record, unit (1 = largest), discharges,
    rate (Hz), ISI CV, amplitude (mV), duration (ms), phases. Rates and CVs use the ISIs
    within 0.5–1.5× the unit's median (``emg.firing_statistics``)."""
    results = analyses() if results is None else results
    rows = []
    for c, a in (results or {}).items():
        for r in a.units.itertuples(index=False):
            rows.append(
                {
                    "record": c,
                    "unit": int(r.unit) + 1,
                    "discharges": int(r.n_spikes),
                    "rate_Hz": r.rate_Hz,
                    "isi_cv": r.isi_cv,
                    "amplitude_mV": r.amplitude_mV,
                    "duration_ms": r.duration_ms,
                    "phases": int(r.n_phases),
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "record",
            "unit",
            "discharges",
            "rate_Hz",
            "isi_cv",
            "amplitude_mV",
            "duration_ms",
            "phases",
        ],
    )


def _table_html(df: pd.DataFrame) -> str:
    head = (
        "<tr><th>record</th><th>unit</th><th>discharges</th><th>rate (Hz)</th>"
        "<th>ISI CV</th><th>amplitude (mV)</th><th>duration (ms)</th><th>phases</th></tr>"
    )
    body = []
    for r in df.itertuples(index=False):
        rate = "–" if r.rate_Hz is None or pd.isna(r.rate_Hz) else f"{r.rate_Hz:.1f}"
        cv = "–" if r.isi_cv is None or pd.isna(r.isi_cv) else f"{r.isi_cv:.2f}"
        body.append(
            f"<tr><td>{html.escape(r.record)}</td><td>{r.unit}</td>"
            f"<td>{r.discharges}</td><td>{rate}</td><td>{cv}</td>"
            f"<td>{r.amplitude_mV:.2f}</td><td>{r.duration_ms:.1f}</td>"
            f"<td>{r.phases}</td></tr>"
        )
    return (
        "<table style='font-size:14px;border-collapse:collapse' border='1' "
        f"cellpadding='4'>{head}{''.join(body)}</table>"
    )


class RecordsPanel(kit.Panel):
    """Window start (s) and length (s) → the same stretch of the three real records, with the
    detected units' discharges marked (one marker shape per unit), their templates and a table.
    """

    def __init__(self, start_s: float = 5.0, window_s: float = 1.0):
        self.results = analyses()
        self.start = kit.slider("window start (s)", start_s, *START_RANGE_S, 0.1, param="start_s")
        self.window = kit.slider("window length (s)", window_s, *WINDOW_RANGE_S, 0.1, param="window_s")
        self.table = w.HTML()
        controls = {"start": self.start, "window": self.window}
        if self.results is None:
            self.conds = []
            super().__init__(controls, None)
            return
        self.conds = conds = list(self.results)
        figure = nmj_plots.records_figure(
            conds,
            [RECORD_LABELS[c] for c in conds],
            [len(self.results[c].units) for c in conds],
            self.results[conds[0]].template_time_ms.astype(np.float32),
            [[tm.astype(np.float32) for tm in self.results[c].templates_mV] for c in conds],
            data.credit("emgdb") + " Tibialis anterior, 25 mm concentric needle.",
        )
        self.table_df = unit_table(self.results)
        self.table.value = _table_html(self.table_df)
        super().__init__(controls, figure, extra=(self.table,))

    def compute(self) -> dict:
        """Per record: the window's sample range, detections, and the (decimated) signal and
        each unit's discharges in it."""
        t0, win = float(self.start.value), float(self.window.value)
        out = {"start_s": t0, "window_s": win, "records": {}, "available": self.results is not None}
        for c in self.conds:
            a = self.results[c]
            dur = a.filtered_mV.size / a.fs_Hz
            s0 = min(t0, dur - win)
            i0, i1 = int(round(s0 * a.fs_Hz)), int(round((s0 + win) * a.fs_Hz))
            sel = (a.peaks >= i0) & (a.peaks < i1)
            pk, lab = a.peaks[sel], a.labels[sel]
            units = [pk[lab == u] for u in range(len(a.units))]
            out["records"][c] = {
                "i0": i0,
                "i1": i1,
                "start_s": s0,
                "n_detections": int(sel.sum()),
                "n_labelled": int((sel & (a.labels >= 0)).sum()),
                "signal": kit.decimate(np.arange(i0, i1) / a.fs_Hz, a.filtered_mV[i0:i1], RECORD_POINTS),
                "units": [
                    ((p / a.fs_Hz).astype(np.float32), a.filtered_mV[p].astype(np.float32)) for p in units
                ],
            }
        return out

    def draw(self, st: dict) -> None:
        xy = {}
        for c, r in st["records"].items():
            xy[f"{c}:signal"] = r["signal"]
            xy.update({f"{c}:unit{u}": p for u, p in enumerate(r["units"])})
        framing.set_xy(self.figure, xy)
        self.figure.plot_layout.title.text = (
            f"Three needle records, {st['window_s']:.1f} s from {st['start_s']:.1f} s (same mV scale)"
        )

    def describe(self, st: dict) -> str:
        if not st["available"]:
            return "The EMG records are not available here."
        rows = "".join(
            f"<tr><td>{c}</td><td>{r['n_detections']} potentials, "
            f"{r['n_labelled']} assigned to units</td></tr>"
            for c, r in st["records"].items()
        )
        return (
            f"<b>In this window</b><table>{rows}</table><p>Markers: one shape per detected unit "
            "(unit 1 = largest template). Unmarked peaks were too close to other potentials to "
            "sort.</p>"
        )


def records_panel(start_s: float = 5.0, window_s: float = 1.0) -> RecordsPanel:
    """The notebook 04 records panel: ``emg_widgets.records_panel()`` shows it."""
    return RecordsPanel(start_s, window_s)


# --------------------------------------------------------------------------- (4) synthetic EMG
@lru_cache(maxsize=64)
@tablecache.disk_cached
def voluntary_run(excitation_pct: float):
    """Excitation (units), synthetic EMG of a 1 s voluntary contraction at ``excitation_pct`` %
    of the pool's maximum and its decimated trace (cached: a move of the other slider costs
    nothing)."""
    pool = muscle.make_pool()
    E = float(excitation_pct) / 100.0 * pool.excitation_max
    s = emg.voluntary_emg(E, VOLUNTARY_S, seed=SEED, pool=pool)
    return E, s, kit.decimate(s.time_s, s.signal_mV, kit.MAX_POINTS)


@lru_cache(maxsize=64)
@tablecache.disk_cached
def fasciculation_run(rate_Hz: float):
    """Synthetic EMG of 20 s of fasciculations at ``rate_Hz`` and its decimated trace (cached)."""
    f = emg.fasciculation_emg(float(rate_Hz), FASCICULATION_S, seed=SEED, pool=muscle.make_pool())
    return f, kit.decimate(f.time_s, f.signal_mV, kit.MAX_POINTS)


class SyntheticPanel(kit.Panel):
    """Excitation (% of the pool's maximum) → EMG of a voluntary contraction; fasciculation
    rate (Hz) → EMG of one unit firing at random on a quiet baseline."""

    def __init__(self, excitation_pct: float = 10.0, fasciculation_Hz: float = 0.3):
        self.pool = muscle.make_pool()
        self.excitation = kit.slider(
            "voluntary effort (% of maximum)", excitation_pct, 0.0, 100.0, 1.0, ".0f", param="excitation_pct"
        )
        self.fasc_rate = kit.slider(
            "fasciculation rate (Hz)", fasciculation_Hz, 0.05, 2.0, 0.05, ".2f", param="fasciculation_Hz"
        )
        figure = nmj_plots.synthetic_figure(VOLUNTARY_S, FASCICULATION_S)
        super().__init__({"excitation": self.excitation, "fasc_rate": self.fasc_rate}, figure)

    def compute(self) -> dict:
        """{'voluntary': numbers, 'fasciculation': numbers, 'traces': decimated arrays}."""
        pct, rate = float(self.excitation.value), float(self.fasc_rate.value)
        E, s, vol_trace = voluntary_run(pct)
        f, fasc_trace = fasciculation_run(rate)
        active = np.unique(s.spike_unit)
        vol = {
            "excitation_pct": pct,
            "excitation": E,
            "n_units_firing": int(active.size),
            "n_recruited": int(muscle.recruited_count(E, self.pool)),
            "n_discharges": int(s.spike_times_s.size),
            "largest_mup_mV": float(s.unit_amplitude_mV[active - 1].max()) if active.size else 0.0,
        }
        first = f.spike_unit[0] - 1 if f.spike_unit.size else 59
        fasc = {
            "rate_Hz": rate,
            "n_fasciculations": int(f.spike_times_s.size),
            "mup_mV": float(f.unit_amplitude_mV[first]),
        }
        times = f.spike_times_s.astype(np.float32)
        traces = {
            "voluntary": vol_trace,
            "fasciculation": fasc_trace,
            "fasc_times": (times, np.full(times.size, 1.7, np.float32)),
        }
        return {"voluntary": vol, "fasciculation": fasc, "traces": traces}

    def draw(self, st: dict) -> None:
        framing.set_xy(self.figure, st["traces"])
        v, fa = st["voluntary"], st["fasciculation"]
        self.figure.plot_layout.title.text = (
            f"Effort {v['excitation_pct']:.0f} %: {v['n_units_firing']} units firing · "
            f"fasciculations: {fa['n_fasciculations']} in {FASCICULATION_S:.0f} s"
        )

    def describe(self, st: dict) -> str:
        v, fa = st["voluntary"], st["fasciculation"]
        return (
            "<b>Read-out</b><table>"
            f"<tr><td>voluntary: units firing</td><td><b>{v['n_units_firing']}</b> of "
            f"{self.pool.n_units} ({v['n_discharges']} potentials in {VOLUNTARY_S:.0f} s)"
            f"</td></tr><tr><td>largest potential</td><td>{v['largest_mup_mV']:.2f} mV</td></tr>"
            f"<tr><td>fasciculations</td><td><b>{fa['n_fasciculations']}</b> in "
            f"{FASCICULATION_S:.0f} s (mean {fa['rate_Hz']:.2f} Hz), each "
            f"{fa['mup_mV']:.2f} mV</td></tr></table>"
            "<p>Voluntary: many potentials, each unit repeating regularly. Fasciculation: one "
            "unit's potential, alone, at random times, with the muscle at rest.</p>"
        )


def synthetic_panel(excitation_pct: float = 10.0, fasciculation_Hz: float = 0.3) -> SyntheticPanel:
    """The notebook 04 synthetic-EMG panel: ``emg_widgets.synthetic_panel()`` shows it."""
    return SyntheticPanel(excitation_pct, fasciculation_Hz)

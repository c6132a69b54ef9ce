"""Interactive EMG panels of notebook 04: the three real needle records, and synthetic EMG.

Same contract as ``utils.nmj_widgets`` (VBox, labelled sliders, HTML read-out, one FigureWidget
updated in place, ``update()`` returns the numbers shown).

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

from ..figures import nmj_plots
from ..models import emg, muscle
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


class RecordsPanel(w.VBox):
    """Window start (s) and length (s) → the same stretch of the three real records, with the
    detected units' discharges marked (one marker shape per unit), their templates and a table.
    """

    def __init__(self, start_s: float = 5.0, window_s: float = 1.0):
        self.results = analyses()
        self.start = kit.slider("window start (s)", start_s, *START_RANGE_S, 0.1)
        self.window = kit.slider("window length (s)", window_s, *WINDOW_RANGE_S, 0.1)
        self.readout = w.HTML()
        self.table = w.HTML()
        if self.results is None:
            self.figure = None
            self.readout.value = "The EMG records are not available here."
            super().__init__([self.readout])
            return
        conds = list(self.results)
        self.conds = conds
        t_ms = self.results[conds[0]].template_time_ms
        self.figure = nmj_plots.records_figure(
            [RECORD_LABELS[c] for c in conds],
            [len(self.results[c].units) for c in conds],
            t_ms.astype(np.float32),
            [[tm.astype(np.float32) for tm in self.results[c].templates_mV] for c in conds],
            data.credit("emgdb") + " Tibialis anterior, 25 mm concentric needle.",
        )
        # index of each record's first trace (signal, then one marker trace per unit)
        self._first = np.cumsum([0] + [1 + len(self.results[c].units) for c in conds[:-1]])
        self.table_df = unit_table(self.results)
        self.table.value = _table_html(self.table_df)
        self.start.observe(lambda _: self.update(), "value")
        self.window.observe(lambda _: self.update(), "value")
        super().__init__([w.HBox([w.VBox([self.start, self.window]), self.readout]), self.figure, self.table])
        self.update()

    def state(self) -> dict:
        t0, win = float(self.start.value), float(self.window.value)
        out = {"start_s": t0, "window_s": win, "records": {}}
        for c in self.conds:
            a = self.results[c]
            dur = a.filtered_mV.size / a.fs_Hz
            s0 = min(t0, dur - win)
            i0, i1 = int(round(s0 * a.fs_Hz)), int(round((s0 + win) * a.fs_Hz))
            sel = (a.peaks >= i0) & (a.peaks < i1)
            out["records"][c] = {
                "i0": i0,
                "i1": i1,
                "start_s": s0,
                "n_detections": int(sel.sum()),
                "n_labelled": int((sel & (a.labels >= 0)).sum()),
            }
        return out

    def update(self) -> dict:
        st = self.state()
        fig = self.figure
        with fig.batch_update():
            for k, c in enumerate(self.conds):
                a, r = self.results[c], st["records"][c]
                i0, i1 = r["i0"], r["i1"]
                t, y = kit.decimate(np.arange(i0, i1) / a.fs_Hz, a.filtered_mV[i0:i1], RECORD_POINTS)
                j = int(self._first[k])
                fig.data[j].x, fig.data[j].y = t, y
                sel = (a.peaks >= i0) & (a.peaks < i1)
                pk, lab = a.peaks[sel], a.labels[sel]
                for u in range(len(a.units)):
                    p = pk[lab == u]
                    fig.data[j + 1 + u].x = (p / a.fs_Hz).astype(np.float32)
                    fig.data[j + 1 + u].y = a.filtered_mV[p].astype(np.float32)
            fig.layout.title.text = (
                f"Three needle records, {st['window_s']:.1f} s from {st['start_s']:.1f} s (same mV scale)"
            )
        rows = "".join(
            f"<tr><td>{c}</td><td>{st['records'][c]['n_detections']} potentials, "
            f"{st['records'][c]['n_labelled']} assigned to units</td></tr>"
            for c in self.conds
        )
        self.readout.value = (
            "<div style='font-size:16px;padding-left:16px;max-width:520px'><b>In this window"
            f"</b><table>{rows}</table><p>Markers: one shape per detected unit (unit 1 = "
            "largest template). Unmarked peaks were too close to other potentials to sort."
            "</p></div>"
        )
        return st


def records_panel(start_s: float = 5.0, window_s: float = 1.0) -> RecordsPanel:
    """The notebook 04 records panel: ``emg_widgets.records_panel()`` shows it."""
    return RecordsPanel(start_s, window_s)


# --------------------------------------------------------------------------- (4) synthetic EMG
class SyntheticPanel(w.VBox):
    """Excitation (% of the pool's maximum) → EMG of a voluntary contraction; fasciculation
    rate (Hz) → EMG of one unit firing at random on a quiet baseline."""

    def __init__(self, excitation_pct: float = 10.0, fasciculation_Hz: float = 0.3):
        self.pool = muscle.make_pool()
        self.excitation = kit.slider(
            "voluntary effort (% of maximum)", excitation_pct, 0.0, 100.0, 1.0, ".0f"
        )
        self.fasc_rate = kit.slider("fasciculation rate (Hz)", fasciculation_Hz, 0.05, 2.0, 0.05, ".2f")
        self.readout = w.HTML()
        self.figure = nmj_plots.synthetic_figure(VOLUNTARY_S, FASCICULATION_S)
        self._vol = self._fasc = None
        self.excitation.observe(lambda _: self.update("voluntary"), "value")
        self.fasc_rate.observe(lambda _: self.update("fasciculation"), "value")
        super().__init__([w.HBox([w.VBox([self.excitation, self.fasc_rate]), self.readout]), self.figure])
        self.update()

    def _voluntary(self):
        E = float(self.excitation.value) / 100.0 * self.pool.excitation_max
        s = emg.voluntary_emg(E, VOLUNTARY_S, seed=SEED, pool=self.pool)
        return E, s

    def _fasciculation(self):
        return emg.fasciculation_emg(float(self.fasc_rate.value), FASCICULATION_S, seed=SEED, pool=self.pool)

    def update(self, which: str = "both") -> dict:
        """Recompute the changed half ('voluntary', 'fasciculation' or 'both') and redraw."""
        vol = fasc = None
        if which in ("voluntary", "both") or self._vol is None:
            E, s = self._voluntary()
            active = np.unique(s.spike_unit)
            self._vol = {
                "excitation_pct": float(self.excitation.value),
                "excitation": E,
                "n_units_firing": int(active.size),
                "n_recruited": int(muscle.recruited_count(E, self.pool)),
                "n_discharges": int(s.spike_times_s.size),
                "largest_mup_mV": float(s.unit_amplitude_mV[active - 1].max()) if active.size else 0.0,
            }
            vol = kit.decimate(s.time_s, s.signal_mV, kit.MAX_POINTS)
        if which in ("fasciculation", "both") or self._fasc is None:
            f = self._fasciculation()
            self._fasc = {
                "rate_Hz": float(self.fasc_rate.value),
                "n_fasciculations": int(f.spike_times_s.size),
                "mup_mV": float(f.unit_amplitude_mV[f.spike_unit[0] - 1])
                if f.spike_unit.size
                else float(f.unit_amplitude_mV[59]),
                "times_s": f.spike_times_s,
            }
            fasc = kit.decimate(f.time_s, f.signal_mV, kit.MAX_POINTS)
        v, fa = self._vol, self._fasc
        nmj_plots.update_synthetic_figure(
            self.figure,
            vol,
            fasc,
            fa["times_s"].astype(np.float32),
            1.7,
            f"Effort {v['excitation_pct']:.0f} %: {v['n_units_firing']} units firing · "
            f"fasciculations: {fa['n_fasciculations']} in {FASCICULATION_S:.0f} s",
        )
        self.readout.value = (
            "<div style='font-size:16px;padding-left:16px;max-width:520px'><b>Read-out</b>"
            "<table>"
            f"<tr><td>voluntary: units firing</td><td><b>{v['n_units_firing']}</b> of "
            f"{self.pool.n_units} ({v['n_discharges']} potentials in {VOLUNTARY_S:.0f} s)"
            f"</td></tr><tr><td>largest potential</td><td>{v['largest_mup_mV']:.2f} mV</td></tr>"
            f"<tr><td>fasciculations</td><td><b>{fa['n_fasciculations']}</b> in "
            f"{FASCICULATION_S:.0f} s (mean {fa['rate_Hz']:.2f} Hz), each "
            f"{fa['mup_mV']:.2f} mV</td></tr></table>"
            "<p>Voluntary: many potentials, each unit repeating regularly. Fasciculation: one "
            "unit's potential, alone, at random times, with the muscle at rest.</p></div>"
        )
        return {"voluntary": dict(v), "fasciculation": {k: val for k, val in fa.items() if k != "times_s"}}


def synthetic_panel(excitation_pct: float = 10.0, fasciculation_Hz: float = 0.3) -> SyntheticPanel:
    """The notebook 04 synthetic-EMG panel: ``emg_widgets.synthetic_panel()`` shows it."""
    return SyntheticPanel(excitation_pct, fasciculation_Hz)

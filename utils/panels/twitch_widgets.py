"""Panels and tables of notebook 06 (why muscles twitch), built on ``utils.syndromes`` and
``utils.diary``.

Both panels sit on :class:`utils.kit.Panel` (``compute``, ``draw`` by trace key, ``describe``;
``update()`` is what a control calls and returns the numbers shown); their figures are drawn
by ``utils.syndrome_plots``.

* :class:`SyndromePanel` — one slider (Kv1 channels, fasciculation rate or ionised calcium,
  0.5–1.3 mmol/L) → raster, EMG-like trace and force of :mod:`utils.syndromes`; neuromyotonia
  and tetany run six human motor axons at 37 °C (:mod:`utils.axon`) driving the motor-unit
  pool. One nerve run takes about 1 s, far more than a frame, so the panel computes every
  slider value once when it is built (read from the disk table cache when ``make setup`` or
  :mod:`utils.panels.precompute` filled it) and a slider move only looks its result up
  (:func:`cached_run`; the tests check that a cached result equals a fresh computation).
* :class:`DiaryPanel` — a twitch diary (the invented sample by default, or the reader's own file
  through ``ipywidgets.FileUpload``; the file stays in the kernel) → parse report, per-day,
  per-hour and per-location counts, daily counts against caffeine, sleep and stress, and the
  red-flag checklist.
* :func:`causes_table`, :func:`claims_table` — ``data/twitch_causes.csv`` and
  ``data/popular_claims.csv`` as Markdown with short citations and links into the series.
"""

from __future__ import annotations

import html
import math
from functools import lru_cache

import ipywidgets as w  # noqa: PLC0415 (deferred: reads ipywidgets' live instances)
import numpy as np
from IPython.display import Markdown

from ..figures import framing, syndrome_plots
from ..models import syndromes, tablecache
from ..sources import diary, references, tables
from ..validation import check_bool, check_choice, check_instance, check_range
from . import kit

#: Slider grids (lo, hi, step, default, label, unit format). Neuromyotonia and tetany run the
#: human nerve (six axons of utils.axon at 37 °C: :func:`utils.syndromes.simulate_neuromyotonia_axon`,
#: :func:`utils.syndromes.simulate_tetany_axon`). Defaults: Kv1 at a fifth of normal (antibody
#: levels vary; a design choice), the median fasciculation rate (decarvalho2016), and 0.85
#: mmol/L, where the human nerve after-discharges but does not yet fire on its own (measured).
#: The calcium grid covers the clinically relevant 0.5–1.3 mmol/L (normal 1.1–1.3; urgent
#: below 0.8–0.9, REFERENCE.md §3.1); a step of 0.05 keeps the build at about 1 s per value.
SLIDER_SPECS = (  # key, lo, hi, step, default, format, label, the simulation's argument
    ("neuromyotonia", 0.0, 1.0, 0.1, 0.2, ".1f", "Kv1 (fast K⁺) channels left (× normal)", "kv1_fraction"),
    ("fasciculation", 0.05, 2.00, 0.05, 0.30, ".2f", "fasciculations per second (Hz)", "rate_Hz"),
    ("tetany", 0.50, 1.30, 0.05, 0.85, ".2f", "ionised calcium (mmol/L)", "calcium_ionised_mmol_L"),
)
#: The simulation behind each panel.
SIMULATIONS = {
    "neuromyotonia": syndromes.simulate_neuromyotonia_axon,
    "fasciculation": syndromes.simulate_fasciculation,
    "tetany": syndromes.simulate_tetany_axon,
}
SLIDERS = {
    key: dict(lo=lo, hi=hi, step=step, value=value, fmt=fmt, label=label, arg=arg)
    for key, lo, hi, step, value, fmt, label, arg in SLIDER_SPECS
}


def slider_values(key: str) -> list[float]:
    """Every value the slider of syndrome ``key`` can take (rounded to its step)."""
    s = SLIDERS[check_choice(key, "key", sorted(SLIDERS), what="syndrome")]
    n = int(round((s["hi"] - s["lo"]) / s["step"]))
    return [round(s["lo"] + i * s["step"], 2) for i in range(n + 1)]


def _compute(key: str, value: float, seed: int = 0) -> syndromes.SyndromeRun:
    return SIMULATIONS[key](value, seed=seed)


@lru_cache(maxsize=512)
@tablecache.disk_cached
def cached_run(key: str, value: float, seed: int = 0) -> syndromes.SyndromeRun:
    """:mod:`utils.syndromes` run for one slider value, computed once per process."""
    s = SLIDERS[check_choice(key, "key", sorted(SLIDERS), what="syndrome")]
    value = check_range(value, "value", kit.unit_of(s["label"]), lo=s["lo"], hi=s["hi"], what=s["label"])
    return _compute(key, round(value, 2), kit.check_seed(seed))


# --------------------------------------------------------------------------- syndrome panel
class SyndromePanel(kit.Panel):
    """One syndrome and its slider → raster, EMG-like trace, force and a read-out.

    ``key``: 'neuromyotonia' (K⁺ conductance), 'fasciculation' (rate per muscle) or 'tetany'
    (ionised calcium). ``precompute=True`` runs every slider value when the panel is built.
    """

    def __init__(
        self, key: str = "neuromyotonia", value: float | None = None, precompute: bool = True, seed: int = 0
    ):
        key = check_choice(key, "key", sorted(SLIDERS), what="syndrome")
        s = SLIDERS[key]
        self.key, self.seed = key, kit.check_seed(seed)
        precompute = check_bool(precompute, "precompute")
        self.slider = kit.slider(
            s["label"],
            s["value"] if value is None else value,
            s["lo"],
            s["hi"],
            s["step"],
            s["fmt"],
            param="value",
        )
        if precompute:
            for v in slider_values(key):
                cached_run(key, v, self.seed)
        first = cached_run(key, self._value(), self.seed)
        self.scale = 1.0 if key == "fasciculation" else 1000.0  # s or ms on the axis
        unit = "s" if key == "fasciculation" else "ms"
        figure = syndrome_plots.syndrome_figure(
            first.label, unit, len(first.row_units), first.row_units, stimulus=first.stimulus_s is not None
        )
        super().__init__({"value": self.slider}, figure)

    def _value(self) -> float:
        return round(float(self.slider.value), 2)

    def run(self) -> syndromes.SyndromeRun:
        """The simulation shown for the current slider value."""
        return cached_run(self.key, self._value(), self.seed)

    def compute(self) -> dict:
        """The run's summary (numbers) with the slider value, and its traces (decimated)."""
        run = self.run()
        sm = dict(run.summary)
        sm["value"] = self._value()
        sc = self.scale
        n_rows = len(run.row_units)
        traces = {
            "raster": ((run.spike_times_s * sc).astype(np.float32), run.spike_row.astype(np.int16)),
            "emg": kit.decimate(run.emg_t_s * sc, run.emg_mV, kit.MAX_POINTS),
            "force": kit.decimate(run.t_s * sc, run.force_pct, kit.MAX_POINTS),
        }
        if run.stimulus_s is not None:
            ts = float(run.stimulus_s * sc)
            traces["stimulus"] = ([ts, ts], [0.5, n_rows + 0.5])
        sm["traces"] = traces
        sm["t_end"] = float(run.t_s[-1] * sc)
        sm["duration_s"] = float(run.t_s[-1] + run.t_s[1])
        sm["n_rows"] = n_rows
        return sm

    def draw(self, sm: dict) -> None:
        framing.set_xy(self.figure, {k: xy for k, xy in sm["traces"].items() if self.has_trace(k)})
        self.figure.plot_layout.xaxis3.range = [0, sm["t_end"]]
        self.figure.plot_layout.title.text = self.title(sm)

    def has_trace(self, key: str) -> bool:
        """Whether the figure has a trace with key ``key``."""
        return any(t.meta == key for t in self.figure.data)

    def title(self, sm: dict) -> str:
        """The figure's title for the state ``sm``."""
        v = sm["value"]
        if self.key == "fasciculation":
            return f"{v:.2f} fasciculations per second: {sm['n_spikes']} in {sm['duration_s']:.0f} s"
        return f"{self.setting(v, sm)}: {sm['regime']}"

    def setting(self, v: float, sm: dict) -> str:
        """The slider's setting in words."""
        if self.key == "neuromyotonia":
            return f"Kv1 channels {v:.1f} × normal"
        return f"ionised Ca {v:.2f} mmol/L (gating shift {sm['shift_mV']:+.1f} mV)"

    def describe(self, sm: dict) -> str:
        v = sm["value"]
        if self.key == "fasciculation":
            body = (
                f"<tr><td>rate set</td><td><b>{v:.2f} per second</b> "
                f"({60 * v:.0f} per minute)</td></tr>"
                f"<tr><td>in this run</td><td>{sm['n_spikes']} discharges "
                f"({sm['rate_observed_Hz']:.2f} per second)</td></tr>"
                f"<tr><td>largest force</td><td><b>{sm['peak_force_pct']:.2f} %</b> of "
                f"the muscle's maximum</td></tr>"
            )
            note = (
                "Each tick is one motor unit firing once: a flicker under the skin, far "
                "too weak to move a joint. Random times mean the count in a short look "
                "varies a lot; the median in both benign fasciculation and ALS is about "
                "0.3 per second, so the rate alone cannot tell them apart."
            )
        else:
            per_axon = ", ".join(str(n) for n in sm["spikes_per_axon"])
            what = self.setting(v, sm)
            body = (
                f"<tr><td>setting</td><td><b>{html.escape(what)}</b></td></tr>"
                f"<tr><td>what the nerve does</td><td><b>{html.escape(sm['regime'])}</b>"
                f"</td></tr>"
                f"<tr><td>discharges per axon</td><td>{per_axon}</td></tr>"
                f"<tr><td>axons with after-discharges</td><td>"
                f"{sm['axons_after_discharging']} of {sm['n_rows']}</td></tr>"
                + (
                    f"<tr><td>rate of the trains</td><td>{sm['train_rate_Hz']:.0f} Hz</td></tr>"
                    if sm["train_rate_Hz"]
                    else ""
                )
                + f"<tr><td>largest force</td><td><b>{sm['peak_force_x_twitch']:.1f} ×</b>"
                f" a normal twitch</td></tr>"
            )
            note = NOTES[self.key]
        return f"<b>Read-out</b><table>{body}</table><p style='font-size:14px'>{html.escape(note)}</p>"


#: The read-out's note under each nerve syndrome's table.
NOTES = {
    "neuromyotonia": (
        f"Model: six human motor axons at 37 °C (Gaines 2018 set, 8–13 µm), one stimulus at "
        f"{syndromes.HUMAN_STIMULUS_AT_MS:.0f} ms. Kv1 loss is modelled by scaling the fast K⁺ "
        f"conductance of every node and internode. Even with none left each axon fires once: "
        f"in this myelinated axon Kv1 loss alone does not start the 150–300 Hz discharges of "
        f"neuromyotonia, which are thought to start in the distal motor nerve."
    ),
    "tetany": (
        f"Model: six human motor axons at 37 °C (MRG 2002, 8–13 µm), one stimulus at "
        f"{syndromes.HUMAN_STIMULUS_AT_MS:.0f} ms. Normal ionised calcium is 1.1–1.3 mmol/L "
        f"(reference 1.2). Assumption: low calcium shifts every gate of the axon by 6 mV per "
        f"e-fold (surface charge; its size in human axons is not measured)."
    ),
}


def syndrome_panel(key: str = "neuromyotonia", value: float | None = None) -> SyndromePanel:
    """``twitch_widgets.syndrome_panel('tetany')`` in a cell shows the tetany panel."""
    return SyndromePanel(key, value)


# --------------------------------------------------------------------------- diary panel
def _table_html(rows, header) -> str:
    head = "".join(f"<th style='text-align:left'>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


class DiaryPanel(kit.Panel):
    """A twitch diary → report, six plots, associations and the red-flag checklist.

    Shows the invented sample diary until the reader uploads a file. The upload is read in the
    kernel (``FileUpload`` sends the bytes from the browser to this Python process only). The
    status line is the panel's read-out (:attr:`status`); the report sits below the figure.
    """

    def __init__(self):
        self.upload = w.FileUpload(
            accept=".csv,.txt,text/csv",
            multiple=False,
            description="Load my diary (CSV)",
            layout=w.Layout(width="260px"),
        )
        self.sample_button = w.Button(description="Show the invented sample", layout=w.Layout(width="260px"))
        self.report = w.HTML()
        self.parse = diary.load_sample()
        self.source_name = SAMPLE_NAME
        super().__init__({"upload": self.upload}, syndrome_plots.diary_figure(), extra=(self.report,))
        self.status = self.readout
        column = self.children[0].children[0]  # the controls' column: the button joins the upload
        column.children = (*column.children, self.sample_button)
        self.sample_button.on_click(lambda _: self.load_sample())

    # ---- loading
    def load_sample(self) -> dict:
        """Show the invented sample diary (``data/sample_twitch_diary.csv``)."""
        return self._show(diary.load_sample(), SAMPLE_NAME)

    def load_bytes(self, data, name: str = "your file") -> dict:
        """Parse ``data`` (bytes of a CSV file) and show it; a file-level problem is shown in
        the status line (the previous diary stays on screen) and returned as ``{'error': ...}``."""
        try:
            parse = diary.parse_bytes(data)
        except diary.DiaryError as e:
            self.status.value = kit.readout_box(
                f"<b>Could not read {html.escape(name)}:</b> {html.escape(str(e))}"
            )
            return {"error": str(e)}
        return self._show(parse, name)

    def on_change(self, change=None) -> None:
        """A new file in the upload control is read; anything else redraws."""
        if change is not None and change.get("owner") is self.upload:
            self._on_upload(change)
        else:
            self.update()

    def _on_upload(self, change) -> None:
        value = change["new"]
        if not value:
            return
        item = value[0] if isinstance(value, (tuple, list)) else next(iter(value.values()))
        name = item.get("name") or item.get("metadata", {}).get("name", "your file")
        size = item.get("size") or item.get("metadata", {}).get("size", 0) or 0
        if size and size > diary.MAX_BYTES:
            self.status.value = kit.readout_box(
                f"<b>{html.escape(str(name))}</b> has {size:,} bytes; at "
                f"most {diary.MAX_BYTES:,} are accepted."
            )
            return
        self.load_bytes(item["content"], str(name))

    def _show(self, parse: diary.DiaryParse, name: str) -> dict:
        self.parse, self.source_name = parse, name
        return self.update()

    # ---- computing and drawing
    def compute(self) -> dict:
        """:func:`utils.diary.overview` numbers of the current diary, with its tables."""
        df = self.parse.entries
        ov = diary.overview(self.parse)
        ov["per_day"] = diary.per_day(df)
        ov["by_hour"] = diary.by_hour(df)
        ov["by_location"] = diary.by_location(df)
        ov["associations"] = diary.associations(df)
        ov["checklist"] = diary.checklist(df)
        return ov

    def draw(self, ov: dict) -> None:
        days, hours, locs = ov["per_day"], ov["by_hour"], ov["by_location"]
        labels = [html.escape(str(x)[: syndrome_plots.LOCATION_CHARS]) for x in locs["location"]][::-1]
        xy = {
            "per_day": (
                [d.date().isoformat() for d in days["date"]] if len(days) else [],
                days["n_twitches"].tolist() if len(days) else [],
            ),
            "per_hour": (hours["hour"].tolist(), hours["n_twitches"].tolist()),
            "per_location": (locs["n_twitches"].tolist()[::-1], labels),
        }
        for col in ("caffeine", "sleep", "stress"):
            d = days[["n_twitches", DIARY_COLUMNS[col]]].dropna() if len(days) else days
            xy[col] = (
                d[DIARY_COLUMNS[col]].astype(float).tolist() if len(d) else [],
                d["n_twitches"].tolist() if len(d) else [],
            )
        framing.set_xy(self.figure, xy)
        self.figure.plot_layout.margin.l = syndrome_plots.diary_left_margin_px(labels)
        self.figure.plot_layout.title.text = f"Twitch diary: {name_for_title(self.source_name)}"

    def describe(self, ov: dict) -> str:
        return (
            f"Showing <b>{html.escape(self.source_name)}</b>: {ov['n_entries']} entries over "
            f"{ov['n_days']} days ({ov['first']} to {ov['last']}), "
            f"<b>{ov['n_rejected']}</b> rows rejected."
            + (
                " <i>Every entry in the sample is made up.</i>"
                if "sample" in self.source_name
                else " The file stays in this notebook's Python kernel; nothing is sent anywhere."
            )
        )

    def update(self) -> dict:
        """Redraw for the current diary (figure, status line and report); returns
        :func:`utils.diary.overview` numbers with the tables."""
        ov = super().update()
        self.report.value = kit.readout_box(self.report_html(ov))
        return ov

    def report_html(self, ov: dict) -> str:
        """Rejected rows, the reader's notes, the associations and the red-flag checklist."""
        parse, assoc = self.parse, ov["associations"]
        rej = "".join(
            f"<li>{html.escape(str(r))}"
            + (f" — <code>{html.escape(r.text)}</code>" if r.text else "")
            + "</li>"
            for r in parse.rejected[:50]
        )
        more = f"<li>… and {len(parse.rejected) - 50} more</li>" if len(parse.rejected) > 50 else ""
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in parse.notes)
        assoc_rows = [
            (
                r.factor,
                r.n_days,
                "—" if math.isnan(r.spearman_rho) else f"{r.spearman_rho:+.2f}",
                "—" if math.isinf(r.rho_needed) else f"±{r.rho_needed:.2f}",
                r.verdict,
            )
            for r in assoc.itertuples()
        ]
        checks = "".join(
            f"<li><b>{html.escape(c['question'])}</b> "
            f"{'(the diary can help)' if c['diary_can_answer'] else '(only an examination)'}: "
            f"{html.escape(c['answer'])}</li>"
            for c in ov["checklist"]
        )
        n_days = int(assoc["n_days"].max()) if len(assoc) else 0
        return (
            (
                f"<p><b>Rejected rows</b> (fix them in the file and load it again):</p><ul>{rej}{more}</ul>"
                if rej
                else "<p>No rows were rejected.</p>"
            )
            + (f"<p><b>Notes from the reader</b></p><ul>{notes}</ul>" if notes else "")
            + "<p><b>Twitches per day against caffeine, sleep and stress</b> (Spearman rank "
            "correlation; ρ needed = the size a 5 % test needs with this many days)</p>"
            + _table_html(assoc_rows, ["factor", "days", "ρ", "ρ needed", "in words"])
            + f"<p style='font-size:14px'>{html.escape(diary.honest_note(n_days))}</p>"
            + "<p><b>Reasons to see a doctor: what a diary can and cannot show</b></p>"
            f"<ul>{checks}</ul>"
        )


#: The name shown for the invented sample diary.
SAMPLE_NAME = "the INVENTED sample diary"
#: The diary column of each factor plotted against the daily count.
DIARY_COLUMNS = {"caffeine": "caffeine_mg", "sleep": "sleep_h", "stress": "stress"}


def name_for_title(name: str) -> str:
    """A short, safe file name for a figure title."""
    return html.escape(check_instance(name, "name", str, what="a file name")[:40])


def diary_panel() -> DiaryPanel:
    """The notebook 06 diary panel (sample diary shown; upload your own)."""
    return DiaryPanel()


# --------------------------------------------------------------------------- tables
def _cites(keys: str) -> str:
    return "; ".join(references.cite(k.strip()) for k in keys.split(";") if k.strip())


def _cell(s: str) -> str:
    return str(s).replace("|", "/").replace("\n", " ")


GROUPS = (
    "common and harmless",
    "electrolyte and metabolic",
    "peripheral nerve",
    "motor-neuron disease",
    "central",
)


def causes_markdown(group: str | None = None) -> str:
    """``data/twitch_causes.csv`` as a Markdown table (one group, or all grouped)."""
    rows = tables.read_table("twitch_causes.csv")
    groups = GROUPS if group is None else (check_choice(group, "group", GROUPS, what="group of causes"),)
    out = []
    for g in groups:
        sel = [r for r in rows if r["group"] == g]
        if not sel:
            raise ValueError(f"no causes in group {g!r}; groups: {GROUPS}")
        if group is None:
            out.append(f"\n**{g[0].upper() + g[1:]}**\n")
        out.append("| cause | mechanism | evidence | see it working | sources |")
        out.append("|---|---|---|---|---|")
        for r in sel:
            nb = r["series_link"]
            link = f"[{nb.split('_')[0]} · {_cell(r['panel'])}]({nb})"
            out.append(
                "| "
                + " | ".join(
                    [
                        f"**{_cell(r['cause'])}**",
                        _cell(r["mechanism"]),
                        r["evidence"],
                        link,
                        _cites(r["source"]),
                    ]
                )
                + " |"
            )
    return "\n".join(out)


def claims_markdown() -> str:
    """``data/popular_claims.csv`` as a Markdown table."""
    rows = tables.read_table("popular_claims.csv")
    out = ["| what you may have read | verdict | why | sources |", "|---|---|---|---|"]
    for r in rows:
        out.append(
            "| "
            + " | ".join([_cell(r["claim"]), f"**{r['verdict']}**", _cell(r["why"]), _cites(r["source"])])
            + " |"
        )
    return "\n".join(out)


def causes_table(group: str | None = None):
    """The causes table for a notebook cell (``IPython.display.Markdown``)."""
    return Markdown(causes_markdown(group))


def claims_table():
    """The checked claims for a notebook cell (``IPython.display.Markdown``)."""
    return Markdown(claims_markdown())

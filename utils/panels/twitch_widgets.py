"""Panels and tables of notebook 06 (why muscles twitch), built on ``utils.syndromes`` and
``utils.diary``.

Same contract as the other panel modules: an ``ipywidgets.VBox`` with labelled controls, an HTML
read-out stating the numbers, one ``go.FigureWidget`` (layout in the constructor) updated in place
inside ``batch_update``; ``update()`` is what a control calls and returns the numbers shown.

* :class:`SyndromePanel` — one slider (K⁺ conductance, fasciculation rate or ionised calcium,
  0.5–1.3 mmol/L) → raster, EMG-like trace and force of :mod:`utils.syndromes`. A nerve
  simulation takes 15–25 ms, more than one frame, so the panel computes every slider value once
  when it is built (≈ 0.5–0.9 s) and a slider move only looks its result up
  (:func:`cached_run`; the tests check that a cached result equals a fresh computation).
* :class:`DiaryPanel` — a twitch diary (the invented sample by default, or the reader's own file
  through ``ipywidgets.FileUpload``; the file stays in the kernel) → parse report, per-day,
  per-hour and per-location counts, daily counts against caffeine, sleep and stress, and the
  red-flag checklist.
* :func:`causes_table`, :func:`claims_table` — ``data/twitch_causes.csv`` and
  ``data/popular_claims.csv`` as Markdown with short citations and links into the series.
"""

from __future__ import annotations

import copy
import html
import math
from functools import lru_cache

import ipywidgets as w  # noqa: PLC0415 (deferred: reads ipywidgets' live instances)
import numpy as np
from IPython.display import Markdown

from ..figures import plots
from ..models import syndromes
from ..sources import diary, references, tables
from . import kit

#: Slider grids (lo, hi, step, default, label, unit format). Defaults: in the interesting range
#: (after-discharges for g_K; tetany for Ca; the median fasciculation rate, decarvalho2016).
#: The calcium grid covers the clinically relevant 0.5–1.3 mmol/L (normal 1.1–1.3; urgent
#: below 0.8–0.9, REFERENCE.md §3.1); below 0.78 every model axon already fires on its own.
SLIDERS = {
    "neuromyotonia": dict(
        lo=0.40,
        hi=1.00,
        step=0.02,
        value=0.62,
        fmt=".2f",
        label="K⁺ conductance (× normal)",
        arg="gk_fraction",
    ),
    "fasciculation": dict(
        lo=0.05,
        hi=2.00,
        step=0.05,
        value=0.30,
        fmt=".2f",
        label="fasciculations per second (Hz)",
        arg="rate_Hz",
    ),
    "tetany": dict(
        lo=0.50,
        hi=1.30,
        step=0.02,
        value=syndromes.TETANY_DEFAULT_mmol_L,
        fmt=".2f",
        label="ionised calcium (mmol/L)",
        arg="calcium_ionised_mmol_L",
    ),
}
#: Most points per line sent to the browser.


def slider_values(key: str) -> list[float]:
    """Every value the slider of syndrome ``key`` can take (rounded to its step)."""
    s = SLIDERS[key]
    n = int(round((s["hi"] - s["lo"]) / s["step"]))
    return [round(s["lo"] + i * s["step"], 2) for i in range(n + 1)]


def _compute(key: str, value: float, seed: int = 0) -> syndromes.SyndromeRun:
    fn = {
        "neuromyotonia": syndromes.simulate_neuromyotonia,
        "fasciculation": syndromes.simulate_fasciculation,
        "tetany": syndromes.simulate_tetany,
    }[key]
    return fn(value, seed=seed)


@lru_cache(maxsize=512)
def cached_run(key: str, value: float, seed: int = 0) -> syndromes.SyndromeRun:
    """:mod:`utils.syndromes` run for one slider value, computed once per process."""
    return _compute(key, round(float(value), 2), seed)


# --------------------------------------------------------------------------- figures
def syndrome_figure(title: str, time_unit: str, n_rows: int, row_labels):
    """Raster (top), EMG-like trace (middle) and force (bottom) on one time axis.

    Trace order: 0 raster (markers, one tick per discharge), 1 EMG (line), 2 force (line),
    3 the test stimulus (dotted vertical line across the raster; empty without a stimulus).
    """
    fig = plots.subplots_widget(
        3,
        1,
        ["discharges of each motor axon (raster)", "EMG-like needle trace", "force of the muscle"],
        {
            "xaxis3": f"time ({time_unit})",
            "yaxis": dict(
                title=dict(text="motor unit (number)"),
                range=[0.4, n_rows + 0.6],
                tickvals=list(range(1, n_rows + 1)),
                ticktext=[str(u) for u in row_labels],
            ),
            "yaxis2": "voltage (mV)",
            "yaxis3": dict(title=dict(text="force (% of max)"), rangemode="tozero"),
        },
        height=680,
        shared_xaxes=True,
        vertical_spacing=0.07,
        row_heights=[0.28, 0.36, 0.36],
    )
    fig.layout.title = dict(text=title)
    fig.add_scatter(
        x=[],
        y=[],
        mode="markers",
        name="discharge (one tick each)",
        marker=dict(
            symbol="line-ns-open",
            size=12,
            color=plots.OKABE_ITO["black"],
            line=dict(width=2, color=plots.OKABE_ITO["black"]),
        ),
        row=1,
        col=1,
        hoverinfo="skip",
    )
    fig.add_scatter(
        x=[],
        y=[],
        mode="lines",
        name="EMG-like trace",
        line=dict(color=plots.OKABE_ITO["blue"], width=1.2),
        row=2,
        col=1,
        hoverinfo="skip",
    )
    fig.add_scatter(
        x=[],
        y=[],
        mode="lines",
        name="force",
        line=dict(color=plots.OKABE_ITO["vermillion"], dash="solid", width=2.5),
        row=3,
        col=1,
        hovertemplate="%{x:.2f}: %{y:.2f} %<extra></extra>",
    )
    fig.add_scatter(
        x=[],
        y=[],
        mode="lines",
        name="test stimulus",
        line=plots.REFERENCE_LINE,
        row=1,
        col=1,
        hoverinfo="skip",
    )
    return fig


def update_syndrome_figure(fig, run: syndromes.SyndromeRun, scale: float, title: str) -> None:
    """Move the four traces of :func:`syndrome_figure` to ``run`` (times × ``scale``)."""
    te, ye = kit.decimate(run.emg_t_s * scale, run.emg_mV, kit.MAX_POINTS)
    tf, yf = kit.decimate(run.t_s * scale, run.force_pct, kit.MAX_POINTS)
    n_rows = len(run.row_units)
    with fig.batch_update():
        fig.data[0].x = (run.spike_times_s * scale).astype(np.float32)
        fig.data[0].y = run.spike_row.astype(np.int16)
        fig.data[1].x, fig.data[1].y = te, ye
        fig.data[2].x, fig.data[2].y = tf, yf
        if run.stimulus_s is None:
            fig.data[3].x, fig.data[3].y = [], []
        else:
            ts = run.stimulus_s * scale
            fig.data[3].x, fig.data[3].y = [ts, ts], [0.5, n_rows + 0.5]
        fig.layout.xaxis3.range = [0, float(run.t_s[-1] * scale)]
        fig.layout.title.text = title


# --------------------------------------------------------------------------- syndrome panel
class SyndromePanel(w.VBox):
    """One syndrome and its slider → raster, EMG-like trace, force and a read-out.

    ``key``: 'neuromyotonia' (K⁺ conductance), 'fasciculation' (rate per muscle) or 'tetany'
    (ionised calcium). ``precompute=True`` runs every slider value when the panel is built.
    """

    def __init__(
        self, key: str = "neuromyotonia", value: float | None = None, precompute: bool = True, seed: int = 0
    ):
        if key not in SLIDERS:
            raise ValueError(f"key = {key!r}; choose one of {sorted(SLIDERS)}")
        s = SLIDERS[key]
        self.key, self.seed = key, int(seed)
        self.slider = kit.slider(
            s["label"], s["value"] if value is None else value, s["lo"], s["hi"], s["step"], s["fmt"]
        )
        if precompute:
            for v in slider_values(key):
                cached_run(key, v, self.seed)
        first = cached_run(key, self._value(), self.seed)
        self.scale = 1.0 if key == "fasciculation" else 1000.0  # s or ms on the axis
        unit = "s" if key == "fasciculation" else "ms"
        self.readout = w.HTML()
        self.figure = syndrome_figure(first.label, unit, len(first.row_units), first.row_units)
        self.slider.observe(lambda _: self.update(), "value")
        super().__init__([w.HBox([self.slider, self.readout]), self.figure])
        self.update()

    def _value(self) -> float:
        return round(float(self.slider.value), 2)

    def run(self) -> syndromes.SyndromeRun:
        """The simulation shown for the current slider value."""
        return cached_run(self.key, self._value(), self.seed)

    def update(self) -> dict:
        run = self.run()
        sm = dict(run.summary)
        v = self._value()
        sm["value"] = v
        if self.key == "fasciculation":
            title = f"{v:.2f} fasciculations per second: {sm['n_spikes']} in {run.t_s[-1] + run.t_s[1]:.0f} s"
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
            what = (
                f"g_K = {v:.2f} × normal ({36 * v:.1f} mS/cm²)"
                if self.key == "neuromyotonia"
                else f"ionised Ca {v:.2f} mmol/L (shift {sm['shift_mV']:+.1f} mV)"
            )
            title = f"{what}: {sm['regime']}"
            body = (
                f"<tr><td>setting</td><td><b>{html.escape(what)}</b></td></tr>"
                f"<tr><td>what the nerve does</td><td><b>{html.escape(sm['regime'])}</b>"
                f"</td></tr>"
                f"<tr><td>discharges per axon</td><td>{per_axon}</td></tr>"
                f"<tr><td>axons with after-discharges</td><td>"
                f"{sm['axons_after_discharging']} of {len(run.row_units)}</td></tr>"
                + (
                    f"<tr><td>rate of the trains</td><td>{sm['train_rate_Hz']:.0f} Hz</td></tr>"
                    if sm["train_rate_Hz"]
                    else ""
                )
                + f"<tr><td>largest force</td><td><b>{sm['peak_force_x_twitch']:.1f} ×</b>"
                f" a normal twitch</td></tr>"
            )
            if self.key == "neuromyotonia":
                note = (
                    f"One stimulus at {syndromes.STIMULUS_AT_MS:.0f} ms. In a single model "
                    f"axon after-discharges start below "
                    f"{syndromes.AFTER_DISCHARGE_GK_FRACTION:.3f} × normal g_K and firing "
                    f"on its own below {syndromes.SPONTANEOUS_GK_FRACTION:.2f} ×; the six "
                    f"axons differ by ±5 %, so they cross one after another."
                )
            else:
                note = (
                    f"One stimulus at {syndromes.STIMULUS_AT_MS:.0f} ms. Normal ionised "
                    f"calcium is 1.1–1.3 mmol/L (reference 1.2). In a single model axon "
                    f"after-discharges start below {syndromes.AFTER_DISCHARGE_CA_mmol_L:.2f} "
                    f"mmol/L and firing on its own below "
                    f"{syndromes.SPONTANEOUS_CA_mmol_L:.2f}; the six axons differ by ±5 % "
                    f"in g_K, so they cross one after another. Assumption (as in notebook "
                    f"05): the calcium shift moves the Na⁺ gates only, "
                    f"{syndromes.TETANY_K_mV:g} mV per e-fold."
                )
        self.readout.value = kit.readout_box(
            f"<b>Read-out</b><table>{body}</table><p style='font-size:14px'>{html.escape(note)}</p>"
        )
        update_syndrome_figure(self.figure, run, self.scale, title)
        return sm


def syndrome_panel(key: str = "neuromyotonia", value: float | None = None) -> SyndromePanel:
    """``twitch_widgets.syndrome_panel('tetany')`` in a cell shows the tetany panel."""
    return SyndromePanel(key, value)


# --------------------------------------------------------------------------- diary panel
DIARY_AXES = {
    "xaxis": "day (date)",
    "yaxis": "twitches (count)",
    "xaxis2": "hour of the day (h)",
    "yaxis2": "twitches (count)",
    "xaxis3": dict(title=dict(text="twitches (count)"), rangemode="tozero"),
    "yaxis3": dict(title=dict(text="body location (as written)"), automargin=True),
    "xaxis4": "caffeine that day (mg)",
    "yaxis4": "twitches that day (count)",
    "xaxis5": "sleep the night before (h)",
    "yaxis5": "twitches that day (count)",
    "xaxis6": "stress that day (0–10 scale)",
    "yaxis6": "twitches that day (count)",
}


def diary_figure():
    """Six small plots of a diary. Trace order: 0 per day (bars), 1 per hour (bars),
    2 per location (horizontal bars), 3–5 daily count against caffeine, sleep, stress
    (markers, one per day)."""
    fig = plots.subplots_widget(
        2,
        3,
        [
            "twitches per day",
            "by hour of the day",
            "by body location",
            "against caffeine",
            "against sleep",
            "against stress",
        ],
        copy.deepcopy(DIARY_AXES),
        height=720,  # the builder consumes its dicts
        horizontal_spacing=0.11,
        vertical_spacing=0.2,
    )
    fig.add_bar(x=[], y=[], name="twitches per day", marker_color=plots.OKABE_ITO["blue"], row=1, col=1)
    fig.add_bar(x=[], y=[], name="by hour", marker_color=plots.OKABE_ITO["bluish_green"], row=1, col=2)
    fig.add_bar(
        x=[],
        y=[],
        orientation="h",
        name="by location",
        marker_color=plots.OKABE_ITO["reddish_purple"],
        row=1,
        col=3,
    )
    for k, (col, sym) in enumerate((("vermillion", "circle"), ("sky_blue", "square"), ("orange", "diamond"))):
        fig.add_scatter(
            x=[],
            y=[],
            mode="markers",
            name=["caffeine", "sleep", "stress"][k],
            marker=dict(color=plots.OKABE_ITO[col], symbol=sym, size=11, line=dict(color="black", width=1)),
            row=2,
            col=k + 1,
        )
    fig.layout.showlegend = False
    return fig


def _table_html(rows, header) -> str:
    head = "".join(f"<th style='text-align:left'>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


class DiaryPanel(w.VBox):
    """A twitch diary → report, six plots, associations and the red-flag checklist.

    Shows the invented sample diary until the reader uploads a file. The upload is read in the
    kernel (``FileUpload`` sends the bytes from the browser to this Python process only).
    """

    def __init__(self):
        self.upload = w.FileUpload(
            accept=".csv,.txt,text/csv",
            multiple=False,
            description="Load my diary (CSV)",
            layout=w.Layout(width="260px"),
        )
        self.sample_button = w.Button(description="Show the invented sample", layout=w.Layout(width="260px"))
        self.status = w.HTML()
        self.report = w.HTML()
        self.figure = diary_figure()
        self.parse = None
        self.source_name = ""
        self.upload.observe(self._on_upload, "value")
        self.sample_button.on_click(lambda _: self.load_sample())
        super().__init__([w.HBox([self.upload, self.sample_button]), self.status, self.figure, self.report])
        self.load_sample()

    # ---- loading
    def load_sample(self) -> dict:
        """Show the invented sample diary (``data/sample_twitch_diary.csv``)."""
        return self._show(diary.load_sample(), "the INVENTED sample diary")

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

    # ---- drawing
    def _show(self, parse: diary.DiaryParse, name: str) -> dict:
        self.parse, self.source_name = parse, name
        return self.update()

    def update(self) -> dict:
        """Redraw for the current diary; returns :func:`utils.diary.overview` numbers."""
        parse = self.parse
        df = parse.entries
        ov = diary.overview(parse)
        days = diary.per_day(df)
        hours = diary.by_hour(df)
        locs = diary.by_location(df)
        assoc = diary.associations(df)
        with self.figure.batch_update():
            f = self.figure.data
            f[0].x = [d.date().isoformat() for d in days["date"]] if len(days) else []
            f[0].y = days["n_twitches"].tolist() if len(days) else []
            f[1].x, f[1].y = hours["hour"].tolist(), hours["n_twitches"].tolist()
            f[2].x = locs["n_twitches"].tolist()[::-1]
            f[2].y = [html.escape(str(x)[:30]) for x in locs["location"]][::-1]
            for k, col in enumerate(("caffeine_mg", "sleep_h", "stress")):
                d = days[["n_twitches", col]].dropna() if len(days) else days
                f[3 + k].x = d[col].astype(float).tolist() if len(d) else []
                f[3 + k].y = d["n_twitches"].tolist() if len(d) else []
            self.figure.layout.title = dict(text=f"Twitch diary: {name_for_title(self.source_name)}")
        self.status.value = kit.readout_box(
            f"Showing <b>{html.escape(self.source_name)}</b>: {ov['n_entries']} entries over "
            f"{ov['n_days']} days ({ov['first']} to {ov['last']}), "
            f"<b>{ov['n_rejected']}</b> rows rejected."
            + (
                " <i>Every entry in the sample is made up.</i>"
                if "sample" in self.source_name
                else " The file stays in this notebook's Python kernel; nothing is sent anywhere."
            )
        )
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
            for c in diary.checklist(df)
        )
        n_days = int(assoc["n_days"].max()) if len(assoc) else 0
        self.report.value = kit.readout_box(
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
            + f"<p><b>Reasons to see a doctor: what a diary can and cannot show</b></p>"
            f"<ul>{checks}</ul>"
        )
        ov["associations"] = assoc
        return ov


def name_for_title(name: str) -> str:
    """A short, safe file name for a figure title."""
    return html.escape(name[:40])


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
    groups = GROUPS if group is None else (group,)
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

"""Interactive panels of notebook 01 (twitch, spasm, cramp), built on ``utils.muscle``.

Every panel is a :class:`utils.kit.Panel` (labelled controls, a compact read-out that states the
numbers, one ``FigureWidget`` redrawn in place through its traces' keys). ``update()`` is what the
controls call; it returns the state: the numbers shown and the arrays drawn (the benchmarks time
it, the tests check it).

* :class:`RatePanel` — one motor unit's firing rate → separate twitches, summation, unfused and
  fused tetanus (classifier label and fusion index), beside the recorded twitch and tetanus.
* :class:`PoolPanel` — excitation → recruitment by size (raster) and force of the 120-unit pool.
* :class:`PatternPanel` — a named discharge pattern (fasciculation, myokymia, cramp, ...) →
  raster, force, what it feels like, harmless and worrying causes, where the series explains it.
"""

from __future__ import annotations

import html
import math

import numpy as np
from IPython.display import Markdown

from ..figures import plots
from ..models import muscle
from ..sources import recordings as data
from ..sources import references, tables
from . import kit

#: T·rate at which a unit reaches half of its tetanic force: 1 − e^(−2r³) = 1/2 (fuglevand1993).
R_HALF = (math.log(2.0) / 2.0) ** (1.0 / 3.0)
#: Simulated trace of the rate panel: a 2 s train, then 0.5 s of relaxation. Long enough for the
#: slowest unit (T = 90 ms) to settle, so the classifier agrees with the steady fusion index.
RATE_DURATION_S, RATE_TRAIN_S = 2.5, 2.0
#: Simulated time of the pool panel (s) and the most raster ticks sent to the browser.
POOL_DURATION_S = 1.5
MAX_RASTER_POINTS = 8000
#: Simulated time per pattern where the panel differs from the engine's default (s): a 4 s cramp
#: shows onset, hold and release and keeps a menu change within one frame.
PATTERN_DURATION_S = {"cramp": 4.0}


def _raster(act: muscle.MuscleActivity, max_points: int = MAX_RASTER_POINTS):
    """Raster ticks (t in s, unit) as compact arrays; evenly thinned above ``max_points``."""
    t, u = act.spike_times_ms, act.spike_unit
    if t.size > max_points:
        keep = np.linspace(0, t.size - 1, max_points).astype(int)
        t, u = t[keep], u[keep]
    return (t / 1000.0).astype(np.float32), u.astype(np.int16)


# --------------------------------------------------------------------------- (1) rate → force


def force_recordings():
    """The recorded twitch and tetanus, on one scale, or None if unavailable.

    Returns a dict: ``curves`` (label → (t_ms after the first stimulus, force above baseline
    ÷ twitch amplitude), first 300 ms, ≤ 1200 points), ``twitch_amplitude_mN``, ``tetanus_amplitude_mN``,
    ``ratio`` (twitch ÷ tetanus amplitude), ``credit``. Baselines are the mean force before the
    first stimulus of each recording.
    """
    tw = data.try_load(data.load_force, "twitch")
    te = data.try_load(data.load_force, "tetanus")
    if tw is None or te is None:
        return None
    out, amps = {}, {}
    for rec in (tw, te):
        s0 = float(rec.stimulus_times_s[0])
        base = float(rec.force_mN[rec.time_s < s0].mean())
        amps[rec.name] = (float(rec.force_mN.max()) - base, base, s0)
    a_tw = amps["twitch"][0]
    for rec, label in (
        (tw, "recorded twitch (1 stimulus)"),
        (te, f"recorded tetanus ({rec_pulses(te)} stimuli at 275 Hz)"),
    ):
        _, base, s0 = amps[rec.name]
        m = (rec.time_s >= s0) & (rec.time_s <= s0 + 0.3)
        out[label] = kit.decimate(
            (rec.time_s[m] - s0) * 1000.0, (rec.force_mN[m] - base) / a_tw, 1200
        )  # min/max per bin: the peaks survive
    return {
        "curves": out,
        "twitch_amplitude_mN": a_tw,
        "tetanus_amplitude_mN": amps["tetanus"][0],
        "ratio": a_tw / amps["tetanus"][0],
        "credit": tw.credit,
    }


def rec_pulses(rec) -> int:
    """Number of stimulus pulses in a force recording."""
    return int(rec.stimulus_times_s.size)


class TrainPanel(kit.Panel):
    """The drawing shared by the one-unit panels (notebook 00's first slider, the rate panel):
    the force of a spike train and its spikes as ticks at :attr:`SPIKE_Y`
    (:func:`utils.plots.add_force_and_spikes`). ``compute()`` returns :meth:`train_state` and
    a ``title``."""

    SPIKE_Y = -0.3

    @staticmethod
    def train_state(tr: muscle.ForceTrace) -> dict:
        """Spike count and the arrays drawn (time and spike times in s, force × twitch peak)."""
        return {
            "n_spikes": int(tr.spike_times_ms.size),
            "t_s": (tr.t_ms / 1000.0).astype(np.float32),
            "force_rel": tr.force_au.astype(np.float32),
            "spike_times_s": (tr.spike_times_ms / 1000.0).astype(np.float32),
        }

    def draw(self, st: dict) -> None:
        self.set_xy("force", st["t_s"], st["force_rel"])
        self.set_xy("spikes", st["spike_times_s"], [self.SPIKE_Y] * st["n_spikes"])
        self.set_layout({"title.text": st["title"]})


class RatePanel(TrainPanel):
    """Firing rate (Hz) and twitch contraction time (ms) of one unit → its force.

    The rate slider comes first and drives the model line (trace ``force``). The read-out gives
    the classifier's label (:func:`utils.muscle.classify_contraction`), the steady fusion index
    and mean force (:func:`utils.muscle.force_rate_curve`), and the half-maximal rate 0.702/T.
    """

    def __init__(self, rate_Hz: float = 5.0, T_ms: float = 90.0, show_recordings: bool = True):
        self.rate = kit.slider("firing rate (Hz)", rate_Hz, 1.0, 100.0, 0.5, param="rate_Hz")
        self.T = kit.slider("contraction time T (ms)", T_ms, 10.0, 100.0, 1.0, ".0f", param="T_ms")
        self.recordings = force_recordings() if show_recordings else None
        rec = self.recordings or {}
        figure = plots.rate_figure(rec.get("curves"), rec.get("credit", ""), widget=True)
        super().__init__({"rate": self.rate, "T": self.T}, figure)

    def compute(self) -> dict:
        """Model numbers and traces for the current slider values."""
        rate, T = float(self.rate.value), float(self.T.value)
        tr = muscle.periodic_force(rate, T_ms=T, duration_s=RATE_DURATION_S, train_s=RATE_TRAIN_S)
        row = muscle.force_rate_curve([rate], T_ms=T).iloc[0]
        label = muscle.classify_contraction(tr.force_au, tr.spike_times_ms)
        return {
            "rate_Hz": rate,
            "T_ms": T,
            "r": float(row["r"]),
            "label": label,
            "fusion_index": float(row["fusion_index"]),
            "mean_force_rel": float(row["mean_force_au"]),
            "fraction_of_tetanus": float(row["normalised_force"]),
            "half_max_rate_Hz": R_HALF / T * 1000.0,
            "title": f"{rate:.1f} Hz, T = {T:.0f} ms: {label}",
            **self.train_state(tr),
        }

    def describe(self, st: dict) -> str:
        rec = ""
        if self.recordings:
            rec = f"<tr><td>recorded twitch ÷ tetanus</td><td><b>{self.recordings['ratio']:.3f}</b></td></tr>"
        return (
            f"<b>Read-out</b><table>"
            f"<tr><td>what the muscle does</td><td><b>{st['label']}</b></td></tr>"
            f"<tr><td>T × rate (r)</td><td>{st['r']:.2f}</td></tr>"
            f"<tr><td>fusion index (steady)</td><td><b>{st['fusion_index']:.2f}</b> "
            f"(0 = separate twitches, 1 = smooth)</td></tr>"
            f"<tr><td>mean force</td><td>{st['mean_force_rel']:.2f} × one twitch = "
            f"{100 * st['fraction_of_tetanus']:.0f} % of fused tetanus</td></tr>"
            f"<tr><td>half-maximal force at</td><td>{st['half_max_rate_Hz']:.1f} Hz "
            f"(for T = {st['T_ms']:.0f} ms)</td></tr>"
            f"<tr><td>model twitch ÷ tetanus</td><td>{1 / muscle.tetanic_force_au(1.0):.3f}"
            f"</td></tr>{rec}</table>"
            "<p>Spikes are the orange ticks under the force; the train stops at 2 s.</p>"
        )


def rate_panel(rate_Hz: float = 5.0, T_ms: float = 90.0) -> RatePanel:
    """The notebook 01 rate panel: ``muscle_widgets.rate_panel()`` in a cell shows it."""
    return RatePanel(rate_Hz, T_ms)


def twitch_fit_figure(fit: muscle.TwitchFit, rec, widget: bool = True):
    """The recorded twitch with its fitted kernel and the peak / half-relaxation points."""
    m = (rec.time_s >= fit.stimulus_s - 0.01) & (rec.time_s <= fit.stimulus_s + 0.25)
    t = rec.time_s[m][::4]
    t_ms = (t - fit.stimulus_s) * 1000.0
    half = fit.data_baseline_mN + fit.data_peak_mN / 2.0
    marks = {
        f"peak (data): {fit.time_to_peak_ms:.1f} ms": (
            fit.time_to_peak_ms,
            fit.data_baseline_mN + fit.data_peak_mN,
        ),
        f"half-relaxed (data): +{fit.half_relaxation_ms:.1f} ms after the peak": (
            fit.time_to_peak_ms + fit.half_relaxation_ms,
            half,
        ),
    }
    return plots.twitch_fit_figure(
        t_ms.astype(np.float32),
        rec.force_mN[m][::4].astype(np.float32),
        fit.predict(t).astype(np.float32),
        marks,
        rec.credit,
        widget=widget,
    )


# --------------------------------------------------------------------------- (2) the pool


class RasterForcePanel(kit.Panel):
    """The drawing shared by the pool and pattern panels: a raster above the force
    (:func:`utils.plots.raster_force_figure`). ``compute()`` returns the arrays of
    :func:`activity_traces`, ``duration_s``, ``title`` and, for a figure with the steady line,
    ``steady_force_pct``."""

    def draw(self, st: dict) -> None:
        raster, force = self.trace("raster"), self.trace("force")
        raster.x, raster.y = st["raster_t_s"], st["raster_unit"]
        force.x, force.y = st["t_s"], st["force_pct"]
        if "steady_force_pct" in st:
            steady = self.trace("steady")
            steady.x = [float(st["t_s"][0]), float(st["t_s"][-1])]
            steady.y = [st["steady_force_pct"]] * 2
        self.set_layout({"xaxis.range": [0, st["duration_s"]], "title.text": st["title"]})


def activity_traces(act: muscle.MuscleActivity, force_pct) -> dict:
    """The raster ticks and the decimated force (% of maximum) of a simulated pool."""
    ts, us = _raster(act)
    t, f = kit.decimate(act.t_ms / 1000.0, force_pct)
    return {"raster_t_s": ts, "raster_unit": us, "t_s": t, "force_pct": f}


class PoolPanel(RasterForcePanel):
    """Excitation (% of the pool's maximum) → recruitment by size, rates, raster and force."""

    def __init__(self, excitation_pct: float = 35.0, seed: int = 1):
        self.pool = muscle.make_pool()
        self.seed = kit.check_seed(seed)
        self.excitation = kit.slider(
            "excitation (% of maximum)", excitation_pct, 0.0, 100.0, 1.0, ".0f", param="excitation_pct"
        )
        figure = plots.raster_force_figure(
            "Motor-unit pool: recruitment by size", n_units=self.pool.n_units, widget=True, steady=True
        )
        super().__init__({"excitation": self.excitation}, figure)

    def compute(self) -> dict:
        pool = self.pool
        pct = float(self.excitation.value)
        E = pct / 100.0 * pool.excitation_max
        n = muscle.recruited_count(E, pool)
        rates = muscle.firing_rates_Hz(E, pool)
        active = rates[rates > 0]
        thr = pool.recruitment_threshold
        act = muscle.simulate_pool(E, POOL_DURATION_S, pool, seed=self.seed)
        f_pct = act.force_au * (100.0 / pool.max_force_au)
        return {
            "excitation_pct": pct,
            "excitation": E,
            "n_recruited": int(n),
            "rate_min_Hz": float(active.min()) if active.size else 0.0,
            "rate_max_Hz": float(active.max()) if active.size else 0.0,
            "last_threshold": float(thr[n - 1]) if n else None,
            "next_threshold": float(thr[n]) if n < pool.n_units else None,
            "steady_force_pct": 100.0 * muscle.steady_force_au(E, pool) / pool.max_force_au,
            "sim_force_pct": float(f_pct[act.t_ms >= 500.0].mean()),
            "n_spikes": act.n_spikes,
            "duration_s": POOL_DURATION_S,
            "title": f"{n} of {pool.n_units} units recruited",
            **activity_traces(act, f_pct),
        }

    def describe(self, st: dict) -> str:
        nxt = (
            "all units recruited"
            if st["next_threshold"] is None
            else f"next unit joins at {st['next_threshold']:.2f} "
            f"({100 * st['next_threshold'] / self.pool.excitation_max:.0f} %)"
        )
        rates = (
            "no unit fires"
            if not st["n_recruited"]
            else f"{st['rate_min_Hz']:.1f}–{st['rate_max_Hz']:.1f} Hz"
        )
        return (
            f"<b>Read-out</b><table>"
            f"<tr><td>excitation</td><td>{st['excitation']:.1f} of "
            f"{self.pool.excitation_max:.0f} units ({st['excitation_pct']:.0f} %)</td></tr>"
            f"<tr><td>units recruited</td><td><b>{st['n_recruited']} of {self.pool.n_units}</b>"
            f"; {nxt}</td></tr>"
            f"<tr><td>firing rates</td><td>{rates}</td></tr>"
            f"<tr><td>force, steady model</td><td><b>{st['steady_force_pct']:.1f} %</b> of "
            f"maximum</td></tr>"
            f"<tr><td>force, simulation (0.5–1.5 s)</td><td>{st['sim_force_pct']:.1f} %</td></tr>"
            "</table><p>Units are numbered by size: unit 1 (bottom row) is the smallest and "
            "slowest and joins first.</p>"
        )


def pool_panel(excitation_pct: float = 35.0) -> PoolPanel:
    """The notebook 01 pool panel."""
    return PoolPanel(excitation_pct)


# --------------------------------------------------------------------------- (3) patterns

#: What each pattern feels like, typical harmless and worrying causes, and where the series
#: explains the mechanism (paraphrasing shared/science/REFERENCE.md §5–§6; keys in ``sources``).
PATTERN_NOTES: dict[str, dict] = {
    "voluntary": dict(
        feels="What you do on purpose: a smooth, steady pull that you can grade and stop.",
        harmless="This is normal movement: many units fire out of step, so their twitches blend.",
        worrying="you notice new weakness (less force for the same effort) or muscle "
        "wasting; the steady contraction itself is normal.",
        explained="§2 of this notebook (recruitment and rate); notebook 04 (from nerve to muscle).",
        sources=("fuglevand1993", "henneman1957", "turner2013"),
    ),
    "fasciculation": dict(
        feels="A brief flicker under the skin, often felt more than seen; it does not move the "
        "joint. Each flicker is one motor unit's twitch.",
        harmless="Very common: stress and anxiety, tiredness, caffeine, alcohol, some medicines; "
        "often in the calves; usually gone within days to weeks. In 121 people with "
        "benign fasciculations followed for 2–32 years, none developed motor neurone "
        "disease.",
        worrying="Twitching with weakness, muscle wasting, spreading to other places, a "
        "twitching tongue, or trouble speaking or swallowing (motor neurone disease "
        "and other nerve diseases). The twitch rate alone does not tell benign from "
        "serious.",
        explained="Notebook 03 (a nerve fibre near threshold fires on its own), notebook 06 (causes).",
        sources=("decarvalho2016", "kleine2008", "nhs_twitching", "blexrud1993", "turner2013"),
    ),
    "myokymia": dict(
        feels="A rippling, worm-like movement that comes and goes for seconds; the common "
        "twitching eyelid is this.",
        harmless="Eyelid myokymia is common and harmless; tiredness, stress and caffeine are "
        "the usual companions, and it fades within days to weeks.",
        worrying="Myokymia elsewhere in the face or limbs, or lasting more than two weeks: it "
        "can follow nerve damage (e.g. radiotherapy to a nerve plexus), chronic "
        "demyelination, or peripheral-nerve hyperexcitability.",
        explained="Notebooks 03 and 05 (a hyperexcitable nerve), notebook 06.",
        sources=("ginsberg2020", "dengler2020", "nhs_twitching"),
    ),
    "cramp": dict(
        feels="Sudden, hard and painful: part of a muscle locks into a knot you can feel, and "
        "lets go on its own after seconds to minutes. Stretching relieves it.",
        harmless="Common during or after exercise in healthy people. The popular explanation "
        "(dehydration or 'low salts') is not supported for exercise cramps.",
        worrying="Cramps with weakness or muscle wasting; cramps with twitching and stiffness "
        "(cramp–fasciculation syndrome, neuromyotonia); cramps with a blood-salt "
        "disorder such as low potassium.",
        explained="Notebook 05 (electrolytes and excitability), notebook 06.",
        sources=("minetto2013", "minetto2009", "ross1995", "tahmoush1991", "turner2013"),
    ),
    "tetany": dict(
        feels="Tingling around the mouth and in the fingers, twitching and cramps; the hands "
        "and feet can bend into a spasm (carpopedal spasm).",
        harmless="Over-breathing (e.g. in a panic attack) makes the blood alkaline, which "
        "lowers ionised calcium; the tingling and spasm settle as breathing calms.",
        worrying="Low calcium or magnesium in the blood (e.g. from low vitamin D), and any "
        "tightness of the throat or difficulty breathing (laryngospasm): urgent care.",
        explained="Notebook 05 (why low calcium makes nerves fire on their own).",
        sources=("reference_sheet", "dengler2020"),
    ),
    "myoclonus": dict(
        feels="A sudden, brief, shock-like jerk that can move a whole limb.",
        harmless="The jerk as you fall asleep and hiccups are normal forms of myoclonus.",
        worrying="Repeated jerks while awake, jerks with confusion or other new neurological "
        "symptoms, or jerks after starting a medicine (e.g. serotonin syndrome).",
        explained="It starts in the brain or spinal cord, beyond this series' muscle models; "
        "notebook 06 lists causes.",
        sources=("caviness2004", "boyer2005"),
    ),
    "tremor": dict(
        feels="Rhythmic shaking, several times a second, e.g. a hand shaking while holding a cup.",
        harmless="Everyone has a fine physiological tremor; anxiety, some medicines or an "
        "overactive thyroid can make it visible (enhanced physiological tremor).",
        worrying="A tremor that persists or worsens, a tremor at rest with slowness or "
        "stiffness, or one with other neurological signs: see a doctor.",
        explained="The rhythm comes from the brain's drive to the pool; notebook 06.",
        sources=("bhatia2018",),
    ),
}


class PatternPanel(RasterForcePanel):
    """A named discharge pattern → raster, force, and what it means (calm and accurate)."""

    def __init__(self, key: str = "fasciculation", seed: int = 0):
        self.pool = muscle.make_pool()
        self.pattern = kit.dropdown("pattern", muscle.pattern_options(), key, param="key")
        self.seed = kit.int_slider("another run (random seed)", seed, 0, 20, param="seed")
        figure = plots.raster_force_figure("Discharge pattern", n_units=self.pool.n_units, widget=True)
        super().__init__({"pattern": self.pattern, "seed": self.seed}, figure)

    def compute(self) -> dict:
        key, seed = self.pattern.value, int(self.seed.value)
        extra = {"duration_s": PATTERN_DURATION_S[key]} if key in PATTERN_DURATION_S else {}
        act = muscle.simulate_pattern(key, seed=seed, pool=self.pool, **extra)
        f_pct = act.force_au * (100.0 / self.pool.max_force_au)
        dur_s = act.t_ms.size * (act.t_ms[1] - act.t_ms[0]) / 1000.0
        return {
            "key": key,
            "seed": seed,
            "duration_s": round(dur_s, 3),
            "n_spikes": act.n_spikes,
            "n_units_active": int((act.spike_counts() > 0).sum()),
            "peak_force_pct": float(f_pct.max()),
            "title": muscle.PATTERNS[key].label,
            **activity_traces(act, f_pct),
        }

    def describe(self, st: dict) -> str:
        p = muscle.PATTERNS[st["key"]]
        notes = PATTERN_NOTES[st["key"]]
        keys = list(dict.fromkeys(notes["sources"] + tuple(p.sources)))
        cites = "; ".join(html.escape(references.cite(k)) for k in keys)
        n, units = st["n_spikes"], st["n_units_active"]
        return (
            f"<b>{html.escape(p.label)}</b><br>{html.escape(p.summary)}"
            f"<p>In this run: <b>{n}</b> {plots.plural(n, 'discharge')} of "
            f"<b>{units}</b> {plots.plural(units, 'unit')} in {st['duration_s']:.0f} s; peak force "
            f"<b>{st['peak_force_pct']:.2f} %</b> of maximum.</p>"
            f"<p><b>What it feels like.</b> {html.escape(notes['feels'])}<br>"
            f"<b>Usually harmless.</b> {html.escape(notes['harmless'])}<br>"
            f"<b>See a doctor if.</b> {html.escape(notes['worrying'])}<br>"
            f"<b>Where the mechanism is explained.</b> {html.escape(notes['explained'])}</p>"
            f"<p style='font-size:13px'>Sources: {cites}.</p>"
        )


def pattern_panel(key: str = "fasciculation") -> PatternPanel:
    """The notebook 01 pattern panel."""
    return PatternPanel(key)


# --------------------------------------------------------------------------- the words table


def terms() -> list[dict]:
    """The movement words of ``data/terms.csv`` (group ``movement``): term, plain, physiology,
    source (reference keys). The other rows form the series' glossary (``utils.glossary``)."""
    return [r for r in tables.read_table("terms.csv") if r.get("group", "movement") == "movement"]


def terms_markdown() -> str:
    """The words table as Markdown (sources as short citations)."""
    lines = ["| word | what people mean | what it is physiologically | sources |", "|---|---|---|---|"]
    for r in terms():
        cites = "; ".join(references.cite(k.strip()) for k in r["source"].split(";") if k.strip())
        cells = [f"**{r['term']}**", r["plain"], r["physiology"], cites]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines)


def terms_table():
    """The words table for a notebook cell (an ``IPython.display.Markdown`` object)."""
    return Markdown(terms_markdown())

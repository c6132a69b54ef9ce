"""Interactive panels for the notebooks, composed from the physics modules and ``utils.plots``.

Each panel is an ``ipywidgets.VBox`` holding labelled sliders, a text read-out (so the state
is readable without the figure) and one ``plotly.graph_objects.FigureWidget`` that is updated
in place (``batch_update``) when a control moves: no new figure per move, no flicker.
Each panel has an ``update()`` method — the function its sliders call — that the benchmarks
time (``make bench``).
"""

from __future__ import annotations

import ipywidgets as w  # noqa: PLC0415 (deferred: reads ipywidgets' live instances)
import numpy as np

from ..figures import plots
from ..models import membrane, muscle
from ..sources import tables
from . import kit

# --------------------------------------------------------------------------- notebook 02


class MembranePanel(w.VBox):
    """Concentrations, temperature and permeabilities → Nernst potentials and GHK resting potential.

    Controls: a cell-type preset (squid, neuron, muscle), inside and outside concentrations of
    K⁺, Na⁺, Cl⁻ (log sliders, mM), temperature (°C), PNa/PK and PCl/PK.
    """

    # (ion, side, label, min mM, max mM): linear sliders in 0.1 mM steps, so that every preset
    # value sits exactly on a step (a log slider snapped 155 mM to 154.5 mM in the browser).
    CONC = (
        ("K", "out", "[K⁺] outside (mM)", 0.5, 100),
        ("K", "in", "[K⁺] inside (mM)", 10, 600),
        ("Na", "out", "[Na⁺] outside (mM)", 10, 600),
        ("Na", "in", "[Na⁺] inside (mM)", 1, 200),
        ("Cl", "out", "[Cl⁻] outside (mM)", 10, 700),
        ("Cl", "in", "[Cl⁻] inside (mM)", 1, 200),
    )

    def __init__(self, preset: str = "muscle"):
        self.preset = w.Dropdown(
            options=[(membrane.PRESET_LABELS[n], n) for n in membrane.preset_names()],
            value=preset,
            description="cell type",
            style=dict(kit.CONTROL_STYLE),
            layout=kit.control_layout(),
        )
        self.conc = {
            (ion, side): kit.slider(label, lo, lo, hi, 0.1, fmt=".1f")
            for ion, side, label, lo, hi in self.CONC
        }
        self.temperature = kit.slider("temperature (°C)", 37.0, 0.0, 45.0, 0.5)
        self.p_na = kit.slider("PNa / PK (relative)", 0.05, 0.0, 1.0, 0.005, fmt=".3f")
        self.p_cl = kit.slider("PCl / PK (relative)", 0.45, 0.0, 3.0, 0.05, fmt=".2f")
        self.readout = w.HTML()
        self.figure = plots.membrane_ladder(widget=True)
        self._loading = False
        self._apply_preset(preset)
        for s in self._controls():
            s.observe(self._on_change, "value")
        self.preset.observe(lambda ch: self._apply_preset(ch["new"]), "value")
        controls = w.VBox(
            [self.preset] + [self.conc[k] for k in self.conc] + [self.temperature, self.p_na, self.p_cl]
        )
        super().__init__([w.HBox([controls, self.readout]), self.figure])
        self.update()

    def _controls(self):
        return list(self.conc.values()) + [self.temperature, self.p_na, self.p_cl]

    def _apply_preset(self, name: str) -> None:
        p = membrane.preset(name)
        self._loading = True
        try:
            for (ion, side), s in self.conc.items():
                i = p.ions[ion]
                s.value = i.c_out_mM if side == "out" else i.c_in_mM
            self.temperature.value = p.temperature_C
            self.p_na.value = p.ions["Na"].permeability_rel / p.ions["K"].permeability_rel
            self.p_cl.value = p.ions["Cl"].permeability_rel / p.ions["K"].permeability_rel
        finally:
            self._loading = False
        if hasattr(self, "children") and self.children:
            self.update()

    def _on_change(self, _change) -> None:
        if not self._loading:
            self.update()

    def state(self) -> dict:
        """Current equilibrium potentials (mV, per ion) and resting potential (mV)."""
        t = self.temperature.value
        c = {k: s.value for k, s in self.conc.items()}
        ca = membrane.preset(self.preset.value).ions["Ca"]
        e = {
            "K": membrane.nernst_mV(c["K", "out"], c["K", "in"], 1, t),
            "Na": membrane.nernst_mV(c["Na", "out"], c["Na", "in"], 1, t),
            "Cl": membrane.nernst_mV(c["Cl", "out"], c["Cl", "in"], -1, t),
            "Ca": membrane.nernst_mV(ca.c_out_mM, ca.c_in_mM, 2, t),
        }
        v = membrane.ghk_mV(
            c["K", "out"],
            c["K", "in"],
            c["Na", "out"],
            c["Na", "in"],
            c["Cl", "out"],
            c["Cl", "in"],
            1.0,
            self.p_na.value,
            self.p_cl.value,
            t,
        )
        return {"E_mV": e, "V_rest_mV": v}

    def update(self) -> dict:
        """Recompute and redraw in place (what every control calls); returns :meth:`state`."""
        st = self.state()
        plots.update_membrane_ladder(self.figure, st["E_mV"], st["V_rest_mV"])
        e = st["E_mV"]
        rows = "".join(
            f"<tr><td>E {plots.STYLE[i]['label']}</td><td style='text-align:right'>{e[i]:+.1f} mV</td></tr>"
            for i in plots.LADDER_IONS
        )
        self.readout.value = (
            "<div style='font-size:16px;padding-left:16px'><b>Read-out</b>"
            f"<table>{rows}<tr><td><b>resting potential</b></td><td style='text-align:right'>"
            f"<b>{st['V_rest_mV']:+.1f} mV</b></td></tr></table>"
            "<p style='max-width:300px'>Each segment runs from the resting potential to the "
            "ion's equilibrium potential: the longer it is, the harder that ion is pushed "
            "across the membrane.</p></div>"
        )
        return st


def membrane_panel(preset: str = "muscle") -> MembranePanel:
    """The notebook 02 panel: ``membrane_panel()`` in a cell shows it."""
    return MembranePanel(preset)


class PotassiumPanel(w.VBox):
    """Blood potassium → a muscle fibre's resting potential (hypo- to hyperkalaemia)."""

    def __init__(self):
        ref = {r["analyte"]: r for r in tables.read_table("serum_reference_ranges.csv")}["potassium"]
        self.normal = (float(ref["low"]), float(ref["high"]))
        self.k_grid = np.linspace(1.5, 10.0, 171)
        r1 = membrane.resting_vs_potassium(self.k_grid, "muscle", 0.01)
        r2 = membrane.resting_vs_potassium(self.k_grid, "muscle", 0.02)
        self.figure = plots.potassium_figure(
            self.k_grid,
            r1["E_K_mV"],
            {"PNa/PK = 0.01": r1["V_rest_mV"], "PNa/PK = 0.02": r2["V_rest_mV"]},
            self.normal,
            widget=True,
        )
        self.figure.add_scatter(
            x=[4.0, 4.0],
            y=[-125, -60],
            mode="lines",
            name="your chosen [K⁺]o",
            line=plots.line_style("stimulus", 3),
        )
        self.k_out = kit.slider("blood potassium (mmol/L)", 4.0, 1.5, 10.0, 0.1)
        self.readout = w.HTML()
        self.k_out.observe(lambda _: self.update(), "value")
        super().__init__([self.k_out, self.readout, self.figure])
        self.update()

    def update(self) -> dict:
        """Move the marker line and recompute the read-out (what the slider calls)."""
        k = float(self.k_out.value)
        v = membrane.resting_vs_potassium(np.array([k, 4.0]), "muscle", 0.01)
        ek, vr = float(v["E_K_mV"][0]), float(v["V_rest_mV"][0])
        shift = vr - float(v["V_rest_mV"][1])
        lo, hi = self.normal
        state = "low (hypokalaemia)" if k < lo else "high (hyperkalaemia)" if k > hi else "normal"
        with self.figure.batch_update():
            self.figure.data[-1].x = [k, k]
        self.readout.value = (
            f"<div style='font-size:16px'>[K⁺]o = <b>{k:.1f} mmol/L</b> ({state}): "
            f"E K⁺ = {ek:+.1f} mV, resting potential (PNa/PK = 0.01) = <b>{vr:+.1f} mV</b>, "
            f"{abs(shift):.1f} mV {'more positive' if shift > 0 else 'more negative'} than at "
            "4.0 mmol/L.</div>"
        )
        return {"K_out_mM": k, "E_K_mV": ek, "V_rest_mV": vr, "shift_mV": shift, "state": state}


def potassium_panel() -> PotassiumPanel:
    """The notebook 02 blood-potassium panel."""
    return PotassiumPanel()


# --------------------------------------------------------------------------- notebook 00


class FirstSliderPanel(kit.Panel):
    """Notebook 00's "try a slider" demo: one motor unit's firing rate (Hz) → its force.

    One slider, one line: a slow motor unit (contraction time T = 90 ms, the slowest unit of
    Fuglevand et al. 1993, ``fuglevand1993``) fires regularly for 2 s; the force (in multiples of
    one twitch's peak) goes from separate twitches through summation to a smooth tetanus as the
    rate rises. The read-out names what the muscle does (:func:`utils.muscle.classify_contraction`).
    """

    T_MS = 90.0  # slowest unit of the pool (fuglevand1993: T_L = 90 ms)
    DURATION_S, TRAIN_S = 2.5, 2.0  # 2 s of firing (long enough to settle), then 0.5 s to relax

    def __init__(self, rate_Hz: float = 2.0):
        self.rate = kit.slider("firing rate (Hz)", rate_Hz, 1.0, 40.0, 1.0, fmt=".0f")
        figure = plots.figure(
            "One motor unit: firing rate → force",
            "time (s)",
            "force (× one twitch's peak)",
            widget=True,
            height=420,
            yaxis=dict(range=[-0.8, 10.0], title=dict(text="force (× one twitch's peak)")),
            legend=dict(orientation="h", y=-0.25, x=0),
            margin=dict(l=80, r=30, t=60, b=110),
        )
        figure.add_scatter(
            x=[0.0, self.DURATION_S],
            y=[0.0, 0.0],
            mode="lines",
            name="force of one motor unit (model)",
            meta="force",
            line=plots.line_style("model", 3),
            hovertemplate="%{x:.3f} s: %{y:.2f}× twitch<extra></extra>",
        )
        stim = plots.STYLE["stimulus"]["color"]
        figure.add_scatter(
            x=[],
            y=[],
            mode="markers",
            name="nerve impulses (spikes)",
            meta="spikes",
            marker=dict(color=stim, symbol="line-ns-open", size=12, line=dict(width=2, color=stim)),
            hoverinfo="skip",
        )
        super().__init__({"rate": self.rate}, figure)

    def compute(self) -> dict:
        """Numbers for the current rate (label, spikes, peak force) and the force trace."""
        rate = float(self.rate.value)
        tr = muscle.periodic_force(rate, T_ms=self.T_MS, duration_s=self.DURATION_S, train_s=self.TRAIN_S)
        return {
            "rate_Hz": rate,
            "label": muscle.classify_contraction(tr.force_au, tr.spike_times_ms),
            "n_spikes": int(tr.spike_times_ms.size),
            "peak_force_rel": float(tr.force_au.max()),
            "t_s": (tr.t_ms / 1000.0).astype(np.float32),
            "force_rel": tr.force_au.astype(np.float32),
            "spike_times_s": (tr.spike_times_ms / 1000.0).astype(np.float32),
        }

    def draw(self, st: dict) -> None:
        force, spikes = self.trace("force"), self.trace("spikes")
        force.x, force.y = st["t_s"], st["force_rel"]
        spikes.x, spikes.y = st["spike_times_s"], [-0.4] * st["n_spikes"]
        self.figure.layout.title.text = f"{st['rate_Hz']:.0f} Hz: {st['label']}"

    def describe(self, st: dict) -> str:
        n = st["n_spikes"]
        return (
            f"<b>{n}</b> nerve impulse{'' if n == 1 else 's'} in 2 s → <b>{st['label']}</b>; "
            f"peak force <b>{st['peak_force_rel']:.1f}</b> × one twitch."
        )


def first_slider_panel(rate_Hz: float = 2.0) -> FirstSliderPanel:
    """The notebook 00 demo: ``widgets.first_slider_panel()`` in a cell shows it."""
    return FirstSliderPanel(rate_Hz)

"""Interactive panels of notebooks 00 and 02, composed from the physics modules and ``utils.plots``.

Each panel is a :class:`utils.kit.Panel`: labelled controls, a compact text read-out (so the
state is readable without the figure) and one ``FigureWidget`` updated in place (one
``batch_update``, traces addressed by key) when a control moves. ``update()`` is the function
the controls call; the benchmarks time it (``make bench``) and the tests check what it returns.
"""

from __future__ import annotations

import numpy as np

from ..figures import plots
from ..models import membrane, muscle
from ..sources import tables
from . import kit, muscle_widgets

# --------------------------------------------------------------------------- notebook 02


class MembranePanel(kit.Panel):
    """Concentrations, temperature and permeabilities → Nernst potentials and GHK resting potential.

    Controls: a cell-type preset (squid, neuron, muscle), inside and outside concentrations of
    K⁺, Na⁺, Cl⁻ (mM), temperature (°C), PNa/PK and PCl/PK. Choosing a preset sets every slider
    to the preset's values and redraws once.
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
        options = [(membrane.PRESET_LABELS[n], n) for n in membrane.preset_names()]
        self.preset = kit.dropdown("cell type", options, preset, param="preset")
        self.conc = {
            (ion, side): kit.slider(label, lo, lo, hi, 0.1, fmt=".1f")
            for ion, side, label, lo, hi in self.CONC
        }
        self.temperature = kit.slider("temperature (°C)", 37.0, 0.0, 45.0, 0.5)
        self.p_na = kit.slider("PNa / PK (relative)", 0.05, 0.0, 1.0, 0.005, fmt=".3f")
        self.p_cl = kit.slider("PCl / PK (relative)", 0.45, 0.0, 3.0, 0.05, fmt=".2f")
        self._loading = False
        self._apply_preset(preset)
        controls = {"preset": self.preset} | {f"{ion}_{side}": s for (ion, side), s in self.conc.items()}
        controls |= {"temperature": self.temperature, "p_na": self.p_na, "p_cl": self.p_cl}
        super().__init__(controls, plots.membrane_ladder(widget=True))

    def _apply_preset(self, name: str) -> None:
        """Set every slider to preset ``name``'s values (no redraw per slider)."""
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

    def on_change(self, change=None) -> None:
        if change is not None and change["owner"] is self.preset:
            self._apply_preset(change["new"])
        if not self._loading:
            self.update()

    def compute(self) -> dict:
        """Equilibrium potentials (``E_mV``, mV per ion) and the resting potential (mV)."""
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
        return {"E_mV": e, "V_rest_mV": v, "title": plots.ladder_title(e, v)}

    def draw(self, st: dict) -> None:
        e, v = st["E_mV"], st["V_rest_mV"]
        for ion in plots.LADDER_IONS:
            tr = self.trace(f"E_{ion}")
            tr.x = [v, e[ion]]
            tr.text = ["", f"{e[ion]:+.1f} mV"]
            # label on the far side of the marker, away from the resting-potential line
            tr.textposition = ["top center", "middle right" if e[ion] >= v else "middle left"]
        self.trace("rest").x = [v, v]
        self.set_layout({"xaxis.range": plots.ladder_range(e, v), "title.text": st["title"]})

    def describe(self, st: dict) -> str:
        e = st["E_mV"]
        rows = "".join(
            f"<tr><td>E {plots.STYLE[i]['label']}</td><td style='text-align:right'>{e[i]:+.1f} mV</td></tr>"
            for i in plots.LADDER_IONS
        )
        return (
            f"<b>Read-out</b><table>{rows}<tr><td><b>resting potential</b></td>"
            f"<td style='text-align:right'><b>{st['V_rest_mV']:+.1f} mV</b></td></tr></table>"
            "<p>Each segment runs from the resting potential to the ion's equilibrium potential: "
            "the longer it is, the harder that ion is pushed across the membrane.</p>"
        )


def membrane_panel(preset: str = "muscle") -> MembranePanel:
    """The notebook 02 panel: ``membrane_panel()`` in a cell shows it."""
    return MembranePanel(preset)


class PotassiumPanel(kit.Panel):
    """Blood potassium → a muscle fibre's resting potential (hypo- to hyperkalaemia)."""

    def __init__(self):
        ref = {r["analyte"]: r for r in tables.read_table("serum_reference_ranges.csv")}["potassium"]
        self.normal = (float(ref["low"]), float(ref["high"]))
        self.k_grid = np.linspace(1.5, 10.0, 171)
        r1 = membrane.resting_vs_potassium(self.k_grid, "muscle", 0.01)
        r2 = membrane.resting_vs_potassium(self.k_grid, "muscle", 0.02)
        self.k_out = kit.slider("blood potassium (mmol/L)", 4.0, 1.5, 10.0, 0.1)
        figure = plots.potassium_figure(
            self.k_grid,
            r1["E_K_mV"],
            {"PNa/PK = 0.01": r1["V_rest_mV"], "PNa/PK = 0.02": r2["V_rest_mV"]},
            self.normal,
            widget=True,
            chosen_mM=self.k_out.value,
        )
        super().__init__({"k_out": self.k_out}, figure)

    def compute(self) -> dict:
        """E K⁺ and the resting potential (mV) at the chosen [K⁺]o, and the shift from 4 mmol/L."""
        k = float(self.k_out.value)
        v = membrane.resting_vs_potassium(np.array([k, 4.0]), "muscle", 0.01)
        ek, vr = float(v["E_K_mV"][0]), float(v["V_rest_mV"][0])
        lo, hi = self.normal
        state = "low (hypokalaemia)" if k < lo else "high (hyperkalaemia)" if k > hi else "normal"
        return {
            "K_out_mM": k,
            "E_K_mV": ek,
            "V_rest_mV": vr,
            "shift_mV": vr - float(v["V_rest_mV"][1]),
            "state": state,
        }

    def draw(self, st: dict) -> None:
        self.trace("chosen").x = [st["K_out_mM"], st["K_out_mM"]]

    def describe(self, st: dict) -> str:
        shift = st["shift_mV"]
        return (
            f"[K⁺]o = <b>{st['K_out_mM']:.1f} mmol/L</b> ({st['state']}): "
            f"E K⁺ = {st['E_K_mV']:+.1f} mV, resting potential (PNa/PK = 0.01) = "
            f"<b>{st['V_rest_mV']:+.1f} mV</b>, {abs(shift):.1f} mV "
            f"{'more positive' if shift > 0 else 'more negative'} than at 4.0 mmol/L."
        )


def potassium_panel() -> PotassiumPanel:
    """The notebook 02 blood-potassium panel."""
    return PotassiumPanel()


# --------------------------------------------------------------------------- notebook 00


class FirstSliderPanel(muscle_widgets.TrainPanel):
    """Notebook 00's "try a slider" demo: one motor unit's firing rate (Hz) → its force.

    One slider, one line: a slow motor unit (contraction time T = 90 ms, the slowest unit of
    Fuglevand et al. 1993, ``fuglevand1993``) fires regularly for 2 s; the force (in multiples of
    one twitch's peak) goes from separate twitches through summation to a smooth tetanus as the
    rate rises. The read-out names what the muscle does (:func:`utils.muscle.classify_contraction`).
    """

    T_MS = 90.0  # slowest unit of the pool (fuglevand1993: T_L = 90 ms)
    DURATION_S, TRAIN_S = 2.5, 2.0  # 2 s of firing (long enough to settle), then 0.5 s to relax
    SPIKE_Y = -0.4

    def __init__(self, rate_Hz: float = 2.0):
        self.rate = kit.slider("firing rate (Hz)", rate_Hz, 1.0, 40.0, 1.0, fmt=".0f", param="rate_Hz")
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
        plots.add_force_and_spikes(figure, "force of one motor unit (model)", "nerve impulses (spikes)")
        super().__init__({"rate": self.rate}, figure)

    def compute(self) -> dict:
        """Numbers for the current rate (label, spikes, peak force) and the force trace."""
        rate = float(self.rate.value)
        tr = muscle.periodic_force(rate, T_ms=self.T_MS, duration_s=self.DURATION_S, train_s=self.TRAIN_S)
        label = muscle.classify_contraction(tr.force_au, tr.spike_times_ms)
        return {
            "rate_Hz": rate,
            "label": label,
            "peak_force_rel": float(tr.force_au.max()),
            "title": f"{rate:.0f} Hz: {label}",
            **self.train_state(tr),
        }

    def describe(self, st: dict) -> str:
        n = st["n_spikes"]
        return (
            f"<b>{n}</b> nerve {plots.plural(n, 'impulse')} in 2 s → <b>{st['label']}</b>; "
            f"peak force <b>{st['peak_force_rel']:.1f}</b> × one twitch."
        )


def first_slider_panel(rate_Hz: float = 2.0) -> FirstSliderPanel:
    """The notebook 00 demo: ``widgets.first_slider_panel()`` in a cell shows it."""
    return FirstSliderPanel(rate_Hz)

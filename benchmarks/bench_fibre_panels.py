"""The muscle-fibre panels (utils.fibre_widgets): notebook 02's resting potential against [K⁺]o
and notebook 05's periodic paralysis and myotonia panel. Times each build (every slider position
precomputed) and the function a control calls (look-up + PlotlyFigure update), inside a real
kernel. Run: ``python benchmarks/run.py fibre``."""

from _timing import row, time_calls, time_once


def _cycle(values, n=200):
    """``n`` control values that always differ from the one before (so each set fires)."""
    return [(values[(i + 1) % len(values)],) for i in range(n)]


def run() -> list[dict]:
    from IPython.display import display

    from utils import fibre, fibre_widgets, hh

    fibre.simulate(hh.Pulse(150.0, 1.0, 1.0), 5.0)  # compile / load the numba kernel first
    rows = []

    rest_ms = time_once(fibre_widgets.fibre_rest_panel)
    rest = fibre_widgets.fibre_rest_panel()
    display(rest)
    n_k = len(fibre_widgets.k_grid())
    rows.append(
        row(
            f"02 fibre rest panel: build ({n_k} [K+]o x {len(fibre_widgets.CL_SCALES)} ClC-1 I-V curves)",
            [rest_ms],
            None,
            stat="max",
            note="every slider position precomputed (steady-state I-V curves); rests read from the table",
        )
    )
    ks = [float(k) for k in fibre_widgets.k_grid()]
    rows.append(
        row(
            "02 fibre rest panel: [K+]o slider",
            time_calls(lambda v: setattr(rest.k, "value", v), _cycle(ks)),
            16.0,
        )
    )
    rows.append(
        row(
            "02 fibre rest panel: ClC-1 dropdown",
            time_calls(lambda v: setattr(rest.cl, "value", v), _cycle(list(fibre_widgets.CL_SCALES))),
            16.0,
        )
    )

    n_runs = len(fibre_widgets.PP_CL_SCALES) * len(fibre_widgets.PP_NA_FRACTIONS) * len(fibre_widgets.PP_K)
    pp_ms = time_once(fibre_widgets.periodic_paralysis_panel)
    pp = fibre_widgets.periodic_paralysis_panel()
    display(pp)
    rows.append(
        row(
            f"05 periodic paralysis panel: build ({n_runs} runs of {fibre_widgets.PP_T_STOP_MS:g} ms)",
            [pp_ms],
            None,
            stat="max",
            note="runs are disk-cached (tablecache): a warm cache skips the simulations",
        )
    )
    controls = (
        ("ClC-1 slider", pp.cl, list(fibre_widgets.PP_CL_SCALES)),
        ("Na+ dropdown", pp.na, list(fibre_widgets.PP_NA_FRACTIONS)),
        ("[K+]o slider", pp.k, list(fibre_widgets.PP_K)),
    )
    for label, control, values in controls:
        rows.append(
            row(
                f"05 periodic paralysis panel: {label}",
                time_calls(lambda v, c=control: setattr(c, "value", v), _cycle(values)),
                16.0,
            )
        )
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)

"""Static site of the series: one self-contained HTML page per notebook, readable without Python.

    python tools/export_html.py                     # every notebooks/*.ipynb -> build/html/
    python tools/export_html.py --out DIR notebooks/02_resting_membrane.ipynb
    make html

Each notebook is EXECUTED in a fresh kernel (the committed files carry no widget state), with
``utils.export`` in export mode: every widget is drawn in its last state as plain HTML (plotly
figures stay interactive - zoom, hover - with plotly.js from ``assets/plotly.min.js``; controls are
listed with their values). Code cells are hidden unless ``--show-code``. Nothing on a page loads
from the internet: no CDN for plotly.js, require.js, MathJax or fonts (tests/browser/test_static_html.py
checks). Formulas are drawn as SVG by matplotlib's mathtext when it can parse them, else shown as
TeX text. Writes ``DIR/index.html``, ``DIR/<notebook>.html`` and ``DIR/assets/``.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TEMPLATE_DIR = Path(__file__).resolve().parent / "export"
DEFAULT_OUT = ROOT / "build" / "html"
CELL_TIMEOUT_S = 180

SETUP_CODE = "from utils import export as _twitch_export\n_twitch_export.enable()"
SNAPSHOT_CODE = "_twitch_export.publish_snapshot()"


def notebooks_in(folder: Path) -> list[Path]:
    """Every notebook of the series in reading order: numbered ones, then the rest (glossary ...)."""
    nbs = [p for p in folder.glob("*.ipynb") if not p.name.startswith(".")]
    return sorted(nbs, key=lambda p: (not p.name[:2].isdigit(), p.name))


def title_of(nb) -> str:
    """The notebook's first level-1 heading (``# 02 · The resting membrane ...``), else its file stem."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+?)\s*$", cell.source, flags=re.M)
            if m:
                return m.group(1)
    return nb.metadata.get("title") or ""


def execute(nb, nb_path: Path, timeout_s: int = CELL_TIMEOUT_S):
    """Run ``nb`` (a copy) top to bottom in export mode; returns it with each widget placeholder
    replaced by its last-state snapshot, widget/plotly JSON bundles turned into HTML."""
    import nbformat
    from nbclient import NotebookClient

    from utils import export

    nb = nbformat.from_dict(nb)
    nb.cells.insert(0, nbformat.v4.new_code_cell(SETUP_CODE))
    nb.cells.append(nbformat.v4.new_code_cell(SNAPSHOT_CODE))
    client = NotebookClient(
        nb,
        timeout=timeout_s,
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": str(nb_path.parent)}},
    )
    client.execute()
    nb.cells.pop(0)
    snapshots = {}
    for out in nb.cells.pop().outputs:
        snapshots.update(out.get("data", {}).get(export.SNAPSHOT_MIME, {}))
    nb.metadata.pop("widgets", None)
    n_fig = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data")
            if not data:
                continue
            key = data.pop(export.PLACEHOLDER_MIME, None)
            if key is not None:
                data["text/html"] = snapshots.get(key, "<p>[this control could not be drawn]</p>")
            if export.PLOTLY_MIME in data:
                n_fig += 1
                data["text/html"] = export.figure_html(data.pop(export.PLOTLY_MIME), f"plot-{n_fig}")
            data.pop("application/vnd.jupyter.widget-view+json", None)
    return nb


# --------------------------------------------------------------------------- formulas

_MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$([^$\n]+?)\$", flags=re.S)
_TEXT_CMD = re.compile(r"\\(?:text|textrm|operatorname)\{")


def tex_svg(tex: str, display: bool) -> str | None:
    """One formula as inline SVG (matplotlib mathtext), or None when mathtext cannot parse it."""
    import hashlib
    import io

    try:  # matplotlib comes with pyabf; without it formulas stay TeX text
        from matplotlib.figure import Figure
    except ImportError:
        return None

    tex = _TEXT_CMD.sub(r"\\mathrm{", tex.strip())  # mathtext knows \mathrm, not \text
    fig = Figure()
    size = 15 if display else 12
    try:
        fig.text(0, 0, f"${tex}$", fontsize=size, color="black")
        buf = io.StringIO()
        fig.savefig(
            buf, format="svg", bbox_inches="tight", pad_inches=0.02, transparent=True, metadata={"Date": None}
        )
    except Exception:  # noqa: BLE001 - any parse or layout failure: fall back to the TeX text
        return None
    svg = buf.getvalue()
    svg = re.sub(r"<metadata>.*?</metadata>|<!--.*?-->", "", svg[svg.index("<svg") :], flags=re.S)
    # unique ids per formula (several SVGs on one page must not share glyph ids)
    uid = "m" + hashlib.sha1(f"{display}{tex}".encode()).hexdigest()[:10]
    svg = re.sub(r'id="([^"]+)"', lambda m: f'id="{uid}-{m.group(1)}"', svg)
    svg = re.sub(r'(xlink:href|href)="#([^"]+)"', lambda m: f'{m.group(1)}="#{uid}-{m.group(2)}"', svg)
    return svg


def render_math(source: str) -> str:
    """Replace $...$ and $$...$$ in a markdown source by SVG (with the TeX as its accessible label)."""

    def repl(m):
        display = m.group(1) is not None
        tex = m.group(1) if display else m.group(2)
        svg = tex_svg(tex, display)
        cls = "twitch-math-block" if display else "twitch-math"
        label = html.escape(tex.strip(), quote=True)
        if svg is None:
            return f'<span class="{cls} twitch-tex">{html.escape(tex.strip())}</span>'
        svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" style="vertical-align:middle" ', 1)
        return f'<span class="{cls}">{svg}</span>'

    return _MATH.sub(repl, source)


# --------------------------------------------------------------------------- pages


def render_page(nb, title: str, nav: dict, show_code: bool) -> str:
    from nbconvert import HTMLExporter

    nb.metadata["title"] = title
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "$" in cell.source:
            cell.source = render_math(cell.source)
    exporter = HTMLExporter(
        template_name="lab",
        extra_template_paths=[str(TEMPLATE_DIR)],
        template_file="page.html.j2",
        exclude_input=not show_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"twitch": dict(nav, assets="assets/")})
    # links between notebooks point at their pages
    return re.sub(
        r'href="([^":/#"]+)\.ipynb(#[^"]*)?"', lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body
    )


def index_page(entries: list[dict]) -> str:
    items = "\n".join(f'<li><a href="{e["href"]}">{html.escape(e["title"])}</a></li>' for e in entries)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Why Muscles Twitch</title>
<link rel="stylesheet" href="assets/site.css">
</head>
<body>
<main class="twitch-index">
<h1>Why Muscles Twitch</h1>
<p>An interactive notebook series on nerves, electrolytes and muscle twitches, as static pages: read
them without Python. Figures can be zoomed and hovered; the sliders are shown at the values they had
when the pages were made. This is education, not medical advice.</p>
<ol>
{items}
</ol>
</main>
</body>
</html>
"""


def write_assets(out: Path) -> None:
    import plotly

    assets = out / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", assets / "plotly.min.js")
    shutil.copyfile(TEMPLATE_DIR / "site.css", assets / "site.css")


def export(notebooks: list[Path], out: Path, show_code: bool = False, log=print) -> list[Path]:
    """Write the site for ``notebooks`` into ``out``; returns the pages written (index first)."""
    import nbformat

    out.mkdir(parents=True, exist_ok=True)
    write_assets(out)
    nbs = [(p, nbformat.read(p, as_version=4)) for p in notebooks]
    entries = [{"href": f"{p.stem}.html", "title": title_of(nb) or p.stem} for p, nb in nbs]
    pages = [out / "index.html"]
    (out / "index.html").write_text(index_page(entries), encoding="utf-8")
    for i, (path, nb) in enumerate(nbs):
        t0 = time.monotonic()
        nav = {
            "prev": entries[i - 1] if i else None,
            "next": entries[i + 1] if i + 1 < len(entries) else None,
        }
        page = render_page(execute(nb, path), entries[i]["title"], nav, show_code)
        target = out / entries[i]["href"]
        target.write_text(page, encoding="utf-8")
        pages.append(target)
        log(f"  {target.relative_to(out)}  ({len(page) // 1024} KiB, {time.monotonic() - t0:.1f} s)")
    return pages


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("notebooks", nargs="*", type=Path, help="notebooks (default: every notebooks/*.ipynb)")
    ap.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"output folder (default {DEFAULT_OUT.relative_to(ROOT)})",
    )
    ap.add_argument("--show-code", action="store_true", help="include the code cells")
    args = ap.parse_args(argv)
    nbs = [p.resolve() for p in args.notebooks] or notebooks_in(ROOT / "notebooks")
    if not nbs:
        print("export_html: no notebooks found", file=sys.stderr)
        return 1
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    print(f"Exporting {len(nbs)} notebook(s) to {args.out} (each is executed first) ...")
    export(nbs, args.out, show_code=args.show_code)
    print(f"Open {args.out / 'index.html'} in a browser (no server or network needed).")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Static pages (``make html``): exported into a temporary folder, opened from disk in headless Chromium.

The export (tools/export_html.py) runs each notebook (default: 01 and 02; ``--notebooks`` chooses
others). Per page: every request is intercepted and none may leave the machine (only file:, data:
and blob: URLs; anything else is refused and reported) - so no plotly.js, require.js, MathJax or
fonts from a CDN; no script error; the title is the notebook's own heading; every plotly figure
is drawn with its traces (svg content, not an empty frame); widgets appear as their controls'
labels and values; no code and no error text; formulas are drawn as labelled SVG images.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
from lab import offline_context

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import export_html  # noqa: E402

pytestmark = pytest.mark.browser

DEFAULT_NOTEBOOKS = ("01_twitch_spasm_cramp", "02_resting_membrane")
LOCAL = ("file://", "data:", "blob:", "about:")
ERROR_TEXTS = ("Traceback (most recent call last)", "could not be drawn", "Error displaying widget")


@pytest.fixture(scope="module")
def site(request, tmp_path_factory) -> Path:
    nbs = request.config._twitch_selected["static_notebook"]
    out = tmp_path_factory.mktemp("html")
    export_html.export(nbs, out, log=lambda *a: None)
    return out


def _open(browser, url: str) -> dict:
    ctx, outside = offline_context(browser, LOCAL)
    seen: list[str] = []
    page = ctx.new_page()
    errors: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)[:300]))
    page.goto(url, wait_until="load")
    return {"ctx": ctx, "page": page, "outside": outside, "seen": seen, "errors": errors}


@pytest.mark.timeout(300)
def test_index_links_every_page(request, site, browser, chromium):
    got = _open(browser, (site / "index.html").as_uri())
    try:
        hrefs = got["page"].eval_on_selector_all("main a", "as => as.map(a => a.getAttribute('href'))")
        pages = sorted(f"{p.stem}.html" for p in request.config._twitch_selected["static_notebook"])
        assert sorted(hrefs) == pages, (hrefs, pages)
        assert all((site / h).is_file() for h in hrefs)
        assert not got["outside"] and not got["errors"], (got["outside"], got["errors"])
    finally:
        got["ctx"].close()


def _code_lines(nb) -> list[str]:
    """Lines of code cells that must not show on the page (a line that a Markdown cell also shows, e.g.
    in an exercise's folded solution, is text the page may carry)."""
    shown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return [
        ln.strip()
        for c in nb.cells
        if c.cell_type == "code"
        for ln in c.source.splitlines()
        if len(ln.strip()) >= 12 and not ln.strip().startswith("#") and ln.strip() not in shown
    ]


@pytest.mark.timeout(300)
def test_static_page(static_notebook, site, browser, chromium, screenshots):
    nb = nbformat.read(static_notebook, as_version=4)
    page_file = site / f"{static_notebook.stem}.html"
    assert page_file.is_file(), f"no page written for {static_notebook.name}"
    got = _open(browser, page_file.as_uri())
    page = got["page"]
    try:
        # plotly draws synchronously on load; wait until every figure has its traces
        page.wait_for_function(
            """() => [...document.querySelectorAll('.js-plotly-plot')].every(
            p => p.querySelector('svg.main-svg') && p.querySelectorAll('g.trace, g.hm, g.shape-group, g.annotation').length > 0)""",
            timeout=20_000,
        )
        first = page.locator(".js-plotly-plot").first
        if first.count():
            first.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots / f"static-{static_notebook.stem}.png"))

        assert not got["outside"], f"requests leaving the machine (refused): {sorted(set(got['outside']))}"
        assert all(u.startswith(LOCAL) for u in got["seen"]), got["seen"]
        assert any(u.endswith("/assets/plotly.min.js") for u in got["seen"]), (
            "plotly.js not loaded from assets/"
        )
        assert not got["errors"], f"script errors: {got['errors']}"

        title = export_html.title_of(nb)
        assert title and page.title() == title, (page.title(), title)
        assert page.locator("h1").first.inner_text().strip().rstrip("¶").strip() == title

        # every trace of the figure's data drawn; a figure without data (a diagram) draws its shapes
        figures = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].map(p => ({
            svg: p.querySelectorAll('svg.main-svg').length, data: (p.data || []).length,
            traces: p.querySelectorAll('g.trace, g.hm').length,
            marks: p.querySelectorAll('g.trace path, g.trace text, g.trace rect, g.hm image, g.shape-group path, g.annotation').length,
            h: p.getBoundingClientRect().height}))""")
        assert figures, "no plotly figure on the page"
        empty = [
            i
            for i, f in enumerate(figures)
            if not (f["svg"] and (f["traces"] or not f["data"]) and f["marks"] and f["h"] > 100)
        ]
        assert not empty, f"figures drawn without content: {[figures[i] for i in empty]}"
        assert page.locator("script[src]").evaluate_all("ss => ss.map(s => s.getAttribute('src'))") == [
            "assets/plotly.min.js"
        ]

        text = page.inner_text("body")
        assert not [t for t in ERROR_TEXTS if t in text], text[:2000]
        shown = [ln for ln in _code_lines(nb) if ln in text]
        assert not shown, f"code shown on the static page: {shown[:5]}"
        # widgets: a panel's controls as "label: value"
        if any("widget" in ln or "panel" in ln for ln in _code_lines(nb)):
            controls = page.locator(".twitch-control .twitch-value")
            assert controls.count() >= 1, "no control values listed for the notebook's widgets"
        # formulas: labelled SVG images (matplotlib mathtext), else readable TeX
        if any(c.cell_type == "markdown" and "$" in c.source for c in nb.cells):
            assert page.locator("svg[role=img][aria-label]").count() >= 1, "no formula drawn"
    finally:
        got["ctx"].close()

"""Accessibility: axe-core (npm, cached; tests/browser/axe.py) on every page a student sees.

- every static page (tools/export_html.py: the index and one page per notebook), the whole document;
- every notebook in Voila (tools/present.py), the rendered cells;
- every notebook's output area in JupyterLab after Run All. JupyterLab's own chrome (menus, side bar,
  toolbar, status bar) is not our content: it is checked too, recorded, and not asserted.

Zero serious or critical violations in the project's content. Results per page go to
``tests/browser/screenshots/axe-<mode>.json`` (the table in the closing note of issue 21).

A keyboard-only walkthrough (Voila, notebook 00): Tab to the first slider and move it with the arrow
keys, Tab to the first quiz question (its options are one Tab stop), choose with the arrow keys, Tab to
Check, press it, and read the feedback from the question's live region.

Notebooks: every ``notebooks/*.ipynb``; ``--notebooks`` (or ``TWITCH_BROWSER_NOTEBOOKS``) chooses others.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from axe import blocking, run_axe, summary
from lab import offline_context, open_notebook, run_all, wait_widgets_settled

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import export_html  # noqa: E402
from present import VoilaServer  # noqa: E402

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
OUTPUTS = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output"
VOILA_ROOT = "#rendered_cells"
VOILA_LOAD_MS = 240_000


def notebooks(config) -> list[Path]:
    spec = config.getoption("--notebooks", default=None) or os.environ.get("TWITCH_BROWSER_NOTEBOOKS")
    if spec:
        found = []
        for p in map(Path, filter(None, spec.split(os.pathsep))):
            found += sorted(p.glob("*.ipynb")) if p.is_dir() else [p]
        return [p.resolve() for p in found]
    return sorted((ROOT / "notebooks").glob("*.ipynb"))


def pytest_generate_tests(metafunc):
    if "a11y_notebook" in metafunc.fixturenames:
        nbs = notebooks(metafunc.config)
        metafunc.parametrize("a11y_notebook", nbs, ids=[p.stem for p in nbs])


@pytest.fixture(scope="module")
def results():
    """{mode: {page: summary}}, written as JSON at the end of the module."""
    log: dict[str, dict] = {}
    yield log
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for mode, pages in log.items():
        (SCREENSHOTS / f"axe-{mode}.json").write_text(json.dumps(pages, indent=1, sort_keys=True) + "\n")


def _fail_message(where: str, bad: list[dict]) -> str:
    return f"{where}: serious/critical axe violations:\n" + json.dumps(bad, indent=1)


# ---------------------------------------------------------------- static pages


@pytest.fixture(scope="module")
def site(request, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("a11y-html")
    export_html.export(notebooks(request.config), out, log=lambda *a: None)
    return out


@pytest.mark.timeout(1800)
def test_static_pages(request, site, browser, chromium, results):
    pages = sorted(site.glob("*.html"))
    assert len(pages) == len(notebooks(request.config)) + 1, [p.name for p in pages]
    failures = []
    for page_path in pages:
        ctx, outside = offline_context(browser, ("file://", "data:", "blob:", "about:"))
        try:
            page = ctx.new_page()
            page.goto(page_path.as_uri(), wait_until="load")
            page.wait_for_timeout(300)
            found = run_axe(page)
            results.setdefault("static", {})[page_path.stem] = summary(found)
            if blocking(found):
                failures.append(_fail_message(page_path.name, blocking(found)))
        finally:
            ctx.close()
    assert not failures, "\n".join(failures)


# ---------------------------------------------------------------- Voila


def _open_voila(browser, server: VoilaServer):
    ctx, outside = offline_context(browser, ("http://127.0.0.1:", "data:", "blob:", "about:"))
    page = ctx.new_page()
    page.goto(server.url, wait_until="commit", timeout=VOILA_LOAD_MS)
    page.wait_for_function(
        f"""() => !document.getElementById('loading') && document.querySelector('{VOILA_ROOT}') &&
        document.querySelector('{VOILA_ROOT}').style.display !== 'none'""",
        timeout=VOILA_LOAD_MS,
    )
    page.wait_for_function(
        f"""() => ![...document.querySelectorAll('{VOILA_ROOT} .jp-OutputArea-output')]
        .some(o => (o.textContent || '').includes('Loading widget'))""",
        timeout=60_000,
    )
    page.wait_for_timeout(500)
    return ctx, page


@pytest.mark.timeout(600)
def test_voila(a11y_notebook, browser, chromium, results):
    server = VoilaServer(a11y_notebook).start()
    try:
        ctx, page = _open_voila(browser, server)
        try:
            found = run_axe(page, {"include": [[VOILA_ROOT]]})
            results.setdefault("voila", {})[a11y_notebook.stem] = summary(found)
            assert not blocking(found), _fail_message(f"Voila {a11y_notebook.name}", blocking(found))
        finally:
            ctx.close()
    finally:
        server.stop()


# ---------------------------------------------------------------- JupyterLab


@pytest.mark.timeout(600)
def test_jupyterlab_outputs(a11y_notebook, lab_server, page, results):
    rel = a11y_notebook.relative_to(lab_server.root_dir).as_posix()
    lab_server.trust(a11y_notebook)
    try:
        open_notebook(page, lab_server, rel)
        run_all(page, timeout_s=240)
        stuck = wait_widgets_settled(page)
        assert not stuck, stuck
        page.wait_for_timeout(500)
        n_outputs = page.locator(OUTPUTS).count()
        content = run_axe(page, {"include": [[OUTPUTS]]}) if n_outputs else []
        chrome = run_axe(page, {"exclude": [[OUTPUTS]]})
        results.setdefault("lab", {})[a11y_notebook.stem] = summary(content)
        results.setdefault("lab-chrome", {})[a11y_notebook.stem] = summary(chrome)
        assert not blocking(content), _fail_message(f"JupyterLab outputs of {rel}", blocking(content))
    finally:
        lab_server.shutdown_sessions(rel)


# ---------------------------------------------------------------- keyboard only


def _tab_until(page, js_predicate: str, limit: int = 400) -> int:
    """Press Tab until ``js_predicate(document.activeElement)`` holds; returns the number of presses."""
    for n in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!({js_predicate}); }}"):
            return n
    raise AssertionError(f"{limit} Tab presses never reached: {js_predicate}")


@pytest.mark.timeout(600)
def test_keyboard_walkthrough(browser, chromium):
    nb = ROOT / "notebooks" / "00_start_here.ipynb"
    server = VoilaServer(nb).start()
    try:
        ctx, page = _open_voila(browser, server)
        try:
            page.evaluate("() => document.activeElement && document.activeElement.blur()")
            _tab_until(page, "el && el.matches('.twitch-slider-input')")
            first = page.evaluate(
                "() => document.querySelector('.twitch-slider-input') === document.activeElement"
            )
            assert first, "the first Tab stop among the sliders is not the first slider"
            before = page.evaluate("() => document.activeElement.value")
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(300)
            after = page.evaluate("() => document.activeElement.value")
            assert after != before, f"the slider did not move ({before} -> {after})"
            name = page.evaluate("() => document.activeElement.labels[0].textContent")
            assert name.strip(), "the slider has no label"

            _tab_until(page, "el && el.closest('fieldset.twitch-quiz-radios')")
            group = page.evaluate(
                """() => { const fs = document.activeElement.closest('fieldset');
                return {legend: fs.querySelector('legend').textContent,
                        n: fs.querySelectorAll('input[type=radio]').length,
                        names: new Set([...fs.querySelectorAll('input')].map(i => i.name)).size}; }"""
            )
            assert group["legend"].strip() and group["n"] >= 2 and group["names"] == 1, group
            page.keyboard.press("ArrowDown")  # choose (native radio group: the arrow keys move the choice)
            page.wait_for_timeout(200)
            chosen = page.evaluate(
                "() => [...document.activeElement.closest('fieldset').querySelectorAll('input')].filter(i => i.checked).length"
            )
            assert chosen == 1
            # one Tab stop per question: the next Tab leaves the group, onto the Check button
            page.keyboard.press("Tab")
            assert page.evaluate("() => !document.activeElement.closest('fieldset.twitch-quiz-radios')")
            assert page.evaluate("() => document.activeElement.tagName") == "BUTTON"
            assert page.evaluate("() => document.activeElement.textContent.trim()") == "Check"
            page.keyboard.press("Enter")
            feedback = page.wait_for_function(
                """() => { const q = document.activeElement.closest('.widget-vbox');
                const s = q && q.querySelector('[role=status][aria-live=polite]');
                return s && s.textContent.trim(); }""",
                timeout=15_000,
            ).json_value()
            assert feedback.startswith(("Correct.", "Not quite.")), feedback
        finally:
            ctx.close()
    finally:
        server.stop()

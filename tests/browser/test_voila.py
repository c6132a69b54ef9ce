"""Classroom mode (``make present``): notebooks served by Voila, in headless Chromium.

Per notebook (default: 02 and 03; ``--notebooks`` chooses others): the page finishes rendering with
no error, shows no code, draws plotly figures, and asks nothing of the internet (every request
is intercepted; only 127.0.0.1, data: and blob: are allowed, the rest is refused and reported);
the first slider, moved with the keyboard, changes the line it drives; a quiz question is
answered from the keyboard alone and gives the feedback of the chosen option. The large-font
option (``FONT=large``) makes text, control labels and figure tick labels bigger.
Screenshots: tests/browser/screenshots/voila-<notebook>[-large].png.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import nbformat
import pytest
from lab import QUIZ_RADIOS, first_slider_scope, offline_context, press_and_time, slider_readout

from utils import quiz
from utils.course import worksheet

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from present import VoilaServer  # noqa: E402

pytestmark = pytest.mark.browser

DEFAULT_NOTEBOOKS = ("02_resting_membrane", "03_action_potential")
PAGE = "#rendered_cells"
LOAD_TIMEOUT_MS = 180_000  # Voila runs every cell before it shows the page
ERROR_TEXTS = (
    "There was an error when executing cell",
    "Traceback (most recent call last)",
    "Error displaying widget",
    "model not found",
)
LOCAL = ("http://127.0.0.1:", "data:", "blob:", "about:")


def _open(browser, server: VoilaServer) -> dict:
    """Open the Voila page, refusing every request that would leave the machine; wait until Voila
    has run every cell and the widgets have drawn. Returns the page and what was seen on the way."""
    ctx, outside = offline_context(browser, LOCAL)
    page = ctx.new_page()
    console: list[str] = []
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"[:300]))
    t0 = time.monotonic()
    page.goto(server.url, wait_until="commit", timeout=LOAD_TIMEOUT_MS)
    # Voila removes its spinner (#loading) and shows the cells when the last cell has run.
    page.wait_for_function(
        f"""() => !document.getElementById('loading') &&
        document.querySelector('{PAGE}') && document.querySelector('{PAGE}').style.display !== 'none'""",
        timeout=LOAD_TIMEOUT_MS,
    )
    cells_s = time.monotonic() - t0
    # (every notebook's first slider drives a line trace: the frame rules say so)
    page.wait_for_function(
        f"""() => document.querySelector('{PAGE} .js-plotly-plot g.scatterlayer path.js-line') &&
        ![...document.querySelectorAll('{PAGE} .jp-OutputArea-output')].some(o => (o.textContent || '').includes('Loading widget'))""",
        timeout=60_000,
    )
    return {
        "ctx": ctx,
        "page": page,
        "outside": outside,
        "console": console,
        "cells_s": round(cells_s, 1),
        "widgets_s": round(time.monotonic() - t0, 1),
    }


@pytest.fixture(scope="module")
def voila(voila_notebook, browser, chromium, screenshots):
    server = VoilaServer(voila_notebook).start()
    try:
        seen = _open(browser, server)
        seen["page"].screenshot(path=str(screenshots / f"voila-{voila_notebook.stem}.png"))
        seen["notebook"] = voila_notebook
        yield seen
        seen["ctx"].close()
    except Exception as e:
        raise AssertionError(f"{e}\n--- voila log ---\n{server.log_tail()}") from e
    finally:
        server.stop()


def _code_lines(nb_path: Path) -> list[str]:
    """Distinctive lines of the notebook's code cells (what must not show in classroom mode)."""
    nb = nbformat.read(nb_path, as_version=4)
    lines = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            lines += [
                ln.strip()
                for ln in cell.source.splitlines()
                if len(ln.strip()) >= 12 and not ln.strip().startswith("#")
            ]
    return lines


@pytest.mark.timeout(240)
def test_page_renders_without_code_or_errors(voila):
    page, nb = voila["page"], voila["notebook"]
    text = page.inner_text(PAGE)
    errors = [t for t in ERROR_TEXTS if t in text]
    assert not errors, f"{nb.name} in Voila shows: {errors}\n{text[:2000]}"
    assert page.locator(f"{PAGE} .jp-InputArea-editor, {PAGE} .cm-editor").count() == 0, (
        "code editors visible"
    )
    shown = [ln for ln in _code_lines(nb) if ln in text]
    assert not shown, f"code shown in classroom mode: {shown[:5]}"
    # the notebook's own heading is on screen
    heading = page.locator(f"{PAGE} h1").first.inner_text()
    assert heading.strip().rstrip("¶").startswith(nb.stem[:2]), heading
    plots = page.locator(f"{PAGE} .js-plotly-plot")
    assert plots.count() >= 1
    assert page.locator(f"{PAGE} .js-plotly-plot g.scatterlayer path.js-line").count() >= 1, "no line drawn"
    assert not voila["outside"], f"requests leaving 127.0.0.1 (refused): {sorted(set(voila['outside']))}"
    # default font: ordinary size (the large-font test checks the other mode)
    size = page.evaluate(
        f"() => parseFloat(getComputedStyle(document.querySelector('{PAGE} .jp-RenderedHTMLCommon p')).fontSize)"
    )
    assert size < 18, size


@pytest.mark.timeout(120)
def test_first_slider_moves_its_line_from_the_keyboard(voila):
    page = voila["page"]
    scope = first_slider_scope(page, root=PAGE)
    assert scope["slider"], "no slider on the Voila page"
    assert scope["plotsInScope"], f"slider {scope['label']!r}: no plotly figure near it"
    label = page.locator(f"{PAGE} .twitch-slider .twitch-slider-label").first.inner_text()
    assert label.strip(), "the first slider has no visible label"
    page.locator(f"{PAGE} .twitch-slider .twitch-slider-input").first.scroll_into_view_if_needed()
    key, tried = "ArrowRight", []
    for i in range(5):  # a tiny step may need several presses; at the end of the range go back
        before = slider_readout(page, root=PAGE)
        res = press_and_time(page, key, 60_000 if i == 0 else 30_000, root=PAGE)  # a busy machine: be patient
        after = slider_readout(page, root=PAGE)
        tried.append(f"{key}: {before} -> {after}")
        if res["changed"]:
            break
        if before == after:
            key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
    else:
        pytest.fail(f"slider {label!r}: keyboard presses did not change its line: {tried}")
    assert before != after, f"the read-out did not follow the slider: {tried}"


@pytest.mark.timeout(120)
def test_quiz_answered_from_the_keyboard(voila):
    """First single-answer question: Space selects the focused first option, Tab reaches Check,
    Enter presses it; the feedback is the chosen option's own (from notebooks/quizzes/<stem>.json).
    The options are shown in the quiz's shuffled order, so the first one shown is
    ``options[quiz.display_order(q)[0]]``."""
    page, nb = voila["page"], voila["notebook"]
    questions = json.loads((ROOT / "notebooks" / "quizzes" / f"{nb.stem}.json").read_text(encoding="utf-8"))
    singles = [q for q in questions if q["kind"] == "single"]
    if not singles:
        pytest.skip(f"{nb.stem}: no single-answer question")
    q = singles[0]
    box = page.locator(PAGE).locator(QUIZ_RADIOS).first
    box.scroll_into_view_if_needed(timeout=60_000)
    first = box.locator("input[type=radio]").first
    first.focus()
    page.keyboard.press("Space")
    assert first.is_checked(), "Space did not select the focused option"
    # The options are one radio group (one Tab stop): the next Tab leaves the group for Check.
    path = []
    for _ in range(3):
        page.keyboard.press("Tab")
        path.append(
            page.evaluate(
                "() => { const a = document.activeElement; "
                "return a ? a.tagName + ':' + (a.textContent || a.value || '').trim() : '' }"
            )
        )
        if path[-1] == "BUTTON:Check":
            break
    assert path[-1] == "BUTTON:Check", f"Tab from the first option never reached the Check button: {path}"
    page.keyboard.press("Enter")
    question = box.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
    status = question.locator("[role=status]")
    status.wait_for(timeout=60_000)
    opt = q["options"][quiz.display_order(q)[0]]
    assert first.evaluate("e => e.parentElement.textContent.trim()") == opt["text"]
    text = status.inner_text()
    assert text.startswith("Correct." if opt["correct"] else "Not quite."), text
    assert opt["feedback"][:40] in text, (opt["feedback"], text)


def test_quiz_predict_locks_in_from_the_keyboard(voila):
    """The first predict cell (quiz.predict): its kernel read the options from the notebook file in its
    working directory; Space picks the focused first option, Tab reaches "Lock in my prediction", Enter
    locks it: the radios are disabled and the status line repeats the choice."""
    page, nb = voila["page"], voila["notebook"]
    calls = [
        m for c in nbformat.read(nb, as_version=4).cells if (m := worksheet.PREDICT_CALL.search(c.source))
    ]
    if not calls:
        pytest.skip(f"{nb.stem}: no predict cell")
    number, n = calls[0].groups()
    letter, text = quiz.predict_options(number, int(n), folder=nb.parent)[0]
    box = page.locator(f"{PAGE} .twitch-predict").first
    box.scroll_into_view_if_needed(timeout=60_000)
    first = box.locator("input[type=radio]").first
    assert first.evaluate("e => e.parentElement.textContent.trim()") == f"({letter}) {text}"
    first.focus()
    page.keyboard.press("Space")
    assert first.is_checked(), "Space did not select the focused option"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Lock in my prediction"
    page.keyboard.press("Enter")
    status = box.locator("[role=status]")
    status.wait_for(timeout=60_000)
    assert status.inner_text().startswith(f"You predicted ({letter}) {text}. Now try the panel below")
    page.wait_for_function("e => e.disabled", arg=first.element_handle(), timeout=30_000)


@pytest.mark.timeout(240)
def test_large_font_mode(browser, chromium, screenshots):
    nb = ROOT / "notebooks" / f"{DEFAULT_NOTEBOOKS[0]}.ipynb"
    server = VoilaServer(nb, font="large").start()
    try:
        seen = _open(browser, server)
        page = seen["page"]
        page.screenshot(path=str(screenshots / f"voila-{nb.stem}-large.png"))
        sizes = page.evaluate(f"""() => {{
            const px = (sel) => {{ const e = document.querySelector(sel); return e ? parseFloat(getComputedStyle(e).fontSize) : null; }};
            return {{text: px('{PAGE} .jp-RenderedHTMLCommon p'), label: px('{PAGE} .twitch-slider .twitch-slider-label'),
                     readout: px('{PAGE} .twitch-slider .twitch-slider-value'), tick: px('{PAGE} .js-plotly-plot .xtick text')}};
        }}""")
        assert sizes["text"] >= 22, sizes
        assert sizes["label"] >= 18 and sizes["readout"] >= 18, sizes
        assert sizes["tick"] >= 16, sizes
        assert not seen["outside"], f"requests leaving 127.0.0.1 (refused): {sorted(set(seen['outside']))}"
        seen["ctx"].close()
    except Exception as e:
        raise AssertionError(f"{e}\n--- voila log ---\n{server.log_tail()}") from e
    finally:
        server.stop()

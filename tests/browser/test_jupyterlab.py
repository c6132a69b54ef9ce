"""Every notebook in a real JupyterLab in headless Chromium, as a student would meet it.

Per notebook: (1) open it before running anything: no widget error box, no error output;
(2) Run menu -> Run All Cells (outputs cleared first): every cell ran, no error output, no widget error
text, at least one rendered plotly figure; (3) the first slider, moved with the keyboard on its handle,
changes the figure it drives; the key-press-to-redraw time is recorded (a figure, not an assertion;
`make bench` reports it); (4) the notebook file is byte-for-byte unchanged (the test never saves).
Screenshots: tests/browser/screenshots/<notebook>-{1-opened,2-ran,3-slider}.png (git-ignored).

Once, on notebook 00: the self-check quiz answered with the mouse, one question right and one wrong, each
showing the feedback of the option chosen (``test_quiz_right_and_wrong_in_jupyterlab``).
"""

from __future__ import annotations

import hashlib
import json
import statistics
import time
from pathlib import Path

import pytest
from lab import (
    NOTEBOOK,
    QUIZ_RADIOS,
    cell_states,
    count_plots,
    first_slider_scope,
    open_notebook,
    press_and_time,
    problems,
    run_all,
    slider_readout,
    stderr_texts,
    wait_widgets_settled,
)

pytestmark = pytest.mark.browser

EXTRA_SAMPLES = 9  # timed presses after the first change (alternating direction)
MAX_PRESSES = 5  # a tiny step may need several presses before the drawn line moves
FIRST_TIMEOUT_MS = 60_000  # a generous ceiling: polled, so a quiet machine does not wait
NEXT_TIMEOUT_MS = 30_000
ROOT = Path(__file__).resolve().parents[2]
QUIZ_NOTEBOOK = "00_start_here"


def _shot(page, folder, name):
    page.screenshot(path=str(folder / f"{name}.png"))


def _move_slider(page, rec: dict) -> None:
    scope = first_slider_scope(page)
    assert scope["slider"], "no slider (.twitch-slider) in the notebook after Run All"
    assert scope["plotsInScope"], f"slider {scope['label']!r}: no rendered plotly figure to drive"
    rec["slider"] = scope["label"]
    rec["figure_in_slider_cell"] = bool(scope["plotsInCell"])
    page.locator(f"{NOTEBOOK} .twitch-slider .twitch-slider-input").first.scroll_into_view_if_needed()

    key, tried, first = "ArrowRight", [], None
    for i in range(MAX_PRESSES):
        before = slider_readout(page)
        res = press_and_time(page, key, FIRST_TIMEOUT_MS if i == 0 else NEXT_TIMEOUT_MS)
        after = slider_readout(page)
        tried.append(f"{key}: {before} -> {after}")
        if res["changed"]:
            first = res
            break
        if before == after:  # at the end of its range: go the other way
            key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
    assert first is not None, (
        f"moving slider {scope['label']!r} with the keyboard did not change its "
        f"figure ({len(tried)} presses: {tried})"
    )
    rec["presses_to_first_change"] = len(tried)
    dom, frame = [first["dom_ms"]], [first["frame_ms"]]
    back = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
    for i in range(EXTRA_SAMPLES):  # back and forth: every press changes the drawn line again
        res = press_and_time(page, back if i % 2 == 0 else key, NEXT_TIMEOUT_MS)
        if res["changed"]:
            dom.append(res["dom_ms"])
            frame.append(res["frame_ms"])
    rec["slider_to_dom_ms"] = [round(x, 1) for x in dom]
    rec["slider_to_frame_ms"] = [round(x, 1) for x in frame]
    rec["slider_to_frame_median_ms"] = round(statistics.median(frame), 1)


@pytest.mark.timeout(240)
def test_notebook_in_jupyterlab(notebook, page, lab_server, screenshots, latency_log):
    original = hashlib.sha256(notebook.read_bytes()).hexdigest()
    rel = notebook.relative_to(lab_server.root_dir).as_posix()
    rec = latency_log.setdefault(rel, {})
    rec["passed"] = False
    console: list[str] = []  # browser-side errors: recorded for diagnosis, not asserted
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"[:300]))
    page.on("console", lambda m: m.type == "error" and console.append(f"console: {m.text}"[:300]))
    t0 = time.monotonic()
    try:
        # (1) Opened before running: stored outputs must not show widget error boxes or errors.
        # Trusted (in the server's private database), so stored widget views really render.
        lab_server.trust(notebook)
        open_notebook(page, lab_server, rel)
        stuck = wait_widgets_settled(page)  # stored widget views resolve (or fail) asynchronously
        rec["open_s"] = round(time.monotonic() - t0, 2)
        _shot(page, screenshots, f"{notebook.stem}-1-opened")
        found = stuck + problems(page)
        assert not found, f"{rel} opened before running shows: {found}"

        # (2) Run All.
        rec["run_all_s"] = round(run_all(page), 2)
        stuck = wait_widgets_settled(page)
        plots = page.locator(f"{NOTEBOOK} .js-plotly-plot")
        if plots.count():  # Run All leaves the view at the last cell: show the first figure instead
            plots.first.scroll_into_view_if_needed()
        _shot(page, screenshots, f"{notebook.stem}-2-ran")
        found = stuck + problems(page)
        assert not found, f"{rel} after Run All shows: {found}"
        rec["stderr_outputs"] = stderr_texts(page)  # warnings: recorded, not asserted
        unrun = [
            i
            for i, s in enumerate(cell_states(page))
            if not s["blank"] and not any(ch.isdigit() for ch in s["prompt"])
        ]
        assert not unrun, f"{rel}: code cells {unrun} (0-based among code cells) did not run"
        rec["plotly_figures"] = count_plots(page)
        assert rec["plotly_figures"] >= 1, f"{rel}: no rendered plotly figure (.js-plotly-plot) after Run All"

        # (3) The first slider drives its figure.
        _move_slider(page, rec)
        page.wait_for_timeout(200)
        _shot(page, screenshots, f"{notebook.stem}-3-slider")
    finally:
        rec["wall_s"] = round(time.monotonic() - t0, 2)
        rec["browser_errors"] = console[:20]
        page.close()  # no beforeunload, no save
        lab_server.shutdown_sessions(rel)
    # (4) Never saved.
    assert hashlib.sha256(notebook.read_bytes()).hexdigest() == original, (
        f"{rel} was modified on disk while the browser test had it open (the test never saves it)"
    )
    rec["passed"] = True


def _answer(page, box_index: int, q: dict, option: dict) -> str:
    """Click ``option`` of the single-answer question drawn by the ``box_index``-th radio group, press its
    Check button and return the feedback text once it appears (polled, up to 60 s)."""
    box = page.locator(NOTEBOOK).locator(QUIZ_RADIOS).nth(box_index)
    box.scroll_into_view_if_needed(timeout=FIRST_TIMEOUT_MS)
    legend = box.locator("legend").inner_text()
    assert legend.startswith("Your answer to question"), legend
    question = box.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
    assert q["prompt"][:40] in question.inner_text(), (q["prompt"], question.inner_text()[:200])
    box.locator("label", has_text=option["text"]).locator("input[type=radio]").click()
    question.get_by_role("button", name="Check").click()
    status = question.locator("[role=status]")
    status.wait_for(timeout=FIRST_TIMEOUT_MS)
    return status.inner_text()


@pytest.mark.timeout(300)
def test_quiz_right_and_wrong_in_jupyterlab(page, lab_server, screenshots):
    """Notebook 00 run in JupyterLab; its first single-answer question answered right, its second wrong:
    each shows "Correct." or "Not quite." with the chosen option's own feedback from the quiz file."""
    nb = ROOT / "notebooks" / f"{QUIZ_NOTEBOOK}.ipynb"
    rel = nb.relative_to(lab_server.root_dir).as_posix()
    questions = json.loads(
        (ROOT / "notebooks" / "quizzes" / f"{QUIZ_NOTEBOOK}.json").read_text(encoding="utf-8")
    )
    singles = [q for q in questions if q["kind"] == "single"]
    assert len(singles) >= 2, "the test needs two single-answer questions"
    try:
        lab_server.trust(nb)
        open_notebook(page, lab_server, rel)
        run_all(page)
        assert not problems(page), problems(page)
        right = next(o for o in singles[0]["options"] if o["correct"])
        wrong = next(o for o in singles[1]["options"] if not o["correct"])
        seen_right = _answer(page, 0, singles[0], right)
        seen_wrong = _answer(page, 1, singles[1], wrong)
        _shot(page, screenshots, f"{QUIZ_NOTEBOOK}-4-quiz")
        assert seen_right.startswith("Correct."), seen_right
        assert right["feedback"][:60] in seen_right, (right["feedback"], seen_right)
        assert seen_wrong.startswith("Not quite."), seen_wrong
        assert wrong["feedback"][:60] in seen_wrong, (wrong["feedback"], seen_wrong)
        # the progress line under the quiz counts both checks
        summary = page.locator(f"{NOTEBOOK} .twitch-quiz-summary").first
        page.wait_for_function(
            "(e) => e.textContent.includes('2 of')", arg=summary.element_handle(), timeout=FIRST_TIMEOUT_MS
        )
        assert "1 right" in summary.inner_text(), summary.inner_text()
    finally:
        page.close()
        lab_server.shutdown_sessions(rel)

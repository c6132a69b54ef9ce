"""Links into and inside the glossary, clicked in a real JupyterLab 4.6 in headless Chromium.

(a) A "Jump to" letter link at the top of notebooks/glossary.ipynb scrolls the glossary to that letter.
(b) A term link in another notebook (notebooks/00_start_here.ipynb, written ``glossary.ipynb#cell-id=<anchor>``
    by utils.glossary.link) opens the glossary scrolled to the term: first when the glossary was not open yet,
    then again, to another term, while it is open.

Each runs in JupyterLab's default windowing mode (``contentVisibility``: what a student gets; a small server of
this module) and in the ``none`` mode the series' other browser tests use (the session's ``lab_server``). In
``none`` mode JupyterLab 4.6 looks the cell up before the freshly opened glossary is laid out and stays at the
top: (b)'s first click is an expected failure there (not strict: it depends on timing), the rest must pass.
Why ``#cell-id=`` and not ``#tetany``: see utils/glossary.py. Nothing is saved (the files' hashes are checked).
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest
from lab import NOTEBOOK, LabServer, accept_dialog

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "notebooks" / "glossary.ipynb"
LINKING = ROOT / "notebooks" / "00_start_here.ipynb"  # links tetany (far down) and motor unit
FIRST_TERM, SECOND_TERM = "tetany", "motor-unit"
TRACKER = "@jupyterlab/notebook-extension/tracker"

# Where the heading of a glossary cell (found by its text) sits in the visible notebook's scroll area.
_POSITION_JS = """([sel, level, text]) => {
    const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
    const tab = document.querySelector('.lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current');
    const scroller = panel && panel.querySelector('.jp-WindowedPanel-outer');
    const heading = panel && [...panel.querySelectorAll(sel + ' .jp-MarkdownCell h' + level)]
        .find(h => h.textContent.replace('¶', '').trim() === text);
    if (!scroller || !heading) return {tab: tab ? tab.textContent.trim() : '', found: false};
    const s = scroller.getBoundingClientRect(), r = heading.getBoundingClientRect();
    return {tab: tab ? tab.textContent.trim() : '', found: true, top: r.top - s.top, bottom: r.bottom - s.top,
            height: s.height, scrollTop: scroller.scrollTop};
}"""


def _terms() -> dict[str, str]:
    from utils import glossary

    return {glossary.anchor(r["term"]): r["term"] for r in glossary.rows()}


@pytest.fixture(scope="module")
def default_lab(chromium):
    """A JupyterLab like the session's, but with JupyterLab's own windowing mode."""
    server = LabServer(root_dir=ROOT).start()
    try:
        f = server.tmp / "settings" / f"{TRACKER}.jupyterlab-settings"
        settings = json.loads(f.read_text())
        settings.pop("windowingMode", None)
        f.write_text(json.dumps(settings))
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["contentVisibility", "none"], ids=["windowing-default", "windowing-none"])
def lab(request):
    server = request.getfixturevalue("default_lab" if request.param == "contentVisibility" else "lab_server")
    try:
        GLOSSARY.relative_to(server.root_dir)
    except ValueError:
        pytest.skip(f"the JupyterLab server serves {server.root_dir}, not the repository")
    got = server.api("GET", f"/lab/api/settings/{TRACKER.replace('/tracker', ':tracker')}")
    mode = got["settings"].get("windowingMode", got["schema"]["properties"]["windowingMode"]["default"])
    assert mode == request.param, got["settings"]  # the mode this case is about is the one in force
    server.windowing = request.param
    hashes = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (GLOSSARY, LINKING)}
    yield server
    server.shutdown_sessions()
    for p, h in hashes.items():
        assert hashlib.sha256(p.read_bytes()).hexdigest() == h, (
            f"{p.name} changed on disk (nothing may save it)"
        )


def _open(page, server, path: Path) -> None:
    rel = path.relative_to(server.root_dir).as_posix()
    page.goto(f"{server.url}/lab/tree/{rel}?reset&token={server.token}")
    page.wait_for_selector(
        f"{NOTEBOOK} .jp-MarkdownCell a[href*='cell-id=']", state="attached", timeout=60_000
    )
    accept_dialog(page)


def _wait_in_view(page, level: int, text: str, tab: str, timeout_s: float = 60) -> dict:
    """Poll until the heading is inside the visible scroll area of tab ``tab`` twice in a row (0.3 s apart:
    a later re-layout must not move it away again). Returns the last position."""
    deadline, hits, pos = time.monotonic() + timeout_s, 0, {}
    while time.monotonic() < deadline:
        pos = page.evaluate(_POSITION_JS, [NOTEBOOK, level, text])
        ok = (
            pos.get("tab") == tab and pos.get("found") and pos["top"] >= -2 and pos["bottom"] <= pos["height"]
        )
        hits = hits + 1 if ok else 0
        if hits >= 2:
            return pos
        page.wait_for_timeout(300)
    raise AssertionError(f"heading {text!r} of {tab} is not in view after {timeout_s:.0f} s: {pos}")


@pytest.mark.timeout(300)
def test_jump_to_letter_scrolls_to_the_letter(page, lab):
    _open(page, lab, GLOSSARY)
    page.wait_for_function(f"(a) => ({_POSITION_JS})(a).found", arg=[NOTEBOOK, 2, "T"], timeout=60_000)
    start = page.evaluate(_POSITION_JS, [NOTEBOOK, 2, "T"])
    assert start["top"] > start["height"], f"T must start out of view: {start}"
    for letter in ("T", "B"):  # far down, then back up
        page.locator(f"{NOTEBOOK} a[href='#cell-id=letter-{letter.lower()}']").first.click()
        pos = _wait_in_view(page, 2, letter, "glossary.ipynb")
        assert pos["scrollTop"] > 0


@pytest.mark.timeout(300)
def test_term_link_opens_the_glossary_at_the_term(page, lab):
    terms = _terms()
    _open(page, lab, LINKING)
    page.locator(f"{NOTEBOOK} a[href*='glossary.ipynb'][href$='#cell-id={FIRST_TERM}']").first.click()
    try:
        pos = _wait_in_view(page, 3, terms[FIRST_TERM], "glossary.ipynb")
        assert pos["scrollTop"] > 1000, pos  # tetany is far down the glossary
        first_open = None
    except AssertionError as e:
        if lab.windowing != "none":
            raise
        first_open = str(e)
    # Glossary open now: back to the notebook, another term.
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=LINKING.name).first.click()
    page.locator(f"{NOTEBOOK} a[href*='glossary.ipynb'][href$='#cell-id={SECOND_TERM}']").first.click()
    _wait_in_view(page, 3, terms[SECOND_TERM], "glossary.ipynb")
    if first_open:
        pytest.xfail(
            "JupyterLab 4.6, windowingMode 'none': a just-opened notebook is not scrolled to the "
            f"fragment ({first_open})"
        )

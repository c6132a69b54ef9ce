"""Drive JupyterLab in headless Chromium: a private server, and the page actions the browser tests use.

Facts this relies on are in ../shared/TOOLING.md ("A real browser"). Nothing here ever saves a notebook:
autosave is switched off in the private settings folder and no save command is ever sent.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from present import (  # noqa: E402  (server processes; the one Chromium and its switches)
    CHROMIUM,  # noqa: F401  (conftest.py and the benchmarks read them from here)
    CHROMIUM_ARGS,  # noqa: F401
    free_port,
    read_tail,
    terminate,
    wait_until_answering,
)

VIEWPORT = {"width": 1400, "height": 1000}

# Settings written into the private JUPYTERLAB_SETTINGS_DIR (plugin id -> overrides).
LAB_SETTINGS = {
    # Every cell stays in the DOM (default windowing drops off-screen cells).
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none", "autoStartDefaultKernel": True},
    # No news toast over the page, no request to the internet.
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    # The tests open the committed notebooks: never write them back.
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False, "confirmClosingDocument": False},
}

WIDGET_ERROR_TEXTS = ("Error displaying widget", "model not found")


@dataclass
class LabServer:
    """``jupyter lab`` on 127.0.0.1 with a random token, private settings, stopped by PID."""

    root_dir: Path
    jupyter: str = str(Path(sys.executable).with_name("jupyter"))
    port: int = field(default_factory=free_port)
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    proc: subprocess.Popen | None = None
    tmp: Path | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> "LabServer":
        self.tmp = Path(tempfile.mkdtemp(prefix="twitch-lab-"))
        settings, workspaces, config = (self.tmp / d for d in ("settings", "workspaces", "config"))
        for plugin, values in LAB_SETTINGS.items():
            f = settings / f"{plugin}.jupyterlab-settings"
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_text(json.dumps(values))
        self.runtime_dir = (
            self.tmp / "runtime"
        )  # kernels' connection files (tests/browser/probe.py reads them)
        for d in (workspaces, config, self.tmp / "checkpoints", self.tmp / "notary", self.runtime_dir):
            d.mkdir()
        env = dict(
            os.environ,
            JUPYTERLAB_SETTINGS_DIR=str(settings),
            JUPYTERLAB_WORKSPACES_DIR=str(workspaces),
            # No user-level jupyter config leaks in (extensions are enabled in the venv's config).
            JUPYTER_CONFIG_DIR=str(config),
            JUPYTER_RUNTIME_DIR=str(self.runtime_dir),
            PYDEVD_DISABLE_FILE_VALIDATION="1",
        )
        cmd = [
            self.jupyter,
            "lab",
            "--no-browser",
            f"--port={self.port}",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            "--ServerApp.port_retries=0",
            # Opening a notebook makes a first checkpoint; keep it out of the repo.
            f"--FileCheckpoints.checkpoint_dir={self.tmp / 'checkpoints'}",
            # Private trust database: see trust().
            f"--NotebookNotary.data_dir={self.tmp / 'notary'}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        self.log_path = self.tmp / "jupyter.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            cmd,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=self.root_dir,
            start_new_session=True,
        )
        wait_until_answering(
            self.proc,
            lambda: self.api("GET", "/api/status", timeout=2),
            timeout,
            "jupyter lab",
            self.log_path,
            self.stop,
        )
        return self

    def trust(self, path: Path) -> None:
        """Mark a notebook trusted for this server only (a signature in its private database; the file
        is not written). Untrusted, JupyterLab shows stored widget outputs as their text repr and never
        as a widget, so a missing widget model ("model not found") could not be seen at all."""
        import nbformat
        from nbformat.sign import NotebookNotary

        NotebookNotary(data_dir=str(self.tmp / "notary")).sign(nbformat.read(path, as_version=4))

    def api(self, method: str, path: str, timeout: float = 10):
        req = urllib.request.Request(
            self.url + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(req, timeout=timeout) as r:
            body = r.read()
        return json.loads(body) if body else None

    def shutdown_sessions(self, nb_path: str | None = None) -> None:
        """Shut down the kernels of ``nb_path`` (server-relative), or of every session."""
        try:
            for s in self.api("GET", "/api/sessions"):
                if nb_path is None or s.get("path") == nb_path:
                    self.api("DELETE", f"/api/sessions/{s['id']}")
        except (urllib.error.URLError, OSError):
            pass

    def log_tail(self, n: int = 4000) -> str:
        return read_tail(self.log_path, n)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.shutdown_sessions()
        terminate(self.proc)
        if self.proc is not None:
            try:  # leftover kernels of a failed shutdown
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if getattr(self, "_log", None) is not None:
            self._log.close()
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)


# --------------------------------------------------------------------------------------------------
# Page actions. `page` is a playwright.sync_api.Page.

NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"
# a quiz's radio groups, not those of a committed-prediction widget (quiz.predict) before a panel;
# chain it: page.locator(NOTEBOOK).locator(QUIZ_RADIOS)
QUIZ_RADIOS = (
    "xpath=.//*[contains(@class,'twitch-quiz-radios')][not(ancestor::*[contains(@class,'twitch-predict')])]"
)


def accept_dialog(page) -> bool:
    """Accept a dialog (e.g. Select Kernel) if one shows; True if one did."""
    dlg = page.locator(".jp-Dialog .jp-mod-accept")
    if dlg.count():
        dlg.first.click()
        return True
    return False


def wait_kernel_idle(page, timeout_s: float = 90) -> None:
    """Kernel started (toolbar names ipykernel) and the status bar says Idle; accepts kernel dialogs."""
    deadline = time.monotonic() + timeout_s
    js = """() => {
        const name = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Toolbar-kernelName');
        const items = [...document.querySelectorAll('.jp-StatusBar-TextItem')].map(e => e.textContent.trim());
        return !!name && name.textContent.includes('ipykernel') && items.some(t => /\\| Idle$/.test(t));
    }"""
    while time.monotonic() < deadline:
        accept_dialog(page)
        if page.evaluate(js):
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"kernel not idle after {timeout_s:.0f} s")


def open_notebook(page, server: LabServer, rel_path: str, timeout_s: float = 90) -> None:
    page.goto(f"{server.url}/lab/tree/{rel_path}?reset&token={server.token}")
    page.wait_for_selector(f"{NOTEBOOK} .jp-Cell", timeout=timeout_s * 1000)
    wait_kernel_idle(page, timeout_s)


def click_menu(page, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def cell_states(page) -> list[dict]:
    """Per code cell: prompt text, whether its source is blank."""
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel + ' .jp-CodeCell')].map(c => ({
        prompt: (c.querySelector('.jp-InputArea-prompt') || {}).textContent || '',
        blank: !((c.querySelector('.jp-InputArea-editor') || {}).textContent || '').trim(),
    }))""",
        NOTEBOOK,
    )


def problems(page) -> list[str]:
    """Error outputs and widget error boxes currently in the notebook, as short texts.

    JupyterLab 4.6 renders an ``error`` output like a stderr stream (data-mime-type
    application/vnd.jupyter.stderr), so a stderr output counts as an error when it reads like a traceback;
    other stderr text (warnings) is returned by :func:`stderr_texts` instead."""
    return page.evaluate(
        """([sel, widgetErrors]) => {
        const out = [];
        const tb = /Traceback|^\\s*-{20,}|\\b[A-Z]\\w*(Error|Exception)\\b/m;
        for (const o of document.querySelectorAll(sel + ' .jp-OutputArea-output')) {
            const mime = o.getAttribute('data-mime-type') || '';
            const text = o.textContent || '';
            if (mime === 'application/vnd.jupyter.error' || (mime === 'application/vnd.jupyter.stderr' && tb.test(text)))
                out.push('error output: ' + text.trim().slice(0, 800));
            else if (widgetErrors.some(w => text.includes(w)))
                out.push('widget error: ' + text.trim().slice(0, 300));
        }
        return out;
    }""",
        [NOTEBOOK, list(WIDGET_ERROR_TEXTS)],
    )


def stderr_texts(page) -> list[str]:
    """Every stderr output (warnings included), for the record."""
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(
        sel + ' .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
        .map(o => (o.textContent || '').trim().slice(0, 300))""",
        NOTEBOOK,
    )


def wait_widgets_settled(page, timeout_s: float = 20) -> list[str]:
    """Wait until no widget output still reads "Loading widget..." (a stored widget view whose model is
    missing turns into "Error displaying widget: model not found" ~2 s after the kernel is idle).
    Returns the outputs still loading at the timeout (a problem in itself)."""
    js = """(sel) => [...document.querySelectorAll(sel + ' .jp-OutputArea-output')]
        .filter(o => (o.textContent || '').includes('Loading widget...')).map(o => o.textContent.trim().slice(0, 200))"""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        loading = page.evaluate(js, NOTEBOOK)
        if not loading:
            return []
        page.wait_for_timeout(200)
    return ["widget still loading after %.0f s: %s" % (timeout_s, loading)]


def count_plots(page) -> int:
    return page.locator(f"{NOTEBOOK} .js-plotly-plot").count()


def run_all(page, timeout_s: float = 120) -> float:
    """Clear outputs, Run menu -> Run All Cells, wait until every non-blank code cell ran (or one failed)
    and the kernel is idle. Returns wall seconds. Clearing first means stale stored outputs cannot pass."""
    click_menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function(
        """(sel) => !document.querySelector(sel + ' .jp-OutputArea-output') &&
        [...document.querySelectorAll(sel + ' .jp-InputArea-prompt')].every(p => !/[0-9*]/.test(p.textContent))""",
        arg=NOTEBOOK,
        timeout=10_000,
    )
    t0 = time.monotonic()
    click_menu(page, "Run", "Run All Cells")
    deadline = t0 + timeout_s
    while True:
        accept_dialog(page)
        states = cell_states(page)
        running = any("*" in s["prompt"] for s in states)
        done = all(any(ch.isdigit() for ch in s["prompt"]) for s in states if not s["blank"])
        if not running and (done or problems(page)):
            break
        if time.monotonic() > deadline:
            raise AssertionError(
                f"Run All did not finish within {timeout_s:.0f} s; prompts: {[s['prompt'] for s in states]}"
            )
        page.wait_for_timeout(250)
    wait_kernel_idle(page, timeout_s=max(5.0, deadline - time.monotonic()))
    return time.monotonic() - t0


# Signature of what a figure shows: the `d` of its line paths, or (no lines) its whole SVG.
_SIGNATURE_JS = """
window.__twitchSig = (root) => {
    const lines = [...root.querySelectorAll('.js-plotly-plot g.scatterlayer path.js-line')];
    if (lines.length) return lines.map(p => p.getAttribute('d')).join('|');
    return [...root.querySelectorAll('.js-plotly-plot svg.main-svg')].map(s => s.innerHTML).join('|');
};
"""


def first_slider_scope(page, root: str = NOTEBOOK) -> dict:
    """Mark the first slider's cell (data-twitch-scope) and say what it holds; falls back to the whole
    notebook when the figure the slider drives is in another cell. ``root``: the CSS selector of the
    document's cells (JupyterLab's notebook by default; Voila's page is ``#rendered_cells``)."""
    return page.evaluate(
        """(sel) => {
        document.querySelectorAll('[data-twitch-scope]').forEach(e => e.removeAttribute('data-twitch-scope'));
        const slider = document.querySelector(sel + ' .twitch-slider');
        if (!slider) return {slider: false};
        const cell = slider.closest('.jp-CodeCell');
        const inCell = cell.querySelectorAll('.js-plotly-plot').length;
        const scope = inCell ? cell : document.querySelector(sel);
        scope.setAttribute('data-twitch-scope', '1');
        const label = slider.querySelector('.twitch-slider-label');
        return {slider: true, label: label ? label.textContent : '', plotsInCell: inCell,
                plotsInScope: scope.querySelectorAll('.js-plotly-plot').length};
    }""",
        root,
    )


def slider_readout(page, root: str = NOTEBOOK) -> str:
    return page.evaluate(f"""() => {{
        const r = document.querySelector('{root} .twitch-slider .twitch-slider-value');
        return r ? (r.value !== undefined && r.tagName === 'INPUT' ? r.value : r.textContent) : '';
    }}""")


_ARM_JS = """
(() => {
    const scope = document.querySelector('[data-twitch-scope]');
    const st = window.__twitch = {base: window.__twitchSig(scope), tKey: null, tDom: null, tFrame: null};
    if (window.__twitchObs) window.__twitchObs.disconnect();
    if (!window.__twitchKey) {
        window.__twitchKey = () => { if (window.__twitch && window.__twitch.tKey === null) window.__twitch.tKey = performance.now(); };
        document.addEventListener('keydown', window.__twitchKey, true);
    }
    const obs = window.__twitchObs = new MutationObserver(() => {
        if (st.tDom !== null || st.tKey === null) return;
        if (window.__twitchSig(scope) !== st.base) {
            st.tDom = performance.now();
            obs.disconnect();
            requestAnimationFrame(() => { st.tFrame = performance.now(); });
        }
    });
    obs.observe(scope, {subtree: true, childList: true, attributes: true, characterData: true});
})();
"""


def press_and_time(page, key: str, timeout_ms: float, root: str = NOTEBOOK) -> dict:
    """Press ``key`` on the first slider's handle; time from the keydown (seen in the page) until the
    figure signature in the marked scope changes (MutationObserver), and until the next animation frame."""
    page.evaluate(_SIGNATURE_JS + _ARM_JS)
    handle = page.locator(f"{root} .twitch-slider .twitch-slider-input").first
    handle.focus()
    handle.press(key)
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function("() => window.__twitch.tFrame !== null", timeout=timeout_ms)
    except PlaywrightTimeout:  # the figure did not change
        page.evaluate("() => window.__twitchObs && window.__twitchObs.disconnect()")
        return {"changed": False}
    st = page.evaluate("() => window.__twitch")
    return {"changed": True, "dom_ms": st["tDom"] - st["tKey"], "frame_ms": st["tFrame"] - st["tKey"]}


def offline_context(browser, allowed: tuple[str, ...]):
    """A browser context that refuses every request whose URL does not start with one of ``allowed``
    (e.g. ``("http://127.0.0.1:", "data:")``). Returns ``(context, outside)``: ``outside`` lists the
    refused URLs, so a test can assert that nothing tried to leave the machine."""
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.set_default_timeout(30_000)
    outside: list[str] = []

    def guard(route):
        if route.request.url.startswith(allowed):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    ctx.route("**/*", guard)
    return ctx, outside

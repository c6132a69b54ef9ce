"""axe-core for the accessibility tests: fetched once from npm into a cache, injected into a page.

``python tests/browser/axe.py`` (``make axe``, run by ``make test-browser``) fetches it when missing:
``npm pack axe-core@<AXE_VERSION>`` into ``build/axe-core/<version>/`` (nothing from a CDN at run time;
``TWITCH_AXE_JS`` points at another copy of ``axe.min.js``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_VERSION = "4.14.1"
CACHE = ROOT / "build" / "axe-core"
BLOCKING = ("serious", "critical")


def axe_path(fetch: bool = True) -> Path:
    """The cached axe.min.js; fetched with npm when missing (FileNotFoundError when that is impossible)."""
    override = os.environ.get("TWITCH_AXE_JS")
    if override:
        return Path(override)
    js = CACHE / AXE_VERSION / "axe.min.js"
    if js.is_file() or not fetch:
        return js
    npm = shutil.which("npm")
    if not npm:
        raise FileNotFoundError(
            f"{js} is missing and npm is not installed (apt-get install npm, then make axe)"
        )
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [npm, "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", tmp, "--silent"],
            check=True,
            capture_output=True,
            timeout=180,
        )
        (tgz,) = Path(tmp).glob("axe-core-*.tgz")
        with tarfile.open(tgz) as tar:
            member = tar.extractfile("package/axe.min.js")
            js.parent.mkdir(parents=True, exist_ok=True)
            js.write_bytes(member.read())
    return js


def run_axe(page, context: dict | str | None = None) -> list[dict]:
    """axe's violations on the page (within ``context``: axe's include/exclude object), as short dicts."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_path()))
    result = page.evaluate(
        """async (ctx) => {
        const r = await axe.run(ctx || document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.length, targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
            html: v.nodes.slice(0, 2).map(n => n.html.slice(0, 160))}));
    }""",
        context,
    )
    return result


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in BLOCKING]


def summary(violations: list[dict]) -> dict:
    """{'serious': nodes, 'critical': nodes, 'rules': {rule: nodes}} for the results table."""
    by_impact = Counter()
    rules = Counter()
    for v in violations:
        by_impact[v["impact"]] += v["nodes"]
        rules[f"{v['id']} ({v['impact']})"] += v["nodes"]
    return {"serious": by_impact["serious"], "critical": by_impact["critical"], "rules": dict(rules)}


if __name__ == "__main__":
    print(axe_path())
    sys.exit(0)

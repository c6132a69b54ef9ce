"""Point every Binder link in the README and the docs at the repository named in pyproject.toml.

The one setting is ``[project.urls] Repository`` in ``pyproject.toml`` (a GitHub URL). After changing it::

    python tools/binder_links.py            # rewrites README.md and docs/**/*.md
    python tools/nbtidy.py notebooks/*.ipynb   # rewrites each notebook's Binder link (and re-runs it)

``--check`` lists the links that do not use the setting (exit status 1 if any); tests/unit/test_binder.py
runs the same check on the README, the docs and every notebook.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"https://mybinder\.org/v2/gh/(?P<repo>[\w.-]+/[\w.-]+)/")


def repository() -> str:
    """'owner/name' from pyproject.toml's Repository URL."""
    url = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"][
        "Repository"
    ]
    m = re.fullmatch(r"https://github\.com/([\w.-]+/[\w.-]+?)(\.git)?/?", url)
    if not m:
        raise SystemExit(f"pyproject.toml: Repository = {url!r} is not https://github.com/<owner>/<name>")
    return m[1]


def text_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def notebook_texts() -> list[tuple[Path, str]]:
    out = []
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        out.append((nb, "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")))
    return out


def wrong_links() -> list[str]:
    """'file: owner/name' for every Binder link that names another repository."""
    want = repository()
    found = [(p, p.read_text(encoding="utf-8")) for p in text_files()] + notebook_texts()
    return [
        f"{p.relative_to(ROOT)}: {m['repo']}"
        for p, text in found
        for m in LINK.finditer(text)
        if m["repo"] != want
    ]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only list the links that do not use the setting")
    args = ap.parse_args(argv)
    if args.check:
        bad = wrong_links()
        print("\n".join(bad) or f"every Binder link points at {repository()}")
        return 1 if bad else 0
    want = repository()
    for path in text_files():
        text = path.read_text(encoding="utf-8")
        new = LINK.sub(f"https://mybinder.org/v2/gh/{want}/", text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"rewrote {path.relative_to(ROOT)}")
    stale = [s for s in wrong_links() if s.startswith("notebooks/")]
    if stale:
        print("now run tools/nbtidy.py on:", " ".join(sorted({s.split(":")[0] for s in stale})))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""nbgitpuller links for a school's JupyterHub: one per notebook, opening in JupyterLab.

    python tools/hub_links.py --hub https://hub.example.org                 # the student branch
    python tools/hub_links.py --hub https://hub.example.org --branch main   # teachers: with solutions
    make links HUB=https://hub.example.org [BRANCH=main]

A link clones (first click) or updates (later clicks, keeping the student's own edits) the repository into
``~/why-muscles-twitch`` on the hub, then opens the notebook in JupyterLab. The ``student`` branch holds
``build/student`` (``make student``: solutions removed) at its top level; see docs/hub/README.md for how to
publish it. The repository is pyproject.toml's ``[project.urls] Repository``.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
TARGET = "why-muscles-twitch"
STUDENT_BRANCH = "student"


def repository_url() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"][
        "Repository"
    ]


def notebooks() -> list[str]:
    return sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))


def link(hub: str, notebook: str, branch: str = STUDENT_BRANCH, repo: str | None = None) -> str:
    """The nbgitpuller link that opens ``notebook`` in JupyterLab on ``hub``."""
    if not hub.startswith(("https://", "http://")):
        raise ValueError(f"HUB must be a URL such as https://hub.example.org, not {hub!r}")
    folder = "" if branch == STUDENT_BRANCH else "notebooks/"  # the student branch is build/student
    query = urlencode(
        {
            "repo": repo or repository_url(),
            "branch": branch,
            "targetpath": TARGET,
            "urlpath": f"lab/tree/{TARGET}/{folder}{notebook}",
        },
        quote_via=quote,
        safe="",
    )
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.example.org")
    ap.add_argument("--branch", default=STUDENT_BRANCH, help="student (default: solutions removed) or main")
    ap.add_argument("--repo", default=None, help="the repository URL (default: pyproject.toml's Repository)")
    args = ap.parse_args(argv)
    try:
        for nb in notebooks():
            print(f"{nb}\t{link(args.hub, nb, args.branch, args.repo)}")
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

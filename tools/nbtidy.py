"""Execute notebooks top to bottom in a fresh kernel and store them small and readable.

    python tools/nbtidy.py notebooks/02_resting_membrane.ipynb [...]   # execute + tidy
    python tools/nbtidy.py --check notebooks/*.ipynb                   # only check tidiness

Tidy means: the further-reading cell is rebuilt from data/references.json (keys in the cell's
metadata), the Binder link points at the repository in pyproject.toml, widget outputs and
``metadata.widgets`` are removed (they hold ~5 MB of plotly.js and would show "model not
found" boxes to a reader who opens the notebook before running it), execution timings are
dropped, and cell ids are stable. Text outputs of checked cells (# NBVAL_CHECK_OUTPUT) stay,
so nbval can compare them.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path
from urllib.parse import quote

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def repository_url() -> str:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return data["project"]["urls"]["Repository"]


def binder_url(nb_path: Path) -> str:
    repo = repository_url().removeprefix("https://github.com/")
    rel = nb_path.resolve().relative_to(ROOT).as_posix()
    return f"https://mybinder.org/v2/gh/{repo}/HEAD?labpath={quote(rel, safe='')}"


BINDER_TEXT = "Launch this notebook on Binder"


def binder_link(nb_path: Path) -> str:
    """A text link (no badge image: an image from the internet breaks offline classrooms)."""
    return f"[{BINDER_TEXT}]({binder_url(nb_path)}) (runs in your browser, nothing to install)"


def further_reading_source(keys) -> str:
    from utils import references

    return "## Further reading\n\n" + references.further_reading(keys)


def tidy(nb, nb_path: Path) -> None:
    """Apply every tidy rule to ``nb`` in place."""
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            cell.metadata.pop("collapsed", None)
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "markdown" and "further-reading" in tags:
            cell.source = further_reading_source(cell.metadata["references"])
        if cell.cell_type == "markdown" and "binder" in tags:
            cell.source = re.sub(
                r"\[!\[Launch on Binder\]\([^)]*\)\]\([^)]*\)"
                rf"|\[{BINDER_TEXT}\]\([^)]*\)( \(runs in your browser, nothing to install\))?",
                lambda _m: binder_link(nb_path),
                cell.source,
            )
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.outputs
                if not (
                    o.get("output_type") in ("display_data", "execute_result")
                    and WIDGET_MIME in o.get("data", {})
                )
            ]
            for o in cell.outputs:
                o.get("metadata", {}).pop("execution", None)
            cell.outputs = _merge_streams(cell.outputs)


def _merge_streams(outputs):
    """Join consecutive stdout (or stderr) chunks: how the kernel splits them varies per run."""
    merged = []
    for o in outputs:
        if (
            o.get("output_type") == "stream"
            and merged
            and merged[-1].get("output_type") == "stream"
            and merged[-1]["name"] == o["name"]
        ):
            merged[-1]["text"] += o["text"]
        else:
            merged.append(o)
    return merged


def execute(nb, nb_path: Path, timeout: int = 300) -> None:
    from nbclient import NotebookClient

    NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(nb_path.parent)}}
    ).execute()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("notebooks", nargs="+", type=Path)
    ap.add_argument("--check", action="store_true", help="fail if a notebook is not tidy")
    ap.add_argument("--no-execute", action="store_true", help="tidy without running")
    args = ap.parse_args(argv)
    bad = 0
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        before = nbformat.writes(nb)
        if not args.check and not args.no_execute:
            execute(nb, path)
        tidy(nb, path)
        after = nbformat.writes(nb)
        if args.check:
            if before != after:
                print(f"{path}: not tidy (run: python tools/nbtidy.py {path})")
                bad += 1
            continue
        nbformat.validate(nb)
        path.write_text(after + ("" if after.endswith("\n") else "\n"), encoding="utf-8")
        print(f"{path}: {path.stat().st_size / 1024:.1f} KiB")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The README is the front door: every notebook of the series is listed there with its Binder launch link."""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + [ROOT / "notebooks" / "glossary.ipynb"]


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_readme_links_and_launches_every_notebook(nb):
    assert f"(notebooks/{nb.name})" in README, f"README does not link {nb.name}"
    assert f"labpath=notebooks%2F{nb.name})" in README, f"README has no Binder launch link for {nb.name}"


@pytest.mark.parametrize("nb", NOTEBOOKS[:-1], ids=lambda p: p.stem)
def test_readme_time_matches_the_notebook(nb):
    """The table's time is the notebook's own 'Time needed' (one source of truth for teachers)."""
    minutes = re.search(r"\*\*Time needed:\*\* about (\d+) minutes", nbformat.read(nb, 4).cells[0].source)
    row = next(
        line for line in README.splitlines() if f"(notebooks/{nb.name})" in line and line.startswith("|")
    )
    assert f"| {minutes.group(1)} min |" in row, row

"""The page for the worried reader (issue 17): code-free, linked first from the README and from notebook 00,
sourced base rates (motor neurone disease included), NHS-style self-care, urgency in three tiers, what a
doctor checks, and how to judge a health article with the seed claims."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from utils import glossary, references

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "notebooks" / "worried_reader.ipynb"


@pytest.fixture(scope="module")
def nb():
    return nbformat.read(PAGE, as_version=4)


@pytest.fixture(scope="module")
def text(nb):
    return "\n".join(c.source for c in nb.cells)


def _section(text, heading):
    return text.split(heading, 1)[1].split("\n## ", 1)[0]


def test_the_page_is_code_free_valid_and_tidy(nb):
    nbformat.validate(nb)
    assert all(c.cell_type == "markdown" for c in nb.cells), "Voila and the static export show it as text"
    assert "binder" in nb.cells[0].metadata["tags"]
    assert "labpath=notebooks%2Fworried_reader.ipynb" in nb.cells[0].source
    res = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "nbtidy.py"), "--check", str(PAGE)],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stdout + res.stderr


def test_linked_first_from_the_readme_and_from_00():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_nb_link = re.search(r"\]\((notebooks/[^)#]+\.ipynb)\)", readme).group(1)
    assert first_nb_link == "notebooks/worried_reader.ipynb"
    badge = re.search(r"\[!\[Launch on Binder\]\([^)]*\)\]\(([^)]*)\)", readme).group(1)
    assert badge.endswith("labpath=notebooks%2F00_start_here.ipynb"), "the main badge opens 00"
    first = nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4).cells[0].source
    links = re.findall(r"\]\(([\w.]+\.ipynb)[)#]", first)
    assert links[0] == "worried_reader.ipynb"
    assert "worried_reader.ipynb" in "\n".join(
        c.source
        for c in nbformat.read(ROOT / "notebooks" / "06_why_muscles_twitch.ipynb", as_version=4).cells
    )


def test_base_rates_are_sourced_and_the_arithmetic_holds(text):
    common = _section(text, "## 1 · ")
    assert "70 %" in common and "Reed & Kurland 1963" in common
    assert "121 people" in common and "Blexrud et al. 1993" in common
    # motor neurone disease: 2.16 per 100 000 adults per year (logroscino2010)
    assert "2.16 per 100 000" in references.get("logroscino2010")["note"]
    assert "2.16 per 100 000 per year" in common and "Logroscino et al. 2010" in common
    assert f"about {round(2.16 * 1_000_000 / 100_000)} people" in common


def test_self_care_follows_the_nhs(text):
    care = _section(text, "## 2 · ")
    for must in (
        "Rest and sleep",
        "caffeine",
        "alcohol",
        "worrying can make it worse",
        "Do not stop a prescribed",
    ):
        assert must in care, must


def test_urgency_comes_in_three_tiers_with_breathing_and_swallowing_first(text):
    tiers = _section(text, "## 3 · ")
    now, soon, weeks = (tiers.index(t) for t in ("**Now:", "**Soon:", "**Within weeks:"))
    assert now < soon < weeks
    urgent = tiers[now:soon]
    assert "trouble breathing" in urgent and "trouble swallowing" in urgent
    assert "more than 2 weeks" in tiers[weeks:] and "more than one place" in tiers[weeks:]
    assert "weakness" in tiers[soon:weeks]


def test_what_a_doctor_checks_and_how_to_judge_an_article(text):
    checks = _section(text, "## 4 · ")
    for must in ("Examination", "Blood tests", "EMG", "neurologist"):
        assert must in checks, must
    judge = _section(text, "## 5 · ")
    for seed in (
        "professional doctor",
        "grinding",
        "paraesthesia",
        "fibres that control your",
        "Lactic acid",
        "Homeopathy",
        "acupuncture",
        "clonazepam",
        "vitamin D",
    ):
        assert seed in judge, seed


def test_sources_and_glossary_links_resolve(nb, text):
    reading = [c for c in nb.cells if "further-reading" in c.metadata.get("tags", [])]
    assert len(reading) == 1
    for key in reading[0].metadata["references"]:
        references.get(key)
    anchors = {glossary.anchor(r["term"]) for r in glossary.rows()}
    for frag in re.findall(r"glossary\.ipynb#cell-id=([\w-]+)", text):
        assert frag in anchors, frag

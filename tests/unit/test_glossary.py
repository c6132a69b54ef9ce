"""The glossary (data/terms.csv → notebooks/glossary.ipynb) and the series list behind it."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from utils import glossary, muscle_widgets, references, series

ROOT = Path(__file__).resolve().parents[2]
NB = ROOT / "notebooks"
GLOSSARY = NB / "glossary.ipynb"


def _glossary_text():
    return "\n".join(c.source for c in nbformat.read(GLOSSARY, as_version=4).cells)


def test_glossary_notebook_exists_and_is_up_to_date():
    assert GLOSSARY.is_file()
    res = subprocess.run([sys.executable, str(ROOT / "tools" / "glossary.py"), "--check"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_glossary_notebook_is_tidy_and_small():
    res = subprocess.run([sys.executable, str(ROOT / "tools" / "nbtidy.py"), "--check", str(GLOSSARY)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    assert GLOSSARY.stat().st_size < 120 * 1024
    nb = nbformat.read(GLOSSARY, as_version=4)
    nbformat.validate(nb)
    assert "mybinder.org/v2/gh/" in nb.cells[0].source


def test_every_term_is_listed_with_its_anchor():
    text = _glossary_text()
    rows = references.read_table("terms.csv")
    assert 40 <= len(rows) <= 90, "the glossary covers the whole series"
    for r in rows:
        a = glossary.anchor(r["term"])
        assert f'<a id="{a}" name="{a}"></a>{r["term"]}\n' in text, r["term"]


def test_terms_are_unique_and_anchors_distinct():
    terms = [r["term"] for r in references.read_table("terms.csv")]
    assert len(terms) == len({t.lower() for t in terms})
    anchors = [glossary.anchor(t) for t in terms]
    assert len(anchors) == len(set(anchors))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", a) for a in anchors)


def test_alphabetical_order():
    text = _glossary_text()
    terms = re.findall(r'^### <a id="[^"]+" name="[^"]+"></a>(.+)$', text, flags=re.M)
    keys = [glossary._sort_key(t) for t in terms]
    assert keys == sorted(keys)
    assert len(terms) == len(references.read_table("terms.csv"))


@pytest.mark.parametrize("term, expected", [("tetany", "tetany"), ("Na⁺/K⁺ pump", "na-k-pump"),
                                            ("tetanus (unfused and fused)", "tetanus"),
                                            ("f–I curve", "f-i-curve"),
                                            ("ALS / motor neurone disease", "als-motor-neurone-disease")])
def test_anchor(term, expected):
    assert glossary.anchor(term) == expected
    assert glossary.link(term) == f"glossary.ipynb#{expected}"


def test_every_row_is_complete_and_taught_in_a_notebook_of_the_series():
    planned = {nb.filename for nb in series.SERIES}
    for r in references.read_table("terms.csv"):
        for col in ("term", "plain", "physiology", "group"):
            assert r[col].strip(), f"{r['term']}: empty {col}"
        where = glossary.taught_in(r)
        assert where, f"{r['term']}: no taught_in"
        for f in where:
            assert f in planned, f"{r['term']}: {f} is not a notebook of the series"
        assert glossary.sources(r), f"{r['term']}: no source"


def test_taught_in_links_resolve_for_notebooks_that_exist():
    text = _glossary_text()
    for f in set(re.findall(r"\]\((\d\d_[a-z_]+\.ipynb)\)", text)):
        assert f in series.BY_FILENAME, f
    for nb in series.SERIES[:4]:           # 00–03 are written; 04–06 are being written
        assert (NB / nb.filename).is_file() or nb.number == "00", nb.filename


def test_series_covers_every_numbered_notebook():
    for path in NB.glob("[0-9][0-9]_*.ipynb"):
        assert path.name in series.BY_FILENAME, f"{path.name} missing from utils.series.SERIES"


def test_notebook_01_words_table_keeps_only_the_movement_words():
    words = [r["term"] for r in muscle_widgets.terms()]
    assert words == ["twitch", "fasciculation", "myokymia", "spasm", "cramp", "tetany", "myoclonus",
                     "tremor", "tic"]


def test_further_reading_lists_every_cited_source():
    nb = nbformat.read(GLOSSARY, as_version=4)
    cell = [c for c in nb.cells if "further-reading" in c.metadata.get("tags", [])]
    assert len(cell) == 1
    keys = set(cell[0].metadata["references"])
    for r in references.read_table("terms.csv"):
        assert set(glossary.sources(r)) <= keys


def test_show_and_table():
    df = glossary.table()
    assert len(df) == len(references.read_table("terms.csv"))
    assert "tetany" in set(df["anchor"])
    assert "### <a id=\"tetany\"" in glossary.show().data

"""The glossary (data/terms.csv → notebooks/glossary.ipynb) and the series list behind it."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from utils import glossary, muscle_widgets, series, tables

ROOT = Path(__file__).resolve().parents[2]
NB = ROOT / "notebooks"
GLOSSARY = NB / "glossary.ipynb"


def _glossary_text():
    return "\n".join(c.source for c in nbformat.read(GLOSSARY, as_version=4).cells)


def test_glossary_notebook_exists_and_is_up_to_date():
    assert GLOSSARY.is_file()
    res = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "glossary.py"), "--check"], capture_output=True, text=True
    )
    assert res.returncode == 0, res.stdout + res.stderr


def test_glossary_notebook_is_tidy_and_small():
    res = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "nbtidy.py"), "--check", str(GLOSSARY)],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert GLOSSARY.stat().st_size < 120 * 1024
    nb = nbformat.read(GLOSSARY, as_version=4)
    nbformat.validate(nb)
    assert "mybinder.org/v2/gh/" in nb.cells[0].source


def _cells_by_id():
    return {c.id: c for c in nbformat.read(GLOSSARY, as_version=4).cells}


def test_every_term_has_its_own_cell_named_by_its_anchor():
    cells = _cells_by_id()
    rows = tables.read_table("terms.csv")
    assert 40 <= len(rows) <= 90, "the glossary covers the whole series"
    for r in rows:
        cell = cells.get(glossary.anchor(r["term"]))
        assert cell is not None, f"{r['term']}: no cell with id {glossary.anchor(r['term'])!r}"
        assert cell.source.startswith(f"### {r['term']}\n\n{r['plain']}"), r["term"]


def test_cell_ids_are_unique_and_letters_do_not_clash_with_terms():
    ids = [c.id for c in nbformat.read(GLOSSARY, as_version=4).cells]
    assert len(ids) == len(set(ids))
    anchors = {glossary.anchor(r["term"]) for r in tables.read_table("terms.csv")}
    assert not anchors & {"glossary-00", "glossary-sources"}
    assert not any(a.startswith("letter-") for a in anchors)


def test_jump_to_index_links_every_letter_cell():
    nb = nbformat.read(GLOSSARY, as_version=4)
    cells = {c.id: c for c in nb.cells}
    index = re.search(r"^\*\*Jump to:\*\* (.+)$", nb.cells[0].source, flags=re.M).group(1)
    links = re.findall(r"\[([A-Z])\]\(#cell-id=(letter-[a-z])\)", index)
    letters = sorted({glossary._letter(r["term"]) for r in tables.read_table("terms.csv")})
    assert [L for L, _ in links] == letters
    for L, cid in links:
        assert cells[cid].source == f"## {L}", cid
    # each term cell sits under its letter
    current = None
    for c in nb.cells:
        if c.id.startswith("letter-"):
            current = c.id[-1].upper()
        elif c.source.startswith("### "):
            assert glossary._letter(c.source[4:].split("\n")[0]) == current, c.id


def test_terms_are_unique_and_anchors_distinct():
    terms = [r["term"] for r in tables.read_table("terms.csv")]
    assert len(terms) == len({t.lower() for t in terms})
    anchors = [glossary.anchor(t) for t in terms]
    assert len(anchors) == len(set(anchors))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", a) and len(a) <= 64 for a in anchors)  # cell ids


def test_alphabetical_order():
    text = _glossary_text()
    terms = re.findall(r"^### (.+)$", text, flags=re.M)
    keys = [glossary._sort_key(t) for t in terms]
    assert keys == sorted(keys)
    assert len(terms) == len(tables.read_table("terms.csv"))


@pytest.mark.parametrize(
    "term, expected",
    [
        ("tetany", "tetany"),
        ("Na⁺/K⁺ pump", "na-k-pump"),
        ("tetanus (unfused and fused)", "tetanus"),
        ("f–I curve", "f-i-curve"),
        ("ALS / motor neurone disease", "als-motor-neurone-disease"),
    ],
)
def test_anchor(term, expected):
    assert glossary.anchor(term) == expected
    assert glossary.link(term) == f"glossary.ipynb#cell-id={expected}"


def test_every_row_is_complete_and_taught_in_a_notebook_of_the_series():
    planned = {nb.filename for nb in series.SERIES}
    for r in tables.read_table("terms.csv"):
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
    for nb in series.SERIES[:4]:  # 00–03 are written; 04–06 are being written
        assert (NB / nb.filename).is_file() or nb.number == "00", nb.filename


def test_series_covers_every_numbered_notebook():
    for path in NB.glob("[0-9][0-9]_*.ipynb"):
        assert path.name in series.BY_FILENAME, f"{path.name} missing from utils.series.SERIES"


def test_notebook_01_words_table_keeps_only_the_movement_words():
    words = [r["term"] for r in muscle_widgets.terms()]
    assert words == [
        "twitch",
        "fasciculation",
        "myokymia",
        "spasm",
        "cramp",
        "tetany",
        "myoclonus",
        "tremor",
        "tic",
    ]


def test_further_reading_lists_every_cited_source():
    nb = nbformat.read(GLOSSARY, as_version=4)
    cell = [c for c in nb.cells if "further-reading" in c.metadata.get("tags", [])]
    assert len(cell) == 1
    keys = set(cell[0].metadata["references"])
    for r in tables.read_table("terms.csv"):
        assert set(glossary.sources(r)) <= keys


def test_show_and_table():
    df = glossary.table()
    assert len(df) == len(tables.read_table("terms.csv"))
    assert "tetany" in set(df["anchor"])
    assert "\n\n### tetany\n\n" in glossary.show().data


# Links into the glossary. JupyterLab 4.6 scrolls a freshly opened notebook only to a `#cell-id=<id>`
# fragment (see utils/glossary.py and tests/browser/test_glossary_links.py), so that is the one form.
GLOSSARY_LINK = re.compile(r"glossary\.ipynb#([\w=-]*)")
IN_PAGE_LINK = re.compile(r"\]\((#[^)\s]*)\)")  # [text](#fragment)


def _link_sources():
    """(where, text) of every notebook cell source and text output, quiz file and utils module."""
    for path in sorted(NB.glob("*.ipynb")):
        for i, c in enumerate(nbformat.read(path, as_version=4).cells):
            yield f"{path.name} cell {i} ({c.get('id')})", c.source
            for o in c.get("outputs", []):
                for mime in ("text/markdown", "text/html", "text/plain"):
                    data = o.get("data", {}).get(mime)
                    if data:
                        yield f"{path.name} cell {i} output", "".join(data)
    for path in sorted((NB / "quizzes").glob("*.json")) + sorted((ROOT / "utils").glob("*.py")):
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")


def test_every_link_into_the_glossary_names_a_cell_that_exists():
    ids = set(_cells_by_id())
    found = 0
    for where, text in _link_sources():
        for frag in GLOSSARY_LINK.findall(text):
            found += 1
            assert frag.startswith("cell-id="), (
                f"{where}: glossary.ipynb#{frag}: link a term as glossary.ipynb#cell-id=<anchor> (glossary.link(term))"
            )
            assert frag.removeprefix("cell-id=") in ids, (
                f"{where}: glossary.ipynb#{frag}: no such glossary cell"
            )
    assert found >= 18, f"only {found} links into the glossary: notebooks 00-04 and 06 link their key terms"


def test_links_inside_the_glossary_resolve():
    ids = set(_cells_by_id())
    frags = IN_PAGE_LINK.findall(_glossary_text())
    assert len(frags) >= 10
    for frag in frags:
        assert frag.startswith("#cell-id=") and frag.removeprefix("#cell-id=") in ids, frag


def test_link_check_catches_a_wrong_anchor():
    """The two checks above fail on the forms that do not work (a bare #anchor) or do not exist."""
    ids = set(_cells_by_id())
    for bad in ("[tetany](glossary.ipynb#tetany)", "[x](glossary.ipynb#cell-id=no-such-term)"):
        frag = GLOSSARY_LINK.findall(bad)[0]
        assert not (frag.startswith("cell-id=") and frag.removeprefix("cell-id=") in ids)
    assert "tetany" in ids and "letter-t" in ids

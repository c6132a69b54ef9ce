"""Every number in data/ has a source: each table's source keys exist in data/references.json."""

import json
from pathlib import Path

import pytest

from utils import references, tables

DATA = Path(__file__).resolve().parents[2] / "data"
TABLES = sorted(p for p in DATA.glob("*.csv"))


def test_references_file_is_valid_csl_json():
    items = json.loads((DATA / "references.json").read_text(encoding="utf-8"))
    ids = [i["id"] for i in items]
    assert len(ids) == len(set(ids)), "duplicate reference ids"
    for item in items:
        assert item.get("title") and item.get("author") and item.get("issued"), item["id"]
        assert references.cite(item["id"])  # every entry renders


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_table_sources_exist(path):
    rows = tables.read_table(path.name)
    assert rows, f"{path.name} is empty"
    source_cols = [c for c in rows[0] if c.startswith("source") or c in ("citation_key", "reference")]
    assert source_cols, f"{path.name} has no source column"
    known = references.load()
    for i, row in enumerate(rows, start=2):
        keys = [k.strip() for c in source_cols for k in (row[c] or "").split(";") if k.strip()]
        for k in keys:
            assert k in known, f"{path.name} row {i}: unknown reference key {k!r}"
        # every row that carries a number has at least one source
        if any(_is_number(v) for c, v in row.items() if c not in source_cols):
            assert keys, f"{path.name} row {i} has numbers but no source"


def _is_number(v):
    try:
        float(v)
        return True
    except (TypeError, ValueError):
        return False


def test_further_reading_renders_links():
    text = references.further_reading(["hodgkin1952", "okabe2008"])
    assert "doi.org/10.1113/jphysiol.1952.sp004764" in text
    assert "jfly" in text
    with pytest.raises(KeyError, match="references.json"):
        references.get("no_such_key")


def test_short_citations():
    assert references.cite("hodgkin1952") == "Hodgkin & Huxley 1952"
    assert references.cite("decarvalho2016") == "de Carvalho & Swash 2016"
    assert references.cite("dengler2020") == "Dengler et al. 2020"
    assert references.cite("fuglevand1993") == "Fuglevand et al. 1993"
    assert references.cite("hille2001") == "Hille 2001"
    assert references.cite("nhmrc2015") == "National Health and Medical Research Council 2015"

"""The series' glossary, built from ``data/terms.csv``.

Each row has a term, a plain definition, what it is physiologically, where in the series it is
taught (``taught_in``: notebook files, main one first) and its sources (keys of
``data/references.json``). :func:`notebook` renders the rows as ``notebooks/glossary.ipynb``
(alphabetical, one cell per term whose cell id is the term's anchor, so a notebook links
``glossary.ipynb#cell-id=tetany``, see :func:`link`); ``tools/glossary.py`` writes it and checks
that it is up to date. :func:`table` gives the same rows as a pandas DataFrame, :func:`show` as
Markdown for a notebook cell.

Why ``#cell-id=<anchor>`` and not ``#<anchor>`` (checked in JupyterLab 4.6 by
tests/browser/test_glossary_links.py): JupyterLab looks a ``#name`` fragment up in the rendered
Markdown, which does not exist yet when a link has just opened the glossary, so ``#tetany`` opens
the glossary at its top; ``#cell-id=`` is looked up in the notebook model and scrolls to the cell
(in JupyterLab's default windowing mode; with ``windowingMode: none`` a just-opened glossary still
stays at its top, the glossary already open scrolls). nbconvert's HTML (``make html``) and Voila
give every cell the element id ``cell-id=<id>``, so the same link works there.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
from IPython.display import Markdown

from ..sources import references, tables
from . import series

TERMS_FILE = "terms.csv"


def _split(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


def _sort_key(term: str) -> str:
    folded = unicodedata.normalize("NFKD", term).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9 ]", "", folded.lower())


def rows() -> list[dict]:
    """All glossary rows, alphabetical (case and symbols ignored)."""
    return sorted(tables.read_table(TERMS_FILE), key=lambda r: _sort_key(r["term"]))


def anchor(term: str) -> str:
    """The link anchor of a term: 'tetany' → 'tetany', 'Na⁺/K⁺ pump' → 'na-k-pump',
    'tetanus (unfused and fused)' → 'tetanus' (a bracketed tail is left out)."""
    base = re.sub(r"[^\w]+", " ", term.split(" (")[0])
    folded = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


CELL_FRAGMENT = "cell-id="  # JupyterLab's (and nbconvert's) fragment for a cell, by its id


def fragment(anchor_: str) -> str:
    """The URL fragment that shows the glossary cell ``anchor_``: 'tetany' → '#cell-id=tetany'."""
    return f"#{CELL_FRAGMENT}{anchor_}"


def link(term: str) -> str:
    """Markdown link target of a term, relative to a notebook: 'glossary.ipynb#cell-id=tetany'."""
    return f"glossary.ipynb{fragment(anchor(term))}"


def letter_anchor(letter: str) -> str:
    """Cell id of a letter's heading cell: 'T' → 'letter-t'."""
    return f"letter-{letter.lower()}"


def taught_in(row: dict) -> list[str]:
    """Notebook files of the series that teach the row's term (main one first)."""
    return _split(row.get("taught_in", ""))


def sources(row: dict) -> list[str]:
    return _split(row.get("source", ""))


def entry_markdown(row: dict) -> str:
    """One term as Markdown: heading, plain definition, physiology, where, sources."""
    where = ", ".join(f"[{series.get(f).label}]({f})" for f in taught_in(row))
    cites = "; ".join(references.cite(k) for k in sources(row))
    return (
        f"### {row['term']}\n\n"
        f"{row['plain']}\n\n"
        f"*In physiology:* {row['physiology']}\n\n"
        f"*Taught in:* {where}. *Sources:* {cites}."
    )


def markdown() -> str:
    """The whole glossary as one Markdown text (what :func:`show` displays)."""
    return "\n\n".join(entry_markdown(r) for r in rows())


def table():
    """The glossary as a DataFrame (term, plain, physiology, taught_in, source, anchor)."""
    df = pd.DataFrame(rows())
    df["anchor"] = [anchor(t) for t in df["term"]]
    return df


def show():
    """The glossary for a notebook cell (an ``IPython.display.Markdown`` object)."""
    return Markdown(markdown())


def cited_keys() -> list[str]:
    """Every reference key the glossary cites, in first-use order (alphabetical terms)."""
    seen = []
    for r in rows():
        for k in sources(r):
            if k not in seen:
                seen.append(k)
    return seen


def _letter(term: str) -> str:
    return _sort_key(term)[:1].upper()


INTRO = """# Glossary: the words of the series

[![Launch on Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org)

Every term used in the series, in alphabetical order, with a plain definition first and then what it
means in nerve and muscle. *Taught in* links to the notebooks that explain it (the main one first);
*Sources* names where the definition and its numbers come from (full list at the end).
Notebooks link straight to a term, for example [tetany](#cell-id=tetany) is
`glossary.ipynb#cell-id=tetany` (the term's cell).

This page is generated from `data/terms.csv` by `tools/glossary.py`: edit the table, not this notebook.
"""


def notebook():
    """The glossary notebook (``nbformat`` v4): intro with a letter index, per letter a heading
    cell (id ``letter-t``) and one cell per term (id = its anchor), and a further-reading cell
    whose references are every key the glossary cites."""
    import nbformat  # noqa: PLC0415 (deferred: nbformat pulls jsonschema (2+ s))
    from nbformat.v4 import new_markdown_cell, new_notebook  # noqa: PLC0415 (deferred: nbformat pulls jsonschema (2+ s))

    by_letter: dict[str, list[dict]] = {}
    for r in rows():
        by_letter.setdefault(_letter(r["term"]), []).append(r)
    index = " · ".join(f"[{L}]({fragment(letter_anchor(L))})" for L in by_letter)
    cells = [
        new_markdown_cell(
            INTRO.strip() + "\n\n**Jump to:** " + index, id="glossary-00", metadata={"tags": ["binder"]}
        )
    ]
    for L, rs in by_letter.items():
        cells.append(new_markdown_cell(f"## {L}", id=letter_anchor(L)))
        cells += [new_markdown_cell(entry_markdown(r), id=anchor(r["term"])) for r in rs]
    cells.append(
        new_markdown_cell(
            "## Further reading",
            id="glossary-sources",
            metadata={"tags": ["further-reading"], "references": cited_keys()},
        )
    )
    nb = new_notebook(cells=cells)
    nbformat.validate(nb)
    return nb

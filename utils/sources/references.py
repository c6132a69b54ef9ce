"""The series' bibliography: one CSL-JSON file (``data/references.json``), cited by key.

Every number in ``utils`` and in the notebooks points to a key here (through the tables in
``data/`` or a docstring). ``cite('hodgkin1952')`` gives a short author–year citation;
``further_reading([...])`` builds a notebook's further-reading list as Markdown.
"""

from __future__ import annotations

import json
from functools import lru_cache

from ..validation import UnknownKeyError, show
from .tables import DATA_DIR

REFERENCES_FILE = DATA_DIR / "references.json"


@lru_cache(maxsize=1)
def load() -> dict[str, dict]:
    """All references, keyed by id (CSL-JSON items)."""
    items = json.loads(REFERENCES_FILE.read_text(encoding="utf-8"))
    out = {}
    for item in items:
        if item["id"] in out:
            raise ValueError(f"duplicate reference id {item['id']!r} in {REFERENCES_FILE}")
        out[item["id"]] = item
    return out


def get(key: str) -> dict:
    """One reference by key.

    An unknown key (or one that is not a string) raises :class:`~utils.validation.UnknownKeyError`
    (a ``ParameterError`` and a ``KeyError``) naming the key and the file to edit.
    """
    refs = load()
    if not isinstance(key, str) or key not in refs:
        raise UnknownKeyError(
            f"key = {show(key)}: no reference with this key in {REFERENCES_FILE.name}; add it there "
            f"first (keys are strings such as 'hodgkin1952')"
        )
    return refs[key]


def _authors(item: dict) -> list[str]:
    return [
        a.get("literal") or f"{a.get('family', '')} {a.get('given', '')}".strip()
        for a in item.get("author", [])
    ]


def _year(item: dict) -> str:
    try:
        return str(item["issued"]["date-parts"][0][0])
    except (KeyError, IndexError):
        return "n.d."


def _family(author: str) -> str:
    """'de Carvalho M' -> 'de Carvalho'; 'Hodgkin AL' -> 'Hodgkin'; organisations unchanged."""
    parts = author.split()
    if len(parts) > 1 and parts[-1].isalpha() and parts[-1].isupper() and len(parts[-1]) <= 3:
        return " ".join(parts[:-1])
    return author


def cite(key: str) -> str:
    """Short citation, e.g. 'Hodgkin & Huxley 1952' or 'Fuglevand et al. 1993'."""
    item = get(key)
    authors = _authors(item)
    truncated = any(a.strip().lower() in ("et al.", "et al") for a in authors)
    names = [_family(a) for a in authors if a.strip().lower() not in ("et al.", "et al")]
    if len(names) == 1 and not truncated:
        who = names[0]
    elif len(names) == 2 and not truncated:
        who = f"{names[0]} & {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who} {_year(item)}"


def full(key: str) -> str:
    """Full citation as one Markdown line, with a DOI or URL link where there is one."""
    item = get(key)
    authors = ", ".join(_authors(item))
    parts = [f"{authors} ({_year(item)}). {item['title']}."]
    where = item.get("container-title")
    if where:
        vol = item.get("volume")
        page = item.get("page")
        parts.append(f" *{where}*" + (f" {vol}" if vol else "") + (f":{page}" if page else "") + ".")
    elif item.get("publisher"):
        parts.append(f" {item['publisher']}.")
    if item.get("DOI"):
        parts.append(f" [doi:{item['DOI']}](https://doi.org/{item['DOI']})")
    elif item.get("URL"):
        parts.append(f" <{item['URL']}>")
    return "".join(parts)


def further_reading(keys) -> str:
    """A Markdown bullet list of full citations, in the order given."""
    if isinstance(keys, str) or not isinstance(keys, (list, tuple)):
        raise UnknownKeyError(f"keys = {show(keys)}: give a list of reference keys, e.g. ['hodgkin1952']")
    return "\n".join(f"- {full(k)}" for k in keys)

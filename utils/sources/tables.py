"""The project's small tables in ``data/``: every number the models use, each row with its source key.

``read_table('constants.csv')`` gives the rows of one table as dicts of str. The source keys are
cited through :mod:`utils.sources.references`.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ..resources import data_dir
from ..validation import UnknownKeyError, show

#: The folder of the tables (``data/`` at the project's top level; ``utils/_data`` when installed).
DATA_DIR = data_dir()


def read_table(name: str) -> list[dict]:
    """Rows of a table in ``data/`` (CSV; lines starting with '#' are comments), as dicts of str.

    Every such table carries a source column whose keys are in the bibliography.

    ``name`` is a file name inside ``data/`` (sub-folders allowed); a name that leads outside
    ``data/`` (``'../../etc/passwd'``, an absolute path, a symbolic link out) or names no table
    raises :class:`~utils.validation.UnknownKeyError` (a ``ParameterError`` and a ``KeyError``).

    >>> rows = read_table("constants.csv")
    >>> {"name", "value"} <= set(rows[0])
    True
    """
    path = table_path(name)
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(ln for ln in fh if not ln.startswith("#")))


def table_path(name: str) -> Path:
    """The path of table ``name`` inside ``data/``; refuses names that lead outside it."""
    if not isinstance(name, str) or not name or "\x00" in name:
        raise UnknownKeyError(
            f"name = {show(name)}: a table name is a file name in data/, e.g. 'constants.csv'"
        )
    root = DATA_DIR.resolve()
    try:
        path = (root / name).resolve()
        path.is_file()
    except (OSError, ValueError, RuntimeError):  # a name too long, a symlink loop, ...
        raise UnknownKeyError(f"name = {show(name)}: not a usable table name in data/") from None
    if not path.is_relative_to(root) or Path(name).is_absolute():
        raise UnknownKeyError(
            f"name = {show(name)} is not allowed: it leads outside the data folder {root}; "
            "tables are read from data/ only"
        )
    if not path.is_file() or path.suffix.lower() != ".csv":
        known = sorted(p.name for p in root.glob("*.csv"))
        raise UnknownKeyError(f"name = {show(name)}: no such table in data/; tables: {', '.join(known)}")
    return path

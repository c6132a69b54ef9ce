"""The project's small tables in ``data/``: every number the models use, each row with its source key.

``read_table('constants.csv')`` gives the rows of one table as dicts of str. The source keys are
cited through :mod:`utils.sources.references`.
"""

from __future__ import annotations

import csv

from ..resources import data_dir

#: The folder of the tables (``data/`` at the project's top level; ``utils/_data`` when installed).
DATA_DIR = data_dir()


def read_table(name: str) -> list[dict]:
    """Rows of a table in ``data/`` (CSV; lines starting with '#' are comments), as dicts of str.

    Every such table carries a source column whose keys are in the bibliography.

    >>> rows = read_table("constants.csv")
    >>> {"name", "value"} <= set(rows[0])
    True
    """
    with open(DATA_DIR / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(ln for ln in fh if not ln.startswith("#")))

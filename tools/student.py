"""Write the student copy of the series: every notebook with its solutions removed.

    python tools/student.py                      # writes build/student/
    python tools/student.py --out some/folder    # anywhere else

Solutions are marked once, in the source notebooks: a Markdown cell tagged ``solution``. The
student copy replaces each such cell with a short note (an exercise that shares the cell with
its solution keeps the text before ``<details>``); every other cell, every output and the
notebook metadata are copied unchanged. The quizzes (``notebooks/quizzes/``) and the glossary
come along, so the copy runs on its own next to ``utils/``. The committed notebooks keep their
solutions, collapsed in ``<details>``.
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
DEFAULT_OUT = ROOT / "build" / "student"

SOLUTION_TAG = "solution"
REMOVED = "*Solution removed in the student copy — ask your teacher.*"
_DETAILS = re.compile(r"<details>.*?</details>", flags=re.S)


def is_solution(cell) -> bool:
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def strip_cell(cell):
    """The student version of a solution cell: the note, after any exercise text it carried."""
    before = _DETAILS.split(cell.source)[0].rstrip() if "<details>" in cell.source else ""
    new = nbformat.v4.new_markdown_cell((before + "\n\n" if before else "") + REMOVED, id=cell.get("id"))
    tags = [t for t in cell.metadata.get("tags", []) if t != SOLUTION_TAG]
    new.metadata = {k: v for k, v in cell.metadata.items() if k != "tags"}
    new.metadata["tags"] = tags + ["solution-removed"]
    return new


def student_notebook(nb):
    """A copy of ``nb`` with every solution cell replaced (``nb`` itself is not changed)."""
    out = copy.deepcopy(nb)
    out.cells = [strip_cell(c) if is_solution(c) else c for c in nb.cells]
    return out


def write_student_copy(out: Path, src: Path = NOTEBOOKS) -> list[Path]:
    """Write every notebook of ``src`` (solutions removed) and its quizzes to ``out``."""
    out = Path(out)
    if out.resolve() == Path(src).resolve():
        raise ValueError("the student copy must not overwrite the source notebooks")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(Path(src).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        copy = student_notebook(nb)
        nbformat.validate(copy)
        target = out / path.name
        text = nbformat.writes(copy)
        target.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        written.append(target)
    quizzes = Path(src) / "quizzes"
    if quizzes.is_dir():
        shutil.copytree(quizzes, out / "quizzes", dirs_exist_ok=True)
    return written


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    ap.add_argument("--src", type=Path, default=NOTEBOOKS, help="source folder (default: %(default)s)")
    args = ap.parse_args(argv)
    written = write_student_copy(args.out, args.src)
    n_removed = sum(
        c.get("metadata", {}).get("tags", []).count("solution-removed")
        for p in written
        for c in nbformat.read(p, as_version=4).cells
    )
    print(f"{len(written)} notebooks written to {args.out} ({n_removed} solutions removed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

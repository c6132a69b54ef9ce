"""Write (or check) the running section timings of the numbered notebooks.

    python tools/lesson_time.py            # rewrite the '*Time: about ...*' line under every section heading
    python tools/lesson_time.py --check    # fail if a line is missing or out of date, or a core is too long
    python tools/lesson_time.py --report   # print each notebook's core time, section by section

The rule (reading at 150 words a minute plus 3 minutes per interactive task, cells after a "Going
further" heading left out) is utils/course/lessontime.py. Only Markdown cells are touched, and only the
timing line directly under each level-2 heading of the core; the file keeps nbformat's layout.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from utils.course import lessontime as lt  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _src(cell) -> str:
    return "".join(cell["source"])


def with_timings(nb: dict) -> dict:
    """``nb`` with one up-to-date timing line under each level-2 heading of its core."""
    stated = lt.stated_minutes(nb)
    timings = iter(lt.running_timings(nb))
    core_ids = {id(c) for c in lt.core_cells(nb)}
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown" or id(cell) not in core_ids:
            continue
        text = lt.TIMING.sub("", _src(cell))
        text = re.sub(r"(^## .+\n)\n\n", r"\1\n", text, flags=re.M)  # the blank line a removed timing left

        def add(m):
            heading, minutes, total = next(timings)
            assert m.group(1)[3:].strip() == heading, (m.group(1), heading)
            return f"{m.group(1)}\n{lt.timing_line(minutes, total, stated)}\n"

        text = re.sub(r"^(## .+)\n?", add, text, flags=re.M)
        text = re.sub(r"^(\*Time: about .+\)\.\*)\n(?!\n|$)", r"\1\n\n", text, flags=re.M)
        cell["source"] = text.rstrip("\n").splitlines(keepends=True)
    return nb


def dumps(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("notebooks", nargs="*", type=Path, default=NOTEBOOKS)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--report", action="store_true")
    args = ap.parse_args(argv)
    bad = 0
    for path in args.notebooks:
        before = path.read_text(encoding="utf-8")
        nb = json.loads(before)
        core, stated = lt.core_minutes(nb), lt.stated_minutes(nb)
        if args.report:
            print(f"{path.name}: core {core:.1f} min, stated {stated} min")
            for s in lt.sections(nb):
                print(
                    f"    {s.minutes:5.1f} min  {s.words:5d} words {s.tasks:2d} tasks  {s.heading or '(opening)'}"
                )
            continue
        after = dumps(with_timings(json.loads(before)))
        if args.check:
            if after != before:
                print(f"{path}: section timings out of date (run: python tools/lesson_time.py {path})")
                bad += 1
            if stated is None or core > stated or stated > lt.MAX_LESSON_MIN:
                print(f"{path}: core {core:.1f} min against a stated {stated} (at most {lt.MAX_LESSON_MIN})")
                bad += 1
        elif after != before:
            path.write_text(after, encoding="utf-8")
            print(f"{path}: section timings written (core {core:.1f} of {stated} min)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

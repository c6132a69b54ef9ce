"""Every lesson fits its stated time (issue 17): the core of each numbered notebook, read at 150 words a
minute plus 3 minutes per interactive task, with cells after a "Going further" heading left out, takes no
longer than the notebook's "Time needed", which is at most 50 minutes; the running section timings are
the computed ones; and no notebook carries text meant for developers."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from utils import series
from utils.course import lessontime as lt

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _nb(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_core_fits_the_stated_time(path):
    nb = _nb(path)
    core, stated = lt.core_minutes(nb), lt.stated_minutes(nb)
    assert stated is not None and stated <= lt.MAX_LESSON_MIN, f"{path.name}: stated {stated} min"
    assert core <= stated, f"{path.name}: the core takes {core:.1f} min, the notebook says {stated}"
    assert stated - core <= 10, f"{path.name}: says {stated} min for a {core:.1f}-minute core"
    assert series.get(path.name).minutes == stated


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_running_section_timings_are_the_computed_ones(path):
    nb = _nb(path)
    text = "\n".join("".join(c["source"]) for c in lt.core_cells(nb) if c["cell_type"] == "markdown")
    stated_lines = [tuple(int(g) for g in m.groups()) for m in lt.TIMING.finditer(text)]
    expected = [(m, total, lt.stated_minutes(nb)) for _, m, total in lt.running_timings(nb)]
    assert stated_lines == expected
    assert len(re.findall(r"^## ", text, flags=re.M)) == len(expected), "one timing line per section"


def test_the_timing_tool_agrees():
    res = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "lesson_time.py"), "--check"], capture_output=True, text=True
    )
    assert res.returncode == 0, res.stdout + res.stderr


def _md(text, tags=None):
    return {"cell_type": "markdown", "metadata": {"tags": tags or []}, "source": text}


def test_the_rule_on_a_small_notebook():
    words = " ".join(["word"] * 300)
    nb = {
        "cells": [
            _md("# 99 · T\n\n**Time needed:** about 20 minutes."),
            _md(f"## 1 · A\n\n{words}\n\n**Things to try.**\n1. one\n2. two"),
            _md("**Exercise 1.** Do it."),
            _md(f"<details>{words}</details>", tags=["solution"]),
            {"cell_type": "code", "metadata": {}, "source": 'quiz.show("99")', "outputs": []},
            _md(f"## Going further: more\n\n{words}\n\n**Exercise A.** Later."),
            _md(f"## Further reading\n\n{words}", tags=["further-reading"]),
        ]
    }
    secs = lt.sections(nb)
    assert [s.heading for s in secs] == ["", "1 · A"]
    assert secs[1].words == 300 + 7 + 4  # prose, 'Things to try 1 one 2 two', 'Exercise 1 Do it'
    assert secs[1].tasks == 2 + 1 + 1  # two things to try, one exercise, the quiz
    assert lt.core_minutes(nb) == pytest.approx(sum(s.words for s in secs) / 150 + 4 * 3)
    assert lt.stated_minutes(nb) == 20


def test_words_ignore_links_markup_and_timing_lines():
    assert lt.words("[the glossary](glossary.ipynb#cell-id=tetany) <b>bold</b>") == 3
    assert lt.words("*Time: about 6 min (running total 14 of 45 min).*") == 0
    assert lt.words("$\\frac{RT}{F}$ is 26.7 mV") == 6


def test_folded_explanations_are_read_as_part_of_their_task():
    item = (
        "1. Move it.\n   <details><summary>Explanation</summary>\n\n   Four words folded here.\n   </details>"
    )
    assert lt.words(item) == 3  # "1", "Move", "it": the explanation is in the task's 3 minutes
    assert lt.tasks("**Things to try.**\n" + item + "\n2. Again.") == 2


def test_things_to_try_without_a_list_is_one_task():
    assert lt.tasks("**Things to try.** Move the slider and watch.") == 1
    assert lt.tasks("**Things to try.**\n1. a\n2. b\n3. c\n\nLater text.\n1. not a task") == 3


def test_going_further_material_is_out_of_the_core():
    nb01 = _nb(ROOT / "notebooks" / "01_twitch_spasm_cramp.ipynb")
    core = lt.core_cells(nb01)
    assert not any("fit_twitch" in "".join(c["source"]) for c in core), "01: curve fitting is going further"
    assert any("fit_twitch" in "".join(c["source"]) for c in nb01["cells"])
    nb06 = _nb(ROOT / "notebooks" / "06_why_muscles_twitch.ipynb")
    assert not any('syndrome_panel("neuromyotonia")' in "".join(c["source"]) for c in lt.core_cells(nb06))


DEVELOPER_TEXT = re.compile(r"95th percentile|benchmark|p50|per move|slowest 5 %|cached\)", re.I)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_developer_facing_text(path):
    for c in _nb(path)["cells"]:
        if c["cell_type"] == "markdown":
            assert not DEVELOPER_TEXT.search("".join(c["source"])), f"{path.name}: {c.get('id')}"

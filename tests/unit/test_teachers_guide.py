"""The teacher's guide: one 50-minute lesson plan per numbered notebook, an up-to-date quiz answer
sheet, and a Binder link for every notebook."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from utils import quiz, series

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "teachers_guide"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PLANS = sorted(GUIDE.glob("[0-9][0-9]_*.md"))
HEADINGS = (
    "## Timings",
    "## Demonstrate live",
    "## Discussion questions",
    "## Common misconceptions",
    "## Answers to the exercises",
)


def timings_minutes(text: str) -> list[int]:
    """Minutes per row of the table under '## Timings'.

    The first column holds either a duration ('5') or a clock range ('5–12', contiguous from 0)."""
    section = text.split("## Timings", 1)[1].split("\n## ", 1)[0]
    rows = [ln for ln in section.splitlines() if ln.startswith("|")]
    minutes, clock = [], 0
    for ln in rows[2:]:  # skip the header and the |---| rule
        first = ln.strip("|").split("|")[0].strip().removesuffix("min").strip()
        rng = re.fullmatch(r"(\d+)\s*[–-]\s*(\d+)", first)
        if rng:
            a, b = int(rng.group(1)), int(rng.group(2))
            assert a == clock and b > a, f"timings ranges must follow on from {clock} min: {ln!r}"
            minutes.append(b - a)
        else:
            assert re.fullmatch(r"\d+", first), f"timings row without whole minutes: {ln!r}"
            minutes.append(int(first))
        clock += minutes[-1]
    return minutes


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_numbered_notebook_has_a_lesson_plan(nb_path):
    assert (GUIDE / f"{nb_path.stem}.md").is_file(), f"docs/teachers_guide/{nb_path.stem}.md is missing"


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_lesson_plan_has_the_six_headings_and_50_minutes(plan):
    text = plan.read_text(encoding="utf-8")
    num = plan.stem[:2]
    assert re.match(rf"# {num} · .+ — lesson plan \(50 minutes\)\n", text), "title line"
    for h in HEADINGS:
        assert f"\n{h}\n" in text, f"missing heading {h!r}"
    positions = [text.index(f"\n{h}\n") for h in HEADINGS]
    assert positions == sorted(positions), "headings in the standard order"
    minutes = timings_minutes(text)
    assert len(minutes) >= 3 and sum(minutes) == 50, f"timings sum to {sum(minutes)} minutes"
    assert f"notebooks/{plan.stem}.ipynb" in text, "the plan links its notebook"
    assert plan.stem in {nb.stem for nb in series.SERIES}, "a plan for a notebook of the series"


def test_timings_parser():
    text = "## Timings\n\n| minutes | activity |\n|---|---|\n| 5 | a |\n| 45 | b |\n\n## Demonstrate live\n"
    assert timings_minutes(text) == [5, 45]
    ranges = text.replace("| 5 |", "| 0–5 |").replace("| 45 |", "| 5-50 min |")
    assert timings_minutes(ranges) == [5, 45]
    with pytest.raises(AssertionError, match="follow on"):
        timings_minutes(text.replace("| 5 |", "| 0–5 |").replace("| 45 |", "| 10–50 |"))
    with pytest.raises(AssertionError, match="whole minutes"):
        timings_minutes("## Timings\n| m | a |\n|---|---|\n| five | a |\n")


def test_quiz_answer_sheet_is_up_to_date():
    res = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "quiz_answers.py"), "--check"], capture_output=True, text=True
    )
    assert res.returncode == 0, res.stdout + res.stderr


def test_quiz_answer_sheet_gives_every_correct_answer():
    text = (GUIDE / "quiz_answers.md").read_text(encoding="utf-8")
    for path in sorted(quiz.QUIZ_DIR.glob("*.json")):
        for q in quiz.load(path.stem):
            assert q["prompt"] in text
            if q["kind"] == "numeric":
                assert q["feedback_correct"] in text
            else:
                for o in q["options"]:
                    if o["correct"]:
                        assert f"**{o['text']}**" in text and o["feedback"] in text


def test_guide_index_links_binder_for_every_notebook_and_every_plan():
    text = (GUIDE / "README.md").read_text(encoding="utf-8")
    for nb in series.SERIES:
        assert series.binder_url(nb.filename) in text, nb.filename
        assert f"]({nb.stem}.md)" in text, nb.stem
    for word in (
        "TWITCH_DATA_DIR",
        "make student",
        "make present",
        "make html",
        "environment.yml",
        "requirements.txt",
        "pip install -e .",
    ):
        assert word in text, word

"""The teacher's guide quotes the notebooks' numbers, so it must not drift from them (issue 17: the 06 guide
said 0.84 and 0.78 where the notebook prints 0.86 and 0.79).

Every decimal number in a lesson plan (docs/teachers_guide/NN_*.md) must appear in its own notebook:
in the Markdown, in a stored output (the checked outputs nbval compares), or in the notebook's quiz. A
number the plan takes from another notebook is listed in CROSS_REFERENCES with that notebook, and is
checked there. The guide's "about N minutes" is the notebook's own "Time needed".
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "teachers_guide"
PLANS = sorted(GUIDE.glob("[0-9][0-9]_*.md"))

#: A decimal number: not part of a longer number, a version or a word ("3.82", "−0.5", "0.55." at an end).
NUM = re.compile(r"(?<![\w.])[−-]?\d+\.\d+(?!\w|\.\d)")

#: Numbers a plan quotes from another notebook: {plan stem: {number: notebook stem}}.
CROSS_REFERENCES = {
    "06_why_muscles_twitch": {"0.74": "05_electrolytes", "0.46": "05_electrolytes"},
}


def _release_ratio_14_over_12():
    from utils import nmj  # noqa: PLC0415

    m = nmj.transmission([1.2, 1.4], nmj_panel_mg()).m.to_numpy()
    return f"{m[1] / m[0]:.1f}"


def nmj_panel_mg() -> float:
    from utils import nmj_widgets  # noqa: PLC0415

    return float(nmj_widgets.release_panel().update()["mg_mM"])


def _safety_at_normal_blood_mg():
    from utils import nmj  # noqa: PLC0415

    return f"{float(nmj.transmission(1.2, 0.9).safety_factor.iloc[0]):.1f}"


#: Numbers a plan reads off a live panel (not stored in the notebook): computed here from the same models.
PANEL_READOUTS = {
    "04_nerve_to_muscle": {"1.7": _release_ratio_14_over_12, "2.9": _safety_at_normal_blood_mg},
}


def numbers(text: str) -> set[str]:
    return {m.group(0).replace("−", "-").lstrip("-") for m in NUM.finditer(text)}


def notebook_text(stem: str) -> str:
    """Markdown, every stored output (text, plain, Markdown) and the quiz of one notebook."""
    nb = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        parts.append("".join(cell["source"]) if cell["cell_type"] == "markdown" else "")
        for out in cell.get("outputs", []):
            parts.append("".join(out.get("text", "")))
            for mime in ("text/plain", "text/markdown"):
                parts.append("".join(out.get("data", {}).get(mime, "")))
    quiz = ROOT / "notebooks" / "quizzes" / f"{stem}.json"
    if quiz.is_file():
        parts.append(quiz.read_text(encoding="utf-8"))
    return "\n".join(parts)


def test_number_pattern():
    assert numbers("from 0.84 ticks (all by 0.78). Peak −65.0 mV; v1.2.3 and x0.5 and 2024.") == {
        "0.84",
        "0.78",
        "65.0",
    }


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_every_number_in_the_plan_comes_from_the_notebook(plan):
    text = plan.read_text(encoding="utf-8")
    own = numbers(notebook_text(plan.stem))
    cross = CROSS_REFERENCES.get(plan.stem, {})
    readouts = PANEL_READOUTS.get(plan.stem, {})
    missing = []
    for n in sorted(numbers(text)):
        if n in readouts:
            assert readouts[n]() == n, f"{plan.name}: the panel now reads {readouts[n]()}, the plan says {n}"
            continue
        where = cross.get(n)
        if (n not in own) if where is None else (n not in numbers(notebook_text(where))):
            i = text.find(n)
            missing.append(f"{n} ({text[max(0, i - 60) : i + 20]!r})")
    assert not missing, f"{plan.name} quotes numbers its notebook does not show: " + "; ".join(missing)


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_the_plan_states_the_notebooks_time(plan):
    nb = json.loads((ROOT / "notebooks" / f"{plan.stem}.ipynb").read_text(encoding="utf-8"))
    stated = re.search(r"\*\*Time needed:\*\* about (\d+) minutes", "".join(nb["cells"][0]["source"])).group(
        1
    )
    head = plan.read_text(encoding="utf-8").split("\n## ", 1)[0]
    m = re.search(r"\(about\s+(\d+)\s+minutes", head)
    assert m and m.group(1) == stated, f"{plan.name}: say '(about {stated} minutes' in the opening paragraph"


def test_the_guide_readme_is_honest_about_the_network():
    text = (GUIDE / "README.md").read_text(encoding="utf-8")
    assert "load nothing from the internet" not in text
    assert "TWITCH_DATA_DIR" in text and "first use" in text

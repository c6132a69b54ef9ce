"""Every numbered notebook follows the series frame (see README, "Writing a notebook")."""

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from utils import quiz, references
from utils.course import worksheet

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MAX_KIB = 120


def _nb(path):
    return nbformat.read(path, as_version=4)


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found"


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.stem)
def nb_path(request):
    return request.param


def test_opening_frame(nb_path):
    first = _nb(nb_path).cells[0]
    assert first.cell_type == "markdown"
    src = first.source
    num = nb_path.stem[:2]
    assert re.match(rf"# {num} · \S", src), "title '# NN · ...' first"
    assert "**What you will learn.**" in src
    objectives = re.findall(r"^- \*\*(\w+)\*\*", src, flags=re.M)
    assert len(objectives) >= 3, "at least three objectives, each starting with a bold active verb"
    assert re.search(r"\*\*Time needed:\*\* about \d+ minutes", src)
    assert "**Prerequisites:**" in src
    assert "binder" in first.metadata.get("tags", [])
    assert "mybinder.org/v2/gh/" in src and f"labpath=notebooks%2F{nb_path.name}" in src


def test_closing_frame(nb_path):
    cells = _nb(nb_path).cells
    text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    assert "## Summary" in text and "## Self-check" in text
    calls = [c for c in cells if c.cell_type == "code" and f'quiz.show("{nb_path.stem}")' in c.source]
    assert len(calls) == 1, "one quiz.show(<this notebook>) cell"
    questions = quiz.load(nb_path.stem)
    assert 3 <= len(questions) <= 6
    reading = [c for c in cells if "further-reading" in c.metadata.get("tags", [])]
    assert len(reading) == 1
    keys = reading[0].metadata["references"]
    assert len(keys) >= 3
    for k in keys:
        references.get(k)


def test_every_figure_has_a_text_description(nb_path):
    cells = _nb(nb_path).cells
    figures = [i for i, c in enumerate(cells) if "figure" in c.metadata.get("tags", [])]
    assert figures, "at least one figure"
    for i in figures:
        nxt = cells[i + 1]
        assert nxt.cell_type == "markdown" and nxt.source.startswith("**Figure description.** "), (
            f"cell {i}: a figure must be followed by a '**Figure description.**' sentence"
        )
        sentence = nxt.source.split("\n\n")[0]
        assert len(sentence.split()) >= 12, f"cell {i}: description too short"


def test_exercises_have_hideable_solutions(nb_path):
    cells = _nb(nb_path).cells
    sols = [c for c in cells if "solution" in c.metadata.get("tags", [])]
    assert len(sols) >= 2, "at least two exercises with solutions"
    for c in sols:
        assert "<details>" in c.source and "</details>" in c.source


def test_notebook_is_small_tidy_and_without_widget_state(nb_path):
    assert nb_path.stat().st_size < MAX_KIB * 1024
    raw = json.loads(nb_path.read_text(encoding="utf-8"))
    assert "widgets" not in raw["metadata"]
    for cell in raw["cells"]:
        for out in cell.get("outputs", []):
            assert "application/vnd.jupyter.widget-view+json" not in out.get("data", {})
            assert out["output_type"] != "error", "committed notebooks carry no error output"
        if cell["cell_type"] == "code" and "# NBVAL_CHECK_OUTPUT" in "".join(cell["source"]):
            assert cell.get("outputs"), "a checked cell must store its expected output"
    res = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "nbtidy.py"), "--check", str(nb_path)],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stdout + res.stderr


def test_nothing_is_fetched_from_the_internet(nb_path):
    """Offline classrooms: no remote images, styles or scripts in Markdown or code."""
    for c in _nb(nb_path).cells:
        assert not re.search(r"!\[[^\]]*\]\(https?://", c.source), "remote image"
        assert not re.search(r"<(img|script|link)[^>]+(src|href)=[\"']https?://", c.source), "remote asset"
        assert "notebook_connected" not in c.source and "cdn" not in c.source.lower()


def test_random_processes_are_seeded(nb_path):
    src = "\n".join(c.source for c in _nb(nb_path).cells if c.cell_type == "code")
    assert "np.random.seed" not in src
    for m in re.finditer(r"default_rng\(([^)]*)\)", src):
        assert m.group(1).strip(), "default_rng() needs a seed"


GLOSSARY_SENTENCE = "Words you may not know are explained in the [glossary](glossary.ipynb)."


def test_first_cell_links_the_glossary(nb_path):
    first = _nb(nb_path).cells[0]
    assert "](glossary.ipynb" in first.source, "the first cell links the glossary (glossary.ipynb)"
    assert GLOSSARY_SENTENCE in first.source, f"first cell: add the sentence {GLOSSARY_SENTENCE!r}"
    assert (ROOT / "notebooks" / "glossary.ipynb").is_file()


def test_going_further_follows_the_self_check(nb_path):
    """Material beyond the lesson sits after the quiz under '## Going further' (utils/course/lessontime.py
    leaves it out of the lesson's time), so the core, its summary and its quiz stay together."""
    cells = _nb(nb_path).cells
    quiz_at = next(i for i, c in enumerate(cells) if c.cell_type == "code" and "quiz.show(" in c.source)
    for i, c in enumerate(cells):
        if c.cell_type == "markdown" and re.search(r"^#+ .*Going further", c.source, flags=re.M):
            assert i > quiz_at, f"cell {i}: a 'Going further' section comes after the self-check"
            assert c.source.startswith("## Going further"), f"cell {i}: a level-2 '## Going further' heading"


# A prompt that carries its own explanation ("..., because ...", "...: that is why ...") gives the answer away.
GIVEAWAY = re.compile(r"\bbecause\b|\bthat is why\b|\bthe answer is\b|\bthis is (?:why|because)\b", re.I)


def test_every_panel_is_predict_observe_explain(nb_path):
    """Issue 18: every interactive panel is preceded by a predict cell (``quiz.predict("03", 2)``: a radio
    group to lock a letter in), which is preceded by the Markdown with one committed prediction offering
    lettered options and asking to choose one below; the panel is followed by "Things to try", each item
    with its explanation folded in <details>; neither the prediction nor a prompt gives its answer away."""
    cells = _nb(nb_path).cells
    panels = worksheet.panel_cells(cells)
    for i in panels:
        predict_cell, before = cells[i - 1], cells[i - 2]
        call = worksheet.PREDICT_CALL.fullmatch(predict_cell.source.strip())
        assert predict_cell.cell_type == "code" and call, (
            f'cell {i}: a panel needs a predict cell right before it: quiz.predict("NN", n)'
        )
        assert before.cell_type == "markdown", (
            f"cell {i - 1}: a predict cell needs a Markdown cell with its prediction before it"
        )
        assert before.source.count(worksheet.PREDICT) == 1, (
            f"cell {i - 2}: one '{worksheet.PREDICT}' paragraph"
        )
        guess = worksheet.prediction(before.source)
        number, n = call.group(1), int(call.group(2))
        assert number == nb_path.name[:2], (
            f"cell {i - 1}: the predict cell names this notebook, {nb_path.name[:2]}"
        )
        found = quiz.notebook_predictions(cells[: i - 1])
        assert n == len(found) and found[-1] == guess, (
            f"cell {i - 1}: quiz.predict(..., {n}) must name the prediction right above it ({len(found)})"
        )
        assert len(quiz.prediction_options(guess)) >= 2, f"cell {i - 2}: the prediction offers (a), (b)..."
        assert "Choose a letter below" in " ".join(guess.split()), (
            f"cell {i - 2}: the prediction says 'Choose a letter below'"
        )
        assert "?" in guess, f"cell {i - 2}: the prediction asks a question"
        assert not GIVEAWAY.search(guess), (
            f"cell {i - 2}: the prediction gives its answer away: {guess[:120]}"
        )
        items = worksheet.things_to_try(worksheet.markdown_after(cells, i))
        assert items, f"cell {i}: a panel is followed by '{worksheet.TRY}'"
        for n, (prompt, explanation) in enumerate(items, start=1):
            assert len(explanation.split()) >= 12, f"cell {i}, thing to try {n}: an explanation in <details>"
            assert not GIVEAWAY.search(prompt), (
                f"cell {i}, thing to try {n}: the prompt explains itself: {prompt}"
            )

"""quiz.predict: the committed-prediction widget before every panel (issue 18, predict–observe–explain).

Its options are read back from the "**Predict first.**" paragraph of the notebook file itself, so every
real prediction of every notebook is parsed here, locked in, and shown back; and a missing notebook file
gives the written fallback, never an error."""

import json
import shutil
from pathlib import Path

import ipywidgets as w
import pytest

from utils import quiz
from utils.course import lessontime, worksheet

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _calls(path):
    """(number, n) of every quiz.predict("NN", n) cell of a notebook."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found = []
    for c in cells:
        m = worksheet.PREDICT_CALL.search("".join(c["source"])) if c["cell_type"] == "code" else None
        if m:
            found.append((m.group(1), int(m.group(2))))
    return found


def test_every_notebook_with_a_panel_has_predict_cells():
    assert all(_calls(p) for p in NOTEBOOKS if p.name[:2] <= "06")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_real_prediction_parses_locks_and_shows_its_choice(path, monkeypatch):
    monkeypatch.chdir(path.parent)  # where Jupyter, Voila and Binder start the notebook's kernel
    for number, n in _calls(path):
        options = quiz.predict_options(number, n)
        assert len(options) >= 2, f"{path.name} prediction {n}: {options}"
        assert [letter for letter, _ in options] == list("abcdefgh"[: len(options)])
        assert all(text and not text.endswith((",", " or")) and "(" not in text[:2] for _, text in options)
        box = quiz.predict(number, n)
        radios, button, out = box.children
        assert isinstance(radios, quiz.QuizRadios) and radios.description == "Your prediction"
        assert button.description == "Lock in my prediction"
        button.click()  # nothing chosen yet: asks for a letter, locks nothing
        assert "Choose a letter first." in out.value and not radios.disabled
        last = len(options) - 1
        radios.index = last  # what the view sends when the reader picks the last option
        button.click()
        letter, text = options[last]
        assert radios.disabled and button.disabled
        assert f"You predicted ({letter}) {text}. Now try the panel below" in out.value.replace("&#x27;", "'")
        assert "role='status'" in out.value  # read out by a screen reader, like the quiz feedback


def test_options_of_a_written_prediction():
    text = (
        "At 20 impulses per second, will the highest force be (a) the same as one twitch, (b) about twice"
        " one twitch, or (c)\nmany times one twitch? Choose a letter below, then run the cell."
    )
    assert quiz.prediction_options(text) == [
        ("a", "the same as one twitch"),
        ("b", "about twice one twitch"),
        ("c", "many times one twitch"),
    ]
    assert quiz.prediction_options("What will happen? Write it down.") == []


def test_a_missing_notebook_file_gives_the_written_fallback(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert quiz.predict_options("03", 1) == []
    box = quiz.predict("03", 1)
    assert isinstance(box, w.HTML) and "Write your letter down before you move the controls." in box.value
    for bad in (("03", 99), ("03", 0), ("zz", 1), ("03", "x")):
        assert quiz.predict_options(*bad, folder=ROOT / "notebooks") == []
    (tmp_path / "03_action_potential.ipynb").write_text("not json", encoding="utf-8")
    assert quiz.predict_options("03", 1) == []


def test_the_student_copy_reads_its_own_predictions(tmp_path):
    """`make student` copies the notebooks under their own names, so a kernel started there finds them."""
    shutil.copy(NOTEBOOKS[0], tmp_path / NOTEBOOKS[0].name)
    assert quiz.predict_options(NOTEBOOKS[0].name[:2], 1, folder=tmp_path) == quiz.predict_options(
        NOTEBOOKS[0].name[:2], 1, folder=NOTEBOOKS[0].parent
    )


def test_a_predict_cell_adds_no_lesson_time():
    md = {"cell_type": "markdown", "source": "## A\n\n**Predict first.** Will it (a) rise or (b) fall?"}
    predict_cell = {
        "cell_type": "code",
        "source": 'quiz.predict("03", 1)',
        "outputs": [{"output_type": "stream", "name": "stdout", "text": "many words " * 50}],
    }
    with_cell = lessontime.core_minutes({"cells": [md, predict_cell]})
    assert with_cell == lessontime.core_minutes({"cells": [md]})

"""`make worksheets` (issue 18): one printable page per notebook, built from the notebook's own cells and quiz
files. Every worksheet holds the notebook's objectives, every prediction, every "Things to try" prompt and
every quiz question of the quizzes the notebook shows, and none of their answers: no explanation, no option
feedback, no numeric answer or its feedback."""

import html
import re
import sys
from pathlib import Path

import nbformat
import pytest

from utils import quiz
from utils.course import worksheet

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import worksheets  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _plain(text: str) -> str:
    """Text as a reader sees it: tags and Markdown marks out, entities decoded, spaces collapsed."""
    text = re.sub(r"</?(?:b|i|code)>", "", text)  # inline marks join their words
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = html.unescape(text).replace("**", "").replace("`", "")
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("worksheets")
    assert worksheets.main(["--out", str(out), "--no-pdf"]) == 0
    return out


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_worksheet_has_the_lesson_and_no_answers(built, nb_path):
    page = built / f"{nb_path.stem}.html"
    assert page.is_file(), f"no worksheet for {nb_path.name}"
    text = _plain(page.read_text(encoding="utf-8"))
    cells = nbformat.read(nb_path, as_version=4).cells
    parts = worksheet.parts(cells)
    assert len(parts["objectives"]) >= 3
    for objective in parts["objectives"]:
        assert _plain(objective) in text, f"objective missing: {objective}"
    assert len(parts["panels"]) == len(worksheet.panel_cells(cells))
    for panel in parts["panels"]:
        assert panel["prediction"] and _plain(panel["prediction"]) in text
        assert "letter below" not in panel["prediction"], "on paper there is no predict widget below"
        for _, option in quiz.prediction_options(panel["prediction"]):
            assert _plain(option) in text, f"prediction option missing: {option}"
        assert panel["try"]
        for prompt, explanation in panel["try"]:
            assert _plain(prompt) in text, f"thing to try missing: {prompt}"
            assert explanation and _plain(explanation) not in text, f"explanation shown: {explanation[:80]}"
    names = worksheet.quiz_names(cells)
    assert nb_path.stem in names
    for name in names:
        for q in quiz.load(name):
            assert _plain(q["prompt"]) in text, f"{name}: question missing: {q['prompt'][:80]}"
            if q["kind"] == "numeric":
                for key in ("feedback_correct", "feedback_wrong", "hint_low", "hint_high"):
                    if q.get(key):
                        assert _plain(q[key]) not in text, f"{name}: {key} shown"
                answer = re.escape(f"{q['answer']:g}") + r"\s*" + re.escape(q["unit"])
                assert not re.search(r"(?<![\d.])" + answer, text), f"{name}: the numeric answer is shown"
                continue
            for o in q["options"]:
                assert _plain(o["text"]) in text, f"{name}: option missing: {o['text']}"
                assert _plain(o["feedback"]) not in text, f"{name}: feedback shown: {o['feedback'][:80]}"
    assert "Explanation" not in text and "Correct." not in text


def test_worksheets_index_links_every_page(built):
    index = (built / "index.html").read_text(encoding="utf-8")
    for nb_path in NOTEBOOKS:
        assert f"href='{nb_path.stem}.html'" in index


def test_a_worksheet_prints_to_pdf(tmp_path):
    """The PDF route: headless Chromium prints one page (skipped where Chromium is not installed)."""
    browser = worksheets.chromium()
    if browser is None:
        pytest.skip("Chromium is not installed (make browser): make worksheets builds HTML only")
    page = worksheets.build_html(NOTEBOOKS[0], tmp_path)
    pdf = worksheets.print_pdf(browser, page)
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 5_000

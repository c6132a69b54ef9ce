"""utils.quiz: grading, feedback and malformed quiz files."""

import pytest

from utils import quiz

SINGLE = {
    "kind": "single",
    "prompt": "p",
    "options": [
        {"text": "a", "correct": False, "feedback": "not a"},
        {"text": "b", "correct": True, "feedback": "b is right"},
    ],
}
MULTI = {
    "kind": "multiple",
    "prompt": "p",
    "options": [
        {"text": "a", "correct": True, "feedback": "fa"},
        {"text": "b", "correct": True, "feedback": "fb"},
        {"text": "c", "correct": False, "feedback": "fc"},
    ],
}
NUM = {
    "kind": "numeric",
    "prompt": "p",
    "answer": -61.5,
    "tolerance": 1.0,
    "unit": "mV",
    "feedback_correct": "yes",
    "feedback_wrong": "no",
    "hint_high": "sign?",
}


def test_single():
    assert quiz.check(SINGLE, 1) == (True, "b is right")
    assert quiz.check(SINGLE, 0) == (False, "not a")
    assert quiz.check(SINGLE, None)[0] is False


def test_multiple_needs_the_exact_set():
    assert quiz.check(MULTI, {0, 1})[0] is True
    ok, text = quiz.check(MULTI, {0})
    assert not ok and "fb" in text  # the missed right answer is explained
    ok, text = quiz.check(MULTI, {0, 1, 2})
    assert not ok and "✘ fc" in text
    assert quiz.check(MULTI, set())[0] is False


@pytest.mark.parametrize(
    "answer, ok",
    [
        (-61.5, True),
        ("-60.6", True),
        (-62.4, True),
        (-62.6, False),
        (61.5, False),
        ("abc", False),
        ("nan", False),
        (None, False),
    ],
)
def test_numeric_with_tolerance(answer, ok):
    assert quiz.check(NUM, answer)[0] is ok


def test_numeric_hint_and_unit_in_feedback():
    assert quiz.check(NUM, 61.5)[1] == "no sign?"
    assert "mV" in quiz.check(NUM, "x")[1]


@pytest.mark.parametrize(
    "bad, words",
    [
        (
            {"kind": "single", "prompt": "p", "options": [{"text": "a", "correct": True, "feedback": ""}]},
            "two options",
        ),
        (
            {
                "kind": "single",
                "prompt": "p",
                "options": [
                    {"text": "a", "correct": True, "feedback": ""},
                    {"text": "b", "correct": True, "feedback": ""},
                ],
            },
            "exactly one",
        ),
        ({"kind": "essay", "prompt": "p"}, "kind"),
        (
            {
                "kind": "numeric",
                "prompt": "p",
                "answer": 1,
                "tolerance": 0,
                "unit": "mV",
                "feedback_correct": "",
                "feedback_wrong": "",
            },
            "tolerance",
        ),
        ({"prompt": "p"}, "missing 'kind'"),
    ],
)
def test_malformed_questions_are_refused(bad, words):
    with pytest.raises(quiz.QuizError, match=words):
        quiz.validate(bad)


def test_every_quiz_file_loads():
    files = sorted(quiz.QUIZ_DIR.glob("*.json"))
    assert files
    for f in files:
        assert 3 <= len(quiz.load(f.stem)) <= 6


def test_widget_gives_feedback_on_click():
    box = quiz.question_widget(NUM, 1)
    label, control, button, out = box.children
    control.value = "-61"
    button.click()
    assert "Correct." in out.value and "yes" in out.value
    control.value = "5"
    button.click()
    assert "Not quite." in out.value

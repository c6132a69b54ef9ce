"""utils.quiz widgets are operable from the keyboard and every control has a visible label."""

import ipywidgets as w
import pytest

from utils import quiz

SINGLE = {
    "kind": "single",
    "prompt": "Which?",
    "options": [
        {"text": "a", "correct": False, "feedback": "not a"},
        {"text": "b", "correct": True, "feedback": "b is right"},
    ],
}
MULTI = {
    "kind": "multiple",
    "prompt": "Tick all",
    "options": [
        {"text": "a", "correct": True, "feedback": "fa"},
        {"text": "b", "correct": False, "feedback": "fb"},
    ],
}
NUM = {
    "kind": "numeric",
    "prompt": "How much?",
    "answer": -61.5,
    "tolerance": 1.0,
    "unit": "mV",
    "feedback_correct": "yes",
    "feedback_wrong": "no",
}

# focusable native controls: radio inputs, checkboxes, a text box and a <button>
KEYBOARD_WIDGETS = (w.RadioButtons, w.Checkbox, w.Text, w.Button)


def _controls(box):
    label, control, button, out = box.children
    inner = list(control.children) if isinstance(control, w.VBox) else [control]
    return label, inner, button, out


@pytest.mark.parametrize("q", [SINGLE, MULTI, NUM], ids=["single", "multiple", "numeric"])
def test_every_control_is_focusable_and_visibly_labelled(q):
    label, inner, button, out = _controls(quiz.question_widget(q, 2))
    assert q["prompt"] in label.value and "Q2." in label.value
    for c in inner:
        assert isinstance(c, KEYBOARD_WIDGETS)
        assert not c.disabled
        assert c.description.strip(), f"{type(c).__name__} has no visible label"
    if q["kind"] == "single":
        shown = [t for t, _ in inner[0].options]  # each option has its text as label, in the shuffled order
        assert shown == [q["options"][j]["text"] for j in quiz.display_order(q)]
    assert isinstance(button, w.Button) and button.description == "Check" and not button.disabled
    assert "role='status'" in quiz._feedback_html(True, "x")  # announced by screen readers


def test_enter_in_the_number_box_checks_at_once():
    label, inner, button, out = _controls(quiz.question_widget(NUM, 1))
    box = inner[0]
    assert box.continuous_update is False  # the value arrives on Enter (or leaving the box)
    box.value = "-61"  # what pressing Enter after typing -61 sends
    assert "Correct." in out.value and "yes" in out.value
    box.value = "12"
    assert "Not quite." in out.value


def test_radio_and_checkbox_answers_are_graded_by_the_check_button():
    _, inner, button, out = _controls(quiz.question_widget(SINGLE, 1))
    inner[0].value = 1  # arrow keys select an option
    button.click()  # Enter or Space on the focused button
    assert "Correct." in out.value
    _, inner, button, out = _controls(quiz.question_widget(MULTI, 1))
    box = {c.description: c for c in inner}  # the boxes appear in the shuffled order
    box["a"].value = True  # Space ticks a box
    button.click()
    assert "Correct." in out.value
    box["b"].value = True
    button.click()
    assert "Not quite." in out.value

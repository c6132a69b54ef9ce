"""QuizRadios: a one-answer question's options are one labelled group (fieldset + legend, one Tab stop)."""

import ipywidgets as w

from utils import quiz

SINGLE = {
    "kind": "single",
    "prompt": "Which?",
    "options": [
        {"text": "a", "correct": False, "feedback": "not a"},
        {"text": "b", "correct": True, "feedback": "b is right"},
        {"text": "c", "correct": False, "feedback": "not c"},
    ],
}


def test_single_choice_is_a_radio_group_with_a_legend():
    label, control, button, out = quiz.question_widget(SINGLE, 3).children
    assert isinstance(control, quiz.QuizRadios) and isinstance(control, w.RadioButtons)
    assert control.description == "Your answer to question 3"  # the legend
    state = control.get_state()
    assert state["_model_name"] == "AnyModel" and state["_view_name"] == "AnyView"
    assert state["_options_labels"] == tuple(SINGLE["options"][j]["text"] for j in quiz.display_order(SINGLE))
    esm = control._esm
    for needed in ('createElement("fieldset")', 'createElement("legend")', "input.name = name", '"radio"'):
        assert needed in esm, needed
    assert "tabindex" not in esm.lower(), "native radios sharing a name already make one Tab stop"


def test_choosing_in_the_browser_sets_the_index_and_grades():
    _, control, button, out = quiz.question_widget(SINGLE, 1).children
    assert control.value is None
    right = control._options_labels.index("b")
    control.index = right  # what the view sends when an option is chosen (arrow keys or a click)
    assert control.value == 1 and control.label == "b"
    button.click()
    assert "Correct." in out.value and "role='status'" in out.value

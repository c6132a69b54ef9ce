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
    assert not ok and "✘ “c”: ticked, but it does not apply. fc" in text  # names the option it judges
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


def test_display_order_is_a_stable_shuffle_that_the_seed_changes():
    q = {**MULTI, "prompt": "Which statements are true?"}
    order = quiz.display_order(q)
    assert sorted(order) == [0, 1, 2]
    assert quiz.display_order(dict(q)) == order  # the same on every call (SHA-256, not the salted hash())
    # the same in every process and release: pinned, so a change of the shuffle is a visible decision
    assert quiz.display_order({**q, "options": list(range(5))}) == [2, 4, 1, 0, 3]
    orders = {tuple(quiz.display_order({**q, "options": list(range(5)), "seed": s})) for s in range(10)}
    assert len(orders) > 5  # the seed picks another order


def test_widget_shows_the_shuffled_order_and_grades_by_file_index():
    q = {**SINGLE, "options": [{"text": t, "correct": t == "c", "feedback": f"why {t}"} for t in "abcd"]}
    order = quiz.display_order(q)
    box = quiz.question_widget(q, 1)
    radio = box.children[1]
    assert [label for label, _ in radio.options] == ["abcd"[j] for j in order]
    radio.value = 2  # the value is the index in the file, whatever the position shown
    box.children[2].click()
    assert "Correct." in box.children[3].value and "why c" in box.children[3].value


def test_multiple_feedback_names_and_judges_every_option_in_the_order_shown():
    ok, text = quiz.check(MULTI, {0, 2})
    lines = text.split("\n")
    assert not ok and len(lines) == 3
    shown = [MULTI["options"][j]["text"] for j in quiz.display_order(MULTI)]
    assert [line.split("“")[1].split("”")[0] for line in lines] == shown
    by_name = {line.split("“")[1].split("”")[0]: line for line in lines}
    assert by_name["a"].startswith("✔ “a”: ticked, rightly. fa")
    assert by_name["b"].startswith("✘ “b”: left unticked, but it applies. fb")
    assert by_name["c"].startswith("✘ “c”: ticked, but it does not apply. fc")
    assert quiz.check(MULTI, {0, 1})[1].count("✔") == 3


QS = [
    {**NUM, "objective": "calculate an equilibrium potential", "section": "One ion: the Nernst equation"},
    {**SINGLE, "objective": "explain the resting potential", "section": "A battery made of salt water"},
    {
        **SINGLE,
        "objective": "read a twitch",
        "section": "Patterns of firing",
        "taught_in": "01_twitch_spasm_cramp",
    },
]


def test_progress_names_the_objectives_of_missed_questions_and_where_to_reread():
    name = "02_resting_membrane"
    assert quiz.progress_text(QS, {}, name) == "Progress: none of the 3 questions checked yet."
    assert quiz.progress_text(QS, {1: True}, name).endswith("(all right so far).")
    assert quiz.progress_text(QS, {1: True, 2: True, 3: True}, name).endswith("all right. Well done.")
    text = quiz.progress_text(QS, {1: False, 2: True, 3: False}, name)
    assert text.startswith("Progress: 3 of 3 checked, 1 right. To revisit: ")
    assert "Q1 (calculate an equilibrium potential): re-read “One ion: the Nernst equation”" in text
    assert "Q3 (read a twitch): re-read notebook 01, “Patterns of firing”" in text
    assert "\n" not in text  # one line


def test_show_updates_progress_and_keeps_first_tries_in_the_kernel_only(monkeypatch):
    monkeypatch.setattr(quiz, "RESULTS", {})
    monkeypatch.setattr(quiz, "load", lambda name: QS)
    box = quiz.show("02_resting_membrane")
    *questions, progress = box.children
    assert len(questions) == 3 and "none of the 3" in progress.value
    number_box = questions[0].children[1]
    number_box.value = "5"  # wrong, then right
    number_box.value = "-61.5"
    assert "1 of 3 checked, 1 right" in progress.value
    assert quiz.RESULTS == {"02_resting_membrane": {1: False}}  # the first try counts for the score
    radio, check = questions[1].children[1:3]
    check.click()  # nothing chosen: not graded, not recorded
    assert quiz.RESULTS["02_resting_membrane"] == {1: False}
    radio.value = 0
    check.click()
    assert "To revisit: Q2 (explain the resting potential)" in progress.value


def test_post_test_shows_before_and_after(monkeypatch):
    monkeypatch.setattr(quiz, "RESULTS", {})
    monkeypatch.setattr(quiz, "load", lambda name: QS)
    box = quiz.show("06_post_test")  # the pre-test it mirrors comes from PRE_TESTS
    *_, progress, versus, typed = box.children
    assert "was not taken in this kernel" in versus.value and typed.layout.display != "none"
    typed.value = "2"  # the score the student noted in notebook 00 (optional, never saved)
    assert "as you noted it, 2 of 3 right at the first try; this post-test: not started yet." in versus.value
    typed.value = "99"  # out of range: ignored
    assert "was not taken in this kernel" in versus.value
    quiz.RESULTS["00_start_here"] = {1: True, 2: False}
    quiz.RESULTS["06_post_test"] = {1: True, 2: True, 3: True}
    text = quiz.comparison_text("06_post_test", 3, "00_start_here", 3)
    assert text.startswith(
        "Before and after: pre-test (quiz 00) 1 of 3 right at the first try (2 of 3 answered)"
    )
    assert "this post-test 3 of 3 right at the first try." in text and "never saved" in text


def test_pre_test_shows_its_first_try_score_and_points_to_the_post_test(monkeypatch):
    monkeypatch.setattr(quiz, "RESULTS", {})
    monkeypatch.setattr(quiz, "load", lambda name: QS)
    box = quiz.show("00_start_here")
    *questions, progress, score = box.children
    assert "appears here" in score.value
    questions[0].children[1].value = "-61.5"
    assert "Your first-try score: 1 of 3 (1 answered). Note it down" in score.value
    assert "notebook 06" in score.value


def test_real_pre_and_post_tests_pair_up():
    assert quiz.PRE_TESTS == {"06_post_test": "00_start_here"}
    assert len(quiz.load("06_post_test")) == len(quiz.load("00_start_here"))

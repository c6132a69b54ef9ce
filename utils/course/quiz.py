"""Self-check questions with immediate feedback, stored as data next to their notebook.

Questions live in ``notebooks/quizzes/<notebook>.json`` (a list). Three kinds:

* ``"single"``: one right option; every option carries its own feedback (why right/wrong).
* ``"multiple"``: several right options; feedback per option, graded as a set.
* ``"numeric"``: a number with a unit and a tolerance (``answer``, ``tolerance``, ``unit``);
  ``feedback_correct``/``feedback_wrong`` explain, ``hint_low``/``hint_high`` optional.

:func:`check` grades an answer (pure, tested); :func:`show` renders the questions as
keyboard-operable ipywidgets (radio buttons, checkboxes, number box, a "Check" button) with no
grading server: everything stays in the reader's kernel. Every control has a visible label; Tab
reaches each one, arrow keys choose a radio option, Space ticks a box, Enter or Space presses
*Check*, and Enter in the number box checks the number at once.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path

import ipywidgets as w  # noqa: PLC0415 (deferred: reads ipywidgets' live instances)

QUIZ_DIR = Path(__file__).resolve().parents[2] / "notebooks" / "quizzes"
KINDS = ("single", "multiple", "numeric")


class QuizError(ValueError):
    """A quiz file is malformed (the message names the file, question and field)."""


def load(name: str) -> list[dict]:
    """Questions of one notebook, validated (``name`` is the notebook's stem)."""
    path = QUIZ_DIR / f"{name}.json"
    if not path.is_file():
        raise QuizError(f"no quiz file {path} (expected notebooks/quizzes/{name}.json)")
    questions = json.loads(path.read_text(encoding="utf-8"))
    for i, q in enumerate(questions, start=1):
        validate(q, f"{path.name} question {i}")
    return questions


def validate(q: dict, where: str = "question") -> None:
    """Refuse a malformed question with a message naming where and what."""
    for key in ("kind", "prompt"):
        if key not in q:
            raise QuizError(f"{where}: missing {key!r}")
    if q["kind"] not in KINDS:
        raise QuizError(f"{where}: kind {q['kind']!r} is not one of {KINDS}")
    if q["kind"] in ("single", "multiple"):
        opts = q.get("options")
        if not opts or len(opts) < 2:
            raise QuizError(f"{where}: needs at least two options")
        for j, o in enumerate(opts):
            if not {"text", "correct", "feedback"} <= set(o):
                raise QuizError(f"{where} option {j + 1}: needs text, correct and feedback")
        n_right = sum(bool(o["correct"]) for o in opts)
        if q["kind"] == "single" and n_right != 1:
            raise QuizError(f"{where}: a single-answer question needs exactly one correct option")
        if q["kind"] == "multiple" and n_right < 1:
            raise QuizError(f"{where}: needs at least one correct option")
    else:
        for key in ("answer", "tolerance", "unit", "feedback_correct", "feedback_wrong"):
            if key not in q:
                raise QuizError(f"{where}: numeric question needs {key!r}")
        if not (isinstance(q["tolerance"], (int, float)) and q["tolerance"] > 0):
            raise QuizError(f"{where}: tolerance must be a positive number")


def check(q: dict, answer) -> tuple[bool, str]:
    """Grade ``answer`` (option index, set of indices, or a number); returns (correct, feedback)."""
    kind = q["kind"]
    if kind == "single":
        if answer is None:
            return False, "Choose one answer first."
        o = q["options"][int(answer)]
        return bool(o["correct"]), o["feedback"]
    if kind == "multiple":
        chosen = set(answer or ())
        if not chosen:
            return False, "Tick at least one answer first."
        right = {j for j, o in enumerate(q["options"]) if o["correct"]}
        notes = [
            ("✔ " if (j in right) == (j in chosen) else "✘ ") + q["options"][j]["feedback"]
            for j in sorted(chosen | right)
        ]
        return chosen == right, " ".join(notes)
    try:
        x = float(answer)
    except (TypeError, ValueError):
        return False, f"Type a number (in {q['unit']})."
    if not math.isfinite(x):
        return False, f"Type a finite number (in {q['unit']})."
    if abs(x - q["answer"]) <= q["tolerance"]:
        return True, q["feedback_correct"]
    hint = ""
    if x < q["answer"] and q.get("hint_low"):
        hint = " " + q["hint_low"]
    elif x > q["answer"] and q.get("hint_high"):
        hint = " " + q["hint_high"]
    return False, q["feedback_wrong"] + hint


def _feedback_html(ok: bool, text: str) -> str:
    mark, colour = ("Correct.", "#009E73") if ok else ("Not quite.", "#D55E00")
    return (
        f"<div style='border-left:6px solid {colour};padding:4px 10px;font-size:15px' "
        f"role='status'><b>{mark}</b> {html.escape(text)}</div>"
    )


def question_widget(q: dict, number: int):
    """One question as a widget: prompt, answer control, a Check button, live feedback."""

    label = w.HTML(f"<b>Q{number}.</b> {html.escape(q['prompt'])}")
    out = w.HTML()
    layout = w.Layout(width="auto")
    if q["kind"] == "single":
        # a visible label for the group; arrow keys choose an option once Tab has reached it
        control = w.RadioButtons(
            options=[(o["text"], j) for j, o in enumerate(q["options"])],
            value=None,
            layout=layout,
            description="your answer",
            tooltip=f"Choose one answer to question {number}",
            style={"description_width": "initial"},
        )
        get = lambda: control.value  # noqa: E731
    elif q["kind"] == "multiple":
        boxes = [
            w.Checkbox(description=o["text"], value=False, indent=False, layout=layout) for o in q["options"]
        ]
        control = w.VBox(boxes)
        get = lambda: {j for j, b in enumerate(boxes) if b.value}  # noqa: E731
    else:
        # continuous_update=False: the value arrives when the reader presses Enter (or leaves
        # the box), and is then checked at once, as if the Check button had been pressed
        control = w.Text(
            placeholder=f"number in {q['unit']}",
            description=f"answer ({q['unit']})",
            style={"description_width": "initial"},
            continuous_update=False,
            tooltip=f"Type a number in {q['unit']}, then press Enter or Check",
        )
        get = lambda: control.value  # noqa: E731
    button = w.Button(description="Check", tooltip=f"Check your answer to question {number}")

    def on_click(_):
        ok, text = check(q, get())
        out.value = _feedback_html(ok, text)

    button.on_click(on_click)
    if q["kind"] == "numeric":
        control.observe(lambda ch: on_click(None) if str(ch["new"]).strip() else None, "value")
    return w.VBox(
        [label, control, button, out],
        layout=w.Layout(border="1px solid #cccccc", padding="8px", margin="6px 0"),
    )


def show(name: str):
    """All questions of a notebook as one widget (``quiz.show('02_resting_membrane')``)."""

    return w.VBox([question_widget(q, i) for i, q in enumerate(load(name), start=1)])

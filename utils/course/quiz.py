"""Self-check questions with immediate feedback, stored as data next to their notebook.

Questions live in ``notebooks/quizzes/<notebook>.json`` (a list). Three kinds:

* ``"single"``: one right option; every option carries its own feedback (why right/wrong).
* ``"multiple"``: several right options; feedback per option, graded as a set.
* ``"numeric"``: a number with a unit and a tolerance (``answer``, ``tolerance``, ``unit``);
  ``feedback_correct``/``feedback_wrong`` explain, ``hint_low``/``hint_high`` optional.

Every question also says what it tests, so tests can count and the reader can be told where to
re-read (all checked by ``tests/unit/test_quiz_fairness.py``):

* ``"skill"``: ``"application"`` (a new case, a prediction, a numeric estimate), ``"recall"``
  (a fact or an explanation taught in the notebook) or ``"read-off"`` (a value read from a panel);
* ``"objective"``: the objective it checks, starting with the bold verb of the notebook's
  "What you will learn" list;
* ``"section"``: the heading to re-read, without its number;
* ``"taught_in"`` (optional): the stem of the notebook that teaches it, when that is not the
  quiz's own notebook: an earlier one for retrieval practice, a later one in the pre-test of 00.
  ``"section"`` then names a heading of that notebook.

Options are shown in an order shuffled with a seed taken from the question itself
(:func:`display_order`): the same order on every reload and in every kernel, but unrelated to the
order in the file, so the file's order carries no information. An optional integer ``"seed"``
picks another order.

:func:`check` grades an answer (pure, tested); :func:`show` renders the questions as
keyboard-operable widgets (a radio group, checkboxes, number box, a "Check" button) with no
grading server: everything stays in the reader's kernel. Every control has a visible label. A
one-answer question's options are one group (:class:`QuizRadios`: a fieldset with a legend, one Tab
stop, arrow keys choose); Tab reaches every other control, Space ticks a box, Enter or Space presses
*Check*, Enter in the number box checks the number at once, and the feedback is a live region.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import random
import re
from pathlib import Path

import anywidget
import ipywidgets as w  # noqa: PLC0415 (deferred: reads ipywidgets' live instances)

from ..resources import asset_text, quiz_dir
from .series import SERIES, source_text

QUIZ_DIR = quiz_dir()  # notebooks/quizzes (utils/_quizzes when installed)
KINDS = ("single", "multiple", "numeric")
SKILLS = ("application", "recall", "read-off")

# The first-try result of every question checked in this kernel, by quiz name:
# {name: {question number: right at the first check}}. Kept in the kernel only, never written
# anywhere; it lets a post-test show the pre-test score of the same session (see :func:`show`).
RESULTS: dict[str, dict[int, bool]] = {}


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
    if "skill" in q and q["skill"] not in SKILLS:
        raise QuizError(f"{where}: skill {q['skill']!r} is not one of {SKILLS}")
    for key in ("objective", "section", "taught_in"):
        if key in q and not (isinstance(q[key], str) and q[key].strip()):
            raise QuizError(f"{where}: {key!r} must be a non-empty text")
    if "seed" in q and not isinstance(q["seed"], int):
        raise QuizError(f"{where}: seed must be an integer")
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


def display_order(q: dict) -> list[int]:
    """The order (indices into ``q["options"]``) in which the options are shown.

    Shuffled with a seed made from the prompt (and the optional integer ``"seed"``), by SHA-256
    rather than :func:`hash`, which Python salts per process: the order is the same on every
    reload, in every kernel and in the tests, but says nothing about the order in the file.
    """
    n = len(q.get("options") or ())
    key = f"{q['prompt']}\x00{q.get('seed', 0)}".encode()
    order = list(range(n))
    random.Random(int.from_bytes(hashlib.sha256(key).digest()[:8], "big")).shuffle(order)
    return order


def _verdict(picked: bool, right: bool) -> str:
    if picked and right:
        return "✔ ticked, rightly"
    if not picked and not right:
        return "✔ left unticked, rightly"
    if picked:
        return "✘ ticked, but it does not apply"
    return "✘ left unticked, but it applies"


def check(q: dict, answer) -> tuple[bool, str]:
    """Grade ``answer`` (option index, set of indices, or a number); returns (correct, feedback).

    Indices are positions in the file's ``options`` list, whatever order the widget shows them in.
    For a tick-all question the feedback judges every option, in the order shown, by name: one
    line each, ``✔ “option”: ticked, rightly. Why.`` (or ✘ and what was wrong).
    """
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
        notes = []
        for j in display_order(q):
            mark, _, how = _verdict(j in chosen, j in right).partition(" ")
            notes.append(f"{mark} “{q['options'][j]['text']}”: {how}. {q['options'][j]['feedback']}")
        return chosen == right, "\n".join(notes)
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
    # role='status' is a polite live region: screen readers read the feedback when it appears,
    # without moving the focus away from the Check button
    mark, colour = ("Correct.", "#009E73") if ok else ("Not quite.", "#D55E00")
    body = "<br>".join(html.escape(line) for line in text.split("\n"))
    return (
        f"<div style='border-left:6px solid {colour};padding:4px 10px;font-size:15px' "
        f"role='status' aria-live='polite' aria-atomic='true'><b>{mark}</b> {body}</div>"
    )


RADIOS_CSS = """
.twitch-quiz-radios { border: 0; margin: 0.2em 0; padding: 0; min-width: 0; }
.twitch-quiz-radios legend { padding: 0; margin-bottom: 0.2em; font-weight: 600;
  font-size: var(--jp-widgets-font-size, 14px); }
.twitch-quiz-option { display: flex; align-items: baseline; gap: 0.5em; padding: 0.15em 0; cursor: pointer;
  font-size: var(--jp-widgets-font-size, 14px); line-height: 1.35; }
.twitch-quiz-option input { margin: 0; flex: none; }
.twitch-quiz-option input:focus-visible { outline: 3px solid #E69F00; outline-offset: 2px; }
"""


class QuizRadios(anywidget.AnyWidget, w.RadioButtons):
    """Radio buttons drawn as one labelled group: a ``<fieldset>`` with a ``<legend>`` (the description)
    and native radio inputs sharing one name, so a question is one Tab stop and the arrow keys choose.

    Everything on the kernel side is ipywidgets' ``RadioButtons`` (options, value, index, label); only the
    view differs (``quiz_radios.js``): ipywidgets' own view gives every option its own Tab stop and no
    group. The static export reads it as RadioButtons."""

    _esm = asset_text(__package__, "quiz_radios.js")
    _css = RADIOS_CSS


def question_widget(q: dict, number: int, on_result=None):
    """One question as a widget: prompt, answer control, a Check button, live feedback.

    The options appear in :func:`display_order`. ``on_result(correct)`` (optional) is called after
    every check that graded an answer (not after "choose an answer first").
    """

    label = w.HTML(f"<b>Q{number}.</b> {html.escape(q['prompt'])}")
    out = w.HTML()
    layout = w.Layout(width="auto")
    if q["kind"] == "single":
        # One group: a fieldset whose legend names it, one Tab stop, arrow keys choose (QuizRadios).
        control = QuizRadios(
            options=[(q["options"][j]["text"], j) for j in display_order(q)],
            value=None,
            layout=layout,
            description=f"Your answer to question {number}",
            tooltip=f"Choose one answer to question {number}",
            style={"description_width": "initial"},
        )
        get = lambda: control.value  # noqa: E731
    elif q["kind"] == "multiple":
        order = display_order(q)
        boxes = [
            w.Checkbox(description=q["options"][j]["text"], value=False, indent=False, layout=layout)
            for j in order
        ]
        control = w.VBox(boxes)
        get = lambda: {j for j, b in zip(order, boxes, strict=True) if b.value}  # noqa: E731
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
        answer = get()
        ok, text = check(q, answer)
        out.value = _feedback_html(ok, text)
        if on_result is not None and _answered(q, answer):
            on_result(ok)

    button.on_click(on_click)
    if q["kind"] == "numeric":
        control.observe(lambda ch: on_click(None) if str(ch["new"]).strip() else None, "value")
    return w.VBox(
        [label, control, button, out],
        layout=w.Layout(border="1px solid #cccccc", padding="8px", margin="6px 0"),
    )


def _answered(q: dict, answer) -> bool:
    """True when ``check`` graded ``answer`` rather than asking for one."""
    if q["kind"] == "single":
        return answer is not None
    if q["kind"] == "multiple":
        return bool(answer)
    try:
        return math.isfinite(float(answer))
    except (TypeError, ValueError):
        return False


def where_to_reread(q: dict, name: str) -> str:
    """'notebook 03, “Refractory periods: why spikes do not merge”' (or just the section)."""
    section = q.get("section")
    source = q.get("taught_in", name)
    if source[:2] != name[:2]:
        where = f"notebook {source[:2]}"
        return f"{where}, “{section}”" if section else where
    return f"“{section}”" if section else f"notebook {name[:2]}"


def progress_text(questions: list[dict], latest: dict[int, bool], name: str) -> str:
    """One line: how many are checked and right, which objectives the misses belong to, where to re-read.

    ``latest`` maps question numbers (from 1) to the result of their latest check; a question
    counts as missed while its latest check is wrong.
    """
    results = latest
    n = len(questions)
    if not results:
        return f"Progress: none of the {n} questions checked yet."
    right = sum(results.values())
    head = f"Progress: {len(results)} of {n} checked, {right} right"
    missed = [i for i in sorted(results) if not results[i]]
    if not missed:
        tail = " (all right so far)." if len(results) < n else ": all right. Well done."
        return head + tail
    groups: dict[tuple[str, str], list[int]] = {}
    for i in missed:
        q = questions[i - 1]
        key = (q.get("objective", "this notebook's objectives"), where_to_reread(q, name))
        groups.setdefault(key, []).append(i)
    parts = [
        f"{', '.join(f'Q{i}' for i in nums)} ({objective}): re-read {where}"
        for (objective, where), nums in groups.items()
    ]
    return f"{head}. To revisit: " + "; ".join(parts) + "."


def _score(first: dict[int, bool], n: int) -> str:
    return f"{sum(first.values())} of {n} right at the first try"


def comparison_text(name: str, n: int, compare_with: str, n_before: int, noted: int | None = None) -> str:
    """The before/after line of a post-test.

    The pre-test's first tries come from :data:`RESULTS` when it was taken in this kernel; otherwise
    from ``noted``, the score the student typed in (notebooks run in separate kernels, so the
    pre-test of notebook 00 is usually in another one). Nothing is saved anywhere.
    """
    before, now = RESULTS.get(compare_with, {}), RESULTS.get(name, {})
    pre = f"pre-test (quiz {compare_with[:2]})"
    if before:
        line = f"Before and after: {pre} {_score(before, n_before)}"
        if len(before) < n_before:
            line += f" ({len(before)} of {n_before} answered)"
    elif noted is not None:
        line = f"Before and after: {pre}, as you noted it, {noted} of {n_before} right at the first try"
    else:
        return (
            f"Before and after: the {pre} was not taken in this kernel. Type the first-try score you noted "
            "in the box below to compare. Scores stay in this kernel and are never saved."
        )
    if not now:
        return line + "; this post-test: not started yet."
    line += f"; this post-test {_score(now, n)}"
    if len(now) < n:
        line += f" ({len(now)} of {n} answered so far)"
    return line + ". Scores stay in this kernel and are never saved."


def pre_test_text(name: str, n: int, post_test: str) -> str:
    """The score line under a pre-test: the first-try score and where the post-test is."""
    first = RESULTS.get(name, {})
    if not first:
        return "Your first-try score appears here."
    line = f"Your first-try score: {sum(first.values())} of {n}"
    if len(first) < n:
        line += f" ({len(first)} answered)"
    return line + (
        f". Note it down: the post-test at the end of notebook {post_test[:2]} asks about the same things "
        "again and sets your two scores side by side. Nothing is saved."
    )


#: post-test -> the pre-test it mirrors
PRE_TESTS = {"06_post_test": "00_start_here"}


def _line(text: str, bold: bool = False) -> str:
    # not a live region: each check already announces its own feedback, and a second and third
    # announcement per check would crowd it out; the line is there to read at any time
    body = f"<b>{html.escape(text)}</b>" if bold else html.escape(text)
    return f"<div class='twitch-quiz-summary' style='font-size:15px;padding:4px 0'>{body}</div>"


def show(name: str, compare_with: str | None = None):
    """All questions of a quiz as one widget (``quiz.show('02_resting_membrane')``).

    Below the questions a one-line progress summary follows every check: which objectives the
    missed questions belong to and where to re-read. A post-test (:data:`PRE_TESTS`, or any quiz
    given ``compare_with``) adds a line that sets its first-try score beside the pre-test's, from
    this kernel or from a score the student types in; a pre-test adds its first-try score with a
    reminder to note it. Scores live in this kernel only.
    """

    questions = load(name)
    compare_with = compare_with or PRE_TESTS.get(name)
    post_test = next((post for post, pre in PRE_TESTS.items() if pre == name), None)
    first = RESULTS.setdefault(name, {})  # survives re-running the cell: a first try stays first
    latest: dict[int, bool] = {}
    progress = w.HTML()
    extra = []
    noted: dict[str, int] = {}
    if compare_with is not None:
        n_before = len(load(compare_with))
        versus = w.HTML()
        typed = w.Text(
            placeholder=f"0 to {n_before}",
            description=f"pre-test score you noted (of {n_before})",
            style={"description_width": "initial"},
            continuous_update=False,
            tooltip="Optional: the first-try score of the pre-test in notebook 00; it is not saved",
        )

        def on_typed(change):
            try:
                k = int(str(change["new"]).strip())
            except ValueError:
                noted.pop("score", None)
            else:
                if 0 <= k <= n_before:
                    noted["score"] = k
                else:
                    noted.pop("score", None)
            refresh()

        typed.observe(on_typed, "value")
        extra += [versus, typed]
    elif post_test is not None:
        score = w.HTML()
        extra.append(score)

    def refresh():
        progress.value = _line(progress_text(questions, latest, name))
        if compare_with is not None:
            text = comparison_text(name, len(questions), compare_with, n_before, noted.get("score"))
            versus.value = _line(text, bold=True)
            typed.layout.display = "none" if RESULTS.get(compare_with) else None
        elif post_test is not None:
            score.value = _line(pre_test_text(name, len(questions), post_test))

    def recorder(number):
        def record(ok: bool) -> None:
            first.setdefault(number, ok)
            latest[number] = ok
            refresh()

        return record

    refresh()
    boxes = [question_widget(q, i, on_result=recorder(i)) for i, q in enumerate(questions, start=1)]
    return w.VBox([*boxes, progress, *extra])


# --- committed predictions -------------------------------------------------------------------------
# The Markdown cell before each interactive panel holds one "**Predict first.**" paragraph with lettered
# options, "(a) ..., (b) ... or (c) ...?" (tests/unit/test_notebook_frame.py). That paragraph is the one
# source of the options: :func:`predict` reads them back from the notebook file, so they are never
# written twice and a worksheet, the lesson and the widget cannot drift apart.

PREDICT = "**Predict first.**"
PREDICT_FALLBACK = "Write your letter down before you move the controls."
_LETTER = re.compile(r"\(([a-h])\)\s*")


def prediction(markdown: str) -> str | None:
    """The prediction paragraph (without its bold label), or None when there is none."""
    at = markdown.find(PREDICT)
    if at < 0:
        return None
    return re.split(r"\n\s*\n", markdown[at + len(PREDICT) :], maxsplit=1)[0].strip()


def prediction_options(text: str) -> list[tuple[str, str]]:
    """The lettered options of a prediction, [("a", "the same as one twitch"), ...].

    An option runs from its "(a)" to the next letter, or to the question mark that closes the list; the
    joining ", or" / " or" / "," is dropped. Fewer than two letters give an empty list (a free-text
    prediction)."""
    marks = list(_LETTER.finditer(text or ""))
    if len(marks) < 2:
        return []
    out = []
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else text.find("?", m.end())
        chunk = " ".join(text[m.end() : end if end >= 0 else len(text)].split())
        chunk = re.sub(r"(?:,?\s*\bor)?[,:;\s]*$", "", chunk)
        out.append((m.group(1), chunk))
    return out


def notebook_predictions(cells) -> list[str]:
    """Every prediction paragraph of a notebook's Markdown cells, in order (cells as notebook JSON)."""
    found = []
    for c in cells:
        if c.get("cell_type") == "markdown":
            text = prediction(source_text(c.get("source")))
            if text is not None:
                found.append(text)
    return found


def _notebook_file(notebook: str, folder: Path) -> Path:
    """The notebook file named by its number ("03") or stem, in ``folder``."""
    stems = [nb.stem for nb in SERIES if notebook in (nb.number, nb.stem)]
    return folder / f"{stems[0] if stems else notebook}.ipynb"


def predict_options(notebook: str, n: int, folder=None) -> list[tuple[str, str]]:
    """The options of the ``n``-th prediction (from 1) of a notebook in ``folder`` (default: the working
    directory, where Jupyter, Voila and Binder start a notebook's kernel); [] when the file cannot be read
    or has no such prediction with at least two options."""
    try:
        path = _notebook_file(str(notebook), Path.cwd() if folder is None else Path(folder))
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        found = notebook_predictions(cells)
        options = prediction_options(found[int(n) - 1]) if 1 <= int(n) <= len(found) else []
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return []
    return options if len(options) >= 2 else []


def locked_text(letter: str, text: str) -> str:
    """The line shown once a prediction is locked in."""
    return (
        f"You predicted ({letter}) {text}. Now try the panel below; the explanations under it tell you why."
    )


def predict(notebook: str, n: int, folder=None):
    """A committed prediction: the options of the prediction in the Markdown right above, as a radio
    group, and a "Lock in my prediction" button (``quiz.predict("03", 2)``: notebook 03, its second
    prediction).

    After locking, the choice can no longer change and a line repeats it. Nothing is graded (a
    prediction has no stored answer) and nothing is saved outside the kernel. When the notebook file
    cannot be read (or the prediction has no lettered options) the widget is one line asking the reader
    to write the letter down instead, never an error."""
    options = predict_options(notebook, n, folder)
    if not options:
        return w.HTML(f"<div style='font-size:15px;padding:4px 0'>{html.escape(PREDICT_FALLBACK)}</div>")
    radios = QuizRadios(
        options=[(f"({letter}) {text}", k) for k, (letter, text) in enumerate(options)],
        value=None,
        layout=w.Layout(width="auto"),
        description="Your prediction",
        tooltip="Choose the letter you predict, then lock it in",
        style={"description_width": "initial"},
    )
    button = w.Button(description="Lock in my prediction", tooltip="Lock in the letter you chose")
    button.layout.width = "auto"
    out = w.HTML()

    def on_click(_):
        if radios.value is None:
            out.value = _status("Choose a letter first.")
            return
        radios.disabled = True
        button.disabled = True
        out.value = _status(locked_text(*options[radios.value]))

    button.on_click(on_click)
    box = w.VBox(
        [radios, button, out],
        layout=w.Layout(border="1px solid #cccccc", padding="8px", margin="6px 0"),
    )
    box.add_class("twitch-predict")  # tells it apart from the quiz's radio groups on the page
    return box


def _status(text: str) -> str:
    # a polite live region, like the quiz feedback: read out when it appears, the focus stays put
    return (
        "<div style='border-left:6px solid #0072B2;padding:4px 10px;font-size:15px' role='status' "
        f"aria-live='polite' aria-atomic='true'>{html.escape(text)}</div>"
    )

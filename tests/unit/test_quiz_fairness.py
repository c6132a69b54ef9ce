"""The self-check quizzes can only be passed by knowing the topic (issue 18, item 1).

Across the series: the right answer's displayed position is spread over the positions, it is the
longest option in at most 40 % of the single-answer questions, and no tick-all question shows (or
stores) its right options first. Per quiz: at least two application questions, at most one
read-off, and, from notebook 02 on, one or two questions that practise an earlier notebook. Every
question names its skill, its objective (the start of one of the teaching notebook's objectives)
and the section to re-read (a heading of that notebook's core: the quiz comes before its 'Going
further' material); every option's feedback explains.
"""

import re
from collections import Counter

import nbformat
import pytest

from utils import lessontime, quiz, series

NOTEBOOKS = {nb.stem: nb for nb in series.SERIES}
QUIZZES = {p.stem: quiz.load(p.stem) for p in sorted(quiz.QUIZ_DIR.glob("*.json"))}
ALL = [(name, i, q) for name, qs in QUIZZES.items() for i, q in enumerate(qs, start=1)]
CHOICE = [(name, i, q) for name, i, q in ALL if q["kind"] in ("single", "multiple")]
SINGLE = [(name, i, q) for name, i, q in CHOICE if q["kind"] == "single"]
MULTIPLE = [(name, i, q) for name, i, q in CHOICE if q["kind"] == "multiple"]


def _right(q) -> list[int]:
    return [j for j, o in enumerate(q["options"]) if o["correct"]]


def _notebook_of(name: str) -> str:
    """The notebook a quiz belongs to ('06_post_test' belongs to 06)."""
    return next(stem for stem in NOTEBOOKS if stem[:2] == name[:2])


def _taught_in(name: str, q: dict) -> str:
    return q.get("taught_in", _notebook_of(name))


def _is_retrieval(name: str, q: dict) -> bool:
    return _taught_in(name, q)[:2] < name[:2]


def _notebook_text(stem: str):
    """(objectives, core headings) of a notebook: the "What you will learn" items as plain text, and
    the headings before its first 'Going further' (the quiz comes before that material)."""
    nb = nbformat.read(series.NOTEBOOK_DIR / f"{stem}.ipynb", as_version=4)
    lines = "\n".join(c.source for c in lessontime.core_cells(nb) if c.cell_type == "markdown").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("**What you will learn.**"))
    objectives = []
    for line in lines[start + 1 :]:
        if line.startswith("- "):
            plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line[2:]).replace("**", "")
            objectives.append(plain.rstrip(";. "))
        elif objectives:
            break
    headings = {
        re.sub(r"^#+\s*(\d+[a-z]?\s*·\s*)?", "", line).strip() for line in lines if line.startswith("#")
    }
    return objectives, headings


TEXTS = {stem: _notebook_text(stem) for stem in NOTEBOOKS}


def _spread(positions: list[int], n_positions: int, what: str) -> None:
    counts = Counter(positions)
    n = len(positions)
    for p in range(n_positions):
        assert counts[p] >= 0.1 * n, (
            f"{what}: position {p + 1} holds the right answer in only {counts[p]} of {n}"
        )
    top, k = counts.most_common(1)[0]
    assert k <= 0.4 * n, f"{what}: position {top + 1} holds the right answer in {k} of {n} questions"


def test_the_series_has_enough_questions_to_judge():
    assert len(SINGLE) >= 20 and len(MULTIPLE) >= 5


@pytest.mark.parametrize("where", ["displayed", "stored"])
def test_right_answer_position_is_spread(where):
    positions = [
        (quiz.display_order(q).index(_right(q)[0]) if where == "displayed" else _right(q)[0])
        for _, _, q in SINGLE
    ]
    _spread(positions, min(len(q["options"]) for _, _, q in SINGLE), f"{where} order")


@pytest.mark.parametrize("name", sorted(QUIZZES))
def test_no_position_stands_out_within_one_quiz(name):
    shown = [quiz.display_order(q).index(_right(q)[0]) for n, _, q in SINGLE if n == name]
    if len(shown) >= 3:
        top, k = Counter(shown).most_common(1)[0]
        assert k <= max(2, len(shown) // 2), (
            f"{name}: the right answer is shown at position {top + 1} in {k} of {len(shown)}"
        )


def test_right_answer_is_rarely_the_longest_option():
    longest = [
        f"{name} Q{i}"
        for name, i, q in SINGLE
        if len(q["options"][_right(q)[0]]["text"])
        >= max(len(o["text"]) for o in q["options"] if not o["correct"])
    ]
    assert len(longest) <= 0.4 * len(SINGLE), f"right answer longest (or tied) in {len(longest)}: {longest}"


def test_right_answer_is_not_systematically_the_shortest_either():
    shortest = [
        f"{name} Q{i}"
        for name, i, q in SINGLE
        if len(q["options"][_right(q)[0]]["text"])
        <= min(len(o["text"]) for o in q["options"] if not o["correct"])
    ]
    assert len(shortest) <= 0.4 * len(SINGLE), (
        f"right answer shortest (or tied) in {len(shortest)}: {shortest}"
    )


def test_the_longest_tick_all_option_is_not_usually_a_right_one():
    longest_right = [
        f"{name} Q{i}"
        for name, i, q in MULTIPLE
        if q["options"][max(range(len(q["options"])), key=lambda j: len(q["options"][j]["text"]))]["correct"]
    ]
    assert len(longest_right) <= 0.5 * len(MULTIPLE), f"longest option right in {longest_right}"


@pytest.mark.parametrize("name, number, q", MULTIPLE, ids=[f"{n}-Q{i}" for n, i, _ in MULTIPLE])
def test_tick_all_question_does_not_list_its_right_options_first(name, number, q):
    right = _right(q)
    assert 0 < len(right) < len(q["options"]), "a tick-all question needs right and wrong options"
    first_k = set(range(len(right)))
    assert set(right) != first_k, "stored order lists the right options first"
    shown = {quiz.display_order(q).index(j) for j in right}
    assert shown != first_k, "displayed order lists the right options first"


@pytest.mark.parametrize("name, number, q", ALL, ids=[f"{n}-Q{i}" for n, i, _ in ALL])
def test_question_names_its_skill_objective_and_section(name, number, q):
    assert q.get("skill") in quiz.SKILLS
    stem = _taught_in(name, q)
    assert stem in NOTEBOOKS, f"taught_in {stem!r} is not a notebook of the series"
    objectives, headings = TEXTS[stem]
    assert any(o.startswith(q.get("objective", "")) for o in objectives), (
        f"objective {q.get('objective')!r} does not begin one of the objectives of {stem}: {objectives}"
    )
    assert q.get("section") in headings, (
        f"section {q.get('section')!r} is not a heading of the core of {stem} (before 'Going further')"
    )


@pytest.mark.parametrize("name, number, q", CHOICE, ids=[f"{n}-Q{i}" for n, i, _ in CHOICE])
def test_every_option_has_feedback_that_explains(name, number, q):
    texts = [o["text"] for o in q["options"]]
    assert len(set(texts)) == len(texts), "two options with the same text"
    for o in q["options"]:
        words = re.findall(r"\w+", o["feedback"])
        assert len(words) >= 8, f"feedback for {o['text']!r} does not explain: {o['feedback']!r}"


@pytest.mark.parametrize("name", sorted(QUIZZES))
def test_each_quiz_applies_and_retrieves(name):
    qs = QUIZZES[name]
    skills = Counter(q["skill"] for q in qs)
    assert skills["application"] >= 2, (
        f"{name}: {skills['application']} application questions (need 2 or more)"
    )
    assert skills["read-off"] <= 1, f"{name}: {skills['read-off']} read-off questions (at most 1)"
    if name in NOTEBOOKS and name[:2] >= "02":
        n = sum(_is_retrieval(name, q) for q in qs)
        assert 1 <= n <= 2, f"{name}: {n} questions on earlier notebooks (need 1 or 2)"
        for q in qs:  # the student is told which earlier notebook a question goes back to
            if _is_retrieval(name, q):
                where = re.match(r"Looking back \(notebooks? ([^)]*)\): ", q["prompt"])
                assert where and _taught_in(name, q)[:2] in where.group(1), q["prompt"]


def test_the_post_test_mirrors_the_pre_test():
    pre, post = QUIZZES["00_start_here"], QUIZZES["06_post_test"]
    assert len(pre) == len(post)
    for a, b in zip(pre, post, strict=True):  # question by question: the same kind, a parallel item
        assert a["kind"] == b["kind"]
        if a["kind"] != "numeric":
            assert len(a["options"]) == len(b["options"])

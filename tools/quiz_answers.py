"""Write the teacher's answer sheet for every self-check quiz (docs/teachers_guide/quiz_answers.md).

    python tools/quiz_answers.py            # regenerate after a quiz file changes
    python tools/quiz_answers.py --check    # exit 1 if the committed sheet is out of date

Each question is listed with what it tests (skill, objective, where it is taught), its correct
answer(s) and the explanation the quiz gives for every option, read from
notebooks/quizzes/<notebook>.json (the single source of the questions). Options are listed in the
order students see them (the quiz shuffles them with a fixed seed per question).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "docs" / "teachers_guide" / "quiz_answers.md"


def _fmt_number(x: float) -> str:
    return f"{x:g}".replace("-", "−")


def _tests_line(q: dict, quiz_name: str) -> str:
    """'*Tests:* application · calculate … · re-read notebook 02, “…”'."""
    from utils import quiz

    parts = [q.get("skill", "")]
    if q.get("taught_in", quiz_name)[:2] < quiz_name[:2]:
        parts[0] += " (retrieval practice)"
    if q.get("objective"):
        parts.append(q["objective"])
    parts.append("re-read " + quiz.where_to_reread(q, quiz_name))
    return "- *Tests:* " + " · ".join(p for p in parts if p)


def question_markdown(q: dict, number: int, quiz_name: str = "") -> str:
    """One question: prompt, what it tests, answer(s), explanation of every option."""
    from utils import quiz

    lines = [f"**Q{number}.** {q['prompt']}", ""]
    if quiz_name:
        lines.append(_tests_line(q, quiz_name))
    if q["kind"] in ("single", "multiple"):
        shown = [q["options"][j] for j in quiz.display_order(q)]
        right = [o for o in shown if o["correct"]]
        wrong = [o for o in shown if not o["correct"]]
        label = "Answer" if q["kind"] == "single" else "Answers (all of these, and only these)"
        lines.append(f"- *{label}:* " + "; ".join(f"**{o['text']}**" for o in right))
        for o in right:
            lines.append(f"- *Why:* {o['feedback']}")
        for o in wrong:
            lines.append(f"- *Wrong:* “{o['text']}”. {o['feedback']}")
    else:
        lines.append(
            f"- *Answer:* **{_fmt_number(q['answer'])} {q['unit']}** "
            f"(accepted within ± {_fmt_number(q['tolerance'])} {q['unit']})"
        )
        lines.append(f"- *Why:* {q['feedback_correct']}")
        hints = [q[k] for k in ("hint_low", "hint_high") if q.get(k)]
        lines.append(
            f"- *If wrong, the quiz says:* {q['feedback_wrong']}" + (" " + " ".join(hints) if hints else "")
        )
    return "\n".join(lines)


def render() -> str:
    from utils import quiz, series

    parts = [
        "# Self-check quizzes: answers and explanations",
        "",
        "Generated from `notebooks/quizzes/*.json` by `tools/quiz_answers.py`; do not edit by hand "
        "(a test fails when this sheet is out of date). Students see the same explanations as "
        "feedback when they press *Check*.",
        "",
    ]
    # each notebook's quiz, then the post-test shown at the end of the same notebook
    for path in sorted(
        quiz.QUIZ_DIR.glob("*.json"), key=lambda p: (p.stem[:2], p.stem.endswith("post_test"))
    ):
        stem = path.stem
        nb = series.BY_FILENAME.get(f"{stem}.ipynb")
        title = nb.label if nb else f"{stem[:2]} · {stem[3:].replace('_', ' ').capitalize()}"
        title = title.replace("Post test", "Post-test: the pre-test of 00, at the end of the series")
        parts += [f"## {title}", "", f"Quiz file `notebooks/quizzes/{path.name}`.", ""]
        if stem.endswith("post_test"):
            parts += [
                "Shown at the end of notebook 06. It mirrors the pre-test of notebook 00 question by question; "
                "when both are taken in one kernel session the student sees both first-try scores side by "
                "side (kept in the kernel only).",
                "",
            ]
        for i, q in enumerate(quiz.load(stem), start=1):
            parts += [question_markdown(q, i, stem), ""]
    return "\n".join(parts).rstrip() + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--check", action="store_true", help="fail if the sheet is out of date")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    text = render()
    if args.check:
        if not args.out.is_file() or args.out.read_text(encoding="utf-8") != text:
            print(f"{args.out} is out of date: run python tools/quiz_answers.py")
            return 1
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {len(text.splitlines())} lines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

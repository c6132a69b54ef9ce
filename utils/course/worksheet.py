"""Predict–observe–explain around every interactive panel, and the printable worksheet built from it.

The notebooks mark the parts in Markdown, so the lesson, its test and its worksheet read the same cells:

* a **panel cell** is a code cell that builds an interactive panel (``membrane_widgets.x_panel(...)``,
  ``widgets.first_slider_panel(...)``; :data:`PANEL_CALL`);
* right before it, a **predict cell** (``quiz.predict("03", 2)``, :data:`PREDICT_CALL`) lets the reader
  lock in a letter, and the Markdown cell right before that holds one committed **prediction**: a
  paragraph that starts with ``**Predict first.**`` and asks the reader to choose a letter or to write an
  answer down before running the panel (:func:`prediction`, defined in :mod:`.quiz`, which reads the
  options back from the notebook file for the predict cell);
* the Markdown after it (up to the next code cell) holds ``**Things to try.**``: numbered items, each
  followed by its explanation folded in ``<details><summary>Explanation</summary> … </details>``
  (:func:`things_to_try`).

:func:`worksheet_html` writes one printable page per notebook from those cells and the notebook's quiz
(title, objectives, predictions, things to try with blank lines, quiz questions without answers);
``tools/worksheets.py`` (``make worksheets``) writes the pages and prints them to PDF.
"""

from __future__ import annotations

import html
import re

from .quiz import PRE_TESTS, PREDICT, display_order, prediction  # noqa: F401 (PREDICT: the frame test reads it here)
from .series import source_text

PANEL_CALL = re.compile(r"\b(?:widgets|\w+_widgets)\.\w+_panel\(")
PREDICT_CALL = re.compile(r"""\bquiz\.predict\(\s*["'](\d\d)["']\s*,\s*(\d+)\s*\)""")
TRY = "**Things to try.**"
_DETAILS = re.compile(r"<details>\s*<summary>[^<]*</summary>(.*?)</details>", re.S)


def panel_cells(cells) -> list[int]:
    """Indices of the code cells that build an interactive panel."""
    return [
        i
        for i, c in enumerate(cells)
        if c["cell_type"] == "code" and PANEL_CALL.search(source_text(c["source"]))
    ]


def is_predict_cell(cell) -> bool:
    """A code cell that shows a committed-prediction widget (``quiz.predict(...)``)."""
    return cell["cell_type"] == "code" and bool(PREDICT_CALL.search(source_text(cell["source"])))


def prediction_cell(cells, i: int) -> int | None:
    """Index of the Markdown cell holding panel ``i``'s prediction: right before the panel, or right
    before its predict cell; None when there is none."""
    j = i - 1 if i and is_predict_cell(cells[i - 1]) else i
    return j - 1 if j and cells[j - 1]["cell_type"] == "markdown" else None


def markdown_after(cells, i: int) -> str:
    """The Markdown cells after cell ``i``, up to the next code cell, joined."""
    out = []
    for c in cells[i + 1 :]:
        if c["cell_type"] != "markdown":
            break
        out.append(source_text(c["source"]))
    return "\n\n".join(out)


def things_to_try(markdown: str) -> list[tuple[str, str]]:
    """(prompt, explanation) for each item of the first "Things to try" block; explanation '' if none."""
    at = markdown.find(TRY)
    if at < 0:
        return []
    block = markdown[at + len(TRY) :]
    body = re.split(r"\n\s*\n(?!\d+\.|\s)", block, maxsplit=1)[0]
    items = [s for s in re.split(r"^(?=\d+\. )", body.strip("\n"), flags=re.M) if s.strip()]
    out = []
    for item in items:
        m = _DETAILS.search(item)
        prompt = item[: m.start()] if m else item
        prompt = " ".join(re.sub(r"^\d+\.\s+", "", prompt.strip()).split())
        out.append((prompt, " ".join(m.group(1).split()) if m else ""))
    return out


def objectives(first_cell: str) -> list[str]:
    """The bullet points of the 'What you will learn' list."""
    after = first_cell.split("**What you will learn.**", 1)[-1].split("**Time needed", 1)[0]
    return [" ".join(m.split()) for m in re.findall(r"^- (.+(?:\n  .+)*)", after, flags=re.M)]


def title(first_cell: str) -> str:
    return first_cell.splitlines()[0].lstrip("# ").strip()


def _inline(markdown: str) -> str:
    """Markdown inline text as HTML: links to their label, bold, italics, code; everything else escaped."""
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", markdown)
    text = html.escape(" ".join(text.split()), quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", text)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", text)


def parts(cells) -> dict:
    """Everything a worksheet shows, read from the notebook's cells."""
    first = source_text(cells[0]["source"])
    panels = []
    for i in panel_cells(cells):
        j = prediction_cell(cells, i)
        before = source_text(cells[j]["source"]) if j is not None else ""
        guess = prediction(before)
        if guess:  # on paper there is no predict widget below: the letter is written down
            guess = re.sub(r"Choose(\s+)a(\s+)letter(\s+)below", r"Write\1down\2a\3letter", guess)
        panels.append({"prediction": guess, "try": things_to_try(markdown_after(cells, i))})
    return {"title": title(first), "objectives": objectives(first), "panels": panels}


CSS = """
@page { size: A4; margin: 14mm 14mm 16mm 14mm; }
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10.5pt; line-height: 1.35; color: #111; }
h1 { font-size: 16pt; margin: 0 0 4pt; } h2 { font-size: 12.5pt; margin: 12pt 0 4pt;
  border-bottom: 1px solid #999; } h3 { font-size: 11pt; margin: 8pt 0 2pt; }
.name { margin: 2pt 0 8pt; } ol, ul { margin: 2pt 0 4pt 0; padding-left: 18pt; } li { margin: 3pt 0; }
.blank { border-bottom: 1px solid #777; height: 16pt; margin: 0 0 2pt; }
.panel, .q { break-inside: avoid; } .opt { margin: 1pt 0 1pt 4pt; } .box { font-family: monospace; }
code { font-size: 9.5pt; }
"""


def _blanks(n: int) -> str:
    return "".join("<div class='blank'></div>" for _ in range(n))


QUIZ_CALL = re.compile(r"""quiz\.show\(\s*["']([^"']+)["']""")


def quiz_names(cells) -> list[str]:
    """The quizzes the notebook shows (``quiz.show("name")`` calls), in order."""
    return [m for c in cells if c["cell_type"] == "code" for m in QUIZ_CALL.findall(source_text(c["source"]))]


def _quiz_html(questions: list[dict]) -> list[str]:
    out = []
    for n, q in enumerate(questions, start=1):
        out.append(f"<div class='q'><p><b>Q{n}.</b> {html.escape(q['prompt'])}</p>")
        if q["kind"] in ("single", "multiple"):
            box = "○" if q["kind"] == "single" else "☐"
            how = "Choose one." if q["kind"] == "single" else "Tick every one that applies."
            out.append(f"<p><i>{how}</i></p>")
            out += [
                f"<div class='opt'>{box} {html.escape(q['options'][j]['text'])}</div>"
                for j in display_order(q)
            ]
        else:
            out.append(f"<p>Answer: ______________ {html.escape(q['unit'])}</p>")
        out.append("</div>")
    return out


def worksheet_html(cells, quizzes: dict[str, list[dict]]) -> str:
    """One printable HTML page: title, objectives, predictions and things to try with blank lines (no
    explanations), and every quiz the notebook shows (``quizzes``: name -> questions), with the options in
    the order the quiz shows them and no answers or feedback."""
    p = parts(cells)
    out = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Worksheet · {html.escape(p['title'])}</title><style>{CSS}</style></head><body>",
        f"<h1>Worksheet · {html.escape(p['title'])}</h1>",
        "<p class='name'>Name: ______________________________ Date: ______________</p>",
        "<h2>What you will learn</h2><ul>",
        *(f"<li>{_inline(o)}</li>" for o in p["objectives"]),
        "</ul>",
        "<h2>Predict, observe, explain</h2>",
        "<p>Before you run each panel, write down your prediction. Then try each thing and write what you saw "
        "and why.</p>",
    ]
    for n, panel in enumerate(p["panels"], start=1):
        out.append(f"<div class='panel'><h3>Panel {n}</h3>")
        if panel["prediction"]:
            out.append(f"<p><b>Predict first.</b> {_inline(panel['prediction'])}</p>")
            out.append("<p>My prediction:</p>" + _blanks(2))
        if panel["try"]:
            out.append("<p><b>Things to try.</b></p><ol>")
            out += [f"<li>{_inline(prompt)}{_blanks(2)}</li>" for prompt, _ in panel["try"]]
            out.append("</ol>")
        out.append("</div>")
    for name, questions in quizzes.items():
        heading = "Post-test" if name in PRE_TESTS else "Self-check"
        out.append(f"<h2>{heading}</h2>")
        out += _quiz_html(questions)
    out.append("</body></html>")
    return "\n".join(out)

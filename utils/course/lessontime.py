"""How long a notebook's core takes: the rule behind each notebook's "Time needed" and its running
section timings (issue 17: every lesson fits its stated time, at most 50 minutes).

Rule (one for the whole series, tested in tests/unit/test_lesson_time.py):

* **reading** at :data:`WORDS_PER_MIN` = 150 words a minute: the words of every Markdown cell and of
  every text or Markdown output a student reads (printed numbers, the tables of notebooks 01 and 06);
  link targets, HTML tags and LaTeX markup are not words; the hidden solutions and the explanations
  folded in ``<details>`` are not counted (their reading is part of the task they belong to);
* **tasks**, :data:`TASK_MIN` = 3 minutes each: every numbered item under "**Things to try.**" (one
  task if the block has no numbered list), every "**Exercise N.**" and the self-check quiz; a predict
  cell (``quiz.predict(...)``) adds nothing: its options are the words of the prediction above it,
  already read, and locking a letter in is part of the panel's task;
* **the core** is every cell before the first heading that contains "Going further"; the further
  reading list is never part of it.

A notebook states its running section timings in a line right under each level-2 heading of its core:
``*Time: about 6 min (running total 14 of 45 min).*`` (:func:`timing_line`); ``tools/lesson_time.py``
writes those lines and checks them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .series import source_text

WORDS_PER_MIN = 150
TASK_MIN = 3
MAX_LESSON_MIN = 50
GOING_FURTHER = re.compile(r"^#{1,4} .*Going further", re.M)
TIMING = re.compile(r"^\*Time: about (\d+) min \(running total (\d+) of (\d+) min\)\.\*$", re.M)
STATED = re.compile(r"\*\*Time needed:\*\* about (\d+) minutes")


def words(markdown: str) -> int:
    """Words a reader reads in a Markdown text (link targets, tags, LaTeX commands and timing lines out)."""
    text = TIMING.sub(" ", markdown)
    text = re.sub(r"<details>.*?</details>", " ", text, flags=re.S)  # folded: read as part of a task
    text = re.sub(r"\]\([^)]*\)", "]", text)  # [label](target) -> label
    text = re.sub(r"<[^>]+>", " ", text)  # HTML tags
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"\\[a-zA-Z]+", " ", text)  # \frac, \text ...
    return len(re.findall(r"[A-Za-z0-9À-ÿ⁺⁻²³µ°%]+", text))


def tasks(markdown: str) -> int:
    """Interactive tasks in a Markdown text: 'Things to try' items, exercises (3 min each)."""
    n = 0
    for block in re.split(r"\*\*Things to try\.\*\*", markdown)[1:]:
        body = re.split(r"\n\s*\n(?!\d+\.|\s)", block, maxsplit=1)[0]
        items = re.findall(r"^\d+\. ", body, flags=re.M)
        n += max(1, len(items))
    n += len(re.findall(r"\*\*Exercise \d+", markdown))
    return n


@dataclass(frozen=True)
class Section:
    """One level-2 section of a notebook's core: its heading, words, tasks and minutes."""

    heading: str
    words: int
    tasks: int

    @property
    def minutes(self) -> float:
        return self.words / WORDS_PER_MIN + TASK_MIN * self.tasks


def _cell_parts(cell) -> tuple[str, str, int]:
    """(Markdown to split into sections, read-only output text, quiz tasks) of one cell."""
    if cell["cell_type"] == "markdown":
        return source_text(cell["source"]), "", 0
    if "quiz.predict(" in source_text(cell["source"]):
        return "", "", 0
    out = []
    for o in cell.get("outputs", []):
        if "text" in o:
            out.append(source_text(o["text"]))
        data = o.get("data", {})
        if "text/markdown" in data:
            out.append(source_text(data["text/markdown"]))
    return "", "\n".join(out), int("quiz.show(" in source_text(cell["source"]))


def core_cells(nb) -> list:
    """The cells of the core: before the first 'Going further' heading, without solutions and reading."""
    cells = nb["cells"] if isinstance(nb, dict) else nb.cells
    core = []
    for c in cells:
        if c["cell_type"] == "markdown" and GOING_FURTHER.search(source_text(c["source"])):
            break
        tags = c.get("metadata", {}).get("tags", [])
        if "solution" in tags or "further-reading" in tags:
            continue
        core.append(c)
    return core


def sections(nb) -> list[Section]:
    """The core split at its level-2 headings ('' for the part before the first one)."""
    parts: list[list] = [["", 0, 0]]
    for c in core_cells(nb):
        md, out, quiz = _cell_parts(c)
        chunks = re.split(r"^(## .+)$", md, flags=re.M)
        first, rest = chunks[0], chunks[1:]
        parts[-1][1] += words(first)
        parts[-1][2] += tasks(first)
        for heading, body in zip(rest[0::2], rest[1::2], strict=True):
            parts.append([heading[3:].strip(), words(body), tasks(body)])
        parts[-1][1] += words(out)
        parts[-1][2] += tasks(out) + quiz
    return [Section(h, w, t) for h, w, t in parts]


def core_minutes(nb) -> float:
    """Reading plus task time of the core, minutes."""
    return sum(s.minutes for s in sections(nb))


def stated_minutes(nb) -> int | None:
    """The 'Time needed: about N minutes' of the first cell."""
    cells = nb["cells"] if isinstance(nb, dict) else nb.cells
    m = STATED.search(source_text(cells[0]["source"]))
    return int(m.group(1)) if m else None


def running_timings(nb) -> list[tuple[str, int, int]]:
    """(heading, minutes of the section, running total) for every level-2 section of the core; the
    opening part (title, objectives) counts towards the first section's running total."""
    secs = sections(nb)
    out, total = [], secs[0].minutes
    for s in secs[1:]:
        total += s.minutes
        out.append((s.heading, max(1, round(s.minutes)), round(total)))
    return out


def timing_line(section_min: int, running_min: int, stated_min: int) -> str:
    """'*Time: about 6 min (running total 14 of 45 min).*'"""
    return f"*Time: about {section_min} min (running total {running_min} of {stated_min} min).*"

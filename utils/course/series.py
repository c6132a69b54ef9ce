"""The notebook series as data: file, title, the question each notebook answers, its time.

One list (:data:`SERIES`) feeds the map in notebook 00, the glossary's "taught in" links, the
teacher's guide and the tests that keep them in step with the notebooks themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..resources import SOURCE_ROOT, repository_url
from ..validation import UnknownKeyError, show

ROOT = SOURCE_ROOT or Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"


def source_text(value) -> str:
    """A text field of notebook JSON (a cell's ``source``, an output's ``text``) as one string:
    nbformat stores it either as a string or as a list of lines; None reads as "".

    >>> source_text(["# Title\\n", "text"]), source_text("one"), source_text(None)
    ('# Title\\ntext', 'one', '')
    """
    return "".join(value) if isinstance(value, list) else (value or "")


@dataclass(frozen=True)
class Notebook:
    """One notebook of the series (``minutes`` is the time its first cell states)."""

    filename: str
    title: str
    question: str
    minutes: int

    @property
    def number(self) -> str:
        return self.filename[:2]

    @property
    def stem(self) -> str:
        return self.filename.removesuffix(".ipynb")

    @property
    def label(self) -> str:
        """'03 · The action potential'."""
        return f"{self.number} · {self.title}"


SERIES = (
    Notebook(
        "00_start_here.ipynb",
        "Start here",
        "What will I learn, how do I use the sliders, when should a twitch worry me?",
        30,
    ),
    Notebook(
        "01_twitch_spasm_cramp.ipynb",
        "Twitch, spasm, cramp",
        "What is the difference between a twitch, a spasm and a cramp, in force and in firing?",
        45,
    ),
    Notebook(
        "02_resting_membrane.ipynb",
        "The resting membrane",
        "Why is the inside of a cell negative, and what does blood potassium do to it?",
        30,
    ),
    Notebook(
        "03_action_potential.ipynb",
        "The action potential",
        "How does a nerve fire, and why is it all-or-none?",
        45,
    ),
    Notebook(
        "04_nerve_to_muscle.ipynb", "From nerve to muscle", "How does a spike become a contraction?", 50
    ),
    Notebook(
        "05_electrolytes.ipynb",
        "Electrolytes and excitability",
        "Why do low calcium or odd potassium make muscles misbehave?",
        50,
    ),
    Notebook(
        "06_why_muscles_twitch.ipynb",
        "Why muscles twitch",
        "Which causes are harmless, which are not, and what do doctors check?",
        50,
    ),
)

BY_FILENAME = {nb.filename: nb for nb in SERIES}


def get(filename: str) -> Notebook:
    """The series entry of ``filename`` (e.g. '03_action_potential.ipynb').

    An unknown name raises :class:`~utils.validation.UnknownKeyError` (a ``ParameterError`` and a
    ``KeyError``) listing the notebooks of the series."""
    if not isinstance(filename, str) or filename not in BY_FILENAME:
        raise UnknownKeyError(
            f"filename = {show(filename)} is not a notebook of the series; known: {sorted(BY_FILENAME)}"
        )
    return BY_FILENAME[filename]


def binder_url(filename: str) -> str:
    """Binder launch link of one notebook (repository from pyproject.toml)."""
    repo = repository_url().removeprefix("https://github.com/").rstrip("/")
    return f"https://mybinder.org/v2/gh/{repo}/HEAD?labpath={quote('notebooks/' + filename, safe='')}"


def map_markdown(link_prefix: str = "", binder: bool = False) -> str:
    """The map of the series as a Markdown table (links relative to ``link_prefix``)."""
    head = "| # | notebook | the question it answers | time |"
    rule = "|---|---|---|---|"
    if binder:
        head, rule = head + " Binder |", rule + "---|"
    lines = [head, rule]
    for nb in SERIES:
        cells = [nb.number, f"[{nb.title}]({link_prefix}{nb.filename})", nb.question, f"{nb.minutes} min"]
        if binder:
            cells.append(f"[launch]({binder_url(nb.filename)})")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)

"""No block of six or more code lines is repeated inside ``utils/`` (issue 13).

A "code line" is a source line with something other than a comment on it; its white space is folded
(leading indentation dropped, inner runs of spaces and tabs made one), so a block copied at another
depth still counts. Blank and comment-only lines are skipped, so a copy cannot hide behind a comment.
The scan reads text with the standard library's ``tokenize``; nothing is imported or run.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

import utils

ROOT = Path(utils.__file__).parent
MIN_LINES = 6
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Repeat:
    """One run of ``length`` code lines that stands at two places (path, first line)."""

    first: tuple[str, int]
    second: tuple[str, int]
    length: int

    def __str__(self) -> str:
        (a, la), (b, lb) = self.first, self.second
        return f"{self.length} code lines repeated: {a}:{la} and {b}:{lb}"


def code_lines(source: str) -> list[tuple[int, str]]:
    """(line number, white-space-folded text without its comment) of every line that holds code.

    Import statements are passed over too: two modules that import the same names do not repeat logic.
    """
    has_code: set[int] = set()
    imports: set[int] = set()
    comment_at: dict[int, int] = {}  # line -> column where its trailing comment starts
    layout = {tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}
    statement_start = None  # the first token of the logical line being read
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            comment_at[tok.start[0]] = tok.start[1]
        elif tok.type == tokenize.NEWLINE:
            if statement_start is not None and statement_start.string in ("import", "from"):
                imports.update(range(statement_start.start[0], tok.end[0] + 1))
            statement_start = None
        elif tok.type not in layout:
            statement_start = statement_start or tok
            has_code.update(range(tok.start[0], tok.end[0] + 1))
    lines = source.splitlines()
    folded = (
        (n, _SPACE.sub(" ", lines[n - 1][: comment_at.get(n)]).strip()) for n in sorted(has_code - imports)
    )
    return [(n, text) for n, text in folded if text]  # (a blank line inside a docstring is still blank)


def find_repeats(files: dict[str, str], min_lines: int = MIN_LINES) -> list[Repeat]:
    """Every maximal run of at least ``min_lines`` code lines that appears twice ({name: source}).

    Each run is reported once, at its first two places; a run inside a longer reported run is not
    reported again.
    """
    lines = {name: code_lines(src) for name, src in files.items()}
    places = defaultdict(list)  # window of min_lines texts -> [(name, index in that file's code lines)]
    for name, rows in lines.items():
        texts = [t for _, t in rows]
        for i in range(len(texts) - min_lines + 1):
            places[tuple(texts[i : i + min_lines])].append((name, i))
    seen: set[tuple[str, int, str, int]] = set()
    out = []
    for spots in places.values():
        if len(spots) < 2:
            continue
        (a, i), (b, j) = spots[0], spots[1]
        if (a, i, b, j) in seen:
            continue
        ra, rb = lines[a], lines[b]
        k = 0  # extend the run forwards as far as the two places agree
        while i + k < len(ra) and j + k < len(rb) and ra[i + k][1] == rb[j + k][1] and (a, i + k) != (b, j):
            seen.add((a, i + k, b, j + k))
            k += 1
        out.append(Repeat((a, ra[i][0]), (b, rb[j][0]), k))
    return sorted(out, key=lambda r: (r.first, r.second))


def utils_sources() -> dict[str, str]:
    return {
        str(p.relative_to(ROOT.parent)): p.read_text(encoding="utf-8")
        for p in sorted(ROOT.rglob("*.py"))
        if "__pycache__" not in p.parts
    }


ORIGINAL = """\
def f(weight):
    total = 0
    total = total + 1 * weight  # one
    total = total + 2 * weight
    total = total * weight
    total = total - 3
    total = abs(total)
    total = total + len(str(total))
    return total
"""
# the same six lines at another depth, with other comments, a comment line and a blank line inside
PLANTED = """\
class C:
    def g(self, weight):
        total = 1
        total = total + 1 * weight
        total   = total + 2 * weight  # two

        # a comment line does not hide the copy
        total = total * weight
        total = total - 3
        total = abs(total)
        total = total + len(str(total))  # six
        return -total
"""


def test_scanner_catches_a_planted_repeat():
    found = find_repeats({"a.py": ORIGINAL, "b.py": PLANTED})
    assert [str(r) for r in found] == ["6 code lines repeated: a.py:3 and b.py:4"]
    assert find_repeats({"a.py": ORIGINAL, "b.py": PLANTED.replace("abs(total)", "-total")}) == []


def test_scanner_passes_over_imports():
    imports = "from __future__ import annotations\n" + "\n".join(f"import mod{k}" for k in range(6))
    one = imports + "\nfrom pkg import (\n    a,\n    b,\n)\nx = 1\n"
    assert find_repeats({"a.py": one, "b.py": one.replace("x = 1", "y = 2")}) == []


def test_scanner_passes_blocks_that_differ_or_are_short():
    five = "\n".join(f"x{k} = {k}" for k in range(5))
    different = "\n".join(f"y{k} = {k}" for k in range(6))
    assert find_repeats({"a.py": five, "b.py": five, "c.py": different}) == []


def test_scanner_catches_a_repeat_inside_one_file():
    block = "\n".join(f"a{k} = b{k} + 1" for k in range(7))
    found = find_repeats({"m.py": f"{block}\nseparator = 0\n{block}\n"})
    assert [str(r) for r in found] == ["7 code lines repeated: m.py:1 and m.py:9"]


#: Modules being reworked on other branches (issue 13 round): their repeats are removed there.
REWORKED_ELSEWHERE = frozenset(f"utils/models/{m}.py" for m in ("hh", "axon", "fibre", "syndromes"))


def test_no_block_is_repeated_outside_the_modules_reworked_elsewhere():
    repeats = [
        r for r in find_repeats(utils_sources()) if not {r.first[0], r.second[0]} <= REWORKED_ELSEWHERE
    ]
    assert not repeats, "\n".join(map(str, repeats))


@pytest.mark.xfail(
    strict=False,
    reason="repeats remain inside utils/models/hh.py, axon.py, fibre.py and syndromes.py, "
    "which other branches are reworking; remove this marker once they are merged",
)
def test_no_block_of_six_code_lines_is_repeated_in_utils():
    repeats = find_repeats(utils_sources())
    assert not repeats, "\n".join(map(str, repeats))

"""High potassium never reads as tetany anywhere in the series (issue 15).

In people, raised K⁺ depolarises muscle fibres, inactivates their Na⁺ channels and causes
weakness or flaccid paralysis; its danger is the heart. Tetany comes from overexcitable nerves,
classically in low ionised calcium. This test scans every text the reader sees: the notebooks
(Markdown, code and stored text outputs), the quizzes, the data tables, the teacher's guide and
the glossary, sentence by sentence (a CSV row is split into sentences too). A sentence fails when
it mentions tetany together with high potassium and does not negate the link ("not", "never",
"no", "rather than", "instead of", ...).
"""

import csv
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

HIGH_K = re.compile(
    r"hyperkal\w*"
    r"|\b(?:high|higher|raised|rising|elevated|increased|excess)\s+(?:serum\s+|blood\s+|extracellular\s+)?"
    r"(?:potassium|k⁺|k\+|\[k⁺\]o?|\[k\+\]o?)"
    r"|(?:potassium|k⁺|k\+)\s+(?:is\s+|was\s+)?(?:rises|rose|raised|high|elevated|goes\s+up)",
    re.IGNORECASE,
)
TETANY = re.compile(r"\btetan(?:y|ies)\b", re.IGNORECASE)  # not 'tetanic force' (a tetanus)
NEGATION = re.compile(
    r"\b(?:not|never|no|nor|none|neither|cannot|isn't|doesn't|don't|rather\s+than|instead\s+of|unlike)\b",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
TAG = re.compile(r"<[^>]+>")


def _units(text: str):
    """Paragraphs, with wrapped lines joined; table rows, list items and headings alone."""
    for para in re.split(r"\n\s*\n", TAG.sub(" ", text)):
        block = []
        for line in para.splitlines():
            if re.match(r"\s*(?:\||[-*+] |\d+\. |#)", line):
                if block:
                    yield " ".join(block)
                    block = []
                yield line
            else:
                block.append(line)
        if block:
            yield " ".join(block)


def sentences(text: str):
    """Sentences of a text (a table row counts as one sentence)."""
    for unit in _units(text):
        for s in [unit] if unit.lstrip().startswith("|") else SENTENCE_END.split(unit):
            s = " ".join(s.split())
            if s:
                yield s


def offending(text: str) -> list[str]:
    """Sentences that link tetany with high potassium without negating it."""
    return [s for s in sentences(text) if TETANY.search(s) and HIGH_K.search(s) and not NEGATION.search(s)]


def _notebook_texts(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        yield f"{path.name} cell {i}", "".join(cell.get("source", ""))
        for out in cell.get("outputs", []):
            text = out.get("text", "")
            yield f"{path.name} cell {i} output", "".join(text) if isinstance(text, list) else text
            for mime in ("text/plain", "text/html", "text/markdown"):
                data = out.get("data", {}).get(mime)
                if data:
                    yield f"{path.name} cell {i} {mime}", "".join(data) if isinstance(data, list) else data


def _json_strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _json_strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _json_strings(v)


def texts():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        yield from _notebook_texts(path)
    for path in sorted((ROOT / "notebooks" / "quizzes").glob("*.json")):
        for j, s in enumerate(_json_strings(json.loads(path.read_text(encoding="utf-8")))):
            yield f"{path.name} string {j}", s
    for path in sorted((ROOT / "data").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            for j, row in enumerate(csv.reader(fh)):
                yield f"{path.name} row {j + 1}", " . ".join(row)
    for path in sorted((ROOT / "docs").rglob("*.md")):
        yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def test_the_scan_finds_what_it_must():
    assert offending("Hyperkalaemia causes tetany.")
    assert offending("With raised potassium the muscle goes into tetany and spasm.")
    assert offending("| 7.0 | high K⁺ | tetany: involuntary twitches |")
    assert offending("When K⁺ rises above 6 mmol/L the nerve fires on its own: tetany.")
    assert not offending("High potassium causes weakness, not tetany.")
    assert not offending("Abnormal potassium causes weakness; it does not cause tetany.")
    assert not offending("Low calcium causes tetany. High potassium causes weakness.")
    assert not offending("Tetany comes from low calcium.")


def test_the_scan_covers_the_series():
    names = {where.split()[0] for where, _ in texts()}
    for must in ("05_electrolytes.ipynb", "glossary.ipynb", "05_electrolytes.json", "terms.csv"):
        assert must in names, must
    assert any(n.startswith("docs/") for n in names)


def test_high_potassium_never_reads_as_tetany():
    bad = [f"{where}: {s}" for where, text in texts() for s in offending(text)]
    if bad:
        pytest.fail("high potassium linked with tetany:\n" + "\n".join(bad))

"""No notebook applies the squid axon to a human clinical question without saying so (issue 16).

Notebooks 04–06 and their quizzes are the clinical part of the series. Wherever a code cell runs
the 1952 squid membrane (``utils.hh`` and what is built on it: the nerve of
``electrolytes.consequences``, the squid syndromes of ``utils.syndromes``), the cell or the
Markdown cell just before or after it must say "squid" (the series labels it "the squid axon at
6.3 °C"). Wherever a quiz question speaks of "the model nerve" or "the model axon", it must say
which model: the squid (at 6.3 °C) or the human axon (at 37 °C).
"""

import json
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0[4-6]_*.ipynb"))
QUIZZES = sorted((ROOT / "notebooks" / "quizzes").glob("0[4-6]_*.json"))

#: Calls that run the squid membrane (the human-axon functions end in ``_axon`` or start with
#: ``axon_``, ``human_`` or ``distal_`` and are not matched).
SQUID_CALL = re.compile(
    r"\bhh\.(simulate|threshold_pulse|rheobase|fi_curve|refractory|eigenvalues|HHParams|resting_state)"
    r"|\belectrolytes\.consequences\b"
    r"|\bsyndromes\.(simulate_neuromyotonia|simulate_tetany|near_threshold_noise|after_discharge_\w+"
    r"|spontaneous_\w+|tetany_onsets|tetany_params|standard_pulse_spikes)\b(?!_axon)"
    r"|\belectrolyte_widgets\.block_comparison_figure\b"
)
LABEL = re.compile(r"squid", re.IGNORECASE)
MODEL_WORDS = re.compile(r"\bmodel (nerve|axon)s?\b|\bnerve model\b", re.IGNORECASE)
WHICH_MODEL = re.compile(r"squid|human axon|37 °C|6\.3 °C", re.IGNORECASE)


def squid_cells_without_label(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    cells = nb.cells
    missing = []
    for i, c in enumerate(cells):
        if c.cell_type != "code" or not SQUID_CALL.search(c.source):
            continue
        near = [c.source]
        for j in (i - 1, i + 1):
            if 0 <= j < len(cells) and cells[j].cell_type == "markdown":
                near.append(cells[j].source)
        if not any(LABEL.search(t) for t in near):
            missing.append(f"{path.name} cell {c.get('id', i)}: {SQUID_CALL.search(c.source).group(0)}")
    return missing


def test_the_scan_finds_an_unlabelled_squid_cell(tmp_path):
    """The rule can fail: a bare hh.simulate cell between two unlabelled texts is reported."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("Low calcium makes nerves fire."),
        nbformat.v4.new_code_cell("r = hh.simulate(None, 10.0)"),
        nbformat.v4.new_markdown_cell("The nerve fires."),
    ]
    p = tmp_path / "05_x.ipynb"
    nbformat.write(nb, p)
    assert squid_cells_without_label(p) == ["05_x.ipynb cell " + nb.cells[1].id + ": hh.simulate"]
    nb.cells[2].source = "The squid axon at 6.3 °C fires."
    nbformat.write(nb, p)
    assert squid_cells_without_label(p) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_squid_use_is_labelled_in_clinical_notebooks(path):
    assert squid_cells_without_label(path) == []


def _texts(q) -> list[str]:
    out = [q.get("prompt", ""), q.get("feedback_correct", ""), q.get("feedback_wrong", "")]
    for o in q.get("options", []):
        out += [o.get("text", ""), o.get("feedback", "")]
    return [t for t in out if t]


@pytest.mark.parametrize("path", QUIZZES, ids=lambda p: p.name)
def test_quiz_questions_say_which_model_nerve(path):
    bad = []
    for k, q in enumerate(json.loads(path.read_text(encoding="utf-8"))):
        texts = _texts(q)
        if any(MODEL_WORDS.search(t) for t in texts) and not any(WHICH_MODEL.search(t) for t in texts):
            bad.append(f"question {k + 1}: {q.get('prompt', '')[:80]}")
    assert bad == []

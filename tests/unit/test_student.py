"""tools/student.py: the student copy has every notebook, no solutions, and nothing else changed."""

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "notebooks"
sys.path.insert(0, str(ROOT / "tools"))

import student  # noqa: E402


@pytest.fixture(scope="module")
def copy_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    res = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "student.py"), "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert "notebooks written" in res.stdout
    return out


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def test_same_notebooks_and_quizzes(copy_dir):
    assert sorted(p.name for p in copy_dir.glob("*.ipynb")) == sorted(p.name for p in SRC.glob("*.ipynb"))
    assert "glossary.ipynb" in {p.name for p in copy_dir.glob("*.ipynb")}
    assert sorted(p.name for p in (copy_dir / "quizzes").glob("*.json")) == sorted(
        p.name for p in (SRC / "quizzes").glob("*.json")
    )
    for q in (SRC / "quizzes").glob("*.json"):
        assert (copy_dir / "quizzes" / q.name).read_bytes() == q.read_bytes()


def test_no_solution_is_left_and_everything_else_is_identical(copy_dir):
    n_removed = 0
    for src in sorted(SRC.glob("*.ipynb")):
        orig = nbformat.read(src, as_version=4)
        stud = nbformat.read(copy_dir / src.name, as_version=4)
        nbformat.validate(stud)
        assert len(stud.cells) == len(orig.cells), src.name
        assert stud.metadata == orig.metadata
        for o, s in zip(orig.cells, stud.cells):
            assert "solution" not in _tags(s)
            if "solution" in _tags(o):
                n_removed += 1
                assert "<details>" not in s.source and "</details>" not in s.source
                assert student.REMOVED in s.source
                assert "solution-removed" in _tags(s)
                assert s.get("id") == o.get("id")
            else:
                assert s == o, f"{src.name}: cell {o.get('id')} changed"
    numbered = list(SRC.glob("[0-9][0-9]_*.ipynb"))
    assert n_removed >= 2 * len(numbered), "every numbered notebook has at least two solutions"


def test_exercise_text_sharing_a_cell_with_its_solution_is_kept():
    cell = nbformat.v4.new_markdown_cell(
        "**Exercise 3.** Compare A and B.\n\n<details>\n<summary>Solution</summary>\n\nA is B.\n</details>",
        metadata={"tags": ["solution"]},
    )
    new = student.strip_cell(cell)
    assert new.source.startswith("**Exercise 3.** Compare A and B.")
    assert "A is B" not in new.source and student.REMOVED in new.source


def test_source_notebooks_are_not_touched(tmp_path):
    before = {p.name: p.read_bytes() for p in SRC.glob("*.ipynb")}
    student.write_student_copy(tmp_path / "s")
    assert before == {p.name: p.read_bytes() for p in SRC.glob("*.ipynb")}
    with pytest.raises(ValueError, match="overwrite"):
        student.write_student_copy(SRC)

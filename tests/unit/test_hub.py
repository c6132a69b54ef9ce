"""The school-hub kit (docs/hub): nbgitpuller links, the student branch and the image recipe."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
HUB = "https://hub.example.org"
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))


def make_links(*extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "links", *extra, f"PYTHON={sys.executable}"],
        capture_output=True,
        text=True,
        timeout=60,
    )


def parsed(stdout: str) -> dict[str, tuple[str, dict]]:
    out = {}
    for line in stdout.strip().splitlines():
        name, url = line.split("\t")
        parts = urlsplit(url)
        out[name] = (
            f"{parts.scheme}://{parts.netloc}{parts.path}",
            parse_qs(parts.query, strict_parsing=True),
        )
    return out


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_links_prints_one_lab_link_per_notebook():
    proc = make_links(f"HUB={HUB}/")
    assert proc.returncode == 0, proc.stderr
    links = parsed(proc.stdout)
    assert sorted(links) == NOTEBOOKS
    from utils import resources

    for name, (base, q) in links.items():
        assert base == f"{HUB}/hub/user-redirect/git-pull"
        assert q["repo"] == [resources.repository_url()]
        assert q["branch"] == ["student"]
        assert q["targetpath"] == ["why-muscles-twitch"]
        assert q["urlpath"] == [f"lab/tree/why-muscles-twitch/{name}"]  # the student branch is flat
    line = proc.stdout.splitlines()[0]
    assert re.fullmatch(r"\S+\.ipynb\thttps://\S+", line), "one 'file<TAB>link' per line, nothing else"
    assert "%2F" in line.split("\t")[1] and " " not in line.split("\t")[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_links_for_main_opens_the_notebooks_folder_and_needs_a_hub():
    proc = make_links(f"HUB={HUB}", "BRANCH=main")
    q = parsed(proc.stdout)["02_resting_membrane.ipynb"][1]
    assert q["branch"] == ["main"]
    assert q["urlpath"] == ["lab/tree/why-muscles-twitch/notebooks/02_resting_membrane.ipynb"]
    missing = make_links()
    assert missing.returncode != 0 and "usage: make links HUB=" in missing.stdout
    bad = make_links("HUB=hub.example.org")
    assert bad.returncode != 0 and "must be a URL" in bad.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_student_branch_commits_build_student_as_its_top_level(tmp_path):
    repo = tmp_path / "repo"
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@e"

    def git(*args):
        return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)

    repo.mkdir()
    git("init", "-q", "-b", "main")
    (repo / "README.md").write_text("x\n")
    git("add", "README.md")
    git("commit", "-qm", "first")
    student = repo / "build" / "student"
    (student / "quizzes").mkdir(parents=True)
    (student / "00_start_here.ipynb").write_text("{}\n")
    (student / "quizzes" / "00_start_here.json").write_text("[]\n")
    script = str(ROOT / "tools" / "student_branch.sh")
    for _ in range(2):
        proc = subprocess.run(["bash", script], cwd=repo, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
    assert "up to date" in proc.stdout
    files = git("ls-tree", "-r", "--name-only", "student").stdout.split()
    assert files == ["00_start_here.ipynb", "quizzes/00_start_here.json"]
    assert git("rev-parse", "--abbrev-ref", "HEAD").stdout.strip() == "main"
    assert git("status", "--porcelain").stdout.strip() == "?? build/"
    assert git("rev-list", "--count", "student").stdout.strip() == "1"


def test_dockerfile_runtime_only_warm_and_shared_caches():
    text = (ROOT / "docs" / "hub" / "Dockerfile").read_text()
    assert re.search(r"^FROM quay\.io/jupyter/[\w-]+-notebook:", text, re.M)
    for needed in (
        "TWITCH_DATA_DIR=",
        "NUMBA_CACHE_DIR=",
        "NUMBA_CPU_NAME=generic",
        "python -m utils.figures.server install",
        "python -m utils.course.warm",
        "--constraint /tmp/why-muscles-twitch/requirements.txt",
        "COPY --from=recordings",
        "chmod -R a-w",
        "nbgitpuller",
    ):
        assert needed in text, needed
    for test_tool in ("neuron", "playwright", "pytest", "hypothesis", "nbval", "ruff"):
        assert not re.search(rf"\b{test_tool}\b", text.split("RUN pip install", 1)[1].split("&&")[0])
    assert "-e " not in text, "the hub image installs the package non-editable (its data inside)"

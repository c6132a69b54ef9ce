"""Printable worksheets, one page per numbered notebook (``make worksheets``).

    python tools/worksheets.py                      # build/worksheets/<notebook>.html and .pdf, and index.html
    python tools/worksheets.py --out DIR --no-pdf   # HTML only

Each worksheet is generated from the notebook's own cells and its quiz file (utils/course/worksheet.py):
title, objectives, the prediction before every panel, the "Things to try" with blank lines for answers (no
explanations) and the quiz questions without answers or feedback, so it never drifts from the lesson. The
PDF is printed by headless Chromium (the browser the browser tests use; no other dependency). Without
Chromium only the HTML is built, and the script says so.
"""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import nbformat  # noqa: E402
from present import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (tools/: the project's one Chromium and its switches)

from utils.course import quiz, worksheet  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def chromium() -> str | None:
    """The Chromium to print with: $TWITCH_CHROMIUM (else /usr/bin/chromium), or one on PATH."""
    for candidate in (CHROMIUM, *CHROMIUM_NAMES):
        if candidate and (Path(candidate).is_file() or shutil.which(candidate)):
            return shutil.which(candidate) or candidate
    return None


def build_html(nb_path: Path, out_dir: Path) -> Path:
    cells = nbformat.read(nb_path, as_version=4).cells
    page = out_dir / f"{nb_path.stem}.html"
    quizzes = {name: quiz.load(name) for name in worksheet.quiz_names(cells)}
    page.write_text(worksheet.worksheet_html(cells, quizzes), encoding="utf-8")
    return page


def print_pdf(browser: str, page: Path, timeout_s: float = 120) -> Path:
    """Print ``page`` to a PDF beside it with headless Chromium (A4, no header or footer)."""
    pdf = page.with_suffix(".pdf")
    args = [
        browser,
        *CHROMIUM_ARGS,
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        page.resolve().as_uri(),
    ]
    subprocess.run(args, check=True, capture_output=True, timeout=timeout_s)
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise RuntimeError(f"Chromium wrote no PDF for {page}")
    return pdf


def build_index(pages: list[Path], out_dir: Path, with_pdf: bool) -> Path:
    rows = []
    for p in pages:
        title = worksheet.title(
            nbformat.read(ROOT / "notebooks" / f"{p.stem}.ipynb", as_version=4).cells[0].source
        )
        pdf = f" · <a href='{p.stem}.pdf'>PDF</a>" if with_pdf else ""
        rows.append(f"<li><a href='{p.name}'>{html.escape(title)}</a>{pdf}</li>")
    index = out_dir / "index.html"
    index.write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Worksheets</title></head><body>"
        "<h1>Why Muscles Twitch: worksheets</h1><p>One printable page per notebook: objectives, predictions, "
        "things to try with space for answers, and the self-check without answers.</p><ul>"
        + "".join(rows)
        + "</ul></body></html>",
        encoding="utf-8",
    )
    return index


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "worksheets")
    ap.add_argument("--no-pdf", action="store_true", help="build the HTML pages only")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    pages = [build_html(nb, args.out) for nb in NOTEBOOKS]
    browser = None if args.no_pdf else chromium()
    if browser:
        for page in pages:
            print_pdf(browser, page)
    elif not args.no_pdf:
        print("Chromium not found (run `make browser`): built the HTML worksheets only, no PDF.")
    build_index(pages, args.out, with_pdf=bool(browser))
    kind = "HTML and PDF" if browser else "HTML"
    print(f"{len(pages)} worksheets ({kind}) in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

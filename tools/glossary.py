"""Write notebooks/glossary.ipynb from data/terms.csv (or check that it is up to date).

    python tools/glossary.py            # write the glossary notebook
    python tools/glossary.py --check    # exit 1 if the committed notebook differs

The notebook is plain Markdown (no code to run), tidied like every notebook of the series
(Binder link, further-reading list rebuilt from data/references.json).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

GLOSSARY = ROOT / "notebooks" / "glossary.ipynb"


def render(path: Path = GLOSSARY) -> str:
    """The glossary notebook's text, exactly as it is written to disk."""
    import nbtidy

    from utils import glossary

    nb = glossary.notebook()
    nbtidy.tidy(nb, path)
    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--check", action="store_true", help="fail if the notebook is out of date")
    ap.add_argument("--out", type=Path, default=GLOSSARY, help="where to write (default: %(default)s)")
    args = ap.parse_args(argv)
    text = render(args.out)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        if current != text:
            print(f"{args.out} is out of date: run python tools/glossary.py")
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {args.out.stat().st_size / 1024:.1f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

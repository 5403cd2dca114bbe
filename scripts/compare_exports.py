"""Compare the visible text of two builds of the course, lesson by lesson and format by format.

    python scripts/compare_exports.py OLD_EXPORTS NEW_EXPORTS [--ignore-timing]

Use it around a refactor that must not change what teachers and students see: build the course before
and after (``solidarity-edu build --exports ...``), then compare. For every lesson/audience folder in
OLD it reads slides.html, worksheet.html and guide.html as a reader sees them (text outside scripts and
styles), the PDFs through ``pdftotext`` and the student notebook's Markdown cells, and prints a unified
diff for each file whose text differs. ``--ignore-timing`` leaves out facilitator timing sections
(the lesson plan's generated tables may be laid out differently). Exits 1 when anything differs.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

PAGES = ("slides.html", "worksheet.html", "guide.html")
PDFS = ("worksheet.pdf", "guide.pdf")


class _Text(HTMLParser):
    """The text of a page, one block per line, without scripts, styles or hidden elements."""

    BLOCKS = frozenset(
        {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "div", "figcaption", "aside", "br"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style", "template"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self.skip -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def page_text(path: Path) -> list[str]:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return _lines("".join(parser.parts))


def pdf_text(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    # Words only: line breaks move when a paragraph reflows.
    return [" ".join(out.split())]


def notebook_text(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    lines = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            lines += _lines(source)
    return lines


def _without_timing(lines: list[str]) -> list[str]:
    out = []
    skipping = False
    for line in lines:
        if line.startswith(("Timing", "**Timing")):
            skipping = True
            continue
        if skipping and (line.startswith("|") or re.match(r"^\d+ \S", line) or "minutes" in line.lower()):
            continue
        skipping = False
        out.append(line)
    return out


def compare(old: Path, new: Path, ignore_timing: bool) -> int:
    differences = 0
    for folder in sorted(p for p in old.glob("*/*") if p.is_dir() and p.parent.name[:2].isdigit()):
        rel = folder.relative_to(old)
        readers = [(name, page_text) for name in PAGES] + [(name, pdf_text) for name in PDFS]
        readers.append(("student.ipynb", notebook_text))
        for name, read in readers:
            a, b = folder / name, new / rel / name
            if not a.is_file():
                continue
            if not b.is_file():
                print(f"{rel}/{name}: missing in {new}")
                differences += 1
                continue
            left, right = read(a), read(b)
            if ignore_timing:
                left, right = _without_timing(left), _without_timing(right)
            if left != right:
                differences += 1
                diff = difflib.unified_diff(left, right, f"old/{rel}/{name}", f"new/{rel}/{name}", lineterm="", n=1)
                print("\n".join(list(diff)[:80]))
    print(f"{differences} file(s) differ", file=sys.stderr)
    return 1 if differences else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--ignore-timing", action="store_true", help="leave out facilitator timing sections")
    args = parser.parse_args()
    return compare(args.old, args.new, args.ignore_timing)


if __name__ == "__main__":
    sys.exit(main())

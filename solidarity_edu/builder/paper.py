"""The print filter's last word: a printed student page must hold no screen-only words.

The lesson linter catches screen words in the lesson's text before a build; this catches the rest (the
text of a chart, an event card or a definition that reaches paper), naming the file and the words.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from ..errors import BuildError
from ..printing import screen_words

# The pages a student holds on paper (each also printed to PDF).
PRINTED_FOR_STUDENTS = ("worksheet.html", "reading.html")
_STYLE_SCRIPT = re.compile(r"<(style|script)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def visible_text(page: str) -> str:
    """The words a reader sees on an HTML page: no styles, scripts or markup."""
    return html.unescape(_TAG.sub(" ", _STYLE_SCRIPT.sub(" ", page)))


def check_paper_text(page: str, where: Path) -> None:
    """Raise BuildError when the printed page ``where`` would show screen-only words."""
    found = screen_words(visible_text(page))
    if found:
        words = ", ".join(sorted({w.lower() for w in found}))
        raise BuildError(
            f"{where}: a printed page would say {words!r}, which means nothing on paper. Tag the cell that says it "
            "'screen-only', or say it in a print-neutral way (see solidarity_edu/printing.py); `solidarity-edu lint` "
            "names the cell when it is the lesson's own text"
        )

"""What paper never shows: words that only make sense on a screen.

A handout or a reader is photocopied and read with a pencil: "hover", "click the button" or "only you
see your answer" mean nothing there. The lint rule (:func:`solidarity_edu.lint.lint_lesson`) checks the
text a lesson prints, and the build checks every printed page it writes (:func:`screen_words`).

Say it in a print-neutral way ("each event's summary is in the event list") or tag the cell
``screen-only`` so it stays on screen.
"""

from __future__ import annotations

import re

# Screen-only words, as a teacher would search for them. Matched case-insensitively as whole words
# (and their plurals and -ing forms: "hovering", "clicks", "buttons").
SCREEN_WORDS = (
    "hover",
    "click",
    "menu",
    "slider",
    "button",
    "scroll",
    "widget",
    "kernel",
    "Shift+Enter",
    "only you see",
)
_PATTERN = re.compile(
    r"(?<![\w-])("
    + "|".join(
        re.escape(w).replace(r"\ ", r"\s+").replace(r"\+", r"\s*\+\s*") + r"(?:s|es|ing|ed)?" for w in SCREEN_WORDS
    )
    + r")(?![\w-])",
    re.IGNORECASE,
)


def screen_words(text: str) -> list[str]:
    """The screen-only words found in ``text``, in order, as written (empty when it is fit for paper)."""
    return [m.group(1) for m in _PATTERN.finditer(text)]

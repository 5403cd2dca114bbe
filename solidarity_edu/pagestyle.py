"""The look every page shares, in one place: colours, fonts, and the HTML escaper.

Worksheets, guides, slides, the index, the journal export, the circle's summary page, the printed forms
of activities and the charts all take their colours and fonts from here. Pages get them as CSS custom
properties (``root_css()``: ``var(--accent)`` and friends); Python code that writes HTML uses
:func:`escape` for every piece of text.
"""

from __future__ import annotations

import html
from typing import Any

# Colours (WCAG AA contrast on white is noted where it matters).
INK = "#1a1a1a"  # body text: 17:1
MUTED = "#555555"  # secondary text: 7.5:1
ACCENT = "#1f4e79"  # headings, links, chosen options (white on it: 9:1)
WHITE = "#ffffff"
RULE = "#8a8a8a"  # ruled writing lines and table rules on paper
LINE = "#c9c9c9"  # light borders
QUOTE_BG = "#f4f7fb"  # primary-source blocks
NOTE_BG = "#fff6db"  # content notes
NOTE_BORDER = "#e0c36a"
KEY_BG = "#e8f3ec"  # answer keys
FACILITATOR_BG = "#eef1f8"  # facilitator notes
GOOD = "#2e7d4f"
ALERT = "#8a1c1c"

# Okabe & Ito's palette for charts: distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

# Atkinson Hyperlegible (vendored, inlined into every page) was designed for low-vision readers;
# DejaVu and Noto cover every script the lessons use when it lacks a glyph. Its zero is slashed, which
# reads as "Ø" in prose ("5Ø minutes", "Lesson Ø1"), so digits come first from "SE Digits": the plain
# digits of a system sans (DIGITS_FONT_FACE, in every page's root_css()).
FONT_STACK = '"SE Digits", "Atkinson Hyperlegible", "DejaVu Sans", "Noto Sans", "Noto Sans CJK SC", sans-serif'
CHART_FONT = "SE Digits, Atkinson Hyperlegible, DejaVu Sans, sans-serif"
DIGITS_FONT_FACE = (
    "@font-face { font-family: 'SE Digits'; src: local('DejaVu Sans'), local('Noto Sans'), local('Arial'), "
    "local('Helvetica'); unicode-range: U+0030-0039; }"
)

_VARIABLES = {
    "ink": INK,
    "muted": MUTED,
    "accent": ACCENT,
    "white": WHITE,
    "rule": RULE,
    "line": LINE,
    "quote-bg": QUOTE_BG,
    "note-bg": NOTE_BG,
    "note-border": NOTE_BORDER,
    "key-bg": KEY_BG,
    "facilitator-bg": FACILITATOR_BG,
    "good": GOOD,
    "alert": ALERT,
    "font": FONT_STACK,
}


def root_css() -> str:
    """``:root { --ink: ...; ... }``: the tokens as CSS custom properties, for every page's stylesheet,
    after the plain-digits font face the font stack starts with."""
    body = " ".join(f"--{name}: {value};" for name, value in _VARIABLES.items())
    return f"{DIGITS_FONT_FACE}\n:root {{ {body} }}"


def escape(text: Any) -> str:
    """Text made safe to put in HTML, quotes included (for text and attribute values alike)."""
    return html.escape(str(text), quote=True)

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

# Pages in other languages get their own stack, chosen by the lang attribute of <html> (or of any element
# that says it is in that language), so English pages keep FONT_STACK exactly. Each stack starts with a
# font that draws every letter, digit and mark of its language, so no word is drawn in two fonts.
#
# Vietnamese: Atkinson Hyperlegible has no letters with two marks (ạ ầ ẫ ậ ắ ặ ệ ộ ợ ự ...), so a word
# like "Việt" would take its "ệ" from another font. Vietnamese pages are set wholly in Noto Sans
# (Debian's fonts-noto-core, made with Vietnamese in mind; plain digits, so no "SE Digits" either).
# DejaVu Sans, Segoe UI and Arial, all complete for Vietnamese, stand in on machines without it.
VI_FONT_STACK = '"Noto Sans", "DejaVu Sans", "Segoe UI", Arial, sans-serif'
# Traditional Chinese: a Traditional face, never the Simplified one's glyph variants (Noto Sans CJK TC,
# Debian's fonts-noto-cjk; its Latin letters and digits keep names and years in the same font).
# Microsoft JhengHei and PingFang TC are the Traditional faces of Windows and macOS.
ZH_HANT_FONT_STACK = '"Noto Sans CJK TC", "Microsoft JhengHei", "PingFang TC", "Noto Sans", "DejaVu Sans", sans-serif'
# Language tag (as :lang() matches it: the tag itself and longer tags that start with it) -> stack.
LANGUAGE_FONT_STACKS = {
    "vi": VI_FONT_STACK,
    "zh-Hant": ZH_HANT_FONT_STACK,
    "zh-TW": ZH_HANT_FONT_STACK,
    "zh-HK": ZH_HANT_FONT_STACK,
    "zh-MO": ZH_HANT_FONT_STACK,
}


def chart_font(language: str) -> str:
    """The font family of chart text (Vega's ``font``) for a page in ``language``: CHART_FONT in English,
    otherwise the language's own stack, so a chart's labels match the page around them."""
    stack = LANGUAGE_FONT_STACKS.get(language)
    return stack.replace('"', "") if stack else CHART_FONT


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


def language_font_css() -> str:
    """The CSS that gives a page (or a passage) in Vietnamese or Traditional Chinese its own font stack.

    ``--font`` is redefined on the page's root for ``<html lang="vi">``; an element inside a page that
    carries its own ``lang`` (a Vietnamese name in an English guide) takes that language's stack too.
    English pages match none of these rules, so they look exactly as before."""
    rules = []
    for stack in dict.fromkeys(LANGUAGE_FONT_STACKS.values()):
        tags = [tag for tag, chosen in LANGUAGE_FONT_STACKS.items() if chosen == stack]
        on_root = ", ".join(f":root:lang({tag})" for tag in tags)
        on_element = ", ".join(f"body [lang]:lang({tag})" for tag in tags)
        rules.append(f"{on_root} {{ --font: {stack}; }}\n{on_element} {{ --font: {stack}; font-family: {stack}; }}")
    return "\n".join(rules)


def root_css() -> str:
    """``:root { --ink: ...; ... }``: the tokens as CSS custom properties, for every page's stylesheet,
    after the plain-digits font face the font stack starts with, and followed by the font stacks of
    pages in other languages (:func:`language_font_css`)."""
    body = " ".join(f"--{name}: {value};" for name, value in _VARIABLES.items())
    return f"{DIGITS_FONT_FACE}\n:root {{ {body} }}\n{language_font_css()}"


def escape(text: Any) -> str:
    """Text made safe to put in HTML, quotes included (for text and attribute values alike)."""
    return html.escape(str(text), quote=True)

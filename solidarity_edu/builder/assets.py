"""The CSS, fonts and scripts that exports inline, read once per build from the package's assets/."""

from __future__ import annotations

import base64
import functools
from importlib import resources

_FONT_FILES = [
    # (file, weight, style, unicode-range) — ranges as published by @fontsource/atkinson-hyperlegible.
    ("atkinson-hyperlegible-latin-400-normal.woff2", 400, "normal", "latin"),
    ("atkinson-hyperlegible-latin-ext-400-normal.woff2", 400, "normal", "latin-ext"),
    ("atkinson-hyperlegible-latin-700-normal.woff2", 700, "normal", "latin"),
    ("atkinson-hyperlegible-latin-ext-700-normal.woff2", 700, "normal", "latin-ext"),
    ("atkinson-hyperlegible-latin-400-italic.woff2", 400, "italic", "latin"),
    ("atkinson-hyperlegible-latin-ext-400-italic.woff2", 400, "italic", "latin-ext"),
]
_RANGES = {
    "latin": "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,"
    "U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD",
    "latin-ext": "U+0100-02BA,U+02BD-02C5,U+02C7-02CC,U+02CE-02D7,U+02DD-02FF,U+0304,U+0308,U+0329,"
    "U+1D00-1DBF,U+1E00-1E9F,U+1EF2-1EFF,U+2020,U+20A0-20AB,U+20AD-20C0,U+2113,U+2C60-2C7F,U+A720-A7FF",
}


def _asset(*parts: str) -> resources.abc.Traversable:
    return resources.files("solidarity_edu.builder").joinpath("assets", *parts)


@functools.cache
def text(*parts: str) -> str:
    """An asset file as text, e.g. text('page.css') or text('vendor', 'reveal', 'reveal.js')."""
    return _asset(*parts).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def fonts_css() -> str:
    """@font-face rules with the font files inlined as data: URLs (no network, one file)."""
    rules = []
    for name, weight, style, subset in _FONT_FILES:
        data = base64.b64encode(_asset("vendor", "fonts", name).read_bytes()).decode("ascii")
        rules.append(
            "@font-face{font-family:'Atkinson Hyperlegible';font-display:block;"
            f"font-style:{style};font-weight:{weight};"
            f"src:url(data:font/woff2;base64,{data}) format('woff2');unicode-range:{_RANGES[subset]};}}"
        )
    return "\n".join(rules)

"""Check that a printed PDF draws every character it holds: no empty boxes ("tofu"), no missing letters.

When no font on the machine has a character, Chromium draws the font's ``.notdef`` glyph (an empty box,
or nothing) in its place. The PDF then still *looks* printed, so this module reads what was actually
drawn: every glyph shown on every page, the font it came from, and the text it stands for.

- :func:`missing_glyphs` lists the characters drawn as ``.notdef`` (or that no embedded font maps);
- :func:`check_glyphs` raises a :class:`~solidarity_edu.errors.BuildError` naming the file, the pages
  and the characters, and how to fix it;
- :func:`fonts_used` names the fonts a PDF embeds, and :func:`fonts_by_character` which of them drew
  each character (to check that a Vietnamese word is drawn in one font).

How the text is known: Chromium (Skia) writes each font with a ToUnicode map (glyph -> text), and puts
``/ActualText`` around glyphs whose text the map cannot give back (a ligature, a ``.notdef``). A
``.notdef`` with neither has no recoverable text: it is reported as U+FFFD with its page and font.
Only pypdf (a dependency already) is used, with the small content-stream tokenizer of
:mod:`solidarity_edu.builder.pdf_content`.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildError
from .pdf_content import Name, Operator, Tokens, text_string

log = logging.getLogger(__name__)

UNKNOWN = "\ufffd"  # stands for a .notdef glyph whose text the PDF does not say
_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")


@dataclass(frozen=True)
class Glyph:
    """One glyph drawn on a page: its font's name, glyph id, the text it stands for, and whether it
    is the font's ``.notdef`` (the box drawn for a character the font does not have)."""

    page: int  # 1-based
    font: str  # without the subset prefix: "NotoSans-Regular"
    gid: int | None  # None when the font does not say (simple fonts)
    text: str  # from the font's ToUnicode map ("" when it has none)
    notdef: bool
    actual_text: str | None  # the /ActualText of the marked span the glyph is in, if any


@dataclass(frozen=True)
class MissingGlyph:
    """A character a PDF does not draw: where, in which font, and the text just before it."""

    char: str
    page: int
    font: str
    before: str

    def describe(self) -> str:
        code = "unknown character" if self.char == UNKNOWN else f"U+{ord(self.char):04X} {self.char!r}"
        return f"{code} on page {self.page} (font {self.font}, after {self.before[-20:]!r})"


# --- fonts ---------------------------------------------------------------------------------------


def font_name(font: dict) -> str:
    """The name of a PDF font dictionary, without the subset prefix ("AAAAAA+DejaVuSans" -> "DejaVuSans").

    Type 3 fonts (Chromium draws OpenType CFF fonts such as Noto Sans CJK that way) have no /BaseFont:
    their descriptor's /FontName (or /FontFamily) names them."""
    name = font.get("/BaseFont")
    if name is None:
        descriptor = font.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        name = descriptor.get("/FontName") or descriptor.get("/FontFamily") or "unnamed Type 3 font"
    return _SUBSET_PREFIX.sub("", str(name).lstrip("/"))


def _unhex(digits: bytes) -> bytes:
    return bytes.fromhex(digits.decode("ascii"))


def _to_unicode(font: dict) -> dict[int, str]:
    """The font's ToUnicode map as {code: text} (bfchar and bfrange entries)."""
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    data = stream.get_object().get_data()
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[int(code, 16)] = _unhex(text).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, target in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block
        ):
            start, end = int(low, 16), int(high, 16)
            if target.startswith(b"["):
                for offset, text in enumerate(re.findall(rb"<([0-9A-Fa-f]*)>", target)):
                    mapping[start + offset] = _unhex(text).decode("utf-16-be", "replace")
                continue
            first = _unhex(target[1:-1])
            for offset in range(end - start + 1):
                value = int.from_bytes(first, "big") + offset
                mapping[start + offset] = value.to_bytes(len(first), "big").decode("utf-16-be", "replace")
    return mapping


class _FontReader:
    """Turns the bytes of a shown string into glyphs, for one font dictionary."""

    def __init__(self, font: dict) -> None:
        self.name = font_name(font)
        self.subtype = str(font.get("/Subtype"))
        self.unicode = _to_unicode(font)
        self.two_byte = self.subtype == "/Type0"  # Chromium writes Identity-H: one 2-byte code per glyph
        self.glyph_names: dict[int, str] = {}
        if self.subtype == "/Type3":
            encoding = font.get("/Encoding")
            encoding = encoding.get_object() if encoding is not None else {}
            code = 0
            for item in encoding.get("/Differences", []):
                if isinstance(item, int) or str(item).lstrip("-").isdigit():
                    code = int(item)
                else:
                    self.glyph_names[code] = str(item).lstrip("/")
                    code += 1

    def glyphs(self, data: bytes) -> Iterator[tuple[int | None, str, bool]]:
        """(glyph id, text, is .notdef) for each code in a shown string."""
        step = 2 if self.two_byte else 1
        for i in range(0, len(data) - step + 1, step):
            code = int.from_bytes(data[i : i + step], "big")
            if self.two_byte:  # Identity-H with an identity CIDToGIDMap: the code is the glyph id
                yield code, self.unicode.get(code, ""), code == 0
            elif self.subtype == "/Type3":
                name = self.glyph_names.get(code, ".notdef")
                gid = int(name[1:], 16) if re.fullmatch(r"g[0-9A-Fa-f]+", name) else None
                yield gid, self.unicode.get(code, ""), name == ".notdef" or gid == 0
            else:
                yield None, self.unicode.get(code, chr(code)), False


def _walk(content: bytes, resources: dict, page: int, seen: set[object]) -> Iterator[Glyph]:
    """Every glyph shown by one content stream, following form XObjects (each once per page)."""
    fonts = resources.get("/Font")
    fonts = fonts.get_object() if fonts is not None else {}
    xobjects = resources.get("/XObject")
    xobjects = xobjects.get_object() if xobjects is not None else {}
    readers: dict[str, _FontReader] = {}
    current: _FontReader | None = None
    spans: list[str | None] = []  # the marked-content stack: the /ActualText of each open span, or None
    operands: list[object] = []

    def show(data: bytes) -> Iterator[Glyph]:
        if current is None:
            return
        actual = next((text for text in reversed(spans) if text is not None), None)
        for gid, text, notdef in current.glyphs(data):
            yield Glyph(page, current.name, gid, text, notdef, actual)

    for token in Tokens(content):
        if not isinstance(token, Operator):
            operands.append(token)
            continue
        op = token.name
        if op == "Tf" and operands and isinstance(operands[0], Name):
            key = "/" + operands[0].name
            if key not in readers and key in fonts:
                readers[key] = _FontReader(fonts[key].get_object())
            current = readers.get(key)
        elif op in ("Tj", "'", '"') and operands and isinstance(operands[-1], bytes):
            yield from show(operands[-1])
        elif op == "TJ" and operands and isinstance(operands[-1], list):
            for item in operands[-1]:
                if isinstance(item, bytes):
                    yield from show(item)
        elif op in ("BDC", "BMC"):
            props = operands[-1] if op == "BDC" and operands and isinstance(operands[-1], dict) else {}
            spans.append(text_string(props["/ActualText"]) if "/ActualText" in props else None)
        elif op == "EMC" and spans:
            spans.pop()
        elif op == "Do" and operands and isinstance(operands[0], Name):
            key = "/" + operands[0].name
            if key in xobjects:
                ref = xobjects.raw_get(key)
                form = xobjects[key].get_object()
                ident = getattr(ref, "idnum", None) or id(form)
                if str(form.get("/Subtype")) == "/Form" and ident not in seen:
                    seen.add(ident)
                    inner = form.get("/Resources")
                    inner = inner.get_object() if inner is not None else resources
                    yield from _walk(form.get_data(), inner, page, seen)
        operands = []


def glyphs(pdf: Path) -> Iterator[Glyph]:
    """Every glyph drawn in ``pdf``, page by page, in drawing order. Raises BuildError if it cannot be read."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(pdf)
        pages = list(reader.pages)
    except Exception as err:
        raise BuildError(f"{pdf}: cannot read this PDF to check its glyphs ({err}); print it again.") from err
    for number, page in enumerate(pages, start=1):
        contents = page.get_contents()
        if contents is None:
            continue
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else {}
        yield from _walk(contents.get_data(), resources, number, set())


# --- the checks ----------------------------------------------------------------------------------


def _missing(pdf: Path) -> list[MissingGlyph]:
    """Each character not drawn, once per span or glyph, with where it was."""
    found: list[MissingGlyph] = []
    before = ""
    run: list[Glyph] = []  # the glyphs of the current /ActualText span

    def close_span() -> None:
        nonlocal before
        if not run:
            return
        drawn = "".join(unicodedata.normalize("NFKD", g.text) for g in run if not g.notdef)
        actual = run[0].actual_text or ""
        if any(g.notdef for g in run):
            lost = [char for char in actual if char not in drawn and not char.isspace()] or [UNKNOWN]
            found.extend(MissingGlyph(char, run[0].page, run[0].font, before) for char in lost)
        before += actual
        run.clear()

    for glyph in glyphs(pdf):
        if run and (glyph.actual_text is None or glyph.actual_text != run[0].actual_text or glyph.page != run[0].page):
            close_span()
        if glyph.actual_text is not None:
            run.append(glyph)
            continue
        if glyph.notdef:
            char = glyph.text if glyph.text and not glyph.text.isspace() else UNKNOWN
            found.extend(MissingGlyph(c, glyph.page, glyph.font, before) for c in char)
        before = (before + glyph.text)[-40:]
    close_span()
    return found


def missing_glyphs(pdf: Path) -> list[str]:
    """The characters ``pdf`` holds but does not draw (each once, in order of first appearance).

    A character is missing when it was drawn with a font's ``.notdef`` glyph: no font on the printing
    machine had it. One whose text the PDF does not say is listed as U+FFFD (see :func:`check_glyphs`
    for pages and fonts). An empty list means every character has its glyph."""
    return list(dict.fromkeys(m.char for m in _missing(pdf)))


def check_glyphs(pdf: Path) -> None:
    """Raise BuildError naming ``pdf``, each missing character, its page and font, and how to fix it."""
    missing = _missing(pdf)
    if not missing:
        return
    shown = "; ".join(m.describe() for m in missing[:10]) + ("; ..." if len(missing) > 10 else "")
    raise BuildError(
        f"{pdf}: {len(missing)} character(s) printed as empty boxes (no font had them): {shown}. "
        "Fix: install the fonts the project lists ('make system' installs fonts-noto-core and "
        "fonts-noto-cjk), or add a font with these characters to the page's stack in "
        "solidarity_edu/pagestyle.py, then print again."
    )


def fonts_used(pdf: Path) -> set[str]:
    """The names of the fonts that draw glyphs in ``pdf``, without subset prefixes
    (e.g. {"NotoSans-Regular", "NotoSansCJKtc-Regular"})."""
    return {glyph.font for glyph in glyphs(pdf)}


def _folded(char: str) -> bool:
    """A ligature (U+FB01 "fi") or a Kangxi radical: fonts give one glyph to "⼆" and "二", and
    Chromium's ToUnicode may name the radical; NFKC gives back the letters or the ideograph."""
    return "\ufb00" <= char <= "\ufb4f" or "\u2f00" <= char <= "\u2fdf"


def fonts_by_character(pdf: Path) -> dict[str, set[str]]:
    """Each character of ``pdf``'s text -> the fonts that drew it (spaces left out). A character drawn
    in two fonts shows a stack that mixes fonts inside words. Ligatures count as their letters, and
    Kangxi radicals as the ideographs they share a glyph with (see :func:`_folded`)."""
    fonts: dict[str, set[str]] = {}
    for glyph in glyphs(pdf):
        if glyph.notdef:
            continue
        text = glyph.text or glyph.actual_text or ""
        text = "".join(unicodedata.normalize("NFKC", c) if _folded(c) else c for c in text)
        for char in unicodedata.normalize("NFC", text):
            if not char.isspace():
                fonts.setdefault(char, set()).add(glyph.font)
    return fonts

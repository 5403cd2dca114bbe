"""Read a PDF page's content stream as tokens, with strings kept as bytes.

pypdf's own content-stream reader turns string operands into text, guessing their encoding; the codes
a font draws (two bytes per glyph in the PDFs Chromium writes) must stay bytes to be read back, so the
glyph checker (:mod:`solidarity_edu.builder.glyphs`) uses this small tokenizer instead. It knows
numbers, names, strings (literal and hex), arrays, dictionaries, operators and inline images: all a
content stream holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_DELIMITERS = b"()<>[]{}/%"
_WHITESPACE = b" \t\r\n\f\x00"
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


@dataclass(frozen=True)
class Operator:
    """An operator such as Tj, Tf or BDC."""

    name: str


@dataclass(frozen=True)
class Name:
    """A PDF name, without its slash (/F4 -> Name("F4"))."""

    name: str


class Tokens:
    """A minimal PDF content-stream tokenizer: strings stay bytes, dictionaries become dicts."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def _skip_space(self) -> None:
        data = self.data
        while self.pos < len(data):
            char = data[self.pos]
            if char in _WHITESPACE:
                self.pos += 1
            elif char == ord("%"):
                while self.pos < len(data) and data[self.pos] not in b"\r\n":
                    self.pos += 1
            else:
                return

    def _literal(self) -> bytes:
        data, out, depth = self.data, bytearray(), 1
        self.pos += 1
        while self.pos < len(data):
            char = data[self.pos]
            self.pos += 1
            if char == ord("\\"):
                nxt = data[self.pos] if self.pos < len(data) else 0
                if nxt in b"01234567":
                    digits = re.match(rb"[0-7]{1,3}", data[self.pos : self.pos + 3]).group()
                    out.append(int(digits, 8) & 0xFF)
                    self.pos += len(digits)
                    continue
                self.pos += 1
                if nxt in b"\r\n":  # a line continuation
                    if nxt == ord("\r") and data[self.pos : self.pos + 1] == b"\n":
                        self.pos += 1
                    continue
                out += _ESCAPES.get(nxt, bytes([nxt]))
                continue
            if char == ord("("):
                depth += 1
            elif char == ord(")"):
                depth -= 1
                if depth == 0:
                    return bytes(out)
            out.append(char)
        return bytes(out)

    def _regular(self) -> bytes:
        start = self.pos
        while self.pos < len(self.data) and self.data[self.pos] not in _WHITESPACE + _DELIMITERS:
            self.pos += 1
        return self.data[start : self.pos]

    def next(self) -> object:
        """The next operand or operator; raises StopIteration at the end."""
        self._skip_space()
        if self.pos >= len(self.data):
            raise StopIteration
        data, char = self.data, self.data[self.pos]
        if char == ord("("):
            return self._literal()
        if data.startswith(b"<<", self.pos):
            self.pos += 2
            items = []
            while True:
                self._skip_space()
                if data.startswith(b">>", self.pos):
                    self.pos += 2
                    break
                items.append(self.next())
            return {"/" + k.name: v for k, v in zip(items[::2], items[1::2], strict=False) if isinstance(k, Name)}
        if char == ord("<"):
            end = data.index(b">", self.pos)
            digits = re.sub(rb"\s", b"", data[self.pos + 1 : end])
            self.pos = end + 1
            return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))
        if char == ord("["):
            self.pos += 1
            items = []
            while True:
                self._skip_space()
                if data.startswith(b"]", self.pos):
                    self.pos += 1
                    return items
                items.append(self.next())
        if char == ord("/"):
            self.pos += 1
            raw = self._regular()
            return Name(re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw).decode("latin-1"))
        if char in b")>]}{":
            self.pos += 1
            return Operator(chr(char))
        word = self._regular()
        try:
            return float(word) if b"." in word else int(word)
        except ValueError:
            pass
        if word == b"BI":  # an inline image: skip its data up to "EI"
            end = re.compile(rb"\sEI(?=[\s]|$)").search(data, self.pos)
            self.pos = end.end() if end else len(data)
            return Operator("EI")
        return Operator(word.decode("latin-1"))

    def __iter__(self) -> Iterator[object]:
        while True:
            try:
                yield self.next()
            except StopIteration:
                return


def text_string(value: object) -> str:
    """A PDF text string (an /ActualText) as str: UTF-16 with a byte-order mark, else PDFDocEncoding."""
    if not isinstance(value, bytes):
        return ""
    if value.startswith(b"\xfe\xff"):
        return value[2:].decode("utf-16-be", "replace")
    if value.startswith(b"\xff\xfe"):
        return value[2:].decode("utf-16-le", "replace")
    return value.decode("latin-1")

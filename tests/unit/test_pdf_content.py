"""The content-stream tokenizer the glyph checker reads PDFs with: strings stay bytes."""

from __future__ import annotations

from solidarity_edu.builder.pdf_content import Name, Operator, Tokens, text_string


def _tokens(data: bytes) -> list[object]:
    return list(Tokens(data))


def test_glyph_codes_stay_bytes_in_hex_and_literal_strings():
    assert _tokens(b"/F4 16 Tf <0039 004C> Tj (\\000\\003a\\)\\\\) Tj") == [
        Name("F4"),
        16,
        Operator("Tf"),
        b"\x00\x39\x00\x4c",
        Operator("Tj"),
        b"\x00\x03a)\\",
        Operator("Tj"),
    ]


def test_arrays_dictionaries_and_nested_parentheses():
    tokens = _tokens(b"[(a(b)c) -250 <01>] TJ /Span<</ActualText <FEFF00660069> /N#20x 1.5>> BDC")
    assert tokens[0] == [b"a(b)c", -250, b"\x01"]
    assert tokens[3] == {"/ActualText": b"\xfe\xff\x00f\x00i", "/N x": 1.5}
    assert text_string(tokens[3]["/ActualText"]) == "fi"
    assert tokens[4] == Operator("BDC")


def test_comments_line_continuations_and_inline_images_are_skipped():
    data = b"% a comment (not a string\n(one \\\ntwo) Tj BI /W 1 /H 1 ID \x00)(\xff EI 1 0 0 1 0 0 cm"
    assert _tokens(data) == [b"one two", Operator("Tj"), Operator("EI"), 1, 0, 0, 1, 0, 0, Operator("cm")]

"""Vietnamese and Traditional Chinese pages print every character, each word in one font, and the glyph
checker catches a character no installed font has.

Pages are made with the project's page style (the inlined Atkinson Hyperlegible faces, root_css() and
page.css, lang on <html>) and printed by the project's PDF printer, as the build does."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import require_tool

from solidarity_edu import pagestyle
from solidarity_edu.builder import assets
from solidarity_edu.builder.glyphs import check_glyphs, fonts_by_character, fonts_used, missing_glyphs
from solidarity_edu.builder.pdf import browser, print_pdfs
from solidarity_edu.errors import BuildError

VIETNAMESE = (
    "Đạo luật Loại trừ người Hoa năm 1882 cấm lao động Trung Quốc nhập cư. "
    "ạ ầ ẫ ậ ắ ặ ẹ ề ễ ệ ị ọ ố ồ ổ ộ ớ ờ ợ ụ ứ ừ ữ ự ỳ ỵ ỹ đ Đ"
)
CHINESE = "一八八二年《排華法案》禁止華工入境；黃金山的華人社區組織起來，爭取公民權利。"
PRIVATE_USE = "\ue000"  # no installed font has it (checked by the test that uses it)
NONCHARACTER_PLANE_16 = "\U0010fffd"


def _page(lang: str, body: str) -> str:
    """A page as the build makes it: the inlined fonts, the root CSS and page.css, lang on <html>."""
    css = assets.fonts_css() + "\n" + pagestyle.root_css() + "\n" + assets.text("page.css")
    return f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><style>{css}</style></head><body>{body}</body></html>'


PAGES = {
    "vi": ("vi", f"<h1>Bài 1: Loại trừ</h1><p id='text'>{VIETNAMESE}</p>"),
    "vi-bold": ("vi", f"<p><strong>{VIETNAMESE}</strong></p>"),
    "zh-Hant": ("zh-Hant", f"<h1>第一課：排華</h1><p id='text'>{CHINESE}</p>"),
    "en-with-vi-text": ("en", f"<p id='text'>{VIETNAMESE}</p>"),
    "en-with-zh-text": ("zh-Hant-old-stack", f"<p>{CHINESE}</p>"),
    "tofu": ("vi", f"<p>Việt x{PRIVATE_USE}y và {NONCHARACTER_PLANE_16} hết.</p>"),
}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """Every page of PAGES printed once, by one Chromium."""
    require_tool("chromium", "chromium")
    folder = tmp_path_factory.mktemp("glyphs")
    jobs = []
    for name, (lang, body) in PAGES.items():
        html = _page(lang, body)
        if lang == "zh-Hant-old-stack":  # the English stack, as every page had it, on a zh-Hant page
            html = html.replace(pagestyle.language_font_css(), "").replace(lang, "zh-Hant")
        (folder / f"{name}.html").write_text(html, encoding="utf-8")
        jobs.append((folder / f"{name}.html", folder / f"{name}.pdf"))
    print_pdfs(jobs)
    return {name: folder / f"{name}.pdf" for name in PAGES}


def _letters(text: str) -> set[str]:
    return {char for char in text if char.isalpha()}


def test_vietnamese_page_draws_every_letter_in_noto_sans(pdfs):
    assert missing_glyphs(pdfs["vi"]) == []
    drawn = fonts_by_character(pdfs["vi"])
    assert _letters(VIETNAMESE) <= set(drawn), "some Vietnamese letters are not in the PDF's text"
    noto = {"NotoSans-Regular", "NotoSans-Bold"}  # the heading is bold
    mixed = {char: fonts for char, fonts in drawn.items() if char.isalpha() and not fonts <= noto}
    assert not mixed, f"Vietnamese letters not drawn in Noto Sans alone: {mixed}"
    assert drawn["ệ"] == drawn["Q"] == {"NotoSans-Regular"}


def test_vietnamese_bold_stays_in_one_family(pdfs):
    assert missing_glyphs(pdfs["vi-bold"]) == []
    assert fonts_used(pdfs["vi-bold"]) - {"DejaVuSans"} == {"NotoSans-Bold"}  # DejaVu: the page-number footer


def test_english_pages_keep_their_stack_which_mixes_fonts_inside_vietnamese_words(pdfs):
    """The reason for the Vietnamese stack, and proof that English pages are unchanged."""
    drawn = fonts_by_character(pdfs["en-with-vi-text"])
    assert drawn["L"] == {"AtkinsonHyperlegible-Regular"}
    assert drawn["ệ"] != drawn["L"], "Atkinson Hyperlegible now has Vietnamese letters: reconsider VI_FONT_STACK"


def _cjk(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"


def test_traditional_chinese_page_uses_a_traditional_face(pdfs):
    assert missing_glyphs(pdfs["zh-Hant"]) == []
    drawn = fonts_by_character(pdfs["zh-Hant"])
    _, body = PAGES["zh-Hant"]
    # Chromium may name 民 by its radical ⺠ (one glyph for both), so characters are counted, not matched.
    assert len({char for char in drawn if _cjk(char)}) == len({char for char in body if _cjk(char)})
    assert set(CHINESE) - set(drawn) <= {"民"}
    tc = {"NotoSansCJKtc-Regular", "NotoSansCJKtc-Bold"}  # the heading is bold
    wrong = {char: fonts for char, fonts in drawn.items() if not fonts <= tc and char not in "1/"}  # 1/1: footer
    assert not wrong, f"characters not drawn in Noto Sans CJK TC: {wrong}"


def test_the_old_stack_on_a_chinese_page_drew_simplified_glyph_variants(pdfs):
    """Without the zh-Hant stack, FONT_STACK's "Noto Sans CJK SC" draws the Han characters."""
    assert "NotoSansCJKsc-Regular" in fonts_used(pdfs["en-with-zh-text"])


def _no_font_has(char: str) -> bool:
    fc_list = require_tool("fc-list", "fontconfig")
    result = subprocess.run([fc_list, f":charset={ord(char):x}", "family"], capture_output=True, text=True, check=True)
    return not result.stdout.strip()


def test_checker_catches_characters_no_installed_font_has(pdfs):
    assert _no_font_has(PRIVATE_USE) and _no_font_has(NONCHARACTER_PLANE_16), "a font now has the test characters"
    missing = missing_glyphs(pdfs["tofu"])
    # U+10FFFD's text is kept (Chromium writes it as /ActualText); U+E000's is not: it counts as unknown.
    assert missing == ["\ufffd", NONCHARACTER_PLANE_16]
    with pytest.raises(BuildError) as caught:
        check_glyphs(pdfs["tofu"])
    message = str(caught.value)
    assert str(pdfs["tofu"]) in message
    assert "U+10FFFD" in message and "page 1" in message and "after 'Việt x'" in message


def test_checker_passes_clean_pages(pdfs):
    for name in ("vi", "vi-bold", "zh-Hant"):
        check_glyphs(pdfs[name])


def _platform_fonts(html: Path, selector: str) -> dict[str, int]:
    """The fonts Chromium actually drew the text of ``selector`` with: {family: glyph count}."""
    with browser() as b:
        page = b.new_page()
        page.goto(html.resolve().as_uri())
        page.evaluate("document.fonts.ready.then(() => true)")
        cdp = page.context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        document = cdp.send("DOM.getDocument")
        node = cdp.send("DOM.querySelector", {"nodeId": document["root"]["nodeId"], "selector": selector})
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
        return {font["familyName"]: font["glyphCount"] for font in fonts}


@pytest.mark.parametrize(
    ("name", "family"), [("vi", "Noto Sans"), ("zh-Hant", "Noto Sans CJK TC"), ("en-with-vi-text", None)]
)
def test_in_chromium_the_paragraph_is_drawn_in_the_chosen_font(pdfs, name, family):
    fonts = _platform_fonts(pdfs[name].with_suffix(".html"), "#text")
    if family is None:  # English: Atkinson Hyperlegible first, other fonts for the letters it lacks
        assert "Atkinson Hyperlegible" in fonts and len(fonts) > 1, fonts
    else:
        assert list(fonts) == [family], fonts

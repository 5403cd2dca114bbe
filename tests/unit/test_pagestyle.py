"""Font stacks per language: English pages keep theirs; Vietnamese and Traditional Chinese get their own."""

from __future__ import annotations

from solidarity_edu import pagestyle


def test_english_stack_is_unchanged_and_comes_first():
    css = pagestyle.root_css()
    assert f"--font: {pagestyle.FONT_STACK};" in css.splitlines()[1]
    assert css.startswith(pagestyle.DIGITS_FONT_FACE)


def test_vietnamese_and_traditional_chinese_pages_get_their_stacks():
    css = pagestyle.language_font_css()
    assert f":root:lang(vi) {{ --font: {pagestyle.VI_FONT_STACK}; }}" in css
    assert ":root:lang(zh-Hant), :root:lang(zh-TW)" in css
    assert pagestyle.ZH_HANT_FONT_STACK.startswith('"Noto Sans CJK TC"')
    assert "Atkinson" not in pagestyle.VI_FONT_STACK and "SC" not in pagestyle.ZH_HANT_FONT_STACK
    assert "body [lang]:lang(vi)" in css  # a Vietnamese passage inside an English page

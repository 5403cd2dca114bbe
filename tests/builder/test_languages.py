"""The course built in every language of course.yaml: English where it always was, each other language
in exports/<tag>/ with the same files, in that language, marked with it, and linked from every index."""

from __future__ import annotations

import re

import polib
import pytest
from conftest import ROOT

from solidarity_edu.builder.plan import OUTPUT_FILES, language_root, plan
from solidarity_edu.course import load_course
from solidarity_edu.errors import CourseError

COURSE = ROOT / "notebooks" / "course.yaml"


def _translation(language: str, domain: str, context: str, english: str) -> str:
    po = polib.pofile(str(ROOT / "locale" / language.replace("-", "_") / "LC_MESSAGES" / f"{domain}.po"))
    return next(e.msgstr for e in po if e.msgctxt == context and e.msgid == english)


def test_jobs_for_each_language_go_to_its_own_folder_and_english_stays_where_it_was(tmp_path):
    course = load_course(COURSE)
    assert [lang.tag for lang in course.languages] == ["en", "vi", "zh-Hant"]
    jobs = plan(course, tmp_path, ROOT / "data", lessons=["01-exclusion"], audiences=["college"])
    assert [(j.language, j.out_dir.relative_to(tmp_path).as_posix(), j.name) for j in jobs] == [
        ("en", "01-exclusion/college", "01-exclusion/college"),
        ("vi", "vi/01-exclusion/college", "vi/01-exclusion/college"),
        ("zh-Hant", "zh-Hant/01-exclusion/college", "zh-Hant/01-exclusion/college"),
    ]
    assert len({j.key for j in jobs}) == 3
    only = plan(course, tmp_path, ROOT / "data", lessons=["01-exclusion"], audiences=["college"], languages=["vi"])
    assert [j.name for j in only] == ["vi/01-exclusion/college"]
    assert language_root(tmp_path, "en") == tmp_path and language_root(tmp_path, "vi") == tmp_path / "vi"
    with pytest.raises(CourseError, match="no language 'ko'"):
        plan(course, tmp_path, ROOT / "data", languages=["ko"])


def test_a_catalog_change_rebuilds_that_language_only(tmp_path):
    import shutil

    locale = tmp_path / "locale"
    shutil.copytree(ROOT / "locale", locale)
    text = COURSE.read_text(encoding="utf-8") + f"\nlocale: {locale}\n"
    (ROOT / "notebooks" / ".course-locale-test.yaml").write_text(text, encoding="utf-8")
    try:
        course = load_course(ROOT / "notebooks" / ".course-locale-test.yaml")
        before = {j.name: j.key for j in plan(course, tmp_path, ROOT / "data", lessons=["02-incarceration"])}
        po_path = locale / "vi" / "LC_MESSAGES" / "02-incarceration.po"
        po_path.write_text(po_path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        after = {j.name: j.key for j in plan(course, tmp_path, ROOT / "data", lessons=["02-incarceration"])}
    finally:
        (ROOT / "notebooks" / ".course-locale-test.yaml").unlink()
    changed = sorted(name for name in before if before[name] != after[name])
    assert changed == [f"vi/02-incarceration/{a}" for a in ("college", "community", "high-school")]


@pytest.mark.parametrize("language", ["vi", "zh-Hant"])
def test_every_lesson_is_built_in_each_language_marked_with_it(real_exports, language):
    course = load_course(COURSE)
    root = real_exports / language
    for lesson in course.lessons:
        title = _translation(language, "course", f"lessons/{lesson.id}/title", lesson.title)
        for audience in lesson.audiences:
            folder = root / lesson.id / audience
            for name in OUTPUT_FILES:
                assert (folder / name).is_file(), f"{folder / name} was not built"
            for page in ("slides.html", "worksheet.html", "reading.html", "guide.html"):
                html = (folder / page).read_text(encoding="utf-8")
                assert re.search(rf'<html lang="{language}"', html), f"{folder / page}: lang is not {language}"
                assert title in html, f"{folder / page}: the lesson's title in {language} is missing"
            for pdf in ("worksheet.pdf", "reading.pdf", "guide.pdf"):
                from pypdf import PdfReader

                assert str(PdfReader(folder / pdf).trailer["/Root"].get("/Lang")) == language, folder / pdf


def test_prompts_and_quotations_reach_the_handout_in_the_language(real_exports):
    english = "What did the Supreme Court decide in United States v. Wong Kim Ark (1898)?"
    question = _translation("vi", "01-exclusion", "01-wong-kim-ark/question", english)
    worksheet = (real_exports / "vi" / "01-exclusion" / "high-school" / "worksheet.html").read_text(encoding="utf-8")
    guide = (real_exports / "vi" / "01-exclusion" / "college" / "guide.html").read_text(encoding="utf-8")
    assert question in worksheet and question in guide and english not in worksheet
    # the 1882 Act's words in English, then the course's translation, marked as such
    from solidarity_edu.i18n import tr

    reading = (real_exports / "vi" / "01-exclusion" / "college" / "reading.html").read_text(encoding="utf-8")
    original = reading.find("Whereas, in the opinion of the Government of the United States")
    assert original != -1, "the quotation is shown in English"
    after = reading[original:]
    assert tr("The course's translation", "vi") in after and "Xét rằng" in after


@pytest.mark.parametrize("language", ["en", "vi", "zh-Hant"])
def test_each_index_is_in_its_language_and_switches_to_the_others(real_exports, language):
    index = language_root(real_exports, language) / "index.html"
    html = index.read_text(encoding="utf-8")
    assert f'<html lang="{language}"' in html
    links = dict(re.findall(r'<a href="([^"]+)" lang="([^"]+)"', html))
    expected = {"en": "index.html", "vi": "vi/index.html", "zh-Hant": "zh-Hant/index.html"}
    if language != "en":
        expected = {tag: "../" + href for tag, href in expected.items()}
    assert {tag: href for href, tag in links.items()} == expected
    for href in links:
        assert (index.parent / href).resolve().is_file(), f"{index}: {href} does not exist"
    assert 'aria-current="page"' in html
    assert "two pages" not in html and "hai trang" not in html and "兩頁" not in html


@pytest.mark.parametrize("language", ["en", "vi"])
def test_each_handout_link_says_how_many_pages_it_has(real_exports, language):
    """The index says each handout's real page count (a translation may run a page longer)."""
    from pypdf import PdfReader

    root = language_root(real_exports, language)
    html = (root / "index.html").read_text(encoding="utf-8")
    word = {"en": "pages", "vi": "số trang"}[language]
    shown = dict(re.findall(rf'href="([^"]+/worksheet\.pdf)"[^>]*>.*?{word}: (\d+)', html, flags=re.S))
    assert len(shown) == 30, f"{language}: page counts shown for {len(shown)} handouts"
    for href, pages in shown.items():
        assert int(pages) == len(PdfReader(root / href).pages), f"{language} index: {href} says {pages} pages"


@pytest.mark.parametrize(("language", "font"), [("vi", "NotoSans-"), ("zh-Hant", "NotoSansCJKtc-")])
def test_every_translated_pdf_draws_every_character_in_the_languages_font(real_exports, language, font):
    from solidarity_edu.builder.glyphs import fonts_used, missing_glyphs

    pdfs = sorted((real_exports / language).rglob("*.pdf"))
    assert len(pdfs) >= 90, f"{language}: only {len(pdfs)} PDFs"
    for pdf in pdfs:
        assert missing_glyphs(pdf) == [], f"{pdf}: characters drawn with no glyph"
        used = fonts_used(pdf)
        assert any(name.startswith(font) for name in used), f"{pdf}: set in {sorted(used)}, not {font}*"


@pytest.mark.parametrize("language", ["vi", "zh-Hant"])
def test_translated_handouts_run_at_most_one_page_past_the_english_limit(real_exports, language):
    """A translated handout shows each primary-source quotation twice (English, then the course's
    translation) and Vietnamese runs longer than English: it may take one page more than the English
    limit (see README, 'The course in other languages'), never more."""
    from pypdf import PdfReader
    from test_handouts import PAGE_LIMITS

    course = load_course(COURSE)
    for lesson in course.lessons:
        for audience in lesson.audiences:
            pdf = real_exports / language / lesson.id / audience / "worksheet.pdf"
            pages = len(PdfReader(pdf).pages)
            assert 1 <= pages <= PAGE_LIMITS[audience] + 1, f"{pdf}: {pages} pages"

"""A language course.yaml calls complete fails lint when a string is missing, fuzzy or breaks a check."""

from __future__ import annotations

import shutil

import polib
from conftest import ROOT

from solidarity_edu.course import load_course
from solidarity_edu.translate.completeness import completeness_problems


def _course(tmp_path, complete: bool = True):
    locale = tmp_path / "locale"
    shutil.copytree(ROOT / "locale", locale)
    text = (ROOT / "notebooks" / "course.yaml").read_text(encoding="utf-8")
    if not complete:
        text = text.replace("{tag: vi, name: Tiếng Việt, complete: true}", "{tag: vi, name: Tiếng Việt}")
    path = ROOT / "notebooks" / f".course-{tmp_path.name}.yaml"
    path.write_text(text + f"\nlocale: {locale}\n", encoding="utf-8")
    return path, locale


def test_the_shipped_languages_are_complete():
    assert [str(p) for p in completeness_problems(load_course(ROOT / "notebooks" / "course.yaml"), ROOT / "data")] == []


def test_a_missing_a_fuzzy_and_a_wrong_translation_are_each_named(tmp_path):
    path, locale = _course(tmp_path)
    try:
        po_path = locale / "vi" / "LC_MESSAGES" / "02-incarceration.po"
        po = polib.pofile(str(po_path))
        entries = [e for e in po if e.msgstr and not e.obsolete and any(ch.isdigit() for ch in e.msgid)]
        entries[0].msgstr = ""
        entries[1].flags.append("fuzzy")
        entries[2].msgstr += " This part was left in the original and is not translated."
        po.save(str(po_path))
        problems = [str(p) for p in completeness_problems(load_course(path), ROOT / "data") if "02-inc" in str(p)]
        assert len(problems) == 2, problems
        assert "vi is declared complete, but 2 string(s) have no checked translation" in problems[0]
        assert "02-incarceration.po" in problems[0] and "complete: false" in problems[0]
        assert "English words left" in problems[1] and entries[2].msgctxt in problems[1]
        (locale / "zh_Hant" / "LC_MESSAGES" / "data.po").unlink()
        problems = [str(p) for p in completeness_problems(load_course(path), ROOT / "data")]
        assert any("zh_Hant/LC_MESSAGES/data.po" in p and "has no catalog" in p for p in problems)
    finally:
        path.unlink()


def test_an_incomplete_language_is_not_checked(tmp_path):
    path, locale = _course(tmp_path, complete=False)
    try:
        (locale / "vi" / "LC_MESSAGES" / "data.po").unlink()
        assert not [p for p in completeness_problems(load_course(path), ROOT / "data") if "/vi/" in str(p)]
    finally:
        path.unlink()

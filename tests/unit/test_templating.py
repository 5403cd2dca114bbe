"""The package's page templates speak the current language: every Jinja environment has ``tr``, a
page rendered under ``use_language("vi")`` prints the Vietnamese of the catalog, and English stays as
written."""

from __future__ import annotations

import pytest

from solidarity_edu import i18n
from solidarity_edu.builder import bibliography, guide, lesson_plan, transforms
from solidarity_edu.templating import render

SE = {
    "language": "vi",
    "version": "0.0",
    "lesson_title": "Lesson title",
    "lesson_number": "02",
    "audience_label": "High school",
    "course_title": "Course",
}
HANDOUT = {
    "essential_question": "What is owed?",
    "blocks": [],
    "has_choices": False,
    "exit": {
        "kind": "reflect",
        "number": 3,
        "id": "02-exit",
        "question": "One thing you learned?",
        "optional": False,
        "options": [],
        "lines": 2,
    },
}


@pytest.fixture(autouse=True)
def repository_catalogs(root, monkeypatch):
    """The repository's own catalogs (locale/<lang>/LC_MESSAGES/interface.po); English afterwards."""
    monkeypatch.setenv("SOLIDARITY_EDU_ROOT", str(root))
    yield
    i18n.use_language(None)


def _handout(language: str) -> str:
    i18n.use_language(language)
    return render("handout.html.j2", se=SE, handout=HANDOUT, group_label="Class", handout_css="", fonts_css="")


def test_every_jinja_environment_of_the_package_has_tr():
    environments = [
        guide._environment(),
        bibliography._environment(),
        lesson_plan._environment(),
        transforms._slide_parts(),
    ]
    for env in environments:
        assert env.globals["tr"] is i18n.tr


def test_a_handout_in_vietnamese_prints_the_catalogs_words():
    page = _handout("vi")
    for vietnamese in ("Câu hỏi cốt lõi", "Phiếu cuối giờ: xé ra và nộp lại", "Họ tên", "Bài 02"):
        assert vietnamese in page
    for english in ("Essential question", "Exit ticket", "Name</span>", "Lesson 02"):
        assert english not in page


def test_a_handout_in_english_is_as_written():
    page = _handout("en")
    assert "<h2>Essential question</h2>" in page
    assert '<span class="ho-cut">Exit ticket: tear off and hand in</span><span>Name</span>' in page
    assert "Write on the lines. The sheet is yours: only the exit ticket is collected." in page


def test_a_sentence_with_markup_keeps_it_in_every_language():
    for language in ("en", "vi", "zh-Hant"):
        i18n.use_language(language)
        page = render(
            "glossary.html.j2",
            course={"title": "A & B"},
            terms=[],
            version="0.0",
            fonts_css="",
        )
        assert "A &amp; B" in page  # the course title is escaped inside a translated sentence

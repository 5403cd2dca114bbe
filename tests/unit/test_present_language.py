"""`present --language`: the student copy carries the language parameter and the lesson's translated text;
a language without catalogs is refused with the ones there are."""

from __future__ import annotations

import pytest

from solidarity_edu.cli import parser
from solidarity_edu.present import find_lesson, student_notebook
from solidarity_edu.translate.units import TranslationError

LESSON = "07-defining-solidarity"


def _parameters(nb) -> list[str]:
    return [c.source for c in nb.cells if "parameters" in c.metadata.get("tags", [])]


def _markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_the_language_is_passed_like_the_audience(root):
    course = root / "notebooks" / "course.yaml"
    english = find_lesson(LESSON, course)
    vietnamese = find_lesson(LESSON, course, "high-school", "vi")
    assert (english.language, vietnamese.language, vietnamese.audience) == ("en", "vi", "high-school")
    assert _parameters(student_notebook(english)) == ["audience = 'high-school'\nlanguage = 'en'"]
    shown = student_notebook(vietnamese)
    assert _parameters(shown) == ["audience = 'high-school'\nlanguage = 'vi'"]
    assert _markdown(shown) != _markdown(student_notebook(english))  # the lesson's text from its catalog
    assert [c.get("id") for c in shown.cells] == [c.get("id") for c in student_notebook(english).cells]


def test_a_language_without_catalogs_names_the_languages_there_are(root):
    with pytest.raises(TranslationError, match=r"no catalogs for language 'ko'.*there are: .*vi"):
        find_lesson(LESSON, root / "notebooks" / "course.yaml", language="ko")


def test_the_command_line_takes_language():
    args = parser().parse_args(["present", LESSON, "--language", "zh-Hant"])
    assert args.language == "zh-Hant"

"""The teacher guide of every lesson and audience, from the real course built once: page 1 at a glance,
the procedure (minutes and slide numbers checked against the deck the build made), the answer key."""

from __future__ import annotations

import re
import subprocess

import pytest

from solidarity_edu.builder.slide_outline import slide_parts
from solidarity_edu.course import load_course
from solidarity_edu.lesson import read_lesson
from solidarity_edu.prompts import numbered_prompts
from solidarity_edu.standards import load_standards

_STEP = re.compile(r'<li class="se-step" data-se-step="(\d+)" data-se-minutes="(\d+)" data-se-slides="([\d ]*)">')
_KEY = re.compile(r'<li class="se-key-entry" data-se-prompt="([^"]+)" value="(\d+)">')


@pytest.fixture(scope="module")
def course(root):
    return load_course(root / "notebooks" / "course.yaml")


def _jobs(course):
    return [(lesson, audience) for lesson in course.lessons for audience in lesson.audiences]


def _page_text(pdf, page):
    result = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return " ".join(result.stdout.split())


def test_page_1_is_at_a_glance_for_every_lesson_and_audience(real_exports, course):
    known = load_standards()
    for lesson, audience in _jobs(course):
        folder = real_exports / lesson.id / audience
        text = _page_text(folder / "guide.pdf", 1)
        where = f"{lesson.id}/{audience}"
        assert f"At a glance · Lesson {lesson.id[:2]} · {course.audiences[audience].label}" in text, where
        assert f"{lesson.duration_minutes[audience]} minutes" in text, where
        for heading in ("ESSENTIAL QUESTION", "OBJECTIVES", "MATERIALS AND PREPARATION", "VOCABULARY", "STANDARDS"):
            assert heading in text, f"{where}: {heading} is not on page 1"
        assert "handout" in text and "slides" in text, where
        for code in lesson.standards:
            assert code in text, f"{where}: standard {code} not on page 1"
            assert " ".join(known[code].wording.split()[:4]) in text, where
        # the procedure starts on page 2: page 1 holds nothing else
        assert "Procedure:" not in text, where
        assert "Procedure:" in _page_text(folder / "guide.pdf", 2), where


def test_procedure_minutes_add_up_and_name_slides_the_deck_has(real_exports, course):
    for lesson, audience in _jobs(course):
        folder = real_exports / lesson.id / audience
        guide = (folder / "guide.html").read_text(encoding="utf-8")
        deck = slide_parts((folder / "slides.html").read_text(encoding="utf-8"))
        steps = _STEP.findall(guide)
        plan = read_lesson(lesson.notebook).plan(audience)
        where = f"{lesson.id}/{audience}"
        assert [int(n) for n, _, _ in steps] == list(range(1, len(plan) + 1)), where
        assert sum(int(m) for _, m, _ in steps) == lesson.duration_minutes[audience], where
        named = []
        for number, _, slides in steps:
            for slide in slides.split():
                assert int(slide) in deck, f"{where}: step {number} names slide {slide}, which the deck lacks"
                assert deck[int(slide)] == int(number), f"{where}: slide {slide} shows part {deck[int(slide)]}"
                named.append(int(slide))
        assert sorted(named) == sorted(deck), f"{where}: every slide belongs to one step"
        assert f"Procedure: {lesson.duration_minutes[audience]} minutes" in guide


def test_the_community_guide_carries_the_90_minute_structure(real_exports, course):
    lesson = course.lesson("01-exclusion")
    guide = (real_exports / lesson.id / "community" / "guide.html").read_text(encoding="utf-8")
    steps = _STEP.findall(guide)
    assert sum(int(m) for _, m, _ in steps) == 90
    assert (
        "circle" in guide[guide.index('<section class="se-procedure"') : guide.index('<h2 class="se-lesson-heading"')]
    )


def test_the_answer_key_lists_every_prompt_numbered_as_on_the_handout(real_exports, course):
    audiences = tuple(course.audiences)
    for lesson, audience in _jobs(course):
        guide = (real_exports / lesson.id / audience / "guide.html").read_text(encoding="utf-8")
        model = read_lesson(lesson.notebook)
        wanted = [(p.id, str(n)) for n, p in numbered_prompts(model, audience, audiences)]
        assert _KEY.findall(guide) == wanted, f"{lesson.id}/{audience}"
        # the answers live in the key at the end, not scattered through the lesson
        body = guide[guide.index('<h2 class="se-lesson-heading"') : guide.index('<section class="se-answer-key"')]
        assert "celltag_answer-key" not in body


def test_the_rubric_is_in_the_guides_that_ask_for_writing(real_exports):
    for lesson_id in ("07-defining-solidarity", "09-taking-action"):
        guide = (real_exports / lesson_id / "high-school" / "guide.html").read_text(encoding="utf-8")
        assert '<section class="se-rubric"' in guide
        assert guide.index('<section class="se-answer-key"') < guide.index('<section class="se-rubric"')

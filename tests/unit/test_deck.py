"""The deck plan (solidarity_edu.deck): budget, parts, primary sources beside their questions, checks."""

from __future__ import annotations

import nbformat
import pytest
from fixtures.make_course import lesson_cells, make_course

from solidarity_edu.course import load_course
from solidarity_edu.deck import DeckPlan, slide_budget
from solidarity_edu.lesson import read_lesson
from solidarity_edu.lint import lint_lesson

md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell


@pytest.fixture(scope="module")
def decks(root):
    course = load_course(root / "notebooks" / "course.yaml")
    found = []
    for lesson in course.lessons:
        model = read_lesson(lesson.notebook)
        for audience in lesson.audiences:
            found.append((lesson, audience, model, DeckPlan(model, audience)))
    return found


def test_every_real_deck_fits_its_period(decks):
    for lesson, audience, _, deck in decks:
        budget = slide_budget(lesson.duration_minutes[audience])
        assert 5 <= len(deck.slides) <= budget, f"{lesson.id}/{audience}: {len(deck.slides)} slides, budget {budget}"
        assert len(deck.near_empty()) * 10 <= len(deck.slides), f"{lesson.id}/{audience}: too many near-empty"


def test_slides_follow_the_parts_of_the_plan(decks):
    """Numbers run 1..n; parts never go back; every cell of a slide lies in that slide's part."""
    for lesson, audience, _, deck in decks:
        assert [s.number for s in deck.slides] == list(range(1, len(deck.slides) + 1))
        parts = [s.part for s in deck.slides]
        assert parts == sorted(parts), f"{lesson.id}/{audience}: parts out of order {parts}"
        assert parts[-1] == len(deck.plan), f"{lesson.id}/{audience}: the last part has no slide"
        for slide in deck.slides:
            planned = deck.plan[slide.part - 1]
            for number in (*slide.cells, *slide.side):
                if slide.number > 1:
                    assert planned.first_cell <= number <= planned.last_cell, (lesson.id, audience, slide)


def test_a_primary_source_keeps_its_questions_beside_it(decks):
    _, _, model, deck = next(d for d in decks if d[0].id == "01-exclusion" and d[1] == "high-school")
    slide = next(s for s in deck.slides if s.heading.startswith("Primary source"))
    assert slide.layout == "source"
    beside = {deck.prompts[n].id for n in slide.side}
    assert beside == {"01-observe", "01-meaning", "01-question"}
    assert any("Word help" in model.cells[n - 1].source for n in slide.cells)


def test_each_check_has_a_slide_and_answer_keys_are_notes(decks):
    for lesson, _, model, deck in decks:
        for slide in deck.slides:
            checks = [deck.prompts[n] for n in slide.cells if n in deck.prompts]
            if any(p.kind in {"choose", "scenario"} for p in checks):
                assert slide.layout == "check" or slide.layout == "content", (lesson.id, slide)
            for number in slide.notes:
                assert model.cells[number - 1].tags & {"facilitator", "answer-key", "parts"}


def _lesson_with_many_charts(count: int) -> list:
    cells = lesson_cells("01")
    at = next(i for i, c in enumerate(cells) if "Part one" in c.source) + 1
    extra = []
    for n in range(count):
        extra.append(md(f"## Chart {n + 1}\n\nLook at this."))
        extra.append(code('timeline(era="exclusion")', metadata={"tags": ["hide-input"]}))
    cells[at:at] = extra
    for i, cell in enumerate(cells, start=1):
        cell.id = f"fx01-{i:02d}"
    return cells


def test_lint_reports_a_deck_over_its_budget(tmp_path):
    course_path = make_course(tmp_path, {"01-alpha": _lesson_with_many_charts(40)})
    course = load_course(course_path)
    problems = [str(p) for p in lint_lesson(course.lessons[0].notebook, course)]
    assert any("the high-school slides would have" in p and "the most is 33" in p for p in problems), problems


def test_lint_accepts_a_deck_within_its_budget(tmp_path):
    course_path = make_course(tmp_path, {"01-alpha": _lesson_with_many_charts(3)})
    course = load_course(course_path)
    assert not [str(p) for p in lint_lesson(course.lessons[0].notebook, course) if "slides would have" in str(p)]

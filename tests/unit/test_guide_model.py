"""The teacher guide's data, read from the real lessons without building: prompt numbers, the answer
key, the procedure's minutes, the slide outline of a deck, the rubric."""

from __future__ import annotations

import pytest

from solidarity_edu.builder.guide import answer_key, short_definition, uses_rubric, vocabulary
from solidarity_edu.builder.slide_outline import slide_parts, slide_ranges, slides_by_part
from solidarity_edu.course import load_course
from solidarity_edu.errors import BuildError
from solidarity_edu.lesson import read_lesson
from solidarity_edu.prompts import numbered_prompts
from solidarity_edu.rubric import load_rubric


@pytest.fixture(scope="module")
def course(root):
    return load_course(root / "notebooks" / "course.yaml")


def _lessons(course):
    for lesson in course.lessons:
        for audience in lesson.audiences:
            yield lesson, read_lesson(lesson.notebook), audience


def test_prompts_are_numbered_1_to_n_in_lesson_order_for_each_audience(course):
    audiences = tuple(course.audiences)
    for _lesson, model, audience in _lessons(course):
        numbered = numbered_prompts(model, audience, audiences)
        assert [n for n, _ in numbered] == list(range(1, len(numbered) + 1))
        cells = [p.cell for _, p in numbered]
        assert cells == sorted(cells)
        seen = {p.id for p in model.prompts if audience in p.audiences(audiences)}
        assert {p.id for _, p in numbered} == seen


def test_a_prompt_for_one_audience_is_numbered_only_there(course):
    model = read_lesson(course.lesson("01-exclusion").notebook)
    audiences = tuple(course.audiences)
    college = [p.id for _, p in numbered_prompts(model, "college", audiences)]
    school = [p.id for _, p in numbered_prompts(model, "high-school", audiences)]
    assert "01-two-rulings" in college and "01-two-rulings" not in school
    assert len(college) == len(school) + 1


def test_the_answer_key_lists_every_prompt_with_its_guidance(course):
    audiences = tuple(course.audiences)
    for lesson, model, audience in _lessons(course):
        entries = answer_key(model, audience, audiences)
        assert [e.prompt.id for e in entries] == [p.id for _, p in numbered_prompts(model, audience, audiences)]
        for entry in entries:
            # lint requires an answer-key cell after every prompt; the key must carry it
            assert entry.guidance, f"{lesson.id}/{audience}: no guidance for {entry.prompt.id}"


def test_scenario_outcomes_are_in_the_key(course):
    audiences = tuple(course.audiences)
    model = read_lesson(course.lesson("09-taking-action").notebook)
    scenarios = [e for e in answer_key(model, "community", audiences) if e.prompt.kind == "scenario"]
    assert scenarios
    for entry in scenarios:
        assert set(entry.prompt.feedback) == set(entry.prompt.options)


def test_procedure_minutes_add_up_to_the_duration_in_course_yaml(course):
    for lesson, model, audience in _lessons(course):
        assert sum(p.minutes for p in model.plan(audience)) == lesson.duration_minutes[audience], (lesson.id, audience)


def test_vocabulary_has_the_glossary_short_definition(course, root):
    model = read_lesson(course.lesson("01-exclusion").notebook)
    terms = vocabulary(model, root / "data")
    assert [t.id for t in terms] == model.terms
    exclusion = terms[0]
    assert exclusion.term == "Exclusion"
    assert exclusion.short.startswith("Keeping a group of people out of a country")
    assert exclusion.short.endswith(".") and "1882" not in exclusion.short


def test_short_definition_keeps_initials_and_abbreviations():
    text = "A law signed by President Chester A. Arthur in the U.S. on May 6, 1882. It stopped laborers."
    assert short_definition(text) == "A law signed by President Chester A. Arthur in the U.S. on May 6, 1882."


DECK = (
    '<section class="se-title-slide" data-se-slide="1" data-se-part="1">t</section>'
    '<section data-se-slide="2" data-se-part="1"><section data-se-slide="2" data-se-part="1">a</section></section>'
    '<section data-se-slide="3" data-se-part="2"><section data-se-slide="3" data-se-part="2">b</section></section>'
    '<section data-se-slide="4" data-se-part="2">c</section>'
)


def test_slide_outline_reads_numbers_and_parts_from_the_deck():
    assert slide_parts(DECK) == {1: 1, 2: 1, 3: 2, 4: 2}
    assert slides_by_part(DECK) == {1: [1, 2], 2: [3, 4]}
    assert slide_ranges([3, 4, 5, 8]) == "3\u20135, 8"
    assert slide_ranges([]) == ""


def test_a_deck_with_a_gap_in_its_numbers_is_an_error():
    with pytest.raises(BuildError, match=r"not 1\.\.2"):
        slide_parts('<section data-se-slide="1" data-se-part="1"></section><section data-se-slide="3"></section>')


def test_rubric_has_three_or_four_levels_and_covers_statement_and_plan(course):
    rubric = load_rubric()
    assert 3 <= len(rubric.levels) <= 4
    assert all(len(c.levels) == len(rubric.levels) for c in rubric.criteria)
    audiences = tuple(course.audiences)
    for lesson_id in ("07-defining-solidarity", "09-taking-action"):
        model = read_lesson(course.lesson(lesson_id).notebook)
        assert uses_rubric(model, "high-school", audiences)


def test_the_guide_speaks_the_current_language(root, monkeypatch):
    """The answer key's own words come from the interface catalog; English stays as written."""
    from solidarity_edu import i18n
    from solidarity_edu.builder.guide import render_section

    monkeypatch.setenv("SOLIDARITY_EDU_ROOT", str(root))
    try:
        i18n.use_language("vi")
        vietnamese = render_section("back.html.j2", audience_label="High school", entries=[], rubric="")
        i18n.use_language("zh-Hant")
        chinese = render_section("back.html.j2", audience_label="High school", entries=[], rubric="")
    finally:
        i18n.use_language(None)
    english = render_section("back.html.j2", audience_label="High school", entries=[], rubric="")
    assert '<h2 id="se-answer-key-title">Đáp án</h2>' in vietnamese
    assert '<h2 id="se-answer-key-title">答案</h2>' in chinese
    assert '<h2 id="se-answer-key-title">Answer key</h2>' in english
    assert "Every question high school learners see, numbered as on the handout." in english

"""The handout as data (builder/handout.py), prompt numbers, organizers and the screen-word filter."""

from __future__ import annotations

import re

import pytest

from solidarity_edu.builder.export import LessonContext, _resources
from solidarity_edu.builder.handout import PLAN_FIELDS, handout_data, handout_html, prompt_data
from solidarity_edu.course import load_course
from solidarity_edu.lesson import LessonModel, read_lesson
from solidarity_edu.organizers import organizers_of
from solidarity_edu.printing import screen_words
from solidarity_edu.prompts import build_prompt, numbered_prompts


@pytest.fixture(scope="module")
def course(root):
    return load_course(root / "notebooks" / "course.yaml")


def _model(course, number: str) -> LessonModel:
    lesson = next(lesson for lesson in course.lessons if lesson.id.startswith(number))
    return read_lesson(lesson.notebook)


def _html(course, number: str, audience: str) -> str:
    lesson = next(lesson for lesson in course.lessons if lesson.id.startswith(number))
    ctx = LessonContext(
        course.title,
        lesson.id,
        lesson.title,
        audience,
        course.audiences[audience].label,
        lesson.duration_minutes[audience],
        course_audiences=tuple(course.audiences),
    )
    return handout_html(read_lesson(lesson.notebook), _resources(ctx, "worksheet")["se"], audience, course.audiences)


def test_numbered_prompts_are_the_audiences_prompts_in_lesson_order(course):
    model = _model(course, "01")
    college = numbered_prompts(model, "college", course.audiences)
    high_school = numbered_prompts(model, "high-school", course.audiences)
    assert [n for n, _ in college] == list(range(1, len(college) + 1))
    assert "01-two-rulings" in [p.id for _, p in college]
    assert "01-two-rulings" not in [p.id for _, p in high_school]
    assert len(college) == len(high_school) + 1
    cells = [p.cell for _, p in college]
    assert cells == sorted(cells)


@pytest.mark.parametrize("audience", ["high-school", "college", "community"])
def test_every_lesson_ends_its_handout_with_the_exit_ticket(course, audience):
    for lesson in course.lessons:
        model = read_lesson(lesson.notebook)
        data = handout_data(model, audience, course.audiences)
        numbered = numbered_prompts(model, audience, course.audiences)
        assert data["exit"] is not None and data["exit"]["id"] == f"{model.key}-exit", lesson.id
        assert data["exit"]["number"] == len(numbered), lesson.id  # the last number
        printed = [b["number"] for b in data["blocks"] if b["type"] == "prompt"] + [data["exit"]["number"]]
        assert printed == [n for n, _ in numbered], lesson.id


def test_the_excerpt_comes_with_word_help_for_high_school_only(course):
    hs = handout_data(_model(course, "01"), "high-school", course.audiences)
    college = handout_data(_model(course, "01"), "college", course.audiences)
    (excerpt,) = [b for b in hs["blocks"] if b["type"] == "excerpt"]
    assert "Chinese laborers" in excerpt["html"] and "Word help" in "".join(excerpt["help"])
    assert [b["help"] for b in college["blocks"] if b["type"] == "excerpt"] == [[]]
    # the excerpt comes before the prompts about it
    kinds = [b["type"] for b in hs["blocks"]]
    assert kinds.index("excerpt") < kinds.index("prompt")
    assert "When the law says you do not belong" in hs["essential_question"]


def test_checks_print_lettered_options_but_never_the_answer_or_feedback(course):
    html = _html(course, "01", "high-school")
    prompt = _model(course, "01").prompt("01-wong-kim-ark")
    assert re.search(r'class="ho-letter">A</span>', html) and 'class="ho-letter">D</span>' in html
    for text in prompt.feedback.values():
        assert text not in html
    assert "Private" not in html and "only you see" not in html


def test_scenarios_print_the_situation_and_choices_only(course):
    html = _html(course, "08", "high-school")
    model = _model(course, "08")
    for prompt in model.prompts:
        if prompt.kind == "scenario" and "for-college" not in prompt.tags:
            assert prompt.question.split()[0] in html
            for option in prompt.options:
                assert option.replace("'", "&#39;") in html or option in html
            for text in prompt.feedback.values():
                assert text not in html and text.replace("'", "&#39;") not in html
    assert "It worked" not in html


def test_organizers_where_the_lesson_asks_for_notes(course):
    for number, kind, labels in (
        ("02", "t-chart", ["What the government did", "What people did in response"]),
        ("04", "notes", ["One law", "One court case", "One group that organized"]),
        ("09", "t-chart", ["The harm", "Who acted", "What they asked for or won"]),
    ):
        hs = handout_data(_model(course, number), "high-school", course.audiences)
        found = [b for b in hs["blocks"] if b["type"] == "organizer"]
        assert [(b["kind"], b["labels"]) for b in found] == [(kind, labels)], number
        html = _html(course, number, "high-school")
        assert f"ho-organizer ho-block ho-{kind}" in html
        college = handout_data(_model(course, number), "college", course.audiences)
        assert not [b for b in college["blocks"] if b["type"] == "organizer"]  # the notes text is for high school


def _organizer_model(yaml_text: str) -> LessonModel:
    nb = {
        "cells": [
            {"cell_type": "markdown", "id": "a", "metadata": {}, "source": "# T"},
            {"cell_type": "raw", "id": "b", "metadata": {"tags": ["organizer"]}, "source": yaml_text},
        ]
    }
    return LessonModel.from_notebook(nb, "07-x.ipynb")


def test_organizer_data_is_checked_and_errors_name_the_cell_and_the_fix():
    good, problems = organizers_of(_organizer_model("organizer: timeline\nlabels: [1882, 1943]\nrows: 2"))
    assert problems == [] and good[0].labels == ("1882", "1943") and good[0].cell == 2
    for text, says in (
        ("organizer: venn\nlabels: [a, b]", "'organizer: venn' is not one of t-chart, notes, timeline"),
        ("organizer: t-chart\nlabels: [a]", "a t-chart has 2 to 4 labels (found 1)"),
        ("organizer: notes\nlabels: [a, b]\nrows: 40", "rows must be a whole number from 1 to 12"),
        ("organizer: notes\nlabels: [a, b]\ncolour: red", "unknown key 'colour'"),
    ):
        _, problems = organizers_of(_organizer_model(text))
        assert len(problems) == 1 and says in str(problems[0]) and "cell 2" in str(problems[0]), text


def test_order_events_never_print_in_the_answer_order():
    prompt, problems = build_prompt("order_events", {"id": "07-o", "question": "Q", "items": ["a", "b", "c"]})
    assert problems == []
    item = prompt_data(3, prompt)
    assert [o["text"] for o in item["options"]] != ["a", "b", "c"]
    assert sorted(o["text"] for o in item["options"]) == ["a", "b", "c"]


def test_action_plan_fields_match_the_widget():
    from solidarity_edu.exercises.forms import PLAN_FIELDS as WIDGET_FIELDS

    assert list(PLAN_FIELDS) == [label for _, label in WIDGET_FIELDS]


def test_screen_words_are_found_whole_and_in_any_case():
    assert screen_words("Hover over a point, then CLICK the buttons; press Shift + Enter.") == [
        "Hover",
        "CLICK",
        "buttons",
        "Shift + Enter",
    ]
    assert screen_words("Only you see your answer.") == ["Only you see"]
    assert screen_words("The menus and the scrolling text") == ["menus", "scrolling"]
    assert screen_words("Menuhin played; the cards were clickable-free? no: a kernelled nut") == []

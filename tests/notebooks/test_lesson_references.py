"""Every event and term a lesson refers to exists in the datasets, and every lesson is in course.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from solidarity_edu.course import load_course
from solidarity_edu.data import load_glossary, load_timeline
from solidarity_edu.lesson import read_lesson

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def test_every_lesson_is_in_the_course():
    listed = {lesson.notebook.name for lesson in load_course(ROOT / "notebooks" / "course.yaml").lessons}
    assert {p.name for p in LESSONS} == listed


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_referenced_events_and_terms_exist(path):
    model = read_lesson(path)
    events, terms = set(model.events), set(model.terms)
    known_events = set(load_timeline(ROOT / "data")["id"])
    known_terms = set(load_glossary(ROOT / "data")["id"])
    assert sorted(events - known_events) == []
    assert sorted(terms - known_terms) == []


def test_each_lesson_has_one_title_the_one_in_course_yaml():
    """The notebook's first heading, the slides' title slide, the guide and the index all name a lesson
    the same way: course.yaml is the one source, and the notebook's heading must match it."""
    for lesson in load_course(ROOT / "notebooks" / "course.yaml").lessons:
        assert read_lesson(lesson.notebook).title == lesson.title, lesson.id

"""course.yaml in another language: the course's, audiences', lessons' and paths' words from the
``course`` catalog (see :func:`.units.course_text_units`); ids, minutes and standards stay as they are.
A string with no checked translation stays in English."""

from __future__ import annotations

import dataclasses

from ..course import ENGLISH, Course
from .apply import catalog_lookup
from .catalogs import COURSE_DOMAIN, catalog_dir, read_catalog


def course_in(course: Course, language: str) -> Course:
    """``course`` with its reader-facing text in ``language`` (``course`` itself for English)."""
    if language == ENGLISH:
        return course
    path = catalog_dir(course.locale, language) / f"{COURSE_DOMAIN}.po"
    if not path.is_file():
        return course
    lookup = catalog_lookup(read_catalog(path))

    def text(context: str, english: str) -> str:
        return (lookup(context, english) or english) if english else english

    audiences = {
        aid: dataclasses.replace(
            a,
            label=text(f"audiences/{aid}/label", a.label),
            description=text(f"audiences/{aid}/description", a.description),
        )
        for aid, a in course.audiences.items()
    }
    lessons = tuple(
        dataclasses.replace(
            lesson,
            title=text(f"lessons/{lesson.id}/title", lesson.title),
            summary=text(f"lessons/{lesson.id}/summary", lesson.summary),
        )
        for lesson in course.lessons
    )
    paths = tuple(
        dataclasses.replace(
            p, name=text(f"paths/{i}/name", p.name), description=text(f"paths/{i}/description", p.description)
        )
        for i, p in enumerate(course.paths, start=1)
    )
    return dataclasses.replace(
        course,
        title=text("course/title", course.title),
        description=text("course/description", course.description),
        audiences=audiences,
        lessons=lessons,
        paths=paths,
    )

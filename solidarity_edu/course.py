"""Read notebooks/course.yaml: the lessons, their order, their audiences and their durations.

Unknown keys are rejected with the file and key named, so a typo never passes silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CourseError
from .yamlfile import read_yaml

COURSE_FILE = "course.yaml"
LESSON_ID = re.compile(r"^\d\d-[a-z0-9]+(-[a-z0-9]+)*$")
AUDIENCE_ID = re.compile(r"^[a-z]+(-[a-z]+)*$")

_COURSE_KEYS = {"title", "description", "audiences", "lessons", "paths", "languages", "locale"}
_LANGUAGE_KEYS = {"tag", "name", "complete"}
ENGLISH = "en"
_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?$")
_PATH_KEYS = {"name", "description", "audience", "lessons"}
_AUDIENCE_KEYS = {"label", "description"}
_LESSON_KEYS = {"id", "title", "notebook", "summary", "audiences", "duration_minutes", "standards"}


@dataclass(frozen=True)
class Audience:
    id: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    notebook: Path
    audiences: tuple[str, ...]
    duration_minutes: dict[str, int] = field(default_factory=dict)
    summary: str = ""
    standards: tuple[str, ...] = ()  # codes from solidarity_edu/standards.yaml (checked by lint)


@dataclass(frozen=True)
class CoursePath:
    """A shorter way through the course (``paths:`` in course.yaml), shown in the course plan."""

    name: str
    description: str
    lessons: tuple[str, ...]
    audience: str = ""  # only this audience's course plan shows it ("" for every audience)


@dataclass(frozen=True)
class Language:
    """A language the course is built in (``languages:`` in course.yaml). English is the source; a
    language marked ``complete`` must have every string translated (lint fails otherwise)."""

    tag: str  # BCP 47: en, vi, zh-Hant
    name: str  # in the language itself: Tiếng Việt, 繁體中文
    complete: bool = False

    @property
    def is_source(self) -> bool:
        return self.tag == ENGLISH


@dataclass(frozen=True)
class Course:
    path: Path
    title: str
    description: str
    audiences: dict[str, Audience]
    lessons: tuple[Lesson, ...]
    paths: tuple[CoursePath, ...] = ()
    languages: tuple[Language, ...] = (Language(ENGLISH, "English", True),)
    locale_dir: Path | None = None  # where the catalogs are (``locale:``, default ../locale)

    @property
    def locale(self) -> Path:
        """The folder of the translation catalogs (locale/ beside notebooks/ unless course.yaml says)."""
        return self.locale_dir or self.path.parent.parent / "locale"

    def language(self, tag: str) -> Language:
        for language in self.languages:
            if language.tag == tag:
                return language
        known = ", ".join(language.tag for language in self.languages)
        raise CourseError(
            f"{self.path}: no language {tag!r}; the course is built in: {known} (languages: in course.yaml)"
        )

    @property
    def root(self) -> Path:
        """The notebooks/ folder."""
        return self.path.parent

    def lesson(self, lesson_id: str) -> Lesson:
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        known = ", ".join(lesson.id for lesson in self.lessons)
        raise CourseError(f"{self.path}: no lesson {lesson_id!r}; the lessons are: {known}")


def _check_keys(where: str, mapping: Any, allowed: set[str], required: set[str]) -> dict:
    if not isinstance(mapping, dict):
        raise CourseError(f"{where}: expected a mapping of keys to values, got {type(mapping).__name__}")
    unknown = sorted(set(mapping) - allowed)
    if unknown:
        raise CourseError(f"{where}: unknown key {unknown[0]!r}; allowed keys are {', '.join(sorted(allowed))}")
    missing = sorted(required - set(mapping))
    if missing:
        raise CourseError(f"{where}: missing key {missing[0]!r}; add it (see README, 'Writing a lesson')")
    return mapping


def load_course(path: str | Path = Path("notebooks") / COURSE_FILE) -> Course:
    """Load and validate course.yaml; raise CourseError naming the file and key on any problem."""
    path = Path(path)
    if path.is_dir():
        path = path / COURSE_FILE
    raw = read_yaml(path, CourseError, "file not found; run from the project folder or pass --course")
    _check_keys(str(path), raw, _COURSE_KEYS, {"title", "audiences", "lessons"})

    audiences_raw = _check_keys(f"{path}: audiences", raw["audiences"], set(raw["audiences"] or {}), set())
    if not audiences_raw:
        raise CourseError(f"{path}: audiences: list at least one audience (e.g. high-school)")
    audiences: dict[str, Audience] = {}
    for aid, spec in audiences_raw.items():
        where = f"{path}: audiences.{aid}"
        if not AUDIENCE_ID.match(str(aid)):
            raise CourseError(f"{where}: audience ids are lowercase words joined by '-', e.g. high-school")
        spec = _check_keys(where, spec or {}, _AUDIENCE_KEYS, {"label"})
        audiences[aid] = Audience(aid, str(spec["label"]), str(spec.get("description", "")))

    if not isinstance(raw["lessons"], list) or not raw["lessons"]:
        raise CourseError(f"{path}: lessons: expected a list with at least one lesson")
    lessons: list[Lesson] = []
    seen: set[str] = set()
    for number, spec in enumerate(raw["lessons"], start=1):
        where = f"{path}: lessons[{number}]"
        spec = _check_keys(where, spec, _LESSON_KEYS, {"id", "title", "notebook", "duration_minutes"})
        lid = str(spec["id"])
        where = f"{path}: lesson {lid}"
        if not LESSON_ID.match(lid):
            raise CourseError(f"{where}: id must look like NN-slug, e.g. 01-exclusion")
        if lid in seen:
            raise CourseError(f"{where}: id is listed twice; each lesson appears once")
        seen.add(lid)
        notebook = path.parent / str(spec["notebook"])
        if not notebook.is_file():
            raise CourseError(f"{where}: notebook {spec['notebook']!r} not found in {path.parent}")
        lesson_audiences = tuple(spec.get("audiences") or audiences)
        for aid in lesson_audiences:
            if aid not in audiences:
                raise CourseError(f"{where}: audiences: unknown audience {aid!r}; declared: {', '.join(audiences)}")
        durations = _check_keys(
            f"{where}: duration_minutes", spec["duration_minutes"], set(audiences), set(lesson_audiences)
        )
        for aid, minutes in durations.items():
            if not isinstance(minutes, int) or not 5 <= minutes <= 600:
                raise CourseError(
                    f"{where}: duration_minutes.{aid}: expected whole minutes between 5 and 600, got {minutes!r}"
                )
        standards = spec.get("standards") or []
        if not isinstance(standards, list) or not all(isinstance(c, str) and c.strip() for c in standards):
            raise CourseError(f"{where}: standards: expected a list of codes, e.g. [D2.His.1.9-12, RH.9-10.1]")
        lessons.append(
            Lesson(
                id=lid,
                title=str(spec["title"]),
                notebook=notebook,
                audiences=lesson_audiences,
                duration_minutes=dict(durations),
                summary=str(spec.get("summary", "")),
                standards=tuple(c.strip() for c in standards),
            )
        )
    paths = _paths(path, raw.get("paths") or [], audiences, seen)
    languages = _languages(path, raw.get("languages"))
    locale = (path.parent / str(raw["locale"])).resolve() if raw.get("locale") else None
    return Course(
        path, str(raw["title"]), str(raw.get("description", "")), audiences, tuple(lessons), paths, languages, locale
    )


def _languages(path: Path, raw: Any) -> tuple[Language, ...]:
    """``languages:``: a list of {tag, name, complete}; English first (added when missing)."""
    if raw is None:
        return (Language(ENGLISH, "English", True),)
    if not isinstance(raw, list) or not raw:
        raise CourseError(f"{path}: languages: a list of languages, e.g. '- {{tag: vi, name: Tiếng Việt}}'")
    found: list[Language] = []
    for index, spec in enumerate(raw, start=1):
        where = f"{path}: languages, entry {index}"
        spec = _check_keys(where, spec, _LANGUAGE_KEYS, {"tag", "name"})
        tag = str(spec["tag"])
        if not _TAG.match(tag):
            raise CourseError(f"{where}: tag {tag!r} is not a language tag like vi, zh-Hant or pt-BR")
        if tag in {lang.tag for lang in found}:
            raise CourseError(f"{where}: {tag!r} is listed twice")
        complete = spec.get("complete", tag == ENGLISH)
        if not isinstance(complete, bool):
            raise CourseError(f"{where}: complete must be true or false")
        found.append(Language(tag, str(spec["name"]), complete or tag == ENGLISH))
    if ENGLISH not in {lang.tag for lang in found}:
        found.insert(0, Language(ENGLISH, "English", True))
    return tuple(found)


def _paths(path: Path, raw: Any, audiences: dict[str, Audience], lesson_ids: set[str]) -> tuple[CoursePath, ...]:
    if not isinstance(raw, list):
        raise CourseError(f"{path}: paths: expected a list of paths, each with name, description and lessons")
    found = []
    for number, spec in enumerate(raw, start=1):
        where = f"{path}: paths[{number}]"
        spec = _check_keys(where, spec, _PATH_KEYS, {"name", "lessons"})
        lessons = spec["lessons"]
        if not isinstance(lessons, list) or not lessons:
            raise CourseError(f"{where}: lessons: expected a list of lesson ids")
        for lid in lessons:
            if lid not in lesson_ids:
                raise CourseError(
                    f"{where}: lessons: unknown lesson {lid!r}; the lessons are {', '.join(sorted(lesson_ids))}"
                )
        audience = str(spec.get("audience") or "")
        if audience and audience not in audiences:
            raise CourseError(f"{where}: audience: unknown audience {audience!r}; declared: {', '.join(audiences)}")
        found.append(CoursePath(str(spec["name"]), str(spec.get("description", "")), tuple(lessons), audience))
    return tuple(found)

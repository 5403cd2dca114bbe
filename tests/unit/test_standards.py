"""The standards vocabulary, the `standards:` list of each lesson in course.yaml, and the lint check."""

from __future__ import annotations

import pytest
import yaml
from fixtures.make_course import make_course

from solidarity_edu.course import load_course
from solidarity_edu.errors import CourseError
from solidarity_edu.lint import lint_course
from solidarity_edu.standards import load_standards


def test_every_code_has_wording_framework_and_the_page_it_was_read_on():
    standards = load_standards()
    assert len(standards) >= 10
    for code, standard in standards.items():
        assert standard.code == code
        assert len(standard.wording.split()) >= 6, code
        assert standard.url.startswith(("https://", "http://")), code
        assert standard.framework.name and standard.framework.url.startswith("https://")


def test_every_lesson_of_the_real_course_lists_known_standards(root):
    course = load_course(root / "notebooks" / "course.yaml")
    known = load_standards()
    for lesson in course.lessons:
        assert 2 <= len(lesson.standards) <= 6, lesson.id
        assert set(lesson.standards) <= set(known), lesson.id
    assert not [p for p in lint_course(course) if "standard" in p.message]


def _with_standards(tmp_path, codes):
    path = make_course(tmp_path / "course")
    course = yaml.safe_load(path.read_text())
    course["lessons"][1]["standards"] = codes
    path.write_text(yaml.safe_dump(course, sort_keys=False))
    return path


def test_an_unknown_code_is_a_lint_error_naming_the_lesson(tmp_path):
    path = _with_standards(tmp_path, ["RH.9-10.1", "RH.9-10.99"])
    problems = [str(p) for p in lint_course(load_course(path)) if "standard" in p.message]
    assert len(problems) == 1
    assert "lesson 02-beta" in problems[0] and "'RH.9-10.99'" in problems[0]
    assert "standards.yaml" in problems[0]


def test_standards_must_be_a_list_of_codes(tmp_path):
    path = _with_standards(tmp_path, "RH.9-10.1")
    with pytest.raises(CourseError, match="lesson 02-beta: standards: expected a list of codes"):
        load_course(path)


def test_a_vocabulary_entry_without_wording_is_rejected(tmp_path):
    bad = tmp_path / "standards.yaml"
    bad.write_text(
        "frameworks: {x: {name: X, url: 'https://example.org'}}\n"
        "standards: {A.1: {framework: x, wording: '', url: 'https://example.org/a'}}\n"
    )
    with pytest.raises(CourseError, match=r"'A\.1'.*official wording"):
        load_standards(bad)


def test_a_build_stops_on_an_unknown_code_before_running_anything(tmp_path):
    from solidarity_edu.builder.runner import build

    path = _with_standards(tmp_path, ["Justice 99"])
    with pytest.raises(CourseError, match=r"lesson 02-beta: unknown standard 'Justice 99'"):
        build(course_path=path, exports=tmp_path / "exports", data_dir=tmp_path / "course" / "data", pdf=False)
    assert not (tmp_path / "exports").exists()

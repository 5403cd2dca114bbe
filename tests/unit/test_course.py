from __future__ import annotations

import pytest
import yaml

from solidarity_edu.course import load_course
from solidarity_edu.errors import CourseError


def test_real_course_loads(root):
    course = load_course(root / "notebooks" / "course.yaml")
    assert course.lessons[0].id == "00-welcome"
    assert set(course.audiences) == {"high-school", "college", "community"}
    for lesson in course.lessons:
        assert set(lesson.duration_minutes) >= set(lesson.audiences)
        assert lesson.duration_minutes.get("high-school", 50) <= 55  # a school period


def _write(tmp_path, data):
    (tmp_path / "00-a.ipynb").write_text("{}")
    path = tmp_path / "course.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


BASE = {
    "title": "T",
    "audiences": {"high-school": {"label": "High school"}},
    "lessons": [{"id": "00-a", "title": "A", "notebook": "00-a.ipynb", "duration_minutes": {"high-school": 50}}],
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(titel="x"), "unknown key 'titel'"),
        (lambda d: d["lessons"][0].update(audiences=["adults"]), "unknown audience 'adults'"),
        (lambda d: d["lessons"][0].update(notebook="nope.ipynb"), "notebook 'nope.ipynb' not found"),
        (lambda d: d["lessons"][0].update(id="lesson-a"), "id must look like NN-slug"),
        (lambda d: d["lessons"].append(dict(d["lessons"][0])), "listed twice"),
        (lambda d: d["lessons"][0]["duration_minutes"].update({"high-school": "fifty"}), "whole minutes"),
        (lambda d: d["lessons"][0].update(duration_minutes={}), "missing key 'high-school'"),
        (lambda d: d["audiences"].update({"High School": {"label": "x"}}), "audience ids are lowercase"),
    ],
)
def test_bad_course_files_name_file_and_key(tmp_path, change, message):
    data = yaml.safe_load(yaml.safe_dump(BASE))
    change(data)
    path = _write(tmp_path, data)
    with pytest.raises(CourseError) as err:
        load_course(path)
    assert message in str(err.value) and str(path) in str(err.value)


def test_invalid_yaml_and_missing_file(tmp_path):
    bad = tmp_path / "course.yaml"
    bad.write_text("title: [unclosed")
    with pytest.raises(CourseError, match="not valid YAML"):
        load_course(bad)
    with pytest.raises(CourseError, match="file not found"):
        load_course(tmp_path / "missing.yaml")

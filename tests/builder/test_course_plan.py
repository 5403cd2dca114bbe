"""The course plan of each audience and the glossary page, from the real course built once."""

from __future__ import annotations

import csv
import re
import subprocess

from solidarity_edu.builder.course_plan import hours
from solidarity_edu.course import load_course


def test_each_course_plan_total_matches_course_yaml(real_exports, root):
    course = load_course(root / "notebooks" / "course.yaml")
    for audience in course.audiences:
        html = (real_exports / audience / "course-plan.html").read_text(encoding="utf-8")
        rows = re.findall(r'<tr data-lesson="([^"]+)" data-minutes="(\d+)">', html)
        wanted = [(lesson.id, str(lesson.duration_minutes[audience])) for lesson in course.lessons]
        assert rows == wanted
        total = sum(lesson.duration_minutes[audience] for lesson in course.lessons)
        text = subprocess.run(
            ["pdftotext", str(real_exports / audience / "course-plan.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        text = " ".join(text.split())
        assert f"{len(course.lessons)} lessons, {total} minutes in all ({hours(total)})" in text
        assert "A five-lesson unit" in text
        assert ("A three-session circle series" in text) == (audience == "community")
        assert "Standards met" in text and "Course rubric" in text
    assert hours(500) == "8 hours 20 minutes" and hours(60) == "1 hour"


def test_the_glossary_page_has_every_term_the_guides_link_to(real_exports, root):
    glossary = (real_exports / "glossary.html").read_text(encoding="utf-8")
    with (root / "data" / "glossary" / "glossary.csv").open(encoding="utf-8") as handle:
        ids = [row["id"] for row in csv.DictReader(handle)]
    anchors = re.findall(r'<dt id="term-([^"]+)">', glossary)
    assert sorted(anchors) == sorted(ids)
    guide = (real_exports / "01-exclusion" / "high-school" / "guide.html").read_text(encoding="utf-8")
    links = re.findall(r'href="\.\./\.\./glossary\.html#term-([^"]+)"', guide)
    assert links and set(links) <= set(anchors)

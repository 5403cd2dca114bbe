"""exports/index.html in Debian's Chromium: start here, the table of contents and the audience switch."""

from __future__ import annotations

import json
import re

import pytest
from conftest import require_tool
from fixtures.axe import serious_violations

from solidarity_edu.builder.pdf import CHROMIUM_ARGS
from solidarity_edu.course import load_course
from solidarity_edu.standards import load_standards

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page(real_exports):
    from playwright.sync_api import sync_playwright

    chromium = require_tool("chromium", "chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.route(re.compile(r"^(?!file:|data:|about:).*"), lambda route: route.abort())
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((real_exports / "index.html").as_uri(), wait_until="load")
        yield page
        assert errors == []
        browser.close()


def _visible_links(page, text):
    return page.locator(f"a:visible:text-is('{text}')").evaluate_all("els => els.map(e => e.getAttribute('href'))")


def test_start_here_comes_first_with_three_steps(page):
    start = page.locator("#start-here")
    assert start.is_visible()
    box = start.bounding_box()
    assert box is not None and box["y"] < 800, "start here is above the fold"
    assert start.locator("ol.steps > li").count() == 3
    text = start.inner_text()
    for words in ("Read the teacher guide", "Print the handouts", "Open the slides"):
        assert words in text


def test_table_of_contents_links_every_lesson_once_with_its_course_yaml_title(page, root):
    course = load_course(root / "notebooks" / "course.yaml")
    toc = page.locator("nav.toc ol li a")
    assert toc.count() == len(course.lessons)
    for i, lesson in enumerate(course.lessons):
        assert toc.nth(i).inner_text() == lesson.title
        href = toc.nth(i).get_attribute("href")
        assert page.locator(href).inner_text() == f"Lesson {lesson.id[:2]}: {lesson.title}"


def test_the_audience_switch_shows_only_the_chosen_audience(page, real_exports, root):
    course = load_course(root / "notebooks" / "course.yaml")
    for audience in course.audiences:
        page.check(f"#audience-switch input[value='{audience}']")
        guides = _visible_links(page, "Teacher guide")
        assert guides == [f"{lesson.id}/{audience}/guide.pdf" for lesson in course.lessons]
        for href in guides:
            assert (real_exports / href).is_file()
        notebooks = page.locator("a:visible[download]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert notebooks == [f"{lesson.id}/{audience}/student.ipynb" for lesson in course.lessons]
        plan = _visible_links(page, "Course plan (PDF)")
        assert plan == [f"{audience}/course-plan.pdf"] and (real_exports / plan[0]).is_file()
        minutes = page.locator(".aud:visible .minutes").all_inner_texts()
        assert minutes == [f"{lesson.duration_minutes[audience]} minutes" for lesson in course.lessons]
    assert serious_violations(page, "index.html") == []


def test_footer_has_licence_version_and_how_to_cite(page):
    footer = page.locator("footer").inner_text()
    assert "CC BY-SA 4.0" in footer and "solidarity-edu 0.1.0" in footer
    assert "How to cite: solidarity-edu contributors. Solidarity Edu: Asian American history and solidarity" in footer


def test_students_are_told_how_to_open_the_notebook(page):
    text = page.locator("#students").inner_text()
    assert "JupyterHub" in text and "pip install" in text


def test_json_ld_aligns_every_lesson_with_its_standards(real_exports, root):
    course = load_course(root / "notebooks" / "course.yaml")
    html = (real_exports / "index.html").read_text(encoding="utf-8")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    assert data["@type"] == "Course"
    known = load_standards()
    for lesson, part in zip(course.lessons, data["hasPart"], strict=True):
        codes = [a["targetName"] for a in part["educationalAlignment"]]
        assert codes == list(lesson.standards)
        for alignment in part["educationalAlignment"]:
            assert alignment["@type"] == "AlignmentObject"
            assert alignment["targetDescription"] == known[alignment["targetName"]].wording

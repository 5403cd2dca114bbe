"""The fixture course built through the real command line: every format, by the tag contract."""

from __future__ import annotations

import json
import os
import re

import nbformat
from conftest import run_build
from fixtures.make_course import ANSWER_MARKER, FACILITATOR_MARKER

FILES = [
    "slides.html",
    "worksheet.html",
    "worksheet.pdf",
    "reading.html",
    "reading.pdf",
    "guide.html",
    "guide.pdf",
    "student.ipynb",
    "sources.json",
]


def test_every_lesson_and_audience_has_every_output(fixture_build):
    _, exports, _ = fixture_build
    for lesson in ("01-alpha", "02-beta"):
        for audience in ("high-school", "community"):
            for name in FILES:
                path = exports / lesson / audience / name
                small = name == "sources.json"  # one work in a fixture lesson
                assert path.is_file() and path.stat().st_size > (100 if small else 500), path


def test_sources_are_written_once_and_shown_per_audience(fixture_build):
    _, exports, _ = fixture_build
    items = json.loads((exports / "01-alpha/high-school/sources.json").read_text())
    assert [(i["type"], i["title"], i["publisher"]) for i in items] == [
        ("document", "The test suite", "The solidarity-edu project")
    ]
    guide = (exports / "01-alpha/high-school/guide.html").read_text()
    assert "Everything this fixture lesson says." in guide and "sources.json" in guide
    for name in ("reading.html", "slides.html"):
        html = (exports / "01-alpha/high-school" / name).read_text()
        assert "The solidarity-edu project, The test suite (2026)" in html, name
        assert "Everything this fixture lesson says." not in html, name
    student = nbformat.read(exports / "01-alpha/high-school/student.ipynb", as_version=4)
    texts = [c.source for c in student.cells if c.cell_type == "markdown"]
    assert any(t.startswith("## Sources") and "The test suite (2026)" in t for t in texts)
    assert not any(c.cell_type == "raw" for c in student.cells)


def test_worksheet_has_prompts_but_no_keys_notes_or_code(fixture_build):
    _, exports, _ = fixture_build
    html = (exports / "01-alpha/high-school/worksheet.html").read_text()
    assert "What is the fixture question 01?" in html
    assert 'class="ho-rule"' in html
    assert ANSWER_MARKER not in html and FACILITATOR_MARKER not in html
    assert "from solidarity_edu import" not in html and "course_map(audience)" not in html
    assert "<script" not in html  # printable pages carry no JavaScript


def test_reader_has_text_and_static_charts_but_no_prompts_keys_or_notes(fixture_build):
    _, exports, _ = fixture_build
    html = (exports / "01-alpha/high-school/reading.html").read_text()
    assert "Body text for everyone." in html
    assert "What is the fixture question 01?" not in html and 'class="se-static-form' not in html
    assert ANSWER_MARKER not in html and FACILITATOR_MARKER not in html
    assert "<script" not in html and "<svg" in html  # the chart is a static image
    # sources as a short numbered list
    assert re.search(r"<ol[^>]*>\s*<li>The solidarity-edu project, The test suite \(2026\)", html)
    assert not re.search(r"https?://", re.sub(r"<(style|svg)\b.*?</\1>", "", html, flags=re.S))


def test_guide_shows_keys_and_facilitator_notes(fixture_build):
    _, exports, _ = fixture_build
    html = (exports / "01-alpha/high-school/guide.html").read_text()
    assert ANSWER_MARKER in html and FACILITATOR_MARKER in html
    assert "What is the fixture question 01?" in html
    assert "course_map(audience)" not in html


def test_slides_have_speaker_notes_keys_only_in_notes_and_inlined_assets(fixture_build):
    _, exports, _ = fixture_build
    html = (exports / "01-alpha/high-school/slides.html").read_text()
    assert '<aside class="notes">' in html and FACILITATOR_MARKER in html
    # The answer key is for the teacher at the front of the room: in the speaker notes, never on a slide.
    shown = re.sub(r'<aside class="notes">.*?</aside>', "", html, flags=re.S)
    assert ANSWER_MARKER in html and ANSWER_MARKER not in shown
    assert "Reveal.initialize" in html and "vegaEmbed" in html
    assert "from solidarity_edu import" not in html


def test_every_slide_names_its_number_and_the_part_of_the_lesson_plan_it_belongs_to(fixture_build):
    """The contract the teacher guide reads: top-level sections carry data-se-slide (1..n) and
    data-se-part (1-based, in the order of LessonModel.plan(audience)); each part's first slide has
    its minutes in the speaker notes."""
    course, exports, _ = fixture_build
    from solidarity_edu.lesson import read_lesson

    for audience in ("high-school", "community"):
        html = (exports / "01-alpha" / audience / "slides.html").read_text()
        sections = re.findall(r'<section class="se-slide[^"]*" data-se-slide="(\d+)" data-se-part="(\d+)">', html)
        plan = read_lesson(course.parent / "01-alpha.ipynb").plan(audience)
        assert [int(n) for n, _ in sections] == list(range(1, len(sections) + 1))
        parts = [int(p) for _, p in sections]
        assert parts == sorted(parts) and set(parts) == set(range(1, len(plan) + 1)), parts
        bodies = re.split(r'<section class="se-slide', html)[1:]
        for index, planned in enumerate(plan, start=1):
            first = bodies[parts.index(index)]
            notes = re.search(r'<aside class="notes">(.*?)</aside>', first, flags=re.S).group(1)
            assert f"{planned.minutes} minutes" in notes and planned.part.name in notes


def test_audience_tags_choose_cells(fixture_build):
    _, exports, _ = fixture_build
    assert "Only for the community audience." in (exports / "01-alpha/community/reading.html").read_text()
    assert "Only for the community audience." not in (exports / "01-alpha/high-school/reading.html").read_text()


def test_student_notebook_is_clean(fixture_build):
    _, exports, _ = fixture_build
    nb = nbformat.read(exports / "01-alpha/community/student.ipynb", as_version=4)
    nbformat.validate(nb)
    text = json.dumps(nb)
    assert ANSWER_MARKER not in text and FACILITATOR_MARKER not in text
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert [c.source for c in params] == ["audience = 'community'\nlanguage = 'en'"]
    assert not any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)
    hidden = [c for c in code if "hide-input" in c.metadata.get("tags", [])]
    assert hidden and all(c.metadata["jupyter"]["source_hidden"] for c in hidden)
    assert "papermill" not in nb.metadata


def test_index_links_every_output(fixture_build):
    _, exports, _ = fixture_build
    html = (exports / "index.html").read_text()
    for lesson in ("01-alpha", "02-beta"):
        for audience in ("high-school", "community"):
            for name in FILES:
                assert f'href="{lesson}/{audience}/{name}"' in html
    assert "Built 2023-11-14" in html  # SOURCE_DATE_EPOCH=1700000000


def test_progress_names_each_lesson(fixture_build):
    _, _, result = fixture_build
    for job in ("01-alpha/high-school", "02-beta/community"):
        lesson = job.split("/")[0]
        assert f"running  {lesson} (high-school, community: one run)" in result.stderr
        assert f"exported {job}" in result.stderr


def test_no_change_rebuild_runs_nothing(fixture_build):
    course, exports, _ = fixture_build
    packs = sorted(exports.glob("*/handouts.pdf")) + sorted(exports.glob("*/printables.zip"))
    assert packs
    before = {p: p.stat().st_mtime_ns for p in packs}
    result = run_build(course, exports)
    assert result.returncode == 0, result.stderr
    assert "built 0, up to date 4, failed 0" in result.stderr
    # nor joins the packs again: they are newer than every lesson PDF in them
    assert {p: p.stat().st_mtime_ns for p in packs} == before
    assert "packs for" not in result.stderr
    # a lesson PDF newer than the packs (printed again) makes them join again
    lesson_pdf = next(exports.glob("*/high-school/worksheet.pdf"))
    os.utime(lesson_pdf, ns=(max(before.values()) + 10**9,) * 2)
    result = run_build(course, exports)
    assert result.returncode == 0, result.stderr
    assert "packs for high-school" in result.stderr

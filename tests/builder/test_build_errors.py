"""Errors: one line naming the file, lesson, audience, cell and line; a broken lesson stops only itself."""

from __future__ import annotations

import yaml
from conftest import run_build
from fixtures.make_course import lesson_cells, make_course


def test_failing_cell_names_lesson_audience_cell_and_line_and_spares_others(tmp_path):
    broken = lesson_cells("02", extra_code="x = 1\nundefined_name + x")
    course = make_course(tmp_path / "course", {"01-alpha": lesson_cells("01"), "02-broken": broken})
    exports = tmp_path / "exports"
    result = run_build(course, exports, "--no-pdf")
    assert result.returncode == 1
    failing_cell = next(n for n, c in enumerate(broken, start=1) if "undefined_name" in c.source)  # 1-based
    line = [ln for ln in result.stderr.splitlines() if ln.startswith("error:") and "high-school" in ln]
    assert line, result.stderr
    assert f"02-broken (high-school): cell {failing_cell} failed: NameError" in line[0]
    assert "line 2: undefined_name + x" in line[0]
    assert "Traceback" not in result.stderr
    assert (exports / "01-alpha/high-school/worksheet.html").is_file()
    assert not (exports / "02-broken/high-school/worksheet.html").exists()
    assert "not built" in (exports / "index.html").read_text()


def test_a_failing_lesson_leaves_no_pdf_even_of_the_handout_printed_while_it_ran(tmp_path):
    """The handout is printed while its lesson runs (it needs no outputs); when the lesson then fails,
    none of its pages may stay behind looking current, on screen or on paper."""
    broken = lesson_cells("02", extra_code="undefined_name")
    course = make_course(tmp_path / "course", {"01-alpha": lesson_cells("01"), "02-broken": broken})
    exports = tmp_path / "exports"
    result = run_build(course, exports)
    assert result.returncode == 1
    assert (exports / "01-alpha/high-school/worksheet.pdf").is_file()
    assert sorted(p.name for p in (exports / "02-broken").rglob("*") if p.is_file()) == []


def test_unknown_tag_stops_before_anything_runs(tmp_path):
    cells = lesson_cells("01")
    cells[4].metadata["tags"] = ["slidee"]
    course = make_course(tmp_path / "course", {"01-alpha": cells})
    result = run_build(course, tmp_path / "exports")
    assert result.returncode == 2
    assert "01-alpha.ipynb: cell 5: unknown tag 'slidee'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "exports").exists()


def test_unknown_audience_and_bad_course_file_are_one_line_errors(tmp_path):
    course = make_course(tmp_path / "course")
    result = run_build(course, tmp_path / "exports", "--audience", "kindergarten")
    assert result.returncode == 2
    assert "unknown audience 'kindergarten'" in result.stderr and "course.yaml" in result.stderr

    data = yaml.safe_load(course.read_text())
    data["lessons"][0]["durations"] = data["lessons"][0].pop("duration_minutes")
    course.write_text(yaml.safe_dump(data))
    result = run_build(course, tmp_path / "exports")
    assert result.returncode == 2
    assert "course.yaml: lessons[1]: unknown key 'durations'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_notebook_is_named(tmp_path):
    course = make_course(tmp_path / "course")
    (course.parent / "02-beta.ipynb").unlink()
    result = run_build(course, tmp_path / "exports")
    assert result.returncode == 2
    assert "lesson 02-beta: notebook '02-beta.ipynb' not found" in result.stderr


def test_broken_notebook_json_is_named(tmp_path):
    course = make_course(tmp_path / "course")
    (course.parent / "01-alpha.ipynb").write_text('{"cells": [', encoding="utf-8")
    result = run_build(course, tmp_path / "exports")
    assert result.returncode == 2
    assert "01-alpha.ipynb: not a valid notebook" in result.stderr

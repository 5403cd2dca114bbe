"""The lessons' citation table in data/README.md is what the lessons' sources cells give."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, run_cli

from solidarity_edu.citations import LESSONS_END, LESSONS_START, lesson_citation_counts, readme_target
from solidarity_edu.course import load_course
from solidarity_edu.data import block
from solidarity_edu.sources import WEAK, read_host_list

COURSE = ROOT / "notebooks" / "course.yaml"
DATA = ROOT / "data"


def test_the_lessons_table_in_data_readme_is_up_to_date():
    path, start, end, body = readme_target(load_course(COURSE), DATA, read_host_list(DATA / "source-hosts"))
    assert (start, end) == (LESSONS_START, LESSONS_END)
    assert block(path.read_text(encoding="utf-8"), start, end) == body, "run 'solidarity-edu data tables --write'"


def test_no_lesson_cites_a_weak_host_and_every_lesson_with_sources_is_counted():
    counts = lesson_citation_counts(load_course(COURSE), read_host_list(DATA / "source-hosts"))
    assert len(counts) == 10 and all(row.get(WEAK, 0) == 0 for row in counts.values())
    assert sum(sum(row.values()) for row in counts.values()) > 50


def test_data_tables_reports_a_stale_lesson_table(tmp_path: Path):
    """The command names the file and says how to fix it; --write mends it."""
    import shutil

    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    readme = tmp_path / "data" / "README.md"
    readme.write_text(readme.read_text().replace("| 01-exclusion |", "| 01-exclusio |"), encoding="utf-8")
    course = tmp_path / "notebooks" / "course.yaml"
    stale = run_cli(course, "data", "tables")
    assert stale.returncode == 1 and "data/README.md: the table after <!-- lesson-citations" in stale.stdout
    assert run_cli(course, "data", "tables", "--write").returncode == 0
    assert run_cli(course, "data", "tables").returncode == 0

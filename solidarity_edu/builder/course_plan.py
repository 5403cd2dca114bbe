"""Course-level pages: each audience's course plan (exports/<audience>/course-plan.html and .pdf) and the
glossary page (exports/glossary.html), both built from data, never by hand.

The course plan holds the sequence, the minutes of every lesson and the total hours (from course.yaml),
what each lesson needs first (its "Before you start" section), the shorter paths course.yaml names, the
standards met and the course rubric. The glossary page lists every term in data/glossary with its
definition; every teacher guide's vocabulary links to it.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .. import __version__
from ..course import Course
from ..lesson import lesson_key, read_lesson
from ..standards import lesson_standards
from ..templating import render, safe
from . import assets
from .guide import markdown_html, rubric_html, section_text

GLOSSARY_PAGE = "glossary.html"
PLAN_PAGE = "course-plan.html"


def hours(minutes: int) -> str:
    """Minutes as a teacher says them: 500 -> '8 hours 20 minutes'; 60 -> '1 hour'."""
    h, m = divmod(minutes, 60)
    parts = [f"{h} hour{'s' if h != 1 else ''}"] if h else []
    if m:
        parts.append(f"{m} minute{'s' if m != 1 else ''}")
    return " ".join(parts) or "0 minutes"


def plan_rows(course: Course, audience: str) -> list[dict]:
    """One row per lesson the audience has, in course order."""
    rows = []
    for lesson in course.lessons:
        if audience not in lesson.audiences:
            continue
        model = read_lesson(lesson.notebook)
        before = section_text(model, "Before you start")
        rows.append(
            {
                "id": lesson.id,
                "key": lesson_key(lesson.id),
                "title": lesson.title,
                "minutes": lesson.duration_minutes[audience],
                "needs_html": safe(markdown_html(before)) if before else "",
                "standards": lesson_standards(lesson.standards),
            }
        )
    return rows


def total_minutes(course: Course, audience: str) -> int:
    """The course's length for one audience: the sum of its lessons' minutes in course.yaml."""
    return sum(lesson.duration_minutes[audience] for lesson in course.lessons if audience in lesson.audiences)


def course_plan_html(course: Course, audience: str) -> str:
    """The course plan for one audience as a printable page."""
    rows = plan_rows(course, audience)
    by_id = {row["id"]: row for row in rows}
    paths = []
    for path in course.paths:
        if path.audience and path.audience != audience:
            continue
        chosen = [by_id[i] for i in path.lessons if i in by_id]
        paths.append(
            {
                "name": path.name,
                "description": path.description,
                "rows": chosen,
                "minutes": sum(r["minutes"] for r in chosen),
            }
        )
    met: dict[str, object] = {}
    for row in rows:
        for standard in row["standards"]:
            met.setdefault(standard.code, standard)
    total = total_minutes(course, audience)
    return render(
        "course_plan.html.j2",
        course=course,
        audience=course.audiences[audience],
        rows=rows,
        total=total,
        total_hours=hours(total),
        paths=paths,
        standards=sorted(met.values(), key=lambda s: (s.framework.id, s.code)),
        rubric=safe(rubric_html()),
        version=__version__,
        fonts_css=assets.fonts_css(),
        page_css=assets.text("page.css"),
    )


def glossary_terms(data_dir: Path) -> list[dict]:
    """Every glossary row (id, term, definition, why it matters) in the current language, sorted by term."""
    path = Path(data_dir) / "glossary" / "glossary.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    from ..translate.datasets import data_text

    columns = ("term", "definition", "why_it_matters")
    return sorted(
        (
            {
                "id": row.get("id", ""),
                **{k: data_text("glossary", row.get("id", ""), k, row.get(k, "")) for k in columns},
            }
            for row in rows
        ),
        key=lambda r: r["term"].lower(),
    )


def glossary_html(course: Course, data_dir: Path) -> str:
    """The glossary page: every term with its definition, each with an anchor the guides link to."""
    return render(
        "glossary.html.j2",
        course=course,
        terms=glossary_terms(data_dir),
        version=__version__,
        fonts_css=assets.fonts_css(),
    )


def write_course_pages(course: Course, exports: Path, data_dir: Path) -> list[Path]:
    """Write the glossary page and each audience's course-plan.html; return the course plans (to print)."""
    exports.mkdir(parents=True, exist_ok=True)
    _write(exports / GLOSSARY_PAGE, glossary_html(course, data_dir))
    plans = []
    for audience in course.audiences:
        path = exports / audience / PLAN_PAGE
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(path, course_plan_html(course, audience))
        plans.append(path)
    return plans


def _write(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")

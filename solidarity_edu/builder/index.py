"""exports/index.html: every lesson and audience with links to its outputs, the build date and version."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from .. import __version__
from ..course import Course
from ..lesson import lesson_key
from ..templating import render
from . import assets
from .packs import pack_links
from .screenshots import KINDS as _SHOT_KINDS
from .screenshots import pictured_audience, png_size, screenshot_path

_LINKS = [
    ("slides.html", "Slides"),
    ("worksheet.html", "Handout"),
    ("worksheet.pdf", "Handout (PDF)"),
    ("reading.html", "Reader"),
    ("reading.pdf", "Reader (PDF)"),
    ("guide.html", "Teacher guide"),
    ("guide.pdf", "Teacher guide (PDF)"),
    ("student.ipynb", "Student notebook"),
    ("sources.json", "Sources (CSL JSON)"),
]

_SHOT_TEXT = {
    # kind: (alt text start, visible caption)
    "slides": ("First slide of", "First slide"),
    "worksheet": ("Page 1 of the handout for", "Handout, page 1"),
    "guide": ("Page 1 of the teacher guide for", "Teacher guide, page 1"),
}
THUMB_WIDTH = 200


def build_date() -> str:
    """Today's date, or SOURCE_DATE_EPOCH's date when set (for reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    return dt.date.today().isoformat()


def _thumbnails(course: Course, exports: Path, failed: set[str] | frozenset[str]) -> dict[str, list[dict]]:
    """lesson id -> its thumbnails (link, alt text, size), for the lessons with screenshots."""
    found: dict[str, list[dict]] = {}
    version = pictured_audience(exports)
    version_note = f" ({version} version)" if version else ""
    for lesson in course.lessons:
        if any(f"{lesson.id}/{a}" in failed for a in lesson.audiences):
            continue  # never show last week's pictures next to "not built"
        name = f"Lesson {lesson_key(lesson.id)}: {lesson.title}"
        items = []
        for kind, _ in _SHOT_KINDS:
            png = screenshot_path(exports, lesson.id, kind)
            if not png.is_file():
                continue
            try:
                width, height = png_size(png)
            except Exception:
                continue
            alt, caption = _SHOT_TEXT[kind]
            items.append(
                {
                    "href": png.relative_to(exports).as_posix(),
                    "alt": f"{alt} {name}{version_note}",
                    "width": THUMB_WIDTH,
                    "height": max(1, round(height * THUMB_WIDTH / width)),
                    "caption": f"{caption}{version_note}",
                }
            )
        if items:
            found[lesson.id] = items
    return found


def index_html(course: Course, exports: Path, failed: set[str] | frozenset[str] = frozenset()) -> str:
    """The index page: every lesson and audience with links to what was built."""
    thumbnails = _thumbnails(course, exports, failed)
    lessons = []
    for lesson in course.lessons:
        rows = []
        for audience in lesson.audiences:
            links = []
            for name, text in _LINKS:
                rel = f"{lesson.id}/{audience}/{name}"
                built = f"{lesson.id}/{audience}" not in failed and (exports / rel).is_file()
                links.append({"href": rel if built else None, "text": text})
            rows.append(
                {
                    "label": course.audiences[audience].label,
                    "minutes": lesson.duration_minutes.get(audience, ""),
                    "links": links,
                }
            )
        lessons.append(
            {
                "id": lesson.id,
                "key": lesson_key(lesson.id),
                "title": lesson.title,
                "summary": lesson.summary,
                "shots": thumbnails.get(lesson.id, []),
                "rows": rows,
            }
        )
    return render(
        "index.html.j2",
        course=course,
        lessons=lessons,
        thumbnails=bool(thumbnails),
        link_labels=[label for _, label in _LINKS],
        built=build_date(),
        version=__version__,
        fonts_css=assets.fonts_css(),
        packs=pack_links(course, exports),
    )

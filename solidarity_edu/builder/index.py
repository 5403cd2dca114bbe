"""exports/index.html: every lesson and audience with links to its outputs, the build date and version."""

from __future__ import annotations

import datetime as dt
import html
import os
from pathlib import Path

from .. import __version__
from ..course import Course
from . import assets
from .screenshots import KINDS as _SHOT_KINDS
from .screenshots import pictured_audience, png_size, screenshot_path

_LINKS = [
    ("slides.html", "Slides"),
    ("worksheet.html", "Worksheet"),
    ("worksheet.pdf", "Worksheet (PDF)"),
    ("guide.html", "Teacher guide"),
    ("guide.pdf", "Teacher guide (PDF)"),
    ("student.ipynb", "Student notebook"),
]

_CSS = """
html{font-family:"Atkinson Hyperlegible","DejaVu Sans",sans-serif;font-size:17px;line-height:1.45;color:#1a1a1a}
body{max-width:62rem;margin:0 auto;padding:1.5rem}
h1{color:#1f4e79;margin-bottom:.2rem} h2{color:#1f4e79;margin:1.6rem 0 .3rem;font-size:1.3rem}
.meta{color:#555;margin-top:0} .summary{margin:.2rem 0 .5rem}
table{border-collapse:collapse;width:100%} th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left}
th{background:#f0f4f9} a{color:#1f4e79} .missing{color:#8a1c1c}
"""
# Only added when there are screenshots, so an index without them stays exactly as it was.
_SHOTS_CSS = """
.shots{list-style:none;display:flex;flex-wrap:wrap;gap:1rem;padding:0;margin:.5rem 0 .8rem}
.shots li{margin:0;width:200px} .shots a{display:block}
.shots img{display:block;max-width:100%;height:auto;border:1px solid #767676;background:#fff}
.shots span{display:block;font-size:.85rem;color:#555;margin-top:.2rem}
"""
_SHOT_TEXT = {
    # kind: (alt text start, visible caption)
    "slides": ("First slide of", "First slide"),
    "worksheet": ("Page 1 of the worksheet for", "Worksheet, page 1"),
    "guide": ("Page 1 of the teacher guide for", "Teacher guide, page 1"),
}
THUMB_WIDTH = 200


def build_date() -> str:
    """Today's date, or SOURCE_DATE_EPOCH's date when set (for reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    return dt.date.today().isoformat()


def _thumbnails(course: Course, exports: Path, failed: set[str] | frozenset[str]) -> dict[str, str]:
    """lesson id -> a list of thumbnail links, for the lessons with screenshots in exports/screenshots/."""
    e = html.escape
    found: dict[str, str] = {}
    version = pictured_audience(exports)
    version_note = f" ({version} version)" if version else ""
    for lesson in course.lessons:
        if any(f"{lesson.id}/{a}" in failed for a in lesson.audiences):
            continue  # never show last week's pictures next to "not built"
        name = f"Lesson {lesson.id[:2]}: {lesson.title}"
        items = []
        for kind, _ in _SHOT_KINDS:
            png = screenshot_path(exports, lesson.id, kind)
            if not png.is_file():
                continue
            try:
                width, height = png_size(png)
            except Exception:
                continue
            rel = png.relative_to(exports).as_posix()
            alt, caption = _SHOT_TEXT[kind]
            items.append(
                f'<li><a href="{e(rel)}"><img src="{e(rel)}" alt="{e(alt)} {e(name)}{e(version_note)}" width="{THUMB_WIDTH}" '
                f'height="{max(1, round(height * THUMB_WIDTH / width))}" loading="lazy"></a>'
                f'<span aria-hidden="true">{caption}{e(version_note)}</span></li>'
            )
        if items:
            found[lesson.id] = (
                f'<ul class="shots" aria-label="Screenshots of lesson {e(lesson.id[:2])}">' + "".join(items) + "</ul>"
            )
    return found


def index_html(course: Course, exports: Path, failed: set[str] | frozenset[str] = frozenset()) -> str:
    e = html.escape
    thumbnails = _thumbnails(course, exports, failed)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(course.title)}: exports</title>",
        f"<style>{assets.fonts_css()}{_CSS}{_SHOTS_CSS if thumbnails else ''}</style></head><body><main>",
        f"<h1>{e(course.title)}</h1>",
        f'<p class="meta">Built {build_date()} with solidarity-edu {__version__}. '
        "Everything here works offline: open any file straight from this folder.</p>",
    ]
    if course.description:
        parts.append(f"<p>{e(course.description)}</p>")
    for lesson in course.lessons:
        parts.append(f'<section aria-labelledby="l-{e(lesson.id)}">')
        parts.append(f'<h2 id="l-{e(lesson.id)}">{e(lesson.id[:2])}. {e(lesson.title)}</h2>')
        if lesson.summary:
            parts.append(f'<p class="summary">{e(lesson.summary)}</p>')
        if lesson.id in thumbnails:
            parts.append(thumbnails[lesson.id])
        parts.append('<table><thead><tr><th scope="col">Audience</th><th scope="col">Time</th>')
        parts.append("".join(f'<th scope="col">{label}</th>' for _, label in _LINKS))
        parts.append("</tr></thead><tbody>")
        for audience in lesson.audiences:
            label = course.audiences[audience].label
            row = [f'<tr><th scope="row">{e(label)}</th>', f"<td>{lesson.duration_minutes.get(audience, '')} min</td>"]
            for name, text in _LINKS:
                rel = f"{lesson.id}/{audience}/{name}"
                if f"{lesson.id}/{audience}" in failed or not (exports / rel).is_file():
                    row.append('<td class="missing">not built</td>')
                else:
                    row.append(f'<td><a href="{e(rel)}">{text}<span hidden> — {e(label)}</span></a></td>')
            parts.append("".join(row) + "</tr>")
        parts.append("</tbody></table></section>")
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"

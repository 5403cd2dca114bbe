"""exports/index.html: where a teacher starts. "Start here" (three steps to teach a lesson), an audience
switch, a table of contents, then every lesson with its materials for the chosen audience; the course
plan, glossary and printables for each audience; how students open their notebook; a footer with the
licence, version and how to cite; schema.org JSON-LD with each lesson's standards."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path

from .. import __version__
from ..course import Course
from ..errors import BuildError
from ..i18n import N_, tr
from ..lesson import lesson_key
from ..standards import lesson_standards
from ..templating import render, safe
from . import assets
from .packs import pack_links, pdf_pages
from .screenshots import KINDS as _SHOT_KINDS
from .screenshots import png_size, screenshot_path

# (file, label, what it is for) in the order a teacher uses them; in English here, shown with tr().
_LINKS = [
    ("guide.pdf", N_("Teacher guide"), N_("PDF: at a glance, procedure, answer key")),
    ("worksheet.pdf", N_("Handout"), N_("PDF to print, one per learner")),
    ("reading.pdf", N_("Reader"), N_("PDF: the lesson's text to read on paper or aloud")),
    ("slides.html", N_("Slides"), N_("opens in any browser, offline")),
    ("student.ipynb", N_("Student notebook"), N_("download for JupyterLab")),
    ("guide.html", N_("Guide (web page)"), ""),
    ("worksheet.html", N_("Handout (web page)"), ""),
    ("reading.html", N_("Reader (web page)"), ""),
    ("sources.json", N_("Sources (CSL JSON)"), N_("for a reference manager")),
]

_SHOT_TEXT = {
    # kind: (alt text, visible caption, the export the picture shows)
    "slides": (N_("First slide of {lesson} ({audience} version)"), N_("Slides"), "slides.html"),
    "worksheet": (
        N_("Page 1 of the handout for {lesson} ({audience} version)"),
        N_("Handout, page 1"),
        "worksheet.pdf",
    ),
    "guide": (
        N_("Page 1 of the teacher guide for {lesson} ({audience} version)"),
        N_("Teacher guide, page 1"),
        "guide.pdf",
    ),
}
THUMB_WIDTH = 200
log = logging.getLogger(__name__)
CITATION_FILE = "CITATION.cff"


def build_date() -> str:
    """Today's date, or SOURCE_DATE_EPOCH's date when set (for reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    return dt.date.today().isoformat()


def lesson_name(course: Course, lesson_id: str) -> str:
    """How every page names a lesson: 'Lesson 01: <its title in course.yaml>' (the one source of titles)."""
    return tr("Lesson {number}: {title}").format(number=lesson_key(lesson_id), title=course.lesson(lesson_id).title)


def _thumbnails(course: Course, exports: Path, failed: set[str] | frozenset[str]) -> dict[str, dict[str, list[dict]]]:
    """lesson id -> audience -> its thumbnails (the material each one opens, alt text, size)."""
    found: dict[str, dict[str, list[dict]]] = {}
    for lesson in course.lessons:
        if any(f"{lesson.id}/{a}" in failed for a in lesson.audiences):
            continue  # never show last week's pictures next to "not built"
        name = lesson_name(course, lesson.id)
        for audience in lesson.audiences:
            version = course.audiences[audience].label
            items = []
            for kind, _ in _SHOT_KINDS:
                png = screenshot_path(exports, lesson.id, kind, audience)
                if not png.is_file():
                    continue
                try:
                    width, height = png_size(png)
                except Exception:
                    continue
                alt, caption, target = _SHOT_TEXT[kind]
                material = f"{lesson.id}/{audience}/{target}"
                items.append(
                    {
                        "href": material if (exports / material).is_file() else png.relative_to(exports).as_posix(),
                        "src": png.relative_to(exports).as_posix(),
                        "alt": tr(alt).format(lesson=name, audience=version),
                        "width": THUMB_WIDTH,
                        "height": max(1, round(height * THUMB_WIDTH / width)),
                        "caption": tr(caption),
                    }
                )
            if items:
                found.setdefault(lesson.id, {})[audience] = items
    return found


def printables(course: Course, exports: Path) -> dict[str, list[dict]]:
    """audience id -> the course-wide documents built for it (course plan, glossary, handout packs ...),
    each {href, text}; only files that exist are listed."""
    found: dict[str, list[dict]] = {}
    for audience in course.audiences:
        items = [link for row in pack_links(course, exports) if row["audience"] == audience for link in row["links"]]
        for rel, text in ((f"{audience}/course-plan.pdf", N_("Course plan (PDF)")), ("glossary.html", N_("Glossary"))):
            if (exports / rel).is_file():
                items.append({"href": rel, "text": tr(text)})
        found[audience] = items
    return found


def citation(root: Path) -> dict[str, str]:
    """The how-to-cite line from CITATION.cff at the project root (empty when there is none)."""
    path = root / CITATION_FILE
    if not path.is_file():
        return {}
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    authors = ", ".join(
        a.get("name") or " ".join(filter(None, [a.get("given-names"), a.get("family-names")]))
        for a in data.get("authors", [])
    )
    return {
        "text": f"{authors}. {data.get('title', '')}. Version {data.get('version', __version__)}.".strip(),
        "licence": str(data.get("license", "")),
    }


def json_ld(course: Course) -> str:
    """schema.org Course data: each lesson a LearningResource with its standards as educationalAlignment."""
    parts = []
    for lesson in course.lessons:
        parts.append(
            {
                "@type": "LearningResource",
                "name": lesson_name(course, lesson.id),
                "description": lesson.summary,
                "timeRequired": f"PT{min(lesson.duration_minutes.values())}M",
                "educationalAlignment": [
                    {
                        "@type": "AlignmentObject",
                        "alignmentType": "teaches",
                        "educationalFramework": s.framework.name,
                        "targetName": s.code,
                        "targetDescription": s.wording,
                        "targetUrl": s.framework.url,
                    }
                    for s in lesson_standards(lesson.standards)
                ],
            }
        )
    data = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": course.title,
        "description": course.description.strip(),
        "inLanguage": "en",
        "isAccessibleForFree": True,
        "license": "https://creativecommons.org/licenses/by-sa/4.0/",
        "hasPart": parts,
    }
    # '</' cannot end the script element early once escaped
    return json.dumps(data, indent=1, ensure_ascii=False).replace("</", "<\\/")


def _handout_pages(path: Path) -> int | None:
    """How many pages a handout has, said beside it (a translated handout may run a page longer than
    the English one); None, with a warning, when the PDF cannot be read."""
    try:
        return pdf_pages(path)
    except BuildError as err:
        log.warning("%s", err)
        return None


def index_html(
    course: Course,
    exports: Path,
    failed: set[str] | frozenset[str] = frozenset(),
    language: str = "en",
    languages: list[dict] | None = None,
) -> str:
    """The index page: start here, the audience switch, a table of contents, every lesson's materials;
    in ``language``, with a switch to the other ``languages`` (tag, name, href, current) when given."""
    thumbnails = _thumbnails(course, exports, failed)
    lessons = []
    for lesson in course.lessons:
        rows = []
        for audience in lesson.audiences:
            links = []
            for name, text, note in _LINKS:
                rel = f"{lesson.id}/{audience}/{name}"
                built = f"{lesson.id}/{audience}" not in failed and (exports / rel).is_file()
                shown = tr(note) if note else ""
                pages = _handout_pages(exports / rel) if built and name == "worksheet.pdf" else None
                if pages:
                    shown = tr("{note}; pages: {pages}").format(note=shown, pages=pages)
                links.append(
                    {
                        "href": rel if built else None,
                        "text": tr(text),
                        "note": shown,
                        "download": name.endswith(".ipynb"),
                    }
                )
            rows.append(
                {
                    "audience": audience,
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
                "standards": lesson_standards(lesson.standards),
                "shots": thumbnails.get(lesson.id, {}),
                "rows": rows,
            }
        )
    return render(
        "index.html.j2",
        course=course,
        lessons=lessons,
        audiences=list(course.audiences.values()),
        first_audience=next(iter(course.audiences)),
        printables=printables(course, exports),
        thumbnails=bool(thumbnails),
        built=build_date(),
        version=__version__,
        citation=citation(course.root.parent),
        json_ld=safe(json_ld(course)),
        fonts_css=assets.fonts_css(),
        language=language,
        languages=languages if languages and len(languages) > 1 else [],
    )

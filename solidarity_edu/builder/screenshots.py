"""PNG screenshots of every lesson, so a reviewer sees the whole course at a glance.

For each lesson: the first slide (slides.html opened in Debian's Chromium at 1280x720, saved at half
size), its first chart slide and first check slide with the answer revealed (``<id>-slide-chart.png``,
``<id>-slide-check.png``, when the deck has one) and page 1 of the printed handout and teacher guide
(worksheet.pdf / guide.pdf rendered by poppler's pdftoppm, so the picture is the true printed page). They go to
exports/screenshots/<lesson-id>-{slides,worksheet,guide}.png, overwriting older ones; exports/index.html
shows them as thumbnails (see index.py).
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

from ..course import Course
from ..errors import BuildError
from .pdf import browser

SCREENSHOTS_DIR = "screenshots"
# (kind, the export it shows) in the order the index shows them.
KINDS = (("slides", "slides.html"), ("worksheet", "worksheet.pdf"), ("guide", "guide.pdf"))
# Slides a reviewer should see besides the first: (kind, CSS selector of the slide). A check is shown
# with its answer revealed (its fragment shown), as the room sees it after the teacher's key press.
SLIDE_KINDS = (("slide-chart", "section.se-layout-chart"), ("slide-check", "section[data-se-slide]:has(.se-check)"))
SLIDE_VIEWPORT = {"width": 1280, "height": 720}
SLIDE_SCALE = 0.5  # 1280x720 laid out, saved as 640x360
PDF_DPI = 72  # a US Letter page becomes 612x792
DEFAULT_AUDIENCE = "community"
# Ready when the charts are drawn (or there are none), the fonts are loaded and reveal.js is set up.
_READY = (
    "(!document.querySelector('.se-chart[data-spec]') || document.documentElement.dataset.chartsRendered === 'true')"
    " && (typeof Reveal === 'undefined' || typeof Reveal.isReady !== 'function' || Reveal.isReady())"
)
_NOT_LOCAL = re.compile(r"^(?!file:|data:|about:).*")


AUDIENCE_FILE = "audience.txt"


def pictured_audience(exports: Path) -> str:
    """The label of the audience the screenshots show ('' when unknown)."""
    path = Path(exports) / SCREENSHOTS_DIR / AUDIENCE_FILE
    return path.read_text(encoding="utf-8").strip() if path.is_file() else ""


def screenshot_path(exports: Path, lesson_id: str, kind: str) -> Path:
    return exports / SCREENSHOTS_DIR / f"{lesson_id}-{kind}.png"


def default_audience(course: Course) -> str:
    """'community' when the course has it (the longest version of each lesson), else the first audience."""
    return DEFAULT_AUDIENCE if DEFAULT_AUDIENCE in course.audiences else next(iter(course.audiences))


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) read from a PNG's IHDR chunk; BuildError if the file is not a PNG."""
    with open(path, "rb") as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise BuildError(f"{path}: not a PNG file; run 'solidarity-edu screenshots' again")
    return struct.unpack(">II", head[16:24])


def _pdftoppm() -> str:
    path = shutil.which("pdftoppm")
    if not path:
        raise BuildError(
            "pdftoppm not found: it draws page 1 of each PDF. Install Debian's poppler-utils with "
            "'make system' (or 'apt-get install -y poppler-utils')."
        )
    return path


def _plan(exports: Path, course: Course, audience: str) -> list[tuple[str, str, Path, Path]]:
    """(lesson id, kind, source export, PNG to write) for every screenshot; BuildError if an export is missing."""
    if audience not in course.audiences:
        raise BuildError(f"{course.path}: no audience {audience!r}; the audiences are: {', '.join(course.audiences)}")
    jobs, missing = [], []
    for lesson in course.lessons:
        lesson_audience = audience if audience in lesson.audiences else lesson.audiences[0]
        for kind, name in KINDS:
            source = exports / lesson.id / lesson_audience / name
            if not source.is_file():
                missing.append(source)
            jobs.append((lesson.id, kind, source, screenshot_path(exports, lesson.id, kind)))
    if missing:
        listed = "\n  ".join(str(p) for p in missing[:10])
        more = f"\n  ... and {len(missing) - 10} more" if len(missing) > 10 else ""
        raise BuildError(
            f"{len(missing)} export(s) missing, nothing to screenshot:\n  {listed}{more}\n"
            f"fix: run `solidarity-edu build --exports {exports}` first, "
            f"then `solidarity-edu screenshots --exports {exports}` again"
        )
    return jobs


def _pdf_page_one(pdftoppm: str, pdf: Path, png: Path) -> None:
    with tempfile.TemporaryDirectory(dir=png.parent, prefix=".pdftoppm-") as tmp:
        prefix = Path(tmp) / "page"
        result = subprocess.run(
            [pdftoppm, "-png", "-f", "1", "-l", "1", "-r", str(PDF_DPI), "-singlefile", str(pdf), str(prefix)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        out = prefix.with_suffix(".png")
        if result.returncode != 0 or not out.is_file():
            raise BuildError(
                f"{pdf}: pdftoppm could not draw page 1 ({result.stderr.strip() or f'exit {result.returncode}'}); "
                "rebuild it with `solidarity-edu build --force`"
            )
        os.replace(out, png)


def _first_slide(page, html: Path, png: Path) -> None:
    try:
        page.goto(html.resolve().as_uri(), wait_until="load")
        page.wait_for_function(_READY, timeout=30000)
        page.evaluate("document.fonts.ready.then(() => true)")
        tmp = png.with_name(f".{png.name}.tmp.png")
        page.screenshot(path=str(tmp), animations="disabled", caret="hide")
    except Exception as err:
        raise BuildError(
            f"{html}: Chromium could not draw the first slide: {err}; rebuild it with `solidarity-edu build --force`"
        ) from err
    os.replace(tmp, png)


def _chosen_slide(page, html: Path, selector: str, png: Path) -> bool:
    """The first slide matching ``selector`` (fragments shown); False when the deck has none."""
    page.goto(html.resolve().as_uri(), wait_until="load")
    page.wait_for_function(_READY, timeout=30000)
    index = page.evaluate(
        "sel => [...document.querySelectorAll('.reveal .slides > section')].findIndex(s => s.matches(sel))",
        selector,
    )
    if index < 0:
        png.unlink(missing_ok=True)
        return False
    page.evaluate(f"Reveal.slide({index}, 0, 99)")
    page.evaluate("document.fonts.ready.then(() => true)")
    tmp = png.with_name(f".{png.name}.tmp.png")
    page.screenshot(path=str(tmp), animations="disabled", caret="hide")
    os.replace(tmp, png)
    return True


def take_screenshots(exports: Path, course: Course, audience: str | None = None) -> list[Path]:
    """Write the first slide, worksheet page 1 and guide page 1 of every lesson; return the PNGs written.

    ``audience`` defaults to 'community' (or the course's first audience); a lesson without that
    audience is shown in its own first audience. Every network request of the browser is blocked.
    """
    exports = Path(exports)
    audience = audience or default_audience(course)
    jobs = _plan(exports, course, audience)
    out_dir = exports / SCREENSHOTS_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    pdftoppm = _pdftoppm()
    written: list[Path] = []
    extra: list[Path] = []  # a chart slide and a check slide, where the lesson has them
    for _, kind, source, png in jobs:
        if kind != "slides":
            _pdf_page_one(pdftoppm, source, png)
            written.append(png)
    slides = [(source, png) for _, kind, source, png in jobs if kind == "slides"]
    try:
        with browser() as b:
            context = b.new_context(viewport=SLIDE_VIEWPORT, device_scale_factor=SLIDE_SCALE)
            context.route(_NOT_LOCAL, lambda route: route.abort("blockedbyclient"))
            page = context.new_page()
            for source, png in slides:
                _first_slide(page, source, png)
                written.append(png)
            for lesson_id, _, source, _png in [j for j in jobs if j[1] == "slides"]:
                for kind, selector in SLIDE_KINDS:
                    target = screenshot_path(exports, lesson_id, kind)
                    if _chosen_slide(page, source, selector, target):
                        extra.append(target)
            context.close()
    except BuildError:
        raise
    except Exception as err:
        raise BuildError(f"Chromium could not take the screenshots: {err}") from err
    order = {png: i for i, (_, _, _, png) in enumerate(jobs)}
    written.sort(key=order.__getitem__)
    written += extra
    # Which version the pictures show, for the index's alt text and captions.
    label = course.audiences[audience].label
    (out_dir / AUDIENCE_FILE).write_text(f"{label}\n", encoding="utf-8")
    return written


INDEX_TOP = "index-top.png"
INDEX_VIEWPORT = {"width": 1280, "height": 800}


def take_index_top(exports: Path) -> Path:
    """exports/screenshots/index-top.png: the top of index.html as a teacher first sees it (start here,
    the audience switch), 1280x800. Every network request of the browser is blocked."""
    exports = Path(exports)
    index = exports / "index.html"
    if not index.is_file():
        raise BuildError(f"{index} not found: run `solidarity-edu build` first")
    png = exports / SCREENSHOTS_DIR / INDEX_TOP
    png.parent.mkdir(parents=True, exist_ok=True)
    try:
        with browser() as b:
            context = b.new_context(viewport=INDEX_VIEWPORT)
            context.route(_NOT_LOCAL, lambda route: route.abort("blockedbyclient"))
            page = context.new_page()
            page.goto(index.resolve().as_uri(), wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            page.screenshot(path=str(png), animations="disabled", caret="hide")
            context.close()
    except Exception as err:
        raise BuildError(f"Chromium could not take the screenshot of {index}: {err}") from err
    return png

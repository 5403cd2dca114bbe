"""PNG screenshots of every lesson, so a reviewer sees the whole course at a glance.

For each audience and lesson: the first slide (slides.html opened in Debian's Chromium at 1280x720, saved
at half size), its first chart slide and first check slide with the answer revealed
(``<id>-slide-chart.png``, ``<id>-slide-check.png``, when the deck has one) and page 1 of the printed
handout and teacher guide (worksheet.pdf / guide.pdf rendered by poppler's pdftoppm, so the picture is
the true printed page). They go to exports/screenshots/<audience>/<lesson-id>-<kind>.png, overwriting
older ones; exports/index.html shows each audience's pictures under its audience switch (see index.py).
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
# Ready when the charts are drawn (or there are none), the fonts are loaded and reveal.js is set up.
_READY = (
    "(!document.querySelector('.se-chart[data-spec]') || document.documentElement.dataset.chartsRendered === 'true')"
    " && (typeof Reveal === 'undefined' || typeof Reveal.isReady !== 'function' || Reveal.isReady())"
)
_NOT_LOCAL = re.compile(r"^(?!file:|data:|about:).*")


def screenshot_path(exports: Path, lesson_id: str, kind: str, audience: str) -> Path:
    """Where the picture of one lesson's export for one audience goes."""
    return exports / SCREENSHOTS_DIR / audience / f"{lesson_id}-{kind}.png"


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
        if audience not in lesson.audiences:
            continue  # a lesson not made for this audience has no pictures under it
        for kind, name in KINDS:
            source = exports / lesson.id / audience / name
            if not source.is_file():
                missing.append(source)
            jobs.append((lesson.id, kind, source, screenshot_path(exports, lesson.id, kind, audience)))
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
    """Write the first slide, handout page 1 and guide page 1 (and a chart and a check slide where the
    deck has them) of every lesson, for every audience or only ``audience``; return the PNGs written.

    Every network request of the browser is blocked."""
    exports = Path(exports)
    audiences = [audience] if audience else list(course.audiences)
    jobs = {a: _plan(exports, course, a) for a in audiences}  # every export checked before any picture
    pdftoppm = _pdftoppm()
    _drop_old_layout(exports / SCREENSHOTS_DIR)
    written: list[Path] = []
    for a in audiences:
        (exports / SCREENSHOTS_DIR / a).mkdir(parents=True, exist_ok=True)
        for _, kind, source, png in jobs[a]:
            if kind != "slides":
                _pdf_page_one(pdftoppm, source, png)
                written.append(png)
    try:
        with browser() as b:
            context = b.new_context(viewport=SLIDE_VIEWPORT, device_scale_factor=SLIDE_SCALE)
            context.route(_NOT_LOCAL, lambda route: route.abort("blockedbyclient"))
            page = context.new_page()
            for a in audiences:
                for lesson_id, kind, source, png in jobs[a]:
                    if kind != "slides":
                        continue
                    _first_slide(page, source, png)
                    written.append(png)
                    for slide_kind, selector in SLIDE_KINDS:
                        target = screenshot_path(exports, lesson_id, slide_kind, a)
                        if _chosen_slide(page, source, selector, target):
                            written.append(target)
            context.close()
    except BuildError:
        raise
    except Exception as err:
        raise BuildError(f"Chromium could not take the screenshots: {err}") from err
    return sorted(written)


def _drop_old_layout(folder: Path) -> None:
    """Remove the pictures of the layout before per-audience folders (one audience, named in
    audience.txt, straight under screenshots/), so no stale picture is left beside the new ones."""
    for old in [*folder.glob("*-*.png"), folder / "audience.txt"]:
        if old.name != INDEX_TOP and old.is_file():
            old.unlink()


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

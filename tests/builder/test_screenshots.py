"""`solidarity-edu screenshots`: a PNG of each lesson's first slide, worksheet page 1 and guide page 1,
shown as thumbnails on exports/index.html (valid, accessible, offline); clear errors when exports are missing."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FIXED_EPOCH, require_tool, run_cli

from solidarity_edu.builder.index import index_html
from solidarity_edu.builder.pdf import CHROMIUM_ARGS
from solidarity_edu.course import load_course

LESSONS = ("01-alpha", "02-beta")
KINDS = ("slides", "worksheet", "guide")
AUDIENCES = ("high-school", "community")  # the fixture course's audiences
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run_screenshots(course: Path, exports: Path, *extra: str) -> subprocess.CompletedProcess:
    """`solidarity-edu screenshots`, through the real command line."""
    return run_cli(course, "screenshots", "--exports", str(exports), *extra, timeout=300)


def copy_exports(fixture_build, dest: Path) -> tuple[Path, Path]:
    """A private copy of the shared fixture exports (other tests read the original)."""
    course, exports, _ = fixture_build
    shutil.copytree(exports, dest)
    return course, dest


@pytest.fixture(scope="module")
def shot_exports(fixture_build, tmp_path_factory) -> tuple[Path, Path, subprocess.CompletedProcess]:
    """The fixture build copied, then screenshotted through the CLI: (course.yaml, exports, result)."""
    require_tool("pdftoppm", "poppler-utils")
    course, exports = copy_exports(fixture_build, tmp_path_factory.mktemp("shots") / "exports")
    result = run_screenshots(course, exports)
    return course, exports, result


def decode_png(path: Path) -> tuple[int, int, set[bytes]]:
    """(width, height, distinct pixel values) of an 8-bit, non-interlaced PNG, with the standard library only."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path}: not a PNG"
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, ctype = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if ctype == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif ctype == b"IDAT":
            idat.append(body)
        pos += 12 + length
    assert header is not None, f"{path}: no IHDR chunk"
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and interlace == 0, f"{path}: unexpected PNG format {header}"
    bpp = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    assert len(raw) == height * (stride + 1), f"{path}: truncated image data"
    prev = bytearray(stride)
    pixels: set[bytes] = set()
    i = 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1 : i + 1 + stride])
        i += stride + 1
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        pixels.update(bytes(line[x : x + bpp]) for x in range(0, stride, bpp))
        prev = line
    return width, height, pixels


class _Imgs(HTMLParser):
    """Every <img> with the href of the link around it."""

    def __init__(self) -> None:
        super().__init__()
        self.imgs: list[dict] = []
        self._href: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self._href = attrs.get("href")
        elif tag == "img":
            self.imgs.append({**attrs, "link": self._href})

    def handle_endtag(self, tag):
        if tag == "a":
            self._href = None


def index_imgs(exports: Path) -> list[dict]:
    parser = _Imgs()
    parser.feed((exports / "index.html").read_text(encoding="utf-8"))
    return parser.imgs


def test_one_real_non_blank_png_per_audience_lesson_and_kind(shot_exports):
    _, exports, result = shot_exports
    assert result.returncode == 0, result.stderr
    pngs = sorted(p.relative_to(exports / "screenshots").as_posix() for p in (exports / "screenshots").rglob("*.png"))
    # Each fixture lesson has a chart slide (course_map) and no check: so a chart slide, no check slide.
    shown = (*KINDS, "slide-chart")
    expected = [f"{a}/{lesson}-{kind}.png" for a in AUDIENCES for lesson in LESSONS for kind in shown]
    assert pngs == sorted([*expected, "index-top.png"])
    for name in pngs:
        path = exports / "screenshots" / name
        width, height, pixels = decode_png(path)
        if name == "index-top.png":
            assert (width, height) == (1280, 800), path  # the top of the index, as a teacher first sees it
        elif name.endswith(("-slides.png", "-slide-chart.png")):
            assert (width, height) == (640, 360), path  # 1280x720 at half size
        else:
            assert 400 <= width <= 900 and height > width, f"{path}: {width}x{height} is not a portrait page"
        assert len(pixels) >= 16, f"{path}: only {len(pixels)} colours: blank?"
    assert not list((exports / "screenshots").rglob(".*")), "temporary files left behind"
    # each audience's pictures show its own version: the guide's first page names the audience
    assert (exports / "screenshots/high-school/01-alpha-guide.png").read_bytes() != (
        exports / "screenshots/community/01-alpha-guide.png"
    ).read_bytes()


def test_running_again_for_one_audience_overwrites_only_its_files(shot_exports):
    course, exports, _ = shot_exports
    before = {p: p.stat().st_mtime_ns for p in (exports / "screenshots").rglob("*.png")}
    result = run_screenshots(course, exports, "--audience", "high-school")
    assert result.returncode == 0, result.stderr
    after = {p: p.stat().st_mtime_ns for p in (exports / "screenshots").rglob("*.png")}
    assert set(after) == set(before)
    changed = {p.relative_to(exports / "screenshots").parts[0] for p in after if after[p] != before[p]}
    assert changed == {"high-school", "index-top.png"}


def test_index_shows_each_audiences_thumbnails_with_alt_text(shot_exports):
    _, exports, _ = shot_exports
    imgs = index_imgs(exports)
    assert len(imgs) == len(AUDIENCES) * len(LESSONS) * len(KINDS)
    srcs = {img["src"] for img in imgs}
    assert srcs == {f"screenshots/{a}/{lesson}-{kind}.png" for a in AUDIENCES for lesson in LESSONS for kind in KINDS}
    for img in imgs:
        assert not re.match(r"^(/|[a-z]+:)", img["src"]), f"{img['src']}: not a relative link"
        assert (exports / img["src"]).is_file(), img["src"]
        assert img["link"] and (exports / img["link"]).is_file(), img
        audience = img["src"].split("/")[1]
        assert img["link"].split("/")[1] == audience, img  # the thumbnail opens that audience's material
        assert img.get("alt", "").strip(), img
        assert img["width"] == "200" and int(img["height"]) > 0 and img["loading"] == "lazy"
    alts = {img["src"]: img["alt"] for img in imgs}
    assert alts["screenshots/community/01-alpha-slides.png"] == (
        "First slide of Lesson 01: Lesson 01-alpha (Community study circle version)"
    )
    assert alts["screenshots/high-school/02-beta-worksheet.png"] == (
        "Page 1 of the handout for Lesson 02: Lesson 02-beta (High school version)"
    )


def test_index_without_screenshots_is_unchanged(fixture_build, tmp_path, monkeypatch):
    course_path, original, _ = fixture_build
    assert not (original / "screenshots").exists()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    text = index_html(load_course(course_path), original)
    assert text == (original / "index.html").read_text(encoding="utf-8")
    assert "<img" not in text and "shots" not in text


def test_a_missing_export_names_the_file_and_the_fix(fixture_build, tmp_path):
    course, exports = copy_exports(fixture_build, tmp_path / "exports")
    missing = exports / "02-beta" / "community" / "guide.pdf"
    missing.unlink()
    result = run_screenshots(course, exports)
    assert result.returncode != 0
    assert str(missing) in result.stderr, result.stderr
    assert "solidarity-edu build" in result.stderr
    assert not (exports / "screenshots").exists()


def test_an_unknown_audience_lists_the_audiences(fixture_build, tmp_path):
    course, exports = copy_exports(fixture_build, tmp_path / "exports")
    result = run_screenshots(course, exports, "--audience", "kindergarten")
    assert result.returncode != 0
    assert "kindergarten" in result.stderr and "high-school, community" in result.stderr, result.stderr


@pytest.mark.browser
def test_index_thumbnails_load_in_chromium_and_pass_axe(shot_exports):
    from fixtures.axe import serious_violations
    from playwright.sync_api import sync_playwright

    _, exports, result = shot_exports
    assert result.returncode == 0, result.stderr
    chromium = require_tool("chromium", "chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        attempts: list[str] = []
        context.route(
            re.compile(r"^(?!file:|data:|about:).*"),
            lambda route: (attempts.append(route.request.url), route.abort()),
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((exports / "index.html").as_uri(), wait_until="load")
        assert page.locator("img").count() == len(AUDIENCES) * len(LESSONS) * len(KINDS)
        for audience in AUDIENCES:  # the switch shows one audience's pictures at a time
            page.check(f'#audience-switch input[value="{audience}"]')
            shown = page.locator("img:visible")
            assert shown.count() == len(LESSONS) * len(KINDS)
            for i in range(shown.count()):
                assert f"screenshots/{audience}/" in shown.nth(i).get_attribute("src")
                shown.nth(i).scroll_into_view_if_needed()  # they load lazily
            page.wait_for_function(
                "[...document.images].filter(i => i.offsetParent !== null).every(img => img.complete)", timeout=10000
            )
        sizes = page.eval_on_selector_all("img", "els => els.map(e => [e.getAttribute('src'), e.naturalWidth])")
        for src, natural_width in sizes:
            assert natural_width > 0, f"{src} did not load"
        assert serious_violations(page, "index.html with thumbnails") == []
        assert attempts == [] and errors == [], (attempts, errors)
        browser.close()

"""Every HTML export opened in Debian's Chromium with the network blocked: no request, no console
error, every chart drawn, every link resolving; slides advance by keyboard and carry speaker notes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import require_tool

from solidarity_edu.build.pdf import CHROMIUM_ARGS

pytestmark = pytest.mark.browser
# A page is ready when it has no chart, or when the inlined Vega runtime has drawn them all.
CHARTS_DRAWN = (
    "!document.querySelector('.se-chart[data-spec]') || document.documentElement.dataset.chartsRendered === 'true'"
)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = require_tool("chromium", "chromium")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _open(browser, path: Path):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    attempts: list[str] = []
    context.route(
        re.compile(r"^(?!file:|data:|about:).*"), lambda route: (attempts.append(route.request.url), route.abort())
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri(), wait_until="load")
    return context, page, attempts, errors


def _html_exports(exports: Path) -> list[Path]:
    return sorted(exports.rglob("*.html"))


def test_every_export_is_offline_error_free_and_draws_its_charts(real_exports, browser):
    pages = _html_exports(real_exports)
    assert len(pages) >= 10
    drawn = 0
    for path in pages:
        context, page, attempts, errors = _open(browser, path)
        if path.name == "slides.html":
            page.wait_for_function(CHARTS_DRAWN, timeout=20000)
        charts = page.locator(".se-chart")
        for i in range(charts.count()):
            assert charts.nth(i).locator("svg, canvas").count() >= 1, f"{path}: chart {i + 1} not drawn"
        drawn += charts.count()
        assert page.evaluate("document.documentElement.lang") == "en"
        page.wait_for_timeout(200)
        assert attempts == [], f"{path}: tried the network: {attempts}"
        assert errors == [], f"{path}: console errors: {errors}"
        context.close()
    assert drawn >= 20  # the history lessons' timelines, maps and charts, in every format


def test_index_links_resolve(real_exports, browser):
    context, page, _, _ = _open(browser, real_exports / "index.html")
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert len(hrefs) >= 18
    for href in hrefs:
        assert (real_exports / href).is_file(), href
    context.close()


def test_slides_advance_by_keyboard_and_have_speaker_notes(real_exports, browser):
    context, page, _, _ = _open(browser, real_exports / "00-welcome/community/slides.html")
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    assert page.evaluate("Reveal.getIndices().h") == 0
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("Reveal.getIndices().h") == 2
    assert page.locator("aside.notes").count() >= 3
    assert page.locator(".reveal").bounding_box()["height"] > 500  # the deck fills the window
    context.close()


def test_no_slide_overflows_the_screen(real_exports, browser):
    """Every slide of every deck fits a 1280x800 window: nothing cut off, nothing to scroll."""
    decks = sorted(real_exports.rglob("slides.html"))
    assert decks
    for deck in decks:
        context, page, _, _ = _open(browser, deck)
        page.wait_for_function("window.Reveal && Reveal.isReady()")
        page.wait_for_function(CHARTS_DRAWN, timeout=20000)
        total = page.evaluate("Reveal.getTotalSlides()")
        for index in range(total):
            page.evaluate(f"Reveal.slide({index})")
            over = page.evaluate(
                "(() => { const s = Reveal.getCurrentSlide(); return s.scrollHeight - s.clientHeight; })()"
            )
            assert over <= 2, f"{deck}: slide {index + 1} of {total} overflows by {over}px"
        context.close()

"""Every HTML export opened in Debian's Chromium with the network blocked: no request, no console
error, every chart drawn, every link resolving; slides advance by keyboard and carry speaker notes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import require_tool
from fixtures.axe import serious_violations

from solidarity_edu.builder.pdf import CHROMIUM_ARGS

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


# Lays every reveal.js slide out on the page, visible, so axe checks them all (it skips hidden content).
SHOW_EVERY_SLIDE = """() => {
  document.querySelectorAll('.reveal .slides section').forEach(s => {
    s.removeAttribute('aria-hidden'); s.removeAttribute('hidden');
    s.classList.remove('future', 'past'); s.classList.add('present');
  });
  const style = document.createElement('style');
  style.textContent = '.reveal .slides section{display:block!important;position:relative!important;' +
    'opacity:1!important;visibility:visible!important;transform:none!important;top:auto!important}' +
    '.reveal .slides{overflow:visible!important}';
  document.head.appendChild(style);
}"""


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


def test_every_export_is_offline_error_free_accessible_and_draws_its_charts(real_exports, browser):
    """Also runs axe-core (WCAG 2.1 A and AA rules) on every page: no serious or critical violation."""
    pages = _html_exports(real_exports)
    assert len(pages) >= 10
    drawn = 0
    accessibility: list[str] = []
    for path in pages:
        context, page, attempts, errors = _open(browser, path)
        if path.name == "slides.html":
            page.wait_for_function(CHARTS_DRAWN, timeout=20000)
        charts = page.locator(".se-chart")
        for i in range(charts.count()):
            assert charts.nth(i).locator("svg, canvas").count() >= 1, f"{path}: chart {i + 1} not drawn"
        drawn += charts.count()
        assert page.evaluate("document.documentElement.lang") == "en"
        # Playwright's signal that the page has made (or had blocked) every request it will make.
        page.wait_for_load_state("networkidle")
        assert attempts == [], f"{path}: tried the network: {attempts}"
        assert errors == [], f"{path}: console errors: {errors}"
        accessibility += serious_violations(page, str(path.relative_to(real_exports)))
        if path.name == "slides.html":  # reveal hides every slide but the current one: check them all
            page.evaluate(SHOW_EVERY_SLIDE)
            accessibility += serious_violations(page, f"{path.relative_to(real_exports)} (every slide)")
        context.close()
    assert accessibility == [], "axe-core found serious or critical violations:\n" + "\n".join(accessibility)
    assert drawn >= 20  # the history lessons' timelines, maps and charts, in every format


def test_index_links_resolve(real_exports, browser):
    context, page, _, _ = _open(browser, real_exports / "index.html")
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert len(hrefs) >= 18
    for href in hrefs:
        if href.startswith("#"):  # the table of contents: an element of this page
            assert page.locator(href).count() == 1, href
        else:
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


def test_the_accessibility_check_catches_a_bad_page(browser, tmp_path):
    """The axe-core check is real: an image without alt text and grey-on-grey text are reported."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!doctype html><html lang="en"><head><title>bad</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<p style="color:#aaa;background:#bbb">hard to read</p></main></body></html>'
    )
    context, page, _, _ = _open(browser, bad)
    found = "\n".join(serious_violations(page, "bad.html"))
    context.close()
    assert "image-alt" in found and "color-contrast" in found, found

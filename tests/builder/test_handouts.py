"""The printed student pages of the real course, read back from the PDFs (issue 12).

Handouts: page limits per audience, the exit ticket last, the printed numbers, organizers, no block
split across pages, no heading alone at the bottom of a page, no near-empty page. Readers: no prompts,
no web addresses. Every student-facing PDF: no screen-only words. Packs: page counts, odd-page starts,
Letter paper by default and A4 on request."""

from __future__ import annotations

import html as htmllib
import re
import subprocess
import zipfile
from dataclasses import dataclass

import pytest
from conftest import require_tool, run_build
from fixtures.make_course import make_course
from pypdf import PdfReader

from solidarity_edu.builder.handout import handout_data
from solidarity_edu.course import load_course
from solidarity_edu.lesson import read_lesson
from solidarity_edu.printing import screen_words
from solidarity_edu.prompts import numbered_prompts

PAGE_LIMITS = {"high-school": 2, "college": 3, "community": 3}
RULE_PT = 7.1 / 25.4 * 72  # one ruled line, in points
BOTTOM_MARGIN_PT = 12 / 25.4 * 72  # handout.css @page bottom margin
LETTER, A4 = (612, 792), (595, 842)


@dataclass(frozen=True)
class Line:
    page: int  # 1-based
    y_min: float
    y_max: float
    text: str


def _norm(text: str) -> str:
    """Words, lower case. A digit and the letters after it are one word: poppler splits "5Ds" into "5 Ds"
    because the digits come from another font (pagestyle.DIGITS_FONT_FACE)."""
    words = " ".join(re.sub(r"[^\w]+", " ", text).split()).lower()
    return re.sub(r"(?<=\d) (?=[a-z])", "", words)


def _lines(pdf) -> tuple[list[Line], list[float]]:
    """Every text line of the PDF with its page and vertical box (pdftotext -bbox-layout), and the page heights."""
    require_tool("pdftotext", "poppler-utils")
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines, heights = [], []
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", xml, re.S), start=1):
        heights.append(float(re.search(r'height="([\d.]+)"', page).group(1)))
        for y_min, y_max, body in re.findall(
            r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</line>', page, re.S
        ):
            words = " ".join(htmllib.unescape(w) for w in re.findall(r"<word [^>]*>(.*?)</word>", body))
            lines.append(Line(number, float(y_min), float(y_max), words))
    return lines, heights


def _find(lines: list[Line], text: str, first: bool = True, after: Line | None = None) -> Line:
    """The line holding the first (or the last) few words of ``text`` (they may wrap onto the next line),
    looking from the line ``after`` on when given."""
    words = _norm(text).split()
    probe = " ".join(words[:4] if first else words[-3:])
    start = lines.index(after) if after is not None else 0
    for index in range(start, len(lines)):
        line = lines[index]
        if probe in _norm(line.text):
            return line
        following = lines[index + 1] if index + 1 < len(lines) else None
        if following and following.page == line.page and probe in _norm(f"{line.text} {following.text}"):
            return line if first else following
    raise AssertionError(f"{probe!r} is not on any line")


def _assert_pages_end_well(lines: list[Line], heights: list[float], headings: set[str], where: str) -> None:
    """No page ends on one of ``headings``; every page but the last is filled at least a quarter."""
    pages = max(line.page for line in lines)
    for page in range(1, pages + 1):
        body = [line for line in lines if line.page == page and not re.fullmatch(r"\d+ / \d+", line.text)]
        assert _norm(body[-1].text) not in headings, f"{where}: page {page} ends on a heading"
        if page < pages:
            assert body[-1].y_max >= heights[page - 1] / 4, f"{where}: page {page} is less than a quarter full"


def _jobs(root):
    course = load_course(root / "notebooks" / "course.yaml")
    return course, [(lesson, audience) for lesson in course.lessons for audience in lesson.audiences]


def test_handouts_fit_their_page_limits(real_exports, root):
    _, jobs = _jobs(root)
    for lesson, audience in jobs:
        pages = len(PdfReader(real_exports / lesson.id / audience / "worksheet.pdf").pages)
        assert 1 <= pages <= PAGE_LIMITS[audience], f"{lesson.id}/{audience}: {pages} pages"


def test_no_screen_words_in_any_student_facing_pdf(real_exports, root):
    course, jobs = _jobs(root)
    pdfs = [
        real_exports / lesson.id / audience / name
        for lesson, audience in jobs
        for name in ("worksheet.pdf", "reading.pdf")
    ]
    pdfs += [
        real_exports / audience / name for audience in course.audiences for name in ("handouts.pdf", "readings.pdf")
    ]
    for pdf in pdfs:
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert len(text) > 200, pdf
        assert screen_words(text) == [], f"{pdf}: {screen_words(text)}"


def test_handouts_print_the_numbered_prompts_with_the_exit_ticket_last(real_exports, root):
    course, jobs = _jobs(root)
    for lesson, audience in jobs:
        model = read_lesson(lesson.notebook)
        numbered = numbered_prompts(model, audience, course.audiences)
        page = (real_exports / lesson.id / audience / "worksheet.html").read_text()
        printed = re.findall(r'id="prompt-(\d+)" data-prompt="([\w-]+)"', page)
        expected = [(str(n), p.id) for n, p in numbered if p.id != f"{model.key}-exit"] + [
            (str(len(numbered)), f"{model.key}-exit")
        ]
        assert printed == expected, f"{lesson.id}/{audience}"
        lines, _ = _lines(real_exports / lesson.id / audience / "worksheet.pdf")
        exit_line = _find(lines, numbered[-1][1].question)
        assert exit_line.page == max(line.page for line in lines), (
            f"{lesson.id}/{audience}: exit ticket not on the last page"
        )
        for _, prompt in numbered[:-1]:
            line = _find(lines, prompt.question)
            assert (line.page, line.y_min) < (exit_line.page, exit_line.y_min), f"{lesson.id}/{audience}: {prompt.id}"


def test_no_block_is_split_and_no_page_ends_on_a_heading_or_stays_nearly_empty(real_exports, root):
    course, jobs = _jobs(root)
    for lesson, audience in jobs:
        pdf = real_exports / lesson.id / audience / "worksheet.pdf"
        lines, heights = _lines(pdf)
        where = f"{lesson.id}/{audience}"
        data = handout_data(read_lesson(lesson.notebook), audience, course.audiences)
        for block in [*data["blocks"], data["exit"]]:
            if block["type"] == "prompt":
                top = _find(lines, block["question"])
                bottom = _find(lines, block["question"], first=False, after=top)
                assert top.page == bottom.page, f"{where}: prompt {block['number']} split"
                for option in block["options"]:
                    assert _find(lines, option["text"], first=False, after=top).page == top.page, (
                        f"{where}: {option['text']!r}"
                    )
                if block["lines"]:
                    room = heights[top.page - 1] - BOTTOM_MARGIN_PT - bottom.y_max
                    assert room >= block["lines"] * RULE_PT - 2, f"{where}: prompt {block['number']} lines run over"
            elif block["type"] == "organizer":
                title = _find(lines, block["title"])
                pages = {_find(lines, label, after=title).page for label in block["labels"]} | {title.page}
                assert len(pages) == 1, f"{where}: organizer split"
            else:
                text = re.sub(r"<[^>]+>", " ", str(block["html"]))
                top = _find(lines, text)
                assert _find(lines, text, first=False, after=top).page == top.page, f"{where}: excerpt split"
        headings = {"essential question"} | {_norm(b["title"]) for b in data["blocks"] if b["type"] == "organizer"}
        _assert_pages_end_well(lines, heights, headings, where)


def test_readers_hold_the_text_but_no_prompts_and_no_web_addresses(real_exports, root):
    _, jobs = _jobs(root)
    for lesson, audience in jobs:
        pdf = real_exports / lesson.id / audience / "reading.pdf"
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert lesson.title.split(":")[0] in text
        assert not re.search(r"https?://|www\.", text), pdf
        flat = _norm(text)
        for prompt in read_lesson(lesson.notebook).prompts:
            assert _norm(prompt.question) not in flat, f"{pdf}: prompt {prompt.id}"
        assert "Sources" in text, pdf


def test_packs_join_every_handout_each_starting_on_an_odd_page(real_exports, root):
    course, _ = _jobs(root)
    for audience in course.audiences:
        for pack, lesson_pdf in (("handouts.pdf", "worksheet.pdf"), ("readings.pdf", "reading.pdf")):
            reader = PdfReader(real_exports / audience / pack)
            starts, expected = [], 0
            for lesson in course.lessons:
                pages = len(PdfReader(real_exports / lesson.id / audience / lesson_pdf).pages)
                starts.append(expected + 1)
                expected += pages + pages % 2
            assert len(reader.pages) == expected, f"{audience}/{pack}"
            for start, lesson in zip(starts, course.lessons, strict=True):
                assert start % 2 == 1
                # poppler's text, as a reader's PDF viewer copies it (pypdf puts spaces where the digits'
                # font changes: "9 / 11")
                first = subprocess.run(
                    ["pdftotext", "-f", str(start), "-l", str(start), str(real_exports / audience / pack), "-"],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                assert lesson.title.split(":")[0] in first, f"{audience}/{pack}: page {start} is not {lesson.id}"
        with zipfile.ZipFile(real_exports / audience / "printables.zip") as zf:
            names = zf.namelist()
        assert {"handouts.pdf", "readings.pdf"} <= set(names)
        assert {f"{lesson.id}-worksheet.pdf" for lesson in course.lessons} <= set(names)
    # a high-school class: at most 20 pages (10 lessons, two sides of a sheet each)
    assert len(PdfReader(real_exports / "high-school" / "handouts.pdf").pages) <= 20
    index = (real_exports / "index.html").read_text()
    for audience in course.audiences:
        for name in ("handouts.pdf", "readings.pdf", "printables.zip"):
            assert f'href="{audience}/{name}"' in index


def _size(pdf) -> tuple[int, int]:
    box = PdfReader(pdf).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_letter_by_default(real_exports):
    for rel in (
        "01-exclusion/college/worksheet.pdf",
        "01-exclusion/college/reading.pdf",
        "01-exclusion/college/guide.pdf",
        "college/handouts.pdf",
    ):
        assert _size(real_exports / rel) == LETTER, rel


@pytest.mark.slow
def test_a4_on_request(tmp_path):
    course = make_course(tmp_path / "course")
    exports = tmp_path / "exports"
    result = run_build(course, exports, "--paper", "a4", "--audience", "high-school")
    assert result.returncode == 0, result.stderr
    for rel in (
        "01-alpha/high-school/worksheet.pdf",
        "01-alpha/high-school/reading.pdf",
        "01-alpha/high-school/guide.pdf",
        "high-school/handouts.pdf",
    ):
        assert _size(exports / rel) == A4, rel
    pages = [len(PdfReader(exports / f"{lid}/high-school/worksheet.pdf").pages) for lid in ("01-alpha", "02-beta")]
    assert len(PdfReader(exports / "high-school/handouts.pdf").pages) == sum(p + p % 2 for p in pages)


def test_readers_never_split_a_figure_end_on_a_heading_or_leave_a_page_nearly_empty(real_exports, root):
    _, jobs = _jobs(root)
    figures = 0
    for lesson, audience in jobs:
        where = f"{lesson.id}/{audience}"
        folder = real_exports / lesson.id / audience
        lines, heights = _lines(folder / "reading.pdf")
        # A figure: its chart's title (the SVG's first long text) and the end of its caption on one page.
        for figure in re.findall(r'<figure class="se-figure".*?</figure>', (folder / "reading.html").read_text(), re.S):
            title = re.search(r"role-title-text[^>]*>.*?<text[^>]*>([^<]+)</text>", figure, re.S) or re.search(
                r"<text[^>]*>([^<]{12,})</text>", figure
            )
            caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", figure, re.S)
            assert title and caption, f"{where}: a figure without a title or a caption"
            want = _norm(htmllib.unescape(title.group(1)))
            top = next((line for line in lines if _norm(line.text).startswith(want)), None)
            assert top is not None, f"{where}: the chart title {want!r} is not in the PDF"
            end = _find(lines, htmllib.unescape(re.sub(r"<[^>]+>", " ", caption.group(1))), first=False, after=top)
            assert top.page == end.page, f"{where}: the figure {want!r} is split over pages {top.page}-{end.page}"
            figures += 1
        headings = {_norm(text) for cell in read_lesson(lesson.notebook).cells for _, text in cell.headings}
        _assert_pages_end_well(lines, heights, headings, where)
    assert figures >= len(jobs)  # every lesson's reader has at least one chart

"""PDFs of the real course: they open, have a sensible number of pages, real text, and the right content."""

from __future__ import annotations

import re
import subprocess

import pytest
from conftest import require_tool
from pypdf import PdfReader

from solidarity_edu.course import load_course
from solidarity_edu.lesson import read_lesson
from solidarity_edu.tags import keeps


def _normal(text: str) -> str:
    """Words only (letters and digits), as both the notebook and pdftotext can agree on them."""
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _lesson_texts(root, lesson_id, kind, audience):
    """(prompt questions, answer-key snippets) of the cells this output keeps for this audience."""
    model = read_lesson(root / "notebooks" / f"{lesson_id}.ipynb")
    prompts = [
        _normal(p.question) for p in model.prompts if keeps({"metadata": {"tags": sorted(p.tags)}}, kind, audience)
    ]
    keys = [
        " ".join(_normal(c.source).split()[1:15])
        for c in model.cells
        if "answer-key" in c.tags and keeps(c.node, "guide", audience)
    ]
    return prompts, keys


def _pdftext(path):
    require_tool("pdftotext", "poppler-utils")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return _normal(text)


def _lessons(root):
    course = load_course(root / "notebooks" / "course.yaml")
    return [(lesson.id, audience) for lesson in course.lessons for audience in lesson.audiences]


@pytest.mark.parametrize("kind", ["worksheet", "guide"])
def test_pdfs_open_with_real_text_and_right_content(real_exports, root, kind):
    for lesson_id, audience in _lessons(root):
        path = real_exports / lesson_id / audience / f"{kind}.pdf"
        reader = PdfReader(path)
        assert 1 <= len(reader.pages) <= 30, f"{path}: {len(reader.pages)} pages"
        text = _pdftext(path)
        prompts, keys = _lesson_texts(root, lesson_id, kind, audience)
        assert prompts and keys
        for prompt in prompts:
            assert prompt in text, f"{path} lacks prompt {prompt!r}"
        for key in keys:
            if kind == "worksheet":
                assert key not in text, f"{path} shows answer-key text {key!r}"
            else:
                assert key in text, f"{path} lacks answer-key text {key!r}"


def test_worksheet_print_size_and_writing_space(real_exports):
    """Base font 11 pt (the floor); ruled lines 7.1 mm apart (college ruled, 9/32 inch)."""
    html = (real_exports / "00-welcome/high-school/worksheet.html").read_text()
    assert "font-size: 11pt" in html
    assert ".ho-rule { height: 7.1mm; border-bottom: 1px solid var(--rule); }" in html
    assert html.count('class="ho-rule"') >= 6


def test_node_ids_from_two_runs_become_the_same_bytes():
    """Chromium names table cells after DOM node ids that differ from run to run, and on a loaded
    machine even their order differs (the second table's cells got the smaller ids). After the fix two
    runs of one page give the same bytes, every reference to an id agrees, the ID tree is sorted with
    matching limits and still points each name at its element, and the length is kept."""
    from solidarity_edu.builder.pdf import _fix_dates

    def page(first_table: int, second_table: int) -> bytes:
        a, b = f"(node{first_table:08d})", f"(node{second_table:08d})"
        refs = sorted([(first_table, f"{a} 11 0 R"), (second_table, f"{b} 12 0 R")])
        low, high = refs[0][1].split()[0], refs[-1][1].split()[0]
        return (
            f"11 0 obj <</S /TH /ID {a}>> <</S /TD /A [<</Headers [{a}]>>]>> "
            f"12 0 obj <</S /TH /ID {b}>> <</S /TD /A [<</Headers [{b}]>>]>> "
            f"/IDTree <</Limits [{low} {high}]\n/Names [{' '.join(entry for _, entry in refs)}]>>"
        ).encode()

    quiet, loaded = page(598, 640), page(1790, 1723)
    assert quiet != loaded
    assert _fix_dates(quiet) == _fix_dates(loaded)
    assert len(_fix_dates(loaded)) == len(loaded)
    fixed = _fix_dates(loaded).decode()
    assert fixed.count("(node00000001)") == 4 and fixed.count("(node00000002)") == 4
    assert "/ID (node00000001)>> <</S /TD /A [<</Headers [(node00000001)]" in fixed
    assert "11 0 obj <</S /TH /ID (node00000001)" in fixed
    assert "/Limits [(node00000001) (node00000002)]\n/Names [(node00000001) 11 0 R (node00000002) 12 0 R]" in fixed


def test_no_pdf_links_to_a_file_on_the_machine_that_built_it(real_exports):
    """A link to another export (the guide's glossary terms) would be an absolute file:// address in
    the PDF: broken on every other computer. Links inside the document stay (the guide's contents)."""
    pdfs = sorted(real_exports.rglob("*.pdf"))
    assert len(pdfs) >= 90
    for path in pdfs:
        data = path.read_bytes()
        assert b"/URI (file:" not in data, f"{path} links to a file on the build machine"
    guide = (real_exports / "01-exclusion/high-school/guide.pdf").read_bytes()
    assert b"/S /GoTo" in guide or b"/Dest" in guide, "the guide lost its links within the document"

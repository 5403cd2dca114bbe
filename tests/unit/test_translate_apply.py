"""Translations go back into the Markdown and nowhere else; untranslated text stays as it was."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import polib
import pytest
from nbconvert.filters.markdown import markdown2html

from solidarity_edu.course import load_course
from solidarity_edu.translate.apply import catalog_lookup, translate_markdown, translated_notebook

ROOT = Path(__file__).resolve().parents[2]
COURSE = load_course(ROOT / "notebooks" / "course.yaml")


def _html(markdown: str) -> str:
    """The HTML a browser lays out, with the soft line breaks that reflowing changes made into spaces."""
    return re.sub(r"\s+", " ", markdown2html(markdown)).replace("> <", "><").strip()


@pytest.mark.parametrize("lesson", COURSE.lessons, ids=lambda lesson: lesson.id)
def test_an_identity_translation_renders_every_cell_the_same(lesson):
    nb = nbformat.read(lesson.notebook, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "markdown"]
    assert cells
    for cell in cells:
        again = translate_markdown(cell.source, cell.id, lambda context, english: english)
        assert _html(again) == _html(cell.source), cell.id


def test_a_translated_paragraph_replaces_only_its_english():
    text = "## Essential question\n\nWhen the law says you do not belong, what can a community do?\n\n- one\n- two"
    table = {("01-003", "Essential question"): "Câu hỏi thiết yếu"}
    out = translate_markdown(text, "01-003", lambda c, e: table.get((c, e)))
    assert out.startswith("## Câu hỏi thiết yếu\n")
    assert "what can a community do?" in out and "- one" in out and "- two" in out
    # the same sentence in another cell is not this cell's translation
    assert translate_markdown(text, "01-004", lambda c, e: table.get((c, e))) == text


def test_untranslated_cells_code_cells_ids_and_metadata_stay_byte_identical():
    lesson = COURSE.lessons[1]
    nb = nbformat.read(lesson.notebook, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "markdown")
    heading = first.source.split("\n", 1)[0].lstrip("# ")
    po = polib.POFile()
    po.append(polib.POEntry(msgctxt=first.id, msgid=heading, msgstr="Loại trừ"))
    po.append(polib.POEntry(msgctxt="nope", msgid="x", msgstr="y", flags=["fuzzy"]))
    out = translated_notebook(nb, catalog_lookup(po))
    assert out.cells[0].source.startswith("# Loại trừ")
    assert first.source.split("\n", 1)[0].lstrip("# ") == heading  # the input is not changed
    for before, after in zip(nb.cells[1:], out.cells[1:], strict=True):
        assert before == after
    assert nb.metadata == out.metadata


def test_fuzzy_translations_are_not_used_until_a_translator_checks_them():
    po = polib.POFile()
    po.append(polib.POEntry(msgctxt="c1", msgid="Hello.", msgstr="Xin chào.", flags=["fuzzy"]))
    po.append(polib.POEntry(msgctxt="c1", msgid="Again.", msgstr="", flags=[]))
    lookup = catalog_lookup(po)
    assert lookup("c1", "Hello.") is None
    assert lookup("c1", "Again.") is None
    assert translate_markdown("Hello.\n\nAgain.", "c1", lookup) == "Hello.\n\nAgain."

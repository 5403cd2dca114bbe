"""A lesson in another language: parts still point at their cells, prompts carry the translated words,
quotations from primary sources stay in English beside the course's translation."""

from __future__ import annotations

import re

import nbformat
import polib
from conftest import ROOT

from solidarity_edu.lesson import LessonModel
from solidarity_edu.translate.apply import catalog_lookup
from solidarity_edu.translate.lesson import translated_lesson, with_english_quotations

LABEL = "Bản dịch của khóa học"


def _vi(lesson: str):
    nb = nbformat.read(ROOT / "notebooks" / f"{lesson}.ipynb", as_version=4)
    po = polib.pofile(str(ROOT / "locale" / "vi" / "LC_MESSAGES" / f"{lesson}.po"))
    return nb, translated_lesson(nb, catalog_lookup(po), LABEL), po


def test_parts_keep_their_cells_and_minutes_and_prompts_their_ids():
    nb, out, po = _vi("01-exclusion")
    english, vi = LessonModel.from_notebook(nb), LessonModel.from_notebook(out)
    assert [(p.cell, p.minutes) for p in vi.parts] == [(p.cell, p.minutes) for p in english.parts]
    assert vi.all_problems() == []
    names = {e.msgid: e.msgstr for e in po if e.msgctxt and e.msgctxt.endswith("/name")}
    assert [p.name for p in vi.parts] == [names[p.name] for p in english.parts]
    assert [p.id for p in vi.prompts] == [p.id for p in english.prompts]
    choose = next(p for p in vi.prompts if p.kind == "choose" and p.answer)
    before = english.prompt(choose.id)
    assert choose.question != before.question and choose.answer == choose.options[before.options.index(before.answer)]

    # code is untouched but for the chart titles it writes
    def without_titles(source: str) -> str:
        return re.sub(r"title=(\"[^\"]*\"|'[^']*')", "title=...", source)

    code = [c.source for c in out.cells if c.cell_type == "code"]
    assert [without_titles(c) for c in code] == [without_titles(c.source) for c in nb.cells if c.cell_type == "code"]
    assert any("title='Thời kỳ loại trừ, 1850-1965'" in source for source in code)


def test_a_quotation_is_shown_in_english_then_in_the_translation_marked():
    english = "Intro.\n\n> Whereas, the coming of laborers\n> endangers the good order.\n\nAfter."
    translated = "Mở đầu.\n\n> Xét rằng, việc lao động đến\n> gây nguy hại.\n\nSau đó."
    out = with_english_quotations(english, translated, LABEL)
    assert out == (
        "Mở đầu.\n\n> Whereas, the coming of laborers\n> endangers the good order.\n\n"
        f"> *{LABEL}:* Xét rằng, việc lao động đến\n> gây nguy hại.\n\nSau đó."
    )
    # nothing translated inside the quotation, or quotations that do not line up: left as they are
    assert with_english_quotations(english, english, LABEL) == english
    assert with_english_quotations(english, "Không có trích dẫn.", LABEL) == "Không có trích dẫn."


def test_the_real_primary_source_cell_carries_both():
    _, out, _ = _vi("01-exclusion")
    cell = next(c for c in out.cells if c.get("id") == "01-021")
    assert cell.source.index("> Whereas, in the opinion") < cell.source.index(f"> *{LABEL}:*")

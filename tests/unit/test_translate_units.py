"""What the catalogs hold: every paragraph, prompt field, part and dataset text of the real course."""

from __future__ import annotations

import csv
from pathlib import Path

import nbformat
import pytest

from solidarity_edu.course import load_course
from solidarity_edu.lesson import LessonModel, read_lesson
from solidarity_edu.translate.units import TranslationError, dataset_units, lesson_units, markdown_units

ROOT = Path(__file__).resolve().parents[2]
COURSE = load_course(ROOT / "notebooks" / "course.yaml")


@pytest.mark.parametrize("lesson", COURSE.lessons, ids=lambda lesson: lesson.id)
def test_every_markdown_paragraph_is_a_unit_under_its_cell_id(lesson):
    model = read_lesson(lesson.notebook)
    units = lesson_units(model)
    by_context: dict[str, set[str]] = {}
    for unit in units:
        by_context.setdefault(unit.context, set()).add(unit.source)
    markdown = [c for c in model.nb["cells"] if c["cell_type"] == "markdown"]
    assert markdown
    for cell in markdown:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        assert set(markdown_units(source)) <= by_context[cell["id"]], cell["id"]
        # every word of the cell's prose reaches a translator (links and HTML become {n} placeholders)
        words = {w.strip("*_`.,;:()!?\"'") for unit in by_context[cell["id"]] for w in unit.split()}
        first_line = {w.strip("*_`.,;:()!?\"'") for w in source.split("\n", 1)[0].split()}
        assert {w for w in first_line if w.isalpha()} <= words, cell["id"]


@pytest.mark.parametrize("lesson", COURSE.lessons, ids=lambda lesson: lesson.id)
def test_every_prompt_field_is_a_unit_under_prompt_id_and_field(lesson):
    model = read_lesson(lesson.notebook)
    units = {(u.context, u.source) for u in lesson_units(model)}
    assert model.prompts
    for prompt in model.prompts:
        assert (f"{prompt.id}/question", prompt.question) in units
        for index, option in enumerate(prompt.options):
            assert (f"{prompt.id}/options/{index}", option) in units
            if prompt.feedback.get(option):
                assert (f"{prompt.id}/feedback/{index}", prompt.feedback[option]) in units
    for index, part in enumerate(model.parts, start=1):
        assert (f"parts/{index}/name", part.name) in units


def test_dataset_text_is_keyed_by_row_id_and_column():
    units = {(u.context, u.source) for u in dataset_units(ROOT / "data")}
    with open(ROOT / "data" / "timeline" / "timeline.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows
    for row in rows:
        assert (f"timeline/{row['id']}/title", row["title"]) in units
        assert (f"timeline/{row['id']}/summary", row["summary"]) in units
    with open(ROOT / "data" / "glossary" / "glossary.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            assert (f"glossary/{row['id']}/definition", row["definition"]) in units
    # ids, dates, sources and numbers are not for translators
    assert not any(c.endswith(("/sources", "/date", "/id", "/read_at")) for c, _ in units)


def test_a_cell_without_an_id_is_named_with_how_to_fix_it(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title\n\nSome text.")]
    del nb.cells[0]["id"]
    with pytest.raises(TranslationError, match=r"lesson\.ipynb: markdown cell 1 has no id.*nbformat 4\.5"):
        lesson_units(LessonModel.from_notebook(nb, tmp_path / "lesson.ipynb"))


def test_a_dataset_row_without_an_id_is_named(tmp_path):
    folder = tmp_path / "timeline"
    folder.mkdir()
    (folder / "timeline.csv").write_text("id,title,summary\nfirst,A title,A summary\n,No id,Text\n", encoding="utf-8")
    with pytest.raises(TranslationError, match=r"timeline\.csv, row 3: no id"):
        dataset_units(tmp_path, ["timeline"])


def test_the_page_templates_sentences_are_extracted_with_their_path_and_line(tmp_path, root):
    """Babel reads tr("...") in the *.j2 templates: "Answer key" lands in interface.pot, where the
    guide's template says it."""
    import polib

    from solidarity_edu.translate.catalogs import extract
    from solidarity_edu.translate.units import interface_units

    template = "solidarity_edu/builder/templates/guide/back.html.j2"
    lines = (root / template).read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if 'tr("Answer key")' in text)
    units = [u for u in interface_units() if u.source == "Answer key"]
    assert [u.where for u in units] == [f"{template}:{line}"]

    course = load_course(root / "notebooks" / "course.yaml")
    extract(course, root / "data", tmp_path)
    pot = polib.pofile(str(tmp_path / "templates" / "interface.pot"))
    entry = pot.find("Answer key")
    assert entry is not None and entry.comment == f"{template}:{line}"
    placeholders = pot.find("Timeline of {count} events, {span} ({scope}), in two rows: {upper} and {lower}.")
    assert placeholders is not None and placeholders.comment.startswith("solidarity_edu/charts.py:")

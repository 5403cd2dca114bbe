"""What there is to translate in the course, as units: a context that stays stable, and English text.

Contexts, so that a changed sentence finds its old translation (``translate update`` marks it fuzzy):

- a Markdown paragraph: the cell's id (``01-003``); a cell's paragraphs share it and differ by text;
- a prompt field: ``<prompt id>/<field>``, e.g. ``01-wong-kim-ark/question``, ``01-wong-kim-ark/options/2``,
  ``01-wong-kim-ark/feedback/2`` (the feedback for option 2);
- a lesson part: ``parts/<n>/name`` and ``parts/<n>/does``;
- a dataset cell: ``<dataset>/<row id>/<column>``, e.g. ``timeline/angel-island-opens-1910/title``;
- the package's interface (buttons, messages: see :mod:`solidarity_edu.i18n`): no context, as gettext
  looks them up by their English alone.

Markdown paragraphs are split the way Weblate's Markdown format splits them (translate-toolkit's
Markdown store): one unit per paragraph, heading, list item or table cell, with links and inline HTML
replaced by ``{1}``, ``{2}`` placeholders so that translators cannot break them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SolidarityEduError
from ..lesson import ORGANIZER_TAG, LessonModel

# Reader-facing columns of each dataset; the others are ids, dates, numbers, slugs or sources.
DATASET_TEXT: dict[str, tuple[str, ...]] = {
    "timeline": ("title", "chart_label", "summary"),
    "glossary": ("term", "definition", "why_it_matters"),
    "camps": ("name",),
}


class TranslationError(SolidarityEduError):
    """A catalog or a translated text cannot be used; the message names the file and how to fix it."""


@dataclass(frozen=True)
class Unit:
    """One string a translator translates.

    ``context`` finds the string's place (see the module docstring); ``source`` is the English;
    ``where`` is a human pointer for the translator (file and cell or row); ``note`` says what the text
    is for, when that helps (a question, an option, a part name)."""

    context: str | None
    source: str
    where: str
    note: str = ""


def markdown_units(text: str) -> list[str]:
    """The translatable pieces of one Markdown text, in order (no duplicates)."""
    from translate.storage.markdown import MarkdownFile

    store = MarkdownFile(inputfile=io.BytesIO(text.encode("utf-8")))
    seen: dict[str, None] = {}
    for unit in store.units:
        if unit.source.strip():
            seen.setdefault(unit.source, None)
    return list(seen)


def _prompt_units(model: LessonModel, where: str) -> Iterator[Unit]:
    for prompt in model.prompts:
        pid = prompt.id
        pointer = f"{where}, prompt {pid}"
        yield Unit(f"{pid}/question", prompt.question, pointer, f"{prompt.kind}: the question")
        for index, option in enumerate(prompt.options):
            yield Unit(f"{pid}/options/{index}", option, pointer, f"{prompt.kind}: option {index + 1}")
            said = prompt.feedback.get(option)
            if said:
                yield Unit(f"{pid}/feedback/{index}", said, pointer, f"{prompt.kind}: feedback on option {index + 1}")
        if prompt.done_feedback:
            yield Unit(f"{pid}/feedback", prompt.done_feedback, pointer, "shown when every item is in order")
        if prompt.kind == "scale":
            yield Unit(f"{pid}/low", prompt.low, pointer, "scale: the label of the lowest step")
            yield Unit(f"{pid}/high", prompt.high, pointer, "scale: the label of the highest step")


def chart_titles(source: str) -> list[str]:
    """The titles a code cell gives its charts (``timeline(..., title="The exclusion era")``): the only
    words in code a reader sees, so they are translated like the Markdown."""
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    titles = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg == "title" and isinstance(value, ast.Constant) and isinstance(value.value, str):
                    titles.append(value.value)
    return titles


def lesson_units(model: LessonModel) -> list[Unit]:
    """Every unit of one lesson: its Markdown cells, its parts, then its prompts."""
    units: list[Unit] = []
    name = model.path.name
    for number, cell in enumerate(model.nb.get("cells", []), start=1):
        if cell.get("cell_type") != "markdown":
            continue
        source = "".join(cell.get("source", "")) if isinstance(cell.get("source"), list) else cell.get("source", "")
        cell_id = cell.get("id")
        if not cell_id:
            raise TranslationError(
                f"{model.path}: markdown cell {number} has no id; save the notebook with nbformat 4.5 or later "
                "(JupyterLab does) so that each cell gets one"
            )
        for text in markdown_units(source):
            units.append(Unit(cell_id, text, f"{name}, cell {number}"))
    for cell in model.nb.get("cells", []):
        source = "".join(cell.get("source", "")) if isinstance(cell.get("source"), list) else cell.get("source", "")
        if cell.get("cell_type") == "code" and cell.get("id"):
            for title in chart_titles(source):
                units.append(Unit(f"{cell['id']}/title", title, f"{name}, code cell {cell['id']}", "a chart's title"))
    for organizer_cell in model.tagged(ORGANIZER_TAG):
        data = model.data(organizer_cell)
        if not isinstance(data, dict) or not organizer_cell.id:
            continue
        pointer = f"{name}, organizer cell {organizer_cell.id}"
        if isinstance(data.get("title"), str) and data["title"].strip():
            units.append(Unit(f"{organizer_cell.id}/title", data["title"], pointer, "an organizer's title (handout)"))
        for i, label in enumerate(data.get("labels") or []):
            if isinstance(label, str) and not label.strip().isdigit():
                units.append(Unit(f"{organizer_cell.id}/labels/{i}", label, pointer, "a column or box of an organizer"))
    for index, part in enumerate(model.parts, start=1):
        units.append(Unit(f"parts/{index}/name", part.name, f"{name}, parts cell {part.cell}", "a part of the lesson"))
        if part.does:
            units.append(Unit(f"parts/{index}/does", part.does, f"{name}, parts cell {part.cell}", "what happens"))
    units.extend(_prompt_units(model, name))
    return units


def course_text_units(course: Any) -> list[Unit]:
    """course.yaml's reader-facing text: the course's title and description, each audience's label and
    description, each lesson's title and summary, each shorter path's name and description."""
    where = course.path.name
    units = [Unit("course/title", course.title, where), Unit("course/description", course.description, where)]
    for audience in course.audiences.values():
        units.append(Unit(f"audiences/{audience.id}/label", audience.label, where))
        units.append(Unit(f"audiences/{audience.id}/description", audience.description, where))
    for lesson in course.lessons:
        units.append(Unit(f"lessons/{lesson.id}/title", lesson.title, where))
        units.append(Unit(f"lessons/{lesson.id}/summary", lesson.summary, where))
    for index, path in enumerate(course.paths, start=1):
        units.append(Unit(f"paths/{index}/name", path.name, where))
        units.append(Unit(f"paths/{index}/description", path.description, where))
    return [u for u in units if u.source.strip()]


def dataset_units(data_dir: Path, datasets: Iterable[str] = tuple(DATASET_TEXT)) -> list[Unit]:
    """The reader-facing text of the datasets (DATASET_TEXT), one unit per non-empty cell."""
    units: list[Unit] = []
    for dataset in datasets:
        path = data_dir / dataset / f"{dataset}.csv"
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            raise TranslationError(f"{path}: cannot read the dataset ({err.strerror})") from err
        rows = csv.DictReader(io.StringIO(text))
        for line, row in enumerate(rows, start=2):
            row_id = row.get("id")
            if not row_id:
                raise TranslationError(f"{path}, row {line}: no id; every row needs one to be translated")
            for column in DATASET_TEXT[dataset]:
                value = (row.get(column) or "").strip()
                if value:
                    units.append(Unit(f"{dataset}/{row_id}/{column}", value, f"{path.name}, row {line}", column))
    return units


def interface_units(package: Path | None = None) -> list[Unit]:
    """The sentences the package marks with ``tr()`` or ``N_()`` (see :mod:`solidarity_edu.i18n`), in
    file and line order: Babel's Python extractor reads the modules, Jinja's Babel extractor the page
    templates (``*.j2``, where ``{{ tr("Answer key") }}`` marks a sentence)."""
    from babel.messages.extract import extract_from_dir

    package = package or Path(__file__).resolve().parent.parent
    units = []
    found = extract_from_dir(
        str(package),
        method_map=[("**.py", "python"), ("**.j2", "jinja2.ext:babel_extract")],
        options_map={"**.j2": {"trim_blocks": "true", "lstrip_blocks": "true"}},
        keywords={"tr": None, "N_": None},
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    )
    for filename, line, message, comments, _context in sorted(found, key=lambda f: (f[0], f[1])):
        if isinstance(message, str) and message.strip():
            units.append(Unit(None, message, f"{package.name}/{filename}:{line}", " ".join(comments)))
    return units

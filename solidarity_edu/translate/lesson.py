"""A whole lesson in another language, ready to run: what the build executes for ``--language vi``.

Starting from the English notebook and the lesson's catalog:

- every Markdown cell is translated paragraph by paragraph (:func:`.apply.translated_notebook`);
- the ``parts`` cell keeps its minutes and grouping, gets the translated part names and "does" lines,
  and points each part at its first cell by cell id (the English headings it named are translated);
- every ``prompt-data`` cell holds the translated prompt (:func:`.prompts.translate_prompt`), so the
  handout, the guide, the slides' notes and the answer key all read the same words;
- an organizer cell (a T-chart, note boxes) gets its translated title and labels;
- each chart title a code cell writes (``title="..."``) is translated; nothing else in code changes;
- a translated cell remembers its English headings (metadata), so the build still finds the sections
  it looks up by heading ("Essential question", "Learning objectives", "Before you start");
- a quotation from a primary source (a Markdown block quote) is shown in English, followed by the
  course's translation, labelled as such: a reader can always see what the document itself said.

Code cells (but for their chart titles), cell ids and metadata are untouched: prompt ids, journal keys and the code that draws the
charts are the same in every language.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from pathlib import Path

import nbformat
import yaml

from ..lesson import ENGLISH_HEADINGS, ORGANIZER_TAG, PARTS_TAG, LessonModel
from .apply import Lookup, translated_notebook
from .prompts import translate_prompt
from .units import chart_titles

log = logging.getLogger(__name__)

PROMPT_DATA_TAG = "prompt-data"
_QUOTE_RUN = re.compile(r"(?:^[ ]{0,3}>.*(?:\n|$))+", re.MULTILINE)


def translated_lesson(nb: Mapping, lookup: Lookup, quotation_label: str) -> nbformat.NotebookNode:
    """The lesson ``nb`` in the catalog's language (see the module docstring). ``quotation_label`` is
    the words that mark the course's translation of a quotation ("The course's translation")."""
    english = LessonModel.from_notebook(nb)
    out = translated_notebook(nb, lookup)
    by_number = {cell.number: cell for cell in english.cells}
    for before, after in zip(nb.get("cells", []), out.cells, strict=True):
        tags = set((after.get("metadata") or {}).get("tags") or [])
        if after.cell_type == "markdown" and after.source != _source(before):
            aliases = _heading_aliases(_source(before), after.source)
            if aliases:
                after.metadata[ENGLISH_HEADINGS] = aliases
            after.source = with_english_quotations(_source(before), after.source, quotation_label)
        elif PARTS_TAG in tags:
            after.source = _translated_parts(english, by_number, lookup) or after.source
        elif ORGANIZER_TAG in tags and after.get("id"):
            after.source = _translated_organizer(after.source, after.id, lookup)
        elif PROMPT_DATA_TAG in tags:
            after.source = _translated_prompt_data(english, after.source, lookup)
        elif after.cell_type == "code" and after.get("id"):
            after.source = _translated_chart_titles(after.source, after.id, lookup)
    return out


_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _heading_aliases(english: str, translated: str) -> dict[str, str]:
    """{translated heading: English heading} for a cell whose headings line up (the build looks sections
    up by their English heading)."""
    before, after = _HEADING.findall(english), _HEADING.findall(translated)
    if len(before) != len(after):
        return {}
    return {t.strip(): e.strip() for e, t in zip(before, after, strict=True) if e.strip() != t.strip()}


def lesson_from_catalog(nb: Mapping, stem: str, language: str, locale: Path) -> nbformat.NotebookNode:
    """The lesson ``nb`` translated from ``locale/<lang>/LC_MESSAGES/<stem>.po`` (the build and
    ``present`` both use it). Raises TranslationError naming the catalog when it cannot be read."""
    from ..i18n import tr
    from .apply import catalog_lookup
    from .catalogs import catalog_dir, read_catalog

    lookup = catalog_lookup(read_catalog(catalog_dir(locale, language) / f"{stem}.po"))
    return translated_lesson(nb, lookup, tr("The course's translation", language))


def with_english_quotations(english: str, translated: str, label: str) -> str:
    """``translated`` with each block quote preceded by the English one it translates, and marked as
    the course's translation. Cells whose quotations do not line up are left as translated (logged)."""
    originals = _QUOTE_RUN.findall(english)
    found = _QUOTE_RUN.findall(translated)
    if not originals or len(originals) != len(found):
        if originals:
            log.warning("quotations do not line up with the English; left as translated: %.60s", english)
        return translated
    pieces = iter(zip(originals, found, strict=True))

    def both(match: re.Match) -> str:
        original, ours = next(pieces)
        if original.strip() == ours.strip():
            return match.group(0)
        lines = [re.sub(r"^[ ]{0,3}>[ ]?", "", line) for line in ours.rstrip("\n").split("\n")]
        marked = [f"> *{label}:* {lines[0]}", *(f"> {line}" for line in lines[1:])]
        tail = "\n" if match.group(0).endswith("\n") else ""
        return original.rstrip("\n") + "\n\n" + "\n".join(marked) + tail

    return _QUOTE_RUN.sub(both, translated)


def _translated_parts(english: LessonModel, by_number: Mapping, lookup: Lookup) -> str | None:
    cells = english.tagged(PARTS_TAG)
    raw = english.data(cells[0]) if cells else None
    if not isinstance(raw, dict) or not isinstance(raw.get("parts"), list):
        return None
    parts = []
    for index, (item, part) in enumerate(zip(raw["parts"], english.parts, strict=False), start=1):
        item = dict(item)
        item["name"] = lookup(f"parts/{index}/name", part.name) or part.name
        if part.does:
            item["does"] = lookup(f"parts/{index}/does", part.does) or part.does
        start = by_number.get(part.cell)
        if start is not None and start.id:
            item["start"] = start.id  # the English heading it named is translated now
        parts.append(item)
    return yaml.safe_dump({**raw, "parts": parts}, allow_unicode=True, sort_keys=False, width=100).rstrip("\n")


def _translated_prompt_data(english: LessonModel, source: str, lookup: Lookup) -> str:
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError:
        return source  # lint reports it in English; nothing to translate
    prompt = english.prompt(str(data.get("id"))) if isinstance(data, dict) else None
    if prompt is None:
        return source
    translated = translate_prompt(prompt, lookup).to_data()
    merged = {**data, **translated}
    return yaml.safe_dump(merged, allow_unicode=True, sort_keys=False, width=100).rstrip("\n")


def _translated_organizer(source: str, cell_id: str, lookup: Lookup) -> str:
    """An organizer cell (solidarity_edu/organizers.py) with its title and labels translated."""
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError:
        return source
    if not isinstance(data, dict):
        return source
    if isinstance(data.get("title"), str):
        data["title"] = lookup(f"{cell_id}/title", data["title"]) or data["title"]
    labels = data.get("labels")
    if isinstance(labels, list):
        data["labels"] = [
            (lookup(f"{cell_id}/labels/{i}", label) or label) if isinstance(label, str) else label
            for i, label in enumerate(labels)
        ]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100).rstrip("\n")


def _translated_chart_titles(source: str, cell_id: str, lookup: Lookup) -> str:
    """A code cell with each chart title (``title="..."``) replaced by its translation, if it has one."""
    for title in chart_titles(source):
        found = lookup(f"{cell_id}/title", title)
        if found:
            for quoted in (f'title="{title}"', f"title='{title}'"):
                source = source.replace(quoted, f"title={found!r}")
    return source


def _source(cell: Mapping) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source

"""The works a lesson cites, in the exports: the ``sources`` data cell becomes cells of text and a
CSL JSON bibliography.

A lesson lists its sources once, as data (see :class:`solidarity_edu.lesson.Source`). From that list:

- the teacher guide gets the full list, grouped as the lesson groups it, with the original work's
  address and what the lesson takes from each work;
- every student-facing output (student notebook, worksheet, slides, ``present``) gets short citations:
  author or publisher, title and year, with no web addresses;
- ``sources.json`` (CSL JSON, which Zotero, Mendeley and EndNote import) holds the same works.

``read_at`` (the copies where someone checked the text) is evidence of checking and appears in none
of them. The wording lives in templates/snippets (sources_*.md.j2, citation_*.md.j2).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import jinja2
import nbformat

from ..i18n import tr
from ..lesson import SOURCES_TAG, LessonModel, Source
from .transforms import copy_notebook

TEMPLATES = Path(__file__).parent / "templates" / "snippets"
GENERATED_TAG = "lesson-sources"
# How a title is set: italic for a whole work, in quotation marks for a part of one, plain otherwise
# (statutes, documents).
ITALIC_TYPES = frozenset(
    {"book", "report", "motion_picture", "legal_case", "dataset", "broadcast", "pamphlet", "thesis"}
)
QUOTED_TYPES = frozenset(
    {
        "article",
        "article-journal",
        "article-magazine",
        "article-newspaper",
        "chapter",
        "entry-encyclopedia",
        "interview",
        "post",
        "post-weblog",
        "speech",
        "webpage",
    }
)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>$#|])")
# "533 U.S. 678 (2001)", "22 Stat. 58": volume, reporter or code, first page.
_REPORTER = re.compile(r"\A([0-9]+)\s+([A-Za-z][A-Za-z0-9. ]*?)\s+([0-9]+)(?:\s*\(([0-9]{4})\))?\Z")
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _md(text: str) -> str:
    """Text set literally in Markdown: no emphasis, links, HTML or math from a title's characters."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def _human_date(iso: str) -> str:
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 3:
        return f"{_MONTHS[parts[1] - 1]} {parts[2]}, {parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=False,  # Markdown, not HTML: nbconvert renders and escapes it; _md keeps titles literal
        keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["md"] = _md
    env.filters["human_date"] = _human_date
    env.globals.update(italic_types=ITALIC_TYPES, quoted_types=QUOTED_TYPES, tr=tr)
    full, short = env.get_template("citation_full.md.j2"), env.get_template("citation_short.md.j2")
    env.filters["full_citation"] = lambda work: full.render(work=work).strip()
    env.filters["short_citation"] = lambda work: short.render(work=work).strip()
    return env


def grouped(sources: list[Source]) -> list[tuple[str, list[Source]]]:
    """The works by group, groups in the order they first appear."""
    groups: dict[str, list[Source]] = {}
    for work in sources:
        groups.setdefault(work.group, []).append(work)
    return list(groups.items())


def full_citation(work: Source) -> str:
    """One work as the teacher guide lists it (Markdown): creator, title, container, citation, date, URL."""
    return _environment().filters["full_citation"](work)


def short_citation(work: Source) -> str:
    """One work as a student sees it (Markdown): creator, title, year; no address."""
    return _environment().filters["short_citation"](work)


def guide_markdown(sources: list[Source]) -> str:
    """The guide's sources section: every work, grouped, with its original address and its use."""
    return _environment().get_template("sources_guide.md.j2").render(groups=grouped(sources)).strip()


def short_markdown(sources: list[Source]) -> list[str]:
    """The student-facing sources: one Markdown cell per group (a slide each), short citations only."""
    groups = grouped(sources)
    template = _environment().get_template("sources_short.md.j2")
    labelled = len(groups) > 1 or bool(groups[0][0]) if groups else False
    return [template.render(group=group if labelled else "", works=works).strip() for group, works in groups]


def expand_sources(nb: nbformat.NotebookNode, full: bool, numbered: bool = False) -> nbformat.NotebookNode:
    """Replace the ``sources`` raw cell with Markdown: the full list (``full``, for the teacher guide)
    or short citations, one cell per group (every other output; ``numbered`` 1, 2, 3 ... across the
    groups, for the reader). The new cells keep the raw cell's id (the first of them) and its audience
    tags."""
    out = copy_notebook(nb)
    model = LessonModel.from_notebook(out)
    cells = []
    for cell in out.cells:
        if cell.cell_type != "raw" or SOURCES_TAG not in (cell.metadata.get("tags") or []):
            cells.append(cell)
            continue
        if not model.sources:
            continue
        tags = [t for t in cell.metadata.get("tags") or [] if t.startswith("for-")] + [GENERATED_TAG]
        texts = [guide_markdown(model.sources)] if full else short_markdown(model.sources)
        if numbered and not full:
            texts = _numbered(texts)
        for index, text in enumerate(texts):
            new = nbformat.v4.new_markdown_cell(text, metadata={"tags": list(tags)})
            base = cell.get("id") or "sources"
            new.id = base if index == 0 else f"{base}-{index + 1}"
            cells.append(new)
    out.cells = cells
    return out


def _numbered(texts: list[str]) -> list[str]:
    """Short-citation lists ('- ...') numbered on from one group to the next ('1. ...', '2. ...')."""
    count, out = 0, []
    for text in texts:
        lines = []
        for line in text.split("\n"):
            if line.startswith("- "):
                count += 1
                line = f"{count}. {line[2:]}"
            lines.append(line)
        out.append("\n".join(lines))
    return out


def _names(names: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"literal": name} for name in names]


def csl_item(work: Source, lesson_id: str) -> dict:
    """One work as a CSL JSON item (CSL 1.0.2)."""
    item: dict = {"id": f"{lesson_id}-{work.number:02d}", "type": work.type, "title": work.title}
    if work.author:
        item["author"] = _names(work.author)
    if work.publisher:
        item["publisher"] = "; ".join(work.publisher)
    if work.date_parts:
        item["issued"] = {"date-parts": [work.date_parts]}
    if work.url:
        item["URL"] = work.url
    if work.container:
        item["container-title"] = work.container
    match = _REPORTER.match(work.citation)
    if match:
        item["volume"], reporter, item["page"] = match.group(1), match.group(2), match.group(3)
        item.setdefault("container-title", reporter)
    elif work.citation:
        item["number"] = work.citation
    if work.note:
        item["note"] = work.note
    return item


def csl_json(model: LessonModel, lesson_id: str) -> str:
    """The lesson's sources as CSL JSON (a list of items), for a reference manager."""
    items = [csl_item(work, lesson_id) for work in model.sources]
    return json.dumps(items, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


__all__ = [
    "csl_item",
    "csl_json",
    "expand_sources",
    "full_citation",
    "grouped",
    "guide_markdown",
    "short_citation",
    "short_markdown",
]

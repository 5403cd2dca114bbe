"""The shape of a lesson's slide deck, planned from the lesson model (no outputs, no build).

A deck is made for one audience from the cells the slides keep (the tag contract), grouped into slides
by what the lesson's structure says, not by how the cells happen to be split:

- a slide starts at a level-1 or level-2 heading, at a prompt, or at a cell tagged ``slide``;
- the lesson's parts (``LessonModel.plan``) are hard boundaries: a slide belongs to exactly one part,
  so a teacher's plan can name the slides each part uses (``data-se-slide`` / ``data-se-part``);
- a primary source (a block that quotes a document, ``> ...``) keeps its word help and the prompts
  right after it on its own slide, side by side, so the excerpt stays on screen while people answer;
- small neighbours in the same part are merged while they fit on one 1280x720 slide (an estimate in
  lines of 30 px text), so no slide is left nearly empty; a chart keeps the slide to itself, with its
  heading; a check (``choose``/``scenario``) shares its slide only with the short text it follows;
- ``facilitator`` and ``answer-key`` cells are speaker notes of the slide they fall in.

The same plan gives the linter its slide count (at most one slide per :data:`MINUTES_PER_SLIDE`
minutes of the audience's time) and the build its deck, so the two never disagree.
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from dataclasses import dataclass, field

from .lesson import PARTS_TAG, SOURCES_TAG, Cell, LessonModel
from .tags import keeps

MINUTES_PER_SLIDE = 1.5
CAPACITY = 19.0  # estimated lines (see _text_lines; generous) a 1280x720 slide holds under its heading in 26 px type
SOURCE_COLUMN = 0.6  # the share of the width a primary source's column has beside its prompts
# Lines a prompt's form takes below its question on a slide (the action plan's fields and levels).
FORM_LINES = {"action_plan": 8.0, "scale": 2.0}
DENSE_CAPACITY = 25.0  # the same slide set in 22 px type (class se-dense), used only to meet the budget
NEAR_EMPTY = 7.0  # under about a third of the height as drawn
CHART_LINES = 12.0
CARD_LINES = 4.0
CHART_CALLS = frozenset({"timeline", "camps_map", "removals_chart", "incidents_chart", "course_map", "bar_chart"})
CARD_CALLS = frozenset({"event_card", "define", "event_list"})
CHECK_KINDS = frozenset({"choose", "scenario", "order_events"})
NOTE_TAGS = frozenset({"facilitator", "answer-key"})
FEW_SOURCES = 4  # a lesson citing this few works lists them on its last slide when it has room
SOURCES_HEADING_LINES = 1.6
LINES_PER_WORK = 1.2
WORKS_PER_SOURCES_SLIDE = 24  # short citations in three columns of 16 px type
_HEADING = re.compile(r"^\s{0,3}#{1,2}\s", re.MULTILINE)
_CHARS_PER_LINE = 84


def slide_budget(minutes: int) -> int:
    """The most slides a deck for ``minutes`` of the audience's time may have."""
    return math.floor(minutes / MINUTES_PER_SLIDE)


def is_note(cell: Cell) -> bool:
    """Speaker notes: facilitator notes, answer keys and the lesson plan."""
    return bool(cell.tags & NOTE_TAGS) or PARTS_TAG in cell.tags


def text_width(text: str) -> int:
    """How many Latin characters' room ``text`` takes on a line: a Chinese, Japanese or Korean character
    (East Asian wide or full-width) is as wide as two, so a translated slide is planned as full as it is."""
    return len(text) + sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")


def _text_lines(text: str, per_line: int = _CHARS_PER_LINE) -> float:
    lines = 0.0
    for para in re.split(r"\n\s*\n", text.strip()):
        para = para.strip()
        if not para:
            continue
        if _HEADING.match(para):
            _, _, rest = para.partition("\n")
            lines += 1.6
            para = rest.strip()
            if not para:
                continue
        items = re.split(r"\n(?=\s*(?:[-*]|\d+\.)\s)", para)
        for item in items:
            words = " ".join(item.replace(">", " ").split())
            lines += max(1, math.ceil(text_width(words) / per_line))
        lines += 0.4
    return lines


@dataclass
class Block:
    """Cells that start together (a heading or a prompt and what follows it)."""

    part: int  # 1-based index into the audience's plan
    cells: list[int] = field(default_factory=list)  # source numbers, lesson order (notes included)
    side: list[int] = field(default_factory=list)  # cells shown in a column beside the main one
    lines: float = 0.0
    chart: bool = False
    check: bool = False
    source: bool = False  # quotes a primary source
    heading: str = ""
    prompt_only: bool = False
    kind: str = "content"  # content | sources
    dense: bool = False

    @property
    def near_empty(self) -> bool:
        return self.lines < NEAR_EMPTY and not self.chart


@dataclass(frozen=True)
class Slide:
    """One slide of the deck: its number (the title slide is 1), the part it belongs to, its cells."""

    number: int
    part: int
    cells: tuple[int, ...]  # main column, lesson order (no notes)
    side: tuple[int, ...]  # the column beside it (a primary source's prompts)
    notes: tuple[int, ...]  # facilitator, answer-key and plan cells, lesson order
    layout: str  # title | content | source | chart | check | prompt | statement | sources
    lines: float
    heading: str
    dense: bool = False  # set in smaller type to fit (see DENSE_CAPACITY)
    groups: tuple[int, ...] = ()  # a sources slide: which groups of the lesson's sources it lists (0-based)
    # A chart whose introduction filled the slide before it: the heading it repeats, so every chart
    # slide says what it shows (the build draws it above the chart).
    repeats_heading: str = ""

    @property
    def near_empty(self) -> bool:
        return self.lines < NEAR_EMPTY and self.layout not in {"chart", "prompt", "statement", "sources"}


class DeckPlan:
    """The slides of one lesson for one audience. ``slides[0]`` is the title slide: the lesson's first
    block (its level-1 heading and introduction)."""

    def __init__(self, model: LessonModel, audience: str) -> None:
        self.model = model
        self.audience = audience
        self.plan = model.plan(audience)
        self.prompts = {p.cell: p for p in model.prompts if p.cell is not None}
        self.slides = self._slides()

    # -- which cells, which part ----------------------------------------------------------------

    def _part_of(self, number: int) -> int:
        for index, planned in enumerate(self.plan, start=1):
            if planned.first_cell <= number <= planned.last_cell:
                return index
        return 1

    def _kept(self) -> list[Cell]:
        kept = []
        for cell in self.model.cells:
            if cell.tags & {PARTS_TAG, SOURCES_TAG}:
                audience_ok = not cell.for_tags or f"for-{self.audience}" in cell.tags
                if audience_ok:
                    kept.append(cell)
            elif keeps(cell.node, "slides", self.audience):
                kept.append(cell)
        return kept

    def _lines(self, cell: Cell) -> tuple[float, bool, bool]:
        """(estimated lines, is a chart, is a check) for one cell."""
        if cell.cell_type == "markdown":
            return _text_lines(cell.source), False, False
        prompt = self.prompts.get(cell.number)
        if prompt is not None:
            lines = _text_lines(prompt.question) + 0.6 + FORM_LINES.get(prompt.kind, 0.0)
            if prompt.kind in CHECK_KINDS:
                lines += sum(_text_lines(o, 66) for o in prompt.options) + 1.5
                return lines, False, True
            return lines, False, False
        names = {c.name for c in self.model.calls_in(cell)}
        if names & CHART_CALLS:
            return CHART_LINES, True, False
        if names & CARD_CALLS:
            return CARD_LINES, False, False
        return 0.0, False, False

    # -- planning -------------------------------------------------------------------------------

    def _blocks(self) -> list[Block]:
        blocks: list[Block] = []
        for cell in self._kept():
            if SOURCES_TAG in cell.tags:
                blocks.append(Block(self._part_of(cell.number), [cell.number], lines=8, kind="sources"))
                continue
            if is_note(cell):
                if not blocks:
                    blocks.append(Block(self._part_of(cell.number)))
                blocks[-1].cells.append(cell.number)
                continue
            lines, chart, check = self._lines(cell)
            part = self._part_of(cell.number)
            heading = cell.cell_type == "markdown" and bool(_HEADING.match(cell.source))
            # A chart stays with the heading and the few lines that introduce it, even when its cell is
            # tagged ``slide``: every chart slide has its heading.
            introduced = (
                chart
                and blocks
                and blocks[-1].part == part
                and blocks[-1].heading
                and not blocks[-1].chart
                and not blocks[-1].prompt_only
                and blocks[-1].lines <= CAPACITY - CHART_LINES
            )
            starts = not introduced and (
                not blocks
                or heading
                or "slide" in cell.tags
                or "subslide" in cell.tags
                or cell.number in self.prompts
                or part != blocks[-1].part
                or blocks[-1].kind == "sources"
            )
            if starts:
                title = cell.headings[0][1] if heading and cell.headings else ""
                blocks.append(Block(part, heading=title, prompt_only=cell.number in self.prompts))
            block = blocks[-1]
            block.cells.append(cell.number)
            block.lines += lines
            block.chart |= chart
            block.check |= check
            if cell.cell_type == "markdown" and re.search(r"^\s{0,3}>", cell.source, re.MULTILINE):
                block.source = True
        return blocks

    def _merge(self, blocks: list[Block]) -> list[Block]:
        merged: list[Block] = []
        for block in blocks:
            last = merged[-1] if merged else None
            same_part = last is not None and last.part == block.part and last.kind == block.kind == "content"
            # A primary source keeps its word help and the prompts after it (side by side).
            if same_part and last.source and not last.chart:
                if block.heading.lower().startswith("word help"):
                    last.cells += block.cells
                    last.lines += block.lines
                    continue
                if block.prompt_only and not block.check:
                    last.side += block.cells
                    continue
            if (
                same_part
                and not last.chart
                and not block.chart
                and not (last.check and block.check)
                and not (last.side or block.side)
                and last.lines + block.lines <= CAPACITY
            ):
                last.cells += block.cells
                last.lines += block.lines
                last.check |= block.check
                last.source |= block.source
                last.heading = last.heading or block.heading
                continue
            merged.append(block)
        return merged

    def _compact(self, blocks: list[Block], budget: int | None) -> list[Block]:
        """Merge neighbours further while the deck is over its budget or more than one slide in ten is
        nearly empty: the pair with the fewest lines first, set in smaller type when it must be."""

        def joinable(a: Block, b: Block) -> bool:
            if a.part != b.part or a.kind != "content" or b.kind != "content" or a.side or b.side:
                return False
            if a.chart or b.chart:
                small = b if a.chart else a
                return not (a.chart and b.chart) and not small.check and a.lines + b.lines <= CAPACITY
            return not (a.check and b.check) and a.lines + b.lines <= DENSE_CAPACITY

        while True:
            near = sum(1 for b in blocks[1:] if b.near_empty and b.kind == "content")
            over = budget is not None and len(blocks) > budget
            if not over and near * 10 <= len(blocks):
                return blocks
            pairs = [
                (blocks[i].lines + blocks[i + 1].lines, i)
                for i in range(1, len(blocks) - 1)
                if joinable(blocks[i], blocks[i + 1]) and (over or blocks[i].near_empty or blocks[i + 1].near_empty)
            ]
            if not pairs:
                return blocks
            _, i = min(pairs)
            a, b = blocks[i], blocks[i + 1]
            a.cells += b.cells
            a.dense = a.dense or b.dense or a.lines + b.lines > CAPACITY
            a.lines += b.lines
            a.chart |= b.chart
            a.check |= b.check
            a.heading = a.heading or b.heading
            del blocks[i + 1]

    def _slides(self) -> list[Slide]:
        minutes = sum(p.minutes for p in self.plan)
        blocks = self._compact(self._merge(self._blocks()), slide_budget(minutes) if minutes else None)
        notes_of = {c.number for c in self.model.cells if is_note(c)}
        slides: list[Slide] = []
        carried: tuple[int, ...] = ()  # notes that come before any slide (none in a well-formed lesson)
        for block in blocks:
            main = tuple(n for n in block.cells if n not in notes_of)
            side = tuple(n for n in block.side if n not in notes_of)
            notes = carried + tuple(n for n in [*block.cells, *block.side] if n in notes_of)
            if not main and not side:
                carried = notes
                continue
            carried = ()
            if not slides:
                layout = "title"
            elif block.kind == "sources":
                layout = "sources"
            elif block.side:
                layout = "source"
            elif block.chart:
                layout = "chart"
            elif block.check:
                layout = "check"
            elif main and all(n in self.prompts for n in main):
                layout = "prompt"  # questions alone: drawn large, in the middle of the slide
            elif block.lines < NEAR_EMPTY:
                layout = "statement"  # a few lines that could join nothing in their part: set large
            else:
                layout = "content"
            if layout == "sources":
                works = len(self.model.sources)
                last = slides[-1] if slides else None
                room = last is not None and last.lines + SOURCES_HEADING_LINES + works * LINES_PER_WORK <= CAPACITY
                if (
                    works <= FEW_SOURCES
                    and last
                    and last.layout in ("content", "prompt")
                    and last.part == block.part
                    and room
                ):
                    # A short list joins the slide before it rather than stand nearly empty on its own.
                    slides[-1] = dataclasses.replace(
                        last,
                        cells=last.cells + main,
                        notes=last.notes + notes,
                        lines=last.lines + SOURCES_HEADING_LINES + works * LINES_PER_WORK,
                    )
                    continue
                for groups in self._source_chunks():
                    slides.append(
                        Slide(len(slides) + 1, block.part, main, (), notes, layout, CAPACITY, "Sources", False, groups)
                    )
                    notes = ()
                continue
            lines = block.lines + sum(self._lines(c)[0] for c in self.model.cells if c.number in side)
            heading, repeats = block.heading, ""
            # A quotation in two languages can fill its narrower column: set it in the smaller type.
            dense = block.dense or (layout == "source" and block.lines / SOURCE_COLUMN > CAPACITY)
            if layout == "chart" and not heading and slides and slides[-1].part == block.part:
                heading = repeats = slides[-1].heading
            slides.append(
                Slide(
                    len(slides) + 1,
                    block.part,
                    main,
                    side,
                    notes,
                    layout,
                    lines,
                    heading,
                    dense,
                    repeats_heading=repeats,
                )
            )
        return slides

    def _source_chunks(self) -> list[tuple[int, ...]]:
        """The groups of the sources (in the order they first appear) split over as few slides as hold
        :data:`WORKS_PER_SOURCES_SLIDE` works each; a group is never split."""
        sizes: dict[str, int] = {}
        for work in self.model.sources:
            sizes[work.group] = sizes.get(work.group, 0) + 1
        chunks: list[list[int]] = [[]]
        filled = 0
        for index, size in enumerate(sizes.values()):
            if chunks[-1] and filled + size > WORKS_PER_SOURCES_SLIDE:
                chunks.append([])
                filled = 0
            chunks[-1].append(index)
            filled += size
        return [tuple(c) for c in chunks]

    # -- questions the linter and the tests ask ---------------------------------------------------

    def first_slide_of_part(self, slide: Slide) -> bool:
        previous = self.slides[slide.number - 2] if slide.number > 1 else None
        return previous is None or previous.part != slide.part

    def near_empty(self) -> list[Slide]:
        return [s for s in self.slides[1:] if s.near_empty and s.layout not in {"sources"}]

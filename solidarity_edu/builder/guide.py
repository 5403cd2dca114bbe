"""The teacher guide's own sections, built from the lesson model as data: at a glance, procedure, answer key.

The guide is the lesson notebook (its narrative, facilitator notes and full sources) with three
sections the notebook does not hold as cells:

- **At a glance** (page 1): audience and minutes, essential question, objectives, materials and
  preparation, vocabulary with the glossary's short definitions, standards;
- **Procedure**: one numbered step per part of the audience's lesson plan, with its minutes, the slides
  it uses (read from the deck the build made), what the teacher does and asks, the grouping and any
  care note in that part;
- **Answer key**: every prompt the audience sees, numbered as on the handout, with its answer, each
  option's outcome and the lesson's guidance; then the course rubric when the lesson asks for writing.

Each section is rendered by a template in ``templates/guide/`` and placed into the guide's notebook as
a raw HTML cell, so nbconvert lays it out with the rest of the page.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import nbformat

from ..i18n import tr
from ..lesson import LessonModel, PlannedPart, english_heading, heading_text
from ..prompts import Prompt, numbered_prompts
from ..translate.datasets import data_text
from .bibliography import GENERATED_TAG
from .slide_outline import slide_ranges, slides_by_part
from .transforms import copy_notebook

TEMPLATES = Path(__file__).parent / "templates" / "guide"
GUIDE_TAG = "guide-section"  # the raw cells this module adds (never in a source notebook)
# The headings whose cells page 1 shows, so the guide's body leaves them out.
GLANCE_HEADINGS = ("learning objectives", "essential question", "before you start")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]])[.!?]\s+(?=[A-Z\"'(])")
_CARE = re.compile(r"\bcare(fully)?\b", re.IGNORECASE)
WRITING_KINDS = ("reflect", "action_plan")


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    short: str


@dataclass(frozen=True)
class Step:
    """One numbered step of the procedure."""

    number: int
    name: str
    minutes: int
    grouping: str
    does: str  # HTML
    slides: tuple[int, ...]
    prompts: tuple[tuple[int, Prompt], ...]
    care: tuple[str, ...]  # HTML of each care note in the part

    @property
    def slide_text(self) -> str:
        return slide_ranges(list(self.slides))


@dataclass(frozen=True)
class KeyEntry:
    """One prompt in the answer key."""

    number: int
    prompt: Prompt
    guidance: tuple[str, ...] = field(default=())  # HTML of the lesson's answer-key cells


def markdown_html(text: str) -> str:
    """Markdown as HTML (nbconvert's renderer, the one the rest of the page goes through)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(text).strip()


def _body(source: str) -> str:
    """A cell's Markdown without its first heading line."""
    lines = source.strip().splitlines()
    if lines and lines[0].lstrip().startswith("#"):
        lines = lines[1:]
    return "\n".join(lines).strip()


_HEADING_LINE = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")


def section_text(model: LessonModel, heading: str) -> str:
    """The Markdown under the lesson heading ``heading`` (e.g. "Essential question"), up to the next
    heading of the same or a higher level, or ""."""
    wanted = heading_text(heading)
    for cell in model.cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.splitlines()
        for start, line in enumerate(lines):
            match = _HEADING_LINE.match(line)
            if match and english_heading(cell.node, match.group(2)) == wanted:
                level = len(match.group(1))
                body = []
                for rest in lines[start + 1 :]:
                    other = _HEADING_LINE.match(rest)
                    if other and len(other.group(1)) <= level:
                        break
                    body.append(rest)
                return "\n".join(body).strip()
    return ""


def content_note(model: LessonModel) -> str:
    """The Markdown of the lesson's content note (without its heading), or ""."""
    cells = model.tagged("content-note")
    return _body(cells[0].source) if cells else ""


SHORT_WORDS = 24  # page 1 holds every term; the glossary page has the full definitions


def short_definition(definition: str) -> str:
    """The first sentence of a glossary definition; past SHORT_WORDS words it stops at a word with an
    ellipsis (the glossary page, linked from the term, has the whole definition)."""
    text = definition.strip()
    wide = re.search(r"[\u3000-\u9fff\uff00-\uffef]", text)
    if wide:  # Chinese: sentences end with 。！？ and there are no spaces between words
        first = re.split(r"(?<=[。！？])", text, maxsplit=1)[0].strip()
        return first if len(first) <= SHORT_WORDS * 3 else first[: SHORT_WORDS * 3].rstrip("，、；：（") + "\u2026"
    parts = _SENTENCE_END.split(text, maxsplit=1)
    first = parts[0].strip()
    words = first.split()
    if len(words) > SHORT_WORDS:
        return " ".join(words[:SHORT_WORDS]).rstrip(",;:(") + "\u2026"
    return first if first.endswith((".", "!", "?")) else first + "."


@functools.lru_cache(maxsize=4)
def _glossary(path: Path) -> dict[str, tuple[str, str]]:
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: (row["term"], row["definition"]) for row in csv.DictReader(handle)}


def vocabulary(model: LessonModel, data_dir: Path) -> list[Term]:
    """The terms the lesson defines, with the glossary's term and short definition, in lesson order."""
    glossary = _glossary(Path(data_dir).resolve() / "glossary" / "glossary.csv")
    terms = []
    for term_id in model.terms:
        term, definition = glossary.get(term_id, (term_id, ""))
        term = data_text("glossary", term_id, "term", term)
        definition = data_text("glossary", term_id, "definition", definition)
        terms.append(Term(term_id, term, short_definition(definition) if definition else ""))
    return terms


def _audience_cells(model: LessonModel, audience: str, course_audiences: tuple[str, ...]):
    return [c for c in model.cells if audience in c.audiences(course_audiences)]


def care_notes(model: LessonModel, planned: PlannedPart, audience: str, course_audiences: tuple[str, ...]) -> list[str]:
    """The care notes in one part: facilitator cells whose first sentence speaks of care, and content notes."""
    found = []
    for cell in _audience_cells(model, audience, course_audiences):
        if not planned.first_cell <= cell.number <= planned.last_cell or cell.cell_type != "markdown":
            continue
        first = _SENTENCE_END.split(cell.source.strip(), maxsplit=1)[0]
        if "content-note" in cell.tags or ("facilitator" in cell.tags and _CARE.search(first)):
            found.append(markdown_html(_body(cell.source) if "content-note" in cell.tags else cell.source))
    return found


def procedure(model: LessonModel, audience: str, course_audiences: tuple[str, ...], slides_html: str) -> list[Step]:
    """The numbered steps for ``audience``: one per part of its lesson plan, with the slides of the deck
    ``slides_html`` that show that part."""
    by_part = slides_by_part(slides_html)
    numbered = numbered_prompts(model, audience, course_audiences)
    steps = []
    for index, planned in enumerate(model.plan(audience), start=1):
        asks = tuple(
            (n, p) for n, p in numbered if p.cell is not None and planned.first_cell <= p.cell <= planned.last_cell
        )
        steps.append(
            Step(
                number=index,
                name=planned.part.name,
                minutes=planned.minutes,
                grouping=tr(planned.part.grouping),
                does=markdown_html(planned.part.does) if planned.part.does else "",
                slides=tuple(by_part.get(index, [])),
                prompts=asks,
                care=tuple(care_notes(model, planned, audience, course_audiences)),
            )
        )
    return steps


def answer_key(model: LessonModel, audience: str, course_audiences: tuple[str, ...]) -> list[KeyEntry]:
    """Every prompt ``audience`` sees, numbered as on the handout, with the answer-key cells that follow it
    (up to the next prompt) for this audience."""
    numbered = numbered_prompts(model, audience, course_audiences)
    prompt_cells = sorted(p.cell for p in model.prompts if p.cell is not None)
    guidance: dict[int, list[str]] = {}
    for cell in _audience_cells(model, audience, course_audiences):
        if "answer-key" not in cell.tags:
            continue
        before = [n for n in prompt_cells if n < cell.number]
        if before:
            guidance.setdefault(before[-1], []).append(markdown_html(cell.source))
    return [KeyEntry(n, p, tuple(guidance.get(p.cell or 0, []))) for n, p in numbered]


def uses_rubric(model: LessonModel, audience: str, course_audiences: tuple[str, ...]) -> bool:
    """True when the audience writes something the course rubric assesses (a reflection or a plan)."""
    return any(p.kind in WRITING_KINDS for _, p in numbered_prompts(model, audience, course_audiences))


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = lambda text: jinja2.utils.markupsafe.Markup(markdown_html(text)) if text else ""
    env.filters["safe_html"] = jinja2.utils.markupsafe.Markup
    env.globals["tr"] = tr
    return env


def render_section(name: str, **context: Any) -> str:
    """Render ``templates/guide/<name>`` (HTML, every value escaped unless marked safe)."""
    return _environment().get_template(name).render(**context).strip()


def _html_cell(html: str, cell_id: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_raw_cell(html, metadata={"raw_mimetype": "text/html", "tags": [GUIDE_TAG]})
    cell.id = cell_id
    return cell


def guide_notebook(nb: nbformat.NotebookNode, front_html: str, back_html: str) -> nbformat.NotebookNode:
    """The guide's notebook: ``front_html`` (at a glance and procedure) first, then the lesson without the
    cells page 1 already shows, its answer-key cells (collected in ``back_html``) and its timing table
    (the procedure replaces it); ``back_html`` goes just before the sources."""
    out = copy_notebook(nb)
    kept = []
    for cell in out.cells:
        tags = set(cell.metadata.get("tags") or [])
        if "answer-key" in tags or "lesson-plan" in tags:
            continue
        if cell.cell_type == "markdown" and "content-note" not in tags:
            headings = [english_heading(cell, t) for t in re.findall(r"^\s{0,3}#{1,6}\s+(.+?)\s*$", cell.source, re.M)]
            if headings and all(h in GLANCE_HEADINGS for h in headings):
                continue
        kept.append(cell)
    sources_at = next((i for i, c in enumerate(kept) if GENERATED_TAG in set(c.metadata.get("tags") or [])), len(kept))
    kept.insert(sources_at, _html_cell(back_html, "guide-back"))
    kept.insert(0, _html_cell(front_html, "guide-front"))
    out.cells = kept
    return out


def materials(model: LessonModel, audience: str, course_audiences: tuple[str, ...]) -> list[str]:
    """What to have ready: copies, projector, devices, and what to read before class."""
    count = len(numbered_prompts(model, audience, course_audiences))
    return [
        tr("The handout (worksheet.pdf): one copy per learner; it holds the {count} numbered questions.").format(
            count=count
        ),
        tr("The slides (slides.html) on a projector or large screen; they open offline in any browser."),
        tr(
            "Devices: none needed with the printed handout. To use the student notebook instead, one computer "
            "per learner or pair (see the index for how to open it)."
        ),
        tr("Before class: read this guide through, the content note and the care notes in the procedure."),
    ]


def guide_sections(
    model: LessonModel,
    *,
    lesson_title: str,
    lesson_number: str,
    audience: str,
    audience_label: str,
    duration: int,
    course_audiences: tuple[str, ...],
    slides_html: str,
    standards: list[Any],
    data_dir: Path,
    rubric_html: str,
    glossary_href: str = "../../glossary.html",
) -> tuple[str, str]:
    """The HTML of the guide's front (at a glance, procedure) and back (answer key, rubric)."""
    front = render_section(
        "front.html.j2",
        lesson_title=lesson_title,
        lesson_number=lesson_number,
        audience_label=audience_label,
        duration=duration,
        essential_question=section_text(model, "Essential question"),
        objectives=section_text(model, "Learning objectives"),
        before=section_text(model, "Before you start"),
        care=content_note(model),
        materials=materials(model, audience, course_audiences),
        terms=vocabulary(model, data_dir),
        glossary_href=glossary_href,
        standards=standards,
        steps=procedure(model, audience, course_audiences, slides_html),
    )
    back = render_section(
        "back.html.j2",
        audience_label=audience_label,
        entries=answer_key(model, audience, course_audiences),
        rubric=rubric_html if uses_rubric(model, audience, course_audiences) else "",
    )
    return front, back


def rubric_html() -> str:
    """The course rubric as an HTML section."""
    from ..rubric import load_rubric

    return render_section("rubric.html.j2", rubric=load_rubric())

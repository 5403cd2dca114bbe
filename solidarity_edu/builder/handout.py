"""The handout (worksheet.html): the sheet a teacher photocopies, designed from the lesson model.

Not a filtered notebook: the handout is its own document. It is built from the lesson's structure as
data (see :func:`handout_data`) and laid out by ``templates/handout.html.j2``:

- a header with lines for name, date and class (or circle), the lesson's number and title;
- the essential question (the text under the lesson's ``## Essential question`` heading);
- the primary-source excerpt (cells tagged ``primary-source``) with its word help (``word-help``),
  kept together on one page;
- the prompts the audience sees, numbered as :func:`solidarity_edu.prompts.numbered_prompts` numbers
  them: written prompts with as many ruled lines as their ``lines`` asks for, checks and scenarios with
  lettered options to circle (never the answer, the feedback or a scenario's outcome), events to number,
  scales to circle;
- the graphic organizers the lesson declares (cells tagged ``organizer``), where they stand in the lesson;
- the exit ticket (the prompt ``<NN>-exit``) last, below a cut line, since the teacher collects it.

Nothing here is guessed from page counts: a lesson that runs long shortens its prompts' ``lines``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .. import pagestyle
from ..i18n import N_, tr
from ..lesson import LessonModel, english_heading
from ..organizers import organizers_of
from ..prompts import Prompt, exit_ticket_id, numbered_prompts
from ..templating import render, safe
from . import assets

# The paper sizes a build can print on (``build --paper``): name -> CSS page size.
PAPER_SIZES = {"letter": "Letter", "a4": "A4"}
DEFAULT_PAPER = "letter"
# Same labels as the action plan's widget (solidarity_edu.exercises.forms.PLAN_FIELDS); a test keeps
# them equal. The build does not import the exercises (they are the notebooks' helpers). The handout's
# template shows them translated (tr(field)).
PLAN_FIELDS = (
    N_("What will you do?"),
    N_("With whom? (a group, a friend, an organization)"),
    N_("Your first step"),
    N_("By when?"),
)
PLAN_CHOICES = (
    (N_("Risk level"), (N_("Low"), N_("Medium"), N_("High"))),
    (N_("Commitment"), (N_("Once"), N_("A few times"), N_("Every month"), N_("Ongoing"))),
)
LETTERS = "ABCDEFGHIJ"
ESSENTIAL_QUESTION = "essential question"
_ANCHOR = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.DOTALL)  # nbconvert's heading links: not on paper
_HEADING_LINE = re.compile(r"^\s{0,3}#{1,6}\s+.*$", re.MULTILINE)


def markdown(text: str) -> Any:
    """Markdown as HTML, marked safe (the lesson's own text, rendered as nbconvert renders it)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return safe(_ANCHOR.sub("", markdown2html_mistune(text)))


def _section(source: str, heading: str, node: Any = None) -> str:
    """The text under the Markdown heading ``heading`` in ``source``, up to the next heading (``node``:
    the cell, whose metadata knows the English of translated headings)."""
    lines = source.splitlines()
    out: list[str] = []
    inside = False
    for line in lines:
        if _HEADING_LINE.match(line):
            if inside:
                break
            inside = english_heading(node, line.lstrip().lstrip("#").strip()) == heading
            continue
        if inside:
            out.append(line)
    return "\n".join(out).strip()


def essential_question(model: LessonModel, audience: str, course_audiences: tuple[str, ...]) -> str:
    """The Markdown text under the lesson's ``## Essential question`` heading ('' when it has none)."""
    for cell in model.cells:
        if cell.cell_type != "markdown" or audience not in cell.audiences(course_audiences):
            continue
        if any(english_heading(cell.node, t) == ESSENTIAL_QUESTION for _, t in cell.headings):
            return _section(cell.source, ESSENTIAL_QUESTION, cell.node)
    return ""


def _order_items(prompt: Prompt) -> list[str]:
    """An order_events prompt's items in an order that is not the answer (stable from build to build)."""
    items = sorted(prompt.options, key=str.casefold)
    if items == list(prompt.options):
        items.reverse()
    return items


def prompt_data(number: int, prompt: Prompt) -> dict:
    """What the handout prints for one prompt: never its answer, feedback or outcome."""
    item: dict[str, Any] = {
        "type": "prompt",
        "number": number,
        "id": prompt.id,
        "kind": prompt.kind,
        "question": prompt.question,
        "optional": prompt.optional,
        "lines": prompt.lines,
        "options": [],
    }
    if prompt.kind in ("choose", "scenario"):
        item["options"] = [{"letter": LETTERS[i], "text": text} for i, text in enumerate(prompt.options)]
        item["lines"] = 0
    elif prompt.kind == "order_events":
        item["options"] = [{"letter": "", "text": text} for text in _order_items(prompt)]
        item["say"] = tr("Number the events from 1 (earliest) to {count} (latest).").format(count=len(prompt.options))
        item["lines"] = 0
    elif prompt.kind == "scale":
        item["options"] = [{"letter": "", "text": text} for text in prompt.options]
        item["steps"] = list(range(1, prompt.steps + 1))
        item["say"] = tr("Circle one number in each row: 1 = {low}, {steps} = {high}.").format(
            low=prompt.low, steps=prompt.steps, high=prompt.high
        )
        item["lines"] = 0
    elif prompt.kind == "action_plan":
        item["fields"] = list(PLAN_FIELDS)
        item["choices"] = [{"label": label, "options": list(options)} for label, options in PLAN_CHOICES]
        item["lines"] = 0
    return item


def _cells(model: LessonModel, tag: str, audience: str, course_audiences: tuple[str, ...]) -> list:
    return [c for c in model.tagged(tag) if c.cell_type == "markdown" and audience in c.audiences(course_audiences)]


def handout_data(model: LessonModel, audience: str, course_audiences: Iterable[str]) -> dict:
    """The handout as data: ``essential_question`` (HTML), ``blocks`` in lesson order (excerpts with
    their word help, organizers, numbered prompts) and ``exit`` (the exit ticket, or None)."""
    course_audiences = tuple(course_audiences)
    positioned: list[tuple[int, dict]] = []
    word_help = _cells(model, "word-help", audience, course_audiences)
    excerpts: list[list] = []  # runs of adjacent primary-source cells: one excerpt each
    for cell in _cells(model, "primary-source", audience, course_audiences):
        if excerpts and excerpts[-1][-1].number == cell.number - 1:
            excerpts[-1].append(cell)
        else:
            excerpts.append([cell])
    for index, run in enumerate(excerpts):
        end = excerpts[index + 1][0].number if index + 1 < len(excerpts) else len(model.cells) + 1
        helps = [h for h in word_help if run[-1].number < h.number < end]
        positioned.append(
            (
                run[0].number,
                {
                    "type": "excerpt",
                    "html": markdown("\n\n".join(c.source for c in run)),
                    "help": [markdown(h.source) for h in helps],
                },
            )
        )
    organizers, _ = organizers_of(model)
    for organizer in organizers:
        if audience in organizer.audiences(course_audiences):
            positioned.append(
                (
                    organizer.cell,
                    {
                        "type": "organizer",
                        "kind": organizer.kind,
                        "title": organizer.title,
                        "labels": list(organizer.labels),
                        "rows": organizer.rows,
                    },
                )
            )
    exit_id = exit_ticket_id(model)
    exit_item = None
    for number, prompt in numbered_prompts(model, audience, course_audiences):
        item = prompt_data(number, prompt)
        if prompt.id == exit_id:
            exit_item = item
        else:
            positioned.append((prompt.data_cell or prompt.cell or 0, item))
    blocks = [item for _, item in sorted(positioned, key=lambda pair: pair[0])]
    question = essential_question(model, audience, course_audiences)
    return {
        "essential_question": markdown(question) if question else "",
        "blocks": blocks,
        "exit": exit_item,
        "has_choices": any(b.get("kind") in ("choose", "scenario") for b in blocks),
    }


def handout_html(model: LessonModel, se: Mapping[str, Any], audience: str, course_audiences: Iterable[str]) -> str:
    """The handout page (worksheet.html) for ``audience``; ``se`` is what every page prints about the
    lesson (titles, audience label, version, fonts, paper)."""
    paper = se.get("paper", DEFAULT_PAPER)
    css = pagestyle.root_css() + "\n" + assets.text("handout.css") + f"\n@page {{ size: {PAPER_SIZES[paper]}; }}"
    return render(
        "handout.html.j2",
        se=se,
        handout=handout_data(model, audience, course_audiences),
        group_label=tr("Circle") if audience == "community" else tr("Class"),
        handout_css=safe(css),
        fonts_css=safe(se["fonts_css"]),
    )

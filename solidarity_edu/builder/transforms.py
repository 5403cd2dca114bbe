"""Notebook-in, notebook-out steps that make one output format from an executed lesson.

Each step takes a notebook (nbformat NotebookNode) and returns a new one; none touches the input.
Steps copy with :func:`copy_notebook`, which shares cell outputs instead of copying them (a lesson's
chart outputs carry their data and are most of its size); so no step changes an output in place: it
puts a new output in the cell's new list instead.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

import jinja2
import nbformat

from ..deck import CHECK_KINDS, DeckPlan, Slide
from ..errors import BuildError
from ..i18n import N_, tr
from ..lesson import METADATA_KEY, LessonModel, source_numbers
from ..prompts import Prompt
from ..tags import cell_tags, keeps
from .student_import import guard_import


def copy_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy a step may change: the notebook, its metadata, every cell, its source and metadata are
    new; the outputs list of each code cell is new, but the outputs in it are shared, never changed.
    (A deep copy of a lesson with its charts' data took half of the export time.)"""
    out = nbformat.NotebookNode(nb)
    widgets = nb.metadata.get("widgets")
    out.metadata = copy.deepcopy(nbformat.NotebookNode({k: v for k, v in nb.metadata.items() if k != "widgets"}))
    if widgets is not None:
        out.metadata["widgets"] = widgets  # widget state is only ever dropped, never edited
    cells = []
    for cell in nb.cells:
        new = nbformat.NotebookNode(cell)
        new.metadata = copy.deepcopy(cell.metadata)
        if "outputs" in cell:
            new.outputs = list(cell.outputs)
        cells.append(new)
    out.cells = cells
    return out


def select_cells(nb: nbformat.NotebookNode, fmt: str, audience: str) -> nbformat.NotebookNode:
    """Keep the cells that belong in ``fmt`` for ``audience`` (the tag contract).

    Each kept cell remembers its 1-based number in the source notebook (metadata ``source_cell``)
    so later messages can point at it.
    """
    out = copy_notebook(nb)
    kept = []
    for cell, number in zip(out.cells, source_numbers(out.cells), strict=True):
        if keeps(cell, fmt, audience):
            cell.metadata["source_cell"] = number
            kept.append(cell)
    out.cells = kept
    return out


def embed_prompt_data(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Copy each prompt's data into the metadata of the code cell that shows it.

    Student copies drop the ``prompt-data`` raw cells (a learner must not read the answers as text),
    so the data travels with the code cell instead, where the activity finds it at run time."""
    out = copy_notebook(nb)
    model = LessonModel.from_notebook(out)
    by_cell = {p.cell: p for p in model.prompts}
    for cell, number in zip(out.cells, source_numbers(out.cells), strict=True):
        prompt = by_cell.get(number)
        if prompt is not None and cell.cell_type == "code":
            cell.metadata.setdefault(METADATA_KEY, {})["prompt"] = prompt.to_data()
    return out


def strip_for_student(nb: nbformat.NotebookNode, audience: str, language: str = "en") -> nbformat.NotebookNode:
    """A clean student notebook: no outputs, no execution counts, no build metadata; the audience set
    in the parameters cell; inputs collapsed on ``hide-input`` cells; the helpers' import guarded so a
    Python without the package says in one sentence how to install it (see student_import.py)."""
    out = copy_notebook(nb)
    for cell in out.cells:
        cell.metadata.pop("source_cell", None)
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        tags = cell_tags(cell)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            if "parameters" in tags:
                cell.source = f"audience = {audience!r}\nlanguage = {language!r}"
            cell.source = guard_import(cell.source)
            if "hide-input" in tags:
                cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
    out.metadata.pop("papermill", None)
    out.metadata.pop("widgets", None)
    return out


def student_copy(nb: nbformat.NotebookNode, audience: str, language: str = "en") -> nbformat.NotebookNode:
    """The notebook a student opens, from a source or executed lesson: the student cells for
    ``audience``, prompt data carried in metadata, short citations for the sources, no outputs."""
    from .bibliography import expand_sources  # it builds on copy_notebook, defined here

    nb = expand_sources(nb, full=False)
    return strip_for_student(select_cells(embed_prompt_data(nb), "student", audience), audience, language)


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# A part's grouping (solidarity_edu.lesson.GROUPINGS) as a slide's activity badge starts it.
BADGE_GROUPINGS = {
    "individual": N_("Individual"),
    "pairs": N_("Pairs"),
    "small groups": N_("Small groups"),
    "circle": N_("Circle"),
}
SLIDE_PARTS = Path(__file__).parent / "templates" / "slide_parts"


@functools.lru_cache(maxsize=1)
def _slide_parts() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(SLIDE_PARTS)),
        autoescape=False,  # the HTML template escapes with |e; the notes are Markdown nbconvert renders
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )
    env.globals["tr"] = tr
    return env


def check_html(prompt: Prompt) -> str:
    """A check or scenario as a slide shows it: lettered options, the answer as a fragment."""
    if prompt.kind == "choose":
        correct = [prompt.answer] if prompt.answer in prompt.options else []
        label, reveal_label = tr("Check"), tr("Answer")
    elif prompt.kind == "scenario":
        correct = [b for b in prompt.best if b in prompt.options]
        label, reveal_label = tr("Scenario"), tr("Strongest choices") if len(correct) > 1 else tr("Strongest choice")
    else:
        correct, label, reveal_label = [], tr("Put in order"), tr("Order")
    feedback = ""
    if len(correct) == 1:
        feedback = (prompt.feedback or {}).get(correct[0], "") or (correct[0] if prompt.kind == "choose" else "")
    return (
        _slide_parts()
        .get_template("check.html.j2")
        .render(
            prompt=prompt,
            label=label,
            letters=LETTERS,
            correct=correct,
            correct_letters=", ".join(LETTERS[prompt.options.index(c)] for c in correct),
            reveal_label=reveal_label,
            reveal_feedback=feedback,
        )
        .strip()
    )


def _notes_markdown(plan: DeckPlan, slide: Slide, prompts: list[Prompt]) -> str:
    planned = plan.plan[slide.part - 1] if plan.plan else None
    return (
        _slide_parts()
        .get_template("notes.md.j2")
        .render(
            plan_size=len(plan.plan),
            first_of_part=plan.first_slide_of_part(slide),
            part_index=slide.part,
            part=planned.part if planned else None,
            minutes=planned.minutes if planned else 0,
            checks=[p for p in prompts if p.kind in CHECK_KINDS],
            reflections=[p for p in prompts if p.kind not in CHECK_KINDS],
            letters=LETTERS,
        )
        .strip()
    )


def mark_slides(nb: nbformat.NotebookNode, plan: DeckPlan) -> nbformat.NotebookNode:
    """Order and mark the cells of a slides notebook as the deck ``plan`` says (see solidarity_edu.deck).

    ``nb`` holds the cells the slides keep, with their charts and forms already rendered. Each cell gets
    ``metadata.se_deck``, which the se_slides template reads: ``slide`` (number, part, layout) on a
    slide's first cell, ``column`` where a column starts, ``notes`` on the first speaker-note cell and
    ``end`` on a slide's last cell. Checks and scenarios are redrawn with lettered options and a
    fragment that reveals the answer; each slide gets a note naming its part and minutes (and the
    answer of a check on it) before the lesson's own facilitator notes and answer keys.
    """
    out = copy_notebook(nb)
    by_id: dict[str, list[nbformat.NotebookNode]] = {}
    for cell in out.cells:
        by_id.setdefault(str(cell.get("id", "")), []).append(cell)
    ids = {c.number: c.id for c in plan.model.cells}
    placed: set[int] = set()

    def cells_of(numbers: tuple[int, ...], groups: tuple[int, ...] = ()) -> list[nbformat.NotebookNode]:
        found = []
        for number in numbers:
            cell_id = ids.get(number, "")
            matches = list(by_id.get(cell_id, []))
            if groups:
                # The sources cell becomes one Markdown cell per group: "<id>", "<id>-2", ...
                names = [cell_id if g == 0 else f"{cell_id}-{g + 1}" for g in groups]
                matches = [c for name in names for c in by_id.get(name, [])]
            for cell in matches:
                if id(cell) not in placed:
                    placed.add(id(cell))
                    found.append(cell)
        return found

    ordered: list[nbformat.NotebookNode] = []
    for slide in plan.slides:
        main, side, notes = cells_of(slide.cells, slide.groups), cells_of(slide.side), cells_of(slide.notes)
        if not main and not side:
            continue
        prompts = [plan.prompts[n] for n in (*slide.cells, *slide.side) if n in plan.prompts]
        for cell in (*main, *side):
            prompt = plan.prompts.get(cell.metadata.get("source_cell"))
            if cell.cell_type == "code" and prompt is not None and prompt.kind in CHECK_KINDS:
                html_text = check_html(prompt)
                cell.outputs = [
                    nbformat.v4.new_output("display_data", data={"text/html": html_text, "text/plain": prompt.question})
                ]
        text = _notes_markdown(plan, slide, prompts)
        generated = []
        if text:
            note = nbformat.v4.new_markdown_cell(text, metadata={"tags": ["facilitator"]})
            note.id = f"se-note-{slide.number}"
            generated.append(note)
        if slide.repeats_heading:
            heading = nbformat.v4.new_markdown_cell(f"## {slide.repeats_heading}")
            heading.id = f"se-heading-{slide.number}"
            main = [heading, *main]
        cells = [*main, *side, *generated, *notes]
        for cell in cells:
            cell.metadata["se_deck"] = {}
            cell.metadata.pop("slideshow", None)
        first = cells[0].metadata["se_deck"]
        first["slide"] = {
            "number": slide.number,
            "part": slide.part,
            "layout": slide.layout,
            "dense": slide.dense,
            "badge": _badge(plan, slide),
        }
        if side:
            first["column"] = "main"
            side[0].metadata["se_deck"]["column"] = "side"
        last_shown = (side or main)[-1].metadata["se_deck"]
        last_shown["end_column"] = bool(side)
        if generated or notes:
            (generated or notes)[0].metadata["se_deck"]["notes"] = True
        cells[-1].metadata["se_deck"]["end"] = True
        cells[-1].metadata["se_deck"]["end_notes"] = bool(generated or notes)
        ordered += cells
    leftover = [c for c in out.cells if id(c) not in placed]
    if leftover and ordered:
        names = ", ".join(str(c.get("id")) for c in leftover)
        raise BuildError(
            f"cells {names} are in the slides but in no slide of the deck plan; give each cell a unique id "
            "(open the notebook in JupyterLab and save it) and report this if it persists"
        )
    out.cells = ordered
    return out


def _badge(plan: DeckPlan, slide: Slide) -> str:
    """The activity label on a part's first slide when the part is not whole-class: "Pairs, 12 minutes"."""
    if not plan.plan or not plan.first_slide_of_part(slide):
        return ""
    planned = plan.plan[slide.part - 1]
    if planned.part.grouping == "whole class":
        return ""
    grouping = BADGE_GROUPINGS.get(planned.part.grouping, planned.part.grouping.capitalize())
    return tr("{grouping}, {minutes} minutes").format(grouping=tr(grouping), minutes=planned.minutes)


def clear_widget_state(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop saved widget state: exports show the static form of every activity, never a live widget."""
    out = copy_notebook(nb)
    out.metadata.pop("widgets", None)
    return out

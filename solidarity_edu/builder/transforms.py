"""Notebook-in, notebook-out steps that make one output format from an executed lesson.

Each step takes a notebook (nbformat NotebookNode) and returns a new one; none touches the input.
Steps copy with :func:`copy_notebook`, which shares cell outputs instead of copying them (a lesson's
chart outputs carry their data and are most of its size); so no step changes an output in place: it
puts a new output in the cell's new list instead.
"""

from __future__ import annotations

import copy
import re

import nbformat

from ..lesson import METADATA_KEY, LessonModel, PlannedPart, source_numbers
from ..tags import cell_tags, keeps
from .student_import import guard_import

_HEADING = re.compile(r"^\s{0,3}#{1,2}\s", re.MULTILINE)


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


def strip_for_student(nb: nbformat.NotebookNode, audience: str) -> nbformat.NotebookNode:
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
                cell.source = f"audience = {audience!r}"
            cell.source = guard_import(cell.source)
            if "hide-input" in tags:
                cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
    out.metadata.pop("papermill", None)
    out.metadata.pop("widgets", None)
    return out


def student_copy(nb: nbformat.NotebookNode, audience: str) -> nbformat.NotebookNode:
    """The notebook a student opens, from a source or executed lesson: the student cells for
    ``audience``, prompt data carried in metadata, short citations for the sources, no outputs."""
    from .bibliography import expand_sources  # it builds on copy_notebook, defined here

    nb = expand_sources(nb, full=False)
    return strip_for_student(select_cells(embed_prompt_data(nb), "student", audience), audience)


def mark_slides(nb: nbformat.NotebookNode, plan: list[PlannedPart] | None = None) -> nbformat.NotebookNode:
    """Turn tags into reveal.js structure.

    ``slide``/``subslide``/``fragment`` tags start slides; without them, a markdown cell that opens
    with a level-1 or level-2 heading starts a new slide, and so does every prompt (a question gets a
    slide of its own for discussion). ``facilitator`` cells become speaker notes.

    Every slide is numbered as the deck shows it (``data-se-slide``; the title slide the template adds
    is 1) and names the part of the lesson plan it belongs to (``data-se-part``, 1-based, in the order
    of ``plan``: the audience's :meth:`LessonModel.plan`), so the teacher guide can name the slides of
    each step of its procedure.
    """
    out = copy_notebook(nb)
    first = True
    number = 1  # the title slide
    for cell in out.cells:
        tags = cell_tags(cell)
        if "facilitator" in tags:
            slide_type = "notes"
        elif "slide" in tags:
            slide_type = "slide"
        elif "subslide" in tags:
            slide_type = "subslide"
        elif "fragment" in tags:
            slide_type = "fragment"
        elif (cell.cell_type == "markdown" and _HEADING.match(cell.source)) or "prompt" in tags:
            slide_type = "slide"
        else:
            slide_type = "-"
        if first and slide_type != "notes":
            slide_type, first = "slide", False
        cell.metadata["slideshow"] = {"slide_type": slide_type}
        if slide_type == "slide":
            number += 1
            part = part_of(cell.metadata.get("source_cell"), plan or [])
            cell.metadata["slideshow"]["data"] = {"se_slide": str(number), "se_part": str(part)}
    return out


def part_of(source_cell: int | None, plan: list[PlannedPart]) -> int:
    """The 1-based index in ``plan`` of the part that holds source cell ``source_cell`` (1 for the cells
    before the first part, or when there is no plan)."""
    found = 1
    for index, planned in enumerate(plan, start=1):
        if source_cell is not None and planned.first_cell <= source_cell:
            found = index
    return found


def clear_widget_state(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop saved widget state: exports show the static form of every activity, never a live widget."""
    out = copy_notebook(nb)
    out.metadata.pop("widgets", None)
    return out

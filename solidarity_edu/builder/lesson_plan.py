"""The lesson plan in the exports: the ``parts`` data cell becomes a timing table for one audience.

The table is a facilitator cell, so it shows in the teacher guide and in the slides' speaker notes,
and never in a student's copy or on a worksheet. Its numbers come from the parts themselves, so the
timing a teacher reads always adds up to the minutes course.yaml gives the lesson.
"""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2
import nbformat

from ..i18n import tr
from ..lesson import PARTS_TAG, LessonModel
from .transforms import copy_notebook

TEMPLATES = Path(__file__).parent / "templates" / "snippets"


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=False,  # Markdown, not HTML: nbconvert renders and escapes it
        keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["tr"] = tr
    return env


def timing_markdown(model: LessonModel, audience: str, audience_label: str, duration: int) -> str:
    """The timing table for one audience, as Markdown."""
    plan = model.plan(audience)
    return (
        _environment()
        .get_template("timing.md.j2")
        .render(plan=plan, total=sum(p.minutes for p in plan), audience_label=audience_label, duration=duration)
        .strip()
    )


def expand_parts(nb: nbformat.NotebookNode, audience: str, audience_label: str, duration: int) -> nbformat.NotebookNode:
    """Replace the ``parts`` raw cell with a facilitator cell holding the timing table for ``audience``."""
    out = copy_notebook(nb)
    model = LessonModel.from_notebook(out)
    for index, cell in enumerate(out.cells):
        if cell.cell_type == "raw" and PARTS_TAG in (cell.metadata.get("tags") or []):
            text = timing_markdown(model, audience, audience_label, duration)
            timing = nbformat.v4.new_markdown_cell(text, metadata={"tags": ["facilitator", "lesson-plan"]})
            timing.id = cell.get("id") or f"timing-{index}"
            out.cells[index] = timing
    return out

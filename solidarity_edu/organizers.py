"""Graphic organizers a lesson asks learners to fill in on paper: a T-chart, note boxes, a timeline strip.

Where a lesson tells learners to take notes ("keep two columns: what the government did and what
people did"), the handout prints the organizer itself. The lesson declares it in a raw cell tagged
``organizer``, right below the text that asks for it, in YAML::

    organizer: t-chart          # t-chart (2 to 4 columns) | notes (2 to 6 boxes) | timeline (a blank strip)
    title: Note-taking guide
    labels: [What the government did, What people did in response]
    rows: 5                     # ruled rows per column or box (1 to 12, default 4)

A ``timeline`` strip's labels are the marks printed under it, left to right (``[1941, 1988]``). Give the
raw cell the same ``for-...`` tags as the text it belongs to. Every export removes the raw cell; the
handout prints the organizer where the cell stands in the lesson.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .lesson import ORGANIZER_TAG, LessonModel, Problem

KINDS = {"t-chart": (2, 4), "notes": (2, 6), "timeline": (2, 8)}
_KEYS = {"organizer", "title", "labels", "rows"}


@dataclass(frozen=True)
class Organizer:
    """One organizer as the lesson declares it (``cell``: the source number of its raw cell)."""

    kind: str
    title: str
    labels: tuple[str, ...]
    rows: int
    cell: int
    tags: frozenset[str] = frozenset()

    def audiences(self, course_audiences: Iterable[str]) -> tuple[str, ...]:
        """The audiences whose handout prints it (all of them when the cell has no ``for-...`` tag)."""
        course_audiences = tuple(course_audiences)
        named = tuple(a for a in course_audiences if f"for-{a}" in self.tags)
        return named or course_audiences


def organizers_of(model: LessonModel) -> tuple[list[Organizer], list[Problem]]:
    """The lesson's organizers in lesson order, and a problem (file, cell, key, fix) for each mistake."""
    found: list[Organizer] = []
    problems: list[Problem] = []
    for cell in model.tagged(ORGANIZER_TAG):
        data = model.data(cell)
        if cell.cell_type != "raw" or (data is None and cell.source.strip()):
            continue  # the lesson model already said what is wrong with the cell

        def problem(message: str, number: int = cell.number) -> None:
            problems.append(Problem(model.path, number, f"organizer: {message}"))

        if not isinstance(data, dict):
            problem("the cell must hold keys such as 'organizer: t-chart', 'title: ...', 'labels: [...]'")
            continue
        for key in sorted(set(data) - _KEYS, key=str):
            problem(f"unknown key {key!r}; an organizer has {', '.join(sorted(_KEYS))}")
        kind = data.get("organizer")
        if kind not in KINDS:
            problem(f"'organizer: {kind}' is not one of {', '.join(KINDS)}")
            continue
        least, most = KINDS[kind]
        labels = data.get("labels")
        if not isinstance(labels, list) or not all(isinstance(x, str | int) and str(x).strip() for x in labels):
            problem("labels must be a list of short texts, e.g. [What the government did, What people did]")
            continue
        if not least <= len(labels) <= most:
            problem(f"a {kind} has {least} to {most} labels (found {len(labels)})")
            continue
        rows = data.get("rows", 4)
        if not isinstance(rows, int) or isinstance(rows, bool) or not 1 <= rows <= 12:
            problem("rows must be a whole number from 1 to 12 (ruled rows on paper)")
            continue
        title = data.get("title", "")
        if not isinstance(title, str):
            problem("title must be text")
            continue
        found.append(
            Organizer(kind, title.strip(), tuple(str(x).strip() for x in labels), rows, cell.number, cell.tags)
        )
    return found, problems

"""Every event and term a lesson refers to exists in the datasets, and every lesson is in course.yaml."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from solidarity_edu.course import load_course
from solidarity_edu.data import load_glossary, load_timeline

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def _references(path: Path) -> tuple[set[str], set[str]]:
    """(event ids, glossary ids) named as string literals in the lesson's code cells."""
    events, terms = set(), set()
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            name = node.func.id
            literals = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if name == "event_card":
                events.update(literals[:1])
            if name == "define":
                terms.update(literals[:1])
            for keyword in node.keywords:
                if keyword.arg == "ids" and isinstance(keyword.value, ast.List | ast.Tuple):
                    events.update(e.value for e in keyword.value.elts if isinstance(e, ast.Constant))
    return events, terms


def test_every_lesson_is_in_the_course():
    listed = {lesson.notebook.name for lesson in load_course(ROOT / "notebooks" / "course.yaml").lessons}
    assert {p.name for p in LESSONS} == listed


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_referenced_events_and_terms_exist(path):
    events, terms = _references(path)
    known_events = set(load_timeline(ROOT / "data")["id"])
    known_terms = set(load_glossary(ROOT / "data")["id"])
    assert sorted(events - known_events) == []
    assert sorted(terms - known_terms) == []

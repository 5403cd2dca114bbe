"""Check a lesson notebook against the cell-tag contract and the lesson conventions.

Every problem names the file and the 1-based cell number (as JupyterLab counts them) and says how to fix it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .course import Course
from .errors import NotebookError
from .tags import PROMPT_FUNCTIONS, cell_tags, known_tags

REQUIRED_HEADINGS = {
    "learning objectives": "a '## Learning objectives' heading with a list of what learners will be able to do",
    "essential question": "a '## Essential question' heading",
    "before you start": "a '## Before you start' heading (prerequisites; say 'none' if there are none)",
    "sources": "a '## Sources' heading listing every source the lesson uses",
}
PROMPT_ID = re.compile(r"^\d\d-[a-z0-9]+(-[a-z0-9]+)*$")
MAX_VISIBLE_CODE_LINES = 2
MAX_VISIBLE_CODE_WIDTH = 88
# A dollar sign not escaped as \\$: two of them in a paragraph turn the words between into math.
_BARE_DOLLAR = re.compile(r"(?<!\\)\$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Problem:
    path: Path
    cell: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: cell {self.cell}" if self.cell else str(self.path)
        return f"{where}: {self.message}"


def read_lesson(path: Path) -> nbformat.NotebookNode:
    """Read and validate a notebook file; NotebookError names the file and the problem."""
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except FileNotFoundError as err:
        raise NotebookError(f"{path}: notebook not found") from err
    except Exception as err:  # JSON errors, schema errors
        raise NotebookError(
            f"{path}: not a valid notebook ({type(err).__name__}: {str(err).splitlines()[0]}); "
            "open it in JupyterLab and save it again, or restore it from git"
        ) from err
    return nb


def _structure(path: Path, nb: nbformat.NotebookNode, course: Course) -> list[Problem]:
    problems = []
    allowed = known_tags(tuple(course.audiences))
    params = []
    for number, cell in enumerate(nb.cells, start=1):
        for tag in sorted(cell_tags(cell) - allowed):
            problems.append(Problem(path, number, f"unknown tag {tag!r}; known tags: {', '.join(sorted(allowed))}"))
        if "parameters" in cell_tags(cell):
            params.append(number)
            if cell.cell_type != "code" or not re.search(r"^audience\s*=", cell.source, re.M):
                problems.append(Problem(path, number, "the parameters cell must be code that sets audience = '...'"))
    if len(params) != 1:
        problems.append(
            Problem(
                path,
                None,
                f"needs exactly one cell tagged 'parameters' (found {len(params)}); "
                "it sets audience = 'high-school' and papermill replaces it per audience",
            )
        )
    return problems


def preflight(path: Path, course: Course) -> None:
    """The checks that must pass before a build runs anything (readable notebook, known tags)."""
    problems = _structure(path, read_lesson(path), course)
    if problems:
        raise NotebookError(
            str(problems[0])
            + (f" (and {len(problems) - 1} more; run solidarity-edu lint)" if len(problems) > 1 else "")
        )


def _prompt_id(cell_source: str) -> tuple[str | None, str | None]:
    """(function, id) of the exercise call in a prompt cell, or (None, reason)."""
    try:
        tree = ast.parse(cell_source)
    except SyntaxError as err:
        return None, f"the prompt cell is not valid Python ({err.msg}, line {err.lineno})"
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in PROMPT_FUNCTIONS:
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                return node.func.id, node.args[0].value
            return None, f"{node.func.id}(...) needs the prompt id as a plain string first argument"
    return None, f"a prompt cell must call one of {', '.join(PROMPT_FUNCTIONS)}"


def lint_lesson(path: Path, course: Course, seen_ids: dict[str, str] | None = None) -> list[Problem]:
    """Every problem in one lesson notebook."""
    try:
        nb = read_lesson(path)
    except NotebookError as err:
        return [Problem(path, None, str(err).split(": ", 1)[-1])]
    problems = _structure(path, nb, course)
    seen_ids = {} if seen_ids is None else seen_ids
    lesson_number = path.name[:2]
    headings: set[str] = set()
    has_content_note = False
    open_prompt: int | None = None
    for number, cell in enumerate(nb.cells, start=1):
        tags = cell_tags(cell)
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            problems.append(Problem(path, number, "has outputs or an execution count; clear outputs before committing"))
        if cell.cell_type == "markdown":
            headings.update(h.strip().lower().rstrip(":") for h in _HEADING.findall(cell.source))
            if _BARE_DOLLAR.search(cell.source):
                problems.append(
                    Problem(
                        path, number, "has a bare '$' (JupyterLab reads '$2 ... $3' as math); write '\\$' for dollars"
                    )
                )
        if "content-note" in tags:
            has_content_note = True
        for tag in ("facilitator", "answer-key", "content-note"):
            if tag in tags and cell.cell_type != "markdown":
                problems.append(Problem(path, number, f"cells tagged {tag!r} must be markdown"))
        if "answer-key" in tags:
            open_prompt = None
        if "prompt" in tags:
            if open_prompt is not None:
                problems.append(
                    Problem(
                        path,
                        open_prompt,
                        "prompt has no answer-key cell (model answer or discussion guidance) before the next prompt",
                    )
                )
            open_prompt = number
            if cell.cell_type != "code":
                problems.append(
                    Problem(
                        path,
                        number,
                        "a prompt cell must be code calling an exercise, e.g. reflect('00-hopes', 'What do you hope to learn?')",
                    )
                )
                continue
            func, pid = _prompt_id(cell.source)
            if func is None:
                problems.append(Problem(path, number, str(pid)))
            elif not PROMPT_ID.match(pid) or not pid.startswith(lesson_number + "-"):
                problems.append(
                    Problem(
                        path,
                        number,
                        f"prompt id {pid!r} must be '{lesson_number}-' plus a kebab-case slug, e.g. '{lesson_number}-first-thoughts'",
                    )
                )
            elif pid in seen_ids:
                problems.append(
                    Problem(
                        path,
                        number,
                        f"prompt id {pid!r} is already used in {seen_ids[pid]}; ids must be unique and never change (answers are saved under them)",
                    )
                )
            else:
                seen_ids[pid] = f"{path.name} cell {number}"
        if cell.cell_type == "code" and not tags & {"hide-input", "remove-cell", "parameters"}:
            lines = [ln for ln in cell.source.splitlines() if ln.strip()]
            if len(lines) > MAX_VISIBLE_CODE_LINES or any(len(ln) > MAX_VISIBLE_CODE_WIDTH for ln in lines):
                problems.append(
                    Problem(
                        path,
                        number,
                        f"learners see this code: keep it to {MAX_VISIBLE_CODE_LINES} short lines (move the rest into solidarity_edu, or tag the cell hide-input)",
                    )
                )
        if cell.cell_type == "code" and "alt.Chart(" in cell.source and "description=" not in cell.source:
            problems.append(
                Problem(
                    path,
                    number,
                    "a chart needs a text description: pass description='...' (one sentence for screen readers and print)",
                )
            )
    if open_prompt is not None:
        problems.append(
            Problem(path, open_prompt, "prompt has no answer-key cell (model answer or discussion guidance) after it")
        )
    for heading, advice in REQUIRED_HEADINGS.items():
        if heading not in headings:
            problems.append(Problem(path, None, f"missing {advice}"))
    if not has_content_note:
        problems.append(
            Problem(
                path,
                None,
                "missing a content note: a markdown cell tagged 'content-note' before any hard material (say so even when the lesson is gentle)",
            )
        )
    return problems


def lint_course(course: Course) -> list[Problem]:
    """Every problem in every lesson of the course (prompt ids are checked for uniqueness across it)."""
    seen: dict[str, str] = {}
    problems: list[Problem] = []
    for lesson in course.lessons:
        problems += lint_lesson(lesson.notebook, course, seen)
    return problems

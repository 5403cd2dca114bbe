"""Check a lesson notebook against the cell-tag contract and the lesson conventions.

Every problem names the file and the 1-based cell number (as JupyterLab counts them) and says how to fix
it. The lesson is read through the lesson model (solidarity_edu.lesson), the same reading the build,
``present`` and the study circle use.
"""

from __future__ import annotations

import re
from pathlib import Path

from .course import Course, Lesson
from .deck import MINUTES_PER_SLIDE, DeckPlan, slide_budget
from .errors import DatasetError, NotebookError
from .lesson import (
    ORGANIZER_TAG,
    PARTS_TAG,
    PROMPT_DATA_TAG,
    SOURCES_TAG,
    LessonModel,
    Problem,
    heading_text,
    read_lesson,
)
from .organizers import organizers_of
from .printing import screen_words
from .prompts import exit_ticket_id
from .sources import WEAK, HostRating, host_of, rate, read_host_list
from .standards import unknown_codes
from .tags import known_tags
from .translate.completeness import completeness_problems

__all__ = ["Problem", "lint_course", "lint_lesson", "preflight"]

REQUIRED_HEADINGS = {
    "learning objectives": "a '## Learning objectives' heading with a list of what learners will be able to do",
    "essential question": "a '## Essential question' heading",
    "before you start": "a '## Before you start' heading (prerequisites; say 'none' if there are none)",
}
MAX_VISIBLE_CODE_LINES = 2
MAX_VISIBLE_CODE_WIDTH = 88
# A dollar sign not escaped as \\$: two of them in a paragraph turn the words between into math.
_BARE_DOLLAR = re.compile(r"(?<!\\)\$")
# A web address written in a Markdown cell (bare, in <...> or in a [link](...)).
_MD_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+")
HOST_LIST_HELP = "data/source-hosts/lessons.yaml"
# The language a lesson notebook is written in: its parameters cell says language = "en".
SOURCE_LANGUAGE = "en"


def _structure(model: LessonModel, course: Course) -> list[Problem]:
    path = model.path
    problems = []
    allowed = known_tags(tuple(course.audiences))
    params = []
    for cell in model.cells:
        for tag in sorted(cell.tags - allowed):
            problems.append(
                Problem(path, cell.number, f"unknown tag {tag!r}; known tags: {', '.join(sorted(allowed))}")
            )
        if "parameters" in cell.tags:
            params.append(cell.number)
            if cell.cell_type != "code" or not re.search(r"^audience\s*=", cell.source, re.M):
                problems.append(
                    Problem(path, cell.number, "the parameters cell must be code that sets audience = '...'")
                )
            elif re.search(r"^language\s*=", cell.source, re.M) and model.parameter_language != SOURCE_LANGUAGE:
                problems.append(
                    Problem(
                        path,
                        cell.number,
                        f"the parameters cell sets language = {model.parameter_language!r}; a lesson is written in "
                        f"English, so write language = {SOURCE_LANGUAGE!r} (the build and `present --language` "
                        "set the learner's language)",
                    )
                )
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


def _model(path: Path) -> LessonModel:
    return read_lesson(path, validate=True)


def preflight(path: Path, course: Course) -> None:
    """The checks that must pass before a build runs anything (readable notebook, known tags, prompt,
    part and organizer data that parse)."""
    model = _model(path)
    problems = _structure(model, course) + model.all_problems() + organizers_of(model)[1]
    if problems:
        raise NotebookError(
            str(problems[0])
            + (f" (and {len(problems) - 1} more; run solidarity-edu lint)" if len(problems) > 1 else "")
        )


def _prompts(model: LessonModel, seen_ids: dict[str, str]) -> list[Problem]:
    """Ids unique across the course; every prompt followed by its answer key."""
    problems = []
    for prompt in model.prompts:
        if prompt.id in seen_ids:
            problems.append(
                Problem(
                    model.path,
                    prompt.cell,
                    f"prompt id {prompt.id!r} is already used in {seen_ids[prompt.id]}; ids must be unique and never "
                    "change (answers are saved under them)",
                )
            )
        else:
            seen_ids[prompt.id] = f"{model.path.name} cell {prompt.cell}"
    open_prompt: int | None = None
    for cell in model.cells:
        if "answer-key" in cell.tags:
            open_prompt = None
        if "prompt" in cell.tags:
            if open_prompt is not None:
                problems.append(
                    Problem(
                        model.path,
                        open_prompt,
                        "prompt has no answer-key cell (model answer or discussion guidance) before the next prompt",
                    )
                )
            open_prompt = cell.number
    if open_prompt is not None:
        problems.append(
            Problem(
                model.path, open_prompt, "prompt has no answer-key cell (model answer or discussion guidance) after it"
            )
        )
    return problems


# Cells that never reach paper: the reader and the handout leave them out.
_OFF_PAPER = {"screen-only", "facilitator", "answer-key", "remove-cell", "parameters", "prompt", PROMPT_DATA_TAG}


def _paper(model: LessonModel, audiences: tuple[str, ...]) -> list[Problem]:
    """What the lesson prints (the reader's text, the handout's prompts and organizers) has no
    screen-only words; the lesson has an exit ticket, last, for every audience; organizers parse."""
    path = model.path
    problems = []
    fix = "say it in a print-neutral way or tag the cell 'screen-only' (paper has no"
    for cell in model.cells:
        if cell.cell_type != "markdown" or cell.tags & _OFF_PAPER:
            continue
        found = screen_words(cell.source)
        if found:
            problems.append(
                Problem(path, cell.number, f"printed in the reader, but says {found[0]!r}: {fix} {found[0].lower()})")
            )
    for prompt in model.prompts:
        found = screen_words(" ".join([prompt.question, *prompt.options]))
        if found:
            problems.append(
                Problem(
                    path,
                    prompt.data_cell or prompt.cell,
                    f"prompt {prompt.id!r} is printed on the handout, but says {found[0]!r}: reword it for paper too",
                )
            )
    organizers, trouble = organizers_of(model)
    problems += trouble
    for organizer in organizers:
        found = screen_words(" ".join([organizer.title, *organizer.labels]))
        if found:
            problems.append(Problem(path, organizer.cell, f"organizer says {found[0]!r}: reword it for paper"))
    exit_id = exit_ticket_id(model)
    exit_prompt = model.prompt(exit_id)
    if exit_prompt is None:
        problems.append(
            Problem(
                path,
                None,
                f"missing an exit ticket: a reflect prompt with id {exit_id!r} as the lesson's last prompt (a short "
                "question about the lesson the teacher collects; nothing personal)",
            )
        )
    else:
        where = exit_prompt.data_cell or exit_prompt.cell
        if exit_prompt.kind != "reflect":
            problems.append(Problem(path, where, f"the exit ticket {exit_id!r} must be a reflect(...) prompt"))
        if exit_prompt.optional:
            problems.append(
                Problem(path, where, f"the exit ticket {exit_id!r} is collected: it cannot be optional or personal")
            )
        if exit_prompt.tags & {f"for-{a}" for a in audiences}:
            problems.append(
                Problem(
                    path, exit_prompt.cell, f"the exit ticket {exit_id!r} is for every audience: remove its for- tags"
                )
            )
        later = [p.id for p in model.prompts if (p.cell or 0) > (exit_prompt.cell or 0)]
        if later:
            problems.append(
                Problem(
                    path,
                    where,
                    f"the exit ticket {exit_id!r} must be the lesson's last prompt; move {later[0]!r} above it",
                )
            )
    return problems


def _parts(model: LessonModel, lesson: Lesson | None) -> list[Problem]:
    """A lesson plan that exists, names cells that exist, and adds up for every audience."""
    path = model.path
    cells = model.tagged(PARTS_TAG)
    if not cells:
        return [
            Problem(
                path,
                None,
                "missing the lesson plan: a raw cell tagged 'parts' with each part's name, start and minutes "
                "(see README, 'Writing a lesson')",
            )
        ]
    if lesson is None or not model.parts:
        return []
    problems = []
    cell = cells[0].number
    for audience in lesson.audiences:
        planned = model.plan(audience)
        total = sum(p.minutes for p in planned)
        wanted = lesson.duration_minutes.get(audience)
        if wanted is not None and total != wanted:
            problems.append(
                Problem(
                    path,
                    cell,
                    f"the parts for {audience} add up to {total} minutes, but course.yaml gives this lesson "
                    f"{wanted} (duration_minutes.{audience}); change a part's minutes so they match",
                )
            )
    starts: dict[tuple[str, int], str] = {}
    for part in model.parts:
        for audience in part.minutes:
            if part.cell is None:
                continue
            other = starts.setdefault((audience, part.cell), part.name)
            if other != part.name:
                problems.append(
                    Problem(
                        path,
                        cell,
                        f"parts {other!r} and {part.name!r} both start at cell {part.cell} for {audience}; "
                        "give one of them another start, or merge them",
                    )
                )
    for part in model.parts:
        unknown = sorted(set(part.minutes) - set(lesson.audiences))
        if unknown:
            problems.append(
                Problem(
                    path,
                    cell,
                    f"part {part.name!r}: minutes for {unknown[0]!r}, which is not an audience of this lesson "
                    f"({', '.join(lesson.audiences)})",
                )
            )
    return problems


def _slide_budget(model: LessonModel, lesson: Lesson | None) -> list[Problem]:
    """At most one slide per 1.5 minutes of each audience's time (the deck the build makes)."""
    if lesson is None or not model.parts:
        return []
    problems = []
    for audience in lesson.audiences:
        minutes = lesson.duration_minutes.get(audience)
        if not minutes:
            continue
        count, budget = len(DeckPlan(model, audience).slides), slide_budget(minutes)
        if count > budget:
            problems.append(
                Problem(
                    model.path,
                    None,
                    f"the {audience} slides would have {count} slides for {minutes} minutes; the most is {budget} "
                    f"(one per {MINUTES_PER_SLIDE:g} minutes): shorten text, join short sections under one "
                    "heading, or move remarks for the teacher into a 'facilitator' cell",
                )
            )
    return problems


def host_list(course: Course) -> tuple[dict[str, HostRating], Problem | None]:
    """The source-quality list of the course's project (data/source-hosts next to notebooks/): the
    hosts, or no hosts and the problem that kept it from being read."""
    folder = course.root.parent / "data" / "source-hosts"
    if not folder.is_dir():
        return {}, None  # a course without the list: every cited host is then reported as unlisted
    try:
        return read_host_list(folder), None
    except DatasetError as err:
        return {}, Problem(course.path, None, str(err))


def _sources(model: LessonModel, hosts: dict[str, HostRating]) -> list[Problem]:
    """The lesson's works: a sources cell, every cited host listed, no weak host in a citation a reader
    sees (weak copies belong under read_at), not every citation weak, and no weak link in the text."""
    path = model.path
    cell = model.sources_cell
    problems = []
    if cell is None:
        problems.append(
            Problem(
                path,
                None,
                "missing the lesson's sources: a raw cell tagged 'sources' listing every work the lesson uses "
                "(see README, 'Writing a lesson')",
            )
        )
    cited = weak = 0
    for work in model.sources:
        for key, url in work.urls:
            rating = rate(url, hosts)
            cited += 1
            if rating is None:
                problems.append(
                    Problem(
                        path,
                        work.cell,
                        f"{work.label}: the host {host_of(url)!r} of {key} {url} is not in the source-quality list; "
                        f"add it to {HOST_LIST_HELP} with its class and a one-line reason",
                    )
                )
            elif rating.cls == WEAK:
                weak += 1
                if key == "url":
                    problems.append(
                        Problem(
                            path,
                            work.cell,
                            f"{work.label}: url {url} is on a weak host ({rating.host}: {rating.reason}); cite the "
                            "original work (its publisher, court or outlet) as url, or name it precisely in "
                            "citation, and move this copy to read_at",
                        )
                    )
    if cited and weak == cited and cell is not None:
        problems.append(
            Problem(
                path,
                cell.number,
                f"every web address in the sources ({cited}) is on a weak host: the lesson cites no work a reader "
                "can check; cite the original works (statutes, opinions, reports, news stories at their publishers)",
            )
        )
    for other in model.cells:
        if other.cell_type != "markdown":
            continue
        for url in _MD_URL.findall(other.source):
            url = url.rstrip(".,;:")
            rating = rate(url, hosts)
            if rating is not None and rating.cls == WEAK:
                problems.append(
                    Problem(
                        path,
                        other.number,
                        f"links to {url}, on a weak host ({rating.host}: {rating.reason}); cite the original work "
                        f"in the '{SOURCES_TAG}' cell (keep this copy there under read_at) and remove the link here",
                    )
                )
    return problems


def lint_lesson(
    path: Path,
    course: Course,
    seen_ids: dict[str, str] | None = None,
    lesson: Lesson | None = None,
    hosts: dict[str, HostRating] | None = None,
) -> list[Problem]:
    """Every problem in one lesson notebook (``hosts``: the source-quality list, read from the
    course's data/source-hosts when not given)."""
    try:
        model = _model(path)
    except NotebookError as err:
        return [Problem(path, None, str(err).split(": ", 1)[-1])]
    if lesson is None:
        lesson = next((les for les in course.lessons if les.notebook.resolve() == Path(path).resolve()), None)
    problems = _structure(model, course)
    seen_ids = {} if seen_ids is None else seen_ids
    headings: set[str] = set()
    has_content_note = False
    for cell in model.cells:
        tags = cell.tags
        node = cell.node
        if cell.cell_type == "code" and (node.get("outputs") or node.get("execution_count")):
            problems.append(
                Problem(path, cell.number, "has outputs or an execution count; clear outputs before committing")
            )
        if cell.cell_type == "markdown":
            headings.update(heading_text(text) for _, text in cell.headings)
            if _BARE_DOLLAR.search(cell.source):
                problems.append(
                    Problem(
                        path,
                        cell.number,
                        "has a bare '$' (JupyterLab reads '$2 ... $3' as math); write '\\$' for dollars",
                    )
                )
        if "content-note" in tags:
            has_content_note = True
        for tag in ("facilitator", "answer-key", "content-note"):
            if tag in tags and cell.cell_type != "markdown":
                problems.append(Problem(path, cell.number, f"cells tagged {tag!r} must be markdown"))
        if cell.cell_type == "raw" and not tags & {PROMPT_DATA_TAG, PARTS_TAG, "sources", ORGANIZER_TAG}:
            problems.append(
                Problem(
                    path,
                    cell.number,
                    "a raw cell must be tagged prompt-data, parts, sources or organizer (raw cells hold the lesson's data)",
                )
            )
        if cell.cell_type == "code" and not tags & {"hide-input", "remove-cell", "parameters"}:
            lines = [ln for ln in cell.source.splitlines() if ln.strip()]
            if len(lines) > MAX_VISIBLE_CODE_LINES or any(len(ln) > MAX_VISIBLE_CODE_WIDTH for ln in lines):
                problems.append(
                    Problem(
                        path,
                        cell.number,
                        f"learners see this code: keep it to {MAX_VISIBLE_CODE_LINES} short lines (move the rest into solidarity_edu, or tag the cell hide-input)",
                    )
                )
        if cell.cell_type == "code" and "alt.Chart(" in cell.source and "description=" not in cell.source:
            problems.append(
                Problem(
                    path,
                    cell.number,
                    "a chart needs a text description: pass description='...' (one sentence for screen readers and print)",
                )
            )
    problems += model.all_problems()
    problems += _prompts(model, seen_ids)
    problems += _parts(model, lesson)
    problems += _slide_budget(model, lesson)
    problems += _paper(model, tuple(lesson.audiences) if lesson else tuple(course.audiences))
    if hosts is None:
        hosts, trouble = host_list(course)
        problems += [trouble] if trouble else []
    problems += _sources(model, hosts)
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
    return sorted(set(problems), key=lambda p: (p.cell or 0, p.message))


def lint_course(course: Course) -> list[Problem]:
    """Every problem in every lesson of the course (prompt ids are checked for uniqueness across it)."""
    seen: dict[str, str] = {}
    hosts, trouble = host_list(course)
    problems: list[Problem] = [trouble] if trouble else []
    for lesson in course.lessons:
        problems += lint_lesson(lesson.notebook, course, seen, lesson, hosts)
    problems += standards_problems(course)
    problems += completeness_problems(course, course.path.parent.parent / "data")
    return problems


def standards_problems(course: Course) -> list[Problem]:
    """A problem for every standard code in course.yaml that the project's vocabulary does not define."""
    problems = []
    for lesson in course.lessons:
        for code in unknown_codes(lesson.standards):
            problems.append(
                Problem(
                    course.path,
                    None,
                    f"lesson {lesson.id}: unknown standard {code!r}; use a code defined in "
                    f"solidarity_edu/standards.yaml (or add it there with its official wording and source url)",
                )
            )
    return problems

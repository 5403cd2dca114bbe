"""One model of a lesson, read from its notebook without running it.

Everything the package knows about a lesson's structure comes from here: its cells (with tags and the
1-based numbers JupyterLab shows), its prompts (what each question says, its options and answer), its
parts (the lesson plan: names, minutes per audience, grouping), the terms it defines and its sources.
The linter, the build, ``present``, ``publish-student``, the study circle and the tests all read a
lesson through this module, and nothing else in the package parses lesson code.

A lesson keeps its structure as data in *raw cells* holding YAML, each marked by a tag:

- ``prompt-data``  one per prompt, just above the one-line code cell that shows it
  (``choose("01-wong-kim-ark")``); see :mod:`solidarity_edu.prompts` for the keys;
- ``parts``        one per lesson: the lesson plan (see :class:`Part`);
- ``sources``      one per lesson: the works the lesson cites;
- ``organizer``    a graphic organizer the handout prints (see :mod:`solidarity_edu.organizers`).

Raw cells are plain text in JupyterLab (no quoting or escaping to get wrong), a program reads them
without executing anything, and every export removes them. Student copies made by the build carry each
prompt's data in its code cell's metadata instead (``metadata.solidarity_edu.prompt``), so a student
notebook works on its own and a learner never sees the answers as text.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .errors import NotebookError
from .i18n import N_
from .tags import INJECTED_PARAMETERS
from .yamlfile import parse_yaml

# Tags that mark the data cells of a lesson.
PROMPT_DATA_TAG = "prompt-data"
PARTS_TAG = "parts"
SOURCES_TAG = "sources"
ORGANIZER_TAG = "organizer"  # a graphic organizer the handout prints (see solidarity_edu.organizers)
DATA_TAGS = (PROMPT_DATA_TAG, PARTS_TAG, SOURCES_TAG, ORGANIZER_TAG)
METADATA_KEY = "solidarity_edu"

# The one grammar for prompt ids, used by lint, the widgets and the circle service: two digits (the
# lesson number), then lower-case ASCII words joined by single dashes; at most 64 characters. Answers
# are saved under these ids, so they never change once a lesson is in use.
PROMPT_ID_MAX = 64
PROMPT_ID = re.compile(r"\A[0-9]{2}-[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_KEY = re.compile(r"\A([0-9]{2})(?:-|\Z)")

# The exercise functions a prompt cell may call (kind = function name).
PROMPT_FUNCTIONS = ("reflect", "choose", "order_events", "scale", "scenario", "action_plan")
# How a part is done; the guide and the speaker notes show it translated (tr(grouping)).
GROUPINGS = (N_("whole class"), N_("individual"), N_("pairs"), N_("small groups"), N_("circle"))
_PART_KEYS = {"name", "start", "minutes", "grouping", "does"}
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)


def lesson_key(name: str) -> str:
    """The two-digit key shared by a lesson and its prompts: ``"07"`` for ``07-defining-solidarity``,
    ``07-who`` or ``07-defining-solidarity.ipynb``. Raises NotebookError for anything else."""
    match = _KEY.match(Path(name).name)
    if not match:
        raise NotebookError(f"{name!r} does not start with a two-digit lesson number, e.g. '07-who'")
    return match.group(1)


def prompt_id_problem(prompt_id: Any, key: str | None = None) -> str | None:
    """Why ``prompt_id`` is not a valid id (for the lesson ``key``, if given), or None when it is."""
    example = f"'{key or '07'}-first-thoughts'"
    if not isinstance(prompt_id, str):
        return f"a prompt id must be text like {example}, not {type(prompt_id).__name__}"
    if len(prompt_id) > PROMPT_ID_MAX:
        return f"prompt id {prompt_id!r} is {len(prompt_id)} characters long; the limit is {PROMPT_ID_MAX}"
    if not PROMPT_ID.fullmatch(prompt_id):
        return (
            f"prompt id {prompt_id!r} must be two digits, a dash and lower-case words joined by single dashes, "
            f"e.g. {example}"
        )
    if key is not None and not prompt_id.startswith(f"{key}-"):
        return f"prompt id {prompt_id!r} must start with this lesson's number, e.g. {example}"
    return None


# A translated cell keeps its English headings in its metadata ({translated: English}), so the build
# finds "Essential question" or "Before you start" in every language (solidarity_edu/translate/lesson.py).
ENGLISH_HEADINGS = "se_english_headings"


def english_heading(node: Mapping | None, text: str) -> str:
    """``heading_text`` of the English of the heading ``text`` (``text`` itself in an English lesson)."""
    aliases = ((node or {}).get("metadata") or {}).get(ENGLISH_HEADINGS) or {}
    return heading_text(aliases.get(text.strip().lstrip("#").strip(), text))


def heading_text(text: str) -> str:
    """A heading as authors name it: no '#', no trailing colon, spaces collapsed, lower case."""
    return " ".join(text.strip().rstrip(":").split()).lower()


def source_numbers(cells: Iterable[Mapping]) -> list[int | None]:
    """The 1-based number of each cell in the *source* notebook (as a teacher sees it in JupyterLab).

    ``cells`` may come from an executed notebook: the cell papermill injects after ``parameters`` gets
    None, and the cells after it keep the numbers they have in the source."""
    numbers: list[int | None] = []
    count = 0
    for cell in cells:
        if INJECTED_PARAMETERS in _tags(cell):
            numbers.append(None)
        else:
            count += 1
            numbers.append(count)
    return numbers


def source_cell_number(cells: list[Mapping], index: int) -> int | None:
    """The source number of the cell at 0-based ``index`` of ``cells`` (see :func:`source_numbers`)."""
    if not 0 <= index < len(cells):
        return None
    return source_numbers(cells)[index]


def executed_cell_number(source_cells: list[Mapping], executed_index: int) -> int | None:
    """The source number of the cell at 0-based ``executed_index`` of the notebook papermill executed
    from ``source_cells`` (papermill inserts its cell right after ``parameters``, or first when there is
    none). None for the inserted cell itself."""
    params = [i for i, c in enumerate(source_cells) if "parameters" in _tags(c)]
    injected_at = params[0] + 1 if params else 0
    if executed_index == injected_at:
        return None
    return executed_index if executed_index > injected_at else executed_index + 1


def _tags(cell: Mapping) -> set[str]:
    return set((cell.get("metadata") or {}).get("tags") or [])


def _source(cell: Mapping) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


@dataclass(frozen=True)
class Problem:
    """Something wrong in a lesson, with the file and 1-based cell it is in (None: the whole lesson)."""

    path: Path
    cell: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: cell {self.cell}" if self.cell else str(self.path)
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Cell:
    """One cell of the source notebook."""

    number: int  # 1-based, as JupyterLab counts
    id: str
    cell_type: str
    tags: frozenset[str]
    source: str
    node: Mapping = field(repr=False, compare=False)

    @property
    def headings(self) -> list[tuple[int, str]]:
        """(level, text) of every Markdown heading in the cell."""
        if self.cell_type != "markdown":
            return []
        return [(len(h), t.strip()) for h, t in _HEADING.findall(self.source)]

    def audiences(self, course_audiences: Iterable[str]) -> tuple[str, ...]:
        """The audiences this cell is for (all of them when it carries no ``for-...`` tag)."""
        named = tuple(a for a in course_audiences if f"for-{a}" in self.tags)
        return named or tuple(course_audiences)

    @property
    def for_tags(self) -> frozenset[str]:
        return frozenset(t for t in self.tags if t.startswith("for-"))


@dataclass(frozen=True)
class Call:
    """A call to a package helper in a code cell, with the literal values of its arguments."""

    name: str
    args: tuple[Any, ...]
    kwargs: Mapping[str, Any]
    cell: int
    literal: bool  # False when some argument is not a plain literal (a variable, an expression)


@dataclass(frozen=True)
class Part:
    """One part of the lesson plan.

    In the ``parts`` cell (YAML)::

        parts:
          - name: Primary source in pairs
            start: The primary source      # a heading of the lesson, a prompt id or a cell id
            minutes: {high-school: 10, college: 12, community: 12}
            grouping: pairs                # whole class | individual | pairs | small groups | circle
            does: Read the excerpt aloud, then Observe, Reflect, Question.   # optional

    A part runs from its ``start`` cell to the next part's start, for each audience that gives it
    minutes; an audience with no minutes for a part skips it, so audiences can split time differently.
    """

    name: str
    start: str
    minutes: Mapping[str, int]
    grouping: str
    does: str
    cell: int | None  # the source number of the start cell (None when ``start`` matches nothing)


@dataclass(frozen=True)
class PlannedPart:
    """A part as one audience runs it: its minutes and the cells it covers."""

    part: Part
    minutes: int
    first_cell: int
    last_cell: int


# The works a lesson cites (the ``sources`` cell). Types are the CSL item types a lesson uses (the
# CSL 1.0.2 vocabulary has more; these are the ones a teacher's reference manager imports cleanly).
SOURCE_KEYS = (
    "author",
    "publisher",
    "title",
    "date",
    "url",
    "citation",
    "container",
    "type",
    "group",
    "note",
    "read_at",
)
CSL_TYPES = (
    "article",
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "bill",
    "book",
    "broadcast",
    "chapter",
    "dataset",
    "document",
    "entry-encyclopedia",
    "interview",
    "legal_case",
    "legislation",
    "motion_picture",
    "pamphlet",
    "post",
    "post-weblog",
    "regulation",
    "report",
    "speech",
    "thesis",
    "webpage",
)
_SOURCE_DATE = re.compile(r"\A([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")
_URL = re.compile(r"\Ahttps?://[^\s/]+\.[^\s]*\Z")


@dataclass(frozen=True)
class Source:
    """One work a lesson cites, as written in its ``sources`` cell (YAML, a list of works)::

        - author: Supreme Court of the United States     # or publisher: (a name, or a list of names)
          title: Zadvydas v. Davis
          citation: 533 U.S. 678 (2001)                  # optional: statute, reporter or docket
          date: 2001-06-28                               # ISO date, year-month or year
          url: https://www.law.cornell.edu/...           # the original work; omit when you can only name it
          container: U.S. Reports                        # newspaper, journal, website
          type: legal_case                               # a CSL type (CSL_TYPES)
          group: Primary documents                       # the heading it is listed under
          note: The majority's reading of the detention statute.   # what the lesson takes from it
          read_at: [https://...]                         # copies where the text was read: never shown

    ``read_at`` is evidence of checking (the copy someone read), never the citation a reader sees.
    """

    number: int  # 1-based position in the cell
    cell: int
    title: str
    author: tuple[str, ...] = ()
    publisher: tuple[str, ...] = ()
    date: str = ""
    url: str = ""
    citation: str = ""
    container: str = ""
    type: str = "document"
    group: str = ""
    note: str = ""
    read_at: tuple[str, ...] = ()

    @property
    def creator(self) -> str:
        """Who a short citation names: the authors, else the publisher."""
        return _names(self.author or self.publisher)

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def date_parts(self) -> list[int]:
        """The date as CSL date-parts ([2001, 6, 28], [2001, 6] or [2001]); empty without a date."""
        match = _SOURCE_DATE.match(self.date)
        return [int(p) for p in match.groups() if p] if match else []

    @property
    def label(self) -> str:
        """How a message names this entry: ``source 3 ('Zadvydas v. Davis')``."""
        return f"source {self.number} ({self.title!r})" if self.title else f"source {self.number}"

    @property
    def urls(self) -> list[tuple[str, str]]:
        """Every URL of the entry as (field, url): ``url`` first, then each ``read_at``."""
        found = [("url", self.url)] if self.url else []
        return found + [("read_at", u) for u in self.read_at]


def _names(names: tuple[str, ...]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def parse_sources(raw: Any, path: Path, cell: int) -> tuple[list[Source], list[Problem]]:
    """The works in a ``sources`` cell's YAML, and a problem (file, cell, entry) for each mistake."""
    problems: list[Problem] = []

    def problem(message: str) -> None:
        problems.append(Problem(path, cell, message))

    if not isinstance(raw, list) or not raw:
        problem(
            "the 'sources' cell must hold a list of works, each starting with '- title: ...' and an author or "
            "publisher (see README, 'Writing a lesson')"
        )
        return [], problems
    found = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            problem(f"source {number}: expected a work with title, author or publisher, date, url (found {item!r})")
            continue
        title = item.get("title")
        title = " ".join(str(title).split()) if isinstance(title, str | int) else ""
        where = f"source {number} ({title!r})" if title else f"source {number}"
        ok = True
        for key in sorted(set(item) - set(SOURCE_KEYS), key=str):
            problem(f"{where}: unknown key {key!r}; a source has {', '.join(SOURCE_KEYS)}")
            ok = False
        if not title:
            problem(f"{where}: give the work's title (title: ...)")
            ok = False
        names: dict[str, tuple[str, ...]] = {}
        for key in ("author", "publisher"):
            value = item.get(key)
            if value is None:
                names[key] = ()
            elif isinstance(value, str) and value.strip():
                names[key] = (" ".join(value.split()),)
            elif isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
                names[key] = tuple(" ".join(v.split()) for v in value)
            else:
                problem(f"{where}: {key} must be a name or a list of names")
                names[key] = ()
                ok = False
        if not names["author"] and not names["publisher"] and "author" not in item and "publisher" not in item:
            problem(
                f"{where}: name who made the work: an author (a person) or a publisher (a body, a court, an outlet)"
            )
            ok = False
        date = item.get("date")
        date_text = date.isoformat() if hasattr(date, "isoformat") else ("" if date is None else str(date))
        if date is not None and not _SOURCE_DATE.match(date_text):
            problem(f"{where}: date {date!r} must be an ISO date (2001-06-28), a year and month (2001-06) or a year")
            ok = False
        texts: dict[str, str] = {}
        for key in ("url", "citation", "container", "type", "group", "note"):
            value = item.get(key)
            if value is not None and not isinstance(value, str | int):
                problem(f"{where}: {key} must be text")
                ok = False
                value = None
            texts[key] = "" if value is None else " ".join(str(value).split())
        kind = texts["type"] or "document"
        if kind not in CSL_TYPES:
            problem(f"{where}: type {kind!r} is not a CSL type this course uses: {', '.join(CSL_TYPES)}")
            ok = False
        read_at = item.get("read_at") or []
        if isinstance(read_at, str):
            read_at = [read_at]
        if not isinstance(read_at, list) or not all(isinstance(u, str) for u in read_at):
            problem(f"{where}: read_at must be a list of URLs (the copies where the text was read)")
            ok, read_at = False, []
        for key, url in [("url", texts["url"])] * bool(texts["url"]) + [("read_at", u) for u in read_at]:
            if not _URL.match(url.strip()):
                problem(f"{where}: {key} {url!r} is not a web address (https://...)")
                ok = False
        if ok:
            found.append(
                Source(
                    number=number,
                    cell=cell,
                    title=title,
                    author=names["author"],
                    publisher=names["publisher"],
                    date=date_text,
                    url=texts["url"],
                    citation=texts["citation"],
                    container=texts["container"],
                    type=kind,
                    group=texts["group"],
                    note=texts["note"],
                    read_at=tuple(u.strip() for u in read_at),
                )
            )
    return found, problems


def _literal(node: ast.AST) -> tuple[Any, bool]:
    try:
        return ast.literal_eval(node), True
    except (ValueError, SyntaxError, TypeError):
        return None, False


class LessonModel:
    """A lesson notebook, read once. Build one with :func:`read_lesson` (from a file) or
    :meth:`from_notebook` (from a notebook already in memory, e.g. an executed one)."""

    def __init__(self, nb: Mapping, path: Path) -> None:
        self.nb = nb
        self.path = Path(path)
        self.problems: list[Problem] = []
        numbers = source_numbers(nb.get("cells", []))
        self.cells: list[Cell] = []
        for number, node in zip(numbers, nb.get("cells", []), strict=True):
            if number is None:
                continue
            self.cells.append(
                Cell(
                    number=number,
                    id=str(node.get("id", "")),
                    cell_type=str(node.get("cell_type", "")),
                    tags=frozenset(_tags(node)),
                    source=_source(node),
                    node=node,
                )
            )

    @classmethod
    def from_notebook(cls, nb: Mapping, path: Path | str = "<notebook>") -> LessonModel:
        return cls(nb, Path(path))

    # -- identity ---------------------------------------------------------------------------------

    @property
    def key(self) -> str:
        """The lesson's two-digit key (``"07"``), from the build's metadata or the file name."""
        meta = (self.nb.get("metadata") or {}).get(METADATA_KEY) or {}
        lesson_id = meta.get("lesson")
        return lesson_key(str(lesson_id) if lesson_id else self.path.name)

    @property
    def title(self) -> str | None:
        """The first level-1 heading, or None."""
        for cell in self.cells:
            for level, text in cell.headings:
                if level == 1:
                    return text
        return None

    def cell(self, number: int) -> Cell:
        return self.cells[number - 1]

    def tagged(self, tag: str) -> list[Cell]:
        return [c for c in self.cells if tag in c.tags]

    # -- code -------------------------------------------------------------------------------------

    @cached_property
    def _trees(self) -> dict[int, ast.Module]:
        trees = {}
        for cell in self.cells:
            if cell.cell_type != "code" or INJECTED_PARAMETERS in cell.tags:
                continue
            try:
                trees[cell.number] = ast.parse(cell.source)
            except SyntaxError as err:
                self.problems.append(
                    Problem(self.path, cell.number, f"is not valid Python ({err.msg}, line {err.lineno})")
                )
        return trees

    def syntax_ok(self, cell: Cell) -> bool:
        return cell.number in self._trees

    @cached_property
    def calls(self) -> list[Call]:
        """Every call by plain name (``define("x")``, ``choose("07-who")``) in the code cells, in order."""
        found = []
        for number, tree in sorted(self._trees.items()):
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                    values = [_literal(a) for a in node.args]
                    kwvalues = {k.arg: _literal(k.value) for k in node.keywords if k.arg}
                    literal = all(ok for _, ok in values) and all(ok for _, ok in kwvalues.values())
                    literal = literal and all(k.arg for k in node.keywords)
                    found.append(
                        Call(
                            node.func.id,
                            tuple(v for v, _ in values),
                            {k: v for k, (v, _) in kwvalues.items()},
                            number,
                            literal,
                        )
                    )
        return found

    def calls_in(self, cell: Cell) -> list[Call]:
        return [c for c in self.calls if c.cell == cell.number]

    @cached_property
    def audience_cells(self) -> list[Cell]:
        """The code cells other than ``parameters`` that use the name ``audience``."""
        found = []
        for cell in self.cells:
            if "parameters" in cell.tags or cell.number not in self._trees:
                continue
            if any(isinstance(node, ast.Name) and node.id == "audience" for node in ast.walk(self._trees[cell.number])):
                found.append(cell)
        return found

    @property
    def reads_audience(self) -> bool:
        """True when a code cell other than ``parameters`` uses the name ``audience``: the lesson then
        computes something per audience."""
        return bool(self.audience_cells)

    @cached_property
    def audience_only_in_expressions(self) -> bool:
        """True when every cell that reads ``audience`` only shows something (``course_map(audience)``):
        each of its statements is an expression, with no ``:=``, so it gives no name a value a later
        cell could read. The build then runs such a lesson once and runs just those cells again for each
        other audience (see builder/execute.py); otherwise the lesson runs once per audience."""
        for cell in self.audience_cells:
            tree = self._trees[cell.number]
            if not all(isinstance(statement, ast.Expr) for statement in tree.body):
                return False
            if any(isinstance(node, ast.NamedExpr) for node in ast.walk(tree)):
                return False
        return True

    @property
    def parameter_audience(self) -> str | None:
        """The audience written in the ``parameters`` cell (``audience = "high-school"``), or None."""
        return self.parameter("audience")

    @property
    def parameter_language(self) -> str | None:
        """The language written in the ``parameters`` cell (``language = "en"``), or None."""
        return self.parameter("language")

    def parameter(self, name: str) -> str | None:
        """The text the ``parameters`` cell gives ``name`` (``audience = "high-school"``), or None."""
        for cell in self.tagged("parameters"):
            tree = self._trees.get(cell.number)
            for node in tree.body if tree else []:
                if (
                    isinstance(node, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
                    and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, str)
                ):
                    return node.value.value
        return None

    @property
    def terms(self) -> list[str]:
        """Glossary ids the lesson defines with ``define("...")``, in lesson order, each once."""
        seen: dict[str, None] = {}
        for call in self.calls:
            if call.name == "define" and call.args and isinstance(call.args[0], str):
                seen.setdefault(call.args[0], None)
        return list(seen)

    @property
    def events(self) -> list[str]:
        """Timeline event ids the lesson names (``event_card("...")`` and ``ids=[...]`` arguments)."""
        seen: dict[str, None] = {}
        for call in self.calls:
            if call.name == "event_card" and call.args and isinstance(call.args[0], str):
                seen.setdefault(call.args[0], None)
            ids = call.kwargs.get("ids")
            if isinstance(ids, list | tuple):
                for event_id in ids:
                    if isinstance(event_id, str):
                        seen.setdefault(event_id, None)
        return list(seen)

    # -- data cells -------------------------------------------------------------------------------

    def data(self, cell: Cell) -> Any:
        """The YAML held by a raw data cell (None, with a problem recorded, when it does not parse)."""
        return self._data.get(cell.number)

    @cached_property
    def _data(self) -> dict[int, Any]:
        parsed = {}
        for cell in self.cells:
            if not cell.tags & set(DATA_TAGS):
                continue
            tag = next(t for t in DATA_TAGS if t in cell.tags)
            if cell.cell_type != "raw":
                self.problems.append(
                    Problem(
                        self.path,
                        cell.number,
                        f"a cell tagged {tag!r} must be a raw cell holding YAML (in JupyterLab: select it, press R)",
                    )
                )
                continue
            try:
                parsed[cell.number] = parse_yaml(cell.source)
            except yaml.YAMLError as err:
                mark = getattr(err, "problem_mark", None)
                line = f" at line {mark.line + 1}" if mark is not None else ""
                reason = getattr(err, "problem", None) or str(err).splitlines()[0]
                self.problems.append(
                    Problem(
                        self.path,
                        cell.number,
                        f"the YAML in this {tag!r} cell does not parse{line}: {reason}; "
                        "check the indentation and put text containing ': ' in quotes or after '>-'",
                    )
                )
        return parsed

    @cached_property
    def prompts(self) -> list[Any]:
        """The lesson's prompts (:class:`solidarity_edu.prompts.Prompt`), in lesson order."""
        from .prompts import prompts_of

        found, problems = prompts_of(self)
        self.problems.extend(problems)
        return found

    def prompt(self, prompt_id: str) -> Any:
        """The prompt with this id, or None."""
        return next((p for p in self.prompts if p.id == prompt_id), None)

    @cached_property
    def parts(self) -> list[Part]:
        """The lesson plan from the ``parts`` cell (empty when the lesson has none)."""
        cells = self.tagged(PARTS_TAG)
        if len(cells) > 1:
            self.problems.append(
                Problem(self.path, cells[1].number, "a lesson has one 'parts' cell; merge the parts into the first")
            )
        if not cells or cells[0].number not in self._data:
            return []
        cell = cells[0]
        raw = self._data[cell.number]
        items = raw.get("parts") if isinstance(raw, dict) else None
        if not isinstance(items, list) or not items:
            self.problems.append(
                Problem(self.path, cell.number, "the 'parts' cell must hold 'parts:' followed by a list of parts")
            )
            return []
        parts = []
        for index, item in enumerate(items, start=1):
            where = f"part {index}"
            if not isinstance(item, dict):
                self.problems.append(Problem(self.path, cell.number, f"{where}: expected name, start, minutes"))
                continue
            name = str(item.get("name") or "").strip()
            where = f"part {index} ({name!r})" if name else where
            unknown = sorted(set(item) - _PART_KEYS)
            if unknown:
                self.problems.append(
                    Problem(
                        self.path,
                        cell.number,
                        f"{where}: unknown key {unknown[0]!r}; a part has {', '.join(sorted(_PART_KEYS))}",
                    )
                )
            if not name:
                self.problems.append(Problem(self.path, cell.number, f"{where}: give the part a name"))
            minutes = item.get("minutes")
            if not isinstance(minutes, dict) or not minutes:
                self.problems.append(
                    Problem(
                        self.path,
                        cell.number,
                        f"{where}: minutes must map audiences to whole minutes, e.g. {{high-school: 10}}",
                    )
                )
                minutes = {}
            clean: dict[str, int] = {}
            for audience, value in minutes.items():
                if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                    self.problems.append(
                        Problem(
                            self.path, cell.number, f"{where}: minutes.{audience} must be a whole number of minutes"
                        )
                    )
                else:
                    clean[str(audience)] = value
            grouping = str(item.get("grouping") or "whole class")
            if grouping not in GROUPINGS:
                self.problems.append(
                    Problem(
                        self.path,
                        cell.number,
                        f"{where}: grouping {grouping!r} is not one of {', '.join(GROUPINGS)}",
                    )
                )
            start = str(item.get("start") or "")
            target = self._find_start(start)
            if target is None:
                self.problems.append(
                    Problem(
                        self.path,
                        cell.number,
                        f"{where}: start {start!r} names no cell: give a heading of the lesson (e.g. "
                        f"'{self._example_heading()}'), a prompt id or a cell id",
                    )
                )
            parts.append(Part(name, start, clean, grouping, str(item.get("does") or "").strip(), target))
        return parts

    def _example_heading(self) -> str:
        for cell in self.cells:
            for level, text in cell.headings:
                if level >= 2:
                    return text
        return "Learning objectives"

    def _find_start(self, start: str) -> int | None:
        if not start:
            return None
        for cell in self.cells:
            if cell.id == start:
                return cell.number
        prompt = self.prompt(start) if PROMPT_ID.fullmatch(start) else None
        if prompt is not None:
            return prompt.data_cell or prompt.cell
        wanted = heading_text(start.lstrip("#"))
        for cell in self.cells:
            if any(heading_text(text) == wanted for _, text in cell.headings):
                return cell.number
        return None

    def plan(self, audience: str) -> list[PlannedPart]:
        """The parts one audience runs, in lesson order, each with the cells it covers."""
        chosen = sorted(
            (p for p in self.parts if audience in p.minutes and p.cell is not None),
            key=lambda p: p.cell or 0,
        )
        planned = []
        last = len(self.cells)
        for index, part in enumerate(chosen):
            end = chosen[index + 1].cell - 1 if index + 1 < len(chosen) else last
            planned.append(PlannedPart(part, part.minutes[audience], part.cell or 1, max(part.cell or 1, end)))
        return planned

    @property
    def sources_cell(self) -> Cell | None:
        """The raw cell tagged ``sources`` (the first, when a lesson wrongly has two), or None."""
        cells = self.tagged(SOURCES_TAG)
        return cells[0] if cells else None

    @cached_property
    def sources(self) -> list[Source]:
        """The works the lesson cites, from its ``sources`` cell (empty without one); see :class:`Source`.
        Problems (unknown keys, no title, neither author nor publisher, ...) go to ``problems``, each
        naming the cell and the entry."""
        cells = self.tagged(SOURCES_TAG)
        if len(cells) > 1:
            self.problems.append(
                Problem(self.path, cells[1].number, "a lesson has one 'sources' cell; move these works into the first")
            )
        if not cells or cells[0].number not in self._data:
            return []
        found, problems = parse_sources(self._data[cells[0].number], self.path, cells[0].number)
        self.problems.extend(problems)
        return found

    def all_problems(self) -> list[Problem]:
        """Every problem found while reading prompts, parts, sources and data cells."""
        _ = self._trees, self._data, self.prompts, self.parts, self.sources
        return list(self.problems)


# Reading a notebook file. A kernel reads lessons too (to find a prompt's data), so this uses the json
# module, not nbformat: it is fast and pulls in nothing heavy. `read_notebook(validate=True)` checks the
# notebook schema as well (lint and the build's pre-flight).
_CACHE: dict[Path, tuple[tuple[int, int], LessonModel]] = {}


def read_notebook(path: Path, validate: bool = False) -> dict:
    """The notebook at ``path`` as a dict; NotebookError names the file and how to fix it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        nb = json.loads(text)
        if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
            raise ValueError("no list of cells")
        if validate:
            import nbformat

            nbformat.validate(nbformat.from_dict(nb))
    except FileNotFoundError as err:
        raise NotebookError(f"{path}: notebook not found") from err
    except Exception as err:  # JSON errors, schema errors, not UTF-8
        raise NotebookError(
            f"{path}: not a valid notebook ({type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}); "
            "open it in JupyterLab and save it again, or restore it from git"
        ) from err
    return nb


def read_lesson(path: Path | str, validate: bool = False) -> LessonModel:
    """The lesson model of the notebook at ``path``; read again only when the file changes."""
    path = Path(path).resolve()
    try:
        stat = path.stat()
    except FileNotFoundError as err:
        raise NotebookError(f"{path}: notebook not found") from err
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _CACHE.get(path)
    if cached and cached[0] == stamp and not validate:
        return cached[1]
    model = LessonModel(read_notebook(path, validate=validate), path)
    _CACHE[path] = (stamp, model)
    return model


def course_prompts(course: Any) -> dict[str, Any]:
    """Every prompt of the course by id (:class:`solidarity_edu.prompts.Prompt`), in course order."""
    found: dict[str, Any] = {}
    for lesson in course.lessons:
        for prompt in read_lesson(lesson.notebook).prompts:
            found.setdefault(prompt.id, prompt)
    return found


def prompt_manifest(course: Any) -> dict:
    """What a study circle's service must know about every prompt of the course, as JSON-ready data::

        {"version": 1, "prompts": {"07-who": {"lesson": "07", "kind": "text", "question": "...",
                                             "options": [], "steps": 0, "shareable": true}}}

    ``kind`` is the kind of share (text, choice, order, scale); prompts that can never be shared
    (optional reflections, action plans) are listed with ``shareable: false``."""
    prompts = {}
    for prompt in course_prompts(course).values():
        prompts[prompt.id] = {
            "lesson": lesson_key(prompt.id),
            "kind": prompt.share_kind or "none",
            "question": prompt.question,
            "options": list(prompt.options),
            "steps": prompt.steps if prompt.kind == "scale" else 0,
            "shareable": prompt.shareable,
        }
    return {"version": 1, "prompts": prompts}

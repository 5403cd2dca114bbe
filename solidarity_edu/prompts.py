"""What a prompt says, as data: its question, options, answer and feedback.

An author writes each prompt as a raw cell tagged ``prompt-data``, in YAML, right above the code cell
that shows it::

    id: 01-wong-kim-ark
    question: >-
      In 1898 the Supreme Court decided United States v. Wong Kim Ark. What did it hold?
    options:
      - Children born in the United States to Chinese parents are citizens
      - Chinese immigrants could become naturalized citizens
    answer: Children born in the United States to Chinese parents are citizens
    feedback:
      Chinese immigrants could become naturalized citizens: >-
        Not until 1943. The case was about birthright citizenship.

and the code cell, tagged ``prompt`` and ``hide-input``, is one line: ``choose("01-wong-kim-ark")``.

Keys by kind (the kind is the function the code cell calls):

=============  ====================================================================================
reflect        question; lines (ruled lines on paper, default 6); optional (true for anything personal)
choose         question; options; answer (one of the options, or none for an opinion); feedback
scenario       question (the situation); options; feedback (one per option); best (option or list)
order_events   question; items (in the correct order); feedback (shown when all are in order)
scale          question; items; low; high; steps (2-10, default 5)
action_plan    question (default "My action plan")
=============  ====================================================================================

A prompt whose answer or best choice names no option, whose feedback names an option that does not
exist, or whose id breaks the id grammar is a lint error naming the file, cell and prompt.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import PromptError
from .lesson import (
    METADATA_KEY,
    PROMPT_DATA_TAG,
    PROMPT_FUNCTIONS,
    LessonModel,
    Problem,
    lesson_key,
    prompt_id_problem,
    read_lesson,
)

log = logging.getLogger(__name__)

# kind -> what a share of it is (None: never shared with a circle).
SHARE_KINDS = {
    "reflect": "text",
    "choose": "choice",
    "scenario": "choice",
    "order_events": "order",
    "scale": "scale",
    "action_plan": None,
}
_KEYS = {
    "reflect": {"id", "question", "lines", "optional", "private"},
    "choose": {"id", "question", "options", "answer", "feedback"},
    "scenario": {"id", "question", "options", "feedback", "best"},
    "order_events": {"id", "question", "items", "feedback"},
    "scale": {"id", "question", "items", "low", "high", "steps"},
    "action_plan": {"id", "question"},
}
PLAN_QUESTION = "My action plan"


@dataclass(frozen=True)
class Prompt:
    """One question a learner answers. ``cell`` is the source number of the code cell that shows it."""

    id: str
    kind: str
    question: str
    options: tuple[str, ...] = ()
    answer: str | None = None
    best: tuple[str, ...] = ()
    feedback: Mapping[str, str] = field(default_factory=dict)
    done_feedback: str = ""  # order_events: shown when every item is in place
    optional: bool = False
    private: bool = True
    lines: int = 6
    low: str = "Not yet"
    high: str = "Strongly"
    steps: int = 5
    cell: int | None = None
    data_cell: int | None = None
    tags: frozenset[str] = frozenset()

    @property
    def lesson(self) -> str:
        return lesson_key(self.id)

    @property
    def share_kind(self) -> str | None:
        return SHARE_KINDS[self.kind]

    @property
    def shareable(self) -> bool:
        """Whether a participant may share an answer with a circle: never for personal (optional)
        reflections or action plans."""
        return self.share_kind is not None and not (self.kind == "reflect" and self.optional)

    def audiences(self, course_audiences: list[str] | tuple[str, ...]) -> tuple[str, ...]:
        named = tuple(a for a in course_audiences if f"for-{a}" in self.tags)
        return named or tuple(course_audiences)

    def to_data(self) -> dict:
        """The prompt as the YAML/metadata mapping an author writes (what student copies carry)."""
        data: dict[str, Any] = {"id": self.id, "question": self.question}
        if self.kind == "reflect":
            data.update(lines=self.lines, optional=self.optional)
            if not self.private:
                data["private"] = False
        elif self.kind in ("choose", "scenario"):
            data["options"] = list(self.options)
            if self.feedback:
                data["feedback"] = dict(self.feedback)
            if self.kind == "choose" and self.answer is not None:
                data["answer"] = self.answer
            if self.kind == "scenario" and self.best:
                data["best"] = list(self.best)
        elif self.kind == "order_events":
            data["items"] = list(self.options)
            if self.done_feedback:
                data["feedback"] = self.done_feedback
        elif self.kind == "scale":
            data.update(items=list(self.options), low=self.low, high=self.high, steps=self.steps)
        return data


def _text_list(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list | tuple) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(value)
    return None


def build_prompt(
    kind: str, data: Mapping[str, Any], cell: int | None = None, **extra: Any
) -> tuple[Prompt | None, list[str]]:
    """A Prompt from an author's data, and every problem with it (as sentences naming the key)."""
    problems: list[str] = []
    if kind not in _KEYS:
        return None, [f"unknown activity {kind!r}; use one of {', '.join(PROMPT_FUNCTIONS)}"]
    if not isinstance(data, Mapping):
        return None, ["the prompt's data must be keys and values (id: ..., question: ...)"]
    unknown = sorted(set(data) - _KEYS[kind])
    if unknown:
        problems.append(f"unknown key {unknown[0]!r} for {kind}(); its keys are {', '.join(sorted(_KEYS[kind]))}")
    prompt_id = data.get("id")
    reason = prompt_id_problem(prompt_id)
    if reason:
        return None, [reason, *problems]
    question = data.get("question", PLAN_QUESTION if kind == "action_plan" else None)
    if not isinstance(question, str) or not question.strip():
        problems.append("needs a question: the text the learner reads (question: ...)")
        question = ""
    fields: dict[str, Any] = {"id": prompt_id, "kind": kind, "question": question, "cell": cell, **extra}
    if kind in ("choose", "scenario"):
        options = _text_list(data.get("options"))
        if options is None or len(options) < 2:
            problems.append("options must be a list of at least two choices, each a line starting with '- '")
            options = options or ()
        if len(set(options)) != len(options):
            problems.append("options lists the same choice twice")
        fields["options"] = options
        feedback = data.get("feedback") or {}
        if not isinstance(feedback, Mapping) or not all(isinstance(v, str) for v in feedback.values()):
            problems.append("feedback must map each option to the text shown when it is chosen")
            feedback = {}
        for option in feedback:
            if option not in options:
                problems.append(f"feedback for {option!r}, which is not one of the options (check the spelling)")
        fields["feedback"] = {str(k): v for k, v in feedback.items()}
        if kind == "choose":
            answer = data.get("answer")
            if answer is not None and answer not in options:
                problems.append(f"answer {answer!r} is not one of the options; copy the option's text exactly")
            fields["answer"] = answer
        else:
            best = data.get("best") or []
            best = [best] if isinstance(best, str) else best
            if not isinstance(best, list):
                problems.append("best must be one option or a list of options")
                best = []
            for choice in best:
                if choice not in options:
                    problems.append(f"best choice {choice!r} is not one of the options; copy the option's text exactly")
            missing = [o for o in options if o not in feedback]
            if missing:
                problems.append(f"every choice of a scenario needs its feedback; {missing[0]!r} has none")
            fields["best"] = tuple(best)
    elif kind in ("order_events", "scale"):
        items = _text_list(data.get("items"))
        least = 2 if kind == "order_events" else 1
        if items is None or len(items) < least:
            problems.append(f"items must be a list of at least {least} texts, each a line starting with '- '")
            items = items or ()
        if len(set(items)) != len(items):
            problems.append("items lists the same text twice")
        fields["options"] = items
        if kind == "order_events":
            done = data.get("feedback", "")
            if not isinstance(done, str):
                problems.append("feedback of order_events is one text, shown when every item is in place")
                done = ""
            fields["done_feedback"] = done
        else:
            steps = data.get("steps", 5)
            if not isinstance(steps, int) or isinstance(steps, bool) or not 2 <= steps <= 10:
                problems.append("steps must be a whole number from 2 to 10")
                steps = 5
            fields["steps"] = steps
            for key in ("low", "high"):
                if key in data:
                    if not isinstance(data[key], str) or not data[key].strip():
                        problems.append(f"{key} must be a short text, e.g. 'Not yet' or 'Strongly'")
                    else:
                        fields[key] = data[key]
    elif kind == "reflect":
        lines = data.get("lines", 6)
        if not isinstance(lines, int) or isinstance(lines, bool) or not 1 <= lines <= 30:
            problems.append("lines must be a whole number from 1 to 30 (ruled lines on paper)")
            lines = 6
        fields["lines"] = lines
        for key in ("optional", "private"):
            if key in data and not isinstance(data[key], bool):
                problems.append(f"{key} must be true or false")
        fields["optional"] = data.get("optional") is True
        fields["private"] = data.get("private", True) is not False
    return Prompt(**fields), problems


def prompts_of(model: LessonModel) -> tuple[list[Prompt], list[Problem]]:
    """The prompts of a lesson, and the problems found reading them.

    Each prompt is a code cell tagged ``prompt`` that calls an activity with the prompt id as its only
    argument; its data comes from the ``prompt-data`` raw cell with that id (source notebooks) or from
    the code cell's metadata (student copies the build makes)."""
    problems: list[Problem] = []
    path = model.path
    data_cells: dict[str, Any] = {}
    for cell in model.tagged(PROMPT_DATA_TAG):
        data = model.data(cell)
        if cell.cell_type != "raw" or (data is None and cell.source.strip()):
            continue  # the lesson model already said what is wrong with the cell
        pid = data.get("id") if isinstance(data, dict) else None
        if not isinstance(data, dict) or not pid:
            problems.append(
                Problem(path, cell.number, "a 'prompt-data' cell must start with the prompt's id: id: 07-who")
            )
            continue
        if pid in data_cells:
            problems.append(
                Problem(
                    path,
                    cell.number,
                    f"prompt {pid!r}: a second 'prompt-data' cell with this id (the first is cell {data_cells[pid][0].number})",
                )
            )
            continue
        data_cells[pid] = (cell, data)
    prompts: list[Prompt] = []
    used: set[str] = set()
    for cell in model.tagged("prompt"):
        if cell.cell_type != "code":
            problems.append(
                Problem(
                    path,
                    cell.number,
                    "a prompt cell must be code that shows the activity, e.g. choose('01-wong-kim-ark')",
                )
            )
            continue
        if not model.syntax_ok(cell):
            continue
        calls = [c for c in model.calls_in(cell) if c.name in PROMPT_FUNCTIONS]
        if len(calls) != 1:
            problems.append(
                Problem(
                    path,
                    cell.number,
                    f"a prompt cell calls exactly one of {', '.join(PROMPT_FUNCTIONS)} (found {len(calls)})",
                )
            )
            continue
        call = calls[0]
        if not call.args or not isinstance(call.args[0], str):
            problems.append(
                Problem(path, cell.number, f"{call.name}(...) needs the prompt id as a plain text first argument")
            )
            continue
        pid = call.args[0]
        reason = prompt_id_problem(pid, _key_or_none(model))
        if reason:
            problems.append(Problem(path, cell.number, reason))
            continue
        where = f"prompt {pid!r}"
        if len(call.args) > 1 or call.kwargs:
            problems.append(
                Problem(
                    path,
                    cell.number,
                    f"{where}: move the question and options out of the code into a 'prompt-data' raw cell above it "
                    f"(see README, 'Writing a prompt'); the code cell is just {call.name}({pid!r})",
                )
            )
            continue
        meta = (cell.node.get("metadata") or {}).get(METADATA_KEY) or {}
        if pid in data_cells:
            data_cell, data = data_cells[pid]
            used.add(pid)
        elif isinstance(meta.get("prompt"), dict):
            data_cell, data = None, meta["prompt"]
        else:
            problems.append(
                Problem(
                    path,
                    cell.number,
                    f"{where}: no 'prompt-data' cell with id: {pid}; add a raw cell tagged prompt-data above this one",
                )
            )
            continue
        if data.get("id") != pid:
            problems.append(Problem(path, cell.number, f"{where}: its data says id {data.get('id')!r}"))
            continue
        prompt, reasons = build_prompt(
            call.name, data, cell.number, data_cell=data_cell.number if data_cell else None, tags=cell.tags
        )
        at = data_cell.number if data_cell else cell.number
        problems.extend(Problem(path, at, f"{where}: {reason}") for reason in reasons)
        if prompt is not None and not reasons:
            prompts.append(prompt)
    for pid, (cell, _data) in data_cells.items():
        if pid not in used:
            problems.append(
                Problem(
                    path,
                    cell.number,
                    f"prompt {pid!r}: no code cell tagged 'prompt' shows it; add one below, e.g. reflect({pid!r})",
                )
            )
    return prompts, problems


def _key_or_none(model: LessonModel) -> str | None:
    try:
        return model.key
    except Exception:  # a notebook named without a lesson number: ids are checked without it
        return None


# -- Looking a prompt up from inside a lesson's kernel ---------------------------------------------


def _candidates(key: str) -> list[Path]:
    """Notebooks that may hold prompt ``key-...``: the one this kernel was opened for (JupyterLab and
    JupyterHub say which in JPY_SESSION_NAME), then the lesson notebooks in the kernel's folder."""
    found: list[Path] = []
    session = os.environ.get("JPY_SESSION_NAME", "")
    if session.endswith(".ipynb") and Path(session).is_file():
        found.append(Path(session))
    here = Path.cwd()
    named = sorted(here.glob(f"{key}-*.ipynb"))
    others = sorted(p for p in here.glob("*.ipynb") if p not in named)
    found += named + others
    return list(dict.fromkeys(p.resolve() for p in found))


def find_prompt(prompt_id: str, language: str | None = None) -> Prompt:
    """The prompt ``prompt_id`` from the lesson notebook it belongs to (read, never run), in
    ``language`` (``"en"``: as the author wrote it; None: the learner's language, see
    :func:`solidarity_edu.i18n.current_language`). A text with no checked translation stays English.

    Raises PromptError saying where it looked and how to fix it."""
    from .translate.prompts import prompt_in, source_prompt

    prompt = source_prompt(_find(prompt_id))
    return prompt if language == "en" else prompt_in(prompt, language)


def _find(prompt_id: str) -> Prompt:
    reason = prompt_id_problem(prompt_id)
    if reason:
        raise PromptError(reason)
    key = lesson_key(prompt_id)
    looked = []
    for path in _candidates(key):
        try:
            model = read_lesson(path)
        except Exception as err:  # an unreadable notebook in the folder: try the next one
            log.debug("skipping %s: %s", path, err)
            continue
        looked.append(path.name)
        prompt = model.prompt(prompt_id)
        if prompt is not None:
            return prompt
        bad = [p for p in model.all_problems() if f"{prompt_id!r}" in p.message]
        if bad:
            raise PromptError(str(bad[0]))
    raise PromptError(
        f"no data for prompt {prompt_id!r} in {', '.join(looked) or 'this folder (no notebooks)'}: "
        f"keep the lesson notebook in the folder it runs from, or add a raw cell tagged prompt-data with id: {prompt_id}"
    )


def course_prompt(prompt_id: str) -> Prompt | None:
    """The prompt ``prompt_id`` as its author wrote it, from the course's lesson notebooks (found from
    the course folder, not the working folder: for the journal export and other commands), or None
    when no lesson of the course has it."""
    from .paths import project_root

    try:
        key = lesson_key(prompt_id)
        folder = project_root() / "notebooks"
    except Exception:  # an id from before the id grammar, or no course folder here
        return None
    for path in sorted(folder.glob(f"{key}-*.ipynb")):
        try:
            prompt = read_lesson(path).prompt(prompt_id)
        except Exception as err:  # an unreadable notebook: the answer is shown as it was saved
            log.debug("skipping %s: %s", path, err)
            continue
        if prompt is not None:
            return prompt
    return None


# -- Numbers and the exit ticket ----------------------------------------------------------------------

EXIT_SUFFIX = "exit"  # every lesson's exit ticket is the reflect prompt "<NN>-exit"


def numbered_prompts(model: LessonModel, audience: str, course_audiences) -> list[tuple[int, Prompt]]:
    """The prompts ``audience`` sees, in lesson order, numbered 1, 2, 3 ... (checks and written prompts
    in one sequence). The handout prints these numbers and the guide's answer key uses the same ones."""
    seen = [p for p in model.prompts if audience in p.audiences(tuple(course_audiences))]
    return list(enumerate(seen, start=1))


def exit_ticket_id(model: LessonModel) -> str:
    """The id the lesson's exit ticket must have: ``"07-exit"`` for lesson 07."""
    return f"{model.key}-{EXIT_SUFFIX}"

"""A prompt in another language: its question, options, feedback and scale labels from the lesson's
catalog, looked up by prompt id and field (see :mod:`.units`). The id never changes, so a learner's
saved answers are found in every language. Options keep their order, so the answer, the best choices and
the feedback follow their option by position. A field with no checked translation stays in English.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from ..prompts import Prompt

if TYPE_CHECKING:
    from .apply import Lookup


def translate_prompt(prompt: Prompt, lookup: Lookup) -> Prompt:
    """``prompt`` with every translated field replaced (see the module docstring)."""

    def text(field: str, english: str) -> str:
        return lookup(f"{prompt.id}/{field}", english) or english

    options = tuple(text(f"options/{i}", option) for i, option in enumerate(prompt.options))
    to_translated = dict(zip(prompt.options, options, strict=True))
    feedback = {
        to_translated.get(option, option): text(f"feedback/{prompt.options.index(option)}", said)
        if option in prompt.options
        else said
        for option, said in prompt.feedback.items()
    }
    return dataclasses.replace(
        prompt,
        question=text("question", prompt.question),
        options=options,
        answer=to_translated.get(prompt.answer, prompt.answer) if prompt.answer is not None else None,
        best=tuple(to_translated.get(b, b) for b in prompt.best),
        feedback=feedback,
        done_feedback=text("feedback", prompt.done_feedback) if prompt.done_feedback else "",
        low=text("low", prompt.low) if prompt.kind == "scale" else prompt.low,
        high=text("high", prompt.high) if prompt.kind == "scale" else prompt.high,
    )


def source_prompt(prompt: Prompt, language: str | None = None) -> Prompt:
    """``prompt`` as its author wrote it (English), also when the notebook it was read from carries it
    translated into ``language`` (a student copy of a translated build does): each field found as a
    checked translation in the lesson's catalog is put back into its English. The journal keeps this."""
    from ..i18n import current_language
    from .runtime import is_english, lesson_reverse_lookup

    language = language or current_language()
    if is_english(language):
        return prompt
    reverse = lesson_reverse_lookup(language, prompt.lesson)
    return translate_prompt(prompt, reverse) if reverse is not None else prompt


def prompt_in(prompt: Prompt, language: str | None = None) -> Prompt:
    """``prompt`` as a learner reading ``language`` sees it (the kernel's current language when None),
    from the lesson's catalog (see :mod:`.runtime`). English, a missing catalog or a missing entry give
    the English text; an untranslated field is logged once per prompt."""
    from ..i18n import current_language
    from .runtime import is_english, lesson_lookup, warn_once

    language = language or current_language()
    if is_english(language):
        return prompt
    lookup = lesson_lookup(language, prompt.lesson)
    if lookup is None:
        return prompt
    missing: list[str] = []

    def checked(context: str, english: str) -> str | None:
        found = lookup(context, english)
        if found is None:
            missing.append(context.removeprefix(f"{prompt.id}/"))
        return found

    shown = translate_prompt(prompt, checked)
    if missing:
        warn_once(
            ("prompt", language, prompt.id),
            "prompt %s has no checked %s translation of %s; those parts are shown in English",
            prompt.id,
            language,
            ", ".join(missing),
        )
    return shown


def answer_in(prompt: Prompt, value: Any, language: str | None = None) -> Any:
    """A saved answer to ``prompt`` as a learner reading ``language`` sees it: a choice, an order or
    the items of a scale (kept in English in the journal) in that language; an action plan's risk and
    commitment in the interface's words; written text as it is."""
    from ..i18n import tr

    shown = prompt_in(prompt, language)
    label = dict(zip(prompt.options, shown.options, strict=True))
    if prompt.kind in ("choose", "scenario") and isinstance(value, str):
        return label.get(value, value)
    if prompt.kind == "order_events" and isinstance(value, list):
        return [label.get(item, item) if isinstance(item, str) else item for item in value]
    if prompt.kind == "scale" and isinstance(value, dict):
        return {label.get(item, item): rating for item, rating in value.items()}
    if prompt.kind == "action_plan" and isinstance(value, dict):
        return {k: tr(v) if k in ("risk", "commitment") and isinstance(v, str) else v for k, v in value.items()}
    return value

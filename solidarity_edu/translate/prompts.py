"""A prompt in another language: its question, options, feedback and scale labels from the lesson's
catalog, looked up by prompt id and field (see :mod:`.units`). The id never changes, so a learner's
saved answers are found in every language. Options keep their order, so the answer, the best choices and
the feedback follow their option by position. A field with no checked translation stays in English.
"""

from __future__ import annotations

import dataclasses

from ..prompts import Prompt
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

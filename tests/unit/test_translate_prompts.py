"""A translated prompt keeps its id, and its answer and feedback follow their options."""

from __future__ import annotations

from pathlib import Path

import pytest

from solidarity_edu.lesson import read_lesson
from solidarity_edu.translate.prompts import translate_prompt
from solidarity_edu.translate.units import lesson_units

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("lesson", ["01-exclusion", "08-solidarity-practices", "09-taking-action"])
def test_every_field_of_every_prompt_is_translated_and_answers_follow_their_options(lesson):
    model = read_lesson(ROOT / "notebooks" / f"{lesson}.ipynb")
    table = {(u.context, u.source): f"[vi] {u.source}" for u in lesson_units(model)}
    checked = 0
    for prompt in model.prompts:
        out = translate_prompt(prompt, lambda c, e: table.get((c, e)))
        assert out.id == prompt.id and out.kind == prompt.kind
        assert out.question == f"[vi] {prompt.question}"
        assert out.options == tuple(f"[vi] {o}" for o in prompt.options)
        if prompt.answer is not None:
            assert out.answer == f"[vi] {prompt.answer}"
            assert out.answer in out.options
            checked += 1
        if prompt.best:
            assert out.best == tuple(f"[vi] {b}" for b in prompt.best)
            checked += 1
        if prompt.kind == "scale":
            assert (out.low, out.high) == (f"[vi] {prompt.low}", f"[vi] {prompt.high}")
        for option, said in prompt.feedback.items():
            assert out.feedback[f"[vi] {option}"] == f"[vi] {said}"
    assert checked  # the lesson has checks with answers or scenarios with best choices


def test_missing_translations_leave_the_english():
    model = read_lesson(ROOT / "notebooks" / "08-solidarity-practices.ipynb")
    for prompt in model.prompts:
        assert translate_prompt(prompt, lambda c, e: None) == prompt

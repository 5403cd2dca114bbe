"""Which prompt an activity shows, and the author's mistakes, said plainly.

``choose("01-wong-kim-ark")`` looks the prompt up in the lesson's data (see solidarity_edu.prompts);
``choose("00-x", "Question?", ["a", "b"])`` builds it from the arguments. Either way the same checks
run as in ``solidarity-edu lint``, and a mistake raises PromptError naming the activity, the prompt
and what to change.
"""

from __future__ import annotations

from typing import Any

from ..errors import PromptError
from ..prompts import Prompt, build_prompt, find_prompt


def resolve(kind: str, prompt_id: Any, given: dict[str, Any] | None) -> Prompt:
    """The prompt for activity ``kind``: from ``given`` arguments, or looked up by id when None."""
    if not isinstance(prompt_id, str) or not prompt_id.strip():
        raise PromptError("every activity needs a prompt id as its first argument, e.g. reflect('07-who')")
    if given is None and kind == "action_plan":
        try:
            return find_prompt(prompt_id)
        except PromptError:
            given = {}  # an action plan's form is the same everywhere: its id is all it needs
    if given is None:
        prompt = find_prompt(prompt_id)
        if prompt.kind != kind:
            raise PromptError(
                f"{kind}({prompt_id!r}): the lesson shows this prompt with {prompt.kind}(), not {kind}(); "
                f"call {prompt.kind}({prompt_id!r})"
            )
        return prompt
    prompt, problems = build_prompt(kind, {"id": prompt_id, **given})
    if problems or prompt is None:
        raise PromptError(f"{kind}({prompt_id!r}): " + "; ".join(problems))
    return prompt

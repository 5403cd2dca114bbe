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
from ..translate.prompts import prompt_in


def resolve(kind: str, prompt_id: Any, given: dict[str, Any] | None) -> Prompt:
    """The prompt for activity ``kind``, as the author wrote it (English): from ``given`` arguments, or
    looked up by id when None. Activities save answers in this form and show :func:`shown`."""
    if not isinstance(prompt_id, str) or not prompt_id.strip():
        raise PromptError("every activity needs a prompt id as its first argument, e.g. reflect('07-who')")
    if given is None and kind == "action_plan":
        try:
            return find_prompt(prompt_id, language="en")
        except PromptError:
            given = {}  # an action plan's form is the same everywhere: its id is all it needs
    if given is None:
        prompt = find_prompt(prompt_id, language="en")
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


def shown(prompt: Prompt) -> Prompt:
    """``prompt`` in the learner's language (the kernel's ``language``), for display only: options keep
    their order, so option ``i`` shown is option ``i`` saved."""
    return prompt_in(prompt)


def option_labels(prompt: Prompt, displayed: Prompt) -> list[tuple[str, str]]:
    """(what the learner reads, what the journal keeps) for each option or item, in order."""
    return list(zip(displayed.options, prompt.options, strict=True))


def feedback_for(prompt: Prompt, displayed: Prompt, choice: str) -> str:
    """The feedback on option ``choice`` (the English option text) in the learner's language."""
    if choice not in prompt.options:
        return ""
    label = displayed.options[prompt.options.index(choice)]
    return displayed.feedback.get(label, prompt.feedback.get(choice, ""))

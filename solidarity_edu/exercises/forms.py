"""The printed form of each activity: the question and room to answer on paper.

An activity's output carries this form next to the live widget; exports drop the widget and keep the
form, so a page can never contain a learner's answer. All text is escaped.
"""

from __future__ import annotations

from ..pagestyle import escape
from ..prompts import Prompt
from ..tags import STATIC_FORM_CLASS

PRIVATE_NOTE = "Private: only you see your answer unless you choose to share it."

RISK_LEVELS = ["Low: little risk to me or others", "Medium: some risk, with support", "High: real risk, with planning"]
COMMITMENTS = ["Once", "A few times", "Every month", "Ongoing"]
PLAN_FIELDS = [
    ("what", "What will you do?"),
    ("with_whom", "With whom? (a group, a friend, an organization)"),
    ("first_step", "Your first step"),
    ("by_when", "By when?"),
]


def form(prompt_id: str, label: str, question: str, body: str, note: str = "") -> str:
    note_html = f'<p class="se-private-note">{escape(note)}</p>' if note else ""
    return (
        f'<div class="{STATIC_FORM_CLASS} se-prompt" data-prompt-id="{escape(prompt_id)}">'
        f'<p class="se-prompt-label">{escape(label)}</p><p class="se-prompt-text">{escape(question)}</p>'
        f"{note_html}{body}</div>"
    )


def rules(lines: int) -> str:
    return "".join('<div class="se-rule"></div>' for _ in range(lines))


def boxes(options: list[str] | tuple[str, ...]) -> str:
    items = "".join(f'<li><span class="se-box"></span>{escape(o)}</li>' for o in options)
    return f'<ul class="se-options">{items}</ul>'


def reflect_notes(prompt: Prompt) -> str:
    """What a reflection tells the learner under its question (skippable, private)."""
    notes = []
    if prompt.optional:
        notes.append("You can skip this question.")
    if prompt.private:
        notes.append(PRIVATE_NOTE)
    return " ".join(notes)


def reflect_form(prompt: Prompt) -> str:
    label = "Reflect (optional)" if prompt.optional else "Reflect"
    return form(prompt.id, label, prompt.question, rules(prompt.lines), reflect_notes(prompt))


def choose_form(prompt: Prompt) -> str:
    return form(prompt.id, "Choose one", prompt.question, boxes(prompt.options))


def scenario_form(prompt: Prompt) -> str:
    return form(prompt.id, "Scenario: what would you do?", prompt.question, boxes(prompt.options) + rules(2))


def order_form(prompt: Prompt, shuffled: list[str]) -> str:
    listing = "".join(f'<li><span class="se-box se-box-wide"></span>{escape(item)}</li>' for item in shuffled)
    body = (
        f'<p class="se-private-note">Number them from 1 (first) to {len(prompt.options)}.</p>'
        f'<ul class="se-options">{listing}</ul>'
    )
    return form(prompt.id, "Put in order", prompt.question, body)


def scale_form(prompt: Prompt) -> str:
    steps = prompt.steps
    head = "".join(f'<th scope="col">{n}</th>' for n in range(1, steps + 1))
    rows = "".join(
        f'<tr><th scope="row">{escape(item)}</th>' + '<td><span class="se-circle"></span></td>' * steps + "</tr>"
        for item in prompt.options
    )
    body = (
        f'<p class="se-private-note">Circle one number in each row: 1 = {escape(prompt.low)}, '
        f"{steps} = {escape(prompt.high)}.</p>"
        f'<table class="se-scale"><thead><tr><td></td>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )
    return form(prompt.id, "Rate", prompt.question, body)


def action_plan_form(prompt: Prompt) -> str:
    fields = "".join(f'<p class="se-field-label">{escape(label)}</p>{rules(2)}' for _, label in PLAN_FIELDS[:2])
    fields += f'<p class="se-field-label">Risk level</p>{boxes(RISK_LEVELS)}'
    fields += f'<p class="se-field-label">Commitment</p>{boxes(COMMITMENTS)}'
    fields += "".join(f'<p class="se-field-label">{escape(label)}</p>{rules(1)}' for _, label in PLAN_FIELDS[2:])
    return form(prompt.id, "Action plan", prompt.question, fields, PRIVATE_NOTE)

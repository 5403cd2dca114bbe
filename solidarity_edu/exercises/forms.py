"""The printed form of each activity: the question and room to answer on paper.

An activity's output carries this form next to the live widget; exports drop the widget and keep the
form, so a page can never contain a learner's answer. All text is escaped.
"""

from __future__ import annotations

from ..i18n import N_, tr
from ..pagestyle import escape
from ..prompts import Prompt
from ..tags import STATIC_FORM_CLASS

PRIVATE_NOTE = N_("Private: only you see your answer unless you choose to share it.")

RISK_LEVELS = [
    N_("Low: little risk to me or others"),
    N_("Medium: some risk, with support"),
    N_("High: real risk, with planning"),
]
COMMITMENTS = [N_("Once"), N_("A few times"), N_("Every month"), N_("Ongoing")]
PLAN_FIELDS = [
    ("what", N_("What will you do?")),
    ("with_whom", N_("With whom? (a group, a friend, an organization)")),
    ("first_step", N_("Your first step")),
    ("by_when", N_("By when?")),
]


def form(prompt_id: str, label: str, question: str, body: str, note: str = "") -> str:
    note_html = f'<p class="se-private-note">{escape(tr(note))}</p>' if note else ""
    return (
        f'<div class="{STATIC_FORM_CLASS} se-prompt" data-prompt-id="{escape(prompt_id)}">'
        f'<p class="se-prompt-label">{escape(tr(label))}</p><p class="se-prompt-text">{escape(question)}</p>'
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
        notes.append(tr("You can skip this question."))
    if prompt.private:
        notes.append(tr(PRIVATE_NOTE))
    return " ".join(notes)


def reflect_form(prompt: Prompt) -> str:
    label = N_("Reflect (optional)") if prompt.optional else N_("Reflect")
    return form(prompt.id, label, prompt.question, rules(prompt.lines), reflect_notes(prompt))


def choose_form(prompt: Prompt) -> str:
    return form(prompt.id, N_("Choose one"), prompt.question, boxes(prompt.options))


def scenario_form(prompt: Prompt) -> str:
    return form(prompt.id, N_("Scenario: what would you do?"), prompt.question, boxes(prompt.options) + rules(2))


def order_form(prompt: Prompt, shuffled: list[str]) -> str:
    listing = "".join(f'<li><span class="se-box se-box-wide"></span>{escape(item)}</li>' for item in shuffled)
    body = (
        '<p class="se-private-note">'
        + escape(tr("Number them from 1 (first) to {last}.").format(last=len(prompt.options)))
        + "</p>"
        + f'<ul class="se-options">{listing}</ul>'
    )
    return form(prompt.id, N_("Put in order"), prompt.question, body)


def scale_form(prompt: Prompt) -> str:
    steps = prompt.steps
    head = "".join(f'<th scope="col">{n}</th>' for n in range(1, steps + 1))
    rows = "".join(
        f'<tr><th scope="row">{escape(item)}</th>' + '<td><span class="se-circle"></span></td>' * steps + "</tr>"
        for item in prompt.options
    )
    body = (
        '<p class="se-private-note">'
        + escape(
            tr("Circle one number in each row: 1 = {low}, {steps} = {high}.").format(
                low=prompt.low, steps=steps, high=prompt.high
            )
        )
        + "</p>"
        + f'<table class="se-scale"><thead><tr><td></td>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )
    return form(prompt.id, N_("Rate"), prompt.question, body)


def action_plan_form(prompt: Prompt) -> str:
    fields = "".join(f'<p class="se-field-label">{escape(tr(label))}</p>{rules(2)}' for _, label in PLAN_FIELDS[:2])
    risk, commitment = tr("Risk level"), tr("Commitment")
    fields += f'<p class="se-field-label">{escape(risk)}</p>{boxes([tr(r) for r in RISK_LEVELS])}'
    fields += f'<p class="se-field-label">{escape(commitment)}</p>{boxes([tr(c) for c in COMMITMENTS])}'
    fields += "".join(f'<p class="se-field-label">{escape(tr(label))}</p>{rules(1)}' for _, label in PLAN_FIELDS[2:])
    return form(prompt.id, N_("Action plan"), prompt.question, fields, PRIVATE_NOTE)

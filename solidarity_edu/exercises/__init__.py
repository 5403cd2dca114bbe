"""Activities learners answer in widgets. In a lesson, each is one short line in a code cell tagged
``prompt``, and what it says lives in the ``prompt-data`` raw cell above it (see
:mod:`solidarity_edu.prompts`)::

    reflect("07-who")
    choose("01-wong-kim-ark")
    scale("08-five-cs")
    scenario("09-bus")
    action_plan("09-plan")

Outside a lesson (a test, a quick sketch) the content can be given as arguments instead::

    choose("00-privacy", "Who can read your reflections?", ["Only me", "My teacher"], answer="Only me")

Each call shows a live widget in JupyterLab and carries a static form (the question and room to write)
that exports print. Answers go to the learner's private journal, never into the notebook.

In another language (the lesson's ``language`` parameter, see :mod:`solidarity_edu.i18n`) the prompt is
shown from the lesson's catalog, but the journal keeps the same prompt id and the English option texts
(choices, orders, the items of a scale), so an answer reads back in any language.

The package is split by job: ``checks`` (the prompt an activity shows, and the author's mistakes),
``widgets`` (the journal store, buttons, option lists), ``forms`` (what paper shows) and ``sharing``
(the study circle's share box).
"""

from __future__ import annotations

import random
import threading
from typing import Any

from ..i18n import tr
from ..pagestyle import escape
from .checks import feedback_for, option_labels, resolve, shown
from .forms import (
    COMMITMENTS,
    PLAN_FIELDS,
    PRIVATE_NOTE,
    RISK_LEVELS,
    action_plan_form,
    choose_form,
    order_form,
    reflect_form,
    reflect_notes,
    scale_form,
    scenario_form,
)
from .sharing import SHARE_LABEL, share_box
from .widgets import (
    AUTOSAVE_SECONDS,
    RATING_CSS,
    SAVE_FAILED,
    SELECTED,
    Activity,
    Store,
    button,
    pick_one,
    question_line,
)

__all__ = [
    "AUTOSAVE_SECONDS",
    "COMMITMENTS",
    "PRIVATE_NOTE",
    "RISK_LEVELS",
    "SAVE_FAILED",
    "SELECTED",
    "SHARE_LABEL",
    "action_plan",
    "choose",
    "order_events",
    "reflect",
    "scale",
    "scenario",
]


def _given(**values: Any) -> dict[str, Any] | None:
    """The content given as arguments (None when only the id was given: look the prompt up)."""
    given = {k: v for k, v in values.items() if v is not None}
    return given or None


def reflect(
    prompt_id: str,
    question: str | None = None,
    lines: int | None = None,
    optional: bool | None = None,
    private: bool | None = None,
) -> Activity:
    """A free-text reflection, saved to the private journal as the learner types and on Save.

    ``optional: true`` tells the learner the question can be skipped (use it for anything personal);
    optional reflections are never offered for sharing with a circle."""
    import ipywidgets as w

    prompt = resolve("reflect", prompt_id, _given(question=question, lines=lines, optional=optional, private=private))
    seen = shown(prompt)
    store = Store(prompt.id, prompt.question)
    area = w.Textarea(
        value=store.last_value("", str),
        placeholder=tr("Type your answer here. It is saved on this computer only."),
        description=tr("Your answer"),
        style={"description_width": "initial"},
        layout=w.Layout(width="100%", height=f"{max(3, prompt.lines) * 1.6}em"),
    )
    timer: list[threading.Timer] = []

    def save_now(*_: Any) -> None:
        for pending in timer:
            pending.cancel()
        timer.clear()
        store.save(area.value)

    def on_type(_change: dict) -> None:
        for pending in timer:
            pending.cancel()
        timer.clear()
        store.status.value = tr("Unsaved changes…")
        pending = threading.Timer(AUTOSAVE_SECONDS, save_now)
        pending.daemon = True
        timer.append(pending)
        pending.start()

    area.observe(on_type, names="value")
    parts = [question_line(seen.question)]
    notes = reflect_notes(seen)
    if notes:
        parts.append(w.HTML(f'<p style="margin:0;font-size:0.9em">{escape(notes)}</p>'))
    parts += [
        area,
        w.HBox([button(tr("Save"), tr("Save this answer to your private journal"), save_now), store.status]),
    ]
    parts += share_box(store, prompt)
    return Activity(w.VBox(parts), reflect_form(seen), seen.question)


def choose(
    prompt_id: str,
    question: str | None = None,
    options: list[str] | None = None,
    answer: str | None = None,
    feedback: dict[str, str] | None = None,
) -> Activity:
    """A multiple-choice check with feedback for each option; the choice is saved to the journal."""
    import ipywidgets as w

    prompt = resolve("choose", prompt_id, _given(question=question, options=options, answer=answer, feedback=feedback))
    seen = shown(prompt)

    def respond(choice: str) -> str:
        text = feedback_for(prompt, seen, choice)
        if prompt.answer is not None:
            verdict = tr("Yes, that's right.") if choice == prompt.answer else tr("Not quite. Have another look.")
            text = f"{verdict} {text}".strip()
        return text

    store = Store(prompt.id, prompt.question)
    rows = pick_one(store, seen.question, option_labels(prompt, seen), tr("Check my answer"), respond)
    return Activity(w.VBox(rows + share_box(store, prompt)), choose_form(seen), seen.question)


def _shuffled(prompt_id: str, items: list[str]) -> list[str]:
    """The same mixed-up order every time for this prompt, never already correct."""
    order = list(items)
    random.Random(prompt_id).shuffle(order)
    if order == list(items):
        order = order[1:] + order[:1]
    return order


def order_events(
    prompt_id: str, question: str | None = None, items: list[str] | None = None, feedback: str | None = None
) -> Activity:
    """Put items in order (``items`` is the correct order; the learner gets them mixed up).

    Each row has Up and Down buttons, so the activity works with the keyboard alone."""
    import ipywidgets as w

    prompt = resolve("order_events", prompt_id, _given(question=question, items=items, feedback=feedback))
    seen = shown(prompt)
    label = dict(zip(prompt.options, seen.options, strict=True))  # English item -> what the learner reads
    correct = list(prompt.options)
    store = Store(prompt.id, prompt.question)
    saved = store.last_value(None, list)
    if saved and sorted(saved) == sorted(seen.options) and sorted(saved) != sorted(correct):
        saved = [prompt.options[seen.options.index(item)] for item in saved]  # kept as read: back to English
    order = saved if saved and sorted(saved) == sorted(correct) else _shuffled(prompt.id, correct)
    rows = w.VBox([])
    out = w.HTML("")

    def move(index: int, step: int) -> None:
        target = index + step
        if 0 <= target < len(order):
            order[index], order[target] = order[target], order[index]
            draw()

    def draw() -> None:
        children = []
        for i, item in enumerate(label[english] for english in order):
            up = button(tr("Up"), tr("Move '{item}' up").format(item=item), lambda *_, i=i: move(i, -1))
            down = button(tr("Down"), tr("Move '{item}' down").format(item=item), lambda *_, i=i: move(i, 1))
            up.disabled, down.disabled = i == 0, i == len(order) - 1
            children.append(
                w.HBox([w.HTML(f"<span>{i + 1}. {escape(item)}</span>", layout=w.Layout(width="32em")), up, down])
            )
        rows.children = children

    def on_check(*_: Any) -> None:
        store.save(list(order))
        right = sum(a == b for a, b in zip(order, correct, strict=True))
        if right == len(correct):
            out.value = escape(
                (tr("All {count} are in the right order.").format(count=right) + " " + seen.done_feedback).strip()
            )
        else:
            out.value = escape(
                tr("{right} of {total} are in the right place. Look again at the ones in between.").format(
                    right=right, total=len(correct)
                )
            )

    draw()
    box = w.VBox(
        [
            question_line(seen.question),
            rows,
            w.HBox([button(tr("Check the order"), tr("Check"), on_check), store.status]),
            out,
            *share_box(store, prompt),
        ]
    )
    shuffled = [label[item] for item in _shuffled(prompt.id, correct)]
    return Activity(box, order_form(seen, shuffled), seen.question)


def scale(
    prompt_id: str,
    question: str | None = None,
    items: list[str] | None = None,
    low: str | None = None,
    high: str | None = None,
    steps: int | None = None,
) -> Activity:
    """A self-assessment: a row of numbers (1 to ``steps``) per item, then a bar chart of the answers."""
    import ipywidgets as w

    prompt = resolve("scale", prompt_id, _given(question=question, items=items, low=low, high=high, steps=steps))
    seen = shown(prompt)
    store = Store(prompt.id, prompt.question)
    saved = store.last_value({}, dict)
    # Ratings are kept by the English item; one kept by the text the learner read is found too.
    saved = {**{e: saved[s] for e, s in zip(prompt.options, seen.options, strict=True) if s in saved}, **saved}
    steps_ = prompt.steps
    # One row of numbered buttons per item, not a slider: ipywidgets' slider handle has no accessible name
    # (a screen reader hears "slider", not "Clarity"), while each button here is named "1" ... "5" with
    # the item and scale in its tooltip, and works with Tab and Enter or Space everywhere.
    rows = [
        w.ToggleButtons(
            options=[(str(n), n) for n in range(1, steps_ + 1)],
            value=int(saved.get(item, 1)) if str(saved.get(item, "")).isdigit() else 1,
            description=item_label,
            tooltips=[
                tr("{item}: {number} of {steps}").format(item=item_label, number=n, steps=steps_)
                for n in range(1, steps_ + 1)
            ],
            style={"description_width": "16em", "button_width": "3em"},
        )
        for item_label, item in option_labels(prompt, seen)
    ]
    for row in rows:
        row.add_class("se-rating")
    chart = w.Output()

    def show(*_: Any) -> None:
        from ..charts import self_assessment_chart

        store.save({item: r.value for item, r in zip(prompt.options, rows, strict=True)})
        ratings = {r.description: r.value for r in rows}
        data, metadata = self_assessment_chart(ratings, steps_, seen.low, seen.high)._repr_mimebundle_()
        chart.outputs = ({"output_type": "display_data", "data": data, "metadata": metadata},)

    legend = w.HTML(
        f'<p style="margin:0">1 = {escape(seen.low)}, {steps_} = {escape(seen.high)}. '
        + escape(tr("Pick a number in each row (Tab to move, Enter to choose)."))
        + "</p>"
    )
    box = w.VBox(
        [
            question_line(seen.question),
            w.HTML(RATING_CSS),
            legend,
            *rows,
            w.HBox([button(tr("Save and show my chart"), tr("Save"), show), store.status]),
            chart,
            *share_box(store, prompt),
        ]
    )
    return Activity(box, scale_form(seen), seen.question)


def scenario(
    prompt_id: str,
    situation: str | None = None,
    options: dict[str, str] | None = None,
    best: list[str] | str | None = None,
) -> Activity:
    """A situation with choices; each choice shows its own feedback. ``best`` names the strongest ones.

    Given as arguments, ``options`` maps each choice to its feedback."""
    import ipywidgets as w

    given = None
    if situation is not None or options is not None or best is not None:
        given = {"question": situation, "best": best}
        if isinstance(options, dict):
            given.update(options=list(options), feedback=dict(options))
        elif options is not None:
            given["options"] = options
        given = {k: v for k, v in given.items() if v is not None}
    prompt = resolve("scenario", prompt_id, given)
    seen = shown(prompt)

    def respond(choice: str) -> str:
        verdict = ""
        if prompt.best:
            verdict = (
                tr("A strong choice.") if choice in prompt.best else tr("Worth thinking about another choice too.")
            )
            verdict += " "
        return verdict + feedback_for(prompt, seen, choice)

    store = Store(prompt.id, prompt.question)
    rows = pick_one(store, seen.question, option_labels(prompt, seen), tr("See what happens"), respond)
    return Activity(w.VBox(rows + share_box(store, prompt)), scenario_form(seen), seen.question)


def action_plan(prompt_id: str, question: str | None = None) -> Activity:
    """The learner's action plan: what, with whom, risk and commitment level, first step, by when."""
    import ipywidgets as w

    prompt = resolve("action_plan", prompt_id, _given(question=question))
    seen = shown(prompt)
    store = Store(prompt.id, prompt.question)
    saved = store.last_value({}, dict)
    texts = {
        key: w.Textarea(
            value=str(saved.get(key, "")),
            description=tr(label),
            style={"description_width": "16em"},
            layout=w.Layout(width="100%", height="3.2em"),
        )
        for key, label in PLAN_FIELDS
    }
    # Shown in the learner's language, saved in English: a plan reads the same after switching language.
    risk = w.Dropdown(
        options=[(tr(level), level) for level in RISK_LEVELS],
        value=saved.get("risk") if saved.get("risk") in RISK_LEVELS else RISK_LEVELS[0],
        description=tr("Risk level"),
        style={"description_width": "16em"},
    )
    commitment = w.Dropdown(
        options=[(tr(often), often) for often in COMMITMENTS],
        value=saved.get("commitment") if saved.get("commitment") in COMMITMENTS else COMMITMENTS[0],
        description=tr("Commitment"),
        style={"description_width": "16em"},
    )

    def save(*_: Any) -> None:
        store.save({**{k: t.value for k, t in texts.items()}, "risk": risk.value, "commitment": commitment.value})

    box = w.VBox(
        [
            question_line(seen.question),
            texts["what"],
            texts["with_whom"],
            risk,
            commitment,
            texts["first_step"],
            texts["by_when"],
            w.HBox([button(tr("Save my plan"), tr("Save your plan to your private journal"), save), store.status]),
        ]
    )
    return Activity(box, action_plan_form(seen), seen.question)

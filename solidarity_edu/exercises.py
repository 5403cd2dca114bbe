"""Activities learners answer in widgets. One short call per activity in a lesson::

    reflect("07-who", "Who do I want to stand in solidarity with?")
    choose("00-privacy", "Who can read your reflections?", ["Only me", "My teacher"], answer="Only me")
    order_events("01-order", "Put these laws in order", ["Page Act", "Exclusion Act", "Geary Act"])
    scale("08-five-cs", "Rate your group", ["Clarity", "Centering"], low="Not yet", high="Strongly")
    scenario("09-bus", "On a bus, someone is harassed ...", {"Distract": "...", "Direct": "..."})
    action_plan("09-plan")

Each call shows a live widget in JupyterLab and carries a static form (the question and room to write)
that the build prints on worksheets. Answers go to the learner's private journal, never into the
notebook. Every widget has a visible label, works with the keyboard (Tab, arrows, Enter, Space), and
speaks to the learner in plain language: a problem shows a sentence, never a traceback.
"""

from __future__ import annotations

import html
import logging
import random
import threading
from collections.abc import Callable
from typing import Any

from .errors import CircleError, ShareRejected
from .journal import Entry, Journal, JournalError
from .tags import STATIC_FORM_CLASS

log = logging.getLogger(__name__)
AUTOSAVE_SECONDS = 1.5
SAVE_FAILED = "Could not save: your answer is still here. Copy it somewhere safe and tell your facilitator."
PRIVATE_NOTE = "Private: only you see your answer unless you choose to share it."


class _Activity:
    """A widget plus its printable form; Jupyter shows the widget, exports show the form."""

    def __init__(self, widget: Any, static_html: str, text: str) -> None:
        self.widget, self.static_html, self.text = widget, static_html, text

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/html"] = self.static_html
        bundle["text/plain"] = self.text
        return bundle


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _form(prompt_id: str, label: str, question: str, body: str, note: str = "") -> str:
    note_html = f'<p class="se-private-note">{_e(note)}</p>' if note else ""
    return (
        f'<div class="{STATIC_FORM_CLASS} se-prompt" data-prompt-id="{_e(prompt_id)}">'
        f'<p class="se-prompt-label">{_e(label)}</p><p class="se-prompt-text">{_e(question)}</p>'
        f"{note_html}{body}</div>"
    )


def _rules(lines: int) -> str:
    return "".join('<div class="se-rule"></div>' for _ in range(lines))


def _boxes(options: list[str]) -> str:
    items = "".join(f'<li><span class="se-box"></span>{_e(o)}</li>' for o in options)
    return f'<ul class="se-options">{items}</ul>'


def _check_id(prompt_id: str) -> None:
    if not isinstance(prompt_id, str) or not prompt_id.strip():
        raise ValueError("every activity needs a prompt id as its first argument, e.g. reflect('07-who', '...')")


class _Store:
    """The journal for one prompt, with a status line that says what happened in plain words."""

    def __init__(self, prompt_id: str, question: str = "") -> None:
        import ipywidgets as w

        self.prompt_id, self.question = prompt_id, question
        self.journal = Journal()
        self.after_save: list[Callable[[], None]] = []
        self.status = w.HTML(value="", layout=w.Layout(margin="0 0 0 0.8em"))
        try:
            self.last: Entry | None = self.journal.latest(prompt_id)
        except JournalError as err:
            log.warning("%s", err)
            self.last = None
            self.status.value = "Your journal could not be opened, so answers will not be kept. Tell your facilitator."
            return
        self.status.value = self._saved_text(self.last) if self.last else "Not saved yet"

    @staticmethod
    def _saved_text(entry: Entry) -> str:
        return f"Saved privately at {entry.saved_at[11:16]}"

    def save(self, value: Any) -> bool:
        try:
            self.last = self.journal.save(self.prompt_id, value, self.question)
        except JournalError as err:
            log.warning("%s", err)
            self.status.value = SAVE_FAILED
            return False
        self.status.value = self._saved_text(self.last)
        for follow_up in self.after_save:
            follow_up()
        return True

    def last_value(self, default: Any = None, kind: type | tuple[type, ...] = object) -> Any:
        value = self.last.value if self.last else default
        return value if isinstance(value, kind) else default


SHARE_LABEL = "Share with my circle (anonymous)"


def _share_box(store: _Store, kind: str, options: list[str] | None = None, steps: int = 0) -> list[Any]:
    """A "Share with my circle" tick box under a prompt, off by default, or nothing without a circle.

    Ticking it shares the saved answer without a name; saving again updates the share; unticking
    withdraws it. A failure to share never touches the journal: the answer stays saved privately."""
    from .circle.client import current_circle, make_share

    try:
        circle = current_circle()
    except CircleError as err:
        log.warning("%s", err)
        return []
    if circle is None:
        return []
    import ipywidgets as w

    box = w.Checkbox(value=False, description=SHARE_LABEL, indent=False, layout=w.Layout(width="auto"))
    note = w.HTML("", layout=w.Layout(margin="0 0 0 0.8em"))
    quiet: list[bool] = []  # set while the box is changed by the code, not by the learner

    def set_box(value: bool) -> None:
        quiet.append(True)
        try:
            box.value = value
        finally:
            quiet.pop()

    try:
        set_box(circle.is_shared(store.prompt_id))
        if box.value:
            note.value = "Shared with your circle, without your name."
    except CircleError as err:
        box.disabled = True
        note.value = _e(f"Sharing is not available right now: {err}")

    def send() -> None:
        if store.last is None:
            set_box(False)
            note.value = "Save an answer first, then you can share it."
            return
        try:
            circle.share(make_share(store.prompt_id, store.question, kind, store.last.value, options, steps))
        except (ShareRejected, CircleError) as err:
            set_box(False)
            note.value = _e(f"Not shared: {err}. Your answer is still saved privately.")
            return
        note.value = "Shared with your circle, without your name. Untick to withdraw it."

    def withdraw() -> None:
        try:
            circle.withdraw(store.prompt_id)
        except CircleError as err:
            set_box(True)
            note.value = _e(f"Could not withdraw yet: {err}. Try again in a moment.")
            return
        note.value = "Withdrawn: your circle no longer sees this answer."

    def on_toggle(change: dict) -> None:
        if quiet:
            return
        try:
            send() if change["new"] else withdraw()
        except Exception:  # a learner never sees a traceback
            log.exception("sharing %s failed", store.prompt_id)

    def after_save() -> None:
        if box.value:
            send()

    box.observe(on_toggle, names="value")
    store.after_save.append(after_save)
    return [w.HBox([box, note])]


def _question(question: str) -> Any:
    import ipywidgets as w

    return w.HTML(f'<p class="se-question" style="margin:0.2em 0"><strong>{_e(question)}</strong></p>')


def _button(label: str, tooltip: str, on_click: Callable[..., None]) -> Any:
    import ipywidgets as w

    button = w.Button(description=label, tooltip=tooltip, layout=w.Layout(width="auto"))

    def safe(*args: Any) -> None:
        try:
            on_click(*args)
        except Exception:  # a learner never sees a traceback
            log.exception("activity button %r failed", label)

    button.on_click(safe)
    return button


# Options are buttons, not radio buttons: JupyterLab's notebook shortcuts take the arrow keys that move
# between radio buttons, so a keyboard-only learner could not change a radio choice there. A button per
# option is reached with Tab and chosen with Enter or Space everywhere (JupyterLab, Voila, a hub).
_OPTION_CSS = (
    "<style>.se-option-button{white-space:normal!important;height:auto!important;min-height:2.2em;"
    "text-align:left!important;line-height:1.3!important;padding:0.3em 0.6em!important}"
    # The chosen option: white on dark blue (9:1), not ipywidgets' "info" cyan (3.5:1, below WCAG AA).
    ".se-option-button.se-selected{background:#1f4e79!important;color:#ffffff!important}"
    # A focus ring anyone can see (WCAG 2.4.7), thicker than ipywidgets' 1px default.
    ".se-option-button:focus-visible{outline:3px solid #1f4e79!important;outline-offset:2px}</style>"
)
SELECTED = " (selected)"
# The chosen number in a rating row: dark blue, white, bold and outlined (not a shade of grey alone).
_RATING_CSS = (
    "<style>.se-rating .widget-toggle-button.mod-active{background:#1f4e79!important;color:#ffffff!important;"
    "font-weight:700!important;outline:2px solid #000000;outline-offset:-2px}"
    ".se-rating .widget-toggle-button:focus-visible{outline:3px solid #1f4e79!important;outline-offset:2px}</style>"
)


class _Options:
    """A column of option buttons; one can be selected at a time."""

    def __init__(self, options: list[str], selected: str | None) -> None:
        import ipywidgets as w

        self.options = list(options)
        self.value: str | None = selected if selected in self.options else None
        self.buttons = []
        for option in self.options:
            button = w.Button(description=option, tooltip=f"Choose: {option}", layout=w.Layout(width="100%"))
            button.add_class("se-option-button")
            button.on_click(lambda _b, option=option: self.select(option))
            self.buttons.append(button)
        self.widget = w.VBox([w.HTML(_OPTION_CSS), *self.buttons], layout=w.Layout(width="100%", max_width="52em"))
        self._draw()

    def select(self, option: str) -> None:
        self.value = option
        self._draw()

    def _draw(self) -> None:
        for option, button in zip(self.options, self.buttons, strict=True):
            chosen = option == self.value
            button.description = option + (SELECTED if chosen else "")
            button.icon = "check" if chosen else ""
            if chosen:
                button.add_class("se-selected")
            else:
                button.remove_class("se-selected")


def _pick_one(prompt_id: str, question: str, options: list[str], submit: str, respond: Callable[[str], str]) -> Any:
    """Option buttons, a submit button and a line of feedback: ``respond(choice)`` says what to show."""
    import ipywidgets as w

    store = _Store(prompt_id, question)
    picks = _Options(options, store.last_value(None, str))
    out = w.HTML("")

    def on_submit(*_: Any) -> None:
        if picks.value is None:
            out.value = "Pick one of the options first."
            return
        store.save(picks.value)
        out.value = _e(respond(picks.value))

    return w.VBox(
        [
            _question(question),
            picks.widget,
            w.HBox([_button(submit, submit, on_submit), store.status]),
            out,
            *_share_box(store, "choice", options),
        ]
    )


def reflect(prompt_id: str, question: str, lines: int = 6, optional: bool = False, private: bool = True) -> _Activity:
    """A free-text reflection, saved to the private journal as the learner types and on Save.

    ``optional=True`` tells the learner the question can be skipped (use it for anything personal)."""
    import ipywidgets as w

    _check_id(prompt_id)
    store = _Store(prompt_id, question)
    area = w.Textarea(
        value=store.last_value("", str),
        placeholder="Type your answer here. It is saved on this computer only.",
        description="Your answer",
        style={"description_width": "initial"},
        layout=w.Layout(width="100%", height=f"{max(3, lines) * 1.6}em"),
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
        store.status.value = "Unsaved changes…"
        pending = threading.Timer(AUTOSAVE_SECONDS, save_now)
        pending.daemon = True
        timer.append(pending)
        pending.start()

    area.observe(on_type, names="value")
    parts = [_question(question)]
    notes = []
    if optional:
        notes.append("You can skip this question.")
    if private:
        notes.append(PRIVATE_NOTE)
    if notes:
        parts.append(w.HTML(f'<p style="margin:0;font-size:0.9em">{_e(" ".join(notes))}</p>'))
    parts += [area, w.HBox([_button("Save", "Save this answer to your private journal", save_now), store.status])]
    if not optional:  # optional questions are the personal ones: never offered for sharing
        parts += _share_box(store, "text")
    label = "Reflect (optional)" if optional else "Reflect"
    return _Activity(w.VBox(parts), _form(prompt_id, label, question, _rules(lines), " ".join(notes)), question)


def choose(
    prompt_id: str,
    question: str,
    options: list[str],
    answer: str | None = None,
    feedback: dict[str, str] | None = None,
) -> _Activity:
    """A multiple-choice check with feedback for each option; the choice is saved to the journal."""

    _check_id(prompt_id)
    if answer is not None and answer not in options:
        raise ValueError(f"choose({prompt_id!r}): answer {answer!r} is not one of the options {options}")
    unknown = sorted(set(feedback or {}) - set(options))
    if unknown:
        raise ValueError(f"choose({prompt_id!r}): feedback for {unknown[0]!r}, which is not one of the options")
    feedback = feedback or {}

    def respond(choice: str) -> str:
        text = feedback.get(choice, "")
        if answer is not None:
            verdict = "Yes, that's right." if choice == answer else "Not quite. Have another look."
            text = f"{verdict} {text}".strip()
        return text

    box = _pick_one(prompt_id, question, options, "Check my answer", respond)
    return _Activity(box, _form(prompt_id, "Choose one", question, _boxes(options)), question)


def _shuffled(prompt_id: str, items: list[str]) -> list[str]:
    """The same mixed-up order every time for this prompt, never already correct."""
    order = list(items)
    random.Random(prompt_id).shuffle(order)
    if order == list(items):
        order = order[1:] + order[:1]
    return order


def order_events(prompt_id: str, question: str, items: list[str], feedback: str = "") -> _Activity:
    """Put items in order (``items`` is the correct order; the learner gets them mixed up).

    Each row has Up and Down buttons, so the activity works with the keyboard alone."""
    import ipywidgets as w

    _check_id(prompt_id)
    if len(items) < 2 or len(set(items)) != len(items):
        raise ValueError(f"order_events({prompt_id!r}): give at least two different items, in the correct order")
    store = _Store(prompt_id, question)
    saved = store.last_value(None, list)
    order = saved if saved and sorted(saved) == sorted(items) else _shuffled(prompt_id, items)
    rows = w.VBox([])
    out = w.HTML("")

    def move(index: int, step: int) -> None:
        target = index + step
        if 0 <= target < len(order):
            order[index], order[target] = order[target], order[index]
            draw()

    def draw() -> None:
        children = []
        for i, item in enumerate(order):
            up = _button("Up", f"Move '{item}' up", lambda *_, i=i: move(i, -1))
            down = _button("Down", f"Move '{item}' down", lambda *_, i=i: move(i, 1))
            up.disabled, down.disabled = i == 0, i == len(order) - 1
            children.append(
                w.HBox([w.HTML(f"<span>{i + 1}. {_e(item)}</span>", layout=w.Layout(width="32em")), up, down])
            )
        rows.children = children

    def on_check(*_: Any) -> None:
        store.save(list(order))
        right = sum(a == b for a, b in zip(order, items, strict=True))
        if right == len(items):
            out.value = _e(f"All {right} are in the right order. {feedback}".strip())
        else:
            out.value = _e(f"{right} of {len(items)} are in the right place. Look again at the ones in between.")

    draw()
    box = w.VBox(
        [
            _question(question),
            rows,
            w.HBox([_button("Check the order", "Check", on_check), store.status]),
            out,
            *_share_box(store, "order", list(items)),
        ]
    )
    listing = "".join(
        f'<li><span class="se-box se-box-wide"></span>{_e(item)}</li>' for item in _shuffled(prompt_id, items)
    )
    body = f'<p class="se-private-note">Number them from 1 (first) to {len(items)}.</p><ul class="se-options">{listing}</ul>'
    return _Activity(box, _form(prompt_id, "Put in order", question, body), question)


def scale(
    prompt_id: str,
    question: str,
    items: list[str],
    low: str = "Not yet",
    high: str = "Strongly",
    steps: int = 5,
) -> _Activity:
    """A self-assessment: a row of numbers (1 to ``steps``) per item, then a bar chart of the answers."""
    import ipywidgets as w

    _check_id(prompt_id)
    if not items or not 2 <= steps <= 10:
        raise ValueError(f"scale({prompt_id!r}): give at least one item and between 2 and 10 steps")
    store = _Store(prompt_id, question)
    saved = store.last_value({}, dict)
    # One row of numbered buttons per item, not a slider: ipywidgets' slider handle has no accessible name
    # (a screen reader hears "slider", not "Clarity"), while each button here is named "1" ... "5" with
    # the item and scale in its tooltip, and works with Tab and Enter or Space everywhere.
    sliders = [
        w.ToggleButtons(
            options=[(str(n), n) for n in range(1, steps + 1)],
            value=int(saved.get(item, 1)) if str(saved.get(item, "")).isdigit() else 1,
            description=item,
            tooltips=[f"{item}: {n} of {steps}" for n in range(1, steps + 1)],
            style={"description_width": "16em", "button_width": "3em"},
        )
        for item in items
    ]
    for row in sliders:
        row.add_class("se-rating")
    chart = w.Output()

    def show(*_: Any) -> None:
        from .charts import self_assessment_chart

        ratings = {s.description: s.value for s in sliders}
        store.save(ratings)
        data, metadata = self_assessment_chart(ratings, steps, low, high)._repr_mimebundle_()
        chart.outputs = ({"output_type": "display_data", "data": data, "metadata": metadata},)

    legend = w.HTML(
        f'<p style="margin:0">1 = {_e(low)}, {steps} = {_e(high)}. Pick a number in each row (Tab to move, Enter to choose).</p>'
    )
    box = w.VBox(
        [
            _question(question),
            w.HTML(_RATING_CSS),
            legend,
            *sliders,
            w.HBox([_button("Save and show my chart", "Save", show), store.status]),
            chart,
            *_share_box(store, "scale", list(items), steps),
        ]
    )
    head = "".join(f'<th scope="col">{n}</th>' for n in range(1, steps + 1))
    rows = "".join(
        f'<tr><th scope="row">{_e(item)}</th>' + '<td><span class="se-circle"></span></td>' * steps + "</tr>"
        for item in items
    )
    body = (
        f'<p class="se-private-note">Circle one number in each row: 1 = {_e(low)}, {steps} = {_e(high)}.</p>'
        f'<table class="se-scale"><thead><tr><td></td>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )
    return _Activity(box, _form(prompt_id, "Rate", question, body), question)


def scenario(prompt_id: str, situation: str, options: dict[str, str], best: list[str] | str | None = None) -> _Activity:
    """A situation with choices; each choice shows its own feedback. ``best`` names the strongest ones."""

    _check_id(prompt_id)
    if len(options) < 2:
        raise ValueError(f"scenario({prompt_id!r}): give at least two choices, each with its feedback")
    best = [best] if isinstance(best, str) else list(best or [])
    unknown = [b for b in best if b not in options]
    if unknown:
        raise ValueError(f"scenario({prompt_id!r}): best choice {unknown[0]!r} is not one of the choices")

    def respond(choice: str) -> str:
        verdict = ""
        if best:
            verdict = "A strong choice. " if choice in best else "Worth thinking about another choice too. "
        return verdict + options[choice]

    question = situation
    box = _pick_one(prompt_id, question, list(options), "See what happens", respond)
    return _Activity(
        box, _form(prompt_id, "Scenario: what would you do?", question, _boxes(list(options)) + _rules(2)), question
    )


RISK_LEVELS = ["Low: little risk to me or others", "Medium: some risk, with support", "High: real risk, with planning"]
COMMITMENTS = ["Once", "A few times", "Every month", "Ongoing"]
_PLAN_FIELDS = [
    ("what", "What will you do?"),
    ("with_whom", "With whom? (a group, a friend, an organization)"),
    ("first_step", "Your first step"),
    ("by_when", "By when?"),
]


def action_plan(prompt_id: str) -> _Activity:
    """The learner's action plan: what, with whom, risk and commitment level, first step, by when."""
    import ipywidgets as w

    _check_id(prompt_id)
    store = _Store(prompt_id, "My action plan")
    saved = store.last_value({}, dict)
    texts = {
        key: w.Textarea(
            value=str(saved.get(key, "")),
            description=label,
            style={"description_width": "16em"},
            layout=w.Layout(width="100%", height="3.2em"),
        )
        for key, label in _PLAN_FIELDS
    }
    risk = w.Dropdown(
        options=RISK_LEVELS,
        value=saved.get("risk") if saved.get("risk") in RISK_LEVELS else RISK_LEVELS[0],
        description="Risk level",
        style={"description_width": "16em"},
    )
    commitment = w.Dropdown(
        options=COMMITMENTS,
        value=saved.get("commitment") if saved.get("commitment") in COMMITMENTS else COMMITMENTS[0],
        description="Commitment",
        style={"description_width": "16em"},
    )

    def save(*_: Any) -> None:
        store.save({**{k: t.value for k, t in texts.items()}, "risk": risk.value, "commitment": commitment.value})

    question = "My action plan"
    box = w.VBox(
        [
            _question(question),
            texts["what"],
            texts["with_whom"],
            risk,
            commitment,
            texts["first_step"],
            texts["by_when"],
            w.HBox([_button("Save my plan", "Save your plan to your private journal", save), store.status]),
        ]
    )
    fields = "".join(f'<p class="se-field-label">{_e(label)}</p>{_rules(2)}' for _, label in _PLAN_FIELDS[:2])
    fields += f'<p class="se-field-label">Risk level</p>{_boxes(RISK_LEVELS)}'
    fields += f'<p class="se-field-label">Commitment</p>{_boxes(COMMITMENTS)}'
    fields += "".join(f'<p class="se-field-label">{_e(label)}</p>{_rules(1)}' for _, label in _PLAN_FIELDS[2:])
    return _Activity(box, _form(prompt_id, "Action plan", question, fields, PRIVATE_NOTE), question)

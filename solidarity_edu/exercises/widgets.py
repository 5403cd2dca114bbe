"""The live parts of an activity: the journal store with its "saved at" line, buttons, option lists.

Every widget has a visible label, works with the keyboard (Tab, Enter, Space) and speaks to the learner
in plain language: a problem shows a sentence, never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from ..i18n import N_, tr
from ..journal import Entry, Journal, JournalError
from ..pagestyle import ACCENT, WHITE, escape

log = logging.getLogger(__name__)
AUTOSAVE_SECONDS = 1.5
SAVE_FAILED = N_("Could not save: your answer is still here. Copy it somewhere safe and tell your facilitator.")
SELECTED = N_("(selected)")


class Activity:
    """A widget plus its printable form; Jupyter shows the widget, exports show the form."""

    def __init__(self, widget: Any, static_html: str, text: str) -> None:
        self.widget, self.static_html, self.text = widget, static_html, text

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/html"] = self.static_html
        bundle["text/plain"] = self.text
        return bundle


class Store:
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
            self.status.value = tr(
                "Your journal could not be opened, so answers will not be kept. Tell your facilitator."
            )
            return
        self.status.value = self._saved_text(self.last) if self.last else tr("Not saved yet")

    @staticmethod
    def _saved_text(entry: Entry) -> str:
        return tr("Saved privately at {time}").format(time=entry.saved_at[11:16])

    def save(self, value: Any) -> bool:
        try:
            self.last = self.journal.save(self.prompt_id, value, self.question)
        except JournalError as err:
            log.warning("%s", err)
            self.status.value = tr(SAVE_FAILED)
            return False
        self.status.value = self._saved_text(self.last)
        for follow_up in self.after_save:
            follow_up()
        return True

    def last_value(self, default: Any = None, kind: type | tuple[type, ...] = object) -> Any:
        value = self.last.value if self.last else default
        return value if isinstance(value, kind) else default


def question_line(question: str) -> Any:
    import ipywidgets as w

    return w.HTML(f'<p class="se-question" style="margin:0.2em 0"><strong>{escape(question)}</strong></p>')


def button(label: str, tooltip: str, on_click: Callable[..., None]) -> Any:
    import ipywidgets as w

    widget = w.Button(description=label, tooltip=tooltip, layout=w.Layout(width="auto"))

    def safe(*args: Any) -> None:
        try:
            on_click(*args)
        except Exception:  # a learner never sees a traceback
            log.exception("activity button %r failed", label)

    widget.on_click(safe)
    return widget


# Options are buttons, not radio buttons: JupyterLab's notebook shortcuts take the arrow keys that move
# between radio buttons, so a keyboard-only learner could not change a radio choice there. A button per
# option is reached with Tab and chosen with Enter or Space everywhere (JupyterLab, Voila, a hub).
OPTION_CSS = (
    "<style>.se-option-button{white-space:normal!important;height:auto!important;min-height:2.2em;"
    "text-align:left!important;line-height:1.3!important;padding:0.3em 0.6em!important}"
    # The chosen option: white on dark blue (9:1), not ipywidgets' "info" cyan (3.5:1, below WCAG AA).
    f".se-option-button.se-selected{{background:{ACCENT}!important;color:{WHITE}!important}}"
    # A focus ring anyone can see (WCAG 2.4.7), thicker than ipywidgets' 1px default.
    f".se-option-button:focus-visible{{outline:3px solid {ACCENT}!important;outline-offset:2px}}</style>"
)
# The chosen number in a rating row: dark blue, white, bold and outlined (not a shade of grey alone).
RATING_CSS = (
    f"<style>.se-rating .widget-toggle-button.mod-active{{background:{ACCENT}!important;color:{WHITE}!important;"
    "font-weight:700!important;outline:2px solid #000000;outline-offset:-2px}"
    f".se-rating .widget-toggle-button:focus-visible{{outline:3px solid {ACCENT}!important;outline-offset:2px}}</style>"
)


class Options:
    """A column of option buttons; one can be selected at a time.

    Each option is ``(label, value)``: the button reads ``label`` (the learner's language) and
    ``value`` is what the journal keeps (the English option), so a choice saved in one language is
    shown selected in every other. A plain text is both."""

    def __init__(self, options: list[str] | list[tuple[str, str]], selected: str | None) -> None:
        import ipywidgets as w

        pairs = [o if isinstance(o, tuple) else (o, o) for o in options]
        self.labels = {value: label for label, value in pairs}
        self.options = [value for _label, value in pairs]
        by_label = {label: value for label, value in pairs}
        # An answer kept as the text the learner read (a translation) is matched to its option too.
        selected = selected if selected in self.labels else by_label.get(selected or "")
        self.value: str | None = selected
        self.buttons = []
        for label, value in pairs:
            widget = w.Button(
                description=label, tooltip=tr("Choose: {option}").format(option=label), layout=w.Layout(width="100%")
            )
            widget.add_class("se-option-button")
            widget.on_click(lambda _b, value=value: self.select(value))
            self.buttons.append(widget)
        self.widget = w.VBox([w.HTML(OPTION_CSS), *self.buttons], layout=w.Layout(width="100%", max_width="52em"))
        self._draw()

    def select(self, option: str) -> None:
        self.value = option
        self._draw()

    def _draw(self) -> None:
        for option, widget in zip(self.options, self.buttons, strict=True):
            chosen = option == self.value
            label = self.labels[option]
            widget.description = f"{label} {tr(SELECTED)}" if chosen else label
            widget.icon = "check" if chosen else ""
            if chosen:
                widget.add_class("se-selected")
            else:
                widget.remove_class("se-selected")


def pick_one(
    store: Store,
    question: str,
    options: list[str] | list[tuple[str, str]],
    submit: str,
    respond: Callable[[str], str],
) -> list[Any]:
    """Option buttons, a submit button and a line of feedback: ``respond(choice)`` says what to show
    (``choice`` is the option's saved value; see :class:`Options`)."""
    import ipywidgets as w

    picks = Options(options, store.last_value(None, str))
    out = w.HTML("")

    def on_submit(*_: Any) -> None:
        if picks.value is None:
            out.value = tr("Pick one of the options first.")
            return
        store.save(picks.value)
        out.value = escape(respond(picks.value))

    return [question_line(question), picks.widget, w.HBox([button(submit, submit, on_submit), store.status]), out]

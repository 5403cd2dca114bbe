"""Activities learners answer in widgets. One short call per activity in a lesson::

    reflect("00-hopes", "What do you hope this course will help you do?")
    choose("00-privacy", "Who can read your reflections?", ["Only me", "My teacher", "Everyone"],
           answer="Only me", feedback={"My teacher": "Not unless you choose to share them."})

Each call shows a live widget in JupyterLab and carries a static form (the question and room to
write) that the build prints on worksheets. Answers go to the private journal, never to the notebook.
"""

from __future__ import annotations

import html
import logging
import threading
from typing import Any

from .journal import Journal, JournalError
from .tags import STATIC_FORM_CLASS

log = logging.getLogger(__name__)
AUTOSAVE_SECONDS = 1.5


class _Activity:
    """A widget plus its printable form; Jupyter shows the widget, exports show the form."""

    def __init__(self, widget: Any, static_html: str, text: str) -> None:
        self.widget, self.static_html, self.text = widget, static_html, text

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/html"] = self.static_html
        bundle["text/plain"] = self.text
        return bundle


def _form(prompt_id: str, label: str, question: str, body: str, private: bool) -> str:
    note = (
        '<p class="se-private-note">Private: only you see your answer unless you choose to share it.</p>'
        if private
        else ""
    )
    return (
        f'<div class="{STATIC_FORM_CLASS} se-prompt" data-prompt-id="{html.escape(prompt_id, quote=True)}">'
        f'<p class="se-prompt-label">{label}</p>'
        f'<p class="se-prompt-text">{html.escape(question)}</p>{note}{body}</div>'
    )


def _status_text(entry: Any) -> str:
    return f"Saved privately at {entry.saved_at[11:16]}" if entry else "Not saved yet"


def reflect(prompt_id: str, question: str, lines: int = 6, private: bool = True) -> _Activity:
    """A free-text reflection, saved to the private journal as the learner types and on Save."""
    import ipywidgets as w

    journal = Journal()
    try:
        last = journal.latest(prompt_id)
    except JournalError as err:
        log.warning("%s", err)
        last = None
    area = w.Textarea(
        value=str(last.value) if last else "",
        placeholder="Type your answer here. It is saved on this computer only.",
        layout=w.Layout(width="100%", height=f"{max(3, lines) * 1.6}em"),
    )
    label = w.HTML(f"<label><strong>{html.escape(question)}</strong></label>")
    save = w.Button(description="Save", tooltip="Save this answer to your private journal", icon="save")
    status = w.HTML(_status_text(last))
    timer: list[threading.Timer] = []

    def do_save(*_: Any) -> None:
        try:
            entry = journal.save(prompt_id, area.value)
            status.value = _status_text(entry)
        except JournalError as err:
            status.value = (
                "Could not save: your text is still in the box. Copy it somewhere safe and tell your facilitator."
            )
            log.warning("%s", err)

    def on_type(change: dict) -> None:
        for t in timer:
            t.cancel()
        timer.clear()
        status.value = "Unsaved changes…"
        t = threading.Timer(AUTOSAVE_SECONDS, do_save)
        t.daemon = True
        timer.append(t)
        t.start()

    area.observe(on_type, names="value")
    save.on_click(do_save)
    box = w.VBox([label, area, w.HBox([save, status])])
    rules = "".join('<div class="se-rule"></div>' for _ in range(lines))
    return _Activity(box, _form(prompt_id, "Reflect", question, rules, private), question)


def choose(
    prompt_id: str,
    question: str,
    options: list[str],
    answer: str | None = None,
    feedback: dict[str, str] | None = None,
) -> _Activity:
    """A multiple-choice check with feedback for each option; the choice is saved to the journal."""
    import ipywidgets as w

    if answer is not None and answer not in options:
        raise ValueError(f"choose({prompt_id!r}): answer {answer!r} is not one of the options {options}")
    feedback = feedback or {}
    journal = Journal()
    try:
        last = journal.latest(prompt_id)
    except JournalError:
        last = None
    radios = w.RadioButtons(
        options=options, value=last.value if last and last.value in options else None, layout=w.Layout(width="auto")
    )
    label = w.HTML(f"<strong>{html.escape(question)}</strong>")
    check = w.Button(description="Check my answer")
    out = w.HTML("")

    def on_check(*_: Any) -> None:
        if radios.value is None:
            out.value = "Pick one of the options first."
            return
        try:
            journal.save(prompt_id, radios.value)
        except JournalError as err:
            log.warning("%s", err)
        text = feedback.get(radios.value, "")
        if answer is not None:
            verdict = "Yes, that's right." if radios.value == answer else "Not quite. Have another look."
            text = f"{verdict} {text}".strip()
        out.value = html.escape(text)

    check.on_click(on_check)
    items = "".join(f'<li><span class="se-box"></span>{html.escape(o)}</li>' for o in options)
    box = w.VBox([label, radios, check, out])
    return _Activity(
        box, _form(prompt_id, "Choose one", question, f'<ul class="se-options">{items}</ul>', False), question
    )
